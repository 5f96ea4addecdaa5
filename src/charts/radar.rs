//! The radar chart: one spoke per domain (3 to 15), rings for 0..=max (labelled
//! with the ring's value, or with `ring_labels` such as percentages). The current
//! series is solid dark blue with circles; the target, when shown, dashed vermillion
//! with squares; the previous round, when given, dotted grey with hollow circles. A
//! domain without a value leaves a gap in the current line and is labelled "no
//! level"; a spoke label can carry the value printed under the id, so the numbers
//! read without hovering. Pure: data in, SVG string out; it decides nothing about
//! scores.

use plotters::prelude::WHITE;
use plotters::style::text_anchor::{HPos, VPos};

use super::{
    BASE_WIDTH, CURRENT, GRID, LABEL_PX, LegendItem, MARGIN, MUTED, Marker, PREVIOUS, Painter,
    SMALL_PX, Swatch, TARGET, TextSpec, draw_legend, finite, legend_height, legend_min_width,
    render, text_width, title_height, title_lines, truncate,
};
use crate::i18n::Strings;

/// A radar chart of current against target level per domain.
#[derive(Debug, Clone, PartialEq)]
pub struct RadarChart {
    /// Visible title and accessible name.
    pub title: String,
    /// Highest maturity level; rings are drawn for 0..=max_level.
    pub max_level: u32,
    /// Legend label of the current series, e.g. "Current level".
    pub current_name: String,
    /// Legend label of the target series, e.g. "Target"; `None` draws no target.
    pub target_name: Option<String>,
    /// Legend label of the previous round; `None` draws none.
    pub previous_name: Option<String>,
    /// Labels of the rings 0..=max_level (e.g. "0%", "25%"...); empty: the numbers.
    pub ring_labels: Vec<String>,
    /// The spokes, clockwise from the top.
    pub domains: Vec<RadarDomain>,
}

/// One spoke of a radar chart.
#[derive(Debug, Clone, PartialEq)]
pub struct RadarDomain {
    /// Short domain id shown at the end of the spoke, e.g. `THIRD-PARTIES`.
    pub id: String,
    /// Current level; `None` when the domain has no level.
    pub current: Option<f64>,
    /// Target level.
    pub target: f64,
    /// The previous round's value, when there is one.
    pub previous: Option<f64>,
    /// Printed under the id at the end of the spoke, e.g. "62%".
    pub value_text: Option<String>,
}

/// Radius of the outer ring.
const RADIUS: f64 = 150.0;
/// Gap between the outer ring and the spoke labels.
const LABEL_GAP: f64 = 10.0;
const LABEL_LINE: f64 = 15.0;
/// Longest spoke label, in characters.
const LABEL_CHARS: usize = 18;

/// A spoke label: its lines and the box they fill, relative to the centre.
struct SpokeLabel {
    lines: Vec<(String, bool)>,
    x0: f64,
    y0: f64,
    x1: f64,
    y1: f64,
    h: HPos,
}

/// Where everything goes.
struct Layout {
    width: f64,
    height: f64,
    title: Vec<String>,
    centre: (f64, f64),
    labels: Vec<SpokeLabel>,
    legend_y: f64,
}

fn angle(i: usize, n: usize) -> f64 {
    -std::f64::consts::FRAC_PI_2 + std::f64::consts::TAU * i as f64 / n.max(1) as f64
}

fn spoke_label(domain: &RadarDomain, theta: f64, s: &Strings) -> SpokeLabel {
    let mut lines = vec![(
        truncate(&domain.id, LABEL_CHARS, f64::INFINITY, LABEL_PX),
        false,
    )];
    if finite(domain.current).is_none() {
        lines.push((s.get("chart.no_level").to_string(), true));
    } else if let Some(text) = &domain.value_text {
        lines.push((text.clone(), false));
    }
    let w = lines
        .iter()
        .map(|(t, _)| text_width(t, LABEL_PX))
        .fold(0.0, f64::max);
    let h = lines.len() as f64 * LABEL_LINE;
    let (cos, sin) = (theta.cos(), theta.sin());
    let r = RADIUS + LABEL_GAP;
    let (ax, ay) = (r * cos, r * sin);
    let (x0, hpos) = if cos > 0.2 {
        (ax, HPos::Left)
    } else if cos < -0.2 {
        (ax - w, HPos::Right)
    } else {
        (ax - w / 2.0, HPos::Center)
    };
    let y0 = if sin < -0.3 {
        ay - h
    } else if sin > 0.3 {
        ay
    } else {
        ay - h / 2.0
    };
    SpokeLabel {
        lines,
        x0,
        y0,
        x1: x0 + w,
        y1: y0 + h,
        h: hpos,
    }
}

