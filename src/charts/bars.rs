//! Horizontal bar charts: domain levels (current level bar, target tick, previous
//! round as a thin grey bar beneath) and rankings (named values, the value printed at
//! the end of each bar). Pure: data in, SVG string out; rows are drawn in the order
//! given, so the caller sorts.

use plotters::style::text_anchor::{HPos, VPos};

use super::{
    AXIS, BASE_WIDTH, CURRENT, GRID, INK, LABEL_PX, LegendItem, MARGIN, MUTED, PREVIOUS, Painter,
    SMALL_PX, Swatch, TARGET, TextSpec, draw_legend, finite, legend_height, legend_min_width,
    nice_ticks, render, text_width, tick_decimals, title_height, title_lines, truncate,
};
use crate::i18n::Strings;

/// Current, target and previous level per domain.
#[derive(Debug, Clone, PartialEq)]
pub struct DomainLevels {
    /// Visible title and accessible name.
    pub title: String,
    /// Highest maturity level: the x axis runs 0..=max_level.
    pub max_level: u32,
    /// One row per domain, top to bottom.
    pub rows: Vec<DomainLevelRow>,
}

/// One domain of a [`DomainLevels`] chart.
#[derive(Debug, Clone, PartialEq)]
pub struct DomainLevelRow {
    /// Row label, e.g. the domain id; cut with an ellipsis past 28 characters.
    pub label: String,
    /// Current level; `None` when the domain has no level.
    pub current: Option<f64>,
    /// Target level.
    pub target: f64,
    /// Level in the previous round, for the trend.
    pub previous: Option<f64>,
}

/// Named values as horizontal bars, e.g. countries by index.
#[derive(Debug, Clone, PartialEq)]
pub struct Ranking {
    /// Visible title and accessible name.
    pub title: String,
    /// What the values are: the x axis title, e.g. "Index (0–100)".
    pub value_name: String,
    /// Fixed end of the scale (e.g. 100 for an index); `None` fits the data.
    pub max_value: Option<f64>,
    /// The bars, top to bottom.
    pub rows: Vec<RankingRow>,
}

/// One bar of a [`Ranking`].
#[derive(Debug, Clone, PartialEq)]
pub struct RankingRow {
    /// Row label, e.g. a country name; cut with an ellipsis past 22 characters.
    pub label: String,
    /// The value; negative values draw leftwards from 0.
    pub value: f64,
}

const WIDTH: f64 = BASE_WIDTH;
const LEVEL_ROW: f64 = 30.0;
const RANK_ROW: f64 = 22.0;
const LEVEL_LABEL_CHARS: usize = 28;
const RANK_LABEL_CHARS: usize = 22;
/// Space under the plot for tick labels and the axis title.
const X_AXIS_H: f64 = 46.0;

/// Draws the x axis under a plot: grid lines up the plot, tick labels, axis title.
fn x_axis(
    p: &mut Painter,
    (left, right, top, bottom): (f64, f64, f64, f64),
    ticks: &[(f64, String)],
    title: &str,
) {
    for (x, label) in ticks {
        p.line(&[(*x, top), (*x, bottom)], GRID, 1);
        p.line(&[(*x, bottom), (*x, bottom + 4.0)], AXIS, 1);
        p.text(
            (*x, bottom + 6.0),
            label,
            TextSpec::new(SMALL_PX)
                .colour(MUTED)
                .anchor(HPos::Center, VPos::Top),
        );
    }
    p.line(&[(left, bottom), (right, bottom)], AXIS, 1);
    p.text(
        ((left + right) / 2.0, bottom + 26.0),
        &truncate(title, usize::MAX, right - left, LABEL_PX),
        TextSpec::new(LABEL_PX).anchor(HPos::Center, VPos::Top),
    );
}

fn row_label(p: &mut Painter, x: f64, y: f64, text: &str) {
    p.text(
        (x, y),
        text,
        TextSpec::new(LABEL_PX).anchor(HPos::Right, VPos::Center),
    );
}

fn level_legend(chart: &DomainLevels, s: &Strings) -> Vec<LegendItem> {
    let mut items = vec![
        LegendItem {
            swatch: Swatch::Bar(CURRENT),
            label: s.get("chart.current_level").to_string(),
        },
        LegendItem {
            swatch: Swatch::Tick(TARGET),
            label: s.get("th.target").to_string(),
        },
    ];
    if chart.rows.iter().any(|r| finite(r.previous).is_some()) {
        items.push(LegendItem {
            swatch: Swatch::ThinBar(PREVIOUS),
            label: s.get("th.previous_round").to_string(),
        });
    }
    items
}

