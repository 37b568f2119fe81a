//! The canvas: stages as columns, then the lanes in the map's order — one
//! swimlane per channel holding touchpoint cards, the emotion curve, and the
//! per-stage text lanes. Stage heads and lane labels stay in view while a
//! wide map scrolls. Handoffs are drawn over the grid as connectors.

use std::time::Duration;

use leptos::ev;
use leptos::html::Div;
use leptos::leptos_dom::helpers::TimeoutHandle;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

use super::connectors::Connectors;
use super::inline::InlineEdit;
use super::{focus_later, score_label, EditorCtx};
use crate::charts::insights::{measured_curve, sentiment_curve};
use crate::charts::{curve, emotion_curve_svg, emotion_mark, escape, Baseline, EmotionChart};
use crate::model::{notes_from_text, ChannelKind, Id, Lane, Targets};
use crate::ui::insights::figures::{Measured, Place};
use crate::ui::insights::MapData;

/// How long edits must pause before the emotion curve is redrawn.
const CHART_REDRAW_DELAY: Duration = Duration::from_millis(200);

#[component]
pub fn Canvas() -> impl IntoView {
    let ed = expect_context::<EditorCtx>();
    let grid = NodeRef::<Div>::new();
    Effect::new(move |_| {
        if let Some(el) = grid.get() {
            let stages = ed.stage_ids.with(Vec::len).max(1).to_string();
            crate::ui::set_css_vars(
                &el,
                &[
                    ("--stage-count", &stages),
                    ("--zoom", &ed.zoom.get().to_string()),
                ],
            );
        }
    });
    let scroller = NodeRef::<Div>::new();
    let pan = StoredValue::new(None::<Pan>);
    let panning = RwSignal::new(false);
    let end_pan = move |ev: ev::PointerEvent| {
        if pan.with_value(|p| p.is_some_and(|p| p.pointer == ev.pointer_id())) {
            pan.set_value(None);
            panning.set(false);
            if let Some(el) = scroller.get_untracked() {
                let _ = el.release_pointer_capture(ev.pointer_id());
            }
        }
    };
    // The overview shows the whole journey: it fits the grid to the box
    // once its compact layout is in place; leaving it goes back to 100 %.
    Effect::new(move |was: Option<bool>| {
        let on = ed.overview.get();
        if on {
            request_animation_frame(move || fit_zoom(ed.zoom, scroller, grid, 3));
        } else if was == Some(true) {
            ed.zoom.set(1.0);
        }
        on
    });
    view! {
        <div class="canvas-wrap">
            <div
                class="canvas-scroll"
                class=("overview", move || ed.overview.get())
                class=("panning", move || panning.get())
                data-testid="canvas"
                node_ref=scroller
                on:pointerdown=move |ev: ev::PointerEvent| {
                    let Some(el) = scroller.get_untracked() else { return };
                    if let Some(p) = Pan::start(&ev, &el) {
                        ev.prevent_default();
                        let _ = el.set_pointer_capture(p.pointer);
                        pan.set_value(Some(p));
                        panning.set(true);
                    }
                }
                on:pointermove=move |ev: ev::PointerEvent| {
                    if let (Some(p), Some(el)) = (pan.get_value(), scroller.get_untracked()) {
                        p.follow(&ev, &el);
                    }
                }
                on:pointerup=end_pan
                on:pointercancel=end_pan
            >
                <Show
                    when=move || !ed.stage_ids.with(Vec::is_empty)
                    fallback=|| {
                        view! {
                            <p class="empty-note">
                                "Add a first stage above — say Awareness — then channels, to start placing touchpoints."
                            </p>
                        }
                    }
                >
                    <div
                        class="canvas"
                        role="table"
                        aria-label="Journey grid"
                        node_ref=grid
                    >
                        <div class="canvas-row" role="row">
                            <div class="corner" role="columnheader">"Lane / stage"</div>
                            <For each=move || ed.stage_ids.get() key=Id::clone let:id>
                                <StageHead id />
                            </For>
                        </div>
                        <For each=move || ed.lanes.get() key=|l| *l let:lane>
                            <LaneRows lane />
                        </For>
                        <Connectors canvas=grid />
                    </div>
                </Show>
            </div>
            <ZoomControls scroller grid />
        </div>
    }
}

