//! Keeping an index current (`lawdex index` run again, `lawdex update`, `lawdex remove`).
//!
//! Properties checked, each on real laws copied into a temp dir and edited there:
//! 1. a run over unchanged inputs parses nothing and writes nothing;
//! 2. one edited article re-indexes that document alone and the report names that article;
//! 3. a file deleted from an indexed directory is removed from search and reported;
//! 4. a 404 page over the 38-article Shanghai regulations is held back as suspect (exit 1, the
//!    law stays searchable); `--accept-shrink` accepts it;
//! 5. `lawdex remove ID` deletes a document, and names ids it does not know (exit 1);
//! 6. `--dry-run` leaves every byte of the data dir as it was, and says what would change;
//! 7. an edit that adds a free-service clause reports `free-basic-services: gap → covered`;
//! 8. a failed fetch keeps the last good text; a listing the crawl could not read completely
//!    removes nothing, one read completely removes what it no longer names.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use lawdex::crawl::{
    CrawlOutcome, CrawlReport, CrawledDoc, Manifest, Origin, StoredBody, UrlError,
};
use lawdex::index::read_documents;
use lawdex::ingest::{self, ChangeState, IngestOptions, IngestReport, Quiet};
use lawdex::model::SourceMeta;
use lawdex::search::{Query, Searcher};

use crate::common::real_dir;

const LIBRARY_LAW: &str = "cn/national/public-library-law-2018.md";
const MUSEUM: &str = "cn/national/museum-regulations-2015.md";
/// 38 articles.
const SHANGHAI: &str = "cn/shanghai/shanghai-public-library-regulations-2024.md";
const BEIJING: &str = "cn/beijing/beijing-library-regulations-2002.md";

/// A temp dir with `corpus/` holding copies of the given real laws, and `data/` for the
/// index. `None` (with a note from `real_dir`) when the shared data is absent.
fn corpus(laws: &[&str]) -> Option<(tempfile::TempDir, PathBuf, PathBuf)> {
    let real = real_dir()?;
    let tmp = tempfile::tempdir().expect("tempdir");
    let corpus = tmp.path().join("corpus");
    std::fs::create_dir(&corpus).expect("mkdir");
    for law in laws {
        let from = real.join(law);
        let to = corpus.join(from.file_name().expect("name"));
        std::fs::copy(&from, &to).expect("copy a real law");
    }
    let data = tmp.path().join("data");
    Some((tmp, corpus, data))
}

fn lawdex(args: &[&str], data: &Path) -> Output {
    crate::common::lawdex_in(data, args)
}

fn index_json(data: &Path, inputs: &[&Path], flags: &[&str]) -> (Option<i32>, serde_json::Value) {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_lawdex"));
    cmd.arg("index").args(flags).arg("--format").arg("json");
    cmd.arg("--data-dir").arg(data).args(inputs);
    let out = cmd.output().expect("run lawdex");
    let json = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "{e}: {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    });
    (out.status.code(), json)
}

fn ingest_dir(corpus: &Path, data: &Path, options: &IngestOptions) -> IngestReport {
    ingest::ingest(&[corpus.to_path_buf()], data, options, &Quiet).expect("ingest")
}

fn edit(path: &Path, from: &str, to: &str) {
    let text = std::fs::read_to_string(path).expect("read");
    assert!(text.contains(from), "{} has no {from:?}", path.display());
    std::fs::write(path, text.replacen(from, to, 1)).expect("write");
}

/// Every file under `dir` with its bytes.
fn bytes_under(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).expect("read dir") {
            let p = e.expect("entry").path();
            if p.is_dir() {
                stack.push(p);
            } else {
                out.insert(p.clone(), std::fs::read(&p).expect("read"));
            }
        }
    }
    out
}

fn clauses_of(data: &Path, id: &str) -> Option<usize> {
    read_documents(data)
        .expect("read index")
        .into_iter()
        .find(|d| d.info.id == id)
        .map(|d| d.clauses.len())
}

fn hit_docs(data: &Path, q: &str) -> Vec<String> {
    let mut query = Query::parse(q).expect("query");
    query.limit = 50;
    let r = Searcher::open(data)
        .expect("open")
        .search(&query)
        .expect("search");
    r.hits.iter().map(|h| h.doc_id.clone()).collect()
}

