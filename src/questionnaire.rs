//! A questionnaire after validation: one operator, one assessment round, with every
//! answer resolved against the model. Also the small value types it is made of
//! (dates, TLP labels, the cyber workforce per role). No IO.

use std::fmt;

use serde::Serialize;

/// A validated questionnaire.
#[derive(Debug, Clone, PartialEq)]
pub struct Questionnaire {
    /// The path it was read from, as given on the command line.
    pub file: String,
    /// The model reference as written (`cicmm@1.0.0`).
    pub model: String,
    /// ISO 3166-1 alpha-2, upper case.
    pub country: String,
    pub sector: String,
    pub operator: String,
    pub operator_id: String,
    pub assessed_on: Date,
    pub assessor: Option<String>,
    pub tlp: Tlp,
    /// The operator's share when aggregating a country (> 0).
    pub weight: f64,
    /// Target overrides per domain id.
    pub targets: Vec<(String, u32)>,
    /// Answers by practice, at the practice's `Model::flat_index`; `None` where the
    /// practice was not answered.
    pub answers: Vec<Option<Answer>>,
    /// The cyber workforce per role (SPEC §9), in the model's role order; empty when
    /// the questionnaire has no `workforce` section.
    pub workforce: Vec<Staffing>,
}

/// One role of an operator's cyber workforce (SPEC §9). Serialized with its
/// `shortfall`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Staffing {
    /// A role id of the model.
    pub role: String,
    pub staff: u32,
    pub needed: u32,
    pub in_training: u32,
}

impl Serialize for Staffing {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut out = serializer.serialize_struct("Staffing", 5)?;
        out.serialize_field("role", &self.role)?;
        out.serialize_field("staff", &self.staff)?;
        out.serialize_field("needed", &self.needed)?;
        out.serialize_field("in_training", &self.in_training)?;
        out.serialize_field("shortfall", &self.shortfall())?;
        out.end()
    }
}

impl Staffing {
    /// SPEC §9: `max(0, needed - staff - in_training)`.
    pub fn shortfall(&self) -> u32 {
        self.needed
            .saturating_sub(self.staff.saturating_add(self.in_training))
    }
}

impl Questionnaire {
    /// The target for a domain: the override, else the sector's.
    pub fn target_override(&self, domain: &str) -> Option<u32> {
        self.targets
            .iter()
            .find(|(id, _)| id == domain)
            .map(|(_, level)| *level)
    }
}

/// The answers of one questionnaire in compact form: a byte per practice, plus the
/// notes and evidence where there are any. `report` keeps one per questionnaire so
/// operator pages need not read the files again.
#[derive(Debug, Clone, Default)]
pub struct AnswerSheet {
    pub assessor: Option<String>,
    /// Per practice in model order: a scale index, or one of the markers below.
    responses: Vec<u8>,
    /// (flat practice index, note, evidence), for answers that have either.
    details: Vec<(usize, Option<String>, Vec<String>)>,
}

const SHEET_NA: u8 = 254;
const SHEET_BLANK: u8 = 253;
const SHEET_NONE: u8 = 255;

impl AnswerSheet {
    /// The sheet of a questionnaire; without `details`, notes, evidence and the
    /// assessor are left out (for anonymised reports).
    pub fn new(
        model: &crate::model::Model,
        questionnaire: &Questionnaire,
        details: bool,
    ) -> AnswerSheet {
        let mut responses = vec![SHEET_NONE; model.practice_count()];
        let mut kept = Vec::new();
        for (flat, answer) in questionnaire.answers.iter().enumerate() {
            let Some(answer) = answer else { continue };
            responses[flat] = match answer.response {
                Response::Scale(i) => u8::try_from(i).unwrap_or(SHEET_NONE).min(SHEET_BLANK - 1),
                Response::NotApplicable => SHEET_NA,
                Response::Blank => SHEET_BLANK,
            };
            if details && (answer.note.is_some() || !answer.evidence.is_empty()) {
                kept.push((flat, answer.note.clone(), answer.evidence.clone()));
            }
        }
        kept.sort_by_key(|(flat, _, _)| *flat);
        AnswerSheet {
            assessor: questionnaire.assessor.clone().filter(|_| details),
            responses,
            details: kept,
        }
    }

    /// The response to the practice at flat index `flat`; `None` when not answered.
    pub fn response(&self, flat: usize) -> Option<Response> {
        match *self.responses.get(flat)? {
            SHEET_NONE => None,
            SHEET_NA => Some(Response::NotApplicable),
            SHEET_BLANK => Some(Response::Blank),
            i => Some(Response::Scale(usize::from(i))),
        }
    }

    /// The note and evidence of the practice at flat index `flat`.
    pub fn details(&self, flat: usize) -> (Option<&str>, &[String]) {
        match self.details.binary_search_by_key(&flat, |(f, _, _)| *f) {
            Ok(i) => (self.details[i].1.as_deref(), &self.details[i].2),
            Err(_) => (None, &[]),
        }
    }
}

