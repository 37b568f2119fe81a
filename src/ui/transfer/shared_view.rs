//! What a share link opens: the map from the link, read-only, and "Save a
//! copy". Nothing here writes to storage until that button is pressed, so
//! opening a link someone sent leaves this browser's maps untouched.

use leptos::prelude::*;
use waymark_core::formats::share;

use crate::charts::emotion_mark;
use crate::charts::{emotion_curve_svg, escape, EmotionChart};
use crate::model::{Id, JourneyMap, Lane};
use crate::ui::state::AppState;

#[component]
pub fn SharedView(payload: String) -> impl IntoView {
    match share::decode(&payload) {
        Ok(map) => view! { <SharedMap map /> }.into_any(),
        Err(e) => view! {
            <section class="page empty" data-testid="share-error">
                <h1>"This share link cannot be opened"</h1>
                <p>
                    <code>{e.field.clone()}</code>
                    ": "
                    {e.message.clone()}
                </p>
                <p class="muted">"Nothing was saved in this browser."</p>
                <a class="button primary" href="#/">"Go to your maps"</a>
            </section>
        }
        .into_any(),
    }
}

#[component]
fn SharedMap(map: JourneyMap) -> impl IntoView {
    let state = expect_context::<AppState>();
    let stages = map.stages.len();
    let grid = NodeRef::<leptos::html::Div>::new();
    let columns = stages.max(1).to_string();
    Effect::new(move |_| {
        if let Some(el) = grid.get() {
            crate::ui::set_css_vars(&el, &[("--stage-count", &columns)]);
        }
    });
    let counts = format!(
        "{} stages · {} channels · {} touchpoints · {} handoffs",
        stages,
        map.channels.len(),
        map.touchpoints.len(),
        map.handoffs.len()
    );
    let goal = [
        ("Business objective", map.goal.objective.clone()),
        ("KPI", map.goal.kpi.clone()),
    ]
    .into_iter()
    .filter(|(_, v)| !v.trim().is_empty())
    .map(|(k, v)| view! { <p><strong>{k}": "</strong>{v}</p> })
    .collect_view();
    let lanes: Vec<AnyView> = map.lanes.visible().map(|l| lane_rows(&map, l)).collect();
    let stage_heads = map
        .stages
        .iter()
        .map(|s| {
            view! {
                <div class="shared-stage" role="columnheader" data-testid="shared-stage">
                    <strong>{s.name.clone()}</strong>
                    <span class="muted">{s.customer_goal.clone()}</span>
                </div>
            }
        })
        .collect_view();
    let saved = map.clone();
    view! {
        <section class="page shared-map" aria-labelledby="shared-title">
            <div class="banner share-banner" role="status" data-testid="share-banner">
                <span>
                    <strong>"Shared map — read-only."</strong>
                    " Nothing is saved until you save a copy."
                </span>
                <button class="primary" on:click=move |_| state.import_copy(&saved, "")>
                    "Save a copy"
                </button>
            </div>
            <header class="shared-head">
                <h1 id="shared-title" data-testid="shared-name">{map.name.clone()}</h1>
                <p class="muted">{counts}</p>
                {goal}
            </header>
            <div class="shared-scroll">
                <div
                    class="shared-grid"
                    role="table"
                    aria-label="Journey grid (read-only)"
                    node_ref=grid
                >
                    <div class="canvas-row" role="row">
                        <div class="shared-corner" role="columnheader">"Lane / stage"</div>
                        {stage_heads}
                    </div>
                    {lanes}
                </div>
            </div>
            <div class="shared-lists">
                <Personas map=map.clone() />
                <Handoffs map />
            </div>
        </section>
    }
}

