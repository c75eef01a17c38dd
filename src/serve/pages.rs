//! Server-rendered pages. Every text that comes from a document, a report or the request is
//! escaped with [`esc`]; the snippet HTML of a hit is escaped text with `<mark>` around the
//! matches. Pages work without JavaScript; `/static/app.js` only adds the copy button's
//! clipboard write.

use std::fmt::Write;
use std::sync::Arc;

use axum::extract::multipart::MultipartRejection;
use axum::extract::{DefaultBodyLimit, Multipart, Path, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use serde_json::Value;

use super::error::ApiError;
use super::html::{esc, Ctx, Lang, CSS, JS};
use super::{App, SearchPage, SearchRequest};
use crate::model::SegmentedDoc;

/// Hits per page.
const PAGE_SIZE: usize = 10;
/// Rows of the heat map per page.
const ROWS_PER_PAGE: usize = 100;

/// Room for the form's own bytes (boundaries, headers, other fields) beside the draft, and for
/// the part of an oversized draft read and dropped before answering 413.
const FORM_ROOM: usize = 1024 * 1024 + 64 * 1024;

pub fn routes(max_upload: usize) -> Router<Arc<App>> {
    Router::new()
        .route("/", get(search))
        .route("/search", get(search))
        .route("/documents/{*id}", get(document))
        .route("/gaps", get(gaps))
        .route(
            "/draft",
            get(draft_form)
                .post(draft_upload)
                .layer(DefaultBodyLimit::max(max_upload.saturating_add(FORM_ROOM))),
        )
        .route("/changes", get(changes))
        .route("/static/app.css", get(|| static_file("text/css", CSS)))
        .route("/static/app.js", get(|| static_file("text/javascript", JS)))
        .fallback(not_found)
}

async fn static_file(mime: &'static str, body: &'static str) -> Response {
    (
        [
            (header::CONTENT_TYPE, mime),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        body,
    )
        .into_response()
}

async fn not_found(ctx: Ctx) -> Response {
    ctx.error(&ApiError::not_found(format!("no page at {}", ctx.path)))
}

/// The anchor of a clause in its document's page: the clause id after the document id, `/`
/// as `-` (`doc/art33` → `art33`, `doc/add2/art1` → `add2-art1`).
pub fn anchor(clause_id: &str) -> String {
    clause_id
        .split_once('/')
        .map_or(clause_id, |(_, rest)| rest)
        .replace('/', "-")
}

/// A link to a document page, at `anchor` if any. Ids are percent-encoded into the path.
fn doc_href(doc_id: &str, anchor_: Option<&str>) -> String {
    let mut href = format!("/documents/{}", encode_path(doc_id));
    if let Some(a) = anchor_ {
        href.push('#');
        href.push_str(&encode_path(a));
    }
    esc(&href)
}

fn encode_path(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            out.push(b as char);
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
    out
}

/// `/` and `/search?q=`
async fn search(State(app): State<Arc<App>>, ctx: Ctx) -> Response {
    let mut params = ctx.params.clone();
    let page_no = params.number("page", 1, 1..=super::params::MAX_DEPTH / PAGE_SIZE);
    let page_no = match page_no {
        Ok(n) => n,
        Err(e) => return ctx.error(&e),
    };
    let offset = (page_no - 1) * PAGE_SIZE;
    params = super::params::Params::parse(Some(&format!(
        "{}&limit={PAGE_SIZE}&offset={offset}",
        params.with("limit", None)
    )));
    let request = match SearchRequest::from_params(&params, "language", PAGE_SIZE) {
        Ok(r) => r,
        Err(e) => return ctx.error(&e),
    };
    let Some(mut request) = request else {
        let body = format!(
            "<h1>lawdex</h1><p>{}</p>{}",
            ctx.t("tagline"),
            search_form(&ctx, "")
        );
        return ctx.page(StatusCode::OK, "lawdex", &body);
    };
    // One hit past the page says whether there is a next one: the counts of partial and
    // translated hits are taken only when a page reaches them.
    if offset + PAGE_SIZE < super::params::MAX_DEPTH {
        request.query.limit += 1;
    }
    let page = app
        .blocking(move |app| request.run(&*app.corpus.current()?))
        .await;
    match page {
        Ok(page) => {
            let body = search_body(&ctx, &page, page_no);
            ctx.page(StatusCode::OK, &page.text, &body)
        }
        Err(e) => ctx.error(&e),
    }
}

fn search_form(ctx: &Ctx, q: &str) -> String {
    let mut hidden = String::new();
    for name in [
        "jurisdiction",
        "level",
        "kind",
        "language",
        "status",
        "year",
    ] {
        for v in ctx.params.all(name) {
            let _ = write!(
                hidden,
                "<input type=\"hidden\" name=\"{name}\" value=\"{}\">",
                esc(&v)
            );
        }
    }
    format!(
        "<form class=\"search\" action=\"/search\" method=\"get\" role=\"search\">\
         <input type=\"search\" name=\"q\" value=\"{}\" placeholder=\"{}\" aria-label=\"{}\" \
         autofocus>{hidden}<input type=\"submit\" value=\"{}\"></form>",
        esc(q),
        esc(ctx.t("search_placeholder")),
        ctx.t("search"),
        ctx.t("search")
    )
}

fn search_body(ctx: &Ctx, page: &SearchPage, page_no: usize) -> String {
    let r = &page.results;
    let mut out = search_form(ctx, &page.text);
    // Active filters, each removable.
    let mut chips = String::new();
    for name in [
        "jurisdiction",
        "level",
        "kind",
        "language",
        "status",
        "year",
    ] {
        for v in ctx.params.all(name) {
            let href = format!("/search?{}", ctx.params.with(name, None));
            let _ = write!(
                chips,
                "<span class=\"chip\">{}: {} <a href=\"{}\" aria-label=\"{}\">×</a></span>",
                ctx.t(name),
                esc(&v),
                esc(&href),
                ctx.t("remove")
            );
        }
    }
    if !chips.is_empty() {
        let _ = write!(out, "<p class=\"filters\">{chips}</p>");
    }
    out.push_str("<div class=\"layout\"><aside class=\"facets\">");
    if let Some(f) = &r.facets {
        let mut facet = |name: &str, items: Vec<(String, usize)>| {
            if items.is_empty() {
                return;
            }
            let _ = write!(out, "<h4>{}</h4><ul data-facet=\"{name}\">", ctx.t(name));
            for (value, n) in items {
                if value.is_empty() {
                    continue;
                }
                let href = format!(
                    "/search?{}",
                    ctx.params
                        .with("page", None)
                        .split('&')
                        .filter(|p| !p.starts_with(&format!("{name}=")))
                        .chain([format!("{name}={}", encode_query(&value)).as_str()])
                        .filter(|p| !p.is_empty())
                        .collect::<Vec<_>>()
                        .join("&")
                );
                let _ = write!(
                    out,
                    "<li><a href=\"{}\" data-value=\"{}\">{}</a> <span class=\"note\">{n}</span></li>",
                    esc(&href),
                    esc(&value),
                    esc(&value)
                );
            }
            out.push_str("</ul>");
        };
        let by_count = |m: &std::collections::BTreeMap<String, usize>| {
            let mut v: Vec<(String, usize)> = m.iter().map(|(k, n)| (k.clone(), *n)).collect();
            v.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
            v
        };
        // Each link's count is what the link finds: the filter is a prefix.
        facet(
            "jurisdiction",
            by_count(&f.jurisdictions_with_subdivisions()),
        );
        facet("level", by_count(&f.level));
        let mut years: Vec<(String, usize)> =
            f.year.iter().map(|(y, n)| (y.to_string(), *n)).collect();
        years.reverse();
        facet("year", years);
    }
    out.push_str("</aside><section class=\"hits\">");
    let hits = r.hits.iter().enumerate().skip(page.offset).take(page.limit);
    if r.hits.len() <= page.offset {
        let _ = write!(
            out,
            "<p class=\"none\"><strong>{}</strong></p>{}",
            ctx.t("no_match"),
            suggestions(ctx, &page.text)
        );
    } else {
        let _ = write!(
            out,
            "<p class=\"count\"><span data-total=\"{total}\">{total}</span> {}</p>",
            ctx.t("results"),
            total = r.total
        );
        if r.cited.is_some() {
            let _ = write!(out, "<p class=\"note\">{}</p>", ctx.t("cited_note"));
        }
        if r.cited_not_found.is_some() {
            let _ = write!(out, "<p class=\"note\">{}</p>", ctx.t("cited_not_found"));
        }
        if r.hits.iter().any(|h| h.translated) {
            let _ = write!(out, "<p class=\"note\">{}</p>", ctx.t("translated_note"));
        }
        if r.relaxed {
            // "No clause has every word" is true only when none has them as typed nor
            // through translations.
            let key = match r.hits.iter().any(|h| h.all_words) {
                true => "relaxed_after",
                false => "relaxed",
            };
            let _ = write!(out, "<p class=\"note\">{}</p>", ctx.t(key));
        }
    }
    for (i, h) in hits {
        let citation = h.citation();
        let partial = match (h.all_words, h.translated) {
            (true, false) => String::new(),
            (true, true) => format!(
                " <span class=\"note translated\">({})</span>",
                ctx.t("translated")
            ),
            (false, _) => format!(
                " <span class=\"note partial\">({})</span>",
                ctx.t("partial")
            ),
        };
        let mut meta: Vec<String> = [&h.jurisdiction, &h.level, &h.kind]
            .iter()
            .filter(|s| !s.is_empty())
            .map(|s| esc(s))
            .collect();
        if let Some(y) = h.year {
            meta.push(y.to_string());
        }
        // The divisions it is under: a word may match only there.
        if !h.heading_marks.is_empty() {
            let marked: Vec<String> = h.heading_marks.iter().map(|m| m.html()).collect();
            meta.push(marked.join(" / "));
        }
        let para_anchor = match h.paragraph {
            Some(n) => format!("{}-para{n}", anchor(&h.clause_id)),
            None => anchor(&h.clause_id),
        };
        let _ = write!(
            out,
            "<article class=\"hit\" data-rank=\"{rank}\"><h3><a href=\"{href}\">{cite}</a>{partial}</h3>\
             <p class=\"snippet\">{snippet}</p><p class=\"meta\">{meta} · <code>{id}</code> \
             <button type=\"button\" class=\"copy\" data-citation=\"{cite}\">{copy}</button></p>{related}</article>",
            rank = i + 1,
            href = doc_href(&h.doc_id, Some(&para_anchor)),
            cite = esc(&citation),
            snippet = h.snippet.html(),
            meta = meta.join(" · "),
            id = esc(&h.clause_id),
            copy = ctx.t("copy"),
            related = related(ctx, h),
        );
    }
    // Paging: as far as there are ranked hits (the search read one past the page).
    let more = r.hits.len() > page.offset + page.limit;
    out.push_str(&pager(ctx, "/search", page_no, more));
    if !r.corrections.is_empty() {
        let shown: Vec<String> = r
            .corrections
            .iter()
            .map(|c| format!("{} → {}", esc(&c.typed), esc(&c.read_as)))
            .collect();
        let _ = write!(
            out,
            "<p class=\"note\">{} {}</p>",
            ctx.t("corrected"),
            shown.join("、")
        );
    }
    if !r.places.is_empty() {
        let shown: Vec<String> = r
            .places
            .iter()
            .map(|p| format!("{} ({})", esc(&p.jurisdiction), esc(&p.word)))
            .collect();
        let _ = write!(
            out,
            "<p class=\"note\">{} {}</p>",
            ctx.t("place"),
            shown.join("、")
        );
    }
    if !r.expansions.is_empty() {
        let _ = write!(out, "<p class=\"note\">{} ", ctx.t("synonyms"));
        let shown: Vec<String> = r
            .expansions
            .iter()
            .map(|e| {
                let syn: Vec<String> = e.synonyms.iter().map(|s| esc(&s.text)).collect();
                format!("{} → {}", esc(&e.word), syn.join("、"))
            })
            .collect();
        let _ = write!(out, "{}</p>", shown.join("；"));
    }
    out.push_str("</section></div>");
    out
}

fn encode_query(s: &str) -> String {
    form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

/// What to try when nothing matched: the search without filters, and each word alone.
/// Previous and next links around "page N" for `path` with the current parameters; empty
/// when there is a single page.
fn pager(ctx: &Ctx, path: &str, page_no: usize, more: bool) -> String {
    let link = |rel: &str, to: usize, text: &str| {
        let href = format!("{path}?{}", ctx.params.with("page", Some(&to.to_string())));
        format!("<a rel=\"{rel}\" href=\"{}\">{text}</a>", esc(&href))
    };
    let mut pager = String::new();
    if page_no > 1 {
        pager.push_str(&link("prev", page_no - 1, ctx.t("prev")));
    }
    if page_no > 1 || more {
        let _ = write!(
            pager,
            "<span>{}</span>",
            ctx.t("page").replace("{}", &page_no.to_string())
        );
    }
    if more {
        pager.push_str(&link("next", page_no + 1, ctx.t("next")));
    }
    if pager.is_empty() {
        pager
    } else {
        format!("<nav class=\"pager\">{pager}</nav>")
    }
}

/// The headings a clause opens, with their depth: those it does not share with the clause
/// before it (`prev`'s headings).
fn opened<'c>(prev: &[String], now: &'c [String]) -> impl Iterator<Item = (usize, &'c String)> {
    let common = now.iter().zip(prev).take_while(|(a, b)| a == b).count();
    now.iter().enumerate().skip(common)
}

fn suggestions(ctx: &Ctx, text: &str) -> String {
    let mut items = String::new();
    let filtered = [
        "jurisdiction",
        "level",
        "kind",
        "language",
        "status",
        "year",
    ]
    .iter()
    .any(|n| ctx.params.get(n).is_some());
    if filtered {
        let href = format!("/search?q={}", encode_query(text));
        let _ = write!(
            items,
            "<li><a href=\"{}\">{}</a></li>",
            esc(&href),
            ctx.t("without_filters")
        );
    }
    let words: Vec<&str> = text.split_whitespace().collect();
    if words.len() > 1 {
        let links: Vec<String> = words
            .iter()
            .take(8)
            .map(|w| {
                let href = format!("/search?q={}", encode_query(w));
                format!("<a href=\"{}\">{}</a>", esc(&href), esc(w))
            })
            .collect();
        let _ = write!(
            items,
            "<li>{} {}</li>",
            ctx.t("fewer_words"),
            links.join(" · ")
        );
    }
    let _ = write!(items, "<li>{}</li>", ctx.t("other_words"));
    format!(
        "<div class=\"suggestions\"><p>{}</p><ul>{items}</ul></div>",
        ctx.t("try")
    )
}

/// `/documents/{id}`
async fn document(State(app): State<Arc<App>>, ctx: Ctx, Path(id): Path<String>) -> Response {
    if let Err(e) = super::check_id(&id) {
        return ctx.error(&e);
    }
    let lookup = id.clone();
    let doc = app
        .blocking(move |app| {
            let g = app.corpus.current()?;
            let index = g.searcher.index();
            let doc = index
                .document(&lookup)?
                .ok_or_else(|| ApiError::not_found(format!("no document with id `{lookup}`")))?;
            // The grouping the searcher keeps for this commit: a document not in it is a law
            // of one text.
            let works = g.searcher.grouped_works().ok();
            Ok::<_, ApiError>((doc, works))
        })
        .await;
    match doc {
        Ok((doc, works)) => {
            let mut body = document_body(&ctx, &doc);
            if let Some(w) = works {
                // After the metadata list, before the front matter and the articles.
                let texts = work_texts(&ctx, &doc, &w);
                match body.find("</dl>") {
                    Some(i) => body.insert_str(i + "</dl>".len(), &texts),
                    None => body.push_str(&texts),
                }
            }
            ctx.page(StatusCode::OK, &doc.info.title, &body)
        }
        Err(e) => ctx.error(&e),
    }
}

fn source_link(source: &str) -> String {
    if source.starts_with("https://") || source.starts_with("http://") {
        format!(
            "<a href=\"{s}\" rel=\"noopener noreferrer nofollow\">{s}</a>",
            s = esc(source)
        )
    } else {
        format!("<code>{}</code>", esc(source))
    }
}

fn document_body(ctx: &Ctx, doc: &SegmentedDoc) -> String {
    let info = &doc.info;
    let mut out = format!("<h1>{}</h1><dl class=\"info\">", esc(&info.title));
    let mut row = |key: &str, value: String| {
        if !value.is_empty() {
            let _ = write!(out, "<dt>{}</dt><dd>{value}</dd>", ctx.t(key));
        }
    };
    row("id", format!("<code>{}</code>", esc(&info.id)));
    row("jurisdiction", esc(&info.jurisdiction));
    row("level", esc(&info.level));
    row("kind", esc(&info.kind));
    row("status", esc(&info.status));
    row("year", info.year.map(|y| y.to_string()).unwrap_or_default());
    row("language", esc(&info.language));
    row("format", esc(info.format.name()));
    row("structure", esc(&info.structure));
    row("clauses", doc.clauses.len().to_string());
    row("source", source_link(&info.source));
    out.push_str("</dl>");
    if let Some(e) = &info.error {
        let _ = write!(out, "<p class=\"error\">{}</p>", esc(e));
    }
    if !info.preamble.is_empty() {
        let _ = write!(out, "<details><summary>{}</summary>", ctx.t("preamble"));
        for p in &info.preamble {
            let _ = write!(out, "<p>{}</p>", esc(p));
        }
        out.push_str("</details>");
    }
    // Contents: each heading, linked to its first article.
    let mut toc = String::new();
    let mut last: &[String] = &[];
    for c in &doc.clauses {
        for (depth, h) in opened(last, &c.headings) {
            let _ = write!(
                toc,
                "<li class=\"d{}\"><a href=\"#{}\">{}</a></li>",
                depth.min(4),
                esc(&anchor(c.id.as_str())),
                esc(h)
            );
        }
        last = &c.headings;
    }
    if !toc.is_empty() {
        let _ = write!(
            out,
            "<details class=\"toc\" open><summary>{}</summary><ul>{toc}</ul></details>",
            ctx.t("contents")
        );
    }
    let mut last: &[String] = &[];
    for c in &doc.clauses {
        for (depth, h) in opened(last, &c.headings) {
            let level = (depth + 2).min(4);
            let _ = write!(out, "<h{level}>{}</h{level}>", esc(h));
        }
        last = &c.headings;
        let a = anchor(c.id.as_str());
        let citation = crate::model::citation(&info.title, &c.cited_label(None));
        let caption = if c.caption.is_empty() {
            String::new()
        } else {
            format!(" {}", esc(&c.caption))
        };
        let _ = write!(
            out,
            "<section class=\"clause\" id=\"{a}\" data-clause=\"{id}\"><h4><a href=\"#{a}\">{label}</a>{caption} \
             <button type=\"button\" class=\"copy\" data-citation=\"{cite}\">{copy}</button></h4>",
            a = esc(&a),
            id = esc(c.id.as_str()),
            label = esc(&c.label),
            cite = esc(&citation),
            copy = ctx.t("copy"),
        );
        let paragraphs: Vec<&String> = if c.paragraphs.is_empty() {
            vec![&c.text]
        } else {
            c.paragraphs.iter().collect()
        };
        let several = paragraphs.len() > 1;
        for (i, p) in paragraphs.iter().enumerate() {
            let n = i + 1;
            if several {
                let label = c.paragraph_label(n);
                let _ = write!(
                    out,
                    "<p id=\"{a}-para{n}\" title=\"{cite}\"><a class=\"para\" href=\"#{a}-para{n}\">{label}</a>{text}</p>",
                    a = esc(&a),
                    cite = esc(&crate::model::citation(&info.title, &c.cited_label(Some(n)))),
                    label = esc(&label),
                    text = esc(p),
                );
            } else {
                let _ = write!(out, "<p>{}</p>", esc(p));
            }
        }
        out.push_str("</section>");
    }
    out
}

/// A hit's version and the same article in the law's other copies and versions, each
/// linked to the article in that text (nothing for a law of one text).
fn related(ctx: &Ctx, h: &crate::search::Hit) -> String {
    if h.copies.is_empty() && h.versions.is_empty() {
        return String::new();
    }
    let link = |r: &crate::search::Related, label: String| match &r.clause_id {
        Some(c) => format!(
            "<a href=\"{}\">{label}</a>",
            doc_href(&r.doc_id, Some(&anchor(c)))
        ),
        None => format!("<a href=\"{}\">{label}</a>", doc_href(&r.doc_id, None)),
    };
    let mut parts = Vec::new();
    if let (Some(v), Some(status)) = (&h.version, &h.version_status) {
        parts.push(format!(
            "{} {} ({})",
            ctx.t("version"),
            esc(v),
            ctx.t(status_key(status))
        ));
    }
    if !h.copies.is_empty() {
        let copies: Vec<String> = h
            .copies
            .iter()
            .map(|c| link(c, esc(c.format.name())))
            .collect();
        parts.push(format!(
            "{}{}{}",
            ctx.t("copies"),
            colon(ctx),
            copies.join(", ")
        ));
    }
    if !h.versions.is_empty() {
        let versions: Vec<String> = h
            .versions
            .iter()
            .map(|v| {
                let text = match v.text {
                    Some("same") => "text_same",
                    Some("changed") => "text_changed",
                    _ => "text_absent",
                };
                link(
                    v,
                    format!(
                        "{} ({}, {})",
                        esc(&v.version),
                        ctx.t(status_key(&v.status)),
                        ctx.t(text)
                    ),
                )
            })
            .collect();
        parts.push(format!(
            "{}{}{}",
            ctx.t("other_versions"),
            colon(ctx),
            versions.join(", ")
        ));
    }
    format!("<p class=\"meta versions\">{}</p>", parts.join(" · "))
}

/// The interface-text key of a version status (an unknown one reads as the word `status`).
fn status_key(status: &str) -> &'static str {
    match status {
        "in-force" => "st_in_force",
        "superseded" => "st_superseded",
        "repealed" => "st_repealed",
        "draft" => "st_draft",
        _ => "status",
    }
}

/// The versions and copies of the work `doc` belongs to, each linked, `doc` itself marked
/// (nothing for a law of one text).
fn work_texts(ctx: &Ctx, doc: &SegmentedDoc, works: &crate::work::Works) -> String {
    let Some((work, _)) = works.of(&doc.info.id) else {
        return String::new();
    };
    if work.versions.iter().map(|v| v.copies.len()).sum::<usize>() < 2 {
        return String::new();
    }
    let mut out = format!(
        "<details class=\"work\" open><summary>{}</summary><ul>",
        ctx.t("work_texts")
    );
    for v in work.versions.iter().rev() {
        let copies: Vec<String> = v
            .copies
            .iter()
            .map(|c| {
                let name = esc(c.format.name());
                if c.doc_id == doc.info.id {
                    format!("<strong>{name} ({})</strong>", ctx.t("this_text"))
                } else {
                    format!("<a href=\"{}\">{name}</a>", doc_href(&c.doc_id, None))
                }
            })
            .collect();
        let _ = write!(
            out,
            "<li>{} {} ({}){}{}</li>",
            ctx.t("version"),
            esc(&v.label),
            ctx.t(status_key(v.status.name())),
            colon(ctx),
            copies.join(", ")
        );
    }
    out.push_str("</ul></details>");
    out
}

/// `/gaps?doc=&jurisdiction=&page=`
async fn gaps(State(app): State<Arc<App>>, ctx: Ctx) -> Response {
    let docs = ctx.params.all("doc");
    let jurisdictions = ctx.params.all("jurisdiction");
    let page_no = match ctx.params.number("page", 1, 1..=100_000) {
        Ok(n) => n,
        Err(e) => return ctx.error(&e),
    };
    for d in &docs {
        if let Err(e) = super::check_id(d) {
            return ctx.error(&e);
        }
    }
    let report = app
        .blocking(move |app| {
            let generation = app.corpus.current()?;
            generation.check_jurisdictions(&jurisdictions)?;
            let cov = generation.coverage()?;
            let all = cov.report["documents"].as_array().map_or(0, Vec::len);
            let jurisdictions_present: std::collections::BTreeSet<String> = cov.report["documents"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|r| r["jurisdiction"].as_str())
                .filter(|j| !j.is_empty())
                .map(String::from)
                .collect();
            let r = super::select_rows(&cov, &docs, &jurisdictions)?;
            Ok((r, all, jurisdictions_present))
        })
        .await;
    match report {
        Ok((report, _, present)) => {
            let mut body = format!("<h1>{}</h1>", ctx.t("coverage"));
            let title = obligation_title(&report["taxonomy_title"], ctx.lang);
            if !title.is_empty() {
                let _ = write!(body, "<p class=\"note\">{}</p>", esc(&title));
            }
            // Jurisdiction links.
            let mut links = vec![format!("<a href=\"/gaps\">{}</a>", ctx.t("all"))];
            for j in &present {
                let href = format!("/gaps?jurisdiction={}", encode_query(j));
                links.push(format!("<a href=\"{}\">{}</a>", esc(&href), esc(j)));
            }
            let _ = write!(
                body,
                "<p class=\"filters\">{}: {}</p>",
                ctx.t("jurisdiction"),
                links.join(" · ")
            );
            body.push_str(&legend(&ctx));
            body.push_str(&heat_map(&ctx, &report, page_no));
            ctx.page(StatusCode::OK, ctx.t("coverage"), &body)
        }
        Err(e) => ctx.error(&e),
    }
}

fn legend(ctx: &Ctx) -> String {
    let mut out = String::from("<p class=\"legend\">");
    for (state, sym) in [
        ("covered", "●"),
        ("gap", "○"),
        ("not-applicable", "–"),
        ("unknown", "?"),
    ] {
        let _ = write!(out, "<span class=\"{state}\">{sym} {}</span>", ctx.t(state));
    }
    out.push_str("</p>");
    out
}

/// An obligation's (or taxonomy's) title in the interface language, else any.
fn obligation_title(titles: &Value, lang: Lang) -> String {
    let Some(map) = titles.as_object() else {
        return String::new();
    };
    map.get(lang.code())
        .or_else(|| map.values().next())
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_string()
}

fn symbol(state: &str) -> &'static str {
    match state {
        "covered" => "●",
        "gap" => "○",
        "not-applicable" => "–",
        _ => "?",
    }
}

