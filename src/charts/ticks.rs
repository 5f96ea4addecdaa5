//! Axis ticks: "nice" values from 0 to a maximum, and the decimals needed to print
//! them.

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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::charts::format_number;

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
}
