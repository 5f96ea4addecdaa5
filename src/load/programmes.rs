//! Loading programmes files (SPEC §8): bytes → the positioned tree → validated
//! [`Programme`]s plus every diagnostic, all found in one pass like a questionnaire.
//! A file with an error is excluded whole; the others are kept. Checks: required,
//! blank, unknown (with the nearest name) and repeated fields, values of the wrong
//! type at the value, bounded text without control characters, status, dates and
//! `end` before `start`, TLP, amounts and trainees within bounds, and every country,
//! sector, intervention and operator id a cover names (operator ids against the
//! run's questionnaires: a cross-file check reported at the id). Ids are unique
//! across all files; a repeated id is reported at the second, naming the first.
//! A new field goes in the field list of its mapping and in `programme` or `cover`.
//!
//! `--tlp-max` is applied here: a programme marked above it is left out before any
//! of its problems is reported, so nothing of it reaches an output.

use std::collections::{BTreeSet, HashMap};

use super::check::{Checker, Fields, MAX_NAME_CHARS, shown};
use super::questionnaire::syntax_diagnostic;
use super::tree::{self, Node};
use super::yaml::{self, Source, nearest};
use crate::diag::{Diagnostic, Severity, has_errors};
use crate::model::Model;
use crate::programmes::{Cover, OperatorKey, Programme, ProgrammeStatus};
use crate::questionnaire::{Date, Tlp, is_valid_operator_id};

/// The top-level fields of a programmes file.
const FIELDS: &[&str] = &["programmes"];
const PROGRAMME_FIELDS: &[&str] = &[
    "id",
    "donor",
    "implementer",
    "title",
    "status",
    "start",
    "end",
    "amount_usd",
    "tlp",
    "covers",
];
const COVER_FIELDS: &[&str] = &["country", "sector", "intervention", "operators", "trainees"];

/// The largest amount one programme may state, in US dollars.
const MAX_AMOUNT_USD: f64 = 1e12;
/// The most people one cover may say it trains.
const MAX_TRAINEES: u32 = 1_000_000;

/// What a file that cannot be read as YAML should be.
const FILE_HELP: &str =
    "a programmes file is a YAML text file that starts with `programmes:` and a list of programmes";

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

/// What one run's files share: the model, the operators, `--tlp-max`, and where
/// each programme id was first defined (path:line:col).
struct Run<'r> {
    model: &'r Model,
    operators: RunOperators<'r>,
    tlp_max: Option<Tlp>,
    seen: HashMap<String, String>,
    withheld: usize,
}

