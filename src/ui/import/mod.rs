//! The map's import page: bring in a survey export, check how it was read,
//! and see its metrics on the map's touchpoints.
//!
//! Nothing is stored until an import has completed: the file is read into an
//! [`Importer`] held by the page, and only its finished [`Dataset`] is saved,
//! so a cancelled or failed import leaves every saved thing as it was.
//!
//! # How a large import meets its targets
//!
//! The README's performance table gives the figures; this is how they are reached.
//!
//! The file is never in wasm memory whole. The review shows after its first 2 MiB slice is read
//! (the encoding is guessed from it, and the file is imported again as Windows-1252 in the rare
//! case that later bytes are not UTF-8); while you review the roles, the rest is read once in
//! the background to hash it (to recognise a re-import) and check its encoding, starting half a
//! second after the review shows (a read in flight cannot be called back, and an Import clicked
//! at once reads and hashes the file itself). A UTF-8 file of 8 MiB or more is imported on two
//! cores: the page reads the first 45 % in 8 MiB slices (each read costs the browser
//! milliseconds however small) and hands them to the parser 2 MiB at a time, push-style, while
//! a Web Worker imports the rest with the same plan and sends its rows back in batches, which
//! the page appends once it reaches the split (`src/core/import/split.rs`). The bytes around
//! the split are read alongside the file's first slice, so the split is found before the review
//! draws, and the worker is set off on its part then, with the roles guessed so far; each
//! correction of a role or of masking sets a new worker off on the new plan, and Import keeps
//! the worker whose plan is the one chosen. So someone who reviews a 60 MB file for a second or
//! two finds its second part imported when they click Import; the benchmark, which clicks at
//! once, gains the 40–60 ms from the pick to the click. The worker is a classic script from a
//! Blob URL, handed the page's compiled wasm module, so it needs no file of its own and runs
//! from `file://` too. Every read of the import page is done by one more worker that only
//! reads, a plain script from a Blob URL that posts each slice back as a transferred buffer:
//! Chromium takes a read's bytes in from the browser process in tasks on the thread that asked
//! for them, which cost the page's thread, the import's critical path, about 40 ms of a 62 MB
//! import; traced with this worker, the page's thread does no such work. Once the app has
//! drawn, a worker of its own rehearses a 30 000-row import on the page's streaming path
//! (chunks, planning, split, join, metrics, touchpoint links) and is ended. Chromium optimises
//! a wasm function only once it has run a while, and the worker shares the page's compiled
//! module: traced, a first import in a tab otherwise spent about 130 ms of processor time
//! optimising the import's code, on the same two cores (40 ms with the rehearsal). A 4000-row
//! rehearsal on the page's thread was too small, and one started when the import page opened
//! was still running when the benchmark picked its file. The dataset is saved to IndexedDB as a
//! Blob copied out in pieces, after the results are shown. The three targets are met (issue 4),
//! the throughput target at the median: single runs still range from 1.93× to 2.28×. On this
//! 2-core machine the import is bound by the processor: in a trace of one 676 ms import, the
//! page's main thread was busy for 642 ms and the worker nearly as long, while Chromium's own
//! threads needed the same two cores: 187 ms in the page's process (optimising wasm 98 ms,
//! collecting garbage 43 ms, drawing 28 ms) and 186 ms in the browser's to read the file. The
//! metrics at the end count each score column's whole-number answers per group rather than
//! adding every answer to five tallies (the file's metrics 12–17 ms instead of 23–34 ms in the
//! browser), and count all three score columns in one pass over rows whose three answers are
//! packed into one number (natively 8.6–9.4 ms instead of 12.5–13.1 ms on the benchmark file,
//! `import_bench`'s `metrics` figure). The wasm is built with SIMD (`.cargo/config.toml`), so
//! encoding_rs checks UTF-8 with simdutf8's SIMD code: the page's share of decoding the
//! benchmark file took 10–17 ms instead of 21–23 ms, timed inside the page. A hand-written
//! 16-byte SIMD search for each field's end was no faster than the 8-byte one (measured outside
//! the browser, on the core built for wasm and run in Node); what paid was marking the
//! delimiters and line breaks of 64 bytes at once with SIMD and reading each unquoted field's
//! end off those marks (the wasm import 149–150 ms instead of 164 in Node; natively about 350
//! to 410–430 MB/s). In the same Node measurements, a cache of each category column's recent
//! values (one comparison for most cells instead of a scan that the processor mispredicted)
//! took the import from 177 to 164 ms, building a category value's sketch from whole-word loads
//! instead of a copy into a padded buffer from 190 to 177 ms, and reading whether a score is a
//! whole number from its bits took the metrics from 16.7 to 8.4 ms. The page makes room in wasm
//! memory for the file while it waits for the first read (growing wasm memory has V8 collect
//! garbage at once, 18 ms of collection inside the import before), and starts the import's
//! first reads as the review shows. The core (`src/core`) is built at opt-level 3 and the rest
//! of the app at `z`: the core adds 46 KB gzipped at 3, where the whole app at 3 makes the wasm
//! 1.30 MB gzipped. Natively the core at 3 imports about 35 % faster; in the browser its gain
//! is lost in this machine's noise (above), because the import waits as much on Chromium's own
//! threads as on its code. At `s`, the whole app was 12 % faster in one set of runs, within the
//! noise in another, and 985 KB.

