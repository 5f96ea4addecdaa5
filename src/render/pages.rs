//! The view models of the report pages: plain data holding exactly what each page
//! shows, one struct per page kind (`OperatorPage`, `CountryPage`, `PortfolioPage`)
//! plus the small parts they share. Numbers stay numbers (the templates format them
//! with the helpers in `helpers.rs`); names, dates and labels are ready-to-print
//! strings. Every string is escaped by the templates except `Chart::svg`, which
//! must come from `crate::charts`. No IO, no computation beyond the few
//! constructors that turn model or enum values into display form.
//!
//! Conventions for the glue that fills these structs:
//! - `Option` fields are `None` when the value does not exist (a domain with no
//!   assessed practice has no level); the page prints "—".
//! - Shares (`implementation`, evidence share) are 0..1; the index is 0..100.
//! - `page` fields are paths from the report root (`operators/kh-edc.html`,
//!   `countries/KH.html`): build them with `super::operator_page_path` and
//!   `super::country_page_path`; templates prefix them to make relative links.
//! - Lists are printed in the order given: sort before filling.

use serde::Serialize;

use crate::model::Model;
use crate::questionnaire::Tlp;

/// What every page carries besides its own content.
#[derive(Debug, Clone, Serialize)]
pub struct PageMeta {
    /// The `lang` attribute of the page (`en`, `fr`, ...), the `--lang` code.
    pub lang: String,
    /// The page title, in the browser tab and at the top of every printed page.
    pub title: String,
    /// The strictest TLP of the questionnaires behind the page.
    pub tlp: TlpBanner,
    /// The model's levels and response scale, for legends and the method section.
    pub model: ModelLegend,
    pub provenance: Provenance,
    /// Sentences printed under the title saying what the page leaves out, e.g.
    /// "3 questionnaires above TLP:AMBER left out". Empty when nothing was.
    pub notices: Vec<String>,
}

/// The TLP label as printed at the top of the page and of every printed page.
#[derive(Debug, Clone, Serialize)]
pub struct TlpBanner {
    /// `TLP:AMBER+STRICT`.
    pub label: String,
    /// CSS class suffix: `clear`, `green`, `amber`, `amber-strict`, `red`.
    pub class: String,
    /// The TLP 2.0 sharing rule for this label, one sentence.
    pub sharing: String,
}

impl TlpBanner {
    pub fn new(tlp: Tlp) -> TlpBanner {
        let (class, sharing) = match tlp {
            Tlp::Clear => (
                "clear",
                "Recipients can spread this to the world; there is no limit on disclosure.",
            ),
            Tlp::Green => (
                "green",
                "Limited disclosure: recipients can spread this within their community, not publicly.",
            ),
            Tlp::Amber => (
                "amber",
                "Limited disclosure: recipients can share this on a need-to-know basis within their organisation and its clients.",
            ),
            Tlp::AmberStrict => (
                "amber-strict",
                "Limited disclosure: recipients can share this on a need-to-know basis within their organisation only.",
            ),
            Tlp::Red => (
                "red",
                "For the eyes and ears of individual recipients only; no further disclosure.",
            ),
        };
        TlpBanner {
            label: tlp.label(),
            class: class.to_owned(),
            sharing: sharing.to_owned(),
        }
    }
}

/// The model as the legends and the method section describe it.
#[derive(Debug, Clone, Serialize)]
pub struct ModelLegend {
    /// `id@version`.
    pub reference: String,
    pub title: String,
    /// Lowest first. The `level_name` helper looks names up here.
    pub levels: Vec<LevelLegend>,
    /// The answer scale in model order, then `na` and `unanswered`.
    pub responses: Vec<ResponseMark>,
}

#[derive(Debug, Clone, Serialize)]
pub struct LevelLegend {
    pub level: u32,
    pub name: String,
    pub description: String,
}

/// How one response is shown: a letter and a tone, so it reads in greyscale.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ResponseMark {
    /// The response id, `na` or `unanswered`.
    pub id: String,
    pub label: String,
    /// One or two characters, unique within the scale (`F`, `L`, `P`, `N`, `–`, `?`).
    pub letter: String,
    /// CSS class suffix: `full`, `largely`, `partial`, `none`, `na`, `unanswered`.
    pub tone: String,
    /// Implementation credit, 0..1 (0 for `na` and `unanswered`).
    pub credit: f64,
    /// Whether the response counts as achieved.
    pub achieves: bool,
}

