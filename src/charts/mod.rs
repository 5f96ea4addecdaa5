//! Charts for the HTML reports: pure functions from plain data structs to one
//! self-contained `<svg>` string each (radar, heatmap, cost–benefit curve, domain
//! level bars, ranking bars, people per workforce role). Shapes and text are drawn with plotters' SVG backend;
//! `svg` then rewrites the root element so the chart scales with CSS (a
//! `viewBox`, no fixed width) and carries `role="img"`, a `<title>` and a `<desc>`.
//! One file per chart kind, and one per shared concept, re-exported here: the
//! greyscale- and colour-blind-safe `palette`, `text` (XML escaping, a width estimate
//! without font metrics, truncation and wrapping), `format` (numbers and money),
//! `ticks`, the `painter` over plotters, `svg` and the `legend`; `testing` checks
//! every chart's SVG in unit tests.
//!
//! Charts do no IO and never fail: odd input (no rows, `NaN`, values out of range)
//! gives a readable chart, never a panic or `NaN` in the output. Output is
//! deterministic: the same input gives the same bytes.

pub mod arrows;
pub mod bars;
mod format;
pub mod heatmap;
mod legend;
mod painter;
mod palette;
pub mod plan;
pub mod radar;
pub mod stacked;
mod svg;
#[cfg(test)]
pub(crate) mod testing;
mod text;
mod ticks;
pub mod workforce;

pub use format::{format_count, format_number, format_usd, format_usd_in};
pub(crate) use legend::{LegendItem, Swatch, draw_legend, legend_height, legend_min_width};
pub(crate) use painter::{
    BASE_WIDTH, LABEL_PX, MARGIN, Marker, Painter, SMALL_PX, TextSpec, hatched_box, title_height,
    title_lines,
};
pub(crate) use palette::{
    AXIS, CURRENT, GRID, HATCH, INK, LIGHT, MUTED, NO_DATA, PREVIOUS, TARGET, sequential,
    text_colour_on,
};
pub(crate) use svg::render;
pub use text::{escape_xml, text_width, truncate, wrap};
pub(crate) use ticks::{nice_ticks, tick_decimals};

/// Keeps finite values only.
pub(crate) fn finite(value: Option<f64>) -> Option<f64> {
    value.filter(|v| v.is_finite())
}
