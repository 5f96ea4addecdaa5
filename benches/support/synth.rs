//! Deterministic generators of questionnaires for the benchmark and the fuzzer, in
//! two styles (proportions in [`Realistic`] and [`Compact`], and in
//! `benches/README.md`):
//!
//! - **realistic**: made the way assessors make them. `capgap template --sector S
//!   --country CC --operator NAME` is run once per sector and country (the real
//!   binary), and each copy is filled in: every comment kept, the header filled
//!   (operator names accented, non-Latin, quoted with escapes), most practices answered
//!   with short forms, long forms in block style (`response:`, `evidence:` as a block
//!   list, `note: |` block scalars) and in flow style, `na` with and without a note,
//!   some practices left blank, an assessor or none, CRLF and BOM files, two rounds
//!   for some operators.
//! - **compact**: no comments, short answers mostly, some `na` with notes, some
//!   blanks, a spread of quoting, indentation and field order so that no one shape
//!   dominates.
//!
//! The same seed, count and parameters give the same bytes, so runs compare. Nothing
//! here depends on the loader: the bench runs on the stable API and the binary.

use std::fmt::Write as _;
use std::io;
use std::path::{Path, PathBuf};
use std::process::Command;

use capgap::model::Model;

/// Countries across ASEAN, the Pacific, South Asia and Africa.
pub const COUNTRIES: &[&str] = &[
    "KH", "LA", "VN", "TH", "MY", "ID", "PH", "MM", "TL", "BN", "FJ", "PG", "SB", "VU", "WS", "TO",
    "BD", "NP", "LK", "PK", "BT", "MV", "KE", "TZ", "UG", "RW", "ET", "GH", "NG", "SN", "ZM", "MZ",
    "MW", "ZA", "CI", "CM",
];

/// The countries templates are made for (one `capgap template` run per sector each).
const TEMPLATE_COUNTRIES: &[&str] = &[
    "KH", "LA", "VN", "TH", "ID", "FJ", "BD", "NP", "LK", "KE", "SN", "CI",
];

/// Operator names as assessors type them: accented, non-Latin, with punctuation that
/// needs quoting. The operator's number is appended to keep them apart.
const NAMES: &[&str] = &[
    "Électricité du Cambodge",
    "Société Nationale d'Électricité",
    "Việt Nam Điện Lực",
    "អគ្គិសនីកម្ពុជា",
    "ການໄຟຟ້າລາວ",
    "การไฟฟ้าฝ่ายผลิต",
    "नेपाल विद्युत प्राधिकरण",
    "বাংলাদেশ রেলওয়ে",
    "Ceylon Electricity Board",
    "Kenya Power & Lighting",
    "Fiji Electricity Authority",
    "Compagnie Ivoirienne d'Électricité",
    "Société \"Nord\" de Transport",
    "Rail Ōsaka — Ltd.",
    "Grid Unit: North",
    "#1 Transmission Co",
    "O&M Rail Services",
    "Sénégal Énergie",
    "PT Kereta Api (Persero)",
    "Électricité de Guinée [EDG]",
];

const ASSESSORS: &[&str] = &[
    "Marie-Claire Dubois",
    "Nguyễn Văn An",
    "ソフィア 田中",
    "Team B (CERT-KH)",
    "Amara Ndiaye, Joseph Otieno",
    "Sokha Chan",
    "S. Ramanathan",
];

const EVIDENCE: &[&str] = &[
    "Asset register v3, 2025",
    "Site visit notes",
    "Firewall rule review (March)",
    "Interview: control-room supervisor",
    "Photo of the network diagram",
    "Change log, SCADA, last 6 months",
    "Procédure de sauvegarde, version 2",
    "ISO 27001 certificate #A-1234",
];

const NOTES: &[&str] = &[
    "Seen during the site visit; follow up in the next round",
    "Le registre couvre 80 % des postes : à compléter",
    "Substation OT assets not yet covered — see the action plan",
    "担当者不在のため次回確認",
    "Ask the SCADA vendor for the patch list #2",
    "Policy signed in 2024, not yet communicated to staff",
    "Only the main control centre; the backup site has none",
];

