//! Classification catalogs shipped as data files (`data/*-YEAR.tsv`).
//!
//! The authority is the yearly 《政府收支分类科目》, which changes every year, so the catalog is
//! data, keyed by fiscal year, and every entry records where it was seen (`sample` entries are
//! verified against a real disclosure). A code missing from the catalog is a warning for the
//! validator, never a parse failure.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

use crate::codes::{EconomicCode, FiscalYear, FunctionCode};

/// Where a catalog entry was confirmed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Provenance {
    /// Seen in the bundled real disclosure.
    Sample,
    /// Seen in Shanghai district budgets.
    Shanghai,
    /// Seen in a third-party document or public classification list.
    Listed,
    /// Not confirmed by any public source.
    Unverified,
}

impl Provenance {
    fn parse(s: &str) -> Provenance {
        match s {
            "sample" => Provenance::Sample,
            "shanghai" => Provenance::Shanghai,
            "shanghai-2026" | "listed" => Provenance::Listed,
            _ => Provenance::Unverified,
        }
    }

    pub fn is_verified(self) -> bool {
        matches!(self, Provenance::Sample | Provenance::Shanghai)
    }
}

/// One catalog line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry<C> {
    pub code: C,
    pub name: &'static str,
    pub provenance: Provenance,
}

/// The hasher of the catalog maps: FxHash (rustc's), a multiply and a rotate per word. The
/// keys are a few digit bytes from shipped data, so SipHash's protection against chosen keys
/// buys nothing here and costs most of a lookup.
#[derive(Default)]
struct CodeHasher(u64);

impl Hasher for CodeHasher {
    fn write(&mut self, bytes: &[u8]) {
        for chunk in bytes.chunks(8) {
            let mut word = [0u8; 8];
            word[..chunk.len()].copy_from_slice(chunk);
            self.write_u64(u64::from_le_bytes(word));
        }
    }

    fn write_u8(&mut self, i: u8) {
        self.write_u64(u64::from(i));
    }

    fn write_usize(&mut self, i: usize) {
        self.write_u64(i as u64);
    }

    fn write_u64(&mut self, i: u64) {
        self.0 = (self.0.rotate_left(5) ^ i).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

/// A catalog map keyed by code.
type CodeMap<K, V> = HashMap<K, V, BuildHasherDefault<CodeHasher>>;

/// The functional and economic catalogs of one fiscal year.
#[derive(Debug)]
pub struct Catalog {
    pub year: FiscalYear,
    functions: CodeMap<FunctionCode, Entry<FunctionCode>>,
    function_order: Vec<FunctionCode>,
    /// The functional codes carrying each name, in file order: a row printed by name alone is
    /// looked up here, not by a scan of the whole catalog.
    functions_named: HashMap<&'static str, Vec<FunctionCode>>,
    economics: CodeMap<EconomicCode, Entry<EconomicCode>>,
}

const FUNCTION_2025: &str = include_str!("../data/function-2025.tsv");
const ECONOMIC_2025: &str = include_str!("../data/economic-2025.tsv");

impl Catalog {
    /// The catalog for `year`. Years without their own data fall back to the nearest
    /// shipped year (2025), which is what a reviewer would consult.
    pub fn for_year(year: FiscalYear) -> &'static Catalog {
        static C2025: OnceLock<Catalog> = OnceLock::new();
        let _ = year;
        C2025.get_or_init(|| {
            Catalog::from_tsv(
                FiscalYear::new(2025).expect("2025 is a valid year"),
                FUNCTION_2025,
                ECONOMIC_2025,
            )
        })
    }

    fn from_tsv(year: FiscalYear, functions: &'static str, economics: &'static str) -> Catalog {
        let mut function_map = CodeMap::default();
        let mut function_order = Vec::new();
        for (code, name, prov) in rows(functions) {
            let code: FunctionCode = code
                .parse()
                .expect("shipped function catalog has valid codes");
            function_order.push(code);
            function_map.insert(
                code,
                Entry {
                    code,
                    name,
                    provenance: Provenance::parse(prov),
                },
            );
        }
        let mut economic_map = CodeMap::default();
        for (code, name, prov) in rows(economics) {
            let code: EconomicCode = code
                .parse()
                .expect("shipped economic catalog has valid codes");
            economic_map.insert(
                code,
                Entry {
                    code,
                    name,
                    provenance: Provenance::parse(prov),
                },
            );
        }
        let mut functions_named: HashMap<&'static str, Vec<FunctionCode>> = HashMap::new();
        for code in &function_order {
            functions_named
                .entry(function_map[code].name)
                .or_default()
                .push(*code);
        }
        Catalog {
            year,
            functions: function_map,
            function_order,
            functions_named,
            economics: economic_map,
        }
    }

    pub fn function(&self, code: &FunctionCode) -> Option<&Entry<FunctionCode>> {
        self.functions.get(code)
    }

    pub fn economic(&self, code: &EconomicCode) -> Option<&Entry<EconomicCode>> {
        self.economics.get(code)
    }

    /// All 类 (function classes) in catalog order: the fixed right-hand rows of 表1 and 表4.
    pub fn function_classes(&self) -> impl Iterator<Item = &Entry<FunctionCode>> {
        self.function_order
            .iter()
            .filter(|c| c.level() == crate::codes::FunctionLevel::Class)
            .filter_map(|c| self.functions.get(c))
    }

    /// The function class whose name is exactly `name` (a 类 row printed without its code).
    pub fn function_class_named(&self, name: &str) -> Option<FunctionCode> {
        self.functions_named(name)
            .find(|c| c.level() == crate::codes::FunctionLevel::Class)
    }

    /// The functional codes named `name`, in file order.
    fn functions_named(&self, name: &str) -> impl Iterator<Item = FunctionCode> + '_ {
        self.functions_named
            .get(name)
            .into_iter()
            .flatten()
            .copied()
    }

