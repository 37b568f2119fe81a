//! The journey-map domain: what a map is, independent of how it is shown or
//! stored. Everything here is plain data plus the operations that keep it
//! consistent, so it can be tested natively and trusted by the UI.
//!
//! Element ids (stages, channels, touchpoints, …) are scoped to one map and
//! drawn from the map's own sequence, so duplicating a map keeps every internal
//! reference valid without rewriting it.

use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashSet};
use std::fmt;

mod edit;
mod lanes;
mod metrics;
mod query;

pub use edit::TouchpointText;
pub use lanes::{notes_from_text, Lane, LaneLayout, LaneSetting, StageLanes};
pub use metrics::{Aggregation, DataPoint, MetricDef};
pub use query::{HandoffMark, TouchpointFilter};

/// The shape of [`JourneyMap`] as stored. Bump it together with a new entry in
/// [`crate::migrate::MIGRATIONS`] whenever stored JSON would no longer parse.
pub const SCHEMA_VERSION: u32 = 1;

/// A stable identifier. Opaque on purpose: ids come from storage and imports,
/// so code must never parse meaning out of them.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Id(String);

impl Id {
    pub fn new(raw: impl Into<String>) -> Self {
        Id(raw.into())
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Id {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Why a map exists: the business objective and the KPI that says whether the
/// journey works. Peers call this the map's scope.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Goal {
    pub objective: String,
    pub kpi: String,
}

/// Whether a map documents today's journey or a designed future one.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MapState {
    #[default]
    Current,
    Future,
}

/// The signed scale emotions are scored on. Kept per map because teams differ
/// (−2…2 and −3…3 are both common) and scores are meaningless without it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EmotionScale {
    pub min: i8,
    pub max: i8,
    /// One label per step from `min` to `max`; may be shorter, in which case
    /// the missing steps show their number.
    #[serde(default)]
    pub labels: Vec<String>,
}

impl Default for EmotionScale {
    fn default() -> Self {
        EmotionScale {
            min: -2,
            max: 2,
            labels: [
                "frustrated",
                "confused",
                "neutral",
                "reassured",
                "delighted",
            ]
            .map(String::from)
            .to_vec(),
        }
    }
}

impl EmotionScale {
    pub fn contains(&self, score: i8) -> bool {
        (self.min..=self.max).contains(&score)
    }

    /// The word for a score, or the number itself when the scale has no label
    /// for it.
    pub fn label(&self, score: i8) -> String {
        let step = i16::from(score) - i16::from(self.min);
        usize::try_from(step)
            .ok()
            .and_then(|i| self.labels.get(i))
            .filter(|l| !l.is_empty())
            .cloned()
            .unwrap_or_else(|| score.to_string())
    }
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Persona {
    pub id: Id,
    pub name: String,
    pub role: String,
    pub quote: String,
    pub demographics: String,
    pub behaviours: Vec<String>,
    pub goals: Vec<String>,
    pub needs: Vec<String>,
    pub frustrations: Vec<String>,
    pub preferred_channels: Vec<Id>,
    /// The value of a feedback file's segment column that stands for this
    /// persona, so imported scores can be split per persona.
    pub segment_key: String,
    /// The workspace persona this is a copy of (see [`crate::personas`]).
    /// A separate field rather than a shared id because persona ids are
    /// scoped to the map, like every element id: per-persona emotions are
    /// keyed by them, and maps made from the same template hold the same
    /// ids for different copies. Absent in maps stored before the personas
    /// page existed, which is why it needs no schema bump: older JSON still
    /// parses, and a copy without it is shown as held by its map only.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<Id>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Stage {
    pub id: Id,
    pub name: String,
    /// What the customer is trying to get done in this stage.
    pub customer_goal: String,
    pub lanes: StageLanes,
}

/// How a channel reaches the customer; handoffs between kinds (digital to
/// human, say) are where context is most often lost.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ChannelKind {
    #[default]
    Digital,
    Physical,
    Human,
    Automated,
}

/// The channels most journeys use, so a map can be set up in a few clicks
/// with each channel's kind already right.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ChannelPreset {
    pub name: &'static str,
    pub kind: ChannelKind,
}

