//! What the fuzz targets share: a file goes through `lawdex parse`'s path (parse, then segment).

use lawdex::model::Format;
use lawdex::parse::{parse_bytes, sniff, Input, Limits};
use lawdex::segment::segment;

/// Parses `data` as a file called `name` and segments what parses, as `lawdex parse` and
/// `lawdex index` do. Inputs that sniff as another format are left to that format's target, so
/// each target spends its runs on its own parser.
pub fn parse_and_segment(data: &[u8], name: &str, format: Format) {
    if sniff(data, name) != Some(format) {
        return;
    }
    let input = Input {
        source: name,
        bytes: data,
        content_type: None,
        select: None,
    };
    if let Ok(doc) = parse_bytes(input, &Limits::default()) {
        let _ = segment(&doc);
    }
}