    /// The 款 under `class` whose name is `name` (a 款 row printed as `215 工业和信息产业`).
    pub fn kuan_named(&self, class: &FunctionCode, name: &str) -> Option<FunctionCode> {
        self.functions_named(name)
            .find(|c| c.level() == crate::codes::FunctionLevel::Kuan && c.is_within(class))
    }

    /// Every functional code of the catalog, in file order.
    pub fn functions(&self) -> impl Iterator<Item = &Entry<FunctionCode>> {
        self.function_order
            .iter()
            .filter_map(|c| self.functions.get(c))
    }

    /// Every economic code of the catalog.
    pub fn economics(&self) -> impl Iterator<Item = &Entry<EconomicCode>> {
        self.economics.values()
    }
}

fn rows(tsv: &'static str) -> impl Iterator<Item = (&'static str, &'static str, &'static str)> {
    tsv.lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(|l| {
            let mut parts = l.split('\t');
            let code = parts.next().unwrap_or("");
            let name = parts.next().unwrap_or("");
            let prov = parts.next().unwrap_or("unverified");
            (code, name, prov)
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn catalog() -> &'static Catalog {
        Catalog::for_year(FiscalYear::new(2025).unwrap())
    }

    #[test]
    fn has_all_29_classes_in_order() {
        let classes: Vec<_> = catalog()
            .function_classes()
            .map(|e| e.code.to_string())
            .collect();
        assert_eq!(classes.len(), 29);
        assert_eq!(classes.first().map(String::as_str), Some("201"));
        assert_eq!(classes.last().map(String::as_str), Some("233"));
        assert!(!classes
            .iter()
            .any(|c| c == "218" || c == "225" || c == "226" || c == "228"));
    }

    #[test]
    fn looks_up_sample_codes() {
        let c = catalog();
        let tests: &[(&str, &str)] = &[
            ("2150502", "一般行政管理事务"),
            ("2159904", "技术改造支出"),
            ("206", "科学技术支出"),
        ];
        for (code, name) in tests {
            let e = c.function(&code.parse().unwrap()).unwrap();
            assert_eq!(e.name, *name);
            assert_eq!(e.provenance, Provenance::Sample);
        }
        assert_eq!(
            c.economic(&"30217".parse().unwrap()).unwrap().name,
            "公务接待费"
        );
        assert!(c.function(&"2159999".parse().unwrap()).is_none());
    }

    #[test]
    fn resolves_names_printed_without_codes() {
        let c = catalog();
        assert_eq!(
            c.function_class_named("资源勘探工业信息等支出")
                .unwrap()
                .as_str(),
            "215"
        );
        assert_eq!(
            c.kuan_named(&"215".parse().unwrap(), "工业和信息产业")
                .unwrap()
                .as_str(),
            "21505"
        );
        assert!(c
            .kuan_named(&"206".parse().unwrap(), "工业和信息产业")
            .is_none());
    }
}
