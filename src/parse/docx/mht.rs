//! MIME (MHT) parts embedded as `afChunk`s: HTML pasted into a document.

pub(super) mod mime {
    use mail_parser::{MessageParser, MimeHeaders, PartType};

    /// The HTML part of an MHT file, decoded to UTF-8 from its transfer encoding and charset
    /// (mail-parser does both; GBK and Big5 through encoding_rs).
    pub struct HtmlPart {
        pub body: Vec<u8>,
        pub content_type: Option<String>,
    }

    pub fn html_part(message: &[u8]) -> Option<HtmlPart> {
        let parsed = MessageParser::default().parse(message)?;
        parsed.parts.iter().find_map(|part| {
            let html = part.content_type().is_some_and(|ct| {
                ct.ctype().eq_ignore_ascii_case("text")
                    && ct.subtype().is_some_and(|s| s.eq_ignore_ascii_case("html"))
            });
            match &part.body {
                PartType::Html(text) if html => Some(HtmlPart {
                    body: text.as_bytes().to_vec(),
                    // Already UTF-8: a <meta charset=gbk> inside must not decode it again.
                    content_type: Some("text/html; charset=utf-8".to_string()),
                }),
                _ => None,
            }
        })
    }
}