/// The matrix as a table per scope: documents in scope first, out-of-scope ones apart (when
/// the coverage report says `scope`). Each cell is a `<details>` holding its evidence, or
/// for a gap its model clauses: it opens without JavaScript.
fn heat_map(ctx: &Ctx, report: &Value, page_no: usize) -> String {
    let columns: Vec<(String, String)> = report["obligations"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|o| {
            (
                o["id"].as_str().unwrap_or("").to_string(),
                obligation_title(&o["title"], ctx.lang),
            )
        })
        .collect();
    let rows: Vec<&Value> = report["documents"]
        .as_array()
        .into_iter()
        .flatten()
        .collect();
    let (inside, outside): (Vec<&Value>, Vec<&Value>) = rows
        .into_iter()
        .partition(|r| r["scope"].as_str() != Some("none"));
    let start = (page_no - 1) * ROWS_PER_PAGE;
    let shown: Vec<&Value> = inside
        .iter()
        .skip(start)
        .take(ROWS_PER_PAGE)
        .copied()
        .collect();
    let mut out = table(ctx, &columns, &shown);
    if inside.len() > ROWS_PER_PAGE {
        out.push_str(&pager(
            ctx,
            "/gaps",
            page_no,
            start + ROWS_PER_PAGE < inside.len(),
        ));
    }
    if !outside.is_empty() && page_no == 1 {
        let _ = write!(
            out,
            "<h2 id=\"out-of-scope\">{}</h2><p class=\"note\">{}</p>",
            ctx.t("out_of_scope"),
            ctx.t("out_of_scope_note")
        );
        out.push_str(&table(ctx, &columns, &outside));
    }
    out
}

