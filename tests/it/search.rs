//! Index and search, end to end. Properties checked, in order:
//! 1. re-indexing the same inputs replaces documents by id: counts stay the same;
//! 2. an index built by another schema version is refused with "re-index required";
//! 3. a batch dropped before its commit leaves the previous commit intact;
//! 4. a URL source fails alone, with a clear message, without stopping the batch;
//! 5. filters restrict hits: jurisdiction and language by prefix, level, year range, document;
//! 6. Traditional and Simplified Chinese meet in both directions, on real and hand-made text;
//! 7. snippets highlight Chinese matches in the original script, cite the paragraph, escape
//!    HTML; facet counts add up to the total;
//! 8. the binary: exit 0 with hits, 1 with none, 2 on error; malformed queries point at the
//!    problem; `show` prints clauses and documents;
//! 9. relevance over corpus/real (tests/fixtures/relevance.toml): recall@10 and nDCG@10 stay at
//!    or above the level recorded in tests/fixtures/relevance-floor.toml; so do they on the
//!    held-out queries (tests/fixtures/relevance-heldout.toml), which nothing is tuned on.
//!    Search collapses copies and versions of a law into one hit per article (issue 12), so a
//!    judged article counts once per law: items judged on several copies or versions with one
//!    label are one unit, found by a hit on any of them or listing them as a copy or as a
//!    version with the same text.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use lawdex::index::{read_documents, ClauseIndex};
use lawdex::ingest::{ingest, IngestOptions, Quiet};
use lawdex::search::{Filters, Hit, Query, Results, Scope, Searcher, YearRange};
use lawdex::work::Works;

use crate::common::lawdex_run as lawdex;
use crate::common::{fixtures_dir, real_dir, shared_dir, unpack_bulk};

fn fixture_manifest() -> PathBuf {
    fixtures_dir().join("search/manifest.toml")
}

/// A scratch directory under cargo's per-target temp dir, emptied first.
fn scratch(name: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("search-{name}"));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// The hand-made documents, indexed once per test run.
fn fixture_data() -> &'static Path {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = scratch("fixtures");
        let report = ingest(
            &[fixture_manifest()],
            &dir,
            &IngestOptions::default(),
            &Quiet,
        )
        .unwrap();
        assert!(report.failed.is_empty(), "{:?}", report.failed);
        assert_eq!(report.indexed.len(), 3);
        dir
    })
}

/// A manifest for corpus/real made from its SOURCES.tsv (title, jurisdiction, level, language,
/// year per file), so filters have metadata to work on.
fn real_manifest(real: &Path, out: &Path) -> PathBuf {
    let tsv = std::fs::read_to_string(real.join("SOURCES.tsv")).unwrap();
    let mut lines = tsv.lines();
    let header: Vec<&str> = lines.next().unwrap().split('\t').collect();
    let col = |name: &str| header.iter().position(|h| *h == name).unwrap();
    let (path, title, jur, level, lang, year) = (
        col("path"),
        col("title"),
        col("jurisdiction"),
        col("level"),
        col("language"),
        col("year"),
    );
    let mut sources = Vec::new();
    for line in lines.filter(|l| !l.trim().is_empty()) {
        let f: Vec<&str> = line.split('\t').collect();
        let mut t = toml::map::Map::new();
        t.insert("id".into(), f[path].replace('/', ".").into());
        t.insert(
            "path".into(),
            real.join(f[path]).display().to_string().into(),
        );
        t.insert("title".into(), f[title].into());
        t.insert("jurisdiction".into(), f[jur].into());
        t.insert("level".into(), f[level].into());
        t.insert("language".into(), f[lang].into());
        t.insert(
            "year".into(),
            toml::Value::Integer(f[year].parse().unwrap()),
        );
        sources.push(toml::Value::Table(t));
    }
    let mut root = toml::map::Map::new();
    root.insert("source".into(), toml::Value::Array(sources));
    let file = out.join("real.toml");
    std::fs::write(&file, toml::to_string(&root).unwrap()).unwrap();
    file
}

/// corpus/real indexed through a manifest, once per test run; `None` when the data is absent.
fn real_data() -> Option<&'static Path> {
    static DIR: OnceLock<Option<PathBuf>> = OnceLock::new();
    DIR.get_or_init(|| {
        let real = real_dir()?;
        let dir = scratch("real");
        let manifest = real_manifest(&real, &dir);
        let report = ingest(&[manifest], &dir, &IngestOptions::default(), &Quiet).unwrap();
        assert!(
            report.indexed.len() >= 20,
            "only {} documents indexed; failures: {:?}",
            report.indexed.len(),
            report.failed
        );
        Some(dir)
    })
    .as_deref()
}

fn search(dir: &Path, q: &str, filters: Filters) -> Results {
    let mut query = Query::parse(q).unwrap();
    query.filters = filters;
    query.limit = 50;
    query.facets = true;
    Searcher::open(dir).unwrap().search(&query).unwrap()
}

fn docs_of(r: &Results) -> Vec<String> {
    let mut d: Vec<String> = r.hits.iter().map(|h| h.doc_id.clone()).collect();
    d.sort();
    d.dedup();
    d
}

// 1 ------------------------------------------------------------------------------------------

#[test]
fn reindexing_the_same_inputs_replaces_documents_by_id() {
    let dir = scratch("reindex");
    let inputs = [fixture_manifest()];
    let first = ingest(&inputs, &dir, &IngestOptions::default(), &Quiet).unwrap();
    let count = |dir: &Path| {
        let docs = read_documents(dir).unwrap();
        (
            docs.len(),
            docs.iter().map(|d| d.clauses.len()).sum::<usize>(),
        )
    };
    let before = count(&dir);
    assert_eq!(before, (3, first.clauses_indexed()));
    assert_eq!(before, (first.documents, first.clauses));
    let hits_before = search(&dir, "图书馆", Filters::default()).total;
    ingest(&inputs, &dir, &IngestOptions::default(), &Quiet).unwrap();
    assert_eq!(count(&dir), before, "a second run must not duplicate");
    assert_eq!(
        search(&dir, "图书馆", Filters::default()).total,
        hits_before
    );
    // The same files given as a directory get path-derived ids: new documents beside the
    // manifest's, not replacements (ids are the identity).
    let walked = ingest(
        &[fixtures_dir().join("search")],
        &dir,
        &IngestOptions::default(),
        &Quiet,
    )
    .unwrap();
    assert_eq!(walked.indexed.len(), 3);
    assert_eq!(count(&dir).0, 6);
    let rebuilt = ingest(
        &inputs,
        &dir,
        &IngestOptions {
            rebuild: true,
            ..IngestOptions::default()
        },
        &Quiet,
    )
    .unwrap();
    assert_eq!(rebuilt.indexed.len(), 3);
    assert_eq!(count(&dir), before, "--rebuild starts from an empty index");
}

#[test]
fn read_documents_gives_back_clauses_in_order_with_info() {
    let docs = read_documents(fixture_data()).unwrap();
    let ids: Vec<&str> = docs.iter().map(|d| d.info.id.as_str()).collect();
    assert_eq!(
        ids,
        [
            "qinghe.library-provisions",
            "riverton.library-act",
            "tongan.library-measures"
        ]
    );
    let qinghe = &docs[0];
    assert_eq!(qinghe.info.jurisdiction, "CN-QH");
    assert_eq!(
        qinghe.info.year,
        Some(2021),
        "the last amendment dates the version"
    );
    let labels: Vec<&str> = qinghe.clauses.iter().map(|c| c.label.as_str()).collect();
    assert_eq!(labels, ["第一条", "第二条", "第三条", "第四条"]);
    assert!(qinghe.clauses[2].text.starts_with("图书馆藏书应当定期更新"));
    // Read through the data directory or the index directory alike.
    assert_eq!(
        read_documents(&fixture_data().join("index")).unwrap().len(),
        3
    );
}

// 2 ------------------------------------------------------------------------------------------

