//! USLM (United States Legislative Markup: bills, statute compilations, the US Code) and Akoma
//! Ntoso, from which USLM was derived. Both nest divisions (title, part, chapter) around
//! articles (`<section>`, `<article>`) around numbered levels (subsection, paragraph, point),
//! each with a `<num>` and `<heading>`, and put the words in `<chapeau>`, `<content>`, `<p>`.
//! One reader serves both, driven by a [`Vocabulary`] of element names.
//!
//! Output: divisions → `Heading` (num + heading); articles → `Article{label: num}` with the
//! heading as caption; each level → one `Paragraph` led by its num (`(a) …`), its chapeau or
//! content included, a `<continuation>` after sub-levels its own paragraph. Notes, tables of
//! contents and metadata stay out of the clauses; front matter (preface, long title, enacting
//! formula) becomes `Meta`. Text inside `<quotedContent>` (an amendment quoting new law) is
//! the amending section's text, never an article of its own.

use roxmltree::Node;

use super::{
    append_text, child, normalise_language, plain, push_paragraph, text_of, Boundary, Gap,
    LineIndex, TextFlow,
};
use crate::model::{BlockKind, Document, Origin};

const USLM_NAMESPACES: [&str; 2] = [
    "http://xml.house.gov/schemas/uslm/1.0",
    "http://schemas.gpo.gov/xml/uslm",
];
const DUBLIN_CORE: &str = "http://purl.org/dc/elements/1.1/";

/// Element names that give a legislative XML dialect its structure.
pub(super) struct Vocabulary {
    /// Divisions above articles: each becomes a `Heading`.
    divisions: &'static [&'static str],
    /// Articles: each becomes an `Article` block. A name in both lists is a division when it
    /// contains an article (Akoma Ntoso `<section>` groups articles in some laws and is the
    /// article in others).
    articles: &'static [&'static str],
    /// Numbered subdivisions of an article: each becomes a paragraph led by its num.
    levels: &'static [&'static str],
    /// Blocks of words: a paragraph boundary before and after.
    blocks: &'static [&'static str],
    /// Never text of the law, and nothing inside matters.
    skipped: &'static [&'static str],
    /// Notes: their words stay out, but an article they wrap is kept (USLM compilations wrap
    /// a repealed section in an `<editorialNote>`).
    notes: &'static [&'static str],
    /// Front or back matter: each child element becomes a `Meta` block.
    front: &'static [&'static str],
    /// Quoted law inside an amendment.
    quotes: &'static [&'static str],
}

pub(super) const USLM: Vocabulary = Vocabulary {
    divisions: &[
        "division",
        "subdivision",
        "title",
        "subtitle",
        "part",
        "subpart",
        "chapter",
        "subchapter",
        "appropriations",
    ],
    articles: &["section"],
    levels: &[
        "subsection",
        "paragraph",
        "subparagraph",
        "clause",
        "subclause",
        "item",
        "subitem",
        "subsubitem",
        "level",
    ],
    blocks: &["chapeau", "content", "continuation", "p", "tr"],
    skipped: &[
        "meta",
        "toc",
        "tocItem",
        "footnote",
        "sourceCredit",
        "sidenote",
        "img",
    ],
    notes: &["editorialNote", "note", "notes"],
    front: &[
        "preface",
        "longTitle",
        "enactingFormula",
        "endorsement",
        "backMatter",
    ],
    quotes: &["quotedContent"],
};

pub(super) const AKOMA_NTOSO: Vocabulary = Vocabulary {
    divisions: &[
        "book",
        "tome",
        "part",
        "subpart",
        "title",
        "subtitle",
        "chapter",
        "subchapter",
        "section",
        "division",
        "subdivision",
        "hcontainer",
    ],
    articles: &["article", "section"],
    levels: &[
        "subsection",
        "paragraph",
        "subparagraph",
        "clause",
        "subclause",
        "point",
        "indent",
        "alinea",
        "list",
        "level",
        "rule",
        "subrule",
    ],
    blocks: &[
        "content",
        "p",
        "intro",
        "wrapUp",
        "listIntroduction",
        "listWrapUp",
        "tr",
    ],
    skipped: &[
        "meta",
        "toc",
        "authorialNote",
        "noteRef",
        "img",
        "coverPage",
    ],
    notes: &["notes", "note"],
    front: &["preface", "conclusions"],
    quotes: &["quotedStructure", "embeddedStructure", "mod"],
};

