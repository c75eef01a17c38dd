//! Classes a document itself puts the subject in.
//!
//! A law rarely repeats 图书馆 in every duty it puts on libraries. It names them once in a class
//! and then binds the class: 公共图书馆、农家书屋和公共阅报栏等阅读设施 … 鼓励全民阅读设施管理单
//! 位提供阅读指导; 下列公共场所禁止吸烟：…（三）图书馆… … 禁止吸烟的公共场所的管理单位违反本规
//! 定第六条规定的，处以罚款. A reader of the law takes the later clauses as reaching libraries
//! (the labelling guide: "through a class the document puts libraries in"). The taxonomy's
//! `includes` lists classes many laws share (公共文化设施); this finds the ones a document makes
//! for itself, in two shapes only:
//!
//! - an enumeration ending in 等 and a class: 图书馆、博物馆等公共文化场馆, or in 和其他 and a
//!   class: 博物馆、图书馆和其他文物收藏单位;
//! - the lead-in of a list one of whose items names the subject: 下列公共场所禁止吸烟：…
//!
//! A class is a short noun phrase ending in a head word for bodies or places (设施, 场所, 机构,
//! 单位 …) with at least two characters before it: a bare 场所 or 单位 is every place and body.

use std::ops::Range;

/// Words a class ends in: bodies and places, the things a law binds.
const HEADS: [&str; 8] = [
    "设施", "场所", "场馆", "场地", "机构", "单位", "阵地", "空间",
];

/// Most characters of a class, head included.
const MAX_CLASS: usize = 10;

/// Most characters between the subject's name and the 等 closing its enumeration.
const MAX_LIST: usize = 40;

/// Words that join the items of an enumeration. An enumeration's tail after the subject is
/// empty or opens with one of them: 图书馆与学校等教育机构合作 does not list the library.
const JOINS: [&str; 6] = ["、", "和", "及", "以及", "或者", "或"];

/// Where a list's words stop: a class or an enumeration never runs over these.
fn stops(c: char) -> bool {
    !c.is_alphanumeric() && !"、()（）".contains(c)
}

/// The class at the start of `rest` (after 等 or 下列): the shortest phrase ending in a head
/// word, with at least two characters before the head.
fn class_at(rest: &str) -> Option<&str> {
    let mut chars = 0;
    for (i, c) in rest.char_indices() {
        if !c.is_alphanumeric() || c == '的' {
            return None;
        }
        chars += 1;
        if chars > MAX_CLASS {
            return None;
        }
        let end = i + c.len_utf8();
        let phrase = &rest[..end];
        if chars >= 4 && HEADS.iter().any(|h| phrase.ends_with(h)) {
            return Some(phrase);
        }
    }
    None
}

/// The class closing the enumeration that the subject's name at `end` is an item of.
fn enumeration_class(text: &str, end: usize) -> Option<&str> {
    let rest = &text[end..];
    for (chars, (i, c)) in rest.char_indices().enumerate() {
        if stops(c) || chars > MAX_LIST {
            return None;
        }
        // 博物馆、图书馆和其他文物收藏单位 (or 图书馆、博物馆和其他…): the enumeration's
        // items, joined, then 其他 and its class.
        if rest[i..].starts_with("其他") {
            let between = &rest[..i];
            let listed = JOINS.contains(&between)
                || (JOINS.iter().any(|j| between.starts_with(j))
                    && ["和", "及", "、", "或者"]
                        .iter()
                        .any(|j| between.ends_with(j))
                    && !["应", "可", "须", "得"].iter().any(|w| between.contains(w)));
            return listed
                .then(|| class_at(&rest[i + "其他".len()..]))
                .flatten();
        }
        if c == '等' {
            let between = &rest[..i];
            let listed = between.is_empty()
                || (JOINS.iter().any(|j| between.starts_with(j))
                    && !["应", "可", "须", "得"].iter().any(|w| between.contains(w)));
            return listed
                .then(|| class_at(&rest[i + c.len_utf8()..]))
                .flatten();
        }
    }
    None
}

/// Words that make the body after them the one a phrase binds (鼓励全民阅读设施管理单位…).
const URGED_BY: [&str; 6] = ["鼓励", "支持", "引导", "督促", "要求", "推动"];

/// Words after which a body is the one a phrase binds or sanctions.
const BOUND_BY: [&str; 7] = ["应当", "应", "可以", "必须", "须", "不得", "违反"];

/// Modifiers that leave a class as broad as it was (全民阅读设施 is every 阅读设施); any other
/// word before the class makes a narrower one the document never put the subject in
/// (革命文物收藏单位 beside 图书馆等文物收藏单位).
const BROAD: [&str; 8] = [
    "全民", "公共", "各类", "各级", "社会", "城乡", "基层", "其他",
];

