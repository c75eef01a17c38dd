//! HTML pages: decode, find the law body among the site's navigation, emit blocks.
//!
//! The body is, in order: the manifest's CSS selector; a semantic or customary container
//! (`<article>`, `<main>`, `#zoom`, `.TRS_Editor`, …) holding a fair share of the page's
//! readable text; else the smallest container holding most of it. Readable text is text
//! outside links and outside navigation-like elements, so a sidebar of 5,000 law titles
//! weighs nothing. All tree walks are iterative: a page nested 100,000 levels deep must not
//! overflow the stack.

use std::borrow::Cow;
use std::collections::HashMap;

use ego_tree::iter::Edge;
use ego_tree::{NodeId, NodeRef};
use scraper::{ElementRef, Html, Node, Selector};

use super::{encoding, lang, Input, ParseError};
use crate::grammar::normalize_text;
use crate::model::{BlockKind, Document, Format, Origin};

mod blocks;
mod body;
mod front;
mod prescan;

use blocks::*;
use body::*;
use front::*;
use prescan::*;

/// Parses an HTML page into blocks. `input.content_type` supplies the HTTP charset and
/// `input.select` the manifest's body selector.
pub fn parse(input: Input<'_>) -> Result<Document, ParseError> {
    let src = input.source;
    let selector = match input.select.map(str::trim).filter(|s| !s.is_empty()) {
        // scraper's own message for a bad selector can span lines and blames itself.
        Some(s) => Some(Selector::parse(s).map_err(|_| {
            ParseError::malformed(
                src,
                Format::Html,
                format!("{s:?} is not a valid CSS selector"),
            )
        })?),
        None => None,
    };
    let decoded = encoding::decode_html(input.bytes, input.content_type);
    let mut doc = Document::new("", src, Format::Html);
    doc.warnings.extend(decoded.warning);
    let page: Cow<'_, str> = match article_cut(&decoded.text, input.select) {
        Some(cut) => Cow::Owned(cut),
        None => Cow::Borrowed(&decoded.text),
    };
    if max_nesting(&page) > MAX_NESTING {
        return Err(ParseError::malformed(
            src,
            Format::Html,
            format!("elements nest more than {MAX_NESTING} levels deep"),
        ));
    }
    if super::most_attributes(&page) > super::MAX_ATTRIBUTES {
        return Err(ParseError::malformed(
            src,
            Format::Html,
            format!(
                "an element carries more than {} attributes",
                super::MAX_ATTRIBUTES
            ),
        ));
    }
    let html = Html::parse_document(&page);
    let stats = TextStats::measure(html.tree.root());
    let bodies = find_body(&html, &stats, selector.as_ref(), &mut doc.warnings);

    let mut writer = BlockWriter::default();
    for body in &bodies {
        writer.walk(*body, &stats);
    }
    let mut blocks = writer.finish();
    tidy_front_matter(&mut blocks);

    if !blocks.iter().any(|(k, _)| *k == BlockKind::Title) {
        if let Some(title) = page_title(&html) {
            blocks.insert(0, (BlockKind::Title, title));
        }
    }
    doc.title = blocks
        .iter()
        .find(|(k, _)| *k == BlockKind::Title)
        .map(|(_, t)| t.clone());
    doc.blocks = blocks
        .into_iter()
        .map(|(kind, text)| crate::model::Block::new(kind, text, Origin::default()))
        .collect();
    let (language, warning) = declared_language(&html, &doc);
    doc.language = language;
    doc.warnings.extend(warning);
    Ok(doc)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_str(html: &str) -> Document {
        parse_input(html.as_bytes(), None, None)
    }

    fn parse_input(bytes: &[u8], content_type: Option<&str>, select: Option<&str>) -> Document {
        match parse(Input {
            source: "test.html",
            bytes,
            content_type,
            select,
        }) {
            Ok(d) => d,
            Err(e) => panic!("{e}"),
        }
    }

    fn texts(doc: &Document) -> Vec<(BlockKind, &str)> {
        doc.blocks
            .iter()
            .map(|b| (b.kind.clone(), b.text.as_str()))
            .collect()
    }

    #[test]
    fn headings_paragraphs_and_anchor_links() {
        let doc = parse_str(
            "<html><head><title>某某条例 | 某网站</title></head><body><article>\
             <h1 id=t>某某条例<a class=anchor href=#t>#</a></h1>\
             <p>2020年1月1日通过</p>\
             <h2>第一章&nbsp;总则<a href=#c1>#</a></h2>\
             <p>第一条\u{200B} 为了<b>测试</b>，制定本条例。</p><p>\u{200B}</p>\
             <p>第二条 第一款。<br>第二款。</p>\
             </article></body></html>",
        );
        assert_eq!(
            texts(&doc),
            vec![
                (BlockKind::Title, "某某条例"),
                (BlockKind::Paragraph, "2020年1月1日通过"),
                (BlockKind::Heading { level: 2 }, "第一章 总则"),
                (BlockKind::Paragraph, "第一条 为了测试，制定本条例。"),
                (BlockKind::Paragraph, "第二条 第一款。"),
                (BlockKind::Paragraph, "第二款。"),
            ]
        );
        assert_eq!(doc.title.as_deref(), Some("某某条例"));
    }

    #[test]
    fn title_falls_back_to_cleaned_title_element() {
        let doc = parse_str(
            "<html><head><title>中国政府网 - 某某管理办法 - 法规库</title></head>\
             <body><div><p>第一条 内容。</p></div></body></html>",
        );
        assert_eq!(doc.title.as_deref(), Some("某某管理办法"));
        assert_eq!(doc.blocks[0].kind, BlockKind::Title);
        assert_eq!(
            clean_title("公共图书馆法(2018 10 26) • 中国法律快查手册").as_deref(),
            Some("公共图书馆法(2018 10 26)")
        );
        assert_eq!(
            clean_title("Library Services Act | State Legislature").as_deref(),
            Some("Library Services Act")
        );
    }

    #[test]
    fn drops_navigation_and_link_lists() {
        let doc = parse_str(
            "<html><body><nav><a href=/>首页</a></nav>\
             <div class=side><ul><li><a href=/a>甲法</a></li><li><a href=/b>乙法</a></li></ul></div>\
             <div class=main><p>第一条 正文内容足够长，足够长，足够长，足够长，足够长。</p>\
             <p>第二条 正文内容足够长，足够长，足够长，足够长。</p>\
             <p>上一篇：<a href=/p>丙法</a></p>\
             <script>var x = '第三条';</script></div>\
             <footer>版权所有 某某网站</footer></body></html>",
        );
        let all: String = doc.blocks.iter().map(|b| b.text.as_str()).collect();
        for leak in ["首页", "甲法", "乙法", "丙法", "第三条", "版权所有"] {
            assert!(!all.contains(leak), "{leak} leaked: {all}");
        }
        assert_eq!(doc.blocks.len(), 2);
    }

    #[test]
    fn table_rows_become_paragraphs_layout_tables_do_not() {
        let doc = parse_str(
            "<html><body><div id=zoom><p>第一条 下表：</p>\
             <table><tr><th>等级</th><th>面积</th></tr><tr><td><p>一级</p></td><td>100</td></tr></table>\
             <table><tr><td>第二条 甲。<br>第三条 乙。</td></tr></table></div></body></html>",
        );
        let t: Vec<&str> = doc.blocks.iter().map(|b| b.text.as_str()).collect();
        assert_eq!(
            t,
            vec![
                "第一条 下表：",
                "等级 面积",
                "一级 100",
                "第二条 甲。",
                "第三条 乙。"
            ]
        );
    }

    #[test]
    fn manifest_selector_wins_and_bad_selector_is_an_error() {
        let page = "<html><body><article><p>一篇新闻，不是法规。一篇新闻，不是法规。一篇新闻，不是法规。</p></article>\
                    <div class=law><p>第一条 法规正文。</p></div></body></html>";
        let doc = parse_input(page.as_bytes(), None, Some("div.law"));
        let t: Vec<&str> = doc.blocks.iter().map(|b| b.text.as_str()).collect();
        assert_eq!(t, vec!["第一条 法规正文。"]);
        let err = parse(Input {
            source: "x.html",
            bytes: page.as_bytes(),
            content_type: None,
            select: Some("div[["),
        });
        let msg = err.map(|_| ()).unwrap_err().to_string();
        assert!(msg.starts_with("x.html: ") && msg.contains("selector") && !msg.contains('\n'));
    }

    #[test]
    fn small_article_teaser_does_not_hide_the_body() {
        let body = "第一条 正文。".repeat(40);
        let page = format!(
            "<html><body><article><p>相关新闻摘要一则。</p></article>\
             <div id=zoom><p>{body}</p></div></body></html>"
        );
        // The cut must refuse, and the DOM path must skip the teaser.
        assert!(article_cut(&page, None).is_none());
        let doc = parse_str(&page);
        assert!(doc.blocks.iter().any(|b| b.text.starts_with("第一条")));
        assert!(!doc.blocks.iter().any(|b| b.text.contains("相关新闻")));
    }

    #[test]
    fn article_cut_keeps_head_and_article_only() {
        let page = format!(
            "<html lang=zh-cn><head><title>T</title></head><body><aside><nav>{}</nav></aside>\
             <article><p>第一条 正文。</p></article><footer>f</footer></body></html>",
            "<a href=/x>链接</a>".repeat(100)
        );
        let cut = article_cut(&page, None).unwrap_or_default();
        assert!(cut.starts_with("<html lang=zh-cn><head><title>T</title></head><body><article>"));
        assert!(cut.ends_with("</article>"));
        assert!(article_cut(&page, Some("div.x")).is_none());
    }

    #[test]
    fn toc_and_publisher_lines_before_the_first_article_are_meta() {
        let doc = parse_str(
            "<html><body><div id=zoom><p>发布时间：2020-01-01</p><p>目 录</p><p>第一章 总则</p>\
             <p>第二章 附则</p><h2>第一章 总则</h2><p>第一条 内容。</p><p>【打印本页】【关闭窗口】</p>\
             </div></body></html>",
        );
        let kinds: Vec<(BlockKind, &str)> = texts(&doc);
        assert_eq!(kinds[0], (BlockKind::Meta, "发布时间：2020-01-01"));
        assert_eq!(kinds[1], (BlockKind::Meta, "目 录"));
        assert_eq!(kinds[2], (BlockKind::Meta, "第一章 总则"));
        assert_eq!(kinds[3], (BlockKind::Meta, "第二章 附则"));
        assert_eq!(kinds[4], (BlockKind::Heading { level: 2 }, "第一章 总则"));
        assert_eq!(kinds.last(), Some(&(BlockKind::Paragraph, "第一条 内容。")));
    }

    #[test]
    fn deep_nesting_is_refused_quickly_and_moderate_nesting_parses() {
        let page = format!(
            "{}第一条 深。{}",
            "<div>".repeat(50_000),
            "</div>".repeat(50_000)
        );
        // Refused by the byte pre-scan, before html5ever builds any tree.
        assert!(max_nesting(&page) > MAX_NESTING);
        let err = parse(Input {
            source: "deep.html",
            bytes: page.as_bytes(),
            content_type: None,
            select: None,
        });
        let msg = err
            .map(|_| ())
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(
            msg.starts_with("deep.html: ") && msg.contains("more than 1000 levels"),
            "{msg}"
        );
        let page = format!("{}第一条 深。{}", "<div>".repeat(500), "</div>".repeat(500));
        let doc = parse_str(&page);
        assert!(doc.blocks.iter().any(|b| b.text == "第一条 深。"));
        assert_eq!(max_nesting("<p>a<p>b<ul><li>c<li>d</ul><br><img src=x>"), 3);
        // Unclosed elements inside closed ones do not add up over a page.
        let sloppy = "<table><tr><td><div><font>x</td></tr></table>".repeat(5_000);
        assert_eq!(max_nesting(&sloppy), 5);
    }

    #[test]
    fn preformatted_lines_are_joined_blank_lines_split() {
        let doc = parse_str(
            "<html><body><pre>SEC. 2. The Secretary shall\nprovide grants.\n\nSEC. 3. Funds\nare authorized.</pre></body></html>",
        );
        let t: Vec<&str> = doc.blocks.iter().map(|b| b.text.as_str()).collect();
        assert!(
            t.contains(&"SEC. 2. The Secretary shall provide grants."),
            "{t:?}"
        );
        assert!(t.contains(&"SEC. 3. Funds are authorized."), "{t:?}");
    }

    #[test]
    fn gbk_page_with_meta_only() {
        let page = "<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=gb2312\"></head>\
                    <body><div id=zoom><p>第一条 为了规范图书馆管理，制定本办法。</p></div></body></html>";
        let (bytes, _, _) = encoding_rs::GBK.encode(page);
        let doc = parse_input(&bytes, None, None);
        assert!(doc
            .blocks
            .iter()
            .any(|b| b.text == "第一条 为了规范图书馆管理，制定本办法。"));
    }

    #[test]
    fn page_chrome_words() {
        assert!(is_page_chrome("【打印本页】 【关闭窗口】"));
        assert!(is_page_chrome("字号：大 中 小"));
        assert!(is_page_chrome("Back to top"));
        assert!(!is_page_chrome("（一）大型图书馆"));
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(64))]

        /// Tag soup from fragments real pages are made of, cut anywhere: never a panic.
        #[test]
        fn tag_soup_never_panics(parts in proptest::collection::vec(0usize..16, 0..60), cut in 0usize..2000) {
            const FRAGMENTS: [&str; 16] = [
                "<article>", "</article>", "<p>", "第一条 内容", "<br>", "<table><tr><td>",
                "</td></tr></table>", "<a href=#x>#</a>", "<nav>", "</nav>", "<!--", "-->",
                "<script>", "</script>", "<h1>", "<meta charset=gbk>",
            ];
            let page: String = parts.iter().map(|&i| FRAGMENTS[i]).collect();
            let bytes = page.as_bytes();
            let bytes = &bytes[..cut.min(bytes.len())];
            let _ = parse(Input { source: "p.html", bytes, content_type: None, select: None });
            let _ = parse(Input { source: "p.html", bytes, content_type: None, select: Some("article") });
        }

        #[test]
        fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..600)) {
            let _ = parse(Input { source: "b.html", bytes: &bytes, content_type: Some("text/html; charset=gbk"), select: None });
        }
    }
}
