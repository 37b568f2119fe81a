//! The app's state, provided as context. Every storage access of the UI goes
//! through here, so the rules in `storage` (conflicts, quarantine, quota)
//! are applied in one place and surfaced to the user as notices.

mod backup;
mod transfer;
mod workspace;

use std::time::Duration;

use leptos::leptos_dom::helpers::TimeoutHandle;
use leptos::prelude::*;

use crate::history::History;
use crate::model::{Id, JourneyMap, MapSummary, ModelError};
use crate::route::Route;
use crate::storage::browser::{now_ms, random_id, Backend};
use crate::storage::personas::personas_key;
use crate::storage::repository::{map_id_of_key, parse_stored};
use crate::storage::{LoadError, Loaded, Quarantined, Repository, SaveError, StoreError};
use crate::templates;

pub use workspace::Workspace;

/// How long typing may pause before the map is saved. Short enough that a
/// closed tab loses at most this much; page hide flushes anyway.
const AUTOSAVE_DELAY: Duration = Duration::from_millis(400);

#[derive(Clone, Debug, PartialEq)]
pub enum NoticeKind {
    Info,
    Error,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Notice {
    pub id: u64,
    pub kind: NoticeKind,
    pub text: String,
}

/// The map being viewed and what is needed to save it safely.
#[derive(Clone, Copy)]
pub struct OpenMap {
    pub map: RwSignal<Option<JourneyMap>>,
    /// The stored revision edits build on; `None` until first stored.
    pub rev: RwSignal<Option<u64>>,
    /// Edited since the last successful save.
    pub dirty: RwSignal<bool>,
    /// Another tab's newer version, waiting for the user to choose.
    pub conflict: RwSignal<Option<Loaded>>,
    pub load_error: RwSignal<Option<String>>,
    pending: StoredValue<Option<TimeoutHandle>, LocalStorage>,
    /// Undo and redo of this map's edits. Cleared whenever another version
    /// of the map replaces the one edited here, since its steps would undo
    /// into a state that never existed.
    history: StoredValue<History<JourneyMap>, LocalStorage>,
    pub can_undo: RwSignal<bool>,
    pub can_redo: RwSignal<bool>,
}

#[derive(Clone, Copy)]
pub struct AppState {
    repo: StoredValue<Repository<Backend>, LocalStorage>,
    pub route: RwSignal<Route>,
    pub maps: RwSignal<Vec<MapSummary>>,
    pub quarantined: RwSignal<Vec<Quarantined>>,
    /// Why maps are kept in memory only; `None` when they are saved.
    pub memory_only: RwSignal<Option<String>>,
    pub notices: RwSignal<Vec<Notice>>,
    /// Name of the map whose deletion can still be undone.
    pub undoable_delete: RwSignal<Option<String>>,
    pub open: OpenMap,
    pub workspace: Workspace,
}

impl AppState {
    /// Opens browser storage (or the in-memory fallback) and reads the library.
    pub fn open() -> Self {
        let (backend, unavailable) = Backend::open();
        let repo = Repository::new(backend, random_id("tab-"), now_ms);
        let state = AppState {
            repo: StoredValue::new_local(repo),
            route: RwSignal::new(current_route()),
            maps: RwSignal::new(Vec::new()),
            quarantined: RwSignal::new(Vec::new()),
            memory_only: RwSignal::new(unavailable.map(|e| e.to_string())),
            notices: RwSignal::new(Vec::new()),
            undoable_delete: RwSignal::new(None),
            open: OpenMap {
                map: RwSignal::new(None),
                rev: RwSignal::new(None),
                dirty: RwSignal::new(false),
                conflict: RwSignal::new(None),
                load_error: RwSignal::new(None),
                pending: StoredValue::new_local(None),
                history: StoredValue::new_local(History::default()),
                can_undo: RwSignal::new(false),
                can_redo: RwSignal::new(false),
            },
            workspace: Workspace::new(),
        };
        state.refresh_library();
        state.load_workspace();
        state
    }