fn legend(chart: &RadarChart) -> Vec<LegendItem> {
    let mut items = vec![LegendItem {
        swatch: Swatch::Series {
            colour: CURRENT,
            dashed: false,
            marker: Some(Marker::Circle),
            hollow: false,
        },
        label: chart.current_name.clone(),
    }];
    if let Some(name) = &chart.previous_name {
        items.push(LegendItem {
            swatch: Swatch::Series {
                colour: PREVIOUS,
                dashed: true,
                marker: Some(Marker::Circle),
                hollow: true,
            },
            label: name.clone(),
        });
    }
    if let Some(name) = &chart.target_name {
        items.push(LegendItem {
            swatch: Swatch::Series {
                colour: TARGET,
                dashed: true,
                marker: Some(Marker::Square),
                hollow: false,
            },
            label: name.clone(),
        });
    }
    items
}

fn layout(chart: &RadarChart, s: &Strings) -> Layout {
    let n = chart.domains.len();
    let labels: Vec<SpokeLabel> = chart
        .domains
        .iter()
        .enumerate()
        .map(|(i, d)| spoke_label(d, angle(i, n), s))
        .collect();
    // The outer ring: a polygon through the spoke ends, or a circle below 3 spokes.
    let ring: Vec<(f64, f64)> = if n >= 3 {
        (0..n)
            .map(|i| (RADIUS * angle(i, n).cos(), RADIUS * angle(i, n).sin()))
            .collect()
    } else {
        vec![(-RADIUS, -RADIUS), (RADIUS, RADIUS)]
    };
    let boxes = labels
        .iter()
        .map(|l| (l.x0, l.y0, l.x1, l.y1))
        .chain(ring.iter().map(|&(x, y)| (x, y, x, y)));
    let (min_x, min_y, max_x, max_y) = boxes.fold(
        (
            f64::INFINITY,
            f64::INFINITY,
            f64::NEG_INFINITY,
            f64::NEG_INFINITY,
        ),
        |(a, b, c, d), (x0, y0, x1, y1)| (a.min(x0), b.min(y0), c.max(x1), d.max(y1)),
    );
    let items = legend(chart);
    let width = (max_x - min_x + 2.0 * MARGIN)
        .max(legend_min_width(&items) + 2.0 * MARGIN)
        .max(BASE_WIDTH);
    let title = title_lines(&chart.title, width);
    let top = MARGIN + title_height(&title) + 12.0;
    // Centre the plot horizontally in the extra width.
    let centre_x = (width - (max_x - min_x)) / 2.0 - min_x;
    let centre = (centre_x, top - min_y);
    let legend_y = centre.1 + max_y + 16.0;
    let height = legend_y + legend_height(&items, width - 2.0 * MARGIN) + MARGIN;
    Layout {
        width,
        height,
        title,
        centre,
        labels,
        legend_y,
    }
}

