//! Walking a `[[listing]]`: index pages (start, then the `next` links, at most `max_pages`),
//! the documents their `links` point to, and the attachment of a notice page (a detail page
//! that carries no law text of its own, only a link to a PDF, DOC or DOCX).

use std::collections::HashSet;
use std::io::Read;

use scraper::{Html, Selector};

use super::fetch::{normalise, Fetched, Fetcher};
use super::manifest::Listing;
use super::store::Store;
use super::{CrawlOutcome, CrawledDoc, StoredBody, UrlError, UrlSkip};
use crate::parse::encoding::decode_html;

/// What walking one listing gave.
#[derive(Debug, Default)]
pub struct Walked {
    pub documents: Vec<CrawledDoc>,
    /// Some index page could not be read, or `max_pages` stopped the walk.
    pub incomplete: bool,
    pub failed: Vec<UrlError>,
    pub skipped: Vec<UrlSkip>,
}

/// A stable document id from a URL: a readable slug of its path and a short hash of the whole
/// URL, so the same URL gives the same id in every run and two URLs never share one.
pub fn doc_id(url: &str) -> String {
    let path = url::Url::parse(url)
        .map(|u| {
            let mut p = u.path().to_string();
            if let Some(q) = u.query() {
                p.push('-');
                p.push_str(q);
            }
            p
        })
        .unwrap_or_default();
    let mut slug = String::new();
    for c in path.chars() {
        if c.is_alphanumeric() && (c.is_ascii() || !c.is_ascii_punctuation()) {
            slug.extend(c.to_lowercase());
        } else if !slug.ends_with('-') && !slug.is_empty() {
            slug.push('-');
        }
    }
    let slug: String = slug.trim_matches('-').chars().take(48).collect();
    let slug = slug.trim_end_matches('-');
    let hash = blake3::hash(url.as_bytes()).to_hex();
    if slug.is_empty() {
        format!("u-{}", &hash[..10])
    } else {
        format!("{slug}-{}", &hash[..8])
    }
}

fn selector(s: &str) -> Result<Selector, String> {
    Selector::parse(s).map_err(|e| format!("CSS selector {s:?}: {e}"))
}

/// How much of a body is sniffed for HTML when its `Content-Type` does not say.
const SNIFF: usize = 1024;

fn read_html(b: &StoredBody) -> Option<Html> {
    let declared = declared_html(b.content_type.as_deref())?;
    // Every detail page is looked at on every run (a 304 too): a body that is not HTML is
    // told by its header or its first bytes, without reading the rest.
    let mut file = std::fs::File::open(&b.path).ok()?;
    let mut bytes = Vec::new();
    std::io::Read::by_ref(&mut file)
        .take(SNIFF as u64)
        .read_to_end(&mut bytes)
        .ok()?;
    if !declared && !sniffs_html(&bytes) {
        return None;
    }
    file.read_to_end(&mut bytes).ok()?;
    let text = decode_html(&bytes, b.content_type.as_deref()).text;
    Some(Html::parse_document(&text))
}

/// `Some(true)`: the header says HTML; `Some(false)`: it does not say; `None`: it names a
/// format that is not HTML.
fn declared_html(content_type: Option<&str>) -> Option<bool> {
    let Some(ct) = content_type else {
        return Some(false);
    };
    let ct = ct.to_ascii_lowercase();
    if ct.contains("html") {
        return Some(true);
    }
    if ct.contains("pdf") || ct.contains("word") || ct.contains("officedocument") {
        return None;
    }
    Some(false)
}

fn sniffs_html(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(SNIFF)];
    let lower = String::from_utf8_lossy(head).to_ascii_lowercase();
    lower.contains("<html") || lower.contains("<!doctype html") || lower.contains("<body")
}

/// Links under `sel` in `html`, resolved against `base`, without fragments, in page order.
fn hrefs(html: &Html, sel: &Selector, base: &url::Url) -> Vec<(String, String)> {
    html.select(sel)
        .filter_map(|a| {
            let href = a.value().attr("href")?;
            let u = base.join(href.trim()).ok()?;
            let u = normalise(u.as_str()).ok()?;
            let text = a.text().collect::<String>().trim().to_string();
            Some((u.to_string(), text))
        })
        .collect()
}

/// The URL relative links of `html` resolve against: its `<base href>` (itself resolved
/// against the page's URL) when it has one, else the page's URL.
fn link_base(html: &Html, page: &url::Url) -> url::Url {
    let Ok(sel) = selector("base[href]") else {
        return page.clone();
    };
    html.select(&sel)
        .next()
        .and_then(|b| b.value().attr("href"))
        .and_then(|h| page.join(h.trim()).ok())
        .filter(|u| matches!(u.scheme(), "http" | "https"))
        .unwrap_or_else(|| page.clone())
}

