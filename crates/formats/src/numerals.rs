//! Chinese ordinals as printed in headings: 一 … 十, 十一, 一十一, 二十.

/// Whether `c` is one of the characters a numeral is written with (零 … 九, 十).
pub fn is_digit_char(c: char) -> bool {
    matches!(
        c,
        '零' | '一' | '二' | '三' | '四' | '五' | '六' | '七' | '八' | '九' | '十'
    )
}

/// Parses a Chinese numeral of up to 99 (`一十一` and `十一` are both 11).
pub fn parse(s: &str) -> Option<u32> {
    let digit = |c: char| {
        "零一二三四五六七八九"
            .chars()
            .position(|d| d == c)
            .map(|p| p as u32)
    };
    // at most three characters, kept on the stack
    let mut buf = ['\0'; 3];
    let mut n = 0;
    for c in s.chars() {
        if n == buf.len() {
            return None;
        }
        buf[n] = c;
        n += 1;
    }
    match &buf[..n] {
        [] => None,
        [d] if *d == '十' => Some(10),
        [d] => digit(*d).filter(|v| *v > 0),
        ['十', u] => digit(*u).map(|v| 10 + v),
        [t, '十'] => digit(*t).map(|v| v * 10),
        [t, '十', u] => Some(digit(*t)? * 10 + digit(*u)?),
        _ => None,
    }
}

/// The number a numbered item or heading starts with: `一、` `（三）` `(3)` `1、` `1.` `4．` → its
/// value; `None` when the text does not start with a numbering mark (`1.00万元` is an amount,
/// not an item).
pub fn leading_number(text: &str) -> Option<u32> {
    let t = text.trim_start();
    let inner = match t.strip_prefix(['（', '(']) {
        Some(after) => &after[..after.find(['）', ')'])?],
        None => {
            let end = t
                .char_indices()
                .find(|(_, c)| !c.is_ascii_digit() && !is_digit_char(*c))
                .map_or(t.len(), |(i, _)| i);
            let (number, rest) = t.split_at(end);
            let mut after = rest.chars();
            let mark = after.next();
            if !matches!(mark, Some('、' | '.' | '．')) {
                return None;
            }
            // `1.00` is a decimal, not an item (a full-width `．` never is)
            if mark == Some('.') && after.next().is_some_and(|c| c.is_ascii_digit()) {
                return None;
            }
            number
        }
    };
    if !inner.is_empty() && inner.chars().all(|c| c.is_ascii_digit()) {
        inner.parse().ok()
    } else {
        parse(inner)
    }
}

/// Formats `n` (1–99) the way headings print it (`11` → `十一`).
pub fn format(n: u32) -> String {
    const D: [&str; 10] = ["零", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
    match n {
        0 => D[0].to_string(),
        1..=9 => D[n as usize].to_string(),
        10 => "十".to_string(),
        11..=19 => format!("十{}", D[(n % 10) as usize]),
        _ if n.is_multiple_of(10) => format!("{}十", D[(n / 10 % 10) as usize]),
        _ => format!("{}十{}", D[(n / 10 % 10) as usize], D[(n % 10) as usize]),
    }
}

/// Formats an ordinal the way project labels print it (`11` → `一十一`).
pub fn format_long(n: u32) -> String {
    if (10..20).contains(&n) {
        format!("一{}", format(n))
    } else {
        format(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn items_start_with_their_number() {
        let cases = [
            ("一、单位主要职能", Some(1)),
            ("（三）事业单位经营收入：指", Some(3)),
            ("(12)其他", Some(12)),
            ("  10、提供有关境外投资", Some(10)),
            ("1. 一般公共预算资金", Some(1)),
            ("4．2025年预算单位", Some(4)),
            ("1.00万元", None),
            ("上海市普陀区商务委员会主要职能", None),
            ("2025年单位预算编制说明", None),
            ("（注）", None),
        ];
        for (text, n) in cases {
            assert_eq!(leading_number(text), n, "{text}");
        }
    }

    #[test]
    fn chinese_ordinals() {
        let cases = [
            ("一", Some(1)),
            ("十", Some(10)),
            ("十一", Some(11)),
            ("一十", Some(10)),
            ("一十一", Some(11)),
            ("十二", Some(12)),
            ("二十", Some(20)),
            ("二十三", Some(23)),
            ("零", None),
            ("", None),
            ("十十", None),
            ("A", None),
        ];
        for (s, n) in cases {
            assert_eq!(parse(s), n, "{s}");
        }
        for n in 1..60 {
            assert_eq!(parse(&format(n)), Some(n));
            assert_eq!(parse(&format_long(n)), Some(n));
        }
        assert_eq!(format_long(14), "一十四");
    }
}
