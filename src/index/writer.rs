//! Writing: replace documents by id, then one atomic commit.

use tantivy::indexer::UserOperation;
use tantivy::{IndexWriter, TantivyDocument, Term};

use super::{path_terms, ClauseIndex, Fields, IndexError};
use crate::model::{Clause, DocInfo, SegmentedDoc};

/// Memory for tantivy's in-memory segments, per indexing thread. Larger budgets mean fewer,
/// larger segments (faster queries); 2 threads × 160 MB keeps a bulk build well under 1 GB.
const HEAP_PER_THREAD: usize = 160 * 1024 * 1024;

/// Documents per message to the indexing threads (see [`IndexBatch::replace`]).
const GROUP: usize = 8;

/// A set of changes to the index, invisible to readers until [`IndexBatch::commit`].
/// Dropping a batch without committing discards it; the index keeps its previous commit.
pub struct IndexBatch<'a> {
    index: &'a ClauseIndex,
    writer: IndexWriter<TantivyDocument>,
    /// Held while operations get their opstamps and join tantivy's queues. tantivy stamps a
    /// group and then queues its delete; two threads between the two steps queue deletes out
    /// of stamp order, and at commit tantivy applies a delete it finds out of order to every
    /// matching document of a segment, this document's new copy included: whole documents
    /// vanished from a commit (see the test below).
    ordered: std::sync::Mutex<()>,
}

impl ClauseIndex {
    /// Starts a batch of changes. Only one batch can be open on an index at a time, across
    /// processes too: a second one fails with [`IndexError::Locked`].
    pub fn batch(&self) -> Result<IndexBatch<'_>, IndexError> {
        let threads = std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(1)
            .clamp(1, 4);
        // tantivy's own lock can still be held for a moment after the last batch ended, by a
        // child that another thread of this process forked and that has not exec'd yet (the
        // data directory's lock already keeps other writers out): try again, briefly.
        let mut tries = 0;
        let writer = loop {
            match self
                .tantivy()
                .writer_with_num_threads(threads, threads * HEAP_PER_THREAD)
            {
                Err(tantivy::TantivyError::LockFailure(..))
                    if tries + 1 < super::lock::LOCK_TRIES =>
                {
                    tries += 1;
                    std::thread::sleep(super::lock::LOCK_PAUSE);
                }
                r => break r.map_err(|e| self.error(e))?,
            }
        };
        Ok(IndexBatch {
            index: self,
            writer,
            ordered: std::sync::Mutex::new(()),
        })
    }
}

