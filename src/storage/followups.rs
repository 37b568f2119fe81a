//! A map's follow-ups in storage: the ones the user touched (see
//! [`crate::followups::to_store`]), under `waymark.v1.followups.<map id>`
//! in a versioned envelope. They are kept apart from the map because they
//! are about the map's feedback, not its design, and change far more often
//! than it; and apart from the datasets (IndexedDB) because they must
//! outlive a deleted dataset. Being an envelope under the namespace,
//! workspace backups carry them without knowing them by name.

use super::envelope::{Envelope, RawEnvelope};
use super::migrate::migrate_with;
use super::{KeyValue, StoreError, PREFIX};
use crate::followups::{FollowUp, FOLLOWUPS_SCHEMA};
use crate::model::Id;

pub fn followups_key(map: &Id) -> String {
    format!("{PREFIX}followups.{map}")
}

/// The map's stored follow-ups; none when never saved. A value that does
/// not read is reported, naming the field at fault, rather than treated as
/// empty, so the next save cannot silently drop the user's notes.
pub fn load_followups(store: &impl KeyValue, map: &Id) -> Result<Vec<FollowUp>, String> {
    match store.get(&followups_key(map)).map_err(|e| e.to_string())? {
        None => Ok(Vec::new()),
        Some(raw) => {
            parse_followups(&raw).map_err(|e| format!("the saved follow-ups cannot be read ({e})"))
        }
    }
}

pub(super) fn parse_followups(raw: &str) -> Result<Vec<FollowUp>, String> {
    let env: RawEnvelope =
        serde_json::from_str(raw).map_err(|e| format!("not a Waymark envelope: {e}"))?;
    // No migration exists yet; the runner still refuses a newer schema.
    let data =
        migrate_with(env.data, env.schema, FOLLOWUPS_SCHEMA, &[]).map_err(|e| e.to_string())?;
    serde_path_to_error::deserialize(data).map_err(|e| format!("follow-ups data: {e}"))
}

