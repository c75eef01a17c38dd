//! `lawdex show ID`: a clause (`doc/art33`, `doc/art33/para2`) with its citation and
//! paragraphs, a whole document (`doc`) with its headings and clause ids, or a work
//! (`cn:中华人民共和国公共图书馆法`) with its versions and copies and how they were grouped.

use std::io::{self, Write};

use anyhow::Result;
use lawdex::coverage::{Matcher, Taxonomy};
use serde::Serialize;

use lawdex::index::ClauseIndex;
use lawdex::model::{citation, Clause, DocInfo, SegmentedDoc};
use lawdex::search::snippet::terminal_safe as safe;
use lawdex::work::{ArticleDiff, ChangeKind, Work, Works};

use super::index::DataDir;
use super::Outcome;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// A clause id (as search prints it), a document id, or a work id (as `show DOC` prints
    /// it).
    #[arg(value_name = "ID")]
    id: String,
    #[command(flatten)]
    data: DataDir,
    /// Output: `text` for people, `json` for tools.
    #[arg(long, value_enum, default_value_t = OutputFormat::Text)]
    format: OutputFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum OutputFormat {
    Text,
    Json,
}

#[derive(Serialize)]
struct ClauseRecord<'a> {
    document: &'a DocInfo,
    clause: &'a Clause,
    citation: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    paragraph: Option<usize>,
}

pub fn run(args: Args) -> Result<Outcome> {
    let index = ClauseIndex::open(&args.data.resolve())?;
    let mut out = io::BufWriter::new(io::stdout().lock());
    // `doc/art33/para2`: the clause, with paragraph 2 cited.
    let (clause_id, paragraph) = match args.id.rsplit_once("/para") {
        Some((head, n)) if n.parse::<usize>().is_ok() => (head, n.parse().ok()),
        _ => (args.id.as_str(), None),
    };
    if let Some((mut info, clause)) = index.clause(clause_id)? {
        // The status `--status` filters on: the manifest's, else the version's in its law.
        if info.status.is_empty() {
            if let Some((_, version)) = works_of(&index, &info)?.of(&info.id) {
                info.status = version.status.name().to_string();
            }
        }
        if paragraph.is_some_and(|n| n == 0 || n > clause.paragraphs.len()) {
            anyhow::bail!("{} has {} paragraphs", clause.id, clause.paragraphs.len());
        }
        let label = clause.cited_label(paragraph);
        let citation = citation(&info.title, &label);
        match args.format {
            OutputFormat::Json => {
                let r = ClauseRecord {
                    document: &info,
                    clause: &clause,
                    citation,
                    paragraph,
                };
                serde_json::to_writer_pretty(&mut out, &r)?;
                writeln!(out)?;
            }
            OutputFormat::Text => print_clause(&mut out, &info, &clause, &citation, paragraph)?,
        }
    } else if let Some(doc) = index.document(&args.id)? {
        match args.format {
            OutputFormat::Json => {
                serde_json::to_writer_pretty(&mut out, &doc)?;
                writeln!(out)?;
            }
            OutputFormat::Text => {
                let works = works_of(&index, &doc.info)?;
                print_document(&mut out, &doc, &works)?
            }
        }
    } else if let Some(work) = find_work(&index, &args.id)? {
        let work = &work;
        let amendments = amendments(&index, work)?;
        match args.format {
            OutputFormat::Json => {
                let record = WorkRecord {
                    work,
                    amendments: &amendments,
                };
                serde_json::to_writer_pretty(&mut out, &record)?;
                writeln!(out)?;
            }
            OutputFormat::Text => print_work(&mut out, work, &amendments)?,
        }
    } else {
        drop(out);
        writeln!(
            io::stderr(),
            "lawdex: no clause or document with id `{}` (ids as `lawdex search` prints them), \
             nor a work (`lawdex show DOC` names a document's work)",
            safe(&args.id)
        )?;
        return Ok(Outcome::Partial);
    }
    out.flush()?;
    Ok(Outcome::Success)
}

fn meta_line(info: &DocInfo) -> String {
    let mut parts: Vec<String> = [&info.jurisdiction, &info.level, &info.kind, &info.status]
        .iter()
        .filter(|s| !s.is_empty())
        .map(|s| safe(s))
        .collect();
    if let Some(y) = info.year {
        parts.push(y.to_string());
    }
    parts.push(safe(&info.language));
    parts.join(" · ")
}

