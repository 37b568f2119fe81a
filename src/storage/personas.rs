//! Workspace personas in storage: one value under `waymark.v1.personas`,
//! kept by the same rules as maps (versioned envelope, revisions, quarantine
//! of anything unreadable) through the repository's own read and write
//! rules. One value rather than a key per persona because the page edits
//! the set as a whole (create, delete, adopt) and the set is small; a
//! single revision then makes another tab's save detectable.
//!
//! Losing this value never loses a persona: every attached persona has a
//! full copy in its maps, which the personas page offers to adopt again.

use std::fmt;

use super::envelope::RawEnvelope;
use super::migrate::migrate_with;
use super::repository::{LoadError, Quarantined, Refused, Repository};
use super::{KeyValue, StoreError, PREFIX};
use crate::model::ModelError;
use crate::personas::{PersonaLibrary, PERSONAS_SCHEMA};

pub fn personas_key() -> String {
    format!("{PREFIX}personas")
}

/// The workspace personas as read, with the revision a save must build on
/// (`None` when nothing is stored yet).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct LoadedPersonas {
    pub library: PersonaLibrary,
    pub rev: Option<u64>,
}

#[derive(Clone, Debug, PartialEq)]
pub enum PersonasError {
    /// The stored personas were unreadable and have been moved aside.
    Quarantined(Quarantined),
    /// Unreadable and could not be moved aside; left untouched, and nothing
    /// will be written over them.
    Unreadable {
        reason: String,
        store: StoreError,
    },
    Store(StoreError),
    /// Another tab saved between this tab's read and write; nothing was
    /// written.
    Conflict,
    /// The change would break a rule (named field); nothing was written.
    Invalid(ModelError),
}

impl fmt::Display for PersonasError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PersonasError::Quarantined(q) => write!(
                f,
                "the saved workspace personas could not be read ({}); they were set aside so you can export them from the maps page, and the personas your maps hold are listed here to add again",
                q.reason
            ),
            PersonasError::Unreadable { reason, store } => write!(
                f,
                "the saved workspace personas could not be read ({reason}) and could not be set aside ({store}); they were left untouched"
            ),
            PersonasError::Store(e) => e.fmt(f),
            PersonasError::Conflict => {
                f.write_str("the personas were changed in another tab at the same moment")
            }
            PersonasError::Invalid(e) => e.fmt(f),
        }
    }
}

impl std::error::Error for PersonasError {}

impl From<LoadError> for PersonasError {
    fn from(e: LoadError) -> Self {
        match e {
            LoadError::Quarantined(q) => PersonasError::Quarantined(q),
            LoadError::Unreadable { reason, store } => PersonasError::Unreadable { reason, store },
            LoadError::Store(e) => PersonasError::Store(e),
            LoadError::Missing => PersonasError::Store(StoreError::Other("missing".into())),
        }
    }
}

/// Reads a stored personas value: envelope, migration, parse, validation.
/// The reason names what failed so the data can be repaired by hand.
pub fn parse_personas(raw: &str) -> Result<LoadedPersonas, String> {
    let env: RawEnvelope =
        serde_json::from_str(raw).map_err(|e| format!("not a Waymark envelope: {e}"))?;
    // No personas migration exists yet; the shared runner still refuses
    // data from a newer Waymark and unknown versions.
    let data =
        migrate_with(env.data, env.schema, PERSONAS_SCHEMA, &[]).map_err(|e| e.to_string())?;
    let library: PersonaLibrary =
        serde_path_to_error::deserialize(data).map_err(|e| format!("personas data: {e}"))?;
    library
        .validate()
        .map_err(|e| format!("personas data: {e}"))?;
    Ok(LoadedPersonas {
        library,
        rev: Some(env.rev),
    })
}

impl<S: KeyValue> Repository<S> {
    /// The workspace personas; an empty set when none were ever saved.
    pub fn load_personas(&mut self) -> Result<LoadedPersonas, PersonasError> {
        match self.load_checked(&personas_key(), |raw| {
            parse_personas(raw).map(|l| (l.rev.unwrap_or(0), l))
        }) {
            Ok(loaded) => Ok(loaded),
            Err(LoadError::Missing) => Ok(LoadedPersonas::default()),
            Err(e) => Err(e.into()),
        }
    }

