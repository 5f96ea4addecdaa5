//! Page builder tests: small portfolios built from scores over the mini model (the
//! aggregation fixture), checked through one `check` helper per page kind on what
//! a reader gets — the summary in words, the panel trends and the charts' numbers.

use super::*;
use crate::aggregate::fixture::{mini_model, operator};
use crate::score::QuestionnaireScore;
use operator::GapDetail;

/// A report context over `scores` with the given budget; runs `f` with it.
fn with_context<T>(
    scores: Vec<QuestionnaireScore>,
    budget: Option<f64>,
    f: impl FnOnce(&ReportContext<'_>) -> T,
) -> T {
    let model = mini_model();
    let portfolio = crate::aggregate::aggregate(&model, &[], scores);
    let plan = crate::plan::plan(&model, portfolio.current_scores(), budget);
    let ctx = ReportContext::new(
        &model,
        &portfolio,
        &[],
        &plan,
        "en",
        false,
        "2026-12-01".to_owned(),
        Vec::new(),
    );
    f(&ctx)
}

/// Operators joining and leaving: kh-a twice, kh-b new, kh-c in the first round only.
fn joined_and_left() -> Vec<QuestionnaireScore> {
    vec![
        operator("KH power kh-a 2025-01-15")
            .domain("ASSET", 0, 0.2)
            .domain("SITUATION", 1, 0.5)
            .gap("ASSET-1a", 2.0)
            .build(),
        operator("KH power kh-a 2026-01-15")
            .domain("ASSET", 1, 0.6)
            .domain("SITUATION", 1, 0.5)
            .gap("SITUATION-2a", 3.0)
            .build(),
        operator("KH power kh-b 2026-02-01")
            .domain("ASSET", 0, 0.0)
            .domain("SITUATION", 0, 0.0)
            .gap("ASSET-1a", 4.0)
            .gap("SITUATION-1a", 6.0)
            .build(),
        operator("KH power kh-c 2025-01-20")
            .domain("ASSET", 2, 1.0)
            .domain("SITUATION", 3, 1.0)
            .build(),
    ]
}

/// The summary points as `heading: text` lines.
fn lines(points: &[view::SummaryPoint]) -> String {
    points
        .iter()
        .map(|p| format!("{}: {}", p.heading, p.text))
        .collect::<Vec<_>>()
        .join("\n")
}

fn check(actual: &str, expect: &str) {
    let expect: Vec<&str> = expect
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    let actual: Vec<&str> = actual.lines().collect();
    assert_eq!(actual, expect, "\n{}\n", actual.join("\n"));
}

#[test]
fn the_portfolio_summary_decides_from_the_data() {
    // Candidates: training (kh-a's SITUATION-2a, 3 points, $20k), inventory (kh-b's
    // ASSET-1a, 4 points, $50k), monitoring (kh-a's SITUATION-2a and kh-b's
    // SITUATION-1a, 9 points, 2 x $120k); $100k takes the first two.
    let page = with_context(joined_and_left(), Some(100_000.0), |ctx| {
        portfolio_page(
            ctx,
            &RunFacts {
                files_read: 4,
                excluded: Vec::new(),
                left_out: Vec::new(),
            },
        )
    });
    check(
        &lines(&page.summary),
        "
        Fund first: OT training in Cambodia (electric power, 1 operator: 3 priority points for $20k) and Asset inventory in Cambodia (electric power, 1 operator: 4 priority points for $50k).
        What the budget buys: The budget of $100k funds 2 of 3 candidates for $70k: 7 of 16 priority points, 43.8% of the benefit of every candidate (which would cost $310k). The largest shares go to Cambodia $70k; by kind: tooling $50k and training $20k.
        Largest gaps: Situational awareness (SITUATION: 1 of 3 operators at target, median level 1 against target 3) and Assets (ASSET: 1 of 3 operators at target, median level 1 against target 2).
        What changed: Among the 1 of 3 operators assessed twice, the index went from 40 to 53.3 (+13.3). Over those operators: most improved domain Assets (weakest level 0 → 1, implementation +40 points). Most improved country: Cambodia (+13.3 among 1 of 3).
        ",
    );
    // The cards and the arrows chart carry the panel's own values and size.
    let trend = page.index_trend.expect("a panel trend");
    assert_eq!((trend.panel, trend.operators, trend.whole), (1, 3, false));
    assert!((trend.current - trend.previous - trend.trend.delta).abs() < 1e-9);
    let svg = page.trend_chart.expect("an arrows chart").svg;
    assert!(svg.contains("Cambodia (1 of 3)") && svg.contains("40 → 53.3 (+13.3)"));
    // The funded package: one country, two kinds.
    assert_eq!(page.package.by_country.len(), 1);
    assert_eq!(page.package.by_kind.len(), 2);
    assert!((page.plan.funded_share - 7.0 / 16.0).abs() < 1e-9);
}

#[test]
fn aggregate_cells_print_the_median_without_the_panels_arrow() {
    let page = with_context(joined_and_left(), None, |ctx| {
        country_page(ctx, "KH").expect("KH has a page")
    });
    let asset = &page.overall.cells[0];
    // ASSET levels 1, 0, 2: median 1, weakest 0, one operator (kh-c) at target.
    assert_eq!(
        (asset.level, asset.weakest, asset.at_target, asset.operators),
        (Some(1), Some(0), Some(1), Some(3))
    );
    assert_eq!(
        asset.trend, None,
        "the panel's level change is not this cell's"
    );
    let index = page.overall.index_trend.as_ref().expect("a panel trend");
    assert!(!index.whole);
    check(
        &lines(&page.summary),
        "
        Standing: Index 51.1 over 3 operators; 2 of 6 operator domains are at target.
        Fund first: OT training in Cambodia (electric power, 1 operator: 3 priority points for $20k), Asset inventory in Cambodia (electric power, 1 operator: 4 priority points for $50k) and OT monitoring in Cambodia (electric power, 2 operators: 9 priority points for $240k).
        Largest gaps: Situational awareness (SITUATION: 1 of 3 operators at target, median level 1 against target 3) and Assets (ASSET: 1 of 3 operators at target, median level 1 against target 2).
        What changed: Among the 1 of 3 operators assessed twice, the index went from 40 to 53.3 (+13.3). Over those operators: most improved domain Assets (weakest level 0 → 1, implementation +40 points).
        ",
    );
    let chart = page.trend_chart.expect("implementation between rounds");
    assert!(chart.svg.contains("ASSET 20 → 60 (+40.0)"), "{}", chart.svg);
}

#[test]
fn an_operator_page_compares_with_its_sector_peers_and_its_previous_round() {
    let page = with_context(joined_and_left(), None, |ctx| {
        let history = ctx.portfolio.operator("KH", "power", "kh-a").expect("kh-a");
        operator_page(ctx, history, None)
    });
    let asset = &page.domains[0];
    // Peers kh-b (0.0) and kh-c (1.0); the previous round 0.2.
    assert_eq!(asset.peer_implementation, Some(0.5));
    assert_eq!(asset.previous_implementation, Some(0.2));
    check(
        &lines(&page.summary_points),
        "
        Standing: Index 53.3; 0 of 2 domains at target; below target: ASSET and SITUATION.
        Fix first: SITUATION-2a (Situational awareness, level 2, addressed by OT monitoring) — the only gap practice.
        What changed: Since 15 January 2025 the index went from 40 to 53.3 (+13.3). Most improved: Assets.
        Against sector peers: Ahead of the mean of the 2 other electric power operators in 1 of 2 domains.
        ",
    );
    assert!(page.radar.svg.contains("Previous round (15 January 2025)"));
    assert!(page.peers_chart.is_some());
}

#[test]
fn a_country_page_lists_its_own_operators_with_their_pages() {
    let mut scores = joined_and_left();
    scores.push(
        operator("FJ power fj-a 2026-03-01")
            .domain("ASSET", 1, 0.5)
            .domain("SITUATION", 1, 0.5)
            .build(),
    );
    let (page, fiji) = with_context(scores, None, |ctx| {
        (
            country_page(ctx, "KH").expect("KH has a page"),
            country_page(ctx, "FJ"),
        )
    });
    let rows: Vec<(&str, &str, &str)> = page
        .operators
        .iter()
        .map(|o| {
            (
                o.page.as_str(),
                o.assessed_on.as_str(),
                o.sector_name.as_str(),
            )
        })
        .collect();
    // kh-c left after the first round but is still the country's operator; Fiji's is not.
    assert_eq!(
        rows,
        [
            ("operators/kh-a.html", "2026-01-15", "Electric power"),
            ("operators/kh-b.html", "2026-02-01", "Electric power"),
            ("operators/kh-c.html", "2025-01-20", "Electric power"),
        ]
    );
    assert!(
        page.operators
            .iter()
            .all(|o| o.cells.len() == page.domains.len())
    );
    assert!(fiji.is_some_and(|p| p.operators.len() == 1));
}

#[test]
fn an_operator_page_lists_its_gaps_by_priority() {
    let page = with_context(joined_and_left(), None, |ctx| {
        let history = ctx.portfolio.operator("KH", "power", "kh-b").expect("kh-b");
        operator_page(ctx, history, None)
    });
    let ranked = |gaps: &[GapDetail]| -> Vec<(usize, String, f64)> {
        gaps.iter()
            .map(|g| (g.rank, g.practice.clone(), g.priority))
            .collect()
    };
    let expect = vec![
        (1, "SITUATION-1a".to_owned(), 6.0),
        (2, "ASSET-1a".to_owned(), 4.0),
    ];
    assert_eq!(ranked(&page.gaps), expect);
    assert_eq!(ranked(&page.summary.top_gaps), expect);
    assert_eq!(page.summary.gap_count, 2);
    let summary = lines(&page.summary_points);
    let fix_first = summary
        .lines()
        .find(|l| l.starts_with("Fix first:"))
        .expect("a fix-first point");
    assert!(
        fix_first.find("SITUATION-1a") < fix_first.find("ASSET-1a"),
        "{fix_first}"
    );
}

#[test]
fn the_portfolio_plan_marks_the_funded_candidates_in_rank_order() {
    let page = with_context(joined_and_left(), Some(100_000.0), |ctx| {
        portfolio_page(
            ctx,
            &RunFacts {
                files_read: 4,
                excluded: Vec::new(),
                left_out: Vec::new(),
            },
        )
    });
    let rows: Vec<(usize, &str, Option<bool>, f64)> = page
        .plan
        .candidates
        .iter()
        .map(|c| (c.rank, c.intervention_name.as_str(), c.funded, c.cost_usd))
        .collect();
    // $100k funds the two best by benefit per dollar; monitoring ($240k) is listed unfunded.
    assert_eq!(
        rows,
        [
            (1, "OT training", Some(true), 20_000.0),
            (2, "Asset inventory", Some(true), 50_000.0),
            (3, "OT monitoring", Some(false), 240_000.0),
        ]
    );
    assert_eq!(page.plan.funded_count, Some(2));
    assert_eq!(page.plan.funded_cost_usd, Some(70_000.0));
    assert_eq!(page.plan.count, 3);
}
