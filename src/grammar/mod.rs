//! The grammar of legal text that every layer shares: which characters are written without
//! spaces between words. (Article heads, numerals and normalisation move here next: issue 11.)

mod script;

pub use script::is_unspaced;
