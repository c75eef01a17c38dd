//! A real HTTP/1.1 server on 127.0.0.1:0 for crawl tests, written over std::net: one thread
//! accepts, one thread per connection answers one request and closes. Built from a table of
//! routes (path → status, headers, body, delay, fault); records every request with its
//! arrival time, method, path and headers. It stops when the test drops it.
//!
//! It answers conditional requests as a server would: `If-None-Match` equal to the route's
//! `ETag` gives 304; without `If-None-Match`, `If-Modified-Since` equal to its
//! `Last-Modified` gives 304.

#![allow(dead_code)]

use std::collections::HashMap;
use std::io::{Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// Something a route does wrong.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
    None,
    /// Sends the headers and half the body, then closes the connection.
    CutMidBody,
    /// Sends no `Content-Length`: the body ends when the connection closes.
    NoLength,
    /// Sends half the body, waits 12 s (far past any test's timeout), then the rest.
    StallMidBody,
}

/// One answer.
#[derive(Debug, Clone)]
pub struct Route {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
    /// Waits this long before answering.
    pub delay: Duration,
    pub fault: Fault,
}

impl Route {
    pub fn new(status: u16, content_type: &str, body: impl Into<Vec<u8>>) -> Route {
        let mut headers = Vec::new();
        if !content_type.is_empty() {
            headers.push(("Content-Type".to_string(), content_type.to_string()));
        }
        Route {
            status,
            headers,
            body: body.into(),
            delay: Duration::ZERO,
            fault: Fault::None,
        }
    }

    pub fn html(body: impl Into<Vec<u8>>) -> Route {
        Route::new(200, "text/html; charset=utf-8", body)
    }

    pub fn header(mut self, name: &str, value: &str) -> Route {
        self.headers.retain(|(n, _)| !n.eq_ignore_ascii_case(name));
        self.headers.push((name.to_string(), value.to_string()));
        self
    }

    pub fn delay(mut self, d: Duration) -> Route {
        self.delay = d;
        self
    }

    pub fn fault(mut self, f: Fault) -> Route {
        self.fault = f;
        self
    }

    pub fn redirect(status: u16, location: &str) -> Route {
        Route::new(status, "", Vec::new()).header("Location", location)
    }

    fn get(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// One request the server saw.
#[derive(Debug, Clone)]
pub struct Request {
    pub at: Instant,
    pub method: String,
    pub path: String,
    /// Names in lowercase.
    pub headers: Vec<(String, String)>,
}

impl Request {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == &name.to_ascii_lowercase())
            .map(|(_, v)| v.as_str())
    }

    pub fn conditional(&self) -> bool {
        self.header("if-none-match").is_some() || self.header("if-modified-since").is_some()
    }
}

/// Per path, the answers in order: each request takes the first, the last one stays.
type Routes = HashMap<String, Vec<Route>>;

pub struct MockSite {
    addr: SocketAddr,
    routes: Arc<Mutex<Routes>>,
    log: Arc<Mutex<Vec<Request>>>,
    stop: Arc<AtomicBool>,
    acceptor: Option<JoinHandle<()>>,
}

impl MockSite {
    pub fn start() -> MockSite {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1:0");
        let addr = listener.local_addr().expect("local addr");
        let routes: Arc<Mutex<Routes>> = Arc::default();
        let log: Arc<Mutex<Vec<Request>>> = Arc::default();
        let stop = Arc::new(AtomicBool::new(false));
        let acceptor = {
            let (routes, log, stop) = (routes.clone(), log.clone(), stop.clone());
            std::thread::spawn(move || {
                for conn in listener.incoming() {
                    if stop.load(Ordering::SeqCst) {
                        break;
                    }
                    let Ok(conn) = conn else { continue };
                    let (routes, log) = (routes.clone(), log.clone());
                    std::thread::spawn(move || serve(conn, &routes, &log));
                }
            })
        };
        MockSite {
            addr,
            routes,
            log,
            stop,
            acceptor: Some(acceptor),
        }
    }

    /// `http://127.0.0.1:PORT{path}`.
    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    /// Sets the answer of `path` (replacing any).
    pub fn route(&self, path: &str, route: Route) {
        self.routes_in_order(path, vec![route]);
    }

