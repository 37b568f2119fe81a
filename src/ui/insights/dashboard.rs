//! A map's insights dashboard (`#/map/<id>/insights`): every chart of
//! [`crate::charts::insights`] under the map's filter. Each chart is its own
//! memo, so a change re-draws only the charts it touches; each shows its
//! numbers as a table one click away and downloads as SVG or PNG.

use leptos::prelude::*;

use super::filter_bar::FilterBar;
use super::{format_day, lagged, parse_day, MapData};
use crate::charts::dashboard::{svg_document, Chart};
use crate::charts::insights::{
    by_group, cells_chart, comparison_chart, custom_by_group, custom_comparison_chart,
    custom_trend_chart, distributions, measured_touchpoints, negative_by_group, trend_chart, Group,
    Score,
};
use crate::import::{ColumnData, Role};
use crate::insights::custom::{custom_compare, custom_trend};
use crate::insights::dates::Day;
use crate::insights::journey::{
    answer_counts, answers_by_cell, journey_compare, journey_trend, Basis, Split,
};
use crate::insights::trend::Every;
use crate::model::Id;
use crate::ui::state::AppState;

#[component]
pub fn DashboardPage(id: Id) -> impl IntoView {
    let state = expect_context::<AppState>();
    state.open_map(&id);
    let open = state.open;
    let is_open = Memo::new(move |_| open.map.with(Option::is_some));
    move || {
        if let Some(err) = open.load_error.get() {
            return super::super::map_unavailable(Some(err));
        }
        if !is_open.get() {
            return super::super::map_unavailable(None);
        }
        view! { <Dashboard id=id.clone() /> }.into_any()
    }
}

/// The touchpoint a chart is narrowed to, by its index in the map.
fn touchpoint_index(data: MapData, id: &Option<Id>) -> Option<usize> {
    let id = id.as_ref()?;
    data.state
        .open
        .map
        .with_untracked(|m| m.as_ref()?.touchpoints.iter().position(|t| &t.id == id))
}

fn touchpoint_name(data: MapData, id: &Option<Id>) -> Option<String> {
    let id = id.as_ref()?;
    data.state
        .open
        .map
        .with_untracked(|m| m.as_ref()?.touchpoint(id).map(|t| t.name.clone()))
}