impl ModelLegend {
    /// The legend of `model` with its text in `lang` (English fallback).
    pub fn new(model: &Model, lang: &str) -> ModelLegend {
        let mut responses: Vec<ResponseMark> = Vec::with_capacity(model.responses.len() + 2);
        for response in &model.responses {
            let label = response.label.get(lang).to_owned();
            let tone = match (response.achieves, response.credit) {
                (true, credit) if credit >= 1.0 => "full",
                (true, _) => "largely",
                (false, credit) if credit > 0.0 => "partial",
                (false, _) => "none",
            };
            let letter = unique_letter(&label, &response.id, &responses);
            responses.push(ResponseMark {
                id: response.id.clone(),
                label,
                letter,
                tone: tone.to_owned(),
                credit: response.credit,
                achieves: response.achieves,
            });
        }
        responses.push(ResponseMark {
            id: crate::model::NOT_APPLICABLE.to_owned(),
            label: "Not applicable".to_owned(),
            letter: "–".to_owned(),
            tone: "na".to_owned(),
            credit: 0.0,
            achieves: false,
        });
        responses.push(ResponseMark {
            id: "unanswered".to_owned(),
            label: "Unanswered".to_owned(),
            letter: "?".to_owned(),
            tone: "unanswered".to_owned(),
            credit: 0.0,
            achieves: false,
        });
        ModelLegend {
            reference: model.reference(),
            title: model.title.get(lang).to_owned(),
            levels: model
                .levels
                .iter()
                .map(|level| LevelLegend {
                    level: level.level,
                    name: level.name.get(lang).to_owned(),
                    description: level.description.get(lang).to_owned(),
                })
                .collect(),
            responses,
        }
    }

    /// The mark of a response id (`na` and `unanswered` included); an unknown id
    /// is shown as unanswered.
    pub fn mark(&self, response_id: &str) -> ResponseMark {
        self.responses
            .iter()
            .find(|mark| mark.id == response_id)
            .or_else(|| self.responses.iter().find(|mark| mark.id == "unanswered"))
            .cloned()
            .expect("the legend always has `unanswered`")
    }
}

/// The first letter of the label (or the id) not yet taken, else the first two.
fn unique_letter(label: &str, id: &str, taken: &[ResponseMark]) -> String {
    let free = |candidate: &str| !taken.iter().any(|mark| mark.letter == candidate);
    let initials = |text: &str| -> Vec<String> {
        let letters: Vec<char> = text
            .chars()
            .filter(|c| c.is_alphanumeric())
            .flat_map(char::to_uppercase)
            .collect();
        let mut out: Vec<String> = letters.iter().map(|c| c.to_string()).collect();
        if letters.len() >= 2 {
            out.push(letters[..2].iter().collect());
        }
        out
    };
    initials(label)
        .into_iter()
        .chain(initials(id))
        .find(|candidate| free(candidate))
        .unwrap_or_else(|| (taken.len() + 1).to_string())
}

/// How many input files a page lists by name; `input_count` counts them all (a
/// portfolio of thousands lists its first files and says how many there are).
pub const MAX_LISTED_FILES: usize = 200;

/// Where the numbers come from, printed at the foot of every page.
#[derive(Debug, Clone, Serialize)]
pub struct Provenance {
    /// `id@version` of the model.
    pub model: String,
    /// The date the report was generated, `YYYY-MM-DD`.
    pub generated_on: String,
    pub capgap_version: String,
    /// How many questionnaire files the page is built from.
    pub input_count: usize,
    /// Their paths, the first `MAX_LISTED_FILES`; empty when withheld.
    pub input_files: Vec<String>,
    /// True when anonymised: the page says "withheld" instead of listing files.
    pub files_withheld: bool,
}

impl Provenance {
    /// Provenance for a page built from `files`; with `anonymised` the paths are
    /// dropped (file names often carry the operator's name) and only counted.
    pub fn new(
        model: String,
        generated_on: String,
        files: Vec<String>,
        anonymised: bool,
    ) -> Provenance {
        Provenance {
            model,
            generated_on,
            capgap_version: env!("CARGO_PKG_VERSION").to_owned(),
            input_count: files.len(),
            input_files: if anonymised {
                Vec::new()
            } else {
                files.into_iter().take(MAX_LISTED_FILES).collect()
            },
            files_withheld: anonymised,
        }
    }
}

