//! The heatmap: one row per country (or operator), one column per domain, each cell
//! shaded by implementation (0..1) on the sequential blue scale with the same
//! implementation printed in it as a percentage (one measure: the number is what the
//! shade shows, so the chart reads on paper and in greyscale); cells without data are
//! hatched grey with a dash. Has a colour
//! scale legend; the height grows with the rows. Pure: data in, SVG string out.

use plotters::style::text_anchor::{HPos, VPos};

use super::{
    BASE_WIDTH, INK, LABEL_PX, MARGIN, MUTED, Painter, SMALL_PX, TextSpec, finite, hatched_box,
    render, sequential, text_colour_on, text_width, title_height, title_lines, truncate,
};
use crate::i18n::Strings;

/// A heatmap of implementation, rows × domains.
#[derive(Debug, Clone, PartialEq)]
pub struct Heatmap {
    /// Visible title and accessible name.
    pub title: String,
    /// Column headers: short domain ids.
    pub columns: Vec<String>,
    /// The rows, top to bottom. A row with fewer cells than columns is padded with
    /// empty cells; extra cells are ignored.
    pub rows: Vec<HeatmapRow>,
}

/// One row of a heatmap.
#[derive(Debug, Clone, PartialEq)]
pub struct HeatmapRow {
    /// Row label, e.g. a country name; cut with an ellipsis past 22 characters.
    pub label: String,
    /// One cell per column; `None` when there is no data.
    pub cells: Vec<Option<HeatmapCell>>,
}

/// One cell: its shade and its printed number.
#[derive(Debug, Clone, PartialEq)]
pub struct HeatmapCell {
    /// Implementation, 0..=1: the shade, and the percentage printed in the cell.
    pub implementation: f64,
}

const ROW_LABEL_CHARS: usize = 22;
const HEADER_CHARS: usize = 16;
const CELL_W: f64 = 46.0;
const CELL_H: f64 = 22.0;
const SCALE_W: f64 = 200.0;
const SCALE_STEPS: usize = 20;
const LEGEND_H: f64 = 46.0;

struct Layout {
    width: f64,
    height: f64,
    title: Vec<String>,
    legend_y: f64,
    grid_x: f64,
    grid_y: f64,
    row_labels: Vec<String>,
    headers: Vec<String>,
}

fn layout(chart: &Heatmap) -> Layout {
    let row_labels: Vec<String> = chart
        .rows
        .iter()
        .map(|r| truncate(&r.label, ROW_LABEL_CHARS, f64::INFINITY, LABEL_PX))
        .collect();
    let headers: Vec<String> = chart
        .columns
        .iter()
        .map(|c| truncate(c, HEADER_CHARS, f64::INFINITY, SMALL_PX))
        .collect();
    let label_w = row_labels
        .iter()
        .map(|l| text_width(l, LABEL_PX))
        .fold(0.0, f64::max);
    let header_h = headers
        .iter()
        .map(|h| text_width(h, SMALL_PX))
        .fold(0.0, f64::max);
    let grid_w = chart.columns.len() as f64 * CELL_W;
    let legend_w = SCALE_W + 150.0;
    let width = (MARGIN + label_w + 8.0 + grid_w + MARGIN)
        .max(legend_w + 2.0 * MARGIN)
        .max(BASE_WIDTH);
    let title = title_lines(&chart.title, width);
    let legend_y = MARGIN + title_height(&title) + 8.0;
    let grid_y = legend_y + LEGEND_H + header_h + 8.0;
    let height = grid_y + chart.rows.len() as f64 * CELL_H + MARGIN;
    Layout {
        width,
        height,
        title,
        legend_y,
        grid_x: MARGIN + label_w + 8.0,
        grid_y,
        row_labels,
        headers,
    }
}

fn clean(cell: &Option<HeatmapCell>) -> Option<f64> {
    cell.as_ref()
        .and_then(|c| finite(Some(c.implementation)))
        .map(|i| i.clamp(0.0, 1.0))
}

fn cells(chart: &Heatmap) -> impl Iterator<Item = (usize, usize, Option<f64>)> + '_ {
    chart.rows.iter().enumerate().flat_map(move |(r, row)| {
        (0..chart.columns.len()).map(move |c| (r, c, row.cells.get(c).and_then(clean)))
    })
}

