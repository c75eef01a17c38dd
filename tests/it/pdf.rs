//! PDF parsing, on the real corpus and on hostile files built here.
//!
//! Properties checked on real PDFs (LibreOffice, Chromium, XeLaTeX prints of real laws, and
//! three PDFs found in the wild):
//! 1. every article head starts a block of its own: the number of blocks that start with a
//!    head equals the law's article count, and the heads are unique and in order;
//! 2. no running header, footer or page number survives as text;
//! 3. no space stands between two Han characters (except after a leading 第X条/章 label);
//! 4. for public-library-law-2018, each article's text equals the markdown source's, up to
//!    whitespace, in both the LibreOffice and the Chromium print;
//! 5. the title comes from the text, not from a web tool's Info title; a table of contents
//!    does not duplicate the chapter headings.
//!
//! Hostile files each give a one-line error naming the file without a crash.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use lawdex::grammar::from_chinese;
use lawdex::model::{BlockKind, Document};
use lawdex::parse::{parse_bytes, parse_file, Input, Limits, ParseError, ParseErrorKind};

use crate::common;

// ---------------------------------------------------------------- helpers

fn pdf_dir() -> Option<PathBuf> {
    common::shared_dir().map(|d| d.join("corpus/pdf"))
}

fn national(name: &str) -> Option<PathBuf> {
    common::real_dir().map(|d| d.join("cn/national").join(name))
}

fn parse(path: &Path) -> Document {
    match parse_file(path, &Limits::default()) {
        Ok(doc) => doc,
        Err(e) => panic!("{e}"),
    }
}

/// The label of a Chinese article head at the start of `text` (`第十条之一`), if followed by
/// a space as the parser writes heads.
fn cn_head(text: &str) -> Option<&str> {
    let rest = text.strip_prefix('第')?;
    let n = rest.find('条')?;
    let num = &rest[..n];
    if num.is_empty() || from_chinese(num).is_none() {
        return None;
    }
    let mut end = '第'.len_utf8() + n + '条'.len_utf8();
    if let Some(sub) = text[end..].strip_prefix('之') {
        let k: usize = sub
            .chars()
            .take_while(|c| "一二三四五六七八九十".contains(*c))
            .map(char::len_utf8)
            .sum();
        if k > 0 {
            end += '之'.len_utf8() + k;
        }
    }
    text[end..].starts_with(' ').then(|| &text[..end])
}

/// Base number of a head label: 第十条之一 → 10.
fn cn_base(label: &str) -> u32 {
    let inner = label.trim_start_matches('第');
    let num = inner.split('条').next().unwrap_or("");
    from_chinese(num).unwrap_or(0)
}

fn cn_heads(doc: &Document) -> Vec<&str> {
    doc.blocks
        .iter()
        .filter(|b| b.kind == BlockKind::Paragraph)
        .filter_map(|b| cn_head(&b.text))
        .collect()
}

fn is_han(c: char) -> bool {
    ('\u{4E00}'..='\u{9FFF}').contains(&c) || ('\u{3400}'..='\u{4DBF}').contains(&c)
}

/// Blocks with a space between two Han characters, other than the one after a leading label.
fn han_spaces(doc: &Document) -> Vec<String> {
    let mut bad = Vec::new();
    for b in &doc.blocks {
        let chars: Vec<char> = b.text.chars().collect();
        let label_end = leading_label_chars(&b.text);
        for i in 1..chars.len().saturating_sub(1) {
            if chars[i] == ' ' && is_han(chars[i - 1]) && is_han(chars[i + 1]) && i != label_end {
                bad.push(b.text.clone());
                break;
            }
        }
    }
    bad
}

/// Character index just after `第…条/章/编/节` (and 之X) at the start, or 0.
fn leading_label_chars(text: &str) -> usize {
    let Some(rest) = text.strip_prefix('第') else {
        return 0;
    };
    let Some(i) = rest.find(['条', '章', '编', '节']) else {
        return 0;
    };
    let mut n = 1 + rest[..i].chars().count() + 1;
    let after: String = text.chars().skip(n).collect();
    if let Some(sub) = after.strip_prefix('之') {
        n += 1 + sub
            .chars()
            .take_while(|c| "一二三四五六七八九十".contains(*c))
            .count();
    }
    n
}

fn is_page_number_like(text: &str) -> bool {
    let t: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    let bare = t.trim_matches(|c| matches!(c, '-' | '—' | '–'));
    let digits_only = |s: &str| !s.is_empty() && s.chars().all(|c| c.is_ascii_digit());
    digits_only(bare)
        || t.split_once('/')
            .is_some_and(|(a, b)| digits_only(a) && digits_only(b))
        || (t.starts_with('第') && t.contains('页'))
        || t.starts_with("Page")
        || t.contains("file://")
}

