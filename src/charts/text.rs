//! Text in charts: XML escaping, and a width estimate for laying text out without
//! font metrics (no font library is linked; the estimate errs wide), with the
//! truncation and wrapping built on it.

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

/// `text` wrapped into lines of at most `max_px`, at most `max_lines` of them; a
/// word longer than a line, or text left over, is cut with an ellipsis. Lines break
/// at spaces and, in Japanese (which has none), only between phrases (see
/// [`phrases`]), so a word such as サイバーセキュリティ is never split.
pub fn wrap(text: &str, max_px: f64, font_px: f64, max_lines: usize) -> Vec<String> {
    // Each piece, and whether a space comes before it.
    let pieces: Vec<(String, bool)> = text
        .split_whitespace()
        .flat_map(|word| {
            phrases(word)
                .into_iter()
                .enumerate()
                .map(|(i, piece)| (piece, i == 0))
        })
        .collect();
    let join = |line: &str, piece: &(String, bool)| {
        if line.is_empty() {
            piece.0.clone()
        } else if piece.1 {
            format!("{line} {}", piece.0)
        } else {
            format!("{line}{}", piece.0)
        }
    };
    let mut lines: Vec<String> = Vec::new();
    let mut current = String::new();
    for (i, piece) in pieces.iter().enumerate() {
        let candidate = join(&current, piece);
        if text_width(&candidate, font_px) <= max_px || current.is_empty() {
            current = candidate;
            continue;
        }
        lines.push(std::mem::take(&mut current));
        if lines.len() == max_lines {
            let rest = pieces[i..]
                .iter()
                .fold(lines.pop().unwrap_or_default(), |line, p| join(&line, p));
            lines.push(truncate(&rest, usize::MAX, max_px, font_px));
            return lines;
        }
        current = piece.0.clone();
    }
    if !current.is_empty() {
        lines.push(current);
    }
    lines
        .into_iter()
        .map(|line| truncate(&line, usize::MAX, max_px, font_px))
        .collect()
}

/// A word cut where a Japanese line may break: after 、。・：）」 and before （「, and
/// after a particle or an inflection (a hiragana run) before a kanji or katakana
/// word (実施度の比較 → 実施度の | 比較). A word without wide characters is one piece.
pub fn phrases(word: &str) -> Vec<String> {
    let chars: Vec<char> = word.chars().collect();
    if !chars.iter().copied().any(is_wide) {
        return vec![word.to_owned()];
    }
    let hiragana = |c: char| ('\u{3041}'..='\u{309f}').contains(&c);
    let mut out = Vec::new();
    let mut piece = String::new();
    for (i, &c) in chars.iter().enumerate() {
        let next = chars.get(i + 1).copied();
        if "（「『".contains(c) && !piece.is_empty() {
            out.push(std::mem::take(&mut piece));
        }
        piece.push(c);
        // The hiragana run that ends here: particles and inflections end a phrase
        // when a kanji or katakana word follows (評価された | 事業者, との | サイバー);
        // one hiragana that is not a particle is inside a word (取り扱い).
        let run = chars[..=i]
            .iter()
            .rev()
            .take_while(|c| hiragana(**c))
            .count();
        let particle = hiragana(c)
            && (run >= 2 || "のとをにではがへもや".contains(c))
            && i + 1 > run
            && next.is_some_and(|n| !hiragana(n) && is_wide(n) && !"、。）」』ー".contains(n));
        let closing =
            "、。・：）」』，".contains(c) && next.is_some_and(|n| !"、。）」』".contains(n));
        if (particle || closing) && next.is_some() {
            out.push(std::mem::take(&mut piece));
        }
    }
    if !piece.is_empty() {
        out.push(piece);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

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
    fn japanese_wraps_between_phrases_never_inside_a_word() {
        assert_eq!(
            phrases("ドメイン別の実施度（プラクティス配点の%）"),
            ["ドメイン別の", "実施度", "（プラクティス配点の%）"]
        );
        assert_eq!(phrases("Kenya"), ["Kenya"]);
        assert_eq!(phrases("取り扱い"), ["取り扱い"]);
        assert_eq!(phrases("評価された事業者"), ["評価された", "事業者"]);
        let title =
            "同じ電力部門の他の 3 者（平均）とのサイバーセキュリティアーキテクチャの実施度の比較";
        let lines = wrap(title, 260.0, 12.0, 4);
        assert!(lines.len() > 1, "{lines:?}");
        for line in &lines {
            assert!(text_width(line, 12.0) <= 260.0, "{line}");
        }
        // サイバーセキュリティアーキテクチャ is on one line, whole.
        assert!(
            lines
                .iter()
                .any(|l| l.contains("サイバーセキュリティアーキテクチャ")),
            "{lines:?}"
        );
        assert_eq!(lines.concat().replace(' ', ""), title.replace(' ', ""));
    }
}
