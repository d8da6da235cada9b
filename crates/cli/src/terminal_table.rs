//! Tables for the terminal: columns padded to the widest cell, counting an East Asian wide
//! character as two columns so Chinese headers and names line up.

/// Terminal columns a string takes: East Asian wide characters count two.
pub(crate) fn display_width(s: &str) -> usize {
    s.chars()
        .map(|c| match u32::from(c) {
            0x1100..=0x115F
            | 0x2E80..=0xA4CF
            | 0xAC00..=0xD7A3
            | 0xF900..=0xFAFF
            | 0xFE30..=0xFE4F
            | 0xFF00..=0xFF60
            | 0xFFE0..=0xFFE6 => 2,
            _ => 1,
        })
        .sum()
}

/// `text` padded to `width` terminal columns, on the left when `right` aligns it right.
pub(crate) fn pad(text: &str, width: usize, right: bool) -> String {
    let fill = " ".repeat(width.saturating_sub(display_width(text)));
    if right {
        fill + text
    } else {
        text.to_owned() + &fill
    }
}

/// Rows (the first is the header) as aligned lines, two spaces between columns; the columns
/// in `right_aligned` (numbers) are aligned right.
pub(crate) fn render<const N: usize>(rows: &[[String; N]], right_aligned: &[usize]) -> String {
    let widths: Vec<usize> = (0..N)
        .map(|column| {
            rows.iter()
                .map(|r| display_width(&r[column]))
                .max()
                .unwrap_or(0)
        })
        .collect();
    let mut out = String::new();
    for row in rows {
        let line: Vec<String> = row
            .iter()
            .enumerate()
            .map(|(column, cell)| pad(cell, widths[column], right_aligned.contains(&column)))
            .collect();
        out.push_str(line.join("  ").trim_end());
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wide_characters_take_two_columns() {
        assert_eq!(display_width("abc"), 3);
        assert_eq!(display_width("部门"), 4);
        assert_eq!(display_width("已发布 2025"), 11);
    }

    #[test]
    fn columns_line_up_and_numbers_go_right() {
        let rows = [
            ["部门".to_owned(), "错误".to_owned()],
            ["工信局".to_owned(), "3".to_owned()],
            ["abc".to_owned(), "12".to_owned()],
        ];
        assert_eq!(
            render(&rows, &[1]),
            "部门    错误\n工信局     3\nabc       12\n"
        );
    }
}