/// Whether the class named at `start..end` of folded `text` is a body the phrase binds, as a
/// reader takes a later duty of the class to reach the subject: the class itself, not a
/// narrower body, and bound in its phrase (禁止吸烟的公共场所的管理单位应当…; 鼓励全民阅读设施管理
/// 单位…), not a topic (开展…公共场所禁止吸烟的宣传教育) or part of a plan's name.
pub(super) fn binds(text: &str, start: usize, end: usize) -> bool {
    let before = &text[..start];
    let after = &text[end..];
    let phrase_break = |c: char| "，,；;。：:！？!?\n".contains(c);
    let own = before
        .chars()
        .next_back()
        .is_none_or(|c| !c.is_alphanumeric() || "的和及与、对由在".contains(c))
        || BROAD.iter().chain(&URGED_BY).any(|w| before.ends_with(w));
    let head = before.rsplit(phrase_break).next().unwrap_or("");
    let tail = after.split(phrase_break).next().unwrap_or("");
    own && (URGED_BY.iter().any(|w| head.contains(w)) || BOUND_BY.iter().any(|w| tail.contains(w)))
}

/// The classes folded `text` puts the subject in, given the byte spans of its subject names,
/// its sentences and their lead-ins (`strength::lead_ins`).
pub(super) fn classes<'t>(
    text: &'t str,
    subject: &[Range<usize>],
    sentences: &[Range<usize>],
    lead_ins: &[Option<usize>],
) -> Vec<&'t str> {
    let mut out = Vec::new();
    for span in subject {
        out.extend(enumeration_class(text, span.end));
        let Some(si) = sentences.iter().position(|r| r.contains(&span.start)) else {
            continue;
        };
        if let Some(lead) = lead_ins.get(si).copied().flatten() {
            let lead = &text[sentences[lead].clone()];
            if let Some(at) = lead.find("下列") {
                out.extend(class_at(&lead[at + "下列".len()..]));
            }
        }
    }
    out.sort_unstable();
    out.dedup();
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::coverage::strength;

    fn found(text: &str) -> Vec<&str> {
        let subject: Vec<Range<usize>> = text
            .match_indices("图书馆")
            .map(|(i, s)| i..i + s.len())
            .collect();
        let sentences = strength::sentences(text);
        let leads = strength::lead_ins(text, &sentences);
        classes(text, &subject, &sentences, &leads)
    }

    #[test]
    fn an_enumeration_ending_in_a_class_puts_the_library_in_it() {
        assert_eq!(
            found("（七）公共图书馆、流动图书馆和公共阅报栏(屏)等阅读设施；"),
            ["阅读设施"]
        );
        assert_eq!(
            found("应当加强公共图书馆、农家书屋等公共阅读设施建设。"),
            ["公共阅读设施"]
        );
        assert_eq!(
            found("博物馆、图书馆和其他文物收藏单位对其收藏的文物，必须设置档案。"),
            ["文物收藏单位"]
        );
        assert_eq!(
            found("图书馆、博物馆和其他文物收藏单位应当建立藏品档案。"),
            ["文物收藏单位"]
        );
        // A partner of the library, or what it holds, is no class of it.
        assert!(found("图书馆与博物馆和其他文物收藏单位合作").is_empty());
        assert!(found("图书馆举办的讲座和其他文化活动场所").is_empty());
    }

    #[test]
    fn a_list_whose_item_names_the_library_puts_it_in_the_lead_ins_class() {
        assert_eq!(
            found("下列公共场所禁止吸烟：\n（一）影剧院；\n（二）图书馆的室内区域；"),
            ["公共场所"]
        );
    }

    #[test]
    fn a_class_counts_where_a_phrase_binds_it_not_a_narrower_body_or_a_topic() {
        let at = |text: &str, class: &str| {
            let start = text.find(class).unwrap();
            binds(text, start, start + class.len())
        };
        assert!(at(
            "禁止吸烟的公共场所的管理单位应当履行下列职责：",
            "公共场所"
        ));
        assert!(at(
            "鼓励全民阅读设施管理单位向公民提供阅读指导。",
            "阅读设施"
        ));
        assert!(at("管理单位违反本规定第六条规定的，", "管理单位"));
        assert!(!at(
            "有关部门应当开展公共场所禁止吸烟的宣传教育。",
            "公共场所"
        ));
        assert!(!at(
            "纳入公共服务设施建设规划的幼儿园，应当办理手续。",
            "公共服务设施"
        ));
        assert!(!at("革命文物收藏单位应当加强展示。", "文物收藏单位"));
        // Phrases end at full-width punctuation as well.
        assert!(!at(
            "在禁止吸烟的公共场所，公民有权要求吸烟者停止吸烟；",
            "公共场所"
        ));
    }

    #[test]
    fn bare_heads_partners_and_duties_make_no_class() {
        // Every place and every body.
        assert!(found("图书馆、博物馆等场所应当开放。").is_empty());
        assert!(found("图书馆、博物馆等单位").is_empty());
        // The library works with schools; it is not one of the 教育机构.
        assert!(found("图书馆与中小学校等教育机构合作。").is_empty());
        assert!(found("图书馆应当开放学校等教育机构。").is_empty());
        // A class phrase cut by 的 is a description, not a name a later clause repeats.
        assert!(found("图书馆、博物馆等需要保持安静的公共场所").is_empty());
        // A list without a class lead-in.
        assert!(found("县级以上人民政府应当建设下列设施：\n（一）图书馆；").is_empty());
    }
}
