//! Taxonomies: a TOML file of obligations, each with the cues that find clauses addressing it.
//!
//! One obligation is one `[[obligation]]` table, like a lint rule: its id is stable, its cues
//! and exclusions live beside it, and nothing about it is hard-coded elsewhere. A user writes a
//! taxonomy for another domain in the same format.
//!
//! ```toml
//! [taxonomy]
//! id = "library-social-responsibility"
//! title = { zh = "图书馆的社会责任", en = "The social responsibilities of libraries" }
//! basis = "Seed paper, section 3.1.1"
//! languages = ["zh-Hans", "zh-Hant", "en"]   # documents in other languages are `unknown`
//!
//! [subject]                      # optional: what a clause must be about
//! terms = ["图书馆", "librar*"]
//! includes = ["公共文化设施"]      # optional: broader bodies that include the subject's
//! general = ["违反本条例", "总则"]   # optional: marks of a general provision
//! addressees = ["任何组织和个人"]  # optional: everyone it binds (the subject among them)
//! dereliction = ["玩忽职守"]      # optional: officials' dereliction in the document's work
//! authorities = ["人民政府"]      # optional: the governments and departments that enforce it
//! visitors = ["公民", "游客"]     # optional: the public as the actor of a rule of conduct
//! exempt = ["不适用本条例"]       # optional: a sentence taking the subject out of the text's reach
//! exempt_items = ["免征"]        # optional: a list lead-in exempting its items from a tax
//! fields = ["公共文化", "阅读"]   # optional: title words of fields whose work the subject does
//!
//! [[obligation]]
//! id = "free-basic-services"     # lowercase letters, digits and '-'
//! title = { zh = "基本服务免费", en = "Basic services are free of charge" }
//! description = "Basic services are free of charge."
//! basis = "§2.2"
//! min_score = 1.0                # optional: score a clause needs to count (default 1.0)
//! subject = true                 # optional: apply [subject] (default: true when it exists)
//! general = true                 # optional: general provisions of partial documents count
//! authority = true               # optional: ...and so does a sentence addressed to an authority
//! field = true                   # optional: ...but only in a document of the subject's `fields`
//! public = true                  # optional: ...and so does a sentence giving the public a say
//!
//! [[obligation.cue]]
//! terms = ["免费", "免費"]
//! near = ["开放", "服务", "借阅"]  # optional: one of these must be in the same sentence
//! window = 10                    # optional: ...within this many characters instead
//! near_scope = "phrase"          # optional: ...or between the same commas (default "sentence")
//! lang = "ja"                    # optional: only for documents in this language
//! unless = ["收费标准"]           # optional: none of these may be in the same sentence
//! weight = 1.0                   # optional: what one matched term adds to the score
//!
//! [[obligation.exclude]]
//! terms = ["免费午餐"]            # a cue inside one of these phrases does not count
//! scope = "phrase"               # or "sentence": no cue counts in a sentence holding one
//! ```
//!
//! Terms are literal text. ASCII letters match in any case; a term that starts (ends) with an
//! ASCII letter or digit only matches at a word boundary there, and a trailing `*` makes it a
//! prefix (`librar*` finds library and libraries). Chinese terms match anywhere; terms and
//! texts are both folded to Simplified with the search analysis' folding
//! ([`crate::index::analysis::normalize`]), so a term is written once for both scripts.
//!
//! Scope, per document: `primary` when its title names a subject term or most of its clauses
//! do; `partial` when some clause names one (not only as the place of a rule binding
//! `visitors`); `none` otherwise (an `includes` body alone is not enough), which
//! makes every obligation `not-applicable`. In a `partial` document a clause counts when its
//! text, caption or headings name the subject, or, for `general` obligations, when it is a
//! general provision of the whole document: a sentence naming the instrument or everyone it
//! binds, or a clause of a division headed as general (unless that heading covers most of the
//! document, as when a text lost its later chapter headings). For `authority` obligations (the
//! duty is the authority's own act: funding, oversight, staff training), a sentence addressed
//! to an enforcing authority counts as well; such evidence ranks after provisions framed for
//! the whole instrument.

use std::collections::{BTreeMap, HashSet};
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::grammar::{is_han, is_hangul, is_kana};

