//! Every change the editor makes to a map. Each operation either succeeds and
//! leaves the map valid, or fails with a [`ModelError`] and leaves it exactly
//! as it was, so the UI never has to repair a half-applied edit and undo
//! history never records one.

use super::ModelError;
use super::{
    err, missing, Channel, ChannelKind, ChannelPreset, EmotionScale, Id, JourneyMap, Lane,
    MapState, Opportunity, Persona, Stage, Targets, Touchpoint,
};

/// The free-text fields of a touchpoint card, so one operation serves every
/// text box of the detail panel.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum TouchpointText {
    Name,
    Description,
    Owner,
    FeedbackKey,
}

impl TouchpointText {
    pub fn get(self, t: &Touchpoint) -> &str {
        match self {
            TouchpointText::Name => &t.name,
            TouchpointText::Description => &t.description,
            TouchpointText::Owner => &t.owner,
            TouchpointText::FeedbackKey => &t.feedback_key,
        }
    }

    fn get_mut(self, t: &mut Touchpoint) -> &mut String {
        match self {
            TouchpointText::Name => &mut t.name,
            TouchpointText::Description => &mut t.description,
            TouchpointText::Owner => &mut t.owner,
            TouchpointText::FeedbackKey => &mut t.feedback_key,
        }
    }
}

/// Moves the element at `from` to `to` (clamped), keeping the others' order.
fn move_within<T>(items: &mut Vec<T>, from: usize, to: usize) {
    let item = items.remove(from);
    let to = to.min(items.len());
    items.insert(to, item);
}

fn nudged(index: usize, delta: isize) -> usize {
    index.saturating_add_signed(delta)
}

impl JourneyMap {
    pub fn persona(&self, id: &Id) -> Option<&Persona> {
        self.personas.iter().find(|p| &p.id == id)
    }

    pub fn handoff(&self, id: &Id) -> Option<&super::Handoff> {
        self.handoffs.iter().find(|h| &h.id == id)
    }

    pub fn stage_index(&self, id: &Id) -> Option<usize> {
        self.stages.iter().position(|s| &s.id == id)
    }

    pub fn channel_index(&self, id: &Id) -> Option<usize> {
        self.channels.iter().position(|c| &c.id == id)
    }

    fn stage_mut(&mut self, id: &Id) -> Result<&mut Stage, ModelError> {
        self.stages
            .iter_mut()
            .find(|s| &s.id == id)
            .ok_or_else(|| missing("stage", id))
    }

    fn channel_mut(&mut self, id: &Id) -> Result<&mut Channel, ModelError> {
        self.channels
            .iter_mut()
            .find(|c| &c.id == id)
            .ok_or_else(|| missing("channel", id))
    }

    fn existing_touchpoint_mut(&mut self, id: &Id) -> Result<&mut Touchpoint, ModelError> {
        self.touchpoint_mut(id)
            .ok_or_else(|| missing("touchpoint", id))
    }

    fn handoff_mut(&mut self, id: &Id) -> Result<&mut super::Handoff, ModelError> {
        self.handoffs
            .iter_mut()
            .find(|h| &h.id == id)
            .ok_or_else(|| missing("handoff", id))
    }

    fn persona_mut(&mut self, id: &Id) -> Result<&mut Persona, ModelError> {
        self.personas
            .iter_mut()
            .find(|p| &p.id == id)
            .ok_or_else(|| missing("persona", id))
    }

    fn on_scale(&self, score: Option<i8>, field: &str) -> Result<(), ModelError> {
        match score {
            Some(e) => self.check_score(e, || field.to_owned()),
            None => Ok(()),
        }
    }

    // Stages

    pub fn rename_stage(&mut self, id: &Id, name: impl Into<String>) -> Result<(), ModelError> {
        self.stage_mut(id)?.name = name.into();
        Ok(())
    }

    pub fn set_stage_goal(
        &mut self,
        id: &Id,
        customer_goal: impl Into<String>,
    ) -> Result<(), ModelError> {
        self.stage_mut(id)?.customer_goal = customer_goal.into();
        Ok(())
    }

    /// Replaces a stage's notes in one text lane.
    pub fn set_stage_lane(
        &mut self,
        id: &Id,
        lane: Lane,
        notes: Vec<String>,
    ) -> Result<(), ModelError> {
        let stage = self.stage_mut(id)?;
        let slot = stage
            .lanes
            .get_mut(lane)
            .ok_or_else(|| err("lane", format!("{} is not a text lane", lane.label())))?;
        *slot = notes;
        Ok(())
    }

