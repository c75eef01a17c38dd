//! The clause index: tantivy, one document per clause, under `DATA_DIR/index`.
//!
//! [`ClauseIndex`] opens an index for reading (no lock, no write access needed) and checks
//! its [`SCHEMA_VERSION`]; a writer takes the data directory's [`WriteLock`], gets the index
//! to change from [`WriteLock::begin`], and [`IndexBatch`] replaces documents and commits them
//! atomically (a crash before the commit leaves the previous commit intact);
//! [`IndexWrite::publish`] then makes a rebuilt index live. [`read_documents`] gives every
//! indexed document back with its clauses in order; [`verify`] checks every byte.

pub mod analysis;
mod directory;
mod japanese;
mod lifecycle;
mod lock;
mod reader;
mod schema;
mod traditional;
mod verify;
mod writer;

use std::fs;
use std::path::{Path, PathBuf};

use tantivy::tokenizer::TextAnalyzer;
use tantivy::{Index, IndexReader, ReloadPolicy};

pub use lifecycle::IndexWrite;
pub use lock::{Holder, WriteLock, LOCK_FILE, TEST_HOLD_ENV};
pub(crate) use reader::Stored;
pub use reader::{read_documents, Snapshot};
pub use schema::SCHEMA_VERSION;
pub use verify::{verify, Verified};
pub use writer::IndexBatch;

pub(crate) use schema::{path_terms, Fields};

/// Name of the file beside the tantivy files that records the schema version.
pub(crate) const VERSION_FILE: &str = "lawdex-schema";

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
    #[error("{} is locked by another writer", .0.display())]
    Locked(PathBuf),
    /// Another live process holds the data directory's write lock.
    #[error("{} is locked by pid {pid} ({command}, started {started})", dir.display())]
    LockedBy {
        dir: PathBuf,
        pid: u32,
        command: String,
        started: String,
    },
    /// The data directory cannot be written, so no writer can take its lock.
    #[error("{} is read-only ({reason}): writing the index needs write access to it", dir.display())]
    ReadOnly { dir: PathBuf, reason: String },
    /// Files of the index are missing or corrupt; `what` names them.
    #[error(
        "index at {} is damaged ({what}): rebuild it with `lawdex index --rebuild INPUT...`",
        dir.display()
    )]
    Damaged { dir: PathBuf, what: String },
    #[error("index at {}: {detail}", dir.display())]
    Tantivy { dir: PathBuf, detail: String },
    /// The io error is in the message, not a `source`: printed with its chain it would say
    /// the same thing twice.
    #[error("index at {}: {error}", dir.display())]
    Io { dir: PathBuf, error: std::io::Error },
    #[error(
        "index at {} is damaged (stored {what} unreadable: {detail}): rebuild it with `lawdex index --rebuild INPUT...`",
        dir.display()
    )]
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
        return inner;
    }
    if !is_index(dir) && fs::symlink_metadata(&inner).is_err() {
        if let Some(pending) = lifecycle::resolve_pending(dir) {
            return pending;
        }
    }
    dir.to_path_buf()
}

fn is_index(dir: &Path) -> bool {
    dir.join("meta.json").is_file() || dir.join(VERSION_FILE).is_file()
}

/// An open clause index.
pub struct ClauseIndex {
    index: Index,
    fields: Fields,
    dir: PathBuf,
    /// Opened with the index by [`ClauseIndex::open`]: its segments are open (mapped) from
    /// then on, whatever a writer does to the files. Reloaded after a commit through this
    /// index; `None` for a writer's index, which opens a reader on each read.
    reader: Option<IndexReader>,
}

impl std::fmt::Debug for ClauseIndex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ClauseIndex")
            .field("dir", &self.dir)
            .finish()
    }
}

/// Decompressed blocks of stored documents a reader keeps per segment (16 KB each; tantivy
/// keeps 100). Every hit and every document record is read from a block; with the default a
/// server cycling through a few dozen queries decompressed a block for most hits (5 % of its
/// time, BENCHMARKS.md issue 10). 1,000 blocks is at most ~16 MB per segment.
const DOC_STORE_CACHE_BLOCKS: usize = 1_000;

/// How many times a reader opens the index again when a rebuild swapped it while it opened.
const OPEN_ATTEMPTS: usize = 3;

impl ClauseIndex {
    /// Opens an existing index (an index directory or a data directory) for reading and
    /// checks its schema version. Needs no lock and no write access.
    pub fn open(dir: &Path) -> Result<Self, IndexError> {
        let dir = resolve_dir(dir);
        let mut attempt = 1;
        loop {
            let target = fs::canonicalize(&dir).ok();
            match Self::open_reader(&dir) {
                Ok(index) => return Ok(index),
                // A rebuild published a new generation and removed the one being opened.
                Err(_) if attempt < OPEN_ATTEMPTS && fs::canonicalize(&dir).ok() != target => {
                    attempt += 1;
                }
                Err(e) => return Err(e),
            }
        }
    }

    fn open_reader(dir: &Path) -> Result<Self, IndexError> {
        if !dir.join("meta.json").is_file() {
            return Err(IndexError::Missing(dir.to_path_buf()));
        }
        check_version(dir)?;
        let directory = directory::ReaderDirectory::open(dir).map_err(|e| tantivy_error(dir, e))?;
        let index = Index::open(directory).map_err(|e| tantivy_error(dir, e))?;
        let mut index = Self::wrap(index, dir.to_path_buf());
        let reader = index
            .index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .doc_store_cache_num_blocks(DOC_STORE_CACHE_BLOCKS)
            .try_into()
            .map_err(|e| index.error(e))?;
        index.reader = Some(reader);
        Ok(index)
    }

