//! json parser (to be written).

use super::{Input, ParseError};
use crate::model::{Document, Format};

pub fn parse(input: Input<'_>) -> Result<Document, ParseError> {
    Err(ParseError::malformed(
        input.source,
        Format::Json,
        "not supported yet",
    ))
}
