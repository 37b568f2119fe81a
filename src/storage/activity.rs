//! When the workspace last changed and when it was last exported, so the
//! library can remind the user to back up before a browser erases it:
//! Safari (and browsers that copy its rule) deletes a site's storage after
//! seven days without a visit, and a backup file is then the only copy.
//!
//! One small envelope under `waymark.v1.backup-status`, written by the
//! repository after every successful save and by the backup export. It
//! belongs to this browser, so backups leave it out.

use serde::{Deserialize, Serialize};

use super::envelope::{Envelope, RawEnvelope};
use super::repository::Repository;
use super::{KeyValue, StoreError, PREFIX};

pub fn activity_key() -> String {
    format!("{PREFIX}backup-status")
}

const ACTIVITY_SCHEMA: u32 = 1;

pub const DAY_MS: f64 = 24.0 * 60.0 * 60.0 * 1000.0;

/// Changes may go this long without an export before the reminder shows:
/// the span after which Safari erases a site's storage.
pub const REMIND_AFTER_MS: f64 = 7.0 * DAY_MS;

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Activity {
    /// The latest successful save of anything in the workspace.
    #[serde(default)]
    pub last_change_ms: Option<f64>,
    /// The latest backup export.
    #[serde(default)]
    pub last_export_ms: Option<f64>,
    /// The first change after the latest export: from then on, something
    /// exists only in this browser.
    #[serde(default)]
    pub unexported_since_ms: Option<f64>,
    /// The reminder was dismissed until then.
    #[serde(default)]
    pub snoozed_until_ms: Option<f64>,
    /// When persistent storage was asked for; asked once, since some
    /// browsers show the user a prompt.
    #[serde(default)]
    pub persist_asked_ms: Option<f64>,
}

impl Activity {
    /// The date of the oldest change not in any backup, when it is at least
    /// [`REMIND_AFTER_MS`] old and the reminder is not snoozed.
    pub fn reminder_due(&self, now_ms: f64) -> Option<f64> {
        let since = self.unexported_since_ms?;
        let snoozed = self.snoozed_until_ms.is_some_and(|until| now_ms < until);
        (now_ms - since >= REMIND_AFTER_MS && !snoozed).then_some(since)
    }

    /// Persistent storage is worth asking for once something was saved.
    pub fn persist_due(&self) -> bool {
        self.last_change_ms.is_some() && self.persist_asked_ms.is_none()
    }

    fn changed(&mut self, now_ms: f64) {
        self.last_change_ms = Some(now_ms);
        self.unexported_since_ms.get_or_insert(now_ms);
    }

    fn exported(&mut self, now_ms: f64) {
        self.last_export_ms = Some(now_ms);
        self.unexported_since_ms = None;
        self.snoozed_until_ms = None;
    }
}

impl<S: KeyValue> Repository<S> {
    /// The stored status; a missing or unreadable value reads as nothing
    /// known (it only drives a reminder, and the next save rewrites it).
    pub fn activity(&self) -> Activity {
        self.store
            .get(&activity_key())
            .ok()
            .flatten()
            .and_then(|raw| serde_json::from_str::<RawEnvelope>(&raw).ok())
            .filter(|env| env.schema == ACTIVITY_SCHEMA)
            .and_then(|env| serde_json::from_value(env.data).ok())
            .unwrap_or_default()
    }

    fn update_activity(&mut self, f: impl FnOnce(&mut Activity)) -> Result<(), StoreError> {
        let mut activity = self.activity();
        f(&mut activity);
        let env = Envelope {
            schema: ACTIVITY_SCHEMA,
            rev: 0,
            saved_ms: (self.clock)(),
            writer: self.writer.clone(),
            data: activity,
        };
        let json = serde_json::to_string(&env).map_err(|e| StoreError::Other(e.to_string()))?;
        self.store.set(&activity_key(), &json)
    }