fn summary(chart: &RadarChart, s: &Strings) -> String {
    let n = chart.domains.len();
    if n == 0 {
        return s.get("chart.radar.empty").to_string();
    }
    let scored: Vec<(&RadarDomain, f64)> = chart
        .domains
        .iter()
        .filter_map(|d| finite(d.current).map(|c| (d, c)))
        .collect();
    let scale = match (chart.ring_labels.first(), chart.ring_labels.last()) {
        (Some(a), Some(b)) => s.fmt("chart.range", &[("from", &a.trim()), ("to", &b.trim())]),
        _ => s.fmt("chart.levels_range", &[("max", &chart.max_level)]),
    };
    let args: [(&str, &dyn std::fmt::Display); 3] = [
        ("series", &chart.current_name.trim()),
        ("count", &n),
        ("scale", &scale),
    ];
    let mut text = match chart.target_name.as_deref() {
        Some(target) => {
            let mut args = args.to_vec();
            let target = target.trim();
            args.push(("target", &target));
            s.fmt("chart.radar.desc_target", &args)
        }
        None => s.fmt("chart.radar.desc", &args),
    };
    text.push(' ');
    if scored.is_empty() {
        text.push_str(s.get("country.no_levels"));
        return text;
    }
    if !chart.ring_labels.is_empty() {
        // A scale of its own (e.g. percentages): the printed values say it all.
        let values: Vec<String> = chart
            .domains
            .iter()
            .map(|d| match (&d.value_text, finite(d.current)) {
                (Some(v), Some(_)) => format!("{} {}", d.id.trim(), v.trim()),
                _ => s.fmt("chart.no_value", &[("label", &d.id.trim())]),
            })
            .collect();
        text.push_str(&s.fmt(
            "summary.sentence",
            &[("text", &values.join(s.get("list.separator")))],
        ));
        return text;
    }
    let mean = scored.iter().map(|(_, c)| c).sum::<f64>() / scored.len() as f64;
    let met = scored.iter().filter(|(d, c)| *c + 1e-9 >= d.target).count();
    text.push_str(&s.fmt(
        "chart.radar.mean",
        &[
            ("mean", &s.number(mean, 1)),
            ("count", &scored.len()),
            ("met", &met),
        ],
    ));
    let largest_gap = scored
        .iter()
        .map(|(d, c)| (d, d.target - c))
        .filter(|(_, gap)| *gap > 1e-9)
        .fold(None::<(&&RadarDomain, f64)>, |best, (d, gap)| match best {
            Some((_, g)) if g >= gap => best,
            _ => Some((d, gap)),
        });
    if let Some((d, gap)) = largest_gap {
        text.push(' ');
        text.push_str(&s.fmt(
            "chart.radar.largest_gap",
            &[
                ("label", &d.id.trim()),
                ("gap", &s.number(gap, 1)),
                ("target", &s.number(d.target, 1)),
            ],
        ));
    }
    let missing: Vec<&str> = chart
        .domains
        .iter()
        .filter(|d| finite(d.current).is_none())
        .map(|d| d.id.trim())
        .collect();
    if !missing.is_empty() {
        text.push(' ');
        text.push_str(&s.fmt(
            "chart.radar.missing",
            &[("labels", &missing.join(s.get("list.separator")))],
        ));
    }
    text
}

/// The radar chart as one `<svg>` element, worded with `s`.
pub fn radar(chart: &RadarChart, s: &Strings) -> String {
    let layout = layout(chart, s);
    let desc = summary(chart, s);
    render(
        "radar",
        (layout.width, layout.height),
        &chart.title,
        &desc,
        |p| draw(p, chart, &layout),
    )
}

