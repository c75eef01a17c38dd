//! `lawdex index [--data-dir DIR] INPUT...`: parse, segment and index files, directories and
//! manifests: new and changed documents are (re)indexed, unchanged ones left alone, and what a
//! directory or manifest no longer names is removed. Also the change report that `update` and
//! `remove` print.

use std::io::{self, IsTerminal, Write};
use std::path::{Path, PathBuf};

use anyhow::Result;
use indicatif::{ProgressBar, ProgressStyle};

use lawdex::ingest::{self, Change, ChangeState, IngestOptions, IngestReport, Progress};
use lawdex::parse::Limits;

use super::Outcome;

/// Where the data lives: `--data-dir`, else `$LAWDEX_DATA`, else `./lawdex-data`.
#[derive(Debug, Clone, clap::Args)]
pub struct DataDir {
    /// Data directory (the index is in DIR/index). Default: $LAWDEX_DATA, else ./lawdex-data.
    #[arg(long, value_name = "DIR")]
    data_dir: Option<PathBuf>,
}

impl DataDir {
    pub fn resolve(&self) -> PathBuf {
        self.data_dir
            .clone()
            .or_else(|| std::env::var_os("LAWDEX_DATA").map(PathBuf::from))
            .unwrap_or_else(|| PathBuf::from("lawdex-data"))
    }
}

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Files, directories (walked recursively; hidden files skipped) or manifests (*.toml).
    #[arg(required = true, value_name = "INPUT")]
    inputs: Vec<PathBuf>,
    #[command(flatten)]
    data: DataDir,
    /// Build a new index and swap it in when committed (after "re-index required"); searches
    /// answer from the old one until then.
    #[arg(long)]
    rebuild: bool,
    #[command(flatten)]
    change: ChangeArgs,
    /// Also print one line per document (id, structure, clauses, source).
    #[arg(long, short)]
    verbose: bool,
    /// Report format: `table` for people, `json` for tools.
    #[arg(long, value_enum, default_value_t = ReportFormat::Table)]
    format: ReportFormat,
    #[command(flatten)]
    limits: LimitArgs,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ReportFormat {
    Table,
    Json,
}

/// A progress bar on stderr, drawn only when stderr is a terminal.
pub struct Bar(Option<ProgressBar>);

impl Progress for Bar {
    fn start(&self, total: usize) {
        if let Some(b) = &self.0 {
            b.set_length(total as u64);
        }
    }

    fn advance(&self, _source: &str) {
        if let Some(b) = &self.0 {
            b.inc(1);
        }
    }

    fn committing(&self) {
        if let Some(b) = &self.0 {
            b.set_message("committing");
        }
    }
}

pub fn run(args: Args) -> Result<Outcome> {
    let data_dir = args.data.resolve();
    let options = IngestOptions {
        limits: args.limits.limits(),
        rebuild: args.rebuild,
        accept_shrink: args.change.accept_shrink,
        dry_run: args.change.dry_run,
    };
    let bar = Bar::new();
    // Index errors name the data directory themselves, and the lock's message is one line.
    let result = ingest::ingest(&args.inputs, &data_dir, &options, &bar);
    bar.finish();
    let report = match result {
        Ok(r) => r,
        Err(e) => return Err(fatal(e, &data_dir, args.format)),
    };
    finish(&data_dir, &report, args.format, args.verbose)
}

/// A run that could not finish: the error for stderr, and for `--format json` a record on
/// stdout too, so a tool reading stdout learns why there is no report.
pub fn fatal(e: ingest::IngestError, data_dir: &Path, format: ReportFormat) -> anyhow::Error {
    let kind = match &e {
        ingest::IngestError::Manifest(_) => "manifest",
        ingest::IngestError::Index(_) => "index",
    };
    // Index errors name the data directory themselves, and the lock's message is one line.
    let e = match e {
        ingest::IngestError::Index(e) => anyhow::Error::new(e),
        e => anyhow::Error::new(e).context(format!("indexing into {}", data_dir.display())),
    };
    if format == ReportFormat::Json {
        let record = serde_json::json!({ "error": kind, "message": format!("{e:#}") });
        let mut out = io::stdout().lock();
        let _ = serde_json::to_writer_pretty(&mut out, &record);
        let _ = writeln!(out);
    }
    e
}

/// A manifest that does not load, for `update` and `crawl`: as [`fatal`], with `--format
/// json` the record `{"error": "manifest", "message": …}` on stdout too.
pub fn manifest_fatal(e: lawdex::crawl::ManifestError, format: ReportFormat) -> anyhow::Error {
    let e = anyhow::Error::new(e);
    if format == ReportFormat::Json {
        let record = serde_json::json!({ "error": "manifest", "message": format!("{e:#}") });
        let mut out = io::stdout().lock();
        let _ = serde_json::to_writer_pretty(&mut out, &record);
        let _ = writeln!(out);
    }
    e
}

