//! Coverage speed on the bulk corpus (3,504 Chinese laws):
//! - `matrix/bulk`: the full matrix, every document × 19 obligations, from segmented documents
//!   (what `lawdex gaps` does after reading the index; no model clauses, as for any matrix);
//! - `matrix/bulk+suggestions`: the same with three model clauses per gap (`--suggestions 3`);
//! - `draft/check`: one draft (the public library law), parsed, segmented and checked, with
//!   model clauses from the bulk corpus already matched;
//! - `draft/check+corpus`: the same, matching the bulk corpus too (a cold `--draft` run).
//!
//! Needs ../shared (or $LAWDEX_SHARED) and `tar` with zstd; prints a note and does nothing
//! without them. Run: `cargo bench --bench coverage`.

use std::path::PathBuf;
use std::process::Command;
use std::time::{Duration, Instant};

use criterion::{criterion_group, criterion_main, Criterion};

use lawdex::coverage::{CorpusCoverage, Matcher, ReportOptions, Taxonomy};
use lawdex::parse::Limits;

fn shared_dir() -> Option<PathBuf> {
    let dir = std::env::var_os("LAWDEX_SHARED")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared"));
    dir.join("corpus").is_dir().then_some(dir)
}

fn bench(c: &mut Criterion) {
    let Some(shared) = shared_dir() else {
        eprintln!("note: ../shared not found; coverage bench skipped");
        return;
    };
    let tarball = shared.join("corpus/bulk/lawrefbook-laws-2f4c5c2.tar.zst");
    let unpacked = tempfile::tempdir().expect("tempdir");
    let status = Command::new("tar")
        .arg("--zstd")
        .arg("-xf")
        .arg(&tarball)
        .arg("-C")
        .arg(unpacked.path())
        .status();
    if !matches!(status, Ok(s) if s.success()) {
        eprintln!(
            "note: cannot unpack {}; coverage bench skipped",
            tarball.display()
        );
        return;
    }
    let t = Instant::now();
    let corpus =
        lawdex::ingest::load(&[unpacked.path().to_path_buf()], &Limits::default()).expect("load");
    eprintln!(
        "bulk corpus: {} documents read, {} unreadable, {} clauses, parsed and segmented in {:.2?}",
        corpus.documents.len(),
        corpus.failures.len(),
        corpus
            .documents
            .iter()
            .map(|d| d.clauses.len())
            .sum::<usize>(),
        t.elapsed()
    );
    let matcher = Matcher::new(Taxonomy::library_social_responsibility().expect("taxonomy"))
        .expect("matcher");
    let rows: Vec<usize> = (0..corpus.documents.len()).collect();
    // What `lawdex gaps` does for a matrix: no model clauses unless --suggestions asks.
    let matrix_options = ReportOptions {
        max_suggestions: 0,
        ..ReportOptions::default()
    };

    let t = Instant::now();
    let cov = CorpusCoverage::compute(&matcher, &corpus.documents);
    let report = cov.report(&rows, &[], matrix_options);
    let totals = report.totals();
    eprintln!(
        "matrix: {} rows × 19: {} covered, {} gaps, {} not applicable ({} documents out of \
         scope), {} unknown in {:.2?}",
        report.documents.len(),
        totals.covered,
        totals.gaps,
        totals.not_applicable,
        totals.out_of_scope,
        totals.unknown,
        t.elapsed()
    );

    let mut g = c.benchmark_group("matrix");
    g.sample_size(10).measurement_time(Duration::from_secs(20));
    g.bench_function("bulk", |b| {
        b.iter(|| {
            let cov = CorpusCoverage::compute(&matcher, &corpus.documents);
            cov.report(&rows, &[], matrix_options)
        })
    });
    g.bench_function("bulk+suggestions", |b| {
        b.iter(|| {
            let cov = CorpusCoverage::compute(&matcher, &corpus.documents);
            cov.report(&rows, &[], ReportOptions::default())
        })
    });
    g.finish();

    let draft = shared.join("corpus/real/cn/national/public-library-law-2018.md");
    let mut g = c.benchmark_group("draft");
    g.sample_size(10).measurement_time(Duration::from_secs(10));
    g.bench_function("check", |b| {
        b.iter(|| {
            let d = lawdex::ingest::load(std::slice::from_ref(&draft), &Limits::default())
                .expect("draft")
                .documents
                .remove(0);
            cov.report_external(&[d], &[], ReportOptions::default())
        })
    });
    g.bench_function("check+corpus", |b| {
        b.iter(|| {
            let d = lawdex::ingest::load(std::slice::from_ref(&draft), &Limits::default())
                .expect("draft")
                .documents
                .remove(0);
            let cov = CorpusCoverage::compute(&matcher, &corpus.documents);
            cov.report_external(&[d], &[], ReportOptions::default())
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
