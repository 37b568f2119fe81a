//! The personas page (`#/personas`): every workspace persona, one of them
//! open for editing (`#/personas/<id>`), the maps each is attached to, and
//! the personas that maps hold without the workspace knowing them.
//!
//! Edits are saved like map edits (a short pause, then stored) and then
//! carried to every map the persona is attached to; see
//! `state::workspace`.

use leptos::prelude::*;

use super::input_value;
use super::state::AppState;
use crate::model::{notes_from_text, Id};
use crate::personas::{MapOnly, WorkspacePersona};
use crate::route::Route;

#[component]
pub fn PersonasPage() -> impl IntoView {
    let state = expect_context::<AppState>();
    state.open_personas_page();
    let ws = state.workspace;
    let selected = Memo::new(move |_| match state.route.get() {
        Route::Personas(id) => id,
        _ => None,
    });
    let new_name = RwSignal::new(String::new());
    let last_focus = StoredValue::new(None::<Id>);
    let rows = Memo::new(move |_| {
        ws.library.with(|lib| {
            ws.maps.with(|maps| {
                lib.personas
                    .iter()
                    .map(|p| {
                        (
                            p.id.clone(),
                            p.name.clone(),
                            p.role.clone(),
                            lib.uses(&p.id, maps).len(),
                        )
                    })
                    .collect::<Vec<_>>()
            })
        })
    });

    view! {
        <section class="page personas-page" aria-labelledby="personas-page-title">
            <nav class="crumbs" aria-label="Breadcrumb">
                <a href="#/">"All maps"</a>
            </nav>
            <div class="page-head">
                <div>
                    <h1 id="personas-page-title">"Personas"</h1>
                    <p class="muted">
                        "Define the people you map journeys for once, then attach them to any map. An edit here updates every map the persona is on."
                    </p>
                </div>
                <p class="save-state" aria-live="polite" data-testid="personas-save-state">
                    {move || if ws.dirty.get() { "Saving…" } else { "All changes saved in this browser" }}
                </p>
            </div>
            <div class="personas-layout">
                <nav class="card persona-index" aria-labelledby="persona-index-title">
                    <h2 id="persona-index-title">"Workspace personas"</h2>
                    <form
                        class="persona-create"
                        on:submit=move |ev| {
                            ev.prevent_default();
                            let name = new_name.get_untracked();
                            if name.trim().is_empty() {
                                return;
                            }
                            if let Some(p) = state.create_persona(&name) {
                                new_name.set(String::new());
                                state.navigate(Route::Personas(Some(p.id)));
                            }
                        }
                    >
                        <label for="new-persona-name">"New persona"</label>
                        <div class="inline">
                            <input
                                id="new-persona-name"
                                type="text"
                                placeholder="e.g. Maya"
                                prop:value=move || new_name.get()
                                on:input=move |ev| new_name.set(input_value(&ev))
                            />
                            <button type="submit" class="primary">"Create persona"</button>
                        </div>
                    </form>
                    <Show
                        when=move || !rows.with(Vec::is_empty)
                        fallback=|| view! { <p class="muted" data-testid="no-personas">"No workspace personas yet."</p> }
                    >
                        <ul class="persona-links">
                            <For each=move || rows.get() key=|r| r.clone() let((id, name, role, used))>
                                {
                                    let current = {
                                        let id = id.clone();
                                        move || (selected.get().as_ref() == Some(&id)).then_some("page")
                                    };
                                    let name = if name.trim().is_empty() { "Unnamed persona".to_owned() } else { name };
                                    view! {
                                        <li>
                                            <a
                                                href=Route::Personas(Some(id.clone())).hash()
                                                aria-current=current
                                                data-testid="persona-link"
                                            >
                                                <strong>{name}</strong>
                                                <span class="muted">{role}</span>
                                                <span class="uses">
                                                    {match used {
                                                        0 => "on no map".to_owned(),
                                                        1 => "on 1 map".to_owned(),
                                                        n => format!("on {n} maps"),
                                                    }}
                                                </span>
                                            </a>
                                        </li>
                                    }
                                }
                            </For>
                        </ul>
                    </Show>
                </nav>
                <div class="persona-main">
                    {move || match selected.get() {
                        Some(id) if ws.library.with_untracked(|l| l.get(&id).is_some()) => {
                            ws.external.track();
                            // Focus follows the user opening a persona, not
                            // a rebuild for another tab's change.
                            let focus = last_focus.try_update_value(|last| {
                                let opened = last.as_ref() != Some(&id);
                                *last = Some(id.clone());
                                opened
                            }).unwrap_or(true);
                            view! { <PersonaEditor id focus /> }.into_any()
                        }
                        Some(_) => view! {
                            <section class="card empty-note" data-testid="persona-missing">
                                <h2>"Persona not found"</h2>
                                <p>"It may have been deleted, here or in another tab. Choose another one from the list."</p>
                            </section>
                        }
                        .into_any(),
                        None => view! {
                            <section class="card empty-note">
                                <p>"Choose a persona to edit it, or create one."</p>
                            </section>
                        }
                        .into_any(),
                    }}
                </div>
            </div>
            <MapOnlyPersonas />
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

    fn get(self, p: &mut WorkspacePersona) -> &mut Vec<String> {
        match self {
            ListField::Behaviours => &mut p.behaviours,
            ListField::Goals => &mut p.goals,
            ListField::Needs => &mut p.needs,
            ListField::Frustrations => &mut p.frustrations,
        }
    }
}

#[component]
fn PersonaEditor(id: Id, focus: bool) -> impl IntoView {
    let state = expect_context::<AppState>();
    let ws = state.workspace;
    let persona = {
        let id = id.clone();
        Memo::new(move |_| ws.library.with(|l| l.get(&id).cloned()))
    };
    // Fields start from the stored value and are not rewritten while
    // typing: a list box rewritten from its parsed lines would swallow the
    // newline just typed. The editor is rebuilt when another persona opens.
    let initial = persona.get_untracked().unwrap_or_default();
    let change = move |f: Box<dyn FnOnce(&mut WorkspacePersona)>| {
        if let Some(mut p) = persona.get_untracked() {
            f(&mut p);
            state.edit_persona(p);
        }
    };
    let text = |label: &'static str, long: bool, get: fn(&mut WorkspacePersona) -> &mut String| {
        let value = get(&mut initial.clone()).clone();
        let on_input = move |v: String| change(Box::new(move |p| *get(p) = v));
        if long {
            view! {
                <label class="field">
                    <span>{label}</span>
                    <textarea rows="2" on:input=move |ev| on_input(event_target_value(&ev))>{value}</textarea>
                </label>
            }
            .into_any()
        } else {
            view! {
                <label class="field">
                    <span>{label}</span>
                    <input type="text" value=value on:input=move |ev| on_input(input_value(&ev)) />
                </label>
            }
            .into_any()
        }
    };
    let list = |field: ListField| {
        let value = field.get(&mut initial.clone()).join("\n");
        view! {
            <label class="field">
                <span>{field.label()} <span class="muted">" (one per line)"</span></span>
                <textarea
                    rows="3"
                    on:input=move |ev| {
                        let v = notes_from_text(&event_target_value(&ev));
                        change(Box::new(move |p| *field.get(p) = v));
                    }
                >
                    {value}
                </textarea>
            </label>
        }
    };
    let channel_names =
        Memo::new(move |_| ws.library.with(|l| ws.maps.with(|m| l.channel_names(m))));
    let name = move || {
        persona.with(|p| match p {
            Some(p) if !p.name.trim().is_empty() => p.name.clone(),
            _ => "Unnamed persona".to_owned(),
        })
    };
    let heading = NodeRef::<leptos::html::H2>::new();
    // Opening a persona from the list moves focus to it, so keyboard and
    // screen reader users land where the content changed.
    Effect::new(move |_| {
        if let Some(h) = heading.get().filter(|_| focus) {
            let _ = h.focus();
        }
    });

    view! {
        <section class="card persona-editor" aria-labelledby="persona-editor-title" data-testid="persona-editor">
            <h2 id="persona-editor-title" tabindex="-1" node_ref=heading>{name}</h2>
            <div class="persona-fields">
                {text("Name", false, |p| &mut p.name)}
                {text("Role", false, |p| &mut p.role)}
                {text("Quote", true, |p| &mut p.quote)}
                {text("Demographics", true, |p| &mut p.demographics)}
                {ListField::ALL.map(list).into_iter().collect_view()}
            </div>
            <fieldset class="persona-channels">
                <legend>"Preferred channels"</legend>
                <p class="hint muted">"Matched by name to each map's channels."</p>
                <For each=move || channel_names.get() key=String::clone let:channel>
                    {
                        let (c1, c2) = (channel.clone(), channel.clone());
                        view! {
                            <label class="check">
                                <input
                                    type="checkbox"
                                    prop:checked=move || persona.with(|p| p.as_ref().is_some_and(|p| p.prefers(&c1)))
                                    on:change=move |ev| {
                                        let on = event_target_checked(&ev);
                                        let c = c2.clone();
                                        change(Box::new(move |p| p.set_preferred(&c, on)));
                                    }
                                />
                                <span>{channel}</span>
                            </label>
                        }
                    }
                </For>
            </fieldset>
            {text("Segment key", false, |p| &mut p.segment_key)}
            <p class="hint muted">"The value of a feedback file's segment column that stands for this persona, so imported scores can be split per persona."</p>
            <PersonaMaps id=id.clone() />
            <div class="persona-actions">
                <button on:click={
                    let id = id.clone();
                    move |_| {
                        if let Some(copy) = state.duplicate_persona(&id) {
                            state.navigate(Route::Personas(Some(copy.id)));
                        }
                    }
                }>
                    {move || format!("Duplicate {}", name())}
                </button>
                <DeletePersona id name=Signal::derive(name) />
            </div>
        </section>
    }
}

