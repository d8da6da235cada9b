//! The open data of a publication: its tables (1–11, or as its template numbers them) as CSV files (`data/table-01.csv` …), the
//! Fiscal Data Package that describes them (`datapackage.json`), and the public form of the
//! canonical JSON (classified details removed). [`crate::bundle::render`] puts them in the
//! bundle beside the page.

mod csv;
pub mod datapackage;
mod redact;
mod tables;

pub use csv::write as csv;
pub use redact::redacted;
pub use tables::{resources, Field, Flow, Resource, Role, Scheme};
