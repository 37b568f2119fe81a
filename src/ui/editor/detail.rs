//! The touchpoint detail panel: everything about the selected card, its
//! handoffs, and the keyboard way to move, duplicate and delete it.

use leptos::prelude::*;

use super::{parse_score, parse_target, score_label, EditorCtx};
use crate::model::{
    notes_from_text, Id, Opportunity, Priority, Targets, Touchpoint, TouchpointText,
};
use crate::ui::insights::metrics_panel::DataPoints;

/// Owner teams offered while typing; any other team can be typed.
const OWNER_TEAMS: [&str; 7] = [
    "Marketing",
    "Sales",
    "Product",
    "Support",
    "Operations",
    "Store",
    "IT",
];

#[component]
pub fn DetailPanel() -> impl IntoView {
    let ed = expect_context::<EditorCtx>();
    // Rebuilt only when another card is selected, never while typing.
    let selected = Memo::new(move |_| {
        ed.selected
            .get()
            .filter(|id| ed.read(|m| m.touchpoint(id).is_some()))
    });
    move || {
        match selected.get() {
        Some(id) => view! { <Detail id /> }.into_any(),
        None => view! {
            <section class="card detail empty-detail" aria-label="Touchpoint details">
                <h2>"Touchpoint details"</h2>
                <p class="muted">
                    "Select a card to edit it. On a card: Alt+arrows move it, Ctrl+D duplicates, Delete removes."
                </p>
            </section>
        }
        .into_any(),
    }
    }
}

#[component]
fn Detail(id: Id) -> impl IntoView {
    let ed = expect_context::<EditorCtx>();
    let state = ed.state;
    let tp = {
        let id = id.clone();
        Memo::new(move |_| ed.read(|m| m.touchpoint(&id).cloned()))
    };
    let get = move |f: fn(&Touchpoint) -> String| {
        move || tp.with(|t| t.as_ref().map(f).unwrap_or_default())
    };
    let where_ = {
        let id = id.clone();
        move || {
            ed.read(|m| {
                m.touchpoint(&id)
                    .map(|t| ed.names.with(|n| n.cell(&t.stage, &t.channel)))
            })
            .unwrap_or_default()
        }
    };
    let text_id = id.clone();
    let text = move |field: TouchpointText, label: &'static str, html_id: &'static str| {
        let id = text_id.clone();
        view! {
            <label class="field">
                <span>{label}</span>
                <input
                    id=html_id
                    type="text"
                    list=(field == TouchpointText::Owner).then_some("owner-teams")
                    prop:value=move || tp.with(|t| t.as_ref().map(|t| field.get(t).to_owned()).unwrap_or_default())
                    on:input=move |ev| {
                        let v = event_target_value(&ev);
                        state.typing(&format!("{id}.{field:?}"), |m| m.set_touchpoint_text(&id, field, v));
                    }
                    on:blur=move |_| state.seal()
                />
            </label>
        }
    };
    let (id1, id2, id3, id4, id6) = (id.clone(), id.clone(), id.clone(), id.clone(), id.clone());
    let nudge = move |ds: isize, dc: isize| {
        let id = id6.clone();
        move |_| {
            state.apply(None, |m| m.nudge_touchpoint(&id, ds, dc));
        }
    };
    view! {
        <section class="card detail" aria-labelledby="detail-title" data-testid="detail">
            <div class="detail-head">
                <h2 id="detail-title">{get(|t| t.name.clone())}</h2>
                <button class="ghost" aria-label="Close details" on:click=move |_| ed.selected.set(None)>
                    "✕"
                </button>
            </div>
            <p class="muted">{where_}</p>
            {text(TouchpointText::Name, "Touchpoint name", "tp-name")}
            <label class="field">
                <span>"Description"</span>
                <textarea
                    rows="3"
                    prop:value=get(|t| t.description.clone())
                    on:input=move |ev| {
                        let v = event_target_value(&ev);
                        state.typing(
                            &format!("{id1}.description"),
                            |m| m.set_touchpoint_text(&id1, TouchpointText::Description, v),
                        );
                    }
                    on:blur=move |_| state.seal()
                ></textarea>
            </label>
            {text(TouchpointText::Owner, "Owner team", "tp-owner")}
            <datalist id="owner-teams">
                {OWNER_TEAMS.map(|t| view! { <option value=t></option> }).to_vec()}
            </datalist>
            <EmotionSelect id=id.clone() persona=None label="Emotion".into() />
            <PersonaEmotions id=id.clone() />
            <label class="field">
                <span>"Pain points (one per line)"</span>
                <textarea
                    rows="3"
                    prop:value=get(|t| t.pain_points.join("\n"))
                    on:input=move |ev| {
                        let v = event_target_value(&ev);
                        state.typing(
                            &format!("{id2}.pains"),
                            |m| m.set_pain_points(&id2, notes_from_text(&v)),
                        );
                    }
                    on:blur=move |_| state.seal()
                ></textarea>
            </label>
            <Opportunities id=id.clone() />
            {text(TouchpointText::FeedbackKey, "Feedback key", "tp-feedback-key")}
            <p class="hint muted">"The value imported feedback rows carry for this touchpoint."</p>
            <fieldset class="targets">
                <legend>"Targets"</legend>
                <TargetInput id=id.clone() label="NPS" min=-100.0 max=100.0 get=|t| t.nps set=|t, v| t.nps = v />
                <TargetInput id=id.clone() label="CSAT %" min=0.0 max=100.0 get=|t| t.csat set=|t, v| t.csat = v />
                <TargetInput id=id.clone() label="CES" min=1.0 max=7.0 get=|t| t.ces set=|t, v| t.ces = v />
            </fieldset>
            <DataPoints id=id.clone() />
            <Handoffs id=id.clone() />
            <div class="detail-actions" role="group" aria-label="Move, copy or delete">
                <button aria-label="Move to previous stage" on:click=nudge(-1, 0)>"◀"</button>
                <button aria-label="Move to next stage" on:click=nudge(1, 0)>"▶"</button>
                <button aria-label="Move to channel above" on:click=nudge(0, -1)>"▲"</button>
                <button aria-label="Move to channel below" on:click=nudge(0, 1)>"▼"</button>
                <button on:click=move |_| {
                    if let Some(copy) = state.apply(None, |m| m.duplicate_touchpoint(&id3)) {
                        ed.open_detail(copy);
                    }
                }>"Duplicate"</button>
                <button
                    class="danger"
                    on:click=move |_| {
                        ed.selected.set(None);
                        state.edit(|m| m.remove_touchpoint(&id4));
                    }
                >
                    "Delete touchpoint"
                </button>
            </div>
        </section>
    }
}