const NA_NOTES: &[&str] = &[
    "No such systems at this operator",
    "No wireless links in the OT network",
    "Pas de télémaintenance : aucun accès distant",
    "Outsourced to the national grid company",
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

    /// True with probability `p`.
    pub fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }

    pub fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[(self.next() % items.len() as u64) as usize]
    }
}

/// Which files carry warnings (blank answers, `na` without a note).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Warnings {
    /// The proportion the parameters give.
    Mixed,
    /// No file has a warning.
    None,
    /// Every file has at least one.
    Every,
}

/// Proportions of the realistic corpus (defaults in brackets).
#[derive(Clone, Debug)]
pub struct Realistic {
    /// Files with warnings [0.35]: in them, practices are left blank and `na` lacks a note.
    pub warning_files: f64,
    /// Share of practices left blank in a file with warnings [0.04].
    pub blank: f64,
    /// Share of practices answered `na` [0.04].
    pub na: f64,
    /// Share of `na` answers without a note, in a file with warnings [0.5].
    pub bare_na: f64,
    /// Share of the other answers in a long form [0.25].
    pub long: f64,
    /// Share of the long forms in flow style (`{ response: ..., note: "..." }`) [0.4].
    pub flow: f64,
    /// Share of block-style notes written as a `note: |` block scalar [0.5].
    pub block_note: f64,
    /// Share of short answers with a comment after them [0.1].
    pub comment: f64,
    /// Files with an assessor filled in [0.7].
    pub assessor: f64,
    /// Files with CRLF line ends [0.1].
    pub crlf: f64,
    /// Files that begin with a byte-order mark [0.05].
    pub bom: f64,
    /// Operators assessed twice, a year apart [0.5].
    pub two_rounds: f64,
    /// Files with a filled-in `workforce` section, in flow or block form [0.6].
    pub workforce: f64,
    pub warnings: Warnings,
}

impl Default for Realistic {
    fn default() -> Self {
        Realistic {
            warning_files: 0.35,
            blank: 0.04,
            na: 0.04,
            bare_na: 0.5,
            long: 0.25,
            flow: 0.4,
            block_note: 0.5,
            comment: 0.1,
            assessor: 0.7,
            crlf: 0.1,
            bom: 0.05,
            two_rounds: 0.5,
            workforce: 0.6,
            warnings: Warnings::Mixed,
        }
    }
}

impl Realistic {
    /// Sets one proportion by its field name (`crlf=0.2` on the bench's command line).
    #[allow(dead_code)] // the bench's options only
    pub fn set(&mut self, name: &str, value: f64) -> Result<(), String> {
        let field = match name {
            "warning_files" => &mut self.warning_files,
            "blank" => &mut self.blank,
            "na" => &mut self.na,
            "bare_na" => &mut self.bare_na,
            "long" => &mut self.long,
            "flow" => &mut self.flow,
            "block_note" => &mut self.block_note,
            "comment" => &mut self.comment,
            "assessor" => &mut self.assessor,
            "crlf" => &mut self.crlf,
            "bom" => &mut self.bom,
            "two_rounds" => &mut self.two_rounds,
            "workforce" => &mut self.workforce,
            _ => {
                return Err(format!(
                    "no realistic proportion `{name}` (warning_files, blank, na, bare_na, long, flow, block_note, comment, assessor, crlf, bom, two_rounds, workforce)"
                ));
            }
        };
        *field = value;
        Ok(())
    }
}

/// Proportions of the compact corpus (defaults in brackets).
#[derive(Clone, Debug)]
pub struct Compact {
    /// Files with warnings [0.3]: in them, practices are left blank.
    pub warning_files: f64,
    /// Share of practices left blank in a file with warnings [0.03].
    pub blank: f64,
    /// Share of practices answered `na`, always with a note [0.03].
    pub na: f64,
    /// Share of the other answers in a long form with evidence and a note [0.08].
    pub long: f64,
    /// Share of the long forms and `na` notes in flow style [0.5].
    pub flow: f64,
    /// Files indented by four spaces instead of two [0.2].
    pub wide_indent: f64,
    /// Files whose header fields are in another order [0.2].
    pub shuffled: f64,
    /// Files with CRLF line ends [0.05].
    pub crlf: f64,
    /// Operators assessed twice [0.5].
    pub two_rounds: f64,
    pub warnings: Warnings,
}

