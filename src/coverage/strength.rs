//! How strongly a sentence binds: `mandatory` (应当 / 必须 / 不得 / shall / must), `permissive`
//! (可以 / 得 / may), `encouraged` (鼓励 / 支持 / 提倡 / encourage / promote) or `principle` (a
//! statement of purpose, a definition, or a sentence without an actor's duty).
//!
//! A clause often mixes them (国家鼓励…。县级以上人民政府应当…), so strength is decided per
//! sentence; an item of a list (（一）…, (1) …) inherits the strength of its lead-in sentence
//! (…应当具备下列条件：).

use std::fmt;
use std::ops::Range;

use serde::{Deserialize, Serialize};

/// The strength of a duty, ordered from weakest to strongest.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Strength {
    Principle,
    Encouraged,
    Permissive,
    Mandatory,
}

impl Strength {
    pub fn name(self) -> &'static str {
        match self {
            Strength::Principle => "principle",
            Strength::Encouraged => "encouraged",
            Strength::Permissive => "permissive",
            Strength::Mandatory => "mandatory",
        }
    }

    /// One letter for compact matrices: M, P, E, S (statement of principle).
    pub fn letter(self) -> char {
        match self {
            Strength::Principle => 'S',
            Strength::Encouraged => 'E',
            Strength::Permissive => 'P',
            Strength::Mandatory => 'M',
        }
    }
}

impl fmt::Display for Strength {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Splits text into sentences: byte ranges ending after 。！？, a newline, a colon that
/// introduces a list, or an English full stop followed by a space. A semicolon does not end
/// a sentence: in legislation it joins the parts of one rule (…的，应当赔偿；…可以并处罚款),
/// which share their context. Ranges exclude surrounding
/// whitespace; empty sentences are dropped.
pub fn sentences(text: &str) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut start = 0;
    let bytes = text.as_bytes();
    for (i, c) in text.char_indices() {
        let end = i + c.len_utf8();
        let boundary = match c {
            '。' | '！' | '？' | '：' | '!' | '?' | '\n' => true,
            ':' => bytes.get(end).is_none_or(|b| b.is_ascii_whitespace()),
            '.' => is_full_stop(text, i),
            _ => false,
        };
        if boundary {
            push_trimmed(text, start..end, &mut out);
            start = end;
        }
    }
    push_trimmed(text, start..text.len(), &mut out);
    out
}

/// An English full stop: followed by whitespace (or the end) and not closing an abbreviation
/// such as "U.S." or "Sec." or an item number such as "1.".
fn is_full_stop(text: &str, i: usize) -> bool {
    let after = text[i + 1..].chars().next();
    if !after.is_none_or(char::is_whitespace) {
        return false;
    }
    let word: String = text[..i]
        .chars()
        .rev()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '.')
        .collect();
    let word: String = word.chars().rev().collect();
    if word.is_empty() {
        return true;
    }
    // A number opens a list item ("1. National libraries") only at the start of a line.
    let before_word = text[..i - word.len()].chars().next_back();
    let item_number =
        word.chars().all(|c| c.is_ascii_digit()) && before_word.is_none_or(|c| c == '\n');
    let abbreviation = word.contains('.')
        || item_number
        || matches!(
            word.as_str(),
            "Sec"
                | "sec"
                | "No"
                | "no"
                | "Art"
                | "art"
                | "par"
                | "para"
                | "Pub"
                | "Stat"
                | "U"
                | "S"
        );
    !abbreviation
}

fn push_trimmed(text: &str, r: Range<usize>, out: &mut Vec<Range<usize>>) {
    let s = &text[r.clone()];
    let lead = s.len() - s.trim_start().len();
    let trail = s.len() - s.trim_end().len();
    if lead + trail < s.len() {
        out.push(r.start + lead..r.end - trail);
    }
}