fn level_summary(chart: &DomainLevels, s: &Strings) -> String {
    let n = chart.rows.len();
    let mut text = s.fmt(
        "chart.levels.desc",
        &[("count", &n), ("max", &chart.max_level)],
    );
    let scored: Vec<(&DomainLevelRow, f64)> = chart
        .rows
        .iter()
        .filter_map(|r| finite(r.current).map(|c| (r, c)))
        .collect();
    if scored.is_empty() {
        text.push(' ');
        text.push_str(s.get("country.no_levels"));
        return text;
    }
    let met = scored.iter().filter(|(r, c)| *c + 1e-9 >= r.target).count();
    let mean_gap = scored
        .iter()
        .map(|(r, c)| (finite(Some(r.target)).unwrap_or(0.0) - c).max(0.0))
        .sum::<f64>()
        / scored.len() as f64;
    text.push(' ');
    text.push_str(&s.fmt(
        "chart.levels.met",
        &[
            ("met", &met),
            ("count", &scored.len()),
            ("gap", &s.number(mean_gap, 1)),
        ],
    ));
    let missing: Vec<&str> = chart
        .rows
        .iter()
        .filter(|r| finite(r.current).is_none())
        .map(|r| r.label.trim())
        .collect();
    if !missing.is_empty() {
        text.push(' ');
        text.push_str(&s.fmt(
            "chart.levels.missing",
            &[("labels", &missing.join(s.get("list.separator")))],
        ));
    }
    let trend: Vec<f64> = scored
        .iter()
        .filter_map(|(r, c)| finite(r.previous).map(|p| c - p))
        .collect();
    if !trend.is_empty() {
        let up = trend.iter().filter(|d| **d > 1e-9).count();
        let down = trend.iter().filter(|d| **d < -1e-9).count();
        text.push(' ');
        text.push_str(&s.fmt(
            "chart.levels.trend",
            &[
                ("up", &up),
                ("down", &down),
                ("same", &(trend.len() - up - down)),
            ],
        ));
    }
    text
}

/// [`domain_levels`] worded with `s`.
pub fn domain_levels(chart: &DomainLevels, s: &Strings) -> String {
    let labels: Vec<String> = chart
        .rows
        .iter()
        .map(|r| truncate(&r.label, LEVEL_LABEL_CHARS, f64::INFINITY, LABEL_PX))
        .collect();
    let label_w = labels
        .iter()
        .map(|l| text_width(l, LABEL_PX))
        .fold(0.0, f64::max);
    let items = level_legend(chart, s);
    let width = WIDTH
        .max(label_w + 300.0)
        .max(legend_min_width(&items) + 2.0 * MARGIN);
    let title = title_lines(&chart.title, width);
    let legend_y = MARGIN + title_height(&title) + 6.0;
    let top = legend_y + legend_height(&items, width - 2.0 * MARGIN) + 10.0;
    let left = MARGIN + label_w + 10.0;
    // Room at the right for each row's numbers ("0 of 2").
    let value_w = text_width(&s.fmt("common.x_of_y", &[("x", &0), ("y", &0)]), SMALL_PX) + 10.0;
    let right = width - MARGIN - 8.0 - value_w;
    let bottom = top + chart.rows.len().max(1) as f64 * LEVEL_ROW;
    let height = bottom + X_AXIS_H + MARGIN;
    let max_level = chart.max_level.max(1);
    let x = move |level: f64| {
        left + (right - left) * level.clamp(0.0, f64::from(max_level)) / f64::from(max_level)
    };

    render(
        "domain-levels",
        (width, height),
        &chart.title,
        &level_summary(chart, s),
        |p| {
            p.title(&title);
            draw_legend(p, &items, (MARGIN, legend_y), width - 2.0 * MARGIN);
            let ticks: Vec<(f64, String)> = (0..=max_level)
                .map(|l| (x(f64::from(l)), l.to_string()))
                .collect();
            x_axis(
                p,
                (left, right, top, bottom),
                &ticks,
                s.get("chart.maturity_level"),
            );
            for (i, (row, label)) in chart.rows.iter().zip(&labels).enumerate() {
                let mid = top + (i as f64 + 0.5) * LEVEL_ROW;
                row_label(p, left - 10.0, mid, label);
                match finite(row.current) {
                    Some(current) => {
                        // A level 0 still shows a sliver, unlike "no level".
                        let end = x(current).max(x(0.0) + 2.0);
                        p.rect((x(0.0), mid - 8.0), (end, mid + 4.0), Some(CURRENT), None);
                    }
                    None => p.text(
                        (x(0.0) + 6.0, mid - 2.0),
                        s.get("chart.no_level"),
                        TextSpec::new(SMALL_PX).colour(MUTED).italic(),
                    ),
                }
                if let Some(previous) = finite(row.previous) {
                    p.rect(
                        (x(0.0), mid + 7.0),
                        (x(previous), mid + 10.0),
                        Some(PREVIOUS),
                        None,
                    );
                }
                if let Some(target) = finite(Some(row.target)) {
                    let tx = x(target);
                    p.rect(
                        (tx - 2.0, mid - 12.0),
                        (tx + 2.0, mid + 12.0),
                        Some(TARGET),
                        None,
                    );
                }
                // The numbers the row draws, so the chart reads without its table.
                let current = finite(row.current).map_or("–".to_owned(), |c| s.number(c, 1));
                p.text(
                    (right + 10.0, mid),
                    &s.fmt(
                        "common.x_of_y",
                        &[("x", &current), ("y", &s.number(row.target, 1))],
                    ),
                    TextSpec::new(SMALL_PX)
                        .colour(INK)
                        .anchor(HPos::Left, VPos::Center),
                );
            }
            p.line(&[(left, top), (left, bottom)], AXIS, 1);
        },
    )
}

