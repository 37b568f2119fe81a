//! Workers started without a file of their own: the single-file build runs
//! from `file://`, where Chromium refuses module workers and any script
//! from disk, so every worker is a classic script from a Blob URL (the
//! content security policy allows `worker-src blob:` for them).

use js_sys::{Array, Object, Reflect};
use wasm_bindgen::JsValue;
use web_sys::{Blob, BlobPropertyBag, Url, Worker};

/// A worker running `source` as a classic script from a Blob URL, and the
/// URL to revoke once it ends. `fragment` ends the URL the worker is
/// started with (it does not change what loads), so tests can tell workers
/// apart.
pub fn start_worker(source: &str, fragment: &str) -> Result<(Worker, String), JsValue> {
    let options = BlobPropertyBag::new();
    options.set_type("text/javascript");
    let blob = Blob::new_with_str_sequence_and_options(&Array::of1(&source.into()), &options)?;
    let url = Url::create_object_url_with_blob(&blob)?;
    match Worker::new(&format!("{url}{fragment}")) {
        Ok(worker) => Ok((worker, url)),
        Err(e) => {
            let _ = Url::revoke_object_url(&url);
            Err(e)
        }
    }
}

/// Posts `fields` to `worker` as one object.
pub fn post(worker: &Worker, fields: &[(&str, JsValue)]) -> Result<(), JsValue> {
    let message = Object::new();
    for (key, value) in fields {
        Reflect::set(&message, &(*key).into(), value)?;
    }
    worker.post_message(&message)
}
