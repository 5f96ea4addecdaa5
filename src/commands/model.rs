//! `capgap model`: check the model (loading already did) and summarise it: levels,
//! responses, sectors with their targets, practices per domain, level and sector,
//! the interventions and the workforce roles. `--format json` prints the whole
//! validated model.

use std::fmt::Write as _;

use anyhow::Result;

use super::{Context, Outcome};
use crate::cli::{ModelArgs, ModelFormat};
use crate::model::Model;
use crate::output::writer::emit;

pub fn run(context: &Context, args: &ModelArgs) -> Result<Outcome> {
    let bytes = match args.format {
        ModelFormat::Json => {
            let mut out = serde_json::to_vec_pretty(&context.model)?;
            out.push(b'\n');
            out
        }
        ModelFormat::Table => summary(&context.model).into_bytes(),
    };
    emit(None, &bytes)?;
    Ok(Outcome::Clean)
}

/// A readable summary of a valid model.
pub fn summary(model: &Model) -> String {
    let mut out = String::new();
    let practices: usize = model.domains.iter().map(|d| d.practices.len()).sum();
    let _ = writeln!(out, "{} — {} (valid)", model.reference(), model.title.en());
    let _ = writeln!(
        out,
        "{} domains, {practices} practices, {} sectors, {} interventions\n",
        model.domains.len(),
        model.sectors.len(),
        model.interventions.len()
    );
    let levels: Vec<String> = model
        .levels
        .iter()
        .map(|l| format!("{} {}", l.level, l.name.en()))
        .collect();
    let _ = writeln!(out, "levels:    {}", levels.join(", "));
    let responses: Vec<String> = model
        .responses
        .iter()
        .map(|r| {
            format!(
                "{} ({}{})",
                r.id,
                r.credit,
                if r.achieves { ", achieves" } else { "" }
            )
        })
        .collect();
    let _ = writeln!(out, "responses: {}, na\n", responses.join(", "));

    let level_ids: Vec<u32> = model.levels.iter().map(|l| l.level).collect();
    let _ = write!(out, "{:<16}", "DOMAIN");
    for sector in &model.sectors {
        let _ = write!(
            out,
            " {:>14}",
            format!(
                "{} L{}",
                sector.id,
                level_ids
                    .iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join("/")
            )
        );
        let _ = write!(out, " {:>6}", "TARGET");
    }
    let _ = writeln!(out, "  WEIGHT  NAME");
    for domain in &model.domains {
        let _ = write!(out, "{:<16}", domain.id);
        for sector in &model.sectors {
            let counts: Vec<String> = level_ids
                .iter()
                .map(|&level| {
                    domain
                        .practices
                        .iter()
                        .filter(|p| p.level == level && p.applies_to(&sector.id))
                        .count()
                        .to_string()
                })
                .collect();
            let _ = write!(
                out,
                " {:>14} {:>6}",
                counts.join("/"),
                sector.target(&domain.id)
            );
        }
        let _ = writeln!(out, "  {:>6}  {}", domain.weight, domain.name.en());
    }
    let _ = writeln!(
        out,
        "\n{:<34} {:<9} {:>10}  PRACTICES",
        "INTERVENTION", "KIND", "COST USD"
    );
    for intervention in &model.interventions {
        let used = model
            .domains
            .iter()
            .flat_map(|d| &d.practices)
            .filter(|p| p.interventions.contains(&intervention.id))
            .count();
        let _ = writeln!(
            out,
            "{:<34} {:<9} {:>10.0}  {used}",
            intervention.id,
            intervention.kind.as_str(),
            intervention.cost_usd
        );
    }
    if !model.roles.is_empty() {
        let _ = writeln!(
            out,
            "\n{:<34} {:>5}  TRAINED BY (THE PLAN DELIVERS THE FIRST)",
            "WORKFORCE ROLE", "SEATS"
        );
        for role in &model.roles {
            let first = role.training.first().and_then(|id| model.intervention(id));
            let _ = writeln!(
                out,
                "{:<34} {:>5}  {}",
                role.id,
                first.map_or(0, |i| i.seats),
                role.training.join(", ")
            );
        }
    }
    out
}
