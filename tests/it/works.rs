//! One law, many versions and copies (issue 12), on the real Public Library Law texts.
//! Properties checked, in order:
//! 1. the 2017 original and the 2018 amendment are one work with two versions; the 2018
//!    markdown, HTML and both PDFs (which carry no metadata at all) are copies of one version,
//!    in force, and the 2017 text is superseded; the grouping says how it was inferred;
//! 2. manifest keys `work` and `version` override the inference;
//! 3. `lawdex show WORK` lists the versions and copies (exit 0); an unknown id exits 1;
//! 4. `lawdex diff` of 2017 and 2018 names exactly 第五十一条, with 行政 removed, as a table,
//!    JSON and an HTML page; files that are not indexed compare too;
//! 5. `lawdex search 读者 个人信息` shows 第四十三条 once, from the 2018 markdown, with its three
//!    copies and the 2017 version (same text) listed; `--as-of 2018-01-01` answers from the
//!    2017 text; `--all-versions` shows all five documents;
//! 6. indexing the 2018 amendment after the 2017 text reports it as a new version that
//!    supersedes 2017, and a PDF after it as a copy, without rewriting the 2017 record;
//! 7. `lawdex gaps` has one row per law (its version in force; `--as-of`, `--all-versions`),
//!    and a draft's model clauses come from the 2018 markdown only, never one article twice;
//! 8. `lawdex show WORK` says what each amendment did: articles changed and coverage moved.

use std::path::{Path, PathBuf};

use lawdex::index::ClauseIndex;
use lawdex::ingest::{ingest, IngestOptions, Quiet};
use lawdex::work::{VersionStatus, Works};

use crate::common::lawdex_run as lawdex;
use crate::common::shared_dir;

const PLL_2017: &str = "corpus/real/cn/national/public-library-law-2017.md";
const PLL_2018_MD: &str = "corpus/real/cn/national/public-library-law-2018.md";
const PLL_2018_HTML: &str = "corpus/real/cn/national/public-library-law-2018.html";
const PLL_2018_PDF_A: &str = "corpus/pdf/public-library-law-2018.chromium.pdf";
const PLL_2018_PDF_B: &str = "corpus/pdf/public-library-law-2018.libreoffice.pdf";
const MUSEUM: &str = "corpus/real/cn/national/museum-regulations-2015.md";

/// A manifest over the real files: the markdown and HTML with the metadata SOURCES.tsv gives
/// them, the PDFs with none; `extra` is added to every entry of the 2017 and 2018 markdown.
fn manifest(shared: &Path, dir: &Path, extra: &[(&str, &str)]) -> PathBuf {
    let mut text = String::new();
    let entries = [
        (
            "pll-2017",
            PLL_2017,
            "中华人民共和国公共图书馆法（2017原始文本）",
            "CN",
        ),
        (
            "pll-2018",
            PLL_2018_MD,
            "中华人民共和国公共图书馆法（2018修正）",
            "CN",
        ),
        (
            "pll-2018-html",
            PLL_2018_HTML,
            "中华人民共和国公共图书馆法（2018修正）",
            "CN",
        ),
        ("pll-2018-chromium", PLL_2018_PDF_A, "", ""),
        ("pll-2018-libreoffice", PLL_2018_PDF_B, "", ""),
        ("museum", MUSEUM, "博物馆条例", "CN"),
    ];
    for (id, path, title, jur) in entries {
        text.push_str(&format!(
            "[[source]]\nid = \"{id}\"\npath = \"{}\"\n",
            shared.join(path).display()
        ));
        if !title.is_empty() {
            text.push_str(&format!("title = \"{title}\"\njurisdiction = \"{jur}\"\n"));
        }
        if id == "pll-2017" {
            text.push_str("year = 2017\n");
        }
        for (k, v) in extra
            .iter()
            .filter(|_| id == "pll-2017" || id == "pll-2018")
        {
            text.push_str(&format!("{k} = \"{}\"\n", v.replace("{id}", id)));
        }
        text.push('\n');
    }
    let file = dir.join("pll.toml");
    std::fs::write(&file, text).unwrap();
    file
}

