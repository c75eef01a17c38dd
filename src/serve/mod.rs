//! `lawdex serve`: a JSON API and server-rendered pages over the index of a data directory.
//!
//! - [`api`]: `/api/…`, JSON records as the CLI prints them, errors as `{error, message}`;
//! - [`pages`]: HTML for people, in Chinese or English, working without JavaScript;
//! - [`state`]: the open index, reopened when a commit or a rebuild replaces it.
//!
//! All document text is untrusted: pages escape every text and attribute, ids from paths are
//! only ever looked up in the index, and bodies, URIs, concurrent work and slow clients are
//! bounded (see [`Settings`]). A panic in a handler answers 500 to that request only.

pub mod api;
mod error;
mod html;
pub mod pages;
pub mod params;
pub mod state;

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use axum::extract::Request;
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use serde_json::Value;
use tokio::sync::Semaphore;

pub use error::ApiError;

use crate::coverage::CorpusCoverage;
use crate::model::{SegmentedDoc, SourceMeta};
use crate::parse::{self, Input, Limits};
use crate::search::{Query, Results};
use params::Params;
use state::{Corpus, REPORT_OPTIONS};

/// The OpenAPI description of the API, served at `/api/openapi.json`.
pub const OPENAPI: &str = include_str!("openapi.json");

/// Every API route the router serves, as OpenAPI names them (checked against [`OPENAPI`]).
pub const API_ROUTES: &[(&str, &str)] = &[
    ("get", "/api/search"),
    ("get", "/api/clauses/{id}"),
    ("get", "/api/documents/{id}"),
    ("get", "/api/gaps"),
    ("post", "/api/gaps/draft"),
    ("get", "/api/changes"),
    ("get", "/api/health"),
    ("get", "/api/openapi.json"),
];

/// Longest request target (path and query) accepted; longer ones get 414. Room for the longest
/// query searched (1,000 characters) in Chinese, 9 bytes each once percent-encoded, and the
/// filters beside it.
pub const MAX_URI_BYTES: usize = 12 * 1024;
/// Longest id accepted in a path.
pub const MAX_ID_BYTES: usize = 512;

/// How the server runs, resolved from the command line.
#[derive(Debug, Clone)]
pub struct Settings {
    pub data_dir: PathBuf,
    /// Largest draft accepted, in bytes.
    pub max_upload: usize,
    /// Searches, matrices and drafts computed at once; more wait their turn.
    pub workers: usize,
    /// Longest time a request may take, from its headers to its answer.
    pub request_timeout: Duration,
    /// Longest time a client may take to send its request headers.
    pub header_timeout: Duration,
}

impl Settings {
    pub fn new(data_dir: PathBuf) -> Self {
        Settings {
            data_dir,
            max_upload: 4 * 1024 * 1024,
            workers: std::thread::available_parallelism().map_or(2, |n| n.get()),
            request_timeout: Duration::from_secs(30),
            header_timeout: Duration::from_secs(10),
        }
    }
}

/// What every handler shares.
pub struct App {
    pub settings: Settings,
    pub corpus: Corpus,
    work: Arc<Semaphore>,
}

impl App {
    pub fn new(settings: Settings) -> Arc<App> {
        // Chinese questions are cut by jieba's dictionary: load it now, off the request path,
        // so the first such question is not the one that waits for it.
        std::thread::spawn(crate::index::analysis::warm_up);
        Arc::new(App {
            corpus: Corpus::new(settings.data_dir.clone()),
            work: Arc::new(Semaphore::new(settings.workers.max(1))),
            settings,
        })
    }

