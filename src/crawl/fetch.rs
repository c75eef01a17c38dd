//! Fetching one URL politely: robots.txt first (cached per host for the run), a per-host gate
//! that spaces requests by the delay, conditional GET from the store's record, retries with
//! backoff, a size limit enforced while reading, and redirects followed here hop by hop so
//! each hop is checked against robots.txt and the scope. A URL is requested at most once per
//! run: a second reference gets the first result.

use std::collections::HashMap;
use std::io::Read;
use std::sync::{Arc, Condvar, Mutex, OnceLock};
use std::time::{Duration, Instant, SystemTime};

use super::manifest::CrawlSettings;
use super::store::{FetchRecord, Store};
use super::StoredBody;

/// At most this many redirects are followed from one URL.
pub const MAX_REDIRECTS: usize = 5;
/// Retries after the first attempt, for connection errors, 429 and 503.
const MAX_RETRIES: u32 = 2;
/// The first backoff; doubled at each retry.
const BACKOFF: Duration = Duration::from_millis(500);
/// A `Retry-After` longer than this is not waited for: the URL fails instead.
const MAX_RETRY_AFTER: Duration = Duration::from_secs(120);

/// What fetching one URL gave.
#[derive(Debug, Clone)]
pub enum Fetched {
    Stored(StoredBody),
    /// Requested and failed: one line, without the URL.
    Failed(String),
    /// Not requested on purpose (robots.txt, scheme, scope): the reason.
    Skipped(String),
}

enum Robots {
    Rules(texting_robots::Robot),
    AllowAll,
    /// robots.txt could not be read (5xx, network): RFC 9309 says assume everything is
    /// disallowed.
    DisallowAll(String),
}

#[derive(Default)]
struct Host {
    robots: OnceLock<Robots>,
    /// When the last request to this host started, or was answered if later; held while
    /// waiting, so requests to one host are spaced by the delay.
    last: Mutex<Option<Instant>>,
}

/// State shared by every fetch of one run (every manifest, every host thread).
#[derive(Default)]
pub struct Shared {
    hosts: Mutex<HashMap<String, Arc<Host>>>,
    /// URL → result; `None` while it is being fetched.
    seen: Mutex<HashMap<String, Option<Fetched>>>,
    /// Signalled when a URL of `seen` gets its result.
    seen_done: Condvar,
    pub counts: Mutex<Counts>,
}

#[derive(Debug, Default, Clone, Copy)]
pub struct Counts {
    pub fetched: usize,
    pub not_modified: usize,
}

/// Fetches with one manifest's `[crawl]` settings.
pub struct Fetcher<'a> {
    agent: ureq::Agent,
    settings: &'a CrawlSettings,
    no_delay: bool,
    store: &'a Store,
    shared: &'a Shared,
}

struct Response {
    status: u16,
    etag: Option<String>,
    last_modified: Option<String>,
    content_type: Option<String>,
    location: Option<String>,
    body: Vec<u8>,
}

/// The URL without its fragment, or why it cannot be fetched.
pub fn normalise(url: &str) -> Result<url::Url, String> {
    let mut u = url::Url::parse(url).map_err(|e| format!("not a URL: {e}"))?;
    if !matches!(u.scheme(), "http" | "https") {
        return Err(format!(
            "only http and https are fetched, not {}:",
            u.scheme()
        ));
    }
    if u.host_str().is_none() {
        return Err("the URL has no host".into());
    }
    u.set_fragment(None);
    Ok(u)
}

/// How long a host's resolved addresses are reused within one run.
const RESOLVE_FOR: Duration = Duration::from_secs(300);

