//! The report theme: the Handlebars templates and the CSS the pages are rendered
//! with. The defaults are the real files in `report-templates/`, compiled in; a
//! user's folder (`--templates DIR`) replaces them one file at a time, and
//! `export` writes the defaults out to start from. The registry runs in strict
//! mode, so a misspelt field is an error naming the file, line and column rather
//! than an empty cell. The report's wording is in one string table per language
//! (`strings/en.yaml`, `strings/ja.yaml`, `strings/fr.yaml`, see `crate::i18n`):
//! a user's `strings/<lang>.yaml` overlays the built-in table key by key, and
//! `export` writes the tables with the templates. Reads and writes only the
//! template folder it is given.

use std::fs;
use std::path::{Path, PathBuf};

use anyhow::{Context as _, Result, bail};
use handlebars::{Handlebars, RenderError, TemplateError};
use serde::Serialize;

use super::helpers;
use crate::files::same_file;
use crate::i18n::{Lang, Strings};

/// The folder of the string tables inside a templates folder.
pub const STRINGS_DIR: &str = "strings";

/// The stylesheet, inlined into every page.
const STYLE: &str = "style.css";

/// Every theme file, with its built-in text. Page templates and partials are
/// registered under their file stem (`header.hbs` is `{{> header}}`).
pub const FILES: &[(&str, &str)] = &[
    (
        "operator.hbs",
        include_str!("../../report-templates/operator.hbs"),
    ),
    (
        "country.hbs",
        include_str!("../../report-templates/country.hbs"),
    ),
    (
        "portfolio.hbs",
        include_str!("../../report-templates/portfolio.hbs"),
    ),
    (
        "practice.hbs",
        include_str!("../../report-templates/practice.hbs"),
    ),
    ("head.hbs", include_str!("../../report-templates/head.hbs")),
    (
        "header.hbs",
        include_str!("../../report-templates/header.hbs"),
    ),
    (
        "footer.hbs",
        include_str!("../../report-templates/footer.hbs"),
    ),
    ("tlp.hbs", include_str!("../../report-templates/tlp.hbs")),
    (
        "method.hbs",
        include_str!("../../report-templates/method.hbs"),
    ),
    (
        "legend.hbs",
        include_str!("../../report-templates/legend.hbs"),
    ),
    (
        "level-cell.hbs",
        include_str!("../../report-templates/level-cell.hbs"),
    ),
    (
        "trend.hbs",
        include_str!("../../report-templates/trend.hbs"),
    ),
    (
        "panel-trend.hbs",
        include_str!("../../report-templates/panel-trend.hbs"),
    ),
    (
        "cover.hbs",
        include_str!("../../report-templates/cover.hbs"),
    ),
    (
        "summary.hbs",
        include_str!("../../report-templates/summary.hbs"),
    ),
    (
        "changes.hbs",
        include_str!("../../report-templates/changes.hbs"),
    ),
    (
        "candidates.hbs",
        include_str!("../../report-templates/candidates.hbs"),
    ),
    (
        "coordination.hbs",
        include_str!("../../report-templates/coordination.hbs"),
    ),
    (
        "country-programmes.hbs",
        include_str!("../../report-templates/country-programmes.hbs"),
    ),
    (
        "programme-table.hbs",
        include_str!("../../report-templates/programme-table.hbs"),
    ),
    (
        "people.hbs",
        include_str!("../../report-templates/people.hbs"),
    ),
    (
        "training-plan.hbs",
        include_str!("../../report-templates/training-plan.hbs"),
    ),
    (
        "outcomes.hbs",
        include_str!("../../report-templates/outcomes.hbs"),
    ),
    (STYLE, include_str!("../../report-templates/style.css")),
];

/// Where a theme file came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    BuiltIn,
    Override(PathBuf),
}

