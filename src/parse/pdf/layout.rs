//! Lines → blocks: drop running headers, footers and page numbers, find the title, rebuild
//! paragraphs from wrapped lines, and start a block at every article head, heading and item.
//!
//! Decisions use geometry only where text cannot decide: whether a line ends short of the
//! column's right edge (a paragraph's last line), whether it is indented (a paragraph's first
//! line), how far it sits below the previous line, and whether its font changes.

use std::collections::HashMap;

use crate::model::{Block, BlockKind, Origin};

use super::lines::Line;
use super::text::{
    article_label, division_label, ends_list_item, ends_sentence, english_article_label, is_han,
    item_label, normalize_heading, numbered_section_label, Division,
};
use crate::grammar::{is_chinese_punct, join_layout_line, tighten_spacing};

/// The lines of one page, and the page's media box.
#[derive(Debug)]
pub(super) struct PageLines {
    pub(super) number: u32,
    pub(super) lines: Vec<Line>,
    pub(super) media_box: [f32; 4],
}

/// What the layout found.
#[derive(Debug, Default)]
pub(super) struct Layout {
    pub(super) blocks: Vec<Block>,
    pub(super) title: Option<String>,
    /// Lines dropped as running headers, footers or page numbers.
    pub(super) furniture: usize,
}

/// Share of the page height, from the top and from the bottom, where running headers and
/// footers live.
const MARGIN_BAND: f32 = 0.15;

/// A line with what the layout knows about its place on the page.
#[derive(Debug)]
struct Placed<'a> {
    line: &'a Line,
    page: u32,
    /// Right and left edge of the column the line belongs to.
    right: f32,
    left: f32,
    /// Distance from the previous line's baseline on the same page, if any.
    gap_above: Option<f32>,
    /// Typical distance between lines of this page.
    pitch: f32,
}

impl Placed<'_> {
    /// Whether the line ends clearly short of its column's right edge.
    fn short(&self) -> bool {
        self.right - self.line.x1 > 1.2 * self.line.size_end
    }

    /// Whether this line ended before the right edge although `next`'s first word would
    /// have fitted there: a line breaker only leaves that much room at a paragraph's end.
    /// Word widths are estimates, so a line that does not end a sentence must leave
    /// clearly more room (a heading, a list entry) before it counts as ended.
    /// `loose`: whenever the first word would have fitted (for a line that starts an item,
    /// whose head is strong evidence by itself).
    fn room_for(&self, next: &Placed<'_>, loose: bool) -> bool {
        let room = self.right - self.line.x1;
        let size = self.line.size_end;
        let text = next.line.text.trim_start();
        let spaces = text.chars().filter(|c| c.is_whitespace()).count() as f32;
        let glyphs = (text.chars().count() as f32 - spaces).max(1.0);
        let per_char =
            ((next.line.x1 - next.line.x0) - spaces * 0.3 * next.line.size).max(0.0) / glyphs;
        // Chinese breaks between any two characters; other scripts at spaces.
        let wide = |c: char| is_han(c) || is_chinese_punct(c);
        let first_word = text
            .chars()
            .take_while(|&c| !c.is_whitespace() && !wide(c))
            .count()
            .max(1) as f32;
        let needed = (first_word * per_char * 1.15 + 0.25 * size).max(1.2 * size);
        if ends_sentence(&self.line.text) || loose {
            room > needed
        } else {
            room > 1.5 * needed + 2.0 * size
        }
    }

    fn ended_before(&self, next: &Placed<'_>) -> bool {
        self.room_for(next, false)
    }

    /// Whether this line starts further right than `prev`: a first-line indent (the
    /// previous line, a paragraph's last, starts at the margin).
    fn indented_after(&self, prev: &Placed<'_>) -> bool {
        self.line.x0 - prev.line.x0 > 0.9 * self.line.size
    }

    fn centred(&self) -> bool {
        let mid = (self.line.x0 + self.line.x1) / 2.0;
        let col_mid = (self.left + self.right) / 2.0;
        (mid - col_mid).abs() < 1.5 * self.line.size
            && self.line.x0 - self.left > 2.0 * self.line.size
    }
}

