//! The whole workspace as one file, to keep safe or to move to another
//! browser.
//!
//! A backup holds every value under the app's localStorage namespace as
//! stored, envelope and all, so whatever the workspace keeps as it grows is
//! included without touching this module, and a restore runs the same
//! migrations and checks as a load. Values that belong to one browser (the
//! map index, the undo trash, quarantined values, the backup status) are
//! left out. Imported datasets may be added in the form IndexedDB keeps
//! them: the JSON shell, the size of each part and the packed bytes as
//! base64.
//!
//! A file is hand-editable and therefore untrusted: [`parse`] checks all of
//! it before anything is written and names the entry and field that is
//! wrong; [`Backup::plan`] says what a restore would do; only [`restore`]
//! writes, through the repository's own save rules.

use std::collections::{BTreeMap, HashMap, HashSet};

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::datasets::{save_aliases, save_channel_links, DatasetMeta};
use super::envelope::RawEnvelope;
use super::followups::{parse_followups, save_followups};
use super::personas::{parse_personas, personas_key, PersonasError};
use super::repository::{map_id_of_key, parse_stored, Repository};
use super::{KeyValue, StoreError, PREFIX};
use crate::followups::FollowUp;
use crate::import::matching::Aliases;
use crate::import::{ColumnData, Dataset, MISSING};
use crate::model::{Id, JourneyMap};
use crate::personas::PersonaLibrary;

pub const FORMAT: &str = "waymark-workspace";
pub const VERSION: u32 = 1;

/// Larger files (200 MB) are refused before they are read: a backup without
/// datasets is at most a few megabytes (localStorage's quota), and
/// datasets beyond this would not fit in a tab's memory twice over.
pub const MAX_FILE_BYTES: u64 = 200_000_000;

/// Keys that describe this browser's copy rather than the workspace.
fn browser_only(key: &str) -> bool {
    let rest = key.strip_prefix(PREFIX).unwrap_or(key);
    matches!(rest, "index" | "trash" | "probe" | "backup-status") || rest.starts_with("quarantine.")
}

/// A dataset as IndexedDB keeps it (see `datasets_idb::encode`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PackedDataset {
    pub meta: DatasetMeta,
    /// The dataset without its bulk data.
    pub shell: Dataset,
    /// Elements in each part, in [`packed_parts`] order; `null` for an
    /// optional part that is not there.
    pub sizes: Vec<Option<u64>>,
    /// Every part's bytes, little-endian, each padded to 8 bytes.
    #[serde(with = "as_base64")]
    pub bytes: Vec<u8>,
}

mod as_base64 {
    use base64::Engine;
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(bytes: &[u8], s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&base64::engine::general_purpose::STANDARD.encode(bytes))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<u8>, D::Error> {
        let text = String::deserialize(d)?;
        base64::engine::general_purpose::STANDARD
            .decode(text)
            .map_err(|e| serde::de::Error::custom(format!("bytes are not base64 ({e})")))
    }
}

/// How many characters `bytes` packed bytes take in a backup file.
pub fn base64_len(bytes: u64) -> u64 {
    bytes.div_ceil(3) * 4
}

#[derive(Serialize)]
struct FileOut<'a> {
    format: &'static str,
    version: u32,
    exported_ms: f64,
    entries: BTreeMap<String, Value>,
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    datasets: &'a [PackedDataset],
}

/// A backup file's text, and the stored values it had to leave out.
pub struct Exported {
    pub json: String,
    /// `key: reason` of each value that cannot be read; it would make the
    /// whole file refused on restore. The library lists them already.
    pub left_out: Vec<String>,
}

/// Builds a backup of everything under the namespace in `store`.
pub fn export(
    store: &impl KeyValue,
    exported_ms: f64,
    datasets: &[PackedDataset],
) -> Result<Exported, StoreError> {
    let mut entries = BTreeMap::new();
    let mut left_out = Vec::new();
    for key in store.keys()? {
        if !key.starts_with(PREFIX) || browser_only(&key) {
            continue;
        }
        let Some(raw) = store.get(&key)? else {
            continue;
        };
        match check_entry(&key, &raw)
            .and_then(|_| serde_json::from_str::<Value>(&raw).map_err(|e| format!("not JSON: {e}")))
        {
            Ok(value) => {
                entries.insert(key, value);
            }
            Err(reason) => left_out.push(format!("{key}: {reason}")),
        }
    }
    let file = FileOut {
        format: FORMAT,
        version: VERSION,
        exported_ms,
        entries,
        datasets,
    };
    let json = serde_json::to_string(&file).map_err(|e| StoreError::Other(e.to_string()))?;
    Ok(Exported { json, left_out })
}

/// One checked value of a backup.
#[derive(Clone, Debug, PartialEq)]
enum Entry {
    Map(Box<JourneyMap>),
    Personas(PersonaLibrary),
    Aliases(Id, Aliases),
    ChannelLinks(Id, Aliases),
    /// Follow-ups are about a map's feedback, so they go where its map
    /// goes: to the copy when the map is restored as one.
    FollowUps(Id, Vec<FollowUp>),
    /// A versioned value of a kind this version does not know by name.
    Other(String),
}

