//! The library's backup tools: the reminder when changes have gone a week
//! without a backup, and the "Your data" card that backs up and restores
//! the whole workspace and says whether the browser keeps it for good.
//! What a backup holds and how a restore is checked lives in
//! `storage::backup`; this module only reads files, shows the plan and
//! writes datasets to IndexedDB.

use std::collections::HashSet;

use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

use super::download;
use super::state::AppState;
use crate::storage::activity::Activity;
use crate::storage::backup::{self, Backup, OnConflict, PackedDataset, Plan, MAX_FILE_BYTES};
use crate::storage::browser::now_ms;
use crate::storage::datasets_idb::DatasetStore;
use crate::storage::{persistence, StoreError};

/// What the reminder and the card share: both change when a backup is made.
#[derive(Clone, Copy)]
pub struct BackupStatus {
    activity: RwSignal<Activity>,
    /// Imported datasets: how many, and the bytes they add to a backup.
    datasets: RwSignal<Option<(usize, u64)>>,
    persisted: RwSignal<Option<bool>>,
    busy: RwSignal<bool>,
    /// The outcome of the last action: `Ok` to show, `Err` to alert.
    message: RwSignal<Option<Result<String, String>>>,
}

impl BackupStatus {
    pub fn new() -> Self {
        let state = expect_context::<AppState>();
        let status = BackupStatus {
            activity: RwSignal::new(state.activity()),
            datasets: RwSignal::new(None),
            persisted: RwSignal::new(None),
            busy: RwSignal::new(false),
            message: RwSignal::new(None),
        };
        // Runs again whenever the list of maps changes: the first saved
        // change (usually a map created here) is when persistence is
        // worth asking for.
        Effect::new(move |_| {
            state.maps.track();
            status.reread(state);
        });
        spawn_local(async move {
            let counted = count_datasets().await;
            status.datasets.try_set(counted);
        });
        status
    }

    fn reread(self, state: AppState) {
        let activity = state.activity();
        let ask = activity.persist_due();
        self.activity.try_set(activity);
        if ask {
            state.persistence_asked();
        }
        spawn_local(async move {
            let persisted = if ask {
                persistence::persist().await
            } else {
                persistence::persisted().await
            };
            self.persisted.try_set(persisted);
        });
    }
}

impl Default for BackupStatus {
    fn default() -> Self {
        Self::new()
    }
}

async fn count_datasets() -> Option<(usize, u64)> {
    let store = DatasetStore::open().await.ok()?;
    let (metas, _) = store.list().await.ok()?;
    let bytes = store.stored_bytes(&metas).await.ok()?;
    Some((metas.len(), backup::base64_len(bytes)))
}

async fn all_datasets() -> Result<Vec<PackedDataset>, StoreError> {
    let store = DatasetStore::open().await?;
    let (metas, _) = store.list().await?;
    let mut out = Vec::with_capacity(metas.len());
    for meta in &metas {
        out.push(store.packed(meta).await?);
    }
    Ok(out)
}

async fn stored_dataset_ids() -> Result<HashSet<String>, StoreError> {
    let (metas, _) = DatasetStore::open().await?.list().await?;
    Ok(metas.into_iter().map(|m| m.id).collect())
}

fn js_date(ms: f64) -> js_sys::Date {
    js_sys::Date::new(&JsValue::from_f64(ms))
}

/// A day in the reader's words, e.g. "3 December 2026".
fn format_day(ms: f64) -> String {
    let options = js_sys::Object::new();
    for (key, value) in [("year", "numeric"), ("month", "long"), ("day", "numeric")] {
        let _ = js_sys::Reflect::set(&options, &key.into(), &value.into());
    }
    js_date(ms)
        .to_locale_date_string("default", &options)
        .as_string()
        .unwrap_or_default()
}

/// `waymark-backup-YYYY-MM-DD.json`, in the user's own time zone.
fn file_name(ms: f64) -> String {
    let d = js_date(ms);
    format!(
        "waymark-backup-{:04}-{:02}-{:02}.json",
        d.get_full_year(),
        d.get_month() + 1,
        d.get_date()
    )
}

