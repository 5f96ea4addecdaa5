//! The painter every chart draws with: a thin layer over plotters' SVG backend in
//! CSS pixels (rectangles, lines, polygons, markers, text set by a [`TextSpec`]), the
//! shared font sizes and margins, the wrapped chart title and the hatched "no data" box.

use plotters::element::DashedPathElement;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::{AXIS, GRID, HATCH, INK, MUTED, NO_DATA, truncate, wrap};

/// Font sizes, in CSS pixels (all exact after plotters' `/ 1.24` round trip).
pub(crate) const TITLE_PX: f64 = 16.0;
pub(crate) const LABEL_PX: f64 = 12.0;
pub(crate) const SMALL_PX: f64 = 11.0;
/// Every chart is at least this wide, so that charts shown at the same width on a
/// page share one text size.
pub(crate) const BASE_WIDTH: f64 = 720.0;
/// Outer margin of every chart.
pub(crate) const MARGIN: f64 = 16.0;
/// Line height of the visible title.
const TITLE_LINE: f64 = 20.0;

/// How a piece of text is set.
#[derive(Clone, Copy)]
pub(crate) struct TextSpec {
    pub size: f64,
    pub colour: RGBColor,
    pub h: HPos,
    pub v: VPos,
    pub bold: bool,
    pub italic: bool,
    /// Reads bottom to top.
    pub vertical: bool,
}

impl TextSpec {
    pub fn new(size: f64) -> Self {
        TextSpec {
            size,
            colour: INK,
            h: HPos::Left,
            v: VPos::Center,
            bold: false,
            italic: false,
            vertical: false,
        }
    }
    pub fn colour(mut self, colour: RGBColor) -> Self {
        self.colour = colour;
        self
    }
    pub fn anchor(mut self, h: HPos, v: VPos) -> Self {
        self.h = h;
        self.v = v;
        self
    }
    pub fn bold(mut self) -> Self {
        self.bold = true;
        self
    }
    pub fn italic(mut self) -> Self {
        self.italic = true;
        self
    }
    pub fn vertical(mut self) -> Self {
        self.vertical = true;
        self
    }
}

/// Marker shapes, so series differ by shape as well as colour.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Marker {
    Circle,
    Square,
}

pub(super) type Area<'a> = DrawingArea<SVGBackend<'a>, plotters::coord::Shift>;

/// Draws onto one SVG through plotters; coordinates are CSS pixels of the viewBox.
pub(crate) struct Painter<'a> {
    pub(super) area: Area<'a>,
    pub(super) failure: Option<String>,
}

fn pt((x, y): (f64, f64)) -> (i32, i32) {
    let clean = |v: f64| if v.is_finite() { v.round() as i32 } else { 0 };
    (clean(x), clean(y))
}