/// One answer.
#[derive(Debug, Clone, PartialEq)]
pub struct Answer {
    pub response: Response,
    pub evidence: Vec<String>,
    pub note: Option<String>,
}

/// What was answered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Response {
    /// A response of the model's scale, by index into `Model::responses`.
    Scale(usize),
    /// Not applicable: left out of scoring.
    NotApplicable,
    /// The key is present but the value was left blank.
    Blank,
}

impl Response {
    /// A scale response by index, or `Blank` for none (a gap practice's response).
    pub fn of_scale(response: Option<usize>) -> Response {
        response.map_or(Response::Blank, Response::Scale)
    }
}

/// A calendar date (proleptic Gregorian), checked to exist.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    pub year: u16,
    pub month: u8,
    pub day: u8,
}

impl Date {
    /// Parses `YYYY-MM-DD`; `None` when the shape is wrong or the day does not exist.
    pub fn parse(text: &str) -> Option<Date> {
        let bytes = text.as_bytes();
        if bytes.len() != 10 || bytes[4] != b'-' || bytes[7] != b'-' {
            return None;
        }
        let number = |range: std::ops::Range<usize>| -> Option<u32> {
            let part = &text[range];
            part.bytes()
                .all(|b| b.is_ascii_digit())
                .then(|| part.parse().ok())
                .flatten()
        };
        let (year, month, day) = (number(0..4)?, number(5..7)?, number(8..10)?);
        if !(1..=12).contains(&month) || day == 0 || day > days_in_month(year, month) {
            return None;
        }
        Some(Date {
            year: u16::try_from(year).ok()?,
            month: u8::try_from(month).ok()?,
            day: u8::try_from(day).ok()?,
        })
    }

    /// Days since 0000-03-01, for differences between dates.
    pub fn day_number(self) -> i64 {
        let (mut y, m) = (i64::from(self.year), i64::from(self.month));
        let m = if m > 2 { m - 3 } else { m + 9 };
        if m >= 10 {
            y -= 1;
        }
        365 * y + y / 4 - y / 100 + y / 400 + (153 * m + 2) / 5 + i64::from(self.day) - 1
    }
}

fn days_in_month(year: u32, month: u32) -> u32 {
    match month {
        4 | 6 | 9 | 11 => 30,
        2 if year.is_multiple_of(4) && (!year.is_multiple_of(100) || year.is_multiple_of(400)) => {
            29
        }
        2 => 28,
        _ => 31,
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

impl Serialize for Date {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

/// Traffic Light Protocol 2.0 label, least strict first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub enum Tlp {
    Clear,
    Green,
    #[default]
    Amber,
    AmberStrict,
    Red,
}

impl Tlp {
    pub const ALL: [Tlp; 5] = [
        Tlp::Clear,
        Tlp::Green,
        Tlp::Amber,
        Tlp::AmberStrict,
        Tlp::Red,
    ];

    /// The form used in questionnaires and on the command line.
    pub fn as_str(self) -> &'static str {
        match self {
            Tlp::Clear => "clear",
            Tlp::Green => "green",
            Tlp::Amber => "amber",
            Tlp::AmberStrict => "amber+strict",
            Tlp::Red => "red",
        }
    }

    /// The label as TLP 2.0 prints it (`TLP:AMBER+STRICT`).
    pub fn label(self) -> String {
        format!("TLP:{}", self.as_str().to_ascii_uppercase())
    }

    /// Accepts `amber`, `AMBER`, `TLP:AMBER`, `tlp:amber+strict`; `white` is not TLP 2.0.
    pub fn parse(text: &str) -> Option<Tlp> {
        let lower = text.trim().to_ascii_lowercase();
        let bare = lower.strip_prefix("tlp:").unwrap_or(&lower);
        Self::ALL.into_iter().find(|tlp| tlp.as_str() == bare)
    }
}

impl fmt::Display for Tlp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for Tlp {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

/// The default operator id: the name transliterated to ASCII (deunicode:
/// `Tổng công ty Đường sắt Việt Nam` → `tong-cong-ty-duong-sat-viet-nam`,
/// `Électricité` → `electricite`, Khmer, Lao, Thai and CJK names by their usual
/// romanisation), then lower-case letters and digits with other runs as `-`. A name
/// with nothing to transliterate gets `operator-` and a stable hash.
pub fn slug(name: &str) -> String {
    ascii_slug(&deunicode::deunicode_with_tofu(name, "-"), name)
}

/// The default operator id as capgap 0.1 derived it, without transliteration
/// (`Électricité` → `lectricit`): earlier rounds written from its templates carry
/// it, so [`legacy_id_matches`] still matches them.
pub fn legacy_slug(name: &str) -> String {
    ascii_slug(name, name)
}

/// ASCII letters and digits of `text`, lower case, other runs as `-`; the hash of
/// `name` when none are left.
fn ascii_slug(text: &str, name: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    while out.ends_with('-') {
        out.pop();
    }
    if out.is_empty() {
        // FNV-1a: stable across runs and platforms.
        let hash = name.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
            (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
        });
        out = format!("operator-{:08x}", hash >> 32);
    }
    out
}

/// One round as [`legacy_id_matches`] sees it: country, sector, operator name and id.
pub type RoundIdentity<'a> = (&'a str, &'a str, &'a str, &'a str);

/// Default ids changed when names began to be transliterated: a round whose id is
/// the new default of its name no longer matches an earlier round of the same
/// operator that carries the old default explicitly (as templates wrote it). For
/// each such round — its id is [`slug`] of its name, and another round of the same
/// country and sector has the id [`legacy_slug`] of that name (and that id is not
/// its own name's new default) — returns its position and the old id to use.
pub fn legacy_id_matches<'a>(rounds: &[RoundIdentity<'a>]) -> Vec<(usize, String)> {
    let explicit_legacy: std::collections::HashSet<(&str, &str, &str)> = rounds
        .iter()
        .filter(|(_, _, name, id)| *id != slug(name))
        .map(|(country, sector, _, id)| (*country, *sector, *id))
        .collect();
    rounds
        .iter()
        .enumerate()
        .filter_map(|(i, (country, sector, name, id))| {
            let old = legacy_slug(name);
            (old != *id
                && *id == slug(name)
                && explicit_legacy.contains(&(*country, *sector, old.as_str())))
            .then_some((i, old))
        })
        .collect()
}