/// The strength of each sentence of `text` (as split by [`sentences`]), with list items
/// inheriting their lead-in's strength.
pub fn sentence_strengths(text: &str, ranges: &[Range<usize>]) -> Vec<Strength> {
    let mut out = Vec::with_capacity(ranges.len());
    // The lead-in's strength, and whether it states a purpose or definition: the items of
    // "The purposes of this subchapter are—" are purposes whatever verb they use.
    let mut lead_in: Option<(Strength, bool)> = None;
    for r in ranges {
        let s = &text[r.clone()];
        let own = classify(s);
        let item = is_list_item(s);
        let strength = match (item, lead_in) {
            (true, Some((_, true))) => Strength::Principle,
            (true, Some((l, false))) => own.max(l),
            _ => own,
        };
        if ends_with_colon(s) {
            let principle = if item {
                lead_in.is_some_and(|l| l.1)
            } else {
                is_principle_statement(s)
            };
            lead_in = Some((strength, principle));
        } else if !item {
            lead_in = None;
        }
        out.push(strength);
    }
    out
}

/// For each sentence, the lead-in it belongs to (…享有下列权利： before （五）…提出建议), when it
/// is an item of a list: the item's words are read with its lead-in's, as a reader does.
pub fn lead_ins(text: &str, ranges: &[Range<usize>]) -> Vec<Option<usize>> {
    let mut out = Vec::with_capacity(ranges.len());
    let mut lead: Option<usize> = None;
    for (i, r) in ranges.iter().enumerate() {
        let s = &text[r.clone()];
        let item = is_list_item(s);
        out.push(if item { lead } else { None });
        if ends_with_colon(s) && !item {
            lead = Some(i);
        } else if !item {
            lead = None;
        }
    }
    out
}

/// The strongest sentence strength of a clause text.
pub fn clause_strength(text: &str) -> Strength {
    let ranges = sentences(text);
    sentence_strengths(text, &ranges)
        .into_iter()
        .max()
        .unwrap_or(Strength::Principle)
}

fn ends_with_colon(s: &str) -> bool {
    s.ends_with('：') || s.ends_with(':') || s.ends_with('—') || s.ends_with("--")
}

/// （一） (一) 一、 1. (1) (a) (A) (i) 1、: the openings of list items.
fn is_list_item(s: &str) -> bool {
    let mut chars = s.chars();
    let Some(first) = chars.next() else {
        return false;
    };
    let rest = chars.as_str();
    match first {
        '（' | '(' => {
            let inner: String = rest
                .chars()
                .take_while(|c| *c != '）' && *c != ')')
                .collect();
            !inner.is_empty()
                && inner.chars().count() <= 4
                && inner
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || crate::grammar::is_numeral_char(c))
        }
        c if crate::grammar::is_numeral_char(c) || c.is_ascii_digit() => {
            let head: String = s
                .chars()
                .take_while(|c| crate::grammar::is_numeral_char(*c) || c.is_ascii_digit())
                .collect();
            let after = s[head.len()..].chars().next();
            matches!(after, Some('、') | Some('.') | Some('．'))
        }
        _ => false,
    }
}

/// The strength of one sentence.
pub fn classify(sentence: &str) -> Strength {
    if is_principle_statement(sentence) {
        return Strength::Principle;
    }
    let zh = chinese_strength(sentence);
    if zh == Strength::Mandatory {
        return zh;
    }
    zh.max(korean_strength(sentence))
        .max(english_strength(sentence))
        .max(japanese_strength(sentence))
        .max(vietnamese_strength(sentence))
}

/// Japanese statute endings: …なければならない / …てはならない / …ものとする (duty),
/// …ことができる (power), …努めなければならない / 努めるものとする (a duty of effort, read as
/// encouragement).
fn japanese_strength(s: &str) -> Strength {
    if !s.chars().any(crate::grammar::is_kana) {
        return Strength::Principle;
    }
    if s.contains("努めなければならない") || s.contains("努めるものとする") || s.contains("努める")
    {
        Strength::Encouraged
    } else if s.contains("なければならない")
        || s.contains("てはならない")
        || s.contains("ものとする")
    {
        Strength::Mandatory
    } else if s.contains("ことができる") {
        Strength::Permissive
    } else {
        Strength::Principle
    }
}

