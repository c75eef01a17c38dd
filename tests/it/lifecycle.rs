//! The index lifecycle, with the test build of the binary on two tiny corpora (the bundled
//! sample, 4 documents, and the search fixtures, 3 documents, so that a search tells which
//! one is live). Properties checked:
//!
//! 1. SIGKILL of `lawdex index --rebuild` at points spread over a whole run, and during its
//!    commit: the index always opens, verifies and answers with one committed state (never
//!    a mix, never nothing), and the next run completes. A search running throughout always
//!    answers with a committed state.
//!    The same for runs that change the live index in place.
//! 2. 100 kills in the first 50 ms of a first run or a rebuild leave nothing the next run
//!    cannot use, and nothing readers see: no index, or the last one.
//! 3. Two writers at once, on a fresh data directory and on a live index: the second exits 2
//!    with one line naming the first (pid, command, start); searches answer from the last
//!    commit meanwhile; a lock left by a killed writer is taken over silently.
//! 4. A read-only data directory: search and verify work, a writer exits 2 with one line.
//! 5. Index files are private (0600, directories 0700): another user cannot search.
//! 6. Damage: a flipped bit in the stored documents is found by `lawdex verify`, a missing
//!    segment file gets one short line with the remedy, and `--rebuild` repairs both.
//! 7. States older lawdex versions left (schema file without meta.json, segment files only,
//!    a real `index` directory) are used or replaced by the next run; a directory lawdex did
//!    not make is refused and kept.
//!
//! Kill points are scheduled by the clock or by polling for files; no assertion depends on
//! when a kill landed.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use lawdex::index::{WriteLock, LOCK_FILE, TEST_HOLD_ENV};

/// Documents, clauses and hits for 图书馆 of a committed state.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct State {
    documents: usize,
    clauses: usize,
    hits: usize,
}

const SAMPLE: State = State {
    documents: 4,
    clauses: 39,
    hits: 21,
};
const FIXTURES: State = State {
    documents: 3,
    clauses: 10,
    hits: 6,
};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn sample() -> PathBuf {
    root().join("corpus-manifest/sample.toml")
}

fn fixtures() -> PathBuf {
    root().join("tests/fixtures/search/manifest.toml")
}

fn corpus(state: State) -> PathBuf {
    if state == SAMPLE {
        sample()
    } else {
        fixtures()
    }
}

fn command(data: &Path, args: &[&str]) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_lawdex"));
    c.args(args)
        .env("LAWDEX_DATA", data)
        .env_remove(TEST_HOLD_ENV);
    c
}

fn run(data: &Path, args: &[&str]) -> Output {
    command(data, args).output().expect("run lawdex")
}

fn index_args(input: &Path, rebuild: bool) -> Vec<String> {
    let mut a = vec!["index".to_string()];
    if rebuild {
        a.push("--rebuild".into());
    }
    a.push(input.display().to_string());
    a
}

fn spawn_index(data: &Path, input: &Path, rebuild: bool) -> Child {
    let args = index_args(input, rebuild);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    command(data, &args)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn lawdex index")
}

/// Runs `lawdex index` to the end and checks it succeeded.
fn index(data: &Path, input: &Path, rebuild: bool) {
    let args = index_args(input, rebuild);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let out = run(data, &args);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
}

