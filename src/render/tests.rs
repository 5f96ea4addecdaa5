//! Rendering tests: each page kind from a hand-built view model, checked for the
//! structure every page must have (CSP, TLP, no script, no network reference),
//! for escaping, and for the theme's override and export rules.

use std::fs;

use super::*;
use crate::i18n::Lang;
use crate::model::Model;
use crate::questionnaire::{Response, Tlp};
use crate::report::country::*;
use crate::report::operator::*;
use crate::report::paths::*;
use crate::report::portfolio::*;
use crate::report::view::*;

const XSS: &str = "<script>alert(1)</script>";
const ATTR_XSS: &str = "\"><img src=x onerror=alert(1)>";
const XSS_ESCAPED: &str = "&lt;script&gt;alert(1)&lt;/script&gt;";
const ATTR_XSS_ESCAPED: &str = "&quot;&gt;&lt;img src&#x3D;x onerror&#x3D;alert(1)&gt;";
const CSP: &str = r#"<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'">"#;

fn model() -> Model {
    let text = include_str!("../../tests/fixtures/mini-model.yaml");
    crate::load::load_model("mini-model.yaml", text.as_bytes().to_vec())
        .expect("the test model is valid")
}

fn placeholder_chart(title: &str) -> Chart {
    Chart {
        title: title.to_owned(),
        svg: format!(
            r##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 400 300" role="img"><title>{title}</title><rect x="1" y="1" width="398" height="298" fill="#f5f7f9" stroke="#c5ccd5"/><circle cx="200" cy="150" r="110" fill="none" stroke="#2d5f8b" stroke-width="2"/><circle cx="200" cy="150" r="70" fill="none" stroke="#7fa6cb" stroke-dasharray="4 3"/><text x="200" y="155" text-anchor="middle" font-size="14" fill="#5d6b7a">chart placeholder</text></svg>"##
        ),
    }
}

fn meta(title: &str, tlp: Tlp, files: usize, anonymised: bool) -> PageMeta {
    let model = model();
    PageMeta {
        lang: "en".into(),
        title: title.into(),
        tlp: TlpBanner::new(tlp),
        model: ModelLegend::new(&model, "en"),
        provenance: Provenance::new(
            model.reference(),
            "2026-10-02".into(),
            (0..files)
                .map(|i| format!("questionnaires/kh/round-2026/operator-{i:02}.yaml"))
                .collect(),
            anonymised,
        ),
        notices: Vec::new(),
    }
}

const DOMAINS: [(&str, &str); 11] = [
    ("ASSET", "Asset, Change, and Configuration Management"),
    ("THREAT", "Threat and Vulnerability Management"),
    ("RISK", "Risk Management"),
    ("ACCESS", "Identity and Access Management"),
    ("SITUATION", "Situational Awareness"),
    (
        "RESPONSE",
        "Event and Incident Response, Continuity of Operations",
    ),
    ("THIRD-PARTIES", "Third-Party Risk Management"),
    ("WORKFORCE", "Workforce Management"),
    ("ARCHITECTURE", "Cybersecurity Architecture"),
    ("PROGRAM", "Cybersecurity Program Management"),
    ("OT-NETWORK", "OT Network Segmentation and Remote Access"),
];

/// A deterministic sequence for varied sample numbers.
fn wobble(seed: usize) -> usize {
    (seed.wrapping_mul(2_654_435_761) >> 7) % 97
}

fn domain_columns() -> Vec<DomainColumn> {
    DOMAINS
        .iter()
        .map(|(id, name)| DomainColumn {
            id: (*id).into(),
            name: (*name).into(),
        })
        .collect()
}

fn level_cell(seed: usize, target: u32) -> LevelCell {
    let level = (wobble(seed) % 4) as u32;
    LevelCell {
        level: Some(level),
        target: Some(target),
        gap: Some(target.saturating_sub(level)),
        implementation: Some(0.2 + (wobble(seed + 7) as f64) / 130.0),
        trend: seed
            .is_multiple_of(3)
            .then(|| TrendView::levels((wobble(seed + 1) % 3) as i64 - 1)),
        weakest: Some(level.saturating_sub(1)),
        at_target: Some(seed % 3),
        operators: Some(3),
    }
}

/// A panel trend from 40 by `delta`, over `panel` of `operators`.
fn panel_trend(delta: f64, panel: usize, operators: usize) -> PanelTrend {
    PanelTrend {
        trend: TrendView::new(delta, 1),
        previous: 40.0,
        current: 40.0 + delta,
        panel,
        operators,
        whole: panel == operators,
    }
}

fn interventions(seed: usize) -> Vec<InterventionRef> {
    let all = [
        (
            "ot-asset-inventory",
            "OT asset inventory programme",
            "tooling",
            60_000.0,
        ),
        (
            "ir-tabletop",
            "Incident response tabletop exercise",
            "exercise",
            25_000.0,
        ),
        (
            "ot-monitoring",
            "OT network monitoring (passive sensors)",
            "tooling",
            180_000.0,
        ),
        (
            "ciso-advisory",
            "CISO advisory and governance support",
            "advisory",
            90_000.0,
        ),
        (
            "ot-training",
            "OT security training for engineers",
            "training",
            35_000.0,
        ),
    ];
    (0..1 + seed % 2)
        .map(|k| {
            let (id, name, kind, cost) = all[(seed + k * 2) % all.len()];
            InterventionRef {
                id: id.into(),
                name: name.into(),
                kind: kind.into(),
                cost_usd: cost,
            }
        })
        .collect()
}

