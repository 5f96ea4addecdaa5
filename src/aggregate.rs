//! Aggregation of scored questionnaires (SPEC §5): the current round of each
//! operator and its trend, then country × sector, country, region and portfolio
//! aggregates with their own trends, and the rankings donors read first. Pure: takes
//! [`QuestionnaireScore`]s, the model and the region groups, does no IO and never
//! re-checks what the loader and scoring already checked.
//!
//! Rules, beyond the letter of SPEC §5 where it is silent:
//!
//! - **Rounds.** Operators are keyed by (country, sector, operator_id). The latest
//!   `assessed_on` is the current round; earlier rounds are kept, oldest first. Two
//!   or more questionnaires with the same key and date are an error on each of them
//!   (naming the others) and all of them are left out, whatever their date.
//! - **Aggregate domains.** Per model domain, over the members whose domain has a
//!   level: implementation is the mean weighted by the questionnaire `weight`; level
//!   is the minimum (the weakest operator sets it); `level_median` is the weighted
//!   median level (the lowest level at or below which at least half of their weight
//!   lies); `at_target` counts those members with gap 0 against their own target, out
//!   of `operators`; target is the highest target among
//!   those members, which is the sector target when no questionnaire overrides it (when
//!   no member has a level, the highest target among all members, and there is no gap);
//!   gap is `max(0, target - level)`. The aggregate index is SPEC §4's index over the
//!   aggregate domains with a level.
//! - **TLP.** An aggregate carries the strictest TLP of every questionnaire behind it:
//!   its members' current rounds and the previous rounds its trend compares.
//! - **Trends.** An operator's trend compares its two latest rounds. An aggregate's
//!   trend is over its **panel**, the members that have a previous round: `previous`
//!   is the aggregate of the panel's previous rounds, `current` that of the same
//!   members' current rounds and `change = current - previous`, so operators assessed
//!   for the first time (or not again) do not move the trend. It states `panel` and
//!   `operators` so a reader knows how much of the aggregate it covers. Every
//!   aggregate has one when at least one member has a previous round.
//! - **Most improved / worsened domain**: the largest rise (fall) in level, then in
//!   implementation, among domains with a level in both rounds; `None` when no domain
//!   rose (fell). Changes in implementation smaller than 1e-9 count as no change.
//! - **Weakest domains** of an aggregate: its domains with a level, largest gap first,
//!   then lowest implementation, then model order.
//! - **Countries furthest below target**: by the mean gap over the country's domains
//!   with a level (a mean, so a rail-only country and a country with every sector
//!   compare fairly), then lower index, then country code.
//! - **Most improved / worsened countries**: by the change in the country trend's
//!   index; countries without a trend or without a change are not listed.
//! - **Order.** Operators by country code, sector in model order, operator id;
//!   countries by code; sectors in model order (also the cross-country sector
//!   aggregates, which the reports compare with the regions); regions in file order, only those
//!   with at least one operator; domains in model order.

use std::cmp::Ordering;
use std::collections::BTreeMap;

use serde::Serialize;

use crate::load::Region;
use crate::model::Model;
use crate::questionnaire::{Date, Tlp};
use crate::score::{DomainScore, QuestionnaireScore};

/// Changes in implementation (0..1) smaller than this are no change.
const NO_CHANGE: f64 = 1e-9;

/// Everything the reports need, aggregated.
#[derive(Debug, Clone, Serialize)]
pub struct Portfolio {
    /// Every operator with its rounds, by country, sector (model order) and id.
    pub operators: Vec<OperatorHistory>,
    /// One per (country, sector) with operators: countries by code, sectors in model order.
    pub country_sectors: Vec<Aggregate>,
    /// One per country with operators, by code.
    pub countries: Vec<Aggregate>,
    /// One per region of `regions.yaml` with at least one operator, in file order.
    pub regions: Vec<Aggregate>,
    /// One per sector with operators, across countries, in model order.
    pub sectors: Vec<Aggregate>,
    /// All operators.
    pub total: Aggregate,
    /// Countries with a scored domain, furthest below target first.
    pub furthest_below_target: Vec<CountryStanding>,
    /// Countries whose index rose, largest rise first.
    pub most_improved_countries: Vec<CountryChange>,
    /// Countries whose index fell, largest fall first.
    pub most_worsened_countries: Vec<CountryChange>,
}

