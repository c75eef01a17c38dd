//! Predefined CMaps (PDF 32000-1:2008, 9.7.5.2, Table 118: GBK-EUC-H, B5pc-H, CNS-EUC-H,
//! 90ms-RKSJ-H, KSC-EUC-H, UniGB-UCS2-H, …): which CID each code of a CID font selects, and
//! the Unicode text of that CID, from Adobe's CMap files and per-collection CID → Unicode
//! tables (Adobe-GB1-UCS2, Adobe-CNS1-UCS2, Adobe-Japan1-UCS2, Adobe-Korea1-UCS2) that
//! `hayro-cmap` ships.
//!
//! A font that names one of these CMaps and has no `/ToUnicode` is readable only through
//! them: its codes are not text in a national charset (CNS-EUC-H is EUC-TW, which Big5 reads
//! as other characters), and its `/W` widths are keyed by CID, not by code.

use std::collections::HashMap;
use std::sync::{Arc, LazyLock, Mutex};

use hayro_cmap::{BfString, CMap, CMapName, Cid};

/// Predefined CMaps loaded so far, by name (`None`: hayro-cmap does not ship it). The tables
/// are shared by every font and document of the process: decoding them per font would cost
/// each CJK document milliseconds.
static LOADED: LazyLock<Mutex<Loaded>> = LazyLock::new(Default::default);

type Loaded = HashMap<Vec<u8>, Option<Arc<Predefined>>>;

/// One predefined CMap, ready to decode codes.
pub(super) struct Predefined {
    name: String,
    codes: CMap,
    /// CID → Unicode for the CMap's character collection.
    unicode: Option<CMap>,
    /// Codes are UTF-16 code units (Uni*-UCS2 and Uni*-UTF16 CMaps): their text is the code
    /// itself, exactly, rather than a round trip through a CID.
    utf16: bool,
}

impl std::fmt::Debug for Predefined {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Predefined")
            .field("name", &self.name)
            .finish_non_exhaustive()
    }
}

/// Text of one code.
pub(super) enum CodeText {
    Char(char),
    Str(String),
}

impl Predefined {
    /// The predefined CMap called `name`, or `None` when hayro-cmap does not ship it (a
    /// name outside Table 118, or a misspelling): the caller falls back to its own guesses.
    pub(super) fn load(name: &[u8]) -> Option<Arc<Predefined>> {
        // Identity-H/V map code to the same CID, which says nothing about text.
        if name.starts_with(b"Identity") {
            return None;
        }
        let mut loaded = LOADED.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(p) = loaded.get(name) {
            return p.clone();
        }
        let p = Self::parse(name).map(Arc::new);
        loaded.insert(name.to_vec(), p.clone());
        p
    }

    fn parse(name: &[u8]) -> Option<Predefined> {
        let data = hayro_cmap::load_embedded(CMapName::from_bytes(name))?;
        let codes = CMap::parse(data, hayro_cmap::load_embedded)?;
        let unicode = codes
            .metadata()
            .character_collection
            .as_ref()
            .and_then(|cc| cc.family.ucs2_cmap())
            .and_then(hayro_cmap::load_embedded)
            .and_then(|data| CMap::parse(data, hayro_cmap::load_embedded));
        let has = |s: &[u8]| memchr::memmem::find(name, s).is_some();
        Some(Predefined {
            name: String::from_utf8_lossy(name).into_owned(),
            codes,
            unicode,
            utf16: name.starts_with(b"Uni") && (has(b"-UCS2") || has(b"-UTF16")),
        })
    }

    pub(super) fn name(&self) -> &str {
        &self.name
    }

    /// Whether codes can be turned into text at all.
    pub(super) fn has_text(&self) -> bool {
        self.utf16 || self.unicode.is_some()
    }