pub(super) fn build(pages: &[PageLines], info_title: Option<&str>) -> Layout {
    let mut layout = Layout::default();
    let kept = drop_furniture(pages, &mut layout.furniture);
    let placed = place(pages, &kept);
    let body_size = body_font_size(&placed);
    let title_range = find_title(&placed, body_size);
    let mut blocks = Vec::new();
    let mut start = 0;
    if let Some((from, to)) = title_range {
        let mut title = String::new();
        for p in &placed[from..to] {
            join_layout_line(&mut title, &p.line.text);
        }
        let title = tighten_spacing(&title, None);
        blocks.push(Block::new(
            BlockKind::Title,
            title.clone(),
            Origin::page(placed[from].page),
        ));
        layout.title = Some(title);
        start = to;
    } else if let Some(t) = info_title
        .map(str::trim)
        .filter(|t| plausible_info_title(t))
    {
        layout.title = Some(t.to_string());
    }
    let lines: Vec<&Placed<'_>> = placed
        .iter()
        .enumerate()
        .filter(|(i, p)| *i >= start || !is_breadcrumb(&p.line.text))
        .filter(|(i, _)| title_range.is_none_or(|(f, t)| *i < f || *i >= t))
        .map(|(_, p)| p)
        .collect();
    assemble(&lines, &mut blocks);
    mark_front_matter(&mut blocks);
    assign_heading_levels(&mut blocks);
    layout.blocks = blocks;
    layout
}

/// Info-dictionary titles written by web tools and word processors are often junk.
fn plausible_info_title(t: &str) -> bool {
    let lower = t.to_lowercase();
    !t.is_empty()
        && t.chars().count() < 120
        && ![
            "在线",
            "markdown",
            "untitled",
            "microsoft word",
            ".doc",
            ".htm",
            "http",
            "://",
            "无标题",
            "新建",
        ]
        .iter()
        .any(|junk| lower.contains(junk))
}

fn is_breadcrumb(text: &str) -> bool {
    let arrows = text
        .chars()
        .filter(|c| matches!(c, '>' | '›' | '»' | '＞'))
        .count();
    arrows >= 2 && text.chars().count() < 60
}

/// Normalised form of a margin line for counting repeats: no whitespace, digit runs as `#`.
fn furniture_key(text: &str) -> String {
    let mut key = String::with_capacity(text.len());
    let mut in_digits = false;
    for c in text.chars() {
        if c.is_whitespace() {
            continue;
        }
        if c.is_ascii_digit() {
            if !in_digits {
                key.push('#');
            }
            in_digits = true;
        } else {
            in_digits = false;
            key.push(c);
        }
    }
    key
}

/// Page numbers and browser print furniture, recognised by their text alone.
fn is_page_furniture(text: &str) -> bool {
    let t: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    let key = furniture_key(&t);
    let lower = key.to_lowercase();
    let bare = key.trim_matches(|c| matches!(c, '-' | '—' | '–' | '·' | '•' | '~' | '－' | '|'));
    bare == "#"
        || key == "#/#"
        || key == "第#页"
        || key == "第#页共#页"
        || key == "第#页,共#页"
        || key == "第#页，共#页"
        || key == "共#页第#页"
        || lower == "page#"
        || lower == "page#of#"
        || lower == "#of#"
        || ((lower.starts_with("file://") || lower.starts_with("http")) && key.ends_with("#/#"))
        || is_print_timestamp(&key)
}

/// Chromium's print header starts with `11/26/26, 11:22 PM`.
fn is_print_timestamp(key: &str) -> bool {
    key.starts_with("#/#/#,#:#")
}

/// Lines that start an article, a division or an item: never running headers.
fn is_structural(text: &str) -> bool {
    let t = text.trim();
    article_label(t, false).is_some()
        || english_article_label(t).is_some()
        || division_label(t).is_some()
        || numbered_section_label(t).is_some()
        || item_label(t).is_some()
}