fn indexed(extra: &[(&str, &str)]) -> Option<(tempfile::TempDir, PathBuf)> {
    let shared = shared_dir()?;
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    let m = manifest(&shared, tmp.path(), extra);
    let report = ingest(&[m], &data, &IngestOptions::default(), &Quiet).unwrap();
    assert!(report.failed.is_empty(), "{:?}", report.failed);
    assert_eq!(report.indexed.len(), 6);
    Some((tmp, data))
}

fn works(data: &Path) -> Works {
    let index = ClauseIndex::open(data).unwrap();
    let infos = index.snapshot().unwrap().infos().unwrap();
    Works::group(infos.values())
}

// 1 ------------------------------------------------------------------------------------------

#[test]
fn the_public_library_law_is_one_work_with_two_versions_and_four_copies_of_2018() {
    let Some((_tmp, data)) = indexed(&[]) else {
        return;
    };
    let works = works(&data);
    let (work, v2018) = works.of("pll-2018").unwrap();
    assert_eq!(work.id, "cn:中华人民共和国公共图书馆法");
    assert_eq!(work.versions.len(), 2, "{:#?}", work.versions);
    let copies: Vec<&str> = v2018.copies.iter().map(|c| c.doc_id.as_str()).collect();
    assert_eq!(
        copies,
        [
            "pll-2018",
            "pll-2018-html",
            "pll-2018-chromium",
            "pll-2018-libreoffice"
        ]
    );
    assert_eq!(v2018.status, VersionStatus::InForce);
    // From the promulgation notes of the 2018 text.
    assert_eq!(v2018.label, "2018-10-26");
    assert_eq!(v2018.adopted.as_deref(), Some("2017-11-04"));
    assert_eq!(v2018.amended, ["2018-10-26"]);
    let (_, v2017) = works.of("pll-2017").unwrap();
    assert_eq!(v2017.status, VersionStatus::Superseded);
    assert_eq!(v2017.copies.len(), 1);
    assert_eq!(work.current().unwrap().primary().doc_id, "pll-2018");
    // The PDFs have no jurisdiction or title from a manifest: the basis says how they joined.
    assert!(
        work.basis
            .iter()
            .any(|b| b.starts_with("pll-2018-chromium") && b.contains("jurisdiction unknown")),
        "{:?}",
        work.basis
    );
    assert!(v2018.copies[1].basis.contains("55 article texts"));
    let (museum, _) = works.of("museum").unwrap();
    assert_eq!(museum.versions.len(), 1);
    assert_eq!(museum.versions[0].copies.len(), 1);
    // The commit keeps the grouping, so that a search need not read every record: the works
    // of several documents and the four documents a search of the laws in force leaves out.
    let summary = ClauseIndex::open(&data)
        .unwrap()
        .works_summary()
        .expect("kept");
    let (kept, left_out) = Works::from_summary(&summary).unwrap();
    assert_eq!(kept.works.len(), 1);
    assert_eq!(kept.works[0].id, work.id);
    let mut left_out: Vec<String> = left_out.into_iter().collect();
    left_out.sort();
    assert_eq!(
        left_out,
        [
            "pll-2017",
            "pll-2018-chromium",
            "pll-2018-html",
            "pll-2018-libreoffice"
        ]
    );
}

// 2 ------------------------------------------------------------------------------------------

#[test]
fn manifest_work_and_version_keys_override_the_inference() {
    // Both markdown texts said to be version "v1" of work "pll": copies, though they differ.
    let Some((_tmp, data)) = indexed(&[("work", "pll"), ("version", "v1")]) else {
        return;
    };
    let works = works(&data);
    let work = works.get("pll").expect("the work the manifest names");
    assert_eq!(work.versions.len(), 1);
    let ids: Vec<&str> = work.versions[0]
        .copies
        .iter()
        .map(|c| c.doc_id.as_str())
        .collect();
    assert_eq!(ids, ["pll-2017", "pll-2018"]);
    assert!(work.basis[0].contains("given by the manifest"));
    // The HTML and PDFs are left to the inference: their own work.
    let (other, _) = works.of("pll-2018-html").unwrap();
    assert_eq!(other.id, "cn:中华人民共和国公共图书馆法");
    assert_eq!(other.versions.len(), 1);
    assert_eq!(other.versions[0].copies.len(), 3);
}

