//! The segmenter on documents no parser would build: any blocks, any kinds, any language.
//! The first byte picks the language; each line is a block: `#`… a heading of that level,
//! `@LABEL|text` an article a structured parser delimited, `!` the title, else a paragraph.
#![no_main]

use lawdex::model::{BlockKind, Document, Format, Origin};
use lawdex::segment::segment;
use libfuzzer_sys::fuzz_target;

const LANGUAGES: [Option<&str>; 8] = [
    Some("zh-Hans"),
    Some("zh-Hant"),
    Some("ja"),
    Some("ko"),
    Some("en"),
    Some("vi"),
    Some("fr"),
    None,
];

fuzz_target!(|data: &[u8]| {
    let Some((&first, rest)) = data.split_first() else {
        return;
    };
    let text = String::from_utf8_lossy(rest);
    let mut doc = Document::new("fuzz", "fuzz.md", Format::Markdown);
    doc.language = LANGUAGES[(first % 8) as usize].map(str::to_string);
    for (n, line) in text.lines().enumerate() {
        let origin = Origin::line(n as u32 + 1);
        let hashes = line.bytes().take_while(|&b| b == b'#').count();
        let (kind, body) = if hashes > 0 {
            (
                BlockKind::Heading {
                    level: hashes.min(9) as u8,
                },
                &line[hashes..],
            )
        } else if let Some(article) = line.strip_prefix('@') {
            let (label, body) = article.split_once('|').unwrap_or((article, ""));
            (
                BlockKind::Article {
                    label: label.to_string(),
                },
                body,
            )
        } else if let Some(title) = line.strip_prefix('!') {
            (BlockKind::Title, title)
        } else {
            (BlockKind::Paragraph, line)
        };
        doc.push(kind, body, origin);
    }
    let _ = segment(&doc);
});
