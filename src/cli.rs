//! The command line, as clap definitions only: what each command and option means,
//! in words a first-time assessor understands. No behaviour lives here.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::questionnaire::Tlp;

/// Cybersecurity capacity assessments of critical-infrastructure operators.
///
/// capgap checks maturity questionnaires (YAML files filled in by assessors), scores them
/// against a capability model, and turns them into operator, country and donor reports
/// with a ranked, budgeted aid plan. It works offline and sends nothing anywhere.
#[derive(Debug, Parser)]
#[command(
    name = "capgap",
    version,
    propagate_version = true,
    max_term_width = 100
)]
#[command(
    after_help = "Start with `capgap template --sector power -o my-operator.yaml`, fill it in, \
then `capgap validate my-operator.yaml`. The options for reading questionnaires (--jobs, --strict, \
--follow-links) are listed in the help of validate, score, plan and report."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
    #[command(flatten)]
    pub global: GlobalArgs,
}

impl Cli {
    /// Parses the command line. The batch options (`--jobs`, `--strict`,
    /// `--follow-links`) may come before the command (SPEC §6 lists them as global)
    /// or after it, on the commands that read questionnaires; either way they end up
    /// in [`GlobalArgs`].
    pub fn parse_args() -> Cli {
        let mut cli = Cli::parse();
        if let Some(batch) = cli.command.batch() {
            let global = &mut cli.global;
            global.jobs = batch.jobs.or(global.jobs);
            global.strict |= batch.strict;
            global.follow_links |= batch.follow_links;
        }
        cli
    }
}

#[derive(Debug, Args)]
pub struct GlobalArgs {
    /// Use this capability model instead of the built-in one
    #[arg(long, global = true, value_name = "FILE")]
    pub model: Option<PathBuf>,
    /// Print only errors, no warnings, progress or summary
    #[arg(long, short, global = true)]
    pub quiet: bool,
    // The batch options, accepted before the command too; shown in the help of the
    // commands they apply to (`BatchArgs`).
    #[arg(long, short = 'j', value_name = "N", hide = true, value_parser = parse_jobs)]
    pub jobs: Option<usize>,
    #[arg(long, hide = true)]
    pub strict: bool,
    #[arg(long, hide = true)]
    pub follow_links: bool,
}

/// How a command that reads questionnaires walks and checks them.
#[derive(Debug, Args, Clone, Copy)]
#[command(next_help_heading = "Reading questionnaires")]
pub struct BatchArgs {
    /// How many files to process at once, 1 to 512 (default: all cores)
    #[arg(long, short = 'j', value_name = "N", value_parser = parse_jobs)]
    pub jobs: Option<usize>,
    /// Treat warnings (unanswered practices, `na` without a note) as errors
    #[arg(long)]
    pub strict: bool,
    /// Follow symbolic links when walking folders
    #[arg(long)]
    pub follow_links: bool,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check questionnaires and list every problem with file:line:col
    ///
    /// Exit status: 0 when every file is valid (warnings allowed unless --strict), 1 when
    /// any file has an error or cannot be read, 2 when the check could not run (no
    /// questionnaire found, an invalid model, a bad option).
    Validate(ValidateArgs),
    /// Score questionnaires: level, target and gap per domain, and the gap practices
    Score(ScoreArgs),
    /// Write the HTML reports (operators, countries, donor portfolio) and their data
    Report(ReportArgs),
    /// Rank aid interventions by benefit per dollar, optionally within a budget
    Plan(PlanArgs),
    /// Write a blank questionnaire for a sector, with every question and its guidance
    ///
    /// Not to be confused with `capgap theme export`, which writes the report's HTML
    /// templates.
    Template(TemplateArgs),
    /// Check the capability model and summarise it
    Model(ModelArgs),
    /// Print the JSON Schema of a file format, for editor completion and checking
    Schema(SchemaArgs),
    /// Run the language server for questionnaires, over standard input and output
    ///
    /// For editors: it publishes `capgap validate`'s errors and warnings as you type,
    /// completes practice ids of the file's sector and responses, and shows a
    /// practice's question and guidance on hover. See the README for VS Code, Neovim
    /// and Helix.
    Lsp(LspArgs),
    /// Work with the report theme: the HTML templates and CSS of `capgap report`
    ///
    /// Not to be confused with `capgap template`, which writes a blank questionnaire.
    #[command(alias = "templates")]
    Theme {
        #[command(subcommand)]
        command: TemplatesCommand,
    },
}

