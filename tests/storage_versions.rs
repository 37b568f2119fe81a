//! Stored data from every schema version Waymark has ever written must still
//! load. Each version keeps a fixture written in its own shape; never edit
//! an old fixture, add one for each new version.

use waymark::model::SCHEMA_VERSION;
use waymark::storage::repository::parse_stored;

#[test]
fn a_fixture_from_every_past_schema_version_loads() {
    for version in 1..=SCHEMA_VERSION {
        let path = format!(
            "{}/tests/fixtures/storage/map-v{version}.json",
            env!("CARGO_MANIFEST_DIR")
        );
        let raw = std::fs::read_to_string(&path)
            .unwrap_or_else(|e| panic!("schema {version} needs a fixture at {path}: {e}"));
        let loaded = parse_stored(&raw, None).unwrap_or_else(|e| panic!("schema {version}: {e}"));
        assert_eq!(loaded.map.touchpoints.len(), 2, "schema {version}");
        assert_eq!(loaded.map.context_losses().count(), 1, "schema {version}");
        assert_eq!(
            loaded.map.personas[0].segment_key, "parents",
            "schema {version}"
        );
    }
}

/// Maps stored before workspace personas existed hold unlinked copies; the
/// personas page lists those as held by their map, so none may gain a link.
#[test]
fn personas_stored_before_the_personas_page_are_unlinked() {
    let raw = std::fs::read_to_string(format!(
        "{}/tests/fixtures/storage/map-v1.json",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap();
    let map = parse_stored(&raw, None).unwrap().map;
    assert!(map.personas.iter().all(|p| p.source.is_none()));
}
