//! One worksheet as calamine read it, with typed cell readers that turn a wrong cell into an
//! error naming the sheet, the cell (A1), what was expected and what was found.

use budgetflow_model::amount::parse_printed_decimal;
use budgetflow_model::lang::excerpt;
use budgetflow_model::{Amount, EconomicCode, FunctionCode};
use calamine::{Data, Range};
use rust_decimal::Decimal;

use crate::error::{a1, Expected, WorkbookError};

/// A sheet's cells.
pub(crate) struct Grid {
    pub name: String,
    range: Range<Data>,
}

const EMPTY: Data = Data::Empty;

/// A cell shown as found in an error message: text as an excerpt.
fn shown(d: &Data) -> String {
    match d {
        Data::Empty => String::new(),
        Data::String(s) => excerpt(s).into_owned(),
        Data::Float(f) => f.to_string(),
        Data::Int(i) => i.to_string(),
        Data::Bool(b) => b.to_string(),
        Data::DateTime(t) => format!("{}", t.as_f64()),
        Data::DateTimeIso(s) | Data::DurationIso(s) => excerpt(s).into_owned(),
        Data::Error(e) => format!("#{e:?}"),
    }
}

/// The digits of a whole float (`2150502.0` → `2150502`), as a department's number-typed code
/// cell holds them.
fn whole(f: f64) -> Option<String> {
    (f.fract() == 0.0 && f.abs() < 1e15).then(|| format!("{}", f as i64))
}

impl Grid {
    pub fn new(name: &str, range: Range<Data>) -> Grid {
        Grid {
            name: name.to_string(),
            range,
        }
    }

    /// One past the last row with a cell.
    pub fn rows(&self) -> u32 {
        self.range.end().map(|(r, _)| r + 1).unwrap_or(0)
    }

    /// One past the last column with a cell.
    pub fn cols(&self) -> u32 {
        self.range.end().map(|(_, c)| c + 1).unwrap_or(0)
    }

    pub fn cell(&self, row: u32, col: u32) -> &Data {
        self.range.get_value((row, col)).unwrap_or(&EMPTY)
    }

    pub fn err(&self, row: u32, col: u32, expected: Expected) -> WorkbookError {
        WorkbookError::Cell {
            sheet: self.name.clone(),
            cell: a1(row, col),
            expected,
            found: shown(self.cell(row, col)),
        }
    }

    /// Whether every cell of `row` in columns `0..cols` is blank.
    pub fn blank_row(&self, row: u32, cols: u32) -> bool {
        (0..cols).all(|c| match self.cell(row, c) {
            Data::Empty => true,
            Data::String(s) => s.trim().is_empty(),
            _ => false,
        })
    }

    /// The text of a cell as written (a number typed into a text column reads as its digits).
    pub fn text(&self, row: u32, col: u32) -> Result<String, WorkbookError> {
        match self.cell(row, col) {
            Data::Empty => Ok(String::new()),
            Data::String(s) => Ok(s.clone()),
            Data::Int(i) => Ok(i.to_string()),
            Data::Float(f) => Ok(f.to_string()),
            _ => Err(self.err(row, col, Expected::TextCell)),
        }
    }

    /// Text that the text layout prints as one line or one cell of a row: a tab or line break
    /// would split it, so it is an error here, at its cell.
    pub fn line(&self, row: u32, col: u32) -> Result<String, WorkbookError> {
        let t = self.text(row, col)?;
        if t.contains(['\t', '\n', '\r']) {
            return Err(self.err(row, col, Expected::SingleLine));
        }
        Ok(t)
    }

    /// [`Grid::line`], `None` when blank.
    pub fn optional_line(&self, row: u32, col: u32) -> Result<Option<String>, WorkbookError> {
        let t = self.line(row, col)?;
        Ok((!t.trim().is_empty()).then_some(t))
    }