impl Default for Compact {
    fn default() -> Self {
        Compact {
            warning_files: 0.3,
            blank: 0.03,
            na: 0.03,
            long: 0.08,
            flow: 0.5,
            wide_indent: 0.2,
            shuffled: 0.2,
            crlf: 0.05,
            two_rounds: 0.5,
            warnings: Warnings::Mixed,
        }
    }
}

/// Whether the next file has warnings. The same random numbers are drawn whatever
/// `warnings` says (and each answer draws from its own generator), so a corpus with
/// no warnings and one with a warning in every file are the same files but for the
/// warnings.
impl Compact {
    /// Sets one proportion by its field name (`blank=0.05` on the bench's command line).
    #[allow(dead_code)] // the bench's options only
    pub fn set(&mut self, name: &str, value: f64) -> Result<(), String> {
        let field = match name {
            "warning_files" => &mut self.warning_files,
            "blank" => &mut self.blank,
            "na" => &mut self.na,
            "long" => &mut self.long,
            "flow" => &mut self.flow,
            "wide_indent" => &mut self.wide_indent,
            "shuffled" => &mut self.shuffled,
            "crlf" => &mut self.crlf,
            "two_rounds" => &mut self.two_rounds,
            _ => {
                return Err(format!(
                    "no compact proportion `{name}` (warning_files, blank, na, long, flow, wide_indent, shuffled, crlf, two_rounds)"
                ));
            }
        };
        *field = value;
        Ok(())
    }
}

fn has_warnings(rng: &mut Rng, warnings: Warnings, share: f64) -> bool {
    let draw = rng.chance(share);
    match warnings {
        Warnings::Mixed => draw,
        Warnings::None => false,
        Warnings::Every => true,
    }
}

/// What a corpus holds.
#[derive(Clone, Copy, Debug, Default)]
pub struct Corpus {
    pub files: usize,
    pub bytes: u64,
    pub with_warnings: usize,
}

/// One `capgap template` output.
pub struct Template {
    pub sector: String,
    pub country: String,
    pub text: String,
}

/// Runs `capgap template` for every sector of the model and each template country.
pub fn templates(binary: &Path, model: &Model) -> io::Result<Vec<Template>> {
    let mut out = Vec::new();
    for sector in &model.sectors {
        for country in TEMPLATE_COUNTRIES {
            let output = Command::new(binary)
                .args(["template", "--sector", &sector.id, "--country", country])
                .args(["--operator", "Operator Placeholder"])
                .output()?;
            if !output.status.success() {
                return Err(io::Error::other(format!(
                    "capgap template --sector {} --country {country} failed: {}",
                    sector.id,
                    String::from_utf8_lossy(&output.stderr).trim()
                )));
            }
            let text = String::from_utf8(output.stdout)
                .map_err(|_| io::Error::other("capgap template wrote non-UTF-8"))?;
            out.push(Template {
                sector: sector.id.clone(),
                country: (*country).to_owned(),
                text,
            });
        }
    }
    Ok(out)
}

/// Calls `one(operator, round, path)` for `count` files: operators in turn, each
/// with one or two rounds.
fn layout(
    dir: &Path,
    count: usize,
    rng: &mut Rng,
    two_rounds: f64,
    mut one: impl FnMut(&mut Rng, usize, usize) -> io::Result<(PathBuf, Vec<u8>, bool)>,
) -> io::Result<Corpus> {
    let mut corpus = Corpus::default();
    let mut operator = 0;
    while corpus.files < count {
        let rounds = if rng.chance(two_rounds) { 2 } else { 1 };
        for round in 0..rounds.min(count - corpus.files) {
            let (relative, bytes, warned) = one(rng, operator, round)?;
            let path = dir.join(relative);
            std::fs::create_dir_all(path.parent().expect("a parent"))?;
            std::fs::write(&path, &bytes)?;
            corpus.files += 1;
            corpus.bytes += bytes.len() as u64;
            corpus.with_warnings += usize::from(warned);
        }
        operator += 1;
    }
    Ok(corpus)
}

