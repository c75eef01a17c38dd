//! Scripts, as far as laying out legal text needs them.

/// Han ideographs, the script of Chinese and of Japanese kanji: the unified blocks and their
/// extensions, compatibility ideographs, radicals, and the ideographic iteration and zero marks
/// (々 〇 〻), which Unicode also counts as Han.
pub fn is_han(c: char) -> bool {
    matches!(c,
        '\u{4E00}'..='\u{9FFF}'      // unified
        | '\u{3400}'..='\u{4DBF}'    // extension A
        | '\u{F900}'..='\u{FAFF}'    // compatibility
        | '\u{2E80}'..='\u{2FDF}'    // radicals
        | '\u{20000}'..='\u{323AF}'  // extensions B–H, compatibility supplement
        | '々' | '〇' | '〻')
}

/// Hangul syllables and jamo (Korean).
pub fn is_hangul(c: char) -> bool {
    matches!(c,
        '\u{AC00}'..='\u{D7AF}'
        | '\u{1100}'..='\u{11FF}'
        | '\u{3130}'..='\u{318F}'
        | '\u{A960}'..='\u{A97F}'
        | '\u{D7B0}'..='\u{D7FF}')
}

/// Hiragana and katakana, without the katakana middle dot (・), which is punctuation.
pub fn is_kana(c: char) -> bool {
    matches!(c,
        '\u{3041}'..='\u{309F}'
        | '\u{30A0}'..='\u{30FA}'
        | '\u{30FC}'..='\u{30FF}'
        | '\u{31F0}'..='\u{31FF}')
}

/// A letter of Vietnamese's alphabet that English lacks (ă, đ, ơ, ư, â, ê, ô and the letters
/// with tone marks). Vietnamese writes each syllable apart, so a word of several syllables is
/// only found where they stand together.
pub fn is_vietnamese_letter(c: char) -> bool {
    matches!(
        c,
        'ă' | 'â'
            | 'đ'
            | 'ê'
            | 'ô'
            | 'ơ'
            | 'ư'
            | 'Ă'
            | 'Â'
            | 'Đ'
            | 'Ê'
            | 'Ô'
            | 'Ơ'
            | 'Ư'
            | '\u{1EA0}'..='\u{1EF9}'
    )
}

/// CJK punctuation and full-width or vertical forms: 。，、「」（）：… as Chinese, Japanese and
/// Korean typesetting prints them.
pub fn is_cjk_punct(c: char) -> bool {
    !is_han(c)
        && matches!(c,
            '\u{3000}'..='\u{303F}'    // CJK symbols and punctuation
            | '\u{30FB}'                // katakana middle dot
            | '\u{FE30}'..='\u{FE4F}'  // vertical forms
            | '\u{FF00}'..='\u{FFEF}') // full-width and half-width forms
}

/// Characters of scripts written without spaces between words: Han, kana, CJK punctuation and
/// full-width forms. A line break between two of them is no space; elsewhere it is one.
///
/// Hangul is deliberately not here: Korean puts spaces between words, so a wrapped Korean line
/// joins with a space and `제2장 도서관발전종합계획의 수립 등` keeps its spaces.
pub fn is_unspaced(c: char) -> bool {
    is_han(c) || is_kana(c) || is_cjk_punct(c)
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