fn table(ctx: &Ctx, columns: &[(String, String)], rows: &[&Value]) -> String {
    let mut out = String::from("<div class=\"scroll\"><table class=\"heat\"><thead><tr><th></th>");
    for (id, title) in columns {
        let _ = write!(
            out,
            "<th title=\"{}\">{}</th>",
            esc(id),
            esc(if title.is_empty() { id } else { title })
        );
    }
    out.push_str("</tr></thead><tbody>");
    for r in rows {
        let doc_id = r["doc_id"].as_str().unwrap_or("");
        let title = r["title"]
            .as_str()
            .filter(|t| !t.is_empty())
            .unwrap_or(doc_id);
        let meta: Vec<String> = ["jurisdiction", "level"]
            .iter()
            .filter_map(|k| r[*k].as_str())
            .filter(|s| !s.is_empty())
            .map(esc)
            .collect();
        let link = if doc_id == "draft" {
            esc(title)
        } else {
            format!("<a href=\"{}\">{}</a>", doc_href(doc_id, None), esc(title))
        };
        // A document in scope only through passing mentions: every cell is borderline.
        let doubt = r["scope_doubt"]
            .as_str()
            .map(|why| {
                format!(
                    " <span class=\"note doubt\" title=\"{}\">{}</span>",
                    esc(why),
                    ctx.t("scope_in_doubt")
                )
            })
            .unwrap_or_default();
        let _ = write!(
            out,
            "<tr data-doc=\"{}\"><th class=\"doc\">{link} <span class=\"note\">{}</span>{doubt}</th>",
            esc(doc_id),
            meta.join(" ")
        );
        for cell in r["obligations"].as_array().into_iter().flatten() {
            out.push_str(&cell_html(ctx, r, cell));
        }
        out.push_str("</tr>");
    }
    out.push_str("</tbody></table></div>");
    out
}

