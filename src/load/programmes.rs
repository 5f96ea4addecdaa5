//! Loading programmes files (SPEC §8): YAML → raw types with positions → validated
//! [`Programme`]s plus every diagnostic. A file with an error is excluded whole,
//! like a questionnaire; the others are kept. Checks: required and unknown fields,
//! status, dates and `end` before `start`, TLP, negative amounts, and every country,
//! sector, intervention and operator id a cover names (operator ids against the
//! run's questionnaires: a cross-file check reported at the id). Ids are unique
//! across all files; a repeated id is reported at the second, naming the first.
//!
//! `--tlp-max` is applied here: a programme marked above it is left out before any
//! of its problems is reported, so nothing of it reaches an output.

use std::collections::{BTreeSet, HashMap};

use serde::Deserialize;
use serde_saphyr::Spanned;

use super::yaml::{self, Source, nearest};
use crate::country;
use crate::diag::{Diagnostic, Severity, has_errors};
use crate::model::Model;
use crate::programmes::{Cover, OperatorKey, Programme, ProgrammeStatus};
use crate::questionnaire::{Date, Tlp, is_valid_operator_id};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    programmes: Spanned<Vec<Spanned<RawProgramme>>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawProgramme {
    id: Spanned<String>,
    donor: Spanned<String>,
    #[serde(default)]
    implementer: Option<String>,
    title: Spanned<String>,
    status: Spanned<String>,
    start: Spanned<String>,
    end: Spanned<String>,
    #[serde(default)]
    amount_usd: Option<Spanned<f64>>,
    #[serde(default)]
    tlp: Option<Spanned<String>>,
    covers: Spanned<Vec<Spanned<RawCover>>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCover {
    country: Spanned<String>,
    sector: Spanned<String>,
    intervention: Spanned<String>,
    #[serde(default)]
    operators: Option<Spanned<Vec<Spanned<String>>>>,
    #[serde(default)]
    trainees: Option<Spanned<u32>>,
}

/// The top-level fields of a programmes file.
const FIELDS: &[&str] = &["programmes"];

/// What loading every programmes file of a run gave.
#[derive(Debug, Default)]
pub struct LoadedProgrammes {
    /// The programmes of the valid files, at or below `--tlp-max`, in file order.
    pub programmes: Vec<Programme>,
    /// Errors (and warnings) of every file, in file order.
    pub diagnostics: Vec<Diagnostic>,
    /// Files excluded for an error, with their first error.
    pub excluded: Vec<String>,
    /// How many programmes `--tlp-max` left out.
    pub withheld: usize,
}

/// The run's operators, as programmes files may name them.
#[derive(Debug, Clone, Copy)]
pub struct RunOperators<'a> {
    /// Of every valid questionnaire, before `--tlp-max`, so that a withheld
    /// operator is not reported as unknown.
    pub known: &'a BTreeSet<OperatorKey>,
    /// After `--tlp-max`: the only ones a message may suggest.
    pub visible: &'a BTreeSet<OperatorKey>,
}

/// Loads programmes files, given as (path, bytes) in command-line order.
pub fn load_programmes(
    model: &Model,
    operators: RunOperators<'_>,
    tlp_max: Option<Tlp>,
    files: Vec<(String, Vec<u8>)>,
) -> LoadedProgrammes {
    let mut out = LoadedProgrammes::default();
    // Id → where it was first defined (path:line:col).
    let mut seen: HashMap<String, String> = HashMap::new();
    for (path, bytes) in files {
        let mut diagnostics = Vec::new();
        let mut programmes = Vec::new();
        match yaml::text_of(&path, bytes) {
            Err(d) => diagnostics.push(d.with_help(
                "a programmes file is a YAML text file that starts with `programmes:` and a list of programmes",
            )),
            Ok(text) => {
                let source = Source::new(&path, &text);
                match yaml::parse::<RawFile>(source, FIELDS) {
                    Err(d) => diagnostics.push(d),
                    Ok(raw) => {
                        for raw in raw.programmes.value {
                            let mut own = Vec::new();
                            let tlp = programme_tlp(source, &raw.value, &mut own);
                            if tlp_max.is_some_and(|max| tlp > max) {
                                out.withheld += 1;
                                continue;
                            }
                            let id = &raw.value.id;
                            let here = format!(
                                "{path}:{}:{}",
                                id.referenced.line(),
                                id.referenced.column()
                            );
                            match seen.get(id.value.trim()) {
                                Some(first) => own.push(
                                    source
                                        .error(
                                            id,
                                            format!(
                                                "duplicate programme id `{}`; the first is at {first}",
                                                id.value.trim()
                                            ),
                                        )
                                        .with_help("ids are unique across all programmes files: rename one"),
                                ),
                                None => {
                                    seen.insert(id.value.trim().to_owned(), here);
                                }
                            }
                            let programme =
                                validate(model, operators, source, raw.value, tlp, &mut own);
                            diagnostics.append(&mut own);
                            programmes.extend(programme);
                        }
                    }
                }
            }
        }
        diagnostics.sort_by_key(|d| (d.line, d.col));
        if has_errors(&diagnostics) {
            let first = diagnostics
                .iter()
                .find(|d| d.severity == Severity::Error)
                .map(ToString::to_string)
                .unwrap_or_else(|| path.clone());
            out.excluded.push(first);
        } else {
            out.programmes.extend(programmes);
        }
        out.diagnostics.extend(diagnostics);
    }
    out
}

