//! Text analysis shared by indexing, querying and snippets.
//!
//! Every text goes through [`normalize`] first: Traditional characters and Japanese shinjitai
//! are folded to Simplified (圖書館 and 図書館 → 图书馆, so any spelling meets the others) and
//! full-width letters and digits to ASCII. Folding maps one character to one character, so a
//! position in the folded text maps back to the original and snippets highlight the characters
//! the user actually sees.
//!
//! The folded text is split into script runs:
//! - Han runs are cut into overlapping character bigrams for the `grams` field, and by jieba
//!   in search mode for the `body` field, which keeps the words of three characters or more
//!   (公共图书馆 → 图书馆; the two-character words 公共, 图书, 书馆 are bigrams already);
//! - Hangul and Kana runs are kept whole in `body` (a Korean eojeol such as 도서관은) and
//!   cut into bigrams in `grams`, so 도서관 is found inside 도서관은;
//! - other letters and digits form words, lowercased; purely ASCII-alphabetic words are stemmed
//!   with tantivy's English (Snowball) stemmer. Words are the same in both fields.
//!
//! `grams` keeps positions: a Han word or a quoted phrase is a phrase query over its bigrams,
//! i.e. an exact substring match, whatever jieba made of the surrounding text.

use std::cell::RefCell;
use std::str::CharIndices;
use std::sync::LazyLock;

use jieba_rs::{Jieba, TokenizeMode};
use tantivy::tokenizer::{
    Language, LowerCaser, RawTokenizer, Stemmer, TextAnalyzer, Token, TokenStream, Tokenizer,
};

use super::japanese;
use super::traditional::is_traditional;
use crate::grammar;

/// Tokenizer name of the `body` field (jieba words).
pub const WORDS_TOKENIZER: &str = "lawdex_words";
/// Tokenizer name of the `grams` field (bigrams).
pub const GRAMS_TOKENIZER: &str = "lawdex_grams";

/// Longest token kept, in bytes: longer "words" are base64 blobs or garbage, never queries.
const MAX_TOKEN_BYTES: usize = 120;

// Loading jieba's dictionary takes ~130 ms, so it is loaded on first use, which only indexing
// needs: queries look words up in the index's own vocabulary instead.
static JIEBA: LazyLock<Jieba> = LazyLock::new(Jieba::new);

/// Loads jieba's dictionary now (the indexer calls this before starting its clock-sensitive
/// parallel work, so that the threads do not all wait on the same lazy initialisation).
pub fn warm_up() {
    LazyLock::force(&JIEBA);
}

/// Text after folding, with the way back to the original's byte offsets.
#[derive(Debug, Clone)]
pub struct Normalized {
    pub text: String,
    /// `(normalized offset, original offset)` after every character whose folded form has a
    /// different UTF-8 length; between two entries both texts advance together.
    shifts: Vec<(usize, usize)>,
}

impl Normalized {
    /// The byte offset in the original text of a character boundary of the folded text.
    pub fn original_offset(&self, norm: usize) -> usize {
        original_offset(&self.shifts, norm)
    }
}

fn original_offset(shifts: &[(usize, usize)], norm: usize) -> usize {
    let i = shifts.partition_point(|&(n, _)| n <= norm);
    match i.checked_sub(1).and_then(|i| shifts.get(i)) {
        Some(&(n, o)) => o + (norm - n),
        None => norm,
    }
}

/// Folds Traditional Chinese and Japanese shinjitai to Simplified Chinese and full-width
/// letters and digits to ASCII, one character for one character.
pub fn normalize(text: &str) -> Normalized {
    let mut out = String::new();
    let mut shifts = Vec::new();
    if folds(text) {
        fold_all(text, &mut out, &mut shifts);
    } else {
        out.push_str(text);
    }
    Normalized { text: out, shifts }
}

/// Whether folding changes anything in `text`: a table bit per Chinese character, far cheaper
/// than fast2s's hash lookups, and nearly always false for Simplified text.
fn folds(text: &str) -> bool {
    text.chars().any(may_fold)
}

