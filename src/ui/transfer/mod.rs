//! Maps leaving and entering the browser: the map page's export items (map
//! file, mermaid journey, share link), the library's import (file picker,
//! drop, pasted mermaid) and the read-only view a share link opens. The
//! formats themselves, and every check of untrusted input, are the core's
//! (`waymark_core::formats`); the decisions worth testing natively are in
//! [`crate::transfer`].

pub mod export;
pub mod import;
pub mod shared_view;

use leptos::prelude::*;
use wasm_bindgen_futures::{spawn_local, JsFuture};

/// Puts `text` on the clipboard and says in `status` whether that worked.
/// Browsers refuse the clipboard outside secure contexts and without a user
/// gesture; the message then says how to copy by hand. Runs after an await,
/// when the component may be gone: only `try_` writes.
pub fn copy_to_clipboard(text: String, what: &'static str, status: RwSignal<Option<String>>) {
    let clipboard = window().navigator().clipboard();
    spawn_local(async move {
        let message = match JsFuture::from(clipboard.write_text(&text)).await {
            Ok(_) => format!("{what} copied to the clipboard."),
            Err(_) => format!(
                "This browser did not allow copying the {}; copy it by hand or download the file.",
                what.to_lowercase()
            ),
        };
        status.try_set(Some(message));
    });
}