impl Command {
    /// The batch options of a command that reads questionnaires.
    pub fn batch(&self) -> Option<BatchArgs> {
        match self {
            Command::Validate(args) => Some(args.batch),
            Command::Score(args) => Some(args.batch),
            Command::Report(args) => Some(args.batch),
            Command::Plan(args) => Some(args.batch),
            Command::Template(_)
            | Command::Model(_)
            | Command::Schema(_)
            | Command::Lsp(_)
            | Command::Theme { .. } => None,
        }
    }
}

#[derive(Debug, Args)]
pub struct ValidateArgs {
    /// Questionnaire files, or folders to search for *.yaml and *.yml
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    #[command(flatten)]
    pub batch: BatchArgs,
}

/// Options that decide which inputs and which details reach an output.
#[derive(Debug, Args, Clone)]
pub struct ConfidentialityArgs {
    /// Leave out questionnaires marked stricter than this TLP level
    /// (clear, green, amber, amber+strict, red)
    #[arg(long, value_name = "LEVEL", value_parser = parse_tlp)]
    pub tlp_max: Option<Tlp>,
    /// Replace operator names and ids with stable pseudonyms and drop assessors,
    /// notes, evidence and file paths
    #[arg(long)]
    pub anonymize: bool,
    /// The secret key the pseudonyms are made with, created (mode 0600) when missing
    /// [default: $XDG_CONFIG_HOME/capgap/anonymize.key, else ~/.config/capgap/anonymize.key]
    #[arg(long, value_name = "FILE")]
    pub anonymize_key: Option<PathBuf>,
    /// With --anonymize, warn where a country and sector has fewer operators than this
    #[arg(long, value_name = "K", default_value_t = 3)]
    pub min_group: usize,
}