fn may_fold(c: char) -> bool {
    c >= '\u{4E00}'
        && (is_traditional(c) || fold_width(c) != c || japanese::simplified(c).is_some())
}

/// Folds `text` into `out` (cleared), recording in `shifts` (cleared) where lengths change.
fn fold_all(text: &str, out: &mut String, shifts: &mut Vec<(usize, usize)>) {
    out.clear();
    shifts.clear();
    let simplified = fast2s::convert(text);
    out.reserve(text.len());
    let mut orig = 0;
    for (original, simple) in text.chars().zip(simplified.chars()) {
        let c = fold_width(japanese::simplified(simple).unwrap_or(simple));
        out.push(c);
        orig += original.len_utf8();
        if c.len_utf8() != original.len_utf8() {
            shifts.push((out.len(), orig));
        }
    }
    // fast2s maps char for char; should it ever not, the rest stays unfolded rather than lost.
    if let Some(rest) = text.get(orig..) {
        if !rest.is_empty() {
            out.push_str(rest);
        }
    }
}

/// Full-width letters and digits (ＡＢＣ１２３) to ASCII. Full-width punctuation stays: it
/// separates words in either form.
fn fold_width(c: char) -> char {
    match c {
        '０'..='９' | 'Ａ'..='Ｚ' | 'ａ'..='ｚ' => {
            char::from_u32(c as u32 - 0xFEE0).unwrap_or(c)
        }
        _ => c,
    }
}

/// The writing system of a character, as far as tokenizing cares.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Script {
    /// Chinese characters (also Japanese kanji): no spaces between words.
    Han,
    /// Japanese kana.
    Kana,
    /// Korean.
    Hangul,
    /// Letters and digits of alphabetic scripts: words between spaces and punctuation.
    Word,
}

impl Script {
    /// Scripts written without spaces between words, searched by character bigrams.
    pub fn is_cjk(self) -> bool {
        !matches!(self, Script::Word)
    }
}

/// The script of a character, `None` for spaces, punctuation and symbols.
pub fn script(c: char) -> Option<Script> {
    let u = c as u32;
    if u < 0x80 {
        return c.is_ascii_alphanumeric().then_some(Script::Word);
    }
    // CJK and full-width punctuation, the commonest non-letters in Chinese text: answered
    // before the slow Unicode tables.
    if matches!(u, 0x3000..=0x3004 | 0x3008..=0x303F | 0xFF00..=0xFF0F | 0xFF1A..=0xFF20) {
        return None;
    }
    if grammar::is_han(c) {
        Some(Script::Han)
    } else if grammar::is_hangul(c) {
        Some(Script::Hangul)
    } else if grammar::is_kana(c) {
        Some(Script::Kana)
    } else if c.is_alphanumeric() {
        Some(Script::Word)
    } else {
        None
    }
}

/// A maximal stretch of one script: `text[start..end]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Run {
    pub start: usize,
    pub end: usize,
    pub script: Script,
    /// For a word split off at a capital (General in DirectorGeneral): where the whole word
    /// starts, so that the joined form is indexed too and `directorgeneral` still finds it.
    pub joined_from: Option<usize>,
}

/// Splits (normalized) text into script runs, dropping spaces and punctuation.
pub fn runs(text: &str) -> Vec<Run> {
    Runs::new(text, false).collect()
}

/// The runs of a text, one by one (the tokenizers need no vector of them).
struct Runs<'a> {
    chars: CharIndices<'a>,
    current: Option<Run>,
    /// Watch for characters that fold: the tokenizers learn that a text needs folding while
    /// splitting it, instead of in a separate pass over every clause.
    watch: bool,
    /// A character that folds was met.
    foldable: bool,
    /// The last character was a small ASCII letter.
    last_lower: bool,
}

impl<'a> Runs<'a> {
    fn new(text: &'a str, watch: bool) -> Self {
        Runs {
            chars: text.char_indices(),
            current: None,
            watch,
            foldable: false,
            last_lower: false,
        }
    }
}

