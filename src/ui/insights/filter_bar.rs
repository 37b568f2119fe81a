//! The one filter bar of a map and its dashboard: which datasets count,
//! the date range, the segment (directly or through a persona's segment
//! key) and the channel. Every figure follows it, and it lives in the link.
//! Below it, one line says what the figures rest on, or why there are none.

use leptos::prelude::*;

use super::{format_day, DataStatus, MapData, Scoring};
use crate::insights::journey::match_channels;
use crate::model::Id;
use crate::route::{MapFilter, Route};

fn thousands(n: usize) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[component]
pub fn FilterBar(
    /// The dashboard links back to the map, the map to the dashboard.
    on_dashboard: bool,
) -> impl IntoView {
    let data = expect_context::<MapData>();
    let state = data.state;
    let map_id = data.map.get_value();
    let lanes = Memo::new(move |_| {
        state.open.map.with(|m| {
            m.as_ref()
                .map(|m| {
                    m.channels
                        .iter()
                        .map(|c| (c.id.clone(), c.name.clone()))
                        .collect::<Vec<_>>()
                })
                .unwrap_or_default()
        })
    });
    let personas = Memo::new(move |_| {
        state.open.map.with(|m| {
            m.as_ref()
                .map(|m| {
                    m.personas
                        .iter()
                        .filter(|p| !p.segment_key.trim().is_empty())
                        .map(|p| (p.id.clone(), format!("{} ({})", p.name, p.segment_key)))
                        .collect::<Vec<_>>()
                })
                .unwrap_or_default()
        })
    });
    let segments = Memo::new(move |_| {
        let mut all: Vec<String> = data.indexes.with(|p| {
            p.0.iter()
                .flat_map(|(_, index)| index.segments().to_vec())
                .collect()
        });
        all.sort();
        all.dedup();
        all
    });
    let range = Memo::new(move |_| {
        data.indexes.with(|p| {
            p.0.iter()
                .filter_map(|(_, index)| index.date_range())
                .reduce(|a, b| (a.0.min(b.0), a.1.max(b.1)))
        })
    });
    let other_href = {
        let map_id = map_id.clone();
        move || {
            let route = if on_dashboard {
                Route::Map(map_id.clone())
            } else {
                Route::Insights(map_id.clone())
            };
            format!("{}{}", route.hash(), data.filter.with(|f| f.query()))
        }
    };
    let open = RwSignal::new(false);
    let select_value = |ev: &leptos::ev::Event| {
        let v = event_target_value(ev);
        (!v.is_empty()).then_some(v)
    };
    view! {
        <div
            class="data-bar"
            class=("open", move || open.get())
            role="group"
            aria-label="Feedback filter"
            data-testid="filter-bar"
        >
            // On a phone the map comes first: the filter folds into one line.
            <button
                class="filter-toggle ghost"
                aria-expanded=move || open.get().to_string()
                on:click=move |_| open.update(|o| *o = !*o)
            >
                {move || if data.filter.with(|f| f.is_empty()) { "Filter" } else { "Filter (on)" }}
            </button>
            <Datasets />
            <DateBound label="From" testid="filter-from" range get=|f| &f.from set=|f, v| f.from = v />
            <DateBound label="To" testid="filter-to" range get=|f| &f.to set=|f, v| f.to = v />
            <label class="field compact">
                <span>"Segment"</span>
                <select
                    data-testid="filter-segment"
                    on:change=move |ev| {
                        let v = select_value(&ev);
                        data.set_filter(|f| {
                            f.persona = None;
                            f.segment = None;
                            match v.as_deref().and_then(|v| v.split_once(':')) {
                                Some(("p", id)) => f.persona = Some(Id::new(id)),
                                Some(("s", s)) => f.segment = Some(s.to_owned()),
                                _ => {}
                            }
                        });
                    }
                >
                    <option value="" prop:selected=move || data.filter.with(|f| f.persona.is_none() && f.segment.is_none())>
                        "Everyone"
                    </option>
                    <For each=move || personas.get() key=|p| p.clone() let((id, label))>
                        <option
                            value=format!("p:{id}")
                            prop:selected={
                                let id = id.clone();
                                move || data.filter.with(|f| f.persona.as_ref() == Some(&id))
                            }
                        >
                            {format!("Persona: {label}")}
                        </option>
                    </For>
                    <For each=move || segments.get() key=|s| s.clone() let(segment)>
                        <option
                            value=format!("s:{segment}")
                            prop:selected={
                                let s = segment.clone();
                                move || data.filter.with(|f| f.persona.is_none() && f.segment.as_ref() == Some(&s))
                            }
                        >
                            {format!("Segment: {segment}")}
                        </option>
                    </For>
                </select>
            </label>
            <label class="field compact">
                <span>"Channel"</span>
                <select
                    data-testid="filter-channel"
                    on:change=move |ev| {
                        let v = select_value(&ev).map(Id::new);
                        data.set_filter(|f| f.channel = v);
                    }
                >
                    <option value="" prop:selected=move || data.filter.with(|f| f.channel.is_none())>
                        "All channels"
                    </option>
                    <For each=move || lanes.get() key=|l| l.clone() let((id, name))>
                        <option
                            value=id.to_string()
                            prop:selected={
                                let id = id.clone();
                                move || data.filter.with(|f| f.channel.as_ref() == Some(&id))
                            }
                        >
                            {name}
                        </option>
                    </For>
                </select>
            </label>
            <button
                class="ghost"
                data-testid="filter-clear"
                disabled=move || data.filter.with(|f| f.is_empty())
                on:click=move |_| data.set_filter(|f| *f = Default::default())
            >
                "Clear filter"
            </button>
            <a class="button" data-testid="other-view" href=other_href>
                {if on_dashboard { "Back to the map" } else { "Insights dashboard" }}
            </a>
            <crate::ui::voice::VoiceLinks />
            <div class="data-bar-foot">
                <DataStatusLine />
                <SentimentStatusLine />
                <ChannelLinks />
                <super::metrics_panel::MetricsPanel />
            </div>
        </div>
    }
}

