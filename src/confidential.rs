//! Confidentiality of scores (SPEC §7): which TLP an input declares (so that
//! `--tlp-max` can leave out even an invalid file without naming it), `--anonymize`
//! pseudonyms, and the small groups an anonymised report must warn about. Pure: the
//! `commands` read the key file and the inputs; nothing here does IO.
//!
//! Pseudonyms are a keyed hash (HMAC-SHA256) of the operator's (country, sector,
//! id), with a key the user keeps (`--anonymize-key FILE`): `KH-POWER-7F3A2C` and
//! `Power operator KH-7F3A2C`. Without the key a pseudonym reveals nothing about the
//! name, the id or their order, and it is the same in every run with the same key,
//! whatever else the run holds. Two operators of one country and sector whose six
//! hex digits are equal both get longer digests, until they differ. The real →
//! pseudonym mapping is returned for the reports (answers and pages keyed by
//! operator) and is not `Serialize`, so it cannot end up in an output by accident.
//!
//! Scores carry no assessor, notes or evidence; the reports must drop those from
//! questionnaires themselves when anonymizing.

use std::collections::BTreeMap;

use hmac::{Hmac, Mac};
use sha2::Sha256;

use crate::aggregate::Portfolio;
use crate::questionnaire::Tlp;
use crate::score::QuestionnaireScore;

/// What an anonymized score has in place of its source file path.
pub const WITHHELD_FILE: &str = "(withheld)";

/// The TLP a questionnaire's text declares at the top level (`tlp: red`), read
/// without parsing the YAML, for files that are not valid: the strictest of its
/// `tlp:` lines, amber (the default) when there is none, and `None` when one cannot
/// be read as a TLP label.
pub fn declared_tlp(text: &[u8]) -> Option<Tlp> {
    const BOM: &[u8] = b"\xef\xbb\xbf";
    let mut strictest = None;
    // Only lines that start with `tlp` (after a byte-order mark) can declare one:
    // look for those with memmem rather than walking every line.
    for at in memchr::memmem::find_iter(text, b"tlp") {
        let before = &text[..at];
        let before = before.strip_suffix(BOM).unwrap_or(before);
        if !(before.is_empty() || before.ends_with(b"\n")) {
            continue;
        }
        let line = &text[at + 3..];
        let line = &line[..memchr::memchr(b'\n', line).unwrap_or(line.len())];
        let Some(value) = line.trim_ascii_start().strip_prefix(b":") else {
            continue;
        };
        let value = std::str::from_utf8(value).ok()?;
        let value = value.split(" #").next().unwrap_or(value).trim();
        let value = value.trim_matches(|c| c == '"' || c == '\'');
        let tlp = Tlp::parse(value)?;
        strictest = strictest.max(Some(tlp));
    }
    Some(strictest.unwrap_or(Tlp::Amber))
}

/// The secret behind the pseudonyms: whoever holds it can tell which operator a
/// pseudonym stands for, by hashing the candidates.
#[derive(Clone)]
pub struct PseudonymKey(Vec<u8>);

impl PseudonymKey {
    /// The fewest bytes a key may have.
    pub const MIN_LEN: usize = 16;

    /// A key from a key file's bytes (surrounding white space ignored); `None` when
    /// it is shorter than [`PseudonymKey::MIN_LEN`].
    pub fn from_bytes(bytes: &[u8]) -> Option<PseudonymKey> {
        let bytes = bytes.trim_ascii();
        (bytes.len() >= Self::MIN_LEN).then(|| PseudonymKey(bytes.to_vec()))
    }

    /// The keyed digest of an operator, as upper-case hex (64 digits).
    fn digest(&self, country: &str, sector: &str, real_id: &str) -> String {
        let mut mac = Hmac::<Sha256>::new_from_slice(&self.0).expect("HMAC takes any key length");
        for part in ["capgap-pseudonym-1", country, sector, real_id] {
            mac.update(part.as_bytes());
            mac.update(&[0]);
        }
        mac.finalize()
            .into_bytes()
            .iter()
            .map(|b| format!("{b:02X}"))
            .collect()
    }
}

