//! Japanese e-Gov law XML (法令標準XML): `Law/LawBody` with `LawTitle`, a `TOC`, the
//! `MainProvision` in Part/Chapter/Section/Subsection/Division, `Article`s of `Paragraph`s of
//! `Item`s and `Subitem1`…`Subitem10`, then one `SupplProvision` (附則) per amending act and
//! appended tables (`AppdxTable`).
//!
//! Output: division titles → `Heading` (level = nesting depth); `Article` → `Article{label:
//! ArticleTitle}` with `ArticleCaption` as caption; each paragraph, item, sub-item, list line
//! and table row → one `Paragraph` led by its number (`２ …`, `一 …`, `イ …`); items and
//! sub-items join their paragraph's block, one per line. Every
//! `SupplProvision` starts with a `Heading` 附則（amending act）so that the segmenter can tell
//! its articles from the main provision's (both count from 第一条). Ruby readings (`<Rt>`)
//! are dropped, the base text kept; the TOC is skipped.

use roxmltree::Node;

use super::{child, normalise_language, push_paragraph, text_of, Boundary, LineIndex};
use crate::model::{BlockKind, Document};

/// The `<Law>` element with a `<LawBody>`: the document itself, or wrapped in an API
/// response (`DataRoot/ApplData/LawFullText/Law`).
pub(super) fn law_element<'a, 'i>(root: Node<'a, 'i>) -> Option<Node<'a, 'i>> {
    let is_law = |n: &Node<'_, '_>| n.tag_name().name() == "Law" && child(*n, "LawBody").is_some();
    if is_law(&root) {
        return Some(root);
    }
    matches!(
        root.tag_name().name(),
        "DataRoot" | "ApplData" | "LawFullText"
    )
    .then(|| root.descendants().take(64).find(is_law))
    .flatten()
}

pub(super) fn read(law: Node<'_, '_>, lines: &LineIndex, doc: &mut Document) {
    doc.language = Some(
        law.attribute("Lang")
            .and_then(normalise_language)
            .unwrap_or_else(|| "ja".to_string()),
    );
    let Some(body) = child(law, "LawBody") else {
        return;
    };
    let mut reader = Reader { lines, doc };
    if let Some(node) = child(body, "LawTitle") {
        let title = text(node);
        if !title.is_empty() {
            reader.doc.title = Some(title.clone());
            reader.doc.push(BlockKind::Title, title, lines.origin(node));
        }
    }
    if let Some(node) = child(law, "LawNum") {
        let num = text(node);
        if !num.is_empty() {
            reader.doc.push(BlockKind::Meta, num, lines.origin(node));
        }
    }
    for c in body.children().filter(|c| c.is_element()) {
        match c.tag_name().name() {
            "LawTitle" | "TOC" => {}
            "EnactStatement" => {
                let t = text(c);
                if !t.is_empty() {
                    reader.doc.push(BlockKind::Meta, t, lines.origin(c));
                }
            }
            "MainProvision" => reader.provision(c, 0),
            "SupplProvision" => reader.suppl_provision(c),
            name if name.starts_with("Appdx") => reader.appendix(c, 1),
            _ => reader.unit(c),
        }
    }
}

/// e-Gov text: ruby readings dropped, sentences run on (separated only where the text is
/// Latin), table columns set apart.
fn boundary(n: Node<'_, '_>) -> Boundary {
    match n.tag_name().name() {
        "Rt" => Boundary::Skip,
        "Sentence" => Boundary::Soft,
        "Column" | "TableColumn" => Boundary::Hard,
        _ => Boundary::Inline,
    }
}

fn text(n: Node<'_, '_>) -> String {
    text_of(n, &boundary)
}

/// A table cell's sentences are lines of their own (often items 一, 二): keep them apart.
fn cell_text(n: Node<'_, '_>) -> String {
    text_of(n, &|c| match c.tag_name().name() {
        "Sentence" => Boundary::Hard,
        _ => boundary(c),
    })
}

const DIVISIONS: [&str; 5] = ["Part", "Chapter", "Section", "Subsection", "Division"];

struct Reader<'r, 'd> {
    lines: &'r LineIndex,
    doc: &'d mut Document,
}

