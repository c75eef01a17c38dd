//! Parse + segment throughput on the bulk corpus (3,504 Chinese laws, 58 MB of markdown),
//! all cores via rayon. Unpacks ../shared/corpus/bulk into a temporary folder once.
//!
//!     cargo bench --bench parse

use std::path::{Path, PathBuf};
use std::process::Command;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use rayon::prelude::*;

use lawdex::parse::{parse_bytes, Input, Limits};
use lawdex::segment::segment;

fn shared() -> PathBuf {
    std::env::var_os("LAWDEX_SHARED")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared"))
}

fn collect(dir: &Path, out: &mut Vec<(String, Vec<u8>)>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            collect(&p, out);
        } else if p.extension().is_some_and(|x| x == "md") {
            if let Ok(b) = std::fs::read(&p) {
                out.push((p.display().to_string(), b));
            }
        }
    }
}

fn bulk(c: &mut Criterion) {
    let archive = shared().join("corpus/bulk/lawrefbook-laws-2f4c5c2.tar.zst");
    let tmp = tempfile::tempdir().expect("tempdir");
    let status = Command::new("tar")
        .arg("--zstd")
        .arg("-xf")
        .arg(&archive)
        .arg("-C")
        .arg(tmp.path())
        .status()
        .expect("tar");
    assert!(status.success(), "cannot unpack {}", archive.display());
    let mut files = Vec::new();
    collect(tmp.path(), &mut files);
    let bytes: u64 = files.iter().map(|(_, b)| b.len() as u64).sum();
    let limits = Limits::default();
    let run = || -> usize {
        files
            .par_iter()
            .map(|(name, b)| {
                let input = Input {
                    source: name,
                    bytes: b,
                    content_type: None,
                    select: None,
                };
                parse_bytes(input, &limits)
                    .map(|d| segment(&d).clauses.len())
                    .unwrap_or(0)
            })
            .sum()
    };
    eprintln!(
        "bulk: {} files, {} bytes, {} clauses, {} threads",
        files.len(),
        bytes,
        run(),
        rayon::current_num_threads()
    );
    let mut g = c.benchmark_group("bulk");
    g.sample_size(10);
    g.throughput(Throughput::Bytes(bytes));
    g.bench_function("parse+segment markdown", |b| b.iter(run));
    g.finish();
}

criterion_group!(benches, bulk);
criterion_main!(benches);