const ATTACHMENT_EXTENSIONS: &[&str] = &[".pdf", ".doc", ".docx", ".wps"];

/// Whether a link is a document attachment: its path ends in a document extension, or its
/// text names such a file (`《某某条例》.doc`, the link itself being a servlet such as
/// `download?id=12`), or says 附件 or 下载 and does not point at another HTML page.
fn is_attachment(url: &str, text: &str) -> bool {
    let path = url::Url::parse(url)
        .map(|u| u.path().to_ascii_lowercase())
        .unwrap_or_default();
    let names_file = |s: &str| ATTACHMENT_EXTENSIONS.iter().any(|e| s.ends_with(e));
    if names_file(&path) {
        return true;
    }
    let text = text.trim().to_lowercase();
    let text = text.trim_end_matches([')', '）', ']', '】']);
    let page = [".html", ".htm", ".shtml", ".xhtml", "/"]
        .iter()
        .any(|e| path.ends_with(e))
        || path.is_empty();
    names_file(text) || (!page && (text.contains("附件") || text.contains("下载")))
}

/// The attachment a notice page stands for: the page's own text has no article head, and it
/// links to a PDF, DOC, DOCX or WPS inside the scope (the first one, preferring a link
/// labelled 附件).
fn notice_attachment(html: &Html, base: &url::Url, scope: &str) -> Option<String> {
    let body = selector("body").ok()?;
    let text: String = html
        .select(&body)
        .next()
        .map(|b| b.text().collect::<Vec<_>>().join("\n"))
        .unwrap_or_default();
    let has_articles = text
        .lines()
        .any(|l| crate::grammar::article_head(l.trim(), false).is_some());
    if has_articles {
        return None;
    }
    let a = selector("a[href]").ok()?;
    let base = link_base(html, base);
    let candidates: Vec<(String, String)> = hrefs(html, &a, &base)
        .into_iter()
        .filter(|(u, t)| u.starts_with(scope) && is_attachment(u, t))
        .collect();
    candidates
        .iter()
        .find(|(_, t)| t.contains("附件"))
        .or(candidates.first())
        .map(|(u, _)| u.clone())
}

