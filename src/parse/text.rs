//! Markdown and plain text (to be written).

use super::{Input, ParseError};
use crate::model::{Document, Format};

pub fn parse(input: Input<'_>, format: Format) -> Result<Document, ParseError> {
    Err(ParseError::malformed(
        input.source,
        format,
        "not supported yet",
    ))
}
