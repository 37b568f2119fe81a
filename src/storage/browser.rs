//! localStorage as a [`KeyValue`] store, and the fallback when the browser
//! has none.

use gloo_storage::{LocalStorage, Storage};
use wasm_bindgen::JsValue;

use super::{KeyValue, MemoryStore, StoreError};

/// Where this tab keeps its maps.
pub enum Backend {
    Local(web_sys::Storage),
    /// Storage is unavailable; maps last as long as the tab.
    Memory(MemoryStore),
}

impl Backend {
    /// Opens localStorage, or falls back to memory with the reason. Probes
    /// with a real write: some browsers hand out a storage object that
    /// throws on every write.
    pub fn open() -> (Backend, Option<StoreError>) {
        match probe() {
            Ok(storage) => (Backend::Local(storage), None),
            Err(e) => (Backend::Memory(MemoryStore::new()), Some(e)),
        }
    }
}

fn probe() -> Result<web_sys::Storage, StoreError> {
    let window = web_sys::window().ok_or_else(|| StoreError::Unavailable("no window".into()))?;
    // gloo's LocalStorage::raw() panics when storage is missing, so ask
    // the window first.
    match window.local_storage() {
        Ok(Some(_)) => {}
        Ok(None) => return Err(StoreError::Unavailable("the browser provides none".into())),
        Err(e) => return Err(StoreError::Unavailable(js_message(&e))),
    }
    let storage = LocalStorage::raw();
    let probe_key = format!("{}probe", super::PREFIX);
    storage.set_item(&probe_key, "1").map_err(convert)?;
    storage.remove_item(&probe_key).map_err(convert)?;
    Ok(storage)
}

/// The `name` and `message` of a thrown DOMException.
fn js_error(e: &JsValue) -> (String, String) {
    let get = |k: &str| {
        js_sys::Reflect::get(e, &JsValue::from_str(k))
            .ok()
            .and_then(|v| v.as_string())
            .unwrap_or_default()
    };
    (get("name"), get("message"))
}

fn js_message(e: &JsValue) -> String {
    let (name, message) = js_error(e);
    format!("{name}: {message}")
}

fn convert(e: JsValue) -> StoreError {
    match js_error(&e) {
        (name, _) if name == "QuotaExceededError" => StoreError::QuotaExceeded,
        (name, message) => StoreError::Other(format!("{name}: {message}")),
    }
}

impl KeyValue for Backend {
    fn get(&self, key: &str) -> Result<Option<String>, StoreError> {
        match self {
            Backend::Local(s) => s.get_item(key).map_err(convert),
            Backend::Memory(m) => m.get(key),
        }
    }

    fn set(&mut self, key: &str, value: &str) -> Result<(), StoreError> {
        match self {
            Backend::Local(s) => s.set_item(key, value).map_err(convert),
            Backend::Memory(m) => m.set(key, value),
        }
    }

    fn remove(&mut self, key: &str) -> Result<(), StoreError> {
        match self {
            Backend::Local(s) => s.remove_item(key).map_err(convert),
            Backend::Memory(m) => m.remove(key),
        }
    }

    fn keys(&self) -> Result<Vec<String>, StoreError> {
        match self {
            Backend::Local(s) => {
                let n = s.length().map_err(convert)?;
                let mut keys = Vec::with_capacity(n as usize);
                for i in 0..n {
                    if let Some(k) = s.key(i).map_err(convert)? {
                        if k.starts_with(super::PREFIX) {
                            keys.push(k);
                        }
                    }
                }
                Ok(keys)
            }
            Backend::Memory(m) => m.keys(),
        }
    }
}

pub fn now_ms() -> f64 {
    js_sys::Date::now()
}

/// A random id, for maps and for telling this tab's saves from others'.
pub fn random_id(prefix: &str) -> String {
    let a = (js_sys::Math::random() * 2f64.powi(52)) as u64;
    let b = js_sys::Date::now() as u64;
    format!("{prefix}{}{}", radix36(b), radix36(a))
}

fn radix36(mut n: u64) -> String {
    const DIGITS: &[u8] = b"0123456789abcdefghijklmnopqrstuvwxyz";
    let mut out = Vec::new();
    loop {
        out.push(DIGITS[(n % 36) as usize]);
        n /= 36;
        if n == 0 {
            break;
        }
    }
    out.reverse();
    String::from_utf8(out).expect("ascii digits")
}
