//! Text decoding: BOM, a declared charset, UTF-8, or detection.
//!
//! HTML adds two places a charset is declared: the HTTP `Content-Type` header and a `<meta>`
//! tag, which must be read from the raw bytes before anything is decoded.

use encoding_rs::{Encoding, UTF_8};

/// Decoded text and how it was decoded.
#[derive(Debug, Clone)]
pub struct Decoded {
    pub text: String,
    pub encoding: &'static Encoding,
    /// Set when a declared charset did not fit the bytes and another one was used, or when the
    /// text still holds undecodable bytes (shown as U+FFFD).
    pub warning: Option<String>,
}

/// Decodes `bytes` to a string. Order: a byte-order mark, then `declared` (an HTTP or
/// `<meta>` charset label) when it decodes without errors, then UTF-8 when valid, then
/// chardetng's guess. chardetng gets no top-level-domain hint: a fixed `cn` hint turns Big5
/// into garbage without any error.
pub fn decode(bytes: &[u8], declared: Option<&str>) -> (String, &'static Encoding) {
    let d = decode_declared(bytes, &[declared]);
    (d.text, d.encoding)
}

/// Like [`decode`] with several declarations in order of authority (HTTP header, then
/// `<meta>`); the first one that decodes the bytes without errors wins.
pub fn decode_declared(bytes: &[u8], declared: &[Option<&str>]) -> Decoded {
    if let Some((enc, bom_len)) = Encoding::for_bom(bytes) {
        let rest = bytes.get(bom_len..).unwrap_or_default();
        let (text, had_errors) = enc.decode_without_bom_handling(rest);
        return Decoded {
            text: text.into_owned(),
            encoding: enc,
            warning: had_errors.then(|| format!("invalid {} bytes replaced", enc.name())),
        };
    }
    // A declared charset that fails is remembered: when detection does no better, the
    // declaration is still the best reading of a page with a few corrupt bytes.
    let mut failed: Option<(&'static Encoding, String)> = None;
    for label in declared.iter().flatten() {
        let Some(enc) = encoding_for_label(label) else {
            continue;
        };
        // std's validator is precompiled with optimisations, so this path stays fast in debug
        // builds too; encoding_rs would be compiled with ours.
        if enc == UTF_8 {
            if let Ok(s) = std::str::from_utf8(bytes) {
                return Decoded {
                    text: s.to_string(),
                    encoding: UTF_8,
                    warning: None,
                };
            }
        }
        let (text, had_errors) = enc.decode_without_bom_handling(bytes);
        if !had_errors {
            return Decoded {
                text: text.into_owned(),
                encoding: enc,
                warning: None,
            };
        }
        if failed.is_none() {
            failed = Some((enc, text.into_owned()));
        }
    }
    if let Ok(s) = std::str::from_utf8(bytes) {
        return Decoded {
            text: s.to_string(),
            encoding: UTF_8,
            warning: failed.map(|(enc, _)| {
                format!(
                    "declared charset {} does not fit the bytes; read as UTF-8",
                    enc.name()
                )
            }),
        };
    }
    // UTF-8 text with a stray bad byte (a copy cut mid-character, one flipped byte) is still
    // UTF-8: a detector would read the whole file as another charset and garble every line.
    if failed.is_none() {
        let lossy = String::from_utf8_lossy(bytes);
        let bad = replacements(&lossy);
        let good = lossy
            .chars()
            .filter(|c| !c.is_ascii() && *c != '\u{FFFD}')
            .count();
        if good > 0 && bad * 20 <= good {
            return Decoded {
                text: lossy.into_owned(),
                encoding: UTF_8,
                warning: Some(format!("{bad} invalid UTF-8 bytes replaced")),
            };
        }
    }
    let mut det = chardetng::EncodingDetector::new();
    det.feed(bytes, true);
    let guess = det.guess(None, false);
    let (text, had_errors) = guess.decode_without_bom_handling(bytes);
    let guessed = (guess, text.into_owned(), had_errors);
    match failed {
        // A few corrupt bytes in a page that is otherwise what it says it is: trust the
        // declaration over a detector that will happily pick a single-byte encoding with no
        // errors and garbage text.
        Some((enc, declared_text))
            if enc == guess
                || replacements(&declared_text) * 100 <= declared_text.chars().count() =>
        {
            Decoded {
                text: declared_text,
                encoding: enc,
                warning: Some(format!("invalid {} bytes replaced", enc.name())),
            }
        }
        Some((enc, _)) => Decoded {
            text: guessed.1,
            encoding: guess,
            warning: Some(format!(
                "declared charset {} does not fit the bytes; detected {}",
                enc.name(),
                guess.name()
            )),
        },
        None => Decoded {
            warning: guessed
                .2
                .then(|| format!("invalid {} bytes replaced", guess.name())),
            text: guessed.1,
            encoding: guess,
        },
    }
}

/// Decodes an HTML page: BOM, then the charset of the HTTP `Content-Type`, then the `<meta>`
/// declaration in the first 4 KB, then UTF-8 or detection.
pub fn decode_html(bytes: &[u8], content_type: Option<&str>) -> Decoded {
    let http = content_type.and_then(content_type_charset);
    let meta = meta_charset(bytes.get(..META_SCAN_BYTES).unwrap_or(bytes));
    // Servers that add `charset=ISO-8859-1` to every page by default (Apache's old
    // AddDefaultCharset) would otherwise win over the page's own GBK <meta>; windows-1252
    // decodes any bytes without error, so it can never be refuted by decoding.
    let http = match (http, meta.as_deref()) {
        (Some(h), Some(m))
            if encoding_for_label(h) == Some(encoding_rs::WINDOWS_1252)
                && encoding_for_label(m) != Some(encoding_rs::WINDOWS_1252) =>
        {
            None
        }
        _ => http,
    };
    decode_declared(bytes, &[http, meta.as_deref()])
}

/// How far into a page a `<meta charset>` is looked for. The HTML standard prescans 1024
/// bytes; Chinese government pages put long comments and scripts first, so we look further.
const META_SCAN_BYTES: usize = 4096;

/// The `charset` parameter of a MIME type such as `text/html; charset="gbk"`.
pub fn content_type_charset(content_type: &str) -> Option<&str> {
    content_type.split(';').skip(1).find_map(|param| {
        let (name, value) = param.split_once('=')?;
        if !name.trim().eq_ignore_ascii_case("charset") {
            return None;
        }
        let value = value.trim().trim_matches(|c| c == '"' || c == '\'').trim();
        (!value.is_empty()).then_some(value)
    })
}

/// The charset a page declares in `<meta charset=…>` or
/// `<meta http-equiv="Content-Type" content="…; charset=…">`, read from raw bytes (ASCII-
/// compatible encodings only, as the HTML standard's prescan does).
pub fn meta_charset(head: &[u8]) -> Option<String> {
    let lower = head.to_ascii_lowercase();
    let mut from = 0;
    while let Some(pos) = memchr::memmem::find(lower.get(from..)?, b"<meta") {
        let start = from + pos + 5;
        let end = lower
            .get(start..)?
            .iter()
            .position(|&b| b == b'>')
            .map_or(lower.len(), |e| start + e);
        let tag = String::from_utf8_lossy(lower.get(start..end)?);
        if let Some(cs) = charset_in_meta(&tag) {
            return Some(cs);
        }
        from = end;
    }
    None
}

/// Reads `charset=` from the attributes of one meta tag (already lower-cased).
fn charset_in_meta(attrs: &str) -> Option<String> {
    let attrs = meta_attributes(attrs);
    if let Some((_, v)) = attrs.iter().find(|(k, _)| k == "charset") {
        return Some(v.trim().to_string()).filter(|v| !v.is_empty());
    }
    let equiv = attrs
        .iter()
        .any(|(k, v)| k == "http-equiv" && v.trim() == "content-type");
    let content = attrs.iter().find(|(k, _)| k == "content").map(|(_, v)| v)?;
    if !equiv && !content.contains("charset") {
        return None;
    }
    let i = content.find("charset")?;
    let rest = content.get(i + "charset".len()..)?.trim_start();
    let rest = rest.strip_prefix('=')?.trim_start();
    let rest = rest.trim_start_matches(['"', '\'']);
    let value: String = rest
        .chars()
        .take_while(|c| !matches!(c, ';' | '"' | '\'' | ' ' | '\t' | '\n' | '\r'))
        .collect();
    (!value.is_empty()).then_some(value)
}

/// Splits `name=value name2="value 2"` into pairs; good enough for meta tags.
fn meta_attributes(s: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut chars = s.chars().peekable();
    loop {
        while chars.peek().is_some_and(|c| c.is_whitespace() || *c == '/') {
            chars.next();
        }
        let name: String =
            std::iter::from_fn(|| chars.next_if(|c| !c.is_whitespace() && *c != '=' && *c != '/'))
                .collect();
        if name.is_empty() {
            break;
        }
        while chars.peek().is_some_and(|c| c.is_whitespace()) {
            chars.next();
        }
        let mut value = String::new();
        if chars.next_if_eq(&'=').is_some() {
            while chars.peek().is_some_and(|c| c.is_whitespace()) {
                chars.next();
            }
            match chars.peek().copied() {
                Some(q @ ('"' | '\'')) => {
                    chars.next();
                    value = std::iter::from_fn(|| chars.next_if(|c| *c != q)).collect();
                    chars.next();
                }
                _ => value = std::iter::from_fn(|| chars.next_if(|c| !c.is_whitespace())).collect(),
            }
        }
        out.push((name, value));
    }
    out
}

/// Maps a charset label to the encoding that reads it best. GBK and GB2312 pages routinely
/// hold GB18030-only characters (rare names in 人名), and GB18030 is a superset of both; a
/// `<meta>` that says UTF-16 cannot be true of bytes we could read it from (HTML standard).
fn encoding_for_label(label: &str) -> Option<&'static Encoding> {
    let enc = Encoding::for_label(label.trim().as_bytes())?;
    Some(if enc == encoding_rs::GBK {
        encoding_rs::GB18030
    } else if enc == encoding_rs::UTF_16LE || enc == encoding_rs::UTF_16BE {
        UTF_8
    } else {
        enc
    })
}