/// The maps a persona is on, with detaching, and attaching to more.
#[component]
fn PersonaMaps(id: Id) -> impl IntoView {
    let state = expect_context::<AppState>();
    let ws = state.workspace;
    let uses = {
        let id = id.clone();
        Memo::new(move |_| ws.library.with(|l| ws.maps.with(|m| l.uses(&id, m))))
    };
    let others = {
        let id = id.clone();
        Memo::new(move |_| {
            ws.maps.with(|maps| {
                maps.iter()
                    .filter(|m| m.linked_persona(&id).is_none())
                    .map(|m| (m.id.clone(), m.name.clone()))
                    .collect::<Vec<_>>()
            })
        })
    };
    let pick = RwSignal::new(String::new());
    let id_attach = id.clone();
    let id = StoredValue::new(id);
    view! {
        <section class="persona-maps" aria-labelledby="persona-maps-title">
            <h3 id="persona-maps-title">"Maps"</h3>
            <Show
                when=move || !uses.with(Vec::is_empty)
                fallback=|| view! { <p class="muted">"Not attached to any map yet."</p> }
            >
                <ul>
                    <For each=move || uses.get() key=|u| (u.map.clone(), u.map_name.clone(), u.emotions) let:u>
                        <li data-testid="persona-use">
                            <span>
                                <a href=Route::Map(u.map.clone()).hash()>{u.map_name.clone()}</a>
                                <span class="muted">
                                    {match u.emotions {
                                        0 => " · no emotion scores yet".to_owned(),
                                        1 => " · 1 emotion score".to_owned(),
                                        n => format!(" · {n} emotion scores"),
                                    }}
                                </span>
                            </span>
                            <Detach persona=id.get_value() map=u.map.clone() map_name=u.map_name.clone() emotions=u.emotions />
                        </li>
                    </For>
                </ul>
            </Show>
            <Show when=move || !others.with(Vec::is_empty)>
                <form
                    class="inline"
                    on:submit={
                        let id = id_attach.clone();
                        move |ev| {
                            ev.prevent_default();
                            let map = pick.get_untracked();
                            if !map.is_empty() {
                                state.attach_persona_to(&id, &Id::new(map));
                                pick.set(String::new());
                            }
                        }
                    }
                >
                    <label class="field">
                        <span>"Attach to map"</span>
                        <select prop:value=move || pick.get() on:change=move |ev| pick.set(event_target_value(&ev))>
                            <option value="">"Choose a map"</option>
                            <For each=move || others.get() key=|m| m.clone() let:m>
                                <option value=m.0.to_string()>{m.1}</option>
                            </For>
                        </select>
                    </label>
                    <button type="submit" disabled=move || pick.with(String::is_empty)>"Attach"</button>
                </form>
            </Show>
        </section>
    }
}

