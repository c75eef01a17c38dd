//! Where the live index is, and how a writer changes it without readers ever seeing a
//! half-built index, whenever the writer is killed.
//!
//! Layout of a data directory:
//!
//! ```text
//! DATA_DIR/lock                         the write lock (see `lock.rs`)
//! DATA_DIR/index -> index.gen-…         the live index: a symlink to one generation
//! DATA_DIR/index.gen-<ms>-<pid>-<n>/    a generation: a tantivy index + `lawdex-schema`
//! ```
//!
//! Why a symlink swapped by `rename`: a rename over a symlink is atomic, so `DATA_DIR/index`
//! always names a complete index, the old one until the instant the new one replaces it, and
//! its path never changes for readers and tools. Renaming directories instead would need two
//! renames (old away, new in) with a moment of no index between them; a pointer file would
//! change the path readers open. tantivy resolves the symlink once when it opens an index
//! (it canonicalizes the path), so a reader keeps reading the generation it opened.
//!
//! A writer ([`WriteLock::begin`]) either changes the live generation in place (tantivy's
//! commit is atomic: a kill before it leaves the last commit) or, on a first run and on
//! `--rebuild`, builds a new generation beside it that readers cannot see until
//! [`IndexWrite::publish`] swaps the symlink. Creation is part of the build, so a kill in the
//! first milliseconds of a first run leaves no `index` at all ("run `lawdex index` first"),
//! never a half-created one. Whatever a killed writer left (generations not linked, a
//! pending link) is removed by the next writer, under the lock, before it changes anything;
//! readers never look at them.
//!
//! Data directories written by earlier lawdex versions have a real `index` directory; it is
//! written in place, and replaced by a link on the first rebuild (see [`IndexWrite::publish`]).

use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

use super::lock::{access_error, WriteLock};
use super::{index_dir, io_error, ClauseIndex, IndexError, VERSION_FILE};

/// Name prefix of generation directories.
const GENERATION: &str = "index.gen-";
/// Name prefix of a new link waiting to be renamed over `index`.
const PENDING_LINK: &str = "index.link-";

/// The index a writer changes: the live one, or a new generation that becomes live when
/// published. Got from [`WriteLock::begin`]; borrows the lock, which must be held until
/// [`IndexWrite::publish`] returns.
#[derive(Debug)]
pub struct IndexWrite<'l> {
    index: ClauseIndex,
    lock: &'l WriteLock,
    /// The new generation to publish; `None` when the live index is changed in place.
    generation: Option<PathBuf>,
}

impl WriteLock {
    /// Repairs what a killed writer left, then opens the index to change: the live index, or
    /// a new empty generation when there is none yet or `rebuild` is set (the live index
    /// then keeps answering searches until [`IndexWrite::publish`]).
    ///
    /// Fails with [`IndexError::SchemaMismatch`] when the live index was built by another
    /// schema and `rebuild` is not set, and with [`IndexError::NotAnIndex`] when
    /// `DATA_DIR/index` is a directory lawdex did not make.
    pub fn begin(&self, rebuild: bool) -> Result<IndexWrite<'_>, IndexError> {
        let data_dir = self.data_dir();
        repair(data_dir)?;
        let live = index_dir(data_dir);
        if !rebuild && live.join("meta.json").is_file() {
            let index = ClauseIndex::open_writable(&live)?;
            return Ok(IndexWrite {
                index,
                lock: self,
                generation: None,
            });
        }
        if is_foreign(&live) {
            return Err(IndexError::NotAnIndex(live));
        }
        let generation = new_generation(data_dir).map_err(|e| access_error(data_dir, e))?;
        let index = ClauseIndex::create(&generation)?;
        Ok(IndexWrite {
            index,
            lock: self,
            generation: Some(generation),
        })
    }
}