/// ureq's resolver, remembered per host for [`RESOLVE_FOR`]. ureq resolves before it looks
/// in its connection pool, and with a timeout set its resolver spawns a thread for every
/// lookup: a thread (and the allocator's fresh heap for it) per request, even to an IP
/// address on a kept-alive connection. Failures are not remembered: a retry asks again.
#[derive(Debug, Default)]
struct RunResolver {
    inner: ureq::unversioned::resolver::DefaultResolver,
    known: Mutex<HashMap<String, (Instant, ureq::unversioned::resolver::ResolvedSocketAddrs)>>,
}

impl ureq::unversioned::resolver::Resolver for RunResolver {
    fn resolve(
        &self,
        uri: &ureq::http::Uri,
        config: &ureq::config::Config,
        timeout: ureq::unversioned::transport::NextTimeout,
    ) -> Result<ureq::unversioned::resolver::ResolvedSocketAddrs, ureq::Error> {
        let key = format!(
            "{}://{}",
            uri.scheme_str().unwrap_or(""),
            uri.authority().map(|a| a.as_str()).unwrap_or("")
        );
        let now = Instant::now();
        if let Some((at, addrs)) = self
            .known
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .get(&key)
        {
            if now.duration_since(*at) < RESOLVE_FOR {
                return Ok(addrs.clone());
            }
        }
        let addrs = self.inner.resolve(uri, config, timeout)?;
        self.known
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(key, (now, addrs.clone()));
        Ok(addrs)
    }
}

fn host_key(u: &url::Url) -> String {
    format!(
        "{}://{}:{}",
        u.scheme(),
        u.host_str().unwrap_or(""),
        u.port_or_known_default().unwrap_or(0)
    )
}

