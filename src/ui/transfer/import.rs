//! The library's import: a map file or mermaid journey from the file
//! picker, dropped onto the page, or pasted. Nothing is stored until the
//! core has read and checked the whole input; a map whose id this browser
//! already holds waits for the user to choose a copy or a replacement.

use leptos::ev;
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::{spawn_local, JsFuture};
use waymark_core::formats::{read_any, FormatError};

use crate::model::{Id, JourneyMap};
use crate::storage::browser::{now_ms, random_id};
use crate::transfer::too_large;
use crate::ui::state::AppState;

/// Where an import stands.
#[derive(Clone, Debug, PartialEq)]
enum Step {
    Idle,
    Reading(String),
    /// `source` (a file name, or the pasted text) was refused.
    Refused {
        source: String,
        error: FormatError,
    },
    /// The map's id is taken by `existing` (its name).
    Conflict {
        map: JourneyMap,
        existing: String,
    },
    /// "Replace" was chosen and waits for confirmation.
    ConfirmReplace {
        map: JourneyMap,
        existing: String,
    },
}

/// The import's state: the picker, the pasted text and dropped files all
/// end in the same steps.
#[derive(Clone, Copy)]
struct Importer {
    state: AppState,
    step: RwSignal<Step>,
    /// Files dragged over the page (enter and leave pair up per element).
    drags: RwSignal<i32>,
}

impl Importer {
    fn new(state: AppState) -> Self {
        Importer {
            state,
            step: RwSignal::new(Step::Idle),
            drags: RwSignal::new(0),
        }
    }

    /// Refuses an oversized file by its size, before reading a byte of it.
    fn take_file(self, file: web_sys::File) {
        let source = file.name();
        if let Some(error) = too_large(file.size()) {
            self.step.set(Step::Refused { source, error });
            return;
        }
        self.step.set(Step::Reading(source.clone()));
        spawn_local(async move {
            let text = JsFuture::from(file.text())
                .await
                .ok()
                .and_then(|v| v.as_string());
            match text {
                Some(text) => self.take_text(source, &text),
                None => {
                    self.step.try_set(Step::Refused {
                        source,
                        error: FormatError {
                            field: "file".into(),
                            message: "could not be read as text".into(),
                        },
                    });
                }
            }
        });
    }

    /// Reads and checks the text; a map new to this browser is stored and
    /// opened at once. Runs after an await: the page may be gone.
    fn take_text(self, source: String, text: &str) {
        match read_any(text, Id::new(random_id("m-")), now_ms()) {
            Err(error) => {
                self.step.try_set(Step::Refused { source, error });
            }
            Ok(map) => match self.state.existing_map(&map.id) {
                Some(existing) => {
                    self.step.try_set(Step::Conflict { map, existing });
                }
                None => {
                    self.step.try_set(Step::Idle);
                    self.state.import_new(map);
                }
            },
        }
    }

    fn dragging_files(ev: &ev::DragEvent) -> bool {
        ev.data_transfer()
            .is_some_and(|dt| dt.types().includes(&"Files".into(), 0))
    }
}

/// The import card: file picker, pasted mermaid, and what became of the
/// last attempt. While it shows, a file dropped anywhere on the page is
/// imported too, and a hint covers the page while one is dragged over it.
#[component]
pub fn MapImport() -> impl IntoView {
    let importer = Importer::new(expect_context::<AppState>());
    let step = importer.step;
    let drags = importer.drags;
    let listeners = [
        window_event_listener(ev::dragenter, move |ev| {
            if Importer::dragging_files(&ev) {
                ev.prevent_default();
                drags.update(|n| *n += 1);
            }
        }),
        window_event_listener(ev::dragover, move |ev| {
            if Importer::dragging_files(&ev) {
                // Allows the drop; without it the browser opens the file.
                ev.prevent_default();
                if let Some(dt) = ev.data_transfer() {
                    dt.set_drop_effect("copy");
                }
            }
        }),
        window_event_listener(ev::dragleave, move |ev| {
            if Importer::dragging_files(&ev) {
                drags.update(|n| *n = (*n - 1).max(0));
            }
        }),
        window_event_listener(ev::drop, move |ev| {
            let file = ev
                .data_transfer()
                .and_then(|dt| dt.files())
                .and_then(|f| f.get(0));
            if let Some(file) = file {
                ev.prevent_default();
                drags.set(0);
                importer.take_file(file);
                scroll_to_import();
            }
        }),
    ];
    on_cleanup(move || listeners.into_iter().for_each(|l| l.remove()));
    let pasted = RwSignal::new(String::new());
    let on_pick = move |ev: ev::Event| {
        let input = event_target::<web_sys::HtmlInputElement>(&ev);
        if let Some(file) = input.files().and_then(|f| f.get(0)) {
            importer.take_file(file);
        }
        // Picking the same file again must fire `change` again.
        input.set_value("");
    };
    view! {
        <section class="card map-import" aria-labelledby="map-import-title" data-testid="map-import">
            <div class="map-import-head">
                <div>
                    <h2 id="map-import-title">"Open a map file or mermaid journey"</h2>
                    <p class="muted">
                        "A Waymark map file (.waymark.json) or a mermaid journey (.mmd). It is checked before anything is saved. You can also drop it anywhere on this page."
                    </p>
                </div>
                <label class="button file-pick">
                    "Choose a file…"
                    <input
                        type="file"
                        class="visually-hidden"
                        accept=".json,.mmd,.mermaid,.txt,application/json,text/plain"
                        data-testid="map-file-input"
                        on:change=on_pick
                    />
                </label>
            </div>
            <details class="paste-mermaid">
                <summary>"Paste mermaid"</summary>
                <form on:submit=move |ev| {
                    ev.prevent_default();
                    importer.take_text("The pasted journey".into(), &pasted.get_untracked());
                }>
                    <label for="paste-mermaid-text">"A mermaid journey, starting with the line journey"</label>
                    <textarea
                        id="paste-mermaid-text"
                        rows="8"
                        spellcheck="false"
                        placeholder="journey\n  title Buying a bike\n  section Discover\n    Read a review: 4: Alex"
                        prop:value=move || pasted.get()
                        on:input=move |ev| pasted.set(event_target_value(&ev))
                    ></textarea>
                    <button type="submit" class="primary">"Import"</button>
                </form>
            </details>
            {move || outcome(importer, step.get())}
            <div class="drop-hint" class=("drop-active", move || drags.get() > 0) aria-hidden="true">
                <p>"Drop a map file or mermaid journey to open it"</p>
            </div>
        </section>
    }
}

