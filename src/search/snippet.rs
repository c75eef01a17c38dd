//! Snippets: a window of a clause's text around the matched words, with the matches marked.
//!
//! Matching happens on the folded text (Simplified, half-width) and is mapped back to the
//! original, so a query 图书馆 highlights 圖書館 in a Taiwan text, and a window never starts or
//! ends inside a character. Rendering escapes for the target: HTML entities for HTML, control and
//! bidi characters removed for terminals.

use std::collections::HashMap;

use serde::Serialize;

use crate::index::analysis::{self, Script};

/// What to highlight: the query's words after analysis.
#[derive(Debug, Clone, Default)]
pub struct Highlighter {
    /// Folded CJK strings, found as substrings.
    cjk: Vec<String>,
    /// Index terms of alphabetic words (lowercased, stemmed), found word by word.
    words: HashMap<String, usize>,
    /// Sequences of index terms of alphabetic words ("free of charge"), found in order.
    phrases: Vec<Vec<String>>,
}

/// A match: byte range in the original text, and which query word it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Match {
    start: usize,
    end: usize,
    term: usize,
}

/// A piece of snippet text, highlighted or not.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Fragment {
    pub text: String,
    pub highlighted: bool,
}

/// A window of one paragraph of a clause, with the query's matches marked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Default)]
pub struct Snippet {
    pub fragments: Vec<Fragment>,
    /// The window starts after the paragraph's start.
    pub cut_start: bool,
    /// The window ends before the paragraph's end.
    pub cut_end: bool,
    /// 1-based paragraph the window is taken from.
    pub paragraph: usize,
    /// The paragraph holding every match, when the clause has several paragraphs and all
    /// matches are in one of them: the hit can be cited at paragraph level (第三十三条第二款).
    pub cited_paragraph: Option<usize>,
}

impl Highlighter {
    /// Adds a CJK word (any form: it is folded here).
    pub fn add_cjk(&mut self, text: &str) {
        let folded = analysis::normalize(text).text;
        if !folded.is_empty() && !self.cjk.contains(&folded) {
            self.cjk.push(folded);
        }
    }

    /// Adds an alphabetic word's index term (as [`analysis::word_term`] makes it).
    pub fn add_word_term(&mut self, term: &str) {
        let next = self.words.len();
        self.words.entry(term.to_string()).or_insert(next);
    }

    /// Adds every word of a text: CJK runs as substrings, other words as terms.
    pub fn add_text(&mut self, text: &str) {
        let norm = analysis::normalize(text);
        let mut term = String::new();
        for run in analysis::runs(&norm.text) {
            let slice = &norm.text[run.start..run.end];
            if run.script.is_cjk() {
                self.add_cjk(slice);
            } else {
                analysis::word_term(slice, &mut term);
                self.add_word_term(&term);
            }
        }
    }

    /// Adds a word or phrase as one thing to find: CJK text as a substring, one alphabetic
    /// word as a term, several alphabetic words as those terms in order (so a synonym "free
    /// of charge" marks that phrase, not every "of").
    pub fn add_phrase(&mut self, text: &str) {
        let norm = analysis::normalize(text);
        let runs = analysis::runs(&norm.text);
        if runs.len() < 2 || runs.iter().any(|r| r.script != Script::Word) {
            self.add_text(text);
            return;
        }
        let mut term = String::new();
        let terms: Vec<String> = runs
            .iter()
            .map(|r| {
                analysis::word_term(&norm.text[r.start..r.end], &mut term);
                term.clone()
            })
            .collect();
        if !self.phrases.contains(&terms) {
            self.phrases.push(terms);
        }
    }

    pub fn is_empty(&self) -> bool {
        self.cjk.is_empty() && self.words.is_empty() && self.phrases.is_empty()
    }

