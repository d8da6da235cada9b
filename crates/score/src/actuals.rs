//! The actuals report (完成情况): per project, each indicator's achieved value (完成值, by its
//! 三级指标 name) and the budget execution (全年执行数, 全年预算数). Read from JSON or CSV;
//! both formats are documented in `docs/scoring.md`.
//!
//! Reading only checks the shape of the file. Whether the values fit the targets (units,
//! names, missing rows, a negative execution) is checked when scoring, against the document
//! ([`crate::achievement`]), where the project and indicator can be named.

use std::path::Path;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use budgetflow_model::amount::parse_printed_decimal;

/// The name of the CSV row that carries a project's budget execution.
pub const EXECUTION_ROW: &str = "预算执行率";

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
    #[error("actuals report (JSON): {0}")]
    Json(#[from] serde_json::Error),
    #[error("actuals report (CSV): {0}")]
    Csv(#[from] csv::Error),
    #[error("actuals report (CSV) line {line}: {reason}")]
    CsvRow { line: u64, reason: String },
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

impl ActualsReport {
    pub fn from_json(text: &str) -> Result<ActualsReport, ActualsError> {
        Ok(serde_json::from_str(text)?)
    }

    /// Reads the CSV form: header `project,indicator,achieved,executed,budget`; one row per
    /// indicator (`achieved` filled) and one `预算执行率` row per project (`executed` and
    /// `budget` filled). Projects keep the order of their first row.
    pub fn from_csv(text: &str) -> Result<ActualsReport, ActualsError> {
        let mut reader = csv::ReaderBuilder::new()
            .trim(csv::Trim::All)
            .from_reader(text.as_bytes());
        let mut report = ActualsReport::default();
        let headers = reader.headers()?.clone();
        for row in reader.records() {
            let row = row?;
            let line = row.position().map_or(0, |p| p.line());
            let record: CsvRecord = row.deserialize(Some(&headers))?;
            let at = match report
                .projects
                .iter()
                .position(|p| p.project == record.project)
            {
                Some(at) => at,
                None => {
                    report.projects.push(ProjectActuals {
                        project: record.project.clone(),
                        execution: None,
                        indicators: Vec::new(),
                    });
                    report.projects.len() - 1
                }
            };
            let project = &mut report.projects[at];
            if record.indicator == EXECUTION_ROW {
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
                project.indicators.push(AchievedValue {
                    indicator: record.indicator,
                    achieved: record.achieved.filter(|s| !s.is_empty()),
                });
            }
        }
        Ok(report)
    }

    /// Reads a file: `.csv` as CSV, anything else as JSON.
    pub fn read_path(path: &Path) -> Result<ActualsReport, ActualsError> {
        let text = std::fs::read_to_string(path).map_err(|source| ActualsError::Io {
            path: path.display().to_string(),
            source,
        })?;
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