impl std::fmt::Debug for PseudonymKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("PseudonymKey(..)")
    }
}

/// One operator's pseudonym.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pseudonym {
    pub country: String,
    pub sector: String,
    /// The real operator id.
    pub real_id: String,
    /// The pseudonymous id, e.g. `KH-POWER-7F3A2C`.
    pub operator_id: String,
    /// The pseudonymous name, e.g. `Power operator KH-7F3A2C`.
    pub operator: String,
}

/// The real → pseudonym mapping of one run, sorted by country, sector and real id.
#[derive(Debug, Clone, Default)]
pub struct Pseudonyms {
    entries: Vec<Pseudonym>,
}

impl Pseudonyms {
    /// The pseudonym of an operator by its real key.
    pub fn get(&self, country: &str, sector: &str, real_id: &str) -> Option<&Pseudonym> {
        self.entries
            .binary_search_by(|p| {
                (p.country.as_str(), p.sector.as_str(), p.real_id.as_str())
                    .cmp(&(country, sector, real_id))
            })
            .ok()
            .map(|i| &self.entries[i])
    }

    /// The pseudonymous id of an operator by its real key.
    pub fn id(&self, country: &str, sector: &str, real_id: &str) -> Option<&str> {
        self.get(country, sector, real_id)
            .map(|p| p.operator_id.as_str())
    }

    pub fn iter(&self) -> impl Iterator<Item = &Pseudonym> {
        self.entries.iter()
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

/// How many hex digits a pseudonym shows when it does not collide.
const DIGITS: usize = 6;

/// Replaces every score's operator name and id with its pseudonym and withholds its
/// file path; returns the scores in the same order and the mapping.
pub fn anonymize(
    mut scores: Vec<QuestionnaireScore>,
    key: &PseudonymKey,
) -> (Vec<QuestionnaireScore>, Pseudonyms) {
    // (country, sector) → real id → full digest.
    let mut peers: BTreeMap<(&str, &str), BTreeMap<&str, String>> = BTreeMap::new();
    for score in &scores {
        let (country, sector, id) = (
            score.country.as_str(),
            score.sector.as_str(),
            score.operator_id.as_str(),
        );
        peers
            .entry((country, sector))
            .or_default()
            .entry(id)
            .or_insert_with(|| key.digest(country, sector, id));
    }
    let mut entries = Vec::new();
    for ((country, sector), ids) in peers {
        let mut prefixes: BTreeMap<String, Vec<&str>> = BTreeMap::new();
        for (id, digest) in &ids {
            prefixes
                .entry(digest[..DIGITS].to_owned())
                .or_default()
                .push(id);
        }
        for (id, digest) in &ids {
            let same = &prefixes[&digest[..DIGITS]];
            let digits = if same.len() == 1 {
                DIGITS
            } else {
                distinct_length(same.iter().map(|other| ids[other].as_str()))
            };
            let tag = &digest[..digits];
            entries.push(Pseudonym {
                country: country.to_owned(),
                sector: sector.to_owned(),
                real_id: (*id).to_owned(),
                operator_id: format!("{country}-{}-{tag}", sector.to_ascii_uppercase()),
                operator: format!("{} operator {country}-{tag}", sector_words(sector)),
            });
        }
    }
    let pseudonyms = Pseudonyms { entries };
    for score in &mut scores {
        let pseudonym = pseudonyms
            .get(&score.country, &score.sector, &score.operator_id)
            .expect("every score's operator has a pseudonym");
        score.operator_id = pseudonym.operator_id.clone();
        score.operator = pseudonym.operator.clone();
        score.file = WITHHELD_FILE.to_owned();
    }
    (scores, pseudonyms)
}

/// The shortest even prefix length, from `DIGITS` up, at which the digests all differ.
fn distinct_length<'a>(digests: impl Iterator<Item = &'a str> + Clone) -> usize {
    let longest = digests.clone().map(str::len).max().unwrap_or(DIGITS);
    (DIGITS..=longest)
        .step_by(2)
        .find(|&n| {
            let mut seen = std::collections::BTreeSet::new();
            digests.clone().all(|d| seen.insert(&d[..n]))
        })
        .unwrap_or(longest)
}

/// A country and sector with fewer current operators than `--min-group`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SmallGroup {
    pub country: String,
    pub sector: String,
    pub operators: usize,
}

