//! The grammar of legal text that every layer shares, and the lowest layer of lawdex: article,
//! division and item heads for every language lawdex reads (head), article numbers and Chinese
//! numerals (number), character scripts (script), text normalisation (text), and the names of
//! jurisdictions (place). It depends
//! on no other module of the crate; parse, segment, coverage, search and crawl read legal text
//! through it.

mod head;
mod number;
mod place;
mod script;
mod text;

pub use head::{
    article_head, bare_head, chapter_number, division_rank, is_circled_number, is_item_marker,
    japanese_subdivision_rank, starts_unit, starts_with_article_head, zh_item_number, ClauseKind,
    Head,
};
pub use number::{from_chinese, is_numeral_char, to_chinese, ArticleNumber};
pub use place::jurisdiction_of;
pub use script::{is_cjk_punct, is_han, is_hangul, is_kana, is_unspaced, is_vietnamese_letter};
pub use text::{
    collapse_spaces_by_line, hangul_stems, is_bidi_control, is_chinese_punct, is_invisible,
    join_layout_line, join_line, normalize_text, tighten_spacing, Gap, TextFlow,
};
