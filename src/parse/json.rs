//! JSON article lists.
//!
//! - Taiwan's Laws & Regulations Database (全國法規資料庫) records: `法規名稱` (or
//!   `英文法規名稱` in an English translation), `沿革內容` (history), and `法規內容`, a list
//!   of `{條號, 條文內容}` articles and `{編章節}` division headings. Article text holds its
//!   paragraphs and items on separate lines (`\r\n` in the JSON string).
//! - Any other list of articles: an array of objects, bare or in a field of an object, whose
//!   objects carry a number-like key and a text-like key (see [`LABEL_KEYS`], [`TEXT_KEYS`]).
//!
//! Both delimit articles themselves, so the output is `Article{label}` blocks (label as
//! written: `第 1 條`, `Article 1`) each followed by its paragraphs, one block per line.

use serde_json::{Map, Value};

use super::{encoding, Input, ParseError};
use crate::grammar::{is_numeral_char, join_line, normalize_text};
use crate::model::{BlockKind, Document, Format, Origin};

/// Keys naming an article's number, most specific first. `id` comes last: it is often a
/// database key rather than the article's number.
const LABEL_KEYS: &[&str] = &[
    "條號", "条号", "article", "number", "num", "no", "label", "id",
];
const TEXT_KEYS: &[&str] = &["條文內容", "条文内容", "text", "content", "body"];
const HEADING_KEYS: &[&str] = &["編章節", "编章节", "chapter", "part", "heading"];
const TITLE_KEYS: &[&str] = &[
    "法規名稱",
    "法规名称",
    "英文法規名稱",
    "title",
    "name",
    "標題",
    "标题",
];
const LANGUAGE_KEYS: &[&str] = &["language", "lang"];

/// How deep to look for the article list inside wrapping objects (`{"data": {"articles": …}}`).
const LIST_SEARCH_DEPTH: usize = 3;

pub fn parse(input: Input<'_>) -> Result<Document, ParseError> {
    let src = input.source;
    let (text, _) = encoding::decode(input.bytes, None);
    // serde_json refuses nesting past 128 levels, so hostile depth is an error, not a crash.
    let value: Value = serde_json::from_str(&text)
        .map_err(|e| ParseError::malformed(src, Format::Json, e.to_string()))?;
    let mut doc = Document::new(String::new(), src, Format::Json);
    match &value {
        Value::Object(record) if record.contains_key("法規內容") => {
            moj(record, &text, &mut doc)
        }
        _ => match find_article_list(&value, LIST_SEARCH_DEPTH) {
            Some(list) => generic(&value, list, &text, &mut doc),
            None => {
                return Err(ParseError::malformed(
                    src,
                    Format::Json,
                    format!(
                        "JSON without an article list: expected an array of objects (or an \
                         object with such an array) whose objects have a number key ({}) and \
                         a text key ({})",
                        LABEL_KEYS.join(", "),
                        TEXT_KEYS.join(", ")
                    ),
                ))
            }
        },
    }
    Ok(doc)
}

/// A Taiwan MOJ law record.
fn moj(record: &Map<String, Value>, source: &str, doc: &mut Document) {
    let str_of = |k: &str| {
        record
            .get(k)
            .and_then(Value::as_str)
            .map(str::trim)
            .filter(|s| !s.is_empty())
    };
    // The Chinese record also carries 英文法規名稱; only the English one lacks 法規名稱.
    let (title, language) = match (str_of("法規名稱"), str_of("英文法規名稱")) {
        (Some(zh), _) => (Some((zh, "法規名稱")), Some("zh-Hant")),
        (None, Some(en)) => (Some((en, "英文法規名稱")), Some("en")),
        (None, None) => (None, None),
    };
    if let Some((t, key)) = title {
        doc.title = Some(t.to_string());
        doc.push(BlockKind::Title, t, KeyLines::single(source, key));
    }
    doc.language = language.map(str::to_string);
    for key in ["法規性質", "法規類別", "最新異動日期", "最新英文異動日期"] {
        if let Some(v) = str_of(key) {
            doc.push(
                BlockKind::Meta,
                format!("{key}：{v}"),
                KeyLines::single(source, key),
            );
        }
    }
    if let Some(history) = str_of("沿革內容") {
        let origin = KeyLines::single(source, "沿革內容");
        for entry in history_entries(history) {
            doc.push(BlockKind::Meta, entry, origin.clone());
        }
    }
    if let Some(Value::Array(files)) = record.get("附件") {
        for name in files
            .iter()
            .filter_map(|f| f.get("檔案名稱").and_then(Value::as_str))
        {
            doc.push(
                BlockKind::Meta,
                format!("附件：{}", normalize_text(name)),
                Origin::default(),
            );
        }
    }
    let entries = record
        .get("法規內容")
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or_default();
    let ranks = HeadingRanks::new(
        entries
            .iter()
            .filter_map(|e| e.get("編章節").and_then(Value::as_str)),
    );
    let count = |key: &str| entries.iter().filter(|e| e.get(key).is_some()).count();
    let mut heading_lines = KeyLines::new(source, "編章節", count("編章節"));
    let mut label_lines = KeyLines::new(source, "條號", count("條號"));
    let mut text_lines = KeyLines::new(source, "條文內容", count("條文內容"));
    for entry in entries {
        crate::budget::tick();
        if let Some(heading) = entry.get("編章節") {
            let origin = heading_lines.next();
            let heading = normalize_text(heading.as_str().unwrap_or(""));
            if !heading.is_empty() {
                let level = ranks.level(&heading);
                doc.push(BlockKind::Heading { level }, heading, origin);
            }
        }
        let label_origin = entry.get("條號").map(|_| label_lines.next());
        let text = entry.get("條文內容").map(|t| (t, text_lines.next()));
        if let (Some(label), Some(origin)) =
            (entry.get("條號").and_then(Value::as_str), label_origin)
        {
            doc.push(
                BlockKind::Article {
                    label: normalize_text(label),
                },
                String::new(),
                origin,
            );
            if let Some((text, origin)) = text {
                push_text(doc, text, &origin);
            }
        }
    }
}