    pub fn notify(&self, kind: NoticeKind, text: impl Into<String>) {
        let text = text.into();
        self.notices.update(|n| {
            if n.iter().any(|x| x.text == text) {
                return;
            }
            let id = n.iter().map(|x| x.id).max().unwrap_or(0) + 1;
            n.push(Notice { id, kind, text });
        });
    }

    pub fn dismiss(&self, id: u64) {
        self.notices.update(|n| n.retain(|x| x.id != id));
    }

    fn storage_failed(&self, what: &str, e: &StoreError) {
        self.notify(NoticeKind::Error, format!("{what}: {e}"));
    }

    pub fn refresh_library(&self) {
        let listed = self.repo.try_update_value(|r| (r.list(), r.quarantined()));
        let Some((maps, quarantined)) = listed else {
            return;
        };
        match maps {
            Ok(maps) => self.maps.set(maps),
            Err(e) => self.storage_failed("Could not list maps", &e),
        }
        if let Ok(q) = quarantined {
            self.quarantined.set(q);
        }
    }

    /// Changes the view, unless it is already showing: `navigate` and the
    /// `hashchange` it causes both arrive here, and rebuilding the view twice
    /// would drop focus and state.
    pub fn set_route(&self, route: Route) {
        if self.route.with_untracked(|r| r != &route) {
            self.route.set(route);
        }
    }

    pub fn navigate(&self, route: Route) {
        if let Some(window) = web_sys::window() {
            let _ = window.location().set_hash(&route.hash());
        }
        self.set_route(route);
    }

    /// Stores a new map and opens it. If storing fails the map stays open in
    /// memory, marked unsaved, and autosave keeps retrying on each edit.
    fn create(&self, map: JourneyMap) {
        self.flush();
        let id = map.id.clone();
        let saved = self.repo.update_value_ret(|r| r.save(&map, None));
        match saved {
            Ok(rev) => self.show(map, Some(rev), false),
            Err(e) => {
                self.notify(
                    NoticeKind::Error,
                    format!("The new map is open but not saved: {e}"),
                );
                self.show(map, None, true);
            }
        }
        self.refresh_library();
        self.navigate(Route::Map(id));
    }

    pub fn create_blank(&self, name: &str) {
        let name = if name.trim().is_empty() {
            "Untitled journey"
        } else {
            name.trim()
        };
        self.create(JourneyMap::new(Id::new(random_id("m-")), name, now_ms()));
    }

    /// Starts a future-state (to-be) map from the open one and opens it.
    pub fn create_future_state(&self) {
        let Some(current) = self.open.map.get_untracked() else {
            return;
        };
        let name = format!("{} (future state)", current.name);
        self.create(current.future_state(Id::new(random_id("m-")), name, now_ms()));
    }

    pub fn create_from_template(&self, key: &str) {
        if let Some(t) = templates::template(key) {
            self.create((t.build)(Id::new(random_id("m-")), now_ms()));
        }
    }

    fn show(&self, map: JourneyMap, rev: Option<u64>, dirty: bool) {
        self.open.map.set(Some(map));
        self.open.rev.set(rev);
        self.open.dirty.set(dirty);
        self.open.conflict.set(None);
        self.open.load_error.set(None);
        self.open.history.update_value(History::clear);
        self.sync_history();
    }

