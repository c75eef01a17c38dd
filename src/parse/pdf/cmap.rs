//! CMaps: how a font's byte codes split into character codes (codespace ranges) and what
//! Unicode text each code stands for (`/ToUnicode`).
//!
//! We parse CMaps ourselves rather than through lopdf's `Encoding` because text layout needs
//! each code separately (its width moves the pen), and lopdf only decodes whole strings.

use std::collections::HashMap;

/// Codes longer than this are not valid PDF character codes.
const MAX_CODE_LEN: usize = 4;
/// A hostile CMap can declare `<00000000> <FFFFFFFF>` ranges; arrays in a `bfrange` are
/// expanded one entry per code, so their total is bounded.
const MAX_ARRAY_ENTRIES: usize = 1 << 17;

/// The codespace ranges of a CMap: which byte sequences are codes of which length.
#[derive(Debug, Clone, Default)]
pub(super) struct Codespace {
    /// `(length, low, high)`, compared byte by byte as the spec says.
    ranges: Vec<(u8, [u8; MAX_CODE_LEN], [u8; MAX_CODE_LEN])>,
}

impl Codespace {
    pub(super) fn fixed(len: u8) -> Self {
        let len = len.clamp(1, MAX_CODE_LEN as u8);
        let mut hi = [0u8; MAX_CODE_LEN];
        hi[..len as usize].fill(0xFF);
        Codespace {
            ranges: vec![(len, [0; MAX_CODE_LEN], hi)],
        }
    }

    /// The EUC/Shift-JIS style: one byte below `lead`, two bytes from `lead` up.
    pub(super) fn one_or_two(lead: u8) -> Self {
        let mut one_hi = [0u8; MAX_CODE_LEN];
        one_hi[0] = lead.saturating_sub(1);
        let mut two_lo = [0u8; MAX_CODE_LEN];
        two_lo[0] = lead;
        let mut two_hi = [0u8; MAX_CODE_LEN];
        two_hi[0] = 0xFF;
        two_hi[1] = 0xFF;
        Codespace {
            ranges: vec![(1, [0; MAX_CODE_LEN], one_hi), (2, two_lo, two_hi)],
        }
    }

    pub(super) fn is_empty(&self) -> bool {
        self.ranges.is_empty()
    }

    /// Length of the code starting at `bytes[0]` (never 0, never past the end).
    pub(super) fn code_len(&self, bytes: &[u8]) -> usize {
        let mut shortest = usize::MAX;
        for len in 1..=MAX_CODE_LEN.min(bytes.len()) {
            let code = &bytes[..len];
            for (rlen, lo, hi) in &self.ranges {
                let rlen = *rlen as usize;
                if rlen != len {
                    continue;
                }
                shortest = shortest.min(len);
                if code
                    .iter()
                    .zip(lo.iter().zip(hi.iter()))
                    .all(|(b, (l, h))| l <= b && b <= h)
                {
                    return len;
                }
            }
        }
        // Not in any range: the spec says to consume as many bytes as the shortest code.
        if shortest == usize::MAX {
            1
        } else {
            shortest.min(bytes.len()).max(1)
        }
    }
}

/// What a code maps to: one char inline, or a string in the map's pool (ligatures, surrogates
/// resolved, multi-character mappings).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Target {
    Char(char),
    Pool(u32),
}

/// A `/ToUnicode` CMap.
#[derive(Debug, Default)]
pub(super) struct ToUnicode {
    pub(super) codespace: Codespace,
    /// Key: `len << 32 | code`.
    single: HashMap<u64, Target>,
    /// `bfrange` with a string destination: `(len, lo, hi, first char)`, sorted by `lo`.
    ranges: Vec<(u8, u32, u32, u32)>,
    pool: Vec<String>,
}

/// Unicode text for one code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Mapped<'a> {
    Char(char),
    Str(&'a str),
}

fn key(len: usize, code: u32) -> u64 {
    ((len as u64) << 32) | code as u64
}

