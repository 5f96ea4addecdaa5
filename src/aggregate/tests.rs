//! Aggregation rules of SPEC §5, each checked on a few scores built directly over
//! the mini model (ASSET weight 1, SITUATION weight 2, RAIL weight 1 and rail only).
//! `check` renders every aggregate of a portfolio as one line and compares the text.

use super::fixture::{mini_model, operator};
use super::*;
use crate::text::Text;

fn regions() -> Vec<Region> {
    let region = |id: &str, countries: &[&str]| Region {
        id: id.to_owned(),
        name: Text::plain(id.to_uppercase()),
        description: Text::default(),
        countries: countries.iter().map(|&c| c.to_owned()).collect(),
    };
    vec![
        region("asean", &["KH", "LA", "TH"]),
        region("nobody", &["ZW"]),
        region("pacific", &["FJ"]),
        region("indo-pacific", &["FJ", "KH"]),
    ]
}

fn run(scores: Vec<QuestionnaireScore>) -> Portfolio {
    aggregate(&mini_model(), &regions(), scores)
}

/// One line per aggregate: scope, members, TLP, index, targets met, then per domain
/// `level/target median <weighted median> <at target>/<operators> implementation
/// weakest-operator`, then the weakest domains, then the trend when there is one:
/// `panel <panel>/<operators> index <previous>→<current> (<change>)` and per domain
/// with a level in either round `level <previous>→<current> (<change>) <implementation
/// previous>→<current>`.
fn render(aggregate: &Aggregate) -> String {
    let scope = match &aggregate.scope {
        Scope::CountrySector { country, sector } => format!("{country}/{sector}"),
        Scope::Country { country } => country.clone(),
        Scope::Region { region, .. } => format!("region:{region}"),
        Scope::Sector { sector } => format!("sector:{sector}"),
        Scope::Portfolio => "portfolio".to_owned(),
    };
    let index = aggregate
        .index
        .map_or("-".to_owned(), |i| format!("{i:.1}"));
    let domains: Vec<String> = aggregate
        .domains
        .iter()
        .map(|d| match (d.level, d.implementation) {
            (Some(level), Some(implementation)) => format!(
                "{} {level}/{} median {} {}/{} {implementation:.3} {}",
                d.id,
                d.target,
                d.level_median.map_or("-".to_owned(), |m| m.to_string()),
                d.at_target,
                d.operators,
                d.weakest_operator.as_deref().unwrap_or("?")
            ),
            _ => format!("{} -/{}", d.id, d.target),
        })
        .collect();
    let trend = aggregate.trend.as_ref().map_or(String::new(), |t| {
        let opt =
            |v: Option<f64>, digits: usize| v.map_or("-".to_owned(), |v| format!("{v:.digits$}"));
        let domains: Vec<String> = t
            .change
            .domains
            .iter()
            .filter(|d| d.level.previous.is_some() || d.level.current.is_some())
            .map(|d| {
                let level = |l: Option<u32>| l.map_or("-".to_owned(), |l| l.to_string());
                format!(
                    "{} {}→{} ({}) {}→{}",
                    d.id,
                    level(d.level.previous),
                    level(d.level.current),
                    d.level.change.map_or("-".to_owned(), |c| format!("{c:+}")),
                    opt(d.implementation.previous, 3),
                    opt(d.implementation.current, 3),
                )
            })
            .collect();
        format!(
            " | trend {}/{} [{}] index {}→{} ({}) | {}",
            t.panel,
            t.operators,
            t.panel_operators.join(" "),
            opt(t.change.index.previous, 1),
            opt(t.change.index.current, 1),
            t.change
                .index
                .change
                .map_or("-".to_owned(), |c| format!("{c:+.1}")),
            domains.join(" | ")
        )
    });
    format!(
        "{scope} [{}] {} index {index} met {}/{} | {} | weakest {}{trend}",
        aggregate.operators.join(" "),
        aggregate.tlp,
        aggregate.targets_met,
        aggregate.domains_scored,
        domains.join(" | "),
        aggregate.weakest_domains.join(" ")
    )
}

/// Aggregates `scores` and compares every aggregate, one line each, with `expect`.
fn check(scores: Vec<QuestionnaireScore>, expect: &str) -> Portfolio {
    let portfolio = run(scores);
    let lines: Vec<String> = portfolio
        .country_sectors
        .iter()
        .chain(&portfolio.countries)
        .chain(&portfolio.regions)
        .chain(&portfolio.sectors)
        .chain(std::iter::once(&portfolio.total))
        .map(|aggregate| render(aggregate).trim_end().to_owned())
        .collect();
    let expect: Vec<&str> = expect
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    assert_eq!(lines, expect, "\n{}\n", lines.join("\n"));
    portfolio
}

