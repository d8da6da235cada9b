//! # budgetflow-publish
//!
//! Publication of accepted disclosures: renderers turn a document into a [`bundle::Bundle`] of
//! artifacts, sinks carry bundles to where the public reads them. It holds:
//!
//! - [`html`]: the department's public page, with its charts as inline SVG;
//! - [`open_data`]: tables 1–11 as CSV, `datapackage.json` (Fiscal Data Package style) and the
//!   public form of the canonical JSON (classified details withheld);
//! - [`bundle`]: every artifact of one publication, rendered together;
//! - [`site`]: the index across departments and years with its per-year roll-up;
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