/// Reads a stored value the way the app would, so a backup never holds
/// what a restore would refuse.
fn check_entry(key: &str, raw: &str) -> Result<Entry, String> {
    let Some(rest) = key.strip_prefix(PREFIX) else {
        return Err(format!(
            "outside Waymark's storage (keys start with \"{PREFIX}\")"
        ));
    };
    if browser_only(key) {
        return Err("kept by each browser for itself, not part of a backup".into());
    }
    if let Some(id) = map_id_of_key(key).filter(|id| !id.as_str().is_empty()) {
        return parse_stored(raw, Some(&id)).map(|l| Entry::Map(Box::new(l.map)));
    }
    if key == personas_key() {
        return parse_personas(raw).map(|l| Entry::Personas(l.library));
    }
    let links = |what: &str| -> Result<Aliases, String> {
        serde_json::from_str(raw).map_err(|e| format!("{what}: {e}"))
    };
    if let Some(map) = rest.strip_prefix("aliases.").filter(|m| !m.is_empty()) {
        return Ok(Entry::Aliases(
            Id::new(map),
            links("touchpoint assignments")?,
        ));
    }
    if let Some(map) = rest
        .strip_prefix("channel-links.")
        .filter(|m| !m.is_empty())
    {
        return Ok(Entry::ChannelLinks(Id::new(map), links("channel links")?));
    }
    if let Some(map) = rest.strip_prefix("followups.").filter(|m| !m.is_empty()) {
        return parse_followups(raw).map(|items| Entry::FollowUps(Id::new(map), items));
    }
    serde_json::from_str::<RawEnvelope>(raw)
        .map(|_| Entry::Other(raw.to_owned()))
        .map_err(|e| format!("not a Waymark envelope (schema and data): {e}"))
}

/// A backup file, checked whole and not yet written anywhere.
#[derive(Clone, Debug, PartialEq)]
pub struct Backup {
    pub exported_ms: f64,
    /// Storage key and value, in key order.
    entries: Vec<(String, Entry)>,
    pub datasets: Vec<PackedDataset>,
}

fn field(name: &str, why: impl std::fmt::Display) -> String {
    format!("\"{name}\": {why}")
}

/// Checks a whole backup file. The error names the entry and field at
/// fault.
pub fn parse(text: &str) -> Result<Backup, String> {
    let root: Value = serde_json::from_str(text)
        .map_err(|e| format!("this file is not JSON ({e}), so not a Waymark backup"))?;
    let Value::Object(mut root) = root else {
        return Err("this file is not a Waymark backup (it is JSON, but not an object)".into());
    };
    match root.get("format") {
        Some(Value::String(f)) if f == FORMAT => {}
        Some(Value::String(f)) => {
            return Err(field(
                "format",
                format!("is \"{f}\", not \"{FORMAT}\": this is not a workspace backup"),
            ))
        }
        _ => {
            return Err(field(
                "format",
                format!("missing: a workspace backup has \"format\": \"{FORMAT}\""),
            ))
        }
    }
    let version = root
        .get("version")
        .and_then(Value::as_u64)
        .ok_or_else(|| field("version", "missing or not a whole number"))?;
    if version > u64::from(VERSION) {
        return Err(format!(
            "this backup was made by a newer Waymark (backup version {version}; this one reads version {VERSION}): update Waymark to restore it"
        ));
    }
    if version == 0 {
        return Err(field("version", "0 is not a backup version"));
    }
    let exported_ms = root
        .get("exported_ms")
        .and_then(Value::as_f64)
        .ok_or_else(|| field("exported_ms", "missing or not a number"))?;
    let Some(Value::Object(raw_entries)) = root.remove("entries") else {
        return Err(field("entries", "missing or not an object"));
    };
    let mut entries = Vec::with_capacity(raw_entries.len());
    for (key, value) in raw_entries {
        let raw = value.to_string();
        let entry = check_entry(&key, &raw).map_err(|e| format!("entries.\"{key}\": {e}"))?;
        entries.push((key, entry));
    }
    let datasets: Vec<PackedDataset> = match root.remove("datasets") {
        None => Vec::new(),
        Some(Value::Array(list)) => list
            .into_iter()
            .enumerate()
            .map(|(i, d)| serde_json::from_value(d).map_err(|e| format!("datasets[{i}]: {e}")))
            .collect::<Result<_, _>>()?,
        Some(_) => return Err(field("datasets", "not a list")),
    };
    let maps: HashSet<&Id> = entries
        .iter()
        .filter_map(|(_, e)| match e {
            Entry::Map(m) => Some(&m.id),
            _ => None,
        })
        .collect();
    let mut ids = HashSet::new();
    for (i, d) in datasets.iter().enumerate() {
        if d.meta.id.is_empty() || !ids.insert(&d.meta.id) {
            return Err(format!(
                "datasets[{i}].meta.id: \"{}\" is empty or used twice",
                d.meta.id
            ));
        }
        if !maps.contains(&d.meta.map) {
            return Err(format!(
                "datasets[{i}].meta.map: no map \"{}\" in this backup",
                d.meta.map
            ));
        }
        check_packed(&d.shell, &d.sizes, &d.bytes).map_err(|e| format!("datasets[{i}]: {e}"))?;
    }
    Ok(Backup {
        exported_ms,
        entries,
        datasets,
    })
}