impl Reader<'_, '_> {
    /// A main or supplementary provision, or a division inside one.
    fn provision(&mut self, node: Node<'_, '_>, depth: u8) {
        for c in node.children().filter(|c| c.is_element()) {
            crate::budget::tick();
            let name = c.tag_name().name();
            if DIVISIONS.contains(&name) {
                let title = node_title(c);
                if !title.is_empty() {
                    let level = depth.saturating_add(1);
                    self.doc
                        .push(BlockKind::Heading { level }, title, self.lines.origin(c));
                }
                self.provision(c, depth.saturating_add(1));
            } else if name == "Article" {
                self.article(c);
            } else if name == "SupplProvisionLabel" || name.ends_with("Title") {
                // Read by the holder.
            } else if name.starts_with("SupplProvisionAppdx") || name.starts_with("Appdx") {
                self.appendix(c, depth.saturating_add(1));
            } else {
                self.unit(c);
            }
        }
    }

    fn suppl_provision(&mut self, node: Node<'_, '_>) {
        let label: String = child(node, "SupplProvisionLabel")
            .map(text)
            .unwrap_or_default()
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect();
        let mut heading = if label.is_empty() {
            "附則".to_string()
        } else {
            label
        };
        if let Some(num) = node
            .attribute("AmendLawNum")
            .filter(|n| !n.trim().is_empty())
        {
            heading.push('（');
            heading.push_str(num.trim());
            heading.push('）');
        }
        if node.attribute("Extract") == Some("true") {
            heading.push_str(" 抄");
        }
        self.doc.push(
            BlockKind::Heading { level: 1 },
            heading,
            self.lines.origin(node),
        );
        self.provision(node, 1);
    }

    fn article(&mut self, node: Node<'_, '_>) {
        let label = child(node, "ArticleTitle").map(text).unwrap_or_default();
        let caption = child(node, "ArticleCaption").map(text).unwrap_or_default();
        self.doc.push(
            BlockKind::Article { label },
            caption,
            self.lines.origin(node),
        );
        for c in node.children().filter(|c| c.is_element()) {
            match c.tag_name().name() {
                "ArticleTitle" | "ArticleCaption" | "SupplNote" => {}
                _ => self.unit(c),
            }
        }
    }

    /// An appended table, style or figure: its title as a heading, its rows as paragraphs.
    fn appendix(&mut self, node: Node<'_, '_>, level: u8) {
        let title = node_title(node);
        if !title.is_empty() {
            self.doc
                .push(BlockKind::Heading { level }, title, self.lines.origin(node));
        }
        for c in node.children().filter(|c| c.is_element()) {
            let name = c.tag_name().name();
            if !(name.ends_with("Title") || name == "RelatedArticleNum") {
                self.unit(c);
            }
        }
    }

    /// Any unit of text below an article: one paragraph from its number, caption and
    /// sentence, then its sub-units. Paragraph, Item, Subitem1…10, List, Sublist1…3, Class
    /// and Remarks all share this shape (`…Num`/`…Title`/`…Label`, `…Sentence`, children).
    fn unit(&mut self, node: Node<'_, '_>) {
        match node.tag_name().name() {
            "Rt" | "TOC" | "SupplNote" | "Fig" => return,
            "TableRow" | "TableHeaderRow" => return self.table_row(node),
            "AmendProvision" | "NewProvision" => return self.amendment(node),
            _ => {}
        }
        let mut head = Vec::new();
        let mut sentence = Vec::new();
        let mut rest = Vec::new();
        for c in node.children().filter(|c| c.is_element()) {
            let name = c.tag_name().name();
            if name.ends_with("Num")
                || name.ends_with("Title")
                || name.ends_with("Label")
                || name.ends_with("Caption")
            {
                head.push(text(c));
            } else if name.ends_with("Sentence") || name == "Column" {
                sentence.push(text(c));
            } else {
                rest.push(c);
            }
        }
        // A unit with words directly inside (a bare <Sentence>, mixed text) reads as a whole.
        let direct_text = node
            .children()
            .any(|c| c.is_text() && c.text().is_some_and(|t| !t.trim().is_empty()));
        let line = if direct_text && head.is_empty() && sentence.is_empty() {
            rest.clear();
            text(node)
        } else {
            let mut parts: Vec<String> = head.into_iter().filter(|s| !s.is_empty()).collect();
            let sentence = sentence
                .into_iter()
                .filter(|s| !s.is_empty())
                .collect::<Vec<_>>()
                .join(" ");
            if !sentence.is_empty() {
                parts.push(sentence);
            }
            parts.join(" ")
        };
        // An item (号, 一 …) and its sub-items stay inside their paragraph (項), one per line,
        // as the items of a Chinese 款 do: the paragraph is what a citation names.
        let name = node.tag_name().name();
        let item = name == "Item" || name.starts_with("Subitem");
        match self.doc.blocks.last_mut() {
            Some(last) if item && last.kind == BlockKind::Paragraph && !line.is_empty() => {
                last.text.push('\n');
                last.text.push_str(&line);
            }
            _ => push_paragraph(self.doc, line, self.lines.origin(node)),
        }
        for c in rest {
            self.unit(c);
        }
    }

