//! What an import produced: the validation report, date-order questions,
//! links between file values and the map's touchpoints, and the metrics.

use leptos::prelude::*;
use leptos::task::spawn_local;

use super::{yield_to_browser, Wizard};
use crate::analytics::{metrics, Summary};
use crate::import::dates::DateOrder;
use crate::import::matching::{match_values, touchpoint_metrics, ValueMatch};
use crate::import::report::errors_csv;
use crate::import::{ColumnData, Dataset, Role};
use crate::insights::journey::{match_channels, ChannelMatch};
use crate::model::Id;
use crate::ui::download;
use crate::ui::state::AppState;

/// Problems listed on the page; the downloadable report has them all.
const LISTED_PROBLEMS: usize = 200;

fn with_dataset<R>(wizard: Wizard, f: impl FnOnce(&Dataset) -> R) -> Option<R> {
    wizard.data.track();
    wizard.dataset.with_value(|d| d.as_ref().map(f))
}

fn interval([lo, hi]: [f64; 2]) -> String {
    format!("{lo:.1} to {hi:.1}")
}

/// NPS, CSAT and CES cells of a table row. The exact figures ride along in
/// `data-value` so tests can compare them with the command-line tool.
fn summary_cells(s: &Summary) -> impl IntoView {
    let nps = s.nps.as_ref().map(|n| {
        (
            n.score,
            format!("{:.1}", n.score),
            format!("95 % CI {} · n = {}", interval(n.ci95), n.n),
        )
    });
    let csat = s.csat.as_ref().map(|c| {
        let mean = c
            .mean
            .map(|m| format!(" · mean {m:.2}"))
            .unwrap_or_default();
        (
            c.percent,
            format!("{:.1} %", c.percent),
            format!("95 % CI {}{mean} · n = {}", interval(c.ci95), c.n),
        )
    });
    let ces = s.ces.as_ref().map(|c| {
        let ci = c
            .ci95
            .map(|[lo, hi]| format!("95 % CI {lo:.2} to {hi:.2} · "))
            .unwrap_or_default();
        (
            c.mean,
            format!("{:.2}", c.mean),
            format!("{ci}{:.0} % agree · n = {}", c.percent_agree, c.n),
        )
    });
    [("nps", nps), ("csat", csat), ("ces", ces)]
        .into_iter()
        .map(|(metric, cell)| match cell {
            Some((value, shown, detail)) => view! {
                <td class="metric" data-metric=metric data-value=value.to_string()>
                    <strong>{shown}</strong>
                    <span class="muted">{detail}</span>
                </td>
            }
            .into_any(),
            None => view! { <td class="metric none" data-metric=metric>"—"</td> }.into_any(),
        })
        .collect_view()
}

#[component]
pub(super) fn Results(wizard: Wizard) -> impl IntoView {
    // Linking and the metrics each read every row: mounted a task apart,
    // after the report, so no task on a 500 000-row import nears 100 ms.
    let stage = RwSignal::new(0u8);
    spawn_local(async move {
        for next in 1..=2 {
            yield_to_browser().await;
            if stage.try_set(next).is_some() {
                return;
            }
        }
    });
    view! {
        <Report wizard=wizard />
        <DateOrders wizard=wizard />
        <Show when=move || { stage.get() >= 1 }>
            <Linking wizard=wizard />
        </Show>
        <Show when=move || { stage.get() >= 2 }>
            <FileMetrics wizard=wizard />
        </Show>
        <div class="import-actions">
            <button on:click=move |_| wizard.reset()>"Import another file"</button>
        </div>
    }
}

