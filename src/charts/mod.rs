//! Charts for the HTML reports: pure functions from plain data structs to one
//! self-contained `<svg>` string each (radar, heatmap, cost–benefit curve, domain
//! level bars, ranking bars). Shapes and text are drawn with plotters' SVG backend;
//! this module then rewrites the root element so the chart scales with CSS (a
//! `viewBox`, no fixed width) and carries `role="img"`, a `<title>` and a `<desc>`.
//! Shared here: the greyscale- and colour-blind-safe palette, XML escaping, a text
//! width estimate (there are no font metrics: no font library is linked), number
//! and money formatting, tick placement and the legend.
//!
//! Charts do no IO and never fail: odd input (no rows, `NaN`, values out of range)
//! gives a readable chart, never a panic or `NaN` in the output. Output is
//! deterministic: the same input gives the same bytes.

pub mod arrows;
pub mod bars;
pub mod heatmap;
pub mod plan;
pub mod radar;
pub mod stacked;

use plotters::element::DashedPathElement;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

/// Body text colour (near black).
pub(crate) const INK: RGBColor = RGBColor(0x1a, 0x1a, 0x1a);
/// Secondary text: tick labels, notes (7:1 on white).
pub(crate) const MUTED: RGBColor = RGBColor(0x59, 0x59, 0x59);
/// Grid lines and rings.
pub(crate) const GRID: RGBColor = RGBColor(0xcc, 0xcc, 0xcc);
/// Axis lines.
pub(crate) const AXIS: RGBColor = RGBColor(0x73, 0x73, 0x73);
/// The current / main series: dark blue, drawn solid with filled circles.
pub(crate) const CURRENT: RGBColor = RGBColor(0x08, 0x51, 0x9c);
/// The target series: vermillion (Okabe–Ito), drawn dashed with squares. Lighter than
/// [`CURRENT`] in greyscale and told apart from it by colour-blind readers.
pub(crate) const TARGET: RGBColor = RGBColor(0xd5, 0x5e, 0x00);
/// A previous round, or anything secondary: mid grey.
pub(crate) const PREVIOUS: RGBColor = RGBColor(0x73, 0x73, 0x73);
/// Lighter blue for items outside a selection (beyond the budget).
pub(crate) const LIGHT: RGBColor = RGBColor(0x6b, 0xae, 0xd6);
/// Background of "no data" cells, under the hatching.
pub(crate) const NO_DATA: RGBColor = RGBColor(0xf0, 0xf0, 0xf0);
/// Hatching lines on "no data" cells.
pub(crate) const HATCH: RGBColor = RGBColor(0xa6, 0xa6, 0xa6);

/// ColorBrewer "Blues" (9 classes), light to dark: a sequential single-hue scale whose
/// lightness falls steadily, so it reads in greyscale and for every colour vision.
const BLUES: [(u8, u8, u8); 9] = [
    (0xf7, 0xfb, 0xff),
    (0xde, 0xeb, 0xf7),
    (0xc6, 0xdb, 0xef),
    (0x9e, 0xca, 0xe1),
    (0x6b, 0xae, 0xd6),
    (0x42, 0x92, 0xc6),
    (0x21, 0x71, 0xb5),
    (0x08, 0x51, 0x9c),
    (0x08, 0x30, 0x6b),
];

/// The sequential colour for a magnitude `t` in 0..=1 (clamped; `NaN` counts as 0).
pub(crate) fn sequential(t: f64) -> RGBColor {
    let t = if t.is_finite() {
        t.clamp(0.0, 1.0)
    } else {
        0.0
    };
    let scaled = t * (BLUES.len() - 1) as f64;
    let low = (scaled.floor() as usize).min(BLUES.len() - 2);
    let frac = scaled - low as f64;
    let (a, b) = (BLUES[low], BLUES[low + 1]);
    let mix = |x: u8, y: u8| (f64::from(x) + (f64::from(y) - f64::from(x)) * frac).round() as u8;
    RGBColor(mix(a.0, b.0), mix(a.1, b.1), mix(a.2, b.2))
}

/// WCAG relative luminance of a colour, 0 (black) to 1 (white).
fn luminance(color: RGBColor) -> f64 {
    let channel = |c: u8| {
        let c = f64::from(c) / 255.0;
        if c <= 0.03928 {
            c / 12.92
        } else {
            ((c + 0.055) / 1.055).powf(2.4)
        }
    };
    0.2126 * channel(color.0) + 0.7152 * channel(color.1) + 0.0722 * channel(color.2)
}

