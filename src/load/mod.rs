//! Loading: bytes → text → the positioned YAML tree (`tree.rs`, or the fast reader
//! `fast.rs` for the common questionnaire shape) → validated types plus every
//! diagnostic (`check.rs` helpers, one pass per file). A workbook (`xlsx.rs`) is
//! read into the same tree, its positions cells, and checked by the same pass. The only stage that reads
//! input files; everything after it works on validated types and never re-checks.

mod check;
#[cfg(test)]
mod differential;
pub mod fast;
mod model;
mod programmes;
mod questionnaire;
mod regions;
pub mod schema;
pub mod tree;
pub mod walk;
pub mod xlsx;
pub mod yaml;

pub use model::load_model;
pub use programmes::{LoadedProgrammes, RunOperators, load_programmes};
pub use questionnaire::{FIELDS as QUESTIONNAIRE_FIELDS, Loaded, load_questionnaire, parse_only};
pub use regions::{Region, load_regions};

/// The default model, compiled in.
pub const DEFAULT_MODEL: &str = include_str!("../../questionnaires/model.yaml");
/// The default country groups, compiled in.
pub const DEFAULT_REGIONS: &str = include_str!("../../questionnaires/regions.yaml");