/// Returns, per page, which lines to keep.
fn drop_furniture(pages: &[PageLines], dropped: &mut usize) -> Vec<Vec<bool>> {
    let mut keep: Vec<Vec<bool>> = pages.iter().map(|p| vec![true; p.lines.len()]).collect();
    // Margin lines per page, keyed by text and (rounded) size.
    let mut seen: HashMap<(String, i32), Vec<u32>> = HashMap::new();
    let mut candidates: Vec<(usize, usize, (String, i32))> = Vec::new();
    let pages_with_text = pages.iter().filter(|p| !p.lines.is_empty()).count();
    for (pi, page) in pages.iter().enumerate() {
        let [_, y0, _, y1] = page.media_box;
        let band = (y1 - y0) * MARGIN_BAND;
        let all_artifacts = page.lines.iter().all(|l| l.artifact);
        for (li, line) in page.lines.iter().enumerate() {
            if line.artifact && !all_artifacts {
                keep[pi][li] = false;
                continue;
            }
            let in_band = line.y > y1 - band || line.y < y0 + band;
            if !in_band {
                continue;
            }
            if is_page_furniture(&line.text) {
                keep[pi][li] = false;
                continue;
            }
            if is_structural(&line.text) {
                // `Article 8` at the top of several pages repeats as `Article#`, but is text.
                continue;
            }
            let key = (furniture_key(&line.text), (line.size * 2.0).round() as i32);
            let pages_seen = seen.entry(key.clone()).or_default();
            if pages_seen.last() != Some(&page.number) {
                pages_seen.push(page.number);
            }
            candidates.push((pi, li, key));
        }
    }
    let threshold = (pages_with_text * 2).div_ceil(5).max(2);
    for (pi, li, key) in candidates {
        if seen.get(&key).is_some_and(|p| p.len() >= threshold) {
            keep[pi][li] = false;
        }
    }
    *dropped = keep.iter().flatten().filter(|k| !**k).count();
    keep
}

fn place<'a>(pages: &'a [PageLines], keep: &[Vec<bool>]) -> Vec<Placed<'a>> {
    let mut out = Vec::new();
    for (page, keep) in pages.iter().zip(keep) {
        let lines: Vec<&Line> = page
            .lines
            .iter()
            .zip(keep)
            .filter(|(_, k)| **k)
            .map(|(l, _)| l)
            .collect();
        let pitch = typical_pitch(&lines);
        let page_right = lines.iter().map(|l| l.x1).fold(f32::MIN, f32::max);
        let page_left = lines.iter().map(|l| l.x0).fold(f32::MAX, f32::min);
        let mut by_x0: Vec<(f32, f32)> = lines.iter().map(|l| (l.x0, l.x1)).collect();
        by_x0.sort_by(|a, b| a.0.total_cmp(&b.0));
        let mut prev_y: Option<f32> = None;
        for line in lines {
            crate::budget::tick();
            // The column: lines that start near this one (first-line indents and item
            // indents included). Centred lines only find each other, which is fine: their
            // breaks come from text patterns.
            // Past a thousand lines (no real page has that many) the per-line column search
            // would be quadratic; the page's edges do.
            let (left, right) = if by_x0.len() > 1000 {
                (page_left, page_right)
            } else {
                let reach = 4.0 * line.size;
                let lo = by_x0.partition_point(|e| e.0 < line.x0 - reach);
                let hi = by_x0.partition_point(|e| e.0 <= line.x0 + reach);
                let near = &by_x0[lo..hi];
                let mut right = column_right(near, line.x1);
                if near.len() < 3 {
                    // Too few lines to see the column: assume margins as wide as the left.
                    right = right.max(page.media_box[2] - (page_left - page.media_box[0]));
                }
                (near.iter().map(|e| e.0).fold(line.x0, f32::min), right)
            };
            let gap_above = prev_y.map(|y| y - line.y).filter(|g| *g > 0.0);
            prev_y = Some(line.y);
            out.push(Placed {
                line,
                page: page.number,
                right,
                left,
                gap_above,
                pitch,
            });
        }
    }
    out
}

/// The right edge of a column: the third-longest line end among its lines, so that one or
/// two wider lines (a full-width title block above two columns) do not move it.
fn column_right(near: &[(f32, f32)], own: f32) -> f32 {
    if near.len() < 6 {
        return near.iter().map(|e| e.1).fold(own, f32::max);
    }
    let mut ends: Vec<f32> = near.iter().map(|e| e.1).collect();
    ends.sort_by(|a, b| b.total_cmp(a));
    ends[2].max(own)
}

fn typical_pitch(lines: &[&Line]) -> f32 {
    let mut gaps: Vec<f32> = lines
        .windows(2)
        .map(|w| w[0].y - w[1].y)
        .filter(|g| *g > 0.0 && g.is_finite())
        .collect();
    if gaps.is_empty() {
        return 0.0;
    }
    gaps.sort_by(f32::total_cmp);
    gaps[gaps.len() / 2]
}