impl<'a> Fetcher<'a> {
    pub fn new(
        settings: &'a CrawlSettings,
        no_delay: bool,
        store: &'a Store,
        shared: &'a Shared,
    ) -> Fetcher<'a> {
        let in_flight = settings.concurrency.max(1) as usize;
        let config = ureq::Agent::config_builder()
            .max_redirects(0)
            .http_status_as_error(false)
            .user_agent(settings.user_agent.as_str())
            .timeout_global(Some(settings.timeout))
            // Every connection of the `concurrency` in flight goes back to the pool for the
            // next request (ureq keeps 3 a host by default: a fourth worker reconnected).
            .max_idle_connections_per_host(in_flight)
            .max_idle_connections(in_flight.max(10))
            .build();
        let agent = ureq::Agent::with_parts(
            config,
            ureq::unversioned::transport::DefaultConnector::new(),
            RunResolver::default(),
        );
        Fetcher {
            agent,
            settings,
            no_delay,
            store,
            shared,
        }
    }

    /// Fetches `url` (conditionally when the store has it), following redirects that stay
    /// within `scope` (a URL prefix; `None`: anywhere).
    pub fn fetch(&self, url: &str, scope: Option<&str>) -> (String, Fetched) {
        let u = match normalise(url) {
            Ok(u) => u,
            Err(e) => return (url.to_string(), Fetched::Skipped(e)),
        };
        let key = u.to_string();
        let result = self.fetch_normalised(&u, scope, &mut Vec::new());
        (key, result)
    }

    pub fn concurrency(&self) -> usize {
        self.settings.concurrency.max(1) as usize
    }

    fn fetch_normalised(
        &self,
        u: &url::Url,
        scope: Option<&str>,
        chain: &mut Vec<String>,
    ) -> Fetched {
        let key = u.to_string();
        if chain.contains(&key) {
            return Fetched::Failed("redirect loop".into());
        }
        {
            let mut seen = self.shared.seen.lock().unwrap_or_else(|e| e.into_inner());
            // Another thread may be fetching it (a redirect target that is also listed): its
            // result is ours. Two URLs redirecting to each other from two threads would wait
            // for each other: the wait is bounded, then it is reported as a loop.
            let deadline =
                Instant::now() + self.settings.timeout * (MAX_RETRIES + 1) + MAX_RETRY_AFTER;
            loop {
                match seen.get(&key) {
                    Some(Some(done)) => return done.clone(),
                    Some(None) => {
                        let now = Instant::now();
                        if now >= deadline {
                            return Fetched::Failed("redirect loop".into());
                        }
                        seen = self
                            .shared
                            .seen_done
                            .wait_timeout(seen, deadline - now)
                            .unwrap_or_else(|e| e.into_inner())
                            .0;
                    }
                    None => {
                        seen.insert(key.clone(), None);
                        break;
                    }
                }
            }
        }
        chain.push(key.clone());
        let result = self.fetch_once(u, scope, chain);
        self.shared
            .seen
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(key, Some(result.clone()));
        self.shared.seen_done.notify_all();
        result
    }

    /// Whether `url` was already fetched in this run (its result, if so).
    pub fn already(&self, url: &str) -> Option<Fetched> {
        let u = normalise(url).ok()?;
        self.shared
            .seen
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .get(u.as_str())
            .cloned()
            .flatten()
    }

    fn host(&self, u: &url::Url) -> Arc<Host> {
        let mut hosts = self.shared.hosts.lock().unwrap_or_else(|e| e.into_inner());
        hosts.entry(host_key(u)).or_default().clone()
    }

    fn delay(&self, host: &Host) -> Duration {
        if self.no_delay {
            return Duration::ZERO;
        }
        let crawl_delay = match host.robots.get() {
            Some(Robots::Rules(r)) => r
                .delay
                .filter(|d| d.is_finite() && *d > 0.0)
                .map(|d| Duration::from_secs_f32(d.min(3600.0)))
                .unwrap_or(Duration::ZERO),
            _ => Duration::ZERO,
        };
        self.settings.delay.max(crawl_delay)
    }

    /// Waits until the host may be asked again (at least `extra` from now too).
    fn wait_turn(&self, host: &Host, extra: Duration) {
        let delay = self.delay(host);
        let mut last = host.last.lock().unwrap_or_else(|e| e.into_inner());
        let now = Instant::now();
        let mut at = now + extra;
        if let Some(prev) = *last {
            at = at.max(prev + delay);
        }
        if at > now {
            std::thread::sleep(at - now);
        }
        *last = Some(Instant::now());
    }

    fn read_robots(&self, u: &url::Url, host: &Host) -> Robots {
        let mut robots_url = u.clone();
        robots_url.set_path("/robots.txt");
        robots_url.set_query(None);
        // RFC 9309: follow at least five redirects (http → https, another host name).
        let mut answer = self.request(robots_url.as_str(), host, None);
        for _ in 0..MAX_REDIRECTS {
            let target = match &answer {
                Ok(r) if (300..400).contains(&r.status) => r
                    .location
                    .as_deref()
                    .and_then(|l| robots_url.join(l).ok())
                    .filter(|t| matches!(t.scheme(), "http" | "https")),
                _ => None,
            };
            let Some(target) = target else { break };
            robots_url = target;
            answer = self.request(robots_url.as_str(), host, None);
        }
        match answer {
            Ok(r) if (200..300).contains(&r.status) => {
                match texting_robots::Robot::new(product_token(&self.settings.user_agent), &r.body)
                {
                    Ok(robot) => Robots::Rules(robot),
                    // An unparsable file restricts nothing it can be understood to say.
                    Err(_) => Robots::AllowAll,
                }
            }
            // Too many redirects counts as unavailable, like a 4xx (RFC 9309).
            Ok(r) if (300..500).contains(&r.status) => Robots::AllowAll,
            Ok(r) => Robots::DisallowAll(format!("robots.txt answered HTTP {}", r.status)),
            Err(e) => Robots::DisallowAll(format!("robots.txt could not be read: {e}")),
        }
    }

    /// Why robots.txt forbids `u`, if it does.
    fn forbidden(&self, u: &url::Url, host: &Host) -> Option<String> {
        match host.robots.get_or_init(|| self.read_robots(u, host)) {
            Robots::Rules(r) if !r.allowed(u.as_str()) => Some("disallowed by robots.txt".into()),
            Robots::DisallowAll(why) => Some(why.clone()),
            _ => None,
        }
    }

    fn fetch_once(&self, u: &url::Url, scope: Option<&str>, chain: &mut Vec<String>) -> Fetched {
        if let Some(scope) = scope {
            if !u.as_str().starts_with(scope) {
                return Fetched::Skipped(format!("outside the listing's scope {scope}"));
            }
        }
        let host = self.host(u);
        if let Some(why) = self.forbidden(u, &host) {
            return Fetched::Skipped(why);
        }
        let record = self.store.record(u.as_str());
        let with_object = record
            .as_ref()
            .filter(|r| self.store.object_path(&r.hash).is_file());
        let r = match self.request(u.as_str(), &host, with_object) {
            Ok(r) => r,
            Err(e) => return Fetched::Failed(e),
        };
        match r.status {
            304 => match with_object {
                Some(rec) => {
                    self.count(true);
                    Fetched::Stored(StoredBody {
                        path: self.store.object_path(&rec.hash),
                        final_url: u.to_string(),
                        content_type: rec.content_type.clone(),
                        hash: rec.hash.clone(),
                        not_modified: true,
                    })
                }
                None => Fetched::Failed("HTTP 304 to an unconditional request".into()),
            },
            200 => {
                let (hash, path) = match self.store.put_object(&r.body) {
                    Ok(x) => x,
                    Err(e) => return Fetched::Failed(format!("cannot store the body: {e}")),
                };
                let not_modified = record.as_ref().is_some_and(|old| old.hash == hash);
                let rec = FetchRecord {
                    url: u.to_string(),
                    final_url: u.to_string(),
                    status: 200,
                    etag: r.etag,
                    last_modified: r.last_modified,
                    content_type: r.content_type.clone(),
                    fetched_at: humantime::format_rfc3339_seconds(SystemTime::now()).to_string(),
                    hash: hash.clone(),
                };
                if let Err(e) = self.store.put_record(&rec) {
                    return Fetched::Failed(format!("cannot store the fetch record: {e}"));
                }
                self.count(not_modified);
                Fetched::Stored(StoredBody {
                    path,
                    final_url: u.to_string(),
                    content_type: r.content_type,
                    hash,
                    not_modified,
                })
            }
            301 | 302 | 303 | 307 | 308 => {
                let Some(location) = r.location else {
                    return Fetched::Failed(format!("HTTP {} without a Location", r.status));
                };
                let target = match u
                    .join(&location)
                    .map_err(|e| e.to_string())
                    .and_then(|t| normalise(t.as_str()))
                {
                    Ok(t) => t,
                    Err(e) => return Fetched::Failed(format!("redirect to {location}: {e}")),
                };
                if chain.len() > MAX_REDIRECTS {
                    return Fetched::Failed(format!("more than {MAX_REDIRECTS} redirects"));
                }
                if let Some(scope) = scope {
                    if !target.as_str().starts_with(scope) {
                        return Fetched::Failed(format!(
                            "redirects to {target}, outside the listing's scope {scope}; not followed"
                        ));
                    }
                }
                match self.fetch_normalised(&target, scope, chain) {
                    Fetched::Skipped(why) => {
                        Fetched::Failed(format!("redirects to {target}: {why}"))
                    }
                    other => other,
                }
            }
            s => Fetched::Failed(status_line(s)),
        }
    }

    fn count(&self, not_modified: bool) {
        let mut c = self.shared.counts.lock().unwrap_or_else(|e| e.into_inner());
        if not_modified {
            c.not_modified += 1;
        } else {
            c.fetched += 1;
        }
    }

    /// One GET with retries; the body is read only for a 200 (and robots.txt).
    fn request(
        &self,
        url: &str,
        host: &Host,
        record: Option<&FetchRecord>,
    ) -> Result<Response, String> {
        let mut extra = Duration::ZERO;
        let mut attempt = 0;
        loop {
            self.wait_turn(host, extra);
            let mut req = self.agent.get(url);
            if let Some(r) = record {
                if let Some(etag) = &r.etag {
                    req = req.header("If-None-Match", etag.as_str());
                }
                if let Some(lm) = &r.last_modified {
                    req = req.header("If-Modified-Since", lm.as_str());
                }
            }
            let retry = |attempt: u32| BACKOFF * 2u32.pow(attempt);
            let called = req.call();
            // The delay runs from the answer too, not only from the start: however slow the
            // connection or our own scheduling, the server sees its requests at least `delay`
            // apart. The clock is read once the lock is held, and never moves `last` back: read
            // before, a fast answer (a 304) waiting on another worker's turn overwrote that
            // worker's later start, and the next request followed it by milliseconds.
            {
                let mut last = host.last.lock().unwrap_or_else(|e| e.into_inner());
                let now = Instant::now();
                *last = Some(last.map_or(now, |prev| prev.max(now)));
            }
            let resp = match called {
                Ok(resp) => resp,
                Err(ureq::Error::Timeout(_)) => {
                    return Err(format!(
                        "timed out after {}",
                        humantime::format_duration(self.settings.timeout)
                    ))
                }
                Err(e) if attempt < MAX_RETRIES && retryable(&e) => {
                    extra = retry(attempt);
                    attempt += 1;
                    continue;
                }
                Err(e) => return Err(one_line(&e.to_string())),
            };
            let status = resp.status().as_u16();
            let header = |name: &str| {
                resp.headers()
                    .get(name)
                    .and_then(|v| v.to_str().ok())
                    .map(|s| s.trim().to_string())
            };
            if status == 429 || status == 503 {
                let after = header("retry-after").and_then(|v| retry_after(&v));
                if attempt < MAX_RETRIES && after.is_none_or(|a| a <= MAX_RETRY_AFTER) {
                    extra = after.unwrap_or(retry(attempt));
                    attempt += 1;
                    continue;
                }
            }
            let mut out = Response {
                status,
                etag: header("etag"),
                last_modified: header("last-modified"),
                content_type: header("content-type"),
                location: header("location"),
                body: Vec::new(),
            };
            if status != 200 {
                return Ok(out);
            }
            let max = self.settings.max_bytes;
            if let Some(len) = header("content-length").and_then(|l| l.parse::<u64>().ok()) {
                if len > max {
                    return Err(too_large(max));
                }
            }
            let mut body = Vec::new();
            let read = resp
                .into_body()
                .into_reader()
                .take(max.saturating_add(1))
                .read_to_end(&mut body);
            match read {
                Ok(_) if body.len() as u64 > max => return Err(too_large(max)),
                Ok(_) => {
                    out.body = body;
                    return Ok(out);
                }
                Err(e) if is_timeout(&e) => {
                    return Err(format!(
                        "timed out after {} while reading the body",
                        humantime::format_duration(self.settings.timeout)
                    ))
                }
                Err(_) if attempt < MAX_RETRIES => {
                    extra = retry(attempt);
                    attempt += 1;
                }
                Err(e) => {
                    return Err(format!(
                        "the connection broke while reading the body: {}",
                        one_line(&e.to_string())
                    ))
                }
            }
        }
    }
}

