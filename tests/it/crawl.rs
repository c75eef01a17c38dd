//! `lawdex crawl` and `lawdex update` against a mock official site (tests/it/mock_site.rs)
//! built at test time from real laws in ../shared/corpus/real:
//! 1. the crawl fetches robots.txt first, never a disallowed or off-site URL, no URL twice,
//!    keeps the delay between requests to the host (the server's arrival times), and
//!    `lawdex update` indexes every law with the article count `lawdex parse --summary` gives
//!    for the same real file (a UTF-8 page, a GBK page sent without any charset, a PDF that
//!    a notice page carries as its 附件);
//! 2. server faults: a 503 with Retry-After then a 200 is recovered no earlier than
//!    Retry-After; a page slower than the timeout, a body that stalls past it (not retried), a
//!    body cut mid-way (retried twice), a body over the size
//!    limit and a redirect out of scope each fail alone with one line naming the URL (exit 1);
//!    a listed URL redirecting to another listed URL is fetched once and is one document.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::Duration;

use lawdex::crawl::listing::doc_id;
use lawdex::index::read_documents;

pub use crate::common::lawdex_in as lawdex;
use crate::common::{real_dir, shared_dir};
use crate::mock_site::{Fault, MockSite, Route};

pub const SICHUAN_HTML: &str = "cn/sichuan/sichuan-public-library-regulations-2024.html";
pub const SHANGHAI_MD: &str = "cn/shanghai/shanghai-public-library-regulations-2024.md";
pub const LIBRARY_LAW_PDF: &str = "pdf/public-library-law-2018.chromium.pdf";

pub fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

pub fn json(out: &Output) -> serde_json::Value {
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "{e}: {}{}",
            String::from_utf8_lossy(&out.stdout),
            stderr(out)
        )
    })
}

/// The article count `lawdex parse --summary` gives for a file.
pub fn articles_of(file: &Path) -> u64 {
    let out = Command::new(env!("CARGO_BIN_EXE_lawdex"))
        .args(["parse", "--summary", "--format", "jsonl"])
        .arg(file)
        .output()
        .expect("run lawdex parse");
    let line: serde_json::Value = serde_json::from_slice(&out.stdout).expect("one jsonl line");
    line["articles"].as_u64().expect("articles")
}

/// A Markdown law rendered as a plain official HTML page (one `<p>` per line).
pub fn md_to_html(md: &str) -> String {
    let mut html = String::from("<html><head><title>法规</title></head><body>\n");
    for line in md.lines().map(str::trim) {
        if line.is_empty() || line.starts_with("<!--") {
            continue;
        }
        if let Some(title) = line.strip_prefix("# ") {
            html.push_str(&format!("<h1>{title}</h1>\n"));
        } else {
            html.push_str(&format!("<p>{}</p>\n", line.trim_start_matches('#').trim()));
        }
    }
    html.push_str("</body></html>\n");
    html
}

pub fn gbk(text: &str) -> Vec<u8> {
    let (bytes, _, errors) = encoding_rs::GBK.encode(text);
    assert!(!errors, "the text fits GBK");
    bytes.into_owned()
}

/// A law page route with validators, as an official server sends them.
pub fn page(content_type: &str, body: Vec<u8>, etag: &str) -> Route {
    Route::new(200, content_type, body)
        .header("ETag", &format!("\"{etag}\""))
        .header("Last-Modified", "Tue, 01 Oct 2024 08:00:00 GMT")
}

/// The official site: two listing pages whose pager links both pages, a UTF-8 detail page,
/// a GBK detail page without any charset, a notice whose law is a PDF 附件, a link into a
/// robots-disallowed folder, an off-site link (to `offsite`), a link back to the first
/// listing page, and optionally a 404.
pub struct Site {
    pub site: MockSite,
    pub offsite: MockSite,
    pub real: PathBuf,
    pub tmp: tempfile::TempDir,
    pub manifest: PathBuf,
    pub data: PathBuf,
    /// The Shanghai law as served (UTF-8 text before GBK encoding), for edits.
    pub shanghai_html: String,
    /// The two listing pages as served, for edits.
    pub index1: String,
    pub index2: String,
}

