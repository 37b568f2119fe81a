//! Waymark's pure core: the journey model with its personas and templates,
//! the feedback import, the statistics over it and comment sentiment.
//!
//! It is a package of its own for two reasons: it cannot depend on a
//! browser crate, and the release profile builds it for speed (opt-level
//! 3) while the rest of the app, mostly UI, is built for size. An import
//! spends nearly all its time here.

pub mod analytics;
pub mod followups;
pub mod formats;
pub mod import;
pub mod insights;
pub mod migrate;
pub mod model;
pub mod personas;
pub mod sentiment;
pub mod templates;