fn text(out: &Output) -> String {
    format!(
        "exit {:?}\nstdout: {}\nstderr: {}",
        out.status.code(),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// What readers see: `None` when there is no index yet ("run `lawdex index` first"), else
/// the verified committed state. Panics on anything else (a damaged or half-built index, a
/// failing search).
fn observe(data: &Path) -> Option<State> {
    let verify = run(data, &["verify", "--format", "json"]);
    if verify.status.code() == Some(2) && stderr(&verify).contains("run `lawdex index` first") {
        return None;
    }
    assert_eq!(verify.status.code(), Some(0), "verify: {}", text(&verify));
    let v: serde_json::Value = serde_json::from_slice(&verify.stdout).unwrap();
    let search = run(data, &["search", "图书馆", "--format", "json"]);
    assert_eq!(search.status.code(), Some(0), "search: {}", text(&search));
    let s: serde_json::Value = serde_json::from_slice(&search.stdout).unwrap();
    Some(State {
        documents: v["documents"].as_u64().unwrap() as usize,
        clauses: v["clauses"].as_u64().unwrap() as usize,
        hits: s["total"].as_u64().unwrap() as usize,
    })
}

/// The entries of a data directory, sorted, with generation names reduced to a pattern.
fn layout(data: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(data)
        .unwrap()
        .flatten()
        .map(|e| {
            let n = e.file_name().to_string_lossy().into_owned();
            if n.starts_with("index.gen-") {
                "index.gen-*".to_string()
            } else {
                n
            }
        })
        .collect();
    names.sort();
    names
}

/// Checks that a completed run left the live index (and its kept reports) and nothing else.
fn assert_clean(data: &Path) {
    let mut layout = layout(data);
    layout.retain(|n| n != "reports");
    assert_eq!(layout, ["index", "index.gen-*", LOCK_FILE], "{data:?}");
    assert!(fs::symlink_metadata(data.join("index"))
        .unwrap()
        .file_type()
        .is_symlink());
}

/// A small deterministic generator for kill delays (xorshift), seeded by the clock; the seed
/// is printed so a failing schedule can be replayed.
struct Jitter(u64);

impl Jitter {
    fn new(name: &str) -> Self {
        let seed = std::env::var("LAWDEX_TEST_SEED")
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or_else(|| {
                SystemTime::now()
                    .duration_since(UNIX_EPOCH)
                    .unwrap()
                    .as_nanos() as u64
            })
            | 1;
        eprintln!("{name}: LAWDEX_TEST_SEED={seed}");
        Jitter(seed)
    }

    /// A fraction in [0, 1).
    fn next(&mut self) -> f64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// Polls (bounded) until `ready` holds; the bound only stops a broken test from hanging.
fn wait_until(what: &str, mut ready: impl FnMut() -> bool) {
    for _ in 0..60_000 {
        if ready() {
            return;
        }
        std::thread::sleep(Duration::from_millis(1));
    }
    panic!("gave up waiting for {what}");
}

/// The generation being built (not the live one) has a commit: its `meta.json` lists a
/// segment. What remains of the run is tantivy's cleanup after the commit and the swap.
fn committed(data: &Path) -> bool {
    let live = fs::read_link(data.join("index")).unwrap_or_default();
    let Ok(entries) = fs::read_dir(data) else {
        return false;
    };
    entries.flatten().any(|e| {
        let name = e.file_name();
        name.to_string_lossy().starts_with("index.gen-")
            && Path::new(&name) != live
            && fs::read_to_string(e.path().join("meta.json"))
                .is_ok_and(|meta| meta.contains("segment_id"))
    })
}

fn kill(mut child: Child) {
    let _ = child.kill();
    let _ = child.wait();
}

// 1 ------------------------------------------------------------------------------------------

/// Stops a background reader when dropped, also when the test panics.
struct Stop(std::sync::Arc<std::sync::atomic::AtomicBool>);

impl Drop for Stop {
    fn drop(&mut self) {
        self.0.store(true, std::sync::atomic::Ordering::Relaxed);
    }
}

#[test]
fn rebuild_killed_anywhere_leaves_the_last_commit_and_the_next_run_completes() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    index(&data, &sample(), false);
    assert_eq!(observe(&data), Some(SAMPLE));
    // A reader searching throughout: every answer is one committed state, never an error.
    let stop = Stop(std::sync::Arc::new(std::sync::atomic::AtomicBool::new(
        false,
    )));
    let reader = {
        let (data, stop) = (data.clone(), stop.0.clone());
        std::thread::spawn(move || {
            let mut answers = 0;
            while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                let out = run(&data, &["search", "图书馆", "--format", "json"]);
                assert_eq!(out.status.code(), Some(0), "search: {}", text(&out));
                let s: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
                let hits = s["total"].as_u64().unwrap() as usize;
                assert!(hits == SAMPLE.hits || hits == FIXTURES.hits, "{hits} hits");
                answers += 1;
                std::thread::sleep(Duration::from_millis(100));
            }
            answers
        })
    };

    // An unkilled rebuild's length (beside the reader, as the killed ones run) spreads the
    // kill points over a run.
    let started = Instant::now();
    index(&data, &fixtures(), true);
    let length = started.elapsed();
    assert_eq!(observe(&data), Some(FIXTURES));

    let mut jitter = Jitter::new("rebuild kills");
    let mut live = FIXTURES;
    let runs = 30;
    let (mut before, mut after) = (0, 0);
    for i in 0..runs {
        let target = if live == SAMPLE { FIXTURES } else { SAMPLE };
        let child = spawn_index(&data, &corpus(target), true);
        if i % 3 == 2 {
            // At the end of the commit: as soon as the new generation's meta.json names its
            // segments, plus up to 5 ms (tantivy's cleanup, the swap, the exit).
            let spawned = Instant::now();
            wait_until("the commit", || {
                committed(&data) || spawned.elapsed() > length * 4
            });
            std::thread::sleep(Duration::from_micros((jitter.next() * 5000.0) as u64));
        } else {
            let at = length.mul_f64((i as f64 + jitter.next()) / runs as f64);
            std::thread::sleep(at);
        }
        kill(child);
        let seen = observe(&data).expect("an index was live before the kill");
        assert!(
            seen == live || seen == target,
            "run {i}: {seen:?}, neither the last commit {live:?} nor the new {target:?}"
        );
        if seen == live {
            before += 1;
        } else {
            after += 1;
        }
        // The next run completes, and leaves nothing behind (the next kill's check sees
        // what it committed).
        index(&data, &corpus(target), true);
        assert_clean(&data);
        live = target;
    }
    assert_eq!(observe(&data), Some(live));
    drop(stop);
    let answers = reader
        .join()
        .expect("every search answered a committed state");
    assert!(answers > 0);
    eprintln!("{runs} kills: {before} before the swap, {after} after it; {answers} searches");
}

/// Runs without `--rebuild` change the live index in place (as `lawdex update` will): a kill
/// leaves the last commit there too, and the next run cleans what the killed one wrote.
#[test]
fn a_run_in_place_killed_anywhere_leaves_the_last_commit() {
    let union = State {
        documents: SAMPLE.documents + FIXTURES.documents,
        clauses: SAMPLE.clauses + FIXTURES.clauses,
        hits: SAMPLE.hits + FIXTURES.hits,
    };
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    index(&data, &sample(), false);
    let started = Instant::now();
    index(&data, &sample(), false);
    let length = started.elapsed();
    let mut generation = fs::read_link(data.join("index")).unwrap();
    let mut jitter = Jitter::new("in-place kills");
    let runs = 12;
    for i in 0..runs {
        let child = spawn_index(&data, &fixtures(), false);
        std::thread::sleep(length.mul_f64((i as f64 + jitter.next()) / runs as f64));
        kill(child);
        let seen = observe(&data).expect("an index was live before the kill");
        assert!(seen == SAMPLE || seen == union, "run {i}: {seen:?}");
        assert_eq!(
            fs::read_link(data.join("index")).unwrap(),
            generation,
            "in place"
        );
        if i % 4 == 3 {
            index(&data, &fixtures(), false);
            assert_eq!(observe(&data), Some(union));
            // Back to the sample alone for the next kills.
            index(&data, &sample(), true);
            generation = fs::read_link(data.join("index")).unwrap();
        }
    }
    index(&data, &fixtures(), false);
    assert_eq!(observe(&data), Some(union));
    assert_clean(&data);
}

// 2 ------------------------------------------------------------------------------------------

/// Kills `lawdex index` within its first 50 ms: from the spawn on even rounds, from the
/// moment it took the lock on odd ones (a debug build may spend 50 ms just starting).
fn early_kill(data: &Path, input: &Path, rebuild: bool, round: usize, jitter: &mut Jitter) {
    let lock = data.join(LOCK_FILE);
    let stamp = fs::metadata(&lock).and_then(|m| m.modified()).ok();
    let child = spawn_index(data, input, rebuild);
    if round % 2 == 1 {
        let pid = child.id().to_string();
        wait_until("the lock", || {
            fs::read_to_string(&lock).is_ok_and(|t| t.contains(&format!("\"pid\":{pid},")))
                || fs::metadata(&lock).and_then(|m| m.modified()).ok() != stamp
        });
    }
    std::thread::sleep(Duration::from_micros((jitter.next() * 50_000.0) as u64));
    kill(child);
}

#[test]
fn a_hundred_kills_in_the_first_50_ms_leave_nothing_the_next_run_cannot_use() {
    let dir = tempfile::tempdir().unwrap();
    let mut jitter = Jitter::new("early kills");
    let mut kills = 0;
    // First runs: until a run completes there is no index, and readers say so.
    for d in 0..5 {
        let data = dir.path().join(format!("first-{d}"));
        for round in 0..10 {
            early_kill(&data, &sample(), false, round, &mut jitter);
            kills += 1;
            match observe(&data) {
                None => {}
                Some(s) => assert_eq!(s, SAMPLE, "kill {round} of first runs in {data:?}"),
            }
        }
        index(&data, &sample(), false);
        assert_eq!(observe(&data), Some(SAMPLE));
        assert_clean(&data);
    }
    // Rebuilds: the last commit answers throughout.
    for d in 0..5 {
        let data = dir.path().join(format!("rebuild-{d}"));
        index(&data, &sample(), false);
        for round in 0..10 {
            early_kill(&data, &fixtures(), true, round, &mut jitter);
            kills += 1;
            let seen = observe(&data);
            assert!(
                seen == Some(SAMPLE) || seen == Some(FIXTURES),
                "kill {round} of rebuilds in {data:?}: {seen:?}"
            );
        }
        index(&data, &fixtures(), true);
        assert_eq!(observe(&data), Some(FIXTURES));
        assert_clean(&data);
    }
    assert_eq!(kills, 100);
}

// 3 ------------------------------------------------------------------------------------------

/// Starts `lawdex index` holding the lock until `hold` is removed, and waits until it has
/// the lock. Returns the writer and the lock file's content.
fn held_writer(data: &Path, input: &Path, rebuild: bool, hold: &Path) -> (Child, String) {
    fs::write(hold, "").unwrap();
    let args = index_args(input, rebuild);
    let child = Command::new(env!("CARGO_BIN_EXE_lawdex"))
        .args(&args)
        .env("LAWDEX_DATA", data)
        .env(TEST_HOLD_ENV, hold)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let pid = format!("\"pid\":{},", child.id());
    let lock = data.join(LOCK_FILE);
    let mut content = String::new();
    wait_until("the first writer's lock", || {
        content = fs::read_to_string(&lock).unwrap_or_default();
        content.contains(&pid)
    });
    (child, content)
}

fn lock_line(data: &Path, content: &str) -> String {
    let holder: serde_json::Value = serde_json::from_str(content.trim()).unwrap();
    format!(
        "lawdex: {} is locked by pid {} ({}, started {})\n",
        data.display(),
        holder["pid"],
        holder["command"].as_str().unwrap(),
        holder["started"].as_str().unwrap()
    )
}

#[test]
fn a_second_writer_exits_2_naming_the_first_also_on_a_fresh_data_dir() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("fresh");
    let hold = dir.path().join("hold");

    // A fresh data directory: the first writer holds the lock before any index exists.
    let (first, content) = held_writer(&data, &sample(), false, &hold);
    assert!(
        content.contains("\"command\":\"lawdex index\""),
        "{content}"
    );
    let second = run(&data, &["index", fixtures().to_str().unwrap()]);
    assert_eq!(second.status.code(), Some(2), "{}", text(&second));
    assert_eq!(stderr(&second), lock_line(&data, &content));
    assert!(second.stdout.is_empty());
    assert_eq!(observe(&data), None, "nothing committed yet");
    fs::remove_file(&hold).unwrap();
    let first = first.wait_with_output().unwrap();
    assert_eq!(first.status.code(), Some(0), "{}", text(&first));
    assert_eq!(observe(&data), Some(SAMPLE));

    // A rebuild holding the lock: searches answer from the last commit, a second writer
    // (rebuild or not) is refused.
    let (first, content) = held_writer(&data, &fixtures(), true, &hold);
    assert_eq!(observe(&data), Some(SAMPLE));
    for args in [
        vec!["index", "--rebuild", sample().to_str().unwrap()],
        vec!["index", sample().to_str().unwrap()],
    ] {
        let second = run(&data, &args.iter().map(|s| &**s).collect::<Vec<_>>());
        assert_eq!(second.status.code(), Some(2), "{}", text(&second));
        assert_eq!(stderr(&second), lock_line(&data, &content));
    }
    fs::remove_file(&hold).unwrap();
    let first = first.wait_with_output().unwrap();
    assert_eq!(first.status.code(), Some(0), "{}", text(&first));
    assert_eq!(observe(&data), Some(FIXTURES));
    assert_clean(&data);
}

