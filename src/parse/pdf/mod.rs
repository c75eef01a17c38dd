//! PDF: text per page in content-stream order, cleaned into the blocks of a law.
//!
//! The pipeline: load with lopdf (bounded) → walk the page tree ourselves → run each page's
//! content streams through a small text-state interpreter ([`content`]) that decodes glyphs
//! with the fonts' ToUnicode maps ([`font`], [`cmap`]) and places them ([`lines`]) → drop
//! running headers and page numbers, find the title, rebuild paragraphs ([`layout`]).
//!
//! Hostile input. Every way a PDF can hurt us has a bound:
//! - Nesting: lopdf 0.47 stops parsing objects nested deeper than 100, but in a debug build
//!   each level costs 10-20 KB of stack, so 100 levels need 1-2 MB: the whole size of a
//!   default thread stack, and lopdf loads objects on rayon's global pool. A stack
//!   overflow aborts the process (catch_unwind cannot stop it), so all PDF work runs
//!   inside a dedicated rayon pool whose threads have [`STACK_SIZE`] stacks; lopdf's
//!   parallel loading then runs on those threads too. We rely on lopdf's depth guard rather
//!   than pre-scanning the bytes: a byte scan cannot tell brackets in binary stream data
//!   from real ones without parsing the file a second time. Our own code never recurses
//!   except through Form XObjects, bounded at depth 12.
//! - Decompression: streams decoded at load (object and xref streams) share a budget of
//!   `max_decompressed / 8`, split between them; content, font and form streams are decoded
//!   by us against the document's remaining budget ([`stream::Budget`]); lopdf's bounded
//!   inflater stops at the budget, so a bomb costs at most the budget.
//! - Size: pages past `max_pages`, more than [`MAX_TEXT_CHARS`] characters of text, a cycle
//!   in the page tree (a node reached twice is skipped) all end in an error or a warning,
//!   never in a loop.
//! - Encryption: a user password leaves lopdf with no readable objects and `is_encrypted()`;
//!   that is [`ParseErrorKind::Encrypted`].

mod cmap;
mod content;
mod encoding;
mod font;
mod layout;
mod lines;
mod pages;
mod predefined;
mod stream;
mod text;

use std::collections::HashSet;
use std::sync::OnceLock;

use lopdf::{DecompressError, LoadOptions};

use super::{Input, Limits, ParseError, ParseErrorKind};
use crate::model::{Document, Format};

use content::Interpreter;
use font::FontCache;
use layout::PageLines;
use stream::{Budget, DecodeError};

/// Stack of the threads that parse PDFs: 64 MiB of address space (touched pages only),
/// thirty times what lopdf's deepest allowed nesting needs in a debug build.
const STACK_SIZE: usize = 64 * 1024 * 1024;

/// A law has a few hundred thousand characters; a hundred times that is not a law.
const MAX_TEXT_CHARS: usize = 32 * 1024 * 1024;

/// Parses a PDF into blocks of text.
pub fn parse(input: Input<'_>, limits: &Limits) -> Result<Document, ParseError> {
    with_large_stack(|| parse_on_this_thread(input, limits))
}

fn pool() -> Option<&'static rayon::ThreadPool> {
    static POOL: OnceLock<Option<rayon::ThreadPool>> = OnceLock::new();
    POOL.get_or_init(|| {
        let threads = std::thread::available_parallelism().map_or(2, |n| n.get());
        rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .stack_size(STACK_SIZE)
            .thread_name(|i| format!("lawdex-pdf-{i}"))
            .build()
            .ok()
    })
    .as_ref()
}

fn with_large_stack<R: Send>(f: impl FnOnce() -> R + Send) -> R {
    match pool() {
        // A panic inside is re-raised here, where parse_bytes' catch_unwind reports it; the
        // document's budget goes along to the pool's thread.
        Some(pool) => {
            let budget = crate::budget::Budget::current();
            let (r, steps) = pool.install(move || {
                let _entered = budget.map(crate::budget::Budget::enter);
                let r = f();
                (r, crate::budget::steps())
            });
            crate::budget::charge(steps);
            r
        }
        None => f(),
    }
}