#[test]
fn an_index_of_another_schema_version_needs_a_reindex() {
    let dir = scratch("schema");
    ingest(
        &[fixture_manifest()],
        &dir,
        &IngestOptions::default(),
        &Quiet,
    )
    .unwrap();
    std::fs::write(dir.join("index/lawdex-schema"), "0\n").unwrap();
    let err = Searcher::open(&dir).err().unwrap().to_string();
    let expected = format!(
        "index at {} was built by schema 0, this lawdex needs {}: re-index required",
        dir.join("index").display(),
        lawdex::index::SCHEMA_VERSION
    );
    assert_eq!(err, expected);
    // Indexing refuses too, and --rebuild recovers.
    let err = ingest(
        &[fixture_manifest()],
        &dir,
        &IngestOptions::default(),
        &Quiet,
    )
    .unwrap_err()
    .to_string();
    assert!(err.contains("re-index required"), "{err}");
    let opts = IngestOptions {
        rebuild: true,
        ..IngestOptions::default()
    };
    ingest(&[fixture_manifest()], &dir, &opts, &Quiet).unwrap();
    assert!(Searcher::open(&dir).is_ok());
}

// 3 ------------------------------------------------------------------------------------------

#[test]
fn a_batch_dropped_before_commit_leaves_the_last_commit() {
    let dir = scratch("uncommitted");
    ingest(
        &[fixture_manifest()],
        &dir,
        &IngestOptions::default(),
        &Quiet,
    )
    .unwrap();
    let before = read_documents(&dir).unwrap();
    {
        let index = ClauseIndex::open(&dir).unwrap();
        let batch = index.batch().unwrap();
        batch.delete("qinghe.library-provisions");
        let mut changed = before[1].clone();
        changed.info.id = "new-doc".into();
        batch.replace(&changed).unwrap();
        // Dropped here, as a crash would.
    }
    assert_eq!(read_documents(&dir).unwrap(), before);
}

// 4 ------------------------------------------------------------------------------------------

#[test]
fn url_sources_fail_alone_with_a_clear_message() {
    let dir = scratch("url");
    let manifest = dir.join("m.toml");
    std::fs::write(
        &manifest,
        format!(
            "[[source]]\nid = \"remote\"\nurl = \"https://example.gov.cn/x.html\"\n\n\
             [[source]]\nid = \"local\"\npath = \"{}\"\n",
            fixtures_dir()
                .join("search/qinghe-library-provisions.md")
                .display()
        ),
    )
    .unwrap();
    let report = ingest(&[manifest], &dir, &IngestOptions::default(), &Quiet).unwrap();
    assert_eq!(report.indexed.len(), 1);
    assert_eq!(report.failed.len(), 1);
    assert_eq!(report.failed[0].source, "https://example.gov.cn/x.html");
    assert!(report.failed[0]
        .error
        .contains("fetched by `lawdex update`"));
}

// 5 ------------------------------------------------------------------------------------------

#[test]
fn filters_restrict_hits_on_hand_made_documents() {
    let dir = fixture_data();
    let all = search(dir, "图书馆", Filters::default());
    // The English act is found through the translation (library), after the Chinese ones.
    assert_eq!(
        docs_of(&all),
        [
            "qinghe.library-provisions",
            "riverton.library-act",
            "tongan.library-measures"
        ]
    );
    let first_translated = all.hits.iter().position(|h| h.translated).unwrap();
    assert!(all.hits[..first_translated]
        .iter()
        .all(|h| h.doc_id != "riverton.library-act"));
    assert!(all.hits[first_translated..].iter().all(|h| h.translated));
    let f = |f: Filters| docs_of(&search(dir, "图书馆", f));
    let cn = Filters {
        jurisdictions: vec!["CN".into()],
        ..Filters::default()
    };
    assert_eq!(f(cn), ["qinghe.library-provisions"], "CN matches CN-QH");
    let zh = Filters {
        languages: vec!["zh".into()],
        ..Filters::default()
    };
    assert_eq!(f(zh).len(), 2, "zh matches zh-Hans and zh-Hant");
    let hant = Filters {
        languages: vec!["zh-Hant".into()],
        ..Filters::default()
    };
    assert_eq!(f(hant), ["tongan.library-measures"]);
    let county = Filters {
        levels: vec!["County".into()],
        ..Filters::default()
    };
    assert_eq!(f(county), ["qinghe.library-provisions"]);
    let years = |s: &str| Filters {
        years: Some(s.parse::<YearRange>().unwrap()),
        ..Filters::default()
    };
    assert_eq!(f(years("2015")), ["tongan.library-measures"]);
    assert_eq!(f(years("2016..")), ["qinghe.library-provisions"]);
    assert!(f(years("1990..2000")).is_empty());
    let doc = Filters {
        docs: vec!["tongan.library-measures".into()],
        ..Filters::default()
    };
    assert_eq!(f(doc), ["tongan.library-measures"]);
}

#[test]
fn filters_restrict_hits_on_real_documents() {
    let Some(dir) = real_data() else { return };
    let sh = Filters {
        jurisdictions: vec!["CN-SH".into()],
        ..Filters::default()
    };
    let r = search(dir, "公共图书馆", sh);
    assert!(!r.hits.is_empty());
    assert!(
        r.hits.iter().all(|h| h.jurisdiction == "CN-SH"),
        "{:?}",
        docs_of(&r)
    );
    let cn = Filters {
        jurisdictions: vec!["CN".into()],
        ..Filters::default()
    };
    let r = search(dir, "公共图书馆", cn);
    let jurisdictions: std::collections::BTreeSet<&str> =
        r.hits.iter().map(|h| h.jurisdiction.as_str()).collect();
    assert!(
        jurisdictions.contains("CN") && jurisdictions.contains("CN-SH"),
        "{jurisdictions:?}"
    );
    assert!(jurisdictions.iter().all(|j| j.starts_with("CN")));
    let facets = r.facets.unwrap();
    assert_eq!(facets.jurisdiction.values().sum::<usize>(), r.total);
    assert_eq!(facets.level.values().sum::<usize>(), r.total);
    let provincial = Filters {
        levels: vec!["provincial".into()],
        years: Some("2020..2024".parse().unwrap()),
        ..Filters::default()
    };
    let r = search(dir, "图书馆", provincial);
    assert!(!r.hits.is_empty());
    assert!(r
        .hits
        .iter()
        .all(|h| h.level == "provincial" && (2020..=2024).contains(&h.year.unwrap())));
}

