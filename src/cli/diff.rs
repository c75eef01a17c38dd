//! `lawdex diff A B`: two texts of a law (indexed documents by id, or files that are not
//! indexed) compared article by article: added, removed, renumbered and changed articles, each
//! change with a character-level diff. A table, JSON, or a self-contained side-by-side HTML
//! page.
//!
//! Exit codes: 0 when the comparison is complete (whether or not the texts differ), 1 when
//! either text has no articles to compare, 2 on an error (no such document or file).

use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};
use serde::Serialize;

use lawdex::index::ClauseIndex;
use lawdex::ingest;
use lawdex::model::SegmentedDoc;
use lawdex::parse::Limits;
use lawdex::search::snippet::{html_escape as esc, terminal_safe as safe};
use lawdex::work::{ArticleChange, ArticleDiff, ChangeKind};

use super::index::DataDir;
use super::Outcome;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The older text: a document id (as `lawdex show` prints it) or a file.
    #[arg(value_name = "A")]
    old: String,
    /// The newer text: a document id or a file.
    #[arg(value_name = "B")]
    new: String,
    #[command(flatten)]
    data: DataDir,
    /// Output: `table` for people, `json` for tools, `html` for a side-by-side page.
    #[arg(long, value_enum, default_value_t = OutputFormat::Table)]
    format: OutputFormat,
    /// Write to this file instead of standard output.
    #[arg(long, short = 'o', value_name = "FILE")]
    output: Option<PathBuf>,
    /// List the articles that are the same too (JSON always lists them).
    #[arg(long)]
    all: bool,
    #[command(flatten)]
    limits: super::index::LimitArgs,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum OutputFormat {
    Table,
    Json,
    Html,
}

/// One side of the comparison, as the JSON names it.
#[derive(Serialize)]
struct Side {
    id: String,
    title: String,
    source: String,
    articles: usize,
}

#[derive(Serialize)]
struct Counts {
    same: usize,
    added: usize,
    removed: usize,
    renumbered: usize,
    changed: usize,
}

#[derive(Serialize)]
struct DiffRecord<'a> {
    old: Side,
    new: Side,
    counts: Counts,
    articles: &'a [ArticleChange],
}

pub fn run(args: Args) -> Result<Outcome> {
    let limits = args.limits.limits();
    let data_dir = args.data.resolve();
    let index = ClauseIndex::open(&data_dir).ok();
    let old = load(&args.old, index.as_ref(), &limits)?;
    let new = load(&args.new, index.as_ref(), &limits)?;
    let diff = ArticleDiff::compare(&old.clauses, &new.clauses);
    let count = |k: ChangeKind| diff.articles.iter().filter(|a| a.kind == k).count();
    let record = DiffRecord {
        old: side(&old),
        new: side(&new),
        counts: Counts {
            same: count(ChangeKind::Same),
            added: count(ChangeKind::Added),
            removed: count(ChangeKind::Removed),
            renumbered: count(ChangeKind::Renumbered),
            changed: count(ChangeKind::Changed),
        },
        articles: &diff.articles,
    };
    let mut out: Box<dyn Write> = match &args.output {
        Some(path) => Box::new(BufWriter::new(
            File::create(path).with_context(|| format!("writing {}", path.display()))?,
        )),
        None => Box::new(BufWriter::new(io::stdout().lock())),
    };
    match args.format {
        OutputFormat::Json => {
            serde_json::to_writer_pretty(&mut out, &record)?;
            writeln!(out)?;
        }
        OutputFormat::Table => table(&mut out, &record, args.all)?,
        OutputFormat::Html => html(&mut out, &record)?,
    }
    out.flush()?;
    if old.clauses.is_empty() || new.clauses.is_empty() {
        let empty = if old.clauses.is_empty() { &old } else { &new };
        drop(out);
        writeln!(
            io::stderr(),
            "lawdex: {} has no articles to compare",
            safe(&empty.info.source)
        )?;
        return Ok(Outcome::Partial);
    }
    Ok(Outcome::Success)
}

/// An indexed document by id, else a file parsed and segmented as `lawdex index` would.
fn load(arg: &str, index: Option<&ClauseIndex>, limits: &Limits) -> Result<SegmentedDoc> {
    if let Some(index) = index {
        if let Some(doc) = index.document(arg)? {
            return Ok(doc);
        }
    }
    let path = Path::new(arg);
    if !path.is_file() {
        bail!(
            "{}: no indexed document has this id and no file has this path",
            safe(arg)
        );
    }
    let loaded = ingest::load(&[path.to_path_buf()], limits)?;
    if let Some(f) = loaded.failures.first() {
        bail!("{}: {}", safe(&f.source), safe(&f.error));
    }
    if let Some(s) = loaded.skipped.first() {
        bail!("{}: {}", safe(&s.source), safe(&s.reason));
    }
    loaded
        .documents
        .into_iter()
        .next()
        .with_context(|| format!("{}: nothing to read", safe(arg)))
}