/// Replaces the map's stored follow-ups with `items`. The envelope's time
/// is that of the latest change it holds, since every change is saved as
/// it is made.
pub fn save_followups(
    store: &mut impl KeyValue,
    map: &Id,
    items: &[FollowUp],
) -> Result<(), StoreError> {
    let env = Envelope {
        schema: FOLLOWUPS_SCHEMA,
        rev: 0,
        saved_ms: items.iter().map(|f| f.updated_ms).fold(0.0, f64::max),
        writer: String::new(),
        data: items,
    };
    let json = serde_json::to_string(&env).map_err(|e| StoreError::Other(e.to_string()))?;
    store.set(&followups_key(map), &json)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::followups::{Candidate, Status};
    use crate::import::Scale;
    use crate::insights::comments::Score;
    use crate::model::JourneyMap;
    use crate::storage::{backup, MemoryStore, Repository};

    fn follow_up(key: &str) -> FollowUp {
        FollowUp {
            key: key.into(),
            status: Status::Contacted,
            owner: "Kim".into(),
            note: "called, will ring back".into(),
            updated_ms: 1_700_000_000_000.0,
            snapshot: Candidate {
                dataset: "pulse.csv".into(),
                line: 7,
                customer: "ann@example.com".into(),
                score: Some(Score {
                    scale: Scale::Nps,
                    value: 3.0,
                }),
                comment: "late again".into(),
                compound: Some(-0.6),
                touchpoint: "Checkout".into(),
                date: Some("2024-01-05".into()),
            },
        }
    }

    #[test]
    fn follow_ups_round_trip_per_map() {
        let mut store = MemoryStore::new();
        let (m1, m2) = (Id::new("m1"), Id::new("m2"));
        assert!(load_followups(&store, &m1).unwrap().is_empty());
        let items = vec![follow_up("abc:7"), follow_up("abc:9")];
        save_followups(&mut store, &m1, &items).unwrap();
        assert_eq!(load_followups(&store, &m1).unwrap(), items);
        assert!(load_followups(&store, &m2).unwrap().is_empty());
        let raw = store.get("waymark.v1.followups.m1").unwrap().unwrap();
        let env: serde_json::Value = serde_json::from_str(&raw).unwrap();
        assert_eq!(env["schema"], FOLLOWUPS_SCHEMA);
        assert_eq!(env["data"][0]["status"], "contacted");
    }

    #[test]
    fn a_damaged_value_is_reported_with_the_field_at_fault() {
        let mut store = MemoryStore::new();
        let map = Id::new("m1");
        save_followups(&mut store, &map, &[follow_up("abc:7")]).unwrap();
        let key = followups_key(&map);
        let raw = store.get(&key).unwrap().unwrap();
        store
            .set(&key, &raw.replace("\"contacted\"", "\"done\""))
            .unwrap();
        let err = load_followups(&store, &map).unwrap_err();
        assert!(err.contains("cannot be read"), "{err}");
        assert!(err.contains("[0].status"), "{err}");
        assert!(err.contains("done"), "{err}");
        store
            .set(&key, &raw.replace("\"line\":7", "\"line\":\"7\""))
            .unwrap();
        let err = load_followups(&store, &map).unwrap_err();
        assert!(err.contains("[0].snapshot.line"), "{err}");
        store.set(&key, "{not json").unwrap();
        assert!(load_followups(&store, &map)
            .unwrap_err()
            .contains("not a Waymark envelope"));
        store
            .set(&key, &raw.replace("\"schema\":1", "\"schema\":9"))
            .unwrap();
        assert!(
            load_followups(&store, &map).is_err(),
            "from a newer Waymark"
        );
    }

    #[test]
    fn backups_carry_follow_ups() {
        let mut store = MemoryStore::new();
        save_followups(&mut store, &Id::new("m1"), &[follow_up("abc:7")]).unwrap();
        let exported = backup::export(&store, 1.0, &[]).unwrap();
        assert!(exported.left_out.is_empty(), "{:?}", exported.left_out);
        let file: serde_json::Value = serde_json::from_str(&exported.json).unwrap();
        let entry = &file["entries"]["waymark.v1.followups.m1"];
        assert_eq!(entry["data"][0]["owner"], "Kim");
        assert!(backup::parse(&exported.json).is_ok());
    }

    #[test]
    fn a_map_restored_as_a_copy_takes_its_follow_ups_along() {
        let mut repo = Repository::new(MemoryStore::new(), "tab", || 5_000.0);
        let map = JourneyMap::new(Id::new("m1"), "Returns", 1.0);
        repo.save(&map, None).unwrap();
        save_followups(&mut repo.store, &map.id, &[follow_up("abc:7")]).unwrap();
        let file = backup::export(&repo.store, 1.0, &[]).unwrap().json;
        let parsed = backup::parse(&file).unwrap();

        // Ours changed since the backup; both are kept.
        let ours = vec![follow_up("abc:9")];
        save_followups(&mut repo.store, &map.id, &ours).unwrap();
        let mut n = 0;
        let new_id = |prefix: &str| {
            n += 1;
            format!("{prefix}copy{n}")
        };
        let done = backup::restore(
            &mut repo,
            &parsed,
            backup::OnConflict::KeepBoth,
            new_id,
            &Default::default(),
        )
        .unwrap();
        assert!(done.failures.is_empty(), "{:?}", done.failures);
        assert_eq!(load_followups(&repo.store, &map.id).unwrap(), ours);
        let copy = Id::new("m-copy1");
        assert_eq!(repo.load(&copy).unwrap().map.name, "Returns (from backup)");
        assert_eq!(load_followups(&repo.store, &copy).unwrap()[0].key, "abc:7");

        // A damaged entry is refused by name before anything is written.
        let damaged = file.replace("\"contacted\"", "\"done\"");
        let err = backup::parse(&damaged).unwrap_err();
        assert!(err.contains("waymark.v1.followups.m1"), "{err}");
    }
}
