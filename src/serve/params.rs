//! Query-string parameters, checked: a value that is not what the parameter takes is a 400
//! naming the parameter, never a silent default.

use super::error::ApiError;
use crate::search::{Filters, YearRange};

/// Longest query text accepted, in characters. Longer URIs are refused before routing (414).
pub const MAX_QUERY_CHARS: usize = 1_000;
/// Most hits per request.
pub const MAX_LIMIT: usize = 100;
/// Deepest page: `offset + limit` at most this many hits, as deep as a search ranks them
/// whatever the page, so pages never repeat or skip a hit.
pub const MAX_DEPTH: usize = crate::search::RANKED_DEPTH;

/// The decoded `name=value` pairs of a query string, in order.
#[derive(Debug, Default, Clone)]
pub struct Params(Vec<(String, String)>);

impl Params {
    pub fn parse(raw: Option<&str>) -> Params {
        Params(
            form_urlencoded::parse(raw.unwrap_or("").as_bytes())
                .map(|(k, v)| (k.into_owned(), v.into_owned()))
                .collect(),
        )
    }

    /// The last non-empty value of `name`.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .rev()
            .find(|(k, v)| k == name && !v.trim().is_empty())
            .map(|(_, v)| v.trim())
    }

    /// Every value of `name`, repeated or comma-separated.
    pub fn all(&self, name: &str) -> Vec<String> {
        self.0
            .iter()
            .filter(|(k, _)| k == name)
            .flat_map(|(_, v)| v.split(','))
            .map(str::trim)
            .filter(|v| !v.is_empty())
            .map(String::from)
            .collect()
    }

    /// A whole number in `range`, or `default` when absent.
    pub fn number(
        &self,
        name: &str,
        default: usize,
        range: std::ops::RangeInclusive<usize>,
    ) -> Result<usize, ApiError> {
        let Some(v) = self.get(name) else {
            return Ok(default);
        };
        match v.parse::<usize>() {
            Ok(n) if range.contains(&n) => Ok(n),
            _ => Err(ApiError::bad_request(format!(
                "{name}={v:?} is not a whole number from {} to {}",
                range.start(),
                range.end()
            ))),
        }
    }

    /// A boolean parameter: `true`/`1` or `false`/`0` (absent or empty: false); anything else
    /// is a 400, not silently false.
    pub fn flag(&self, name: &str) -> Result<bool, ApiError> {
        match self.get(name) {
            None | Some("" | "false" | "0") => Ok(false),
            Some("true" | "1") => Ok(true),
            Some(v) => Err(ApiError::new(
                axum::http::StatusCode::BAD_REQUEST,
                "bad_filter",
                format!("{name}={v:?} is not true, false, 1 or 0"),
            )),
        }
    }

    /// The query text: required, at most [`MAX_QUERY_CHARS`].
    pub fn query_text(&self, name: &str) -> Result<Option<String>, ApiError> {
        let Some(q) = self.get(name) else {
            return Ok(None);
        };
        // Percent-encoded bytes that are no UTF-8 decode to U+FFFD: a client's encoding
        // mistake (GBK bytes, `%FF`), answered as one rather than searched for.
        if q.contains('\u{FFFD}') {
            return Err(ApiError::bad_request(format!(
                "{name} is not UTF-8 text once percent-decoded (send UTF-8, e.g. %E5%9B%BE for 图)"
            )));
        }
        let n = q.chars().count();
        if n > MAX_QUERY_CHARS {
            return Err(ApiError::new(
                axum::http::StatusCode::BAD_REQUEST,
                "query_too_long",
                format!("{name} has {n} characters; at most {MAX_QUERY_CHARS} are searched"),
            ));
        }
        Ok(Some(q.to_string()))
    }

    /// The search filters; `language_param` names the document-language filter (`lang` in
    /// the API, `language` in pages, where `lang` picks the interface language).
    pub fn filters(&self, language_param: &str) -> Result<Filters, ApiError> {
        let years = match self.get("year") {
            None => None,
            Some(y) => Some(
                y.parse::<YearRange>()
                    .map_err(|e| ApiError::bad_request(format!("year: {e}")))?,
            ),
        };
        Ok(Filters {
            jurisdictions: self.all("jurisdiction"),
            levels: self.all("level"),
            kinds: self.all("kind"),
            languages: self.all(language_param),
            statuses: self.all("status"),
            years,
            docs: self.all("doc"),
        })
    }

    /// The pairs, to rebuild links with one parameter changed.
    pub fn pairs(&self) -> &[(String, String)] {
        &self.0
    }

    /// A query string of these pairs with `name` replaced by `value` (removed when `None`).
    pub fn with(&self, name: &str, value: Option<&str>) -> String {
        let mut s = form_urlencoded::Serializer::new(String::new());
        for (k, v) in &self.0 {
            if k != name && !v.is_empty() {
                s.append_pair(k, v);
            }
        }
        if let Some(v) = value {
            s.append_pair(name, v);
        }
        s.finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_out_of_range_or_malformed_name_the_parameter() {
        let p = Params::parse(Some("limit=-1&offset=abc&ok=5"));
        let e = p.number("limit", 10, 1..=100).unwrap_err();
        assert_eq!(e.status, 400);
        assert!(e.message.contains("limit=\"-1\""), "{}", e.message);
        assert!(p.number("offset", 0, 0..=10).is_err());
        assert_eq!(p.number("ok", 1, 1..=9).unwrap(), 5);
        assert_eq!(p.number("absent", 7, 1..=9).unwrap(), 7);
    }

    #[test]
    fn filters_split_commas_and_repeats_and_check_years() {
        let p = Params::parse(Some("jurisdiction=CN,TW&jurisdiction=US&year=2010..2020"));
        let f = p.filters("lang").unwrap();
        assert_eq!(f.jurisdictions, ["CN", "TW", "US"]);
        assert_eq!(f.years.unwrap().from, Some(2010));
        let bad = Params::parse(Some("year=abc")).filters("lang").unwrap_err();
        assert_eq!(bad.status, 400);
        assert!(bad.message.starts_with("year:"), "{}", bad.message);
    }

    #[test]
    fn a_query_that_is_no_utf8_is_refused() {
        let e = Params::parse(Some("q=%FF%FE")).query_text("q").unwrap_err();
        assert_eq!(e.status, 400);
        assert!(e.message.contains("not UTF-8"), "{}", e.message);
        let ok = Params::parse(Some("q=%E5%9B%BE")).query_text("q").unwrap();
        assert_eq!(ok.as_deref(), Some("图"));
    }

    #[test]
    fn booleans_are_true_false_1_or_0() {
        let p = Params::parse(Some("a=true&b=0&c=yes&d="));
        assert!(p.flag("a").unwrap());
        assert!(!p.flag("b").unwrap());
        assert!(!p.flag("d").unwrap());
        assert!(!p.flag("absent").unwrap());
        let e = p.flag("c").unwrap_err();
        assert_eq!(e.status, 400);
        assert_eq!(e.code, "bad_filter");
        assert!(e.message.starts_with("c=\"yes\""), "{}", e.message);
    }

    #[test]
    fn links_replace_one_parameter_and_encode_it() {
        let p = Params::parse(Some("q=%E5%9B%BE+%26&page=3"));
        assert_eq!(p.get("q"), Some("图 &"));
        assert_eq!(p.with("page", Some("4")), "q=%E5%9B%BE+%26&page=4");
        assert_eq!(p.with("page", None), "q=%E5%9B%BE+%26");
    }
}