#[test]
fn the_lock_api_holds_off_lawdex_index_and_a_killed_holder_is_taken_over() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    // What `lawdex update` does: take the lock through the library for its whole run.
    let lock = WriteLock::acquire(&data, "lawdex update").unwrap();
    let out = run(&data, &["index", sample().to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    assert_eq!(
        stderr(&out),
        format!(
            "lawdex: {} is locked by pid {} (lawdex update, started {})\n",
            data.display(),
            std::process::id(),
            lock.holder().started
        )
    );
    assert_eq!(observe(&data), None, "the refused writer changed nothing");
    drop(lock);
    index(&data, &sample(), false);

    // A writer killed while holding the lock leaves a lock file naming it, which the next
    // writer takes over without a word.
    let hold = dir.path().join("hold");
    let (first, content) = held_writer(&data, &fixtures(), true, &hold);
    kill(first);
    assert_eq!(fs::read_to_string(data.join(LOCK_FILE)).unwrap(), content);
    let out = run(&data, &["index", "--rebuild", fixtures().to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    assert!(out.stderr.is_empty(), "{}", text(&out));
    assert_eq!(observe(&data), Some(FIXTURES));
    assert_clean(&data);
}

// 4, 5 ---------------------------------------------------------------------------------------

#[cfg(unix)]
mod unix {
    use super::*;
    use std::os::unix::fs::{chown, PermissionsExt};
    use std::os::unix::process::CommandExt;

    /// Another user: root's tests run lawdex as `nobody`, since permissions do not stop root.
    const NOBODY: u32 = 65534;

    fn is_root() -> bool {
        // The owner of a file we create is our effective user.
        let dir = tempfile::tempdir().unwrap();
        std::os::unix::fs::MetadataExt::uid(&fs::metadata(dir.path()).unwrap()) == 0
    }

    fn walk(dir: &Path, f: &mut dyn FnMut(&Path, &fs::Metadata)) {
        for e in fs::read_dir(dir).unwrap().flatten() {
            let meta = fs::symlink_metadata(e.path()).unwrap();
            f(&e.path(), &meta);
            if meta.is_dir() {
                walk(&e.path(), f);
            }
        }
    }

    fn set_mode(path: &Path, mode: u32) {
        fs::set_permissions(path, fs::Permissions::from_mode(mode)).unwrap();
    }

    /// Sets every directory under and including `dir` to `dirs` and every file to `files`.
    fn chmod_tree(dir: &Path, dirs: u32, files: u32) {
        let mut paths = vec![(dir.to_path_buf(), true)];
        walk(dir, &mut |p, m| {
            if !m.file_type().is_symlink() {
                paths.push((p.to_path_buf(), m.is_dir()));
            }
        });
        // Files first, then directories deepest first, so nothing is locked out midway.
        paths.sort_by_key(|(p, is_dir)| (*is_dir, std::cmp::Reverse(p.components().count())));
        for (p, is_dir) in paths {
            set_mode(&p, if is_dir { dirs } else { files });
        }
    }

    #[test]
    fn a_read_only_data_dir_is_searched_and_a_writer_exits_2_with_one_line() {
        let dir = tempfile::tempdir().unwrap();
        let data = dir.path().join("data");
        index(&data, &sample(), false);
        let root = is_root();
        let as_reader = |args: &[&str]| {
            let mut c = command(&data, args);
            if root {
                c.uid(NOBODY).gid(NOBODY);
            }
            c.output().unwrap()
        };
        if root {
            set_mode(dir.path(), 0o755);
            chown(&data, Some(NOBODY), Some(NOBODY)).unwrap();
            walk(&data, &mut |p, _| {
                std::os::unix::fs::lchown(p, Some(NOBODY), Some(NOBODY)).unwrap()
            });
        }
        chmod_tree(&data, 0o500, 0o400);

        let search = as_reader(&["search", "图书馆", "--format", "json"]);
        assert_eq!(search.status.code(), Some(0), "{}", text(&search));
        let s: serde_json::Value = serde_json::from_slice(&search.stdout).unwrap();
        assert_eq!(s["total"], SAMPLE.hits);
        let verify = as_reader(&["verify"]);
        assert_eq!(
            String::from_utf8_lossy(&verify.stdout),
            "ok: 4 documents, 39 clauses, checksums verified (2 segments)\n",
            "{}",
            text(&verify)
        );
        let show = as_reader(&["show", "mingshan.public-library-regulations/art6"]);
        assert_eq!(show.status.code(), Some(0), "{}", text(&show));

        let write = as_reader(&["index", sample().to_str().unwrap()]);
        assert_eq!(write.status.code(), Some(2), "{}", text(&write));
        let err = stderr(&write);
        assert_eq!(err.lines().count(), 1, "{err}");
        assert!(
            err.starts_with(&format!(
                "lawdex: {} is read-only (Permission denied",
                data.display()
            )),
            "{err}"
        );
        chmod_tree(&data, 0o700, 0o600);
        if root {
            // The data is untouched: root reads it as before.
            assert_eq!(observe(&data), Some(SAMPLE));
        }
    }

    #[test]
    fn index_files_are_private_to_their_owner() {
        let dir = tempfile::tempdir().unwrap();
        let data = dir.path().join("data");
        index(&data, &sample(), false);
        index(&data, &fixtures(), true);
        let mode = |p: &Path| fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&data), 0o700, "a data directory lawdex created");
        assert_eq!(mode(&data.join(LOCK_FILE)), 0o600);
        let mut files = 0;
        walk(&data, &mut |p, m| {
            if m.is_dir() {
                assert_eq!(m.permissions().mode() & 0o777, 0o700, "{p:?}");
            } else if m.is_file() {
                assert_eq!(m.permissions().mode() & 0o777, 0o600, "{p:?}");
                files += 1;
            }
        });
        assert!(files > 10, "{files} files");

        if is_root() {
            // Even with the data directory opened to everyone, another user cannot search.
            set_mode(dir.path(), 0o755);
            set_mode(&data, 0o755);
            let out = command(&data, &["search", "图书馆"])
                .uid(NOBODY)
                .gid(NOBODY)
                .output()
                .unwrap();
            assert_eq!(out.status.code(), Some(2), "{}", text(&out));
            assert!(out.stdout.is_empty(), "{}", text(&out));
        }
    }
}

// 6 ------------------------------------------------------------------------------------------

fn live_files(data: &Path, extension: &str) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = fs::read_dir(data.join("index"))
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == extension))
        .collect();
    files.sort();
    files
}

