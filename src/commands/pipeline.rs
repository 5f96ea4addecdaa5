//! The portfolio pipeline shared by `score --aggregates`, `plan` and `report`:
//! score every file, leaving out what `--tlp-max` excludes and duplicate rounds
//! (`BatchSummary`), apply `--anonymize` with the user's key, then aggregate. Prints
//! the run summary, which says what was left out and why, and warns about groups
//! too small to hide behind pseudonyms.

use std::collections::HashMap;
use std::io::Write as _;
use std::path::{Path, PathBuf};

use anyhow::{Result, anyhow, bail};

use crate::aggregate::{Portfolio, aggregate};
use crate::cli::ConfidentialityArgs;
use crate::confidential::{PseudonymKey, Pseudonyms, SmallGroup, anonymize, small_groups};
use crate::load::{self, Region};
use crate::questionnaire::{AnswerSheet, legacy_id_matches};
use crate::rounds::RoundKey;
use crate::score::QuestionnaireScore;

use super::{BatchSummary, Context, Outcome, for_each_file, io_reason};
use crate::score::score;

/// Everything after scoring and aggregation.
pub struct Prepared {
    pub portfolio: Portfolio,
    pub regions: Vec<Region>,
    /// Real id → pseudonym, when anonymizing.
    pub pseudonyms: Option<Pseudonyms>,
    /// The answers of each operator's current round, by its round as in the
    /// portfolio (pseudonymous ids when anonymizing); kept only when asked for (`report`).
    pub sheets: HashMap<RoundKey, AnswerSheet>,
    /// Invalid files and duplicate rounds, one line each (first error); empty when
    /// anonymizing, because the lines name files and operators.
    /// Each score's position among the inputs (`None` when anonymizing: the order of
    /// the files would hint at the names behind the pseudonyms).
    pub input_order: Option<HashMap<RoundKey, usize>>,
    pub excluded: Vec<String>,
    /// Sentences for the report on what the run left out (`--tlp-max`, withheld
    /// errors), in the words of the run summary.
    pub left_out: Vec<String>,
    /// How many files `--tlp-max` left out, and how many invalid files were
    /// excluded with their names withheld: the numbers behind `left_out`, for a
    /// report worded in another language.
    pub tlp_left_out: usize,
    pub invalid_withheld: usize,
    /// With `--anonymize`: the country and sector groups smaller than `--min-group`.
    pub small_groups: Vec<SmallGroup>,
    /// Every operator of a valid questionnaire, real ids, before `--tlp-max`: what a
    /// programmes file may name.
    pub known_operators: std::collections::BTreeSet<crate::programmes::OperatorKey>,
    /// The same after `--tlp-max` (real ids): what a message may name.
    pub visible_operators: std::collections::BTreeSet<crate::programmes::OperatorKey>,
    /// Files read, and files whose questionnaires are behind the outputs.
    pub files: usize,
    pub processed: usize,
    pub outcome: Outcome,
}

