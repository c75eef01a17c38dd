//! The frame of every page (header, language switch, styles), the interface text in Chinese
//! and English, and the escaping every text goes through.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};

use super::error::ApiError;
use super::params::Params;

/// Escapes text for element content and quoted attribute values (the project's escaper).
pub fn esc(s: &str) -> String {
    crate::search::snippet::html_escape(s)
}

/// The interface language.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    Zh,
    En,
}

impl Lang {
    fn parse(s: &str) -> Option<Lang> {
        let s = s.trim().to_ascii_lowercase();
        if s.starts_with("zh") {
            Some(Lang::Zh)
        } else if s.starts_with("en") {
            Some(Lang::En)
        } else {
            None
        }
    }

    /// The best of Chinese and English by an `Accept-Language` header (Chinese when neither).
    pub fn from_accept(header: &str) -> Lang {
        let mut best: Option<(f32, Lang)> = None;
        for part in header.split(',') {
            let mut it = part.split(';');
            let tag = it.next().unwrap_or("");
            let q = it
                .find_map(|p| p.trim().strip_prefix("q="))
                .and_then(|q| q.parse::<f32>().ok())
                .unwrap_or(1.0);
            if let Some(l) = Lang::parse(tag) {
                if best.is_none_or(|(bq, _)| q > bq) {
                    best = Some((q, l));
                }
            }
        }
        best.map_or(Lang::Zh, |(_, l)| l)
    }

