//! The voice of the customer on a map: where the journey hurts most
//! ([`hotspots`]), everything customers wrote ([`comments`]) and whom to
//! call back ([`followups`]). Each page follows the map's filter bar, like
//! the dashboard, and every figure comes from the core.

pub mod comments;
pub mod followups;
pub mod hotspots;

use leptos::prelude::*;

use super::insights::filter_bar::FilterBar;
use super::insights::MapData;
use super::state::AppState;
use crate::model::Id;
use crate::route::{Route, Voice};

/// Links to the map's insights pages, keeping the filter.
#[component]
pub fn VoiceLinks() -> impl IntoView {
    let data = expect_context::<MapData>();
    let map = data.map.get_value();
    let current = Memo::new(move |_| match data.state.route.get() {
        Route::Voice(_, v) => Some(v),
        _ => None,
    });
    view! {
        <nav class="voice-links" aria-label="Voice of the customer">
            {Voice::ALL
                .into_iter()
                .map(|v| {
                    let map = map.clone();
                    let href = move || {
                        format!("{}{}", Route::Voice(map.clone(), v).hash(), data.filter.with(|f| f.query()))
                    };
                    view! {
                        <a
                            class="button ghost"
                            data-testid=format!("voice-{}", v.slug())
                            href=href
                            aria-current=move || (current.get() == Some(v)).then_some("page")
                        >
                            {v.title()}
                        </a>
                    }
                })
                .collect_view()}
        </nav>
    }
}

/// A voice page of a map: the map opened, its data loaded, the filter bar
/// and the page itself.
#[component]
pub fn VoicePage(id: Id, voice: Voice) -> impl IntoView {
    let state = expect_context::<AppState>();
    state.open_map(&id);
    let open = state.open;
    let is_open = Memo::new(move |_| open.map.with(Option::is_some));
    move || {
        if let Some(err) = open.load_error.get() {
            return super::map_unavailable(Some(err));
        }
        if !is_open.get() {
            return super::map_unavailable(None);
        }
        view! { <Page id=id.clone() voice /> }.into_any()
    }
}

#[component]
fn Page(id: Id, voice: Voice) -> impl IntoView {
    let state = expect_context::<AppState>();
    let data = MapData::new(state, id.clone());
    provide_context(data);
    let name = Memo::new(move |_| {
        state
            .open
            .map
            .with(|m| m.as_ref().map(|m| m.name.clone()).unwrap_or_default())
    });
    let map_href = Route::Map(id).hash();
    let body = match voice {
        Voice::Hotspots => view! { <hotspots::Hotspots /> }.into_any(),
        Voice::Comments => view! { <comments::Comments /> }.into_any(),
        Voice::FollowUps => view! { <followups::FollowUps /> }.into_any(),
    };
    view! {
        <section class="page voice-page" data-testid=format!("page-{}", voice.slug())>
            <nav class="crumbs" aria-label="Breadcrumb">
                <a href="#/">"All maps"</a>
                " · "
                <a href=map_href>{move || name.get()}</a>
                " · "
                <span aria-current="page">{voice.title()}</span>
            </nav>
            <h1>{move || format!("{}: {}", voice.title(), name.get())}</h1>
            <FilterBar on_dashboard=true />
            {body}
        </section>
    }
}
