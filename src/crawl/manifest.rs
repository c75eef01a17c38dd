//! Corpus manifests: the TOML files that list sources (`[[source]]`), listings to discover
//! sources from (`[[listing]]`) and crawl politeness settings (`[crawl]`).
//!
//! The keys are a contract with users and scripts (see DESIGN.md): keys may be added, none
//! renamed. Unknown keys are refused so that a misspelt `jurisdicton` is an error, not silently
//! missing metadata.

use std::fmt;
use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::Deserialize;

use crate::model::SourceMeta;

/// Why a manifest could not be loaded. Displays as one line naming the file.
#[derive(Debug, thiserror::Error)]
pub enum ManifestError {
    #[error("manifest {}: cannot read: {source}", path.display())]
    Read {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("manifest {}: {message}", path.display())]
    Syntax { path: PathBuf, message: String },
    #[error("manifest {}: {what}: {message}", path.display())]
    Invalid {
        path: PathBuf,
        /// Which entry: `source 3 (cn.public-library-law)`, `[crawl]`.
        what: String,
        message: String,
    },
}

/// A calendar date as a manifest writes it (`2018-10-26`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Date {
    pub year: i32,
    pub month: u8,
    pub day: u8,
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

/// Where a source's bytes are.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Location {
    /// A local file, resolved against the manifest's folder.
    Path(PathBuf),
    /// A URL to fetch.
    Url(String),
}

/// One `[[source]]`: a document and what is known about it.
#[derive(Debug, Clone, PartialEq)]
pub struct ManifestSource {
    /// id, title, jurisdiction, level, kind, language, status, select, work, version, the
    /// dates as text, and the version year (`year`, else the last `amended`, else `adopted`).
    pub meta: SourceMeta,
    pub location: Location,
    pub adopted: Option<Date>,
    pub amended: Vec<Date>,
    pub effective: Option<Date>,
}

/// One `[[listing]]`: index pages from which documents are discovered.
#[derive(Debug, Clone, PartialEq)]
pub struct Listing {
    pub id: String,
    pub start: String,
    /// CSS selector of links to documents.
    pub links: String,
    /// CSS selector of the link to the next index page.
    pub next: Option<String>,
    /// URL prefix the crawl never leaves.
    pub scope: String,
    pub max_pages: u32,
    /// Metadata given to every discovered document.
    pub defaults: SourceMeta,
}

/// `[crawl]`: per-host politeness defaults.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CrawlSettings {
    pub user_agent: String,
    pub delay: Duration,
    pub concurrency: u32,
    pub timeout: Duration,
    pub max_bytes: u64,
}

/// The `User-Agent` when `[crawl] user_agent` is not given.
pub const DEFAULT_USER_AGENT: &str = concat!(
    "lawdex/",
    env!("CARGO_PKG_VERSION"),
    " (+https://example.org/lawdex)"
);

impl Default for CrawlSettings {
    fn default() -> Self {
        CrawlSettings {
            // A placeholder contact: a crawl that runs for real sets its own in `[crawl]`.
            user_agent: DEFAULT_USER_AGENT.to_string(),
            delay: Duration::from_secs(1),
            concurrency: 2,
            timeout: Duration::from_secs(30),
            max_bytes: 50 * 1000 * 1000,
        }
    }
}

/// A loaded and validated manifest.
#[derive(Debug, Clone, PartialEq)]
pub struct Manifest {
    /// The manifest file.
    pub path: PathBuf,
    pub crawl: CrawlSettings,
    pub sources: Vec<ManifestSource>,
    pub listings: Vec<Listing>,
}

