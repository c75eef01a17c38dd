//! Reading one source: bytes → parse → segment → a document with its record.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};

use super::plan::{Body, Planned};
use super::report::{DocumentReport, Failure, Skipped};
use crate::budget::OverBudget;
use crate::crawl::Location;
use crate::model::{BlockKind, DocInfo, Document, SegmentedDoc, SourceMeta};
use crate::parse::{self, Input, Limits, ParseErrorKind};
use crate::segment;

/// What reading one source gave, before any indexing.
pub(super) enum Read {
    Parsed(Box<SegmentedDoc>, DocumentReport),
    Failed(Failure),
    Skipped(Skipped),
}

/// Files that sit beside laws in a corpus but are not laws. In a directory walk they are
/// skipped (and reported) when they do not parse into clauses.
pub(super) fn is_non_law_name(path: &Path) -> bool {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_lowercase())
        .unwrap_or_default();
    let stem = name.split('.').next().unwrap_or("");
    matches!(
        name.as_str(),
        "sources.tsv" | "sha256sums" | "sha1sums" | "md5sums" | "_index.md"
    ) || matches!(
        stem,
        "readme" | "license" | "licence" | "copying" | "changelog" | "notice" | "authors"
    ) || name.ends_with(".tsv")
        || name.ends_with(".csv")
        // Manifests are read when given as inputs, not when met in a walk.
        || name.ends_with(".toml")
}

/// What a file plainly is, by its extension, when that is not a law text: source code, images,
/// archives, data, executables. One rule for files walked and files named (issue 9): they
/// are skipped with this reason, never indexed as a document of gibberish; a manifest entry
/// naming one fails, since a manifest promises a law.
pub(super) fn plainly_not_law(path: &Path) -> Option<&'static str> {
    let ext = path.extension()?.to_str()?.to_ascii_lowercase();
    Some(match ext.as_str() {
        "py" | "pyc" | "ipynb" | "rs" | "js" | "mjs" | "ts" | "sh" | "bash" | "rb" | "pl"
        | "go" | "c" | "h" | "cc" | "cpp" | "hpp" | "java" | "kt" | "php" | "r" | "lua"
        | "swift" | "cs" | "scala" | "sql" => "source code",
        "png" | "jpg" | "jpeg" | "gif" | "bmp" | "svg" | "webp" | "tif" | "tiff" | "ico"
        | "heic" => "an image",
        "zip" | "tar" | "gz" | "tgz" | "bz2" | "xz" | "zst" | "7z" | "rar" => "an archive",
        "parquet" | "sqlite" | "db" | "npy" | "npz" | "pkl" | "pickle" | "arrow" | "feather"
        | "xlsx" | "xls" => "a data file",
        "exe" | "dll" | "so" | "dylib" | "o" | "a" | "class" | "jar" | "wasm" => "a program",
        "mp3" | "mp4" | "wav" | "avi" | "mov" | "mkv" | "flac" | "ogg" => "audio or video",
        _ => return None,
    })
}

/// The raw bytes of a source, as read from its file or the crawl store.
pub(super) struct Raw {
    pub bytes: Vec<u8>,
    /// blake3 of the bytes, lowercase hex.
    pub hash: String,
    pub content_type: Option<String>,
}

/// Why a source's bytes could not be had.
pub(super) enum Unread {
    Failed(Failure),
    Skipped(Skipped),
}

impl From<Unread> for Read {
    fn from(u: Unread) -> Read {
        match u {
            Unread::Failed(f) => Read::Failed(f),
            Unread::Skipped(s) => Read::Skipped(s),
        }
    }
}

/// blake3 of `bytes`, lowercase hex: the form the crawl store and [`DocInfo::content_hash`]
/// use.
pub(super) fn content_hash(bytes: &[u8]) -> String {
    blake3::hash(bytes).to_hex().to_string()
}