    /// Makes `id` the open map, unless it already is.
    pub fn open_map(&self, id: &Id) {
        if self
            .open
            .map
            .with_untracked(|m| m.as_ref().map(|m| &m.id) == Some(id))
        {
            return;
        }
        self.flush();
        match self.repo.update_value_ret(|r| r.load(id)) {
            Ok(mut loaded) => {
                // Copies of workspace personas catch up with edits that
                // could not reach this map when they were made; before
                // showing, so the catch-up is no undo step.
                let synced = self
                    .workspace
                    .library
                    .with_untracked(|lib| loaded.map.sync_personas(lib));
                if synced {
                    loaded.map.updated_ms = now_ms();
                }
                self.show(loaded.map, Some(loaded.rev), synced);
                if synced {
                    self.schedule_save();
                }
            }
            Err(e) => {
                self.open.map.set(None);
                self.open.load_error.set(Some(e.to_string()));
                if matches!(e, LoadError::Quarantined(_)) {
                    self.refresh_library();
                }
            }
        }
    }

    /// Stops editing the open map, which must have no unsaved edits; its
    /// undo history goes, as the next open may bring changes made elsewhere.
    fn close_map(&self) {
        if let Some(h) = self.open.pending.try_update_value(Option::take).flatten() {
            h.clear();
        }
        self.open.map.set(None);
        self.open.rev.set(None);
        self.open.conflict.set(None);
        self.open.history.update_value(History::clear);
        self.sync_history();
    }

    /// Applies an edit to the open map, records it for undo and schedules
    /// its save.
    pub fn edit(&self, f: impl FnOnce(&mut JourneyMap)) {
        self.apply(None, |m| {
            f(m);
            Ok(())
        });
    }

    /// Like [`AppState::edit`] for typing: keystrokes with the same `key`
    /// (one text box) join one undo step.
    pub fn typing(&self, key: &str, f: impl FnOnce(&mut JourneyMap) -> Result<(), ModelError>) {
        self.apply(Some(key), f);
    }

    /// Applies a model operation to the open map. A failed operation
    /// changes nothing and is reported; an operation that changes nothing
    /// leaves no undo step, triggers no save and wakes no view.
    pub fn apply<R>(
        &self,
        key: Option<&str>,
        f: impl FnOnce(&mut JourneyMap) -> Result<R, ModelError>,
    ) -> Option<R> {
        let mut outcome = None;
        let mut changed = false;
        let history = self.open.history;
        self.open.map.maybe_update(|m| {
            let Some(m) = m else { return false };
            let before = m.clone();
            match f(m) {
                Ok(r) => {
                    outcome = Some(Ok(r));
                    changed = *m != before;
                    if changed {
                        let now = now_ms();
                        history.update_value(|h| h.record(&before, key, now));
                        m.updated_ms = now;
                    }
                    changed
                }
                Err(e) => {
                    *m = before;
                    outcome = Some(Err(e));
                    false
                }
            }
        });
        match outcome? {
            Ok(r) => {
                if changed {
                    self.sync_history();
                    self.open.dirty.set(true);
                    self.schedule_save();
                }
                Some(r)
            }
            Err(e) => {
                self.notify(NoticeKind::Error, format!("That change was not made: {e}"));
                None
            }
        }
    }

    /// Ends the current typing step, so the next keystroke starts a new
    /// undo step (called when a text box loses focus).
    pub fn seal(&self) {
        self.open.history.update_value(History::seal);
    }

    pub fn undo(&self) {
        self.step(History::undo);
    }

    pub fn redo(&self) {
        self.step(History::redo);
    }

    fn step(&self, f: fn(&mut History<JourneyMap>, &JourneyMap) -> Option<JourneyMap>) {
        let Some(current) = self.open.map.get_untracked() else {
            return;
        };
        let Some(mut restored) = self
            .open
            .history
            .try_update_value(|h| f(h, &current))
            .flatten()
        else {
            return;
        };
        restored.updated_ms = now_ms();
        self.open.map.set(Some(restored));
        self.sync_history();
        self.open.dirty.set(true);
        self.schedule_save();
    }

    /// Mirrors the history into signals only when they change, so the undo
    /// buttons do not re-render on every keystroke.
    fn sync_history(&self) {
        let (undo, redo) = self
            .open
            .history
            .with_value(|h| (h.can_undo(), h.can_redo()));
        if self.open.can_undo.get_untracked() != undo {
            self.open.can_undo.set(undo);
        }
        if self.open.can_redo.get_untracked() != redo {
            self.open.can_redo.set(redo);
        }
    }