fn replacements(s: &str) -> usize {
    s.chars().filter(|&c| c == '\u{FFFD}').count()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf8_with_one_stray_byte_stays_utf8_with_a_warning() {
        let s = "第一条 为了促进公共图书馆事业发展，制定本法。\n第二条 本法所称公共图书馆，是指向社会公众免费开放的机构。\n";
        let mut bytes = s.as_bytes().to_vec();
        bytes.insert(s.find('\n').unwrap(), 0xFF);
        let d = decode_declared(&bytes, &[]);
        assert_eq!(d.encoding, UTF_8);
        assert!(d.text.contains("第二条 本法所称公共图书馆"), "{}", d.text);
        assert_eq!(d.warning.as_deref(), Some("1 invalid UTF-8 bytes replaced"));
        // GBK is not mistaken for damaged UTF-8.
        let (gbk, _, _) = encoding_rs::GB18030.encode(s);
        assert_eq!(decode(&gbk, None).0, s);
    }

    #[test]
    fn decodes_gbk_and_big5_without_hints() {
        let s = "第一条 为了促进公共图书馆事业发展，发挥公共图书馆功能，保障公民基本文化权益，制定本法。";
        let (gbk, _, _) = encoding_rs::GB18030.encode(s);
        assert_eq!(decode(&gbk, None).0, s);
        assert_eq!(decode(&gbk, Some("gb2312")).0, s);
        let t = "第一條 為促進圖書館之健全發展，提供完善之圖書資訊服務，以推廣教育、提升文化，特制定本法。";
        let (big5, _, _) = encoding_rs::BIG5.encode(t);
        assert_eq!(decode(&big5, None).0, t);
    }

    #[test]
    fn wrong_declared_charset_falls_back_to_utf8() {
        let s = "第一条 总则";
        assert_eq!(decode(s.as_bytes(), Some("gb2312")).0, s);
        let d = decode_declared(s.as_bytes(), &[Some("gb2312")]);
        assert!(d.warning.is_some_and(|w| w.contains("UTF-8")));
    }

    #[test]
    fn reads_content_type_charset() {
        assert_eq!(content_type_charset("text/html; charset=GBK"), Some("GBK"));
        assert_eq!(
            content_type_charset("text/html;CHARSET=\"big5\" ; q=1"),
            Some("big5")
        );
        assert_eq!(content_type_charset("text/html"), None);
        assert_eq!(content_type_charset("text/html; charset="), None);
    }

    #[test]
    fn reads_meta_charset_both_forms() {
        assert_eq!(
            meta_charset(b"<html><head><meta charset=\"gb2312\"></head>").as_deref(),
            Some("gb2312")
        );
        assert_eq!(
            meta_charset(b"<META HTTP-EQUIV=\"Content-Type\" CONTENT=\"text/html; charset=GBK\">")
                .as_deref(),
            Some("gbk")
        );
        assert_eq!(
            meta_charset(b"<meta content='text/html;charset=big5' http-equiv=content-type />")
                .as_deref(),
            Some("big5")
        );
        assert_eq!(
            meta_charset(
                b"<meta name=viewport content=\"width=device-width\"><meta charset=UTF-8>"
            )
            .as_deref(),
            Some("utf-8")
        );
        assert_eq!(meta_charset(b"<meta name=description content=\"x\">"), None);
        // Unterminated tag at the end of the scanned window: no panic, no answer.
        assert_eq!(
            meta_charset(b"<meta http-equiv=content-type content=\"text/html; char"),
            None
        );
    }

    #[test]
    fn html_charset_order_is_header_then_meta_then_detection() {
        let body = "<p>第一條 為促進圖書館之健全發展，提供完善之圖書資訊服務。</p>";
        let page = format!("<html><head><meta charset=\"big5\"></head><body>{body}</body></html>");
        let (big5, _, _) = encoding_rs::BIG5.encode(&page);
        // The meta tag alone.
        assert_eq!(decode_html(&big5, None).encoding, encoding_rs::BIG5);
        assert!(decode_html(&big5, None).text.contains("圖書資訊"));
        // A header that fits wins over the meta tag.
        let simplified = page.replace("圖書資訊", "图书资讯");
        let (gbk, _, _) = encoding_rs::GBK.encode(&simplified);
        let d = decode_html(&gbk, Some("text/html; charset=gb2312"));
        assert_eq!(d.encoding, encoding_rs::GB18030);
        assert!(d.text.contains("图书资讯"));
        // A default ISO-8859-1 header does not override the page's own declaration.
        let d = decode_html(&big5, Some("text/html; charset=ISO-8859-1"));
        assert!(d.text.contains("圖書資訊"), "{}", d.text);
    }

    #[test]
    fn declared_charset_with_a_few_bad_bytes_is_kept() {
        let s = "第一条 为了促进公共图书馆事业发展，发挥公共图书馆功能，保障公民基本文化权益。"
            .repeat(10);
        let (gbk, _, _) = encoding_rs::GB18030.encode(&s);
        let mut bytes = gbk.into_owned();
        bytes.extend_from_slice(b"\xFF\xFF");
        let d = decode_declared(&bytes, &[Some("gbk")]);
        assert!(d.text.starts_with(&s));
        assert!(d.warning.is_some());
    }

    #[test]
    fn utf8_bom_wins() {
        let d = decode_declared("\u{FEFF}第一条".as_bytes(), &[Some("gbk")]);
        assert_eq!(d.text, "第一条");
    }
}
