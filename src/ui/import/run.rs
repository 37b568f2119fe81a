//! Running an import in slices so the page stays responsive: each slice
//! hands the importer the file's next chunk when it asks, imports records
//! for at most [`SLICE_MS`](super::SLICE_MS), then yields to the browser
//! (which paints the progress bar and handles a click on Cancel).

use std::collections::VecDeque;

use leptos::prelude::*;
use leptos::task::spawn_local;

use super::setup::{self, Choices};
use super::{datasets, file_size, yield_to_browser, ChunkRead, Phase, Slicer, Wizard};
use crate::import::{Encoding, Importer, Progress, CHUNK_BYTES};
use crate::storage::datasets::FileHasher;
use crate::ui::state::{AppState, NoticeKind};

/// Slices of the file being read at once.
const READS_IN_FLIGHT: usize = 4;

/// Records per step between clock checks: a few milliseconds of work.
const STEP_RECORDS: usize = 500;

pub(super) fn start(wizard: Wizard) {
    wizard.run.update_value(|r| *r += 1);
    let run = wizard.run.get_value();
    wizard.phase.set(Phase::Running);
    spawn_local(async move {
        if let Err(e) = import(wizard, run).await {
            if wizard.run.try_get_value() == Some(run) {
                let name = wizard
                    .picked
                    .get_untracked()
                    .map(|p| p.name)
                    .unwrap_or_default();
                wizard.reset();
                expect_context::<AppState>().notify(
                    NoticeKind::Error,
                    format!("{name} could not be read to the end ({e}). Nothing was saved."),
                );
            }
        }
    });
}

/// Imports until done or until the run is cancelled (a new run, or the page
/// left, moves `wizard.run` on). Every chunk read is hashed too, on top of
/// the chunks the review read, so the dataset is saved with the hash of the
/// file without a read of its own.
async fn import(wizard: Wizard, run: u64) -> Result<(), String> {
    let current = move || wizard.run.try_get_value() == Some(run);
    let file = wizard.file.try_get_value().flatten();
    let mut hasher = wizard.hasher.try_update_value(Option::take).flatten();
    let mut slicer = Slicer::new();
    // Reads ahead, oldest first: parsing a slice takes about as long as a
    // read's round trip, so one read ahead left the import waiting.
    let mut reads: VecDeque<ChunkRead> = VecDeque::new();
    loop {
        if !current() {
            return Ok(());
        }
        let wants = wizard
            .importer
            .try_with_value(|i| i.as_ref().and_then(|i| i.wants_input()))
            .flatten();
        if let (Some(offset), Some(file)) = (wants, file.as_ref()) {
            if reads.front().is_some_and(|r| r.offset != offset) {
                reads.clear();
            }
            let total = file.size() as usize;
            let mut next = reads.back().map_or(offset, |r| r.offset + CHUNK_BYTES);
            while reads.len() < READS_IN_FLIGHT && next < total.max(offset + 1) {
                reads.push_back(ChunkRead::start(file, next).map_err(describe)?);
                next += CHUNK_BYTES;
            }
            let Some(read) = reads.pop_front() else {
                return Ok(());
            };
            let at = read.offset;
            let chunk = read.bytes().await.map_err(describe)?;
            if !current() {
                return Ok(());
            }
            if let Some(hasher) = hasher.as_mut() {
                hasher.feed(at, &chunk);
            }
            wizard
                .importer
                .try_update_value(|i| i.as_mut().map(|i| i.push(&chunk)))
                .flatten()
                .transpose()
                .map_err(|e| e.to_string())?;
        }
        let Some(progress) = slice(wizard, &slicer) else {
            return Ok(());
        };
        let misread = wizard
            .importer
            .try_with_value(|i| i.as_ref().is_some_and(Importer::misread))
            .unwrap_or(false);
        if let (true, Some(file)) = (misread, file.as_ref()) {
            reads.clear();
            if !reread(wizard, file, &mut hasher, &current).await? {
                return Ok(());
            }
            continue;
        }
        wizard.progress.set(progress);
        if progress.done {
            // Building the report reads every row: a task of its own, not
            // the end of a full slice.
            yield_to_browser().await;
            if current() {
                finish(wizard, hasher.and_then(|h| h.hex()));
            }
            return Ok(());
        }
        slicer.pause_if_used_up().await;
    }
}