/// Scores, filters, anonymizes and aggregates the questionnaires under `paths`.
/// With `keep_answers`, each questionnaire's answers are kept in compact form for
/// the operator pages (without notes, evidence or assessor when anonymizing).
/// Fails before reading any input when the anonymisation key cannot be had.
pub fn prepare(
    context: &Context,
    paths: &[PathBuf],
    confidentiality: &ConfidentialityArgs,
    verb: &str,
    keep_answers: bool,
) -> Result<Prepared> {
    let key = if confidentiality.anonymize {
        Some(pseudonym_key(context, &confidentiality.key_path()?)?)
    } else {
        None
    };
    let mut summary = BatchSummary::new(confidentiality.tlp_max, confidentiality.anonymize);
    let mut scores: Vec<QuestionnaireScore> = Vec::new();
    let mut sheets: HashMap<RoundKey, AnswerSheet> = HashMap::new();
    let details = !confidentiality.anonymize;
    let process = |model: &crate::model::Model,
                   questionnaire: &crate::questionnaire::Questionnaire| {
        let sheet = keep_answers.then(|| AnswerSheet::new(model, questionnaire, details));
        (score(model, questionnaire), sheet)
    };
    for_each_file(context, paths, process, |item| {
        if let Some((score, sheet)) = summary.take(context, item) {
            if let Some(sheet) = sheet {
                sheets.insert(RoundKey::of_score(&score), sheet);
            }
            scores.push(score);
        }
    });

    let visible_operators: std::collections::BTreeSet<crate::programmes::OperatorKey> = scores
        .iter()
        .map(|s| (s.country.clone(), s.sector.clone(), s.operator_id.clone()))
        .collect();
    let mut known_operators = visible_operators.clone();
    known_operators.extend(summary.withheld_operators.iter().cloned());
    match_legacy_ids(context, &mut scores, &mut sheets, confidentiality.anonymize);
    let input_order = (!confidentiality.anonymize).then(|| {
        scores
            .iter()
            .enumerate()
            .map(|(i, s)| (RoundKey::of_score(s), i))
            .collect()
    });
    let (scores, pseudonyms) = match &key {
        Some(key) => {
            let (scores, pseudonyms) = anonymize(scores, key);
            sheets = sheets
                .into_iter()
                .map(|(mut round, sheet)| {
                    if let Some(id) =
                        pseudonyms.id(&round.country, &round.sector, &round.operator_id)
                    {
                        round.operator_id = id.to_owned();
                    }
                    (round, sheet)
                })
                .collect();
            (scores, Some(pseudonyms))
        }
        None => (scores, None),
    };
    let regions = load::load_regions("<built-in regions>", load::DEFAULT_REGIONS)
        .expect("the built-in regions are valid");
    let portfolio = aggregate(&context.model, &regions, scores);
    // Only current rounds get a page.
    let current: std::collections::HashSet<RoundKey> =
        portfolio.current_scores().map(RoundKey::of_score).collect();
    sheets.retain(|key, _| current.contains(key));

    let outcome = summary.finish(context, verb);
    let small = if confidentiality.anonymize {
        small_groups(&portfolio, confidentiality.min_group)
    } else {
        Vec::new()
    };
    if !small.is_empty() {
        let groups: Vec<String> = small
            .iter()
            .map(|g| format!("{} {} ({})", g.country, g.sector, g.operators))
            .collect();
        context.note(&format!(
            "warning: {} country and sector group(s) have fewer than {} operators (--min-group): {}; anyone who knows the sector can tell who they are",
            small.len(),
            confidentiality.min_group,
            groups.join(", ")
        ));
    }
    let mut left_out = Vec::new();
    if summary.left_out > 0 {
        left_out.push(capitalized(&format!("{}.", summary.counts(verb))));
    }
    left_out.extend(summary.withheld_notice());
    Ok(Prepared {
        portfolio,
        regions,
        pseudonyms,
        sheets,
        input_order,
        excluded: summary.excluded,
        left_out,
        tlp_left_out: summary.left_out,
        invalid_withheld: if summary.withhold_names {
            summary.invalid
        } else {
            0
        },
        small_groups: small,
        known_operators,
        visible_operators,
        files: summary.total,
        processed: summary.processed,
        outcome,
    })
}

