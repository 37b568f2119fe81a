//! Saving, loading, listing and deleting maps, with the guarantees the user
//! relies on: a save either lands whole or changes nothing; data that does
//! not read back is set aside, never overwritten; a save never silently
//! replaces a newer one from another tab.

use std::collections::{HashMap, HashSet};

use serde::{Deserialize, Serialize};

use super::envelope::{Envelope, RawEnvelope};
use super::{migrate, KeyValue, StoreError, PREFIX};
use crate::model::{Id, JourneyMap, MapSummary, SCHEMA_VERSION};

/// A map as read from storage, with the revision a later save must build on.
#[derive(Clone, Debug, PartialEq)]
pub struct Loaded {
    pub map: JourneyMap,
    pub rev: u64,
    pub writer: String,
}

/// A stored value that could not be read, moved aside with the reason so the
/// user can export it and nothing ever writes over it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Quarantined {
    /// Where it lives now.
    #[serde(skip)]
    pub key: String,
    /// Where it was found.
    pub original_key: String,
    pub reason: String,
    pub at_ms: f64,
    /// The value exactly as it was stored.
    pub raw: String,
}

#[derive(Clone, Debug, PartialEq)]
pub enum LoadError {
    Missing,
    /// The value was unreadable and has been moved aside.
    Quarantined(Quarantined),
    /// The value is unreadable and could not even be moved aside (storage
    /// full); it was left exactly where it was.
    Unreadable {
        reason: String,
        store: StoreError,
    },
    Store(StoreError),
}

impl std::fmt::Display for LoadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            LoadError::Missing => f.write_str("this map does not exist (it may have been deleted in another tab)"),
            LoadError::Quarantined(q) => write!(
                f,
                "the saved map could not be read ({}); it was set aside so you can export it",
                q.reason
            ),
            LoadError::Unreadable { reason, store } => write!(
                f,
                "the saved map could not be read ({reason}) and could not be set aside ({store}); it was left untouched"
            ),
            LoadError::Store(e) => e.fmt(f),
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub enum SaveError {
    Store(StoreError),
    /// Another tab saved this map after we last read it. Nothing was written;
    /// the caller decides which version wins.
    Conflict(Box<Loaded>),
}

impl std::fmt::Display for SaveError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SaveError::Store(e) => e.fmt(f),
            SaveError::Conflict(_) => {
                f.write_str("this map was changed in another tab since you opened it")
            }
        }
    }
}

impl From<StoreError> for SaveError {
    fn from(e: StoreError) -> Self {
        SaveError::Store(e)
    }
}

/// Why [`Repository::save_checked`] wrote nothing.
#[derive(Debug)]
pub(super) enum Refused<L> {
    Store(StoreError),
    /// Someone saved since `base_rev`; this is what they saved.
    Conflict(L),
}

/// One row of the stored index: enough to list maps without parsing them.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
struct IndexEntry {
    summary: MapSummary,
    rev: u64,
}

/// The last deleted map, kept so deletion can be undone even after reload.
#[derive(Serialize, Deserialize)]
struct Trash {
    key: String,
    raw: String,
}

pub fn map_key(id: &Id) -> String {
    format!("{PREFIX}map.{id}")
}

/// The id of the map a storage key holds, if it holds one.
pub fn map_id_of_key(key: &str) -> Option<Id> {
    key.strip_prefix(PREFIX)?.strip_prefix("map.").map(Id::new)
}

fn index_key() -> String {
    format!("{PREFIX}index")
}

fn trash_key() -> String {
    format!("{PREFIX}trash")
}

fn quarantine_prefix() -> String {
    format!("{PREFIX}quarantine.")
}

