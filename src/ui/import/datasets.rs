//! The map's stored datasets: list, open, rename, delete with undo, and
//! saving a finished import (replacing an earlier import of the same file).

use std::rc::Rc;

use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::JsValue;

use super::{file_size, Phase, Picked, Slicer, Wizard};
use crate::storage::browser::{now_ms, random_id};
use crate::storage::datasets::{same_file, sort_for_listing, DatasetMeta};
use crate::storage::datasets_idb::{DatasetStore, Packer};
use crate::ui::local_time::local_time;
use crate::ui::state::{AppState, NoticeKind};
use crate::ui::RenameForm;

fn notify_error(text: String) {
    expect_context::<AppState>().notify(NoticeKind::Error, text);
}

/// Opens the database for the page; without it imports still work, only
/// nothing is kept, and the user is told so.
pub(super) fn open(wizard: Wizard) {
    let state = expect_context::<AppState>();
    spawn_local(async move {
        match DatasetStore::open().await {
            Ok(db) => {
                wizard.db.set_value(Some(Rc::new(db)));
                refresh(wizard).await;
            }
            Err(e) => state.notify(
                NoticeKind::Error,
                format!("Imported datasets cannot be kept in this browser: {e}. Imports still work until you leave the page."),
            ),
        }
    });
}

fn db(wizard: Wizard) -> Option<Rc<DatasetStore>> {
    wizard.db.try_get_value().flatten()
}

async fn refresh(wizard: Wizard) {
    let Some(db) = db(wizard) else {
        return;
    };
    match db.list().await {
        Ok((mut metas, unreadable)) => {
            // The page may have been left while the list was read.
            let Some(map) = wizard.map.try_get_value() else {
                return;
            };
            metas.retain(|m| m.map == map);
            sort_for_listing(&mut metas);
            if wizard.catalogue.try_set(metas).is_some() {
                return;
            }
            if !unreadable.is_empty() {
                notify_error(format!(
                    "{} stored dataset entries cannot be read and are not listed: {}",
                    unreadable.len(),
                    unreadable.join(", ")
                ));
            }
        }
        Err(e) => notify_error(format!("Could not list the imported datasets: {e}")),
    }
}

/// Saves a finished import. The page shows it either way; a failed save
/// changes nothing stored and says so. The dataset is copied out of wasm
/// memory a piece at a time, in tasks of about `SLICE_MS`.
pub(super) fn save(wizard: Wizard) {
    let _ = wizard.saving.try_set(true);
    spawn_local(async move {
        write(wizard).await;
        // The page may have been left meanwhile.
        let _ = wizard.saving.try_set(false);
    });
}

async fn write(wizard: Wizard) {
    let Some(raw) = pack(wizard).await else {
        return;
    };
    // The page may have been left, or another file picked, meanwhile.
    let (Some(db), Some(picked)) = (db(wizard), wizard.picked.try_get_untracked().flatten()) else {
        return;
    };
    let Some((source, problems)) = wizard
        .dataset
        .try_with_value(|d| d.as_ref().map(|d| (d.source.clone(), d.errors.len())))
        .flatten()
    else {
        return;
    };
    let Some(map) = wizard.map.try_get_value() else {
        return;
    };
    let replaces: Vec<String> = wizard.catalogue.with_untracked(|c| {
        picked
            .hash
            .as_deref()
            .and_then(|hash| same_file(c, &map, hash))
            .map(|m| m.id.clone())
            .into_iter()
            .collect()
    });
    let meta = DatasetMeta {
        id: random_id("d-"),
        map,
        name: picked.name.clone(),
        file_name: picked.name.clone(),
        // The import hashed every byte it read; empty only if a file shrank
        // while being read, and then it matches no other import.
        hash: picked.hash.clone().unwrap_or_default(),
        file_bytes: picked.bytes,
        created_ms: now_ms(),
        source,
        problems,
    };
    match db.save(&meta, raw, &replaces).await {
        Ok(()) => {
            wizard.shown.set(Some(meta.id.clone()));
            refresh(wizard).await;
        }
        Err(e) => notify_error(format!("The import is shown but was not saved: {e}")),
    }
}

/// The dataset on the page, encoded for storage; `None` when there is none
/// any more. Starts over if the dataset changes between two pieces (the
/// user settles a date order).
async fn pack(wizard: Wizard) -> Option<JsValue> {
    let mut slicer = Slicer::new();
    'again: loop {
        let version = wizard.data.try_get_untracked()?;
        let mut packer = wizard
            .dataset
            .try_with_value(|d| d.as_ref().map(Packer::new))
            .flatten()?;
        loop {
            if wizard.data.try_get_untracked()? != version {
                continue 'again;
            }
            let more = wizard
                .dataset
                .try_with_value(|d| d.as_ref().map(|d| packer.step(d)))
                .flatten()?;
            if !more {
                return Some(packer.finish());
            }
            slicer.pause_if_used_up().await;
        }
    }
}

