//! Word 97–2003 documents (.doc, [MS-DOC]): the text of the main document from the piece
//! table, paragraph by paragraph, then the same line reader plain text goes through.
//!
//! Chinese official sites publish many regulations only as a `.doc` attachment. The file is
//! an OLE2 compound file (read with the `cfb` crate); its `WordDocument` stream starts with
//! the FIB, which points into the table stream (`0Table` or `1Table`) at the CLX, whose piece
//! table maps character positions to runs of UTF-16LE or 8-bit (cp1252) bytes. Only the main
//! document (the first `ccpText` characters) is law text; footnotes, headers and comments
//! follow it and are left out. Formatting (styles, list numbers) is not read: Chinese laws
//! write their article heads as text, which the segmenter finds.
//!
//! Every offset and length read from the file is checked against the stream it points into,
//! and no stream is read past `Limits::max_decompressed`, so a hostile file is an error.

use std::io::{Cursor, Read};

use super::{text, Input, Limits, ParseError};
use crate::model::{BlockKind, Document, Format};

/// `wIdent` of a Word binary document.
const WORD_IDENT: u16 = 0xA5EC;
/// FibBase flags.
const F_ENCRYPTED: u16 = 0x0100;
const F_WHICH_TBL_STM: u16 = 0x0200;
const F_OBFUSCATED: u16 = 0x8000;
/// `fcClx`/`lcbClx` is the 34th pair of FibRgFcLcb97.
const CLX_PAIR: usize = 33;
/// More pieces than any real document has; a PlcPcd claiming more is not a document.
const MAX_PIECES: usize = 1_000_000;

/// Whether `bytes` are an OLE2 compound file holding a `WordDocument` stream.
pub fn is_doc(bytes: &[u8]) -> bool {
    const MAGIC: &[u8] = b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1";
    // The directory holds the stream name in UTF-16LE; a cheap check before opening.
    const NAME: &[u8] = b"W\0o\0r\0d\0D\0o\0c\0u\0m\0e\0n\0t\0";
    bytes.starts_with(MAGIC) && super::find(bytes, NAME).is_some()
}

/// Parses a .doc into blocks.
pub fn parse(input: Input<'_>, limits: &Limits) -> Result<Document, ParseError> {
    let src = input.source;
    let paragraphs = paragraphs(input.bytes, limits).map_err(|e| e.at(src))?;
    let joined = paragraphs.join("\n");
    let mut doc = text::parse(
        Input {
            source: src,
            bytes: joined.as_bytes(),
            content_type: None,
            select: None,
        },
        Format::Text,
    )?;
    doc.format = Format::Doc;
    promote_title(&mut doc);
    Ok(doc)
}

/// The first paragraph is the law's title when it is short, ends without a full stop and
/// comes before any article or division head: a .doc marks its title only by style, which
/// is not read.
fn promote_title(doc: &mut Document) {
    if doc.title.is_some() {
        return;
    }
    let Some(first) = doc.blocks.iter_mut().find(|b| b.kind != BlockKind::Meta) else {
        return;
    };
    let t = first.text.trim();
    let is_title = first.kind == BlockKind::Paragraph
        && !t.is_empty()
        && t.chars().count() <= 80
        && !t.ends_with(['。', '.', '；', ';', '：', ':', '，', ','])
        && crate::grammar::article_head(t, true).is_none()
        && crate::grammar::division_rank(t).is_none();
    if is_title {
        first.kind = BlockKind::Title;
        doc.title = Some(t.to_string());
    }
}

