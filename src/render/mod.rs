//! The report renderer: the theme the pages are rendered with (`theme`, templates
//! in `report-templates/`), the template helpers, and printing pages to PDF with a
//! headless Chromium (`pdf`). Rendering turns a view model built by
//! `crate::report` (which owns the view models and the page paths and does not
//! depend on this module) into one self-contained HTML string; it neither
//! computes scores nor writes files (the `report` command does).

pub mod helpers;
pub mod pdf;
pub mod theme;

use anyhow::Result;

pub use crate::report::country::CountryPage;
pub use crate::report::operator::OperatorPage;
pub use crate::report::portfolio::PortfolioPage;
pub use theme::Theme;

/// The HTML of an operator page (`operators/<id>.html`).
pub fn render_operator(theme: &Theme, page: &OperatorPage) -> Result<String> {
    theme.render("operator", "../", page)
}

/// The HTML of a country page (`countries/<CC>.html`).
pub fn render_country(theme: &Theme, page: &CountryPage) -> Result<String> {
    theme.render("country", "../", page)
}

/// The HTML of one practice's text (`practice.hbs`), for `GapDetail::body`.
pub fn render_practice(theme: &Theme, text: &crate::report::view::PracticeText) -> Result<String> {
    theme.render("practice", "../", text)
}

/// Writes an operator page's HTML into `out`.
pub fn write_operator(theme: &Theme, page: &OperatorPage, out: impl std::io::Write) -> Result<()> {
    theme.render_to("operator", "../", page, out)
}

/// Writes a country page's HTML into `out`.
pub fn write_country(theme: &Theme, page: &CountryPage, out: impl std::io::Write) -> Result<()> {
    theme.render_to("country", "../", page, out)
}

/// The HTML of the portfolio page (`index.html`).
pub fn render_portfolio(theme: &Theme, page: &PortfolioPage) -> Result<String> {
    theme.render("portfolio", "", page)
}

#[cfg(test)]
mod tests;