    /// The code at the start of `bytes`: its length (never 0, never past the end) and its
    /// CID, if the CMap maps it.
    ///
    /// The CMap's codespace is not exposed by hayro-cmap, so the code is the shortest prefix
    /// the CMap maps: Adobe's codespaces are prefix-free and every mapped code lies in one,
    /// so a mapped code is never mistaken for a shorter one. A code the CMap does not map
    /// consumes what its codespace would: see [`unmapped_len`].
    pub(super) fn code(&self, bytes: &[u8]) -> (usize, Option<Cid>) {
        for len in 1..=bytes.len().min(4) {
            let code = bytes[..len]
                .iter()
                .fold(0u32, |acc, &b| (acc << 8) | b as u32);
            if let Some(cid) = self.codes.lookup_cid_code(code, len as u8) {
                return (len, Some(cid));
            }
        }
        (unmapped_len(&self.name, bytes), None)
    }

    /// The text of the code `code_bytes`, which selects `cid` if the CMap maps it. A UTF-16
    /// code is its own text even where the collection lacks the character.
    pub(super) fn text(&self, code_bytes: &[u8], cid: Option<Cid>) -> Option<CodeText> {
        if self.utf16 {
            let units: Vec<u16> = code_bytes
                .chunks_exact(2)
                .map(|p| u16::from_be_bytes([p[0], p[1]]))
                .collect();
            let mut chars = char::decode_utf16(units);
            if let (Some(Ok(c)), None) = (chars.next(), chars.next()) {
                return (!c.is_control()).then_some(CodeText::Char(c));
            }
        }
        let cid = cid?;
        // The one-byte codes 20-7E of the byte-encoded CMaps are their Roman half: Adobe's
        // tables give typographic variants of ASCII there (U+2002 for the space, U+FFE8 for
        // `|`, U+00A5 for `\` and U+203E for `~` under JIS-Roman) where a reader, a search
        // and the national charsets see ASCII.
        if let [b @ 0x20..=0x7E] = code_bytes {
            return Some(CodeText::Char(*b as char));
        }
        match self.unicode.as_ref()?.lookup_bf_string(cid)? {
            BfString::Char(c) => (!c.is_control()).then_some(CodeText::Char(c)),
            BfString::String(s) => {
                // Adobe's tables give some CIDs a base character plus a variation selector
                // (U+90CE U+FE00): the selector picks a glyph, not a different word.
                let base: String = s.chars().filter(|c| !is_variation_selector(*c)).collect();
                let mut chars = base.chars();
                match (chars.next(), chars.next()) {
                    (Some(c), None) => Some(CodeText::Char(c)),
                    (Some(_), Some(_)) => Some(CodeText::Str(base)),
                    _ => None,
                }
            }
        }
    }
}

fn is_variation_selector(c: char) -> bool {
    matches!(c, '\u{FE00}'..='\u{FE0F}' | '\u{E0100}'..='\u{E01EF}')
}

