//! A score as JSON writes it: the same fields in the same order as before scores
//! kept indices, with the model's ids (domain, practice, response) in place of the
//! positions a [`QuestionnaireScore`] holds. Borrowed views, nothing is copied.

use serde::Serialize;
use serde::ser::{SerializeMap, SerializeSeq, SerializeStruct, Serializer};

use super::{DomainScore, GapPractice, QuestionnaireScore};
use crate::model::Model;

/// A questionnaire's score with the ids of its model, ready to serialise.
#[derive(Debug, Clone, Copy)]
pub struct ScoreRecord<'a> {
    model: &'a Model,
    score: &'a QuestionnaireScore,
}

impl QuestionnaireScore {
    /// This score with `model`'s ids, for JSON; `model` is the one it was scored against.
    pub fn record<'a>(&'a self, model: &'a Model) -> ScoreRecord<'a> {
        ScoreRecord { model, score: self }
    }
}

impl Serialize for ScoreRecord<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let s = self.score;
        let fields = if s.workforce.is_empty() { 15 } else { 16 };
        let mut out = serializer.serialize_struct("QuestionnaireScore", fields)?;
        out.serialize_field("file", &s.file)?;
        out.serialize_field("model", &s.model)?;
        out.serialize_field("country", &s.country)?;
        out.serialize_field("sector", &s.sector)?;
        out.serialize_field("operator", &s.operator)?;
        out.serialize_field("operator_id", &s.operator_id)?;
        out.serialize_field("assessed_on", &s.assessed_on)?;
        out.serialize_field("tlp", &s.tlp)?;
        out.serialize_field("weight", &s.weight)?;
        out.serialize_field("index", &s.index)?;
        out.serialize_field("targets_met", &s.targets_met)?;
        out.serialize_field("domains_scored", &s.domains_scored)?;
        out.serialize_field("domains", &Domains(self.model, &s.domains))?;
        out.serialize_field("gaps", &Gaps(self.model, &s.gaps))?;
        out.serialize_field("evidence", &s.evidence)?;
        if s.workforce.is_empty() {
            out.skip_field("workforce")?;
        } else {
            out.serialize_field("workforce", &s.workforce)?;
        }
        out.end()
    }
}

struct Domains<'a>(&'a Model, &'a [DomainScore]);

impl Serialize for Domains<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let Domains(model, domains) = *self;
        let mut seq = serializer.serialize_seq(Some(domains.len()))?;
        for (def, domain) in model.domains.iter().zip(domains) {
            seq.serialize_element(&DomainRecord(model, &def.id, domain))?;
        }
        seq.end()
    }
}

struct DomainRecord<'a>(&'a Model, &'a str, &'a DomainScore);

impl Serialize for DomainRecord<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let DomainRecord(model, id, d) = *self;
        let mut out = serializer.serialize_struct("DomainScore", 6)?;
        out.serialize_field("id", id)?;
        out.serialize_field("level", &d.level)?;
        out.serialize_field("target", &d.target)?;
        out.serialize_field("gap", &d.gap)?;
        out.serialize_field("implementation", &d.implementation)?;
        out.serialize_field("counts", &Counts(model, d))?;
        out.end()
    }
}

/// `{ <response id>: count, ..., na, unanswered }`, responses in model order.
struct Counts<'a>(&'a Model, &'a DomainScore);

impl Serialize for Counts<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let Counts(model, d) = *self;
        let counts = &d.counts;
        let mut map = serializer.serialize_map(Some(counts.scale.len() + 2))?;
        for (def, count) in model.responses.iter().zip(&counts.scale) {
            map.serialize_entry(&def.id, count)?;
        }
        map.serialize_entry("na", &counts.na)?;
        map.serialize_entry("unanswered", &counts.unanswered)?;
        map.end()
    }
}

struct Gaps<'a>(&'a Model, &'a [GapPractice]);

impl Serialize for Gaps<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let Gaps(model, gaps) = *self;
        let mut seq = serializer.serialize_seq(Some(gaps.len()))?;
        for gap in gaps {
            seq.serialize_element(&GapRecord(model, gap))?;
        }
        seq.end()
    }
}

struct GapRecord<'a>(&'a Model, &'a GapPractice);

impl Serialize for GapRecord<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let GapRecord(model, gap) = *self;
        let mut out = serializer.serialize_struct("GapPractice", 5)?;
        out.serialize_field("practice", &model.practice(gap.practice).id)?;
        out.serialize_field("domain", &model.domains[gap.practice.domain].id)?;
        out.serialize_field("level", &gap.level)?;
        out.serialize_field("response", model.response_id(gap.response))?;
        out.serialize_field("priority", &gap.priority)?;
        out.end()
    }
}
