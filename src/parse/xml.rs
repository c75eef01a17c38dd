//! XML laws: USLM (US bills, statute compilations, the US Code), Akoma Ntoso, Japanese e-Gov
//! law XML, and any other XML by the text of its block-like elements.
//!
//! USLM, Akoma Ntoso and e-Gov mark articles themselves, so their readers emit `Article`
//! blocks and no guessing is left to the segmenter. The generic reader only emits paragraphs
//! in which the segmenter can still find 第X条 heads.
//!
//! The bytes are decoded before parsing (BOM, the declaration's `encoding`, detection) because
//! roxmltree reads UTF-8 only and GBK law XML exists.
//!
//! Hostile input:
//! - A DTD with an internal subset is refused: it is where entities are declared, and nested
//!   entity expansion ("billion laughs") turns kilobytes into gigabytes. roxmltree refuses
//!   every DTD by default and we keep it so; a DOCTYPE without an internal subset cannot
//!   declare entities, so it is blanked out instead of failing a harmless file.
//! - roxmltree's tokenizer recurses once per element level, and a stack overflow aborts the
//!   process where `catch_unwind` cannot help, so nesting is measured on the raw text first
//!   and refused past [`MAX_DEPTH`]. Our own readers recurse no deeper than the tree.

mod egov;
mod generic;
mod uslm;

use std::borrow::Cow;

use roxmltree::Node;

use super::{encoding, Input, ParseError};
use crate::model::{BlockKind, Document, Format, Origin};

/// Deepest element nesting accepted. Real law XML stays under 20 levels.
const MAX_DEPTH: usize = 256;

/// Most nodes (elements and text) roxmltree may build. A tree node costs tens of bytes, so
/// 32 MB of `<a/>` would otherwise take most of a gigabyte; real laws have a few per 100
/// bytes (the 970 KB e-Gov Civil Aeronautics Act: 9,261 elements).
const MAX_NODES: u32 = 2_000_000;

const XML_NS: &str = "http://www.w3.org/XML/1998/namespace";

pub fn parse(input: Input<'_>) -> Result<Document, ParseError> {
    let src = input.source;
    let malformed = |detail: String| ParseError::malformed(src, Format::Xml, detail);
    let declared = declared_encoding(input.bytes);
    let (text, _) = encoding::decode(input.bytes, declared.as_deref());
    let text = blank_doctype(&text).map_err(|d| malformed(d.to_string()))?;
    let xml = tree(&text).map_err(malformed)?;
    let lines = LineIndex::new(&text);
    let mut doc = Document::new(String::new(), src, Format::Xml);
    let root = xml.root_element();
    if let Some(law) = egov::law_element(root) {
        egov::read(law, &lines, &mut doc);
    } else if uslm::is_uslm(root) {
        uslm::read(root, &uslm::USLM, &lines, &mut doc);
    } else if root.tag_name().name() == "akomaNtoso" {
        uslm::read(root, &uslm::AKOMA_NTOSO, &lines, &mut doc);
    } else {
        generic::read(root, &lines, &mut doc);
    }
    if doc.language.is_none() {
        doc.language = root
            .attribute((XML_NS, "lang"))
            .and_then(normalise_language);
    }
    Ok(doc)
}

/// The `encoding` of an XML declaration (`<?xml version="1.0" encoding="GBK"?>`), read as
/// ASCII before decoding.
fn declared_encoding(bytes: &[u8]) -> Option<String> {
    let head = &bytes[..bytes.len().min(512)];
    let head = head
        .strip_prefix(b"\xEF\xBB\xBF".as_slice())
        .unwrap_or(head);
    if !head.starts_with(b"<?xml") {
        return None;
    }
    let end = super::find(head, b"?>")?;
    let decl = std::str::from_utf8(head.get(..end)?).ok()?;
    let rest = &decl[decl.find("encoding")? + "encoding".len()..];
    let rest = rest.trim_start().strip_prefix('=')?.trim_start();
    let quote = rest.chars().next().filter(|c| *c == '"' || *c == '\'')?;
    let value = &rest[1..];
    Some(value[..value.find(quote)?].to_string())
}

