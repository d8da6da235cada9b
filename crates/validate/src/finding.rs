//! A finding: which rule fired, where, what was expected and what is printed.
//!
//! Messages are rendered from the finding's own figures, in Chinese or English, so a message
//! can never name a different number than the finding carries.

use std::borrow::Cow;
use std::fmt::{self, Write as _};

use rust_decimal::Decimal;
use serde_json::{json, Value};

use budgetflow_model::amount::group_thousands;
use budgetflow_model::{SectionTopic, TableKind};

use crate::rule::{Lang, Rule, Severity};

/// The part of the document a finding is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Place {
    /// 第一部分 部门概况.
    Overview,
    /// A standard table (表1 … 表11).
    Table(TableKind),
    /// An explanation section (第三部分 一 … 十二).
    Section(SectionTopic),
    /// The performance-target tables (绩效目标表).
    Targets,
    /// 第四部分 名词解释.
    Glossary,
    /// The document as a whole.
    Document,
}

const CHINESE_NUMERALS: [&str; 13] = [
    "", "一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "十一", "十二",
];

impl Place {
    pub fn label(self, lang: Lang) -> String {
        match (self, lang) {
            (Place::Overview, Lang::Zh) => "部门概况".into(),
            (Place::Overview, Lang::En) => "Overview".into(),
            (Place::Table(k), Lang::Zh) => format!("表{}", k.standard_number()),
            (Place::Table(k), Lang::En) => format!("Table {}", k.standard_number()),
            (Place::Section(t), Lang::Zh) => format!(
                "说明{}",
                CHINESE_NUMERALS
                    .get(t.standard_number() as usize)
                    .copied()
                    .unwrap_or("")
            ),
            (Place::Section(t), Lang::En) => format!("Section {}", t.standard_number()),
            (Place::Targets, Lang::Zh) => "绩效目标表".into(),
            (Place::Targets, Lang::En) => "Performance targets".into(),
            (Place::Glossary, Lang::Zh) => "名词解释".into(),
            (Place::Glossary, Lang::En) => "Glossary".into(),
            (Place::Document, Lang::Zh) => "全文".into(),
            (Place::Document, Lang::En) => "Document".into(),
        }
    }
}

/// Where in the table or section: the row (code and name) and the column.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Location {
    pub code: Option<String>,
    pub name: Option<String>,
    pub column: Option<Cow<'static, str>>,
    /// The page the row or paragraph is printed on, when the source has pages (a PDF).
    pub page: Option<u32>,
}

impl Location {
    /// `第 12 页` / `p. 12`, when the finding has a page.
    pub fn page_label(&self, lang: Lang) -> Option<String> {
        self.page.map(|p| match lang {
            Lang::Zh => format!("第{p}页"),
            Lang::En => format!("p. {p}"),
        })
    }

    /// `303 对个人和家庭的补助 / 合计`.
    pub fn label(&self) -> String {
        let mut out = String::new();
        if let Some(c) = &self.code {
            out.push_str(c);
        }
        if let Some(n) = &self.name {
            if !out.is_empty() {
                out.push(' ');
            }
            out.push_str(n);
        }
        if let Some(col) = &self.column {
            if !out.is_empty() {
                out.push_str(" / ");
            }
            out.push_str(col);
        }
        out
    }
}

/// A figure a finding expected or found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Figure {
    /// Money, as printed (万元 unless the table says otherwise).
    Amount(Decimal),
    /// A percentage (`41.57` for 41.57%).
    Percent(Decimal),
    /// A count (projects, people, points).
    Count(Decimal),
    /// Words: a name, a list, "present".
    Text(String),
}

impl Figure {
    pub fn text(s: impl Into<String>) -> Figure {
        Figure::Text(s.into())
    }
    pub fn count(n: impl Into<Decimal>) -> Figure {
        Figure::Count(n.into())
    }
}

impl fmt::Display for Figure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Figure::Amount(d) => f.write_str(&group_thousands(&d.to_string())),
            Figure::Percent(d) => write!(f, "{}%", group_thousands(&d.to_string())),
            Figure::Count(d) => write!(f, "{}", d.normalize()),
            Figure::Text(s) => f.write_str(s),
        }
    }
}

/// One addend of a failed sum.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Addend {
    pub label: String,
    pub value: Decimal,
}

/// A finding-specific explanation in both languages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Detail {
    pub zh: String,
    pub en: String,
}

/// One thing the validator found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub rule: &'static Rule,
    pub severity: Severity,
    pub place: Place,
    pub location: Location,
    pub expected: Option<Figure>,
    pub actual: Option<Figure>,
    /// actual − expected, for numbers.
    pub difference: Option<Decimal>,
    /// The addends, when a sum fails.
    pub addends: Vec<Addend>,
    /// Whether the difference is within rounding (取整差异).
    pub rounding: bool,
    pub detail: Option<Detail>,
}

impl Finding {
    pub fn new(rule: &'static Rule, place: Place) -> Finding {
        Finding {
            rule,
            severity: rule.severity,
            place,
            location: Location::default(),
            expected: None,
            actual: None,
            difference: None,
            addends: Vec::new(),
            rounding: false,
            detail: None,
        }
    }

    pub fn code(mut self, code: impl Into<String>) -> Finding {
        self.location.code = Some(code.into());
        self
    }

    pub fn name(mut self, name: impl Into<String>) -> Finding {
        self.location.name = Some(name.into());
        self
    }