/// Vietnamese modals: phải / có trách nhiệm / không được / nghiêm cấm (duty), được / có thể /
/// có quyền (power), khuyến khích (encouragement).
fn vietnamese_strength(s: &str) -> Strength {
    const MARKS: &str = "ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ";
    let lower = s.to_lowercase();
    if !lower.chars().any(|c| MARKS.contains(c)) {
        return Strength::Principle;
    }
    let has = |w: &str| {
        lower.match_indices(w).any(|(i, _)| {
            let before = lower[..i].chars().next_back();
            let after = lower[i + w.len()..].chars().next();
            before.is_none_or(|c| !c.is_alphanumeric())
                && after.is_none_or(|c| !c.is_alphanumeric())
        })
    };
    if has("phải") || has("có trách nhiệm") || has("không được") || has("nghiêm cấm")
    {
        Strength::Mandatory
    } else if has("được") || has("có thể") || has("có quyền") {
        Strength::Permissive
    } else if has("khuyến khích") {
        Strength::Encouraged
    } else {
        Strength::Principle
    }
}

/// Purpose clauses (为了…，制定本法 / The purpose of this Act), definitions (本法所称…是指 /
/// "library" means) and scope statements (本条例适用于): principles whatever modal words
/// they quote.
fn is_principle_statement(s: &str) -> bool {
    let body = strip_article_head(s);
    let purpose = (body.starts_with('为') || body.starts_with('為'))
        && (s.contains("制定本") || s.contains("特制定") || s.contains("制定此"));
    let definition = s.contains("所称") || s.contains("所稱") || s.contains("是指");
    let scope = s.contains("适用本")
        || s.contains("适用于本")
        || s.contains("適用本")
        || s.contains("適用於本");
    // 이 법은 …을 목적으로 한다 / "사서"란 …을 말한다; この法律は…目的とする / …をいう
    let korean = s.contains("목적으로 한다") || s.contains("말한다");
    let japanese = s.contains("目的とする") || s.ends_with("をいう。") || s.ends_with("をいう");
    if japanese {
        return true;
    }
    if purpose || definition || scope || korean {
        return true;
    }
    if !s.is_ascii() && !s.chars().any(|c| c.is_ascii_alphabetic()) {
        return false;
    }
    let lower = s.to_ascii_lowercase();
    lower.contains(" means ")
        || lower.contains("the term ")
        || lower.contains(" refers to ")
        || lower.contains(" refer to ")
        || lower.contains(" refer specifically to ")
        || lower.contains("may be cited as")
        || lower.contains("purpose of this")
        || lower.contains("purposes of this")
        || lower.contains("this act was formulated")
        || lower.contains("this act was enacted")
        || lower.starts_with("the purposes of")
        || lower.starts_with("the purpose of")
}

/// The sentence without a leading 第X条 / 第 1 條, for text that still carries its label.
pub fn strip_article_head(s: &str) -> &str {
    let Some(rest) = s.strip_prefix('第') else {
        return s;
    };
    let digits = rest
        .char_indices()
        .find(|(_, c)| !(crate::grammar::is_numeral_char(*c) || c.is_whitespace()))
        .map(|(i, _)| i)
        .unwrap_or(rest.len());
    match rest[digits..].chars().next() {
        Some(c @ ('条' | '條')) => rest[digits + c.len_utf8()..].trim_start(),
        _ => s,
    }
}

// Two-character markers first: they decide before the one-character forms are read.
const MANDATORY_ZH: &[&str] = &[
    "应当", "應當", "必须", "必須", "不得", "禁止", "严禁", "嚴禁", "不准", "不應", "不应", "应予",
    "應予", "务必", "務必",
];
const PERMISSIVE_ZH: &[&str] = &["可以", "得以"];
const ENCOURAGED_ZH: &[&str] = &[
    "鼓励", "鼓勵", "支持", "提倡", "倡导", "倡導", "扶持", "扶助", "推动", "推動", "促进", "促進",
    "引导", "引導",
];