#[component]
fn Report(wizard: Wizard) -> impl IntoView {
    let download_report = move |_| {
        if let Some(csv) = with_dataset(wizard, |d| errors_csv(&d.errors)) {
            download("import-problems.csv", "text/csv;charset=utf-8", &csv);
        }
    };
    move || {
        with_dataset(wizard, |d| {
            let source = &d.source;
            let problems = d.errors.len();
            let listed: Vec<_> = d.errors.iter().take(LISTED_PROBLEMS).cloned().collect();
            view! {
                <div class="card import-step" data-testid="report">
                    <h2>"Validation report"</h2>
                    <dl class="source-facts">
                        <div><dt>"Rows imported"</dt><dd data-testid="rows-read">{source.rows}</dd></div>
                        <div><dt>"Rows skipped"</dt><dd data-testid="rows-skipped">{source.skipped}</dd></div>
                        <div><dt>"Problems"</dt><dd data-testid="problem-count">{problems}</dd></div>
                    </dl>
                    {(problems > 0).then(|| view! {
                        <div class="table-scroll problems">
                            <table data-testid="problems">
                                <thead><tr><th scope="col">"Line"</th><th scope="col">"Column"</th><th scope="col">"Problem"</th></tr></thead>
                                <tbody>
                                    {listed.into_iter().map(|e| view! {
                                        <tr data-line=e.line.to_string()>
                                            <td>{e.line}</td>
                                            <td>{e.column.unwrap_or_else(|| "whole row".into())}</td>
                                            <td>{e.message}</td>
                                        </tr>
                                    }).collect_view()}
                                </tbody>
                            </table>
                        </div>
                        {(problems > LISTED_PROBLEMS).then(|| view! {
                            <p class="muted">{format!("The first {LISTED_PROBLEMS} of {problems} problems; the report has them all.")}</p>
                        })}
                        <button data-testid="download-report" on:click=download_report>
                            "Download report (CSV)"
                        </button>
                    })}
                </div>
            }
        })
    }
}

/// Asks, per date column, whether 03/04 is 3 April or 4 March when no value
/// in the file settled it.
#[component]
fn DateOrders(wizard: Wizard) -> impl IntoView {
    move || {
        let ambiguous: Vec<(usize, String)> = with_dataset(wizard, |d| {
            d.columns
                .iter()
                .enumerate()
                .filter(|(_, c)| matches!(&c.data, ColumnData::Time(t) if t.order == DateOrder::Ambiguous))
                .map(|(i, c)| (i, c.name.clone()))
                .collect()
        })
        .unwrap_or_default();
        (!ambiguous.is_empty()).then(|| {
            let answer = move |column: usize, order: DateOrder| {
                wizard.dataset.update_value(|d| {
                    if let Some(d) = d {
                        d.set_date_order(column, order);
                    }
                });
                wizard.data.update(|n| *n += 1);
            };
            view! {
                <div class="card import-step" data-testid="date-order">
                    <h2>"Which date order?"</h2>
                    {ambiguous.into_iter().map(|(i, name)| view! {
                        <p>
                            "Every date in " <strong>{name}</strong>
                            " reads both ways (like 03/04/2024). Is the day or the month first?"
                        </p>
                        <div class="inline">
                            <button on:click=move |_| answer(i, DateOrder::DayFirst)>"Day first (3 April)"</button>
                            <button on:click=move |_| answer(i, DateOrder::MonthFirst)>"Month first (March 4)"</button>
                        </div>
                    }).collect_view()}
                </div>
            }
        })
    }
}

