//! Integration tests of the validator on the real sample, on the real Shanghai PDFs, on
//! single-fault variants of them and on synthetic documents.

mod diff;
mod faults;
mod leaks;
mod sample;
mod shanghai;
mod support;
mod synth_properties;
mod year_over_year;
mod year_pairs;