    /// Moves a stage to position `to`, clamped to the last position.
    pub fn move_stage(&mut self, id: &Id, to: usize) -> Result<(), ModelError> {
        let from = self.stage_index(id).ok_or_else(|| missing("stage", id))?;
        move_within(&mut self.stages, from, to);
        Ok(())
    }

    /// Moves a stage left (negative) or right (positive), stopping at the
    /// ends, for keyboard reordering.
    pub fn nudge_stage(&mut self, id: &Id, delta: isize) -> Result<(), ModelError> {
        let from = self.stage_index(id).ok_or_else(|| missing("stage", id))?;
        self.move_stage(id, nudged(from, delta))
    }

    // Channels

    pub fn add_channel_preset(&mut self, preset: ChannelPreset) -> Id {
        self.add_channel(preset.name, preset.kind)
    }

    pub fn rename_channel(&mut self, id: &Id, name: impl Into<String>) -> Result<(), ModelError> {
        self.channel_mut(id)?.name = name.into();
        Ok(())
    }

    pub fn set_channel_kind(&mut self, id: &Id, kind: ChannelKind) -> Result<(), ModelError> {
        self.channel_mut(id)?.kind = kind;
        Ok(())
    }

    pub fn move_channel(&mut self, id: &Id, to: usize) -> Result<(), ModelError> {
        let from = self
            .channel_index(id)
            .ok_or_else(|| missing("channel", id))?;
        move_within(&mut self.channels, from, to);
        Ok(())
    }

    pub fn nudge_channel(&mut self, id: &Id, delta: isize) -> Result<(), ModelError> {
        let from = self
            .channel_index(id)
            .ok_or_else(|| missing("channel", id))?;
        self.move_channel(id, nudged(from, delta))
    }

    // Touchpoints

    pub fn set_touchpoint_text(
        &mut self,
        id: &Id,
        field: TouchpointText,
        value: impl Into<String>,
    ) -> Result<(), ModelError> {
        *field.get_mut(self.existing_touchpoint_mut(id)?) = value.into();
        Ok(())
    }

    pub fn set_emotion(&mut self, id: &Id, emotion: Option<i8>) -> Result<(), ModelError> {
        self.on_scale(emotion, "emotion")?;
        self.existing_touchpoint_mut(id)?.emotion = emotion;
        Ok(())
    }

    /// Sets (or, with `None`, clears) how one persona feels at a touchpoint.
    pub fn set_persona_emotion(
        &mut self,
        touchpoint: &Id,
        persona: &Id,
        emotion: Option<i8>,
    ) -> Result<(), ModelError> {
        self.persona(persona)
            .ok_or_else(|| missing("persona", persona))?;
        self.on_scale(emotion, "emotion")?;
        let t = self.existing_touchpoint_mut(touchpoint)?;
        match emotion {
            Some(e) => t.persona_emotions.insert(persona.clone(), e),
            None => t.persona_emotions.remove(persona),
        };
        Ok(())
    }

    pub fn set_pain_points(&mut self, id: &Id, pains: Vec<String>) -> Result<(), ModelError> {
        self.existing_touchpoint_mut(id)?.pain_points = pains;
        Ok(())
    }

    pub fn set_opportunities(
        &mut self,
        id: &Id,
        opportunities: Vec<Opportunity>,
    ) -> Result<(), ModelError> {
        self.existing_touchpoint_mut(id)?.opportunities = opportunities;
        Ok(())
    }

    pub fn set_targets(&mut self, id: &Id, targets: Targets) -> Result<(), ModelError> {
        self.existing_touchpoint_mut(id)?.targets = targets;
        Ok(())
    }