/// Detaching removes the persona's emotion scores on that map, so when
/// there are some it asks first.
#[component]
fn Detach(persona: Id, map: Id, map_name: String, emotions: usize) -> impl IntoView {
    let state = expect_context::<AppState>();
    let confirming = RwSignal::new(false);
    let detach = move || state.detach_persona_from(&persona, &map);
    let label = format!("Detach from {map_name}");
    view! {
        <Show
            when=move || confirming.get()
            fallback={
                let detach = detach.clone();
                let label = label.clone();
                move || {
                    let detach = detach.clone();
                    view! {
                        <button on:click=move |_| if emotions == 0 { detach() } else { confirming.set(true) }>
                            {label.clone()}
                        </button>
                    }
                }
            }
        >
            <span class="confirm" role="group" aria-label="Confirm detaching">
                {format!("Detaching removes {emotions} emotion score{} on this map.", if emotions == 1 { "" } else { "s" })}
                <button class="danger" on:click={
                    let detach = detach.clone();
                    move |_| detach()
                }>"Detach"</button>
                <button on:click=move |_| confirming.set(false)>"Cancel"</button>
            </span>
        </Show>
    }
}

/// Deleting from the workspace leaves every map's copy in place (with its
/// emotions); those copies then show as held by their maps.
#[component]
fn DeletePersona(id: Id, name: Signal<String>) -> impl IntoView {
    let state = expect_context::<AppState>();
    let confirming = RwSignal::new(false);
    view! {
        <div>
            <Show
                when=move || confirming.get()
                fallback=move || view! {
                    <button class="danger" on:click=move |_| confirming.set(true)>
                        {move || format!("Delete {} from the workspace", name.get())}
                    </button>
                }
            >
                <span class="confirm" role="group" aria-label="Confirm deleting">
                    "Maps keep their copies and emotion scores; they will be listed below as held by those maps."
                    <button class="danger" on:click={
                        let id = id.clone();
                        move |_| state.delete_persona(&id)
                    }>"Delete"</button>
                    <button on:click=move |_| confirming.set(false)>"Cancel"</button>
                </span>
            </Show>
        </div>
    }
}

