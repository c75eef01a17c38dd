//! `lawdex verify`: is every byte of the index what the writer wrote?
//!
//! A search reads only the blocks it needs and does not check them: a flipped bit in the
//! stored documents changes a law's title without any error. Verify reads everything.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use tantivy::TantivyDocument;

use super::{ClauseIndex, IndexError, Stored};

/// What a sound index holds.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Verified {
    /// The index directory (`DATA_DIR/index`).
    pub dir: PathBuf,
    pub documents: usize,
    pub clauses: usize,
    pub segments: usize,
}

/// Opens the index (every segment), checks the checksum of every file of every segment, and
/// reads and decodes every stored document. The first damage found is the error, naming the
/// file and what it holds.
pub fn verify(dir: &Path) -> Result<Verified, IndexError> {
    let index = ClauseIndex::open(dir)?;
    let dir = index.dir().to_path_buf();
    let tantivy = index.tantivy();
    let metas = tantivy
        .searchable_segment_metas()
        .map_err(|e| index.error(e))?;
    let mut damaged: Vec<PathBuf> = tantivy
        .validate_checksum()
        .map_err(|e| index.error(e))?
        .into_iter()
        .collect();
    damaged.sort();
    if let Some(path) = damaged.first() {
        let name = path.to_string_lossy();
        let more = match damaged.len() {
            1 => String::new(),
            n => format!(" and {} other files", n - 1),
        };
        return Err(IndexError::Damaged {
            dir,
            what: format!("checksum mismatch in {name} ({}){more}", holds(&name)),
        });
    }

    let searcher = index.reader()?.searcher();
    let mut records = HashSet::new();
    let mut clause_docs = HashSet::new();
    let mut clauses = 0;
    for segment in searcher.segment_readers() {
        let store = segment
            .get_store_reader(1)
            .map_err(|e| super::io_error(&dir, e))?;
        for d in store.iter::<TantivyDocument>(segment.alive_bitset()) {
            let d = d.map_err(|e| index.error(e))?;
            match index.decode(&d)? {
                Stored::Record(info) => {
                    records.insert(info.id);
                }
                Stored::Clause(clause) => {
                    clauses += 1;
                    clause_docs.insert(clause.doc_id);
                }
            }
        }
    }
    if let Some(orphan) = clause_docs.difference(&records).min() {
        return Err(IndexError::Damaged {
            dir,
            what: format!("clauses of {orphan} without their document record"),
        });
    }
    Ok(Verified {
        dir,
        documents: records.len(),
        clauses,
        segments: metas.len(),
    })
}

/// What a segment file holds, by its extension.
fn holds(name: &str) -> &'static str {
    match name.rsplit('.').next().unwrap_or("") {
        "store" => "stored documents",
        "idx" => "postings",
        "pos" => "positions",
        "term" => "term dictionary",
        "fast" => "fast fields",
        "fieldnorm" => "field norms",
        "del" => "deleted documents",
        _ => "index data",
    }
}
