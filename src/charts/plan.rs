//! The cost–benefit curve of an aid plan: cumulative cost (x, USD) against cumulative
//! benefit (y) over the ranked candidates. Funded candidates are solid dark blue
//! circles on a solid line; the rest hollow, light, on a dashed line; a dashed
//! vertical line marks the budget, and a labelled horizontal line the benefit the
//! funded candidates buy with its share of the total. When the budget is a small part
//! of the total cost, the x axis stops at twice the budget (saying so under the axis),
//! so the funded part fills the plot instead of being a blob near $0. Pure: it draws
//! the ranking and selection it is given and decides neither.

use plotters::style::text_anchor::{HPos, VPos};

use super::{
    AXIS, BASE_WIDTH, CURRENT, GRID, LABEL_PX, LIGHT, LegendItem, MARGIN, MUTED, Marker, Painter,
    SMALL_PX, Swatch, TARGET, TextSpec, draw_legend, legend_height, nice_ticks, render, text_width,
    tick_decimals, title_height, title_lines,
};
use crate::i18n::Strings;

/// The cost–benefit curve of ranked aid candidates.
#[derive(Debug, Clone, PartialEq)]
pub struct CostBenefitChart {
    /// Visible title and accessible name.
    pub title: String,
    /// The candidates in rank order.
    pub candidates: Vec<CostBenefitPoint>,
    /// The budget, when one was given.
    pub budget_usd: Option<f64>,
}

/// One ranked candidate.
#[derive(Debug, Clone, PartialEq)]
pub struct CostBenefitPoint {
    /// Its cost in USD.
    pub cost_usd: f64,
    /// Its benefit.
    pub benefit: f64,
    /// Whether the plan takes it (within the budget, or no budget).
    pub funded: bool,
}

const WIDTH: f64 = BASE_WIDTH;
const PLOT_H: f64 = 300.0;
/// The x axis stops at this many budgets when the candidates cost more than
/// [`ZOOM_WHEN`] budgets in all.
const ZOOM_TO: f64 = 2.0;
const ZOOM_WHEN: f64 = 3.0;

struct Layout {
    title: Vec<String>,
    /// Plot area corners.
    left: f64,
    top: f64,
    right: f64,
    bottom: f64,
    x_ticks: Vec<f64>,
    y_ticks: Vec<f64>,
    legend_y: f64,
    height: f64,
    /// Cumulative (cost, benefit, funded) after each candidate, cut at the axis end.
    points: Vec<(f64, f64, bool)>,
    /// When the axis stops before the last candidate: where, and the total cost.
    cut: Option<(f64, f64)>,
    /// The funded candidates' cost and benefit, and the benefit of all candidates.
    funded: Option<(f64, f64, f64)>,
}

fn non_negative(v: f64) -> f64 {
    if v.is_finite() { v.max(0.0) } else { 0.0 }
}

fn budget(chart: &CostBenefitChart) -> Option<f64> {
    chart.budget_usd.map(non_negative)
}

fn cumulative(chart: &CostBenefitChart) -> Vec<(f64, f64, bool)> {
    let (mut cost, mut benefit) = (0.0, 0.0);
    chart
        .candidates
        .iter()
        .map(|c| {
            cost += non_negative(c.cost_usd);
            benefit += non_negative(c.benefit);
            (cost, benefit, c.funded)
        })
        .collect()
}

fn legend(chart: &CostBenefitChart, s: &Strings) -> Vec<LegendItem> {
    let mut items = Vec::new();
    if chart.candidates.iter().any(|c| c.funded) {
        items.push(LegendItem {
            swatch: Swatch::Series {
                colour: CURRENT,
                dashed: false,
                marker: Some(Marker::Circle),
                hollow: false,
            },
            label: s.get("chart.plan.funded").to_string(),
        });
    }
    if chart.candidates.iter().any(|c| !c.funded) {
        items.push(LegendItem {
            swatch: Swatch::Series {
                colour: LIGHT,
                dashed: true,
                marker: Some(Marker::Circle),
                hollow: true,
            },
            label: s.get("chart.plan.not_funded").to_string(),
        });
    }
    if budget(chart).is_some() {
        items.push(LegendItem {
            swatch: Swatch::Series {
                colour: TARGET,
                dashed: true,
                marker: None,
                hollow: false,
            },
            label: s.get("th.budget").to_string(),
        });
    }
    if items.len() < 2 { Vec::new() } else { items }
}