fn capitalized(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

/// The largest key file capgap reads: a key is a line of hex, far smaller.
const MAX_KEY_FILE: u64 = 4096;

/// The anonymisation key: read from `path` (`--anonymize-key`) or from the user's
/// config folder, and created there (32 random bytes as hex, mode 0600) when missing.
fn pseudonym_key(context: &Context, path: &Path) -> Result<PseudonymKey> {
    let shown = path.display();
    match std::fs::metadata(path) {
        Ok(meta) if !meta.is_file() => {
            bail!("{shown}: the anonymisation key must be a file")
        }
        Ok(meta) if meta.len() > MAX_KEY_FILE => {
            bail!("{shown}: too large for an anonymisation key (at most {MAX_KEY_FILE} bytes)")
        }
        Ok(_) => {}
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => {
            create_key(path)?;
            context.note(&format!(
                "created the anonymisation key {shown}; keep it, and keep it secret: the same key gives the same pseudonyms in every run"
            ));
        }
        Err(err) => bail!(
            "{shown}: cannot read the anonymisation key: {}",
            io_reason(&err)
        ),
    }
    let bytes = std::fs::read(path).map_err(|err| {
        anyhow!(
            "{shown}: cannot read the anonymisation key: {}",
            io_reason(&err)
        )
    })?;
    PseudonymKey::from_bytes(&bytes).ok_or_else(|| {
        anyhow!(
            "{shown}: the anonymisation key is too short (at least {} bytes); remove the file to have a new one made",
            PseudonymKey::MIN_LEN
        )
    })
}

impl ConfidentialityArgs {
    /// The anonymisation key file: `--anonymize-key`, else the one in the config folder.
    pub fn key_path(&self) -> Result<PathBuf> {
        match &self.anonymize_key {
            Some(path) => Ok(path.clone()),
            None => default_key_path(),
        }
    }
}

/// `$XDG_CONFIG_HOME/capgap/anonymize.key`, else `~/.config/capgap/anonymize.key`.
pub fn default_key_path() -> Result<PathBuf> {
    let absolute = |var: &str| {
        std::env::var_os(var)
            .map(PathBuf::from)
            .filter(|p| p.is_absolute())
    };
    let config = absolute("XDG_CONFIG_HOME")
        .or_else(|| absolute("HOME").map(|home| home.join(".config")))
        .ok_or_else(|| {
            anyhow!("no config folder for the anonymisation key (neither XDG_CONFIG_HOME nor HOME is set); give one with --anonymize-key FILE")
        })?;
    Ok(config.join("capgap").join("anonymize.key"))
}

fn create_key(path: &Path) -> Result<()> {
    let shown = path.display();
    let fail = |err: std::io::Error| {
        anyhow!(
            "{shown}: cannot create the anonymisation key: {}",
            io_reason(&err)
        )
    };
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        let mut builder = std::fs::DirBuilder::new();
        builder.recursive(true);
        #[cfg(unix)]
        std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
        builder.create(dir).map_err(fail)?;
    }
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(|_| {
        anyhow!("{shown}: cannot create the anonymisation key: the system gave no random bytes")
    })?;
    let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    match options.open(path) {
        Ok(mut file) => {
            file.write_all(format!("{hex}\n").as_bytes())
                .and_then(|()| file.sync_all())
                .map_err(fail)?;
            Ok(())
        }
        // Another run made it first: use that one.
        Err(err) if err.kind() == std::io::ErrorKind::AlreadyExists => Ok(()),
        Err(err) => Err(fail(err)),
    }
}

impl Prepared {
    /// Every round of every operator, in the order `score` prints them: input order,
    /// or by operator (portfolio order, oldest round first) when anonymizing.
    pub fn all_scores(&self) -> Vec<&QuestionnaireScore> {
        let mut all: Vec<&QuestionnaireScore> = self
            .portfolio
            .operators
            .iter()
            .flat_map(|o| o.earlier.iter().chain(std::iter::once(&o.current)))
            .collect();
        if let Some(order) = &self.input_order {
            all.sort_by_cached_key(|s| {
                order
                    .get(&RoundKey::of_score(s))
                    .copied()
                    .unwrap_or(usize::MAX)
            });
        }
        all
    }
}

/// Gives a round whose default id changed with transliteration the old id, when
/// earlier rounds of the operator carry that one (see [`legacy_id_matches`]), and
/// says so: the file should name its `operator_id` (anonymised: without naming it).
fn match_legacy_ids(
    context: &Context,
    scores: &mut [QuestionnaireScore],
    sheets: &mut HashMap<RoundKey, AnswerSheet>,
    anonymize: bool,
) {
    let rounds: Vec<_> = scores
        .iter()
        .map(|s| {
            (
                s.country.as_str(),
                s.sector.as_str(),
                s.operator.as_str(),
                s.operator_id.as_str(),
            )
        })
        .collect();
    let matches = legacy_id_matches(&rounds);
    if anonymize && !matches.is_empty() {
        context.note(&format!(
            "warning: {} round(s) without operator_id matched to earlier rounds by the id older capgap \
versions derived from the name\n  = help: run without --anonymize to see which files should name their operator_id",
            matches.len()
        ));
    }
    for (i, old) in matches {
        let score = &mut scores[i];
        if !anonymize {
            context.note(&format!(
            "warning: {}: operator `{}` has no operator_id; matched to its earlier rounds by `{old}`, \
the id older capgap versions derived from the name (now `{}`)\n  = help: add `operator_id: {old}` to the file",
            score.file, score.operator, score.operator_id
            ));
        }
        let sheet = sheets.remove(&RoundKey::of_score(score));
        score.operator_id = old;
        if let Some(sheet) = sheet {
            sheets.insert(RoundKey::of_score(score), sheet);
        }
    }
}