/// One operator: its current round, the earlier ones and the trend between the two latest.
/// Serialized (`score --aggregates`, `aggregates.json`) with the current round's
/// identity and index only: the full scores are `score`'s and `scores.json`'s.
#[derive(Debug, Clone, Serialize)]
pub struct OperatorHistory {
    /// The round with the latest `assessed_on`.
    #[serde(serialize_with = "round_summary")]
    pub current: QuestionnaireScore,
    /// Earlier rounds, oldest first; the last one is the previous round.
    #[serde(skip)]
    pub earlier: Vec<QuestionnaireScore>,
    /// `earlier.len() + 1`.
    pub rounds: usize,
    /// The date of the previous round, if any.
    pub previous_on: Option<Date>,
    /// The index of every round, oldest first (for a line chart).
    pub index_history: Vec<RoundIndex>,
    /// The strictest TLP over all its rounds.
    pub tlp: Tlp,
    /// Previous round → current round; `None` with a single round.
    pub trend: Option<Trend>,
}

/// The identity and headline numbers of a round, for the aggregates' JSON.
fn round_summary<S: serde::Serializer>(
    score: &QuestionnaireScore,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    use serde::ser::SerializeStruct;
    let mut round = serializer.serialize_struct("Round", 9)?;
    round.serialize_field("file", &score.file)?;
    round.serialize_field("country", &score.country)?;
    round.serialize_field("sector", &score.sector)?;
    round.serialize_field("operator", &score.operator)?;
    round.serialize_field("operator_id", &score.operator_id)?;
    round.serialize_field("assessed_on", &score.assessed_on)?;
    round.serialize_field("index", &score.index)?;
    round.serialize_field("targets_met", &score.targets_met)?;
    round.serialize_field("domains_scored", &score.domains_scored)?;
    round.end()
}

/// The index of one round.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct RoundIndex {
    pub assessed_on: Date,
    pub index: Option<f64>,
}

/// The change between two rounds (of an operator or of an aggregate's panel).
/// Serialised with the domain ids of `most_improved` and `most_worsened`.
#[derive(Debug, Clone, PartialEq)]
pub struct Trend {
    /// The index before and after; `change` is `None` when either has no index.
    pub index: ValueChange,
    /// One per model domain, in model order: `domains[d]` is `model.domains[d]`.
    pub domains: Vec<DomainChange>,
    /// The model domain with the largest rise in level, then implementation.
    pub most_improved: Option<usize>,
    /// The model domain with the largest fall in level, then implementation.
    pub most_worsened: Option<usize>,
}

impl Trend {
    /// The id of the most improved domain.
    pub fn most_improved_id(&self) -> Option<&str> {
        self.most_improved.map(|d| self.domains[d].id.as_str())
    }

    /// The id of the most worsened domain.
    pub fn most_worsened_id(&self) -> Option<&str> {
        self.most_worsened.map(|d| self.domains[d].id.as_str())
    }
}

impl Serialize for Trend {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut trend = serializer.serialize_struct("Trend", 4)?;
        trend.serialize_field("index", &self.index)?;
        trend.serialize_field("domains", &self.domains)?;
        trend.serialize_field("most_improved", &self.most_improved_id())?;
        trend.serialize_field("most_worsened", &self.most_worsened_id())?;
        trend.end()
    }
}

/// How one domain changed between two rounds.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DomainChange {
    pub id: String,
    /// The level (an aggregate's: the weakest operator's); `change` is `None` unless
    /// the domain has a level in both rounds.
    pub level: LevelChange,
    /// The implementation, 0..1; `change` is `None` unless it has one in both rounds.
    pub implementation: ValueChange,
}

/// A level before and after: `change = current - previous`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct LevelChange {
    pub previous: Option<u32>,
    pub current: Option<u32>,
    pub change: Option<i64>,
}

/// A number before and after: `change = current - previous`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ValueChange {
    pub previous: Option<f64>,
    pub current: Option<f64>,
    pub change: Option<f64>,
}