fn close(got: Option<f64>, want: f64) -> bool {
    got.is_some_and(|got| (got - want).abs() < 1e-9)
}

#[test]
fn weakest_operator_sets_the_level_and_weights_set_the_implementation() {
    let scores = vec![
        operator("KH power kh-b 2026-02-01")
            .weight(3.0)
            .target("ASSET", 3)
            .domain("ASSET", 2, 0.9)
            .domain("SITUATION", 1, 0.7)
            .build(),
        operator("KH power kh-a 2026-01-15")
            .domain("ASSET", 1, 0.5)
            .domain("SITUATION", 2, 0.5)
            .tlp(Tlp::Green)
            .build(),
    ];
    // ASSET: min(1, 2) = 1 (kh-a); target max(2, 3) = 3; (0.5 + 3 x 0.9) / 4 = 0.8.
    // SITUATION: min(2, 1) = 1 (kh-b); target 3; (0.5 + 3 x 0.7) / 4 = 0.65.
    // index = 100 x (1 x 0.8 + 2 x 0.65) / 3 = 70.
    check(
        scores,
        "
        KH/power [kh-a kh-b] amber index 70.0 met 0/2 | ASSET 1/3 median 2 0/2 0.800 kh-a | SITUATION 1/3 median 1 0/2 0.650 kh-b | RAIL -/2 | weakest SITUATION ASSET
        KH [kh-a kh-b] amber index 70.0 met 0/2 | ASSET 1/3 median 2 0/2 0.800 kh-a | SITUATION 1/3 median 1 0/2 0.650 kh-b | RAIL -/2 | weakest SITUATION ASSET
        region:asean [kh-a kh-b] amber index 70.0 met 0/2 | ASSET 1/3 median 2 0/2 0.800 kh-a | SITUATION 1/3 median 1 0/2 0.650 kh-b | RAIL -/2 | weakest SITUATION ASSET
        region:indo-pacific [kh-a kh-b] amber index 70.0 met 0/2 | ASSET 1/3 median 2 0/2 0.800 kh-a | SITUATION 1/3 median 1 0/2 0.650 kh-b | RAIL -/2 | weakest SITUATION ASSET
        sector:power [kh-a kh-b] amber index 70.0 met 0/2 | ASSET 1/3 median 2 0/2 0.800 kh-a | SITUATION 1/3 median 1 0/2 0.650 kh-b | RAIL -/2 | weakest SITUATION ASSET
        portfolio [kh-a kh-b] amber index 70.0 met 0/2 | ASSET 1/3 median 2 0/2 0.800 kh-a | SITUATION 1/3 median 1 0/2 0.650 kh-b | RAIL -/2 | weakest SITUATION ASSET
        ",
    );
}

