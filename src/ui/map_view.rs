//! One journey map: its scope, the editor (toolbar, canvas, detail panel),
//! its personas, and the handoffs where customers lose context.

use leptos::ev;
use leptos::prelude::*;

use super::editor::canvas::Canvas;
use super::editor::detail::DetailPanel;
use super::editor::toolbar::Toolbar;
use super::editor::EditorCtx;
use super::export::print::PrintMap;
use super::input_value;
use super::insights::filter_bar::FilterBar;
use super::insights::MapData;
use super::personas::Personas;
use super::state::AppState;
use crate::model::{Id, JourneyMap, MapState};

#[component]
pub fn MapView(id: Id) -> impl IntoView {
    let state = expect_context::<AppState>();
    state.open_map(&id);
    let open = state.open;
    // Only whether a map is open decides the view; tracking the map itself
    // would rebuild the editor, and drop input focus, on every keystroke.
    let is_open = Memo::new(move |_| open.map.with(Option::is_some));

    move || {
        if let Some(err) = open.load_error.get() {
            return super::map_unavailable(Some(err));
        }
        if !is_open.get() {
            return super::map_unavailable(None);
        }
        view! { <Editor /> }.into_any()
    }
}

/// Ctrl+Z undoes, Ctrl+Shift+Z and Ctrl+Y redo (Cmd on macOS), also while
/// typing: every keystroke is an edit in the map's history, so the app's
/// undo is the one that knows about it.
fn undo_shortcut(e: &web_sys::KeyboardEvent) -> Option<bool> {
    if !(e.ctrl_key() || e.meta_key()) || e.alt_key() {
        return None;
    }
    match e.key().as_str() {
        "z" | "Z" => Some(e.shift_key()),
        "y" | "Y" => Some(true),
        _ => None,
    }
}

#[component]
fn Editor() -> impl IntoView {
    let state = expect_context::<AppState>();
    let open = state.open;
    let ed = EditorCtx::new(state);
    provide_context(ed);
    // The map's feedback, shared by its cards, stage heads, lanes, emotion
    // lane and filter bar.
    if let Some(id) = open
        .map
        .with_untracked(|m| m.as_ref().map(|m| m.id.clone()))
    {
        provide_context(MapData::new(state, id));
    }
    let shortcut = window_event_listener(ev::keydown, move |e| {
        if let Some(redo) = undo_shortcut(&e) {
            e.prevent_default();
            if redo {
                state.redo();
            } else {
                state.undo();
            }
        }
    });
    on_cleanup(move || shortcut.remove());
    let field = move |f: fn(&JourneyMap) -> String| {
        move || open.map.with(|m| m.as_ref().map(f).unwrap_or_default())
    };
    // A labelled text field of the map itself; a run of typing in it is one
    // undo step, sealed when the field loses focus.
    let text_field = move |label: &'static str,
                           placeholder: &'static str,
                           key: &'static str,
                           get: fn(&JourneyMap) -> String,
                           set: fn(&mut JourneyMap, String)| {
        view! {
            <label class="field">
                <span>{label}</span>
                <input
                    type="text"
                    placeholder=placeholder
                    prop:value=field(get)
                    on:blur=move |_| state.seal()
                    on:input=move |ev| {
                        let v = input_value(&ev);
                        state.typing(key, |m| {
                            set(m, v);
                            Ok(())
                        });
                    }
                />
            </label>
        }
    };

    // On a narrow screen the side panel is a bottom sheet: open while a
    // card is selected, or when its handle is used.
    let sheet = RwSignal::new(false);
    Effect::new(move |_| {
        if ed.selected.with(Option::is_some) {
            sheet.set(true);
        }
    });
    let loss_count = Memo::new(move |_| ed.read(|m| m.context_losses().count()));

    view! {
        <section class="page map-page">
            <div class="map-screen">
                <header class="map-head">
                    <nav class="crumbs" aria-label="Breadcrumb">
                        <a href="#/">"All maps"</a>
                        " · "
                        <a href=field(|m| crate::route::Route::Import(m.id.clone()).hash())>"Import feedback"</a>
                        " · "
                        <a href=crate::route::Route::Personas(None).hash()>"Personas"</a>
                    </nav>
                    // Text until clicked: a borderless box in the heading's
                    // type; a run of typing in it is one undo step.
                    <div class="map-title">
                        <input
                            type="text"
                            aria-label="Map name"
                            title="Map name — click to edit"
                            data-testid="map-name"
                            prop:value=field(|m| m.name.clone())
                            on:blur=move |_| state.seal()
                            on:input=move |ev| {
                                let v = input_value(&ev);
                                state.typing("map.name", |m| {
                                    m.name = v;
                                    Ok(())
                                });
                            }
                        />
                    </div>
                    <details class="map-details">
                        <summary>"Goal and state"</summary>
                        <div class="map-details-panel card">
                            {text_field(
                                "Business objective",
                                "What should this journey achieve for the business?",
                                "map.objective",
                                |m| m.goal.objective.clone(),
                                |m, v| m.goal.objective = v,
                            )}
                            {text_field(
                                "KPI",
                                "How will you know it works?",
                                "map.kpi",
                                |m| m.goal.kpi.clone(),
                                |m, v| m.goal.kpi = v,
                            )}
                            <MapStateField />
                        </div>
                    </details>
                    <p class="save-state" aria-live="polite" data-testid="save-state">
                        {move || if open.dirty.get() { "Saving…" } else { "All changes saved in this browser" }}
                    </p>
                </header>
                <ConflictBanner />
                <Toolbar />
                <FilterBar on_dashboard=false />
                <div class="editor-layout" class=("overview-on", move || ed.overview.get())>
                    <Canvas />
                    <aside
                        class="editor-side"
                        class=("sheet-open", move || sheet.get())
                        aria-label="Details and context losses"
                    >
                        <button
                            class="sheet-handle"
                            aria-expanded=move || sheet.get().to_string()
                            on:click=move |_| sheet.update(|s| *s = !*s)
                        >
                            {move || match loss_count.get() {
                                0 => "Details".to_owned(),
                                n => format!("Details · ⚠ {n} context loss{}", if n == 1 { "" } else { "es" }),
                            }}
                        </button>
                        <DetailPanel />
                        <ContextLosses />
                    </aside>
                </div>
            </div>
            <Personas />
            <PrintMap />
        </section>
    }
}

