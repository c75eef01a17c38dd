//! Decoding streams against one budget for the whole document, so that many small bombs
//! cannot add up to what one large bomb is refused for.

use std::borrow::Cow;

use lopdf::{DecompressError, Error as LopdfError, Stream};

/// Why a stream was not decoded.
#[derive(Debug, PartialEq, Eq)]
pub(super) enum DecodeError {
    /// The document's decompression budget is spent.
    Exceeded,
    /// A broken or unsupported filter; the stream is skipped.
    Broken,
}

/// What is left of the document's decompression allowance (`Limits.max_decompressed`).
#[derive(Debug)]
pub(super) struct Budget {
    remaining: u64,
    pub(super) exceeded: bool,
}

impl Budget {
    pub(super) fn new(limit: u64) -> Self {
        Budget {
            remaining: limit,
            exceeded: false,
        }
    }

    /// Decoded bytes of `stream`; lopdf's bounded decoder stops inflating at the remaining
    /// budget, so a bomb costs at most the budget in memory and time.
    pub(super) fn decode<'s>(&mut self, stream: &'s Stream) -> Result<Cow<'s, [u8]>, DecodeError> {
        if self.exceeded {
            return Err(DecodeError::Exceeded);
        }
        let cap = usize::try_from(self.remaining).unwrap_or(usize::MAX);
        let data = if stream.dict.has(b"Filter") {
            match stream.decompressed_content_with_limit(cap) {
                Ok(data) => Cow::Owned(data),
                Err(LopdfError::Decompress(DecompressError::MemoryLimitExceeded { .. })) => {
                    self.exceeded = true;
                    return Err(DecodeError::Exceeded);
                }
                Err(_) => return Err(DecodeError::Broken),
            }
        } else {
            if stream.content.len() as u64 > self.remaining {
                self.exceeded = true;
                return Err(DecodeError::Exceeded);
            }
            Cow::Borrowed(stream.content.as_slice())
        };
        self.remaining = self.remaining.saturating_sub(data.len() as u64);
        Ok(data)
    }
}