/// Writes `count` realistic questionnaires into `dir`, operator numbers from `first`.
pub fn write_realistic(
    templates: &[Template],
    dir: &Path,
    count: usize,
    seed: u64,
    first: usize,
    params: &Realistic,
) -> io::Result<Corpus> {
    let mut rng = Rng::new(seed);
    layout(
        dir,
        count,
        &mut rng,
        params.two_rounds,
        |rng, operator, round| {
            let operator = first + operator;
            let template = &templates[operator % templates.len()];
            let warned = has_warnings(rng, params.warnings, params.warning_files);
            let bytes = fill(rng, template, params, operator, round, warned);
            let path = PathBuf::from(format!(
                "{cc}/{cc}-{sector}-{operator:05}-r{round}.yaml",
                cc = template.country.to_lowercase(),
                sector = template.sector
            ));
            Ok((path, bytes, warned))
        },
    )
}

/// One realistic questionnaire, with the mixed proportion of warnings.
#[allow(dead_code)] // the fuzzer's seeds
pub fn realistic(
    rng: &mut Rng,
    template: &Template,
    params: &Realistic,
    operator: usize,
    round: usize,
) -> Vec<u8> {
    let warned = has_warnings(rng, params.warnings, params.warning_files);
    fill(rng, template, params, operator, round, warned)
}

/// Writes `count` compact questionnaires into `dir`, operator numbers from `first`.
pub fn write_compact(
    model: &Model,
    dir: &Path,
    count: usize,
    seed: u64,
    first: usize,
    params: &Compact,
) -> io::Result<Corpus> {
    let mut rng = Rng::new(seed);
    layout(
        dir,
        count,
        &mut rng,
        params.two_rounds,
        |rng, operator, round| {
            let operator = first + operator;
            let warned = has_warnings(rng, params.warnings, params.warning_files);
            let (country, sector) = place(model, operator);
            let text = compact_one(model, rng, params, operator, round, warned);
            let path = PathBuf::from(format!(
                "{cc}/{cc}-{sector}-{operator:05}-r{round}.yaml",
                cc = country.to_lowercase()
            ));
            Ok((path, text.into_bytes(), warned))
        },
    )
}

/// One compact questionnaire, with the mixed proportion of warnings.
#[allow(dead_code)] // the fuzzer's seeds
pub fn compact(model: &Model, rng: &mut Rng, params: &Compact, operator: usize) -> String {
    let warned = has_warnings(rng, params.warnings, params.warning_files);
    compact_one(model, rng, params, operator, operator % 2, warned)
}

fn place(model: &Model, operator: usize) -> (&'static str, &str) {
    let country = COUNTRIES[operator % COUNTRIES.len()];
    let sector = &model.sectors[(operator / COUNTRIES.len()) % model.sectors.len()].id;
    (country, sector)
}

/// Maturity per operator, a little higher in the second round.
fn maturity(operator: usize, round: usize) -> f64 {
    ((operator * 7919) % 100) as f64 / 100.0 * 0.8 + 0.1 + round as f64 * 0.08
}

/// A response for a practice of `level`: lower levels are more often in place.
fn response<'a>(rng: &mut Rng, responses: &[&'a str], level: u32, maturity: f64) -> &'a str {
    let chance = (maturity + 0.35 - 0.2 * f64::from(level)).clamp(0.02, 0.98);
    let quality = (chance - rng.unit() * 0.6 + 0.3).clamp(0.0, 0.999);
    responses[(((1.0 - quality) * responses.len() as f64) as usize).min(responses.len() - 1)]
}

/// An operator's name as YAML: plain where it can be, else quoted in one of the ways
/// people write it (double quotes with escapes, single quotes).
fn name_scalar(rng: &mut Rng, name: &str) -> String {
    let needs_quotes = name.contains(": ")
        || name.starts_with(['#', '[', '{', '&', '*', '!', '"', '\''])
        || name.contains(" #")
        || name.contains('"');
    match rng.next() % 4 {
        0 if !needs_quotes => name.to_owned(),
        1 if !name.contains('"') => format!("'{}'", name.replace('\'', "''")),
        2 => {
            // Escapes as an editor or a script writes them.
            let mut out = String::from("\"");
            for c in name.chars() {
                match c {
                    '"' => out.push_str("\\\""),
                    '\\' => out.push_str("\\\\"),
                    'é' => out.push_str("\\u00e9"),
                    'É' => out.push_str("\\u00C9"),
                    '—' => out.push_str("\\u2014"),
                    '/' => out.push_str("\\/"),
                    c => out.push(c),
                }
            }
            out.push('"');
            out
        }
        _ => format!("\"{}\"", name.replace('\\', "\\\\").replace('"', "\\\"")),
    }
}