pub(super) fn is_uslm(root: Node<'_, '_>) -> bool {
    root.tag_name()
        .namespace()
        .is_some_and(|ns| USLM_NAMESPACES.iter().any(|u| ns.starts_with(u)))
}

pub(super) fn read(root: Node<'_, '_>, vocab: &Vocabulary, lines: &LineIndex, doc: &mut Document) {
    if let Some((title, origin)) = document_title(root, lines) {
        doc.push(BlockKind::Title, title.clone(), origin);
        doc.title = Some(title);
    }
    doc.language = language(root);
    let mut reader = Reader {
        vocab,
        lines,
        doc,
        flow: TextFlow::default(),
        prefix_len: 0,
        line: 0,
        depth: 0,
        in_article: false,
        after_article: false,
        orphan: false,
        quoted: 0,
        appropriation: None,
    };
    reader.walk(root);
    reader.flush();
}

/// `<dc:title>` first (the publisher's full title), then the titles the text itself gives.
/// `<docTitle>` comes last: in a bill it is just "A BILL".
fn document_title(root: Node<'_, '_>, lines: &LineIndex) -> Option<(String, Origin)> {
    let find = |pred: &dyn Fn(Node<'_, '_>) -> bool| {
        root.descendants()
            .filter(|n| n.is_element() && pred(*n))
            .map(|n| (text_of(n, &plain), lines.origin(n)))
            .find(|(t, _)| !t.is_empty())
    };
    find(&|n| n.tag_name().name() == "title" && n.tag_name().namespace() == Some(DUBLIN_CORE))
        .or_else(|| find(&|n| n.tag_name().name() == "shortTitle"))
        .or_else(|| find(&|n| n.tag_name().name() == "officialTitle"))
        .or_else(|| find(&|n| n.tag_name().name() == "docTitle"))
        .or_else(|| {
            root.descendants()
                .filter(|n| n.tag_name().name() == "FRBRalias" || n.tag_name().name() == "FRBRname")
                .find_map(|n| Some((n.attribute("value")?.to_string(), lines.origin(n))))
        })
}

fn language(root: Node<'_, '_>) -> Option<String> {
    root.descendants().find_map(|n| {
        let name = n.tag_name().name();
        if name == "language" && n.tag_name().namespace() == Some(DUBLIN_CORE) {
            n.text().and_then(normalise_language)
        } else if name == "FRBRlanguage" {
            n.attribute("language").and_then(normalise_language)
        } else {
            None
        }
    })
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    Skip,
    Note,
    Division,
    Article,
    Level,
    Block,
    Front,
    Quote,
    /// `<num>`, `<heading>`: read by the division, article or level that holds them.
    Label,
    /// A table cell: words, set apart from the next cell by a space.
    Cell,
    Inline,
}

struct Reader<'r, 'd> {
    vocab: &'r Vocabulary,
    lines: &'r LineIndex,
    doc: &'d mut Document,
    /// The paragraph being assembled.
    flow: TextFlow,
    /// Length of the num/heading prefix at the start of `flow`: a level whose flow holds no
    /// more than that has no words of its own yet.
    prefix_len: usize,
    /// Line where the paragraph being assembled starts.
    line: u32,
    /// Divisions open around the current node.
    depth: u8,
    in_article: bool,
    /// An article was emitted since the last heading: paragraphs emitted now would be read
    /// as that article's.
    after_article: bool,
    /// Words of a division without a heading that follows an article (an appropriations
    /// "This title may be cited as …"): kept as `Meta`, since as paragraphs they would join
    /// the article before them.
    orphan: bool,
    /// Quotations open around the current node: no articles or headings inside them.
    quoted: u32,
    /// The last appropriations heading (`Job Corps`) in the current title: it names the
    /// headless appropriations paragraphs that follow it.
    appropriation: Option<String>,
}