fn assert_no_furniture(doc: &Document, running: &[&str]) {
    for b in &doc.blocks {
        assert!(
            !is_page_number_like(&b.text),
            "page furniture survived: {:?}",
            b.text
        );
        if b.kind != BlockKind::Title {
            for r in running {
                assert!(
                    b.text.trim() != *r && !b.text.contains(&format!("{r} ")),
                    "running header {r:?} survived in {:?}",
                    b.text
                );
            }
        }
    }
}

fn squeeze(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

/// Article label → article text (all its paragraphs, whitespace removed), from blocks.
fn articles_of_blocks<'a>(
    texts: impl Iterator<Item = (bool, &'a str)>,
) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    let mut cur: Option<String> = None;
    for (is_heading, text) in texts {
        if is_heading {
            cur = None;
            continue;
        }
        if let Some(label) = cn_head(text) {
            cur = Some(label.to_string());
            out.insert(label.to_string(), squeeze(text));
        } else if let Some(label) = &cur {
            if let Some(t) = out.get_mut(label) {
                t.push_str(&squeeze(text));
            }
        }
    }
    out
}

// ---------------------------------------------------------------- real PDFs

#[test]
fn public_library_law_2018_articles_match_the_markdown_source() {
    let (Some(dir), Some(md)) = (pdf_dir(), national("public-library-law-2018.md")) else {
        return;
    };
    let source = std::fs::read_to_string(&md).expect("markdown source");
    let body = source.split("<!-- INFO END -->").nth(1).unwrap_or("");
    let expected = articles_of_blocks(
        body.lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(|l| (l.starts_with('#'), l)),
    );
    assert_eq!(expected.len(), 55);
    for producer in ["libreoffice", "chromium"] {
        let doc = parse(&dir.join(format!("public-library-law-2018.{producer}.pdf")));
        assert_eq!(
            doc.title.as_deref(),
            Some("中华人民共和国公共图书馆法"),
            "{producer}"
        );
        let got = articles_of_blocks(
            doc.blocks
                .iter()
                .filter(|b| matches!(b.kind, BlockKind::Paragraph | BlockKind::Heading { .. }))
                .map(|b| (matches!(b.kind, BlockKind::Heading { .. }), b.text.as_str())),
        );
        assert_eq!(got.len(), 55, "{producer}");
        for (label, text) in &expected {
            assert_eq!(got.get(label), Some(text), "{producer}: {label}");
        }
        assert_eq!(cn_heads(&doc).len(), 55, "{producer}");
        assert_no_furniture(&doc, &["中华人民共和国公共图书馆法"]);
        assert_eq!(han_spaces(&doc), Vec::<String>::new(), "{producer}");
        // Six chapters, each once, although the LibreOffice print lists them in a 目录 first.
        let headings: Vec<&str> = doc
            .blocks
            .iter()
            .filter(|b| matches!(b.kind, BlockKind::Heading { .. }))
            .map(|b| b.text.as_str())
            .collect();
        assert_eq!(
            headings,
            [
                "第一章 总则",
                "第二章 设立",
                "第三章 运行",
                "第四章 服务",
                "第五章 法律责任",
                "第六章 附则"
            ],
            "{producer}"
        );
    }
}

#[test]
fn xelatex_prints_keep_articles_and_drop_page_footers() {
    let Some(dir) = pdf_dir() else { return };
    // Shanghai: footer 第 N 页 共 M 页 looks like 第…条 and must never become an article.
    let doc = parse(&dir.join("shanghai-public-library-regulations-2024.xelatex.pdf"));
    let heads = cn_heads(&doc);
    assert_eq!(heads.len(), 38);
    let numbers: Vec<u32> = heads.iter().map(|h| cn_base(h)).collect();
    assert_eq!(numbers, (1..=38).collect::<Vec<_>>());
    assert_no_furniture(&doc, &["上海市公共图书馆条例", "地方性法规"]);
    assert_eq!(han_spaces(&doc), Vec::<String>::new());
    // xeCJK's spaces between Chinese and digits are gone.
    assert!(doc.blocks.iter().any(|b| b.text.contains("2024年11月28日")));

    // Beijing: two columns; content-stream order keeps each column's text together.
    let doc = parse(&dir.join("beijing-library-regulations-2002.xelatex.pdf"));
    let heads = cn_heads(&doc);
    let numbers: Vec<u32> = heads.iter().map(|h| cn_base(h)).collect();
    assert_eq!(numbers, (1..=45).collect::<Vec<_>>());
    assert_no_furniture(&doc, &["北京市图书馆条例"]);
    assert_eq!(han_spaces(&doc), Vec::<String>::new());
    let last = doc.blocks.last().map(|b| b.text.as_str());
    assert_eq!(last, Some("第四十五条 本条例自2002年11月1日起施行。"));
    // A chapter heading wrapped in the narrow column is one heading.
    assert!(doc
        .blocks
        .iter()
        .any(|b| b.text == "第四章 图书馆服务和读者权益保障"));
}

