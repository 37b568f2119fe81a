//! Workspace personas: the people a team maps journeys for, defined once and
//! attached to any number of maps.
//!
//! A map stays self-contained: it holds a full copy of each attached persona
//! (so its per-persona emotions validate, and it exports and duplicates on its
//! own). The copy points back at its workspace persona through
//! [`Persona::source`]; the workspace copy is the one people edit, and every
//! linked map copy is brought in line with it by [`JourneyMap::sync_personas`].
//! A map copy whose link is missing or dangling (templates, maps made before
//! the personas page, a workspace persona deleted since) is "held by its map
//! only" and can be adopted into the workspace without losing anything.

use serde::{Deserialize, Serialize};
use std::collections::HashSet;

use crate::model::{Channel, ChannelPreset, Id, JourneyMap, ModelError, Persona};

/// The shape of [`PersonaLibrary`] as stored. Versioned apart from maps
/// because the two change for different reasons; bump it together with a
/// migration list of its own once stored JSON would no longer parse.
pub const PERSONAS_SCHEMA: u32 = 1;

/// A persona as the workspace keeps it.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct WorkspacePersona {
    /// Unique in the workspace (unlike map-scoped persona ids).
    pub id: Id,
    pub name: String,
    pub role: String,
    pub quote: String,
    pub demographics: String,
    pub behaviours: Vec<String>,
    pub goals: Vec<String>,
    pub needs: Vec<String>,
    pub frustrations: Vec<String>,
    /// Channel names, not ids: channel ids only mean something inside one
    /// map, while "prefers the mobile app" holds on every map. Each map copy
    /// gets the ids of its channels with these names (ignoring case).
    pub preferred_channels: Vec<String>,
    /// The value of a feedback file's segment column that stands for this
    /// persona.
    pub segment_key: String,
}

/// Every workspace persona, in the order the user made them.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct PersonaLibrary {
    pub personas: Vec<WorkspacePersona>,
}

fn same_name(a: &str, b: &str) -> bool {
    a.trim().eq_ignore_ascii_case(b.trim())
}

impl WorkspacePersona {
    /// A workspace persona made from a copy a map holds; the copy's
    /// preferred channels become the names of those channels on that map.
    pub fn from_map_copy(map: &JourneyMap, persona: &Persona, id: Id) -> Self {
        WorkspacePersona {
            id,
            name: persona.name.clone(),
            role: persona.role.clone(),
            quote: persona.quote.clone(),
            demographics: persona.demographics.clone(),
            behaviours: persona.behaviours.clone(),
            goals: persona.goals.clone(),
            needs: persona.needs.clone(),
            frustrations: persona.frustrations.clone(),
            preferred_channels: persona
                .preferred_channels
                .iter()
                .filter_map(|c| map.channel(c).map(|c| c.name.clone()))
                .collect(),
            segment_key: persona.segment_key.clone(),
        }
    }

    /// The copy a map with `channels` holds, under the map's own `id`.
    pub fn copy_for(&self, id: Id, channels: &[Channel]) -> Persona {
        Persona {
            id,
            name: self.name.clone(),
            role: self.role.clone(),
            quote: self.quote.clone(),
            demographics: self.demographics.clone(),
            behaviours: self.behaviours.clone(),
            goals: self.goals.clone(),
            needs: self.needs.clone(),
            frustrations: self.frustrations.clone(),
            preferred_channels: channels
                .iter()
                .filter(|c| self.prefers(&c.name))
                .map(|c| c.id.clone())
                .collect(),
            segment_key: self.segment_key.clone(),
            source: Some(self.id.clone()),
        }
    }

    pub fn prefers(&self, channel_name: &str) -> bool {
        self.preferred_channels
            .iter()
            .any(|n| same_name(n, channel_name))
    }

    /// Adds or removes a preferred channel by name.
    pub fn set_preferred(&mut self, channel_name: &str, on: bool) {
        self.preferred_channels
            .retain(|n| !same_name(n, channel_name));
        if on {
            self.preferred_channels.push(channel_name.trim().to_owned());
        }
    }

    /// Whether a map copy says the same as this persona, so linking it
    /// would lose nothing.
    pub fn matches_copy(&self, map: &JourneyMap, persona: &Persona) -> bool {
        let mut theirs = WorkspacePersona::from_map_copy(map, persona, self.id.clone());
        let mut mine = self.clone();
        for p in [&mut theirs, &mut mine] {
            p.preferred_channels.sort_by_key(|n| n.to_lowercase());
            p.preferred_channels.dedup_by(|a, b| same_name(a, b));
        }
        // A preference for a channel this map lacks cannot show in its copy.
        mine.preferred_channels
            .retain(|n| map.channels.iter().any(|c| same_name(&c.name, n)));
        theirs == mine
    }
}

