//! Whether words another source holds (a workbook's cells) would be read back as the same
//! kind of block from this layout: a paragraph that starts like a sub-heading (`（一）…`) is
//! written as a line that the reader takes for a sub-heading, and the text export of that
//! document would then say something else. A source that promises a faithful text export
//! refuses such words where they are; these are the reader's own tests, so the two cannot
//! drift apart.

use budgetflow_model::narrative::Block;

use super::lines::{same_label, trim};
use super::overview::continues;
use super::projects::{field, project_label};
use super::read::part_number;
use super::sections::{section_heading, sub_heading};
use super::targets::{DEPARTMENT_TITLE, PROJECT_TITLE};

/// A line the reader takes for the structure of the whole document: a part heading
/// (`第三部分 …`) or the table of contents.
fn structure(t: &str) -> bool {
    part_number(t).is_some() || (t.len() <= 16 && same_label(t, "目录"))
}

/// Whether a paragraph of 部门概况 reads back as itself, after `previous` (the paragraph before
/// it under the same heading, if any): not blank, one line, no part or overview heading, and
/// not the continuation of a sentence `previous` left open (which the reader joins to it).
pub fn overview_paragraph(previous: Option<&str>, text: &str) -> bool {
    let t = trim(text);
    if t.is_empty() || t.contains('\n') || structure(t) {
        return false;
    }
    let heading = t.trim_start_matches(['一', '二', '、', ' ']);
    let opens_part = (t.starts_with("一、") && heading.contains("主要职能"))
        || (t.starts_with("二、") && heading.contains("机构设置"));
    !opens_part && !previous.is_some_and(|p| continues(trim(p), t))
}

/// Whether a paragraph of 情况说明 reads back as itself after the block `after` (if any): not
/// blank, one line, and nothing the reader takes for a section, a sub-heading, a target table,
/// a project description, a field of the project before it, or a row of the target table
/// before it.
pub fn section_paragraph(after: Option<&Block>, text: &str) -> bool {
    let t = trim(text);
    if t.is_empty() || t.contains('\n') || structure(t) {
        return false;
    }
    let target_title =
        t.len() <= 40 && (same_label(t, DEPARTMENT_TITLE) || same_label(t, PROJECT_TITLE));
    let continues_block = match after {
        Some(Block::Project(_)) => field(t).is_some(),
        Some(Block::DepartmentTargets(_) | Block::ProjectTargets(_)) => t.contains('\t'),
        _ => false,
    };
    section_heading(t).is_none()
        && sub_heading(t).is_none()
        && project_label(t).is_none()
        && !target_title
        && !continues_block
}

/// Whether the sub-heading `（number）title` reads back with that number and title.
pub fn sub_heading_reads_back(number: u32, title: &str) -> bool {
    let line = format!("（{}）{}", crate::numerals::format(number), title);
    sub_heading(&line).is_some_and(|(n, t)| n == number && t == trim(title))
}

/// Whether the section heading `number、title` reads back with that number and title.
pub fn section_heading_reads_back(number: u32, title: &str) -> bool {
    let line = format!("{}、{}", crate::numerals::format(number), title);
    section_heading(&line).is_some_and(|(n, t)| n == number && t == trim(title))
}

#[cfg(test)]
mod tests {
    use super::*;
    use budgetflow_model::narrative::Paragraph;

    #[test]
    fn a_paragraph_that_starts_like_a_sub_heading_reads_as_one() {
        assert!(section_paragraph(None, "本部门 2025 年无政府采购预算。"));
        assert!(!section_paragraph(None, "（二）政府采购情况"));
        assert!(!section_paragraph(None, "十三、其他"));
        assert!(!section_paragraph(None, "第四部分 名词解释"));
        assert!(!section_paragraph(None, "项目支出绩效目标表"));
        assert!(!section_paragraph(None, "  "));
    }

    #[test]
    fn a_field_label_continues_only_a_project() {
        let paragraph = Block::Paragraph(Paragraph {
            text: "说明。".to_string(),
            statements: Vec::new(),
            page: None,
        });
        assert!(section_paragraph(Some(&paragraph), "资金执行时间：全年"));
        assert!(!section_paragraph(
            Some(&Block::Project(sample_project())),
            "资金执行时间：全年"
        ));
    }

    fn sample_project() -> budgetflow_model::narrative::ProjectDescription {
        super::super::projects::description(1, "运行保障".to_string(), &[]).expect("no fields")
    }

    #[test]
    fn the_overview_joins_a_sentence_cut_by_a_page_break() {
        let open = "负责拟订并组织实施全区工业、信息化发展规划和年度计划，推进产业结构战略性调整和优化升级，\
                    加强工业和信息化行业管理，负责工业节";
        assert!(!overview_paragraph(
            Some(open),
            "能降耗和资源综合利用工作。"
        ));
        assert!(overview_paragraph(None, "能降耗和资源综合利用工作。"));
        assert!(overview_paragraph(
            Some("（一）负责工业。"),
            "（二）负责信息化。"
        ));
        assert!(!overview_paragraph(None, "二、机构设置及人员情况"));
    }

    #[test]
    fn headings_read_back_with_their_number_and_title() {
        assert!(sub_heading_reads_back(2, "政府采购情况"));
        assert!(!sub_heading_reads_back(2, ""));
        assert!(section_heading_reads_back(12, "其他重要事项的情况说明"));
    }
}