#[test]
fn english_prints_keep_sections_and_drop_browser_furniture() {
    let Some(dir) = pdf_dir() else { return };
    let doc = parse(&dir.join("national-library-act-1960.chromium.pdf"));
    let expected = [
        "1", "2", "4", "5", "6", "7", "7A", "8", "9", "10", "11", "12", "13", "14", "15", "15A",
        "16", "17", "17A", "17B", "17C", "17D", "17E", "17H", "17J", "18", "20", "22", "26", "27A",
        "27B", "28",
    ];
    let heads: Vec<&str> = doc
        .blocks
        .iter()
        .filter(|b| b.kind == BlockKind::Paragraph)
        .filter_map(|b| {
            let (num, rest) = b.text.split_once(' ')?;
            let numeric = num.starts_with(|c: char| c.is_ascii_digit())
                && num
                    .chars()
                    .all(|c| c.is_ascii_digit() || c.is_ascii_uppercase());
            (numeric && rest.starts_with(|c: char| c.is_uppercase())).then_some(num)
        })
        .collect();
    assert_eq!(heads, expected);
    for b in &doc.blocks {
        assert!(
            !b.text.contains("file://") && !b.text.contains("11/26/26"),
            "{:?}",
            b.text
        );
    }
    assert_no_furniture(&doc, &[]);
    assert_eq!(doc.title.as_deref(), Some("National Library Act 1960"));
    // Wrapped lines join with a space, ligatures are letters again.
    assert!(doc.blocks.iter().any(|b| b.text
        == "(a) in payment or discharge of the costs and expenses of the Library under this Act; and"));
    assert!(!doc.blocks.iter().any(|b| b.text.contains('\u{FB01}')));

    let doc = parse(&dir.join("library-act-2015.en.libreoffice.pdf"));
    let heads: Vec<String> = doc
        .blocks
        .iter()
        .filter(|b| b.text.starts_with("Article "))
        .map(|b| b.text.clone())
        .collect();
    let expected: Vec<String> = (1..=20).map(|n| format!("Article {n}")).collect();
    assert_eq!(heads, expected);
    assert_no_furniture(
        &doc,
        &["Library Act — official English translation (last amended 2015-02-04)"],
    );
    assert!(doc
        .blocks
        .iter()
        .all(|b| !b.text.contains("official English translation")));
}

/// Counts made by reading the PDF's text (pdftotext -raw and our output agree): the heads
/// run 第一条…第四百五十二条 without 第一百九十九条, which the Ninth Amendment (2015)
/// repealed, plus 39 inserted articles 第X条之一/之二/…: 451 + 39 = 490.
#[test]
fn criminal_law_has_every_article_once() {
    let Some(path) = national("criminal-law-2015.pdf") else {
        return;
    };
    let doc = parse(&path);
    let heads = cn_heads(&doc);
    assert_eq!(heads.len(), 490);
    let mut unique = heads.clone();
    unique.sort_unstable();
    unique.dedup();
    assert_eq!(unique.len(), 490, "an article head appears twice");
    assert_eq!(heads.iter().filter(|h| h.contains('之')).count(), 39);
    let mut bases: Vec<u32> = heads.iter().map(|h| cn_base(h)).collect();
    bases.dedup();
    let expected: Vec<u32> = (1..=452).filter(|&n| n != 199).collect();
    assert_eq!(bases, expected, "heads in order, 199 repealed");
    assert_eq!(doc.title.as_deref(), Some("中华人民共和国刑法"));
    // The font without ToUnicode degrades to its WinAnsi encoding, with a warning.
    assert!(
        doc.warnings.iter().any(|w| w.contains("no ToUnicode")),
        "{:?}",
        doc.warnings
    );
    assert!(doc.blocks.iter().any(|b| b.text
        == "第一条 为了惩罚犯罪,保护人民,根据宪法,结合我国同犯罪作斗争的具体经验及实际情况,制定本法。"));
    // Headings set with justified letter-spacing (第一编 总 则) come out whole.
    let headings: Vec<&str> = doc
        .blocks
        .iter()
        .filter(|b| matches!(b.kind, BlockKind::Heading { .. }))
        .map(|b| b.text.as_str())
        .collect();
    assert_eq!(headings.first(), Some(&"第一编 总则"));
    assert!(headings.contains(&"第二编 分则"));
    assert!(headings.contains(&"第九章 渎职罪"));
    assert_eq!(han_spaces(&doc), Vec::<String>::new());
}

