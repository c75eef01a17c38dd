//! Unit tests of the whole PDF pipeline on small PDFs written here by hand.

use super::*;
use crate::model::BlockKind;

/// Writes a PDF from object bodies (object `i + 1` is `objects[i]`); `trailer_extra` goes
/// into the trailer dictionary.
pub(super) fn write_pdf(objects: &[Vec<u8>], trailer_extra: &str) -> Vec<u8> {
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
            "trailer\n<< /Size {} /Root 1 0 R {trailer_extra} >>\nstartxref\n{xref}\n%%EOF\n",
            objects.len() + 1
        )
        .as_bytes(),
    );
    out
}

pub(super) fn stream(dict: &str, data: &[u8]) -> Vec<u8> {
    let mut v = format!("<< {dict} /Length {} >>\nstream\n", data.len()).into_bytes();
    v.extend_from_slice(data);
    v.extend_from_slice(b"\nendstream");
    v
}

/// A one-font document: objects 1 catalog, 2 pages, 3 font, 4 ToUnicode, then one page and
/// one content stream per entry of `contents`.
pub(super) fn cid_pdf(cmap: &str, contents: &[&[u8]]) -> Vec<u8> {
    let n = contents.len();
    let kids: Vec<String> = (0..n).map(|i| format!("{} 0 R", 5 + 2 * i)).collect();
    let mut objects = vec![
        b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
        format!("<< /Type /Pages /Kids [{}] /Count {n} >>", kids.join(" ")).into_bytes(),
        b"<< /Type /Font /Subtype /Type0 /BaseFont /Test /Encoding /Identity-H \
           /DescendantFonts [<< /Type /Font /Subtype /CIDFontType2 /BaseFont /Test /DW 1000 \
           /W [3 [250] 16 25 500] >>] /ToUnicode 4 0 R >>"
            .to_vec(),
        stream("", cmap.as_bytes()),
    ];
    for (i, c) in contents.iter().enumerate() {
        objects.push(
            format!(
                "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] \
                 /Resources << /Font << /F1 3 0 R >> >> /Contents {} 0 R >>",
                6 + 2 * i
            )
            .into_bytes(),
        );
        objects.push(stream("", c));
    }
    write_pdf(&objects, "")
}

/// ToUnicode for the test font: code = 0x0100 + index into `chars`, plus space (3) and
/// digits (16-25).
pub(super) fn cmap_for(chars: &str) -> String {
    let mut s = String::from(
        "/CIDInit /ProcSet findresource begin 12 dict begin begincmap\n\
         1 begincodespacerange <0000> <FFFF> endcodespacerange\n",
    );
    let list: Vec<char> = chars.chars().collect();
    s.push_str(&format!("{} beginbfchar\n<0003> <0020>\n", list.len() + 1));
    for (i, c) in list.iter().enumerate() {
        let mut buf = [0u16; 2];
        let units: Vec<String> = c
            .encode_utf16(&mut buf)
            .iter()
            .map(|u| format!("{u:04X}"))
            .collect();
        s.push_str(&format!("<{:04X}> <{}>\n", 0x100 + i, units.join("")));
    }
    s.push_str("endbfchar\n1 beginbfrange\n<0010> <0019> <0030>\nendbfrange\nendcmap end end\n");
    s
}

/// Hex codes of `text` for the test font.
pub(super) fn codes(chars: &str, text: &str) -> String {
    let list: Vec<char> = chars.chars().collect();
    text.chars()
        .map(|c| match c {
            ' ' => "0003".to_string(),
            '0'..='9' => format!("{:04X}", 0x10 + (c as u32 - '0' as u32)),
            _ => format!(
                "{:04X}",
                0x100 + list.iter().position(|&x| x == c).unwrap_or(0)
            ),
        })
        .collect()
}

fn parse_pdf(bytes: &[u8]) -> Result<Document, ParseError> {
    parse(
        Input {
            source: "test.pdf",
            bytes,
            content_type: None,
            select: None,
        },
        &Limits::default(),
    )
}

const CHARS: &str = "第一二条章总则为了促进公共图书馆事业发展制定本法。，年月日中华人民共和国页共";

fn show(text: &str, x: f32, y: f32, size: f32) -> String {
    format!(
        "BT /F1 {size} Tf 1 0 0 1 {x} {y} Tm <{}> Tj ET\n",
        codes(CHARS, text)
    )
}

