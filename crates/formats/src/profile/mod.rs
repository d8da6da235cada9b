//! Template profiles: what a region's printed template looks like, as data.
//!
//! Every province or district prints its own template: its own table titles, its own column
//! headers, its own units and section titles. A reader of positioned documents (a PDF) turns a
//! file into a neutral [`budgetflow_layout::Layout`] — headings, paragraphs and tables whose
//! columns carry their printed header paths — and a profile recognises that layout and says
//! where each piece goes in the model. Adding a region means adding a profile file under
//! `crates/formats/profiles/` and a fixture, not reader code (`docs/formats.md` walks through one).
//!
//! A profile lists:
//! - how its cover reads (`recognise`) and where the cover names the department;
//! - its tables: the title and aliases, the unit, and for each printed column header the model
//!   column it maps to (a header pattern `本年支出/合计` matches a column whose header path holds
//!   those labels in that order; the most specific pattern wins);
//! - the labels of its lines (revenue lines, appropriation lines) and the model line each is;
//! - its section titles and which part of the model their text fills;
//! - which tables and sections the template requires, and whether it prints target tables.
//!
//! A profile may `extends` another and replace its tables by kind, its sections and its
//! recognition: the 部门 and 单位 variants of one template differ in a few places only.
//!
//! The text export's and the workbook's tables come the same way ([`read_tables`]): their
//! readers cut them into layout tables and the 11-table template's profile ([`STANDARD_ELEVEN`])
//! maps them. What a source states beyond printed labels — a workbook's hidden key of a
//! revenue line, its 行类型 column — is a column of the layout table like any other, mapped to
//! `line` or `kind`, and goes before what the labels would say.

mod build;

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::sync::OnceLock;

use budgetflow_model::names::{key_chars, name_key};
use budgetflow_model::{DocumentKind, MoneyUnit, TableKind, Template};
use serde::Deserialize;

pub use build::{explain, read_layout, read_tables};

/// The profiles shipped in the repository (`crates/formats/profiles/*.toml`), most specific
/// first.
const BUILT_IN: &[(&str, &str)] = &[
    (
        "shanghai-district-department",
        include_str!("../../profiles/shanghai-district-department.toml"),
    ),
    (
        "shanghai-district-unit",
        include_str!("../../profiles/shanghai-district-unit.toml"),
    ),
    (
        STANDARD_ELEVEN,
        include_str!("../../profiles/standard-eleven.toml"),
    ),
];

/// The id of the ministry's 11-table template, which the text export prints.
pub const STANDARD_ELEVEN: &str = "standard-eleven";

/// A template profile, as its file states it.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Profile {
    pub id: String,
    pub name: String,
    /// The profile this one starts from, by id.
    #[serde(default)]
    pub extends: Option<String>,
    #[serde(default)]
    pub kind: Option<DocumentKind>,
    /// Phrases the cover (the first heading or paragraph) contains, all of them.
    #[serde(default)]
    pub recognise: Vec<String>,
    /// Labels after which the cover names the department (`预算单位：`).
    #[serde(default)]
    pub department: Vec<String>,
    /// Whether the template prints performance-target tables.
    #[serde(default)]
    pub targets: Option<bool>,
    #[serde(default)]
    pub sections: Vec<SectionProfile>,
    #[serde(default)]
    pub tables: Vec<TableProfile>,
}

/// A section title and where its text goes.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SectionProfile {
    /// The title and its aliases; a heading containing one of them opens the section.
    pub title: Vec<String>,
    pub into: SectionTarget,
    #[serde(default)]
    pub required: bool,
}

/// The part of the model a section's text fills.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SectionTarget {
    /// 主要职能: the overview's functions.
    Functions,
    /// 机构设置: the overview's organisation.
    Organisation,
    /// 名词解释: the glossary.
    Glossary,
    /// The budget's explanation (预算编制说明): revenue and expenditure in words.
    Overall,
    /// 其他相关情况说明: 三公, 机关运行经费, procurement, targets, assets.
    OtherMatters,
    /// One section per project (项目经费情况说明).
    Projects,
}

