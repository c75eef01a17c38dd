//! `lawdex search QUERY`: ranked clauses with citations and highlighted snippets.
//! Exit 0 with hits, 1 with none, 2 on error (a malformed query says where it is wrong).

use std::io::{self, IsTerminal, Write};
use std::path::PathBuf;

use anyhow::Result;
use lawdex::search::record::{hit_records, ResultsRecord};
use lawdex::search::snippet::terminal_safe as safe;
use lawdex::search::{Filters, Query, Results, Scope, Searcher, Thesaurus, YearRange};
use lawdex::work::CalendarDate;

use super::index::DataDir;
use super::Outcome;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Words (all must match), "exact phrases", AND, OR, NOT, -word, +word, ( ). Several
    /// arguments are one query: `lawdex search 图书馆 免费` = `lawdex search "图书馆 免费"`.
    #[arg(value_name = "QUERY", required = true, num_args = 1..)]
    words: Vec<String>,
    #[command(flatten)]
    data: DataDir,
    /// Only these jurisdictions (prefix: CN matches CN-SH); comma-separated or repeated.
    #[arg(long, value_delimiter = ',', value_name = "CODE")]
    jurisdiction: Vec<String>,
    /// Only these levels: national, provincial, municipal, county, international.
    #[arg(long, value_delimiter = ',')]
    level: Vec<String>,
    /// Only these kinds: law, administrative-regulation, local-regulation, rule, …
    #[arg(long, value_delimiter = ',')]
    kind: Vec<String>,
    /// Only these languages (prefix: zh matches zh-Hans and zh-Hant).
    #[arg(long, value_delimiter = ',', value_name = "LANG")]
    lang: Vec<String>,
    /// Only these statuses: in-force, amended, repealed.
    #[arg(long, value_delimiter = ',')]
    status: Vec<String>,
    /// Only versions of these years: 2018, 2010..2020, 2010.., ..2020.
    #[arg(long, value_parser = parse_years, value_name = "YEARS")]
    year: Option<YearRange>,
    /// Only these documents (ids as `lawdex show` prints them).
    #[arg(long, value_delimiter = ',', value_name = "DOC_ID")]
    doc: Vec<String>,
    /// Search every version and copy of each law (default: the version in force, one hit per
    /// article, with its other versions and copies listed on the hit).
    #[arg(long, conflicts_with = "as_of")]
    all_versions: bool,
    /// Search each law as it stood on this day (YYYY-MM-DD, YYYY-MM or YYYY): the latest
    /// version that started on or before it; laws not yet adopted are left out.
    #[arg(long, value_parser = parse_day, value_name = "DATE")]
    as_of: Option<CalendarDate>,
    /// Most hits shown (at least 1).
    #[arg(long, default_value_t = 10, value_parser = parse_limit)]
    limit: usize,
    /// Also count hits per jurisdiction, level and year.
    #[arg(long)]
    facets: bool,
    /// Output: `table` for people; `json`, `jsonl` or `csv` for tools.
    #[arg(long, value_enum, default_value_t = OutputFormat::Table)]
    format: OutputFormat,
    /// Words only as typed: no synonyms (视障 does not also find 盲人), and a compound such as
    /// 视力残疾 only where its characters stand together.
    #[arg(long)]
    exact: bool,
    /// More synonym groups, added to the built-in table (format: README, "Adding your own synonyms").
    /// Default: $LAWDEX_SYNONYMS.
    #[arg(long, value_name = "FILE")]
    synonyms: Option<PathBuf>,
}

fn parse_limit(s: &str) -> Result<usize, String> {
    match s.parse::<usize>() {
        Ok(0) => Err("must be at least 1 (a search that shows nothing is a mistake)".into()),
        Ok(n) if n > lawdex::search::MAX_LIMIT => Err(format!(
            "must be at most {} (more than any index has clauses)",
            lawdex::search::MAX_LIMIT
        )),
        Ok(n) => Ok(n),
        Err(_) => Err(format!("{s:?} is not a number")),
    }
}

fn parse_day(s: &str) -> Result<CalendarDate, String> {
    CalendarDate::parse(s).ok_or_else(|| format!("{s:?} is not a date such as 2018-01-01"))
}

