//! The print layout of the map page: the map cut into A4-landscape pages by
//! [`crate::charts::map_image::print_pages`], each with the lane labels and
//! stage heads of what it shows, in a container that only print shows
//! (`style/print.css`). It is kept up to date a moment after edits pause,
//! and drawn again right before printing, so a print or a PDF from any
//! route (the menu item, Ctrl+P, a headless browser) has the current map.

use std::time::Duration;

use leptos::ev;
use leptos::leptos_dom::helpers::TimeoutHandle;
use leptos::prelude::*;

use super::{measured, Measured};
use crate::charts::map_image::print_pages;
use crate::ui::insights::MapData;
use crate::ui::state::AppState;

/// How long edits must pause before the pages are drawn again.
const REDRAW_DELAY: Duration = Duration::from_millis(400);

/// Where the pages go; one map page is open at a time.
const CONTAINER: &str = ".print-map";

/// Draws the open map's pages into the print container now. Safe to call
/// from a timer or a listener after the page has gone: it reads with `try_`
/// and does nothing without the container.
pub fn render_now(state: AppState, data: Option<MapData>) {
    let Some(el) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.query_selector(CONTAINER).ok().flatten())
    else {
        return;
    };
    let figures = measured(data);
    let html = state.open.map.try_with_untracked(|m| {
        m.as_ref().map(|m| {
            print_pages(m, figures.as_ref().map(Measured::feedback))
                .into_iter()
                .map(|page| {
                    format!(
                        "<section class=\"print-page\" data-testid=\"print-page\">{page}</section>"
                    )
                })
                .collect::<String>()
        })
    });
    if let Some(Some(html)) = html {
        el.set_inner_html(&html);
    }
}

#[component]
pub fn PrintMap() -> impl IntoView {
    let state = expect_context::<AppState>();
    let data = use_context::<MapData>();
    let pending = StoredValue::new_local(None::<TimeoutHandle>);
    Effect::new(move |_| {
        state.open.map.track();
        if let Some(d) = data {
            // Read, not just tracked: a memo only runs when read.
            d.metrics.with(|_| ());
            d.sentiment.with(|_| ());
            d.datasets.track();
        }
        if let Some(h) = pending.try_update_value(Option::take).flatten() {
            h.clear();
        }
        if let Ok(h) = set_timeout_with_handle(move || render_now(state, data), REDRAW_DELAY) {
            pending.set_value(Some(h));
        }
    });
    let before_print = window_event_listener(ev::beforeprint, move |_| render_now(state, data));
    on_cleanup(move || {
        before_print.remove();
        if let Some(h) = pending.try_update_value(Option::take).flatten() {
            h.clear();
        }
    });
    view! { <div class="print-map" data-testid="print-map"></div> }
}