mod datasets;
mod reader;
mod results;
mod run;
mod setup;
pub mod worker;

use std::collections::VecDeque;
use std::rc::Rc;

use leptos::prelude::*;
use wasm_bindgen::JsValue;
use wasm_bindgen_futures::JsFuture;

use super::state::{AppState, NoticeKind};
use crate::import::matching::Aliases;
use crate::import::{Dataset, Importer, Progress, CHUNK_BYTES};
use crate::insights::journey::ChannelLinks;
use crate::model::Id;
use crate::route::Route;
use crate::storage::browser::Backend;
use crate::storage::datasets::{
    load_aliases, load_channel_links, save_aliases, save_channel_links, set_link, DatasetMeta,
    FileHasher,
};
use crate::storage::datasets_idb::{DatasetStore, Removed};

/// Where the wizard is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Phase {
    Pick,
    Review,
    Running,
    Done,
}

/// The picked file as the user knows it.
#[derive(Clone, Debug, PartialEq)]
struct Picked {
    name: String,
    bytes: usize,
    /// [`crate::storage::datasets::hash_hex`] of the file; `None` until a
    /// read of all of it (the check while reviewing, or the import) ended.
    hash: Option<String>,
}

/// The wizard's state, shared by its steps. Copy, like the signals in it.
#[derive(Clone, Copy)]
struct Wizard {
    map: StoredValue<Id>,
    phase: RwSignal<Phase>,
    picked: RwSignal<Option<Picked>>,
    /// The file itself, so a different worksheet can be read again without
    /// keeping a second copy of the bytes in wasm memory.
    file: StoredValue<Option<web_sys::File>, LocalStorage>,
    importer: StoredValue<Option<Importer>, LocalStorage>,
    /// The file's hash from the chunks read so far: the review's read of
    /// the start, then the import's of the rest.
    hasher: StoredValue<Option<FileHasher>, LocalStorage>,
    /// The worker importing the second part of a large file: started idle
    /// with the page, and after an import kept until the next file or the
    /// page is left (the import benchmark reads its memory after the
    /// import).
    helper: StoredValue<Option<Rc<worker::Helper>>, LocalStorage>,
    /// Where a large file is split between the page and the worker: the
    /// byte the worker starts at. `None` when the file is not split (too
    /// small, not UTF-8, no record boundary found).
    split: StoredValue<Option<usize>>,
    /// The import's first reads, started as the review shows so that
    /// Import finds their bytes there ([`run::read_ahead`]).
    ahead: StoredValue<VecDeque<ChunkRead>, LocalStorage>,
    /// Mask contacts in comments; kept apart from the importer so reading
    /// another worksheet keeps the choice.
    mask: RwSignal<bool>,
    /// Bumped whenever the importer's plan (roles, masking) changes, since
    /// the importer itself is not reactive.
    plan: RwSignal<u32>,
    progress: RwSignal<Progress>,
    /// Identifies the running import; cancelling moves it on so pending
    /// slices of the old run stop.
    run: StoredValue<u64>,
    dataset: StoredValue<Option<Dataset>, LocalStorage>,
    /// Bumped when the dataset changes (finished, date order answered).
    data: RwSignal<u32>,
    error: RwSignal<Option<String>>,
    aliases: RwSignal<Aliases>,
    /// The map's links from channel values to lanes.
    links: RwSignal<ChannelLinks>,
    store: StoredValue<Backend, LocalStorage>,
    /// IndexedDB, once open; `None` while opening or where unavailable.
    db: StoredValue<Option<Rc<DatasetStore>>, LocalStorage>,
    /// This map's stored datasets, newest first.
    catalogue: RwSignal<Vec<DatasetMeta>>,
    /// A finished import is being written; the list is about to change.
    saving: RwSignal<bool>,
    /// The stored dataset on screen, if it is one.
    shown: RwSignal<Option<String>>,
    /// The last deleted dataset, and its name while undo is offered.
    removed: StoredValue<Option<Removed>, LocalStorage>,
    undo: RwSignal<Option<String>>,
}

