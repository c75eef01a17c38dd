//! The synonym table (thesaurus) behind query expansion: laws say 盲人, 视力残疾 or 阅读障碍者
//! where a researcher types 视障, and "individuals with disabilities" where she types
//! "disabled people".
//!
//! The table is data, `synonyms.toml` (built in) plus any user file, in groups of one concept:
//! per language, equivalent terms (each finds the others) and `narrower` terms (a search for a
//! term also finds them, not the reverse).
//! README.md ("Adding your own synonyms") describes the format for users.
//!
//! Terms are looked up by their index form ([`key`]): Traditional folded to Simplified,
//! English words stemmed, so 身心障礙者 and 身心障碍者 are one term, and "disability",
//! "disabilities" and "disabled" one English term. A term also finds the group's terms in the
//! other languages (its translations: "volunteers" finds 志愿者 and 자원봉사자), weighed below
//! its synonyms in its own language, so a researcher's English question reaches Chinese and
//! Korean clauses while clauses in the language typed rank first where both answer.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use serde::Deserialize;

use crate::index::analysis::{self, Script};

/// The built-in table.
const BUILTIN: &str = include_str!("synonyms.toml");

/// Most words of a term matched across several query words ("board of trustees").
const MAX_PHRASE_WORDS: usize = 6;

/// How a synonym relates to the word searched for, closest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Relation {
    Equivalent,
    Narrower,
    /// An equivalent term of another language.
    Translation,
}

/// A word or phrase that a search for another also finds.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Synonym {
    /// As the table writes it.
    pub text: String,
    pub relation: Relation,
}

/// What one word of a query expands to.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Expansion {
    /// Best relation first, then in table order.
    pub synonyms: Vec<Synonym>,
    /// Groups the word is a term of: query words sharing one are alternatives, not each
    /// required.
    pub(crate) concepts: Vec<usize>,
}

/// A synonym table that cannot be used. The cause (I/O, TOML syntax) is the error's source,
/// which anyhow's `{:#}` prints after the message.
#[derive(Debug, thiserror::Error)]
pub enum ThesaurusError {
    #[error("reading synonyms file {}", path.display())]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("synonyms file {origin}")]
    Toml {
        origin: String,
        source: toml::de::Error,
    },
    #[error("synonyms file {origin}, group {group:?}: {message}")]
    Group {
        origin: String,
        group: String,
        message: String,
    },
}

/// The table as written: `[[group]]` entries.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct TableFile {
    #[serde(default)]
    group: Vec<GroupDef>,
}

/// Which people a group names, for a query that names both a group and its readers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum People {
    /// Whoever a library serves: readers, users, patrons.
    Anyone,
    /// A group of people: the disabled, children, migrant workers, prisoners.
    Group,
}

#[derive(Debug, Deserialize)]
struct GroupDef {
    id: String,
    #[serde(default)]
    #[allow(dead_code)]
    note: Option<String>,
    #[serde(default)]
    people: Option<People>,
    #[serde(default)]
    narrower: BTreeMap<String, Vec<String>>,
    /// Language code → equivalent terms.
    #[serde(flatten)]
    terms: BTreeMap<String, Vec<String>>,
}

/// One term: as written and as looked up.
#[derive(Debug, Clone)]
struct Entry {
    text: String,
    key: String,
    /// Every spelling the group writes with this key, lowercased (digitized, digitization
    /// beside digital): what the derivational-ending check reads.
    spellings: Vec<String>,
}

#[derive(Debug, Clone)]
struct Language {
    terms: Vec<Entry>,
    narrower: Vec<Entry>,
}

#[derive(Debug, Clone)]
struct Group {
    id: String,
    people: Option<People>,
    languages: Vec<Language>,
}

/// A synonym table, ready for lookups.
#[derive(Debug, Clone, Default)]
pub struct Thesaurus {
    groups: Vec<Group>,
    /// Key of every term → (group, language) where it is a term (not a narrower one).
    terms: HashMap<String, Vec<(usize, usize)>>,
}

impl Thesaurus {
    /// The built-in table (parsed once per process, ~0.2 ms).
    pub fn builtin() -> Arc<Thesaurus> {
        static BUILT_IN: OnceLock<Arc<Thesaurus>> = OnceLock::new();
        BUILT_IN
            .get_or_init(|| {
                // A unit test parses the built-in table, so this cannot fail in a release;
                // if it ever did, searching without synonyms beats not searching.
                Arc::new(Thesaurus::parse(BUILTIN, "synonyms.toml").unwrap_or_default())
            })
            .clone()
    }