/// File values against the map's touchpoints, with a choice for each value
/// no feedback key matched.
#[component]
fn Linking(wizard: Wizard) -> impl IntoView {
    let state = expect_context::<AppState>();
    let open = state.open;
    let touchpoints = move || {
        open.map.with(|m| {
            m.as_ref()
                .map(|m| {
                    m.touchpoints
                        .iter()
                        .map(|t| (t.id.clone(), t.name.clone(), t.feedback_key.clone()))
                        .collect::<Vec<_>>()
                })
                .unwrap_or_default()
        })
    };
    let lanes = move || {
        open.map.with(|m| {
            m.as_ref()
                .map(|m| {
                    m.channels
                        .iter()
                        .map(|c| (c.id.clone(), c.name.clone()))
                        .collect::<Vec<_>>()
                })
                .unwrap_or_default()
        })
    };
    // A file's channel values count in the map's lanes, not on touchpoints.
    let channel_values = Memo::new(move |_| {
        let links = wizard.links.get();
        open.map
            .with(|m| {
                m.as_ref()
                    .and_then(|m| with_dataset(wizard, |d| match_channels(d, m, &links)))
            })
            .unwrap_or_default()
    });
    let matches = Memo::new(move |_| {
        let aliases = wizard.aliases.get();
        open.map
            .with(|m| {
                m.as_ref()
                    .and_then(|m| with_dataset(wizard, |d| match_values(d, m, &aliases)))
            })
            .unwrap_or_default()
            .into_iter()
            .filter(|v| v.role != Role::Channel)
            .collect::<Vec<_>>()
    });
    let per_touchpoint = Memo::new(move |_| {
        let aliases = wizard.aliases.get();
        open.map
            .with(|m| {
                m.as_ref().and_then(|m| {
                    with_dataset(wizard, |d| {
                        touchpoint_metrics(d, m, &aliases)
                            .into_iter()
                            .map(|(id, s)| {
                                let name = m
                                    .touchpoints
                                    .iter()
                                    .find(|t| t.id == id)
                                    .map(|t| t.name.clone())
                                    .unwrap_or_default();
                                (id, name, s)
                            })
                            .collect::<Vec<_>>()
                    })
                })
            })
            .unwrap_or_default()
    });

    let value_row = move |m: ValueMatch| {
        let options = touchpoints();
        let current = m.touchpoint.clone();
        let by_key = current.is_some() && !m.by_alias;
        let value = m.value.clone();
        let status = match (&current, m.by_alias) {
            (None, _) => "not linked",
            (Some(_), false) => "feedback key",
            (Some(_), true) => "assigned",
        };
        view! {
            <tr data-value=m.value.clone() class:unmatched=current.is_none()>
                <td>{m.role.label()}</td>
                <th scope="row">{m.value.clone()}</th>
                <td>{m.rows}</td>
                <td>
                    <select
                        aria-label=format!("Touchpoint for {}", m.value)
                        disabled=by_key
                        on:change=move |ev| {
                            let chosen = event_target_value(&ev);
                            wizard.assign(&value, (!chosen.is_empty()).then(|| Id::new(chosen)));
                        }
                    >
                        <option value="" selected=current.is_none()>"— not linked —"</option>
                        {options.into_iter().map(|(id, name, key)| {
                            let selected = current.as_ref() == Some(&id);
                            let label = if key.is_empty() { name } else { format!("{name} ({key})") };
                            view! { <option value=id.as_str().to_owned() selected=selected>{label}</option> }
                        }).collect_view()}
                    </select>
                </td>
                <td class="muted">{status}</td>
            </tr>
        }
    };

    move || {
        let values = matches.get();
        if values.is_empty() {
            return view! {
                <div class="card import-step">
                    <h2>"Touchpoints"</h2>
                    <p class="muted">
                        "The file has no touchpoint, channel or stage column, so its feedback applies to the journey as a whole. "
                        "Set a column's role to Touchpoint to compare touchpoints."
                    </p>
                </div>
            }
            .into_any();
        }
        let unmatched = values.iter().filter(|v| v.touchpoint.is_none()).count();
        let (linked, open_values): (Vec<_>, Vec<_>) =
            values.into_iter().partition(|v| v.touchpoint.is_some());
        view! {
            <div class="card import-step" data-testid="touchpoint-metrics">
                <h2>"Metrics per touchpoint"</h2>
                {move || {
                    let rows = per_touchpoint.get();
                    if rows.is_empty() {
                        view! { <p class="muted">"No rows are linked to this map's touchpoints yet."</p> }.into_any()
                    } else {
                        view! {
                            <div class="table-scroll">
                                <table class="metrics-table">
                                    <thead><tr><th scope="col">"Touchpoint"</th><th scope="col">"NPS"</th><th scope="col">"CSAT"</th><th scope="col">"CES"</th></tr></thead>
                                    <tbody>
                                        {rows.into_iter().map(|(id, name, s)| view! {
                                            <tr data-touchpoint=id.as_str().to_owned()>
                                                <th scope="row">{name}</th>
                                                {summary_cells(&s)}
                                            </tr>
                                        }).collect_view()}
                                    </tbody>
                                </table>
                            </div>
                        }.into_any()
                    }
                }}
            </div>
            <div class="card import-step" data-testid="linking">
                <h2>"Values in the file"</h2>
                <p class="muted">
                    {if unmatched == 0 {
                        "Every value is linked to a touchpoint.".to_owned()
                    } else {
                        format!("{unmatched} value(s) match no touchpoint's feedback key. Assign them to a touchpoint; the assignment is remembered for this map's next import.")
                    }}
                </p>
                <div class="table-scroll">
                    <table class="values-table" data-testid="unmatched">
                        <thead><tr><th scope="col">"Column"</th><th scope="col">"Value"</th><th scope="col">"Rows"</th><th scope="col">"Touchpoint"</th><th scope="col">"Linked by"</th></tr></thead>
                        <tbody>
                            {open_values.into_iter().chain(linked).map(value_row).collect_view()}
                        </tbody>
                    </table>
                </div>
            </div>
            <ChannelLanes wizard=wizard values=channel_values lanes=Signal::derive(lanes) />
        }
        .into_any()
    }
}