pub(super) fn sample_operator() -> OperatorPage {
    let mut meta = meta(
        "Électricité du Cambodge — operator assessment",
        Tlp::Amber,
        2,
        false,
    );
    let legend = meta.model.clone();
    let marks = ["fully", "largely", "partially", "not", "na", "unanswered"];
    let mark = |id: &str| {
        legend
            .responses
            .iter()
            .find(|m| m.id == id)
            .cloned()
            .expect("a response of the legend")
    };
    let mut domains = Vec::new();
    let mut grid = Vec::new();
    let mut answers = Vec::new();
    let mut gaps = Vec::new();
    for (d, (id, name)) in DOMAINS.iter().enumerate() {
        let target = if matches!(*id, "SITUATION" | "RESPONSE") {
            3
        } else {
            2
        };
        let level = (wobble(d) % 4) as u32;
        domains.push(OperatorDomain {
            id: (*id).into(),
            name: (*name).into(),
            level: Some(level),
            target,
            gap: Some(target.saturating_sub(level)),
            implementation: Some(0.25 + wobble(d + 3) as f64 / 140.0),
            level_trend: Some(TrendView::levels((wobble(d + 5) % 3) as i64 - 1)),
            implementation_trend: Some(TrendView::new(wobble(d + 9) as f64 / 4.0 - 10.0, 1)),
            gap_count: wobble(d) % 4,
            peer_implementation: Some(0.4),
            previous_implementation: (d % 2 == 0).then_some(0.3),
        });
        let mut levels = Vec::new();
        let mut rows = Vec::new();
        for level in 1..=3u32 {
            let mut cells = Vec::new();
            for p in 0..(2 + wobble(d * 3 + level as usize) % 4) {
                let practice = format!("{id}-{level}{}", char::from(b'a' + p as u8));
                let response = mark(marks[wobble(d * 11 + p + level as usize) % marks.len()]);
                rows.push(AnswerRow {
                    practice: practice.clone(),
                    level,
                    question: format!("Is the {} practice {level}{} performed and documented for OT systems?", name.to_lowercase(), p + 1),
                    response: response.clone(),
                    note: (p % 2 == 0).then(|| {
                        "Substation OT assets at the northern grid are not yet covered; the register is kept in a spreadsheet maintained by one engineer, last reviewed before the 2025 rehabilitation works.".to_owned()
                    }),
                    evidence: if response.achieves { vec!["Asset register v3 (2025)".into(), "Interview with the SCADA team lead".into()] } else { Vec::new() },
                });
                cells.push(GridCell { practice, response });
            }
            levels.push(GridLevel { level, cells });
        }
        grid.push(GridDomain {
            id: (*id).into(),
            name: (*name).into(),
            levels,
        });
        answers.push(AnswerDomain {
            id: (*id).into(),
            name: (*name).into(),
            answers: rows,
        });
    }
    for rank in 1..=20 {
        let d = wobble(rank) % DOMAINS.len();
        let level = 1 + (rank % 3) as u32;
        gaps.push(GapDetail {
            rank,
            practice: format!("{}-{level}{}", DOMAINS[d].0, char::from(b'a' + (rank % 4) as u8)),
            domain_id: DOMAINS[d].0.into(),
            domain_name: DOMAINS[d].1.into(),
            level,
            response: mark(if rank % 3 == 0 { "not" } else { "partially" }),
            priority: 6.0 - rank as f64 * 0.25,
            question: "Are the IT and OT assets that the essential service depends on inventoried, with an owner for each?".into(),
            guidance: if rank % 4 == 0 {
                String::new()
            } else {
                "A Fully answer shows a register covering control centres and substations, updated after each change, with owners named; ask for the register and its change log.".into()
            },
            refs: vec!["CSF 2.0 ID.AM-01".into(), "C2M2 ASSET-1a".into(), "IEC 62443-2-1".into()],
            interventions: interventions(rank),
            body: String::new(),
        });
    }
    meta.notices
        .push("1 questionnaire above TLP:AMBER left out".into());
    OperatorPage {
        meta,
        summary_points: vec![SummaryPoint {
            heading: "Fix first".into(),
            text: format!("ASSET-1a {XSS} — the highest-priority of 12 gap practices."),
        }],
        levels_chart: placeholder_chart("Level per domain against target"),
        peers_chart: Some(placeholder_chart("Against sector peers")),
        practices_chart: placeholder_chart("Practices by level and response"),
        operator: OperatorHeader {
            name: "Électricité du Cambodge".into(),
            id: "kh-edc".into(),
            country_code: "KH".into(),
            country_name: "Cambodia".into(),
            country_page: country_page_path("KH"),
            sector_name: "Electric power".into(),
            assessed_on: "2026-09-14".into(),
            previous_assessed_on: Some("2025-09-10".into()),
            assessor: Some("Regional CERT assessment team".into()),
        },
        summary: OperatorSummary {
            index: Some(58.43),
            index_trend: Some(TrendView::new(4.2, 1)),
            targets_met: 4,
            domains_scored: 11,
            gap_count: gaps.len(),
            evidence: EvidenceShare {
                achieving: 41,
                with_evidence: 29,
                share: Some(29.0 / 41.0),
            },
            top_gaps: gaps[..5].to_vec(),
        },
        domains,
        radar: placeholder_chart("Level and target per domain"),
        grid,
        gaps,
        answers,
        notes_shown: true,
        people: None,
    }
}