/// The programme's TLP (default amber); an invalid label is reported and read as red,
/// so that `--tlp-max` never lets a mislabelled programme through.
fn programme_tlp(source: Source<'_>, raw: &RawProgramme, out: &mut Vec<Diagnostic>) -> Tlp {
    match &raw.tlp {
        None => Tlp::default(),
        Some(tlp) => Tlp::parse(&tlp.value).unwrap_or_else(|| {
            out.push(
                source
                    .error(tlp, format!("`{}` is not a TLP 2.0 label", tlp.value))
                    .with_help("use one of: clear, green, amber, amber+strict, red"),
            );
            Tlp::Red
        }),
    }
}

fn validate(
    model: &Model,
    operators: RunOperators<'_>,
    source: Source<'_>,
    raw: RawProgramme,
    tlp: Tlp,
    out: &mut Vec<Diagnostic>,
) -> Option<Programme> {
    let id = raw.id.value.trim().to_owned();
    if !is_valid_operator_id(&id) {
        out.push(
            source
                .error(&raw.id, format!("programme id `{id}` is not a safe identifier"))
                .with_help("use letters, digits, `-`, `_` and `.`, starting with a letter or digit, e.g. jp-asean-ot-2025"),
        );
    }
    let donor = raw.donor.value.trim().to_owned();
    if donor.is_empty() {
        out.push(
            source
                .error(&raw.donor, "the donor is empty")
                .with_help("name who pays, e.g. `Japan` or `World Bank`"),
        );
    }
    let title = raw.title.value.trim().to_owned();
    if title.is_empty() {
        out.push(source.error(&raw.title, "the title is empty"));
    }
    let status = ProgrammeStatus::parse(raw.status.value.trim());
    if status.is_none() {
        let names = ProgrammeStatus::ALL.map(ProgrammeStatus::as_str);
        let help = match nearest(raw.status.value.trim(), names) {
            Some(near) => format!("did you mean `{near}`?"),
            None => "use one of: planned, funded, delivered".to_owned(),
        };
        out.push(
            source
                .error(
                    &raw.status,
                    format!("unknown status `{}`", raw.status.value),
                )
                .with_help(help),
        );
    }
    let date = |at: &Spanned<String>, out: &mut Vec<Diagnostic>| {
        let parsed = Date::parse(at.value.trim());
        if parsed.is_none() {
            out.push(
                source
                    .error(at, format!("`{}` is not a valid date", at.value))
                    .with_help("write the date as YYYY-MM-DD, e.g. 2026-03-31, and check that the day exists"),
            );
        }
        parsed
    };
    let start = date(&raw.start, out);
    let end = date(&raw.end, out);
    if let (Some(start), Some(end)) = (start, end)
        && end < start
    {
        out.push(
            source
                .error(
                    &raw.end,
                    format!("`end` ({end}) is before `start` ({start})"),
                )
                .with_help("a programme ends on or after the day it starts"),
        );
    }
    let amount_usd = match &raw.amount_usd {
        None => None,
        Some(a) if a.value.is_finite() && a.value >= 0.0 => Some(a.value),
        Some(a) => {
            out.push(
                source
                    .error(
                        a,
                        format!(
                            "amount_usd must be a non-negative number of US dollars, found {}",
                            a.value
                        ),
                    )
                    .with_help("leave `amount_usd` out when the amount is not known"),
            );
            None
        }
    };
    if raw.covers.value.is_empty() {
        out.push(
            source
                .error(&raw.covers, "the programme covers nothing")
                .with_help(
                    "list what it pays for: `- { country: KH, sector: power, intervention: ... }`",
                ),
        );
    }
    let covers: Vec<Cover> = raw
        .covers
        .value
        .into_iter()
        .filter_map(|cover| validate_cover(model, operators, source, cover.value, out))
        .collect();
    Some(Programme {
        id,
        donor,
        implementer: raw
            .implementer
            .map(|i| i.trim().to_owned())
            .filter(|i| !i.is_empty()),
        title,
        status: status?,
        start: start?,
        end: end?,
        amount_usd,
        tlp,
        covers,
    })
}

