//! The map's own metrics: a panel under the filter bar where the team
//! makes any number or yes/no column of its feedback a metric (name,
//! unit, aggregation, target and direction), and the list of values typed
//! by hand for a touchpoint in its detail panel. Every change is a map
//! edit: undoable and saved with the map.

use leptos::prelude::*;

use super::MapData;
use crate::insights::custom::{metric_columns, MetricColumn};
use crate::insights::dates::Day;
use crate::model::{Aggregation, DataPoint, Id, MetricDef};
use crate::ui::state::AppState;

fn update(state: AppState, id: &Id, f: impl FnOnce(&mut MetricDef)) {
    let id = id.clone();
    state.edit(move |m| {
        if let Some(d) = m.metrics.iter_mut().find(|d| d.id == id) {
            f(d);
        }
    });
}

/// The map's metrics, in its order.
fn metric_defs(state: AppState) -> Memo<Vec<MetricDef>> {
    Memo::new(move |_| {
        state
            .open
            .map
            .with(|m| m.as_ref().map(|m| m.metrics.clone()).unwrap_or_default())
    })
}

#[component]
pub fn MetricsPanel() -> impl IntoView {
    let data = expect_context::<MapData>();
    let state = data.state;
    let defs = metric_defs(state);
    let columns = Memo::new(move |_| {
        data.datasets
            .with(|all| metric_columns(all.iter().map(|d| d.data.as_ref())))
    });
    let new_column = RwSignal::new(String::new());
    let add = move |_| {
        let chosen = new_column.get_untracked();
        let picked = columns
            .with_untracked(|cs| cs.iter().find(|c| c.name == chosen).or(cs.first()).cloned());
        let (column, yes_no) = match picked {
            Some(c) => (c.name, c.yes_no),
            None => (String::new(), false),
        };
        state.edit(move |m| {
            let name = if column.is_empty() {
                "New metric".to_owned()
            } else {
                column.clone()
            };
            let id = m.add_metric(name, column);
            if let Some(d) = m.metrics.iter_mut().find(|d| d.id == id) {
                if yes_no {
                    d.aggregation = Aggregation::Rate;
                }
            }
        });
    };
    view! {
        <details class="metrics-panel" data-testid="metrics-panel">
            <summary>{move || format!("Metrics of this map ({})", defs.with(Vec::len))}</summary>
            <div class="metrics-body">
            <p class="hint muted">
                "Any number or yes/no column of the feedback can be a metric, shown on cards, stages, lanes and the dashboard. "
                "Means get a t interval, rates of yes a Wilson interval; medians and sums have no interval. "
                "Values can also be typed by hand for a touchpoint in its details."
            </p>
            <div class="metric-rows">
                {move || {
                    defs.get()
                        .into_iter()
                        .map(|d| metric_row(state, d, columns))
                        .collect_view()
                }}
            </div>
            <div class="metric-add" role="group" aria-label="New metric">
                <label class="field compact">
                    <span>"Column"</span>
                    <select
                        data-testid="metric-new-column"
                        on:change=move |ev| new_column.set(event_target_value(&ev))
                    >
                        {move || {
                            columns
                                .get()
                                .into_iter()
                                .map(|c| {
                                    let selected = new_column.with(|n| *n == c.name);
                                    let label = column_label(&c);
                                    view! {
                                        <option value=c.name.clone() prop:selected=selected>
                                            {label}
                                        </option>
                                    }
                                })
                                .collect_view()
                        }}
                        <option value="" prop:selected=move || {
                            new_column.with(String::is_empty) && columns.with(Vec::is_empty)
                        }>"None (typed values only)"</option>
                    </select>
                </label>
                <button data-testid="metric-add" on:click=add>
                    "Add metric"
                </button>
            </div>
            </div>
        </details>
    }
}

fn column_label(c: &MetricColumn) -> String {
    if c.yes_no {
        format!("{} (yes/no)", c.name)
    } else {
        c.name.clone()
    }
}