/// The points up to cost `limit`, the last one interpolated onto it.
fn cut_at(points: &[(f64, f64, bool)], limit: f64) -> Vec<(f64, f64, bool)> {
    let mut kept = Vec::new();
    let mut from = (0.0, 0.0);
    for &(cost, benefit, funded) in points {
        if cost <= limit {
            kept.push((cost, benefit, funded));
            from = (cost, benefit);
            continue;
        }
        let t = if cost > from.0 {
            (limit - from.0) / (cost - from.0)
        } else {
            0.0
        };
        kept.push((limit, from.1 + t * (benefit - from.1), funded));
        break;
    }
    kept
}

/// The funded candidates' cost and benefit and the total benefit, when some are
/// funded and some not.
fn funded_totals(chart: &CostBenefitChart) -> Option<(f64, f64, f64)> {
    let funded = chart.candidates.iter().filter(|c| c.funded);
    let cost: f64 = funded.clone().map(|c| non_negative(c.cost_usd)).sum();
    let benefit: f64 = funded.map(|c| non_negative(c.benefit)).sum();
    let total: f64 = chart
        .candidates
        .iter()
        .map(|c| non_negative(c.benefit))
        .sum();
    let some_not = chart.candidates.iter().any(|c| !c.funded);
    (some_not && cost > 0.0).then_some((cost, benefit, total))
}

fn layout(chart: &CostBenefitChart, s: &Strings) -> Layout {
    let all = cumulative(chart);
    let total_cost = all.last().map_or(0.0, |p| p.0);
    let cut = budget(chart)
        .filter(|b| *b > 0.0 && total_cost > ZOOM_WHEN * b)
        .map(|b| (ZOOM_TO * b, total_cost));
    let points = match cut {
        Some((limit, _)) => cut_at(&all, limit),
        None => all,
    };
    let shown_cost = cut.map_or(total_cost, |(limit, _)| limit);
    let shown_benefit = points.last().map_or(0.0, |p| p.1);
    let x_ticks = nice_ticks(shown_cost.max(budget(chart).unwrap_or(0.0)), 6);
    let y_ticks = nice_ticks(shown_benefit, 5);
    let decimals = tick_decimals(&y_ticks);
    let y_label_w = y_ticks
        .iter()
        .map(|t| text_width(&s.tick(*t, decimals), SMALL_PX))
        .fold(0.0, f64::max);
    let last_x_label = x_ticks
        .last()
        .map_or(0.0, |t| text_width(&s.usd(*t), SMALL_PX));
    let title = title_lines(&chart.title, WIDTH);
    // Room above the plot for the budget label.
    let top = MARGIN + title_height(&title) + 8.0 + 20.0;
    let left = MARGIN + 16.0 + 8.0 + y_label_w + 6.0;
    let right = WIDTH - MARGIN - (last_x_label / 2.0).max(8.0);
    let bottom = top + PLOT_H;
    let cut_note = if cut.is_some() { 18.0 } else { 0.0 };
    let legend_y = bottom + 6.0 + 14.0 + 8.0 + 16.0 + 10.0 + cut_note;
    let height = legend_y + legend_height(&legend(chart, s), WIDTH - 2.0 * MARGIN) + MARGIN;
    Layout {
        title,
        left,
        top,
        right,
        bottom,
        x_ticks,
        y_ticks,
        legend_y,
        height,
        points,
        cut,
        funded: funded_totals(chart),
    }
}

/// [`share_of_benefit`] worded with `s`.
pub fn share_of_benefit(benefit: f64, total: f64, s: &Strings) -> String {
    let args: [(&str, &dyn std::fmt::Display); 3] = [
        ("bought", &s.count(benefit)),
        ("total", &s.count(total)),
        ("share", &s.pct(benefit / total.max(f64::MIN_POSITIVE), 1)),
    ];
    if total > 0.0 {
        s.fmt("chart.plan.share", &args)
    } else {
        s.fmt("chart.plan.share_no_total", &args)
    }
}