/// Reads a source's bytes (from its file, or from the crawl store for a fetched URL); what
/// cannot be read is a failure, or skipped when a directory walk met a file that is no law.
pub(super) fn raw(p: &Planned, limits: &Limits) -> Result<Raw, Unread> {
    let fail = |e: ParseErrorKind| match &p.location {
        Location::Path(path) if !p.from_manifest && is_non_law_name(path) => {
            Unread::Skipped(Skipped::new(p.display(), e.to_string()))
        }
        _ => Unread::Failed(Failure::at(p, e.to_string())),
    };
    let (path, content_type) = match (&p.body, &p.location) {
        (Body::FetchFailed(error), _) => return Err(Unread::Failed(Failure::at(p, error.clone()))),
        (
            Body::Stored {
                path, content_type, ..
            },
            _,
        ) => (path, content_type.clone()),
        (Body::File, Location::Path(path)) => (path, None),
        (Body::File, Location::Url(_)) => {
            return Err(Unread::Failed(Failure::at(
                p,
                "a `url` source is fetched by `lawdex update`, not by `lawdex index`; \
                 run `lawdex update MANIFEST`, or download the file and give its `path`"
                    .into(),
            )))
        }
    };
    if let Location::Path(named) = &p.location {
        if let Some(what) = plainly_not_law(named) {
            let reason = format!("not a law text ({what}, by its extension)");
            return Err(if p.from_manifest {
                Unread::Failed(Failure::at(p, reason))
            } else {
                Unread::Skipped(Skipped::new(p.display(), reason))
            });
        }
    }
    let bytes = crate::parse::read_file(path, limits.max_bytes).map_err(fail)?;
    Ok(Raw {
        hash: content_hash(&bytes),
        bytes,
        content_type,
    })
}

/// Parses and segments one source from its bytes.
pub(super) fn read(p: &Planned, raw: &Raw, limits: &Limits) -> Read {
    let source = p.display();
    let name_path = match &p.location {
        Location::Path(path) => path.clone(),
        // The URL's last segment names the file: it breaks format ties and may carry a year.
        Location::Url(u) => PathBuf::from(u.rsplit('/').next().unwrap_or(u)),
    };
    let path = name_path.as_path();
    // One budget for the whole document: parsing and segmenting.
    let _budget = limits.budget().enter();
    let parsed = parse::parse_bytes(
        Input {
            source: &source,
            bytes: &raw.bytes,
            content_type: raw.content_type.as_deref(),
            select: p.meta.select.as_deref(),
        },
        limits,
    );
    let mut doc = match parsed {
        Ok(d) => d,
        Err(e) => {
            // Walked or named alike: bytes that are no format lawdex reads are not a law.
            if !p.from_manifest
                && (is_non_law_name(path) || matches!(e.kind, ParseErrorKind::Unrecognized(_)))
            {
                return Read::Skipped(Skipped::new(source, e.kind.to_string()));
            }
            return Read::Failed(Failure::at(p, e.kind.to_string()));
        }
    };
    doc.id = p.id.clone();
    if let Some(lang) = &p.meta.language {
        doc.language = Some(lang.clone());
    }
    let segmented = match catch_unwind(AssertUnwindSafe(|| segment::segment(&doc))) {
        Ok(s) => s,
        Err(panic) => {
            let why = match OverBudget::from_payload(&*panic) {
                Some(over) => over.to_string(),
                None => "internal error in the segmenter".into(),
            };
            return Read::Failed(Failure::at(p, why));
        }
    };
    if !p.from_manifest && is_non_law_name(path) && segmented.clauses.is_empty() {
        return Read::Skipped(Skipped::new(
            source,
            "not a law (no articles found in a README-like file)".into(),
        ));
    }
    let from_url = matches!(p.location, Location::Url(_));
    let info = doc_info(&doc, &segmented, &p.meta, path, from_url);
    let mut warnings = doc.warnings.clone();
    warnings.extend(segmented.warnings.iter().cloned());
    let report = DocumentReport {
        id: info.id.clone(),
        source: info.source.clone(),
        title: info.title.clone(),
        format: info.format,
        structure: info.structure.clone(),
        clauses: segmented.clauses.len(),
        year: info.year,
        warnings,
    };
    let doc = SegmentedDoc {
        info,
        clauses: segmented.clauses,
    };
    Read::Parsed(Box::new(doc), report)
}

