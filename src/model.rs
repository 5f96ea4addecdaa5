//! The capability model after validation: levels, the response scale, sectors with
//! their targets, domains with their practices, aid interventions and the cyber
//! workforce roles they train (SPEC §9). Every id a
//! later stage looks up is known to exist, so scoring never re-checks. No IO.

use serde::Serialize;

use crate::text::Text;

/// The id of the built-in "not applicable" response.
pub const NOT_APPLICABLE: &str = "na";

/// What scores, CSVs and the report call a practice without a response.
pub const UNANSWERED: &str = "unanswered";

/// A validated capability model.
#[derive(Debug, Clone, Serialize)]
pub struct Model {
    pub id: String,
    #[serde(serialize_with = "crate::text::display")]
    pub version: semver::Version,
    pub title: Text,
    /// Maturity levels, lowest first.
    pub levels: Vec<Level>,
    /// The answer scale, in file order (`na` is built in and not listed).
    pub responses: Vec<ResponseDef>,
    pub sectors: Vec<Sector>,
    pub domains: Vec<Domain>,
    pub interventions: Vec<Intervention>,
    /// Cyber workforce roles (SPEC §9), in file order.
    pub roles: Vec<Role>,
    #[serde(skip)]
    pub(crate) practice_index: rustc_hash::FxHashMap<String, PracticeRef>,
    /// The flat index of each domain's first practice, in model order.
    #[serde(skip)]
    pub(crate) domain_offsets: Vec<usize>,
    /// Each practice's interventions as positions in `interventions`, by flat index.
    #[serde(skip)]
    pub(crate) practice_interventions: Vec<Vec<usize>>,
}

/// Where a practice sits in the model: (domain index, practice index in the domain).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct PracticeRef {
    pub domain: usize,
    pub practice: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct Level {
    pub level: u32,
    pub name: Text,
    pub description: Text,
}

