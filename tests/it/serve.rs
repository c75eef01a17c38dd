//! `lawdex serve` over real HTTP on 127.0.0.1: the binary is started on a free port over an
//! index of corpus/real plus a regulation we wrote whose title and text carry markup and
//! script (tests/fixtures/serve), and killed when each test ends. Properties checked:
//! 1. every API endpoint answers the CLI's records: search hits with citations, snippets and
//!    facet counts that add up, filters and paging; clauses, paragraphs and documents; the
//!    coverage matrix by document and jurisdiction; a draft's coverage with model clauses;
//!    the newest change report; health; an OpenAPI description naming every route;
//! 2. bad input gets a JSON `{error, message}` with the right status: unknown and
//!    traversal-shaped ids 404 (and no file is read), a 100 kB query 414, an over-long query
//!    text 400, malformed parameters 400, an oversized draft 413, an unreadable one 422;
//! 3. every page shows document text as text: `<script>` and `" onerror=` never reach the
//!    HTML unescaped, in content or attributes;
//! 4. pages: Chinese or English by Accept-Language and `?lang=`, a phone viewport, anchors
//!    per article and paragraph, highlighted hits with copy-citation buttons, facet links,
//!    paging, "no clause matches" with suggestions, the heat map's cells with evidence and
//!    model clauses, the draft form, the change report by document and article;
//! 5. a commit made while the server runs is searched by the next request, no restart;
//! 6. a client that never finishes its headers is disconnected;
//! 7. the pages in headless Chromium (tests/browser/run.mjs).

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::OnceLock;
use std::time::Duration;

use lawdex::ingest::{ingest, IngestOptions, Quiet};
use serde_json::Value;

use crate::common::{fixtures_dir, real_dir};

/// Every request and every wait is bounded by this.
const TIMEOUT: Duration = Duration::from_secs(60);

fn scratch(name: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("serve-{name}"));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn fixture(name: &str) -> PathBuf {
    fixtures_dir().join("serve").join(name)
}

/// corpus/real and the markup regulation, indexed once per run; `None` without ../shared.
fn real_data() -> Option<&'static Path> {
    static DIR: OnceLock<Option<PathBuf>> = OnceLock::new();
    DIR.get_or_init(|| {
        let real = real_dir()?;
        let dir = scratch("real");
        let report = ingest(
            &[real, fixture("manifest.toml")],
            &dir,
            &IngestOptions::default(),
            &Quiet,
        )
        .unwrap();
        assert!(report.documents > 30, "{}", report.documents);
        assert!(report.indexed.iter().any(|d| d.id == "markup.regulations"));
        Some(dir)
    })
    .as_deref()
}

/// A running `lawdex serve`, killed when dropped (also when a test fails).
struct Server {
    child: Child,
    addr: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Server {
    fn start(data: &Path, extra: &[&str]) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_lawdex"))
            .arg("serve")
            .arg("--data-dir")
            .arg(data)
            .args(["--bind", "127.0.0.1:0"])
            .args(extra)
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .unwrap();
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        // "lawdex: serving DIR on http://127.0.0.1:PORT/ (Ctrl-C stops)"
        let url = line
            .split_whitespace()
            .find(|w| w.starts_with("http://"))
            .unwrap_or_else(|| panic!("no URL in {line:?}"));
        let addr = url
            .trim_start_matches("http://")
            .trim_end_matches('/')
            .to_string();
        assert!(addr.starts_with("127.0.0.1:"), "{line}");
        Server { child, addr }
    }

    fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    fn get(&self, target: &str) -> Reply {
        self.request("GET", target, &[], &[])
    }

    fn get_with(&self, target: &str, headers: &[(&str, &str)]) -> Reply {
        self.request("GET", target, headers, &[])
    }

    fn json(&self, target: &str) -> (u16, Value) {
        let r = self.get(target);
        let v = serde_json::from_slice(&r.body)
            .unwrap_or_else(|e| panic!("{target}: not JSON ({e}): {}", r.text()));
        (r.status, v)
    }

    /// One HTTP/1.1 request on its own connection, the target sent exactly as given.
    fn request(&self, method: &str, target: &str, headers: &[(&str, &str)], body: &[u8]) -> Reply {
        let mut s = TcpStream::connect(&self.addr).unwrap();
        s.set_read_timeout(Some(TIMEOUT)).unwrap();
        s.set_write_timeout(Some(TIMEOUT)).unwrap();
        let mut head = format!(
            "{method} {target} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n",
            self.addr
        );
        let mut has_length = false;
        for (k, v) in headers {
            has_length |= k.eq_ignore_ascii_case("content-length");
            head.push_str(&format!("{k}: {v}\r\n"));
        }
        if !has_length && (method == "POST" || !body.is_empty()) {
            head.push_str(&format!("Content-Length: {}\r\n", body.len()));
        }
        head.push_str("\r\n");
        s.write_all(head.as_bytes()).unwrap();
        s.write_all(body).unwrap();
        let mut raw = Vec::new();
        s.read_to_end(&mut raw).unwrap();
        Reply::parse(&raw)
    }
}

