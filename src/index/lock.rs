//! The write lock on a data directory: one writer (`lawdex index`, `lawdex update`) at a time.
//!
//! The lock is an OS advisory lock (flock) on `DATA_DIR/lock`, so the kernel releases it when
//! its holder dies, even by SIGKILL: a lock file left by a killed process is taken over
//! silently. The file's content names the holder (pid, command, start time) for the message a
//! second writer prints. The file itself is never deleted: removing a flocked file lets a
//! third process lock a new file of the same name while the second still holds the old one.
//! Readers take no lock.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Read, Seek, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use fs4::fs_std::FileExt;

use super::IndexError;

/// Name of the lock file in the data directory.
pub const LOCK_FILE: &str = "lock";

/// Test-only hook: when this variable names a file, [`WriteLock::acquire`] waits, holding the
/// lock, for as long as that file exists (at most a minute). Tests use it to hold a real
/// writer's lock deterministically while a second writer starts; nothing else should set it.
pub const TEST_HOLD_ENV: &str = "LAWDEX_TEST_HOLD_LOCK";

/// Who holds the lock, as written in the lock file.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Holder {
    pub pid: u32,
    /// `lawdex index`, `lawdex update`.
    pub command: String,
    /// RFC 3339, UTC, seconds: `2026-12-05T13:40:00Z`.
    pub started: String,
}

/// The exclusive right to change the data directory, held until dropped.
///
/// Take it before anything in the data directory changes and keep it for the whole run:
/// `let lock = WriteLock::acquire(data_dir, "lawdex update")?;` then
/// [`WriteLock::begin`](super::WriteLock::begin) to get the index to write to.
#[derive(Debug)]
pub struct WriteLock {
    file: File,
    data_dir: PathBuf,
    holder: Holder,
}

impl WriteLock {
    /// Takes the lock on `data_dir` (created, mode 0700, when absent) for `command`.
    ///
    /// Fails with [`IndexError::LockedBy`] when another live process holds it, and with
    /// [`IndexError::ReadOnly`] when the data directory cannot be written.
    pub fn acquire(data_dir: &Path, command: &str) -> Result<WriteLock, IndexError> {
        create_private_dir(data_dir).map_err(|e| access_error(data_dir, e))?;
        let path = data_dir.join(LOCK_FILE);
        let mut file = open_lock_file(&path).map_err(|e| access_error(data_dir, e))?;
        // A lock that no live process names is being taken (the holder writes its name just
        // after locking) or released: by a process that just died, or by this one, whose
        // closed lock file a child forked by another thread keeps open until it execs. Both
        // last milliseconds, so the lock is tried again for half a second before giving up.
        let mut tries = 0;
        while !file
            .try_lock_exclusive()
            .map_err(|e| access_error(data_dir, e))?
        {
            if let Some(holder) = read_holder(&mut file) {
                return Err(IndexError::LockedBy {
                    dir: data_dir.to_path_buf(),
                    pid: holder.pid,
                    command: holder.command,
                    started: holder.started,
                });
            }
            tries += 1;
            if tries == LOCK_TRIES {
                return Err(IndexError::Locked(data_dir.to_path_buf()));
            }
            std::thread::sleep(LOCK_PAUSE);
        }
        let holder = Holder {
            pid: std::process::id(),
            command: command.to_string(),
            started: humantime::format_rfc3339_seconds(SystemTime::now()).to_string(),
        };
        let json = serde_json::to_string(&holder).unwrap_or_default();
        // Truncate and rewrite under the lock: the holder a second writer reads is ours.
        (|| {
            file.set_len(0)?;
            file.rewind()?;
            file.write_all(json.as_bytes())?;
            file.write_all(b"\n")?;
            file.sync_data()
        })()
        .map_err(|e| access_error(data_dir, e))?;
        let lock = WriteLock {
            file,
            data_dir: data_dir.to_path_buf(),
            holder,
        };
        hold_for_tests();
        Ok(lock)
    }

    /// The data directory this lock covers.
    pub fn data_dir(&self) -> &Path {
        &self.data_dir
    }

    /// Who holds it: this process.
    pub fn holder(&self) -> &Holder {
        &self.holder
    }
}

impl Drop for WriteLock {
    fn drop(&mut self) {
        // An empty file says "nobody"; closing the file releases the flock itself.
        let _ = self.file.set_len(0);
    }
}

