//! capgap's integration tests: one binary, one module per feature, each with its
//! fixture folder under `tests/testsuite/fixtures/<feature>/`. Tests run the real
//! binary (assert_cmd) on real files. See `tests/testsuite/README.md`.

mod support;

mod bench_corpus;
mod cli;
mod data_files;
mod i18n;
mod lsp;
mod model_content;
mod outputs;
mod plan;
mod programmes;
mod readme;
mod report;
mod schema;
mod score;
mod template;
mod validate;
mod workforce;
mod xlsx;