impl ChannelPreset {
    pub const ALL: [ChannelPreset; 9] = [
        ChannelPreset::new("Website", ChannelKind::Digital),
        ChannelPreset::new("Mobile app", ChannelKind::Digital),
        ChannelPreset::new("Store", ChannelKind::Physical),
        ChannelPreset::new("Email", ChannelKind::Automated),
        ChannelPreset::new("SMS", ChannelKind::Automated),
        ChannelPreset::new("Call center", ChannelKind::Human),
        ChannelPreset::new("Social media", ChannelKind::Digital),
        ChannelPreset::new("Live chat", ChannelKind::Human),
        ChannelPreset::new("Self-service portal", ChannelKind::Digital),
    ];

    const fn new(name: &'static str, kind: ChannelKind) -> Self {
        ChannelPreset { name, kind }
    }
}

impl ChannelKind {
    pub const ALL: [ChannelKind; 4] = [
        ChannelKind::Digital,
        ChannelKind::Physical,
        ChannelKind::Human,
        ChannelKind::Automated,
    ];

    pub fn label(self) -> &'static str {
        match self {
            ChannelKind::Digital => "digital",
            ChannelKind::Physical => "physical",
            ChannelKind::Human => "human",
            ChannelKind::Automated => "automated",
        }
    }
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Channel {
    pub id: Id,
    pub name: String,
    pub kind: ChannelKind,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Priority {
    Low,
    #[default]
    Medium,
    High,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Opportunity {
    pub text: String,
    pub priority: Priority,
}

/// Targets the team commits to for a touchpoint; compared with measured
/// scores once feedback is imported.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Targets {
    pub nps: Option<f64>,
    pub csat: Option<f64>,
    pub ces: Option<f64>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Touchpoint {
    pub id: Id,
    pub stage: Id,
    pub channel: Id,
    pub name: String,
    pub description: String,
    pub owner: String,
    /// Designed emotion on the map's [`EmotionScale`].
    pub emotion: Option<i8>,
    /// Emotion per attached persona, for one curve per persona. Personas
    /// without an entry are read as not going through this touchpoint.
    pub persona_emotions: BTreeMap<Id, i8>,
    pub pain_points: Vec<String>,
    pub opportunities: Vec<Opportunity>,
    /// The value imported feedback rows carry for this touchpoint.
    pub feedback_key: String,
    pub targets: Targets,
    /// Values of the map's custom metrics typed by hand for this
    /// touchpoint, each dated (see [`DataPoint`]).
    pub data_points: Vec<DataPoint>,
}

/// The customer moving from one touchpoint to another, usually across
/// channels. `context_carried == false` marks a "customer repeats themselves"
/// moment, which is what journey maps exist to find.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Handoff {
    pub id: Id,
    pub from: Id,
    pub to: Id,
    pub context_carried: bool,
    /// What travels with the customer (cart, history, identity…).
    pub carries: Vec<String>,
    pub friction: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct JourneyMap {
    pub id: Id,
    pub name: String,
    #[serde(default)]
    pub goal: Goal,
    #[serde(default)]
    pub state: MapState,
    /// The current-state map a future-state map was designed from.
    #[serde(default)]
    pub based_on: Option<Id>,
    #[serde(default)]
    pub emotion_scale: EmotionScale,
    #[serde(default)]
    pub personas: Vec<Persona>,
    #[serde(default)]
    pub stages: Vec<Stage>,
    #[serde(default)]
    pub channels: Vec<Channel>,
    #[serde(default)]
    pub touchpoints: Vec<Touchpoint>,
    #[serde(default)]
    pub handoffs: Vec<Handoff>,
    /// Which rows the canvas shows and in what order.
    #[serde(default)]
    pub lanes: LaneLayout,
    /// Milliseconds since the Unix epoch; supplied by the caller so the core
    /// never reads a clock.
    #[serde(default)]
    pub created_ms: f64,
    #[serde(default)]
    pub updated_ms: f64,
    /// Next number for element ids. Stored so ids are never reused, even
    /// after deletions.
    #[serde(default)]
    pub next_seq: u64,
    /// The team's own measures (first-contact resolution, order value…),
    /// each read from a column of the attached datasets.
    #[serde(default)]
    pub metrics: Vec<MetricDef>,
}

/// A map that is internally inconsistent: a reference to something that does
/// not exist, a duplicate id, a score off the scale. Stored data can be edited
/// by hand and imports are untrusted, so every load checks for these.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ModelError {
    /// Where in the map, e.g. `touchpoints[3].stage`.
    pub field: String,
    pub message: String,
}

impl fmt::Display for ModelError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.field, self.message)
    }
}

