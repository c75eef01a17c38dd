//! The clauses of the documents a search leaves out (other versions and copies of a law), as
//! a query over a bit set per segment, built once per searcher: a term-set query built for
//! every search cost more than the whole search of the bulk corpus (BENCHMARKS.md).

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use tantivy::index::SegmentId;
use tantivy::query::{BitSetDocSet, ConstScorer, EmptyScorer, EnableScoring, Explanation};
use tantivy::query::{Query, Scorer, Weight};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{BitSet, DocId, DocSet, Score, SegmentReader, Term, TERMINATED};

/// Matches the clauses (and records) of a fixed set of documents.
#[derive(Clone, Debug)]
pub(super) struct Documents {
    sets: Arc<HashMap<SegmentId, BitSet>>,
}

impl Documents {
    /// The tantivy documents whose `doc_id` field is one of `ids`, in `searcher`'s segments.
    pub(super) fn new(
        searcher: &tantivy::Searcher,
        field: Field,
        ids: &HashSet<String>,
    ) -> tantivy::Result<Documents> {
        let mut sets = HashMap::new();
        for segment in searcher.segment_readers() {
            let inverted = segment.inverted_index(field)?;
            let mut set = BitSet::with_max_value(segment.max_doc().max(1));
            for id in ids {
                let term = Term::from_field_text(field, id);
                if let Some(mut postings) =
                    inverted.read_postings(&term, IndexRecordOption::Basic)?
                {
                    let mut doc = postings.doc();
                    while doc != TERMINATED {
                        set.insert(doc);
                        doc = postings.advance();
                    }
                }
            }
            sets.insert(segment.segment_id(), set);
        }
        Ok(Documents {
            sets: Arc::new(sets),
        })
    }

    pub(super) fn is_empty(&self) -> bool {
        self.sets.values().all(|s| s.len() == 0)
    }
}

impl Query for Documents {
    fn weight(&self, _: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        Ok(Box::new(self.clone()))
    }
}

impl Weight for Documents {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        Ok(match self.sets.get(&reader.segment_id()) {
            Some(set) => Box::new(ConstScorer::new(BitSetDocSet::from(set.clone()), boost)),
            None => Box::new(EmptyScorer),
        })
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        let hit = self
            .sets
            .get(&reader.segment_id())
            .is_some_and(|s| s.contains(doc));
        Ok(Explanation::new(
            if hit {
                "a document left out"
            } else {
                "not left out"
            },
            0.0,
        ))
    }
}
