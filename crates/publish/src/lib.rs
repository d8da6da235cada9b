//! # budgetflow-publish
//!
//! Publication of accepted disclosures. **The renderers (HTML site, open data, XLSX) and the
//! portal sink are issue 6 and not built yet**: this crate is the seam where they plug in.
//! Today it holds:
//!
//! - [`directory`]: a sink that writes an artifact into a directory once per key, atomically;
//! - [`stage`] (feature `stage`): the publish stage of the pipeline, which writes the
//!   canonical JSON of each scored document to the output directory and emits
//!   `submission.published` with the artifact's path.

pub mod archive;
pub mod bundle;
pub mod directory;
pub mod html;
pub mod open_data;
pub mod site;
pub mod manifest;
#[cfg(feature = "portal")]
pub mod portal;
#[cfg(feature = "stage")]
pub mod stage;