fn draw(p: &mut Painter, chart: &RadarChart, layout: &Layout) {
    p.title(&layout.title);
    let n = chart.domains.len();
    let max_level = chart.max_level.max(1);
    let (cx, cy) = layout.centre;
    let scale = RADIUS / f64::from(max_level);
    let point = |i: usize, level: f64| {
        let r = level.clamp(0.0, f64::from(max_level)) * scale;
        let theta = angle(i, n);
        (cx + r * theta.cos(), cy + r * theta.sin())
    };

    // Rings and spokes.
    for level in 1..=max_level {
        let level = f64::from(level);
        let mut ring: Vec<(f64, f64)> = if n >= 3 {
            (0..n).map(|i| point(i, level)).collect()
        } else {
            (0..=72)
                .map(|k| {
                    let t = std::f64::consts::TAU * f64::from(k) / 72.0;
                    (cx + level * scale * t.cos(), cy + level * scale * t.sin())
                })
                .collect()
        };
        if let Some(first) = ring.first().copied() {
            ring.push(first);
        }
        p.line(&ring, GRID, 1);
    }
    for i in 0..n {
        p.line(&[(cx, cy), point(i, f64::from(max_level))], GRID, 1);
    }

    // Target: dashed, closed, squares.
    if chart.target_name.is_some() {
        let targets: Vec<(f64, f64)> = chart
            .domains
            .iter()
            .enumerate()
            .map(|(i, d)| point(i, finite(Some(d.target)).unwrap_or(0.0)))
            .collect();
        if n > 1 {
            let mut closed = targets.clone();
            closed.push(targets[0]);
            p.dashed(&closed, TARGET, 2, 7, 5);
        }
        for at in &targets {
            p.marker(Marker::Square, *at, 4.0, TARGET, false);
        }
    }

    // Previous round: dotted grey, hollow circles, a gap where a value is missing.
    if chart.previous_name.is_some() {
        let previous: Vec<Option<(f64, f64)>> = chart
            .domains
            .iter()
            .enumerate()
            .map(|(i, d)| finite(d.previous).map(|v| point(i, v)))
            .collect();
        for i in 0..n {
            let next = (i + 1) % n;
            if n < 3 && next == 0 {
                break;
            }
            if let (Some(a), Some(b)) = (previous[i], previous[next]) {
                p.dashed(&[a, b], PREVIOUS, 2, 3, 3);
            }
        }
        for at in previous.iter().flatten() {
            p.marker(Marker::Circle, *at, 3.5, PREVIOUS, true);
        }
    }

    // Current: solid, filled lightly when complete, a gap where a level is missing.
    let currents: Vec<Option<(f64, f64)>> = chart
        .domains
        .iter()
        .enumerate()
        .map(|(i, d)| finite(d.current).map(|c| point(i, c)))
        .collect();
    if n >= 3 && currents.iter().all(Option::is_some) {
        let outline: Vec<(f64, f64)> = currents.iter().flatten().copied().collect();
        p.polygon(&outline, CURRENT, 0.12);
    }
    if n > 1 {
        for i in 0..n {
            let next = (i + 1) % n;
            if n == 2 && next == 0 {
                break;
            }
            if let (Some(a), Some(b)) = (currents[i], currents[next]) {
                p.line(&[a, b], CURRENT, 3);
            }
        }
    }
    for at in currents.iter().flatten() {
        p.marker(Marker::Circle, *at, 4.5, CURRENT, false);
    }

    // Ring labels left of the top spoke, over a veil so lines do not hide them.
    for level in 0..=max_level {
        let text = chart
            .ring_labels
            .get(level as usize)
            .cloned()
            .unwrap_or_else(|| level.to_string());
        let y = cy - f64::from(level) * scale;
        let right = cx - 7.0;
        let w = text_width(&text, SMALL_PX);
        p.polygon(
            &[
                (right - w - 2.0, y - 7.0),
                (right + 2.0, y - 7.0),
                (right + 2.0, y + 7.0),
                (right - w - 2.0, y + 7.0),
            ],
            WHITE,
            0.85,
        );
        p.text(
            (right, y),
            &text,
            TextSpec::new(SMALL_PX)
                .colour(MUTED)
                .anchor(HPos::Right, VPos::Center),
        );
    }

    // Spoke labels.
    for label in &layout.labels {
        for (k, (line, note)) in label.lines.iter().enumerate() {
            let x = match label.h {
                HPos::Left => label.x0,
                HPos::Right => label.x1,
                HPos::Center => (label.x0 + label.x1) / 2.0,
            };
            let y = label.y0 + k as f64 * LABEL_LINE + LABEL_LINE / 2.0;
            let spec = TextSpec::new(LABEL_PX).anchor(label.h, VPos::Center);
            let spec = if *note {
                spec.colour(MUTED).italic()
            } else {
                spec.bold()
            };
            p.text((cx + x, cy + y), line, spec);
        }
    }

    let items = legend(chart);
    draw_legend(
        p,
        &items,
        (MARGIN, layout.legend_y),
        layout.width - 2.0 * MARGIN,
    );
}

#[cfg(test)]
mod tests {
    use super::super::testing::{DOMAIN_IDS as IDS, assert_escaped, check, text_boxes};
    use super::*;
    use crate::i18n::Lang;

    #[test]
    fn implementation_with_the_previous_round_prints_its_values() {
        let chart = RadarChart {
            title: "Implementation per domain".to_string(),
            max_level: 4,
            current_name: "Current round".to_string(),
            target_name: None,
            previous_name: Some("Previous round".to_string()),
            ring_labels: ["0%", "25%", "50%", "75%", "100%"]
                .map(str::to_owned)
                .to_vec(),
            domains: IDS[..5]
                .iter()
                .enumerate()
                .map(|(i, id)| RadarDomain {
                    id: id.to_string(),
                    current: Some(i as f64 * 0.8),
                    target: 0.0,
                    previous: (i != 2).then_some(i as f64 * 0.5),
                    value_text: Some(format!("{}%", i * 20)),
                })
                .collect(),
        };
        let svg = radar(&chart, Strings::builtin(Lang::En));
        check(&svg);
        let texts: Vec<String> = text_boxes(&svg).into_iter().map(|b| b.text).collect();
        for expected in ["40%", "100%", "Previous round", "Current round", "ASSET"] {
            assert!(
                texts.iter().any(|t| t == expected),
                "{expected} in {texts:?}"
            );
        }
        assert!(!texts.iter().any(|t| t == "Target"), "{texts:?}");
        assert!(svg.contains("SITUATION 80%"), "{svg}");
    }