struct Reply {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Reply {
    fn parse(raw: &[u8]) -> Reply {
        let split = raw
            .windows(4)
            .position(|w| w == b"\r\n\r\n")
            .unwrap_or_else(|| panic!("no header end in {:?}", String::from_utf8_lossy(raw)));
        let head = String::from_utf8_lossy(&raw[..split]).into_owned();
        let mut lines = head.split("\r\n");
        let status: u16 = lines
            .next()
            .unwrap()
            .split(' ')
            .nth(1)
            .unwrap()
            .parse()
            .unwrap();
        let headers: Vec<(String, String)> = lines
            .filter_map(|l| l.split_once(':'))
            .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_string()))
            .collect();
        let mut body = raw[split + 4..].to_vec();
        if headers
            .iter()
            .any(|(k, v)| k == "transfer-encoding" && v.contains("chunked"))
        {
            body = dechunk(&body);
        }
        Reply {
            status,
            headers,
            body,
        }
    }

    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    fn json(&self) -> Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.text()))
    }
}

fn dechunk(mut b: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    loop {
        let Some(end) = b.windows(2).position(|w| w == b"\r\n") else {
            return out;
        };
        let size = usize::from_str_radix(String::from_utf8_lossy(&b[..end]).trim(), 16).unwrap();
        if size == 0 {
            return out;
        }
        out.extend_from_slice(&b[end + 2..end + 2 + size]);
        b = &b[end + 2 + size + 2..];
    }
}

