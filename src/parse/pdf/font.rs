//! Fonts: split a shown string into character codes, give each its Unicode text and its
//! advance width.
//!
//! Text comes from `/ToUnicode` first; without it, simple fonts fall back to their encoding
//! and `/Differences`, CID fonts with a predefined CMap (UniGB-UCS2-H, GBK-EUC-H, CNS-EUC-H,
//! …) are decoded through Adobe's tables ([`super::predefined`]), a CMap name outside those
//! by the national charset its name says, and anything else is dropped with a warning
//! rather than turned into garbage.

use std::collections::HashMap;
use std::sync::Arc;

use lopdf::{Dictionary, Document, Object};

use super::cmap::{self, Codespace, Mapped, ToUnicode};
use super::encoding::{glyph_text, BaseEncoding, CodeTable};
use super::predefined::{CodeText, Predefined};
use super::stream::Budget;

/// How the codes of a CID font without `/ToUnicode` can still be read when its CMap name
/// is not one hayro-cmap ships.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum National {
    Ucs2,
    Gbk,
    Big5,
    ShiftJis,
    EucKr,
}

#[derive(Debug)]
enum Widths {
    /// Simple fonts: `/FirstChar` and `/Widths`, in glyph units.
    Simple { first: u32, widths: Vec<f32> },
    /// CID fonts: `/W` ranges `(first cid, last cid, width or index into `list`)`, sorted.
    Cid {
        default: f32,
        ranges: Vec<(u32, u32, CidWidth)>,
        list: Vec<f32>,
    },
}

#[derive(Debug, Clone, Copy)]
enum CidWidth {
    Same(f32),
    /// Index of the first cid's width in `list`.
    Each(u32),
}

/// A font, ready to decode shown strings.
#[derive(Debug)]
pub(super) struct Font {
    /// Resource name and base font, for warnings.
    pub(super) name: String,
    codespace: Codespace,
    to_unicode: Option<ToUnicode>,
    simple: Option<Box<CodeTable>>,
    national: Option<National>,
    /// The font's predefined CMap: code length, CID (which keys `/W`) and text.
    predefined: Option<Arc<Predefined>>,
    widths: Widths,
    /// Glyph units → text space (1/1000 for most fonts; Type 3 fonts say in `/FontMatrix`).
    pub(super) scale: f32,
    pub(super) bold: bool,
    /// Whether the font is two-byte (Type 0): word spacing then never applies.
    pub(super) composite: bool,
    /// Why some codes cannot be decoded, if so (reported once per font).
    pub(super) problem: Option<String>,
}

/// One code of a shown string.
pub(super) struct Glyph<'a> {
    pub(super) text: Option<Mapped<'a>>,
    /// Advance in glyph units × `scale`, i.e. in text space units per 1 of font size.
    pub(super) width: f32,
    /// Single-byte code 32, which word spacing applies to.
    pub(super) is_space_code: bool,
}

impl Font {
    /// A font for a text operator that names no known font: codes read as Latin-1 so that a
    /// broken font reference costs accuracy, not the page.
    pub(super) fn fallback() -> Font {
        Font {
            name: "(missing font)".into(),
            codespace: Codespace::fixed(1),
            to_unicode: None,
            simple: Some(BaseEncoding::WinAnsi.table()),
            national: None,
            predefined: None,
            widths: Widths::Simple {
                first: 0,
                widths: Vec::new(),
            },
            scale: 0.001,
            bold: false,
            composite: false,
            problem: None,
        }
    }