impl Iterator for Runs<'_> {
    type Item = Run;

    fn next(&mut self) -> Option<Run> {
        for (i, c) in self.chars.by_ref() {
            if self.watch && may_fold(c) {
                self.foldable = true;
            }
            let s = script(c);
            let after_lower = std::mem::replace(&mut self.last_lower, c.is_ascii_lowercase());
            match (&mut self.current, s) {
                // Two words run together where a hyphen was lost (DirectorGeneral in the
                // Australian act as published): a capital after a small letter starts a word.
                (Some(run), Some(s))
                    if run.script == s && !(c.is_ascii_uppercase() && after_lower) =>
                {
                    run.end = i + c.len_utf8()
                }
                (_, s) => {
                    let done = self.current.take();
                    let camel = done.is_some_and(|d| d.end == i && Some(d.script) == s);
                    self.current = s.map(|script| Run {
                        start: i,
                        end: i + c.len_utf8(),
                        script,
                        joined_from: match done {
                            Some(d) if camel => Some(d.joined_from.unwrap_or(d.start)),
                            _ => None,
                        },
                    });
                    if done.is_some() {
                        return done;
                    }
                }
            }
        }
        self.current.take()
    }
}

/// How a token's text is made from its span of the normalized text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum SpanKind {
    /// Taken as it is (CJK).
    Plain,
    /// Lowercased, and stemmed when purely ASCII-alphabetic.
    Word,
}

#[derive(Debug, Clone, Copy)]
struct Span {
    start: usize,
    end: usize,
    position: usize,
    kind: SpanKind,
}

/// Spans of the `body` field: jieba search-mode words for Han, whole runs for Hangul and
/// Kana, words for the rest. With `watch`, stops and returns false at the first character that
/// folds (the text must be folded first).
fn word_spans(text: &str, out: &mut Vec<Span>, watch: bool) -> bool {
    let (mut position, mut word_position) = (0, 0);
    let mut runs = Runs::new(text, watch);
    while let Some(run) = runs.next() {
        if runs.foldable {
            return false;
        }
        match run.script {
            Script::Han => {
                let slice = &text[run.start..run.end];
                long_words(slice, |start, end| {
                    out.push(Span {
                        start: run.start + start,
                        end: run.start + end,
                        position,
                        kind: SpanKind::Plain,
                    });
                    position += 1;
                });
            }
            Script::Hangul | Script::Kana => {
                out.push(Span {
                    start: run.start,
                    end: run.end,
                    position,
                    kind: SpanKind::Plain,
                });
                position += 1;
            }
            Script::Word => {
                word_span(&run, &mut position, &mut word_position, out);
            }
        }
    }
    !runs.foldable
}

/// The span of a word run, and of the whole word it was split from at a capital
/// (DirectorGeneral: director, general and directorgeneral at director's position, so that
/// phrases still see consecutive positions).
fn word_span(run: &Run, position: &mut usize, word_position: &mut usize, out: &mut Vec<Span>) {
    match run.joined_from {
        Some(start) => out.push(Span {
            start,
            end: run.end,
            position: *word_position,
            kind: SpanKind::Word,
        }),
        None => *word_position = *position,
    }
    out.push(Span {
        start: run.start,
        end: run.end,
        position: *position,
        kind: SpanKind::Word,
    });
    *position += 1;
}

/// Calls `emit(start, end)` for the jieba search-mode words of three characters or more of a
/// Han run, in order. Words of one character (的, 和, 书) rank nothing, and words of two are
/// exactly the bigram the `grams` field holds at the same place: only longer words (图书馆,
/// 个人信息) add anything. Keeping them alone halves the indexing work at no measured loss
/// (RESULTS-search.md).
fn long_words(run: &str, mut emit: impl FnMut(usize, usize)) {
    // Fewer than 9 bytes is at most two characters: jieba is not even asked.
    if run.len() < 9 {
        return;
    }
    for t in JIEBA.tokenize(run, TokenizeMode::Search, true) {
        if t.end - t.start >= 3 {
            emit(t.byte_start, t.byte_end);
        }
    }
}

