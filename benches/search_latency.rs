//! In-process query latency, measured the way the peer's `fts5_peer.py bench` measures it:
//! every query of a file gets 1 warm-up run and N timed runs, 10 hits each, snippets included
//! (query parsing and analysis, search, stored-clause reads, snippets). Prints one JSON line.
//!
//!     cargo bench --bench search_latency -- DATA_DIR QUERIES.txt [--n 5] [--k 10] [-v]
//!         [--all-versions] [--facets]
//!
//! `--all-versions` searches every version and copy of each law (no collapsing): the figure
//! against which the cost of one hit per article of a law's version in force is measured.
//! `--facets` also counts every match by jurisdiction, level and year, as `lawdex serve`'s
//! `/api/search` does for every request.
//!
//! benches/peer.py runs it beside the peer; RESULTS-search.md has the figures.

use std::path::PathBuf;
use std::time::Instant;

use lawdex::search::{Query, Scope, Searcher};

/// Nearest-rank percentile, as the peer computes it.
fn pct(sorted: &[f64], p: f64) -> f64 {
    let n = sorted.len();
    let i = ((p / 100.0 * n as f64 + 0.5).round() as usize).clamp(1, n) - 1;
    sorted[i]
}

fn main() {
    let mut args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| a != "--bench")
        .collect();
    let flag = |args: &mut Vec<String>, name: &str, default: usize| -> usize {
        match args.iter().position(|a| a == name) {
            Some(i) if i + 1 < args.len() => {
                let v = args.remove(i + 1);
                args.remove(i);
                v.parse().unwrap_or(default)
            }
            _ => default,
        }
    };
    let n = flag(&mut args, "--n", 5);
    let k = flag(&mut args, "--k", 10);
    let all_versions = match args.iter().position(|a| a == "--all-versions") {
        Some(i) => {
            args.remove(i);
            true
        }
        None => false,
    };
    let facets = match args.iter().position(|a| a == "--facets") {
        Some(i) => {
            args.remove(i);
            true
        }
        None => false,
    };
    let verbose = match args.iter().position(|a| a == "-v") {
        Some(i) => {
            args.remove(i);
            true
        }
        None => false,
    };
    let [data, queries] = args.as_slice() else {
        eprintln!("usage: search_latency DATA_DIR QUERIES.txt [--n 5] [--k 10] [-v] [--all-versions] [--facets]");
        std::process::exit(2);
    };
    let started = Instant::now();
    let searcher = match Searcher::open(&PathBuf::from(data)) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("{e}");
            std::process::exit(2);
        }
    };
    let startup = started.elapsed().as_secs_f64() * 1000.0;
    let text = std::fs::read_to_string(queries).unwrap_or_default();
    let queries: Vec<&str> = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .collect();
    let run = |q: &str| {
        let mut query = Query::parse(q).expect("bench queries parse");
        query.limit = k;
        query.facets = facets;
        if all_versions {
            query.scope = Scope::All;
        }
        searcher.search(&query).expect("search")
    };
    let mut lat = Vec::new();
    let (mut relaxed, mut zero) = (0, 0);
    for q in &queries {
        run(q);
        let mut mine = Vec::with_capacity(n);
        let mut last = None;
        for _ in 0..n {
            let t = Instant::now();
            let r = run(q);
            mine.push(t.elapsed().as_secs_f64() * 1000.0);
            last = Some(r);
        }
        if let Some(r) = last {
            relaxed += usize::from(r.relaxed);
            zero += usize::from(r.hits.is_empty());
            if verbose {
                let mut m = mine.clone();
                m.sort_by(f64::total_cmp);
                eprintln!(
                    "{:8.3} ms {:>6} total {:>2} hits  {q}",
                    m[n / 2],
                    r.total,
                    r.hits.len()
                );
            }
        }
        lat.extend(mine);
    }
    if lat.is_empty() {
        eprintln!("no queries");
        std::process::exit(2);
    }
    lat.sort_by(f64::total_cmp);
    let mean = lat.iter().sum::<f64>() / lat.len() as f64;
    println!(
        "{{\"queries\": {}, \"runs_per_query\": {n}, \"k\": {k}, \"p50_ms\": {:.3}, \"p95_ms\": {:.3}, \
         \"p99_ms\": {:.3}, \"max_ms\": {:.3}, \"mean_ms\": {mean:.3}, \"startup_ms\": {startup:.1}, \
         \"relaxed_queries\": {relaxed}, \"zero_hit_queries\": {zero}}}",
        queries.len(),
        pct(&lat, 50.0),
        pct(&lat, 95.0),
        pct(&lat, 99.0),
        lat[lat.len() - 1],
    );
}