    /// Opens the live index of a writer, which holds the data directory's lock.
    pub(crate) fn open_writable(dir: &Path) -> Result<Self, IndexError> {
        check_version(dir)?;
        let index = Index::open_in_dir(dir).map_err(|e| tantivy_error(dir, e))?;
        Ok(Self::wrap(index, dir.to_path_buf()))
    }

    /// Creates an empty index in the empty or absent directory `dir`.
    pub(crate) fn create(dir: &Path) -> Result<Self, IndexError> {
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

    /// Opens the index in `dir` (an index directory), creating it when absent, without the
    /// data directory's lock or its atomic creation: for tests and tools that own `dir`.
    /// `lawdex index` and `lawdex update` go through [`WriteLock::begin`].
    pub fn open_or_create(dir: &Path) -> Result<Self, IndexError> {
        if dir.join("meta.json").is_file() {
            return Self::open_writable(dir);
        }
        if dir.exists() {
            let mut entries = fs::read_dir(dir).map_err(|e| io_error(dir, e))?;
            if entries.next().is_some() {
                return Err(IndexError::NotAnIndex(dir.to_path_buf()));
            }
        }
        Self::create(dir)
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
        ClauseIndex {
            index,
            fields,
            dir,
            reader: None,
        }
    }

    /// The directory of the tantivy files.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    pub(crate) fn tantivy(&self) -> &Index {
        &self.index
    }

    /// A reader of the last commit: the one opened with the index, else a new one.
    pub(crate) fn reader(&self) -> Result<IndexReader, IndexError> {
        match &self.reader {
            Some(r) => Ok(r.clone()),
            None => self
                .index
                .reader_builder()
                .reload_policy(ReloadPolicy::Manual)
                .doc_store_cache_num_blocks(DOC_STORE_CACHE_BLOCKS)
                .try_into()
                .map_err(|e| self.error(e)),
        }
    }

    /// After a commit through this index, its reader sees the commit.
    pub(crate) fn reload(&self) -> Result<(), IndexError> {
        match &self.reader {
            Some(r) => r.reload().map_err(|e| self.error(e)),
            None => Ok(()),
        }
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

/// One line for a tantivy error: what is damaged when files are missing or corrupt, else the
/// innermost message (tantivy's errors repeat their causes in their own messages).
pub(crate) fn tantivy_error(dir: &Path, e: tantivy::TantivyError) -> IndexError {
    use tantivy::directory::error::OpenReadError;
    use tantivy::TantivyError as T;
    let damaged = |what: String| IndexError::Damaged {
        dir: dir.to_path_buf(),
        what,
    };
    match e {
        T::LockFailure(..) => IndexError::Locked(dir.to_path_buf()),
        T::OpenReadError(OpenReadError::FileDoesNotExist(path)) => {
            damaged(format!("{} missing", file_name(&path)))
        }
        T::OpenReadError(OpenReadError::IoError { io_error, filepath }) => {
            match damage_kind(&io_error) {
                Some(what) => damaged(format!("{}: {what}", file_name(&filepath))),
                None => io_error_of(dir, &io_error),
            }
        }
        T::DataCorruption(c) => damaged(corruption(&c)),
        T::IoError(io_error) => match damage_kind(&io_error) {
            Some(what) => damaged(what),
            None => io_error_of(dir, &io_error),
        },
        T::IncompatibleIndex(_) | T::SchemaError(_) => damaged("meta.json unreadable".into()),
        other => IndexError::Tantivy {
            dir: dir.to_path_buf(),
            detail: other.to_string(),
        },
    }
}

/// `Data corruption (in file `"/d/index/3af….store"`): checksum mismatch.` → `3af….store:
/// checksum mismatch`.
fn corruption(c: &tantivy::error::DataCorruption) -> String {
    let text = format!("{c:?}");
    let text = text.trim_end_matches('.');
    let (file, comment) = match (text.find("`\""), text.find("\"`): ")) {
        (Some(a), Some(b)) if a < b => {
            (Some(file_name(Path::new(&text[a + 2..b]))), &text[b + 4..])
        }
        _ => (None, text.trim_start_matches("Data corruption: ")),
    };
    // tantivy appends the whole file to some comments ("… Content: {…}"): keep the reason.
    let comment = comment.split(". Content:").next().unwrap_or(comment).trim();
    let comment = match comment.char_indices().nth(120) {
        Some((at, _)) => format!("{}…", &comment[..at]),
        None => comment.to_string(),
    };
    match file {
        Some(f) => format!("{f}: {comment}"),
        None => comment,
    }
}

fn damage_kind(e: &std::io::Error) -> Option<String> {
    use std::io::ErrorKind as K;
    match e.kind() {
        K::NotFound => Some("a file is missing".into()),
        K::InvalidData | K::UnexpectedEof => Some(format!("corrupt data: {e}")),
        _ => None,
    }
}

fn io_error_of(dir: &Path, e: &std::io::Error) -> IndexError {
    io_error(dir, std::io::Error::new(e.kind(), e.to_string()))
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string())
}

pub(crate) fn io_error(dir: &Path, e: std::io::Error) -> IndexError {
    IndexError::Io {
        dir: dir.to_path_buf(),
        error: e,
    }
}