/// Refuses a DOCTYPE with an internal subset; blanks out one without (keeping line numbers).
fn blank_doctype(text: &str) -> Result<Cow<'_, str>, &'static str> {
    let bytes = text.as_bytes();
    let mut i = 0;
    // Only the prolog can hold a DOCTYPE: skip BOM, whitespace, comments and PIs.
    loop {
        let rest = &bytes[i..];
        if rest.starts_with("\u{FEFF}".as_bytes()) {
            i += 3;
        } else if rest.first().is_some_and(|b| b.is_ascii_whitespace()) {
            i += 1;
        } else if rest.starts_with(b"<?") {
            match super::find(rest, b"?>") {
                Some(end) => i += end + 2,
                None => return Ok(Cow::Borrowed(text)),
            }
        } else if rest.starts_with(b"<!--") {
            match super::find(rest, b"-->") {
                Some(end) => i += end + 3,
                None => return Ok(Cow::Borrowed(text)),
            }
        } else {
            break;
        }
    }
    if !bytes[i..].starts_with(b"<!DOCTYPE") {
        return Ok(Cow::Borrowed(text));
    }
    let mut quote = None;
    for (j, &b) in bytes[i..].iter().enumerate() {
        match (quote, b) {
            (Some(q), _) if b == q => quote = None,
            (Some(_), _) => {}
            (None, b'"' | b'\'') => quote = Some(b),
            (None, b'[') => {
                return Err(
                    "a DTD with an internal subset is refused: its entity declarations \
                            can expand without bound (billion laughs)",
                )
            }
            (None, b'>') => {
                let end = i + j + 1;
                let blank: String = text[i..end]
                    .chars()
                    .map(|c| if c == '\n' { '\n' } else { ' ' })
                    .collect();
                return Ok(Cow::Owned(format!(
                    "{}{}{}",
                    &text[..i],
                    blank,
                    &text[end..]
                )));
            }
            _ => {}
        }
    }
    Err("unterminated DOCTYPE")
}

/// Parses XML text into a tree within the limits that keep roxmltree safe on hostile input:
/// nesting at most [`MAX_DEPTH`] (its parser recurses per level and would overflow the stack,
/// which no `catch_unwind` can stop), at most [`MAX_NODES`] nodes, no DTD. Every XML a parser
/// reads, the parts of a docx included, goes through here.
pub(crate) fn tree(text: &str) -> Result<roxmltree::Document<'_>, String> {
    if let Some(line) = too_deep(text, MAX_DEPTH) {
        return Err(format!(
            "elements nested more than {MAX_DEPTH} levels deep (line {line})"
        ));
    }
    if super::most_attributes(text) > super::MAX_ATTRIBUTES {
        return Err(format!(
            "an element carries more than {} attributes",
            super::MAX_ATTRIBUTES
        ));
    }
    let options = roxmltree::ParsingOptions {
        allow_dtd: false,
        nodes_limit: MAX_NODES,
    };
    roxmltree::Document::parse_with_options(text, options).map_err(|e| match e {
        roxmltree::Error::NodesLimitReached => format!("more than {MAX_NODES} XML nodes"),
        e => e.to_string(),
    })
}

