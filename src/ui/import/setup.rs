//! Picking a file and checking how it was read before anything is imported.

use std::collections::VecDeque;

use leptos::ev;
use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

use super::{
    datasets, file_size, make_room, pause, run, ChunkRead, Chunks, Phase, Picked, Slicer, Wizard,
};
use crate::import::decode::{Encoding, Sniffer};
use crate::import::{is_workbook, ImportOptions, Importer, ReadError, Role};
use crate::storage::datasets::FileHasher;
use crate::ui::local_time::local_time;

/// Rows of the preview table; the full sample still guides role guesses.
const PREVIEW_ROWS: usize = 8;

/// How long the review shows before [`check`] starts reading: less than
/// anyone takes to read the roles, more than a click on Import made at
/// once.
const CHECK_AFTER_MS: i32 = 500;

/// Role names as a survey owner would say them.
pub(super) fn role_name(role: Role) -> &'static str {
    match role {
        Role::Nps => "NPS (0–10)",
        Role::Csat => "CSAT",
        Role::Ces => "CES (1–7)",
        Role::Metric => "Other number",
        Role::Comment => "Comment",
        Role::Timestamp => "Date / time",
        Role::Customer => "Customer id",
        Role::Touchpoint => "Touchpoint",
        Role::Channel => "Channel",
        Role::Stage => "Stage",
        Role::Segment => "Segment / persona",
        Role::Ignored => "Ignore",
        Role::Sentiment => "Sentiment (computed)",
    }
}

/// Reads the start of `file` and plans its import, then shows the review
/// while [`check`] reads the rest. Runs after the page may have moved on (a
/// second file picked, the page left), so it only takes effect if no other
/// run started meanwhile.
fn open_file(wizard: Wizard, file: web_sys::File, sheet: Option<String>) {
    wizard.error.set(None);
    wizard.run.update_value(|r| *r += 1);
    let run = wizard.run.get_value();
    let mask = wizard.mask.get_untracked();
    // A worker still importing an earlier file's second part would compete
    // with this file's reading.
    wizard.ready_helper();
    wizard.ahead.set_value(VecDeque::new());
    let window = run::read_split_window(&file);
    spawn_local(async move {
        let name = file.name();
        let options = ImportOptions {
            sheet,
            mask_contacts: mask,
            ..ImportOptions::default()
        };
        let current = move || wizard.run.try_get_value() == Some(run);
        match open(&file, options, current).await {
            Ok(None) => {}
            Ok(Some(Opened { importer, hasher })) => {
                let hash = hasher.hex();
                wizard.importer.set_value(Some(importer));
                wizard.hasher.set_value(Some(hasher));
                wizard.picked.set(Some(Picked {
                    name,
                    bytes: file.size() as usize,
                    hash: hash.clone(),
                }));
                wizard.file.set_value(Some(file.clone()));
                // Before the review draws: the worker starts its part a
                // frame sooner, and Import cannot come before the split.
                run::prepare_split(wizard, &file, window).await;
                if !current() {
                    return;
                }
                run::read_ahead(wizard, &file);
                wizard.plan.update(|p| *p += 1);
                wizard.phase.set(Phase::Review);
                // Not at once: reads already in flight when Import is
                // clicked cannot be called back, and they would compete
                // with the import's own reads of the same bytes.
                if hash.is_none() && pause(CHECK_AFTER_MS).await && current() {
                    // Nothing to tell the user if it fails: the import reads
                    // and hashes the file on its own.
                    let _ = check(wizard, &file, &current).await;
                }
            }
            Err(Opening::Unreadable) => wizard
                .error
                .set(Some(format!("{name} could not be read from disk."))),
            Err(Opening::Invalid(e)) => wizard
                .error
                .set(Some(format!("{name} cannot be imported: {e}."))),
        }
    });
}

pub(super) enum Opening {
    Unreadable,
    Invalid(ReadError),
}

impl Opening {
    /// Why, for a sentence about a file that could not be read to the end.
    pub(super) fn reason(&self) -> String {
        match self {
            Opening::Unreadable => "it could not be read from disk".into(),
            Opening::Invalid(e) => e.to_string(),
        }
    }
}

impl From<JsValue> for Opening {
    fn from(_: JsValue) -> Self {
        Opening::Unreadable
    }
}

impl From<ReadError> for Opening {
    fn from(e: ReadError) -> Self {
        Opening::Invalid(e)
    }
}

/// A file read far enough to review its import.
struct Opened {
    importer: Importer,
    /// Fed the chunks read so far; complete for a workbook.
    hasher: FileHasher,
}