/// History entries: `1.中華民國…號令\r\n  制定公布…` is one entry wrapped over two lines (the
/// continuation is indented), so continuation lines join the entry they continue.
fn history_entries(history: &str) -> Vec<String> {
    let mut entries: Vec<String> = Vec::new();
    for line in history.lines() {
        let continues = line.starts_with([' ', '\t', '\u{3000}']);
        let line = normalize_text(line);
        if line.is_empty() {
            continue;
        }
        match entries.last_mut() {
            Some(last) if continues => join_line(last, &line),
            _ => entries.push(line),
        }
    }
    entries
}

/// Article text → one paragraph block per line (paragraphs 款 and items 項 alike). An array
/// of strings is taken as paragraphs already split.
fn push_text(doc: &mut Document, text: &Value, origin: &Origin) {
    match text {
        Value::String(s) => {
            for line in s.lines() {
                crate::budget::tick();
                let line = normalize_text(line);
                if !line.is_empty() {
                    doc.push(BlockKind::Paragraph, line, origin.clone());
                }
            }
        }
        Value::Array(parts) => {
            for p in parts {
                if p.is_string() {
                    push_text(doc, p, origin);
                }
            }
        }
        _ => {}
    }
}

/// Lines of a key's occurrences in the source text (`"條號":`), handed out in order, so
/// blocks can be traced to their line. serde_json keeps no positions; when the number of
/// occurrences differs from the number of values read (the key escaped, or also used
/// elsewhere) no line is given rather than a wrong one.
struct KeyLines {
    lines: std::vec::IntoIter<u32>,
}

impl KeyLines {
    fn new(source: &str, key: &str, expected: usize) -> Self {
        let needle = format!("\"{key}\"");
        let mut lines = Vec::new();
        let mut line = 1u32;
        let mut counted = 0;
        for (pos, _) in source.match_indices(&needle) {
            let after = source[pos + needle.len()..].trim_start();
            if !after.starts_with(':') {
                continue;
            }
            line += memchr::memchr_iter(b'\n', &source.as_bytes()[counted..pos]).count() as u32;
            counted = pos;
            lines.push(line);
        }
        if lines.len() != expected {
            lines.clear();
        }
        KeyLines {
            lines: lines.into_iter(),
        }
    }

    fn none() -> Self {
        KeyLines {
            lines: Vec::new().into_iter(),
        }
    }

    /// The line of a key that occurs once.
    fn single(source: &str, key: &str) -> Origin {
        KeyLines::new(source, key, 1).next()
    }

    fn next(&mut self) -> Origin {
        self.lines.next().map(Origin::line).unwrap_or_default()
    }
}

/// Heading levels by rank word (編 above 章 above 節 above 款 above 目; Part above Chapter
/// above Section), numbered from 1 among the ranks the document uses.
struct HeadingRanks {
    used: Vec<u8>,
}

impl HeadingRanks {
    fn new<'a>(headings: impl Iterator<Item = &'a str>) -> Self {
        let mut used: Vec<u8> = headings.map(rank).collect();
        used.sort_unstable();
        used.dedup();
        HeadingRanks { used }
    }

    fn level(&self, heading: &str) -> u8 {
        let r = rank(heading);
        self.used.iter().position(|&u| u == r).unwrap_or(0) as u8 + 1
    }
}