#[test]
fn cid_text_decodes_without_spaces_between_han() {
    let content = [
        show("中华人民共和国公共图书馆法", 150.0, 780.0, 20.0),
        show("第一章", 250.0, 730.0, 14.0),
        show("总则", 320.0, 730.0, 14.0),
        show("第一条", 72.0, 700.0, 12.0),
        // A gap of one em after the label, then the body; a line per 18pt.
        show("为了促进公共图书馆事业发展，", 120.0, 700.0, 12.0),
        show("制定本法。", 72.0, 682.0, 12.0),
        show("第二条", 72.0, 664.0, 12.0),
        show("2024 年 11 月", 120.0, 664.0, 12.0),
    ]
    .concat();
    let pdf = cid_pdf(&cmap_for(CHARS), &[content.as_bytes()]);
    let doc = parse_pdf(&pdf).expect("parses");
    let texts: Vec<(&BlockKind, &str)> = doc
        .blocks
        .iter()
        .map(|b| (&b.kind, b.text.as_str()))
        .collect();
    assert_eq!(doc.title.as_deref(), Some("中华人民共和国公共图书馆法"));
    assert_eq!(
        texts,
        [
            (&BlockKind::Title, "中华人民共和国公共图书馆法"),
            (&BlockKind::Heading { level: 1 }, "第一章 总则"),
            (
                &BlockKind::Paragraph,
                "第一条 为了促进公共图书馆事业发展，制定本法。"
            ),
            (&BlockKind::Paragraph, "第二条 2024年11月"),
        ]
    );
}

#[test]
fn page_footers_that_look_like_articles_are_dropped() {
    let pages: Vec<String> = (1..=3)
        .map(|n| {
            [
                show(&format!("第{n}条"), 72.0, 700.0, 12.0),
                show("为了促进。", 120.0, 700.0, 12.0),
                show(&format!("第 {n} 页 共 3 页"), 260.0, 40.0, 9.0),
            ]
            .concat()
        })
        .collect();
    let refs: Vec<&[u8]> = pages.iter().map(|p| p.as_bytes()).collect();
    let doc = parse_pdf(&cid_pdf(&cmap_for(CHARS), &refs)).expect("parses");
    let texts: Vec<&str> = doc.blocks.iter().map(|b| b.text.as_str()).collect();
    assert_eq!(
        texts,
        ["第1条 为了促进。", "第2条 为了促进。", "第3条 为了促进。"]
    );
}

#[test]
fn tj_kerning_decides_word_spaces() {
    // Latin text in a WinAnsi Type1 font without ToUnicode, spaced only by TJ offsets.
    let objects = vec![
        b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
        b"<< /Type /Pages /Kids [4 0 R] /Count 1 >>".to_vec(),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>".to_vec(),
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 3 0 R >> >> /Contents 5 0 R >>".to_vec(),
        stream("", b"BT /F1 10 Tf 72 700 Td [(The)-333(Li)-20(brary)] TJ ( Act.) Tj ET"),
    ];
    let doc = parse_pdf(&write_pdf(&objects, "")).expect("parses");
    assert_eq!(doc.blocks.len(), 1);
    assert_eq!(doc.blocks[0].text, "The Library Act.");
    assert!(
        doc.warnings
            .iter()
            .any(|w| w.contains("no ToUnicode") && w.contains("WinAnsiEncoding")),
        "{:?}",
        doc.warnings
    );
}

#[test]
fn differences_and_type3_fonts_decode() {
    let objects = vec![
        b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
        b"<< /Type /Pages /Kids [4 0 R] /Count 1 >>".to_vec(),
        b"<< /Type /Font /Subtype /Type3 /FontMatrix [0.01 0 0 0.01 0 0] /FontBBox [0 0 100 100] \
           /FirstChar 1 /LastChar 3 /Widths [60 60 60] /CharProcs << >> \
           /Encoding << /Type /Encoding /Differences [1 /L /a /uni6CD5] >> >>"
            .to_vec(),
        b"<< /Type /Page /Parent 2 0 R /Resources << /Font << /T3 3 0 R >> >> /Contents 5 0 R >>"
            .to_vec(),
        stream("", b"BT /T3 10 Tf 72 700 Td <010203> Tj ET"),
    ];
    let doc = parse_pdf(&write_pdf(&objects, "")).expect("parses");
    assert_eq!(doc.blocks[0].text, "La法");
}

#[test]
fn cid_font_without_tounicode_is_left_out_with_a_warning() {
    let objects = vec![
        b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
        b"<< /Type /Pages /Kids [4 0 R] /Count 1 >>".to_vec(),
        b"<< /Type /Font /Subtype /Type0 /BaseFont /X /Encoding /Identity-H /DescendantFonts [<< /Subtype /CIDFontType0 /DW 1000 >>] >>".to_vec(),
        b"<< /Type /Page /Parent 2 0 R /Resources << /Font << /F1 3 0 R /F2 6 0 R >> >> /Contents 5 0 R >>".to_vec(),
        stream("", b"BT /F1 12 Tf 72 700 Td <1234abcd> Tj ET BT /F2 12 Tf 72 680 Td <7B2C4E00> Tj ET"),
        b"<< /Type /Font /Subtype /Type0 /BaseFont /Y /Encoding /UniGB-UCS2-H /DescendantFonts [<< /Subtype /CIDFontType0 >>] >>".to_vec(),
    ];
    let doc = parse_pdf(&write_pdf(&objects, "")).expect("parses");
    let text: Vec<&str> = doc.blocks.iter().map(|b| b.text.as_str()).collect();
    assert_eq!(
        text,
        ["第一"],
        "UCS-2 codes decode; unmapped Identity codes are dropped"
    );
    assert!(doc
        .warnings
        .iter()
        .any(|w| w.contains("/F1") && w.contains("left out")));
}

