//! The map as a picture: SVG and PNG of the whole map (drawn natively by
//! [`crate::charts::map_image`]), and printing, which prints the pages of
//! [`super::print::PrintMap`].

use leptos::prelude::*;

use super::{measured, open_map, Measured};
use crate::charts::map_image::map_svg;
use crate::file_name::slug;
use crate::ui::insights::MapData;
use crate::ui::state::AppState;
use crate::ui::{download, download_png};

/// The SVG of the open map with the figures the page shows, and the file
/// name stem for it.
fn picture(state: AppState, data: Option<MapData>) -> Option<(String, String)> {
    let figures = measured(data);
    open_map(state, |m| {
        (
            map_svg(m, figures.as_ref().map(Measured::feedback)),
            slug(&m.name),
        )
    })
}

#[component]
pub fn ImageItems() -> impl IntoView {
    let state = expect_context::<AppState>();
    let data = use_context::<MapData>();
    view! {
        <li>
            <button
                class="ghost"
                data-testid="export-svg"
                title="The whole map as a vector image, for slides and documents"
                on:click=move |_| {
                    if let Some((svg, stem)) = picture(state, data) {
                        download(&format!("{stem}.svg"), "image/svg+xml", &svg);
                    }
                }
            >
                "SVG image"
            </button>
        </li>
        <li>
            <button
                class="ghost"
                data-testid="export-png"
                title="The whole map as a picture at twice screen resolution"
                on:click=move |_| {
                    if let Some((svg, stem)) = picture(state, data) {
                        download_png(svg, format!("{stem}.png"));
                    }
                }
            >
                "PNG image"
            </button>
        </li>
        <li>
            <button
                class="ghost"
                data-testid="export-print"
                title="Print or save as PDF: laid out for A4 landscape; A3 works too"
                on:click=move |_| {
                    super::print::render_now(state, data);
                    if let Some(w) = web_sys::window() {
                        let _ = w.print();
                    }
                }
            >
                "Print / PDF"
            </button>
        </li>
    }
}