/// Both are prints of an online Markdown converter with a junk Info title; the heads were
/// counted in the PDF text: 第一条…第一百三十二条 and 第一条…第八十六条, each once.
#[test]
fn web_tool_pdfs_take_the_title_from_the_text() {
    for (name, title, articles, chapters) in [
        (
            "minors-protection-law-2020.pdf",
            "中华人民共和国未成年人保护法",
            132,
            9,
        ),
        (
            "women-rights-protection-law-2022.pdf",
            "中华人民共和国妇女权益保障法",
            86,
            10,
        ),
    ] {
        let Some(path) = national(name) else { return };
        let doc = parse(&path);
        assert_eq!(doc.title.as_deref(), Some(title), "{name}");
        let numbers: Vec<u32> = cn_heads(&doc).iter().map(|h| cn_base(h)).collect();
        assert_eq!(numbers, (1..=articles).collect::<Vec<_>>(), "{name}");
        let headings = doc
            .blocks
            .iter()
            .filter(|b| matches!(b.kind, BlockKind::Heading { .. }))
            .count();
        assert_eq!(
            headings, chapters,
            "{name}: the 目录 must not duplicate chapters"
        );
        let toc = doc
            .blocks
            .iter()
            .filter(|b| b.kind == BlockKind::Meta)
            .count();
        assert!(toc > chapters, "{name}: 目录 and its entries are Meta");
        assert_eq!(han_spaces(&doc), Vec::<String>::new(), "{name}");
        assert_no_furniture(&doc, &[]);
    }
}

#[test]
fn every_real_pdf_truncated_in_half_is_an_error() {
    let (Some(dir), Some(real)) = (pdf_dir(), common::real_dir()) else {
        return;
    };
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("pdf dir")
        .chain(std::fs::read_dir(real.join("cn/national")).expect("national dir"))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "pdf"))
        .collect();
    files.sort();
    assert!(files.len() >= 9);
    for path in files {
        let bytes = std::fs::read(&path).expect("read");
        let name = format!("{}.half", path.display());
        let err = parse_hostile(&name, &bytes[..bytes.len() / 2], &Limits::default());
        assert!(err.to_string().contains("truncated"), "{err}");
    }
}

// ---------------------------------------------------------------- hostile files

/// Parses bytes that must fail; checks the error is one line naming the file. (Work is bounded
/// by the limits the errors name, not timed: a wall-clock bound fails on a loaded machine.)
fn parse_hostile(name: &str, bytes: &[u8], limits: &Limits) -> ParseError {
    let result = parse_bytes(
        Input {
            source: name,
            bytes,
            content_type: None,
            select: None,
        },
        limits,
    );
    match result {
        Ok(doc) => panic!("{name} parsed: {:?}", doc.blocks.first()),
        Err(e) => {
            let msg = e.to_string();
            assert!(msg.starts_with(name), "{msg}");
            assert!(!msg.contains('\n'), "{msg}");
            e
        }
    }
}

fn parse_ok(name: &str, bytes: &[u8]) -> Document {
    parse_bytes(
        Input {
            source: name,
            bytes,
            content_type: None,
            select: None,
        },
        &Limits::default(),
    )
    .unwrap_or_else(|e| panic!("{e}"))
}

/// A PDF from object bodies (object `i + 1` is `objects[i]`), with a correct xref table.
fn write_pdf(objects: &[Vec<u8>]) -> Vec<u8> {
    let mut out = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n".to_vec();
    let mut offsets = Vec::new();
    for (i, body) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend_from_slice(format!("{} 0 obj\n", i + 1).as_bytes());
        out.extend_from_slice(body);
        out.extend_from_slice(b"\nendobj\n");
    }
    let xref = out.len();
    out.extend_from_slice(
        format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes(),
    );
    for o in offsets {
        out.extend_from_slice(format!("{o:010} 00000 n \n").as_bytes());
    }
    out.extend_from_slice(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
            objects.len() + 1
        )
        .as_bytes(),
    );
    out
}

fn stream(dict: &str, data: &[u8]) -> Vec<u8> {
    let mut v = format!("<< {dict} /Length {} >>\nstream\n", data.len()).into_bytes();
    v.extend_from_slice(data);
    v.extend_from_slice(b"\nendstream");
    v
}

const FONT: &[u8] =
    b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>";

/// Catalog, pages, font, one page with `content` and `page_extra` in its dictionary.
fn one_page(content: &[u8], page_extra: &str) -> Vec<Vec<u8>> {
    vec![
        b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
        b"<< /Type /Pages /Kids [4 0 R] /Count 1 >>".to_vec(),
        FONT.to_vec(),
        format!(
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 3 0 R >> >> /Contents 5 0 R {page_extra} >>"
        )
        .into_bytes(),
        stream("", content),
    ]
}

#[test]
fn a_hand_made_pdf_parses() {
    let doc = parse_ok(
        "ok.pdf",
        &write_pdf(&one_page(
            b"BT /F1 12 Tf 72 700 Td (Article 1) Tj 0 -14 Td (It works.) Tj ET",
            "",
        )),
    );
    let texts: Vec<&str> = doc.blocks.iter().map(|b| b.text.as_str()).collect();
    assert_eq!(texts, ["Article 1", "It works."]);
}