/// The words of a Han run as jieba's dictionary cuts it (no HMM, so characters it does not
/// know stay single rather than being guessed into words): how a query sentence is read.
/// The first call loads the dictionary (~90 ms).
pub fn dictionary_words(run: &str) -> Vec<&str> {
    JIEBA.cut(run, false).into_iter().map(|t| t.word).collect()
}

/// Spans of the `grams` field: overlapping bigrams of CJK runs (the character itself for a
/// one-character run), words for the rest; one position per token. With `watch`, stops and
/// returns false at the first character that folds.
fn gram_spans(text: &str, out: &mut Vec<Span>, watch: bool) -> bool {
    let (mut position, mut word_position) = (0, 0);
    let mut runs = Runs::new(text, watch);
    while let Some(run) = runs.next() {
        if runs.foldable {
            return false;
        }
        if run.script.is_cjk() {
            let slice = &text[run.start..run.end];
            let mut chars = slice.char_indices().peekable();
            let mut single = true;
            while let Some((i, c)) = chars.next() {
                let Some(&(j, d)) = chars.peek() else {
                    if single {
                        out.push(Span {
                            start: run.start + i,
                            end: run.start + i + c.len_utf8(),
                            position,
                            kind: SpanKind::Plain,
                        });
                        position += 1;
                    }
                    break;
                };
                single = false;
                out.push(Span {
                    start: run.start + i,
                    end: run.start + j + d.len_utf8(),
                    position,
                    kind: SpanKind::Plain,
                });
                position += 1;
            }
        } else {
            word_span(&run, &mut position, &mut word_position, out);
        }
    }
    !runs.foldable
}

thread_local! {
    static STEMMER: RefCell<TextAnalyzer> = RefCell::new(
        TextAnalyzer::builder(RawTokenizer::default())
            .filter(LowerCaser)
            .filter(Stemmer::new(Language::English))
            .build(),
    );
}

/// The index term of a word: lowercased; stemmed when it is ASCII letters only (digits and
/// words of other alphabets are not English).
pub fn word_term(word: &str, out: &mut String) {
    out.clear();
    if word.bytes().all(|b| b.is_ascii_alphabetic()) {
        STEMMER.with(|s| {
            let mut analyzer = s.borrow_mut();
            let mut stream = analyzer.token_stream(word);
            if stream.advance() {
                out.push_str(&stream.token().text);
            }
        });
        if out.is_empty() {
            out.push_str(&word.to_ascii_lowercase());
        }
    } else {
        out.extend(word.chars().flat_map(char::to_lowercase));
    }
}

/// Buffers a tokenizer reuses from one text to the next: tantivy tokenizes millions of
/// clauses, and a fresh folded string, span list and token text per field and clause were a
/// measurable share of the allocator's work.
#[derive(Debug, Clone, Default)]
struct Scratch {
    folded: String,
    shifts: Vec<(usize, usize)>,
    spans: Vec<Span>,
    token: Token,
}

impl Scratch {
    /// Splits `text` with `fill(text, spans, watch)`; when that reports a character that
    /// folds, folds the text and splits the folded text instead. Most clauses have none, so
    /// they are neither copied nor scanned twice.
    fn stream<'a>(
        &'a mut self,
        text: &'a str,
        mut fill: impl FnMut(&str, &mut Vec<Span>, bool) -> bool,
    ) -> SpanStream<'a> {
        let Scratch {
            folded,
            shifts,
            spans,
            token,
        } = self;
        spans.clear();
        shifts.clear();
        let text = if fill(text, spans, true) {
            text
        } else {
            fold_all(text, folded, shifts);
            spans.clear();
            fill(folded, spans, false);
            folded.as_str()
        };
        let spans: &'a [Span] = spans;
        SpanStream {
            text,
            shifts,
            spans: spans.iter(),
            token,
        }
    }
}

