//! The comments explorer: every comment of the map's datasets under the
//! map's filter, found by words and phrases, narrowed by touchpoint, lane,
//! stage, score band and sentiment, sorted, and drawn a screenful at a
//! time so half a million of them scroll smoothly. Opening one shows its
//! whole row. Text is only ever text: comments reach the page as text
//! nodes, and contacts stay masked as the import masked them.

use std::sync::Arc;

use leptos::html::Div;
use leptos::prelude::*;

use crate::insights::comments::{
    highlights, row_cells, row_score, terms, Band, CommentIndex, Query, Sort,
};
use crate::insights::dates::Day;
use crate::insights::journey::{Source, UNDATED};
use crate::sentiment::{compound_of, Label};
use crate::ui::insights::{MapData, Placed, Shared};

/// Height of one result row, in CSS pixels; `style/voice.css` sizes rows
/// to it.
const ROW_PX: f64 = 76.0;
/// Rows drawn beyond the visible ones, above and below.
const OVERSCAN: usize = 8;

/// A comment with the parts to highlight, as text nodes.
fn marked(text: &str, found: &[String]) -> impl IntoView {
    let mut parts = Vec::new();
    let mut at = 0;
    for r in highlights(text, found) {
        if r.start > at {
            parts.push(view! { <span>{text[at..r.start].to_owned()}</span> }.into_any());
        }
        parts.push(view! { <mark>{text[r.clone()].to_owned()}</mark> }.into_any());
        at = r.end;
    }
    if at < text.len() {
        parts.push(view! { <span>{text[at..].to_owned()}</span> }.into_any());
    }
    parts
}

fn label_word(compound: Option<f64>) -> &'static str {
    match compound.map(Label::of) {
        Some(Label::Negative) => "negative",
        Some(Label::Neutral) => "neutral",
        Some(Label::Positive) => "positive",
        None => "not scored",
    }
}

/// Every placed dataset as a source, in order: the index, its searches and
/// its entries must all see the same list.
fn sources_of(placed: &[Placed]) -> Vec<Source<'_>> {
    placed
        .iter()
        .map(|(d, index)| Source {
            data: &d.data,
            index,
        })
        .collect()
}

/// One of the map's touchpoints, stages or lanes, by its index in the
/// map's list (as the query takes it), or any.
#[component]
fn IndexPick(
    label: &'static str,
    testid: &'static str,
    names: Signal<Vec<String>>,
    on_pick: Callback<Option<u32>>,
) -> impl IntoView {
    view! {
        <label class="field compact">
            <span>{label}</span>
            <select data-testid=testid on:change=move |ev| on_pick.run(event_target_value(&ev).parse::<u32>().ok())>
                <option value="">"Any"</option>
                {move || {
                    names
                        .get()
                        .into_iter()
                        .enumerate()
                        .map(|(i, n)| view! { <option value=i.to_string()>{n}</option> })
                        .collect_view()
                }}
            </select>
        </label>
    }
}

