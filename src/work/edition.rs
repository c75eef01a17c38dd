//! What one document says about the law it is a text of: its work key (jurisdiction and
//! title without version notes), its dates, and a fingerprint of its articles.

use std::fmt;

use crate::grammar::from_chinese;
use crate::model::{Clause, Edition, SourceMeta};

/// A date as far as a text gives it: `2018-10-26`, or only a year (`2017`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct CalendarDate {
    pub year: i32,
    /// 0 when unknown.
    pub month: u8,
    /// 0 when unknown.
    pub day: u8,
}

/// Days in `month` (1–12) of `year`, leap years counted; 31 for an unknown month (0).
pub fn days_in_month(year: i32, month: u8) -> u8 {
    let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    match month {
        2 if leap => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

impl CalendarDate {
    /// Reads `YYYY-MM-DD`, `YYYY-MM` or `YYYY`.
    pub fn parse(s: &str) -> Option<CalendarDate> {
        let mut parts = s.trim().split('-');
        let year: i32 = parts.next()?.parse().ok()?;
        let month: u8 = parts.next().map_or(Some(0), |m| m.parse().ok())?;
        let day: u8 = parts.next().map_or(Some(0), |d| d.parse().ok())?;
        if parts.next().is_some() || !(1000..=9999).contains(&year) || month > 12 || day > 31 {
            return None;
        }
        if month == 0 && day != 0 {
            return None;
        }
        // A day the month does not have (2018-02-30) is no date.
        if day > days_in_month(year, month) {
            return None;
        }
        Some(CalendarDate { year, month, day })
    }

    /// Whether `other` names the same day as far as both are known (`2018` and `2018-10-26`).
    pub fn compatible(self, other: CalendarDate) -> bool {
        self.year == other.year
            && (self.month == 0 || other.month == 0 || self.month == other.month)
            && (self.day == 0 || other.day == 0 || self.day == other.day)
    }
}

impl fmt::Display for CalendarDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.month, self.day) {
            (0, _) => write!(f, "{:04}", self.year),
            (m, 0) => write!(f, "{:04}-{m:02}", self.year),
            (m, d) => write!(f, "{:04}-{m:02}-{d:02}", self.year),
        }
    }
}

/// What a date in promulgation notes records.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateRole {
    /// 通过: adopted.
    Adopted,
    /// 修正, 修订, 修改: amended.
    Amended,
    /// 施行: in force from.
    Effective,
    /// 公布 and anything else.
    Other,
}

/// The dates written in promulgation notes (`2017年11月4日…通过`, `根据2018年10月26日…修正`,
/// `自2018年1月1日起施行`), each with what the words after it (up to the next date) say
/// happened on that day. Dates in Chinese numerals (二〇一七年十一月四日) count too.
pub fn dates_in(text: &str) -> Vec<(CalendarDate, DateRole)> {
    let chars: Vec<char> = text.chars().collect();
    let mut found: Vec<(usize, usize, CalendarDate)> = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if let Some((date, end)) = date_at(&chars, i) {
            found.push((i, end, date));
            i = end;
        } else {
            i += 1;
        }
    }
    let mut out = Vec::with_capacity(found.len());
    for (k, &(_, end, date)) in found.iter().enumerate() {
        let next = found.get(k + 1).map_or(chars.len(), |f| f.0);
        let after: String = chars[end..next].iter().collect();
        // The verb nearest the date tells: 通过 … 修正 in one stretch is rare, and 起施行
        // ends a sentence.
        let role = [
            ("施行", DateRole::Effective),
            ("通过", DateRole::Adopted),
            ("修正", DateRole::Amended),
            ("修订", DateRole::Amended),
            ("修改", DateRole::Amended),
        ]
        .iter()
        .filter_map(|(w, r)| after.find(w).map(|p| (p, *r)))
        .min_by_key(|(p, _)| *p)
        .map_or(DateRole::Other, |(_, r)| r);
        // 根据…通过的《中华人民共和国刑法修正案（九）》修正: the day another act, named after
        // 通过的, was adopted is a day this law was amended.
        let role = match role {
            DateRole::Adopted if after.contains("通过的《") || after.contains("通過的《") => {
                DateRole::Amended
            }
            r => r,
        };
        out.push((date, role));
    }
    out
}