/// The text colour that reads best on `background`: white on dark, ink on light.
pub(crate) fn text_colour_on(background: RGBColor) -> RGBColor {
    let contrast_white = 1.05 / (luminance(background) + 0.05);
    let contrast_ink = (luminance(background) + 0.05) / (luminance(INK) + 0.05);
    if contrast_white > contrast_ink {
        WHITE
    } else {
        INK
    }
}

/// Escapes the five XML special characters, for text and attribute values.
pub fn escape_xml(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => escaped.push_str("&amp;"),
            '<' => escaped.push_str("&lt;"),
            '>' => escaped.push_str("&gt;"),
            '"' => escaped.push_str("&quot;"),
            '\'' => escaped.push_str("&apos;"),
            other => escaped.push(other),
        }
    }
    escaped
}

/// Characters drawn about one em wide: CJK, Hangul, kana, fullwidth forms, emoji.
fn is_wide(c: char) -> bool {
    matches!(c as u32,
        0x1100..=0x115f
        | 0x2e80..=0x303e
        | 0x3041..=0x33ff
        | 0x3400..=0x4dbf
        | 0x4e00..=0x9fff
        | 0xa000..=0xa4cf
        | 0xac00..=0xd7a3
        | 0xf900..=0xfaff
        | 0xfe30..=0xfe4f
        | 0xff00..=0xff60
        | 0xffe0..=0xffe6
        | 0x1f300..=0x1faff
        | 0x20000..=0x3fffd)
}

/// Estimated advance of one character, in ems, for a generic sans-serif font. The
/// estimate errs wide so that text measured with it does not overflow.
fn char_width_em(c: char) -> f64 {
    if is_wide(c) {
        1.0
    } else if c.is_control() || ('\u{300}'..='\u{36f}').contains(&c) {
        0.0
    } else if "iljI.,:;'!|`".contains(c) {
        0.32
    } else if " ftr()[]{}-\"".contains(c) {
        0.42
    } else if c.is_uppercase() || "mwMW%@&—".contains(c) {
        0.74
    } else {
        0.6
    }
}

/// Estimated width in pixels of `text` set at `font_px`.
pub fn text_width(text: &str, font_px: f64) -> f64 {
    text.chars().map(char_width_em).sum::<f64>() * font_px
}

/// `text` cut to at most `max_chars` characters and `max_px` estimated width, with an
/// ellipsis where it was cut.
pub fn truncate(text: &str, max_chars: usize, max_px: f64, font_px: f64) -> String {
    let text = text.trim();
    if text.chars().count() <= max_chars && text_width(text, font_px) <= max_px {
        return text.to_string();
    }
    let budget = max_px - text_width("…", font_px);
    let mut kept = String::new();
    let mut width = 0.0;
    for c in text.chars().take(max_chars.saturating_sub(1)) {
        let w = char_width_em(c) * font_px;
        if width + w > budget {
            break;
        }
        width += w;
        kept.push(c);
    }
    let mut kept = kept.trim_end().to_string();
    kept.push('…');
    kept
}

/// `text` wrapped at spaces into lines of at most `max_px`, at most `max_lines` of
/// them; a word longer than a line, or text left over, is cut with an ellipsis.
pub fn wrap(text: &str, max_px: f64, font_px: f64, max_lines: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut current = String::new();
    let words: Vec<&str> = text.split_whitespace().collect();
    for (i, word) in words.iter().enumerate() {
        let candidate = if current.is_empty() {
            word.to_string()
        } else {
            format!("{current} {word}")
        };
        if text_width(&candidate, font_px) <= max_px || current.is_empty() {
            current = candidate;
            continue;
        }
        lines.push(std::mem::take(&mut current));
        if lines.len() == max_lines {
            let rest = words[i..].join(" ");
            let last = lines.pop().unwrap_or_default();
            lines.push(truncate(
                &format!("{last} {rest}"),
                usize::MAX,
                max_px,
                font_px,
            ));
            return lines;
        }
        current = word.to_string();
    }
    if !current.is_empty() {
        lines.push(current);
    }
    lines
        .into_iter()
        .map(|line| truncate(&line, usize::MAX, max_px, font_px))
        .collect()
}