pub struct Repository<S> {
    pub store: S,
    /// This tab's id, written into every envelope it saves.
    pub writer: String,
    /// Milliseconds since the epoch; injected so the core never reads a
    /// clock itself and tests stay deterministic.
    pub clock: fn() -> f64,
    /// Per key, the stored text this tab last read or wrote and its rev.
    /// A save finding exactly that text knows no other tab has written since
    /// and skips parsing the whole stored value again: on a large map that
    /// parse was most of a save's cost.
    seen: HashMap<String, (u64, String)>,
}

impl<S: KeyValue> Repository<S> {
    pub fn new(store: S, writer: impl Into<String>, clock: fn() -> f64) -> Self {
        Repository {
            store,
            writer: writer.into(),
            clock,
            seen: HashMap::new(),
        }
    }

    /// Every map, most recently edited first. Maps missing from the index
    /// (saved by a tab whose index write failed) are read and re-indexed.
    pub fn list(&mut self) -> Result<Vec<MapSummary>, StoreError> {
        let index = self.read_index();
        let by_id: HashMap<&Id, &IndexEntry> = index.iter().map(|e| (&e.summary.id, e)).collect();
        let mut out = Vec::new();
        let mut changed = false;
        for key in self.store.keys()? {
            let Some(id) = map_id_of_key(&key) else {
                continue;
            };
            if let Some(entry) = by_id.get(&id) {
                out.push((*entry).clone());
                continue;
            }
            changed = true;
            if let Ok(loaded) = self.load(&id) {
                out.push(IndexEntry {
                    summary: loaded.map.summary(),
                    rev: loaded.rev,
                });
            }
        }
        if changed || out.len() != index.len() {
            // Best effort: the index is derivable, so failing to store it
            // costs only speed.
            let _ = self.write_index(&out);
        }
        let mut summaries: Vec<MapSummary> = out.into_iter().map(|e| e.summary).collect();
        summaries.sort_by(|a, b| {
            b.updated_ms
                .total_cmp(&a.updated_ms)
                .then_with(|| a.name.cmp(&b.name))
        });
        Ok(summaries)
    }

    fn read_index(&self) -> Vec<IndexEntry> {
        self.store
            .get(&index_key())
            .ok()
            .flatten()
            .and_then(|raw| serde_json::from_str::<Envelope<Vec<IndexEntry>>>(&raw).ok())
            .filter(|env| env.schema == SCHEMA_VERSION)
            .map(|env| env.data)
            .unwrap_or_default()
    }

    fn write_index(&mut self, entries: &[IndexEntry]) -> Result<(), StoreError> {
        let env = Envelope {
            schema: SCHEMA_VERSION,
            rev: 0,
            saved_ms: 0.0,
            writer: self.writer.clone(),
            data: entries,
        };
        let json = serde_json::to_string(&env).map_err(|e| StoreError::Other(e.to_string()))?;
        self.store.set(&index_key(), &json)
    }

    fn update_index(&mut self, summary: Option<MapSummary>, rev: u64, remove: Option<&Id>) {
        let mut entries = self.read_index();
        if let Some(id) = remove {
            entries.retain(|e| &e.summary.id != id);
        }
        if let Some(summary) = summary {
            entries.retain(|e| e.summary.id != summary.id);
            entries.push(IndexEntry { summary, rev });
        }
        let _ = self.write_index(&entries);
    }

    /// Reads a map. Unreadable data is moved to a quarantine key first, so
    /// a later save cannot overwrite it.
    /// A map set aside earlier (by a listing, or in another tab) is
    /// reported as set aside, not as missing: a link to it, opened afresh,
    /// then says why it cannot be shown.
    pub fn load(&mut self, id: &Id) -> Result<Loaded, LoadError> {
        let key = map_key(id);
        match self.load_checked(&key, |raw| parse_stored(raw, Some(id)).map(|l| (l.rev, l))) {
            Err(LoadError::Missing) => Err(self
                .quarantined()
                .ok()
                .and_then(|q| q.into_iter().find(|q| q.original_key == key))
                .map_or(LoadError::Missing, LoadError::Quarantined)),
            other => other,
        }
    }