/// Predefined CMaps are read through Adobe's tables: CNS-EUC-H codes are EUC-TW (C4A1 C4E3
/// C4A9 = 一中人 in Adobe-CNS1-7's cid2code.txt), which the old name guess read as Big5; a
/// GBK-EUC-H string is GBK; a name hayro-cmap does not ship (GBT-EUC-H) still falls back to
/// its charset, and an unknown CNS name is left out with a warning rather than guessed.
#[test]
fn predefined_cmaps_decode_through_adobe_tables() {
    let (gbk, _, _) = encoding_rs::GBK.encode("第十条 图书馆");
    let gbk: String = gbk.iter().map(|b| format!("{b:02X}")).collect();
    let font = |name: &str, cmap: &str, ordering: &str| {
        format!(
            "<< /Type /Font /Subtype /Type0 /BaseFont /{name} /Encoding /{cmap} /DescendantFonts \
             [<< /Subtype /CIDFontType0 /BaseFont /{name} /CIDSystemInfo << /Registry (Adobe) \
             /Ordering ({ordering}) /Supplement 0 >> /DW 1000 >>] >>"
        )
        .into_bytes()
    };
    let content = format!(
        "BT /F1 12 Tf 72 700 Td <C4A1C4E3C4A9> Tj ET BT /F2 12 Tf 72 680 Td <{gbk}> Tj ET \
         BT /F3 12 Tf 72 660 Td <{gbk}> Tj ET BT /F4 12 Tf 72 640 Td <C4A1C4E3> Tj ET"
    );
    let objects = vec![
        b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_vec(),
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << \
           /F1 5 0 R /F2 6 0 R /F3 7 0 R /F4 8 0 R >> >> /Contents 4 0 R >>"
            .to_vec(),
        stream("", content.as_bytes()),
        font("Ming", "CNS-EUC-H", "CNS1"),
        font("Song", "GBK-EUC-H", "GB1"),
        font("Song2", "GBT-EUC-H", "GB1"),
        font("Ming2", "CNS-Unknown-H", "CNS1"),
    ];
    let doc = parse_pdf(&write_pdf(&objects, "")).expect("parses");
    let text: Vec<&str> = doc.blocks.iter().map(|b| b.text.as_str()).collect();
    assert_eq!(text, ["一中人", "第十条 图书馆", "第十条 图书馆"]);
    assert!(
        doc.warnings
            .iter()
            .any(|w| w.contains("/F4") && w.contains("left out")),
        "{:?}",
        doc.warnings
    );
}

/// `/W` is keyed by CID: under GBK-EUC-H the one-byte codes 21-7E are CIDs 814-907
/// (hayro-cmap's own test of the embedded GBK-EUC-H), so `a` `b` (61 62) are CIDs 878 879,
/// 500 units wide. "ab" then ends 12 pt after its start, and "cd" shown 24 pt after it
/// stands a word apart. Looked up by code (97, 98: the default 1000), "ab" would end right
/// where "cd" starts.
#[test]
fn predefined_cmap_widths_are_looked_up_by_cid() {
    let objects = vec![
        b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_vec(),
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << \
           /F1 5 0 R >> >> /Contents 4 0 R >>"
            .to_vec(),
        stream(
            "",
            b"BT /F1 12 Tf 72 700 Td <6162> Tj ET BT /F1 12 Tf 96 700 Td <6364> Tj ET",
        ),
        b"<< /Type /Font /Subtype /Type0 /BaseFont /Song /Encoding /GBK-EUC-H /DescendantFonts \
           [<< /Subtype /CIDFontType0 /BaseFont /Song /CIDSystemInfo << /Registry (Adobe) \
           /Ordering (GB1) /Supplement 2 >> /DW 1000 /W [878 [500 500]] >>] >>"
            .to_vec(),
    ];
    let doc = parse_pdf(&write_pdf(&objects, "")).expect("parses");
    let text: Vec<&str> = doc.blocks.iter().map(|b| b.text.as_str()).collect();
    assert_eq!(text, ["ab cd"]);
}

