//! Content streams: a small lexer and the text part of the graphics state machine.
//!
//! We do not use lopdf's `Content::decode`, which builds an `Object` tree for every operand
//! of every operator; the text operators need a handful of numbers and strings, which this
//! lexer hands out as slices without allocating. Nothing here recurses except Form XObjects,
//! whose depth is bounded.

use std::collections::{HashMap, HashSet};
use std::rc::Rc;

use lopdf::{Dictionary, Document, Object, ObjectId};

use super::font::{deref, name_of, number, Font, FontCache};
use super::lines::{LineBuilder, PlacedGlyph};
use super::stream::Budget;

/// Form XObjects nest at most this deep (real files: 1-3).
const MAX_FORM_DEPTH: usize = 12;
/// Form XObjects drawn per page at most: forms that each draw several others would
/// otherwise multiply to billions of runs within the depth bound.
const MAX_FORM_RUNS: usize = 10_000;
/// `q` nests at most this deep; deeper saves are counted but not stored.
const MAX_SAVE_DEPTH: usize = 256;
/// Operands kept before an operator; more is garbage and is dropped.
const MAX_OPERANDS: usize = 4096;

/// `[a b c d e f]`, PDF's affine matrix.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct Matrix([f32; 6]);

impl Matrix {
    pub(super) const IDENTITY: Matrix = Matrix([1.0, 0.0, 0.0, 1.0, 0.0, 0.0]);

    /// `self × other`: apply `self` first, then `other`.
    fn then(self, other: Matrix) -> Matrix {
        let [a1, b1, c1, d1, e1, f1] = self.0;
        let [a2, b2, c2, d2, e2, f2] = other.0;
        Matrix([
            a1 * a2 + b1 * c2,
            a1 * b2 + b1 * d2,
            c1 * a2 + d1 * c2,
            c1 * b2 + d1 * d2,
            e1 * a2 + f1 * c2 + e2,
            e1 * b2 + f1 * d2 + f2,
        ])
    }

    fn translate(tx: f32, ty: f32) -> Matrix {
        Matrix([1.0, 0.0, 0.0, 1.0, tx, ty])
    }

    fn from_operands(ops: &[Operand]) -> Option<Matrix> {
        let mut m = [0f32; 6];
        if ops.len() < 6 {
            return None;
        }
        for (slot, op) in m.iter_mut().zip(&ops[ops.len() - 6..]) {
            *slot = op.num()?;
        }
        m.iter().all(|v| v.is_finite()).then_some(Matrix(m))
    }

    pub(super) fn from_object(doc: &Document, obj: Option<&Object>) -> Option<Matrix> {
        let arr = deref(doc, obj)?.as_array().ok()?;
        if arr.len() != 6 {
            return None;
        }
        let mut m = [0f32; 6];
        for (slot, o) in m.iter_mut().zip(arr) {
            *slot = deref(doc, Some(o)).and_then(number)?;
        }
        Some(Matrix(m))
    }
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Operand {
    Num(f32),
    /// Byte range in the content data (names are never unescaped; font names are plain).
    Name(u32, u32),
    /// Byte range in the string scratch buffer.
    Str(u32, u32),
    ArrayStart,
    ArrayEnd,
    Other,
}

impl Operand {
    fn num(&self) -> Option<f32> {
        match self {
            Operand::Num(v) => Some(*v),
            _ => None,
        }
    }
}

#[derive(Debug, Clone)]
struct TextState {
    font: Option<Rc<Font>>,
    size: f32,
    char_spacing: f32,
    word_spacing: f32,
    h_scale: f32,
    leading: f32,
    rise: f32,
    /// Fill-and-stroke rendering: Word's fake bold.
    stroke_bold: bool,
}

#[derive(Debug, Clone)]
struct GraphicsState {
    ctm: Matrix,
    text: TextState,
}

/// Interprets the content streams of one page.
pub(super) struct Interpreter<'d, 'c> {
    doc: &'d Document,
    fonts: &'c mut FontCache,
    budget: &'c mut Budget,
    pub(super) lines: LineBuilder,
    /// Fonts whose problem was already reported.
    reported: &'c mut HashSet<String>,
    pub(super) warnings: Vec<String>,
    /// Fonts and forms the resources name but the file does not hold.
    pub(super) missing: usize,
    gs: GraphicsState,
    stack: Vec<GraphicsState>,
    overflow_saves: usize,
    tm: Matrix,
    tlm: Matrix,
    /// Depth of `/Artifact` marked content, and the depth of each open marked-content
    /// sequence that is an artifact.
    marked: Vec<bool>,
    forms: Vec<ObjectId>,
    form_runs: usize,
    /// Fonts given as direct dictionaries in resources (no object id to cache them by).
    direct_fonts: HashMap<(usize, Vec<u8>), Rc<Font>>,
}

impl<'d, 'c> Interpreter<'d, 'c> {
    pub(super) fn new(
        doc: &'d Document,
        fonts: &'c mut FontCache,
        budget: &'c mut Budget,
        reported: &'c mut HashSet<String>,
    ) -> Self {
        Interpreter {
            doc,
            fonts,
            budget,
            lines: LineBuilder::default(),
            reported,
            warnings: Vec::new(),
            missing: 0,
            gs: GraphicsState {
                ctm: Matrix::IDENTITY,
                text: TextState {
                    font: None,
                    size: 0.0,
                    char_spacing: 0.0,
                    word_spacing: 0.0,
                    h_scale: 1.0,
                    leading: 0.0,
                    rise: 0.0,
                    stroke_bold: false,
                },
            },
            stack: Vec::new(),
            overflow_saves: 0,
            tm: Matrix::IDENTITY,
            tlm: Matrix::IDENTITY,
            marked: Vec::new(),
            forms: Vec::new(),
            form_runs: 0,
            direct_fonts: HashMap::new(),
        }
    }