impl IndexBatch<'_> {
    /// Replaces the document with `doc.info.id` (if indexed) by `doc`. Safe to call from
    /// several threads at once: each group of operations is queued whole, in stamp order.
    pub fn replace(&self, doc: &SegmentedDoc) -> Result<(), IndexError> {
        let f = self.index.fields();
        let info_json = to_json(&doc.info)?;
        let mut record = TantivyDocument::default();
        record.add_text(f.doc_id, &doc.info.id);
        record.add_text(f.record_id, &doc.info.id);
        record.add_text(f.info, &info_json);
        // Clauses go to the indexing threads in groups: one message per clause cost 12 % of a
        // bulk build in wake-ups and spinning on the channel, and a group of GROUP documents
        // cuts that as many times, while the channel (10,000 messages) still holds at most
        // 10,000 × GROUP documents when parsing runs ahead of indexing.
        let mut group = Vec::with_capacity(GROUP + 1);
        group.push(UserOperation::Delete(Term::from_field_text(
            f.doc_id,
            &doc.info.id,
        )));
        group.push(UserOperation::Add(record));
        for clause in &doc.clauses {
            if group.len() >= GROUP {
                self.run(std::mem::take(&mut group))?;
            }
            group.push(UserOperation::Add(clause_document(f, &doc.info, clause)?));
        }
        self.run(group)
    }

    /// Replaces only the document record of `info.id` (its clauses stay as they are): for a
    /// document whose text is unchanged but whose source path or origin moved.
    pub fn replace_record(&self, info: &DocInfo) -> Result<(), IndexError> {
        let f = self.index.fields();
        let mut record = TantivyDocument::default();
        record.add_text(f.doc_id, &info.id);
        record.add_text(f.record_id, &info.id);
        record.add_text(f.info, &to_json(info)?);
        self.run(vec![
            UserOperation::Delete(Term::from_field_text(f.record_id, &info.id)),
            UserOperation::Add(record),
        ])
    }

    fn run(&self, group: Vec<UserOperation<TantivyDocument>>) -> Result<(), IndexError> {
        let _ordered = self.ordered.lock().unwrap_or_else(|p| p.into_inner());
        self.writer
            .run(group)
            .map(|_| ())
            .map_err(|e| self.index.error(e))
    }

    /// Removes a document and its clauses.
    pub fn delete(&self, doc_id: &str) {
        let f = self.index.fields();
        let _ordered = self.ordered.lock().unwrap_or_else(|p| p.into_inner());
        self.writer
            .delete_term(Term::from_field_text(f.doc_id, doc_id));
    }

    /// Makes every change of the batch visible at once, and waits for segment merges so the
    /// index is compact when this returns.
    pub fn commit(self) -> Result<(), IndexError> {
        self.commit_with(None)
    }

    /// [`commit`](Self::commit), keeping `summary` (the grouping of the committed documents
    /// into works, as JSON) in the commit itself, so that it is exactly as current as the
    /// documents: readers get it from [`ClauseIndex::works_summary`] without reading every
    /// document record.
    pub fn commit_with(mut self, summary: Option<&str>) -> Result<(), IndexError> {
        let mut prepared = self
            .writer
            .prepare_commit()
            .map_err(|e| self.index.error(e))?;
        let mut payload = format!("lawdex schema {}", super::SCHEMA_VERSION);
        if let Some(s) = summary {
            payload.push('\n');
            payload.push_str(s);
        }
        prepared.set_payload(&payload);
        prepared.commit().map_err(|e| self.index.error(e))?;
        self.writer
            .wait_merging_threads()
            .map_err(|e| self.index.error(e))?;
        self.index.reload()
    }
}

fn to_json<T: serde::Serialize>(value: &T) -> Result<String, IndexError> {
    // Serializing plain structs of strings and numbers cannot fail; map it anyway.
    serde_json::to_string(value).map_err(|e| IndexError::Corrupt {
        dir: std::path::PathBuf::new(),
        what: "json",
        detail: e.to_string(),
    })
}

fn clause_document(
    f: Fields,
    info: &DocInfo,
    clause: &Clause,
) -> Result<TantivyDocument, IndexError> {
    let mut d = TantivyDocument::default();
    d.add_text(f.doc_id, &info.id);
    let body = if clause.caption.is_empty() {
        std::borrow::Cow::Borrowed(clause.text.as_str())
    } else {
        std::borrow::Cow::Owned(format!("{}\n{}", clause.caption, clause.text))
    };
    d.add_text(f.body, &body);
    d.add_text(f.grams, &body);
    // One value per heading: tantivy leaves a gap in positions between values, so no phrase
    // spans the end of one heading and the start of the next.
    for h in &clause.headings {
        d.add_text(f.heading, h);
        d.add_text(f.heading_grams, h);
    }
    if !info.jurisdiction.is_empty() {
        d.add_text(f.jurisdiction, &info.jurisdiction);
        for t in path_terms(&info.jurisdiction) {
            d.add_text(f.jurisdiction_path, t);
        }
    }
    if !info.level.is_empty() {
        d.add_text(f.level, info.level.to_lowercase());
    }
    if !info.kind.is_empty() {
        d.add_text(f.kind, info.kind.to_lowercase());
    }
    for t in path_terms(&info.language) {
        d.add_text(f.language_path, t);
    }
    if !info.status.is_empty() {
        d.add_text(f.status, info.status.to_lowercase());
    }
    if let Some(y) = info.year {
        d.add_i64(f.year, i64::from(y));
    }
    d.add_text(f.clause, to_json(&stored_clause(clause))?);
    Ok(d)
}