/// Reads the header and sample of `file` and plans its import; `None` when
/// `current` says the page has moved on. A text file is read only that
/// far, a chunk at a time, its encoding guessed from those chunks; the rest
/// is read while importing. A workbook is compressed and must be read whole.
async fn open(
    file: &web_sys::File,
    options: ImportOptions,
    current: impl Fn() -> bool,
) -> Result<Option<Opened>, Opening> {
    let total = file.size() as usize;
    if total == 0 {
        return Err(Importer::new(Vec::new(), options)
            .err()
            .map_or(Opening::Unreadable, Opening::from));
    }
    let first = ChunkRead::start(file, 0)?;
    make_room(total);
    let first = first.bytes().await?;
    let mut hasher = FileHasher::new(total);
    if is_workbook(&first) {
        let buffer = JsFuture::from(file.array_buffer()).await?;
        let bytes = js_sys::Uint8Array::new(&buffer).to_vec();
        hasher.feed(0, &bytes);
        let importer = Importer::new(bytes, options)?;
        return Ok(current().then_some(Opened { importer, hasher }));
    }
    let mut sniffer = Sniffer::default();
    sniffer.update(&first);
    let importer = plan(
        file,
        sniffer.so_far(),
        options,
        Some(first),
        &mut |offset, chunk| hasher.feed(offset, chunk),
        &current,
    )
    .await?;
    Ok(importer.map(|importer| Opened { importer, hasher }))
}

/// A text file's import, planned in `encoding` from chunks read from the
/// start (`first` when already read), each shown to `seen`, until the
/// header and sample are read. Starts over as Windows-1252 when bytes past
/// the first chunk turn out not to be UTF-8. `None` when `current` says the
/// page has moved on.
pub(super) async fn plan(
    file: &web_sys::File,
    mut encoding: Encoding,
    options: ImportOptions,
    mut first: Option<Vec<u8>>,
    seen: &mut dyn FnMut(usize, &[u8]),
    current: &dyn Fn() -> bool,
) -> Result<Option<Importer>, Opening> {
    let total = file.size() as usize;
    let mut slicer = Slicer::new();
    loop {
        let mut importer = Importer::streaming(encoding, total, options.clone());
        while let Some(offset) = importer.wants_input().filter(|_| !importer.is_planned()) {
            let bytes = match first.take() {
                Some(first) if offset == 0 => first,
                _ => ChunkRead::start(file, offset)?.bytes().await?,
            };
            seen(offset, &bytes);
            importer.push(&bytes)?;
            slicer.pause_if_used_up().await;
            if !current() {
                return Ok(None);
            }
        }
        if !importer.misread() {
            return Ok(Some(importer));
        }
        encoding = Encoding::Windows1252;
    }
}

/// What the user decided in the review, carried over when the file is
/// planned again in another encoding.
pub(super) struct Choices {
    /// Each column's name and role, in order.
    roles: Vec<(String, Role)>,
    mask: bool,
}

impl Choices {
    pub(super) fn of(importer: &Importer, mask: bool) -> Choices {
        Choices {
            roles: importer
                .columns()
                .iter()
                .map(|c| (c.name.clone(), c.role))
                .collect(),
            mask,
        }
    }

    /// Options that plan the same roles by column name.
    pub(super) fn options(&self) -> ImportOptions {
        ImportOptions {
            mask_contacts: self.mask,
            roles: self.roles.clone(),
            ..ImportOptions::default()
        }
    }

    /// Sets the choices on an importer of the same file, planned from
    /// [`Choices::options`]. Roles go by position too: the columns are the
    /// same, but a name with letters beyond ASCII reads differently in
    /// another encoding, and two columns may share a name.
    pub(super) fn apply(&self, importer: &mut Importer) {
        let _ = importer.set_mask_contacts(self.mask);
        if importer.columns().len() == self.roles.len() {
            for (i, (_, role)) in self.roles.iter().enumerate() {
                let _ = importer.set_role(i, *role);
            }
        }
    }
}