/// The size in bytes of each element of every part of a packed dataset, in
/// the order `datasets_idb` writes them, and whether the part is optional.
fn packed_parts(shell: &Dataset) -> Vec<(usize, bool)> {
    let mut parts = Vec::new();
    for c in &shell.columns {
        match &c.data {
            ColumnData::Score { .. } | ColumnData::Category { .. } => parts.push((4, false)),
            ColumnData::Text { .. } => parts.extend([(1, false), (4, false)]),
            ColumnData::Time(_) => parts.extend([(8, false), (8, true)]),
            ColumnData::Skipped => {}
        }
    }
    parts.push((4, false));
    parts
}

/// Checks packed bytes the way `datasets_idb::decode` reads them: every
/// part's length, every column's row count, text boundaries and category
/// codes, so a restored dataset can be read later without surprises.
fn check_packed(shell: &Dataset, sizes: &[Option<u64>], bytes: &[u8]) -> Result<(), String> {
    let parts = packed_parts(shell);
    if sizes.len() != parts.len() {
        return Err(format!(
            "sizes: {} parts for a dataset of {} parts",
            sizes.len(),
            parts.len()
        ));
    }
    let mut slices = Vec::with_capacity(parts.len());
    let mut offset = 0usize;
    for (i, (&(width, optional), size)) in parts.iter().zip(sizes).enumerate() {
        let Some(len) = size else {
            if !optional {
                return Err(format!("sizes[{i}]: a required part is null"));
            }
            slices.push(None);
            continue;
        };
        let len = usize::try_from(*len).map_err(|_| format!("sizes[{i}]: too large"))?;
        let end = len
            .checked_mul(width)
            .and_then(|n| n.checked_add(offset))
            .filter(|end| *end <= bytes.len())
            .ok_or_else(|| format!("sizes[{i}]: more than the bytes hold"))?;
        slices.push(Some((len, &bytes[offset..end])));
        offset = end.div_ceil(8) * 8;
    }
    if offset != bytes.len() {
        return Err(format!(
            "bytes: {} bytes where the sizes describe {offset}",
            bytes.len()
        ));
    }
    let u32s = |b: &[u8]| -> Vec<u32> {
        b.chunks_exact(4)
            .map(|w| u32::from_le_bytes(w.try_into().expect("chunks of 4")))
            .collect()
    };
    let rows = slices.last().copied().flatten().map_or(0, |(n, _)| n);
    let mut at = 0;
    let mut next = || {
        at += 1;
        slices[at - 1]
    };
    for c in &shell.columns {
        let name = &c.name;
        let count = |n: usize| {
            if n == rows {
                Ok(())
            } else {
                Err(format!("column {name:?} has {n} values for {rows} rows"))
            }
        };
        match &c.data {
            ColumnData::Score { .. } => count(next().map_or(0, |(n, _)| n))?,
            ColumnData::Category { dictionary, .. } => {
                let (n, b) = next().unwrap_or_default();
                count(n)?;
                if u32s(b)
                    .iter()
                    .any(|&code| code != MISSING && code as usize >= dictionary.len())
                {
                    return Err(format!("column {name:?} refers to values it does not have"));
                }
            }
            ColumnData::Text { .. } => {
                let (_, text) = next().unwrap_or_default();
                let text = std::str::from_utf8(text)
                    .map_err(|_| format!("column {name:?} has damaged text"))?;
                let (n, ends) = next().unwrap_or_default();
                count(n)?;
                let mut start = 0;
                for end in u32s(ends) {
                    let end = end as usize;
                    if end < start || !text.is_char_boundary(end) {
                        return Err(format!("column {name:?} has damaged text"));
                    }
                    start = end;
                }
            }
            ColumnData::Time(_) => {
                count(next().map_or(0, |(n, _)| n))?;
                if let Some((n, _)) = next() {
                    count(n)?;
                }
            }
            ColumnData::Skipped => {}
        }
    }
    Ok(())
}

/// What to do with a map whose id is already in this browser.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum OnConflict {
    /// The backup's version takes its place.
    Replace,
    /// The backup's version is added under a new id.
    #[default]
    KeepBoth,
    /// This browser's version stays; the backup's is left out.
    Skip,
}

