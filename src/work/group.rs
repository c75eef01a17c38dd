//! Grouping document records into works, versions and copies, and choosing the version in
//! force (now, or on a given day).

use std::collections::{BTreeMap, HashMap, HashSet};

use serde::{Deserialize, Serialize};

use super::edition::{title_key, work_key, CalendarDate};
use crate::model::{DocInfo, Edition, Format};

/// Share of articles two texts must have in common to be copies of one version when their
/// dates agree (a PDF's extraction may garble an article or two).
const COPY_SIMILARITY: f64 = 0.9;

/// Whether a version is the law as it stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum VersionStatus {
    /// The latest version (not repealed, not a draft).
    InForce,
    /// A later version replaced it.
    Superseded,
    /// Its manifest says `status = "repealed"`.
    Repealed,
    /// Its manifest says `status = "draft"`: never the version in force.
    Draft,
}

impl VersionStatus {
    pub fn name(self) -> &'static str {
        match self {
            VersionStatus::InForce => "in-force",
            VersionStatus::Superseded => "superseded",
            VersionStatus::Repealed => "repealed",
            VersionStatus::Draft => "draft",
        }
    }
}

/// One document holding a version's text.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Copy {
    pub doc_id: String,
    pub source: String,
    pub format: Format,
    pub title: String,
    /// Articles in this copy.
    pub articles: usize,
    /// Why it is a copy of this version (empty for the first).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub basis: String,
}

/// One text of a work: the documents (copies) that hold it, the first the one searched.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Version {
    /// The manifest's `version`, else the version's date (last amendment, else adoption,
    /// else year), else `undated`.
    pub label: String,
    /// When this text became the law: its last amendment, else its adoption, else its year.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub adopted: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub amended: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub effective: Option<String>,
    pub status: VersionStatus,
    pub copies: Vec<Copy>,
}

impl Version {
    /// The copy searched and cited: markdown or text before HTML, before structured formats,
    /// before DOCX and PDF (whose extraction loses the most).
    pub fn primary(&self) -> &Copy {
        &self.copies[0]
    }

    /// The first day this text applied, as far as known: `effective` if given, else `date`.
    fn start(&self) -> Option<CalendarDate> {
        self.effective
            .as_deref()
            .or(self.date.as_deref())
            .and_then(CalendarDate::parse)
    }
}

/// One law: its versions oldest first.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Work {
    pub id: String,
    pub title: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub jurisdiction: String,
    pub versions: Vec<Version>,
    /// How the grouping was inferred, one line per decision, so that a user can correct it
    /// with the manifest keys `work` and `version`.
    pub basis: Vec<String>,
}

impl Work {
    /// The version in force: the latest that is neither a draft nor superseded.
    pub fn current(&self) -> Option<&Version> {
        self.versions
            .iter()
            .rev()
            .find(|v| v.status == VersionStatus::InForce)
            .or_else(|| {
                self.versions
                    .iter()
                    .rev()
                    .find(|v| v.status != VersionStatus::Draft)
            })
    }

    /// The version that applied on `day`: the latest (not a draft) that started on or before
    /// it; an undated version when no dated one did; `None` when every version is later.
    pub fn as_of(&self, day: CalendarDate) -> Option<&Version> {
        let laws = || {
            self.versions
                .iter()
                .filter(|v| v.status != VersionStatus::Draft)
        };
        laws()
            .filter(|v| v.start().is_some_and(|s| s <= day))
            .max_by_key(|v| v.start())
            .or_else(|| laws().find(|v| v.start().is_none()))
    }

    /// Every document of the work.
    pub fn doc_ids(&self) -> impl Iterator<Item = &str> {
        self.versions
            .iter()
            .flat_map(|v| v.copies.iter().map(|c| c.doc_id.as_str()))
    }
}

/// The work, version label and status of a document alone in its work, from its record
/// alone: what [`Works::group`] would give it, without grouping (a search does this per hit).
pub fn alone(info: &DocInfo) -> (String, String, VersionStatus) {
    let e = &info.edition;
    let work = if info.error.is_some() {
        info.id.clone()
    } else if e.work.is_empty() {
        work_key(&info.jurisdiction, &info.title)
    } else {
        e.work.clone()
    };
    let label = if !e.version.is_empty() {
        e.version.clone()
    } else {
        e.amended
            .last()
            .or(e.adopted.as_ref())
            .cloned()
            .or_else(|| info.year.map(|y| y.to_string()))
            .and_then(|d| CalendarDate::parse(&d))
            .map_or_else(|| "undated".to_string(), |d| d.to_string())
    };
    let status = match info.status.as_str() {
        "repealed" => VersionStatus::Repealed,
        "draft" => VersionStatus::Draft,
        _ => VersionStatus::InForce,
    };
    (work, label, status)
}