/// One end of the date range, offered within the data's own dates.
#[component]
fn DateBound(
    label: &'static str,
    testid: &'static str,
    range: Memo<Option<(i32, i32)>>,
    get: fn(&MapFilter) -> &Option<String>,
    set: fn(&mut MapFilter, Option<String>),
) -> impl IntoView {
    let data = expect_context::<MapData>();
    view! {
        <label class="field compact">
            <span>{label}</span>
            <input
                type="date"
                data-testid=testid
                prop:value=move || data.filter.with(|f| get(f).clone().unwrap_or_default())
                min=move || range.get().map(|r| format_day(r.0))
                max=move || range.get().map(|r| format_day(r.1))
                on:change=move |ev| {
                    let v = event_target_value(&ev);
                    data.set_filter(|f| set(f, (!v.is_empty()).then_some(v)));
                }
            />
        </label>
    }
}

/// Which of the map's datasets count; each can be left out.
#[component]
fn Datasets() -> impl IntoView {
    let data = expect_context::<MapData>();
    let list = Memo::new(move |_| {
        data.datasets.with(|d| {
            d.iter()
                .map(|l| (l.meta.id.clone(), l.meta.name.clone(), l.data.rows()))
                .collect::<Vec<_>>()
        })
    });
    view! {
        <fieldset class="datasets-pick" hidden=move || list.with(Vec::is_empty)>
            <legend>"Feedback"</legend>
            <For each=move || list.get() key=|d| d.clone() let((id, name, rows))>
                <label class="check">
                    <input
                        type="checkbox"
                        prop:checked={
                            let id = id.clone();
                            move || data.filter.with(|f| !f.hidden.contains(&id))
                        }
                        on:change={
                            let id = id.clone();
                            move |ev| {
                                let on = event_target_checked(&ev);
                                data.set_filter(|f| {
                                    f.hidden.retain(|h| h != &id);
                                    if !on {
                                        f.hidden.push(id.clone());
                                    }
                                });
                            }
                        }
                    />
                    <span>{format!("{name} ({} rows)", thousands(rows))}</span>
                </label>
            </For>
        </fieldset>
    }
}

/// Scoring comments as it runs, then what their sentiment rests on and
/// what it can and cannot read.
#[component]
fn SentimentStatusLine() -> impl IntoView {
    let data = expect_context::<MapData>();
    move || match data.scoring.get() {
        Scoring::Running { done, total } => {
            let percent = done * 100 / total.max(1);
            view! {
                <p class="data-status" data-testid="sentiment-status" role="status">
                    {format!("Reading the comments' sentiment… {percent} %")}
                    " "
                    <progress max=total value=done></progress>
                </p>
            }
            .into_any()
        }
        Scoring::Failed(e) => view! {
            <p class="data-status warning" data-testid="sentiment-status" role="status">{e}</p>
        }
        .into_any(),
        Scoring::Idle => {
            let s = data.sentiment.with(|s| (s.0.scored, s.0.overall));
            match s {
                (true, overall) if overall.comments > 0 => view! {
                    <p class="data-status" data-testid="sentiment-status">
                        {format!(
                            "Sentiment of {} comments under this filter: {:.0} % negative, {:.0} % positive. ",
                            thousands(overall.comments as usize),
                            overall.negative_percent().unwrap_or_default(),
                            overall.positive as f64 * 100.0 / overall.comments as f64,
                        )}
                        <span class="muted">
                            "Read by VADER: English-only and word-list based, so sarcasm and other languages read as neutral."
                        </span>
                    </p>
                }
                .into_any(),
                _ => ().into_any(),
            }
        }
    }
}