impl Wizard {
    fn new(map: Id) -> Self {
        let (store, _) = Backend::open();
        let wizard = Wizard {
            map: StoredValue::new(map),
            phase: RwSignal::new(Phase::Pick),
            picked: RwSignal::new(None),
            file: StoredValue::new_local(None),
            importer: StoredValue::new_local(None),
            hasher: StoredValue::new_local(None),
            helper: StoredValue::new_local(None),
            split: StoredValue::new(None),
            ahead: StoredValue::new_local(VecDeque::new()),
            mask: RwSignal::new(true),
            plan: RwSignal::new(0),
            progress: RwSignal::new(Progress {
                bytes_done: 0,
                bytes_total: 0,
                records: 0,
                done: false,
            }),
            run: StoredValue::new(0),
            dataset: StoredValue::new_local(None),
            data: RwSignal::new(0),
            error: RwSignal::new(None),
            aliases: RwSignal::new(Aliases::new()),
            links: RwSignal::new(ChannelLinks::new()),
            store: StoredValue::new_local(store),
            db: StoredValue::new_local(None),
            catalogue: RwSignal::new(Vec::new()),
            saving: RwSignal::new(false),
            shown: RwSignal::new(None),
            removed: StoredValue::new_local(None),
            undo: RwSignal::new(None),
        };
        wizard.load_aliases();
        datasets::open(wizard);
        wizard
    }

    fn load_aliases(&self) {
        let loaded = self
            .store
            .with_value(|s| self.map.with_value(|m| load_aliases(s, m)))
            .unwrap_or_else(|e| {
                expect_context::<AppState>().notify(NoticeKind::Error, e);
                Aliases::new()
            });
        self.aliases.set(loaded);
        let links = self
            .store
            .with_value(|s| self.map.with_value(|m| load_channel_links(s, m)))
            .unwrap_or_else(|e| {
                expect_context::<AppState>().notify(NoticeKind::Error, e);
                ChannelLinks::new()
            });
        self.links.set(links);
    }

    /// Links a file's channel value to a lane of the map (or unlinks it)
    /// and remembers that for the map, like a touchpoint assignment.
    fn link_channel(&self, value: &str, channel: Option<Id>) {
        self.links.update(|l| set_link(l, value, channel));
        let saved = self.links.with_untracked(|l| {
            self.map
                .with_value(|m| self.store.update_value_ret(|s| save_channel_links(s, m, l)))
        });
        if let Err(e) = saved {
            expect_context::<AppState>().notify(
                NoticeKind::Error,
                format!("The channel link applies now but was not saved: {e}"),
            );
        }
    }