/// `value` with at most `max_decimals` decimals, trailing zeros dropped, no locale,
/// never `-0`; non-finite values print as `–`.
pub fn format_number(value: f64, max_decimals: usize) -> String {
    if !value.is_finite() {
        return "–".to_string();
    }
    let mut text = format!("{value:.max_decimals$}");
    if text.contains('.') {
        text = text.trim_end_matches('0').trim_end_matches('.').to_string();
    }
    if text == "-0" {
        text = "0".to_string();
    }
    text
}

/// A whole number with thousands separators: `3721.4` → `3,721`.
pub fn format_count(value: f64) -> String {
    let text = format_number(value, 0);
    let (sign, digits) = match text.strip_prefix('-') {
        Some(rest) => ("-", rest),
        None => ("", text.as_str()),
    };
    if !digits.bytes().all(|b| b.is_ascii_digit()) {
        return text;
    }
    let mut grouped = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(c);
    }
    format!("{sign}{grouped}")
}

/// An amount of US dollars, short: `$0`, `$950`, `$1.5k`, `$250k`, `$1.2M`, `$3B`.
pub fn format_usd(value: f64) -> String {
    if !value.is_finite() {
        return "–".to_string();
    }
    let sign = if value < 0.0 { "-" } else { "" };
    let v = value.abs();
    let (scaled, suffix) = if v >= 999_500_000.0 {
        (v / 1e9, "B")
    } else if v >= 999_500.0 {
        (v / 1e6, "M")
    } else if v >= 1_000.0 {
        (v / 1e3, "k")
    } else {
        (v, "")
    };
    let decimals = if scaled >= 100.0 || suffix.is_empty() {
        0
    } else {
        1
    };
    format!("{sign}${}{suffix}", format_number(scaled, decimals))
}

/// Tick values from 0 to at least `max` with a "nice" step (1, 2, 2.5 or 5 × 10ⁿ),
/// about `target` of them; `max` ≤ 0 or not finite gives the ticks of 0..=1.
pub(crate) fn nice_ticks(max: f64, target: usize) -> Vec<f64> {
    let max = if max.is_finite() && max > 0.0 {
        max
    } else {
        1.0
    };
    let rough = max / target.max(1) as f64;
    let magnitude = 10f64.powf(rough.log10().floor());
    let step = [1.0, 2.0, 2.5, 5.0, 10.0]
        .iter()
        .map(|m| m * magnitude)
        .find(|s| *s >= rough)
        .unwrap_or(10.0 * magnitude);
    let count = (max / step - 1e-9).ceil() as usize;
    (0..=count).map(|i| i as f64 * step).collect()
}

/// Decimals needed to print ticks `step` apart (0 to 3).
pub(crate) fn tick_decimals(ticks: &[f64]) -> usize {
    let step = match ticks {
        [a, b, ..] => b - a,
        _ => 1.0,
    };
    (0..=3)
        .find(|d| {
            let scaled = step * 10f64.powi(*d as i32);
            (scaled - scaled.round()).abs() < 1e-6
        })
        .unwrap_or(3)
}

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

type Area<'a> = DrawingArea<SVGBackend<'a>, plotters::coord::Shift>;

/// Draws onto one SVG through plotters; coordinates are CSS pixels of the viewBox.
pub(crate) struct Painter<'a> {
    area: Area<'a>,
    failure: Option<String>,
}

fn pt((x, y): (f64, f64)) -> (i32, i32) {
    let clean = |v: f64| if v.is_finite() { v.round() as i32 } else { 0 };
    (clean(x), clean(y))
}

impl Painter<'_> {
    fn record<E: std::fmt::Debug>(&mut self, result: Result<(), E>) {
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
}

/// The title wrapped to a chart `width` wide (at most two lines).
pub(crate) fn title_lines(title: &str, width: f64) -> Vec<String> {
    wrap(title, width - 2.0 * MARGIN, TITLE_PX, 2)
}

/// Height taken by `lines` of title.
pub(crate) fn title_height(lines: &[String]) -> f64 {
    lines.len() as f64 * TITLE_LINE
}