fn validate_cover(
    model: &Model,
    run: RunOperators<'_>,
    source: Source<'_>,
    raw: RawCover,
    out: &mut Vec<Diagnostic>,
) -> Option<Cover> {
    let country = raw.country.value.trim().to_owned();
    let mut valid = true;
    if !country::is_assigned(&country) {
        let upper = country.to_ascii_uppercase();
        let help = if country::is_assigned(&upper) {
            format!("country codes are upper case: `{upper}`")
        } else {
            "use the ISO 3166-1 alpha-2 code, e.g. KH for Cambodia, FJ for Fiji, KE for Kenya"
                .into()
        };
        out.push(
            source
                .error(
                    &raw.country,
                    format!("`{country}` is not an ISO 3166-1 alpha-2 country code"),
                )
                .with_help(help),
        );
        valid = false;
    }
    let sector = raw.sector.value.trim().to_owned();
    if model.sector(&sector).is_none() {
        let ids: Vec<&str> = model.sectors.iter().map(|s| s.id.as_str()).collect();
        let help = nearest(&sector, ids.iter().copied())
            .map(|n| format!("did you mean `{n}`?"))
            .unwrap_or_else(|| format!("the model's sectors are: {}", ids.join(", ")));
        out.push(
            source
                .error(&raw.sector, format!("unknown sector `{sector}`"))
                .with_help(help),
        );
        valid = false;
    }
    let intervention = raw.intervention.value.trim().to_owned();
    if model.intervention(&intervention).is_none() {
        let help = nearest(
            &intervention,
            model.interventions.iter().map(|i| i.id.as_str()),
        )
        .map(|n| format!("did you mean `{n}`?"))
        .unwrap_or_else(|| "`capgap model` lists the model's interventions".into());
        out.push(
            source
                .error(
                    &raw.intervention,
                    format!("unknown intervention `{intervention}`"),
                )
                .with_help(help),
        );
        valid = false;
    }
    let operators = match raw.operators {
        None => None,
        Some(list) => {
            if list.value.is_empty() {
                out.push(
                    source
                        .error(&list, "`operators` lists no operator")
                        .with_help("leave `operators` out to cover every operator of the country and sector"),
                );
                valid = false;
            }
            let mut ids = Vec::new();
            for id in list.value {
                let value = id.value.trim().to_owned();
                let key = (country.clone(), sector.clone(), value.clone());
                if !run.known.contains(&key) {
                    out.push(
                        source
                            .error(
                                &id,
                                format!("unknown operator `{value}` in {country} {sector}"),
                            )
                            .with_help(operator_help(run.visible, &country, &sector, &value)),
                    );
                    valid = false;
                } else if !ids.contains(&value) {
                    ids.push(value);
                }
            }
            Some(ids)
        }
    };
    let trainees = raw.trainees.map(|t| t.value);
    valid.then_some(Cover {
        country,
        sector,
        intervention,
        operators,
        trainees,
    })
}

