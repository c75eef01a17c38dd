//! The bodies of the fuzz targets, one function per target, in one place: the libFuzzer
//! binaries in `fuzz_targets/` only call them, and the normal test suite compiles this file
//! into the integration tests (`tests/it/fuzz_bodies.rs`, by `#[path]`) and runs every body
//! over its seeds and the committed crashing inputs. So a lawdex API change that breaks a
//! target fails `cargo test` on stable, without nightly or libFuzzer.
//!
//! Every body goes through lawdex's public API, as the command it stands for does.

use std::time::Duration;

use lawdex::model::{BlockKind, Document, Format, Origin};
use lawdex::parse::{parse_bytes, sniff, Input, Limits};

/// What a target runs on each input.
pub type Body = fn(&[u8]);

/// Every target: its name (the binary in `fuzz_targets/`, the folder of its seeds and
/// artifacts) and its body, in the order `fuzz/run.sh` runs them.
pub const TARGETS: [(&str, Body); 13] = [
    ("pdf", pdf),
    ("docx", docx),
    ("doc", doc),
    ("html", html),
    ("markdown", markdown),
    ("segment", segment),
    ("query", query),
    ("json", json),
    ("xml", xml),
    ("numerals", numerals),
    ("manifest", manifest),
    ("taxonomy", taxonomy),
    ("robots", robots),
];

/// Parses `data` as a file called `name` and segments what parses, as `lawdex parse` and
/// `lawdex index` do. Inputs that sniff as another format are left to that format's target, so
/// each target spends its runs on its own parser.
pub fn parse_and_segment(data: &[u8], name: &str, format: Format) {
    if sniff(data, name) != Some(format) {
        return;
    }
    let input = Input {
        source: name,
        bytes: data,
        content_type: None,
        select: None,
    };
    if let Ok(doc) = parse_bytes(input, &Limits::default()) {
        let _ = lawdex::segment::segment(&doc);
    }
}

/// `fuzz.pdf` through parse and segment.
pub fn pdf(data: &[u8]) {
    parse_and_segment(data, "fuzz.pdf", Format::Pdf);
}

/// `fuzz.docx` through parse and segment.
pub fn docx(data: &[u8]) {
    parse_and_segment(data, "fuzz.docx", Format::Docx);
}

/// `fuzz.doc` (Word 97–2003) through parse and segment.
pub fn doc(data: &[u8]) {
    parse_and_segment(data, "fuzz.doc", Format::Doc);
}

/// `fuzz.html` through parse and segment.
pub fn html(data: &[u8]) {
    parse_and_segment(data, "fuzz.html", Format::Html);
}

/// `fuzz.md` through parse and segment.
pub fn markdown(data: &[u8]) {
    parse_and_segment(data, "fuzz.md", Format::Markdown);
}

/// `fuzz.json` through parse and segment.
pub fn json(data: &[u8]) {
    parse_and_segment(data, "fuzz.json", Format::Json);
}

/// `fuzz.xml` through parse and segment.
pub fn xml(data: &[u8]) {
    parse_and_segment(data, "fuzz.xml", Format::Xml);
}

const LANGUAGES: [Option<&str>; 8] = [
    Some("zh-Hans"),
    Some("zh-Hant"),
    Some("ja"),
    Some("ko"),
    Some("en"),
    Some("vi"),
    Some("fr"),
    None,
];

/// The segmenter on documents no parser would build: any blocks, any kinds, any language.
/// The first byte picks the language; each line is a block: `#`… a heading of that level,
/// `@LABEL|text` an article a structured parser delimited, `!` the title, else a paragraph.
pub fn segment(data: &[u8]) {
    let Some((&first, rest)) = data.split_first() else {
        return;
    };
    let text = String::from_utf8_lossy(rest);
    let mut doc = Document::new("fuzz", "fuzz.md", Format::Markdown);
    doc.language = LANGUAGES[(first % 8) as usize].map(str::to_string);
    for (n, line) in text.lines().enumerate() {
        let origin = Origin::line(n as u32 + 1);
        let hashes = line.bytes().take_while(|&b| b == b'#').count();
        let (kind, body) = if hashes > 0 {
            (
                BlockKind::Heading {
                    level: hashes.min(9) as u8,
                },
                &line[hashes..],
            )
        } else if let Some(article) = line.strip_prefix('@') {
            let (label, body) = article.split_once('|').unwrap_or((article, ""));
            (
                BlockKind::Article {
                    label: label.to_string(),
                },
                body,
            )
        } else if let Some(title) = line.strip_prefix('!') {
            (BlockKind::Title, title)
        } else {
            (BlockKind::Paragraph, line)
        };
        doc.push(kind, body, origin);
    }
    let _ = lawdex::segment::segment(&doc);
}

/// The search query parser (`lawdex search`'s words, phrases, AND/OR/NOT, brackets).
pub fn query(data: &[u8]) {
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = lawdex::search::Query::parse(text);
    }
}

/// Numerals and the heads built on them: Chinese/Arabic numbers and article, division and
/// item heads. Also checks that writing a number in Chinese and reading it back gives it again.
pub fn numerals(data: &[u8]) {
    use lawdex::grammar::{article_head, division_rank, starts_unit};
    use lawdex::grammar::{from_chinese, is_numeral_char, to_chinese};
    if data.len() >= 4 {
        // Article numbers in real laws stay far below this; to_chinese is used for labels.
        let n = u32::from_le_bytes([data[0], data[1], data[2], data[3]]) % 100_000;
        let written = to_chinese(n);
        assert_eq!(from_chinese(&written), Some(n), "{n} written as {written}");
    }
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let _ = from_chinese(text);
    let _ = text.chars().filter(|&c| is_numeral_char(c)).count();
    let _ = article_head(text, false);
    let _ = article_head(text, true);
    let _ = division_rank(text);
    let _ = starts_unit(text);
}

/// The manifest loader: TOML syntax, then validation (dates, durations, sizes, URLs, paths).
pub fn manifest(data: &[u8]) {
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = lawdex::crawl::Manifest::parse(text, std::path::Path::new("fuzz/manifest.toml"));
    }
}

/// The taxonomy loader, and the matcher built from a taxonomy that loads (cue patterns).
pub fn taxonomy(data: &[u8]) {
    if let Ok(text) = std::str::from_utf8(data) {
        if let Ok(taxonomy) = lawdex::coverage::taxonomy::Taxonomy::parse(text, "fuzz.toml") {
            let _ = lawdex::coverage::Matcher::new(taxonomy);
        }
    }
}

const URLS: [&str; 4] = [
    "https://example.org/",
    "https://example.org/laws/1.html?x=1#a",
    "https://example.org/%E6%B3%95/law.pdf",
    "https://example.org/robots.txt",
];

/// robots.txt handling as crawl/fetch.rs does it: parse with lawdex's user agent, ask whether
/// URLs are allowed, and turn Crawl-delay into a wait.
pub fn robots(data: &[u8]) {
    let Ok(robot) = texting_robots::Robot::new(lawdex::crawl::manifest::DEFAULT_USER_AGENT, data)
    else {
        return;
    };
    for url in URLS {
        let _ = robot.allowed(url);
    }
    // The same arithmetic as Fetcher::delay.
    let _ = robot
        .delay
        .filter(|d| d.is_finite() && *d > 0.0)
        .map(|d| Duration::from_secs_f32(d.min(3600.0)));
}