/// Draws with `draw` onto a `width` × `height` canvas, and returns the finished SVG.
/// `kind` names the chart in its CSS class (`capgap-chart capgap-chart-<kind>`).
pub(crate) fn render(
    kind: &str,
    size: (f64, f64),
    title: &str,
    desc: &str,
    draw: impl FnOnce(&mut Painter),
) -> String {
    let size = (
        size.0.ceil().clamp(1.0, 100_000.0) as u32,
        size.1.ceil().clamp(1.0, 100_000.0) as u32,
    );
    let mut buffer = String::new();
    {
        let area = SVGBackend::with_string(&mut buffer, size).into_drawing_area();
        let mut painter = Painter {
            area,
            failure: None,
        };
        draw(&mut painter);
        let presented = painter.area.present();
        painter.record(presented);
        if let Some(failure) = painter.failure {
            // The backend writes into a String; only file targets can fail.
            unreachable!("drawing into an in-memory svg failed: {failure}");
        }
    }
    finish(&buffer, kind, size, title, desc)
}

/// Replaces plotters' root element (fixed width and height) with a scalable one that
/// carries the accessible name and description.
fn finish(
    plotters_svg: &str,
    kind: &str,
    (width, height): (u32, u32),
    title: &str,
    desc: &str,
) -> String {
    let body = match plotters_svg.split_once('\n') {
        Some((root, body)) if root.starts_with("<svg ") => body,
        _ => plotters_svg,
    };
    let mut svg = String::with_capacity(body.len() + 400);
    svg.push_str(&format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {width} {height}\" role=\"img\" \
         class=\"capgap-chart capgap-chart-{kind}\" font-family=\"sans-serif\">\n"
    ));
    svg.push_str(&format!("<title>{}</title>\n", escape_xml(title.trim())));
    svg.push_str(&format!("<desc>{}</desc>\n", escape_xml(desc.trim())));
    svg.push_str(body);
    svg
}

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

/// Keeps finite values only.
pub(crate) fn finite(value: Option<f64>) -> Option<f64> {
    value.filter(|v| v.is_finite())
}

#[cfg(test)]
pub(crate) mod testing {
    //! Test support for every chart: a small XML reader (balanced tags, known
    //! entities only) and the estimated boxes of the drawn text.

    use super::text_width;

    /// Fifteen domain ids, the most a model is expected to have, longest included.
    pub const DOMAIN_IDS: [&str; 15] = [
        "ASSET",
        "THREAT",
        "RISK",
        "ACCESS",
        "SITUATION",
        "RESPONSE",
        "THIRD-PARTIES",
        "WORKFORCE",
        "ARCHITECTURE",
        "PROGRAM",
        "SUPPLY-CHAIN",
        "PHYSICAL",
        "OT-NETWORKS",
        "RECOVERY",
        "GOVERNANCE",
    ];

    /// One element: its name, attributes and its direct text.
    #[derive(Debug)]
    pub struct Element {
        pub name: String,
        pub attrs: Vec<(String, String)>,
        pub text: String,
    }