#[test]
fn a_flipped_bit_in_the_stored_documents_is_found_by_verify() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    index(&data, &sample(), false);
    let ok = run(&data, &["verify"]);
    assert_eq!(ok.status.code(), Some(0), "{}", text(&ok));
    assert_eq!(
        String::from_utf8_lossy(&ok.stdout),
        "ok: 4 documents, 39 clauses, checksums verified (2 segments)\n"
    );

    let store = live_files(&data, "store").pop().expect("a store file");
    let mut bytes = fs::read(&store).unwrap();
    let at = bytes.len() / 3;
    bytes[at] ^= 0x04;
    fs::write(&store, bytes).unwrap();
    let bad = run(&data, &["verify"]);
    assert_eq!(bad.status.code(), Some(2), "{}", text(&bad));
    let name = store.file_name().unwrap().to_string_lossy().into_owned();
    assert_eq!(
        stderr(&bad),
        format!(
            "lawdex: index at {} is damaged (checksum mismatch in {name} (stored documents)): \
             rebuild it with `lawdex index --rebuild INPUT...`\n",
            data.join("index").display()
        )
    );
    index(&data, &sample(), true);
    assert_eq!(observe(&data), Some(SAMPLE));
}

#[test]
fn a_missing_segment_file_gets_one_short_line_and_rebuild_repairs_it() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    index(&data, &sample(), false);
    let postings = live_files(&data, "idx").remove(0);
    fs::remove_file(&postings).unwrap();
    let name = postings.file_name().unwrap().to_string_lossy().into_owned();
    let expected = format!(
        "lawdex: index at {} is damaged ({name} missing): rebuild it with \
         `lawdex index --rebuild INPUT...`\n",
        data.join("index").display()
    );
    for args in [
        vec!["search", "图书馆"],
        vec!["verify"],
        vec!["show", "mingshan.public-library-regulations"],
        vec!["index", sample().to_str().unwrap()],
    ] {
        let out = run(&data, &args);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", text(&out));
        assert_eq!(stderr(&out), expected, "{args:?}");
    }
    index(&data, &sample(), true);
    assert_eq!(observe(&data), Some(SAMPLE));
    assert_clean(&data);
}

