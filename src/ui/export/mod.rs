//! The map page's Export menu: one list of ways a map leaves the browser.
//! Each format contributes its items as a component of its own module, so
//! adding one is a module and a line in [`ExportMenu`]; the items share
//! [`open_map`] and [`measured`] to read what they export.

pub mod image;
pub mod print;

use leptos::html::Details;
use leptos::prelude::*;

use super::insights::{MapData, Shared};
use super::state::AppState;
use super::transfer::export::MapExportItems;
use crate::charts::map_image::Feedback;
use crate::insights::journey::JourneyMetrics;
use crate::insights::sentiment::JourneySentiment;
use crate::model::JourneyMap;

/// A disclosure button with every way out: images and print, then the map
/// file, mermaid and the share link (`ui::transfer::export`).
#[component]
pub fn ExportMenu() -> impl IntoView {
    let menu = NodeRef::<Details>::new();
    view! {
        <details class="export-menu" node_ref=menu data-testid="export-menu">
            <summary>"Export"</summary>
            <div class="export-menu-body">
                // An image or print is done once chosen, so the menu closes;
                // the transfer items stay open to show a link or a message.
                <ul
                    class="export-images"
                    on:click=move |_| {
                        if let Some(el) = menu.get_untracked() {
                            el.set_open(false);
                        }
                    }
                >
                    <image::ImageItems />
                </ul>
                <MapExportItems />
            </div>
        </details>
    }
}

/// Runs `f` on the open map, if one is open; untracked, for click handlers.
pub fn open_map<R>(state: AppState, f: impl FnOnce(&JourneyMap) -> R) -> Option<R> {
    state
        .open
        .map
        .try_with_untracked(|m| m.as_ref().map(f))
        .flatten()
}

/// The figures the map page shows under its filter, when the map has
/// feedback attached: exports show the same measured values as the cards.
pub struct Measured {
    metrics: Shared<JourneyMetrics>,
    sentiment: Option<Shared<JourneySentiment>>,
}

impl Measured {
    pub fn feedback(&self) -> Feedback<'_> {
        Feedback {
            metrics: &self.metrics.0,
            sentiment: self.sentiment.as_ref().map(|s| &*s.0).filter(|s| s.scored),
        }
    }
}

pub fn measured(data: Option<MapData>) -> Option<Measured> {
    let data = data?;
    if data
        .datasets
        .try_with_untracked(Vec::is_empty)
        .unwrap_or(true)
    {
        return None;
    }
    Some(Measured {
        metrics: data.metrics.try_get_untracked()?,
        sentiment: data.sentiment.try_get_untracked(),
    })
}