pub const SC: &str = "/flfg/detail/sc-library.html";
pub const SH: &str = "/flfg/detail/sh-library.html";
pub const NOTICE: &str = "/flfg/notice/pll.html";
pub const PDF: &str = "/flfg/files/pll-2018.pdf";
pub const GONE: &str = "/flfg/detail/gone.html";

impl Site {
    pub fn build(with_404: bool, delay: &str) -> Option<Site> {
        let shared = shared_dir()?;
        let real = real_dir()?;
        let site = MockSite::start();
        let offsite = MockSite::start();
        site.route(
            "/robots.txt",
            Route::new(
                200,
                "text/plain",
                "User-agent: *\nDisallow: /flfg/private/\nCrawl-delay: 0.1\n",
            ),
        );
        let gone = if with_404 {
            r#"<li><a href="detail/gone.html#top">已废止</a></li>"#
        } else {
            ""
        };
        let pager =
            r#"<div class="pager"><a href="index.html">1</a> <a href="index_2.html">2</a></div>"#;
        let index1 = format!(
            "<html><head><meta charset=\"utf-8\"><title>法规库</title></head><body><ul class=\"list\">\
             <li><a href=\"detail/sc-library.html\">四川省公共图书馆条例</a></li>\
             <li><a href=\"detail/sh-library.html\">上海市公共图书馆条例</a></li>\
             <li><a href=\"private/draft.html\">内部草案</a></li>\
             <li><a href=\"{}\">外站</a></li>{gone}</ul>{pager}</body></html>",
            offsite.url("/flfg/elsewhere.html")
        );
        let index2 = format!(
            "<html><head><meta charset=\"utf-8\"><title>法规库 2</title></head><body><ul class=\"list\">\
             <li><a href=\"notice/pll.html\">关于公布中华人民共和国公共图书馆法的通知</a></li>\
             <li><a href=\"index.html\">返回第一页</a></li>\
             <li><a href=\"/flfg/detail/sc-library.html\">四川省公共图书馆条例</a></li>\
             </ul>{pager}</body></html>"
        );
        site.route(
            "/flfg/index.html",
            page("text/html; charset=utf-8", index1.clone().into(), "i1"),
        );
        site.route(
            "/flfg/index_2.html",
            page("text/html; charset=utf-8", index2.clone().into(), "i2"),
        );
        let sichuan = std::fs::read(real.join(SICHUAN_HTML)).expect("read a real law");
        site.route(SC, page("text/html; charset=utf-8", sichuan, "sc1"));
        let shanghai_html =
            md_to_html(&std::fs::read_to_string(real.join(SHANGHAI_MD)).expect("read a real law"));
        // Old servers send GBK pages as plain `text/html`, with no charset anywhere.
        site.route(SH, page("text/html", gbk(&shanghai_html), "sh1"));
        let notice = "<html><head><meta charset=\"utf-8\"><title>通知</title></head><body>\
             <h1>关于公布中华人民共和国公共图书馆法的通知</h1><p>现予公布，自公布之日起施行。</p>\
             <p><a href=\"../files/pll-2018.pdf\">附件：中华人民共和国公共图书馆法</a></p></body></html>";
        site.route(
            NOTICE,
            page("text/html; charset=utf-8", notice.into(), "n1"),
        );
        let pdf = std::fs::read(shared.join("corpus").join(LIBRARY_LAW_PDF)).expect("read a PDF");
        site.route(PDF, page("application/pdf", pdf, "pdf1"));
        site.route(
            "/flfg/private/draft.html",
            Route::html("<p>第一条 内部草案</p>"),
        );
        let tmp = tempfile::tempdir().expect("tempdir");
        let manifest = tmp.path().join("site.toml");
        std::fs::write(
            &manifest,
            format!(
                r#"[crawl]
user_agent = "lawdex-test/0.1 (+https://example.org/lawdex)"
delay = "{delay}"
timeout = "5s"
max_bytes = "10MB"

[[listing]]
id = "site"
start = "{start}"
links = "ul.list a"
next = "div.pager a"
scope = "{scope}"
max_pages = 10
defaults = {{ jurisdiction = "CN", level = "provincial", kind = "local-regulation", language = "zh-Hans" }}
"#,
                start = site.url("/flfg/index.html"),
                scope = site.url("/flfg/"),
            ),
        )
        .expect("write manifest");
        let data = tmp.path().join("data");
        Some(Site {
            site,
            offsite,
            real,
            tmp,
            manifest,
            data,
            shanghai_html,
            index1,
            index2,
        })
    }

