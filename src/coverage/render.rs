//! The matrix as text for people and scripts: a terminal table, CSV, Markdown, JSON and one
//! self-contained HTML file with a heat map. Writers take any `io::Write`; the CLI decides
//! where the bytes go.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::io::{self, Write};

use unicode_width::UnicodeWidthStr;

use super::matcher::{Confidence, Evidence};
use super::report::{Cell, DocReport, Report, State, Suggestion};
use super::scope::Scope;
use super::strength::Strength;
use crate::model::count;

/// What the writers show besides the matrix.
#[derive(Debug, Clone, Copy, Default)]
pub struct View {
    /// List the documents out of scope (they are always counted).
    pub all: bool,
}

/// One character per cell: M P E S (strength; lowercase when borderline), X firm gap,
/// x borderline gap, - not applicable, ? unknown.
pub fn cell_symbol(c: &Cell) -> char {
    let borderline = c.confidence == Some(Confidence::Borderline);
    match c.state {
        State::Covered => {
            let l = c.strength.map(Strength::letter).unwrap_or('S');
            if borderline {
                l.to_ascii_lowercase()
            } else {
                l
            }
        }
        State::Gap if borderline => 'x',
        State::Gap => 'X',
        State::NotApplicable => '-',
        State::Unknown => '?',
    }
}

const LEGEND: &str =
    "M mandatory  P permissive  E encouraged  S principle (lowercase: borderline evidence)  \
X gap  x borderline gap  - not applicable  ? unknown";

fn out_of_scope(report: &Report) -> Vec<&DocReport> {
    report
        .documents
        .iter()
        .filter(|d| d.scope == Some(Scope::None))
        .collect()
}

/// The rows shown in the matrix: every document unless it is out of scope and `all` is off.
fn shown(report: &Report, view: View) -> impl Iterator<Item = &DocReport> {
    report
        .documents
        .iter()
        .filter(move |d| view.all || d.scope != Some(Scope::None))
}

fn out_of_scope_line(report: &Report, view: View) -> Option<String> {
    let n = out_of_scope(report).len();
    (n > 0).then(|| {
        format!(
            "{n} {} out of scope (never name{} the subject): every cell not-applicable{}",
            if n == 1 { "document" } else { "documents" },
            if n == 1 { "s" } else { "" },
            if view.all { "" } else { "; --all lists them" }
        )
    })
}

/// The documents in scope only through passing mentions (`scope_doubt`), named: every cell
/// of their rows is borderline, which a matrix cell alone does not tell from any other.
fn doubt_line(report: &Report, view: View) -> Option<String> {
    let ids: Vec<&str> = shown(report, view)
        .filter(|d| d.scope_doubt.is_some())
        .map(|d| d.doc_id.as_str())
        .collect();
    (!ids.is_empty()).then(|| {
        format!(
            "scope in doubt, every cell borderline (libraries named only where others are \
             forbidden an act, must deposit copies, or among what an authority founds): {}",
            ids.join(", ")
        )
    })
}

/// JSON, as documented in docs/gaps-json.md.
pub fn write_json(report: &Report, w: &mut dyn Write) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *w, report)?;
    writeln!(w)
}

/// A matrix for the terminal: one row per document, one column per obligation (numbered,
/// with a legend below).
pub fn write_table(report: &Report, view: View, w: &mut dyn Write) -> io::Result<()> {
    // Ids are pasted back into --doc: never cut one, however wide the column gets.
    let name_width = shown(report, view)
        .map(|d| display_width(&d.doc_id))
        .max()
        .unwrap_or(8)
        .max(8);
    let mut header = pad("document", name_width);
    for i in 1..=report.obligations.len() {
        write!(header, "{i:>3}").ok();
    }
    header.push_str("  covered gaps");
    writeln!(w, "{}", header.trim_end())?;
    for d in shown(report, view) {
        let mut line = pad(&d.doc_id, name_width);
        for c in &d.obligations {
            write!(line, "{:>3}", cell_symbol(c)).ok();
        }
        if let Some(reason) = &d.unknown {
            write!(line, "  unknown: {reason}").ok();
        } else {
            write!(line, "  {:>7} {:>4}", d.covered, d.gaps).ok();
        }
        writeln!(w, "{line}")?;
    }
    if let Some(line) = out_of_scope_line(report, view) {
        writeln!(w, "\n{line}")?;
    }
    if let Some(line) = doubt_line(report, view) {
        writeln!(w, "\n{line}")?;
    }
    writeln!(w)?;
    for (i, o) in report.obligations.iter().enumerate() {
        writeln!(w, "{:>3} {}", i + 1, o.id)?;
    }
    writeln!(w, "\n{LEGEND}")
}

