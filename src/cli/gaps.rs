//! `lawdex gaps`: the coverage matrix of documents × obligations of a taxonomy.
//!
//! Exit codes, like a linter: 0 when every reported cell is covered (or not applicable: a
//! document out of scope has nothing to cover), 1 when the report holds at least one gap or
//! unknown cell, 2 on an error (bad taxonomy, unreadable index, no such document).

use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};

use lawdex::coverage::render::View;
use lawdex::coverage::{
    render, CorpusCoverage, Matcher, Report, ReportOptions, Taxonomy, Unreadable,
};
use lawdex::ingest;
use lawdex::model::SegmentedDoc;
use lawdex::parse::Limits;
use lawdex::work::{CalendarDate, Scope as Versions};

use super::Outcome;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Data directory holding the index [default: $LAWDEX_DATA or ./lawdex-data].
    #[arg(long, value_name = "DIR")]
    data_dir: Option<PathBuf>,
    /// Read the corpus from these files or directories instead of the index (a SOURCES.tsv
    /// in a directory supplies jurisdiction, level and language).
    #[arg(long, value_name = "PATH")]
    corpus: Vec<PathBuf>,
    /// Taxonomy file [default: the built-in library-social-responsibility taxonomy].
    #[arg(long, value_name = "FILE")]
    taxonomy: Option<PathBuf>,
    /// Report only this document (repeatable).
    #[arg(long = "doc", value_name = "ID")]
    docs: Vec<String>,
    /// Report only documents of this jurisdiction (repeatable); `CN` also selects `CN-SH`.
    #[arg(long, value_name = "CODE")]
    jurisdiction: Vec<String>,
    /// Check a file that is not indexed (any supported format) against the taxonomy, with
    /// model clauses for its gaps from the corpus.
    #[arg(long, value_name = "FILE")]
    draft: Option<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = OutputFormat::Table)]
    format: OutputFormat,
    /// Write the report to this file instead of standard output.
    #[arg(long, short = 'o', value_name = "FILE")]
    output: Option<PathBuf>,
    /// Evidence clauses kept per covered cell.
    #[arg(long, default_value_t = 5, value_name = "N")]
    max_evidence: usize,
    /// Model clauses offered per gap [default: 3 for a draft or a single document, 0 for a
    /// matrix].
    #[arg(long, value_name = "N")]
    suggestions: Option<usize>,
    /// List the documents out of scope (never naming the subject) in the table, Markdown, CSV
    /// and HTML; they are always counted, and always in the JSON.
    #[arg(long)]
    all: bool,
    /// One row per law is its version in force (one copy of it) by default; this lists every
    /// version and copy as a row of its own.
    #[arg(long, conflicts_with = "as_of")]
    all_versions: bool,
    /// Rows for each law as it stood on this day (YYYY-MM-DD, YYYY-MM or YYYY).
    #[arg(long, value_parser = parse_day, value_name = "DATE")]
    as_of: Option<CalendarDate>,
    #[command(flatten)]
    limits: super::index::LimitArgs,
}

