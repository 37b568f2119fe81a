//! Picking a file and checking how it was read before anything is imported.

use std::collections::VecDeque;

use leptos::ev;
use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

use super::{datasets, file_size, run, ChunkRead, Phase, Picked, Slicer, Wizard};
use crate::import::decode::Sniffer;
use crate::import::{is_workbook, ImportOptions, Importer, ReadError, Role, CHUNK_BYTES};
use crate::storage::datasets::{hash_hex, ContentHasher};

/// Slices of the file read at once while hashing it.
const READS_IN_FLIGHT: usize = 4;

/// Rows of the preview table; the full sample still guides role guesses.
const PREVIEW_ROWS: usize = 8;

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
    }
}

/// Reads `file` and sniffs it. Runs after the page may have moved on (a
/// second file picked, the page left), so it only takes effect if no other
/// run started meanwhile.
fn open_file(wizard: Wizard, file: web_sys::File, sheet: Option<String>) {
    wizard.error.set(None);
    wizard.run.update_value(|r| *r += 1);
    let run = wizard.run.get_value();
    let mask = wizard.mask.get_untracked();
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
            Ok(Some((importer, hash))) => {
                wizard.importer.set_value(Some(importer));
                wizard.picked.set(Some(Picked {
                    name,
                    bytes: file.size() as usize,
                    hash,
                }));
                wizard.file.set_value(Some(file));
                wizard.plan.update(|p| *p += 1);
                wizard.phase.set(Phase::Review);
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

enum Opening {
    Unreadable,
    Invalid(ReadError),
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

/// Hashes the file, finds its encoding and reads its header and sample,
/// returning the planned import and the hash; `None` when `current` says
/// the page has moved on. A text file is read a chunk at a time, twice: once
/// for hash and encoding (invalid UTF-8 anywhere makes it Windows-1252),
/// then up to the sample; the rest is read while importing. A workbook is
/// compressed and must be read whole.
async fn open(
    file: &web_sys::File,
    options: ImportOptions,
    current: impl Fn() -> bool,
) -> Result<Option<(Importer, String)>, Opening> {
    let total = file.size() as usize;
    if total == 0 {
        return Err(Importer::new(Vec::new(), options)
            .err()
            .map_or(Opening::Unreadable, Opening::from));
    }
    let first = ChunkRead::start(file, 0)?.bytes().await?;
    if is_workbook(&first) {
        let buffer = JsFuture::from(file.array_buffer()).await?;
        let bytes = js_sys::Uint8Array::new(&buffer).to_vec();
        let hash = hash_hex(&bytes);
        return Ok(current().then_some((Importer::new(bytes, options)?, hash)));
    }
    let mut slicer = Slicer::new();
    let mut hasher = ContentHasher::new(total);
    let mut sniffer = Sniffer::default();
    hasher.update(&first);
    sniffer.update(&first);
    // Hashing a slice takes far less than reading one, so several reads
    // are kept in flight; each costs milliseconds of waiting however small.
    let mut reads = VecDeque::new();
    let mut offsets = (first.len()..total).step_by(CHUNK_BYTES);
    loop {
        while reads.len() < READS_IN_FLIGHT {
            let Some(offset) = offsets.next() else { break };
            reads.push_back(ChunkRead::start(file, offset)?);
        }
        let Some(read) = reads.pop_front() else { break };
        let chunk = read.bytes().await?;
        hasher.update(&chunk);
        sniffer.update(&chunk);
        slicer.pause_if_used_up().await;
        if !current() {
            return Ok(None);
        }
    }
    let mut importer = Importer::streaming(sniffer.finish(), total, options);
    let mut chunk = Some(first);
    while let Some(offset) = importer.wants_input().filter(|_| !importer.is_planned()) {
        let bytes = match chunk.take() {
            Some(first) if offset == 0 => first,
            _ => ChunkRead::start(file, offset)?.bytes().await?,
        };
        importer.push(&bytes)?;
        slicer.pause_if_used_up().await;
        if !current() {
            return Ok(None);
        }
    }
    Ok(current().then_some((importer, hasher.finish_hex())))
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
                        datasets::when(m.created_ms),
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