    /// Moves a touchpoint to a cell, at `position` among the cards already
    /// there (clamped, so `usize::MAX` appends). Serves drag and drop within
    /// a cell as well as across cells.
    pub fn move_touchpoint(
        &mut self,
        id: &Id,
        stage: &Id,
        channel: &Id,
        position: usize,
    ) -> Result<(), ModelError> {
        self.stage(stage).ok_or_else(|| missing("stage", stage))?;
        self.channel(channel)
            .ok_or_else(|| missing("channel", channel))?;
        let from = self
            .touchpoints
            .iter()
            .position(|t| &t.id == id)
            .ok_or_else(|| missing("touchpoint", id))?;
        let mut t = self.touchpoints.remove(from);
        t.stage = stage.clone();
        t.channel = channel.clone();
        let in_cell: Vec<usize> = self
            .touchpoints
            .iter()
            .enumerate()
            .filter(|(_, c)| &c.stage == stage && &c.channel == channel)
            .map(|(i, _)| i)
            .collect();
        let at = match in_cell.get(position) {
            Some(&i) => i,
            None => in_cell.last().map_or(self.touchpoints.len(), |&i| i + 1),
        };
        self.touchpoints.insert(at, t);
        Ok(())
    }

    /// Moves a touchpoint to the neighbouring cell (stages left/right,
    /// channels up/down), appended there; stops at the canvas edges. The
    /// keyboard alternative to drag and drop.
    pub fn nudge_touchpoint(
        &mut self,
        id: &Id,
        stage_delta: isize,
        channel_delta: isize,
    ) -> Result<(), ModelError> {
        let t = self
            .touchpoint(id)
            .ok_or_else(|| missing("touchpoint", id))?;
        let si = self.stage_index(&t.stage).unwrap_or_default();
        let ci = self.channel_index(&t.channel).unwrap_or_default();
        let si = nudged(si, stage_delta).min(self.stages.len() - 1);
        let ci = nudged(ci, channel_delta).min(self.channels.len() - 1);
        let (stage, channel) = (self.stages[si].id.clone(), self.channels[ci].id.clone());
        if (&stage, &channel) == (&t.stage, &t.channel) {
            return Ok(());
        }
        self.move_touchpoint(id, &stage, &channel, usize::MAX)
    }

    /// Copies a touchpoint right after the original in its cell. Handoffs are
    /// not copied (they describe the original's place in the journey), and
    /// the feedback key is cleared so imported rows are not counted twice.
    pub fn duplicate_touchpoint(&mut self, id: &Id) -> Result<Id, ModelError> {
        let at = self
            .touchpoints
            .iter()
            .position(|t| &t.id == id)
            .ok_or_else(|| missing("touchpoint", id))?;
        let new_id = self.next_id("t");
        let original = &self.touchpoints[at];
        let copy = Touchpoint {
            id: new_id.clone(),
            name: format!("{} (copy)", original.name),
            feedback_key: String::new(),
            // Measured for the original, like its feedback.
            data_points: Vec::new(),
            ..original.clone()
        };
        self.touchpoints.insert(at + 1, copy);
        Ok(new_id)
    }

    // Handoffs

    pub fn set_handoff_context(&mut self, id: &Id, carried: bool) -> Result<(), ModelError> {
        self.handoff_mut(id)?.context_carried = carried;
        Ok(())
    }

    pub fn set_handoff_carries(&mut self, id: &Id, carries: Vec<String>) -> Result<(), ModelError> {
        self.handoff_mut(id)?.carries = carries;
        Ok(())
    }

    pub fn set_handoff_friction(
        &mut self,
        id: &Id,
        friction: impl Into<String>,
    ) -> Result<(), ModelError> {
        self.handoff_mut(id)?.friction = friction.into();
        Ok(())
    }

    pub fn remove_handoff(&mut self, id: &Id) {
        self.handoffs.retain(|h| &h.id != id);
    }

    // Personas

    /// Attaches a persona from elsewhere (the personas page, another map).
    /// It keeps its id when that is free here, so the same persona keeps the
    /// same id across maps; preferred channels this map does not have are
    /// dropped. Returns the id it got.
    pub fn attach_persona(&mut self, persona: Persona) -> Id {
        let taken =
            persona.id.as_str().is_empty() || self.all_ids().any(|i| i == persona.id.as_str());
        let id = if taken {
            self.next_id("p")
        } else {
            persona.id.clone()
        };
        let preferred = persona
            .preferred_channels
            .into_iter()
            .filter(|c| self.channel(c).is_some())
            .collect();
        self.personas.push(Persona {
            id: id.clone(),
            preferred_channels: preferred,
            ..persona
        });
        id
    }

    /// Removes a persona and its per-persona emotions.
    pub fn detach_persona(&mut self, id: &Id) {
        self.personas.retain(|p| &p.id != id);
        for t in &mut self.touchpoints {
            t.persona_emotions.remove(id);
        }
    }

