//! Simple (one-byte) font encodings: the base encodings of the PDF spec and glyph names from
//! `/Differences`, for fonts that come without a `/ToUnicode` map.

use super::cmap::Mapped;

/// A simple font's code → text table.
pub(super) type CodeTable = [Option<Mapped<'static>>; 256];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum BaseEncoding {
    Standard,
    WinAnsi,
    MacRoman,
}

impl BaseEncoding {
    pub(super) fn from_name(name: &[u8]) -> Option<Self> {
        match name {
            b"WinAnsiEncoding" => Some(BaseEncoding::WinAnsi),
            b"MacRomanEncoding" | b"MacExpertEncoding" => Some(BaseEncoding::MacRoman),
            b"StandardEncoding" | b"PDFDocEncoding" => Some(BaseEncoding::Standard),
            _ => None,
        }
    }

    pub(super) fn name(self) -> &'static str {
        match self {
            BaseEncoding::Standard => "StandardEncoding",
            BaseEncoding::WinAnsi => "WinAnsiEncoding",
            BaseEncoding::MacRoman => "MacRomanEncoding",
        }
    }

    pub(super) fn table(self) -> Box<CodeTable> {
        let mut t: Box<CodeTable> = Box::new([None; 256]);
        match self {
            BaseEncoding::WinAnsi | BaseEncoding::MacRoman => {
                let enc = if self == BaseEncoding::WinAnsi {
                    encoding_rs::WINDOWS_1252
                } else {
                    encoding_rs::MACINTOSH
                };
                for (code, slot) in t.iter_mut().enumerate().skip(0x20) {
                    let byte = [code as u8];
                    let (text, _) = enc.decode_without_bom_handling(&byte);
                    if let Some(c) = text.chars().next() {
                        if !c.is_control() {
                            *slot = Some(Mapped::Char(c));
                        }
                    }
                }
                if self == BaseEncoding::WinAnsi {
                    // The PDF spec's WinAnsi differs from cp1252 here.
                    t[0xA0] = Some(Mapped::Char(' '));
                    t[0xAD] = Some(Mapped::Char('-'));
                }
            }
            BaseEncoding::Standard => {
                for (code, slot) in t.iter_mut().enumerate().take(0x7F).skip(0x20) {
                    *slot = Some(Mapped::Char(code as u8 as char));
                }
                t[0x27] = Some(Mapped::Char('\u{2019}'));
                t[0x60] = Some(Mapped::Char('\u{2018}'));
                for &(code, text) in STANDARD_HIGH {
                    t[code as usize] = Some(text);
                }
            }
        }
        t
    }
}

const STANDARD_HIGH: &[(u8, Mapped<'static>)] = &[
    (0xA1, Mapped::Char('¡')),
    (0xA2, Mapped::Char('¢')),
    (0xA3, Mapped::Char('£')),
    (0xA5, Mapped::Char('¥')),
    (0xA7, Mapped::Char('§')),
    (0xA9, Mapped::Char('\'')),
    (0xAA, Mapped::Char('“')),
    (0xAB, Mapped::Char('«')),
    (0xAC, Mapped::Char('‹')),
    (0xAD, Mapped::Char('›')),
    (0xAE, Mapped::Str("fi")),
    (0xAF, Mapped::Str("fl")),
    (0xB1, Mapped::Char('–')),
    (0xB2, Mapped::Char('†')),
    (0xB3, Mapped::Char('‡')),
    (0xB4, Mapped::Char('·')),
    (0xB6, Mapped::Char('¶')),
    (0xB7, Mapped::Char('•')),
    (0xB8, Mapped::Char('‚')),
    (0xB9, Mapped::Char('„')),
    (0xBA, Mapped::Char('”')),
    (0xBB, Mapped::Char('»')),
    (0xBC, Mapped::Char('…')),
    (0xBD, Mapped::Char('‰')),
    (0xBF, Mapped::Char('¿')),
    (0xD0, Mapped::Char('—')),
    (0xE1, Mapped::Char('Æ')),
    (0xE8, Mapped::Char('Ł')),
    (0xE9, Mapped::Char('Ø')),
    (0xEA, Mapped::Char('Œ')),
    (0xF1, Mapped::Char('æ')),
    (0xF5, Mapped::Char('ı')),
    (0xF8, Mapped::Char('ł')),
    (0xF9, Mapped::Char('ø')),
    (0xFA, Mapped::Char('œ')),
    (0xFB, Mapped::Char('ß')),
];

/// Text of a glyph name (Adobe Glyph List conventions for the names real fonts use).
pub(super) fn glyph_text(name: &[u8]) -> Option<Mapped<'static>> {
    // Variants such as `a.sc` or `one.oldstyle` read as their base glyph.
    let base = match name.iter().position(|&b| b == b'.') {
        Some(0) => return None,
        Some(i) => &name[..i],
        None => name,
    };
    if let [c] = base {
        if c.is_ascii_alphabetic() {
            return Some(Mapped::Char(*c as char));
        }
    }
    if let Some(hex) = base.strip_prefix(b"uni") {
        if hex.len() >= 4 && hex.len() % 4 == 0 {
            return hex_char(&hex[..4]).map(Mapped::Char);
        }
    }
    if let Some(hex) = base.strip_prefix(b"u") {
        if (4..=6).contains(&hex.len()) {
            return hex_char(hex).map(Mapped::Char);
        }
    }
    let name = std::str::from_utf8(base).ok()?;
    GLYPH_NAMES
        .binary_search_by(|(n, _)| n.cmp(&name))
        .ok()
        .map(|i| GLYPH_NAMES[i].1)
}

