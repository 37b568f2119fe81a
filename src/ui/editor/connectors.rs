//! Handoffs drawn as lines between the cards they join, over the canvas.
//! The cards' boxes are measured here; routing and markup come from
//! [`crate::charts::connectors`].
//!
//! Measuring forces a layout, which a keystroke on a 300-card map cannot
//! afford, so the lines are redrawn once edits (or resizes) pause. The
//! overlay is hidden from assistive technology: each card's accessible name
//! already counts its handoffs and says when context is lost, and the side
//! panel lists every context-losing handoff.

use std::collections::HashMap;
use std::time::Duration;

use leptos::html::Div;
use leptos::leptos_dom::helpers::TimeoutHandle;
use leptos::prelude::*;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;

use super::EditorCtx;
use crate::charts::connectors::{connectors_svg, Rect};
use crate::model::Id;

/// How long edits and resizes must pause before the lines are redrawn.
const REDRAW_DELAY: Duration = Duration::from_millis(120);

#[component]
pub fn Connectors(canvas: NodeRef<Div>) -> impl IntoView {
    let ed = expect_context::<EditorCtx>();
    let svg = RwSignal::new(String::new());
    // The last measurement, so a change of selection redraws at once.
    let measured = StoredValue::new((HashMap::<Id, Rect>::new(), (0.0, 0.0)));
    let render = move || {
        let selected = ed.selected.get_untracked();
        let markup = measured.with_value(|(cards, size)| {
            ed.state.open.map.with_untracked(|m| {
                m.as_ref()
                    .map(|m| connectors_svg(m, cards, selected.as_ref(), *size))
                    .unwrap_or_default()
            })
        });
        svg.set(markup);
    };
    let measure = move || {
        let Some(el) = canvas.get_untracked() else {
            return;
        };
        measured.set_value(card_boxes(&el, ed.zoom.get_untracked()));
        render();
    };
    let pending = StoredValue::new_local(None::<TimeoutHandle>);
    let schedule = move || {
        if let Some(h) = pending.try_update_value(Option::take).flatten() {
            h.clear();
        }
        if let Ok(h) = set_timeout_with_handle(measure, REDRAW_DELAY) {
            pending.set_value(Some(h));
        }
    };
    Effect::new(move |_| {
        ed.state.open.map.track();
        ed.overview.track();
        ed.zoom.track();
        ed.matching.track();
        ed.lanes.track();
        schedule();
    });
    Effect::new(move |first: Option<()>| {
        ed.selected.track();
        if first.is_some() {
            render();
        }
    });
    // Cards grow and shrink with their text, the window and the overview
    // mode; the canvas resizing is the one signal for all of them.
    let observer = StoredValue::new_local(None::<(web_sys::ResizeObserver, Closure<dyn FnMut()>)>);
    Effect::new(move |_| {
        let Some(el) = canvas.get() else {
            return;
        };
        if observer.with_value(Option::is_some) {
            return;
        }
        let callback = Closure::<dyn FnMut()>::new(schedule);
        if let Ok(ro) = web_sys::ResizeObserver::new(callback.as_ref().unchecked_ref()) {
            ro.observe(&el);
            observer.set_value(Some((ro, callback)));
        }
    });
    on_cleanup(move || {
        if let Some(h) = pending.try_update_value(Option::take).flatten() {
            h.clear();
        }
        if let Some((ro, _)) = observer.try_update_value(Option::take).flatten() {
            ro.disconnect();
        }
    });
    view! {
        <div
            class="connectors"
            aria-hidden="true"
            data-testid="connectors"
            inner_html=move || svg.get()
        ></div>
    }
}

/// Every card's box relative to the canvas, and the canvas's size, in the
/// canvas's own pixels: the screen's divided by the canvas's `zoom`.
fn card_boxes(canvas: &web_sys::HtmlDivElement, zoom: f64) -> (HashMap<Id, Rect>, (f64, f64)) {
    let origin = canvas.get_bounding_client_rect();
    let mut cards = HashMap::new();
    if let Ok(list) = canvas.query_selector_all("[data-tp]") {
        for i in 0..list.length() {
            let Some(card) = list
                .item(i)
                .and_then(|n| n.dyn_into::<web_sys::Element>().ok())
            else {
                continue;
            };
            let Some(id) = card.get_attribute("data-tp") else {
                continue;
            };
            let r = card.get_bounding_client_rect();
            cards.insert(
                Id::new(id),
                Rect {
                    x: (r.left() - origin.left()) / zoom,
                    y: (r.top() - origin.top()) / zoom,
                    w: r.width() / zoom,
                    h: r.height() / zoom,
                },
            );
        }
    }
    (cards, (origin.width() / zoom, origin.height() / zoom))
}
