//! Measured figures where the map shows them: on each card against its
//! targets, and as roll-ups on stage heads and lanes. A verdict is always
//! written out (met / missed / too few answers) and marked with a glyph,
//! so colour is never the only cue.

use leptos::prelude::*;

use super::MapData;
use crate::analytics::Summary;
use crate::insights::custom::{custom_figures, CustomFigure};
use crate::insights::journey::{figures, Figure, Verdict, FEW_ANSWERS};
use crate::insights::sentiment::Mood;
use crate::model::{Id, Targets};

/// Which figures a map element shows.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Place {
    Touchpoint,
    Stage,
    Channel,
}

/// The verdict's glyph for the eye and its words for screen readers.
fn verdict_mark(verdict: Verdict, words: String) -> impl IntoView {
    view! {
        <span class="fig-verdict">
            " "
            <span aria-hidden="true">{verdict.glyph()}</span>
            <span class="visually-hidden">{words}</span>
        </span>
    }
}

fn class(v: Verdict) -> &'static str {
    match v {
        Verdict::Met => "fig met",
        Verdict::Missed => "fig missed",
        Verdict::TooFew => "fig few",
        Verdict::NoTarget => "fig",
    }
}

/// One figure: the value, its interval and n, and against the target.
fn figure_view(f: Figure, compact: bool) -> impl IntoView {
    let label = f.metric.label();
    let value = f.shown();
    let interval = f.interval();
    let verdict = (f.verdict != Verdict::NoTarget).then(|| {
        let target = f.target.unwrap_or_default();
        let target = match f.metric {
            crate::insights::journey::Basis::Ces => format!("{target:.1}"),
            crate::insights::journey::Basis::Csat => format!("{target:.0} %"),
            crate::insights::journey::Basis::Nps => format!("{target:+.0}"),
        };
        format!(
            "{} {} (target {target})",
            f.verdict.glyph(),
            f.verdict.word()
        )
    });
    let title = format!(
        "{label} {value}{}; {} answers{}{}",
        interval
            .as_ref()
            .map(|i| format!(", 95 % CI {i}"))
            .unwrap_or_default(),
        f.n,
        if f.few {
            format!(" (fewer than {FEW_ANSWERS}: the interval is wide)")
        } else {
            String::new()
        },
        verdict
            .as_ref()
            .map(|v| format!("; {v}"))
            .unwrap_or_default(),
    );
    let metric = match f.metric {
        crate::insights::journey::Basis::Nps => "nps",
        crate::insights::journey::Basis::Csat => "csat",
        crate::insights::journey::Basis::Ces => "ces",
    };
    view! {
        <span
            class=class(f.verdict)
            class=("few-n", f.few)
            data-metric=metric
            data-value=f.value.to_string()
            data-n=f.n
            data-verdict=f.verdict.word()
            title=title
        >
            <span class="fig-label">{label}</span>
            " "
            <strong class="fig-value">{value}</strong>
            {(!compact)
                .then(|| {
                    view! {
                        <span class="fig-detail">
                            {interval.map(|i| view! { <span class="fig-ci">{format!(" {i}")}</span> })}
                            {format!(" · n {}", f.n)}
                            {f.few.then_some(" · few")}
                        </span>
                    }
                })}
            {verdict.map(|v| verdict_mark(f.verdict, v))}
        </span>
    }
}

/// One custom metric's figure: its value in its unit, its interval (or
/// why it has none), n, and against its target in its direction.
fn custom_view(f: CustomFigure) -> impl IntoView {
    let value = f.shown();
    let interval = f.interval();
    let verdict = (f.verdict != Verdict::NoTarget).then(|| {
        format!(
            "{} {} (target {}, {})",
            f.verdict.glyph(),
            f.verdict.word(),
            f.in_unit(f.target.unwrap_or_default()),
            f.direction()
        )
    });
    let detail = match (&interval, f.no_interval()) {
        (Some(i), _) => format!(" {i}"),
        (None, Some(why)) => format!(" ({why})"),
        (None, None) => String::new(),
    };
    let title = format!(
        "{} ({}) {value}{}; {} values{}{}",
        f.name,
        f.aggregation.label(),
        interval
            .as_ref()
            .map(|i| format!(", 95 % CI {i}"))
            .or_else(|| f.no_interval().map(|w| format!(", {w}")))
            .unwrap_or_default(),
        f.n,
        if f.few {
            format!(" (fewer than {FEW_ANSWERS})")
        } else {
            String::new()
        },
        verdict
            .as_ref()
            .map(|v| format!("; {v}"))
            .unwrap_or_default(),
    );
    view! {
        <span
            class=class(f.verdict)
            class=("few-n", f.few)
            data-metric="custom"
            data-metric-id=f.metric.to_string()
            data-value=f.value.to_string()
            data-n=f.n
            data-verdict=f.verdict.word()
            title=title
        >
            <span class="fig-label">{f.name.clone()}</span>
            " "
            <strong class="fig-value">{value}</strong>
            <span class="fig-detail">
                {detail}
                {format!(" · n {}", f.n)}
                {f.few.then_some(" · few")}
            </span>
            {verdict.map(|v| verdict_mark(f.verdict, v))}
        </span>
    }
}