    fn table_row(&mut self, row: Node<'_, '_>) {
        let cells: Vec<String> = row
            .children()
            .filter(|c| {
                c.is_element() && matches!(c.tag_name().name(), "TableColumn" | "TableHeaderColumn")
            })
            .map(cell_text)
            .collect();
        let line = cells.join(" | ");
        if cells.iter().any(|c| !c.is_empty()) {
            push_paragraph(self.doc, line, self.lines.origin(row));
        }
    }

    /// An amendment and the new provisions it quotes: quoted articles and divisions are text
    /// of the amending paragraph, never articles or headings of this law.
    fn amendment(&mut self, node: Node<'_, '_>) {
        for c in node.children().filter(|c| c.is_element()) {
            let name = c.tag_name().name();
            if name == "NewProvision" {
                self.amendment(c);
            } else if name == "Article" || DIVISIONS.contains(&name) {
                self.quoted(c);
            } else {
                self.unit(c);
            }
        }
    }

    fn quoted(&mut self, node: Node<'_, '_>) {
        let head = [node_caption(node), node_title(node)]
            .into_iter()
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join(" ");
        push_paragraph(self.doc, head, self.lines.origin(node));
        for c in node.children().filter(|c| c.is_element()) {
            let name = c.tag_name().name();
            if name.ends_with("Title") || name.ends_with("Caption") {
                continue;
            }
            if name == "Article" || DIVISIONS.contains(&name) {
                self.quoted(c);
            } else {
                self.unit(c);
            }
        }
    }
}

/// `ChapterTitle`, `ArticleTitle`, `AppdxTableTitle` (+ `RelatedArticleNum`): the title child
/// of a division, article or appendix.
fn node_title(node: Node<'_, '_>) -> String {
    let name = node.tag_name().name();
    let mut title = node
        .children()
        .find(|c| {
            c.is_element() && {
                let n = c.tag_name().name();
                n.ends_with("Title") && n.starts_with(name)
            }
        })
        .map(text)
        .unwrap_or_default();
    if let Some(related) = child(node, "RelatedArticleNum").map(text) {
        if !related.is_empty() {
            title.push_str(&related);
        }
    }
    title
}