    /// The built-in table plus the groups of a user file.
    pub fn builtin_with(path: &Path) -> Result<Thesaurus, ThesaurusError> {
        let mut t = (*Thesaurus::builtin()).clone();
        t.extend(Thesaurus::load(path)?);
        Ok(t)
    }

    /// A table from a TOML file.
    pub fn load(path: &Path) -> Result<Thesaurus, ThesaurusError> {
        let text = std::fs::read_to_string(path).map_err(|source| ThesaurusError::Read {
            path: path.to_path_buf(),
            source,
        })?;
        Thesaurus::parse(&text, &path.display().to_string())
    }

    /// A table from TOML text; `origin` names it in errors.
    pub fn parse(text: &str, origin: &str) -> Result<Thesaurus, ThesaurusError> {
        let file: TableFile = toml::from_str(text).map_err(|source| ThesaurusError::Toml {
            origin: origin.to_string(),
            source,
        })?;
        let mut t = Thesaurus::default();
        for def in file.group {
            let group = build_group(def).map_err(|(group, message)| ThesaurusError::Group {
                origin: origin.to_string(),
                group,
                message,
            })?;
            t.push(group);
        }
        Ok(t)
    }

    /// Adds another table's groups after this one's.
    pub fn extend(&mut self, other: Thesaurus) {
        for g in other.groups {
            self.push(g);
        }
    }

    fn push(&mut self, group: Group) {
        let gi = self.groups.len();
        for (li, lang) in group.languages.iter().enumerate() {
            for e in &lang.terms {
                let at = self.terms.entry(e.key.clone()).or_default();
                if !at.contains(&(gi, li)) {
                    at.push((gi, li));
                }
            }
        }
        self.groups.push(group);
    }

    /// Number of groups.
    pub fn len(&self) -> usize {
        self.groups.len()
    }

    pub fn is_empty(&self) -> bool {
        self.groups.is_empty()
    }

    /// Group ids, in table order.
    pub fn group_ids(&self) -> impl Iterator<Item = &str> {
        self.groups.iter().map(|g| g.id.as_str())
    }

    /// What a word or phrase, as a user types it, expands to (nothing when it is no term).
    pub fn expand(&self, text: &str) -> Expansion {
        self.expand_key(&key(text)).unwrap_or_default()
    }

    /// Whether a key (see [`key`]) is a term of some group.
    pub(crate) fn is_term(&self, key: &str) -> bool {
        self.terms.contains_key(key)
    }

    /// The expansion of a typed English word whose index term is `key`. The stemmer also
    /// strips derivational endings, so "minority" shares the stem of "minor": a word whose
    /// ending makes another word (-ity) expands only when a term of the group has that ending
    /// too ("disability" does, "minority" is no minor).
    pub(crate) fn expand_word(&self, typed: &str, key: &str) -> Option<Expansion> {
        self.expand_typed(&[typed], key)
    }

    /// [`Self::expand_word`] for a term of several typed words (`key` is their joined key):
    /// "publicize libraries" stems as "public libraries" does, and is no public library.
    pub(crate) fn expand_typed(&self, typed: &[&str], key: &str) -> Option<Expansion> {
        let families: Vec<&[&str]> = typed
            .iter()
            .filter_map(|w| {
                let w = w.to_lowercase();
                DERIVATIONAL_ENDINGS
                    .iter()
                    .find(|forms| forms.iter().any(|e| w.ends_with(e)))
                    .copied()
            })
            .collect();
        if families.is_empty() {
            return self.expand_key(key);
        }
        // Only the groups where the words are written with those endings. (Not the other way
        // round: a group keeps one spelling per stem, disability for disabled too.)
        self.expand_places(key, |lang| {
            lang.terms
                .iter()
                .chain(&lang.narrower)
                .filter(|e| e.key == key)
                .any(|e| {
                    e.spellings.iter().any(|text| {
                        families
                            .iter()
                            .all(|forms| forms.iter().any(|f| text.contains(f)))
                    })
                })
        })
    }

    /// The expansion of a term, by key; `None` when the key is no term.
    pub(crate) fn expand_key(&self, key: &str) -> Option<Expansion> {
        self.expand_places(key, |_| true)
    }

