//! Tests of the workforce sums and the training plan, on the mini model with two
//! roles and hand-computed expectations.

use super::*;
use crate::aggregate::aggregate;
use crate::aggregate::fixture::operator;
use crate::load::{Region, load_model};
use crate::programmes::tests::programme_in;
use crate::questionnaire::Staffing;
use crate::score::QuestionnaireScore;

/// The mini model plus a five-seat `course` ($8,000) and two roles: `engineer`
/// (course first, then the 10-seat `training`) and `analyst` (training only).
fn model() -> Model {
    let mini = include_str!("../../tests/fixtures/mini-model.yaml");
    let (interventions, _roles) = mini
        .split_once("\nroles:")
        .expect("the mini model has roles");
    let text = format!(
        "{interventions}\n{}",
        "  - { id: course, name: OT course, kind: training, cost_usd: 8000, seats: 5 }\n\
         roles:\n\
         \x20 - { id: engineer, name: OT engineer, training: [course, training] }\n\
         \x20 - { id: analyst, name: Analyst, description: Watches, training: [training] }\n"
    );
    load_model("mini-model.yaml", text.into_bytes()).expect("the test model is valid")
}

/// A score from `"CC sector id date"` with roles written `"role staff needed [in_training]"`.
fn op(key: &str, roles: &[&str]) -> QuestionnaireScore {
    let mut score = operator(key).build();
    score.workforce = roles
        .iter()
        .map(|r| {
            let p: Vec<&str> = r.split_whitespace().collect();
            Staffing {
                role: p[0].to_owned(),
                staff: p[1].parse().unwrap(),
                needed: p[2].parse().unwrap(),
                in_training: p.get(3).map_or(0, |n| n.parse().unwrap()),
            }
        })
        .collect();
    score
}

fn regions() -> Vec<Region> {
    vec![Region {
        id: "asean".into(),
        name: crate::text::Text::plain("ASEAN"),
        description: crate::text::Text::default(),
        countries: vec!["KH".into(), "LA".into()],
    }]
}

fn scope_name(scope: &Scope) -> String {
    match scope {
        Scope::CountrySector { country, sector } => format!("{country}/{sector}"),
        Scope::Country { country } => country.clone(),
        Scope::Sector { sector } => format!("*/{sector}"),
        Scope::Region { region, .. } => region.clone(),
        Scope::Portfolio => "portfolio".into(),
    }
}

/// Renders every aggregate's sums and every plan line, one per line.
fn check(scores: Vec<QuestionnaireScore>, programmes: &[Programme], expect: &str) {
    let model = model();
    let portfolio = aggregate(&model, &regions(), scores);
    let workforce = workforce(&model, &portfolio, programmes);
    let mut got = String::new();
    for a in &workforce.aggregates {
        got.push_str(&format!(
            "{} {}/{}:",
            scope_name(&a.scope),
            a.reporting,
            a.operators
        ));
        for r in &a.roles {
            got.push_str(&format!(
                " {}[{}] {}/{}/{} short {}",
                r.role, r.operators, r.staff, r.needed, r.in_training, r.shortfall
            ));
        }
        got.push('\n');
    }
    for l in &workforce.training_plan {
        got.push_str(&format!(
            "plan {} {} ops {} short {}-{}={} via {} ({}) x{} seats {} cost {} [{}]\n",
            scope_name(&l.scope),
            l.role,
            l.operators,
            l.shortfall_before_programmes,
            l.programme_trainees,
            l.shortfall,
            l.intervention,
            l.interventions.join(","),
            l.deliveries,
            l.seats,
            l.cost_usd,
            l.programmes.join(",")
        ));
    }
    let want: String = expect
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(|l| format!("{l}\n"))
        .collect();
    assert_eq!(got, want, "\n--- got ---\n{got}");
}

fn batch() -> Vec<QuestionnaireScore> {
    vec![
        op(
            "KH power kh-a 2026-01-10",
            &["engineer 1 4", "analyst 0 3 1"],
        ),
        op("KH power kh-b 2026-02-01", &["engineer 5 2"]),
        op("KH rail kh-r 2026-03-01", &["engineer 0 9"]),
        op("LA power la-a 2026-01-05", &["engineer 0 4"]),
        op("LA power la-b 2026-01-06", &[]),
    ]
}

#[test]
fn shortfalls_are_summed_per_operator_and_planned_per_country_region_and_portfolio() {
    // kh-a: engineer 4-1 = 3, analyst 3-0-1 = 2; kh-b has a surplus (0, which never
    // offsets kh-a); kh-r 9; la-a 4; la-b reported nothing.
    check(
        batch(),
        &[],
        "
        KH/power 2/2: engineer[2] 6/6/0 short 3 analyst[1] 0/3/1 short 2
        KH/rail 1/1: engineer[1] 0/9/0 short 9
        LA/power 1/2: engineer[1] 0/4/0 short 4
        KH 3/3: engineer[3] 6/15/0 short 12 analyst[1] 0/3/1 short 2
        LA 1/2: engineer[1] 0/4/0 short 4
        asean 4/5: engineer[4] 6/19/0 short 16 analyst[1] 0/3/1 short 2
        */power 3/4: engineer[3] 6/10/0 short 7 analyst[1] 0/3/1 short 2
        */rail 1/1: engineer[1] 0/9/0 short 9
        portfolio 4/5: engineer[4] 6/19/0 short 16 analyst[1] 0/3/1 short 2
        plan KH engineer ops 3 short 12-0=12 via course (course,training) x3 seats 5 cost 24000 []
        plan KH analyst ops 1 short 2-0=2 via training (training) x1 seats 10 cost 20000 []
        plan LA engineer ops 1 short 4-0=4 via course (course,training) x1 seats 5 cost 8000 []
        plan asean engineer ops 4 short 16-0=16 via course (course,training) x4 seats 5 cost 32000 []
        plan asean analyst ops 1 short 2-0=2 via training (training) x1 seats 10 cost 20000 []
        plan portfolio engineer ops 4 short 16-0=16 via course (course,training) x4 seats 5 cost 32000 []
        plan portfolio analyst ops 1 short 2-0=2 via training (training) x1 seats 10 cost 20000 []
        ",
    );
}