/// Share of negative comments, as VADER reads them, with n; the interval,
/// the positive share and the mean compound in the tooltip.
fn sentiment_view(m: Mood) -> impl IntoView {
    let negative = m.negative_percent().unwrap_or_default();
    let [lo, hi] = m.negative_interval().unwrap_or_default();
    let few = m.comments < FEW_ANSWERS as u64;
    let title = format!(
        "{negative:.0} % of {} comments negative (95 % CI {lo:.0}–{hi:.0} %), {:.0} % positive; mean sentiment {:+.2} on −1…+1{}. VADER: English-only, word-list based.",
        m.comments,
        m.positive as f64 * 100.0 / m.comments as f64,
        m.mean().unwrap_or_default(),
        if few { "; few comments, the interval is wide" } else { "" },
    );
    view! {
        <span
            class="fig sentiment"
            class=("few-n", few)
            data-testid="measured-sentiment"
            data-negative=format!("{negative:.1}")
            data-n=m.comments
            title=title
        >
            <span class="fig-label">"Negative"</span>
            " "
            <strong class="fig-value">{format!("{negative:.0} %")}</strong>
            <span class="fig-detail">
                {format!(" · n {}", m.comments)}
                {few.then_some(" · few")}
            </span>
        </span>
    }
}

/// The measured figures of a touchpoint, stage or lane. Shows nothing
/// while the map has no feedback at all; "no answers" when it has some but
/// none for this element, so a blank is never mistaken for a gap in
/// loading.
#[component]
pub fn Measured(
    place: Place,
    id: Id,
    #[prop(into)] targets: Signal<Targets>,
    #[prop(into)] compact: Signal<bool>,
) -> impl IntoView {
    let Some(data) = use_context::<MapData>() else {
        return ().into_any();
    };
    let custom_id = id.clone();
    let mood_id = id.clone();
    let mood = Memo::new(move |_| {
        data.sentiment.with(|s| {
            let s = &s.0;
            match place {
                Place::Touchpoint => s.touchpoints.get(&mood_id),
                Place::Stage => s.stages.get(&mood_id),
                Place::Channel => s.channels.get(&mood_id),
            }
            .copied()
        })
    });
    // Next to the scores, never in the compact view.
    let sentiment = move || {
        if compact.get() {
            return None;
        }
        mood.get().map(|m| {
            view! { <span class="measured voice">{sentiment_view(m)}</span> }
        })
    };
    let summary = Memo::new(move |_| {
        data.metrics.with(|m| {
            let m = &m.0;
            match place {
                Place::Touchpoint => m.touchpoints.get(&id),
                Place::Stage => m.stages.get(&id),
                Place::Channel => m.channels.get(&id),
            }
            .cloned()
        })
    });
    let has_data = Memo::new(move |_| data.datasets.with(|d| !d.is_empty()));
    let custom = Memo::new(move |_| {
        data.custom.with(|c| {
            custom_figures(&c.0, |f| match place {
                Place::Touchpoint => f.touchpoints.get(&custom_id),
                Place::Stage => f.stages.get(&custom_id),
                Place::Channel => f.channels.get(&custom_id),
            })
        })
    });
    // The map's own metrics, also from values typed by hand (so without
    // any dataset); left out of the compact view.
    let customs = move || {
        let figs = custom.get();
        if figs.is_empty() || compact.get() {
            return ().into_any();
        }
        view! {
            <span class="measured custom" data-testid="measured-custom">
                {figs.into_iter().map(custom_view).collect_view()}
            </span>
        }
        .into_any()
    };
    let scores = move || {
        if !has_data.get() {
            return ().into_any();
        }
        let s: Option<Summary> = summary.get();
        let compact = compact.get();
        match s {
            None => view! {
                <span class="measured none" data-testid="measured">
                    "No answers"
                </span>
            }
            .into_any(),
            Some(s) => {
                let mut figs = figures(&s, &targets.get());
                if compact {
                    figs.truncate(1);
                }
                view! {
                    <span class="measured" data-testid="measured" data-place=match place {
                        Place::Touchpoint => "touchpoint",
                        Place::Stage => "stage",
                        Place::Channel => "channel",
                    }>
                        {figs.into_iter().map(|f| figure_view(f, compact)).collect_view()}
                    </span>
                }
                .into_any()
            }
        }
    };
    view! {
        {scores}
        {sentiment}
        {customs}
    }
    .into_any()
}