    pub fn id(&self, path: &str) -> String {
        doc_id(&self.site.url(path))
    }

    pub fn update(&self, extra: &[&str]) -> Output {
        let mut args = vec!["update", "--format", "json"];
        args.extend_from_slice(extra);
        let m = self.manifest.to_str().expect("utf-8 path");
        args.push(m);
        lawdex(&self.data, &args)
    }

    /// Clauses per document id in the index.
    pub fn clauses(&self) -> std::collections::BTreeMap<String, usize> {
        read_documents(&self.data)
            .expect("read index")
            .into_iter()
            .map(|d| (d.info.id.clone(), d.clauses.len()))
            .collect()
    }
}

#[test]
fn a_polite_crawl_of_an_official_site_indexes_every_law() {
    let Some(s) = Site::build(true, "50ms") else {
        return;
    };
    let out = s.update(&[]);
    // The 404 is the one failure.
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let report = json(&out);
    let failed = report["failed"].as_array().expect("failed");
    assert_eq!(failed.len(), 1, "{failed:?}");
    assert!(failed[0]["url"].as_str().unwrap().ends_with(GONE));
    assert!(failed[0]["error"].as_str().unwrap().contains("404"));

    let requests = s.site.requests();
    let paths: Vec<&str> = requests.iter().map(|r| r.path.as_str()).collect();
    assert_eq!(paths[0], "/robots.txt", "robots.txt comes first: {paths:?}");
    assert!(
        !paths.iter().any(|p| p.starts_with("/flfg/private/")),
        "a robots-disallowed URL was requested: {paths:?}"
    );
    assert!(
        s.offsite.requests().is_empty(),
        "an off-site URL was requested"
    );
    let mut sorted = paths.clone();
    sorted.sort();
    sorted.dedup();
    assert_eq!(
        sorted.len(),
        paths.len(),
        "a URL was requested twice: {paths:?}"
    );
    for r in &requests {
        assert!(
            r.header("user-agent")
                .unwrap_or("")
                .starts_with("lawdex-test/0.1"),
            "{:?}",
            r.headers
        );
    }
    // Crawl-delay 0.1 is larger than `delay = "50ms"`, so it wins. The server stamps a
    // request when its head has arrived; a few ms of connection setup may fall on either side.
    let slack = Duration::from_millis(15);
    for w in requests.windows(2) {
        let gap = w[1].at.duration_since(w[0].at);
        assert!(
            gap + slack >= Duration::from_millis(100),
            "{} then {} only {gap:?} apart",
            w[0].path,
            w[1].path
        );
    }
    let expected = [
        (SC, articles_of(&s.real.join(SICHUAN_HTML))),
        (SH, articles_of(&s.real.join(SHANGHAI_MD))),
        (
            NOTICE,
            articles_of(&shared_dir().unwrap().join("corpus").join(LIBRARY_LAW_PDF)),
        ),
    ];
    let clauses = s.clauses();
    assert_eq!(clauses.len(), expected.len(), "{clauses:?}");
    for (path, articles) in expected {
        assert!(articles > 30, "{path}: {articles}");
        assert_eq!(
            clauses.get(&s.id(path)).map(|&n| n as u64),
            Some(articles),
            "{path} in {clauses:?}"
        );
    }
    // The raw bytes are in the store by hash, with a record per URL.
    let pdf = std::fs::read(shared_dir().unwrap().join("corpus").join(LIBRARY_LAW_PDF)).unwrap();
    let hash = blake3::hash(&pdf).to_hex().to_string();
    let object = s.data.join("store/objects").join(&hash[..2]).join(&hash);
    assert_eq!(std::fs::read(object).expect("the PDF is stored"), pdf);
}

