//! docx parser (to be written).

use super::{Input, ParseError};
use crate::model::{Document, Format};

pub fn parse(input: Input<'_>, _limits: &super::Limits) -> Result<Document, ParseError> {
    Err(ParseError::malformed(
        input.source,
        Format::Docx,
        "not supported yet",
    ))
}
