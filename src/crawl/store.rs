//! The crawl store under `DATA_DIR/store`: raw bytes addressed by their blake3 hash
//! (`objects/ab/abcdef…`), and one fetch record per URL (`records/{blake3(url)}.json`) with
//! what the server said, so a parser upgrade re-parses without re-fetching and the next run
//! can send a conditional GET. Every write goes to a temporary file that is renamed into
//! place, so a kill leaves the old record or the new one, never half of one; files are 0600
//! and folders 0700, like the index.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use serde::{Deserialize, Serialize};

/// What one fetch of a URL gave (the last successful one: a failure never replaces it).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct FetchRecord {
    pub url: String,
    pub final_url: String,
    pub status: u16,
    pub etag: Option<String>,
    pub last_modified: Option<String>,
    pub content_type: Option<String>,
    /// RFC 3339.
    pub fetched_at: String,
    /// blake3 of the body, lowercase hex: the object's name.
    pub hash: String,
}

/// The store of one data directory.
#[derive(Debug, Clone)]
pub struct Store {
    root: PathBuf,
}

static TMP_COUNTER: AtomicU64 = AtomicU64::new(0);

impl Store {
    pub fn new(data_dir: &Path) -> Store {
        Store {
            root: data_dir.join("store"),
        }
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    /// Creates the store's folder, private as every folder under it (0700).
    pub fn create(&self) -> std::io::Result<()> {
        create_private_dir(&self.root)
    }

    /// Where the bytes of `hash` live.
    pub fn object_path(&self, hash: &str) -> PathBuf {
        let prefix = hash.get(..2).unwrap_or("00");
        self.root.join("objects").join(prefix).join(hash)
    }

    fn record_path(&self, url: &str) -> PathBuf {
        let key = blake3::hash(url.as_bytes()).to_hex();
        self.root
            .join("records")
            .join(format!("{}.json", &key[..32]))
    }

    /// Keeps `bytes`; returns their hash and file. Bytes already stored are not written again.
    pub fn put_object(&self, bytes: &[u8]) -> std::io::Result<(String, PathBuf)> {
        let hash = blake3::hash(bytes).to_hex().to_string();
        let path = self.object_path(&hash);
        let present = std::fs::metadata(&path).is_ok_and(|m| m.len() == bytes.len() as u64);
        if !present {
            write_atomic(&path, bytes)?;
        }
        Ok((hash, path))
    }

    /// The last record of `url`, if any (an unreadable record counts as none: the next fetch
    /// is then unconditional and writes a fresh one).
    pub fn record(&self, url: &str) -> Option<FetchRecord> {
        let text = std::fs::read(self.record_path(url)).ok()?;
        serde_json::from_slice::<FetchRecord>(&text)
            .ok()
            .filter(|r| r.url == url)
    }

    /// Deletes the temporary files a killed crawl left behind (`.NAME.PID-N.tmp`, never
    /// renamed into place); returns how many. Only for the holder of the data directory's
    /// write lock: no other writer can own them then.
    pub fn sweep_leftovers(&self) -> usize {
        walkdir::WalkDir::new(&self.root)
            .into_iter()
            .filter_map(Result::ok)
            .filter(|e| e.file_type().is_file())
            .filter(|e| {
                let name = e.file_name().to_string_lossy();
                name.starts_with('.') && name.ends_with(".tmp")
            })
            .filter(|e| std::fs::remove_file(e.path()).is_ok())
            .count()
    }

    pub fn put_record(&self, record: &FetchRecord) -> std::io::Result<()> {
        let mut bytes = serde_json::to_vec_pretty(record).map_err(std::io::Error::other)?;
        bytes.push(b'\n');
        write_atomic(&self.record_path(&record.url), &bytes)
    }
}

fn create_private_dir(dir: &Path) -> std::io::Result<()> {
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder.create(dir)
}

/// Writes `bytes` to `path` through a private temporary file in the same folder, synced and
/// renamed into place.
fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    create_private_dir(dir)?;
    let n = TMP_COUNTER.fetch_add(1, Ordering::Relaxed);
    let tmp = dir.join(format!(
        ".{}.{}-{n}.tmp",
        path.file_name().unwrap_or_default().to_string_lossy(),
        std::process::id()
    ));
    let result = (|| {
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create(true).truncate(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        let mut f = options.open(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        std::fs::rename(&tmp, path)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn objects_and_records_round_trip_privately() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::new(dir.path());
        store.create().unwrap();
        let (hash, path) = store.put_object(b"law text").unwrap();
        assert_eq!(hash, blake3::hash(b"law text").to_hex().to_string());
        assert_eq!(std::fs::read(&path).unwrap(), b"law text");
        let record = FetchRecord {
            url: "http://127.0.0.1/a".into(),
            final_url: "http://127.0.0.1/a".into(),
            status: 200,
            etag: Some("\"1\"".into()),
            last_modified: None,
            content_type: Some("text/html".into()),
            fetched_at: "2026-01-01T00:00:00Z".into(),
            hash: hash.clone(),
        };
        store.put_record(&record).unwrap();
        assert_eq!(store.record("http://127.0.0.1/a"), Some(record));
        assert_eq!(store.record("http://127.0.0.1/b"), None);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode(&path), 0o600);
            assert_eq!(mode(path.parent().unwrap()), 0o700);
            assert_eq!(mode(store.root()), 0o700);
            // No temporary file is left beside the object.
            assert_eq!(
                std::fs::read_dir(path.parent().unwrap()).unwrap().count(),
                1
            );
        }
    }

    #[test]
    fn leftovers_of_a_killed_crawl_are_swept_and_nothing_else() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::new(dir.path());
        let (_, object) = store.put_object(b"law text").unwrap();
        let folder = object.parent().unwrap();
        let leftover = folder.join(format!(".{}.4242-0.tmp", "abc"));
        std::fs::write(&leftover, b"half a law").unwrap();
        let record_tmp = store.root().join("records").join(".x.json.4242-1.tmp");
        std::fs::create_dir_all(record_tmp.parent().unwrap()).unwrap();
        std::fs::write(&record_tmp, b"{").unwrap();
        assert_eq!(store.sweep_leftovers(), 2);
        assert!(!leftover.exists() && !record_tmp.exists());
        assert_eq!(std::fs::read(&object).unwrap(), b"law text");
        assert_eq!(store.sweep_leftovers(), 0);
    }
}