/// Debugging aid: `LAWDEX_PDF_DUMP=file.pdf:3 cargo test --lib dump_page_lines -- --ignored
/// --nocapture` prints the raw lines of page 3 with their geometry.
#[test]
#[ignore]
fn dump_page_lines() {
    let Ok(spec) = std::env::var("LAWDEX_PDF_DUMP") else {
        return;
    };
    let (path, page) = spec.rsplit_once(':').unwrap_or((&spec, "1"));
    let page: usize = page.parse().unwrap_or(1);
    let bytes = std::fs::read(path).unwrap_or_default();
    let doc = lopdf::Document::load_mem(&bytes).expect("loads");
    let tree = pages::walk(&doc, 10_000).expect("pages");
    let Some(p) = tree.pages.get(page - 1) else {
        return;
    };
    let mut budget = Budget::new(1 << 30);
    let mut fonts = FontCache::default();
    let mut reported = HashSet::new();
    let mut data = Vec::new();
    for id in pages::content_ids(&doc, p) {
        if let Ok(lopdf::Object::Stream(s)) = doc.get_object(id) {
            data.extend_from_slice(&budget.decode(s).unwrap_or_default());
        }
    }
    let mut interp = Interpreter::new(&doc, &mut fonts, &mut budget, &mut reported);
    interp.run(&data, p.resources);
    for l in interp.lines.finish() {
        println!(
            "{:7.1} {:7.1} y={:7.1} s={:4.1}/{:4.1} b={}/{} a={} |{}|",
            l.x0,
            l.x1,
            l.y,
            l.size,
            l.size_end,
            l.bold as u8,
            l.bold_end as u8,
            l.artifact as u8,
            l.text
        );
    }
}

#[test]
fn forms_that_draw_each_other_are_bounded() {
    // Form 5 draws form 6 ten times, which draws form 5 ten times (a cycle), and form 7
    // draws form 8 ten times, which draws form 9 ten times, …: bounded by depth and runs.
    let mut objects = vec![
        b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
        b"<< /Type /Pages /Kids [4 0 R] /Count 1 >>".to_vec(),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>".to_vec(),
        b"<< /Type /Page /Parent 2 0 R /Resources << /Font << /F1 3 0 R >> /XObject << /X 5 0 R /Y 7 0 R >> >> /Contents 6 0 R >>".to_vec(),
    ];
    let draw = |name: &str| format!("/{name} Do ").repeat(10).into_bytes();
    objects.push(stream(
        "/Type /XObject /Subtype /Form /Resources << /XObject << /X 5 0 R >> >>",
        &draw("X"),
    ));
    objects.push(stream(
        "",
        b"BT /F1 12 Tf 72 700 Td (Visible.) Tj ET /X Do /Y Do",
    ));
    for i in 7..27 {
        let next = i + 1;
        objects.push(stream(
            &format!("/Type /XObject /Subtype /Form /Resources << /XObject << /Y {next} 0 R >> >>"),
            &draw("Y"),
        ));
    }
    // 10^20 form draws unbounded; MAX_FORM_DEPTH and MAX_FORM_RUNS cap the work, and the
    // page's own text still comes through.
    let doc = parse_pdf(&write_pdf(&objects, "")).expect("parses");
    assert_eq!(doc.blocks[0].text, "Visible.");
}

/// Fuzzing aid: `LAWDEX_PDF_FUZZ=file.pdf cargo test --release --lib fuzz_mutations --
/// --ignored` parses 2000 mutations of the file (flipped bytes, cut, spliced) and fails on
/// the first panic, with the seed to replay it.
#[test]
#[ignore]
fn fuzz_mutations() {
    let Ok(path) = std::env::var("LAWDEX_PDF_FUZZ") else {
        return;
    };
    let original = std::fs::read(path).unwrap_or_default();
    let rounds: u64 = std::env::var("LAWDEX_PDF_FUZZ_ROUNDS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(2000);
    for seed in 1..=rounds {
        let mut state = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15);
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        let mut bytes = original.clone();
        for _ in 0..(1 + next() % 16) {
            let n = bytes.len() as u64;
            let at = (next() % n) as usize;
            match next() % 4 {
                0 => bytes[at] = next() as u8,
                1 => bytes[at] = b"[]()<>/\\0 \n{}%"[(next() % 14) as usize],
                2 => {
                    let len = (next() % 64) as usize;
                    let from = (next() % n) as usize;
                    let chunk: Vec<u8> = bytes[from..(from + len).min(bytes.len())].to_vec();
                    bytes.splice(at..at, chunk);
                }
                _ => bytes.truncate(at.max(16)),
            }
        }
        let result = std::panic::catch_unwind(|| parse_pdf(&bytes));
        assert!(result.is_ok(), "panic with seed {seed}");
    }
}