/// A drag on the canvas's background that scrolls it: where the pointer
/// went down and where the canvas was scrolled to then.
#[derive(Clone, Copy)]
struct Pan {
    pointer: i32,
    x: i32,
    y: i32,
    left: i32,
    top: i32,
}

impl Pan {
    /// A pan starts with the main mouse button (or a pen) on the background:
    /// never on a card, which drags itself, nor on a control. Touch scrolls
    /// the canvas natively.
    fn start(ev: &ev::PointerEvent, scroller: &web_sys::HtmlDivElement) -> Option<Pan> {
        if ev.button() != 0 || ev.pointer_type() == "touch" {
            return None;
        }
        let target = ev.target()?.dyn_into::<web_sys::Element>().ok()?;
        let on_control = target
            .closest("button, input, textarea, select, a, label, summary, [draggable], .tp, .row-head, .stage-head")
            .ok()
            .flatten()
            .is_some();
        // A press on the canvas's own scroll bars drags those.
        let scroller_node: &web_sys::Node = scroller;
        let on_scrollbar = target.is_same_node(Some(scroller_node))
            && (ev.offset_x() >= scroller.client_width()
                || ev.offset_y() >= scroller.client_height());
        if on_control || on_scrollbar {
            return None;
        }
        Some(Pan {
            pointer: ev.pointer_id(),
            x: ev.client_x(),
            y: ev.client_y(),
            left: scroller.scroll_left(),
            top: scroller.scroll_top(),
        })
    }

    fn follow(&self, ev: &ev::PointerEvent, scroller: &web_sys::HtmlDivElement) {
        if ev.pointer_id() != self.pointer {
            return;
        }
        scroller.set_scroll_left(self.left - (ev.client_x() - self.x));
        scroller.set_scroll_top(self.top - (ev.client_y() - self.y));
    }
}

/// The zoom steps the in and out buttons go through.
const ZOOM_STEPS: [f64; 13] = [
    0.25, 0.33, 0.5, 0.67, 0.75, 0.8, 0.9, 1.0, 1.1, 1.25, 1.5, 1.75, 2.0,
];

/// Zoom out, in, to 100 % and to fit the canvas box, with the percentage.
#[component]
fn ZoomControls(scroller: NodeRef<Div>, grid: NodeRef<Div>) -> impl IntoView {
    let ed = expect_context::<EditorCtx>();
    let zoom = ed.zoom;
    let step = move |up: bool| {
        let z = zoom.get_untracked();
        let next = if up {
            ZOOM_STEPS.into_iter().find(|s| *s > z + 0.005)
        } else {
            ZOOM_STEPS.into_iter().rev().find(|s| *s < z - 0.005)
        };
        if let Some(next) = next {
            zoom.set(next);
        }
    };
    let fit = move |_| fit_zoom(zoom, scroller, grid, 3);
    let percent = move || format!("{:.0} %", zoom.get() * 100.0);
    // Comparisons stay out of the view macro, which reads `>` as a tag's end.
    let at_min = move || zoom.get() <= ZOOM_STEPS[0] + 0.005;
    let at_max = move || zoom.get() >= ZOOM_STEPS[ZOOM_STEPS.len() - 1] - 0.005;
    view! {
        <div class="zoom-controls" role="group" aria-label="Zoom">
            <button
                class="icon"
                aria-label="Zoom out"
                title="Zoom out"
                disabled=at_min
                on:click=move |_| step(false)
            >
                "−"
            </button>
            <output class="zoom-level" aria-live="polite" data-testid="zoom-level">{percent}</output>
            <button
                class="icon"
                aria-label="Zoom in"
                title="Zoom in"
                disabled=at_max
                on:click=move |_| step(true)
            >
                "+"
            </button>
            <button aria-label="Zoom to 100 %" title="Actual size" on:click=move |_| zoom.set(1.0)>
                "100 %"
            </button>
            <button aria-label="Fit the map to the screen" title="Fit the whole map" on:click=fit>
                "Fit"
            </button>
        </div>
    }
}