#[test]
fn countries_sectors_and_regions_come_in_a_fixed_order() {
    let scores = vec![
        operator("KH rail kh-rail 2026-01-01")
            .domain("ASSET", 2, 1.0)
            .domain("SITUATION", 2, 1.0)
            .domain("RAIL", 1, 0.5)
            .tlp(Tlp::Red)
            .build(),
        operator("FJ power fj-grid 2026-01-01")
            .domain("ASSET", 0, 0.0)
            .domain("SITUATION", 0, 0.0)
            .tlp(Tlp::Clear)
            .build(),
        operator("KH power kh-grid 2026-01-01")
            .domain("ASSET", 2, 1.0)
            .domain("SITUATION", 3, 1.0)
            .tlp(Tlp::Green)
            .build(),
    ];
    // The rail operator has the lower SITUATION level (2) but the power target (3)
    // is the highest; RAIL is scored only by the rail operator, against its target 2.
    // Regions: `nobody` has no operator and is left out; the others keep file order.
    check(
        scores,
        "
        FJ/power [fj-grid] clear index 0.0 met 0/2 | ASSET 0/2 median 0 0/1 0.000 fj-grid | SITUATION 0/3 median 0 0/1 0.000 fj-grid | RAIL -/2 | weakest SITUATION ASSET
        KH/power [kh-grid] green index 100.0 met 2/2 | ASSET 2/2 median 2 1/1 1.000 kh-grid | SITUATION 3/3 median 3 1/1 1.000 kh-grid | RAIL -/2 | weakest ASSET SITUATION
        KH/rail [kh-rail] red index 87.5 met 2/3 | ASSET 2/2 median 2 1/1 1.000 kh-rail | SITUATION 2/2 median 2 1/1 1.000 kh-rail | RAIL 1/2 median 1 0/1 0.500 kh-rail | weakest RAIL ASSET SITUATION
        FJ [fj-grid] clear index 0.0 met 0/2 | ASSET 0/2 median 0 0/1 0.000 fj-grid | SITUATION 0/3 median 0 0/1 0.000 fj-grid | RAIL -/2 | weakest SITUATION ASSET
        KH [kh-grid kh-rail] red index 87.5 met 1/3 | ASSET 2/2 median 2 2/2 1.000 kh-grid | SITUATION 2/3 median 2 2/2 1.000 kh-rail | RAIL 1/2 median 1 0/1 0.500 kh-rail | weakest RAIL SITUATION ASSET
        region:asean [kh-grid kh-rail] red index 87.5 met 1/3 | ASSET 2/2 median 2 2/2 1.000 kh-grid | SITUATION 2/3 median 2 2/2 1.000 kh-rail | RAIL 1/2 median 1 0/1 0.500 kh-rail | weakest RAIL SITUATION ASSET
        region:pacific [fj-grid] clear index 0.0 met 0/2 | ASSET 0/2 median 0 0/1 0.000 fj-grid | SITUATION 0/3 median 0 0/1 0.000 fj-grid | RAIL -/2 | weakest SITUATION ASSET
        region:indo-pacific [fj-grid kh-grid kh-rail] red index 62.5 met 0/3 | ASSET 0/2 median 2 2/3 0.667 fj-grid | SITUATION 0/3 median 2 2/3 0.667 fj-grid | RAIL 1/2 median 1 0/1 0.500 kh-rail | weakest SITUATION ASSET RAIL
        sector:power [fj-grid kh-grid] green index 50.0 met 0/2 | ASSET 0/2 median 0 1/2 0.500 fj-grid | SITUATION 0/3 median 0 1/2 0.500 fj-grid | RAIL -/2 | weakest SITUATION ASSET
        sector:rail [kh-rail] red index 87.5 met 2/3 | ASSET 2/2 median 2 1/1 1.000 kh-rail | SITUATION 2/2 median 2 1/1 1.000 kh-rail | RAIL 1/2 median 1 0/1 0.500 kh-rail | weakest RAIL ASSET SITUATION
        portfolio [fj-grid kh-grid kh-rail] red index 62.5 met 0/3 | ASSET 0/2 median 2 2/3 0.667 fj-grid | SITUATION 0/3 median 2 2/3 0.667 fj-grid | RAIL 1/2 median 1 0/1 0.500 kh-rail | weakest SITUATION ASSET RAIL
        ",
    );
}

#[test]
fn the_latest_round_is_current_and_the_others_are_kept_in_date_order() {
    let portfolio = run(vec![
        operator("KH power kh-a 2025-06-01")
            .domain("ASSET", 1, 0.5)
            .build(),
        operator("KH power kh-a 2026-06-01")
            .domain("ASSET", 2, 0.75)
            .tlp(Tlp::Green)
            .build(),
        operator("KH power kh-a 2024-06-01")
            .domain("ASSET", 0, 0.25)
            .tlp(Tlp::Red)
            .build(),
    ]);
    assert_eq!(portfolio.operators.len(), 1);
    let history = &portfolio.operators[0];
    assert_eq!(history.current.assessed_on.to_string(), "2026-06-01");
    let earlier: Vec<String> = history
        .earlier
        .iter()
        .map(|s| s.assessed_on.to_string())
        .collect();
    assert_eq!(earlier, ["2024-06-01", "2025-06-01"]);
    assert_eq!(history.rounds, 3);
    assert_eq!(
        history.previous_on.map(|d| d.to_string()).as_deref(),
        Some("2025-06-01")
    );
    let indices: Vec<Option<f64>> = history.index_history.iter().map(|r| r.index).collect();
    assert_eq!(indices, [Some(25.0), Some(50.0), Some(75.0)]);
    // The oldest round is red: the operator's pages carry it, the aggregates (current
    // and previous rounds only) do not.
    assert_eq!(history.tlp, Tlp::Red);
    assert_eq!(portfolio.total.tlp, Tlp::Amber);
    let trend = history.trend.as_ref().expect("two rounds have a trend");
    assert!(close(trend.index.change, 25.0));
    assert_eq!(trend.most_improved_id(), Some("ASSET"));
    assert_eq!(trend.most_worsened_id(), None);
}

