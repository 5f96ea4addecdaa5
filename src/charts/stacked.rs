//! Stacked horizontal bars: one bar per row, split into segments of named series,
//! each segment's value printed in it where it fits and the row's total at the end
//! of the bar, so the numbers read on paper without a table. Used for the practices
//! of each domain by response (the C2M2 report's view) and for the funded aid
//! package by country and intervention kind. Series are told apart by lightness
//! (a sequential scale from dark to light), so the chart reads in greyscale; the
//! legend names them in the same order. Pure: data in, SVG string out; rows are
//! drawn in the order given.

use plotters::style::text_anchor::{HPos, VPos};

use super::{
    AXIS, BASE_WIDTH, INK, LABEL_PX, LegendItem, MARGIN, Painter, SMALL_PX, Swatch, TextSpec,
    draw_legend, legend_height, nice_ticks, render, sequential, text_colour_on, text_width,
    title_height, title_lines, truncate,
};
use crate::i18n::Strings;

/// Rows of stacked segments.
#[derive(Debug, Clone, PartialEq)]
pub struct Stacked {
    /// Visible title and accessible name.
    pub title: String,
    /// What the values are: the x axis title, e.g. "Practices".
    pub value_name: String,
    /// How values print.
    pub unit: Unit,
    /// The series, in stacking order (left to right) and legend order.
    pub series: Vec<String>,
    /// How many of the last series are "no answer" kinds (not applicable,
    /// unanswered): drawn in neutral light grey and white instead of the blue scale.
    pub neutral_tail: usize,
    /// The bars, top to bottom.
    pub rows: Vec<StackedRow>,
}

/// How the values of a [`Stacked`] chart print.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    /// Whole numbers: `12`.
    Count,
    /// US dollars, short: `$45.5k`.
    Usd,
}

/// One bar.
#[derive(Debug, Clone, PartialEq)]
pub struct StackedRow {
    /// Row label; cut with an ellipsis past 26 characters.
    pub label: String,
    /// One value per series (missing ones count as 0); negative and odd values as 0.
    pub values: Vec<f64>,
}

const ROW_H: f64 = 24.0;
const BAR_H: f64 = 16.0;
const LABEL_CHARS: usize = 26;
const X_AXIS_H: f64 = 46.0;

impl Unit {
    fn format(self, value: f64, s: &Strings) -> String {
        match self {
            Unit::Count => s.tick(value, 0),
            Unit::Usd => s.usd(value),
        }
    }
}

fn clean(value: f64) -> f64 {
    if value.is_finite() {
        value.max(0.0)
    } else {
        0.0
    }
}

/// The fill of series `i` of `n`, the last `neutral` of them neutral: the others
/// dark to light blue, evenly apart in lightness; the neutral ones light grey, then
/// white (outlined).
fn tone(i: usize, n: usize, neutral: usize) -> plotters::style::RGBColor {
    let neutral = neutral.min(n);
    let blues = n - neutral;
    if i >= blues {
        return if i + 1 == n && neutral > 1 {
            plotters::style::WHITE
        } else {
            super::NO_DATA
        };
    }
    if blues <= 1 {
        return sequential(0.85);
    }
    sequential(0.95 - 0.75 * i as f64 / (blues - 1) as f64)
}

fn values(chart: &Stacked, row: &StackedRow) -> Vec<f64> {
    (0..chart.series.len())
        .map(|i| row.values.get(i).copied().map_or(0.0, clean))
        .collect()
}

