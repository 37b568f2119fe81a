//! The installable offline app: registering the service worker the release
//! build writes (`.ci/post-build.mjs`), and telling the user when a new
//! release has been cached and a reload will use it.
//!
//! A service worker needs a secure context (https, or http on localhost);
//! from `file://` and plain http elsewhere the app simply runs without one.
//! Debug builds have no worker file, so registration fails there, quietly.

use std::cell::Cell;

use leptos::prelude::*;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

thread_local! {
    /// Set when this module hands the page over to another that registers
    /// the worker itself (the first-load shell to the whole app).
    static HANDED_OVER: Cell<bool> = const { Cell::new(false) };
}

/// How long after the first frame the worker is registered.
const INSTALL_PAUSE: std::time::Duration = std::time::Duration::from_secs(1);

/// Leaves registering to the module taking the page over, after its own
/// first frame: installing then does not download the app a second time
/// while the page is still fetching it.
pub fn hand_over() {
    HANDED_OVER.set(true);
}

/// Registers the worker and returns a signal that turns true once a newer
/// release has taken over this page's worker.
pub fn register() -> ReadSignal<bool> {
    let (update_ready, set_update_ready) = signal(false);
    let Some(window) = web_sys::window() else {
        return update_ready;
    };
    if !window.is_secure_context() {
        return update_ready;
    }
    let container = window.navigator().service_worker();
    // The first controller a page gets is this release's worker taking
    // over after a first visit, not an update; every later change is.
    let had_controller = std::cell::Cell::new(container.controller().is_some());
    let on_change = Closure::<dyn FnMut()>::new(move || {
        if had_controller.replace(true) {
            set_update_ready.set(true);
        }
    });
    container.set_oncontrollerchange(Some(on_change.as_ref().unchecked_ref()));
    on_change.forget();
    // Registering competed with the page's own start on this 2-core
    // machine, most of all on a repeat visit, where it checks the server for
    // a newer release: registered a second after the first frame, the
    // repeat visit to a library of 50 maps fell from 387 to 263 ms (median,
    // with trunk's loader also made async in .ci/post-build.mjs).
    // On a first visit, installing caches the whole app, about 4 MB; there
    // the median fell from 523 to 446 ms (9 visits each, alternating). The
    // pause also keeps the install out of a map opened at once, which
    // fetches the same 3 MB module. A page handed over whose new module
    // then fails to load registers nothing this visit: the network that
    // failed it would fail the install too.
    request_animation_frame(move || {
        set_timeout(
            move || {
                if HANDED_OVER.get() {
                    return;
                }
                let registering = container.register("./service-worker.js");
                wasm_bindgen_futures::spawn_local(async move {
                    if let Err(e) = wasm_bindgen_futures::JsFuture::from(registering).await {
                        web_sys::console::info_2(
                            &"Waymark runs without offline support here:".into(),
                            &e,
                        );
                    }
                });
            },
            INSTALL_PAUSE,
        );
    });
    update_ready
}

/// A quiet line at the top once a new release is ready; nothing is lost by
/// reloading, since every change is already saved in this browser.
#[component]
pub fn UpdateBanner(ready: ReadSignal<bool>) -> impl IntoView {
    move || {
        ready.get().then(|| {
            view! {
                <div class="banner info" role="status" data-testid="update-ready">
                    <span>"A new version of Waymark is ready. Your maps are saved."</span>
                    <button class="primary" on:click=|_| {
                        if let Some(w) = web_sys::window() {
                            let _ = w.location().reload();
                        }
                    }>"Reload to update"</button>
                </div>
            }
        })
    }
}
