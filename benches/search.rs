//! In-process search latency with criterion, on an index of ../shared/corpus/real (built once
//! into a temporary folder) or on the index in $LAWDEX_BENCH_DATA (e.g. the bulk corpus).
//!
//!     cargo bench --bench search
//!     LAWDEX_BENCH_DATA=/tmp/bulk-data cargo bench --bench search

use std::path::PathBuf;

use criterion::{criterion_group, criterion_main, Criterion};

use lawdex::ingest::{ingest, IngestOptions, Quiet};
use lawdex::search::{Query, Searcher};

fn shared() -> PathBuf {
    std::env::var_os("LAWDEX_SHARED")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared"))
}

fn search(c: &mut Criterion) {
    let tmp = tempfile::tempdir().expect("tempdir");
    let data = match std::env::var_os("LAWDEX_BENCH_DATA") {
        Some(d) => PathBuf::from(d),
        None => {
            let real = shared().join("corpus/real");
            if !real.is_dir() {
                eprintln!("{} not found; nothing to benchmark", real.display());
                return;
            }
            ingest(&[real], tmp.path(), &IngestOptions::default(), &Quiet).expect("index");
            tmp.path().to_path_buf()
        }
    };
    let searcher = Searcher::open(&data).expect("open index");
    let mut group = c.benchmark_group("search");
    for q in [
        "公共图书馆 免费",
        "行政处罚 听证",
        "圖書館 捐贈 稅收優惠",
        "哪些法规要求为残疾读者提供免费服务",
        "library services for disabled people",
        "\"免费开放\" -博物馆",
    ] {
        let query = Query::parse(q).expect("query");
        group.bench_function(q, |b| b.iter(|| searcher.search(&query).expect("search")));
    }
    group.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(30);
    targets = search
}
criterion_main!(benches);
