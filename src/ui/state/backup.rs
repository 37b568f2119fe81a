//! Workspace backups in the app state: the export reads and the restore
//! writes through the same repository as every other change, so its rules
//! (revisions, quarantine, quota) and the library's refresh apply.

use std::collections::HashSet;

use leptos::prelude::*;

use super::{AppState, NoticeKind, UpdateRet};
use crate::storage::activity::Activity;
use crate::storage::backup::{self, Backup, Exported, OnConflict, PackedDataset, Plan, Restored};
use crate::storage::browser::{now_ms, random_id};
use crate::storage::StoreError;

impl AppState {
    pub fn activity(&self) -> Activity {
        self.repo.update_value_ret(|r| r.activity())
    }

    /// The workspace as a backup file, with `datasets` added. Edits still
    /// waiting for autosave are saved first so the file has them.
    pub fn export_workspace(&self, datasets: &[PackedDataset]) -> Result<Exported, StoreError> {
        self.flush();
        self.flush_workspace();
        self.repo
            .update_value_ret(|r| backup::export(&r.store, now_ms(), datasets))
    }

    /// The file was handed to the browser: the reminder starts over.
    pub fn backup_exported(&self) {
        if let Err(e) = self.repo.update_value_ret(|r| r.record_export()) {
            self.storage_failed("Could not note the backup", &e);
        }
    }

    pub fn snooze_backup_reminder(&self) {
        if let Err(e) = self.repo.update_value_ret(|r| r.snooze_reminder()) {
            self.storage_failed("Could not hide the reminder", &e);
        }
    }

    pub fn persistence_asked(&self) {
        let _ = self.repo.update_value_ret(|r| r.record_persist_asked());
    }

    pub fn restore_plan(&self, backup: &Backup) -> Result<Plan, StoreError> {
        self.flush();
        self.repo.update_value_ret(|r| backup.plan(r))
    }

    /// Writes a checked backup and shows the result. The open map is
    /// closed first unless it has unsaved edits (then a replaced map comes
    /// back as a conflict to resolve, as with any other tab's save).
    pub fn restore_backup(
        &self,
        backup: &Backup,
        on_conflict: OnConflict,
        stored_datasets: &HashSet<String>,
    ) -> Result<Restored, StoreError> {
        self.flush();
        self.flush_workspace();
        if !self.open.dirty.get_untracked() {
            self.close_map();
        }
        let restored = self.repo.update_value_ret(|r| {
            backup::restore(r, backup, on_conflict, random_id, stored_datasets)
        });
        self.refresh_library();
        self.load_workspace();
        if let Ok(done) = &restored {
            for failure in &done.failures {
                self.notify(NoticeKind::Error, format!("Not restored: {failure}"));
            }
        }
        restored
    }
}