fn side(d: &SegmentedDoc) -> Side {
    Side {
        id: d.info.id.clone(),
        title: d.info.title.clone(),
        source: d.info.source.clone(),
        articles: d.clauses.len(),
    }
}

/// `[-removed-]{+added+}` inline, as wdiff writes it.
fn inline(a: &ArticleChange) -> String {
    a.pieces
        .iter()
        .map(|p| match p.kind {
            "removed" => format!("[-{}-]", safe(&p.text)),
            "added" => format!("{{+{}+}}", safe(&p.text)),
            _ => safe(&p.text),
        })
        .collect()
}

fn table(out: &mut dyn Write, r: &DiffRecord, all: bool) -> io::Result<()> {
    writeln!(out, "old: {}  {}", safe(&r.old.id), safe(&r.old.source))?;
    writeln!(out, "new: {}  {}", safe(&r.new.id), safe(&r.new.source))?;
    let c = &r.counts;
    writeln!(
        out,
        "{} changed, {} added, {} removed, {} renumbered, {} the same",
        c.changed, c.added, c.removed, c.renumbered, c.same
    )?;
    for a in r.articles {
        if a.kind == ChangeKind::Same && !all {
            continue;
        }
        let labels = match (&a.old_label, &a.new_label) {
            (Some(o), Some(n)) if o != n => format!("{} → {}", safe(o), safe(n)),
            _ => safe(a.label()),
        };
        writeln!(out, "\n{:<10}  {labels}", a.kind.name())?;
        match a.kind {
            ChangeKind::Changed => writeln!(out, "  {}", inline(a))?,
            ChangeKind::Added => {
                writeln!(out, "  + {}", safe(a.new_text.as_deref().unwrap_or("")))?
            }
            ChangeKind::Removed => {
                writeln!(out, "  - {}", safe(a.old_text.as_deref().unwrap_or("")))?
            }
            ChangeKind::Renumbered | ChangeKind::Same => {}
        }
    }
    Ok(())
}

fn html(out: &mut dyn Write, r: &DiffRecord) -> io::Result<()> {
    let title = format!("{} → {}", r.old.title, r.new.title);
    writeln!(
        out,
        "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>{}</title>\n<style>\n\
         body{{font-family:sans-serif;margin:1.5em}} table{{border-collapse:collapse;width:100%}}\n\
         td,th{{border:1px solid #ccc;padding:.4em;vertical-align:top;text-align:left}}\n\
         th.label{{white-space:nowrap;width:7em}} del{{background:#fdd}} ins{{background:#dfd;text-decoration:none}}\n\
         tr.same td{{color:#777}} tr.added td.new,tr.removed td.old{{background:#f6f6f6}}\n\
         .kind{{font-size:.8em;color:#555}}\n</style></head><body>",
        esc(&title)
    )?;
    writeln!(out, "<h1>{}</h1>", esc(&title))?;
    let c = &r.counts;
    writeln!(
        out,
        "<p>{} changed, {} added, {} removed, {} renumbered, {} the same.</p>",
        c.changed, c.added, c.removed, c.renumbered, c.same
    )?;
    writeln!(
        out,
        "<table><tr><th colspan=\"2\">{}<br><small>{}</small></th><th colspan=\"2\">{}<br><small>{}</small></th></tr>",
        esc(&r.old.title),
        esc(&r.old.source),
        esc(&r.new.title),
        esc(&r.new.source)
    )?;
    for a in r.articles {
        let (old_text, new_text) = if a.kind == ChangeKind::Changed {
            let side = |keep: &str, tag: &str| -> String {
                a.pieces
                    .iter()
                    .filter(|p| p.kind == "same" || p.kind == keep)
                    .map(|p| {
                        if p.kind == "same" {
                            esc(&p.text)
                        } else {
                            format!("<{tag}>{}</{tag}>", esc(&p.text))
                        }
                    })
                    .collect()
            };
            (side("removed", "del"), side("added", "ins"))
        } else {
            (
                a.old_text.as_deref().map(esc).unwrap_or_default(),
                a.new_text.as_deref().map(esc).unwrap_or_default(),
            )
        };
        writeln!(
            out,
            "<tr class=\"{kind}\"><th class=\"label\">{}<div class=\"kind\">{kind}</div></th><td class=\"old\">{old_text}</td>\
             <th class=\"label\">{}</th><td class=\"new\">{new_text}</td></tr>",
            esc(a.old_label.as_deref().unwrap_or("")),
            esc(a.new_label.as_deref().unwrap_or("")),
            kind = a.kind.name(),
        )?;
    }
    writeln!(out, "</table></body></html>")
}