#[test]
fn empty_and_header_only_files_are_errors() {
    let err = parse_hostile("empty.pdf", b"", &Limits::default());
    assert!(matches!(err.kind, ParseErrorKind::Empty));
    parse_hostile("header.pdf", b"%PDF-1.7\n", &Limits::default());
    parse_hostile(
        "garbage.pdf",
        b"%PDF-1.4\n\x00\x01\x02 obj << /Type /Catalog",
        &Limits::default(),
    );
}

#[test]
fn a_pdf_cut_short_is_truncated() {
    let pdf = write_pdf(&one_page(b"BT /F1 12 Tf 72 700 Td (Text) Tj ET", ""));
    for cut in [pdf.len() / 2, pdf.len() - 20, 40] {
        let err = parse_hostile("cut.pdf", &pdf[..cut], &Limits::default());
        assert!(err.to_string().contains("truncated"), "{err}");
    }
}

fn encrypted_pdf(user_password: &str) -> Vec<u8> {
    use lopdf::{dictionary, Object, Stream};
    let mut doc = lopdf::Document::with_version("1.5");
    let pages_id = doc.new_object_id();
    let font_id = doc.add_object(dictionary! {
        "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "Helvetica",
        "Encoding" => "WinAnsiEncoding",
    });
    let content = doc.add_object(Stream::new(
        dictionary! {},
        b"BT /F1 12 Tf 72 700 Td (Article 1 secret text.) Tj ET".to_vec(),
    ));
    let page = doc.add_object(dictionary! {
        "Type" => "Page", "Parent" => pages_id, "Contents" => content,
        "MediaBox" => vec![0.into(), 0.into(), 595.into(), 842.into()],
        "Resources" => dictionary! { "Font" => dictionary! { "F1" => font_id } },
    });
    doc.objects.insert(
        pages_id,
        Object::Dictionary(dictionary! {
            "Type" => "Pages", "Kids" => vec![page.into()], "Count" => 1,
        }),
    );
    let catalog = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
    doc.trailer.set("Root", catalog);
    let id = Object::string_literal(b"lawdex-test-id-1".to_vec());
    doc.trailer.set("ID", vec![id.clone(), id]);
    let state = lopdf::EncryptionState::try_from(lopdf::EncryptionVersion::V2 {
        document: &doc,
        owner_password: "owner",
        user_password,
        key_length: 128,
        permissions: lopdf::Permissions::all(),
    })
    .expect("encryption state");
    doc.encrypt(&state).expect("encrypt");
    let mut out = Vec::new();
    doc.save_to(&mut out).expect("save");
    out
}

#[test]
fn a_user_password_is_reported_as_encrypted() {
    let err = parse_hostile("locked.pdf", &encrypted_pdf("secret"), &Limits::default());
    assert!(matches!(err.kind, ParseErrorKind::Encrypted), "{err}");
    // An owner password alone (empty user password) does not stop reading.
    let doc = parse_ok("owner-only.pdf", &encrypted_pdf(""));
    assert_eq!(doc.blocks[0].text, "Article 1 secret text.");
}

#[test]
fn a_cyclic_page_tree_is_an_error_not_a_loop() {
    // The Pages node is its own kid, and has no page.
    let objects = vec![
        b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
        b"<< /Type /Pages /Kids [2 0 R 2 0 R] /Count 1 >>".to_vec(),
    ];
    let err = parse_hostile("cycle.pdf", &write_pdf(&objects), &Limits::default());
    assert!(err.to_string().contains("cycle"), "{err}");
    // A cycle beside a real page: the page is read once, with a warning.
    let mut objects = one_page(b"BT /F1 12 Tf 72 700 Td (Text.) Tj ET", "");
    objects[1] = b"<< /Type /Pages /Kids [4 0 R 2 0 R 4 0 R] /Count 3 >>".to_vec();
    let doc = parse_ok("cycle-with-page.pdf", &write_pdf(&objects));
    assert_eq!(doc.blocks.len(), 1);
    assert!(
        doc.warnings.iter().any(|w| w.contains("twice")),
        "{:?}",
        doc.warnings
    );
}