/// Sanctions stated in the declarative mood (由文化主管部门责令改正): binding on the authority.
const SANCTION_ZH: &[&str] = &["责令", "責令", "追究", "处以", "處以"];
/// Characters before 应/應 that make it part of another word (相应, 适应, 供应, …).
const NOT_SHALL_BEFORE: &str = "相适適供因反回对對响響呼理答感效顺順报報照策";
/// Characters after 应/應 (应用, 应急, 应变, …).
const NOT_SHALL_AFTER: &str = "用急变變对對邀聘届屆试試运運酬援";
/// Characters before 得 that make it part of another word (取得, 获得, 所得, …).
const NOT_MAY_BEFORE: &str =
    "不取获獲所使值懂记記觉覺免赢贏求习習心难難博应應晓曉落怪舍捨显顯变變来來购購领領非";
/// Characters after 可 (可能, 可靠, 可持续, …) and before it (许可, 认可, 不可).
const NOT_MAY_AFTER: &str =
    "能靠行持视視及见見观觀读讀供信疑口爱愛控测測再塑燃移逆比乐樂怕贵貴谓謂惜知";
const NOT_MAY_BEFORE_KE: &str = "许許认認不无無宁寧即尚";

fn chinese_strength(s: &str) -> Strength {
    // A proviso (…可以不经著作权人许可，…，但应当指明作者姓名) conditions the duty before it; the
    // sentence binds as strongly as what it grants or requires before 但.
    if let Some(at) = ["，但", "；但", ",但"]
        .iter()
        .filter_map(|p| s.find(p))
        .min()
    {
        let head = chinese_strength(&s[..at]);
        if head != Strength::Principle {
            return head;
        }
    }
    let mut best = Strength::Principle;
    let chars: Vec<char> = s.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let prev = if i > 0 { chars[i - 1] } else { ' ' };
        let next = chars.get(i + 1).copied().unwrap_or(' ');
        let pair: String = [c, next].iter().collect();
        if MANDATORY_ZH.contains(&pair.as_str()) {
            return Strength::Mandatory;
        }
        if PERMISSIVE_ZH.contains(&pair.as_str()) {
            best = best.max(Strength::Permissive);
            i += 2;
            continue;
        }
        if ENCOURAGED_ZH.contains(&pair.as_str()) {
            // Inside a name (全民阅读促进工作, 促进条例, 促进会) the verb encourages no one.
            let after: String = chars[i + 2..].iter().take(2).collect();
            let named = [
                "工作", "条例", "條例", "办法", "辦法", "中心", "法》", "法（", "会", "會",
            ]
            .iter()
            .any(|n| after.starts_with(n));
            if !named {
                best = best.max(Strength::Encouraged);
            }
            i += 2;
            continue;
        }
        if SANCTION_ZH.contains(&pair.as_str()) {
            // 由…责令改正 binds like 应当; 可以责令 is a power.
            let before: String = chars[i.saturating_sub(2)..i].iter().collect();
            if before.ends_with("可以") || prev == '可' || prev == '得' {
                best = best.max(Strength::Permissive);
            } else {
                return Strength::Mandatory;
            }
        }
        match c {
            '应' | '應' if !NOT_SHALL_BEFORE.contains(prev) && !NOT_SHALL_AFTER.contains(next) => {
                return Strength::Mandatory;
            }
            '须' | '須' if !"无無毋勿".contains(prev) && !"知臾".contains(next) => {
                return Strength::Mandatory;
            }
            '得' if !NOT_MAY_BEFORE.contains(prev) && !"到知悉".contains(next) && i > 0 => {
                best = best.max(Strength::Permissive);
            }
            '可' if !NOT_MAY_BEFORE_KE.contains(prev) && !NOT_MAY_AFTER.contains(next) => {
                best = best.max(Strength::Permissive);
            }
            _ => {}
        }
        i += 1;
    }
    best
}

