//! The Leptos UI. Components hold signals and call the core; anything worth
//! testing without a browser lives outside this module.

pub mod backup;
pub mod editor;
pub mod export;
pub mod import;
pub mod insights;
pub mod library;
pub mod local_time;
pub mod map_view;
pub mod notices;
pub mod offline;
pub mod personas;
pub mod personas_page;
pub mod shell;
pub mod state;
pub mod transfer;
pub mod voice;
pub mod web_worker;

use leptos::ev;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::route::Route;
use state::{current_route, AppState};

/// Starts the whole app: every page, and the import's warm-up.
pub fn mount() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(|| {
        import::rehearse_after_start();
        WholeApp()
    });
}

/// Every page of the app.
#[component]
pub fn WholeApp() -> impl IntoView {
    view! { <App pages=all_pages /> }
}

/// What a build shows for each page. The whole app shows them all; the
/// first-load shell ([`shell`]) shows the library and hands every other
/// page over to the whole app. Passing a function, not a flag, is what
/// keeps the pages the shell never shows out of its wasm.
pub type Pages = fn(Route) -> AnyView;

fn all_pages(route: Route) -> AnyView {
    match route {
        Route::Library => library::Library().into_any(),
        Route::Personas(_) => personas_page::PersonasPage().into_any(),
        Route::Map(id) => view! { <map_view::MapView id=id /> }.into_any(),
        Route::Import(id) => view! { <import::ImportPage id=id /> }.into_any(),
        Route::Insights(id) => view! { <insights::dashboard::DashboardPage id=id /> }.into_any(),
        Route::Voice(id, voice) => view! { <voice::VoicePage id=id voice=voice /> }.into_any(),
        Route::Share(payload) => view! { <transfer::shared_view::SharedView payload /> }.into_any(),
        Route::NotFound(hash) => view! {
            <section class="page empty">
                <h1>"Nothing here"</h1>
                <p>"The link " <code>{hash}</code> " does not point to anything in Waymark."</p>
                <a class="button primary" href="#/">"Go to your maps"</a>
            </section>
        }
        .into_any(),
    }
}

#[component]
pub fn App(pages: Pages) -> impl IntoView {
    let state = AppState::open();
    provide_context(state);
    let update_ready = offline::register();

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
    let view = move || pages(page.get());

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
        <offline::UpdateBanner ready=update_ready />
        <main id="main" tabindex="-1">{view}</main>
        <notices::Notices />
    }
}

/// Sets CSS custom properties through the CSSOM. Never a `style` attribute:
/// the content security policy refuses those, and Leptos's `style:` writes
/// one when component types are erased (`erase_components`).
pub fn set_css_vars(el: &web_sys::HtmlElement, vars: &[(&str, &str)]) {
    let style = el.style();
    for (name, value) in vars {
        let _ = style.set_property(name, value);
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

/// The largest canvas side and area Chromium, Firefox and Safari all draw
/// (Safari's area limit is the smallest); a larger canvas silently comes
/// out blank.
const MAX_CANVAS_SIDE: f64 = 16_384.0;
const MAX_CANVAS_AREA: f64 = 16_777_216.0;

/// Draws a standalone SVG document onto a canvas at twice its size (less
/// when that would pass the browsers' canvas limits) and offers the canvas
/// as a PNG. The PNG is made from the escaped SVG, never from page markup,
/// so it holds exactly what the SVG export does.
pub fn download_png(svg: String, filename: String) {
    use wasm_bindgen::closure::Closure;

    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    let parts = js_sys::Array::of1(&wasm_bindgen::JsValue::from_str(&svg));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type("image/svg+xml");
    let Ok(blob) = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options) else {
        return;
    };
    let Ok(url) = web_sys::Url::create_object_url_with_blob(&blob) else {
        return;
    };
    let Ok(img) = web_sys::HtmlImageElement::new() else {
        return;
    };
    let image = img.clone();
    let src = url.clone();
    let onload = Closure::once(move || {
        let _ = (|| -> Option<()> {
            let canvas = document
                .create_element("canvas")
                .ok()?
                .dyn_into::<web_sys::HtmlCanvasElement>()
                .ok()?;
            let (w, h) = (
                f64::from(image.natural_width().max(1)),
                f64::from(image.natural_height().max(1)),
            );
            let scale = 2.0_f64
                .min(MAX_CANVAS_SIDE / w.max(h))
                .min((MAX_CANVAS_AREA / (w * h)).sqrt());
            canvas.set_width((w * scale).floor() as u32);
            canvas.set_height((h * scale).floor() as u32);
            let ctx = canvas
                .get_context("2d")
                .ok()??
                .dyn_into::<web_sys::CanvasRenderingContext2d>()
                .ok()?;
            ctx.scale(scale, scale).ok()?;
            ctx.draw_image_with_html_image_element(&image, 0.0, 0.0)
                .ok()?;
            let png = canvas.to_data_url_with_type("image/png").ok()?;
            let a = document
                .create_element("a")
                .ok()?
                .dyn_into::<web_sys::HtmlAnchorElement>()
                .ok()?;
            a.set_href(&png);
            a.set_download(&filename);
            a.click();
            Some(())
        })();
        let _ = web_sys::Url::revoke_object_url(&src);
    });
    img.set_onload(Some(onload.as_ref().unchecked_ref()));
    onload.forget();
    img.set_src(&url);
}