/// "0.4 MB", "12 MB": a tenth where it matters, never "0.0".
fn megabytes(bytes: u64) -> String {
    let mb = (bytes as f64 / 1e6).max(0.1);
    if mb < 10.0 {
        format!("{mb:.1} MB")
    } else {
        format!("{mb:.0} MB")
    }
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// Saves the workspace (and the datasets, when asked) as a file.
fn export(state: AppState, status: BackupStatus, with_datasets: bool) {
    status.busy.set(true);
    status.message.set(None);
    spawn_local(async move {
        let datasets = if with_datasets {
            all_datasets().await
        } else {
            Ok(Vec::new())
        };
        let result = datasets
            .and_then(|d| state.export_workspace(&d))
            .map(|exported| {
                let name = file_name(now_ms());
                download(&name, "application/json", &exported.json);
                state.backup_exported();
                let mut note = format!("Backup saved as {name}.");
                if !exported.left_out.is_empty() {
                    note.push_str(&format!(
                        " Left out, because they cannot be read: {}.",
                        exported.left_out.join("; ")
                    ));
                }
                note
            })
            .map_err(|e| format!("Could not back up: {e}"));
        status.message.try_set(Some(result));
        status.busy.try_set(false);
        status.reread(state);
    });
}

/// The reminder shown when changes have waited a week for a backup.
#[component]
pub fn BackupReminder(status: BackupStatus) -> impl IntoView {
    let state = expect_context::<AppState>();
    let due = move || status.activity.with(|a| a.reminder_due(now_ms()));
    view! {
        {move || {
            due()
                .map(|since| {
                    view! {
                        <aside class="backup-reminder" data-testid="backup-reminder" aria-label="Backup reminder">
                            <p>
                                <strong>{format!("You have changes from {} not backed up.", format_day(since))}</strong>
                                " Safari and some browsers erase a site's data after 7 days without a visit."
                            </p>
                            <div class="inline">
                                <button
                                    class="primary"
                                    disabled=move || status.busy.get()
                                    on:click=move |_| export(state, status, false)
                                >
                                    "Export backup"
                                </button>
                                <button on:click=move |_| {
                                    state.snooze_backup_reminder();
                                    status.reread(state);
                                }>"Remind me tomorrow"</button>
                            </div>
                        </aside>
                    }
                })
        }}
    }
}

/// A backup file read and checked, waiting for the user to confirm.
struct Pending {
    backup: Backup,
    file: String,
    plan: Plan,
    stored_datasets: HashSet<String>,
}

/// "Your data": back up, restore, and whether the browser keeps the data.
#[component]
pub fn DataCard(status: BackupStatus) -> impl IntoView {
    let state = expect_context::<AppState>();
    let with_datasets = RwSignal::new(false);
    let pending = StoredValue::new_local(None::<Pending>);
    // Bumped when `pending` changes, since a stored value is not reactive.
    let shown = RwSignal::new(0u32);
    let choice = RwSignal::new(OnConflict::default());

    let picked = move |ev: leptos::ev::Event| {
        let Some(input) = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
        else {
            return;
        };
        let Some(file) = input.files().and_then(|f| f.get(0)) else {
            return;
        };
        // Choosing the same file again must fire `change` again.
        input.set_value("");
        status.message.set(None);
        let name = file.name();
        if file.size() > MAX_FILE_BYTES as f64 {
            status.message.set(Some(Err(format!(
                "\"{name}\" is {}; a backup can be at most {}. Nothing was changed.",
                megabytes(file.size() as u64),
                megabytes(MAX_FILE_BYTES)
            ))));
            return;
        }
        status.busy.set(true);
        spawn_local(async move {
            let read = read_backup(state, &name, file).await;
            match read {
                Ok(p) => {
                    choice.try_set(OnConflict::default());
                    let _ = pending.try_set_value(Some(p));
                    shown.try_update(|n| *n += 1);
                }
                Err(e) => {
                    status.message.try_set(Some(Err(format!(
                        "Could not restore \"{name}\": {e}. Nothing was changed."
                    ))));
                }
            }
            status.busy.try_set(false);
        });
    };

    let cancel = move || {
        pending.set_value(None);
        shown.update(|n| *n += 1);
    };
    let confirm = move || {
        let Some(p) = pending.try_update_value(Option::take).flatten() else {
            return;
        };
        shown.update(|n| *n += 1);
        status.busy.set(true);
        spawn_local(async move {
            let result = apply(state, &p, choice.get_untracked()).await;
            status.message.try_set(Some(result));
            status.busy.try_set(false);
            status.reread(state);
            let counted = count_datasets().await;
            status.datasets.try_set(counted);
        });
    };

    let datasets_label = move || {
        status.datasets.get().map(|(n, bytes)| {
            format!(
                "Include imported datasets ({}, {})",
                plural(n, "dataset", "datasets"),
                megabytes(bytes)
            )
        })
    };

    view! {
        <section class="data-card card" aria-labelledby="data-title" data-testid="data-card">
            <h2 id="data-title">"Your data"</h2>
            <p class="muted">
                "Everything stays in this browser. A backup file keeps it safe and moves it to another browser or computer."
            </p>
            <div class="data-actions">
                <div class="data-action">
                    <button
                        class="primary"
                        data-testid="backup-export"
                        disabled=move || status.busy.get()
                        on:click=move |_| export(state, status, with_datasets.get_untracked())
                    >
                        "Back up workspace"
                    </button>
                    {move || {
                        datasets_label()
                            .filter(|_| status.datasets.get().is_some_and(|(n, _)| n > 0))
                            .map(|label| {
                                view! {
                                    <label class="check">
                                        <input
                                            type="checkbox"
                                            data-testid="backup-datasets"
                                            prop:checked=move || with_datasets.get()
                                            on:change=move |ev| {
                                                with_datasets.set(event_target_checked(&ev));
                                            }
                                        />
                                        {label}
                                    </label>
                                }
                            })
                    }}
                </div>
                <div class="data-action">
                    <input
                        id="restore-file"
                        class="visually-hidden"
                        type="file"
                        accept=".json,application/json"
                        data-testid="restore-file"
                        disabled=move || status.busy.get()
                        on:change=picked
                    />
                    <label class="button" for="restore-file">"Restore from backup…"</label>
                    <span class="muted">{format!("A backup file of up to {}.", megabytes(MAX_FILE_BYTES))}</span>
                </div>
            </div>

            {move || {
                shown.track();
                pending
                    .with_value(|p| p.as_ref().map(|p| plan_view(p, choice)))
                    .map(|plan| {
                        view! {
                            <div class="restore-plan" data-testid="restore-plan">
                                {plan}
                                <div class="inline">
                                    <button class="primary" data-testid="restore-confirm" on:click=move |_| confirm()>
                                        "Restore"
                                    </button>
                                    <button on:click=move |_| cancel()>"Cancel"</button>
                                </div>
                            </div>
                        }
                    })
            }}

            {move || {
                status
                    .message
                    .get()
                    .map(|m| match m {
                        Ok(text) => view! { <p class="data-message" role="status" data-testid="backup-message">{text}</p> }.into_any(),
                        Err(text) => view! { <p class="data-message error" role="alert" data-testid="backup-error">{text}</p> }.into_any(),
                    })
            }}

            <p class="data-status muted" data-testid="backup-status">
                {move || last_backup(&status.activity.get())}
                " "
                {move || persistence_note(status.persisted.get())}
            </p>
        </section>
    }
}

fn last_backup(activity: &Activity) -> String {
    match activity.last_export_ms {
        Some(ms) => format!("Last backup: {}.", format_day(ms)),
        None => "No backup made in this browser yet.".into(),
    }
}

fn persistence_note(persisted: Option<bool>) -> &'static str {
    match persisted {
        Some(true) => "Storage is persistent: this browser will not clear it on its own.",
        Some(false) => "Storage is not persistent: the browser may clear it when space runs low, and Safari after 7 days without a visit.",
        None => "This browser does not say whether it keeps storage for good.",
    }
}