impl PersonaLibrary {
    pub fn get(&self, id: &Id) -> Option<&WorkspacePersona> {
        self.personas.iter().find(|p| &p.id == id)
    }

    /// Adds a persona with a fresh workspace-wide `id` chosen by the caller
    /// (the core never draws random numbers).
    pub fn create(&mut self, id: Id, name: &str) -> Result<Id, ModelError> {
        let name = name.trim();
        if name.is_empty() {
            return Err(field_error("name", "a persona needs a name"));
        }
        self.insert(WorkspacePersona {
            id: id.clone(),
            name: name.to_owned(),
            ..WorkspacePersona::default()
        })?;
        Ok(id)
    }

    fn insert(&mut self, persona: WorkspacePersona) -> Result<(), ModelError> {
        if persona.id.as_str().is_empty() {
            return Err(field_error("id", "empty id"));
        }
        if self.get(&persona.id).is_some() {
            return Err(field_error(
                "id",
                format!("a persona with id \"{}\" already exists", persona.id),
            ));
        }
        self.personas.push(persona);
        Ok(())
    }

    /// Stores `persona` in place of the one with its id, or adds it when
    /// there is none: an edit must survive the persona being deleted in
    /// another tab meanwhile.
    pub fn upsert(&mut self, persona: WorkspacePersona) {
        match self.personas.iter_mut().find(|p| p.id == persona.id) {
            Some(p) => *p = persona,
            None => self.personas.push(persona),
        }
    }

    /// Adds a copy of persona `id` under `fresh`, right after it: teams
    /// often derive a variant (a first-time buyer from a regular, say)
    /// rather than start from nothing. The copy is on no map yet.
    pub fn duplicate(&mut self, id: &Id, fresh: Id) -> Result<WorkspacePersona, ModelError> {
        let at = self
            .personas
            .iter()
            .position(|p| &p.id == id)
            .ok_or_else(|| field_error("persona", format!("no persona with id \"{id}\"")))?;
        if self.get(&fresh).is_some() || fresh.as_str().is_empty() {
            return Err(field_error("id", format!("id \"{fresh}\" is not free")));
        }
        let original = &self.personas[at];
        let copy = WorkspacePersona {
            id: fresh,
            name: format!("{} (copy)", original.name),
            ..original.clone()
        };
        self.personas.insert(at + 1, copy.clone());
        Ok(copy)
    }

    pub fn remove(&mut self, id: &Id) -> Option<WorkspacePersona> {
        let at = self.personas.iter().position(|p| &p.id == id)?;
        Some(self.personas.remove(at))
    }

    /// Makes a workspace persona of a copy `map` holds and returns it. A
    /// copy whose link dangles keeps its old workspace id, so every other
    /// map holding the same persona is linked again at once; otherwise it
    /// gets `fresh`.
    pub fn adopt(
        &mut self,
        map: &JourneyMap,
        persona: &Id,
        fresh: Id,
    ) -> Result<WorkspacePersona, ModelError> {
        let copy = map
            .persona(persona)
            .ok_or_else(|| field_error("persona", format!("no persona with id \"{persona}\"")))?;
        let id = match &copy.source {
            Some(s) if !s.as_str().is_empty() && self.get(s).is_none() => s.clone(),
            Some(s) if self.get(s).is_some() => {
                return Err(field_error(
                    "persona",
                    format!("\"{}\" is already in the workspace", copy.name),
                ))
            }
            _ => fresh,
        };
        let adopted = WorkspacePersona::from_map_copy(map, copy, id);
        self.insert(adopted.clone())?;
        Ok(adopted)
    }

    /// Checks what the rest of the program relies on: every persona has an
    /// id, and no id is used twice.
    pub fn validate(&self) -> Result<(), ModelError> {
        let mut seen = HashSet::new();
        for (i, p) in self.personas.iter().enumerate() {
            if p.id.as_str().is_empty() {
                return Err(field_error(format!("personas[{i}].id"), "empty id"));
            }
            if !seen.insert(&p.id) {
                return Err(field_error(
                    format!("personas[{i}].id"),
                    format!("duplicate id \"{}\"", p.id),
                ));
            }
        }
        Ok(())
    }