/// A place named in the query is read as its jurisdiction: "Australia's" restricts the search
/// to AU, 上海 in a Chinese question to CN-SH; a place alone, quoted, or one the index has no
/// document of is searched as a word.
#[test]
fn a_place_named_in_the_query_restricts_the_search_to_it() {
    let Some(dir) = real_data() else { return };
    let r = search(
        dir,
        "who sits on the board that runs Australia's national library",
        Filters::default(),
    );
    assert_eq!(r.places.len(), 1, "{:?}", r.places);
    assert_eq!(
        (r.places[0].word.as_str(), r.places[0].jurisdiction.as_str()),
        ("Australia's", "AU")
    );
    assert!(!r.hits.is_empty());
    assert!(
        r.hits.iter().all(|h| h.jurisdiction == "AU"),
        "{:?}",
        docs_of(&r)
    );
    // Without the place, the same words rank other countries' councils too.
    let unplaced = search(
        dir,
        "who sits on the board that runs the national library",
        Filters::default(),
    );
    assert!(unplaced.hits.iter().any(|h| h.jurisdiction != "AU"));
    // A Chinese question on Australia: of its words only 国家图书馆 has an English
    // translation, and Australia's act is English, so the act's clauses naming the National
    // Library answer (its section 5 establishes it), marked partial, rather than nothing.
    let r = search(
        dir,
        "澳大利亚国家图书馆可以自己买卖房产吗",
        Filters::default(),
    );
    assert_eq!(r.places[0].jurisdiction, "AU");
    assert!(r
        .hits
        .iter()
        .all(|h| h.jurisdiction == "AU" && !h.all_words));
    let labels: Vec<&str> = r.hits.iter().map(|h| h.clause_label.as_str()).collect();
    assert!(
        labels.iter().take(3).any(|l| *l == "Section 5"),
        "{labels:?}"
    );
    // Named in the clause, or in the heading of its Part (Part II--Establishment of the
    // National Library of Australia).
    let names = |t: &str| t.to_lowercase().contains("national library");
    assert!(r
        .hits
        .iter()
        .all(|h| names(&h.snippet.plain()) || h.headings.iter().any(|x| names(x))));

    let r = search(dir, "上海市 视障读者", Filters::default());
    assert_eq!(r.places[0].jurisdiction, "CN-SH");
    assert!(!r.hits.is_empty());
    assert!(r.hits.iter().all(|h| h.jurisdiction == "CN-SH"));

    // Quoted, alone, under --jurisdiction, or with no document of it: a word.
    for (q, filters) in [
        ("\"上海\" 图书馆", Filters::default()),
        ("上海", Filters::default()),
        (
            "上海 图书馆",
            Filters {
                jurisdictions: vec!["CN".into()],
                ..Filters::default()
            },
        ),
        ("德国 图书馆", Filters::default()),
    ] {
        let r = search(dir, q, filters);
        assert!(r.places.is_empty(), "{q}: {:?}", r.places);
    }
    // Found in the clause or in the heading of its chapter (第五章“上海文化”品牌建设).
    let r = search(dir, "上海", Filters::default());
    assert!(r.hits.iter().all(
        |h| h.snippet.plain().contains("上海") || h.headings.iter().any(|x| x.contains("上海"))
    ));
    assert!(r.hits.iter().any(|h| !h.snippet.plain().contains("上海")));

    // Only a listed word of the query is read so: under NOT, AND, OR or brackets a name stays
    // a word (excluding "United States" must not search only the US).
    let r = search(dir, "library -(United States)", Filters::default());
    assert!(r.places.is_empty(), "{:?}", r.places);
    assert!(r.hits.iter().any(|h| h.jurisdiction != "US"));
    for q in ["Australia AND library", "library (Australia OR Korea)"] {
        let r = search(dir, q, Filters::default());
        assert!(r.places.is_empty(), "{q}: {:?}", r.places);
        assert!(!r.hits.is_empty(), "{q}");
    }
    // A place with nothing else to search (a stop word, an exclusion) is the word searched.
    for q in ["澳大利亚的", "Australia -library"] {
        let r = search(dir, q, Filters::default());
        assert!(r.places.is_empty(), "{q}: {:?}", r.places);
    }
    // Punctuation, particles and full-width letters around a name.
    for (q, code) in [
        ("what is the library law of Australia?", "AU"),
        ("한국의 도서관", "KR"),
        ("Ａｕｓｔｒａｌｉａ library", "AU"),
    ] {
        let r = search(dir, q, Filters::default());
        let codes: Vec<&str> = r.places.iter().map(|p| p.jurisdiction.as_str()).collect();
        assert_eq!(codes, [code], "{q}");
        assert!(r.hits.iter().all(|h| h.jurisdiction == code), "{q}");
    }
    // The act runs DirectorGeneral together: typed either way, it is found.
    for q in ["Director-General", "directorgeneral", "DirectorGeneral"] {
        let r = search(dir, q, Filters::default());
        assert!(
            r.hits.iter().any(|h| h.jurisdiction == "AU" && h.all_words),
            "{q}"
        );
    }

    // What the binary tells people and tools.
    let q = "澳大利亚 国家图书馆";
    let (code, out, _) = lawdex(&["search", q, "--format", "json"], dir);
    assert_eq!(code, 0, "{out}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["places"][0]["word"], "澳大利亚");
    assert_eq!(v["places"][0]["jurisdiction"], "AU");
    let (_, table, _) = lawdex(&["search", q], dir);
    assert!(
        table.contains("only AU searched: \"澳大利亚\" read as that jurisdiction"),
        "{table}"
    );
}

// 6 ------------------------------------------------------------------------------------------

/// Facet counts are those of every matching clause: with every match returned as a hit, they
/// equal the hits counted by jurisdiction, level and year (the counts are kept by fast-field
/// ordinal, so this checks each ordinal lands on its own value).
/// An English question whose plain words ("services", "publications") have no translation
/// still reaches the articles of other languages that state its concepts, ahead of English
/// clauses that only share "library services".
#[test]
fn an_english_question_reaches_the_concepts_in_other_languages() {
    let Some(dir) = real_data() else { return };
    let top = |q: &str| -> Vec<(String, String)> {
        // The first five of a page of ten (how deep partial hits are read depends on it).
        let mut query = Query::parse(q).unwrap();
        query.limit = 10;
        let r = Searcher::open(dir).unwrap().search(&query).unwrap();
        r.hits
            .iter()
            .take(5)
            .map(|h| (h.language.clone(), h.clause_label.clone()))
            .collect()
    };
    let prisons = top("library services for prisoners and inmates");
    assert!(
        prisons.iter().any(|(lang, _)| lang == "ko"),
        "the Korean articles on prison libraries: {prisons:?}"
    );
    assert!(
        prisons.iter().filter(|(lang, _)| lang != "en").count() >= 3,
        "{prisons:?}"
    );
    // A shorter list, or a page of a server's, never reorders the first hits.
    let ids = |q: &str, limit: usize| -> Vec<String> {
        let mut query = Query::parse(q).unwrap();
        query.limit = limit;
        let r = Searcher::open(dir).unwrap().search(&query).unwrap();
        r.hits.into_iter().map(|h| h.clause_id).collect()
    };
    let ten = ids("library services for prisoners", 10);
    for limit in [1, 3, 5] {
        assert_eq!(
            ids("library services for prisoners", limit),
            ten[..limit],
            "limit {limit}"
        );
    }
    // Deeper too, where translated hits read for a longer list once went above the partial
    // hits a shorter one showed: pages of a long list neither repeat nor skip a hit.
    let long = ids("图书馆 免费", 300);
    assert_eq!(long.len(), 300);
    for limit in [50, 100, 200] {
        assert_eq!(ids("图书馆 免费", limit), long[..limit], "limit {limit}");
    }
    let distinct: std::collections::HashSet<&String> = long.iter().collect();
    assert_eq!(distinct.len(), long.len(), "a clause listed twice");
    // On the first page: the feedback of the Taiwanese and Korean deposit articles ranks
    // Korea's decree beside them.
    let deposit = {
        let r = Searcher::open(dir)
            .unwrap()
            .search(
                &Query::parse("legal deposit of publications with the national library").unwrap(),
            )
            .unwrap();
        r.hits
            .iter()
            .map(|h| (h.language.clone(), h.clause_label.clone()))
            .collect::<Vec<_>>()
    };
    for (lang, label) in [("zh-Hans", "第二十六条"), ("ko", "제21조")] {
        assert!(
            deposit.iter().any(|(l, c)| l == lang && c == label),
            "{lang} {label} in {deposit:?}"
        );
    }
}

#[test]
fn facets_count_every_matching_clause_by_its_values() {
    let dir = real_data().expect("corpus/real indexes");
    let mut query = Query::parse("图书馆").unwrap();
    query.limit = 5_000;
    query.facets = true;
    let r = Searcher::open(dir).unwrap().search(&query).unwrap();
    assert!(r.total > 50, "{}", r.total);
    // Facets count the clauses with the word as typed (translated hits follow them).
    let hits: Vec<_> = r
        .hits
        .iter()
        .filter(|h| h.all_words && !h.translated)
        .collect();
    assert_eq!(hits.len(), r.total);
    let count = |key: &dyn Fn(&Hit) -> Option<String>| {
        let mut m = BTreeMap::new();
        for h in &hits {
            if let Some(k) = key(h) {
                *m.entry(k).or_insert(0usize) += 1;
            }
        }
        m
    };
    let facets = r.facets.as_ref().unwrap();
    assert_eq!(
        facets.jurisdiction,
        count(&|h| Some(h.jurisdiction.clone()))
    );
    assert_eq!(facets.level, count(&|h| Some(h.level.clone())));
    let years: BTreeMap<String, usize> = facets
        .year
        .iter()
        .map(|(y, n)| (y.to_string(), *n))
        .collect();
    assert_eq!(years, count(&|h| h.year.map(|y| y.to_string())));
    assert!(
        facets.jurisdiction.len() > 1 && years.len() > 1,
        "{facets:?}"
    );
}

#[test]
fn traditional_and_simplified_meet_both_ways() {
    let dir = fixture_data();
    // Simplified query, Traditional text.
    let r = search(dir, "身心障碍读者", Filters::default());
    assert_eq!(r.hits[0].clause_id, "tongan.library-measures/art2");
    // Traditional query, Simplified text.
    let r = search(dir, "館藏目錄", Filters::default());
    assert_eq!(r.hits[0].clause_id, "qinghe.library-provisions/art3");
    // Both words are marked wherever their characters meet, 图书[馆藏]书 included: that is
    // what the match is made of.
    assert_eq!(
        r.hits[0].snippet.terminal(false),
        "图书[馆藏]书应当定期更新，[馆藏目录]应当向读者公开。"
    );
}

#[test]
fn traditional_query_finds_mainland_law() {
    let Some(dir) = real_data() else { return };
    let simplified = search(dir, "公共图书馆 免费", Filters::default());
    let traditional = search(dir, "公共圖書館 免費", Filters::default());
    let ids = |r: &Results| {
        r.hits
            .iter()
            .map(|h| h.clause_id.clone())
            .collect::<Vec<_>>()
    };
    assert!(!simplified.hits.is_empty());
    assert_eq!(ids(&simplified), ids(&traditional));
    assert!(traditional
        .hits
        .iter()
        .any(|h| h.clause_id == "cn.national.public-library-law-2018.md/art33"));
}

#[test]
fn a_citation_finds_the_provision_it_cites() {
    let Some(dir) = real_data() else { return };
    let cited = |q: &str| {
        let r = search(dir, q, Filters::default());
        let hits: Vec<(String, String)> = r
            .hits
            .iter()
            .map(|h| (h.clause_id.clone(), h.citation()))
            .collect();
        (r.cited.clone(), hits, r)
    };
    // A paragraph of the national law, by its short title: the article, cited at paragraph
    // level, with that paragraph's text.
    let (read, hits, r) = cited("公共图书馆法第三十三条第二款");
    assert_eq!(read.as_deref(), Some("第三十三条第二款"));
    assert_eq!(hits.len(), 1, "{hits:?}");
    assert!(
        hits[0].0.ends_with("public-library-law-2018.md/art33"),
        "{hits:?}"
    );
    assert!(hits[0].1.ends_with("》第三十三条第二款"), "{hits:?}");
    assert_eq!(r.hits[0].paragraph, Some(2));
    assert!(r.hits[0].snippet.plain().starts_with("公共图书馆应当免费"));
    // Traditional characters and title marks name the same law.
    let (_, traditional, _) = cited("《公共圖書館法》第33條第二款");
    assert_eq!(traditional, hits);
    // Every law whose title holds the words, each at its own article 10.
    let (_, hits, _) = cited("图书馆条例第十条");
    assert!(hits.len() >= 3, "{hits:?}");
    for (id, citation) in &hits {
        assert!(id.ends_with("/art10"), "{hits:?}");
        assert!(
            citation.contains("图书馆条例") && citation.ends_with("》第十条"),
            "{hits:?}"
        );
    }
    // The Code's form, with and without the section sign, and a Korean act.
    let (read, hits, r) = cited("20 U.S.C. 9141(a)");
    assert_eq!(read.as_deref(), Some("§9141(a)"));
    assert_eq!(hits.len(), 1);
    assert_eq!(hits[0].1, "20 U.S.C. §9141(a)");
    // The subsection's heading alone says nothing: the snippet goes on into its paragraphs.
    let snippet = r.hits[0].snippet.plain();
    assert!(snippet.starts_with("(a) In general"), "{snippet}");
    assert!(snippet.contains("Of the funds provided"), "{snippet}");
    assert_eq!(cited("20 U.S.C. § 9141").1[0].1, "20 U.S.C. §9141");
    let (_, hits, _) = cited("도서관법 제3조");
    assert_eq!(hits.len(), 1, "{hits:?}");
    assert!(hits[0].0.ends_with("/art3") && hits[0].1.starts_with("《도서관법》제3조"));
    // Quoted, the same text is searched for as words.
    assert_eq!(cited("\"公共图书馆法第三十三条\"").0, None);
    // An article the law named does not have is not taken from a law whose title merely
    // holds the name (Taiwan's 圖書館法 has 20 articles; 公共图书馆法 has a 第二十一条): the
    // words are searched, and the answer says the citation was not found.
    for (q, read) in [
        ("圖書館法第21條", "第二十一條"),
        ("公共图书馆法第九百条", "第九百条"),
    ] {
        let (found, hits, r) = cited(q);
        assert_eq!(found, None, "{q}");
        assert_eq!(r.cited_not_found.as_deref(), Some(read), "{q}");
        assert!(
            hits.iter()
                .all(|(id, _)| !id.ends_with("public-library-law-2018.md/art21")),
            "{q}: {hits:?}"
        );
    }
    // A paragraph the article lacks: the whole article, and the answer says so.
    let (read, hits, r) = cited("公共图书馆法第三十三条第三款");
    assert_eq!(read.as_deref(), Some("第三十三条第三款"));
    assert!(hits[0].1.ends_with("》第三十三条"), "{hits:?}");
    assert_eq!(r.whole_articles, 1);
    // Taiwan numbers paragraphs 項 and items 款: 第十五條第二項 is a paragraph.
    let (_, hits, r) = cited("圖書館法第15條第2項");
    assert!(hits[0].1.ends_with("》第十五條第二項"), "{hits:?}");
    assert_eq!(r.whole_articles, 0);
    // Addenda are cited apart from the main text.
    let (_, hits, _) = cited("도서관법 부칙 제3조");
    assert_eq!(hits.len(), 2, "{hits:?}");
    assert!(hits
        .iter()
        .all(|(id, c)| id.contains("/add") && c.contains("》부칙 <")));
    let (_, hits, _) = cited("도서관법 부칙 <제21090호,2025.11.11> 제3조");
    assert_eq!(hits.len(), 1, "{hits:?}");
    assert!(
        hits[0].1.ends_with("부칙 <제21090호,2025.11.11> 제3조"),
        "{hits:?}"
    );
    // A codified Vietnamese topic: the decree's article 3, not the law's.
    let (_, hits, _) = cited("Nghị định 93/2020/NĐ-CP Điều 3");
    assert!(hits[0].1.ends_with("Điều 41.12.NĐ.1.3"), "{hits:?}");
    let (_, hits, _) = cited("khoản 2 Điều 4 Luật Thư viện");
    assert!(hits[0].1.ends_with("Điều 41.12.LQ.4 khoản 2"), "{hits:?}");
    // Another instrument of a law is not the law: the Act's 제3조 does not answer its decree's.
    let (found, _, r) = cited("독서문화진흥법 시행령 제3조");
    assert_eq!(found, None);
    assert_eq!(r.cited_not_found.as_deref(), Some("제3조"));
    // An addenda article without its block: every block that has one.
    let (_, hits, r) = cited("航空法附則第十条");
    assert!(hits.len() >= 2 && r.total == hits.len(), "{hits:?}");
    assert!(hits
        .iter()
        .all(|(id, c)| id.contains("/add") && c.ends_with("第十条")));
    // "paragraph 2" of a section with enumerators is its (2); a Japanese chain is whole; a
    // short title of two characters names its law.
    let (_, hits, _) = cited("National Library Act 1960 Article 15, paragraph 2");
    assert!(hits[0].1.ends_with("Section 15(2)"), "{hits:?}");
    let (_, hits, _) = cited("航空法第百三十一条の二の五");
    assert!(hits[0].1.ends_with("》第百三十一条の二の五"), "{hits:?}");
    let (_, hits, _) = cited("刑法第二百八十七条之二");
    assert!(hits[0].1.ends_with("》第二百八十七条之二"), "{hits:?}");
    // A version named is that version: superseded, it is not searched by default.
    let (found, _, r) = cited("《中华人民共和国公共图书馆法（2017原始文本）》第五十一条");
    assert_eq!(found, None);
    assert_eq!(r.cited_not_found.as_deref(), Some("第五十一条"));
}

#[test]
fn a_quoted_phrase_is_marked_only_where_its_words_stand_together() {
    let Some(dir) = real_data() else { return };
    let r = search(dir, "\"library services\"", Filters::default());
    assert!(r.hits.len() >= 3, "{}", r.hits.len());
    for h in &r.hits {
        let marks: Vec<String> = h
            .snippet
            .fragments
            .iter()
            .filter(|f| f.highlighted)
            .map(|f| f.text.to_lowercase())
            .collect();
        assert!(!marks.is_empty(), "{}", h.snippet.plain());
        assert!(
            marks.iter().all(|m| m == "library services"),
            "{}: {marks:?}",
            h.clause_id
        );
    }
}

#[test]
fn all_word_hits_come_first_and_relaxed_hits_are_marked() {
    let dir = fixture_data();
    // Only one clause has both words; clauses with one of them follow, marked.
    let r = search(dir, "图书馆 免费", Filters::default());
    assert_eq!(r.total, 1);
    assert_eq!(r.hits[0].clause_id, "tongan.library-measures/art2");
    assert!(r.hits[0].all_words);
    // After it: the English act's clause with both words through translations (free of
    // charge, library), then the partial ones.
    assert!(r.hits.len() > 1 && r.hits[1..].iter().all(|h| !h.all_words || h.translated));
    assert!(r
        .hits
        .iter()
        .any(|h| h.translated && h.doc_id == "riverton.library-act"));
    assert!(r.relaxed);
    // No clause has all three words: the clauses with two of them.
    let r = search(dir, "图书馆 免费 更新", Filters::default());
    assert!(r.relaxed && !r.hits.is_empty());
    assert!(r.hits.iter().all(|h| !h.all_words));
    // Words that never meet give nothing rather than noise.
    let r = search(dir, "图书馆 核武器 罢工", Filters::default());
    assert!(r.hits.is_empty(), "{:?}", docs_of(&r));
    // Explicit operators are never relaxed.
    let r = search(dir, "图书馆 AND 免费", Filters::default());
    assert_eq!(r.hits.len(), 1);
}

#[test]
fn a_pasted_paragraph_is_a_query_too() {
    // Bounded work, not time: the split of a pasted paragraph is capped (MAX_RUN_CHARS and
    // MAX_TERM_PIECES in compile.rs), so 1,000 characters still plan a query of a few words.
    let long = "公共图书馆应当免费向社会公众提供文献信息查询借阅服务".repeat(40);
    let r = search(fixture_data(), &long, Filters::default());
    assert!(r.hits.iter().all(|h| !h.all_words));
}

// 7 ------------------------------------------------------------------------------------------

#[test]
fn snippets_highlight_in_the_original_script_and_cite_the_paragraph() {
    let dir = fixture_data();
    let r = search(dir, "无障碍设施", Filters::default());
    let hit = &r.hits[0];
    assert_eq!(hit.clause_id, "tongan.library-measures/art2");
    // Only the second paragraph matches: the citation names it, as Taiwan numbers paragraphs
    // (項).
    assert_eq!(hit.label, "第二條第二項");
    assert_eq!(hit.paragraph, Some(2));
    assert_eq!(hit.citation(), "《同安市圖書館管理辦法》第二條第二項");
    assert_eq!(
        hit.snippet.html(),
        "圖書館應為身心障礙讀者提供<mark>無障礙設施</mark>及特殊版本資料。"
    );
    let r = search(dir, "单独保存", Filters::default());
    assert_eq!(
        r.hits[0].snippet.html(),
        "标注为&lt;重要&gt;的文献 &amp; 资料，图书馆应当<mark>单独保存</mark>。"
    );
}

#[test]
fn real_snippets_show_matches_in_context() {
    let Some(dir) = real_data() else { return };
    let r = search(dir, "公共图书馆 免费开放", Filters::default());
    let art2 = r
        .hits
        .iter()
        .find(|h| h.clause_id == "cn.national.public-library-law-2018.md/art2")
        .expect("第二条 defines public libraries as open free of charge");
    assert_eq!(art2.label, "第二条第一款");
    let html = art2.snippet.html();
    assert!(html.contains("<mark>公共图书馆</mark>"), "{html}");
    assert!(html.contains("<mark>免费开放</mark>"), "{html}");
    for h in &r.hits {
        assert!(
            h.snippet.plain().chars().count() <= 64,
            "{}",
            h.snippet.plain()
        );
    }
}

// 8 ------------------------------------------------------------------------------------------

#[test]
fn binary_exit_codes_and_messages() {
    let dir = scratch("cli");
    let m = fixture_manifest();
    let (code, out, _) = lawdex(&["index", m.to_str().unwrap()], &dir);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("indexed 3 documents, 10 clauses"), "{out}");

    let (code, out, _) = lawdex(&["search", "图书馆 公开"], &dir);
    assert_eq!(code, 0);
    assert!(out.contains("《清河县图书馆服务规定》第三条"), "{out}");
    assert!(
        out.contains("[图书馆]"),
        "pipes get brackets, not colour: {out}"
    );

    let (code, out, _) = lawdex(&["search", "核武器"], &dir);
    assert_eq!((code, out.trim()), (1, "no clause matches"));

    let (code, _, err) = lawdex(&["search", "图书馆 \"免费"], &dir);
    assert_eq!(code, 2);
    assert_eq!(
        err.trim(),
        "lawdex: malformed query: unbalanced quote at column 5"
    );

    let (code, _, err) = lawdex(&["search", "x", "--year", "2020..2010"], &dir);
    assert_eq!(code, 2, "{err}");

    let (code, out, _) = lawdex(&["search", "library", "--format", "json"], &dir);
    assert_eq!(code, 0);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let hit = &v["hits"][0];
    for key in [
        "clause_id",
        "doc_id",
        "source",
        "label",
        "title",
        "score",
        "snippet",
        "jurisdiction",
        "level",
        "year",
    ] {
        assert!(!hit[key].is_null(), "{key} missing in {hit}");
    }
    assert!(hit["source"]
        .as_str()
        .unwrap()
        .ends_with("riverton-library-act.md"));

    let (code, out, _) = lawdex(
        &["search", "图书馆", "--format", "csv", "--limit", "1"],
        &dir,
    );
    assert_eq!(code, 0);
    assert_eq!(out.lines().count(), 2, "{out}");

    let (code, out, _) = lawdex(&["show", "tongan.library-measures/art2/para2"], &dir);
    assert_eq!(code, 0);
    assert!(
        out.starts_with("《同安市圖書館管理辦法》第二條第二項\n"),
        "{out}"
    );
    let (code, out, _) = lawdex(&["show", "riverton.library-act"], &dir);
    assert_eq!(code, 0);
    assert!(
        out.contains("Section 2 Free services  [riverton.library-act/s2]"),
        "{out}"
    );
    let (code, _, err) = lawdex(&["show", "no-such-doc"], &dir);
    assert_eq!(code, 1);
    assert!(err.contains("no clause or document"), "{err}");

    // A file that fails makes the run partial (exit 1), the rest is indexed.
    let bad = dir.join("broken.pdf");
    std::fs::write(&bad, b"%PDF-1.7 broken").unwrap();
    let (code, out, _) = lawdex(&["index", bad.to_str().unwrap(), m.to_str().unwrap()], &dir);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("failed 1:") && out.contains("broken.pdf"),
        "{out}"
    );

    let (code, _, err) = lawdex(&["search", "x"], &dir.join("nowhere"));
    assert_eq!(code, 2);
    assert!(err.contains("run `lawdex index` first"), "{err}");
}

