//! Glyphs → lines, in content-stream order.
//!
//! A glyph joins the current line when it sits on the same baseline and does not jump back
//! before the line's start; otherwise it starts a new line. Content-stream order is what makes
//! two-column layouts come out right (each column is drawn top to bottom), where sorting by
//! position would interleave the columns. A horizontal gap wider than a fraction of the font
//! size becomes a space; whether that space survives is decided later, by the scripts on
//! either side (no spaces between Han characters).

use super::cmap::Mapped;

/// Gap (in em of the font size) above which two glyphs are separate words.
const SPACE_GAP: f32 = 0.2;

/// One line of text as drawn on the page, in default user space (y grows upwards).
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Line {
    pub(super) text: String,
    pub(super) x0: f32,
    pub(super) x1: f32,
    pub(super) y: f32,
    /// Font size of the line's first glyph and of its last.
    pub(super) size: f32,
    pub(super) size_end: f32,
    pub(super) bold: bool,
    pub(super) bold_end: bool,
    /// Every glyph was drawn inside `/Artifact` marked content (running header or footer
    /// as a tagged PDF declares it).
    pub(super) artifact: bool,
}

/// One positioned glyph, in default user space.
#[derive(Debug, Clone, Copy)]
pub(super) struct PlacedGlyph<'a> {
    pub(super) text: Mapped<'a>,
    pub(super) x: f32,
    pub(super) x_end: f32,
    pub(super) y: f32,
    pub(super) size: f32,
    pub(super) bold: bool,
    pub(super) artifact: bool,
}

#[derive(Debug, Default)]
pub(super) struct LineBuilder {
    lines: Vec<Line>,
    cur: Option<Line>,
    /// Where the last glyph ended, and where and what it was (to drop overprinted glyphs,
    /// which some producers draw twice for a bold effect).
    last_end: f32,
    last_x: f32,
    last_char: char,
    pending_space: bool,
    /// Total characters pushed, to bound pathological pages.
    chars: usize,
}

/// A page with millions of glyphs is not a law; stop collecting there.
const MAX_CHARS_PER_PAGE: usize = 2_000_000;

fn is_space(c: char) -> bool {
    matches!(
        c,
        ' ' | '\u{3000}' | '\u{a0}' | '\t' | '\u{2002}'..='\u{200b}'
    )
}

impl LineBuilder {
    pub(super) fn push(&mut self, g: PlacedGlyph<'_>) {
        if self.chars > MAX_CHARS_PER_PAGE || !g.x.is_finite() || !g.y.is_finite() {
            return;
        }
        let first = match g.text {
            Mapped::Char(c) => c,
            Mapped::Str(s) => match s.chars().next() {
                Some(c) => c,
                None => return,
            },
        };
        let single_space = matches!(g.text, Mapped::Char(c) if is_space(c))
            || matches!(g.text, Mapped::Str(s) if s.chars().all(is_space));
        let size = if g.size.is_finite() && g.size > 0.1 {
            g.size
        } else {
            1.0
        };
        let continues = match &self.cur {
            Some(cur) => {
                let tol = 0.45 * size.max(cur.size_end);
                (g.y - cur.y).abs() <= tol && g.x >= cur.x0 - size
            }
            None => false,
        };
        if single_space {
            if continues {
                self.pending_space = true;
                self.last_end = self.last_end.max(g.x_end);
            }
            return;
        }
        let gap = g.x - self.last_end;
        let overprint = first == self.last_char && (g.x - self.last_x).abs() < 0.15 * size;
        if let Some(cur) = self.cur.as_mut().filter(|_| continues) {
            // Overprint: same glyph drawn again at (almost) the same place.
            if overprint {
                return;
            }
            if self.pending_space || gap > SPACE_GAP * size {
                cur.text.push(' ');
            }
            push_text(&mut cur.text, g.text);
            cur.x1 = cur.x1.max(g.x_end);
            cur.size_end = size;
            cur.bold_end = g.bold;
            cur.artifact &= g.artifact;
        } else {
            self.finish_line();
            let mut text = String::with_capacity(64);
            push_text(&mut text, g.text);
            self.cur = Some(Line {
                text,
                x0: g.x,
                x1: g.x_end.max(g.x),
                y: g.y,
                size,
                size_end: size,
                bold: g.bold,
                bold_end: g.bold,
                artifact: g.artifact,
            });
        }
        self.chars += 1;
        self.pending_space = false;
        self.last_end = g.x_end;
        self.last_x = g.x;
        self.last_char = first;
    }

    fn finish_line(&mut self) {
        if let Some(line) = self.cur.take() {
            if !line.text.trim().is_empty() {
                self.lines.push(line);
            }
        }
        self.pending_space = false;
    }

    pub(super) fn finish(mut self) -> Vec<Line> {
        self.finish_line();
        self.lines
    }
}

fn push_text(out: &mut String, text: Mapped<'_>) {
    match text {
        // Private-use and control characters are glyphs without meaning (bullets of
        // symbol fonts, broken maps).
        Mapped::Char(c) if c.is_control() || ('\u{e000}'..='\u{f8ff}').contains(&c) => {}
        Mapped::Char('\u{fffd}') => {}
        // Typographic ligatures are two or three letters to a reader and to search.
        Mapped::Char(c @ '\u{fb00}'..='\u{fb06}') => out.push_str(match c {
            '\u{fb00}' => "ff",
            '\u{fb01}' => "fi",
            '\u{fb02}' => "fl",
            '\u{fb03}' => "ffi",
            '\u{fb04}' => "ffl",
            _ => "st",
        }),
        Mapped::Char(c) => out.push(c),
        Mapped::Str(s) => {
            for c in s.chars() {
                push_text(out, Mapped::Char(c));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn glyph(c: char, x: f32, y: f32) -> PlacedGlyph<'static> {
        PlacedGlyph {
            text: Mapped::Char(c),
            x,
            x_end: x + if c.is_ascii() { 5.0 } else { 10.0 },
            y,
            size: 10.0,
            bold: false,
            artifact: false,
        }
    }

    #[test]
    fn gaps_become_spaces_and_baselines_break_lines() {
        let mut b = LineBuilder::default();
        for (i, c) in "ab".chars().enumerate() {
            b.push(glyph(c, i as f32 * 5.0, 100.0));
        }
        b.push(glyph('c', 14.0, 100.0)); // 4pt gap = 0.4 em
        b.push(glyph('d', 0.0, 85.0));
        let lines = b.finish();
        assert_eq!(lines.len(), 2);
        assert_eq!(lines[0].text, "ab c");
        assert_eq!(lines[1].text, "d");
    }

    #[test]
    fn overprinted_glyphs_are_dropped() {
        let mut b = LineBuilder::default();
        b.push(glyph('第', 0.0, 100.0));
        b.push(glyph('第', 0.5, 100.0));
        b.push(glyph('一', 10.0, 100.0));
        assert_eq!(b.finish()[0].text, "第一");
    }

    #[test]
    fn second_column_starts_new_lines() {
        // Column 1 ends low on the page; column 2 starts at the top again.
        let mut b = LineBuilder::default();
        b.push(glyph('甲', 50.0, 100.0));
        b.push(glyph('乙', 300.0, 700.0));
        let lines = b.finish();
        assert_eq!(lines.len(), 2);
    }
}