    /// Runs `f` on a blocking thread once one of the [`Settings::workers`] slots is free. A
    /// panic inside becomes a 500 for this request.
    pub async fn blocking<T: Send + 'static>(
        self: &Arc<Self>,
        f: impl FnOnce(&App) -> Result<T, ApiError> + Send + 'static,
    ) -> Result<T, ApiError> {
        let permit = self
            .work
            .clone()
            .acquire_owned()
            .await
            .map_err(|_| ApiError::unavailable("the server is shutting down"))?;
        let app = self.clone();
        // The permit goes with the work: a request that timed out stops waiting, but its
        // work still holds its slot until it is done.
        let work = move || {
            let _permit = permit;
            f(&app)
        };
        match tokio::task::spawn_blocking(work).await {
            Ok(r) => r,
            Err(_) => Err(ApiError::internal("internal error while answering")),
        }
    }
}

/// A search as the API and the search page ask for it.
#[derive(Debug, Clone)]
pub struct SearchRequest {
    pub query: Query,
    pub offset: usize,
    pub limit: usize,
}

/// One page of hits.
pub struct SearchPage {
    pub text: String,
    pub results: Results,
    pub offset: usize,
    pub limit: usize,
}

impl SearchRequest {
    /// The request in `params`; `None` when there is no query text.
    pub fn from_params(
        params: &Params,
        language_param: &str,
        default_limit: usize,
    ) -> Result<Option<SearchRequest>, ApiError> {
        let filters = params.filters(language_param)?;
        let limit = params.number("limit", default_limit, 1..=params::MAX_LIMIT)?;
        let offset = params.number("offset", 0, 0..=params::MAX_DEPTH - limit)?;
        let Some(text) = params.query_text("q")? else {
            return Ok(None);
        };
        let mut query = Query::parse(&text)
            .map_err(|e| ApiError::new(StatusCode::BAD_REQUEST, "bad_query", e.to_string()))?;
        query.filters = filters;
        query.limit = offset + limit;
        query.facets = true;
        query.exact = params.flag("exact")?;
        // Versions of a law, as `lawdex search --all-versions` / `--as-of DATE`.
        if params.flag("all_versions")? {
            query.scope = crate::search::Scope::All;
        } else if let Some(day) = params.get("as_of") {
            let day = crate::work::CalendarDate::parse(day).ok_or_else(|| {
                ApiError::bad_request(format!("as_of={day:?} is not a date such as 2018-01-01"))
            })?;
            query.scope = crate::search::Scope::AsOf(day);
        }
        Ok(Some(SearchRequest {
            query,
            offset,
            limit,
        }))
    }

    /// Runs the search (blocking).
    pub fn run(&self, g: &state::Generation) -> Result<SearchPage, ApiError> {
        // A mistyped filter is a 400 naming it, as the command line's exit 2, not "no match".
        g.searcher.check_filters(&self.query.filters)?;
        let results = g.searcher.search(&self.query)?;
        Ok(SearchPage {
            text: self.query.text.clone(),
            results,
            offset: self.offset,
            limit: self.limit,
        })
    }
}

/// Ids come from paths and are only looked up in the index; this refuses what no id is.
pub fn check_id(id: &str) -> Result<(), ApiError> {
    if id.is_empty() || id.len() > MAX_ID_BYTES || id.chars().any(char::is_control) {
        return Err(ApiError::bad_request(format!(
            "not an id: ids are 1 to {MAX_ID_BYTES} bytes without control characters"
        )));
    }
    Ok(())
}

