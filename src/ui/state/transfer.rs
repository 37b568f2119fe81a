//! Maps arriving from outside this browser (a map file, a mermaid journey,
//! a share link). They are already validated by the core when they get
//! here; this decides where they are stored, through the same save paths as
//! maps made here, so revisions, undo and other tabs see them as any edit.

use leptos::prelude::*;

use super::AppState;
use crate::model::{Id, JourneyMap};
use crate::storage::browser::{now_ms, random_id};

impl AppState {
    /// The name of the stored map with this id, if there is one (including
    /// one that cannot be read, whose id is taken all the same).
    pub fn existing_map(&self, id: &Id) -> Option<String> {
        let stored = self
            .repo
            .try_with_value(|r| r.stored_ids().map(|ids| ids.contains(id)))
            .and_then(Result::ok)
            .unwrap_or(false);
        stored.then(|| {
            self.maps
                .with_untracked(|maps| maps.iter().find(|m| &m.id == id).map(|m| m.name.clone()))
                .unwrap_or_else(|| id.to_string())
        })
    }

    /// Stores a map whose id is new to this browser as it is, and opens it.
    pub fn import_new(&self, map: JourneyMap) {
        self.create(map);
    }

    /// Stores a copy of `map` under a fresh id, and opens it; used for an
    /// import whose id is taken and for a shared map, which must never
    /// overwrite anything. `suffix` is added to the name, e.g. " (copy)".
    pub fn import_copy(&self, map: &JourneyMap, suffix: &str) {
        let name = format!("{}{suffix}", map.name);
        self.create(map.duplicate(Id::new(random_id("m-")), name, now_ms()));
    }

    /// Replaces the stored map with the same id by `map`, as one edit: on
    /// top of its stored revision (other tabs take it as a change) and, if
    /// it is open here, as an undoable step. Then opens it.
    pub fn import_replace(&self, map: JourneyMap) {
        let id = map.id.clone();
        self.change_stored(&id, move |m| *m = map);
        self.navigate(crate::route::Route::Map(id));
    }
}
