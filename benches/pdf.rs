//! PDF parsing throughput (MB/s of PDF bytes) over every real PDF of the shared corpus:
//! the producer prints in `corpus/pdf/` and the PDFs found in the wild in
//! `corpus/real/cn/national/`.
//!
//! ```text
//! cargo bench --bench pdf
//! ```
//!
//! `benches/pdf_vs_pdftotext.sh` compares the same files against poppler's `pdftotext`.

use std::path::PathBuf;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use lawdex::parse::{parse_bytes, Input, Limits};

fn shared_dir() -> PathBuf {
    std::env::var_os("LAWDEX_SHARED")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared"))
}

fn real_pdfs() -> Vec<(String, Vec<u8>)> {
    let shared = shared_dir();
    let mut files = Vec::new();
    for dir in ["corpus/pdf", "corpus/real/cn/national"] {
        let Ok(entries) = std::fs::read_dir(shared.join(dir)) else {
            continue;
        };
        for e in entries.flatten() {
            let path = e.path();
            if path.extension().is_some_and(|x| x == "pdf") {
                if let Ok(bytes) = std::fs::read(&path) {
                    files.push((path.display().to_string(), bytes));
                }
            }
        }
    }
    files.sort();
    files
}

fn parse_one(name: &str, bytes: &[u8], limits: &Limits) -> usize {
    let input = Input {
        source: name,
        bytes,
        content_type: None,
        select: None,
    };
    match parse_bytes(input, limits) {
        Ok(doc) => doc.blocks.len(),
        Err(e) => panic!("{e}"),
    }
}

fn bench(c: &mut Criterion) {
    let files = real_pdfs();
    if files.is_empty() {
        eprintln!(
            "no PDFs under {}; nothing to measure",
            shared_dir().display()
        );
        return;
    }
    let limits = Limits::default();
    let total: usize = files.iter().map(|(_, b)| b.len()).sum();
    let mut group = c.benchmark_group("pdf");
    group.sample_size(20);
    group.throughput(Throughput::Bytes(total as u64));
    group.bench_function(format!("all {} real PDFs", files.len()), |b| {
        b.iter(|| {
            files
                .iter()
                .map(|(name, bytes)| parse_one(name, bytes, &limits))
                .sum::<usize>()
        })
    });
    for (name, bytes) in &files {
        let short = name.rsplit('/').next().unwrap_or(name).to_string();
        group.throughput(Throughput::Bytes(bytes.len() as u64));
        group.bench_function(short, |b| b.iter(|| parse_one(name, bytes, &limits)));
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