    fn in_artifact(&self) -> bool {
        self.marked.iter().any(|&a| a)
    }

    /// Runs one content stream with the given resources.
    pub(super) fn run(&mut self, data: &[u8], resources: Option<&'d Dictionary>) {
        let mut lexer = Lexer { data, pos: 0 };
        let mut ops: Vec<Operand> = Vec::with_capacity(16);
        let mut strings: Vec<u8> = Vec::with_capacity(256);
        while let Some(tok) = lexer.next(&mut strings) {
            crate::budget::tick();
            let op = match tok {
                Token::Operand(o) => {
                    if ops.len() < MAX_OPERANDS {
                        ops.push(o);
                    }
                    continue;
                }
                Token::Operator(start, end) => &data[start..end],
            };
            self.operator(op, &ops, &strings, data, resources, &mut lexer);
            ops.clear();
            strings.clear();
        }
    }

    fn operator(
        &mut self,
        op: &[u8],
        ops: &[Operand],
        strings: &[u8],
        data: &[u8],
        resources: Option<&'d Dictionary>,
        lexer: &mut Lexer<'_>,
    ) {
        let num = |i: usize| -> Option<f32> {
            ops.len()
                .checked_sub(i + 1)
                .and_then(|j| ops.get(j))
                .and_then(Operand::num)
                .filter(|v| v.is_finite())
        };
        match op {
            b"q" => {
                if self.stack.len() < MAX_SAVE_DEPTH {
                    self.stack.push(self.gs.clone());
                } else {
                    self.overflow_saves += 1;
                }
            }
            b"Q" => {
                if self.overflow_saves > 0 {
                    self.overflow_saves -= 1;
                } else if let Some(gs) = self.stack.pop() {
                    self.gs = gs;
                }
            }
            b"cm" => {
                if let Some(m) = Matrix::from_operands(ops) {
                    self.gs.ctm = m.then(self.gs.ctm);
                }
            }
            b"BT" => {
                self.tm = Matrix::IDENTITY;
                self.tlm = Matrix::IDENTITY;
            }
            b"Tf" => {
                if let Some(size) = num(0) {
                    self.gs.text.size = size;
                }
                if let Some(Operand::Name(s, e)) = ops.iter().rev().nth(1) {
                    let name = &data[*s as usize..*e as usize];
                    self.gs.text.font = Some(self.font(resources, name));
                }
            }
            b"Tc" => self.gs.text.char_spacing = num(0).unwrap_or(0.0),
            b"Tw" => self.gs.text.word_spacing = num(0).unwrap_or(0.0),
            b"Tz" => self.gs.text.h_scale = num(0).unwrap_or(100.0) / 100.0,
            b"TL" => self.gs.text.leading = num(0).unwrap_or(0.0),
            b"Ts" => self.gs.text.rise = num(0).unwrap_or(0.0),
            b"Tr" => {
                let mode = num(0).unwrap_or(0.0) as i32;
                self.gs.text.stroke_bold = mode == 2 || mode == 6;
            }
            b"Td" | b"TD" => {
                if let (Some(tx), Some(ty)) = (num(1), num(0)) {
                    if op == b"TD" {
                        self.gs.text.leading = -ty;
                    }
                    self.next_line(tx, ty);
                }
            }
            b"Tm" => {
                if let Some(m) = Matrix::from_operands(ops) {
                    self.tm = m;
                    self.tlm = m;
                }
            }
            b"T*" => self.next_line(0.0, -self.gs.text.leading),
            b"Tj" => {
                if let Some(Operand::Str(s, e)) = ops.last() {
                    self.show(&strings[*s as usize..*e as usize]);
                }
            }
            b"'" => {
                self.next_line(0.0, -self.gs.text.leading);
                if let Some(Operand::Str(s, e)) = ops.last() {
                    self.show(&strings[*s as usize..*e as usize]);
                }
            }
            b"\"" => {
                if let (Some(aw), Some(ac)) = (num(2), num(1)) {
                    self.gs.text.word_spacing = aw;
                    self.gs.text.char_spacing = ac;
                }
                self.next_line(0.0, -self.gs.text.leading);
                if let Some(Operand::Str(s, e)) = ops.last() {
                    self.show(&strings[*s as usize..*e as usize]);
                }
            }
            b"TJ" => {
                let t = &self.gs.text;
                let (size, h_scale) = (t.size, t.h_scale);
                for o in ops {
                    match o {
                        Operand::Str(s, e) => self.show(&strings[*s as usize..*e as usize]),
                        Operand::Num(n) if n.is_finite() => {
                            let tx = -n / 1000.0 * size * h_scale;
                            self.tm = Matrix::translate(tx, 0.0).then(self.tm);
                        }
                        _ => {}
                    }
                }
            }
            b"BMC" | b"BDC" => {
                let tag = ops.iter().find_map(|o| match o {
                    Operand::Name(s, e) => Some(&data[*s as usize..*e as usize]),
                    _ => None,
                });
                if self.marked.len() < MAX_SAVE_DEPTH {
                    self.marked.push(tag == Some(b"Artifact"));
                }
            }
            b"EMC" => {
                self.marked.pop();
            }
            b"Do" => {
                if let Some(Operand::Name(s, e)) = ops.last() {
                    let name = &data[*s as usize..*e as usize];
                    self.form(resources, name);
                }
            }
            b"BI" => lexer.skip_inline_image(),
            _ => {}
        }
    }

