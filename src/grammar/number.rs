//! Typed article numbers and Chinese numerals.
//!
//! Citations are compared and sorted by number, not by label text: 第十条之一 sits between
//! 第十条 and 第十一条, 제3조의2 after 제3조, §17A after §17.

use std::cmp::Ordering;
use std::fmt;

use serde::{Deserialize, Serialize};

/// The number of an article or section as a jurisdiction counts it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct ArticleNumber {
    /// The main number: 33 in 第三十三条, 9141 in §9141, 3 in 제3조의2.
    pub base: u32,
    /// An inserted article after `base`: 1 for 第十条之一, 2 for 제3조의2; 0 when absent.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub sub: u32,
    /// A letter suffix of inserted sections: "A" in section 7A or §17A.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub letter: String,
}

fn is_zero(n: &u32) -> bool {
    *n == 0
}

impl ArticleNumber {
    pub fn new(base: u32) -> Self {
        ArticleNumber {
            base,
            sub: 0,
            letter: String::new(),
        }
    }

    pub fn with_sub(base: u32, sub: u32) -> Self {
        ArticleNumber {
            base,
            sub,
            letter: String::new(),
        }
    }

    pub fn with_letter(base: u32, letter: &str) -> Self {
        ArticleNumber {
            base,
            sub: 0,
            letter: letter.to_string(),
        }
    }

    /// The compact, id-safe form used inside clause ids: `33`, `10-1`, `17A`.
    pub fn key(&self) -> String {
        let mut s = self.base.to_string();
        s.push_str(&self.letter);
        if self.sub > 0 {
            s.push('-');
            s.push_str(&self.sub.to_string());
        }
        s
    }

    /// The Chinese citation form: 第三十三条, 第十条之一.
    pub fn to_chinese_label(&self) -> String {
        let mut s = format!("第{}条", to_chinese(self.base));
        if self.sub > 0 {
            s.push('之');
            s.push_str(&to_chinese(self.sub));
        }
        s
    }
}

impl fmt::Display for ArticleNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.key())
    }
}

