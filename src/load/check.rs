//! Reading typed values out of the positioned tree, for every loader: mappings with
//! known fields (unknown and duplicate keys reported, with the nearest name), required
//! and blank fields, strings with a length bound and no control characters, ids,
//! numbers with bounds, lists. Each helper reports what is wrong at the offending key
//! or value, in an assessor's words, and returns `None` so the caller carries on and
//! every problem of a file is collected in one pass. No IO.

use rustc_hash::FxHashMap;

use super::tree::{Kind, Node, Pos, Resolved, Style};
use super::yaml::{Source, nearest};
use crate::diag::{Diagnostic, Severity};

/// The longest name, id, label or short text (operator, assessor, ids, names).
pub const MAX_NAME_CHARS: usize = 200;
/// The longest free text in a questionnaire (a note, an evidence item).
pub const MAX_NOTE_CHARS: usize = 5_000;
/// The longest model text (a question, guidance, a description).
pub const MAX_MODEL_TEXT_CHARS: usize = 20_000;
/// The most evidence items one answer may list.
pub const MAX_EVIDENCE_ITEMS: usize = 100;
/// The largest weight a questionnaire or a model may give (weights are > 0).
pub const MAX_WEIGHT: f64 = 1_000.0;

/// Collects the diagnostics of one file.
pub struct Checker<'s> {
    pub source: Source<'s>,
    pub out: Vec<Diagnostic>,
}

/// The fields of a mapping, checked against the names it may have.
pub struct Fields<'n, 'a> {
    pub node: &'n Node<'a>,
    entries: &'n [(Node<'a>, Node<'a>)],
    /// Field names that an unknown key was taken for ("did you mean"): a missing
    /// one is not reported again.
    misspelt: Vec<&'static str>,
}

impl<'n, 'a> Fields<'n, 'a> {
    /// The first entry for `key`: (key node, value node).
    pub fn get(&self, key: &str) -> Option<(&'n Node<'a>, &'n Node<'a>)> {
        self.entries
            .iter()
            .find(|(k, _)| k.scalar().is_some_and(|(t, _)| t == key))
            .map(|(k, v)| (k, v))
    }

    /// The values of every entry for `key`, repeats included, in file order.
    pub fn all<'k>(&self, key: &'k str) -> impl Iterator<Item = &'n Node<'a>> + 'k
    where
        'n: 'k,
    {
        self.entries
            .iter()
            .filter(move |(k, _)| k.scalar().is_some_and(|(t, _)| t == key))
            .map(|(_, v)| v)
    }
}

