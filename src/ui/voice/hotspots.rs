//! Friction hotspots: the touchpoints and context-losing handoffs ranked
//! by impact, each with its figures, its worst comments and the terms its
//! complaints use more than the rest of the journey
//! (`insights::hotspots`, `insights::terms`).

use leptos::prelude::*;

use crate::insights::hotspots::{hotspots, Hotspot, Reference, Spot};
use crate::insights::journey::{journey_metrics, Basis};
use crate::ui::insights::{MapData, Shared};

fn value(basis: Basis, v: f64) -> String {
    match basis {
        Basis::Nps => format!("{v:+.0}"),
        Basis::Csat => format!("{v:.0} %"),
        Basis::Ces => format!("{v:.2}"),
    }
}

#[component]
pub fn Hotspots() -> impl IntoView {
    let data = expect_context::<MapData>();
    let state = data.state;
    let basis = RwSignal::new(None::<Basis>);
    // The score the map's figures lead with unless one is picked: NPS where
    // there is any, else CSAT, else CES.
    let available = Memo::new(move |_| {
        data.metrics.with(|m| {
            let o = &m.0.overall;
            [
                (Basis::Nps, o.nps.is_some()),
                (Basis::Csat, o.csat.is_some()),
                (Basis::Ces, o.ces.is_some()),
            ]
            .into_iter()
            .filter(|(_, has)| *has)
            .map(|(b, _)| b)
            .collect::<Vec<_>>()
        })
    });
    let chosen = Memo::new(move |_| {
        let all = available.get();
        basis
            .get()
            .filter(|b| all.contains(b))
            .or(all.first().copied())
    });
    let spots = Memo::new(move |_| {
        let Some(b) = chosen.get() else {
            return Shared(std::sync::Arc::new(Vec::new()));
        };
        let view = data.view();
        let found = data
            .with_view(&view, |sources, map, filter| {
                let metrics = journey_metrics(sources, map, filter);
                hotspots(sources, map, filter, &metrics, b)
            })
            .unwrap_or_default();
        Shared(std::sync::Arc::new(found))
    });
    let name_of = move |id: &crate::model::Id| {
        state.open.map.with_untracked(|m| {
            m.as_ref()
                .and_then(|m| m.touchpoints.iter().find(|t| &t.id == id))
                .map(|t| t.name.clone())
                .unwrap_or_else(|| "(removed touchpoint)".into())
        })
    };
    let list = move || {
        let spots = spots.get();
        if spots.0.is_empty() {
            let why = if available.with(Vec::is_empty) {
                "No scores under this filter: import feedback with NPS, CSAT or CES, or widen the filter."
            } else {
                "No touchpoint is below its target (or the journey's figure) by more than its interval allows: nothing to rank."
            };
            return view! { <p class="muted" data-testid="no-hotspots">{why}</p> }.into_any();
        }
        view! {
            <ol class="hotspots" data-testid="hotspots">
                {spots
                    .0
                    .iter()
                    .enumerate()
                    .map(|(rank, h)| hotspot_view(rank + 1, h, &name_of))
                    .collect_view()}
            </ol>
        }
        .into_any()
    };
    view! {
        <div class="dashboard-options" role="group" aria-label="Hotspot options">
            <label class="field compact">
                <span>"Score"</span>
                <select
                    data-testid="hotspot-basis"
                    on:change=move |ev| {
                        basis.set(match event_target_value(&ev).as_str() {
                            "csat" => Some(Basis::Csat),
                            "ces" => Some(Basis::Ces),
                            _ => Some(Basis::Nps),
                        })
                    }
                >
                    {move || {
                        available
                            .get()
                            .into_iter()
                            .map(|b| {
                                let key = match b {
                                    Basis::Nps => "nps",
                                    Basis::Csat => "csat",
                                    Basis::Ces => "ces",
                                };
                                view! { <option value=key prop:selected=move || chosen.get() == Some(b)>{b.label()}</option> }
                            })
                            .collect_view()
                    }}
                </select>
            </label>
        </div>
        <p class="how hotspots-how">
            "Ranked by impact: answers × how far the touchpoint falls below its target (or, without one, the journey's figure). "
            "The shortfall is measured from the optimistic end of the 95 % interval, so a touchpoint with a handful of unlucky answers cannot top the list by chance. "
            "A handoff that loses the customer's context takes the figures of the touchpoint the customer arrives at. "
            "Complaint terms are the words and two-word phrases of the negative comments there, ranked by how much more often they occur there than in the rest of the journey's comments."
        </p>
        {list}
    }
}

