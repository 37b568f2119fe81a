//! Waymark: omnichannel customer journey maps that live in the browser.
//!
//! The crate is a pure core (model, storage logic, templates) that builds and
//! tests natively, plus a thin Leptos UI compiled only for `wasm32`.

pub mod analytics;
pub mod charts;
pub mod history;
pub mod import;
pub mod model;
pub mod personas;
pub mod route;
pub mod storage;
pub mod templates;

#[cfg(target_arch = "wasm32")]
pub mod ui;