impl std::error::Error for ModelError {}

/// Counts shown in the map library without loading whole maps.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MapSummary {
    pub id: Id,
    pub name: String,
    #[serde(default)]
    pub state: MapState,
    pub stages: usize,
    pub channels: usize,
    pub touchpoints: usize,
    pub handoffs: usize,
    #[serde(default)]
    pub context_losses: usize,
    pub updated_ms: f64,
}

impl JourneyMap {
    pub fn new(id: Id, name: impl Into<String>, now_ms: f64) -> Self {
        JourneyMap {
            id,
            name: name.into(),
            goal: Goal::default(),
            state: MapState::Current,
            based_on: None,
            emotion_scale: EmotionScale::default(),
            personas: Vec::new(),
            stages: Vec::new(),
            channels: Vec::new(),
            touchpoints: Vec::new(),
            handoffs: Vec::new(),
            lanes: LaneLayout::default(),
            created_ms: now_ms,
            updated_ms: now_ms,
            next_seq: 1,
            metrics: Vec::new(),
        }
    }

    /// A fresh element id, unique within this map for its whole life.
    pub fn next_id(&mut self, prefix: &str) -> Id {
        let used: HashSet<String> = self.all_ids().map(str::to_owned).collect();
        loop {
            let candidate = format!("{prefix}{}", self.next_seq);
            self.next_seq += 1;
            if !used.contains(&candidate) {
                return Id(candidate);
            }
        }
    }

    fn all_ids(&self) -> impl Iterator<Item = &str> {
        self.personas
            .iter()
            .map(|p| p.id.as_str())
            .chain(self.stages.iter().map(|s| s.id.as_str()))
            .chain(self.channels.iter().map(|c| c.id.as_str()))
            .chain(self.touchpoints.iter().map(|t| t.id.as_str()))
            .chain(self.handoffs.iter().map(|h| h.id.as_str()))
            .chain(self.metrics.iter().map(|m| m.id.as_str()))
    }

    pub fn summary(&self) -> MapSummary {
        MapSummary {
            id: self.id.clone(),
            name: self.name.clone(),
            state: self.state,
            stages: self.stages.len(),
            channels: self.channels.len(),
            touchpoints: self.touchpoints.len(),
            handoffs: self.handoffs.len(),
            context_losses: self.context_losses().count(),
            updated_ms: self.updated_ms,
        }
    }

    pub fn add_stage(&mut self, name: impl Into<String>) -> Id {
        let id = self.next_id("s");
        self.stages.push(Stage {
            id: id.clone(),
            name: name.into(),
            ..Stage::default()
        });
        id
    }

    pub fn add_channel(&mut self, name: impl Into<String>, kind: ChannelKind) -> Id {
        let id = self.next_id("c");
        self.channels.push(Channel {
            id: id.clone(),
            name: name.into(),
            kind,
        });
        id
    }

    /// Adds a touchpoint to a stage × channel cell. Fails when either does
    /// not exist, so a touchpoint can never point nowhere.
    pub fn add_touchpoint(
        &mut self,
        stage: &Id,
        channel: &Id,
        name: impl Into<String>,
    ) -> Result<Id, ModelError> {
        self.stage(stage).ok_or_else(|| missing("stage", stage))?;
        self.channel(channel)
            .ok_or_else(|| missing("channel", channel))?;
        let id = self.next_id("t");
        self.touchpoints.push(Touchpoint {
            id: id.clone(),
            stage: stage.clone(),
            channel: channel.clone(),
            name: name.into(),
            ..Touchpoint::default()
        });
        Ok(id)
    }

    pub fn add_handoff(
        &mut self,
        from: &Id,
        to: &Id,
        context_carried: bool,
    ) -> Result<Id, ModelError> {
        if from == to {
            return Err(ModelError {
                field: "handoff".into(),
                message: "a handoff needs two different touchpoints".into(),
            });
        }
        self.touchpoint(from)
            .ok_or_else(|| missing("touchpoint", from))?;
        self.touchpoint(to)
            .ok_or_else(|| missing("touchpoint", to))?;
        let id = self.next_id("h");
        self.handoffs.push(Handoff {
            id: id.clone(),
            from: from.clone(),
            to: to.clone(),
            context_carried,
            ..Handoff::default()
        });
        Ok(id)
    }