    fn next_line(&mut self, tx: f32, ty: f32) {
        self.tlm = Matrix::translate(tx, ty).then(self.tlm);
        self.tm = self.tlm;
    }

    fn font(&mut self, resources: Option<&'d Dictionary>, name: &[u8]) -> Rc<Font> {
        let doc = self.doc;
        let fonts = resources
            .and_then(|r| deref(doc, r.get(b"Font").ok()))
            .and_then(|o| o.as_dict().ok());
        let entry = fonts.and_then(|f| f.get(name).ok());
        let font = match entry {
            Some(Object::Reference(id)) => {
                if let Some(f) = self.fonts.by_id.get(id) {
                    return f.clone();
                }
                let font = match deref(doc, entry).and_then(|o| o.as_dict().ok()) {
                    Some(dict) => Font::load(doc, dict, name, self.budget),
                    None => {
                        self.missing += 1;
                        Font::fallback()
                    }
                };
                let font = Rc::new(font);
                self.fonts.by_id.insert(*id, font.clone());
                font
            }
            Some(Object::Dictionary(dict)) => {
                let key = (dict as *const Dictionary as usize, name.to_vec());
                if let Some(f) = self.direct_fonts.get(&key) {
                    return f.clone();
                }
                let font = Rc::new(Font::load(doc, dict, name, self.budget));
                self.direct_fonts.insert(key, font.clone());
                font
            }
            _ => Rc::new(Font::fallback()),
        };
        if let Some(problem) = &font.problem {
            if self.reported.insert(font.name.clone()) {
                self.warnings.push(problem.clone());
            }
        }
        font
    }