/// Merges what the manifest says with what the parser and segmenter found; the manifest wins.
pub fn doc_info(
    doc: &Document,
    segmented: &segment::Segmented,
    meta: &SourceMeta,
    path: &Path,
    from_url: bool,
) -> DocInfo {
    let title = meta
        .title
        .clone()
        .or_else(|| doc.title.clone().filter(|t| !t.trim().is_empty()))
        .or_else(|| {
            doc.blocks
                .iter()
                .find(|b| b.kind == BlockKind::Title && !b.text.trim().is_empty())
                .map(|b| b.text.trim().to_string())
        })
        // A file with no title of its own (a PDF printed without metadata, a plain text) often
        // opens with the law's name: better than its id.
        .or_else(|| segmented.preamble.iter().find_map(|l| law_name(l)))
        // Else the link a crawl followed to it, when that names a law.
        .or_else(|| meta.link_text.as_deref().and_then(link_title))
        .unwrap_or_else(|| doc.id.clone());
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy())
        .unwrap_or_default();
    let from_name = || year_from_name(&stem);
    let from_text = || {
        let meta_blocks = doc
            .blocks
            .iter()
            .filter(|b| b.kind == BlockKind::Meta)
            .map(|b| b.text.as_str());
        let preamble = segmented.preamble.iter().map(String::as_str);
        preamble.chain(meta_blocks).filter_map(year_from_text).max()
    };
    // A file's name is its author's (公共图书馆法(2018-10-26).md); a URL's last segment is
    // often a number of the site's (detail/2001.html, content_1987.htm): there the text's
    // dates come first, and a name of digits alone is no year.
    let year = meta.year.or_else(|| match from_url {
        false => from_name().or_else(from_text),
        true => from_text().or_else(|| {
            (!stem.chars().all(|c| c.is_ascii_digit()))
                .then(from_name)
                .flatten()
        }),
    });
    let jurisdiction = meta.jurisdiction.clone().unwrap_or_default();
    let edition = crate::work::edition(
        &title,
        &jurisdiction,
        meta,
        &segmented.preamble,
        &segmented.clauses,
    );
    DocInfo {
        id: doc.id.clone(),
        source: doc.source.clone(),
        title,
        format: doc.format,
        language: meta
            .language
            .clone()
            .or_else(|| doc.language.clone())
            .unwrap_or_else(|| "und".to_string()),
        jurisdiction,
        level: meta.level.clone().unwrap_or_default(),
        kind: meta.kind.clone().unwrap_or_default(),
        status: meta.status.clone().unwrap_or_default(),
        year,
        structure: segmented.structure.name().to_string(),
        preamble: segmented.preamble.clone(),
        error: None,
        content_hash: String::new(),
        parser_version: parse::PARSER_VERSION,
        meta_hash: meta_hash(meta),
        origin: None,
        edition,
    }
}

/// blake3 of the metadata a manifest or sidecar gave (see [`DocInfo::meta_hash`]).
pub(super) fn meta_hash(meta: &SourceMeta) -> String {
    let json = serde_json::to_vec(meta).unwrap_or_default();
    content_hash(&json)
}

/// `line` when it reads as the name of a Chinese law: short, without a sentence's
/// punctuation, ending in a kind of instrument (…条例, …管理办法, …法（2018修正）).
fn law_name(line: &str) -> Option<String> {
    const KINDS: &[&str] = &[
        "法", "条例", "條例", "规定", "規定", "办法", "辦法", "细则", "細則", "规则", "規則",
        "决定", "決定",
    ];
    let line = line.trim();
    let name = match line.rfind(['（', '(']) {
        Some(open) if line.ends_with(['）', ')']) => line[..open].trim_end(),
        _ => line,
    };
    let short = (4..=40).contains(&name.chars().count());
    let plain = !name.contains(['，', '。', '；', '：', ',', ';', ':']);
    (short && plain && KINDS.iter().any(|k| name.ends_with(k))).then(|| line.to_string())
}