    impl Element {
        pub fn attr(&self, name: &str) -> Option<&str> {
            self.attrs
                .iter()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.as_str())
        }
    }

    fn unescape(text: &str) -> String {
        let mut out = String::new();
        let mut rest = text;
        while let Some(i) = rest.find('&') {
            out.push_str(&rest[..i]);
            let entity_end = rest[i..]
                .find(';')
                .unwrap_or_else(|| panic!("bare & in {text:?}"));
            let entity = &rest[i..i + entity_end + 1];
            out.push(match entity {
                "&amp;" => '&',
                "&lt;" => '<',
                "&gt;" => '>',
                "&quot;" => '"',
                "&apos;" => '\'',
                other => panic!("unknown entity {other} in {text:?}"),
            });
            rest = &rest[i + entity_end + 1..];
        }
        out.push_str(rest);
        out
    }

    /// Every element in document order; panics unless the document is one balanced
    /// `<svg>` element with well-formed attributes and entities.
    pub fn parse(svg: &str) -> Vec<Element> {
        let mut elements: Vec<Element> = Vec::new();
        let mut open: Vec<(String, usize)> = Vec::new();
        let mut rest = svg;
        while !rest.is_empty() {
            let Some(lt) = rest.find('<') else {
                assert!(rest.trim().is_empty(), "text after the root: {rest:?}");
                break;
            };
            let text = &rest[..lt];
            assert!(!text.contains('>'), "stray > in {text:?}");
            let text = unescape(text);
            match open.last() {
                Some((_, index)) => elements[*index].text.push_str(text.trim()),
                None => assert!(text.trim().is_empty(), "text outside the root: {text:?}"),
            }
            let gt = rest[lt..].find('>').expect("unclosed tag") + lt;
            let tag = &rest[lt + 1..gt];
            rest = &rest[gt + 1..];
            if let Some(name) = tag.strip_prefix('/') {
                let (opened, _) = open
                    .pop()
                    .unwrap_or_else(|| panic!("</{name}> closes nothing"));
                assert_eq!(opened, name, "<{opened}> closed by </{name}>");
                if open.is_empty() {
                    assert!(rest.trim().is_empty(), "content after the root: {rest:?}");
                }
                continue;
            }
            assert!(
                !open.is_empty() || elements.is_empty(),
                "a second root element"
            );
            let self_closing = tag.ends_with('/');
            let tag = tag.trim_end_matches('/');
            let (name, mut attrs_text) = tag.split_once(' ').unwrap_or((tag, ""));
            assert!(
                !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric()),
                "bad tag name {name:?}"
            );
            let mut attrs = Vec::new();
            loop {
                attrs_text = attrs_text.trim_start();
                if attrs_text.is_empty() {
                    break;
                }
                let (key, after) = attrs_text
                    .split_once("=\"")
                    .expect("attribute without value");
                let end = after.find('"').expect("unterminated attribute");
                let value = &after[..end];
                assert!(!value.contains('<'), "< in attribute {key}");
                assert!(
                    key.chars()
                        .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == ':'),
                    "bad attribute name {key:?}"
                );
                assert!(
                    !attrs.iter().any(|(k, _)| k == key),
                    "duplicate attribute {key}"
                );
                attrs.push((key.to_string(), unescape(value)));
                attrs_text = &after[end + 1..];
            }
            elements.push(Element {
                name: name.to_string(),
                attrs,
                text: String::new(),
            });
            if !self_closing {
                open.push((name.to_string(), elements.len() - 1));
            }
        }
        assert!(open.is_empty(), "unclosed elements: {open:?}");
        assert!(!elements.is_empty(), "empty document");
        elements
    }

    /// The estimated box a piece of drawn text covers.
    #[derive(Debug, Clone)]
    pub struct TextBox {
        pub text: String,
        pub x0: f64,
        pub y0: f64,
        pub x1: f64,
        pub y1: f64,
    }

    impl TextBox {
        pub fn overlaps(&self, other: &TextBox) -> bool {
            let slack = 0.5;
            self.x0 + slack < other.x1
                && other.x0 + slack < self.x1
                && self.y0 + slack < other.y1
                && other.y0 + slack < self.y1
        }
    }

    fn number(element: &Element, name: &str) -> f64 {
        let value = element
            .attr(name)
            .unwrap_or_else(|| panic!("<{}> without {name}", element.name));
        value
            .parse()
            .unwrap_or_else(|_| panic!("{name}={value:?} is not a number"))
    }

    /// The boxes of every `<text>` element, from its position, anchor, size and the
    /// same width estimate the charts lay out with.
    pub fn text_boxes(svg: &str) -> Vec<TextBox> {
        parse(svg)
            .iter()
            .filter(|e| e.name == "text")
            .map(|e| {
                let (x, y, size) = (number(e, "x"), number(e, "y"), number(e, "font-size"));
                let w = text_width(&e.text, size);
                let (h0, h1) = match e.attr("text-anchor") {
                    Some("middle") => (-w / 2.0, w / 2.0),
                    Some("end") => (-w, 0.0),
                    _ => (0.0, w),
                };
                let (v0, v1) = match e.attr("dy") {
                    Some("0.76em") => (0.0, size),
                    Some("-0.5ex") => (-size, 0.0),
                    _ => (-size / 2.0, size / 2.0),
                };
                match e.attr("transform") {
                    None => TextBox {
                        text: e.text.clone(),
                        x0: x + h0,
                        x1: x + h1,
                        y0: y + v0,
                        y1: y + v1,
                    },
                    Some(t) if t.starts_with("rotate(270,") => TextBox {
                        text: e.text.clone(),
                        x0: x + v0,
                        x1: x + v1,
                        y0: y - h1,
                        y1: y - h0,
                    },
                    Some(other) => panic!("unexpected transform {other}"),
                }
            })
            .collect()
    }

    /// Width and height of the viewBox.
    pub fn view_box(svg: &str) -> (f64, f64) {
        let root = parse(svg).into_iter().next().expect("root");
        let parts: Vec<f64> = root
            .attr("viewBox")
            .expect("viewBox")
            .split(' ')
            .map(|p| p.parse().expect("viewBox number"))
            .collect();
        assert_eq!(parts[..2], [0.0, 0.0]);
        (parts[2], parts[3])
    }

    /// What every chart must satisfy: well-formed; a scalable root with `role="img"`
    /// whose first children are a non-empty `<title>` and `<desc>`; no `NaN` or
    /// infinity; clean font sizes; every text inside the viewBox; no two texts overlapping.
    pub fn check(svg: &str) {
        let elements = parse(svg);
        let root = &elements[0];
        assert_eq!(root.name, "svg");
        assert_eq!(root.attr("role"), Some("img"));
        assert_eq!(root.attr("width"), None, "fixed width");
        assert_eq!(root.attr("height"), None, "fixed height");
        assert_eq!(elements[1].name, "title");
        assert!(!elements[1].text.is_empty(), "empty title");
        assert_eq!(elements[2].name, "desc");
        assert!(!elements[2].text.is_empty(), "empty desc");
        for bad in ["NaN", "inf"] {
            assert!(!svg.contains(bad), "{bad} in the output");
        }
        for e in elements.iter().filter(|e| e.name == "text") {
            let size = e.attr("font-size").expect("font-size");
            assert!(size.len() <= 4, "font-size {size}");
        }
        let (width, height) = view_box(svg);
        let boxes = text_boxes(svg);
        for b in &boxes {
            assert!(
                b.x0 >= -0.5 && b.y0 >= -0.5 && b.x1 <= width + 0.5 && b.y1 <= height + 0.5,
                "text outside the {width}x{height} viewBox: {b:?}"
            );
        }
        for (i, a) in boxes.iter().enumerate() {
            for b in &boxes[i + 1..] {
                assert!(!a.overlaps(b), "texts overlap: {a:?} and {b:?}");
            }
        }
    }

    /// Panics if `raw` occurs in `svg` (unescaped input leaking through).
    pub fn assert_escaped(svg: &str, raw: &str) {
        assert!(!svg.contains(raw), "unescaped {raw:?} in the output");
        assert!(!svg.contains("<script"), "a script element in the output");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_group_thousands() {
        for (value, text) in [
            (0.0, "0"),
            (999.4, "999"),
            (3721.4, "3,721"),
            (1_234_567.0, "1,234,567"),
            (-4500.0, "-4,500"),
            (f64::NAN, "–"),
        ] {
            assert_eq!(format_count(value), text, "{value}");
        }
    }

    #[test]
    fn escapes_the_five_xml_characters() {
        assert_eq!(
            escape_xml(r#"<script>alert("x")</script> & Co's"#),
            "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; Co&apos;s"
        );
    }

    #[test]
    fn text_width_counts_wide_characters_as_one_em() {
        assert_eq!(text_width("", 10.0), 0.0);
        assert_eq!(text_width("日本", 10.0), 20.0);
        assert!(text_width("THIRD-PARTIES", 12.0) > text_width("third-parties", 12.0));
    }

    #[test]
    fn truncate_adds_an_ellipsis_only_when_cut() {
        assert_eq!(truncate("Kenya", 22, 500.0, 12.0), "Kenya");
        let cut = truncate("Democratic Republic of the Congo", 22, 500.0, 12.0);
        assert!(cut.ends_with('…'), "{cut}");
        assert!(cut.chars().count() <= 22, "{cut}");
        let narrow = truncate("Democratic Republic", 99, 60.0, 12.0);
        assert!(text_width(&narrow, 12.0) <= 60.0, "{narrow}");
    }

    #[test]
    fn wrap_breaks_at_spaces_and_cuts_the_last_line() {
        assert_eq!(wrap("one two", 500.0, 12.0, 2), vec!["one two"]);
        let lines = wrap("alpha beta gamma delta epsilon zeta", 60.0, 12.0, 2);
        assert_eq!(lines.len(), 2);
        assert!(lines[1].ends_with('…'), "{lines:?}");
        for line in &lines {
            assert!(text_width(line, 12.0) <= 60.0, "{line}");
        }
        assert!(wrap("", 60.0, 12.0, 2).is_empty());
    }

    #[test]
    fn numbers_are_formatted_without_locale() {
        assert_eq!(format_number(2.0, 1), "2");
        assert_eq!(format_number(2.25, 1), "2.2");
        assert_eq!(format_number(-0.01, 1), "0");
        assert_eq!(format_number(1234567.5, 1), "1234567.5");
        assert_eq!(format_number(f64::NAN, 1), "–");
    }

    #[test]
    fn usd_is_short() {
        assert_eq!(format_usd(0.0), "$0");
        assert_eq!(format_usd(950.0), "$950");
        assert_eq!(format_usd(1500.0), "$1.5k");
        assert_eq!(format_usd(250_000.0), "$250k");
        assert_eq!(format_usd(999_999.0), "$1M");
        assert_eq!(format_usd(1_200_000.0), "$1.2M");
        assert_eq!(format_usd(3_000_000_000.0), "$3B");
    }

    #[test]
    fn ticks_are_nice_and_cover_the_maximum() {
        assert_eq!(
            nice_ticks(100.0, 5),
            vec![0.0, 20.0, 40.0, 60.0, 80.0, 100.0]
        );
        let unit: Vec<String> = nice_ticks(0.0, 5)
            .iter()
            .map(|t| format_number(*t, 1))
            .collect();
        assert_eq!(unit, ["0", "0.2", "0.4", "0.6", "0.8", "1"]);
        let ticks = nice_ticks(1_230_000.0, 5);
        assert!(*ticks.last().unwrap() >= 1_230_000.0);
        assert_eq!(ticks[1], 250_000.0);
        assert_eq!(tick_decimals(&[0.0, 0.25]), 2);
        assert_eq!(tick_decimals(&[0.0, 250_000.0]), 0);
    }

    #[test]
    fn sequential_scale_darkens_and_text_switches_to_white() {
        assert_eq!(sequential(0.0), RGBColor(0xf7, 0xfb, 0xff));
        assert_eq!(sequential(1.0), RGBColor(0x08, 0x30, 0x6b));
        assert_eq!(sequential(f64::NAN), sequential(0.0));
        assert!(luminance(sequential(0.3)) > luminance(sequential(0.6)));
        assert_eq!(text_colour_on(sequential(0.0)), INK);
        assert_eq!(text_colour_on(sequential(1.0)), WHITE);
    }

    #[test]
    fn the_root_element_scales_and_is_named() {
        let svg = render("test", (100.0, 50.0), "A & B", "Two <things>.", |p| {
            p.text((10.0, 10.0), "x", TextSpec::new(LABEL_PX));
        });
        assert!(svg.starts_with(
            "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 100 50\" role=\"img\""
        ));
        assert!(svg.contains("<title>A &amp; B</title>\n<desc>Two &lt;things&gt;.</desc>"));
        assert!(!svg.contains("width=\"100\""));
        testing::check(&svg);
    }

    /// The shared checker must fail on each kind of broken chart it guards against.
    #[test]
    fn the_checker_rejects_broken_charts() {
        let head = "<svg xmlns=\"x\" viewBox=\"0 0 100 50\" role=\"img\">\n<title>t</title>\n<desc>d</desc>\n";
        let text = |x: u32, y: u32, s: &str| {
            format!(
                "<text x=\"{x}\" y=\"{y}\" dy=\"0.5ex\" text-anchor=\"start\" font-size=\"10\">{s}</text>\n"
            )
        };
        let good = format!("{head}{}{}</svg>\n", text(5, 10, "a"), text(5, 30, "b"));
        testing::check(&good);
        let broken = [
            format!("{head}<g></svg>\n"),
            format!("{head}{}</svg>\n", text(5, 10, "a & b")),
            format!("{head}{}</svg>\n", text(90, 10, "too long")),
            format!("{head}{}{}</svg>\n", text(5, 10, "a"), text(6, 12, "b")),
            format!("{head}{}</svg>\n", text(5, 10, "NaN")),
            good.replace("<title>t</title>\n", ""),
            good.replace("role=\"img\"", "width=\"100\""),
        ];
        for svg in broken {
            let caught = std::panic::catch_unwind(|| testing::check(&svg));
            assert!(caught.is_err(), "check accepted {svg}");
        }
    }
}