    fn show(&mut self, bytes: &[u8]) {
        let Some(font) = self.gs.text.font.clone() else {
            return;
        };
        let t = &self.gs.text;
        let m = self.tm.then(self.gs.ctm);
        let [a, b, c, d, e, f] = m.0;
        let size = t.size * (c * c + d * d).sqrt();
        let bold = font.bold || t.stroke_bold;
        let artifact = self.in_artifact();
        let (tfs, th, tc, tw, rise) = (t.size, t.h_scale, t.char_spacing, t.word_spacing, t.rise);
        let mut u = 0.0f32;
        let lines = &mut self.lines;
        font.each_glyph(bytes, |g| {
            let w = g.width * tfs * th;
            let mut advance = (g.width * tfs + tc) * th;
            if g.is_space_code && !font.composite {
                advance += tw * th;
            }
            if let Some(text) = g.text {
                let x = u * a + rise * c + e;
                let y = u * b + rise * d + f;
                let x_end = (u + w) * a + rise * c + e;
                lines.push(PlacedGlyph {
                    text,
                    x: x.min(x_end),
                    x_end: x.max(x_end),
                    y,
                    size,
                    bold,
                    artifact,
                });
            }
            u += advance;
        });
        self.tm = Matrix::translate(u, 0.0).then(self.tm);
    }

    fn form(&mut self, resources: Option<&'d Dictionary>, name: &[u8]) {
        let doc = self.doc;
        if self.forms.len() >= MAX_FORM_DEPTH || self.form_runs >= MAX_FORM_RUNS {
            return;
        }
        self.form_runs += 1;
        let Some(Object::Reference(id)) = resources
            .and_then(|r| deref(doc, r.get(b"XObject").ok()))
            .and_then(|o| o.as_dict().ok())
            .and_then(|x| x.get(name).ok())
        else {
            return;
        };
        if self.forms.contains(id) {
            return;
        }
        let Ok(Object::Stream(stream)) = doc.get_object(*id) else {
            self.missing += 1;
            return;
        };
        if name_of(doc, stream.dict.get(b"Subtype").ok()) != Some(b"Form") {
            return;
        }
        let Ok(data) = self.budget.decode(stream) else {
            return;
        };
        let matrix =
            Matrix::from_object(doc, stream.dict.get(b"Matrix").ok()).unwrap_or(Matrix::IDENTITY);
        let form_resources = deref(doc, stream.dict.get(b"Resources").ok())
            .and_then(|o| o.as_dict().ok())
            .or(resources);
        let saved = (self.gs.clone(), self.tm, self.tlm, self.stack.len());
        self.gs.ctm = matrix.then(self.gs.ctm);
        self.forms.push(*id);
        self.run(&data, form_resources);
        self.forms.pop();
        self.stack.truncate(saved.3);
        self.gs = saved.0;
        self.tm = saved.1;
        self.tlm = saved.2;
    }
}

enum Token {
    Operand(Operand),
    Operator(usize, usize),
}

struct Lexer<'a> {
    data: &'a [u8],
    pos: usize,
}

fn is_white(c: u8) -> bool {
    matches!(c, b' ' | b'\t' | b'\r' | b'\n' | b'\x0c' | b'\0')
}

fn is_delim(c: u8) -> bool {
    matches!(
        c,
        b'(' | b')' | b'<' | b'>' | b'[' | b']' | b'{' | b'}' | b'/' | b'%'
    )
}

