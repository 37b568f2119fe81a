//! Where journey maps are kept, and the rules that keep them safe.
//!
//! Maps live in localStorage under `waymark.v1.*` keys: under `file://`
//! Chromium gives every local page one origin, so an un-namespaced key could
//! collide with any other file the user opens. Each value is a versioned
//! [`envelope::Envelope`]; older versions are brought forward by
//! [`migrate`]. The rules in [`repository`] are written against the
//! [`KeyValue`] trait so they are tested natively against [`MemoryStore`];
//! the browser backend only adapts localStorage to that trait. Workspace
//! personas ([`personas`]) are one more value under the same rules.
//! [`backup`] writes everything under the namespace to one file and reads
//! it back; [`activity`] remembers when that was last done.

pub mod activity;
pub mod backup;
pub mod datasets;
pub mod envelope;
pub mod followups;
pub mod personas;
pub mod repository;

#[cfg(target_arch = "wasm32")]
pub mod browser;
#[cfg(target_arch = "wasm32")]
pub mod datasets_idb;
#[cfg(target_arch = "wasm32")]
pub mod persistence;

pub use repository::{LoadError, Loaded, Quarantined, Repository, SaveError};
/// Lives in the core so map files and share links are upgraded by the very
/// same steps as stored maps.
pub use waymark_core::migrate;

use std::collections::BTreeMap;
use std::fmt;

/// Every key Waymark writes starts with this.
pub const PREFIX: &str = "waymark.v1.";

/// A failure of the underlying store, kept apart from data problems because
/// the user can act on each differently.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StoreError {
    /// The browser refuses storage (disabled, sandboxed, some private modes).
    Unavailable(String),
    /// The store is full; nothing was written.
    QuotaExceeded,
    Other(String),
}

impl fmt::Display for StoreError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StoreError::Unavailable(why) => write!(f, "browser storage is unavailable ({why})"),
            StoreError::QuotaExceeded => f.write_str(
                "browser storage is full: the change was kept in this tab but not saved",
            ),
            StoreError::Other(why) => write!(f, "browser storage failed: {why}"),
        }
    }
}

impl std::error::Error for StoreError {}

/// The few operations Waymark needs from a string key-value store; shaped
/// after localStorage, whose `setItem` either writes the whole value or
/// nothing.
pub trait KeyValue {
    fn get(&self, key: &str) -> Result<Option<String>, StoreError>;
    fn set(&mut self, key: &str, value: &str) -> Result<(), StoreError>;
    fn remove(&mut self, key: &str) -> Result<(), StoreError>;
    fn keys(&self) -> Result<Vec<String>, StoreError>;
}

/// An in-memory store. The app falls back to it when the browser gives no
/// storage, and tests use its quota to reproduce a full localStorage.
#[derive(Clone, Debug, Default)]
pub struct MemoryStore {
    entries: BTreeMap<String, String>,
    /// Maximum total characters of keys plus values, like localStorage's
    /// ~5 M-character limit; `None` is unlimited.
    pub quota: Option<usize>,
}

impl MemoryStore {
    pub fn new() -> Self {
        Self::default()
    }

    fn used_without(&self, key: &str) -> usize {
        self.entries
            .iter()
            .filter(|(k, _)| k.as_str() != key)
            .map(|(k, v)| k.chars().count() + v.chars().count())
            .sum()
    }
}

impl KeyValue for MemoryStore {
    fn get(&self, key: &str) -> Result<Option<String>, StoreError> {
        Ok(self.entries.get(key).cloned())
    }

    fn set(&mut self, key: &str, value: &str) -> Result<(), StoreError> {
        if let Some(quota) = self.quota {
            let needed = key.chars().count() + value.chars().count();
            if self.used_without(key) + needed > quota {
                return Err(StoreError::QuotaExceeded);
            }
        }
        self.entries.insert(key.to_owned(), value.to_owned());
        Ok(())
    }

    fn remove(&mut self, key: &str) -> Result<(), StoreError> {
        self.entries.remove(key);
        Ok(())
    }

    fn keys(&self) -> Result<Vec<String>, StoreError> {
        Ok(self.entries.keys().cloned().collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn memory_store_quota_refuses_whole_writes_and_keeps_old_value() {
        let mut s = MemoryStore {
            quota: Some(10),
            ..MemoryStore::default()
        };
        s.set("k", "12345").unwrap();
        assert_eq!(s.set("k", "1234567890"), Err(StoreError::QuotaExceeded));
        assert_eq!(s.get("k").unwrap().as_deref(), Some("12345"));
        s.set("k", "123456789").unwrap();
    }
}