#[test]
fn indexing_unchanged_inputs_again_reparses_and_writes_nothing() {
    let Some((_tmp, corpus, data)) = corpus(&[LIBRARY_LAW, MUSEUM, SHANGHAI]) else {
        return;
    };
    let first = ingest_dir(&corpus, &data, &IngestOptions::default());
    assert_eq!((first.new, first.changed, first.unchanged), (3, 0, 0));
    assert_eq!(first.documents, 3);
    assert_eq!(first.clauses, 55 + 47 + 38);
    let before = bytes_under(&data.join("index"));
    let second = ingest_dir(&corpus, &data, &IngestOptions::default());
    assert_eq!(
        (second.new, second.changed, second.removed, second.unchanged),
        (0, 0, 0, 3)
    );
    assert!(second.indexed.is_empty(), "re-parsed: {:?}", second.indexed);
    assert!(second.changes.is_empty());
    assert_eq!((second.documents, second.clauses), (3, 140));
    // Nothing parsed, nothing committed: the index files are byte for byte the same.
    assert_eq!(bytes_under(&data.join("index")), before);
}

#[test]
fn one_edited_article_changes_that_document_alone_and_the_report_names_it() {
    let Some((_tmp, corpus, data)) = corpus(&[LIBRARY_LAW, MUSEUM]) else {
        return;
    };
    ingest_dir(&corpus, &data, &IngestOptions::default());
    edit(
        &corpus.join("public-library-law-2018.md"),
        "按照国家有关规定给予表彰和奖励。",
        "按照国家有关规定给予表彰和奖励，并向社会公布名单。",
    );
    let r = ingest_dir(&corpus, &data, &IngestOptions::default());
    assert_eq!((r.new, r.changed, r.removed, r.unchanged), (0, 1, 0, 1));
    let [change] = r.changes.as_slice() else {
        panic!("{:?}", r.changes);
    };
    assert_eq!(change.id, "public-library-law-2018");
    assert_eq!(change.state, ChangeState::Changed);
    assert_eq!(change.articles.changed, ["第十二条"]);
    assert!(change.articles.added.is_empty() && change.articles.removed.is_empty());
    assert_eq!(r.indexed.len(), 1, "only the edited law is parsed");
    assert_eq!(
        hit_docs(&data, "\"向社会公布名单\""),
        ["public-library-law-2018"]
    );
}

#[test]
fn a_file_deleted_from_an_indexed_directory_is_removed_from_search_and_reported() {
    let Some((tmp, corpus, data)) = corpus(&[LIBRARY_LAW, MUSEUM]) else {
        return;
    };
    // A law given on its own is not the directory's to remove.
    let alone = tmp.path().join("shanghai.md");
    std::fs::copy(real_dir().expect("real").join(SHANGHAI), &alone).expect("copy");
    ingest::ingest(
        &[corpus.clone(), alone],
        &data,
        &IngestOptions::default(),
        &Quiet,
    )
    .expect("ingest");
    assert!(hit_docs(&data, "博物馆藏品").contains(&"museum-regulations-2015".to_string()));
    std::fs::remove_file(corpus.join("museum-regulations-2015.md")).expect("rm");
    let (code, r) = index_json(&data, &[&corpus], &[]);
    assert_eq!(code, Some(0), "{r}");
    assert_eq!(r["removed"], 1);
    assert_eq!(r["unchanged"], 1);
    let change = &r["changes"][0];
    assert_eq!(change["id"], "museum-regulations-2015");
    assert_eq!(change["state"], "removed");
    assert_eq!(change["clauses"], 47);
    assert_eq!(
        (r["documents"].as_u64(), r["clauses"].as_u64()),
        (Some(2), Some(55 + 38))
    );
    assert!(!hit_docs(&data, "博物馆藏品").contains(&"museum-regulations-2015".to_string()));
    assert_eq!(clauses_of(&data, "museum-regulations-2015"), None);
    assert_eq!(clauses_of(&data, "shanghai"), Some(38));
}

const NOT_FOUND: &str = "<html>\r\n<head><title>404 Not Found</title></head>\r\n<body>\r\n\
    <center><h1>404 Not Found</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n";

