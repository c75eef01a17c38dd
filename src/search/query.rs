//! Query syntax: words, "phrases", AND / OR / NOT (also `+word` / `-word`), parentheses.
//!
//! Words next to each other must all match (implicit AND). `OR` binds weaker than `AND`, so
//! `a b OR c` is `(a AND b) OR c`. Operators are upper case; lower-case `and`, `or`, `not`
//! are words. Full-width parentheses and quotes (（）“”「」) work like ASCII ones, since
//! Chinese keyboards type them.
//!
//! Errors are one line and point at a 1-based character column:
//! `unbalanced quote at column 7`.

use std::fmt;

/// A parsed query expression.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Expr {
    /// A word as typed (analysis may split it into several words: 公共图书馆 → 公共 图书馆).
    Word(String),
    /// A quoted phrase: its words in this order, adjacent.
    Phrase(String),
    /// All of these. `implicit` when written without `AND`, so a search may relax it when
    /// nothing matches every word.
    And { items: Vec<Expr>, implicit: bool },
    /// Any of these.
    Or(Vec<Expr>),
    /// Must match (`+word`): never relaxed.
    Required(Box<Expr>),
    /// Must not match (`NOT word`, `-word`).
    Not(Box<Expr>),
}

/// A malformed query: what is wrong and where.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message} at column {column}")]
pub struct QueryError {
    pub message: String,
    /// 1-based character column in the query.
    pub column: usize,
}

impl QueryError {
    fn new(message: impl Into<String>, column: usize) -> Self {
        QueryError {
            message: message.into(),
            column,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Tok {
    Word(String),
    Phrase(String),
    Open,
    Close,
    And,
    Or,
    Not,
    Plus,
    Minus,
}

impl fmt::Display for Tok {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Tok::Word(w) => write!(f, "{w:?}"),
            Tok::Phrase(p) => write!(f, "\"{p}\""),
            Tok::Open => f.write_str("'('"),
            Tok::Close => f.write_str("')'"),
            Tok::And => f.write_str("AND"),
            Tok::Or => f.write_str("OR"),
            Tok::Not => f.write_str("NOT"),
            Tok::Plus => f.write_str("'+'"),
            Tok::Minus => f.write_str("'-'"),
        }
    }
}

fn closing_quote(open: char) -> Option<char> {
    match open {
        '"' => Some('"'),
        '“' => Some('”'),
        '「' => Some('」'),
        '『' => Some('』'),
        _ => None,
    }
}

fn is_open(c: char) -> bool {
    c == '(' || c == '（'
}

fn is_close(c: char) -> bool {
    c == ')' || c == '）'
}

/// Splits the query into tokens with their 1-based columns.
fn lex(text: &str) -> Result<Vec<(Tok, usize)>, QueryError> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let column = i + 1;
        if c.is_whitespace() {
            i += 1;
        } else if let Some(close) = closing_quote(c) {
            let start = i + 1;
            let mut j = start;
            while j < chars.len() && chars[j] != close && !(close == '”' && chars[j] == '"') {
                j += 1;
            }
            if j >= chars.len() {
                return Err(QueryError::new("unbalanced quote", column));
            }
            let phrase: String = chars[start..j].iter().collect();
            if phrase.trim().is_empty() {
                return Err(QueryError::new("empty phrase", column));
            }
            out.push((Tok::Phrase(phrase), column));
            i = j + 1;
        } else if c == '”' || c == '」' || c == '』' {
            return Err(QueryError::new("unbalanced quote", column));
        } else if is_open(c) {
            out.push((Tok::Open, column));
            i += 1;
        } else if is_close(c) {
            out.push((Tok::Close, column));
            i += 1;
        } else if (c == '+' || c == '-' || c == '＋' || c == '－')
            && chars
                .get(i + 1)
                .is_some_and(|n| !n.is_whitespace() && !is_close(*n))
        {
            // Only reached at the start of a token: "covid-19" is read whole as a word.
            let tok = if c == '+' || c == '＋' {
                Tok::Plus
            } else {
                Tok::Minus
            };
            out.push((tok, column));
            i += 1;
        } else {
            let start = i;
            while i < chars.len() {
                let d = chars[i];
                if d.is_whitespace() || is_open(d) || is_close(d) || closing_quote(d).is_some() {
                    break;
                }
                i += 1;
            }
            let word: String = chars[start..i].iter().collect();
            let tok = match word.as_str() {
                "AND" | "&&" => Tok::And,
                "OR" | "||" => Tok::Or,
                "NOT" => Tok::Not,
                _ => Tok::Word(word),
            };
            out.push((tok, column));
        }
    }
    Ok(out)
}

/// Deepest nesting of parentheses and NOTs a query may have. The parser and everything that
/// walks an [`Expr`] recurse once per level: 8,000 `(` overflowed the stack and killed the
/// process (a `lawdex serve` worker has less stack still). Real queries nest two or three.
pub const MAX_NESTING: usize = 32;

