//! Running an import in slices so the page stays responsive: each slice
//! hands the importer the file's next chunk when it asks, imports records
//! for at most [`SLICE_MS`](super::SLICE_MS), then yields to the browser
//! (which paints the progress bar and handles a click on Cancel).

use std::collections::VecDeque;
use std::rc::Rc;

use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::JsValue;

use super::setup::{self, Choices};
use super::worker::{Helper, Outcome};
use super::{
    datasets, file_size, yield_to_browser, ChunkRead, Chunks, Held, Phase, Slicer, Wizard,
    READS_IN_FLIGHT, READ_BYTES,
};
use crate::import::split::{TailPlan, MIN_SPLIT_BYTES, WINDOW_BYTES};
use crate::import::stream::Stop;
use crate::import::{Encoding, Importer, Progress};
use crate::storage::datasets::FileHasher;
use crate::ui::state::{AppState, NoticeKind};

/// Records per step between clock checks: a few milliseconds of work.
const STEP_RECORDS: usize = 500;

/// The part of a split file the page imports itself; the worker takes the
/// rest. The page also shows progress and joins the worker's rows, so it
/// takes a little less than half: 0.44 imported the benchmark about 2 %
/// faster than 0.5.
const PAGE_SHARE: f64 = 0.45;

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
/// file without a read of its own. A large UTF-8 file is split: a
/// [`Helper`] worker imports its second part meanwhile, and its rows are
/// joined once the page has read up to the split.
async fn import(wizard: Wizard, run: u64) -> Result<(), String> {
    let current = move || wizard.run.try_get_value() == Some(run);
    let file = wizard.file.try_get_value().flatten();
    let mut hasher = wizard.hasher.try_update_value(Option::take).flatten();
    let mut slicer = Slicer::new();
    let mut split = start_helper(wizard);
    // Reads ahead, oldest first: parsing a slice takes about as long as a
    // read's round trip, so one read ahead left the import waiting.
    let mut reads = wizard
        .ahead
        .try_update_value(std::mem::take)
        .unwrap_or_default();
    let mut held: Option<Held> = None;
    loop {
        if !current() {
            return Ok(());
        }
        let wants = wizard
            .importer
            .try_with_value(|i| i.as_ref().and_then(|i| i.wants_input()))
            .flatten();
        if let (Some(offset), Some(file)) = (wants, file.as_ref()) {
            if held
                .as_ref()
                .is_some_and(|h| h.offset() != offset || h.is_used_up())
            {
                held = None;
            }
            if held.is_none() {
                if reads.front().is_some_and(|r| r.offset != offset) {
                    reads.clear();
                }
                let total = file.size() as usize;
                // Not past the split, where the worker reads.
                let end = split.as_ref().map_or(total, |(_, at)| *at).min(total);
                queue_reads(&mut reads, file, offset, end).map_err(describe)?;
                let Some(read) = reads.pop_front() else {
                    return Ok(());
                };
                held = Some(read.held().await.map_err(describe)?);
                if !current() {
                    return Ok(());
                }
            }
            let Some((at, chunk)) = held.as_mut().map(Held::next) else {
                return Ok(());
            };
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
        let Some(mut progress) = slice(wizard, &slicer) else {
            return Ok(());
        };
        let misread = wizard
            .importer
            .try_with_value(|i| i.as_ref().is_some_and(Importer::misread))
            .unwrap_or(false);
        if let (true, Some(file)) = (misread, file.as_ref()) {
            reads.clear();
            held = None;
            if let Some((helper, _)) = split.take() {
                helper.stop();
            }
            if !reread(wizard, file, Encoding::Windows1252, &mut hasher, &current).await? {
                return Ok(());
            }
            continue;
        }
        let stop = wizard
            .importer
            .try_with_value(|i| i.as_ref().map_or(Stop::None, Importer::split))
            .unwrap_or(Stop::None);
        if let Some((helper, at)) = split.as_ref() {
            match stop {
                Stop::Overran => {
                    // The split fell inside a quoted field: the page
                    // reads on alone.
                    helper.stop();
                    split = None;
                }
                Stop::Reached => {
                    let joined = join(wizard, helper, *at, &mut slicer, &current).await?;
                    let helper = split.take().map(|(h, _)| h);
                    match joined {
                        Joined::All => {}
                        Joined::Cancelled => return Ok(()),
                        Joined::Misread | Joined::Failed { rows: true } => {
                            // Rows are joined, or the encoding is wrong:
                            // only a new reading from the start is sure.
                            let encoding = if joined == Joined::Misread {
                                Encoding::Windows1252
                            } else {
                                wizard
                                    .importer
                                    .try_with_value(|i| {
                                        i.as_ref().and_then(|i| {
                                            Encoding::from_label(&i.source().encoding)
                                        })
                                    })
                                    .flatten()
                                    .unwrap_or(Encoding::Utf8)
                            };
                            reads.clear();
                            held = None;
                            let Some(file) = file.as_ref() else {
                                return Ok(());
                            };
                            if !reread(wizard, file, encoding, &mut hasher, &current).await? {
                                return Ok(());
                            }
                            continue;
                        }
                        Joined::Failed { rows: false } => {
                            read_on(wizard);
                            continue;
                        }
                    }
                    drop(helper);
                    progress = slice(wizard, &slicer).unwrap_or(progress);
                }
                _ => {
                    progress.bytes_done = progress.bytes_done.min(*at) + helper.read();
                }
            }
        }
        wizard.progress.set(progress);
        if progress.done {
            // Building the report reads every row: a task of its own, not
            // the end of a full slice.
            yield_to_browser().await;
            if current() {
                finish(wizard, file, hasher);
            }
            return Ok(());
        }
        slicer.pause_if_used_up().await;
    }
}

/// Keeps [`READS_IN_FLIGHT`] reads queued in `reads`, on from its last one
/// or else from `offset`, up to `end`. Past `end` (a file that grew since
/// it was picked) one chunk is read, to find out.
fn queue_reads(
    reads: &mut VecDeque<ChunkRead>,
    file: &web_sys::File,
    offset: usize,
    end: usize,
) -> Result<(), JsValue> {
    let mut next = reads.back().map_or(offset, |r| r.end);
    while reads.len() < READS_IN_FLIGHT && next < end.max(offset + 1) {
        let read = if next < end {
            ChunkRead::range(file, next, READ_BYTES.min(end - next))
        } else {
            ChunkRead::start(file, next)
        };
        let read = read?;
        next = read.end;
        reads.push_back(read);
    }
    Ok(())
}

/// Starts the import's first reads before the review shows, up to the
/// split: Import otherwise began by waiting for a read of its own, and on
/// the benchmark's file the page sat idle for about 15 ms of it. Import
/// drops them if the importer wants other bytes by then (the file was
/// read again in another encoding).
pub(super) fn read_ahead(wizard: Wizard, file: &web_sys::File) {
    let mut reads = VecDeque::new();
    let offset = wizard
        .importer
        .try_with_value(|i| i.as_ref()?.next_offset())
        .flatten();
    if let Some(offset) = offset {
        let total = file.size() as usize;
        let end = wizard.split.try_get_value().flatten().unwrap_or(total);
        // Nothing to tell the user if it fails: Import reads again.
        let _ = queue_reads(&mut reads, file, offset, end.min(total));
    }
    let _ = wizard.ahead.try_set_value(reads);
}

/// For a file large enough to split: starts reading the bytes around
/// where it will be split, alongside the read of its start, so that
/// [`prepare_split`] finds the split as soon as the import is planned.
pub(super) fn read_split_window(file: &web_sys::File) -> Option<ChunkRead> {
    let size = file.size() as usize;
    if size < MIN_SPLIT_BYTES {
        return None;
    }
    ChunkRead::range(file, (size as f64 * PAGE_SHARE) as usize, WINDOW_BYTES).ok()
}

/// Before a large file's review shows: finds where to split it in
/// `window` ([`read_split_window`]) and sets the worker off on the part
/// after the split ([`set_off`]).
pub(super) async fn prepare_split(wizard: Wizard, file: &web_sys::File, window: Option<ChunkRead>) {
    // Whatever an earlier file left is not this file's.
    wizard.split.set_value(None);
    let Some(window) = window else {
        return;
    };
    let window_at = window.offset;
    let Ok(window) = window.bytes().await else {
        return;
    };
    let current = wizard
        .file
        .try_with_value(|f| f.as_ref() == Some(file))
        .unwrap_or(false);
    if !current {
        return;
    }
    let offset = wizard
        .importer
        .try_with_value(|i| i.as_ref()?.boundary_in(&window, window_at))
        .flatten();
    let _ = wizard.split.try_set_value(offset);
    set_off(wizard);
}

/// Has the worker import the part of the file after the split with the
/// roles and masking the review shows now, unless it already does. So
/// the worker imports while the user reviews, from before the review
/// draws and again after each correction, and Import finds its work done
/// or under way.
pub(super) fn set_off(wizard: Wizard) {
    let (Some(offset), Some(file)) = (
        wizard.split.try_get_value().flatten(),
        wizard.file.try_get_value().flatten(),
    ) else {
        return;
    };
    let plan = wizard
        .importer
        .try_with_value(|i| i.as_ref()?.tail_plan(offset))
        .flatten();
    let Some(plan) = plan else {
        // Read again in another encoding: not split after all.
        wizard.stop_helper();
        return;
    };
    if running(wizard, offset, &plan).is_some() {
        return;
    }
    wizard.ready_helper();
    if let Some(helper) = wizard.helper.try_get_value().flatten() {
        // Import tries again if this fails.
        let _ = helper.begin(&file, offset, &plan);
    }
}

/// The worker, if it imports from `offset` with `plan`.
fn running(wizard: Wizard, offset: usize, plan: &TailPlan) -> Option<Rc<Helper>> {
    wizard
        .helper
        .try_get_value()
        .flatten()
        .filter(|h| h.runs(offset, plan))
}

/// Sets the split for the import and returns the worker importing the
/// file's second part, with the offset it starts at. `None` when the file
/// is not split, or the worker does not start; the page then imports all
/// of it.
fn start_helper(wizard: Wizard) -> Option<(Rc<Helper>, usize)> {
    let offset = wizard.split.try_get_value().flatten()?;
    set_off(wizard);
    let helper = wizard
        .importer
        .try_update_value(|i| i.as_mut()?.split_at(offset))
        .flatten()
        .and_then(|plan| running(wizard, offset, &plan));
    wizard.split.set_value(None);
    if helper.is_none() {
        wizard.stop_helper();
        read_on(wizard);
    }
    Some((helper?, offset))
}

/// The page imports the rest of the file itself: no worker does.
fn read_on(wizard: Wizard) {
    wizard.importer.update_value(|i| {
        if let Some(i) = i {
            i.read_on();
        }
    });
}

/// How joining a worker's rows ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Joined {
    All,
    Cancelled,
    Misread,
    /// The worker failed; `rows`: some of its rows were joined already.
    Failed {
        rows: bool,
    },
}

