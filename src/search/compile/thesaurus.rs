//! Marking thesaurus terms in a query and building their synonym alternatives.

use super::*;

/// Longest run of query pieces joined to find a thesaurus term (视力 + 残疾 → 视力残疾).
pub(super) const MAX_TERM_PIECES: usize = 4;

/// Thesaurus terms inside a chunk of characters the vocabulary does not know, by forward
/// maximum matching; the rest stays as chunks.
pub(super) fn terms_inside(t: &Thesaurus, chunk: &str) -> Vec<Piece> {
    let bounds: Vec<usize> = chunk
        .char_indices()
        .map(|(i, _)| i)
        .chain(std::iter::once(chunk.len()))
        .collect();
    let n = bounds.len() - 1;
    let mut out = Vec::new();
    let (mut rest, mut i) = (0, 0);
    while i < n {
        let longest = (2..=MAX_WORD_CHARS.min(n - i))
            .rev()
            .find(|&len| t.is_term(&chunk[bounds[i]..bounds[i + len]]));
        match longest {
            Some(len) => {
                if rest < i {
                    out.push(Piece {
                        text: chunk[bounds[rest]..bounds[i]].to_string(),
                        term: false,
                        words: Vec::new(),
                    });
                }
                out.push(Piece {
                    text: chunk[bounds[i]..bounds[i + len]].to_string(),
                    term: true,
                    words: Vec::new(),
                });
                i += len;
                rest = i;
            }
            None => i += 1,
        }
    }
    if rest < n {
        out.push(Piece {
            text: chunk[bounds[rest]..].to_string(),
            term: false,
            words: Vec::new(),
        });
    }
    out
}

impl Compiler<'_> {
    /// Marks the thesaurus terms among the words of a split Han run: consecutive words that
    /// together are a term (视力 + 残疾 → 视力残疾), and terms inside a chunk the vocabulary does
    /// not know (视障者 in 视障者读).
    pub(super) fn mark_terms(
        &mut self,
        t: &Thesaurus,
        split: Vec<String>,
    ) -> tantivy::Result<Vec<Piece>> {
        let mut out = Vec::with_capacity(split.len());
        let mut i = 0;
        while i < split.len() {
            let mut joined = String::new();
            let mut found = None;
            for (j, piece) in split.iter().enumerate().skip(i).take(MAX_TERM_PIECES) {
                joined.push_str(piece);
                if t.is_term(&joined) {
                    found = Some((j + 1, joined.clone()));
                }
            }
            if let Some((next, text)) = found {
                out.push(Piece {
                    text,
                    term: true,
                    words: split[i..next].to_vec(),
                });
                i = next;
                continue;
            }
            let piece = &split[i];
            if piece.chars().count() > 2 && self.doc_freq(piece)? == 0 {
                out.extend(terms_inside(t, piece));
            } else {
                out.push(Piece {
                    text: piece.clone(),
                    term: false,
                    words: Vec::new(),
                });
            }
            i += 1;
        }
        Ok(out)
    }

    /// A synonym's query, built like a typed word's, and its strength (see `unit_strength`).
    pub(super) fn synonym_query(
        &mut self,
        text: &str,
    ) -> tantivy::Result<(Box<dyn Query>, f32, bool)> {
        let norm = analysis::normalize(text);
        let runs = analysis::runs(&norm.text);
        let unit = match runs.as_slice() {
            [run] if run.script == Script::Word => {
                let mut term = String::new();
                analysis::word_term(&norm.text[run.start..run.end], &mut term);
                Unit {
                    text: term.clone(),
                    script: Script::Word,
                    words: Vec::new(),
                    phrase: false,
                    typed: term,
                    expansion: None,
                    parts: Vec::new(),
                }
            }
            [run] => {
                let slice = &norm.text[run.start..run.end];
                Unit::cjk(slice, vec![slice.to_string()], run.script)
            }
            _ => Unit {
                text: norm.text.clone(),
                script: Script::Word,
                words: Vec::new(),
                phrase: true,
                typed: norm.text.clone(),
                expansion: None,
                parts: Vec::new(),
            },
        };
        let (strength, found) = self.unit_strength(&unit)?;
        let q = if unit.phrase {
            self.phrase_query(&unit.text)?
        } else {
            self.unit_group(&unit)?
        };
        Ok((q, strength, found))
    }
}