/// Which version of each work a search reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Scope {
    /// The version in force, one copy.
    #[default]
    Current,
    /// The version in force on this day.
    AsOf(CalendarDate),
    /// Every version and copy.
    All,
}

/// Every work of a set of documents.
#[derive(Debug, Clone, Default)]
pub struct Works {
    pub works: Vec<Work>,
    /// doc id → (work, version) index.
    by_doc: HashMap<String, (usize, usize)>,
}

#[derive(Serialize)]
struct SummaryRef<'a> {
    excluded: Vec<String>,
    works: Vec<&'a Work>,
}

#[derive(Deserialize)]
struct Summary {
    excluded: Vec<String>,
    works: Vec<Work>,
}

/// A document as grouping sees it.
struct Member<'a> {
    info: &'a DocInfo,
    edition: Edition,
    hashes: Vec<u32>,
    /// The version label the document itself gives (manifest, dates or year).
    label: Option<String>,
}

impl<'a> Member<'a> {
    fn new(info: &'a DocInfo) -> Self {
        let mut edition = info.edition.clone();
        if info.error.is_some() {
            // Unreadable: nothing says which law it is, and it must never stand for one.
            edition.work = info.id.clone();
            edition.work_given = true;
        } else if edition.work.is_empty() {
            // A record indexed before editions were kept.
            edition.work = work_key(&info.jurisdiction, &info.title);
        }
        let label = if !edition.version.is_empty() {
            Some(edition.version.clone())
        } else {
            edition
                .amended
                .last()
                .cloned()
                .or_else(|| edition.adopted.clone())
                .or_else(|| info.year.map(|y| y.to_string()))
        };
        Member {
            hashes: edition.article_hashes(),
            info,
            edition,
            label,
        }
    }

    fn date(&self) -> Option<CalendarDate> {
        if !self.edition.version.is_empty() {
            return self
                .edition
                .amended
                .last()
                .or(self.edition.adopted.as_ref())
                .and_then(|d| CalendarDate::parse(d))
                .or_else(|| CalendarDate::parse(&self.edition.version))
                .or_else(|| {
                    self.info
                        .year
                        .and_then(|y| CalendarDate::parse(&y.to_string()))
                });
        }
        self.label.as_deref().and_then(CalendarDate::parse)
    }
}

fn format_rank(f: Format) -> u8 {
    match f {
        Format::Markdown => 0,
        Format::Text => 1,
        Format::Html => 2,
        Format::Json => 3,
        Format::Xml => 4,
        Format::Docx => 5,
        Format::Doc => 6,
        Format::Pdf => 7,
    }
}

/// Share of `a`'s and `b`'s articles (as a multiset) they have in common, over the longer.
fn similarity(a: &[u32], b: &[u32]) -> f64 {
    if a.is_empty() || b.is_empty() {
        return 0.0;
    }
    let mut counts: HashMap<u32, usize> = HashMap::new();
    for h in a {
        *counts.entry(*h).or_default() += 1;
    }
    let mut same = 0;
    for h in b {
        if let Some(n) = counts.get_mut(h) {
            if *n > 0 {
                *n -= 1;
                same += 1;
            }
        }
    }
    same as f64 / a.len().max(b.len()) as f64
}