// 9 ------------------------------------------------------------------------------------------

#[derive(Debug, serde::Deserialize)]
struct Judgments {
    query: Vec<Judged>,
}

#[derive(Debug, serde::Deserialize)]
struct Judged {
    id: String,
    q: String,
    #[serde(default)]
    relevant: Vec<Relevant>,
}

#[derive(Debug, serde::Deserialize)]
struct Relevant {
    file: String,
    label: String,
    grade: u32,
}

#[derive(Debug, serde::Deserialize)]
struct Floor {
    ndcg10: f64,
    recall10: f64,
    empty_answers: f64,
}

fn squash(s: &str) -> String {
    // Case too: H.R. 2740's paragraphs are labelled by their lowercased headings.
    s.chars()
        .filter(|c| !c.is_whitespace())
        .flat_map(char::to_lowercase)
        .collect()
}

/// The judged items a hit stands for: those whose file is the hit's source, or the source
/// of one of its copies or of another version whose article reads the same (a collapsed hit
/// shows them all), and whose label is the clause's or the cited paragraph's.
fn matched<'q>(q: &'q Judged, h: &Hit) -> Vec<&'q Relevant> {
    let mut sources = vec![h.source.as_str()];
    sources.extend(h.copies.iter().map(|c| c.source.as_str()));
    sources.extend(
        h.versions
            .iter()
            .filter(|v| v.text == Some("same"))
            .map(|v| v.source.as_str()),
    );
    let labels = [h.clause_label.as_str(), h.label.as_str()];
    q.relevant
        .iter()
        .filter(|r| sources.iter().any(|s| s.ends_with(&r.file)))
        .filter(|r| labels.iter().any(|l| squash(l) == squash(&r.label)))
        .collect()
}