#[test]
fn programme_trainees_reduce_the_shortfall_of_the_operators_they_cover() {
    // p1 (funded) trains 2 engineers for every KH power operator: kh-a's 3 → 1.
    // p2 (planned) trains 12 on `training` at kh-r: engineer first (9 → 0), the
    // rest is not carried elsewhere (kh-r reported no analysts).
    // p3 was delivered before la-a's round: already in its numbers, not counted.
    // p4 covers a KH power operator the run does not have: nothing.
    let mut p1 = programme_in(
        &model(),
        "p1 Japan funded 2025-04-01 2027-03-31",
        &["KH power course"],
    );
    p1.covers[0].trainees = Some(2);
    let mut p2 = programme_in(
        &model(),
        "p2 EU planned 2026-04-01 2027-03-31",
        &["KH rail training kh-r"],
    );
    p2.covers[0].trainees = Some(12);
    let mut p3 = programme_in(
        &model(),
        "p3 EU delivered 2025-01-01 2025-12-31",
        &["LA power course"],
    );
    p3.covers[0].trainees = Some(4);
    let mut p4 = programme_in(
        &model(),
        "p4 EU funded 2025-01-01 2027-12-31",
        &["KH power course kh-z"],
    );
    p4.covers[0].trainees = Some(5);
    check(
        batch(),
        &[p4, p3, p2, p1],
        "
        KH/power 2/2: engineer[2] 6/6/0 short 3 analyst[1] 0/3/1 short 2
        KH/rail 1/1: engineer[1] 0/9/0 short 9
        LA/power 1/2: engineer[1] 0/4/0 short 4
        KH 3/3: engineer[3] 6/15/0 short 12 analyst[1] 0/3/1 short 2
        LA 1/2: engineer[1] 0/4/0 short 4
        asean 4/5: engineer[4] 6/19/0 short 16 analyst[1] 0/3/1 short 2
        */power 3/4: engineer[3] 6/10/0 short 7 analyst[1] 0/3/1 short 2
        */rail 1/1: engineer[1] 0/9/0 short 9
        portfolio 4/5: engineer[4] 6/19/0 short 16 analyst[1] 0/3/1 short 2
        plan KH engineer ops 3 short 12-11=1 via course (course,training) x1 seats 5 cost 8000 [p1,p2]
        plan KH analyst ops 1 short 2-0=2 via training (training) x1 seats 10 cost 20000 []
        plan LA engineer ops 1 short 4-0=4 via course (course,training) x1 seats 5 cost 8000 []
        plan asean engineer ops 4 short 16-11=5 via course (course,training) x1 seats 5 cost 8000 [p1,p2]
        plan asean analyst ops 1 short 2-0=2 via training (training) x1 seats 10 cost 20000 []
        plan portfolio engineer ops 4 short 16-11=5 via course (course,training) x1 seats 5 cost 8000 [p1,p2]
        plan portfolio analyst ops 1 short 2-0=2 via training (training) x1 seats 10 cost 20000 []
        ",
    );
}

#[test]
fn a_role_without_shortfall_has_no_plan_line_and_no_workforce_means_nothing_reported() {
    check(
        vec![
            op(
                "KH power kh-a 2026-01-10",
                &["engineer 2 2", "analyst 1 3 2"],
            ),
            op("KH power kh-b 2026-01-11", &[]),
        ],
        &[],
        "
        KH/power 1/2: engineer[1] 2/2/0 short 0 analyst[1] 1/3/2 short 0
        KH 1/2: engineer[1] 2/2/0 short 0 analyst[1] 1/3/2 short 0
        asean 1/2: engineer[1] 2/2/0 short 0 analyst[1] 1/3/2 short 0
        */power 1/2: engineer[1] 2/2/0 short 0 analyst[1] 1/3/2 short 0
        portfolio 1/2: engineer[1] 2/2/0 short 0 analyst[1] 1/3/2 short 0
        ",
    );
    let model = model();
    let empty = workforce(
        &model,
        &aggregate(
            &model,
            &regions(),
            vec![op("KH power kh-b 2026-01-11", &[])],
        ),
        &[],
    );
    assert!(!empty.is_reported());
    assert!(empty.training_plan.is_empty());
}

#[test]
fn only_current_rounds_count() {
    check(
        vec![
            op("KH power kh-a 2025-01-10", &["engineer 0 10"]),
            op("KH power kh-a 2026-01-10", &["engineer 3 4"]),
        ],
        &[],
        "
        KH/power 1/1: engineer[1] 3/4/0 short 1
        KH 1/1: engineer[1] 3/4/0 short 1
        asean 1/1: engineer[1] 3/4/0 short 1
        */power 1/1: engineer[1] 3/4/0 short 1
        portfolio 1/1: engineer[1] 3/4/0 short 1
        plan KH engineer ops 1 short 1-0=1 via course (course,training) x1 seats 5 cost 8000 []
        plan asean engineer ops 1 short 1-0=1 via course (course,training) x1 seats 5 cost 8000 []
        plan portfolio engineer ops 1 short 1-0=1 via course (course,training) x1 seats 5 cost 8000 []
        ",
    );
}
