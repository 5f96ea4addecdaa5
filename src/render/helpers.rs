//! The Handlebars helpers the report templates use: `t` (a sentence of the
//! page's string table, `{{t "key" count=n name=x}}`), number formatting in the
//! page's language (`pct`, `fixed`, `num` (at most n decimals), `thousands` (a
//! whole number with separators), `usd` — the charts' own money format, so tables
//! and charts agree —, `date`, `dash`), `level_name`, `plural`, and strict
//! `if`/`unless` that fail on a missing field instead of treating it as false.
//! Missing values (`null`) print as "—". Pure functions of their arguments and
//! the string table; no IO.

use std::sync::Arc;

use handlebars::{
    Context, Handlebars, Helper, HelperDef, HelperResult, JsonRender, JsonTruthy, Output,
    RenderContext, RenderError, RenderErrorReason, Renderable, handlebars_helper,
};
use serde_json::Value as Json;

use crate::i18n::{Entry, Lang, Strings};

/// What a missing number prints as.
pub const MISSING: &str = "—";

/// Registers every helper on `registry`, with the English string table.
pub fn register(registry: &mut Handlebars<'static>) {
    register_in(registry, Arc::new(Strings::builtin(Lang::En).clone()));
}

/// Registers every helper on `registry`, worded and formatted with `strings`.
pub fn register_in(registry: &mut Handlebars<'static>, strings: Arc<Strings>) {
    registry.register_helper("t", Box::new(Translate(strings.clone())));
    registry.register_helper(
        "pct",
        Box::new(Number {
            strings: strings.clone(),
            kind: NumberKind::Pct,
        }),
    );
    registry.register_helper(
        "fixed",
        Box::new(Number {
            strings: strings.clone(),
            kind: NumberKind::Fixed,
        }),
    );
    registry.register_helper(
        "num",
        Box::new(Number {
            strings: strings.clone(),
            kind: NumberKind::Num,
        }),
    );
    registry.register_helper(
        "usd",
        Box::new(Number {
            strings: strings.clone(),
            kind: NumberKind::Usd,
        }),
    );
    registry.register_helper(
        "thousands",
        Box::new(Number {
            strings: strings.clone(),
            kind: NumberKind::Thousands,
        }),
    );
    registry.register_helper(
        "date",
        Box::new(Number {
            strings: strings.clone(),
            kind: NumberKind::Date,
        }),
    );
    registry.register_helper("dash", Box::new(Dash));
    registry.register_helper("plural", Box::new(Plural));
    registry.register_helper("level_name", Box::new(LevelName(strings)));
    registry.register_helper("if", Box::new(StrictIf { positive: true }));
    registry.register_helper("unless", Box::new(StrictIf { positive: false }));
}

#[derive(Clone, Copy)]
enum NumberKind {
    Pct,
    Fixed,
    Num,
    Usd,
    Thousands,
    Date,
}

/// `{{pct share digits=1}}`, `{{fixed x 1}}`, `{{num x 1}}`, `{{usd x}}`,
/// `{{thousands x}}`, `{{date "2026-12-02"}}`: in the table's language.
struct Number {
    strings: Arc<Strings>,
    kind: NumberKind,
}

impl HelperDef for Number {
    fn call<'reg: 'rc, 'rc>(
        &self,
        helper: &Helper<'rc>,
        _: &'reg Handlebars<'reg>,
        _: &'rc Context,
        _: &mut RenderContext<'reg, 'rc>,
        out: &mut dyn Output,
    ) -> HelperResult {
        let name = helper.name();
        let param = helper
            .param(0)
            .ok_or(RenderErrorReason::ParamNotFoundForIndex("number", 0))?;
        if param.is_value_missing() {
            return Err(RenderError::strict_error(param.relative_path()));
        }
        let digits = |index: usize| -> Result<usize, RenderError> {
            helper
                .param(index)
                .and_then(|p| p.value().as_u64())
                .map(|d| d as usize)
                .ok_or_else(|| {
                    RenderErrorReason::Other(format!("`{name}` needs a number of decimals")).into()
                })
        };
        let s = &self.strings;
        let value = param.value();
        let text = match (self.kind, value.as_f64()) {
            (NumberKind::Date, _) => match value.as_str() {
                Some(iso) => s.date(iso),
                None => MISSING.to_owned(),
            },
            (_, None) => MISSING.to_owned(),
            (NumberKind::Pct, Some(share)) => {
                let digits = helper
                    .hash_get("digits")
                    .and_then(|d| d.value().as_u64())
                    .unwrap_or(0);
                s.pct(share, digits as usize)
            }
            (NumberKind::Fixed, Some(x)) => s.fixed(x, digits(1)?),
            (NumberKind::Num, Some(x)) => s.number(x, digits(1)?),
            (NumberKind::Usd, Some(x)) => s.usd(x),
            (NumberKind::Thousands, Some(x)) => s.count(x),
        };
        out.write(&handlebars::html_escape(&text))?;
        Ok(())
    }
}