    pub fn add_persona(&mut self, name: impl Into<String>) -> Id {
        let id = self.next_id("p");
        self.personas.push(Persona {
            id: id.clone(),
            name: name.into(),
            ..Persona::default()
        });
        id
    }

    /// Removes a stage with everything that only makes sense inside it: its
    /// touchpoints and their handoffs.
    pub fn remove_stage(&mut self, id: &Id) {
        self.stages.retain(|s| &s.id != id);
        self.retain_touchpoints(|t| &t.stage != id);
    }

    pub fn remove_channel(&mut self, id: &Id) {
        self.channels.retain(|c| &c.id != id);
        self.retain_touchpoints(|t| &t.channel != id);
        for p in &mut self.personas {
            p.preferred_channels.retain(|c| c != id);
        }
    }

    pub fn remove_touchpoint(&mut self, id: &Id) {
        self.retain_touchpoints(|t| &t.id != id);
    }

    fn retain_touchpoints(&mut self, keep: impl Fn(&Touchpoint) -> bool) {
        self.touchpoints.retain(keep);
        let alive: HashSet<&Id> = self.touchpoints.iter().map(|t| &t.id).collect();
        self.handoffs
            .retain(|h| alive.contains(&h.from) && alive.contains(&h.to));
    }

    pub fn stage(&self, id: &Id) -> Option<&Stage> {
        self.stages.iter().find(|s| &s.id == id)
    }

    pub fn channel(&self, id: &Id) -> Option<&Channel> {
        self.channels.iter().find(|c| &c.id == id)
    }

    pub fn touchpoint(&self, id: &Id) -> Option<&Touchpoint> {
        self.touchpoints.iter().find(|t| &t.id == id)
    }

    pub fn touchpoint_mut(&mut self, id: &Id) -> Option<&mut Touchpoint> {
        self.touchpoints.iter_mut().find(|t| &t.id == id)
    }