impl Lexer<'_> {
    fn next(&mut self, strings: &mut Vec<u8>) -> Option<Token> {
        let d = self.data;
        loop {
            let c = *d.get(self.pos)?;
            if is_white(c) {
                self.pos += 1;
            } else if c == b'%' {
                while self.pos < d.len() && d[self.pos] != b'\n' && d[self.pos] != b'\r' {
                    self.pos += 1;
                }
            } else {
                break;
            }
        }
        let start = self.pos;
        let c = d[start];
        self.pos += 1;
        let operand = match c {
            b'(' => {
                let s = strings.len();
                self.literal_string(strings);
                Operand::Str(s as u32, strings.len() as u32)
            }
            b'<' if d.get(self.pos) == Some(&b'<') => {
                self.pos += 1;
                Operand::Other
            }
            b'>' if d.get(self.pos) == Some(&b'>') => {
                self.pos += 1;
                Operand::Other
            }
            b'<' => {
                let s = strings.len();
                self.hex_string(strings);
                Operand::Str(s as u32, strings.len() as u32)
            }
            b'[' => Operand::ArrayStart,
            b']' => Operand::ArrayEnd,
            b'{' | b'}' | b')' | b'>' => Operand::Other,
            b'/' => {
                self.skip_regular();
                Operand::Name((start + 1) as u32, self.pos as u32)
            }
            b'0'..=b'9' | b'+' | b'-' | b'.' => {
                self.skip_regular();
                Operand::Num(parse_number(&d[start..self.pos]))
            }
            _ => {
                self.skip_regular();
                let word = &d[start..self.pos];
                if matches!(word, b"true" | b"false" | b"null") {
                    Operand::Other
                } else {
                    return Some(Token::Operator(start, self.pos));
                }
            }
        };
        Some(Token::Operand(operand))
    }

    fn skip_regular(&mut self) {
        while let Some(&c) = self.data.get(self.pos) {
            if is_white(c) || is_delim(c) {
                break;
            }
            self.pos += 1;
        }
    }

    fn literal_string(&mut self, out: &mut Vec<u8>) {
        let d = self.data;
        let mut depth = 1usize;
        while let Some(&c) = d.get(self.pos) {
            self.pos += 1;
            match c {
                b'(' => {
                    depth += 1;
                    out.push(c);
                }
                b')' => {
                    depth -= 1;
                    if depth == 0 {
                        return;
                    }
                    out.push(c);
                }
                b'\\' => {
                    let Some(&e) = d.get(self.pos) else { return };
                    self.pos += 1;
                    match e {
                        b'n' => out.push(b'\n'),
                        b'r' => out.push(b'\r'),
                        b't' => out.push(b'\t'),
                        b'b' => out.push(8),
                        b'f' => out.push(12),
                        b'\r' => {
                            if d.get(self.pos) == Some(&b'\n') {
                                self.pos += 1;
                            }
                        }
                        b'\n' => {}
                        b'0'..=b'7' => {
                            let mut v = (e - b'0') as u32;
                            for _ in 0..2 {
                                match d.get(self.pos) {
                                    Some(&o @ b'0'..=b'7') => {
                                        v = v * 8 + (o - b'0') as u32;
                                        self.pos += 1;
                                    }
                                    _ => break,
                                }
                            }
                            out.push(v as u8);
                        }
                        other => out.push(other),
                    }
                }
                _ => out.push(c),
            }
        }
    }

    fn hex_string(&mut self, out: &mut Vec<u8>) {
        let d = self.data;
        let mut hi: Option<u8> = None;
        while let Some(&c) = d.get(self.pos) {
            self.pos += 1;
            let v = match c {
                b'0'..=b'9' => c - b'0',
                b'a'..=b'f' => c - b'a' + 10,
                b'A'..=b'F' => c - b'A' + 10,
                b'>' => break,
                _ => continue,
            };
            match hi.take() {
                Some(h) => out.push(h << 4 | v),
                None => hi = Some(v),
            }
        }
        if let Some(h) = hi {
            out.push(h << 4);
        }
    }

    /// Skips `<dict> ID <binary> EI` after `BI`: the binary data may contain anything, so
    /// the lexer must not read it as tokens.
    fn skip_inline_image(&mut self) {
        let d = self.data;
        let Some(id) = find_keyword(d, self.pos, b"ID") else {
            self.pos = d.len();
            return;
        };
        let mut p = id + 3;
        while let Some(off) = memchr::memmem::find(d.get(p..).unwrap_or(&[]), b"EI") {
            let at = p + off;
            let before_ok = at == 0 || is_white(d[at - 1]);
            let after_ok = d.get(at + 2).is_none_or(|&c| is_white(c) || is_delim(c));
            if before_ok && after_ok {
                self.pos = at + 2;
                return;
            }
            p = at + 2;
        }
        self.pos = d.len();
    }
}