    pub(super) fn load(
        doc: &Document,
        dict: &Dictionary,
        res_name: &[u8],
        budget: &mut Budget,
    ) -> Font {
        let subtype = name_of(doc, dict.get(b"Subtype").ok()).unwrap_or(b"Type1");
        let base_font = name_of(doc, dict.get(b"BaseFont").ok()).unwrap_or(b"");
        let name = format!(
            "/{} ({})",
            String::from_utf8_lossy(res_name),
            String::from_utf8_lossy(base_font)
        );
        let to_unicode = deref(doc, dict.get(b"ToUnicode").ok())
            .and_then(|o| o.as_stream().ok())
            .and_then(|s| budget.decode(s).ok())
            .map(|data| ToUnicode::parse(&data))
            .filter(|m| !m.is_empty());
        let mut bold = is_bold_name(base_font);
        if subtype == b"Type0" {
            let descendant = deref(doc, dict.get(b"DescendantFonts").ok())
                .and_then(|o| o.as_array().ok())
                .and_then(|a| a.first())
                .and_then(|o| deref(doc, Some(o)))
                .and_then(|o| o.as_dict().ok());
            let (codespace, national, predefined) = type0_codes(doc, dict, budget);
            let widths = descendant.map_or(
                Widths::Cid {
                    default: 1000.0,
                    ranges: Vec::new(),
                    list: Vec::new(),
                },
                |d| cid_widths(doc, d),
            );
            if let Some(d) = descendant {
                bold |= descriptor_bold(doc, d);
            }
            let codespace = match (&to_unicode, codespace) {
                (_, Some(cs)) => cs,
                (Some(m), None) if !m.codespace.is_empty() => m.codespace.clone(),
                _ => Codespace::fixed(2),
            };
            let problem = match &predefined {
                _ if to_unicode.is_some() => None,
                Some(p) if !p.has_text() => Some(format!(
                    "font {name} has no ToUnicode map and its CMap {} has no CID to Unicode table; its text is left out",
                    p.name()
                )),
                Some(_) => None,
                None => national.is_none().then(|| {
                    format!("font {name} has no ToUnicode map and an encoding lopdf cannot map to Unicode; its text is left out")
                }),
            };
            return Font {
                name,
                codespace,
                to_unicode,
                simple: None,
                national,
                predefined,
                widths,
                scale: 0.001,
                bold,
                composite: true,
                problem,
            };
        }
        // Simple fonts: Type1, TrueType, Type3, MMType1.
        bold |= descriptor_bold(doc, dict);
        let scale = if subtype == b"Type3" {
            deref(doc, dict.get(b"FontMatrix").ok())
                .and_then(|o| o.as_array().ok())
                .and_then(|a| a.first())
                .and_then(number)
                .map(|v| v.abs())
                .filter(|v| v.is_finite() && *v > 0.0 && *v < 10.0)
                .unwrap_or(0.001)
        } else {
            0.001
        };
        let (table, base) = simple_table(doc, dict);
        let first = deref(doc, dict.get(b"FirstChar").ok())
            .and_then(number)
            .map_or(0, |v| v.clamp(0.0, 255.0) as u32);
        let widths = deref(doc, dict.get(b"Widths").ok())
            .and_then(|o| o.as_array().ok())
            .map(|a| {
                a.iter()
                    .take(256)
                    .map(|o| deref(doc, Some(o)).and_then(number).unwrap_or(0.0))
                    .collect()
            })
            .unwrap_or_default();
        let problem = to_unicode.is_none().then(|| {
            format!(
                "font {name} has no ToUnicode map; its text is decoded by {}",
                base.map_or("its glyph names and StandardEncoding", |b| b.name())
            )
        });
        Font {
            name,
            codespace: Codespace::fixed(1),
            to_unicode,
            simple: Some(table),
            national: None,
            predefined: None,
            widths: Widths::Simple { first, widths },
            scale,
            bold,
            composite: false,
            problem,
        }
    }

