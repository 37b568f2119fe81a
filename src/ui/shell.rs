//! The first-load shell: what a first visit downloads.
//!
//! A visit usually starts at the library, but the whole app's wasm (the
//! editor, import, insights, charts) is about twice what the library needs.
//! trunk 0.21 cannot split one module, so the release build makes two from
//! the same library crate: this shell (`src/bin/waymark-shell.rs`), which
//! shows the library page itself, and the whole app (`src/main.rs`), which
//! the shell fetches when any other page is opened. The whole app then
//! mounts in the shell's place and serves every page from there on, the
//! library included, so the hand-over happens once per visit.
//!
//! `.ci/post-build.mjs` names the whole app's files after their contents
//! and writes their names into `index.html` (a `waymark-app` meta tag), so
//! a new release is never mixed with a cached old one. The single-file
//! build carries the whole app only and never runs this shell.

use std::any::Any;
use std::cell::RefCell;

use js_sys::{Object, Promise, Reflect};
use leptos::prelude::*;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

use super::state::AppState;
use super::{library, offline, App};
use crate::route::Route;

thread_local! {
    /// The shell's mounted view, dropped (unmounted) once the whole app
    /// has mounted beside it.
    static MOUNTED: RefCell<Option<Box<dyn Any>>> = const { RefCell::new(None) };
}

/// Starts the shell.
pub fn mount() {
    console_error_panic_hook::set_once();
    let handle = leptos::mount::mount_to(document().body().expect("a page has a body"), || {
        provide_context(AppLoad {
            started: StoredValue::new(false),
            failed: RwSignal::new(None),
        });
        view! { <App pages=shell_pages /> }
    });
    MOUNTED.with_borrow_mut(|m| *m = Some(Box::new(handle)));
}

/// Without storage, maps live in the tab's memory, which the whole app
/// could not take over: then it is loaded at once, before any map is made.
fn shell_pages(route: Route) -> AnyView {
    let saving = expect_context::<AppState>()
        .memory_only
        .with_untracked(Option::is_none);
    match route {
        Route::Library if saving => library::Library().into_any(),
        _ => HandOver().into_any(),
    }
}

/// Where the whole app's glue and wasm are: from the meta tag the release
/// build writes, or trunk's own names in a debug build.
fn app_files() -> (String, String) {
    let named = document()
        .query_selector("meta[name=waymark-app]")
        .ok()
        .flatten()
        .and_then(|m| m.get_attribute("content"));
    match named.as_deref().and_then(|c| c.split_once(' ')) {
        Some((glue, wasm)) => (glue.to_owned(), wasm.to_owned()),
        None => ("./waymark.js".to_owned(), "./waymark_bg.wasm".to_owned()),
    }
}

/// The whole app's loading, started once however many pages are opened
/// while it loads.
#[derive(Clone, Copy)]
struct AppLoad {
    started: StoredValue<bool>,
    /// Why it could not load.
    failed: RwSignal<Option<String>>,
}

/// Shown while the whole app loads, or why it could not.
#[component]
fn HandOver() -> impl IntoView {
    let AppLoad { started, failed } = expect_context();
    if !started.get_value() {
        started.set_value(true);
        load(failed);
    }
    view! {
        <section class="page empty" aria-busy=move || failed.with(Option::is_none).to_string()>
            {move || match failed.get() {
                None => view! { <p role="status" data-testid="app-loading">"Opening…"</p> }.into_any(),
                Some(reason) => view! {
                    <h1>"Waymark could not load this page"</h1>
                    <p data-testid="app-load-error">{reason}</p>
                    <p>"Your maps are saved in this browser. Check the connection and try again."</p>
                    <button class="primary" on:click=|_| {
                        let _ = window().location().reload();
                    }>"Try again"</button>
                }
                .into_any(),
            }}
        </section>
    }
}

/// Saves what the library has not saved yet, since the whole app reads the
/// same storage, then loads it.
fn load(failed: RwSignal<Option<String>>) {
    let state = expect_context::<AppState>();
    state.flush();
    state.flush_workspace();
    offline::hand_over();
    leptos::task::spawn_local(async move {
        match start_app().await {
            Ok(()) => {
                // Both views are in the page only until this task ends; no
                // frame is drawn in between.
                MOUNTED.with_borrow_mut(|m| m.take());
            }
            Err(e) => {
                web_sys::console::error_2(&"Waymark could not start:".into(), &e);
                let reason = e
                    .dyn_ref::<js_sys::Error>()
                    .map(|e| String::from(e.message()))
                    .or_else(|| e.as_string())
                    .unwrap_or_else(|| "the network request failed".to_owned());
                failed.try_set(Some(reason));
            }
        }
    });
}

/// Loads the whole app's glue (a classic script defining `wasm_bindgen`)
/// and instantiates its wasm, which runs its `main` and mounts it.
async fn start_app() -> Result<(), JsValue> {
    let (glue, wasm) = app_files();
    let script = document()
        .create_element("script")?
        .dyn_into::<web_sys::HtmlScriptElement>()?;
    script.set_src(&glue);
    let loaded = Promise::new(&mut |resolve, reject| {
        script.set_onload(Some(&resolve));
        let reject = reject.clone();
        let glue = glue.clone();
        let on_error = Closure::once_into_js(move || {
            let _ = reject.call1(
                &JsValue::NULL,
                &js_sys::Error::new(&format!("{glue} did not load")),
            );
        });
        script.set_onerror(Some(on_error.unchecked_ref()));
    });
    document()
        .head()
        .ok_or_else(|| JsValue::from_str("the page has no head"))?
        .append_child(&script)?;
    JsFuture::from(loaded).await?;
    let options = Object::new();
    Reflect::set(&options, &"module_or_path".into(), &wasm.into())?;
    JsFuture::from(init_app(&options)?).await?;
    Ok(())
}

#[wasm_bindgen]
extern "C" {
    /// The whole app's init, which its glue declares with a top-level
    /// `let`: a global binding but no property of `window`.
    #[wasm_bindgen(js_name = wasm_bindgen, catch)]
    fn init_app(options: &Object) -> Result<Promise, JsValue>;
}
