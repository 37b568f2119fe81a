//! A Web Worker that imports the second part of a large file on the
//! machine's other core while the page imports the first
//! ([`crate::import::split`]).
//!
//! It must start without a file of its own: the single-file build runs
//! from `file://`, where Chromium refuses module workers and any script
//! from disk. So the worker is a classic script from a Blob URL, handed the
//! page's own compiled wasm module. It instantiates that module without
//! wasm-bindgen's glue, giving every import a stub that throws: the import
//! core it calls is pure Rust and reaches for none of them, and the page's
//! `main` is never run there. It talks to the module through the plain
//! numeric functions below, which `src/main.rs` exports, and posts each batch of rows back as a
//! transferred `ArrayBuffer`, which stays outside the page's wasm memory
//! until the page appends it.

use std::cell::RefCell;
use std::collections::VecDeque;
use std::rc::Rc;

use js_sys::{ArrayBuffer, Promise, Reflect, Uint8Array};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{MessageEvent, Url, Worker};

use crate::import::split::{Tail, TailPlan, TailStep};
use crate::import::CHUNK_BYTES;
use crate::ui::web_worker::{post, start_worker};

use super::{READS_IN_FLIGHT, READ_BYTES};

/// The worker's script. Status codes are [`step`]'s.
const SOURCE: &str = r#""use strict";
let wasm;
let ready;
const put = (bytes) => {
  const at = wasm.waymark_tail_buffer(bytes.length);
  new Uint8Array(wasm.memory.buffer, at, bytes.length).set(bytes);
};
async function instantiate(module) {
  const imports = {};
  for (const { module: space, name } of WebAssembly.Module.imports(module)) {
    (imports[space] ??= {})[name] = () => {
      throw new Error(`the import worker cannot call ${name}`);
    };
  }
  wasm = (await WebAssembly.instantiate(module, imports)).exports;
  // Read by the import benchmark, which reports the worker's memory too.
  self.memory = wasm.memory;
}
async function run({ file, from, plan, chunk, size, ahead }) {
  put(plan);
  if (!wasm.waymark_tail_start(file.size - from)) throw new Error("the import plan did not read");
  const reads = [];
  let next = from;
  let read = 0;
  // The last read's bytes, handed over a chunk at a time.
  let held = new Uint8Array(0);
  let taken = 0;
  for (;;) {
    const status = wasm.waymark_tail_step();
    if (status === 0) {
      if (taken >= held.length) {
        while (reads.length < ahead && next < file.size) {
          reads.push(file.slice(next, Math.min(next + size, file.size)).arrayBuffer());
          next += size;
        }
        held = new Uint8Array(reads.length ? await reads.shift() : new ArrayBuffer(0));
        taken = 0;
      }
      const bytes = held.subarray(taken, taken + chunk);
      taken += bytes.length;
      read += bytes.length;
      put(bytes);
      wasm.waymark_tail_push();
    } else if (status === 1 || status === 2) {
      const at = wasm.waymark_tail_batch();
      const batch = wasm.memory.buffer.slice(at, at + wasm.waymark_tail_batch_len());
      self.postMessage({ batch, read, end: status === 2 }, [batch]);
      if (status === 2) return;
    } else {
      self.postMessage({ misread: true });
      return;
    }
  }
}
const fail = (e) => self.postMessage({ failed: String((e && e.message) || e) });
// The module comes first, when the import page opens or a file is picked;
// the job once a large file's split is found, before its review shows, or
// when the user changes the plan it was given. A worker sent `rehearse`
// only rehearses, and is ended once it says so.
self.onmessage = ({ data }) => {
  if (data.module) {
    ready = instantiate(data.module);
    ready.catch(fail);
    if (data.rehearse) {
      // Only an optimisation: however it ends, the page ends this worker
      // on its message.
      ready
        .then(() => wasm.waymark_rehearse())
        .catch(() => {})
        .then(() => self.postMessage({ rehearsed: true }));
    }
  } else {
    ready.then(() => run(data)).catch(fail);
  }
};
"#;

/// The worker's side: its one import, and the bytes it exchanges with its
/// script.
#[derive(Default)]
struct Worked {
    tail: Option<Tail>,
    /// Bytes the script writes before calling in: the plan, then chunks.
    inbox: Vec<u8>,
    batch: Vec<u8>,
}

thread_local! {
    static WORKED: RefCell<Worked> = RefCell::default();
}

