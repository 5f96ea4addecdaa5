//! The charts' palette: text, grid and series colours that keep apart in greyscale
//! and for colour-blind readers, the sequential "Blues" scale for magnitudes, and the
//! text colour that reads on a given background (WCAG luminance).

use plotters::prelude::*;

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
pub(super) fn luminance(color: RGBColor) -> f64 {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sequential_scale_darkens_and_text_switches_to_white() {
        assert_eq!(sequential(0.0), RGBColor(0xf7, 0xfb, 0xff));
        assert_eq!(sequential(1.0), RGBColor(0x08, 0x30, 0x6b));
        assert_eq!(sequential(f64::NAN), sequential(0.0));
        assert!(luminance(sequential(0.3)) > luminance(sequential(0.6)));
        assert_eq!(text_colour_on(sequential(0.0)), INK);
        assert_eq!(text_colour_on(sequential(1.0)), WHITE);
    }
}