#[test]
fn an_operator_trend_compares_the_two_latest_rounds_domain_by_domain() {
    let portfolio = run(vec![
        operator("KH power kh-a 2025-01-15")
            .domain("ASSET", 1, 0.5)
            .domain("SITUATION", 2, 0.8)
            .build(),
        operator("KH power kh-a 2026-01-15")
            .domain("ASSET", 1, 0.75)
            .domain("SITUATION", 1, 0.9)
            .domain("RAIL", 0, 0.0)
            .build(),
    ]);
    let trend = portfolio.operators[0].trend.clone().expect("a trend");
    let asset = &trend.domains[0];
    assert_eq!(
        (
            asset.level.previous,
            asset.level.current,
            asset.level.change
        ),
        (Some(1), Some(1), Some(0))
    );
    assert!(close(asset.implementation.change, 0.25));
    let situation = &trend.domains[1];
    assert_eq!(situation.level.change, Some(-1));
    assert!(close(situation.implementation.change, 0.1));
    // RAIL has no level in the previous round: no delta, and it cannot be the most anything.
    let rail = &trend.domains[2];
    assert_eq!(
        (rail.level.previous, rail.level.current, rail.level.change),
        (None, Some(0), None)
    );
    assert_eq!(rail.implementation.change, None);
    // Level decides before implementation: SITUATION rose in implementation but lost a level.
    assert_eq!(trend.most_improved_id(), Some("ASSET"));
    assert_eq!(trend.most_worsened_id(), Some("SITUATION"));
    // index: 100 x (0.5 + 1.6) / 3 = 70 → 100 x (0.75 + 1.8 + 0) / 4 = 63.75.
    assert!(close(trend.index.previous, 70.0) && close(trend.index.current, 63.75));
    assert!(close(trend.index.change, -6.25));
}

#[test]
fn no_change_means_no_most_improved_or_worsened_domain() {
    let portfolio = run(vec![
        operator("KH power kh-a 2025-01-15")
            .domain("ASSET", 1, 0.3)
            .build(),
        operator("KH power kh-a 2026-01-15")
            .domain("ASSET", 1, 0.1 + 0.2)
            .build(),
    ]);
    let trend = portfolio.operators[0].trend.as_ref().expect("a trend");
    assert_eq!(
        (trend.most_improved_id(), trend.most_worsened_id()),
        (None, None)
    );
    assert!(
        portfolio.most_improved_countries.is_empty()
            && portfolio.most_worsened_countries.is_empty()
    );
}

#[test]
fn a_country_trend_compares_only_the_operators_with_a_previous_round() {
    let portfolio = run(vec![
        operator("KH power kh-a 2025-01-15")
            .domain("ASSET", 0, 0.2)
            .tlp(Tlp::Red)
            .build(),
        operator("KH power kh-a 2026-01-15")
            .domain("ASSET", 1, 0.6)
            .build(),
        // Assessed once: part of the current aggregate, not of the trend.
        operator("KH rail kh-b 2026-01-15")
            .domain("ASSET", 0, 0.0)
            .build(),
        operator("LA power la-a 2026-01-15")
            .domain("ASSET", 2, 1.0)
            .build(),
    ]);
    let kh = portfolio.country("KH").expect("KH is aggregated");
    assert_eq!(kh.operators, ["kh-a", "kh-b"]);
    assert!(close(kh.index, 30.0));
    // The red previous round of kh-a is behind the trend, so behind the page.
    assert_eq!(kh.tlp, Tlp::Red);
    let trend = kh.trend.as_ref().expect("kh-a has a previous round");
    assert_eq!(trend.panel_operators, ["kh-a"]);
    assert_eq!((trend.panel, trend.operators), (1, 2));
    assert!(close(trend.change.index.previous, 20.0) && close(trend.change.index.current, 60.0));
    assert_eq!(trend.change.domains[0].level.change, Some(1));
    assert_eq!(trend.change.most_improved_id(), Some("ASSET"));
    assert!(portfolio.country("LA").is_some_and(|la| la.trend.is_none()));
    let improved: Vec<(&str, f64)> = portfolio
        .most_improved_countries
        .iter()
        .map(|c| (c.country.as_str(), c.change))
        .collect();
    assert_eq!(improved.len(), 1);
    assert_eq!(improved[0].0, "KH");
    assert!((improved[0].1 - 40.0).abs() < 1e-9);
}

