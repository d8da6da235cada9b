//! Integration tests of the validator on the real sample, on single-fault variants of it and on
//! synthetic documents.

mod faults;
mod leaks;
mod sample;
mod support;
mod synth_properties;