    /// Trimmed text.
    pub fn trimmed(&self, row: u32, col: u32) -> Result<String, WorkbookError> {
        Ok(self.text(row, col)?.trim().to_string())
    }

    /// Text, `None` when blank.
    pub fn optional(&self, row: u32, col: u32) -> Result<Option<String>, WorkbookError> {
        let t = self.text(row, col)?;
        Ok((!t.trim().is_empty()).then_some(t))
    }

    /// A decimal number: a number cell, or text in the printed form (`5,058.98`, keeping its
    /// scale). `None` when blank.
    pub fn decimal(
        &self,
        row: u32,
        col: u32,
        expected: Expected,
    ) -> Result<Option<Decimal>, WorkbookError> {
        match self.cell(row, col) {
            Data::Empty => Ok(None),
            Data::Int(i) => Ok(Some(Decimal::from(*i))),
            Data::Float(f) if f.is_finite() => format!("{f}")
                .parse::<Decimal>()
                .map(Some)
                .map_err(|_| self.err(row, col, expected)),
            Data::String(s) if s.trim().is_empty() => Ok(None),
            Data::String(s) => parse_printed_decimal(s)
                .map(Some)
                .map_err(|_| self.err(row, col, expected)),
            _ => Err(self.err(row, col, expected)),
        }
    }

    /// An amount. A number cell reads with at least two decimals (the `#,##0.00` the cell
    /// shows); a text cell keeps the digits it prints.
    pub fn amount(&self, row: u32, col: u32) -> Result<Option<Amount>, WorkbookError> {
        let numeric = matches!(self.cell(row, col), Data::Int(_) | Data::Float(_));
        Ok(self.decimal(row, col, Expected::Amount)?.map(|mut d| {
            if numeric && d.scale() < 2 {
                d.rescale(2);
            }
            Amount::new(d)
        }))
    }

    /// A whole number (`None` when blank).
    pub fn whole(&self, row: u32, col: u32) -> Result<Option<u32>, WorkbookError> {
        match self.decimal(row, col, Expected::WholeNumber)? {
            None => Ok(None),
            Some(d) => {
                let n = d.normalize();
                if n.scale() == 0 && n >= Decimal::ZERO && n <= Decimal::from(u32::MAX) {
                    Ok(Some(n.mantissa() as u32))
                } else {
                    Err(self.err(row, col, Expected::WholeNumber))
                }
            }
        }
    }

    /// The digits of a code cell (text, or a whole number if the cell was typed as one).
    fn code_text(
        &self,
        row: u32,
        col: u32,
        expected: Expected,
    ) -> Result<Option<String>, WorkbookError> {
        match self.cell(row, col) {
            Data::Empty => Ok(None),
            Data::String(s) if s.trim().is_empty() => Ok(None),
            Data::String(s) => Ok(Some(s.trim().to_string())),
            Data::Int(i) => Ok(Some(i.to_string())),
            Data::Float(f) => whole(*f)
                .map(Some)
                .ok_or_else(|| self.err(row, col, expected)),
            _ => Err(self.err(row, col, expected)),
        }
    }

    pub fn function_code(&self, row: u32, col: u32) -> Result<Option<FunctionCode>, WorkbookError> {
        self.code_text(row, col, Expected::FunctionCode)?
            .map(|t| {
                t.parse()
                    .map_err(|_| self.err(row, col, Expected::FunctionCode))
            })
            .transpose()
    }

    pub fn economic_code(&self, row: u32, col: u32) -> Result<Option<EconomicCode>, WorkbookError> {
        self.code_text(row, col, Expected::EconomicCode)?
            .map(|t| {
                t.parse()
                    .map_err(|_| self.err(row, col, Expected::EconomicCode))
            })
            .transpose()
    }