    /// Replaces a persona's details (matched by id). Fails on a preferred
    /// channel this map does not have.
    pub fn update_persona(&mut self, persona: Persona) -> Result<(), ModelError> {
        if let Some(c) = persona
            .preferred_channels
            .iter()
            .find(|c| self.channel(c).is_none())
        {
            return Err(missing("channel", c));
        }
        let id = persona.id.clone();
        *self.persona_mut(&id)? = persona;
        Ok(())
    }

    // The map as a whole

    /// Changes the scale, moving scores that fall off it to the nearest end:
    /// a score at the old extreme still means "as bad/good as it gets", and
    /// a narrower scale must never leave the map invalid.
    pub fn set_emotion_scale(&mut self, scale: EmotionScale) -> Result<(), ModelError> {
        if scale.min >= scale.max {
            return Err(err(
                "emotion_scale",
                format!("minimum {} must be below maximum {}", scale.min, scale.max),
            ));
        }
        let clamp = |e: &mut i8| *e = (*e).clamp(scale.min, scale.max);
        for t in &mut self.touchpoints {
            if let Some(e) = t.emotion.as_mut() {
                clamp(e);
            }
            t.persona_emotions.values_mut().for_each(clamp);
        }
        self.emotion_scale = scale;
        Ok(())
    }

    pub fn set_lane_visible(&mut self, lane: Lane, visible: bool) {
        self.lanes.set_visible(lane, visible);
    }

    pub fn move_lane(&mut self, lane: Lane, to: usize) {
        self.lanes.move_to(lane, to);
    }

    pub fn nudge_lane(&mut self, lane: Lane, delta: isize) {
        self.lanes.nudge(lane, delta);
    }

