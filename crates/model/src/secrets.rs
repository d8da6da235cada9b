//! What a document carries about its classified projects (涉密, `特定目标 XXXXXXXX`) that no
//! reader may see: one definition, used by the validator (rule `R.leak`, any secret printed in
//! publishable text) and by the publisher (its last look at every artifact before writing).
//!
//! A document read from JSON or a workbook an upstream system wrote may carry a classified
//! project's details. The public form withholds them, but the same words printed anywhere
//! else (a paragraph, another project's target table, the glossary, a table cell…) would be
//! published. So every withheld detail is a secret, wherever else it turns up.
//!
//! ## What is a secret
//!
//! For every classified project, the text of each detail its public form withholds:
//! - its §七 description: 设立的政策依据, 项目承担单位, 资金分配情况 (the text and each
//!   item's purpose), 资金执行时间;
//! - its 项目支出绩效目标表: 预算单位, 项目负责人, 项目总体目标, and each indicator's
//!   三级指标, 指标值设置依据 and 佐证资料.
//!
//! Amounts, target values, weights, scoring rules and the 一级/二级指标 labels are numbers or
//! framework vocabulary and say nothing about the project: they are not read.
//!
//! Each text gives its *pieces*: the whole text, each sentence (split at `。；;！？!?` and
//! line breaks) and each quoted title (inside `《》 “” 「」 ‘’ ""`), trimmed of spaces and
//! punctuation at both ends and cut to their first [`MAX_CHARS`] characters (a leak of the
//! whole shows its beginning). A real name is most often one of them: an allocation item, a
//! title in quotes, a short goal, the policy document.
//!
//! ## What is not, because it is public anyway
//!
//! A piece is dropped when
//! 1. it is short: fewer than [`MIN_MEANINGFUL`] meaningful characters — letters and
//!    ideographs other than the characters of dates and amounts (`年月日时分秒万亿元至到起止`)
//!    — so numbers, amounts, dates and periods never count; a 项目负责人 (a person's name)
//!    needs [`MIN_MEANINGFUL_PERSON`];
//! 2. it is nothing but the code `特定目标 XXXXXXXX`, or it states that something is withheld
//!    (it says `不予公开` or `不公开`, as `项目绩效目标表完全不予公开` does): the public text
//!    says the same (a sentence beside it, or a title in it, is still a piece of its own);
//! 3. each of its list items (split at `、，,；;/` and spaces) is printed publicly in a way
//!    its role may share:
//!    - in every role, as part of the department's name;
//!    - in every role, as the whole name of a unit or person the document prints: the units
//!      and offices of the tables (编制部门, the unit rows of 表7 and 表11) and of 部门概况, the
//!      implementers, budget units and managers of public projects, the department-wide
//!      targets' department and contact;
//!    - for 承担单位, 预算单位 and 负责人, also as part of such a name (a short form);
//!    - for 政策依据, as a whole public policy basis or a sentence, title or list item of one
//!      (the laws every project cites);
//!    - for indicator texts, as a whole indicator cell of a public target table or a list
//!      item of one (the indicator library).
//!
//! Shared vocabulary tells nothing about the classified project; anything else printed
//! verbatim is a leak, even a sentence that reads generic: the check cannot tell boilerplate
//! from a description, and not repeating it is the cheap fix. Being *part* of a public text
//! shares nothing outside the names of units and people: a unit called after the classified
//! project (`天山保密专网建设指挥部`), an indicator that names it, a sentence that mentions it
//! each print the secret.
//!
//! ## Finding them
//!
//! [`Secrets::finder`] searches text for every secret at once (Aho–Corasick, leftmost-longest),
//! [`Secrets::finder_with`] for each secret in the encodings an artifact uses (HTML or JSON
//! escapes). Building the list reads only the classified projects and, when one of them states
//! a detail, the public texts: a document whose classified projects withhold everything (the
//! usual case) costs a few comparisons, and one stating thousands of details is read in time
//! linear in its text (rule 3 is decided by one automaton over all the pieces' items).

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};

use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind};

use crate::document::Document;
use crate::lang::Lang;
use crate::narrative::Block;
use crate::performance::{DepartmentTargets, Indicator, ProjectTargets};
use crate::tables::{CarryOverRowKind, ProjectName, ProjectRowKind};

/// What a withheld detail prints (`完全不予公开`).
pub const WITHHELD: &str = "完全不予公开";
/// Fewer meaningful characters than this and a piece is not a secret.
pub const MIN_MEANINGFUL: usize = 4;
/// The same for a 项目负责人: a person's name has two or three.
pub const MIN_MEANINGFUL_PERSON: usize = 2;
/// A piece is cut to this many characters.
pub const MAX_CHARS: usize = 200;

const MARKER: &str = "特定目标";
/// The words of a statement that something is withheld.
const WITHHOLDING: &[&str] = &["不予公开", "不公开"];
const SENTENCE_ENDS: &[char] = &['。', '；', ';', '！', '？', '!', '?', '\n', '\r'];
const LIST_SEPARATORS: &[char] = &['、', '，', ',', '；', ';', '/', ' ', '\t', '\u{3000}'];
const QUOTES: &[(char, char)] = &[
    ('《', '》'),
    ('“', '”'),
    ('「', '」'),
    ('‘', '’'),
    ('"', '"'),
];
const DATE_AMOUNT: &[char] = &[
    '年', '月', '日', '时', '分', '秒', '万', '亿', '元', '至', '到', '起', '止',
];

