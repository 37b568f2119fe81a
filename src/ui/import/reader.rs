//! The import page's file reads, done by a worker that only reads and
//! hands each slice to the page as a transferred buffer.
//!
//! Chromium moves a read's bytes over from the browser process in tasks on
//! the thread that asked for them. Traced, the page's thread, the import's
//! critical path, spent 40 ms of a 62 MB import taking in the bytes of its
//! part; on this thread the page spends nothing but a message per slice.
//! Like the import worker, it is a classic script from a Blob URL, so it
//! runs from `file://` too. Where it cannot start, or once it has failed,
//! the page reads for itself.

use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::rc::Rc;

use js_sys::{ArrayBuffer, Function, Promise, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{MessageEvent, Url, Worker};

/// The worker's script: one message per read, answered with the bytes or
/// with why they could not be read.
const SOURCE: &str = r#""use strict";
self.onmessage = ({ data: { id, file, from, to } }) => {
  file.slice(from, to).arrayBuffer().then(
    (buffer) => self.postMessage({ id, buffer }, [buffer]),
    (e) => self.postMessage({ id, error: String((e && e.message) || e) }),
  );
};
"#;

/// Reads not answered yet: how to settle each one's promise.
type Pending = HashMap<u32, (Function, Function)>;

struct Reader {
    worker: Worker,
    url: String,
    pending: Rc<RefCell<Pending>>,
    next_id: Cell<u32>,
    /// The worker failed: later reads are done on the page.
    failed: Rc<Cell<bool>>,
    _on_message: Closure<dyn FnMut(MessageEvent)>,
    _on_error: Closure<dyn FnMut(web_sys::Event)>,
}

thread_local! {
    static READER: RefCell<Option<Reader>> = const { RefCell::new(None) };
    /// Import pages open: one page's cleanup may run after the next one
    /// has opened.
    static USERS: Cell<usize> = const { Cell::new(0) };
}

/// Starts the reading worker, unless it runs: when an import page opens,
/// so that it is ready by the time a file is picked.
pub(super) fn start() {
    USERS.set(USERS.get() + 1);
    if READER.with_borrow(|r| r.as_ref().is_none_or(|r| r.failed.get())) {
        // One that failed is ended here.
        READER.set(Reader::spawn().ok());
    }
}

/// Ends the reading worker once no import page uses it; reads still
/// waiting fail.
pub(super) fn stop() {
    USERS.set(USERS.get().saturating_sub(1));
    if USERS.get() > 0 {
        return;
    }
    READER.take();
}

/// Reads bytes `from..to` of `file`: on the reading worker if it runs,
/// otherwise on this thread. The promise resolves to an `ArrayBuffer`.
pub(super) fn read(file: &web_sys::File, from: usize, to: usize) -> Result<Promise, JsValue> {
    let asked = READER.with_borrow(|r| r.as_ref().map(|r| r.read(file, from, to)));
    match asked {
        Some(Ok(promise)) => Ok(promise),
        // Not running, or the message did not go: read here.
        _ => Ok(file
            .slice_with_f64_and_f64(from as f64, to as f64)?
            .array_buffer()),
    }
}

/// Rejects every read still waiting, with `why`.
fn fail_all(pending: &RefCell<Pending>, why: &str) {
    let error = js_sys::Error::new(why);
    for (_, (_, reject)) in pending.borrow_mut().drain() {
        let _ = reject.call1(&JsValue::NULL, &error);
    }
}

impl Reader {
    fn spawn() -> Result<Reader, JsValue> {
        // Tests count the import workers, and leave this one out by its
        // fragment.
        let (worker, url) = crate::ui::web_worker::start_worker(SOURCE, "#reader")?;
        let pending: Rc<RefCell<Pending>> = Rc::default();
        let on_message = {
            let pending = pending.clone();
            Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
                let data = event.data();
                let get =
                    |key: &str| Reflect::get(&data, &key.into()).unwrap_or(JsValue::UNDEFINED);
                let Some(id) = get("id").as_f64() else {
                    return;
                };
                let Some((resolve, reject)) = pending.borrow_mut().remove(&(id as u32)) else {
                    return;
                };
                let _ = match get("buffer").dyn_into::<ArrayBuffer>() {
                    Ok(buffer) => resolve.call1(&JsValue::NULL, &buffer),
                    Err(_) => {
                        let why = get("error").as_string().unwrap_or_default();
                        reject.call1(&JsValue::NULL, &js_sys::Error::new(&why))
                    }
                };
            })
        };
        let failed = Rc::new(Cell::new(false));
        let on_error = {
            let pending = pending.clone();
            let failed = failed.clone();
            Closure::<dyn FnMut(web_sys::Event)>::new(move |_: web_sys::Event| {
                failed.set(true);
                fail_all(&pending, "the file could not be read");
            })
        };
        worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        Ok(Reader {
            worker,
            url,
            pending,
            next_id: Cell::new(0),
            failed,
            _on_message: on_message,
            _on_error: on_error,
        })
    }

    fn read(&self, file: &web_sys::File, from: usize, to: usize) -> Result<Promise, JsValue> {
        if self.failed.get() {
            return Err("the reading worker failed".into());
        }
        let id = self.next_id.get();
        self.next_id.set(id.wrapping_add(1));
        let message = [
            ("id", id.into()),
            ("file", file.clone().into()),
            ("from", (from as f64).into()),
            ("to", (to as f64).into()),
        ];
        let mut settle = None;
        let promise = Promise::new(&mut |resolve, reject| settle = Some((resolve, reject)));
        if let Some(settle) = settle {
            self.pending.borrow_mut().insert(id, settle);
        }
        if let Err(e) = crate::ui::web_worker::post(&self.worker, &message) {
            self.pending.borrow_mut().remove(&id);
            return Err(e);
        }
        Ok(promise)
    }
}

impl Drop for Reader {
    fn drop(&mut self) {
        self.worker.terminate();
        let _ = Url::revoke_object_url(&self.url);
        fail_all(&self.pending, "the import page was left");
    }
}
