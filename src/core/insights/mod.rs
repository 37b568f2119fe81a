//! What imported feedback says about a journey: figures per touchpoint,
//! stage and lane under the map's filter, trends and comparisons.

pub mod comments;
pub mod compare;
pub mod custom;
pub mod dates;
pub mod groups;
pub mod hotspots;
pub mod journey;
pub mod sentiment;
pub mod stats;
pub mod terms;
pub mod trend;