    /// Links a file value to a touchpoint (or unlinks it) and remembers
    /// that for this map's next import.
    fn assign(&self, value: &str, touchpoint: Option<Id>) {
        self.aliases.update(|a| set_link(a, value, touchpoint));
        let saved = self.aliases.with_untracked(|a| {
            self.map
                .with_value(|m| self.store.update_value_ret(|s| save_aliases(s, m, a)))
        });
        if let Err(e) = saved {
            expect_context::<AppState>().notify(
                NoticeKind::Error,
                format!("The assignment applies now but was not saved: {e}"),
            );
        }
    }

    /// Has an idle worker ready for the next large file: starting one and
    /// instantiating the module in it takes about 50 ms, which Import
    /// should not wait for.
    fn ready_helper(&self) {
        let idle = self
            .helper
            .try_with_value(|h| h.as_ref().is_some_and(|h| h.is_idle()))
            .unwrap_or(false);
        if idle {
            return;
        }
        self.stop_helper();
        if let Ok(helper) = worker::Helper::spawn() {
            let _ = self.helper.try_set_value(Some(Rc::new(helper)));
        }
    }

    fn stop_helper(&self) {
        if let Some(helper) = self.helper.try_update_value(Option::take).flatten() {
            helper.stop();
        }
        let _ = self.split.try_set_value(None);
    }

    /// Back to the start, dropping any unfinished import.
    fn reset(&self) {
        self.run.update_value(|r| *r += 1);
        self.stop_helper();
        self.importer.set_value(None);
        self.hasher.set_value(None);
        self.ahead.set_value(VecDeque::new());
        self.dataset.set_value(None);
        self.file.set_value(None);
        self.picked.set(None);
        self.shown.set(None);
        self.phase.set(Phase::Pick);
    }
}

/// `StoredValue::update_value` returns nothing; storage calls need their
/// result.
trait UpdateRet<T> {
    fn update_value_ret<R>(&self, f: impl FnOnce(&mut T) -> R) -> R;
}

impl<T: 'static> UpdateRet<T> for StoredValue<T, LocalStorage> {
    fn update_value_ret<R>(&self, f: impl FnOnce(&mut T) -> R) -> R {
        self.try_update_value(f)
            .expect("the page's values live as long as the page")
    }
}

#[component]
pub fn ImportPage(id: Id) -> impl IntoView {
    let state = expect_context::<AppState>();
    state.open_map(&id);
    let open = state.open;
    let map_href = Route::Map(id.clone()).hash();
    let wizard = Wizard::new(id);
    wizard.ready_helper();
    reader::start();
    on_cleanup(move || {
        wizard.run.update_value(|r| *r += 1);
        wizard.stop_helper();
        reader::stop();
    });
    let map_name = move || open.map.with(|m| m.as_ref().map(|m| m.name.clone()));

    move || {
        if let Some(err) = open.load_error.get() {
            return crate::ui::map_unavailable(Some(err));
        }
        let Some(name) = map_name() else {
            return crate::ui::map_unavailable(None);
        };
        let map_href = map_href.clone();
        view! {
            <section class="page import-page" aria-labelledby="import-title">
                <nav class="crumbs" aria-label="Breadcrumb">
                    <a href="#/">"All maps"</a>
                    " / "
                    <a href=map_href>{name}</a>
                </nav>
                <div class="page-head">
                    <div>
                        <h1 id="import-title">"Import feedback"</h1>
                        <p class="muted">
                            "Survey exports from Qualtrics, SurveyMonkey, Typeform, Google Forms, Delighted, Zendesk, Medallia or any CSV, TSV or Excel file. "
                            "The file is read in this browser and never uploaded."
                        </p>
                    </div>
                </div>
                <datasets::Datasets wizard=wizard />
                {move || match wizard.phase.get() {
                    Phase::Pick => view! { <setup::PickFile wizard=wizard /> }.into_any(),
                    Phase::Review => view! { <setup::Review wizard=wizard /> }.into_any(),
                    Phase::Running => view! { <run::Running wizard=wizard /> }.into_any(),
                    Phase::Done => view! { <results::Results wizard=wizard /> }.into_any(),
                }}
            </section>
        }
        .into_any()
    }
}