    /// Touchpoints of one stage × channel cell, in map order.
    pub fn cell<'a>(
        &'a self,
        stage: &'a Id,
        channel: &'a Id,
    ) -> impl Iterator<Item = &'a Touchpoint> {
        self.touchpoints
            .iter()
            .filter(move |t| &t.stage == stage && &t.channel == channel)
    }

    /// The handoffs where the customer has to start over.
    pub fn context_losses(&self) -> impl Iterator<Item = &Handoff> {
        self.handoffs.iter().filter(|h| !h.context_carried)
    }

    /// A copy with its own identity; element ids stay, since they are scoped
    /// to the map.
    pub fn duplicate(&self, id: Id, name: impl Into<String>, now_ms: f64) -> JourneyMap {
        JourneyMap {
            id,
            name: name.into(),
            created_ms: now_ms,
            updated_ms: now_ms,
            ..self.clone()
        }
    }

    /// Checks every rule the rest of the program relies on. Called on
    /// anything that did not come from this program's own edits.
    pub fn validate(&self) -> Result<(), ModelError> {
        if self.id.as_str().is_empty() {
            return Err(err("id", "the map has no id"));
        }
        if self.emotion_scale.min >= self.emotion_scale.max {
            return Err(err(
                "emotion_scale",
                format!(
                    "minimum {} must be below maximum {}",
                    self.emotion_scale.min, self.emotion_scale.max
                ),
            ));
        }
        let mut seen = HashSet::new();
        let lists: [(&str, Vec<&Id>); 5] = [
            ("personas", self.personas.iter().map(|x| &x.id).collect()),
            ("stages", self.stages.iter().map(|x| &x.id).collect()),
            ("channels", self.channels.iter().map(|x| &x.id).collect()),
            (
                "touchpoints",
                self.touchpoints.iter().map(|x| &x.id).collect(),
            ),
            ("handoffs", self.handoffs.iter().map(|x| &x.id).collect()),
        ];
        for (list, ids) in &lists {
            for (i, id) in ids.iter().enumerate() {
                if id.as_str().is_empty() {
                    return Err(err(format!("{list}[{i}].id"), "empty id"));
                }
                if !seen.insert(*id) {
                    return Err(err(
                        format!("{list}[{i}].id"),
                        format!("duplicate id \"{id}\""),
                    ));
                }
            }
        }
        // Sets rather than `self.stage(…)` lookups: a map file or a mermaid
        // import can hold many thousands of elements, and a search per
        // reference would make checking it quadratic.
        let [personas, stages, channels, touchpoints, _] = lists
            .each_ref()
            .map(|(_, ids)| ids.iter().copied().collect::<HashSet<&Id>>());
        for (i, t) in self.touchpoints.iter().enumerate() {
            if !stages.contains(&t.stage) {
                return Err(err(
                    format!("touchpoints[{i}].stage"),
                    format!("no stage with id \"{}\"", t.stage),
                ));
            }
            if !channels.contains(&t.channel) {
                return Err(err(
                    format!("touchpoints[{i}].channel"),
                    format!("no channel with id \"{}\"", t.channel),
                ));
            }
            if let Some(e) = t.emotion {
                self.check_score(e, || format!("touchpoints[{i}].emotion"))?;
            }
            for (persona, &e) in &t.persona_emotions {
                let field = || format!("touchpoints[{i}].persona_emotions.{persona}");
                if !personas.contains(persona) {
                    return Err(err(field(), format!("no persona with id \"{persona}\"")));
                }
                self.check_score(e, field)?;
            }
        }
        for (i, h) in self.handoffs.iter().enumerate() {
            for (end, id) in [("from", &h.from), ("to", &h.to)] {
                if !touchpoints.contains(id) {
                    return Err(err(
                        format!("handoffs[{i}].{end}"),
                        format!("no touchpoint with id \"{id}\""),
                    ));
                }
            }
        }
        let mut sources = HashSet::new();
        for (i, p) in self.personas.iter().enumerate() {
            if let Some(source) = &p.source {
                if source.as_str().is_empty() || !sources.insert(source) {
                    return Err(err(
                        format!("personas[{i}].source"),
                        format!(
                            "a second copy of workspace persona \"{source}\" (or an empty link)"
                        ),
                    ));
                }
            }
            if let Some(c) = p.preferred_channels.iter().find(|c| !channels.contains(c)) {
                return Err(err(
                    format!("personas[{i}].preferred_channels"),
                    format!("no channel with id \"{c}\""),
                ));
            }
        }
        Ok(())
    }

    fn check_score(&self, score: i8, field: impl Fn() -> String) -> Result<(), ModelError> {
        if self.emotion_scale.contains(score) {
            Ok(())
        } else {
            Err(err(
                field(),
                format!(
                    "{score} is outside the map's scale {}…{}",
                    self.emotion_scale.min, self.emotion_scale.max
                ),
            ))
        }
    }
}

fn err(field: impl Into<String>, message: impl Into<String>) -> ModelError {
    ModelError {
        field: field.into(),
        message: message.into(),
    }
}