/// A change between two rounds, printed as an arrow and a signed delta so it
/// reads without colour: `▲ +1`, `▼ −0.5`, `= 0`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Trend {
    pub delta: f64,
    /// `▲`, `▼` or `=`.
    pub arrow: String,
    /// CSS class suffix: `up`, `down`, `same`.
    pub direction: String,
    /// The signed delta, `+1`, `−0.5` (a true minus sign), `0`.
    pub text: String,
}

impl Trend {
    /// A change of `delta` printed with `decimals` decimals. A delta that rounds
    /// to zero is `same`.
    pub fn new(delta: f64, decimals: usize) -> Trend {
        let text = format!("{:.*}", decimals, delta.abs());
        let zero = text.chars().all(|c| c == '0' || c == '.');
        let (arrow, direction, sign) = if zero {
            ("=", "same", "")
        } else if delta > 0.0 {
            ("▲", "up", "+")
        } else {
            ("▼", "down", "−")
        };
        Trend {
            delta,
            arrow: arrow.to_owned(),
            direction: direction.to_owned(),
            text: format!("{sign}{text}"),
        }
    }

    /// A change in levels (whole numbers).
    pub fn levels(delta: i64) -> Trend {
        Trend::new(delta as f64, 0)
    }
}

/// An aggregate's change in index over its panel (SPEC §5: the members assessed
/// twice), printed with the panel's own previous and current values so that it never
/// contradicts the numbers beside it, and with the panel's size when the panel is not
/// every member.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PanelTrend {
    /// `current - previous`, one decimal.
    pub trend: Trend,
    /// The panel's index in its previous rounds and in its current rounds.
    pub previous: f64,
    pub current: f64,
    /// Members in the panel, out of `operators`.
    pub panel: usize,
    pub operators: usize,
    /// Every member is in the panel: `current` is the aggregate's own index.
    pub whole: bool,
}

/// An SVG chart with its title; every chart is followed on the page by a table of
/// the same numbers.
#[derive(Debug, Clone, Serialize)]
pub struct Chart {
    pub title: String,
    /// Inline `<svg>…</svg>` inserted unescaped: it must come from `crate::charts`,
    /// which escapes every text it draws.
    pub svg: String,
}

/// A domain as a column heading of the level tables, in model order.
#[derive(Debug, Clone, Serialize)]
pub struct DomainColumn {
    pub id: String,
    pub name: String,
}

/// One domain's standing in a table cell (an operator, a country, a sector).
#[derive(Debug, Clone, Serialize)]
pub struct LevelCell {
    /// `None` when no practice of the domain was assessed.
    pub level: Option<u32>,
    /// `None` when the operators behind the cell have different targets.
    pub target: Option<u32>,
    pub gap: Option<u32>,
    /// 0..1.
    pub implementation: Option<f64>,
    /// Change in level since the previous round (operators only: an aggregate's
    /// trend is over its panel and is printed apart, with the panel's values).
    pub trend: Option<Trend>,
    /// Aggregates: the level printed is the weighted median (`level`), the weakest
    /// operator's level is `weakest`, and `at_target` of `operators` are at target.
    pub weakest: Option<u32>,
    pub at_target: Option<usize>,
    pub operators: Option<usize>,
}

/// An aid-plan candidate: (country, sector, intervention), SPEC §5.
#[derive(Debug, Clone, Serialize)]
pub struct CandidateRow {
    /// 1-based rank by benefit per dollar.
    pub rank: usize,
    pub country_code: String,
    pub country_name: String,
    pub country_page: String,
    pub sector_name: String,
    pub intervention_id: String,
    pub intervention_name: String,
    /// `training`, `advisory`, `tooling`, `policy`, `exercise`.
    pub kind: String,
    /// Operators with a gap practice the intervention addresses.
    pub operators: usize,
    /// Those gap practices, summed over the operators.
    pub gap_practices: usize,
    /// Sum of priority × operator weight.
    pub benefit: f64,
    pub cost_usd: f64,
    /// benefit / cost × 100 000: the benefit bought by $100k.
    pub benefit_per_100k_usd: f64,
    /// With a budget: whether the candidate is funded; `None` without a budget.
    pub funded: Option<bool>,
}