/// A value shown in a message: control characters escaped, long text cut.
pub fn shown(text: &str) -> String {
    const MAX: usize = 60;
    let mut out = String::new();
    for (i, c) in text.chars().enumerate() {
        if i == MAX {
            out.push('…');
            break;
        }
        if is_forbidden_control(c) || c == '\t' || c == '\n' {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    out
}

/// C0 controls, DEL and C1 controls. Tab and newline are allowed in block scalars only.
pub fn is_forbidden_control(c: char) -> bool {
    (c < ' ' && c != '\t' && c != '\n') || ('\u{7f}'..='\u{9f}').contains(&c)
}

/// The first control character a scalar of this style may not hold.
pub fn control_char(text: &str, style: Style) -> Option<char> {
    let block = matches!(style, Style::Literal | Style::Folded);
    text.chars()
        .find(|&c| is_forbidden_control(c) || (!block && (c == '\t' || c == '\n')))
}

fn control_name(c: char) -> String {
    let name = match c {
        '\0' => "NUL",
        '\u{7}' => "BEL",
        '\u{8}' => "backspace",
        '\t' => "tab",
        '\n' => "line break",
        '\r' => "carriage return",
        '\u{1b}' => "ESC",
        '\u{7f}' => "DEL",
        _ => "control character",
    };
    format!("{name}, U+{:04X}", u32::from(c))
}

/// What a node is, for "expected X, found Y".
pub fn describe(node: &Node<'_>) -> String {
    match &node.kind {
        Kind::Seq(_) => "a list".into(),
        Kind::Map(_) => "a mapping".into(),
        Kind::Scalar { text, .. } => match node.resolve() {
            Some(Resolved::Null) => "a blank value".into(),
            Some(Resolved::Bool(_)) => format!("the true/false value `{}`", shown(text)),
            Some(Resolved::Int(_) | Resolved::Float(_)) => {
                format!("the number {}", shown(text))
            }
            _ => format!("the text `{}`", shown(text)),
        },
    }
}

impl<'s> Checker<'s> {
    pub fn new(source: Source<'s>) -> Self {
        Checker {
            source,
            out: Vec::new(),
        }
    }

    pub fn at(
        &mut self,
        severity: Severity,
        pos: Pos,
        width: usize,
        message: impl Into<String>,
        help: Option<String>,
    ) {
        let mut diag = self.source.at(
            severity,
            u64::from(pos.line),
            u64::from(pos.col),
            width,
            message,
        );
        diag.help = help;
        self.out.push(diag);
    }

    /// An error at a node, underlining it.
    pub fn error(&mut self, node: &Node<'_>, message: impl Into<String>, help: Option<String>) {
        self.at(Severity::Error, node.pos, node.width(), message, help);
    }

    /// A warning at a node.
    pub fn warning(&mut self, node: &Node<'_>, message: impl Into<String>, help: Option<String>) {
        self.at(Severity::Warning, node.pos, node.width(), message, help);
    }

    /// "expected X, found Y" at the value.
    pub fn expected(&mut self, node: &Node<'_>, what: &str, help: Option<String>) {
        let found = describe(node);
        self.error(node, format!("expected {what}, found {found}"), help);
    }

    /// The mapping's fields. Reports a non-mapping value, keys that are not text,
    /// unknown keys (with the nearest allowed name) and repeated keys (at the
    /// repeat, naming the first line). `what` names the mapping ("an answer").
    pub fn fields<'n, 'a>(
        &mut self,
        node: &'n Node<'a>,
        what: &str,
        allowed: &[&'static str],
    ) -> Option<Fields<'n, 'a>> {
        let Kind::Map(entries) = &node.kind else {
            if node.is_null() {
                return Some(Fields {
                    node,
                    entries: &[],
                    misspelt: Vec::new(),
                });
            }
            self.expected(
                node,
                &format!("{what} (a mapping of `key: value` lines)"),
                None,
            );
            return None;
        };
        let keys = self.keys(entries);
        let mut misspelt = Vec::new();
        for (key, _, text) in keys {
            if !allowed.contains(&text) {
                let help = match nearest(text, allowed.iter().copied()) {
                    Some(near) => {
                        misspelt.push(near);
                        format!("did you mean `{near}`?")
                    }
                    None => format!("the fields are: {}", allowed.join(", ")),
                };
                self.error(key, format!("unknown field `{}`", shown(text)), Some(help));
            }
        }
        Some(Fields {
            node,
            entries,
            misspelt,
        })
    }

    /// The text keys of a mapping, reporting keys that are not text and repeated
    /// keys; each key is returned once (its first occurrence).
    pub fn keys<'n, 'a>(
        &mut self,
        entries: &'n [(Node<'a>, Node<'a>)],
    ) -> Vec<(&'n Node<'a>, &'n Node<'a>, &'n str)> {
        let mut seen: FxHashMap<&str, u32> = FxHashMap::default();
        seen.reserve(entries.len());
        let mut keys = Vec::with_capacity(entries.len());
        for (key, value) in entries {
            let Some((text, _)) = key.scalar() else {
                self.error(
                    key,
                    "a key must be a plain name, not a list or a mapping",
                    Some("write `name: value`".into()),
                );
                continue;
            };
            if let Some(first) = seen.insert(text, key.pos.line) {
                seen.insert(text, first);
                let first = self.source.line_name(first);
                self.error(
                    key,
                    format!("duplicate key `{}` (first on {first})", shown(text)),
                    Some(
                        "each key may appear once in a mapping; remove or merge the repeated one"
                            .into(),
                    ),
                );
                continue;
            }
            keys.push((key, value, text));
        }
        keys
    }

    /// A required field's value; reports it missing (at the mapping) or blank (at the
    /// key). `hint` is the help line: what to write.
    pub fn required<'n, 'a>(
        &mut self,
        fields: &Fields<'n, 'a>,
        key: &str,
        hint: &str,
    ) -> Option<&'n Node<'a>> {
        match fields.get(key) {
            None if fields.misspelt.contains(&key) => None,
            None => {
                self.at(
                    Severity::Error,
                    fields.node.pos,
                    fields.node.width(),
                    format!("missing required field `{key}`"),
                    Some(hint.to_owned()),
                );
                None
            }
            Some((k, v)) if v.is_null() => {
                self.error(k, format!("`{key}` is blank"), Some(hint.to_owned()));
                None
            }
            Some((_, v)) => Some(v),
        }
    }

    /// An optional field's value; `None` when absent or blank.
    pub fn optional<'n, 'a>(&self, fields: &Fields<'n, 'a>, key: &str) -> Option<&'n Node<'a>> {
        fields.get(key).map(|(_, v)| v).filter(|v| !v.is_null())
    }

    /// Free text: any scalar (a number or `true` is read as written), at most
    /// `max` characters, without control characters.
    pub fn text(&mut self, node: &Node<'_>, what: &str, max: usize) -> Option<String> {
        let Some((text, style)) = node.scalar() else {
            self.expected(
                node,
                what,
                Some("write it as text; quote it if it holds `: ` or `#`".into()),
            );
            return None;
        };
        self.bounded(node, text, style, what, max)
            .then(|| text.to_owned())
    }

    fn bounded(
        &mut self,
        node: &Node<'_>,
        text: &str,
        style: Style,
        what: &str,
        max: usize,
    ) -> bool {
        if text.len() > max {
            let chars = text.chars().count();
            if chars > max {
                self.error(
                    node,
                    format!("{what} is {chars} characters long; the limit is {max}"),
                    Some(format!("shorten it to at most {max} characters")),
                );
                return false;
            }
        }
        if let Some(c) = control_char(text, style) {
            let help = if style == Style::Double {
                "remove it; escapes such as \\a, \\e, \\0 or \\u0007 are not allowed in text"
            } else if c == '\t' {
                "replace the tab with spaces"
            } else {
                "remove it; text may not hold control characters"
            };
            self.error(
                node,
                format!("{what} contains a control character ({})", control_name(c)),
                Some(help.into()),
            );
            return false;
        }
        true
    }

    /// An id or a keyword: a text scalar (not a number, true/false or a list), at most
    /// [`MAX_NAME_CHARS`], without control characters. `help` lists what is valid.
    pub fn word<'n>(
        &mut self,
        node: &'n Node<'_>,
        what: &str,
        help: impl FnOnce() -> String,
    ) -> Option<&'n str> {
        match node.resolve() {
            Some(Resolved::Str(text)) => {
                let style = node.scalar().map_or(Style::Plain, |(_, s)| s);
                self.bounded(node, text, style, what, MAX_NAME_CHARS)
                    .then_some(text)
            }
            _ => {
                self.expected(node, what, Some(help()));
                None
            }
        }
    }

    /// An ISO 3166-1 alpha-2 country code (as assigned), with upper case as the help
    /// when only the case is wrong.
    pub fn country(&mut self, node: &Node<'_>) -> Option<String> {
        const HELP: &str =
            "use the ISO 3166-1 alpha-2 code, e.g. KH for Cambodia, FJ for Fiji, KE for Kenya";
        let code = self.word(node, "a country code", || HELP.into())?.trim();
        if crate::country::is_assigned(code) {
            return Some(code.to_owned());
        }
        let upper = code.to_ascii_uppercase();
        let help = if crate::country::is_assigned(&upper) {
            format!("country codes are upper case: `{upper}`")
        } else {
            HELP.into()
        };
        self.error(
            node,
            format!(
                "`{}` is not an ISO 3166-1 alpha-2 country code",
                shown(code)
            ),
            Some(help),
        );
        None
    }

    /// A TLP 2.0 label (`clear`, `green`, `amber`, `amber+strict`, `red`, any case,
    /// `TLP:` optional).
    pub fn tlp(&mut self, node: &Node<'_>) -> Option<crate::questionnaire::Tlp> {
        const HELP: &str = "use one of: clear, green, amber, amber+strict, red";
        let label = self.word(node, "a TLP label", || HELP.into())?;
        let tlp = crate::questionnaire::Tlp::parse(label);
        if tlp.is_none() {
            self.error(
                node,
                format!("`{}` is not a TLP 2.0 label", shown(label)),
                Some(HELP.into()),
            );
        }
        tlp
    }

    /// A calendar date, `YYYY-MM-DD`, that exists; `help` says how to write one.
    pub fn date(&mut self, node: &Node<'_>, help: &str) -> Option<crate::questionnaire::Date> {
        let text = self.word(node, "a date (YYYY-MM-DD)", || help.into())?;
        let date = crate::questionnaire::Date::parse(text.trim());
        if date.is_none() {
            self.error(
                node,
                format!("`{}` is not a valid date", shown(text)),
                Some(help.into()),
            );
        }
        date
    }

    /// A number (an integer or a decimal) with a check: `valid` returns the problem.
    pub fn number(
        &mut self,
        node: &Node<'_>,
        what: &str,
        valid: impl FnOnce(f64) -> Option<String>,
        help: &str,
    ) -> Option<f64> {
        let value = match node.resolve() {
            Some(Resolved::Int(i)) => i as f64,
            Some(Resolved::Float(f)) => f,
            _ => {
                self.expected(node, &format!("{what} (a number)"), Some(help.to_owned()));
                return None;
            }
        };
        match valid(value) {
            None => Some(value),
            Some(problem) => {
                let text = node.scalar().map_or(String::new(), |(t, _)| shown(t));
                self.error(
                    node,
                    format!("{what} {problem}, found {text}"),
                    Some(help.to_owned()),
                );
                None
            }
        }
    }

    /// A weight: 0 < w <= [`MAX_WEIGHT`].
    pub fn weight(&mut self, node: &Node<'_>, what: &str) -> Option<f64> {
        self.number(
            node,
            what,
            |w| {
                (!(w.is_finite() && w > 0.0 && w <= MAX_WEIGHT))
                    .then(|| format!("must be greater than 0 and at most {MAX_WEIGHT}"))
            },
            "weights are relative shares such as 0.5, 1 or 2.5 (default 1)",
        )
    }

    /// A whole number that fits `u32`.
    pub fn integer(&mut self, node: &Node<'_>, what: &str, help: &str) -> Option<u32> {
        match node.resolve() {
            Some(Resolved::Int(i)) => match u32::try_from(i) {
                Ok(n) => Some(n),
                Err(_) => {
                    self.error(
                        node,
                        format!("{what} must be a whole number from 0, found {i}"),
                        Some(help.to_owned()),
                    );
                    None
                }
            },
            _ => {
                self.expected(
                    node,
                    &format!("{what} (a whole number)"),
                    Some(help.to_owned()),
                );
                None
            }
        }
    }

    /// `true` or `false`.
    pub fn boolean(&mut self, node: &Node<'_>, what: &str) -> Option<bool> {
        match node.resolve() {
            Some(Resolved::Bool(b)) => Some(b),
            _ => {
                self.expected(
                    node,
                    &format!("{what} (true or false)"),
                    Some("write true or false".into()),
                );
                None
            }
        }
    }

    /// The items of a list (a blank value is an empty list).
    pub fn list<'n, 'a>(&mut self, node: &'n Node<'a>, what: &str) -> Option<&'n [Node<'a>]> {
        match &node.kind {
            Kind::Seq(items) => Some(items),
            _ if node.is_null() => Some(&[]),
            _ => {
                self.expected(
                    node,
                    &format!("{what} (a list)"),
                    Some("write a list as [a, b] or as `- ` lines under the key".into()),
                );
                None
            }
        }
    }

    /// A string or a list of strings.
    pub fn texts(
        &mut self,
        node: &Node<'_>,
        what: &str,
        max_items: usize,
        max: usize,
    ) -> Vec<String> {
        match &node.kind {
            Kind::Scalar { .. } if node.is_null() => Vec::new(),
            Kind::Scalar { .. } => self.text(node, what, max).into_iter().collect(),
            Kind::Seq(items) => {
                if items.len() > max_items {
                    self.error(
                        node,
                        format!(
                            "{what} lists {} items; the limit is {max_items}",
                            items.len()
                        ),
                        Some("merge or shorten the list".into()),
                    );
                    return Vec::new();
                }
                items
                    .iter()
                    .filter(|item| !item.is_null())
                    .filter_map(|item| self.text(item, what, max))
                    .collect()
            }
            Kind::Map(_) => {
                self.expected(node, &format!("{what} (text or a list of texts)"), None);
                Vec::new()
            }
        }
    }
}
