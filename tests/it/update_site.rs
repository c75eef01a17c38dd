//! `lawdex update` run night after night against the mock official site of tests/it/crawl.rs:
//! 1. a second run sends only conditional requests (the server saw If-None-Match or
//!    If-Modified-Since on every request but robots.txt) and changes nothing;
//! 2. a page edited in place under its old Last-Modified (new ETag) re-indexes that document
//!    alone, and the change report names the changed article;
//! 3. a document dropped from the listing is removed from search;
//! 4. a page that turns into a 200 placeholder (页面不存在) keeps its last good text and is
//!    reported as suspect (exit 1);
//! 5. a listing page that turns into a maintenance page served with 200 removes nothing
//!    (exit 1, the page named among the failures);
//! 5. SIGKILL of `lawdex update` at points spread over a run: after each kill the index opens
//!    and answers with the last commit, and the next update completes.

use std::process::{Command, Stdio};
use std::time::Instant;

use crate::crawl::{gbk, json, lawdex, page, stderr, Site, NOTICE, PDF, SC, SH};

fn count(report: &serde_json::Value, key: &str) -> u64 {
    report[key]
        .as_u64()
        .unwrap_or_else(|| panic!("{key} in {report}"))
}

/// Doc ids of the hits of `query`.
fn hits(s: &Site, query: &str) -> Vec<String> {
    let out = lawdex(
        &s.data,
        &["search", query, "--format", "json", "--limit", "50"],
    );
    let v = json(&out);
    let mut ids: Vec<String> = v["hits"]
        .as_array()
        .unwrap_or_else(|| panic!("hits in {v}"))
        .iter()
        .map(|h| h["doc_id"].as_str().unwrap_or_default().to_string())
        .collect();
    ids.sort();
    ids.dedup();
    ids
}