    /// The channel names worth offering as preferences: the presets, every
    /// channel of the given maps and any name already chosen, once each.
    pub fn channel_names<'a>(&self, maps: impl IntoIterator<Item = &'a JourneyMap>) -> Vec<String> {
        let mut names: Vec<String> = ChannelPreset::ALL.iter().map(|c| c.name.into()).collect();
        let more = maps
            .into_iter()
            .flat_map(|m| m.channels.iter().map(|c| c.name.clone()))
            .chain(
                self.personas
                    .iter()
                    .flat_map(|p| p.preferred_channels.iter().cloned()),
            );
        for name in more {
            if !name.trim().is_empty() && !names.iter().any(|n| same_name(n, &name)) {
                names.push(name.trim().to_owned());
            }
        }
        names
    }
}

fn field_error(field: impl Into<String>, message: impl Into<String>) -> ModelError {
    ModelError {
        field: field.into(),
        message: message.into(),
    }
}

impl JourneyMap {
    /// The copy of workspace persona `source` this map holds, if any.
    pub fn linked_persona(&self, source: &Id) -> Option<&Persona> {
        self.personas
            .iter()
            .find(|p| p.source.as_ref() == Some(source))
    }

    /// Attaches a workspace persona, or refreshes the copy when it is
    /// already attached (a map never holds two copies of one persona).
    /// Returns the copy's id on this map.
    pub fn attach_workspace_persona(&mut self, persona: &WorkspacePersona) -> Id {
        if let Some(id) = self.linked_persona(&persona.id).map(|p| p.id.clone()) {
            self.refresh_copy(&id, persona);
            return id;
        }
        let id = self.next_id("p");
        self.personas
            .push(persona.copy_for(id.clone(), &self.channels));
        id
    }

    /// Removes the copy of workspace persona `source` with its per-persona
    /// emotions. Returns whether there was one.
    pub fn detach_workspace_persona(&mut self, source: &Id) -> bool {
        let Some(id) = self.linked_persona(source).map(|p| p.id.clone()) else {
            return false;
        };
        self.detach_persona(&id);
        true
    }

    /// Links the copy `persona` to a workspace persona, taking its details;
    /// the copy keeps its id, so its emotions stay. If the map already holds
    /// another copy of that persona, that one is unlinked first: the user
    /// asked for this one, and dropping the other would lose its emotions.
    pub fn link_persona(
        &mut self,
        persona: &Id,
        workspace: &WorkspacePersona,
    ) -> Result<(), ModelError> {
        self.persona(persona)
            .ok_or_else(|| field_error("persona", format!("no persona with id \"{persona}\"")))?;
        for p in &mut self.personas {
            if p.source.as_ref() == Some(&workspace.id) {
                p.source = None;
            }
        }
        self.refresh_copy(persona, workspace);
        Ok(())
    }

    fn refresh_copy(&mut self, id: &Id, workspace: &WorkspacePersona) -> bool {
        let fresh = workspace.copy_for(id.clone(), &self.channels);
        match self.personas.iter_mut().find(|p| &p.id == id) {
            Some(p) if *p != fresh => {
                *p = fresh;
                true
            }
            _ => false,
        }
    }

    /// Brings every copy linked to `library` in line with its workspace
    /// persona. Copies whose persona is not in the library are left alone
    /// (they are held by this map only). Returns whether anything changed.
    pub fn sync_personas(&mut self, library: &PersonaLibrary) -> bool {
        let linked: Vec<(Id, WorkspacePersona)> = self
            .personas
            .iter()
            .filter_map(|p| {
                let w = library.get(p.source.as_ref()?)?;
                Some((p.id.clone(), w.clone()))
            })
            .collect();
        let mut changed = false;
        for (id, w) in linked {
            changed |= self.refresh_copy(&id, &w);
        }
        changed
    }
}

/// Where a workspace persona is used.
#[derive(Clone, Debug, PartialEq)]
pub struct MapUse {
    pub map: Id,
    pub map_name: String,
    /// The copy's id on that map.
    pub persona: Id,
    /// How many touchpoints there score this persona's emotion; detaching
    /// removes them.
    pub emotions: usize,
}

/// A persona held by a map and not (or no longer) in the workspace.
#[derive(Clone, Debug, PartialEq)]
pub struct MapOnly {
    pub map: Id,
    pub map_name: String,
    pub persona: Persona,
    pub emotions: usize,
    /// A workspace persona with the same details, which the copy can be
    /// linked to without losing anything (typically the same template used
    /// twice).
    pub matches: Option<Id>,
}

