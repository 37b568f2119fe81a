//! What the browser test binaries share: reaching the page, waiting for the
//! UI, finding elements and acting on them as a user would. Each binary uses
//! a different part of it, hence the `dead_code` allowance.
#![allow(dead_code)]

use leptos::mount::UnmountHandle;
use leptos::prelude::Mountable;
use wasm_bindgen::JsCast;
use waymark::model::{Id, JourneyMap};
use waymark::templates;
use web_sys::{HtmlElement, HtmlInputElement};

pub fn window() -> web_sys::Window {
    web_sys::window().unwrap()
}

pub fn document() -> web_sys::Document {
    window().document().unwrap()
}

pub fn storage() -> web_sys::Storage {
    window().local_storage().unwrap().unwrap()
}

/// Mounts the app in a new element of the page, at whatever route the
/// location's hash names.
pub fn mount_app() -> (HtmlElement, UnmountHandle<impl Mountable>) {
    let host: HtmlElement = document().create_element("div").unwrap().unchecked_into();
    document().body().unwrap().append_child(&host).unwrap();
    let handle = leptos::mount::mount_to(host.clone(), waymark::ui::WholeApp);
    (host, handle)
}

/// Removes Waymark's keys (and the fillers quota tests write): all tests of
/// a binary share one page and one localStorage.
pub fn clear_waymark() {
    let s = storage();
    let keys: Vec<String> = (0..s.length().unwrap())
        .filter_map(|i| s.key(i).unwrap())
        .collect();
    for k in keys {
        if k.starts_with("waymark.") || k.starts_with("filler.") {
            s.remove_item(&k).unwrap();
        }
    }
}

pub fn retail(id: &str) -> JourneyMap {
    (templates::template("retail").unwrap().build)(Id::new(id), 1_000.0)
}

pub async fn sleep(ms: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        window()
            .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms)
            .unwrap();
    });
    wasm_bindgen_futures::JsFuture::from(promise).await.unwrap();
}

/// Waits up to three seconds for a condition the UI reaches
/// asynchronously, failing with `what`.
pub async fn until(what: &str, mut cond: impl FnMut() -> bool) {
    for _ in 0..150 {
        if cond() {
            return;
        }
        sleep(20).await;
    }
    panic!("timed out waiting for: {what}");
}

pub fn query(root: &HtmlElement, selector: &str) -> Option<HtmlElement> {
    root.query_selector(selector)
        .unwrap()
        .map(|e| e.unchecked_into())
}

pub fn one(root: &HtmlElement, selector: &str) -> HtmlElement {
    query(root, selector).unwrap_or_else(|| panic!("nothing matches {selector}"))
}

pub fn all(root: &HtmlElement, selector: &str) -> Vec<HtmlElement> {
    let list = root.query_selector_all(selector).unwrap();
    (0..list.length())
        .filter_map(|i| list.item(i))
        .map(|n| n.unchecked_into())
        .collect()
}

pub fn count(root: &HtmlElement, selector: &str) -> u32 {
    root.query_selector_all(selector).unwrap().length()
}

pub fn by_label(root: &HtmlElement, label: &str) -> HtmlElement {
    one(root, &format!("[aria-label=\"{label}\"]"))
}

pub fn button(root: &HtmlElement, text: &str) -> HtmlElement {
    all(root, "button")
        .into_iter()
        .find(|b| b.text_content().unwrap_or_default().trim() == text)
        .unwrap_or_else(|| panic!("no button {text:?}"))
}

/// Sets an input's or textarea's value and fires `input`, as typing does.
pub fn type_into(input: &HtmlElement, text: &str) {
    match input.clone().dyn_into::<HtmlInputElement>() {
        Ok(i) => i.set_value(text),
        Err(e) => e
            .unchecked_into::<web_sys::HtmlTextAreaElement>()
            .set_value(text),
    }
    let init = web_sys::EventInit::new();
    init.set_bubbles(true);
    input
        .dispatch_event(&web_sys::Event::new_with_event_init_dict("input", &init).unwrap())
        .unwrap();
}

/// Dispatches a keydown the way a keyboard would, e.g. `("ArrowRight",
/// "altKey")`.
pub fn press(target: &HtmlElement, key: &str, modifier: &str) {
    let event: web_sys::Event = js_sys::eval(&format!(
        "new KeyboardEvent('keydown', {{ key: '{key}', {modifier}: true, bubbles: true, cancelable: true }})"
    ))
    .unwrap()
    .unchecked_into();
    target.dispatch_event(&event).unwrap();
}

/// Dispatches a keydown of `key` alone, e.g. `"Enter"` or `"Escape"`.
pub fn key(target: &HtmlElement, key: &str) {
    let event: web_sys::Event = js_sys::eval(&format!(
        "new KeyboardEvent('keydown', {{ key: '{key}', bubbles: true, cancelable: true }})"
    ))
    .unwrap()
    .unchecked_into();
    target.dispatch_event(&event).unwrap();
}

/// Dispatches one drag-and-drop event (`dragstart`, `dragover`, `drop`…)
/// carrying a fresh `DataTransfer`.
pub fn drag(target: &HtmlElement, kind: &str) {
    let event: web_sys::Event = js_sys::eval(&format!(
        "new DragEvent('{kind}', {{ bubbles: true, cancelable: true, dataTransfer: new DataTransfer() }})"
    ))
    .unwrap()
    .unchecked_into();
    target.dispatch_event(&event).unwrap();
}