    /// Matches in `text`, sorted, as original byte ranges.
    fn matches(&self, text: &str) -> Vec<Match> {
        let norm = analysis::normalize(text);
        let mut out = Vec::new();
        for (term, needle) in self.cjk.iter().enumerate() {
            for (at, m) in norm.text.match_indices(needle.as_str()) {
                out.push(Match {
                    start: norm.original_offset(at),
                    end: norm.original_offset(at + m.len()),
                    term,
                });
            }
        }
        if !self.words.is_empty() || !self.phrases.is_empty() {
            // (start, end, term) of every alphabetic word, in order.
            let mut text_words: Vec<(usize, usize, String)> = Vec::new();
            let mut term = String::new();
            for run in analysis::runs(&norm.text) {
                if run.script != Script::Word {
                    continue;
                }
                analysis::word_term(&norm.text[run.start..run.end], &mut term);
                // `lib*` is kept as the key "lib*": any word starting so matches it.
                let found = self.words.get(&term).copied().or_else(|| {
                    let lower = norm.text[run.start..run.end].to_lowercase();
                    self.words.iter().find_map(|(k, &id)| {
                        k.strip_suffix('*')
                            .filter(|p| lower.starts_with(p))
                            .map(|_| id)
                    })
                });
                if let Some(id) = found {
                    out.push(Match {
                        start: norm.original_offset(run.start),
                        end: norm.original_offset(run.end),
                        term: self.cjk.len() + id,
                    });
                }
                if !self.phrases.is_empty() {
                    text_words.push((run.start, run.end, term.clone()));
                }
            }
            let first_phrase = self.cjk.len() + self.words.len();
            for (p, phrase) in self.phrases.iter().enumerate() {
                for at in text_words.windows(phrase.len()) {
                    if at.iter().zip(phrase).all(|(w, t)| w.2 == *t) {
                        if let (Some(first), Some(last)) = (at.first(), at.last()) {
                            out.push(Match {
                                start: norm.original_offset(first.0),
                                end: norm.original_offset(last.1),
                                term: first_phrase + p,
                            });
                        }
                    }
                }
            }
        }
        out.sort_by_key(|m| (m.start, std::cmp::Reverse(m.end)));
        out
    }

    /// The best window of at most `width` display columns (a CJK character counts two) of
    /// the paragraph with the most distinct matched words.
    pub fn snippet(&self, paragraphs: &[String], width: usize) -> Snippet {
        let per: Vec<Vec<Match>> = paragraphs.iter().map(|p| self.matches(p)).collect();
        // The one paragraph holding every word the clause matches is the one cited: 第三十三条
        // 第二款 for 图书馆 免费 though the first paragraph also names 图书馆. Where two hold them
        // all, or none does, the article is cited.
        let terms: Vec<Vec<usize>> = per
            .iter()
            .map(|ms| {
                let mut t: Vec<usize> = ms.iter().map(|m| m.term).collect();
                t.sort_unstable();
                t.dedup();
                t
            })
            .collect();
        let mut every: Vec<usize> = terms.iter().flatten().copied().collect();
        every.sort_unstable();
        every.dedup();
        let holding: Vec<usize> = (0..per.len())
            .filter(|&i| !every.is_empty() && terms[i] == every)
            .collect();
        let cited_paragraph = match holding.as_slice() {
            [only] if paragraphs.len() > 1 => Some(only + 1),
            _ => None,
        };
        let best = (0..per.len())
            .max_by_key(|&i| (terms[i].len(), per[i].len(), std::cmp::Reverse(i)))
            .unwrap_or(0);
        let Some(text) = paragraphs.get(best) else {
            return Snippet::default();
        };
        let mut snippet = window(text, per.get(best).map(Vec::as_slice).unwrap_or(&[]), width);
        snippet.paragraph = best + 1;
        snippet.cited_paragraph = cited_paragraph;
        snippet
    }
}

/// Columns a terminal gives `c`: wide CJK and full-width forms take two. A line break or tab
/// has no width of its own but is shown as a space.
fn display_width(c: char) -> usize {
    unicode_width::UnicodeWidthChar::width(c).unwrap_or(1)
}