/// Makes room for `len` bytes from the script and returns where. The
/// script overwrites all of them, so only a change of size costs.
pub fn waymark_tail_buffer(len: usize) -> usize {
    WORKED.with_borrow_mut(|w| {
        w.inbox.resize(len, 0);
        w.inbox.as_mut_ptr() as usize
    })
}

/// Starts the import of the `total` bytes after the split with the plan in
/// the inbox; false when the plan does not read.
pub fn waymark_tail_start(total: usize) -> bool {
    WORKED.with_borrow_mut(|w| match TailPlan::from_bytes(&w.inbox) {
        Ok(plan) => {
            w.tail = Some(Tail::new(&plan, total));
            true
        }
        Err(_) => false,
    })
}

/// Hands the inbox to the import as the next chunk.
pub fn waymark_tail_push() {
    WORKED.with_borrow_mut(|w| {
        if let Some(tail) = w.tail.as_mut() {
            tail.push(&w.inbox);
        }
    });
}

/// Imports on: 0 wants the next chunk, 1 has a batch ready, 2 has the last
/// batch ready, 3 found the file not to be UTF-8.
pub fn waymark_tail_step() -> u32 {
    WORKED.with_borrow_mut(|w| {
        let Some(tail) = w.tail.as_mut() else {
            return 3;
        };
        match tail.step() {
            TailStep::NeedInput => 0,
            TailStep::Batch => {
                w.batch = tail.take_batch();
                1
            }
            TailStep::End => {
                w.batch = tail.take_batch();
                2
            }
            TailStep::Misread => 3,
        }
    })
}

/// Runs [`rehearse`](crate::import::split::rehearse), in the worker
/// [`rehearse`] starts for it.
pub fn waymark_rehearse() {
    crate::import::split::rehearse();
}

/// Where the batch that [`waymark_tail_step`] announced lies.
pub fn waymark_tail_batch() -> usize {
    WORKED.with_borrow(|w| w.batch.as_ptr() as usize)
}

pub fn waymark_tail_batch_len() -> usize {
    WORKED.with_borrow(|w| w.batch.len())
}

/// Has a worker of its own rehearse an import ([`waymark_rehearse`]) and
/// ends it once done, so the browser has optimised the import's code, for
/// the page too (the worker shares its compiled module), before any file
/// is picked. Run once, when the app starts: a rehearsal still running
/// when a file is picked competed with the import for the two cores.
pub fn rehearse() {
    let Ok((worker, url)) = start_worker(SOURCE, "") else {
        return;
    };
    let stop = {
        let worker = worker.clone();
        move || {
            worker.terminate();
            let _ = Url::revoke_object_url(&url);
        }
    };
    let message = [
        ("module", wasm_bindgen::module()),
        ("rehearse", true.into()),
    ];
    if post(&worker, &message).is_err() {
        stop();
        return;
    }
    let end = Closure::once_into_js(move |_: JsValue| stop());
    worker.set_onmessage(Some(end.unchecked_ref()));
    worker.set_onerror(Some(end.unchecked_ref()));
}

/// How a helper's work ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Outcome {
    /// Every batch is sent.
    Ended,
    /// The file is not UTF-8 after all.
    Misread,
    /// It failed or was stopped; why does not matter to the page, which
    /// imports the file without it either way.
    Failed,
}

#[derive(Default)]
struct Shared {
    batches: VecDeque<ArrayBuffer>,
    /// Bytes of its part the worker has read.
    read: usize,
    outcome: Option<Outcome>,
    /// Resolves the page's wait for the next message.
    wake: Option<js_sys::Function>,
}

impl Shared {
    /// Ends the page's wait, if it is waiting.
    fn wake(&mut self) {
        if let Some(wake) = self.wake.take() {
            let _ = wake.call0(&JsValue::NULL);
        }
    }

    /// Marks the worker failed, unless it ended already.
    fn fail(&mut self) {
        self.outcome.get_or_insert(Outcome::Failed);
        self.wake();
    }
}

/// The page's handle on a worker importing the file from a split on. The
/// worker stops when the handle is dropped.
pub(super) struct Helper {
    worker: Worker,
    /// Where the worker was set to start and the plan it was given: it
    /// serves one import only.
    begun: RefCell<Option<(usize, TailPlan)>>,
    url: String,
    shared: Rc<RefCell<Shared>>,
    _on_message: Closure<dyn FnMut(MessageEvent)>,
    _on_error: Closure<dyn FnMut(web_sys::Event)>,
}

