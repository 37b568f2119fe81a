//! The wrapper every stored value travels in.

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// A stored value with what is needed to read it safely later: the schema
/// it was written in (for migrations), and a revision plus writer so a tab
/// can tell that another tab saved since it last read.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Envelope<T> {
    pub schema: u32,
    /// Increases by one with every save of this key.
    pub rev: u64,
    pub saved_ms: f64,
    /// Random id of the tab that saved, so a tab ignores its own echoes.
    pub writer: String,
    pub data: T,
}

/// The envelope fields read before the payload is trusted: the payload may
/// need migrating before it parses as the current type.
#[derive(Debug, Deserialize)]
pub struct RawEnvelope {
    pub schema: u32,
    #[serde(default)]
    pub rev: u64,
    #[serde(default)]
    pub saved_ms: f64,
    #[serde(default)]
    pub writer: String,
    pub data: Value,
}