/// Serialised as the numbers are written (`output::rounded`), with `change` the
/// difference of the written `previous` and `current`, so that a reader's
/// `current - previous` is the `change` beside them.
impl Serialize for ValueChange {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let previous = self.previous.and_then(crate::output::rounded);
        let current = self.current.and_then(crate::output::rounded);
        let change = match (previous, current) {
            (Some(p), Some(c)) => Some(c - p),
            _ => self.change,
        };
        let mut out = serializer.serialize_struct("ValueChange", 3)?;
        out.serialize_field("previous", &previous)?;
        out.serialize_field("current", &current)?;
        out.serialize_field("change", &change)?;
        out.end()
    }
}

impl LevelChange {
    fn new(previous: Option<u32>, current: Option<u32>) -> Self {
        LevelChange {
            previous,
            current,
            change: previous
                .zip(current)
                .map(|(a, b)| i64::from(b) - i64::from(a)),
        }
    }
}

impl ValueChange {
    fn new(previous: Option<f64>, current: Option<f64>) -> Self {
        ValueChange {
            previous,
            current,
            change: previous.zip(current).map(|(a, b)| b - a),
        }
    }
}

/// What an aggregate is over.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Scope {
    CountrySector { country: String, sector: String },
    Country { country: String },
    Sector { sector: String },
    Region { region: String, name: String },
    Portfolio,
}

/// A group of operators summarised as one.
#[derive(Debug, Clone, Serialize)]
pub struct Aggregate {
    pub scope: Scope,
    /// Member operator ids, in portfolio order (country, sector, id).
    pub operators: Vec<String>,
    /// The members as indices into [`Portfolio::operators`] (operator ids are only
    /// unique within a country and sector).
    #[serde(skip)]
    pub operator_indices: Vec<usize>,
    pub operator_count: usize,
    /// The members' country codes, sorted.
    pub countries: Vec<String>,
    /// The strictest TLP of the questionnaires behind the aggregate.
    pub tlp: Tlp,
    /// 0..100 over the domains with a level; `None` when none has one.
    pub index: Option<f64>,
    /// Domains with gap 0, out of `domains_scored`.
    pub targets_met: usize,
    /// Domains with a level.
    pub domains_scored: usize,
    /// One per model domain, in model order.
    pub domains: Vec<AggregateDomain>,
    /// Ids of the domains with a level, weakest first.
    pub weakest_domains: Vec<String>,
    /// Members' previous rounds → the same members' current rounds.
    pub trend: Option<AggregateTrend>,
}

/// One domain of an aggregate.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AggregateDomain {
    pub id: String,
    /// The minimum over the members with a level; `None` when no member has one.
    pub level: Option<u32>,
    /// The weighted median level of those members: the lowest level at or below
    /// which at least half of their `weight` lies.
    pub level_median: Option<u32>,
    /// How many of those members have gap 0 (against their own target).
    pub at_target: usize,
    /// How many members have a level for this domain.
    pub operators: usize,
    /// The highest target among the members with a level (all members when none has one).
    pub target: u32,
    /// `target - level`, at least 0; `None` without a level.
    pub gap: Option<u32>,
    /// Mean weighted by the questionnaire `weight` over the members with a level.
    pub implementation: Option<f64>,
    /// The id of the first member (portfolio order) at the minimum level.
    pub weakest_operator: Option<String>,
}

/// The trend of an aggregate over its panel: the members that have a previous round.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AggregateTrend {
    /// How many members the panel holds.
    pub panel: usize,
    /// How many members the aggregate has (current operators, panel or not).
    pub operators: usize,
    /// Ids of the panel's members, in portfolio order.
    pub panel_operators: Vec<String>,
    /// `previous` = the aggregate of the panel's previous rounds, `current` = of its
    /// current rounds.
    #[serde(flatten)]
    pub change: Trend,
}

impl AggregateTrend {
    /// Whether the panel is every member of the aggregate.
    pub fn is_whole(&self) -> bool {
        self.panel == self.operators
    }
}