/// A table of the template.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TableProfile {
    pub kind: TableKind,
    /// The title and its aliases, as printed after the year and the document's kind.
    pub title: Vec<String>,
    /// The unit the template prints the table in, when the table does not say.
    pub unit: MoneyUnit,
    #[serde(default = "required_by_default")]
    pub required: bool,
    /// Printed header pattern → model column (`code.class`, `code` for a whole code in one
    /// column, `name`, a column key of the table's model columns, `revenue.label`,
    /// `expenditure.code`, `expenditure.total`, `line.reception`…; `line` and `kind` for a
    /// row's stated standard line and row kind).
    pub columns: BTreeMap<String, String>,
    /// Printed line label → model line (the serde name of the table's line enum).
    #[serde(default)]
    pub lines: BTreeMap<String, String>,
    /// The words a row-kind column (a column mapped to `kind`, a form's 行类型) holds → the
    /// model's row kind (the serde name of the table's row-kind enum), in the order a form
    /// offers them.
    #[serde(default)]
    pub kinds: Vec<(String, String)>,
    /// The titles, column patterns and line labels as they are compared: normalised once,
    /// when the profile is read, not on every lookup of every document.
    #[serde(skip)]
    pub(crate) keys: TableKeys,
}

/// A table profile's texts in their compared form ([`normalise`]).
#[derive(Debug, Clone, Default)]
pub(crate) struct TableKeys {
    pub titles: Vec<String>,
    /// Header pattern (its labels) → model column.
    pub columns: Vec<(Vec<String>, String)>,
    /// Line label → model line.
    pub lines: Vec<(String, String)>,
}

impl TableKeys {
    fn of(t: &TableProfile) -> TableKeys {
        TableKeys {
            titles: t.title.iter().map(|title| normalise(title)).collect(),
            columns: t
                .columns
                .iter()
                .map(|(pattern, target)| {
                    (pattern.split('/').map(normalise).collect(), target.clone())
                })
                .collect(),
            lines: t
                .lines
                .iter()
                .map(|(label, target)| (normalise(label), target.clone()))
                .collect(),
        }
    }
}

fn required_by_default() -> bool {
    true
}

/// Why a profile cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum ProfileError {
    #[error("profile {file}: {source}")]
    Syntax {
        file: String,
        source: Box<toml::de::Error>,
    },
    #[error("profile {id} extends {base}, which is not a profile")]
    UnknownBase { id: String, base: String },
}

impl Profile {
    /// Reads a profile file; `extends` is resolved against `known`.
    pub fn parse(file: &str, text: &str, known: &[Profile]) -> Result<Profile, ProfileError> {
        let own: Profile = toml::from_str(text).map_err(|source| ProfileError::Syntax {
            file: file.to_string(),
            source: Box::new(source),
        })?;
        let Some(base_id) = own.extends.clone() else {
            return Ok(own.keyed());
        };
        let base =
            known
                .iter()
                .find(|p| p.id == base_id)
                .ok_or_else(|| ProfileError::UnknownBase {
                    id: own.id.clone(),
                    base: base_id,
                })?;
        Ok(own.over(base).keyed())
    }

    /// This profile with every table's [`TableKeys`].
    fn keyed(mut self) -> Profile {
        for t in &mut self.tables {
            t.keys = TableKeys::of(t);
        }
        self
    }

    /// This profile, with what it does not state taken from `base`.
    fn over(self, base: &Profile) -> Profile {
        let mut tables = base.tables.clone();
        for t in self.tables {
            match tables.iter_mut().find(|b| b.kind == t.kind) {
                Some(slot) => *slot = t,
                None => tables.push(t),
            }
        }
        Profile {
            id: self.id,
            name: self.name,
            extends: self.extends,
            kind: self.kind.or(base.kind),
            recognise: or_base(self.recognise, &base.recognise),
            department: or_base(self.department, &base.department),
            targets: self.targets.or(base.targets),
            sections: or_base(self.sections, &base.sections),
            tables,
        }
    }

    /// Whether a document whose cover reads `cover` follows this template.
    pub fn recognises(&self, cover: &str) -> bool {
        let cover = normalise(cover);
        !self.recognise.is_empty() && self.recognise.iter().all(|p| cover.contains(&normalise(p)))
    }