#[component]
fn ConflictBanner() -> impl IntoView {
    let state = expect_context::<AppState>();
    move || {
        state.open.conflict.get().map(|_| {
            view! {
                <div class="banner warning" role="alert" data-testid="conflict">
                    <span>
                        "This map was changed in another tab while you were editing it here. Which version should stay?"
                    </span>
                    <button class="primary" on:click=move |_| state.resolve_conflict(true)>"Keep mine"</button>
                    <button on:click=move |_| state.resolve_conflict(false)>"Use the other tab's"</button>
                </div>
            }
        })
    }
}

/// As-is or to-be, and the way from one to the other.
#[component]
fn MapStateField() -> impl IntoView {
    let state = expect_context::<AppState>();
    let current = Memo::new(move |_| {
        state
            .open
            .map
            .with(|m| m.as_ref().map(|m| (m.state, m.based_on.clone())))
    });
    let is = move |s: MapState| current.with(|c| c.as_ref().map(|c| c.0) == Some(s));
    view! {
        <div class="map-state">
            <label class="field">
                <span>"This map shows"</span>
                <select on:change=move |ev| {
                    let v = event_target_value(&ev);
                    let s = if v == "future" { MapState::Future } else { MapState::Current };
                    state.edit(|m| m.state = s);
                }>
                    <option value="current" prop:selected=move || is(MapState::Current)>"Current state (as-is)"</option>
                    <option value="future" prop:selected=move || is(MapState::Future)>"Future state (to-be)"</option>
                </select>
            </label>
            {move || {
                current
                    .with(|c| c.as_ref().and_then(|c| c.1.clone()))
                    .map(|base| {
                        view! {
                            <a href=format!("#/map/{base}")>"Open the current-state map it was designed from"</a>
                        }
                    })
            }}
            <button on:click=move |_| state.create_future_state()>"Create future-state map from this one"</button>
        </div>
    }
}

/// The "customer repeats themselves" list: handoffs that drop context.
#[component]
fn ContextLosses() -> impl IntoView {
    let state = expect_context::<AppState>();
    let ed = expect_context::<EditorCtx>();
    let losses = Memo::new(move |_| {
        state.open.map.with(|m| {
            let Some(m) = m else { return Vec::new() };
            m.context_losses()
                .map(|h| {
                    let name =
                        |id: &Id| m.touchpoint(id).map(|t| t.name.clone()).unwrap_or_default();
                    (
                        h.from.clone(),
                        name(&h.from),
                        name(&h.to),
                        h.friction.clone(),
                    )
                })
                .collect::<Vec<_>>()
        })
    });
    let rows = move || losses.get();
    view! {
        <section class="card losses" aria-labelledby="losses-title">
            <h2 id="losses-title">
                <span aria-hidden="true">"⚠ "</span>
                "Where customers lose context"
            </h2>
            <Show
                when=move || !rows().is_empty()
                fallback=|| view! { <p class="muted">"No handoff on this map loses context."</p> }
            >
                <ul>
                    <For each=rows key=|r| r.clone() let((from_id, from, to, friction))>
                        <li data-testid="context-loss">
                            <button class="link" on:click=move |_| ed.open_detail(from_id.clone())>
                                {from.clone()}
                            </button>
                            " → "
                            <strong>{to}</strong>
                            <span class="badge danger">"context lost"</span>
                            <span class="muted">{friction}</span>
                        </li>
                    </For>
                </ul>
            </Show>
        </section>
    }
}