#[component]
fn Dashboard(id: Id) -> impl IntoView {
    let state = expect_context::<AppState>();
    let data = MapData::new(state, id.clone());
    provide_context(data);
    let score = RwSignal::new(Score::Nps);
    // A custom metric of the map picked instead of the score.
    let custom_pick = RwSignal::new(None::<Id>);
    // The share of negative comments picked instead of the score.
    let negative_pick = RwSignal::new(false);
    let custom_def = move || {
        let id = custom_pick.get()?;
        state.open.map.with(|m| m.as_ref()?.metric(&id).cloned())
    };
    let custom_defs = Memo::new(move |_| {
        state.open.map.with(|m| {
            m.as_ref()
                .map(|m| {
                    m.metrics
                        .iter()
                        .map(|d| (d.id.clone(), d.name.clone()))
                        .collect::<Vec<_>>()
                })
                .unwrap_or_default()
        })
    });
    let every = RwSignal::new(Every::Month);
    let trend_tp = RwSignal::new(None::<Id>);
    let split_day = RwSignal::new(String::new());
    let compare_tp = RwSignal::new(None::<Id>);
    let ab_column = RwSignal::new(String::new());
    let ab_a = RwSignal::new(String::new());
    let ab_b = RwSignal::new(String::new());

    let name = Memo::new(move |_| {
        state
            .open
            .map
            .with(|m| m.as_ref().map(|m| m.name.clone()).unwrap_or_default())
    });
    let touchpoints = Memo::new(move |_| {
        data.metrics.with(|m| {
            state.open.map.with_untracked(|map| {
                map.as_ref()
                    .map(|map| measured_touchpoints(map, &m.0))
                    .unwrap_or_default()
            })
        })
    });
    let bars_of = move |group: Group| {
        Memo::new(move |_| {
            let s = score.get();
            if negative_pick.get() {
                return data.sentiment.with(|v| {
                    state.open.map.with_untracked(|map| {
                        map.as_ref()
                            .map(|map| negative_by_group(map, &v.0, group))
                            .unwrap_or_default()
                    })
                });
            }
            if let Some(def) = custom_def() {
                return data.custom.with(|c| {
                    let f = c.0.iter().find(|f| f.metric.id == def.id);
                    state.open.map.with_untracked(|map| {
                        map.as_ref()
                            .zip(f)
                            .map(|(map, f)| custom_by_group(map, f, group))
                            .unwrap_or_default()
                    })
                });
            }
            data.metrics.with(|m| {
                state.open.map.with_untracked(|map| {
                    map.as_ref()
                        .map(|map| by_group(map, &m.0, s, group))
                        .unwrap_or_default()
                })
            })
        })
    };
    let by_touchpoint = bars_of(Group::Touchpoint);
    let by_stage = bars_of(Group::Stage);
    let by_channel = bars_of(Group::Channel);
    // Chart groups a browser task apart: the bars (from the map's own
    // figures) at once, then the trend, the comparisons, the distributions.
    let now = Memo::new(move |_| data.view());
    let view1 = lagged(now.into());
    let view2 = lagged(view1);
    let view3 = lagged(view2);
    let view4 = lagged(view3);
    let distribution_charts = Memo::new(move |_| {
        let v = view3.get();
        data.with_view(&v, |sources, map, f| {
            distributions(&answer_counts(sources, map, f))
        })
        .unwrap_or_default()
    });
    let trend = Memo::new(move |_| {
        let (s, e) = (score.get(), every.get());
        let tp = trend_tp.get();
        let only = touchpoint_index(data, &tp);
        let tp_name = touchpoint_name(data, &tp);
        let def = custom_def();
        data.custom.with(|_| ());
        let v = view1.get();
        data.with_view(&v, |sources, map, f| {
            if let Some(def) = &def {
                let whole = custom_trend(sources, map, f, def, e, None);
                let one = only.map(|t| custom_trend(sources, map, f, def, e, Some(t)));
                let one = tp_name.as_deref().zip(one.as_deref());
                return custom_trend_chart(def, e, &whole, one);
            }
            let whole = journey_trend(sources, map, f, e, None);
            let one = only.map(|t| journey_trend(sources, map, f, e, Some(t)));
            let one = tp_name.as_deref().zip(one.as_deref());
            trend_chart(s, e, &whole, one)
        })
        .unwrap_or_default()
    });
    // The split defaults to the middle of the data's dates.
    let middle = Memo::new(move |_| {
        data.indexes.with(|p| {
            p.0.iter()
                .filter_map(|(_, index)| index.date_range())
                .reduce(|a, b| (a.0.min(b.0), a.1.max(b.1)))
                .map(|(lo, hi)| (lo, hi, lo + (hi - lo) / 2))
        })
    });
    let before_after = Memo::new(move |_| {
        let typed = split_day.get();
        let range = middle.get();
        let day = parse_day(&typed).or(range.map(|r| r.2));
        let Some(day) = day else {
            return Err(
                "The feedback has no dates, so there is nothing to split by date.".to_owned(),
            );
        };
        if let Some((lo, hi, _)) = range {
            if day <= lo || day > hi {
                return Err(format!(
                    "The split date {} is outside the data, which runs from {} to {}: one side would be empty.",
                    format_day(day),
                    format_day(lo),
                    format_day(hi)
                ));
            }
        }
        let tp = compare_tp.get();
        let only = touchpoint_index(data, &tp);
        let place = touchpoint_name(data, &tp);
        let def = custom_def();
        data.custom.with(|_| ());
        let v = view2.get();
        data.with_view(&v, |sources, map, f| {
            let date = format_day(day);
            if let Some(def) = &def {
                let c = custom_compare(sources, map, f, def, &Split::At(Day(day)), only)?;
                return Ok(custom_comparison_chart(
                    &format!("Before and after {date}"),
                    &format!("Before {date}"),
                    &format!("On or after {date}"),
                    place.as_deref(),
                    def,
                    &c,
                ));
            }
            let c = journey_compare(sources, map, f, &Split::At(Day(day)), only)?;
            Ok(comparison_chart(
                &format!("Before and after {date}"),
                &format!("Before {date}"),
                &format!("On or after {date}"),
                place.as_deref(),
                &c,
            ))
        })
        .unwrap_or_else(|| Err("The map is not open.".into()))
    });
    // Columns an A/B comparison can split on, with their most common values.
    let columns = Memo::new(move |_| {
        let mut out: Vec<(String, Vec<String>)> = Vec::new();
        data.datasets.with(|all| {
            for d in all {
                for c in &d.data.columns {
                    if matches!(c.role, Role::Nps | Role::Csat | Role::Ces | Role::Timestamp) {
                        continue;
                    }
                    let ColumnData::Category { codes, dictionary } = &c.data else {
                        continue;
                    };
                    let mut counts = vec![0usize; dictionary.len()];
                    for &code in codes {
                        if let Some(n) = counts.get_mut(code as usize) {
                            *n += 1;
                        }
                    }
                    let mut values: Vec<(usize, String)> =
                        counts.into_iter().zip(dictionary.iter().cloned()).collect();
                    values.sort_by_key(|v| std::cmp::Reverse(v.0));
                    let values: Vec<String> = values.into_iter().take(50).map(|v| v.1).collect();
                    if values.len() >= 2 && !out.iter().any(|(n, _)| n == &c.name) {
                        out.push((c.name.clone(), values));
                    }
                }
            }
        });
        out
    });
    let ab = Memo::new(move |_| {
        let column = ab_column.get();
        let (a, b) = (ab_a.get(), ab_b.get());
        if column.is_empty() || a.is_empty() || b.is_empty() {
            return Err(
                "Pick a column and the two values to compare, e.g. a test cell or a region."
                    .to_owned(),
            );
        }
        let split = Split::Between {
            column: column.clone(),
            a: a.clone(),
            b: b.clone(),
        };
        let def = custom_def();
        data.custom.with(|_| ());
        let v = view2.get();
        data.with_view(&v, |sources, map, f| {
            if let Some(def) = &def {
                let c = custom_compare(sources, map, f, def, &split, None)?;
                return Ok(custom_comparison_chart(
                    &format!("{column}: {a} and {b}"),
                    &a,
                    &b,
                    None,
                    def,
                    &c,
                ));
            }
            let c = journey_compare(sources, map, f, &split, None)?;
            Ok(comparison_chart(
                &format!("{column}: {a} and {b}"),
                &a,
                &b,
                None,
                &c,
            ))
        })
        .unwrap_or_else(|| Err("The map is not open.".into()))
    });
    let cells = Memo::new(move |_| {
        let v = view4.get();
        data.with_view(&v, |sources, map, f| {
            cells_chart(map, &answers_by_cell(sources, map, f))
        })
        .unwrap_or_default()
    });
    let basis_note = Memo::new(move |_| {
        data.metrics.with(|m| {
            let s = &m.0.overall;
            if s.nps.is_some() {
                Some(Basis::Nps)
            } else if s.csat.is_some() {
                Some(Basis::Csat)
            } else if s.ces.is_some() {
                Some(Basis::Ces)
            } else {
                None
            }
        })
    });
    let has_data = Memo::new(move |_| {
        data.metrics.with(|m| m.0.counts.selected > 0)
            || data
                .custom
                .with(|c| c.0.iter().any(|f| f.overall.is_some()))
    });
    let map_href = Memo::new(move |_| {
        format!(
            "{}{}",
            crate::route::Route::Map(id.clone()).hash(),
            data.filter.with(|f| f.query())
        )
    });

    view! {
        <section class="page dashboard-page" data-testid="dashboard">
            <nav class="crumbs" aria-label="Breadcrumb">
                <a href="#/">"All maps"</a>
                " · "
                <a href=move || map_href.get()>{move || name.get()}</a>
                " · "
                <span aria-current="page">"Insights"</span>
            </nav>
            <h1>{move || format!("Insights: {}", name.get())}</h1>
            <FilterBar on_dashboard=true />
            <div class="dashboard-options" role="group" aria-label="Chart options">
                <label class="field compact">
                    <span>"Score"</span>
                    <select
                        data-testid="score-pick"
                        on:change=move |ev| {
                            let v = event_target_value(&ev);
                            negative_pick.set(v == "negative");
                            if let Some(id) = v.strip_prefix("custom:") {
                                custom_pick.set(Some(Id::new(id)));
                            } else if let Some(s) = Score::from_key(&v) {
                                custom_pick.set(None);
                                score.set(s);
                            }
                        }
                    >
                        {Score::ALL
                            .into_iter()
                            .map(|s| view! { <option value=s.key() prop:selected=move || !negative_pick.get() && custom_pick.with(Option::is_none) && score.get() == s>{s.label()}</option> })
                            .collect_view()}
                        {move || data.sentiment.with(|v| v.0.scored).then(|| view! {
                            <option value="negative" prop:selected=move || negative_pick.get()>"Negative comments (sentiment)"</option>
                        })}
                        {move || custom_defs.get().into_iter().map(|(id, name)| {
                            let selected = !negative_pick.get() && custom_pick.with(|p| p.as_ref() == Some(&id));
                            view! { <option value=format!("custom:{id}") prop:selected=selected>{name}</option> }
                        }).collect_view()}
                    </select>
                </label>
                <details class="how-computed">
                    <summary>"How is this computed?"</summary>
                    <HowComputed />
                </details>
            </div>
            <Show
                when=move || has_data.get()
                fallback=|| view! { <p class="muted dashboard-empty">"The charts appear once some answers match the filter above."</p> }
            >
                <div class="charts">
                    <ChartCard chart=by_touchpoint slug="by-touchpoint" />
                    <ChartCard chart=by_stage slug="by-stage" />
                    <ChartCard chart=by_channel slug="by-channel" />
                    <section class="chart-group wide" aria-label="Trend">
                        <div class="chart-controls">
                            <label class="field compact">
                                <span>"Every"</span>
                                <select
                                    data-testid="trend-every"
                                    on:change=move |ev| {
                                        every.set(if event_target_value(&ev) == "week" { Every::Week } else { Every::Month });
                                    }
                                >
                                    <option value="month" prop:selected=move || every.get() == Every::Month>"Month"</option>
                                    <option value="week" prop:selected=move || every.get() == Every::Week>"Week"</option>
                                </select>
                            </label>
                            <TouchpointPick label="Also show" pick=trend_tp touchpoints testid="trend-touchpoint" />
                        </div>
                        <ChartCard chart=trend slug="trend" />
                    </section>
                    <section class="chart-group wide" aria-label="Before and after">
                        <div class="chart-controls">
                            <label class="field compact">
                                <span>"Split at"</span>
                                <input
                                    type="date"
                                    data-testid="split-at"
                                    prop:value=move || {
                                        let typed = split_day.get();
                                        if typed.is_empty() { middle.get().map(|m| format_day(m.2)).unwrap_or_default() } else { typed }
                                    }
                                    on:change=move |ev| split_day.set(event_target_value(&ev))
                                />
                            </label>
                            <TouchpointPick label="At" pick=compare_tp touchpoints testid="compare-touchpoint" />
                        </div>
                        <ResultCard result=before_after slug="before-after" />
                    </section>
                    <section class="chart-group wide" aria-label="A / B comparison">
                        <div class="chart-controls">
                            <label class="field compact">
                                <span>"Compare by"</span>
                                <select
                                    data-testid="ab-column"
                                    on:change=move |ev| {
                                        let v = event_target_value(&ev);
                                        let values = columns.with(|c| c.iter().find(|(n, _)| *n == v).map(|(_, vs)| vs.clone())).unwrap_or_default();
                                        ab_a.set(values.first().cloned().unwrap_or_default());
                                        ab_b.set(values.get(1).cloned().unwrap_or_default());
                                        ab_column.set(v);
                                    }
                                >
                                    <option value="" prop:selected=move || ab_column.with(String::is_empty)>"Choose a column"</option>
                                    {move || columns.get().into_iter().map(|(n, _)| {
                                        let selected = ab_column.with(|c| *c == n);
                                        view! { <option value=n.clone() prop:selected=selected>{n.clone()}</option> }
                                    }).collect_view()}
                                </select>
                            </label>
                            <ValuePick label="A" value=ab_a column=ab_column columns testid="ab-a" />
                            <ValuePick label="B" value=ab_b column=ab_column columns testid="ab-b" />
                        </div>
                        <ResultCard result=ab slug="a-b" />
                    </section>
                    {move || distribution_charts.get().into_iter().enumerate().map(|(i, c)| {
                        let slug = ["distribution-nps", "distribution-csat", "distribution-ces"][i.min(2)];
                        let chart = Memo::new(move |_| c.clone());
                        view! { <ChartCard chart slug /> }
                    }).collect_view()}
                    <ChartCard chart=cells slug="answers-by-cell" />
                </div>
            </Show>
            {move || basis_note.get().map(|b| view! {
                <p class="muted">{format!("The map's measured emotion curve uses {}: {}.", b.label(), b.explain())}</p>
            })}
        </section>
    }
}

