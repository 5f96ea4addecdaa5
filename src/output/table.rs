//! The readable tables for a terminal: one block per questionnaire (`score`), the
//! ranked candidates (`plan`), one block per aggregate (`score --aggregates`) and
//! its workforce and training plan.
//! Rounded for reading; the data formats carry the full numbers.

use std::fmt::Write as _;

use crate::aggregate::{Aggregate, Portfolio, Scope};
use crate::model::Model;
use crate::plan::AidPlan;
use crate::score::QuestionnaireScore;
use crate::workforce::Workforce;

/// A readable block per questionnaire: the header line, then one row per domain.
pub fn scores(model: &Model, scores: &[QuestionnaireScore]) -> String {
    let mut out = String::new();
    for score in scores {
        let index = score.index.map_or("-".to_owned(), |i| format!("{i:.1}"));
        let _ = writeln!(
            out,
            "{}  {} {} {}  {}  index {index}  targets met {}/{}",
            score.file,
            score.country,
            score.sector,
            score.operator_id,
            score.assessed_on,
            score.targets_met,
            score.domains_scored
        );
        let _ = writeln!(
            out,
            "  {:<16} {:>5} {:>6} {:>3} {:>6}  GAP PRACTICES",
            "DOMAIN", "LEVEL", "TARGET", "GAP", "IMPL"
        );
        for (d, (def, domain)) in model.domains.iter().zip(&score.domains).enumerate() {
            let level = domain.level.map_or("-".to_owned(), |l| l.to_string());
            let gap = domain.gap.map_or("-".to_owned(), |g| g.to_string());
            let implementation = percent(domain.implementation);
            let mut gaps: Vec<&str> = score
                .gaps
                .iter()
                .filter(|g| g.practice.domain == d)
                .map(|g| model.practice(g.practice).id.as_str())
                .collect();
            // Highest priority first; the full list is in --format json or csv.
            let more = gaps.len().saturating_sub(5);
            gaps.truncate(5);
            let more = if more > 0 {
                format!(" (+{more} more)")
            } else {
                String::new()
            };
            let _ = writeln!(
                out,
                "  {:<16} {level:>5} {:>6} {gap:>3} {implementation:>6}  {}{more}",
                def.id,
                domain.target,
                gaps.join(" ")
            );
        }
        if let Some(top) = score.gaps.first() {
            let practice = model.practice(top.practice);
            let _ = writeln!(
                out,
                "  fix first: {} (priority {:.2}) {}",
                practice.id,
                top.priority,
                practice.question.en()
            );
        }
        out.push('\n');
    }
    out
}

/// How many candidates a plan table lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PlanRows {
    All,
    /// Every funded candidate and the first N of the others, in rank order
    /// (without a budget: the first N).
    Top(usize),
}

/// The ranked candidates; with `rows` short of all, a line says what was left out.
pub fn plan(plan: &AidPlan, rows: PlanRows) -> String {
    let mut out = String::new();
    if plan.candidates.is_empty() {
        return "no aid candidates: no current operator has a gap practice that an intervention addresses\n".into();
    }
    let _ = writeln!(
        out,
        "RANK  CC SECTOR   {:<32} {:>4} {:>9} {:>11} {:>9} {:>12}  FITS",
        "INTERVENTION", "OPS", "BENEFIT", "COST USD", "PER $1M", "CUMULATIVE"
    );
    let funded = |selected: bool| plan.budget.is_some() && selected;
    let (mut others, mut hidden) = (0, 0);
    for c in &plan.candidates {
        let shown = match rows {
            PlanRows::All => true,
            PlanRows::Top(_) if funded(c.selected) => true,
            PlanRows::Top(n) => {
                others += 1;
                others <= n
            }
        };
        if !shown {
            hidden += 1;
            continue;
        }
        let fits = match plan.budget {
            None => "",
            Some(_) if c.selected => "yes",
            Some(_) => "no",
        };
        let _ = writeln!(
            out,
            "{:>4}  {:<2} {:<8} {:<32} {:>4} {:>9.2} {:>11.0} {:>9.1} {:>12.0}  {fits}",
            c.rank,
            c.country,
            c.sector,
            truncate(&c.intervention, 32),
            c.operators.len(),
            c.benefit,
            c.cost,
            c.benefit_per_dollar * 1e6,
            c.cumulative_cost,
        );
    }
    if hidden > 0 {
        let _ = writeln!(
            out,
            "  ... {hidden} more candidate(s): --all or --top N to list them, --format csv or json for the data"
        );
    }
    let _ = writeln!(out);
    match plan.budget {
        Some(budget) => {
            let _ = writeln!(
                out,
                "budget {}: {} of {} candidates fit, costing {} for a benefit of {:.2} of {:.2} in all",
                dollars(budget),
                plan.selected_count,
                plan.candidates.len(),
                dollars(plan.selected_cost),
                plan.selected_benefit,
                plan.total_benefit
            );
        }
        None => {
            let _ = writeln!(
                out,
                "{} candidates costing {} in all; pass --budget USD to see what fits",
                plan.candidates.len(),
                dollars(plan.selected_cost)
            );
        }
    }
    out
}

/// A readable block per aggregate (country × sector, countries, regions, the
/// portfolio): the header line with the trend, then one row per domain.
pub fn aggregates(portfolio: &Portfolio) -> String {
    let mut out = String::new();
    for aggregate in super::csv::all_aggregates(portfolio) {
        aggregate_block(&mut out, aggregate);
    }
    out
}