    /// What the model records of the template.
    pub fn template(&self) -> Template {
        Template {
            id: self.id.clone(),
            name: self.name.clone(),
            tables: self
                .tables
                .iter()
                .filter(|t| t.required)
                .map(|t| t.kind)
                .collect(),
            sections: self
                .sections
                .iter()
                .filter(|s| s.required)
                .filter_map(|s| match s.into {
                    SectionTarget::Overall => Some(budgetflow_model::SectionTopic::Overall),
                    SectionTarget::OtherMatters => {
                        Some(budgetflow_model::SectionTopic::OtherMatters)
                    }
                    _ => None,
                })
                .collect(),
            targets: self.targets.unwrap_or(false),
        }
    }

    /// The table profile whose title the caption prints, or failing that the table of the kind
    /// the model recognises in the title ([`TableKind::from_title`]: the retitled variants of
    /// the ministry's tables, as a text export prints them).
    pub fn table_titled(&self, caption: &str) -> Option<&TableProfile> {
        self.table(caption).or_else(|| {
            let kind = TableKind::from_title(caption)?;
            self.tables.iter().find(|t| t.kind == kind)
        })
    }

    /// The table profile whose title the caption prints (the longest matching title wins, so
    /// that `财政拨款收支预算总表` is not read as `收支预算总表`).
    pub fn table(&self, caption: &str) -> Option<&TableProfile> {
        let caption = normalise(caption);
        // a caption printing a title exactly (after its number) is that table: no other title
        // it contains can be longer. Most captions do, and an equality test costs a fraction
        // of searching the caption for every title.
        let printed = build::numbered(&caption).map_or(caption.as_str(), |(_, title)| title);
        if let Some(t) = self
            .tables
            .iter()
            .find(|t| t.keys.titles.iter().any(|title| title == printed))
        {
            return Some(t);
        }
        self.tables
            .iter()
            .flat_map(|t| t.keys.titles.iter().map(move |title| (title, t)))
            .filter(|(title, _)| caption.contains(title.as_str()))
            .max_by_key(|(title, _)| title.chars().count())
            .map(|(_, t)| t)
    }
}

fn or_base<T: Clone>(own: Vec<T>, base: &[T]) -> Vec<T> {
    if own.is_empty() {
        base.to_vec()
    } else {
        own
    }
}

/// The built-in profiles, parsed (a test keeps every one of them valid).
pub fn built_in() -> Result<Vec<Profile>, ProfileError> {
    // bases first: a profile may extend only one listed after it
    let mut out: Vec<Profile> = Vec::new();
    for (id, text) in BUILT_IN.iter().rev() {
        let p = Profile::parse(&format!("{id}.toml"), text, &out)?;
        out.push(p);
    }
    out.reverse();
    Ok(out)
}

/// The built-in profiles, parsed once per process: every PDF read asks them. A test keeps each
/// valid; were one not, none would be offered and every PDF would be refused as of an unknown
/// template rather than read half-right.
pub fn shipped() -> &'static [Profile] {
    static SHIPPED: OnceLock<Vec<Profile>> = OnceLock::new();
    SHIPPED.get_or_init(|| built_in().unwrap_or_default())
}

/// The built-in profile that recognises the cover, the most specific first.
pub fn recognise(cover: &str) -> Option<&'static Profile> {
    shipped().iter().find(|p| p.recognises(cover))
}

/// A built-in profile by its id.
pub fn by_id(id: &str) -> Option<&'static Profile> {
    shipped().iter().find(|p| p.id == id)
}

/// Text compared for meaning: the model's one name key ([`budgetflow_model::names`]) — no
/// whitespace, no quotes, brackets and colons full-width.
pub(crate) fn normalise(s: &str) -> String {
    name_key(s).into_owned()
}

/// [`normalise`]`(s)`, borrowed when it would not change `s` (most labels: every table's
/// header labels are normalised for every document read).
pub(crate) fn key(s: &str) -> Cow<'_, str> {
    name_key(s)
}