struct Parser {
    toks: Vec<(Tok, usize)>,
    pos: usize,
    /// Column just past the end of the query, for errors at the end.
    end: usize,
    /// Parentheses and NOTs open around the current token.
    depth: usize,
}

impl Parser {
    fn peek(&self) -> Option<&Tok> {
        self.toks.get(self.pos).map(|(t, _)| t)
    }

    fn column(&self) -> usize {
        self.toks.get(self.pos).map(|(_, c)| *c).unwrap_or(self.end)
    }

    /// One level deeper, refused past [`MAX_NESTING`]; the caller leaves with `depth -= 1`.
    fn enter(&mut self, column: usize) -> Result<(), QueryError> {
        if self.depth == MAX_NESTING {
            return Err(QueryError::new(
                format!("parentheses and NOTs nested more than {MAX_NESTING} deep"),
                column,
            ));
        }
        self.depth += 1;
        Ok(())
    }

    fn or_expr(&mut self) -> Result<Expr, QueryError> {
        let mut items = vec![self.and_expr()?];
        while let Some(Tok::Or) = self.peek() {
            let column = self.column();
            self.pos += 1;
            if self.starts_operand() {
                items.push(self.and_expr()?);
            } else {
                return Err(QueryError::new("OR needs a term on its right", column));
            }
        }
        Ok(if items.len() == 1 {
            items.pop().unwrap_or(Expr::Or(Vec::new()))
        } else {
            Expr::Or(items)
        })
    }

    fn starts_operand(&self) -> bool {
        matches!(
            self.peek(),
            Some(Tok::Word(_) | Tok::Phrase(_) | Tok::Open | Tok::Not | Tok::Plus | Tok::Minus)
        )
    }

    fn and_expr(&mut self) -> Result<Expr, QueryError> {
        let mut items = vec![self.unary()?];
        let mut implicit = true;
        loop {
            match self.peek() {
                Some(Tok::And) => {
                    let column = self.column();
                    self.pos += 1;
                    implicit = false;
                    if !self.starts_operand() {
                        return Err(QueryError::new("AND needs a term on its right", column));
                    }
                    items.push(self.unary()?);
                }
                _ if self.starts_operand() => items.push(self.unary()?),
                _ => break,
            }
        }
        Ok(if items.len() == 1 {
            items.pop().unwrap_or(Expr::Or(Vec::new()))
        } else {
            Expr::And { items, implicit }
        })
    }

    fn unary(&mut self) -> Result<Expr, QueryError> {
        let column = self.column();
        match self.peek().cloned() {
            Some(Tok::Not) => {
                self.pos += 1;
                if !self.starts_operand() {
                    return Err(QueryError::new("NOT needs a term after it", column));
                }
                self.enter(column)?;
                let inner = self.unary()?;
                self.depth -= 1;
                Ok(Expr::Not(Box::new(inner)))
            }
            Some(Tok::Minus) => {
                self.pos += 1;
                Ok(Expr::Not(Box::new(self.primary()?)))
            }
            Some(Tok::Plus) => {
                self.pos += 1;
                Ok(Expr::Required(Box::new(self.primary()?)))
            }
            _ => self.primary(),
        }
    }

    fn primary(&mut self) -> Result<Expr, QueryError> {
        let column = self.column();
        match self.peek().cloned() {
            Some(Tok::Word(w)) => {
                self.pos += 1;
                Ok(Expr::Word(w))
            }
            Some(Tok::Phrase(p)) => {
                self.pos += 1;
                Ok(Expr::Phrase(p))
            }
            Some(Tok::Open) => {
                self.pos += 1;
                if let Some(Tok::Close) = self.peek() {
                    return Err(QueryError::new("empty parentheses", column));
                }
                self.enter(column)?;
                let inner = self.or_expr()?;
                self.depth -= 1;
                match self.peek() {
                    Some(Tok::Close) => {
                        self.pos += 1;
                        Ok(inner)
                    }
                    Some(t) => Err(QueryError::new(
                        format!("expected ')' before {t}"),
                        self.column(),
                    )),
                    None => Err(QueryError::new("unbalanced parenthesis", column)),
                }
            }
            Some(Tok::Close) => Err(QueryError::new("unbalanced parenthesis", column)),
            Some(t @ (Tok::And | Tok::Or)) => Err(QueryError::new(
                format!("{t} needs a term on its left"),
                column,
            )),
            Some(t) => Err(QueryError::new(format!("unexpected {t}"), column)),
            None => Err(QueryError::new("expected a term", column)),
        }
    }
}

