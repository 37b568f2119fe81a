//! The Leptos UI. Components hold signals and call the core; anything worth
//! testing without a browser lives outside this module.

pub mod backup;
pub mod editor;
pub mod import;
pub mod insights;
pub mod library;
pub mod map_view;
pub mod notices;
pub mod personas;
pub mod personas_page;
pub mod state;

use leptos::ev;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::route::Route;
use state::{current_route, AppState};

pub fn mount() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(App);
}

#[component]
pub fn App() -> impl IntoView {
    let state = AppState::open();
    provide_context(state);
    import::rehearse_after_start();

    let listeners = [
        // Hash changes come from links, back/forward and typed URLs alike.
        window_event_listener(ev::hashchange, move |_| state.set_route(current_route())),
        // Another tab saved or deleted something.
        window_event_listener(ev::storage, move |e: web_sys::StorageEvent| {
            if let Some(key) = e.key() {
                state.external_change(&key, e.new_value());
            }
        }),
        // A closing or backgrounded tab may never run its autosave timer.
        window_event_listener(ev::pagehide, move |_| {
            state.flush();
            state.flush_workspace();
        }),
        window_event_listener(ev::visibilitychange, move |_| {
            let hidden = web_sys::window()
                .and_then(|w| w.document())
                .map(|d| d.visibility_state() == web_sys::VisibilityState::Hidden)
                .unwrap_or(false);
            if hidden {
                state.flush();
                state.flush_workspace();
            }
        }),
    ];
    on_cleanup(move || {
        state.flush();
        state.flush_workspace();
        listeners.into_iter().for_each(|l| l.remove());
    });

    // Opening another persona changes the route but not the page: the
    // personas page follows the selection itself, so it is not rebuilt
    // (and does not reload every map) for each one.
    let page = Memo::new(move |_| match state.route.get() {
        Route::Personas(_) => Route::Personas(None),
        other => other,
    });
    let view = move || match page.get() {
        Route::Library => library::Library().into_any(),
        Route::Personas(_) => personas_page::PersonasPage().into_any(),
        Route::Map(id) => view! { <map_view::MapView id=id /> }.into_any(),
        Route::Import(id) => view! { <import::ImportPage id=id /> }.into_any(),
        Route::Insights(id) => view! { <insights::dashboard::DashboardPage id=id /> }.into_any(),
        Route::NotFound(hash) => view! {
            <section class="page empty">
                <h1>"Nothing here"</h1>
                <p>"The link " <code>{hash}</code> " does not point to anything in Waymark."</p>
                <a class="button primary" href="#/">"Go to your maps"</a>
            </section>
        }
        .into_any(),
    };

    view! {
        <a class="skip-link" href="#main">"Skip to content"</a>
        <header class="topbar">
            <a class="brand" href="#/" aria-label="Waymark home">
                <span class="brand-mark" aria-hidden="true"></span>
                "Waymark"
            </a>
            <nav class="topbar-nav" aria-label="Workspace">
                <a href="#/" aria-current=move || (page.get() == Route::Library).then_some("page")>"Maps"</a>
                <a href=Route::Personas(None).hash() aria-current=move || matches!(page.get(), Route::Personas(_)).then_some("page")>"Personas"</a>
            </nav>
            <span class="topbar-note">"Your maps never leave this browser."</span>
        </header>
        <notices::StorageBanner />
        <main id="main" tabindex="-1">{view}</main>
        <notices::Notices />
    }
}

/// What a map's pages show instead of the map: why it could not be read
/// (`error`), or that it does not exist.
pub fn map_unavailable(error: Option<String>) -> AnyView {
    match error {
        Some(err) => view! {
            <section class="page empty" data-testid="load-error">
                <h1>"This map cannot be opened"</h1>
                <p>{err}</p>
                <a class="button primary" href="#/">"Back to your maps"</a>
            </section>
        }
        .into_any(),
        None => view! {
            <section class="page empty">
                <h1>"Map not found"</h1>
                <a class="button primary" href="#/">"Back to your maps"</a>
            </section>
        }
        .into_any(),
    }
}

/// The inline form a listed item (a map, a dataset) is renamed in. Enter
/// or Save commits the draft, Escape gives up; either way the form closes.
#[component]
pub fn RenameForm(
    /// The input's accessible name, e.g. "Map name".
    label: &'static str,
    draft: RwSignal<String>,
    renaming: RwSignal<bool>,
    #[prop(into)] commit: Callback<String>,
    #[prop(optional)] testid: Option<&'static str>,
) -> impl IntoView {
    view! {
        <form
            class="inline"
            on:submit=move |ev| {
                ev.prevent_default();
                renaming.set(false);
                commit.run(draft.get_untracked());
            }
        >
            <input
                type="text"
                aria-label=label
                data-testid=testid
                prop:value=move || draft.get()
                on:input=move |ev| draft.set(input_value(&ev))
                on:keydown=move |ev| {
                    if ev.key() == "Escape" {
                        renaming.set(false);
                    }
                }
                autofocus
            />
            <button type="submit" class="primary">"Save"</button>
        </form>
    }
}

/// The value of an `<input>` behind an event.
pub fn input_value(ev: &ev::Event) -> String {
    ev.target()
        .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
        .map(|i| i.value())
        .unwrap_or_default()
}

/// Offers `text` as a file download, without any network.
pub fn download(filename: &str, mime: &str, text: &str) {
    let parts = js_sys::Array::of1(&wasm_bindgen::JsValue::from_str(text));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime);
    let Ok(blob) = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options) else {
        return;
    };
    let Ok(url) = web_sys::Url::create_object_url_with_blob(&blob) else {
        return;
    };
    if let Some(a) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.create_element("a").ok())
        .and_then(|e| e.dyn_into::<web_sys::HtmlAnchorElement>().ok())
    {
        a.set_href(&url);
        a.set_download(filename);
        a.click();
    }
    let _ = web_sys::Url::revoke_object_url(&url);
}