/// What to say about an operator id the run's questionnaires do not have there,
/// naming only operators `--tlp-max` kept.
fn operator_help(known: &BTreeSet<OperatorKey>, country: &str, sector: &str, id: &str) -> String {
    if let Some((c, s, _)) = known.iter().find(|(_, _, other)| other == id) {
        return format!("`{id}` is an operator of {c} {s}, not of {country} {sector}");
    }
    let there: Vec<&str> = known
        .iter()
        .filter(|(c, s, _)| c == country && s == sector)
        .map(|(_, _, other)| other.as_str())
        .collect();
    match nearest(id, there.iter().copied()) {
        Some(near) => format!("did you mean `{near}`?"),
        None if there.is_empty() => format!(
            "no questionnaire of this run is for {country} {sector}; operator ids come from the questionnaires' `operator_id`"
        ),
        None => format!("the operators there are: {}", there.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::aggregate::fixture::mini_model;

    fn known() -> BTreeSet<OperatorKey> {
        [
            ("KH", "power", "kh-a"),
            ("KH", "power", "kh-b"),
            ("LA", "rail", "la-r"),
        ]
        .into_iter()
        .map(|(c, s, i)| (c.to_owned(), s.to_owned(), i.to_owned()))
        .collect()
    }

    /// Loads `files` (name, text) and compares `path:line:col: message` per
    /// diagnostic, then `programme id` per programme kept.
    fn check(files: &[(&str, &str)], tlp_max: Option<Tlp>, expect: &str) -> LoadedProgrammes {
        let known = known();
        let loaded = load_programmes(
            &mini_model(),
            RunOperators {
                known: &known,
                visible: &known,
            },
            tlp_max,
            files
                .iter()
                .map(|(p, t)| ((*p).to_owned(), t.as_bytes().to_vec()))
                .collect(),
        );
        let mut lines: Vec<String> = loaded
            .diagnostics
            .iter()
            .map(|d| format!("{}:{}:{}: {}", d.path, d.line, d.col, d.message))
            .collect();
        lines.extend(
            loaded
                .programmes
                .iter()
                .map(|p| format!("programme {}", p.id)),
        );
        let expect: Vec<&str> = expect
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .collect();
        assert_eq!(lines, expect, "\n{}\n", lines.join("\n"));
        loaded
    }

    const GOOD: &str = "\
programmes:
  - id: jp-1
    donor: Japan
    title: OT inventory
    status: funded
    start: 2025-04-01
    end: 2026-03-31
    amount_usd: 400000
    tlp: green
    covers:
      - { country: KH, sector: power, intervention: inventory }
      - { country: LA, sector: rail, intervention: training, operators: [la-r], trainees: 12 }
";

    #[test]
    fn a_valid_file_gives_its_programmes() {
        let loaded = check(&[("a.yaml", GOOD)], None, "programme jp-1");
        let p = &loaded.programmes[0];
        assert_eq!(
            (p.status, p.tlp, p.amount_usd),
            (ProgrammeStatus::Funded, Tlp::Green, Some(400_000.0))
        );
        assert_eq!(
            p.covers[1].operators.as_deref(),
            Some(&["la-r".to_owned()][..])
        );
        assert_eq!(p.covers[1].trainees, Some(12));
    }

    #[test]
    fn every_problem_is_reported_at_its_position() {
        let bad = "\
programmes:
  - id: eu-1
    donor: EU
    title: Monitoring
    status: fundd
    start: 2025-02-30
    end: 2026-01-01
    amount_usd: -5
    covers:
      - { country: XX, sector: powr, intervention: inventori }
      - { country: KH, sector: power, intervention: training, operators: [kh-c, la-r] }
  - id: eu-2
    donor: EU
    title: Late
    status: planned
    start: 2026-01-01
    end: 2025-01-01
    covers: []
";
        check(
            &[("b.yaml", bad)],
            None,
            "
            b.yaml:5:13: unknown status `fundd`
            b.yaml:6:12: `2025-02-30` is not a valid date
            b.yaml:8:17: amount_usd must be a non-negative number of US dollars, found -5
            b.yaml:10:20: `XX` is not an ISO 3166-1 alpha-2 country code
            b.yaml:10:32: unknown sector `powr`
            b.yaml:10:52: unknown intervention `inventori`
            b.yaml:11:75: unknown operator `kh-c` in KH power
            b.yaml:11:81: unknown operator `la-r` in KH power
            b.yaml:17:10: `end` (2025-01-01) is before `start` (2026-01-01)
            b.yaml:18:13: the programme covers nothing
            ",
        );
    }

    #[test]
    fn unknown_fields_and_duplicate_ids_across_files() {
        let typo = GOOD.replace("amount_usd", "amount");
        check(
            &[("a.yaml", GOOD), ("b.yaml", &typo), ("c.yaml", GOOD)],
            None,
            "
            b.yaml:8:5: unknown field `amount`
            c.yaml:2:9: duplicate programme id `jp-1`; the first is at a.yaml:2:9
            programme jp-1
            ",
        );
    }

    #[test]
    fn help_names_only_operators_the_run_kept() {
        let known = known();
        let visible: BTreeSet<OperatorKey> =
            known.iter().filter(|k| k.2 != "kh-a").cloned().collect();
        let text = GOOD.replace("operators: [la-r]", "operators: [kh-a, la-x]");
        let loaded = load_programmes(
            &mini_model(),
            RunOperators {
                known: &known,
                visible: &visible,
            },
            None,
            vec![("a.yaml".to_owned(), text.into_bytes())],
        );
        let helps: Vec<&str> = loaded
            .diagnostics
            .iter()
            .filter_map(|d| d.help.as_deref())
            .collect();
        // kh-a, left out by --tlp-max, is not named: neither where it is nor as a
        // suggestion.
        assert_eq!(
            helps,
            ["the operators there are: la-r", "did you mean `la-r`?"]
        );
    }

    #[test]
    fn tlp_max_leaves_a_programme_out_before_its_problems_are_told() {
        let red = GOOD
            .replace("tlp: green", "tlp: red")
            .replace("2026-03-31", "2026-13-31");
        let loaded = check(&[("a.yaml", &red)], Some(Tlp::Amber), "");
        assert_eq!((loaded.withheld, loaded.excluded.len()), (1, 0));
        check(&[("a.yaml", GOOD)], Some(Tlp::Green), "programme jp-1");
        let loaded = check(&[("a.yaml", GOOD)], Some(Tlp::Clear), "");
        assert_eq!(loaded.withheld, 1);
    }
}