fn missing(what: &str, id: &Id) -> ModelError {
    err(what, format!("no {what} with id \"{id}\""))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn small() -> (JourneyMap, Id, Id, Id, Id) {
        let mut m = JourneyMap::new(Id::new("m1"), "Test", 0.0);
        let s = m.add_stage("Awareness");
        let c = m.add_channel("Web", ChannelKind::Digital);
        let a = m.add_touchpoint(&s, &c, "Ad").unwrap();
        let b = m.add_touchpoint(&s, &c, "Landing page").unwrap();
        (m, s, c, a, b)
    }

    #[test]
    fn ids_are_never_reused_after_deletion() {
        let (mut m, s, c, a, _) = small();
        m.remove_touchpoint(&a);
        let again = m.add_touchpoint(&s, &c, "New").unwrap();
        assert_ne!(again, a);
    }

    #[test]
    fn next_id_skips_ids_already_taken_by_hand_edited_data() {
        let mut m = JourneyMap::new(Id::new("m"), "x", 0.0);
        m.stages.push(Stage {
            id: Id::new("s1"),
            ..Stage::default()
        });
        m.next_seq = 1;
        assert_eq!(m.add_stage("second"), Id::new("s2"));
    }

    #[test]
    fn touchpoint_needs_existing_stage_and_channel() {
        let (mut m, s, c, ..) = small();
        let e = m.add_touchpoint(&Id::new("nope"), &c, "x").unwrap_err();
        assert_eq!(e.field, "stage");
        assert!(m.add_touchpoint(&s, &Id::new("nope"), "x").is_err());
    }

    #[test]
    fn removing_a_stage_removes_its_touchpoints_and_their_handoffs() {
        let (mut m, s, c, a, b) = small();
        let s2 = m.add_stage("Purchase");
        let d = m.add_touchpoint(&s2, &c, "Checkout").unwrap();
        m.add_handoff(&a, &b, true).unwrap();
        m.add_handoff(&b, &d, false).unwrap();
        m.remove_stage(&s);
        assert_eq!(m.touchpoints.len(), 1);
        assert!(m.handoffs.is_empty());
        m.validate().unwrap();
    }

    #[test]
    fn removing_a_channel_clears_persona_preferences() {
        let (mut m, _, c, ..) = small();
        let p = m.add_persona("Maya");
        m.personas[0].preferred_channels.push(c.clone());
        m.remove_channel(&c);
        assert!(m.touchpoints.is_empty());
        assert!(m
            .personas
            .iter()
            .find(|x| x.id == p)
            .unwrap()
            .preferred_channels
            .is_empty());
        m.validate().unwrap();
    }

    #[test]
    fn handoff_to_itself_is_refused() {
        let (mut m, _, _, a, _) = small();
        assert!(m.add_handoff(&a, &a, true).is_err());
    }

    #[test]
    fn summary_counts_context_losses() {
        let (mut m, _, _, a, b) = small();
        m.add_handoff(&a, &b, false).unwrap();
        m.add_handoff(&b, &a, true).unwrap();
        let s = m.summary();
        assert_eq!(
            (s.stages, s.channels, s.touchpoints, s.handoffs),
            (1, 1, 2, 2)
        );
        assert_eq!(s.context_losses, 1);
    }

    #[test]
    fn validate_names_the_broken_field() {
        let (mut m, _, _, a, b) = small();
        m.add_handoff(&a, &b, true).unwrap();
        m.handoffs[0].to = Id::new("ghost");
        assert_eq!(m.validate().unwrap_err().field, "handoffs[0].to");

        let (mut m, ..) = small();
        m.touchpoints[1].emotion = Some(9);
        let e = m.validate().unwrap_err();
        assert_eq!(e.field, "touchpoints[1].emotion");
        assert!(e.message.contains("outside"));

        let (mut m, ..) = small();
        m.touchpoints[1].id = m.touchpoints[0].id.clone();
        assert!(m.validate().unwrap_err().message.contains("duplicate"));
    }

    #[test]
    fn emotion_labels_fall_back_to_numbers() {
        let mut scale = EmotionScale::default();
        assert_eq!(scale.label(-2), "frustrated");
        assert_eq!(scale.label(2), "delighted");
        scale.labels.truncate(2);
        assert_eq!(scale.label(1), "1");
        assert_eq!(scale.label(-100), "-100");
    }

    #[test]
    fn older_json_without_optional_fields_still_parses() {
        let m: JourneyMap = serde_json::from_str(r#"{"id":"m","name":"Bare"}"#).unwrap();
        assert_eq!(m.emotion_scale, EmotionScale::default());
        m.validate().unwrap();
    }

    #[test]
    fn version_one_json_from_before_lanes_and_persona_emotions_parses() {
        let stored = r#"{"id":"m","name":"Old","stages":[{"id":"s1","name":"A","customer_goal":"g"}],
            "channels":[{"id":"c1","name":"Web","kind":"digital"}],
            "touchpoints":[{"id":"t1","stage":"s1","channel":"c1","name":"Ad","emotion":1}]}"#;
        let m: JourneyMap = serde_json::from_str(stored).unwrap();
        assert!(m.stages[0].lanes.is_empty());
        assert!(m.touchpoints[0].persona_emotions.is_empty());
        assert_eq!(m.lanes, LaneLayout::default());
        m.validate().unwrap();
    }

    #[test]
    fn duplicate_keeps_content_and_changes_identity() {
        let (m, ..) = small();
        let d = m.duplicate(Id::new("m2"), "Copy", 5.0);
        assert_eq!(d.touchpoints, m.touchpoints);
        assert_eq!(d.id, Id::new("m2"));
        assert_eq!(d.created_ms, 5.0);
        d.validate().unwrap();
    }
}
