//! Arrows between two rounds (a slopegraph laid flat): one row per country (or
//! domain), a hollow grey circle at the previous value, an arrow to a filled dark
//! circle at the current value, and both values with the signed change printed at
//! the end of the row ("37.8 → 48.9 (+11.1)"), so the direction reads without colour
//! and the printed change is always `current - previous`. Pure: data in, SVG out;
//! rows are drawn in the order given.

use plotters::style::text_anchor::{HPos, VPos};

use super::{
    BASE_WIDTH, CURRENT, INK, LABEL_PX, LegendItem, MARGIN, Marker, PREVIOUS, Painter, SMALL_PX,
    Swatch, TextSpec, draw_legend, legend_height, nice_ticks, render, text_width, title_height,
    title_lines, truncate,
};
use crate::i18n::Strings;

/// Arrows from a previous to a current value, per row.
#[derive(Debug, Clone, PartialEq)]
pub struct Arrows {
    /// Visible title and accessible name.
    pub title: String,
    /// The x axis title, e.g. "Index (0–100)".
    pub value_name: String,
    /// Fixed end of the scale (100 for an index); `None` fits the data.
    pub max_value: Option<f64>,
    /// Legend names of the two ends, e.g. "Previous round", "Latest round".
    pub from_name: String,
    pub to_name: String,
    /// Decimals printed.
    pub decimals: usize,
    pub rows: Vec<ArrowRow>,
}

/// One row: a label and its two values.
#[derive(Debug, Clone, PartialEq)]
pub struct ArrowRow {
    /// Cut with an ellipsis past 30 characters.
    pub label: String,
    pub from: f64,
    pub to: f64,
}

const ROW_H: f64 = 24.0;
const LABEL_CHARS: usize = 30;
const X_AXIS_H: f64 = 46.0;

fn clean(v: f64) -> f64 {
    if v.is_finite() { v } else { 0.0 }
}

/// [`change_text`] with the numbers in the conventions of `s`.
pub fn change_text(from: f64, to: f64, decimals: usize, s: &Strings) -> String {
    let change = to - from;
    let magnitude = format!("{:.*}", decimals, change.abs());
    let zero = magnitude.chars().all(|c| c == '0' || c == '.');
    let sign = if zero {
        "±"
    } else if change > 0.0 {
        "+"
    } else {
        "−"
    };
    let magnitude = s.fixed(change.abs(), decimals);
    format!(
        "{} → {} ({sign}{magnitude})",
        s.number(from, decimals),
        s.number(to, decimals)
    )
}

fn summary(chart: &Arrows, s: &Strings) -> String {
    if chart.rows.is_empty() {
        return s.fmt("chart.arrows.empty", &[("what", &chart.value_name.trim())]);
    }
    let rows: Vec<String> = chart
        .rows
        .iter()
        .map(|r| {
            format!(
                "{} {}",
                r.label.trim(),
                change_text(clean(r.from), clean(r.to), chart.decimals, s)
            )
        })
        .collect();
    s.fmt(
        "chart.arrows.desc",
        &[
            ("what", &chart.value_name.trim()),
            ("from", &chart.from_name.trim()),
            ("to", &chart.to_name.trim()),
            ("rows", &rows.join(s.get("summary.trend.separator"))),
        ],
    )
}