    /// A date cell, or text `2025-01-20` / `2025年1月20日`.
    pub fn date(&self, row: u32, col: u32) -> Result<Option<chrono::NaiveDate>, WorkbookError> {
        let bad = || self.err(row, col, Expected::Date);
        match self.cell(row, col) {
            Data::Empty => Ok(None),
            Data::DateTime(t) => {
                let base = chrono::NaiveDate::from_ymd_opt(1899, 12, 30).ok_or_else(bad)?;
                let days = t.as_f64().floor();
                if !(0.0..3_000_000.0).contains(&days) {
                    return Err(bad());
                }
                base.checked_add_days(chrono::Days::new(days as u64))
                    .map(Some)
                    .ok_or_else(bad)
            }
            Data::DateTimeIso(s) => {
                chrono::NaiveDate::parse_from_str(s.get(..10).unwrap_or(s), "%Y-%m-%d")
                    .map(Some)
                    .map_err(|_| bad())
            }
            Data::String(s) if s.trim().is_empty() => Ok(None),
            Data::String(s) => {
                let t: String = s.chars().filter(|c| !c.is_whitespace()).collect();
                chrono::NaiveDate::parse_from_str(&t, "%Y-%m-%d")
                    .or_else(|_| chrono::NaiveDate::parse_from_str(&t, "%Y年%m月%d日"))
                    .map(Some)
                    .map_err(|_| bad())
            }
            _ => Err(bad()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn grid(cells: &[((u32, u32), Data)]) -> Grid {
        let end = cells
            .iter()
            .fold((0, 0), |(r, c), ((r2, c2), _)| (r.max(*r2), c.max(*c2)));
        let mut range = Range::new((0, 0), end);
        for (pos, d) in cells {
            range.set_value(*pos, d.clone());
        }
        Grid::new("表2", range)
    }

    #[test]
    fn amounts_keep_two_decimals_from_numbers_and_the_printed_scale_from_text() {
        let g = grid(&[
            ((0, 0), Data::Float(5058.98)),
            ((0, 1), Data::Float(500.0)),
            ((0, 2), Data::String("1,000".into())),
            ((0, 3), Data::String("一百".into())),
            ((0, 4), Data::Bool(true)),
        ]);
        assert_eq!(g.amount(0, 0).unwrap().unwrap().to_string(), "5058.98");
        assert_eq!(g.amount(0, 1).unwrap().unwrap().to_string(), "500.00");
        assert_eq!(g.amount(0, 2).unwrap().unwrap().to_string(), "1000");
        assert_eq!(g.amount(0, 5).unwrap(), None);
        let e = g.amount(0, 3).unwrap_err();
        assert!(
            e.to_string()
                .contains("sheet `表2` cell D1: expected an amount"),
            "{e}"
        );
        assert!(e.to_string().contains("found `一百`"), "{e}");
        assert!(g.amount(0, 4).is_err());
    }

    #[test]
    fn codes_typed_as_numbers_read_as_their_digits() {
        let g = grid(&[
            ((0, 0), Data::Float(2150502.0)),
            ((0, 1), Data::String("21505".into())),
            ((0, 2), Data::String("21A".into())),
        ]);
        assert_eq!(g.function_code(0, 0).unwrap().unwrap().as_str(), "2150502");
        assert_eq!(g.function_code(0, 1).unwrap().unwrap().as_str(), "21505");
        assert!(g
            .function_code(0, 2)
            .unwrap_err()
            .to_string()
            .contains("cell C1"));
    }

    #[test]
    fn dates_from_text_in_either_form() {
        let g = grid(&[
            ((0, 0), Data::String("2025-01-20".into())),
            ((0, 1), Data::String("2025年1月20日".into())),
            ((0, 2), Data::String("明天".into())),
        ]);
        let d = chrono::NaiveDate::from_ymd_opt(2025, 1, 20);
        assert_eq!(g.date(0, 0).unwrap(), d);
        assert_eq!(g.date(0, 1).unwrap(), d);
        assert!(g.date(0, 2).is_err());
    }
}
