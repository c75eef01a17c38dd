//! The clause index: tantivy, one document per clause, under `DATA_DIR/index`.
//!
//! [`ClauseIndex`] opens or creates an index and checks its [`SCHEMA_VERSION`];
//! [`IndexBatch`] replaces documents and commits them atomically (a crash before the commit
//! leaves the previous commit intact); [`read_documents`] gives every indexed document back
//! with its clauses in order.

pub mod analysis;
mod reader;
mod schema;
mod traditional;
mod writer;

use std::fs;
use std::path::{Path, PathBuf};

use tantivy::tokenizer::TextAnalyzer;
use tantivy::Index;

pub(crate) use reader::Stored;
pub use reader::{read_documents, Snapshot};
pub use schema::SCHEMA_VERSION;
pub use writer::IndexBatch;

pub(crate) use schema::{path_terms, Fields};

/// Name of the file beside the tantivy files that records the schema version.
const VERSION_FILE: &str = "lawdex-schema";

/// Why the index could not be opened, written or read.
#[derive(Debug, thiserror::Error)]
pub enum IndexError {
    #[error("no index at {}: run `lawdex index` first", .0.display())]
    Missing(PathBuf),
    #[error(
        "index at {} was built by schema {found}, this lawdex needs {needed}: re-index required",
        dir.display()
    )]
    SchemaMismatch {
        dir: PathBuf,
        found: u32,
        needed: u32,
    },
    #[error(
        "index at {} has no readable schema version (not built by lawdex?): re-index required",
        .0.display()
    )]
    Unversioned(PathBuf),
    #[error("{} exists but is not a lawdex index; choose another --data-dir", .0.display())]
    NotAnIndex(PathBuf),
    #[error("index at {} is locked by another writer (is another `lawdex index` running?)", .0.display())]
    Locked(PathBuf),
    #[error("index at {}: {source}", dir.display())]
    Tantivy {
        dir: PathBuf,
        #[source]
        source: tantivy::TantivyError,
    },
    #[error("index at {}: {source}", dir.display())]
    Io {
        dir: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("index at {}: stored {what} is unreadable: {detail}", dir.display())]
    Corrupt {
        dir: PathBuf,
        what: &'static str,
        detail: String,
    },
}

/// The index directory inside a data directory.
pub fn index_dir(data_dir: &Path) -> PathBuf {
    data_dir.join("index")
}

/// Accepts either an index directory or the data directory holding it (`DIR/index`).
pub fn resolve_dir(dir: &Path) -> PathBuf {
    let inner = index_dir(dir);
    if is_index(&inner) || (!is_index(dir) && inner.is_dir()) {
        inner
    } else {
        dir.to_path_buf()
    }
}

fn is_index(dir: &Path) -> bool {
    dir.join("meta.json").is_file() || dir.join(VERSION_FILE).is_file()
}

/// An open clause index.
pub struct ClauseIndex {
    index: Index,
    fields: Fields,
    dir: PathBuf,
}

impl std::fmt::Debug for ClauseIndex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ClauseIndex")
            .field("dir", &self.dir)
            .finish()
    }
}

impl ClauseIndex {
    /// Opens an existing index (an index directory or a data directory) and checks its
    /// schema version.
    pub fn open(dir: &Path) -> Result<Self, IndexError> {
        let dir = resolve_dir(dir);
        if !dir.join("meta.json").is_file() {
            return Err(IndexError::Missing(dir));
        }
        check_version(&dir)?;
        let index = Index::open_in_dir(&dir).map_err(|e| tantivy_error(&dir, e))?;
        Ok(Self::wrap(index, dir))
    }

    /// Opens the index in `dir` (an index directory), creating it when absent.
    pub fn open_or_create(dir: &Path) -> Result<Self, IndexError> {
        if dir.join("meta.json").is_file() {
            return Self::open(dir);
        }
        if dir.exists() {
            let mut entries = fs::read_dir(dir).map_err(|e| io_error(dir, e))?;
            if entries.next().is_some() {
                return Err(IndexError::NotAnIndex(dir.to_path_buf()));
            }
        }
        fs::create_dir_all(dir).map_err(|e| io_error(dir, e))?;
        fs::write(dir.join(VERSION_FILE), format!("{SCHEMA_VERSION}\n"))
            .map_err(|e| io_error(dir, e))?;
        let (schema, _) = schema::build();
        let settings = tantivy::IndexSettings {
            docstore_compression: tantivy::store::Compressor::Lz4,
            ..Default::default()
        };
        let index = Index::builder()
            .schema(schema)
            .settings(settings)
            .create_in_dir(dir)
            .map_err(|e| tantivy_error(dir, e))?;
        Ok(Self::wrap(index, dir.to_path_buf()))
    }

    /// Removes the index in `dir` (an index directory) so that it can be rebuilt. Refuses
    /// to delete a directory that is not a lawdex index.
    pub fn remove(dir: &Path) -> Result<(), IndexError> {
        if !dir.exists() {
            return Ok(());
        }
        if !is_index(dir) {
            return Err(IndexError::NotAnIndex(dir.to_path_buf()));
        }
        fs::remove_dir_all(dir).map_err(|e| io_error(dir, e))
    }

    fn wrap(index: Index, dir: PathBuf) -> Self {
        let (_, fields) = schema::build();
        let tokenizers = index.tokenizers();
        tokenizers.register(
            analysis::WORDS_TOKENIZER,
            TextAnalyzer::builder(analysis::WordTokenizer::default()).build(),
        );
        tokenizers.register(
            analysis::GRAMS_TOKENIZER,
            TextAnalyzer::builder(analysis::GramTokenizer::default()).build(),
        );
        ClauseIndex { index, fields, dir }
    }

    /// The directory of the tantivy files.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    pub(crate) fn tantivy(&self) -> &Index {
        &self.index
    }

    pub(crate) fn fields(&self) -> Fields {
        self.fields
    }

    pub(crate) fn error(&self, e: tantivy::TantivyError) -> IndexError {
        tantivy_error(&self.dir, e)
    }
}

fn check_version(dir: &Path) -> Result<(), IndexError> {
    let text = match fs::read_to_string(dir.join(VERSION_FILE)) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Err(IndexError::Unversioned(dir.to_path_buf()))
        }
        Err(e) => return Err(io_error(dir, e)),
    };
    let found: u32 = text
        .trim()
        .parse()
        .map_err(|_| IndexError::Unversioned(dir.to_path_buf()))?;
    if found != SCHEMA_VERSION {
        return Err(IndexError::SchemaMismatch {
            dir: dir.to_path_buf(),
            found,
            needed: SCHEMA_VERSION,
        });
    }
    Ok(())
}

pub(crate) fn tantivy_error(dir: &Path, e: tantivy::TantivyError) -> IndexError {
    if let tantivy::TantivyError::LockFailure(..) = e {
        return IndexError::Locked(dir.to_path_buf());
    }
    IndexError::Tantivy {
        dir: dir.to_path_buf(),
        source: e,
    }
}

pub(crate) fn io_error(dir: &Path, e: std::io::Error) -> IndexError {
    IndexError::Io {
        dir: dir.to_path_buf(),
        source: e,
    }
}