/// The line where element nesting first exceeds `limit`, if it does. Counts every start tag
/// that is not self-closing and every end tag, skipping comments, CDATA, PIs and quoted
/// attribute values, which is how roxmltree's tokenizer descends; on malformed text it can
/// only over-count, which errs on the safe side.
fn too_deep(text: &str, limit: usize) -> Option<usize> {
    let b = text.as_bytes();
    let mut depth = 0usize;
    let mut i = 0;
    while let Some(off) = memchr::memchr(b'<', &b[i..]) {
        i += off;
        let rest = &b[i..];
        let skip_to = |end: &[u8]| super::find(rest, end).map(|e| e + end.len());
        let advance = if rest.starts_with(b"<!--") {
            skip_to(b"-->")
        } else if rest.starts_with(b"<![CDATA[") {
            skip_to(b"]]>")
        } else if rest.starts_with(b"<?") {
            skip_to(b"?>")
        } else if rest.starts_with(b"</") {
            depth = depth.saturating_sub(1);
            Some(2)
        } else if rest.starts_with(b"<!") {
            Some(2)
        } else {
            let mut quote = None;
            let mut end = None;
            for (j, &c) in rest.iter().enumerate().skip(1) {
                match (quote, c) {
                    (Some(q), _) if c == q => quote = None,
                    (Some(_), _) => {}
                    (None, b'"' | b'\'') => quote = Some(c),
                    (None, b'>') => {
                        end = Some(j);
                        break;
                    }
                    _ => {}
                }
            }
            let self_closing = end.is_some_and(|e| e > 0 && rest.get(e - 1) == Some(&b'/'));
            if !self_closing {
                depth += 1;
                if depth > limit {
                    return Some(1 + memchr::memchr_iter(b'\n', &b[..i]).count());
                }
            }
            end.map(|e| e + 1)
        };
        match advance {
            Some(n) => i += n,
            // Unterminated markup: roxmltree stops there too.
            None => break,
        }
    }
    None
}

/// Byte offset → 1-based line, for block origins. roxmltree's own `text_pos_at` rescans the
/// text from the start on every call, which is quadratic over a document.
pub(crate) struct LineIndex {
    newlines: Vec<usize>,
}

impl LineIndex {
    fn new(text: &str) -> Self {
        LineIndex {
            newlines: memchr::memchr_iter(b'\n', text.as_bytes()).collect(),
        }
    }

    fn line(&self, node: Node<'_, '_>) -> u32 {
        let pos = node.range().start;
        (self.newlines.partition_point(|&nl| nl < pos) + 1) as u32
    }

    fn origin(&self, node: Node<'_, '_>) -> Origin {
        Origin::line(self.line(node))
    }
}

/// Where an element stands in running text, for [`append_text`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Boundary {
    /// Part of the sentence: `<i>`, `<ref>`, `<Ruby>`.
    Inline,
    /// A block inside the text: a space in Latin text, nothing between CJK characters.
    Soft,
    /// Always a space: table columns.
    Hard,
    /// Not text of the law: `<Rt>` readings, notes, metadata.
    Skip,
}

pub(super) use crate::grammar::{Gap, TextFlow};

/// Appends the text under `node` to `flow`, asking `classify` how each element below it
/// stands in the text. Walks by sibling and parent links, so it needs no stack however deep
/// the subtree.
fn append_text(
    flow: &mut TextFlow,
    node: Node<'_, '_>,
    classify: &dyn Fn(Node<'_, '_>) -> Boundary,
) {
    let gap = |b: Boundary| match b {
        Boundary::Soft => Some(Gap::Soft),
        Boundary::Hard => Some(Gap::Hard),
        Boundary::Inline | Boundary::Skip => None,
    };
    let mut next = node.first_child();
    while let Some(n) = next {
        crate::budget::tick();
        let mut enter = false;
        if n.is_text() {
            flow.push_str(n.text().unwrap_or(""));
        } else if n.is_element() {
            let b = classify(n);
            if let Some(g) = gap(b) {
                flow.boundary(g);
            }
            enter = b != Boundary::Skip;
        }
        if enter {
            if let Some(first) = n.first_child() {
                next = Some(first);
                continue;
            }
        }
        // Leave `n` and every ancestor whose last child it was, up to `node`.
        let mut leaving = n;
        next = loop {
            if leaving.is_element() && (leaving != n || enter) {
                if let Some(g) = gap(classify(leaving)) {
                    flow.boundary(g);
                }
            }
            if let Some(sibling) = leaving.next_sibling() {
                break Some(sibling);
            }
            match leaving.parent() {
                Some(p) if p != node => leaving = p,
                _ => break None,
            }
        };
    }
}