/// One judged article of one law: items judged on several copies or versions of a law with
/// the same label are one unit (found once, counted once).
fn unit(works: &BTreeMap<String, String>, r: &Relevant) -> (String, String) {
    let work = works
        .iter()
        .find(|(source, _)| source.ends_with(&r.file))
        .map_or_else(|| r.file.clone(), |(_, w)| w.clone());
    (work, squash(&r.label))
}

fn dcg(grades: impl Iterator<Item = u32>) -> f64 {
    grades
        .enumerate()
        .map(|(i, g)| (2f64.powi(g as i32) - 1.0) / ((i + 2) as f64).log2())
        .sum()
}

/// Mean figures of one evaluation run.
#[derive(Debug, Clone, Copy)]
struct Scores {
    ndcg10: f64,
    recall10: f64,
    /// Share of no-answer queries answered with no hit.
    empty_answers: f64,
}

fn judgments(file: &str) -> Judgments {
    toml::from_str(&std::fs::read_to_string(fixtures_dir().join(file)).unwrap()).unwrap()
}

/// Runs every judged query (10 hits) and scores the ranking; `verbose` prints each query.
fn evaluate(searcher: &Searcher, judged: &Judgments, verbose: bool) -> Scores {
    evaluate_in(searcher, judged, verbose, Scope::Current)
}