/// Starts the import over as Windows-1252, with the roles and masking the
/// user chose: the file's start read as UTF-8 but later bytes are not, and
/// Import was clicked before the review's [`setup`] check found that.
/// Nothing is stored yet, so only the progress starts again. False when the
/// run moved on meanwhile.
async fn reread(
    wizard: Wizard,
    file: &web_sys::File,
    hasher: &mut Option<FileHasher>,
    current: &dyn Fn() -> bool,
) -> Result<bool, String> {
    let mask = wizard.mask.get_untracked();
    let Some(choices) = wizard
        .importer
        .try_with_value(|i| i.as_ref().map(|i| Choices::of(i, mask)))
        .flatten()
    else {
        return Ok(false);
    };
    // What the misread import stored goes now, not after the new plan.
    wizard.importer.set_value(None);
    wizard.progress.set(Progress {
        bytes_done: 0,
        bytes_total: file.size() as usize,
        records: 0,
        done: false,
    });
    let planned = setup::plan(
        file,
        Encoding::Windows1252,
        choices.options(),
        None,
        &mut |offset, chunk| {
            if let Some(hasher) = hasher.as_mut() {
                hasher.feed(offset, chunk);
            }
        },
        current,
    )
    .await
    .map_err(|e| e.reason())?;
    let Some(mut importer) = planned else {
        return Ok(false);
    };
    choices.apply(&mut importer);
    wizard.importer.set_value(Some(importer));
    Ok(true)
}

fn describe(e: wasm_bindgen::JsValue) -> String {
    js_sys::Reflect::get(&e, &"message".into())
        .ok()
        .and_then(|m| m.as_string())
        .unwrap_or_else(|| format!("{e:?}"))
}

/// Steps until the slice is used up, the import is done, or it needs the
/// next chunk; `None` when there is no import any more.
fn slice(wizard: Wizard, slicer: &Slicer) -> Option<Progress> {
    wizard
        .importer
        .try_update_value(|importer| {
            let importer = importer.as_mut()?;
            loop {
                let p = importer.step(STEP_RECORDS);
                if p.done || importer.wants_input().is_some() || slicer.used_up() {
                    return Some(p);
                }
            }
        })
        .flatten()
}

/// Shows the finished import and saves it, under `hash` when the import
/// hashed every byte (a workbook's hash is known from the start).
fn finish(wizard: Wizard, hash: Option<String>) {
    let Some(importer) = wizard.importer.try_update_value(Option::take).flatten() else {
        return;
    };
    if hash.is_some() {
        wizard.picked.update(|p| {
            if let Some(p) = p {
                p.hash = hash;
            }
        });
    }
    wizard.dataset.set_value(Some(importer.finish()));
    wizard.data.update(|d| *d += 1);
    // Marked before the report shows, so no dataset row can be acted on
    // in the moment before the save starts.
    wizard.saving.set(true);
    wizard.phase.set(Phase::Done);
    // Saving copies the dataset out of wasm memory in tasks of its own,
    // started once the report, linking and metrics (a task each) are
    // shown, so the results do not wait for it.
    spawn_local(async move {
        for _ in 0..3 {
            yield_to_browser().await;
        }
        datasets::save(wizard);
    });
}

fn cancel(wizard: Wizard) {
    wizard.reset();
    expect_context::<AppState>().notify(NoticeKind::Info, "Import cancelled. Nothing was saved.");
}

#[component]
pub(super) fn Running(wizard: Wizard) -> impl IntoView {
    let progress = wizard.progress;
    let percent = move || {
        progress.with(|p| {
            if p.bytes_total == 0 {
                0.0
            } else {
                p.bytes_done as f64 / p.bytes_total as f64 * 100.0
            }
        })
    };
    view! {
        <div class="card import-step running" data-testid="import-running">
            <h2>"Importing…"</h2>
            <progress
                max="100"
                prop:value=percent
                aria-label="Import progress"
                data-testid="progress"
            ></progress>
            <p class="muted" aria-live="polite">
                {move || {
                    progress.with(|p| {
                        format!(
                            "{} rows · {} of {} ({:.0} %)",
                            p.records,
                            file_size(p.bytes_done),
                            file_size(p.bytes_total),
                            percent(),
                        )
                    })
                }}
            </p>
            <button data-testid="cancel-import" on:click=move |_| cancel(wizard)>
                "Cancel"
            </button>
        </div>
    }
}
