//! Scores the comments of a map's datasets with VADER, off the page's
//! thread, and stores the scores with each dataset so it is done once.
//!
//! The scorer is a wasm module of its own (`src/bin/waymark-sentiment.rs`):
//! its lexicons stay out of the first load and are fetched the first time a
//! dataset has comments without scores — right after an import, or when a
//! dataset imported by an earlier version is opened. The single-file build
//! cannot fetch from `file://`: it carries the module packed with the app's,
//! and its start-up script leaves the unpacked bytes in the global
//! [`EMBEDDED`] (see `src/bin/waymark-unpack.rs`).

use std::sync::Arc;

use js_sys::{Array, Float32Array, Object, Promise, Reflect, Uint32Array, Uint8Array};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{Url, Worker};

use crate::import::{ColumnData, Dataset};
use crate::sentiment::{attach, unscored};
use crate::ui::web_worker::start_worker;

/// The global holding the single-file build's copy of the scorer module
/// (its bytes, a `Uint8Array`).
pub const EMBEDDED: &str = "waymarkScorer";
/// Where trunk puts the scorer module, beside the page (unhashed: a
/// worker-type binary's name is fixed).
const MODULE_FILE: &str = "waymark-sentiment_bg.wasm";
/// Comments per message: a batch scores in tens of milliseconds, so
/// progress moves smoothly and a cancelled page stops soon.
const BATCH: usize = 20_000;

/// The worker's script. It compiles the module from the URL or bytes of
/// its first message, then answers each batch with its compounds.
const SOURCE: &str = r#""use strict";
let wasm;
let loading;
async function load({ url, bytes }) {
  let module;
  if (bytes) {
    module = await WebAssembly.compile(bytes);
  } else {
    const response = await fetch(url);
    if (!response.ok) throw new Error(`the comment scorer did not load (HTTP ${response.status})`);
    module = await WebAssembly.compile(await response.arrayBuffer());
  }
  const imports = {};
  for (const { module: space, name } of WebAssembly.Module.imports(module)) {
    (imports[space] ??= {})[name] = () => {
      throw new Error(`the comment scorer cannot call ${name}`);
    };
  }
  wasm = (await WebAssembly.instantiate(module, imports)).exports;
}
self.onmessage = async ({ data }) => {
  try {
    if (!wasm) await (loading ??= load(data));
    if (!data.text) {
      postMessage({ ready: true });
      return;
    }
    const n = data.ends.length;
    const at = wasm.waymark_sentiment_input(data.text.length, n);
    new Uint8Array(wasm.memory.buffer, at, data.text.length).set(data.text);
    new Uint32Array(wasm.memory.buffer, wasm.waymark_sentiment_ends(), n).set(data.ends);
    const out = wasm.waymark_sentiment_score();
    const compounds = new Float32Array(wasm.memory.buffer, out, n).slice();
    postMessage({ compounds }, [compounds.buffer]);
  } catch (e) {
    postMessage({ error: String((e && e.message) || e) });
  }
};
"#;

/// A worker with the scorer loaded; ended when dropped.
struct Scorer {
    worker: Worker,
    url: String,
}

impl Drop for Scorer {
    fn drop(&mut self) {
        self.worker.terminate();
        let _ = Url::revoke_object_url(&self.url);
    }
}

fn describe(e: &JsValue) -> String {
    Reflect::get(e, &"message".into())
        .ok()
        .and_then(|m| m.as_string())
        .or_else(|| e.as_string())
        .unwrap_or_else(|| "the comment scorer stopped".into())
}

/// The module as the worker's first message wants it: embedded bytes in
/// the single file, else its URL beside the page.
fn module_source() -> Result<(&'static str, JsValue), String> {
    let window = web_sys::window().ok_or("no window")?;
    if let Some(bytes) = Reflect::get(&window, &EMBEDDED.into())
        .ok()
        .and_then(|b| b.dyn_into::<Uint8Array>().ok())
    {
        return Ok(("bytes", bytes.into()));
    }
    let page = window.location().href().map_err(|e| describe(&e))?;
    let url = Url::new_with_base(MODULE_FILE, &page).map_err(|e| describe(&e))?;
    Ok(("url", url.href().into()))
}

impl Scorer {
    async fn start() -> Result<Scorer, String> {
        let (worker, url) = start_worker(SOURCE, "#sentiment").map_err(|e| describe(&e))?;
        let scorer = Scorer { worker, url };
        let (key, value) = module_source()?;
        answer(scorer.send(&[(key, value)], &Array::new())?).await?;
        Ok(scorer)
    }