    fn quarantine(&mut self, key: &str, raw: &str, reason: String) -> LoadError {
        let at_ms = (self.clock)();
        let base = format!(
            "{}{}.{}",
            quarantine_prefix(),
            key.trim_start_matches(PREFIX),
            at_ms as u64
        );
        let mut qkey = base.clone();
        let mut n = 1;
        while matches!(self.store.get(&qkey), Ok(Some(_))) {
            n += 1;
            qkey = format!("{base}-{n}");
        }
        let q = Quarantined {
            key: qkey,
            original_key: key.to_owned(),
            reason: reason.clone(),
            at_ms,
            raw: raw.to_owned(),
        };
        let json = serde_json::to_string(&q).expect("quarantine record serializes");
        match self.store.set(&q.key, &json) {
            Ok(()) => {
                let _ = self.store.remove(key);
                if let Some(id) = map_id_of_key(key) {
                    self.update_index(None, 0, Some(&id));
                }
                LoadError::Quarantined(q)
            }
            Err(store) => LoadError::Unreadable { reason, store },
        }
    }

    /// Writes `map`. `base_rev` is the revision this edit started from
    /// (`None` for a map that must not exist yet); if storage holds anything
    /// else, nothing is written and the other version is returned.
    pub fn save(&mut self, map: &JourneyMap, base_rev: Option<u64>) -> Result<u64, SaveError> {
        let rev = self
            .save_checked(
                &map_key(&map.id),
                SCHEMA_VERSION,
                map.updated_ms,
                map,
                base_rev,
                |raw| parse_stored(raw, Some(&map.id)).map(|l| (l.rev, l)),
            )
            .map_err(|e| match e {
                Refused::Store(e) => SaveError::Store(e),
                Refused::Conflict(theirs) => SaveError::Conflict(Box::new(theirs)),
            })?;
        self.update_index(Some(map.summary()), rev, None);
        Ok(rev)
    }

    /// Deletes a map, keeping it as the one undoable deletion.
    pub fn delete(&mut self, id: &Id) -> Result<(), StoreError> {
        let key = map_key(id);
        let Some(raw) = self.store.get(&key)? else {
            return Ok(());
        };
        let trash = serde_json::to_string(&Trash {
            key: key.clone(),
            raw,
        })
        .map_err(|e| StoreError::Other(e.to_string()))?;
        self.store.remove(&trash_key())?;
        self.store.set(&trash_key(), &trash)?;
        self.store.remove(&key)?;
        self.update_index(None, 0, Some(id));
        self.record_change();
        Ok(())
    }

    /// Puts the last deleted map back, unless a map with its id was saved
    /// since (then the trash is kept and `None` returned).
    pub fn undo_delete(&mut self) -> Result<Option<MapSummary>, StoreError> {
        let Some(raw) = self.store.get(&trash_key())? else {
            return Ok(None);
        };
        let Ok(trash) = serde_json::from_str::<Trash>(&raw) else {
            self.store.remove(&trash_key())?;
            return Ok(None);
        };
        if self.store.get(&trash.key)?.is_some() {
            return Ok(None);
        }
        self.store.set(&trash.key, &trash.raw)?;
        self.store.remove(&trash_key())?;
        self.record_change();
        let restored = parse_stored(&trash.raw, None).ok();
        if let Some(l) = &restored {
            self.update_index(Some(l.map.summary()), l.rev, None);
        }
        Ok(restored.map(|l| l.map.summary()))
    }

    pub fn quarantined(&self) -> Result<Vec<Quarantined>, StoreError> {
        let prefix = quarantine_prefix();
        let mut out = Vec::new();
        for key in self.store.keys()? {
            if !key.starts_with(&prefix) {
                continue;
            }
            let Some(raw) = self.store.get(&key)? else {
                continue;
            };
            let q = serde_json::from_str::<Quarantined>(&raw).unwrap_or(Quarantined {
                key: String::new(),
                original_key: key.clone(),
                reason: "the quarantine record itself was edited".into(),
                at_ms: 0.0,
                raw,
            });
            out.push(Quarantined { key, ..q });
        }
        out.sort_by(|a, b| b.at_ms.total_cmp(&a.at_ms));
        Ok(out)
    }

