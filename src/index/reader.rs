//! Reading documents and clauses back from the stored fields.

use std::collections::BTreeMap;
use std::path::Path;

use tantivy::query::TermQuery;
use tantivy::schema::{IndexRecordOption, Value};
use tantivy::{DocAddress, DocSet, Searcher, TantivyDocument, Term, TERMINATED};

use super::writer::restore_clause;
use super::{ClauseIndex, IndexError};
use crate::model::{Clause, ClauseId, DocInfo, SegmentedDoc};

/// Every indexed document with its clauses in document order, sorted by document id.
/// `index_dir` may be the index directory or the data directory holding it.
pub fn read_documents(index_dir: &Path) -> Result<Vec<SegmentedDoc>, IndexError> {
    ClauseIndex::open(index_dir)?.documents()
}

/// What one stored tantivy document is.
// Values of this enum are decoded one at a time and moved out at once: boxing the larger
// record would cost an allocation per record for no saving.
#[allow(clippy::large_enum_variant)]
pub(crate) enum Stored {
    Record(DocInfo),
    Clause(Clause),
}

/// One commit of the index, read consistently: every lookup through a snapshot sees the same
/// documents, whatever a writer commits meanwhile.
pub struct Snapshot<'a> {
    index: &'a ClauseIndex,
    searcher: Searcher,
}

impl Snapshot<'_> {
    /// The live document records, read from the postings of the record-id field: one entry
    /// per document, without touching the stored clauses.
    fn records(&self) -> Result<Vec<DocAddress>, IndexError> {
        let f = self.index.fields();
        let io = |e| super::io_error(self.index.dir(), e);
        let mut out = Vec::new();
        for (ord, segment) in self.searcher.segment_readers().iter().enumerate() {
            let inverted = segment
                .inverted_index(f.record_id)
                .map_err(|e| self.index.error(e))?;
            let alive = segment.alive_bitset();
            let mut terms = inverted.terms().stream().map_err(io)?;
            while terms.advance() {
                let mut postings = inverted
                    .read_postings_from_terminfo(terms.value(), IndexRecordOption::Basic)
                    .map_err(io)?;
                let mut doc = postings.doc();
                while doc != TERMINATED {
                    // Records replaced since the last merge are still in the postings.
                    if alive.is_none_or(|a| a.is_alive(doc)) {
                        out.push(DocAddress::new(ord as u32, doc));
                    }
                    doc = postings.advance();
                }
            }
        }
        Ok(out)
    }

    /// Every document record (no clauses), by id.
    pub fn infos(&self) -> Result<BTreeMap<String, DocInfo>, IndexError> {
        let mut out = BTreeMap::new();
        for addr in self.records()? {
            let d: TantivyDocument = self.searcher.doc(addr).map_err(|e| self.index.error(e))?;
            if let Stored::Record(info) = self.index.decode(&d)? {
                out.insert(info.id.clone(), info);
            }
        }
        Ok(out)
    }

    /// One document with its clauses, by id.
    pub fn document(&self, id: &str) -> Result<Option<SegmentedDoc>, IndexError> {
        self.index.document_in(&self.searcher, id)
    }

    /// (documents, clauses) in this commit.
    pub fn totals(&self) -> Result<(usize, usize), IndexError> {
        let records = self.records()?.len();
        let all = usize::try_from(self.searcher.num_docs()).unwrap_or(usize::MAX);
        Ok((records, all.saturating_sub(records)))
    }
}

impl ClauseIndex {
    /// The view of the commit `searcher` reads (a search's own searcher, so that what it
    /// reads of the records agrees with its hits).
    pub(crate) fn snapshot_of(&self, searcher: &Searcher) -> Snapshot<'_> {
        Snapshot {
            index: self,
            searcher: searcher.clone(),
        }
    }

    /// The works summary kept with the commit `searcher` reads (see
    /// [`IndexBatch::commit_with`](super::IndexBatch::commit_with)); `None` when the commit
    /// has none (an index written before it was kept) or when the last commit on disk is no
    /// longer the one `searcher` reads.
    pub(crate) fn works_summary_in(&self, searcher: &Searcher) -> Option<String> {
        let metas = self.tantivy().load_metas().ok()?;
        let on_disk: std::collections::BTreeSet<_> =
            metas.segments.iter().map(|s| s.id()).collect();
        let read: std::collections::BTreeSet<_> = searcher
            .segment_readers()
            .iter()
            .map(|s| s.segment_id())
            .collect();
        if on_disk != read {
            return None;
        }
        let payload = metas.payload?;
        let (_, summary) = payload.split_once('\n')?;
        Some(summary.to_string())
    }

    /// The works summary of the last commit (see [`ClauseIndex::works_summary_in`]).
    pub fn works_summary(&self) -> Option<String> {
        self.works_summary_in(&self.searcher().ok()?)
    }

    /// A consistent view of the last commit.
    pub fn snapshot(&self) -> Result<Snapshot<'_>, IndexError> {
        Ok(Snapshot {
            index: self,
            searcher: self.searcher()?,
        })
    }

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
        self.document_in(&self.searcher()?, id)
    }

    pub(crate) fn document_in(
        &self,
        searcher: &Searcher,
        id: &str,
    ) -> Result<Option<SegmentedDoc>, IndexError> {
        let f = self.fields();
        let mut info = None;
        let mut clauses = Vec::new();
        for s in self.lookup(searcher, Term::from_field_text(f.doc_id, id))? {
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