/// The (country, sector) groups of the portfolio with fewer than `min` current
/// operators, in portfolio order: in an anonymised report, anyone who knows the
/// sector can re-identify them.
pub fn small_groups(portfolio: &Portfolio, min: usize) -> Vec<SmallGroup> {
    let mut groups: Vec<SmallGroup> = Vec::new();
    for operator in &portfolio.operators {
        let s = &operator.current;
        match groups
            .iter_mut()
            .find(|g| g.country == s.country && g.sector == s.sector)
        {
            Some(group) => group.operators += 1,
            None => groups.push(SmallGroup {
                country: s.country.clone(),
                sector: s.sector.clone(),
                operators: 1,
            }),
        }
    }
    groups.retain(|g| g.operators < min);
    groups
}

/// `power` → `Power`, `oil-gas` → `Oil gas`.
fn sector_words(sector: &str) -> String {
    let words = sector.replace(['-', '_'], " ");
    let mut chars = words.chars();
    chars
        .next()
        .map(|first| first.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::aggregate::fixture::operator;

    /// Real operators: two KH power (one with two rounds), one KH rail, one FJ power.
    fn real_scores() -> Vec<QuestionnaireScore> {
        vec![
            operator("KH power zeta-grid 2026-01-01")
                .name("Zeta Grid Company")
                .file("kh/zeta-grid-2026.yaml")
                .build(),
            operator("KH power alpha-power 2026-01-01")
                .name("Alpha Power Corporation")
                .file("kh/alpha-power-2026.yaml")
                .tlp(Tlp::Red)
                .build(),
            operator("KH rail royal-railway 2026-01-01")
                .name("Royal Railway")
                .file("kh/royal-railway.yaml")
                .tlp(Tlp::Green)
                .build(),
            operator("KH power zeta-grid 2025-01-01")
                .name("Zeta Grid Co. (old name)")
                .file("kh/zeta-grid-2025.yaml")
                .build(),
            operator("FJ power fiji-electricity 2026-01-01")
                .name("Fiji Electricity Authority")
                .file("fj/fea.yaml")
                .tlp(Tlp::AmberStrict)
                .build(),
        ]
    }

    fn key() -> PseudonymKey {
        PseudonymKey::from_bytes(b"0123456789abcdef0123456789abcdef").expect("long enough")
    }

    fn ids(scores: &[QuestionnaireScore]) -> Vec<String> {
        scores
            .iter()
            .map(|s| format!("{} {} \"{}\"", s.file, s.operator_id, s.operator))
            .collect()
    }

    #[test]
    fn pseudonyms_are_keyed_hashes_the_same_for_every_round() {
        let (scores, pseudonyms) = anonymize(real_scores(), &key());
        assert_eq!(pseudonyms.len(), 4);
        let zeta = pseudonyms
            .id("KH", "power", "zeta-grid")
            .expect("a pseudonym")
            .to_owned();
        assert!(zeta.starts_with("KH-POWER-"), "{zeta}");
        let tag = zeta.trim_start_matches("KH-POWER-");
        assert_eq!(tag.len(), 6);
        assert!(
            tag.bytes()
                .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_lowercase())
        );
        // Both rounds of zeta-grid carry the same pseudonym and name.
        assert_eq!(scores[0].operator_id, zeta);
        assert_eq!(scores[3].operator_id, zeta);
        assert_eq!(scores[0].operator, format!("Power operator KH-{tag}"));
        assert_eq!(scores[0].file, WITHHELD_FILE);
        assert_eq!(pseudonyms.id("KH", "rail", "zeta-grid"), None);
    }

    #[test]
    fn pseudonyms_do_not_depend_on_the_other_inputs_or_their_order() {
        let (all, _) = anonymize(real_scores(), &key());
        let mut reversed = real_scores();
        reversed.reverse();
        let (mut backward, _) = anonymize(reversed, &key());
        backward.reverse();
        assert_eq!(ids(&all), ids(&backward));
        // Alone, zeta-grid has the pseudonym it has among its peers.
        let alone: Vec<QuestionnaireScore> = real_scores()
            .into_iter()
            .filter(|s| s.operator_id == "zeta-grid")
            .collect();
        let (alone, _) = anonymize(alone, &key());
        assert_eq!(alone[0].operator_id, all[0].operator_id);
    }

    #[test]
    fn another_key_gives_other_pseudonyms() {
        let other = PseudonymKey::from_bytes(b"another key of sixteen bytes or more").unwrap();
        let (one, _) = anonymize(real_scores(), &key());
        let (two, _) = anonymize(real_scores(), &other);
        for (a, b) in one.iter().zip(&two) {
            assert_ne!(a.operator_id, b.operator_id);
        }
        assert!(PseudonymKey::from_bytes(b"  too short \n").is_none());
    }

    #[test]
    fn colliding_digests_grow_until_they_differ() {
        assert_eq!(distinct_length(["ABCDEF12", "ABCDEF34"].into_iter()), 8);
        assert_eq!(
            distinct_length(["ABCDEF1234", "ABCDEF1299"].into_iter()),
            10
        );
        assert_eq!(distinct_length(["ABCDEF", "123456"].into_iter()), 6);
    }

    #[test]
    fn no_real_name_id_or_file_is_left_in_the_output() {
        let real = real_scores();
        let (anonymized, _) = anonymize(real.clone(), &key());
        let model = crate::aggregate::fixture::mini_model();
        let records: Vec<_> = anonymized.iter().map(|s| s.record(&model)).collect();
        let json = serde_json::to_string(&records).expect("serializable");
        for score in &real {
            for secret in [&score.operator, &score.operator_id, &score.file] {
                assert!(
                    !json.contains(secret.as_str()),
                    "`{secret}` is still in {json}"
                );
            }
        }
    }

    #[test]
    fn declared_tlp_reads_top_level_lines_only() {
        assert_eq!(declared_tlp(b"country: KH\ntlp: red\n"), Some(Tlp::Red));
        assert_eq!(
            declared_tlp(b"tlp : 'TLP:GREEN' # shared\r\n"),
            Some(Tlp::Green)
        );
        assert_eq!(declared_tlp(b"country: KH\n"), Some(Tlp::Amber), "default");
        assert_eq!(declared_tlp(b"  tlp: red\ntlp: clear\n"), Some(Tlp::Clear));
        assert_eq!(declared_tlp(b"tlp: clear\ntlp: red\n"), Some(Tlp::Red));
        assert_eq!(declared_tlp(b"tlp: purple\n"), None);
        assert_eq!(declared_tlp(b"\xff\xfe"), Some(Tlp::Amber));
    }

    #[test]
    fn small_groups_are_those_below_the_minimum() {
        let model = crate::aggregate::fixture::mini_model();
        let portfolio = crate::aggregate::aggregate(&model, &[], real_scores());
        let groups: Vec<String> = small_groups(&portfolio, 2)
            .iter()
            .map(|g| format!("{} {} {}", g.country, g.sector, g.operators))
            .collect();
        assert_eq!(groups, ["FJ power 1", "KH rail 1"]);
        assert!(small_groups(&portfolio, 1).is_empty());
    }

    #[test]
    fn sector_ids_read_as_words() {
        assert_eq!(sector_words("power"), "Power");
        assert_eq!(sector_words("oil-gas"), "Oil gas");
        assert_eq!(sector_words(""), "");
    }
}