fn node_caption(node: Node<'_, '_>) -> String {
    let name = node.tag_name().name();
    node.children()
        .find(|c| {
            c.is_element() && {
                let n = c.tag_name().name();
                n.ends_with("Caption") && n.starts_with(name)
            }
        })
        .map(text)
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::super::tests_support::parse_str;

    use crate::parse::block_shape as shape;

    #[test]
    fn egov_articles_items_ruby_tables_and_suppl_provisions() {
        let xml = r#"<?xml version="1.0" encoding="UTF-8"?>
<Law Era="Reiwa" Lang="ja" LawType="Act" Num="1" Year="1">
  <LawNum>令和元年法律第一号</LawNum>
  <LawBody>
    <LawTitle Kana="としょかんほう">図書館法</LawTitle>
    <TOC><TOCLabel>目次</TOCLabel><TOCChapter Num="1"><ChapterTitle>第一章　総則</ChapterTitle></TOCChapter></TOC>
    <MainProvision>
      <Chapter Num="1">
        <ChapterTitle>第一章　総則</ChapterTitle>
        <Section Num="1"><SectionTitle>第一節　通則</SectionTitle>
        <Article Num="2_2">
          <ArticleCaption>（定義）</ArticleCaption>
          <ArticleTitle>第二条の二</ArticleTitle>
          <Paragraph Num="1">
            <ParagraphNum/>
            <ParagraphSentence>
              <Sentence Num="1">図書館は、<Ruby>矩<Rt>く</Rt></Ruby>形の施設をいう。</Sentence>
              <Sentence Num="2">ただし、次に掲げるものを除く。</Sentence>
            </ParagraphSentence>
            <Item Num="1">
              <ItemTitle>一</ItemTitle>
              <ItemSentence><Column Num="1"><Sentence>学校図書館</Sentence></Column><Column Num="2"><Sentence>学校が設けるもの</Sentence></Column></ItemSentence>
              <Subitem1 Num="1"><Subitem1Title>イ</Subitem1Title><Subitem1Sentence><Sentence>小学校</Sentence></Subitem1Sentence></Subitem1>
            </Item>
          </Paragraph>
          <Paragraph Num="2">
            <ParagraphNum>２</ParagraphNum>
            <ParagraphSentence><Sentence>前項の表は次のとおり。</Sentence></ParagraphSentence>
            <TableStruct><Table>
              <TableRow><TableColumn><Sentence>種別</Sentence></TableColumn><TableColumn><Sentence>基準</Sentence></TableColumn></TableRow>
            </Table></TableStruct>
          </Paragraph>
        </Article>
        </Section>
      </Chapter>
    </MainProvision>
    <SupplProvision>
      <SupplProvisionLabel>附　則</SupplProvisionLabel>
      <Article Num="1"><ArticleTitle>第一条</ArticleTitle><Paragraph Num="1"><ParagraphNum/>
        <ParagraphSentence><Sentence>この法律は、公布の日から施行する。</Sentence></ParagraphSentence></Paragraph></Article>
    </SupplProvision>
    <SupplProvision AmendLawNum="令和二年法律第二号" Extract="true">
      <SupplProvisionLabel>附　則</SupplProvisionLabel>
      <Paragraph Num="1"><ParagraphCaption>（施行期日）</ParagraphCaption><ParagraphNum>１</ParagraphNum>
        <ParagraphSentence><Sentence>この法律は、令和三年から施行する。</Sentence></ParagraphSentence></Paragraph>
    </SupplProvision>
  </LawBody>
</Law>"#;
        let doc = parse_str(xml).unwrap();
        assert_eq!(doc.title.as_deref(), Some("図書館法"));
        assert_eq!(doc.language.as_deref(), Some("ja"));
        assert_eq!(
            shape(&doc.blocks),
            vec![
                "T 図書館法",
                "M 令和元年法律第一号",
                "H1 第一章 総則",
                "H2 第一節 通則",
                "A 第二条の二 | （定義）",
                // Items and sub-items inside their paragraph, one per line.
                "P 図書館は、矩形の施設をいう。ただし、次に掲げるものを除く。\n一 学校図書館 学校が設けるもの\nイ 小学校",
                "P ２ 前項の表は次のとおり。",
                "P 種別 | 基準",
                "H1 附則",
                "A 第一条 | ",
                "P この法律は、公布の日から施行する。",
                "H1 附則（令和二年法律第二号） 抄",
                "P （施行期日） １ この法律は、令和三年から施行する。",
            ]
        );
    }

    #[test]
    fn quoted_articles_in_amendments_are_not_articles() {
        let xml = r#"<Law Lang="ja"><LawBody><LawTitle>改正法</LawTitle><MainProvision>
<Article><ArticleTitle>第一条</ArticleTitle><Paragraph><ParagraphNum/>
<AmendProvision><AmendProvisionSentence><Sentence>次の一条を加える。</Sentence></AmendProvisionSentence>
<NewProvision><Article><ArticleCaption>（目的）</ArticleCaption><ArticleTitle>第五条</ArticleTitle>
<Paragraph><ParagraphNum/><ParagraphSentence><Sentence>新しい規定。</Sentence></ParagraphSentence></Paragraph></Article></NewProvision>
</AmendProvision></Paragraph></Article></MainProvision></LawBody></Law>"#;
        let doc = parse_str(xml).unwrap();
        assert_eq!(
            shape(&doc.blocks),
            vec![
                "T 改正法",
                "A 第一条 | ",
                "P 次の一条を加える。",
                "P （目的） 第五条",
                "P 新しい規定。",
            ]
        );
    }
}