    /// Starts a future-state (to-be) map from this one: same content, its
    /// own identity, linked back so the two can be compared.
    pub fn future_state(&self, id: Id, name: impl Into<String>, now_ms: f64) -> JourneyMap {
        JourneyMap {
            state: MapState::Future,
            based_on: Some(self.id.clone()),
            ..self.duplicate(id, name, now_ms)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Two stages × two channels, touchpoints a, b in the first cell and c
    /// in the last, a persona, and a handoff a → c.
    fn grid() -> (JourneyMap, [Id; 4], [Id; 3], Id) {
        let mut m = JourneyMap::new(Id::new("m"), "Grid", 0.0);
        let s1 = m.add_stage("One");
        let s2 = m.add_stage("Two");
        let c1 = m.add_channel_preset(ChannelPreset::ALL[0]);
        let c2 = m.add_channel_preset(ChannelPreset::ALL[2]);
        let a = m.add_touchpoint(&s1, &c1, "a").unwrap();
        let b = m.add_touchpoint(&s1, &c1, "b").unwrap();
        let c = m.add_touchpoint(&s2, &c2, "c").unwrap();
        m.add_handoff(&a, &c, false).unwrap();
        let p = m.add_persona("Maya");
        (m, [s1, s2, c1, c2], [a, b, c], p)
    }

    fn names(m: &JourneyMap) -> Vec<&str> {
        m.touchpoints.iter().map(|t| t.name.as_str()).collect()
    }

    #[test]
    fn stages_and_channels_reorder_and_clamp() {
        let (mut m, [s1, s2, c1, c2], ..) = grid();
        m.move_stage(&s1, 99).unwrap();
        assert_eq!(m.stages[1].id, s1);
        m.nudge_stage(&s1, -5).unwrap();
        assert_eq!(m.stages[0].id, s1);
        m.nudge_channel(&c1, 1).unwrap();
        assert_eq!(m.channels[0].id, c2);
        m.rename_stage(&s2, "Renamed").unwrap();
        m.rename_channel(&c2, "Shop").unwrap();
        m.set_channel_kind(&c2, ChannelKind::Human).unwrap();
        assert_eq!(m.stage(&s2).unwrap().name, "Renamed");
        assert_eq!(m.channel(&c2).unwrap().kind, ChannelKind::Human);
        assert!(m.move_stage(&Id::new("ghost"), 0).is_err());
        m.validate().unwrap();
    }

    #[test]
    fn presets_cover_every_listed_channel_with_its_kind() {
        let store = ChannelPreset::ALL.iter().find(|p| p.name == "Store");
        assert_eq!(store.map(|p| p.kind), Some(ChannelKind::Physical));
        assert_eq!(ChannelPreset::ALL.len(), 9);
    }

    #[test]
    fn only_text_lanes_take_notes() {
        let (mut m, [s1, ..], ..) = grid();
        m.set_stage_lane(&s1, Lane::Thoughts, vec!["Is it worth it?".into()])
            .unwrap();
        assert_eq!(m.stages[0].lanes.thoughts, ["Is it worth it?"]);
        let e = m.set_stage_lane(&s1, Lane::Emotion, vec![]).unwrap_err();
        assert_eq!(e.field, "lane");
    }

    #[test]
    fn touchpoints_move_within_and_across_cells() {
        let (mut m, [s1, s2, c1, c2], [a, b, c], _) = grid();
        m.move_touchpoint(&b, &s1, &c1, 0).unwrap();
        assert_eq!(names(&m), ["b", "a", "c"]);
        m.move_touchpoint(&b, &s2, &c2, 0).unwrap();
        let cell: Vec<&str> = m.cell(&s2, &c2).map(|t| t.name.as_str()).collect();
        assert_eq!(cell, ["b", "c"]);
        m.move_touchpoint(&a, &s2, &c2, usize::MAX).unwrap();
        let cell: Vec<&Id> = m.cell(&s2, &c2).map(|t| &t.id).collect();
        assert_eq!(cell, [&b, &c, &a]);
        assert!(m.move_touchpoint(&a, &Id::new("x"), &c1, 0).is_err());
        m.validate().unwrap();
    }

    #[test]
    fn nudging_a_touchpoint_stops_at_the_edges() {
        let (mut m, [s1, s2, c1, c2], [a, ..], _) = grid();
        m.nudge_touchpoint(&a, -1, -1).unwrap();
        assert_eq!(
            m.touchpoint(&a).map(|t| (&t.stage, &t.channel)),
            Some((&s1, &c1))
        );
        m.nudge_touchpoint(&a, 1, 5).unwrap();
        assert_eq!(
            m.touchpoint(&a).map(|t| (&t.stage, &t.channel)),
            Some((&s2, &c2))
        );
        assert_eq!(m.cell(&s2, &c2).last().map(|t| &t.id), Some(&a));
    }

    #[test]
    fn duplicates_sit_next_to_the_original_without_handoffs_or_key() {
        let (mut m, _, [a, ..], _) = grid();
        m.set_touchpoint_text(&a, TouchpointText::FeedbackKey, "ig_ad")
            .unwrap();
        let copy = m.duplicate_touchpoint(&a).unwrap();
        assert_eq!(names(&m), ["a", "a (copy)", "b", "c"]);
        assert_eq!(m.touchpoint(&copy).unwrap().feedback_key, "");
        assert_eq!(m.handoffs_of(&copy).count(), 0);
        m.validate().unwrap();
    }

    #[test]
    fn emotions_must_be_on_the_scale() {
        let (mut m, _, [a, ..], p) = grid();
        assert!(m.set_emotion(&a, Some(3)).is_err());
        m.set_emotion(&a, Some(-2)).unwrap();
        assert!(m.set_persona_emotion(&a, &p, Some(-3)).is_err());
        assert!(m
            .set_persona_emotion(&a, &Id::new("ghost"), Some(0))
            .is_err());
        m.set_persona_emotion(&a, &p, Some(1)).unwrap();
        assert_eq!(m.touchpoint(&a).unwrap().persona_emotions[&p], 1);
        m.set_persona_emotion(&a, &p, None).unwrap();
        assert!(m.touchpoint(&a).unwrap().persona_emotions.is_empty());
    }

    #[test]
    fn validate_rejects_emotions_of_unknown_personas() {
        let (mut m, _, [a, ..], _) = grid();
        m.touchpoint_mut(&a)
            .unwrap()
            .persona_emotions
            .insert(Id::new("ghost"), 0);
        let e = m.validate().unwrap_err();
        assert_eq!(e.field, "touchpoints[0].persona_emotions.ghost");
    }

    #[test]
    fn detaching_a_persona_drops_its_emotions() {
        let (mut m, _, [a, ..], p) = grid();
        m.set_persona_emotion(&a, &p, Some(1)).unwrap();
        m.detach_persona(&p);
        assert!(m.personas.is_empty());
        assert!(m.touchpoint(&a).unwrap().persona_emotions.is_empty());
        m.validate().unwrap();
    }

    #[test]
    fn attached_personas_keep_a_free_id_and_only_known_channels() {
        let (mut m, [_, _, c1, _], ..) = grid();
        let outside = Persona {
            id: Id::new("maya"),
            name: "Maya".into(),
            preferred_channels: vec![c1.clone(), Id::new("elsewhere")],
            ..Persona::default()
        };
        assert_eq!(m.attach_persona(outside.clone()), Id::new("maya"));
        let again = m.attach_persona(outside);
        assert_ne!(again, Id::new("maya"));
        assert_eq!(m.persona(&again).unwrap().preferred_channels, [c1]);
        m.validate().unwrap();
    }

    #[test]
    fn updating_a_persona_checks_its_channels() {
        let (mut m, .., p) = grid();
        let mut persona = m.persona(&p).unwrap().clone();
        persona.quote = "Just let me pay".into();
        m.update_persona(persona.clone()).unwrap();
        assert_eq!(m.persona(&p).unwrap().quote, "Just let me pay");
        persona.preferred_channels.push(Id::new("ghost"));
        assert!(m.update_persona(persona).is_err());
        assert!(m.update_persona(Persona::default()).is_err());
    }

    #[test]
    fn a_narrower_scale_clamps_scores() {
        let (mut m, _, [a, b, _], p) = grid();
        m.set_emotion(&a, Some(-2)).unwrap();
        m.set_persona_emotion(&b, &p, Some(2)).unwrap();
        let scale = EmotionScale {
            min: -1,
            max: 1,
            labels: vec![],
        };
        m.set_emotion_scale(scale.clone()).unwrap();
        assert_eq!(m.touchpoint(&a).unwrap().emotion, Some(-1));
        assert_eq!(m.touchpoint(&b).unwrap().persona_emotions[&p], 1);
        m.validate().unwrap();
        let flat = EmotionScale { min: 1, ..scale };
        assert!(m.set_emotion_scale(flat).is_err());
    }

    #[test]
    fn handoff_details_are_editable() {
        let (mut m, ..) = grid();
        let h = m.handoffs[0].id.clone();
        m.set_handoff_context(&h, true).unwrap();
        m.set_handoff_carries(&h, vec!["cart".into()]).unwrap();
        m.set_handoff_friction(&h, "none").unwrap();
        assert_eq!(m.context_losses().count(), 0);
        assert_eq!(m.handoff(&h).unwrap().carries, ["cart"]);
        m.remove_handoff(&h);
        assert!(m.handoffs.is_empty());
        assert!(m.set_handoff_friction(&h, "x").is_err());
    }

    #[test]
    fn failed_edits_leave_the_map_untouched() {
        let (mut m, [s1, ..], [a, ..], _) = grid();
        let before = m.clone();
        let ghost = Id::new("ghost");
        assert!(m.rename_stage(&ghost, "x").is_err());
        assert!(m.set_emotion(&a, Some(100)).is_err());
        assert!(m.move_touchpoint(&a, &s1, &ghost, 0).is_err());
        assert!(m.duplicate_touchpoint(&ghost).is_err());
        assert!(m.nudge_touchpoint(&ghost, 1, 0).is_err());
        assert_eq!(m, before);
    }

    #[test]
    fn future_state_links_back_to_the_current_map() {
        let (m, ..) = grid();
        let f = m.future_state(Id::new("f"), "To-be", 9.0);
        assert_eq!(f.state, MapState::Future);
        assert_eq!(f.based_on, Some(m.id.clone()));
        assert_eq!(f.touchpoints, m.touchpoints);
        assert_eq!(f.created_ms, 9.0);
        f.validate().unwrap();
    }

    #[test]
    fn lane_layout_edits_go_through_the_map() {
        let (mut m, ..) = grid();
        m.set_lane_visible(Lane::Backstage, false);
        m.move_lane(Lane::Emotion, 0);
        m.nudge_lane(Lane::Emotion, 1);
        assert_eq!(m.lanes.position(Lane::Emotion), 1);
        assert!(!m.lanes.is_visible(Lane::Backstage));
        let back: JourneyMap = serde_json::from_str(&serde_json::to_string(&m).unwrap()).unwrap();
        assert_eq!(back.lanes, m.lanes);
    }
}
