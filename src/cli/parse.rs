//! `lawdex parse FILE...`: parse and segment files, print their clauses. No index needed.

use std::io::{self, BufWriter, Write};
use std::path::PathBuf;

use anyhow::Result;
use serde::Serialize;

use lawdex::ingest::{self, DocumentReport};
use lawdex::model::{ArticleNumber, Clause, SegmentedDoc};

use super::Outcome;
use lawdex::search::snippet::terminal_safe as safe;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Files or directories (searched recursively) to parse.
    #[arg(required = true, value_name = "FILE")]
    files: Vec<PathBuf>,
    /// Output: `table` for people, `jsonl` (one JSON object per article) or `json` for tools.
    #[arg(long, value_enum, default_value_t = OutputFormat::Table)]
    format: OutputFormat,
    /// Print one line per document (format, title, language, article count, warnings) instead
    /// of the clauses.
    #[arg(long)]
    summary: bool,
    #[command(flatten)]
    limits: super::index::LimitArgs,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum OutputFormat {
    Table,
    Jsonl,
    Json,
}

/// One line of `--format jsonl`: an article with its citation. This is a documented contract
/// (README, "Clause records"): add fields freely, rename none.
#[derive(Serialize)]
struct ClauseRecord<'a> {
    source: &'a str,
    doc_id: &'a str,
    clause_id: &'a str,
    label: &'a str,
    number: Option<&'a ArticleNumber>,
    ordinal: u32,
    kind: lawdex::model::ClauseKind,
    #[serde(skip_serializing_if = "str::is_empty")]
    caption: &'a str,
    headings: &'a [String],
    paragraphs: &'a [String],
    text: &'a str,
    title: &'a str,
    language: &'a str,
}

/// One line of `--summary --format jsonl`.
#[derive(Serialize)]
struct SummaryRecord<'a> {
    source: &'a str,
    doc_id: &'a str,
    format: &'a str,
    title: &'a str,
    language: &'a str,
    structure: &'a str,
    articles: usize,
    warnings: Vec<&'a str>,
}

struct Parsed<'a> {
    doc: &'a SegmentedDoc,
    report: &'a DocumentReport,
}

pub fn run(args: Args) -> Result<Outcome> {
    let limits = args.limits.limits();
    // Read exactly as `index` and `gaps` read: the same ids, metadata, skipping rules and
    // panic guard around parsing and segmenting.
    let loaded = ingest::load(&args.files, &limits)?;
    let mut parsed: Vec<Parsed> = loaded
        .documents
        .iter()
        .zip(&loaded.reports)
        .map(|(doc, report)| Parsed { doc, report })
        .collect();
    // In the order the inputs were given; a directory's files in walk order.
    parsed.sort_by_cached_key(|p| {
        (
            input_rank(&args.files, &p.doc.info.source),
            p.doc.info.source.clone(),
        )
    });
    let stdout = io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    let mut stderr = io::stderr();
    for s in &loaded.skipped {
        writeln!(
            stderr,
            "lawdex: skipped {}: {}",
            safe(&s.source),
            safe(&s.reason)
        )?;
    }
    for f in &loaded.failures {
        writeln!(
            stderr,
            "lawdex: error: {}: {}",
            safe(&f.source),
            safe(&f.error)
        )?;
    }
    let mut json_all: Vec<serde_json::Value> = Vec::new();
    for p in &parsed {
        if args.summary {
            print_summary(&mut out, p, args.format, &mut json_all)?;
        } else {
            print_clauses(&mut out, p, args.format, &mut json_all)?;
        }
    }
    if args.format == OutputFormat::Json {
        serde_json::to_writer_pretty(&mut out, &json_all)?;
        writeln!(out)?;
    }
    out.flush()?;
    if loaded.failures.is_empty() {
        return Ok(if parsed.is_empty() {
            // Only files that are not laws: nothing to show, like an empty search.
            Outcome::Partial
        } else {
            Outcome::Success
        });
    }
    let failed: Vec<&str> = loaded.failures.iter().map(|f| f.source.as_str()).collect();
    writeln!(
        stderr,
        "lawdex: {} of {} failed: {}",
        failed.len(),
        super::count(parsed.len() + failed.len(), "input", "inputs"),
        safe(&failed.join(", "))
    )?;
    Ok(Outcome::Partial)
}

