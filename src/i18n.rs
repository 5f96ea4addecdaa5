//! The languages of the report (SPEC §11) and their string tables. `Lang` is the
//! closed set `--lang` accepts (en, ja, fr). `Strings` is one language's table of
//! every sentence, heading and label a report reader sees, looked up by key from
//! templates (the `t` helper) and from Rust (page builders, charts, notices):
//! flat dotted keys (`operator.heading.gaps`), named placeholders (`{count}`), and
//! for English and French `one`/`other` plural forms. The built-in tables are
//! `report-templates/strings/<lang>.yaml`, compiled in; a user's table (from
//! `--templates DIR`) overlays the built-in one key by key, and must use the same
//! placeholders. `Strings` also formats numbers, percentages, money and dates in
//! the language's conventions. Pure: the theme reads override files and hands
//! their text here.

use std::collections::HashMap;
use std::fmt::Display;
use std::sync::OnceLock;

use crate::load::tree::{self, Kind, Node};

/// A language of the report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, clap::ValueEnum)]
pub enum Lang {
    #[default]
    En,
    Ja,
    Fr,
}

impl Lang {
    /// Every language, in the order the usage error lists them.
    pub const ALL: [Lang; 3] = [Lang::En, Lang::Ja, Lang::Fr];

    /// The language code: `en`, `ja`, `fr`.
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Ja => "ja",
            Lang::Fr => "fr",
        }
    }

    /// The language for `code`; the error lists the available ones.
    pub fn parse(code: &str) -> Result<Lang, String> {
        Lang::ALL
            .into_iter()
            .find(|lang| lang.code() == code)
            .ok_or_else(|| {
                format!(
                    "unknown language `{code}`; the languages are {}",
                    Lang::ALL.map(Lang::code).join(", ")
                )
            })
    }

    /// The built-in string table's text.
    pub fn builtin_table(self) -> &'static str {
        match self {
            Lang::En => include_str!("../report-templates/strings/en.yaml"),
            Lang::Ja => include_str!("../report-templates/strings/ja.yaml"),
            Lang::Fr => include_str!("../report-templates/strings/fr.yaml"),
        }
    }

    /// The file name of the language's table in a templates folder.
    pub fn table_file(self) -> String {
        format!("strings/{}.yaml", self.code())
    }

    /// Whether `count` takes the `one` form (English: 1; French: 0 and 1).
    fn is_one(self, count: u64) -> bool {
        match self {
            Lang::En => count == 1,
            Lang::Fr => count < 2,
            Lang::Ja => false,
        }
    }
}

impl std::fmt::Display for Lang {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.code())
    }
}

/// One entry of a table: a text, or plural forms chosen by `{count}`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Entry {
    Text(String),
    Plural { one: String, other: String },
}

impl Entry {
    fn texts(&self) -> Vec<&str> {
        match self {
            Entry::Text(text) => vec![text],
            Entry::Plural { one, other } => vec![one, other],
        }
    }

    /// The placeholder names the entry uses, sorted, each once.
    pub fn placeholders(&self) -> Vec<String> {
        let mut names: Vec<String> = self
            .texts()
            .into_iter()
            .flat_map(placeholders)
            .map(str::to_owned)
            .collect();
        names.sort();
        names.dedup();
        names
    }
}

/// The `{name}` placeholders of `text`, in order.
pub fn placeholders(text: &str) -> impl Iterator<Item = &str> {
    text.split('{').skip(1).filter_map(|rest| {
        let name = &rest[..rest.find('}')?];
        is_placeholder_name(name).then_some(name)
    })
}

fn is_placeholder_name(name: &str) -> bool {
    !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
}

/// A problem in a string table, at `line:col` of its file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableError {
    pub line: u32,
    pub col: u32,
    pub message: String,
    pub help: Option<String>,
}

/// One language's report strings, with its number and date conventions.
#[derive(Debug, Clone)]
pub struct Strings {
    lang: Lang,
    entries: HashMap<String, Entry>,
}