fn summary(chart: &Stacked, s: &Strings) -> String {
    let what = chart.value_name.trim();
    if chart.rows.is_empty() {
        return s.fmt("chart.stacked.empty", &[("what", &what)]);
    }
    let totals: Vec<(String, f64)> = chart
        .rows
        .iter()
        .map(|r| (r.label.trim().to_owned(), values(chart, r).iter().sum()))
        .collect();
    let all: f64 = totals.iter().map(|(_, t)| t).sum();
    let by_series: Vec<String> = chart
        .series
        .iter()
        .enumerate()
        .map(|(i, name)| {
            let sum: f64 = chart.rows.iter().map(|r| values(chart, r)[i]).sum();
            format!("{} {}", name.trim(), chart.unit.format(sum, s))
        })
        .collect();
    let rows: Vec<String> = totals
        .iter()
        .map(|(label, total)| format!("{label} {}", chart.unit.format(*total, s)))
        .collect();
    s.fmt(
        "chart.stacked.desc",
        &[
            ("what", &what),
            ("count", &chart.rows.len()),
            ("all", &chart.unit.format(all, s)),
            ("rows", &rows.join(s.get("list.separator"))),
            ("series", &by_series.join(s.get("list.separator"))),
        ],
    )
}

/// [`stacked`] worded with `s`.
pub fn stacked(chart: &Stacked, s: &Strings) -> String {
    let width = BASE_WIDTH;
    let labels: Vec<String> = chart
        .rows
        .iter()
        .map(|r| truncate(&r.label, LABEL_CHARS, f64::INFINITY, LABEL_PX))
        .collect();
    let rows: Vec<Vec<f64>> = chart.rows.iter().map(|r| values(chart, r)).collect();
    let totals: Vec<f64> = rows.iter().map(|v| v.iter().sum()).collect();
    let total_texts: Vec<String> = totals.iter().map(|t| chart.unit.format(*t, s)).collect();
    let label_w = labels
        .iter()
        .map(|l| text_width(l, LABEL_PX))
        .fold(0.0, f64::max);
    let total_w = total_texts
        .iter()
        .map(|t| text_width(t, SMALL_PX))
        .fold(0.0, f64::max);
    let ticks = nice_ticks(totals.iter().copied().fold(0.0, f64::max), 5);
    let hi = ticks.last().copied().unwrap_or(1.0);
    let tick_texts: Vec<String> = ticks.iter().map(|t| chart.unit.format(*t, s)).collect();
    let tick_half = tick_texts
        .iter()
        .map(|t| text_width(t, SMALL_PX) / 2.0)
        .fold(0.0, f64::max);

    let title = title_lines(&chart.title, width);
    let items: Vec<LegendItem> = chart
        .series
        .iter()
        .enumerate()
        .map(|(i, name)| LegendItem {
            swatch: Swatch::Bar(tone(i, chart.series.len(), chart.neutral_tail)),
            label: name.clone(),
        })
        .collect();
    let legend_top = MARGIN + title_height(&title) + 8.0;
    let legend_h = legend_height(&items, width - 2.0 * MARGIN);
    let top = legend_top + legend_h + 10.0;
    let label_right = MARGIN + label_w;
    let left = label_right + 10.0 + tick_half;
    let right = width - MARGIN - (total_w + 8.0).max(tick_half);
    let bottom = top + chart.rows.len().max(1) as f64 * ROW_H;
    let height = bottom + X_AXIS_H + MARGIN;
    let x = move |v: f64| left + (right - left) * v / hi;

    render(
        "stacked",
        (width, height),
        &chart.title,
        &summary(chart, s),
        |p: &mut Painter| {
            p.title(&title);
            draw_legend(p, &items, (MARGIN, legend_top), width - 2.0 * MARGIN);
            p.value_axis(
                ticks
                    .iter()
                    .zip(&tick_texts)
                    .map(|(t, text)| (x(*t), text.clone())),
                (left, right),
                (top, bottom),
                &chart.value_name,
                chart.rows.is_empty().then_some(s.get("chart.no_data")),
            );
            let n = chart.series.len();
            for (r, (label, values)) in labels.iter().zip(&rows).enumerate() {
                let mid = top + (r as f64 + 0.5) * ROW_H;
                p.text(
                    (label_right, mid),
                    label,
                    TextSpec::new(LABEL_PX).anchor(HPos::Right, VPos::Center),
                );
                let mut at = 0.0;
                for (i, value) in values.iter().enumerate() {
                    if *value <= 0.0 {
                        continue;
                    }
                    let (x0, x1) = (x(at), x(at + value));
                    let fill = tone(i, n, chart.neutral_tail);
                    let edge = if fill == plotters::style::WHITE {
                        super::HATCH
                    } else {
                        plotters::style::WHITE
                    };
                    p.rect(
                        (x0, mid - BAR_H / 2.0),
                        (x1, mid + BAR_H / 2.0),
                        Some(fill),
                        Some((edge, 1)),
                    );
                    let text = chart.unit.format(*value, s);
                    if text_width(&text, SMALL_PX) + 4.0 <= x1 - x0 {
                        p.text(
                            ((x0 + x1) / 2.0, mid),
                            &text,
                            TextSpec::new(SMALL_PX)
                                .colour(text_colour_on(fill))
                                .anchor(HPos::Center, VPos::Center),
                        );
                    }
                    at += value;
                }
                p.text(
                    (x(at) + 6.0, mid),
                    &total_texts[r],
                    TextSpec::new(SMALL_PX)
                        .bold()
                        .colour(INK)
                        .anchor(HPos::Left, VPos::Center),
                );
            }
            p.line(&[(left, top), (left, bottom)], AXIS, 1);
        },
    )
}

