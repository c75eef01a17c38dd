//! Front matter and page chrome: publisher metadata lines, 【打印本页】-style chrome, the
//! page title and the declared language.

use super::*;

/// Page chrome that sits inside the body on many sites: 【打印本页】【关闭窗口】, 字号 大 中 小.
pub(super) fn is_page_chrome(text: &str) -> bool {
    // "上一篇：某某条例" / "Next: …" lines link to neighbouring pages.
    const NEIGHBOURS: &[&str] = &["上一篇", "下一篇", "上一条", "下一条", "Previous", "Next"];
    if NEIGHBOURS.iter().any(|n| {
        text.strip_prefix(n)
            .is_some_and(|rest| rest.trim_start().starts_with(['：', ':']))
    }) {
        return true;
    }
    const WORDS: &[&str] = &[
        "打印",
        "打印本页",
        "关闭",
        "关闭窗口",
        "关闭本页",
        "返回顶部",
        "返回",
        "顶部",
        "收藏",
        "分享",
        "分享到",
        "字号",
        "字体",
        "大",
        "中",
        "小",
        "默认",
        "保存",
        "保存本页",
        "纠错",
        "微信",
        "微博",
        "print",
        "close",
        "share",
        "back",
        "to",
        "top",
        "email",
    ];
    if text.chars().count() > 40 {
        return false;
    }
    let lower = text.to_lowercase();
    let mut words = lower
        .split(|c: char| c.is_whitespace() || "【】[]（）()|｜:：·•/".contains(c))
        .filter(|w| !w.is_empty())
        .peekable();
    words.peek().is_some() && words.all(|w| WORDS.contains(&w))
}

/// Labels of publisher metadata lines that precede the law text on government sites.
pub(super) const META_LABELS: &[&str] = &[
    "发布时间",
    "发布日期",
    "发文日期",
    "成文日期",
    "来源",
    "信息来源",
    "文章来源",
    "作者",
    "浏览次数",
    "点击数",
    "阅读次数",
    "责任编辑",
    "索引号",
    "发文机关",
    "发文字号",
    "主题分类",
];

pub(super) fn is_meta_line(text: &str) -> bool {
    META_LABELS.iter().any(|label| {
        text.strip_prefix(label)
            .is_some_and(|rest| rest.trim_start().starts_with(['：', ':']))
    })
}

/// Before the first article: drops page chrome, marks publisher metadata and a table of
/// contents (目录 followed by chapter titles) as `Meta`. After it: drops page chrome only.
pub(super) fn tidy_front_matter(blocks: &mut Vec<(BlockKind, String)>) {
    blocks.retain(|(_, t)| !is_page_chrome(t));
    let mut in_toc = false;
    for (kind, text) in blocks.iter_mut() {
        if crate::grammar::starts_with_article_head(text) {
            break;
        }
        if *kind != BlockKind::Paragraph {
            in_toc = false;
            continue;
        }
        let squeezed: String = text.chars().filter(|c| !c.is_whitespace()).collect();
        if squeezed == "目录" || squeezed == "目次" {
            in_toc = true;
            *kind = BlockKind::Meta;
        } else if in_toc && text.chars().count() <= 40 {
            *kind = BlockKind::Meta;
        } else {
            in_toc = false;
            if is_meta_line(text) {
                *kind = BlockKind::Meta;
            }
        }
    }
}

/// The `<title>`, without the site's name: "公共图书馆法(2018 10 26) • 中国法律快查手册".
pub(super) fn page_title(html: &Html) -> Option<String> {
    let sel = Selector::parse("title").ok()?;
    let raw: String = html.select(&sel).next()?.text().collect();
    clean_title(&normalize_text(&raw))
}

pub(super) fn clean_title(title: &str) -> Option<String> {
    const SEPARATORS: &[&str] = &[
        " | ", "｜", " - ", " – ", " — ", "——", " • ", " · ", "_", "－", " :: ",
    ];
    let mut parts = vec![title.to_string()];
    for sep in SEPARATORS {
        parts = parts
            .iter()
            .flat_map(|p| p.split(sep).map(str::to_string).collect::<Vec<_>>())
            .collect();
    }
    let parts: Vec<String> = parts
        .into_iter()
        .map(|p| p.trim().to_string())
        .filter(|p| !p.is_empty())
        .collect();
    const LAW_WORDS: &[&str] = &[
        "法",
        "条例",
        "規則",
        "规定",
        "規定",
        "办法",
        "辦法",
        "决定",
        "細則",
        "细则",
        "act",
        "law",
        "code",
        "regulation",
        "statute",
        "bill",
        "ordinance",
    ];
    parts
        .iter()
        .find(|p| {
            let lower = p.to_lowercase();
            LAW_WORDS.iter().any(|w| lower.contains(w))
        })
        .or_else(|| parts.first())
        .cloned()
}

/// `<html lang>` when the text agrees with it. Government templates often say `lang="en"`
/// on Chinese pages, so a tag the text contradicts is reported and ignored.
pub(super) fn declared_language(html: &Html, doc: &Document) -> (Option<String>, Option<String>) {
    let Some(declared) = html.root_element().value().attr("lang") else {
        return (None, None);
    };
    let declared = declared.trim().to_lowercase();
    let primary = declared.split(['-', '_']).next().unwrap_or_default();
    if primary.is_empty() || doc.blocks.is_empty() {
        return (None, None);
    }
    let detected = lang::detect(doc);
    let detected_primary = detected.split('-').next().unwrap_or(detected);
    if detected_primary == primary {
        (Some(detected.to_string()), None)
    } else {
        let warning = format!("the page declares lang={declared} but its text reads as {detected}");
        (None, Some(warning))
    }
}