fn candidate(rank: usize, code: &str, name: &str, funded: Option<bool>) -> CandidateRow {
    let intervention = &interventions(rank)[0];
    let benefit = 40.0 - rank as f64 * 1.7;
    let cost = intervention.cost_usd * (1 + rank % 3) as f64;
    CandidateRow {
        rank,
        country_code: code.into(),
        country_name: name.into(),
        country_page: country_page_path(code),
        sector_name: if rank.is_multiple_of(4) {
            "Rail".into()
        } else {
            "Electric power".into()
        },
        intervention_id: intervention.id.clone(),
        intervention_name: intervention.name.clone(),
        kind: intervention.kind.clone(),
        operators: 1 + rank % 3,
        gap_practices: 3 + rank % 5,
        benefit,
        cost_usd: cost,
        benefit_per_100k_usd: benefit / cost * 100_000.0,
        funded,
    }
}

fn change(scope: &str, page: Option<String>, d: usize, delta: i64) -> DomainChangeRow {
    DomainChangeRow {
        scope: scope.into(),
        scope_page: page,
        domain_id: DOMAINS[d].0.into(),
        domain_name: DOMAINS[d].1.into(),
        level_before: Some((2 - delta).max(0) as u32),
        level_now: Some(2),
        level_trend: Some(TrendView::levels(delta)),
        implementation_trend: Some(TrendView::new(delta as f64 * 8.5, 1)),
        panel: Some(1),
        operators: Some(3),
    }
}

pub(super) fn sample_country() -> CountryPage {
    let operators = [
        ("Électricité du Cambodge", "kh-edc", "Electric power"),
        ("Phnom Penh Distribution Co.", "kh-ppdc", "Electric power"),
        ("Royal Railway of Cambodia", "kh-royal-railway", "Rail"),
    ];
    let aggregate = |label: &str, seed: usize, count: usize| AggregateRow {
        label: label.into(),
        operators: count,
        index: Some(45.0 + seed as f64 * 3.3),
        index_trend: Some(panel_trend(seed as f64 - 1.5, 1, count)),
        targets_met: 3 + seed,
        domains_scored: 11,
        at_target: 5 + seed,
        operator_domains: 11 * count,
        cells: (0..DOMAINS.len())
            .map(|d| level_cell(seed * 13 + d, 2))
            .collect(),
    };
    CountryPage {
        meta: meta("Cambodia — country profile", Tlp::Amber, 5, false),
        country: CountryHeader {
            code: "KH".into(),
            name: "Cambodia".into(),
            regions: vec!["ASEAN".into(), "Mekong subregion".into()],
        },
        domains: domain_columns(),
        overall: aggregate("All sectors", 0, 3),
        sectors: vec![aggregate("Electric power", 1, 2), aggregate("Rail", 2, 1)],
        operators: operators
            .iter()
            .enumerate()
            .map(|(o, (name, id, sector))| OperatorRow {
                name: (*name).into(),
                page: operator_page_path(id),
                sector_name: (*sector).into(),
                assessed_on: format!("2026-09-{:02}", 10 + o),
                index: Some(40.0 + o as f64 * 9.7),
                index_trend: (o != 1).then(|| TrendView::new(3.5 - o as f64 * 4.0, 1)),
                targets_met: 2 + o * 2,
                domains_scored: 11,
                cells: (0..DOMAINS.len())
                    .map(|d| level_cell(o * 29 + d, 2))
                    .collect(),
            })
            .collect(),
        summary: vec![SummaryPoint {
            heading: "Largest gaps".into(),
            text: format!("Situational Awareness {XSS}: 0 of 3 operators at target."),
        }],
        standings: [4, 6, 10]
            .iter()
            .map(|&d| DomainStanding {
                id: DOMAINS[d].0.into(),
                name: DOMAINS[d].1.into(),
                at_target: d % 2,
                operators: 3,
                median: Some(1),
                weakest: Some(0),
                target: if d == 4 { 3 } else { 2 },
                implementation: Some(0.18 + d as f64 / 100.0),
            })
            .collect(),
        practices_chart: placeholder_chart("Practices by response"),
        trend_chart: Some(placeholder_chart("Implementation between rounds")),
        trend: Some(CountryTrend {
            previous_on: "2025-09-12".into(),
            improved: vec![
                change(
                    "Électricité du Cambodge",
                    Some(operator_page_path("kh-edc")),
                    0,
                    1,
                ),
                change("Rail", None, 7, 1),
            ],
            worsened: vec![change(
                "Phnom Penh Distribution Co.",
                Some(operator_page_path("kh-ppdc")),
                4,
                -1,
            )],
        }),
        plan: CandidateTable {
            candidates: (1..=6)
                .map(|r| candidate(r * 2, "KH", "Cambodia", Some(r < 4)))
                .collect(),
            budget_usd: Some(1_500_000.0),
            count: 9,
        },
        chart: Some(placeholder_chart("Cambodia: level and target per domain")),
        programmes: None,
        people: None,
    }
}