#[test]
fn deep_nesting_neither_overflows_the_stack_nor_hangs() {
    for (open, close) in [("[", "]"), ("<< /A ", " >>"), ("[<< /A ", ">>]")] {
        let depth = 100_000;
        let nested = format!("/Deep {}{}", open.repeat(depth), close.repeat(depth));
        // In the page dictionary: lopdf refuses the object past depth 100, so no page.
        let objects = one_page(b"BT /F1 12 Tf 72 700 Td (Text.) Tj ET", &nested);
        parse_hostile("deep.pdf", &write_pdf(&objects), &Limits::default());
        // In a harmless object: the document still reads.
        let mut objects = one_page(b"BT /F1 12 Tf 72 700 Td (Text.) Tj ET", "");
        objects.push(format!("<< {nested} >>").into_bytes());
        let doc = parse_ok("deep-aside.pdf", &write_pdf(&objects));
        assert_eq!(doc.blocks[0].text, "Text.");
    }
    // In a content stream, where our own lexer reads: arrays, dictionaries, strings.
    let depth = 1_000_000;
    let mut content = b"BT /F1 12 Tf 72 700 Td (Text.) Tj ".to_vec();
    content.extend(std::iter::repeat_n(b'[', depth));
    content.extend(std::iter::repeat_n(b'(', depth));
    content.extend(std::iter::repeat_n(b'<', depth));
    content.extend_from_slice(b" TJ ET");
    let doc = parse_ok("deep-content.pdf", &write_pdf(&one_page(&content, "")));
    assert_eq!(doc.blocks[0].text, "Text.");
}

/// A zlib stream that inflates to `1 + 258 * repeats` zero bytes: fixed-Huffman deflate with
/// one literal and then <length 258, distance 1> over and over, 13 bits per 258 bytes.
fn zero_bomb(repeats: usize) -> Vec<u8> {
    struct Bits {
        out: Vec<u8>,
        acc: u64,
        n: u32,
    }
    impl Bits {
        fn put(&mut self, value: u64, bits: u32) {
            self.acc |= value << self.n;
            self.n += bits;
            while self.n >= 8 {
                self.out.push(self.acc as u8);
                self.acc >>= 8;
                self.n -= 8;
            }
        }
        /// Huffman codes go most significant bit first.
        fn code(&mut self, code: u64, bits: u32) {
            let reversed = (0..bits).fold(0, |r, i| (r << 1) | ((code >> i) & 1));
            self.put(reversed, bits);
        }
    }
    let mut b = Bits {
        out: vec![0x78, 0x01],
        acc: 0,
        n: 0,
    };
    b.put(1, 1); // final block
    b.put(1, 2); // fixed Huffman codes
    b.code(0x30, 8); // literal 0
    for _ in 0..repeats {
        b.code(0xC5, 8); // length symbol 285 = 258
        b.code(0, 5); // distance symbol 0 = 1
    }
    b.code(0, 7); // end of block
    b.put(0, 7); // flush to a byte boundary
    let len = 1 + 258 * repeats as u64;
    let adler = ((len % 65521) << 16) | 1;
    b.out.extend_from_slice(&(adler as u32).to_be_bytes());
    b.out
}

#[test]
fn a_decompression_bomb_is_refused_within_the_limit() {
    // 4 million repeats: a 6.5 MB file that inflates to 1 GB.
    let bomb = zero_bomb(4_000_000);
    let limits = Limits {
        max_decompressed: 16 * 1024 * 1024,
        ..Limits::default()
    };
    // As a page's content stream.
    let mut objects = one_page(b"", "");
    objects[4] = stream("/Filter /FlateDecode", &bomb);
    let err = parse_hostile("bomb.pdf", &write_pdf(&objects), &limits);
    assert!(matches!(err.kind, ParseErrorKind::Bomb { .. }), "{err}");
    // As an object stream, which lopdf inflates while loading.
    let mut objects = one_page(b"BT /F1 12 Tf 72 700 Td (Text.) Tj ET", "");
    objects.push(stream(
        "/Type /ObjStm /N 1 /First 4 /Filter /FlateDecode",
        &bomb,
    ));
    let err = parse_hostile("objstm-bomb.pdf", &write_pdf(&objects), &limits);
    assert!(matches!(err.kind, ParseErrorKind::Bomb { .. }), "{err}");
    // Many small bombs share one budget: ten content streams of 4 MB each.
    let small = zero_bomb(16_000);
    let mut objects = one_page(b"", "");
    let refs: Vec<String> = (0..10).map(|i| format!("{} 0 R", 6 + i)).collect();
    objects[3] = format!(
        "<< /Type /Page /Parent 2 0 R /Resources << /Font << /F1 3 0 R >> >> /Contents [{}] >>",
        refs.join(" ")
    )
    .into_bytes();
    for _ in 0..10 {
        objects.push(stream("/Filter /FlateDecode", &small));
    }
    let err = parse_hostile("many-bombs.pdf", &write_pdf(&objects), &limits);
    assert!(matches!(err.kind, ParseErrorKind::Bomb { .. }), "{err}");
}