/// A timeout while reading a body: ureq wraps its own error in an `io::Error`.
/// The name robots.txt groups address a crawler by (RFC 9309 §2.2.1): the user agent's first
/// word before its version, `lawdex` of `lawdex/0.1.0 (+https://…)`. Matched whole, the full
/// string would never meet `User-agent: lawdex`, and only the `*` group would be read.
fn product_token(user_agent: &str) -> &str {
    user_agent
        .split(|c: char| c == '/' || c.is_whitespace())
        .find(|t| !t.is_empty())
        .unwrap_or("*")
}

fn is_timeout(e: &std::io::Error) -> bool {
    e.kind() == std::io::ErrorKind::TimedOut
        || e.get_ref()
            .and_then(|inner| inner.downcast_ref::<ureq::Error>())
            .is_some_and(|u| matches!(u, ureq::Error::Timeout(_)))
}

fn too_large(max: u64) -> String {
    format!(
        "the body is larger than the limit of {} (max_bytes)",
        bytesize::ByteSize::b(max).display().si()
    )
}

fn retryable(e: &ureq::Error) -> bool {
    matches!(
        e,
        ureq::Error::Io(_) | ureq::Error::ConnectionFailed | ureq::Error::Protocol(_)
    )
}

/// `Retry-After` as seconds or as an HTTP date.
fn retry_after(v: &str) -> Option<Duration> {
    if let Ok(secs) = v.parse::<u64>() {
        return Some(Duration::from_secs(secs));
    }
    let at = httpdate(v)?;
    Some(
        at.duration_since(SystemTime::now())
            .unwrap_or(Duration::ZERO),
    )
}