/// Cuts a window around the matches of one paragraph and splits it into fragments.
fn window(text: &str, matches: &[Match], width: usize) -> Snippet {
    // Character boundaries and the display column at each.
    let bounds: Vec<usize> = text
        .char_indices()
        .map(|(i, _)| i)
        .chain(std::iter::once(text.len()))
        .collect();
    let mut cols = Vec::with_capacity(bounds.len());
    let mut col = 0;
    cols.push(0);
    for c in text.chars() {
        col += display_width(c);
        cols.push(col);
    }
    let char_at = |byte: usize| bounds.partition_point(|&b| b < byte);
    let total = col;
    let (from, to) = if total <= width {
        (0, bounds.len() - 1)
    } else {
        // Candidate windows start a quarter-width before each match; keep the one holding the
        // most distinct words, then the earliest.
        let span = |start_char: usize| {
            let start_col = cols[start_char];
            let end = cols.partition_point(|&c| c <= start_col + width) - 1;
            (start_char, end.max(start_char))
        };
        let mut best = span(0);
        let mut best_terms = 0;
        for m in matches {
            let anchor = char_at(m.start);
            let lead_col = cols[anchor].saturating_sub(width / 4);
            let start = cols.partition_point(|&c| c < lead_col).min(anchor);
            let (s, e) = span(start);
            let mut terms: Vec<usize> = matches
                .iter()
                .filter(|x| char_at(x.start) >= s && char_at(x.end) <= e)
                .map(|x| x.term)
                .collect();
            terms.sort_unstable();
            terms.dedup();
            if terms.len() > best_terms {
                best_terms = terms.len();
                best = (s, e);
            }
        }
        best
    };
    let (from_byte, to_byte) = (bounds[from], bounds[to]);
    // Merge overlapping matches, clipped to the window.
    let mut ranges: Vec<(usize, usize)> = Vec::new();
    for m in matches {
        let (s, e) = (m.start.max(from_byte), m.end.min(to_byte));
        if s >= e {
            continue;
        }
        // Words of a phrase separated only by spaces read better as one mark.
        let joins = |last: &(usize, usize)| {
            s <= last.1 || text.get(last.1..s).is_some_and(|gap| gap.trim().is_empty())
        };
        match ranges.last_mut() {
            Some(last) if joins(last) => last.1 = last.1.max(e),
            _ => ranges.push((s, e)),
        }
    }
    let mut fragments = Vec::new();
    let mut at = from_byte;
    let mut push = |s: usize, e: usize, highlighted: bool| {
        if let Some(t) = text.get(s..e) {
            if !t.is_empty() {
                fragments.push(Fragment {
                    text: t.to_string(),
                    highlighted,
                });
            }
        }
    };
    for (s, e) in ranges {
        push(at, s, false);
        push(s, e, true);
        at = e;
    }
    push(at, to_byte, false);
    Snippet {
        fragments,
        cut_start: from > 0,
        cut_end: to < bounds.len() - 1,
        paragraph: 1,
        cited_paragraph: None,
    }
}

/// Removes what a terminal would interpret: control characters (escape sequences) and bidi
/// overrides (text that displays differently from what it is). Line breaks become spaces.
pub fn terminal_safe(s: &str) -> String {
    s.chars()
        .filter_map(|c| match c {
            '\n' | '\r' | '\t' => Some(' '),
            c if c.is_control() => None,
            c if crate::grammar::is_bidi_control(c) => None,
            c => Some(c),
        })
        .collect()
}

/// Escapes text for HTML element content and attribute values.
pub fn html_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

impl Snippet {
    fn render(&self, text: impl Fn(&str) -> String, mark: impl Fn(&str) -> String) -> String {
        let mut out = String::new();
        if self.cut_start {
            out.push('…');
        }
        for f in &self.fragments {
            if f.highlighted {
                out.push_str(&mark(&f.text));
            } else {
                out.push_str(&text(&f.text));
            }
        }
        if self.cut_end {
            out.push('…');
        }
        out
    }

    /// The snippet text without marks (line breaks as spaces).
    pub fn plain(&self) -> String {
        let flat = |s: &str| s.replace(['\n', '\r'], " ");
        self.render(flat, flat)
    }

    /// Character ranges (start, end) of the highlighted words in [`Snippet::plain`].
    pub fn highlights(&self) -> Vec<(usize, usize)> {
        let mut out = Vec::new();
        let mut at = usize::from(self.cut_start);
        for f in &self.fragments {
            let n = f.text.chars().count();
            if f.highlighted {
                out.push((at, at + n));
            }
            at += n;
        }
        out
    }