    /// Posts one message; the promise is the worker's answer to it.
    fn send(&self, fields: &[(&str, JsValue)], transfer: &Array) -> Result<Promise, String> {
        let message = Object::new();
        for (key, value) in fields {
            Reflect::set(&message, &(*key).into(), value).map_err(|e| describe(&e))?;
        }
        let worker = self.worker.clone();
        let answer = Promise::new(&mut |resolve, reject| {
            worker.set_onmessage(Some(resolve.unchecked_ref()));
            worker.set_onerror(Some(reject.unchecked_ref()));
        });
        self.worker
            .post_message_with_transfer(&message, transfer)
            .map_err(|e| describe(&e))?;
        Ok(answer)
    }

    /// Hands one batch of comments (`text` with `ends` relative to it) to
    /// the worker; the promise answers with their compounds.
    fn score(&self, text: &[u8], ends: &[u32]) -> Result<Promise, String> {
        let bytes = Uint8Array::from(text);
        let offsets = Uint32Array::from(ends);
        self.send(
            &[
                ("text", bytes.clone().into()),
                ("ends", offsets.clone().into()),
            ],
            &Array::of2(&bytes.buffer(), &offsets.buffer()),
        )
    }
}

/// The worker's answer, or its error.
async fn answer(promise: Promise) -> Result<JsValue, String> {
    let event = JsFuture::from(promise).await.map_err(|e| describe(&e))?;
    let data = Reflect::get(&event, &"data".into()).map_err(|e| describe(&e))?;
    match Reflect::get(&data, &"error".into())
        .ok()
        .and_then(|e| e.as_string())
    {
        Some(error) => Err(error),
        None => Ok(data),
    }
}

/// Compounds of a batch, checked to be one per comment.
async fn compounds(promise: Promise, count: usize) -> Result<Vec<f32>, String> {
    let data = answer(promise).await?;
    let compounds: Float32Array = Reflect::get(&data, &"compounds".into())
        .ok()
        .and_then(|c| c.dyn_into().ok())
        .ok_or("the comment scorer answered nothing")?;
    if compounds.length() as usize != count {
        return Err("the comment scorer answered for other comments".into());
    }
    Ok(compounds.to_vec())
}

/// Scorers working side by side, one per core the browser reports (at
/// most [`MOST_WORKERS`]): each batch goes to the next one, so they score
/// at once while the page waits for them in order.
struct Pool(Vec<Scorer>);

/// VADER is a few microseconds per comment per core; past four workers
/// the page's copying and the memory of one lexicon each outweigh it.
const MOST_WORKERS: usize = 4;

impl Pool {
    async fn start() -> Result<Pool, String> {
        let cores = web_sys::window()
            .map(|w| w.navigator().hardware_concurrency() as usize)
            .unwrap_or(1);
        let mut scorers = Vec::new();
        for _ in 0..cores.clamp(1, MOST_WORKERS) {
            scorers.push(Scorer::start().await?);
        }
        Ok(Pool(scorers))
    }

    /// Compounds of every row of a comment column, `NaN` where none.
    async fn column(
        &self,
        text: &str,
        ends: &[u32],
        done: &mut usize,
        progress: &dyn Fn(usize),
    ) -> Result<Vec<f32>, String> {
        let mut out = Vec::with_capacity(ends.len());
        let batches: Vec<(usize, &[u32])> = ends.chunks(BATCH).enumerate().collect();
        for round in batches.chunks(self.0.len()) {
            let mut sent = Vec::new();
            for (scorer, &(b, batch)) in self.0.iter().zip(round) {
                let start = if b == 0 { 0 } else { ends[b * BATCH - 1] };
                let end = *batch.last().expect("chunks are never empty");
                let relative: Vec<u32> = batch.iter().map(|e| e - start).collect();
                let bytes = &text.as_bytes()[start as usize..end as usize];
                sent.push((scorer.score(bytes, &relative)?, batch.len()));
            }
            for (promise, count) in sent {
                out.extend(compounds(promise, count).await?);
                *done += count;
                progress(*done);
            }
        }
        Ok(out)
    }
}

/// How many comment cells scoring `data` goes through (every row of each
/// unscored comment column), for progress.
pub fn work(data: &Dataset) -> usize {
    unscored(data).len() * data.rows()
}

/// `data` with a sentiment column for every comment column that had none.
/// `progress` gets the rows scored so far, out of [`work`].
pub async fn score(data: &Arc<Dataset>, progress: &dyn Fn(usize)) -> Result<Dataset, String> {
    let pool = Pool::start().await?;
    let mut scored = Dataset::clone(data);
    let mut done = 0;
    for comment in unscored(data) {
        let ColumnData::Text { text, ends } = &data.columns[comment].data else {
            continue;
        };
        let compounds = pool.column(text, ends, &mut done, progress).await?;
        attach(&mut scored, comment, compounds);
    }
    Ok(scored)
}
