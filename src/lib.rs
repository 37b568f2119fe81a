//! Waymark: omnichannel customer journey maps that live in the browser.
//!
//! The domain core (model, personas, templates, import, analytics) is the
//! `waymark-core` package in `src/core`, re-exported here so that the app,
//! its tests and the CLI reach it as `waymark::import` or `crate::model`
//! (it is a package of its own to be built for speed). This crate adds
//! what builds and tests natively around it (storage logic, charts,
//! history, routes) and a thin Leptos UI compiled only for `wasm32`.

pub use waymark_core::{
    analytics, followups, formats, import, insights, model, personas, sentiment, templates,
};

pub mod charts;
pub mod file_name;
pub mod history;
pub mod route;
pub mod storage;
pub mod transfer;

#[cfg(target_arch = "wasm32")]
pub mod ui;
