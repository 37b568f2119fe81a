//! Messages about storage and saving. Failures are never silent: each one
//! ends up here in words the user can act on.

use leptos::prelude::*;

use super::state::{AppState, NoticeKind};

/// Shown for as long as maps cannot be saved at all.
#[component]
pub fn StorageBanner() -> impl IntoView {
    let state = expect_context::<AppState>();
    move || {
        state.memory_only.get().map(|why| {
            view! {
                <div class="banner warning" role="alert" data-testid="memory-only">
                    <strong>"Not saving: "</strong>
                    {why}
                    ". Waymark works normally, but maps last only until this tab closes. "
                    "Allow site data for this page to keep them."
                </div>
            }
        })
    }
}

#[component]
pub fn Notices() -> impl IntoView {
    let state = expect_context::<AppState>();
    view! {
        <div class="toasts" aria-live="polite">
            <For each=move || state.notices.get() key=|n| n.id let(n)>
                <div
                    class="toast"
                    class:error=n.kind == NoticeKind::Error
                    role=if n.kind == NoticeKind::Error { "alert" } else { "status" }
                >
                    <span>{n.text.clone()}</span>
                    <button class="ghost" on:click=move |_| state.dismiss(n.id) aria-label="Dismiss">
                        "×"
                    </button>
                </div>
            </For>
            {move || {
                state.undoable_delete.get().map(|name| {
                    view! {
                        <div class="toast" role="status" data-testid="undo-toast">
                            <span>"Deleted “" {name} "”."</span>
                            <button class="primary" on:click=move |_| state.undo_delete()>"Undo"</button>
                            <button
                                class="ghost"
                                aria-label="Dismiss"
                                on:click=move |_| state.undoable_delete.set(None)
                            >
                                "×"
                            </button>
                        </div>
                    }
                })
            }}
        </div>
    }
}
