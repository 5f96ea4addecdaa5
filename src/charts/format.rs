//! Numbers as charts and report tables print them, without locale: plain numbers,
//! counts with thousands separators, and short US dollar amounts (`format_usd`, the
//! one money format of charts and tables alike).

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
    format_usd_in(value, crate::i18n::Lang::En)
}

/// [`format_usd`] in the conventions of `lang`: English and Japanese `$1.2M`,
/// French `1,2 M$` (decimal comma, the unit after a narrow no-break space).
pub fn format_usd_in(value: f64, lang: crate::i18n::Lang) -> String {
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
    let number = format_number(scaled, decimals);
    match lang {
        crate::i18n::Lang::Fr => {
            let number = number.replace('.', ",");
            let unit = if suffix.is_empty() {
                "$".to_owned()
            } else {
                format!("{suffix}$")
            };
            format!("{sign}{number}\u{202F}{unit}")
        }
        _ => format!("{sign}${number}{suffix}"),
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
}