impl Strings {
    /// The built-in table of `lang`.
    pub fn builtin(lang: Lang) -> &'static Strings {
        static TABLES: [OnceLock<Strings>; 3] = [OnceLock::new(), OnceLock::new(), OnceLock::new()];
        let slot = Lang::ALL.iter().position(|l| *l == lang).unwrap_or(0);
        TABLES[slot].get_or_init(|| {
            let entries = parse_table(lang.builtin_table())
                .unwrap_or_else(|errors| panic!("built-in {lang} string table: {errors:?}"));
            Strings {
                lang,
                entries: entries.into_iter().map(|(k, _, v)| (k, v)).collect(),
            }
        })
    }

    /// The built-in table of `lang` with a user's table `text` laid over it key by
    /// key. A key the built-in table lacks, or an entry whose placeholders differ
    /// from the built-in one's, is an error at its position.
    pub fn overlay(lang: Lang, text: &str) -> Result<Strings, Vec<TableError>> {
        let base = Strings::builtin(lang);
        let mut strings = base.clone();
        let mut errors = Vec::new();
        for (key, pos, entry) in parse_table(text)? {
            let Some(builtin) = base.entries.get(&key) else {
                let nearest = base
                    .entries
                    .keys()
                    .map(|k| (strsim::jaro_winkler(k, &key), k))
                    .max_by(|a, b| a.0.total_cmp(&b.0))
                    .filter(|(score, _)| *score > 0.8)
                    .map(|(_, k)| format!("did you mean `{k}`?"));
                errors.push(TableError {
                    line: pos.line,
                    col: pos.col,
                    message: format!("`{key}` is not a key of the {lang} string table"),
                    help: nearest
                        .or_else(|| Some("`capgap templates export DIR` writes every key".into())),
                });
                continue;
            };
            let (want, got) = (builtin.placeholders(), entry.placeholders());
            if want != got {
                let shown = |names: &[String]| {
                    if names.is_empty() {
                        "no placeholders".to_owned()
                    } else {
                        format!("{{{}}}", names.join("}, {"))
                    }
                };
                errors.push(TableError {
                    line: pos.line,
                    col: pos.col,
                    message: format!(
                        "`{key}` uses {}, the built-in text uses {}",
                        shown(&got),
                        shown(&want)
                    ),
                    help: Some("keep the placeholders of the built-in text, in any order".into()),
                });
                continue;
            }
            strings.entries.insert(key, entry);
        }
        if errors.is_empty() {
            Ok(strings)
        } else {
            Err(errors)
        }
    }

    pub fn lang(&self) -> Lang {
        self.lang
    }

    /// The entry for `key`, if the table has it.
    pub fn entry(&self, key: &str) -> Option<&Entry> {
        self.entries.get(key)
    }

    /// Every key, sorted.
    pub fn keys(&self) -> Vec<&str> {
        let mut keys: Vec<&str> = self.entries.keys().map(String::as_str).collect();
        keys.sort_unstable();
        keys
    }

    /// The text of `key` without placeholders filled. A key missing from the table
    /// (a bug the tests catch) prints as the key itself, never as an empty cell.
    pub fn get<'s>(&'s self, key: &'s str) -> &'s str {
        match self.entries.get(key) {
            Some(Entry::Text(text)) => text,
            Some(Entry::Plural { other, .. }) => other,
            None => {
                debug_assert!(false, "string table {} has no key {key}", self.lang);
                key
            }
        }
    }

    /// The text of `key` with its placeholders filled from `args`.
    pub fn fmt(&self, key: &str, args: &[(&str, &dyn Display)]) -> String {
        fill(self.get(key), args)
    }

    /// The form of `key` for `count` with `{count}` (as a count in the language's
    /// conventions) and `args` filled.
    pub fn plural(&self, key: &str, count: u64, args: &[(&str, &dyn Display)]) -> String {
        let text = self.form(key, count);
        let shown = self.count(count as f64);
        let mut all: Vec<(&str, &dyn Display)> = vec![("count", &shown)];
        all.extend_from_slice(args);
        fill(text, &all)
    }

    /// The form of `key` for `count`, placeholders not filled.
    pub fn form<'s>(&'s self, key: &'s str, count: u64) -> &'s str {
        match self.entries.get(key) {
            Some(Entry::Plural { one, other }) => {
                if self.lang.is_one(count) {
                    one
                } else {
                    other
                }
            }
            _ => self.get(key),
        }
    }

    /// A number with at most `max_decimals` decimals (trailing zeros dropped), in
    /// the language's convention: `1,234.5` (en, ja), `1 234,5` (fr, with narrow
    /// no-break spaces).
    pub fn number(&self, value: f64, max_decimals: usize) -> String {
        self.localise(&crate::charts::format_number(value, max_decimals))
    }

    /// A number with at most `max_decimals` decimals and the language's decimal
    /// mark but no thousands separators: axis ticks, where width is scarce.
    pub fn tick(&self, value: f64, max_decimals: usize) -> String {
        let plain = crate::charts::format_number(value, max_decimals);
        match self.lang {
            Lang::Fr => plain.replace('.', ","),
            _ => plain,
        }
    }

    /// A number with exactly `decimals` decimals.
    pub fn fixed(&self, value: f64, decimals: usize) -> String {
        if !value.is_finite() {
            return "–".to_owned();
        }
        let text = format!("{value:.decimals$}");
        let text = if text
            .trim_start_matches('-')
            .bytes()
            .all(|b| b == b'0' || b == b'.')
        {
            text.trim_start_matches('-').to_owned()
        } else {
            text
        };
        self.localise(&text)
    }

    /// A whole number with thousands separators.
    pub fn count(&self, value: f64) -> String {
        self.localise(&crate::charts::format_number(value, 0))
    }

    /// A share (0..1) as a percentage: `73%` (en, ja), `73 %` (fr).
    pub fn pct(&self, share: f64, digits: usize) -> String {
        let number = self.fixed(share * 100.0, digits);
        match self.lang {
            Lang::Fr => format!("{number}\u{202F}%"),
            _ => format!("{number}%"),
        }
    }

    /// An amount of US dollars, short (`$1.2M`; fr `1,2 M$`). See `charts::format_usd`.
    pub fn usd(&self, amount: f64) -> String {
        crate::charts::format_usd_in(amount, self.lang)
    }

    /// A `YYYY-MM-DD` date in words: `2 December 2026`, `2 décembre 2026`,
    /// `2026年12月2日`. Anything else is returned as it is.
    pub fn date(&self, iso: &str) -> String {
        let Some(date) = crate::questionnaire::Date::parse(iso) else {
            return iso.to_owned();
        };
        let (y, m, d) = (date.year, date.month, date.day);
        match self.lang {
            Lang::Ja => format!("{y}年{m}月{d}日"),
            lang => {
                let key = format!("date.month.{m}");
                let month = if self.entries.contains_key(&key) {
                    self.get(&key).to_owned()
                } else {
                    Strings::builtin(lang).get(&key).to_owned()
                };
                let day = if lang == Lang::Fr && d == 1 {
                    "1er".to_owned()
                } else {
                    d.to_string()
                };
                format!("{day} {month} {y}")
            }
        }
    }

    /// A list in words: `a`, `a and b`, `a, b and c` (the table's separators).
    pub fn list(&self, items: &[String]) -> String {
        match items {
            [] => String::new(),
            [one] => one.clone(),
            [init @ .., last] => fill(
                self.get("list.and"),
                &[
                    ("init", &init.join(self.get("list.separator"))),
                    ("last", last),
                ],
            ),
        }
    }

    /// Grouping and decimal mark of a plain number (`-1234.5`).
    fn localise(&self, plain: &str) -> String {
        let (sign, rest) = match plain.strip_prefix('-') {
            Some(rest) => ("-", rest),
            None => ("", plain),
        };
        let (int, frac) = rest.split_once('.').unwrap_or((rest, ""));
        if !int.bytes().all(|b| b.is_ascii_digit()) || int.is_empty() {
            return plain.to_owned();
        }
        let (group, decimal) = match self.lang {
            Lang::Fr => ("\u{202F}", ","),
            _ => (",", "."),
        };
        let mut out = String::with_capacity(plain.len() + 8);
        out.push_str(sign);
        for (i, c) in int.chars().enumerate() {
            // French leaves four-digit numbers ungrouped.
            let grouped = !(self.lang == Lang::Fr && int.len() == 4);
            if grouped && i > 0 && (int.len() - i) % 3 == 0 {
                out.push_str(group);
            }
            out.push(c);
        }
        if !frac.is_empty() {
            out.push_str(decimal);
            out.push_str(frac);
        }
        out
    }
}