/// The designed emotion (`persona == None`) or one persona's.
#[component]
fn EmotionSelect(id: Id, persona: Option<Id>, label: String) -> impl IntoView {
    let ed = expect_context::<EditorCtx>();
    let state = ed.state;
    let current = {
        let (id, persona) = (id.clone(), persona.clone());
        Memo::new(move |_| {
            ed.read(|m| {
                m.touchpoint(&id).and_then(|t| match &persona {
                    None => t.emotion,
                    Some(p) => t.persona_emotions.get(p).copied(),
                })
            })
        })
    };
    let options = move || {
        ed.scale.with(|s| {
            (s.min..=s.max)
                .map(|score| {
                    let text = score_label(s, score);
                    view! {
                        <option value=score.to_string() prop:selected=move || current.get() == Some(score)>
                            {text}
                        </option>
                    }
                })
                .collect_view()
        })
    };
    view! {
        <label class="field">
            <span>{label.clone()}</span>
            <select aria-label=label on:change=move |ev| {
                let score = parse_score(&event_target_value(&ev));
                state.apply(None, |m| match &persona {
                    None => m.set_emotion(&id, score),
                    Some(p) => m.set_persona_emotion(&id, p, score),
                });
            }>
                <option value="" prop:selected=move || current.get().is_none()>"Not set"</option>
                {options}
            </select>
        </label>
    }
}

#[component]
fn PersonaEmotions(id: Id) -> impl IntoView {
    let ed = expect_context::<EditorCtx>();
    let personas = Memo::new(move |_| {
        ed.read(|m| {
            m.personas
                .iter()
                .map(|p| (p.id.clone(), p.name.clone()))
                .collect::<Vec<_>>()
        })
    });
    view! {
        <For each=move || personas.get() key=|p| p.clone() let:p>
            <EmotionSelect id=id.clone() persona=Some(p.0) label=format!("How {} feels", p.1) />
        </For>
    }
}

/// A change to a touchpoint's opportunity list, applied to a copy of it.
type OpportunitiesEdit = Box<dyn FnOnce(&mut Vec<Opportunity>)>;