/// How many bytes an unmapped code takes, by the codespace of the CMap's encoding (from the
/// `begincodespacerange` of Adobe's CMap files): the four-byte codes of EUC-TW (8E A1-B0 ..),
/// GB 18030 (81-FE 30-39 ..) and UTF-16 surrogate pairs, two bytes for the UCS-2 and JIS
/// row-cell CMaps, and otherwise one byte below 0x81 and two from there up. Only its
/// resynchronisation matters: the code itself yields no text.
fn unmapped_len(name: &str, bytes: &[u8]) -> usize {
    let Some(&lead) = bytes.first() else {
        return 1;
    };
    let second = bytes.get(1).copied().unwrap_or(0);
    let four = (name.starts_with("CNS-EUC") && lead == 0x8E)
        || (name.starts_with("GBK2K") && lead >= 0x81 && (0x30..=0x39).contains(&second))
        || (name.contains("-UTF16") && (0xD8..=0xDB).contains(&lead));
    let len = if four {
        4
    } else if name.starts_with("Uni") || name == "H" || name == "V" || lead >= 0x81 {
        2
    } else {
        1
    };
    len.clamp(1, bytes.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decode(name: &str, bytes: &[u8]) -> String {
        let p = Predefined::load(name.as_bytes()).expect("hayro-cmap ships it");
        let mut out = String::new();
        let mut i = 0;
        while i < bytes.len() {
            let (len, cid) = p.code(&bytes[i..]);
            match p.text(&bytes[i..i + len], cid) {
                Some(CodeText::Char(c)) => out.push(c),
                Some(CodeText::Str(s)) => out.push_str(&s),
                None => out.push('\u{FFFD}'),
            }
            i += len;
        }
        out
    }

    /// Codes from Adobe's cid2code.txt of Adobe-CNS1-7 (adobe-type-tools/cmap-resources),
    /// column "CNS-EUC": CID 595 is C4A1 and 8EA1C4A1 (U+4E00 一), CID 661 is C4E3
    /// (U+4E2D 中), CID 603 is C4A9 (U+4EBA 人), CID 99 is A1A1 (U+3000). The old
    /// substring guess read CNS-EUC-H as Big5, where C4A1 C4E3 C4A9 are other characters.
    #[test]
    fn cns_euc_h_reads_euc_tw_not_big5() {
        let bytes = b"\xC4\xA1\xC4\xE3\xA1\xA1\x8E\xA1\xC4\xA9A";
        assert_eq!(decode("CNS-EUC-H", bytes), "一中\u{3000}人A");
        let (big5, _, _) = encoding_rs::BIG5.decode(b"\xC4\xA1\xC4\xE3");
        assert_ne!(big5, "一中", "Big5 reads these codes as other characters");
    }

    /// Same characters in the Big Five columns of the same table (B5pc, ETen-B5, HKscs-B5:
    /// A440 一, A4A4 中, A448 人), and in GBK-EUC-H, whose codes are GBK's: the bytes are
    /// what encoding_rs encodes, so the CMap and the charset must agree.
    #[test]
    fn big5_gbk_and_unicode_cmaps_read_their_codes() {
        for name in ["B5pc-H", "ETen-B5-H", "HKscs-B5-H"] {
            assert_eq!(
                decode(name, b"\xA4\x40\xA4\xA4\xA4\x48"),
                "一中人",
                "{name}"
            );
        }
        let (big5, _, _) = encoding_rs::BIG5.encode("一中人");
        assert_eq!(&big5[..], b"\xA4\x40\xA4\xA4\xA4\x48");
        let (gbk, _, _) = encoding_rs::GBK.encode("一中人，第十条");
        assert_eq!(decode("GBK-EUC-H", &gbk), "一中人，第十条");
        let (sjis, _, _) = encoding_rs::SHIFT_JIS.encode("第一条");
        assert_eq!(decode("90ms-RKSJ-H", &sjis), "第一条");
        let (euc_kr, _, _) = encoding_rs::EUC_KR.encode("제1조 (목적) a|b~c");
        assert_eq!(decode("KSC-EUC-H", &euc_kr), "제1조 (목적) a|b~c");
        let (euc_jp, _, _) = encoding_rs::EUC_JP.encode("第一条 a|b\\c");
        assert_eq!(decode("EUC-H", &euc_jp), "第一条 a|b\\c");
        assert_eq!(
            decode("UniGB-UCS2-H", b"\x4E\x00\x4E\x2D\x4E\xBA"),
            "一中人"
        );
        // A surrogate pair is one four-byte code in the UTF-16 CMaps: U+200CC is in
        // Adobe-CNS1, U+20000 is not but is still its own text.
        assert_eq!(
            decode(
                "UniCNS-UTF16-H",
                b"\xD8\x40\xDC\xCC\xD8\x40\xDC\x00\x4E\x00"
            ),
            "\u{200CC}\u{20000}一"
        );
    }

    #[test]
    fn unknown_and_identity_names_are_not_predefined() {
        assert!(Predefined::load(b"Identity-H").is_none());
        assert!(Predefined::load(b"NoSuch-CMap-H").is_none());
    }

    #[test]
    fn unmapped_codes_keep_the_codes_after_them() {
        // A four-byte EUC-TW code of an unassigned plane is skipped whole.
        assert_eq!(
            decode("CNS-EUC-H", b"\x8E\xAF\xFF\xFF\xC4\xA1")
                .chars()
                .last(),
            Some('一')
        );
    }
}
