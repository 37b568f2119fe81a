//! Asking the browser to keep the workspace. Without it, storage is "best
//! effort": the browser may clear it to free space, and Safari clears a
//! site's storage after seven days without a visit. `navigator.storage` is
//! reached through `Reflect` because it is missing in some browsers and
//! contexts, and a missing one must read as "unknown", never as an error.

use js_sys::{Function, Promise, Reflect};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

async fn call(method: &str) -> Option<bool> {
    let window: JsValue = web_sys::window()?.into();
    let navigator = Reflect::get(&window, &"navigator".into()).ok()?;
    let storage = Reflect::get(&navigator, &"storage".into())
        .ok()
        .filter(|s| s.is_object())?;
    let method: Function = Reflect::get(&storage, &method.into())
        .ok()?
        .dyn_into()
        .ok()?;
    let promise: Promise = method.call0(&storage).ok()?.dyn_into().ok()?;
    JsFuture::from(promise).await.ok()?.as_bool()
}

/// Whether the browser has granted persistent storage; `None` when it
/// cannot say.
pub async fn persisted() -> Option<bool> {
    call("persisted").await
}

/// Asks for persistent storage (some browsers ask the user); the answer,
/// or `None` when the browser has no such request.
pub async fn persist() -> Option<bool> {
    call("persist").await
}