/// A token stream over precomputed spans of a normalized text.
pub struct SpanStream<'a> {
    /// The folded text (the input itself when folding changes nothing).
    text: &'a str,
    shifts: &'a [(usize, usize)],
    spans: std::slice::Iter<'a, Span>,
    token: &'a mut Token,
}

impl TokenStream for SpanStream<'_> {
    fn advance(&mut self) -> bool {
        for span in self.spans.by_ref() {
            let Some(slice) = self.text.get(span.start..span.end) else {
                continue;
            };
            if slice.len() > MAX_TOKEN_BYTES {
                continue;
            }
            match span.kind {
                SpanKind::Plain => {
                    self.token.text.clear();
                    self.token.text.push_str(slice);
                }
                SpanKind::Word => word_term(slice, &mut self.token.text),
            }
            self.token.offset_from = original_offset(self.shifts, span.start);
            self.token.offset_to = original_offset(self.shifts, span.end);
            self.token.position = span.position;
            self.token.position_length = 1;
            return true;
        }
        false
    }

    fn token(&self) -> &Token {
        self.token
    }

    fn token_mut(&mut self) -> &mut Token {
        self.token
    }
}

/// The `body` tokenizer: jieba search-mode words, see the module documentation.
#[derive(Debug, Clone, Default)]
pub struct WordTokenizer {
    scratch: Scratch,
}

impl Tokenizer for WordTokenizer {
    type TokenStream<'a> = SpanStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> SpanStream<'a> {
        self.scratch.stream(text, word_spans)
    }
}

/// The `grams` tokenizer: CJK bigrams and words, with positions.
#[derive(Debug, Clone, Default)]
pub struct GramTokenizer {
    scratch: Scratch,
}

impl Tokenizer for GramTokenizer {
    type TokenStream<'a> = SpanStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> SpanStream<'a> {
        self.scratch.stream(text, gram_spans)
    }
}

/// One analysed token, for queries and tests: its term and position.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Term {
    pub text: String,
    pub position: usize,
}

fn collect(mut stream: SpanStream<'_>) -> Vec<Term> {
    let mut out = Vec::new();
    while stream.advance() {
        out.push(Term {
            text: stream.token.text.clone(),
            position: stream.token.position,
        });
    }
    out
}

/// The `grams` terms of a text, with positions (a quoted phrase becomes a phrase query of
/// these).
pub fn gram_terms(text: &str) -> Vec<Term> {
    collect(GramTokenizer::default().token_stream(text))
}