fn outcome(importer: Importer, step: Step) -> AnyView {
    let state = importer.state;
    let set = importer.step;
    match step {
        Step::Idle => ().into_any(),
        Step::Reading(source) => view! {
            <p class="import-note" role="status">{format!("Reading “{source}”…")}</p>
        }
        .into_any(),
        Step::Refused { source, error } => view! {
            <div class="import-refused" role="alert" data-testid="import-error">
                <p>
                    <strong>{format!("“{source}” was not imported.")}</strong>
                    " Nothing was saved."
                </p>
                <p>
                    <code class="import-field">{error.field.clone()}</code>
                    ": "
                    {error.message.clone()}
                </p>
                <button class="ghost" on:click=move |_| set.set(Step::Idle)>"Dismiss"</button>
            </div>
        }
        .into_any(),
        Step::Conflict { map, existing } => {
            let incoming = map.name.clone();
            let copy_name = format!("{} (copy)", map.name);
            let replace = (map.clone(), existing.clone());
            view! {
                <div class="import-conflict" role="group" aria-labelledby="import-conflict-title" data-testid="import-conflict">
                    <p id="import-conflict-title">
                        <strong>"This map is already in this browser."</strong>
                        {format!(" “{incoming}” has the same id as your map “{existing}”. How should it come in?")}
                    </p>
                    <div class="import-choices">
                        <button
                            class="primary"
                            on:click=move |_| {
                                set.set(Step::Idle);
                                state.import_copy(&map, " (copy)");
                            }
                        >
                            "Import as a copy"
                        </button>
                        <span class="muted">{format!("A new map “{copy_name}”; yours stays as it is.")}</span>
                    </div>
                    <div class="import-choices">
                        <button
                            class="danger"
                            on:click=move |_| {
                                let (map, existing) = replace.clone();
                                set.set(Step::ConfirmReplace { map, existing });
                            }
                        >
                            "Replace the existing map"
                        </button>
                        <button class="ghost" on:click=move |_| set.set(Step::Idle)>"Cancel"</button>
                    </div>
                </div>
            }
            .into_any()
        }
        Step::ConfirmReplace { map, existing } => view! {
            <div class="import-conflict" role="alertdialog" aria-labelledby="import-confirm-title" data-testid="import-confirm">
                <p id="import-confirm-title">
                    <strong>{format!("Replace “{existing}”?")}</strong>
                    " Its content is overwritten by the file's, here and in your other tabs."
                </p>
                <div class="import-choices">
                    <button
                        class="danger"
                        on:click=move |_| {
                            set.set(Step::Idle);
                            state.import_replace(map.clone());
                        }
                    >
                        "Replace"
                    </button>
                    <button on:click=move |_| set.set(Step::Idle)>"Keep mine"</button>
                </div>
            </div>
        }
        .into_any(),
    }
}

/// A drop far down the page gets its answer where it shows.
fn scroll_to_import() {
    if let Some(el) = document()
        .query_selector("[data-testid=map-import]")
        .ok()
        .flatten()
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
    {
        el.scroll_into_view();
    }
}