/// Why a taxonomy could not be loaded. Every message names the file, and the obligation
/// where one is at fault.
#[derive(Debug, thiserror::Error)]
pub enum TaxonomyError {
    #[error("{file}: cannot read the taxonomy")]
    Io {
        file: String,
        #[source]
        source: std::io::Error,
    },
    #[error("{file}: not a valid taxonomy: {message}")]
    Syntax { file: String, message: String },
    #[error("{file}: {message}")]
    Invalid { file: String, message: String },
    #[error("{file}: obligation `{obligation}`: {message}")]
    Obligation {
        file: String,
        obligation: String,
        message: String,
    },
}

/// A loaded and validated taxonomy.
#[derive(Debug, Clone, Serialize)]
pub struct Taxonomy {
    pub id: String,
    /// Titles by language (`zh`, `en`, …).
    pub title: BTreeMap<String, String>,
    pub description: String,
    /// The paper, statute or standard the obligations come from.
    pub basis: String,
    /// BCP 47 tags the cues are written for; empty means every document is checked.
    pub languages: Vec<String>,
    pub subject: Option<Subject>,
    pub obligations: Vec<Obligation>,
    /// Non-fatal findings (an obligation without cues in one of the declared languages).
    #[serde(skip)]
    pub warnings: Vec<String>,
    /// The file it was read from, or `<built-in>`.
    #[serde(skip)]
    pub origin: String,
}

/// What a clause must be about for its cues to count, and how a document's scope is decided.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Subject {
    /// Names of the subject's own bodies (图书馆, library): a document whose title holds one
    /// is about the subject throughout.
    pub terms: Vec<String>,
    /// Broader bodies that include the subject's (公共文化设施, whose definitions list
    /// 图书馆): a clause naming one is about the subject when the document names a subject
    /// term somewhere. A title naming one alone does not bring a document into scope: a
    /// regulation of community cultural centres that never names a library does not say its
    /// facilities include libraries.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub includes: Vec<String>,
    /// Words of a general provision, one that governs every duty a document imposes (违反本条例,
    /// 任何组织和个人; as a heading 总则, 法律责任): in a document that regulates the subject among
    /// other bodies, such a sentence counts for the obligations marked `general = true`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub general: Vec<String>,
    /// Words naming everyone a document binds (任何组织和个人, 单位和个人): the subject's bodies
    /// are among them, so a sentence holding one is a general provision, ranked after one
    /// naming the instrument or standing in a general division.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub addressees: Vec<String>,
    /// Words of officials' dereliction in the work a document governs (玩忽职守, 滥用职权): a
    /// sentence holding one and no mark of `general` sanctions the authorities that carry the
    /// document out, a general provision only for obligations marked `sanction = true`, ranked
    /// last.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub dereliction: Vec<String>,
    /// The governments and departments that enforce a document (人民政府, 主管部门): a sentence
    /// addressed to one is a general provision only for obligations whose duty is the
    /// authority's own act (`authority = true`: its budget, its inspection, its training of
    /// staff). Its complaint procedure for one listing or its sanction of one other actor does
    /// not reach the duties the document puts on the subject.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub authorities: Vec<String>,
    /// The public as the actor of a rule of conduct (公民, 游客): a library named in such a
    /// rule (公民应当遵守下列规定：…在图书馆内遵守秩序) is the place where the visitors are bound,
    /// not a body the document regulates, and does not bring the document into scope.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub visitors: Vec<String>,
    /// Words that take a body out of the document's reach (不适用本条例, "does not apply"): a
    /// library named in such a sentence is one the document says it does not regulate.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub exempt: Vec<String>,
    /// Words of a list's lead-in that exempt its items from a tax or charge (下列项目免征增值税：):
    /// a library named only in such an item, one that binds no one, is not regulated.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub exempt_items: Vec<String>,
    /// Fields whose work the subject's bodies carry out (公共文化, 阅读, 科普): a `partial`
    /// document whose title names one funds, staffs and invites support for the subject's
    /// work when it does so for its own field. Only such documents' general provisions count
    /// for obligations marked `field = true`; funding for fire services or parking does not
    /// fund libraries.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fields: Vec<String>,
}