fn summary(chart: &Heatmap, s: &Strings) -> String {
    let (rows, columns) = (chart.rows.len(), chart.columns.len());
    let mut text = s.fmt(
        "chart.heatmap.desc",
        &[
            ("rows", &rows),
            ("columns", &columns),
            ("from", &s.pct(0.0, 0)),
            ("to", &s.pct(1.0, 0)),
        ],
    );
    let filled: Vec<(usize, usize, f64)> = cells(chart)
        .filter_map(|(r, c, cell)| cell.map(|i| (r, c, i)))
        .collect();
    let empty = rows * columns - filled.len();
    if filled.is_empty() {
        text.push(' ');
        text.push_str(s.get("chart.heatmap.no_cells"));
        return text;
    }
    let mean = filled.iter().map(|(_, _, i)| i).sum::<f64>() / filled.len() as f64;
    let lowest = filled
        .iter()
        .fold(filled[0], |a, b| if b.2 < a.2 { *b } else { a });
    let highest = filled
        .iter()
        .fold(filled[0], |a, b| if b.2 > a.2 { *b } else { a });
    let name = |(r, c, _): (usize, usize, f64)| {
        s.fmt(
            "chart.heatmap.cell",
            &[
                ("column", &chart.columns[c].trim()),
                ("row", &chart.rows[r].label.trim()),
            ],
        )
    };
    text.push(' ');
    text.push_str(&s.fmt(
        "chart.heatmap.stats",
        &[
            ("mean", &s.pct(mean, 0)),
            ("lowest", &s.pct(lowest.2, 0)),
            ("lowest_cell", &name(lowest)),
            ("highest", &s.pct(highest.2, 0)),
            ("highest_cell", &name(highest)),
        ],
    ));
    if empty > 0 {
        text.push(' ');
        text.push_str(&s.fmt("chart.heatmap.empty_cells", &[("count", &empty)]));
    }
    text
}

/// The heatmap as one `<svg>` element, worded with `s`.
pub fn heatmap(chart: &Heatmap, s: &Strings) -> String {
    let layout = layout(chart);
    let desc = summary(chart, s);
    render(
        "heatmap",
        (layout.width, layout.height),
        &chart.title,
        &desc,
        |p| draw(p, chart, &layout, s),
    )
}

fn draw(p: &mut Painter, chart: &Heatmap, layout: &Layout, s: &Strings) {
    p.title(&layout.title);
    draw_scale(p, layout.legend_y, s);

    for (c, header) in layout.headers.iter().enumerate() {
        let x = layout.grid_x + (c as f64 + 0.5) * CELL_W;
        p.text(
            (x, layout.grid_y - 6.0),
            header,
            TextSpec::new(SMALL_PX)
                .bold()
                .vertical()
                .anchor(HPos::Left, VPos::Center),
        );
    }
    for (r, label) in layout.row_labels.iter().enumerate() {
        let y = layout.grid_y + (r as f64 + 0.5) * CELL_H;
        p.text(
            (layout.grid_x - 8.0, y),
            label,
            TextSpec::new(LABEL_PX).anchor(HPos::Right, VPos::Center),
        );
    }
    for (r, c, cell) in cells(chart) {
        let x0 = layout.grid_x + c as f64 * CELL_W;
        let y0 = layout.grid_y + r as f64 * CELL_H;
        let (a, b) = ((x0 + 1.0, y0 + 1.0), (x0 + CELL_W - 1.0, y0 + CELL_H - 1.0));
        let centre = (x0 + CELL_W / 2.0, y0 + CELL_H / 2.0);
        let centred = TextSpec::new(SMALL_PX).anchor(HPos::Center, VPos::Center);
        match cell {
            Some(implementation) => {
                let fill = sequential(implementation);
                p.rect(a, b, Some(fill), None);
                p.text(
                    centre,
                    &s.pct(implementation, 0),
                    centred.colour(text_colour_on(fill)),
                );
            }
            None => {
                hatched_box(p, a, b);
                p.rect(
                    (centre.0 - 8.0, centre.1 - 7.0),
                    (centre.0 + 8.0, centre.1 + 7.0),
                    Some(super::NO_DATA),
                    None,
                );
                p.text(centre, "–", centred.colour(MUTED));
            }
        }
    }
}

/// The colour scale: a stepped bar from 0% to 100% and a "no data" swatch.
fn draw_scale(p: &mut Painter, top: f64, s: &Strings) {
    let left = MARGIN;
    p.text(
        (left, top + 7.0),
        s.get("th.implementation"),
        TextSpec::new(SMALL_PX).colour(INK),
    );
    let bar_y = top + 16.0;
    let step = SCALE_W / SCALE_STEPS as f64;
    for k in 0..SCALE_STEPS {
        let t = (k as f64 + 0.5) / SCALE_STEPS as f64;
        let x = left + k as f64 * step;
        p.rect(
            (x, bar_y),
            (x + step + 0.5, bar_y + 12.0),
            Some(sequential(t)),
            None,
        );
    }
    p.rect(
        (left, bar_y),
        (left + SCALE_W, bar_y + 12.0),
        None,
        Some((MUTED, 1)),
    );
    for (t, anchor) in [(0.0, HPos::Left), (0.5, HPos::Center), (1.0, HPos::Right)] {
        p.text(
            (left + t * SCALE_W, bar_y + 15.0),
            &s.pct(t, 0),
            TextSpec::new(SMALL_PX)
                .colour(MUTED)
                .anchor(anchor, VPos::Top),
        );
    }
    let swatch_x = left + SCALE_W + 20.0;
    hatched_box(p, (swatch_x, bar_y - 1.0), (swatch_x + 28.0, bar_y + 13.0));
    p.text(
        (swatch_x + 34.0, bar_y + 6.0),
        s.get("chart.no_data"),
        TextSpec::new(SMALL_PX),
    );
}