/// Aid-plan candidates as one table (the `candidates` partial's data).
#[derive(Debug, Clone, Serialize)]
pub struct CandidateTable {
    /// `--budget`, when given: the candidates then say whether they are funded.
    pub budget_usd: Option<f64>,
    /// The candidates listed, in plan rank order (the first ones; `plan.csv` has all).
    pub candidates: Vec<CandidateRow>,
    /// How many candidates there are in all.
    pub count: usize,
}

/// A domain whose level changed most between two rounds.
#[derive(Debug, Clone, Serialize)]
pub struct DomainChange {
    /// Where the change happened: the country's name on the portfolio, the
    /// sector or operator name on a country page.
    pub scope: String,
    /// Page of the scope, from the report root; `None` for no link.
    pub scope_page: Option<String>,
    pub domain_id: String,
    pub domain_name: String,
    /// The panel's level (its weakest operator's) in its previous and current rounds.
    pub level_before: Option<u32>,
    pub level_now: Option<u32>,
    /// Operators in the panel, out of the aggregate's operators; `None` for an operator.
    pub panel: Option<usize>,
    pub operators: Option<usize>,
    pub level_trend: Option<Trend>,
    /// Change in implementation, in percentage points.
    pub implementation_trend: Option<Trend>,
}

/// A link to an operator page.
#[derive(Debug, Clone, Serialize)]
pub struct OperatorLink {
    pub name: String,
    pub page: String,
    pub sector_name: String,
}

// ---------------------------------------------------------------------------
// Operator page: `operators/<id>.html`.