/// Personas that maps hold without a workspace persona: from templates,
/// from before this page existed, or whose workspace persona was deleted.
#[component]
fn MapOnlyPersonas() -> impl IntoView {
    let state = expect_context::<AppState>();
    let ws = state.workspace;
    let rows = Memo::new(move |_| ws.library.with(|l| ws.maps.with(|m| l.map_only(m))));
    view! {
        <Show when=move || !rows.with(Vec::is_empty)>
            <section class="card map-only" aria-labelledby="map-only-title" data-testid="map-only">
                <h2 id="map-only-title">"Personas held only by maps"</h2>
                <p class="muted">
                    "Add them to the workspace to edit them here and attach them elsewhere. Nothing on the map changes: its emotion scores stay."
                </p>
                <ul>
                    <For
                        each=move || rows.get()
                        key=|r| (r.map.clone(), r.persona.id.clone(), r.persona.name.clone(), r.matches.clone())
                        let:row
                    >
                        <MapOnlyRow row />
                    </For>
                </ul>
            </section>
        </Show>
    }
}

#[component]
fn MapOnlyRow(row: MapOnly) -> impl IntoView {
    let state = expect_context::<AppState>();
    let ws = state.workspace;
    let MapOnly {
        map,
        map_name,
        persona,
        emotions,
        matches,
    } = row;
    // Linking takes the workspace persona's details, so by default only a
    // copy saying the same is linked; anything else becomes a new persona.
    let choice = RwSignal::new(matches.map(|m| m.to_string()).unwrap_or_default());
    let options = Memo::new(move |_| {
        ws.library.with(|l| {
            l.personas
                .iter()
                .map(|p| (p.id.to_string(), p.name.clone()))
                .collect::<Vec<_>>()
        })
    });
    let label = format!("Add {} from {map_name} as", persona.name);
    let title = format!("{} — {}", persona.name, persona.role);
    view! {
        <li class="map-only-row" data-testid="map-only-persona">
            <div>
                <strong>{title}</strong>
                <span class="muted">
                    " on " <a href=Route::Map(map.clone()).hash()>{map_name.clone()}</a>
                    {format!(" · {emotions} emotion score{}", if emotions == 1 { "" } else { "s" })}
                </span>
            </div>
            <form
                class="inline"
                on:submit=move |ev| {
                    ev.prevent_default();
                    let into = choice.get_untracked();
                    let into = (!into.is_empty()).then(|| Id::new(into));
                    if let Some(p) = state.adopt_persona(&map, &persona.id, into.as_ref()) {
                        state.navigate(Route::Personas(Some(p.id)));
                    }
                }
            >
                <select aria-label=label prop:value=move || choice.get() on:change=move |ev| choice.set(event_target_value(&ev))>
                    <option value="">"a new workspace persona"</option>
                    <For each=move || options.get() key=|o| o.clone() let:o>
                        <option value=o.0.clone()>{format!("the same as workspace persona {} (takes its details)", o.1)}</option>
                    </For>
                </select>
                <button type="submit">"Add to workspace"</button>
            </form>
        </li>
    }
}