/// The law a link's text names: 明湖市美术馆管理规定.pdf, 关于印发《明湖市美术馆管理规定》的通知,
/// 关于公布…法的通知 and 明湖市美术馆管理规定（2021年修订） name one; 附件1 and 下一页 do not.
fn link_title(text: &str) -> Option<String> {
    let text = text.trim();
    let bare = match text.rsplit_once('.') {
        Some((stem, ext))
            if ["pdf", "docx", "doc", "wps"]
                .iter()
                .any(|e| ext.eq_ignore_ascii_case(e)) =>
        {
            stem
        }
        _ => text,
    };
    let quoted = bare
        .split_once('《')
        .and_then(|(_, rest)| rest.split_once('》'))
        .map(|(name, _)| name);
    // 关于公布中华人民共和国公共图书馆法的通知: the notice that published it, named plainly.
    let published = || {
        let inner = bare.strip_suffix("的通知")?;
        ["关于公布", "关于印发", "关于发布", "公布", "印发", "发布"]
            .iter()
            .find_map(|p| inner.strip_prefix(p))
    };
    law_name(quoted.or_else(published).unwrap_or(bare))
}

fn plausible_year(y: i32) -> bool {
    (1900..=2100).contains(&y)
}

/// The latest plausible year written as four separate digits in a file name:
/// `公共图书馆法(2018-10-26)` and `public-library-law-2018` give 2018, `hr2740-rh-2019` 2019.
pub fn year_from_name(name: &str) -> Option<i32> {
    let mut best = None;
    let bytes = name.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i].is_ascii_digit() {
            let start = i;
            while i < bytes.len() && bytes[i].is_ascii_digit() {
                i += 1;
            }
            if i - start == 4 {
                if let Ok(y) = name[start..i].parse::<i32>() {
                    if plausible_year(y) {
                        best = best.max(Some(y));
                    }
                }
            }
        } else {
            i += 1;
        }
    }
    best
}