fn open_lock_file(path: &Path) -> io::Result<File> {
    // The lock is written to: a symbolic link or a device there (planted by whoever can write
    // the data directory) would have a writer empty the file it points to.
    let not_regular = || {
        io::Error::new(
            io::ErrorKind::InvalidInput,
            format!("{} is not a regular file", path.display()),
        )
    };
    let before = match std::fs::symlink_metadata(path) {
        Ok(m) if !m.file_type().is_file() => return Err(not_regular()),
        Ok(m) => Some(m),
        Err(e) if e.kind() == io::ErrorKind::NotFound => None,
        Err(e) => return Err(e),
    };
    let mut options = OpenOptions::new();
    options.read(true).write(true).create(true).truncate(false);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let file = options.open(path)?;
    // Swapped for a link between the check and the open: refuse what was opened.
    let opened = file.metadata()?;
    let after = std::fs::symlink_metadata(path)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        let same = |m: &std::fs::Metadata| m.dev() == opened.dev() && m.ino() == opened.ino();
        if !after.file_type().is_file() || !same(&after) || before.is_some_and(|b| !same(&b)) {
            return Err(not_regular());
        }
    }
    #[cfg(not(unix))]
    if !after.file_type().is_file() || before.is_some_and(|b| !b.file_type().is_file()) {
        return Err(not_regular());
    }
    Ok(file)
}

/// How often, and how far apart, a lock no live process names is tried again (see
/// [`WriteLock::acquire`]).
pub(crate) const LOCK_TRIES: u32 = 50;
pub(crate) const LOCK_PAUSE: Duration = Duration::from_millis(10);

/// The live holder named by a locked file, if its name is there yet.
fn read_holder(file: &mut File) -> Option<Holder> {
    let mut text = String::new();
    file.rewind().ok()?;
    file.read_to_string(&mut text).ok()?;
    serde_json::from_str::<Holder>(text.trim())
        .ok()
        .filter(|h| alive(h.pid))
}

/// False only when the process is known to be gone (where `/proc` says so).
fn alive(pid: u32) -> bool {
    let proc = Path::new("/proc");
    !proc.join("self").is_dir() || proc.join(pid.to_string()).is_dir()
}

/// Creates `dir` and its missing parents; the directories created are private to the user.
pub(crate) fn create_private_dir(dir: &Path) -> io::Result<()> {
    if dir.is_dir() {
        return Ok(());
    }
    let mut builder = fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder.create(dir)
}

/// A failure to create or write in the data directory: read-only is its own message.
pub(crate) fn access_error(dir: &Path, e: io::Error) -> IndexError {
    match e.kind() {
        io::ErrorKind::PermissionDenied | io::ErrorKind::ReadOnlyFilesystem => {
            IndexError::ReadOnly {
                dir: dir.to_path_buf(),
                reason: e.to_string(),
            }
        }
        _ => super::io_error(dir, e),
    }
}

fn hold_for_tests() {
    let Some(path) = std::env::var_os(TEST_HOLD_ENV) else {
        return;
    };
    let path = PathBuf::from(path);
    for _ in 0..6000 {
        if !path.exists() {
            return;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read_file(data: &Path) -> Holder {
        let text = fs::read_to_string(data.join(LOCK_FILE)).unwrap();
        serde_json::from_str(text.trim()).unwrap()
    }

    #[test]
    fn a_second_lock_names_the_first_holder() {
        let dir = tempfile::tempdir().unwrap();
        let data = dir.path().join("data");
        let first = WriteLock::acquire(&data, "lawdex update").unwrap();
        assert_eq!(&read_file(&data), first.holder());
        let err = WriteLock::acquire(&data, "lawdex index").unwrap_err();
        let started = &first.holder().started;
        assert_eq!(
            err.to_string(),
            format!(
                "{} is locked by pid {} (lawdex update, started {started})",
                data.display(),
                std::process::id()
            )
        );
        assert!(started.ends_with('Z') && started.len() == 20, "{started}");
        drop(first);
        assert_eq!(fs::read_to_string(data.join(LOCK_FILE)).unwrap(), "");
        let again = WriteLock::acquire(&data, "lawdex index").unwrap();
        assert_eq!(again.holder().command, "lawdex index");
    }

    /// A lock held with no name in the file (a released holder's copy of the file still open
    /// in a child that has not exec'd yet) is waited for, not reported as taken.
    #[test]
    fn a_lock_being_released_is_waited_for() {
        let dir = tempfile::tempdir().unwrap();
        let data = dir.path().join("data");
        create_private_dir(&data).unwrap();
        let copy = open_lock_file(&data.join(LOCK_FILE)).unwrap();
        assert!(copy.try_lock_exclusive().unwrap());
        let release = std::thread::spawn(move || {
            std::thread::sleep(LOCK_PAUSE * 5);
            drop(copy);
        });
        let lock = WriteLock::acquire(&data, "lawdex update");
        release.join().unwrap();
        assert_eq!(lock.unwrap().holder().command, "lawdex update");
    }

    #[test]
    fn a_stale_lock_file_is_taken_over() {
        let dir = tempfile::tempdir().unwrap();
        let stale = Holder {
            pid: 999_999,
            command: "lawdex update".into(),
            started: "2026-01-01T00:00:00Z".into(),
        };
        fs::write(
            dir.path().join(LOCK_FILE),
            serde_json::to_string(&stale).unwrap(),
        )
        .unwrap();
        let lock = WriteLock::acquire(dir.path(), "lawdex index").unwrap();
        let now = read_file(dir.path());
        assert_eq!(&now, lock.holder());
        assert_eq!(now.pid, std::process::id());
    }
}