/// What the figures rest on, or why there are none, where the user looks.
#[component]
fn DataStatusLine() -> impl IntoView {
    let data = expect_context::<MapData>();
    let import_href = Route::Import(data.map.get_value()).hash();
    let line = move || {
        let status = data.status.get();
        let any = data.datasets.with(|d| !d.is_empty());
        let counts = data.metrics.with(|m| m.0.counts.clone());
        let f = data.core_filter.get();
        let dated = data
            .indexes
            .with(|p| p.0.iter().any(|(_, index)| index.has_dates));
        let (text, warn): (String, bool) = match status {
            DataStatus::Loading { done, total } if total > 0 => {
                (format!("Loading feedback… {done} of {total} datasets"), false)
            }
            DataStatus::Loading { .. } => ("Loading feedback…".into(), false),
            DataStatus::Failed(e) => (e, true),
            DataStatus::Ready if !any => {
                return view! {
                    <p class="data-status" data-testid="data-status">
                        "No feedback imported for this map yet. "
                        <a href=import_href.clone()>"Import a survey export"</a>
                        " to see measured NPS, CSAT and CES on every touchpoint."
                    </p>
                }
                .into_any();
            }
            DataStatus::Ready => match (f.from, f.to) {
                (Some(a), Some(b)) if a > b => {
                    ("The start date is after the end date: no answer can match.".into(), true)
                }
                _ if f.is_dated() && !dated => (
                    "This feedback has no date column, so a date filter leaves every row out. Clear the dates, or import with a date column."
                        .into(),
                    true,
                ),
                _ if counts.selected == 0 => (
                    format!(
                        "No answers match this filter (0 of {} rows). Widen the dates or choose another segment or channel.",
                        thousands(counts.total)
                    ),
                    true,
                ),
                _ if counts.linked == 0 => (
                    format!(
                        "{} answers match, but none names a touchpoint of this map: give touchpoints the feedback key the file uses, or link the file's values on the import page.",
                        thousands(counts.selected)
                    ),
                    true,
                ),
                _ => (
                    format!(
                        "{} of {} answers under this filter, {} of them on a touchpoint{}",
                        thousands(counts.selected),
                        thousands(counts.total),
                        thousands(counts.linked),
                        if f.is_dated() && counts.undated > 0 {
                            format!("; {} rows without a date are left out", thousands(counts.undated))
                        } else {
                            String::new()
                        }
                    ),
                    false,
                ),
            },
        };
        view! {
            <p class="data-status" class=("warning", warn) data-testid="data-status" role=warn.then_some("status")>
                {text}
            </p>
        }
        .into_any()
    };
    view! { <div class="data-status-wrap" aria-live="polite">{line}</div> }
}

/// The file's channel values and the lane each counts in; values that name
/// no lane by themselves are linked here and remembered for the map.
#[component]
fn ChannelLinks() -> impl IntoView {
    let data = expect_context::<MapData>();
    let state = data.state;
    let rows = Memo::new(move |_| {
        let links = data.links.get();
        data.datasets.with(|all| {
            state.open.map.with_untracked(|m| {
                let Some(m) = m else { return Vec::new() };
                let mut out: Vec<(String, usize, Option<Id>, bool)> = Vec::new();
                for d in all {
                    for c in match_channels(&d.data, m, &links) {
                        match out.iter_mut().find(|o| o.0 == c.value) {
                            Some(o) => o.1 += c.rows,
                            None => out.push((c.value, c.rows, c.channel, c.by_link)),
                        }
                    }
                }
                out
            })
        })
    });
    let lanes = Memo::new(move |_| {
        state.open.map.with(|m| {
            m.as_ref()
                .map(|m| {
                    m.channels
                        .iter()
                        .map(|c| (c.id.clone(), c.name.clone()))
                        .collect::<Vec<_>>()
                })
                .unwrap_or_default()
        })
    });
    let unlinked = move || rows.with(|r| r.iter().filter(|r| r.2.is_none()).count());
    view! {
        <details class="channel-links" hidden=move || rows.with(Vec::is_empty) data-testid="channel-links">
            <summary>
                {move || match unlinked() {
                    0 => "Channel values: all linked to lanes".to_owned(),
                    n => format!("Channel values: {n} not linked to a lane"),
                }}
            </summary>
            <p class="muted">
                "A row counts in the lane its channel value names (by the lane's name or the link below), else in its touchpoint's lane."
            </p>
            <table class="plain">
                <thead>
                    <tr><th scope="col">"Value in the file"</th><th scope="col">"Rows"</th><th scope="col">"Lane"</th></tr>
                </thead>
                <tbody>
                    <For each=move || rows.get() key=|r| r.clone() let((value, n, channel, _))>
                        <tr>
                            <td>{value.clone()}</td>
                            <td>{thousands(n)}</td>
                            <td>
                                <select
                                    aria-label=format!("Lane for channel value {value}")
                                    on:change={
                                        let value = value.clone();
                                        move |ev| {
                                            let v = event_target_value(&ev);
                                            data.link_channel(&value, (!v.is_empty()).then(|| Id::new(v)));
                                        }
                                    }
                                >
                                    <option value="" prop:selected=channel.is_none()>"Not linked"</option>
                                    {lanes
                                        .get()
                                        .into_iter()
                                        .map(|(id, name)| {
                                            let selected = channel.as_ref() == Some(&id);
                                            view! {
                                                <option value=id.to_string() prop:selected=selected>
                                                    {name}
                                                </option>
                                            }
                                        })
                                        .collect_view()}
                                </select>
                            </td>
                        </tr>
                    </For>
                </tbody>
            </table>
        </details>
    }
}
