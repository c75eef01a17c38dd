//! The JSON API. Records are those of the CLI's JSON: search hits as `lawdex search --format
//! json`, clauses and documents as `lawdex show --format json`, the matrix as `lawdex gaps
//! --format json`, changes as the report `lawdex update` keeps.

use std::sync::Arc;

use axum::body::{Body, Bytes};
use axum::extract::{Path, RawQuery, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use http_body_util::BodyExt;
use serde::Serialize;

use super::error::ApiError;
use super::params::Params;
use super::{App, OPENAPI};
use crate::model::{Clause, DocInfo};
use crate::search::record::ResultsRecord;

/// A JSON response of `value`.
pub fn json(value: &impl Serialize) -> Response {
    match serde_json::to_vec(value) {
        Ok(body) => (
            [(header::CONTENT_TYPE, "application/json; charset=utf-8")],
            body,
        )
            .into_response(),
        Err(e) => ApiError::internal(e.to_string()).into_response(),
    }
}

#[derive(Serialize)]
struct SearchRecord<'a> {
    #[serde(flatten)]
    results: ResultsRecord<'a>,
    offset: usize,
    limit: usize,
}

/// `GET /api/search`
pub async fn search(
    State(app): State<Arc<App>>,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    let params = Params::parse(raw.as_deref());
    let request = super::SearchRequest::from_params(&params, "lang", 10)?
        .ok_or_else(|| ApiError::bad_request("q is missing: /api/search?q=WORDS"))?;
    app.blocking(move |app| {
        let page = request.run(&*app.corpus.current()?)?;
        Ok(json(&SearchRecord {
            results: ResultsRecord::from_rank(&page.text, &page.results, page.offset),
            offset: page.offset,
            limit: page.limit,
        }))
    })
    .await
}

/// A clause as `lawdex show ID --format json` prints it.
#[derive(Serialize)]
pub struct ClauseRecord<'a> {
    pub document: &'a DocInfo,
    pub clause: &'a Clause,
    pub citation: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub paragraph: Option<usize>,
}

/// `GET /api/clauses/{*id}`: `doc/art33` or `doc/art33/para2`.
pub async fn clause(
    State(app): State<Arc<App>>,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    super::check_id(&id)?;
    app.blocking(move |app| {
        let g = app.corpus.current()?;
        let (clause_id, paragraph) = match id.rsplit_once("/para") {
            Some((head, n)) if n.parse::<usize>().is_ok() => (head, n.parse().ok()),
            _ => (id.as_str(), None),
        };
        let Some((info, clause)) = g.searcher.index().clause(clause_id)? else {
            return Err(ApiError::not_found(format!("no clause with id `{id}`")));
        };
        if paragraph.is_some_and(|n| n == 0 || n > clause.paragraphs.len().max(1)) {
            return Err(ApiError::not_found(format!(
                "{} has {} paragraphs",
                clause.id,
                clause.paragraphs.len()
            )));
        }
        let label = clause.cited_label(paragraph);
        Ok(json(&ClauseRecord {
            document: &info,
            citation: crate::model::citation(&info.title, &label),
            clause: &clause,
            paragraph,
        }))
    })
    .await
}

/// `GET /api/documents/{*id}`
pub async fn document(
    State(app): State<Arc<App>>,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    super::check_id(&id)?;
    app.blocking(move |app| {
        let g = app.corpus.current()?;
        match g.searcher.index().document(&id)? {
            Some(doc) => Ok(json(&doc)),
            None => Err(ApiError::not_found(format!("no document with id `{id}`"))),
        }
    })
    .await
}

/// `GET /api/gaps?doc=&jurisdiction=`
pub async fn gaps(
    State(app): State<Arc<App>>,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    let params = Params::parse(raw.as_deref());
    let docs = params.all("doc");
    let jurisdictions = params.all("jurisdiction");
    for id in &docs {
        super::check_id(id)?;
    }
    app.blocking(move |app| {
        let generation = app.corpus.current()?;
        generation.check_jurisdictions(&jurisdictions)?;
        let cov = generation.coverage()?;
        Ok(json(&super::select_rows(&cov, &docs, &jurisdictions)?))
    })
    .await
}