/// The `body` terms of a text (loads jieba's dictionary).
pub fn word_terms(text: &str) -> Vec<Term> {
    collect(WordTokenizer::default().token_stream(text))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(terms: Vec<Term>) -> Vec<String> {
        terms.into_iter().map(|t| t.text).collect()
    }

    #[test]
    fn japanese_forms_fold_to_the_chinese_word() {
        // 図書館法 (Japan), 圖書館法 (Taiwan) and 图书馆法 meet; kana stay as they are.
        let n = normalize("図書館は、読書を推進する");
        assert_eq!(n.text, "图书馆は、读书を推进する");
        assert_eq!(normalize("圖書館").text, normalize("図書館").text);
        // Chinese words that share a character with a Japanese form are untouched.
        assert_eq!(normalize("给予图书馆").text, "给予图书馆");
    }

    #[test]
    fn traditional_and_full_width_fold_char_for_char() {
        let n = normalize("圖書館ＡＢＣ１２，第3條");
        assert_eq!(n.text, "图书馆ABC12，第3条");
        // "，" follows five 3-byte full-width characters that became 1 byte each.
        let comma = n.text.find('，').unwrap();
        assert_eq!(n.original_offset(comma), "圖書館ＡＢＣ１２".len());
        assert_eq!(n.original_offset(0), 0);
        assert_eq!(
            n.original_offset(n.text.len()),
            "圖書館ＡＢＣ１２，第3條".len()
        );
    }

    #[test]
    fn words_run_together_where_a_hyphen_was_lost_are_two_words() {
        let text = "the DirectorGeneral, NSW and iPhone";
        let got: Vec<&str> = runs(text)
            .into_iter()
            .map(|r| &text[r.start..r.end])
            .collect();
        assert_eq!(
            got,
            ["the", "Director", "General", "NSW", "and", "i", "Phone"]
        );
        // The whole word is kept too, at the first part's position: typed in small letters
        // (directorgeneral) it is still found, and "director general" is still a phrase.
        assert_eq!(
            texts(word_terms("DirectorGeneral")),
            ["director", "directorgener", "general"]
        );
    }

    #[test]
    fn runs_split_scripts_and_drop_punctuation() {
        let text = "图书馆，Library 도서관은 2018年";
        let got: Vec<(&str, Script)> = runs(text)
            .into_iter()
            .map(|r| (&text[r.start..r.end], r.script))
            .collect();
        assert_eq!(
            got,
            vec![
                ("图书馆", Script::Han),
                ("Library", Script::Word),
                ("도서관은", Script::Hangul),
                ("2018", Script::Word),
                ("年", Script::Han),
            ]
        );
    }

    #[test]
    fn grams_are_bigrams_for_cjk_and_stems_for_english() {
        assert_eq!(
            texts(gram_terms("圖書館藏書, Libraries 도서관")),
            ["图书", "书馆", "馆藏", "藏书", "librari", "도서", "서관"]
        );
        assert_eq!(texts(gram_terms("书")), ["书"]);
        let positions: Vec<usize> = gram_terms("公共图书馆 免费")
            .into_iter()
            .map(|t| t.position)
            .collect();
        assert_eq!(positions, [0, 1, 2, 3, 4]);
    }

    #[test]
    fn words_use_jieba_search_mode_on_simplified_text() {
        let words = texts(word_terms("公共圖書館應當免費開放"));
        assert_eq!(words, ["图书馆"]);
        let words = texts(word_terms("读者个人信息受法律保护"));
        assert_eq!(words, ["个人信息"]);
        assert_eq!(texts(word_terms("Disabilities")), ["disabl"]);
    }

    #[test]
    fn token_offsets_point_into_the_original_text() {
        let text = "ＡＢ圖書館";
        let mut tok = GramTokenizer::default();
        let mut stream = tok.token_stream(text);
        let mut spans = Vec::new();
        while stream.advance() {
            let t = stream.token();
            spans.push(text[t.offset_from..t.offset_to].to_string());
        }
        assert_eq!(spans, ["ＡＢ", "圖書", "書館"]);
    }

    #[test]
    fn a_reused_tokenizer_gives_what_a_fresh_one_gives() {
        // The tokenizers keep their buffers from one text to the next; a folded text must not
        // leak into the next one, whether that one folds or not.
        let texts = [
            "圖書館ＡＢ藏書",
            "公共图书馆应当免费开放",
            "",
            "個人信息",
            "Libraries 1",
        ];
        let mut grams = GramTokenizer::default();
        let mut words = WordTokenizer::default();
        for text in texts {
            let mut stream = grams.token_stream(text);
            let mut got = Vec::new();
            while stream.advance() {
                let t = stream.token();
                got.push((t.text.clone(), t.position, t.offset_from, t.offset_to));
            }
            let mut fresh = GramTokenizer::default();
            let mut stream = fresh.token_stream(text);
            let mut want = Vec::new();
            while stream.advance() {
                let t = stream.token();
                want.push((t.text.clone(), t.position, t.offset_from, t.offset_to));
            }
            assert_eq!(got, want, "{text}");
            assert_eq!(
                collect(words.token_stream(text)),
                word_terms(text),
                "{text}"
            );
        }
    }

    #[test]
    fn long_garbage_words_are_dropped() {
        let blob = "a".repeat(500);
        assert!(gram_terms(&blob).is_empty());
    }
}