#[component]
fn Opportunities(id: Id) -> impl IntoView {
    let ed = expect_context::<EditorCtx>();
    let state = ed.state;
    let list = {
        let id = id.clone();
        Memo::new(move |_| {
            ed.read(|m| {
                m.touchpoint(&id)
                    .map(|t| t.opportunities.clone())
                    .unwrap_or_default()
            })
        })
    };
    let count = move || list.with(Vec::len);
    let change = {
        let id = id.clone();
        move |key: Option<String>, f: OpportunitiesEdit| {
            let mut next = list.get_untracked();
            f(&mut next);
            match key {
                Some(k) => state.typing(&k, |m| m.set_opportunities(&id, next)),
                None => {
                    state.apply(None, |m| m.set_opportunities(&id, next));
                }
            }
        }
    };
    let change2 = change.clone();
    view! {
        <fieldset class="opportunities">
            <legend>"Opportunities"</legend>
            <For each=move || 0..count() key=|i| *i let:i>
                {
                    let change = change.clone();
                    let change_p = change.clone();
                    let change_r = change.clone();
                    let key = format!("{id}.opportunity.{i}");
                    let priority = move || list.with(|l| l.get(i).map(|o| o.priority).unwrap_or_default());
                    view! {
                        <div class="opportunity" data-testid="opportunity">
                            <input
                                type="text"
                                aria-label=format!("Opportunity {}", i + 1)
                                prop:value=move || list.with(|l| l.get(i).map(|o| o.text.clone()).unwrap_or_default())
                                on:input=move |ev| {
                                    let v = event_target_value(&ev);
                                    change(Some(key.clone()), Box::new(move |l| {
                                        if let Some(o) = l.get_mut(i) {
                                            o.text = v;
                                        }
                                    }));
                                }
                                on:blur=move |_| state.seal()
                            />
                            <select
                                aria-label=format!("Priority of opportunity {}", i + 1)
                                on:change=move |ev| {
                                    let v = event_target_value(&ev);
                                    let p = match v.as_str() {
                                        "high" => Priority::High,
                                        "low" => Priority::Low,
                                        _ => Priority::Medium,
                                    };
                                    change_p(None, Box::new(move |l| {
                                        if let Some(o) = l.get_mut(i) {
                                            o.priority = p;
                                        }
                                    }));
                                }
                            >
                                <option value="high" prop:selected=move || priority() == Priority::High>"High"</option>
                                <option value="medium" prop:selected=move || priority() == Priority::Medium>"Medium"</option>
                                <option value="low" prop:selected=move || priority() == Priority::Low>"Low"</option>
                            </select>
                            <button
                                class="ghost icon danger"
                                aria-label=format!("Remove opportunity {}", i + 1)
                                on:click=move |_| {
                                    change_r(None, Box::new(move |l| {
                                        if i < l.len() {
                                            l.remove(i);
                                        }
                                    }));
                                }
                            >
                                "✕"
                            </button>
                        </div>
                    }
                }
            </For>
            <button on:click=move |_| {
                change2(None, Box::new(|l| l.push(Opportunity::default())));
                focus_last_opportunity();
            }>"Add opportunity"</button>
        </fieldset>
    }
}

fn focus_last_opportunity() {
    super::focus_later(".opportunity:last-of-type input".into());
}

#[component]
fn TargetInput(
    id: Id,
    label: &'static str,
    min: f64,
    max: f64,
    get: fn(&Targets) -> Option<f64>,
    set: fn(&mut Targets, Option<f64>),
) -> impl IntoView {
    let ed = expect_context::<EditorCtx>();
    let state = ed.state;
    let value = {
        let id = id.clone();
        Memo::new(move |_| ed.read(|m| m.touchpoint(&id).and_then(|t| get(&t.targets))))
    };
    view! {
        <label class="field target">
            <span>{label}</span>
            <input
                type="number"
                step="any"
                min=min
                max=max
                prop:value=move || value.get().map(|v| v.to_string()).unwrap_or_default()
                on:change=move |ev| {
                    let v = parse_target(&event_target_value(&ev)).map(|v| v.clamp(min, max));
                    let id = id.clone();
                    state.apply(None, move |m| {
                        let mut targets = m.touchpoint(&id).map(|t| t.targets.clone()).unwrap_or_default();
                        set(&mut targets, v);
                        m.set_targets(&id, targets)
                    });
                }
            />
        </label>
    }
}