/// A withheld detail of a classified project.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Field {
    /// 设立的政策依据
    PolicyBasis,
    /// 项目承担单位
    Implementer,
    /// 资金分配情况
    Allocation,
    /// 资金分配情况, the purpose of item `n` (0-based)
    AllocationPurpose(usize),
    /// 资金执行时间
    Period,
    /// 绩效目标表 预算单位
    BudgetUnit,
    /// 项目负责人
    Manager,
    /// 项目总体目标
    Goal,
    /// 三级指标 of indicator `n` (0-based)
    IndicatorName(usize),
    /// 指标值设置依据 of indicator `n`
    IndicatorBasis(usize),
    /// 佐证资料 of indicator `n`
    IndicatorEvidence(usize),
}

/// Which public texts a field's pieces may share without being a leak.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Role {
    Prose,
    Person,
    Name,
    Policy,
    Indicator,
}

impl Field {
    fn role(self) -> Role {
        match self {
            Field::PolicyBasis => Role::Policy,
            Field::Implementer | Field::BudgetUnit => Role::Name,
            Field::Manager => Role::Person,
            Field::IndicatorName(_) | Field::IndicatorBasis(_) | Field::IndicatorEvidence(_) => {
                Role::Indicator
            }
            Field::Allocation | Field::AllocationPurpose(_) | Field::Period | Field::Goal => {
                Role::Prose
            }
        }
    }

    /// The field as its table or description labels it (`资金分配情况第1项用途`).
    pub fn label(self, lang: Lang) -> String {
        let n = |i: usize| i + 1;
        match (self, lang) {
            (Field::PolicyBasis, Lang::Zh) => "设立的政策依据".into(),
            (Field::PolicyBasis, Lang::En) => "policy basis".into(),
            (Field::Implementer, Lang::Zh) => "项目承担单位".into(),
            (Field::Implementer, Lang::En) => "implementing unit".into(),
            (Field::Allocation, Lang::Zh) => "资金分配情况".into(),
            (Field::Allocation, Lang::En) => "allocation".into(),
            (Field::AllocationPurpose(i), Lang::Zh) => format!("资金分配情况第{}项用途", n(i)),
            (Field::AllocationPurpose(i), Lang::En) => format!("allocation item {} purpose", n(i)),
            (Field::Period, Lang::Zh) => "资金执行时间".into(),
            (Field::Period, Lang::En) => "period".into(),
            (Field::BudgetUnit, Lang::Zh) => "绩效目标表预算单位".into(),
            (Field::BudgetUnit, Lang::En) => "target table budget unit".into(),
            (Field::Manager, Lang::Zh) => "项目负责人".into(),
            (Field::Manager, Lang::En) => "project manager".into(),
            (Field::Goal, Lang::Zh) => "项目总体目标".into(),
            (Field::Goal, Lang::En) => "project goal".into(),
            (Field::IndicatorName(i), Lang::Zh) => format!("第{}项三级指标", n(i)),
            (Field::IndicatorName(i), Lang::En) => format!("indicator {} name", n(i)),
            (Field::IndicatorBasis(i), Lang::Zh) => format!("第{}项指标值设置依据", n(i)),
            (Field::IndicatorBasis(i), Lang::En) => format!("indicator {} basis", n(i)),
            (Field::IndicatorEvidence(i), Lang::Zh) => format!("第{}项佐证资料", n(i)),
            (Field::IndicatorEvidence(i), Lang::En) => format!("indicator {} evidence", n(i)),
        }
    }

    /// The field's path in the canonical JSON, from the block that holds it
    /// (`allocation.items[0].purpose`).
    pub fn path(self) -> String {
        match self {
            Field::PolicyBasis => "policy_basis".into(),
            Field::Implementer => "implementer".into(),
            Field::Allocation => "allocation.text".into(),
            Field::AllocationPurpose(i) => format!("allocation.items[{i}].purpose"),
            Field::Period => "period.text".into(),
            Field::BudgetUnit => "budget_unit".into(),
            Field::Manager => "manager".into(),
            Field::Goal => "goal".into(),
            Field::IndicatorName(i) => format!("indicators[{i}].level3"),
            Field::IndicatorBasis(i) => format!("indicators[{i}].basis"),
            Field::IndicatorEvidence(i) => format!("indicators[{i}].evidence"),
        }
    }

    /// Whether the field belongs to the project's 绩效目标表 (else to its §七 description).
    pub fn in_target_table(self) -> bool {
        matches!(
            self,
            Field::BudgetUnit
                | Field::Manager
                | Field::Goal
                | Field::IndicatorName(_)
                | Field::IndicatorBasis(_)
                | Field::IndicatorEvidence(_)
        )
    }
}

/// Where a secret is carried: a field of a classified project.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Origin {
    /// The project as printed (`特定目标 10100021`).
    pub project: String,
    pub field: Field,
}

impl Origin {
    /// `特定目标 10100021 项目总体目标` / `特定目标 10100021 project goal`.
    pub fn label(&self, lang: Lang) -> String {
        format!("{} {}", self.project, self.field.label(lang))
    }

    /// The path in the canonical JSON (`narrative.project_targets[特定目标 10100021].goal`).
    pub fn path(&self) -> String {
        let block = if self.field.in_target_table() {
            "project_targets"
        } else {
            "projects"
        };
        format!("narrative.{block}[{}].{}", self.project, self.field.path())
    }
}

/// One secret string and where the document carries it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Secret {
    pub text: String,
    pub origin: Origin,
}

/// Every secret a document carries, each once (the first field that carries it).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Secrets {
    list: Vec<Secret>,
}