fn print_clause(
    out: &mut impl Write,
    info: &DocInfo,
    clause: &Clause,
    citation: &str,
    paragraph: Option<usize>,
) -> io::Result<()> {
    writeln!(out, "{}", safe(citation))?;
    writeln!(out, "{}  ({})", safe(clause.id.as_str()), meta_line(info))?;
    writeln!(out, "source: {}", safe(&info.source))?;
    for h in &clause.headings {
        writeln!(out, "{}", safe(h))?;
    }
    if !clause.caption.is_empty() {
        writeln!(out, "{} {}", safe(&clause.label), safe(&clause.caption))?;
    }
    writeln!(out)?;
    if clause.paragraphs.len() > 1 {
        for (i, p) in clause.paragraphs.iter().enumerate() {
            let n = i + 1;
            let marker = if paragraph == Some(n) { "▶" } else { " " };
            writeln!(
                out,
                "{marker} {}  {}",
                safe(&clause.paragraph_label(n)),
                safe(p)
            )?;
            writeln!(out, "    {}/para{n}", safe(clause.id.as_str()))?;
        }
    } else {
        writeln!(out, "{}  {}", safe(&clause.label), safe(&clause.text))?;
    }
    Ok(())
}

/// The works a document is placed in: the commit's grouping, else every record's; a document
/// the grouping does not name is its own work.
fn works_of(index: &ClauseIndex, info: &DocInfo) -> Result<Works> {
    Ok(
        match index.works_summary().and_then(|s| Works::from_summary(&s)) {
            Some((w, _)) if w.of(&info.id).is_some() => w,
            Some(_) => Works::group(std::iter::once(info)),
            None => Works::group(index.snapshot()?.infos()?.values()),
        },
    )
}

/// The work `id`: from the commit's grouping when it has several documents, else from every
/// record.
fn find_work(index: &ClauseIndex, id: &str) -> Result<Option<Work>> {
    if let Some((works, _)) = index.works_summary().and_then(|s| Works::from_summary(&s)) {
        if let Some(w) = works.get(id) {
            return Ok(Some(w.clone()));
        }
    }
    Ok(Works::group(index.snapshot()?.infos()?.values())
        .get(id)
        .cloned())
}

/// `show WORK --format json`: the work and what each amendment did.
#[derive(Serialize)]
struct WorkRecord<'a> {
    #[serde(flatten)]
    work: &'a Work,
    amendments: &'a [Amendment],
}

/// What one version changed from the one before it: articles (as `lawdex diff` finds them)
/// and coverage states of the built-in taxonomy.
#[derive(Serialize)]
struct Amendment {
    from: String,
    to: String,
    changed: Vec<String>,
    added: Vec<String>,
    removed: Vec<String>,
    renumbered: Vec<String>,
    /// (obligation, state before, state after).
    coverage: Vec<(String, String, String)>,
}

fn amendments(index: &ClauseIndex, work: &Work) -> Result<Vec<Amendment>> {
    if work.versions.len() < 2 {
        return Ok(Vec::new());
    }
    let matcher = Matcher::new(Taxonomy::library_social_responsibility()?)?;
    let mut out = Vec::new();
    for pair in work.versions.windows(2) {
        let (Some(old), Some(new)) = (
            index.document(&pair[0].primary().doc_id)?,
            index.document(&pair[1].primary().doc_id)?,
        ) else {
            continue;
        };
        let d = ArticleDiff::compare(&old.clauses, &new.clauses);
        out.push(Amendment {
            from: pair[0].label.clone(),
            to: pair[1].label.clone(),
            changed: d.labels(ChangeKind::Changed),
            added: d.labels(ChangeKind::Added),
            removed: d.labels(ChangeKind::Removed),
            renumbered: d.labels(ChangeKind::Renumbered),
            coverage: lawdex::coverage::moves(&matcher, &old, &new)
                .into_iter()
                .map(|(o, a, b)| (o, a.name().to_string(), b.name().to_string()))
                .collect(),
        });
    }
    Ok(out)
}