    fn schedule_save(&self) {
        if let Some(h) = self.open.pending.try_update_value(Option::take).flatten() {
            h.clear();
        }
        let state = *self;
        if let Ok(h) = set_timeout_with_handle(move || state.flush(), AUTOSAVE_DELAY) {
            self.open.pending.set_value(Some(h));
        }
    }

    /// Saves the open map now if it has unsaved edits. Called by the
    /// autosave timer, on page hide, and before another map opens.
    pub fn flush(&self) {
        if let Some(h) = self.open.pending.try_update_value(Option::take).flatten() {
            h.clear();
        }
        if !self.open.dirty.get_untracked() || self.open.conflict.with_untracked(Option::is_some) {
            return;
        }
        let Some(map) = self.open.map.get_untracked() else {
            return;
        };
        let base = self.open.rev.get_untracked();
        match self.repo.update_value_ret(|r| r.save(&map, base)) {
            Ok(rev) => {
                self.open.rev.set(Some(rev));
                self.open.dirty.set(false);
                self.refresh_library();
            }
            Err(SaveError::Conflict(theirs)) => self.open.conflict.set(Some(*theirs)),
            Err(SaveError::Store(e)) => self.storage_failed("Not saved", &e),
        }
    }

    /// Settles a conflict with another tab: keep this tab's version (saved
    /// over theirs) or take theirs (this tab's unsaved edits are dropped).
    pub fn resolve_conflict(&self, keep_mine: bool) {
        let Some(theirs) = self.open.conflict.get_untracked() else {
            return;
        };
        self.open.conflict.set(None);
        if keep_mine {
            self.open.rev.set(Some(theirs.rev));
            self.open.dirty.set(true);
            // Theirs may carry a workspace persona edit; keeping mine must
            // not bring back the stale copy.
            let library = self.workspace.library.get_untracked();
            self.edit(|m| {
                m.sync_personas(&library);
            });
            self.flush();
        } else {
            self.show(theirs.map, Some(theirs.rev), false);
        }
    }

    /// Another tab wrote to storage (the `storage` event never fires in the
    /// tab that wrote).
    pub fn external_change(&self, key: &str, new_value: Option<String>) {
        self.refresh_library();
        if key == personas_key() {
            self.external_personas_change();
        }
        if self
            .route
            .with_untracked(|r| matches!(r, Route::Personas(_)))
        {
            self.sync_maps();
        }
        let Some(id) = map_id_of_key(key) else {
            return;
        };
        let is_open = self
            .open
            .map
            .with_untracked(|m| m.as_ref().map(|m| &m.id) == Some(&id));
        if !is_open {
            return;
        }
        let Some(raw) = new_value else {
            self.open.rev.set(None);
            self.open.dirty.set(true);
            self.notify(
                NoticeKind::Info,
                "This map was deleted in another tab. It stays open here; your next edit saves it again.",
            );
            return;
        };
        let Ok(theirs) = parse_stored(&raw, Some(&id)) else {
            return;
        };
        let same = self.open.map.with_untracked(|m| {
            m.as_ref().is_some_and(|m| {
                JourneyMap {
                    updated_ms: theirs.map.updated_ms,
                    ..m.clone()
                } == theirs.map
            })
        });
        if same {
            // Both tabs made the same change (a workspace persona edit
            // reaches every tab): no conflict, just build on their save.
            self.open.rev.set(Some(theirs.rev));
            self.open.dirty.set(false);
        } else if self.open.dirty.get_untracked() {
            self.open.conflict.set(Some(theirs));
        } else {
            self.show(theirs.map, Some(theirs.rev), false);
        }
    }