/// The normalised text under `node`.
fn text_of(node: Node<'_, '_>, classify: &dyn Fn(Node<'_, '_>) -> Boundary) -> String {
    let mut flow = TextFlow::default();
    append_text(&mut flow, node, classify);
    flow.take()
}

/// Ruby readings are dropped everywhere (the base text stays); everything else is inline.
fn plain(n: Node<'_, '_>) -> Boundary {
    match n.tag_name().name() {
        "Rt" | "rt" | "rp" => Boundary::Skip,
        _ => Boundary::Inline,
    }
}

/// The first child element with this local name.
fn child<'a, 'i>(node: Node<'a, 'i>, name: &str) -> Option<Node<'a, 'i>> {
    node.children()
        .find(|c| c.is_element() && c.tag_name().name() == name)
}

/// Appends a paragraph unless it is empty. A paragraph of punctuation alone (the `”.` that
/// closes a quoted amendment) is glued to the paragraph before it instead.
fn push_paragraph(doc: &mut Document, text: String, origin: Origin) {
    if text.is_empty() {
        return;
    }
    if !text.chars().any(char::is_alphanumeric) {
        if let Some(last) = doc.blocks.last_mut() {
            if last.kind == BlockKind::Paragraph {
                last.text.push_str(&text);
                return;
            }
        }
    }
    doc.push(BlockKind::Paragraph, text, origin);
}

/// A language tag as the source writes it (`EN`, `en-US`, `eng`, `ja`) → BCP 47 primary tag.
/// Chinese gives `None`: whether it is Hans or Hant is better told from the text.
fn normalise_language(tag: &str) -> Option<String> {
    let lower = tag.trim().to_ascii_lowercase();
    let primary = lower.split(['-', '_']).next().unwrap_or("");
    let two = match primary {
        "eng" => "en",
        "jpn" => "ja",
        "kor" => "ko",
        "fra" | "fre" => "fr",
        "deu" | "ger" => "de",
        "spa" => "es",
        "ita" => "it",
        "vie" => "vi",
        "zh" | "zho" | "chi" => return None,
        p if p.len() == 2 && p.chars().all(|c| c.is_ascii_lowercase()) => p,
        _ => return None,
    };
    Some(two.to_string())
}

#[cfg(test)]
mod tests_support {
    use super::*;