#[test]
fn server_faults_fail_alone_and_a_retry_after_is_honoured() {
    let Some(real) = real_dir() else {
        return;
    };
    let site = MockSite::start();
    let offsite = MockSite::start();
    site.route(
        "/robots.txt",
        Route::new(200, "text/plain", "User-agent: *\nAllow: /\n"),
    );
    let law = gbk(&md_to_html(
        &std::fs::read_to_string(real.join(SHANGHAI_MD)).expect("read"),
    ));
    let big = std::fs::read(real.join(SICHUAN_HTML)).expect("read");
    assert!(big.len() > 1_000_000);
    let links = ["retry", "slow", "stall", "a", "b", "cut", "big", "out"]
        .map(|n| format!("<li><a href=\"{n}.html\">{n}</a></li>"))
        .concat();
    site.route(
        "/laws/index.html",
        Route::html(format!(
            "<html><body><ul class=\"list\">{links}</ul></body></html>"
        )),
    );
    site.routes_in_order(
        "/laws/retry.html",
        vec![
            Route::new(503, "text/html", "busy").header("Retry-After", "1"),
            Route::new(200, "text/html", law.clone()),
        ],
    );
    site.route(
        "/laws/slow.html",
        Route::new(200, "text/html", law.clone()).delay(Duration::from_secs(12)),
    );
    site.route(
        "/laws/stall.html",
        Route::new(200, "text/html", law.clone()).fault(Fault::StallMidBody),
    );
    site.route("/laws/a.html", Route::redirect(302, "/laws/b.html"));
    site.route("/laws/b.html", Route::new(200, "text/html", law.clone()));
    site.route(
        "/laws/cut.html",
        Route::new(200, "text/html", law.clone()).fault(Fault::CutMidBody),
    );
    // No Content-Length: the limit must hold while the body is read.
    site.route(
        "/laws/big.html",
        Route::new(200, "text/html; charset=utf-8", big).fault(Fault::NoLength),
    );
    site.route(
        "/laws/out.html",
        Route::redirect(301, &offsite.url("/laws/out.html")),
    );
    let tmp = tempfile::tempdir().expect("tempdir");
    let manifest = tmp.path().join("faults.toml");
    std::fs::write(
        &manifest,
        format!(
            // The timeout leaves a loaded 2-core machine room for the good pages; the slow
            // and stalled ones take 12 s.
            "[crawl]\ndelay = \"0s\"\ntimeout = \"4s\"\nmax_bytes = \"1MB\"\n\n\
             [[listing]]\nid = \"laws\"\nstart = \"{}\"\nlinks = \"ul.list a\"\nscope = \"{}\"\n",
            site.url("/laws/index.html"),
            site.url("/laws/")
        ),
    )
    .expect("write manifest");
    let data = tmp.path().join("data");
    let out = lawdex(
        &data,
        &["crawl", "--format", "json", manifest.to_str().unwrap()],
    );
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let report = json(&out);
    let err = stderr(&out);
    let failed_line = |name: &str| {
        let url = site.url(&format!("/laws/{name}.html"));
        let lines: Vec<&str> = err.lines().filter(|l| l.contains(&url)).collect();
        assert_eq!(lines.len(), 1, "one line names {url}:\n{err}");
        lines[0].to_string()
    };
    assert!(failed_line("slow").contains("timed out"), "{err}");
    assert!(failed_line("stall").contains("timed out"), "{err}");
    assert!(failed_line("big").contains("limit"), "{err}");
    assert!(failed_line("cut").contains("connection"), "{err}");
    assert!(failed_line("out").contains("scope"), "{err}");
    assert_eq!(err.lines().count(), 5, "{err}");
    assert!(
        offsite.requests().is_empty(),
        "the redirect out of scope was followed"
    );

    let docs = report["documents"].as_array().expect("documents");
    let stored: Vec<&str> = docs
        .iter()
        .filter(|d| d[1]["outcome"]["state"] == "stored")
        .map(|d| d[1]["url"].as_str().unwrap())
        .collect();
    // a.html redirects to b.html: one document, b.html requested once.
    assert_eq!(
        stored,
        [site.url("/laws/retry.html"), site.url("/laws/a.html")],
        "{docs:?}"
    );
    let requests = site.requests();
    let count = |p: &str| requests.iter().filter(|r| r.path == p).count();
    assert_eq!(count("/laws/b.html"), 1);
    assert_eq!(count("/laws/a.html"), 1);
    // A timeout is not retried; a cut connection is, twice.
    assert_eq!(count("/laws/stall.html"), 1);
    assert_eq!(count("/laws/cut.html"), 3);
    let retries: Vec<_> = requests
        .iter()
        .filter(|r| r.path == "/laws/retry.html")
        .collect();
    assert_eq!(retries.len(), 2);
    assert!(retries[1].at.duration_since(retries[0].at) >= Duration::from_secs(1));
}

