//! The actuals report (完成情况): per project, each indicator's achieved value (完成值, by its
//! 三级指标 name) and the budget execution (全年执行数, 全年预算数). Read from JSON or CSV;
//! both formats are documented in `docs/scoring.md`.
//!
//! Reading checks the shape of the file, its limits and that no project is listed twice.
//! Whether the values fit the targets (units, names, missing rows, a negative execution) is
//! checked when scoring, against the document ([`crate::achievement`]), where the project and
//! indicator can be named.
//!
//! ## Limits
//!
//! A report is a few kilobytes: a department's projects, about ten indicators each. A file
//! over [`MAX_BYTES`] is refused before it is read; the report read is then held to
//! [`MAX_PROJECTS`], [`MAX_INDICATORS`] per project and [`MAX_TEXT_CHARS`] per name or value,
//! each refusal naming the place (`projects[3].indicators[2].achieved`, or the CSV line).
//! Messages quote at most an excerpt of a value.
//!
//! ## A project listed twice
//!
//! Two entries for the same project (the same name, spaces ignored, as scoring matches names)
//! would give two scorecards for one project. In JSON that is two `projects` entries; in CSV,
//! whose rows are grouped by their exact `project` text, a second spelling of a name already
//! seen, or a second `预算执行率` row. Each is refused naming both places.

use std::collections::HashMap;
use std::io::Read;
use std::path::Path;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use budgetflow_model::amount::parse_printed_decimal;
use budgetflow_model::lang::excerpt;
use budgetflow_model::names::name_key;

/// The name of the CSV row that carries a project's budget execution.
pub const EXECUTION_ROW: &str = "预算执行率";

/// The largest report file read (a real one is a few kilobytes).
pub const MAX_BYTES: u64 = 1024 * 1024;
/// Projects in a report (a department has dozens).
pub const MAX_PROJECTS: usize = 1_000;
/// Indicators of one project (a target table has about ten).
pub const MAX_INDICATORS: usize = 200;
/// Characters of a project name, an indicator name or an achieved value.
pub const MAX_TEXT_CHARS: usize = 500;

/// A year-end actuals report.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct ActualsReport {
    pub projects: Vec<ProjectActuals>,
}

/// What one project achieved.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProjectActuals {
    /// 项目名称, as in the target table (spaces ignored when matching).
    pub project: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub execution: Option<Execution>,
    #[serde(default)]
    pub indicators: Vec<AchievedValue>,
}

/// 预算执行: 全年执行数 and 全年预算数, in the same unit (万元 in practice).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Execution {
    pub executed: Decimal,
    pub budget: Decimal,
}

/// One indicator's achieved value: a number with the target's unit (`52家`, `95%`), or for
/// 按评判等级赋分 a band (`达成`, `部分达成 70%`, `未达成`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AchievedValue {
    /// 三级指标 name.
    pub indicator: String,
    /// `None` or blank: missing (an error when scoring).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub achieved: Option<String>,
}