    /// Changes a map that may or may not be the open one.
    fn change_stored(&self, id: &Id, f: impl FnOnce(&mut JourneyMap)) {
        if self
            .open
            .map
            .with_untracked(|m| m.as_ref().map(|m| &m.id) == Some(id))
        {
            self.edit(f);
            self.flush();
            return;
        }
        let result = self.repo.update_value_ret(|r| {
            let mut loaded = r.load(id).map_err(|e| e.to_string())?;
            f(&mut loaded.map);
            loaded.map.updated_ms = now_ms();
            r.save(&loaded.map, Some(loaded.rev))
                .map_err(|e| e.to_string())
        });
        if let Err(e) = result {
            self.notify(NoticeKind::Error, e);
        }
        self.refresh_library();
    }

    pub fn rename(&self, id: &Id, name: &str) {
        let name = name.trim().to_owned();
        if !name.is_empty() {
            self.change_stored(id, |m| m.name = name);
        }
    }

    pub fn duplicate(&self, id: &Id) {
        self.flush();
        let result = self.repo.update_value_ret(|r| {
            let source = r.load(id).map_err(|e| e.to_string())?.map;
            let copy = source.duplicate(
                Id::new(random_id("m-")),
                format!("{} (copy)", source.name),
                now_ms(),
            );
            r.save(&copy, None).map_err(|e| e.to_string())
        });
        if let Err(e) = result {
            self.notify(NoticeKind::Error, format!("Could not duplicate: {e}"));
        }
        self.refresh_library();
    }

    pub fn delete(&self, id: &Id) {
        self.flush();
        let name = self
            .maps
            .with_untracked(|maps| maps.iter().find(|m| &m.id == id).map(|m| m.name.clone()));
        match self.repo.update_value_ret(|r| r.delete(id)) {
            Ok(()) => {
                if self
                    .open
                    .map
                    .with_untracked(|m| m.as_ref().map(|m| &m.id) == Some(id))
                {
                    self.open.map.set(None);
                    self.open.dirty.set(false);
                }
                self.undoable_delete.set(Some(name.unwrap_or_default()));
            }
            Err(e) => self.storage_failed("Could not delete", &e),
        }
        self.refresh_library();
    }

    pub fn undo_delete(&self) {
        self.undoable_delete.set(None);
        match self.repo.update_value_ret(|r| r.undo_delete()) {
            Ok(Some(_)) => {}
            Ok(None) => self.notify(
                NoticeKind::Info,
                "Nothing to restore: a map with that id was saved since.",
            ),
            Err(e) => self.storage_failed("Could not restore", &e),
        }
        self.refresh_library();
    }

    pub fn discard_quarantined(&self, key: &str) {
        if let Err(e) = self.repo.update_value_ret(|r| r.discard_quarantined(key)) {
            self.storage_failed("Could not discard", &e);
        }
        self.refresh_library();
    }

    /// Another stored map, read-only (the as-is map a to-be map is compared
    /// with). `None` when it was deleted or cannot be read; the library
    /// reports unreadable maps.
    pub fn stored_map(&self, id: &Id) -> Option<JourneyMap> {
        self.repo
            .update_value_ret(|r| r.load(id).ok())
            .map(|l| l.map)
    }
}

/// `StoredValue::update_value` returns nothing; this returns the closure's
/// result, which every repository call needs.
trait UpdateRet<T> {
    fn update_value_ret<R>(&self, f: impl FnOnce(&mut T) -> R) -> R;
}

impl<T: 'static> UpdateRet<T> for StoredValue<T, LocalStorage> {
    fn update_value_ret<R>(&self, f: impl FnOnce(&mut T) -> R) -> R {
        self.try_update_value(f)
            .expect("the repository lives as long as the app")
    }
}

pub fn current_route() -> Route {
    let hash = web_sys::window()
        .and_then(|w| w.location().hash().ok())
        .unwrap_or_default();
    Route::parse(&hash)
}