/// While the review shows: reads all of the text file once more, a chunk
/// at a time in tasks of [`Slicer`]'s size, for its hash (so an earlier
/// import of it is recognised) and its encoding, which the review guessed
/// from its start. A file whose invalid UTF-8 comes later is planned again
/// as Windows-1252, keeping the user's choices. Stops as soon as `current`
/// says the run moved on (the import started, another file was picked, the
/// page was left): the import hashes the file and finds a misread itself.
async fn check(
    wizard: Wizard,
    file: &web_sys::File,
    current: &dyn Fn() -> bool,
) -> Result<(), Opening> {
    let mut slicer = Slicer::new();
    let mut sniffer = Sniffer::default();
    let mut chunks = Chunks::from(file, 0);
    while let Some((at, chunk)) = chunks.next().await? {
        if !current() {
            return Ok(());
        }
        // Into the wizard's hasher, which the import takes over: a file
        // checked to the end is not hashed again when it is imported.
        wizard
            .hasher
            .update_value(|h| h.iter_mut().for_each(|h| h.feed(at, &chunk)));
        sniffer.update(&chunk);
        slicer.pause_if_used_up().await;
    }
    if !current() {
        return Ok(());
    }
    let hash = wizard
        .hasher
        .with_value(|h| h.as_ref().and_then(FileHasher::hex));
    wizard.picked.update(|p| {
        if let Some(p) = p {
            p.hash = hash;
        }
    });
    let as_utf8 = wizard.importer.with_value(|i| {
        i.as_ref()
            .is_some_and(|i| i.source().encoding == Encoding::Utf8.label())
    });
    if !as_utf8 || sniffer.finish() != Encoding::Windows1252 {
        return Ok(());
    }
    let choices = move || {
        wizard.importer.with_value(|i| {
            i.as_ref()
                .map(|i| Choices::of(i, wizard.mask.get_untracked()))
        })
    };
    let Some(options) = choices().map(|c| c.options()) else {
        return Ok(());
    };
    let Some(mut importer) = plan(
        file,
        Encoding::Windows1252,
        options,
        None,
        &mut |_, _| {},
        current,
    )
    .await?
    else {
        return Ok(());
    };
    // Taken again: roles may have been changed while the plan was made.
    let Some(choices) = choices() else {
        return Ok(());
    };
    choices.apply(&mut importer);
    wizard.importer.set_value(Some(importer));
    wizard.plan.update(|p| *p += 1);
    run::set_off(wizard);
    Ok(())
}

fn first_file(files: Option<web_sys::FileList>) -> Option<web_sys::File> {
    files.and_then(|l| l.get(0))
}

#[component]
pub(super) fn PickFile(wizard: Wizard) -> impl IntoView {
    let dragging = RwSignal::new(false);
    view! {
        <div
            class="card drop-zone"
            class:dragging=move || dragging.get()
            data-testid="drop-zone"
            on:dragover=move |ev: ev::DragEvent| {
                ev.prevent_default();
                dragging.set(true);
            }
            on:dragleave=move |_| dragging.set(false)
            on:drop=move |ev: ev::DragEvent| {
                ev.prevent_default();
                dragging.set(false);
                if let Some(file) = first_file(ev.data_transfer().and_then(|d| d.files())) {
                    open_file(wizard, file, None);
                }
            }
        >
            <p class="drop-title">"Drop a survey export here"</p>
            <p class="muted">"CSV, TSV or text in any encoding, or an Excel workbook"</p>
            <label class="button primary file-button">
                "Choose a file"
                <input
                    type="file"
                    class="visually-hidden"
                    data-testid="import-file"
                    accept=".csv,.tsv,.txt,.xlsx,text/csv,text/tab-separated-values"
                    on:change=move |ev| {
                        let input = ev
                            .target()
                            .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok());
                        if let Some(file) = first_file(input.as_ref().and_then(|i| i.files())) {
                            open_file(wizard, file, None);
                        }
                        if let Some(input) = input {
                            input.set_value("");
                        }
                    }
                />
            </label>
            {move || {
                wizard
                    .error
                    .get()
                    .map(|e| view! { <p class="import-error" role="alert" data-testid="import-error">{e}</p> })
            }}
        </div>
    }
}

