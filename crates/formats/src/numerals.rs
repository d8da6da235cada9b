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
