//! The map file: a whole map (personas, lanes, handoffs, targets, settings;
//! never feedback rows, which are not part of a map) as one JSON document.
//!
//! It carries a `format` tag, so that any other JSON is refused with a
//! message that says so, and the schema `version` the map was written in,
//! so that a file from an older Waymark is upgraded by the same
//! [`crate::migrate`] steps as stored maps and one from a newer Waymark is
//! refused rather than read with fields silently dropped.

use serde::Serialize;
use serde_json::Value;

use super::FormatError;
use crate::migrate::{migrate, MigrateError};
use crate::model::{JourneyMap, SCHEMA_VERSION};

/// The value of the file's `format` field.
pub const FORMAT: &str = "waymark-map";

/// Larger files are refused before they are parsed: the biggest realistic
/// map is a few hundred kilobytes, and a browser tab should not be made to
/// parse hundreds of megabytes because someone dropped the wrong file.
pub const MAX_BYTES: usize = 10 * 1024 * 1024;

#[derive(Serialize)]
struct MapFile<'a> {
    format: &'static str,
    version: u32,
    map: &'a JourneyMap,
}

fn envelope(map: &JourneyMap) -> MapFile<'_> {
    MapFile {
        format: FORMAT,
        version: SCHEMA_VERSION,
        map,
    }
}

/// The map as a file: pretty JSON ending in a newline, fields in the
/// model's declaration order and per-persona scores sorted by id, so the
/// same map always gives the same bytes (diffs of exported maps stay
/// small, and reading a file and writing it again changes nothing).
pub fn to_json(map: &JourneyMap) -> String {
    let mut text =
        serde_json::to_string_pretty(&envelope(map)).expect("a map has only string keys");
    text.push('\n');
    text
}

/// The same document without whitespace, for share links.
pub(crate) fn to_compact_json(map: &JourneyMap) -> String {
    serde_json::to_string(&envelope(map)).expect("a map has only string keys")
}

/// Refuses a text of `bytes` bytes when it is over [`MAX_BYTES`], so a
/// caller can check a file's size before reading it.
pub fn check_size(bytes: usize) -> Result<(), FormatError> {
    if bytes > MAX_BYTES {
        return Err(FormatError::new(
            "file",
            format!(
                "{:.1} MB is larger than the {} MB a map may have",
                bytes as f64 / (1024.0 * 1024.0),
                MAX_BYTES / (1024 * 1024)
            ),
        ));
    }
    Ok(())
}

/// Reads a map file, checking in order: its size, that it is JSON (syntax
/// errors name the line and column), its `format` tag, its `version`
/// (older ones are migrated, newer ones refused), the map's fields (errors
/// name the field path, e.g. `map.touchpoints[3].emotion`) and finally the
/// map's consistency ([`JourneyMap::validate`], its field prefixed with
/// `map.`).
pub fn from_json(text: &str) -> Result<JourneyMap, FormatError> {
    check_size(text.len())?;
    // Some Windows editors start UTF-8 files with a byte-order mark.
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let value: Value = serde_json::from_str(text).map_err(syntax_error)?;
    let Value::Object(mut file) = value else {
        return Err(not_a_map_file());
    };
    match file.get("format") {
        Some(Value::String(tag)) if tag == FORMAT => {}
        Some(Value::String(tag)) => {
            return Err(FormatError::new(
                "format",
                format!("\"{tag}\" is not a Waymark map file (expected \"{FORMAT}\")"),
            ))
        }
        _ => return Err(not_a_map_file()),
    }
    let version = match file.get("version") {
        None => return Err(FormatError::new("version", "missing")),
        Some(v) => v
            .as_u64()
            .and_then(|v| u32::try_from(v).ok())
            .ok_or_else(|| {
                FormatError::new("version", format!("{v} is not a schema version number"))
            })?,
    };
    let data = file
        .remove("map")
        .ok_or_else(|| FormatError::new("map", "missing"))?;
    let data = migrate(data, version).map_err(|e| match e {
        MigrateError::Failed { .. } => FormatError::new("map", e.to_string()),
        MigrateError::FromTheFuture { .. } | MigrateError::NoPath { .. } => {
            FormatError::new("version", e.to_string())
        }
    })?;
    let map: JourneyMap = serde_path_to_error::deserialize(data).map_err(|e| {
        let path = e.path().to_string();
        let field = if path == "." {
            "map".to_owned()
        } else {
            format!("map.{path}")
        };
        FormatError::new(field, e.into_inner().to_string())
    })?;
    map.validate()
        .map_err(|e| FormatError::new(format!("map.{}", e.field), e.message))?;
    Ok(map)
}