fn show(wizard: Wizard, meta: DatasetMeta) {
    let Some(db) = db(wizard) else {
        return;
    };
    wizard.run.update_value(|r| *r += 1);
    let run = wizard.run.get_value();
    spawn_local(async move {
        match db.load(&meta.id).await {
            Ok(Some(data)) if wizard.run.try_get_value() == Some(run) => {
                wizard.importer.set_value(None);
                wizard.dataset.set_value(Some(data));
                wizard.picked.set(Some(Picked {
                    name: meta.name.clone(),
                    bytes: meta.file_bytes,
                    hash: Some(meta.hash.clone()),
                }));
                wizard.shown.set(Some(meta.id.clone()));
                wizard.data.update(|d| *d += 1);
                wizard.phase.set(Phase::Done);
            }
            Ok(Some(_)) => {}
            Ok(None) => notify_error(format!("The data of “{}” is missing.", meta.name)),
            Err(e) => notify_error(format!("Could not open “{}”: {e}", meta.name)),
        }
    });
}

fn delete(wizard: Wizard, meta: DatasetMeta) {
    let Some(db) = db(wizard) else {
        return;
    };
    spawn_local(async move {
        match db.delete(&meta).await {
            Ok(removed) => {
                wizard.undo.set(Some(meta.name.clone()));
                wizard.removed.set_value(Some(removed));
                if wizard.shown.get_untracked().as_deref() == Some(meta.id.as_str()) {
                    wizard.reset();
                }
                refresh(wizard).await;
            }
            Err(e) => notify_error(format!("Could not delete “{}”: {e}", meta.name)),
        }
    });
}

fn undo(wizard: Wizard) {
    let (Some(db), Some(removed)) = (
        db(wizard),
        wizard.removed.try_update_value(Option::take).flatten(),
    ) else {
        return;
    };
    wizard.undo.set(None);
    spawn_local(async move {
        if let Err(e) = db.restore(&removed).await {
            notify_error(format!("Could not restore “{}”: {e}", removed.meta.name));
        }
        refresh(wizard).await;
    });
}

fn rename(wizard: Wizard, meta: DatasetMeta, name: String) {
    let name = name.trim().to_owned();
    let Some(db) = db(wizard).filter(|_| !name.is_empty() && name != meta.name) else {
        return;
    };
    spawn_local(async move {
        if let Err(e) = db.rename(&meta, &name).await {
            notify_error(format!("Could not rename “{}”: {e}", meta.name));
        }
        refresh(wizard).await;
    });
}

/// Said in the review step when the picked file was imported before.
pub(super) fn earlier_import(wizard: Wizard) -> Option<DatasetMeta> {
    let hash = wizard
        .picked
        .with(|p| p.as_ref().and_then(|p| p.hash.clone()))?;
    let map = wizard.map.get_value();
    wizard
        .catalogue
        .with(|c| same_file(c, &map, &hash).cloned())
}

#[component]
pub(super) fn Datasets(wizard: Wizard) -> impl IntoView {
    let undo_bar = move || {
        wizard.undo.get().map(|name| {
            view! {
                <div class="banner" role="status" data-testid="dataset-undo">
                    {format!("Deleted “{name}”. ")}
                    <button on:click=move |_| undo(wizard)>"Undo"</button>
                </div>
            }
        })
    };
    view! {
        {undo_bar}
        <Show when=move || !wizard.catalogue.with(Vec::is_empty)>
            <div class="card import-step" data-testid="datasets">
                <h2>"Imported datasets"</h2>
                <p class="muted" aria-live="polite">
                    {move || wizard.saving.get().then_some("Saving the new import…")}
                </p>
                <ul class="dataset-list">
                    <For
                        each=move || wizard.catalogue.get()
                        key=|m| (m.id.clone(), m.name.clone())
                        let(meta)
                    >
                        <DatasetRow wizard=wizard meta=meta />
                    </For>
                </ul>
            </div>
        </Show>
    }
}

#[component]
fn DatasetRow(wizard: Wizard, meta: DatasetMeta) -> impl IntoView {
    let renaming = RwSignal::new(false);
    let draft = RwSignal::new(meta.name.clone());
    let facts = format!(
        "{} · {} rows · {} problems · {} · imported {}",
        meta.file_name,
        meta.source.rows,
        meta.problems,
        file_size(meta.file_bytes),
        local_time(meta.created_ms)
    );
    let (m_show, m_rename, m_delete) = (meta.clone(), meta.clone(), meta.clone());
    let commit = Callback::new(move |name| rename(wizard, m_rename.clone(), name));
    let name = meta.name.clone();
    let busy = move || wizard.saving.get();
    view! {
        <li data-dataset=meta.name.clone()>
            <div>
                <Show
                    when=move || renaming.get()
                    fallback=move || view! { <strong class="dataset-name">{name.clone()}</strong> }
                >
                    <RenameForm
                        label="Dataset name"
                        testid="dataset-name"
                        draft
                        renaming
                        commit
                    />
                </Show>
                <span class="muted meta">{facts}</span>
            </div>
            <div class="row-actions">
                // While a new import is written, a row may be about to be
                // replaced (the same file imported again): acting on it
                // would act on a dataset that is going away.
                <button disabled=busy on:click=move |_| show(wizard, m_show.clone())>"Open"</button>
                <button disabled=busy on:click=move |_| renaming.set(true)>"Rename"</button>
                <button class="danger" disabled=busy on:click=move |_| delete(wizard, m_delete.clone())>
                    "Delete"
                </button>
            </div>
        </li>
    }
}