/// One document in detail: each obligation's state, evidence and, for gaps, model clauses.
pub fn write_details(report: &Report, w: &mut dyn Write) -> io::Result<()> {
    for d in &report.documents {
        writeln!(w, "{}  {}", d.doc_id, d.title)?;
        let meta: Vec<&str> = [
            d.jurisdiction.as_str(),
            d.level.as_str(),
            d.language.as_str(),
        ]
        .into_iter()
        .filter(|s| !s.is_empty())
        .collect();
        writeln!(w, "  {}  ({})", d.source, meta.join(", "))?;
        if let Some(reason) = &d.unknown {
            writeln!(w, "  unknown: {reason}\n")?;
            continue;
        }
        if let Some(scope) = d.scope {
            writeln!(w, "  scope {}: {}", scope.name(), d.scope_reason)?;
        }
        if let Some(doubt) = &d.scope_doubt {
            writeln!(w, "  scope in doubt, every cell borderline: {doubt}")?;
        }
        if d.scope == Some(Scope::None) {
            writeln!(w, "  every obligation not-applicable\n")?;
            continue;
        }
        writeln!(w, "  covered {}, gaps {}", d.covered, d.gaps)?;
        for c in &d.obligations {
            match c.state {
                State::Covered => {
                    let labels: Vec<&str> = c.evidence.iter().map(|e| e.label.as_str()).collect();
                    writeln!(
                        w,
                        "  covered  {:<10} {:<10} {:<32} {}",
                        c.strength.map(Strength::name).unwrap_or(""),
                        c.confidence.map(Confidence::name).unwrap_or(""),
                        c.id,
                        labels.join(", ")
                    )?;
                    if let Some(e) = c.evidence.first() {
                        let general = if e.general {
                            "(general provision) "
                        } else {
                            ""
                        };
                        writeln!(w, "           {general}{}", truncate(&e.snippet, 120))?;
                    }
                }
                State::Gap => {
                    writeln!(
                        w,
                        "  GAP      {:<10} {:<10} {}{}",
                        "",
                        c.confidence.map(Confidence::name).unwrap_or(""),
                        c.id,
                        c.reason
                            .as_deref()
                            .map(|r| format!(" ({r})"))
                            .unwrap_or_default()
                    )?;
                    for s in c.suggestions.iter().flatten() {
                        writeln!(
                            w,
                            "           model: {} {} ({}, {}): {}",
                            s.doc_id,
                            s.label,
                            s.strength,
                            if s.jurisdiction.is_empty() {
                                "?"
                            } else {
                                &s.jurisdiction
                            },
                            truncate(&s.snippet, 90)
                        )?;
                    }
                }
                State::Unknown => writeln!(w, "  unknown  {:<10} {}", "", c.id)?,
                State::NotApplicable => writeln!(w, "  n/a      {:<10} {}", "", c.id)?,
            }
        }
        writeln!(w)?;
    }
    Ok(())
}

/// One row per document × obligation.
/// Documents out of scope are left out unless `view.all`.
pub fn write_csv(report: &Report, view: View, w: &mut dyn Write) -> io::Result<()> {
    let mut out = csv::Writer::from_writer(w);
    let map = |e: csv::Error| io::Error::other(e.to_string());
    out.write_record([
        "doc_id",
        "title",
        "jurisdiction",
        "level",
        "language",
        "scope",
        "scope_confidence",
        "obligation",
        "state",
        "strength",
        "confidence",
        "general",
        "evidence",
        "score",
        "snippet",
        "suggestions",
    ])
    .map_err(map)?;
    for d in shown(report, view) {
        for c in &d.obligations {
            let evidence: Vec<&str> = c.evidence.iter().map(|e| e.label.as_str()).collect();
            let suggestions: Vec<String> = c
                .suggestions
                .iter()
                .flatten()
                .map(|s| format!("{} {}", s.doc_id, s.label))
                .collect();
            let top = c.evidence.first();
            out.write_record([
                d.doc_id.as_str(),
                d.title.as_str(),
                d.jurisdiction.as_str(),
                d.level.as_str(),
                d.language.as_str(),
                d.scope.map(Scope::name).unwrap_or(""),
                d.scope_confidence.map(Confidence::name).unwrap_or(""),
                c.id.as_str(),
                c.state.name(),
                c.strength.map(Strength::name).unwrap_or(""),
                c.confidence.map(Confidence::name).unwrap_or(""),
                if c.evidence.first().is_some_and(|e| e.general) {
                    "true"
                } else {
                    ""
                },
                &evidence.join("; "),
                &top.map(|e| e.score.to_string()).unwrap_or_default(),
                top.map(|e| e.snippet.as_str()).unwrap_or(""),
                &suggestions.join("; "),
            ])
            .map_err(map)?;
        }
    }
    out.flush()
}