/// Walks `listing` with `fetcher`.
pub fn walk(fetcher: &Fetcher<'_>, listing: &Listing, store: &Store) -> Walked {
    let mut out = Walked::default();
    let links_sel = match selector(&listing.links) {
        Ok(s) => s,
        Err(e) => {
            out.incomplete = true;
            out.failed.push(UrlError {
                url: listing.start.clone(),
                error: format!("listing {}: `links` {e}", listing.id),
            });
            return out;
        }
    };
    let next_sel = match listing.next.as_deref().map(selector).transpose() {
        Ok(s) => s,
        Err(e) => {
            out.incomplete = true;
            out.failed.push(UrlError {
                url: listing.start.clone(),
                error: format!("listing {}: `next` {e}", listing.id),
            });
            return out;
        }
    };
    let scope = listing.scope.as_str();
    let mut pages_seen: HashSet<String> = HashSet::new();
    let mut links: Vec<(String, String)> = Vec::new();
    let mut link_set: HashSet<String> = HashSet::new();
    let mut off_scope: HashSet<String> = HashSet::new();
    // Every index page a pager linked, in the order first seen.
    let mut pager_known: Vec<String> = Vec::new();
    let mut pager_set: HashSet<String> = HashSet::new();
    let mut page = normalise(&listing.start).ok().map(|u| u.to_string());
    let mut read = 0u32;
    while let Some(p) = page.take() {
        if read >= listing.max_pages {
            out.incomplete = true;
            out.skipped.push(UrlSkip {
                url: p,
                reason: format!(
                    "listing {}: max_pages ({}) reached",
                    listing.id, listing.max_pages
                ),
            });
            break;
        }
        read += 1;
        pages_seen.insert(p.clone());
        let (url, fetched) = fetcher.fetch(&p, Some(scope));
        let body = match fetched {
            Fetched::Stored(b) => b,
            Fetched::Failed(error) => {
                out.incomplete = true;
                out.failed.push(UrlError { url, error });
                break;
            }
            Fetched::Skipped(reason) => {
                out.incomplete = true;
                out.skipped.push(UrlSkip { url, reason });
                break;
            }
        };
        let Ok(base) = url::Url::parse(&body.final_url) else {
            break;
        };
        let Some(html) = read_html(&body) else {
            out.incomplete = true;
            out.failed.push(UrlError {
                url,
                error: "the listing page is not HTML".into(),
            });
            break;
        };
        let base = link_base(&html, &base);
        let mut listed_here = 0usize;
        for (u, text) in hrefs(&html, &links_sel, &base) {
            if !u.starts_with(scope) {
                if off_scope.insert(u.clone()) {
                    out.skipped.push(UrlSkip {
                        url: u,
                        reason: format!("outside the scope of listing {}", listing.id),
                    });
                }
            } else if !pages_seen.contains(&u) {
                listed_here += 1;
                if link_set.insert(u.clone()) {
                    links.push((u, text));
                }
            }
        }
        // A listing page that lists nothing is a maintenance or error page served with 200, or
        // a new layout `links` no longer fits: read as complete, it would remove every law the
        // listing had. The walk stops there and removes nothing.
        if listed_here == 0 {
            out.incomplete = true;
            out.failed.push(UrlError {
                url,
                error: format!(
                    "listing {}: the page lists no document (`links` {:?} matched nothing in scope): an error page or a new layout; nothing is removed",
                    listing.id, listing.links
                ),
            });
            break;
        }
        if let Some(next_sel) = &next_sel {
            // A pager's links include the current page and pages already read: the next page
            // is the first one not read yet.
            let pager: Vec<String> = hrefs(&html, next_sel, &base)
                .into_iter()
                .map(|(u, _)| u)
                .filter(|u| u.starts_with(scope))
                .collect();
            for u in &pager {
                if pager_set.insert(u.clone()) {
                    pager_known.push(u.clone());
                }
            }
            page = pager.into_iter().find(|u| !pages_seen.contains(u));
        }
    }
    // A walk that ended before a page the pager linked (page 2 lost its pager, so page 3 was
    // never asked for) did not read the listing: removing what it missed would lose laws.
    if !out.incomplete {
        if let Some(unread) = pager_known.iter().find(|u| !pages_seen.contains(*u)) {
            out.incomplete = true;
            out.failed.push(UrlError {
                url: unread.clone(),
                error: format!(
                    "listing {}: the pager links this page but the walk ended before it; nothing is removed",
                    listing.id
                ),
            });
        }
    }
    // A pager link also caught by `links` is an index page, not a document.
    links.retain(|(u, _)| !pages_seen.contains(u));
    let fetched = fetch_all(fetcher, &links, scope);
    let mut finals: HashSet<String> = HashSet::new();
    for ((url, fetched), (_, link_text)) in fetched.into_iter().zip(&links) {
        let outcome = match fetched {
            Fetched::Stored(b) => CrawlOutcome::Stored(b),
            Fetched::Failed(error) => {
                out.failed.push(UrlError {
                    url: url.clone(),
                    error: error.clone(),
                });
                CrawlOutcome::Failed { error }
            }
            Fetched::Skipped(reason) => {
                out.skipped.push(UrlSkip {
                    url: url.clone(),
                    reason: reason.clone(),
                });
                // Only a URL stored by an earlier run can have been indexed: that one stays
                // (a failed document keeps its last good text); one never fetched is no
                // document of this listing.
                if store.record(&url).is_none() {
                    continue;
                }
                CrawlOutcome::Kept { reason }
            }
        };
        // Two listed URLs that redirect to one page give one document, the first.
        if let CrawlOutcome::Stored(b) = &outcome {
            if !finals.insert(b.final_url.clone()) {
                continue;
            }
        }
        let mut meta = listing.defaults.clone();
        meta.id = Some(doc_id(&url));
        meta.link_text = Some(link_text.clone()).filter(|t| !t.is_empty());
        out.documents.push(CrawledDoc { meta, url, outcome });
    }
    out
}

/// Fetches every listed document (and the attachment a notice page stands for) with up to
/// `concurrency` requests in flight to the host; the results in the order of `links`.
fn fetch_all(
    fetcher: &Fetcher<'_>,
    links: &[(String, String)],
    scope: &str,
) -> Vec<(String, Fetched)> {
    let one = |u: &str| -> (String, Fetched) {
        let (url, fetched) = fetcher.fetch(u, Some(scope));
        let fetched = match fetched {
            Fetched::Stored(b) => match attachment_of(fetcher, &b, scope) {
                Ok(Some(att)) => Fetched::Stored(att),
                Ok(None) => Fetched::Stored(b),
                Err((att_url, error)) => Fetched::Failed(format!("{error} ({att_url})")),
            },
            other => other,
        };
        (url, fetched)
    };
    let workers = fetcher.concurrency().min(links.len());
    if workers <= 1 {
        return links.iter().map(|(u, _)| one(u)).collect();
    }
    let next = std::sync::atomic::AtomicUsize::new(0);
    let results: Vec<std::sync::Mutex<Option<(String, Fetched)>>> =
        links.iter().map(|_| std::sync::Mutex::new(None)).collect();
    std::thread::scope(|s| {
        for _ in 0..workers {
            s.spawn(|| loop {
                let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                let Some((u, _)) = links.get(i) else { break };
                let r = one(u);
                *results[i].lock().unwrap_or_else(|e| e.into_inner()) = Some(r);
            });
        }
    });
    results
        .into_iter()
        .zip(links)
        .map(|(r, (u, _))| {
            r.into_inner()
                .unwrap_or_else(|e| e.into_inner())
                .unwrap_or_else(|| (u.clone(), Fetched::Failed("internal error".into())))
        })
        .collect()
}

