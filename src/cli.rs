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
then `capgap validate my-operator.yaml`."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
    #[command(flatten)]
    pub global: GlobalArgs,
}

#[derive(Debug, Args)]
pub struct GlobalArgs {
    /// Use this capability model instead of the built-in one
    #[arg(long, global = true, value_name = "FILE")]
    pub model: Option<PathBuf>,
    /// How many files to process at once, 1 to 256 (default: all cores)
    #[arg(long, short = 'j', global = true, value_name = "N", value_parser = parse_jobs)]
    pub jobs: Option<usize>,
    /// Print only errors, no warnings, progress or summary
    #[arg(long, short, global = true)]
    pub quiet: bool,
    /// Treat warnings (unanswered practices, `na` without a note) as errors
    #[arg(long, global = true)]
    pub strict: bool,
    /// Follow symbolic links when walking folders
    #[arg(long, global = true)]
    pub follow_links: bool,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check questionnaires and list every problem with file:line:col
    ///
    /// Exit status 0 when every file is valid, 1 when any file has an error.
    Validate(ValidateArgs),
    /// Score questionnaires: level, target and gap per domain, and the gap practices
    Score(ScoreArgs),
    /// Write the HTML reports (operators, countries, donor portfolio) and their data
    Report(ReportArgs),
    /// Rank aid interventions by benefit per dollar, optionally within a budget
    Plan(PlanArgs),
    /// Write a blank questionnaire for a sector, with every question and its guidance
    Template(TemplateArgs),
    /// Check the capability model and summarise it
    Model(ModelArgs),
    /// Print the JSON Schema of a file format, for editor completion and checking
    Schema(SchemaArgs),
    /// Work with the report templates
    Templates {
        #[command(subcommand)]
        command: TemplatesCommand,
    },
}

#[derive(Debug, Args)]
pub struct ValidateArgs {
    /// Questionnaire files, or folders to search for *.yaml and *.yml
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<PathBuf>,
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
    /// Output format
    #[arg(long, short, value_enum, default_value_t = ScoreFormat::Table)]
    pub format: ScoreFormat,
    /// Write to this file instead of standard output
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Print country, region and portfolio aggregates with trends (JSON) instead of
    /// one record per questionnaire
    #[arg(long)]
    pub aggregates: bool,
    #[command(flatten)]
    pub confidentiality: ConfidentialityArgs,
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
    /// The aid budget in US dollars: the plan shows what fits
    #[arg(long, value_name = "USD")]
    pub budget: Option<f64>,
    /// Language of model texts (domain, level and response names), e.g. en, fr, ja
    #[arg(long, value_name = "CODE", default_value = "en")]
    pub lang: String,
    /// A file of donors' programmes (planned, funded, delivered); may be repeated
    #[arg(long = "programmes", value_name = "FILE")]
    pub programmes: Vec<PathBuf>,
    /// No country takes more than this many US dollars of the budget
    #[arg(long, value_name = "USD")]
    pub max_per_country: Option<f64>,
    #[command(flatten)]
    pub confidentiality: ConfidentialityArgs,
}

#[derive(Debug, Args)]
pub struct PlanArgs {
    /// Questionnaire files, or folders to search for *.yaml and *.yml
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// The aid budget in US dollars: candidates are taken in rank order while they fit
    #[arg(long, value_name = "USD")]
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
    /// No country takes more than this many US dollars of the budget
    #[arg(long, value_name = "USD")]
    pub max_per_country: Option<f64>,
    #[command(flatten)]
    pub confidentiality: ConfidentialityArgs,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum PlanFormat {
    Table,
    Json,
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
    #[arg(long, value_name = "CODE", default_value = "en")]
    pub lang: String,
    /// Write to this file instead of standard output
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Replace the file given with -o if it already exists
    #[arg(long)]
    pub force: bool,
}

#[derive(Debug, Args)]
pub struct ModelArgs {
    #[arg(long, short, value_enum, default_value_t = ModelFormat::Table)]
    pub format: ModelFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ModelFormat {
    Table,
    Json,
}

#[derive(Debug, Args)]
pub struct SchemaArgs {
    /// Which format
    #[arg(value_enum)]
    pub kind: SchemaKind,
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

/// The most `--jobs` accepts: far more threads than any machine has cores.
pub const MAX_JOBS: usize = 256;

fn parse_jobs(text: &str) -> Result<usize, String> {
    match text.parse::<usize>() {
        Ok(jobs) if (1..=MAX_JOBS).contains(&jobs) => Ok(jobs),
        _ => Err(format!("give a whole number from 1 to {MAX_JOBS}")),
    }
}

fn parse_tlp(text: &str) -> Result<Tlp, String> {
    Tlp::parse(text).ok_or_else(|| "use one of: clear, green, amber, amber+strict, red".to_owned())
}