fn ranking_summary(chart: &Ranking, s: &Strings) -> String {
    let values: Vec<(&RankingRow, f64)> = chart
        .rows
        .iter()
        .filter(|r| r.value.is_finite())
        .map(|r| (r, r.value))
        .collect();
    let what = chart.value_name.trim();
    let Some(&first) = values.first() else {
        return s.fmt("chart.ranking.empty", &[("what", &what)]);
    };
    let highest = values
        .iter()
        .fold(first, |a, b| if b.1 > a.1 { *b } else { a });
    let lowest = values
        .iter()
        .fold(first, |a, b| if b.1 < a.1 { *b } else { a });
    let mut sorted: Vec<f64> = values.iter().map(|v| v.1).collect();
    sorted.sort_by(f64::total_cmp);
    let median = if sorted.len() % 2 == 1 {
        sorted[sorted.len() / 2]
    } else {
        (sorted[sorted.len() / 2 - 1] + sorted[sorted.len() / 2]) / 2.0
    };
    s.fmt(
        "chart.ranking.desc",
        &[
            ("count", &values.len()),
            ("what", &what),
            ("highest", &highest.0.label.trim()),
            ("highest_value", &s.number(highest.1, 1)),
            ("lowest", &lowest.0.label.trim()),
            ("lowest_value", &s.number(lowest.1, 1)),
            ("median", &s.number(median, 1)),
        ],
    )
}