fn cell_html(ctx: &Ctx, row: &Value, cell: &Value) -> String {
    let state = cell["state"].as_str().unwrap_or("unknown");
    let class = match state {
        "covered" | "gap" | "not-applicable" => state,
        _ => "unknown",
    };
    let mut inner = format!(
        "<p class=\"state\">{}{}</p>",
        ctx.t(class),
        cell["strength"]
            .as_str()
            .map(|s| format!(" · {}", esc(s)))
            .unwrap_or_default()
    );
    for key in ["reason"] {
        if let Some(s) = cell[key].as_str() {
            let _ = write!(inner, "<p class=\"note\">{}</p>", esc(s));
        }
    }
    if state == "unknown" {
        if let Some(s) = row["unknown"].as_str() {
            let _ = write!(inner, "<p class=\"note\">{}</p>", esc(s));
        }
    }
    let doc_id = row["doc_id"].as_str().unwrap_or("");
    if let Some(ev) = cell["evidence"].as_array().filter(|e| !e.is_empty()) {
        let _ = write!(
            inner,
            "<p><strong>{}</strong></p><ul class=\"evidence\">",
            ctx.t("evidence")
        );
        for e in ev {
            let clause = e["clause_id"].as_str().unwrap_or("");
            let label = e["label"].as_str().unwrap_or("");
            let para = e["paragraph"].as_u64();
            let a = match para {
                Some(n) if label != e["article"].as_str().unwrap_or(label) => {
                    format!("{}-para{n}", anchor(clause))
                }
                _ => anchor(clause),
            };
            let link = if doc_id == "draft" {
                esc(label)
            } else {
                format!(
                    "<a href=\"{}\">{}</a>",
                    doc_href(doc_id, Some(&a)),
                    esc(label)
                )
            };
            let _ = write!(
                inner,
                "<li>{link}{}{}</li>",
                colon(ctx),
                marked(e["snippet"].as_str().unwrap_or(""), &e["hits"])
            );
        }
        inner.push_str("</ul>");
    }
    if state == "gap" {
        let _ = write!(inner, "<p><strong>{}</strong></p>", ctx.t("models"));
        match cell["suggestions"].as_array().filter(|s| !s.is_empty()) {
            None => {
                let _ = write!(inner, "<p class=\"note\">{}</p>", ctx.t("no_models"));
            }
            Some(list) => {
                inner.push_str("<ul class=\"models\">");
                for s in list {
                    let doc = s["doc_id"].as_str().unwrap_or("");
                    let clause = s["clause_id"].as_str().unwrap_or("");
                    let cite = crate::model::citation(
                        s["title"].as_str().unwrap_or(doc),
                        s["label"].as_str().unwrap_or(""),
                    );
                    let _ = write!(
                        inner,
                        "<li class=\"model\"><a href=\"{}\">{}</a> <span class=\"note\">{}</span><br>{}</li>",
                        doc_href(doc, Some(&anchor(clause))),
                        esc(&cite),
                        esc(s["jurisdiction"].as_str().unwrap_or("")),
                        marked(s["snippet"].as_str().unwrap_or(""), &s["hits"])
                    );
                }
                inner.push_str("</ul>");
            }
        }
    }
    let obligation = cell["id"].as_str().unwrap_or("");
    format!(
        "<td class=\"{class}\" data-obligation=\"{}\" data-state=\"{}\"><details><summary title=\"{}\">{}</summary><div>{inner}</div></details></td>",
        esc(obligation),
        esc(state),
        ctx.t(class),
        symbol(state)
    )
}