/// How far a country is below its targets.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CountryStanding {
    pub country: String,
    /// Mean gap, in levels, over the country's domains with a level.
    pub mean_gap: f64,
    /// Sum of those gaps.
    pub total_gap: u32,
    pub domains_scored: usize,
    pub index: Option<f64>,
}

/// A country's change in index over its panel.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CountryChange {
    pub country: String,
    /// The panel's current index minus its previous index.
    pub change: f64,
    /// How many operators the panel holds, out of `operators`.
    pub panel: usize,
    pub operators: usize,
}

impl Portfolio {
    /// The current round of every operator, in portfolio order.
    pub fn current_scores(&self) -> impl Iterator<Item = &QuestionnaireScore> {
        self.operators.iter().map(|o| &o.current)
    }

    /// The members of an aggregate.
    pub fn members<'a>(
        &'a self,
        aggregate: &'a Aggregate,
    ) -> impl Iterator<Item = &'a OperatorHistory> + 'a {
        aggregate
            .operator_indices
            .iter()
            .map(|&i| &self.operators[i])
    }

    /// The aggregate of one country.
    pub fn country(&self, code: &str) -> Option<&Aggregate> {
        self.countries
            .iter()
            .find(|a| matches!(&a.scope, Scope::Country { country } if country == code))
    }

    /// The country × sector aggregates of one country, sectors in model order.
    pub fn sectors_of<'a>(&'a self, code: &'a str) -> impl Iterator<Item = &'a Aggregate> + 'a {
        self.country_sectors.iter().filter(
            move |a| matches!(&a.scope, Scope::CountrySector { country, .. } if country == code),
        )
    }

    /// The history of one operator.
    pub fn operator(
        &self,
        country: &str,
        sector: &str,
        operator_id: &str,
    ) -> Option<&OperatorHistory> {
        self.operators.iter().find(|o| {
            o.current.country == country
                && o.current.sector == sector
                && o.current.operator_id == operator_id
        })
    }
}

/// Aggregates scored questionnaires, which hold at most one questionnaire per
/// round: the batch leaves out duplicates first (`crate::rounds`).
pub fn aggregate(model: &Model, regions: &[Region], scores: Vec<QuestionnaireScore>) -> Portfolio {
    let operators = operator_histories(model, scores);

    let mut country_sectors = Vec::new();
    let mut countries = Vec::new();
    let mut by_country: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (i, operator) in operators.iter().enumerate() {
        by_country
            .entry(operator.current.country.as_str())
            .or_default()
            .push(i);
    }
    for (&country, members) in &by_country {
        // `operators` is sorted by sector within a country, so sectors come in model order.
        let mut sectors: Vec<(&str, Vec<usize>)> = Vec::new();
        for &i in members {
            let sector = operators[i].current.sector.as_str();
            match sectors.last_mut() {
                Some((last, group)) if *last == sector => group.push(i),
                _ => sectors.push((sector, vec![i])),
            }
        }
        for (sector, group) in sectors {
            let scope = Scope::CountrySector {
                country: country.to_owned(),
                sector: sector.to_owned(),
            };
            country_sectors.push(aggregate_of(model, scope, group, &operators));
        }
        let scope = Scope::Country {
            country: country.to_owned(),
        };
        countries.push(aggregate_of(model, scope, members.clone(), &operators));
    }

    let regions = regions
        .iter()
        .filter_map(|region| {
            let members: Vec<usize> = (0..operators.len())
                .filter(|&i| region.countries.contains(&operators[i].current.country))
                .collect();
            let scope = Scope::Region {
                region: region.id.clone(),
                name: region.name.en().to_owned(),
            };
            (!members.is_empty()).then(|| aggregate_of(model, scope, members, &operators))
        })
        .collect();
    let sectors = model
        .sectors
        .iter()
        .filter_map(|sector| {
            let members: Vec<usize> = (0..operators.len())
                .filter(|&i| operators[i].current.sector == sector.id)
                .collect();
            let scope = Scope::Sector {
                sector: sector.id.clone(),
            };
            (!members.is_empty()).then(|| aggregate_of(model, scope, members, &operators))
        })
        .collect();
    let total = aggregate_of(
        model,
        Scope::Portfolio,
        (0..operators.len()).collect(),
        &operators,
    );

    Portfolio {
        furthest_below_target: furthest_below_target(&countries),
        most_improved_countries: country_changes(&countries, Ordering::Greater),
        most_worsened_countries: country_changes(&countries, Ordering::Less),
        operators,
        country_sectors,
        countries,
        regions,
        sectors,
        total,
    }
}