pub(super) fn sample_portfolio() -> PortfolioPage {
    let countries = [
        ("BD", "Bangladesh"),
        ("KH", "Cambodia"),
        ("FJ", "Fiji"),
        ("GH", "Ghana"),
        ("ID", "Indonesia"),
        ("KE", "Kenya"),
        ("LA", "Lao People's Democratic Republic"),
        ("NP", "Nepal"),
        ("PG", "Papua New Guinea"),
        ("PH", "Philippines"),
        ("SN", "Senegal"),
        ("VN", "Viet Nam"),
    ];
    let rows: Vec<CountryRow> = countries
        .iter()
        .enumerate()
        .map(|(c, (code, name))| CountryRow {
            code: (*code).into(),
            name: (*name).into(),
            page: country_page_path(code),
            index: Some(30.0 + wobble(c) as f64 / 2.0),
            index_trend: (c % 2 == 0)
                .then(|| panel_trend(wobble(c + 4) as f64 / 10.0 - 4.0, 1 + c % 2, 2)),
            targets_met: wobble(c) % 8,
            domains_scored: 11,
            at_target: wobble(c) % 20,
            operator_domains: 33,
            cells: (0..DOMAINS.len())
                .map(|d| level_cell(c * 17 + d, 2))
                .collect(),
            operators: (0..1 + c % 3)
                .map(|o| OperatorLink {
                    name: format!("{name} operator {}", o + 1),
                    page: operator_page_path(&format!("{}-op-{}", code.to_lowercase(), o + 1)),
                    sector_name: if o == 2 {
                        "Rail".into()
                    } else {
                        "Electric power".into()
                    },
                })
                .collect(),
        })
        .collect();
    let candidates: Vec<CandidateRow> = (1..=15)
        .map(|r| {
            let (code, name) = countries[wobble(r) % countries.len()];
            candidate(r, code, name, Some(r <= 9 && r != 7))
        })
        .collect();
    let mut meta = meta(
        "Critical infrastructure cyber capacity — portfolio 2026",
        Tlp::Green,
        31,
        false,
    );
    meta.notices
        .push("3 questionnaires above TLP:GREEN left out".into());
    PortfolioPage {
        meta,
        totals: PortfolioTotals {
            countries: rows.len(),
            operators: 24,
            sectors: vec!["Electric power".into(), "Rail".into()],
            index: Some(47.3),
            targets_met: 98,
            domains_scored: 264,
        },
        domains: domain_columns(),
        heatmap: placeholder_chart("Level against target, countries × domains"),
        furthest_below: [6, 8, 2, 0]
            .iter()
            .map(|&c| CountryGap {
                code: countries[c].0.into(),
                name: countries[c].1.into(),
                page: country_page_path(countries[c].0),
                at_target: c,
                operator_domains: 22,
                share_at_target: c as f64 / 22.0,
                median_gap: 14 - c as u32,
                index: Some(22.0 + c as f64 * 2.5),
            })
            .collect(),
        improved: vec![
            change("Cambodia", Some(country_page_path("KH")), 0, 1),
            change("Kenya", Some(country_page_path("KE")), 5, 1),
        ],
        worsened: vec![change("Fiji", Some(country_page_path("FJ")), 4, -1)],
        groups: vec![
            GroupRow {
                name: "ASEAN".into(),
                countries: 5,
                operators: 11,
                index: Some(49.2),
                index_trend: Some(panel_trend(3.4, 4, 11)),
                at_target: 47,
                operator_domains: 121,
                weakest_domain: Some("Situational Awareness".into()),
            },
            GroupRow {
                name: "Sector: Rail".into(),
                countries: 3,
                operators: 6,
                index: None,
                index_trend: None,
                at_target: 0,
                operator_domains: 0,
                weakest_domain: None,
            },
        ],
        groups_chart: placeholder_chart("Index by region and by sector"),
        summary: vec![
            SummaryPoint {
                heading: "Fund first".into(),
                text: format!("OT asset inventory in Cambodia {XSS}."),
            },
            SummaryPoint {
                heading: "What changed".into(),
                text:
                    "Among 4 of 24 operators assessed twice, the index went from 40 to 43.4 (+3.4)."
                        .into(),
            },
        ],
        standings: vec![DomainStanding {
            id: "SITUATION".into(),
            name: "Situational Awareness".into(),
            at_target: 2,
            operators: 24,
            median: Some(1),
            weakest: Some(0),
            target: 3,
            implementation: Some(0.41),
        }],
        standings_chart: placeholder_chart("Operators at target per domain"),
        practices_chart: placeholder_chart("Practices by response"),
        trend_chart: Some(placeholder_chart("Index between rounds")),
        index_trend: Some(panel_trend(3.4, 4, 24)),
        package: PackageView {
            funded: true,
            by_country: vec![PackageRow {
                label: "Cambodia".into(),
                candidates: 3,
                cost_usd: 45_500.0,
                benefit: 21.5,
                share_of_total: 0.12,
            }],
            by_kind: vec![PackageRow {
                label: "training".into(),
                candidates: 3,
                cost_usd: 45_500.0,
                benefit: 21.5,
                share_of_total: 0.12,
            }],
            chart: Some(placeholder_chart("The funded package")),
        },
        countries: rows,
        plan: PlanView {
            budget_usd: Some(2_000_000.0),
            funded_cost_usd: Some(1_865_000.0),
            funded_count: Some(8),
            total_cost_usd: candidates.iter().map(|c| c.cost_usd).sum(),
            total_benefit: candidates.iter().map(|c| c.benefit).sum(),
            funded_benefit: 120.5,
            funded_share: 0.4,
            count: candidates.len(),
            candidates,
            chart: Some(placeholder_chart("Benefit against cost per candidate")),
        },
        coordination: None,
        people: None,
        run: RunSummary {
            files_read: 36,
            questionnaires_used: 31,
            left_out: vec!["3 questionnaires above TLP:GREEN left out".into()],
            excluded: vec![ExcludedFile {
                path: "questionnaires/fj/fiji-rail-2026.yaml".into(),
                error: "answers.ASSET-9z: unknown practice (did you mean ASSET-1a?)".into(),
            }],
        },
    }
}

