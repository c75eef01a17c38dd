//! The units a typed word must match: Han runs split or kept whole, Hangul and kana with
//! their particles, English terms with typo correction and prefixes; stop words dropped.

use super::*;

/// Function words dropped from queries (unless nothing else is left): they carry no topic and
/// would make an all-words match fail on natural-language questions.
#[rustfmt::skip]
pub(super) const STOP_WORDS: &[&str] = &[
    "a", "an", "the", "of", "for", "with", "which", "what", "who", "how", "why", "when", "where",
    "is", "are", "was", "were", "be", "been", "to", "in", "on", "at", "by", "from", "and", "or",
    "that", "this", "these", "those", "it", "its", "as", "into", "than", "there", "their", "do",
    "does", "did", "about", "have", "has", "had", "can", "could", "should", "would", "may",
    "might", "must", "shall", "will", "get", "any", "all", "each", "such", "if", "own", "so",
    "also", "other", "some", "they", "them", "you", "we", "our", "your", "he", "she", "his", "her",
    "my", "me", "s",
    "的", "了", "和", "与", "及", "或", "为", "对", "在", "是", "哪些", "什么", "怎么", "如何",
    "哪个", "有关", "关于", "吗", "呢", "把", "被", "从", "给", "哪里", "哪儿", "谁", "怎样",
    "怎么样", "为什么", "多少", "是否", "能否", "能不能", "有没有", "什么地方", "什么时候", "的话",
    "之类", "这里", "那里", "这儿", "那儿", "才能",
    "或者", "以及", "自己", "有人", "别人", "别的", "我们", "你们", "他们",
];

/// A Korean eojeol that is a question's grammar rather than its subject: a question's ending
/// (되나요, 있습니까, 할까요, 인가요) or a common predicate with its ending (없는, 있는, 하는,
/// 써도, 된다). Left required, they ask clauses for a question's wording no law has.
pub(super) fn korean_function_word(word: &str) -> bool {
    let w = word.trim_end_matches(['?', '？', '.', '。', '!', '！', ',', '，']);
    if w.is_empty() || !w.chars().all(crate::grammar::is_hangul) {
        return false;
    }
    const QUESTION_ENDINGS: [&str; 9] = [
        "나요", "까요", "니까", "가요", "는가", "은가", "는지", "지요", "세요",
    ];
    if QUESTION_ENDINGS.iter().any(|e| w.ends_with(e)) {
        return true;
    }
    // One syllable of a predicate (하다, 되다, 있다, 없다, 쓰다 …) and one of its endings: a
    // noun of two syllables ending alike (제도, 보고, 도서) has another first syllable.
    const PREDICATES: [char; 15] = [
        '하', '되', '있', '없', '않', '같', '해', '돼', '써', '쓰', '할', '될', '된', '한', '받',
    ];
    const ENDINGS: [char; 9] = ['는', '은', '도', '면', '요', '다', '지', '게', '야'];
    let mut chars = w.chars();
    match (chars.next(), chars.next(), chars.next()) {
        (Some(a), Some(b), None) => PREDICATES.contains(&a) && ENDINGS.contains(&b),
        _ => false,
    }
}

/// A yes-no question's "V-not-V" (能不能, 会不会, 是不是, 有没有, 可不可以, 应不应该)
/// blanked out: split as words, it leaves 不能, 不会 or 不是, which are prohibitions and
/// negations in a law's text, not what was asked. Blanks of the same length keep every offset
/// into the text; a text without 不 or 没 is returned as it is.
fn blank_yes_no_forms(text: &mut String) {
    if !text.contains(['不', '没']) {
        return;
    }
    let han = |c: char| analysis::script(c) == Some(Script::Han);
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if han(c) && i + 2 < chars.len() && matches!(chars[i + 1], '不' | '没') && chars[i + 2] == c
        {
            // The second syllable of a two-character verb asked this way (可不可以, 应不应该,
            // 需不需要, 允不允许) goes with it.
            let tail = usize::from("可应需允愿".contains(c) && i + 3 < chars.len());
            for b in &chars[i..i + 3 + tail] {
                out.extend(std::iter::repeat_n(' ', b.len_utf8()));
            }
            i += 3 + tail;
            continue;
        }
        out.push(c);
        i += 1;
    }
    *text = out;
}