    pub fn code(self) -> &'static str {
        match self {
            Lang::Zh => "zh",
            Lang::En => "en",
        }
    }

    /// Interface text by key.
    pub fn t(self, key: &str) -> &'static str {
        let (zh, en) = match key {
            "search" => ("搜索", "Search"),
            "search_placeholder" => (
                "输入词语，如：公共图书馆 免费",
                "Words, e.g. 公共图书馆 免费",
            ),
            "coverage" => ("覆盖与缺口", "Coverage"),
            "draft" => ("检查草案", "Check a draft"),
            "changes" => ("最近变更", "Changes"),
            "tagline" => (
                "逐条检索法律法规，查看义务覆盖与缺口。",
                "Search laws and regulations clause by clause; see which duties they cover.",
            ),
            "no_match" => ("没有条款匹配", "no clause matches"),
            "try" => ("可以试试：", "Try:"),
            "fewer_words" => ("减少词语，或只搜其中一个：", "fewer words, or one of them:"),
            "without_filters" => ("去掉筛选条件重新搜索", "the same search without filters"),
            "other_words" => (
                "换一种说法（同义词已自动扩展）",
                "other wording (synonyms are already searched)",
            ),
            "results" => ("条匹配条款", "matching clauses"),
            "partial" => ("部分词语匹配", "matches some words"),
            "translated" => ("经翻译匹配全部词语", "every word, some through translation"),
            "translated_note" => (
                "标为“经翻译”的条款用其他语言表述了全部词语，排在原文匹配的条款之后。",
                "Clauses marked “through translation” state every word in another language; they follow the clauses with your words.",
            ),
            "cited_note" => (
                "按引用查找：以下是标题相符的法规中被引用的条文（给查询加引号则按词语搜索）。",
                "Read as a citation: the provision cited, in each law whose title matches (quote the query to search its words).",
            ),
            "cited_not_found" => (
                "按引用查找：标题相符的法规中没有被引用的这一条（在当前筛选和版本范围内），以下按词语搜索。",
                "Read as a citation, but no law its title names has that provision (under these filters and versions): its words were searched instead.",
            ),
            "relaxed" => (
                "没有条款包含全部词语；以下包含其中一部分。",
                "No clause has every word; these have part of them.",
            ),
            "relaxed_after" => (
                "标为“部分词语匹配”的条款只包含其中一部分词语，排在包含全部词语的条款之后。",
                "Clauses marked “matches some words” have part of the words; they follow those with every word.",
            ),
            "copy" => ("复制引用", "Copy citation"),
            "version" => ("版本", "Version"),
            "copies" => ("其他格式", "Other copies"),
            "other_versions" => ("其他版本", "Other versions"),
            "work_texts" => ("本法的版本与副本", "Versions and copies of this law"),
            "text_same" => ("条文相同", "same text"),
            "text_changed" => ("条文不同", "text differs"),
            "text_absent" => ("无此条", "no such article"),
            "st_in_force" => ("现行有效", "in force"),
            "st_superseded" => ("已被修订", "superseded"),
            "st_repealed" => ("已废止", "repealed"),
            "st_draft" => ("草案", "draft"),
            "this_text" => ("本文", "this text"),
            "copied" => ("已复制", "Copied"),
            "prev" => ("上一页", "Previous"),
            "next" => ("下一页", "Next"),
            "page" => ("第 {} 页", "page {}"),
            "jurisdiction" => ("法域", "Jurisdiction"),
            "level" => ("层级", "Level"),
            "year" => ("年份", "Year"),
            "kind" => ("类型", "Kind"),
            "status" => ("效力", "Status"),
            "language" => ("语言", "Language"),
            "format" => ("格式", "Format"),
            "structure" => ("结构", "Structure"),
            "clauses" => ("条款数", "Clauses"),
            "source" => ("来源", "Source"),
            "id" => ("标识", "Id"),
            "filters" => ("筛选", "Filters"),
            "remove" => ("去掉", "remove"),
            "synonyms" => ("同时搜索了同义词：", "Synonyms searched too:"),
            "corrected" => (
                "没有条款包含这些词，已按拼写最接近的词搜索：",
                "No clause has these words as typed; searched as the closest spelling:",
            ),
            "place" => (
                "查询中的地名已按法域处理，只搜索：",
                "Place names in the query were read as jurisdictions; only searched:",
            ),
            "contents" => ("目录", "Contents"),
            "preamble" => ("题注", "Front matter"),
            "covered" => ("已覆盖", "covered"),
            "gap" => ("缺口", "gap"),
            "unknown" => ("无法判断", "unknown"),
            "not-applicable" => ("不适用", "not applicable"),
            "evidence" => ("依据条款", "Evidence"),
            "models" => ("可参考的条款", "Model clauses"),
            "no_models" => ("语料中没有可参考的条款。", "No model clause in the corpus."),
            "out_of_scope" => ("范围之外的文件", "Documents out of scope"),
            "out_of_scope_note" => (
                "这些文件不涉及本分类的主题，不计为缺口。",
                "These documents never name the taxonomy's subject; their cells are not gaps.",
            ),
            "scope_in_doubt" => ("范围存疑", "scope in doubt"),
            "document" => ("文件", "Document"),
            "strength" => ("强度", "Strength"),
            "all" => ("全部", "all"),
            "upload" => ("上传草案", "Upload a draft"),
            "upload_note" => (
                "任何 lawdex 能读的格式：Markdown、文本、HTML、PDF、Word (docx)、JSON、XML。",
                "Any format lawdex reads: Markdown, text, HTML, PDF, Word (docx), JSON, XML.",
            ),
            "check" => ("检查", "Check"),
            "draft_result" => ("草案覆盖情况", "Coverage of the draft"),
            "no_report" => (
                "还没有变更报告：`lawdex update` 每次运行都会写一份。",
                "No change report yet: `lawdex update` writes one per run.",
            ),
            "added" => ("新增条款", "Articles added"),
            "removed_articles" => ("删除条款", "Articles removed"),
            "changed_articles" => ("修改条款", "Articles changed"),
            "new" => ("新增", "new"),
            "changed" => ("修改", "changed"),
            "removed" => ("删除", "removed"),
            "unchanged" => ("未变", "unchanged"),
            "failed" => ("失败", "failed"),
            "held_back" => ("暂缓（疑似错误页面）", "held back (suspect text)"),
            "coverage_moves" => ("覆盖变化", "Coverage moved"),
            "not_found" => ("找不到", "Not found"),
            "error" => ("出错了", "Something went wrong"),
            "home" => ("返回首页", "Back to the start"),
            _ => ("", ""),
        };
        match self {
            Lang::Zh => zh,
            Lang::En => en,
        }
    }
}