/// A loaded theme: the compiled templates and the stylesheet.
pub struct Theme {
    registry: Handlebars<'static>,
    strings: std::sync::Arc<Strings>,
    style: String,
    origins: Vec<(&'static str, Origin)>,
    warnings: Vec<String>,
}

impl Theme {
    /// The built-in theme, in English.
    pub fn builtin() -> Result<Theme> {
        Theme::load(None)
    }

    /// The built-in theme in `lang`.
    pub fn builtin_in(lang: Lang) -> Result<Theme> {
        Theme::load_in(None, lang)
    }

    /// [`Theme::load`] in English.
    pub fn load(override_dir: Option<&Path>) -> Result<Theme> {
        Theme::load_in(override_dir, Lang::En)
    }

    /// The built-in theme, with each file present in `override_dir` replacing the
    /// built-in one. Files the theme does not know are ignored with a warning
    /// (see `warnings`); a template that does not parse is an error naming its path.
    /// The pages are worded in `lang`: the folder's `strings/<lang>.yaml`, if any,
    /// overlays the built-in table; every table in the folder is checked.
    pub fn load_in(override_dir: Option<&Path>, lang: Lang) -> Result<Theme> {
        let mut warnings = Vec::new();
        if let Some(dir) = override_dir {
            let entries = fs::read_dir(dir)
                .with_context(|| format!("{}: cannot read the templates folder", dir.display()))?;
            let mut unknown = Vec::new();
            for entry in entries {
                let entry = entry.with_context(|| {
                    format!("{}: cannot read the templates folder", dir.display())
                })?;
                let name = entry.file_name().to_string_lossy().into_owned();
                if !name.starts_with('.')
                    && name != STRINGS_DIR
                    && !FILES.iter().any(|(known, _)| *known == name)
                {
                    unknown.push(name);
                }
            }
            unknown.sort();
            for name in unknown {
                warnings.push(format!(
                    "{}: not a theme file, ignored (theme files: {})",
                    dir.join(&name).display(),
                    FILES.iter().map(|(n, _)| *n).collect::<Vec<_>>().join(", ")
                ));
            }
        }

        let strings = std::sync::Arc::new(load_strings(override_dir, lang, &mut warnings)?);
        let mut registry = Handlebars::new();
        registry.set_strict_mode(true);
        helpers::register_in(&mut registry, strings.clone());
        let mut style = String::new();
        let mut origins = Vec::with_capacity(FILES.len());
        for &(name, builtin) in FILES {
            let path = override_dir
                .map(|dir| dir.join(name))
                .filter(|path| path.symlink_metadata().is_ok());
            let (text, origin) = match path {
                Some(path) => {
                    let text = read_theme_file(&path)?;
                    (text, Origin::Override(path))
                }
                None => (builtin.to_owned(), Origin::BuiltIn),
            };
            if name == STYLE {
                style = text;
            } else {
                let stem = name
                    .strip_suffix(".hbs")
                    .expect("theme templates end in .hbs");
                registry
                    .register_template_string(stem, &text)
                    .map_err(|error| template_error(name, &origin, &error))?;
            }
            origins.push((name, origin));
        }
        Ok(Theme {
            registry,
            strings,
            style,
            origins,
            warnings,
        })
    }

    /// Problems with the override folder that did not stop loading.
    pub fn warnings(&self) -> &[String] {
        &self.warnings
    }