impl Works {
    /// Groups documents into works: by the manifest's `work`, else by jurisdiction and title
    /// without version notes (a document of unknown jurisdiction joins the one work of known
    /// jurisdiction with its title; one with a title of its own joins a work holding exactly
    /// its article texts). Within a work, documents with the same manifest `version`, or with
    /// compatible dates and at least 90 % of their articles the same, or with exactly the same
    /// articles, are copies of one version; the others are versions of their own, ordered by
    /// date, the latest in force.
    pub fn group<'a>(infos: impl IntoIterator<Item = &'a DocInfo>) -> Works {
        let members: Vec<Member> = infos.into_iter().map(Member::new).collect();
        let mut buckets: BTreeMap<String, Vec<usize>> = BTreeMap::new();
        let mut notes: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for (i, m) in members.iter().enumerate() {
            buckets.entry(m.edition.work.clone()).or_default().push(i);
        }
        // Unknown jurisdiction: join the one known work of the same title.
        let mut by_title: HashMap<String, Vec<String>> = HashMap::new();
        for (key, idx) in &buckets {
            let m = &members[idx[0]];
            if !m.info.jurisdiction.is_empty() && !m.edition.work_given {
                by_title
                    .entry(title_key(&m.info.title))
                    .or_default()
                    .push(key.clone());
            }
        }
        let keys: Vec<String> = buckets.keys().cloned().collect();
        for key in &keys {
            let idx = &buckets[key];
            let unknown = idx.iter().all(|&i| {
                members[i].info.jurisdiction.is_empty() && !members[i].edition.work_given
            });
            if !unknown {
                continue;
            }
            if let Some([target]) = by_title.get(key.as_str()).map(Vec::as_slice) {
                let moved = buckets.remove(key).unwrap_or_default();
                for &i in &moved {
                    notes.entry(target.clone()).or_default().push(format!(
                        "{}: jurisdiction unknown, joined by its title",
                        members[i].info.id
                    ));
                }
                buckets.entry(target.clone()).or_default().extend(moved);
            }
        }
        // A lone document whose articles are exactly another work's: a copy with a title of
        // its own (a PDF whose metadata names the converter, say).
        let mut by_text: HashMap<&[u32], String> = HashMap::new();
        for (key, idx) in &buckets {
            for &i in idx {
                if members[i].hashes.len() >= 3 {
                    by_text
                        .entry(&members[i].hashes)
                        .or_insert_with(|| key.clone());
                }
            }
        }
        let keys: Vec<String> = buckets.keys().cloned().collect();
        for key in &keys {
            let Some(idx) = buckets.get(key) else {
                continue;
            };
            let [i] = idx.as_slice() else { continue };
            let m = &members[*i];
            if m.edition.work_given || m.hashes.len() < 3 {
                continue;
            }
            let Some(target) = by_text.get(m.hashes.as_slice()) else {
                continue;
            };
            if target == key || !buckets.contains_key(target) {
                continue;
            }
            let target = target.clone();
            notes.entry(target.clone()).or_default().push(format!(
                "{}: title {:?} differs, joined by the same article texts",
                m.info.id, m.info.title
            ));
            let moved = buckets.remove(key).unwrap_or_default();
            buckets.entry(target).or_default().extend(moved);
        }
        let mut works = Vec::with_capacity(buckets.len());
        for (key, idx) in buckets {
            let basis = notes.remove(&key).unwrap_or_default();
            works.push(work(key, idx, &members, basis));
        }
        let mut out = Works {
            works,
            by_doc: HashMap::new(),
        };
        out.index();
        out
    }

    /// What a commit keeps of the grouping (see `IndexBatch::commit_with`): the works of more
    /// than one document (a document alone is its own work, known from its record) and the
    /// documents a search of the versions in force leaves out.
    pub fn summary(&self) -> String {
        let summary = SummaryRef {
            excluded: {
                let mut v: Vec<String> = self.excluded(Scope::Current).into_iter().collect();
                v.sort();
                v
            },
            works: self
                .works
                .iter()
                .filter(|w| w.doc_ids().nth(1).is_some())
                .collect(),
        };
        serde_json::to_string(&summary).unwrap_or_default()
    }

    /// The works of more than one document and the documents left out of a search of the
    /// versions in force, from a [`Works::summary`]; `None` when it does not read.
    pub fn from_summary(json: &str) -> Option<(Works, HashSet<String>)> {
        let s: Summary = serde_json::from_str(json).ok()?;
        let mut works = Works {
            works: s.works,
            by_doc: HashMap::new(),
        };
        works.index();
        Some((works, s.excluded.into_iter().collect()))
    }

    fn index(&mut self) {
        self.by_doc.clear();
        for (w, work) in self.works.iter().enumerate() {
            for (v, version) in work.versions.iter().enumerate() {
                for c in &version.copies {
                    self.by_doc.insert(c.doc_id.clone(), (w, v));
                }
            }
        }
    }

    /// The work and version of a document.
    pub fn of(&self, doc_id: &str) -> Option<(&Work, &Version)> {
        let &(w, v) = self.by_doc.get(doc_id)?;
        let work = &self.works[w];
        Some((work, &work.versions[v]))
    }

    /// A work by id.
    pub fn get(&self, id: &str) -> Option<&Work> {
        self.works.iter().find(|w| w.id == id)
    }

    /// The documents a search in `scope` leaves out: every copy but the first of the chosen
    /// version, every other version, and works not yet in force on the day asked.
    pub fn excluded(&self, scope: Scope) -> HashSet<String> {
        let mut out = HashSet::new();
        for w in &self.works {
            let chosen = match scope {
                Scope::All => continue,
                Scope::Current => w.current(),
                Scope::AsOf(day) => w.as_of(day),
            };
            let keep = chosen.map(|v| v.primary().doc_id.as_str());
            out.extend(w.doc_ids().filter(|d| Some(*d) != keep).map(str::to_string));
        }
        out
    }
}