impl Helper {
    /// Starts a worker and has it instantiate the page's module, ready for
    /// [`Helper::begin`].
    pub(super) fn spawn() -> Result<Helper, JsValue> {
        let (worker, url) = start_worker(SOURCE, "")?;
        let shared = Rc::new(RefCell::new(Shared::default()));
        let on_message = {
            let shared = shared.clone();
            Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
                let data = event.data();
                let get =
                    |key: &str| Reflect::get(&data, &key.into()).unwrap_or(JsValue::UNDEFINED);
                let mut shared = shared.borrow_mut();
                if let Ok(batch) = get("batch").dyn_into::<ArrayBuffer>() {
                    shared.batches.push_back(batch);
                    shared.read = get("read").as_f64().unwrap_or(0.0) as usize;
                    if get("end").is_truthy() {
                        shared.outcome = Some(Outcome::Ended);
                    }
                } else if get("misread").is_truthy() {
                    shared.outcome = Some(Outcome::Misread);
                } else {
                    shared.outcome = Some(Outcome::Failed);
                }
                shared.wake();
            })
        };
        let on_error = {
            let shared = shared.clone();
            Closure::<dyn FnMut(web_sys::Event)>::new(move |_: web_sys::Event| {
                shared.borrow_mut().fail();
            })
        };
        worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        let helper = Helper {
            worker,
            begun: RefCell::new(None),
            url,
            shared,
            _on_message: on_message,
            _on_error: on_error,
        };
        post(&helper.worker, &[("module", wasm_bindgen::module())])?;
        Ok(helper)
    }

    /// Has the worker import `file` from byte `from` on with `plan`.
    pub(super) fn begin(
        &self,
        file: &web_sys::File,
        from: usize,
        plan: &TailPlan,
    ) -> Result<(), JsValue> {
        post(
            &self.worker,
            &[
                ("file", file.clone().into()),
                ("from", (from as f64).into()),
                ("plan", Uint8Array::from(plan.to_bytes().as_slice()).into()),
                ("chunk", (CHUNK_BYTES as f64).into()),
                ("size", (READ_BYTES as f64).into()),
                ("ahead", (READS_IN_FLIGHT as f64).into()),
            ],
        )?;
        *self.begun.borrow_mut() = Some((from, plan.clone()));
        Ok(())
    }

    /// Whether the worker is ready for a job and has none.
    pub(super) fn is_idle(&self) -> bool {
        self.begun.borrow().is_none() && self.outcome().is_none()
    }

    /// Whether the worker was set to import from byte `from` with `plan`
    /// and has not failed or been stopped: the work it did while the user
    /// reviewed is then the import's.
    pub(super) fn runs(&self, from: usize, plan: &TailPlan) -> bool {
        self.outcome() != Some(Outcome::Failed)
            && self
                .begun
                .borrow()
                .as_ref()
                .is_some_and(|(at, begun)| *at == from && begun == plan)
    }

    /// Bytes of its part the worker has read so far.
    pub(super) fn read(&self) -> usize {
        self.shared.borrow().read
    }

    /// The oldest batch not taken yet.
    pub(super) fn take_batch(&self) -> Option<Vec<u8>> {
        let batch = self.shared.borrow_mut().batches.pop_front()?;
        Some(Uint8Array::new(&batch).to_vec())
    }

    /// How the worker ended, once it has; batches may still be waiting.
    pub(super) fn outcome(&self) -> Option<Outcome> {
        self.shared.borrow().outcome
    }

    /// Stops the worker now: its import was cancelled or given up. A wait
    /// for its next message ends.
    pub(super) fn stop(&self) {
        self.worker.terminate();
        let mut shared = self.shared.borrow_mut();
        shared.batches.clear();
        shared.fail();
    }

    /// Waits for the worker's next message, unless one is waiting already.
    pub(super) async fn next(&self) {
        let promise = {
            let mut shared = self.shared.borrow_mut();
            if !shared.batches.is_empty() || shared.outcome.is_some() {
                return;
            }
            let mut wake = None;
            let promise = Promise::new(&mut |resolve, _| wake = Some(resolve));
            shared.wake = wake;
            promise
        };
        let _ = JsFuture::from(promise).await;
    }
}

impl Drop for Helper {
    fn drop(&mut self) {
        self.stop();
        let _ = Url::revoke_object_url(&self.url);
    }
}