/// A clause as stored: `text` is emptied when it is just the paragraphs joined by newlines (it
/// nearly always is), which halves the stored text. Lossless: an empty stored `text` always
/// reads back as the joined paragraphs, which is what it was.
pub(crate) fn stored_clause(c: &Clause) -> Clause {
    let mut clause = c.clone();
    if is_joined(&c.text, &c.paragraphs) {
        clause.text.clear();
    }
    clause
}

/// `text == paragraphs.join("\n")`, without building the join.
fn is_joined(text: &str, paragraphs: &[String]) -> bool {
    let mut rest = text;
    for (i, p) in paragraphs.iter().enumerate() {
        if i > 0 {
            match rest.strip_prefix('\n') {
                Some(r) => rest = r,
                None => return false,
            }
        }
        match rest.strip_prefix(p.as_str()) {
            Some(r) => rest = r,
            None => return false,
        }
    }
    rest.is_empty()
}

/// The inverse of [`stored_clause`].
pub(crate) fn restore_clause(mut c: Clause) -> Clause {
    if c.text.is_empty() {
        c.text = c.paragraphs.join("\n");
    }
    c
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{test_article, Format};

    fn doc(id: &str, clauses: u32) -> SegmentedDoc {
        let mut info = DocInfo::new(id, format!("{id}.md"), id, Format::Markdown, "zh-Hans");
        info.title = id.to_string();
        let clauses = (1..=clauses)
            .map(|n| {
                let mut c = test_article(n, &format!("第{n}条"), "图书馆应当免费开放。");
                c.doc_id = id.to_string();
                c.id = crate::model::ClauseId(format!("{id}/art{n}"));
                c
            })
            .collect();
        SegmentedDoc { info, clauses }
    }

    /// Documents written from many threads at once all survive the commit. tantivy applies a
    /// delete that reached its queue out of opstamp order to every matching document of a
    /// segment at commit, so writers racing to the end of a batch lost whole documents (1 run
    /// in 30 of `lawdex index --rebuild` on three files lost one). The race is in the last
    /// operations before a commit, so this commits many small batches.
    #[test]
    fn documents_written_from_many_threads_all_survive_the_commit() {
        let dir = tempfile::tempdir().unwrap();
        let index = ClauseIndex::open_or_create(dir.path()).unwrap();
        let threads = 6;
        let mut expected = 0;
        for round in 0..80 {
            let batch = index.batch().unwrap();
            let start = std::sync::Barrier::new(threads);
            std::thread::scope(|s| {
                for t in 0..threads {
                    let (batch, start) = (&batch, &start);
                    s.spawn(move || {
                        start.wait();
                        batch.replace(&doc(&format!("r{round}-t{t}"), 1)).unwrap();
                    });
                }
            });
            batch.commit().unwrap();
            expected += threads;
            let (documents, clauses) = index.snapshot().unwrap().totals().unwrap();
            assert_eq!((documents, clauses), (expected, expected), "round {round}");
        }
    }

    #[test]
    fn joined_text_is_recognised_without_joining() {
        let ps = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert!(is_joined("a\nb", &ps(&["a", "b"])));
        assert!(is_joined("", &ps(&[])));
        assert!(is_joined("", &ps(&[""])));
        assert!(is_joined("\n", &ps(&["", ""])));
        assert!(!is_joined("a\nb\n", &ps(&["a", "b"])));
        assert!(!is_joined("ab", &ps(&["a", "b"])));
        assert!(!is_joined("a", &ps(&["a", "b"])));
        assert!(!is_joined("a\nbc", &ps(&["a", "b"])));
        for v in [&["x", "", "y"][..], &["第一条"], &["", "z"]] {
            assert!(is_joined(&v.join("\n"), &ps(v)), "{v:?}");
        }
    }
}