/// The rows of the matrix `report` for documents `docs` (all when empty) in `jurisdictions`
/// (a prefix: CN also selects CN-SH). An unknown document is a 404.
pub fn select_rows(
    cov: &state::Coverage,
    docs: &[String],
    jurisdictions: &[String],
) -> Result<Value, ApiError> {
    let report = &cov.report;
    let rows = report["documents"].as_array().cloned().unwrap_or_default();
    let id = |r: &Value| r["doc_id"].as_str().unwrap_or("").to_string();
    for d in docs {
        if !rows.iter().any(|r| &id(r) == d) {
            return Err(ApiError::not_found(format!("no document with id `{d}`")));
        }
    }
    let in_jurisdiction = |j: &str| {
        jurisdictions.is_empty()
            || jurisdictions.iter().any(|w| {
                j.eq_ignore_ascii_case(w)
                    || (j.len() > w.len()
                        && j.is_char_boundary(w.len())
                        && j[..w.len()].eq_ignore_ascii_case(w)
                        && j.as_bytes()[w.len()] == b'-')
            })
    };
    let kept: Vec<Value> = rows
        .into_iter()
        .filter(|r| docs.is_empty() || docs.contains(&id(r)))
        // One row per law, its version in force, as `lawdex gaps`; an id asked for is shown
        // whatever its version.
        .filter(|r| !docs.is_empty() || !cov.not_current.contains(&id(r)))
        .filter(|r| in_jurisdiction(r["jurisdiction"].as_str().unwrap_or("")))
        .collect();
    let mut out = report.clone();
    out["documents"] = Value::Array(kept);
    Ok(out)
}

/// The file name a draft is parsed under: `draft` plus the extension of the name the client
/// gave, if it is a plain one (the name never reaches the file system; the extension only
/// breaks ties when the bytes are sniffed).
fn draft_name(given: Option<&str>) -> String {
    let ext = given
        .and_then(|n| n.rsplit_once('.'))
        .map(|(_, e)| e)
        .filter(|e| !e.is_empty() && e.len() <= 8 && e.chars().all(|c| c.is_ascii_alphanumeric()));
    match ext {
        Some(e) => format!("draft.{}", e.to_ascii_lowercase()),
        None => "draft".to_string(),
    }
}

/// The coverage of a draft (bytes of any format lawdex reads) against the built-in taxonomy,
/// with model clauses from the indexed corpus (blocking).
pub fn draft_report(app: &App, bytes: &[u8], name: Option<&str>) -> Result<Value, ApiError> {
    let name = draft_name(name);
    let limits = Limits {
        max_bytes: app.settings.max_upload as u64,
        ..Limits::default()
    };
    let input = Input {
        source: &name,
        bytes,
        content_type: None,
        select: None,
    };
    let mut doc = parse::parse_bytes(input, &limits).map_err(|e| {
        ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "unreadable_draft",
            e.to_string(),
        )
    })?;
    doc.id = "draft".into();
    let segmented = crate::segment::segment(&doc);
    if segmented.clauses.is_empty() {
        return Err(ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "unreadable_draft",
            "no articles found (第一条 …, Article 1, §1): not a law text to check",
        ));
    }
    let info = crate::ingest::doc_info(
        &doc,
        &segmented,
        &SourceMeta::default(),
        Path::new(&name),
        false,
    );
    let draft = SegmentedDoc {
        info,
        clauses: segmented.clauses,
    };
    let cov = app.corpus.current()?.coverage()?;
    let report = CorpusCoverage::compute(&cov.matcher, &cov.docs).report_external(
        std::slice::from_ref(&draft),
        &[],
        REPORT_OPTIONS,
    );
    serde_json::to_value(&report).map_err(|e| ApiError::internal(e.to_string()))
}

/// Largest change report read.
const MAX_REPORT_BYTES: u64 = 64 * 1024 * 1024;

/// The newest change report in `DATA_DIR/reports/` (file names sort in the order of the
/// runs), with its file name.
pub fn newest_report(data_dir: &Path) -> Result<Option<(String, Value)>, ApiError> {
    let dir = data_dir.join("reports");
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return Ok(None);
    };
    let newest = entries
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| {
            p.extension().is_some_and(|e| e == "json")
                && !p
                    .file_name()
                    .is_some_and(|n| n.to_string_lossy().starts_with('.'))
                && p.is_file()
        })
        .max();
    let Some(path) = newest else {
        return Ok(None);
    };
    let unreadable =
        |e: String| ApiError::internal(format!("change report {}: {e}", path.display()));
    let size = std::fs::metadata(&path)
        .map_err(|e| unreadable(e.to_string()))?
        .len();
    if size > MAX_REPORT_BYTES {
        return Err(unreadable(format!("larger than {MAX_REPORT_BYTES} bytes")));
    }
    let text = std::fs::read(&path).map_err(|e| unreadable(e.to_string()))?;
    let value: Value = serde_json::from_slice(&text).map_err(|e| unreadable(e.to_string()))?;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    Ok(Some((name, value)))
}

