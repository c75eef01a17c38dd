//! Finding the law body among the site's chrome: readable and link text per element, the
//! customary containers, else the densest one.

use super::*;

/// Readable and link characters under each element, counted once for the whole page.
pub(super) struct TextStats {
    pub(super) per_element: HashMap<NodeId, (usize, usize)>,
}

impl TextStats {
    pub(super) fn measure(root: NodeRef<'_, Node>) -> TextStats {
        let mut per_element = HashMap::new();
        // (element, text chars, link chars), innermost last.
        let mut stack: Vec<(NodeId, usize, usize)> = Vec::new();
        let mut link_depth = 0usize;
        walk_pruned(root, |edge| {
            match edge {
                Edge::Open(node) => match node.value() {
                    Node::Element(el) => {
                        if is_hidden_or_chrome(node, el) {
                            return Step::Prune;
                        }
                        if is_link(el) {
                            link_depth += 1;
                        }
                        stack.push((node.id(), 0, 0));
                    }
                    Node::Text(t) => {
                        let n = t.chars().filter(|c| !c.is_whitespace()).count();
                        if let Some(top) = stack.last_mut() {
                            top.1 += n;
                            if link_depth > 0 {
                                top.2 += n;
                            }
                        }
                    }
                    _ => {}
                },
                Edge::Close(node) => {
                    if let Node::Element(el) = node.value() {
                        if is_link(el) {
                            link_depth = link_depth.saturating_sub(1);
                        }
                        if let Some((id, text, link)) = stack.pop() {
                            per_element.insert(id, (text, link));
                            if let Some(parent) = stack.last_mut() {
                                parent.1 += text;
                                parent.2 += link;
                            }
                        }
                    }
                }
            }
            Step::Go
        });
        TextStats { per_element }
    }

    /// Characters of text outside links.
    pub(super) fn readable(&self, id: NodeId) -> usize {
        self.per_element.get(&id).map_or(0, |(t, l)| t - l)
    }

    /// More link text than other text: a menu, a list of related laws, "上一篇/下一篇".
    pub(super) fn is_link_dense(&self, id: NodeId) -> bool {
        self.per_element
            .get(&id)
            .is_some_and(|&(t, l)| t > 0 && l * 2 > t)
    }
}

pub(super) fn is_link(el: &scraper::node::Element) -> bool {
    el.name() == "a" && el.attr("href").is_some()
}

/// What a walk does with the element just opened.
pub(super) enum Step {
    Go,
    /// Leave out the element and everything under it (its close edge included).
    Prune,
}

/// The edges of the tree under `root` in document order, each spending the parse budget, less
/// the subtrees `visit` prunes when their element opens: the one walk the body finder and the
/// block writer share.
pub(super) fn walk_pruned<'a>(
    root: NodeRef<'a, Node>,
    mut visit: impl FnMut(Edge<'a, Node>) -> Step,
) {
    let mut pruned: Option<NodeId> = None;
    for edge in root.traverse() {
        crate::budget::tick();
        match (pruned, &edge) {
            (Some(id), Edge::Close(node)) if id == node.id() => pruned = None,
            (Some(_), _) => {}
            (None, Edge::Open(node)) => {
                let id = node.id();
                if let Step::Prune = visit(edge) {
                    pruned = Some(id);
                }
            }
            (None, Edge::Close(_)) => {
                visit(edge);
            }
        }
    }
}

/// Elements that are never law text: scripts, navigation, page chrome, form controls,
/// hidden elements, and the '#' anchors static-site generators append to headings.
pub(super) fn is_hidden_or_chrome(node: NodeRef<'_, Node>, el: &scraper::node::Element) -> bool {
    let name = el.name();
    if matches!(
        name,
        "script"
            | "style"
            | "noscript"
            | "template"
            | "head"
            | "title"
            | "meta"
            | "link"
            | "nav"
            | "aside"
            | "footer"
            | "form"
            | "button"
            | "select"
            | "option"
            | "input"
            | "textarea"
            | "label"
            | "iframe"
            | "object"
            | "embed"
            | "svg"
            | "canvas"
            | "video"
            | "audio"
            | "map"
            | "dialog"
            | "menu"
            | "rt"
            | "rp"
    ) {
        return true;
    }
    // A <header> inside an <article> is that article's own heading; elsewhere it is the
    // site's banner.
    if name == "header" && !node.ancestors().any(|a| element_name(a) == Some("article")) {
        return true;
    }
    if el.attr("hidden").is_some() || el.attr("aria-hidden") == Some("true") {
        return true;
    }
    if let Some(style) = el.attr("style") {
        let style: String = style
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect::<String>()
            .to_ascii_lowercase();
        if style.contains("display:none") || style.contains("visibility:hidden") {
            return true;
        }
    }
    name == "a" && is_anchor_symbol(node, el)
}