/// What a page knows about its request: the language, the path and the query.
pub struct Ctx {
    pub lang: Lang,
    pub path: String,
    pub params: Params,
    /// The language was picked with `?lang=`: remembered in a cookie.
    pick: Option<Lang>,
}

impl<S: Send + Sync> FromRequestParts<S> for Ctx {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        let params = Params::parse(parts.uri.query());
        let pick = params.get("lang").and_then(Lang::parse);
        let cookie = parts
            .headers
            .get_all(header::COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(';'))
            .find_map(|c| c.trim().strip_prefix("lang="))
            .and_then(Lang::parse);
        let accept = parts
            .headers
            .get(header::ACCEPT_LANGUAGE)
            .and_then(|v| v.to_str().ok())
            .map(Lang::from_accept);
        Ok(Ctx {
            lang: pick.or(cookie).or(accept).unwrap_or(Lang::Zh),
            // One leading slash: `//host/x` echoed into a link would leave the site.
            path: format!("/{}", parts.uri.path().trim_start_matches('/')),
            params,
            pick,
        })
    }
}

impl Ctx {
    pub fn t(&self, key: &str) -> &'static str {
        self.lang.t(key)
    }

    /// The page, framed, with `status`.
    pub fn page(&self, status: StatusCode, title: &str, body: &str) -> Response {
        let lang = self.lang;
        let nav = |href: &str, key: &str| {
            let here = if self.path == href || (href == "/search" && self.path == "/") {
                " aria-current=\"page\""
            } else {
                ""
            };
            format!("<a href=\"{href}\"{here}>{}</a>", lang.t(key))
        };
        let switch = |l: Lang, name: &str| {
            let href = format!("{}?{}", self.path, self.params.with("lang", Some(l.code())));
            if l == lang {
                format!("<strong>{name}</strong>")
            } else {
                format!(
                    "<a href=\"{}\" hreflang=\"{}\">{name}</a>",
                    esc(&href),
                    l.code()
                )
            }
        };
        let html = format!(
            "<!doctype html>\n<html lang=\"{html_lang}\"><head><meta charset=\"utf-8\">\
             <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
             <title>{title} · lawdex</title>\
             <link rel=\"stylesheet\" href=\"/static/app.css\">\
             <script src=\"/static/app.js\" defer></script></head>\
             <body data-copied=\"{copied}\"><header><a class=\"brand\" href=\"/\">lawdex</a>\
             <nav>{s}{c}{d}{ch}</nav><span class=\"langs\">{zh} · {en}</span></header>\
             <main>{body}</main></body></html>\n",
            html_lang = if lang == Lang::Zh { "zh-Hans" } else { "en" },
            title = esc(title),
            copied = lang.t("copied"),
            s = nav("/search", "search"),
            c = nav("/gaps", "coverage"),
            d = nav("/draft", "draft"),
            ch = nav("/changes", "changes"),
            zh = switch(Lang::Zh, "中文"),
            en = switch(Lang::En, "English"),
        );
        let mut resp = (
            status,
            [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
            html,
        )
            .into_response();
        if let Some(l) = self.pick {
            if let Ok(v) = HeaderValue::from_str(&format!(
                "lang={}; Path=/; Max-Age=31536000; SameSite=Lax",
                l.code()
            )) {
                resp.headers_mut().insert(header::SET_COOKIE, v);
            }
        }
        resp
    }

    /// An error as a page, with the error's status.
    pub fn error(&self, e: &ApiError) -> Response {
        let title = if e.status == StatusCode::NOT_FOUND {
            self.t("not_found")
        } else {
            self.t("error")
        };
        let body = format!(
            "<h1>{title}</h1><p class=\"error\">{}</p><p><a href=\"/\">{}</a></p>",
            esc(&e.message),
            self.t("home")
        );
        self.page(e.status, title, &body)
    }
}