/// The latest year of a Chinese date in the text (`2018年10月26日`, `二〇一八年`).
pub fn year_from_text(text: &str) -> Option<i32> {
    let mut best = None;
    let chars: Vec<char> = text.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        if c != '年' || i < 4 {
            continue;
        }
        let digits = &chars[i - 4..i];
        let value = if digits.iter().all(|d| d.is_ascii_digit()) {
            digits.iter().collect::<String>().parse().ok()
        } else if digits.iter().all(|d| "〇零一二三四五六七八九".contains(*d)) {
            let s: String = digits.iter().collect();
            crate::grammar::from_chinese(&s).and_then(|n| i32::try_from(n).ok())
        } else {
            None
        };
        // A fifth digit before means this is not a year ("12018年").
        let longer = i >= 5 && chars[i - 5].is_ascii_digit();
        if let Some(y) = value.filter(|y| plausible_year(*y) && !longer) {
            best = best.max(Some(y));
        }
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_law_named_in_its_first_lines_is_titled_by_it() {
        assert_eq!(
            law_name("明湖市美术馆管理规定").as_deref(),
            Some("明湖市美术馆管理规定")
        );
        assert_eq!(
            law_name("中华人民共和国公共图书馆法（2018修正）").as_deref(),
            Some("中华人民共和国公共图书馆法（2018修正）")
        );
        assert_eq!(
            law_name("（2021年9月1日明湖市人民代表大会常务委员会通过）"),
            None
        );
        assert_eq!(law_name("为了规范管理，根据有关法律制定本办法"), None);
    }

    #[test]
    fn a_text_that_names_itself_nowhere_takes_its_links_name() {
        use crate::model::{Format, Origin};
        assert_eq!(
            link_title("明湖市美术馆管理规定.pdf").as_deref(),
            Some("明湖市美术馆管理规定")
        );
        assert_eq!(
            link_title("关于印发《明湖市美术馆管理规定》的通知").as_deref(),
            Some("明湖市美术馆管理规定")
        );
        assert_eq!(
            link_title("关于公布中华人民共和国公共图书馆法的通知").as_deref(),
            Some("中华人民共和国公共图书馆法")
        );
        assert_eq!(link_title("关于开展图书馆评估工作的通知"), None);
        assert_eq!(link_title("附件1"), None);
        assert_eq!(link_title("下一页"), None);
        let mut doc = Document::new("d", "http://127.0.0.1/f/2002.pdf", Format::Pdf);
        doc.push(
            BlockKind::Paragraph,
            "第一条 为了规范美术馆的管理，制定本规定。",
            Origin::default(),
        );
        let segmented = segment::segment(&doc);
        let meta = SourceMeta {
            link_text: Some("明湖市美术馆管理规定.pdf".into()),
            ..SourceMeta::default()
        };
        let info = doc_info(&doc, &segmented, &meta, Path::new("2002.pdf"), true);
        assert_eq!(info.title, "明湖市美术馆管理规定");
        // A text that names itself keeps its own name.
        doc.title = Some("明湖市美术馆条例".into());
        let info = doc_info(&doc, &segmented, &meta, Path::new("2002.pdf"), true);
        assert_eq!(info.title, "明湖市美术馆条例");
    }

    #[test]
    fn a_number_in_a_url_is_no_year_and_the_text_comes_first() {
        use crate::model::{Format, Origin};
        let mut doc = Document::new("d", "http://127.0.0.1/flfg/detail/2001.html", Format::Text);
        doc.push(
            BlockKind::Paragraph,
            "第一条 为了规范文化馆的管理，制定本办法。",
            Origin::default(),
        );
        let segmented = segment::segment(&doc);
        let year = |name: &str, from_url: bool, preamble: &[&str]| {
            let mut s = segmented.clone();
            s.preamble = preamble.iter().map(|p| p.to_string()).collect();
            doc_info(&doc, &s, &SourceMeta::default(), Path::new(name), from_url).year
        };
        assert_eq!(year("2001.html", true, &[]), None);
        assert_eq!(year("2001.html", true, &["2021年9月1日公布"]), Some(2021));
        assert_eq!(
            year("content_1987.htm", true, &["2021年9月1日公布"]),
            Some(2021)
        );
        assert_eq!(year("law-2018.html", true, &[]), Some(2018));
        // A file's name is its author's: it is read before the text.
        assert_eq!(
            year("文化馆办法(2019).md", false, &["2021年9月1日公布"]),
            Some(2019)
        );
    }

    #[test]
    fn years_from_file_names() {
        assert_eq!(year_from_name("公共图书馆法(2018-10-26)"), Some(2018));
        assert_eq!(year_from_name("public-library-law-2018"), Some(2018));
        assert_eq!(year_from_name("hr2740-rh-2019-labor"), Some(2019));
        assert_eq!(year_from_name("usc-title20-ch72"), None);
        assert_eq!(year_from_name("law-1998-amended-2018"), Some(2018));
    }

    #[test]
    fn years_from_chinese_dates() {
        let p = "2017年11月4日第十二届全国人民代表大会常务委员会第三十次会议通过 根据2018年10月26日…修正";
        assert_eq!(year_from_text(p), Some(2018));
        assert_eq!(year_from_text("二〇一五年二月九日"), Some(2015));
        assert_eq!(year_from_text("第12018年"), None);
        assert_eq!(year_from_text("no date"), None);
    }

    #[test]
    fn non_law_names() {
        for n in [
            "SOURCES.tsv",
            "SHA256SUMS",
            "README.md",
            "LICENSE",
            "_index.md",
        ] {
            assert!(is_non_law_name(Path::new(n)), "{n}");
        }
        assert!(!is_non_law_name(Path::new("public-library-law-2018.md")));
    }
}
