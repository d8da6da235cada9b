//! The text export of a disclosure (the layout of `samples/urumqi-miit-2025.txt`).
//!
//! Reading goes part by part — cover, table of contents (skipped: it is regenerated on
//! writing), 第一部分 overview, 第二部分 tables, 第三部分 explanations, 第四部分 glossary — and
//! identifies every table and section by its title, never by position. Writing produces the same
//! layout, so that `read(write(doc)) == doc` for any document the reader produced.

mod lines;
pub(crate) mod other_matters;
pub(crate) mod overview;
pub(crate) mod projects;
mod read;
pub mod reads_back;
mod scan;
mod sections;
pub mod statements;
mod tables;
mod targets;
mod write;

pub use read::{read, read_str};
pub use write::write;