/// Has a worker rehearse an import (`worker::rehearse`) once the app has
/// drawn, so the first import in a tab runs as fast as later ones.
pub fn rehearse_after_start() {
    leptos::task::spawn_local(async {
        yield_to_browser().await;
        worker::rehearse();
    });
}

/// How much of the file an import reads at once, in the page and in the
/// worker. Each read costs the browser milliseconds however small: in
/// Chromium here, reading 62 MB in two streams took 171-338 ms in 2 MiB
/// slices and 92-143 ms in 8 MiB ones. The bytes stay in JavaScript's
/// memory and enter wasm memory a [`CHUNK_BYTES`] chunk at a time, so
/// larger reads do not raise the import's peak wasm memory.
const READ_BYTES: usize = 8 << 20;

/// Reads of [`READ_BYTES`] in flight, in the page and in the worker: one
/// more is always on its way while the last is worked on.
const READS_IN_FLIGHT: usize = 2;

/// A slice of the file being read: started at once, awaited later, so the
/// next chunk is on its way while the current one is worked on.
struct ChunkRead {
    offset: usize,
    end: usize,
    future: JsFuture,
}

impl ChunkRead {
    fn start(file: &web_sys::File, offset: usize) -> Result<ChunkRead, JsValue> {
        ChunkRead::range(file, offset, CHUNK_BYTES)
    }

    fn range(file: &web_sys::File, offset: usize, len: usize) -> Result<ChunkRead, JsValue> {
        let end = (offset + len).min(file.size() as usize);
        Ok(ChunkRead {
            offset,
            end,
            future: JsFuture::from(reader::read(file, offset, end)?),
        })
    }

    async fn bytes(self) -> Result<Vec<u8>, JsValue> {
        let buffer = self.future.await?;
        Ok(js_sys::Uint8Array::new(&buffer).to_vec())
    }

    async fn held(self) -> Result<Held, JsValue> {
        let buffer = self.future.await?;
        Ok(Held {
            at: self.offset,
            bytes: js_sys::Uint8Array::new(&buffer),
            taken: 0,
        })
    }
}

/// A file read from an offset to its end, one chunk at a time, with the
/// next read already in flight: how the review's check and the hash after
/// an import read, neither of which stops at a split.
struct Chunks<'f> {
    file: &'f web_sys::File,
    next: usize,
    reads: VecDeque<ChunkRead>,
    held: Option<Held>,
}

impl<'f> Chunks<'f> {
    fn from(file: &'f web_sys::File, offset: usize) -> Self {
        Chunks {
            file,
            next: offset,
            reads: VecDeque::new(),
            held: None,
        }
    }

    /// The next chunk and its offset; `None` at the end of the file.
    async fn next(&mut self) -> Result<Option<(usize, Vec<u8>)>, JsValue> {
        loop {
            if let Some(held) = self.held.as_mut().filter(|h| !h.is_used_up()) {
                return Ok(Some(held.next()));
            }
            let total = self.file.size() as usize;
            while self.reads.len() < READS_IN_FLIGHT && self.next < total {
                let read = ChunkRead::range(self.file, self.next, READ_BYTES)?;
                self.next = read.end;
                self.reads.push_back(read);
            }
            let Some(read) = self.reads.pop_front() else {
                return Ok(None);
            };
            self.held = Some(read.held().await?);
        }
    }
}