fn parse_day(s: &str) -> Result<CalendarDate, String> {
    CalendarDate::parse(s).ok_or_else(|| format!("{s:?} is not a date such as 2018-01-01"))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum OutputFormat {
    Table,
    Json,
    Csv,
    Md,
    Html,
}

/// Where the documents come from, resolved from the flags.
enum CorpusSource {
    Index(PathBuf),
    Files(Vec<PathBuf>),
}

struct Settings {
    taxonomy: Option<PathBuf>,
    source: CorpusSource,
    draft: Option<PathBuf>,
    docs: Vec<String>,
    jurisdictions: Vec<String>,
    format: OutputFormat,
    output: Option<PathBuf>,
    options: ReportOptions,
    /// `--suggestions` as given; resolved once the number of rows is known.
    suggestions: Option<usize>,
    view: View,
    limits: Limits,
    versions: Versions,
}

impl Settings {
    fn resolve(args: Args) -> Settings {
        let source = if args.corpus.is_empty() {
            let data = args
                .data_dir
                .or_else(|| std::env::var_os("LAWDEX_DATA").map(PathBuf::from))
                .unwrap_or_else(|| PathBuf::from("lawdex-data"));
            CorpusSource::Index(data)
        } else {
            CorpusSource::Files(args.corpus)
        };
        Settings {
            taxonomy: args.taxonomy,
            source,
            draft: args.draft,
            docs: args.docs,
            jurisdictions: args.jurisdiction,
            format: args.format,
            output: args.output,
            options: ReportOptions {
                max_evidence: args.max_evidence,
                max_suggestions: 0,
            },
            suggestions: args.suggestions,
            view: View { all: args.all },
            limits: args.limits.limits(),
            versions: match (args.all_versions, args.as_of) {
                (true, _) => Versions::All,
                (false, Some(day)) => Versions::AsOf(day),
                (false, None) => Versions::Current,
            },
        }
    }
}

pub fn run(args: Args) -> Result<Outcome> {
    let s = Settings::resolve(args);
    let mut stderr = io::stderr();
    if let Some(draft) = &s.draft {
        // The draft is the one input the user asked about: if it cannot be read there is no
        // report, and a gap report (exit 1) would read as "the draft has gaps".
        // Not opened here: opening a FIFO would wait for a writer.
        let meta =
            std::fs::metadata(draft).with_context(|| format!("--draft {}", draft.display()))?;
        if !meta.is_file() {
            anyhow::bail!(
                "--draft {}: not a regular file (a directory, pipe, socket or device)",
                draft.display()
            );
        }
    }
    let taxonomy = match &s.taxonomy {
        Some(path) => Taxonomy::load(path)?,
        None => Taxonomy::library_social_responsibility()?,
    };
    for w in &taxonomy.warnings {
        writeln!(stderr, "lawdex: warning: {w}")?;
    }
    let matcher = Matcher::new(taxonomy)?;

    let (docs, unreadable) = match load_corpus(&s) {
        Ok(c) => c,
        // A draft can be checked without a corpus; it only loses its model clauses.
        Err(e) if s.draft.is_some() => {
            writeln!(
                stderr,
                "lawdex: warning: no corpus for model clauses ({e:#}); pass --corpus DIR"
            )?;
            (Vec::new(), Vec::new())
        }
        Err(e) => return Err(e),
    };
    let coverage = CorpusCoverage::compute(&matcher, &docs);
    let mut nothing: Option<String> = None;

    let report = match &s.draft {
        Some(path) => {
            // Parsed and segmented exactly as an indexed document would be.
            let loaded = ingest::load(std::slice::from_ref(path), &s.limits)?;
            if let (Some(f), true) = (loaded.failures.first(), loaded.documents.is_empty()) {
                bail!("--draft {}: {}", f.source, f.error);
            }
            if let (Some(skip), true) = (loaded.skipped.first(), loaded.documents.is_empty()) {
                bail!("--draft {}: {}", skip.source, skip.reason);
            }
            // A draft is checked article by article: a text with none (a letter, a note) is
            // no law text to check, not a row of 19 unknown cells.
            if let (Some(d), true) = (
                loaded.documents.first(),
                loaded.documents.iter().all(|d| d.clauses.is_empty()),
            ) {
                bail!(
                    "--draft {}: no articles found (第一条 …, Article 1, §1): not a law text to check",
                    d.info.source
                );
            }
            let failed: Vec<Unreadable> = loaded.failures.iter().map(unreadable_from).collect();
            let draft = loaded.documents;
            let options = ReportOptions {
                max_suggestions: s.suggestions.unwrap_or(DEFAULT_SUGGESTIONS),
                ..s.options
            };
            coverage.report_external(&draft, &failed, options)
        }
        None => {
            let rows = select_rows(&docs, &s, &coverage.works().excluded(s.versions))?;
            if rows.is_empty() {
                nothing = Some(nothing_matched(&docs, &s));
                if s.format == OutputFormat::Table && s.output.is_none() {
                    writeln!(io::stdout(), "{}", nothing.as_deref().unwrap_or_default())?;
                    return Ok(Outcome::Partial);
                }
            }
            let failed: Vec<Unreadable> = unreadable
                .into_iter()
                .filter(|u| s.docs.is_empty() || s.docs.contains(&u.doc_id))
                .filter(|_| s.jurisdictions.is_empty())
                .collect();
            // Model clauses for every gap of a matrix made the bulk JSON 209 MB: a matrix
            // gets them only when asked, a single document by default.
            let single = rows.len() + failed.len() == 1;
            let options = ReportOptions {
                max_suggestions: s.suggestions.unwrap_or(if single {
                    DEFAULT_SUGGESTIONS
                } else {
                    0
                }),
                ..s.options
            };
            coverage.report(&rows, &failed, options)
        }
    };
    for d in &report.documents {
        if let Some(reason) = &d.unknown {
            writeln!(stderr, "lawdex: {}: unknown: {reason}", d.source)?;
        }
    }
    write_report(&report, &s)?;
    if let Some(why) = nothing {
        // The empty report was written for tools; people read why it is empty.
        writeln!(stderr, "lawdex: {why}")?;
        return Ok(Outcome::Partial);
    }
    let t = report.totals();
    if t.out_of_scope > 0 && !s.view.all && s.format != OutputFormat::Json {
        writeln!(
            stderr,
            "lawdex: {} of {} out of scope (never name the subject): shown apart; \
             --all lists them",
            t.out_of_scope,
            super::count(report.documents.len(), "document", "documents")
        )?;
    }
    let (gaps, unknown) = (t.gaps, t.unknown);
    Ok(if gaps == 0 && unknown == 0 {
        Outcome::Success
    } else {
        Outcome::Partial
    })
}

/// No document was selected (an empty index, or `--jurisdiction ZZ`): say so and exit 1,
/// like a search that finds nothing, instead of an empty matrix that exits 0 ("all covered").
/// Returns why nothing was selected.
fn nothing_matched(docs: &[SegmentedDoc], s: &Settings) -> String {
    let mut known: Vec<&str> = docs
        .iter()
        .map(|d| d.info.jurisdiction.as_str())
        .filter(|j| !j.is_empty())
        .collect();
    known.sort_unstable();
    known.dedup();
    if docs.is_empty() {
        "the corpus holds no documents".to_string()
    } else if s.jurisdictions.is_empty() {
        match s.versions {
            Versions::AsOf(day) => format!("no law of the corpus was in force on {day}"),
            _ => "no document selected".to_string(),
        }
    } else {
        format!(
            "no document matches --jurisdiction {} (jurisdictions in the corpus: {})",
            s.jurisdictions.join(","),
            if known.is_empty() {
                "none recorded".to_string()
            } else {
                known.join(", ")
            }
        )
    }
}

/// Model clauses per gap for a draft or a single document when `--suggestions` is not given.
const DEFAULT_SUGGESTIONS: usize = 3;

fn load_corpus(s: &Settings) -> Result<(Vec<SegmentedDoc>, Vec<Unreadable>)> {
    match &s.source {
        CorpusSource::Files(paths) => {
            let c = ingest::load(paths, &s.limits)?;
            let failed = c.failures.iter().map(unreadable_from).collect();
            Ok((c.documents, failed))
        }
        CorpusSource::Index(data_dir) => Ok((read_index(data_dir)?, Vec::new())),
    }
}

/// Every indexed document with its clauses (a document indexed without clauses is reported
/// `unknown`, never as a row of gaps).
fn read_index(data_dir: &Path) -> Result<Vec<SegmentedDoc>> {
    lawdex::index::read_documents(data_dir)
        .with_context(|| format!("cannot read the index in {}", data_dir.display()))
}

fn unreadable_from(f: &ingest::Failure) -> Unreadable {
    Unreadable {
        doc_id: lawdex::model::doc_id_from_path(Path::new(&f.source)),
        source: f.source.clone(),
        reason: f.error.clone(),
    }
}

/// The rows asked for: `--doc` ids whatever their version; otherwise, of each law, the
/// version the scope chooses (`excluded` holds the others).
fn select_rows(
    docs: &[SegmentedDoc],
    s: &Settings,
    excluded: &std::collections::HashSet<String>,
) -> Result<Vec<usize>> {
    for id in &s.docs {
        if !docs.iter().any(|d| &d.info.id == id) {
            bail!("no document with id `{id}` in the corpus");
        }
    }
    let wanted_jurisdiction = |j: &str| {
        s.jurisdictions.is_empty()
            || s.jurisdictions.iter().any(|w| {
                j.eq_ignore_ascii_case(w)
                    || (j.len() > w.len()
                        && j[..w.len()].eq_ignore_ascii_case(w)
                        && j.as_bytes()[w.len()] == b'-')
            })
    };
    Ok(docs
        .iter()
        .enumerate()
        .filter(|(_, d)| s.docs.is_empty() || s.docs.contains(&d.info.id))
        .filter(|(_, d)| !s.docs.is_empty() || !excluded.contains(&d.info.id))
        .filter(|(_, d)| wanted_jurisdiction(&d.info.jurisdiction))
        .map(|(i, _)| i)
        .collect())
}

fn write_report(report: &Report, s: &Settings) -> Result<()> {
    let mut out: Box<dyn Write> = match &s.output {
        Some(path) => Box::new(BufWriter::new(
            File::create(path).with_context(|| format!("cannot write {}", path.display()))?,
        )),
        None => Box::new(BufWriter::new(io::stdout().lock())),
    };
    match s.format {
        OutputFormat::Table if report.documents.len() == 1 => {
            render::write_details(report, &mut out)?
        }
        OutputFormat::Table => render::write_table(report, s.view, &mut out)?,
        OutputFormat::Json => render::write_json(report, &mut out)?,
        OutputFormat::Csv => render::write_csv(report, s.view, &mut out)?,
        OutputFormat::Md => render::write_markdown(report, s.view, &mut out)?,
        OutputFormat::Html => render::write_html(report, s.view, &mut out)?,
    }
    out.flush()?;
    if let Some(path) = &s.output {
        let t = report.totals();
        writeln!(
            io::stderr(),
            "lawdex: wrote {} ({}: {} covered, {} {}, {} not applicable, {} unknown)",
            path.display(),
            super::count(report.documents.len(), "document", "documents"),
            t.covered,
            t.gaps,
            if t.gaps == 1 { "gap" } else { "gaps" },
            t.not_applicable,
            t.unknown
        )?;
    }
    Ok(())
}
