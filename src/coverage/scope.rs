//! Scope: whether a document regulates the taxonomy's subject at all, decided before any
//! obligation is judged. A law that never names a library does not "fail libraries on every
//! count"; it is simply not about them, and every cell says `not-applicable`.

use crate::model::count;
use serde::Serialize;

/// How much of a document is about the taxonomy's subject.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Scope {
    /// It never names the subject's bodies: every obligation is `not-applicable`.
    None,
    /// It imposes duties on the subject's bodies among others (a reading-promotion regulation,
    /// the criminal law's article on state libraries selling relics).
    Partial,
    /// It is about the subject throughout (a library law), or the taxonomy has no subject.
    Primary,
}

impl Scope {
    pub fn name(self) -> &'static str {
        match self {
            Scope::None => "none",
            Scope::Partial => "partial",
            Scope::Primary => "primary",
        }
    }
}

/// What the scope decision reads: how the title and the clauses name the subject.
#[derive(Debug, Clone, Copy, Default)]
pub struct SubjectCounts {
    /// The title names a subject term (图书馆条例).
    pub title_names: bool,
    /// The title names a broader body that includes the subject (公共文化服务保障条例): said in
    /// the reason, but alone it does not bring a document into scope.
    pub title_includes: bool,
    /// Clauses naming a subject term (text, caption or headings) as a body the document
    /// regulates: not only as the place of a rule of conduct for visitors.
    pub clauses_naming: usize,
    /// Clauses naming the subject only as a place where others are bound (公民…在图书馆内应当
    /// 遵守秩序, 学校应当在通往…图书馆…等场所的道路上设置标识), as a body the text says it does
    /// not apply to (…不适用本条例), or as what others are encouraged to found or give to, or an
    /// authority builds among other facilities.
    pub unregulated_mentions: usize,
    /// Clauses naming the subject or a broader body that counts in this document.
    pub clauses_on_subject: usize,
    pub clauses: usize,
}

/// Share of clauses naming the subject above which a document is about it throughout even when
/// its title does not say so. High on purpose: a reading-promotion regulation names 公共图书馆
/// and 农家书屋 in half its articles and still regulates libraries among other bodies.
const PRIMARY_SHARE: f64 = 0.8;

/// The scope of a document, with the reason a reader can check.
pub fn decide(c: &SubjectCounts) -> (Scope, String) {
    if c.title_names {
        return (Scope::Primary, "its title names the subject".into());
    }
    let share = if c.clauses == 0 {
        0.0
    } else {
        c.clauses_naming as f64 / c.clauses as f64
    };
    if c.clauses >= 3 && share >= PRIMARY_SHARE {
        return (Scope::Primary, format!("{} the subject", naming(c)));
    }
    if c.clauses_naming > 0 {
        let why = format!(
            "{} the subject, {} {} it",
            naming(c),
            c.clauses_on_subject,
            if c.clauses_on_subject == 1 {
                "concerns"
            } else {
                "concern"
            }
        );
        return (Scope::Partial, why);
    }
    // A broader body in the title (社区公共文化服务规定) reaches libraries only through a
    // definition that names them, and this text names none.
    let why = match (c.title_includes, c.unregulated_mentions) {
        (_, n) if n > 0 => format!(
            "it names the subject's bodies only as places where others are bound, as bodies it \
             does not apply to, or as what others found, build or give to ({})",
            count(n, "clause", "clauses")
        ),
        (true, _) => "its title names a broader body, but it never names the subject's bodies \
                      or defines that body to include them"
            .into(),
        _ => "it never names the subject's bodies (title, clauses, headings)".into(),
    };
    (Scope::None, why)
}

/// "3 of its 40 clauses name", "1 of its 40 clauses names", "its only clause names".
fn naming(c: &SubjectCounts) -> String {
    match (c.clauses, c.clauses_naming) {
        (1, 1) => "its only clause names".to_string(),
        (n, k) => format!(
            "{k} of its {} {}",
            count(n, "clause", "clauses"),
            if k == 1 { "names" } else { "name" }
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn title_share_and_mentions_decide() {
        let title = SubjectCounts {
            title_names: true,
            clauses: 40,
            ..Default::default()
        };
        assert_eq!(decide(&title).0, Scope::Primary);
        let most = SubjectCounts {
            clauses_naming: 17,
            clauses_on_subject: 17,
            clauses: 20,
            ..Default::default()
        };
        assert_eq!(decide(&most).0, Scope::Primary);
        let half = SubjectCounts {
            clauses_naming: 12,
            clauses_on_subject: 14,
            clauses: 24,
            ..Default::default()
        };
        assert_eq!(decide(&half).0, Scope::Partial, "a reading regulation");
        let one = SubjectCounts {
            clauses_naming: 1,
            clauses_on_subject: 1,
            clauses: 452,
            ..Default::default()
        };
        assert_eq!(decide(&one).0, Scope::Partial);
        let never = SubjectCounts {
            clauses: 50,
            ..Default::default()
        };
        let (scope, why) = decide(&never);
        assert_eq!(scope, Scope::None);
        assert!(why.contains("never names"), "{why}");
    }

    #[test]
    fn a_broader_body_in_the_title_or_a_place_of_visitors_is_not_enough() {
        let title = SubjectCounts {
            title_includes: true,
            clauses: 30,
            ..Default::default()
        };
        let (scope, why) = decide(&title);
        assert_eq!(scope, Scope::None);
        assert!(why.contains("broader body"), "{why}");
        let visitors = SubjectCounts {
            unregulated_mentions: 1,
            clauses: 30,
            ..Default::default()
        };
        let (scope, why) = decide(&visitors);
        assert_eq!(scope, Scope::None);
        assert!(why.contains("others are bound"), "{why}");
    }
}
