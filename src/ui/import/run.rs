//! Running an import in slices so the page stays responsive: each slice
//! imports records for at most [`SLICE_MS`], then yields to the browser
//! (which paints the progress bar and handles a click on Cancel).

use std::time::Duration;

use leptos::prelude::*;

use super::{datasets, file_size, Phase, Wizard};
use crate::ui::state::{AppState, NoticeKind};

/// A slice's time budget: with one step's overrun it stays well below the
/// 100 ms at which a page feels frozen, yet long enough that the browser's
/// 4 ms clamp on chained timeouts costs under a tenth of the import.
const SLICE_MS: f64 = 40.0;
/// Records per step between clock checks: a few milliseconds of work.
const STEP_RECORDS: usize = 500;

pub(super) fn start(wizard: Wizard) {
    wizard.run.update_value(|r| *r += 1);
    let run = wizard.run.get_value();
    wizard.phase.set(Phase::Running);
    schedule(wizard, run);
}

fn schedule(wizard: Wizard, run: u64) {
    set_timeout(move || slice(wizard, run), Duration::ZERO);
}

fn slice(wizard: Wizard, run: u64) {
    // A cancelled run, or a page that was left, has moved the run on.
    if wizard.run.try_get_value() != Some(run) {
        return;
    }
    let started = js_sys::Date::now();
    let progress = wizard
        .importer
        .try_update_value(|importer| {
            let importer = importer.as_mut()?;
            loop {
                let p = importer.step(STEP_RECORDS);
                if p.done || js_sys::Date::now() - started >= SLICE_MS {
                    return Some(p);
                }
            }
        })
        .flatten();
    let Some(progress) = progress else {
        return;
    };
    wizard.progress.set(progress);
    if progress.done {
        finish(wizard);
    } else {
        schedule(wizard, run);
    }
}

fn finish(wizard: Wizard) {
    let Some(importer) = wizard.importer.try_update_value(Option::take).flatten() else {
        return;
    };
    wizard.dataset.set_value(Some(importer.finish()));
    wizard.data.update(|d| *d += 1);
    wizard.phase.set(Phase::Done);
    // Saving copies the dataset out of wasm memory; a task of its own keeps
    // it apart from building the report.
    set_timeout(move || datasets::save(wizard), Duration::ZERO);
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