/// `<a class=anchor href="#id">#</a>`: a permalink symbol, not text.
pub(super) fn is_anchor_symbol(node: NodeRef<'_, Node>, el: &scraper::node::Element) -> bool {
    if !el.attr("href").is_some_and(|h| h.starts_with('#')) {
        return false;
    }
    let text: String = ElementRef::wrap(node)
        .map(|e| e.text().collect::<String>())
        .unwrap_or_default();
    matches!(text.trim(), "#" | "¶" | "🔗" | "⚓")
}

pub(super) fn element_name<'a>(node: NodeRef<'a, Node>) -> Option<&'a str> {
    node.value().as_element().map(|e| e.name())
}

// ---------------------------------------------------------------------------------------
// Finding the body

/// Containers that hold the body on typical sites, tried in order: semantic HTML, then
/// the ids and classes of Chinese government content systems (TRS, UCAP) and blogs.
pub(super) const BODY_CANDIDATES: &[&str] = &[
    "article",
    "main",
    "[role=main]",
    "#content",
    ".TRS_Editor",
    "#zoom",
    "#Zoom",
    ".article-content",
    "#UCAP-CONTENT",
    ".pages_content",
];

pub(super) fn find_body<'a>(
    html: &'a Html,
    stats: &TextStats,
    select: Option<&Selector>,
    warnings: &mut Vec<String>,
) -> Vec<NodeRef<'a, Node>> {
    let page = body_element(html);
    if let Some(sel) = select {
        let matched = outermost(html.select(sel).map(|e| *e));
        if !matched.is_empty() {
            return matched;
        }
        warnings.push(
            "the manifest's selector matches nothing on this page; the body was guessed".into(),
        );
    }
    let page_text = stats.readable(page.id());
    for css in BODY_CANDIDATES {
        let Ok(sel) = Selector::parse(css) else {
            continue;
        };
        let best = html
            .select(&sel)
            .max_by_key(|e| stats.readable(e.id()))
            .map(|e| *e);
        if let Some(best) = best {
            if is_fair_share(stats.readable(best.id()), page_text) {
                return vec![best];
            }
        }
    }
    vec![densest_container(page, stats)]
}

pub(super) fn body_element(html: &Html) -> NodeRef<'_, Node> {
    html.root_element()
        .children()
        .find(|c| element_name(*c) == Some("body"))
        .unwrap_or_else(|| *html.root_element())
}

/// Keeps the matches that are not inside another match, in document order.
pub(super) fn outermost<'a>(
    matches: impl Iterator<Item = NodeRef<'a, Node>>,
) -> Vec<NodeRef<'a, Node>> {
    let all: Vec<NodeRef<'a, Node>> = matches.collect();
    let ids: std::collections::HashSet<NodeId> = all.iter().map(|n| n.id()).collect();
    all.into_iter()
        .filter(|n| !n.ancestors().any(|a| ids.contains(&a.id())))
        .collect()
}

/// Walks down from `<body>` into the child container holding most (60 %) of the readable
/// text, and stops where text is spread over several blocks: that element is the body.
/// Paragraph-level elements are never entered, so one long article cannot become the body.
pub(super) fn densest_container<'a>(
    page: NodeRef<'a, Node>,
    stats: &TextStats,
) -> NodeRef<'a, Node> {
    let mut current = page;
    loop {
        let total = stats.readable(current.id());
        let mut children: Vec<(NodeRef<'a, Node>, usize)> = current
            .children()
            .filter(|c| c.value().is_element())
            .map(|c| (c, stats.readable(c.id())))
            .collect();
        children.sort_by_key(|(_, n)| std::cmp::Reverse(*n));
        let Some(&(best, best_text)) = children.first() else {
            return current;
        };
        let enterable = element_name(best).is_some_and(|n| {
            !matches!(
                n,
                "p" | "li"
                    | "dd"
                    | "dt"
                    | "h1"
                    | "h2"
                    | "h3"
                    | "h4"
                    | "h5"
                    | "h6"
                    | "pre"
                    | "blockquote"
                    | "a"
                    | "strong"
                    | "b"
                    | "em"
                    | "i"
                    | "u"
            )
        });
        let others: Vec<usize> = children
            .iter()
            .skip(1)
            .map(|(_, n)| *n)
            .filter(|&n| n >= 20)
            .collect();
        let spread = others.len() >= 3 && others.iter().sum::<usize>() * 4 >= total;
        if !enterable || best_text * 10 < total * 6 || spread {
            return current;
        }
        current = best;
    }
}
