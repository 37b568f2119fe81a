//! The closed loop: detractors and very negative comments as a list to
//! work through, each with a status, an owner and a note that are saved
//! as they change (`followups`, `storage::followups`), and the list as a
//! spreadsheet-safe CSV.

use leptos::prelude::*;

use crate::file_name::slug;
use crate::followups::{
    candidates, followups_csv, merge, to_store, FollowUp, Item, ListFilter, Status,
};
use crate::insights::journey::Source;
use crate::storage::browser::Backend;
use crate::storage::followups::{load_followups, save_followups};
use crate::ui::insights::{MapData, Shared};
use crate::ui::state::NoticeKind;

/// Rows drawn at first; more on request. A list of tens of thousands of
/// detractors would otherwise build that many table rows at once.
const PAGE: usize = 200;

fn now_ms() -> f64 {
    js_sys::Date::now()
}

#[component]
pub fn FollowUps() -> impl IntoView {
    let data = expect_context::<MapData>();
    let state = data.state;
    let map_id = data.map.get_value();
    let (store, _) = Backend::open();
    let store = StoredValue::new_local(store);
    let stored = RwSignal::new({
        match store.with_value(|s| load_followups(s, &map_id)) {
            Ok(list) => list,
            Err(e) => {
                state.notify(NoticeKind::Error, e);
                Vec::new()
            }
        }
    });
    // Saving is refused while the stored list cannot be read: it would
    // drop what is there.
    let readable = store.with_value(|s| load_followups(s, &map_id)).is_ok();
    let items = Memo::new(move |_| {
        let placed = data.indexes.get();
        let stored = stored.get();
        state.open.map.with_untracked(|m| {
            let Some(m) = m else {
                return Shared(std::sync::Arc::new(Vec::new()));
            };
            let mut found = Vec::new();
            let mut present = Vec::new();
            for (loaded, index) in placed.0.iter() {
                let source = Source {
                    data: &loaded.data,
                    index,
                };
                found.extend(candidates(source, m, &loaded.meta.hash, &loaded.meta.name));
                present.push(loaded.meta.hash.clone());
            }
            let present: Vec<&str> = present.iter().map(String::as_str).collect();
            Shared(std::sync::Arc::new(merge(found, &present, &stored)))
        })
    });
    let filter = RwSignal::new(ListFilter::default());
    let shown_count = RwSignal::new(PAGE);
    let touchpoints = Memo::new(move |_| {
        let mut names: Vec<String> = items.with(|i| {
            i.0.iter()
                .map(|i| i.follow_up.snapshot.touchpoint.clone())
                .filter(|t| !t.is_empty())
                .collect()
        });
        names.sort();
        names.dedup();
        names
    });
    let matching = Memo::new(move |_| {
        let f = filter.get();
        items.with(|i| {
            i.0.iter()
                .enumerate()
                .filter(|(_, item)| f.matches(item))
                .map(|(at, _)| at)
                .collect::<Vec<_>>()
        })
    });
    let map_id_save = StoredValue::new(map_id.clone());
    // One item changed: the stored list becomes every touched item.
    let update = move |key: String, change: Box<dyn FnOnce(&mut FollowUp)>| {
        if !readable {
            state.notify(
                NoticeKind::Error,
                "The saved follow-ups cannot be read, so changes are not saved over them.",
            );
            return;
        }
        let mut all: Vec<Item> = items.with_untracked(|i| i.0.as_ref().clone());
        let Some(item) = all.iter_mut().find(|i| i.follow_up.key == key) else {
            return;
        };
        change(&mut item.follow_up);
        item.follow_up.updated_ms = now_ms();
        let keep = to_store(&all);
        let Some(map) = map_id_save.try_get_value() else {
            return;
        };
        let saved = store.try_update_value(|s| save_followups(s, &map, &keep));
        if let Some(Err(e)) = saved {
            state.notify(
                NoticeKind::Error,
                format!("The follow-up was not saved: {e}"),
            );
        }
        stored.set(keep);
    };
    let export = move |_| {
        let csv = items.with_untracked(|i| {
            matching.with_untracked(|m| followups_csv(m.iter().map(|&at| &i.0[at])))
        });
        let name = state
            .open
            .map
            .with_untracked(|m| m.as_ref().map(|m| slug(&m.name)).unwrap_or_default());
        crate::ui::download(&format!("{name}-follow-ups.csv"), "text/csv", &csv);
    };
    let rows = move || {
        let all = items.get();
        let matching = matching.get();
        let shown = shown_count.get().min(matching.len());
        matching[..shown]
            .iter()
            .map(|&at| row_view(&all.0[at], update))
            .collect_view()
    };
    let counts = move || {
        let total = items.with(|i| i.0.len());
        let m = matching.with(Vec::len);
        let open = items.with(|i| {
            i.0.iter()
                .filter(|i| i.follow_up.status == Status::Open)
                .count()
        });
        format!("{m} of {total} follow-ups shown; {open} open")
    };
    view! {
        <p class="how">
            "Every detractor (NPS 0–6), dissatisfied CSAT (1–2 or “bad”), difficult CES (1–3) and very negative comment (sentiment −0.5 or below) of the map's datasets, to call back. "
            "Status, owner and note are saved in this browser as you change them, and survive a reload and a new import of the same file. The filter bar above does not narrow this list; its own filters below do."
        </p>
        <div class="dashboard-options followup-filters" role="group" aria-label="Follow-up filters">
            <label class="field compact">
                <span>"Status"</span>
                <select data-testid="followup-status-filter" on:change=move |ev| {
                    let v = event_target_value(&ev);
                    filter.update(|f| f.status = Status::ALL.into_iter().find(|s| s.as_str() == v));
                    shown_count.set(PAGE);
                }>
                    <option value="">"Any"</option>
                    {Status::ALL.into_iter().map(|s| view! { <option value=s.as_str()>{s.as_str()}</option> }).collect_view()}
                </select>
            </label>
            <label class="field compact">
                <span>"Touchpoint"</span>
                <select data-testid="followup-touchpoint-filter" on:change=move |ev| {
                    let v = event_target_value(&ev);
                    filter.update(|f| f.touchpoint = (!v.is_empty()).then_some(v));
                    shown_count.set(PAGE);
                }>
                    <option value="">"Any"</option>
                    {move || touchpoints.get().into_iter().map(|t| view! { <option value=t.clone()>{t.clone()}</option> }).collect_view()}
                </select>
            </label>
            <label class="field compact">
                <span>"Owner"</span>
                <input type="text" data-testid="followup-owner-filter" placeholder="anyone" on:change=move |ev| {
                    let v = event_target_value(&ev);
                    filter.update(|f| f.owner = (!v.trim().is_empty()).then_some(v));
                    shown_count.set(PAGE);
                } />
            </label>
            <label class="field compact">
                <span>"Search"</span>
                <input type="search" data-testid="followup-search" placeholder="customer, comment, note" on:input=move |ev| {
                    let v = event_target_value(&ev);
                    filter.update(|f| f.text = v);
                    shown_count.set(PAGE);
                } />
            </label>
            <button type="button" class="button" data-testid="followup-export" on:click=export>
                "Export CSV"
            </button>
        </div>
        <p class="muted" data-testid="followup-count" aria-live="polite">{counts}</p>
        <div class="table-scroll">
            <table class="plain followups" data-testid="followups">
                <thead>
                    <tr>
                        <th scope="col">"Customer"</th>
                        <th scope="col">"Touchpoint"</th>
                        <th scope="col">"Date"</th>
                        <th scope="col">"Score"</th>
                        <th scope="col">"Comment"</th>
                        <th scope="col">"Status"</th>
                        <th scope="col">"Owner"</th>
                        <th scope="col">"Note"</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
        <Show when=move || { matching.with(Vec::len) > shown_count.get() }>
            <button type="button" class="button" data-testid="followup-more" on:click=move |_| shown_count.update(|n| *n += PAGE)>
                "Show more"
            </button>
        </Show>
    }
}

