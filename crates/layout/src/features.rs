//! Generic text features the layout decides by: what an amount or a code looks like, how a
//! numbered item or a note begins, how a `label：value` field is written, and how two pieces
//! of text are joined. None of them names a department, a year or a table: a template of the
//! same family printed by another office must be read without code changes.

/// CJK ideographs, kana, fullwidth forms and CJK punctuation: text that is written without
/// spaces between its characters, so joining across a word or line break adds none.
pub(crate) fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x2E80..=0x2FFF      // radicals
        | 0x3000..=0x303F    // CJK punctuation (、。「」…)
        | 0x3040..=0x30FF    // kana
        | 0x3400..=0x4DBF    // extension A
        | 0x4E00..=0x9FFF    // unified ideographs
        | 0xF900..=0xFAFF    // compatibility ideographs
        | 0xFE30..=0xFE4F    // vertical/compatibility forms
        | 0xFF00..=0xFFEF    // fullwidth forms (，：（）)
        | 0x20000..=0x3FFFF) // extensions B and later
        || matches!(c, '“' | '”' | '‘' | '’' | '—' | '…' | '·')
}

/// Appends `next` to `text` the way a reader would have read the break between them: nothing
/// between CJK text (a line break inside a Chinese sentence is not a space), one space
/// between two Latin words.
pub(crate) fn join_text(text: &mut String, next: &str) {
    let next = next.trim();
    if next.is_empty() {
        return;
    }
    if let (Some(last), Some(first)) = (text.chars().next_back(), next.chars().next()) {
        if !is_cjk(last) && !is_cjk(first) && !last.is_whitespace() {
            text.push(' ');
        }
    }
    text.push_str(next);
}

/// An amount (`371,514,655.00`, `-1.5`, `1.00`) or a code (`201`, `05`): digits with optional
/// thousands separators, one decimal point and a sign. Right-aligned in its column, and the
/// mark of a table body row.
pub(crate) fn is_number(s: &str) -> bool {
    let s = s.trim();
    let s = s
        .strip_prefix('-')
        .or_else(|| s.strip_prefix('−'))
        .unwrap_or(s);
    let mut digits = 0usize;
    let mut dots = 0usize;
    for c in s.chars() {
        match c {
            '0'..='9' => digits += 1,
            ',' if digits > 0 && dots == 0 => {}
            '.' if digits > 0 => dots += 1,
            _ => return false,
        }
    }
    digits > 0 && dots <= 1 && !s.ends_with(',') && !s.ends_with('.')
}

/// A cell that holds a value: an amount or code, or the placeholder a table prints for "none"
/// (`无`, `-`, `—`, `/`). Header labels are never values, so the first line with one is the
/// first body row, even in an empty table whose only row says `无`.
pub(crate) fn is_value(s: &str) -> bool {
    is_number(s) || matches!(s.trim(), "无" | "-" | "—" | "——" | "–" | "－" | "/" | "／")
}

const CJK_NUMERALS: &str = "一二三四五六七八九十百零〇";

fn is_cjk_numeral(c: char) -> bool {
    CJK_NUMERALS.contains(c)
}

/// A numbered item's start: `1、` `12.` `1．` `（一）` `(3)` `一、`. A number followed by a
/// digit or nothing (`1.00`, `2025`) is not one.
pub(crate) fn starts_numbered_item(s: &str) -> bool {
    let s = s.trim_start();
    match s.chars().next() {
        Some('（' | '(') => {
            let n = s
                .chars()
                .skip(1)
                .take_while(|c| c.is_ascii_digit() || is_cjk_numeral(*c))
                .count();
            (1..=3).contains(&n) && matches!(s.chars().nth(1 + n), Some('）' | ')'))
        }
        Some(c) if c.is_ascii_digit() => {
            let n = s.chars().take_while(char::is_ascii_digit).count();
            let mut rest = s.chars().skip(n);
            (1..=3).contains(&n)
                && match rest.next() {
                    Some('、') => true,
                    // `1.5` is a number; a fullwidth point is never a decimal one.
                    Some('．') => true,
                    Some('.') => !matches!(rest.next(), Some(d) if d.is_ascii_digit()),
                    _ => false,
                }
        }
        Some(c) if is_cjk_numeral(c) => {
            let n = s.chars().take_while(|c| is_cjk_numeral(*c)).count();
            n <= 3 && s.chars().nth(n) == Some('、')
        }
        _ => false,
    }
}

/// A top-level numbered section title: `一、单位主要职能`. Short, and not a sentence.
pub(crate) fn is_section_title(s: &str) -> bool {
    let s = s.trim();
    let first = s.chars().next();
    first.is_some_and(is_cjk_numeral)
        && starts_numbered_item(s)
        && s.chars().count() <= 24
        && !s.ends_with(['。', '；', '，', '：', ':', ';', ','])
}