fn print_work(out: &mut impl Write, work: &Work, amendments: &[Amendment]) -> io::Result<()> {
    writeln!(out, "{}", safe(&work.title))?;
    let documents: usize = work.versions.iter().map(|v| v.copies.len()).sum();
    let mut facts = Vec::new();
    if !work.jurisdiction.is_empty() {
        facts.push(safe(&work.jurisdiction));
    }
    facts.push(super::count(work.versions.len(), "version", "versions"));
    facts.push(super::count(documents, "document", "documents"));
    writeln!(out, "work {}  ({})", safe(&work.id), facts.join(" · "))?;
    for v in work.versions.iter().rev() {
        let mut dates = Vec::new();
        for (what, d) in [("adopted", &v.adopted), ("effective", &v.effective)] {
            if let Some(d) = d {
                dates.push(format!("{what} {}", safe(d)));
            }
        }
        if !v.amended.is_empty() {
            dates.push(format!("amended {}", safe(&v.amended.join(", "))));
        }
        let dates = if dates.is_empty() {
            String::new()
        } else {
            format!("  ({})", dates.join(", "))
        };
        writeln!(
            out,
            "\nversion {}  {}{dates}",
            safe(&v.label),
            v.status.name()
        )?;
        if let Some(a) = amendments.iter().find(|a| a.to == v.label) {
            let mut parts = Vec::new();
            for (labels, what) in [
                (&a.changed, "changed"),
                (&a.added, "added"),
                (&a.removed, "removed"),
                (&a.renumbered, "renumbered"),
            ] {
                if labels.is_empty() {
                    continue;
                }
                let shown: Vec<String> = labels.iter().take(5).map(|l| safe(l)).collect();
                let more = if labels.len() > 5 { ", …" } else { "" };
                parts.push(format!(
                    "{} {what} ({}{more})",
                    labels.len(),
                    shown.join(", ")
                ));
            }
            if parts.is_empty() {
                parts.push("no article changed".into());
            }
            writeln!(out, "  from {}: {}", safe(&a.from), parts.join("; "))?;
            let moved: Vec<String> = a
                .coverage
                .iter()
                .map(|(o, x, y)| format!("{o}: {x} → {y}"))
                .collect();
            writeln!(
                out,
                "  coverage: {}",
                if moved.is_empty() {
                    "no obligation moved".to_string()
                } else {
                    moved.join(", ")
                }
            )?;
        }
        for (i, c) in v.copies.iter().enumerate() {
            let role = if i == 0 { "searched" } else { "copy" };
            writeln!(
                out,
                "  {role:<8}  {}  {}, {}  {}",
                safe(&c.doc_id),
                c.format,
                super::count(c.articles, "article", "articles"),
                safe(&c.source)
            )?;
            if !c.basis.is_empty() {
                writeln!(out, "            copy because: {}", safe(&c.basis))?;
            }
        }
    }
    writeln!(
        out,
        "\nHow this was grouped (to correct it, give `work` and `version` in a manifest):"
    )?;
    for b in &work.basis {
        writeln!(out, "  {}", safe(b))?;
    }
    Ok(())
}

fn print_document(out: &mut impl Write, doc: &SegmentedDoc, works: &Works) -> io::Result<()> {
    let info = &doc.info;
    writeln!(out, "{}", safe(&info.title))?;
    writeln!(out, "{}  ({})", safe(&info.id), meta_line(info))?;
    writeln!(
        out,
        "source: {}  ({}, {}, {})",
        safe(&info.source),
        info.format,
        info.structure,
        super::count(doc.clauses.len(), "clause", "clauses")
    )?;
    if let Some((work, version)) = works.of(&info.id) {
        let documents: usize = work.versions.iter().map(|v| v.copies.len()).sum();
        writeln!(
            out,
            "work: {}  (version {}, {}; {} of the work, {}: `lawdex show {}`)",
            safe(&work.id),
            safe(&version.label),
            version.status.name(),
            super::count(work.versions.len(), "version", "versions"),
            super::count(documents, "document", "documents"),
            safe(&work.id)
        )?;
    }
    for p in &info.preamble {
        writeln!(out, "  {}", safe(p))?;
    }
    let mut headings: &[String] = &[];
    for c in &doc.clauses {
        if c.headings.as_slice() != headings {
            // Print only the headings that changed, indented by depth.
            let common = c
                .headings
                .iter()
                .zip(headings)
                .take_while(|(a, b)| a == b)
                .count();
            writeln!(out)?;
            for (depth, h) in c.headings.iter().enumerate().skip(common) {
                writeln!(out, "{}{}", "  ".repeat(depth), safe(h))?;
            }
            headings = &c.headings;
        }
        let caption = if c.caption.is_empty() {
            String::new()
        } else {
            format!(" {}", safe(&c.caption))
        };
        writeln!(
            out,
            "\n{}{}  [{}]",
            safe(&c.label),
            caption,
            safe(c.id.as_str())
        )?;
        for p in &c.paragraphs {
            writeln!(out, "  {}", safe(p))?;
        }
    }
    Ok(())
}