impl Secrets {
    /// The secrets of `doc` (see the module doc for what counts).
    pub fn of(doc: &Document) -> Secrets {
        // (project, field, text), an origin made only for what is kept
        let mut carried: Vec<((&str, Field), &str)> = Vec::new();
        for block in doc.narrative.sections.iter().flat_map(|s| s.blocks.iter()) {
            match block {
                Block::Project(p) if p.name.is_classified() => {
                    let origin = |field| (p.name.as_str(), field);
                    if let Some(basis) = p.policy_basis.stated() {
                        carried.push((origin(Field::PolicyBasis), basis));
                    }
                    if let Some(implementer) = &p.implementer {
                        carried.push((origin(Field::Implementer), implementer));
                    }
                    if let Some(a) = p.allocation.stated() {
                        carried.push((origin(Field::Allocation), &a.text));
                        for (i, item) in a.items.iter().enumerate() {
                            carried.push((origin(Field::AllocationPurpose(i)), &item.purpose));
                        }
                    }
                    if let Some(period) = p.period.stated() {
                        carried.push((origin(Field::Period), &period.text));
                    }
                }
                Block::ProjectTargets(t) if classified(&t.project) => {
                    let origin = |field| (t.project.as_str(), field);
                    carried.push((origin(Field::BudgetUnit), &t.budget_unit));
                    if let Some(manager) = &t.manager {
                        carried.push((origin(Field::Manager), manager));
                    }
                    carried.push((origin(Field::Goal), &t.goal));
                    for (i, indicator) in t.indicators.iter().enumerate() {
                        carried.push((origin(Field::IndicatorName(i)), &indicator.level3));
                        if let Some(basis) = &indicator.basis {
                            carried.push((origin(Field::IndicatorBasis(i)), basis));
                        }
                        if let Some(evidence) = &indicator.evidence {
                            carried.push((origin(Field::IndicatorEvidence(i)), evidence));
                        }
                    }
                }
                _ => {}
            }
        }
        let department = doc.identity.department.as_str();
        let in_department = |s: &str| s.len() <= department.len() && department.contains(s);
        let is_department = |s: &str| {
            let s = trim_edges(s);
            in_department(s) || (s.contains(LIST_SEPARATORS) && items(s).all(in_department))
        };
        // (piece, project, field), each piece once per role
        let mut candidates: Vec<(&str, &str, Field)> = Vec::new();
        let mut seen: HashSet<(&str, Role)> = HashSet::new();
        for &((project, field), text) in &carried {
            let min = if field.role() == Role::Person {
                MIN_MEANINGFUL_PERSON
            } else {
                MIN_MEANINGFUL
            };
            // the department's own name (a 项目承担单位, a 预算单位) and a marker are the
            // commonest stated details: settled on the whole text, without cutting it up or
            // gathering every public name; a piece says no more than its whole
            if is_department(text) || meaningful(&unmarked(text)) < min {
                continue;
            }
            for piece in pieces(text) {
                if seen.contains(&(piece, field.role()))
                    || withholds(piece)
                    || is_department(piece)
                    || meaningful(&unmarked(piece)) < min
                {
                    continue;
                }
                seen.insert((piece, field.role()));
                candidates.push((piece, project, field));
            }
        }
        if candidates.is_empty() {
            return Secrets::default();
        }
        let shared = Public::of(doc).shared(&candidates);
        let mut listed: HashSet<&str> = HashSet::new();
        let list = candidates
            .iter()
            .zip(shared)
            .filter(|((piece, _, _), shared)| !shared && listed.insert(piece))
            .map(|(&(piece, project, field), _)| Secret {
                text: piece.to_string(),
                origin: Origin {
                    project: project.to_string(),
                    field,
                },
            })
            .collect();
        Secrets { list }
    }

    pub fn is_empty(&self) -> bool {
        self.list.is_empty()
    }

    pub fn len(&self) -> usize {
        self.list.len()
    }

    pub fn iter(&self) -> impl Iterator<Item = &Secret> {
        self.list.iter()
    }

    /// A finder of every secret as it is (in text as the document holds it).
    pub fn finder(&self) -> Result<Finder<'_>, Unsearchable> {
        self.finder_with(|s| vec![s.to_string()])
    }

    /// A finder of every secret in each form `forms` gives for it (its escaped forms in an
    /// artifact: `&amp;`, `\"`, …); forms equal to another are searched once.
    pub fn finder_with(
        &self,
        forms: impl Fn(&str) -> Vec<String>,
    ) -> Result<Finder<'_>, Unsearchable> {
        let mut patterns: Vec<String> = Vec::new();
        let mut owners: Vec<usize> = Vec::new();
        let mut seen: HashSet<String> = HashSet::new();
        for (i, secret) in self.list.iter().enumerate() {
            for form in forms(&secret.text) {
                if !form.is_empty() && seen.insert(form.clone()) {
                    patterns.push(form);
                    owners.push(i);
                }
            }
        }
        let automaton = AhoCorasick::builder()
            .match_kind(MatchKind::LeftmostLongest)
            .build(&patterns)
            .map_err(|e| Unsearchable {
                secrets: self.list.len(),
                reason: e.to_string(),
            })?;
        Ok(Finder {
            secrets: &self.list,
            owners,
            shortest: patterns.iter().map(String::len).min().unwrap_or(usize::MAX),
            automaton,
        })
    }
}

/// The secrets are too many to search at once (the automaton's size limits; each secret is at
/// most [`MAX_CHARS`] characters, so only a document of billions of characters gets here).
/// Whoever cannot search cannot publish.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("the {secrets} secret strings cannot be searched: {reason}")]
pub struct Unsearchable {
    pub secrets: usize,
    pub reason: String,
}