#[component]
fn TouchpointPick(
    label: &'static str,
    pick: RwSignal<Option<Id>>,
    touchpoints: Memo<Vec<(Id, String)>>,
    testid: &'static str,
) -> impl IntoView {
    view! {
        <label class="field compact">
            <span>{label}</span>
            <select
                data-testid=testid
                on:change=move |ev| {
                    let v = event_target_value(&ev);
                    pick.set((!v.is_empty()).then(|| Id::new(v)));
                }
            >
                <option value="" prop:selected=move || pick.with(Option::is_none)>"Whole journey"</option>
                {move || touchpoints.get().into_iter().map(|(id, name)| {
                    let selected = pick.with(|p| p.as_ref() == Some(&id));
                    view! { <option value=id.to_string() prop:selected=selected>{name}</option> }
                }).collect_view()}
            </select>
        </label>
    }
}

#[component]
fn ValuePick(
    label: &'static str,
    value: RwSignal<String>,
    column: RwSignal<String>,
    columns: Memo<Vec<(String, Vec<String>)>>,
    testid: &'static str,
) -> impl IntoView {
    let values = move || {
        let c = column.get();
        columns
            .with(|cs| cs.iter().find(|(n, _)| *n == c).map(|(_, v)| v.clone()))
            .unwrap_or_default()
    };
    view! {
        <label class="field compact">
            <span>{label}</span>
            <select data-testid=testid on:change=move |ev| value.set(event_target_value(&ev))>
                {move || values().into_iter().map(|v| {
                    let selected = value.with(|x| *x == v);
                    view! { <option value=v.clone() prop:selected=selected>{v.clone()}</option> }
                }).collect_view()}
            </select>
        </label>
    }
}

