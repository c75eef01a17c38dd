//! `word/styles.xml`: which paragraph styles are headings, and at what level.

use super::*;

#[derive(Default)]
pub(super) struct StyleSheet {
    pub(super) styles: HashMap<String, Style>,
}

pub(super) struct Style {
    /// Lower-cased display name ("heading 1", "标题 1", "title").
    pub(super) name: String,
    pub(super) based_on: Option<String>,
    pub(super) outline: Option<u8>,
    pub(super) num_id: Option<String>,
    pub(super) num_level: Option<usize>,
}

impl StyleSheet {
    pub(super) fn parse(xml: &str) -> StyleSheet {
        let Ok(tree) = crate::parse::xml::tree(xml) else {
            return StyleSheet::default();
        };
        let mut styles = HashMap::new();
        for s in tree
            .descendants()
            .filter(|n| n.tag_name().name() == "style")
        {
            let Some(id) = attr(s, "styleId") else {
                continue;
            };
            let val = |name: &str| child(s, name).and_then(|c| attr(c, "val"));
            let ppr = child(s, "pPr");
            let num = ppr.and_then(|p| child(p, "numPr"));
            styles.insert(
                id.to_string(),
                Style {
                    name: val("name").unwrap_or_default().to_lowercase(),
                    based_on: val("basedOn").map(str::to_string),
                    outline: ppr
                        .and_then(|p| child(p, "outlineLvl"))
                        .and_then(|o| attr(o, "val"))
                        .and_then(|v| v.parse().ok()),
                    num_id: num
                        .and_then(|n| child(n, "numId"))
                        .and_then(|x| attr(x, "val"))
                        .map(str::to_string),
                    num_level: num
                        .and_then(|n| child(n, "ilvl"))
                        .and_then(|x| attr(x, "val"))
                        .and_then(|v| v.parse().ok()),
                },
            );
        }
        StyleSheet { styles }
    }

    /// The style and the styles it is based on, nearest first (cycles cut at 16 steps).
    pub(super) fn chain<'a>(
        &'a self,
        id: &'a str,
    ) -> impl Iterator<Item = (&'a str, Option<&'a Style>)> {
        let mut next = Some(id);
        std::iter::from_fn(move || {
            let id = next?;
            let style = self.styles.get(id);
            next = style.and_then(|s| s.based_on.as_deref());
            Some((id, style))
        })
        .take(16)
    }

    pub(super) fn kind(&self, id: &str) -> BlockKind {
        for (sid, style) in self.chain(id) {
            let name = style.map_or("", |s| s.name.as_str());
            if let Some(level) = heading_level_in_name(name).or_else(|| heading_level_in_name(sid))
            {
                return BlockKind::Heading { level };
            }
            if matches!(name, "title" | "标题") || sid.eq_ignore_ascii_case("title") {
                return BlockKind::Title;
            }
            if let Some(lvl) = style.and_then(|s| s.outline).filter(|l| *l < 9) {
                return BlockKind::Heading { level: lvl + 1 };
            }
        }
        BlockKind::Paragraph
    }

    pub(super) fn num_id(&self, id: &str) -> Option<String> {
        self.chain(id)
            .find_map(|(_, s)| s.and_then(|s| s.num_id.clone()))
    }

    pub(super) fn num_level(&self, id: &str) -> Option<usize> {
        self.chain(id)
            .find_map(|(_, s)| s.and_then(|s| s.num_level))
    }
}

/// "heading 2", "Heading2", "标题 2", "标题2" → 2.
pub(super) fn heading_level_in_name(name: &str) -> Option<u8> {
    let lower = name.to_lowercase();
    let rest = lower
        .strip_prefix("heading")
        .or_else(|| lower.strip_prefix("标题"))?
        .trim();
    rest.parse::<u8>().ok().filter(|l| (1..=9).contains(l))
}