fn aggregate_block(out: &mut String, aggregate: &Aggregate) {
    let scope = scope_label(&aggregate.scope);
    let index = aggregate
        .index
        .map_or("-".to_owned(), |i| format!("{i:.1}"));
    let trend = aggregate
        .trend
        .as_ref()
        .and_then(|t| {
            let index = &t.change.index;
            Some((index.previous?, index.current?, index.change?, t.panel))
        })
        .map_or(String::new(), |(previous, current, change, panel)| {
            format!(
                "  {previous:.1} -> {current:.1} ({change:+.1}) among {panel} of {} operator(s) assessed twice",
                aggregate.operator_count
            )
        });
    let _ = writeln!(
        out,
        "{scope}  {} operator(s)  {}  index {index}  targets met {}/{}{trend}",
        aggregate.operator_count,
        aggregate.tlp.label(),
        aggregate.targets_met,
        aggregate.domains_scored
    );
    let _ = writeln!(
        out,
        "  {:<16} {:>5} {:>6} {:>6} {:>3} {:>6} {:>4} {:>9}  WEAKEST",
        "DOMAIN", "LEVEL", "MEDIAN", "TARGET", "GAP", "IMPL", "OPS", "AT TARGET"
    );
    for domain in &aggregate.domains {
        let level = domain.level.map_or("-".to_owned(), |l| l.to_string());
        let gap = domain.gap.map_or("-".to_owned(), |g| g.to_string());
        let median = domain
            .level_median
            .map_or("-".to_owned(), |l| l.to_string());
        let _ = writeln!(
            out,
            "  {:<16} {level:>5} {median:>6} {:>6} {gap:>3} {:>6} {:>4} {:>9}  {}",
            domain.id,
            domain.target,
            percent(domain.implementation),
            domain.operators,
            format!("{}/{}", domain.at_target, domain.operators),
            domain.weakest_operator.as_deref().unwrap_or("")
        );
    }
    out.push('\n');
}

/// The workforce of `score --aggregates` (SPEC §9): people per role for every
/// aggregate, then the training plan; nothing when no operator reported a workforce.
pub fn workforce(workforce: &Workforce) -> String {
    let mut out = String::new();
    if !workforce.is_reported() {
        return out;
    }
    let _ = writeln!(
        out,
        "workforce (people in cyber roles, as the operators reported them)"
    );
    let _ = writeln!(
        out,
        "  {:<24} {:<22} {:>9} {:>5} {:>6} {:>11} {:>9}",
        "SCOPE", "ROLE", "REPORTING", "STAFF", "NEEDED", "IN TRAINING", "SHORTFALL"
    );
    for aggregate in &workforce.aggregates {
        for role in &aggregate.roles {
            let _ = writeln!(
                out,
                "  {:<24} {:<22} {:>9} {:>5} {:>6} {:>11} {:>9}",
                truncate(&scope_label(&aggregate.scope), 24),
                truncate(&role.role, 22),
                format!("{}/{}", role.operators, aggregate.operators),
                role.staff,
                role.needed,
                role.in_training,
                role.shortfall
            );
        }
    }
    out.push('\n');
    let _ = writeln!(
        out,
        "training plan (deliveries = ceil(shortfall / seats), net of programmes' trainees)"
    );
    let _ = writeln!(
        out,
        "  {:<24} {:<22} {:>9} {:>10} {:>9}  {:<30} {:>5} {:>10} {:>12}",
        "SCOPE",
        "ROLE",
        "SHORTFALL",
        "PROGRAMMES",
        "TO TRAIN",
        "INTERVENTION",
        "SEATS",
        "DELIVERIES",
        "COST"
    );
    for line in &workforce.training_plan {
        let _ = writeln!(
            out,
            "  {:<24} {:<22} {:>9} {:>10} {:>9}  {:<30} {:>5} {:>10} {:>12}",
            truncate(&scope_label(&line.scope), 24),
            truncate(&line.role, 22),
            line.shortfall_before_programmes,
            line.programme_trainees,
            line.shortfall,
            truncate(&line.intervention, 30),
            line.seats,
            line.deliveries,
            dollars(line.cost_usd)
        );
    }
    if workforce.training_plan.is_empty() {
        let _ = writeln!(out, "  no shortfall in any role");
    }
    out.push('\n');
    out
}

fn scope_label(scope: &Scope) -> String {
    match scope {
        Scope::CountrySector { country, sector } => format!("{country} {sector}"),
        Scope::Country { country } => format!("{country} (all sectors)"),
        Scope::Sector { sector } => format!("{sector} (all countries)"),
        Scope::Region { name, .. } => format!("region {name}"),
        Scope::Portfolio => "portfolio".to_owned(),
    }
}

fn percent(share: Option<f64>) -> String {
    share.map_or("-".to_owned(), |s| format!("{:.0}%", s * 100.0))
}

/// Whole US dollars with thousands separators: `$1,000,000`.
fn dollars(amount: f64) -> String {
    let whole = format!("{:.0}", amount.abs());
    let mut grouped = String::with_capacity(whole.len() + whole.len() / 3);
    for (i, digit) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i).is_multiple_of(3) {
            grouped.push(',');
        }
        grouped.push(digit);
    }
    let sign = if amount < 0.0 && whole != "0" {
        "-"
    } else {
        ""
    };
    format!("{sign}${grouped}")
}

fn truncate(text: &str, width: usize) -> String {
    if text.chars().count() <= width {
        text.to_owned()
    } else {
        let mut cut: String = text.chars().take(width - 1).collect();
        cut.push('…');
        cut
    }
}

#[cfg(test)]
mod tests {
    use super::dollars;

    #[test]
    fn dollars_are_grouped() {
        assert_eq!(dollars(1_000_000.0), "$1,000,000");
        assert_eq!(dollars(999.6), "$1,000");
        assert_eq!(dollars(0.0), "$0");
        assert_eq!(dollars(-0.0), "$0");
        assert_eq!(dollars(45_500.0), "$45,500");
    }
}