/// What one document may cost, for every command that parses files: its size and its parse
/// budget.
#[derive(Debug, Clone, clap::Args)]
pub struct LimitArgs {
    /// Largest file (or fetched document) accepted, in bytes.
    #[arg(long, default_value_t = Limits::default().max_bytes, value_name = "BYTES")]
    pub max_bytes: u64,
    /// Most seconds one document may take to parse and segment; past it the document is a
    /// one-line error and the batch goes on.
    #[arg(long, default_value_t = Limits::default().parse_time.as_secs(), value_name = "SECONDS")]
    pub parse_seconds: u64,
    /// Most steps (lines, blocks, PDF content operators, XML and HTML nodes) one document may
    /// take: a budget that does not depend on the machine's speed. Default: no cap.
    #[arg(long, value_name = "N")]
    pub parse_steps: Option<u64>,
}

impl LimitArgs {
    /// The parse limits these flags give.
    pub fn limits(&self) -> Limits {
        Limits {
            max_bytes: self.max_bytes,
            parse_time: std::time::Duration::from_secs(self.parse_seconds),
            parse_steps: self.parse_steps.unwrap_or(u64::MAX),
            ..Limits::default()
        }
    }
}

/// Flags `index` and `update` share: what to do with a suspect text, and whether to write.
#[derive(Debug, Clone, clap::Args)]
pub struct ChangeArgs {
    /// Index a new text even when it lost all or most of its articles (a repeal, a
    /// consolidation); without it such a text is held back as suspect (exit 1).
    #[arg(long)]
    pub accept_shrink: bool,
    /// Say what would change, and write nothing (no index commit, no report file).
    #[arg(long)]
    pub dry_run: bool,
}

impl Bar {
    /// A bar when stderr is a terminal, else nothing.
    pub fn new() -> Bar {
        Bar(io::stderr().is_terminal().then(|| {
            let b = ProgressBar::new(0);
            b.set_style(
                ProgressStyle::with_template("{bar:40} {pos}/{len} documents {elapsed} {msg}")
                    .unwrap_or_else(|_| ProgressStyle::default_bar()),
            );
            b
        }))
    }

    pub fn finish(&self) {
        if let Some(b) = &self.0 {
            b.finish_and_clear();
        }
    }
}

/// Keeps the report (unless a dry run), prints it, and gives the exit code: 1 when a source
/// failed or a text was held back as suspect.
pub fn finish(
    data_dir: &Path,
    report: &IngestReport,
    format: ReportFormat,
    verbose: bool,
) -> Result<Outcome> {
    let kept = if report.dry_run {
        None
    } else {
        match ingest::report::save(data_dir, report) {
            Ok(path) => Some(path),
            Err(e) => {
                // The index is committed; a report that could not be kept is worth a line,
                // not a failed run.
                let _ = writeln!(
                    io::stderr(),
                    "lawdex: warning: could not keep the report in {}: {e}",
                    ingest::report::reports_dir(data_dir).display()
                );
                None
            }
        }
    };
    let mut out = io::stdout().lock();
    match format {
        ReportFormat::Json => {
            serde_json::to_writer_pretty(&mut out, report)?;
            writeln!(out)?;
        }
        ReportFormat::Table => print_report(&mut out, report, verbose, kept.as_deref())?,
    }
    // A failure, a suspect text, or inputs in which no law was found (only skipped files, or
    // none) is "finished, but not what you asked for", like an empty search. An unchanged
    // re-run found its laws (unchanged); `remove` reads no inputs.
    let no_law_read = report.new + report.changed + report.unchanged == 0;
    Ok(
        if report.has_problems() || (no_law_read && report.command != "remove") {
            Outcome::Partial
        } else {
            Outcome::Success
        },
    )
}

/// Articles listed per document and kind of change in the table.
const ARTICLES_SHOWN: usize = 10;

/// New documents, and changed ones without a changed article, listed in the table.
const DOCUMENTS_SHOWN: usize = 20;