/// [`ranking`] worded with `s`.
pub fn ranking(chart: &Ranking, s: &Strings) -> String {
    let labels: Vec<String> = chart
        .rows
        .iter()
        .map(|r| truncate(&r.label, RANK_LABEL_CHARS, f64::INFINITY, LABEL_PX))
        .collect();
    let values: Vec<f64> = chart
        .rows
        .iter()
        .map(|r| if r.value.is_finite() { r.value } else { 0.0 })
        .collect();
    let value_texts: Vec<String> = chart.rows.iter().map(|r| s.number(r.value, 1)).collect();
    let label_w = labels
        .iter()
        .map(|l| text_width(l, LABEL_PX))
        .fold(0.0, f64::max);
    let value_w = value_texts
        .iter()
        .map(|v| text_width(v, SMALL_PX))
        .fold(0.0, f64::max);
    let data_max = values.iter().copied().fold(0.0, f64::max);
    let data_min = values.iter().copied().fold(0.0, f64::min);
    let fixed_max = finite(chart.max_value).filter(|m| *m > 0.0).unwrap_or(0.0);
    let pos_ticks = nice_ticks(data_max.max(fixed_max), 5);
    let step = pos_ticks.get(1).copied().unwrap_or(1.0);
    let neg_count = (-data_min / step - 1e-9).ceil().max(0.0) as usize;
    let ticks: Vec<f64> = (1..=neg_count)
        .rev()
        .map(|k| -(k as f64) * step)
        .chain(pos_ticks.iter().copied())
        .collect();
    let (lo, hi) = (ticks[0], ticks[ticks.len() - 1]);
    let decimals = tick_decimals(&pos_ticks);

    let width = WIDTH.max(label_w + 2.0 * value_w + 260.0);
    let title = title_lines(&chart.title, width);
    let top = MARGIN + title_height(&title) + 10.0;
    let tick_half = ticks
        .iter()
        .map(|t| text_width(&s.tick(*t, decimals), SMALL_PX) / 2.0)
        .fold(0.0, f64::max);
    let label_right = MARGIN + label_w;
    let left = label_right
        + 10.0
        + if data_min < 0.0 {
            value_w + 6.0
        } else {
            tick_half
        };
    let right = width - MARGIN - (value_w + 6.0).max(tick_half);
    let bottom = top + chart.rows.len().max(1) as f64 * RANK_ROW;
    let height = bottom + X_AXIS_H + MARGIN;
    let x = move |v: f64| left + (right - left) * (v - lo) / (hi - lo);

    render(
        "ranking",
        (width, height),
        &chart.title,
        &ranking_summary(chart, s),
        |p| {
            p.title(&title);
            let tick_labels: Vec<(f64, String)> = ticks
                .iter()
                .map(|t| (x(*t), s.tick(*t, decimals)))
                .collect();
            x_axis(
                p,
                (left, right, top, bottom),
                &tick_labels,
                &chart.value_name,
            );
            if chart.rows.is_empty() {
                p.text(
                    ((left + right) / 2.0, (top + bottom) / 2.0),
                    s.get("chart.no_data"),
                    TextSpec::new(LABEL_PX)
                        .colour(MUTED)
                        .anchor(HPos::Center, VPos::Center),
                );
            }
            for (i, ((label, value), text)) in
                labels.iter().zip(&values).zip(&value_texts).enumerate()
            {
                let mid = top + (i as f64 + 0.5) * RANK_ROW;
                row_label(p, label_right, mid, label);
                let (x0, x1) = (x(0.0), x(*value));
                p.rect((x0, mid - 7.0), (x1, mid + 7.0), Some(CURRENT), None);
                let (at, anchor) = if *value < 0.0 {
                    (x1 - 4.0, HPos::Right)
                } else {
                    (x1 + 4.0, HPos::Left)
                };
                p.text(
                    (at, mid),
                    text,
                    TextSpec::new(SMALL_PX)
                        .colour(INK)
                        .anchor(anchor, VPos::Center),
                );
            }
            p.line(&[(x(0.0), top), (x(0.0), bottom)], AXIS, 1);
        },
    )
}

#[cfg(test)]
mod tests {
    use super::super::testing::{DOMAIN_IDS as IDS, assert_escaped, check, text_boxes, view_box};
    use super::*;
    use crate::i18n::Lang;

    fn levels(n: usize) -> DomainLevels {
        DomainLevels {
            title: "Domain levels".to_string(),
            max_level: 3,
            rows: (0..n)
                .map(|i| DomainLevelRow {
                    label: IDS[i].to_string(),
                    current: (i % 6 != 4).then_some((i % 4) as f64),
                    target: 2.0 + (i % 2) as f64,
                    previous: (i % 3 != 0).then_some(((i + 1) % 3) as f64),
                })
                .collect(),
        }
    }

    fn ranking_of(n: usize) -> Ranking {
        Ranking {
            title: "Countries by index".to_string(),
            value_name: "Index (0–100)".to_string(),
            max_value: Some(100.0),
            rows: (0..n)
                .map(|i| RankingRow {
                    label: if i % 9 == 0 {
                        "Democratic Republic of the Congo".to_string()
                    } else {
                        format!("Country {i}")
                    },
                    value: 100.0 - i as f64 * 1.55,
                })
                .collect(),
        }
    }

    fn labels(svg: &str) -> Vec<String> {
        text_boxes(svg).into_iter().map(|b| b.text).collect()
    }

    #[test]
    fn domain_levels_fit_for_3_8_and_15_domains() {
        for n in [3, 8, 15] {
            let svg = domain_levels(&levels(n), Strings::builtin(Lang::En));
            check(&svg);
            let labels = labels(&svg);
            for id in &IDS[..n] {
                assert!(labels.iter().any(|l| l == id), "{id} missing");
            }
            for expected in ["0", "3", "Maturity level", "Current level", "Target"] {
                assert!(labels.iter().any(|l| l == expected), "{expected} missing");
            }
        }
    }