/// A date `YYYY年M月D日` starting at `i`, with the index after it.
fn date_at(chars: &[char], i: usize) -> Option<(CalendarDate, usize)> {
    let (year, j) = number(chars, i, 4)?;
    if chars.get(j) != Some(&'年') || (i > 0 && is_digit(chars[i - 1])) {
        return None;
    }
    let (month, k) = number(chars, j + 1, 2)?;
    if chars.get(k) != Some(&'月') {
        return None;
    }
    let (day, l) = number(chars, k + 1, 3)?;
    if chars.get(l) != Some(&'日') {
        return None;
    }
    let date = CalendarDate {
        year: i32::try_from(year).ok()?,
        month: u8::try_from(month).ok()?,
        day: u8::try_from(day).ok()?,
    };
    let plausible = (1900..=2100).contains(&date.year)
        && (1..=12).contains(&date.month)
        && (1..=31).contains(&date.day);
    plausible.then_some((date, l + 1))
}

fn is_digit(c: char) -> bool {
    c.is_ascii_digit() || "〇零一二三四五六七八九十".contains(c)
}

/// A number of at most `max` characters (years: four digits, written digit by digit in
/// Chinese; months and days: 十一, 二十六).
fn number(chars: &[char], i: usize, max: usize) -> Option<(u32, usize)> {
    let mut j = i;
    while j < chars.len() && j - i < max && (is_digit(chars[j]) || chars[j] == ' ') {
        j += 1;
    }
    let s: String = chars[i..j].iter().filter(|c| **c != ' ').collect();
    if s.is_empty() {
        return None;
    }
    let value = if s.chars().all(|c| c.is_ascii_digit()) {
        s.parse().ok()?
    } else if max == 4 {
        // 二〇一七: digit by digit.
        s.chars()
            .map(|c| if c == '零' { '〇' } else { c })
            .map(|c| "〇一二三四五六七八九".find(c).map(|b| (b / 3) as u32))
            .try_fold(0u32, |acc, d| Some(acc * 10 + d?))?
    } else {
        from_chinese(&s)?
    };
    Some((value, j))
}

/// Title endings of acts that amend another: each is a law in its own right.
const AMENDING_ACTS: &[&str] = &["修正案", "决定", "決定", "amendment", "amendments"];

/// A title without the version notes publishers add: `中华人民共和国公共图书馆法（2018修正）`
/// and `…（2017原始文本）` both give `中华人民共和国公共图书馆法`. A note is a bracketed
/// stretch holding a year or the words for amended, revised, original text or draft;
/// brackets that are part of the name (`（试行）`) stay.
pub fn title_key(title: &str) -> String {
    let mut out = String::with_capacity(title.len());
    let mut rest = title.trim();
    while let Some(open) = rest.find(['（', '(', '【', '[']) {
        let (before, from) = rest.split_at(open);
        let opener = from.chars().next().unwrap_or('(');
        let closer = match opener {
            '（' => '）',
            '(' => ')',
            '【' => '】',
            _ => ']',
        };
        let inner_start = opener.len_utf8();
        let Some(close) = from[inner_start..].find(closer) else {
            break;
        };
        let inner = &from[inner_start..inner_start + close];
        out.push_str(before);
        // An amending act (宪法修正案（2018年）, 刑法修正案（十一）, a 决定) is a law of its own,
        // not a version of another: its year or number names it.
        let amending = AMENDING_ACTS
            .iter()
            .any(|w| out.trim_end().to_lowercase().ends_with(w));
        // A year alone is a version note, except on an amending act, which it names; the
        // words for amended or revised are a note on any title.
        let worded = [
            "修正", "修订", "修改", "原始", "文本", "草案", "amended", "revised",
        ]
        .iter()
        .any(|w| inner.to_lowercase().contains(w));
        let note =
            worded || (!amending && inner.chars().filter(|c| c.is_ascii_digit()).count() >= 4);
        if !note {
            out.push(opener);
            out.push_str(inner);
            out.push(closer);
        }
        rest = &from[inner_start + close + closer.len_utf8()..];
    }
    out.push_str(rest);
    // Spaces go (CJK titles are spaced at will), except between two Latin words, which keep
    // a `-` so that an English key stays readable.
    let mut key = String::with_capacity(out.len());
    let mut space = false;
    for c in out.chars().flat_map(char::to_lowercase) {
        if c.is_whitespace() {
            space = true;
            continue;
        }
        if space && c.is_ascii_alphanumeric() && key.ends_with(|p: char| p.is_ascii_alphanumeric())
        {
            key.push('-');
        }
        space = false;
        key.push(c);
    }
    key.trim_matches(['《', '》']).to_string()
}