/// [`evaluate`] with the versions of each law searched as `scope` says.
fn evaluate_in(searcher: &Searcher, judged: &Judgments, verbose: bool, scope: Scope) -> Scores {
    let (mut ndcg_sum, mut recall_sum, mut answerable) = (0.0, 0.0, 0);
    let (mut empty_ok, mut unanswerable) = (0, 0);
    // source → work id, to make units of the judged items.
    let infos = searcher.index().snapshot().unwrap().infos().unwrap();
    let grouped = Works::group(infos.values());
    let works: BTreeMap<String, String> = infos
        .values()
        .filter_map(|i| Some((i.source.clone(), grouped.of(&i.id)?.0.id.clone())))
        .collect();
    for q in &judged.query {
        let mut query = Query::parse(&q.q).unwrap();
        query.limit = 10;
        query.scope = scope;
        let r = searcher.search(&query).unwrap();
        // A unit found again (another copy or version of an article already ranked) gains
        // nothing: the ideal ranking lists each unit once.
        let mut found_units = std::collections::BTreeSet::new();
        let grades: Vec<u32> = r
            .hits
            .iter()
            .map(|h| {
                let items = matched(q, h);
                let new = items
                    .iter()
                    .filter(|i| found_units.insert(unit(&works, i)))
                    .count();
                if new == 0 {
                    0
                } else {
                    items.iter().map(|i| i.grade).max().unwrap_or(0)
                }
            })
            .collect();
        let mut units: BTreeMap<(String, String), u32> = BTreeMap::new();
        for i in &q.relevant {
            let g = units.entry(unit(&works, i)).or_default();
            *g = (*g).max(i.grade);
        }
        if q.relevant.is_empty() {
            unanswerable += 1;
            empty_ok += usize::from(r.hits.is_empty());
            if verbose {
                eprintln!(
                    "{} {:>2} hits (no answer expected)  {}",
                    q.id,
                    r.hits.len(),
                    q.q
                );
            }
            continue;
        }
        answerable += 1;
        let mut ideal: Vec<u32> = units.values().copied().collect();
        ideal.sort_unstable_by(|a, b| b.cmp(a));
        let ndcg = dcg(grades.iter().copied()) / dcg(ideal.into_iter().take(10));
        let found = found_units.len();
        let recall = found as f64 / units.len() as f64;
        ndcg_sum += ndcg;
        recall_sum += recall;
        if verbose {
            eprintln!(
                "{} nDCG@10 {ndcg:.3} recall@10 {recall:.3} ({found}/{}) {}{}",
                q.id,
                units.len(),
                q.q,
                if r.relaxed { "  [relaxed]" } else { "" }
            );
        }
    }
    let scores = Scores {
        ndcg10: ndcg_sum / answerable.max(1) as f64,
        recall10: recall_sum / answerable.max(1) as f64,
        empty_answers: empty_ok as f64 / unanswerable.max(1) as f64,
    };
    if verbose {
        eprintln!(
            "mean over {answerable} answerable queries: nDCG@10 {:.4} recall@10 {:.4}; \
             no-answer queries answered with nothing: {empty_ok}/{unanswerable}",
            scores.ndcg10, scores.recall10
        );
    }
    scores
}

/// Runs the judged queries of `file` and checks the means against the floor `split` of
/// tests/fixtures/relevance-floor.toml.
fn relevance_meets_floor(file: &str, split: &str) {
    let Some(dir) = real_data() else { return };
    let floor: BTreeMap<String, Floor> = toml::from_str(
        &std::fs::read_to_string(fixtures_dir().join("relevance-floor.toml")).unwrap(),
    )
    .unwrap();
    let floor = &floor[split];
    eprintln!("{file}:");
    let s = evaluate(&Searcher::open(dir).unwrap(), &judgments(file), true);
    assert!(
        s.ndcg10 >= floor.ndcg10,
        "{file}: nDCG@10 {:.4} < floor {}",
        s.ndcg10,
        floor.ndcg10
    );
    assert!(
        s.recall10 >= floor.recall10,
        "{file}: recall@10 {:.4} < floor {}",
        s.recall10,
        floor.recall10
    );
    assert!(
        s.empty_answers >= floor.empty_answers,
        "{file}: no-answer accuracy {:.3} < floor {}",
        s.empty_answers,
        floor.empty_answers
    );
}

/// Every judged item of every relevance set names a clause the index holds: a label the
/// parsers never produce (a typo, a paragraph written into the label) would count as a miss
/// whatever the ranking.
#[test]
fn every_judged_item_names_an_indexed_clause() {
    let Some(dir) = real_data() else { return };
    let searcher = Searcher::open(dir).unwrap();
    let docs = searcher.index().documents().unwrap();
    let mut missing = Vec::new();
    let mut files: Vec<_> = std::fs::read_dir(fixtures_dir())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|f| {
            f.starts_with("relevance") && f.ends_with(".toml") && f != "relevance-floor.toml"
        })
        .collect();
    files.sort();
    assert!(files.len() >= 8, "{files:?}");
    for file in &files {
        for q in &judgments(file).query {
            for r in &q.relevant {
                let found = docs.iter().any(|d| {
                    d.info.source.ends_with(&r.file)
                        && d.clauses
                            .iter()
                            .any(|c| squash(&c.label) == squash(&r.label))
                });
                // A held-out item is named by its query only: its labels stay unread.
                match (found, file.contains("heldout")) {
                    (true, _) => {}
                    (false, true) => missing.push(format!("{file} {}", q.id)),
                    (false, false) => {
                        missing.push(format!("{file} {} {} {}", q.id, r.file, r.label))
                    }
                }
            }
        }
    }
    assert!(missing.is_empty(), "{}", missing.join("\n"));
}