/// Searches text for secrets.
#[derive(Debug, Clone)]
pub struct Finder<'s> {
    secrets: &'s [Secret],
    /// The secret of each pattern of the automaton.
    owners: Vec<usize>,
    /// The length of the shortest pattern: a shorter text holds none.
    shortest: usize,
    automaton: AhoCorasick,
}

/// A secret found in a text, at `start..end` (bytes).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Hit<'s> {
    pub secret: &'s Secret,
    pub start: usize,
    pub end: usize,
}

impl<'s> Finder<'s> {
    /// Every secret in `haystack`, leftmost first, the longest where two start together.
    pub fn find_iter<'h>(&'h self, haystack: &'h [u8]) -> impl Iterator<Item = Hit<'s>> + 'h {
        let secrets = self.secrets;
        let haystack = if haystack.len() < self.shortest {
            &[][..]
        } else {
            haystack
        };
        self.automaton.find_iter(haystack).map(move |m| Hit {
            secret: &secrets[self.owners[m.pattern().as_usize()]],
            start: m.start(),
            end: m.end(),
        })
    }

    /// The first secret in `haystack`.
    pub fn find(&self, haystack: &[u8]) -> Option<Hit<'s>> {
        self.find_iter(haystack).next()
    }
}

/// The texts the document prints publicly, by the role a secret may share them in.
struct Public<'d> {
    department: &'d str,
    /// Units and people: the units and offices the tables and the overview list, and those
    /// public projects name (implementers, budget units, managers, contacts).
    units: Vec<&'d str>,
    /// The policy bases of public projects.
    policies: Vec<&'d str>,
    /// The indicator cells of public target tables.
    indicators: Vec<&'d str>,
}

impl<'d> Public<'d> {
    fn of(doc: &'d Document) -> Public<'d> {
        let mut units: Vec<&str> = Vec::new();
        let t = &doc.tables;
        let headers = [
            t.overall.as_ref().map(|x| &x.header),
            t.revenue.as_ref().map(|x| &x.header),
            t.expenditure.as_ref().map(|x| &x.header),
            t.appropriation.as_ref().map(|x| &x.header),
            t.general_budget.as_ref().map(|x| &x.header),
            t.basic.as_ref().map(|x| &x.header),
            t.projects.as_ref().map(|x| &x.header),
            t.gov_fund.as_ref().map(|x| &x.header),
            t.soe_capital.as_ref().map(|x| &x.header),
            t.three_public.as_ref().map(|x| &x.header),
            t.carry_over.as_ref().map(|x| &x.header),
        ];
        units.extend(
            headers
                .into_iter()
                .flatten()
                .chain(t.unrecognised.iter().map(|u| &u.header))
                .filter_map(|h| h.compiler.as_deref()),
        );
        units.extend(t.projects.iter().flat_map(|p| {
            p.rows
                .iter()
                .filter(|r| r.kind == ProjectRowKind::Unit)
                .map(|r| r.name.as_str())
        }));
        units.extend(t.carry_over.iter().flat_map(|c| {
            c.rows
                .iter()
                .filter(|r| r.kind == CarryOverRowKind::Unit)
                .map(|r| r.name.as_str())
        }));
        let o = &doc.overview;
        units.extend(o.units.iter().map(|u| u.name.as_str()));
        units.extend(o.offices.iter().map(String::as_str));
        let mut policies = Vec::new();
        let mut indicators = Vec::new();
        let mut indicator_cells = |list: &'d [Indicator]| {
            for i in list {
                indicators.extend([i.level1.as_str(), i.level2.as_str(), i.level3.as_str()]);
                indicators.extend(i.basis.as_deref());
                indicators.extend(i.evidence.as_deref());
            }
        };
        for block in doc.narrative.sections.iter().flat_map(|s| s.blocks.iter()) {
            match block {
                Block::Project(p) if !p.name.is_classified() => {
                    units.extend(p.implementer.as_deref());
                    policies.extend(p.policy_basis.stated().map(String::as_str));
                }
                Block::ProjectTargets(ProjectTargets {
                    project,
                    budget_unit,
                    manager,
                    indicators: list,
                    ..
                }) if !classified(project) => {
                    units.push(budget_unit.as_str());
                    units.extend(manager.as_deref());
                    indicator_cells(list);
                }
                Block::DepartmentTargets(DepartmentTargets {
                    department,
                    contact,
                    indicators: list,
                    ..
                }) => {
                    units.push(department.as_str());
                    units.extend(contact.as_deref());
                    indicator_cells(list);
                }
                _ => {}
            }
        }
        units.retain(|n| !n.trim().is_empty());
        Public {
            department: doc.identity.department.as_str(),
            units,
            policies,
            indicators,
        }
    }

