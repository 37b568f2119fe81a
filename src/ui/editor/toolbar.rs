//! The editor's toolbar: undo and redo, adding stages and channels, search
//! and filters, the lane menu, the overview switch and the Export menu.

use leptos::prelude::*;

use super::EditorCtx;
use crate::model::{ChannelKind, ChannelPreset, Id, TouchpointFilter};
use crate::ui::transfer::export::MapExportItems;

#[component]
pub fn Toolbar() -> impl IntoView {
    let ed = expect_context::<EditorCtx>();
    let state = ed.state;
    // Read-first on a phone: adding stages and channels folds away behind
    // one button; wider screens show the tools in the row.
    let wide = window()
        .inner_width()
        .ok()
        .and_then(|w| w.as_f64())
        .unwrap_or(1024.0)
        >= 700.0;
    view! {
        <div class="toolbar" role="toolbar" aria-label="Map editing">
            <div class="tool-group">
                <button
                    aria-keyshortcuts="Control+Z"
                    disabled=move || !state.open.can_undo.get()
                    on:click=move |_| state.undo()
                >
                    <span aria-hidden="true">"↶ "</span>
                    <span class="tool-label">"Undo"</span>
                </button>
                <button
                    aria-keyshortcuts="Control+Shift+Z"
                    disabled=move || !state.open.can_redo.get()
                    on:click=move |_| state.redo()
                >
                    <span aria-hidden="true">"↷ "</span>
                    <span class="tool-label">"Redo"</span>
                </button>
            </div>
            <details class="tool-add" prop:open=wide>
                <summary>
                    "+ Add"
                    <span class="tool-label">" stage or channel"</span>
                </summary>
                <div class="tool-add-body">
                    <AddStage />
                    <AddChannel />
                </div>
            </details>
            <div class="tool-group">
                <button
                    aria-pressed=move || ed.overview.get().to_string()
                    on:click=move |_| ed.overview.update(|o| *o = !*o)
                >
                    "Overview"
                </button>
                <LaneMenu />
            </div>
            <details class="export-menu">
                <summary>"Export"</summary>
                <div class="export-menu-body">
                    <MapExportItems />
                </div>
            </details>
        </div>
        <Filters />
    }
}

#[component]
fn AddStage() -> impl IntoView {
    let ed = expect_context::<EditorCtx>();
    let name = RwSignal::new(String::new());
    let add = move || {
        let n = name.get_untracked();
        if n.trim().is_empty() {
            return;
        }
        ed.state.edit(|m| {
            m.add_stage(n.trim());
        });
        name.set(String::new());
    };
    view! {
        <form
            class="tool-group"
            on:submit=move |ev| {
                ev.prevent_default();
                add();
            }
        >
            <input
                type="text"
                aria-label="New stage name"
                placeholder="New stage"
                prop:value=move || name.get()
                on:input=move |ev| name.set(event_target_value(&ev))
            />
            <button type="submit">"Add stage"</button>
        </form>
    }
}

/// Presets first (each with its kind already right), then a custom channel.
#[component]
fn AddChannel() -> impl IntoView {
    let ed = expect_context::<EditorCtx>();
    let state = ed.state;
    let unused = Memo::new(move |_| {
        ed.read(|m| {
            ChannelPreset::ALL
                .into_iter()
                .filter(|p| {
                    !m.channels
                        .iter()
                        .any(|c| c.name.eq_ignore_ascii_case(p.name))
                })
                .map(|p| p.name)
                .collect::<Vec<_>>()
        })
    });
    let custom = RwSignal::new(String::new());
    let kind = RwSignal::new(ChannelKind::Digital);
    view! {
        <div class="tool-group">
            <select
                aria-label="Add a preset channel"
                on:change=move |ev| {
                    let v = event_target_value(&ev);
                    if let Some(p) = ChannelPreset::ALL.into_iter().find(|p| p.name == v) {
                        state.edit(|m| {
                            m.add_channel_preset(p);
                        });
                    }
                }
            >
                <option value="" selected>"Add channel…"</option>
                <For each=move || unused.get() key=|p| *p let:p>
                    <option value=p>{p}</option>
                </For>
            </select>
        </div>
        <form
            class="tool-group"
            on:submit=move |ev| {
                ev.prevent_default();
                let n = custom.get_untracked();
                if n.trim().is_empty() {
                    return;
                }
                let k = kind.get_untracked();
                state.edit(|m| {
                    m.add_channel(n.trim(), k);
                });
                custom.set(String::new());
            }
        >
            <input
                type="text"
                aria-label="Custom channel name"
                placeholder="Custom channel"
                prop:value=move || custom.get()
                on:input=move |ev| custom.set(event_target_value(&ev))
            />
            <select
                aria-label="Custom channel type"
                on:change=move |ev| {
                    let v = event_target_value(&ev);
                    if let Some(k) = ChannelKind::ALL.into_iter().find(|k| k.label() == v) {
                        kind.set(k);
                    }
                }
            >
                {ChannelKind::ALL
                    .map(|k| {
                        view! {
                            <option value=k.label() prop:selected=move || kind.get() == k>
                                {k.label()}
                            </option>
                        }
                    })
                    .to_vec()}
            </select>
            <button type="submit">"Add channel"</button>
        </form>
    }
}