/// Appends the worker's batches as they come, in slices, until it has sent
/// its last. `at`: where the worker started, for the progress bar.
async fn join(
    wizard: Wizard,
    helper: &Helper,
    at: usize,
    slicer: &mut Slicer,
    current: &dyn Fn() -> bool,
) -> Result<Joined, String> {
    let mut rows = false;
    loop {
        while let Some(batch) = helper.take_batch() {
            let progress = wizard
                .importer
                .try_update_value(|i| i.as_mut().map(|i| i.join(&batch).map(|()| i.progress())))
                .flatten()
                .transpose()
                .map_err(|e| e.to_string())?;
            rows = true;
            if let Some(mut progress) = progress {
                progress.done = false;
                progress.bytes_done = at + helper.read();
                wizard.progress.set(progress);
            }
            slicer.pause_if_used_up().await;
            if !current() {
                return Ok(Joined::Cancelled);
            }
        }
        match helper.outcome() {
            Some(Outcome::Ended) => return Ok(Joined::All),
            Some(Outcome::Misread) => return Ok(Joined::Misread),
            Some(Outcome::Failed) => return Ok(Joined::Failed { rows }),
            None => {
                helper.next().await;
                if !current() {
                    return Ok(Joined::Cancelled);
                }
                slicer.restart();
            }
        }
    }
}