/// The router: API, pages and static files, with every limit applied.
pub fn router(app: Arc<App>) -> Router {
    let api = Router::new()
        .route("/api/search", get(api::search))
        .route("/api/clauses/{*id}", get(api::clause))
        .route("/api/documents/{*id}", get(api::document))
        .route("/api/gaps", get(api::gaps))
        .route("/api/gaps/draft", post(api::draft))
        .route("/api/changes", get(api::changes))
        .route("/api/health", get(api::health))
        .route("/api/openapi.json", get(api::openapi))
        .route("/api/{*rest}", axum::routing::any(api::not_found));
    let pages = pages::routes(app.settings.max_upload);
    harden(api.merge(pages).with_state(app.clone()), &app.settings)
}

/// The limits every route gets: URI length, request timeout, panics as 500, safe headers.
pub fn harden(router: Router, settings: &Settings) -> Router {
    use tower_http::catch_panic::CatchPanicLayer;
    use tower_http::timeout::RequestBodyTimeoutLayer;
    router
        .layer(middleware::from_fn_with_state(
            settings.request_timeout,
            guard,
        ))
        .layer(RequestBodyTimeoutLayer::new(settings.request_timeout))
        .layer(CatchPanicLayer::custom(|_| {
            ApiError::internal("internal error while answering this request").into_response()
        }))
}

/// Refuses over-long request targets (414), answers 503 to a request that takes longer than
/// `timeout`, and adds headers that keep a browser from running anything a page did not mean
/// to run.
async fn guard(
    axum::extract::State(timeout): axum::extract::State<Duration>,
    req: Request,
    next: Next,
) -> Response {
    let len = req.uri().path_and_query().map_or(0, |p| p.as_str().len());
    if len > MAX_URI_BYTES {
        return ApiError::new(
            StatusCode::URI_TOO_LONG,
            "uri_too_long",
            format!("the request target has {len} bytes; at most {MAX_URI_BYTES} are read"),
        )
        .into_response();
    }
    let method = req.method().clone();
    let mut resp = match tokio::time::timeout(timeout, next.run(req)).await {
        // The router's bare 405 (POST to a search, GET to the draft endpoint) gets the JSON
        // every other error has; its `Allow` header stays.
        Ok(r) if r.status() == StatusCode::METHOD_NOT_ALLOWED => {
            let allow = r.headers().get(header::ALLOW).cloned();
            let mut out = ApiError::new(
                StatusCode::METHOD_NOT_ALLOWED,
                "method_not_allowed",
                format!(
                    "{method} is not answered here; {}",
                    allow
                        .as_ref()
                        .and_then(|a| a.to_str().ok())
                        .map_or("see /api/openapi.json".to_string(), |a| format!(
                            "allowed: {a}"
                        ))
                ),
            )
            .into_response();
            if let Some(a) = allow {
                out.headers_mut().insert(header::ALLOW, a);
            }
            out
        }
        Ok(r) => r,
        Err(_) => ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "timeout",
            format!(
                "no answer within {} s (lawdex serve --timeout)",
                timeout.as_secs()
            ),
        )
        .into_response(),
    };
    let h = resp.headers_mut();
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(
            "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
             object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
        ),
    );
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("same-origin"),
    );
    resp
}