#[test]
fn nightly_updates_fetch_conditionally_and_change_exactly_what_changed() {
    let Some(s) = Site::build(false, "0s") else {
        return;
    };
    let out = s.update(&[]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let r = json(&out);
    assert_eq!(count(&r, "new"), 3, "{r}");
    let first = s.clauses();
    assert_eq!(first.len(), 3);
    assert!(hits(&s, "四川省").contains(&s.id(SC)));

    // 1. Nothing changed on the site.
    s.site.clear_log();
    let out = s.update(&[]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let r = json(&out);
    for key in ["new", "changed", "removed", "fetched"] {
        assert_eq!(count(&r, key), 0, "{key}: {r}");
    }
    assert_eq!(count(&r, "unchanged"), 3, "{r}");
    let requests = s.site.requests();
    for path in [SC, SH, NOTICE, PDF] {
        assert!(requests.iter().any(|q| q.path == path), "{path} not asked");
    }
    for q in requests.iter().filter(|q| q.path != "/robots.txt") {
        assert!(
            q.conditional(),
            "{} without a validator: {:?}",
            q.path,
            q.headers
        );
    }
    assert_eq!(s.clauses(), first);

    // 2. Article 5 of the Shanghai regulations is edited in place; the server keeps the
    // Last-Modified and only the ETag tells.
    let before = "第五条 市、区文化旅游部门负责本行政区域内公共图书馆管理工作。";
    assert!(s.shanghai_html.contains(before));
    let edited = s.shanghai_html.replace(
        before,
        "第五条 市、区文化旅游部门主管本行政区域内公共图书馆管理工作。",
    );
    s.site.route(SH, page("text/html", gbk(&edited), "sh2"));
    let out = s.update(&[]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let r = json(&out);
    assert_eq!(
        (count(&r, "new"), count(&r, "changed"), count(&r, "removed")),
        (0, 1, 0),
        "{r}"
    );
    assert_eq!(count(&r, "unchanged"), 2);
    let change = &r["changes"][0];
    assert_eq!(change["id"], s.id(SH).as_str());
    let changed = change["articles"]["changed"].to_string();
    assert!(changed.contains("第五条"), "{change}");
    assert_eq!(change["articles"]["changed"].as_array().unwrap().len(), 1);
    assert!(hits(&s, "文化旅游部门主管").contains(&s.id(SH)));

    // 3. The Sichuan regulations leave the listing.
    let drop = |page_html: &str| {
        page_html
            .replace(
                "<li><a href=\"detail/sc-library.html\">四川省公共图书馆条例</a></li>",
                "",
            )
            .replace(
                "<li><a href=\"/flfg/detail/sc-library.html\">四川省公共图书馆条例</a></li>",
                "",
            )
    };
    let (i1, i2) = (drop(&s.index1), drop(&s.index2));
    assert!(!i1.contains("sc-library") && !i2.contains("sc-library"));
    s.site.route(
        "/flfg/index.html",
        page("text/html; charset=utf-8", i1.into(), "i1b"),
    );
    s.site.route(
        "/flfg/index_2.html",
        page("text/html; charset=utf-8", i2.into(), "i2b"),
    );
    let out = s.update(&[]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let r = json(&out);
    assert_eq!(count(&r, "removed"), 1, "{r}");
    assert_eq!(r["changes"][0]["id"], s.id(SC).as_str());
    assert!(!s.clauses().contains_key(&s.id(SC)));
    assert!(!hits(&s, "四川省").contains(&s.id(SC)));

    // 4. The Shanghai page becomes a placeholder served with 200.
    let placeholder =
        "<html><body><h1>页面不存在</h1><p>您访问的页面不存在或已被删除。</p></body></html>";
    s.site
        .route(SH, page("text/html", gbk(placeholder), "sh-missing"));
    let out = s.update(&[]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let r = json(&out);
    let suspect = r["suspect"].as_array().expect("suspect");
    assert_eq!(suspect.len(), 1, "{r}");
    assert_eq!(suspect[0]["id"], s.id(SH).as_str());
    assert_eq!(count(&r, "changed"), 0);
    assert_eq!(s.clauses().get(&s.id(SH)), first.get(&s.id(SH)));
    assert!(hits(&s, "文化旅游部门主管").contains(&s.id(SH)));

    // 5. The listing's second page turns into a maintenance page served with 200: read as
    // the whole listing, it would remove the law only that page lists.
    let before = s.clauses();
    let maintenance = "<html><head><meta charset=\"utf-8\"></head><body><div class=\"nav\">\
         <a href=\"/\">首页</a></div><p>系统维护中，请稍后访问。</p></body></html>";
    s.site.route(
        "/flfg/index_2.html",
        page("text/html; charset=utf-8", maintenance.into(), "i2-down"),
    );
    let out = s.update(&[]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let r = json(&out);
    assert_eq!(count(&r, "removed"), 0, "{r}");
    let failed = r["failed"].to_string();
    assert!(
        failed.contains("index_2.html") && failed.contains("lists no document"),
        "{failed}"
    );
    assert_eq!(s.clauses(), before);
    assert!(s.clauses().contains_key(&s.id(NOTICE)));
}

#[test]
fn update_killed_anywhere_leaves_the_last_commit_and_the_next_run_completes() {
    let Some(s) = Site::build(false, "0s") else {
        return;
    };
    let out = s.update(&[]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let committed = s.clauses();
    // Each killed run has real work: a changed page to re-index.
    let edited = s
        .shanghai_html
        .replace("第五条 市、区", "第五条 本市市、区");
    s.site.route(SH, page("text/html", gbk(&edited), "sh-k"));
    // A run from scratch into a second data dir measures how long a whole run is, so the
    // kill points spread over a run (the crawl, the parse, the commit).
    let scratch = s.tmp.path().join("scratch");
    let started = Instant::now();
    let out = lawdex(&scratch, &["update", s.manifest.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let whole = started.elapsed();
    for fraction in [0.1, 0.4, 0.7, 0.9, 0.97] {
        let mut child = Command::new(env!("CARGO_BIN_EXE_lawdex"))
            .args(["update", "--data-dir"])
            .arg(&s.data)
            .arg(&s.manifest)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("spawn lawdex update");
        std::thread::sleep(whole.mul_f64(fraction));
        let _ = child.kill();
        let _ = child.wait();
        // Readers see a whole commit: the last one, or the killed run's own if it got there.
        let verify = lawdex(&s.data, &["verify"]);
        assert_eq!(verify.status.code(), Some(0), "{}", stderr(&verify));
        let now = s.clauses();
        assert_eq!(
            now.keys().collect::<Vec<_>>(),
            committed.keys().collect::<Vec<_>>(),
            "after a kill at {fraction} of a run"
        );
        assert_eq!(now, committed);
        let found = hits(&s, "公共图书馆");
        assert_eq!(found.len(), 3, "{found:?}");
    }
    let out = s.update(&[]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(hits(&s, "本市市、区").contains(&s.id(SH)));
}