#[test]
fn the_library_laws_manifest_names_every_library_law_with_its_metadata() {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("corpus-manifest/library-laws.toml");
    let m = lawdex::crawl::Manifest::load(&path).expect("library-laws.toml loads");
    assert!(m.crawl.user_agent.contains("(+http"), "a contact URL");
    assert!(m.sources.len() >= 20);
    for s in &m.sources {
        let meta = &s.meta;
        let id = meta.id.as_deref().unwrap_or_default();
        assert!(
            matches!(&s.location, lawdex::crawl::Location::Url(u) if u.starts_with("https://")),
            "{id}: an https url"
        );
        for (key, value) in [
            ("title", &meta.title),
            ("jurisdiction", &meta.jurisdiction),
            ("level", &meta.level),
            ("kind", &meta.kind),
            ("language", &meta.language),
            ("status", &meta.status),
        ] {
            assert!(value.is_some(), "{id} has no {key}");
        }
        assert!(meta.year.is_some(), "{id} has no year");
    }
    // Every library law of the real corpus is there, under its title.
    let Some(real) = real_dir() else {
        return;
    };
    let table = std::fs::read_to_string(real.join("SOURCES.tsv")).expect("SOURCES.tsv");
    let titles: Vec<&str> = m
        .sources
        .iter()
        .filter_map(|s| s.meta.title.as_deref())
        .collect();
    let mut library = 0;
    for row in table.lines().skip(1) {
        let cols: Vec<&str> = row.split('\t').collect();
        let (file, title) = (cols[0], cols[1]);
        // The 2017 text and the HTML rendering of the 2018 law are other copies of a law
        // the manifest names once (its current version).
        let copy = file.ends_with("public-library-law-2017.md")
            || file.ends_with("public-library-law-2018.html");
        if (file.contains("library") || file.starts_with("kr/")) && !copy {
            library += 1;
            assert!(titles.contains(&title), "{file} ({title}) is missing");
        }
    }
    assert!(library >= 15, "{library}");
}

