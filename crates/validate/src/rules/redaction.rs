//! Redaction of classified (涉密) projects: a project whose details are withheld is named
//! `特定目标` + an 8-character code, under the same code in the tables and the text, no real
//! name appears beside a classified project's figures, and nothing a classified project
//! withholds is printed anywhere else ([`secrets`]).

mod secrets;

use budgetflow_model::names::same_name;
use budgetflow_model::narrative::ProjectDescription;
use budgetflow_model::tables::ProjectName;
use budgetflow_model::{Amount, SectionTopic, TableKind};

use crate::catalog::*;
use crate::engine::Checker;
use crate::finding::{Figure, Finding, Place};

const MARKER: &str = "特定目标";

fn withheld(d: &ProjectDescription) -> bool {
    d.policy_basis.is_withheld() || d.allocation.is_withheld() || d.period.is_withheld()
}

/// A name that starts like a classified one but has no valid code.
fn malformed(name: &str) -> bool {
    // the marker has no spaces: trimming the start is enough to see whether the name begins
    // with it, without decoding the end of every name
    name.trim_start().starts_with(MARKER) && !ProjectName::new(name).is_classified()
}

pub fn check(ck: &mut Checker) {
    let doc = ck.doc;
    let t7: Vec<(&ProjectName, Option<Amount>)> = doc
        .tables
        .projects
        .iter()
        .flat_map(|t| t.projects())
        .filter_map(|r| r.project.as_ref().map(|p| (p, r.amounts.total)))
        .collect();
    let t11: Vec<(ProjectName, Option<Amount>)> = doc
        .tables
        .carry_over
        .iter()
        .flat_map(|t| t.projects())
        .map(|r| (ProjectName::new(r.name.as_str()), r.amounts.total))
        .collect();
    let descriptions: Vec<&ProjectDescription> = doc.narrative.projects().collect();
    let carry_text: Vec<(ProjectName, Option<Amount>, bool)> = doc
        .narrative
        .section(SectionTopic::CarryOver)
        .into_iter()
        .flat_map(|s| s.statements())
        .filter(|s| s.withheld || s.subject.trim().starts_with(MARKER))
        .map(|s| (ProjectName::new(s.subject.trim()), s.amount, s.withheld))
        .collect();

    let names = t7
        .iter()
        .map(|(p, _)| (Place::Table(TableKind::Projects), p.as_str()))
        .chain(
            t11.iter()
                .map(|(p, _)| (Place::Table(TableKind::CarryOver), p.as_str())),
        )
        .chain(
            descriptions
                .iter()
                .map(|d| (Place::Section(SectionTopic::Projects), d.name.as_str())),
        )
        .chain(
            carry_text
                .iter()
                .map(|(p, _, _)| (Place::Section(SectionTopic::CarryOver), p.as_str())),
        );
    let malformed_names: Vec<(Place, &str)> = names.filter(|(_, n)| malformed(n)).collect();
    for (place, name) in malformed_names {
        ck.push(
            Finding::new(&R_CODE_FORMAT, place)
                .name(name)
                .column("项目名称")
                .figures(
                    Figure::text("特定目标 + 8位数字或大写字母"),
                    Figure::text(name),
                ),
        );
    }

    for d in descriptions
        .iter()
        .filter(|d| withheld(d) && !d.name.is_classified() && !malformed(d.name.as_str()))
    {
        ck.push(
            Finding::new(&R_WITHHELD_NAME, Place::Section(SectionTopic::Projects))
                .name(d.name.as_str())
                .column("项目名称")
                .figures(
                    Figure::text("特定目标 + 编码"),
                    Figure::text(d.name.as_str()),
                ),
        );
    }
    for (name, _, _) in carry_text
        .iter()
        .filter(|(n, _, w)| *w && !n.is_classified() && !malformed(n.as_str()))
    {
        ck.push(
            Finding::new(&R_WITHHELD_NAME, Place::Section(SectionTopic::CarryOver))
                .name(name.as_str())
                .column("项目名称")
                .figures(Figure::text("特定目标 + 编码"), Figure::text(name.as_str())),
        );
    }

    // 表7 ↔ 说明七.
    let described: Vec<(&ProjectName, Option<Amount>)> =
        descriptions.iter().map(|d| (&d.name, d.amount)).collect();
    if doc.narrative.section(SectionTopic::Projects).is_some() {
        match_codes(
            ck,
            (Place::Table(TableKind::Projects), &t7),
            (Place::Section(SectionTopic::Projects), &described),
        );
    }
    // 表11 ↔ 说明十一.
    if doc.narrative.section(SectionTopic::CarryOver).is_some() {
        let t11_refs: Vec<(&ProjectName, Option<Amount>)> =
            t11.iter().map(|(p, a)| (p, *a)).collect();
        let all_stated: Vec<(ProjectName, Option<Amount>)> = doc
            .narrative
            .section(SectionTopic::CarryOver)
            .into_iter()
            .flat_map(|s| s.statements())
            .map(|s| (ProjectName::new(s.subject.trim()), s.amount))
            .collect();
        let all_refs: Vec<(&ProjectName, Option<Amount>)> =
            all_stated.iter().map(|(p, a)| (p, *a)).collect();
        match_codes(
            ck,
            (Place::Table(TableKind::CarryOver), &t11_refs),
            (Place::Section(SectionTopic::CarryOver), &all_refs),
        );
    }
    secrets::check(ck);
}

type Named<'a> = (&'a ProjectName, Option<Amount>);

/// Every classified code of the table appears in the text and vice versa; where a code is
/// missing on one side, a real name with the same amount on that side is the leak.
fn match_codes(
    ck: &mut Checker,
    (table_place, table): (Place, &[Named]),
    (text_place, text): (Place, &[Named]),
) {
    let has = |list: &[Named], name: &ProjectName| {
        list.iter()
            .any(|(n, _)| same_name(n.as_str(), name.as_str()))
    };
    for ((here, there), (here_list, there_list)) in [
        ((table_place, text_place), (table, text)),
        ((text_place, table_place), (text, table)),
    ] {
        for (name, amount) in here_list.iter().filter(|(n, _)| n.is_classified()) {
            if has(there_list, name) {
                continue;
            }
            let leak = there_list.iter().find(|(n, a)| {
                !n.is_classified()
                    && !malformed(n.as_str())
                    && a.is_some()
                    && a == amount
                    && !has(here_list, n)
            });
            match leak {
                Some((real, _)) => ck.push(
                    Finding::new(&R_LEAK, there)
                        .name(real.as_str())
                        .column("项目名称")
                        .figures(Figure::text(name.as_str()), Figure::text(real.as_str()))
                        .detail(
                            format!(
                                "{}中该金额的项目为“{}”",
                                here.label(crate::rule::Lang::Zh),
                                name.as_str()
                            ),
                            format!(
                                "{} names the project of this amount “{}”",
                                here.label(crate::rule::Lang::En),
                                name.as_str()
                            ),
                        ),
                ),
                None => ck.push(
                    Finding::new(&R_CODE_MATCH, there)
                        .name(name.as_str())
                        .column("项目名称")
                        .figures(Figure::text(name.as_str()), Figure::text("—"))
                        .detail(
                            format!("{}列有该特定目标", here.label(crate::rule::Lang::Zh)),
                            format!("{} lists this 特定目标", here.label(crate::rule::Lang::En)),
                        ),
                ),
            }
        }
    }
}
