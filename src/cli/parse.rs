//! `lawdex parse FILE...`: parse and segment files, print their clauses. No index needed.

use std::io::{self, BufWriter, Write};
use std::path::PathBuf;

use anyhow::Result;
use rayon::prelude::*;
use serde::Serialize;

use lawdex::model::{ArticleNumber, Clause, Document};
use lawdex::parse::{parse_file, Limits, ParseError};
use lawdex::segment::{segment, Segmented};

use super::Outcome;

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
    /// Largest file accepted, in bytes.
    #[arg(long, default_value_t = Limits::default().max_bytes, value_name = "BYTES")]
    max_bytes: u64,
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

struct Parsed {
    doc: Document,
    seg: Segmented,
}

pub fn run(args: Args) -> Result<Outcome> {
    let limits = Limits {
        max_bytes: args.max_bytes,
        ..Limits::default()
    };
    let mut failures: Vec<String> = Vec::new();
    let files = expand(&args.files, &mut failures);
    let results: Vec<Result<Parsed, ParseError>> = files
        .par_iter()
        .map(|f| {
            parse_file(f, &limits).map(|doc| {
                let seg = segment(&doc);
                Parsed { doc, seg }
            })
        })
        .collect();
    let stdout = io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    let mut stderr = io::stderr();
    let mut json_all: Vec<serde_json::Value> = Vec::new();
    for r in &results {
        let p = match r {
            Ok(p) => p,
            Err(e) => {
                writeln!(stderr, "lawdex: error: {e}")?;
                failures.push(e.input.clone());
                continue;
            }
        };
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
    if failures.is_empty() {
        Ok(Outcome::Success)
    } else {
        writeln!(
            stderr,
            "lawdex: {} of {} failed: {}",
            failures.len(),
            super::count(
                files.len() + failures.len() - results.iter().filter(|r| r.is_err()).count(),
                "input",
                "inputs"
            ),
            failures.join(", ")
        )?;
        Ok(Outcome::Partial)
    }
}

/// Files in argument order; directories expand to their files (as `lawdex index` walks
/// them: sorted, hidden entries skipped).
fn expand(inputs: &[PathBuf], failures: &mut Vec<String>) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for input in inputs {
        if input.is_dir() {
            let (found, skipped) = lawdex::ingest::files_under(input);
            for s in skipped {
                eprintln!("lawdex: error: {}: {}", s.source, s.reason);
                failures.push(s.source);
            }
            files.extend(found);
        } else {
            files.push(input.clone());
        }
    }
    files
}

fn print_clauses(
    out: &mut impl Write,
    p: &Parsed,
    format: OutputFormat,
    all: &mut Vec<serde_json::Value>,
) -> Result<()> {
    let title = p.doc.title.as_deref().unwrap_or("");
    let language = p.doc.language.as_deref().unwrap_or("");
    match format {
        OutputFormat::Table => {
            writeln!(
                out,
                "== {} ({}, {}, {} {})",
                if title.is_empty() {
                    &p.doc.source
                } else {
                    title
                },
                p.doc.format,
                language,
                p.seg.clauses.len(),
                unit_name(&p.seg)
            )?;
            let mut last_headings: &[String] = &[];
            for c in &p.seg.clauses {
                if c.headings.as_slice() != last_headings {
                    writeln!(out, "  [{}]", c.headings.join(" / "))?;
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
            for c in &p.seg.clauses {
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
        source: &p.doc.source,
        doc_id: &p.doc.id,
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

fn unit_name(seg: &Segmented) -> &'static str {
    match seg.structure {
        lawdex::segment::Structure::Articles => "articles",
        lawdex::segment::Structure::AmendmentItems => "amendment items",
        lawdex::segment::Structure::Unstructured => "articles: not article-structured",
    }
}

fn print_summary(
    out: &mut impl Write,
    p: &Parsed,
    format: OutputFormat,
    all: &mut Vec<serde_json::Value>,
) -> Result<()> {
    let warnings: Vec<&str> = p
        .doc
        .warnings
        .iter()
        .chain(p.seg.warnings.iter())
        .map(String::as_str)
        .collect();
    let rec = SummaryRecord {
        source: &p.doc.source,
        doc_id: &p.doc.id,
        format: p.doc.format.name(),
        title: p.doc.title.as_deref().unwrap_or(""),
        language: p.doc.language.as_deref().unwrap_or(""),
        structure: p.seg.structure.name(),
        articles: p.seg.clauses.len(),
        warnings,
    };
    match format {
        OutputFormat::Table => {
            let note = match p.seg.structure {
                lawdex::segment::Structure::Unstructured => "  (not article-structured)",
                lawdex::segment::Structure::AmendmentItems => "  (amendment decision items)",
                lawdex::segment::Structure::Articles => "",
            };
            writeln!(
                out,
                "{:<8} {:<8} {:>5}  {}  {}{}",
                rec.format, rec.language, rec.articles, rec.source, rec.title, note
            )?;
            for w in &rec.warnings {
                writeln!(out, "         warning: {w}")?;
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