#[test]
fn countries_are_ranked_by_improvement_and_by_mean_gap() {
    let round = |key: &str, level: u32, implementation: f64| {
        operator(key)
            .domain("ASSET", level, implementation)
            .domain("SITUATION", level, implementation)
            .build()
    };
    let portfolio = run(vec![
        round("KH power kh-a 2025-01-01", 0, 0.5),
        round("KH power kh-a 2026-01-01", 1, 0.6),
        round("LA power la-a 2025-01-01", 1, 0.5),
        round("LA power la-a 2026-01-01", 2, 0.9),
        round("TH power th-a 2025-01-01", 2, 0.9),
        round("TH power th-a 2026-01-01", 1, 0.4),
        round("FJ power fj-a 2026-01-01", 1, 0.3),
    ]);
    let improved: Vec<&str> = portfolio
        .most_improved_countries
        .iter()
        .map(|c| c.country.as_str())
        .collect();
    assert_eq!(improved, ["LA", "KH"]);
    let worsened: Vec<&str> = portfolio
        .most_worsened_countries
        .iter()
        .map(|c| c.country.as_str())
        .collect();
    assert_eq!(worsened, ["TH"]);
    // Gaps (targets 2 and 3): FJ, KH, TH at level 1 → mean 1.5, then by lower index; LA 0.5.
    let standings: Vec<(&str, f64)> = portfolio
        .furthest_below_target
        .iter()
        .map(|c| (c.country.as_str(), c.mean_gap))
        .collect();
    assert_eq!(
        standings,
        [("FJ", 1.5), ("TH", 1.5), ("KH", 1.5), ("LA", 0.5)]
    );
}

#[test]
fn weakest_domains_by_gap_then_implementation() {
    let portfolio = check(
        vec![
            operator("KH rail kh-r 2026-01-01")
                .domain("ASSET", 1, 0.5)
                .domain("SITUATION", 1, 0.4)
                .domain("RAIL", 2, 0.1)
                .build(),
        ],
        "
        KH/rail [kh-r] amber index 35.0 met 1/3 | ASSET 1/2 median 1 0/1 0.500 kh-r | SITUATION 1/2 median 1 0/1 0.400 kh-r | RAIL 2/2 median 2 1/1 0.100 kh-r | weakest SITUATION ASSET RAIL
        KH [kh-r] amber index 35.0 met 1/3 | ASSET 1/2 median 1 0/1 0.500 kh-r | SITUATION 1/2 median 1 0/1 0.400 kh-r | RAIL 2/2 median 2 1/1 0.100 kh-r | weakest SITUATION ASSET RAIL
        region:asean [kh-r] amber index 35.0 met 1/3 | ASSET 1/2 median 1 0/1 0.500 kh-r | SITUATION 1/2 median 1 0/1 0.400 kh-r | RAIL 2/2 median 2 1/1 0.100 kh-r | weakest SITUATION ASSET RAIL
        region:indo-pacific [kh-r] amber index 35.0 met 1/3 | ASSET 1/2 median 1 0/1 0.500 kh-r | SITUATION 1/2 median 1 0/1 0.400 kh-r | RAIL 2/2 median 2 1/1 0.100 kh-r | weakest SITUATION ASSET RAIL
        sector:rail [kh-r] amber index 35.0 met 1/3 | ASSET 1/2 median 1 0/1 0.500 kh-r | SITUATION 1/2 median 1 0/1 0.400 kh-r | RAIL 2/2 median 2 1/1 0.100 kh-r | weakest SITUATION ASSET RAIL
        portfolio [kh-r] amber index 35.0 met 1/3 | ASSET 1/2 median 1 0/1 0.500 kh-r | SITUATION 1/2 median 1 0/1 0.400 kh-r | RAIL 2/2 median 2 1/1 0.100 kh-r | weakest SITUATION ASSET RAIL
        ",
    );
    assert_eq!(portfolio.sectors_of("KH").count(), 1);
    let members: Vec<&str> = portfolio
        .members(&portfolio.total)
        .map(|o| o.current.operator_id.as_str())
        .collect();
    assert_eq!(members, ["kh-r"]);
}

#[test]
fn an_empty_batch_gives_an_empty_portfolio() {
    let portfolio = check(
        Vec::new(),
        "portfolio [] amber index - met 0/0 | ASSET -/0 | SITUATION -/0 | RAIL -/0 | weakest",
    );
    assert!(portfolio.countries.is_empty() && portfolio.furthest_below_target.is_empty());
}