fn metric_row(state: AppState, d: MetricDef, columns: Memo<Vec<MetricColumn>>) -> impl IntoView {
    let id = d.id.clone();
    let on = move |f: fn(&mut MetricDef, String)| {
        let id = id.clone();
        move |ev: leptos::ev::Event| {
            let v = event_target_value(&ev);
            update(state, &id, move |d| f(d, v));
        }
    };
    let remove = {
        let id = d.id.clone();
        move |_| {
            let id = id.clone();
            state.edit(move |m| m.remove_metric(&id));
        }
    };
    let column = d.column.clone();
    let mut options: Vec<(String, String)> = columns
        .get_untracked()
        .iter()
        .map(|c| (c.name.clone(), column_label(c)))
        .collect();
    if !options.iter().any(|(n, _)| *n == column) {
        options.push((column.clone(), format!("{column} (not in the feedback)")));
    }
    let name = if d.name.trim().is_empty() {
        "metric".to_owned()
    } else {
        d.name.clone()
    };
    view! {
        <fieldset class="metric-row" data-testid="metric-row" data-metric-id=d.id.to_string()>
            <legend class="visually-hidden">{format!("Metric {name}")}</legend>
            <label class="field compact">
                <span>"Name"</span>
                <input
                    data-testid="metric-name"
                    prop:value=d.name.clone()
                    on:change=on(|d, v| d.name = v.trim().to_owned())
                />
            </label>
            <label class="field compact">
                <span>"Unit"</span>
                <input
                    data-testid="metric-unit"
                    size="6"
                    prop:value=d.unit.clone()
                    on:change=on(|d, v| d.unit = v.trim().to_owned())
                />
            </label>
            <label class="field compact">
                <span>"Column"</span>
                <select data-testid="metric-column" on:change=on(|d, v| d.column = v)>
                    {options
                        .into_iter()
                        .map(|(value, label)| {
                            let selected = value == column;
                            view! { <option value=value prop:selected=selected>{label}</option> }
                        })
                        .collect_view()}
                </select>
            </label>
            <label class="field compact">
                <span>"Aggregation"</span>
                <select
                    data-testid="metric-aggregation"
                    on:change=on(|d, v| {
                        if let Some(a) = Aggregation::from_key(&v) {
                            d.aggregation = a;
                        }
                    })
                >
                    {Aggregation::ALL
                        .into_iter()
                        .map(|a| {
                            view! {
                                <option value=a.key() prop:selected=a == d.aggregation>
                                    {a.label()}
                                </option>
                            }
                        })
                        .collect_view()}
                </select>
            </label>
            <label class="field compact">
                <span>{if d.aggregation == Aggregation::Rate { "Target %" } else { "Target" }}</span>
                <input
                    type="number"
                    step="any"
                    size="6"
                    data-testid="metric-target"
                    prop:value=d.target.map(|t| t.to_string()).unwrap_or_default()
                    on:change=on(|d, v| d.target = v.trim().parse::<f64>().ok().filter(|t| t.is_finite()))
                />
            </label>
            <label class="field compact">
                <span>"Better when"</span>
                <select
                    data-testid="metric-direction"
                    on:change=on(|d, v| d.higher_is_better = v == "higher")
                >
                    <option value="higher" prop:selected=d.higher_is_better>"higher"</option>
                    <option value="lower" prop:selected=!d.higher_is_better>"lower"</option>
                </select>
            </label>
            <button class="ghost danger" data-testid="metric-remove" on:click=remove>
                "Remove"
            </button>
        </fieldset>
    }
}