/// A large read's bytes, kept in JavaScript's memory and copied into wasm
/// memory a chunk at a time, as the importer asks.
struct Held {
    at: usize,
    bytes: js_sys::Uint8Array,
    taken: usize,
}

impl Held {
    /// Where the next chunk starts in the file.
    fn offset(&self) -> usize {
        self.at + self.taken
    }

    fn is_used_up(&self) -> bool {
        self.taken >= self.bytes.length() as usize
    }

    /// The next chunk of at most [`CHUNK_BYTES`], with its offset.
    fn next(&mut self) -> (usize, Vec<u8>) {
        let at = self.offset();
        let to = (self.taken + CHUNK_BYTES).min(self.bytes.length() as usize);
        let chunk = self.bytes.subarray(self.taken as u32, to as u32).to_vec();
        self.taken = to;
        (at, chunk)
    }
}

/// How long work may run before the page gets a turn: with one step's
/// overrun it stays well below the 100 ms at which a page feels frozen.
const SLICE_MS: f64 = 40.0;

/// Keeps a long async job in tasks of about [`SLICE_MS`]. Awaiting a read
/// that has already finished does not end the browser's task, so the job
/// yields explicitly once its slice is used up.
struct Slicer {
    started: f64,
}

impl Slicer {
    fn new() -> Self {
        Slicer { started: now() }
    }

    fn used_up(&self) -> bool {
        now() - self.started >= SLICE_MS
    }

    /// Starts a new slice: after waiting, which let the browser run.
    fn restart(&mut self) {
        self.started = now();
    }

    async fn pause_if_used_up(&mut self) {
        if self.used_up() {
            yield_to_browser().await;
            self.started = now();
        }
    }
}

fn now() -> f64 {
    js_sys::Date::now()
}

/// Grows wasm memory by about `bytes` now, for an import that will need
/// it. Growing wasm memory has V8 collect garbage on the spot: on the
/// benchmark's file, a full collection of 9-10 ms and three starts of
/// incremental marking of 1-4 ms each fell inside the import, when its
/// columns were allocated. Called while the page waits for the file's
/// first read, the collection takes time the page had spare. The block is
/// freed at once and stays with the allocator, which carves the import's
/// columns out of it; where it cannot be had, the import grows memory as
/// it goes, as before. Wasm memory never shrinks, so the room is capped at
/// [`MAX_ROOM`]: a file picked only to be reviewed leaves no more behind.
fn make_room(bytes: usize) {
    let mut room: Vec<u8> = Vec::new();
    if room.try_reserve_exact(bytes.min(MAX_ROOM)).is_ok() {
        // Otherwise the compiler may drop an allocation nothing reads.
        std::hint::black_box(&mut room);
    }
}

/// See [`make_room`]: four times the benchmark's file.
const MAX_ROOM: usize = 256 << 20;

/// Lets the browser paint and handle input. A message to ourselves is a
/// new task without the 4 ms that browsers add to chained timeouts.
async fn yield_to_browser() {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        let Ok(channel) = web_sys::MessageChannel::new() else {
            let _ = resolve.call0(&JsValue::NULL);
            return;
        };
        let port = channel.port1();
        port.set_onmessage(Some(&resolve));
        let _ = channel.port2().post_message(&JsValue::NULL);
    });
    let _ = JsFuture::from(promise).await;
}

/// Waits `ms` milliseconds; false if the browser would not set a timer.
async fn pause(ms: i32) -> bool {
    let mut set = false;
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        set = web_sys::window()
            .and_then(|w| {
                w.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms)
                    .ok()
            })
            .is_some();
    });
    set && JsFuture::from(promise).await.is_ok()
}

/// A number of bytes the way people read file sizes.
fn file_size(bytes: usize) -> String {
    match bytes {
        b if b >= 1 << 20 => format!("{:.1} MB", b as f64 / f64::from(1 << 20)),
        b if b >= 1 << 10 => format!("{:.0} KB", b as f64 / f64::from(1 << 10)),
        b => format!("{b} bytes"),
    }
}
