//! Bringing maps written by older versions up to the current schema:
//! stored maps, map files and share links all go through these steps.
//!
//! Each migration turns schema `n` JSON into schema `n + 1` JSON. They run in
//! order on the raw JSON, before the payload is parsed as the current type,
//! so the current types never need to know old shapes.

use serde_json::Value;

use crate::model::SCHEMA_VERSION;

/// A step from one schema version to the next.
pub struct Migration {
    pub from: u32,
    pub apply: fn(Value) -> Result<Value, String>,
}

/// Every migration ever written, oldest first. Schema 1 is the first stored
/// shape, so the list is empty until schema 2 exists; `migrations_are_contiguous`
/// checks a new entry is added whenever `SCHEMA_VERSION` grows.
pub const MIGRATIONS: &[Migration] = &[];

/// Why stored data could not be brought to the current schema.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum MigrateError {
    /// Written by a newer Waymark than this one; reading it could lose data.
    FromTheFuture {
        schema: u32,
    },
    /// No path from this version (only possible for version 0 or a gap).
    NoPath {
        schema: u32,
    },
    Failed {
        from: u32,
        message: String,
    },
}

impl std::fmt::Display for MigrateError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            MigrateError::FromTheFuture { schema } => write!(
                f,
                "saved by a newer Waymark (schema {schema}; this one reads up to {SCHEMA_VERSION})"
            ),
            MigrateError::NoPath { schema } => write!(f, "unknown schema version {schema}"),
            MigrateError::Failed { from, message } => {
                write!(f, "could not upgrade from schema {from}: {message}")
            }
        }
    }
}

/// Runs `migrations` from `schema` up to `target`.
pub fn migrate_with(
    mut value: Value,
    schema: u32,
    target: u32,
    migrations: &[Migration],
) -> Result<Value, MigrateError> {
    if schema > target {
        return Err(MigrateError::FromTheFuture { schema });
    }
    let mut at = schema;
    while at < target {
        let step = migrations
            .iter()
            .find(|m| m.from == at)
            .ok_or(MigrateError::NoPath { schema: at })?;
        value =
            (step.apply)(value).map_err(|message| MigrateError::Failed { from: at, message })?;
        at += 1;
    }
    Ok(value)
}

/// Brings a stored map payload to [`SCHEMA_VERSION`].
pub fn migrate(value: Value, schema: u32) -> Result<Value, MigrateError> {
    if schema == 0 {
        return Err(MigrateError::NoPath { schema });
    }
    migrate_with(value, schema, SCHEMA_VERSION, MIGRATIONS)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn rename_title(mut v: Value) -> Result<Value, String> {
        let title = v
            .get("title")
            .cloned()
            .ok_or_else(|| "no title".to_string())?;
        v["name"] = title;
        v.as_object_mut().unwrap().remove("title");
        Ok(v)
    }

    fn add_tags(mut v: Value) -> Result<Value, String> {
        v["tags"] = json!([]);
        Ok(v)
    }

    const CHAIN: &[Migration] = &[
        Migration {
            from: 2,
            apply: add_tags,
        },
        Migration {
            from: 1,
            apply: rename_title,
        },
    ];

    #[test]
    fn runs_steps_in_version_order_whatever_the_list_order() {
        let out = migrate_with(json!({"title": "A"}), 1, 3, CHAIN).unwrap();
        assert_eq!(out, json!({"name": "A", "tags": []}));
        let out = migrate_with(json!({"name": "B"}), 2, 3, CHAIN).unwrap();
        assert_eq!(out, json!({"name": "B", "tags": []}));
    }

    #[test]
    fn reports_failures_with_their_version() {
        let e = migrate_with(json!({}), 1, 3, CHAIN).unwrap_err();
        assert_eq!(
            e,
            MigrateError::Failed {
                from: 1,
                message: "no title".into()
            }
        );
    }

    #[test]
    fn refuses_newer_data_and_gaps() {
        assert_eq!(
            migrate(json!({}), SCHEMA_VERSION + 1).unwrap_err(),
            MigrateError::FromTheFuture {
                schema: SCHEMA_VERSION + 1
            }
        );
        assert_eq!(
            migrate_with(json!({"title": "A"}), 1, 4, CHAIN).unwrap_err(),
            MigrateError::NoPath { schema: 3 }
        );
        assert!(migrate(json!({}), 0).is_err());
    }

    #[test]
    fn migrations_are_contiguous() {
        // Empty while SCHEMA_VERSION is 1; written so it grows with it.
        for from in (1..).take_while(|v| *v < SCHEMA_VERSION) {
            assert!(
                MIGRATIONS.iter().any(|m| m.from == from),
                "no migration from schema {from}"
            );
        }
        assert!(MIGRATIONS.iter().all(|m| m.from < SCHEMA_VERSION));
    }
}