/// Position of the input `source` came from: the input itself, or the directory holding it.
fn input_rank(inputs: &[PathBuf], source: &str) -> usize {
    let path = std::path::Path::new(source);
    inputs
        .iter()
        .position(|i| path == i.as_path() || path.starts_with(i))
        .unwrap_or(inputs.len())
}

fn print_clauses(
    out: &mut impl Write,
    p: &Parsed,
    format: OutputFormat,
    all: &mut Vec<serde_json::Value>,
) -> Result<()> {
    let info = &p.doc.info;
    let title = info.title.as_str();
    let language = info.language.as_str();
    match format {
        OutputFormat::Table => {
            writeln!(
                out,
                "== {} ({}, {}, {} {})",
                safe(if title.is_empty() {
                    &info.source
                } else {
                    title
                }),
                info.format,
                language,
                p.doc.clauses.len(),
                unit_name(&info.structure)
            )?;
            let mut last_headings: &[String] = &[];
            for c in &p.doc.clauses {
                if c.headings.as_slice() != last_headings {
                    writeln!(out, "  [{}]", safe(&c.headings.join(" / ")))?;
                    last_headings = &c.headings;
                }
                let caption = if c.caption.is_empty() {
                    String::new()
                } else {
                    format!(" ({})", c.caption)
                };
                writeln!(out, "  {}{}  {}", c.label, caption, c.id)?;
                for para in &c.paragraphs {
                    for line in para.lines() {
                        writeln!(out, "      {line}")?;
                    }
                }
            }
        }
        OutputFormat::Jsonl | OutputFormat::Json => {
            for c in &p.doc.clauses {
                let rec = record(p, c, title, language);
                if format == OutputFormat::Jsonl {
                    serde_json::to_writer(&mut *out, &rec)?;
                    writeln!(out)?;
                } else {
                    all.push(serde_json::to_value(&rec)?);
                }
            }
        }
    }
    Ok(())
}

fn record<'a>(p: &'a Parsed, c: &'a Clause, title: &'a str, language: &'a str) -> ClauseRecord<'a> {
    ClauseRecord {
        source: &p.doc.info.source,
        doc_id: &p.doc.info.id,
        clause_id: c.id.as_str(),
        label: &c.label,
        number: c.number.as_ref(),
        ordinal: c.ordinal,
        kind: c.kind,
        caption: &c.caption,
        headings: &c.headings,
        paragraphs: &c.paragraphs,
        text: &c.text,
        title,
        language,
    }
}

fn unit_name(structure: &str) -> &'static str {
    match structure {
        "amendment-items" => "numbered items",
        "unstructured" => "articles: not article-structured",
        _ => "articles",
    }
}

fn print_summary(
    out: &mut impl Write,
    p: &Parsed,
    format: OutputFormat,
    all: &mut Vec<serde_json::Value>,
) -> Result<()> {
    let info = &p.doc.info;
    let warnings: Vec<&str> = p.report.warnings.iter().map(String::as_str).collect();
    let rec = SummaryRecord {
        source: &info.source,
        doc_id: &info.id,
        format: info.format.name(),
        title: &info.title,
        language: &info.language,
        structure: &info.structure,
        articles: p.doc.clauses.len(),
        warnings,
    };
    match format {
        OutputFormat::Table => {
            let note = match info.structure.as_str() {
                "unstructured" => "  (not article-structured)",
                "amendment-items" => "  (numbered items 一、二、…)",
                _ => "",
            };
            writeln!(
                out,
                "{:<8} {:<8} {:>5}  {}  {}{}",
                rec.format,
                rec.language,
                rec.articles,
                safe(rec.source),
                safe(rec.title),
                note
            )?;
            for w in &rec.warnings {
                writeln!(out, "         warning: {}", safe(w))?;
            }
        }
        OutputFormat::Jsonl => {
            serde_json::to_writer(&mut *out, &rec)?;
            writeln!(out)?;
        }
        OutputFormat::Json => all.push(serde_json::to_value(&rec)?),
    }
    Ok(())
}
