//! Reading documents and clauses back from the stored fields.

use std::collections::BTreeMap;
use std::path::Path;

use tantivy::query::TermQuery;
use tantivy::schema::{IndexRecordOption, Value};
use tantivy::{DocAddress, Searcher, TantivyDocument, Term};

use super::writer::restore_clause;
use super::{ClauseIndex, IndexError};
use crate::model::{Clause, ClauseId, DocInfo, SegmentedDoc};

/// Every indexed document with its clauses in document order, sorted by document id.
/// `index_dir` may be the index directory or the data directory holding it.
pub fn read_documents(index_dir: &Path) -> Result<Vec<SegmentedDoc>, IndexError> {
    ClauseIndex::open(index_dir)?.documents()
}

/// What one stored tantivy document is.
pub(crate) enum Stored {
    Record(DocInfo),
    Clause(Clause),
}

impl ClauseIndex {
    fn searcher(&self) -> Result<Searcher, IndexError> {
        Ok(self.reader()?.searcher())
    }

    /// Every indexed document with its clauses, sorted by id.
    pub fn documents(&self) -> Result<Vec<SegmentedDoc>, IndexError> {
        let searcher = self.searcher()?;
        let mut infos: BTreeMap<String, DocInfo> = BTreeMap::new();
        let mut clauses: BTreeMap<String, Vec<Clause>> = BTreeMap::new();
        for segment in searcher.segment_readers() {
            let store = segment
                .get_store_reader(64)
                .map_err(|e| super::io_error(self.dir(), e))?;
            for d in store.iter::<TantivyDocument>(segment.alive_bitset()) {
                let d = d.map_err(|e| self.error(e))?;
                match self.decode(&d)? {
                    Stored::Record(info) => {
                        infos.insert(info.id.clone(), info);
                    }
                    Stored::Clause(clause) => {
                        clauses
                            .entry(clause.doc_id.clone())
                            .or_default()
                            .push(clause);
                    }
                }
            }
        }
        Ok(infos
            .into_values()
            .map(|info| {
                let mut cs = clauses.remove(&info.id).unwrap_or_default();
                cs.sort_by_key(|c| c.ordinal);
                SegmentedDoc { info, clauses: cs }
            })
            .collect())
    }

    /// One document with its clauses, by document id.
    pub fn document(&self, id: &str) -> Result<Option<SegmentedDoc>, IndexError> {
        let searcher = self.searcher()?;
        let f = self.fields();
        let mut info = None;
        let mut clauses = Vec::new();
        for s in self.lookup(&searcher, Term::from_field_text(f.doc_id, id))? {
            match s {
                Stored::Record(i) => info = Some(i),
                Stored::Clause(c) => clauses.push(c),
            }
        }
        clauses.sort_by_key(|c| c.ordinal);
        Ok(info.map(|info| SegmentedDoc { info, clauses }))
    }

    /// One clause and its document's info, by clause id. Clause ids are not indexed (see
    /// the schema): the clause is looked up among its document's, whose id starts the clause
    /// id.
    pub fn clause(&self, id: &str) -> Result<Option<(DocInfo, Clause)>, IndexError> {
        let searcher = self.searcher()?;
        let doc_id = ClauseId(id.to_string());
        let term = Term::from_field_text(self.fields().doc_id, doc_id.doc_id());
        let mut info = None;
        let mut clause = None;
        for s in self.lookup(&searcher, term)? {
            match s {
                Stored::Record(i) => info = Some(i),
                Stored::Clause(c) if c.id.as_str() == id => clause = Some(c),
                Stored::Clause(_) => {}
            }
        }
        let Some(clause) = clause else {
            return Ok(None);
        };
        let info =
            info.ok_or_else(|| self.corrupt("clause", "clause without its document record"))?;
        Ok(Some((info, clause)))
    }

    /// A document's info, as seen by `searcher`.
    pub(crate) fn info_in(
        &self,
        searcher: &Searcher,
        doc_id: &str,
    ) -> Result<Option<DocInfo>, IndexError> {
        let term = Term::from_field_text(self.fields().record_id, doc_id);
        Ok(self
            .lookup(searcher, term)?
            .into_iter()
            .find_map(|s| match s {
                Stored::Record(i) => Some(i),
                Stored::Clause(_) => None,
            }))
    }

    fn lookup(&self, searcher: &Searcher, term: Term) -> Result<Vec<Stored>, IndexError> {
        let query = TermQuery::new(term, IndexRecordOption::Basic);
        let mut addrs: Vec<DocAddress> = searcher
            .search(&query, &tantivy::collector::DocSetCollector)
            .map_err(|e| self.error(e))?
            .into_iter()
            .collect();
        addrs.sort();
        let mut out = Vec::with_capacity(addrs.len());
        for a in addrs {
            let d: TantivyDocument = searcher.doc(a).map_err(|e| self.error(e))?;
            out.push(self.decode(&d)?);
        }
        Ok(out)
    }

    /// Decodes a stored tantivy document into a document record or a clause.
    pub(crate) fn decode(&self, d: &TantivyDocument) -> Result<Stored, IndexError> {
        let f = self.fields();
        if let Some(info) = d.get_first(f.info).and_then(|v| v.as_str()) {
            return Ok(Stored::Record(self.parse(info, "document info")?));
        }
        let clause = d
            .get_first(f.clause)
            .and_then(|v| v.as_str())
            .ok_or_else(|| self.corrupt("clause", "neither clause nor document"))?;
        Ok(Stored::Clause(restore_clause(
            self.parse(clause, "clause")?,
        )))
    }

    fn parse<T: serde::de::DeserializeOwned>(
        &self,
        json: &str,
        what: &'static str,
    ) -> Result<T, IndexError> {
        serde_json::from_str(json).map_err(|e| self.corrupt(what, &e.to_string()))
    }

    fn corrupt(&self, what: &'static str, detail: &str) -> IndexError {
        IndexError::Corrupt {
            dir: self.dir().to_path_buf(),
            what,
            detail: detail.to_string(),
        }
    }
}