/// What a restore would do, for the user to confirm.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Plan {
    /// Names of maps this browser does not have.
    pub new_maps: Vec<String>,
    /// Names (as in the backup) of maps this browser has too.
    pub existing_maps: Vec<String>,
    pub personas: usize,
    /// Of those, how many this browser has too (same id).
    pub existing_personas: usize,
    /// Other stored values: links to file values, and kinds this version
    /// of Waymark keeps without knowing them by name.
    pub other: usize,
    pub datasets: usize,
}

impl Backup {
    fn maps(&self) -> impl Iterator<Item = &JourneyMap> {
        self.entries.iter().filter_map(|(_, e)| match e {
            Entry::Map(m) => Some(m.as_ref()),
            _ => None,
        })
    }

    fn personas(&self) -> Option<&PersonaLibrary> {
        self.entries.iter().find_map(|(_, e)| match e {
            Entry::Personas(p) => Some(p),
            _ => None,
        })
    }

    pub fn plan<S: KeyValue>(&self, repo: &mut Repository<S>) -> Result<Plan, StoreError> {
        let stored = repo.stored_ids()?;
        let (existing, new): (Vec<&JourneyMap>, Vec<&JourneyMap>) =
            self.maps().partition(|m| stored.contains(&m.id));
        let ours: HashSet<Id> = repo
            .load_personas()
            .map(|l| l.library.personas.into_iter().map(|p| p.id).collect())
            .unwrap_or_default();
        let personas = self.personas().map_or(&[][..], |p| &p.personas[..]);
        Ok(Plan {
            new_maps: new.iter().map(|m| m.name.clone()).collect(),
            existing_maps: existing.iter().map(|m| m.name.clone()).collect(),
            personas: personas.len(),
            existing_personas: personas.iter().filter(|p| ours.contains(&p.id)).count(),
            other: self
                .entries
                .iter()
                .filter(|(_, e)| !matches!(e, Entry::Map(_) | Entry::Personas(_)))
                .count(),
            datasets: self.datasets.len(),
        })
    }
}

/// A dataset a restore decided to store, for the caller to write to
/// IndexedDB: `meta` is the entry to store (its id and map may differ from
/// the backup's when its map was restored as a copy).
#[derive(Clone, Debug, PartialEq)]
pub struct DatasetWrite {
    pub index: usize,
    pub meta: DatasetMeta,
}

/// What a restore did.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Restored {
    pub maps: usize,
    pub skipped: usize,
    pub datasets: Vec<DatasetWrite>,
    /// Values that could not be written (a full store), each with why.
    /// Nothing already stored was lost to them.
    pub failures: Vec<String>,
}

/// Writes a checked backup. Maps and personas go through the repository's
/// save rules (so an unreadable value in the way is set aside, never
/// overwritten); each value lands whole or not at all. `new_id` makes ids
/// for copies; `stored_datasets` are the dataset ids this browser has.
pub fn restore<S: KeyValue>(
    repo: &mut Repository<S>,
    backup: &Backup,
    on_conflict: OnConflict,
    mut new_id: impl FnMut(&str) -> String,
    stored_datasets: &HashSet<String>,
) -> Result<Restored, StoreError> {
    let stored = repo.stored_ids()?;
    let now = (repo.clock)();
    let mut done = Restored::default();
    // Where each map of the backup went; `None` when skipped.
    let mut placed: HashMap<Id, Option<Id>> = HashMap::new();
    for map in backup.maps() {
        let target = match (stored.contains(&map.id), on_conflict) {
            (false, _) => {
                let r = repo.save(map, None).map(|_| ());
                (map.id.clone(), r)
            }
            (true, OnConflict::Replace) => {
                let base = repo.load(&map.id).ok().map(|l| l.rev);
                (map.id.clone(), repo.save(map, base).map(|_| ()))
            }
            (true, OnConflict::KeepBoth) => {
                let copy = map.duplicate(
                    Id::new(new_id("m-")),
                    format!("{} (from backup)", map.name),
                    now,
                );
                (copy.id.clone(), repo.save(&copy, None).map(|_| ()))
            }
            (true, OnConflict::Skip) => {
                done.skipped += 1;
                placed.insert(map.id.clone(), None);
                continue;
            }
        };
        match target {
            (id, Ok(())) => {
                done.maps += 1;
                placed.insert(map.id.clone(), Some(id));
            }
            (_, Err(e)) => {
                done.failures.push(format!("map \"{}\": {e}", map.name));
                placed.insert(map.id.clone(), None);
            }
        }
    }

    for (key, entry) in &backup.entries {
        let written = match entry {
            Entry::Map(_) => continue,
            Entry::Personas(theirs) => restore_personas(repo, theirs, on_conflict),
            Entry::Aliases(map, links) | Entry::ChannelLinks(map, links) => {
                let target = match placed.get(map) {
                    Some(None) => continue,
                    Some(Some(id)) => id.clone(),
                    // Links of a map not in the backup: kept only where
                    // nothing is stored yet.
                    None if repo.store.get(key)?.is_some() => continue,
                    None => map.clone(),
                };
                if matches!(entry, Entry::Aliases(..)) {
                    save_aliases(&mut repo.store, &target, links)
                } else {
                    save_channel_links(&mut repo.store, &target, links)
                }
                .map_err(|e| e.to_string())
            }
            Entry::FollowUps(map, items) => {
                let target = match placed.get(map) {
                    Some(None) => continue,
                    Some(Some(id)) => id.clone(),
                    None if repo.store.get(key)?.is_some() => continue,
                    None => map.clone(),
                };
                save_followups(&mut repo.store, &target, items).map_err(|e| e.to_string())
            }
            Entry::Other(raw) => {
                if on_conflict != OnConflict::Replace && repo.store.get(key)?.is_some() {
                    continue;
                }
                repo.store.set(key, raw).map_err(|e| e.to_string())
            }
        };
        if let Err(e) = written {
            done.failures.push(format!("{key}: {e}"));
        }
    }

    for (index, d) in backup.datasets.iter().enumerate() {
        let Some(Some(map)) = placed.get(&d.meta.map) else {
            continue;
        };
        let mut meta = d.meta.clone();
        let copied = map != &d.meta.map;
        if copied || (stored_datasets.contains(&meta.id) && on_conflict != OnConflict::Replace) {
            meta.id = new_id("d-");
        }
        meta.map = map.clone();
        done.datasets.push(DatasetWrite { index, meta });
    }
    Ok(done)
}