#[test]
fn a_404_page_over_the_38_article_law_is_held_back_as_suspect_and_accept_shrink_takes_it() {
    let Some((_tmp, corpus, data)) = corpus(&[SHANGHAI]) else {
        return;
    };
    let law = corpus.join("shanghai-public-library-regulations-2024.md");
    let id = "shanghai-public-library-regulations-2024";
    let (code, _) = index_json(&data, &[&law], &[]);
    assert_eq!(code, Some(0));
    assert_eq!(clauses_of(&data, id), Some(38));
    std::fs::write(&law, NOT_FOUND).expect("write");

    let out = lawdex(&["index", law.to_str().expect("utf-8")], &data);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    assert!(stdout.contains("suspect 1"), "{stdout}");
    assert!(
        stdout.contains("no articles, the indexed version has 38"),
        "{stdout}"
    );
    // The last good text is what search and show still give.
    assert_eq!(clauses_of(&data, id), Some(38));
    assert!(hit_docs(&data, "图书馆").contains(&id.to_string()));

    let (code, r) = index_json(&data, &[&law], &["--accept-shrink"]);
    assert_eq!(code, Some(0), "{r}");
    assert_eq!(r["changed"], 1);
    assert_eq!(r["suspect"].as_array().map(Vec::len), Some(0));
    assert_eq!(
        r["changes"][0]["articles"]["removed"]
            .as_array()
            .map(Vec::len),
        Some(38)
    );
    assert_eq!(clauses_of(&data, id), Some(0));
}

#[test]
fn remove_deletes_documents_by_id_and_names_unknown_ids() {
    let Some((_tmp, corpus, data)) = corpus(&[LIBRARY_LAW, MUSEUM]) else {
        return;
    };
    ingest_dir(&corpus, &data, &IngestOptions::default());
    let out = lawdex(&["remove", "museum-regulations-2015", "no-such-law"], &data);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    assert!(
        stdout.contains("removed  museum-regulations-2015"),
        "{stdout}"
    );
    assert!(
        stdout.contains("no-such-law: no indexed document"),
        "{stdout}"
    );
    assert_eq!(clauses_of(&data, "museum-regulations-2015"), None);
    assert_eq!(clauses_of(&data, "public-library-law-2018"), Some(55));
    assert!(!hit_docs(&data, "博物馆藏品").contains(&"museum-regulations-2015".to_string()));

    let out = lawdex(&["remove", "public-library-law-2018"], &data);
    assert_eq!(out.status.code(), Some(0));
    assert!(read_documents(&data).expect("read").is_empty());
}

#[test]
fn dry_run_writes_nothing_and_says_what_would_change() {
    let Some((_tmp, corpus, data)) = corpus(&[LIBRARY_LAW, MUSEUM]) else {
        return;
    };
    // On a fresh data dir, nothing is created at all.
    let (code, r) = index_json(&data, &[&corpus], &["--dry-run"]);
    assert_eq!(code, Some(0));
    assert_eq!(
        (r["new"].as_u64(), r["documents"].as_u64()),
        (Some(2), Some(2))
    );
    assert!(!data.exists(), "a dry run created {}", data.display());

    ingest_dir(&corpus, &data, &IngestOptions::default());
    edit(
        &corpus.join("public-library-law-2018.md"),
        "按照国家有关规定给予表彰和奖励。",
        "按照国家有关规定给予表彰。",
    );
    std::fs::remove_file(corpus.join("museum-regulations-2015.md")).expect("rm");
    let before = bytes_under(&data);
    let (code, r) = index_json(&data, &[&corpus], &["--dry-run"]);
    assert_eq!(code, Some(0), "{r}");
    assert_eq!(
        (r["changed"].as_u64(), r["removed"].as_u64()),
        (Some(1), Some(1))
    );
    assert_eq!(r["changes"][1]["articles"]["changed"][0], "第十二条");
    assert_eq!(
        (r["documents"].as_u64(), r["clauses"].as_u64()),
        (Some(1), Some(55))
    );
    assert_eq!(
        bytes_under(&data),
        before,
        "the dry run changed the data dir"
    );
    assert_eq!(clauses_of(&data, "museum-regulations-2015"), Some(47));
}

#[test]
fn an_edit_that_adds_a_free_service_clause_reports_the_coverage_move() {
    let Some((_tmp, corpus, data)) = corpus(&[BEIJING]) else {
        return;
    };
    let law = corpus.join("beijing-library-regulations-2002.md");
    let original = std::fs::read_to_string(&law).expect("read");
    // The version indexed first has no free service: 第二十九条 without 免费.
    edit(&law, "（一）免费进行书目检索；", "（一）进行书目检索；");
    edit(&law, "（二）免费借阅图书、报刊；", "（二）借阅图书、报刊；");
    ingest_dir(&corpus, &data, &IngestOptions::default());
    std::fs::write(&law, original).expect("restore");
    let r = ingest_dir(&corpus, &data, &IngestOptions::default());
    let [change] = r.changes.as_slice() else {
        panic!("{:?}", r.changes);
    };
    assert_eq!(change.articles.changed, ["第二十九条"]);
    let moves: Vec<(&str, &str, &str)> = change
        .coverage
        .iter()
        .map(|m| (m.obligation.as_str(), m.from.as_str(), m.to.as_str()))
        .collect();
    assert_eq!(moves, [("free-basic-services", "gap", "covered")]);
}