impl Reader<'_, '_> {
    fn role(&self, n: Node<'_, '_>) -> Role {
        let name = n.tag_name().name();
        let v = self.vocab;
        if n.tag_name().namespace() == Some(DUBLIN_CORE) {
            return Role::Skip;
        }
        if matches!(name, "Rt" | "rt" | "rp") || v.skipped.contains(&name) {
            Role::Skip
        } else if v.notes.contains(&name) {
            Role::Note
        } else if v.articles.contains(&name) {
            let groups_articles = v.divisions.contains(&name)
                && n.descendants()
                    .skip(1)
                    .any(|d| d.is_element() && v.articles.contains(&d.tag_name().name()));
            if groups_articles {
                Role::Division
            } else {
                Role::Article
            }
        } else if v.divisions.contains(&name) {
            Role::Division
        } else if v.levels.contains(&name) {
            Role::Level
        } else if v.blocks.contains(&name) {
            Role::Block
        } else if v.front.contains(&name) {
            Role::Front
        } else if v.quotes.contains(&name) {
            Role::Quote
        } else if matches!(name, "num" | "heading" | "subheading") {
            Role::Label
        } else if matches!(name, "td" | "th" | "entry") {
            Role::Cell
        } else {
            Role::Inline
        }
    }

    /// How an element stands inside text read in one piece (labels, front matter).
    fn boundary(&self, n: Node<'_, '_>) -> Boundary {
        match self.role(n) {
            Role::Skip | Role::Note => Boundary::Skip,
            Role::Inline | Role::Label => Boundary::Inline,
            Role::Cell => Boundary::Hard,
            _ => Boundary::Soft,
        }
    }

    fn text(&self, n: Node<'_, '_>) -> String {
        text_of(n, &|c| self.boundary(c))
    }

    fn label_text(&self, n: Node<'_, '_>, name: &str) -> String {
        child(n, name).map(|c| self.text(c)).unwrap_or_default()
    }

    fn has_words(&self) -> bool {
        self.flow.len() > self.prefix_len
    }

    fn walk(&mut self, node: Node<'_, '_>) {
        let holder = matches!(
            self.role(node),
            Role::Division | Role::Article | Role::Level
        );
        for c in node.children() {
            crate::budget::tick();
            if c.is_text() {
                let t = c.text().unwrap_or("");
                if self.flow.is_empty() && !t.trim().is_empty() {
                    self.line = self.lines.line(c);
                }
                self.flow.push_str(t);
                continue;
            }
            if !c.is_element() {
                continue;
            }
            let nested = self.in_article || self.quoted > 0;
            match self.role(c) {
                Role::Skip => {}
                Role::Label if holder => {}
                Role::Note => {
                    if !nested {
                        self.structure_in_note(c);
                    }
                }
                Role::Division if !nested => {
                    self.flush();
                    self.division(c);
                }
                Role::Article if !nested => {
                    self.flush();
                    self.article(c);
                }
                Role::Division | Role::Article | Role::Level => self.level(c),
                Role::Block => {
                    if self.has_words() {
                        self.flush();
                    }
                    self.flow.boundary(Gap::Soft);
                    self.walk(c);
                    if self.has_words() {
                        self.flush();
                    }
                }
                Role::Front => {
                    self.flush();
                    self.front(c);
                }
                Role::Quote => {
                    self.quoted += 1;
                    self.flow.boundary(Gap::Soft);
                    self.walk(c);
                    self.quoted -= 1;
                }
                Role::Cell => {
                    self.flow.boundary(Gap::Hard);
                    self.walk(c);
                    self.flow.boundary(Gap::Hard);
                }
                Role::Label | Role::Inline => self.walk(c),
            }
        }
    }

    /// Keeps the articles and divisions a note wraps, without the note's own words.
    fn structure_in_note(&mut self, note: Node<'_, '_>) {
        for c in note.children().filter(|c| c.is_element()) {
            match self.role(c) {
                Role::Division => {
                    self.flush();
                    self.division(c);
                }
                Role::Article => {
                    self.flush();
                    self.article(c);
                }
                Role::Note | Role::Inline => self.structure_in_note(c),
                _ => {}
            }
        }
    }