fn rank(heading: &str) -> u8 {
    // 第 一 章 / 第一編: the rank word follows the number. Chapter 1: it leads.
    let heading = heading.trim();
    let word = match heading.strip_prefix('第') {
        Some(rest) => rest
            .chars()
            .find(|c| !(c.is_whitespace() || c.is_ascii_digit() || is_numeral_char(*c))),
        None => None,
    };
    let lower = heading.to_lowercase();
    let english = |w: &str| {
        lower
            .strip_prefix(w)
            .is_some_and(|r| r.starts_with(|c: char| c.is_whitespace()))
    };
    match word {
        Some('編' | '编') => 1,
        Some('章') => 2,
        Some('節' | '节') => 3,
        Some('款') => 4,
        Some('目') => 5,
        _ if english("part") => 1,
        _ if english("chapter") => 2,
        _ if english("section") => 3,
        _ if english("subsection") => 4,
        _ => 6,
    }
}

/// Whichever key of `keys` the object has (ASCII keys compared case-insensitively).
fn pick<'v>(obj: &'v Map<String, Value>, keys: &[&str]) -> Option<&'v Value> {
    pick_key(obj, keys).and_then(|k| obj.get(k))
}

/// The object's own spelling of whichever key of `keys` it has.
fn pick_key<'v>(obj: &'v Map<String, Value>, keys: &[&str]) -> Option<&'v str> {
    keys.iter().find_map(|k| {
        obj.keys()
            .find(|name| name.eq_ignore_ascii_case(k))
            .map(String::as_str)
    })
}

/// An array of objects most of which have a label key and a text key, here or in a field.
fn find_article_list(value: &Value, depth: usize) -> Option<&[Value]> {
    match value {
        Value::Array(items) if is_article_list(items) => Some(items.as_slice()),
        Value::Object(obj) if depth > 0 => {
            obj.values().find_map(|v| find_article_list(v, depth - 1))
        }
        _ => None,
    }
}

fn is_article_list(items: &[Value]) -> bool {
    let articles = items
        .iter()
        .filter_map(Value::as_object)
        .filter(|o| pick(o, LABEL_KEYS).is_some() && pick(o, TEXT_KEYS).is_some())
        .count();
    articles > 0 && articles * 2 >= items.len()
}

fn generic(root: &Value, list: &[Value], source: &str, doc: &mut Document) {
    if let Value::Object(obj) = root {
        if let Some(t) = pick(obj, TITLE_KEYS).and_then(Value::as_str) {
            let t = normalize_text(t);
            if !t.is_empty() {
                doc.title = Some(t.clone());
                doc.push(BlockKind::Title, t, Origin::default());
            }
        }
        doc.language = pick(obj, LANGUAGE_KEYS)
            .and_then(Value::as_str)
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(str::to_string);
    }
    // Lines are known when every article names its number with the same key.
    let label_keys: Vec<&str> = list
        .iter()
        .filter_map(Value::as_object)
        .filter_map(|o| pick_key(o, LABEL_KEYS))
        .collect();
    let mut label_lines = match label_keys.first() {
        Some(first) if label_keys.iter().all(|k| k == first) => {
            KeyLines::new(source, first, label_keys.len())
        }
        _ => KeyLines::none(),
    };
    let mut last_heading = String::new();
    for obj in list.iter().filter_map(Value::as_object) {
        crate::budget::tick();
        if let Some(h) = pick(obj, HEADING_KEYS).and_then(Value::as_str) {
            let h = normalize_text(h);
            if !h.is_empty() && h != last_heading {
                doc.push(
                    BlockKind::Heading { level: 1 },
                    h.clone(),
                    Origin::default(),
                );
                last_heading = h;
            }
        }
        let Some(label_value) = pick(obj, LABEL_KEYS) else {
            continue;
        };
        let origin = label_lines.next();
        let Some(label) = label_text(label_value) else {
            continue;
        };
        let caption = pick(obj, &["caption", "title", "heading_text"])
            .and_then(Value::as_str)
            .map(normalize_text)
            .unwrap_or_default();
        doc.push(BlockKind::Article { label }, caption, origin.clone());
        if let Some(text) = pick(obj, TEXT_KEYS) {
            push_text(doc, text, &origin);
        }
    }
}