/// Korean endings: 하여야 한다 / 아니 된다 (mandatory), 할 수 있다 (permissive), 장려 / 권장 /
/// 노력하여야 한다 (a duty to endeavour reads as encouragement).
fn korean_strength(s: &str) -> Strength {
    if !s.chars().any(crate::grammar::is_hangul) {
        return Strength::Principle;
    }
    let endeavour = s.contains("노력") || s.contains("힘써야") || s.contains("힘쓴다");
    let prohibition = ["아니 된다", "아니된다", "안 된다", "못한다", "금지한다"]
        .iter()
        .any(|m| s.contains(m));
    if prohibition || (s.contains("야 한다") && !endeavour) {
        return Strength::Mandatory;
    }
    if s.contains("수 있다") {
        return Strength::Permissive;
    }
    if endeavour || s.contains("장려") || s.contains("권장") {
        return Strength::Encouraged;
    }
    Strength::Principle
}

fn english_strength(s: &str) -> Strength {
    if !s.bytes().any(|b| b.is_ascii_alphabetic()) {
        return Strength::Principle;
    }
    let lower = s.to_ascii_lowercase();
    let words: Vec<&str> = lower
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    let mut best = Strength::Principle;
    for (i, w) in words.iter().enumerate() {
        let next = words.get(i + 1).copied().unwrap_or("");
        let after = words.get(i + 2).copied().unwrap_or("");
        match *w {
            "shall" | "must" => return Strength::Mandatory,
            "required" if i > 0 && matches!(words[i - 1], "is" | "are" | "be") && next == "to" => {
                return Strength::Mandatory
            }
            "may" if next == "not" => return Strength::Mandatory,
            // "None of the funds … may be used", "No funds may be used": a prohibition.
            "may" if words[..i].iter().any(|w| matches!(*w, "none" | "no")) => {
                return Strength::Mandatory
            }
            "may" if next == "be" && after == "cited" => {}
            "may" => best = best.max(Strength::Permissive),
            "encourage" | "encourages" | "encouraged" | "promote" | "promotes" | "foster"
            | "fosters" => best = best.max(Strength::Encouraged),
            _ => {}
        }
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn japanese_and_vietnamese_modals() {
        assert_eq!(
            classify("図書館は、資料を公衆の利用に供しなければならない。"),
            Strength::Mandatory
        );
        assert_eq!(
            classify("図書館は、入館料を徴収することができる。"),
            Strength::Permissive
        );
        assert_eq!(
            classify("地方公共団体は、図書館の充実に努めなければならない。"),
            Strength::Encouraged
        );
        assert_eq!(
            classify("この法律は、図書館の健全な発達を図ることを目的とする。"),
            Strength::Principle
        );
        assert_eq!(
            classify("Thư viện công lập phải phục vụ miễn phí."),
            Strength::Mandatory
        );
        assert_eq!(
            classify("Thư viện được thu phí dịch vụ."),
            Strength::Permissive
        );
        assert_eq!(
            classify("Nhà nước khuyến khích tổ chức, cá nhân thành lập thư viện."),
            Strength::Encouraged
        );
        assert_eq!(
            classify("Thư viện là thiết chế văn hóa."),
            Strength::Principle
        );
    }

    #[test]
    fn splits_chinese_and_english_sentences() {
        let t = "国家鼓励公民捐赠。县级以上人民政府应当给予支持；并公告：\n（一）名称；";
        let parts: Vec<&str> = sentences(t).into_iter().map(|r| &t[r]).collect();
        assert_eq!(
            parts,
            [
                "国家鼓励公民捐赠。",
                "县级以上人民政府应当给予支持；并公告：",
                "（一）名称；"
            ]
        );
        let e = "The Director shall report. See 20 U.S.C. 9101. Sec. 5 applies.";
        let parts: Vec<&str> = sentences(e).into_iter().map(|r| &e[r]).collect();
        assert_eq!(
            parts,
            [
                "The Director shall report.",
                "See 20 U.S.C. 9101.",
                "Sec. 5 applies."
            ]
        );
    }

    #[test]
    fn single_character_modals_skip_words_that_contain_them() {
        assert_eq!(classify("配备相应的工作人员"), Strength::Principle);
        assert_eq!(classify("制定应急预案"), Strength::Principle);
        assert_eq!(classify("没收违法所得"), Strength::Principle);
        assert_eq!(classify("取得许可"), Strength::Principle);
        assert_eq!(classify("除遇不可抗力外"), Strength::Principle);
        assert_eq!(classify("圖書館應提供服務"), Strength::Mandatory);
        assert_eq!(classify("各級主管機關得設立諮詢會"), Strength::Permissive);
        assert_eq!(classify("须经批准"), Strength::Mandatory);
        assert_eq!(classify("无须批准"), Strength::Principle);
        assert_eq!(classify("由文化主管部门责令改正"), Strength::Mandatory);
        assert_eq!(
            classify("情节严重的，可以责令停业整顿"),
            Strength::Permissive
        );
    }

    #[test]
    fn items_inherit_their_lead_in() {
        let t =
            "设立公共图书馆应当具备下列条件：\n（一）章程；\n（二）固定的馆址。\n国家鼓励捐赠。";
        let r = sentences(t);
        let s = sentence_strengths(t, &r);
        assert_eq!(
            s,
            [
                Strength::Mandatory,
                Strength::Mandatory,
                Strength::Mandatory,
                Strength::Encouraged
            ]
        );
    }

    #[test]
    fn a_proviso_does_not_make_a_permission_a_duty() {
        let lead =
            "在下列情况下使用作品，可以不经著作权人许可，不向其支付报酬，但应当指明作者姓名：";
        let t = format!("{lead}\n（八）图书馆为保存版本的需要，复制本馆收藏的作品；");
        let s = sentence_strengths(&t, &sentences(&t));
        assert_eq!(s, [Strength::Permissive, Strength::Permissive]);
        // A duty with a proviso stays a duty; a proviso alone still binds.
        assert_eq!(
            classify("公共图书馆应当免费开放，但可以收取押金。"),
            Strength::Mandatory
        );
        assert_eq!(classify("但书之外，但应当公告。"), Strength::Mandatory);
    }

    #[test]
    fn items_of_a_purpose_statement_are_principles() {
        let t = "The purposes of this subchapter are--\n(1) to encourage resource sharing;\n(2) to promote literacy.";
        let r = sentences(t);
        let s = sentence_strengths(t, &r);
        assert_eq!(s, [Strength::Principle; 3]);
    }

    #[test]
    fn korean_endings() {
        assert_eq!(
            classify("국가는 시책을 강구하여야 한다."),
            Strength::Mandatory
        );
        assert_eq!(
            classify("개인은 작은도서관을 설치ㆍ운영할 수 있다."),
            Strength::Permissive
        );
        assert_eq!(
            classify("국가는 후원을 장려하여야 한다."),
            Strength::Mandatory
        );
        assert_eq!(
            classify("국가는 활성화를 위한 노력을 하여야 한다."),
            Strength::Encouraged
        );
        assert_eq!(
            classify("이 법은 진흥에 이바지함을 목적으로 한다."),
            Strength::Principle
        );
    }

    #[test]
    fn english_modals() {
        assert_eq!(
            classify("Libraries may loan resources."),
            Strength::Permissive
        );
        assert_eq!(
            classify("This Act may be cited as the Act."),
            Strength::Principle
        );
        assert_eq!(
            classify("Funds may not be used for construction."),
            Strength::Mandatory
        );
        assert_eq!(
            classify("None of the funds may be used for X."),
            Strength::Mandatory
        );
        assert_eq!(
            classify("The term \"library\" means a public library."),
            Strength::Principle
        );
        assert_eq!(
            classify("The authority shall encourage publishers."),
            Strength::Mandatory
        );
        // 促进 in the name of a work or an instrument encourages no one.
        assert_eq!(
            classify("县文化主管部门负责本县全民阅读促进工作的组织、协调和考核评估。"),
            Strength::Principle
        );
        assert_eq!(classify("国家促进全民阅读。"), Strength::Encouraged);
        assert_eq!(classify("各级政府促进法治建设。"), Strength::Encouraged);
    }
}