/// Scales the grid so all of it shows in the canvas box. The grid's height
/// depends on its width (text wraps less in wider columns), so the scale is
/// measured again after each change, `passes` times at most; the last pass
/// only ever zooms out, so the result fits.
fn fit_zoom(zoom: RwSignal<f64>, scroller: NodeRef<Div>, grid: NodeRef<Div>, passes: u8) {
    // Runs a frame later, when the editor may be gone: only `try_` reads.
    let (Some(box_el), Some(grid_el), Some(z)) = (
        scroller.try_get_untracked().flatten(),
        grid.try_get_untracked().flatten(),
        zoom.try_get_untracked(),
    ) else {
        return;
    };
    let r = grid_el.get_bounding_client_rect();
    let (w, h) = (r.width() / z, r.height() / z);
    if w <= 0.0 || h <= 0.0 {
        return;
    }
    let (cw, ch) = (
        f64::from(box_el.client_width()),
        f64::from(box_el.client_height()),
    );
    // Floored to whole percents, so rounding never adds a scroll bar.
    let next = (((cw - 1.0) / w).min((ch - 1.0) / h) * 100.0).floor() / 100.0;
    let next = next.clamp(ZOOM_STEPS[0], ZOOM_STEPS[ZOOM_STEPS.len() - 1]);
    if (next - z).abs() < 0.01 || (passes <= 1 && next > z) {
        return;
    }
    zoom.try_set(next);
    if passes > 1 {
        request_animation_frame(move || fit_zoom(zoom, scroller, grid, passes - 1));
    }
}

#[component]
fn LaneRows(lane: Lane) -> impl IntoView {
    let ed = expect_context::<EditorCtx>();
    match lane {
        Lane::Touchpoints => view! {
            <For each=move || ed.channel_ids.get() key=Id::clone let:id>
                <ChannelRow id />
            </For>
            <Show when=move || ed.channel_ids.with(Vec::is_empty)>
                <div class="canvas-row" role="row">
                    <div class="row-head" role="rowheader">"Touchpoints"</div>
                    <div class="span-all muted" role="cell">
                        "No channels yet: add a preset such as Website or Store above."
                    </div>
                </div>
            </Show>
        }
        .into_any(),
        Lane::Emotion => view! { <EmotionRow /> }.into_any(),
        text => view! { <TextRow lane=text /> }.into_any(),
    }
}

/// A stage column's head: name, customer goal, reorder and delete.
#[component]
fn StageHead(id: Id) -> impl IntoView {
    let ed = expect_context::<EditorCtx>();
    let state = ed.state;
    let stage = {
        let id = id.clone();
        Memo::new(move |_| {
            ed.read(|m| {
                m.stage_index(&id).map(|i| {
                    let s = &m.stages[i];
                    (s.name.clone(), s.customer_goal.clone(), i, m.stages.len())
                })
            })
        })
    };
    let name = move || stage.with(|s| s.as_ref().map(|s| s.0.clone()).unwrap_or_default());
    let goal = move || stage.with(|s| s.as_ref().map(|s| s.1.clone()).unwrap_or_default());
    let first = move || stage.with(|s| s.as_ref().is_none_or(|s| s.2 == 0));
    let last = move || stage.with(|s| s.as_ref().is_none_or(|s| s.2 + 1 == s.3));
    let (id1, id2, id3, id4) = (id.clone(), id.clone(), id.clone(), id.clone());
    view! {
        <div class="stage-head" role="columnheader" data-testid="stage-head" aria-label=name>
            <InlineEdit
                label="Stage name"
                class="stage-name"
                value=Signal::derive(name)
                commit=move |v: String| {
                    state.apply(None, |m| m.rename_stage(&id1, v));
                }
            />
            <InlineEdit
                label="Customer goal"
                class="stage-goal"
                placeholder="Add a customer goal"
                value=Signal::derive(goal)
                commit=move |v: String| {
                    state.apply(None, |m| m.set_stage_goal(&id2, v));
                }
            />
            <Measured
                place=Place::Stage
                id=id.clone()
                targets=Signal::stored(Targets::default())
                compact=Signal::derive(move || ed.overview.get())
            />
            <HeadActions
                what="stage"
                arrows=["left", "◀", "right", "▶"]
                name=Signal::derive(name)
                first=Signal::derive(first)
                last=Signal::derive(last)
                nudge=move |delta| {
                    state.apply(None, |m| m.nudge_stage(&id3, delta));
                }
                delete=move |()| state.edit(|m| m.remove_stage(&id4))
            />
        </div>
    }
}