    fn division(&mut self, node: Node<'_, '_>) {
        let num = self.label_text(node, "num");
        let heading = self.label_text(node, "heading");
        let text = join_words(&num, &heading);
        if node.tag_name().name() == "appropriations" {
            if self.appropriation_article(node, &text) {
                return;
            }
            if !text.is_empty() {
                self.appropriation = Some(text.clone());
            }
        } else if !text.is_empty() {
            self.appropriation = None;
        }
        // Appropriations headings carry their rank as an attribute, not by nesting.
        let rank = match node.attribute("level") {
            Some("intermediate") => 2,
            Some("small") => 3,
            _ => 1,
        };
        let was_orphan = self.orphan;
        if !text.is_empty() {
            let level = self.depth.saturating_add(rank);
            self.doc
                .push(BlockKind::Heading { level }, text, self.lines.origin(node));
            self.after_article = false;
        } else if self.after_article {
            self.orphan = true;
        }
        self.depth = self.depth.saturating_add(1);
        self.walk(node);
        self.flush();
        self.depth = self.depth.saturating_sub(1);
        self.orphan = was_orphan;
    }

    /// An appropriations paragraph with words of its own (`training and employment services`:
    /// For necessary expenses … $3,977,615,000) is a unit a bill is cited by, like a section:
    /// it becomes an article labelled by its heading, or by the heading before it when it has
    /// none (the paragraphs under `job corps`). Without this, a bill's appropriations joined
    /// whatever section came before (H.R. 2740: an "(unnumbered section)" of 39,021
    /// characters). Words after a section with no heading of their own stay metadata (see
    /// `orphan`). Returns whether the node was read as an article.
    fn appropriation_article(&mut self, node: Node<'_, '_>, heading: &str) -> bool {
        let has_words = node.children().any(|c| {
            c.is_element() && matches!(self.role(c), Role::Block | Role::Level | Role::Division)
        });
        if !has_words || self.in_article || self.quoted > 0 {
            return false;
        }
        let label = if heading.is_empty() {
            if self.after_article {
                return false;
            }
            match &self.appropriation {
                Some(h) => h.clone(),
                None => return false,
            }
        } else if heading.starts_with('(') && self.appropriation.is_some() {
            // `(including transfer of funds)` qualifies the heading above it.
            let above = self.appropriation.clone().unwrap_or_default();
            format!("{above} {heading}")
        } else {
            // As written: small capitals are lowercase in the XML, and casing them again
            // would garble acronyms (hiv/aids, cdc-wide).
            self.appropriation = Some(heading.to_string());
            heading.to_string()
        };
        self.doc.push(
            BlockKind::Article { label },
            String::new(),
            self.lines.origin(node),
        );
        self.in_article = true;
        self.walk(node);
        self.flush();
        self.in_article = false;
        true
    }

    fn article(&mut self, node: Node<'_, '_>) {
        let label = self.label_text(node, "num");
        let caption = self.label_text(node, "heading");
        self.doc.push(
            BlockKind::Article { label },
            caption,
            self.lines.origin(node),
        );
        self.in_article = true;
        self.walk(node);
        self.flush();
        self.in_article = false;
        self.after_article = true;
    }

    /// A numbered level: one paragraph led by its num and heading. A level with no words
    /// before its first sub-level lends its num to that sub-level (`(a) (1) …`), as print does.
    fn level(&mut self, node: Node<'_, '_>) {
        if self.has_words() {
            self.flush();
        }
        if self.flow.is_empty() {
            self.line = self.lines.line(node);
        }
        let num = self.label_text(node, "num");
        let mut heading = self.label_text(node, "heading");
        if !heading.is_empty() && !heading.ends_with(['.', ':', '—', '-', '–']) {
            heading.push('.');
        }
        let head = join_words(&num, &heading);
        if !head.is_empty() {
            self.flow.boundary(Gap::Hard);
            self.flow.push_str(&head);
            self.flow.boundary(Gap::Hard);
        }
        self.prefix_len = self.flow.len();
        self.walk(node);
        self.flush();
    }