/// One obligation: a duty, right or principle a document may or may not spell out.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Obligation {
    pub id: String,
    pub title: BTreeMap<String, String>,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub basis: String,
    /// Whether the taxonomy's `[subject]` applies; `None` in the file means yes when it exists.
    #[serde(default)]
    pub subject: Option<bool>,
    #[serde(default = "default_min_score")]
    pub min_score: f32,
    /// Whether a general provision (see [`Subject::general`]) of a document of `partial`
    /// scope counts for it: liability, oversight, funding, complaints, staff training.
    #[serde(default)]
    pub general: bool,
    /// Whether a sentence addressed to an enforcing authority (see [`Subject::authorities`])
    /// is also a general provision for it: the duty is the authority's own act. Implies
    /// `general`.
    #[serde(default)]
    pub authority: bool,
    /// Whether a sentence giving the public (see [`Subject::visitors`]: 公民, 市民) a say is
    /// also a general provision for it: a complaint or report channel open to everyone about
    /// the document's work (公民…可以通过…热线投诉、举报). Implies `general`.
    #[serde(default)]
    pub public: bool,
    /// Whether general provisions count for it only in a document of the subject's field
    /// (see [`Subject::fields`]): the duty gives resources (funds, staff, donors) to the
    /// document's own work. Implies `general`.
    #[serde(default)]
    pub field: bool,
    /// Whether a sentence sanctioning officials' dereliction in the document's work (see
    /// [`Subject::dereliction`]) is also a general provision for it, ranked last: the duty is a
    /// sanction. Implies `general`.
    #[serde(default)]
    pub sanction: bool,
    #[serde(default, rename = "cue")]
    pub cues: Vec<Cue>,
    #[serde(default, rename = "exclude")]
    pub exclusions: Vec<Exclusion>,
}

fn default_min_score() -> f32 {
    1.0
}

fn default_weight() -> f32 {
    1.0
}

impl Obligation {
    /// The title in `lang` (`zh`, `en`), else any title.
    pub fn title_in(&self, lang: &str) -> &str {
        self.title
            .get(lang)
            .or_else(|| self.title.values().next())
            .map(String::as_str)
            .unwrap_or(&self.id)
    }

    /// Whether the taxonomy's subject terms restrict this obligation's clauses.
    pub fn needs_subject(&self) -> bool {
        self.subject.unwrap_or(true)
    }
}

/// Words or phrases that signal an obligation, with the context they need.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Cue {
    pub terms: Vec<String>,
    /// At least one of these must occur in the same sentence (or within `window` characters).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub near: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub window: Option<u32>,
    /// None of these may occur in the same sentence.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub unless: Vec<String>,
    #[serde(default = "default_weight")]
    pub weight: f32,
    /// Only for documents in this language (primary subtag, `ja`): Japanese cues are written
    /// in Han characters that Chinese text also uses (公益 in 公益广告) with another sense.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lang: Option<String>,
    /// How far `near` reaches when no `window` is given: the sentence (default) or the phrase
    /// between commas and semicolons, for cues whose near terms name the object of the duty
    /// (免费 … 开放 in one phrase; 免费停车 for readers is not a free library service).
    #[serde(default)]
    pub near_scope: NearScope,
}

/// The span in which a cue's `near` terms must occur.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum NearScope {
    #[default]
    Sentence,
    Phrase,
}

/// Phrases in which a cue word is about something else.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Exclusion {
    pub terms: Vec<String>,
    #[serde(default)]
    pub scope: ExclusionScope,
}

