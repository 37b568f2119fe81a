//! One journey map: its scope, the stage × channel grid, and the handoffs
//! where customers lose context.

use leptos::prelude::*;

use super::input_value;
use super::state::AppState;
use crate::model::{Id, JourneyMap};

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
            return view! {
                <section class="page empty" data-testid="load-error">
                    <h1>"This map cannot be opened"</h1>
                    <p>{err}</p>
                    <a class="button primary" href="#/">"Back to your maps"</a>
                </section>
            }
            .into_any();
        }
        if !is_open.get() {
            return view! {
                <section class="page empty">
                    <h1>"Map not found"</h1>
                    <a class="button primary" href="#/">"Back to your maps"</a>
                </section>
            }
            .into_any();
        }
        view! { <Editor /> }.into_any()
    }
}

#[component]
fn Editor() -> impl IntoView {
    let state = expect_context::<AppState>();
    let open = state.open;
    let field = move |f: fn(&JourneyMap) -> String| {
        move || open.map.with(|m| m.as_ref().map(f).unwrap_or_default())
    };

    view! {
        <section class="page map-page">
            <nav class="crumbs" aria-label="Breadcrumb">
                <a href="#/">"All maps"</a>
            </nav>
            <ConflictBanner />
            <div class="map-head card">
                <label class="field title-field">
                    <span>"Map name"</span>
                    <input
                        type="text"
                        data-testid="map-name"
                        prop:value=field(|m| m.name.clone())
                        on:input=move |ev| {
                            let v = input_value(&ev);
                            state.edit(|m| m.name = v);
                        }
                    />
                </label>
                <label class="field">
                    <span>"Business objective"</span>
                    <input
                        type="text"
                        placeholder="What should this journey achieve for the business?"
                        prop:value=field(|m| m.goal.objective.clone())
                        on:input=move |ev| {
                            let v = input_value(&ev);
                            state.edit(|m| m.goal.objective = v);
                        }
                    />
                </label>
                <label class="field">
                    <span>"KPI"</span>
                    <input
                        type="text"
                        placeholder="How will you know it works?"
                        prop:value=field(|m| m.goal.kpi.clone())
                        on:input=move |ev| {
                            let v = input_value(&ev);
                            state.edit(|m| m.goal.kpi = v);
                        }
                    />
                </label>
                <p class="save-state" aria-live="polite" data-testid="save-state">
                    {move || if open.dirty.get() { "Saving…" } else { "All changes saved in this browser" }}
                </p>
            </div>
            <Grid />
            <ContextLosses />
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

/// Stages as columns, channels as swimlanes, touchpoints in their cells.
#[component]
fn Grid() -> impl IntoView {
    let state = expect_context::<AppState>();
    let open = state.open;
    move || {
        open.map.with(|m| {
            let Some(m) = m else {
                return ().into_any();
            };
            if m.stages.is_empty() || m.channels.is_empty() {
                return view! {
                    <p class="empty-note card">
                        "This map has no stages or channels yet. Add them to start placing touchpoints."
                    </p>
                }
                .into_any();
            }
            let columns = format!("grid-template-columns: 11rem repeat({}, minmax(12rem, 1fr))", m.stages.len());
            let heads = m
                .stages
                .iter()
                .map(|s| {
                    view! {
                        <div class="stage-head" role="columnheader">
                            <strong>{s.name.clone()}</strong>
                            <span class="muted">{s.customer_goal.clone()}</span>
                        </div>
                    }
                })
                .collect_view();
            let lanes = m
                .channels
                .iter()
                .map(|c| {
                    let cells = m
                        .stages
                        .iter()
                        .map(|s| {
                            let cards = m
                                .cell(&s.id, &c.id)
                                .map(|t| {
                                    let emotion = t.emotion.map(|e| m.emotion_scale.label(e));
                                    view! {
                                        <li class="touchpoint" aria-label=t.name.clone()>
                                            <strong>{t.name.clone()}</strong>
                                            {(!t.owner.is_empty())
                                                .then(|| view! { <span class="muted">{t.owner.clone()}</span> })}
                                            {emotion.map(|e| view! { <span class="emotion">{e}</span> })}
                                        </li>
                                    }
                                })
                                .collect_view();
                            view! {
                                <ul class="cell" role="cell" aria-label=format!("{} × {}", s.name, c.name)>
                                    {cards}
                                </ul>
                            }
                        })
                        .collect_view();
                    view! {
                        <div class="lane" role="row">
                            <div class="lane-head" role="rowheader">
                                <strong>{c.name.clone()}</strong>
                                <span class="muted">{c.kind.label()}</span>
                            </div>
                            {cells}
                        </div>
                    }
                })
                .collect_view();
            view! {
                <div class="grid-scroll card" role="table" aria-label="Journey grid">
                    <div class="grid" style=columns>
                        <div class="lane" role="row">
                            <div class="corner" role="columnheader">"Channel / stage"</div>
                            {heads}
                        </div>
                        {lanes}
                    </div>
                </div>
            }
            .into_any()
        })
    }
}

/// The "customer repeats themselves" list: handoffs that drop context.
#[component]
fn ContextLosses() -> impl IntoView {
    let state = expect_context::<AppState>();
    let rows = move || {
        state.open.map.with(|m| {
            let Some(m) = m else { return Vec::new() };
            m.context_losses()
                .map(|h| {
                    let name =
                        |id: &Id| m.touchpoint(id).map(|t| t.name.clone()).unwrap_or_default();
                    (h.id.clone(), name(&h.from), name(&h.to), h.friction.clone())
                })
                .collect::<Vec<_>>()
        })
    };
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
                    <For each=rows key=|r| r.0.clone() let((_, from, to, friction))>
                        <li>
                            <strong>{from}</strong>
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
