//! The `budgetflow` command as people and other tools use it: outputs and exit codes
//! (docs/operations.md), one module per area, one test binary.

mod bench;
mod commands;
mod departments;
mod diff;
mod exit;
mod submit;
mod support;
mod workbook;