// 7 ------------------------------------------------------------------------------------------

/// Makes `data/index` a real directory holding a committed index, as lawdex wrote it before
/// generations, and returns it.
fn legacy(data: &Path) -> PathBuf {
    index(data, &sample(), false);
    let live = data.join("index");
    let generation = data.join(fs::read_link(&live).unwrap());
    fs::remove_file(&live).unwrap();
    fs::rename(generation, &live).unwrap();
    live
}

#[test]
fn states_killed_earlier_versions_left_are_used_by_the_next_run() {
    let dir = tempfile::tempdir().unwrap();

    // A schema file without meta.json (killed in the first milliseconds of a first run).
    let data = dir.path().join("schema-only");
    fs::create_dir_all(data.join("index")).unwrap();
    fs::write(
        data.join("index/lawdex-schema"),
        format!("{}\n", lawdex::index::SCHEMA_VERSION),
    )
    .unwrap();
    assert_eq!(observe(&data), None);
    index(&data, &sample(), false);
    assert_eq!(observe(&data), Some(SAMPLE));
    assert_clean(&data);

    // Only segment files (the rest deleted by a killed --rebuild): --rebuild no longer
    // refuses them, and a plain run uses the directory too.
    for rebuild in [true, false] {
        let data = dir.path().join(format!("segments-only-{rebuild}"));
        let live = legacy(&data);
        for f in fs::read_dir(&live).unwrap().flatten() {
            let n = f.file_name().to_string_lossy().into_owned();
            if n == "meta.json" || n == "lawdex-schema" || n.starts_with(".") {
                fs::remove_file(f.path()).unwrap();
            }
        }
        assert_eq!(observe(&data), None);
        index(&data, &fixtures(), rebuild);
        assert_eq!(observe(&data), Some(FIXTURES));
        assert_clean(&data);
    }

    // A complete index in a real directory: read and changed in place, then replaced by a
    // generation on --rebuild.
    let data = dir.path().join("legacy");
    legacy(&data);
    assert_eq!(observe(&data), Some(SAMPLE));
    index(&data, &fixtures(), false);
    assert_eq!(
        observe(&data).map(|s| s.documents),
        Some(SAMPLE.documents + FIXTURES.documents)
    );
    index(&data, &fixtures(), true);
    assert_eq!(observe(&data), Some(FIXTURES));
    assert_clean(&data);

    // Killed between the two renames that replace a real directory: the pending link is
    // read, and the next writer puts it in place.
    let data = dir.path().join("pending");
    index(&data, &fixtures(), false);
    fs::rename(data.join("index"), data.join("index.link-4242")).unwrap();
    assert_eq!(observe(&data), Some(FIXTURES));
    index(&data, &sample(), false);
    assert_eq!(
        observe(&data).map(|s| s.documents),
        Some(SAMPLE.documents + FIXTURES.documents)
    );
    assert_clean(&data);

    // A directory lawdex did not make is refused and kept, rebuild or not.
    let data = dir.path().join("foreign");
    fs::create_dir_all(data.join("index")).unwrap();
    fs::write(data.join("index/notes.txt"), "mine").unwrap();
    for rebuild in [false, true] {
        let args = index_args(&sample(), rebuild);
        let out = run(&data, &args.iter().map(String::as_str).collect::<Vec<_>>());
        assert_eq!(out.status.code(), Some(2), "{}", text(&out));
        assert_eq!(
            stderr(&out),
            format!(
                "lawdex: {} exists but is not a lawdex index; choose another --data-dir\n",
                data.join("index").display()
            )
        );
    }
    assert_eq!(
        fs::read_to_string(data.join("index/notes.txt")).unwrap(),
        "mine"
    );
}

