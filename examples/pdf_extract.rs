//! Extracts the text of PDFs the way `lawdex` reads them: one block per line of output,
//! prefixed with its kind. Used by `benches/pdf_vs_pdftotext.sh` to time lawdex against
//! poppler's `pdftotext` on the same files.
//!
//! ```text
//! cargo run --release --example pdf_extract -- file.pdf [more.pdf …]
//! cargo run --release --example pdf_extract -- --quiet file.pdf   # parse only, print nothing
//! ```

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use lawdex::model::BlockKind;
use lawdex::parse::{parse_file, Limits};

fn main() -> ExitCode {
    let mut quiet = false;
    let mut failed = false;
    let limits = Limits::default();
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    for arg in std::env::args().skip(1) {
        if arg == "--quiet" {
            quiet = true;
            continue;
        }
        match parse_file(Path::new(&arg), &limits) {
            Ok(doc) => {
                if quiet {
                    continue;
                }
                let _ = writeln!(out, "# {} (title: {:?})", arg, doc.title);
                for w in &doc.warnings {
                    let _ = writeln!(out, "! {w}");
                }
                for b in &doc.blocks {
                    let kind = match &b.kind {
                        BlockKind::Title => "T".to_string(),
                        BlockKind::Heading { level } => format!("H{level}"),
                        BlockKind::Paragraph => "P".to_string(),
                        BlockKind::Article { label } => format!("A[{label}]"),
                        BlockKind::Meta => "M".to_string(),
                    };
                    let page = b.origin.page.unwrap_or(0);
                    let _ = writeln!(out, "{kind}\tp{page}\t{}", b.text);
                }
            }
            Err(e) => {
                failed = true;
                eprintln!("{e}");
            }
        }
    }
    if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}