fn parse_on_this_thread(input: Input<'_>, limits: &Limits) -> Result<Document, ParseError> {
    let src = input.source;
    let bytes = input.bytes;
    let malformed = |detail: String| ParseError::malformed(src, Format::Pdf, detail);
    let bomb = || {
        ParseError::new(
            src,
            ParseErrorKind::Bomb {
                format: Format::Pdf,
                limit: limits.max_decompressed,
            },
        )
    };

    // Object and xref streams are inflated by lopdf while loading, each against its own
    // limit; split an eighth of the budget between all of them so their sum stays bounded
    // (and so does the memory of the objects parsed out of them).
    let eager_streams = count(bytes, b"/ObjStm") + count(bytes, b"/XRef") + 1;
    let load_budget = limits.max_decompressed / 8;
    let per_stream = usize::try_from(load_budget / eager_streams as u64).unwrap_or(usize::MAX);
    let options = LoadOptions {
        max_decompressed_size: Some(per_stream.max(1)),
        ..LoadOptions::default()
    };
    // A file cut short loses its end first: the %%EOF marker, the cross-reference table,
    // and (in most producers' order) fonts and later pages.
    let tail = &bytes[bytes.len().saturating_sub(1024)..];
    let ends_with_eof = memchr::memmem::rfind(tail, b"%%EOF").is_some();
    let doc = match lopdf::Document::load_mem_with_options(bytes, options) {
        Ok(doc) => doc,
        Err(lopdf::Error::Decompress(DecompressError::MemoryLimitExceeded { .. })) => {
            return Err(bomb())
        }
        Err(e) if !ends_with_eof => {
            return Err(malformed(format!(
                "truncated: the file does not end with %%EOF ({})",
                first_line(&e.to_string())
            )))
        }
        Err(e) => return Err(malformed(first_line(&e.to_string()))),
    };
    if !ends_with_eof && doc.xref_recovery == Some(lopdf::xref::XrefRecovery::Reconstructed) {
        return Err(malformed(
            "truncated: the file does not end with %%EOF and its cross-reference table is gone"
                .into(),
        ));
    }
    if doc.is_encrypted() {
        return Err(ParseError::new(src, ParseErrorKind::Encrypted));
    }

    let tree = pages::walk(&doc, limits.max_pages).map_err(|e| match e {
        pages::PageTreeError::NoCatalog => {
            malformed("no page tree (the catalog or its /Pages is missing)".into())
        }
        pages::PageTreeError::TooManyPages { limit } => {
            malformed(format!("more than {limit} pages (the page limit)"))
        }
    })?;
    let mut warnings = Vec::new();
    if let Some(id) = tree.revisited {
        warnings.push(format!(
            "the page tree reaches object {} {} twice (a cycle or a shared node); read once",
            id.0, id.1
        ));
    }
    if tree.pages.is_empty() {
        let why = if tree.revisited.is_some() {
            " (its page tree is a cycle)"
        } else {
            ""
        };
        return Err(malformed(format!("no pages{why}")));
    }

    let mut budget = Budget::new(limits.max_decompressed);
    let mut fonts = FontCache::default();
    let mut reported = HashSet::new();
    let mut page_lines = Vec::with_capacity(tree.pages.len());
    let mut data = Vec::new();
    let mut missing_content = 0usize;
    let mut missing_objects = 0usize;
    let mut total_chars = 0usize;
    for (i, page) in tree.pages.iter().enumerate() {
        data.clear();
        for id in pages::content_ids(&doc, page) {
            match doc.get_object(id) {
                Ok(lopdf::Object::Stream(s)) => match budget.decode(s) {
                    Ok(bytes) => {
                        data.extend_from_slice(&bytes);
                        data.push(b'\n');
                    }
                    Err(DecodeError::Exceeded) => return Err(bomb()),
                    Err(DecodeError::Broken) => warnings.push(format!(
                        "page {}: a content stream cannot be decoded; skipped",
                        i + 1
                    )),
                },
                _ => missing_content += 1,
            }
        }
        let mut interp = Interpreter::new(&doc, &mut fonts, &mut budget, &mut reported);
        interp.run(&data, page.resources);
        warnings.append(&mut interp.warnings);
        missing_objects += interp.missing;
        let lines = interp.lines.finish();
        if budget.exceeded {
            return Err(bomb());
        }
        total_chars += lines.iter().map(|l| l.text.len()).sum::<usize>();
        if total_chars > MAX_TEXT_CHARS {
            return Err(malformed(format!(
                "more than {MAX_TEXT_CHARS} bytes of text; not a law"
            )));
        }
        page_lines.push(PageLines {
            number: (i + 1) as u32,
            lines,
            media_box: page.media_box,
        });
    }
    if missing_content + missing_objects > 0 {
        // Objects the pages point at are gone: the file was cut short or damaged. A law
        // with pages silently missing, or decoded with the wrong font, is worse than an error.
        return Err(malformed(format!(
            "damaged: {} content stream(s) and {} font(s) or form(s) its {} page(s) use are missing",
            missing_content,
            missing_objects,
            tree.pages.len()
        )));
    }
    let empty_pages = page_lines.iter().filter(|p| p.lines.is_empty()).count();
    if empty_pages > 0 && empty_pages < page_lines.len() {
        warnings.push(format!(
            "{empty_pages} of {} pages have no text (scanned images?)",
            page_lines.len()
        ));
    }

    let info_title = info_title(&doc);
    let layout = layout::build(&page_lines, info_title.as_deref());
    let mut document = Document::new("", src, Format::Pdf);
    document.title = layout.title;
    document.blocks = layout.blocks;
    document.warnings = warnings;
    Ok(document)
}

fn count(haystack: &[u8], needle: &[u8]) -> usize {
    memchr::memmem::find_iter(haystack, needle).count()
}

fn first_line(s: &str) -> String {
    s.lines().next().unwrap_or("").chars().take(200).collect()
}

fn info_title(doc: &lopdf::Document) -> Option<String> {
    let info = font::deref(doc, doc.trailer.get(b"Info").ok())?
        .as_dict()
        .ok()?;
    let title = font::deref(doc, info.get(b"Title").ok())?;
    lopdf::decode_text_string(title)
        .ok()
        .map(|t| t.trim().to_string())
        .filter(|t| !t.is_empty())
}

#[cfg(test)]
mod tests;
