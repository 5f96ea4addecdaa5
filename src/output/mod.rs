//! Output formats, one home for each: CSV (`csv`: byte-order mark and formula-safe
//! cells), JSON (`json`) and the readable tables (`table`) that `score`, `plan` and
//! `report` write. Pure: functions here turn scores, aggregates and plans into bytes
//! or strings; where the bytes go (standard output, a file written whole, a report
//! folder) is the commands' business.
//!
//! One precision rule for every number in CSV and JSON ([`number`]): six significant
//! digits, and never less precise than the unit, so `25.333333333` is `25.3333`,
//! `0.000743333…` is `0.000743333` and a cost of `1234567` stays `1234567`.

pub mod csv;
pub mod json;
pub mod table;

/// Decimal places kept at most: smaller magnitudes print as 0.
const MAX_DECIMALS: i32 = 12;

/// `value` rounded by the rule: six significant digits but never coarser than the
/// unit, `-0` as `0`. Not finite: `None`. The result is the double nearest the
/// rounded decimal, so its shortest form is that decimal.
pub fn rounded(value: f64) -> Option<f64> {
    if !value.is_finite() {
        return None;
    }
    if value == 0.0 {
        return Some(0.0);
    }
    let magnitude = value.abs().log10().floor() as i32;
    let decimals = (5 - magnitude).clamp(0, MAX_DECIMALS);
    let scale = 10f64.powi(decimals);
    // Below 1e6 after scaling: the integer is exact, and dividing it by an exact power
    // of ten rounds once.
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
            (25.333_333_333_333_332, "25.3333"),
            (0.541_666_666_666_7, "0.541667"),
            (0.000_743_333_333, "0.000743333"),
            (5.4, "5.4"),
            (0.799_999_999_999_999_9, "0.8"),
            (30_000.0, "30000"),
            (1_234_567.4, "1234567"),
            (3_721.339_999_99, "3721.34"),
            (100.0, "100"),
            (0.0, "0"),
            (-0.0, "0"),
            (-2.125_555_5, "-2.12556"),
            (1e-15, "0"),
            (-1e-15, "0"),
        ] {
            assert_eq!(number(value).as_deref(), Some(text), "{value}");
        }
        assert_eq!(number(f64::NAN), None);
        assert_eq!(number(f64::INFINITY), None);
    }
}
