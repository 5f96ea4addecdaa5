//! The report renderer: view models of the pages (`pages`), the theme they are
//! rendered with (`theme`, templates in `report-templates/`), the template
//! helpers, and printing pages to PDF with a headless Chromium (`pdf`). Rendering
//! turns a view model into one self-contained HTML string; it neither computes
//! scores nor writes files (the `report` command does). The page files' names
//! come from `operator_page_path` and `country_page_path`, which never leave
//! their folder whatever the id.

pub mod helpers;
pub mod pages;
pub mod pdf;
pub mod theme;

use anyhow::Result;

pub use pages::{CountryPage, OperatorPage, PortfolioPage};
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
pub fn render_practice(theme: &Theme, text: &pages::PracticeText) -> Result<String> {
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

/// The path of an operator's page from the report root: `operators/<stem>.html`.
pub fn operator_page_path(operator_id: &str) -> String {
    format!("operators/{}.html", safe_file_stem(operator_id))
}

/// The path of a country's page from the report root: `countries/<CC>.html`.
pub fn country_page_path(country_code: &str) -> String {
    format!("countries/{}.html", safe_file_stem(country_code))
}

/// A file name stem that is safe on every platform and cannot leave its folder:
/// only `[A-Za-z0-9._-]`, no leading dot, no `..`, not a Windows device name, at
/// most 80 bytes. An id that already is one is kept as it is; any other is mapped
/// (other characters become `-`) and suffixed with a short stable hash of the
/// original, so two different ids never share a file.
pub fn safe_file_stem(id: &str) -> String {
    if is_safe_stem(id) {
        return id.to_owned();
    }
    let mut mapped = String::with_capacity(id.len());
    for c in id.chars() {
        let c = if c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-') {
            c
        } else {
            '-'
        };
        // Collapse runs of separators; this also removes every `..`.
        if matches!(c, '-' | '.') && mapped.ends_with(['-', '.']) {
            continue;
        }
        mapped.push(c);
    }
    let mapped = mapped.trim_matches(['-', '.']);
    let mapped: String = mapped.chars().take(60).collect();
    let mapped = mapped.trim_end_matches(['-', '.']);
    let hash = fnv1a(id);
    if mapped.is_empty() {
        format!("id-{hash:08x}")
    } else if is_windows_device(mapped) {
        format!("_{mapped}-{hash:08x}")
    } else {
        format!("{mapped}-{hash:08x}")
    }
}

fn is_safe_stem(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= 80
        && !id.starts_with('.')
        && !id.contains("..")
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-'))
        && !is_windows_device(id)
}

/// `CON`, `nul.txt`, `COM1`...: names Windows reserves whatever the extension.
fn is_windows_device(id: &str) -> bool {
    let base = id.split('.').next().unwrap_or(id).to_ascii_uppercase();
    matches!(base.as_str(), "CON" | "PRN" | "AUX" | "NUL")
        || ((base.starts_with("COM") || base.starts_with("LPT"))
            && base.len() == 4
            && base.as_bytes()[3].is_ascii_digit())
}

/// FNV-1a, folded to 32 bits: stable across runs and platforms.
fn fnv1a(text: &str) -> u32 {
    let hash = text.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    });
    (hash >> 32) as u32 ^ hash as u32
}

#[cfg(test)]
mod tests;