/// What is wrong with a .doc, before the source is named.
#[derive(Debug)]
enum Fault {
    Malformed(String),
    Encrypted(&'static str),
}

impl Fault {
    fn at(self, src: &str) -> ParseError {
        match self {
            Fault::Malformed(detail) => ParseError::malformed(src, Format::Doc, detail),
            Fault::Encrypted(how) => {
                ParseError::new(src, super::ParseErrorKind::EncryptedWord { how })
            }
        }
    }
}

fn fault(detail: impl Into<String>) -> Fault {
    Fault::Malformed(detail.into())
}

/// The main document's paragraphs, as text.
fn paragraphs(bytes: &[u8], limits: &Limits) -> Result<Vec<String>, Fault> {
    let mut file = cfb::CompoundFile::open(Cursor::new(bytes))
        .map_err(|e| fault(format!("not a readable OLE2 compound file ({e})")))?;
    let word = read_stream(&mut file, "/WordDocument", limits)?;
    let fib = Fib::read(&word)?;
    let table_name = if fib.flags & F_WHICH_TBL_STM != 0 {
        "/1Table"
    } else {
        "/0Table"
    };
    let table = read_stream(&mut file, table_name, limits)?;
    let clx = slice(&table, fib.fc_clx, fib.lcb_clx)
        .ok_or_else(|| fault(format!("the piece table lies outside {}", &table_name[1..])))?;
    let pieces = piece_table(clx)?;
    let text = main_text(&word, &pieces, fib.ccp_text, limits)?;
    Ok(split_paragraphs(&text))
}

fn read_stream(
    file: &mut cfb::CompoundFile<Cursor<&[u8]>>,
    name: &str,
    limits: &Limits,
) -> Result<Vec<u8>, Fault> {
    let stream = file
        .open_stream(name)
        .map_err(|e| fault(format!("no {} stream ({e})", &name[1..])))?;
    let cap = limits.max_decompressed;
    if stream.len() > cap {
        return Err(fault(format!(
            "the {} stream claims {} bytes, over the limit of {cap}",
            &name[1..],
            stream.len()
        )));
    }
    let mut out = Vec::new();
    stream
        .take(cap)
        .read_to_end(&mut out)
        .map_err(|e| fault(format!("cannot read the {} stream ({e})", &name[1..])))?;
    Ok(out)
}

/// The parts of the File Information Block the text needs.
#[derive(Debug)]
struct Fib {
    flags: u16,
    ccp_text: u32,
    fc_clx: u32,
    lcb_clx: u32,
}

impl Fib {
    fn read(word: &[u8]) -> Result<Fib, Fault> {
        let short = || fault("the WordDocument stream is too short for its FIB");
        let ident = u16_at(word, 0).ok_or_else(short)?;
        if ident != WORD_IDENT {
            return Err(fault(format!(
                "the WordDocument stream does not start with a Word FIB (wIdent {ident:#06x}; \
                 a Word 6/95 or other file?)"
            )));
        }
        let flags = u16_at(word, 0x0A).ok_or_else(short)?;
        if flags & F_ENCRYPTED != 0 {
            let how = if flags & F_OBFUSCATED != 0 {
                "obfuscated"
            } else {
                "encrypted"
            };
            return Err(Fault::Encrypted(how));
        }
        // FibBase is 32 bytes; then the counted arrays fibRgW, fibRgLw and fibRgFcLcb.
        let csw = usize::from(u16_at(word, 32).ok_or_else(short)?);
        let lw_at = 34 + csw * 2;
        let cslw = usize::from(u16_at(word, lw_at).ok_or_else(short)?);
        let lw = lw_at + 2;
        if cslw < 4 {
            return Err(fault(format!(
                "the FIB has {cslw} longs, too few for ccpText"
            )));
        }
        let ccp_text = u32_at(word, lw + 3 * 4).ok_or_else(short)?;
        let fc_at = lw + cslw * 4;
        let pairs = usize::from(u16_at(word, fc_at).ok_or_else(short)?);
        if pairs <= CLX_PAIR {
            return Err(fault(format!(
                "the FIB has {pairs} fc/lcb pairs, too few for the piece table"
            )));
        }
        let clx_at = fc_at + 2 + CLX_PAIR * 8;
        let fc_clx = u32_at(word, clx_at).ok_or_else(short)?;
        let lcb_clx = u32_at(word, clx_at + 4).ok_or_else(short)?;
        Ok(Fib {
            flags,
            ccp_text,
            fc_clx,
            lcb_clx,
        })
    }
}

/// One run of text: character positions `cp_start..cp_end`, stored at byte `offset` of the
/// WordDocument stream, one byte a character when `compressed`, else two.
#[derive(Debug, PartialEq)]
struct Piece {
    cp_start: u32,
    cp_end: u32,
    offset: u32,
    compressed: bool,
}

/// Reads the CLX: Prc entries (formatting, skipped) then the Pcdt holding the PlcPcd.
fn piece_table(clx: &[u8]) -> Result<Vec<Piece>, Fault> {
    let mut at = 0usize;
    loop {
        match clx.get(at) {
            Some(0x01) => {
                let cb = u16_at(clx, at + 1)
                    .ok_or_else(|| fault("the piece table ends inside a Prc"))?;
                at += 3 + usize::from(cb);
            }
            Some(0x02) => break,
            Some(other) => {
                return Err(fault(format!(
                    "the piece table has an unknown entry type {other:#04x}"
                )))
            }
            None => return Err(fault("the piece table has no Pcdt")),
        }
    }
    let lcb = u32_at(clx, at + 1).ok_or_else(|| fault("the Pcdt is cut short"))? as usize;
    let plc = clx
        .get(at + 5..)
        .and_then(|rest| rest.get(..lcb))
        .ok_or_else(|| fault("the PlcPcd runs past the piece table"))?;
    // lcb = 4 (n + 1) + 8 n.
    if lcb < 16 || !(lcb - 4).is_multiple_of(12) {
        return Err(fault(format!(
            "a PlcPcd of {lcb} bytes holds no whole pieces"
        )));
    }
    let n = (lcb - 4) / 12;
    if n > MAX_PIECES {
        return Err(fault(format!("the piece table lists {n} pieces")));
    }
    let mut pieces = Vec::with_capacity(n);
    for i in 0..n {
        let cut = || fault("the PlcPcd is cut short");
        let cp_start = u32_at(plc, i * 4).ok_or_else(cut)?;
        let cp_end = u32_at(plc, (i + 1) * 4).ok_or_else(cut)?;
        let pcd = 4 * (n + 1) + i * 8;
        let fc = u32_at(plc, pcd + 2).ok_or_else(cut)?;
        if cp_end < cp_start {
            return Err(fault(format!(
                "piece {i} ends (cp {cp_end}) before it starts (cp {cp_start})"
            )));
        }
        let compressed = fc & 0x4000_0000 != 0;
        let fc = fc & 0x3FFF_FFFF;
        pieces.push(Piece {
            cp_start,
            cp_end,
            offset: if compressed { fc / 2 } else { fc },
            compressed,
        });
    }
    Ok(pieces)
}

/// The characters `0..ccp_text`, piece by piece.
fn main_text(
    word: &[u8],
    pieces: &[Piece],
    ccp_text: u32,
    limits: &Limits,
) -> Result<String, Fault> {
    let mut out = String::new();
    let cap = usize::try_from(limits.max_decompressed).unwrap_or(usize::MAX);
    for (i, p) in pieces.iter().enumerate() {
        crate::budget::tick();
        if p.cp_start >= ccp_text {
            break;
        }
        let chars = (p.cp_end.min(ccp_text) - p.cp_start) as usize;
        let width = if p.compressed { 1 } else { 2 };
        let bytes = slice(word, p.offset, (chars * width) as u32)
            .filter(|_| chars * width <= u32::MAX as usize)
            .ok_or_else(|| {
                fault(format!(
                    "piece {i} ({chars} characters at byte {}) lies outside the WordDocument stream",
                    p.offset
                ))
            })?;
        if p.compressed {
            // [MS-DOC] 2.4.1: compressed pieces are cp1252, whatever the document's language.
            let (text, _, _) = encoding_rs::WINDOWS_1252.decode(bytes);
            out.push_str(&text);
        } else {
            let units = bytes
                .chunks_exact(2)
                .map(|c| u16::from_le_bytes([c[0], c[1]]));
            out.extend(char::decode_utf16(units).map(|c| c.unwrap_or('\u{FFFD}')));
        }
        if out.len() > cap {
            return Err(fault(format!("the text expands past {cap} bytes")));
        }
    }
    Ok(out)
}

/// Splits the main text at paragraph marks and applies Word's special characters: fields
/// keep their displayed result, a table row becomes one paragraph with its cells separated
/// by spaces, objects and marks are dropped.
fn split_paragraphs(text: &str) -> Vec<String> {
    #[derive(Clone, Copy, PartialEq)]
    enum Field {
        Code,
        Result,
    }
    let mut out = Vec::new();
    let mut para = String::new();
    let mut fields: Vec<Field> = Vec::new();
    // How many open fields are in their code part: a count, not a scan of `fields`, so
    // a file of a million nested field marks stays linear.
    let mut codes = 0usize;
    let mut in_row = false;
    let mut last_cell_end = false;
    let end = |para: &mut String, out: &mut Vec<String>| {
        let line = crate::grammar::normalize_text(para);
        if !line.is_empty() {
            out.push(line);
        }
        para.clear();
    };
    for c in text.chars() {
        let cell_end = c == '\u{7}';
        match c {
            '\u{13}' => {
                fields.push(Field::Code);
                codes += 1;
            }
            '\u{14}' => {
                if let Some(f) = fields.last_mut().filter(|f| **f == Field::Code) {
                    *f = Field::Result;
                    codes -= 1;
                }
            }
            '\u{15}' => {
                if fields.pop() == Some(Field::Code) {
                    codes -= 1;
                }
            }
            _ if codes > 0 => {}
            // A cell mark; two in a row close the row (the second is the row's own mark).
            '\u{7}' => {
                if last_cell_end {
                    end(&mut para, &mut out);
                    in_row = false;
                } else {
                    para.push(' ');
                    in_row = true;
                }
            }
            // Paragraph mark, line break, page or section break. Inside a table row, a
            // paragraph mark only separates paragraphs of one cell.
            '\r' | '\u{b}' | '\u{c}' => {
                if in_row {
                    para.push(' ');
                } else {
                    end(&mut para, &mut out);
                }
            }
            '\t' | '\u{a0}' => para.push(' '),
            '\u{1e}' => para.push('-'),
            c if (c as u32) < 0x20 => {}
            c => para.push(c),
        }
        last_cell_end = cell_end;
    }
    end(&mut para, &mut out);
    out
}

fn slice(bytes: &[u8], offset: u32, len: u32) -> Option<&[u8]> {
    let start = offset as usize;
    bytes.get(start..start.checked_add(len as usize)?)
}

fn u16_at(b: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_le_bytes(
        b.get(at..at.checked_add(2)?)?.try_into().ok()?,
    ))
}

