//! The fuzz targets cannot rot unseen: their bodies (fuzz/src/lib.rs) are compiled into this
//! test binary and run over the seeds `fuzz/run.sh` starts them from, cut to the lengths
//! libFuzzer is given, and over every committed crashing input of tests/fixtures/hostile/
//! named after its target (`query-…`). A lawdex API change that breaks a target fails
//! here, on stable; nightly and libFuzzer are only needed to fuzz. A body that panics on a
//! seed fails here too, as it would abort the fuzzer.

use std::path::{Path, PathBuf};

#[path = "../../fuzz/src/lib.rs"]
mod bodies;

use crate::common::{fixtures_dir, shared_dir};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Files under `dir` (recursively) whose name ends with one of `ends`.
fn files(dir: &Path, ends: &[&str]) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let Ok(entries) = std::fs::read_dir(dir) else {
        return out;
    };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            out.extend(files(&p, ends));
        } else if ends.iter().any(|x| p.to_string_lossy().ends_with(x)) {
            out.push(p);
        }
    }
    out.sort();
    out
}

/// `fuzz/run.sh`'s `max_len`: the longest input each target is given.
fn max_len(target: &str) -> usize {
    match target {
        "pdf" => 262_144,
        "docx" | "doc" | "html" | "markdown" | "segment" | "xml" => 65_536,
        _ => 8_192,
    }
}

/// The seeds of `target`, as `fuzz/run.sh`'s `seed` picks them (the shared corpus only when
/// `shared` is given).
fn seeds(target: &str, shared: Option<&Path>) -> Vec<Vec<u8>> {
    let fx = fixtures_dir();
    let sample = root().join("corpus-manifest/sample");
    let written = root().join("fuzz/seeds");
    let real = shared.map(|s| s.join("corpus"));
    let from_shared = |ends: &[&str]| real.as_deref().map_or(Vec::new(), |r| files(r, ends));
    let mut paths: Vec<PathBuf> = match target {
        "pdf" => from_shared(&[".pdf"]),
        "docx" => from_shared(&[".docx"]),
        "doc" => [from_shared(&[".doc"]), files(&fx.join("doc"), &[".doc"])].concat(),
        "html" => [
            from_shared(&[".htm", ".html"]),
            files(&fx.join("html"), &[".html"]),
            files(&sample, &[".html"]),
        ]
        .concat(),
        "markdown" | "segment" => [
            from_shared(&[".md", ".txt"]),
            files(&sample, &[".md"]),
            files(&fx.join("search"), &[".md"]),
            files(&fx.join("serve"), &[".txt"]),
        ]
        .concat(),
        "json" => [from_shared(&[".json"]), files(&sample, &[".json"])].concat(),
        "xml" => from_shared(&[".xml"]),
        "manifest" => {
            let mut m: Vec<PathBuf> = std::fs::read_dir(root().join("corpus-manifest"))
                .unwrap()
                .flatten()
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|x| x == "toml"))
                .collect();
            m.extend(
                std::fs::read_dir(&fx)
                    .unwrap()
                    .flatten()
                    .map(|e| e.path().join("manifest.toml"))
                    .filter(|p| p.is_file()),
            );
            m
        }
        "taxonomy" => files(&root().join("corpus-manifest/taxonomies"), &[".toml"]),
        "robots" => files(&written.join("robots"), &[""]),
        _ => Vec::new(),
    };
    // Crashing inputs kept as regression tests, named after their target.
    paths.extend(files(&fx.join("hostile"), &[""]).into_iter().filter(|p| {
        p.file_name()
            .is_some_and(|n| n.to_string_lossy().starts_with(&format!("{target}-")))
    }));
    let mut out: Vec<Vec<u8>> = paths
        .iter()
        .map(|p| std::fs::read(p).unwrap_or_else(|e| panic!("{}: {e}", p.display())))
        .collect();
    let lines = |file: &str| -> Vec<Vec<u8>> {
        std::fs::read_to_string(written.join(file))
            .unwrap()
            .lines()
            .map(|l| l.as_bytes().to_vec())
            .collect()
    };
    match target {
        "query" => {
            for f in ["relevance.toml", "relevance-heldout.toml"] {
                let text = std::fs::read_to_string(fx.join(f)).unwrap();
                out.extend(text.lines().filter_map(|l| {
                    let q = l.strip_prefix("q")?.trim_start().strip_prefix('=')?.trim();
                    Some(q.strip_prefix('"')?.strip_suffix('"')?.as_bytes().to_vec())
                }));
            }
            out.extend(lines("query.txt"));
        }
        "numerals" => out.extend(lines("numerals.txt")),
        _ => {}
    }
    for s in &mut out {
        s.truncate(max_len(target));
    }
    out
}

#[test]
fn every_fuzz_target_body_runs_over_its_seeds_and_kept_crashes() {
    let shared = shared_dir();
    for (target, body) in bodies::TARGETS {
        let inputs = seeds(target, shared.as_deref());
        // Our own seeds alone give every target something to run; the shared corpus adds the
        // real files of the parsers that have none of ours.
        let ours_only = ["pdf", "docx", "xml"].contains(&target);
        assert!(
            !inputs.is_empty() || ours_only && shared.is_none(),
            "{target}: no seeds"
        );
        for input in &inputs {
            body(input);
        }
        // Inputs no seed is: empty, one byte, invalid UTF-8.
        for odd in [&b""[..], b"\x00", b"\xff\xfe(", b"PK\x03\x04", b"%PDF-1.7"] {
            body(odd);
        }
    }
    // The query target still meets the crash it found: 8,000 `(` (a stack overflow once).
    let hostile = seeds("query", None);
    assert!(
        hostile
            .iter()
            .any(|s| s.len() == 8_000 && s.iter().all(|&b| b == b'(')),
        "the kept query crash is a seed"
    );
}

/// Every body has its libFuzzer binary, calling it, in fuzz/Cargo.toml and in run.sh's list;
/// every binary has a body.
#[test]
fn every_fuzz_target_is_wired_to_its_body() {
    let fuzz = root().join("fuzz");
    let cargo = std::fs::read_to_string(fuzz.join("Cargo.toml")).unwrap();
    let run = std::fs::read_to_string(fuzz.join("run.sh")).unwrap();
    let all = run
        .lines()
        .find_map(|l| l.strip_prefix("all=("))
        .expect("run.sh lists all targets")
        .trim_end_matches(')');
    let listed: Vec<&str> = all.split_whitespace().collect();
    let names: Vec<&str> = bodies::TARGETS.iter().map(|(n, _)| *n).collect();
    assert_eq!(listed, names, "run.sh's all=(…) and TARGETS differ");
    let binaries = files(&fuzz.join("fuzz_targets"), &[".rs"]);
    assert_eq!(binaries.len(), names.len(), "{binaries:?}");
    for name in names {
        let src = std::fs::read_to_string(fuzz.join(format!("fuzz_targets/{name}.rs")))
            .unwrap_or_else(|e| panic!("fuzz_targets/{name}.rs: {e}"));
        assert!(
            src.contains(&format!("lawdex_fuzz::{name}(data)")),
            "fuzz_targets/{name}.rs does not call lawdex_fuzz::{name}"
        );
        assert!(
            cargo.contains(&format!(
                "name = \"{name}\"\npath = \"fuzz_targets/{name}.rs\""
            )),
            "fuzz/Cargo.toml has no [[bin]] {name}"
        );
    }
}