/// Position of keyword `kw` standing alone (whitespace or delimiters around it) from `from`.
fn find_keyword(d: &[u8], from: usize, kw: &[u8]) -> Option<usize> {
    let mut p = from;
    while let Some(off) = memchr::memmem::find(d.get(p..)?, kw) {
        let at = p + off;
        let before_ok = at == 0 || is_white(d[at - 1]) || is_delim(d[at - 1]);
        let after_ok = d
            .get(at + kw.len())
            .is_none_or(|&c| is_white(c) || is_delim(c));
        if before_ok && after_ok {
            return Some(at);
        }
        p = at + kw.len();
    }
    None
}

/// PDF numbers: `[+-]digits[.digits]`; malformed ones read as far as they make sense.
fn parse_number(s: &[u8]) -> f32 {
    let mut neg = false;
    let mut i = 0;
    while i < s.len() && (s[i] == b'-' || s[i] == b'+') {
        neg ^= s[i] == b'-';
        i += 1;
    }
    let mut int: f64 = 0.0;
    while i < s.len() && s[i].is_ascii_digit() {
        int = int * 10.0 + (s[i] - b'0') as f64;
        i += 1;
    }
    if i < s.len() && s[i] == b'.' {
        i += 1;
        let mut scale = 0.1;
        while i < s.len() && s[i].is_ascii_digit() {
            int += (s[i] - b'0') as f64 * scale;
            scale *= 0.1;
            i += 1;
        }
    }
    let v = if neg { -int } else { int };
    v as f32
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tokens(data: &[u8]) -> (Vec<String>, Vec<u8>) {
        let mut lexer = Lexer { data, pos: 0 };
        let mut strings = Vec::new();
        let mut out = Vec::new();
        while let Some(t) = lexer.next(&mut strings) {
            out.push(match t {
                Token::Operator(s, e) => String::from_utf8_lossy(&data[s..e]).into_owned(),
                Token::Operand(Operand::Num(v)) => format!("{v}"),
                Token::Operand(Operand::Str(s, e)) => {
                    format!(
                        "({})",
                        String::from_utf8_lossy(&strings[s as usize..e as usize])
                    )
                }
                Token::Operand(Operand::Name(s, e)) => {
                    format!(
                        "/{}",
                        String::from_utf8_lossy(&data[s as usize..e as usize])
                    )
                }
                Token::Operand(o) => format!("{o:?}"),
            });
            if out.last().map(String::as_str) == Some("BI") {
                lexer.skip_inline_image();
            }
        }
        (out, strings)
    }

    #[test]
    fn lexes_operands_and_operators() {
        let (t, _) =
            tokens(b"/F1 12 Tf -.5 3. +2 Td [(a\\(b\\))-250<4E2D>] TJ % comment\n(x\\101\\\ny) Tj");
        assert_eq!(
            t,
            [
                "/F1",
                "12",
                "Tf",
                "-0.5",
                "3",
                "2",
                "Td",
                "ArrayStart",
                "(a(b))",
                "-250",
                "(N-)",
                "ArrayEnd",
                "TJ",
                "(xAy)",
                "Tj"
            ]
        );
    }

    #[test]
    fn inline_images_are_skipped() {
        let (t, _) = tokens(b"BI /W 2 /H 2 ID \x01EI(\xff) EI Q");
        assert_eq!(t, ["BI", "Q"]);
    }

    #[test]
    fn numbers_parse_leniently() {
        assert_eq!(parse_number(b"--5"), 5.0);
        assert_eq!(parse_number(b"1.25"), 1.25);
        assert_eq!(parse_number(b"-"), 0.0);
        assert_eq!(parse_number(b"1.2.3"), 1.2);
    }

    #[test]
    fn matrices_compose_left_to_right() {
        let scale = Matrix([2.0, 0.0, 0.0, 2.0, 0.0, 0.0]);
        let shift = Matrix::translate(10.0, 5.0);
        assert_eq!(scale.then(shift).0, [2.0, 0.0, 0.0, 2.0, 10.0, 5.0]);
        assert_eq!(shift.then(scale).0, [2.0, 0.0, 0.0, 2.0, 20.0, 10.0]);
    }
}