impl ToUnicode {
    pub(super) fn lookup(&self, code: u32, len: usize) -> Option<Mapped<'_>> {
        if let Some(t) = self.single.get(&key(len, code)) {
            return Some(match *t {
                Target::Char(c) => Mapped::Char(c),
                Target::Pool(i) => Mapped::Str(self.pool.get(i as usize)?.as_str()),
            });
        }
        let i = self.ranges.partition_point(|r| r.1 <= code);
        // Ranges may overlap; scan back over the few that start at or below the code.
        for r in self.ranges[..i].iter().rev().take(8) {
            if r.0 as usize == len && r.1 <= code && code <= r.2 {
                return char::from_u32(r.3.wrapping_add(code - r.1)).map(Mapped::Char);
            }
        }
        None
    }

    pub(super) fn is_empty(&self) -> bool {
        self.single.is_empty() && self.ranges.is_empty()
    }

    fn insert(&mut self, len: usize, code: u32, utf16be: &[u8]) {
        let text = decode_utf16be(utf16be);
        let mut chars = text.chars();
        let target = match (chars.next(), chars.next()) {
            (None, _) => return,
            (Some(c), None) => Target::Char(c),
            _ => {
                self.pool.push(text);
                Target::Pool((self.pool.len() - 1) as u32)
            }
        };
        self.single.insert(key(len, code), target);
    }

    /// Parses a ToUnicode CMap. Never fails: whatever parses is kept.
    pub(super) fn parse(data: &[u8]) -> ToUnicode {
        let mut map = ToUnicode::default();
        let mut lexer = Lexer { data, pos: 0 };
        let mut operands: Vec<Token<'_>> = Vec::new();
        let mut array_entries = 0usize;
        while let Some(tok) = lexer.next() {
            match tok {
                Token::Keyword(b"endcodespacerange") => {
                    for pair in operands.chunks_exact(2) {
                        if let (Token::Hex(lo), Token::Hex(hi)) = (&pair[0], &pair[1]) {
                            if let (Some(lo), Some(hi)) = (code_bytes(lo), code_bytes(hi)) {
                                if lo.0 == hi.0 {
                                    map.codespace.ranges.push((lo.0 as u8, lo.1, hi.1));
                                }
                            }
                        }
                    }
                    operands.clear();
                }
                Token::Keyword(b"endbfchar") => {
                    for pair in operands.chunks_exact(2) {
                        if let (Token::Hex(src), Token::Hex(dst)) = (&pair[0], &pair[1]) {
                            let src = hex_bytes(src);
                            if let Some(code) = code_value(&src) {
                                map.insert(src.len(), code, &hex_bytes(dst));
                            }
                        }
                    }
                    operands.clear();
                }
                Token::Keyword(b"endbfrange") => {
                    let mut i = 0;
                    while i + 2 < operands.len() {
                        let (lo, hi) = match (&operands[i], &operands[i + 1]) {
                            (Token::Hex(lo), Token::Hex(hi)) => (hex_bytes(lo), hex_bytes(hi)),
                            _ => {
                                i += 1;
                                continue;
                            }
                        };
                        let len = lo.len();
                        let (Some(lo_v), Some(hi_v)) = (code_value(&lo), code_value(&hi)) else {
                            i += 3;
                            continue;
                        };
                        match &operands[i + 2] {
                            Token::Hex(dst) => {
                                let dst = hex_bytes(dst);
                                let text = decode_utf16be(&dst);
                                let mut chars = text.chars();
                                match (chars.next(), chars.next()) {
                                    (Some(c), None) if lo_v <= hi_v => {
                                        map.ranges.push((len as u8, lo_v, hi_v, c as u32))
                                    }
                                    (Some(_), Some(_)) if lo_v <= hi_v => {
                                        // A multi-unit destination: the last unit counts up.
                                        let n = (hi_v - lo_v).min(0xFFFF);
                                        for k in 0..=n {
                                            let mut d = dst.clone();
                                            if let Some(last) = d.last_mut() {
                                                *last = last.wrapping_add(k as u8);
                                            }
                                            map.insert(len, lo_v + k, &d);
                                            array_entries += 1;
                                            if array_entries > MAX_ARRAY_ENTRIES {
                                                break;
                                            }
                                        }
                                    }
                                    _ => {}
                                }
                                i += 3;
                            }
                            Token::ArrayStart => {
                                let mut j = i + 3;
                                let mut code = lo_v;
                                while j < operands.len() {
                                    match &operands[j] {
                                        Token::ArrayEnd => break,
                                        Token::Hex(dst) => {
                                            if code <= hi_v && array_entries < MAX_ARRAY_ENTRIES {
                                                map.insert(len, code, &hex_bytes(dst));
                                                array_entries += 1;
                                            }
                                            code = code.saturating_add(1);
                                        }
                                        _ => {}
                                    }
                                    j += 1;
                                }
                                i = j + 1;
                            }
                            _ => i += 1,
                        }
                    }
                    operands.clear();
                }
                Token::Keyword(b"beginbfchar")
                | Token::Keyword(b"beginbfrange")
                | Token::Keyword(b"begincodespacerange") => operands.clear(),
                Token::Keyword(_) => operands.clear(),
                other => {
                    if operands.len() < 1 << 20 {
                        operands.push(other);
                    }
                }
            }
        }
        map.ranges.sort_unstable_by_key(|r| r.1);
        map
    }
}

