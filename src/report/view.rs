//! The parts of the report pages' view models that several pages share: the page
//! meta (title, TLP banner, model legend, provenance), trends, charts, level cells,
//! candidate rows, summary points. Each page's own view model lives beside its
//! builder (`operator.rs`, `country.rs`, `portfolio.rs`); `crate::render` renders
//! them with the theme's templates. Plain data holding exactly what a page shows:
//! numbers stay numbers (the templates format them with `crate::render::helpers`);
//! names, dates and labels are ready-to-print strings. Every string is escaped by
//! the templates except `Chart::svg`, which must come from `crate::charts`. No IO,
//! no computation beyond the few constructors that turn model or enum values into
//! display form.
//!
//! Conventions for the builders that fill these structs:
//! - `Option` fields are `None` when the value does not exist (a domain with no
//!   assessed practice has no level); the page prints "—".
//! - Shares (`implementation`, evidence share) are 0..1; the index is 0..100.
//! - `page` fields are paths from the report root (`operators/kh-edc.html`,
//!   `countries/KH.html`): build them with `super::paths`; templates prefix them to
//!   make relative links.
//! - Lists are printed in the order given: sort before filling.

use serde::Serialize;

use crate::i18n::{Lang, Strings};
use crate::model::Model;
use crate::questionnaire::{Response, Tlp};

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
    /// The banner in English.
    pub fn new(tlp: Tlp) -> TlpBanner {
        TlpBanner::new_in(tlp, Strings::builtin(Lang::En))
    }

    /// The banner with its sharing rule in the language of `strings`.
    pub fn new_in(tlp: Tlp, strings: &Strings) -> TlpBanner {
        let class = match tlp {
            Tlp::Clear => "clear",
            Tlp::Green => "green",
            Tlp::Amber => "amber",
            Tlp::AmberStrict => "amber-strict",
            Tlp::Red => "red",
        };
        TlpBanner {
            label: tlp.label(),
            class: class.to_owned(),
            sharing: strings.get(&format!("tlp.sharing.{class}")).to_owned(),
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
        ModelLegend::new_in(
            model,
            lang,
            Strings::builtin(Lang::parse(lang).unwrap_or_default()),
        )
    }

    /// The legend of `model` in `lang`, with capgap's own labels from `strings`.
    pub fn new_in(model: &Model, lang: &str, strings: &Strings) -> ModelLegend {
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
            label: strings.get("response.na").to_owned(),
            letter: "–".to_owned(),
            tone: "na".to_owned(),
            credit: 0.0,
            achieves: false,
        });
        responses.push(ResponseMark {
            id: crate::model::UNANSWERED.to_owned(),
            label: strings.get("response.unanswered").to_owned(),
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

    /// The mark of a response: the model's scale in order, then `na`, then
    /// `unanswered` (a blank answer).
    pub fn mark(&self, response: Response) -> ResponseMark {
        let scale = self.responses.len() - 2;
        let at = match response {
            Response::Scale(r) => r,
            Response::NotApplicable => scale,
            Response::Blank => scale + 1,
        };
        self.responses[at].clone()
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
pub struct TrendView {
    pub delta: f64,
    /// `▲`, `▼` or `=`.
    pub arrow: String,
    /// CSS class suffix: `up`, `down`, `same`.
    pub direction: String,
    /// The signed delta, `+1`, `−0.5` (a true minus sign), `0`.
    pub text: String,
}

impl TrendView {
    /// A change of `delta` printed with `decimals` decimals. A delta that rounds
    /// to zero is `same`.
    pub fn new(delta: f64, decimals: usize) -> TrendView {
        let text = format!("{:.*}", decimals, delta.abs());
        let zero = text.chars().all(|c| c == '0' || c == '.');
        let (arrow, direction, sign) = if zero {
            ("=", "same", "")
        } else if delta > 0.0 {
            ("▲", "up", "+")
        } else {
            ("▼", "down", "−")
        };
        TrendView {
            delta,
            arrow: arrow.to_owned(),
            direction: direction.to_owned(),
            text: format!("{sign}{text}"),
        }
    }

    /// [`TrendView::new`] with the number in the conventions of `strings`.
    pub fn new_in(delta: f64, decimals: usize, strings: &Strings) -> TrendView {
        let mut view = TrendView::new(delta, decimals);
        let sign = match view.direction.as_str() {
            "up" => "+",
            "down" => "−",
            _ => "",
        };
        view.text = format!("{sign}{}", strings.fixed(delta.abs(), decimals));
        view
    }

    /// A change in levels (whole numbers).
    pub fn levels(delta: i64) -> TrendView {
        TrendView::new(delta as f64, 0)
    }
}

/// An aggregate's change in index over its panel (SPEC §5: the members assessed
/// twice), printed with the panel's own previous and current values so that it never
/// contradicts the numbers beside it, and with the panel's size when the panel is not
/// every member.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PanelTrend {
    /// `current - previous`, one decimal.
    pub trend: TrendView,
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
    pub trend: Option<TrendView>,
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
pub struct DomainChangeRow {
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
    pub level_trend: Option<TrendView>,
    /// Change in implementation, in percentage points.
    pub implementation_trend: Option<TrendView>,
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