    pub(super) fn parse_str(xml: &str) -> Result<Document, ParseError> {
        parse(Input {
            source: "t.xml",
            bytes: xml.as_bytes(),
            content_type: None,
            select: None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::tests_support::parse_str;
    use super::*;
    use crate::model::Block;

    #[test]
    fn text_flow_joins_cjk_lines_and_spaces_latin_ones() {
        let mut f = TextFlow::default();
        f.push_str("  第一条\n    この法律は、");
        f.push_str("\n   目的とする。\n");
        assert_eq!(f.take(), "第一条この法律は、目的とする。");
        f.push_str("Sec. 1.\n  Short\u{200B} title");
        f.boundary(Gap::Soft);
        f.push_str("This Act");
        assert_eq!(f.take(), "Sec. 1. Short title This Act");
        f.push_str("第一章　総則");
        assert_eq!(f.take(), "第一章 総則");
    }

    #[test]
    fn reads_the_declared_encoding() {
        assert_eq!(
            declared_encoding(b"<?xml version=\"1.0\" encoding='GBK'?><a/>").as_deref(),
            Some("GBK")
        );
        assert_eq!(declared_encoding(b"<?xml version=\"1.0\"?><a/>"), None);
        assert_eq!(declared_encoding(b"<a/>"), None);
    }

    #[test]
    fn decodes_gbk_xml_with_chinese_in_the_first_bytes() {
        let xml = "<?xml version=\"1.0\" encoding=\"GBK\"?><法规><标题>图书馆条例</标题>\
                   <正文>第一条 为了促进图书馆事业发展，制定本条例。</正文></法规>";
        let (gbk, _, _) = encoding_rs::GBK.encode(xml);
        let doc = parse(Input {
            source: "gbk.xml",
            bytes: &gbk,
            content_type: None,
            select: None,
        })
        .unwrap();
        assert_eq!(doc.title.as_deref(), Some("图书馆条例"));
        assert!(doc
            .blocks
            .iter()
            .any(|b| b.text == "第一条 为了促进图书馆事业发展，制定本条例。"));
    }

    #[test]
    fn refuses_billion_laughs() {
        let xml = r#"<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
]>
<lolz>&lol3;</lolz>"#;
        let err = parse_str(xml).unwrap_err().to_string();
        assert!(err.starts_with("t.xml: malformed xml: a DTD"), "{err}");
        assert!(!err.contains('\n'));
        // roxmltree on its own refuses it too: the default we rely on behind our own check.
        assert!(matches!(
            roxmltree::Document::parse(xml),
            Err(roxmltree::Error::DtdDetected)
        ));
    }

    #[test]
    fn a_doctype_without_internal_subset_is_harmless() {
        let xml =
            "<?xml version=\"1.0\"?>\n<!DOCTYPE law SYSTEM \"law.dtd\">\n<law><title>T</title>\
                   <p>第一条 正文。</p></law>";
        let doc = parse_str(xml).unwrap();
        assert_eq!(doc.title.as_deref(), Some("T"));
    }

    #[test]
    fn refuses_deep_nesting_without_overflowing_the_stack() {
        let n = 200_000;
        let xml = format!("{}x{}", "<a>".repeat(n), "</a>".repeat(n));
        let err = parse_str(&xml).unwrap_err().to_string();
        assert!(err.contains("nested more than 256 levels"), "{err}");
        let many: String = (0..2000).map(|i| format!(" a{i}=\"1\"")).collect();
        let text = format!("<law{many}><p>第一条 馆。</p></law>");
        let err = tree(&text).map(|_| ()).unwrap_err();
        assert!(err.contains("more than 1000 attributes"), "{err}");
        let few = "<law a=\"1\" b = '2'><!-- <x c d e> --><p>第一条</p></law>";
        assert_eq!(super::super::most_attributes(few), 2);
        // Self-closing siblings and `>` inside attribute values do not count as nesting.
        let flat = format!("<a>{}</a>", "<b x='>'/>".repeat(10_000));
        assert_eq!(too_deep(&flat, 3), None);
        assert_eq!(too_deep("<a><b><c><d>", 3), Some(1));
    }

    #[test]
    fn node_count_is_bounded() {
        let xml = format!("<r>{}</r>", "<a/>".repeat(MAX_NODES as usize + 10));
        let err = parse_str(&xml).unwrap_err().to_string();
        assert_eq!(err, "t.xml: malformed xml: more than 2000000 XML nodes");
    }

    #[test]
    fn malformed_and_truncated_xml_is_one_line_error() {
        for bad in [
            "<law><p>第一条",
            "<law><p>x</q></law>",
            "<?xml version=\"1.0\"?>",
            "<a b=\"unterminated></a>",
            "<!DOCTYPE x",
        ] {
            let err = parse_str(bad).unwrap_err().to_string();
            assert!(err.starts_with("t.xml: malformed xml:"), "{err}");
            assert!(!err.contains('\n'), "{err}");
        }
    }

    #[test]
    fn huge_text_node_is_read_in_linear_time() {
        let body = "图书馆应当向社会公众免费开放。".repeat(200_000);
        let xml = format!("<law><p>{body}</p></law>");
        // Speed is for benches/; here: the 6 MB text node comes through whole, in one block.
        let doc = parse_str(&xml).unwrap();
        let longest = doc.blocks.iter().map(|b: &Block| b.text.len()).max();
        assert_eq!(longest, Some(body.len()));
    }

    #[test]
    fn language_tags_normalise() {
        assert_eq!(normalise_language("EN").as_deref(), Some("en"));
        assert_eq!(normalise_language("eng").as_deref(), Some("en"));
        assert_eq!(normalise_language("ja-JP").as_deref(), Some("ja"));
        assert_eq!(normalise_language("zh-CN"), None);
        assert_eq!(normalise_language("klingon"), None);
    }
}
