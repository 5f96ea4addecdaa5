//! A deterministic generator of synthetic questionnaires over any model: many
//! countries, both sectors, two rounds a year apart per operator, a spread of
//! maturity, some long-form answers with evidence and notes, some `na`. The same
//! seed and count give the same bytes, so runs are comparable.

use std::fmt::Write as _;
use std::path::Path;

use capgap::model::Model;

/// Countries across ASEAN, the Pacific, South Asia and Africa.
const COUNTRIES: &[&str] = &[
    "KH", "LA", "VN", "TH", "MY", "ID", "PH", "MM", "TL", "BN", "FJ", "PG", "SB", "VU", "WS", "TO",
    "BD", "NP", "LK", "PK", "BT", "MV", "KE", "TZ", "UG", "RW", "ET", "GH", "NG", "SN", "ZM", "MZ",
    "MW", "ZA", "CI", "CM",
];

/// A small, fast, deterministic PRNG (xorshift64*).
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng(seed.max(1))
    }

    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    /// Uniform in [0, 1).
    pub fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// Writes `count` questionnaires into `dir` (two rounds per operator) and returns
/// the total number of bytes written.
pub fn generate(model: &Model, dir: &Path, count: usize, seed: u64) -> std::io::Result<u64> {
    std::fs::create_dir_all(dir)?;
    let mut rng = Rng::new(seed);
    let mut total = 0;
    let sectors: Vec<&str> = model.sectors.iter().map(|s| s.id.as_str()).collect();
    for i in 0..count {
        let operator = i / 2;
        let round = i % 2;
        let country = COUNTRIES[operator % COUNTRIES.len()];
        let sector = sectors[operator % sectors.len()];
        // Maturity per operator, a little higher in the second round.
        let maturity = ((operator * 7919) % 100) as f64 / 100.0 * 0.8 + 0.1 + round as f64 * 0.08;
        let text = questionnaire(model, &mut rng, country, sector, operator, round, maturity);
        let path = dir.join(format!(
            "{}/{country}-{sector}-{operator:05}-r{round}.yaml",
            country.to_lowercase()
        ));
        std::fs::create_dir_all(path.parent().expect("a parent"))?;
        std::fs::write(&path, &text)?;
        total += text.len() as u64;
    }
    Ok(total)
}

fn questionnaire(
    model: &Model,
    rng: &mut Rng,
    country: &str,
    sector: &str,
    operator: usize,
    round: usize,
    maturity: f64,
) -> String {
    let mut out = String::with_capacity(8192);
    let _ = writeln!(out, "model: {}", model.reference());
    let _ = writeln!(out, "country: {country}");
    let _ = writeln!(out, "sector: {sector}");
    let _ = writeln!(
        out,
        "operator: \"Synthetic {sector} operator {operator} of {country}\""
    );
    let _ = writeln!(
        out,
        "operator_id: {}-{sector}-{operator:05}",
        country.to_lowercase()
    );
    let _ = writeln!(
        out,
        "assessed_on: {}-{:02}-{:02}",
        2025 + round,
        1 + operator % 12,
        1 + operator % 28
    );
    let _ = writeln!(out, "assessor: Synthetic assessment team {}", operator % 17);
    let tlp = ["clear", "green", "amber", "amber", "amber+strict"][operator % 5];
    let _ = writeln!(out, "tlp: {tlp}");
    if operator.is_multiple_of(4) {
        let _ = writeln!(out, "weight: {}", 1 + operator % 3);
    }
    let _ = writeln!(out, "answers:");
    let responses: Vec<&str> = model.responses.iter().map(|r| r.id.as_str()).collect();
    for practice in model.applicable(sector) {
        // Lower levels are more often in place; mature operators do more.
        let chance = (maturity + 0.35 - 0.2 * f64::from(practice.level)).clamp(0.02, 0.98);
        let draw = rng.unit();
        let response = if draw < 0.03 {
            "na"
        } else {
            let quality = (chance - rng.unit() * 0.6 + 0.3).clamp(0.0, 0.999);
            responses
                [(((1.0 - quality) * responses.len() as f64) as usize).min(responses.len() - 1)]
        };
        if response == "na" {
            let _ = writeln!(
                out,
                "  {}:\n    response: na\n    note: \"No such systems at this operator\"",
                practice.id
            );
        } else if rng.unit() < 0.2 {
            let _ = writeln!(
                out,
                "  {}:\n    response: {response}\n    evidence: [\"Document {}-{}\", \"Site visit notes\"]\n    note: \"Seen during the site visit; follow up in the next round\"",
                practice.id,
                practice.id,
                rng.next() % 1000
            );
        } else {
            let _ = writeln!(out, "  {}: {response}", practice.id);
        }
    }
    out
}
