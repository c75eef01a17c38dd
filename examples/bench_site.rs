//! A static web site on 127.0.0.1 for `benches/update.py`: the files under a folder served
//! the way a production server (nginx, Apache) serves them, so that `lawdex update` is
//! measured against a server that answers in microseconds, not against Python's
//! `http.server` (about 2,000 requests a second here). HTTP/1.1 with keep-alive and
//! TCP_NODELAY; every file with an `ETag` (nginx's: modification time and size, in hex) and
//! a `Last-Modified`; `304 Not Modified` when `If-None-Match` names the current ETag or,
//! without it, when `If-Modified-Since` is the file's modification time (nginx's default,
//! `if_modified_since exact`); 404 for anything else (robots.txt included: all allowed).
//! Each request stats the file, and a 200 reads it, as a server without a file cache does.
//!
//! ```text
//! cargo build --release --example bench_site
//! target/release/examples/bench_site SITE_DIR [--threads N]
//! ```
//!
//! It binds 127.0.0.1 only, on a free port, prints `listening on 127.0.0.1:PORT`, and serves
//! until its standard input closes. `GET /_bench/counts` answers the requests seen since the
//! last such call (`{"requests":…,"200":…,"304":…,"404":…,"conditional":…}`) and sets them to
//! zero; it is not counted.

use std::convert::Infallible;
use std::io::{BufRead, Write};
use std::net::SocketAddr;
use std::path::{Component, Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::UNIX_EPOCH;

use http_body_util::Full;
use hyper::body::{Bytes, Incoming};
use hyper::header::{self, HeaderValue};
use hyper::{Method, Request, Response, StatusCode};
use hyper_util::rt::TokioIo;

#[derive(Default)]
struct Counts {
    requests: AtomicU64,
    ok: AtomicU64,
    not_modified: AtomicU64,
    not_found: AtomicU64,
    conditional: AtomicU64,
}

impl Counts {
    /// The counts as JSON, each set back to zero.
    fn take(&self) -> String {
        let t = |a: &AtomicU64| a.swap(0, Ordering::Relaxed);
        format!(
            r#"{{"requests":{},"200":{},"304":{},"404":{},"conditional":{}}}"#,
            t(&self.requests),
            t(&self.ok),
            t(&self.not_modified),
            t(&self.not_found),
            t(&self.conditional)
        )
    }
}

struct Site {
    root: PathBuf,
    counts: Counts,
}

fn content_type(path: &Path) -> &'static str {
    // What Python's http.server sends for the same files, so both servers give lawdex the
    // same bytes and headers to decide on.
    match path.extension().and_then(|e| e.to_str()) {
        Some("html" | "htm") => "text/html",
        Some("md") => "text/markdown",
        Some("txt") => "text/plain",
        Some("pdf") => "application/pdf",
        _ => "application/octet-stream",
    }
}

/// The file a request path names under the root; `None` for anything that could leave it.
fn file_of(root: &Path, path: &str) -> Option<PathBuf> {
    let rel = Path::new(path.trim_start_matches('/'));
    if rel.components().any(|c| !matches!(c, Component::Normal(_))) {
        return None;
    }
    Some(root.join(rel))
}