/// One operator's current assessment round.
#[derive(Debug, Clone, Serialize)]
pub struct OperatorPage {
    pub meta: PageMeta,
    pub operator: OperatorHeader,
    pub summary: OperatorSummary,
    /// The first page in words: standing, fix first, what changed, against peers.
    pub summary_points: Vec<SummaryPoint>,
    /// Every domain of the model, in model order.
    pub domains: Vec<OperatorDomain>,
    /// Radar chart: implementation per domain, with the previous round. The page
    /// prints `domains` as its table.
    pub radar: Chart,
    /// Level per domain against target, with the previous round.
    pub levels_chart: Chart,
    /// Implementation against the mean of the sector's other operators; `None`
    /// when the operator has no sector peer.
    pub peers_chart: Option<Chart>,
    /// Practices by level and response, per domain (stacked bars).
    pub practices_chart: Chart,
    /// The domain × level grid, a cell per applicable practice.
    pub grid: Vec<GridDomain>,
    /// Every gap practice, highest priority first.
    pub gaps: Vec<GapDetail>,
    /// The answers, by domain in model order.
    pub answers: Vec<AnswerDomain>,
    /// False when anonymised: notes, evidence and the assessor are left out and
    /// the page says so.
    pub notes_shown: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct OperatorHeader {
    /// The name (a pseudonym when anonymised).
    pub name: String,
    pub id: String,
    pub country_code: String,
    pub country_name: String,
    pub country_page: String,
    pub sector_name: String,
    /// `YYYY-MM-DD`.
    pub assessed_on: String,
    /// The previous round's date, when there is one.
    pub previous_assessed_on: Option<String>,
    /// `None` when absent or anonymised.
    pub assessor: Option<String>,
}

/// The executive summary, printed on the first A4 page.
#[derive(Debug, Clone, Serialize)]
pub struct OperatorSummary {
    /// 0..100.
    pub index: Option<f64>,
    /// Change in index since the previous round, in points.
    pub index_trend: Option<Trend>,
    pub targets_met: usize,
    pub domains_scored: usize,
    /// The number of gap practices.
    pub gap_count: usize,
    pub evidence: EvidenceShare,
    /// The first five entries of `OperatorPage::gaps`.
    pub top_gaps: Vec<GapDetail>,
}

/// Share of achieving answers that cite evidence.
#[derive(Debug, Clone, Serialize)]
pub struct EvidenceShare {
    pub achieving: usize,
    pub with_evidence: usize,
    /// `with_evidence / achieving`; `None` when nothing achieves.
    pub share: Option<f64>,
}

#[derive(Debug, Clone, Serialize)]
pub struct OperatorDomain {
    pub id: String,
    pub name: String,
    pub level: Option<u32>,
    pub target: u32,
    pub gap: Option<u32>,
    /// 0..1.
    pub implementation: Option<f64>,
    /// Change in level since the previous round.
    pub level_trend: Option<Trend>,
    /// Change in implementation since the previous round, in percentage points.
    pub implementation_trend: Option<Trend>,
    /// The number of gap practices in the domain.
    pub gap_count: usize,
    /// Mean implementation of the sector's other current operators with a level here.
    pub peer_implementation: Option<f64>,
    /// Implementation in the previous round.
    pub previous_implementation: Option<f64>,
}

#[derive(Debug, Clone, Serialize)]
pub struct GridDomain {
    pub id: String,
    pub name: String,
    /// One entry per model level, lowest first (empty `cells` when the domain has
    /// no applicable practice at that level).
    pub levels: Vec<GridLevel>,
}

#[derive(Debug, Clone, Serialize)]
pub struct GridLevel {
    pub level: u32,
    pub cells: Vec<GridCell>,
}

#[derive(Debug, Clone, Serialize)]
pub struct GridCell {
    pub practice: String,
    pub response: ResponseMark,
}

/// A gap practice with what it takes to close it.
#[derive(Debug, Clone, Serialize)]
pub struct GapDetail {
    /// 1-based, by priority.
    pub rank: usize,
    pub practice: String,
    pub domain_id: String,
    pub domain_name: String,
    pub level: u32,
    pub response: ResponseMark,
    pub priority: f64,
    pub question: String,
    /// What a fully implemented answer looks like; may be empty.
    pub guidance: String,
    /// References to other frameworks (`CSF 2.0 ID.AM-01`).
    pub refs: Vec<String>,
    pub interventions: Vec<InterventionRef>,
    /// The question, guidance, interventions and refs as HTML, rendered once per
    /// practice per report from `practice.hbs` (already escaped); the full gap list
    /// prints this, the executive summary the fields above.
    pub body: String,
}

/// What `practice.hbs` renders: a practice's text from the model.
#[derive(Debug, Clone, Serialize)]
pub struct PracticeText {
    pub question: String,
    /// What a fully implemented answer looks like; may be empty.
    pub guidance: String,
    pub refs: Vec<String>,
    pub interventions: Vec<InterventionRef>,
}

#[derive(Debug, Clone, Serialize)]
pub struct InterventionRef {
    pub id: String,
    pub name: String,
    pub kind: String,
    pub cost_usd: f64,
}

#[derive(Debug, Clone, Serialize)]
pub struct AnswerDomain {
    pub id: String,
    pub name: String,
    pub answers: Vec<AnswerRow>,
}

/// One applicable practice and its answer.
#[derive(Debug, Clone, Serialize)]
pub struct AnswerRow {
    pub practice: String,
    pub level: u32,
    pub question: String,
    pub response: ResponseMark,
    /// `None` when absent or anonymised.
    pub note: Option<String>,
    /// Empty when absent or anonymised.
    pub evidence: Vec<String>,
}

// ---------------------------------------------------------------------------
// Country page: `countries/<CC>.html`.

/// One country: its sectors, its operators, its candidates in the aid plan.
#[derive(Debug, Clone, Serialize)]
pub struct CountryPage {
    pub meta: PageMeta,
    pub country: CountryHeader,
    /// The columns of `overall`, `sectors` and `operators`, in model order.
    pub domains: Vec<DomainColumn>,
    /// The country over all its operators.
    pub overall: AggregateRow,
    /// One row per sector with operators, in model order.
    pub sectors: Vec<AggregateRow>,
    /// Current operators, one row each.
    pub operators: Vec<OperatorRow>,
    /// The country in words: standing, what to fund first, largest gaps, what changed.
    pub summary: Vec<SummaryPoint>,
    /// Every domain with a level, fewest operators at target first.
    pub standings: Vec<DomainStanding>,
    /// Practices of the current operators by response, per domain (stacked bars).
    pub practices_chart: Chart,
    /// Implementation per domain between rounds over the panel; `None` without one.
    pub trend_chart: Option<Chart>,
    /// Since the previous round; `None` when there is only one round.
    pub trend: Option<CountryTrend>,
    /// The country's aid-plan candidates, in plan rank order.
    pub plan: CandidateTable,
    /// Implementation per domain over every current operator (bars with their
    /// values); the table is `overall` and `sectors`.
    pub chart: Option<Chart>,
    /// Donors' programmes here (`--programmes`): `country-programmes.hbs`.
    pub programmes: Option<crate::report::programmes::CountryProgrammesView>,
}

#[derive(Debug, Clone, Serialize)]
pub struct CountryHeader {
    pub code: String,
    pub name: String,
    /// Names of the regions the country belongs to.
    pub regions: Vec<String>,
}

/// A country or sector aggregate (SPEC §5: level = the weakest operator's).
#[derive(Debug, Clone, Serialize)]
pub struct AggregateRow {
    /// `All sectors` or the sector's name.
    pub label: String,
    pub operators: usize,
    pub index: Option<f64>,
    pub index_trend: Option<PanelTrend>,
    pub targets_met: usize,
    pub domains_scored: usize,
    /// Operator × domain pairs at target, out of `operator_domains`.
    pub at_target: usize,
    pub operator_domains: usize,
    /// One per `CountryPage::domains` column.
    pub cells: Vec<LevelCell>,
}

#[derive(Debug, Clone, Serialize)]
pub struct OperatorRow {
    pub name: String,
    pub page: String,
    pub sector_name: String,
    pub assessed_on: String,
    pub index: Option<f64>,
    pub index_trend: Option<Trend>,
    pub targets_met: usize,
    pub domains_scored: usize,
    /// One per `CountryPage::domains` column.
    pub cells: Vec<LevelCell>,
}

#[derive(Debug, Clone, Serialize)]
pub struct CountryTrend {
    /// The previous round's latest assessment date, `YYYY-MM-DD`.
    pub previous_on: String,
    /// Most improved first.
    pub improved: Vec<DomainChange>,
    /// Most worsened first.
    pub worsened: Vec<DomainChange>,
}

// ---------------------------------------------------------------------------
// Portfolio page: `index.html`.

/// One point of a page's summary in words: a short heading ("Fund first") and a
/// sentence generated from the data.
#[derive(Debug, Clone, Serialize)]
pub struct SummaryPoint {
    pub heading: String,
    pub text: String,
}

/// A domain across the operators of an aggregate, for the "largest gaps" table.
#[derive(Debug, Clone, Serialize)]
pub struct DomainStanding {
    pub id: String,
    pub name: String,
    /// Operators at target, out of `operators` (those with a level in the domain).
    pub at_target: usize,
    pub operators: usize,
    /// Weighted median and weakest level, and the (highest) target.
    pub median: Option<u32>,
    pub weakest: Option<u32>,
    pub target: u32,
    /// 0..1.
    pub implementation: Option<f64>,
}

/// One line of the funded package's breakdown (by country, or by intervention kind).
#[derive(Debug, Clone, Serialize)]
pub struct PackageRow {
    pub label: String,
    pub candidates: usize,
    pub cost_usd: f64,
    /// Priority points bought.
    pub benefit: f64,
    /// `benefit` / the benefit of every candidate, 0..1.
    pub share_of_total: f64,
}

/// What the budget (or, without one, every candidate) buys.
#[derive(Debug, Clone, Serialize)]
pub struct PackageView {
    /// True with a budget: the package is the funded candidates; false: all of them.
    pub funded: bool,
    pub by_country: Vec<PackageRow>,
    pub by_kind: Vec<PackageRow>,
    /// Stacked bars, country × intervention kind; its tables are the two above.
    pub chart: Option<Chart>,
}

/// A region or a sector across countries, for the comparison table.
#[derive(Debug, Clone, Serialize)]
pub struct GroupRow {
    /// "ASEAN", or "Sector: Rail".
    pub name: String,
    pub countries: usize,
    pub operators: usize,
    pub index: Option<f64>,
    pub index_trend: Option<PanelTrend>,
    /// Operator × domain pairs at target, out of `operator_domains`.
    pub at_target: usize,
    pub operator_domains: usize,
    /// Name of the domain with the fewest operators at target.
    pub weakest_domain: Option<String>,
}

/// Every country, for donors.
#[derive(Debug, Clone, Serialize)]
pub struct PortfolioPage {
    pub meta: PageMeta,
    /// The decision in words, for the first printed page.
    pub summary: Vec<SummaryPoint>,
    pub totals: PortfolioTotals,
    /// Domains across the portfolio, fewest operators at target first.
    pub standings: Vec<DomainStanding>,
    /// Operators at target per domain (bars with their values); table: `standings`.
    pub standings_chart: Chart,
    /// Practices of every current operator by response, per domain (stacked bars).
    pub practices_chart: Chart,
    /// Index between rounds per country and for the portfolio, over each panel;
    /// `None` when no operator was assessed twice. Its table is `countries`.
    pub trend_chart: Option<Chart>,
    /// The portfolio's own panel trend.
    pub index_trend: Option<PanelTrend>,
    /// Regions, then sectors across countries.
    pub groups: Vec<GroupRow>,
    /// Index per region and per sector (bars with their values); table: `groups`.
    pub groups_chart: Chart,
    pub package: PackageView,
    /// The columns of `countries[].cells`, in model order.
    pub domains: Vec<DomainColumn>,
    /// Countries × domains heatmap; its table is `countries`.
    pub heatmap: Chart,
    /// Every country, in the order to print (e.g. by name).
    pub countries: Vec<CountryRow>,
    /// Countries with the smallest share of operator domains at target, worst first
    /// (then the larger median gap, the lower index).
    pub furthest_below: Vec<CountryGap>,
    /// Most improved domains across countries, best first.
    pub improved: Vec<DomainChange>,
    /// Most worsened domains across countries, worst first.
    pub worsened: Vec<DomainChange>,
    pub plan: PlanView,
    /// Who funds what (`--programmes`): `coordination.hbs`.
    pub coordination: Option<crate::report::programmes::CoordinationView>,
    pub run: RunSummary,
}

#[derive(Debug, Clone, Serialize)]
pub struct PortfolioTotals {
    pub countries: usize,
    pub operators: usize,
    /// Sector names present.
    pub sectors: Vec<String>,
    /// Mean index over all current operators.
    pub index: Option<f64>,
    /// Domain × operator pairs at target, out of those with a level.
    pub targets_met: usize,
    pub domains_scored: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct CountryRow {
    pub code: String,
    pub name: String,
    pub page: String,
    pub index: Option<f64>,
    pub index_trend: Option<PanelTrend>,
    pub targets_met: usize,
    pub domains_scored: usize,
    /// Operator × domain pairs at target, out of `operator_domains`.
    pub at_target: usize,
    pub operator_domains: usize,
    /// One per `PortfolioPage::domains` column.
    pub cells: Vec<LevelCell>,
    /// The country's operators, for the directory of pages.
    pub operators: Vec<OperatorLink>,
}

#[derive(Debug, Clone, Serialize)]
pub struct CountryGap {
    pub code: String,
    pub name: String,
    pub page: String,
    /// Operator × domain pairs at target, out of `operator_domains`, and the share.
    pub at_target: usize,
    pub operator_domains: usize,
    pub share_at_target: f64,
    /// Sum over domains of target minus the weighted median level, at least 0 each.
    pub median_gap: u32,
    pub index: Option<f64>,
}

/// The ranked aid plan.
#[derive(Debug, Clone, Serialize)]
pub struct PlanView {
    /// `--budget`, when given.
    pub budget_usd: Option<f64>,
    /// With a budget: the cost and number of the funded candidates.
    pub funded_cost_usd: Option<f64>,
    pub funded_count: Option<usize>,
    /// Over all candidates.
    pub total_cost_usd: f64,
    pub total_benefit: f64,
    /// The benefit of the funded candidates (all of them without a budget), and
    /// its share of `total_benefit`, 0..1.
    pub funded_benefit: f64,
    pub funded_share: f64,
    /// The candidates listed, in rank order: every funded one and at least the
    /// first few dozen (`plan.csv` has all).
    pub candidates: Vec<CandidateRow>,
    /// How many candidates there are in all.
    pub count: usize,
    /// Cost/benefit chart; its table is `candidates`.
    pub chart: Option<Chart>,
}

/// What the run read and what it left out.
#[derive(Debug, Clone, Serialize)]
pub struct RunSummary {
    /// Questionnaire files read.
    pub files_read: usize,
    /// Questionnaires behind the report (current and previous rounds).
    pub questionnaires_used: usize,
    /// Sentences such as "3 questionnaires above TLP:AMBER left out".
    pub left_out: Vec<String>,
    /// Invalid files, with their first error. When anonymised, put "withheld" as
    /// the path.
    pub excluded: Vec<ExcludedFile>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ExcludedFile {
    pub path: String,
    pub error: String,
}