/// A manifest naming one `url` source and one listing, for crawl reports built by hand (the
/// URLs are never fetched).
fn crawl_manifest(dir: &Path) -> (Manifest, PathBuf) {
    let path = dir.join("site.toml");
    std::fs::write(
        &path,
        "[[source]]\nid = \"cn.shanghai-library\"\nurl = \"http://127.0.0.1:9/shanghai.html\"\n\n\
         [[listing]]\nid = \"laws\"\nstart = \"http://127.0.0.1:9/list.html\"\n\
         links = \"ul a\"\nscope = \"http://127.0.0.1:9/\"\n",
    )
    .expect("write manifest");
    let manifest = Manifest::load(&path).expect("manifest");
    (manifest, std::fs::canonicalize(&path).expect("canonical"))
}

/// A document the crawl stored: `file` is its bytes in the "store".
fn stored(id: &str, url: &str, file: &Path) -> CrawledDoc {
    let bytes = std::fs::read(file).expect("read");
    CrawledDoc {
        meta: SourceMeta {
            id: Some(id.into()),
            ..SourceMeta::default()
        },
        url: url.into(),
        outcome: CrawlOutcome::Stored(StoredBody {
            path: file.to_path_buf(),
            final_url: url.into(),
            content_type: Some("text/markdown; charset=utf-8".into()),
            hash: blake3::hash(&bytes).to_hex().to_string(),
            not_modified: false,
        }),
    }
}

fn failed(id: &str, url: &str, error: &str) -> CrawledDoc {
    CrawledDoc {
        meta: SourceMeta {
            id: Some(id.into()),
            ..SourceMeta::default()
        },
        url: url.into(),
        outcome: CrawlOutcome::Failed {
            error: error.into(),
        },
    }
}

#[test]
fn a_failed_fetch_keeps_the_last_good_text() {
    let Some((tmp, corpus, data)) = corpus(&[SHANGHAI]) else {
        return;
    };
    let (manifest, path) = crawl_manifest(tmp.path());
    let source = Origin {
        manifest: path,
        listing: None,
    };
    let url = "http://127.0.0.1:9/shanghai.html";
    let file = corpus.join("shanghai-public-library-regulations-2024.md");
    let first = CrawlReport {
        documents: vec![(source.clone(), stored("cn.shanghai-library", url, &file))],
        fetched: 1,
        ..CrawlReport::default()
    };
    let opts = IngestOptions::default();
    let r = ingest::update(
        std::slice::from_ref(&manifest),
        &first,
        &data,
        &opts,
        &Quiet,
    )
    .expect("update");
    assert_eq!((r.new, r.fetched), (1, 1));
    assert_eq!(clauses_of(&data, "cn.shanghai-library"), Some(38));

    let second = CrawlReport {
        documents: vec![(
            source,
            failed("cn.shanghai-library", url, "HTTP 404 Not Found"),
        )],
        failed: vec![UrlError {
            url: url.into(),
            error: "HTTP 404 Not Found (after 3 tries)".into(),
        }],
        ..CrawlReport::default()
    };
    let r = ingest::update(&[manifest], &second, &data, &opts, &Quiet).expect("update");
    assert!(r.has_problems());
    assert_eq!(r.failed.len(), 1, "one line per URL: {:?}", r.failed);
    assert_eq!(r.failed[0].url.as_deref(), Some(url));
    assert_eq!((r.removed, r.changed), (0, 0));
    assert_eq!(clauses_of(&data, "cn.shanghai-library"), Some(38));
}