/// The report for people: what was indexed, the counts, each change down to the article and
/// the coverage state, then what was held back, failed or skipped.
pub fn print_report(
    out: &mut impl Write,
    r: &IngestReport,
    verbose: bool,
    kept: Option<&Path>,
) -> io::Result<()> {
    use lawdex::search::snippet::terminal_safe as safe;
    if verbose {
        for d in &r.indexed {
            writeln!(
                out,
                "{:<48} {:<15} {:>13}  {}",
                safe(&d.id),
                d.structure,
                super::count(d.clauses, "clause", "clauses"),
                safe(&d.source)
            )?;
            for w in &d.warnings {
                writeln!(out, "    warning: {}", safe(w))?;
            }
        }
    }
    if r.command != "remove" {
        let structures: Vec<String> = r
            .structures()
            .iter()
            .map(|(s, n)| {
                let what = match *s {
                    "articles" => "with articles",
                    "amendment-items" => "in numbered items (一、二、…)",
                    "unstructured" => "not article-structured",
                    other => other,
                };
                format!("{n} {what}")
            })
            .collect();
        writeln!(
            out,
            "{} {}, {} into {} in {:.1} s ({})",
            if r.dry_run {
                "dry run, nothing written: would index"
            } else {
                "indexed"
            },
            super::count(r.indexed.len(), "document", "documents"),
            super::count(r.clauses_indexed(), "clause", "clauses"),
            r.index_dir.display(),
            r.elapsed.as_secs_f64(),
            if structures.is_empty() {
                "none".to_string()
            } else {
                structures.join(", ")
            }
        )?;
    }
    if r.command == "update" {
        writeln!(
            out,
            "fetched {}, not modified {}",
            r.fetched, r.not_modified
        )?;
    }
    let counts = if r.command == "remove" {
        format!("{} removed", r.removed)
    } else {
        format!(
            "{} new, {} changed, {} removed, {} unchanged{}",
            r.new,
            r.changed,
            r.removed,
            r.unchanged,
            if r.suspect.is_empty() {
                String::new()
            } else {
                format!(", {} suspect", r.suspect.len())
            }
        )
    };
    writeln!(
        out,
        "{counts}; the index {} {}, {}",
        if r.dry_run { "would hold" } else { "holds" },
        super::count(r.documents, "document", "documents"),
        super::count(r.clauses, "clause", "clauses")
    )?;
    // A first index of a large corpus, or a parser upgrade that re-parses everything, would
    // print thousands of lines: new documents and changes without a changed article are
    // listed up to DOCUMENTS_SHOWN each (all with --verbose; the JSON always has them all).
    let quiet = |c: &&Change| match c.state {
        ChangeState::New => true,
        ChangeState::Changed => c.articles.is_empty() && c.coverage.is_empty(),
        ChangeState::Removed => false,
    };
    let mut shown = [0usize; 2];
    let mut hidden = [0usize; 2];
    for c in &r.changes {
        if quiet(&c) && !verbose {
            let k = usize::from(c.state == ChangeState::Changed);
            if shown[k] >= DOCUMENTS_SHOWN {
                hidden[k] += 1;
                continue;
            }
            shown[k] += 1;
        }
        writeln!(
            out,
            "  {:<8} {}  {} ({}){}",
            c.state.name(),
            safe(&c.id),
            safe(&c.title),
            super::count(c.clauses, "clause", "clauses"),
            if c.state == ChangeState::Changed && c.articles.is_empty() {
                "  no article changed"
            } else {
                ""
            }
        )?;
        if let Some(w) = c.work.as_ref().filter(|w| w.role != "new-work") {
            let mut line = match w.role.as_str() {
                "copy" => format!("copy of version {} of {}", safe(&w.version), safe(&w.work)),
                _ => format!("new version {} of {}", safe(&w.version), safe(&w.work)),
            };
            line.push_str(&format!(", {}", w.status));
            if !w.supersedes.is_empty() {
                line.push_str(&format!("; supersedes {}", safe(&w.supersedes.join(", "))));
            }
            writeln!(out, "      {line}")?;
        }
        for (labels, what) in [
            (&c.articles.changed, "changed"),
            (&c.articles.added, "added"),
            (&c.articles.removed, "removed"),
            (&c.articles.renumbered, "renumbered"),
        ] {
            // The JSON lists them all; people get the first few of a long list.
            for l in labels.iter().take(ARTICLES_SHOWN) {
                writeln!(out, "      {}: {what}", safe(l))?;
            }
            if labels.len() > ARTICLES_SHOWN {
                writeln!(
                    out,
                    "      … and {} more {what}",
                    labels.len() - ARTICLES_SHOWN
                )?;
            }
        }
        for m in &c.coverage {
            writeln!(out, "      {}: {} → {}", safe(&m.obligation), m.from, m.to)?;
        }
    }
    for (n, what) in [
        (hidden[0], "new"),
        (hidden[1], "changed with no article changed"),
    ] {
        if n > 0 {
            writeln!(
                out,
                "  … and {n} more {what} (--verbose or --format json lists them)"
            )?;
        }
    }
    if !r.suspect.is_empty() {
        writeln!(
            out,
            "suspect {} (held back: the last good text stays indexed; --accept-shrink {} it):",
            r.suspect.len(),
            if r.dry_run { "would index" } else { "indexes" }
        )?;
        for s in &r.suspect {
            writeln!(
                out,
                "  {} ({}): {}",
                safe(&s.id),
                safe(&s.source),
                safe(&s.reason)
            )?;
        }
    }
    // Files a walk met that are not laws (or links it did not follow), and URLs the crawl
    // left alone (robots.txt, scope, max_pages): each listed with its reason.
    for (urls, one, many) in [(false, "file", "files"), (true, "URL", "URLs")] {
        let group: Vec<_> = r
            .skipped
            .iter()
            .filter(|s| s.url.is_some() == urls)
            .collect();
        if group.is_empty() {
            continue;
        }
        writeln!(out, "skipped {}:", super::count(group.len(), one, many))?;
        for s in group {
            writeln!(out, "  {}: {}", safe(&s.source), safe(&s.reason))?;
        }
    }
    if !r.failed.is_empty() {
        writeln!(out, "failed {}:", r.failed.len())?;
        for f in &r.failed {
            writeln!(out, "  {}: {}", safe(&f.source), safe(&f.error))?;
        }
    }
    if let Some(path) = kept {
        writeln!(out, "report: {}", path.display())?;
    }
    Ok(())
}