    /// Sets the answers of `path`, one per request, the last one repeated.
    pub fn routes_in_order(&self, path: &str, routes: Vec<Route>) {
        self.routes.lock().unwrap().insert(path.to_string(), routes);
    }

    pub fn remove(&self, path: &str) {
        self.routes.lock().unwrap().remove(path);
    }

    pub fn requests(&self) -> Vec<Request> {
        self.log.lock().unwrap().clone()
    }

    pub fn clear_log(&self) {
        self.log.lock().unwrap().clear();
    }
}

impl Drop for MockSite {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        // Wakes the acceptor, which sees the flag and returns.
        let _ = TcpStream::connect(self.addr);
        if let Some(h) = self.acceptor.take() {
            let _ = h.join();
        }
    }
}

fn serve(mut conn: TcpStream, routes: &Mutex<Routes>, log: &Mutex<Vec<Request>>) {
    let _ = conn.set_read_timeout(Some(Duration::from_secs(5)));
    let _ = conn.set_write_timeout(Some(Duration::from_secs(5)));
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    // Bounded: a request head of at most 64 KB.
    while !buf.windows(4).any(|w| w == b"\r\n\r\n") && buf.len() < 65536 {
        match conn.read(&mut chunk) {
            Ok(0) | Err(_) => return,
            Ok(n) => buf.extend_from_slice(&chunk[..n]),
        }
    }
    let at = Instant::now();
    let head = String::from_utf8_lossy(&buf);
    let mut lines = head.split("\r\n");
    let mut first = lines.next().unwrap_or("").split_whitespace();
    let method = first.next().unwrap_or("").to_string();
    let path = first.next().unwrap_or("").to_string();
    let headers: Vec<(String, String)> = lines
        .take_while(|l| !l.is_empty())
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    let request = Request {
        at,
        method,
        path: path.clone(),
        headers,
    };
    log.lock().unwrap().push(request.clone());
    let route = {
        let mut routes = routes.lock().unwrap();
        match routes.get_mut(&path) {
            Some(list) if list.len() > 1 => Some(list.remove(0)),
            Some(list) => list.first().cloned(),
            None => None,
        }
    };
    let route = route.unwrap_or_else(|| Route::new(404, "text/html", "<h1>404 Not Found</h1>"));
    if !route.delay.is_zero() {
        std::thread::sleep(route.delay);
    }
    let not_modified = route.status == 200
        && match request.header("if-none-match") {
            Some(inm) => route.get("etag") == Some(inm),
            None => {
                request.header("if-modified-since").is_some()
                    && request.header("if-modified-since") == route.get("last-modified")
            }
        };
    let (status, body): (u16, &[u8]) = if not_modified {
        (304, &[])
    } else {
        (route.status, &route.body)
    };
    let mut out = format!("HTTP/1.1 {status} {}\r\n", reason(status));
    for (n, v) in &route.headers {
        out.push_str(&format!("{n}: {v}\r\n"));
    }
    if route.fault != Fault::NoLength {
        out.push_str(&format!("Content-Length: {}\r\n", body.len()));
    }
    out.push_str("Connection: close\r\n\r\n");
    let _ = conn.write_all(out.as_bytes());
    if route.fault == Fault::CutMidBody {
        let _ = conn.write_all(&body[..body.len() / 2]);
        let _ = conn.flush();
        let _ = conn.shutdown(Shutdown::Both);
        return;
    }
    if route.fault == Fault::StallMidBody {
        let _ = conn.write_all(&body[..body.len() / 2]);
        let _ = conn.flush();
        std::thread::sleep(Duration::from_secs(12));
        let _ = conn.write_all(&body[body.len() / 2..]);
    } else {
        let _ = conn.write_all(body);
    }
    let _ = conn.flush();
    let _ = conn.shutdown(Shutdown::Write);
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        301 => "Moved Permanently",
        302 => "Found",
        304 => "Not Modified",
        404 => "Not Found",
        429 => "Too Many Requests",
        503 => "Service Unavailable",
        _ => "Whatever",
    }
}