fn label_text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(normalize_text(s)).filter(|s| !s.is_empty()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_str(json: &str) -> Result<Document, ParseError> {
        parse(Input {
            source: "t.json",
            bytes: json.as_bytes(),
            content_type: None,
            select: None,
        })
    }

    use crate::parse::block_shape as shape;

    #[test]
    fn moj_record_articles_paragraphs_headings_history() {
        let json = r#"{
            "法規名稱": "測試法",
            "英文法規名稱": "Test Act",
            "沿革內容": "1.中華民國九十年一月十七日總統令\r\n  制定公布全文 3 條\r\n2.中華民國一百年修正公布",
            "法規內容": [
                {"編章節": "第 一 章 總則"},
                {"條號": "第 1 條", "條文內容": "為測試，特制定本法。"},
                {"條號": "第 2 條", "條文內容": "本法用詞如下：\r\n一、圖書館。\r\n      1.國立圖書館。\r\n前項規定。"},
                {"編章節": "  第 一 節 通則"},
                {"條號": "第 3 條", "條文內容": "（刪除）"}
            ]
        }"#;
        let doc = parse_str(json).unwrap();
        assert_eq!(doc.title.as_deref(), Some("測試法"));
        assert_eq!(doc.language.as_deref(), Some("zh-Hant"));
        assert_eq!(
            shape(&doc.blocks),
            vec![
                "T 測試法",
                "M 1.中華民國九十年一月十七日總統令制定公布全文 3 條",
                "M 2.中華民國一百年修正公布",
                "H1 第 一 章 總則",
                "A 第 1 條 | ",
                "P 為測試，特制定本法。",
                "A 第 2 條 | ",
                "P 本法用詞如下：",
                "P 一、圖書館。",
                "P 1.國立圖書館。",
                "P 前項規定。",
                "H2 第 一 節 通則",
                "A 第 3 條 | ",
                "P （刪除）",
            ]
        );
    }

    #[test]
    fn english_moj_record_takes_the_english_title() {
        let json = r#"{"英文法規名稱": "Library Act", "中文法規名稱": "圖書館法",
            "法規內容": [{"條號": "Article 19", "條文內容": "（Deleted）"}]}"#;
        let doc = parse_str(json).unwrap();
        assert_eq!(doc.title.as_deref(), Some("Library Act"));
        assert_eq!(doc.language.as_deref(), Some("en"));
        assert_eq!(
            shape(&doc.blocks),
            vec!["T Library Act", "A Article 19 | ", "P （Deleted）"]
        );
    }

    #[test]
    fn generic_lists_bare_or_wrapped() {
        let bare = r#"[{"number": 1, "text": "第一条 为了……"}, {"Number": "2", "Text": ["一款", "二款"]}]"#;
        let doc = parse_str(bare).unwrap();
        assert_eq!(
            shape(&doc.blocks),
            vec!["A 1 | ", "P 第一条 为了……", "A 2 | ", "P 一款", "P 二款"]
        );
        let wrapped = r#"{"title": "某条例", "language": "zh-Hans", "data": {"articles": [
            {"chapter": "第一章 总则", "条号": "第一条", "条文内容": "为了。\u200b"},
            {"chapter": "第一章 总则", "条号": "第二条", "条文内容": "本条例。\n第二款。"}]}}"#;
        let doc = parse_str(wrapped).unwrap();
        assert_eq!(doc.title.as_deref(), Some("某条例"));
        assert_eq!(doc.language.as_deref(), Some("zh-Hans"));
        assert_eq!(
            shape(&doc.blocks),
            vec![
                "T 某条例",
                "H1 第一章 总则",
                "A 第一条 | ",
                "P 为了。",
                "A 第二条 | ",
                "P 本条例。",
                "P 第二款。"
            ]
        );
    }

    #[test]
    fn json_without_articles_says_what_it_expected() {
        for json in [r#"{"a": 1}"#, r#"[1, 2, 3]"#, r#"[{"name": "x"}]"#, "{}"] {
            let err = parse_str(json).unwrap_err().to_string();
            assert!(
                err.starts_with("t.json: malformed json: JSON without an article list: expected"),
                "{err}"
            );
        }
    }

    #[test]
    fn hostile_json_is_a_one_line_error() {
        let deep = "[".repeat(100_000);
        for json in [
            deep.as_str(),
            r#"{"法規內容": [{"條號": "第 1 條""#,
            "[1,]",
            "\u{0}",
        ] {
            let err = parse_str(json).unwrap_err().to_string();
            assert!(err.starts_with("t.json: malformed json:"), "{err}");
            assert!(!err.contains('\n'), "{err}");
        }
    }

    #[test]
    fn gbk_json_decodes() {
        let json = r#"[{"条号": "第一条", "条文内容": "为了促进公共图书馆事业发展，制定本法。"}]"#;
        let (gbk, _, _) = encoding_rs::GBK.encode(json);
        let doc = parse(Input {
            source: "gbk.json",
            bytes: &gbk,
            content_type: None,
            select: None,
        })
        .unwrap();
        assert_eq!(doc.blocks[1].text, "为了促进公共图书馆事业发展，制定本法。");
    }
}