/// A Markdown matrix followed by each document's evidence and gaps.
pub fn write_markdown(report: &Report, view: View, w: &mut dyn Write) -> io::Result<()> {
    let title = report
        .taxonomy_title
        .get("en")
        .cloned()
        .unwrap_or_else(|| report.taxonomy.clone());
    writeln!(w, "# Coverage: {}\n", md(&title))?;
    let t = report.totals();
    writeln!(
        w,
        "{} × {}: {} covered, {} {}, {} unknown.\n",
        count(
            report.documents.len() - t.out_of_scope,
            "document",
            "documents"
        ),
        count(report.obligations.len(), "obligation", "obligations"),
        t.covered,
        t.gaps,
        if t.gaps == 1 { "gap" } else { "gaps" },
        t.unknown
    )?;
    if let Some(line) = out_of_scope_line(report, view) {
        writeln!(w, "{}.\n", md(&line))?;
    }
    if let Some(line) = doubt_line(report, view) {
        writeln!(w, "{}.\n", md(&line))?;
    }
    let mut head = String::from("| Document |");
    let mut rule = String::from("|---|");
    for i in 1..=report.obligations.len() {
        write!(head, " {i} |").ok();
        rule.push_str(":-:|");
    }
    writeln!(w, "{head}\n{rule}")?;
    for d in shown(report, view) {
        let mut line = format!("| {} |", md(&d.doc_id));
        for c in &d.obligations {
            let s = match cell_symbol(c) {
                'X' => "✗".to_string(),
                'x' => "(✗)".to_string(),
                other => other.to_string(),
            };
            write!(line, " {s} |").ok();
        }
        writeln!(w, "{line}")?;
    }
    writeln!(
        w,
        "\nM mandatory · P permissive · E encouraged · S principle (lowercase: borderline \
         evidence) · ✗ gap · (✗) borderline gap · - not applicable · ? unknown\n"
    )?;
    for (i, o) in report.obligations.iter().enumerate() {
        let t = o.title.get("en").or_else(|| o.title.values().next());
        writeln!(
            w,
            "{}. `{}`: {}",
            i + 1,
            o.id,
            md(t.map(String::as_str).unwrap_or(""))
        )?;
    }
    for d in shown(report, view) {
        writeln!(w, "\n## {} ({})\n", md(&d.title), md(&d.doc_id))?;
        if let Some(reason) = &d.unknown {
            writeln!(w, "Unknown: {}", md(reason))?;
            continue;
        }
        if let Some(scope) = d.scope {
            writeln!(w, "Scope: {} ({}).\n", scope.name(), md(&d.scope_reason))?;
        }
        if let Some(doubt) = &d.scope_doubt {
            writeln!(w, "Scope in doubt, every cell borderline: {}.\n", md(doubt))?;
        }
        if d.scope == Some(Scope::None) {
            writeln!(w, "Every obligation not-applicable.")?;
            continue;
        }
        for c in &d.obligations {
            match c.state {
                State::Covered => {
                    let e = c.evidence.first();
                    writeln!(
                        w,
                        "- `{}`: covered, {}, {} — {}{}",
                        c.id,
                        c.strength.map(Strength::name).unwrap_or(""),
                        c.confidence.map(Confidence::name).unwrap_or(""),
                        c.evidence
                            .iter()
                            .map(|e| md(&e.label))
                            .collect::<Vec<_>>()
                            .join(", "),
                        e.map(|e| format!(": «{}»", md(&e.snippet)))
                            .unwrap_or_default()
                    )?;
                }
                State::Gap => {
                    writeln!(
                        w,
                        "- `{}`: **gap**, {}{}",
                        c.id,
                        c.confidence.map(Confidence::name).unwrap_or(""),
                        c.reason
                            .as_deref()
                            .map(|r| format!(" ({})", md(r)))
                            .unwrap_or_default()
                    )?;
                    for s in c.suggestions.iter().flatten() {
                        writeln!(
                            w,
                            "  - model: {} {} ({}): «{}»",
                            md(&s.title),
                            md(&s.label),
                            s.strength,
                            md(&s.snippet)
                        )?;
                    }
                }
                State::Unknown => writeln!(w, "- `{}`: unknown", c.id)?,
                State::NotApplicable => writeln!(w, "- `{}`: not applicable", c.id)?,
            }
        }
    }
    Ok(())
}