/// How far an exclusion reaches.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ExclusionScope {
    /// A cue occurrence lying inside the excluded phrase does not count (环境 in 阅读环境).
    #[default]
    Phrase,
    /// No cue of the obligation counts in a sentence holding the term (a definition).
    Sentence,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TaxonomyFile {
    taxonomy: Header,
    subject: Option<Subject>,
    #[serde(default)]
    obligation: Vec<Obligation>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Header {
    id: String,
    #[serde(default)]
    title: BTreeMap<String, String>,
    #[serde(default)]
    description: String,
    #[serde(default)]
    basis: String,
    #[serde(default)]
    languages: Vec<String>,
}

/// The taxonomy shipped with lawdex, compiled into the binary so it works from any directory.
pub const LIBRARY_SOCIAL_RESPONSIBILITY: &str =
    include_str!("../../corpus-manifest/taxonomies/library-social-responsibility.toml");

impl Taxonomy {
    /// The built-in library social-responsibility taxonomy.
    pub fn library_social_responsibility() -> Result<Taxonomy, TaxonomyError> {
        Taxonomy::parse(
            LIBRARY_SOCIAL_RESPONSIBILITY,
            "<built-in library-social-responsibility>",
        )
    }

    /// Reads and validates a taxonomy file.
    pub fn load(path: &Path) -> Result<Taxonomy, TaxonomyError> {
        let file = path.display().to_string();
        let text = std::fs::read_to_string(path).map_err(|source| TaxonomyError::Io {
            file: file.clone(),
            source,
        })?;
        Taxonomy::parse(&text, &file)
    }

    /// Parses and validates taxonomy text; `origin` names it in errors.
    pub fn parse(text: &str, origin: &str) -> Result<Taxonomy, TaxonomyError> {
        let raw: TaxonomyFile = toml::from_str(text).map_err(|e| TaxonomyError::Syntax {
            file: origin.to_string(),
            message: e.to_string().trim_end().replace('\n', " "),
        })?;
        let mut tax = Taxonomy {
            id: raw.taxonomy.id,
            title: raw.taxonomy.title,
            description: raw.taxonomy.description,
            basis: raw.taxonomy.basis,
            languages: raw.taxonomy.languages,
            subject: raw.subject,
            obligations: raw.obligation,
            warnings: Vec::new(),
            origin: origin.to_string(),
        };
        tax.validate()?;
        Ok(tax)
    }

    /// The obligation with this id.
    pub fn obligation(&self, id: &str) -> Option<&Obligation> {
        self.obligations.iter().find(|o| o.id == id)
    }

    fn validate(&mut self) -> Result<(), TaxonomyError> {
        let file = self.origin.clone();
        let invalid = |message: String| TaxonomyError::Invalid {
            file: file.clone(),
            message,
        };
        if !is_id(&self.id) {
            return Err(invalid(format!(
                "taxonomy id `{}` must be lowercase letters, digits and '-'",
                self.id
            )));
        }
        if self.obligations.is_empty() {
            return Err(invalid("no [[obligation]] tables".into()));
        }
        if let Some(subject) = &self.subject {
            if subject.terms.is_empty() {
                return Err(invalid("[subject] has no terms".into()));
            }
            for t in subject
                .terms
                .iter()
                .chain(&subject.includes)
                .chain(&subject.general)
                .chain(&subject.addressees)
                .chain(&subject.dereliction)
                .chain(&subject.authorities)
                .chain(&subject.visitors)
                .chain(&subject.exempt)
                .chain(&subject.exempt_items)
                .chain(&subject.fields)
            {
                check_term(t).map_err(|m| invalid(format!("[subject] term {t:?}: {m}")))?;
            }
        }
        let mut seen = HashSet::new();
        let has_subject = self.subject.is_some();
        let mut warnings = Vec::new();
        for (i, o) in self.obligations.iter_mut().enumerate() {
            let name = if o.id.is_empty() {
                format!("#{}", i + 1)
            } else {
                o.id.clone()
            };
            let bad = |message: String| TaxonomyError::Obligation {
                file: file.clone(),
                obligation: name.clone(),
                message,
            };
            if !is_id(&o.id) {
                return Err(bad("id must be lowercase letters, digits and '-'".into()));
            }
            if !seen.insert(o.id.clone()) {
                return Err(bad("id is used twice".into()));
            }
            if o.title.values().all(|t| t.trim().is_empty()) {
                return Err(bad("needs a title, e.g. title = { en = \"…\" }".into()));
            }
            if !(o.min_score.is_finite() && o.min_score > 0.0) {
                return Err(bad(format!(
                    "min_score must be above 0, not {}",
                    o.min_score
                )));
            }
            if o.subject == Some(true) && !has_subject {
                return Err(bad(
                    "subject = true, but the taxonomy has no [subject]".into()
                ));
            }
            if !has_subject {
                o.subject = Some(false);
            }
            if o.authority || o.field || o.public || o.sanction {
                o.general = true;
            }
            if o.cues.is_empty() {
                return Err(bad("has no [[obligation.cue]]".into()));
            }
            for (c, cue) in o.cues.iter().enumerate() {
                let at = |m: String| bad(format!("cue #{}: {m}", c + 1));
                if cue.terms.is_empty() {
                    return Err(at("has no terms".into()));
                }
                if !(cue.weight.is_finite() && cue.weight > 0.0) {
                    return Err(at(format!("weight must be above 0, not {}", cue.weight)));
                }
                if cue.window.is_some() && cue.near.is_empty() {
                    return Err(at("window without near terms".into()));
                }
                for t in cue.terms.iter().chain(&cue.near).chain(&cue.unless) {
                    check_term(t).map_err(|m| at(format!("term {t:?}: {m}")))?;
                }
            }
            for (e, ex) in o.exclusions.iter().enumerate() {
                if ex.terms.is_empty() {
                    return Err(bad(format!("exclude #{}: has no terms", e + 1)));
                }
                for t in &ex.terms {
                    check_term(t)
                        .map_err(|m| bad(format!("exclude #{}: term {t:?}: {m}", e + 1)))?;
                }
            }
            // Flags that read a [subject] list do nothing without it: say so.
            let list_empty = |list: fn(&Subject) -> &Vec<String>| {
                self.subject.as_ref().is_some_and(|s| list(s).is_empty())
            };
            if o.field && list_empty(|s| &s.fields) {
                warnings.push(format!(
                    "{file}: obligation `{}` has field = true but [subject] has no fields: \
                     no general provision counts for it",
                    o.id
                ));
            }
            if o.public && list_empty(|s| &s.visitors) {
                warnings.push(format!(
                    "{file}: obligation `{}` has public = true but [subject] has no visitors: \
                     the flag has no effect",
                    o.id
                ));
            }
            for lang in &self.languages {
                let covered = o
                    .cues
                    .iter()
                    .flat_map(|c| &c.terms)
                    .any(|t| term_fits_language(t, lang));
                if !covered {
                    warnings.push(format!(
                        "{file}: obligation `{}` has no cue written in {lang}",
                        o.id
                    ));
                }
            }
        }
        self.warnings = warnings;
        Ok(())
    }

    /// Whether documents in `language` can be checked: the taxonomy has cues for it.
    pub fn reads_language(&self, language: &str) -> bool {
        if self.languages.is_empty() || language.is_empty() {
            return true;
        }
        let primary = |l: &str| l.split('-').next().unwrap_or("").to_ascii_lowercase();
        self.languages
            .iter()
            .any(|l| l.eq_ignore_ascii_case(language) || primary(l) == primary(language))
    }
}

fn is_id(s: &str) -> bool {
    !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'.')
}