/// Groups scores into operators (no duplicate rounds left), in portfolio order.
fn operator_histories(model: &Model, scores: Vec<QuestionnaireScore>) -> Vec<OperatorHistory> {
    let sector_rank = |sector: &str| {
        model
            .sectors
            .iter()
            .position(|s| s.id == sector)
            .unwrap_or(usize::MAX)
    };
    let mut groups: BTreeMap<(String, usize, String, String), Vec<QuestionnaireScore>> =
        BTreeMap::new();
    for score in scores {
        let key = (
            score.country.clone(),
            sector_rank(&score.sector),
            score.sector.clone(),
            score.operator_id.clone(),
        );
        groups.entry(key).or_default().push(score);
    }
    groups
        .into_values()
        .map(|mut rounds| {
            rounds.sort_by_key(|s| s.assessed_on);
            let current = rounds.pop().expect("a group has a round");
            operator_history(model, current, rounds)
        })
        .collect()
}

fn operator_history(
    model: &Model,
    current: QuestionnaireScore,
    earlier: Vec<QuestionnaireScore>,
) -> OperatorHistory {
    let trend = earlier.last().map(|previous| {
        let states = |score: &QuestionnaireScore| -> Vec<DomainState> {
            score
                .domains
                .iter()
                .map(|ds| DomainState {
                    level: ds.level,
                    implementation: ds.implementation,
                })
                .collect()
        };
        trend(
            model,
            (previous.index, states(previous)),
            (current.index, states(&current)),
        )
    });
    let index_history = earlier
        .iter()
        .chain(std::iter::once(&current))
        .map(|s| RoundIndex {
            assessed_on: s.assessed_on,
            index: s.index,
        })
        .collect();
    let tlp = earlier.iter().map(|s| s.tlp).fold(current.tlp, Tlp::max);
    OperatorHistory {
        rounds: earlier.len() + 1,
        previous_on: earlier.last().map(|s| s.assessed_on),
        index_history,
        tlp,
        trend,
        current,
        earlier,
    }
}

/// A domain's level and implementation in one round, for trends.
#[derive(Debug, Clone, Copy)]
struct DomainState {
    level: Option<u32>,
    implementation: Option<f64>,
}

fn trend(
    model: &Model,
    from: (Option<f64>, Vec<DomainState>),
    to: (Option<f64>, Vec<DomainState>),
) -> Trend {
    let domains: Vec<DomainChange> = model
        .domains
        .iter()
        .zip(from.1.iter().zip(&to.1))
        .map(|(def, (a, b))| DomainChange {
            id: def.id.clone(),
            level: LevelChange::new(a.level, b.level),
            implementation: ValueChange::new(a.implementation, b.implementation),
        })
        .collect();
    Trend {
        index: ValueChange::new(from.0, to.0),
        most_improved: extreme_change(&domains, Ordering::Greater),
        most_worsened: extreme_change(&domains, Ordering::Less),
        domains,
    }
}

/// The domain that moved furthest in `direction` (by level, then implementation),
/// first in model order on ties; `None` when no domain moved that way.
fn extreme_change(domains: &[DomainChange], direction: Ordering) -> Option<usize> {
    let compare = |a: (i64, f64), b: (i64, f64)| {
        a.0.cmp(&b.0).then_with(|| {
            if (a.1 - b.1).abs() < NO_CHANGE {
                Ordering::Equal
            } else {
                a.1.total_cmp(&b.1)
            }
        })
    };
    let mut best: Option<(usize, (i64, f64))> = None;
    for (d, domain) in domains.iter().enumerate() {
        let Some(level) = domain.level.change else {
            continue;
        };
        let change = (level, domain.implementation.change.unwrap_or(0.0));
        if compare(change, (0, 0.0)) != direction {
            continue;
        }
        if best.is_none_or(|(_, b)| compare(change, b) == direction) {
            best = Some((d, change));
        }
    }
    best.map(|(d, _)| d)
}

