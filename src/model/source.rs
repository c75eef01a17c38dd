//! Metadata a manifest (or the user) states about a source.

use std::path::Path;

use serde::{Deserialize, Serialize};

/// What is known about a document besides its text: jurisdiction, level, kind, status, dates.
/// Every field is optional: a file indexed without a manifest has only what the parser found.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SourceMeta {
    /// Stable document id (`cn.public-library-law`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// ISO 3166 code with subdivision: `CN`, `CN-SH`, `TW`, `US`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub jurisdiction: Option<String>,
    /// `national`, `provincial`, `municipal`, `international`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub level: Option<String>,
    /// `law`, `administrative-regulation`, `local-regulation`, `rule`, …
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    /// BCP 47: `zh-Hans`, `zh-Hant`, `en`, `ko`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub language: Option<String>,
    /// `in-force`, `amended`, `repealed`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    /// Year of the version (adoption or last amendment).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub year: Option<i32>,
    /// CSS selector of the body in an HTML page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub select: Option<String>,
    /// The work (the law across its versions and copies) this source is a text of, when the
    /// manifest says so; otherwise it is inferred (see `crate::work`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub work: Option<String>,
    /// Which version of its work this source is (`2018`, `2018-10-26`, `draft-2`), when the
    /// manifest says so; sources of one work with the same version are copies.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    /// Dates as `YYYY-MM-DD`: adoption, amendments (oldest first), entry into force.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub adopted: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub amended: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub effective: Option<String>,
    /// The text of the listing link that led a crawl to this document (公共图书馆条例,
    /// 关于印发《…》的通知): a title for a text that names itself nowhere, never one over
    /// its own. Not a manifest key.
    #[serde(skip)]
    pub link_text: Option<String>,
}

/// A readable document id from a file path: the file stem, with characters that would clash
/// with the `/` of clause ids or with shells replaced by `-`. CJK stays as it is, so the bulk
/// corpus' `公共图书馆法(2018-10-26).md` becomes `公共图书馆法-2018-10-26`.
pub fn doc_id_from_path(path: &Path) -> String {
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    slug(&stem)
}

fn slug(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut dash = false;
    for c in s.chars() {
        if c.is_alphanumeric() || c == '.' || c == '_' {
            out.extend(c.to_lowercase());
            dash = false;
        } else if !dash && !out.is_empty() {
            out.push('-');
            dash = true;
        }
    }
    while out.ends_with('-') {
        out.pop();
    }
    if out.is_empty() {
        out.push_str("doc");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_from_paths_are_readable_and_slash_free() {
        assert_eq!(
            doc_id_from_path(Path::new("cn/national/public-library-law-2018.md")),
            "public-library-law-2018"
        );
        assert_eq!(
            doc_id_from_path(Path::new("x/公共图书馆法(2018-10-26).md")),
            "公共图书馆法-2018-10-26"
        );
        assert_eq!(
            doc_id_from_path(Path::new("us/anadromous-fish.comps.uslm.xml")),
            "anadromous-fish.comps.uslm"
        );
    }
}