fn md(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '|' => out.push_str("\\|"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '*' | '_' | '`' | '[' | ']' | '\\' => {
                out.push('\\');
                out.push(c);
            }
            '\n' | '\r' => out.push(' '),
            _ => out.push(c),
        }
    }
    out
}

const CSS: &str = r#"
body{font-family:system-ui,-apple-system,"Segoe UI","Noto Sans CJK SC","PingFang SC",sans-serif;margin:1.5rem;color:#1a1a1a;line-height:1.45}
h1{font-size:1.4rem}h2{font-size:1.15rem;margin-top:2rem;border-bottom:1px solid #ccc}h3{font-size:1rem;margin:.8rem 0 .3rem}
table.matrix{border-collapse:collapse;font-size:.85rem}
.matrix th,.matrix td{border:1px solid #fff;padding:0}
.matrix thead th{background:#f3f3f3;padding:.2rem .3rem;font-weight:600}
.matrix tbody th{text-align:left;background:#f7f7f7;padding:.2rem .5rem;font-weight:normal;max-width:22rem}
.matrix td a{display:block;min-width:1.8rem;height:1.6rem;line-height:1.6rem;text-align:center;text-decoration:none;font-weight:700}
.s-mandatory{background:#08306b;color:#fff}.s-permissive{background:#2171b5;color:#fff}
.s-encouraged{background:#6baed6;color:#000}.s-principle{background:#c6dbef;color:#000}
.gap{background:repeating-linear-gradient(45deg,#fdae6b 0,#fdae6b 3px,#fff 3px,#fff 7px);color:#7f2704}
.unknown{background:#d9d9d9;color:#333}.na{background:#f0f0f0;color:#777}
.borderline{opacity:.6;outline:1px dashed #555;outline-offset:-3px}
.matrix td.s-mandatory a,.matrix td.s-permissive a{color:#fff}.matrix td.gap a{color:#7f2704}.matrix td a{color:inherit}
.legend span{display:inline-block;padding:.1rem .5rem;margin:.1rem .3rem .1rem 0;font-weight:700}
.evidence{margin:.2rem 0 .6rem 1rem}.snippet{background:#fafafa;border-left:3px solid #6baed6;padding:.2rem .5rem;margin:.2rem 0}
mark{background:#fee391;color:inherit}
.meta{color:#555;font-size:.85rem}
.state{font-weight:700}.state.gap{padding:0 .3rem}
:target{outline:3px solid #fd8d3c}
"#;

/// One self-contained HTML file: a heat map (colour by strength, hatched ✗ for gaps, every
/// cell a link to its evidence), then each document's evidence and the model clauses for
/// gaps. All document text is escaped; no scripts, no external assets.
pub fn write_html<'r>(report: &'r Report, view: View, w: &mut dyn Write) -> io::Result<()> {
    let mut h = String::with_capacity(64 * 1024);
    let title = report
        .taxonomy_title
        .get("en")
        .cloned()
        .unwrap_or_else(|| report.taxonomy.clone());
    let t = report.totals();
    let (covered, gaps, unknown) = (t.covered, t.gaps, t.unknown);
    writeln!(
        h,
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>Coverage: {}</title><style>{CSS}</style></head><body>",
        esc(&title)
    )
    .ok();
    writeln!(
        h,
        "<h1>Coverage: {}</h1>\n<p class=\"meta\">Taxonomy <code>{}</code>{}. {} × {}: \
         {covered} covered, {gaps} {}, {unknown} unknown.</p>",
        esc(&title),
        esc(&report.taxonomy),
        if report.basis.is_empty() {
            String::new()
        } else {
            format!(" — {}", esc(&report.basis))
        },
        count(
            report.documents.len() - t.out_of_scope,
            "document",
            "documents"
        ),
        count(report.obligations.len(), "obligation", "obligations"),
        if gaps == 1 { "gap" } else { "gaps" }
    )
    .ok();
    h.push_str(
        "<p class=\"legend\"><span class=\"s-mandatory\">M mandatory</span>\
         <span class=\"s-permissive\">P permissive</span>\
         <span class=\"s-encouraged\">E encouraged</span>\
         <span class=\"s-principle\">S principle</span>\
         <span class=\"s-principle borderline\">s borderline evidence</span>\
         <span class=\"gap\">✗ gap</span><span class=\"gap borderline\">✗? borderline gap</span>\
         <span class=\"na\">– not applicable</span><span class=\"unknown\">? unknown</span></p>\n",
    );
    if let Some(line) = out_of_scope_line(report, view) {
        writeln!(
            h,
            "<p class=\"meta\" id=\"out-of-scope\">{}.</p>",
            esc(&line)
        )
        .ok();
    }
    if let Some(line) = doubt_line(report, view) {
        writeln!(
            h,
            "<p class=\"meta\" id=\"scope-doubt\">{}.</p>",
            esc(&line)
        )
        .ok();
    }

    // Suggestion lists repeat across rows of the same language and level: render each
    // distinct list once and link gap cells to it.
    let mut models: HashMap<(String, Vec<(String, String)>), usize> = HashMap::new();
    let mut model_blocks: Vec<(&str, &[Suggestion])> = Vec::new();
    let mut model_of = |cell: &'r Cell| -> Option<usize> {
        let list = cell.suggestions.as_deref()?;
        let key: Vec<(String, String)> = list
            .iter()
            .map(|s| (s.doc_id.clone(), s.clause_id.0.clone()))
            .collect();
        let next = models.len();
        let id = *models.entry((cell.id.clone(), key)).or_insert(next);
        if id == next {
            model_blocks.push((cell.id.as_str(), list));
        }
        Some(id)
    };

    h.push_str("<table class=\"matrix\"><thead><tr><th scope=\"col\">Document</th>");
    for (i, o) in report.obligations.iter().enumerate() {
        write!(
            h,
            "<th scope=\"col\" title=\"{}\"><a href=\"#ob-{}\">{}</a></th>",
            esc(&column_title(o.title.get("en"), &o.id)),
            i + 1,
            i + 1
        )
        .ok();
    }
    h.push_str("</tr></thead>\n<tbody>\n");
    let mut cell_models: Vec<Vec<Option<usize>>> = Vec::with_capacity(report.documents.len());
    for (di, d) in report.documents.iter().enumerate() {
        if !view.all && d.scope == Some(Scope::None) {
            cell_models.push(Vec::new());
            continue;
        }
        write!(
            h,
            "<tr><th scope=\"row\"><a href=\"#doc-{di}\">{}</a><br><span class=\"meta\">{}</span></th>",
            esc(&d.title_or_id()),
            esc(&doc_meta(d))
        )
        .ok();
        let mut row_models = Vec::with_capacity(d.obligations.len());
        for (oi, c) in d.obligations.iter().enumerate() {
            let borderline = c.confidence == Some(Confidence::Borderline);
            let (mut class, symbol) = match c.state {
                State::Covered => {
                    let s = c.strength.unwrap_or(Strength::Principle);
                    (format!("s-{}", s.name()), cell_symbol(c).to_string())
                }
                State::Gap if borderline => ("gap".to_string(), "✗?".to_string()),
                State::Gap => ("gap".to_string(), "✗".to_string()),
                State::NotApplicable => ("na".to_string(), "–".to_string()),
                State::Unknown => ("unknown".to_string(), "?".to_string()),
            };
            if borderline {
                class.push_str(" borderline");
            }
            let model = if c.state == State::Gap {
                model_of(c)
            } else {
                None
            };
            row_models.push(model);
            let href = match (c.state, model) {
                (State::Gap, Some(m)) => format!("#m{m}"),
                (State::Unknown | State::NotApplicable, _) => format!("#doc-{di}"),
                _ => format!("#d{di}-o{oi}"),
            };
            write!(
                h,
                "<td class=\"{class}\"><a href=\"{href}\" title=\"{}: {}{}{}\">{symbol}</a></td>",
                esc(&c.id),
                c.state.name(),
                c.strength
                    .map(|s| format!(", {}", s.name()))
                    .unwrap_or_default(),
                c.confidence
                    .map(|s| format!(", {}", s.name()))
                    .unwrap_or_default()
            )
            .ok();
        }
        cell_models.push(row_models);
        h.push_str("</tr>\n");
    }
    h.push_str("</tbody></table>\n");

    h.push_str("<h2>Obligations</h2>\n<ol>\n");
    for (i, o) in report.obligations.iter().enumerate() {
        let titles: Vec<String> = o.title.values().map(|t| esc(t)).collect();
        writeln!(
            h,
            "<li id=\"ob-{}\"><code>{}</code>: {}{}</li>",
            i + 1,
            esc(&o.id),
            titles.join(" / "),
            if o.basis.is_empty() {
                String::new()
            } else {
                format!(" <span class=\"meta\">({})</span>", esc(&o.basis))
            }
        )
        .ok();
    }
    h.push_str("</ol>\n");

    for (di, d) in report.documents.iter().enumerate() {
        if !view.all && d.scope == Some(Scope::None) {
            continue;
        }
        writeln!(
            h,
            "<section id=\"doc-{di}\"><h2>{}</h2>\n<p class=\"meta\"><code>{}</code> · {} · {}</p>",
            esc(&d.title_or_id()),
            esc(&d.doc_id),
            esc(&d.source),
            esc(&doc_meta(d))
        )
        .ok();
        if let Some(reason) = &d.unknown {
            writeln!(
                h,
                "<p class=\"state unknown\">Unknown: {}</p></section>",
                esc(reason)
            )
            .ok();
            continue;
        }
        if let Some(scope) = d.scope {
            writeln!(
                h,
                "<p class=\"meta\">Scope <strong>{}</strong>: {}</p>",
                scope.name(),
                esc(&d.scope_reason)
            )
            .ok();
        }
        if let Some(doubt) = &d.scope_doubt {
            writeln!(
                h,
                "<p class=\"meta\">Scope in doubt, every cell borderline: {}</p>",
                esc(doubt)
            )
            .ok();
        }
        if d.scope == Some(Scope::None) {
            h.push_str("<p class=\"state na\">Every obligation not applicable.</p></section>\n");
            continue;
        }
        for (oi, c) in d.obligations.iter().enumerate() {
            match c.state {
                State::Covered => {
                    writeln!(
                        h,
                        "<div id=\"d{di}-o{oi}\"><h3><code>{}</code> <span class=\"state s-{}\">\
                         covered, {}, {}</span></h3>",
                        esc(&c.id),
                        c.strength.unwrap_or(Strength::Principle).name(),
                        c.strength.unwrap_or(Strength::Principle).name(),
                        c.confidence.map(Confidence::name).unwrap_or("")
                    )
                    .ok();
                    for e in &c.evidence {
                        evidence_html(&mut h, e);
                    }
                    h.push_str("</div>\n");
                }
                State::Gap => {
                    let link = cell_models
                        .get(di)
                        .and_then(|r| r.get(oi))
                        .copied()
                        .flatten()
                        .map(|m| format!(" — <a href=\"#m{m}\">model clauses</a>"))
                        .unwrap_or_default();
                    writeln!(
                        h,
                        "<div id=\"d{di}-o{oi}\"><h3><code>{}</code> <span class=\"state gap\">✗ gap, \
                         {}</span>{link}</h3>{}</div>",
                        esc(&c.id),
                        c.confidence.map(Confidence::name).unwrap_or(""),
                        c.reason
                            .as_deref()
                            .map(|r| format!("<p class=\"meta\">{}</p>", esc(r)))
                            .unwrap_or_default()
                    )
                    .ok();
                }
                State::Unknown | State::NotApplicable => {}
            }
        }
        h.push_str("</section>\n");
    }

    if !model_blocks.is_empty() {
        h.push_str("<h2>Model clauses for gaps</h2>\n");
        for (m, (obligation, list)) in model_blocks.iter().enumerate() {
            writeln!(
                h,
                "<div id=\"m{m}\"><h3>For <code>{}</code></h3>",
                esc(obligation)
            )
            .ok();
            if list.is_empty() {
                h.push_str("<p class=\"meta\">No document of the corpus covers it.</p>\n");
            }
            for s in list.iter() {
                writeln!(
                    h,
                    "<div class=\"evidence\"><strong>{}</strong> {} <span class=\"meta\">{} · \
                     {} · {}</span><div class=\"snippet\">{}</div></div>",
                    esc(&s.title),
                    esc(&s.label),
                    s.strength.name(),
                    esc(&[s.jurisdiction.as_str(), s.level.as_str()].join(" ")),
                    esc(&s.doc_id),
                    highlighted(&s.snippet, &s.hits)
                )
                .ok();
            }
            h.push_str("</div>\n");
        }
    }
    h.push_str("</body></html>\n");
    w.write_all(h.as_bytes())
}

fn evidence_html(h: &mut String, e: &Evidence) {
    writeln!(
        h,
        "<div class=\"evidence\"><strong>{}</strong> <span class=\"meta\">{} · {}{} · score {} · \
         <code>{}</code></span><div class=\"snippet\">{}</div></div>",
        esc(&e.label),
        e.strength.name(),
        e.confidence.name(),
        if e.general {
            " · general provision"
        } else {
            ""
        },
        e.score,
        esc(e.clause_id.as_str()),
        highlighted(&e.snippet, &e.hits)
    )
    .ok();
}

/// The snippet escaped, with hits (character offsets) wrapped in `<mark>`.
fn highlighted(snippet: &str, hits: &[[usize; 2]]) -> String {
    let chars: Vec<char> = snippet.chars().collect();
    let mut out = String::with_capacity(snippet.len() + 16 * hits.len());
    let mut pos = 0;
    for &[a, b] in hits {
        if a < pos || b > chars.len() || a >= b {
            continue;
        }
        out.push_str(&esc(&chars[pos..a].iter().collect::<String>()));
        out.push_str("<mark>");
        out.push_str(&esc(&chars[a..b].iter().collect::<String>()));
        out.push_str("</mark>");
        pos = b;
    }
    out.push_str(&esc(&chars[pos.min(chars.len())..]
        .iter()
        .collect::<String>()));
    out
}

/// HTML-escapes text for element content and attribute values (the same escaping as search
/// snippets).
pub fn esc(s: &str) -> String {
    crate::search::snippet::html_escape(s)
}

fn column_title(en: Option<&String>, id: &str) -> String {
    match en {
        Some(t) => format!("{id}: {t}"),
        None => id.to_string(),
    }
}

fn doc_meta(d: &DocReport) -> String {
    [
        d.jurisdiction.as_str(),
        d.level.as_str(),
        d.language.as_str(),
    ]
    .into_iter()
    .filter(|s| !s.is_empty())
    .collect::<Vec<_>>()
    .join(" · ")
}

impl DocReport {
    /// The title, or the id when the document has none.
    pub fn title_or_id(&self) -> String {
        if self.title.is_empty() {
            self.doc_id.clone()
        } else {
            self.title.clone()
        }
    }
}

/// Terminal columns a string takes (CJK and full-width characters count two).
fn display_width(s: &str) -> usize {
    UnicodeWidthStr::width(s)
}

fn char_width(c: char) -> usize {
    unicode_width::UnicodeWidthChar::width(c).unwrap_or(0)
}

fn pad(s: &str, width: usize) -> String {
    let mut out = s.to_string();
    for _ in display_width(s)..width {
        out.push(' ');
    }
    out
}

fn truncate(s: &str, width: usize) -> String {
    if display_width(s) <= width {
        return s.to_string();
    }
    let mut out = String::new();
    let mut used = 0;
    for c in s.chars() {
        let cw = char_width(c);
        if used + cw + 1 > width {
            break;
        }
        out.push(c);
        used += cw;
    }
    out.push('…');
    out
}

/// "1 document", "2 documents".
#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_hostile_text_and_marks_hits() {
        assert_eq!(
            highlighted("<b>免费</b>开放", &[[3, 5]]),
            "&lt;b&gt;<mark>免费</mark>&lt;/b&gt;开放"
        );
        assert_eq!(highlighted("abc", &[[2, 9]]), "abc");
        assert_eq!(esc("\"'&"), "&quot;&#39;&amp;");
    }

    #[test]
    fn widths_count_cjk_twice() {
        assert_eq!(display_width("图书馆ab"), 8);
        assert_eq!(truncate("图书馆图书馆", 7), "图书馆…");
        assert_eq!(pad("图", 4), "图  ");
    }
}