    /// Called after every successful save. Best effort: a full store that
    /// took the save but not this costs only a reminder.
    pub(super) fn record_change(&mut self) {
        let now = (self.clock)();
        let _ = self.update_activity(|a| a.changed(now));
    }

    /// Called once a backup file has been handed to the browser.
    pub fn record_export(&mut self) -> Result<(), StoreError> {
        let now = (self.clock)();
        self.update_activity(|a| a.exported(now))
    }

    /// Hides the reminder for a day.
    pub fn snooze_reminder(&mut self) -> Result<(), StoreError> {
        let until = (self.clock)() + DAY_MS;
        self.update_activity(|a| a.snoozed_until_ms = Some(until))
    }

    pub fn record_persist_asked(&mut self) -> Result<(), StoreError> {
        let now = (self.clock)();
        self.update_activity(|a| a.persist_asked_ms = Some(now))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Id, JourneyMap};
    use crate::storage::MemoryStore;
    use std::cell::Cell;

    thread_local! {
        static NOW: Cell<f64> = const { Cell::new(0.0) };
    }

    fn now() -> f64 {
        NOW.with(Cell::get)
    }

    fn at(day: f64) {
        NOW.with(|n| n.set(1_700_000_000_000.0 + day * DAY_MS));
    }

    #[test]
    fn the_rule_counts_from_the_oldest_change_not_exported() {
        let start = 1_000.0;
        let a = Activity {
            last_change_ms: Some(start + 6.0 * DAY_MS),
            unexported_since_ms: Some(start),
            ..Activity::default()
        };
        assert_eq!(a.reminder_due(start + 6.9 * DAY_MS), None);
        assert_eq!(a.reminder_due(start + 7.0 * DAY_MS), Some(start));
        assert_eq!(a.reminder_due(start + 30.0 * DAY_MS), Some(start));
        let snoozed = Activity {
            snoozed_until_ms: Some(start + 8.0 * DAY_MS),
            ..a.clone()
        };
        assert_eq!(snoozed.reminder_due(start + 7.5 * DAY_MS), None);
        assert_eq!(snoozed.reminder_due(start + 8.0 * DAY_MS), Some(start));
        assert_eq!(
            Activity::default().reminder_due(start + 99.0 * DAY_MS),
            None
        );
    }

    #[test]
    fn saves_start_the_clock_and_an_export_stops_it() {
        at(0.0);
        let mut r = Repository::new(MemoryStore::new(), "tab-a", now);
        assert!(!r.activity().persist_due());
        let map = JourneyMap::new(Id::new("a"), "A", now());
        r.save(&map, None).unwrap();
        assert!(r.activity().persist_due());
        at(3.0);
        r.save(&map, Some(1)).unwrap();
        let activity = r.activity();
        assert_eq!(activity.last_change_ms, Some(now()));
        at(8.0);
        let first = 1_700_000_000_000.0;
        assert_eq!(r.activity().reminder_due(now()), Some(first));

        r.snooze_reminder().unwrap();
        assert_eq!(r.activity().reminder_due(now()), None);
        at(9.0);
        assert_eq!(r.activity().reminder_due(now()), Some(first));

        r.record_export().unwrap();
        at(20.0);
        assert_eq!(r.activity().reminder_due(now()), None);
        r.delete(&map.id).unwrap();
        at(27.5);
        assert_eq!(r.activity().reminder_due(now()), Some(now() - 7.5 * DAY_MS));

        r.record_persist_asked().unwrap();
        assert!(!r.activity().persist_due());
    }

    #[test]
    fn an_unreadable_status_reads_as_nothing_known_and_is_rewritten() {
        at(0.0);
        let mut r = Repository::new(MemoryStore::new(), "tab-a", now);
        r.store.set(&activity_key(), "{oops").unwrap();
        assert_eq!(r.activity(), Activity::default());
        r.save(&JourneyMap::new(Id::new("a"), "A", now()), None)
            .unwrap();
        assert_eq!(r.activity().unexported_since_ms, Some(now()));
    }
}