fn enc(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn assert_error(r: &Reply, status: u16, what: &str) -> Value {
    assert_eq!(r.status, status, "{what}: {}", r.text());
    assert!(
        r.header("content-type")
            .is_some_and(|c| c.starts_with("application/json")),
        "{what}: {:?}",
        r.headers
    );
    let v = r.json();
    assert!(
        v["error"].as_str().is_some_and(|e| !e.is_empty()),
        "{what}: {v}"
    );
    assert!(
        v["message"].as_str().is_some_and(|e| !e.is_empty()),
        "{what}: {v}"
    );
    v
}

#[test]
fn serve_api_answers_every_endpoint_with_the_cli_records() {
    let Some(data) = real_data() else { return };
    let s = Server::start(data, &[]);

    let (status, health) = s.json("/api/health");
    assert_eq!(status, 200);
    assert_eq!(health["status"], "ok");

    // Search: hits with citations and highlighted snippets, facets that add up.
    let (status, r) = s.json(&format!("/api/search?q={}&limit=5", enc("图书馆 免费")));
    assert_eq!(status, 200, "{r}");
    let hits = r["hits"].as_array().unwrap();
    assert_eq!(hits.len(), 5);
    let total = r["total"].as_u64().unwrap();
    assert!(total >= 10, "{total}");
    for (i, h) in hits.iter().enumerate() {
        assert_eq!(h["rank"].as_u64().unwrap() as usize, i + 1);
        assert!(h["citation"].as_str().unwrap().starts_with('《'), "{h}");
        assert!(
            h["snippet_html"].as_str().unwrap().contains("<mark>"),
            "{h}"
        );
        assert!(!h["highlights"].as_array().unwrap().is_empty());
    }
    let by_jurisdiction: u64 = r["facets"]["jurisdiction"]
        .as_object()
        .unwrap()
        .values()
        .map(|n| n.as_u64().unwrap())
        .sum();
    assert_eq!(by_jurisdiction, total);

    // A citation: the provision itself, and the API says it read the query so.
    let (_, c) = s.json(&format!("/api/search?q={}", enc("20 U.S.C. 9141(a)")));
    assert_eq!(c["cited"], "§9141(a)", "{c}");
    assert_eq!(c["hits"][0]["citation"], "20 U.S.C. §9141(a)", "{c}");
    assert!(r.get("cited").is_none(), "{r}");

    // Filters and paging.
    let (_, tw) = s.json(&format!("/api/search?q={}&jurisdiction=TW", enc("圖書館")));
    let tw_hits = tw["hits"].as_array().unwrap();
    assert!(!tw_hits.is_empty());
    assert!(tw_hits
        .iter()
        .all(|h| h["jurisdiction"].as_str().unwrap().starts_with("TW")));
    let (_, page2) = s.json(&format!(
        "/api/search?q={}&limit=2&offset=3",
        enc("图书馆 免费")
    ));
    let p2 = page2["hits"].as_array().unwrap();
    assert_eq!(p2.len(), 2);
    assert_eq!(p2[0]["rank"], 4);
    assert_eq!(p2[0]["clause_id"], hits[3]["clause_id"]);
    assert_eq!(page2["offset"], 3);
    let (_, y) = s.json(&format!(
        "/api/search?q={}&year=2018&lang=zh",
        enc("图书馆")
    ));
    assert!(y["hits"]
        .as_array()
        .unwrap()
        .iter()
        .all(|h| h["year"] == 2018));

    // Versions (issue 12): 第四十三条 of the Public Library Law once by default, from each copy
    // and version with all_versions, from the 2017 text as of 2018-01-01.
    let art43 = |target: String| -> Vec<String> {
        let (status, r) = s.json(&target);
        assert_eq!(status, 200, "{r}");
        r["hits"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|h| {
                h["clause_label"] == "第四十三条"
                    && h["title"].as_str().unwrap().contains("公共图书馆法")
            })
            .map(|h| h["doc_id"].as_str().unwrap().to_string())
            .collect()
    };
    let q = enc("读者 个人信息");
    assert_eq!(art43(format!("/api/search?q={q}&limit=20")).len(), 1);
    assert_eq!(
        art43(format!("/api/search?q={q}&limit=20&all_versions=true")).len(),
        3
    );
    assert_eq!(
        art43(format!("/api/search?q={q}&limit=20&as_of=2018-01-01")),
        ["public-library-law-2017"]
    );

    // A clause, a paragraph of it, and its document.
    let (status, c) = s.json("/api/clauses/public-library-law-2018/art33");
    assert_eq!(status, 200, "{c}");
    assert_eq!(c["clause"]["label"], "第三十三条");
    assert_eq!(
        c["citation"],
        "《中华人民共和国公共图书馆法（2018修正）》第三十三条"
    );
    let (status, p) = s.json("/api/clauses/public-library-law-2018/art33/para2");
    assert_eq!(status, 200, "{p}");
    assert_eq!(p["paragraph"], 2);
    assert_eq!(
        p["citation"],
        "《中华人民共和国公共图书馆法（2018修正）》第三十三条第二款"
    );
    let (status, d) = s.json("/api/documents/public-library-law-2018");
    assert_eq!(status, 200);
    assert_eq!(d["info"]["jurisdiction"], "CN");
    let clauses = d["clauses"].as_array().unwrap();
    assert_eq!(clauses.len(), 55);
    assert!(clauses
        .iter()
        .any(|c| c["id"] == "public-library-law-2018/art33"));

    // The matrix, by document and by jurisdiction.
    let (status, g) = s.json("/api/gaps?doc=public-library-law-2018");
    assert_eq!(status, 200);
    let rows = g["documents"].as_array().unwrap();
    assert_eq!(rows.len(), 1);
    assert!(
        rows[0]["covered"].as_u64().unwrap() > 5,
        "{}",
        rows[0]["covered"]
    );
    let columns = g["obligations"].as_array().unwrap().len();
    assert_eq!(rows[0]["obligations"].as_array().unwrap().len(), columns);
    let (_, sh) = s.json("/api/gaps?jurisdiction=CN-SH");
    let sh_rows = sh["documents"].as_array().unwrap();
    assert_eq!(sh_rows.len(), 3);
    assert!(sh_rows.iter().all(|r| r["jurisdiction"] == "CN-SH"));
    // The whole matrix has the rows and evidence `lawdex gaps` has: one row per law in force
    // (not the 2017 text, nor the other copies of the 2018 one).
    let (_, all) = s.json("/api/gaps");
    let cli = Command::new(env!("CARGO_BIN_EXE_lawdex"))
        .args(["gaps", "--format", "json", "--data-dir"])
        .arg(data)
        .output()
        .unwrap();
    let cli: Value = serde_json::from_slice(&cli.stdout).expect("gaps JSON");
    let rows = |v: &Value| -> Vec<(String, Vec<usize>)> {
        v["documents"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| {
                let evidence = d["obligations"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|c| c["evidence"].as_array().map_or(0, Vec::len))
                    .collect();
                (d["doc_id"].as_str().unwrap().to_string(), evidence)
            })
            .collect()
    };
    assert_eq!(rows(&all), rows(&cli));
    assert!(!rows(&all)
        .iter()
        .any(|(id, _)| id == "public-library-law-2017"));

    // A draft: matched like an indexed document, with model clauses from the corpus.
    let draft = std::fs::read(fixture("draft-reading-regulations.txt")).unwrap();
    let r = s.request("POST", "/api/gaps/draft?filename=draft.txt", &[], &draft);
    assert_eq!(r.status, 200, "{}", r.text());
    let report = r.json();
    let row = &report["documents"][0];
    assert_eq!(row["doc_id"], "draft");
    let cells = row["obligations"].as_array().unwrap();
    assert_eq!(cells.len(), columns);
    let free = cells
        .iter()
        .find(|c| c["id"] == "free-basic-services")
        .unwrap();
    assert_eq!(free["state"], "covered", "{free}");
    assert!(free["evidence"][0]["clause_id"]
        .as_str()
        .unwrap()
        .ends_with("/art3"));
    let gap = cells
        .iter()
        .find(|c| c["state"] == "gap" && c["suggestions"].as_array().is_some_and(|s| !s.is_empty()))
        .expect("a gap with model clauses");
    let model = &gap["suggestions"][0];
    assert_ne!(model["doc_id"], "draft");
    // The model clause is a real clause of the index.
    let (status, _) = s.json(&format!(
        "/api/clauses/{}",
        model["clause_id"].as_str().unwrap()
    ));
    assert_eq!(status, 200);

    // The description names every route the router serves, and parses as OpenAPI 3.
    let r = s.get("/api/openapi.json");
    assert_eq!(r.status, 200);
    let spec: openapiv3::OpenAPI = serde_json::from_slice(&r.body).unwrap();
    let mut described = Vec::new();
    for (path, item) in &spec.paths.paths {
        let item = item.as_item().unwrap();
        for (method, _) in item.iter() {
            described.push((method.to_string(), path.clone()));
        }
    }
    let mut served: Vec<(String, String)> = lawdex::serve::API_ROUTES
        .iter()
        .map(|(m, p)| (m.to_string(), p.to_string()))
        .collect();
    described.sort();
    served.sort();
    assert_eq!(described, served);
    for (method, path) in &served {
        let op = spec.paths.paths[path].as_item().unwrap();
        let op = op.iter().find(|(m, _)| m == method).unwrap().1;
        assert!(
            op.responses.responses.len() >= 2 || path == "/api/openapi.json",
            "{path}"
        );
    }
}

#[test]
fn serve_refuses_bad_input_with_json_errors() {
    let Some(data) = real_data() else { return };
    let s = Server::start(data, &["--max-upload", "20000"]);
    let e = assert_error(
        &s.get("/api/documents/no-such-law"),
        404,
        "unknown document",
    );
    assert_eq!(e["error"], "not_found");
    assert_error(
        &s.get("/api/clauses/public-library-law-2018/art999"),
        404,
        "unknown clause",
    );
    assert_error(
        &s.get("/api/clauses/public-library-law-2018/art33/para9"),
        404,
        "no para 9",
    );
    // Ids shaped like paths are looked up as ids, never opened as files.
    for target in [
        "/api/documents/../../etc/passwd",
        "/api/documents/%2e%2e/%2e%2e/etc/passwd",
        "/api/documents/%2e%2e%2f%2e%2e%2fetc%2fpasswd",
        "/api/clauses/..%2f..%2f..%2fetc%2fpasswd",
        "/api/documents/..%5c..%5cwindows%5cwin.ini",
    ] {
        let r = s.get(target);
        assert!(r.status == 404 || r.status == 400, "{target}: {}", r.status);
        assert!(!r.text().contains("root:"), "{target}");
        assert_error(&r, r.status, target);
    }
    let page = s.get("/documents/..%2f..%2fetc%2fpasswd");
    assert_eq!(page.status, 404);
    assert!(!page.text().contains("root:"));

    // Over-long requests.
    // Past 64 kB hyper refuses the request line itself (414, no body); from 12 kB our guard
    // answers 414 in JSON. 1,000 Chinese characters (9 kB encoded) are a query, not a 414.
    let r = s.get(&format!("/api/search?q={}", "a".repeat(100_000)));
    assert_eq!(r.status, 414, "100 kB query");
    assert!(r.body.is_empty() || r.json()["error"] == "uri_too_long");
    let e = assert_error(
        &s.get(&format!("/api/search?q={}", "a".repeat(13_000))),
        414,
        "13 kB",
    );
    assert_eq!(e["error"], "uri_too_long");
    let e = assert_error(
        &s.get(&format!("/api/search?q={}", "a".repeat(1500))),
        400,
        "long q",
    );
    assert_eq!(e["error"], "query_too_long");
    let (status, chinese) = s.json(&format!("/api/search?q={}", enc(&"图书馆".repeat(333))));
    assert_eq!(status, 200, "999 Chinese characters: {chinese}");

    // Malformed parameters, each named.
    for (target, names) in [
        ("/api/search?q=x&year=abc", "year"),
        ("/api/search?q=x&year=2020..2010", "year"),
        ("/api/search?q=x&limit=-1", "limit"),
        ("/api/search?q=x&limit=0", "limit"),
        ("/api/search?q=x&limit=5000", "limit"),
        ("/api/search?q=x&offset=abc", "offset"),
        ("/api/search?q=x&offset=99999", "offset"),
        ("/api/search?q=x&as_of=soon", "as_of"),
        ("/api/search?limit=3", "q"),
        ("/api/search?q=%22unclosed", "quote"),
        ("/api/search?q=a%20AND", "AND"),
        ("/api/search?q=x&as_of=2018-02-30", "as_of"),
        ("/api/search?q=%FF%FE", "UTF-8"),
        // Filters are checked as the command line checks them, not answered "no match".
        ("/api/search?q=x&level=galactic", "unknown level"),
        ("/api/search?q=x&status=bogus", "unknown status"),
        ("/api/search?q=x&jurisdiction=C1!", "ISO 3166"),
        ("/api/search?q=x&lang=zz_bad!", "BCP 47"),
        (
            "/api/search?q=x&doc=no-such-law",
            "no document with this id",
        ),
        ("/api/search?q=x&exact=yes", "exact"),
        ("/api/search?q=x&all_versions=maybe", "all_versions"),
        ("/api/gaps?jurisdiction=C1!", "ISO 3166"),
    ] {
        let e = assert_error(&s.get(target), 400, target);
        assert!(
            e["message"].as_str().unwrap().contains(names),
            "{target}: {e}"
        );
    }
    let e = assert_error(&s.get("/api/search?q=x&level=galactic"), 400, "level");
    assert_eq!(e["error"], "bad_filter");
    // A method a path does not answer gets the JSON every error has, and its Allow.
    let r = s.request("POST", "/api/search?q=x", &[], &[]);
    let e = assert_error(&r, 405, "POST to search");
    assert_eq!(e["error"], "method_not_allowed");
    assert!(r.header("allow").is_some_and(|a| a.contains("GET")));
    assert_error(
        &s.get("/api/gaps?doc=no-such-law"),
        404,
        "gaps of unknown doc",
    );
    assert_error(&s.get("/api/no-such-endpoint"), 404, "unknown endpoint");

    // Drafts: too large (refused from its Content-Length, before reading it), empty,
    // unreadable.
    let r = s.request(
        "POST",
        "/api/gaps/draft",
        &[("Content-Length", "50000000")],
        &[],
    );
    let e = assert_error(&r, 413, "oversized draft");
    assert_eq!(e["error"], "too_large");
    let big = "第一条 公共图书馆应当免费开放。\n".repeat(1000);
    let r = s.request(
        "POST",
        "/api/gaps/draft",
        &[("Transfer-Encoding", "chunked")],
        &chunked(big.as_bytes()),
    );
    assert_error(&r, 413, "oversized chunked draft");
    assert_error(
        &s.request("POST", "/api/gaps/draft", &[], &[]),
        400,
        "empty draft",
    );
    let r = s.request(
        "POST",
        "/api/gaps/draft",
        &[],
        &[0u8, 159, 146, 150, 0, 0, 255, 254, 1, 2],
    );
    let e = assert_error(&r, 422, "binary draft");
    assert_eq!(e["error"], "unreadable_draft");
    let note = "今天去图书馆借了三本书，天气很好。\n明天还要去。\n";
    let r = s.request(
        "POST",
        "/api/gaps/draft?filename=note.txt",
        &[],
        note.as_bytes(),
    );
    let e = assert_error(&r, 422, "a draft with no article");
    assert!(
        e["message"].as_str().unwrap().contains("no articles found"),
        "{e}"
    );

    // The server still answers after all of that.
    assert_eq!(s.json("/api/health").0, 200);
}

fn chunked(body: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    for c in body.chunks(4096) {
        out.extend_from_slice(format!("{:x}\r\n", c.len()).as_bytes());
        out.extend_from_slice(c);
        out.extend_from_slice(b"\r\n");
    }
    out.extend_from_slice(b"0\r\n\r\n");
    out
}

/// The markup of the fixture never reaches a page as markup: the only `<script` is the
/// page's own, no attribute is broken out of, and the text is there, escaped.
fn assert_escaped(page: &str, what: &str) {
    assert_eq!(
        page.matches("<script").count(),
        1,
        "{what}: a <script> besides the page's own"
    );
    assert!(
        page.contains("<script src=\"/static/app.js\" defer></script>"),
        "{what}"
    );
    for raw in ["<img", "\" onerror", "' onmouseover", "alert(1)</script>"] {
        assert!(!page.contains(raw), "{what}: {raw:?} unescaped");
    }
}

#[test]
fn serve_pages_show_document_markup_as_text() {
    let Some(data) = real_data() else { return };
    let s = Server::start(data, &[]);
    let escaped_title = "&lt;script&gt;alert(1)&lt;/script&gt;标记条例&quot; onerror=x";

    let r = s.get(&format!("/search?q={}", enc("标记")));
    assert_eq!(r.status, 200);
    let page = r.text();
    assert_escaped(&page, "search");
    assert!(page.contains(escaped_title), "{page}");
    assert!(page.contains("data-citation=\"《&lt;script&gt;"), "{page}");

    let r = s.get("/documents/markup.regulations");
    assert_eq!(r.status, 200);
    let page = r.text();
    assert_escaped(&page, "document");
    assert!(page.contains("为了规范&lt;script&gt;alert(1)&lt;/script&gt;公共图书馆"));
    assert!(page.contains("开放&quot; onerror=x &lt;img src=x onerror=alert(2)&gt;标记目录"));
    assert!(page.contains("规定&#39; onmouseover=&#39;alert(3)"));

    let r = s.get("/gaps?doc=markup.regulations");
    assert_eq!(r.status, 200);
    let page = r.text();
    assert_escaped(&page, "gaps");
    assert!(page.contains(escaped_title));

    let r = s.get("/gaps");
    assert_eq!(r.status, 200);
    assert_escaped(&r.text(), "gaps, all");

    let draft = std::fs::read(fixture("draft-reading-regulations.txt")).unwrap();
    let r = s.request(
        "POST",
        "/draft",
        &[("Content-Type", "multipart/form-data; boundary=XyZ")],
        &multipart("draft", "draft.txt", &draft),
    );
    assert_eq!(r.status, 200, "{}", r.text());
    let page = r.text();
    assert_escaped(&page, "draft");
    assert!(page.contains("&lt;script&gt;alert(4)&lt;/script&gt;") || !page.contains("alert(4)"));

    // Query text echoed into the form and the title.
    let r = s.get(&format!(
        "/search?q={}",
        enc("\"><script>alert(5)</script>")
    ));
    let page = r.text();
    assert_escaped(&page, "query echo");
    assert!(!page.contains("alert(5)</script>"));

    // Error pages echo the path escaped.
    let r = s.get("/%3Cscript%3Ealert(6)%3C/script%3E");
    assert_eq!(r.status, 404);
    assert_escaped(&r.text(), "404 page");

    // A path that starts like a protocol-relative URL is not echoed as one.
    let r = s.get("//evil.example/x");
    assert_eq!(r.status, 404);
    assert!(!r.text().contains("href=\"//evil"), "{}", r.text());

    // Every page forbids inline scripts, so a missed escape still would not run.
    let csp = r.header("content-security-policy").unwrap();
    assert!(
        csp.contains("script-src 'self'") && !csp.contains("unsafe-inline"),
        "{csp}"
    );
}

fn multipart(field: &str, file: &str, bytes: &[u8]) -> Vec<u8> {
    let mut body = format!(
        "--XyZ\r\nContent-Disposition: form-data; name=\"{field}\"; filename=\"{file}\"\r\n\
         Content-Type: application/octet-stream\r\n\r\n"
    )
    .into_bytes();
    body.extend_from_slice(bytes);
    body.extend_from_slice(b"\r\n--XyZ--\r\n");
    body
}

#[test]
fn serve_pages_in_chinese_and_english_with_anchors_and_citations() {
    let Some(data) = real_data() else { return };
    let s = Server::start(data, &[]);

    let zh = s.get_with("/", &[("Accept-Language", "zh-CN,zh;q=0.9,en;q=0.5")]);
    assert_eq!(zh.status, 200);
    let page = zh.text();
    assert!(
        page.contains("<html lang=\"zh-Hans\">") && page.contains(">搜索<"),
        "{page}"
    );
    assert!(page.contains("name=\"viewport\""));
    let en = s.get_with("/", &[("Accept-Language", "en-US,en;q=0.9,zh;q=0.3")]);
    assert!(en.text().contains(">Search<"));
    let switched = s.get_with("/?lang=en", &[("Accept-Language", "zh-CN")]);
    assert!(switched.text().contains(">Search<"));
    assert!(switched
        .header("set-cookie")
        .unwrap()
        .starts_with("lang=en"));
    let remembered = s.get_with("/", &[("Accept-Language", "zh-CN"), ("Cookie", "lang=en")]);
    assert!(remembered.text().contains(">Search<"));

    // Search: highlighted hits linking to their article, copy buttons, facets, paging.
    let r = s.get(&format!("/search?q={}", enc("图书馆 免费")));
    let page = r.text();
    assert_eq!(page.matches("<article class=\"hit\"").count(), 10);
    assert!(page.contains("<mark>图书馆</mark>"));
    assert!(page.contains("class=\"copy\" data-citation=\"《"));
    assert!(
        page.contains("href=\"/documents/beijing-library-regulations-2002#art29\""),
        "{page}"
    );
    assert!(page.contains("data-facet=\"jurisdiction\""));
    assert!(
        page.contains(
            "href=\"/search?q=%E5%9B%BE%E4%B9%A6%E9%A6%86+%E5%85%8D%E8%B4%B9&amp;jurisdiction=CN\""
        ),
        "{page}"
    );
    assert!(page.contains("rel=\"next\""));
    // A hit found partly through its chapter's heading shows that heading, the words marked.
    let heading = s
        .get(&format!("/search?q={}", enc("江南文化 品牌建设")))
        .text();
    assert!(
        heading.contains("第五章“上海<mark>文化</mark>”<mark>品牌建设</mark>"),
        "{heading}"
    );
    // Three clauses have both words, partial ones follow: the note says so, not "no clause
    // has every word".
    let mixed = s.get(&format!("/search?q={}", enc("视障 阅读"))).text();
    assert!(mixed.contains("排在包含全部词语的条款之后"), "{mixed}");
    assert!(!mixed.contains("没有条款包含全部词语"));
    assert!(mixed.contains("(部分词语匹配)"));
    // No clause has all four words, so every hit is partial: the pager still goes on, and
    // the next page starts where this one ended.
    let (_, api) = s.json(&format!(
        "/api/search?q={}&limit=20",
        enc("图书馆 免费 捐赠 志愿")
    ));
    assert_eq!(api["total"], 0, "{api}");
    assert_eq!(api["hits"].as_array().unwrap().len(), 20);
    let first = s
        .get(&format!("/search?q={}", enc("图书馆 免费 捐赠 志愿")))
        .text();
    assert!(first.contains("rel=\"next\""), "{first}");
    let second = s
        .get(&format!(
            "/search?q={}&page=2",
            enc("图书馆 免费 捐赠 志愿")
        ))
        .text();
    assert!(second.contains("data-rank=\"11\""));
    assert_eq!(second.matches("<article class=\"hit\"").count(), 10);
    let eleventh = api["hits"][10]["clause_id"].as_str().unwrap();
    let at = second.find("data-rank=\"11\"").unwrap();
    let hit = &second[at..second[at..]
        .find("</article>")
        .map_or(second.len(), |e| at + e)];
    assert!(hit.contains(eleventh), "{eleventh} in {hit}");
    // An English question finds Chinese clauses through translations, marked and explained.
    let cross = s
        .get(&format!("/search?q={}", enc("volunteers in libraries")))
        .text();
    assert!(
        cross.contains("<span class=\"note translated\">"),
        "{cross}"
    );
    assert!(cross.contains("用其他语言表述了全部词语"));
    assert!(cross.contains("<mark>志愿者</mark>"), "{cross}");
    let p2 = s
        .get(&format!("/search?q={}&page=2", enc("图书馆 免费")))
        .text();
    assert!(p2.contains("data-rank=\"11\""));
    assert!(p2.contains("rel=\"prev\""));
    let filtered = s
        .get(&format!("/search?q={}&jurisdiction=CN-SH", enc("图书馆")))
        .text();
    assert!(filtered.matches("<article class=\"hit\"").count() > 0);
    assert!(!filtered.contains("beijing-library"), "filter ignored");

    // Nothing found: says so, and offers the words alone and the search without filters.
    let none = s
        .get(&format!(
            "/search?q={}&jurisdiction=KR",
            enc("罢工 人脸识别")
        ))
        .text();
    assert!(none.contains("没有条款匹配"), "{none}");
    assert!(
        none.contains("href=\"/search?q=%E7%BD%A2%E5%B7%A5+%E4%BA%BA%E8%84%B8%E8%AF%86%E5%88%AB\""),
        "{none}"
    );
    assert!(none.contains("href=\"/search?q=%E7%BD%A2%E5%B7%A5\""));
    assert!(none.contains("href=\"/search?q=%E4%BA%BA%E8%84%B8%E8%AF%86%E5%88%AB\""));

    // A document: every article at #artN, paragraphs cited.
    let doc = s.get("/documents/public-library-law-2018").text();
    assert_eq!(doc.matches("<section class=\"clause\"").count(), 55);
    for n in [1, 33, 55] {
        assert!(doc.contains(&format!("id=\"art{n}\"")), "art{n}");
    }
    assert!(doc.contains("id=\"art33-para2\""));
    assert!(doc.contains("data-citation=\"《中华人民共和国公共图书馆法（2018修正）》第三十三条\""));
    assert!(doc.contains(">第三十三条第二款</a>"));
    // The law's other version and copies, linked, this text marked.
    let texts = &doc[doc.find("class=\"work\"").expect("versions and copies")..];
    let texts = &texts[..texts.find("</details>").unwrap()];
    assert!(texts.contains("本法的版本与副本"), "{texts}");
    assert!(
        texts.contains("href=\"/documents/public-library-law-2017\""),
        "{texts}"
    );
    assert!(
        texts.contains("（本文）") || texts.contains("(本文)"),
        "{texts}"
    );
    assert!(
        texts.contains("已被修订") && texts.contains("现行有效"),
        "{texts}"
    );
    // A hit names its version and links the same article in the other version and copies.
    let page = s.get(&format!("/search?q={}", enc("读者 个人信息"))).text();
    let art43 = page
        .split("<article class=\"hit\"")
        .find(|h| h.contains("第四十三条") && h.contains("公共图书馆法"))
        .expect("article 43 among the hits");
    assert!(art43.contains("class=\"meta versions\""), "{art43}");
    assert!(
        art43.contains("href=\"/documents/public-library-law-2017#art43\""),
        "{art43}"
    );
    assert!(art43.contains("条文相同"), "{art43}");

    // The heat map: a cell per document × obligation, gaps holding model clauses.
    let gaps = s.get("/gaps?jurisdiction=CN").text();
    let (rows, cells) = (
        gaps.matches("<tr data-doc=").count(),
        gaps.matches("<td class=").count(),
    );
    assert!(rows >= 15, "{rows}");
    assert_eq!(cells % rows, 0);
    assert!(gaps.contains("<li class=\"model\"><a href=\"/documents/"));
    assert!(gaps.contains("<td class=\"covered\""));

    // The draft form posts a file without JavaScript.
    let form = s.get("/draft").text();
    assert!(form.contains("enctype=\"multipart/form-data\"") && form.contains("type=\"file\""));

    // A draft naming libraries only where its ban binds whoever enters: its row says the
    // scope is in doubt, with the reason on hover.
    let dogs = "第一条 为了规范养犬行为，制定本条例。\n第二条 禁止携带犬只进入图书馆、博物馆等公共场所。\n";
    let r = s.request(
        "POST",
        "/draft",
        &[("Content-Type", "multipart/form-data; boundary=XyZ")],
        &multipart("draft", "dogs.txt", dogs.as_bytes()),
    );
    assert_eq!(r.status, 200, "{}", r.text());
    let page = r.text();
    assert!(
        page.contains("<span class=\"note doubt\" title=\"its one clause naming the subject"),
        "{page}"
    );
}

#[test]
fn serve_shows_the_newest_change_report_and_404_before_any() {
    let dir = scratch("changes");
    ingest(
        &[fixture("manifest.toml")],
        &dir,
        &IngestOptions::default(),
        &Quiet,
    )
    .unwrap();
    let s = Server::start(&dir, &[]);
    let e = assert_error(&s.get("/api/changes"), 404, "no report");
    assert_eq!(e["error"], "not_found");
    assert!(s.get("/changes").text().contains("lawdex update"));

    // Reports as `lawdex update` keeps them: the newest file name wins.
    let reports = dir.join("reports");
    std::fs::create_dir_all(&reports).unwrap();
    let report = |started: &str, article: &str| {
        serde_json::json!({
            "command": "update", "started": started, "new": 0, "changed": 1, "removed": 0,
            "unchanged": 40,
            "changes": [{
                "id": "markup.regulations", "state": "changed",
                "title": "<script>alert(1)</script>标记条例\" onerror=x", "source": "x.txt",
                "clauses": 3,
                "articles": {"added": [], "removed": [], "changed": [article]},
                "coverage": [{"obligation": "free-basic-services", "from": "gap", "to": "covered"}]
            }],
            "suspect": [], "failed": [], "skipped": []
        })
    };
    std::fs::write(
        reports.join("2026-12-01T03-00-00.000000Z-update.json"),
        report("2026-12-01T03:00:00Z", "第一条").to_string(),
    )
    .unwrap();
    std::fs::write(
        reports.join("2026-12-02T03-00-00.000000Z-update.json"),
        report("2026-12-02T03:00:00Z", "第二条<b>").to_string(),
    )
    .unwrap();
    std::fs::write(
        reports.join(".2026-12-03T03-00-00.000000Z-update.json.tmp"),
        "{half",
    )
    .unwrap();
    let (status, r) = s.json("/api/changes");
    assert_eq!(status, 200);
    assert_eq!(r["started"], "2026-12-02T03:00:00Z");
    let page = s.get("/changes").text();
    assert_escaped(&page, "changes");
    assert!(page.contains("第二条&lt;b&gt;"), "{page}");
    assert!(page.contains("free-basic-services: gap → covered"));
    assert!(page.contains("href=\"/documents/markup.regulations\""));
}

#[test]
fn serve_searches_a_new_commit_without_a_restart() {
    let dir = scratch("reload");
    ingest(
        &[fixture("manifest.toml")],
        &dir,
        &IngestOptions::default(),
        &Quiet,
    )
    .unwrap();
    let s = Server::start(&dir, &[]);
    let q = format!("/api/search?q={}", enc("蓝鲸"));
    let (status, before) = s.json(&q);
    assert_eq!(status, 200);
    assert_eq!(before["total"], 0);
    assert_eq!(s.json("/api/documents/hidden-word").0, 404);

    // `lawdex index` commits while the server runs; the next request sees it.
    let out = Command::new(env!("CARGO_BIN_EXE_lawdex"))
        .args(["index", "--data-dir"])
        .arg(&dir)
        .arg(fixture("hidden-word.md"))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let (_, after) = s.json(&q);
    assert_eq!(after["total"], 1, "{after}");
    assert_eq!(after["hits"][0]["clause_id"], "hidden-word/art1");
    assert_eq!(s.json("/api/documents/hidden-word").0, 200);

    // A rebuild replaces the index: still answered, with what the rebuild holds.
    let out = Command::new(env!("CARGO_BIN_EXE_lawdex"))
        .args(["index", "--rebuild", "--data-dir"])
        .arg(&dir)
        .arg(fixture("manifest.toml"))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let (status, rebuilt) = s.json(&q);
    assert_eq!(status, 200);
    assert_eq!(rebuilt["total"], 0);

    // No index at all: 503, as JSON.
    let empty = scratch("no-index");
    let s2 = Server::start(&empty, &[]);
    let e = assert_error(&s2.get("/api/health"), 503, "no index");
    assert_eq!(e["error"], "index_unavailable");
    assert_eq!(s2.get("/search?q=x").status, 503);
}

#[test]
fn serve_disconnects_a_client_that_never_finishes_its_headers() {
    let dir = scratch("slow");
    let s = Server::start(&dir, &["--header-timeout", "1"]);
    let mut c = TcpStream::connect(&s.addr).unwrap();
    c.set_read_timeout(Some(TIMEOUT)).unwrap();
    c.write_all(b"GET /api/health HTTP/1.1\r\nHost: x\r\n")
        .unwrap();
    // The server closes (or answers 408 and closes) long before our read timeout.
    let mut buf = Vec::new();
    let closed = match c.read_to_end(&mut buf) {
        Ok(_) => true,
        Err(e) => e.kind() == std::io::ErrorKind::ConnectionReset,
    };
    assert!(closed, "the connection stayed open");
    let text = String::from_utf8_lossy(&buf);
    assert!(buf.is_empty() || text.starts_with("HTTP/1.1 408"), "{text}");
}

/// The pages in headless Chromium: tests/browser/run.mjs types a Chinese query, filters,
/// copies a citation, opens an article anchor, clicks a gap cell and uploads a draft, and
/// saves screenshots under target/screenshots/. Without node or Chromium it is skipped with
/// a note, except under CI=true where that is a failure.
#[test]
fn serve_pages_work_in_a_browser() {
    let Some(data) = real_data() else { return };
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let script = root.join("tests/browser/run.mjs");
    let ci = std::env::var("CI").is_ok_and(|v| v == "true" || v == "1");
    let node_ok = Command::new("node")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    let chromium = std::env::var_os("CHROMIUM")
        .map(PathBuf::from)
        .unwrap_or_else(|| "/usr/bin/chromium".into());
    let modules = root.join("tests/browser/node_modules/playwright-core");
    if !(node_ok && chromium.exists() && modules.is_dir()) {
        let missing = format!(
            "browser test needs node, {} and `npm ci --prefix tests/browser` (node: {node_ok}, chromium: {}, playwright-core: {})",
            chromium.display(),
            chromium.exists(),
            modules.is_dir()
        );
        assert!(!ci, "{missing}");
        eprintln!("note: skipping: {missing}");
        return;
    }
    let s = Server::start(data, &[]);
    let out_dir = root.join("target/screenshots");
    std::fs::create_dir_all(&out_dir).unwrap();
    let out = Command::new("node")
        .arg(&script)
        .arg(s.url())
        .arg(&out_dir)
        .arg(fixture("draft-reading-regulations.txt"))
        .env("CHROMIUM", &chromium)
        .output()
        .unwrap();
    let log = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.status.success(), "browser test failed:\n{log}");
    eprintln!("{log}");
    for shot in ["search", "filtered", "document", "gaps", "draft"] {
        let png = out_dir.join(format!("{shot}.png"));
        assert!(
            std::fs::metadata(&png).is_ok_and(|m| m.len() > 1000),
            "{}",
            png.display()
        );
    }
}
