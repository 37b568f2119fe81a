//! Datasets in IndexedDB, which unlike localStorage holds tens of megabytes.
//!
//! Two object stores with the dataset id as key: `meta` holds each
//! [`DatasetMeta`] as JSON (small, so listing is cheap) and `data` the
//! [`Dataset`] as [`encode`] lays it out. Every change that touches both runs in one
//! transaction, so a failure (a full disk, a closed tab) leaves both as they
//! were: no catalogue entry without data, no data without an entry.

use js_sys::{
    Array, ArrayBuffer, Float32Array, Float64Array, Function, Object, Promise, Reflect,
    Uint32Array, Uint8Array,
};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{Blob, IdbDatabase, IdbRequest, IdbTransaction, IdbTransactionMode};

use super::backup::PackedDataset;
use super::datasets::DatasetMeta;
use super::StoreError;
use crate::import::{Column, ColumnData, Dataset, TimeColumn, MISSING};

/// Namespaced like the localStorage keys: under file:// every local page
/// shares one origin.
pub const DB_NAME: &str = "waymark.v1.datasets";
const META: &str = "meta";
const DATA: &str = "data";

/// A deleted dataset, kept in memory so the deletion can be undone.
pub struct Removed {
    pub meta: DatasetMeta,
    meta_raw: JsValue,
    data_raw: JsValue,
}

fn store_error(e: &JsValue) -> StoreError {
    let name = js_sys::Reflect::get(e, &"name".into())
        .ok()
        .and_then(|v| v.as_string())
        .unwrap_or_default();
    let message = js_sys::Reflect::get(e, &"message".into())
        .ok()
        .and_then(|v| v.as_string())
        .unwrap_or_else(|| format!("{e:?}"));
    match name.as_str() {
        "QuotaExceededError" => StoreError::QuotaExceeded,
        "InvalidStateError" | "SecurityError" | "UnknownError" => {
            StoreError::Unavailable(format!("{name}: {message}"))
        }
        _ => StoreError::Other(format!("{name}: {message}")),
    }
}

/// Settles when `target` fires one of `ok` (resolving with what `value`
/// reads) or `failed` (rejecting with its `error`).
async fn settle(
    target: &web_sys::EventTarget,
    ok: &str,
    failed: &[&str],
    value: impl FnOnce() -> JsValue + 'static,
    error: impl Fn() -> JsValue + 'static,
) -> Result<JsValue, StoreError> {
    let mut value = Some(value);
    let error = std::rc::Rc::new(error);
    let mut setup = |resolve: Function, reject: Function| {
        let value = value.take().expect("a Promise runs its executor once");
        let on_ok = Closure::once_into_js(move |_: web_sys::Event| {
            let _ = resolve.call1(&JsValue::NULL, &value());
        });
        let _ = target.add_event_listener_with_callback(ok, on_ok.unchecked_ref());
        for event in failed {
            let (reject, error) = (reject.clone(), error.clone());
            let on_failed = Closure::<dyn Fn(web_sys::Event)>::new(move |_| {
                let _ = reject.call1(&JsValue::NULL, &error());
            });
            let _ =
                target.add_event_listener_with_callback(event, on_failed.as_ref().unchecked_ref());
            on_failed.forget();
        }
    };
    JsFuture::from(Promise::new(&mut setup))
        .await
        .map_err(|e| store_error(&e))
}

async fn request(req: IdbRequest) -> Result<JsValue, StoreError> {
    let (r1, r2) = (req.clone(), req.clone());
    settle(
        &req,
        "success",
        &["error"],
        move || r1.result().unwrap_or(JsValue::UNDEFINED),
        move || {
            r2.error()
                .ok()
                .flatten()
                .map_or(JsValue::NULL, JsValue::from)
        },
    )
    .await
}

/// Waits until the transaction has committed: only then is a write safe.
async fn committed(tx: IdbTransaction) -> Result<(), StoreError> {
    let t = tx.clone();
    settle(
        &tx,
        "complete",
        &["error", "abort"],
        || JsValue::UNDEFINED,
        move || t.error().map_or(JsValue::NULL, JsValue::from),
    )
    .await
    .map(drop)
}