/// One step of the answer scale.
#[derive(Debug, Clone, Serialize)]
pub struct ResponseDef {
    pub id: String,
    pub label: Text,
    /// Implementation credit, 0..=1.
    pub credit: f64,
    /// Whether this response counts as the practice being achieved.
    pub achieves: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct Sector {
    pub id: String,
    pub name: Text,
    /// Target level for domains without their own target.
    pub default_target: Option<u32>,
    /// Target level per domain id.
    pub targets: Vec<(String, u32)>,
}

impl Sector {
    /// The sector's target level for a domain (validation guarantees one exists).
    pub fn target(&self, domain: &str) -> u32 {
        self.targets
            .iter()
            .find(|(id, _)| id == domain)
            .map(|(_, level)| *level)
            .or(self.default_target)
            .unwrap_or(0)
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Domain {
    pub id: String,
    pub name: Text,
    pub weight: f64,
    pub practices: Vec<Practice>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Practice {
    pub id: String,
    pub level: u32,
    pub question: Text,
    pub guidance: Text,
    /// The sectors the practice applies to; `None` means every sector.
    pub sectors: Option<Vec<String>>,
    pub weight: f64,
    pub refs: Vec<String>,
    /// Ids of the interventions that address this practice.
    pub interventions: Vec<String>,
}

impl Practice {
    /// Whether the practice applies to operators of `sector`.
    pub fn applies_to(&self, sector: &str) -> bool {
        self.sectors
            .as_ref()
            .is_none_or(|sectors| sectors.iter().any(|s| s == sector))
    }
}

/// The kind of an aid intervention.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum InterventionKind {
    Training,
    Advisory,
    Tooling,
    Policy,
    Exercise,
}

impl InterventionKind {
    pub const ALL: [InterventionKind; 5] = [
        InterventionKind::Training,
        InterventionKind::Advisory,
        InterventionKind::Tooling,
        InterventionKind::Policy,
        InterventionKind::Exercise,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            InterventionKind::Training => "training",
            InterventionKind::Advisory => "advisory",
            InterventionKind::Tooling => "tooling",
            InterventionKind::Policy => "policy",
            InterventionKind::Exercise => "exercise",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|kind| kind.as_str() == text)
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Intervention {
    pub id: String,
    pub name: Text,
    pub kind: InterventionKind,
    /// Indicative cost for one operator, in US dollars.
    pub cost_usd: f64,
    pub description: Text,
    /// People trained per delivery (SPEC §9; default 20). Meaningful for training.
    pub seats: u32,
}

/// People trained per delivery when an intervention does not say `seats`.
pub const DEFAULT_SEATS: u32 = 20;

impl Intervention {
    /// The cost of `units` deliveries: `cost_usd` per operator served (the aid
    /// plan) or per course delivered (the training plan).
    pub fn cost_of(&self, units: usize) -> f64 {
        self.cost_usd * units as f64
    }
}

/// A cyber workforce role (SPEC §9): what the person does and which training
/// interventions build the role, in the model's order of preference.
#[derive(Debug, Clone, Serialize)]
pub struct Role {
    pub id: String,
    pub name: Text,
    pub description: Text,
    /// Intervention ids, each known to the model; never empty.
    pub training: Vec<String>,
}

impl Model {
    /// Builds the practice index and resolves each practice's interventions; called
    /// once by the loader, which discards the model when an intervention id is unknown
    /// (that id was reported; it resolves to nothing here).
    pub(crate) fn index_practices(&mut self) {
        self.domain_offsets = self
            .domains
            .iter()
            .scan(0, |offset, d| {
                let start = *offset;
                *offset += d.practices.len();
                Some(start)
            })
            .collect();
        let index: rustc_hash::FxHashMap<String, PracticeRef> = self
            .practices()
            .map(|(at, practice)| (practice.id.clone(), at))
            .collect();
        self.practice_index = index;
        self.practice_interventions = self
            .practices()
            .map(|(_, practice)| {
                practice
                    .interventions
                    .iter()
                    .filter_map(|id| self.interventions.iter().position(|i| &i.id == id))
                    .collect()
            })
            .collect();
    }

    /// `id@version`, as questionnaires name the model.
    pub fn reference(&self) -> String {
        format!("{}@{}", self.id, self.version)
    }

    pub fn practice_ref(&self, id: &str) -> Option<PracticeRef> {
        self.practice_index.get(id).copied()
    }

    /// The position of a practice among all the model's practices, in model order.
    pub fn flat_index(&self, at: PracticeRef) -> usize {
        self.domain_offsets[at.domain] + at.practice
    }

    /// How many practices the model has.
    pub fn practice_count(&self) -> usize {
        self.domains.iter().map(|d| d.practices.len()).sum()
    }

    pub fn practice(&self, at: PracticeRef) -> &Practice {
        &self.domains[at.domain].practices[at.practice]
    }

    /// The interventions that address a practice, as positions in `interventions`,
    /// in the practice's order.
    pub fn intervention_indices(&self, at: PracticeRef) -> &[usize] {
        &self.practice_interventions[self.flat_index(at)]
    }

    /// The interventions that address a practice, in the practice's order.
    pub fn interventions_of(&self, at: PracticeRef) -> impl Iterator<Item = &Intervention> {
        self.intervention_indices(at)
            .iter()
            .map(|&i| &self.interventions[i])
    }

    pub fn sector(&self, id: &str) -> Option<&Sector> {
        self.sectors.iter().find(|s| s.id == id)
    }

    pub fn response(&self, id: &str) -> Option<(usize, &ResponseDef)> {
        self.responses.iter().enumerate().find(|(_, r)| r.id == id)
    }

    /// The id of a response by its position in `responses`, or [`UNANSWERED`] for none.
    pub fn response_id(&self, response: Option<usize>) -> &str {
        response.map_or(UNANSWERED, |r| self.responses[r].id.as_str())
    }

    pub fn intervention(&self, id: &str) -> Option<&Intervention> {
        self.interventions.iter().find(|i| i.id == id)
    }

    /// A workforce role by id, with its position in `roles`.
    pub fn role(&self, id: &str) -> Option<(usize, &Role)> {
        self.roles.iter().enumerate().find(|(_, r)| r.id == id)
    }

    pub fn domain(&self, id: &str) -> Option<&Domain> {
        self.domains.iter().find(|d| d.id == id)
    }

    pub fn level_name(&self, level: u32, lang: &str) -> Option<&str> {
        self.levels
            .iter()
            .find(|l| l.level == level)
            .map(|l| l.name.get(lang))
    }

    /// Every practice id, for "did you mean" suggestions.
    pub fn practice_ids(&self) -> impl Iterator<Item = &str> {
        self.domains
            .iter()
            .flat_map(|d| d.practices.iter().map(|p| p.id.as_str()))
    }

    /// Every practice with where it sits, in model order.
    pub fn practices(&self) -> impl Iterator<Item = (PracticeRef, &Practice)> {
        self.domains.iter().enumerate().flat_map(|(d, domain)| {
            domain
                .practices
                .iter()
                .enumerate()
                .map(move |(p, practice)| {
                    (
                        PracticeRef {
                            domain: d,
                            practice: p,
                        },
                        practice,
                    )
                })
        })
    }

    /// The practices that apply to a sector, in model order.
    pub fn applicable<'a>(&'a self, sector: &'a str) -> impl Iterator<Item = &'a Practice> + 'a {
        self.domains
            .iter()
            .flat_map(move |d| d.practices.iter().filter(move |p| p.applies_to(sector)))
    }
}