/// One work from the documents of a bucket.
fn work(key: String, idx: Vec<usize>, members: &[Member], mut basis: Vec<String>) -> Work {
    let mut order = idx;
    // Documents that say the most about their version first, then the best formats.
    order.sort_by(|&a, &b| {
        let (ma, mb) = (&members[a], &members[b]);
        (ma.edition.version.is_empty(), ma.label.is_none())
            .cmp(&(mb.edition.version.is_empty(), mb.label.is_none()))
            .then(format_rank(ma.info.format).cmp(&format_rank(mb.info.format)))
            .then(ma.info.id.cmp(&mb.info.id))
    });
    let first = &members[order[0]];
    if first.edition.work_given {
        basis.insert(0, format!("work `{key}` given by the manifest"));
    } else if first.info.jurisdiction.is_empty() {
        basis.insert(
            0,
            format!(
                "work inferred from the title {:?}",
                title_key(&first.info.title)
            ),
        );
    } else {
        basis.insert(
            0,
            format!(
                "work inferred from jurisdiction {} and title {:?}",
                first.info.jurisdiction,
                title_key(&first.info.title)
            ),
        );
    }
    // versions: (members, reason per member)
    let mut groups: Vec<Vec<(usize, String)>> = Vec::new();
    for &i in &order {
        let m = &members[i];
        let mut home = None;
        for (g, group) in groups.iter().enumerate() {
            let lead = &members[group[0].0];
            let reason = if !m.edition.version.is_empty() || !lead.edition.version.is_empty() {
                (m.edition.version == lead.edition.version)
                    .then(|| format!("same version {:?} given by the manifest", m.edition.version))
            } else if !m.hashes.is_empty() && m.hashes == lead.hashes {
                Some(format!("same {} article texts", m.hashes.len()))
            } else {
                let dates_agree = match (m.date(), lead.date()) {
                    (Some(a), Some(b)) => a.compatible(b),
                    _ => false,
                };
                let sim = similarity(&m.hashes, &lead.hashes);
                (dates_agree && sim >= COPY_SIMILARITY).then(|| {
                    format!(
                        "same date {} and {:.0} % of the article texts",
                        lead.label.as_deref().unwrap_or("?"),
                        sim * 100.0
                    )
                })
            };
            if let Some(r) = reason {
                home = Some((g, r));
                break;
            }
        }
        match home {
            Some((g, r)) => groups[g].push((i, r)),
            None => groups.push(vec![(i, String::new())]),
        }
    }
    let mut versions: Vec<(Option<CalendarDate>, Version)> = groups
        .into_iter()
        .map(|g| {
            let lead = &members[g[0].0];
            // The most precise date any copy gives; on a tie, the first copy's (the one with
            // the most metadata, in the best format).
            let date = g.iter().filter_map(|(i, _)| members[*i].date()).fold(
                None::<CalendarDate>,
                |best, d| match best {
                    Some(b) if (b.month != 0, b.day != 0) >= (d.month != 0, d.day != 0) => Some(b),
                    _ => Some(d),
                },
            );
            let pick = |f: &dyn Fn(&Edition) -> Option<String>| {
                g.iter().find_map(|(i, _)| f(&members[*i].edition))
            };
            let amended = g
                .iter()
                .map(|(i, _)| &members[*i].edition.amended)
                .max_by_key(|a| a.len())
                .cloned()
                .unwrap_or_default();
            let adopted = pick(&|e| e.adopted.clone());
            let effective = pick(&|e| e.effective.clone());
            let repealed = g.iter().any(|(i, _)| members[*i].info.status == "repealed");
            let draft = g.iter().all(|(i, _)| members[*i].info.status == "draft");
            let mut copies: Vec<(usize, String)> = g;
            copies.sort_by(|a, b| {
                let (ma, mb) = (&members[a.0], &members[b.0]);
                format_rank(ma.info.format)
                    .cmp(&format_rank(mb.info.format))
                    .then(ma.info.id.cmp(&mb.info.id))
            });
            let version = Version {
                label: if !lead.edition.version.is_empty() {
                    lead.edition.version.clone()
                } else {
                    date.map_or_else(|| "undated".to_string(), |d| d.to_string())
                },
                date: date.map(|d| d.to_string()),
                adopted,
                amended,
                effective,
                status: if repealed {
                    VersionStatus::Repealed
                } else if draft {
                    VersionStatus::Draft
                } else {
                    VersionStatus::Superseded
                },
                copies: copies
                    .into_iter()
                    .map(|(i, why)| Copy {
                        doc_id: members[i].info.id.clone(),
                        source: members[i].info.source.clone(),
                        format: members[i].info.format,
                        title: members[i].info.title.clone(),
                        articles: members[i].hashes.len(),
                        basis: why,
                    })
                    .collect(),
            };
            (date, version)
        })
        .collect();
    // Oldest first; undated versions before dated ones (an unknown date is not the latest).
    versions.sort_by(|a, b| a.0.cmp(&b.0).then(a.1.label.cmp(&b.1.label)));
    let mut versions: Vec<Version> = versions.into_iter().map(|(_, v)| v).collect();
    if let Some(last) = versions
        .iter_mut()
        .rev()
        .find(|v| v.status == VersionStatus::Superseded)
    {
        last.status = VersionStatus::InForce;
    }
    // A repealed latest version leaves nothing in force; older ones stay superseded.
    if versions.len() > 1 {
        basis.push(format!(
            "{} versions, ordered by date; the latest not repealed is in force",
            versions.len()
        ));
    }
    // The first copy's reason is empty by construction; the others say why.
    let title = versions
        .last()
        .map(|v| v.primary().title.clone())
        .unwrap_or_default();
    Work {
        id: key,
        title,
        jurisdiction: first.info.jurisdiction.clone(),
        versions,
        basis,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn info(
        id: &str,
        title: &str,
        jur: &str,
        format: Format,
        dates: &[&str],
        arts: &[&str],
    ) -> DocInfo {
        let mut i = DocInfo::new(
            id,
            format!("{id}.{}", format.name()),
            title,
            format,
            "zh-Hans",
        );
        i.jurisdiction = jur.into();
        i.edition = Edition {
            work: if jur.is_empty() {
                title_key(title)
            } else {
                work_key(jur, title)
            },
            amended: dates.iter().map(|d| d.to_string()).collect(),
            articles: arts
                .iter()
                .map(|a| format!("{:08x}", a.len() as u32 * 7919 + a.as_bytes()[0] as u32))
                .collect(),
            ..Edition::default()
        };
        i
    }

    #[test]
    fn copies_and_versions_of_one_law() {
        let old = ["a", "bb", "ccc", "dddd"];
        let new = ["a", "bb", "ccc", "ddddd"];
        let docs = [
            info(
                "pll-2017",
                "公共图书馆法（2017原始文本）",
                "CN",
                Format::Markdown,
                &["2017"],
                &old,
            ),
            info(
                "pll-2018",
                "公共图书馆法（2018修正）",
                "CN",
                Format::Markdown,
                &["2018-10-26"],
                &new,
            ),
            info(
                "pll-2018-html",
                "公共图书馆法（2018修正）",
                "CN",
                Format::Html,
                &["2018-10-26"],
                &new,
            ),
            info(
                "pll-2018-pdf",
                "公共图书馆法",
                "",
                Format::Pdf,
                &["2018-10-26"],
                &new,
            ),
            info(
                "museum",
                "博物馆条例",
                "CN",
                Format::Markdown,
                &[],
                &["x", "yy", "zzz"],
            ),
        ];
        let works = Works::group(docs.iter());
        assert_eq!(works.works.len(), 2);
        let (w, v) = works.of("pll-2018-pdf").unwrap();
        assert_eq!(w.id, "cn:公共图书馆法");
        assert_eq!(w.versions.len(), 2);
        assert_eq!(v.label, "2018-10-26");
        assert_eq!(v.status, VersionStatus::InForce);
        let ids: Vec<&str> = v.copies.iter().map(|c| c.doc_id.as_str()).collect();
        assert_eq!(ids, ["pll-2018", "pll-2018-html", "pll-2018-pdf"]);
        assert_eq!(w.versions[0].status, VersionStatus::Superseded);
        let excluded = works.excluded(Scope::Current);
        assert!(!excluded.contains("pll-2018") && !excluded.contains("museum"));
        assert_eq!(excluded.len(), 3);
        let then = works.excluded(Scope::AsOf(CalendarDate::parse("2018-01-01").unwrap()));
        assert!(!then.contains("pll-2017") && then.contains("pll-2018"));
        assert!(works.excluded(Scope::All).is_empty());
        assert!(
            w.basis.iter().any(|b| b.contains("jurisdiction unknown")),
            "{:?}",
            w.basis
        );
        // A document alone: the same place from its record as from the grouping.
        for d in [&docs[4], &docs[0]] {
            let single = Works::group(std::iter::once(d));
            let (w, v) = single.of(&d.id).unwrap();
            assert_eq!(
                alone(d),
                (w.id.clone(), v.label.clone(), v.status),
                "{}",
                d.id
            );
        }
    }
}
