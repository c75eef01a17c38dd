//! Byte pre-scan of the raw page, before any DOM: cutting the `<article>` out, counting
//! readable text, and refusing nesting too deep for html5ever.

/// Returns the page's `<head>` followed by the span from the first `<article` to the last
/// `</article>`, when that span holds most of the page's readable text (the same 40 % rule
/// `find_body` applies), so the DOM is built for a few KB instead of megabytes of sidebar.
/// A manifest selector other than `article` could match anything: no cut then.
pub(super) fn article_cut(page: &str, select: Option<&str>) -> Option<String> {
    let select = select.map(str::trim).filter(|s| !s.is_empty());
    if select.is_some_and(|s| s != "article") {
        return None;
    }
    let bytes = page.as_bytes();
    let start = find_open_tag(bytes, b"article")?;
    let close = rfind_end_tag(bytes, b"article")?;
    let end = close + memchr::memchr(b'>', bytes.get(close..)?)? + 1;
    if end <= start || inside_comment(bytes, start) {
        return None;
    }
    let inside = page.get(start..end)?;
    if select.is_none() {
        let outside = readable_chars(page.get(..start)?) + readable_chars(page.get(end..)?);
        if !is_fair_share(readable_chars(inside), outside + readable_chars(inside)) {
            return None;
        }
    }
    let head_end = find_open_tag(&bytes[..start], b"body").unwrap_or(0);
    let mut cut = String::with_capacity(head_end + inside.len() + 16);
    cut.push_str(page.get(..head_end)?);
    cut.push_str("<body>");
    cut.push_str(inside);
    Some(cut)
}

/// A body candidate must hold at least 40 % of the page's readable text: an `<article>`
/// teaser in a sidebar must not win over the law in `div#zoom`.
pub(super) fn is_fair_share(part: usize, whole: usize) -> bool {
    part > 0 && part * 10 >= whole * 4
}

/// Position of the first `<name` followed by a tag-name delimiter, ignoring ASCII case.
pub(super) fn find_open_tag(html: &[u8], name: &[u8]) -> Option<usize> {
    memchr::memchr_iter(b'<', html).find(|&pos| {
        let after = pos + 1 + name.len();
        html.get(pos + 1..after)
            .is_some_and(|n| n.eq_ignore_ascii_case(name))
            && matches!(
                html.get(after),
                Some(b' ' | b'\t' | b'\n' | b'\r' | b'\x0c' | b'>' | b'/') | None
            )
    })
}

/// Position of the last `</name`, ignoring ASCII case.
pub(super) fn rfind_end_tag(html: &[u8], name: &[u8]) -> Option<usize> {
    memchr::memrchr_iter(b'<', html).find(|&pos| {
        html.get(pos + 1) == Some(&b'/')
            && html
                .get(pos + 2..pos + 2 + name.len())
                .is_some_and(|n| n.eq_ignore_ascii_case(name))
    })
}

pub(super) fn inside_comment(html: &[u8], pos: usize) -> bool {
    let before = &html[..pos];
    match memchr::memmem::rfind(before, b"<!--") {
        Some(open) => memchr::memmem::find(&before[open..], b"-->").is_none(),
        None => false,
    }
}

/// One piece of raw HTML source, as the byte scanner sees it.
pub(super) enum RawToken<'a> {
    Text(&'a [u8]),
    /// A start or end tag; `name` is lower-cased and cut at 16 bytes.
    Tag {
        name: &'a [u8],
        closing: bool,
        self_closing: bool,
    },
}