/// The lowest level at or below which at least half of the total weight lies;
/// `None` for no levels.
fn weighted_median(levels: impl Iterator<Item = (u32, f64)>) -> Option<u32> {
    let mut levels: Vec<(u32, f64)> = levels.collect();
    levels.sort_by_key(|(level, _)| *level);
    let total: f64 = levels.iter().map(|(_, w)| w).sum();
    let mut below = 0.0;
    for (level, weight) in &levels {
        below += weight;
        // A relative tolerance, so that weights summing to exactly half count as half.
        if below >= total / 2.0 - total * 1e-12 {
            return Some(*level);
        }
    }
    levels.last().map(|(level, _)| *level)
}

/// The statistics of a group of rounds: index and one entry per model domain.
fn summarise(model: &Model, scores: &[&QuestionnaireScore]) -> (Option<f64>, Vec<AggregateDomain>) {
    let domains: Vec<AggregateDomain> = model
        .domains
        .iter()
        .enumerate()
        .map(|(d, def)| {
            let all: Vec<(&QuestionnaireScore, &DomainScore)> =
                scores.iter().map(|&s| (s, &s.domains[d])).collect();
            let scored: Vec<(&QuestionnaireScore, &DomainScore)> = all
                .iter()
                .copied()
                .filter(|(_, ds)| ds.level.is_some())
                .collect();
            let targets_from = if scored.is_empty() { &all } else { &scored };
            let target = targets_from
                .iter()
                .map(|(_, ds)| ds.target)
                .max()
                .unwrap_or(0);
            let weakest = scored
                .iter()
                .filter_map(|(s, ds)| ds.level.map(|level| (level, s)))
                .min_by_key(|(level, _)| *level);
            let level = weakest.map(|(level, _)| level);
            let level_median = weighted_median(
                scored
                    .iter()
                    .filter_map(|(s, ds)| ds.level.map(|level| (level, s.weight))),
            );
            let at_target = scored.iter().filter(|(_, ds)| ds.gap == Some(0)).count();
            let weighted: Vec<(f64, f64)> = scored
                .iter()
                .filter_map(|(s, ds)| ds.implementation.map(|i| (s.weight, i)))
                .collect();
            let weights: f64 = weighted.iter().map(|(w, _)| w).sum();
            let implementation = (!weighted.is_empty())
                .then(|| weighted.iter().map(|(w, i)| w * i).sum::<f64>() / weights);
            AggregateDomain {
                id: def.id.clone(),
                level,
                target,
                level_median,
                at_target,
                operators: scored.len(),
                gap: level.map(|level| target.saturating_sub(level)),
                implementation,
                weakest_operator: weakest.map(|(_, s)| s.operator_id.clone()),
            }
        })
        .collect();
    let weighted: Vec<(f64, f64)> = model
        .domains
        .iter()
        .zip(&domains)
        .filter_map(|(def, domain)| {
            domain
                .level
                .and(domain.implementation)
                .map(|i| (def.weight, i))
        })
        .collect();
    let weights: f64 = weighted.iter().map(|(w, _)| w).sum();
    let index = (!weighted.is_empty())
        .then(|| 100.0 * weighted.iter().map(|(w, i)| w * i).sum::<f64>() / weights);
    (index, domains)
}