    #[test]
    fn domain_levels_summarise_gaps_and_trend() {
        let svg = domain_levels(&levels(8), Strings::builtin(Lang::En));
        assert!(svg.contains("No level for SITUATION."), "{svg}");
        assert!(svg.contains("Since the previous round"));
        assert!(labels(&svg).iter().any(|l| l == "Previous round"));
        assert!(labels(&svg).iter().any(|l| l == "no level"));

        let mut no_previous = levels(4);
        no_previous.rows.iter_mut().for_each(|r| r.previous = None);
        let svg = domain_levels(&no_previous, Strings::builtin(Lang::En));
        check(&svg);
        assert!(!labels(&svg).iter().any(|l| l == "Previous round"));
    }

    #[test]
    fn domain_levels_edge_cases() {
        let mut none = levels(5);
        none.rows.iter_mut().for_each(|r| r.current = None);
        let svg = domain_levels(&none, Strings::builtin(Lang::En));
        check(&svg);
        assert!(svg.contains("No domain has a level."));

        let mut zeros = levels(5);
        zeros.max_level = 0;
        zeros.rows.iter_mut().for_each(|r| {
            r.current = Some(0.0);
            r.target = 0.0;
            r.previous = Some(0.0);
        });
        let svg = domain_levels(&zeros, Strings::builtin(Lang::En));
        check(&svg);
        assert!(svg.contains("5 of 5 domains with a level are at or above target"));

        let mut odd = levels(3);
        odd.rows[0].current = Some(f64::NAN);
        odd.rows[1].target = f64::INFINITY;
        odd.rows[2].current = Some(42.0);
        check(&domain_levels(&odd, Strings::builtin(Lang::En)));
        check(&domain_levels(&levels(0), Strings::builtin(Lang::En)));
    }

    #[test]
    fn ranking_fits_one_and_sixty_rows() {
        for n in [1, 60] {
            let svg = ranking(&ranking_of(n), Strings::builtin(Lang::En));
            check(&svg);
            let labels = labels(&svg);
            assert!(labels.iter().any(|l| l == "Democratic Republic o…"));
            assert!(labels.iter().any(|l| l == "100"), "{labels:?}");
            assert!(labels.iter().any(|l| l == "Index (0–100)"));
        }
        let short = view_box(&ranking(&ranking_of(1), Strings::builtin(Lang::En))).1;
        let tall = view_box(&ranking(&ranking_of(60), Strings::builtin(Lang::En))).1;
        assert!(tall >= short + 59.0 * RANK_ROW);
        assert!(ranking(&ranking_of(60), Strings::builtin(Lang::En)).contains("median 54.3"));
    }

    #[test]
    fn ranking_edge_cases() {
        let mut zeros = ranking_of(4);
        zeros.max_value = None;
        zeros.rows.iter_mut().for_each(|r| r.value = 0.0);
        check(&ranking(&zeros, Strings::builtin(Lang::En)));

        let mut negative = ranking_of(6);
        negative.max_value = None;
        negative.value_name = "Change in index".to_string();
        for (i, row) in negative.rows.iter_mut().enumerate() {
            row.value = i as f64 * 7.5 - 20.0;
        }
        let svg = ranking(&negative, Strings::builtin(Lang::En));
        check(&svg);
        assert!(labels(&svg).iter().any(|l| l == "-20"));

        let mut odd = ranking_of(3);
        odd.rows[1].value = f64::NAN;
        odd.max_value = Some(f64::NAN);
        check(&ranking(&odd, Strings::builtin(Lang::En)));

        let svg = ranking(&ranking_of(0), Strings::builtin(Lang::En));
        check(&svg);
        assert!(svg.contains("with no values"));
    }

    #[test]
    fn text_from_outside_is_escaped() {
        let evil = r#"<script>alert("x")</script> & Co"#;
        let mut l = levels(3);
        l.title = evil.to_string();
        l.rows[0].label = evil.to_string();
        let svg = domain_levels(&l, Strings::builtin(Lang::En));
        check(&svg);
        assert_escaped(&svg, evil);

        let mut r = ranking_of(3);
        r.title = evil.to_string();
        r.value_name = evil.to_string();
        r.rows[2].label = evil.to_string();
        let svg = ranking(&r, Strings::builtin(Lang::En));
        check(&svg);
        assert_escaped(&svg, evil);
        assert!(svg.contains("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; Co"));
    }

    #[test]
    fn output_is_deterministic() {
        assert_eq!(
            domain_levels(&levels(9), Strings::builtin(Lang::En)),
            domain_levels(&levels(9), Strings::builtin(Lang::En))
        );
        assert_eq!(
            ranking(&ranking_of(25), Strings::builtin(Lang::En)),
            ranking(&ranking_of(25), Strings::builtin(Lang::En))
        );
    }
}