/// A server that sends no validators: the second crawl's 200s hash as before and count as not
/// modified. Its robots.txt redirects, and the rules at the target still hold.
#[test]
fn unchanged_bytes_without_validators_are_not_modified_and_robots_redirects_are_followed() {
    let Some(real) = real_dir() else {
        return;
    };
    let site = MockSite::start();
    site.route("/robots.txt", Route::redirect(301, "/policy/robots.txt"));
    site.route(
        "/policy/robots.txt",
        Route::new(
            200,
            "text/plain",
            "User-agent: *\nDisallow: /laws/private\n",
        ),
    );
    let law = std::fs::read(real.join(SICHUAN_HTML)).expect("read");
    site.route(
        "/laws/a.html",
        Route::new(200, "text/html; charset=utf-8", law),
    );
    site.route("/laws/private.html", Route::html("<p>第一条 草案</p>"));
    let tmp = tempfile::tempdir().expect("tempdir");
    let manifest = tmp.path().join("m.toml");
    std::fs::write(
        &manifest,
        format!(
            "[crawl]\ndelay = \"0s\"\n\n[[source]]\nid = \"a\"\nurl = \"{}\"\n\n\
             [[source]]\nid = \"private\"\nurl = \"{}\"\n",
            site.url("/laws/a.html"),
            site.url("/laws/private.html")
        ),
    )
    .expect("write manifest");
    let data = tmp.path().join("data");
    let crawl = || {
        let out = lawdex(
            &data,
            &["crawl", "--format", "json", manifest.to_str().unwrap()],
        );
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        json(&out)
    };
    let first = crawl();
    assert_eq!(
        (first["fetched"].as_u64(), first["not_modified"].as_u64()),
        (Some(1), Some(0))
    );
    let skipped = first["skipped"].as_array().expect("skipped");
    assert_eq!(skipped.len(), 1, "{first}");
    assert!(skipped[0]["url"]
        .as_str()
        .unwrap()
        .ends_with("/laws/private.html"));
    assert!(skipped[0]["reason"]
        .as_str()
        .unwrap()
        .contains("robots.txt"));
    let second = crawl();
    assert_eq!(
        (second["fetched"].as_u64(), second["not_modified"].as_u64()),
        (Some(0), Some(1))
    );
    assert_eq!(second["documents"][0][1]["outcome"]["not_modified"], true);
    let paths: Vec<String> = site.requests().into_iter().map(|r| r.path).collect();
    assert!(!paths.iter().any(|p| p.contains("private")), "{paths:?}");
    assert_eq!(
        &paths[..2],
        ["/robots.txt", "/policy/robots.txt"],
        "{paths:?}"
    );
    assert_eq!(paths.iter().filter(|p| *p == "/laws/a.html").count(), 2);
    // `update` names the URL as skipped, not as "a file that is not a law".
    let out = lawdex(&data, &["update", manifest.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("skipped 1 URL:"), "{text}");
    assert!(!text.contains("not a law"), "{text}");
}

/// A server that keeps connections alive (HTTP/1.1, Content-Length on every answer) and
/// counts the connections it accepted and the requests it answered: every path but
/// robots.txt (404) answers a short law.
struct KeepAliveSite {
    addr: std::net::SocketAddr,
    connections: std::sync::Arc<std::sync::atomic::AtomicUsize>,
    requests: std::sync::Arc<std::sync::Mutex<Vec<String>>>,
    stop: std::sync::Arc<std::sync::atomic::AtomicBool>,
}

impl KeepAliveSite {
    fn start() -> KeepAliveSite {
        use std::io::{BufRead, BufReader, Write};
        use std::sync::atomic::Ordering;
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1");
        listener.set_nonblocking(true).expect("nonblocking");
        let site = KeepAliveSite {
            addr: listener.local_addr().expect("addr"),
            connections: Default::default(),
            requests: Default::default(),
            stop: Default::default(),
        };
        let (connections, requests, stop) = (
            site.connections.clone(),
            site.requests.clone(),
            site.stop.clone(),
        );
        std::thread::spawn(move || {
            // Bounded: the test stops it, and it gives up after 60 s whatever happens.
            let until = std::time::Instant::now() + Duration::from_secs(60);
            while !stop.load(Ordering::Relaxed) && std::time::Instant::now() < until {
                let Ok((conn, _)) = listener.accept() else {
                    std::thread::sleep(Duration::from_millis(5));
                    continue;
                };
                connections.fetch_add(1, Ordering::Relaxed);
                let requests = requests.clone();
                std::thread::spawn(move || {
                    conn.set_nonblocking(false).ok();
                    conn.set_read_timeout(Some(Duration::from_secs(10))).ok();
                    let mut out = conn.try_clone().expect("clone");
                    let mut lines = BufReader::new(conn);
                    for _ in 0..100 {
                        let mut head = String::new();
                        if lines.read_line(&mut head).unwrap_or(0) == 0 {
                            return;
                        }
                        loop {
                            let mut l = String::new();
                            if lines.read_line(&mut l).unwrap_or(0) == 0 {
                                return;
                            }
                            if l == "\r\n" {
                                break;
                            }
                        }
                        let path = head.split_whitespace().nth(1).unwrap_or("").to_string();
                        let (status, body) = if path == "/robots.txt" {
                            ("404 Not Found", String::new())
                        } else {
                            ("200 OK", format!("第一条 {path} 的条文。\n"))
                        };
                        requests.lock().unwrap().push(path);
                        let answer = format!(
                            "HTTP/1.1 {status}\r\nContent-Type: text/plain; charset=utf-8\r\n\
                             Content-Length: {}\r\n\r\n{body}",
                            body.len()
                        );
                        if out.write_all(answer.as_bytes()).is_err() {
                            return;
                        }
                    }
                });
            }
        });
        site
    }
}

impl Drop for KeepAliveSite {
    fn drop(&mut self) {
        self.stop.store(true, std::sync::atomic::Ordering::Relaxed);
    }
}

#[test]
fn the_sources_of_one_host_share_one_kept_alive_connection() {
    let site = KeepAliveSite::start();
    let tmp = tempfile::tempdir().expect("tempdir");
    let manifest = tmp.path().join("m.toml");
    let mut text = "[crawl]\ndelay = \"0s\"\nconcurrency = 2\n".to_string();
    for i in 0..5 {
        text.push_str(&format!(
            "\n[[source]]\nid = \"s{i}\"\nurl = \"http://{}/laws/{i}.txt\"\n",
            site.addr
        ));
    }
    std::fs::write(&manifest, text).expect("write manifest");
    let manifests = lawdex::crawl::Manifest::load_all(&[manifest]).expect("manifest");
    let data = tmp.path().join("data");
    let report = lawdex::crawl::crawl(&manifests, &data, &lawdex::crawl::CrawlOptions::default())
        .expect("crawl");
    assert_eq!((report.fetched, report.failed.len()), (5, 0), "{report:?}");
    let requests = site.requests.lock().unwrap().clone();
    assert_eq!(requests.len(), 6, "{requests:?}");
    assert_eq!(requests[0], "/robots.txt");
    // The sources of one host are fetched one after the other: robots.txt and all five go
    // over one connection (a fetcher per source opened one per source).
    assert_eq!(
        site.connections.load(std::sync::atomic::Ordering::Relaxed),
        1
    );
}

/// A notice page whose law is a Word 97–2003 `.doc` behind a servlet URL (`download?id=42`,
/// no extension in the path, labelled 附件) and whose links resolve against `<base href>`:
/// the crawl fetches the attachment, the bytes say it is a .doc, and the law is indexed with
/// its eight articles under the notice's id. Uses only a fixture we wrote.
#[test]
fn a_doc_attachment_behind_a_servlet_link_is_the_document() {
    let site = MockSite::start();
    site.route(
        "/robots.txt",
        Route::new(200, "text/plain", "User-agent: *\nDisallow:\n"),
    );
    let index = "<html><head><meta charset=\"utf-8\"></head><body><ul class=\"list\">\
         <li><a href=\"notice/7.html\">关于印发示例市社区书屋管理办法的通知</a></li></ul></body></html>";
    site.route(
        "/flfg/index.html",
        page("text/html; charset=utf-8", index.into(), "i1"),
    );
    // The page lives under /flfg/notice/ but its <base> points the links at /flfg/.
    let notice = "<html><head><meta charset=\"utf-8\"><base href=\"/flfg/\"></head><body>\
         <h1>关于印发示例市社区书屋管理办法的通知</h1><p>现印发给你们，请遵照执行。</p>\
         <p><a href=\"view.html?id=6\">上一篇</a></p>\
         <p><a href=\"download?id=42\">附件：示例市社区书屋管理办法</a></p></body></html>";
    site.route(
        "/flfg/notice/7.html",
        page("text/html; charset=utf-8", notice.into(), "n1"),
    );
    let doc = std::fs::read(crate::common::fixtures_dir().join("doc/community-reading-rooms.doc"))
        .expect("read fixture");
    site.route(
        "/flfg/download?id=42",
        page("application/octet-stream", doc, "d1")
            .header("Content-Disposition", "attachment; filename=\"shuwu.doc\""),
    );
    let tmp = tempfile::tempdir().expect("tempdir");
    let manifest = tmp.path().join("site.toml");
    std::fs::write(
        &manifest,
        format!(
            r#"[crawl]
delay = "10ms"
timeout = "5s"

[[listing]]
id = "doc-site"
start = "{start}"
links = "ul.list a"
scope = "{scope}"
max_pages = 2
defaults = {{ jurisdiction = "CN", language = "zh-Hans" }}
"#,
            start = site.url("/flfg/index.html"),
            scope = site.url("/flfg/"),
        ),
    )
    .expect("write manifest");
    let data = tmp.path().join("data");
    let out = lawdex(
        &data,
        &[
            "update",
            "--format",
            "json",
            manifest.to_str().expect("utf-8"),
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let report = json(&out);
    assert_eq!(report["clauses"], 8, "{report}");
    let paths: Vec<String> = site.requests().into_iter().map(|r| r.path).collect();
    assert!(
        paths.iter().any(|p| p == "/flfg/download?id=42"),
        "{paths:?}"
    );
    assert!(!paths.iter().any(|p| p.contains("view.html")), "{paths:?}");
    let docs = read_documents(&data).expect("read index");
    assert_eq!(docs.len(), 1);
    let d = &docs[0];
    assert_eq!(d.info.id, doc_id(&site.url("/flfg/notice/7.html")));
    assert_eq!(d.clauses.len(), 8);
    assert_eq!(d.info.format.name(), "doc");
}

/// Two workers on one host, night after night: every answer a quick 304. A fast answer once
/// set the host's clock back past the other worker's start, and the next request followed
/// that start by milliseconds (a QA crawl saw pairs 0–5 ms apart under `Crawl-delay: 1`).
#[test]
fn requests_stay_the_delay_apart_when_every_answer_is_a_quick_304() {
    let site = MockSite::start();
    site.route(
        "/robots.txt",
        Route::new(200, "text/plain", "User-agent: *\n"),
    );
    let mut list = String::from("<html><body><ul class=\"list\">");
    for i in 0..12 {
        let path = format!("/laws/{i}.html");
        let body = format!(
            "<html><head><meta charset=\"utf-8\"></head><body><h1>第{i}号条例</h1>\
             <p>第一条 为了规范第{i}号事项，制定本条例。</p><p>第二条 本条例自公布之日起施行。</p></body></html>"
        );
        site.route(
            &path,
            page("text/html; charset=utf-8", body.into(), &format!("e{i}")),
        );
        list.push_str(&format!("<li><a href=\"{path}\">条例{i}</a></li>"));
    }
    list.push_str("</ul></body></html>");
    site.route(
        "/laws/index.html",
        page("text/html; charset=utf-8", list.into(), "list"),
    );
    let tmp = tempfile::tempdir().expect("tempdir");
    let manifest = tmp.path().join("m.toml");
    std::fs::write(
        &manifest,
        format!(
            "[crawl]\ndelay = \"100ms\"\nconcurrency = 2\n\n[[listing]]\nid = \"l\"\n\
             start = \"{}\"\nscope = \"{}\"\nlinks = \"ul.list a\"\n",
            site.url("/laws/index.html"),
            site.url("/laws/")
        ),
    )
    .expect("write manifest");
    let manifests = lawdex::crawl::Manifest::load_all(&[manifest]).expect("manifest");
    let data = tmp.path().join("data");
    let options = lawdex::crawl::CrawlOptions::default();
    lawdex::crawl::crawl(&manifests, &data, &options).expect("first crawl");
    for night in 0..2 {
        site.clear_log();
        lawdex::crawl::crawl(&manifests, &data, &options).expect("crawl again");
        let requests = site.requests();
        assert!(
            requests
                .iter()
                .filter(|r| r.header("if-none-match").is_some())
                .count()
                >= 12,
            "night {night}: conditional requests"
        );
        // The server stamps a request when its head has arrived: a few ms of slack.
        for w in requests.windows(2) {
            let gap = w[1].at.duration_since(w[0].at);
            assert!(
                gap + Duration::from_millis(15) >= Duration::from_millis(100),
                "night {night}: {} then {} only {gap:?} apart",
                w[0].path,
                w[1].path
            );
        }
    }
}