/// Reorder and delete buttons of a stage or channel head. `arrows` names
/// and draws the two directions: backward first, then forward.
#[component]
fn HeadActions(
    what: &'static str,
    arrows: [&'static str; 4],
    name: Signal<String>,
    first: Signal<bool>,
    last: Signal<bool>,
    #[prop(into)] nudge: Callback<isize>,
    #[prop(into)] delete: Callback<()>,
) -> impl IntoView {
    let [back, back_glyph, forward, forward_glyph] = arrows;
    view! {
        <div class="head-actions">
            <button
                class="ghost icon"
                aria-label=move || format!("Move {what} {} {back}", name.get())
                disabled=first
                on:click=move |_| nudge.run(-1)
            >
                {back_glyph}
            </button>
            <button
                class="ghost icon"
                aria-label=move || format!("Move {what} {} {forward}", name.get())
                disabled=last
                on:click=move |_| nudge.run(1)
            >
                {forward_glyph}
            </button>
            <button
                class="ghost icon danger"
                aria-label=move || format!("Delete {what} {}", name.get())
                on:click=move |_| delete.run(())
            >
                "✕"
            </button>
        </div>
    }
}

/// One channel's swimlane: its label and a cell per stage.
#[component]
fn ChannelRow(id: Id) -> impl IntoView {
    let ed = expect_context::<EditorCtx>();
    let state = ed.state;
    let channel = {
        let id = id.clone();
        Memo::new(move |_| {
            ed.read(|m| {
                m.channel_index(&id).map(|i| {
                    let c = &m.channels[i];
                    (c.name.clone(), c.kind, i, m.channels.len())
                })
            })
        })
    };
    let name = move || channel.with(|c| c.as_ref().map(|c| c.0.clone()).unwrap_or_default());
    let kind = move || channel.with(|c| c.as_ref().map(|c| c.1).unwrap_or_default());
    let first = move || channel.with(|c| c.as_ref().is_none_or(|c| c.2 == 0));
    let last = move || channel.with(|c| c.as_ref().is_none_or(|c| c.2 + 1 == c.3));
    let (id1, id2, id3, id4) = (id.clone(), id.clone(), id.clone(), id.clone());
    view! {
        <div class="canvas-row" role="row" data-testid="channel-lane">
            <div class="row-head" role="rowheader" aria-label=move || format!("Channel {}", name())>
                <InlineEdit
                    label="Channel name"
                    class="channel-name"
                    value=Signal::derive(name)
                    commit=move |v: String| {
                        state.apply(None, |m| m.rename_channel(&id1, v));
                    }
                />
                <Measured
                    place=Place::Channel
                    id=id.clone()
                    targets=Signal::stored(Targets::default())
                    compact=Signal::derive(move || ed.overview.get())
                />
                <div class="head-tools">
                    <select
                        class="channel-kind"
                        aria-label=move || format!("Type of channel {}", name())
                        on:change=move |ev| {
                            let v = event_target_value(&ev);
                            if let Some(k) = ChannelKind::ALL.into_iter().find(|k| k.label() == v) {
                                state.apply(None, |m| m.set_channel_kind(&id2, k));
                            }
                        }
                    >
                        {ChannelKind::ALL
                            .into_iter()
                            .map(|k| {
                                view! {
                                    <option value=k.label() prop:selected=move || kind() == k>
                                        {k.label()}
                                    </option>
                                }
                            })
                            .collect_view()}
                    </select>
                    <HeadActions
                        what="channel"
                        arrows=["up", "▲", "down", "▼"]
                        name=Signal::derive(name)
                        first=Signal::derive(first)
                        last=Signal::derive(last)
                        nudge=move |delta| {
                            state.apply(None, |m| m.nudge_channel(&id3, delta));
                        }
                        delete=move |()| state.edit(|m| m.remove_channel(&id4))
                    />
                </div>
            </div>
            <For each=move || ed.stage_ids.get() key=Id::clone let:stage>
                <Cell stage channel=id.clone() />
            </For>
        </div>
    }
}

/// A stage × channel cell: its cards, a drop target, and an add button.
#[component]
fn Cell(stage: Id, channel: Id) -> impl IntoView {
    let ed = expect_context::<EditorCtx>();
    let state = ed.state;
    let key = (stage.clone(), channel.clone());
    let ids = Memo::new(move |_| ed.cells.with(|c| c.get(&key).cloned().unwrap_or_default()));
    let label = {
        let (stage, channel) = (stage.clone(), channel.clone());
        Memo::new(move |_| ed.names.with(|n| n.cell(&stage, &channel)))
    };
    let (s1, c1, s2, c2) = (
        stage.clone(),
        channel.clone(),
        stage.clone(),
        channel.clone(),
    );
    let drop = move |ev: ev::DragEvent| {
        ev.prevent_default();
        // A handoff dropped beside the cards joins nothing.
        if ed.linking.get_untracked().is_some() {
            ed.linking.set(None);
            return;
        }
        if let Some(t) = ed.dragging.get_untracked() {
            ed.dragging.set(None);
            state.apply(None, |m| m.move_touchpoint(&t, &s1, &c1, usize::MAX));
        }
    };
    let add = move |_| {
        let created = state.apply(None, |m| m.add_touchpoint(&s2, &c2, "New touchpoint"));
        if let Some(id) = created {
            ed.open_detail(id);
        }
    };
    view! {
        <div
            class="cell"
            role="cell"
            aria-label=label
            on:dragover=move |ev: ev::DragEvent| {
                if ed.dragging.with_untracked(Option::is_some)
                    || ed.linking.with_untracked(Option::is_some)
                {
                    ev.prevent_default();
                }
            }
            on:drop=drop
        >
            <ul class="cards">
                <For each=move || ids.get() key=Id::clone let:id>
                    <Card id stage=stage.clone() channel=channel.clone() ids />
                </For>
            </ul>
            <button
                class="ghost add-card"
                aria-label=move || format!("Add touchpoint in {}", label.get())
                on:click=add
            >
                "+"
            </button>
        </div>
    }
}

#[component]
fn Card(id: Id, stage: Id, channel: Id, ids: Memo<Vec<Id>>) -> impl IntoView {
    let ed = expect_context::<EditorCtx>();
    let state = ed.state;
    let card = {
        let view = ed.card(&id);
        Memo::new(move |_| view.get())
    };
    let mark = {
        let id = id.clone();
        Memo::new(move |_| ed.marks.with(|m| m.get(&id).copied().unwrap_or_default()))
    };
    let shown = {
        let id = id.clone();
        Memo::new(move |_| {
            ed.matching
                .with(|m| m.as_ref().is_none_or(|s| s.contains(&id)))
        })
    };
    let selected = {
        let id = id.clone();
        Memo::new(move |_| ed.selected.with(|s| s.as_ref() == Some(&id)))
    };
    let name = move || card.with(|c| c.as_ref().map(|c| c.name.clone()).unwrap_or_default());
    let label = move || {
        let mut label = format!("Touchpoint {}", name());
        if let Some((_, word)) = card.with(|c| c.as_ref().and_then(|c| c.emotion.clone())) {
            label.push_str(&format!(", feels {word}"));
        }
        let m = mark.get();
        if m.outgoing + m.incoming > 0 {
            label.push_str(&format!(", {} handoffs", m.outgoing + m.incoming));
        }
        if m.loses_context {
            label.push_str(", context lost");
        }
        label
    };
    let selector = format!("[data-tp=\"{id}\"] .tp-main");
    let (id1, id2, id3, id4, id5) = (id.clone(), id.clone(), id.clone(), id.clone(), id.clone());
    let keydown = move |ev: ev::KeyboardEvent| {
        let moved = match (ev.alt_key(), ev.key().as_str()) {
            (true, "ArrowLeft") => Some((-1, 0)),
            (true, "ArrowRight") => Some((1, 0)),
            (true, "ArrowUp") => Some((0, -1)),
            (true, "ArrowDown") => Some((0, 1)),
            _ => None,
        };
        if let Some((ds, dc)) = moved {
            ev.prevent_default();
            state.apply(None, |m| m.nudge_touchpoint(&id2, ds, dc));
            focus_later(selector.clone());
            return;
        }
        match ev.key().as_str() {
            "Delete" | "Backspace" => {
                ev.prevent_default();
                if ed.selected.with_untracked(|s| s.as_ref() == Some(&id2)) {
                    ed.selected.set(None);
                }
                state.edit(|m| m.remove_touchpoint(&id2));
            }
            "d" | "D" if ev.ctrl_key() || ev.meta_key() => {
                ev.prevent_default();
                if let Some(copy) = state.apply(None, |m| m.duplicate_touchpoint(&id2)) {
                    focus_later(format!("[data-tp=\"{copy}\"] .tp-main"));
                }
            }
            _ => {}
        }
    };
    let drop_before = move |ev: ev::DragEvent| {
        if let Some(from) = ed.linking.get_untracked() {
            ev.prevent_default();
            ev.stop_propagation();
            ed.linking.set(None);
            // Carrying context is the default a designer intends; the
            // detail panel, opened on the new handoff's source, is where a
            // loss and its friction are recorded.
            if state
                .apply(None, |m| m.add_handoff(&from, &id3, true))
                .is_some()
            {
                ed.selected.set(Some(from));
            }
            return;
        }
        let Some(t) = ed.dragging.get_untracked() else {
            return;
        };
        ev.prevent_default();
        ev.stop_propagation();
        ed.dragging.set(None);
        if t == id3 {
            return;
        }
        let position = ids.with_untracked(|ids| {
            ids.iter()
                .filter(|i| **i != t)
                .position(|i| *i == id3)
                .unwrap_or(usize::MAX)
        });
        state.apply(None, |m| m.move_touchpoint(&t, &stage, &channel, position));
    };
    view! {
        <li
            class="tp"
            class=("tp-selected", move || selected.get())
            class=("tp-loses", move || mark.with(|m| m.loses_context))
            data-testid="touchpoint"
            data-tp=id.to_string()
            data-score=move || card.with(|c| c.as_ref().and_then(|c| c.emotion.as_ref()).map(|e| e.0))
            hidden=move || !shown.get()
            on:dragstart=move |ev: ev::DragEvent| {
                // Some browsers start a drag only when it carries data.
                if let Some(dt) = ev.data_transfer() {
                    let _ = dt.set_data("text/plain", id4.as_str());
                    dt.set_effect_allowed("move");
                }
                ed.dragging.set(Some(id4.clone()));
            }
            on:dragend=move |_| ed.dragging.set(None)
            on:drop=drop_before
        >
            // The pointer way to draw a handoff; the keyboard way is the
            // detail panel's "Hand off to", so the handle is hidden from
            // assistive technology.
            <span
                class="tp-link"
                draggable="true"
                aria-hidden="true"
                title="Drag onto another card to draw a handoff"
                data-testid="link-handle"
                on:dragstart=move |ev: ev::DragEvent| {
                    ev.stop_propagation();
                    if let Some(dt) = ev.data_transfer() {
                        let _ = dt.set_data("text/plain", id5.as_str());
                        dt.set_effect_allowed("link");
                    }
                    ed.linking.set(Some(id5.clone()));
                }
                on:dragend=move |ev: ev::DragEvent| {
                    ev.stop_propagation();
                    ed.linking.set(None);
                }
            >
                "⇢"
            </span>
            <button
                class="tp-main"
                draggable="true"
                aria-label=label
                aria-pressed=move || selected.get().to_string()
                on:click=move |_| ed.selected.set(Some(id1.clone()))
                on:keydown=keydown
            >
                <span class="tp-name">{name}</span>
                <span class="tp-owner">
                    {move || card.with(|c| c.as_ref().map(|c| c.owner.clone()).unwrap_or_default())}
                </span>
                <Measured
                    place=Place::Touchpoint
                    id=id.clone()
                    targets=Signal::derive(move || card.with(|c| c.as_ref().map(|c| c.targets.clone()).unwrap_or_default()))
                    compact=Signal::derive(move || ed.overview.get())
                />
                {move || {
                    card.with(|c| c.as_ref().and_then(|c| c.emotion.clone()))
                        .map(|(score, word)| {
                            view! {
                                <span class="tp-emotion">
                                    <span aria-hidden="true">{emotion_mark(score)}</span>
                                    <span class="tp-word">{word}</span>
                                </span>
                            }
                        })
                }}
                {move || {
                    let m = mark.get();
                    (m.outgoing + m.incoming > 0)
                        .then(|| {
                            view! {
                                <span class="tp-handoffs">
                                    <span aria-hidden="true">"⇄ "</span>
                                    {format!("{} in · {} out", m.incoming, m.outgoing)}
                                </span>
                            }
                        })
                }}
                {move || {
                    mark.with(|m| m.loses_context)
                        .then(|| {
                            view! {
                                <span class="badge danger tp-lost">
                                    <span aria-hidden="true">"⚠ "</span>
                                    <span class="tp-word">"context lost"</span>
                                </span>
                            }
                        })
                }}
            </button>
        </li>
    }
}

/// The emotion curve across the journey: the designed curve, and the
/// curves of the personas the reader picks.
#[component]
fn EmotionRow() -> impl IntoView {
    let ed = expect_context::<EditorCtx>();
    let personas = Memo::new(move |_| {
        ed.read(|m| {
            m.personas
                .iter()
                .map(|p| (p.id.clone(), p.name.clone()))
                .collect::<Vec<_>>()
        })
    });
    // A to-be map is compared with the as-is map it was created from.
    // Its own memo, so the as-is map is read once, not on every edit.
    let based_on = Memo::new(move |_| ed.read(|m| m.based_on.clone()));
    let baseline = Memo::new(move |_| {
        based_on
            .get()
            .and_then(|id| ed.state.stored_map(&id))
            .map(|m| Baseline::of(&m))
    });
    let show_baseline = RwSignal::new(true);
    // The stages' measured emotion, when the map has feedback.
    let data = use_context::<MapData>();
    let draw = move || {
        let measured = data.and_then(|d| {
            d.metrics.with_untracked(|metrics| {
                ed.state
                    .open
                    .map
                    .with_untracked(|m| m.as_ref().and_then(|m| measured_curve(m, &metrics.0)))
            })
        });
        let voiced = data.and_then(|d| {
            d.sentiment.with_untracked(|s| {
                ed.state
                    .open
                    .map
                    .with_untracked(|m| m.as_ref().and_then(|m| sentiment_curve(m, &s.0)))
            })
        });
        let picked = ed.curves.get_untracked();
        let compared = if show_baseline.get_untracked() {
            baseline.get_untracked()
        } else {
            None
        };
        ed.state.open.map.with_untracked(|m| {
            let Some(m) = m else {
                return (String::new(), String::new());
            };
            let chart = EmotionChart {
                personas: picked
                    .into_iter()
                    .filter(|p| m.persona(p).is_some())
                    .collect(),
                baseline: compared,
                measured: measured.as_ref().map(|(c, _)| c.clone()),
                sentiment: voiced.clone(),
                ..EmotionChart::default()
            };
            let points = curve(m, None);
            let summary = match points.iter().min_by_key(|p| p.score) {
                Some(low) => format!(
                    "Emotion curve over {} scored touchpoints; lowest point: {} at {}",
                    points.len(),
                    score_label(&m.emotion_scale, low.score),
                    low.touchpoint.name
                ),
                None => "Emotion curve: no touchpoint has an emotion yet".to_owned(),
            };
            let summary = match &measured {
                Some((_, basis)) => format!(
                    "{summary}. Measured curve per stage from {}: {}",
                    basis.label(),
                    basis.explain()
                ),
                None => summary,
            };
            let summary = if voiced.is_some() {
                format!("{summary}. Sentiment curve: each stage's mean comment sentiment (VADER, −1 to +1) on the emotion scale")
            } else {
                summary
            };
            let svg = emotion_curve_svg(m, &chart)
                .unwrap_or_else(|e| format!("<p class=\"muted\">{}</p>", escape(&e.to_string())));
            (svg, summary)
        })
    };
    // Drawing the curve of a large map costs more than a keystroke may, so
    // it is redrawn once edits pause; the first drawing is immediate.
    let chart = RwSignal::new(draw());
    let pending = StoredValue::new_local(None::<TimeoutHandle>);
    Effect::new(move |first: Option<()>| {
        ed.state.open.map.track();
        ed.curves.track();
        if let Some(d) = data {
            d.metrics.with(|_| ());
            d.sentiment.with(|_| ());
        }
        show_baseline.track();
        baseline.track();
        if first.is_none() {
            return;
        }
        if let Some(h) = pending.try_update_value(Option::take).flatten() {
            h.clear();
        }
        if let Ok(h) = set_timeout_with_handle(move || chart.set(draw()), CHART_REDRAW_DELAY) {
            pending.set_value(Some(h));
        }
    });
    on_cleanup(move || {
        if let Some(h) = pending.try_update_value(Option::take).flatten() {
            h.clear();
        }
    });
    view! {
        <div class="canvas-row" role="row" data-testid="emotion-lane">
            <div class="row-head" role="rowheader">
                <strong>"Emotion curve"</strong>
                {move || {
                    baseline
                        .with(|b| b.as_ref().map(|b| b.label.clone()))
                        .map(|label| {
                            view! {
                                <label class="check" data-testid="as-is-curve">
                                    <input
                                        type="checkbox"
                                        prop:checked=move || show_baseline.get()
                                        on:change=move |ev| show_baseline.set(event_target_checked(&ev))
                                    />
                                    <span>{label}</span>
                                </label>
                            }
                        })
                }}
                <For each=move || personas.get() key=|p| p.clone() let:p>
                    <label class="check">
                        <input
                            type="checkbox"
                            prop:checked={
                                let id = p.0.clone();
                                move || ed.curves.with(|c| c.contains(&id))
                            }
                            on:change={
                                let id = p.0.clone();
                                move |ev| {
                                    let on = event_target_checked(&ev);
                                    ed.curves
                                        .update(|c| {
                                            c.retain(|x| x != &id);
                                            if on {
                                                c.push(id.clone());
                                            }
                                        });
                                }
                            }
                        />
                        <span>{format!("{}'s curve", p.1)}</span>
                    </label>
                </For>
            </div>
            <div
                class="span-all emotion-chart"
                role="cell"
                aria-label=move || chart.with(|c| c.1.clone())
                inner_html=move || chart.with(|c| c.0.clone())
            ></div>
        </div>
    }
}

/// A text lane: one box per stage, one note per line.
#[component]
fn TextRow(lane: Lane) -> impl IntoView {
    let ed = expect_context::<EditorCtx>();
    view! {
        <div class="canvas-row" role="row" data-testid="text-lane">
            <div class="row-head" role="rowheader">
                <strong>{lane.label()}</strong>
            </div>
            <For each=move || ed.stage_ids.get() key=Id::clone let:stage>
                <TextCell lane stage />
            </For>
        </div>
    }
}

#[component]
fn TextCell(lane: Lane, stage: Id) -> impl IntoView {
    let ed = expect_context::<EditorCtx>();
    let state = ed.state;
    let notes = {
        let stage = stage.clone();
        Memo::new(move |_| ed.read(|m| m.stage(&stage).map(|s| s.lanes.get(lane).join("\n"))))
    };
    let label = {
        let stage = stage.clone();
        move || {
            let name = ed
                .names
                .with(|n| n.stages.get(&stage).cloned().unwrap_or_default());
            format!("{} in {name}", lane.label())
        }
    };
    view! {
        <div class="cell text-cell" role="cell">
            <textarea
                aria-label=label
                placeholder="One note per line"
                rows="3"
                prop:value=move || notes.get().unwrap_or_default()
                on:input=move |ev| {
                    let v = event_target_value(&ev);
                    state.typing(
                        &format!("{stage}.{}", lane.label()),
                        |m| m.set_stage_lane(&stage, lane, notes_from_text(&v)),
                    );
                }
                on:blur=move |_| state.seal()
            ></textarea>
        </div>
    }
}