impl IndexWrite<'_> {
    /// The index to change (start a batch on it).
    pub fn index(&self) -> &ClauseIndex {
        &self.index
    }

    /// True when this write builds a new generation (first run or rebuild).
    pub fn is_new(&self) -> bool {
        self.generation.is_some()
    }

    /// Makes the committed index the live one, and returns the live index path
    /// (`DATA_DIR/index`). Call after [`IndexBatch::commit`](super::IndexBatch::commit): a
    /// generation published before its commit is an empty index. In place, this only makes
    /// the files private (0600).
    pub fn publish(self) -> Result<PathBuf, IndexError> {
        let data_dir = self.lock.data_dir().to_path_buf();
        let live = index_dir(&data_dir);
        let IndexWrite {
            index, generation, ..
        } = self;
        let dir = index.dir().to_path_buf();
        drop(index);
        make_private(&dir).map_err(|e| io_error(&dir, e))?;
        let Some(generation) = generation else {
            return Ok(live);
        };
        let name = generation
            .file_name()
            .map(PathBuf::from)
            .unwrap_or_default();
        let io = |e: io::Error| io_error(&data_dir, e);
        match fs::symlink_metadata(&live) {
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                // First run: creating the link is itself atomic.
                symlink(&name, &live).map_err(io)?;
            }
            Err(e) => return Err(io(e)),
            Ok(meta) => {
                let pending = data_dir.join(format!("{PENDING_LINK}{}", std::process::id()));
                let _ = fs::remove_file(&pending);
                symlink(&name, &pending).map_err(io)?;
                if meta.file_type().is_symlink() {
                    let old = fs::read_link(&live).ok();
                    fs::rename(&pending, &live).map_err(io)?;
                    sync_dir(&data_dir);
                    // Only a generation of this directory, named bare, is lawdex's to delete:
                    // a link someone pointed elsewhere (../victim, another disk) is replaced,
                    // never followed into.
                    let ours = |o: &PathBuf| {
                        o.components().count() == 1
                            && o.to_str().is_some_and(|s| s.starts_with(GENERATION))
                    };
                    if let Some(old) = old.filter(|o| *o != name && ours(o)) {
                        // A reader that resolved the old link just now retries on the new
                        // one (see `ClauseIndex::open`).
                        let _ = fs::remove_dir_all(data_dir.join(old));
                    }
                } else {
                    // A real directory (an earlier lawdex, or leftovers): move it away, then
                    // rename the pending link in. Between the two renames readers and the
                    // next writer follow the pending link (see `resolve_pending`).
                    let away = data_dir.join(format!("{GENERATION}old-{}", std::process::id()));
                    fs::rename(&live, &away).map_err(io)?;
                    fs::rename(&pending, &live).map_err(io)?;
                    sync_dir(&data_dir);
                    let _ = fs::remove_dir_all(&away);
                }
            }
        }
        sync_dir(&data_dir);
        Ok(live)
    }
}

/// Creates a new, private, empty generation directory. Its name is new even for two
/// generations begun by one process within a millisecond: creating it fails if it exists.
fn new_generation(data_dir: &Path) -> io::Result<PathBuf> {
    let millis = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_millis())
        .unwrap_or_default();
    let mut builder = fs::DirBuilder::new();
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    for n in 0.. {
        let dir = data_dir.join(format!("{GENERATION}{millis}-{}-{n}", std::process::id()));
        match builder.create(&dir) {
            Ok(()) => return Ok(dir),
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(e),
        }
    }
    unreachable!("the loop returns")
}

/// Removes what killed writers left: generations the live link does not name, and pending
/// links. A pending link found when `index` is missing was written after its generation was
/// committed, and a writer died between the two renames of `publish`: it becomes `index`.
fn repair(data_dir: &Path) -> Result<(), IndexError> {
    let live = index_dir(data_dir);
    if fs::symlink_metadata(&live).is_err() {
        if let Some(pending) = resolve_pending(data_dir) {
            fs::rename(&pending, &live).map_err(|e| access_error(data_dir, e))?;
        }
    }
    let current = fs::read_link(&live).ok();
    let entries = fs::read_dir(data_dir).map_err(|e| access_error(data_dir, e))?;
    for entry in entries.flatten() {
        let name = entry.file_name();
        let name_str = name.to_string_lossy();
        let path = entry.path();
        if name_str.starts_with(PENDING_LINK) {
            fs::remove_file(&path).map_err(|e| access_error(data_dir, e))?;
        } else if name_str.starts_with(GENERATION) && current.as_deref() != Some(Path::new(&name)) {
            fs::remove_dir_all(&path).map_err(|e| access_error(data_dir, e))?;
        }
    }
    Ok(())
}

/// A pending link whose generation is complete, for a data directory without `index`.
pub(crate) fn resolve_pending(data_dir: &Path) -> Option<PathBuf> {
    let mut links: Vec<PathBuf> = fs::read_dir(data_dir)
        .ok()?
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().starts_with(PENDING_LINK))
        .map(|e| e.path())
        .filter(|p| p.join("meta.json").is_file() && p.join(VERSION_FILE).is_file())
        .collect();
    links.sort();
    links.pop()
}

/// `DATA_DIR/index` is a directory holding files lawdex never writes: someone else's.
/// tantivy's own files (also those a killed earlier lawdex left without `meta.json`) are ours.
fn is_foreign(dir: &Path) -> bool {
    let Ok(meta) = fs::symlink_metadata(dir) else {
        return false;
    };
    if meta.file_type().is_symlink() {
        return false;
    }
    if !meta.is_dir() {
        return true;
    }
    let Ok(entries) = fs::read_dir(dir) else {
        return true;
    };
    entries
        .flatten()
        .any(|e| !is_tantivy_file(&e.file_name().to_string_lossy()))
}