fn colon(ctx: &Ctx) -> &'static str {
    if ctx.lang == Lang::Zh {
        "："
    } else {
        ": "
    }
}

/// A snippet with its cue hits (`[start, end)` character offsets) in `<mark>`, escaped.
fn marked(snippet: &str, hits: &Value) -> String {
    let chars: Vec<char> = snippet.chars().collect();
    let mut ranges: Vec<(usize, usize)> = hits
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|h| Some((h[0].as_u64()? as usize, h[1].as_u64()? as usize)))
        .filter(|(a, b)| a < b && *b <= chars.len())
        .collect();
    ranges.sort();
    let mut out = String::new();
    let mut at = 0;
    for (a, b) in ranges {
        if a < at {
            continue;
        }
        out.push_str(&esc(&chars[at..a].iter().collect::<String>()));
        let _ = write!(
            out,
            "<mark>{}</mark>",
            esc(&chars[a..b].iter().collect::<String>())
        );
        at = b;
    }
    out.push_str(&esc(&chars[at..].iter().collect::<String>()));
    out
}

/// `GET /draft`
async fn draft_form(ctx: Ctx) -> Response {
    let body = format!("<h1>{}</h1>{}", ctx.t("draft"), upload_form(&ctx));
    ctx.page(StatusCode::OK, ctx.t("draft"), &body)
}