    /// Writes the set on top of `base_rev` (see `save_checked`).
    pub fn save_personas(
        &mut self,
        library: &PersonaLibrary,
        base_rev: Option<u64>,
    ) -> Result<u64, PersonasError> {
        library.validate().map_err(PersonasError::Invalid)?;
        let saved_ms = (self.clock)();
        self.save_checked(
            &personas_key(),
            PERSONAS_SCHEMA,
            saved_ms,
            library,
            base_rev,
            |raw| parse_personas(raw).map(|l| (l.rev.unwrap_or(0), ())),
        )
        .map_err(|e| match e {
            Refused::Store(e) => PersonasError::Store(e),
            Refused::Conflict(()) => PersonasError::Conflict,
        })
    }

    /// Reads the stored set, applies `f` and writes it back in one go, so
    /// each change lands on the latest stored version and a change made in
    /// another tab in between is kept. Nothing is written when `f` fails.
    pub fn update_personas<R>(
        &mut self,
        f: impl FnOnce(&mut PersonaLibrary) -> Result<R, ModelError>,
    ) -> Result<(LoadedPersonas, R), PersonasError> {
        let mut loaded = self.load_personas()?;
        let out = f(&mut loaded.library).map_err(PersonasError::Invalid)?;
        let rev = self.save_personas(&loaded.library, loaded.rev)?;
        loaded.rev = Some(rev);
        Ok((loaded, out))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Id;
    use crate::personas::WorkspacePersona;
    use crate::storage::MemoryStore;

    fn repo() -> Repository<MemoryStore> {
        Repository::new(MemoryStore::new(), "tab-a", || 1_000.0)
    }

    fn persona(id: &str, name: &str) -> WorkspacePersona {
        WorkspacePersona {
            id: Id::new(id),
            name: name.into(),
            quote: "Just let me pay".into(),
            preferred_channels: vec!["Store".into()],
            ..WorkspacePersona::default()
        }
    }

    #[test]
    fn nothing_stored_reads_as_an_empty_set() {
        let mut r = repo();
        assert_eq!(r.load_personas().unwrap(), LoadedPersonas::default());
    }

    #[test]
    fn saved_personas_read_back_in_a_versioned_envelope() {
        let mut r = repo();
        let (first, id) = r
            .update_personas(|lib| lib.create(Id::new("wp-1"), "Maya"))
            .unwrap();
        assert_eq!(id, Id::new("wp-1"));
        assert_eq!(first.rev, Some(1));
        let raw = r.store.get("waymark.v1.personas").unwrap().unwrap();
        let env: serde_json::Value = serde_json::from_str(&raw).unwrap();
        assert_eq!(env["schema"], PERSONAS_SCHEMA);
        assert_eq!(env["writer"], "tab-a");
        assert_eq!(env["data"]["personas"][0]["name"], "Maya");
        assert_eq!(r.load_personas().unwrap(), first);
    }

    #[test]
    fn a_stale_save_is_refused_and_changes_nothing() {
        let mut r = repo();
        let mut lib = PersonaLibrary::default();
        lib.upsert(persona("wp-1", "Maya"));
        let rev = r.save_personas(&lib, None).unwrap();
        r.save_personas(&lib, Some(rev)).unwrap();
        lib.upsert(persona("wp-2", "Tom"));
        assert_eq!(
            r.save_personas(&lib, Some(rev)),
            Err(PersonasError::Conflict)
        );
        assert_eq!(r.save_personas(&lib, None), Err(PersonasError::Conflict));
        assert_eq!(r.load_personas().unwrap().library.personas.len(), 1);
    }

    #[test]
    fn update_keeps_what_another_tab_saved_in_between() {
        let mut a = repo();
        a.update_personas(|lib| lib.create(Id::new("wp-1"), "Maya"))
            .unwrap();
        let mut b = Repository::new(a.store.clone(), "tab-b", || 2_000.0);
        b.update_personas(|lib| lib.create(Id::new("wp-2"), "Tom"))
            .unwrap();
        a.store = b.store.clone();
        let (loaded, ()) = a
            .update_personas(|lib| {
                lib.upsert(persona("wp-1", "Maya R."));
                Ok(())
            })
            .unwrap();
        let names: Vec<_> = loaded
            .library
            .personas
            .iter()
            .map(|p| p.name.as_str())
            .collect();
        assert_eq!(names, ["Maya R.", "Tom"]);
    }

    #[test]
    fn an_invalid_change_is_refused_with_the_field_named() {
        let mut r = repo();
        r.update_personas(|lib| lib.create(Id::new("wp-1"), "Maya"))
            .unwrap();
        let e = r
            .update_personas(|lib| {
                lib.personas.push(persona("wp-1", "Twin"));
                Ok(())
            })
            .unwrap_err();
        let PersonasError::Invalid(e) = e else {
            panic!("expected invalid, got {e:?}");
        };
        assert_eq!(e.field, "personas[1].id");
        assert_eq!(r.load_personas().unwrap().library.personas.len(), 1);
    }

    #[test]
    fn corrupt_personas_are_quarantined_and_never_overwritten() {
        let mut r = repo();
        let bad = r#"{"schema":1,"rev":3,"data":{"personas":[{"id":"a"},{"id":"a"}]}}"#;
        r.store.set("waymark.v1.personas", bad).unwrap();
        let PersonasError::Quarantined(q) = r.load_personas().unwrap_err() else {
            panic!("expected quarantine");
        };
        assert!(q.reason.contains("personas[1].id"), "{}", q.reason);
        assert_eq!(r.quarantined().unwrap()[0].raw, bad);
        assert_eq!(
            r.quarantined().unwrap()[0].original_key,
            "waymark.v1.personas"
        );
        // The key is free again: the workspace starts over, the bad copy stays aside.
        assert_eq!(r.load_personas().unwrap(), LoadedPersonas::default());
        r.update_personas(|lib| lib.create(Id::new("wp-1"), "Maya"))
            .unwrap();
        assert_eq!(r.quarantined().unwrap()[0].raw, bad);
    }

    #[test]
    fn newer_schema_is_quarantined_with_a_clear_reason() {
        let mut r = repo();
        r.store
            .set("waymark.v1.personas", r#"{"schema":7,"rev":1,"data":{}}"#)
            .unwrap();
        let PersonasError::Quarantined(q) = r.load_personas().unwrap_err() else {
            panic!("expected quarantine");
        };
        assert!(q.reason.contains("newer Waymark"), "{}", q.reason);
    }

    #[test]
    fn unreadable_personas_that_cannot_be_set_aside_are_left_alone() {
        let mut r = repo();
        r.store.set("waymark.v1.personas", "nonsense").unwrap();
        r.store.quota = Some(40);
        assert!(matches!(
            r.update_personas(|lib| lib.create(Id::new("wp-1"), "Maya")),
            Err(PersonasError::Unreadable { .. })
        ));
        assert!(r.save_personas(&PersonaLibrary::default(), None).is_err());
        assert_eq!(
            r.store.get("waymark.v1.personas").unwrap().as_deref(),
            Some("nonsense")
        );
    }

    #[test]
    fn a_full_store_keeps_the_last_good_copy() {
        let mut r = repo();
        let (loaded, _) = r
            .update_personas(|lib| lib.create(Id::new("wp-1"), "Maya"))
            .unwrap();
        let used: usize = r
            .store
            .keys()
            .unwrap()
            .iter()
            .map(|k| k.len() + r.store.get(k).unwrap().unwrap().len())
            .sum();
        r.store.quota = Some(used + 10);
        let mut bigger = loaded.library.clone();
        bigger.personas[0].quote = "x".repeat(500);
        assert_eq!(
            r.save_personas(&bigger, loaded.rev),
            Err(PersonasError::Store(StoreError::QuotaExceeded))
        );
        assert_eq!(r.load_personas().unwrap(), loaded);
    }

    #[test]
    fn personas_do_not_show_up_as_maps() {
        let mut r = repo();
        r.update_personas(|lib| lib.create(Id::new("wp-1"), "Maya"))
            .unwrap();
        assert!(r.list().unwrap().is_empty());
        assert!(r.stored_ids().unwrap().is_empty());
    }
}