pub const CSS: &str = r#"
*{box-sizing:border-box}
body{margin:0;font:16px/1.6 system-ui,-apple-system,"Noto Sans CJK SC","PingFang SC","Microsoft YaHei",sans-serif;color:#1d2330;background:#fafafa}
header{display:flex;flex-wrap:wrap;gap:.5em 1.2em;align-items:center;padding:.6em 1em;background:#1f3a5f;color:#fff}
header a{color:#fff;text-decoration:none}
header a[aria-current]{text-decoration:underline}
.brand{font-weight:700;font-size:1.15em}
nav{display:flex;gap:1em;flex-wrap:wrap}
.langs{margin-left:auto;font-size:.9em}
main{max-width:60em;margin:0 auto;padding:1em}
form.search{display:flex;gap:.5em;flex-wrap:wrap;margin:.5em 0 1em}
form.search input[type=search]{flex:1 1 16em;font-size:1.1em;padding:.45em .6em;border:1px solid #99a;border-radius:4px}
button,input[type=submit]{font-size:1em;padding:.4em .9em;border:1px solid #1f3a5f;background:#1f3a5f;color:#fff;border-radius:4px;cursor:pointer}
button.copy{background:#fff;color:#1f3a5f;font-size:.85em;padding:.2em .6em}
mark{background:#ffe066;padding:0 .1em}
.hit{background:#fff;border:1px solid #dde;border-radius:6px;padding:.7em 1em;margin:.7em 0}
.hit h3{margin:0 0 .3em;font-size:1.05em}
.meta,.note{color:#5a6170;font-size:.88em}
.layout{display:grid;grid-template-columns:13em 1fr;gap:1.2em}
@media (max-width:700px){.layout{grid-template-columns:1fr}}
.facets h4{margin:.8em 0 .2em}
.facets ul{list-style:none;padding:0;margin:0}
.facets li a{text-decoration:none}
.chip{display:inline-block;background:#e6ecf5;border-radius:1em;padding:0 .7em;margin:0 .3em .3em 0}
.pager{display:flex;gap:1em;margin:1em 0}
.clause{background:#fff;border-left:3px solid #c8d3e6;padding:.3em 1em;margin:.6em 0}
.clause:target,.clause p:target{background:#fff7d6}
.clause h4{margin:.3em 0}
.clause p{margin:.3em 0}
a.para{font-size:.8em;color:#5a6170;margin-right:.4em}
dl.info{display:grid;grid-template-columns:max-content 1fr;gap:.2em 1em}
dl.info dt{color:#5a6170}
dl.info dd{margin:0;word-break:break-all}
.scroll{overflow-x:auto}
table.heat{border-collapse:collapse;font-size:.9em}
table.heat th,table.heat td{border:1px solid #dde;padding:.2em;vertical-align:top}
table.heat thead th{font-weight:600;max-width:8em}
table.heat th.doc{text-align:left;min-width:12em;max-width:20em;font-weight:400}
td.covered{background:#cfe8cf}td.gap{background:#f6d0cc}td.unknown{background:#e4e4e4}td.not-applicable{background:#f3f3f3}
td details summary{cursor:pointer;text-align:center;list-style:none;min-width:2em}
td details[open]{min-width:18em}
td details div{font-size:.88em;background:#fff;padding:.4em;margin-top:.3em}
.legend span{display:inline-block;padding:0 .6em;margin-right:.4em;border-radius:3px}
.legend .covered{background:#cfe8cf}.legend .gap{background:#f6d0cc}.legend .unknown{background:#e4e4e4}.legend .not-applicable{background:#f3f3f3}
.toc ul{list-style:none;padding-left:0}.toc .d1{margin-left:1em}.toc .d2{margin-left:2em}.toc .d3,.toc .d4{margin-left:3em}
.state{font-weight:600}
.error{color:#a0281e}
"#;

pub const JS: &str = r#"
document.addEventListener('click', function (e) {
  var b = e.target.closest('button.copy');
  if (!b) return;
  var text = b.getAttribute('data-citation');
  var done = function () { b.textContent = document.body.getAttribute('data-copied'); b.setAttribute('data-copied', 'true'); };
  if (navigator.clipboard && navigator.clipboard.writeText) {
    navigator.clipboard.writeText(text).then(done, function () { fallback(); });
  } else { fallback(); }
  function fallback() {
    var t = document.createElement('textarea');
    t.value = text; document.body.appendChild(t); t.select();
    try { document.execCommand('copy'); } catch (err) {}
    document.body.removeChild(t); done();
  }
});
"#;
