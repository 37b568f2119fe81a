//! The home view: every map in this browser, and where new ones start.

use leptos::prelude::*;

use super::backup::{BackupReminder, BackupStatus, DataCard};
use super::local_time::local_time;
use super::state::AppState;
use super::transfer::import::MapImport;
use super::{download, input_value, RenameForm};
use crate::model::{MapState, MapSummary};
use crate::route::Route;
use crate::templates::TEMPLATES;

#[component]
pub fn Library() -> impl IntoView {
    let state = expect_context::<AppState>();
    let new_name = RwSignal::new(String::new());
    let create = move || {
        state.create_blank(&new_name.get_untracked());
        new_name.set(String::new());
    };
    let backups = BackupStatus::new();

    view! {
        <section class="page library" aria-labelledby="library-title">
            <div class="page-head">
                <div>
                    <h1 id="library-title">"Journey maps"</h1>
                    <p class="muted">
                        "Map how customers move between channels, and where they have to start over."
                    </p>
                </div>
                <a class="button" href=Route::Personas(None).hash()>"Personas"</a>
            </div>

            <BackupReminder status=backups />

            <div class="create-row card">
                <form
                    class="create-blank"
                    on:submit=move |ev| {
                        ev.prevent_default();
                        create();
                    }
                >
                    <label for="new-map-name">"New blank map"</label>
                    <div class="inline">
                        <input
                            id="new-map-name"
                            type="text"
                            placeholder="e.g. Online order to doorstep"
                            prop:value=move || new_name.get()
                            on:input=move |ev| new_name.set(input_value(&ev))
                        />
                        <button type="submit" class="primary">"Create map"</button>
                    </div>
                </form>
                <div class="create-template">
                    <span class="label">"Or start from an example"</span>
                    <ul class="template-list">
                        {TEMPLATES
                            .iter()
                            .map(|t| {
                                let key = t.key;
                                view! {
                                    <li>
                                        <button
                                            class="template"
                                            data-template=key
                                            on:click=move |_| state.create_from_template(key)
                                        >
                                            <strong>{t.title}</strong>
                                            <span class="muted">{t.description}</span>
                                        </button>
                                    </li>
                                }
                            })
                            .collect_view()}
                    </ul>
                </div>
            </div>

            <MapImport />

            <Show
                when=move || !state.maps.with(Vec::is_empty)
                fallback=|| {
                    view! {
                        <p class="empty-note" data-testid="no-maps">
                            "No maps yet. Create a blank one or start from an example above."
                        </p>
                    }
                }
            >
                <ul class="map-list" aria-label="Your maps">
                    <For each=move || state.maps.get() key=|m| (m.id.clone(), m.updated_ms.to_bits(), m.name.clone()) let(m)>
                        <MapRow summary=m />
                    </For>
                </ul>
            </Show>

            <Quarantine />
            <DataCard status=backups />
        </section>
    }
}

#[component]
fn MapRow(summary: MapSummary) -> impl IntoView {
    let state = expect_context::<AppState>();
    let renaming = RwSignal::new(false);
    let draft = RwSignal::new(summary.name.clone());
    let id = summary.id.clone();
    let href = Route::Map(id.clone()).hash();
    let counts = format!(
        "{} stages · {} channels · {} touchpoints · {} handoffs",
        summary.stages, summary.channels, summary.touchpoints, summary.handoffs
    );
    let losses = summary.context_losses;
    let edited = local_time(summary.updated_ms);
    let future = summary.state == MapState::Future;
    let name = summary.name.clone();

    let (id_rename, id_dup, id_del) = (id.clone(), id.clone(), id.clone());
    let commit = Callback::new(move |name: String| state.rename(&id_rename, &name));
    view! {
        <li class="map-row card" data-testid="map-row">
            <div class="map-row-main">
                <Show
                    when=move || renaming.get()
                    fallback={
                        let name = name.clone();
                        let href = href.clone();
                        move || view! { <a class="map-name" href=href.clone()>{name.clone()}</a> }
                    }
                >
                    <RenameForm label="Map name" draft renaming commit />
                </Show>
                <div class="meta">
                    {future.then(|| view! { <span class="badge">"future state"</span> })}
                    <span>{counts}</span>
                    {(losses > 0)
                        .then(|| {
                            view! {
                                <span class="badge danger">
                                    <span aria-hidden="true">"⚠ "</span>
                                    {format!("{losses} context loss{}", if losses == 1 { "" } else { "es" })}
                                </span>
                            }
                        })}
                    <span class="muted">"Edited " {edited}</span>
                </div>
            </div>
            <div class="row-actions">
                <button on:click=move |_| renaming.set(true)>"Rename"</button>
                <button on:click=move |_| state.duplicate(&id_dup)>"Duplicate"</button>
                <button class="danger" on:click=move |_| state.delete(&id_del)>"Delete"</button>
            </div>
        </li>
    }
}

/// Stored values that could not be read. They stay until the user exports or
/// discards them, so nothing is lost to a bad edit or a bug.
#[component]
fn Quarantine() -> impl IntoView {
    let state = expect_context::<AppState>();
    view! {
        <Show when=move || !state.quarantined.with(Vec::is_empty)>
            <section class="quarantine card" aria-labelledby="quarantine-title" data-testid="quarantine">
                <h2 id="quarantine-title">"Set aside: saved data that could not be read"</h2>
                <p class="muted">
                    "Waymark moved these aside instead of overwriting them. Export one to repair it by hand."
                </p>
                <ul>
                    <For each=move || state.quarantined.get() key=|q| q.key.clone() let(q)>
                        {
                            let key = q.key.clone();
                            let raw = q.raw.clone();
                            let file = format!("{}.json", q.original_key.replace('.', "-"));
                            view! {
                                <li>
                                    <code>{q.original_key.clone()}</code>
                                    <span class="reason">{q.reason.clone()}</span>
                                    <button on:click=move |_| download(&file, "application/json", &raw)>
                                        "Export"
                                    </button>
                                    <button class="danger" on:click=move |_| state.discard_quarantined(&key)>
                                        "Discard"
                                    </button>
                                </li>
                            }
                        }
                    </For>
                </ul>
            </section>
        </Show>
    }
}