/// Why an actuals report could not be read.
#[derive(Debug, thiserror::Error)]
pub enum ActualsError {
    #[error("cannot read actuals report {path}: {source}")]
    Io {
        path: String,
        source: std::io::Error,
    },
    #[error("actuals report is {size} bytes, larger than the {limit}-byte limit")]
    TooLarge { size: u64, limit: u64 },
    #[error("actuals report (JSON): {}", bounded(.0))]
    Json(#[from] serde_json::Error),
    #[error("actuals report (CSV): {}", bounded(.0))]
    Csv(#[from] csv::Error),
    #[error("actuals report (CSV) line {line}: {reason}")]
    CsvRow { line: u64, reason: String },
    #[error("actuals report, {place}: {what}")]
    Limit { place: String, what: String },
    #[error("actuals report: project `{project}` is listed twice, at {first} and at {second}")]
    DuplicateProject {
        project: String,
        first: String,
        second: String,
    },
    #[error("actuals report (CSV): project `{project}` has two {EXECUTION_ROW} rows, at line {first} and at line {second}")]
    DuplicateExecution {
        project: String,
        first: u64,
        second: u64,
    },
}

/// A parser's message cut to 128 characters (serde quotes a value of the wrong type whole).
fn bounded(e: &impl std::fmt::Display) -> String {
    let message = e.to_string();
    match message.char_indices().nth(128) {
        None => message,
        Some((at, _)) => format!("{}…", &message[..at]),
    }
}

/// `text` within [`MAX_TEXT_CHARS`], or the error naming `place`.
fn short(text: &str, place: impl FnOnce() -> String) -> Result<(), ActualsError> {
    if text.chars().nth(MAX_TEXT_CHARS).is_some() {
        return Err(ActualsError::Limit {
            place: place(),
            what: format!(
                "`{}` is longer than {MAX_TEXT_CHARS} characters",
                excerpt(text)
            ),
        });
    }
    Ok(())
}

#[derive(Deserialize)]
struct CsvRecord {
    project: String,
    indicator: String,
    #[serde(default)]
    achieved: Option<String>,
    #[serde(default)]
    executed: Option<String>,
    #[serde(default)]
    budget: Option<String>,
}

/// `text` within [`MAX_BYTES`].
fn not_too_large(size: u64) -> Result<(), ActualsError> {
    if size > MAX_BYTES {
        return Err(ActualsError::TooLarge {
            size,
            limit: MAX_BYTES,
        });
    }
    Ok(())
}

impl ActualsReport {
    pub fn from_json(text: &str) -> Result<ActualsReport, ActualsError> {
        not_too_large(text.len() as u64)?;
        let report: ActualsReport = serde_json::from_str(text)?;
        if report.projects.len() > MAX_PROJECTS {
            return Err(ActualsError::Limit {
                place: format!("projects[{MAX_PROJECTS}]"),
                what: format!("more than {MAX_PROJECTS} projects"),
            });
        }
        let mut seen: HashMap<String, usize> = HashMap::new();
        for (i, p) in report.projects.iter().enumerate() {
            short(&p.project, || format!("projects[{i}].project"))?;
            if p.indicators.len() > MAX_INDICATORS {
                return Err(ActualsError::Limit {
                    place: format!("projects[{i}].indicators[{MAX_INDICATORS}]"),
                    what: format!("more than {MAX_INDICATORS} indicators in a project"),
                });
            }
            for (k, v) in p.indicators.iter().enumerate() {
                short(&v.indicator, || {
                    format!("projects[{i}].indicators[{k}].indicator")
                })?;
                if let Some(a) = &v.achieved {
                    short(a, || format!("projects[{i}].indicators[{k}].achieved"))?;
                }
            }
            if let Some(first) = seen.insert(name_key(&p.project).into_owned(), i) {
                return Err(ActualsError::DuplicateProject {
                    project: excerpt(&p.project).into_owned(),
                    first: format!("projects[{first}]"),
                    second: format!("projects[{i}]"),
                });
            }
        }
        Ok(report)
    }

    /// Reads the CSV form: header `project,indicator,achieved,executed,budget`; one row per
    /// indicator (`achieved` filled) and one `预算执行率` row per project (`executed` and
    /// `budget` filled). Projects keep the order of their first row.
    pub fn from_csv(text: &str) -> Result<ActualsReport, ActualsError> {
        not_too_large(text.len() as u64)?;
        let mut reader = csv::ReaderBuilder::new()
            .trim(csv::Trim::All)
            .from_reader(text.as_bytes());
        let mut report = ActualsReport::default();
        // per project: its first line, and the line of its 预算执行率 row
        let mut lines: Vec<(u64, Option<u64>)> = Vec::new();
        // each spelling of a name, and each name's key (`name_key`: spaces and quote marks
        // ignored, brackets of either width alike), to its project
        let mut exact: HashMap<String, usize> = HashMap::new();
        let mut keys: HashMap<String, usize> = HashMap::new();
        let headers = reader.headers()?.clone();
        for row in reader.records() {
            let row = row?;
            let line = row.position().map_or(0, |p| p.line());
            let place = || format!("line {line}");
            let record: CsvRecord = row.deserialize(Some(&headers))?;
            for field in [&record.project, &record.indicator]
                .into_iter()
                .chain(record.achieved.as_ref())
            {
                short(field, place)?;
            }
            let at = match exact.get(&record.project) {
                Some(at) => *at,
                None => {
                    let key = name_key(&record.project).into_owned();
                    if let Some(&first) = keys.get(&key) {
                        return Err(ActualsError::DuplicateProject {
                            project: excerpt(&record.project).into_owned(),
                            first: format!("line {}", lines[first].0),
                            second: place(),
                        });
                    }
                    if report.projects.len() == MAX_PROJECTS {
                        return Err(ActualsError::Limit {
                            place: place(),
                            what: format!("more than {MAX_PROJECTS} projects"),
                        });
                    }
                    let at = report.projects.len();
                    report.projects.push(ProjectActuals {
                        project: record.project.clone(),
                        execution: None,
                        indicators: Vec::new(),
                    });
                    lines.push((line, None));
                    exact.insert(record.project.clone(), at);
                    keys.insert(key, at);
                    at
                }
            };
            let project = &mut report.projects[at];
            if record.indicator == EXECUTION_ROW {
                if let Some(first) = lines[at].1.replace(line) {
                    return Err(ActualsError::DuplicateExecution {
                        project: excerpt(&record.project).into_owned(),
                        first,
                        second: line,
                    });
                }
                let number = |field: Option<String>, name: &str| {
                    let text =
                        field
                            .filter(|s| !s.is_empty())
                            .ok_or_else(|| ActualsError::CsvRow {
                                line,
                                reason: format!("{EXECUTION_ROW} row without `{name}`"),
                            })?;
                    parse_printed_decimal(&text).map_err(|e| ActualsError::CsvRow {
                        line,
                        reason: format!("`{name}`: {e}"),
                    })
                };
                project.execution = Some(Execution {
                    executed: number(record.executed, "executed")?,
                    budget: number(record.budget, "budget")?,
                });
            } else {
                if project.indicators.len() == MAX_INDICATORS {
                    return Err(ActualsError::Limit {
                        place: place(),
                        what: format!("more than {MAX_INDICATORS} indicators in a project"),
                    });
                }
                project.indicators.push(AchievedValue {
                    indicator: record.indicator,
                    achieved: record.achieved.filter(|s| !s.is_empty()),
                });
            }
        }
        Ok(report)
    }

    /// Reads a file: `.csv` as CSV, anything else as JSON. A file over [`MAX_BYTES`] is
    /// refused before it is read.
    pub fn read_path(path: &Path) -> Result<ActualsReport, ActualsError> {
        let io = |source| ActualsError::Io {
            path: path.display().to_string(),
            source,
        };
        not_too_large(std::fs::metadata(path).map_err(io)?.len())?;
        let mut text = String::new();
        std::fs::File::open(path)
            .map_err(io)?
            .take(MAX_BYTES + 1)
            .read_to_string(&mut text)
            .map_err(io)?;
        let is_csv = path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("csv"));
        if is_csv {
            ActualsReport::from_csv(&text)
        } else {
            ActualsReport::from_json(&text)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_and_csv_read_to_the_same_report() {
        let json = r#"{"projects":[{"project":"P","execution":{"executed":"9.5","budget":"10"},
            "indicators":[{"indicator":"A","achieved":"3次"},{"indicator":"B","achieved":"达成"},
            {"indicator":"C"}]}]}"#;
        let csv = "project,indicator,achieved,executed,budget\n\
                   P,A,3次,,\nP,预算执行率,,9.5,10\nP,B,达成,,\nP,C,,,\n";
        let from_json = ActualsReport::from_json(json).unwrap();
        let from_csv = ActualsReport::from_csv(csv).unwrap();
        assert_eq!(from_json, from_csv);
        assert_eq!(from_csv.projects[0].indicators[2].achieved, None);
    }

    #[test]
    fn a_csv_execution_row_needs_both_numbers() {
        let csv = "project,indicator,achieved,executed,budget\nP,预算执行率,,9.5,\n";
        let err = ActualsReport::from_csv(csv).unwrap_err();
        assert!(err.to_string().contains("budget"), "{err}");
    }
}