/// Values typed by hand for one touchpoint: a list with delete, and a
/// form for a new one (metric, date, value). Shown once the map has a
/// metric.
#[component]
pub fn DataPoints(id: Id) -> impl IntoView {
    let state = expect_context::<AppState>();
    let defs = metric_defs(state);
    let points = {
        let id = id.clone();
        Memo::new(move |_| {
            state.open.map.with(|m| {
                m.as_ref()
                    .and_then(|m| m.touchpoint(&id))
                    .map(|t| t.data_points.clone())
                    .unwrap_or_default()
            })
        })
    };
    let metric = RwSignal::new(String::new());
    let day = RwSignal::new(String::new());
    let value = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let add = {
        let id = id.clone();
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            let chosen = metric.get_untracked();
            let Some(metric_id) = defs.with_untracked(|ds| {
                ds.iter()
                    .find(|d| d.id.as_str() == chosen)
                    .or(ds.first())
                    .map(|d| d.id.clone())
            }) else {
                return;
            };
            let typed_day = day.get_untracked();
            let Ok(d) = typed_day.parse::<Day>() else {
                error.set(Some("Give the date as YYYY-MM-DD.".into()));
                return;
            };
            let typed = value.get_untracked().trim().replace(',', ".");
            let v = match typed.to_ascii_lowercase().as_str() {
                "yes" => Some(1.0),
                "no" => Some(0.0),
                t => t.parse::<f64>().ok().filter(|v| v.is_finite()),
            };
            let Some(v) = v else {
                error.set(Some("The value must be a number (or yes / no).".into()));
                return;
            };
            error.set(None);
            let id = id.clone();
            state.edit(move |m| {
                if let Some(t) = m.touchpoints.iter_mut().find(|t| t.id == id) {
                    t.data_points.push(DataPoint {
                        metric: metric_id,
                        day: d.to_string(),
                        value: v,
                    });
                }
            });
            value.set(String::new());
        }
    };
    let remove = move |i: usize| {
        let id = id.clone();
        state.edit(move |m| {
            if let Some(t) = m.touchpoints.iter_mut().find(|t| t.id == id) {
                if i < t.data_points.len() {
                    t.data_points.remove(i);
                }
            }
        });
    };
    let name_of = move |metric: &Id| {
        defs.with(|ds| {
            ds.iter()
                .find(|d| &d.id == metric)
                .map(|d| d.name.clone())
                .unwrap_or_else(|| "(removed metric)".into())
        })
    };
    view! {
        <fieldset class="data-points" data-testid="data-points" hidden=move || defs.with(Vec::is_empty)>
            <legend>"Values typed by hand"</legend>
            <p class="hint muted">
                "For metrics without an export: each value counts for this touchpoint, its stage and lane on its date. A segment filter leaves them out."
            </p>
            <ul class="plain-list">
                {move || {
                    let remove = remove.clone();
                    points
                        .get()
                        .into_iter()
                        .enumerate()
                        .map(|(i, p)| {
                            let remove = remove.clone();
                            let text = format!("{}: {} on {}", name_of(&p.metric), p.value, p.day);
                            view! {
                                <li data-testid="data-point">
                                    {text.clone()}
                                    " "
                                    <button
                                        class="ghost"
                                        aria-label=format!("Delete {text}")
                                        on:click=move |_| remove(i)
                                    >
                                        "Delete"
                                    </button>
                                </li>
                            }
                        })
                        .collect_view()
                }}
            </ul>
            <form class="data-point-add" on:submit=add>
                <label class="field compact">
                    <span>"Metric"</span>
                    <select data-testid="point-metric" on:change=move |ev| metric.set(event_target_value(&ev))>
                        {move || {
                            defs.get()
                                .into_iter()
                                .map(|d| {
                                    let selected = metric.with(|m| m == d.id.as_str());
                                    view! { <option value=d.id.to_string() prop:selected=selected>{d.name}</option> }
                                })
                                .collect_view()
                        }}
                    </select>
                </label>
                <label class="field compact">
                    <span>"Date"</span>
                    <input type="date" data-testid="point-day" prop:value=move || day.get() on:change=move |ev| day.set(event_target_value(&ev)) />
                </label>
                <label class="field compact">
                    <span>"Value"</span>
                    <input data-testid="point-value" size="8" prop:value=move || value.get() on:input=move |ev| value.set(event_target_value(&ev)) />
                </label>
                <button type="submit" data-testid="point-add">"Add value"</button>
                {move || error.get().map(|e| view! { <p class="warning" role="alert">{e}</p> })}
            </form>
        </fieldset>
    }
}