impl Painter<'_> {
    pub(super) fn record<E: std::fmt::Debug>(&mut self, result: Result<(), E>) {
        if let (Err(e), None) = (result, &self.failure) {
            self.failure = Some(format!("{e:?}"));
        }
    }

    /// A rectangle from corner `a` to corner `b`, filled and/or outlined.
    pub fn rect(
        &mut self,
        a: (f64, f64),
        b: (f64, f64),
        fill: Option<RGBColor>,
        stroke: Option<(RGBColor, u32)>,
    ) {
        let (a, b) = (pt(a), pt(b));
        let corners = [(a.0.min(b.0), a.1.min(b.1)), (a.0.max(b.0), a.1.max(b.1))];
        if let Some(fill) = fill {
            let r = self.area.draw(&Rectangle::new(corners, fill.filled()));
            self.record(r);
        }
        if let Some((colour, width)) = stroke {
            let r = self
                .area
                .draw(&Rectangle::new(corners, colour.stroke_width(width)));
            self.record(r);
        }
    }

    /// A solid polyline.
    pub fn line(&mut self, points: &[(f64, f64)], colour: RGBColor, width: u32) {
        let points: Vec<_> = points.iter().copied().map(pt).collect();
        let r = self
            .area
            .draw(&PathElement::new(points, colour.stroke_width(width)));
        self.record(r);
    }

    /// A dashed polyline (`dash` pixels drawn, `gap` pixels left out).
    pub fn dashed(
        &mut self,
        points: &[(f64, f64)],
        colour: RGBColor,
        width: u32,
        dash: i32,
        gap: i32,
    ) {
        let points: Vec<_> = points.iter().copied().map(pt).collect();
        let r = self.area.draw(&DashedPathElement::new(
            points,
            dash,
            gap,
            colour.stroke_width(width),
        ));
        self.record(r);
    }

    /// A filled polygon; `opacity` below 1 lets what is underneath show through.
    pub fn polygon(&mut self, points: &[(f64, f64)], colour: RGBColor, opacity: f64) {
        let points: Vec<_> = points.iter().copied().map(pt).collect();
        let r = self
            .area
            .draw(&Polygon::new(points, colour.mix(opacity).filled()));
        self.record(r);
    }

    /// A marker of `shape` centred at `at`, `radius` pixels from centre to edge;
    /// hollow markers are white inside with a coloured outline.
    pub fn marker(
        &mut self,
        shape: Marker,
        at: (f64, f64),
        radius: f64,
        colour: RGBColor,
        hollow: bool,
    ) {
        match shape {
            Marker::Circle => {
                let centre = pt(at);
                let r = radius.round().max(1.0) as i32;
                if hollow {
                    let a = self.area.draw(&Circle::new(centre, r, WHITE.filled()));
                    self.record(a);
                    let b = self
                        .area
                        .draw(&Circle::new(centre, r, colour.stroke_width(2)));
                    self.record(b);
                } else {
                    let a = self.area.draw(&Circle::new(centre, r, colour.filled()));
                    self.record(a);
                }
            }
            Marker::Square => {
                let a = (at.0 - radius, at.1 - radius);
                let b = (at.0 + radius, at.1 + radius);
                if hollow {
                    self.rect(a, b, Some(WHITE), Some((colour, 2)));
                } else {
                    self.rect(a, b, Some(colour), None);
                }
            }
        }
    }

    /// One line of text; plotters escapes it.
    pub fn text(&mut self, at: (f64, f64), text: &str, spec: TextSpec) {
        let style = if spec.bold {
            FontStyle::Bold
        } else if spec.italic {
            FontStyle::Italic
        } else {
            FontStyle::Normal
        };
        // plotters' SVG backend writes `font-size` as size / 1.24.
        let mut font = FontDesc::new(FontFamily::SansSerif, spec.size * 1.24, style);
        if spec.vertical {
            font = font.transform(FontTransform::Rotate270);
        }
        let text_style = TextStyle {
            font,
            color: spec.colour.to_backend_color(),
            pos: Pos::new(spec.h, spec.v),
        };
        let r = self
            .area
            .draw(&Text::new(text.to_string(), pt(at), text_style));
        self.record(r);
    }

    /// The chart title, wrapped, starting at the top margin; returns its height.
    pub fn title(&mut self, lines: &[String]) -> f64 {
        for (i, line) in lines.iter().enumerate() {
            self.text(
                (MARGIN, MARGIN + i as f64 * TITLE_LINE),
                line,
                TextSpec::new(TITLE_PX).bold().anchor(HPos::Left, VPos::Top),
            );
        }
        lines.len() as f64 * TITLE_LINE
    }

    /// A horizontal value axis under rows from `top` to `bottom`: a grid line and a
    /// label at each tick (`(x, text)`), the axis line, the axis name centred below,
    /// and `empty` in the middle when there are no rows.
    pub fn value_axis(
        &mut self,
        ticks: impl IntoIterator<Item = (f64, String)>,
        (left, right): (f64, f64),
        (top, bottom): (f64, f64),
        name: &str,
        empty: Option<&str>,
    ) {
        for (x, text) in ticks {
            self.line(&[(x, top), (x, bottom)], GRID, 1);
            self.text(
                (x, bottom + 6.0),
                &text,
                TextSpec::new(SMALL_PX)
                    .colour(MUTED)
                    .anchor(HPos::Center, VPos::Top),
            );
        }
        self.line(&[(left, bottom), (right, bottom)], AXIS, 1);
        self.text(
            ((left + right) / 2.0, bottom + 26.0),
            &truncate(name, usize::MAX, right - left, LABEL_PX),
            TextSpec::new(LABEL_PX).anchor(HPos::Center, VPos::Top),
        );
        if let Some(empty) = empty {
            self.text(
                ((left + right) / 2.0, (top + bottom) / 2.0),
                empty,
                TextSpec::new(LABEL_PX)
                    .colour(MUTED)
                    .anchor(HPos::Center, VPos::Center),
            );
        }
    }
}

/// The title wrapped to a chart `width` wide (at most two lines).
pub(crate) fn title_lines(title: &str, width: f64) -> Vec<String> {
    wrap(title, width - 2.0 * MARGIN, TITLE_PX, 2)
}

/// Height taken by `lines` of title.
pub(crate) fn title_height(lines: &[String]) -> f64 {
    lines.len() as f64 * TITLE_LINE
}

/// A "no data" box: light grey with diagonal hatching, which reads in greyscale.
pub(crate) fn hatched_box(painter: &mut Painter, a: (f64, f64), b: (f64, f64)) {
    painter.rect(a, b, Some(NO_DATA), None);
    let (x0, y0, x1, y1) = (a.0.min(b.0), a.1.min(b.1), a.0.max(b.0), a.1.max(b.1));
    let (w, h) = (x1 - x0, y1 - y0);
    // Lines x + y = c (rising to the right), clipped to the box.
    let spacing = 6.0;
    let mut c = spacing;
    while c < w + h {
        let start = if c <= h {
            (x0, y0 + c)
        } else {
            (x0 + c - h, y1)
        };
        let end = if c <= w {
            (x0 + c, y0)
        } else {
            (x1, y0 + c - w)
        };
        painter.line(&[start, end], HATCH, 1);
        c += spacing;
    }
    painter.rect(a, b, None, Some((HATCH, 1)));
}