#[test]
fn a_listing_read_incompletely_removes_nothing_and_a_complete_one_removes_what_it_dropped() {
    let Some((tmp, corpus, data)) = corpus(&[LIBRARY_LAW, MUSEUM]) else {
        return;
    };
    let (manifest, path) = crawl_manifest(tmp.path());
    let listing = Origin {
        manifest: path,
        listing: Some("laws".into()),
    };
    let law = stored(
        "site.library-law",
        "http://127.0.0.1:9/law.md",
        &corpus.join("public-library-law-2018.md"),
    );
    let museum = stored(
        "site.museum",
        "http://127.0.0.1:9/museum.md",
        &corpus.join("museum-regulations-2015.md"),
    );
    let opts = IngestOptions::default();
    let both = CrawlReport {
        documents: vec![(listing.clone(), law.clone()), (listing.clone(), museum)],
        ..CrawlReport::default()
    };
    let r = ingest::update(std::slice::from_ref(&manifest), &both, &data, &opts, &Quiet)
        .expect("update");
    assert_eq!(r.new, 2);

    // Page 2 of the listing failed: the museum was not seen, but it is not gone.
    let partial = CrawlReport {
        documents: vec![(listing.clone(), law.clone())],
        incomplete: vec![listing.clone()],
        ..CrawlReport::default()
    };
    let r = ingest::update(
        std::slice::from_ref(&manifest),
        &partial,
        &data,
        &opts,
        &Quiet,
    )
    .expect("update");
    assert_eq!((r.removed, r.unchanged), (0, 1));
    assert_eq!(clauses_of(&data, "site.museum"), Some(47));

    // Read completely without it: it was dropped from the listing.
    let complete = CrawlReport {
        documents: vec![(listing, law)],
        ..CrawlReport::default()
    };
    let r = ingest::update(&[manifest], &complete, &data, &opts, &Quiet).expect("update");
    assert_eq!(r.removed, 1);
    assert_eq!(r.changes[0].id, "site.museum");
    assert_eq!(clauses_of(&data, "site.museum"), None);
    assert_eq!(clauses_of(&data, "site.library-law"), Some(55));
}

#[test]
fn update_of_a_manifest_of_local_paths_indexes_without_fetching_and_a_bad_manifest_exits_2() {
    let Some((tmp, corpus, data)) = corpus(&[MUSEUM]) else {
        return;
    };
    let manifest = tmp.path().join("local.toml");
    std::fs::write(
        &manifest,
        format!(
            "[[source]]\nid = \"cn.museum\"\npath = \"{}\"\njurisdiction = \"CN\"\n",
            corpus.join("museum-regulations-2015.md").display()
        ),
    )
    .expect("write");
    let m = manifest.to_str().expect("utf-8");
    let out = lawdex(&["update", "--format", "json", m], &data);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let r: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(
        (r["command"].as_str(), r["new"].as_u64()),
        (Some("update"), Some(1))
    );
    assert_eq!(
        (r["fetched"].as_u64(), r["not_modified"].as_u64()),
        (Some(0), Some(0))
    );
    // The run's report is kept for people and later pages.
    let kept = std::fs::read_dir(data.join("reports"))
        .expect("reports")
        .count();
    assert_eq!(kept, 1);

    std::fs::write(&manifest, "[[source]]\nid = \"x\"\nnonsense = 1\n").expect("write");
    let out = lawdex(&["update", m], &data);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("local.toml"), "{stderr}");
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
}

#[test]
fn a_source_dropped_from_a_manifest_is_removed_and_one_moved_keeps_its_clauses() {
    let Some((tmp, corpus, data)) = corpus(&[LIBRARY_LAW, MUSEUM]) else {
        return;
    };
    let manifest = tmp.path().join("m.toml");
    let source = |id: &str, file: &str| {
        format!(
            "[[source]]\nid = \"{id}\"\npath = \"{}\"\n\n",
            corpus.join(file).display()
        )
    };
    let law = source("cn.library-law", "public-library-law-2018.md");
    let museum = source("cn.museum", "museum-regulations-2015.md");
    std::fs::write(&manifest, format!("{law}{museum}")).expect("write");
    let opts = IngestOptions::default();
    let run =
        || ingest::ingest(std::slice::from_ref(&manifest), &data, &opts, &Quiet).expect("ingest");
    assert_eq!(run().new, 2);

    // The law's file moves (same bytes): not re-parsed, its record follows the file.
    let moved = corpus.join("moved");
    std::fs::create_dir(&moved).expect("mkdir");
    std::fs::rename(
        corpus.join("public-library-law-2018.md"),
        moved.join("public-library-law-2018.md"),
    )
    .expect("move");
    let law = source("cn.library-law", "moved/public-library-law-2018.md");
    std::fs::write(&manifest, format!("{law}{museum}")).expect("write");
    let r = run();
    assert_eq!((r.unchanged, r.changed, r.indexed.len()), (2, 0, 0));
    let docs = read_documents(&data).expect("read");
    let doc = docs
        .iter()
        .find(|d| d.info.id == "cn.library-law")
        .expect("still indexed");
    assert_eq!(doc.clauses.len(), 55);
    assert!(
        doc.info
            .source
            .ends_with("moved/public-library-law-2018.md"),
        "{}",
        doc.info.source
    );
    assert_eq!(docs.len(), 2, "the record was replaced, not duplicated");

    // The museum is dropped from the manifest: removed.
    assert!(hit_docs(&data, "博物馆藏品").contains(&"cn.museum".to_string()));
    std::fs::write(&manifest, &law).expect("write");
    let r = run();
    assert_eq!((r.removed, r.unchanged), (1, 1));
    assert_eq!(r.changes[0].id, "cn.museum");
    assert_eq!(clauses_of(&data, "cn.museum"), None);
    assert!(!hit_docs(&data, "博物馆藏品").contains(&"cn.museum".to_string()));
}