// 3 ------------------------------------------------------------------------------------------

#[test]
fn show_lists_versions_and_copies_of_a_work() {
    let Some((_tmp, data)) = indexed(&[]) else {
        return;
    };
    let (code, out, err) = lawdex(&["show", "cn:中华人民共和国公共图书馆法"], &data);
    assert_eq!(code, 0, "{err}");
    let v2018 = out.find("version 2018-10-26  in-force").expect(&out);
    let v2017 = out.find("version 2017  superseded").expect(&out);
    assert!(v2018 < v2017, "newest first:\n{out}");
    for id in ["pll-2018-html", "pll-2018-chromium", "pll-2018-libreoffice"] {
        assert!(out.contains(id), "{id} missing:\n{out}");
    }
    assert!(
        out.contains("to correct it, give `work` and `version`"),
        "{out}"
    );
    let (code, out, _) = lawdex(&["show", "pll-2017"], &data);
    assert_eq!(code, 0);
    assert!(
        out.contains("work: cn:中华人民共和国公共图书馆法  (version 2017, superseded"),
        "{out}"
    );
    let (code, json, _) = lawdex(
        &["show", "cn:中华人民共和国公共图书馆法", "--format", "json"],
        &data,
    );
    assert_eq!(code, 0);
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(v["versions"][1]["status"], "in-force");
    assert_eq!(v["versions"][1]["copies"].as_array().unwrap().len(), 4);
    let (code, _, err) = lawdex(&["show", "cn:no-such-law"], &data);
    assert_eq!(code, 1);
    assert!(
        err.contains("no clause or document") && err.contains("nor a work"),
        "{err}"
    );
}

// 4 ------------------------------------------------------------------------------------------

