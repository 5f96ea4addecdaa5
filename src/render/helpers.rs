//! The Handlebars helpers the report templates use: number formatting (`pct`,
//! `fixed`, `thousands` (a whole number with separators), `usd` — the charts' own `format_usd`, so tables and charts agree —, `dash`), `level_name`, `plural`, and strict `if`/`unless`
//! that fail on a missing field instead of treating it as false. Missing values
//! (`null`) print as "—". Pure functions of their arguments; no IO.

use handlebars::{
    Context, Handlebars, Helper, HelperDef, HelperResult, JsonTruthy, Output, RenderContext,
    RenderError, RenderErrorReason, Renderable, handlebars_helper,
};
use serde_json::Value as Json;

/// What a missing number prints as.
pub const MISSING: &str = "—";

/// Registers every helper on `registry`.
pub fn register(registry: &mut Handlebars<'static>) {
    registry.register_helper("pct", Box::new(Pct));
    registry.register_helper("fixed", Box::new(Fixed));
    registry.register_helper("usd", Box::new(Usd));
    registry.register_helper("thousands", Box::new(Thousands));
    registry.register_helper("dash", Box::new(Dash));
    registry.register_helper("plural", Box::new(Plural));
    registry.register_helper("level_name", Box::new(LevelName));
    registry.register_helper("if", Box::new(StrictIf { positive: true }));
    registry.register_helper("unless", Box::new(StrictIf { positive: false }));
}

handlebars_helper!(Pct: |share: Json, {digits: u64 = 0}| match share.as_f64() {
    Some(share) => format_pct(share, digits as usize),
    None => MISSING.to_owned(),
});

handlebars_helper!(Fixed: |number: Json, digits: u64| match number.as_f64() {
    Some(number) => format!("{:.*}", digits as usize, number),
    None => MISSING.to_owned(),
});

handlebars_helper!(Usd: |amount: Json| match amount.as_f64() {
    // One formatter for charts and tables, so an amount reads the same in both.
    Some(amount) => crate::charts::format_usd(amount),
    None => MISSING.to_owned(),
});

handlebars_helper!(Thousands: |number: Json| match number.as_f64() {
    Some(number) => crate::charts::format_count(number),
    None => MISSING.to_owned(),
});

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
/// `meta.model.levels` of the page; level 0 is "None", `null` is "Not assessed".
struct LevelName;

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
            None => "Not assessed".to_owned(),
            Some(0) => "None".to_owned(),
            Some(level) => context
                .data()
                .pointer("/meta/model/levels")
                .and_then(Json::as_array)
                .and_then(|levels| levels.iter().find(|l| l["level"].as_u64() == Some(level)))
                .and_then(|l| l["name"].as_str())
                .map_or_else(|| format!("Level {level}"), str::to_owned),
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