#[derive(Debug, Args)]
pub struct ScoreArgs {
    /// Questionnaire files, or folders to search for *.yaml and *.yml
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// Output format [default: table; json with --aggregates]
    #[arg(long, short, value_enum)]
    pub format: Option<ScoreFormat>,
    /// Write to this file instead of standard output
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Print the country × sector, country, region and portfolio aggregates with
    /// their trends instead of one record per questionnaire: JSON unless --format
    /// says otherwise (table: a block per aggregate; csv: a row per aggregate and
    /// domain; jsonl: one aggregate per line)
    #[arg(long)]
    pub aggregates: bool,
    /// With --aggregates: a file of donors' programmes whose trainees reduce the
    /// training plan, as in `report`; may be repeated
    #[arg(long = "programmes", value_name = "FILE", requires = "aggregates")]
    pub programmes: Vec<PathBuf>,
    #[command(flatten)]
    pub confidentiality: ConfidentialityArgs,
    #[command(flatten)]
    pub batch: BatchArgs,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ScoreFormat {
    /// A readable table per questionnaire
    Table,
    /// One JSON array of questionnaires
    Json,
    /// One JSON object per line, for streaming and merging runs
    Jsonl,
    /// One row per questionnaire and domain
    Csv,
}

#[derive(Debug, Args)]
pub struct ReportArgs {
    /// Questionnaire files, or folders to search for *.yaml and *.yml
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// The folder to write the reports into: created if missing, else it must be empty
    /// or an earlier capgap report, which is replaced as a whole
    #[arg(long, short, value_name = "DIR")]
    pub output: PathBuf,
    /// A folder of templates that replace the built-in ones, file by file
    #[arg(long, value_name = "DIR")]
    pub templates: Option<PathBuf>,
    /// Also write a PDF beside each page (needs headless Chromium; see CAPGAP_CHROME)
    #[arg(long)]
    pub pdf: bool,
    /// The aid budget in US dollars (1000000, 1,000,000, 1e6, 1M, $500k): the plan
    /// marks what fits. Without it the plan ranks every candidate and draws no budget
    /// line: the portfolio page lists the first 50, each country page its first 25,
    /// and plan.csv all of them
    #[arg(long, value_name = "USD", value_parser = parse_usd, allow_negative_numbers = true)]
    pub budget: Option<f64>,
    /// Language of the report: its wording, numbers, dates, country names and the
    /// model's text (English where the model has no translation)
    #[arg(long, value_name = "CODE", default_value = "en", value_parser = parse_lang)]
    pub lang: String,
    /// A file of donors' programmes (planned, funded, delivered); may be repeated
    #[arg(long = "programmes", value_name = "FILE")]
    pub programmes: Vec<PathBuf>,
    /// No country takes more than this many US dollars of the budget (same forms as --budget)
    #[arg(long, value_name = "USD", value_parser = parse_usd, allow_negative_numbers = true)]
    pub max_per_country: Option<f64>,
    #[command(flatten)]
    pub confidentiality: ConfidentialityArgs,
    #[command(flatten)]
    pub batch: BatchArgs,
}

#[derive(Debug, Args)]
pub struct PlanArgs {
    /// Questionnaire files, or folders to search for *.yaml and *.yml
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// The aid budget in US dollars (1000000, 1,000,000, 1e6, 1M, $500k): candidates
    /// are taken in rank order while they fit
    #[arg(long, value_name = "USD", value_parser = parse_usd, allow_negative_numbers = true)]
    pub budget: Option<f64>,
    /// Output format
    #[arg(long, short, value_enum, default_value_t = PlanFormat::Table)]
    pub format: PlanFormat,
    /// Write to this file instead of standard output
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// A file of donors' programmes: covered operators leave the plan; may be repeated
    #[arg(long = "programmes", value_name = "FILE")]
    pub programmes: Vec<PathBuf>,
    /// Plan for this donor: list its programmes as commitments, take their amounts
    /// off the budget and plan the rest against the gaps nobody covers
    #[arg(long, value_name = "NAME")]
    pub donor: Option<String>,
    /// No country takes more than this many US dollars of the budget (same forms as --budget)
    #[arg(long, value_name = "USD", value_parser = parse_usd, allow_negative_numbers = true)]
    pub max_per_country: Option<f64>,
    /// List every candidate in the table (on a terminal it lists the funded ones and
    /// the next 20, or the first 20 without --budget; json and csv always have all)
    #[arg(long, conflicts_with = "top")]
    pub all: bool,
    /// List every funded candidate and the next N in the table (without --budget:
    /// the first N)
    #[arg(long, value_name = "N")]
    pub top: Option<usize>,
    #[command(flatten)]
    pub confidentiality: ConfidentialityArgs,
    #[command(flatten)]
    pub batch: BatchArgs,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum PlanFormat {
    /// A readable table (on a terminal: the funded candidates and the next 20)
    Table,
    /// One JSON array of every candidate, in rank order
    Json,
    /// One row per candidate, in rank order
    Csv,
}

#[derive(Debug, Args)]
pub struct TemplateArgs {
    /// The operator's sector, as the model names it (e.g. power, rail)
    #[arg(long, value_name = "SECTOR")]
    pub sector: String,
    /// The operator's country, ISO 3166-1 alpha-2 (e.g. KH, FJ, KE)
    #[arg(long, value_name = "CC")]
    pub country: Option<String>,
    /// The operator's name
    #[arg(long, value_name = "NAME")]
    pub operator: Option<String>,
    /// Language of the questions and guidance in the comments
    #[arg(long, value_name = "CODE", default_value = "en", value_parser = parse_lang)]
    pub lang: String,
    /// Write to this file instead of standard output
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Replace the file given with -o if it already exists
    #[arg(long)]
    pub force: bool,
    /// The schema the first line names for editors (a path relative to the
    /// questionnaire, or a URL); default: a schema file for the sector beside -o FILE,
    /// written there if it is missing
    #[arg(long, value_name = "PATH")]
    pub schema: Option<String>,
    /// yaml, or an Excel workbook (needs -o) [default: xlsx when -o ends in .xlsx]
    #[arg(long, short, value_enum, value_name = "FORMAT")]
    pub format: Option<TemplateFormat>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum TemplateFormat {
    /// A YAML questionnaire with the questions as comments
    Yaml,
    /// A workbook: sheets Questionnaire and Answers, a drop-down for responses
    Xlsx,
}

#[derive(Debug, Args)]
pub struct LspArgs {
    /// Language of the questions and guidance shown on hover (en, ja, fr; model text
    /// without it falls back to English)
    #[arg(long, value_name = "CODE", default_value = "en", value_parser = parse_lang)]
    pub lang: String,
    /// Treat warnings (unanswered practices, `na` without a note) as errors, as
    /// `validate --strict` does
    #[arg(long)]
    pub strict: bool,
}

#[derive(Debug, Args)]
pub struct ModelArgs {
    /// Output format
    #[arg(long, short, value_enum, default_value_t = ModelFormat::Table)]
    pub format: ModelFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ModelFormat {
    /// A summary: levels, responses, sectors and their targets, domains, interventions
    Table,
    /// The whole model, every practice and text included
    Json,
}

#[derive(Debug, Args)]
pub struct SchemaArgs {
    /// Which format
    #[arg(value_enum)]
    pub kind: SchemaKind,
    /// Only the practices of this sector (questionnaire schema only)
    #[arg(long, value_name = "SECTOR")]
    pub sector: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SchemaKind {
    /// A filled questionnaire (practice ids and responses taken from the model)
    Questionnaire,
    /// A capability model
    Model,
}

#[derive(Debug, Subcommand)]
pub enum TemplatesCommand {
    /// Write the built-in report templates and CSS into DIR, to customise with --templates
    Export {
        /// The folder to write into (created if missing)
        dir: PathBuf,
        /// Overwrite files that already exist
        #[arg(long)]
        force: bool,
    },
}

fn parse_tlp(text: &str) -> Result<Tlp, String> {
    Tlp::parse(text).ok_or_else(|| "use one of: clear, green, amber, amber+strict, red".to_owned())
}

/// Most threads `--jobs` may ask for: more only costs memory.
const MAX_JOBS: usize = 512;

/// A `--lang` code: one of `crate::i18n::Lang` (en, ja, fr); any other is a usage
/// error that lists them.
fn parse_lang(code: &str) -> Result<String, String> {
    crate::i18n::Lang::parse(code).map(|lang| lang.code().to_owned())
}

fn parse_jobs(text: &str) -> Result<usize, String> {
    match text.trim().parse::<usize>() {
        Ok(n) if (1..=MAX_JOBS).contains(&n) => Ok(n),
        _ => Err(format!(
            "write a number of threads from 1 to {MAX_JOBS}; without --jobs capgap uses every core"
        )),
    }
}

/// A US dollar amount as people write it: `1000000`, `1,000,000`, `1_000_000`,
/// `1e6`, `2.5M`, `500k`, `$1M`. Not negative, not infinite.
pub fn parse_usd(text: &str) -> Result<f64, String> {
    const HELP: &str = "write a number of US dollars, e.g. 1000000, 1,000,000, 1e6, 1M or 500k";
    let trimmed = text.trim();
    let bare = trimmed.strip_prefix('$').unwrap_or(trimmed).trim_start();
    let (number, factor) = match bare.char_indices().last() {
        Some((at, 'k' | 'K')) => (&bare[..at], 1e3),
        Some((at, 'm' | 'M')) => (&bare[..at], 1e6),
        Some((at, 'b' | 'B')) => (&bare[..at], 1e9),
        _ => (bare, 1.0),
    };
    let number = number.trim_end();
    if number.starts_with('-') {
        return Err("a budget cannot be negative: write 0 or more US dollars".to_owned());
    }
    if !grouping_is_valid(number) {
        return Err(HELP.to_owned());
    }
    let digits: String = number.chars().filter(|c| !matches!(c, ',' | '_')).collect();
    let starts_like_a_number = digits
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_digit() || c == '.');
    let value = digits
        .parse::<f64>()
        .ok()
        .filter(|_| starts_like_a_number)
        .map(|v| v * factor);
    match value {
        Some(v) if v.is_finite() => Ok(v),
        _ => Err(HELP.to_owned()),
    }
}

/// Thousands separators (`,` or `_`) only between groups of three digits before
/// the decimal point: `1,000,000` but not `1,00` or `1,000.000,5`.
fn grouping_is_valid(number: &str) -> bool {
    let integer = number.split(['.', 'e', 'E']).next().unwrap_or("");
    let Some(separator) = integer.chars().find(|c| matches!(c, ',' | '_')) else {
        return !number.contains([',', '_']);
    };
    if number[integer.len()..].contains([',', '_']) {
        return false;
    }
    let mut groups = integer.split(separator);
    let first = groups.next().unwrap_or("");
    (1..=3).contains(&first.len())
        && groups.all(|g| g.len() == 3 && g.bytes().all(|b| b.is_ascii_digit()))
}

#[cfg(test)]
mod tests {
    use super::parse_usd;

    #[test]
    fn budgets_as_people_write_them() {
        for (text, usd) in [
            ("1000000", 1e6),
            ("1,000,000", 1e6),
            ("1_000_000", 1e6),
            ("1e6", 1e6),
            ("1M", 1e6),
            ("1m", 1e6),
            ("2.5M", 2.5e6),
            ("500k", 5e5),
            ("$1M", 1e6),
            ("$ 250,000", 2.5e5),
            ("1,500.50", 1500.5),
            ("0", 0.0),
            (".5k", 500.0),
        ] {
            assert_eq!(parse_usd(text), Ok(usd), "{text}");
        }
        for bad in [
            "",
            "1,00",
            "1,0000",
            "1,000,00",
            "10,00,000",
            "1.000,5",
            "abc",
            "1MM",
            "inf",
            "NaN",
            "1e400",
            "$",
            "k",
            "1 000",
            "+5",
            "1,000_000",
        ] {
            let err = parse_usd(bad).expect_err(bad);
            assert!(err.contains("1,000,000"), "{bad}: {err}");
        }
        assert!(parse_usd("-5k").unwrap_err().contains("negative"));
    }
}