/// [`arrows`] worded with `s`.
pub fn arrows(chart: &Arrows, s: &Strings) -> String {
    let width = BASE_WIDTH;
    let labels: Vec<String> = chart
        .rows
        .iter()
        .map(|r| truncate(&r.label, LABEL_CHARS, f64::INFINITY, LABEL_PX))
        .collect();
    let texts: Vec<String> = chart
        .rows
        .iter()
        .map(|r| change_text(clean(r.from), clean(r.to), chart.decimals, s))
        .collect();
    let label_w = labels
        .iter()
        .map(|l| text_width(l, LABEL_PX))
        .fold(0.0, f64::max);
    let text_w = texts
        .iter()
        .map(|t| text_width(t, SMALL_PX))
        .fold(0.0, f64::max);
    let data_max = chart
        .rows
        .iter()
        .flat_map(|r| [clean(r.from), clean(r.to)])
        .fold(0.0, f64::max);
    let max = chart
        .max_value
        .filter(|m| m.is_finite() && *m > 0.0)
        .unwrap_or(0.0)
        .max(data_max);
    let ticks = nice_ticks(max, 5);
    let hi = ticks.last().copied().unwrap_or(1.0);

    let title = title_lines(&chart.title, width);
    let items = vec![
        LegendItem {
            swatch: Swatch::Series {
                colour: PREVIOUS,
                dashed: false,
                marker: Some(Marker::Circle),
                hollow: true,
            },
            label: chart.from_name.clone(),
        },
        LegendItem {
            swatch: Swatch::Series {
                colour: CURRENT,
                dashed: false,
                marker: Some(Marker::Circle),
                hollow: false,
            },
            label: chart.to_name.clone(),
        },
    ];
    let legend_top = MARGIN + title_height(&title) + 8.0;
    let top = legend_top + legend_height(&items, width - 2.0 * MARGIN) + 12.0;
    let label_right = MARGIN + label_w;
    let left = label_right + 14.0;
    let right = width - MARGIN - text_w - 12.0;
    let bottom = top + chart.rows.len().max(1) as f64 * ROW_H;
    let height = bottom + X_AXIS_H + MARGIN;
    let x = move |v: f64| left + (right - left) * (clean(v).clamp(0.0, hi)) / hi;

    render(
        "arrows",
        (width, height),
        &chart.title,
        &summary(chart, s),
        |p: &mut Painter| {
            p.title(&title);
            draw_legend(p, &items, (MARGIN, legend_top), width - 2.0 * MARGIN);
            p.value_axis(
                ticks.iter().map(|t| (x(*t), s.tick(*t, 0))),
                (left, right),
                (top, bottom),
                &chart.value_name,
                chart
                    .rows
                    .is_empty()
                    .then_some(s.get("chart.no_earlier_rounds")),
            );
            for (r, (row, (label, text))) in
                chart.rows.iter().zip(labels.iter().zip(&texts)).enumerate()
            {
                let mid = top + (r as f64 + 0.5) * ROW_H;
                p.text(
                    (label_right, mid),
                    label,
                    TextSpec::new(LABEL_PX).anchor(HPos::Right, VPos::Center),
                );
                let (x0, x1) = (x(row.from), x(row.to));
                let length = (x1 - x0).abs();
                if length > 10.0 {
                    let dir = (x1 - x0).signum();
                    let tip = x1 - dir * 6.0;
                    p.line(&[(x0, mid), (tip - dir * 6.0, mid)], INK, 2);
                    p.polygon(
                        &[
                            (tip, mid),
                            (tip - dir * 7.0, mid - 5.0),
                            (tip - dir * 7.0, mid + 5.0),
                        ],
                        INK,
                        1.0,
                    );
                }
                p.marker(Marker::Circle, (x0, mid), 5.0, PREVIOUS, true);
                p.marker(Marker::Circle, (x1, mid), 5.0, CURRENT, false);
                p.text(
                    (right + 12.0, mid),
                    text,
                    TextSpec::new(SMALL_PX)
                        .colour(INK)
                        .anchor(HPos::Left, VPos::Center),
                );
            }
        },
    )
}

#[cfg(test)]
mod tests {
    use super::super::testing::{assert_escaped, check, text_boxes};
    use super::*;
    use crate::i18n::Lang;

    fn chart() -> Arrows {
        Arrows {
            title: "Index between rounds".to_owned(),
            value_name: "Index (0–100)".to_owned(),
            max_value: Some(100.0),
            from_name: "Previous round".to_owned(),
            to_name: "Latest round".to_owned(),
            decimals: 1,
            rows: vec![
                ArrowRow {
                    label: "Cambodia (1 of 3)".to_owned(),
                    from: 13.41,
                    to: 25.27,
                },
                ArrowRow {
                    label: "Kenya".to_owned(),
                    from: 60.0,
                    to: 52.5,
                },
                ArrowRow {
                    label: "Nepal".to_owned(),
                    from: 40.0,
                    to: 40.0,
                },
            ],
        }
    }

    #[test]
    fn both_values_and_the_change_are_printed() {
        let svg = arrows(&chart(), Strings::builtin(Lang::En));
        check(&svg);
        let texts: Vec<String> = text_boxes(&svg).into_iter().map(|b| b.text).collect();
        for expected in [
            "13.4 → 25.3 (+11.9)",
            "60 → 52.5 (−7.5)",
            "40 → 40 (±0.0)",
            "Previous round",
            "Latest round",
            "Cambodia (1 of 3)",
        ] {
            assert!(
                texts.iter().any(|t| t == expected),
                "{expected} in {texts:?}"
            );
        }
    }

    #[test]
    fn odd_input_draws_cleanly_and_text_is_escaped() {
        let mut odd = chart();
        odd.rows[0].from = f64::NAN;
        odd.rows[1].to = 1e9;
        odd.max_value = None;
        check(&arrows(&odd, Strings::builtin(Lang::En)));
        let mut empty = chart();
        empty.rows.clear();
        check(&arrows(&empty, Strings::builtin(Lang::En)));
        let evil = r#"<script>alert("x")</script> & Co"#;
        let mut chart = chart();
        chart.rows[0].label = evil.to_owned();
        chart.title = evil.to_owned();
        let svg = arrows(&chart, Strings::builtin(Lang::En));
        check(&svg);
        assert_escaped(&svg, evil);
    }
}