fn is_tantivy_file(name: &str) -> bool {
    if matches!(
        name,
        "meta.json"
            | ".managed.json"
            | ".tantivy-meta.lock"
            | ".tantivy-writer.lock"
            | VERSION_FILE
    ) {
        return true;
    }
    // Segment files: 32 hex digits, an extension; tantivy's atomic writes use temp files.
    let stem = name.split('.').next().unwrap_or("");
    (stem.len() == 32 && stem.bytes().all(|b| b.is_ascii_hexdigit())) || name.starts_with(".tmp")
}

/// Files 0600 and the directory 0700: another user can neither list nor read the index.
fn make_private(dir: &Path) -> io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        fs::set_permissions(dir, fs::Permissions::from_mode(0o700))?;
        for entry in fs::read_dir(dir)? {
            let entry = entry?;
            if entry.file_type()?.is_file() {
                fs::set_permissions(entry.path(), fs::Permissions::from_mode(0o600))?;
            }
        }
    }
    #[cfg(not(unix))]
    let _ = dir;
    Ok(())
}

#[cfg(unix)]
fn symlink(target: &Path, link: &Path) -> io::Result<()> {
    std::os::unix::fs::symlink(target, link)
}

#[cfg(windows)]
fn symlink(target: &Path, link: &Path) -> io::Result<()> {
    std::os::windows::fs::symlink_dir(target, link)
}

/// Makes renames in `dir` durable; best effort (not every filesystem syncs directories).
fn sync_dir(dir: &Path) {
    if let Ok(f) = fs::File::open(dir) {
        let _ = f.sync_all();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{DocInfo, Format, SegmentedDoc};

    fn doc(id: &str) -> SegmentedDoc {
        SegmentedDoc {
            info: DocInfo::new(id, format!("{id}.md"), id, Format::Markdown, "zh-Hans"),
            clauses: Vec::new(),
        }
    }

    fn ids(data: &Path) -> Vec<String> {
        super::super::read_documents(data)
            .unwrap()
            .into_iter()
            .map(|d| d.info.id)
            .collect()
    }

    fn write(lock: &WriteLock, rebuild: bool, id: &str) -> bool {
        let write = lock.begin(rebuild).unwrap();
        let batch = write.index().batch().unwrap();
        batch.replace(&doc(id)).unwrap();
        batch.commit().unwrap();
        let new = write.is_new();
        write.publish().unwrap();
        new
    }

    /// The calls `lawdex update` makes: a first run builds a generation, later runs change
    /// it in place, a rebuild builds another that readers see only once published.
    #[test]
    fn first_run_builds_later_runs_change_in_place_rebuild_swaps() {
        let dir = tempfile::tempdir().unwrap();
        let data = dir.path().join("data");
        let lock = WriteLock::acquire(&data, "lawdex update").unwrap();
        assert!(write(&lock, false, "a"), "a first run builds a generation");
        let first = fs::read_link(index_dir(&data)).unwrap();
        assert!(
            !write(&lock, false, "b"),
            "then the live one changes in place"
        );
        assert_eq!(fs::read_link(index_dir(&data)).unwrap(), first);
        assert_eq!(ids(&data), ["a", "b"]);

        let rebuild = lock.begin(true).unwrap();
        let batch = rebuild.index().batch().unwrap();
        batch.replace(&doc("c")).unwrap();
        batch.commit().unwrap();
        assert_eq!(
            ids(&data),
            ["a", "b"],
            "readers see the live index until publish"
        );
        rebuild.publish().unwrap();
        assert_eq!(ids(&data), ["c"]);
        assert!(!data.join(&first).exists(), "the old generation is removed");
    }

    #[test]
    fn a_killed_writers_generation_is_removed_by_the_next_writer() {
        let dir = tempfile::tempdir().unwrap();
        let data = dir.path().join("data");
        let lock = WriteLock::acquire(&data, "lawdex index").unwrap();
        write(&lock, false, "a");
        // A rebuild that never published: its generation is committed but not live.
        let killed = lock.begin(true).unwrap();
        let batch = killed.index().batch().unwrap();
        batch.replace(&doc("b")).unwrap();
        batch.commit().unwrap();
        let orphan = killed.index().dir().to_path_buf();
        drop(killed);
        assert_eq!(ids(&data), ["a"]);
        assert!(orphan.is_dir());
        assert!(!write(&lock, false, "c"));
        assert!(!orphan.exists());
        assert_eq!(ids(&data), ["a", "c"]);
    }

    #[test]
    fn tantivy_files_are_recognised() {
        assert!(is_tantivy_file("0da3cb75ff4b46229307db37b84e8e3f.store"));
        assert!(is_tantivy_file("0da3cb75ff4b46229307db37b84e8e3f.123.del"));
        assert!(is_tantivy_file("lawdex-schema"));
        assert!(is_tantivy_file(".tantivy-writer.lock"));
        assert!(!is_tantivy_file("notes.txt"));
        assert!(!is_tantivy_file("0da3cb75.store"));
    }
}
