//! Workspace personas in the app state: the personas page edits them, and
//! every change reaches the maps they are attached to through the same
//! repository rules (revisions, conflicts, notices) as any map edit.
//!
//! The open map never takes a propagated change behind the editor's back:
//! the personas page closes a map with no unsaved edits first, and a map
//! that is still open (unsaved after a failed save) gets the change as an
//! ordinary, undoable edit. A map that could not be updated (full storage,
//! unreadable) is brought in line the next time it opens.

use std::collections::BTreeMap;
use std::time::Duration;

use leptos::leptos_dom::helpers::TimeoutHandle;
use leptos::prelude::*;

use super::{AppState, NoticeKind, UpdateRet};
use crate::model::{Id, JourneyMap, ModelError};
use crate::personas::{PersonaLibrary, WorkspacePersona};
use crate::route::Route;
use crate::storage::browser::{now_ms, random_id};
use crate::storage::personas::PersonasError;

/// Same pause as map autosave: typing on the personas page should feel the
/// same, and a closed tab loses no more.
const AUTOSAVE_DELAY: Duration = Duration::from_millis(400);

#[derive(Clone, Copy)]
pub struct Workspace {
    pub library: RwSignal<PersonaLibrary>,
    /// Every readable map, loaded whole, so the personas page can show where
    /// each persona is used and which personas only maps hold. Filled while
    /// the personas page is open.
    pub maps: RwSignal<Vec<JourneyMap>>,
    /// Personas edited here and not yet stored.
    pub dirty: RwSignal<bool>,
    /// Counts changes another tab made to the personas, so an open editor
    /// (whose fields are not rewritten while typing) is rebuilt to show them.
    pub external: RwSignal<u64>,
    pending: StoredValue<BTreeMap<Id, WorkspacePersona>, LocalStorage>,
    timer: StoredValue<Option<TimeoutHandle>, LocalStorage>,
}

impl Workspace {
    pub(super) fn new() -> Self {
        Workspace {
            library: RwSignal::new(PersonaLibrary::default()),
            maps: RwSignal::new(Vec::new()),
            dirty: RwSignal::new(false),
            external: RwSignal::new(0),
            pending: StoredValue::new_local(BTreeMap::new()),
            timer: StoredValue::new_local(None),
        }
    }
}

impl AppState {
    fn personas_failed(&self, what: &str, e: &PersonasError) {
        self.notify(NoticeKind::Error, format!("{what}: {e}"));
    }

    /// Shows `stored` with this tab's unsaved edits on top, so reading what
    /// another tab saved never drops what is being typed here.
    fn show_library(&self, mut stored: PersonaLibrary) {
        self.workspace.pending.with_value(|pending| {
            for p in pending.values() {
                stored.upsert(p.clone());
            }
        });
        self.workspace.library.set(stored);
    }

    /// Reads the workspace personas from storage.
    pub fn load_workspace(&self) {
        match self.repo.update_value_ret(|r| r.load_personas()) {
            Ok(loaded) => self.show_library(loaded.library),
            Err(e) => {
                self.personas_failed("Workspace personas", &e);
                self.refresh_library();
            }
        }
    }

    /// Prepares the personas page: closes the map, unless it has edits that
    /// could not be saved, and reads personas and maps afresh.
    pub fn open_personas_page(&self) {
        self.flush();
        if !self.open.dirty.get_untracked() {
            self.close_map();
        }
        self.load_workspace();
        self.sync_maps();
    }

    /// Reads every map, brings its copies of workspace personas in line
    /// and saves the ones that changed. Failures are reported per map; the
    /// map is synced again when it is next opened.
    pub fn sync_maps(&self) {
        self.refresh_library();
        let library = self.workspace.library.get_untracked();
        let open = self
            .open
            .map
            .with_untracked(|m| m.as_ref().map(|m| m.id.clone()));
        if open.is_some() {
            self.edit(|m| {
                m.sync_personas(&library);
            });
            self.flush();
        }
        let ids: Vec<Id> = self
            .maps
            .with_untracked(|maps| maps.iter().map(|m| m.id.clone()).collect());
        let mut failures = Vec::new();
        let maps: Vec<JourneyMap> = self.repo.update_value_ret(|r| {
            ids.iter()
                .filter_map(|id| {
                    if Some(id) == open.as_ref() {
                        return None;
                    }
                    let mut loaded = r.load(id).ok()?;
                    if loaded.map.sync_personas(&library) {
                        loaded.map.updated_ms = now_ms();
                        if let Err(e) = r.save(&loaded.map, Some(loaded.rev)) {
                            failures.push(format!(
                                "Personas on “{}” were not updated: {e}",
                                loaded.map.name
                            ));
                            return r.load(id).ok().map(|l| l.map);
                        }
                    }
                    Some(loaded.map)
                })
                .collect()
        });
        let open_map = self.open.map.get_untracked();
        let mut all: Vec<JourneyMap> = open_map.into_iter().chain(maps).collect();
        all.sort_by_key(|m| m.name.to_lowercase());
        self.workspace.maps.set(all);
        for f in failures {
            self.notify(NoticeKind::Error, f);
        }
        self.refresh_library();
    }

    /// Keeps an edit of a persona's details and schedules its save.
    pub fn edit_persona(&self, persona: WorkspacePersona) {
        let ws = self.workspace;
        ws.pending.update_value(|p| {
            p.insert(persona.id.clone(), persona.clone());
        });
        ws.library.update(|lib| lib.upsert(persona));
        ws.dirty.set(true);
        if let Some(h) = ws.timer.try_update_value(Option::take).flatten() {
            h.clear();
        }
        let state = *self;
        if let Ok(h) = set_timeout_with_handle(move || state.flush_workspace(), AUTOSAVE_DELAY) {
            ws.timer.set_value(Some(h));
        }
    }