    /// Where each theme file came from, in `FILES` order.
    pub fn origins(&self) -> &[(&'static str, Origin)] {
        &self.origins
    }

    /// The string table the pages are worded with.
    pub fn strings(&self) -> &Strings {
        &self.strings
    }

    /// The stylesheet inlined into every page.
    pub fn style(&self) -> &str {
        &self.style
    }

    /// Renders page template `template` (a file stem: `operator`) with `page`.
    /// Templates see the page's fields plus `style` (the CSS text) and `root`
    /// (the relative path from the page to the report root: `""` or `"../"`).
    pub fn render<T: Serialize>(&self, template: &str, root: &str, page: &T) -> Result<String> {
        let mut out = Vec::with_capacity(256 * 1024);
        self.render_to(template, root, page, &mut out)?;
        String::from_utf8(out).context("a template wrote invalid UTF-8")
    }

    /// Like [`Theme::render`], writing into `out` (a file, without holding the page).
    pub fn render_to<T: Serialize, W: std::io::Write>(
        &self,
        template: &str,
        root: &str,
        page: &T,
        out: W,
    ) -> Result<()> {
        let mut data = serde_json::to_value(page).context("cannot serialise the page data")?;
        let object = data
            .as_object_mut()
            .context("page data must serialise to an object")?;
        object.insert("style".into(), self.style.clone().into());
        object.insert("root".into(), root.into());
        // `Context::from` takes the value as it is; `render(&data)` would copy it whole.
        let context = handlebars::Context::from(data);
        self.registry
            .render_with_context_to_write(template, &context, out)
            .map_err(|error| self.render_error(template, &error))
    }

    fn render_error(&self, template: &str, error: &RenderError) -> anyhow::Error {
        let stem = error.template_name.as_deref().unwrap_or(template);
        let file = format!("{stem}.hbs");
        let origin = self
            .origins
            .iter()
            .find(|(name, _)| *name == file)
            .map_or(Origin::BuiltIn, |(_, origin)| origin.clone());
        let position = match (error.line_no, error.column_no) {
            (Some(line), Some(col)) => format!(":{line}:{col}"),
            _ => String::new(),
        };
        let reason = match error.reason() {
            handlebars::RenderErrorReason::MissingVariable(Some(name)) => format!(
                "the page has no field `{name}`; check its spelling against the built-in template"
            ),
            other => other.to_string(),
        };
        anyhow::anyhow!("{}{position}: {reason}", describe(&file, &origin))
    }

    /// Writes the built-in theme files into `dir` (created if needed). Refuses to
    /// replace an existing file unless `overwrite`; then nothing is written.
    /// Returns the paths written.
    pub fn export(dir: &Path, overwrite: bool) -> Result<Vec<PathBuf>> {
        let tables: Vec<(String, &str)> = Lang::ALL
            .iter()
            .map(|lang| (lang.table_file(), lang.builtin_table()))
            .collect();
        let files: Vec<(&str, &str)> = FILES
            .iter()
            .copied()
            .chain(tables.iter().map(|(name, text)| (name.as_str(), *text)))
            .collect();
        let paths: Vec<PathBuf> = files.iter().map(|(name, _)| dir.join(name)).collect();
        if !overwrite {
            let existing: Vec<String> = paths
                .iter()
                .filter(|path| path.exists())
                .map(|path| path.display().to_string())
                .collect();
            if !existing.is_empty() {
                bail!(
                    "refusing to overwrite existing theme files: {}; pass --force to overwrite them",
                    existing.join(", ")
                );
            }
        }
        let strings_dir = dir.join(STRINGS_DIR);
        fs::create_dir_all(&strings_dir)
            .with_context(|| format!("{}: cannot create the folder", strings_dir.display()))?;
        for (path, (_, text)) in paths.iter().zip(&files) {
            // A file being replaced is removed first, so that a link in its place is
            // replaced too, never written through.
            if overwrite && path.symlink_metadata().is_ok() {
                fs::remove_file(path)
                    .with_context(|| format!("{}: cannot replace", path.display()))?;
            }
            fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(path)
                .and_then(|mut file| std::io::Write::write_all(&mut file, text.as_bytes()))
                .with_context(|| format!("{}: cannot write", path.display()))?;
        }
        Ok(paths)
    }
}

/// The string table of `lang`: the built-in one, overlaid by the folder's
/// `strings/<lang>.yaml` if there is one. Every table in the folder is checked, so
/// a mistake in another language's table is found before it is used.
fn load_strings(dir: Option<&Path>, lang: Lang, warnings: &mut Vec<String>) -> Result<Strings> {
    let Some(folder) = dir.map(|dir| dir.join(STRINGS_DIR)) else {
        return Ok(Strings::builtin(lang).clone());
    };
    if folder.symlink_metadata().is_err() {
        return Ok(Strings::builtin(lang).clone());
    }
    if !folder.symlink_metadata().is_ok_and(|m| m.is_dir()) {
        bail!(
            "{}: not a folder; the string tables go in a folder `strings` of the templates folder",
            folder.display()
        );
    }
    let entries = fs::read_dir(&folder)
        .with_context(|| format!("{}: cannot read the folder", folder.display()))?;
    let mut unknown = Vec::new();
    for entry in entries {
        let entry =
            entry.with_context(|| format!("{}: cannot read the folder", folder.display()))?;
        let name = entry.file_name().to_string_lossy().into_owned();
        if !name.starts_with('.')
            && !Lang::ALL
                .iter()
                .any(|l| format!("{}.yaml", l.code()) == name)
        {
            unknown.push(name);
        }
    }
    unknown.sort();
    for name in unknown {
        warnings.push(format!(
            "{}: not a string table, ignored (string tables: {})",
            folder.join(&name).display(),
            Lang::ALL.map(|l| format!("{}.yaml", l.code())).join(", ")
        ));
    }
    let mut chosen = Strings::builtin(lang).clone();
    for table in Lang::ALL {
        let path = dir.unwrap_or(Path::new("")).join(table.table_file());
        if path.symlink_metadata().is_err() {
            continue;
        }
        let text = read_theme_file(&path)?;
        match Strings::overlay(table, &text) {
            Ok(strings) => {
                if table == lang {
                    chosen = strings;
                }
            }
            Err(errors) => {
                let shown: Vec<String> = errors
                    .iter()
                    .map(|e| {
                        let help = e
                            .help
                            .as_deref()
                            .map_or_else(String::new, |h| format!("; {h}"));
                        format!(
                            "{}:{}:{}: {}{help}",
                            path.display(),
                            e.line,
                            e.col,
                            e.message
                        )
                    })
                    .collect();
                bail!("{}", shown.join("\n"));
            }
        }
    }
    Ok(chosen)
}

/// The largest theme file read: templates and CSS are a few kilobytes.
const MAX_THEME_FILE: u64 = 4 * 1024 * 1024;

/// Reads one file of the override folder. Only a regular file in the folder itself
/// is read: a symbolic link (which could point anywhere, `/etc/passwd` included), a
/// folder or a device is refused; the opened file is checked to be the one looked at.
fn read_theme_file(path: &Path) -> Result<String> {
    let shown = path.display();
    let meta = fs::symlink_metadata(path).with_context(|| format!("{shown}: cannot read"))?;
    if meta.file_type().is_symlink() {
        bail!(
            "{shown}: is a symbolic link; a templates folder must hold the template files themselves"
        );
    }
    if !meta.is_file() {
        bail!("{shown}: not a regular file; a theme file must be a text file");
    }
    if meta.len() > MAX_THEME_FILE {
        bail!("{shown}: too large for a theme file (at most 4 MiB)");
    }
    let file = fs::File::open(path).with_context(|| format!("{shown}: cannot read"))?;
    let opened = file
        .metadata()
        .with_context(|| format!("{shown}: cannot read"))?;
    if !same_file(&meta, &opened) {
        bail!("{shown}: changed while it was read; run again");
    }
    let mut text = String::new();
    std::io::Read::read_to_string(&mut std::io::Read::take(file, MAX_THEME_FILE), &mut text)
        .with_context(|| format!("{shown}: cannot read as UTF-8 text"))?;
    Ok(text)
}

fn describe(file: &str, origin: &Origin) -> String {
    match origin {
        Origin::BuiltIn => format!("built-in template {file}"),
        Origin::Override(path) => path.display().to_string(),
    }
}

fn template_error(file: &str, origin: &Origin, error: &TemplateError) -> anyhow::Error {
    let position = error
        .pos()
        .map_or_else(String::new, |(line, col)| format!(":{line}:{col}"));
    anyhow::anyhow!("{}{position}: {}", describe(file, origin), error.reason())
}