/// The work key of a document: `{jurisdiction}:{title key}`, or the title key alone when the
/// jurisdiction is unknown.
pub(crate) fn work_key(jurisdiction: &str, title: &str) -> String {
    let key = title_key(title);
    if jurisdiction.is_empty() {
        key
    } else {
        format!("{}:{key}", jurisdiction.to_lowercase())
    }
}

/// A clause's caption and text with whitespace removed and full-width ASCII folded: a PDF's
/// line breaks or a converter's spacing do not make another text.
pub(crate) fn normalized(c: &Clause) -> String {
    c.caption
        .chars()
        .chain(c.text.chars())
        .filter(|ch| !ch.is_whitespace())
        .map(|ch| match ch {
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(ch as u32 - 0xFEE0).unwrap_or(ch),
            _ => ch,
        })
        .collect()
}

/// The 8-hex-digit hash of an article's normalised text.
fn article_hash(c: &Clause) -> String {
    let h = blake3::hash(normalized(c).as_bytes());
    h.to_hex()[..8].to_string()
}

/// What a document says about its work and version: the manifest's `work`, `version` and
/// dates where given, else the work key from jurisdiction and title and the dates of its
/// promulgation notes; and the fingerprint of its articles.
pub fn edition(
    title: &str,
    jurisdiction: &str,
    meta: &SourceMeta,
    preamble: &[String],
    clauses: &[Clause],
) -> Edition {
    let mut adopted = None;
    let mut amended: Vec<CalendarDate> = Vec::new();
    let mut effective = None;
    for line in preamble {
        // Front matter (law.go.kr's `시행일자: 2022-12-08`): the day the text took effect.
        if let Some(date) = front_matter_effective(line) {
            effective = effective.or(Some(date));
            continue;
        }
        for (date, role) in dates_in(line) {
            match role {
                DateRole::Adopted => adopted = adopted.or(Some(date)),
                DateRole::Amended => amended.push(date),
                DateRole::Effective => effective = effective.or(Some(date)),
                DateRole::Other => {}
            }
        }
    }
    amended.sort();
    amended.dedup();
    let given = |d: &Option<String>| d.as_deref().and_then(CalendarDate::parse);
    let amended_given: Vec<CalendarDate> = meta
        .amended
        .iter()
        .filter_map(|d| CalendarDate::parse(d))
        .collect();
    Edition {
        work: meta
            .work
            .clone()
            .unwrap_or_else(|| work_key(jurisdiction, title)),
        work_given: meta.work.is_some(),
        version: meta.version.clone().unwrap_or_default(),
        adopted: given(&meta.adopted).or(adopted).map(|d| d.to_string()),
        amended: if amended_given.is_empty() {
            amended
        } else {
            amended_given
        }
        .iter()
        .map(ToString::to_string)
        .collect(),
        effective: given(&meta.effective).or(effective).map(|d| d.to_string()),
        articles: clauses.iter().map(article_hash).collect(),
    }
}