fn double_quoted(text: &str) -> String {
    format!("\"{}\"", text.replace('\\', "\\\\").replace('"', "\\\""))
}

/// The practice id of an unanswered template line (`  ASSET-1a:` or `  ASSET-1a:  # ...`).
fn blank_answer(line: &str) -> Option<(&str, &str)> {
    let content = line.trim_start_matches(' ');
    let indent = &line[..line.len() - content.len()];
    if indent.is_empty() || content.starts_with('#') {
        return None;
    }
    let (key, rest) = content.split_once(':')?;
    let rest = rest.trim();
    if !(rest.is_empty() || rest.starts_with('#')) {
        return None;
    }
    let mut chars = key.chars();
    let well_formed = chars.next().is_some_and(|c| c.is_ascii_uppercase())
        && key.contains('-')
        && key.chars().all(|c| c.is_ascii_alphanumeric() || c == '-');
    well_formed.then_some((indent, key))
}

/// Fills one template in.
fn fill(
    rng: &mut Rng,
    template: &Template,
    p: &Realistic,
    operator: usize,
    round: usize,
    warned: bool,
) -> Vec<u8> {
    const RESPONSES: &[&str] = &["fully", "largely", "partially", "not"];
    let maturity = maturity(operator, round);
    let mut out = String::with_capacity(template.text.len() + 8192);
    let mut blanks = 0;
    // The byte range of the last answer written, and the start of the one being written.
    let mut last_answer = None;
    let mut pending = None;
    let name = format!("{} {operator}", NAMES[(operator * 7) % NAMES.len()]);
    let mut in_answers = false;
    for line in template.text.lines() {
        if let Some(start) = pending.take() {
            last_answer = Some((start, out.len()));
        }
        if !in_answers {
            let field = line.split_once(':').map(|(k, _)| k);
            match field {
                Some("operator") => {
                    let _ = writeln!(out, "operator: {}", name_scalar(rng, &name));
                }
                Some("operator_id") => {
                    let _ = writeln!(
                        out,
                        "operator_id: {}-{}-{operator:05}  # stable across rounds",
                        template.country.to_lowercase(),
                        template.sector
                    );
                }
                Some("assessed_on") => {
                    let _ = writeln!(
                        out,
                        "assessed_on: {}-{:02}-{:02}",
                        2025 + round,
                        1 + operator % 12,
                        1 + operator % 28
                    );
                }
                Some("assessor") if rng.chance(p.assessor) => {
                    let assessor = rng.pick(ASSESSORS);
                    let _ = writeln!(
                        out,
                        "assessor: {}  # name or team",
                        name_scalar(rng, assessor)
                    );
                }
                Some("tlp") if rng.chance(0.3) => {
                    let tlp = rng.pick(&["clear", "green", "amber+strict", "red"]);
                    let _ = writeln!(
                        out,
                        "tlp: {tlp}  # clear | green | amber | amber+strict | red"
                    );
                }
                Some("# weight") if rng.chance(0.2) => {
                    let _ = writeln!(out, "weight: {}  # the operator's share", 1 + operator % 3);
                }
                Some("answers") => {
                    in_answers = true;
                    out.push_str(line);
                    out.push('\n');
                }
                _ => {
                    out.push_str(line);
                    out.push('\n');
                }
            }
            continue;
        }
        let Some((indent, id)) = blank_answer(line) else {
            out.push_str(line);
            out.push('\n');
            continue;
        };
        let rng = &mut Rng::new(rng.next());
        let level = practice_level(id);
        let na = rng.chance(p.na);
        if warned && !na && rng.chance(p.blank) {
            blanks += 1;
            out.push_str(line);
            out.push('\n');
            continue;
        }
        pending = Some(out.len());
        let deeper = format!("{indent}  ");
        if na {
            if warned && rng.chance(p.bare_na) {
                blanks += 1;
                let _ = writeln!(out, "{indent}{id}: na");
            } else if rng.chance(p.flow) {
                let _ = writeln!(
                    out,
                    "{indent}{id}: {{ response: na, note: {} }}",
                    double_quoted(rng.pick(NA_NOTES))
                );
            } else {
                let _ = writeln!(
                    out,
                    "{indent}{id}:\n{deeper}response: na\n{deeper}note: {}",
                    double_quoted(rng.pick(NA_NOTES))
                );
            }
            continue;
        }
        let answer = response(rng, RESPONSES, level, maturity);
        if !rng.chance(p.long) {
            if rng.chance(p.comment) {
                let _ = writeln!(out, "{indent}{id}: {answer}  # {}", rng.pick(EVIDENCE));
            } else {
                let _ = writeln!(out, "{indent}{id}: {answer}");
            }
        } else if rng.chance(p.flow) {
            let note = double_quoted(rng.pick(NOTES));
            if rng.chance(0.5) {
                let _ = writeln!(out, "{indent}{id}: {{ response: {answer}, note: {note} }}");
            } else {
                let _ = writeln!(
                    out,
                    "{indent}{id}: {{ response: {answer}, evidence: [{}, {}], note: {note} }}",
                    double_quoted(rng.pick(EVIDENCE)),
                    double_quoted(rng.pick(EVIDENCE))
                );
            }
        } else {
            let _ = writeln!(out, "{indent}{id}:\n{deeper}response: {answer}");
            let _ = writeln!(out, "{deeper}evidence:");
            for _ in 0..1 + rng.next() % 3 {
                let item = rng.pick(EVIDENCE);
                if item.contains(": ") || item.contains(" #") || rng.chance(0.3) {
                    let _ = writeln!(out, "{deeper}  - {}", double_quoted(item));
                } else {
                    let _ = writeln!(out, "{deeper}  - {item}");
                }
            }
            if rng.chance(p.block_note) {
                let _ = writeln!(out, "{deeper}note: |");
                for _ in 0..2 + rng.next() % 3 {
                    let _ = writeln!(out, "{deeper}  {}", rng.pick(NOTES));
                }
            } else {
                let _ = writeln!(out, "{deeper}note: {}", double_quoted(rng.pick(NOTES)));
            }
        }
    }
    if let Some(start) = pending.take() {
        last_answer = Some((start, out.len()));
    }
    // A file with warnings has at least one: leave the last answer blank if none was.
    if warned
        && blanks == 0
        && let Some((start, end)) = last_answer
    {
        let key = out[start..end]
            .split(':')
            .next()
            .unwrap_or_default()
            .to_owned();
        out.replace_range(start..end, &format!("{key}:\n"));
    }
    if rng.chance(p.workforce) {
        workforce(rng, &template.text, p.flow, &mut out);
    }
    finish(rng, out, p.crlf, p.bom)
}

