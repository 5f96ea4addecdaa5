//! Output formats, one home for each: CSV (`csv`: byte-order mark and formula-safe
//! cells), JSON (`json`) and the readable tables (`table`) that `score`, `plan` and
//! `report` write, and the whole-or-nothing writer (`writer`) that puts them on
//! standard output or in `-o FILE`. The formats are pure: they turn scores,
//! aggregates and plans into bytes or strings; only `writer` touches files, and
//! which file (a report folder, a refused input) is the commands' business.
//!
//! One precision rule for every number in CSV and JSON ([`number`]): six decimal
//! places, and six significant digits for numbers below 0.1, so `25.333333333` is
//! `25.333333`, `0.000743333…` is `0.000743333` and a cost of `1234567` stays
//! `1234567`. Fixed decimals keep differences exact: a trend's `change` is
//! `current - previous` of the numbers as written.

pub mod csv;
pub mod json;
pub mod table;
pub mod writer;
pub mod xlsx;

/// Decimal places kept at least.
const DECIMALS: i32 = 6;
/// Decimal places kept at most: smaller magnitudes print as 0.
const MAX_DECIMALS: i32 = 12;

/// `value` rounded by the rule: six decimal places (more below 0.1, for six
/// significant digits), `-0` as `0`. Not finite: `None`. The result is the double nearest the
/// rounded decimal, so its shortest form is that decimal.
pub fn rounded(value: f64) -> Option<f64> {
    if !value.is_finite() {
        return None;
    }
    if value == 0.0 {
        return Some(0.0);
    }
    let magnitude = value.abs().log10().floor() as i32;
    let decimals = (5 - magnitude).clamp(DECIMALS, MAX_DECIMALS);
    if magnitude + decimals > 15 {
        // Past a double's precision: nothing to round.
        return Some(value);
    }
    let scale = 10f64.powi(decimals);
    // Below 1e16 after scaling: the integer is exact, and dividing it by an exact
    // power of ten rounds once.
    let rounded = (value * scale).round() / scale;
    Some(if rounded == 0.0 { 0.0 } else { rounded })
}

/// A number as CSV writes it: [`rounded`], in its shortest form, whole numbers
/// without `.0`. Not finite: `None` (an empty cell; JSON writes `null`).
pub fn number(value: f64) -> Option<String> {
    let value = rounded(value)?;
    let mut buffer = ryu::Buffer::new();
    let text = buffer.format_finite(value);
    Some(text.strip_suffix(".0").unwrap_or(text).to_owned())
}

/// [`number`] for an optional value: an empty string when absent.
pub fn optional_number(value: Option<f64>) -> String {
    value.and_then(number).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::number;

    #[test]
    fn one_precision_rule() {
        for (value, text) in [
            (25.333_333_333_333_332, "25.333333"),
            (0.541_666_666_666_7, "0.541667"),
            (48.916_666_666_7, "48.916667"),
            (0.000_743_333_333, "0.000743333"),
            (5.4, "5.4"),
            (0.799_999_999_999_999_9, "0.8"),
            (30_000.0, "30000"),
            (1_234_567.4, "1234567.4"),
            (3_721.339_999_99, "3721.34"),
            (3_721.339_123_99, "3721.339124"),
            (100.0, "100"),
            (0.0, "0"),
            (-0.0, "0"),
            (-2.125_555_5, "-2.125556"),
            (1e-15, "0"),
            (-1e-15, "0"),
        ] {
            assert_eq!(number(value).as_deref(), Some(text), "{value}");
        }
        assert_eq!(number(f64::NAN), None);
        assert_eq!(number(f64::INFINITY), None);
    }
}