/// What every page must have, whatever its kind.
fn assert_page_structure(html: &str, tlp: &str) {
    assert!(html.starts_with("<!DOCTYPE html>"), "doctype");
    assert!(html.contains(r#"<html lang="en">"#), "lang");
    assert!(html.contains(CSP), "csp");
    assert!(
        html.contains(r#"<meta name="referrer" content="no-referrer">"#),
        "referrer"
    );
    assert!(html.contains(&format!(">{tlp}</span>")), "tlp label");
    assert!(html.contains(r#"class="running-header""#), "running header");
    assert!(html.contains(r#"id="method""#), "method section");
    assert!(html.contains(r#"class="provenance""#), "provenance");
    assert!(html.contains("<style>"), "inline css");
    let lower = html.to_ascii_lowercase();
    assert!(!lower.contains("<script"), "no script");
    assert!(!lower.contains("<link"), "no link element");
    assert!(
        !lower.contains("@import") && !lower.contains("url("),
        "no css fetch"
    );
    // The only URL allowed is the SVG namespace, which is a name, not a fetch.
    let without_namespace = lower.replace(r#"xmlns="http://www.w3.org/2000/svg""#, "");
    assert!(
        !without_namespace.contains("http://") && !without_namespace.contains("https://"),
        "no network reference"
    );
    assert!(!without_namespace.contains("src="), "no external source");
    assert!(!html.contains("{{"), "no unrendered template syntax");
}

#[test]
fn operator_page_has_every_section() {
    let theme = Theme::builtin().unwrap();
    let html = render_operator(&theme, &sample_operator()).unwrap();
    assert_page_structure(&html, "TLP:AMBER");
    for needle in [
        r#"id="summary""#,
        r#"id="profile""#,
        r#"id="grid""#,
        r#"id="gaps""#,
        r#"id="answers""#,
        "58.4",
        "4<small> / 11</small>",
        "71%", // evidence coverage 29/41
        "▲&#8202;+4.2",
        r#"href="../countries/KH.html""#,
        r#"href="../index.html""#,
        "1 questionnaire above TLP:AMBER left out",
        "chart placeholder",
        "Note and evidence",
        "Asset register v3 (2025)",
        "Assessor: Regional CERT assessment team",
    ] {
        assert!(html.contains(needle), "missing {needle}");
    }
    assert_eq!(html.matches(r#"<li class="gap-card">"#).count(), 20);
    let summary =
        &html[html.find(r#"id="summary""#).unwrap()..html.find(r#"id="profile""#).unwrap()];
    assert_eq!(
        summary.matches(r#"<span class="rank">"#).count(),
        5,
        "five gaps to fix first"
    );
}

#[test]
fn anonymised_operator_page_has_no_notes_or_files() {
    let theme = Theme::builtin().unwrap();
    let mut page = sample_operator();
    page.notes_shown = false;
    page.operator.assessor = None;
    for domain in &mut page.answers {
        for answer in &mut domain.answers {
            answer.note = None;
            answer.evidence.clear();
        }
    }
    page.meta.provenance = Provenance::new(
        "mini@1.2.0".into(),
        "2026-10-02".into(),
        vec!["kh/edc.yaml".into()],
        true,
    );
    let html = render_operator(&theme, &page).unwrap();
    assert_page_structure(&html, "TLP:AMBER");
    assert!(html.contains("notes and the evidence cited are left out"));
    assert!(!html.contains("Note and evidence"));
    assert!(!html.contains("Assessor:"));
    assert!(!html.contains("kh/edc.yaml"));
    assert!(html.contains("1 input file (name withheld)"));
}

#[test]
fn country_page_has_every_section() {
    let theme = Theme::builtin().unwrap();
    let html = render_country(&theme, &sample_country()).unwrap();
    assert_page_structure(&html, "TLP:AMBER");
    for needle in [
        r#"id="operators""#,
        r#"id="trend""#,
        r#"id="aid""#,
        r#"href="../operators/kh-edc.html""#,
        r#"href="../operators/kh-royal-railway.html""#,
        r#"href="../index.html""#,
        "Domains by operators at target",
        r#"id="gaps""#,
        r#"class="decision""#,
        r#"class="cover""#,
        "0 of 3",
        "ASEAN, Mekong subregion",
        "✔ funded",
        "3 operators",
    ] {
        assert!(html.contains(needle), "missing {needle}");
    }
}

#[test]
fn portfolio_page_has_every_section() {
    let theme = Theme::builtin().unwrap();
    let page = sample_portfolio();
    let html = render_portfolio(&theme, &page).unwrap();
    assert_page_structure(&html, "TLP:GREEN");
    for needle in [
        r#"id="heatmap""#,
        r#"id="regions""#,
        r#"id="plan""#,
        r#"id="run""#,
        r#"href="countries/KH.html""#,
        r#"href="operators/kh-op-1.html""#,
        "3 questionnaires above TLP:GREEN left out",
        "questionnaires/fj/fiji-rail-2026.yaml",
        "Lao People&#x27;s Democratic Republic",
        "$2M",
        // The decision comes first, the evidence after, the appendix last.
        r#"class="decision""#,
        "Fund first",
        "$45.5k",
        "among 4 of 24 operators assessed twice: 40.0 → 43.4",
        r#"id="gaps""#,
        r#"id="changes""#,
        "Sector: Rail",
    ] {
        assert!(html.contains(needle), "missing {needle}");
    }
    let at = |needle: &str| html.find(needle).unwrap_or_else(|| panic!("{needle}"));
    assert!(at(r#"class="decision""#) < at(r#"id="gaps""#));
    assert!(at(r#"id="plan""#) < at(r#"class="appendix-start""#));
    assert!(at(r#"class="appendix-start""#) < at(r#"id="directory""#));
    for country in &page.countries {
        assert!(
            html.contains(&format!(r#"href="{}""#, country.page)),
            "{}",
            country.code
        );
        for operator in &country.operators {
            assert!(
                html.contains(&format!(r#"href="{}""#, operator.page)),
                "{}",
                operator.name
            );
        }
    }
}

#[test]
fn every_text_from_inputs_is_escaped() {
    let theme = Theme::builtin().unwrap();
    let mut operator = sample_operator();
    operator.operator.name = XSS.into();
    operator.operator.assessor = Some(ATTR_XSS.into());
    operator.meta.title = ATTR_XSS.into();
    operator.domains[0].name = XSS.into();
    operator.grid[0].levels[0].cells[0].practice = ATTR_XSS.into();
    operator.gaps[0].guidance = XSS.into();
    operator.gaps[0].interventions[0].name = ATTR_XSS.into();
    // The full list prints the practice text rendered once by `practice.hbs`.
    let gap = &operator.gaps[0];
    let text = PracticeText {
        question: gap.question.clone(),
        guidance: gap.guidance.clone(),
        refs: gap.refs.clone(),
        interventions: gap.interventions.clone(),
    };
    operator.gaps[0].body = render_practice(&theme, &text).unwrap();
    operator.summary.top_gaps[0].question = XSS.into();
    operator.answers[0].answers[0].note = Some(XSS.into());
    operator.answers[0].answers[0].evidence = vec![ATTR_XSS.into()];
    operator.meta.notices = vec![XSS.into()];
    operator.meta.provenance.input_files = vec![ATTR_XSS.into()];

    let mut country = sample_country();
    country.country.name = XSS.into();
    country.domains[0].name = ATTR_XSS.into();
    country.operators[0].name = XSS.into();
    country.plan.candidates[0].intervention_name = ATTR_XSS.into();

    let mut portfolio = sample_portfolio();
    portfolio.countries[0].operators[0].name = XSS.into();
    portfolio.groups[0].name = ATTR_XSS.into();
    portfolio.run.excluded[0].error = XSS.into();
    portfolio.improved[0].domain_name = ATTR_XSS.into();

    for html in [
        render_operator(&theme, &operator).unwrap(),
        render_country(&theme, &country).unwrap(),
        render_portfolio(&theme, &portfolio).unwrap(),
    ] {
        assert!(!html.contains(XSS), "raw script tag");
        assert!(!html.contains("<img"), "raw img tag");
        assert!(!html.to_ascii_lowercase().contains("<script"), "script");
        assert!(
            html.contains(XSS_ESCAPED) || html.contains(ATTR_XSS_ESCAPED),
            "payload present, escaped"
        );
    }
    let html = render_operator(&theme, &operator).unwrap();
    assert_eq!(
        html.matches(XSS_ESCAPED).count(),
        // Seven fields set above, and the sample's summary point.
        8,
        "every script payload printed escaped"
    );
    assert!(html.contains(ATTR_XSS_ESCAPED));
}

#[test]
fn tlp_banners_use_tlp_2_0_labels() {
    for (tlp, label, class) in [
        (Tlp::Clear, "TLP:CLEAR", "clear"),
        (Tlp::Green, "TLP:GREEN", "green"),
        (Tlp::Amber, "TLP:AMBER", "amber"),
        (Tlp::AmberStrict, "TLP:AMBER+STRICT", "amber-strict"),
        (Tlp::Red, "TLP:RED", "red"),
    ] {
        let banner = TlpBanner::new(tlp);
        assert_eq!(
            (banner.label.as_str(), banner.class.as_str()),
            (label, class)
        );
    }
    let theme = Theme::builtin().unwrap();
    let mut page = sample_country();
    page.meta.tlp = TlpBanner::new(Tlp::Red);
    let html = render_country(&theme, &page).unwrap();
    assert_page_structure(&html, "TLP:RED");
    assert!(html.contains(r#"<span class="tlp tlp-red">TLP:RED</span>"#));
    assert!(theme.style().contains(".tlp-red { color: #FF2B2B; }"));
}

#[test]
fn legend_letters_are_unique_and_tones_follow_credit() {
    let legend = ModelLegend::new(&model(), "fr");
    let letters: Vec<&str> = legend.responses.iter().map(|r| r.letter.as_str()).collect();
    assert_eq!(letters, ["F", "L", "P", "N", "–", "?"]);
    let tones: Vec<&str> = legend.responses.iter().map(|r| r.tone.as_str()).collect();
    assert_eq!(
        tones,
        ["full", "largely", "partial", "none", "na", "unanswered"]
    );
    assert_eq!(legend.levels[0].name, "Initié");
    let marked = [
        Response::Scale(0),
        Response::Scale(3),
        Response::NotApplicable,
        Response::Blank,
    ]
    .map(|r| legend.mark(r).id);
    assert_eq!(marked, ["fully", "not", "na", "unanswered"]);
}

#[test]
fn trends_print_arrows_and_signed_deltas() {
    let text = |t: TrendView| format!("{} {} {}", t.arrow, t.text, t.direction);
    assert_eq!(text(TrendView::levels(1)), "▲ +1 up");
    assert_eq!(text(TrendView::levels(-2)), "▼ −2 down");
    assert_eq!(text(TrendView::levels(0)), "= 0 same");
    assert_eq!(text(TrendView::new(-0.04, 1)), "= 0.0 same");
    assert_eq!(text(TrendView::new(4.25, 1)), "▲ +4.2 up");
}

#[test]
fn a_template_typo_is_an_error_naming_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let builtin = theme::FILES
        .iter()
        .find(|(n, _)| *n == "operator.hbs")
        .unwrap()
        .1;
    let typo = builtin.replacen("{{operator.name}}", "{{operator.nmae}}", 1);
    assert_ne!(typo, builtin);
    fs::write(dir.path().join("operator.hbs"), typo).unwrap();
    let theme = Theme::load(Some(dir.path())).unwrap();
    let error = render_operator(&theme, &sample_operator())
        .unwrap_err()
        .to_string();
    let path = dir.path().join("operator.hbs").display().to_string();
    assert!(error.starts_with(&path), "{error}");
    assert!(error.contains("operator.nmae"), "{error}");

    // A typo inside a condition is caught too.
    fs::write(
        dir.path().join("operator.hbs"),
        builtin.replacen("{{#if notes_shown}}", "{{#if notes_shwon}}", 1),
    )
    .unwrap();
    let theme = Theme::load(Some(dir.path())).unwrap();
    let error = render_operator(&theme, &sample_operator())
        .unwrap_err()
        .to_string();
    assert!(error.contains("notes_shwon"), "{error}");

    // A typo in a partial names the partial's file.
    fs::remove_file(dir.path().join("operator.hbs")).unwrap();
    fs::write(
        dir.path().join("footer.hbs"),
        "<footer>{{meta.provenance.modle}}</footer>",
    )
    .unwrap();
    let theme = Theme::load(Some(dir.path())).unwrap();
    let error = render_country(&theme, &sample_country())
        .unwrap_err()
        .to_string();
    assert!(
        error.starts_with(&dir.path().join("footer.hbs").display().to_string()),
        "{error}"
    );

    // A template that does not parse fails to load, naming the file and line.
    fs::write(
        dir.path().join("footer.hbs"),
        "<footer>\n{{#if meta}}unclosed</footer>",
    )
    .unwrap();
    let error = Theme::load(Some(dir.path())).err().unwrap().to_string();
    assert!(
        error.starts_with(&dir.path().join("footer.hbs").display().to_string()),
        "{error}"
    );
}

#[test]
fn an_override_replaces_only_its_file() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(
        dir.path().join("footer.hbs"),
        "<footer class=\"provenance\">Custom footer for {{provenance.model}}</footer>",
    )
    .unwrap();
    fs::write(dir.path().join("style.css"), "body { color: #123456; }").unwrap();
    fs::write(dir.path().join("notes.txt"), "not a theme file").unwrap();
    fs::write(dir.path().join(".hidden"), "ignored silently").unwrap();
    let theme = Theme::load(Some(dir.path())).unwrap();
    let overridden: Vec<&str> = theme
        .origins()
        .iter()
        .filter(|(_, origin)| *origin != theme::Origin::BuiltIn)
        .map(|(name, _)| *name)
        .collect();
    assert_eq!(overridden, ["footer.hbs", "style.css"]);
    assert_eq!(theme.warnings().len(), 1);
    assert!(
        theme.warnings()[0].contains("notes.txt"),
        "{:?}",
        theme.warnings()
    );

    let html = render_portfolio(&theme, &sample_portfolio()).unwrap();
    assert!(html.contains("Custom footer for mini@1.2.0"));
    assert!(html.contains("body { color: #123456; }"));
    assert!(
        !html.contains("--navy"),
        "the built-in stylesheet is replaced"
    );
    assert!(
        html.contains(r#"id="method""#),
        "other templates stay built in"
    );

    let missing = Theme::load(Some(&dir.path().join("absent")))
        .err()
        .unwrap()
        .to_string();
    assert!(
        missing.contains("cannot read the templates folder"),
        "{missing}"
    );
}

#[test]
fn export_writes_every_file_and_refuses_to_overwrite() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("theme");
    let written = Theme::export(&target, false).unwrap();
    assert_eq!(written.len(), theme::FILES.len() + Lang::ALL.len());
    for (name, text) in theme::FILES {
        assert_eq!(
            fs::read_to_string(target.join(name)).unwrap(),
            *text,
            "{name}"
        );
    }
    for lang in Lang::ALL {
        assert_eq!(
            fs::read_to_string(target.join(lang.table_file())).unwrap(),
            lang.builtin_table(),
            "{lang}"
        );
    }
    fs::write(target.join("style.css"), "/* mine */").unwrap();
    let error = Theme::export(&target, false).unwrap_err().to_string();
    assert!(
        error.starts_with("refusing to overwrite") && error.contains("style.css"),
        "{error}"
    );
    assert_eq!(
        fs::read_to_string(target.join("style.css")).unwrap(),
        "/* mine */"
    );
    Theme::export(&target, true).unwrap();
    assert_ne!(
        fs::read_to_string(target.join("style.css")).unwrap(),
        "/* mine */"
    );

    // The exported theme renders exactly like the built-in one.
    let exported = Theme::load(Some(&target)).unwrap();
    let builtin = Theme::builtin().unwrap();
    let page = sample_country();
    assert_eq!(
        render_country(&exported, &page).unwrap(),
        render_country(&builtin, &page).unwrap()
    );
}

/// The part of `html` from the element with `id` to the next `<section`.
fn section<'a>(html: &'a str, id: &str) -> &'a str {
    let start = html
        .find(&format!(r#"id="{id}""#))
        .unwrap_or_else(|| panic!("no section {id}"));
    let end = html[start..]
        .find("<section")
        .map_or(html.len(), |end| start + end);
    &html[start..end]
}

#[test]
fn snapshot_operator_summary() {
    let theme = Theme::builtin().unwrap();
    let html = render_operator(&theme, &sample_operator()).unwrap();
    insta::assert_snapshot!(section(&html, "summary"));
}

#[test]
fn snapshot_portfolio_plan() {
    let theme = Theme::builtin().unwrap();
    let html = render_portfolio(&theme, &sample_portfolio()).unwrap();
    insta::assert_snapshot!(section(&html, "plan"));
}

/// Every `{{t "key"}}` of the built-in templates is a key of every string table.
#[test]
fn every_template_key_is_in_every_table() {
    let mut used = 0;
    for (name, text) in theme::FILES {
        for piece in text.split("{{t \"").skip(1) {
            let key = &piece[..piece.find('"').unwrap()];
            used += 1;
            for lang in Lang::ALL {
                assert!(
                    crate::i18n::Strings::builtin(lang).entry(key).is_some(),
                    "{name}: `{key}` is not in strings/{lang}.yaml"
                );
            }
        }
    }
    assert!(used > 200, "only {used} keys found in the templates");
}

#[test]
fn a_string_table_override_rewords_one_key_and_is_checked() {
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir(dir.path().join("strings")).unwrap();
    fs::write(
        dir.path().join("strings/fr.yaml"),
        "operator.heading.fix_first: Priorités du trimestre\n",
    )
    .unwrap();
    let theme = Theme::load_in(Some(dir.path()), Lang::Fr).unwrap();
    let html = render_operator(&theme, &sample_operator()).unwrap();
    assert!(html.contains("Priorités du trimestre"), "override");
    assert!(
        html.contains("Domaines par rapport à la cible"),
        "built-in fr"
    );

    fs::write(
        dir.path().join("strings/ja.yaml"),
        "# mine\noperator.heading.fix_frist: 最優先\n",
    )
    .unwrap();
    let error = Theme::load_in(Some(dir.path()), Lang::Fr)
        .err()
        .unwrap()
        .to_string();
    assert!(
        error.contains("strings/ja.yaml:2:1: `operator.heading.fix_frist` is not a key")
            && error.contains("did you mean `operator.heading.fix_first`?"),
        "{error}"
    );
}