#[test]
fn too_many_pages_is_an_error() {
    fn pages(n: usize) -> Vec<u8> {
        let mut objects = vec![
            b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
            Vec::new(),
            FONT.to_vec(),
            stream("", b"BT /F1 12 Tf 72 700 Td (Page.) Tj ET"),
        ];
        let kids: Vec<String> = (0..n).map(|i| format!("{} 0 R", 5 + i)).collect();
        objects[1] =
            format!("<< /Type /Pages /Kids [{}] /Count {n} >>", kids.join(" ")).into_bytes();
        for _ in 0..n {
            objects.push(
                b"<< /Type /Page /Parent 2 0 R /Resources << /Font << /F1 3 0 R >> >> /Contents 4 0 R >>"
                    .to_vec(),
            );
        }
        write_pdf(&objects)
    }
    let err = parse_hostile("many-pages.pdf", &pages(6_000), &Limits::default());
    assert!(err.to_string().contains("5000 pages"), "{err}");
    let limits = Limits {
        max_pages: 3,
        ..Limits::default()
    };
    parse_hostile("four-pages.pdf", &pages(4), &limits);
    let doc = parse_ok("three-pages.pdf", &pages(3));
    assert_eq!(doc.blocks.len(), 3);
}

/// Evaluation of the predefined CMaps (issue 11; `benches/RESULTS-pdf.md`, "Predefined
/// CMaps"). No real PDF of the corpus uses one, so real law texts of the corpus are
/// encoded in each CMap's charset and laid out as a PDF with a font that has no
/// `/ToUnicode`. Each is read twice: under its real name (Adobe's tables through
/// hayro-cmap) and under the same name prefixed with `X` (unknown to hayro-cmap, so the
/// old path: codes read by the charset the name suggests). Prints a table: articles,
/// non-space characters in and out, characters lost or changed.
///
/// `cargo test --test it predefined_cmaps_on_real_texts -- --ignored --nocapture`
#[test]
#[ignore]
fn predefined_cmaps_on_real_texts() {
    use lawdex::segment::segment;
    use std::collections::HashMap;

    let Some(real) = common::real_dir() else {
        return;
    };
    let utf16 = |c: char| -> Option<Vec<u8>> {
        Some(
            c.encode_utf16(&mut [0; 2])
                .iter()
                .flat_map(|u| u.to_be_bytes())
                .collect(),
        )
    };
    let charset = |enc: &'static encoding_rs::Encoding| {
        move |c: char| -> Option<Vec<u8>> {
            let mut buf = [0; 4];
            let (b, _, bad) = enc.encode(c.encode_utf8(&mut buf));
            (!bad).then(|| b.into_owned())
        }
    };
    type Encode = Box<dyn Fn(char) -> Option<Vec<u8>>>;
    let cases: Vec<(&str, &str, &str, Encode)> = vec![
        (
            "cn/national/public-library-law-2018.md",
            "GBK-EUC-H",
            "GB1",
            Box::new(charset(encoding_rs::GBK)),
        ),
        (
            "cn/national/public-library-law-2018.md",
            "GBpc-EUC-H",
            "GB1",
            Box::new(charset(encoding_rs::GBK)),
        ),
        (
            "cn/national/public-library-law-2018.md",
            "UniGB-UCS2-H",
            "GB1",
            Box::new(utf16),
        ),
        (
            "tw/library-act-2015.zh.json",
            "B5pc-H",
            "CNS1",
            Box::new(charset(encoding_rs::BIG5)),
        ),
        (
            "tw/library-act-2015.zh.json",
            "ETen-B5-H",
            "CNS1",
            Box::new(charset(encoding_rs::BIG5)),
        ),
        (
            "tw/library-act-2015.zh.json",
            "HKscs-B5-H",
            "CNS1",
            Box::new(charset(encoding_rs::BIG5)),
        ),
        (
            "tw/library-act-2015.zh.json",
            "UniCNS-UCS2-H",
            "CNS1",
            Box::new(utf16),
        ),
        (
            "jp/civil-aeronautics-act-egov.xml",
            "90ms-RKSJ-H",
            "Japan1",
            Box::new(charset(encoding_rs::SHIFT_JIS)),
        ),
        (
            "jp/civil-aeronautics-act-egov.xml",
            "EUC-H",
            "Japan1",
            Box::new(charset(encoding_rs::EUC_JP)),
        ),
        (
            "jp/civil-aeronautics-act-egov.xml",
            "UniJIS-UCS2-H",
            "Japan1",
            Box::new(utf16),
        ),
        (
            "kr/library-act.md",
            "KSC-EUC-H",
            "Korea1",
            Box::new(charset(encoding_rs::EUC_KR)),
        ),
        (
            "kr/library-act.md",
            "KSCms-UHC-H",
            "Korea1",
            Box::new(charset(encoding_rs::EUC_KR)),
        ),
        (
            "kr/library-act.md",
            "UniKS-UCS2-H",
            "Korea1",
            Box::new(utf16),
        ),
    ];
    let squeeze = |s: &str| -> String { s.chars().filter(|c| !c.is_whitespace()).collect() };
    // Characters of `a` missing from `b`, as multisets: lost or changed characters.
    let missing = |a: &str, b: &str| -> usize {
        let mut counts: HashMap<char, i64> = HashMap::new();
        a.chars().for_each(|c| *counts.entry(c).or_default() += 1);
        b.chars().for_each(|c| *counts.entry(c).or_default() -= 1);
        counts.values().filter(|v| **v > 0).sum::<i64>() as usize
    };
    let differing = |a: &str, b: &str| -> String {
        let mut counts: HashMap<char, i64> = HashMap::new();
        a.chars().for_each(|c| *counts.entry(c).or_default() += 1);
        b.chars().for_each(|c| *counts.entry(c).or_default() -= 1);
        let mut v: Vec<String> = counts
            .iter()
            .filter(|(_, n)| **n > 0)
            .map(|(c, n)| format!("{c} U+{:04X} ×{n}", *c as u32))
            .collect();
        v.sort();
        v.join(", ")
    };
    println!("| source | CMap | source articles | source chars | path | articles | chars out | lost or changed | extra |");
    println!("|---|---|---|---|---|---|---|---|---|");
    for (file, cmap, ordering, encode) in &cases {
        let path = real.join(file);
        let source = parse_file(&path, &Limits::default()).expect("source parses");
        let source_articles = segment(&source).clauses.len();
        // One PDF line per 30 characters; each block starts a line.
        let mut lines: Vec<Vec<u8>> = Vec::new();
        let mut expected = String::new();
        for b in &source.blocks {
            let mut line = Vec::new();
            let mut n = 0;
            for c in b.text.chars() {
                let Some(bytes) = encode(c) else { continue };
                expected.push(c);
                line.extend_from_slice(&bytes);
                n += 1;
                if n == 30 {
                    lines.push(std::mem::take(&mut line));
                    n = 0;
                }
            }
            if !line.is_empty() {
                lines.push(line);
            }
        }
        let expected = squeeze(&expected);
        let mut hayro_blocks = Vec::new();
        for name in [cmap.to_string(), format!("X{cmap}")] {
            let pages: Vec<&[Vec<u8>]> = lines.chunks(40).collect();
            let n = pages.len();
            let kids: Vec<String> = (0..n).map(|i| format!("{} 0 R", 4 + 2 * i)).collect();
            let mut objects = vec![
                b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
                format!("<< /Type /Pages /Kids [{}] /Count {n} >>", kids.join(" ")).into_bytes(),
                format!(
                    "<< /Type /Font /Subtype /Type0 /BaseFont /F /Encoding /{name} /DescendantFonts \
                     [<< /Subtype /CIDFontType0 /BaseFont /F /CIDSystemInfo << /Registry (Adobe) \
                     /Ordering ({ordering}) /Supplement 0 >> /DW 1000 >>] >>"
                )
                .into_bytes(),
            ];
            for (i, page) in pages.iter().enumerate() {
                let mut content = Vec::new();
                for (j, line) in page.iter().enumerate() {
                    let hex: String = line.iter().map(|b| format!("{b:02X}")).collect();
                    content.extend_from_slice(
                        format!("BT /F1 10 Tf 40 {} Td <{hex}> Tj ET\n", 800 - 18 * j).as_bytes(),
                    );
                }
                objects.push(
                    format!(
                        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] \
                         /Resources << /Font << /F1 3 0 R >> >> /Contents {} 0 R >>",
                        5 + 2 * i
                    )
                    .into_bytes(),
                );
                objects.push(stream("", &content));
            }
            let (articles, out, blocks) = match parse_bytes(
                Input {
                    source: "cmap.pdf",
                    bytes: &write_pdf(&objects),
                    content_type: None,
                    select: None,
                },
                &Limits::default(),
            ) {
                Ok(doc) => {
                    let articles = segment(&doc).clauses.len();
                    let blocks: Vec<String> = doc.blocks.into_iter().map(|b| b.text).collect();
                    (articles, squeeze(&blocks.concat()), blocks)
                }
                Err(_) => (0, String::new(), Vec::new()),
            };
            let label = if name.starts_with('X') {
                if blocks == hayro_blocks {
                    "old (charset), blocks identical"
                } else {
                    "old (charset), blocks differ"
                }
            } else {
                hayro_blocks = blocks.clone();
                "hayro-cmap"
            };
            println!(
                "| {file} | {cmap} | {source_articles} | {} | {label} | {articles} | {} | {} | {} |",
                expected.chars().count(),
                out.chars().count(),
                missing(&expected, &out),
                missing(&out, &expected),
            );
            let (lost, extra) = (differing(&expected, &out), differing(&out, &expected));
            if !(lost.is_empty() || out.is_empty()) {
                println!("|   lost: {lost}; came out instead: {extra} |");
            }
        }
    }
}
