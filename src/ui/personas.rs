//! The map's personas: who goes through this journey, what they want and
//! which channels they prefer. Personas can be created here or attached from
//! other maps, and each can have its own emotion curve on the canvas.

use leptos::prelude::*;

use super::editor::EditorCtx;
use crate::model::{notes_from_text, Id, Persona};

#[component]
pub fn Personas() -> impl IntoView {
    let ed = expect_context::<EditorCtx>();
    let state = ed.state;
    let ids = Memo::new(move |_| {
        ed.read(|m| m.personas.iter().map(|p| p.id.clone()).collect::<Vec<_>>())
    });
    let name = RwSignal::new(String::new());
    let elsewhere = RwSignal::new(Vec::<(String, Persona)>::new());
    let pick = RwSignal::new(String::new());
    view! {
        <section class="card personas" aria-labelledby="personas-title" data-testid="personas">
            <h2 id="personas-title">"Personas"</h2>
            <p class="muted">
                "Who goes through this journey. Give each one an emotion per touchpoint in the detail panel to draw their own curve."
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
                    state.edit(|m| {
                        m.add_persona(n.trim());
                    });
                    name.set(String::new());
                }>
                    <input
                        type="text"
                        aria-label="New persona name"
                        placeholder="Persona name"
                        prop:value=move || name.get()
                        on:input=move |ev| name.set(event_target_value(&ev))
                    />
                    <button type="submit">"Add persona"</button>
                </form>
                <details on:toggle=move |_| elsewhere.set(state.personas_elsewhere())>
                    <summary>"Attach a persona from another map"</summary>
                    <Show
                        when=move || !elsewhere.with(Vec::is_empty)
                        fallback=|| view! { <p class="muted">"No other map has personas yet."</p> }
                    >
                        <select aria-label="Persona to attach" on:change=move |ev| pick.set(event_target_value(&ev))>
                            <option value="">"Choose a persona"</option>
                            {move || {
                                elsewhere
                                    .get()
                                    .into_iter()
                                    .enumerate()
                                    .map(|(i, (map, p))| {
                                        view! { <option value=i.to_string()>{format!("{} — from {map}", p.name)}</option> }
                                    })
                                    .collect_view()
                            }}
                        </select>
                        <button
                            disabled=move || pick.with(String::is_empty)
                            on:click=move |_| {
                                let chosen = pick
                                    .get_untracked()
                                    .parse::<usize>()
                                    .ok()
                                    .and_then(|i| elsewhere.with_untracked(|e| e.get(i).cloned()));
                                if let Some((_, persona)) = chosen {
                                    state.edit(|m| {
                                        m.attach_persona(persona);
                                    });
                                }
                            }
                        >
                            "Attach"
                        </button>
                    </Show>
                </details>
            </div>
        </section>
    }
}

/// The list fields of a persona, edited one item per line.
#[derive(Clone, Copy)]
enum ListField {
    Behaviours,
    Goals,
    Needs,
    Frustrations,
}

impl ListField {
    const ALL: [ListField; 4] = [
        ListField::Behaviours,
        ListField::Goals,
        ListField::Needs,
        ListField::Frustrations,
    ];

    fn label(self) -> &'static str {
        match self {
            ListField::Behaviours => "Behaviours",
            ListField::Goals => "Goals",
            ListField::Needs => "Needs",
            ListField::Frustrations => "Frustrations",
        }
    }

    fn get(self, p: &mut Persona) -> &mut Vec<String> {
        match self {
            ListField::Behaviours => &mut p.behaviours,
            ListField::Goals => &mut p.goals,
            ListField::Needs => &mut p.needs,
            ListField::Frustrations => &mut p.frustrations,
        }
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
        ed.read(|m| {
            m.channels
                .iter()
                .map(|c| (c.id.clone(), c.name.clone()))
                .collect::<Vec<_>>()
        })
    });
    // Every field edits a copy of the persona and stores it whole, so the
    // model checks it (preferred channels must exist) in one place.
    let change = {
        move |key: Option<String>, f: Box<dyn FnOnce(&mut Persona)>| {
            let Some(mut p) = persona.get_untracked() else {
                return;
            };
            f(&mut p);
            match key {
                Some(k) => state.typing(&k, |m| m.update_persona(p)),
                None => {
                    state.apply(None, |m| m.update_persona(p));
                }
            }
        }
    };
    let text = {
        let id = id.clone();
        move |label: &'static str, get: fn(&mut Persona) -> &mut String| {
            let key = format!("{id}.{label}");
            view! {
                <label class="field">
                    <span>{label}</span>
                    <input
                        type="text"
                        prop:value=move || persona.get().map(|mut p| get(&mut p).clone()).unwrap_or_default()
                        on:input=move |ev| {
                            let v = event_target_value(&ev);
                            change(Some(key.clone()), Box::new(move |p| *get(p) = v));
                        }
                        on:blur=move |_| state.seal()
                    />
                </label>
            }
        }
    };
    let list = {
        let id = id.clone();
        move |field: ListField| {
            let key = format!("{id}.{}", field.label());
            view! {
                <label class="field">
                    <span>{format!("{} (one per line)", field.label())}</span>
                    <textarea
                        rows="2"
                        prop:value=move || persona.get().map(|mut p| field.get(&mut p).join("\n")).unwrap_or_default()
                        on:input=move |ev| {
                            let v = notes_from_text(&event_target_value(&ev));
                            change(Some(key.clone()), Box::new(move |p| *field.get(p) = v));
                        }
                        on:blur=move |_| state.seal()
                    ></textarea>
                </label>
            }
        }
    };
    let name = move || persona.with(|p| p.as_ref().map(|p| p.name.clone()).unwrap_or_default());
    view! {
        <article class="persona card" data-testid="persona" aria-label=move || format!("Persona {}", name())>
            {text("Name", |p| &mut p.name)}
            {text("Role", |p| &mut p.role)}
            {text("Quote", |p| &mut p.quote)}
            {text("Demographics", |p| &mut p.demographics)}
            {ListField::ALL.map(list).to_vec()}
            <fieldset>
                <legend>"Preferred channels"</legend>
                <For each=move || channels.get() key=|c| c.clone() let:c>
                    {
                        let (cid, cid2) = (c.0.clone(), c.0.clone());
                        view! {
                            <label class="check">
                                <input
                                    type="checkbox"
                                    prop:checked=move || persona.with(|p| p.as_ref().is_some_and(|p| p.preferred_channels.contains(&cid)))
                                    on:change=move |ev| {
                                        let on = event_target_checked(&ev);
                                        let cid = cid2.clone();
                                        change(None, Box::new(move |p| {
                                            p.preferred_channels.retain(|x| x != &cid);
                                            if on {
                                                p.preferred_channels.push(cid);
                                            }
                                        }));
                                    }
                                />
                                <span>{c.1}</span>
                            </label>
                        }
                    }
                </For>
            </fieldset>
            {text("Segment key", |p| &mut p.segment_key)}
            <p class="hint muted">"The value of a feedback file's segment column that stands for this persona."</p>
            <button class="danger" on:click=move |_| {
                ed.curves.update(|c| c.retain(|x| x != &id));
                state.edit(|m| m.detach_persona(&id));
            }>
                {move || format!("Remove {} from this map", name())}
            </button>
        </article>
    }
}