    /// Calls `f` for each code of `bytes`, in order.
    pub(super) fn each_glyph(&self, bytes: &[u8], mut f: impl FnMut(Glyph<'_>)) {
        let mut i = 0;
        // A predefined CMap's text for one CID can be several characters.
        let mut several: String;
        while i < bytes.len() {
            let rest = &bytes[i..];
            // A predefined CMap splits codes as it maps them; `/ToUnicode` is keyed by the
            // same codes, so it still takes precedence for the text.
            let (len, cid) = match &self.predefined {
                Some(p) => p.code(rest),
                None => (self.codespace.code_len(rest), None),
            };
            let len = len.clamp(1, rest.len());
            let code_bytes = &rest[..len];
            let code = code_bytes
                .iter()
                .fold(0u32, |acc, &b| (acc << 8) | b as u32);
            i += len;
            let mut text = self.to_unicode.as_ref().and_then(|m| m.lookup(code, len));
            if text.is_none() {
                if let Some(table) = &self.simple {
                    text = table.get(code as usize).copied().flatten();
                } else if let Some(p) = &self.predefined {
                    text = match p.text(code_bytes, cid) {
                        Some(CodeText::Char(c)) => Some(Mapped::Char(c)),
                        Some(CodeText::Str(s)) => {
                            several = s;
                            Some(Mapped::Str(&several))
                        }
                        None => None,
                    };
                } else if let Some(nat) = self.national {
                    text = national_char(nat, code_bytes).map(Mapped::Char);
                }
            }
            f(Glyph {
                text,
                // `/W` is keyed by CID: the code itself only under Identity CMaps; a code
                // a predefined CMap does not map shows CID 0 (.notdef).
                width: self.width(match &self.predefined {
                    Some(_) => cid.unwrap_or(0),
                    None => code,
                }) * self.scale,
                is_space_code: len == 1 && code == 32,
            });
        }
    }

    fn width(&self, code: u32) -> f32 {
        match &self.widths {
            Widths::Simple { first, widths } => code
                .checked_sub(*first)
                .and_then(|i| widths.get(i as usize))
                .copied()
                .filter(|w| *w > 0.0)
                // Missing widths: guess from the glyph's script rather than read zero.
                .unwrap_or(if self.scale == 0.001 { 500.0 } else { 0.0 }),
            Widths::Cid {
                default,
                ranges,
                list,
            } => {
                let i = ranges.partition_point(|r| r.0 <= code);
                if let Some(&(lo, hi, w)) = i.checked_sub(1).and_then(|j| ranges.get(j)) {
                    if code <= hi {
                        return match w {
                            CidWidth::Same(w) => w,
                            CidWidth::Each(start) => list
                                .get((start + (code - lo)) as usize)
                                .copied()
                                .unwrap_or(*default),
                        };
                    }
                }
                *default
            }
        }
    }
}

fn national_char(nat: National, code: &[u8]) -> Option<char> {
    let enc = match nat {
        National::Ucs2 => {
            let v = code.iter().fold(0u32, |acc, &b| (acc << 8) | b as u32);
            return char::from_u32(v).filter(|c| !c.is_control());
        }
        National::Gbk => encoding_rs::GBK,
        National::Big5 => encoding_rs::BIG5,
        National::ShiftJis => encoding_rs::SHIFT_JIS,
        National::EucKr => encoding_rs::EUC_KR,
    };
    let (text, _, had_errors) = enc.decode(code);
    if had_errors {
        return None;
    }
    let mut chars = text.chars();
    match (chars.next(), chars.next()) {
        (Some(c), None) if !c.is_control() => Some(c),
        _ => None,
    }
}

/// The code lengths of a Type 0 font (from its `/Encoding` CMap) and, for predefined CMaps,
/// how to read them without `/ToUnicode`: through Adobe's tables for the CMaps hayro-cmap
/// ships, by the national charset the name says for other names.
fn type0_codes(
    doc: &Document,
    dict: &Dictionary,
    budget: &mut Budget,
) -> (Option<Codespace>, Option<National>, Option<Arc<Predefined>>) {
    match deref(doc, dict.get(b"Encoding").ok()) {
        Some(Object::Name(n)) => {
            let n = n.as_slice();
            let has = |s: &[u8]| memchr::memmem::find(n, s).is_some();
            if n.starts_with(b"Identity") {
                (Some(Codespace::fixed(2)), None, None)
            } else if let Some(p) = Predefined::load(n) {
                (None, None, Some(p))
            } else if has(b"UCS2") || has(b"UTF16") {
                (Some(Codespace::fixed(2)), Some(National::Ucs2), None)
            } else if has(b"GBK") || has(b"GB-EUC") || has(b"GBpc") || has(b"GBT") {
                (Some(Codespace::one_or_two(0x81)), Some(National::Gbk), None)
            } else if has(b"B5") || has(b"ETen") || has(b"HKscs") {
                // CNS names are not guessed: CNS-EUC is EUC-TW, which Big5 misreads.
                (
                    Some(Codespace::one_or_two(0x81)),
                    Some(National::Big5),
                    None,
                )
            } else if has(b"RKSJ") {
                (
                    Some(Codespace::one_or_two(0x81)),
                    Some(National::ShiftJis),
                    None,
                )
            } else if has(b"KSC") || has(b"UHC") {
                (
                    Some(Codespace::one_or_two(0x81)),
                    Some(National::EucKr),
                    None,
                )
            } else {
                (None, None, None)
            }
        }
        Some(Object::Stream(s)) => {
            let cs = budget
                .decode(s)
                .ok()
                .map(|data| cmap::parse_codespace(&data))
                .filter(|cs| !cs.is_empty());
            (cs, None, None)
        }
        _ => (None, None, None),
    }
}

fn cid_widths(doc: &Document, cid_font: &Dictionary) -> Widths {
    let default = deref(doc, cid_font.get(b"DW").ok())
        .and_then(number)
        .unwrap_or(1000.0);
    let mut ranges = Vec::new();
    let mut list = Vec::new();
    if let Some(w) = deref(doc, cid_font.get(b"W").ok()).and_then(|o| o.as_array().ok()) {
        let mut i = 0;
        while i < w.len() {
            let Some(first) = deref(doc, w.get(i)).and_then(number) else {
                break;
            };
            let first = first.max(0.0) as u32;
            match deref(doc, w.get(i + 1)) {
                Some(Object::Array(each)) => {
                    if !each.is_empty() {
                        let start = list.len() as u32;
                        list.extend(
                            each.iter()
                                .map(|o| deref(doc, Some(o)).and_then(number).unwrap_or(default)),
                        );
                        let last = first.saturating_add(each.len() as u32 - 1);
                        ranges.push((first, last, CidWidth::Each(start)));
                    }
                    i += 2;
                }
                Some(o) => {
                    let last = number(o).map_or(first, |v| v.max(0.0) as u32);
                    let width = deref(doc, w.get(i + 2)).and_then(number).unwrap_or(default);
                    ranges.push((first, last.max(first), CidWidth::Same(width)));
                    i += 3;
                }
                None => break,
            }
        }
    }
    ranges.sort_by_key(|r| r.0);
    Widths::Cid {
        default,
        ranges,
        list,
    }
}

fn simple_table(doc: &Document, dict: &Dictionary) -> (Box<CodeTable>, Option<BaseEncoding>) {
    let encoding = deref(doc, dict.get(b"Encoding").ok());
    let (base, differences) = match encoding {
        Some(Object::Name(n)) => (BaseEncoding::from_name(n), None),
        Some(Object::Dictionary(d)) => (
            name_of(doc, d.get(b"BaseEncoding").ok()).and_then(BaseEncoding::from_name),
            deref(doc, d.get(b"Differences").ok()).and_then(|o| o.as_array().ok()),
        ),
        _ => (None, None),
    };
    let mut table = base.unwrap_or(BaseEncoding::Standard).table();
    if let Some(diffs) = differences {
        let mut code = 0usize;
        for item in diffs {
            match deref(doc, Some(item)) {
                Some(Object::Integer(n)) => code = (*n).clamp(0, 256) as usize,
                Some(Object::Real(n)) => code = n.clamp(0.0, 256.0) as usize,
                Some(Object::Name(name)) => {
                    if let Some(slot) = table.get_mut(code) {
                        *slot = glyph_text(name);
                    }
                    code += 1;
                }
                _ => {}
            }
        }
    }
    (table, base)
}

fn descriptor_bold(doc: &Document, font: &Dictionary) -> bool {
    let Some(desc) = deref(doc, font.get(b"FontDescriptor").ok()).and_then(|o| o.as_dict().ok())
    else {
        return false;
    };
    let weight = deref(doc, desc.get(b"FontWeight").ok()).and_then(number);
    let flags = deref(doc, desc.get(b"Flags").ok())
        .and_then(number)
        .unwrap_or(0.0) as u32;
    let name = name_of(doc, desc.get(b"FontName").ok()).unwrap_or(b"");
    weight.is_some_and(|w| w >= 600.0) || flags & (1 << 18) != 0 || is_bold_name(name)
}

fn is_bold_name(name: &[u8]) -> bool {
    let lower = name.to_ascii_lowercase();
    [
        &b"bold"[..],
        b"heavy",
        b"black",
        b"semibold",
        b"demi",
        b",bold",
    ]
    .iter()
    .any(|s| memchr::memmem::find(&lower, s).is_some())
}

pub(super) fn deref<'a>(doc: &'a Document, obj: Option<&'a Object>) -> Option<&'a Object> {
    doc.dereference(obj?).ok().map(|(_, o)| o)
}

pub(super) fn name_of<'a>(doc: &'a Document, obj: Option<&'a Object>) -> Option<&'a [u8]> {
    match deref(doc, obj)? {
        Object::Name(n) => Some(n.as_slice()),
        _ => None,
    }
}

pub(super) fn number(obj: &Object) -> Option<f32> {
    match obj {
        Object::Integer(i) => Some(*i as f32),
        Object::Real(r) if r.is_finite() => Some(*r),
        _ => None,
    }
}

/// Fonts already built, by object id, shared by every page that uses them.
#[derive(Default)]
pub(super) struct FontCache {
    pub(super) by_id: HashMap<lopdf::ObjectId, std::rc::Rc<Font>>,
}