const LEVELS: &[&str] = &[
    "national",
    "provincial",
    "municipal",
    "county",
    "international",
];
const STATUSES: &[&str] = &["in-force", "amended", "repealed", "draft"];

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawManifest {
    crawl: Option<RawCrawl>,
    #[serde(default)]
    source: Vec<RawSource>,
    #[serde(default)]
    listing: Vec<RawListing>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCrawl {
    user_agent: Option<String>,
    delay: Option<String>,
    concurrency: Option<u32>,
    timeout: Option<String>,
    max_bytes: Option<SizeValue>,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum SizeValue {
    Bytes(u64),
    Text(String),
}

#[derive(Deserialize)]
#[serde(untagged)]
enum DateValue {
    Date(toml::value::Datetime),
    Text(String),
}

#[derive(Deserialize)]
#[serde(untagged)]
enum OneOrMany<T> {
    One(T),
    Many(Vec<T>),
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSource {
    id: Option<String>,
    url: Option<String>,
    path: Option<String>,
    title: Option<String>,
    jurisdiction: Option<String>,
    level: Option<String>,
    kind: Option<String>,
    language: Option<String>,
    adopted: Option<DateValue>,
    amended: Option<OneOrMany<DateValue>>,
    effective: Option<DateValue>,
    status: Option<String>,
    select: Option<String>,
    year: Option<i32>,
    work: Option<String>,
    version: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawListing {
    id: Option<String>,
    start: Option<String>,
    links: Option<String>,
    next: Option<String>,
    scope: Option<String>,
    max_pages: Option<u32>,
    #[serde(default)]
    defaults: RawDefaults,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawDefaults {
    jurisdiction: Option<String>,
    level: Option<String>,
    kind: Option<String>,
    language: Option<String>,
    status: Option<String>,
}

impl Manifest {
    /// Reads and validates every manifest of `paths`; the first bad one is the error, before
    /// anything is fetched or written.
    pub fn load_all(paths: &[PathBuf]) -> Result<Vec<Manifest>, ManifestError> {
        paths.iter().map(|p| Manifest::load(p)).collect()
    }

    /// Reads and validates a manifest file.
    pub fn load(path: &Path) -> Result<Manifest, ManifestError> {
        let text = std::fs::read_to_string(path).map_err(|e| ManifestError::Read {
            path: path.to_path_buf(),
            source: e,
        })?;
        Manifest::parse(&text, path)
    }

    /// Parses manifest text; `path` names the file in errors and anchors relative paths.
    pub fn parse(text: &str, path: &Path) -> Result<Manifest, ManifestError> {
        let raw: RawManifest = toml::from_str(text).map_err(|e| ManifestError::Syntax {
            path: path.to_path_buf(),
            message: one_line(&e.to_string()),
        })?;
        let base = path.parent().unwrap_or(Path::new("."));
        let invalid = |what: String, message: String| ManifestError::Invalid {
            path: path.to_path_buf(),
            what,
            message,
        };
        let crawl = match raw.crawl {
            Some(c) => crawl_settings(c).map_err(|m| invalid("[crawl]".into(), m))?,
            None => CrawlSettings::default(),
        };
        let mut sources = Vec::with_capacity(raw.source.len());
        let mut seen = std::collections::HashMap::new();
        for (i, s) in raw.source.into_iter().enumerate() {
            let what = match &s.id {
                Some(id) => format!("source {} ({id})", i + 1),
                None => format!("source {}", i + 1),
            };
            let source = manifest_source(s, base).map_err(|m| invalid(what.clone(), m))?;
            let id = source.meta.id.clone().unwrap_or_default();
            if let Some(first) = seen.insert(id.clone(), i + 1) {
                return Err(invalid(
                    what,
                    format!("id `{id}` is already used by source {first}"),
                ));
            }
            sources.push(source);
        }
        let mut listings = Vec::new();
        for (i, l) in raw.listing.into_iter().enumerate() {
            let what = match &l.id {
                Some(id) => format!("listing {} ({id})", i + 1),
                None => format!("listing {}", i + 1),
            };
            listings.push(listing(l).map_err(|m| invalid(what, m))?);
        }
        if sources.is_empty() && listings.is_empty() {
            // An empty file (or one of [crawl] alone) names nothing to read: a mistake, and
            // taken as a manifest it would remove every document it once named.
            return Err(ManifestError::Syntax {
                path: path.to_path_buf(),
                message: "declares no [[source]] and no [[listing]]".into(),
            });
        }
        Ok(Manifest {
            path: path.to_path_buf(),
            crawl,
            sources,
            listings,
        })
    }
}

fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn manifest_source(s: RawSource, base: &Path) -> Result<ManifestSource, String> {
    let id = check_id(s.id.as_deref())?;
    let location = match (s.url, s.path) {
        (Some(_), Some(_)) => return Err("both `url` and `path` are given; use one".into()),
        (None, None) => return Err("needs `url` or `path`".into()),
        (Some(u), None) => Location::Url(check_url(&u, "url")?),
        (None, Some(p)) => {
            if p.trim().is_empty() {
                return Err("`path` is empty".into());
            }
            Location::Path(base.join(p))
        }
    };
    let adopted = s.adopted.map(|d| date(d, "adopted")).transpose()?;
    let amended = match s.amended {
        None => Vec::new(),
        Some(OneOrMany::One(d)) => vec![date(d, "amended")?],
        Some(OneOrMany::Many(ds)) => ds
            .into_iter()
            .map(|d| date(d, "amended"))
            .collect::<Result<_, _>>()?,
    };
    let effective = s.effective.map(|d| date(d, "effective")).transpose()?;
    let year = s
        .year
        .or_else(|| amended.iter().max().map(|d| d.year))
        .or(adopted.map(|d| d.year));
    let meta = SourceMeta {
        id: Some(id),
        title: non_empty(s.title),
        jurisdiction: s.jurisdiction.map(|j| check_jurisdiction(&j)).transpose()?,
        level: s.level.map(|l| check_in(&l, "level", LEVELS)).transpose()?,
        kind: non_empty(s.kind),
        language: s.language.map(|l| check_language(&l)).transpose()?,
        status: s
            .status
            .map(|v| check_in(&v, "status", STATUSES))
            .transpose()?,
        year,
        select: non_empty(s.select),
        work: non_empty(s.work),
        version: non_empty(s.version),
        adopted: adopted.map(|d| d.to_string()),
        amended: amended.iter().map(Date::to_string).collect(),
        effective: effective.map(|d| d.to_string()),
        link_text: None,
    };
    Ok(ManifestSource {
        meta,
        location,
        adopted,
        amended,
        effective,
    })
}

fn listing(l: RawListing) -> Result<Listing, String> {
    let id = check_id(l.id.as_deref())?;
    let start = check_url(l.start.as_deref().unwrap_or(""), "start")?;
    let scope = check_url(l.scope.as_deref().unwrap_or(""), "scope")?;
    if !start.starts_with(&scope) {
        return Err(format!("`start` {start} is outside `scope` {scope}"));
    }
    let links = non_empty(l.links).ok_or("needs `links` (a CSS selector of document links)")?;
    // A selector that does not parse is known before any request.
    for (key, sel) in [("links", Some(&links)), ("next", l.next.as_ref())] {
        if let Some(sel) = sel.filter(|s| !s.trim().is_empty()) {
            scraper::Selector::parse(sel)
                .map_err(|e| format!("`{key}` {sel:?} is not a CSS selector: {e}"))?;
        }
    }
    let max_pages = l.max_pages.unwrap_or(50);
    if max_pages == 0 {
        return Err("`max_pages` must be at least 1".into());
    }
    let d = l.defaults;
    let defaults = SourceMeta {
        jurisdiction: d.jurisdiction.map(|j| check_jurisdiction(&j)).transpose()?,
        level: d.level.map(|v| check_in(&v, "level", LEVELS)).transpose()?,
        kind: non_empty(d.kind),
        language: d.language.map(|v| check_language(&v)).transpose()?,
        status: d
            .status
            .map(|v| check_in(&v, "status", STATUSES))
            .transpose()?,
        ..SourceMeta::default()
    };
    Ok(Listing {
        id,
        start,
        links,
        next: non_empty(l.next),
        scope,
        max_pages,
        defaults,
    })
}

fn crawl_settings(c: RawCrawl) -> Result<CrawlSettings, String> {
    let d = CrawlSettings::default();
    let concurrency = c.concurrency.unwrap_or(d.concurrency);
    if concurrency == 0 {
        return Err("`concurrency` must be at least 1".into());
    }
    Ok(CrawlSettings {
        user_agent: match c.user_agent {
            Some(ua) if ua.trim().is_empty() => return Err("`user_agent` is empty".into()),
            Some(ua) => ua,
            None => d.user_agent,
        },
        delay: c
            .delay
            .map(|s| duration(&s, "delay"))
            .transpose()?
            .unwrap_or(d.delay),
        concurrency,
        timeout: match c.timeout.map(|s| duration(&s, "timeout")).transpose()? {
            // Every request would time out before it is sent.
            Some(t) if t.is_zero() => return Err("`timeout` must be more than 0".into()),
            t => t.unwrap_or(d.timeout),
        },
        max_bytes: match c.max_bytes {
            None => d.max_bytes,
            Some(SizeValue::Bytes(n)) => n,
            Some(SizeValue::Text(s)) => size(&s)?,
        },
    })
}

fn non_empty(s: Option<String>) -> Option<String> {
    s.map(|s| s.trim().to_string()).filter(|s| !s.is_empty())
}

fn check_id(id: Option<&str>) -> Result<String, String> {
    let id = id.map(str::trim).unwrap_or("");
    if id.is_empty() {
        return Err("needs an `id`".into());
    }
    // Clause ids are `{doc_id}/art33`: a slash would make them ambiguous.
    if let Some(c) = id.chars().find(|c| *c == '/' || c.is_whitespace()) {
        return Err(format!(
            "id `{id}` contains {c:?}; use letters, digits, `.`, `-`, `_`"
        ));
    }
    Ok(id.to_string())
}

fn check_url(u: &str, key: &str) -> Result<String, String> {
    let u = u.trim();
    if u.is_empty() {
        return Err(format!("needs `{key}`"));
    }
    if !(u.starts_with("https://") || u.starts_with("http://")) {
        return Err(format!("`{key}` {u} is not an http(s) URL"));
    }
    // `http:///flfg/1.html` parses (WHATWG URLs skip the empty host and take `flfg`), but its
    // author meant a host that is missing.
    let after_scheme = u.split_once("://").map_or("", |(_, rest)| rest);
    let parsed = url::Url::parse(u).map_err(|e| format!("`{key}` {u} is not a URL: {e}"))?;
    if after_scheme.starts_with('/') || parsed.host_str().is_none_or(str::is_empty) {
        return Err(format!("`{key}` {u} has no host"));
    }
    Ok(u.to_string())
}

fn check_in(value: &str, key: &str, allowed: &[&str]) -> Result<String, String> {
    let v = value.trim().to_lowercase();
    if allowed.contains(&v.as_str()) {
        Ok(v)
    } else {
        Err(format!(
            "`{key}` {value:?} is not one of {}",
            allowed.join(", ")
        ))
    }
}

/// `CN`, `CN-SH`, `US-CA`: ISO 3166-1 alpha-2, optionally a subdivision.
fn check_jurisdiction(j: &str) -> Result<String, String> {
    let upper = j.trim().to_uppercase();
    let mut parts = upper.split('-');
    let country = parts.next().unwrap_or("");
    let sub = parts.next();
    let ok = country.len() == 2
        && country.bytes().all(|b| b.is_ascii_uppercase())
        && sub.is_none_or(|s| {
            (1..=3).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_alphanumeric())
        })
        && parts.next().is_none();
    if ok {
        Ok(upper)
    } else {
        Err(format!(
            "`jurisdiction` {j:?} is not an ISO 3166 code such as CN or CN-SH"
        ))
    }
}

/// BCP 47, loosely: `zh-Hans`, `en`, `ko`.
fn check_language(l: &str) -> Result<String, String> {
    let l = l.trim();
    let mut parts = l.split('-');
    let first = parts.next().unwrap_or("");
    let ok = (2..=3).contains(&first.len())
        && first.bytes().all(|b| b.is_ascii_alphabetic())
        && parts
            .all(|p| (1..=8).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_alphanumeric()));
    if ok {
        Ok(l.to_string())
    } else {
        Err(format!(
            "`language` {l:?} is not a BCP 47 tag such as zh-Hans or en"
        ))
    }
}

fn date(d: DateValue, key: &str) -> Result<Date, String> {
    let bad = |v: &str| format!("`{key}` {v} is not a date such as 2018-10-26");
    let date = match d {
        DateValue::Date(dt) => match dt.date {
            Some(x) => Date {
                year: i32::from(x.year),
                month: x.month,
                day: x.day,
            },
            None => return Err(bad(&dt.to_string())),
        },
        DateValue::Text(s) => {
            let parts: Vec<&str> = s.trim().split('-').collect();
            match parts.as_slice() {
                [y, m, d] => match (y.parse(), m.parse(), d.parse()) {
                    (Ok(year), Ok(month), Ok(day)) => Date { year, month, day },
                    _ => return Err(bad(&s)),
                },
                _ => return Err(bad(&s)),
            }
        }
    };
    if date.month == 0
        || date.month > 12
        || date.day == 0
        || date.day > crate::work::days_in_month(date.year, date.month)
    {
        return Err(format!("`{key}` {date} is not a calendar date"));
    }
    Ok(date)
}

/// `1s`, `500ms`, `2m`, `1h 30m` (humantime).
fn duration(s: &str, key: &str) -> Result<Duration, String> {
    let d = humantime::parse_duration(s.trim())
        .map_err(|e| format!("`{key}` {s:?} is not a duration such as 1s or 500ms: {e}"))?;
    if d > Duration::from_secs(86_400) {
        return Err(format!("`{key}` {s:?} is out of range (at most a day)"));
    }
    Ok(d)
}

/// `50MB`, `512KB`, `1MiB`, `1000` (bytes), as bytesize reads them: KB/MB/GB are decimal.
fn size(s: &str) -> Result<u64, String> {
    s.trim()
        .parse::<bytesize::ByteSize>()
        .map(|b| b.as_u64())
        .map_err(|e| format!("`max_bytes` {s:?} is not a size such as 50MB: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    const DESIGN_EXAMPLE: &str = r#"
[crawl]
user_agent = "lawdex/0.1 (+https://example.org/lawdex)"
delay = "1s"
concurrency = 2
timeout = "30s"
max_bytes = "50MB"

[[source]]
id = "cn.public-library-law"
url = "https://example.gov.cn/flfg/plla.html"
title = "中华人民共和国公共图书馆法"
jurisdiction = "CN"
level = "national"
kind = "law"
language = "zh-Hans"
adopted = 2017-11-04
amended = [2018-10-26]
status = "in-force"
select = "article"

[[source]]
id = "cn.local"
path = "docs/plla.md"

[[listing]]
id = "cn-sh.regulations"
start = "https://example.gov.cn/flfg/index.html"
links = "ul.list a"
next = "a.next"
scope = "https://example.gov.cn/flfg/"
max_pages = 50
defaults = { jurisdiction = "CN-SH", level = "provincial", kind = "local-regulation", language = "zh-Hans" }
"#;

    #[test]
    fn reads_every_key_of_the_design_example() {
        let m = Manifest::parse(DESIGN_EXAMPLE, Path::new("/m/corpus.toml")).unwrap();
        assert_eq!(m.crawl.delay, Duration::from_secs(1));
        assert_eq!(m.crawl.max_bytes, 50_000_000);
        let s = &m.sources[0];
        assert_eq!(s.meta.id.as_deref(), Some("cn.public-library-law"));
        assert_eq!(s.meta.jurisdiction.as_deref(), Some("CN"));
        assert_eq!(
            s.meta.year,
            Some(2018),
            "the last amendment dates the version"
        );
        assert_eq!(
            s.adopted.map(|d| d.to_string()).as_deref(),
            Some("2017-11-04")
        );
        assert_eq!(s.meta.select.as_deref(), Some("article"));
        assert!(matches!(&s.location, Location::Url(u) if u.ends_with("plla.html")));
        assert_eq!(
            m.sources[1].location,
            Location::Path(PathBuf::from("/m/docs/plla.md"))
        );
        let l = &m.listings[0];
        assert_eq!(l.defaults.jurisdiction.as_deref(), Some("CN-SH"));
        assert_eq!(l.next.as_deref(), Some("a.next"));
    }

    #[test]
    fn errors_name_the_entry_and_the_problem() {
        let err = |text: &str| {
            Manifest::parse(text, Path::new("m.toml"))
                .unwrap_err()
                .to_string()
        };
        let e = err("[[source]]\nid = \"a\"\nurl = \"https://x/\"\npath = \"x.md\"\n");
        assert!(e.contains("source 1 (a)") && e.contains("both"), "{e}");
        let e = err("[[source]]\nid = \"a\"\npath = \"x.md\"\nlevel = \"galactic\"\n");
        assert!(e.contains("level") && e.contains("national"), "{e}");
        let e = err("[[source]]\nid = \"a\"\npath = \"x.md\"\njurisdicton = \"CN\"\n");
        assert!(e.contains("jurisdicton"), "{e}");
        let e = err(
            "[[source]]\nid = \"a\"\npath = \"x.md\"\n[[source]]\nid = \"a\"\npath = \"y.md\"\n",
        );
        assert!(e.contains("already used by source 1"), "{e}");
        let e = err("[[source]]\nid = \"a/b\"\npath = \"x.md\"\n");
        assert!(e.contains("'/'"), "{e}");
        let e = err("[crawl]\ndelay = \"soon\"\n");
        assert!(e.contains("[crawl]") && e.contains("delay"), "{e}");
        let e = err("[[listing]]\nid = \"l\"\nstart = \"https://a/x\"\nscope = \"https://b/\"\nlinks = \"a\"\n");
        assert!(e.contains("outside"), "{e}");
        assert!(!err("[[source]\n").contains('\n'));
        // Known before any request: nothing to read, a URL without a host, a selector that
        // does not parse.
        assert!(err("").contains("declares no [[source]]"));
        assert!(err("[crawl]\ndelay = \"1s\"\n").contains("declares no [[source]]"));
        let e = err("[[source]]\nid = \"a\"\nurl = \"http:///flfg/1.html\"\n");
        assert!(e.contains("has no host"), "{e}");
        let e = err("[[listing]]\nid = \"l\"\nstart = \"https://a/x/\"\nscope = \"https://a/\"\nlinks = \"ul.list a[\"\n");
        assert!(
            e.contains("listing 1 (l)") && e.contains("not a CSS selector"),
            "{e}"
        );
    }

    #[test]
    fn durations_sizes_and_dates_are_checked() {
        let crawl = |body: &str| {
            let text = format!("[crawl]\n{body}\n\n[[source]]\nid = \"a\"\npath = \"a.md\"\n");
            Manifest::parse(&text, Path::new("m.toml")).map(|m| m.crawl)
        };
        let c = crawl("delay = \"200ms\"\ntimeout = \"30s\"\nmax_bytes = \"512KB\"").unwrap();
        assert_eq!(c.delay, Duration::from_millis(200));
        assert_eq!(c.timeout, Duration::from_secs(30));
        assert_eq!(c.max_bytes, 512_000);
        assert_eq!(crawl("max_bytes = \"1MiB\"").unwrap().max_bytes, 1 << 20);
        assert_eq!(crawl("max_bytes = 1000").unwrap().max_bytes, 1000);
        assert!(crawl("max_bytes = \"lots\"").is_err());
        assert!(crawl("timeout = \"2 days\"").is_err());
        assert!(crawl("").unwrap().user_agent.contains("(+http"));
        assert!(crawl("timeout = \"0s\"")
            .unwrap_err()
            .to_string()
            .contains("more than 0"));
        let date = |d: &str| {
            Manifest::parse(
                &format!("[[source]]\nid = \"a\"\npath = \"a.md\"\nadopted = {d}\n"),
                Path::new("m.toml"),
            )
        };
        let e = date("2023-02-31").unwrap_err().to_string();
        assert!(e.contains("2023-02-31"), "{e}");
        assert!(date("\"2023-02-31\"").is_err());
        assert!(date("\"2023-13-01\"").is_err());
        assert!(date("2024-02-29").is_ok());
        assert!(date("\"2023-02-29\"").is_err());
    }

    #[test]
    fn work_and_version_keys_and_dates_reach_the_metadata() {
        let m = Manifest::parse(
            "[[source]]\nid = \"a\"\npath = \"a.md\"\nwork = \"cn.pll\"\nversion = \"2018\"\n\
             adopted = 2017-11-04\namended = [2018-10-26]\neffective = 2018-01-01\n",
            Path::new("m.toml"),
        )
        .unwrap();
        let meta = &m.sources[0].meta;
        assert_eq!(meta.work.as_deref(), Some("cn.pll"));
        assert_eq!(meta.version.as_deref(), Some("2018"));
        assert_eq!(meta.adopted.as_deref(), Some("2017-11-04"));
        assert_eq!(meta.amended, ["2018-10-26"]);
        assert_eq!(meta.effective.as_deref(), Some("2018-01-01"));
    }

    #[test]
    fn dates_may_be_strings_and_amended_a_single_date() {
        let m = Manifest::parse(
            "[[source]]\nid = \"a\"\npath = \"a.md\"\nadopted = \"2002-07-18\"\namended = 2010-01-01\n",
            Path::new("m.toml"),
        )
        .unwrap();
        assert_eq!(m.sources[0].meta.year, Some(2010));
        assert_eq!(m.sources[0].adopted.map(|d| d.year), Some(2002));
    }
}
