//! Language from the script of the text, for documents whose source does not say.

use crate::grammar::{is_han, is_hangul, is_kana, is_vietnamese_letter};
use crate::model::{BlockKind, Document};

/// Counts scripts over the first 20,000 characters of body text and names the language:
/// `ko` (Hangul), `ja` (kana), `zh-Hant` / `zh-Hans` (Han, by how many characters change under
/// Traditional→Simplified folding), `vi` (Latin with Vietnamese letters), else `en`.
pub fn detect(doc: &Document) -> &'static str {
    let mut text = String::new();
    for b in &doc.blocks {
        if matches!(b.kind, BlockKind::Meta) {
            continue;
        }
        text.push_str(&b.text);
        text.push('\n');
        if text.len() > 60_000 {
            break;
        }
    }
    detect_text(&text)
}

pub fn detect_text(text: &str) -> &'static str {
    let (mut han, mut hangul, mut kana, mut latin, mut viet) = (0usize, 0, 0, 0, 0);
    let mut han_sample = String::new();
    for c in text.chars().take(20_000) {
        match c {
            c if is_hangul(c) => hangul += 1,
            c if is_kana(c) => kana += 1,
            c if is_han(c) => {
                han += 1;
                if han <= 4_000 {
                    han_sample.push(c);
                }
            }
            'a'..='z' | 'A'..='Z' => latin += 1,
            c if is_vietnamese_letter(c) => {
                viet += 1;
                latin += 1
            }
            _ => {}
        }
    }
    if hangul > han / 4 && hangul > 10 {
        "ko"
    } else if kana > 20 && kana * 20 > han {
        "ja"
    } else if han > latin / 2 && han > 0 {
        // One conversion of the sample: fast2s maps character for character.
        let folded = fast2s::convert(&han_sample);
        let trad = han_sample
            .chars()
            .zip(folded.chars())
            .filter(|(a, b)| a != b)
            .count();
        let han = han.min(4_000);
        // Simplified text still has a few characters the folding maps (rare variants); a
        // Traditional text has one in every few characters.
        if trad * 25 > han {
            "zh-Hant"
        } else {
            "zh-Hans"
        }
    } else if viet * 50 > latin && viet > 5 {
        "vi"
    } else {
        "en"
    }
}

#[cfg(test)]
mod tests {
    use super::detect_text;

    #[test]
    fn tells_scripts_apart() {
        assert_eq!(
            detect_text("第一条 为了促进公共图书馆事业发展，发挥公共图书馆功能"),
            "zh-Hans"
        );
        assert_eq!(
            detect_text("第一條 為促進圖書館之健全發展，提供完善之圖書資訊服務"),
            "zh-Hant"
        );
        assert_eq!(
            detect_text("이 법은 도서관 지식정보에 관한 국민의 알 권리 보장과"),
            "ko"
        );
        assert_eq!(
            detect_text("This Act may be cited as the National Library Act 1960."),
            "en"
        );
        assert_eq!(
            detect_text("Điều 1. Phạm vi điều chỉnh. Luật này quy định về thư viện"),
            "vi"
        );
    }
}