fn idb(e: JsValue) -> StoreError {
    store_error(&e)
}

/// A dataset as stored: a small JSON shell (source, names, roles,
/// dictionaries, problems) next to one `Blob` holding every column's
/// numbers and UTF-8 text as raw bytes, and the element count of each part.
///
/// A `Blob` is copied out of wasm memory in pieces and IndexedDB stores it
/// by reference: putting a record of plain typed arrays made the browser
/// structured-clone 60 MB inside `put`, one task of well over 100 ms.
/// [`decode`] still reads datasets stored that earlier way.
pub fn encode(data: &Dataset) -> JsValue {
    let mut packer = Packer::new(data);
    while packer.step(data) {}
    packer.finish()
}

/// Copied out of wasm memory at a time: a few milliseconds.
const PIECE_BYTES: usize = 4 << 20;

/// [`encode`] a piece at a time, so a page can spread saving a large
/// dataset over several tasks. Every [`Packer::step`] must get the same,
/// unchanged dataset.
pub struct Packer {
    shell: String,
    sizes: Array,
    pieces: Array,
    /// The part being copied, and how many of its elements are done.
    part: usize,
    done: usize,
}

/// A column's bulk data, one typed array's worth.
enum Part<'a> {
    F32(&'a [f32]),
    U32(&'a [u32]),
    U8(&'a [u8]),
    F64(&'a [f64]),
    /// An optional part that is not there (`day_first` once settled).
    Absent,
}

impl Part<'_> {
    fn len(&self) -> usize {
        match self {
            Part::F32(v) => v.len(),
            Part::U32(v) => v.len(),
            Part::U8(v) => v.len(),
            Part::F64(v) => v.len(),
            Part::Absent => 0,
        }
    }

    fn width(&self) -> usize {
        match self {
            Part::F32(_) | Part::U32(_) => 4,
            Part::U8(_) | Part::Absent => 1,
            Part::F64(_) => 8,
        }
    }

    /// Elements `from..to` as a typed array of their own: a copy, since a
    /// view into wasm memory is detached if the memory grows.
    fn copy(&self, from: usize, to: usize) -> JsValue {
        match self {
            Part::F32(v) => Float32Array::from(&v[from..to]).into(),
            Part::U32(v) => Uint32Array::from(&v[from..to]).into(),
            Part::U8(v) => Uint8Array::from(&v[from..to]).into(),
            Part::F64(v) => Float64Array::from(&v[from..to]).into(),
            Part::Absent => JsValue::NULL,
        }
    }
}

fn parts(data: &Dataset) -> Vec<Part<'_>> {
    let mut parts = Vec::new();
    for c in &data.columns {
        match &c.data {
            ColumnData::Score { values, .. } => parts.push(Part::F32(values)),
            ColumnData::Category { codes, .. } => parts.push(Part::U32(codes)),
            ColumnData::Text { text, ends } => {
                parts.push(Part::U8(text.as_bytes()));
                parts.push(Part::U32(ends));
            }
            ColumnData::Time(t) => {
                parts.push(Part::F64(&t.secs));
                parts.push(t.day_first.as_deref().map_or(Part::Absent, Part::F64));
            }
            ColumnData::Skipped => {}
        }
    }
    parts.push(Part::U32(&data.lines));
    parts
}

impl Packer {
    pub fn new(data: &Dataset) -> Packer {
        let columns = data
            .columns
            .iter()
            .map(|c| Column {
                name: c.name.clone(),
                field_id: c.field_id.clone(),
                role: c.role,
                data: shell_of(&c.data),
            })
            .collect();
        let shell = Dataset {
            source: data.source.clone(),
            columns,
            lines: Vec::new(),
            errors: data.errors.clone(),
        };
        let sizes = Array::new();
        for part in parts(data) {
            sizes.push(&match part {
                Part::Absent => JsValue::NULL,
                part => JsValue::from(part.len() as f64),
            });
        }
        Packer {
            shell: serde_json::to_string(&shell).expect("a dataset shell is plain data"),
            sizes,
            pieces: Array::new(),
            part: 0,
            done: 0,
        }
    }

    /// Copies the next piece of at most [`PIECE_BYTES`]; false once all
    /// are copied.
    pub fn step(&mut self, data: &Dataset) -> bool {
        let parts = parts(data);
        let Some(part) = parts.get(self.part) else {
            return false;
        };
        let len = part.len();
        let to = len.min(self.done + PIECE_BYTES / part.width());
        if to > self.done {
            let piece = part.copy(self.done, to);
            // A Blob per piece lets the copy be dropped now; should one
            // fail, the final Blob takes the typed array itself.
            match Blob::new_with_buffer_source_sequence(&Array::of1(&piece)) {
                Ok(blob) => self.pieces.push(&blob),
                Err(_) => self.pieces.push(&piece),
            };
        }
        self.done = to;
        if self.done == len {
            // Every part starts 8-byte aligned, so it can be viewed in
            // place as any typed array when read back.
            let pad = (8 - len * part.width() % 8) % 8;
            if pad > 0 {
                self.pieces.push(&Uint8Array::new_with_length(pad as u32));
            }
            self.part += 1;
            self.done = 0;
        }
        self.part < parts.len()
    }

    pub fn finish(self) -> JsValue {
        let stored = Object::new();
        let _ = Reflect::set(&stored, &"shell".into(), &self.shell.into());
        if let Ok(blob) = Blob::new_with_blob_sequence(&self.pieces) {
            let _ = Reflect::set(&stored, &"blob".into(), &blob);
        }
        let _ = Reflect::set(&stored, &"sizes".into(), &self.sizes);
        stored.into()
    }
}

/// A column without its bulk data, which goes into the Blob.
fn shell_of(data: &ColumnData) -> ColumnData {
    match data {
        ColumnData::Score { scale, .. } => ColumnData::Score {
            scale: *scale,
            values: Vec::new(),
        },
        ColumnData::Category { dictionary, .. } => ColumnData::Category {
            codes: Vec::new(),
            dictionary: dictionary.clone(),
        },
        ColumnData::Text { .. } => ColumnData::Text {
            text: String::new(),
            ends: Vec::new(),
        },
        ColumnData::Time(t) => ColumnData::Time(TimeColumn {
            secs: Vec::new(),
            order: t.order,
            day_first: None,
        }),
        ColumnData::Skipped => ColumnData::Skipped,
    }
}

/// Reads back what [`encode`] stored (or what earlier versions stored: one
/// typed array per part), checking every length and text boundary: stored
/// data can be damaged, and a bad offset must be an error here rather than
/// a panic when a cell is read later.
pub async fn decode(stored: &JsValue) -> Result<Dataset, String> {
    let blob = Reflect::get(stored, &"blob".into()).unwrap_or(JsValue::UNDEFINED);
    if blob.is_undefined() {
        return decode_parts(stored);
    }
    let blob: Blob = blob.dyn_into().map_err(|_| "its data is not a Blob")?;
    let buffer: ArrayBuffer = JsFuture::from(blob.array_buffer())
        .await
        .map_err(|_| "its data cannot be read")?
        .unchecked_into();
    decode_parts(&unpack(stored, &buffer)?)
}

/// Views the Blob's bytes as the typed arrays earlier versions stored, so
/// one set of checks covers both.
fn unpack(stored: &JsValue, buffer: &ArrayBuffer) -> Result<JsValue, String> {
    let get = |key: &str| Reflect::get(stored, &key.into()).unwrap_or(JsValue::UNDEFINED);
    let shell = get("shell").as_string().ok_or("it has no description")?;
    let shell: Dataset = serde_json::from_str(&shell).map_err(|e| e.to_string())?;
    let sizes: Array = get("sizes")
        .dyn_into()
        .map_err(|_| "its column sizes are missing")?;
    let mut sizes = sizes.iter();
    let mut offset = 0usize;
    let total = buffer.byte_length() as usize;
    let mut next = |width: usize| -> Result<Option<(u32, u32)>, String> {
        let size = sizes.next().ok_or("its column sizes are cut short")?;
        if size.is_null() {
            return Ok(None);
        }
        let len = size
            .as_f64()
            .filter(|n| n.fract() == 0.0 && *n >= 0.0)
            .ok_or("its column sizes are damaged")? as usize;
        let bytes = len
            .checked_mul(width)
            .ok_or("its column sizes are damaged")?;
        if offset.checked_add(bytes).is_none_or(|end| end > total) {
            return Err("its data is shorter than its column sizes".into());
        }
        let at = offset as u32;
        offset += bytes.div_ceil(8) * 8;
        Ok(Some((at, len as u32)))
    };
    let needed = |p: Option<(u32, u32)>| p.ok_or_else(|| "a column's data is missing".to_owned());
    let bulk = Array::new();
    for column in &shell.columns {
        let part: JsValue = match &column.data {
            ColumnData::Score { .. } => {
                let (at, len) = needed(next(4)?)?;
                Float32Array::new_with_byte_offset_and_length(buffer, at, len).into()
            }
            ColumnData::Category { .. } => {
                let (at, len) = needed(next(4)?)?;
                Uint32Array::new_with_byte_offset_and_length(buffer, at, len).into()
            }
            ColumnData::Text { .. } => {
                let (at, len) = needed(next(1)?)?;
                let text = Uint8Array::new_with_byte_offset_and_length(buffer, at, len);
                let (at, len) = needed(next(4)?)?;
                let ends = Uint32Array::new_with_byte_offset_and_length(buffer, at, len);
                Array::of2(&text, &ends).into()
            }
            ColumnData::Time(_) => {
                let (at, len) = needed(next(8)?)?;
                let secs = Float64Array::new_with_byte_offset_and_length(buffer, at, len);
                let day_first = next(8)?.map_or(JsValue::NULL, |(at, len)| {
                    Float64Array::new_with_byte_offset_and_length(buffer, at, len).into()
                });
                Array::of2(&secs, &day_first).into()
            }
            ColumnData::Skipped => JsValue::NULL,
        };
        bulk.push(&part);
    }
    let (at, len) = needed(next(4)?)?;
    let parts = Object::new();
    let _ = Reflect::set(&parts, &"shell".into(), &get("shell"));
    let _ = Reflect::set(&parts, &"bulk".into(), &bulk);
    let _ = Reflect::set(
        &parts,
        &"lines".into(),
        &Uint32Array::new_with_byte_offset_and_length(buffer, at, len),
    );
    Ok(parts.into())
}

/// Reads the shell and one typed array per part, checking them.
fn decode_parts(stored: &JsValue) -> Result<Dataset, String> {
    let get = |key: &str| Reflect::get(stored, &key.into()).unwrap_or(JsValue::UNDEFINED);
    let shell = get("shell").as_string().ok_or("it has no description")?;
    let mut data: Dataset = serde_json::from_str(&shell).map_err(|e| e.to_string())?;
    let lines = get("lines")
        .dyn_into::<Uint32Array>()
        .map_err(|_| "its row lines are missing")?
        .to_vec();
    let rows = lines.len();
    data.lines = lines;
    let bulk = get("bulk")
        .dyn_into::<Array>()
        .map_err(|_| "its columns are missing")?;
    if bulk.length() as usize != data.columns.len() {
        return Err("its columns do not match its description".into());
    }
    let sized = |n: usize, name: &str| {
        if n == rows {
            Ok(())
        } else {
            Err(format!("column {name:?} has {n} values for {rows} rows"))
        }
    };
    for (column, part) in data.columns.iter_mut().zip(bulk.iter()) {
        let name = column.name.clone();
        let missing = || format!("column {name:?} has no data");
        match &mut column.data {
            ColumnData::Score { values, .. } => {
                *values = part
                    .dyn_into::<Float32Array>()
                    .map_err(|_| missing())?
                    .to_vec();
                sized(values.len(), &name)?;
            }
            ColumnData::Category { codes, dictionary } => {
                *codes = part
                    .dyn_into::<Uint32Array>()
                    .map_err(|_| missing())?
                    .to_vec();
                sized(codes.len(), &name)?;
                if codes
                    .iter()
                    .any(|&c| c != MISSING && c as usize >= dictionary.len())
                {
                    return Err(format!("column {name:?} refers to values it does not have"));
                }
            }
            ColumnData::Text { text, ends } => {
                let part = part.dyn_into::<Array>().map_err(|_| missing())?;
                let bytes = part
                    .get(0)
                    .dyn_into::<Uint8Array>()
                    .map_err(|_| missing())?
                    .to_vec();
                *text = String::from_utf8(bytes)
                    .map_err(|_| format!("column {name:?} has damaged text"))?;
                *ends = part
                    .get(1)
                    .dyn_into::<Uint32Array>()
                    .map_err(|_| missing())?
                    .to_vec();
                sized(ends.len(), &name)?;
                let mut start = 0;
                for &end in ends.iter() {
                    let end = end as usize;
                    if end < start || !text.is_char_boundary(end) {
                        return Err(format!("column {name:?} has damaged text"));
                    }
                    start = end;
                }
            }
            ColumnData::Time(t) => {
                let part = part.dyn_into::<Array>().map_err(|_| missing())?;
                t.secs = part
                    .get(0)
                    .dyn_into::<Float64Array>()
                    .map_err(|_| missing())?
                    .to_vec();
                sized(t.secs.len(), &name)?;
                t.day_first = part
                    .get(1)
                    .dyn_into::<Float64Array>()
                    .ok()
                    .map(|d| d.to_vec());
                if let Some(d) = &t.day_first {
                    sized(d.len(), &name)?;
                }
            }
            ColumnData::Skipped => {}
        }
    }
    Ok(data)
}

pub struct DatasetStore {
    db: IdbDatabase,
}

impl DatasetStore {
    pub async fn open() -> Result<DatasetStore, StoreError> {
        let factory = web_sys::window()
            .ok_or_else(|| StoreError::Unavailable("no window".into()))?
            .indexed_db()
            .map_err(idb)?
            .ok_or_else(|| StoreError::Unavailable("the browser provides no IndexedDB".into()))?;
        let open = factory.open_with_u32(DB_NAME, 1).map_err(idb)?;
        let upgrading = open.clone();
        let on_upgrade = Closure::once_into_js(move |_: web_sys::Event| {
            if let Ok(db) = upgrading.result().and_then(|r| r.dyn_into::<IdbDatabase>()) {
                let _ = db.create_object_store(META);
                let _ = db.create_object_store(DATA);
            }
        });
        open.set_onupgradeneeded(Some(on_upgrade.unchecked_ref()));
        let db = request(open.into()).await?;
        Ok(DatasetStore {
            db: db.unchecked_into(),
        })
    }

    fn transaction(&self, mode: IdbTransactionMode) -> Result<IdbTransaction, StoreError> {
        let stores = Array::of2(&META.into(), &DATA.into());
        self.db
            .transaction_with_str_sequence_and_mode(&stores, mode)
            .map_err(idb)
    }

    /// Every stored dataset's entry. An entry that does not parse is named
    /// in the error list rather than dropped silently.
    pub async fn list(&self) -> Result<(Vec<DatasetMeta>, Vec<String>), StoreError> {
        let tx = self.transaction(IdbTransactionMode::Readonly)?;
        let store = tx.object_store(META).map_err(idb)?;
        let (keys, values) = (
            request(store.get_all_keys().map_err(idb)?).await?,
            request(store.get_all().map_err(idb)?).await?,
        );
        let mut metas = Vec::new();
        let mut unreadable = Vec::new();
        let (keys, values): (Array, Array) = (keys.unchecked_into(), values.unchecked_into());
        for (key, raw) in keys.iter().zip(values.iter()) {
            match raw
                .as_string()
                .and_then(|raw| serde_json::from_str::<DatasetMeta>(&raw).ok())
            {
                Some(meta) => metas.push(meta),
                None => unreadable.push(key.as_string().unwrap_or_default()),
            }
        }
        Ok((metas, unreadable))
    }

    /// Stores a dataset (as made by [`encode`]) and its entry together,
    /// replacing the datasets in `replaces` (an earlier import of the same
    /// file) in the same step.
    pub async fn save(
        &self,
        meta: &DatasetMeta,
        data_raw: JsValue,
        replaces: &[String],
    ) -> Result<(), StoreError> {
        let meta_raw = serde_json::to_string(meta).map_err(|e| StoreError::Other(e.to_string()))?;
        let tx = self.transaction(IdbTransactionMode::Readwrite)?;
        let (metas, datas) = (
            tx.object_store(META).map_err(idb)?,
            tx.object_store(DATA).map_err(idb)?,
        );
        for old in replaces {
            metas.delete(&old.into()).map_err(idb)?;
            datas.delete(&old.into()).map_err(idb)?;
        }
        let key = JsValue::from_str(&meta.id);
        metas.put_with_key(&meta_raw.into(), &key).map_err(idb)?;
        datas.put_with_key(&data_raw, &key).map_err(idb)?;
        committed(tx).await
    }

    /// A stored dataset as a backup file keeps it. One stored the earlier
    /// way (a typed array per part) is packed afresh, so a backup holds one
    /// layout only.
    pub async fn packed(&self, meta: &DatasetMeta) -> Result<PackedDataset, StoreError> {
        let unreadable = |e: &str| {
            StoreError::Other(format!(
                "stored dataset \"{}\" cannot be read: {e}",
                meta.name
            ))
        };
        let tx = self.transaction(IdbTransactionMode::Readonly)?;
        let mut raw = request(
            tx.object_store(DATA)
                .map_err(idb)?
                .get(&meta.id.as_str().into())
                .map_err(idb)?,
        )
        .await?;
        if raw.is_undefined() {
            return Err(unreadable("it has no data"));
        }
        let get =
            |raw: &JsValue, key: &str| Reflect::get(raw, &key.into()).unwrap_or(JsValue::UNDEFINED);
        if get(&raw, "blob").is_undefined() {
            raw = encode(&decode(&raw).await.map_err(|e| unreadable(&e))?);
        }
        let shell = get(&raw, "shell")
            .as_string()
            .ok_or_else(|| unreadable("it has no description"))?;
        let shell: Dataset =
            serde_json::from_str(&shell).map_err(|e| unreadable(&e.to_string()))?;
        let sizes: Vec<Option<u64>> = get(&raw, "sizes")
            .dyn_into::<Array>()
            .map_err(|_| unreadable("its column sizes are missing"))?
            .iter()
            .map(|n| n.as_f64().map(|n| n as u64))
            .collect();
        let blob: Blob = get(&raw, "blob")
            .dyn_into()
            .map_err(|_| unreadable("its data is not a Blob"))?;
        let buffer = JsFuture::from(blob.array_buffer())
            .await
            .map_err(|_| unreadable("its data cannot be read"))?;
        Ok(PackedDataset {
            meta: meta.clone(),
            shell,
            sizes,
            bytes: Uint8Array::new(&buffer).to_vec(),
        })
    }

    /// Bytes the stored datasets' data takes, read without loading it (a
    /// Blob knows its size); datasets stored the earlier way count their
    /// file's size.
    pub async fn stored_bytes(&self, metas: &[DatasetMeta]) -> Result<u64, StoreError> {
        let tx = self.transaction(IdbTransactionMode::Readonly)?;
        let store = tx.object_store(DATA).map_err(idb)?;
        let mut total = 0u64;
        for meta in metas {
            let raw = request(store.get(&meta.id.as_str().into()).map_err(idb)?).await?;
            let blob = Reflect::get(&raw, &"blob".into()).unwrap_or(JsValue::UNDEFINED);
            total += match blob.dyn_into::<Blob>() {
                Ok(blob) => blob.size() as u64,
                Err(_) => meta.file_bytes as u64,
            };
        }
        Ok(total)
    }

    /// Stores a dataset from a backup under `meta` (which may give it a new
    /// id or map), in the layout [`encode`] writes.
    pub async fn save_packed(
        &self,
        meta: &DatasetMeta,
        d: &PackedDataset,
    ) -> Result<(), StoreError> {
        let record = Object::new();
        let shell =
            serde_json::to_string(&d.shell).map_err(|e| StoreError::Other(e.to_string()))?;
        let _ = Reflect::set(&record, &"shell".into(), &shell.into());
        let bytes = Uint8Array::from(&d.bytes[..]);
        let blob = Blob::new_with_u8_array_sequence(&Array::of1(&bytes)).map_err(idb)?;
        let _ = Reflect::set(&record, &"blob".into(), &blob);
        let sizes: Array = d
            .sizes
            .iter()
            .map(|n| n.map_or(JsValue::NULL, |n| JsValue::from(n as f64)))
            .collect();
        let _ = Reflect::set(&record, &"sizes".into(), &sizes);
        self.save(meta, record.into(), &[]).await
    }

    pub async fn load(&self, id: &str) -> Result<Option<Dataset>, StoreError> {
        let tx = self.transaction(IdbTransactionMode::Readonly)?;
        let raw = request(
            tx.object_store(DATA)
                .map_err(idb)?
                .get(&id.into())
                .map_err(idb)?,
        )
        .await?;
        if raw.is_undefined() {
            return Ok(None);
        }
        decode(&raw)
            .await
            .map(Some)
            .map_err(|e| StoreError::Other(format!("stored dataset {id} cannot be read: {e}")))
    }

    pub async fn rename(&self, meta: &DatasetMeta, name: &str) -> Result<(), StoreError> {
        let renamed = DatasetMeta {
            name: name.to_owned(),
            ..meta.clone()
        };
        let raw = serde_json::to_string(&renamed).map_err(|e| StoreError::Other(e.to_string()))?;
        let tx = self.transaction(IdbTransactionMode::Readwrite)?;
        tx.object_store(META)
            .map_err(idb)?
            .put_with_key(&raw.into(), &meta.id.as_str().into())
            .map_err(idb)?;
        committed(tx).await
    }

    /// Deletes a dataset, handing back what undo needs to restore it.
    pub async fn delete(&self, meta: &DatasetMeta) -> Result<Removed, StoreError> {
        let key = JsValue::from_str(&meta.id);
        let tx = self.transaction(IdbTransactionMode::Readwrite)?;
        let (metas, datas) = (
            tx.object_store(META).map_err(idb)?,
            tx.object_store(DATA).map_err(idb)?,
        );
        let meta_raw = request(metas.get(&key).map_err(idb)?).await?;
        let data_raw = request(datas.get(&key).map_err(idb)?).await?;
        metas.delete(&key).map_err(idb)?;
        datas.delete(&key).map_err(idb)?;
        committed(tx).await?;
        Ok(Removed {
            meta: meta.clone(),
            meta_raw,
            data_raw,
        })
    }

    pub async fn restore(&self, removed: &Removed) -> Result<(), StoreError> {
        let key = JsValue::from_str(&removed.meta.id);
        let tx = self.transaction(IdbTransactionMode::Readwrite)?;
        tx.object_store(META)
            .map_err(idb)?
            .put_with_key(&removed.meta_raw, &key)
            .map_err(idb)?;
        tx.object_store(DATA)
            .map_err(idb)?
            .put_with_key(&removed.data_raw, &key)
            .map_err(idb)?;
        committed(tx).await
    }
}