fn summary(chart: &CostBenefitChart, s: &Strings) -> String {
    let points = cumulative(chart);
    let Some(&(total_cost, total_benefit, _)) = points.last() else {
        return match budget(chart) {
            Some(b) => s.fmt("chart.plan.empty_budget", &[("budget", &s.usd(b))]),
            None => s.get("chart.plan.empty").to_string(),
        };
    };
    let n = points.len();
    let mut text = s.fmt(
        "chart.plan.desc",
        &[
            ("count", &n),
            ("cost", &s.usd(total_cost)),
            ("benefit", &s.number(total_benefit, 1)),
        ],
    );
    let funded: Vec<&CostBenefitPoint> = chart.candidates.iter().filter(|c| c.funded).collect();
    let funded_cost: f64 = funded.iter().map(|c| non_negative(c.cost_usd)).sum();
    let funded_benefit: f64 = funded.iter().map(|c| non_negative(c.benefit)).sum();
    let share = if total_benefit > 0.0 {
        s.fmt(
            "chart.plan.of_total",
            &[("share", &s.pct(funded_benefit / total_benefit, 1))],
        )
    } else {
        String::new()
    };
    let args: [(&str, &dyn std::fmt::Display); 4] = [
        ("count", &funded.len()),
        ("cost", &s.usd(funded_cost)),
        ("benefit", &s.number(funded_benefit, 1)),
        ("share", &share),
    ];
    match budget(chart) {
        Some(b) => {
            let mut args = args.to_vec();
            let budget = s.usd(b);
            args.push(("budget", &budget));
            text.push(' ');
            text.push_str(&s.fmt("chart.plan.within_budget", &args));
        }
        None if funded.len() < n => {
            text.push(' ');
            text.push_str(&s.fmt("chart.plan.funded_desc", &args));
        }
        None => {}
    }
    text
}

/// [`cost_benefit`] worded with `s`.
pub fn cost_benefit(chart: &CostBenefitChart, s: &Strings) -> String {
    let layout = layout(chart, s);
    let desc = summary(chart, s);
    render(
        "cost-benefit",
        (WIDTH, layout.height),
        &chart.title,
        &desc,
        |p| draw(p, chart, &layout, s),
    )
}