/// `text` with each `{name}` replaced by its value in `args`; unknown names stay.
pub fn fill(text: &str, args: &[(&str, &dyn Display)]) -> String {
    let mut out = String::with_capacity(text.len() + 16);
    let mut rest = text;
    while let Some(start) = rest.find('{') {
        out.push_str(&rest[..start]);
        let after = &rest[start + 1..];
        match after.find('}').map(|end| (&after[..end], end)) {
            Some((name, end)) if is_placeholder_name(name) => {
                match args.iter().find(|(n, _)| *n == name) {
                    Some((_, value)) => out.push_str(&value.to_string()),
                    None => out.push_str(&rest[start..start + end + 2]),
                }
                rest = &after[end + 1..];
            }
            _ => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// The entries of a table file with their positions, or every problem found.
fn parse_table(text: &str) -> Result<Vec<(String, tree::Pos, Entry)>, Vec<TableError>> {
    let error = |pos: tree::Pos, message: String, help: &str| TableError {
        line: pos.line,
        col: pos.col,
        message,
        help: Some(help.to_owned()),
    };
    let root = match tree::parse(text) {
        Ok(Some(root)) => root,
        Ok(None) => return Ok(Vec::new()),
        Err(e) => {
            return Err(vec![TableError {
                line: e.pos.line,
                col: e.pos.col,
                message: e.message,
                help: Some(e.help),
            }]);
        }
    };
    let Some(entries) = root.entries() else {
        return Err(vec![error(
            root.pos,
            "a string table is a mapping of keys to texts".into(),
            "write one `key: text` per line",
        )]);
    };
    let mut out: Vec<(String, tree::Pos, Entry)> = Vec::with_capacity(entries.len());
    let mut errors = Vec::new();
    let text_of = |node: &Node| -> Option<String> {
        match &node.kind {
            Kind::Scalar { text, .. } if !node.is_null() => Some(text.to_string()),
            _ => None,
        }
    };
    for (key, value) in entries {
        let Some(name) = key.scalar().map(|(t, _)| t.to_owned()) else {
            errors.push(error(
                key.pos,
                "a key must be text".into(),
                "write `key: text`",
            ));
            continue;
        };
        if out.iter().any(|(k, _, _)| *k == name) {
            errors.push(error(
                key.pos,
                format!("`{name}` is given twice"),
                "keep one of them",
            ));
            continue;
        }
        let entry = match &value.kind {
            Kind::Map(forms) => {
                let form = |want: &str| {
                    forms
                        .iter()
                        .find(|(k, _)| k.scalar().map(|(t, _)| t) == Some(want))
                        .and_then(|(_, v)| text_of(v))
                };
                let unknown = forms
                    .iter()
                    .find(|(k, _)| !matches!(k.scalar().map(|(t, _)| t), Some("one" | "other")));
                match (form("one"), form("other"), unknown) {
                    (Some(one), Some(other), None) => Entry::Plural { one, other },
                    (_, _, Some((k, _))) => {
                        errors.push(error(
                            k.pos,
                            "plural forms are `one` and `other`".into(),
                            "write `one: ...` and `other: ...` under the key",
                        ));
                        continue;
                    }
                    _ => {
                        errors.push(error(
                            value.pos,
                            format!("`{name}` needs both plural forms, `one` and `other`"),
                            "write `one: ...` and `other: ...` under the key",
                        ));
                        continue;
                    }
                }
            }
            _ => match text_of(value) {
                Some(text) => Entry::Text(text),
                None => {
                    errors.push(error(
                        value.pos,
                        format!("`{name}` has no text"),
                        "write the text after the colon; quote it if it holds `:` or `#`",
                    ));
                    continue;
                }
            },
        };
        out.push((name, key.pos, entry));
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(errors)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn languages_are_a_closed_set() {
        assert_eq!(Lang::parse("fr"), Ok(Lang::Fr));
        let error = Lang::parse("de").unwrap_err();
        assert!(error.contains("en, ja, fr"), "{error}");
    }

    #[test]
    fn every_table_has_the_same_keys_and_placeholders() {
        let en = Strings::builtin(Lang::En);
        for lang in [Lang::Ja, Lang::Fr] {
            let other = Strings::builtin(lang);
            let missing: Vec<_> = en
                .keys()
                .into_iter()
                .filter(|k| other.entry(k).is_none())
                .collect();
            let extra: Vec<_> = other
                .keys()
                .into_iter()
                .filter(|k| en.entry(k).is_none())
                .collect();
            assert!(missing.is_empty(), "{lang} lacks {missing:?}");
            assert!(extra.is_empty(), "{lang} has keys English lacks: {extra:?}");
            for key in en.keys() {
                let (want, got) = (
                    en.entry(key).unwrap().placeholders(),
                    other.entry(key).unwrap().placeholders(),
                );
                assert_eq!(want, got, "{lang} {key}: placeholders");
                for text in other.entry(key).unwrap().texts() {
                    assert!(!text.trim().is_empty(), "{lang} {key} is blank");
                }
            }
        }
    }

    #[test]
    fn plural_forms_follow_the_language() {
        let table = "n:\n  one: \"{count} opérateur\"\n  other: \"{count} opérateurs\"\n";
        let strings = Strings {
            lang: Lang::Fr,
            entries: parse_table(table)
                .unwrap()
                .into_iter()
                .map(|(k, _, v)| (k, v))
                .collect(),
        };
        assert_eq!(strings.plural("n", 0, &[]), "0 opérateur");
        assert_eq!(strings.plural("n", 1, &[]), "1 opérateur");
        assert_eq!(strings.plural("n", 2, &[]), "2 opérateurs");
        assert_eq!(strings.plural("n", 12_000, &[]), "12\u{202F}000 opérateurs");
    }

    #[test]
    fn numbers_and_dates_follow_the_language() {
        let (en, ja, fr) = (
            Strings::builtin(Lang::En),
            Strings::builtin(Lang::Ja),
            Strings::builtin(Lang::Fr),
        );
        assert_eq!(en.number(1234567.25, 1), "1,234,567.2");
        assert_eq!(fr.number(1234567.25, 2), "1\u{202F}234\u{202F}567,25");
        assert_eq!(fr.number(1234.0, 0), "1234");
        assert_eq!(fr.fixed(62.46, 1), "62,5");
        assert_eq!(en.fixed(-0.01, 1), "0.0");
        assert_eq!(fr.pct(0.734, 0), "73\u{202F}%");
        assert_eq!(ja.pct(0.734, 0), "73%");
        assert_eq!(en.date("2026-12-02"), "2 December 2026");
        assert_eq!(fr.date("2026-12-02"), "2 décembre 2026");
        assert_eq!(fr.date("2026-03-01"), "1er mars 2026");
        assert_eq!(ja.date("2026-12-02"), "2026年12月2日");
        assert_eq!(en.date("not a date"), "not a date");
        assert_eq!(en.list(&["a".into(), "b".into(), "c".into()]), "a, b and c");
        assert_eq!(fr.list(&["a".into(), "b".into()]), "a et b");
        assert_eq!(ja.list(&["a".into(), "b".into(), "c".into()]), "a、b、c");
    }

    #[test]
    fn placeholders_are_filled_by_name() {
        assert_eq!(
            fill(
                "{a} of {b}, {unknown} {not a name} {",
                &[("a", &1), ("b", &"two")]
            ),
            "1 of two, {unknown} {not a name} {"
        );
    }

    #[test]
    fn an_override_is_laid_over_the_builtin_table() {
        let key = Strings::builtin(Lang::Fr).keys()[0].to_owned();
        let placeholders = Strings::builtin(Lang::Fr)
            .entry(&key)
            .unwrap()
            .placeholders();
        let text: String = placeholders.iter().map(|p| format!("{{{p}}} ")).collect();
        let strings =
            Strings::overlay(Lang::Fr, &format!("{key}: \"Mon texte {text}\"\n")).unwrap();
        assert!(strings.get(&key).starts_with("Mon texte"));
        assert_eq!(
            strings.keys().len(),
            Strings::builtin(Lang::Fr).keys().len()
        );

        let errors = Strings::overlay(Lang::Fr, "x: 1\nno.such.key: texte\n").unwrap_err();
        assert_eq!(errors.len(), 2);
        assert_eq!((errors[1].line, errors[1].col), (2, 1));
        let errors = Strings::overlay(Lang::En, "list.and: \"{first} and {last}\"\n").unwrap_err();
        assert!(
            errors[0]
                .message
                .ends_with("uses {first}, {last}, the built-in text uses {init}, {last}"),
            "{:?}",
            errors[0]
        );
        let errors = Strings::overlay(Lang::En, "a: [1\n").unwrap_err();
        assert_eq!(errors.len(), 1);
    }
}
