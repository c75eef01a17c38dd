//! Japanese shinjitai folded to Simplified Chinese: 図書館 meets 图书馆 and 圖書館.
//!
//! Japan simplified some characters its own way (図 for 圖, 読 for 讀), forms neither
//! Simplified nor Traditional Chinese writes, so fast2s leaves them: a Japanese library law's
//! 図書館 was never found by 图书馆 or 圖書館. The table holds only forms that Chinese text does
//! not use for another word (not 芸, 弁, 予, whose Chinese readings differ), each with the
//! Simplified character of the same word. A unit test checks that fast2s folds none of them
//! (such a form belongs to its table) and leaves every target as it is.

/// Pairs of (shinjitai, Simplified), by code point of the first.
const PAIRS: &str = "\
両两乗乘亀龟亜亚仏佛仮假伝传価价倹俭児儿円圆処处剣剑剤剂剰剩労劳効效勅敕勧劝勲勋\
単单厳严収收営营団团囲围図图圏圈圧压塁垒塩盐壊坏壌壤変变奨奖姫姬嬢娘寛宽対对専专\
巣巢巻卷帯带帰归庁厅広广廃废弐贰弾弹従从徳德徴征応应恵惠悩恼悪恶懐怀戦战戸户戻戾\
払拂抜拔拝拜拠据拡扩挙举挿插捜搜掲揭摂摄斉齐斎斋晩晚暁晓暦历査查栄荣桜樱桟栈検检\
楽乐様样権权歓欢歩步歯齿歳岁歴历毎每気气沢泽浄净浜滨涙泪渇渴渉涉渋涩渓溪満满滝泷\
瀬濑焼烧犠牺猟猎獣兽畳叠発发県县砕碎稲稻穂穗穏稳竜龙粋粹粛肃糸丝経经絵绘継继続续\
総总縁缘縄绳縦纵繊纤聴听脳脑臓脏舎舍荘庄蔵藏薫熏薬药蛍萤覇霸覚觉観观訳译読读賛赞\
転转軽轻辺边逓递遅迟郷乡酔醉醸酿釈释鉱矿銭钱鋳铸錬炼陥陷険险隠隐雑杂霊灵頼赖顕显\
駅驿駆驱騒骚験验髄髓髪发鶏鸡黒黑黙默齢龄";

/// First and one past the last code point of the table's characters (the CJK block).
const BASE: u32 = 0x4E00;
const END: u32 = 0xA000;

/// The table, and a bit per character of the block saying whether it is in it: every Han
/// character of every text is checked (see `analysis::normalize`), and nearly none is.
struct Table {
    bits: Vec<u64>,
    map: std::collections::HashMap<char, char>,
}

static TABLE: std::sync::LazyLock<Table> = std::sync::LazyLock::new(|| {
    let chars: Vec<char> = PAIRS.chars().filter(|c| !c.is_whitespace()).collect();
    let map: std::collections::HashMap<char, char> =
        chars.chunks(2).map(|p| (p[0], p[1])).collect();
    let mut bits = vec![0u64; ((END - BASE) as usize).div_ceil(64)];
    for &c in map.keys() {
        let k = (c as u32 - BASE) as usize;
        bits[k / 64] |= 1 << (k % 64);
    }
    Table { bits, map }
});

/// The Simplified form of a Japanese shinjitai character, or `None` for any other.
pub(super) fn simplified(c: char) -> Option<char> {
    let u = c as u32;
    if !(BASE..END).contains(&u) {
        return None;
    }
    let k = (u - BASE) as usize;
    let table = &*TABLE;
    if table.bits[k / 64] >> (k % 64) & 1 == 0 {
        return None;
    }
    table.map.get(&c).copied()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fast2s_folds_none_of_the_forms_and_leaves_every_target() {
        let chars: Vec<char> = PAIRS.chars().filter(|c| !c.is_whitespace()).collect();
        assert_eq!(chars.len() % 2, 0);
        let mut wrong = Vec::new();
        for p in chars.chunks(2) {
            let (jp, zh) = (p[0].to_string(), p[1].to_string());
            if fast2s::convert(&jp) != jp || fast2s::convert(&zh) != zh {
                wrong.push(format!(
                    "{jp}→{zh} (fast2s: {}, {})",
                    fast2s::convert(&jp),
                    fast2s::convert(&zh)
                ));
            }
        }
        assert!(wrong.is_empty(), "{}", wrong.join(" "));
    }

    #[test]
    fn library_words_meet() {
        assert_eq!(simplified('図'), Some('图'));
        assert_eq!(simplified('読'), Some('读'));
        assert_eq!(simplified('图'), None);
        assert_eq!(simplified('予'), None);
    }
}