/// One lane of the grid, as the editor orders and labels it.
fn lane_rows(map: &JourneyMap, lane: Lane) -> AnyView {
    match lane {
        Lane::Touchpoints => map
            .channels
            .iter()
            .map(|c| {
                let cells = map
                    .stages
                    .iter()
                    .map(|s| {
                        let cards = map
                            .cell(&s.id, &c.id)
                            .map(|t| {
                                let lost = map.handoffs.iter().any(|h| {
                                    !h.context_carried && (h.from == t.id || h.to == t.id)
                                });
                                let emotion = t.emotion.map(|e| {
                                    view! {
                                        <span class="shared-emotion">
                                            <span aria-hidden="true">{emotion_mark(e)}</span>
                                            {map.emotion_scale.label(e)}
                                        </span>
                                    }
                                });
                                view! {
                                    <li class="shared-card" class=("loses", lost) data-testid="shared-touchpoint">
                                        <strong class="shared-card-name">{t.name.clone()}</strong>
                                        <span class="muted">{t.owner.clone()}</span>
                                        {emotion}
                                        {lost.then(|| view! { <span class="badge danger">"context lost"</span> })}
                                    </li>
                                }
                            })
                            .collect_view();
                        view! {
                            <div class="shared-cell" role="cell">
                                <ul class="cards">{cards}</ul>
                            </div>
                        }
                    })
                    .collect_view();
                view! {
                    <div class="canvas-row" role="row" data-testid="shared-lane">
                        <div class="shared-lane" role="rowheader">
                            <strong>{c.name.clone()}</strong>
                            <span class="muted">{c.kind.label()}</span>
                        </div>
                        {cells}
                    </div>
                }
            })
            .collect_view()
            .into_any(),
        Lane::Emotion => {
            // The chart escapes every name it draws; its errors are ours.
            let svg = emotion_curve_svg(map, &EmotionChart::default())
                .unwrap_or_else(|e| format!("<p class=\"muted\">{}</p>", escape(&e.to_string())));
            view! {
                <div class="canvas-row" role="row">
                    <div class="shared-lane" role="rowheader"><strong>{lane.label()}</strong></div>
                    <div class="shared-span emotion-chart" role="cell" inner_html=svg></div>
                </div>
            }
            .into_any()
        }
        text => {
            let cells = map
                .stages
                .iter()
                .map(|s| {
                    let notes = s
                        .lanes
                        .get(text)
                        .iter()
                        .map(|n| view! { <li>{n.clone()}</li> })
                        .collect_view();
                    view! { <div class="shared-cell" role="cell"><ul class="notes">{notes}</ul></div> }
                })
                .collect_view();
            view! {
                <div class="canvas-row" role="row">
                    <div class="shared-lane" role="rowheader"><strong>{lane.label()}</strong></div>
                    {cells}
                </div>
            }
            .into_any()
        }
    }
}

#[component]
fn Personas(map: JourneyMap) -> impl IntoView {
    (!map.personas.is_empty()).then(|| {
        let rows = map
            .personas
            .iter()
            .map(|p| {
                view! {
                    <li data-testid="shared-persona">
                        <strong>{p.name.clone()}</strong>
                        <span class="muted">{p.role.clone()}</span>
                        <span class="shared-quote">{p.quote.clone()}</span>
                    </li>
                }
            })
            .collect_view();
        view! {
            <section class="card" aria-labelledby="shared-personas">
                <h2 id="shared-personas">"Personas"</h2>
                <ul class="shared-list">{rows}</ul>
            </section>
        }
    })
}

#[component]
fn Handoffs(map: JourneyMap) -> impl IntoView {
    let name = |id: &Id| {
        map.touchpoint(id)
            .map(|t| t.name.clone())
            .unwrap_or_default()
    };
    let rows = map
        .handoffs
        .iter()
        .map(|h| {
            let badge = if h.context_carried {
                view! { <span class="badge">"context carried"</span> }
            } else {
                view! { <span class="badge danger">"context lost"</span> }
            };
            view! {
                <li data-testid="shared-handoff">
                    {name(&h.from)}
                    " → "
                    <strong>{name(&h.to)}</strong>
                    " "
                    {badge}
                    " "
                    <span class="muted">{h.friction.clone()}</span>
                </li>
            }
        })
        .collect_view();
    view! {
        <section class="card" aria-labelledby="shared-handoffs">
            <h2 id="shared-handoffs">"Handoffs"</h2>
            {if map.handoffs.is_empty() {
                view! { <p class="muted">"This map has no handoffs."</p> }.into_any()
            } else {
                view! { <ul class="shared-list">{rows}</ul> }.into_any()
            }}
        </section>
    }
}
