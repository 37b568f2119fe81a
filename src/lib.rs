//! Waymark: omnichannel customer journey maps that live in the browser.
//!
//! The crate is a pure core (model, storage logic, templates) that builds and
//! tests natively, plus a thin Leptos UI compiled only for `wasm32`.

pub use waymark_core::{analytics, import, model, personas, templates};

pub mod charts;
pub mod history;
pub mod route;
pub mod storage;

#[cfg(target_arch = "wasm32")]
pub mod ui;
