//! Scripts, as far as laying out legal text needs them.

/// Characters of scripts written without spaces between words: Han ideographs (Chinese,
/// Japanese kanji), kana, CJK punctuation and full-width forms. A line break between two of
/// them is no space; elsewhere it is one.
///
/// Hangul is deliberately not here: Korean puts spaces between words, so a wrapped Korean line
/// joins with a space and `제2장 도서관발전종합계획의 수립 등` keeps its spaces.
pub fn is_unspaced(c: char) -> bool {
    matches!(c,
        '\u{3000}'..='\u{303F}'      // CJK symbols and punctuation
        | '\u{3040}'..='\u{30FF}'    // hiragana, katakana
        | '\u{3400}'..='\u{4DBF}'    // Han extension A
        | '\u{4E00}'..='\u{9FFF}'    // Han
        | '\u{F900}'..='\u{FAFF}'    // Han compatibility
        | '\u{FF00}'..='\u{FFEF}'    // full-width forms
        | '\u{20000}'..='\u{3134F}') // Han extensions B–G
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn han_kana_and_fullwidth_are_unspaced_hangul_and_latin_are_not() {
        for c in ['图', '圖', 'の', 'カ', '，', '（', '\u{3000}', '𠀀'] {
            assert!(is_unspaced(c), "{c}");
        }
        for c in ['도', '서', 'a', 'Đ', '1', ' '] {
            assert!(!is_unspaced(c), "{c}");
        }
    }
}