#[test]
fn a_manifest_url_source_the_crawl_skipped_is_not_removed() {
    let Some((tmp, corpus, data)) = corpus(&[SHANGHAI]) else {
        return;
    };
    let (manifest, path) = crawl_manifest(tmp.path());
    let url = "http://127.0.0.1:9/shanghai.html";
    let file = corpus.join("shanghai-public-library-regulations-2024.md");
    let source = Origin {
        manifest: path,
        listing: None,
    };
    let first = CrawlReport {
        documents: vec![(source, stored("cn.shanghai-library", url, &file))],
        ..CrawlReport::default()
    };
    let opts = IngestOptions::default();
    let m = std::slice::from_ref(&manifest);
    ingest::update(m, &first, &data, &opts, &Quiet).expect("update");
    // robots.txt now disallows it: the crawl lists it as skipped, not as a document. The
    // manifest still names it, so its last text stays.
    let second = CrawlReport {
        skipped: vec![lawdex::crawl::UrlSkip {
            url: url.into(),
            reason: "disallowed by robots.txt".into(),
        }],
        ..CrawlReport::default()
    };
    let r = ingest::update(m, &second, &data, &opts, &Quiet).expect("update");
    assert_eq!(r.removed, 0);
    assert_eq!(r.skipped.len(), 1);
    assert_eq!(r.skipped[0].url.as_deref(), Some(url));
    assert_eq!(clauses_of(&data, "cn.shanghai-library"), Some(38));
}

/// Files of one name in several folders (coll/a/law.md, coll/b/law.md) take `law`,
/// `law-markdown`, … in path order. A new coll/0/law.md sorted first and took `law`: every
/// other law moved to another id (stored citations then pointed at a different law), one was
/// indexed twice, and the new file was held back as suspect. Sources already indexed now
/// keep their ids; the new file takes a free one.
#[test]
fn a_new_file_of_the_same_name_moves_no_indexed_law_to_another_id() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let coll = tmp.path().join("coll");
    let sample = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("corpus-manifest/sample");
    for (dir, file) in [
        ("a", "mingshan-public-library-regulations.md"),
        ("b", "example-state-library-services-act.md"),
    ] {
        std::fs::create_dir_all(coll.join(dir)).unwrap();
        std::fs::copy(sample.join(file), coll.join(dir).join("law.md")).unwrap();
    }
    let data = tmp.path().join("data");
    let ids = || -> BTreeMap<String, String> {
        read_documents(&data)
            .expect("read index")
            .into_iter()
            .map(|d| (d.info.source.clone(), d.info.id.clone()))
            .collect()
    };
    let report = ingest_dir(&coll, &data, &IngestOptions::default());
    assert_eq!(report.failed.len(), 0);
    let before = ids();
    assert_eq!(before.len(), 2);
    std::fs::create_dir_all(coll.join("0")).unwrap();
    std::fs::write(
        coll.join("0/law.md"),
        "# 戊市图书馆条例\n\n第一条 图书馆戊应当免费开放。\n",
    )
    .unwrap();
    let report = ingest_dir(&coll, &data, &IngestOptions::default());
    assert_eq!(report.failed.len(), 0, "{:?}", report.failed);
    let after = ids();
    assert_eq!(after.len(), 3, "{after:?}");
    for (source, id) in &before {
        assert_eq!(after.get(source), Some(id), "{source} moved: {after:?}");
    }
    let new_id = &after[&coll.join("0/law.md").display().to_string()];
    assert!(!before.values().any(|id| id == new_id), "{after:?}");
    assert_eq!(hit_docs(&data, "戊"), std::slice::from_ref(new_id));
}