fn draw(p: &mut Painter, chart: &CostBenefitChart, l: &Layout, s: &Strings) {
    p.title(&l.title);
    let x_max = l.x_ticks.last().copied().unwrap_or(1.0);
    let y_max = l.y_ticks.last().copied().unwrap_or(1.0);
    let x = |v: f64| l.left + (l.right - l.left) * v / x_max;
    let y = |v: f64| l.bottom - (l.bottom - l.top) * v / y_max;

    // Grid, ticks and axes.
    let decimals = tick_decimals(&l.y_ticks);
    for t in &l.y_ticks {
        p.line(&[(l.left, y(*t)), (l.right, y(*t))], GRID, 1);
        p.text(
            (l.left - 6.0, y(*t)),
            &s.tick(*t, decimals),
            TextSpec::new(SMALL_PX)
                .colour(MUTED)
                .anchor(HPos::Right, VPos::Center),
        );
    }
    for t in &l.x_ticks {
        p.line(&[(x(*t), l.bottom), (x(*t), l.bottom + 5.0)], AXIS, 1);
        p.text(
            (x(*t), l.bottom + 7.0),
            &s.usd(*t),
            TextSpec::new(SMALL_PX)
                .colour(MUTED)
                .anchor(HPos::Center, VPos::Top),
        );
    }
    p.line(
        &[(l.left, l.top), (l.left, l.bottom), (l.right, l.bottom)],
        AXIS,
        1,
    );
    p.text(
        ((l.left + l.right) / 2.0, l.bottom + 28.0),
        s.get("chart.plan.x_title"),
        TextSpec::new(LABEL_PX).anchor(HPos::Center, VPos::Top),
    );
    if let Some((limit, total)) = l.cut {
        p.text(
            ((l.left + l.right) / 2.0, l.bottom + 46.0),
            &s.fmt(
                "chart.plan.cut",
                &[("limit", &s.usd(limit)), ("total", &s.usd(total))],
            ),
            TextSpec::new(SMALL_PX)
                .colour(MUTED)
                .anchor(HPos::Center, VPos::Top),
        );
    }
    p.text(
        (MARGIN + 8.0, (l.top + l.bottom) / 2.0),
        s.get("chart.plan.y_title"),
        TextSpec::new(LABEL_PX)
            .vertical()
            .anchor(HPos::Center, VPos::Center),
    );

    if l.points.is_empty() {
        p.text(
            ((l.left + l.right) / 2.0, (l.top + l.bottom) / 2.0),
            s.get("chart.plan.no_candidates"),
            TextSpec::new(LABEL_PX)
                .colour(MUTED)
                .anchor(HPos::Center, VPos::Center),
        );
    }

    // The budget line, labelled above the plot.
    if let Some(b) = budget(chart) {
        let bx = x(b);
        p.dashed(&[(bx, l.top - 4.0), (bx, l.bottom)], TARGET, 2, 6, 4);
        let label = s.fmt("chart.plan.budget", &[("budget", &s.usd(b))]);
        let w = text_width(&label, SMALL_PX);
        let h = if bx + w / 2.0 > WIDTH - MARGIN {
            HPos::Right
        } else if bx - w / 2.0 < MARGIN {
            HPos::Left
        } else {
            HPos::Center
        };
        p.text(
            (bx, l.top - 8.0),
            &label,
            TextSpec::new(SMALL_PX)
                .bold()
                .colour(super::INK)
                .anchor(h, VPos::Bottom),
        );
    }

    // The curve: each segment styled by the candidate it leads to.
    let many = l.points.len() > 80;
    let radius = if many { 2.5 } else { 4.0 };
    let mut from = (x(0.0), y(0.0));
    for &(cost, benefit, funded) in &l.points {
        let to = (x(cost), y(benefit));
        if funded {
            p.line(&[from, to], CURRENT, 2);
        } else {
            p.dashed(&[from, to], LIGHT, 2, 5, 3);
        }
        from = to;
    }
    for &(cost, benefit, funded) in &l.points {
        let at = (x(cost), y(benefit));
        if funded {
            p.marker(Marker::Circle, at, radius, CURRENT, false);
        } else {
            p.marker(Marker::Circle, at, radius, LIGHT, true);
        }
    }

    // What the funded candidates buy, on a line across the plot.
    if let Some((cost, benefit, total)) = l.funded {
        let (fx, fy) = (x(cost.min(x_max)), y(benefit.min(y_max)));
        p.dashed(&[(l.left, fy), (fx, fy)], CURRENT, 1, 3, 3);
        let label = s.fmt(
            "chart.plan.funded_label",
            &[("share", &share_of_benefit(benefit, total, s))],
        );
        let w = text_width(&label, SMALL_PX);
        let (at, h) = if fx + 8.0 + w <= l.right {
            (fx + 8.0, HPos::Left)
        } else {
            (l.left + 4.0, HPos::Left)
        };
        p.text(
            (at, fy + if at > fx { 0.0 } else { -10.0 }),
            &label,
            TextSpec::new(SMALL_PX)
                .bold()
                .colour(super::INK)
                .anchor(h, VPos::Center),
        );
    }

    let items = legend(chart, s);
    draw_legend(p, &items, (MARGIN, l.legend_y), WIDTH - 2.0 * MARGIN);
}

#[cfg(test)]
mod tests {
    use super::super::testing::{assert_escaped, check, text_boxes};
    use super::*;
    use crate::i18n::Lang;

    fn chart(n: usize, budget_usd: Option<f64>) -> CostBenefitChart {
        let mut spent = 0.0;
        CostBenefitChart {
            title: "Aid plan: cost against benefit".to_string(),
            candidates: (0..n)
                .map(|i| {
                    let cost = 40_000.0 + 15_000.0 * (i % 5) as f64;
                    spent += cost;
                    CostBenefitPoint {
                        cost_usd: cost,
                        benefit: 30.0 / (1.0 + i as f64 * 0.3),
                        funded: budget_usd.is_none_or(|b| spent <= b),
                    }
                })
                .collect(),
            budget_usd,
        }
    }

    fn labels(svg: &str) -> Vec<String> {
        text_boxes(svg).into_iter().map(|b| b.text).collect()
    }