/// Links planted in the data directory by whoever can write it: a writer never empties the
/// file a `lock` link points to, and never deletes the directory an `index` link points to
/// (outside the data directory, holding files lawdex never wrote). Found by a hostile-input
/// review: the lock target was truncated and the link's target deleted, with exit 0.
#[test]
#[cfg(unix)]
fn links_planted_in_the_data_dir_are_never_followed_into_to_write_or_delete() {
    use std::os::unix::fs::symlink;
    let dir = tempfile::tempdir().unwrap();
    let precious = dir.path().join("precious.txt");
    fs::write(&precious, "precious content").unwrap();
    let data = dir.path().join("lock-link");
    fs::create_dir_all(&data).unwrap();
    symlink(&precious, data.join(LOCK_FILE)).unwrap();
    let out = run(&data, &["index", sample().to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    let err = stderr(&out);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("is not a regular file"), "{err}");
    assert_eq!(fs::read_to_string(&precious).unwrap(), "precious content");

    let victim = dir.path().join("victim");
    fs::create_dir_all(victim.join("sub")).unwrap();
    fs::write(victim.join("important.txt"), "keep").unwrap();
    fs::write(victim.join("sub/b.txt"), "keep too").unwrap();
    let data = dir.path().join("index-link");
    fs::create_dir_all(&data).unwrap();
    symlink(&victim, data.join("index")).unwrap();
    for rebuild in [false, true] {
        let args = index_args(&sample(), rebuild);
        let _ = run(&data, &args.iter().map(String::as_str).collect::<Vec<_>>());
        assert_eq!(
            fs::read_to_string(victim.join("important.txt")).unwrap(),
            "keep"
        );
        assert_eq!(
            fs::read_to_string(victim.join("sub/b.txt")).unwrap(),
            "keep too"
        );
    }
}
