//! The library's modules form layers with no cycle: data flows one way (DESIGN.md), and the
//! grammar of legal text sits at the bottom, depending on no other module. The graph is read
//! from the source (`crate::m` paths outside test code), so a new dependency that closes a
//! cycle fails here. `cargo test --test it layering -- --nocapture` prints the layers.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The top-level modules of the library, from `pub mod` / `mod` lines of src/lib.rs.
fn modules(src: &Path) -> Vec<String> {
    let lib = std::fs::read_to_string(src.join("lib.rs")).unwrap();
    lib.lines()
        .filter_map(|l| {
            let l = l.trim();
            let rest = l
                .strip_prefix("pub mod ")
                .or_else(|| l.strip_prefix("mod "))?;
            Some(rest.trim_end_matches(';').trim().to_string())
        })
        .collect()
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

/// Code outside `#[cfg(test)]` items (by the crate's convention test modules come last) and
/// outside comments: a doc link names a module without depending on it.
fn non_test(code: &str) -> String {
    let code = code.find("#[cfg(test)]").map_or(code, |i| &code[..i]);
    code.lines()
        .map(|l| l.split("//").next().unwrap_or(""))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Modules named by `crate::NAME` paths, `use crate::{A, B::…}` groups, and, in a module's
/// own root file, `super::NAME`.
fn referenced(code: &str, root_file: bool, known: &BTreeSet<String>) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let mut names = |prefix: &str| {
        let mut rest = code;
        while let Some(i) = rest.find(prefix) {
            rest = &rest[i + prefix.len()..];
            if let Some(group) = rest.strip_prefix('{') {
                let end = group.find('}').unwrap_or(group.len());
                for item in group[..end].split(',') {
                    let name: String = item
                        .trim()
                        .chars()
                        .take_while(|c| c.is_alphanumeric() || *c == '_')
                        .collect();
                    out.insert(name);
                }
            } else {
                let name: String = rest
                    .chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_')
                    .collect();
                out.insert(name);
            }
        }
    };
    names("crate::");
    if root_file {
        names("super::");
    }
    out.retain(|n| known.contains(n));
    out
}

fn graph() -> BTreeMap<String, BTreeSet<String>> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mods = modules(&src);
    let known: BTreeSet<String> = mods.iter().cloned().collect();
    let mut g = BTreeMap::new();
    for m in &mods {
        let mut files = Vec::new();
        let dir = src.join(m);
        if dir.is_dir() {
            rust_files(&dir, &mut files);
        }
        let single = src.join(format!("{m}.rs"));
        if single.exists() {
            files.push(single);
        }
        assert!(!files.is_empty(), "module {m}: no source found");
        let mut deps = BTreeSet::new();
        for f in files {
            let code = std::fs::read_to_string(&f).unwrap();
            let root_file = f.parent() == Some(src.as_path())
                || f.file_name().is_some_and(|n| n == "mod.rs") && f.parent() == Some(&dir);
            deps.extend(referenced(&non_test(&code), root_file, &known));
        }
        deps.remove(m);
        g.insert(m.clone(), deps);
    }
    g
}

/// Layers bottom-up (each module after all it depends on), or the modules left on a cycle.
fn layers(g: &BTreeMap<String, BTreeSet<String>>) -> Result<Vec<Vec<String>>, Vec<String>> {
    let mut placed: BTreeSet<String> = BTreeSet::new();
    let mut out = Vec::new();
    while placed.len() < g.len() {
        let layer: Vec<String> = g
            .iter()
            .filter(|(m, deps)| !placed.contains(*m) && deps.iter().all(|d| placed.contains(d)))
            .map(|(m, _)| m.clone())
            .collect();
        if layer.is_empty() {
            return Err(g.keys().filter(|m| !placed.contains(*m)).cloned().collect());
        }
        placed.extend(layer.iter().cloned());
        out.push(layer);
    }
    Ok(out)
}

#[test]
fn modules_form_layers_without_a_cycle() {
    let g = graph();
    for (m, deps) in &g {
        eprintln!(
            "{m:<10} → {}",
            deps.iter().cloned().collect::<Vec<_>>().join(", ")
        );
    }
    let layers = layers(&g).unwrap_or_else(|stuck| {
        panic!("a dependency cycle among {stuck:?}: {g:?}");
    });
    for (i, l) in layers.iter().enumerate() {
        eprintln!("layer {i}: {}", l.join(", "));
    }
    assert!(
        g["grammar"].is_empty(),
        "grammar is the bottom layer, yet depends on {:?}",
        g["grammar"]
    );
    // The one-way flow of DESIGN.md: sources → documents → clauses → index → queries/reports.
    for (low, high) in [
        ("parse", "segment"),
        ("segment", "index"),
        ("index", "search"),
        ("index", "coverage"),
        ("grammar", "parse"),
    ] {
        assert!(
            !g[low].contains(high),
            "{low} depends on {high}, against the flow"
        );
    }
}

#[test]
fn a_cycle_is_found_when_there_is_one() {
    let mut g: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    g.insert("a".into(), ["b".to_string()].into());
    g.insert("b".into(), ["a".to_string()].into());
    g.insert("c".into(), BTreeSet::new());
    assert_eq!(layers(&g), Err(vec!["a".to_string(), "b".to_string()]));
    let found = referenced(
        "use crate::{model::X, grammar};\nlet y = crate::index::z();\nsuper::parse::f()",
        true,
        &["model", "grammar", "index", "parse"]
            .iter()
            .map(|s| s.to_string())
            .collect(),
    );
    assert_eq!(
        found.into_iter().collect::<Vec<_>>(),
        ["grammar", "index", "model", "parse"]
    );
}