#[test]
fn relevance_stays_at_or_above_the_recorded_floor() {
    relevance_meets_floor("relevance.toml", "lawdex");
}

/// The second development set: cross-language and paraphrase queries, judged independently,
/// on which the translation weight was chosen.
#[test]
fn second_development_set_stays_at_or_above_its_floor() {
    relevance_meets_floor("relevance-dev2.toml", "dev2");
}

/// The third development set (24 queries: Chinese keywords and questions, English,
/// cross-language, no-answer), judged independently before any run; the sentence reading of
/// Chinese queries was decided on it together with the other two.
#[test]
fn third_development_set_stays_at_or_above_its_floor() {
    relevance_meets_floor("relevance-dev3.toml", "dev3");
}

/// The fourth development set (30 queries, a third of them cross-language), judged
/// independently before any run.
#[test]
fn fourth_development_set_stays_at_or_above_its_floor() {
    relevance_meets_floor("relevance-dev4.toml", "dev4");
}

/// Queries written and judged by someone who never saw lawdex, its synonyms or its output;
/// nothing in the ranking or the synonyms is tuned on them. This is the figure we report.
#[test]
fn held_out_relevance_stays_at_or_above_its_floor() {
    relevance_meets_floor("relevance-heldout.toml", "heldout");
}

/// The fifth development set (30 queries, a third cross-language), judged independently
/// before any run.
#[test]
fn fifth_development_set_stays_at_or_above_its_floor() {
    relevance_meets_floor("relevance-dev5.toml", "dev5");
}

/// The sixth development set (30 queries), judged independently on 2026-12-07 before any
/// run, on topics none of the earlier sets had.
#[test]
fn sixth_development_set_stays_at_or_above_its_floor() {
    relevance_meets_floor("relevance-dev6.toml", "dev6");
}

/// A second held-out set (30 queries), written and judged on 2026-12-06 by an independent
/// judge who read only the laws, after the first held-out set's per-query lines had been seen
/// by the developers (RESULTS-search.md). Nothing is tuned on it.
#[test]
fn second_held_out_set_stays_at_or_above_its_floor() {
    relevance_meets_floor("relevance-heldout-2.toml", "heldout2");
}

/// A third held-out set (30 queries), written and judged on 2026-12-06 (ninth session) by an
/// independent judge who read only the laws, after the second set had informed one decision
/// (RESULTS-search.md). Nothing is tuned on it.
#[test]
fn third_held_out_set_stays_at_or_above_its_floor() {
    relevance_meets_floor("relevance-heldout-3.toml", "heldout3");
}

/// A fourth held-out set (30 queries), written and judged on 2026-12-07 (eleventh session) by
/// an independent judge who read only the laws, after notes of the third set's queries had been
/// seen by the developers (RESULTS-search.md). Nothing is tuned on it.
#[test]
fn fourth_held_out_set_stays_at_or_above_its_floor() {
    relevance_meets_floor("relevance-heldout-4.toml", "heldout4");
}

/// What collapsing copies and versions (issue 12) does to the judged queries: the same
/// grading with every version and copy searched, then with one hit per article of a law's
/// version in force:
/// `cargo test --test it relevance_with_and_without_collapsing -- --ignored --nocapture`.
#[test]
#[ignore = "a measurement, not a check"]
fn relevance_with_and_without_collapsing() {
    let Some(dir) = real_data() else { return };
    let searcher = Searcher::open(dir).unwrap();
    for file in ["relevance.toml", "relevance-heldout.toml"] {
        let judged = judgments(file);
        for (name, scope) in [("all versions", Scope::All), ("collapsed", Scope::Current)] {
            let s = evaluate_in(&searcher, &judged, false, scope);
            eprintln!(
                "{file} {name}: nDCG@10 {:.4} recall@10 {:.4} no-answer {:.2}",
                s.ndcg10, s.recall10, s.empty_answers
            );
        }
    }
}

/// The measurements behind the defaults of `Tuning` (benches/RESULTS-search.md):
/// `cargo test --test it relevance_of_ranking_variants -- --ignored --nocapture`.
#[test]
#[ignore = "a measurement, not a check"]
fn relevance_of_ranking_variants() {
    use lawdex::search::Tuning;
    let Some(dir) = real_data() else { return };
    let judged = judgments("relevance.toml");
    let base = Tuning::default();
    // The choices that lost (jieba query splitting, relaxing to any word or never, keeping
    // stop words, adjacency bonuses, other run splits, no fill) were removed from the code;
    // their figures stay in benches/RESULTS-search.md.
    let variants: Vec<(&str, Tuning)> = vec![
        ("default", base.clone()),
        (
            "grams weight 0.25",
            Tuning {
                grams_boost: 0.25,
                ..base.clone()
            },
        ),
        (
            "grams weight 1.0",
            Tuning {
                grams_boost: 1.0,
                ..base.clone()
            },
        ),
    ];
    eprintln!("| variant | nDCG@10 | recall@10 | no-answer queries empty |");
    eprintln!("|---|---|---|---|");
    for (name, tuning) in variants {
        let searcher = Searcher::open(dir).unwrap().with_tuning(tuning);
        // LAWDEX_VARIANT=name prints that variant query by query.
        let verbose = std::env::var("LAWDEX_VARIANT").is_ok_and(|v| v == name);
        let s = evaluate(&searcher, &judged, verbose);
        eprintln!(
            "| {name} | {:.4} | {:.4} | {:.2} |",
            s.ndcg10, s.recall10, s.empty_answers
        );
    }
}

/// The measurements behind the synonym defaults of `Tuning` (benches/RESULTS-synonyms.md):
/// `cargo test --test it relevance_of_synonym_variants -- --ignored --nocapture`.
#[test]
#[ignore = "a measurement, not a check"]
fn relevance_of_synonym_variants() {
    use lawdex::search::Tuning;
    let Some(dir) = real_data() else { return };
    let base = Tuning::default();
    let with = |synonym_weight: f32, synonym_tie_breaker: f32| Tuning {
        synonym_weight,
        synonym_tie_breaker,
        ..base.clone()
    };
    let translation = |translation_weight: f32| Tuning {
        translation_weight,
        ..base.clone()
    };
    let variants: Vec<(&str, Tuning)> = vec![
        ("default", base.clone()),
        ("no synonyms (--exact)", with(0.0, 0.0)),
        ("synonym weight 0.5", with(0.5, 0.1)),
        ("synonym weight 1.0", with(1.0, 0.1)),
        ("tie-breaker 0 (best form only)", with(0.8, 0.0)),
        ("tie-breaker 0.3", with(0.8, 0.3)),
        ("tie-breaker 1 (sum of forms)", with(0.8, 1.0)),
        (
            "narrower weight 1 (as an equivalent)",
            Tuning {
                narrower_weight: 1.0,
                ..base.clone()
            },
        ),
        (
            "narrower weight 0.5",
            Tuning {
                narrower_weight: 0.5,
                ..base.clone()
            },
        ),
        ("no translations", translation(0.0)),
        ("translation weight 0.1", translation(0.1)),
        ("translation weight 0.35", translation(0.35)),
        ("translation weight 0.5", translation(0.5)),
        ("translation weight 0.8", translation(0.8)),
    ];
    for file in [
        "relevance.toml",
        "relevance-dev2.toml",
        "relevance-dev3.toml",
        "relevance-dev4.toml",
    ] {
        let judged = judgments(file);
        eprintln!("{file}:");
        eprintln!("| variant | nDCG@10 | recall@10 | no-answer queries empty |");
        eprintln!("|---|---|---|---|");
        for (name, tuning) in &variants {
            let searcher = Searcher::open(dir).unwrap().with_tuning(tuning.clone());
            let verbose = std::env::var("LAWDEX_VARIANT").is_ok_and(|v| v == *name);
            let s = evaluate(&searcher, &judged, verbose);
            eprintln!(
                "| {name} | {:.4} | {:.4} | {:.2} |",
                s.ndcg10, s.recall10, s.empty_answers
            );
        }
    }
}

