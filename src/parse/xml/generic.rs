//! Any other XML: the words of each block-like element as one paragraph, so the segmenter can
//! still find 第X条 / Article N heads at block starts; the title from a title-like element.
//!
//! A block is an element with words directly inside it (mixed content reads as one
//! paragraph). An element holding only text-only children whose first child is a label
//! (`<article><num>第一条</num><text>…</text></article>`) is a record: label and first text
//! make one paragraph, so the article head starts the block that holds its words.

use roxmltree::{Node, NodeId};

use super::{plain, push_paragraph, text_of, Boundary, LineIndex};
use crate::model::{BlockKind, Document};

const TITLE_NAMES: &[&str] = &[
    "title",
    "doctitle",
    "lawtitle",
    "lawname",
    "name",
    "标题",
    "標題",
    "法规名称",
    "法規名稱",
    "名称",
    "名稱",
    "题目",
    "題目",
];
const LABEL_NAMES: &[&str] = &[
    "no",
    "number",
    "label",
    "articletitle",
    "条号",
    "條號",
    "条",
    "條",
    "编号",
    "編號",
];
const SKIPPED: &[&str] = &[
    "meta", "head", "toc", "script", "style", "rt", "rp", "tocitem",
];

/// Where a title may be: the first elements of the document, not a name deep in the body.
const TITLE_SEARCH: usize = 64;
const MAX_TITLE_CHARS: usize = 200;
const MAX_LABEL_CHARS: usize = 30;

pub(super) fn read(root: Node<'_, '_>, lines: &LineIndex, doc: &mut Document) {
    let title = root
        .descendants()
        .filter(|n| n.is_element())
        .take(TITLE_SEARCH)
        .filter(|n| TITLE_NAMES.contains(&lower_name(*n).as_str()))
        .map(|n| (n.id(), text_of(n, &plain)))
        .find(|(_, t)| !t.is_empty() && t.chars().count() <= MAX_TITLE_CHARS);
    let title_id = title.as_ref().map(|(id, _)| *id);
    if let Some((id, text)) = title {
        let origin = root
            .descendants()
            .find(|n| n.id() == id)
            .map(|n| lines.origin(n))
            .unwrap_or_default();
        doc.title = Some(text.clone());
        doc.push(BlockKind::Title, text, origin);
    }
    walk(root, title_id, lines, doc);
}

fn lower_name(n: Node<'_, '_>) -> String {
    n.tag_name().name().to_lowercase()
}

fn boundary(n: Node<'_, '_>) -> Boundary {
    match lower_name(n).as_str() {
        "rt" | "rp" => Boundary::Skip,
        "br" | "p" | "div" | "li" | "tr" => Boundary::Soft,
        "td" | "th" => Boundary::Hard,
        _ => Boundary::Inline,
    }
}

fn has_words(n: Node<'_, '_>) -> bool {
    n.children()
        .any(|c| c.is_text() && c.text().is_some_and(|t| !t.trim().is_empty()))
}

fn walk(node: Node<'_, '_>, title: Option<NodeId>, lines: &LineIndex, doc: &mut Document) {
    // Recursion depth is bounded by the nesting check in `parse`.
    let root_has_words = node.parent().is_some_and(|p| p.is_root()) && has_words(node);
    if root_has_words {
        push_paragraph(doc, text_of(node, &boundary), lines.origin(node));
        return;
    }
    for c in node.children().filter(|c| c.is_element()) {
        crate::budget::tick();
        if Some(c.id()) == title || SKIPPED.contains(&lower_name(c).as_str()) {
            continue;
        }
        if has_words(c) {
            push_paragraph(doc, text_of(c, &boundary), lines.origin(c));
        } else if let Some(fields) = record(c) {
            let mut fields = fields.into_iter();
            let label = fields
                .next()
                .map(|f| text_of(f, &boundary))
                .unwrap_or_default();
            let first = fields.next();
            let words = first.map(|f| text_of(f, &boundary)).unwrap_or_default();
            let head = [label, words]
                .into_iter()
                .filter(|s| !s.is_empty())
                .collect::<Vec<_>>()
                .join(" ");
            push_paragraph(doc, head, lines.origin(c));
            for f in fields {
                push_paragraph(doc, text_of(f, &boundary), lines.origin(f));
            }
        } else {
            walk(c, title, lines, doc);
        }
    }
}

/// The fields of a record: text-only children, the first a short label.
fn record<'a, 'i>(n: Node<'a, 'i>) -> Option<Vec<Node<'a, 'i>>> {
    let fields: Vec<_> = n.children().filter(|c| c.is_element()).collect();
    let first = *fields.first()?;
    let all_leaves = fields.iter().all(|f| {
        f.children()
            .all(|g| !g.is_element() || lower_name(g) == "rt")
    });
    let name = lower_name(first);
    let label_like =
        LABEL_NAMES.contains(&name.as_str()) || name.contains("num") || name.contains("label");
    let short = text_of(first, &plain).chars().count() <= MAX_LABEL_CHARS;
    (fields.len() >= 2 && all_leaves && label_like && short).then_some(fields)
}

#[cfg(test)]
mod tests {
    use super::super::tests_support::parse_str;
    use crate::model::BlockKind;

    #[test]
    fn leaf_elements_become_paragraphs_and_records_keep_their_label() {
        let xml = r#"<?xml version="1.0" encoding="UTF-8"?>
<法规 xml:lang="zh-CN">
  <标题>某市图书馆条例</标题>
  <章><名称>第一章 总则</名称>
    <条><条号>第一条</条号><内容>为了促进图书馆事业发展，
      制定本条例。</内容><内容>第二款。</内容></条>
    <条>第二条 本条例适用于<b>本市</b>图书馆。</条>
  </章>
  <toc>第一章 总则……1</toc>
</法规>"#;
        let doc = parse_str(xml).unwrap();
        assert_eq!(doc.title.as_deref(), Some("某市图书馆条例"));
        let paras: Vec<_> = doc
            .blocks
            .iter()
            .filter(|b| b.kind == BlockKind::Paragraph)
            .map(|b| b.text.as_str())
            .collect();
        assert_eq!(
            paras,
            vec![
                "第一章 总则",
                "第一条 为了促进图书馆事业发展，制定本条例。",
                "第二款。",
                "第二条 本条例适用于本市图书馆。"
            ]
        );
        assert_eq!(doc.language, None);
    }

    #[test]
    fn xml_lang_sets_the_language() {
        let doc = parse_str(r#"<doc xml:lang="en"><p>Section 1. Text.</p></doc>"#).unwrap();
        assert_eq!(doc.language.as_deref(), Some("en"));
    }
}