fn hex_char(hex: &[u8]) -> Option<char> {
    let s = std::str::from_utf8(hex).ok()?;
    let v = u32::from_str_radix(s, 16).ok()?;
    char::from_u32(v)
}

/// Sorted by name for binary search (checked by a test).
const GLYPH_NAMES: &[(&str, Mapped<'static>)] = &[
    ("AE", Mapped::Char('Æ')),
    ("Aacute", Mapped::Char('Á')),
    ("Acircumflex", Mapped::Char('Â')),
    ("Adieresis", Mapped::Char('Ä')),
    ("Agrave", Mapped::Char('À')),
    ("Aring", Mapped::Char('Å')),
    ("Atilde", Mapped::Char('Ã')),
    ("Ccedilla", Mapped::Char('Ç')),
    ("Eacute", Mapped::Char('É')),
    ("Ecircumflex", Mapped::Char('Ê')),
    ("Edieresis", Mapped::Char('Ë')),
    ("Egrave", Mapped::Char('È')),
    ("Eth", Mapped::Char('Ð')),
    ("Euro", Mapped::Char('€')),
    ("Iacute", Mapped::Char('Í')),
    ("Icircumflex", Mapped::Char('Î')),
    ("Idieresis", Mapped::Char('Ï')),
    ("Igrave", Mapped::Char('Ì')),
    ("Lslash", Mapped::Char('Ł')),
    ("Ntilde", Mapped::Char('Ñ')),
    ("OE", Mapped::Char('Œ')),
    ("Oacute", Mapped::Char('Ó')),
    ("Ocircumflex", Mapped::Char('Ô')),
    ("Odieresis", Mapped::Char('Ö')),
    ("Ograve", Mapped::Char('Ò')),
    ("Oslash", Mapped::Char('Ø')),
    ("Otilde", Mapped::Char('Õ')),
    ("Scaron", Mapped::Char('Š')),
    ("Thorn", Mapped::Char('Þ')),
    ("Uacute", Mapped::Char('Ú')),
    ("Ucircumflex", Mapped::Char('Û')),
    ("Udieresis", Mapped::Char('Ü')),
    ("Ugrave", Mapped::Char('Ù')),
    ("Yacute", Mapped::Char('Ý')),
    ("Ydieresis", Mapped::Char('Ÿ')),
    ("Zcaron", Mapped::Char('Ž')),
    ("aacute", Mapped::Char('á')),
    ("acircumflex", Mapped::Char('â')),
    ("acute", Mapped::Char('´')),
    ("adieresis", Mapped::Char('ä')),
    ("ae", Mapped::Char('æ')),
    ("agrave", Mapped::Char('à')),
    ("ampersand", Mapped::Char('&')),
    ("aring", Mapped::Char('å')),
    ("asciicircum", Mapped::Char('^')),
    ("asciitilde", Mapped::Char('~')),
    ("asterisk", Mapped::Char('*')),
    ("at", Mapped::Char('@')),
    ("atilde", Mapped::Char('ã')),
    ("backslash", Mapped::Char('\\')),
    ("bar", Mapped::Char('|')),
    ("braceleft", Mapped::Char('{')),
    ("braceright", Mapped::Char('}')),
    ("bracketleft", Mapped::Char('[')),
    ("bracketright", Mapped::Char(']')),
    ("brokenbar", Mapped::Char('¦')),
    ("bullet", Mapped::Char('•')),
    ("ccedilla", Mapped::Char('ç')),
    ("cedilla", Mapped::Char('¸')),
    ("cent", Mapped::Char('¢')),
    ("colon", Mapped::Char(':')),
    ("comma", Mapped::Char(',')),
    ("copyright", Mapped::Char('©')),
    ("currency", Mapped::Char('¤')),
    ("dagger", Mapped::Char('†')),
    ("daggerdbl", Mapped::Char('‡')),
    ("degree", Mapped::Char('°')),
    ("dieresis", Mapped::Char('¨')),
    ("divide", Mapped::Char('÷')),
    ("dollar", Mapped::Char('$')),
    ("dotlessi", Mapped::Char('ı')),
    ("eacute", Mapped::Char('é')),
    ("ecircumflex", Mapped::Char('ê')),
    ("edieresis", Mapped::Char('ë')),
    ("egrave", Mapped::Char('è')),
    ("eight", Mapped::Char('8')),
    ("ellipsis", Mapped::Char('…')),
    ("emdash", Mapped::Char('—')),
    ("endash", Mapped::Char('–')),
    ("equal", Mapped::Char('=')),
    ("eth", Mapped::Char('ð')),
    ("exclam", Mapped::Char('!')),
    ("exclamdown", Mapped::Char('¡')),
    ("f_f", Mapped::Str("ff")),
    ("f_f_i", Mapped::Str("ffi")),
    ("f_f_l", Mapped::Str("ffl")),
    ("f_i", Mapped::Str("fi")),
    ("f_l", Mapped::Str("fl")),
    ("ff", Mapped::Str("ff")),
    ("ffi", Mapped::Str("ffi")),
    ("ffl", Mapped::Str("ffl")),
    ("fi", Mapped::Str("fi")),
    ("five", Mapped::Char('5')),
    ("fl", Mapped::Str("fl")),
    ("four", Mapped::Char('4')),
    ("fraction", Mapped::Char('⁄')),
    ("germandbls", Mapped::Char('ß')),
    ("grave", Mapped::Char('`')),
    ("greater", Mapped::Char('>')),
    ("guillemotleft", Mapped::Char('«')),
    ("guillemotright", Mapped::Char('»')),
    ("guilsinglleft", Mapped::Char('‹')),
    ("guilsinglright", Mapped::Char('›')),
    ("hyphen", Mapped::Char('-')),
    ("iacute", Mapped::Char('í')),
    ("icircumflex", Mapped::Char('î')),
    ("idieresis", Mapped::Char('ï')),
    ("igrave", Mapped::Char('ì')),
    ("less", Mapped::Char('<')),
    ("logicalnot", Mapped::Char('¬')),
    ("lslash", Mapped::Char('ł')),
    ("macron", Mapped::Char('¯')),
    ("minus", Mapped::Char('−')),
    ("mu", Mapped::Char('µ')),
    ("multiply", Mapped::Char('×')),
    ("nbspace", Mapped::Char(' ')),
    ("nine", Mapped::Char('9')),
    ("ntilde", Mapped::Char('ñ')),
    ("numbersign", Mapped::Char('#')),
    ("oacute", Mapped::Char('ó')),
    ("ocircumflex", Mapped::Char('ô')),
    ("odieresis", Mapped::Char('ö')),
    ("oe", Mapped::Char('œ')),
    ("ograve", Mapped::Char('ò')),
    ("one", Mapped::Char('1')),
    ("onehalf", Mapped::Char('½')),
    ("onequarter", Mapped::Char('¼')),
    ("onesuperior", Mapped::Char('¹')),
    ("ordfeminine", Mapped::Char('ª')),
    ("ordmasculine", Mapped::Char('º')),
    ("oslash", Mapped::Char('ø')),
    ("otilde", Mapped::Char('õ')),
    ("paragraph", Mapped::Char('¶')),
    ("parenleft", Mapped::Char('(')),
    ("parenright", Mapped::Char(')')),
    ("percent", Mapped::Char('%')),
    ("period", Mapped::Char('.')),
    ("periodcentered", Mapped::Char('·')),
    ("perthousand", Mapped::Char('‰')),
    ("plus", Mapped::Char('+')),
    ("plusminus", Mapped::Char('±')),
    ("question", Mapped::Char('?')),
    ("questiondown", Mapped::Char('¿')),
    ("quotedbl", Mapped::Char('"')),
    ("quotedblbase", Mapped::Char('„')),
    ("quotedblleft", Mapped::Char('“')),
    ("quotedblright", Mapped::Char('”')),
    ("quoteleft", Mapped::Char('‘')),
    ("quoteright", Mapped::Char('’')),
    ("quotesinglbase", Mapped::Char('‚')),
    ("quotesingle", Mapped::Char('\'')),
    ("registered", Mapped::Char('®')),
    ("scaron", Mapped::Char('š')),
    ("section", Mapped::Char('§')),
    ("semicolon", Mapped::Char(';')),
    ("seven", Mapped::Char('7')),
    ("six", Mapped::Char('6')),
    ("slash", Mapped::Char('/')),
    ("space", Mapped::Char(' ')),
    ("sterling", Mapped::Char('£')),
    ("thorn", Mapped::Char('þ')),
    ("three", Mapped::Char('3')),
    ("threequarters", Mapped::Char('¾')),
    ("threesuperior", Mapped::Char('³')),
    ("tilde", Mapped::Char('˜')),
    ("trademark", Mapped::Char('™')),
    ("two", Mapped::Char('2')),
    ("twosuperior", Mapped::Char('²')),
    ("uacute", Mapped::Char('ú')),
    ("ucircumflex", Mapped::Char('û')),
    ("udieresis", Mapped::Char('ü')),
    ("ugrave", Mapped::Char('ù')),
    ("underscore", Mapped::Char('_')),
    ("yacute", Mapped::Char('ý')),
    ("ydieresis", Mapped::Char('ÿ')),
    ("yen", Mapped::Char('¥')),
    ("zcaron", Mapped::Char('ž')),
    ("zero", Mapped::Char('0')),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn glyph_table_is_sorted_for_binary_search() {
        assert!(GLYPH_NAMES.windows(2).all(|w| w[0].0 < w[1].0));
    }

    #[test]
    fn glyph_names_resolve() {
        assert_eq!(glyph_text(b"A"), Some(Mapped::Char('A')));
        assert_eq!(glyph_text(b"comma"), Some(Mapped::Char(',')));
        assert_eq!(glyph_text(b"uni7B2C"), Some(Mapped::Char('第')));
        assert_eq!(glyph_text(b"u1F600"), Some(Mapped::Char('😀')));
        assert_eq!(glyph_text(b"fi"), Some(Mapped::Str("fi")));
        assert_eq!(glyph_text(b"one.oldstyle"), Some(Mapped::Char('1')));
        assert_eq!(glyph_text(b"g123"), None);
        assert_eq!(glyph_text(b".notdef"), None);
    }

    #[test]
    fn winansi_is_cp1252_with_pdf_exceptions() {
        let t = BaseEncoding::WinAnsi.table();
        assert_eq!(t[b'A' as usize], Some(Mapped::Char('A')));
        assert_eq!(t[0x93], Some(Mapped::Char('“')));
        assert_eq!(t[0xA0], Some(Mapped::Char(' ')));
        assert_eq!(t[0x05], None);
        let s = BaseEncoding::Standard.table();
        assert_eq!(s[0xAE], Some(Mapped::Str("fi")));
    }
}