fn parse_years(s: &str) -> Result<YearRange, String> {
    s.parse()
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum OutputFormat {
    Table,
    Json,
    Jsonl,
    Csv,
}

pub fn run(args: Args) -> Result<Outcome> {
    let text = args.words.join(" ");
    let mut query = Query::parse(&text).map_err(|e| anyhow::anyhow!("malformed query: {e}"))?;
    query.limit = args.limit;
    query.facets = args.facets;
    query.exact = args.exact;
    query.scope = match (args.all_versions, args.as_of) {
        (true, _) => Scope::All,
        (false, Some(day)) => Scope::AsOf(day),
        (false, None) => Scope::Current,
    };
    query.filters = Filters {
        jurisdictions: args.jurisdiction,
        levels: args.level,
        kinds: args.kind,
        languages: args.lang,
        statuses: args.status,
        years: args.year,
        docs: args.doc,
    };
    let data_dir = args.data.resolve();
    let mut searcher = Searcher::open(&data_dir)?;
    // The library names the filter; here it is the option typed.
    searcher
        .check_filters(&query.filters)
        .map_err(|e| match e {
            lawdex::search::SearchError::UnknownValue { .. } => anyhow::anyhow!("--{e}"),
            e => e.into(),
        })?;
    let user_synonyms = args
        .synonyms
        .or_else(|| std::env::var_os("LAWDEX_SYNONYMS").map(PathBuf::from));
    if let (Some(file), false) = (user_synonyms, args.exact) {
        searcher = searcher.with_thesaurus(Thesaurus::builtin_with(&file)?);
    }
    // Index errors name the index themselves: one line, without the directory twice.
    let results = searcher.search(&query).map_err(|e| match e {
        lawdex::search::SearchError::Index(e) => anyhow::Error::new(e),
        e => anyhow::Error::new(e).context(format!("searching {}", data_dir.display())),
    })?;
    let mut out = io::BufWriter::new(io::stdout().lock());
    match args.format {
        OutputFormat::Table => {
            let color = io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none();
            print_table(&mut out, &results, color)?;
        }
        OutputFormat::Json => {
            let record = ResultsRecord::new(&text, &results);
            serde_json::to_writer_pretty(&mut out, &record)?;
            writeln!(out)?;
        }
        OutputFormat::Jsonl => {
            for r in hit_records(&results, 0) {
                serde_json::to_writer(&mut out, &r)?;
                writeln!(out)?;
            }
        }
        OutputFormat::Csv => {
            let mut w = csv::Writer::from_writer(&mut out);
            w.write_record([
                "rank",
                "clause_id",
                "doc_id",
                "source",
                "label",
                "title",
                "citation",
                "score",
                "all_words",
                "translated",
                "jurisdiction",
                "level",
                "year",
                "snippet",
                "work",
                "version",
                "version_status",
                "copies",
                "versions",
                "headings",
            ])?;
            for r in hit_records(&results, 0) {
                w.write_record([
                    r.rank.to_string(),
                    r.clause_id.to_string(),
                    r.doc_id.to_string(),
                    r.source.to_string(),
                    r.label.to_string(),
                    r.title.to_string(),
                    r.citation.clone(),
                    format!("{:.3}", r.score),
                    r.all_words.to_string(),
                    r.translated.to_string(),
                    r.jurisdiction.to_string(),
                    r.level.to_string(),
                    r.year.map(|y| y.to_string()).unwrap_or_default(),
                    r.snippet,
                    r.work.unwrap_or_default().to_string(),
                    r.version.unwrap_or_default().to_string(),
                    r.version_status.unwrap_or_default().to_string(),
                    // One cell each: `source` of every copy, `version (status): same|changed|
                    // absent` of every other version, joined by "; ".
                    r.copies
                        .iter()
                        .map(|c| c.source.as_str())
                        .collect::<Vec<_>>()
                        .join("; "),
                    r.versions
                        .iter()
                        .map(|v| {
                            format!(
                                "{} ({}): {}",
                                v.version,
                                v.status,
                                v.text.unwrap_or("absent")
                            )
                        })
                        .collect::<Vec<_>>()
                        .join("; "),
                    r.headings.join(" / "),
                ])?;
            }
            w.flush()?;
        }
    }
    out.flush()?;
    Ok(if results.hits.is_empty() {
        Outcome::Partial
    } else {
        Outcome::Success
    })
}

/// What was shown out of what matched, with every-word and most-words hits counted apart so
/// the numbers add up ("3 clauses have every word: all shown, then 7 of 41 with part of the words").
fn count_line(results: &Results) -> String {
    if let Some(cited) = &results.cited {
        let mut line = format!(
            "read as a citation: {}, {} found",
            safe(cited),
            super::count(results.total, "provision", "provisions")
        );
        if results.hits.len() < results.total {
            line.push_str(&format!(" ({} shown)", results.hits.len()));
        }
        if results.whole_articles > 0 {
            line.push_str(&format!(
                "; {} no such paragraph: the whole article is shown",
                match results.whole_articles {
                    1 if results.total == 1 => "it has".to_string(),
                    1 => "1 has".to_string(),
                    n => format!("{n} have"),
                }
            ));
        }
        line.push_str(" (quote the query to search its words)");
        return line;
    }
    let full = results
        .hits
        .iter()
        .filter(|h| h.all_words && !h.translated)
        .count();
    let translated = results.hits.iter().filter(|h| h.translated).count();
    let partial = results.hits.len() - full - translated;
    let clauses = |n: usize| if n == 1 { "clause" } else { "clauses" };
    let have = |n: usize| if n == 1 { "has" } else { "have" };
    let mut line = match results.total {
        0 if translated > 0 => "no clause has every word as typed".to_string(),
        0 => "no clause has every word".to_string(),
        n if full == n => format!("{n} {} {} every word (all shown)", clauses(n), have(n)),
        n => format!("{full} of {n} {} with every word shown", clauses(n)),
    };
    // The tiers after the first, each "N of M clauses with … shown (after them), marked …".
    let tiers = [
        (
            translated,
            results.translated_total,
            "every word through translations",
            "translated",
            full > 0,
        ),
        (
            partial,
            results.partial_total,
            "part of the words",
            "partial",
            full + translated > 0,
        ),
    ];
    for (shown, of, with, mark, after) in tiers {
        if shown > 0 {
            line.push_str(&format!(
                "; {shown} of {of} {} with {with} shown{}, marked {mark}",
                clauses(of),
                if after { " after them" } else { "" }
            ));
        }
    }
    line
}

fn print_table(out: &mut impl Write, results: &Results, color: bool) -> io::Result<()> {
    let (bold, dim, reset) = if color {
        ("\x1b[1m", "\x1b[2m", "\x1b[0m")
    } else {
        ("", "", "")
    };
    for (i, h) in results.hits.iter().enumerate() {
        let mut meta: Vec<String> = [&h.jurisdiction, &h.level]
            .iter()
            .filter(|s| !s.is_empty())
            .map(|s| safe(s))
            .collect();
        if let Some(y) = h.year {
            meta.push(y.to_string());
        }
        writeln!(
            out,
            "{:>2}. {bold}{}{reset}  {}  {dim}score {:.2}{reset}{}",
            i + 1,
            safe(&h.citation()),
            meta.join(" "),
            h.score,
            match (h.all_words, h.translated) {
                (true, false) => "",
                (true, true) => "  (translated: every word, some in another language)",
                (false, _) => "  (partial: not every word)",
            }
        )?;
        writeln!(out, "    {}", h.snippet.terminal(color))?;
        // The divisions it is under: a word may match only there.
        let under = match h.heading_marks.as_slice() {
            [] => String::new(),
            hs => {
                let marked: Vec<String> = hs.iter().map(|m| m.terminal(color)).collect();
                format!("  ({})", marked.join(" / "))
            }
        };
        writeln!(out, "    {dim}{}{reset}{under}", safe(&h.clause_id))?;
        if !h.copies.is_empty() || !h.versions.is_empty() {
            let mut also = Vec::new();
            if !h.copies.is_empty() {
                let formats: Vec<&str> = h.copies.iter().map(|c| c.format.name()).collect();
                also.push(format!(
                    "{} ({})",
                    super::count(h.copies.len(), "copy", "copies"),
                    formats.join(", ")
                ));
            }
            for v in &h.versions {
                also.push(format!(
                    "version {} ({}): {}",
                    safe(&v.version),
                    v.status,
                    match v.text {
                        Some("same") => "same text",
                        Some("changed") => "text changed",
                        _ => "no such article",
                    }
                ));
            }
            writeln!(
                out,
                "    {dim}version {} {}; also {}{reset}",
                safe(h.version.as_deref().unwrap_or("?")),
                h.version_status.as_deref().unwrap_or(""),
                also.join("; ")
            )?;
        }
    }
    if results.hits.is_empty() {
        writeln!(out, "no clause matches")?;
    } else {
        writeln!(out, "{}", count_line(results))?;
    }
    if let Some(cited) = &results.cited_not_found {
        writeln!(
            out,
            "{dim}read as a citation of {}, which no indexed law of that title has (under these filters and versions; --all-versions searches every version): its words were searched instead{reset}",
            safe(cited)
        )?;
    }
    for c in &results.corrections {
        writeln!(
            out,
            "{dim}\"{}\" read as \"{}\": no clause has it as typed{reset}",
            safe(&c.typed),
            safe(&c.read_as)
        )?;
    }
    for p in &results.places {
        writeln!(
            out,
            "{dim}only {} searched: \"{}\" read as that jurisdiction (quote it to search the word){reset}",
            safe(&p.jurisdiction),
            safe(&p.word)
        )?;
    }
    if !results.expansions.is_empty() {
        writeln!(
            out,
            "{dim}synonyms and translations searched too (--exact: words as typed only):{reset}"
        )?;
        for e in &results.expansions {
            let shown: Vec<String> = e.synonyms.iter().map(|s| safe(&s.text)).collect();
            writeln!(
                out,
                "{dim}  {} → {}{reset}",
                safe(&e.word),
                shown.join(", ")
            )?;
        }
    }
    if let Some(f) = &results.facets {
        let show = |name: &str, items: Vec<(String, usize)>| -> String {
            let parts: Vec<String> = items
                .into_iter()
                .map(|(k, n)| {
                    let k = if k.is_empty() {
                        "?".to_string()
                    } else {
                        safe(&k)
                    };
                    format!("{k} {n}")
                })
                .collect();
            format!("{name}: {}", parts.join(", "))
        };
        let by_count = |m: &std::collections::BTreeMap<String, usize>| {
            let mut v: Vec<(String, usize)> = m.iter().map(|(k, n)| (k.clone(), *n)).collect();
            v.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
            v
        };
        writeln!(out, "{}", show("jurisdiction", by_count(&f.jurisdiction)))?;
        writeln!(out, "{}", show("level", by_count(&f.level)))?;
        let years: Vec<(String, usize)> = f.year.iter().map(|(y, n)| (y.to_string(), *n)).collect();
        writeln!(out, "{}", show("year", years))?;
    }
    Ok(())
}