/// The attachment a stored detail page stands for, fetched; `Ok(None)` when the page is the
/// document itself.
fn attachment_of(
    fetcher: &Fetcher<'_>,
    page: &StoredBody,
    scope: &str,
) -> Result<Option<StoredBody>, (String, String)> {
    let Some(html) = read_html(page) else {
        return Ok(None);
    };
    let Ok(base) = url::Url::parse(&page.final_url) else {
        return Ok(None);
    };
    let Some(att) = notice_attachment(&html, &base, scope) else {
        return Ok(None);
    };
    match fetcher.fetch(&att, Some(scope)) {
        (_, Fetched::Stored(b)) => Ok(Some(b)),
        (u, Fetched::Failed(e)) => Err((u, format!("attachment: {e}"))),
        (u, Fetched::Skipped(e)) => Err((u, format!("attachment not fetched: {e}"))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_readable_stable_and_distinct() {
        let a = doc_id("http://127.0.0.1:9/flfg/detail/12.html");
        assert!(a.starts_with("flfg-detail-12-html-"), "{a}");
        assert_eq!(a, doc_id("http://127.0.0.1:9/flfg/detail/12.html"));
        assert_ne!(a, doc_id("http://127.0.0.1:9/flfg/detail/12.htm"));
        assert!(!a.contains('/') && !a.contains(' '));
        assert!(doc_id("http://127.0.0.1:9/").starts_with("u-"));
    }

    #[test]
    fn a_notice_without_articles_stands_for_its_attachment() {
        let base = url::Url::parse("http://h/flfg/n1.html").unwrap();
        let notice = Html::parse_document(
            "<html><body><p>关于印发条例的通知</p><a href='/x/a.pdf'>out</a>\
             <a href='files/law.pdf'>附件：条例</a></body></html>",
        );
        assert_eq!(
            notice_attachment(&notice, &base, "http://h/flfg/").as_deref(),
            Some("http://h/flfg/files/law.pdf")
        );
        let law = Html::parse_document(
            "<html><body><p>第一条 为了保障……</p><a href='files/law.pdf'>附件</a></body></html>",
        );
        assert_eq!(notice_attachment(&law, &base, "http://h/flfg/"), None);
    }

    #[test]
    fn base_href_resolves_links_and_servlet_attachments_are_found_by_their_label() {
        let page = url::Url::parse("http://h/flfg/n/2.html").unwrap();
        // Relative links resolve against <base href>, not the page.
        let notice = Html::parse_document(
            "<html><head><base href='/flfg/files/'></head><body><p>关于印发办法的通知</p>\
             <a href='law.doc'>办法</a></body></html>",
        );
        assert_eq!(
            notice_attachment(&notice, &page, "http://h/flfg/").as_deref(),
            Some("http://h/flfg/files/law.doc")
        );
        let base = link_base(&notice, &page);
        assert_eq!(base.as_str(), "http://h/flfg/files/");
        // A servlet link is an attachment when its text names a file or says 附件; the
        // 附件-labelled one wins over an earlier one.
        let notice = Html::parse_document(
            "<html><body><p>通知正文。</p>\
             <a href='/flfg/news.html'>下载中心</a>\
             <a href='/flfg/download?id=7'>《示例条例》.DOC</a>\
             <a href='/flfg/servlet/get?fileId=9'>附件：示例条例</a></body></html>",
        );
        assert_eq!(
            notice_attachment(&notice, &page, "http://h/flfg/").as_deref(),
            Some("http://h/flfg/servlet/get?fileId=9")
        );
        assert!(is_attachment(
            "http://h/flfg/download?id=7",
            "《示例条例》.doc"
        ));
        assert!(is_attachment("http://h/flfg/download?id=7", "点击下载"));
        assert!(is_attachment("http://h/flfg/a.wps", "正文"));
        assert!(!is_attachment("http://h/flfg/news.html", "下载中心"));
        assert!(!is_attachment("http://h/flfg/list/", "附件列表"));
        assert!(!is_attachment("http://h/flfg/view?id=3", "关于印发的通知"));
        // Out of scope, even labelled 附件, is never the document.
        let notice = Html::parse_document(
            "<html><body><p>通知</p><a href='http://other/x/download?id=1'>附件</a></body></html>",
        );
        assert_eq!(notice_attachment(&notice, &page, "http://h/flfg/"), None);
    }
}