/// `POST /api/gaps/draft?filename=`: the body is the draft, in any format lawdex reads.
pub async fn draft(
    State(app): State<Arc<App>>,
    RawQuery(raw): RawQuery,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, ApiError> {
    let params = Params::parse(raw.as_deref());
    let bytes = read_body(&headers, body, app.settings.max_upload).await?;
    let name = params.get("filename").map(String::from);
    app.blocking(move |app| {
        let report = super::draft_report(app, &bytes, name.as_deref())?;
        Ok(json(&report))
    })
    .await
}

/// How much of an oversized body is read and dropped before answering 413.
const DRAIN_BYTES: usize = 1024 * 1024;

/// The body, refused with 413 as soon as it is known to be longer than `limit` (from its
/// `Content-Length` before reading anything, or while reading).
pub async fn read_body(headers: &HeaderMap, body: Body, limit: usize) -> Result<Bytes, ApiError> {
    let too_large = || {
        ApiError::too_large(format!(
            "the draft is larger than {limit} bytes (lawdex serve --max-upload)"
        ))
    };
    let declared = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > limit as u64) {
        return Err(too_large());
    }
    let mut bytes = Vec::new();
    let mut seen = 0usize;
    let mut body = body;
    while let Some(frame) = body.frame().await {
        let frame = frame
            .map_err(|e| ApiError::bad_request(format!("cannot read the request body: {e}")))?;
        let Ok(chunk) = frame.into_data() else {
            continue;
        };
        seen += chunk.len();
        if seen <= limit {
            bytes.extend_from_slice(&chunk);
        } else if seen > limit.saturating_add(DRAIN_BYTES) {
            break;
        }
        // Past the limit the rest is read and dropped (up to DRAIN_BYTES), so the client
        // reads the 413 instead of a reset connection.
    }
    if seen > limit {
        return Err(too_large());
    }
    let bytes = Bytes::from(bytes);
    if bytes.is_empty() {
        return Err(ApiError::bad_request(
            "the body is empty: send the draft file as the request body",
        ));
    }
    Ok(bytes)
}

/// `GET /api/changes`: the newest report in `DATA_DIR/reports/`.
pub async fn changes(State(app): State<Arc<App>>) -> Result<Response, ApiError> {
    app.blocking(|app| match super::newest_report(app.corpus.data_dir())? {
        Some((_, report)) => Ok(json(&report)),
        None => Err(ApiError::not_found(
            "no change report yet: `lawdex update` writes one per run",
        )),
    })
    .await
}

#[derive(Serialize)]
struct Health {
    status: &'static str,
    index: String,
    /// When the open index was opened (seconds since the Unix epoch): changes after a commit.
    opened: u64,
    schema_version: u32,
}

/// `GET /api/health`: 200 when the index answers, 503 when it does not.
pub async fn health(State(app): State<Arc<App>>) -> Result<Response, ApiError> {
    app.blocking(|app| {
        let g = app.corpus.current()?;
        Ok(json(&Health {
            status: "ok",
            index: g.searcher.index().dir().display().to_string(),
            opened: g
                .opened
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.as_secs())
                .unwrap_or(0),
            schema_version: crate::index::SCHEMA_VERSION,
        }))
    })
    .await
}

/// `GET /api/openapi.json`
pub async fn openapi() -> Response {
    (
        [(header::CONTENT_TYPE, "application/json; charset=utf-8")],
        OPENAPI,
    )
        .into_response()
}

/// Any other `/api/…` path.
pub async fn not_found() -> ApiError {
    ApiError::new(
        StatusCode::NOT_FOUND,
        "not_found",
        "no such endpoint: see /api/openapi.json",
    )
}