#[test]
fn the_portfolio_serializes_with_tagged_scopes() {
    let portfolio = run(vec![
        operator("KH power kh-a 2026-01-15")
            .domain("ASSET", 1, 0.5)
            .build(),
    ]);
    let json = serde_json::to_value(&portfolio).expect("serializable");
    assert_eq!(
        json["country_sectors"][0]["scope"],
        serde_json::json!({"kind": "country_sector", "country": "KH", "sector": "power"})
    );
    assert_eq!(json["regions"][0]["scope"]["name"], "ASEAN");
    assert_eq!(
        json["total"]["scope"],
        serde_json::json!({"kind": "portfolio"})
    );
    assert!(json["total"].get("operator_indices").is_none());
}

#[test]
fn aggregates_scores_from_real_questionnaires() {
    let model = mini_model();
    let scored = |operator: &str, weight: &str, answers: &str| {
        let yaml = format!(
            "model: mini@1.0.0\ncountry: KH\nsector: power\noperator: {operator}\nassessed_on: 2026-01-15\nweight: {weight}\nanswers:\n{answers}"
        );
        let loaded = crate::load::load_questionnaire(&model, "q.yaml", yaml.into_bytes(), false);
        let questionnaire = loaded
            .questionnaire
            .unwrap_or_else(|| panic!("invalid test questionnaire: {:#?}", loaded.diagnostics));
        crate::score::score(&model, &questionnaire)
    };
    let all_fully = "  ASSET-1a: fully\n  ASSET-1b: fully\n  ASSET-2a: fully\n  ASSET-3a: fully\n  SITUATION-1a: fully\n  SITUATION-2a: fully\n  SITUATION-2b: fully\n  SITUATION-3a: fully\n";
    let scores = vec![
        scored("Strong Grid", "3", all_fully),
        scored(
            "Weak Grid",
            "1",
            "  ASSET-1a: fully\n  ASSET-1b: partially\n  SITUATION-1a: not\n",
        ),
    ];
    // Weak Grid: ASSET 0 with (1 + 0.5) / 5 = 0.3, SITUATION 0 with 0; Strong Grid: 3 and 1.
    // ASSET (3 x 1 + 0.3) / 4 = 0.825, SITUATION 3 / 4 = 0.75; index 100 x 2.325 / 3 = 77.5.
    check(
        scores,
        "
        KH/power [strong-grid weak-grid] amber index 77.5 met 0/2 | ASSET 0/2 median 3 1/2 0.825 weak-grid | SITUATION 0/3 median 3 1/2 0.750 weak-grid | RAIL -/2 | weakest SITUATION ASSET
        KH [strong-grid weak-grid] amber index 77.5 met 0/2 | ASSET 0/2 median 3 1/2 0.825 weak-grid | SITUATION 0/3 median 3 1/2 0.750 weak-grid | RAIL -/2 | weakest SITUATION ASSET
        region:asean [strong-grid weak-grid] amber index 77.5 met 0/2 | ASSET 0/2 median 3 1/2 0.825 weak-grid | SITUATION 0/3 median 3 1/2 0.750 weak-grid | RAIL -/2 | weakest SITUATION ASSET
        region:indo-pacific [strong-grid weak-grid] amber index 77.5 met 0/2 | ASSET 0/2 median 3 1/2 0.825 weak-grid | SITUATION 0/3 median 3 1/2 0.750 weak-grid | RAIL -/2 | weakest SITUATION ASSET
        sector:power [strong-grid weak-grid] amber index 77.5 met 0/2 | ASSET 0/2 median 3 1/2 0.825 weak-grid | SITUATION 0/3 median 3 1/2 0.750 weak-grid | RAIL -/2 | weakest SITUATION ASSET
        portfolio [strong-grid weak-grid] amber index 77.5 met 0/2 | ASSET 0/2 median 3 1/2 0.825 weak-grid | SITUATION 0/3 median 3 1/2 0.750 weak-grid | RAIL -/2 | weakest SITUATION ASSET
        ",
    );
}