/// Parses a query. An empty query, or one that only excludes, is an error.
pub fn parse(text: &str) -> Result<Expr, QueryError> {
    let toks = lex(text)?;
    let end = text.chars().count() + 1;
    if toks.is_empty() {
        return Err(QueryError::new("empty query", 1));
    }
    let mut p = Parser {
        toks,
        pos: 0,
        end,
        depth: 0,
    };
    let expr = p.or_expr()?;
    if p.pos < p.toks.len() {
        let column = p.column();
        return Err(match p.peek() {
            Some(Tok::Close) => QueryError::new("unbalanced parenthesis", column),
            Some(t) => QueryError::new(format!("unexpected {t}"), column),
            None => QueryError::new("unexpected end", column),
        });
    }
    if !has_positive(&expr) {
        return Err(QueryError::new(
            "nothing to search for: the query only excludes (add a term without NOT or -)",
            1,
        ));
    }
    Ok(expr)
}

/// True when the expression can match something on its own (is not only exclusions).
fn has_positive(e: &Expr) -> bool {
    match e {
        Expr::Word(_) | Expr::Phrase(_) => true,
        Expr::Required(inner) => has_positive(inner),
        Expr::Not(_) => false,
        Expr::And { items, .. } => items.iter().any(has_positive),
        Expr::Or(items) => items.iter().all(has_positive),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn w(s: &str) -> Expr {
        Expr::Word(s.to_string())
    }

    fn err(q: &str) -> String {
        parse(q).unwrap_err().to_string()
    }

    #[test]
    fn implicit_and_binds_tighter_than_or() {
        assert_eq!(
            parse("公共图书馆 免费 OR 无偿").unwrap(),
            Expr::Or(vec![
                Expr::And {
                    items: vec![w("公共图书馆"), w("免费")],
                    implicit: true
                },
                w("无偿"),
            ])
        );
    }

    #[test]
    fn operators_signs_phrases_and_groups() {
        assert_eq!(
            parse("library AND (free OR \"no charge\") -museum +open").unwrap(),
            Expr::And {
                items: vec![
                    w("library"),
                    Expr::Or(vec![w("free"), Expr::Phrase("no charge".into())]),
                    Expr::Not(Box::new(w("museum"))),
                    Expr::Required(Box::new(w("open"))),
                ],
                implicit: false
            }
        );
        assert_eq!(
            parse("NOT 博物馆 图书馆").unwrap(),
            Expr::And {
                items: vec![Expr::Not(Box::new(w("博物馆"))), w("图书馆")],
                implicit: true
            }
        );
        // Full-width brackets and quotes, as Chinese keyboards type them.
        assert_eq!(
            parse("（图书馆 OR 文化馆）“免费开放”").unwrap(),
            Expr::And {
                items: vec![
                    Expr::Or(vec![w("图书馆"), w("文化馆")]),
                    Expr::Phrase("免费开放".into())
                ],
                implicit: true
            }
        );
    }

    #[test]
    fn hyphens_inside_words_are_not_operators() {
        assert_eq!(parse("covid-19").unwrap(), w("covid-19"));
        assert_eq!(
            parse("and or not").unwrap(),
            Expr::And {
                items: vec![w("and"), w("or"), w("not")],
                implicit: true
            }
        );
    }

    #[test]
    fn errors_point_at_the_problem() {
        assert_eq!(err("图书馆 \"免费 开放"), "unbalanced quote at column 5");
        assert_eq!(
            err("(图书馆 OR 文化馆"),
            "unbalanced parenthesis at column 1"
        );
        assert_eq!(err("图书馆)"), "unbalanced parenthesis at column 4");
        assert_eq!(
            err("图书馆 AND"),
            "AND needs a term on its right at column 5"
        );
        assert_eq!(err("OR 图书馆"), "OR needs a term on its left at column 1");
        assert_eq!(err("NOT"), "NOT needs a term after it at column 1");
        assert_eq!(err("  "), "empty query at column 1");
        assert_eq!(err("a \"\" b"), "empty phrase at column 3");
        assert_eq!(err("()"), "empty parentheses at column 1");
        assert!(err("-博物馆").contains("only excludes"));
        assert_eq!(err("“免费"), "unbalanced quote at column 1");
    }

    /// Found by fuzzing (fuzz/ `query`): 8,000 `(` recursed once each and overflowed the
    /// stack, a segfault no catch_unwind sees. Nesting is capped, so the walk is bounded.
    #[test]
    fn deep_nesting_is_an_error_not_a_stack_overflow() {
        let nested = |n: usize| format!("{}图书馆{}", "(".repeat(n), ")".repeat(n));
        assert_eq!(parse(&nested(MAX_NESTING)), Ok(w("图书馆")));
        assert_eq!(
            err(&nested(MAX_NESTING + 1)),
            format!(
                "parentheses and NOTs nested more than {MAX_NESTING} deep at column {}",
                MAX_NESTING + 1
            )
        );
        assert!(err(&"(".repeat(8_000)).contains("nested more than"));
        assert!(err(&format!("{}a", "NOT ".repeat(8_000))).contains("nested more than"));
        assert!(err(&format!("a {}b", "-(".repeat(8_000))).contains("nested more than"));
    }
}