/// The size most of the text is set in (by characters).
fn body_font_size(lines: &[Placed<'_>]) -> f32 {
    let mut by_size: HashMap<i32, usize> = HashMap::new();
    for p in lines {
        *by_size
            .entry((p.line.size * 4.0).round() as i32)
            .or_default() += p.line.text.len();
    }
    by_size
        .into_iter()
        .max_by_key(|(size, n)| (*n, *size))
        .map_or(12.0, |(s, _)| s as f32 / 4.0)
}

/// The title: the first run of lines on the first page set clearly larger than the body,
/// before any article or heading.
fn find_title(lines: &[Placed<'_>], body_size: f32) -> Option<(usize, usize)> {
    let first_page = lines.first()?.page;
    let mut i = 0;
    while i < lines.len() && i < 12 && lines[i].page == first_page {
        let l = lines[i].line;
        if article_label(&l.text, false).is_some() || division_label(&l.text).is_some() {
            return None;
        }
        if l.size >= body_size * 1.25 && l.text.chars().any(char::is_alphanumeric) {
            let size = l.size;
            let mut j = i + 1;
            while j < lines.len()
                && lines[j].page == first_page
                && (lines[j].line.size - size).abs() < size * 0.05
                && j - i < 4
            {
                j += 1;
            }
            return Some((i, j));
        }
        i += 1;
    }
    None
}

/// How a line relates to the structure of the text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    Heading(Division),
    /// Starts an article or section; `label` is the byte length of its label.
    ArticleHead {
        label: usize,
    },
    Item,
    Body,
}

fn role_of(p: &Placed<'_>, prev: Option<&Placed<'_>>, prev_role: Role) -> Role {
    let text = p.line.text.trim_start();
    let prev_text = prev.map_or("", |q| q.line.text.as_str());
    let prev_ended = prev.is_none_or(|q| {
        ends_sentence(prev_text)
            || q.ended_before(p)
            || !matches!(prev_role, Role::Body | Role::Item)
    }) || prev_role == Role::Item && ends_list_item(prev_text);
    if let Some((kind, label)) = division_label(text) {
        let caption = &text[label..];
        let chinese = caption.chars().any(is_han);
        let caption_ok = if chinese {
            caption.chars().count() <= 40 && !caption.contains(['，', '。', '；', ',', ';'])
        } else {
            caption.chars().count() <= 120 && !caption.contains(';')
        } && !ends_sentence(caption);
        if caption_ok && (prev_ended || p.centred() || p.line.bold) {
            return Role::Heading(kind);
        }
    }
    if let Some(label) = article_label(text, !prev_ended) {
        return Role::ArticleHead { label };
    }
    if let Some(label) = english_article_label(text) {
        let alone = text[label..].trim().is_empty();
        if alone || prev_ended {
            return Role::ArticleHead { label };
        }
    }
    if let Some(label) = numbered_section_label(text) {
        let caption_like = !ends_sentence(text) && text.chars().count() < 90;
        if caption_like && (p.line.bold || (prev_ended && p.short())) {
            return Role::ArticleHead { label };
        }
    }
    let prev_left_room = prev.is_some_and(|q| q.room_for(p, true));
    if item_label(text).is_some() && (prev_ended || prev_left_room || ends_list_item(prev_text)) {
        return Role::Item;
    }
    Role::Body
}

/// Whether the font changes between the end of `prev` and the start of `next` (bold, or
/// size by more than 15%).
fn style_changes(prev: &Line, next: &Line) -> bool {
    prev.bold_end != next.bold
        || (prev.size_end - next.size).abs() > 0.15 * prev.size_end.max(next.size)
}

/// A heading's second line: narrower than the first and centred under it.
fn centred_under(p: &Placed<'_>, q: &Placed<'_>) -> bool {
    let mid = |l: &Line| (l.x0 + l.x1) / 2.0;
    (mid(p.line) - mid(q.line)).abs() < p.line.size && p.line.x1 - p.line.x0 < q.line.x1 - q.line.x0
}

/// Whether body line `p` starts a new paragraph after line `q`; `q_alone`: `q` is the only
/// line of its paragraph so far.
fn paragraph_ends(q: &Placed<'_>, p: &Placed<'_>, q_alone: bool) -> bool {
    let sentence_end = ends_sentence(&q.line.text);
    if q.ended_before(p) || style_changes(q.line, p.line) {
        return true;
    }
    if q.page != p.page {
        // Indents and gaps across a page break compare different pages.
        return false;
    }
    // A one-line paragraph that fills its line, then a line with the same first-line
    // indent: a new paragraph. (Items set off by a left margin also align, but a list item
    // does not end with a full stop before its continuation.)
    let same_indent = q_alone
        && ends_full_stop(&q.line.text)
        && (p.line.x0 - q.line.x0).abs() < 0.3 * p.line.size
        && p.line.x0 - p.left > 0.9 * p.line.size;
    (sentence_end && (p.indented_after(q) || same_indent))
        || (p.pitch > 0.0 && p.gap_above.is_some_and(|g| g > 1.7 * p.pitch))
}

fn ends_full_stop(text: &str) -> bool {
    matches!(
        text.trim_end().chars().next_back(),
        Some('。' | '.' | '！' | '？' | '!' | '?')
    )
}

struct Pending {
    text: String,
    role: Role,
    page: u32,
    /// The last line was a heading with a bare label (`第一编`), waiting for its caption.
    bare_heading: bool,
    lines: usize,
}

fn assemble(lines: &[&Placed<'_>], blocks: &mut Vec<Block>) {
    let mut cur: Option<Pending> = None;
    let mut prev: Option<&Placed<'_>> = None;
    let mut prev_role = Role::Body;
    let mut toc = TocState::Outside;
    for &p in lines {
        crate::budget::tick();
        let text = p.line.text.trim();
        if text.is_empty() {
            continue;
        }
        // A table of contents: its entries repeat the headings that follow; keep them as
        // front matter so they never become headings of their own.
        if toc == TocState::Outside && text.len() < 40 && is_toc_title(&squeeze(text)) {
            flush(&mut cur, blocks);
            blocks.push(Block::new(
                BlockKind::Meta,
                squeeze(text),
                Origin::page(p.page),
            ));
            toc = TocState::Inside { first: None };
            prev = Some(p);
            prev_role = Role::Heading(Division::Chapter);
            continue;
        }
        if let TocState::Inside { first } = &mut toc {
            // Entries until the first entry's label comes round again: that is the heading
            // itself (its caption may follow on the next line).
            let entry = division_label(text).map(|(_, l)| {
                let label = squeeze(&text[..l]);
                (label, normalize_heading(text, l))
            });
            match entry {
                Some((label, heading)) if first.as_deref() != Some(label.as_str()) => {
                    first.get_or_insert(label);
                    blocks.push(Block::new(BlockKind::Meta, heading, Origin::page(p.page)));
                    prev = Some(p);
                    continue;
                }
                _ => toc = TocState::Done,
            }
        }
        let role = role_of(p, prev, prev_role);
        let new_block = match (&cur, prev) {
            (Some(c), Some(q)) => {
                let continues_heading = matches!(c.role, Role::Heading(_))
                    && role == Role::Body
                    && (c.bare_heading || centred_under(p, q))
                    && !style_changes(q.line, p.line)
                    && q.page == p.page;
                if continues_heading {
                    false
                } else if role != Role::Body || matches!(c.role, Role::Heading(_)) {
                    true
                } else {
                    paragraph_ends(q, p, c.lines == 1)
                }
            }
            _ => true,
        };
        if new_block {
            flush(&mut cur, blocks);
            cur = Some(Pending {
                text: String::new(),
                role,
                page: p.page,
                bare_heading: false,
                lines: 0,
            });
        }
        if let Some(c) = cur.as_mut() {
            join_layout_line(&mut c.text, text);
            c.lines += 1;
            if let Role::Heading(_) = c.role {
                c.bare_heading =
                    division_label(&c.text).is_some_and(|(_, l)| c.text[l..].trim().is_empty());
            }
        }
        prev = Some(p);
        prev_role = role;
    }
    flush(&mut cur, blocks);
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum TocState {
    Outside,
    Inside { first: Option<String> },
    Done,
}

fn squeeze(text: &str) -> String {
    text.chars().filter(|c| !c.is_whitespace()).collect()
}

fn is_toc_title(squeezed: &str) -> bool {
    matches!(squeezed, "目录" | "目次" | "目錄")
        || squeezed.eq_ignore_ascii_case("contents")
        || squeezed.eq_ignore_ascii_case("tableofcontents")
}

fn flush(cur: &mut Option<Pending>, blocks: &mut Vec<Block>) {
    let Some(p) = cur.take() else { return };
    let raw = p.text.trim();
    if raw.is_empty() {
        return;
    }
    let origin = Origin::page(p.page);
    match p.role {
        Role::Heading(_) => {
            let label = division_label(raw).map_or(0, |(_, l)| l);
            blocks.push(Block::new(
                BlockKind::Heading { level: 0 },
                normalize_heading(raw, label),
                origin,
            ));
        }
        Role::ArticleHead { label } => {
            blocks.push(Block::paragraph(normalize_article(raw, label), origin));
        }
        _ => blocks.push(Block::paragraph(tighten_spacing(raw, None), origin)),
    }
}

/// `第 1 条　为了` → `第1条 为了`: the label without inner spaces, one space after it.
fn normalize_article(raw: &str, label: usize) -> String {
    let (head, body) = raw.split_at_checked(label).unwrap_or(("", raw));
    let head: String = if head.chars().any(is_han) {
        head.chars().filter(|c| !c.is_whitespace()).collect()
    } else {
        tighten_spacing(head, None)
    };
    let body = tighten_spacing(body.trim_start(), None);
    match (head.is_empty(), body.is_empty()) {
        (_, true) => head,
        (true, false) => body,
        (false, false) => format!("{head} {body}"),
    }
}

/// Front matter before the first article or heading: promulgation notes (`（2017年11月4日
/// 第十二届全国人民代表大会常务委员会第三十次会议通过 …）`) and amendment history become
/// `Meta`; everything else there stays a paragraph (the segmenter treats it as preamble).
fn mark_front_matter(blocks: &mut [Block]) {
    for b in blocks.iter_mut() {
        let is_head = match b.kind {
            BlockKind::Heading { .. } => true,
            BlockKind::Paragraph => {
                article_label(&b.text, false).is_some()
                    || english_article_label(&b.text).is_some()
                    || numbered_section_label(&b.text).is_some()
            }
            _ => false,
        };
        if is_head {
            break;
        }
        if b.kind == BlockKind::Paragraph && is_promulgation_note(&b.text) {
            b.kind = BlockKind::Meta;
        }
    }
}

fn is_promulgation_note(text: &str) -> bool {
    const CN: [&str; 6] = ["通过", "修正", "修订", "公布", "施行", "批准"];
    const EN: [&str; 5] = ["issued", "promulgated", "amended", "enacted", "assented"];
    let dated = text.contains('年') && text.contains('日');
    if dated && CN.iter().any(|w| text.contains(w)) {
        return true;
    }
    let lower = text.to_lowercase();
    let head: String = lower
        .trim_start_matches(|c: char| c.is_ascii_digit() || c == '.' || c == ' ')
        .chars()
        .take(20)
        .collect();
    EN.iter().any(|w| head.starts_with(w))
}

/// Heading levels by rank: the outermost kind of division present is level 1.
fn assign_heading_levels(blocks: &mut [Block]) {
    let mut kinds: Vec<Division> = blocks
        .iter()
        .filter(|b| matches!(b.kind, BlockKind::Heading { .. }))
        .filter_map(|b| division_label(&b.text).map(|d| d.0))
        .collect();
    kinds.sort();
    kinds.dedup();
    for b in blocks.iter_mut() {
        if let BlockKind::Heading { level } = &mut b.kind {
            let kind = division_label(&b.text).map(|d| d.0);
            *level = kind
                .and_then(|k| kinds.iter().position(|x| *x == k))
                .map_or(1, |i| i as u8 + 1);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_furniture_patterns() {
        for t in [
            "— 3 —",
            "- 12 -",
            "3 / 9",
            "第 2 页 共 5 页",
            "Page 1 of 4",
            "7",
            "file:///tmp/print/national-library-act-1960.html 1/8",
            "11/26/26, 11:22 PM National Library Act 1960",
        ] {
            assert!(is_page_furniture(t), "{t}");
        }
        for t in ["第二条 本法所称", "2013.", "1 Short title", "Article 3"] {
            assert!(!is_page_furniture(t), "{t}");
        }
    }

    #[test]
    fn junk_info_titles_are_refused() {
        assert!(!plausible_info_title(
            "Markdown在线编辑器，Markdown免费转Word/Html/Pdf - 在线工具"
        ));
        assert!(!plausible_info_title("Microsoft Word - 刑法.doc"));
        assert!(plausible_info_title("中华人民共和国公共图书馆法"));
    }

    #[test]
    fn promulgation_notes() {
        assert!(is_promulgation_note(
            "（2017年11月4日第十二届全国人民代表大会常务委员会第三十次会议通过）"
        ));
        assert!(is_promulgation_note("2.Promulgated on January 17, 2001"));
        assert!(!is_promulgation_note(
            "An Act relating to the National Library of Australia"
        ));
    }

    fn line(text: &str, x0: f32, x1: f32, y: f32) -> Line {
        Line {
            text: text.into(),
            x0,
            x1,
            y,
            size: 12.0,
            size_end: 12.0,
            bold: false,
            bold_end: false,
            artifact: false,
        }
    }

    #[test]
    fn wrapped_lines_join_and_heads_split() {
        let page = PageLines {
            number: 1,
            media_box: [0.0, 0.0, 595.0, 842.0],
            lines: vec![
                line(
                    "第一条　为了促进公共图书馆事业发展，发挥公共图书馆",
                    72.0,
                    520.0,
                    700.0,
                ),
                line("功能，制定本法。", 72.0, 170.0, 682.0),
                line(
                    "第二条　本法所称公共图书馆，是指向社会公众免费开放",
                    72.0,
                    520.0,
                    664.0,
                ),
                line(
                    "第二十条的规定执行，收集、整理、保存文献信息并提供",
                    72.0,
                    520.0,
                    646.0,
                ),
                line("查询。", 72.0, 110.0, 628.0),
                line("前款规定的文献信息包括图书报刊。", 96.0, 300.0, 610.0),
            ],
        };
        let layout = build(&[page], None);
        let texts: Vec<&str> = layout.blocks.iter().map(|b| b.text.as_str()).collect();
        assert_eq!(
            texts,
            [
                "第一条 为了促进公共图书馆事业发展，发挥公共图书馆功能，制定本法。",
                "第二条 本法所称公共图书馆，是指向社会公众免费开放第二十条的规定执行，收集、整理、保存文献信息并提供查询。",
                "前款规定的文献信息包括图书报刊。",
            ]
        );
    }

    #[test]
    fn split_headings_join_and_toc_entries_are_meta() {
        let page = PageLines {
            number: 1,
            media_box: [0.0, 0.0, 595.0, 842.0],
            lines: vec![
                line("目　　录", 270.0, 320.0, 760.0),
                line("第一编　总　　则", 96.0, 200.0, 742.0),
                line("第二编　分　　则", 96.0, 200.0, 724.0),
                line("第一编", 260.0, 300.0, 700.0),
                line("总　则", 265.0, 295.0, 682.0),
                line("第一条　为了惩罚犯罪，制定本法。", 96.0, 300.0, 664.0),
                line("第二编 分则", 260.0, 330.0, 640.0),
            ],
        };
        let layout = build(&[page], None);
        let blocks: Vec<(&BlockKind, &str)> = layout
            .blocks
            .iter()
            .map(|b| (&b.kind, b.text.as_str()))
            .collect();
        assert_eq!(
            blocks,
            [
                (&BlockKind::Meta, "目录"),
                (&BlockKind::Meta, "第一编 总则"),
                (&BlockKind::Meta, "第二编 分则"),
                (&BlockKind::Heading { level: 1 }, "第一编 总则"),
                (&BlockKind::Paragraph, "第一条 为了惩罚犯罪，制定本法。"),
                (&BlockKind::Heading { level: 1 }, "第二编 分则"),
            ]
        );
    }

    #[test]
    fn running_headers_repeat_and_are_dropped() {
        let pages: Vec<PageLines> = (1..=3)
            .map(|n| PageLines {
                number: n,
                media_box: [0.0, 0.0, 595.0, 842.0],
                lines: vec![
                    line("中华人民共和国公共图书馆法", 200.0, 400.0, 810.0),
                    line(&format!("第{n}条　正文。"), 72.0, 200.0, 700.0),
                    line(&format!("— {n} —"), 280.0, 310.0, 30.0),
                ],
            })
            .collect();
        let layout = build(&pages, None);
        assert_eq!(layout.furniture, 6);
        assert_eq!(layout.blocks.len(), 3);
        assert!(layout.blocks.iter().all(|b| b.text.starts_with('第')));
    }
}