fn upload_form(ctx: &Ctx) -> String {
    format!(
        "<form class=\"upload\" action=\"/draft\" method=\"post\" enctype=\"multipart/form-data\">\
         <p><label>{} <input type=\"file\" name=\"draft\" required></label></p>\
         <p class=\"note\">{}</p><p><input type=\"submit\" value=\"{}\"></p></form>",
        ctx.t("upload"),
        ctx.t("upload_note"),
        ctx.t("check")
    )
}

/// `POST /draft`: a multipart form with the file in `draft`.
async fn draft_upload(
    State(app): State<Arc<App>>,
    ctx: Ctx,
    multipart: Result<Multipart, MultipartRejection>,
) -> Response {
    // A body that is no form (a bare file, a form without its boundary) gets the page's own
    // error, not the framework's plain text.
    let multipart = match multipart {
        Ok(m) => m,
        Err(e) => {
            return ctx.error(&ApiError::bad_request(format!(
                "the upload is not a multipart form with a `draft` file: {}",
                e.body_text()
            )))
        }
    };
    let limit = app.settings.max_upload;
    let file = read_upload(multipart, limit).await;
    let (name, bytes) = match file {
        Ok(f) => f,
        Err(e) => return ctx.error(&e),
    };
    let report = app
        .blocking(move |app| super::draft_report(app, &bytes, name.as_deref()))
        .await;
    match report {
        Ok(report) => {
            let mut body = format!("<h1>{}</h1>", ctx.t("draft_result"));
            body.push_str(&legend(&ctx));
            body.push_str(&heat_map(&ctx, &report, 1));
            body.push_str(&upload_form(&ctx));
            ctx.page(StatusCode::OK, ctx.t("draft_result"), &body)
        }
        Err(e) => ctx.error(&e),
    }
}

