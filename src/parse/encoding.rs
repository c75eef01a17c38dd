//! Text decoding: BOM, a declared charset, UTF-8, or detection.

use encoding_rs::{Encoding, UTF_8};

/// Decodes `bytes` to a string. Order: a byte-order mark, then `declared` (an HTTP or
/// `<meta>` charset label) when it decodes without errors, then UTF-8 when valid, then
/// chardetng's guess. chardetng gets no top-level-domain hint: a fixed `cn` hint turns Big5
/// into garbage without any error.
pub fn decode(bytes: &[u8], declared: Option<&str>) -> (String, &'static Encoding) {
    if let Some((enc, bom_len)) = Encoding::for_bom(bytes) {
        let (text, _) = enc.decode_without_bom_handling(&bytes[bom_len..]);
        return (text.into_owned(), enc);
    }
    if let Some(enc) = declared.and_then(|l| Encoding::for_label(l.trim().as_bytes())) {
        // A page that says gb2312 but is really UTF-8 (common) decodes with errors: fall through.
        let enc = if enc == encoding_rs::GBK || enc.name() == "gb2312" {
            encoding_rs::GB18030
        } else {
            enc
        };
        let (text, had_errors) = enc.decode_without_bom_handling(bytes);
        if !had_errors {
            return (text.into_owned(), enc);
        }
    }
    if let Ok(s) = std::str::from_utf8(bytes) {
        return (s.to_string(), UTF_8);
    }
    let mut det = chardetng::EncodingDetector::new();
    det.feed(bytes, true);
    let enc = det.guess(None, false);
    let (text, _) = enc.decode_without_bom_handling(bytes);
    (text.into_owned(), enc)
}

#[cfg(test)]
mod tests {
    use super::*;

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
    }
}