#[test]
fn diff_of_2017_and_2018_names_exactly_article_51() {
    let Some((tmp, data)) = indexed(&[]) else {
        return;
    };
    let (code, json, err) = lawdex(&["diff", "pll-2017", "pll-2018", "--format", "json"], &data);
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    let not_same: Vec<(&str, &str)> = v["articles"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|a| a["kind"] != "same")
        .map(|a| {
            (
                a["kind"].as_str().unwrap(),
                a["new_label"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(not_same, [("changed", "第五十一条")]);
    assert_eq!(v["counts"]["same"], 54);
    let art51 = v["articles"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["kind"] == "changed")
        .unwrap();
    let pieces: Vec<(&str, &str)> = art51["pieces"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["kind"] != "same")
        .map(|p| (p["kind"].as_str().unwrap(), p["text"].as_str().unwrap()))
        .collect();
    assert_eq!(pieces, [("removed", "行政")]);
    assert!(art51["old_text"]
        .as_str()
        .unwrap()
        .contains("出版行政主管部门"));
    assert!(art51["new_text"].as_str().unwrap().contains("出版主管部门"));

    // The table, and the HTML page with the change marked.
    let (code, table, _) = lawdex(&["diff", "pll-2017", "pll-2018"], &data);
    assert_eq!(code, 0);
    assert!(
        table.contains("1 changed, 0 added, 0 removed, 0 renumbered, 54 the same"),
        "{table}"
    );
    assert!(table.contains("由出版[-行政-]主管部门"), "{table}");
    let page = tmp.path().join("diff.html");
    let (code, _, _) = lawdex(
        &[
            "diff",
            "pll-2017",
            "pll-2018",
            "--format",
            "html",
            "-o",
            page.to_str().unwrap(),
        ],
        &data,
    );
    assert_eq!(code, 0);
    let html = std::fs::read_to_string(&page).unwrap();
    assert!(html.contains("由出版<del>行政</del>主管部门"), "{html}");
    assert_eq!(html.matches("<tr class=\"changed\"").count(), 1);

    // Files that are not indexed: the 2017 markdown against a 2018 PDF.
    let shared = shared_dir().unwrap();
    let (code, table, err) = lawdex(
        &[
            "diff",
            shared.join(PLL_2017).to_str().unwrap(),
            shared.join(PLL_2018_PDF_B).to_str().unwrap(),
        ],
        &tmp.path().join("no-index"),
    );
    assert_eq!(code, 0, "{err}");
    assert!(
        table.contains("1 changed, 0 added, 0 removed, 0 renumbered, 54 the same"),
        "{table}"
    );
}

#[test]
fn diff_escapes_text_and_exits_2_on_unknown_ids() {
    let tmp = tempfile::tempdir().unwrap();
    let a = tmp.path().join("a.txt");
    let b = tmp.path().join("b.txt");
    std::fs::write(
        &a,
        "某市图书馆办法\n\n第一条 图书馆<b>开放</b>。\n\n第二条 读者须知。\n",
    )
    .unwrap();
    std::fs::write(
        &b,
        "某市图书馆办法\n\n第一条 图书馆<script>alert(1)</script>开放。\n\n第二条 读者须知。\n\n第三条 新增的条文。\n",
    )
    .unwrap();
    let data = tmp.path().join("data");
    let (code, html, err) = lawdex(
        &[
            "diff",
            a.to_str().unwrap(),
            b.to_str().unwrap(),
            "--format",
            "html",
        ],
        &data,
    );
    assert_eq!(code, 0, "{err}");
    assert!(!html.contains("<script") && !html.contains("<b>"), "{html}");
    assert!(html.contains("&lt;<ins>script</ins>&gt;"), "{html}");
    assert_eq!(html.matches("<tr class=\"added\"").count(), 1);
    let (code, _, err) = lawdex(&["diff", "no-such-doc", b.to_str().unwrap()], &data);
    assert_eq!(code, 2);
    assert!(
        err.contains("no-such-doc: no indexed document") && err.lines().count() == 1,
        "{err}"
    );
}

// 5 ------------------------------------------------------------------------------------------

/// The hits of a JSON search that cite 第四十三条 of the Public Library Law.
fn art43(data: &Path, extra: &[&str]) -> Vec<serde_json::Value> {
    let mut args = vec![
        "search",
        "读者",
        "个人信息",
        "--format",
        "json",
        "--limit",
        "20",
    ];
    args.extend(extra);
    let (code, json, err) = lawdex(&args, data);
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    v["hits"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|h| {
            h["work"] == "cn:中华人民共和国公共图书馆法" && h["clause_label"] == "第四十三条"
        })
        .cloned()
        .collect()
}

#[test]
fn search_shows_an_article_once_with_its_versions_and_copies() {
    let Some((_tmp, data)) = indexed(&[]) else {
        return;
    };
    let hits = art43(&data, &[]);
    assert_eq!(hits.len(), 1, "{hits:#?}");
    let h = &hits[0];
    assert_eq!(h["doc_id"], "pll-2018");
    assert!(h["source"]
        .as_str()
        .unwrap()
        .ends_with("public-library-law-2018.md"));
    assert_eq!(h["version"], "2018-10-26");
    assert_eq!(h["version_status"], "in-force");
    let copies: Vec<&str> = h["copies"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["clause_id"].as_str().unwrap())
        .collect();
    assert_eq!(
        copies,
        [
            "pll-2018-html/art43",
            "pll-2018-chromium/art43",
            "pll-2018-libreoffice/art43"
        ]
    );
    let versions = h["versions"].as_array().unwrap();
    assert_eq!(versions.len(), 1);
    assert_eq!(versions[0]["doc_id"], "pll-2017");
    assert_eq!(versions[0]["status"], "superseded");
    assert_eq!(versions[0]["text"], "same");

    // The CSV carries the same: work, version, the copies' sources, the other version.
    let (code, csv, err) = lawdex(
        &[
            "search",
            "读者",
            "个人信息",
            "--format",
            "csv",
            "--limit",
            "20",
        ],
        &data,
    );
    assert_eq!(code, 0, "{err}");
    let mut rows = csv::Reader::from_reader(csv.as_bytes());
    let head = rows.headers().unwrap().clone();
    let col = |name: &str| head.iter().position(|h| h == name).unwrap();
    let row = rows
        .records()
        .map(|r| r.unwrap())
        .find(|r| &r[col("doc_id")] == "pll-2018" && r[col("clause_id")].ends_with("/art43"))
        .expect("article 43 in the CSV");
    assert_eq!(&row[col("work")], "cn:中华人民共和国公共图书馆法");
    assert_eq!(&row[col("version")], "2018-10-26");
    assert_eq!(&row[col("version_status")], "in-force");
    assert_eq!(row[col("copies")].split("; ").count(), 3, "{row:?}");
    assert!(
        row[col("copies")].contains("public-library-law-2018.html"),
        "{row:?}"
    );
    assert!(
        row[col("versions")].ends_with("(superseded): same"),
        "{row:?}"
    );

    // As the law stood on 2018-01-01: the 2017 text, the 2018 version listed as same text.
    let hits = art43(&data, &["--as-of", "2018-01-01"]);
    assert_eq!(hits.len(), 1, "{hits:#?}");
    assert_eq!(hits[0]["doc_id"], "pll-2017");
    assert_eq!(hits[0]["version_status"], "superseded");
    assert_eq!(hits[0]["versions"][0]["doc_id"], "pll-2018");
    // On that day the 2017 text was the one in force, whatever it is today.
    let hits = art43(&data, &["--as-of", "2018-01-01", "--status", "in-force"]);
    assert_eq!(hits.len(), 1, "{hits:#?}");
    assert_eq!(hits[0]["doc_id"], "pll-2017");
    let (code, out, _) = lawdex(
        &[
            "search",
            "读者",
            "个人信息",
            "--as-of",
            "2018-01-01",
            "--status",
            "superseded",
        ],
        &data,
    );
    assert_eq!(code, 1, "nothing was superseded on that day: {out}");
    // Today: `status` is the one `--status` filters on, the version's when no manifest says.
    let hits = art43(&data, &["--status", "in-force"]);
    assert!(!hits.is_empty());
    assert!(hits.iter().all(|h| h["status"] == "in-force"), "{hits:#?}");

    // Every version and copy.
    let hits = art43(&data, &["--all-versions"]);
    assert_eq!(hits.len(), 5, "{hits:#?}");

    // 第五十一条 of 2018 lists the 2017 article as changed.
    let (code, json, _) = lawdex(&["search", "出版主管部门", "--format", "json"], &data);
    assert_eq!(code, 0);
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    let h = v["hits"]
        .as_array()
        .unwrap()
        .iter()
        .find(|h| h["clause_id"] == "pll-2018/art51")
        .expect("第五十一条 of 2018");
    assert_eq!(h["versions"][0]["text"], "changed");
}

// 6 ------------------------------------------------------------------------------------------

#[test]
fn an_amendment_indexed_later_is_reported_as_a_new_version_superseding_the_old() {
    let Some(shared) = shared_dir() else {
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    let run = |file: &str| {
        ingest(
            &[shared.join(file)],
            &data,
            &IngestOptions::default(),
            &Quiet,
        )
        .unwrap()
    };
    let first = run(PLL_2017);
    assert_eq!(first.changes[0].work.as_ref().unwrap().role, "new-work");
    let second = run(PLL_2018_MD);
    let place = second.changes[0].work.as_ref().unwrap();
    assert_eq!(
        (
            place.role.as_str(),
            place.version.as_str(),
            place.status.as_str()
        ),
        ("new-version", "2018-10-26", "in-force")
    );
    assert_eq!(place.supersedes, ["2017"]);
    // (The HTML file would take the markdown's id, made from the file name: a PDF then.)
    let third = run(PLL_2018_PDF_A);
    let place = third.changes[0].work.as_ref().unwrap();
    assert_eq!(
        (place.role.as_str(), place.version.as_str()),
        ("copy", "2018-10-26")
    );
    // The 2017 record was not rewritten by either run, yet it now reads as superseded.
    assert_eq!(third.changes.len(), 1);
    let (_, v2017) = works(&data)
        .of("public-library-law-2017")
        .map(|(w, v)| (w.id.clone(), v.status))
        .unwrap();
    assert_eq!(v2017, VersionStatus::Superseded);
}

// 7 ------------------------------------------------------------------------------------------

fn gaps_rows(data: &Path, extra: &[&str]) -> Vec<(String, String)> {
    let mut args = vec!["gaps", "--format", "json"];
    args.extend(extra);
    let (code, json, err) = lawdex(&args, data);
    assert!(code == 0 || code == 1, "{err}");
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    v["documents"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["doc_id"].as_str().unwrap().to_string(),
                d["version_status"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect()
}

#[test]
fn coverage_has_one_row_per_law_and_never_offers_one_article_twice() {
    let Some((tmp, data)) = indexed(&[]) else {
        return;
    };
    let rows = gaps_rows(&data, &[]);
    assert_eq!(
        rows,
        [
            ("museum".to_string(), "in-force".to_string()),
            ("pll-2018".to_string(), "in-force".to_string())
        ]
    );
    let rows = gaps_rows(&data, &["--as-of", "2018-01-01"]);
    assert!(
        rows.contains(&("pll-2017".to_string(), "superseded".to_string())),
        "{rows:?}"
    );
    assert_eq!(rows.len(), 2);
    assert_eq!(gaps_rows(&data, &["--all-versions"]).len(), 6);

    // A draft's model clauses come from the law in force, one copy, never an article twice.
    let draft = tmp.path().join("draft.md");
    std::fs::write(
        &draft,
        "# 某市图书馆条例（草案）\n\n第一条 为了促进图书馆事业发展，制定本条例。\n\n第二条 本条例适用于本市公共图书馆。\n",
    )
    .unwrap();
    let (code, json, err) = lawdex(
        &[
            "gaps",
            "--draft",
            draft.to_str().unwrap(),
            "--suggestions",
            "5",
            "--format",
            "json",
        ],
        &data,
    );
    assert_eq!(code, 1, "{err}");
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    let mut offered = 0;
    for cell in v["documents"][0]["obligations"].as_array().unwrap() {
        let Some(list) = cell["suggestions"].as_array() else {
            continue;
        };
        let mut articles = std::collections::BTreeSet::new();
        for s in list {
            offered += 1;
            assert_eq!(s["doc_id"], "pll-2018", "{s}");
            let article = s["clause_id"]
                .as_str()
                .unwrap()
                .split("/para")
                .next()
                .unwrap();
            assert!(
                articles.insert(article.to_string()),
                "{article} twice in {}",
                cell["id"]
            );
        }
    }
    assert!(offered >= 10, "only {offered} model clauses");
}

// 8 ------------------------------------------------------------------------------------------

#[test]
fn show_work_says_what_each_amendment_did_to_articles_and_coverage() {
    let Some(shared) = shared_dir() else {
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    let real = shared.join("corpus/real/cn/beijing/beijing-library-regulations-2002.md");
    let text = std::fs::read_to_string(&real).unwrap();
    // An earlier text without the free services of 第二十九条.
    let old = text
        .replace("（一）免费进行书目检索；", "（一）进行书目检索；")
        .replace("（二）免费借阅图书、报刊；", "（二）借阅图书、报刊；");
    assert_ne!(old, text);
    std::fs::write(tmp.path().join("old.md"), old).unwrap();
    std::fs::write(tmp.path().join("new.md"), text).unwrap();
    std::fs::write(
        tmp.path().join("m.toml"),
        "[[source]]\nid = \"bj-old\"\npath = \"old.md\"\nwork = \"cn-bj.library\"\nversion = \"2001\"\n\
         adopted = 2001-01-01\n\n[[source]]\nid = \"bj-new\"\npath = \"new.md\"\nwork = \"cn-bj.library\"\n\
         version = \"2002\"\nadopted = 2002-07-18\n",
    )
    .unwrap();
    let data = tmp.path().join("data");
    ingest(
        &[tmp.path().join("m.toml")],
        &data,
        &IngestOptions::default(),
        &Quiet,
    )
    .unwrap();
    let (code, json, err) = lawdex(&["show", "cn-bj.library", "--format", "json"], &data);
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    let a = &v["amendments"][0];
    assert_eq!(
        (a["from"].as_str(), a["to"].as_str()),
        (Some("2001"), Some("2002"))
    );
    assert_eq!(a["changed"], serde_json::json!(["第二十九条"]));
    assert_eq!(
        a["coverage"],
        serde_json::json!([["free-basic-services", "gap", "covered"]])
    );
    let (_, table, _) = lawdex(&["show", "cn-bj.library"], &data);
    assert!(
        table.contains("from 2001: 1 changed (第二十九条)"),
        "{table}"
    );
    assert!(
        table.contains("coverage: free-basic-services: gap → covered"),
        "{table}"
    );
}