fn row_view(
    item: &Item,
    update: impl Fn(String, Box<dyn FnOnce(&mut FollowUp)>) + Copy + 'static,
) -> impl IntoView {
    let f = &item.follow_up;
    let s = &f.snapshot;
    let key = f.key.clone();
    let (k1, k2, k3) = (key.clone(), key.clone(), key.clone());
    let score = s
        .score
        .map(|sc| format!("{}", sc.value))
        .unwrap_or_default();
    let compound = s
        .compound
        .map(|c| format!(" ({c:+.2})"))
        .unwrap_or_default();
    let status = f.status;
    view! {
        <tr data-testid="followup" data-key=key data-status=status.as_str()>
            <td>{s.customer.clone()}</td>
            <td>{s.touchpoint.clone()}</td>
            <td>{s.date.clone().unwrap_or_default()}</td>
            <td>{score}</td>
            <td class="followup-comment">
                {s.comment.clone()}
                <span class="muted">{compound}</span>
                {(!item.present).then(|| view! {
                    <span class="badge warning" data-testid="source-gone" title=format!("“{}” is no longer attached to this map; this is the row as it was.", s.dataset)>
                        " source gone"
                    </span>
                })}
            </td>
            <td>
                <select aria-label="Status" data-testid="followup-status" on:change=move |ev| {
                    let v = event_target_value(&ev);
                    if let Some(st) = Status::ALL.into_iter().find(|s| s.as_str() == v) {
                        update(k1.clone(), Box::new(move |f| f.status = st));
                    }
                }>
                    {Status::ALL.into_iter().map(|s| view! { <option value=s.as_str() selected=s == status>{s.as_str()}</option> }).collect_view()}
                </select>
            </td>
            <td>
                <input type="text" aria-label="Owner" data-testid="followup-owner" value=f.owner.clone() on:change=move |ev| {
                    let v = event_target_value(&ev);
                    update(k2.clone(), Box::new(move |f| f.owner = v));
                } />
            </td>
            <td>
                <input type="text" aria-label="Note" data-testid="followup-note" value=f.note.clone() on:change=move |ev| {
                    let v = event_target_value(&ev);
                    update(k3.clone(), Box::new(move |f| f.note = v));
                } />
            </td>
        </tr>
    }
}