    pub fn discard_quarantined(&mut self, key: &str) -> Result<(), StoreError> {
        if key.starts_with(&quarantine_prefix()) {
            self.store.remove(key)?;
        }
        Ok(())
    }

    /// Every stored map id, including unreadable ones, so callers can
    /// surface problems without waiting for the user to open each map.
    pub fn stored_ids(&self) -> Result<HashSet<Id>, StoreError> {
        Ok(self
            .store
            .keys()?
            .iter()
            .filter_map(|k| map_id_of_key(k))
            .collect())
    }

    /// Reads any stored value (a map, the workspace personas): `parse`
    /// decides what is readable and returns it with its rev; anything it
    /// rejects is quarantined before the error is returned.
    pub(super) fn load_checked<L>(
        &mut self,
        key: &str,
        parse: impl Fn(&str) -> Result<(u64, L), String>,
    ) -> Result<L, LoadError> {
        let raw = self
            .store
            .get(key)
            .map_err(LoadError::Store)?
            .ok_or(LoadError::Missing)?;
        match parse(&raw) {
            Ok((rev, loaded)) => {
                self.seen.insert(key.to_owned(), (rev, raw));
                Ok(loaded)
            }
            Err(reason) => Err(self.quarantine(key, &raw, reason)),
        }
    }

    /// Writes any stored value: the write lands only on top of `base_rev`
    /// (`None`: the key must be empty), otherwise nothing is written and the
    /// stored version (as `parse` reads it, with its rev) is returned;
    /// unreadable data in the way is quarantined first, never overwritten.
    /// Returns the new rev.
    pub(super) fn save_checked<T: Serialize, L>(
        &mut self,
        key: &str,
        schema: u32,
        saved_ms: f64,
        data: &T,
        base_rev: Option<u64>,
        parse: impl Fn(&str) -> Result<(u64, L), String>,
    ) -> Result<u64, Refused<L>> {
        let current = self.store.get(key).map_err(Refused::Store)?;
        let unchanged = current.as_ref().and_then(|raw| {
            self.seen
                .get(key)
                .filter(|(rev, seen)| Some(*rev) == base_rev && seen == raw)
                .map(|(rev, _)| *rev)
        });
        let rev = match (current, unchanged) {
            (_, Some(rev)) => rev,
            (None, None) => 0,
            (Some(raw), None) => match parse(&raw) {
                Ok((rev, _)) if Some(rev) == base_rev => rev,
                Ok((_, theirs)) => return Err(Refused::Conflict(theirs)),
                Err(reason) => match self.quarantine(key, &raw, reason) {
                    LoadError::Quarantined(_) => 0,
                    LoadError::Unreadable { store, .. } => return Err(Refused::Store(store)),
                    other => return Err(Refused::Store(StoreError::Other(other.to_string()))),
                },
            },
        } + 1;
        let env = Envelope {
            schema,
            rev,
            saved_ms,
            writer: self.writer.clone(),
            data,
        };
        let json = serde_json::to_string(&env)
            .map_err(|e| Refused::Store(StoreError::Other(e.to_string())))?;
        self.store.set(key, &json).map_err(Refused::Store)?;
        self.seen.insert(key.to_owned(), (rev, json));
        self.record_change();
        Ok(rev)
    }
}