    /// For each candidate piece, whether every list item of it is printed publicly in a way
    /// its role may share (the module doc's rule 3). Parts of texts are found by one
    /// automaton of the items run over the public texts, whole texts by a set: linear in the
    /// texts, however many candidates and public texts a document has.
    fn shared(&self, candidates: &[(&str, &str, Field)]) -> Vec<bool> {
        let mut unique: Vec<&str> = Vec::new();
        let mut index: HashMap<&str, usize> = HashMap::new();
        let items_of: Vec<Vec<usize>> = candidates
            .iter()
            .map(|(piece, _, _)| {
                items(piece)
                    .map(|item| {
                        *index.entry(item).or_insert_with(|| {
                            unique.push(item);
                            unique.len() - 1
                        })
                    })
                    .collect()
            })
            .collect();
        let mut printed = vec![0u8; unique.len()];
        // an automaton too large to build finds no part: those candidates stay secrets
        // the texts are short and read once: an automaton quick to build beats a fast one
        let automaton = AhoCorasick::builder()
            .kind(Some(AhoCorasickKind::NoncontiguousNFA))
            .build(&unique);
        if let Ok(automaton) = automaton {
            let parts = std::iter::once((self.department, IN_DEPARTMENT))
                .chain(self.units.iter().map(|u| (*u, IN_UNIT)));
            for (text, mask) in parts {
                for m in automaton.find_overlapping_iter(text) {
                    printed[m.pattern().as_usize()] |= mask;
                }
            }
        }
        // each text whole and, if it lists several, each item; a policy basis also by its
        // sentences and titles
        let whole = |texts: &[&'d str], by_pieces: bool| -> HashSet<&'d str> {
            let mut set = HashSet::new();
            for text in texts {
                let text = trim_edges(text);
                if !set.insert(text) {
                    continue;
                }
                if by_pieces {
                    for piece in pieces(text) {
                        set.insert(piece);
                        set.extend(items(piece));
                    }
                } else if text.contains(LIST_SEPARATORS) {
                    set.extend(items(text));
                }
            }
            set
        };
        let needs = |role: Role| candidates.iter().any(|(_, _, f)| f.role() == role);
        let mut sets = vec![(whole(&self.units, false), UNIT)];
        if needs(Role::Policy) {
            sets.push((whole(&self.policies, true), POLICY));
        }
        if needs(Role::Indicator) {
            sets.push((whole(&self.indicators, false), INDICATOR));
        }
        for (set, mask) in sets {
            for (i, item) in unique.iter().enumerate() {
                if set.contains(item) {
                    printed[i] |= mask;
                }
            }
        }
        candidates
            .iter()
            .zip(&items_of)
            .map(|((_, _, field), items)| {
                let allowed = IN_DEPARTMENT
                    | match field.role() {
                        Role::Name | Role::Person => IN_UNIT | UNIT,
                        Role::Policy => UNIT | POLICY,
                        Role::Indicator => UNIT | INDICATOR,
                        Role::Prose => UNIT,
                    };
                items.iter().all(|&i| printed[i] & allowed != 0)
            })
            .collect()
    }
}

/// How an item is printed publicly ([`Public::shared`]): part of the department's name, part
/// of a unit's or person's name, a whole unit or person, a whole policy basis (or a sentence,
/// title or list item of one), a whole indicator cell (or a list item of one).
const IN_DEPARTMENT: u8 = 1;
const IN_UNIT: u8 = 2;
const UNIT: u8 = 4;
const POLICY: u8 = 8;
const INDICATOR: u8 = 16;

/// Whether a project name is a classified one, without copying the name unless it starts
/// like one.
fn classified(name: &str) -> bool {
    name.trim_start().starts_with(MARKER) && ProjectName::new(name).is_classified()
}

/// The list items of a piece that say something (`A、B` → `A`, `B`).
fn items(piece: &str) -> impl Iterator<Item = &str> {
    piece
        .split(LIST_SEPARATORS)
        .map(trim_edges)
        .filter(|item| meaningful(item) > 0)
}

/// The pieces of a withheld text: the whole, its sentences, its quoted titles; trimmed, cut,
/// not empty.
fn pieces(text: &str) -> Vec<&str> {
    let mut out = vec![text];
    out.extend(text.split(SENTENCE_ENDS));
    if !text.contains(|c| QUOTES.iter().any(|(open, _)| *open == c)) {
        return trimmed_pieces(out);
    }
    for (open, close) in QUOTES {
        let mut rest = text;
        while let Some(start) = rest.find(*open) {
            let after = &rest[start + open.len_utf8()..];
            let Some(end) = after.find(*close) else { break };
            out.push(&after[..end]);
            rest = &after[end + close.len_utf8()..];
        }
    }
    trimmed_pieces(out)
}

/// `pieces` trimmed, cut, not empty, without a repeat in a row.
fn trimmed_pieces(pieces: Vec<&str>) -> Vec<&str> {
    let mut out: Vec<&str> = pieces
        .into_iter()
        .map(|p| cut(trim_edges(p)))
        .filter(|p| !p.is_empty())
        .collect();
    // a text of one sentence is its own sentence
    out.dedup();
    out
}

/// `s` without spaces and punctuation at either end.
fn trim_edges(s: &str) -> &str {
    s.trim_matches(|c: char| !c.is_alphanumeric())
}

/// The first [`MAX_CHARS`] characters of `s`.
fn cut(s: &str) -> &str {
    match s.char_indices().nth(MAX_CHARS) {
        Some((i, _)) => &s[..i],
        None => s,
    }
}

/// Whether a piece states that something is withheld (`项目绩效目标表完全不予公开`): the
/// public text says as much.
fn withholds(piece: &str) -> bool {
    WITHHOLDING.iter().any(|w| piece.contains(w))
}

/// `s` without the public markers: [`WITHHELD`] and `特定目标` with its code.
fn unmarked(s: &str) -> Cow<'_, str> {
    if !s.contains(['完', '特']) {
        return Cow::Borrowed(s);
    }
    let mut out = s.replace(WITHHELD, "");
    while let Some(at) = out.find(MARKER) {
        let rest = out[at + MARKER.len()..].trim_start();
        let code_len = rest
            .bytes()
            .take(8)
            .take_while(|b| b.is_ascii_digit() || b.is_ascii_uppercase())
            .count();
        let end = out.len() - rest.len() + code_len;
        out.replace_range(at..end, "");
    }
    Cow::Owned(out)
}