fn emotions_of(map: &JourneyMap, persona: &Id) -> usize {
    map.touchpoints
        .iter()
        .filter(|t| t.persona_emotions.contains_key(persona))
        .count()
}

impl PersonaLibrary {
    /// The maps using workspace persona `id`, in the order of `maps`.
    pub fn uses<'a>(&self, id: &Id, maps: impl IntoIterator<Item = &'a JourneyMap>) -> Vec<MapUse> {
        maps.into_iter()
            .filter_map(|m| {
                let copy = m.linked_persona(id)?;
                Some(MapUse {
                    map: m.id.clone(),
                    map_name: m.name.clone(),
                    persona: copy.id.clone(),
                    emotions: emotions_of(m, &copy.id),
                })
            })
            .collect()
    }

    /// Every persona that maps hold but the workspace does not know.
    pub fn map_only<'a>(&self, maps: impl IntoIterator<Item = &'a JourneyMap>) -> Vec<MapOnly> {
        maps.into_iter()
            .flat_map(|m| {
                m.personas
                    .iter()
                    .filter(|p| p.source.as_ref().and_then(|s| self.get(s)).is_none())
                    .map(move |p| MapOnly {
                        map: m.id.clone(),
                        map_name: m.name.clone(),
                        persona: p.clone(),
                        emotions: emotions_of(m, &p.id),
                        matches: self
                            .personas
                            .iter()
                            .find(|w| w.matches_copy(m, p))
                            .map(|w| w.id.clone()),
                    })
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::ChannelKind;
    use crate::templates;

    fn maya() -> WorkspacePersona {
        WorkspacePersona {
            id: Id::new("wp-maya"),
            name: "Maya".into(),
            role: "Busy parent".into(),
            quote: "Just let me pay".into(),
            demographics: "35–44, two kids".into(),
            behaviours: vec!["Shops on her phone".into()],
            goals: vec!["Done in ten minutes".into()],
            needs: vec!["Clear delivery dates".into()],
            frustrations: vec!["Repeating herself".into()],
            preferred_channels: vec!["mobile APP".into(), "Store".into(), "Fax".into()],
            segment_key: "parents".into(),
        }
    }

    fn map(id: &str) -> JourneyMap {
        let mut m = JourneyMap::new(Id::new(id), format!("Map {id}"), 0.0);
        let s = m.add_stage("Buy");
        let app = m.add_channel("Mobile app", ChannelKind::Digital);
        m.add_channel("Website", ChannelKind::Digital);
        m.add_touchpoint(&s, &app, "Checkout").unwrap();
        m
    }

    #[test]
    fn attaching_copies_every_field_and_resolves_channels_by_name() {
        let mut m = map("a");
        let w = maya();
        let id = m.attach_workspace_persona(&w);
        let copy = m.persona(&id).unwrap();
        assert_eq!(copy.source, Some(w.id.clone()));
        assert_eq!(copy.quote, "Just let me pay");
        assert_eq!(copy.frustrations, ["Repeating herself"]);
        assert_eq!(copy.segment_key, "parents");
        let names: Vec<_> = copy
            .preferred_channels
            .iter()
            .map(|c| m.channel(c).unwrap().name.as_str())
            .collect();
        assert_eq!(names, ["Mobile app"]);
        m.validate().unwrap();
    }

    #[test]
    fn attaching_twice_keeps_one_copy() {
        let mut m = map("a");
        let first = m.attach_workspace_persona(&maya());
        let mut edited = maya();
        edited.role = "Nurse".into();
        assert_eq!(m.attach_workspace_persona(&edited), first);
        assert_eq!(m.personas.len(), 1);
        assert_eq!(m.personas[0].role, "Nurse");
    }

    #[test]
    fn copy_ids_are_map_scoped_so_template_ids_do_not_clash() {
        let mut m = (templates::template("retail").unwrap().build)(Id::new("r"), 0.0);
        let before: Vec<Id> = m.personas.iter().map(|p| p.id.clone()).collect();
        let id = m.attach_workspace_persona(&maya());
        assert!(!before.contains(&id));
        m.validate().unwrap();
    }

    #[test]
    fn sync_updates_linked_copies_and_keeps_their_emotions() {
        let mut m = map("a");
        let id = m.attach_workspace_persona(&maya());
        let t = m.touchpoints[0].id.clone();
        m.set_persona_emotion(&t, &id, Some(-1)).unwrap();
        let unlinked = m.add_persona("Walk-in");

        let mut lib = PersonaLibrary::default();
        let mut w = maya();
        w.name = "Maya R.".into();
        w.preferred_channels = vec!["website".into()];
        lib.upsert(w);
        assert!(m.sync_personas(&lib));
        assert!(!m.sync_personas(&lib), "a second sync changes nothing");
        let copy = m.persona(&id).unwrap();
        assert_eq!(copy.name, "Maya R.");
        assert_eq!(
            m.channel(&copy.preferred_channels[0]).unwrap().name,
            "Website"
        );
        assert_eq!(m.touchpoint(&t).unwrap().persona_emotions[&id], -1);
        assert_eq!(m.persona(&unlinked).unwrap().name, "Walk-in");
        m.validate().unwrap();
    }

    #[test]
    fn sync_leaves_copies_of_deleted_personas_alone() {
        let mut m = map("a");
        m.attach_workspace_persona(&maya());
        let before = m.clone();
        assert!(!m.sync_personas(&PersonaLibrary::default()));
        assert_eq!(m, before);
    }

    #[test]
    fn detaching_removes_the_copy_and_its_emotions_only_there() {
        let mut a = map("a");
        let mut b = map("b");
        let w = maya();
        let pa = a.attach_workspace_persona(&w);
        b.attach_workspace_persona(&w);
        let t = a.touchpoints[0].id.clone();
        a.set_persona_emotion(&t, &pa, Some(1)).unwrap();
        assert!(a.detach_workspace_persona(&w.id));
        assert!(!a.detach_workspace_persona(&w.id));
        assert!(a.personas.is_empty());
        assert!(a.touchpoints[0].persona_emotions.is_empty());
        assert!(b.linked_persona(&w.id).is_some());
        a.validate().unwrap();
    }

    #[test]
    fn template_personas_are_listed_as_map_only_and_adopted_whole() {
        let m = (templates::template("retail").unwrap().build)(Id::new("r"), 0.0);
        let mut lib = PersonaLibrary::default();
        let only = lib.map_only([&m]);
        assert_eq!(only.len(), m.personas.len());
        assert!(only.iter().all(|o| o.map == m.id && o.matches.is_none()));
        let first = &only[0];
        assert!(first.emotions > 0, "the retail personas have curves");

        let adopted = lib.adopt(&m, &first.persona.id, Id::new("wp-1")).unwrap();
        assert_eq!(adopted.id, Id::new("wp-1"));
        assert_eq!(adopted.name, first.persona.name);
        assert_eq!(adopted.segment_key, first.persona.segment_key);
        assert_eq!(
            adopted.preferred_channels.len(),
            first.persona.preferred_channels.len()
        );

        let mut linked = m.clone();
        linked.link_persona(&first.persona.id, &adopted).unwrap();
        assert_eq!(
            linked.persona(&first.persona.id).unwrap(),
            &Persona {
                source: Some(adopted.id.clone()),
                ..first.persona.clone()
            },
            "adopting loses nothing"
        );
        assert_eq!(lib.map_only([&linked]).len(), m.personas.len() - 1);
        assert_eq!(lib.uses(&adopted.id, [&linked])[0].emotions, first.emotions);
        linked.validate().unwrap();
    }

    #[test]
    fn the_same_template_twice_offers_a_lossless_link() {
        let build = templates::template("retail").unwrap().build;
        let a = build(Id::new("a"), 0.0);
        let b = build(Id::new("b"), 0.0);
        let mut lib = PersonaLibrary::default();
        let p = a.personas[0].id.clone();
        let adopted = lib.adopt(&a, &p, Id::new("wp-1")).unwrap();
        let only = lib.map_only([&b]);
        assert_eq!(only[0].matches, Some(adopted.id.clone()));
        assert_eq!(only[1].matches, None);
    }

    #[test]
    fn adopting_a_dangling_link_restores_it_for_every_map() {
        let mut a = map("a");
        let mut b = map("b");
        let w = maya();
        let pa = a.attach_workspace_persona(&w);
        b.attach_workspace_persona(&w);
        let mut lib = PersonaLibrary::default();
        assert_eq!(lib.map_only([&a, &b]).len(), 2);
        let back = lib.adopt(&a, &pa, Id::new("unused")).unwrap();
        assert_eq!(back.id, w.id);
        assert!(lib.map_only([&a, &b]).is_empty());
        assert_eq!(lib.uses(&w.id, [&a, &b]).len(), 2);
        assert!(lib.adopt(&a, &pa, Id::new("again")).is_err());
    }

    #[test]
    fn linking_to_a_persona_already_on_the_map_unlinks_the_other_copy() {
        let mut m = map("a");
        let w = maya();
        let first = m.attach_workspace_persona(&w);
        let second = m.add_persona("Maya too");
        m.link_persona(&second, &w).unwrap();
        assert_eq!(m.persona(&first).unwrap().source, None);
        assert_eq!(m.linked_persona(&w.id).unwrap().id, second);
        m.validate().unwrap();
        assert!(m.link_persona(&Id::new("ghost"), &w).is_err());
    }

    #[test]
    fn validate_names_the_broken_field() {
        let mut lib = PersonaLibrary::default();
        lib.upsert(maya());
        lib.personas.push(maya());
        let e = lib.validate().unwrap_err();
        assert_eq!(e.field, "personas[1].id");
        lib.personas[1].id = Id::new("");
        assert!(lib.validate().unwrap_err().message.contains("empty"));

        let mut m = map("a");
        m.attach_workspace_persona(&maya());
        m.personas.push(Persona {
            id: Id::new("px"),
            source: Some(Id::new("wp-maya")),
            ..Persona::default()
        });
        assert_eq!(m.validate().unwrap_err().field, "personas[1].source");
    }

    #[test]
    fn creating_needs_a_name_and_a_fresh_id() {
        let mut lib = PersonaLibrary::default();
        assert_eq!(lib.create(Id::new("wp-1"), "  ").unwrap_err().field, "name");
        lib.create(Id::new("wp-1"), " Tom ").unwrap();
        assert_eq!(lib.personas[0].name, "Tom");
        assert!(lib.create(Id::new("wp-1"), "Tom").is_err());
        assert!(lib.remove(&Id::new("wp-1")).is_some());
        assert!(lib.remove(&Id::new("wp-1")).is_none());
    }

    #[test]
    fn a_duplicate_is_a_separate_persona_next_to_the_original() {
        let mut lib = PersonaLibrary::default();
        lib.create(Id::new("wp-0"), "First").unwrap();
        lib.upsert(maya());
        lib.create(Id::new("wp-2"), "Last").unwrap();
        let copy = lib.duplicate(&Id::new("wp-maya"), Id::new("wp-3")).unwrap();
        assert_eq!(copy.name, "Maya (copy)");
        assert_eq!(copy.quote, maya().quote);
        assert_eq!(copy.preferred_channels, maya().preferred_channels);
        let order: Vec<_> = lib.personas.iter().map(|p| p.id.as_str()).collect();
        assert_eq!(order, ["wp-0", "wp-maya", "wp-3", "wp-2"]);
        lib.validate().unwrap();
        let mut m = map("a");
        m.attach_workspace_persona(&maya());
        assert!(lib.uses(&copy.id, [&m]).is_empty());
        assert!(lib.duplicate(&Id::new("ghost"), Id::new("wp-4")).is_err());
        assert!(lib.duplicate(&Id::new("wp-0"), Id::new("wp-3")).is_err());
    }

    #[test]
    fn preferred_channels_are_names_ignoring_case() {
        let mut w = maya();
        assert!(w.prefers("Mobile App"));
        w.set_preferred("STORE", false);
        assert!(!w.prefers("store"));
        w.set_preferred("Live chat", true);
        w.set_preferred("live chat", true);
        assert_eq!(
            w.preferred_channels
                .iter()
                .filter(|n| same_name(n, "live chat"))
                .count(),
            1
        );
        let lib = PersonaLibrary { personas: vec![w] };
        let names = lib.channel_names([&map("a")]);
        assert!(names.contains(&"Fax".to_string()));
        assert_eq!(
            names.iter().filter(|n| same_name(n, "mobile app")).count(),
            1
        );
    }

    #[test]
    fn old_map_json_without_links_parses_and_new_links_round_trip() {
        let m: JourneyMap = serde_json::from_str(
            r#"{"id":"m","name":"Old","personas":[{"id":"p1","name":"Sam"}]}"#,
        )
        .unwrap();
        assert_eq!(m.personas[0].source, None);
        let json = serde_json::to_string(&m).unwrap();
        assert!(!json.contains("source"), "unlinked copies store as before");
        let mut linked = m.clone();
        linked.link_persona(&Id::new("p1"), &maya()).unwrap();
        let back: JourneyMap =
            serde_json::from_str(&serde_json::to_string(&linked).unwrap()).unwrap();
        assert_eq!(back, linked);
    }
}