/// Reads and checks a picked file, and works out what restoring it would do.
async fn read_backup(state: AppState, name: &str, file: web_sys::File) -> Result<Pending, String> {
    let text = JsFuture::from(file.text())
        .await
        .map_err(|_| "the file could not be read".to_owned())?
        .as_string()
        .ok_or("the file is not text")?;
    let backup = backup::parse(&text)?;
    drop(text);
    let stored_datasets = if backup.datasets.is_empty() {
        HashSet::new()
    } else {
        stored_dataset_ids().await.map_err(|e| e.to_string())?
    };
    let plan = state.restore_plan(&backup).map_err(|e| e.to_string())?;
    Ok(Pending {
        backup,
        file: name.to_owned(),
        plan,
        stored_datasets,
    })
}

fn names(list: &[String]) -> String {
    list.join(", ")
}

fn plan_view(p: &Pending, choice: RwSignal<OnConflict>) -> impl IntoView {
    let plan = &p.plan;
    let title = format!(
        "Restore “{}”, backed up on {}",
        p.file,
        format_day(p.backup.exported_ms)
    );
    let new_maps = (!plan.new_maps.is_empty()).then(|| {
        format!(
            "{} new: {}",
            plural(plan.new_maps.len(), "map", "maps"),
            names(&plan.new_maps)
        )
    });
    let existing = (!plan.existing_maps.is_empty()).then(|| {
        format!(
            "{} already in this browser: {}",
            plural(plan.existing_maps.len(), "map", "maps"),
            names(&plan.existing_maps)
        )
    });
    let personas = (plan.personas > 0).then(|| {
        format!(
            "{} ({} already here)",
            plural(plan.personas, "workspace persona", "workspace personas"),
            plan.existing_personas
        )
    });
    let other =
        (plan.other > 0).then(|| plural(plan.other, "other saved setting", "other saved settings"));
    let datasets =
        (plan.datasets > 0).then(|| plural(plan.datasets, "imported dataset", "imported datasets"));
    let conflicts = !plan.existing_maps.is_empty() || plan.existing_personas > 0;
    let option = move |value: OnConflict, label: &'static str| {
        view! {
            <label class="check">
                <input
                    type="radio"
                    name="restore-conflict"
                    data-choice=format!("{value:?}")
                    prop:checked=move || choice.get() == value
                    on:change=move |_| choice.set(value)
                />
                {label}
            </label>
        }
    };
    view! {
        <h3>{title}</h3>
        <ul class="plan-list">
            {[new_maps, existing, personas, other, datasets]
                .into_iter()
                .flatten()
                .map(|line| view! { <li>{line}</li> })
                .collect_view()}
        </ul>
        {conflicts
            .then(|| {
                view! {
                    <fieldset class="conflict-choice" data-testid="restore-conflicts">
                        <legend>"What is already in this browser"</legend>
                        {option(OnConflict::KeepBoth, "Keep both: the backup's maps are added as copies")}
                        {option(OnConflict::Replace, "Replace with the backup's version")}
                        {option(OnConflict::Skip, "Skip: keep this browser's version")}
                    </fieldset>
                }
            })}
    }
}