fn check_term(t: &str) -> Result<(), String> {
    let body = t.strip_suffix('*').unwrap_or(t);
    if body.trim().is_empty() {
        return Err("is empty".into());
    }
    if body.trim() != body {
        return Err("has leading or trailing spaces".into());
    }
    if body.contains('*') {
        return Err("'*' may only end a term".into());
    }
    Ok(())
}

/// Whether a term is written in the script of `lang`, to tell an author that an obligation
/// lacks cues in a declared language. Terms of Han characters common to both forms fit both
/// Chinese scripts.
fn term_fits_language(term: &str, lang: &str) -> bool {
    let han = term.chars().any(is_han);
    let lang = lang.to_ascii_lowercase();
    if lang.starts_with("zh") {
        // Terms and texts are both folded to Simplified before matching (the search analysis'
        // folding), so a Han term written once fits both scripts.
        han
    } else if lang.starts_with("ja") {
        han || term.chars().any(is_kana)
    } else if lang.starts_with("en") {
        term.chars().any(|c| c.is_ascii_alphabetic())
    } else if lang.starts_with("ko") {
        term.chars().any(is_hangul)
    } else {
        // No script check for other languages: trust the author.
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MINIMAL: &str = r#"
[taxonomy]
id = "t"
languages = ["zh-Hans", "en"]

[[obligation]]
id = "free"
title = { en = "Free" }
[[obligation.cue]]
terms = ["免费", "free of charge"]
"#;

    #[test]
    fn loads_a_minimal_taxonomy() {
        let t = Taxonomy::parse(MINIMAL, "t.toml").unwrap();
        assert_eq!(t.obligations.len(), 1);
        assert_eq!(t.obligations[0].min_score, 1.0);
        assert!(!t.obligations[0].needs_subject());
        assert!(t.warnings.is_empty(), "{:?}", t.warnings);
    }

    #[test]
    fn errors_name_the_file_and_the_obligation() {
        let text = MINIMAL.replace("terms = [\"免费\", \"free of charge\"]", "terms = []");
        let e = Taxonomy::parse(&text, "mine.toml").unwrap_err().to_string();
        assert!(
            e.contains("mine.toml") && e.contains("`free`") && e.contains("no terms"),
            "{e}"
        );

        let text = MINIMAL.replace("id = \"free\"", "id = \"Free Services\"");
        let e = Taxonomy::parse(&text, "mine.toml").unwrap_err().to_string();
        assert!(
            e.contains("Free Services") && e.contains("lowercase"),
            "{e}"
        );

        let text = format!("{MINIMAL}\n[[obligation]]\nid = \"free\"\ntitle = {{ en = \"x\" }}\n[[obligation.cue]]\nterms = [\"x\"]\n");
        let e = Taxonomy::parse(&text, "mine.toml").unwrap_err().to_string();
        assert!(e.contains("used twice"), "{e}");
    }

    #[test]
    fn unknown_keys_are_syntax_errors_not_silently_ignored() {
        let text = MINIMAL.replace("terms = [", "term = [");
        let e = Taxonomy::parse(&text, "mine.toml").unwrap_err().to_string();
        assert!(e.contains("mine.toml") && e.contains("term"), "{e}");
    }

    #[test]
    fn warns_when_a_flag_reads_an_empty_subject_list() {
        let text = MINIMAL
            .replace(
                "[[obligation]]",
                "[subject]\nterms = [\"图书馆\"]\n\n[[obligation]]",
            )
            .replace(
                "title = { en = \"Free\" }",
                "title = { en = \"Free\" }\nfield = true\npublic = true",
            );
        let t = Taxonomy::parse(&text, "t.toml").unwrap();
        assert_eq!(t.warnings.len(), 2, "{:?}", t.warnings);
        assert!(t.warnings[0].contains("no fields"), "{:?}", t.warnings);
        assert!(t.warnings[1].contains("no visitors"), "{:?}", t.warnings);
        assert!(t.obligations[0].general);
    }

    #[test]
    fn warns_when_a_declared_language_has_no_cue() {
        let text = MINIMAL.replace("\"免费\", ", "");
        let t = Taxonomy::parse(&text, "t.toml").unwrap();
        assert_eq!(t.warnings.len(), 1);
        assert!(t.warnings[0].contains("zh-Hans"), "{:?}", t.warnings);
    }

    #[test]
    fn han_terms_fit_both_scripts_because_both_sides_are_folded() {
        assert!(term_fits_language("图书馆", "zh-Hans") && term_fits_language("图书馆", "zh-Hant"));
        assert!(term_fits_language("圖書館", "zh-Hans") && term_fits_language("圖書館", "zh-Hant"));
        assert!(term_fits_language("librar*", "en") && !term_fits_language("librar*", "zh-Hans"));
    }

    #[test]
    fn the_built_in_taxonomy_loads_without_warnings() {
        let t = Taxonomy::library_social_responsibility().unwrap();
        assert_eq!(t.obligations.len(), 19);
        assert!(t.warnings.is_empty(), "{:#?}", t.warnings);
    }

    #[test]
    fn reads_languages_by_primary_subtag() {
        let t = Taxonomy::parse(MINIMAL, "t.toml").unwrap();
        assert!(t.reads_language("zh-Hant") && t.reads_language("en") && t.reads_language(""));
        assert!(!t.reads_language("ko"));
    }
}