    /// Stores pending persona edits and carries them to every map. On
    /// failure the edits stay here, shown and pending, and the next edit or
    /// page hide tries again.
    pub fn flush_workspace(&self) {
        let ws = self.workspace;
        if let Some(h) = ws.timer.try_update_value(Option::take).flatten() {
            h.clear();
        }
        let pending = ws.pending.with_value(BTreeMap::clone);
        if pending.is_empty() {
            return;
        }
        let saved = self.repo.update_value_ret(|r| {
            r.update_personas(|lib| {
                pending.values().cloned().for_each(|p| lib.upsert(p));
                Ok(())
            })
        });
        match saved {
            Ok((loaded, ())) => {
                ws.pending.update_value(|p| {
                    p.retain(|id, now| pending.get(id) != Some(now));
                });
                ws.dirty.set(ws.pending.with_value(|p| !p.is_empty()));
                self.show_library(loaded.library);
                self.sync_maps();
            }
            Err(e) => self.personas_failed("Personas not saved", &e),
        }
    }

    /// Runs a structural change (create, delete, adopt) on the stored set,
    /// after storing pending edits so the change builds on them.
    fn change_workspace<R>(
        &self,
        what: &str,
        f: impl FnOnce(&mut PersonaLibrary) -> Result<R, ModelError>,
    ) -> Option<R> {
        self.flush_workspace();
        match self.repo.update_value_ret(|r| r.update_personas(f)) {
            Ok((loaded, out)) => {
                self.show_library(loaded.library);
                Some(out)
            }
            Err(e) => {
                self.personas_failed(what, &e);
                None
            }
        }
    }

    /// Creates a workspace persona and returns its id.
    pub fn create_persona(&self, name: &str) -> Option<WorkspacePersona> {
        let id = Id::new(random_id("wp-"));
        self.change_workspace("Persona not created", |lib| {
            lib.create(id.clone(), name)?;
            Ok(lib.get(&id).cloned())
        })
        .flatten()
    }

    /// Adds a copy of a workspace persona and returns it.
    pub fn duplicate_persona(&self, id: &Id) -> Option<WorkspacePersona> {
        let fresh = Id::new(random_id("wp-"));
        self.change_workspace("Persona not duplicated", |lib| lib.duplicate(id, fresh))
    }

    /// Deletes a workspace persona. Maps keep their copies (and emotions);
    /// they then show as held by those maps, ready to be added again.
    pub fn delete_persona(&self, id: &Id) {
        self.workspace.pending.update_value(|p| {
            p.remove(id);
        });
        if self
            .change_workspace("Persona not deleted", |lib| Ok(lib.remove(id)))
            .is_some()
        {
            self.navigate(Route::Personas(None));
            self.sync_maps();
        }
    }

    /// Attaches a workspace persona to a map (a copy, linked back).
    pub fn attach_persona_to(&self, persona: &Id, map: &Id) {
        self.flush_workspace();
        let Some(p) = self
            .workspace
            .library
            .with_untracked(|l| l.get(persona).cloned())
        else {
            return;
        };
        self.change_stored(map, move |m| {
            m.attach_workspace_persona(&p);
        });
        self.sync_maps();
    }

    /// Removes a persona's copy, and its emotions, from one map.
    pub fn detach_persona_from(&self, persona: &Id, map: &Id) {
        let persona = persona.clone();
        self.change_stored(map, move |m| {
            m.detach_workspace_persona(&persona);
        });
        self.sync_maps();
    }

    /// Brings a persona that only `map` holds into the workspace: as a new
    /// workspace persona (`into == None`), or linked to an existing one,
    /// whose details the copy then takes. Returns the workspace persona.
    pub fn adopt_persona(
        &self,
        map: &Id,
        persona: &Id,
        into: Option<&Id>,
    ) -> Option<WorkspacePersona> {
        self.flush();
        let source = self.open.map.with_untracked(|m| {
            m.as_ref()
                .filter(|m| &m.id == map)
                .cloned()
                .map(|m| (m, true))
        });
        let (source, is_open) = match source {
            Some(s) => s,
            None => match self.repo.update_value_ret(|r| r.load(map)) {
                Ok(l) => (l.map, false),
                Err(e) => {
                    self.notify(NoticeKind::Error, format!("Persona not added: {e}"));
                    return None;
                }
            },
        };
        let target = match into {
            Some(id) => self
                .workspace
                .library
                .with_untracked(|l| l.get(id).cloned())?,
            None => {
                let fresh = Id::new(random_id("wp-"));
                self.change_workspace("Persona not added", |lib| {
                    lib.adopt(&source, persona, fresh)
                })?
            }
        };
        let linked = target.clone();
        let persona = persona.clone();
        if is_open {
            self.apply(None, move |m| m.link_persona(&persona, &linked))?;
            self.flush();
        } else {
            self.change_stored(map, move |m| {
                // Checked above on the same stored map; a copy removed since
                // by another tab just stays unlinked.
                let _ = m.link_persona(&persona, &linked);
            });
        }
        self.sync_maps();
        Some(target)
    }

    /// Another tab saved the workspace personas. The open map is left to
    /// that tab, which saves every map it changes: this tab then receives
    /// the map as any other tab's save, instead of both editing it at once.
    pub(super) fn external_personas_change(&self) {
        self.load_workspace();
        self.workspace.external.update(|n| *n += 1);
    }
}