#[cfg(test)]
mod tests {
    use super::super::testing::{
        DOMAIN_IDS as DOMAINS, assert_escaped, check, text_boxes, view_box,
    };
    use super::*;
    use crate::i18n::Lang;

    fn chart(rows: usize, columns: usize) -> Heatmap {
        Heatmap {
            title: "Implementation by country and domain".to_string(),
            columns: DOMAINS[..columns].iter().map(|d| d.to_string()).collect(),
            rows: (0..rows)
                .map(|r| HeatmapRow {
                    label: if r % 7 == 0 {
                        "Democratic Republic of the Congo".to_string()
                    } else {
                        format!("Country {r}")
                    },
                    cells: (0..columns)
                        .map(|c| {
                            ((r + c) % 6 != 5).then(|| HeatmapCell {
                                implementation: ((r * 7 + c * 3) % 11) as f64 / 10.0,
                            })
                        })
                        .collect(),
                })
                .collect(),
        }
    }

    #[test]
    fn one_and_sixty_rows_fit_and_height_grows() {
        for (rows, columns) in [(1, 3), (1, 15), (60, 3), (60, 15)] {
            let chart = chart(rows, columns);
            let svg = heatmap(&chart, Strings::builtin(Lang::En));
            check(&svg);
            let boxes = text_boxes(&svg);
            assert!(boxes.iter().any(|b| b.text == "Democratic Republic o…"));
            assert!(boxes.iter().any(|b| b.text == DOMAINS[columns - 1]));
        }
        let short = view_box(&heatmap(&chart(1, 8), Strings::builtin(Lang::En))).1;
        let tall = view_box(&heatmap(&chart(60, 8), Strings::builtin(Lang::En))).1;
        assert!(tall >= short + 59.0 * CELL_H, "{short} {tall}");
    }

    #[test]
    fn dark_cells_get_white_text_and_missing_cells_a_dash() {
        let chart = Heatmap {
            title: "t".to_string(),
            columns: vec!["A".into(), "B".into(), "C".into()],
            rows: vec![HeatmapRow {
                label: "Kenya".into(),
                cells: vec![
                    Some(HeatmapCell {
                        implementation: 1.0,
                    }),
                    Some(HeatmapCell {
                        implementation: 0.0,
                    }),
                ],
            }],
        };
        let svg = heatmap(&chart, Strings::builtin(Lang::En));
        check(&svg);
        // The printed number is the implementation the shade shows.
        assert!(svg.contains("fill=\"#FFFFFF\">\n100%\n</text>"), "{svg}");
        assert!(svg.contains("fill=\"#1A1A1A\">\n0%\n</text>"), "{svg}");
        assert!(svg.contains(">\n–\n</text>"));
        assert!(svg.contains("1 cells have no data."));
    }

    #[test]
    fn empty_and_odd_data_do_not_break_it() {
        let mut none = chart(4, 5);
        none.rows
            .iter_mut()
            .for_each(|r| r.cells.iter_mut().for_each(|c| *c = None));
        let svg = heatmap(&none, Strings::builtin(Lang::En));
        check(&svg);
        assert!(svg.contains("No cell has data."));

        let mut zeros = chart(4, 5);
        zeros.rows.iter_mut().for_each(|r| {
            r.cells = vec![
                Some(HeatmapCell {
                    implementation: 0.0,
                });
                5
            ]
        });
        let svg = heatmap(&zeros, Strings::builtin(Lang::En));
        check(&svg);
        assert!(svg.contains("Mean implementation 0%"));

        let mut odd = chart(2, 3);
        odd.rows[0].cells[0] = Some(HeatmapCell {
            implementation: f64::NAN,
        });
        odd.rows[0].cells[1] = Some(HeatmapCell {
            implementation: 7.0,
        });
        check(&heatmap(&odd, Strings::builtin(Lang::En)));

        check(&heatmap(&chart(0, 0), Strings::builtin(Lang::En)));
    }

    #[test]
    fn text_from_outside_is_escaped() {
        let evil = r#"<script>alert("x")</script> & Co"#;
        let mut chart = chart(2, 3);
        chart.title = evil.to_string();
        chart.rows[1].label = evil.to_string();
        chart.columns[0] = evil.to_string();
        let svg = heatmap(&chart, Strings::builtin(Lang::En));
        check(&svg);
        assert_escaped(&svg, evil);
        assert!(svg.contains("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; Co"));
    }

    #[test]
    fn output_is_deterministic() {
        assert_eq!(
            heatmap(&chart(12, 10), Strings::builtin(Lang::En)),
            heatmap(&chart(12, 10), Strings::builtin(Lang::En))
        );
    }
}