// 10 -----------------------------------------------------------------------------------------
// Synonyms (src/search/synonyms.toml): a paraphrase finds what the laws say, ranked below the
// word as typed; --exact and quoted phrases take the word as typed.

fn search_exact(dir: &Path, q: &str, exact: bool) -> Results {
    let mut query = Query::parse(q).unwrap();
    query.limit = 50;
    query.exact = exact;
    Searcher::open(dir).unwrap().search(&query).unwrap()
}

#[test]
fn a_paraphrase_finds_the_words_the_laws_use() {
    let Some(dir) = real_data() else { return };
    // No law in corpus/real writes 视障 (colloquial "visually impaired"). Shanghai's library
    // regulations give 视力障碍者 a reading area (第二十八条, second paragraph); its
    // public-culture regulations give 盲人 one (第二十四条); the barrier-free law has
    // 盲人 and 低视力 textbooks (第三十一条).
    assert!(search_exact(dir, "视障", true).hits.is_empty());
    assert!(search_exact(dir, "\"视障\"", false).hits.is_empty());
    let r = search_exact(dir, "视障 阅读", false);
    let hit = |id: &str| r.hits.iter().find(|h| h.clause_id == id);
    let library = hit("cn.shanghai.shanghai-public-library-regulations-2024.md/art28")
        .expect("视力障碍者阅读专区");
    assert!(library.all_words);
    // 阅读 is in the third paragraph too (阅读障碍者); the snippet shows the second.
    assert_eq!(library.snippet.paragraph, 2);
    // The synonym that matched is marked (here joined with the adjacent 阅读).
    assert!(
        library
            .snippet
            .html()
            .contains("<mark>视力障碍者阅读</mark>"),
        "{}",
        library.snippet.html()
    );
    let culture = hit("cn.shanghai.shanghai-public-cultural-service-regulations-2020.md/art24")
        .expect("盲人有声阅读专区");
    assert!(culture.all_words);
    assert!(culture.snippet.html().contains("<mark>盲人</mark>"));
    assert!(hit("cn.national.barrier-free-environment-law-2023.html/art31").is_some());
    assert!(r.expansions.iter().any(|e| e.word == "视障"));
}

/// Issue 9: 视障读者 listed the criminal law's article on crimes by the blind (盲人, a
/// narrower term of 视障) first among the Chinese hits, above Shanghai's reading area for
/// readers with visual impairments (视力障碍者, an equivalent). No clause has both words.
#[test]
fn visually_impaired_readers_find_the_reading_area_before_the_criminal_law() {
    let Some(dir) = real_data() else { return };
    let r = search_exact(dir, "视障读者", false);
    let chinese: Vec<&str> = r
        .hits
        .iter()
        .filter(|h| h.clause_id.starts_with("cn."))
        .map(|h| h.clause_id.as_str())
        .collect();
    assert_eq!(
        chinese.first(),
        Some(&"cn.shanghai.shanghai-public-library-regulations-2024.md/art28"),
        "{chinese:?}"
    );
    let rank = |id: &str| chinese.iter().position(|c| *c == id);
    let criminal = chinese
        .iter()
        .position(|c| c.contains("criminal-law"))
        .unwrap();
    assert!(rank("cn.national.barrier-free-environment-law-2023.html/art31").unwrap() < criminal);
}

/// Issue 9: on the bulk corpus 视障读者 listed seven clauses repeating 读者 before any on the
/// visually impaired, and 无障碍环境建设条例 第二十二条 (视力残疾人阅览室) tenth. 读者 beside
/// a group of people is no concept of the question: the clauses naming the group come first.
#[test]
fn visually_impaired_readers_on_bulk_laws_find_the_group_before_clauses_on_any_reader() {
    let Some(shared) = shared_dir() else { return };
    let dir = scratch("bulk-readers");
    let members = [
        "行政法规/无障碍环境建设条例(2012-06-28).md",
        "DLC/北京地方法规/地方性法规/北京/北京市图书馆条例.md",
        "DLC/上海地方法规/地方性法规/上海/上海市公共图书馆条例(2024-11-28).md",
        "DLC/浙江地方法规/地方性法规/浙江/宁波市全民阅读促进条例(2019-12-13).md",
    ]
    .map(String::from);
    std::fs::create_dir_all(dir.join("laws")).unwrap();
    let root = unpack_bulk(&shared, &members, &dir.join("laws"));
    let data = dir.join("data");
    let report = ingest(&[root], &data, &IngestOptions::default(), &Quiet).unwrap();
    assert_eq!(report.indexed.len(), 4, "{:?}", report.failed);
    let r = search_exact(&data, "视障读者", false);
    // Whether the hit marks a word other than 读者 and its synonyms: the group (视力残疾人,
    // 视障人士, 盲人).
    let reader = ["读者", "图书馆使用者", "图书馆用户"];
    let marked: Vec<(&str, Vec<&str>)> = r
        .hits
        .iter()
        .map(|h| {
            let words = h.snippet.fragments.iter().filter(|f| f.highlighted);
            let words = words.map(|f| f.text.as_str()).collect();
            (h.clause_id.as_str(), words)
        })
        .collect();
    let names_group: Vec<bool> = marked
        .iter()
        .map(|(_, words)| words.iter().any(|w| !reader.contains(w)))
        .collect();
    let first_without = names_group
        .iter()
        .position(|g| !g)
        .unwrap_or(names_group.len());
    assert!(first_without >= 5, "{marked:?}");
    assert!(
        names_group[first_without..].iter().all(|g| !g),
        "{marked:?}"
    );
    let reading_room = marked
        .iter()
        .position(|(id, _)| id.contains("无障碍环境建设条例") && id.ends_with("/art22"));
    assert!(
        reading_room.is_some_and(|i| i < first_without),
        "{marked:?}"
    );
}

#[test]
fn the_word_as_typed_ranks_above_its_synonyms() {
    let Some(dir) = real_data() else { return };
    // Both Shanghai clauses are about reading areas for the blind: the one that says
    // 视力障碍 comes before the one that says 盲人 when the query says 视力障碍.
    let r = search_exact(dir, "视力障碍 阅读", false);
    let rank = |id: &str| r.hits.iter().position(|h| h.clause_id == id).unwrap();
    assert!(
        rank("cn.shanghai.shanghai-public-library-regulations-2024.md/art28")
            < rank("cn.shanghai.shanghai-public-cultural-service-regulations-2020.md/art24")
    );
}

/// `--status` reads a document's version within its law where its manifest says nothing (the
/// real corpus has no manifest statuses): the versions in force and the superseded ones part
/// the whole, and each hit's version status is the one asked for.
#[test]
fn the_status_filter_finds_versions_by_their_status_in_their_law() {
    let Some(dir) = real_data() else { return };
    let count = |statuses: &[&str]| -> (usize, Vec<String>) {
        let mut query = Query::parse("图书馆").unwrap();
        query.filters = Filters {
            statuses: statuses.iter().map(|s| s.to_string()).collect(),
            ..Filters::default()
        };
        query.scope = Scope::All;
        query.limit = 1000;
        let r = Searcher::open(dir).unwrap().search(&query).unwrap();
        let seen = r
            .hits
            .iter()
            .map(|h| h.version_status.clone().unwrap_or_default())
            .collect();
        (r.total, seen)
    };
    let (all, _) = count(&[]);
    let (in_force, statuses) = count(&["in-force"]);
    let (superseded, old) = count(&["superseded"]);
    assert!(in_force > 0 && superseded > 0, "{in_force} {superseded}");
    assert_eq!(in_force + superseded, all);
    assert!(statuses.iter().all(|s| s == "in-force"), "{statuses:?}");
    assert!(old.iter().all(|s| s == "superseded"), "{old:?}");
    assert_eq!(count(&["repealed"]).0, 0);
}
