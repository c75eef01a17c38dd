//! How well lawdex reads the text of PDFs, font encoding by font encoding: for each file,
//! the `/Encoding` of its Type 0 fonts (predefined CMap name or embedded), whether they carry
//! `/ToUnicode`, and what came out: articles, characters, CJK characters, and how many came
//! out as U+FFFD or private-use code points (text a wrong or missing CMap turns into).
//! Written to compare the predefined-CMap decoding before and after a change (issue 11:
//! `benches/RESULTS-pdf.md`, "Predefined CMaps").
//!
//! ```text
//! cargo run --example pdf_cmaps                  # the real PDFs of ../shared/corpus
//! cargo run --example pdf_cmaps -- a.pdf b.pdf   # these files
//! cargo run --example pdf_cmaps -- --text a.pdf  # also print the extracted text, to diff
//! ```

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use lawdex::grammar::{is_cjk_punct, is_han, is_hangul, is_kana};
use lawdex::parse::{parse_file, Limits};
use lawdex::segment::segment;
use lopdf::{Document, Object};

fn main() -> ExitCode {
    let mut text = false;
    let mut files: Vec<PathBuf> = Vec::new();
    for arg in std::env::args().skip(1) {
        if arg == "--text" {
            text = true;
        } else {
            files.push(arg.into());
        }
    }
    if files.is_empty() {
        files = real_pdfs();
    }
    if files.is_empty() {
        eprintln!("no PDFs given and none found under ../shared/corpus (set LAWDEX_SHARED)");
        return ExitCode::FAILURE;
    }
    println!("| file | Type 0 font encodings (ToUnicode?) | articles | chars | CJK | U+FFFD | private use | bad share | warnings |");
    println!("|---|---|---|---|---|---|---|---|---|");
    let mut failed = false;
    let mut texts = Vec::new();
    for path in &files {
        let name = path.file_name().map_or_else(
            || path.display().to_string(),
            |n| n.to_string_lossy().into_owned(),
        );
        let fonts = type0_encodings(path);
        let doc = match parse_file(path, &Limits::default()) {
            Ok(doc) => doc,
            Err(e) => {
                println!("| {name} | {fonts} | error: {e} | | | | | | |");
                failed = true;
                continue;
            }
        };
        let articles = segment(&doc).clauses.len();
        let (mut chars, mut cjk, mut fffd, mut pua) = (0usize, 0usize, 0usize, 0usize);
        for b in &doc.blocks {
            for c in b.text.chars() {
                chars += 1;
                if is_han(c) || is_kana(c) || is_hangul(c) || is_cjk_punct(c) {
                    cjk += 1;
                } else if c == '\u{FFFD}' {
                    fffd += 1;
                } else if is_private_use(c) {
                    pua += 1;
                }
            }
        }
        // Text a wrong CMap produces lands on U+FFFD, private-use code points or nowhere:
        // the share is of the characters that should have been CJK.
        let share = (fffd + pua) as f64 / (cjk + fffd + pua).max(1) as f64;
        println!(
            "| {name} | {fonts} | {articles} | {chars} | {cjk} | {fffd} | {pua} | {:.4}% | {} |",
            share * 100.0,
            doc.warnings.len()
        );
        if text {
            texts.push((name, doc));
        }
    }
    for (name, doc) in texts {
        println!("\n# {name}");
        for w in &doc.warnings {
            println!("! {w}");
        }
        for b in &doc.blocks {
            println!("{}", b.text);
        }
    }
    if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

fn is_private_use(c: char) -> bool {
    matches!(c as u32, 0xE000..=0xF8FF | 0xF0000..=0xFFFFD | 0x100000..=0x10FFFD)
}

/// The PDFs of the shared corpus: `corpus/pdf/*.pdf` and every PDF under `corpus/real`.
fn real_pdfs() -> Vec<PathBuf> {
    let shared = std::env::var_os("LAWDEX_SHARED")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared"));
    let mut files: Vec<PathBuf> = ["corpus/pdf", "corpus/real"]
        .iter()
        .flat_map(|d| walkdir::WalkDir::new(shared.join(d)).sort_by_file_name())
        .filter_map(Result::ok)
        .map(|e| e.into_path())
        .filter(|p| p.extension().is_some_and(|e| e == "pdf"))
        .collect();
    files.sort();
    files
}

/// `name (n fonts, m with ToUnicode)` per distinct `/Encoding` of the file's Type 0 fonts.
fn type0_encodings(path: &Path) -> String {
    let Ok(doc) = Document::load(path) else {
        return "(lopdf cannot load)".into();
    };
    let mut seen: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    for obj in doc.objects.values() {
        let Ok(dict) = obj.as_dict() else { continue };
        if dict.get(b"Subtype").and_then(Object::as_name).ok() != Some(b"Type0".as_slice()) {
            continue;
        }
        let enc = match dict.get(b"Encoding") {
            Ok(Object::Name(n)) => String::from_utf8_lossy(n).into_owned(),
            Ok(Object::Reference(_)) => "embedded CMap".into(),
            _ => "none".into(),
        };
        let e = seen.entry(enc).or_default();
        e.0 += 1;
        e.1 += usize::from(dict.has(b"ToUnicode"));
    }
    if seen.is_empty() {
        return "none".into();
    }
    seen.iter()
        .map(|(k, (n, u))| format!("{k} ×{n} ({u})"))
        .collect::<Vec<_>>()
        .join(", ")
}