fn answer(site: &Site, req: &Request<Incoming>) -> Response<Full<Bytes>> {
    let status = |s: StatusCode| {
        let mut r = Response::new(Full::new(Bytes::new()));
        *r.status_mut() = s;
        r
    };
    if req.method() != Method::GET && req.method() != Method::HEAD {
        return status(StatusCode::METHOD_NOT_ALLOWED);
    }
    if req.uri().path() == "/_bench/counts" {
        let mut r = Response::new(Full::new(Bytes::from(site.counts.take())));
        r.headers_mut().insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        );
        return r;
    }
    let c = &site.counts;
    c.requests.fetch_add(1, Ordering::Relaxed);
    let inm = req.headers().get(header::IF_NONE_MATCH);
    let ims = req.headers().get(header::IF_MODIFIED_SINCE);
    if inm.is_some() || ims.is_some() {
        c.conditional.fetch_add(1, Ordering::Relaxed);
    }
    let not_found = || {
        c.not_found.fetch_add(1, Ordering::Relaxed);
        status(StatusCode::NOT_FOUND)
    };
    let Some(file) = file_of(&site.root, req.uri().path()) else {
        return not_found();
    };
    let Ok(meta) = std::fs::metadata(&file) else {
        return not_found();
    };
    if !meta.is_file() {
        return not_found();
    }
    let mtime = meta.modified().unwrap_or(UNIX_EPOCH);
    let secs = mtime
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    let etag = format!("\"{secs:x}-{:x}\"", meta.len());
    let last_modified = httpdate::fmt_http_date(UNIX_EPOCH + std::time::Duration::from_secs(secs));
    let fresh = match (inm, ims) {
        (Some(v), _) => v
            .to_str()
            .is_ok_and(|v| v.split(',').any(|t| t.trim() == etag || t.trim() == "*")),
        (None, Some(v)) => v.to_str().is_ok_and(|v| v == last_modified),
        (None, None) => false,
    };
    let mut r = if fresh {
        c.not_modified.fetch_add(1, Ordering::Relaxed);
        status(StatusCode::NOT_MODIFIED)
    } else {
        let Ok(bytes) = std::fs::read(&file) else {
            return not_found();
        };
        c.ok.fetch_add(1, Ordering::Relaxed);
        let mut r = Response::new(Full::new(Bytes::from(bytes)));
        r.headers_mut().insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static(content_type(&file)),
        );
        r
    };
    let h = r.headers_mut();
    if let Ok(v) = HeaderValue::from_str(&etag) {
        h.insert(header::ETAG, v);
    }
    if let Ok(v) = HeaderValue::from_str(&last_modified) {
        h.insert(header::LAST_MODIFIED, v);
    }
    r
}

fn main() {
    let mut args = std::env::args().skip(1);
    let mut root = None;
    let mut threads = 1usize;
    while let Some(a) = args.next() {
        match a.as_str() {
            "--threads" => {
                threads = args
                    .next()
                    .and_then(|n| n.parse().ok())
                    .filter(|&n| n > 0)
                    .unwrap_or_else(|| usage("--threads needs a positive number"))
            }
            _ if root.is_none() => root = Some(PathBuf::from(a)),
            _ => usage(&format!("unexpected argument {a}")),
        }
    }
    let root = root.unwrap_or_else(|| usage("the site folder is missing"));
    if !root.is_dir() {
        usage(&format!("{} is not a folder", root.display()));
    }
    let site = Arc::new(Site {
        root,
        counts: Counts::default(),
    });
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(threads)
        .enable_io()
        .build()
        .unwrap_or_else(|e| fail(&format!("cannot start the runtime: {e}")));
    rt.block_on(async move {
        let listener = tokio::net::TcpListener::bind(SocketAddr::from(([127, 0, 0, 1], 0)))
            .await
            .unwrap_or_else(|e| fail(&format!("cannot bind 127.0.0.1: {e}")));
        let addr = listener
            .local_addr()
            .unwrap_or_else(|e| fail(&format!("no local address: {e}")));
        println!("listening on {addr}");
        let _ = std::io::stdout().flush();
        // Served until standard input closes (the bench ends, or is killed).
        let (stop_tx, mut stop_rx) = tokio::sync::oneshot::channel::<()>();
        std::thread::spawn(move || {
            let mut sink = String::new();
            let mut stdin = std::io::stdin().lock();
            while stdin.read_line(&mut sink).is_ok_and(|n| n > 0) {
                sink.clear();
            }
            let _ = stop_tx.send(());
        });
        loop {
            let accepted = tokio::select! {
                a = listener.accept() => a,
                _ = &mut stop_rx => break,
            };
            let Ok((stream, _)) = accepted else { continue };
            let _ = stream.set_nodelay(true);
            let site = site.clone();
            tokio::spawn(async move {
                let service = hyper::service::service_fn(move |req: Request<Incoming>| {
                    let r = answer(&site, &req);
                    async move { Ok::<_, Infallible>(r) }
                });
                let _ = hyper::server::conn::http1::Builder::new()
                    .keep_alive(true)
                    .serve_connection(TokioIo::new(stream), service)
                    .await;
            });
        }
    });
}

fn usage(why: &str) -> ! {
    fail(&format!("{why}\nusage: bench_site SITE_DIR [--threads N]"))
}

fn fail(why: &str) -> ! {
    eprintln!("bench_site: {why}");
    std::process::exit(2);
}