    fn front(&mut self, node: Node<'_, '_>) {
        let elements: Vec<_> = node.children().filter(|c| c.is_element()).collect();
        if elements.is_empty() || node.tag_name().name() == "longTitle" {
            self.meta(node);
        } else {
            for c in elements {
                if !matches!(self.role(c), Role::Skip | Role::Note)
                    || c.tag_name().namespace() == Some(DUBLIN_CORE)
                {
                    self.meta(c);
                }
            }
        }
    }

    /// Front matter is a list of short items (`<docTitle>A BILL</docTitle><officialTitle>…`)
    /// written without spaces between them, so the item's own children are set apart.
    fn meta(&mut self, node: Node<'_, '_>) {
        let mut flow = TextFlow::default();
        append_text(&mut flow, node, &|c| {
            let dublin_core = c.tag_name().namespace() == Some(DUBLIN_CORE);
            if !dublin_core && matches!(self.role(c), Role::Skip | Role::Note) {
                Boundary::Skip
            } else if c.parent() == Some(node) && !FORMATTING.contains(&c.tag_name().name()) {
                Boundary::Soft
            } else {
                Boundary::Inline
            }
        });
        let text = flow.take();
        if !text.is_empty() {
            self.doc
                .push(BlockKind::Meta, text, self.lines.origin(node));
        }
    }

    fn flush(&mut self) {
        let text = self.flow.take();
        self.prefix_len = 0;
        let origin = Origin::line(self.line.max(1));
        if self.orphan && !text.is_empty() {
            self.doc.push(BlockKind::Meta, text, origin);
        } else {
            push_paragraph(self.doc, text, origin);
        }
    }
}

/// Elements that mark up words inside a sentence.
const FORMATTING: &[&str] = &[
    "i",
    "b",
    "u",
    "inline",
    "ref",
    "date",
    "sup",
    "sub",
    "span",
    "em",
    "strong",
    "term",
    "shortTitle",
    "quotedText",
];