impl PartialOrd for ArticleNumber {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for ArticleNumber {
    fn cmp(&self, other: &Self) -> Ordering {
        (self.base, &self.letter, self.sub).cmp(&(other.base, &other.letter, other.sub))
    }
}

const DIGITS: [char; 10] = ['零', '一', '二', '三', '四', '五', '六', '七', '八', '九'];

/// Writes a number the way Chinese legislation numbers articles: 10 → 十, 21 → 二十一,
/// 103 → 一百零三, 110 → 一百一十, 1000 → 一千. Zero is 零.
pub fn to_chinese(n: u32) -> String {
    if n == 0 {
        return "零".to_string();
    }
    // Units up to 万 cover every article number in practice; larger numbers recurse on 万.
    if n >= 10_000 {
        let high = n / 10_000;
        let low = n % 10_000;
        let mut s = to_chinese(high);
        s.push('万');
        if low > 0 {
            if low < 1000 {
                s.push('零');
            }
            s.push_str(&to_chinese_below_10000(low, true));
        }
        return s;
    }
    to_chinese_below_10000(n, false)
}

fn to_chinese_below_10000(n: u32, after_higher: bool) -> String {
    let units = [(1000, '千'), (100, '百'), (10, '十')];
    let mut s = String::new();
    let mut rest = n;
    let mut pending_zero = false;
    let mut started = after_higher;
    for (value, unit) in units {
        let d = rest / value;
        rest %= value;
        if d == 0 {
            if started {
                pending_zero = true;
            }
            continue;
        }
        if pending_zero {
            s.push('零');
            pending_zero = false;
        }
        // 十 alone for 10..=19 at the start (十一, not 一十一); inside a number it is 一十.
        if !(value == 10 && d == 1 && !started) {
            s.push(DIGITS[d as usize]);
        }
        s.push(unit);
        started = true;
    }
    if rest > 0 {
        if pending_zero {
            s.push('零');
        }
        s.push(DIGITS[rest as usize]);
    }
    s
}

fn digit_value(c: char) -> Option<u32> {
    Some(match c {
        '零' | '〇' | 'O' => 0,
        '一' | '壹' => 1,
        '二' | '两' | '兩' | '贰' | '貳' => 2,
        '三' | '叁' | '參' => 3,
        '四' | '肆' => 4,
        '五' | '伍' => 5,
        '六' | '陆' | '陸' => 6,
        '七' | '柒' => 7,
        '八' | '捌' => 8,
        '九' | '玖' => 9,
        _ => return None,
    })
}

fn unit_value(c: char) -> Option<u32> {
    Some(match c {
        '十' | '拾' => 10,
        '百' | '佰' => 100,
        '千' | '仟' => 1000,
        _ => return None,
    })
}

/// True for the characters a Chinese or Arabic article number may be written with.
pub fn is_numeral_char(c: char) -> bool {
    c.is_ascii_digit()
        || ('０'..='９').contains(&c)
        || digit_value(c).is_some()
        || unit_value(c).is_some()
        || c == '万'
}

/// Reads a Chinese numeral (一百零三, 十, 二十一, 〇), or Arabic digits in ASCII or full width.
/// Returns `None` for anything else, including the empty string.
pub fn from_chinese(s: &str) -> Option<u32> {
    if s.is_empty() {
        return None;
    }
    if s.chars()
        .all(|c| c.is_ascii_digit() || ('０'..='９').contains(&c))
    {
        let mut n: u32 = 0;
        for c in s.chars() {
            let d = if c.is_ascii_digit() {
                c as u32 - '0' as u32
            } else {
                c as u32 - '０' as u32
            };
            n = n.checked_mul(10)?.checked_add(d)?;
        }
        return Some(n);
    }
    let mut total: u32 = 0;
    let mut section: u32 = 0;
    let mut digit: Option<u32> = None;
    let mut plain_digits: Vec<u32> = Vec::new();
    let mut saw_unit = false;
    for c in s.chars() {
        if let Some(d) = digit_value(c) {
            digit = Some(d);
            plain_digits.push(d);
        } else if let Some(u) = unit_value(c) {
            saw_unit = true;
            let d = digit.take().unwrap_or(1);
            section = section.checked_add(d.checked_mul(u)?)?;
        } else if c == '万' {
            saw_unit = true;
            let head = section.checked_add(digit.take().unwrap_or(0))?;
            total = total.checked_add(head.checked_mul(10_000)?)?;
            section = 0;
        } else {
            return None;
        }
    }
    if !saw_unit {
        // Positional form: 一〇三 = 103.
        let mut n: u32 = 0;
        for d in plain_digits {
            n = n.checked_mul(10)?.checked_add(d)?;
        }
        return Some(n);
    }
    total.checked_add(section)?.checked_add(digit.unwrap_or(0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_numbers_as_legislation_does() {
        let cases = [
            (1, "一"),
            (10, "十"),
            (11, "十一"),
            (20, "二十"),
            (21, "二十一"),
            (100, "一百"),
            (101, "一百零一"),
            (103, "一百零三"),
            (110, "一百一十"),
            (111, "一百一十一"),
            (1000, "一千"),
            (1001, "一千零一"),
            (1010, "一千零一十"),
            (1100, "一千一百"),
            (452, "四百五十二"),
        ];
        for (n, s) in cases {
            assert_eq!(to_chinese(n), s, "{n}");
            assert_eq!(from_chinese(s), Some(n), "{s}");
        }
    }

    #[test]
    fn reads_variant_forms() {
        assert_eq!(from_chinese("一十"), Some(10));
        assert_eq!(from_chinese("两百"), Some(200));
        assert_eq!(from_chinese("一〇三"), Some(103));
        assert_eq!(from_chinese("33"), Some(33));
        assert_eq!(from_chinese("３３"), Some(33));
        assert_eq!(from_chinese(""), None);
        assert_eq!(from_chinese("条"), None);
    }

    /// Sums past u32::MAX wrapped around in release builds (a wrong article number) and
    /// panicked in debug ones; now they are not a number. 4,294,960,000 (42 × 9999万 + 9538万)
    /// plus 九千 overflows only in the last addition.
    #[test]
    fn numbers_past_u32_are_none_not_wrapped() {
        let near_max = format!("{}九千五百三十八万", "九千九百九十九万".repeat(42));
        assert_eq!(from_chinese(&near_max), Some(4_294_960_000));
        assert_eq!(from_chinese(&format!("{near_max}九千")), None);
        assert_eq!(from_chinese(&format!("{near_max}九")), Some(4_294_960_009));
    }

    #[test]
    fn orders_inserted_articles_between_neighbours() {
        let ten = ArticleNumber::new(10);
        let ten_one = ArticleNumber::with_sub(10, 1);
        let eleven = ArticleNumber::new(11);
        assert!(ten < ten_one && ten_one < eleven);
        assert_eq!(ten_one.to_chinese_label(), "第十条之一");
        assert_eq!(ten_one.key(), "10-1");
        assert_eq!(ArticleNumber::with_letter(17, "A").key(), "17A");
    }
}

#[cfg(test)]
mod roundtrip {
    use proptest::prelude::*;

    use super::*;
    use crate::grammar::article_head;

    proptest! {
        /// number → 第…条 → number, through the same head reader the segmenter uses.
        #[test]
        fn chinese_article_labels_round_trip(n in 1u32..=1000, sub in 0u32..=3) {
            let number = ArticleNumber::with_sub(n, sub);
            let label = number.to_chinese_label();
            let head = article_head(&format!("{label} 本条正文。"), false).expect("a head");
            prop_assert_eq!(head.number, Some(number));
            prop_assert_eq!(head.label, label);
        }
    }

    #[test]
    fn every_number_up_to_1000_round_trips() {
        for n in 1..=1000 {
            assert_eq!(from_chinese(&to_chinese(n)), Some(n), "{n}");
        }
    }
}