async fn read_upload(
    mut multipart: Multipart,
    limit: usize,
) -> Result<(Option<String>, Vec<u8>), ApiError> {
    let too_large = || {
        ApiError::too_large(format!(
            "the draft is larger than {limit} bytes (lawdex serve --max-upload)"
        ))
    };
    let malformed = |e: axum::extract::multipart::MultipartError| {
        if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
            too_large()
        } else {
            ApiError::bad_request(format!("malformed form: {e}"))
        }
    };
    let mut parts = 0;
    let mut found: Option<(Option<String>, Vec<u8>)> = None;
    let mut oversized = false;
    // Every part is read to the end (an oversized draft up to the route's body limit and
    // dropped), so the client reads the answer instead of a reset connection.
    while let Some(mut field) = multipart.next_field().await.map_err(malformed)? {
        parts += 1;
        if parts > 8 {
            return Err(ApiError::bad_request("malformed form: too many parts"));
        }
        let wanted = field.name() == Some("draft") && found.is_none();
        let name = field.file_name().map(String::from);
        let mut bytes = Vec::new();
        while let Some(chunk) = field.chunk().await.map_err(malformed)? {
            if !wanted || oversized {
                continue;
            }
            if bytes.len() + chunk.len() > limit {
                oversized = true;
                bytes = Vec::new();
                continue;
            }
            bytes.extend_from_slice(&chunk);
        }
        if wanted {
            found = Some((name, bytes));
        }
    }
    if oversized {
        return Err(too_large());
    }
    match found {
        None => Err(ApiError::bad_request("no file in the form field `draft`")),
        Some((_, bytes)) if bytes.is_empty() => {
            Err(ApiError::bad_request("the draft file is empty"))
        }
        Some(f) => Ok(f),
    }
}