/// An IMF-fixdate (`Sun, 06 Nov 1994 08:49:37 GMT`), through humantime's RFC 3339 parser.
fn httpdate(v: &str) -> Option<SystemTime> {
    let parts: Vec<&str> = v.split_whitespace().collect();
    let [_, day, month, year, time, "GMT"] = parts.as_slice() else {
        return None;
    };
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let m = MONTHS.iter().position(|x| x == month)? + 1;
    humantime::parse_rfc3339(&format!("{year}-{m:02}-{day:0>2}T{time}Z")).ok()
}

fn status_line(s: u16) -> String {
    match ureq::http::StatusCode::from_u16(s)
        .ok()
        .and_then(|c| c.canonical_reason())
    {
        Some(reason) => format!("HTTP {s} {reason}"),
        None => format!("HTTP {s}"),
    }
}

fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn robots_groups_named_for_the_crawler_bind_it() {
        assert_eq!(
            product_token("lawdex/0.1.0 (+https://example.org/lawdex)"),
            "lawdex"
        );
        assert_eq!(product_token("  lawdex-qa 0.1"), "lawdex-qa");
        let txt = b"User-agent: lawdex\nDisallow: /\n\nUser-agent: *\nDisallow: /internal/\n";
        let ua = "lawdex/0.1.0 (+https://example.org/lawdex)";
        let robot = texting_robots::Robot::new(product_token(ua), txt).unwrap();
        assert!(!robot.allowed("http://127.0.0.1/flfg/index.html"));
        // Another crawler's ban leaves lawdex to the `*` group.
        let other = b"User-agent: otherbot\nDisallow: /\n\nUser-agent: *\nDisallow: /internal/\n";
        let robot = texting_robots::Robot::new(product_token(ua), other).unwrap();
        assert!(robot.allowed("http://127.0.0.1/flfg/index.html"));
        assert!(!robot.allowed("http://127.0.0.1/internal/a.html"));
    }

    #[test]
    fn urls_lose_fragments_and_only_http_is_fetched() {
        assert_eq!(
            normalise("http://127.0.0.1:8/a/b.html#x").unwrap().as_str(),
            "http://127.0.0.1:8/a/b.html"
        );
        assert!(normalise("ftp://example.org/x")
            .unwrap_err()
            .contains("only http"));
        assert!(normalise("mailto:a@b").is_err());
    }

    #[test]
    fn retry_after_reads_seconds_and_dates() {
        assert_eq!(retry_after("3"), Some(Duration::from_secs(3)));
        assert_eq!(
            retry_after("Sun, 06 Nov 1994 08:49:37 GMT"),
            Some(Duration::ZERO)
        );
        assert_eq!(retry_after("soon"), None);
    }
}