/// Whether `printed` normalises to `key` (a text already normalised), without building it.
pub(crate) fn is_key(printed: &str, key: &str) -> bool {
    key_chars(printed).eq(key.chars())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_built_in_profile_reads_and_lists_its_tables() {
        let profiles = built_in().expect("the shipped profiles are valid");
        assert_eq!(profiles.len(), BUILT_IN.len());
        for p in profiles.iter().filter(|p| p.id.starts_with("shanghai")) {
            let t = p.template();
            assert_eq!(t.tables.len(), 9, "{}", p.id);
            assert!(!t.targets, "{}", p.id);
        }
        let standard = by_id(STANDARD_ELEVEN).expect("the 11-table profile ships");
        assert_eq!(standard.template().tables.len(), 11);
        assert!(standard.template().targets);
        // chosen by the text reader, never by a cover
        assert!(!standard.recognises("2025年部门预算公开"));
        let dept = profiles
            .iter()
            .find(|p| p.id == "shanghai-district-department")
            .unwrap();
        assert_eq!(dept.kind, Some(DocumentKind::DepartmentBudget));
        assert_eq!(dept.department, ["预算主管部门：", "预算主管部门:"]);
    }

    /// A misspelt kind would read as a word the profile does not list: every kind names one.
    #[test]
    fn every_row_kind_of_a_profile_is_a_model_kind() {
        use budgetflow_model::tables::{CarryOverRowKind, ProjectRowKind};
        let of = |kind: &str| serde_json::Value::String(kind.to_string());
        let mut checked = 0;
        for t in built_in().unwrap().iter().flat_map(|p| &p.tables) {
            for (word, kind) in &t.kinds {
                let ok = match t.kind {
                    TableKind::Projects => {
                        serde_json::from_value::<ProjectRowKind>(of(kind)).is_ok()
                    }
                    TableKind::CarryOver => {
                        serde_json::from_value::<CarryOverRowKind>(of(kind)).is_ok()
                    }
                    _ => false,
                };
                assert!(ok, "{:?}: {word} = {kind}", t.kind);
                checked += 1;
            }
        }
        assert!(checked >= 9, "{checked}");
    }

    #[test]
    fn covers_choose_the_variant() {
        let cases = [
            (
                "上海市普陀区2025年区级单位预算",
                Some("shanghai-district-unit"),
            ),
            (
                "上海市普陀区2025年区级部门预算",
                Some("shanghai-district-department"),
            ),
            ("2025 年部门预算公开", None),
        ];
        for (cover, id) in cases {
            assert_eq!(recognise(cover).map(|p| p.id.as_str()), id, "{cover}");
        }
    }

    #[test]
    fn the_longest_title_wins() {
        let p = recognise("上海市普陀区2025年区级单位预算").unwrap();
        let cases = [
            (
                "2025年预算单位财政拨款收支预算总表",
                TableKind::Appropriation,
            ),
            ("2025年预算单位收入预算总表", TableKind::Revenue),
            ("2025年预算单位支出预算总表", TableKind::Expenditure),
            (
                "2025年部门“三公”经费和机关运行经费预算表",
                TableKind::ThreePublic,
            ),
            (
                "2025年预算单位一般公共预算基本支出部门预算经济分类预算表",
                TableKind::Basic,
            ),
            (
                "2025年预算单位一般公共预算支出功能分类预算表",
                TableKind::GeneralBudget,
            ),
        ];
        for (caption, kind) in cases {
            assert_eq!(p.table(caption).map(|t| t.kind), Some(kind), "{caption}");
        }
        assert!(p.table("人员名单").is_none());
    }

    #[test]
    fn a_profile_names_its_base_or_fails() {
        let err = Profile::parse(
            "x.toml",
            "id = \"x\"\nname = \"x\"\nextends = \"nowhere\"\n",
            &[],
        )
        .unwrap_err();
        assert!(err.to_string().contains("nowhere"), "{err}");
        let err = Profile::parse("y.toml", "id = 3", &[]).unwrap_err();
        assert!(err.to_string().starts_with("profile y.toml"), "{err}");
    }
}