/// Scans HTML source without building a tree: tags and text, skipping comments and the
/// contents of script-like elements. Used where a DOM costs too much or cannot be trusted.
pub(super) fn scan_raw(html: &[u8], mut visit: impl FnMut(RawToken<'_>)) {
    let mut i = 0;
    let mut name_buf = [0u8; 16];
    while i < html.len() {
        let text_end = memchr::memchr(b'<', &html[i..]).map_or(html.len(), |p| i + p);
        if text_end > i {
            visit(RawToken::Text(&html[i..text_end]));
            i = text_end;
            continue;
        }
        let rest = &html[i..];
        if rest.starts_with(b"<!--") {
            i = memchr::memmem::find(&rest[4..], b"-->").map_or(html.len(), |e| i + 4 + e + 3);
            continue;
        }
        let Some(gt) = memchr::memchr(b'>', rest) else {
            break;
        };
        let tag = &rest[1..gt];
        let closing = tag.first() == Some(&b'/');
        let raw_name = tag
            .iter()
            .skip(usize::from(closing))
            .take_while(|c| c.is_ascii_alphanumeric());
        let mut n = 0;
        for (slot, c) in name_buf.iter_mut().zip(raw_name) {
            *slot = c.to_ascii_lowercase();
            n += 1;
        }
        i += gt + 1;
        let name = &name_buf[..n];
        if n == 0 {
            continue; // "<!doctype", "<?xml", a stray '<'
        }
        visit(RawToken::Tag {
            name,
            closing,
            self_closing: tag.ends_with(b"/"),
        });
        if !closing
            && matches!(
                name,
                b"script" | b"style" | b"title" | b"noscript" | b"template" | b"textarea"
            )
        {
            i = find_end_tag(html, i, name).unwrap_or(html.len());
        }
    }
}

/// Position of `</name` at or after `from`, ignoring ASCII case.
pub(super) fn find_end_tag(html: &[u8], from: usize, name: &[u8]) -> Option<usize> {
    let mut at = from;
    loop {
        let pos = at + memchr::memmem::find(html.get(at..)?, b"</")?;
        let candidate = html.get(pos + 2..pos + 2 + name.len())?;
        if candidate.eq_ignore_ascii_case(name) {
            return Some(pos);
        }
        at = pos + 2;
    }
}

/// Counts characters of readable text in raw HTML: text outside links and navigation-like
/// elements. An estimate (entities count as several characters), used only to decide
/// whether the `<article>` cut is safe.
pub(super) fn readable_chars(html: &str) -> usize {
    let mut count = 0;
    let mut link_depth = 0usize;
    let mut nav_depth = 0usize;
    scan_raw(html.as_bytes(), |token| match token {
        RawToken::Text(t) => {
            if link_depth == 0 && nav_depth == 0 {
                // One count per character: UTF-8 continuation bytes and whitespace do not.
                count += t
                    .iter()
                    .filter(|&&c| c & 0xC0 != 0x80 && !c.is_ascii_whitespace())
                    .count();
            }
        }
        RawToken::Tag {
            name,
            closing,
            self_closing,
        } => match name {
            b"a" if closing => link_depth = link_depth.saturating_sub(1),
            b"a" => link_depth += 1,
            b"nav" | b"aside" | b"header" | b"footer" | b"form" | b"head" => {
                if closing {
                    nav_depth = nav_depth.saturating_sub(1);
                } else if !self_closing {
                    nav_depth += 1;
                }
            }
            _ => {}
        },
    });
    count
}

/// html5ever takes time quadratic in nesting depth (scope checks walk the stack of open
/// elements): 8,000 nested `<div>`s take seconds. No real page nests this deep.
pub(super) const MAX_NESTING: usize = 1_000;

/// Estimates the deepest element nesting from the source. Like a browser, an end tag closes
/// every element opened after its start tag (so `<td><div>…</td>` does not drift deeper),
/// and a `<p>`, `<li>`, `<td>`… closes its unclosed sibling.
pub(super) fn max_nesting(html: &str) -> usize {
    let mut stack: Vec<([u8; 16], usize)> = Vec::new();
    let mut max = 0;
    scan_raw(html.as_bytes(), |token| {
        let RawToken::Tag {
            name,
            closing,
            self_closing,
        } = token
        else {
            return;
        };
        let is_void = matches!(
            name,
            b"area"
                | b"base"
                | b"br"
                | b"col"
                | b"embed"
                | b"hr"
                | b"img"
                | b"input"
                | b"link"
                | b"meta"
                | b"source"
                | b"track"
                | b"wbr"
        );
        if is_void || (self_closing && !closing) || max > MAX_NESTING {
            return;
        }
        let same = |entry: &([u8; 16], usize)| &entry.0[..entry.1] == name;
        if closing {
            if let Some(pos) = stack.iter().rposition(same) {
                stack.truncate(pos);
            }
            return;
        }
        let closes_sibling = matches!(
            name,
            b"p" | b"li" | b"dt" | b"dd" | b"tr" | b"td" | b"th" | b"option"
        );
        if closes_sibling && stack.last().is_some_and(same) {
            stack.pop();
        }
        let mut entry = ([0u8; 16], name.len());
        entry.0[..name.len()].copy_from_slice(name);
        stack.push(entry);
        max = max.max(stack.len());
    });
    max
}