#[component]
pub(super) fn Review(wizard: Wizard) -> impl IntoView {
    let with_importer = move |f: &dyn Fn(&Importer) -> AnyView| {
        wizard.plan.track();
        wizard
            .importer
            .with_value(|i| i.as_ref().map(f))
            .unwrap_or_else(|| ().into_any())
    };
    let source = move || {
        with_importer(&|importer| {
            let s = importer.source().clone();
            let picked = wizard.picked.get_untracked();
            let sheets = s.sheets.clone();
            let chosen = s.sheet.clone().unwrap_or_default();
            view! {
                <dl class="source-facts" data-testid="source">
                    <div><dt>"File"</dt><dd>{picked.as_ref().map(|p| format!("{} · {}", p.name, file_size(p.bytes)))}</dd></div>
                    <div><dt>"Encoding"</dt><dd data-testid="source-encoding">{s.encoding}</dd></div>
                    <div><dt>"Delimiter"</dt><dd data-testid="source-delimiter">{s.delimiter.unwrap_or_else(|| "—".into())}</dd></div>
                    <div><dt>"Layout"</dt><dd data-testid="source-layout">{s.layout}</dd></div>
                    <div><dt>"Header rows"</dt><dd>{s.header_rows}</dd></div>
                </dl>
                {(sheets.len() > 1).then(|| view! {
                    <label class="field sheet-choice">
                        <span>"Worksheet"</span>
                        <select on:change=move |ev| {
                            let sheet = event_target_value(&ev);
                            if let Some(file) = wizard.file.get_value() {
                                open_file(wizard, file, Some(sheet));
                            }
                        }>
                            {sheets.iter().map(|name| {
                                view! { <option value=name.clone() selected=*name == chosen>{name.clone()}</option> }
                            }).collect_view()}
                        </select>
                    </label>
                })}
            }
            .into_any()
        })
    };
    let columns = move || {
        with_importer(&|importer| {
            let preview = importer.preview_as_imported();
            importer
                .columns()
                .iter()
                .enumerate()
                .map(|(i, c)| {
                    let samples: Vec<String> = preview
                        .iter()
                        .filter_map(|row| row.get(i))
                        .filter(|v| !v.trim().is_empty())
                        .take(3)
                        .cloned()
                        .collect();
                    let current = c.role;
                    let scale = c
                        .scale
                        .range()
                        .map(|(lo, hi)| format!("{lo}–{hi}"))
                        .unwrap_or_default();
                    view! {
                        <tr data-column=c.name.clone()>
                            <th scope="row">
                                {c.name.clone()}
                                {c.field_id.clone().map(|id| view! { <span class="muted field-id">{id}</span> })}
                            </th>
                            <td>
                                <select
                                    data-testid=format!("role-{i}")
                                    aria-label=format!("Role of {}", c.name)
                                    on:change=move |ev| {
                                        let value = event_target_value(&ev);
                                        if let Some(role) = Role::ALL.into_iter().find(|r| r.label() == value) {
                                            wizard.importer.update_value(|imp| {
                                                if let Some(imp) = imp {
                                                    let _ = imp.set_role(i, role);
                                                }
                                            });
                                            wizard.plan.update(|p| *p += 1);
                                            run::set_off(wizard);
                                        }
                                    }
                                >
                                    {Role::ALL.into_iter().map(|r| view! {
                                        <option value=r.label() selected=r == current>{role_name(r)}</option>
                                    }).collect_view()}
                                </select>
                                <span class="muted scale">{scale}</span>
                            </td>
                            <td class="samples">{samples.join(" · ")}</td>
                        </tr>
                    }
                })
                .collect_view()
                .into_any()
        })
    };
    let preview = move || {
        with_importer(&|importer| {
            let rows = importer.preview_as_imported();
            let total = rows.len();
            view! {
                <div class="table-scroll">
                    <table class="preview" data-testid="preview">
                        <thead><tr>{importer.columns().iter().map(|c| view! { <th scope="col">{c.name.clone()}</th> }).collect_view()}</tr></thead>
                        <tbody>
                            {rows.into_iter().take(PREVIEW_ROWS).map(|row| view! {
                                <tr>{row.into_iter().map(|cell| view! { <td>{cell}</td> }).collect_view()}</tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                </div>
                <p class="muted">{format!("The first {} of {total} sampled rows, as they will be imported.", total.min(PREVIEW_ROWS))}</p>
            }
            .into_any()
        })
    };

    let earlier = move || {
        datasets::earlier_import(wizard).map(|m| {
            view! {
                <p class="banner" role="status" data-testid="same-file">
                    {format!(
                        "This file was imported before, on {}, as “{}”. Importing it again replaces that dataset.",
                        local_time(m.created_ms),
                        m.name
                    )}
                </p>
            }
        })
    };
    view! {
        {earlier}
        <div class="card import-step">
            <h2>"How the file was read"</h2>
            {source}
        </div>
        <div class="card import-step">
            <h2>"Columns"</h2>
            <p class="muted">"Each column's role was guessed from its header and values. Correct any that are wrong before importing."</p>
            <div class="table-scroll">
                <table class="columns-table" data-testid="columns">
                    <thead><tr><th scope="col">"Column"</th><th scope="col">"Role"</th><th scope="col">"Sample values"</th></tr></thead>
                    <tbody>{columns}</tbody>
                </table>
            </div>
        </div>
        <div class="card import-step">
            <div class="step-head">
                <h2>"Preview"</h2>
                <label class="toggle">
                    <input
                        type="checkbox"
                        data-testid="mask-contacts"
                        prop:checked=move || wizard.mask.get()
                        on:change=move |ev| {
                            let mask = event_target_checked(&ev);
                            wizard.mask.set(mask);
                            wizard.importer.update_value(|imp| {
                                if let Some(imp) = imp {
                                    let _ = imp.set_mask_contacts(mask);
                                }
                            });
                            wizard.plan.update(|p| *p += 1);
                            run::set_off(wizard);
                        }
                    />
                    "Mask emails and phone numbers in comments"
                </label>
            </div>
            {preview}
        </div>
        <div class="import-actions">
            <button class="primary" data-testid="start-import" on:click=move |_| run::start(wizard)>
                "Import"
            </button>
            <button on:click=move |_| wizard.reset()>"Choose another file"</button>
        </div>
    }
}