/// `{{t "key" name=value count=n}}`: the text of `key` in the page's string table,
/// its plural form chosen by `count`, its `{name}` placeholders filled. Whole
/// numbers print with the language's separators; other values as they are (format
/// them first: `value=(pct share)`). Everything is escaped, except the text of a
/// key ending in `_html` (theme text, like the templates; its values are still
/// escaped). A key the table lacks is an error, never an empty cell.
struct Translate(Arc<Strings>);

impl HelperDef for Translate {
    fn call<'reg: 'rc, 'rc>(
        &self,
        helper: &Helper<'rc>,
        _: &'reg Handlebars<'reg>,
        _: &'rc Context,
        _: &mut RenderContext<'reg, 'rc>,
        out: &mut dyn Output,
    ) -> HelperResult {
        let key = helper
            .param(0)
            .and_then(|p| p.value().as_str())
            .ok_or_else(|| RenderErrorReason::Other("`t` needs a key in quotes".into()))?;
        let strings = &self.0;
        let Some(entry) = strings.entry(key) else {
            return Err(RenderErrorReason::Other(format!(
                "`{key}` is not a key of the {} string table",
                strings.lang()
            ))
            .into());
        };
        let mut args: Vec<(&str, String)> = Vec::new();
        for (name, value) in helper.hash() {
            if value.is_value_missing() {
                return Err(RenderError::strict_error(value.relative_path()));
            }
            let text = match value.value() {
                Json::Null => MISSING.to_owned(),
                Json::Number(n) if n.as_f64().is_some_and(|x| x.fract() == 0.0) => {
                    strings.count(n.as_f64().unwrap_or(0.0))
                }
                other => other.render(),
            };
            args.push((name, text));
        }
        let count = helper.hash_get("count").and_then(|c| c.value().as_u64());
        let text = match (entry, count) {
            (Entry::Plural { .. }, None) => {
                return Err(RenderErrorReason::Other(format!(
                    "`{key}` has plural forms: give it `count=`"
                ))
                .into());
            }
            (_, Some(count)) => strings.form(key, count),
            (_, None) => strings.get(key),
        };
        let raw = key.ends_with("_html");
        let escaped: Vec<(&str, String)> = args
            .iter()
            .map(|(name, value)| (*name, handlebars::html_escape(value)))
            .collect();
        let values: Vec<(&str, &dyn std::fmt::Display)> = escaped
            .iter()
            .map(|(name, value)| (*name, value as &dyn std::fmt::Display))
            .collect();
        let filled = if raw {
            crate::i18n::fill(text, &values)
        } else {
            crate::i18n::fill(&handlebars::html_escape(text), &values)
        };
        out.write(&filled)?;
        Ok(())
    }
}

handlebars_helper!(Dash: |value: Json| match value {
    Json::Null => MISSING.to_owned(),
    Json::String(text) => text.clone(),
    other => other.to_string(),
});

handlebars_helper!(Plural: |count: u64, singular: str, plural: str| {
    format!("{count} {}", if count == 1 { singular } else { plural })
});

/// A share (0..1) as a percentage: `0.734` → `73%`.
pub fn format_pct(share: f64, digits: usize) -> String {
    format!("{:.*}%", digits, share * 100.0)
}

/// `{{level_name n}}`: the model's name for level `n`, looked up in
/// `meta.model.levels` of the page; level 0 and `null` (not assessed) are worded by
/// the string table.
struct LevelName(Arc<Strings>);

impl HelperDef for LevelName {
    fn call<'reg: 'rc, 'rc>(
        &self,
        helper: &Helper<'rc>,
        _: &'reg Handlebars<'reg>,
        context: &'rc Context,
        _: &mut RenderContext<'reg, 'rc>,
        out: &mut dyn Output,
    ) -> HelperResult {
        let param = helper
            .param(0)
            .ok_or(RenderErrorReason::ParamNotFoundForIndex("level_name", 0))?;
        if param.is_value_missing() {
            return Err(RenderError::strict_error(param.relative_path()));
        }
        let name = match param.value().as_u64() {
            None => self.0.get("level.not_assessed").to_owned(),
            Some(0) => self.0.get("level.none").to_owned(),
            Some(level) => context
                .data()
                .pointer("/meta/model/levels")
                .and_then(Json::as_array)
                .and_then(|levels| levels.iter().find(|l| l["level"].as_u64() == Some(level)))
                .and_then(|l| l["name"].as_str())
                .map_or_else(
                    || self.0.fmt("level.numbered", &[("level", &level)]),
                    str::to_owned,
                ),
        };
        out.write(&handlebars::html_escape(&name))?;
        Ok(())
    }
}