fn aggregate_of(
    model: &Model,
    scope: Scope,
    members: Vec<usize>,
    operators: &[OperatorHistory],
) -> Aggregate {
    let current: Vec<&QuestionnaireScore> =
        members.iter().map(|&i| &operators[i].current).collect();
    let (index, domains) = summarise(model, &current);

    let compared: Vec<&OperatorHistory> = members
        .iter()
        .map(|&i| &operators[i])
        .filter(|o| !o.earlier.is_empty())
        .collect();
    let trend = (!compared.is_empty()).then(|| {
        let previous: Vec<&QuestionnaireScore> =
            compared.iter().filter_map(|o| o.earlier.last()).collect();
        let current: Vec<&QuestionnaireScore> = compared.iter().map(|o| &o.current).collect();
        let states = |(index, domains): (Option<f64>, Vec<AggregateDomain>)| {
            let states = domains
                .into_iter()
                .map(|d| DomainState {
                    level: d.level,
                    implementation: d.implementation,
                })
                .collect();
            (index, states)
        };
        AggregateTrend {
            panel: compared.len(),
            operators: members.len(),
            panel_operators: compared
                .iter()
                .map(|o| o.current.operator_id.clone())
                .collect(),
            change: trend(
                model,
                states(summarise(model, &previous)),
                states(summarise(model, &current)),
            ),
        }
    });

    let tlp = current
        .iter()
        .map(|s| s.tlp)
        .chain(
            compared
                .iter()
                .filter_map(|o| o.earlier.last())
                .map(|s| s.tlp),
        )
        .max()
        .unwrap_or_default();
    let mut countries: Vec<String> = current.iter().map(|s| s.country.clone()).collect();
    countries.sort();
    countries.dedup();

    let mut weakest: Vec<&AggregateDomain> = domains.iter().filter(|d| d.level.is_some()).collect();
    weakest.sort_by(|a, b| {
        b.gap.cmp(&a.gap).then_with(|| {
            a.implementation
                .unwrap_or(0.0)
                .total_cmp(&b.implementation.unwrap_or(0.0))
        })
    });
    let weakest_domains = weakest.into_iter().map(|d| d.id.clone()).collect();

    Aggregate {
        scope,
        operators: current.iter().map(|s| s.operator_id.clone()).collect(),
        operator_count: members.len(),
        operator_indices: members,
        countries,
        tlp,
        index,
        targets_met: domains.iter().filter(|d| d.gap == Some(0)).count(),
        domains_scored: domains.iter().filter(|d| d.level.is_some()).count(),
        weakest_domains,
        domains,
        trend,
    }
}

/// The country of a country or country × sector aggregate.
fn scope_country(aggregate: &Aggregate) -> &str {
    match &aggregate.scope {
        Scope::Country { country } | Scope::CountrySector { country, .. } => country,
        Scope::Region { .. } | Scope::Sector { .. } | Scope::Portfolio => "",
    }
}

fn furthest_below_target(countries: &[Aggregate]) -> Vec<CountryStanding> {
    let mut standings: Vec<CountryStanding> = countries
        .iter()
        .filter(|a| a.domains_scored > 0)
        .map(|a| {
            let total_gap: u32 = a.domains.iter().filter_map(|d| d.gap).sum();
            CountryStanding {
                country: scope_country(a).to_owned(),
                mean_gap: f64::from(total_gap) / a.domains_scored as f64,
                total_gap,
                domains_scored: a.domains_scored,
                index: a.index,
            }
        })
        .collect();
    // `countries` is sorted by code and the sort is stable, so code breaks the last tie.
    standings.sort_by(|a, b| {
        b.mean_gap
            .total_cmp(&a.mean_gap)
            .then_with(|| a.index.unwrap_or(0.0).total_cmp(&b.index.unwrap_or(0.0)))
    });
    standings
}

/// Countries whose index moved in `direction`, furthest first, ties by code.
fn country_changes(countries: &[Aggregate], direction: Ordering) -> Vec<CountryChange> {
    let mut changes: Vec<CountryChange> = countries
        .iter()
        .filter_map(|a| {
            let trend = a.trend.as_ref()?;
            let delta = trend.change.index.change?;
            (delta.abs() >= NO_CHANGE && delta.total_cmp(&0.0) == direction).then(|| {
                CountryChange {
                    country: scope_country(a).to_owned(),
                    change: delta,
                    panel: trend.panel,
                    operators: trend.operators,
                }
            })
        })
        .collect();
    changes.sort_by(|a, b| match direction {
        Ordering::Less => a.change.total_cmp(&b.change),
        _ => b.change.total_cmp(&a.change),
    });
    changes
}

#[cfg(test)]
pub(crate) mod fixture;
#[cfg(test)]
mod tests;
