//! The map's personas: who goes through this journey. Personas are edited in
//! one place, the personas page, so a persona reads the same on every map;
//! here they are attached, detached and shown, and each can have its own
//! emotion curve on the canvas. Copies the map holds without a workspace
//! persona (templates, older maps) can be added to the workspace from here.

use leptos::prelude::*;

use super::editor::EditorCtx;
use super::input_value;
use crate::model::{Id, Persona};
use crate::route::Route;

#[component]
pub fn Personas() -> impl IntoView {
    let ed = expect_context::<EditorCtx>();
    let state = ed.state;
    let ids = Memo::new(move |_| {
        ed.read(|m| m.personas.iter().map(|p| p.id.clone()).collect::<Vec<_>>())
    });
    let name = RwSignal::new(String::new());
    let pick = RwSignal::new(String::new());
    // Workspace personas this map does not hold yet.
    let attachable = Memo::new(move |_| {
        state.workspace.library.with(|lib| {
            lib.personas
                .iter()
                .filter(|w| ed.read(|m| m.linked_persona(&w.id).is_none()))
                .map(|w| (w.id.clone(), w.name.clone()))
                .collect::<Vec<_>>()
        })
    });
    view! {
        <section class="card personas" aria-labelledby="personas-title" data-testid="personas">
            <div class="personas-head">
                <h2 id="personas-title">"Personas"</h2>
                <a href=Route::Personas(None).hash()>"Manage all personas"</a>
            </div>
            <p class="muted">
                "Who goes through this journey. Give each one an emotion per touchpoint in the detail panel to draw their own curve. Personas are edited on the personas page, so they read the same on every map."
            </p>
            <div class="persona-grid">
                <For each=move || ids.get() key=Id::clone let:id>
                    <PersonaCard id />
                </For>
            </div>
            <div class="persona-add">
                <form on:submit=move |ev| {
                    ev.prevent_default();
                    let n = name.get_untracked();
                    if n.trim().is_empty() {
                        return;
                    }
                    if let Some(p) = state.create_persona(&n) {
                        state.edit(|m| {
                            m.attach_workspace_persona(&p);
                        });
                        name.set(String::new());
                    }
                }>
                    <input
                        type="text"
                        aria-label="New persona name"
                        placeholder="Persona name"
                        prop:value=move || name.get()
                        on:input=move |ev| name.set(input_value(&ev))
                    />
                    <button type="submit">"Add persona"</button>
                </form>
                <Show
                    when=move || !attachable.with(Vec::is_empty)
                    fallback=|| view! { <p class="muted">"Every workspace persona is on this map."</p> }
                >
                    <form on:submit=move |ev| {
                        ev.prevent_default();
                        let id = Id::new(pick.get_untracked());
                        let chosen = state.workspace.library.with_untracked(|l| l.get(&id).cloned());
                        if let Some(p) = chosen {
                            state.edit(|m| {
                                m.attach_workspace_persona(&p);
                            });
                            pick.set(String::new());
                        }
                    }>
                        <select
                            aria-label="Workspace persona to attach"
                            prop:value=move || pick.get()
                            on:change=move |ev| pick.set(event_target_value(&ev))
                        >
                            <option value="">"Choose a workspace persona"</option>
                            <For each=move || attachable.get() key=|p| p.clone() let:p>
                                <option value=p.0.to_string()>{p.1}</option>
                            </For>
                        </select>
                        <button type="submit" disabled=move || pick.with(String::is_empty)>
                            "Attach"
                        </button>
                    </form>
                </Show>
            </div>
        </section>
    }
}

#[component]
fn PersonaCard(id: Id) -> impl IntoView {
    let ed = expect_context::<EditorCtx>();
    let state = ed.state;
    let persona = {
        let id = id.clone();
        Memo::new(move |_| ed.read(|m| m.persona(&id).cloned()))
    };
    let channels = Memo::new(move |_| {
        persona.with(|p| {
            let Some(p) = p else { return String::new() };
            ed.read(|m| {
                p.preferred_channels
                    .iter()
                    .filter_map(|c| m.channel(c).map(|c| c.name.clone()))
                    .collect::<Vec<_>>()
                    .join(", ")
            })
        })
    });
    // The workspace persona this copy belongs to, if it is in the workspace;
    // a dangling link counts as held by this map only.
    let linked = Memo::new(move |_| {
        let source = persona.with(|p| p.as_ref().and_then(|p| p.source.clone()))?;
        state
            .workspace
            .library
            .with(|l| l.get(&source).map(|w| w.id.clone()))
    });
    // A workspace persona saying the same, to link to instead of making a
    // duplicate (the same template used twice).
    let same = Memo::new(move |_| {
        let p = persona.get()?;
        state.workspace.library.with(|l| {
            ed.read(|m| {
                l.personas
                    .iter()
                    .find(|w| w.matches_copy(m, &p))
                    .map(|w| w.id.clone())
            })
        })
    });
    let name = move || persona.with(|p| p.as_ref().map(|p| p.name.clone()).unwrap_or_default());
    let field = move |f: fn(&Persona) -> String| {
        move || persona.with(|p| p.as_ref().map(f).unwrap_or_default())
    };
    let list = move |label: &'static str, f: fn(&Persona) -> &Vec<String>| {
        move || {
            let items = persona.with(|p| p.as_ref().map(|p| f(p).clone()).unwrap_or_default());
            (!items.is_empty()).then(|| {
                view! {
                    <div class="persona-list">
                        <h4>{label}</h4>
                        <ul>{items.into_iter().map(|i| view! { <li>{i}</li> }).collect_view()}</ul>
                    </div>
                }
            })
        }
    };
    let id_adopt = id.clone();
    view! {
        <article class="persona card" data-testid="persona" aria-label=move || format!("Persona {}", name())>
            <h3 class="persona-name">{name}</h3>
            <p class="persona-role">{field(|p| p.role.clone())}</p>
            {move || {
                let q = field(|p| p.quote.clone())();
                (!q.is_empty()).then(|| view! { <blockquote>{format!("“{q}”")}</blockquote> })
            }}
            <dl class="persona-facts">
                <dt>"Demographics"</dt>
                <dd>{field(|p| p.demographics.clone())}</dd>
                <dt>"Preferred channels"</dt>
                <dd>{move || channels.get()}</dd>
                <dt>"Segment key"</dt>
                <dd><code>{field(|p| p.segment_key.clone())}</code></dd>
            </dl>
            {list("Goals", |p| &p.goals)}
            {list("Needs", |p| &p.needs)}
            {list("Frustrations", |p| &p.frustrations)}
            {list("Behaviours", |p| &p.behaviours)}
            <div class="persona-actions">
                {move || match linked.get() {
                    Some(source) => view! {
                        <a class="button" href=Route::Personas(Some(source)).hash()>
                            {format!("Edit {} on the personas page", name())}
                        </a>
                    }
                    .into_any(),
                    None => {
                        let id = id_adopt.clone();
                        view! {
                            <span class="badge">"only on this map"</span>
                            <button on:click=move |_| {
                                let map = ed.read(|m| Some(m.id.clone()));
                                if let Some(map) = map {
                                    state.adopt_persona(&map, &id, same.get_untracked().as_ref());
                                }
                            }>
                                {move || format!("Add {} to the workspace", name())}
                            </button>
                        }
                        .into_any()
                    }
                }}
                <button class="danger" on:click=move |_| {
                    ed.curves.update(|c| c.retain(|x| x != &id));
                    state.edit(|m| m.detach_persona(&id));
                }>
                    {move || format!("Remove {} from this map", name())}
                </button>
            </div>
        </article>
    }
}