/// A `workforce` section for the roles the template lists (its commented lines
/// `#   ROLE: { staff: .. }`): small numbers, as small operators report them; each
/// role in flow form with probability `flow`, else in block form.
fn workforce(rng: &mut Rng, template: &str, flow: f64, out: &mut String) {
    let roles: Vec<&str> = template
        .lines()
        .filter_map(|l| l.strip_prefix("#   "))
        .filter_map(|l| l.split_once(": { staff"))
        .map(|(id, _)| id)
        .collect();
    if roles.is_empty() {
        return;
    }
    out.push_str("workforce:\n");
    for role in roles {
        let staff = rng.next() % 3;
        let needed = staff + rng.next() % 4;
        let in_training = rng.next() % 2;
        if rng.chance(flow) {
            let _ = writeln!(
                out,
                "  {role}: {{ staff: {staff}, needed: {needed}, in_training: {in_training} }}"
            );
        } else {
            let _ = writeln!(out, "  {role}:\n    staff: {staff}\n    needed: {needed}");
        }
    }
}

/// The level digit of an id like `ASSET-2c`.
fn practice_level(id: &str) -> u32 {
    id.rsplit('-')
        .next()
        .and_then(|tail| tail.chars().next())
        .and_then(|c| c.to_digit(10))
        .unwrap_or(1)
}

