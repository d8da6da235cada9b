//! # budgetflow-publish
//!
//! Publication of accepted disclosures: renderers turn a document into a [`bundle::Bundle`] of
//! artifacts, sinks carry bundles to where the public reads them. It holds:
//!
//! - [`html`]: the department's public page, with its charts as inline SVG;
//! - `chrome`: the words around a disclosure (headings, captions, column headers, the
//!   index's labels) in Chinese and English, one table; a page and the index are rendered in
//!   a [`budgetflow_model::Lang`], Chinese by default;
//! - `printed`: what the document's template prints — its tables in printed order and number,
//!   表1's split columns, a 三公 table printed as one row — read by the page and the open data;
//! - [`open_data`]: tables 1–11 as CSV, `datapackage.json` (Fiscal Data Package style) and the
//!   public form of the canonical JSON (classified details withheld);
//! - [`bundle`]: every artifact of one publication, rendered together;
//! - [`leak`]: the last look before writing — every artifact searched for the secrets of the
//!   document's classified projects, the publication refused on any;
//! - [`site`]: the index across departments and years with its per-year roll-up;
//! - [`manifest`]: every artifact's size and hash, and the version derived from them;
//! - [`archive`]: the directory sink — every version kept under
//!   `<code>/<year>/<version>/`, a `current.json` pointer naming the highest submission
//!   version, the site index rebuilt; on [`directory`]'s atomic writes;
//! - [`portal`] (feature `portal`): the HTTP portal sink — one signed, idempotent POST per
//!   publication, bounded retries, typed refusal;
//! - [`stage`] (feature `stage`): the publish stage of the pipeline, which writes each scored
//!   document's bundle to the archive (and the portal) and emits `submission.published` with
//!   where it went.

pub mod archive;
pub mod bundle;
mod chrome;
pub mod directory;
pub mod html;
pub mod leak;
pub mod manifest;
pub mod open_data;
#[cfg(feature = "portal")]
pub mod portal;
mod printed;
pub mod site;
#[cfg(feature = "stage")]
pub mod stage;
