//! # budgetflow-pdf
//!
//! Placeholder: the PDF reader lands with issue 15.
