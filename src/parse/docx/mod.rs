//! Word documents (.docx): paragraphs of `word/document.xml`, headings from paragraph styles,
//! list numbers Word generates (第%1条), tables row by row, and `altChunk` parts (HTML or MHT
//! imported whole, as online converters produce) through the HTML parser.
//!
//! A docx is a zip: every entry is read through one budget of decompressed bytes
//! (`Limits::max_decompressed`) and the entry count is checked before the central directory
//! is loaded, so a zip bomb or a million-entry archive is an error, not an outage.

use std::collections::HashMap;
use std::io::{Cursor, Read};

use roxmltree::Node;

use super::{encoding, html, Input, Limits, ParseError, ParseErrorKind};
use crate::grammar::to_chinese;
use crate::model::{Block, BlockKind, Document, Format, Origin};

mod body;
mod mht;
mod numbering;
mod package;
mod styles;

use body::*;
use mht::*;
use numbering::*;
use package::*;
use styles::*;

/// More entries than any real docx has (a few dozen); a zip listing more is not a document.
const MAX_ENTRIES: usize = 10_000;

/// Parses a docx into blocks.
pub fn parse(input: Input<'_>, limits: &Limits) -> Result<Document, ParseError> {
    let src = input.source;
    let mut package = Package::open(src, input.bytes, limits)?;
    let main_part = package.main_part()?;
    let xml = package.read(&main_part)?.ok_or_else(|| {
        ParseError::malformed(
            src,
            Format::Docx,
            format!("a zip without {main_part}: not a Word document"),
        )
    })?;
    let styles = match package.read("word/styles.xml")? {
        Some(bytes) => StyleSheet::parse(&xml_text(&bytes)),
        None => StyleSheet::default(),
    };
    let numbering = match package.read("word/numbering.xml")? {
        Some(bytes) => Numbering::parse(&xml_text(&bytes)),
        None => Numbering::default(),
    };
    let rels = match package.read(&rels_path(&main_part))? {
        Some(bytes) => relationships(&xml_text(&bytes), &main_part),
        None => HashMap::new(),
    };

    let text = xml_text(&xml);
    let tree = crate::parse::xml::tree(&text)
        .map_err(|e| ParseError::malformed(src, Format::Docx, format!("{main_part}: {e}")))?;
    let body = tree
        .root_element()
        .children()
        .find(|n| n.tag_name().name() == "body")
        .ok_or_else(|| {
            ParseError::malformed(src, Format::Docx, format!("{main_part} has no w:body"))
        })?;

    let mut doc = Document::new("", src, Format::Docx);
    let mut writer = BodyWriter {
        styles: &styles,
        numbering,
        blocks: Vec::new(),
        chunks: Vec::new(),
        paragraphs: Vec::new(),
        row: None,
        fields: Vec::new(),
    };
    walk(body, |edge| writer.edge(edge));

    // altChunk parts are imported at their place in the body: each chunk's blocks replace
    // the marker the walk left.
    let chunk_ids = std::mem::take(&mut writer.chunks);
    let mut chunk_blocks: Vec<Vec<Block>> = Vec::with_capacity(chunk_ids.len());
    for id in &chunk_ids {
        let blocks = match rels.get(id) {
            Some(target) => package.alt_chunk(target, &mut doc)?,
            None => {
                doc.warnings
                    .push(format!("altChunk {id} has no relationship; skipped"));
                Vec::new()
            }
        };
        chunk_blocks.push(blocks);
    }
    let mut chunk_iter = chunk_blocks.into_iter();
    for item in writer.blocks {
        match item {
            BodyItem::Block(b) => doc.blocks.push(b),
            BodyItem::Chunk => doc.blocks.extend(chunk_iter.next().unwrap_or_default()),
        }
    }

    promote_title(&mut doc.blocks);
    doc.title = doc
        .blocks
        .iter()
        .find(|b| b.kind == BlockKind::Title)
        .map(|b| b.text.clone());
    if doc.title.is_none() {
        if let Some(bytes) = package.read("docProps/core.xml")? {
            doc.title = core_title(&xml_text(&bytes));
        }
    }
    Ok(doc)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn zip_of(entries: &[(&str, &[u8])]) -> Vec<u8> {
        let mut buf = Cursor::new(Vec::new());
        {
            let mut w = zip::ZipWriter::new(&mut buf);
            let opts = zip::write::SimpleFileOptions::default()
                .compression_method(zip::CompressionMethod::Deflated);
            for (name, data) in entries {
                if w.start_file(*name, opts).is_err() || w.write_all(data).is_err() {
                    panic!("cannot build test zip");
                }
            }
            if w.finish().is_err() {
                panic!("cannot finish test zip");
            }
        }
        buf.into_inner()
    }

    const W: &str = "xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\" \
                     xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\"";

    fn document(body: &str) -> Vec<u8> {
        format!("<?xml version=\"1.0\" encoding=\"UTF-8\"?><w:document {W}><w:body>{body}</w:body></w:document>")
            .into_bytes()
    }

    fn run(bytes: &[u8], limits: &Limits) -> Result<Document, ParseError> {
        parse(
            Input {
                source: "t.docx",
                bytes,
                content_type: None,
                select: None,
            },
            limits,
        )
    }

    fn blocks(doc: &Document) -> Vec<(BlockKind, &str)> {
        doc.blocks
            .iter()
            .map(|b| (b.kind.clone(), b.text.as_str()))
            .collect()
    }

    const STYLES: &str = "<w:styles xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\">\
        <w:style w:type=\"paragraph\" w:styleId=\"1\"><w:name w:val=\"heading 1\"/></w:style>\
        <w:style w:type=\"paragraph\" w:styleId=\"2\"><w:name w:val=\"标题 2\"/></w:style>\
        <w:style w:type=\"paragraph\" w:styleId=\"a5\"><w:name w:val=\"Title\"/></w:style>\
        <w:style w:type=\"paragraph\" w:styleId=\"Chapter\"><w:name w:val=\"Chapter\"/><w:basedOn w:val=\"2\"/></w:style>\
        <w:style w:type=\"paragraph\" w:styleId=\"Article\"><w:name w:val=\"Article\"/>\
          <w:pPr><w:numPr><w:numId w:val=\"7\"/></w:numPr></w:pPr></w:style>\
        </w:styles>";

    const NUMBERING: &str = "<w:numbering xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\">\
        <w:abstractNum w:abstractNumId=\"0\"><w:lvl w:ilvl=\"0\"><w:start w:val=\"1\"/>\
          <w:numFmt w:val=\"chineseCounting\"/><w:lvlText w:val=\"第%1条\"/></w:lvl></w:abstractNum>\
        <w:num w:numId=\"7\"><w:abstractNumId w:val=\"0\"/></w:num></w:numbering>";

    #[test]
    fn paragraphs_styles_numbering_fields_and_deletions() {
        let body = "<w:p><w:pPr><w:pStyle w:val=\"a5\"/></w:pPr><w:r><w:t>某某条例</w:t></w:r></w:p>\
            <w:p><w:pPr><w:pStyle w:val=\"Chapter\"/></w:pPr><w:r><w:t>第一章</w:t></w:r><w:r><w:tab/><w:t>总则</w:t></w:r></w:p>\
            <w:p><w:pPr><w:pStyle w:val=\"Article\"/></w:pPr><w:r><w:t xml:space=\"preserve\">为了</w:t></w:r>\
              <w:del><w:r><w:delText>删除的</w:delText></w:r></w:del><w:ins><w:r><w:t>测试</w:t></w:r></w:ins>\
              <w:r><w:fldChar w:fldCharType=\"begin\"/></w:r><w:r><w:instrText> PAGE </w:instrText></w:r>\
              <w:r><w:fldChar w:fldCharType=\"separate\"/></w:r><w:r><w:t>，</w:t></w:r>\
              <w:r><w:fldChar w:fldCharType=\"end\"/></w:r><w:r><w:t>制定本条例。</w:t></w:r></w:p>\
            <w:p><w:pPr><w:pStyle w:val=\"Article\"/></w:pPr><w:r><w:t>第一款。</w:t><w:br/><w:t>第二款。</w:t></w:r></w:p>\
            <w:p><w:r><w:rPr><w:vanish/></w:rPr><w:t>隐藏</w:t></w:r></w:p>\
            <w:tbl><w:tr><w:tc><w:p><w:r><w:t>甲</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>乙</w:t></w:r></w:p></w:tc></w:tr></w:tbl>\
            <w:p><w:pPr><w:pStyle w:val=\"1\"/></w:pPr><w:r><w:t>附则</w:t></w:r></w:p>";
        let bytes = zip_of(&[
            ("word/document.xml", &document(body)),
            ("word/styles.xml", STYLES.as_bytes()),
            ("word/numbering.xml", NUMBERING.as_bytes()),
        ]);
        let doc = run(&bytes, &Limits::default()).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            blocks(&doc),
            vec![
                (BlockKind::Title, "某某条例"),
                (BlockKind::Heading { level: 2 }, "第一章 总则"),
                (BlockKind::Paragraph, "第一条 为了测试，制定本条例。"),
                (BlockKind::Paragraph, "第二条 第一款。"),
                (BlockKind::Paragraph, "第二款。"),
                (BlockKind::Paragraph, "甲 乙"),
                (BlockKind::Heading { level: 1 }, "附则"),
            ]
        );
        assert_eq!(doc.title.as_deref(), Some("某某条例"));
    }

    #[test]
    fn alt_chunk_mht_goes_through_the_html_parser() {
        let html = "<html><head><meta charset=3D\"gb2312\"></head><body><h1>=D6=F7=CC=E2</h1>\
                    <p>=B5=DA=D2=BB=CC=F5 =C4=DA=C8=DD=A1=A3</p></body></html>";
        let mht = format!(
            "MIME-Version: 1.0\r\nContent-Type: multipart/related;\r\n    type=\"text/html\";\r\n    boundary=\"----=BOUND\"\r\n\r\n\
             ------=BOUND\r\nContent-Type: text/html;\r\n    charset=\"gbk\"\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n{html}\r\n\
             ------=BOUND--\r\n"
        );
        let rels = "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">\
            <Relationship Id=\"c1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/aFChunk\" Target=\"chunk.mht\"/></Relationships>";
        let body = "<w:p><w:r><w:t>前言</w:t></w:r></w:p><w:altChunk r:id=\"c1\"/><w:p><w:r><w:t>后记</w:t></w:r></w:p>";
        let bytes = zip_of(&[
            ("word/document.xml", &document(body)),
            ("word/_rels/document.xml.rels", rels.as_bytes()),
            ("word/chunk.mht", mht.as_bytes()),
        ]);
        let doc = run(&bytes, &Limits::default()).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            blocks(&doc),
            vec![
                (BlockKind::Paragraph, "前言"),
                (BlockKind::Title, "主题"),
                (BlockKind::Paragraph, "第一条 内容。"),
                (BlockKind::Paragraph, "后记"),
            ]
        );
    }

    #[test]
    fn decompression_bomb_and_entry_count_are_refused() {
        let big = vec![b'a'; 2_000_000];
        let bytes = zip_of(&[("word/document.xml", &big)]);
        assert!(bytes.len() < 100_000);
        let limits = Limits {
            max_decompressed: 1_000_000,
            ..Limits::default()
        };
        let err = run(&bytes, &limits)
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(
            err.starts_with("t.docx: ") && err.contains("decompression bomb"),
            "{err}"
        );

        let names: Vec<String> = (0..MAX_ENTRIES + 1).map(|i| format!("f{i}")).collect();
        let entries: Vec<(&str, &[u8])> = names.iter().map(|n| (n.as_str(), &b""[..])).collect();
        let many = zip_of(&entries);
        let err = run(&many, &Limits::default())
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(err.contains("entries"), "{err}");
    }

    #[test]
    fn zip_without_document_and_garbage_are_one_line_errors() {
        let bytes = zip_of(&[("hello.txt", b"hi")]);
        let err = run(&bytes, &Limits::default())
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(
            err.starts_with("t.docx: ") && err.contains("not a Word document"),
            "{err}"
        );
        let err = run(b"PK\x03\x04garbage", &Limits::default())
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(err.starts_with("t.docx: ") && !err.contains('\n'), "{err}");
    }

    #[test]
    fn mht_html_parts_decode_from_base64_and_gbk() {
        let html = "<html><body><p>第一条 图书馆免费开放。</p></body></html>";
        let (gbk, _, _) = encoding_rs::GBK.encode(html);
        let b64 = |bytes: &[u8]| {
            const A: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
            let mut out = String::new();
            for chunk in bytes.chunks(3) {
                let n = chunk.iter().fold(0u32, |acc, &b| acc << 8 | u32::from(b))
                    << (8 * (3 - chunk.len()));
                for k in 0..=chunk.len() {
                    out.push(A[(n >> (18 - 6 * k) & 63) as usize] as char);
                }
                out.push_str(&"=".repeat(3 - chunk.len()));
            }
            out
        };
        let mht = format!(
            "MIME-Version: 1.0\r\nContent-Type: multipart/related; boundary=\"B\"\r\n\r\n\
             --B\r\nContent-Type: text/html; charset=\"gbk\"\r\n\
             Content-Transfer-Encoding: base64\r\n\r\n{}\r\n--B--\r\n",
            b64(&gbk)
        );
        let part = mime::html_part(mht.as_bytes()).expect("html part");
        assert_eq!(String::from_utf8(part.body).expect("utf-8"), html);
        assert!(mime::html_part(b"Subject: x\r\n\r\nno html here").is_none());
        assert_eq!(format_number(12, "chineseCounting"), "十二");
        assert_eq!(format_number(12, "chineseCounting"), "十二");
        assert_eq!(format_number(28, "lowerLetter"), "bb");
        assert_eq!(format_number(14, "upperRoman"), "XIV");
        assert_eq!(resolve_target("word", "../media/x.png"), "media/x.png");
        assert_eq!(
            resolve_target("word", "/word/afchunk.mht"),
            "word/afchunk.mht"
        );
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(64))]

        /// A valid docx with bytes flipped or cut: an error or a document, never a panic.
        #[test]
        fn damaged_docx_never_panics(flips in proptest::collection::vec((0usize..4000, proptest::prelude::any::<u8>()), 0..8), cut in 0usize..4000) {
            let body = "<w:p><w:r><w:t>第一条 内容。</w:t></w:r></w:p>".repeat(20);
            let mut bytes = zip_of(&[
                ("word/document.xml", &document(&body)),
                ("word/styles.xml", STYLES.as_bytes()),
                ("word/numbering.xml", NUMBERING.as_bytes()),
            ]);
            for (at, b) in flips {
                let len = bytes.len();
                if let Some(slot) = bytes.get_mut(at % len.max(1)) {
                    *slot = b;
                }
            }
            bytes.truncate(cut.max(4));
            let _ = run(&bytes, &Limits::default());
        }
    }

    /// A 696-byte docx whose parts nest 12,500 elements overflowed roxmltree's recursive
    /// parser and aborted the whole process (no catch_unwind helps): every part goes through
    /// the depth check now.
    #[test]
    fn deeply_nested_parts_are_refused_not_a_stack_overflow() {
        let deep = |open: &str, close: &str| -> Vec<u8> {
            let mut x = String::from("<?xml version=\"1.0\"?>");
            x.push_str(&open.repeat(12_500));
            x.push_str(&close.repeat(12_500));
            x.into_bytes()
        };
        let body = document("<w:p><w:r><w:t>第一条 本条例适用于本市。</w:t></w:r></w:p>");
        let nested_doc = deep("<w:p>", "</w:p>");
        let err = run(
            &zip_of(&[("word/document.xml", &nested_doc)]),
            &Limits::default(),
        )
        .expect_err("a body nested 12,500 deep is refused");
        let msg = err.to_string();
        assert!(
            msg.contains("nested more than") && !msg.contains('\n'),
            "{msg}"
        );
        for part in [
            "word/styles.xml",
            "word/numbering.xml",
            "word/_rels/document.xml.rels",
            "_rels/.rels",
            "docProps/core.xml",
        ] {
            let nested = deep("<a>", "</a>");
            let bytes = zip_of(&[("word/document.xml", &body), (part, &nested)]);
            // A broken side part costs its styles, numbering or title, never the text.
            let doc = run(&bytes, &Limits::default()).unwrap_or_else(|e| panic!("{part}: {e}"));
            assert!(
                doc.blocks
                    .iter()
                    .any(|b| b.text.contains("本条例适用于本市")),
                "{part}"
            );
        }
    }
}