impl Compiler<'_> {
    /// The units of a typed word: each must match. How a CJK run is split is
    /// into its words (公共图书馆 → 公共 + 图书馆, each anywhere
    /// in the clause), unless the vocabulary does not know the typed word (缴送, 图书馆员),
    /// which then must appear as typed. With `expand`, thesaurus terms in a run are units of
    /// their own (视障读者 → 视障 + 读者) that carry their synonyms. Stop words are dropped
    /// unless they are all there is.
    pub(super) fn word_units(&mut self, word: &str, expand: bool) -> tantivy::Result<Vec<Unit>> {
        let places = expand && self.top_word;
        if places && self.place(word.trim())? {
            return Ok(Vec::new());
        }
        let mut placed = false;
        let thesaurus = if expand { self.thesaurus } else { None };
        let mut norm = analysis::normalize(word);
        blank_yes_no_forms(&mut norm.text);
        let mut units: Vec<Unit> = Vec::new();
        let mut stop_units: Vec<Unit> = Vec::new();
        let mut term = String::new();
        for run in analysis::runs(&norm.text) {
            let slice = &norm.text[run.start..run.end];
            match run.script {
                Script::Han => {
                    let split = self.split_han(slice)?;
                    let pieces = match thesaurus {
                        Some(t) => self.mark_terms(t, split)?,
                        None => split
                            .into_iter()
                            .map(|text| Piece {
                                text,
                                term: false,
                                words: Vec::new(),
                            })
                            .collect(),
                    };
                    // A run of two words or more that mean something is a sentence: its
                    // one-character words (住, 人, 看, 修) are grammar or fragments, and kept
                    // as typed they would glue the words around them into a string no clause
                    // has (人到哪里).
                    let meaningful = |p: &&Piece| {
                        p.text.chars().count() > 1 && !STOP_WORDS.contains(&p.text.as_str())
                    };
                    let sentence = pieces.iter().filter(|p| p.term || meaningful(p)).count() >= 2;
                    // Under --exact, + and -, a compound of two words is matched as typed:
                    // `--exact 视力残疾` found 视力 in one paragraph and 残疾 in another, and
                    // called it every word. A longer run (a question) is still read word by word.
                    let compound = pieces.iter().filter(meaningful).count() == 2;
                    if self.own_text && thesaurus.is_none() && sentence && compound {
                        let words = pieces.into_iter().map(|p| p.text).collect();
                        units.push(Unit::cjk(slice, words, run.script));
                        continue;
                    }
                    let mut stretch: Vec<String> = Vec::new();
                    for piece in pieces {
                        if piece.term {
                            let before = std::mem::take(&mut stretch);
                            self.han_units(before, sentence, &mut units, &mut stop_units);
                            let mut u =
                                Unit::cjk(&piece.text, vec![piece.text.clone()], run.script);
                            u.expansion = thesaurus.and_then(|t| t.expand_key(&piece.text));
                            if piece.words.len() > 1 {
                                let (mut parts, mut stop) = (Vec::new(), Vec::new());
                                self.han_units(piece.words, false, &mut parts, &mut stop);
                                if parts.len() > 1 {
                                    u.parts = parts;
                                }
                            }
                            units.push(u);
                        } else if places && self.place(&piece.text)? {
                            // 澳大利亚 in 澳大利亚国家图书馆馆长: the search is restricted to it.
                            placed = true;
                        } else {
                            stretch.push(piece.text);
                        }
                    }
                    self.han_units(stretch, sentence, &mut units, &mut stop_units);
                }
                Script::Hangul | Script::Kana => {
                    let mut u = Unit::cjk(slice, vec![slice.to_string()], run.script);
                    let term = thesaurus.and_then(|t| match run.script {
                        Script::Hangul => t.hangul_term(slice),
                        _ => t.is_term(slice).then_some(slice),
                    });
                    // The particle is grammar, not meaning: 장애인을 is found as 장애인, and a
                    // word the thesaurus does not know as well (명칭을 → 명칭: a clause writes
                    // 명칭의, 명칭은 …). Under `--exact`, words stay as typed.
                    let stem = term.or_else(|| match (thesaurus, run.script) {
                        (Some(_), Script::Hangul) => crate::grammar::hangul_stems(slice).next(),
                        _ => None,
                    });
                    if let Some(stem) = stem.filter(|&s| s != slice) {
                        u.text = stem.to_string();
                        u.words.push(stem.to_string());
                    }
                    if let (Some(t), Some(term)) = (thesaurus, term) {
                        u.expansion = t.expand_key(term);
                    }
                    units.push(u);
                }
                Script::Word => {
                    analysis::word_term(slice, &mut term);
                    let prefix = norm.text[run.end..].starts_with('*')
                        && slice.bytes().all(|b| b.is_ascii_alphanumeric());
                    // What the thesaurus makes of the word as typed, looked up once.
                    let mut corrected = false;
                    let known = match (prefix, self.thesaurus) {
                        (false, Some(t)) => t.expand_word(slice, &term),
                        _ => None,
                    };
                    if prefix {
                        // `lib*`: every indexed word starting so (library, librarian). The
                        // typed letters, not their stem, are the prefix of the index terms.
                        term = format!("{}*", slice.to_ascii_lowercase());
                    } else if self.in_term || known.is_some() {
                        // A word the thesaurus knows is spelled right even where no clause
                        // in its language has it: "remote" finds 偏远地区, not "remove" (also
                        // when excluded, required, or a word of a term such as "remote
                        // areas").
                    } else if let Some((fixed, word)) = self.typo_correction(slice, &term)? {
                        term = fixed;
                        corrected = true;
                        let c = Correction {
                            typed: slice.to_string(),
                            read_as: word,
                        };
                        if !self.corrections.contains(&c) {
                            self.corrections.push(c);
                        }
                    }
                    let mut unit = Unit {
                        text: term.clone(),
                        script: Script::Word,
                        words: Vec::new(),
                        phrase: false,
                        typed: slice.to_string(),
                        expansion: None,
                        parts: Vec::new(),
                    };
                    if STOP_WORDS.contains(&slice.to_lowercase().as_str()) {
                        stop_units.push(unit);
                    } else {
                        if !prefix {
                            // A corrected word is looked up as corrected (libary → library).
                            unit.expansion = match thesaurus {
                                Some(t) if corrected => t.expand_word(slice, &term),
                                Some(_) => known,
                                None => None,
                            };
                        }
                        units.push(unit);
                    }
                }
            }
        }
        // A stop word is all there is only if nothing else was typed: in 澳大利亚的 the place
        // was.
        if units.is_empty() && !placed {
            units = stop_units;
        }
        Ok(units)
    }

    /// The units of consecutive Han words (a run, or the part of it between thesaurus terms):
    /// as typed or word by word, see `word_units`; in a `sentence`, its words of two
    /// characters or more.
    pub(super) fn han_units(
        &self,
        split: Vec<String>,
        sentence: bool,
        units: &mut Vec<Unit>,
        stop_units: &mut Vec<Unit>,
    ) {
        if split.is_empty() {
            return;
        }
        let slice = split.concat();
        let content: Vec<String> = split
            .iter()
            .filter(|w| !STOP_WORDS.contains(&w.as_str()))
            .cloned()
            .collect();
        if sentence {
            units.extend(
                content
                    .into_iter()
                    .filter(|w| w.chars().count() > 1)
                    .map(|w| Unit::cjk(&w.clone(), vec![w], Script::Han)),
            );
            return;
        }
        // A piece of one character means the vocabulary does not know the typed word
        // (缴送 → 缴 送, 图书馆员 → 图书馆 员): keep it whole.
        let as_typed = content.len() < 2 || content.iter().any(|w| w.chars().count() == 1);
        if content.is_empty() {
            stop_units.push(Unit::cjk(&slice, split, Script::Han));
        } else if as_typed {
            units.push(Unit::cjk(&slice, content, Script::Han));
        } else {
            for w in content {
                units.push(Unit::cjk(&w.clone(), vec![w], Script::Han));
            }
        }
    }

    /// An English word of five letters or more that no clause has (`libary`, `disabilites`)
    /// is read as the indexed word one edit away (insertion, deletion, substitution or
    /// transposition of a letter) that most clauses have, compared after stemming. A word
    /// the index knows is never corrected, so a correction never outranks an exact match.
    pub(super) fn typo_correction(
        &mut self,
        typed: &str,
        term: &str,
    ) -> tantivy::Result<Option<(String, String)>> {
        let lower = typed.to_ascii_lowercase();
        if lower.len() < 5 || !lower.bytes().all(|b| b.is_ascii_lowercase()) {
            return Ok(None);
        }
        let body = self.fields.body;
        if self.term_df(body, term)? > 0
            || (self.headings_searched() && self.term_df(self.fields.heading, term)? > 0)
        {
            return Ok(None);
        }
        let chars: Vec<u8> = lower.into_bytes();
        let mut candidates: Vec<Vec<u8>> = Vec::new();
        for i in 0..=chars.len() {
            for c in b'a'..=b'z' {
                let mut w = chars.clone();
                w.insert(i, c);
                candidates.push(w);
                if i < chars.len() && chars[i] != c {
                    let mut w = chars.clone();
                    w[i] = c;
                    candidates.push(w);
                }
            }
            if i < chars.len() {
                let mut w = chars.clone();
                w.remove(i);
                candidates.push(w);
            }
            if i + 1 < chars.len() {
                let mut w = chars.clone();
                w.swap(i, i + 1);
                candidates.push(w);
            }
        }
        // The index term, and the word typed that gives it (for the reader: "library", not
        // the stem "librari").
        let mut best: Option<(u64, String, String)> = None;
        let mut stem = String::new();
        for w in candidates {
            let Ok(w) = String::from_utf8(w) else {
                continue;
            };
            analysis::word_term(&w, &mut stem);
            let df = self.term_df(body, &stem)?;
            // Of the spellings of one stem, the one that is the stem itself is shown:
            // "khoan" is read as "khoa", not "khoas".
            let shown_better = |s: &String, shown: &String| stem == *s && w == stem && shown != s;
            if df > 0
                && best.as_ref().is_none_or(|(n, s, shown)| {
                    df > *n || (df == *n && (stem < *s || shown_better(s, shown)))
                })
            {
                best = Some((df, stem.clone(), w));
            }
        }
        Ok(best.map(|(_, s, w)| (s, w)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_korean_question_s_grammar_is_told_from_its_nouns() {
        for w in [
            "되나요?",
            "써도,",
            "있습니까",
            "할까요",
            "인가요",
            "없는",
            "있는",
            "써도",
            "된다",
        ] {
            assert!(korean_function_word(w), "{w}");
        }
        // Nouns, with or without a particle, and words of other scripts.
        for w in [
            "제도",
            "보고",
            "도서",
            "사서라는",
            "명칭을",
            "도서관은",
            "하다가",
            "can",
        ] {
            assert!(!korean_function_word(w), "{w}");
        }
    }
}