fn join_words(a: &str, b: &str) -> String {
    match (a.is_empty(), b.is_empty()) {
        (true, _) => b.to_string(),
        (_, true) => a.to_string(),
        _ => format!("{a} {b}"),
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests_support::parse_str;
    use crate::model::{Block, BlockKind};

    fn articles(blocks: &[Block]) -> Vec<(String, String)> {
        blocks
            .iter()
            .filter_map(|b| match &b.kind {
                BlockKind::Article { label } => Some((label.clone(), b.text.clone())),
                _ => None,
            })
            .collect()
    }

    fn texts(blocks: &[Block], kind: BlockKind) -> Vec<String> {
        blocks
            .iter()
            .filter(|b| b.kind == kind)
            .map(|b| b.text.clone())
            .collect()
    }

    const BILL: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<bill xmlns="http://schemas.gpo.gov/xml/uslm" xmlns:dc="http://purl.org/dc/elements/1.1/" xml:lang="en">
<meta><dc:title>118 HR 1: A made-up library bill</dc:title><dc:language>EN</dc:language></meta>
<preface><congress>118th CONGRESS</congress></preface>
<main><longTitle><docTitle>A BILL</docTitle><officialTitle>To fund libraries.</officialTitle></longTitle>
<enactingFormula>Be it enacted,</enactingFormula>
<title><num value="I">TITLE I</num><heading>LIBRARIES</heading>
<appropriations level="intermediate"><heading>Institute of Museum and Library Services</heading></appropriations>
<appropriations level="small"><heading>office of library services</heading><content>For grants, $1,000.</content></appropriations>
<section><num value="101"><inline>Sec. 101. </inline></num><heading>Short title.</heading>
<content>This Act may be cited as the <shortTitle>Libraries Act</shortTitle>.</content></section>
<section><num value="102">Sec. 102. </num><editorialNote role="uscRef">[20 U.S.C. 9141]</editorialNote>
<subsection><num value="a">(a) </num><heading>In general</heading><chapeau>A library shall—</chapeau>
<paragraph><num value="1">(1) </num><content>open <i>daily</i>; and</content></paragraph>
<paragraph><num value="2">(2) </num><content>lend books.</content></paragraph>
<continuation>unless closed by law.</continuation></subsection>
<subsection><num value="b">(b) </num><content>Section 5 is amended to read: <quotedContent>
<section><num>SEC. 5. </num><content>Quoted text.</content></section></quotedContent>”.</content></subsection>
</section>
<appropriations level="small"><content>This title may be cited as the “Libraries Act”.</content></appropriations>
</title>
<editorialNote>[<section><num>Sec. 103. </num><content>Repealed.</content></section>]</editorialNote>
</main></bill>"#;

    #[test]
    fn uslm_sections_become_articles_and_levels_paragraphs() {
        let doc = parse_str(BILL).unwrap();
        assert_eq!(
            doc.title.as_deref(),
            Some("118 HR 1: A made-up library bill")
        );
        assert_eq!(doc.language.as_deref(), Some("en"));
        assert_eq!(
            articles(&doc.blocks),
            vec![
                // An appropriations paragraph is cited by its heading (H.R. 2740 lost 39,021
                // characters of them into an "(unnumbered section)").
                ("office of library services".to_string(), String::new()),
                ("Sec. 101.".to_string(), "Short title.".to_string()),
                ("Sec. 102.".to_string(), String::new()),
                ("Sec. 103.".to_string(), String::new()),
            ]
        );
        let paras = texts(&doc.blocks, BlockKind::Paragraph);
        assert_eq!(
            paras,
            vec![
                "For grants, $1,000.",
                "This Act may be cited as the Libraries Act.",
                "(a) In general. A library shall—",
                "(1) open daily; and",
                "(2) lend books.",
                "unless closed by law.",
                "(b) Section 5 is amended to read:",
                "SEC. 5. Quoted text.”.",
                "Repealed.",
            ]
        );
        let headings: Vec<_> = doc
            .blocks
            .iter()
            .filter_map(|b| match b.kind {
                BlockKind::Heading { level } => Some((level, b.text.as_str())),
                _ => None,
            })
            .collect();
        assert_eq!(
            headings,
            vec![
                (1, "TITLE I LIBRARIES"),
                (3, "Institute of Museum and Library Services"),
            ]
        );
        let meta = texts(&doc.blocks, BlockKind::Meta);
        assert_eq!(
            meta,
            vec![
                "118th CONGRESS",
                "A BILL To fund libraries.",
                "Be it enacted,",
                "This title may be cited as the “Libraries Act”."
            ]
        );
        assert!(!doc.blocks.iter().any(|b| b.text.contains("U.S.C.")));
    }

    #[test]
    fn akoma_ntoso_articles_and_paragraphs() {
        let xml = r#"<akomaNtoso xmlns="http://docs.oasis-open.org/legaldocml/ns/akn/3.0">
<act><meta><identification><FRBRWork><FRBRlanguage language="eng"/></FRBRWork></identification></meta>
<preface><p><docTitle>Public Libraries Act</docTitle></p></preface>
<body><chapter><num>Chapter 1</num><heading>General</heading>
<section><num>Section 1</num><heading>Definitions</heading>
<article><num>Article 1</num><heading>Purpose</heading>
<paragraph><num>1.</num><content><p>Libraries serve all.</p></content></paragraph>
<paragraph><num>2.</num><list><intro><p>They shall:</p></intro>
<point><num>(a)</num><content><p>lend;</p></content></point></list></paragraph>
</article></section></chapter>
<section><num>2</num><heading>Commencement</heading><content><p>Now.</p></content></section>
</body></act></akomaNtoso>"#;
        let doc = parse_str(xml).unwrap();
        assert_eq!(doc.title.as_deref(), Some("Public Libraries Act"));
        assert_eq!(doc.language.as_deref(), Some("en"));
        assert_eq!(
            articles(&doc.blocks),
            vec![
                ("Article 1".to_string(), "Purpose".to_string()),
                ("2".to_string(), "Commencement".to_string()),
            ]
        );
        assert_eq!(
            texts(&doc.blocks, BlockKind::Paragraph),
            vec![
                "1. Libraries serve all.",
                "2. They shall:",
                "(a) lend;",
                "Now."
            ]
        );
        assert_eq!(
            texts(&doc.blocks, BlockKind::Heading { level: 2 }),
            vec!["Section 1 Definitions"]
        );
    }
}