fn hotspot_view(
    rank: usize,
    h: &Hotspot,
    name_of: &dyn Fn(&crate::model::Id) -> String,
) -> impl IntoView {
    let (kind, title) = match &h.spot {
        Spot::Touchpoint(id) => ("touchpoint", name_of(id)),
        Spot::Handoff { from, to, .. } => (
            "handoff",
            format!("{} → {} (context lost)", name_of(from), name_of(to)),
        ),
    };
    let reference = match h.reference_kind {
        Reference::Target => format!("target {}", value(h.basis, h.reference)),
        Reference::Journey => format!("journey {}", value(h.basis, h.reference)),
    };
    let interval = h
        .ci95
        .map(|[lo, hi]| {
            format!(
                " (95 % CI {} to {})",
                value(h.basis, lo),
                value(h.basis, hi)
            )
        })
        .unwrap_or_default();
    let negative = h
        .mood
        .negative_percent()
        .map(|p| format!("{p:.0} % of {} comments negative", h.mood.comments));
    let comments = h.negative_comments.clone();
    let terms = h.terms.clone();
    view! {
        <li class="hotspot card" data-testid="hotspot" data-kind=kind data-impact=format!("{:.1}", h.impact)>
            <h2>
                <span class="hotspot-rank">{format!("{rank}. ")}</span>
                {title}
            </h2>
            <p class="hotspot-figures">
                <strong>{format!("{} {}", h.basis.label(), value(h.basis, h.value))}</strong>
                {interval}
                {format!(" · n {} · {reference}", h.n)}
                <br />
                {format!(
                    "Impact {:.0} (at least {} below × {} answers); at the figure itself {:.0}.",
                    h.impact,
                    value_gap(h.basis, h.shortfall),
                    h.n,
                    h.point_impact
                )}
                {negative.map(|n| view! { <br /> {n} })}
            </p>
            {(!terms.is_empty()).then(|| view! {
                <div class="hotspot-terms">
                    <h3>"Complaint terms"</h3>
                    <ul class="terms" data-testid="complaint-terms">
                        {terms.into_iter().map(|t| {
                            let elsewhere = if t.rest == 0 { 0.0 } else { t.elsewhere as f64 * 100.0 / t.rest as f64 };
                            let title = format!("In {} of {} negative comments here; in {elsewhere:.1} % of the other comments", t.here, t.group);
                            view! { <li class="term" title=title data-term=t.text.clone()>{t.text.clone()} <span class="muted">{format!(" {}/{}", t.here, t.group)}</span></li> }
                        }).collect_view()}
                    </ul>
                </div>
            })}
            {(!comments.is_empty()).then(|| view! {
                <div class="hotspot-comments">
                    <h3>"Most negative comments"</h3>
                    <ul data-testid="hotspot-comments">
                        {comments.into_iter().map(|c| view! {
                            <li><q>{c.text}</q> <span class="muted">{format!(" {:+.2}", c.compound)}</span></li>
                        }).collect_view()}
                    </ul>
                </div>
            })}
        </li>
    }
}

/// A shortfall in the score's units.
fn value_gap(basis: Basis, v: f64) -> String {
    match basis {
        Basis::Nps => format!("{v:.0} points"),
        Basis::Csat => format!("{v:.0} points of %"),
        Basis::Ces => format!("{v:.2}"),
    }
}