/// Which lanes show and in what order.
#[component]
fn LaneMenu() -> impl IntoView {
    let ed = expect_context::<EditorCtx>();
    let state = ed.state;
    let settings = Memo::new(move |_| ed.read(|m| m.lanes.settings().to_vec()));
    let order = move || settings.with(|s| s.iter().map(|s| s.lane).collect::<Vec<_>>());
    view! {
        <details class="lane-menu">
            <summary>"Lanes"</summary>
            <ul>
                <For each=order key=|l| *l let:lane>
                    {
                        let visible = move || settings.with(|s| s.iter().any(|s| s.lane == lane && s.visible));
                        let first = move || settings.with(|s| s.first().map(|s| s.lane) == Some(lane));
                        let last = move || settings.with(|s| s.last().map(|s| s.lane) == Some(lane));
                        view! {
                            <li>
                                <label class="check">
                                    <input
                                        type="checkbox"
                                        prop:checked=visible
                                        on:change=move |ev| {
                                            let on = event_target_checked(&ev);
                                            state.edit(|m| m.set_lane_visible(lane, on));
                                        }
                                    />
                                    <span>{lane.label()}</span>
                                </label>
                                <button
                                    class="ghost icon"
                                    aria-label=format!("Move lane {} up", lane.label())
                                    disabled=first
                                    on:click=move |_| state.edit(|m| m.nudge_lane(lane, -1))
                                >
                                    "▲"
                                </button>
                                <button
                                    class="ghost icon"
                                    aria-label=format!("Move lane {} down", lane.label())
                                    disabled=last
                                    on:click=move |_| state.edit(|m| m.nudge_lane(lane, 1))
                                >
                                    "▼"
                                </button>
                            </li>
                        }
                    }
                </For>
            </ul>
        </details>
    }
}

/// Search by text and filter by channel, owner or persona; cards that do
/// not match are hidden and the count says how many remain.
#[component]
fn Filters() -> impl IntoView {
    let ed = expect_context::<EditorCtx>();
    let options = Memo::new(move |_| {
        ed.read(|m| {
            (
                m.channels
                    .iter()
                    .map(|c| (c.id.clone(), c.name.clone()))
                    .collect::<Vec<_>>(),
                m.owners()
                    .into_iter()
                    .map(str::to_owned)
                    .collect::<Vec<_>>(),
                m.personas
                    .iter()
                    .map(|p| (p.id.clone(), p.name.clone()))
                    .collect::<Vec<_>>(),
            )
        })
    });
    let set = move |f: Box<dyn FnOnce(&mut TouchpointFilter)>| ed.filter.update(f);
    let id_or_none = |v: String| (!v.is_empty()).then(|| Id::new(v));
    let selected = move |f: fn(&TouchpointFilter) -> Option<String>, v: String| {
        ed.filter.with(|x| f(x) == Some(v))
    };
    let count = move || {
        ed.matching.with(|m| {
            m.as_ref().map(|s| {
                let total = ed.read(|m| m.touchpoints.len());
                format!("{} of {total} touchpoints match", s.len())
            })
        })
    };
    view! {
        <div class="filters" role="search" aria-label="Find touchpoints">
            <input
                type="search"
                aria-label="Search touchpoints"
                placeholder="Search touchpoints"
                prop:value=move || ed.filter.with(|f| f.text.clone())
                on:input=move |ev| {
                    let v = event_target_value(&ev);
                    set(Box::new(move |f| f.text = v));
                }
            />
            <select
                aria-label="Filter by channel"
                on:change=move |ev| {
                    let v = id_or_none(event_target_value(&ev));
                    set(Box::new(move |f| f.channel = v));
                }
            >
                <option value="" prop:selected=move || ed.filter.with(|f| f.channel.is_none())>"All channels"</option>
                <For each=move || options.get().0 key=|c| c.clone() let:c>
                    {
                        let v = c.0.to_string();
                        let v2 = v.clone();
                        view! {
                            <option
                                value=v
                                prop:selected=move || selected(|f| f.channel.as_ref().map(Id::to_string), v2.clone())
                            >
                                {c.1}
                            </option>
                        }
                    }
                </For>
            </select>
            <select
                aria-label="Filter by owner"
                on:change=move |ev| {
                    let v = event_target_value(&ev);
                    set(Box::new(move |f| f.owner = (!v.is_empty()).then_some(v)));
                }
            >
                <option value="" prop:selected=move || ed.filter.with(|f| f.owner.is_none())>"All owners"</option>
                <For each=move || options.get().1 key=|o| o.clone() let:o>
                    {
                        let (o1, o2) = (o.clone(), o.clone());
                        view! {
                            <option value=o1 prop:selected=move || selected(|f| f.owner.clone(), o2.clone())>
                                {o}
                            </option>
                        }
                    }
                </For>
            </select>
            <select
                aria-label="Filter by persona"
                on:change=move |ev| {
                    let v = id_or_none(event_target_value(&ev));
                    set(Box::new(move |f| f.persona = v));
                }
            >
                <option value="" prop:selected=move || ed.filter.with(|f| f.persona.is_none())>"All personas"</option>
                <For each=move || options.get().2 key=|p| p.clone() let:p>
                    {
                        let v = p.0.to_string();
                        let v2 = v.clone();
                        view! {
                            <option
                                value=v
                                prop:selected=move || selected(|f| f.persona.as_ref().map(Id::to_string), v2.clone())
                            >
                                {p.1}
                            </option>
                        }
                    }
                </For>
            </select>
            <Show when=move || ed.matching.with(Option::is_some)>
                <span class="muted" role="status" data-testid="match-count">{count}</span>
                <button class="ghost" on:click=move |_| ed.filter.set(TouchpointFilter::default())>
                    "Clear filters"
                </button>
            </Show>
        </div>
    }
}