/// `/changes`: the newest change report, by document and article.
async fn changes(State(app): State<Arc<App>>, ctx: Ctx) -> Response {
    let report = app
        .blocking(|app| super::newest_report(app.corpus.data_dir()))
        .await;
    let report = match report {
        Ok(r) => r,
        Err(e) => return ctx.error(&e),
    };
    let Some((name, r)) = report else {
        let body = format!(
            "<h1>{}</h1><p>{}</p>",
            ctx.t("changes"),
            esc(ctx.t("no_report"))
        );
        return ctx.page(StatusCode::OK, ctx.t("changes"), &body);
    };
    let s = |v: &Value| v.as_str().map(esc).unwrap_or_default();
    let n = |v: &Value| v.as_u64().unwrap_or(0);
    let mut body = format!(
        "<h1>{}</h1><p class=\"note\"><code>{}</code> · {} · {}</p><p>",
        ctx.t("changes"),
        esc(&name),
        s(&r["command"]),
        s(&r["started"])
    );
    for key in ["new", "changed", "removed", "unchanged"] {
        let _ = write!(
            body,
            "<span class=\"chip\">{} {}</span>",
            ctx.t(key),
            n(&r[key])
        );
    }
    body.push_str("</p>");
    for c in r["changes"].as_array().into_iter().flatten() {
        let id = c["id"].as_str().unwrap_or("");
        let state = c["state"].as_str().unwrap_or("");
        let title = c["title"].as_str().filter(|t| !t.is_empty()).unwrap_or(id);
        let heading = if state == "removed" {
            esc(title)
        } else {
            format!("<a href=\"{}\">{}</a>", doc_href(id, None), esc(title))
        };
        let _ = write!(
            body,
            "<section class=\"change\" data-doc=\"{}\" data-state=\"{}\"><h3>{heading} <span class=\"chip\">{}</span></h3><p class=\"note\"><code>{}</code> · {} {}</p>",
            esc(id),
            esc(state),
            esc(match state {
                "new" | "changed" | "removed" => ctx.t(state),
                other => other,
            }),
            esc(id),
            ctx.t("clauses"),
            n(&c["clauses"])
        );
        for (key, label) in [
            ("added", "added"),
            ("changed", "changed_articles"),
            ("removed", "removed_articles"),
        ] {
            let list: Vec<String> = c["articles"][key]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(Value::as_str)
                .map(esc)
                .collect();
            if !list.is_empty() {
                let _ = write!(
                    body,
                    "<p><strong>{}</strong>{}{}</p>",
                    ctx.t(label),
                    colon(&ctx),
                    list.join(if ctx.lang == Lang::Zh { "、" } else { ", " })
                );
            }
        }
        let moves: Vec<String> = c["coverage"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|m| {
                format!(
                    "{}: {} → {}",
                    s(&m["obligation"]),
                    s(&m["from"]),
                    s(&m["to"])
                )
            })
            .collect();
        if !moves.is_empty() {
            let _ = write!(
                body,
                "<p><strong>{}</strong>{}{}</p>",
                ctx.t("coverage_moves"),
                colon(&ctx),
                moves.join(if ctx.lang == Lang::Zh { "；" } else { "; " })
            );
        }
        body.push_str("</section>");
    }
    for (key, label, field) in [
        ("suspect", "held_back", "reason"),
        ("failed", "failed", "error"),
    ] {
        let list = r[key].as_array().cloned().unwrap_or_default();
        if list.is_empty() {
            continue;
        }
        let _ = write!(body, "<h2>{}</h2><ul>", ctx.t(label));
        for f in &list {
            let _ = write!(
                body,
                "<li><code>{}</code>: {}</li>",
                s(&f["source"]),
                s(&f[field])
            );
        }
        body.push_str("</ul>");
    }
    ctx.page(StatusCode::OK, ctx.t("changes"), &body)
}