/// Reads a stored map value: envelope, migration, parse, validation. The
/// reason names what failed so the user can repair the data by hand.
pub fn parse_stored(raw: &str, expected: Option<&Id>) -> Result<Loaded, String> {
    let env: RawEnvelope =
        serde_json::from_str(raw).map_err(|e| format!("not a Waymark envelope: {e}"))?;
    let data = migrate::migrate(env.data, env.schema).map_err(|e| e.to_string())?;
    let map: JourneyMap =
        serde_path_to_error::deserialize(data).map_err(|e| format!("map data: {e}"))?;
    map.validate().map_err(|e| format!("map data: {e}"))?;
    if let Some(id) = expected {
        if &map.id != id {
            return Err(format!(
                "stored under id \"{id}\" but contains map \"{}\"",
                map.id
            ));
        }
    }
    Ok(Loaded {
        map,
        rev: env.rev,
        writer: env.writer,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::ChannelKind;
    use crate::storage::MemoryStore;

    fn repo() -> Repository<MemoryStore> {
        Repository::new(MemoryStore::new(), "tab-a", || 1_000.0)
    }

    fn map(id: &str, updated: f64) -> JourneyMap {
        let mut m = JourneyMap::new(Id::new(id), format!("Map {id}"), updated);
        let s = m.add_stage("Awareness");
        let c = m.add_channel("Social", ChannelKind::Digital);
        m.add_touchpoint(&s, &c, "Ad").unwrap();
        m
    }

    #[test]
    fn save_then_load_returns_the_same_map() {
        let mut r = repo();
        let m = map("a", 1.0);
        let rev = r.save(&m, None).unwrap();
        let loaded = r.load(&m.id).unwrap();
        assert_eq!(loaded.map, m);
        assert_eq!(loaded.rev, rev);
        assert_eq!(loaded.writer, "tab-a");
    }

    #[test]
    fn list_is_sorted_by_last_edit_with_counts() {
        let mut r = repo();
        r.save(&map("old", 1.0), None).unwrap();
        r.save(&map("new", 5.0), None).unwrap();
        let list = r.list().unwrap();
        assert_eq!(
            list.iter().map(|s| s.id.as_str()).collect::<Vec<_>>(),
            ["new", "old"]
        );
        assert_eq!(list[0].touchpoints, 1);
    }

    #[test]
    fn list_recovers_maps_missing_from_the_index() {
        let mut r = repo();
        r.save(&map("a", 1.0), None).unwrap();
        r.store.remove("waymark.v1.index").unwrap();
        assert_eq!(r.list().unwrap().len(), 1);
        r.store.set("waymark.v1.index", "garbage").unwrap();
        assert_eq!(r.list().unwrap().len(), 1);
    }

    #[test]
    fn stale_save_is_refused_and_returns_the_newer_version() {
        let mut a = repo();
        let m = map("a", 1.0);
        let rev = a.save(&m, None).unwrap();
        let mut b = Repository::new(a.store.clone(), "tab-b", || 2_000.0);
        let mut theirs = m.clone();
        theirs.name = "Renamed in tab B".into();
        b.save(&theirs, Some(rev)).unwrap();
        a.store = b.store.clone();

        let mut mine = m.clone();
        mine.name = "Renamed in tab A".into();
        match a.save(&mine, Some(rev)) {
            Err(SaveError::Conflict(l)) => assert_eq!(l.map.name, "Renamed in tab B"),
            other => panic!("expected conflict, got {other:?}"),
        }
        assert_eq!(a.load(&m.id).unwrap().map.name, "Renamed in tab B");
        // Choosing to keep mine is an explicit save on top of theirs.
        let theirs_rev = a.load(&m.id).unwrap().rev;
        a.save(&mine, Some(theirs_rev)).unwrap();
        assert_eq!(a.load(&m.id).unwrap().map.name, "Renamed in tab A");
    }

    #[test]
    fn a_stored_map_edited_by_hand_since_this_tab_saved_it_is_checked_not_overwritten() {
        let mut r = repo();
        let m = map("a", 1.0);
        let rev = r.save(&m, None).unwrap();
        // Same rev, but no longer a valid map: the shortcut for text this tab
        // wrote must not apply, so the edit is quarantined, not lost.
        let key = map_key(&m.id);
        let edited = r
            .store
            .get(&key)
            .unwrap()
            .unwrap()
            .replace("\"Ad\"", "\"Ad\", \"stage\": 7");
        r.store.set(&key, &edited).unwrap();
        let next = r.save(&m, Some(rev)).unwrap();
        assert_eq!(next, 1, "saved afresh after moving the bad copy aside");
        assert_eq!(r.quarantined().unwrap()[0].raw, edited);
        // Unchanged since this tab's own save: saved on top, rev moves on.
        assert_eq!(r.save(&m, Some(next)).unwrap(), next + 1);
    }

    #[test]
    fn creating_over_an_existing_id_is_a_conflict() {
        let mut r = repo();
        r.save(&map("a", 1.0), None).unwrap();
        assert!(matches!(
            r.save(&map("a", 2.0), None),
            Err(SaveError::Conflict(_))
        ));
    }

    #[test]
    fn quota_error_leaves_the_last_good_copy() {
        let mut r = repo();
        let m = map("a", 1.0);
        let rev = r.save(&m, None).unwrap();
        let used: usize = r
            .store
            .keys()
            .unwrap()
            .iter()
            .map(|k| k.len() + r.store.get(k).unwrap().unwrap().len())
            .sum();
        r.store.quota = Some(used + 10);
        let mut bigger = m.clone();
        bigger.goal.objective = "x".repeat(500);
        assert_eq!(
            r.save(&bigger, Some(rev)),
            Err(SaveError::Store(StoreError::QuotaExceeded))
        );
        assert_eq!(r.load(&m.id).unwrap().map, m);
    }

    #[test]
    fn corrupt_value_is_quarantined_not_overwritten() {
        let mut r = repo();
        r.store
            .set("waymark.v1.map.bad", "{\"schema\":1,\"data\":{oops")
            .unwrap();
        let err = r.load(&Id::new("bad")).unwrap_err();
        let LoadError::Quarantined(q) = err else {
            panic!("expected quarantine, got {err:?}");
        };
        assert_eq!(q.raw, "{\"schema\":1,\"data\":{oops");
        assert!(q.reason.contains("not a Waymark envelope"), "{}", q.reason);
        assert_eq!(r.store.get("waymark.v1.map.bad").unwrap(), None);
        let listed = r.quarantined().unwrap();
        assert_eq!(listed.len(), 1);
        assert_eq!(listed[0].raw, q.raw);
        assert_eq!(listed[0].original_key, "waymark.v1.map.bad");
        r.discard_quarantined(&listed[0].key).unwrap();
        assert!(r.quarantined().unwrap().is_empty());
    }

    #[test]
    fn a_map_set_aside_by_a_listing_loads_as_set_aside_not_missing() {
        let mut r = repo();
        r.store.set("waymark.v1.map.bad", "{not json").unwrap();
        assert!(r.list().unwrap().is_empty());
        let err = r.load(&Id::new("bad")).unwrap_err();
        let LoadError::Quarantined(q) = &err else {
            panic!("expected set aside, got {err:?}");
        };
        assert_eq!(q.raw, "{not json");
        assert!(err.to_string().contains("set aside"), "{err}");
        assert_eq!(r.load(&Id::new("other")).unwrap_err(), LoadError::Missing);
        r.discard_quarantined(&q.key).unwrap();
        assert_eq!(r.load(&Id::new("bad")).unwrap_err(), LoadError::Missing);
    }

    #[test]
    fn invalid_map_is_quarantined_with_the_field_named() {
        let mut r = repo();
        let mut m = map("a", 1.0);
        m.touchpoints[0].stage = Id::new("ghost");
        let raw = serde_json::to_string(&Envelope {
            schema: SCHEMA_VERSION,
            rev: 1,
            saved_ms: 0.0,
            writer: "x".into(),
            data: &m,
        })
        .unwrap();
        r.store.set(&map_key(&m.id), &raw).unwrap();
        let LoadError::Quarantined(q) = r.load(&m.id).unwrap_err() else {
            panic!("expected quarantine");
        };
        assert!(q.reason.contains("touchpoints[0].stage"), "{}", q.reason);
    }

    #[test]
    fn unreadable_value_that_cannot_be_set_aside_is_left_untouched() {
        let mut r = repo();
        r.store.set("waymark.v1.map.bad", "nonsense").unwrap();
        r.store.quota = Some(40);
        assert!(matches!(
            r.load(&Id::new("bad")),
            Err(LoadError::Unreadable { .. })
        ));
        let mut m = map("bad", 1.0);
        m.name = "mine".into();
        assert!(r.save(&m, None).is_err());
        assert_eq!(
            r.store.get("waymark.v1.map.bad").unwrap().as_deref(),
            Some("nonsense")
        );
    }

    #[test]
    fn save_over_corrupt_data_quarantines_it_first() {
        let mut r = repo();
        r.store.set("waymark.v1.map.a", "nonsense").unwrap();
        r.save(&map("a", 1.0), None).unwrap();
        assert_eq!(r.quarantined().unwrap()[0].raw, "nonsense");
    }

    #[test]
    fn quarantining_twice_at_the_same_moment_keeps_both() {
        let mut r = repo();
        r.store.set("waymark.v1.map.a", "first").unwrap();
        let _ = r.load(&Id::new("a"));
        r.store.set("waymark.v1.map.a", "second").unwrap();
        let _ = r.load(&Id::new("a"));
        let mut raws: Vec<_> = r
            .quarantined()
            .unwrap()
            .into_iter()
            .map(|q| q.raw)
            .collect();
        raws.sort();
        assert_eq!(raws, ["first", "second"]);
    }

    #[test]
    fn future_schema_is_quarantined_with_a_clear_reason() {
        let mut r = repo();
        r.store
            .set("waymark.v1.map.f", r#"{"schema":99,"rev":1,"data":{}}"#)
            .unwrap();
        let LoadError::Quarantined(q) = r.load(&Id::new("f")).unwrap_err() else {
            panic!("expected quarantine");
        };
        assert!(q.reason.contains("newer Waymark"), "{}", q.reason);
    }

    #[test]
    fn delete_then_undo_restores_the_map_and_its_listing() {
        let mut r = repo();
        let m = map("a", 1.0);
        r.save(&m, None).unwrap();
        r.delete(&m.id).unwrap();
        assert!(r.list().unwrap().is_empty());
        assert!(matches!(r.load(&m.id), Err(LoadError::Missing)));
        let restored = r.undo_delete().unwrap().unwrap();
        assert_eq!(restored.id, m.id);
        assert_eq!(r.load(&m.id).unwrap().map, m);
        assert_eq!(r.list().unwrap().len(), 1);
        assert_eq!(r.undo_delete().unwrap(), None);
    }

    #[test]
    fn undo_delete_never_overwrites_a_map_saved_since() {
        let mut r = repo();
        let m = map("a", 1.0);
        r.save(&m, None).unwrap();
        r.delete(&m.id).unwrap();
        let mut other = map("a", 2.0);
        other.name = "new one".into();
        r.save(&other, None).unwrap();
        assert_eq!(r.undo_delete().unwrap(), None);
        assert_eq!(r.load(&m.id).unwrap().map.name, "new one");
    }

    #[test]
    fn keys_outside_the_namespace_are_ignored() {
        let mut r = repo();
        r.store.set("someone.else", "x").unwrap();
        r.store.set("waymark.v1.map.", "").unwrap();
        r.save(&map("a", 1.0), None).unwrap();
        let ids: Vec<_> = r.list().unwrap().into_iter().map(|s| s.id).collect();
        assert_eq!(ids, [Id::new("a")]);
    }
}