/// Reads the codespace ranges of an embedded `/Encoding` CMap stream of a Type0 font.
pub(super) fn parse_codespace(data: &[u8]) -> Codespace {
    let mut space = Codespace::default();
    let mut lexer = Lexer { data, pos: 0 };
    let mut operands: Vec<Token<'_>> = Vec::new();
    while let Some(tok) = lexer.next() {
        match tok {
            Token::Keyword(b"endcodespacerange") => {
                for pair in operands.chunks_exact(2) {
                    if let (Token::Hex(lo), Token::Hex(hi)) = (&pair[0], &pair[1]) {
                        if let (Some(lo), Some(hi)) = (code_bytes(lo), code_bytes(hi)) {
                            if lo.0 == hi.0 {
                                space.ranges.push((lo.0 as u8, lo.1, hi.1));
                            }
                        }
                    }
                }
                operands.clear();
            }
            Token::Keyword(_) => operands.clear(),
            other => {
                if operands.len() < 1 << 16 {
                    operands.push(other);
                }
            }
        }
    }
    space
}

fn code_bytes(hex: &[u8]) -> Option<(usize, [u8; MAX_CODE_LEN])> {
    let bytes = hex_bytes(hex);
    if bytes.is_empty() || bytes.len() > MAX_CODE_LEN {
        return None;
    }
    let mut out = [0u8; MAX_CODE_LEN];
    out[..bytes.len()].copy_from_slice(&bytes);
    Some((bytes.len(), out))
}

fn code_value(bytes: &[u8]) -> Option<u32> {
    if bytes.is_empty() || bytes.len() > MAX_CODE_LEN {
        return None;
    }
    Some(bytes.iter().fold(0u32, |acc, &b| (acc << 8) | b as u32))
}