/// A note under a table: `注:…`, `注：…`, `注1.…`, `说明：…`.
pub(crate) fn is_note_start(s: &str) -> bool {
    let s = s.trim_start();
    let rest = s.strip_prefix('注').or_else(|| s.strip_prefix("说明"));
    rest.is_some_and(|r| {
        r.chars()
            .next()
            .is_some_and(|c| matches!(c, ':' | '：') || c.is_ascii_digit())
    })
}

/// A `label：value` field such as `编制单位：某局` or `单位:万元`: a short label without digits,
/// a colon (fullwidth or ASCII), then the value.
pub(crate) fn split_field(s: &str) -> Option<(&str, &str)> {
    let s = s.trim();
    let at = s.find(['：', ':'])?;
    let label = s[..at].trim();
    let colon_len = s[at..].chars().next().map_or(1, char::len_utf8);
    let value = s[at + colon_len..].trim();
    let n = label.chars().count();
    ((1..=8).contains(&n) && !label.chars().any(|c| c.is_ascii_digit())).then_some((label, value))
}

/// A page number printed as furniture: `3`, `- 3 -`, `— 3 —`, `第3页`, `第 3 页 共 20 页`, `3/20`.
pub(crate) fn is_page_number(s: &str) -> bool {
    let compact: String = s.chars().filter(|c| !c.is_whitespace()).collect();
    let inner = compact.trim_matches(|c| matches!(c, '-' | '—' | '–' | '－'));
    let digits = |t: &str| !t.is_empty() && t.len() <= 4 && t.chars().all(|c| c.is_ascii_digit());
    if digits(inner) {
        return true;
    }
    if let Some((a, b)) = inner.split_once('/') {
        return digits(a) && digits(b);
    }
    let Some(rest) = inner.strip_prefix('第') else {
        return false;
    };
    let Some((n, tail)) = rest.split_once('页') else {
        return false;
    };
    digits(n)
        && (tail.is_empty()
            || tail
                .strip_prefix('共')
                .and_then(|t| t.strip_suffix('页'))
                .is_some_and(digits))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_and_codes_are_numbers_but_years_in_words_are_not() {
        for s in ["371,514,655.00", "1.00", "201", "05", "-13,260.00"] {
            assert!(is_number(s), "{s}");
        }
        for s in ["2025年", "1、", "合计", "1,", "3.", "", "1.2.3"] {
            assert!(!is_number(s), "{s}");
        }
    }

    #[test]
    fn numbered_items_in_the_forms_budget_texts_use() {
        for s in [
            "1、贯彻执行",
            "12.“一般公共服务支出”",
            "4．2025年",
            "（一）财政拨款收入",
            "(3) x",
            "一、单位主要职能",
            "十二、其他",
        ] {
            assert!(starts_numbered_item(s), "{s}");
        }
        for s in [
            "1.00万元",
            "2025年",
            "主要职能包括：",
            "一般公共服务",
            "（注）",
        ] {
            assert!(!starts_numbered_item(s), "{s}");
        }
    }

    #[test]
    fn section_titles_are_short_and_not_sentences() {
        assert!(is_section_title("一、单位主要职能"));
        assert!(!is_section_title("1、贯彻执行国家"));
        assert!(!is_section_title("一、负责本区的工作。"));
    }

    #[test]
    fn page_numbers_in_their_printed_forms() {
        for s in ["3", "- 3 -", "—12—", "第3页", "第 3 页 共 20 页", "3/20"] {
            assert!(is_page_number(s), "{s}");
        }
        for s in ["2025年", "合计", "第三章", "3.5", "12345"] {
            assert!(!is_page_number(s), "{s}");
        }
    }

    #[test]
    fn fields_keep_label_and_value() {
        assert_eq!(
            split_field("编制单位：上海市某局"),
            Some(("编制单位", "上海市某局"))
        );
        assert_eq!(split_field("单位:万元"), Some(("单位", "万元")));
        assert_eq!(split_field("2025年：预算"), None);
        assert_eq!(split_field("没有冒号"), None);
    }

    #[test]
    fn joining_adds_a_space_between_latin_words_only() {
        let mut t = String::from("负责工业节");
        join_text(&mut t, "能降耗");
        assert_eq!(t, "负责工业节能降耗");
        let mut t = String::from("budget");
        join_text(&mut t, "disclosure");
        assert_eq!(t, "budget disclosure");
        let mut t = String::from("增加");
        join_text(&mut t, "24,558.18万元");
        assert_eq!(t, "增加24,558.18万元");
    }

    #[test]
    fn notes_begin_with_a_note_mark() {
        assert!(is_note_start("注:本单位2025年无政府性基金预算"));
        assert!(is_note_start("注：以下"));
        assert!(is_note_start("说明：x"));
        assert!(!is_note_start("注册登记"));
    }
}