/// Starts the import over in `encoding`, with the roles and masking the
/// user chose, and without a worker: the file's start read as UTF-8 but
/// later bytes are not (and Import was clicked before the review's
/// [`setup`] check found that), or a worker failed after some of its rows
/// were joined. Nothing is stored yet, so only the progress starts again.
/// False when the run moved on meanwhile.
async fn reread(
    wizard: Wizard,
    file: &web_sys::File,
    encoding: Encoding,
    hasher: &mut Option<FileHasher>,
    current: &dyn Fn() -> bool,
) -> Result<bool, String> {
    wizard.stop_helper();
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
        encoding,
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

fn describe(e: JsValue) -> String {
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

/// Shows the finished import and saves it with the file's hash. A split
/// import hashed only the chunks the page read; the rest is read for the
/// hash once the results show, before the save.
fn finish(wizard: Wizard, file: Option<web_sys::File>, hasher: Option<FileHasher>) {
    let Some(importer) = wizard.importer.try_update_value(Option::take).flatten() else {
        return;
    };
    wizard.dataset.set_value(Some(importer.finish()));
    wizard.data.update(|d| *d += 1);
    // Marked before the report shows, so no dataset row can be acted on
    // in the moment before the save starts.
    wizard.saving.set(true);
    wizard.phase.set(Phase::Done);
    // Saving copies the dataset out of wasm memory in tasks of its own,
    // started once the report, linking and metrics (a task each) are
    // shown, so the results do not wait for it.
    let run = wizard.run.get_value();
    spawn_local(async move {
        for _ in 0..3 {
            yield_to_browser().await;
        }
        let current = move || wizard.run.try_get_value() == Some(run);
        let hash = match (hasher, file) {
            (Some(mut hasher), Some(file)) => {
                hash_rest(&file, &mut hasher, &current).await;
                hasher.hex()
            }
            (hasher, _) => hasher.and_then(|h| h.hex()),
        };
        if !current() {
            return;
        }
        if hash.is_some() {
            wizard.picked.update(|p| {
                if let Some(p) = p {
                    p.hash = hash;
                }
            });
        }
        datasets::save(wizard);
    });
}

/// Feeds `hasher` the bytes of `file` it has not seen, a chunk per task.
async fn hash_rest(file: &web_sys::File, hasher: &mut FileHasher, current: &dyn Fn() -> bool) {
    let mut slicer = Slicer::new();
    let mut chunks = Chunks::from(file, hasher.hashed());
    while hasher.hex().is_none() && current() {
        let Ok(Some((at, chunk))) = chunks.next().await else {
            return;
        };
        hasher.feed(at, &chunk);
        slicer.pause_if_used_up().await;
    }
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