/// Writes the backup, then its datasets, and says what happened.
async fn apply(state: AppState, p: &Pending, on_conflict: OnConflict) -> Result<String, String> {
    let done = state
        .restore_backup(&p.backup, on_conflict, &p.stored_datasets)
        .map_err(|e| format!("Could not restore: {e}"))?;
    let mut failed = done.failures.len();
    let mut datasets = 0;
    if !done.datasets.is_empty() {
        match DatasetStore::open().await {
            Ok(store) => {
                for w in &done.datasets {
                    match store
                        .save_packed(&w.meta, &p.backup.datasets[w.index])
                        .await
                    {
                        Ok(()) => datasets += 1,
                        Err(e) => {
                            failed += 1;
                            state.notify(
                                super::state::NoticeKind::Error,
                                format!("Dataset \"{}\" not restored: {e}", w.meta.name),
                            );
                        }
                    }
                }
            }
            Err(e) => return Err(format!("Restored the maps, but not the datasets: {e}")),
        }
    }
    let mut text = format!("Restored {}", plural(done.maps, "map", "maps"));
    if datasets > 0 {
        text.push_str(&format!(" and {}", plural(datasets, "dataset", "datasets")));
    }
    if done.skipped > 0 {
        text.push_str(&format!(
            "; skipped {}",
            plural(done.skipped, "map", "maps")
        ));
    }
    text.push('.');
    if failed > 0 {
        text.push_str(&format!(
            " {} could not be written (see the messages); nothing already here was lost.",
            plural(failed, "value", "values")
        ));
    }
    Ok(text)
}