/// Loads programmes files, given as (path, bytes) in command-line order.
pub fn load_programmes(
    model: &Model,
    operators: RunOperators<'_>,
    tlp_max: Option<Tlp>,
    files: Vec<(String, Vec<u8>)>,
) -> LoadedProgrammes {
    let mut out = LoadedProgrammes::default();
    let mut run = Run {
        model,
        operators,
        tlp_max,
        seen: HashMap::new(),
        withheld: 0,
    };
    for (path, bytes) in files {
        let (mut diagnostics, programmes) = match yaml::text_of(&path, bytes) {
            Err(d) => (vec![d.with_help(FILE_HELP)], Vec::new()),
            Ok(text) => load_file(&mut run, Source::new(&path, &text)),
        };
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
    out.withheld = run.withheld;
    out
}

/// One file's diagnostics and the programmes it gives when it has no error.
fn load_file(run: &mut Run<'_>, source: Source<'_>) -> (Vec<Diagnostic>, Vec<Programme>) {
    let root = match tree::parse(source.text) {
        Ok(Some(root)) => root,
        Ok(None) => {
            return (
                vec![yaml::empty_file(source.path).with_help(FILE_HELP)],
                Vec::new(),
            );
        }
        Err(err) => return (vec![syntax_diagnostic(source, err)], Vec::new()),
    };
    let mut check = Checker::new(source);
    let mut programmes = Vec::new();
    let Some(fields) = check.fields(&root, "a programmes file", FIELDS) else {
        return (check.out, programmes);
    };
    let list = check
        .required(
            &fields,
            "programmes",
            "start the file with `programmes:` and list the programmes under it as `- id: ...`",
        )
        .and_then(|node| check.list(node, "the programmes"))
        .unwrap_or_default();
    for item in list {
        if item.is_null() {
            check.error(
                item,
                "this programme is blank",
                Some("fill in the programme's fields or remove the `-` line".into()),
            );
            continue;
        }
        // Problems told so far: a programme `--tlp-max` leaves out takes its own back.
        let mark = check.out.len();
        let fields = check.fields(item, "a programme", PROGRAMME_FIELDS);
        let tlp = fields
            .as_ref()
            .map_or_else(Tlp::default, |f| programme_tlp(&mut check, f));
        if run.tlp_max.is_some_and(|max| tlp > max) {
            check.out.truncate(mark);
            run.withheld += 1;
            continue;
        }
        if let Some(fields) = fields {
            programmes.extend(programme(run, &mut check, &fields, tlp));
        }
    }
    (check.out, programmes)
}

/// The programme's TLP (default amber); an invalid label is reported and read as red,
/// so that `--tlp-max` never lets a mislabelled programme through. A repeated `tlp`
/// key (reported as a duplicate) counts too: the highest label wins.
fn programme_tlp(check: &mut Checker<'_>, fields: &Fields<'_, '_>) -> Tlp {
    let Some(node) = check.optional(fields, "tlp") else {
        return Tlp::default();
    };
    let tlp = check.tlp(node).unwrap_or(Tlp::Red);
    let repeated = fields
        .all("tlp")
        .skip(1)
        .filter(|v| !v.is_null())
        .map(|v| match v.resolve() {
            Some(tree::Resolved::Str(label)) => Tlp::parse(label).unwrap_or(Tlp::Red),
            _ => Tlp::Red,
        });
    repeated.fold(tlp, Tlp::max)
}

/// A date field (YYYY-MM-DD).
fn date(check: &mut Checker<'_>, fields: &Fields<'_, '_>, key: &str) -> Option<Date> {
    let help = "write the date as YYYY-MM-DD, e.g. 2026-03-31, and check that the day exists";
    let node = check.required(fields, key, help)?;
    check.date(node, help)
}

/// A required text field, trimmed; blank or empty is reported with `hint`.
fn name(
    check: &mut Checker<'_>,
    fields: &Fields<'_, '_>,
    key: &str,
    what: &str,
    hint: &str,
) -> Option<String> {
    let node = check.required(fields, key, hint)?;
    let text = check.text(node, what, MAX_NAME_CHARS)?;
    let text = text.trim();
    if text.is_empty() {
        check.error(node, format!("{what} is empty"), Some(hint.into()));
        return None;
    }
    Some(text.to_owned())
}

fn programme(
    run: &mut Run<'_>,
    check: &mut Checker<'_>,
    fields: &Fields<'_, '_>,
    tlp: Tlp,
) -> Option<Programme> {
    let id_help = "use letters, digits, `-`, `_` and `.`, starting with a letter or digit, e.g. jp-asean-ot-2025";
    let id = check
        .required(
            fields,
            "id",
            &format!("add `id:` with an id unique across all programmes files; {id_help}"),
        )
        .and_then(|node| {
            let id = check
                .word(node, "a programme id", || id_help.into())?
                .trim();
            if !is_valid_operator_id(id) {
                check.error(
                    node,
                    format!("programme id `{}` is not a safe identifier", shown(id)),
                    Some(id_help.into()),
                );
                return None;
            }
            let here = format!("{}:{}:{}", check.source.path, node.pos.line, node.pos.col);
            match run.seen.get(id) {
                Some(first) => {
                    check.error(
                        node,
                        format!("duplicate programme id `{id}`; the first is at {first}"),
                        Some("ids are unique across all programmes files: rename one".into()),
                    );
                    None
                }
                None => {
                    run.seen.insert(id.to_owned(), here);
                    Some(id.to_owned())
                }
            }
        });
    let donor = name(
        check,
        fields,
        "donor",
        "the donor",
        "name who pays, e.g. `Japan` or `World Bank`",
    );
    let implementer = check
        .optional(fields, "implementer")
        .and_then(|node| check.text(node, "the implementer", MAX_NAME_CHARS))
        .map(|i| i.trim().to_owned())
        .filter(|i| !i.is_empty());
    let title = name(
        check,
        fields,
        "title",
        "the title",
        "give the programme a short title, e.g. `OT security for ASEAN grid operators`",
    );
    let status_help = || "use one of: planned, funded, delivered".to_owned();
    let status = check
        .required(fields, "status", &status_help())
        .and_then(|node| {
            let text = check.word(node, "a status", status_help)?.trim();
            let status = ProgrammeStatus::parse(text);
            if status.is_none() {
                let names = ProgrammeStatus::ALL.map(ProgrammeStatus::as_str);
                let help = match nearest(text, names) {
                    Some(near) => format!("did you mean `{near}`?"),
                    None => status_help(),
                };
                check.error(
                    node,
                    format!("unknown status `{}`", shown(text)),
                    Some(help),
                );
            }
            status
        });
    let start = date(check, fields, "start");
    let end = date(check, fields, "end");
    if let (Some(start), Some(end)) = (start, end)
        && end < start
        && let Some((_, node)) = fields.get("end")
    {
        check.error(
            node,
            format!("`end` ({end}) is before `start` ({start})"),
            Some("a programme ends on or after the day it starts".into()),
        );
    }
    let amount_usd = match check.optional(fields, "amount_usd") {
        None => Some(None),
        Some(node) => check
            .number(
                node,
                "amount_usd",
                |a| {
                    if !(a.is_finite() && a >= 0.0) {
                        Some("must be a non-negative number of US dollars".into())
                    } else if a > MAX_AMOUNT_USD {
                        Some(format!("must be at most {MAX_AMOUNT_USD} US dollars"))
                    } else {
                        None
                    }
                },
                "write the amount in US dollars as a number, e.g. 400000; leave `amount_usd` out when it is not known",
            )
            .map(Some),
    };
    let covers = check
        .required(
            fields,
            "covers",
            "list what it pays for: `- { country: KH, sector: power, intervention: ... }`",
        )
        .and_then(|node| {
            let items = check.list(node, "the covers")?;
            if items.is_empty() {
                check.error(
                    node,
                    "the programme covers nothing",
                    Some("list what it pays for: `- { country: KH, sector: power, intervention: ... }`".into()),
                );
                return None;
            }
            let mut covers = Some(Vec::with_capacity(items.len()));
            for item in items {
                let cover = cover(run, check, item);
                covers = covers.zip(cover).map(|(mut all, one)| {
                    all.push(one);
                    all
                });
            }
            covers
        });
    Some(Programme {
        id: id?,
        donor: donor?,
        implementer,
        title: title?,
        status: status?,
        start: start?,
        end: end?,
        amount_usd: amount_usd?,
        tlp,
        covers: covers?,
    })
}

fn cover(run: &Run<'_>, check: &mut Checker<'_>, node: &Node<'_>) -> Option<Cover> {
    let model = run.model;
    let fields = check.fields(
        node,
        "a cover (country, sector, intervention)",
        COVER_FIELDS,
    )?;
    let country_help =
        "use the ISO 3166-1 alpha-2 code, e.g. KH for Cambodia, FJ for Fiji, KE for Kenya";
    let country = check
        .required(&fields, "country", country_help)
        .and_then(|node| check.country(node));
    let sector_ids = || {
        model
            .sectors
            .iter()
            .map(|s| s.id.as_str())
            .collect::<Vec<_>>()
    };
    let sectors_help = || format!("the model's sectors are: {}", sector_ids().join(", "));
    let sector = check
        .required(&fields, "sector", &sectors_help())
        .and_then(|node| {
            let id = check.word(node, "a sector", sectors_help)?.trim();
            if model.sector(id).is_some() {
                return Some(id.to_owned());
            }
            let help = nearest(id, sector_ids())
                .map(|n| format!("did you mean `{n}`?"))
                .unwrap_or_else(sectors_help);
            check.error(node, format!("unknown sector `{}`", shown(id)), Some(help));
            None
        });
    let interventions_help = || "`capgap model` lists the model's interventions".to_owned();
    let intervention = check
        .required(&fields, "intervention", &interventions_help())
        .and_then(|node| {
            let id = check
                .word(node, "an intervention id", interventions_help)?
                .trim();
            if let Some(at) = model.interventions.iter().position(|i| i.id == id) {
                return Some((at, id.to_owned()));
            }
            let help = nearest(id, model.interventions.iter().map(|i| i.id.as_str()))
                .map(|n| format!("did you mean `{n}`?"))
                .unwrap_or_else(interventions_help);
            check.error(
                node,
                format!("unknown intervention `{}`", shown(id)),
                Some(help),
            );
            None
        });
    let operators = match check.optional(&fields, "operators") {
        None => Some(None),
        Some(node) => operators(run, check, node, country.as_deref(), sector.as_deref()).map(Some),
    };
    let trainees = match check.optional(&fields, "trainees") {
        None => Some(None),
        Some(node) => {
            let help = "the number of people this cover trains, e.g. 12";
            check
                .integer(node, "trainees", help)
                .and_then(|n| {
                    if n > MAX_TRAINEES {
                        check.error(
                            node,
                            format!("trainees must be at most {MAX_TRAINEES}, found {n}"),
                            Some(help.into()),
                        );
                        return None;
                    }
                    Some(n)
                })
                .map(Some)
        }
    };
    let (intervention_at, intervention) = intervention?;
    Some(Cover {
        country: country?,
        sector: sector?,
        intervention,
        intervention_at,
        operators: operators?,
        trainees: trainees?,
    })
}

/// A cover's operator ids, each checked against the run's questionnaires for the
/// cover's country and sector (when those are valid), repeats dropped.
fn operators(
    run: &Run<'_>,
    check: &mut Checker<'_>,
    node: &Node<'_>,
    country: Option<&str>,
    sector: Option<&str>,
) -> Option<Vec<String>> {
    let items = check.list(node, "the operators")?;
    if items.is_empty() {
        check.error(
            node,
            "`operators` lists no operator",
            Some("leave `operators` out to cover every operator of the country and sector".into()),
        );
        return None;
    }
    let mut ids: Option<Vec<String>> = Some(Vec::with_capacity(items.len()));
    for item in items {
        let id = check
            .word(item, "an operator id", || {
                "operator ids come from the questionnaires' `operator_id`, e.g. kh-example-grid"
                    .into()
            })
            .map(str::trim);
        let (Some(id), Some(country), Some(sector)) = (id, country, sector) else {
            ids = None;
            continue;
        };
        let key = (country.to_owned(), sector.to_owned(), id.to_owned());
        if !run.operators.known.contains(&key) {
            check.error(
                item,
                format!("unknown operator `{}` in {country} {sector}", shown(id)),
                Some(operator_help(run.operators.visible, country, sector, id)),
            );
            ids = None;
        } else if let Some(ids) = ids.as_mut().filter(|ids| !ids.iter().any(|i| i == id)) {
            ids.push(id.to_owned());
        }
    }
    ids
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
        // b.yaml's other problems are found even with an unknown field in it.
        check(
            &[("a.yaml", GOOD), ("b.yaml", &typo), ("c.yaml", GOOD)],
            None,
            "
            b.yaml:2:9: duplicate programme id `jp-1`; the first is at a.yaml:2:9
            b.yaml:8:5: unknown field `amount`
            c.yaml:2:9: duplicate programme id `jp-1`; the first is at a.yaml:2:9
            programme jp-1
            ",
        );
    }

    /// Loads one file and gives `line:col: message | help` per diagnostic.
    fn problems(text: &str) -> Vec<String> {
        let known = known();
        let loaded = load_programmes(
            &mini_model(),
            RunOperators {
                known: &known,
                visible: &known,
            },
            None,
            vec![("p.yaml".to_owned(), text.as_bytes().to_vec())],
        );
        assert_eq!(loaded.excluded.len(), 1, "{:?}", loaded.diagnostics);
        loaded
            .diagnostics
            .iter()
            .map(|d| {
                format!(
                    "{}:{}: {} | {}",
                    d.line,
                    d.col,
                    d.message,
                    d.help.as_deref().unwrap_or("")
                )
            })
            .collect()
    }

    #[test]
    fn every_problem_of_a_file_is_found_in_one_pass() {
        let bad = "\
programmes:
  - id: [jp-1]
    donr: Japan
    title: \"OT\\u0007 inventory\"
    status: 3
    start: 2025-04-01
    end: 2026-03-31
    amount_usd: lots
    tlp: grey
    colour: red
    covers:
      - { country: kh, sector: power, intervention: inventory, trainees: -2 }
      - { country: LA, sector: rail, intervention: training, operator: [la-r] }
      - KH power inventory
  - id: jp-2
    donor: Japan
    title: Big
    status: funded
    start: 2025-04-01
    end: 2026-03-31
    amount_usd: 5e12
    covers:
      - { country: LA, sector: rail, intervention: training, operators: [], trainees: 2000000 }
  - id: jp-3
    donor: \"  \"
    title: Blank
    status: planned
    start: 2025-04-01
    end: 2026-03-31
    covers:
  -
";
        assert_eq!(
            problems(bad),
            [
                "2:9: expected a programme id, found a list | use letters, digits, `-`, `_` and `.`, starting with a letter or digit, e.g. jp-asean-ot-2025",
                "3:5: unknown field `donr` | did you mean `donor`?",
                "4:12: the title contains a control character (BEL, U+0007) | remove it; escapes such as \\a, \\e, \\0 or \\u0007 are not allowed in text",
                "5:13: expected a status, found the number 3 | use one of: planned, funded, delivered",
                "8:17: expected amount_usd (a number), found the text `lots` | write the amount in US dollars as a number, e.g. 400000; leave `amount_usd` out when it is not known",
                "9:10: `grey` is not a TLP 2.0 label | use one of: clear, green, amber, amber+strict, red",
                "10:5: unknown field `colour` | the fields are: id, donor, implementer, title, status, start, end, amount_usd, tlp, covers",
                "12:20: `kh` is not an ISO 3166-1 alpha-2 country code | country codes are upper case: `KH`",
                "12:74: trainees must be a whole number from 0, found -2 | the number of people this cover trains, e.g. 12",
                "13:62: unknown field `operator` | did you mean `operators`?",
                "14:9: expected a cover (country, sector, intervention) (a mapping of `key: value` lines), found the text `KH power inventory` | ",
                "21:17: amount_usd must be at most 1000000000000 US dollars, found 5e12 | write the amount in US dollars as a number, e.g. 400000; leave `amount_usd` out when it is not known",
                "23:73: `operators` lists no operator | leave `operators` out to cover every operator of the country and sector",
                "23:87: trainees must be at most 1000000, found 2000000 | the number of people this cover trains, e.g. 12",
                "25:12: the donor is empty | name who pays, e.g. `Japan` or `World Bank`",
                "30:5: `covers` is blank | list what it pays for: `- { country: KH, sector: power, intervention: ... }`",
                "31:4: this programme is blank | fill in the programme's fields or remove the `-` line",
            ]
        );
    }

    #[test]
    fn a_file_that_is_not_a_programmes_file_says_what_one_is() {
        assert_eq!(
            problems("- id: jp-1\n"),
            ["1:1: expected a programmes file (a mapping of `key: value` lines), found a list | "]
        );
        assert_eq!(
            problems("programme:\n  - id: jp-1\n"),
            ["1:1: unknown field `programme` | did you mean `programmes`?",]
        );
        assert_eq!(
            problems("programmes:\n\t- id: jp-1\n")[0]
                .split(" | ")
                .nth(1),
            Some("YAML indents with spaces, not tabs; replace the tab with spaces")
        );
        let repeated = problems("programmes:\n  - id: jp-1\n    id: jp-2\n");
        assert!(
            repeated.contains(&"3:5: duplicate key `id` (first on line 2) | each key may appear once in a mapping; remove or merge the repeated one".to_owned()),
            "{repeated:?}"
        );
        assert!(
            repeated.contains(&"2:5: missing required field `donor` | name who pays, e.g. `Japan` or `World Bank`".to_owned()),
            "{repeated:?}"
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
        // An unknown field, a wrong type or a bad label of a withheld programme is
        // not told either; a repeated `tlp` key counts with its highest label.
        let hidden = red
            .replace("donor: Japan", "donr: [Japan]")
            .replace("tlp: red", "tlp: redd");
        let loaded = check(&[("a.yaml", &hidden)], Some(Tlp::Amber), "");
        assert_eq!(loaded.withheld, 1);
        let twice = GOOD.replace("tlp: green", "tlp: green\n    tlp: red");
        let loaded = check(&[("a.yaml", &twice)], Some(Tlp::Amber), "");
        assert_eq!(loaded.withheld, 1);
    }
}