/// Adds the backup's personas to this browser's: new ids are added, a
/// persona this browser has too is replaced only on
/// [`OnConflict::Replace`].
fn restore_personas<S: KeyValue>(
    repo: &mut Repository<S>,
    theirs: &PersonaLibrary,
    on_conflict: OnConflict,
) -> Result<(), String> {
    let mut loaded = match repo.load_personas() {
        // Unreadable personas were just set aside (the library lists
        // them); the key is free for the backup's.
        Err(PersonasError::Quarantined(_)) => repo.load_personas(),
        other => other,
    }
    .map_err(|e| e.to_string())?;
    let before = loaded.library.clone();
    for p in &theirs.personas {
        let known = before.personas.iter().any(|o| o.id == p.id);
        if !known || on_conflict == OnConflict::Replace {
            loaded.library.upsert(p.clone());
        }
    }
    if loaded.library == before {
        return Ok(());
    }
    repo.save_personas(&loaded.library, loaded.rev)
        .map(drop)
        .map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::roles::Role;
    use crate::import::values::Scale;
    use crate::import::{Column, SourceInfo};
    use crate::model::ChannelKind;
    use crate::storage::datasets::{load_aliases, load_channel_links};
    use crate::storage::MemoryStore;
    use crate::templates;

    fn repo(writer: &str) -> Repository<MemoryStore> {
        Repository::new(MemoryStore::new(), writer, || 5_000.0)
    }

    fn ids() -> impl FnMut(&str) -> String {
        let mut n = 0;
        move |prefix| {
            n += 1;
            format!("{prefix}new{n}")
        }
    }

    fn small_map(id: &str) -> JourneyMap {
        let mut m = JourneyMap::new(Id::new(id), format!("Map {id}"), 10.0);
        let s = m.add_stage("Awareness");
        let c = m.add_channel("Social", ChannelKind::Digital);
        m.add_touchpoint(&s, &c, "Ad").unwrap();
        m
    }

    /// A score, a category and a text column over two rows, packed the way
    /// `datasets_idb::encode` packs them.
    fn packed(id: &str, map: &str) -> PackedDataset {
        let column = |name: &str, role, data| Column {
            name: name.into(),
            field_id: None,
            role,
            data,
        };
        let shell = Dataset {
            source: SourceInfo {
                encoding: "utf-8".into(),
                rows: 2,
                ..SourceInfo::default()
            },
            columns: vec![
                column(
                    "NPS",
                    Role::Nps,
                    ColumnData::Score {
                        scale: Scale::Nps,
                        values: Vec::new(),
                    },
                ),
                column(
                    "Channel",
                    Role::Channel,
                    ColumnData::Category {
                        codes: Vec::new(),
                        dictionary: vec!["web".into(), "store".into()],
                    },
                ),
                column(
                    "Comment",
                    Role::Comment,
                    ColumnData::Text {
                        text: String::new(),
                        ends: Vec::new(),
                    },
                ),
            ],
            lines: Vec::new(),
            errors: Vec::new(),
        };
        let mut bytes = Vec::new();
        let mut part = |b: Vec<u8>| {
            bytes.extend(&b);
            bytes.resize(bytes.len().div_ceil(8) * 8, 0);
        };
        part([9.0f32, 3.0].iter().flat_map(|v| v.to_le_bytes()).collect());
        part(
            [1u32, MISSING]
                .iter()
                .flat_map(|v| v.to_le_bytes())
                .collect(),
        );
        part("okslow ü".as_bytes().to_vec());
        part([2u32, 9].iter().flat_map(|v| v.to_le_bytes()).collect());
        part([2u32, 3].iter().flat_map(|v| v.to_le_bytes()).collect());
        PackedDataset {
            meta: DatasetMeta {
                id: id.into(),
                map: Id::new(map),
                name: "survey".into(),
                file_name: "survey.csv".into(),
                hash: "00".into(),
                file_bytes: 40,
                created_ms: 1.0,
                source: shell.source.clone(),
                problems: 0,
            },
            shell,
            sizes: vec![Some(2), Some(2), Some(9), Some(2), Some(2)],
            bytes,
        }
    }

    /// A workspace with two maps (one from a template), a persona, links,
    /// a value of a kind this module does not know, and the values each
    /// browser keeps for itself.
    fn workspace() -> Repository<MemoryStore> {
        let mut r = repo("tab-a");
        r.save(&templates::retail(Id::new("m-retail"), 20.0), None)
            .unwrap();
        let small = small_map("m-small");
        r.save(&small, None).unwrap();
        r.update_personas(|lib| lib.create(Id::new("wp-1"), "Maya"))
            .unwrap();
        let aliases = Aliases::from([("chat".to_owned(), small.touchpoints[0].id.clone())]);
        save_aliases(&mut r.store, &small.id, &aliases).unwrap();
        let links = Aliases::from([("web".to_owned(), small.channels[0].id.clone())]);
        save_channel_links(&mut r.store, &small.id, &links).unwrap();
        r.store
            .set(
                "waymark.v1.settings",
                r#"{"schema":3,"rev":2,"saved_ms":1.0,"writer":"x","data":{"theme":"dark"}}"#,
            )
            .unwrap();
        r.delete(&Id::new("m-retail")).unwrap();
        r.undo_delete().unwrap();
        r.store.set("waymark.v1.trash", "{}").unwrap();
        r.store
            .set("waymark.v1.quarantine.map.x.1", "junk")
            .unwrap();
        r
    }

    fn snapshot(store: &MemoryStore) -> Vec<(String, Option<String>)> {
        let keys = store.keys().unwrap();
        keys.into_iter()
            .map(|k| {
                let v = store.get(&k).unwrap();
                (k, v)
            })
            .collect()
    }

    fn restore_text(
        repo: &mut Repository<MemoryStore>,
        text: &str,
        on_conflict: OnConflict,
    ) -> Result<Restored, String> {
        let backup = parse(text)?;
        restore(repo, &backup, on_conflict, ids(), &HashSet::new()).map_err(|e| e.to_string())
    }

    #[test]
    fn a_round_trip_into_an_empty_browser_is_equal() {
        let mut a = workspace();
        let datasets = [packed("d-1", "m-small")];
        let exported = export(&a.store, 7_000.0, &datasets).unwrap();
        assert_eq!(exported.left_out, Vec::<String>::new());
        let file: Value = serde_json::from_str(&exported.json).unwrap();
        assert_eq!(file["format"], FORMAT);
        assert_eq!(file["version"], VERSION);
        assert_eq!(file["exported_ms"], 7_000.0);
        let keys: Vec<&str> = file["entries"]
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        assert_eq!(
            keys,
            [
                "waymark.v1.aliases.m-small",
                "waymark.v1.channel-links.m-small",
                "waymark.v1.map.m-retail",
                "waymark.v1.map.m-small",
                "waymark.v1.personas",
                "waymark.v1.settings",
            ]
        );
        // Kept in its envelope, so a restore migrates it like a load.
        assert_eq!(file["entries"]["waymark.v1.map.m-small"]["schema"], 1);

        let backup = parse(&exported.json).unwrap();
        assert_eq!(backup.datasets, datasets);
        let mut b = repo("tab-b");
        let plan = backup.plan(&mut b).unwrap();
        assert_eq!(plan.new_maps.len(), 2);
        assert!(plan.existing_maps.is_empty());
        assert_eq!((plan.personas, plan.existing_personas), (1, 0));
        assert_eq!((plan.other, plan.datasets), (3, 1));

        let done = restore(
            &mut b,
            &backup,
            OnConflict::KeepBoth,
            ids(),
            &HashSet::new(),
        )
        .unwrap();
        assert_eq!((done.maps, done.skipped), (2, 0));
        assert!(done.failures.is_empty());
        assert_eq!(
            done.datasets,
            [DatasetWrite {
                index: 0,
                meta: datasets[0].meta.clone()
            }]
        );
        assert_eq!(b.list().unwrap(), a.list().unwrap());
        for id in ["m-retail", "m-small"] {
            let id = Id::new(id);
            assert_eq!(b.load(&id).unwrap().map, a.load(&id).unwrap().map);
            assert_eq!(load_aliases(&b.store, &id), load_aliases(&a.store, &id));
            assert_eq!(
                load_channel_links(&b.store, &id),
                load_channel_links(&a.store, &id)
            );
        }
        assert_eq!(
            b.load_personas().unwrap().library,
            a.load_personas().unwrap().library
        );
        let settings = |r: &Repository<MemoryStore>| {
            serde_json::from_str::<Value>(&r.store.get("waymark.v1.settings").unwrap().unwrap())
                .unwrap()
        };
        assert_eq!(settings(&b), settings(&a));
        for key in ["waymark.v1.trash", "waymark.v1.quarantine.map.x.1"] {
            assert_eq!(b.store.get(key).unwrap(), None, "{key}");
        }
        // And the restored browser backs up to the same file.
        let again = export(&b.store, 7_000.0, &datasets).unwrap();
        let strip = |json: &str| {
            let mut v: Value = serde_json::from_str(json).unwrap();
            for entry in v["entries"].as_object_mut().unwrap().values_mut() {
                if let Some(env) = entry.as_object_mut().filter(|e| e.contains_key("schema")) {
                    env.remove("writer");
                    env.remove("rev");
                    env.remove("saved_ms");
                }
            }
            v
        };
        assert_eq!(strip(&again.json), strip(&exported.json));
    }

    #[test]
    fn restoring_again_asks_and_follows_the_choice() {
        let mut a = workspace();
        let text = export(&a.store, 1.0, &[packed("d-1", "m-small")])
            .unwrap()
            .json;
        let backup = parse(&text).unwrap();
        let plan = backup.plan(&mut a).unwrap();
        assert!(plan.new_maps.is_empty());
        assert_eq!(plan.existing_maps.len(), 2);
        assert_eq!(plan.existing_personas, 1);

        // Skip: nothing of ours changes.
        let before = snapshot(&a.store);
        let done = restore(&mut a, &backup, OnConflict::Skip, ids(), &HashSet::new()).unwrap();
        assert_eq!((done.maps, done.skipped), (0, 2));
        assert!(done.datasets.is_empty());
        let after = snapshot(&a.store);
        let without_status = |s: Vec<(String, Option<String>)>| {
            s.into_iter()
                .filter(|(k, _)| !k.ends_with("backup-status"))
                .collect::<Vec<_>>()
        };
        assert_eq!(without_status(after), without_status(before));

        // Replace: our edit gives way to the backup's version.
        let id = Id::new("m-small");
        let mut edited = a.load(&id).unwrap();
        edited.map.name = "Edited here".into();
        a.save(&edited.map, Some(edited.rev)).unwrap();
        a.update_personas(|lib| {
            lib.personas[0].name = "Maya (here)".into();
            Ok(())
        })
        .unwrap();
        let stored = HashSet::from(["d-1".to_owned()]);
        let done = restore(&mut a, &backup, OnConflict::Replace, ids(), &stored).unwrap();
        assert_eq!(done.maps, 2);
        assert_eq!(a.load(&id).unwrap().map.name, "Map m-small");
        assert!(a.load(&id).unwrap().rev > edited.rev, "revisions move on");
        assert_eq!(a.load_personas().unwrap().library.personas[0].name, "Maya");
        assert_eq!(done.datasets[0].meta.id, "d-1", "replaced in place");
        assert_eq!(a.list().unwrap().len(), 2);

        // Keep both: copies under new ids, with their links and datasets.
        let done = restore(&mut a, &backup, OnConflict::KeepBoth, ids(), &stored).unwrap();
        assert_eq!(done.maps, 2);
        let list = a.list().unwrap();
        assert_eq!(list.len(), 4);
        let copy = list
            .iter()
            .find(|m| m.name == "Map m-small (from backup)")
            .unwrap();
        assert_eq!(
            load_aliases(&a.store, &copy.id).unwrap(),
            load_aliases(&a.store, &id).unwrap()
        );
        assert_eq!(done.datasets[0].meta.map, copy.id);
        assert_ne!(done.datasets[0].meta.id, "d-1");
        assert_eq!(a.load_personas().unwrap().library.personas.len(), 1);
    }

    #[test]
    fn a_hostile_file_is_refused_with_the_place_named_and_nothing_written() {
        let a = workspace();
        let good: Value = serde_json::from_str(
            &export(&a.store, 1.0, &[packed("d-1", "m-small")])
                .unwrap()
                .json,
        )
        .unwrap();
        let mut b = workspace();
        b.save(&small_map("m-other"), None).unwrap();
        let before = snapshot(&b.store);

        let with = |f: &dyn Fn(&mut Value)| {
            let mut v = good.clone();
            f(&mut v);
            v.to_string()
        };
        const SMALL: &str = "waymark.v1.map.m-small";
        let cases: Vec<(String, &[&str])> = vec![
            ("{\"format\": ".into(), &["not JSON"]),
            ("[1, 2]".into(), &["not an object"]),
            (
                with(&|v| v["format"] = "waymark-map".into()),
                &["\"format\"", "waymark-map"],
            ),
            (
                with(&|v| {
                    v.as_object_mut().unwrap().remove("format");
                }),
                &["\"format\": missing"],
            ),
            (
                with(&|v| v["version"] = 2.into()),
                &["newer Waymark", "version 2"],
            ),
            (with(&|v| v["version"] = "1".into()), &["\"version\""]),
            (
                with(&|v| v["entries"] = Value::Array(Vec::new())),
                &["\"entries\""],
            ),
            (
                with(&|v| v["entries"][SMALL]["data"]["name"] = 7.into()),
                &[SMALL, "name: invalid type"],
            ),
            (
                with(&|v| v["entries"][SMALL]["data"]["touchpoints"][0]["stage"] = "ghost".into()),
                &[SMALL, "touchpoints[0].stage"],
            ),
            (
                with(&|v| v["entries"][SMALL]["schema"] = 99.into()),
                &[SMALL, "newer Waymark"],
            ),
            (
                with(&|v| v["entries"][SMALL]["data"]["id"] = "m-retail".into()),
                &[SMALL, "contains map \"m-retail\""],
            ),
            (
                with(&|v| {
                    v["entries"]["someone.else"] = serde_json::json!({"schema": 1, "data": 1})
                }),
                &["entries.\"someone.else\"", "outside"],
            ),
            (
                with(&|v| v["entries"]["waymark.v1.notes"] = "hello".into()),
                &["entries.\"waymark.v1.notes\"", "not a Waymark envelope"],
            ),
            (
                with(&|v| {
                    v["entries"]["waymark.v1.index"] = serde_json::json!({"schema": 1, "data": []})
                }),
                &["waymark.v1.index", "kept by each browser"],
            ),
            (
                with(&|v| {
                    v["entries"]["waymark.v1.personas"]["data"]["personas"][0]["name"] = Value::Null
                }),
                &["waymark.v1.personas", "personas data"],
            ),
            (
                with(&|v| v["entries"]["waymark.v1.aliases.m-small"] = 3.into()),
                &["waymark.v1.aliases.m-small", "touchpoint assignments"],
            ),
            (with(&|v| v["datasets"] = 1.into()), &["\"datasets\""]),
            (
                with(&|v| v["datasets"][0]["bytes"] = "***".into()),
                &["datasets[0]", "base64"],
            ),
            (
                with(&|v| v["datasets"][0]["sizes"][0] = 3.into()),
                &["datasets[0]", "bytes"],
            ),
            (
                with(&|v| v["datasets"][0]["sizes"][4] = 1.into()),
                &["datasets[0]", "column \"NPS\" has 2 values for 1 rows"],
            ),
            (
                with(&|v| v["datasets"][0]["meta"]["map"] = "m-nowhere".into()),
                &["datasets[0].meta.map", "m-nowhere"],
            ),
            (
                with(&|v| {
                    v["datasets"][0]["shell"]["columns"][1]["data"]["dictionary"] =
                        serde_json::json!(["web"])
                }),
                &["datasets[0]", "Channel"],
            ),
        ];
        for (text, expected) in cases {
            let e = restore_text(&mut b, &text, OnConflict::Replace).unwrap_err();
            for part in expected {
                assert!(e.contains(part), "{part:?} not in {e:?}");
            }
            assert_eq!(snapshot(&b.store), before, "{e}");
        }
    }

    #[test]
    fn an_unreadable_value_is_left_out_of_a_backup_and_named() {
        let mut a = workspace();
        a.store.set("waymark.v1.map.broken", "{oops").unwrap();
        let exported = export(&a.store, 1.0, &[]).unwrap();
        assert_eq!(exported.left_out.len(), 1);
        assert!(exported.left_out[0].starts_with("waymark.v1.map.broken: "));
        assert!(parse(&exported.json).is_ok());
        assert!(!exported.json.contains("\"datasets\""));
    }

    #[test]
    fn a_full_store_keeps_what_it_had_and_says_what_was_not_restored() {
        let a = workspace();
        let backup = parse(&export(&a.store, 1.0, &[]).unwrap().json).unwrap();
        let mut b = repo("tab-b");
        let mine = small_map("m-mine");
        b.save(&mine, None).unwrap();
        b.store.quota = Some(3_000);
        let done = restore(&mut b, &backup, OnConflict::Replace, ids(), &HashSet::new()).unwrap();
        assert!(!done.failures.is_empty());
        assert!(
            done.failures.iter().any(|f| f.contains("full")),
            "{:?}",
            done.failures
        );
        assert_eq!(b.load(&mine.id).unwrap().map, mine);
    }

    #[test]
    fn base64_length_is_what_the_file_will_hold() {
        let d = packed("d-1", "m");
        let json = serde_json::to_value(&d).unwrap();
        assert_eq!(
            json["bytes"].as_str().unwrap().len() as u64,
            base64_len(d.bytes.len() as u64)
        );
    }
}
