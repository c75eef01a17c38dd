//! Errors of the API: a JSON body `{error, message}` with the status that fits.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Serialize;

use crate::index::IndexError;
use crate::search::SearchError;

/// A request that could not be answered: a stable `code` for tools, a one-line message for
/// people, and the HTTP status.
#[derive(Debug, Clone)]
pub struct ApiError {
    pub status: StatusCode,
    pub code: &'static str,
    pub message: String,
}

#[derive(Serialize)]
struct Body<'a> {
    error: &'a str,
    message: &'a str,
}

impl ApiError {
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> Self {
        ApiError {
            status,
            code,
            message: message.into(),
        }
    }

    pub fn bad_request(message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "bad_request", message)
    }

    pub fn not_found(message: impl Into<String>) -> Self {
        Self::new(StatusCode::NOT_FOUND, "not_found", message)
    }

    pub fn too_large(message: impl Into<String>) -> Self {
        Self::new(StatusCode::PAYLOAD_TOO_LARGE, "too_large", message)
    }

    pub fn unavailable(message: impl Into<String>) -> Self {
        Self::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "index_unavailable",
            message,
        )
    }

    pub fn internal(message: impl Into<String>) -> Self {
        Self::new(StatusCode::INTERNAL_SERVER_ERROR, "internal", message)
    }

    /// The response body as JSON text.
    pub fn json(&self) -> String {
        serde_json::to_string(&Body {
            error: self.code,
            message: &self.message,
        })
        .unwrap_or_default()
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        (
            self.status,
            Json(Body {
                error: self.code,
                message: &self.message,
            }),
        )
            .into_response()
    }
}

impl From<IndexError> for ApiError {
    fn from(e: IndexError) -> Self {
        match e {
            IndexError::Corrupt { .. } => ApiError::internal(e.to_string()),
            // Absent, being rebuilt, locked, another schema: try again later.
            _ => ApiError::unavailable(e.to_string()),
        }
    }
}

impl From<SearchError> for ApiError {
    fn from(e: SearchError) -> Self {
        match e {
            SearchError::Query(_) => {
                ApiError::new(StatusCode::BAD_REQUEST, "bad_query", e.to_string())
            }
            SearchError::Filter(_) | SearchError::UnknownValue { .. } => {
                ApiError::new(StatusCode::BAD_REQUEST, "bad_filter", e.to_string())
            }
            SearchError::Index(e) => e.into(),
        }
    }
}