/// Letters and ideographs other than those of dates and amounts.
fn meaningful(s: &str) -> usize {
    s.chars()
        .filter(|c| c.is_alphabetic() && !DATE_AMOUNT.contains(c))
        .count()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::codes::FiscalYear;
    use crate::document::DocumentKind;
    use crate::narrative::{
        Allocation, AllocationItem, Disclosed, Paragraph, Period, ProjectDescription, Section,
    };
    use crate::overview::BudgetUnit;
    use crate::performance::{IndicatorLayout, ProjectFunds, Value};

    const DEPARTMENT: &str = "乌鲁木齐市工业和信息化局";
    const CODE: &str = "特定目标 10100021";

    fn description(name: &str) -> ProjectDescription {
        ProjectDescription {
            number: 1,
            name: ProjectName::new(name),
            policy_basis: Disclosed::Withheld,
            amount: None,
            unit: Default::default(),
            implementer: None,
            allocation: Disclosed::Withheld,
            period: Disclosed::Withheld,
        }
    }

    fn indicator(level3: &str) -> Indicator {
        Indicator {
            level1: "产出指标".into(),
            level2: "数量指标".into(),
            level3: level3.into(),
            target: Value::new(">=90%"),
            basis: Some("计划标准".into()),
            last_year: None,
            weight: None,
            rule: None,
            evidence: None,
        }
    }

    fn targets(project: &str, goal: &str) -> ProjectTargets {
        ProjectTargets {
            year_label: "(2025 年)".into(),
            budget_unit: DEPARTMENT.into(),
            project: project.into(),
            manager: None,
            funds: ProjectFunds::default(),
            goal: goal.into(),
            layout: IndicatorLayout::standard(),
            indicators: vec![indicator("服务对象满意度")],
        }
    }

    /// A document with a public project (its policy basis, implementer, target table) and a
    /// classified one whose description and target table are given.
    fn document(classified: ProjectDescription, classified_targets: ProjectTargets) -> Document {
        let mut doc = Document::new(
            DEPARTMENT,
            FiscalYear::new(2025).unwrap(),
            DocumentKind::DepartmentBudget,
        );
        doc.overview.units.push(BudgetUnit {
            name: "乌鲁木齐市节能监察中心".into(),
            own_level: false,
        });
        let mut public = description("工业经济运行监测");
        public.policy_basis = Disclosed::Stated("《中华人民共和国中小企业促进法》".into());
        public.implementer = Some("乌鲁木齐市软件园管理中心".into());
        let mut public_targets = targets("工业经济运行监测", "完成年度监测任务");
        public_targets.manager = Some("王建国".into());
        doc.narrative.sections.push(Section {
            number: 7,
            topic: None,
            title: "项目支出".into(),
            blocks: vec![
                Block::Paragraph(Paragraph {
                    text: "说明".into(),
                    statements: vec![],
                    page: None,
                }),
                Block::Project(public),
                Block::Project(classified),
                Block::ProjectTargets(public_targets),
                Block::ProjectTargets(classified_targets),
            ],
        });
        doc
    }

    fn texts(secrets: &Secrets) -> Vec<(&str, String)> {
        secrets
            .iter()
            .map(|s| (s.text.as_str(), s.origin.field.label(Lang::Zh)))
            .collect()
    }

    #[test]
    fn a_withheld_project_carries_no_secret() {
        let mut withheld = description(CODE);
        withheld.implementer = Some(DEPARTMENT.into());
        let mut t = targets(CODE, WITHHELD);
        t.indicators.clear();
        let secrets = Secrets::of(&document(withheld, t));
        assert!(secrets.is_empty(), "{:?}", texts(&secrets));
    }

    #[test]
    fn every_stated_detail_is_a_secret_with_its_field() {
        let mut d = description(CODE);
        d.policy_basis = Disclosed::Stated("新工信密〔2024〕3号文件".into());
        d.implementer = Some("乌鲁木齐市某研究所".into());
        d.allocation = Disclosed::Stated(Allocation {
            text: "全部用于保密通信网络改造。".into(),
            items: vec![AllocationItem {
                purpose: "北区指挥中心".into(),
                amount: "1.00".parse().unwrap(),
            }],
        });
        d.period = Disclosed::Stated(Period {
            text: "2025年1月1日至2025年12月31日".into(),
            start: None,
            end: None,
        });
        let mut t = targets(CODE, "建成“天山保密专网”，覆盖全市。");
        t.manager = Some("李强".into());
        t.indicators = vec![indicator("专网节点数量")];
        let secrets = Secrets::of(&document(d, t));
        let found = texts(&secrets);
        for (text, field) in [
            ("新工信密〔2024〕3号文件", "设立的政策依据"),
            ("乌鲁木齐市某研究所", "项目承担单位"),
            ("全部用于保密通信网络改造", "资金分配情况"),
            ("北区指挥中心", "资金分配情况第1项用途"),
            ("建成“天山保密专网”，覆盖全市", "项目总体目标"),
            ("天山保密专网", "项目总体目标"),
            ("李强", "项目负责人"),
            ("专网节点数量", "第1项三级指标"),
        ] {
            assert!(
                found.contains(&(text, field.to_string())),
                "{text} ({field}) in {found:?}"
            );
        }
        // the period is a date; 预算单位 is the department; 计划标准 is a public basis
        for public in ["2025年1月1日至2025年12月31日", DEPARTMENT, "计划标准"] {
            assert!(found.iter().all(|(t, _)| *t != public), "{public}");
        }
        let goal = secrets.iter().find(|s| s.text == "天山保密专网").unwrap();
        assert_eq!(
            goal.origin.path(),
            "narrative.project_targets[特定目标 10100021].goal"
        );
        assert_eq!(
            goal.origin.label(Lang::En),
            "特定目标 10100021 project goal"
        );
    }

    #[test]
    fn what_is_public_anyway_is_no_secret() {
        let cases: &[(Field, &str)] = &[
            // the withheld marker and the code itself
            (Field::Allocation, WITHHELD),
            (Field::Allocation, "完全不予公开。"),
            (Field::Goal, "特定目标 10100021"),
            (Field::Goal, "特定目标 10100021，完全不予公开"),
            (Field::Goal, "项目绩效目标表完全不予公开。"),
            (Field::Allocation, "不予公开"),
            (Field::PolicyBasis, "涉密项目，依规不公开。"),
            // numbers, amounts, dates, periods
            (Field::Allocation, "1,000.00万元"),
            (Field::Period, "2025年1月—12月"),
            (Field::Period, "2025-01-01至2025-12-31"),
            (Field::IndicatorName(0), ">=90%"),
            // short
            (Field::Goal, "保密"),
            (Field::AllocationPurpose(0), "设备"),
            (Field::Manager, "王"),
            // the department, a unit of the overview, both
            (Field::Implementer, DEPARTMENT),
            (Field::Implementer, "工业和信息化局"),
            (Field::BudgetUnit, "乌鲁木齐市节能监察中心"),
            (
                Field::Implementer,
                "乌鲁木齐市工业和信息化局、乌鲁木齐市节能监察中心",
            ),
            (Field::Goal, "乌鲁木齐市工业和信息化局"),
            // a public project's manager; a public project's policy basis; the indicator
            // library
            (Field::Manager, "王建国"),
            (Field::Implementer, "乌鲁木齐市软件园管理中心"),
            // a short form of a unit's name; a whole unit's name, in any field
            (Field::Implementer, "节能监察中心"),
            (Field::AllocationPurpose(0), "乌鲁木齐市软件园管理中心"),
            (Field::Goal, "乌鲁木齐市节能监察中心。"),
            (Field::PolicyBasis, "《中华人民共和国中小企业促进法》"),
            (Field::IndicatorName(0), "服务对象满意度"),
            (Field::IndicatorEvidence(0), "计划标准"),
        ];
        for (field, text) in cases {
            let secrets = Secrets::of(&single(*field, text));
            assert!(
                secrets.is_empty(),
                "{field:?} {text}: {:?}",
                texts(&secrets)
            );
        }
    }

    #[test]
    fn what_is_shared_only_in_another_role_is_a_secret() {
        let cases: &[(Field, &str, &str)] = &[
            // a public policy basis or indicator name, carried as a goal or an allocation
            (
                Field::Goal,
                "《中华人民共和国中小企业促进法》",
                "中华人民共和国中小企业促进法",
            ),
            (
                Field::AllocationPurpose(0),
                "服务对象满意度",
                "服务对象满意度",
            ),
            // a name that contains the department's and says more
            (
                Field::Implementer,
                "乌鲁木齐市工业和信息化局保密办",
                "乌鲁木齐市工业和信息化局保密办",
            ),
            // a short form of a unit's name is shared by names only
            (Field::Goal, "节能监察中心", "节能监察中心"),
            // a person's name of two characters
            (Field::Manager, "李强", "李强"),
            // a sentence beside a statement of withholding, a title inside one
            (
                Field::Goal,
                "天山保密专网建设。完全不予公开。",
                "天山保密专网建设",
            ),
            (
                Field::Allocation,
                "“天山保密专网”的分配完全不予公开",
                "天山保密专网",
            ),
            // a generic sentence is still a withheld sentence
            (Field::Goal, "确保项目顺利实施。", "确保项目顺利实施"),
        ];
        for (field, text, secret) in cases {
            let secrets = Secrets::of(&single(*field, text));
            assert!(
                secrets
                    .iter()
                    .any(|s| s.text == *secret && s.origin.field == *field),
                "{field:?} {text}: {:?}",
                texts(&secrets)
            );
        }
    }

    /// A real name inside a longer public text — a unit called after the project, an
    /// indicator naming it — is printed there: it stays a secret.
    #[test]
    fn a_name_inside_a_public_text_is_still_a_secret() {
        for field in [Field::Goal, Field::IndicatorName(0), Field::PolicyBasis] {
            let mut doc = single(field, "天山保密专网");
            doc.overview.units.push(BudgetUnit {
                name: "天山保密专网建设指挥部".into(),
                own_level: false,
            });
            for block in doc
                .narrative
                .sections
                .iter_mut()
                .flat_map(|s| s.blocks.iter_mut())
            {
                match block {
                    Block::ProjectTargets(t) if !classified(&t.project) => {
                        t.indicators.push(indicator("天山保密专网节点数"))
                    }
                    Block::Project(p) if !p.name.is_classified() => {
                        p.policy_basis = Disclosed::Stated("《天山保密专网建设方案》".into())
                    }
                    _ => {}
                }
            }
            let secrets = Secrets::of(&doc);
            assert_eq!(texts(&secrets), [("天山保密专网", field.label(Lang::Zh))]);
        }
    }

    /// The document with one detail of the classified project stated.
    fn single(field: Field, text: &str) -> Document {
        let mut d = description(CODE);
        let mut t = targets(CODE, WITHHELD);
        t.budget_unit = DEPARTMENT.into();
        t.indicators.clear();
        match field {
            Field::PolicyBasis => d.policy_basis = Disclosed::Stated(text.into()),
            Field::Implementer => d.implementer = Some(text.into()),
            Field::Allocation => {
                d.allocation = Disclosed::Stated(Allocation {
                    text: text.into(),
                    items: vec![],
                })
            }
            Field::AllocationPurpose(_) => {
                d.allocation = Disclosed::Stated(Allocation {
                    text: WITHHELD.into(),
                    items: vec![AllocationItem {
                        purpose: text.into(),
                        amount: "1.00".parse().unwrap(),
                    }],
                })
            }
            Field::Period => {
                d.period = Disclosed::Stated(Period {
                    text: text.into(),
                    start: None,
                    end: None,
                })
            }
            Field::BudgetUnit => t.budget_unit = text.into(),
            Field::Manager => t.manager = Some(text.into()),
            Field::Goal => t.goal = text.into(),
            Field::IndicatorName(_) => t.indicators = vec![indicator(text)],
            Field::IndicatorBasis(_) => {
                let mut i = indicator("专网节点数量");
                i.basis = Some(text.into());
                t.indicators = vec![i];
            }
            Field::IndicatorEvidence(_) => {
                let mut i = indicator("服务对象满意度");
                i.evidence = Some(text.into());
                t.indicators = vec![i];
            }
        }
        document(d, t)
    }

    /// A hostile document: thousands of classified and public indicators. Sharing is decided
    /// in one pass over the public texts, not by comparing every pair.
    #[test]
    fn many_indicators_are_listed_in_linear_time() {
        const N: usize = 3_000;
        let mut d = description(CODE);
        d.implementer = Some(DEPARTMENT.into());
        let mut classified = targets(CODE, WITHHELD);
        classified.indicators = (0..N)
            .map(|i| indicator(&format!("专网节点{i}号站建设")))
            .collect();
        let mut doc = document(d, classified);
        let public = doc
            .narrative
            .sections
            .iter_mut()
            .flat_map(|s| s.blocks.iter_mut())
            .find_map(|b| match b {
                Block::ProjectTargets(t) if t.project == "工业经济运行监测" => Some(t),
                _ => None,
            })
            .unwrap();
        public.indicators = (0..N)
            .map(|i| indicator(&format!("企业走访{i}次数统计")))
            .collect();
        // one classified indicator is in the library
        public.indicators[7].level3 = "专网节点7号站建设".into();
        let start = std::time::Instant::now();
        let secrets = Secrets::of(&doc);
        let took = start.elapsed();
        assert_eq!(secrets.len(), N - 1);
        assert!(secrets.iter().all(|s| s.text != "专网节点7号站建设"));
        eprintln!("Secrets::of, {N} classified and {N} public indicators: {took:?}");
        assert!(took < std::time::Duration::from_secs(1), "{took:?}");
    }

    #[test]
    fn pieces_are_the_whole_its_sentences_and_its_titles() {
        let cases: &[(&str, &[&str])] = &[
            ("保密通信网络。", &["保密通信网络"]),
            (
                "依据《保密法》实施。建设“天山专网”；",
                &[
                    "依据《保密法》实施。建设“天山专网",
                    "依据《保密法》实施",
                    "建设“天山专网",
                    "保密法",
                    "天山专网",
                ],
            ),
            ("  ——  ", &[]),
        ];
        for (text, expected) in cases {
            assert_eq!(pieces(text), *expected, "{text}");
        }
        let long = "甲".repeat(MAX_CHARS + 50);
        assert_eq!(pieces(&long)[0].chars().count(), MAX_CHARS);
    }

    #[test]
    fn meaningful_characters_leave_out_dates_amounts_and_markers() {
        let cases = [
            ("2025年1月1日至2025年12月31日", 0),
            ("1,000.00万元", 0),
            ("保密通信网络", 6),
            ("Project X-1", 8),
            ("完全不予公开", 6),
        ];
        for (s, n) in cases {
            assert_eq!(meaningful(s), n, "{s}");
        }
        assert_eq!(meaningful(&unmarked("特定目标 1010009A 完全不予公开。")), 0);
        assert_eq!(unmarked("见特定目标1010009A说明"), "见说明");
    }

    #[test]
    fn the_finder_finds_each_secret_and_its_escaped_forms() {
        let mut d = description(CODE);
        d.allocation = Disclosed::Stated(Allocation {
            text: "研发\"天山专网\"&保密网络".into(),
            items: vec![],
        });
        let secrets = Secrets::of(&single_with(d));
        assert_eq!(secrets.len(), 2, "{:?}", texts(&secrets));
        let raw = secrets.finder().unwrap();
        let hit = raw
            .find("前文：研发\"天山专网\"&保密网络。".as_bytes())
            .unwrap();
        assert_eq!(hit.secret.text, "研发\"天山专网\"&保密网络");
        assert_eq!(hit.start, "前文：".len());
        // escaped, the whole is not found as it is, only the title inside it
        let escaped_text = "研发&quot;天山专网&quot;&amp;保密网络";
        let inside: Vec<&str> = raw
            .find_iter(escaped_text.as_bytes())
            .map(|h| h.secret.text.as_str())
            .collect();
        assert_eq!(inside, ["天山专网"]);
        let escaped = secrets
            .finder_with(|s| {
                vec![
                    s.to_string(),
                    s.replace('&', "&amp;").replace('"', "&quot;"),
                ]
            })
            .unwrap();
        let hit = escaped.find(escaped_text.as_bytes()).unwrap();
        assert_eq!(hit.secret.text, "研发\"天山专网\"&保密网络");
        assert_eq!((hit.start, hit.end), (0, escaped_text.len()));
        assert_eq!(hit.secret.origin.field, Field::Allocation);
        assert_eq!(raw.find_iter("天山专网，天山专网".as_bytes()).count(), 2);
        assert!(Secrets::default()
            .finder()
            .unwrap()
            .find(b"anything")
            .is_none());
    }

    fn single_with(d: ProjectDescription) -> Document {
        let mut t = targets(CODE, WITHHELD);
        t.indicators.clear();
        document(d, t)
    }
}
