//! `capgap schema`: the JSON Schema (draft-07) of a questionnaire or a model, for
//! editors (yaml-language-server) and third-party validators. The questionnaire
//! schema carries the loaded model's sectors, practice ids (with their questions)
//! and responses; `--sector` keeps only that sector's practices. The schemas
//! themselves are built in `load::schema`.

use anyhow::{Result, bail};
use serde_json::Value;

use super::{Context, Outcome};
use crate::cli::{SchemaArgs, SchemaKind};
use crate::load::schema;
use crate::model::{Model, Sector};
use crate::output::writer::emit;

pub fn run(context: &Context, args: &SchemaArgs) -> Result<Outcome> {
    let value = match args.kind {
        SchemaKind::Questionnaire => {
            let sector = match &args.sector {
                Some(id) => Some(sector(&context.model, id)?),
                None => None,
            };
            schema::questionnaire(&context.model, sector, "en")
        }
        SchemaKind::Model => {
            if args.sector.is_some() {
                bail!("--sector applies to the questionnaire schema only");
            }
            schema::model()
        }
    };
    emit(None, &to_bytes(&value))?;
    Ok(Outcome::Clean)
}

/// The model's sector `id`, or a usage error listing the sectors.
pub fn sector<'m>(model: &'m Model, id: &str) -> Result<&'m Sector> {
    match model.sector(id) {
        Some(sector) => Ok(sector),
        None => {
            let ids: Vec<&str> = model.sectors.iter().map(|s| s.id.as_str()).collect();
            bail!(
                "unknown sector `{id}`; the model's sectors are: {}",
                ids.join(", ")
            )
        }
    }
}

/// A schema as the bytes of its file: pretty JSON and a final newline.
pub fn to_bytes(schema: &Value) -> Vec<u8> {
    let mut bytes = serde_json::to_vec_pretty(schema).expect("a JSON value serialises");
    bytes.push(b'\n');
    bytes
}
