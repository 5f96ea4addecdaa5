//! capgap: cybersecurity capacity assessments of critical-infrastructure operators.
//!
//! The pipeline reads left to right: load → validate → score → aggregate → plan →
//! chart → render. Each stage is its own module and takes the previous stage's output
//! type; only `load`, `commands` and `render`'s file writing touch the filesystem.

pub mod aggregate;
pub mod charts;
pub mod cli;
pub mod commands;
pub mod confidential;
pub mod country;
pub mod diag;
pub mod files;
pub mod i18n;
pub mod load;
pub mod model;
pub mod output;
pub mod plan;
pub mod programmes;
pub mod questionnaire;
pub mod render;
pub mod report;
pub mod rounds;
pub mod score;
pub mod text;
pub mod workforce;