    /// The expansion of a term from the groups (languages of groups) that `keep` accepts;
    /// `None` when none is left.
    fn expand_places(&self, key: &str, keep: impl Fn(&Language) -> bool) -> Option<Expansion> {
        let places = self.terms.get(key)?;
        let mut found: Vec<(Relation, usize, &Entry)> = Vec::new();
        let mut concepts = Vec::new();
        for &(gi, li) in places {
            let Some(lang) = self.groups.get(gi).and_then(|g| g.languages.get(li)) else {
                continue;
            };
            if !keep(lang) {
                continue;
            }
            if !concepts.contains(&gi) {
                concepts.push(gi);
            }
            let others = self.groups[gi]
                .languages
                .iter()
                .enumerate()
                .filter(|(i, _)| *i != li)
                .map(|(_, l)| (Relation::Translation, &l.terms));
            let lists = [
                (Relation::Equivalent, &lang.terms),
                (Relation::Narrower, &lang.narrower),
            ]
            .into_iter()
            .chain(others);
            for (relation, list) in lists {
                for e in list.iter().filter(|e| e.key != key) {
                    match found.iter_mut().find(|(_, _, f)| f.key == e.key) {
                        Some(f) => f.0 = f.0.min(relation),
                        None => {
                            let n = found.len();
                            found.push((relation, n, e));
                        }
                    }
                }
            }
        }
        if concepts.is_empty() {
            return None;
        }
        found.sort_by_key(|(r, n, _)| (*r, *n));
        Some(Expansion {
            synonyms: found
                .into_iter()
                .map(|(relation, _, e)| Synonym {
                    text: e.text.clone(),
                    relation,
                })
                .collect(),
            concepts,
        })
    }

    /// A Korean eojeol as a term: itself, or its stem without a particle (장애인을 → 장애인).
    pub(crate) fn hangul_term<'w>(&self, eojeol: &'w str) -> Option<&'w str> {
        if self.is_term(eojeol) {
            return Some(eojeol);
        }
        crate::grammar::hangul_stems(eojeol).find(|stem| self.is_term(stem))
    }

    /// Which people a group (by index, as in [`Expansion::concepts`]) names, if any.
    pub(crate) fn people(&self, concept: usize) -> Option<People> {
        self.groups.get(concept).and_then(|g| g.people)
    }

    /// Most words in a term made of several words.
    pub(crate) fn max_phrase_words(&self) -> usize {
        MAX_PHRASE_WORDS
    }
}

/// English endings that make a word of another meaning from a stem the stemmer leaves
/// (minor → minority, univers → university, commun → community; public → publicize, digit →
/// digitize, organ → organization), see [`Thesaurus::expand_word`]. Other derivations mostly
/// keep the meaning (approve, approval). Each entry lists the forms of one ending (a group
/// keeps one spelling per stem).
const DERIVATIONAL_ENDINGS: &[&[&str]] = &[
    &["ity", "ities"],
    // Not the bare British -ise: it ends verbs of their own (supervise, advise, revise) whose
    // nouns (supervision) keep the meaning.
    &[
        "ize", "izes", "ized", "izing", "ization", "izations", "isation", "isations",
    ],
];

/// Checks a group as written and computes its keys; errors are (group id, message).
fn build_group(def: GroupDef) -> Result<Group, (String, String)> {
    let id = def.id.trim().to_string();
    let fail = |m: String| Err((id.clone(), m));
    if id.is_empty() {
        return fail("empty id".into());
    }
    for code in def.terms.keys().chain(def.narrower.keys()) {
        let ok = !code.is_empty()
            && code
                .split('-')
                .all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_alphanumeric()));
        if !ok {
            return fail(format!(
                "{code:?} is not a language code (zh, en, ko, vi, …)"
            ));
        }
    }
    if def.terms.values().all(Vec::is_empty) {
        return fail("no terms: list them per language, e.g. zh = [\"…\"]".into());
    }
    for code in def.narrower.keys() {
        if !def.terms.contains_key(code) {
            return fail(format!(
                "narrower terms in {code:?} but no {code} terms to expand from"
            ));
        }
    }
    let entries = |list: Option<&Vec<String>>| -> Result<Vec<Entry>, String> {
        let mut out: Vec<Entry> = Vec::new();
        for text in list.map(Vec::as_slice).unwrap_or(&[]) {
            let k = key(text);
            if k.is_empty() {
                return Err(format!("term {text:?} has no letters"));
            }
            let spelling = text.trim().to_lowercase();
            match out.iter_mut().find(|e| e.key == k) {
                Some(e) => e.spellings.push(spelling),
                None => out.push(Entry {
                    text: text.trim().to_string(),
                    key: k,
                    spellings: vec![spelling],
                }),
            }
        }
        Ok(out)
    };
    let mut languages = Vec::new();
    for (code, terms) in &def.terms {
        let lang = Language {
            terms: entries(Some(terms)).map_err(|m| (id.clone(), m))?,
            narrower: entries(def.narrower.get(code)).map_err(|m| (id.clone(), m))?,
        };
        languages.push(lang);
    }
    Ok(Group {
        id,
        people: def.people,
        languages,
    })
}