/// Whether an operator id is safe as a file name and a URL path segment.
pub fn is_valid_operator_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= 80
        && id.as_bytes()[0].is_ascii_alphanumeric()
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
        && !id.contains("..")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates() {
        assert_eq!(
            Date::parse("2024-02-29").map(|d| d.to_string()).as_deref(),
            Some("2024-02-29")
        );
        for bad in [
            "2023-02-29",
            "2026-13-01",
            "2026-04-31",
            "2026-4-01",
            "26-04-01",
            "2026-00-10",
            "2026-01-+1",
        ] {
            assert_eq!(Date::parse(bad), None, "{bad}");
        }
        let a = Date::parse("2025-09-14").unwrap();
        let b = Date::parse("2026-09-14").unwrap();
        assert_eq!(b.day_number() - a.day_number(), 365);
    }

    #[test]
    fn tlp_labels() {
        assert_eq!(Tlp::parse("TLP:AMBER+STRICT"), Some(Tlp::AmberStrict));
        assert_eq!(Tlp::parse("white"), None);
        assert!(Tlp::Red > Tlp::AmberStrict && Tlp::Clear < Tlp::Green);
        assert_eq!(Tlp::Clear.label(), "TLP:CLEAR");
    }

    #[test]
    fn slugs() {
        assert_eq!(
            slug("Électricité du Cambodge (EDC)"),
            "electricite-du-cambodge-edc"
        );
        assert_eq!(
            slug("Tổng công ty Đường sắt Việt Nam"),
            "tong-cong-ty-duong-sat-viet-nam"
        );
        assert_eq!(slug("  Fiji Rail  "), "fiji-rail");
        for name in [
            "អគ្គិសនីកម្ពុជា",
            "ລັດວິສາຫະກິດໄຟຟ້າລາວ",
            "東京電力",
            "Ελληνικός Οργανισμός",
        ] {
            let id = slug(name);
            assert!(is_valid_operator_id(&id), "{name}: {id}");
            assert!(!id.starts_with("operator-"), "{name} is readable: {id}");
        }
        assert!(slug("\u{e000}").starts_with("operator-"));
        assert_eq!(
            legacy_slug("Électricité du Cambodge (EDC)"),
            "lectricit-du-cambodge-edc"
        );
        assert!(is_valid_operator_id("kh-edc"));
        for bad in ["../x", "a/b", "", ".hidden", "a..b", "a b"] {
            assert!(!is_valid_operator_id(bad), "{bad}");
        }
    }

    #[test]
    fn old_default_ids_still_match() {
        let name = "Électricité du Cambodge";
        let new = slug(name);
        let rounds = [
            // 2025, from an old template: the old default written out.
            ("KH", "power", name, "lectricit-du-cambodge"),
            // 2026, no operator_id: the new default.
            ("KH", "power", name, new.as_str()),
            // Another country: no earlier round to match.
            ("LA", "power", name, new.as_str()),
            // ASCII names did not change.
            ("KH", "power", "Fiji Rail", "fiji-rail"),
        ];
        assert_eq!(
            legacy_id_matches(&rounds),
            [(1, "lectricit-du-cambodge".to_owned())]
        );
        // Every round written with the new default: nothing to match.
        assert!(legacy_id_matches(&rounds[1..]).is_empty());
    }
}