    fn chart(n: usize) -> RadarChart {
        RadarChart {
            title: "Domain levels: Société Nationale d'Électricité".to_string(),
            max_level: 3,
            current_name: "Current level".to_string(),
            target_name: Some("Target".to_string()),
            previous_name: None,
            ring_labels: Vec::new(),
            domains: (0..n)
                .map(|i| RadarDomain {
                    id: IDS[i].to_string(),
                    current: if i % 5 == 3 {
                        None
                    } else {
                        Some((i % 4) as f64)
                    },
                    target: 2.0 + (i % 2) as f64,
                    previous: None,
                    value_text: None,
                })
                .collect(),
        }
    }

    /// Renders, runs the shared checks, and checks that no spoke label reaches into
    /// the circle of the outer ring.
    fn check_radar(chart: &RadarChart) -> String {
        let svg = radar(chart, Strings::builtin(Lang::En));
        check(&svg);
        let layout = layout(chart, Strings::builtin(Lang::En));
        for label in &layout.labels {
            let nearest_x = 0f64.clamp(label.x0, label.x1);
            let nearest_y = 0f64.clamp(label.y0, label.y1);
            assert!(
                nearest_x.hypot(nearest_y) > RADIUS,
                "label {:?} inside the plot",
                label.lines
            );
        }
        svg
    }

    #[test]
    fn labels_stay_outside_the_plot_and_inside_the_view_box() {
        for n in [3, 8, 15] {
            let svg = check_radar(&chart(n));
            let boxes = text_boxes(&svg);
            for id in &IDS[..n] {
                assert!(boxes.iter().any(|b| b.text == *id), "{id} not drawn");
            }
        }
    }

    #[test]
    fn long_ids_are_cut_and_still_fit() {
        let mut chart = chart(15);
        for d in &mut chart.domains {
            d.id = format!("{}-AND-MORE-WORDS", d.id);
        }
        let svg = check_radar(&chart);
        assert!(svg.contains('…'));
    }

    #[test]
    fn missing_levels_leave_a_gap_and_are_named() {
        let chart = chart(8);
        let svg = check_radar(&chart);
        assert!(svg.contains(">\nno level\n</text>"));
        assert!(
            svg.contains("No level for ACCESS (a gap in the line)."),
            "{svg}"
        );
        // With a gap there is no filled area for the current series.
        assert!(!svg.contains("opacity=\"0.12\""));
    }

    #[test]
    fn all_none_all_zero_and_odd_values_do_not_break_it() {
        let mut none = chart(5);
        none.domains.iter_mut().for_each(|d| d.current = None);
        let svg = check_radar(&none);
        assert!(svg.contains("No domain has a level."));

        let mut zero = chart(5);
        zero.max_level = 0;
        zero.domains.iter_mut().for_each(|d| {
            d.current = Some(0.0);
            d.target = 0.0;
        });
        let svg = check_radar(&zero);
        assert!(svg.contains("5 of them at or above target"), "{svg}");

        let mut odd = chart(4);
        odd.domains[0].current = Some(f64::NAN);
        odd.domains[1].current = Some(99.0);
        odd.domains[2].target = f64::INFINITY;
        check_radar(&odd);

        check_radar(&chart(0));
        check_radar(&chart(1));
    }

    #[test]
    fn text_from_outside_is_escaped() {
        let evil = r#"<script>alert("x")</script> & Co"#;
        let mut chart = chart(3);
        chart.title = evil.to_string();
        chart.current_name = evil.to_string();
        chart.domains[0].id = evil.to_string();
        let svg = check_radar(&chart);
        assert_escaped(&svg, evil);
        assert!(svg.contains("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; Co"));
    }

    #[test]
    fn output_is_deterministic() {
        assert_eq!(
            radar(&chart(8), Strings::builtin(Lang::En)),
            radar(&chart(8), Strings::builtin(Lang::En))
        );
    }
}