/// The form a term is looked up by: folded (Traditional → Simplified, full width → ASCII),
/// punctuation dropped, alphabetic words as index terms (lowercased, English stemmed), runs
/// joined by one space: "Persons with Disabilities" → "person with disabl", 身心障礙 → 身心障碍.
pub fn key(text: &str) -> String {
    let norm = analysis::normalize(text);
    let mut out = String::new();
    let mut term = String::new();
    for run in analysis::runs(&norm.text) {
        let slice = &norm.text[run.start..run.end];
        if !out.is_empty() {
            out.push(' ');
        }
        if run.script == Script::Word {
            analysis::word_term(slice, &mut term);
            out.push_str(&term);
        } else {
            out.push_str(slice);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_word_made_another_by_its_ending_does_not_take_its_stems_synonyms() {
        let t = Thesaurus::builtin();
        // "minority" stems to "minor", a term of the minors group.
        assert!(t.is_term(&key("minority")));
        assert!(t.expand_word("minority", &key("minority")).is_none());
        assert!(t.expand_word("minorities", &key("minorities")).is_none());
        let minors = t.expand_word("minors", &key("minors")).unwrap();
        assert!(texts(&minors, Relation::Equivalent).contains(&"juvenile"));
        for typed in ["disabled", "disability", "Disabled"] {
            let e = t.expand_word(typed, &key(typed)).unwrap();
            assert!(
                texts(&e, Relation::Equivalent).contains(&"handicapped"),
                "{typed}"
            );
        }
        let disabled = t.expand_word("disabilities", &key("disabilities")).unwrap();
        let eq = texts(&disabled, Relation::Equivalent);
        assert!(eq.contains(&"persons with disabilities"), "{eq:?}");
    }

    #[test]
    fn an_ity_word_takes_only_the_groups_that_write_it_so() {
        let t = table(&[
            ("minors", "未成年人", r#""minor""#),
            ("minorities", "少数民族", r#""minority", "ethnic minority""#),
        ]);
        let all = all_texts(&t, "minority");
        assert!(all.iter().any(|s| s == "少数民族"), "{all:?}");
        assert!(!all.iter().any(|s| s == "未成年人"), "{all:?}");
        let all = all_texts(&t, "minors");
        assert!(all.iter().any(|s| s == "未成年人"), "{all:?}");
    }

    /// "publicize libraries" stems as "public libraries" does; "digitization" as "digital".
    /// An -ize word, alone or in a term of several words, takes only the groups that write
    /// some spelling of that key with the ending.
    #[test]
    fn an_ize_word_takes_only_the_groups_that_write_it_so() {
        let t = table(&[
            (
                "public-libraries",
                "公共图书馆",
                r#""public library", "public libraries""#,
            ),
            ("digital", "数字化", r#""digital", "digitization""#),
        ]);
        let typed = ["publicize", "libraries"];
        assert!(t.is_term(&key("publicize libraries")));
        assert!(t
            .expand_typed(&typed, &key("publicize libraries"))
            .is_none());
        assert!(t
            .expand_typed(&["public", "libraries"], &key("public libraries"))
            .is_some());
        // The group writes "digitization" under the key it keeps as "digital".
        let all = all_texts(&t, "digitize");
        assert!(all.iter().any(|s| s == "数字化"), "{all:?}");
    }

    /// A table of groups (id, one Chinese term, the English terms as TOML list items).
    fn table(groups: &[(&str, &str, &str)]) -> Thesaurus {
        let toml: String = groups
            .iter()
            .map(|(id, zh, en)| format!("[[group]]\nid = \"{id}\"\nzh = [\"{zh}\"]\nen = [{en}]\n"))
            .collect();
        Thesaurus::parse(&toml, "test.toml").unwrap()
    }

    /// Every synonym and translation of a typed word.
    fn all_texts(t: &Thesaurus, typed: &str) -> Vec<String> {
        t.expand_word(typed, &key(typed))
            .unwrap()
            .synonyms
            .into_iter()
            .map(|s| s.text)
            .collect()
    }

    fn texts(e: &Expansion, relation: Relation) -> Vec<&str> {
        e.synonyms
            .iter()
            .filter(|s| s.relation == relation)
            .map(|s| s.text.as_str())
            .collect()
    }

    #[test]
    fn the_built_in_table_parses_and_is_a_thesaurus() {
        let parsed = Thesaurus::parse(BUILTIN, "synonyms.toml").unwrap();
        assert!(parsed.len() >= 40, "{} groups", parsed.len());
        let mut ids: Vec<&str> = parsed.group_ids().collect();
        let n = ids.len();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), n, "group ids are unique");
        assert_eq!(Thesaurus::builtin().len(), parsed.len());
    }

    #[test]
    fn a_chinese_word_expands_to_chinese_synonyms_in_either_script() {
        let t = Thesaurus::builtin();
        let e = t.expand("视障");
        let eq = texts(&e, Relation::Equivalent);
        assert!(
            eq.contains(&"视力残疾") && eq.contains(&"视力障碍"),
            "{eq:?}"
        );
        assert!(texts(&e, Relation::Narrower).contains(&"盲人"));
        // Synonyms are Chinese; other languages' terms are translations, listed after them.
        let chinese = |s: &Synonym| {
            s.text
                .chars()
                .all(|c| analysis::script(c) == Some(Script::Han))
        };
        for s in &e.synonyms {
            assert_eq!(!chinese(s), s.relation == Relation::Translation, "{s:?}");
        }
        assert!(
            texts(&e, Relation::Translation).contains(&"visually impaired"),
            "{e:?}"
        );
        let first_translation = e
            .synonyms
            .iter()
            .position(|s| s.relation == Relation::Translation)
            .unwrap();
        assert!(e.synonyms[first_translation..]
            .iter()
            .all(|s| s.relation == Relation::Translation));
        // Traditional spelling, same entry.
        assert_eq!(t.expand("視障"), e);
        // Taiwan's word for volunteer meets the mainland's.
        assert!(texts(&t.expand("志工"), Relation::Equivalent).contains(&"志愿者"));
    }

    #[test]
    fn an_english_word_expands_by_stem() {
        let t = Thesaurus::builtin();
        let e = t.expand("Disabled");
        assert_eq!(e, t.expand("disabilities"));
        let eq = texts(&e, Relation::Equivalent);
        assert!(eq.contains(&"individuals with disabilities"), "{eq:?}");
        assert!(texts(&e, Relation::Narrower).contains(&"blind"));
        assert!(!eq.iter().any(|s| s.contains("残")));
        assert!(texts(&t.expand("alcohol"), Relation::Equivalent).contains(&"liquor"));
    }

    #[test]
    fn narrower_terms_expand_one_way() {
        let t = Thesaurus::builtin();
        assert!(texts(&t.expand("视障"), Relation::Narrower).contains(&"盲人"));
        let blind = t.expand("盲人");
        assert!(blind.synonyms.is_empty(), "{blind:?}");
        // 未成年人 (minors) finds 少儿 (children); 少儿 finds its equivalents, not 未成年人.
        assert!(texts(&t.expand("未成年人"), Relation::Narrower).contains(&"少儿"));
        let children = t.expand("少儿");
        assert!(texts(&children, Relation::Equivalent).contains(&"少年儿童"));
        assert!(!children.synonyms.iter().any(|s| s.text == "未成年人"));
    }

    /// Asserts that `word` finds each of `wanted` as `relation`.
    fn expands_to(t: &Thesaurus, word: &str, relation: Relation, wanted: &[&str]) {
        let e = t.expand(word);
        let found = texts(&e, relation);
        for w in wanted {
            assert!(found.contains(w), "{word} → {relation:?} {w}: {e:?}");
        }
    }

    #[test]
    fn everyday_words_find_the_statutes_words() {
        let t = Thesaurus::builtin();
        let has = |word: &str, relation: Relation, wanted: &[&str]| {
            expands_to(&t, word, relation, wanted)
        };
        // Same meaning: equivalents, both ways.
        has("周末", Relation::Equivalent, &["公休日", "休息日"]);
        has("公休日", Relation::Equivalent, &["周末"]);
        has("小孩", Relation::Equivalent, &["少年儿童"]);
        has("弄坏", Relation::Equivalent, &["损坏", "污损"]);
        has("弄丢", Relation::Equivalent, &["遗失", "丢失"]);
        has("村里", Relation::Equivalent, &["村庄", "行政村"]);
        has("乡下", Relation::Equivalent, &["农村"]);
        has("老书", Relation::Equivalent, &["古籍"]);
        has(
            "kids' section",
            Relation::Equivalent,
            &["children's section"],
        );
        has(
            "kids' section",
            Relation::Translation,
            &["少年儿童阅览区域"],
        );
        has("ebooks", Relation::Translation, &["电子图书"]);
        has("library card", Relation::Translation, &["借书证"]);
        has("falling apart", Relation::Equivalent, &["preservation"]);
        has("falling apart", Relation::Translation, &["古籍修复"]);
        // Everyday words the statutes use in other senses, or whose answer lies in two
        // concepts, find the statutes' words one way.
        has("开门", Relation::Narrower, &["开放时间", "开放"]);
        has("要钱", Relation::Narrower, &["收费", "免费"]);
        has("还书", Relation::Narrower, &["归还"]);
        has("办证", Relation::Narrower, &["借书证"]);
        for (statute, everyday) in [
            ("开放时间", "开门"),
            ("免费", "要钱"),
            ("收费", "要钱"),
            ("借书证", "办证"),
        ] {
            let e = t.expand(statute);
            assert!(!e.synonyms.iter().any(|s| s.text == everyday), "{e:?}");
        }
        // 归还 (of any property) is no term: it finds nothing, least of all 还书.
        assert!(t.expand("归还").synonyms.is_empty());
    }

    #[test]
    fn what_people_call_the_statutes_arrangements_finds_them() {
        let t = Thesaurus::builtin();
        let has = |word: &str, relation: Relation, wanted: &[&str]| {
            expands_to(&t, word, relation, wanted)
        };
        // The names people use for the bodies and cards a regulation names in full.
        has("社保卡", Relation::Equivalent, &["社会保障卡"]);
        has("妇联", Relation::Equivalent, &["妇女联合会"]);
        has("居委会", Relation::Equivalent, &["居民委员会"]);
        has(
            "物价局",
            Relation::Equivalent,
            &["价格主管部门", "物价部门"],
        );
        // Everyday words for what the statutes regulate, both ways.
        has("冠名", Relation::Equivalent, &["命名", "留名纪念"]);
        has("选地方", Relation::Equivalent, &["选址", "建设选址"]);
        has("选址", Relation::Narrower, &["交通便利"]);
        has(
            "过期",
            Relation::Equivalent,
            &["逾期", "未按照规定时限归还"],
        );
        has("换书", Relation::Equivalent, &["图书互换共享", "旧书交换"]);
        has("荐购", Relation::Equivalent, &["采购咨询制度", "选书机制"]);
        has("乱收费", Relation::Equivalent, &["变相收费"]);
        has("对外开放", Relation::Equivalent, &["向社会公众开放"]);
        // One way: the everyday question finds the statutes' words, not the reverse.
        has("外包", Relation::Narrower, &["运营方", "运行单位"]);
        has("谁出钱", Relation::Narrower, &["经费", "足额拨付"]);
        has("能借多久", Relation::Narrower, &["规定时限", "规定期限"]);
        has("带狗", Relation::Narrower, &["导盲犬"]);
        has("眼睛不好", Relation::Narrower, &["大字", "盲文"]);
        has("money", Relation::Narrower, &["appropriations"]);
        for (statute, everyday) in [
            ("运营方", "外包"),
            ("经费", "谁出钱"),
            ("规定时限", "能借多久"),
            ("导盲犬", "带狗"),
            ("appropriations", "money"),
        ] {
            let e = t.expand(statute);
            assert!(!e.synonyms.iter().any(|s| s.text == everyday), "{e:?}");
        }
        // Words the corpus uses inside other words or in other senses are no terms: 保安 is
        // inside 确保安全, 物价 inside 抵押物价值, 承包 is of land, 附近 of airports.
        for word in ["保安", "物价", "承包", "托管", "附近", "计算机"] {
            let e = t.expand(word);
            assert!(e.synonyms.is_empty(), "{word}: {e:?}");
        }
    }

    #[test]
    fn each_jurisdictions_wording_finds_the_others() {
        let t = Thesaurus::builtin();
        let has = |word: &str, relation: Relation, wanted: &[&str]| {
            expands_to(&t, word, relation, wanted)
        };
        // Taiwan's Library Act and the mainland's regulations word one provision differently.
        has("館際合作", Relation::Equivalent, &["协作", "交流与协作"]);
        has("馆舍", Relation::Equivalent, &["固定馆舍"]);
        has("評鑑", Relation::Equivalent, &["评估", "考评"]);
        has("发展规划", Relation::Equivalent, &["发展计划"]);
        has("统计报告", Relation::Equivalent, &["年报制度", "年度报告"]);
        has("统计报告", Relation::Narrower, &["统计"]);
        // Korea's plans, the US Code's allotments (by stem).
        has("종합계획", Relation::Equivalent, &["기본계획", "시행계획"]);
        has("allotments", Relation::Equivalent, &["grant"]);
        // Across languages: a researcher's English reaches the Chinese, Korean and Vietnamese.
        has(
            "national library",
            Relation::Translation,
            &["国家图书馆", "국립중앙도서관", "Thư viện Quốc gia"],
        );
        has(
            "lifelong learning",
            Relation::Translation,
            &["终身学习", "평생학습"],
        );
        has(
            "设立公共图书馆",
            Relation::Translation,
            &["thành lập thư viện", "도서관 설립"],
        );
        // Minority languages are part of the minorities question, not the other way round.
        has("少数民族", Relation::Narrower, &["民族语言文字"]);
        let languages = t.expand("民族语言文字");
        assert!(!languages.synonyms.iter().any(|s| s.text == "少数民族"));
    }

    #[test]
    fn what_the_laws_are_about_meets_across_languages() {
        let t = Thesaurus::builtin();
        let has = |word: &str, relation: Relation, wanted: &[&str]| {
            expands_to(&t, word, relation, wanted)
        };
        // Offices: the Australian Act's appointment and term, Korea's 임명 and 임기, Vietnam's
        // bổ nhiệm and nhiệm kỳ, China's 任命 and 任期; "appointed" by stem.
        has(
            "appointed",
            Relation::Translation,
            &["任命", "임명", "bổ nhiệm"],
        );
        has(
            "임기",
            Relation::Translation,
            &["term of office", "任期", "nhiệm kỳ"],
        );
        has("appointment", Relation::Narrower, &["reappointment"]);
        has(
            "해촉",
            Relation::Translation,
            &["dismissal", "免职", "miễn nhiệm"],
        );
        // Staff and places: 사서교사 is a teacher-librarian; prisons in four languages.
        has("사서교사", Relation::Translation, &["teacher-librarian"]);
        has(
            "prison",
            Relation::Translation,
            &["监狱", "교정시설", "trại giam"],
        );
        has("prison", Relation::Narrower, &["drug rehabilitation"]);
        has("교정시설도서관", Relation::Equivalent, &["교도소"]);
        // Procedure and materials.
        has(
            "등록",
            Relation::Translation,
            &["登记", "registration", "đăng ký"],
        );
        has(
            "国际标准书号",
            Relation::Translation,
            &["ISBN", "국제표준자료번호"],
        );
        has(
            "emergency",
            Relation::Translation,
            &["突发事件", "재난", "thiên tai"],
        );
        // "chair" is also a seat: the chairperson finds it, it finds nothing.
        has("chairperson", Relation::Narrower, &["chair"]);
        // Words whose stem is another word's are left out of the table.
        for word in [
            "chair",
            "publicity",
            "hearing",
            "theses",
            "foreigners",
            "emerging",
        ] {
            let e = t.expand(word);
            assert!(e.synonyms.is_empty(), "{word}: {e:?}");
        }
    }

    #[test]
    fn a_laws_frame_and_a_librarys_property_meet_across_languages() {
        let t = Thesaurus::builtin();
        let has = |word: &str, relation: Relation, wanted: &[&str]| {
            expands_to(&t, word, relation, wanted)
        };
        // When a law takes effect and what it covers, in each jurisdiction's words.
        has(
            "commencement",
            Relation::Translation,
            &["起施行", "시행일", "hiệu lực thi hành"],
        );
        has(
            "경과조치",
            Relation::Translation,
            &["transitional provisions", "điều khoản chuyển tiếp"],
        );
        has(
            "Phạm vi điều chỉnh",
            Relation::Translation,
            &["本条例适用于", "적용범위"],
        );
        // The ministries that the laws name.
        has(
            "문화체육관광부",
            Relation::Translation,
            &["国务院文化主管部门", "Bộ Văn hóa, Thể thao và Du lịch"],
        );
        // A library's land, its remaining property, its name; its services to lawmakers.
        has(
            "建设用地",
            Relation::Translation,
            &["land and buildings", "도서관 부지"],
        );
        has("剩余财产", Relation::Translation, &["remaining property"]);
        has(
            "유사명칭",
            Relation::Translation,
            &["tên gọi thư viện", "name of the library"],
        );
        has(
            "services to the legislature",
            Relation::Translation,
            &["为国家立法和决策服务"],
        );
        has(
            "services to the legislature",
            Relation::Narrower,
            &["library of the Parliament"],
        );
        // Words with a second meaning are one way: 用地 (利用地下), hợp nhất (văn bản hợp nhất).
        has("建设用地", Relation::Narrower, &["用地"]);
        has("sáp nhập", Relation::Narrower, &["hợp nhất"]);
        for (word, not) in [
            ("用地", "建设用地"),
            ("hợp nhất", "sáp nhập"),
            ("分类", "文献分类"),
            ("workplace", "직장"),
            ("decision-making", "为国家立法和决策服务"),
            ("개방", "지역사회를 위하여 개방"),
        ] {
            let e = t.expand(word);
            assert!(!e.synonyms.iter().any(|s| s.text == not), "{word}: {e:?}");
        }
        // 施行 alone is inside 实施行政 and is no term; "applicability" stems to "application".
        for word in ["施行", "applicability", "publisher"] {
            let e = t.expand(word);
            assert!(e.synonyms.is_empty(), "{word}: {e:?}");
        }
    }

    #[test]
    fn a_word_in_several_groups_takes_its_strongest_relation() {
        let t = Thesaurus::parse(
            "[[group]]\nid = \"a\"\nen = [\"x\", \"y\"]\n\n\
             [[group]]\nid = \"b\"\nen = [\"x\"]\n[group.narrower]\nen = [\"y\", \"z\"]\n",
            "test",
        )
        .unwrap();
        let e = t.expand("x");
        assert_eq!(texts(&e, Relation::Equivalent), ["y"]);
        assert_eq!(texts(&e, Relation::Narrower), ["z"]);
        assert_eq!(e.concepts, [0, 1]);
    }

    #[test]
    fn user_files_extend_the_table_and_errors_name_the_group() {
        let mut t = (*Thesaurus::builtin()).clone();
        let n = t.len();
        t.extend(
            Thesaurus::parse(
                "[[group]]\nid = \"x\"\nzh = [\"阅览证\", \"借书证\"]\n",
                "mine",
            )
            .unwrap(),
        );
        assert_eq!(t.len(), n + 1);
        assert!(texts(&t.expand("借书证"), Relation::Equivalent).contains(&"阅览证"));
        let err = Thesaurus::parse(
            "[[group]]\nid = \"g\"\n[group.narrower]\nzh = [\"a\"]\n",
            "mine",
        )
        .unwrap_err()
        .to_string();
        assert!(
            err.starts_with("synonyms file mine, group \"g\": no terms"),
            "{err}"
        );
        let err = Thesaurus::parse(
            "[[group]]\nid = \"g\"\nzh = [\"甲乙\"]\n[group.narrower]\nen = [\"a\"]\n",
            "mine",
        )
        .unwrap_err()
        .to_string();
        assert!(err.contains("no en terms"), "{err}");
        assert!(Thesaurus::parse("[[grup]]\n", "mine").is_err());
    }

    #[test]
    fn groups_of_people_and_their_readers_are_marked() {
        let t = Thesaurus::builtin();
        let people = |word: &str| -> Vec<Option<People>> {
            let e = t.expand(word);
            e.concepts.iter().map(|&c| t.people(c)).collect()
        };
        assert_eq!(people("视障"), vec![Some(People::Group)]);
        assert_eq!(people("读者"), vec![Some(People::Anyone)]);
        assert_eq!(people("readers"), vec![Some(People::Anyone)]);
        assert_eq!(people("免费"), vec![None]);
        let err = Thesaurus::parse(
            "[[group]]\nid = \"x\"\npeople = \"planet\"\nzh = [\"读者\"]\n",
            "mine.toml",
        )
        .unwrap_err();
        assert!(format!("{err:#}").contains("mine.toml"), "{err:#}");
    }

    #[test]
    fn korean_particles_are_stripped_for_lookup() {
        let t = Thesaurus::builtin();
        assert_eq!(t.hangul_term("장애인을"), Some("장애인"));
        assert_eq!(t.hangul_term("납본"), Some("납본"));
        assert_eq!(t.hangul_term("도서관은"), Some("도서관"));
        assert_eq!(t.hangul_term("개관은"), None);
    }
}