/// The file's channel values against the map's lanes: a value counts in
/// the lane of its name, or the one it is linked to here (remembered for
/// the map, and used by the map's figures and filter).
#[component]
fn ChannelLanes(
    wizard: Wizard,
    values: Memo<Vec<ChannelMatch>>,
    lanes: Signal<Vec<(Id, String)>>,
) -> impl IntoView {
    view! {
        <Show when=move || values.with(|v| !v.is_empty())>
            <div class="card import-step" data-testid="channel-lanes">
                <h2>"Channels in the file"</h2>
                <p class="muted">
                    "Each channel value counts in the map's lane of the same name, or in the lane you link it to here; this is remembered for the map."
                </p>
                <div class="table-scroll">
                    <table class="values-table">
                        <thead><tr><th scope="col">"Value"</th><th scope="col">"Rows"</th><th scope="col">"Lane"</th><th scope="col">"Linked by"</th></tr></thead>
                        <tbody>
                            {move || values.get().into_iter().map(|c| {
                                let value = c.value.clone();
                                let by_name = c.channel.is_some() && !c.by_link;
                                let status = match (&c.channel, c.by_link) {
                                    (None, _) => "not linked",
                                    (Some(_), false) => "lane name",
                                    (Some(_), true) => "linked",
                                };
                                view! {
                                    <tr data-value=c.value.clone() class:unmatched=c.channel.is_none()>
                                        <th scope="row">{c.value.clone()}</th>
                                        <td>{c.rows}</td>
                                        <td>
                                            <select
                                                aria-label=format!("Lane for {}", c.value)
                                                disabled=by_name
                                                on:change=move |ev| {
                                                    let chosen = event_target_value(&ev);
                                                    wizard.link_channel(&value, (!chosen.is_empty()).then(|| Id::new(chosen)));
                                                }
                                            >
                                                <option value="" selected=c.channel.is_none()>"— not linked —"</option>
                                                {lanes.get().into_iter().map(|(id, name)| {
                                                    let selected = c.channel.as_ref() == Some(&id);
                                                    view! { <option value=id.as_str().to_owned() selected=selected>{name}</option> }
                                                }).collect_view()}
                                            </select>
                                        </td>
                                        <td class="muted">{status}</td>
                                    </tr>
                                }
                            }).collect_view()}
                        </tbody>
                    </table>
                </div>
            </div>
        </Show>
    }
}

/// Metrics as the file has them, keyed by its own values: the same figures
/// `waymark-cli summarize` prints.
#[component]
fn FileMetrics(wizard: Wizard) -> impl IntoView {
    let computed = Memo::new(move |_| with_dataset(wizard, metrics));
    move || {
        computed.get().map(|m| {
            let groups = [
                (Role::Touchpoint, "By touchpoint value", m.by_touchpoint),
                (Role::Channel, "By channel", m.by_channel),
                (Role::Stage, "By stage", m.by_stage),
                (Role::Segment, "By segment", m.by_segment),
            ];
            view! {
                <div class="card import-step" data-testid="file-metrics">
                    <h2>"Metrics in the file"</h2>
                    <div class="table-scroll">
                        <table class="metrics-table">
                            <thead><tr><th scope="col">""</th><th scope="col">"NPS"</th><th scope="col">"CSAT"</th><th scope="col">"CES"</th></tr></thead>
                            <tbody>
                                <tr data-group="overall" data-key="">
                                    <th scope="row">"All responses"</th>
                                    {summary_cells(&m.overall)}
                                </tr>
                            </tbody>
                            {groups.into_iter().filter(|(_, _, g)| !g.is_empty()).map(|(role, title, g)| view! {
                                <tbody>
                                    <tr class="group-title"><th colspan="4" scope="rowgroup">{title}</th></tr>
                                    {g.into_iter().map(|(key, s)| {
                                        let shown = key.clone();
                                        view! {
                                            <tr data-group=role.label() data-key=key>
                                                <th scope="row">{shown}</th>
                                                {summary_cells(&s)}
                                            </tr>
                                        }
                                    }).collect_view()}
                                </tbody>
                            }).collect_view()}
                        </table>
                    </div>
                </div>
            }
        })
    }
}
