//! Names of jurisdictions as people write them (澳大利亚, Australia's, 한국, 上海市), mapped to
//! the ISO 3166 codes documents carry (`AU`, `KR`, `CN-SH`): how a question that names a
//! place ("who runs Australia's national library") is read as a question about that
//! jurisdiction's law.
//!
//! The list covers the countries whose library law researchers compare most and mainland
//! China's provincial-level divisions (ISO 3166-2:CN). Names that are also ordinary words are
//! left out or taken only as written: "US" and "UK" only in capitals ("us" is a pronoun), not
//! 호주 (also 戶主, head of a household) nor Vietnamese "Úc" or "Mỹ" alone.

/// `(code, names)`: Chinese names in Simplified script (Traditional text is folded before
/// lookup), other names lowercase unless they must be capitalised to be names at all.
const PLACES: &[(&str, &[&str])] = &[
    (
        "CN",
        &[
            "中国",
            "中华人民共和国",
            "china",
            "chinese",
            "prc",
            "중국",
            "trung quốc",
        ],
    ),
    ("TW", &["台湾", "台湾地区", "taiwan", "taiwanese", "대만"]),
    ("HK", &["香港", "hong kong", "홍콩"]),
    ("MO", &["澳门", "macau", "macao", "마카오"]),
    ("JP", &["日本", "japan", "japanese", "일본", "nhật bản"]),
    (
        "KR",
        &[
            "韩国",
            "南韩",
            "大韩民国",
            "korea",
            "korean",
            "south korea",
            "republic of korea",
            "한국",
            "대한민국",
            "hàn quốc",
        ],
    ),
    (
        "VN",
        &[
            "越南",
            "vietnam",
            "viet nam",
            "việt nam",
            "vietnamese",
            "베트남",
        ],
    ),
    (
        "US",
        &[
            "美国",
            "美利坚合众国",
            "united states",
            "USA",
            "US",
            "america",
            "american",
            "미국",
            "hoa kỳ",
        ],
    ),
    (
        "AU",
        &[
            "澳大利亚",
            "澳洲",
            "australia",
            "australian",
            "오스트레일리아",
        ],
    ),
    (
        "GB",
        &[
            "英国",
            "united kingdom",
            "UK",
            "britain",
            "british",
            "영국",
            "vương quốc anh",
        ],
    ),
    ("NZ", &["新西兰", "new zealand", "뉴질랜드"]),
    ("CA", &["加拿大", "canada", "canadian", "캐나다"]),
    ("DE", &["德国", "germany", "german", "독일"]),
    ("FR", &["法国", "france", "french", "프랑스"]),
    ("SG", &["新加坡", "singapore", "싱가포르"]),
    ("IN", &["印度", "india", "indian", "인도"]),
    ("RU", &["俄罗斯", "russia", "russian", "러시아"]),
    ("CN-BJ", &["北京", "beijing"]),
    ("CN-TJ", &["天津", "tianjin"]),
    ("CN-HE", &["河北", "hebei"]),
    ("CN-SX", &["山西", "shanxi"]),
    ("CN-NM", &["内蒙古", "inner mongolia"]),
    ("CN-LN", &["辽宁", "liaoning"]),
    ("CN-JL", &["吉林省", "jilin province"]),
    ("CN-HL", &["黑龙江", "heilongjiang"]),
    ("CN-SH", &["上海", "shanghai"]),
    ("CN-JS", &["江苏", "jiangsu"]),
    ("CN-ZJ", &["浙江", "zhejiang"]),
    ("CN-AH", &["安徽", "anhui"]),
    ("CN-FJ", &["福建", "fujian"]),
    ("CN-JX", &["江西", "jiangxi"]),
    ("CN-SD", &["山东", "shandong"]),
    ("CN-HA", &["河南", "henan"]),
    ("CN-HB", &["湖北", "hubei"]),
    ("CN-HN", &["湖南", "hunan"]),
    ("CN-GD", &["广东", "guangdong"]),
    ("CN-GX", &["广西", "guangxi"]),
    ("CN-HI", &["海南", "hainan"]),
    ("CN-CQ", &["重庆", "chongqing"]),
    ("CN-SC", &["四川", "sichuan"]),
    ("CN-GZ", &["贵州", "guizhou"]),
    ("CN-YN", &["云南", "yunnan"]),
    ("CN-XZ", &["西藏", "tibet"]),
    ("CN-SN", &["陕西", "shaanxi"]),
    ("CN-GS", &["甘肃", "gansu"]),
    ("CN-QH", &["青海", "qinghai"]),
    ("CN-NX", &["宁夏", "ningxia"]),
    ("CN-XJ", &["新疆", "xinjiang"]),
];

/// Endings of Chinese provincial names as statutes write them (上海市, 四川省, 广西壮族自治区).
const ZH_ENDINGS: &[&str] = &[
    "壮族自治区",
    "回族自治区",
    "维吾尔自治区",
    "自治区",
    "特别行政区",
    "省",
    "市",
];

/// The jurisdiction a name (one word, or several joined by single spaces) stands for. Chinese
/// names are looked up in Simplified script, with or without their 省/市/自治区 ending; a
/// trailing possessive ("Australia's") is ignored.
pub fn jurisdiction_of(name: &str) -> Option<&'static str> {
    let trimmed = name
        .strip_suffix("'s")
        .or_else(|| name.strip_suffix("’s"))
        .unwrap_or(name);
    let lower = trimmed.to_lowercase();
    let find = |candidate: &str, case_sensitive: bool| {
        PLACES.iter().find_map(|(code, names)| {
            names
                .iter()
                .any(|n| match n.chars().any(|c| c.is_ascii_uppercase()) {
                    // A name listed in capitals is a name only in capitals.
                    true => case_sensitive && *n == candidate,
                    false => *n == candidate,
                })
                .then_some(*code)
        })
    };
    find(trimmed, true)
        .or_else(|| find(&lower, false))
        .or_else(|| {
            // 한국의, 호주에서: a Korean name with its particle.
            super::hangul_stems(trimmed).find_map(|stem| find(stem, false))
        })
        .or_else(|| {
            ZH_ENDINGS.iter().find_map(|e| {
                let stem = trimmed.strip_suffix(e)?;
                (stem.chars().count() >= 2)
                    .then(|| find(stem, false))
                    .flatten()
            })
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_in_several_languages_meet_one_code() {
        for name in [
            "澳大利亚",
            "Australia",
            "Australia's",
            "australian",
            "AUSTRALIA",
        ] {
            assert_eq!(jurisdiction_of(name), Some("AU"), "{name}");
        }
        for name in [
            "韩国",
            "한국",
            "한국의",
            "대한민국에서",
            "Korea",
            "south korea",
        ] {
            assert_eq!(jurisdiction_of(name), Some("KR"), "{name}");
        }
        for name in ["上海", "上海市", "Shanghai"] {
            assert_eq!(jurisdiction_of(name), Some("CN-SH"), "{name}");
        }
        assert_eq!(jurisdiction_of("广西壮族自治区"), Some("CN-GX"));
        assert_eq!(jurisdiction_of("四川省"), Some("CN-SC"));
    }

    #[test]
    fn ordinary_words_are_no_places() {
        for word in [
            "us",
            "Us",
            "uk",
            "市",
            "省",
            "图书馆",
            "national",
            "吉林",
            "호주",
        ] {
            assert_eq!(jurisdiction_of(word), None, "{word}");
        }
        assert_eq!(jurisdiction_of("US"), Some("US"));
        assert_eq!(jurisdiction_of("UK"), Some("GB"));
    }
}