#[component]
pub fn Comments() -> impl IntoView {
    let data = expect_context::<MapData>();
    let state = data.state;
    // Built once per set of datasets: filters and searches reuse it.
    let index = Memo::new(move |_| {
        let placed = data.indexes.get();
        let sources = sources_of(&placed.0);
        Shared(Arc::new(CommentIndex::new(&sources)))
    });
    let query = RwSignal::new(Query::default());
    let results = Memo::new(move |_| {
        let q = query.get();
        let view = data.view();
        let index = index.get();
        let placed = view.placed.clone();
        // The index covers every dataset; the ones hidden on the map are
        // left out here too.
        let sources = sources_of(&placed.0);
        let hidden: Vec<bool> = placed
            .0
            .iter()
            .map(|(d, _)| view.hidden.contains(&d.meta.id))
            .collect();
        let found = state.open.map.with_untracked(|m| {
            m.as_ref()
                .map(|m| index.0.search(&sources, m, &view.filter, &q))
                .unwrap_or_default()
        });
        let kept: Vec<u32> = found
            .into_iter()
            .filter(|&id| !hidden[index.0.entry(id).source])
            .collect();
        Shared(Arc::new(kept))
    });
    let found_terms = Memo::new(move |_| query.with(|q| terms(&q.text)));
    let scroll_top = RwSignal::new(0.0_f64);
    let viewport = RwSignal::new(600.0_f64);
    let open = RwSignal::new(None::<u32>);
    let list = NodeRef::<Div>::new();
    let spacer = NodeRef::<Div>::new();
    let window = NodeRef::<Div>::new();
    let first = Memo::new(move |_| ((scroll_top.get() / ROW_PX) as usize).saturating_sub(OVERSCAN));
    Effect::new(move |_| {
        let total = results.with(|r| r.0.len()).to_string();
        let at = first.get().to_string();
        if let Some(el) = spacer.get() {
            crate::ui::set_css_vars(&el, &[("--rows", &total)]);
        }
        if let Some(el) = window.get() {
            crate::ui::set_css_vars(&el, &[("--first", &at)]);
        }
    });
    // A new search starts at the top.
    Effect::new(move |_| {
        results.track();
        if let Some(el) = list.get_untracked() {
            el.set_scroll_top(0);
        }
        scroll_top.set(0.0);
    });
    let rows = move || {
        let ids = results.get();
        let index = index.get();
        let found = found_terms.get();
        let first = first.get();
        let count = (viewport.get() / ROW_PX) as usize + 2 * OVERSCAN;
        let placed = data.indexes.get();
        let end = (first + count).min(ids.0.len());
        state.open.map.with_untracked(|m| {
            let Some(m) = m else { return Vec::new() };
            let sources = sources_of(&placed.0);
            ids.0[first.min(end)..end]
                .iter()
                .map(|&id| {
                    let at = index.0.entry(id);
                    let source = &sources[at.source];
                    let text = index.0.text(&sources, id).to_owned();
                    let compound = at
                        .sentiment
                        .and_then(|c| source.data.columns[c].score(at.row))
                        .and_then(compound_of);
                    let tp = source.index.touchpoint[at.row];
                    let touchpoint = m
                        .touchpoints
                        .get(tp as usize)
                        .map(|t| t.name.clone())
                        .unwrap_or_else(|| "not on the map".into());
                    let score = row_score(source.data, at.row)
                        .map(|s| {
                            let band = s.band().map(|b| format!(" · {}", b.label())).unwrap_or_default();
                            format!("{}{band}", s.value)
                        })
                        .unwrap_or_default();
                    let day = source.index.day[at.row];
                    let date = if day == UNDATED {
                        String::new()
                    } else {
                        Day(day).to_string()
                    };
                    let sentiment = label_word(compound);
                    view! {
                        <button
                            type="button"
                            class="comment-row"
                            class=("open", move || open.get() == Some(id))
                            data-testid="comment"
                            data-sentiment=sentiment
                            on:click=move |_| open.set(Some(id))
                        >
                            <span class="comment-text">{marked(&text, &found)}</span>
                            <span class="comment-meta muted">
                                {format!("{touchpoint} · {date} · score {score} · {sentiment}{}", compound.map(|c| format!(" {c:+.2}")).unwrap_or_default())}
                            </span>
                        </button>
                    }
                    .into_any()
                })
                .collect::<Vec<_>>()
        })
    };
    let detail = move || {
        let id = open.get()?;
        let index = index.get();
        let placed = data.indexes.get();
        let at = index.0.entry(id);
        let (loaded, _) = placed.0.get(at.source)?;
        let cells = row_cells(&loaded.data, at.row);
        let line = loaded.data.lines.get(at.row).copied().unwrap_or_default();
        Some(view! {
            <aside class="card comment-detail" data-testid="comment-detail" aria-label="The whole answer">
                <h2>{format!("{} · line {line}", loaded.meta.name)}</h2>
                <dl>
                    {cells.into_iter().map(|(name, cell)| view! { <dt>{name}</dt> <dd>{cell}</dd> }).collect_view()}
                </dl>
                <button type="button" class="button ghost" on:click=move |_| open.set(None)>"Close"</button>
            </aside>
        })
    };
    let lists = Memo::new(move |_| {
        state.open.map.with(|m| {
            m.as_ref()
                .map(|m| {
                    (
                        m.touchpoints
                            .iter()
                            .map(|t| t.name.clone())
                            .collect::<Vec<_>>(),
                        m.stages.iter().map(|s| s.name.clone()).collect::<Vec<_>>(),
                        m.channels
                            .iter()
                            .map(|c| c.name.clone())
                            .collect::<Vec<_>>(),
                    )
                })
                .unwrap_or_default()
        })
    });
    view! {
        <div class="dashboard-options comment-filters" role="search" aria-label="Find comments">
            <label class="field compact grow">
                <span>"Search"</span>
                <input
                    type="search"
                    data-testid="comment-search"
                    placeholder="words, or a \"phrase in quotes\""
                    on:input=move |ev| {
                        let v = event_target_value(&ev);
                        query.update(|q| q.text = v);
                    }
                />
            </label>
            <IndexPick label="Touchpoint" testid="comment-touchpoint" names=Signal::derive(move || lists.get().0) on_pick=Callback::new(move |i| query.update(|q| q.touchpoint = i)) />
            <IndexPick label="Stage" testid="comment-stage" names=Signal::derive(move || lists.get().1) on_pick=Callback::new(move |i| query.update(|q| q.stage = i)) />
            <IndexPick label="Channel" testid="comment-channel" names=Signal::derive(move || lists.get().2) on_pick=Callback::new(move |i| query.update(|q| q.channel = i)) />
            <label class="field compact">
                <span>"Score band"</span>
                <select data-testid="comment-band" on:change=move |ev| {
                    let v = event_target_value(&ev);
                    query.update(|q| q.band = Band::ALL.into_iter().find(|b| b.label() == v));
                }>
                    <option value="">"Any"</option>
                    {Band::ALL.into_iter().map(|b| view! { <option value=b.label()>{b.label()}</option> }).collect_view()}
                </select>
            </label>
            <label class="field compact">
                <span>"Sentiment"</span>
                <select data-testid="comment-sentiment" on:change=move |ev| {
                    let v = event_target_value(&ev);
                    query.update(|q| q.label = v.parse::<Label>().ok());
                }>
                    <option value="">"Any"</option>
                    <option value="negative">"negative"</option>
                    <option value="neutral">"neutral"</option>
                    <option value="positive">"positive"</option>
                </select>
            </label>
            <label class="field compact">
                <span>"Sort by"</span>
                <select data-testid="comment-sort" on:change=move |ev| {
                    let v = event_target_value(&ev);
                    query.update(|q| {
                        let (key, descending) = v.split_once(':').unwrap_or((v.as_str(), ""));
                        q.sort = Sort::ALL.into_iter().find(|s| s.label() == key).unwrap_or_default();
                        q.descending = descending == "desc";
                    });
                }>
                    {Sort::ALL.into_iter().flat_map(|s| {
                        [(s, false), (s, true)].map(|(s, d)| {
                            let text = match (s, d) {
                                (Sort::File, false) => "file order".to_owned(),
                                (Sort::File, true) => "file order, last first".to_owned(),
                                (s, false) => format!("{}, lowest first", s.label()),
                                (s, true) => format!("{}, highest first", s.label()),
                            };
                            view! { <option value=format!("{}:{}", s.label(), if d { "desc" } else { "asc" })>{text}</option> }
                        })
                    }).collect_view()}
                </select>
            </label>
        </div>
        <p class="muted" data-testid="comment-count" aria-live="polite">
            {move || {
                let n = results.with(|r| r.0.len());
                let all = index.with(|i| i.0.len());
                format!("{n} of {all} comments")
            }}
        </p>
        <div class="comments-layout">
            <div
                class="comment-list"
                node_ref=list
                data-testid="comment-list"
                on:scroll=move |ev| {
                    let el = event_target::<web_sys::HtmlElement>(&ev);
                    scroll_top.set(f64::from(el.scroll_top()));
                    viewport.set(f64::from(el.client_height()));
                }
            >
                <div class="comment-spacer" node_ref=spacer>
                    <div class="comment-window" node_ref=window>{rows}</div>
                </div>
            </div>
            {detail}
        </div>
    }
}