    pub fn column(mut self, column: impl Into<Cow<'static, str>>) -> Finding {
        self.location.column = Some(column.into());
        self
    }

    /// Expected and printed amounts, with their difference.
    pub fn amounts(mut self, expected: Decimal, actual: Decimal) -> Finding {
        self.expected = Some(Figure::Amount(expected));
        self.actual = Some(Figure::Amount(actual));
        self.difference = Some(actual - expected);
        self
    }

    pub fn figures(mut self, expected: Figure, actual: Figure) -> Finding {
        if let (Figure::Percent(e) | Figure::Count(e), Figure::Percent(a) | Figure::Count(a)) =
            (&expected, &actual)
        {
            self.difference = Some(*a - *e);
        }
        self.expected = Some(expected);
        self.actual = Some(actual);
        self
    }

    pub fn addends(mut self, addends: Vec<Addend>) -> Finding {
        self.addends = addends;
        self
    }

    /// Marks a difference that rounding explains: reported as info.
    pub fn within_rounding(mut self) -> Finding {
        self.rounding = true;
        self.severity = Severity::Info;
        self
    }

    pub fn severity(mut self, severity: Severity) -> Finding {
        self.severity = severity;
        self
    }

    pub fn detail(mut self, zh: impl Into<String>, en: impl Into<String>) -> Finding {
        self.detail = Some(Detail {
            zh: zh.into(),
            en: en.into(),
        });
        self
    }

    /// The message in `lang`, built from this finding's own figures.
    pub fn message(&self, lang: Lang) -> String {
        let mut m = String::new();
        let place = self.place.label(lang);
        let loc = self.location.label();
        let colon = if lang == Lang::Zh { "：" } else { ": " };
        m.push_str(&place);
        if !loc.is_empty() {
            m.push(' ');
            m.push_str(&loc);
        }
        m.push_str(colon);
        if self.rounding {
            m.push_str(if lang == Lang::Zh {
                "取整差异，"
            } else {
                "rounding drift, "
            });
        }
        m.push_str(self.rule.title(lang));
        match (&self.expected, &self.actual, lang) {
            (Some(e), Some(a), Lang::Zh) => {
                let _ = write!(m, "——应为 {e}，实为 {a}");
            }
            (Some(e), Some(a), Lang::En) => {
                let _ = write!(m, " — expected {e}, found {a}");
            }
            (Some(e), None, Lang::Zh) => {
                let _ = write!(m, "——应为 {e}，未列示");
            }
            (Some(e), None, Lang::En) => {
                let _ = write!(m, " — expected {e}, not stated");
            }
            (None, Some(a), Lang::Zh) => {
                let _ = write!(m, "——实为 {a}");
            }
            (None, Some(a), Lang::En) => {
                let _ = write!(m, " — found {a}");
            }
            (None, None, _) => {}
        }
        if let Some(d) = self.difference.filter(|d| !d.is_zero()) {
            let d = group_thousands(&d.abs().to_string());
            let _ = match lang {
                Lang::Zh => write!(m, "，相差 {d}"),
                Lang::En => write!(m, ", difference {d}"),
            };
        }
        if !self.addends.is_empty() && self.addends.len() <= 8 {
            let terms: Vec<String> = self
                .addends
                .iter()
                .map(|a| group_thousands(&a.value.to_string()))
                .collect();
            let _ = match lang {
                Lang::Zh => write!(m, "（{}）", terms.join(" + ")),
                Lang::En => write!(m, " ({})", terms.join(" + ")),
            };
        }
        if self.rounding {
            m.push_str(if lang == Lang::Zh {
                "，在四舍五入误差范围内"
            } else {
                ", within the rounding of the printed figures"
            });
        }
        if let Some(d) = &self.detail {
            m.push_str(if lang == Lang::Zh { "。" } else { ". " });
            m.push_str(if lang == Lang::Zh { &d.zh } else { &d.en });
        }
        m.push_str(if lang == Lang::Zh { "。" } else { "." });
        m
    }

    /// The DESIGN.md JSON form: `{"rule","severity","table","location","expected","actual","message"}`
    /// plus `difference`, `addends`, `row_code`, `row_name`, `column` and `rounding`.
    pub fn to_json(&self, lang: Lang) -> Value {
        let fig = |f: &Option<Figure>| f.as_ref().map_or(Value::Null, |f| Value::String(plain(f)));
        json!({
            "rule": self.rule.id,
            "severity": self.severity.as_str(),
            "table": self.place.label(lang),
            "location": self.location.label(),
            "expected": fig(&self.expected),
            "actual": fig(&self.actual),
            "message": self.message(lang),
            "difference": self.difference.map(|d| d.to_string()),
            "addends": self.addends.iter().map(|a| json!({"label": a.label, "value": a.value.to_string()})).collect::<Vec<_>>(),
            "row_code": self.location.code,
            "row_name": self.location.name,
            "column": self.location.column,
            "page": self.location.page,
            "rounding": self.rounding,
        })
    }
}

/// A figure for machines: plain decimals, no thousands separators.
fn plain(f: &Figure) -> String {
    match f {
        Figure::Amount(d) => d.to_string(),
        Figure::Percent(d) => format!("{d}%"),
        Figure::Count(d) => d.normalize().to_string(),
        Figure::Text(s) => s.clone(),
    }
}