/// Handoffs at this touchpoint, and a new one from it to another.
#[component]
fn Handoffs(id: Id) -> impl IntoView {
    let ed = expect_context::<EditorCtx>();
    let state = ed.state;
    let here = {
        let id = id.clone();
        Memo::new(move |_| {
            ed.read(|m| m.handoffs_of(&id).map(|h| h.id.clone()).collect::<Vec<_>>())
        })
    };
    let targets = {
        let id = id.clone();
        Memo::new(move |_| {
            ed.read(|m| {
                m.journey_order()
                    .into_iter()
                    .filter(|t| t.id != id)
                    .map(|t| {
                        let place = ed.names.with_untracked(|n| n.cell(&t.stage, &t.channel));
                        (t.id.clone(), format!("{} — {place}", t.name))
                    })
                    .collect::<Vec<_>>()
            })
        })
    };
    let target = RwSignal::new(String::new());
    let carried = RwSignal::new(true);
    let add = move |_| {
        let to = Id::new(target.get_untracked());
        let from = id.clone();
        if state
            .apply(None, |m| m.add_handoff(&from, &to, carried.get_untracked()))
            .is_some()
        {
            target.set(String::new());
            carried.set(true);
        }
    };
    view! {
        <fieldset class="handoffs">
            <legend>"Handoffs"</legend>
            <ul class="handoff-list">
                <For each=move || here.get() key=Id::clone let:h>
                    <HandoffRow id=h />
                </For>
            </ul>
            <div class="new-handoff" data-testid="new-handoff">
                <label class="field">
                    <span>"Hand off to"</span>
                    <select aria-label="Hand off to" on:change=move |ev| target.set(event_target_value(&ev))>
                        <option value="" prop:selected=move || target.with(String::is_empty)>"Choose a touchpoint"</option>
                        <For each=move || targets.get() key=|t| t.clone() let:t>
                            {
                                let value = t.0.to_string();
                                let v2 = value.clone();
                                view! {
                                    <option value=value prop:selected=move || target.with(|x| *x == v2)>{t.1}</option>
                                }
                            }
                        </For>
                    </select>
                </label>
                <label class="check">
                    <input
                        type="checkbox"
                        prop:checked=move || carried.get()
                        on:change=move |ev| carried.set(event_target_checked(&ev))
                    />
                    <span>"Context carries over"</span>
                </label>
                <button disabled=move || target.with(String::is_empty) on:click=add>"Add handoff"</button>
            </div>
        </fieldset>
    }
}

#[component]
fn HandoffRow(id: Id) -> impl IntoView {
    let ed = expect_context::<EditorCtx>();
    let state = ed.state;
    let h = {
        let id = id.clone();
        Memo::new(move |_| {
            ed.read(|m| {
                m.handoff(&id).map(|h| {
                    let name = |t: &Id| m.touchpoint(t).map(|t| t.name.clone()).unwrap_or_default();
                    (
                        name(&h.from),
                        name(&h.to),
                        h.context_carried,
                        h.carries.join(", "),
                        h.friction.clone(),
                    )
                })
            })
        })
    };
    let field = move |f: fn(&(String, String, bool, String, String)) -> String| {
        move || h.with(|h| h.as_ref().map(f).unwrap_or_default())
    };
    let carried = move || h.with(|h| h.as_ref().is_some_and(|h| h.2));
    let (id1, id2, id3, id4) = (id.clone(), id.clone(), id.clone(), id.clone());
    view! {
        <li class="handoff" class=("handoff-lost", move || !carried()) data-testid="handoff">
            <p>
                <strong>{field(|h| h.0.clone())}</strong>
                <span aria-hidden="true">" → "</span>
                <span class="sr-only">" to "</span>
                <strong>{field(|h| h.1.clone())}</strong>
                {move || {
                    (!carried())
                        .then(|| {
                            view! {
                                <span class="badge danger">
                                    <span aria-hidden="true">"⚠ "</span>
                                    "context lost"
                                </span>
                            }
                        })
                }}
            </p>
            <label class="check">
                <input
                    type="checkbox"
                    prop:checked=carried
                    on:change=move |ev| {
                        let on = event_target_checked(&ev);
                        state.apply(None, |m| m.set_handoff_context(&id1, on));
                    }
                />
                <span>"Context carries over"</span>
            </label>
            <label class="field">
                <span>"What carries (comma-separated)"</span>
                <input
                    type="text"
                    placeholder="cart, order history, identity"
                    prop:value=field(|h| h.3.clone())
                    on:change=move |ev| {
                        let v = event_target_value(&ev);
                        let carries = v
                            .split(',')
                            .map(str::trim)
                            .filter(|s| !s.is_empty())
                            .map(str::to_owned)
                            .collect();
                        state.apply(None, |m| m.set_handoff_carries(&id2, carries));
                    }
                />
            </label>
            <label class="field">
                <span>"Friction"</span>
                <input
                    type="text"
                    placeholder="What the customer has to redo"
                    prop:value=field(|h| h.4.clone())
                    on:input=move |ev| {
                        let v = event_target_value(&ev);
                        state.typing(&format!("{id3}.friction"), |m| m.set_handoff_friction(&id3, v));
                    }
                    on:blur=move |_| state.seal()
                />
            </label>
            <button class="danger" on:click=move |_| state.edit(|m| m.remove_handoff(&id4))>
                "Remove handoff"
            </button>
        </li>
    }
}