#[test]
fn aggregate_trends_compare_a_panel_when_operators_join_and_leave() {
    let scores = vec![
        // In both rounds: the panel.
        operator("KH power kh-a 2025-01-15")
            .domain("ASSET", 0, 0.2)
            .domain("SITUATION", 1, 0.5)
            .build(),
        operator("KH power kh-a 2026-01-15")
            .domain("ASSET", 1, 0.6)
            .domain("SITUATION", 1, 0.5)
            .build(),
        // Joined in the latest round: current, not in the panel.
        operator("KH power kh-b 2026-02-01")
            .domain("ASSET", 0, 0.0)
            .domain("SITUATION", 0, 0.0)
            .build(),
        // Assessed in the first round only: its one round is current, not in the panel.
        operator("KH power kh-c 2025-01-20")
            .domain("ASSET", 2, 1.0)
            .domain("SITUATION", 3, 1.0)
            .build(),
        // A rail operator assessed twice, the first time two years ago; weight 3.
        operator("KH rail kh-r 2024-03-01")
            .weight(3.0)
            .domain("ASSET", 2, 0.9)
            .domain("SITUATION", 2, 0.8)
            .domain("RAIL", 1, 0.5)
            .build(),
        operator("KH rail kh-r 2026-03-01")
            .weight(3.0)
            .domain("ASSET", 1, 0.7)
            .domain("SITUATION", 2, 0.9)
            .domain("RAIL", 2, 1.0)
            .build(),
    ];
    // KH/power: index 100 x (0.533 + 2 x 0.5) / 3 = 51.1 over all three; the trend's
    // panel is kh-a alone (1 of 3), so the trend is kh-a's own change, 40 → 53.3.
    // KH: panel kh-a and kh-r (2 of 4). Previous: ASSET min(0, 2) = 0, (0.2 + 3 x 0.9) / 4
    // = 0.725; SITUATION min(1, 2) = 1, (0.5 + 2.4) / 4 = 0.725; RAIL 1 at 0.5; index
    // 100 x (0.725 + 1.45 + 0.5) / 4 = 66.875. Current: ASSET 1 at (0.6 + 2.1) / 4 = 0.675,
    // SITUATION 1 at (0.5 + 2.7) / 4 = 0.8, RAIL 2 at 1.0; index 100 x 3.275 / 4 = 81.875.
    // The country's own ASSET level is 0 (kh-b): the panel's is 1; the two are not mixed.
    // Medians: KH ASSET levels 1 (w1), 0 (w1), 2 (w1), 1 (w3): half of 6 is reached at 1.
    check(
        scores,
        "
        KH/power [kh-a kh-b kh-c] amber index 51.1 met 0/2 | ASSET 0/2 median 1 1/3 0.533 kh-b | SITUATION 0/3 median 1 1/3 0.500 kh-b | RAIL -/2 | weakest SITUATION ASSET | trend 1/3 [kh-a] index 40.0→53.3 (+13.3) | ASSET 0→1 (+1) 0.200→0.600 | SITUATION 1→1 (+0) 0.500→0.500
        KH/rail [kh-r] amber index 87.5 met 2/3 | ASSET 1/2 median 1 0/1 0.700 kh-r | SITUATION 2/2 median 2 1/1 0.900 kh-r | RAIL 2/2 median 2 1/1 1.000 kh-r | weakest ASSET SITUATION RAIL | trend 1/1 [kh-r] index 75.0→87.5 (+12.5) | ASSET 2→1 (-1) 0.900→0.700 | SITUATION 2→2 (+0) 0.800→0.900 | RAIL 1→2 (+1) 0.500→1.000
        KH [kh-a kh-b kh-c kh-r] amber index 75.4 met 1/3 | ASSET 0/2 median 1 1/4 0.617 kh-b | SITUATION 0/3 median 2 2/4 0.700 kh-b | RAIL 2/2 median 2 1/1 1.000 kh-r | weakest SITUATION ASSET RAIL | trend 2/4 [kh-a kh-r] index 66.9→81.9 (+15.0) | ASSET 0→1 (+1) 0.725→0.675 | SITUATION 1→1 (+0) 0.725→0.800 | RAIL 1→2 (+1) 0.500→1.000
        region:asean [kh-a kh-b kh-c kh-r] amber index 75.4 met 1/3 | ASSET 0/2 median 1 1/4 0.617 kh-b | SITUATION 0/3 median 2 2/4 0.700 kh-b | RAIL 2/2 median 2 1/1 1.000 kh-r | weakest SITUATION ASSET RAIL | trend 2/4 [kh-a kh-r] index 66.9→81.9 (+15.0) | ASSET 0→1 (+1) 0.725→0.675 | SITUATION 1→1 (+0) 0.725→0.800 | RAIL 1→2 (+1) 0.500→1.000
        region:indo-pacific [kh-a kh-b kh-c kh-r] amber index 75.4 met 1/3 | ASSET 0/2 median 1 1/4 0.617 kh-b | SITUATION 0/3 median 2 2/4 0.700 kh-b | RAIL 2/2 median 2 1/1 1.000 kh-r | weakest SITUATION ASSET RAIL | trend 2/4 [kh-a kh-r] index 66.9→81.9 (+15.0) | ASSET 0→1 (+1) 0.725→0.675 | SITUATION 1→1 (+0) 0.725→0.800 | RAIL 1→2 (+1) 0.500→1.000
        sector:power [kh-a kh-b kh-c] amber index 51.1 met 0/2 | ASSET 0/2 median 1 1/3 0.533 kh-b | SITUATION 0/3 median 1 1/3 0.500 kh-b | RAIL -/2 | weakest SITUATION ASSET | trend 1/3 [kh-a] index 40.0→53.3 (+13.3) | ASSET 0→1 (+1) 0.200→0.600 | SITUATION 1→1 (+0) 0.500→0.500
        sector:rail [kh-r] amber index 87.5 met 2/3 | ASSET 1/2 median 1 0/1 0.700 kh-r | SITUATION 2/2 median 2 1/1 0.900 kh-r | RAIL 2/2 median 2 1/1 1.000 kh-r | weakest ASSET SITUATION RAIL | trend 1/1 [kh-r] index 75.0→87.5 (+12.5) | ASSET 2→1 (-1) 0.900→0.700 | SITUATION 2→2 (+0) 0.800→0.900 | RAIL 1→2 (+1) 0.500→1.000
        portfolio [kh-a kh-b kh-c kh-r] amber index 75.4 met 1/3 | ASSET 0/2 median 1 1/4 0.617 kh-b | SITUATION 0/3 median 2 2/4 0.700 kh-b | RAIL 2/2 median 2 1/1 1.000 kh-r | weakest SITUATION ASSET RAIL | trend 2/4 [kh-a kh-r] index 66.9→81.9 (+15.0) | ASSET 0→1 (+1) 0.725→0.675 | SITUATION 1→1 (+0) 0.725→0.800 | RAIL 1→2 (+1) 0.500→1.000
        ",
    );
}