    #[test]
    fn axes_are_titled_and_ticks_read_as_money() {
        let svg = cost_benefit(&chart(20, Some(500_000.0)), Strings::builtin(Lang::En));
        check(&svg);
        let labels = labels(&svg);
        for expected in [
            "Cumulative cost (USD)",
            "Cumulative benefit (priority points)",
            "$0",
            "$250k",
            "$1M",
            "Budget $500k",
            "Funded",
        ] {
            assert!(
                labels.iter().any(|l| l == expected),
                "{expected} in {labels:?}"
            );
        }
        assert!(
            svg.contains("Within the budget of $500k: 7 candidates"),
            "{svg}"
        );
    }

    #[test]
    fn a_small_budget_zooms_the_axis_and_states_what_it_buys() {
        // 40 candidates cost about $2.6M; a $200k budget funds the first four.
        let data = chart(40, Some(200_000.0));
        let svg = cost_benefit(&data, Strings::builtin(Lang::En));
        check(&svg);
        let labels = labels(&svg);
        let last_tick = labels.iter().rfind(|l| l.starts_with('$')).cloned();
        assert_eq!(last_tick.as_deref(), Some("$400k"), "{labels:?}");
        assert!(
            labels
                .iter()
                .any(|l| l.starts_with("The axis stops at $400k, twice the budget")),
            "{labels:?}"
        );
        let funded: f64 = data
            .candidates
            .iter()
            .filter(|c| c.funded)
            .map(|c| c.benefit)
            .sum();
        let total: f64 = data.candidates.iter().map(|c| c.benefit).sum();
        let expected = format!(
            "Funded: {}",
            share_of_benefit(funded, total, Strings::builtin(Lang::En))
        );
        assert!(labels.contains(&expected), "{expected} in {labels:?}");
        assert_eq!(
            share_of_benefit(466.2, 3721.0, Strings::builtin(Lang::En)),
            "466 of 3,721 priority points (12.5%)"
        );
    }

    #[test]
    fn without_a_budget_there_is_no_budget_line_nor_legend() {
        let svg = cost_benefit(&chart(12, None), Strings::builtin(Lang::En));
        check(&svg);
        let labels = labels(&svg);
        assert!(!labels.iter().any(|l| l.starts_with("Budget")));
        assert!(!labels.iter().any(|l| l == "Funded"));
        assert!(!svg.contains("Within the budget"));
    }

    #[test]
    fn edge_cases_draw_cleanly() {
        for chart in [
            chart(1, None),
            chart(1, Some(10.0)),
            chart(5, Some(0.0)),
            chart(0, None),
            chart(0, Some(1_000_000.0)),
            chart(400, Some(2_000_000.0)),
            chart(3, Some(f64::NAN)),
            CostBenefitChart {
                title: "zeros".to_string(),
                candidates: vec![
                    CostBenefitPoint {
                        cost_usd: 0.0,
                        benefit: 0.0,
                        funded: true,
                    };
                    3
                ],
                budget_usd: Some(0.0),
            },
        ] {
            let svg = cost_benefit(&chart, Strings::builtin(Lang::En));
            check(&svg);
        }
        let svg = cost_benefit(&chart(5, Some(0.0)), Strings::builtin(Lang::En));
        assert!(labels(&svg).iter().any(|l| l == "Budget $0"));
        assert!(svg.contains("0 candidates costing $0"));
        let svg = cost_benefit(&chart(0, None), Strings::builtin(Lang::En));
        assert!(labels(&svg).iter().any(|l| l == "No aid candidates"));
    }

    #[test]
    fn budget_beyond_the_candidates_widens_the_axis() {
        let svg = cost_benefit(&chart(3, Some(2_000_000.0)), Strings::builtin(Lang::En));
        check(&svg);
        assert!(labels(&svg).iter().any(|l| l == "$2M"));
    }

    #[test]
    fn text_from_outside_is_escaped() {
        let evil = r#"<script>alert("x")</script> & Co"#;
        let mut chart = chart(3, None);
        chart.title = evil.to_string();
        let svg = cost_benefit(&chart, Strings::builtin(Lang::En));
        check(&svg);
        assert_escaped(&svg, evil);
    }

    #[test]
    fn output_is_deterministic() {
        let a = chart(30, Some(750_000.0));
        assert_eq!(
            cost_benefit(&a, Strings::builtin(Lang::En)),
            cost_benefit(&a, Strings::builtin(Lang::En))
        );
    }
}