fn u32_at(b: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_le_bytes(
        b.get(at..at.checked_add(4)?)?.try_into().ok()?,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::block_shape;
    use std::io::Write;

    const ZH: &[u8] = include_bytes!("../../tests/fixtures/doc/community-reading-rooms.doc");
    const EN: &[u8] = include_bytes!("../../tests/fixtures/doc/reading-room-rules.doc");

    fn run(bytes: &[u8]) -> Result<Document, ParseError> {
        parse(
            Input {
                source: "t.doc",
                bytes,
                content_type: None,
                select: None,
            },
            &Limits::default(),
        )
    }

    fn err(bytes: &[u8]) -> String {
        match run(bytes) {
            Ok(_) => String::new(),
            Err(e) => e.to_string(),
        }
    }

    /// A minimal .doc: a FIB in WordDocument with `text` at byte 0x400, one piece
    /// (compressed cp1252 when `compressed`), the CLX in 1Table.
    fn build(text: &str, compressed: bool, flags: u16) -> Vec<u8> {
        build_at(text, compressed, flags, 0x400)
    }

    /// As [`build`], with the piece saying its text is at `claimed` (it is at 0x400).
    fn build_at(text: &str, compressed: bool, flags: u16, claimed: u32) -> Vec<u8> {
        const TEXT_AT: u32 = 0x400;
        let encoded: Vec<u8> = if compressed {
            encoding_rs::WINDOWS_1252.encode(text).0.into_owned()
        } else {
            text.encode_utf16().flat_map(|u| u.to_le_bytes()).collect()
        };
        let ccp = if compressed {
            encoded.len() as u32
        } else {
            text.encode_utf16().count() as u32
        };
        let mut clx = vec![0x01, 0x02, 0x00, 0xAA, 0xBB]; // one Prc, skipped
        clx.push(0x02);
        clx.extend(16u32.to_le_bytes());
        clx.extend(0u32.to_le_bytes());
        clx.extend(ccp.to_le_bytes());
        let fc = if compressed {
            (claimed * 2) | 0x4000_0000
        } else {
            claimed
        };
        clx.extend([0u8, 0]);
        clx.extend(fc.to_le_bytes());
        clx.extend([0u8, 0]);

        let mut fib = vec![0u8; 32];
        fib[0..2].copy_from_slice(&WORD_IDENT.to_le_bytes());
        fib[2..4].copy_from_slice(&0x00C1u16.to_le_bytes());
        fib[0x0A..0x0C].copy_from_slice(&(flags | F_WHICH_TBL_STM).to_le_bytes());
        fib.extend(14u16.to_le_bytes());
        fib.extend([0u8; 28]);
        fib.extend(22u16.to_le_bytes());
        let mut lw = [0u32; 22];
        lw[3] = ccp;
        fib.extend(lw.iter().flat_map(|v| v.to_le_bytes()));
        fib.extend(93u16.to_le_bytes());
        let mut pairs = [0u32; 186];
        pairs[CLX_PAIR * 2] = 0;
        pairs[CLX_PAIR * 2 + 1] = clx.len() as u32;
        fib.extend(pairs.iter().flat_map(|v| v.to_le_bytes()));
        fib.resize(TEXT_AT as usize, 0);
        fib.extend(&encoded);

        let mut file = cfb::CompoundFile::create(Cursor::new(Vec::new())).expect("cfb");
        for (name, data) in [("/WordDocument", &fib), ("/1Table", &clx)] {
            let mut s = file.create_stream(name).expect("stream");
            s.write_all(data).expect("write");
        }
        file.flush().expect("flush");
        file.into_inner().into_inner()
    }

    #[test]
    fn libreoffice_fixture_gives_heads_chapters_paragraphs_table_and_link_text() {
        assert!(is_doc(ZH));
        let doc = run(ZH).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(doc.format, Format::Doc);
        assert_eq!(doc.title.as_deref(), Some("示例市社区书屋管理办法"));
        let shape = block_shape(&doc.blocks);
        assert_eq!(shape[0], "T 示例市社区书屋管理办法");
        assert_eq!(shape[1], "P 第一章 总则");
        assert_eq!(
            shape[2],
            "P 第一条 为了规范社区书屋的建设和管理，保障居民的基本阅读权益，制定本办法。"
        );
        assert!(shape.contains(&"P 法定节假日期间，社区书屋应当适当延长开放时间。".to_string()));
        // The table row is one paragraph; the hyperlink field keeps its text, not its URL.
        assert!(
            shape.contains(&"P 服务项目 开放时间".to_string()),
            "{shape:?}"
        );
        assert!(
            shape.contains(&"P 第七条 鼓励公民、法人和其他组织向社区书屋捐赠图书。".to_string())
        );
        assert!(!shape
            .iter()
            .any(|s| s.contains("HYPERLINK") || s.contains("example.org")));
        let heads = shape
            .iter()
            .filter(|s| s.starts_with("P 第") && s.contains('条'))
            .count();
        assert_eq!(heads, 8, "{shape:?}");
    }

    #[test]
    fn english_fixture_reads_its_sections() {
        let doc = run(EN).unwrap_or_else(|e| panic!("{e}"));
        let shape = block_shape(&doc.blocks);
        assert_eq!(shape[0], "T Example Town Reading Room Rules");
        assert_eq!(
            shape[3],
            "P Section 3. A resident may borrow up to five books for three weeks “without fee”."
        );
        assert_eq!(shape.len(), 5);
    }

    #[test]
    fn compressed_pieces_fields_cells_and_marks() {
        let text =
            "Rules\r\u{13} HYPERLINK \"http://x\" \u{14}Section 1.\u{15} Be \u{1}quiet\u{2}.\r\
                    a\u{7}b\u{7}\u{7}Caf\u{e9} \u{13} PAGE \u{15}open\u{b}late\u{c}";
        let bytes = build(text, true, 0);
        let doc = run(&bytes).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            block_shape(&doc.blocks),
            vec![
                "T Rules",
                "P Section 1. Be quiet.",
                "P a b",
                "P Café open",
                "P late"
            ]
        );
        let zh = build("第一条\u{3000}甲。\r第二条 乙。\r", false, 0);
        let doc = run(&zh).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            block_shape(&doc.blocks),
            vec!["P 第一条 甲。", "P 第二条 乙。"]
        );
    }

    #[test]
    fn encrypted_obfuscated_and_foreign_files_are_one_line_errors() {
        let e = err(&build("第一条 甲。", false, F_ENCRYPTED));
        assert!(
            e.starts_with("t.doc: ") && e.contains("encrypted Word document"),
            "{e}"
        );
        let e = err(&build("第一条 甲。", false, F_ENCRYPTED | F_OBFUSCATED));
        assert!(e.contains("obfuscated Word document"), "{e}");
        let mut other = build("x", false, 0);
        // A compound file without a WordDocument stream (an .xls, say).
        let mut file = cfb::CompoundFile::create(Cursor::new(Vec::new())).expect("cfb");
        file.create_stream("/Workbook")
            .expect("stream")
            .write_all(b"x")
            .expect("w");
        file.flush().expect("flush");
        let e = err(&file.into_inner().into_inner());
        assert!(e.contains("no WordDocument stream"), "{e}");
        other.truncate(600);
        let e = err(&other);
        assert!(
            e.starts_with("t.doc: malformed doc: ") && !e.contains('\n'),
            "{e}"
        );
        let e = err(b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1garbage");
        assert!(e.contains("OLE2"), "{e}");
    }

    #[test]
    fn pieces_outside_their_stream_are_errors() {
        let doc = run(&build_at("第一条 甲。", false, 0, 0x400)).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(block_shape(&doc.blocks), vec!["P 第一条 甲。"]);
        for claimed in [0x401 + 4096, 0x3FFF_FFFF] {
            let e = err(&build_at("第一条 甲。", false, 0, claimed));
            assert!(
                e.contains("piece 0") && e.contains("outside the WordDocument stream"),
                "{e}"
            );
            let e = err(&build_at("Section 1. A.", true, 0, claimed));
            assert!(e.contains("piece 0"), "{e}");
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(64))]

        /// The fixture with bytes flipped or cut: an error or a document, never a panic.
        #[test]
        fn damaged_doc_never_panics(flips in proptest::collection::vec((0usize..12_000, proptest::prelude::any::<u8>()), 0..8), cut in 0usize..12_000) {
            let mut bytes = ZH.to_vec();
            for (at, b) in flips {
                let len = bytes.len();
                if let Some(slot) = bytes.get_mut(at % len) {
                    *slot = b;
                }
            }
            bytes.truncate(cut.max(8));
            let _ = run(&bytes);
        }
    }
}