    /// HTML: text escaped, matches in `<mark>`.
    pub fn html(&self) -> String {
        self.render(html_escape, |s| format!("<mark>{}</mark>", html_escape(s)))
    }

    /// For a terminal: control characters removed; matches in bold red when `color`, else in
    /// `[` `]`.
    pub fn terminal(&self, color: bool) -> String {
        if color {
            self.render(terminal_safe, |s| {
                format!("\x1b[1;31m{}\x1b[0m", terminal_safe(s))
            })
        } else {
            self.render(terminal_safe, |s| format!("[{}]", terminal_safe(s)))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn paras(ps: &[&str]) -> Vec<String> {
        ps.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn highlights_traditional_text_for_a_simplified_query() {
        let mut h = Highlighter::default();
        h.add_text("图书馆 免费");
        let s = h.snippet(&paras(&["公共圖書館應當免費向社會公眾開放。"]), 200);
        assert_eq!(s.terminal(false), "公共[圖書館]應當[免費]向社會公眾開放。");
        assert_eq!(s.highlights(), vec![(2, 5), (7, 9)]);
    }

    #[test]
    fn cites_the_one_paragraph_holding_the_matches() {
        let mut h = Highlighter::default();
        h.add_text("古籍");
        let s = h.snippet(
            &paras(&["公共图书馆应当开放。", "公共图书馆应当加强古籍保护。"]),
            200,
        );
        assert_eq!(s.cited_paragraph, Some(2));
        assert_eq!(s.paragraph, 2);
        let s = h.snippet(&paras(&["古籍一。", "古籍二。"]), 200);
        assert_eq!(s.cited_paragraph, None);
    }

    #[test]
    fn cites_the_one_paragraph_holding_every_word_though_another_holds_some() {
        let mut h = Highlighter::default();
        h.add_text("图书馆 免费");
        let law = paras(&[
            "公共图书馆应当根据自身功能提供服务。",
            "公共图书馆应当免费向社会公众提供下列服务。",
        ]);
        let s = h.snippet(&law, 200);
        assert_eq!(s.cited_paragraph, Some(2));
        assert_eq!(s.paragraph, 2);
        // Each paragraph holds one word: the article is cited.
        let split = paras(&["公共图书馆应当开放。", "服务应当免费。"]);
        assert_eq!(h.snippet(&split, 200).cited_paragraph, None);
        // Two paragraphs hold every word: the article is cited.
        let both = paras(&["图书馆免费借阅。", "图书馆免费阅览。"]);
        assert_eq!(h.snippet(&both, 200).cited_paragraph, None);
    }

    #[test]
    fn windows_never_cut_inside_a_character_and_show_the_match() {
        let long = format!("{}免费{}", "甲".repeat(200), "乙".repeat(200));
        let mut h = Highlighter::default();
        h.add_text("免费");
        let s = h.snippet(&paras(&[&long]), 40);
        assert!(s.cut_start && s.cut_end);
        let plain = s.plain();
        assert!(plain.contains("免费"), "{plain}");
        assert!(plain.chars().count() <= 22, "{plain}");
        assert_eq!(s.fragments.iter().filter(|f| f.highlighted).count(), 1);
    }

    #[test]
    fn english_words_match_by_stem_and_escape_for_html() {
        let mut h = Highlighter::default();
        h.add_text("disabled");
        let s = h.snippet(
            &paras(&["Services for <individuals> with Disabilities & \"others\"."]),
            200,
        );
        assert_eq!(
            s.html(),
            "Services for &lt;individuals&gt; with <mark>Disabilities</mark> &amp; &quot;others&quot;."
        );
    }

    #[test]
    fn terminal_output_drops_escape_sequences_and_bidi_overrides() {
        let mut h = Highlighter::default();
        h.add_text("library");
        let s = h.snippet(&paras(&["\x1b[2J library\u{202E} evil\nnext"]), 200);
        let t = s.terminal(true);
        assert_eq!(t, "[2J \x1b[1;31mlibrary\x1b[0m evil next");
        assert!(!s.terminal(false).contains('\x1b'));
    }
}