/// `if`/`unless` that refuse a missing field, so a misspelt name in a condition
/// is an error like everywhere else in strict mode (the built-in ones treat it as
/// false). `null`, `false`, `0`, `""` and `[]` are false.
struct StrictIf {
    positive: bool,
}

impl HelperDef for StrictIf {
    fn call<'reg: 'rc, 'rc>(
        &self,
        helper: &Helper<'rc>,
        registry: &'reg Handlebars<'reg>,
        context: &'rc Context,
        render_context: &mut RenderContext<'reg, 'rc>,
        out: &mut dyn Output,
    ) -> HelperResult {
        let name = if self.positive { "if" } else { "unless" };
        let param = helper
            .param(0)
            .ok_or(RenderErrorReason::ParamNotFoundForIndex(name, 0))?;
        if param.is_value_missing() {
            return Err(RenderError::strict_error(param.relative_path()));
        }
        let include_zero = helper
            .hash_get("includeZero")
            .and_then(|v| v.value().as_bool())
            .unwrap_or(false);
        let truthy = param.value().is_truthy(include_zero) == self.positive;
        match if truthy {
            helper.template()
        } else {
            helper.inverse()
        } {
            Some(template) => template.render(registry, context, render_context, out),
            None => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn check(template: &str, data: Json, expected: &str) {
        let mut registry = Handlebars::new();
        registry.set_strict_mode(true);
        register(&mut registry);
        let out = registry.render_template(template, &data).unwrap();
        assert_eq!(out, expected, "{template}");
    }

    #[test]
    fn numbers() {
        check("{{pct x}}", json!({"x": 0.734}), "73%");
        check("{{pct x digits=1}}", json!({"x": 0.7345}), "73.5%");
        check("{{pct x}}", json!({"x": null}), "—");
        check("{{fixed x 1}}", json!({"x": 62.46}), "62.5");
        check("{{fixed x 2}}", json!({"x": null}), "—");
        check("{{dash x}}", json!({"x": 0}), "0");
        check("{{dash x}}", json!({"x": null}), "—");
        check(
            "{{plural n \"operator\" \"operators\"}}",
            json!({"n": 1}),
            "1 operator",
        );
        check(
            "{{plural n \"operator\" \"operators\"}}",
            json!({"n": 3}),
            "3 operators",
        );
    }

    #[test]
    fn dollars() {
        for (amount, text) in [
            (0.0, "$0"),
            (900.0, "$900"),
            (7_500.0, "$7.5k"),
            (20_000.0, "$20k"),
            (250_000.0, "$250k"),
            (45_500.0, "$45.5k"),
            (999_400.0, "$999k"),
            (999_700.0, "$1M"),
            (999_999.0, "$1M"),
            (1_200_000.0, "$1.2M"),
            (12_540_000.0, "$12.5M"),
            (-60_000.0, "-$60k"),
        ] {
            assert_eq!(crate::charts::format_usd(amount), text, "{amount}");
        }
        check("{{usd x}}", json!({"x": 60000}), "$60k");
        check("{{thousands x}}", json!({"x": 3721.4}), "3,721");
    }

    #[test]
    fn level_names_come_from_the_page() {
        let data = json!({"meta": {"model": {"levels": [{"level": 1, "name": "Initiated <1>"}]}}, "a": 1, "b": 0, "c": null});
        check(
            "{{level_name a}}|{{level_name b}}|{{level_name c}}",
            data,
            "Initiated &lt;1&gt;|None|Not assessed",
        );
    }

    #[test]
    fn strict_if_refuses_missing_fields() {
        check(
            "{{#if a}}y{{else}}n{{/if}}{{#unless b}}u{{/unless}}",
            json!({"a": null, "b": []}),
            "nu",
        );
        let mut registry = Handlebars::new();
        registry.set_strict_mode(true);
        register(&mut registry);
        let error = registry
            .render_template("{{#if misspelt}}y{{/if}}", &json!({"spelt": true}))
            .unwrap_err();
        assert!(error.to_string().contains("misspelt"), "{error}");
    }
}