#[test]
fn trends_serialize_with_the_field_names_of_spec_section_5() {
    let portfolio = run(vec![
        operator("KH power kh-a 2025-01-15")
            .domain("ASSET", 0, 0.25)
            .build(),
        operator("KH power kh-a 2026-01-15")
            .domain("ASSET", 1, 0.75)
            .build(),
        operator("KH power kh-b 2026-01-15")
            .domain("ASSET", 2, 1.0)
            .build(),
    ]);
    let json = serde_json::to_value(&portfolio).expect("serializable");
    let kh = &json["countries"][0];
    assert_eq!(kh["domains"][0]["level"], 1);
    assert_eq!(kh["domains"][0]["level_median"], 1);
    assert_eq!(kh["domains"][0]["at_target"], 1);
    assert_eq!(kh["domains"][0]["operators"], 2);
    let trend = &kh["trend"];
    assert_eq!(trend["panel"], 1);
    assert_eq!(trend["operators"], 2);
    assert_eq!(
        trend["index"],
        serde_json::json!({"previous": 25.0, "current": 75.0, "change": 50.0})
    );
    assert_eq!(
        trend["domains"][0],
        serde_json::json!({
            "id": "ASSET",
            "level": {"previous": 0, "current": 1, "change": 1},
            "implementation": {"previous": 0.25, "current": 0.75, "change": 0.5},
        })
    );
    assert_eq!(json["most_improved_countries"][0]["panel"], 1);
    // An operator's own trend has the same shape, without a panel.
    let own = &json["operators"][0]["trend"];
    assert_eq!(own["index"]["change"], 50.0);
    assert!(own.get("panel").is_none());
}

#[test]
fn the_weighted_median_is_the_lowest_level_holding_half_the_weight() {
    let levels = |pairs: &[(u32, f64)]| weighted_median(pairs.iter().copied());
    assert_eq!(levels(&[]), None);
    assert_eq!(levels(&[(2, 1.0)]), Some(2));
    // Equal weights, an even count: the lower of the two middle levels.
    assert_eq!(levels(&[(3, 1.0), (0, 1.0)]), Some(0));
    assert_eq!(levels(&[(0, 1.0), (1, 1.0), (3, 1.0)]), Some(1));
    // A heavy operator pulls the median to its level.
    assert_eq!(levels(&[(0, 1.0), (1, 1.0), (3, 5.0)]), Some(3));
    // Weights that sum to exactly half in floating point (0.1 + 0.2 against 0.3).
    assert_eq!(levels(&[(1, 0.1), (1, 0.2), (2, 0.3)]), Some(1));
}