/// `시행일자: 2022-12-08` or `施行日期: 2018-01-01`, as exporters write a text's front matter.
fn front_matter_effective(line: &str) -> Option<CalendarDate> {
    let (key, value) = line.split_once([':', '：'])?;
    let key = key.trim().trim_start_matches(['-', ' ']);
    if !matches!(key, "시행일자" | "施行日期" | "施行日" | "effective") {
        return None;
    }
    let value = value.trim().trim_matches(['\'', '"']);
    CalendarDate::parse(value).filter(|d| d.month > 0 && d.day > 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn version_notes_leave_the_title() {
        let key = title_key("中华人民共和国公共图书馆法");
        assert_eq!(title_key("中华人民共和国公共图书馆法（2018修正）"), key);
        // Each amendment of the constitution is its own act, not a version of the others.
        assert_ne!(
            title_key("中华人民共和国宪法修正案（2004年）"),
            title_key("中华人民共和国宪法修正案（2018年）")
        );
        assert_ne!(title_key("宪法修正案（1999年）"), title_key("宪法修正案"));
        // A decision amended later is still one act.
        assert_eq!(
            title_key("全国人民代表大会常务委员会关于维护互联网安全的决定（2009修正）"),
            title_key("全国人民代表大会常务委员会关于维护互联网安全的决定")
        );
        assert_eq!(title_key("中华人民共和国公共图书馆法（2017原始文本）"), key);
        assert_eq!(
            title_key("中华人民共和国刑法(2015年修正文本)"),
            "中华人民共和国刑法"
        );
        assert_eq!(
            title_key("《四川省公共图书馆条例》（2024修订）"),
            "四川省公共图书馆条例"
        );
        assert_eq!(title_key("某某管理办法（试行）"), "某某管理办法（试行）");
        assert_eq!(
            title_key("Library Act (official English translation)"),
            "library-act(official-english-translation)"
        );
    }

    #[test]
    fn promulgation_notes_give_adoption_amendment_and_force() {
        let joined = "（2017年11月4日第十二届全国人民代表大会常务委员会第三十次会议通过\
                      2018年10月26日第十三届全国人民代表大会常务委员会第六次会议《关于修改〈中华人民共和国野生动物保护法〉等十五部法律的决定》修正）";
        let d = dates_in(joined);
        assert_eq!(
            d.iter()
                .map(|(d, r)| (d.to_string(), *r))
                .collect::<Vec<_>>(),
            [
                ("2017-11-04".to_string(), DateRole::Adopted),
                ("2018-10-26".to_string(), DateRole::Amended)
            ]
        );
        let d = dates_in("二〇一七年十一月四日通过，自二〇一八年一月一日起施行");
        assert_eq!(d[0].0.to_string(), "2017-11-04");
        assert_eq!(
            d[1],
            (
                CalendarDate::parse("2018-01-01").unwrap(),
                DateRole::Effective
            )
        );
        assert!(dates_in("第12018年1月1日").is_empty());
    }

    #[test]
    fn front_matter_gives_the_day_a_text_took_effect() {
        let preamble: Vec<String> = [
            "제목: 학교도서관진흥법",
            "공포일자: 2021-12-07",
            "시행일자: '2022-12-08'",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        let e = edition(
            "학교도서관진흥법",
            "KR",
            &SourceMeta::default(),
            &preamble,
            &[],
        );
        assert_eq!(e.effective.as_deref(), Some("2022-12-08"));
        assert_eq!(front_matter_effective("법령ID: '010584'"), None);
    }

    #[test]
    fn the_day_an_amending_act_was_adopted_amends_the_law() {
        let notes = "（1979年7月1日第五届全国人民代表大会第二次会议通过　1997年3月14日第八届全国人民代表大会\
                     第五次会议修订　根据2011年2月25日第十一届全国人民代表大会常务委员会第十九次会议通过的\
                     《中华人民共和国刑法修正案（八）》、2015年8月29日第十二届全国人民代表大会常务委员会\
                     第十六次会议通过的《中华人民共和国刑法修正案（九）》修正）";
        let roles: Vec<(String, DateRole)> = dates_in(notes)
            .into_iter()
            .map(|(d, r)| (d.to_string(), r))
            .collect();
        assert_eq!(
            roles,
            [
                ("1979-07-01".to_string(), DateRole::Adopted),
                ("1997-03-14".to_string(), DateRole::Amended),
                ("2011-02-25".to_string(), DateRole::Amended),
                ("2015-08-29".to_string(), DateRole::Amended),
            ]
        );
    }

    #[test]
    fn partial_dates_compare_by_what_is_known() {
        let y = CalendarDate::parse("2018").unwrap();
        let d = CalendarDate::parse("2018-10-26").unwrap();
        assert!(y.compatible(d) && d.compatible(y));
        assert!(!d.compatible(CalendarDate::parse("2018-01-01").unwrap()));
        assert!(y < d);
        assert_eq!(CalendarDate::parse("2018-13-01"), None);
        assert_eq!(y.to_string(), "2018");
    }
}
