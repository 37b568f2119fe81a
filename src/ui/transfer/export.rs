//! The map page's export items: the map file, the mermaid journey (with
//! what that format cannot hold) and the share link.

use leptos::prelude::*;
use waymark_core::formats::{map_file, mermaid};

use super::copy_to_clipboard;
use crate::file_name::slug;
use crate::model::JourneyMap;
use crate::transfer::{share_link, ShareLink};
use crate::ui::download;
use crate::ui::state::AppState;

/// The three items, rendered into the toolbar's Export menu.
#[component]
pub fn MapExportItems() -> impl IntoView {
    let state = expect_context::<AppState>();
    let open = state.open.map;
    // Read at the moment of the click: exports are snapshots, and tracking
    // the map would re-render the menu on every keystroke.
    let with_map = move |f: &dyn Fn(&JourneyMap)| open.with_untracked(|m| m.as_ref().map(f));
    let status = RwSignal::new(None::<String>);
    let link = RwSignal::new(None::<ShareLink>);
    // A link made before an edit would share the map as it was: drop it.
    Effect::new(move |_| {
        open.track();
        link.set(None);
    });

    let file = move || {
        with_map(&|m| {
            download(
                &format!("{}.waymark.json", slug(&m.name)),
                "application/json",
                &map_file::to_json(m),
            )
        });
    };
    let mmd = move |_| {
        with_map(&|m| {
            download(
                &format!("{}.mmd", slug(&m.name)),
                "text/plain",
                &mermaid::to_mermaid(m),
            )
        });
    };
    let copy_mmd = move |_| {
        if let Some(text) = open.with_untracked(|m| m.as_ref().map(mermaid::to_mermaid)) {
            copy_to_clipboard(text, "Mermaid journey", status);
        }
    };
    let make_link = move |_| {
        let page = window().location().href().unwrap_or_default();
        link.set(open.with_untracked(|m| m.as_ref().map(|m| share_link(&page, m))));
    };

    // A click in the link selects all of it, ready to copy by hand.
    let select_all =
        |ev: leptos::ev::FocusEvent| event_target::<web_sys::HtmlInputElement>(&ev).select();
    let link_view = move || {
        link.get().map(|l| match l {
            ShareLink::Fits(url) => {
                let copied = url.clone();
                view! {
                    <div class="share-link" data-testid="share-link">
                        <input
                            type="text"
                            readonly=true
                            aria-label="Share link"
                            data-testid="share-link-url"
                            prop:value=url
                            on:focus=select_all
                        />
                        <button on:click=move |_| copy_to_clipboard(copied.clone(), "Share link", status)>
                            "Copy"
                        </button>
                    </div>
                }
                .into_any()
            }
            ShareLink::TooLong { chars } => view! {
                <div class="share-too-long" role="alert" data-testid="share-too-long">
                    <p>
                        {format!(
                            "This map is too large for a link: it would be {chars} characters long, and browsers cut links at about {}. Send the map file instead.",
                            waymark_core::formats::share::MAX_LINK_CHARS,
                        )}
                    </p>
                    <button class="primary" on:click=move |_| file()>"Download the map file"</button>
                </div>
            }
            .into_any(),
        })
    };

    view! {
        <div class="export-items" data-testid="transfer-export">
            <section class="export-item">
                <button data-testid="export-map-file" on:click=move |_| file()>
                    "Map file (.json)"
                </button>
                <p class="muted">
                    "The whole map — personas, lanes, handoffs, targets — to open in Waymark in any browser. Imported feedback stays here."
                </p>
            </section>
            <section class="export-item">
                <div class="inline">
                    <button data-testid="export-mermaid" on:click=mmd>"Mermaid journey (.mmd)"</button>
                    <button data-testid="copy-mermaid" on:click=copy_mmd>"Copy"</button>
                </div>
                <p class="muted small">{mermaid::LIMITS}</p>
            </section>
            <section class="export-item">
                <button data-testid="make-share-link" on:click=make_link>"Share link"</button>
                <p class="muted">
                    "The map travels inside the link, after the #, which browsers never send to a server. Imported feedback is not included."
                </p>
                {link_view}
            </section>
            <p class="export-status" role="status" aria-live="polite">{move || status.get()}</p>
        </div>
    }
}