fn finish(rng: &mut Rng, text: String, crlf: f64, bom: f64) -> Vec<u8> {
    let mut bytes = Vec::with_capacity(text.len() + text.len() / 32 + 3);
    if rng.chance(bom) {
        bytes.extend_from_slice("\u{feff}".as_bytes());
    }
    if rng.chance(crlf) {
        bytes.extend_from_slice(text.replace('\n', "\r\n").as_bytes());
    } else {
        bytes.extend_from_slice(text.as_bytes());
    }
    bytes
}

fn compact_one(
    model: &Model,
    rng: &mut Rng,
    p: &Compact,
    operator: usize,
    round: usize,
    warned: bool,
) -> String {
    let (country, sector) = place(model, operator);
    let maturity = maturity(operator, round);
    let indent = if rng.chance(p.wide_indent) {
        "    "
    } else {
        "  "
    };
    let deeper = format!("{indent}{indent}");
    let name = format!("{} {operator}", NAMES[(operator * 7) % NAMES.len()]);
    let mut header = vec![
        format!("model: {}", model.reference()),
        format!("country: {country}"),
        format!("sector: {sector}"),
        format!("operator: {}", name_scalar(rng, &name)),
        format!(
            "operator_id: {}-{sector}-c{operator:05}",
            country.to_lowercase()
        ),
        format!(
            "assessed_on: {}-{:02}-{:02}",
            2025 + round,
            1 + operator % 12,
            1 + operator % 28
        ),
    ];
    if rng.chance(0.6) {
        let assessor = rng.pick(ASSESSORS);
        header.push(format!("assessor: {}", name_scalar(rng, assessor)));
    }
    if rng.chance(0.8) {
        header.push(format!(
            "tlp: {}",
            ["clear", "green", "amber", "amber", "amber+strict"][operator % 5]
        ));
    }
    if operator.is_multiple_of(4) {
        header.push(format!("weight: {}", 1 + operator % 3));
    }
    if rng.chance(p.shuffled) {
        for i in (1..header.len()).rev() {
            let j = (rng.next() % (i as u64 + 1)) as usize;
            header.swap(i, j);
        }
    }
    let mut out = String::with_capacity(8192);
    for line in header {
        out.push_str(&line);
        out.push('\n');
    }
    out.push_str("answers:\n");
    let responses: Vec<&str> = model.responses.iter().map(|r| r.id.as_str()).collect();
    let mut blanks = 0;
    let mut last_answer = 0;
    for practice in model.applicable(sector) {
        let id = &practice.id;
        let rng = &mut Rng::new(rng.next());
        if warned && rng.chance(p.blank) {
            blanks += 1;
            let _ = writeln!(
                out,
                "{indent}{id}:{}",
                if rng.chance(0.3) { " ~" } else { "" }
            );
            continue;
        }
        last_answer = out.len();
        if rng.chance(p.na) {
            let note = double_quoted(rng.pick(NA_NOTES));
            if rng.chance(p.flow) {
                let _ = writeln!(out, "{indent}{id}: {{response: na, note: {note}}}");
            } else {
                let _ = writeln!(
                    out,
                    "{indent}{id}:\n{deeper}response: na\n{deeper}note: {note}"
                );
            }
            continue;
        }
        let answer = response(rng, &responses, practice.level, maturity);
        if rng.chance(p.long) {
            let note = double_quoted(rng.pick(NOTES));
            let evidence = double_quoted(rng.pick(EVIDENCE));
            if rng.chance(p.flow) {
                let _ = writeln!(
                    out,
                    "{indent}{id}: {{response: {answer}, evidence: [{evidence}], note: {note}}}"
                );
            } else {
                let _ = writeln!(
                    out,
                    "{indent}{id}:\n{deeper}response: {answer}\n{deeper}evidence: [{evidence}]\n{deeper}note: {note}"
                );
            }
        } else if rng.chance(0.03) {
            let _ = writeln!(out, "{indent}{id}: '{answer}'");
        } else {
            let _ = writeln!(out, "{indent}{id}: {answer}");
        }
    }
    if warned && blanks == 0 && last_answer > 0 {
        let rest = out.split_off(last_answer);
        if let Some(key) = rest.split(':').next() {
            let _ = writeln!(out, "{key}:");
        }
    }
    if rng.chance(p.crlf) {
        out = out.replace('\n', "\r\n");
    }
    out
}