/// Binds `bind` and answers until the process ends; `ready` is called with the bound
/// address once requests are accepted.
pub async fn serve(
    settings: Settings,
    bind: SocketAddr,
    ready: impl FnOnce(SocketAddr),
) -> std::io::Result<()> {
    use hyper_util::rt::{TokioIo, TokioTimer};
    use hyper_util::service::TowerToHyperService;

    let listener = tokio::net::TcpListener::bind(bind).await?;
    let header_timeout = settings.header_timeout;
    let router = router(App::new(settings));
    ready(listener.local_addr()?);
    loop {
        let (stream, _) = match listener.accept().await {
            Ok(c) => c,
            // Out of file descriptors and the like: wait instead of spinning.
            Err(_) => {
                tokio::time::sleep(Duration::from_millis(50)).await;
                continue;
            }
        };
        let _ = stream.set_nodelay(true);
        let service = TowerToHyperService::new(router.clone());
        tokio::spawn(async move {
            let mut conn = hyper::server::conn::http1::Builder::new();
            conn.timer(TokioTimer::new())
                .header_read_timeout(header_timeout);
            let _ = conn.serve_connection(TokioIo::new(stream), service).await;
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::body::Body;
    use axum::extract::State;
    use tower::ServiceExt;

    async fn call(router: &Router, path: &str) -> (StatusCode, Value) {
        let r = router
            .clone()
            .oneshot(Request::get(path).body(Body::empty()).unwrap())
            .await
            .unwrap();
        let status = r.status();
        let body = axum::body::to_bytes(r.into_body(), 1 << 20).await.unwrap();
        (status, serde_json::from_slice(&body).unwrap())
    }

    #[tokio::test]
    async fn a_panic_answers_500_to_its_request_only() {
        let settings = Settings::new(PathBuf::from("/nonexistent/lawdex-data"));
        let app = App::new(settings.clone());
        let routes = Router::new()
            .route(
                "/boom",
                get(|| async {
                    if true {
                        panic!("boom");
                    }
                    "never"
                }),
            )
            .route(
                "/boom-blocking",
                get(|State(app): State<Arc<App>>| async move {
                    app.blocking(|_| -> Result<(), ApiError> { panic!("boom") })
                        .await
                        .map(|_| "never")
                }),
            )
            .route("/api/health", get(api::health))
            .with_state(app);
        let router = harden(routes, &settings);
        for path in ["/boom", "/boom-blocking"] {
            let (status, body) = call(&router, path).await;
            assert_eq!(status, StatusCode::INTERNAL_SERVER_ERROR, "{path}");
            assert_eq!(body["error"], "internal");
        }
        // The server goes on answering: here, that there is no index.
        let (status, body) = call(&router, "/api/health").await;
        assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
        assert_eq!(body["error"], "index_unavailable");
    }

    #[tokio::test]
    async fn a_request_over_the_time_limit_answers_503_in_json() {
        let mut settings = Settings::new(PathBuf::from("/nonexistent/lawdex-data"));
        settings.request_timeout = Duration::from_millis(50);
        let routes = Router::new().route(
            "/slow",
            get(|| async {
                tokio::time::sleep(Duration::from_secs(600)).await;
                "never"
            }),
        );
        let (status, body) = call(&harden(routes, &settings), "/slow").await;
        assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
        assert_eq!(body["error"], "timeout");
    }

    #[test]
    fn every_route_is_in_the_openapi_description() {
        let spec: Value = serde_json::from_str(OPENAPI).unwrap();
        for (method, path) in API_ROUTES {
            assert!(spec["paths"][path][method].is_object(), "{method} {path}");
        }
        assert_eq!(spec["paths"].as_object().unwrap().len(), API_ROUTES.len());
    }

    #[test]
    fn draft_names_keep_only_a_plain_extension() {
        assert_eq!(draft_name(Some("../../etc/passwd")), "draft");
        assert_eq!(draft_name(Some("草案.DOCX")), "draft.docx");
        assert_eq!(draft_name(Some("x.m d")), "draft");
        assert_eq!(draft_name(None), "draft");
    }
}
