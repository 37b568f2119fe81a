//! Text that edits in place. The canvas shows stage names, customer goals
//! and channel names as text, so the map reads like a map and not like a
//! form; a click (or Enter, the text being a button) turns the text into a
//! text box. Enter or leaving the box keeps the change as one undo step,
//! Escape drops it.

use leptos::ev;
use leptos::html::{Button, Input};
use leptos::prelude::*;

#[component]
pub fn InlineEdit(
    /// What the text is, e.g. "Stage name": the text box's accessible name,
    /// and the start of the button's.
    label: &'static str,
    #[prop(into)] value: Signal<String>,
    /// Shown, muted, in place of an empty value.
    #[prop(optional)]
    placeholder: &'static str,
    /// Classes of both the text and the text box.
    #[prop(optional)]
    class: &'static str,
    /// Called with the new text when it differs from the value.
    #[prop(into)]
    commit: Callback<String>,
) -> impl IntoView {
    let editing = RwSignal::new(false);
    let draft = RwSignal::new(String::new());
    let button = NodeRef::<Button>::new();
    let input = NodeRef::<Input>::new();
    Effect::new(move |_| {
        if let Some(i) = input.get() {
            let _ = i.focus();
            i.select();
        }
    });
    let start = move || {
        draft.set(value.get_untracked());
        editing.set(true);
    };
    // `refocus`: back to the text after Enter or Escape, so the keyboard
    // stays where it was; leaving the box leaves focus where it went.
    let finish = move |keep: bool, refocus: bool| {
        if !editing.get_untracked() {
            return;
        }
        editing.set(false);
        if keep {
            let next = draft.get_untracked();
            if next != value.get_untracked() {
                commit.run(next);
            }
        }
        if refocus {
            request_animation_frame(move || {
                if let Some(b) = button.get_untracked() {
                    let _ = b.focus();
                }
            });
        }
    };
    let shown = move || {
        let v = value.get();
        if v.trim().is_empty() {
            placeholder.to_owned()
        } else {
            v
        }
    };
    view! {
        <Show
            when=move || editing.get()
            fallback=move || {
                view! {
                    <button
                        type="button"
                        class=format!("inline-edit {class}")
                        class=("inline-empty", move || value.with(|v| v.trim().is_empty()))
                        node_ref=button
                        aria-label=move || format!("{label}: {}", shown())
                        title=format!("{label} — click to edit")
                        on:click=move |_| start()
                    >
                        {shown}
                    </button>
                }
            }
        >
            <input
                type="text"
                class=format!("inline-input {class}")
                aria-label=label
                placeholder=placeholder
                node_ref=input
                prop:value=move || draft.get()
                on:input=move |ev| draft.set(event_target_value(&ev))
                on:keydown=move |ev: ev::KeyboardEvent| match ev.key().as_str() {
                    "Enter" => {
                        ev.prevent_default();
                        finish(true, true);
                    }
                    "Escape" => {
                        ev.prevent_default();
                        ev.stop_propagation();
                        finish(false, true);
                    }
                    _ => {}
                }
                on:blur=move |_| finish(true, false)
            />
        </Show>
    }
}