#[cfg(test)]
mod tests {
    use super::super::testing::{assert_escaped, check, text_boxes};
    use super::*;
    use crate::i18n::Lang;

    fn chart(rows: usize) -> Stacked {
        Stacked {
            title: "Practices by response".to_owned(),
            value_name: "Practices".to_owned(),
            unit: Unit::Count,
            series: ["Fully", "Largely", "Partially", "Not"]
                .map(str::to_owned)
                .to_vec(),
            neutral_tail: 1,
            rows: (0..rows)
                .map(|r| StackedRow {
                    label: format!("DOMAIN-{r}"),
                    values: vec![r as f64, 2.0, 1.0, 3.0],
                })
                .collect(),
        }
    }

    #[test]
    fn segments_and_totals_are_printed() {
        let svg = stacked(&chart(4), Strings::builtin(Lang::En));
        check(&svg);
        let texts: Vec<String> = text_boxes(&svg).into_iter().map(|b| b.text).collect();
        // Row 3: 3 + 2 + 1 + 3 = 9, each segment printed in it, the total at the end.
        assert!(texts.iter().any(|t| t == "9"), "{texts:?}");
        assert!(texts.iter().filter(|t| *t == "3").count() >= 2, "{texts:?}");
        for name in ["Fully", "Largely", "Partially", "Not", "Practices"] {
            assert!(texts.iter().any(|t| t == name), "{name} in {texts:?}");
        }
        assert!(svg.contains("DOMAIN-3 9"), "{svg}");
    }

    #[test]
    fn dollars_print_with_the_one_money_format() {
        let mut chart = chart(1);
        chart.unit = Unit::Usd;
        chart.rows[0].values = vec![45_500.0, 0.0, 999_700.0, 0.0];
        let svg = stacked(&chart, Strings::builtin(Lang::En));
        check(&svg);
        assert!(svg.contains("$45.5k") && svg.contains("$1M"), "{svg}");
        assert!(!svg.contains("$1000k"));
    }

    #[test]
    fn odd_input_draws_cleanly_and_text_is_escaped() {
        let mut odd = chart(2);
        odd.rows[0].values = vec![f64::NAN, -4.0, f64::INFINITY];
        odd.rows[1].values = Vec::new();
        check(&stacked(&odd, Strings::builtin(Lang::En)));
        check(&stacked(&chart(0), Strings::builtin(Lang::En)));
        let evil = r#"<script>alert("x")</script> & Co"#;
        let mut chart = chart(1);
        chart.title = evil.to_owned();
        chart.series[0] = evil.to_owned();
        chart.rows[0].label = evil.to_owned();
        let svg = stacked(&chart, Strings::builtin(Lang::En));
        check(&svg);
        assert_escaped(&svg, evil);
        assert_eq!(stacked(&chart, Strings::builtin(Lang::En)), svg);
    }
}
