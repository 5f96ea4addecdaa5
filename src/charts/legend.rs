//! The legend shared by the charts: entries of a swatch (line, marker, box or
//! hatching) and a label, laid out in rows that wrap within the chart's width.

use plotters::prelude::*;

use super::{HATCH, LABEL_PX, Marker, Painter, TextSpec, text_width, truncate};

/// What a legend entry shows before its label.
#[derive(Clone, Copy)]
pub(crate) enum Swatch {
    /// A line sample with a marker in the middle.
    Series {
        colour: RGBColor,
        dashed: bool,
        marker: Option<Marker>,
        hollow: bool,
    },
    /// A filled box.
    Bar(RGBColor),
    /// A thin horizontal bar.
    ThinBar(RGBColor),
    /// A thick vertical tick.
    Tick(RGBColor),
}

/// One legend entry.
pub(crate) struct LegendItem {
    pub swatch: Swatch,
    pub label: String,
}

const SWATCH_W: f64 = 28.0;
const LEGEND_ROW: f64 = 20.0;
const LEGEND_GAP: f64 = 18.0;

fn legend_item_width(item: &LegendItem) -> f64 {
    SWATCH_W + 6.0 + text_width(&item.label, LABEL_PX)
}

/// Left x and row of each item when the legend is laid out in `width`.
fn legend_layout(items: &[LegendItem], width: f64) -> Vec<(f64, usize)> {
    let mut placed = Vec::with_capacity(items.len());
    let (mut x, mut row) = (0.0, 0);
    for item in items {
        let w = legend_item_width(item);
        if x > 0.0 && x + w > width {
            x = 0.0;
            row += 1;
        }
        placed.push((x, row));
        x += w + LEGEND_GAP;
    }
    placed
}

/// Height of the legend laid out in `width` (0 without items).
pub(crate) fn legend_height(items: &[LegendItem], width: f64) -> f64 {
    legend_layout(items, width)
        .last()
        .map_or(0.0, |(_, row)| (*row + 1) as f64 * LEGEND_ROW)
}

/// Narrowest width that keeps every legend item whole.
pub(crate) fn legend_min_width(items: &[LegendItem]) -> f64 {
    items.iter().map(legend_item_width).fold(0.0, f64::max)
}

/// Draws the legend with its top-left corner at `origin`, wrapping within `width`.
pub(crate) fn draw_legend(
    painter: &mut Painter,
    items: &[LegendItem],
    origin: (f64, f64),
    width: f64,
) {
    let items = items
        .iter()
        .map(|item| LegendItem {
            swatch: item.swatch,
            label: truncate(&item.label, usize::MAX, width - SWATCH_W - 6.0, LABEL_PX),
        })
        .collect::<Vec<_>>();
    for (item, (x, row)) in items.iter().zip(legend_layout(&items, width)) {
        let left = origin.0 + x;
        let mid = origin.1 + row as f64 * LEGEND_ROW + LEGEND_ROW / 2.0;
        draw_swatch(painter, item.swatch, left, mid);
        painter.text(
            (left + SWATCH_W + 6.0, mid),
            &item.label,
            TextSpec::new(LABEL_PX),
        );
    }
}

fn draw_swatch(painter: &mut Painter, swatch: Swatch, left: f64, mid: f64) {
    let right = left + SWATCH_W;
    match swatch {
        Swatch::Series {
            colour,
            dashed,
            marker,
            hollow,
        } => {
            let points = [(left, mid), (right, mid)];
            if dashed {
                painter.dashed(&points, colour, 2, 6, 4);
            } else {
                painter.line(&points, colour, 2);
            }
            if let Some(shape) = marker {
                painter.marker(shape, (left + SWATCH_W / 2.0, mid), 4.0, colour, hollow);
            }
        }
        Swatch::Bar(colour) => {
            // A white box gets an outline, or it would not show.
            let edge = (colour == WHITE).then_some((HATCH, 1));
            painter.rect((left, mid - 6.0), (right, mid + 6.0), Some(colour), edge);
        }
        Swatch::ThinBar(colour) => {
            painter.rect((left, mid - 2.0), (right, mid + 2.0), Some(colour), None);
        }
        Swatch::Tick(colour) => {
            let x = left + SWATCH_W / 2.0;
            painter.rect(
                (x - 2.0, mid - 8.0),
                (x + 2.0, mid + 8.0),
                Some(colour),
                None,
            );
        }
    }
}