/// A chart, or the message that says why there is none.
#[component]
fn ResultCard(result: Memo<Result<Chart, String>>, slug: &'static str) -> impl IntoView {
    let chart = Memo::new(move |_| result.get().unwrap_or_default());
    move || match result.get() {
        Ok(_) => view! { <ChartCard chart slug /> }.into_any(),
        Err(e) => view! {
            <p class="chart-message warning" data-testid=format!("{slug}-message")>{e}</p>
        }
        .into_any(),
    }
}

/// A chart with its table one click away and its downloads.
#[component]
fn ChartCard(chart: Memo<Chart>, slug: &'static str) -> impl IntoView {
    let caption = move || chart.with(|c| c.table.caption.clone());
    view! {
        <figure class="chart card" data-testid="chart" data-chart=slug>
            <div
                class="chart-svg"
                role="img"
                aria-label=caption
                inner_html=move || chart.with(|c| c.svg.clone())
            ></div>
            <figcaption class="chart-foot">
                <details class="chart-table">
                    <summary>"Show the numbers"</summary>
                    <table class="plain" data-testid="chart-table">
                        <caption>{caption}</caption>
                        <thead>
                            <tr>
                                {move || chart.with(|c| c.table.headers.clone()).into_iter().map(|h| view! { <th scope="col">{h}</th> }).collect_view()}
                            </tr>
                        </thead>
                        <tbody>
                            {move || chart.with(|c| c.table.rows.clone()).into_iter().map(|row| view! {
                                <tr>{row.into_iter().map(|cell| view! { <td>{cell}</td> }).collect_view()}</tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                </details>
                <span class="chart-actions">
                    <button class="ghost" on:click=move |_| {
                        let svg = chart.with_untracked(|c| svg_document(&c.svg));
                        crate::ui::download(&format!("{slug}.svg"), "image/svg+xml", &svg);
                    }>"Download SVG"</button>
                    <button class="ghost" on:click=move |_| {
                        let svg = chart.with_untracked(|c| svg_document(&c.svg));
                        crate::ui::download_png(svg, format!("{slug}.png"));
                    }>"Download PNG"</button>
                </span>
            </figcaption>
        </figure>
    }
}

/// The methods behind every figure, in the words the README uses.
#[component]
fn HowComputed() -> impl IntoView {
    view! {
        <div class="how">
            <p>"NPS: % promoters (9–10) − % detractors (0–6); 95 % interval by the adjusted-Wald method (add ¾ promoter and ¾ detractor, n + 3)."</p>
            <p>"CSAT: % of answers 4–5 (or “good”), with a Wilson interval. CES: mean of the 1–7 answers with a Student-t interval."</p>
            <p>"Stage and channel figures count every answer of the stage or channel, never an average of averages. A verdict needs at least 10 answers; under 30 the figure is marked “few” (its interval is wide)."</p>
            <p>"Before / after and A / B: the difference is B − A. NPS: adjusted-Wald variances and a z-test. CSAT %: difference of two proportions, unpooled standard error for the interval, pooled for the z-test. CES: Welch's t-test with Welch–Satterthwaite degrees of freedom. p-values are two-sided; “unlikely to be chance” means p < 0.05."</p>
            <p>"Dates are the calendar dates written in the file; weeks start on Monday, months on the 1st."</p>
            <p>{format!("Measured emotion: {}; or, without NPS, {}; or {}.", Basis::Nps.explain(), Basis::Csat.explain(), Basis::Ces.explain())}</p>
            <p>"Sentiment: every comment is scored by VADER (Hutto & Gilbert 2014), exactly as Python vaderSentiment 3.3.2 scores it: a compound from −1 to +1, negative at −0.05 or below, positive at 0.05 or above. It is English-only and word-list based: it does not understand sarcasm or other languages, which read as neutral. Negative share with a Wilson interval; the sentiment curve is each stage's mean compound with a Student-t interval, put on the emotion scale (−1 at its bottom, +1 at its top)."</p>
        </div>
    }
}