pub(super) fn hex_bytes(hex: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(hex.len() / 2);
    let mut hi: Option<u8> = None;
    for &c in hex {
        let v = match c {
            b'0'..=b'9' => c - b'0',
            b'a'..=b'f' => c - b'a' + 10,
            b'A'..=b'F' => c - b'A' + 10,
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
    out
}

pub(super) fn decode_utf16be(bytes: &[u8]) -> String {
    let units = bytes
        .chunks(2)
        .map(|c| (c[0] as u16) << 8 | c.get(1).copied().unwrap_or(0) as u16);
    char::decode_utf16(units)
        .map(|r| r.unwrap_or(char::REPLACEMENT_CHARACTER))
        .filter(|&c| c != '\0')
        .collect()
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Token<'a> {
    Hex(&'a [u8]),
    Number,
    Name,
    Str,
    ArrayStart,
    ArrayEnd,
    Keyword(&'a [u8]),
}

struct Lexer<'a> {
    data: &'a [u8],
    pos: usize,
}

impl<'a> Lexer<'a> {
    fn next(&mut self) -> Option<Token<'a>> {
        let d = self.data;
        loop {
            let c = *d.get(self.pos)?;
            match c {
                b' ' | b'\t' | b'\r' | b'\n' | b'\x0c' | b'\0' => self.pos += 1,
                b'%' => {
                    while self.pos < d.len() && d[self.pos] != b'\n' && d[self.pos] != b'\r' {
                        self.pos += 1;
                    }
                }
                _ => break,
            }
        }
        let start = self.pos;
        let c = d[start];
        self.pos += 1;
        Some(match c {
            b'<' if d.get(self.pos) == Some(&b'<') => {
                self.pos += 1;
                Token::Keyword(b"<<")
            }
            b'>' if d.get(self.pos) == Some(&b'>') => {
                self.pos += 1;
                Token::Keyword(b">>")
            }
            b'<' => {
                let end = memchr::memchr(b'>', &d[self.pos..]).map_or(d.len(), |i| self.pos + i);
                let hex = &d[self.pos..end];
                self.pos = (end + 1).min(d.len());
                Token::Hex(hex)
            }
            b'[' => Token::ArrayStart,
            b']' => Token::ArrayEnd,
            b'(' => {
                // Strings do not occur in the parts we read; skip balanced parentheses.
                let mut depth = 1usize;
                while self.pos < d.len() && depth > 0 {
                    match d[self.pos] {
                        b'\\' => self.pos += 1,
                        b'(' => depth += 1,
                        b')' => depth -= 1,
                        _ => {}
                    }
                    self.pos += 1;
                }
                Token::Str
            }
            b'/' => {
                self.skip_regular();
                Token::Name
            }
            b'0'..=b'9' | b'-' | b'+' | b'.' => {
                self.skip_regular();
                Token::Number
            }
            _ => {
                self.skip_regular();
                Token::Keyword(&d[start..self.pos])
            }
        })
    }

    fn skip_regular(&mut self) {
        while let Some(&c) = self.data.get(self.pos) {
            if is_delimiter_or_space(c) {
                break;
            }
            self.pos += 1;
        }
    }
}

pub(super) fn is_delimiter_or_space(c: u8) -> bool {
    matches!(
        c,
        b' ' | b'\t'
            | b'\r'
            | b'\n'
            | b'\x0c'
            | b'\0'
            | b'('
            | b')'
            | b'<'
            | b'>'
            | b'['
            | b']'
            | b'{'
            | b'}'
            | b'/'
            | b'%'
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    const CMAP: &[u8] = b"/CIDInit /ProcSet findresource begin 12 dict begin begincmap
/CMapName /Adobe-Identity-UCS def
1 begincodespacerange <0000> <FFFF> endcodespacerange
3 beginbfchar
<0003> <0020>
<0014> <7B2C>
<0020> <00660069>
endbfchar
2 beginbfrange
<0030> <0039> <0030>
<0100> <0102> [<4E00> <4E8C> <D840DC00>]
endbfrange
endcmap CMapName currentdict /CMap defineresource pop end end";

    #[test]
    fn maps_bfchar_bfrange_and_arrays() {
        let m = ToUnicode::parse(CMAP);
        assert_eq!(m.lookup(0x14, 2), Some(Mapped::Char('第')));
        assert_eq!(m.lookup(0x03, 2), Some(Mapped::Char(' ')));
        assert_eq!(m.lookup(0x20, 2), Some(Mapped::Str("fi")));
        assert_eq!(m.lookup(0x35, 2), Some(Mapped::Char('5')));
        assert_eq!(m.lookup(0x101, 2), Some(Mapped::Char('二')));
        assert_eq!(m.lookup(0x102, 2), Some(Mapped::Char('\u{20000}')));
        assert_eq!(m.lookup(0x40, 2), None);
        assert_eq!(m.lookup(0x14, 1), None, "code length is part of the key");
        assert_eq!(m.codespace.code_len(&[0x00, 0x14, 0x00]), 2);
    }

    #[test]
    fn mixed_codespace_splits_codes() {
        let cs = Codespace::one_or_two(0x81);
        assert_eq!(cs.code_len(b"A\x81\x40"), 1);
        assert_eq!(cs.code_len(b"\x81\x40"), 2);
        assert_eq!(
            cs.code_len(b"\x81"),
            1,
            "a truncated code never reads past the end"
        );
    }

    #[test]
    fn garbage_cmap_does_not_panic() {
        for data in [
            &b"endbfrange endbfchar <<>> [ ] <0000 <> ( ( ) beginbfrange"[..],
            b"1 beginbfrange <0000> <FFFFFFFF> <00410042> endbfrange",
            b"1 beginbfrange <FF> <00> <0041> endbfrange",
            b"<",
            b"%",
        ] {
            let m = ToUnicode::parse(data);
            let _ = m.lookup(0, 1);
        }
    }
}