fn not_a_map_file() -> FormatError {
    FormatError::new(
        "format",
        format!("not a Waymark map file (it has no \"format\": \"{FORMAT}\")"),
    )
}

/// serde_json's message names the position at its end; it is moved to the
/// field so every error reads "where: why".
fn syntax_error(e: serde_json::Error) -> FormatError {
    let position = format!(" at line {} column {}", e.line(), e.column());
    let message = e.to_string();
    let message = message.strip_suffix(&position).unwrap_or(&message);
    FormatError::new(
        format!("line {}, column {}", e.line(), e.column()),
        format!("not valid JSON: {message}"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{ChannelKind, Id};
    use crate::templates::TEMPLATES;

    fn small() -> JourneyMap {
        let mut m = JourneyMap::new(Id::new("m1"), "Small", 1_700_000_000_000.0);
        let s = m.add_stage("Buy");
        let c = m.add_channel("Web", ChannelKind::Digital);
        let a = m.add_touchpoint(&s, &c, "Cart").unwrap();
        let b = m.add_touchpoint(&s, &c, "Pay").unwrap();
        m.add_handoff(&a, &b, false).unwrap();
        m
    }

    fn file_with_map(map: Value) -> String {
        serde_json::json!({"format": FORMAT, "version": SCHEMA_VERSION, "map": map}).to_string()
    }

    #[test]
    fn every_template_survives_a_round_trip_and_json_is_a_fixed_point() {
        for t in TEMPLATES {
            let map = (t.build)(Id::new(format!("id-{}", t.key)), 1_765_000_000_123.0);
            let json = to_json(&map);
            let back = from_json(&json).unwrap();
            assert_eq!(back, map, "{}", t.key);
            assert_eq!(to_json(&back), json, "{}", t.key);
        }
    }

    #[test]
    fn the_file_is_tagged_and_versioned() {
        let v: Value = serde_json::from_str(&to_json(&small())).unwrap();
        assert_eq!(v["format"], FORMAT);
        assert_eq!(v["version"], SCHEMA_VERSION);
        assert_eq!(v["map"]["name"], "Small");
        assert!(to_json(&small()).ends_with("}\n"));
    }

    #[test]
    fn size_is_checked_before_anything_else() {
        let huge = " ".repeat(MAX_BYTES + 1);
        let e = from_json(&huge).unwrap_err();
        assert_eq!(e.field, "file");
        assert!(e.message.contains("10 MB"), "{e}");
    }

    #[test]
    fn syntax_errors_name_line_and_column() {
        let e = from_json("{\n  \"format\": \"waymark-map\",\n  \"version\": 1,,\n}").unwrap_err();
        assert_eq!(e.field, "line 3, column 16");
        assert!(e.message.starts_with("not valid JSON: "), "{e}");
        assert!(!e.message.contains("line 3"), "{e}");
        let truncated = to_json(&small());
        let e = from_json(&truncated[..truncated.len() / 2]).unwrap_err();
        assert!(e.field.starts_with("line "), "{e}");
        assert!(e.message.contains("EOF"), "{e}");
    }

    #[test]
    fn other_json_is_not_a_map_file() {
        for text in ["[1, 2]", "\"map\"", "{\"id\": \"m\", \"name\": \"Bare\"}"] {
            let e = from_json(text).unwrap_err();
            assert_eq!(e.field, "format", "{text}");
            assert!(e.message.contains("not a Waymark map file"), "{e}");
        }
        let e = from_json(r#"{"format": "waymark-workspace", "version": 1}"#).unwrap_err();
        assert_eq!(
            e.to_string(),
            "format: \"waymark-workspace\" is not a Waymark map file (expected \"waymark-map\")"
        );
    }

    #[test]
    fn versions_are_checked_and_newer_ones_refused() {
        let newer = to_json(&small()).replace(
            &format!("\"version\": {SCHEMA_VERSION}"),
            &format!("\"version\": {}", SCHEMA_VERSION + 1),
        );
        let e = from_json(&newer).unwrap_err();
        assert_eq!(e.field, "version");
        assert!(e.message.contains("newer Waymark"), "{e}");
        for (version, why) in [("0", "unknown"), ("-1", "not a schema"), ("\"1\"", "not a")] {
            let text = format!(r#"{{"format": "waymark-map", "version": {version}, "map": {{}}}}"#);
            let e = from_json(&text).unwrap_err();
            assert_eq!(e.field, "version", "{version}");
            assert!(e.message.contains(why), "{e}");
        }
        let e = from_json(r#"{"format": "waymark-map", "map": {}}"#).unwrap_err();
        assert_eq!(e.to_string(), "version: missing");
        let e = from_json(r#"{"format": "waymark-map", "version": 1}"#).unwrap_err();
        assert_eq!(e.to_string(), "map: missing");
    }

    #[test]
    fn wrong_fields_are_named_by_their_path() {
        let mut map = serde_json::to_value(small()).unwrap();
        map["touchpoints"][1]["emotion"] = serde_json::json!(1000);
        let e = from_json(&file_with_map(map)).unwrap_err();
        assert_eq!(e.field, "map.touchpoints[1].emotion");
        assert!(e.message.contains("1000"), "{e}");

        let mut map = serde_json::to_value(small()).unwrap();
        map.as_object_mut().unwrap().remove("name");
        let e = from_json(&file_with_map(map)).unwrap_err();
        assert_eq!(e.to_string(), "map: missing field `name`");
    }

    #[test]
    fn inconsistent_maps_are_refused_with_the_field_named() {
        let mut map = serde_json::to_value(small()).unwrap();
        map["touchpoints"][1]["stage"] = serde_json::json!("s-9");
        let e = from_json(&file_with_map(map)).unwrap_err();
        assert_eq!(
            e.to_string(),
            "map.touchpoints[1].stage: no stage with id \"s-9\""
        );

        let mut map = serde_json::to_value(small()).unwrap();
        map["handoffs"][0]["to"] = serde_json::json!("nowhere");
        let e = from_json(&file_with_map(map)).unwrap_err();
        assert_eq!(e.field, "map.handoffs[0].to");

        let mut map = serde_json::to_value(small()).unwrap();
        map["touchpoints"][1]["id"] = map["touchpoints"][0]["id"].clone();
        let e = from_json(&file_with_map(map)).unwrap_err();
        assert_eq!(e.field, "map.touchpoints[1].id");
        assert!(e.message.contains("duplicate"), "{e}");
    }

    #[test]
    fn hostile_json_gives_errors_not_panics() {
        let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
        assert!(from_json(&deep).unwrap_err().message.contains("recursion"));
        let mut map = serde_json::to_value(small()).unwrap();
        map["created_ms"] = serde_json::json!("soon");
        assert_eq!(
            from_json(&file_with_map(map)).unwrap_err().field,
            "map.created_ms"
        );
        let huge = to_json(&small()).replace("\"next_seq\": 6", "\"next_seq\": 1e999");
        assert!(from_json(&huge).unwrap_err().field.starts_with("line "));
        let huge =
            to_json(&small()).replace("\"next_seq\": 6", "\"next_seq\": 99999999999999999999999");
        assert_eq!(from_json(&huge).unwrap_err().field, "map.next_seq");
    }
}
