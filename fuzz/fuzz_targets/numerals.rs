//! Numerals and the heads built on them: Chinese/Arabic numbers and article, division and
//! item heads. Also checks that writing a number in Chinese and reading it back gives it again.
#![no_main]

use lawdex::grammar::{from_chinese, is_numeral_char, to_chinese};
use lawdex::grammar::{article_head, division_rank, starts_unit};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if data.len() >= 4 {
        // Article numbers in real laws stay far below this; to_chinese is used for labels.
        let n = u32::from_le_bytes([data[0], data[1], data[2], data[3]]) % 100_000;
        let written = to_chinese(n);
        assert_eq!(from_chinese(&written), Some(n), "{n} written as {written}");
    }
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let _ = from_chinese(text);
    let _ = text.chars().filter(|&c| is_numeral_char(c)).count();
    let _ = article_head(text, false);
    let _ = article_head(text, true);
    let _ = division_rank(text);
    let _ = starts_unit(text);
});
