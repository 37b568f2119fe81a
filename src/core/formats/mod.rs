//! Maps leaving and entering Waymark: the map file, mermaid `journey`
//! diagrams, share links and a touchpoint spreadsheet.
//!
//! Everything read here is untrusted (a file from anywhere, a link anyone
//! could have written), so every reader answers with a map that passed
//! [`JourneyMap::validate`] or a [`FormatError`] that says where the input is
//! wrong; none of them panics on any input.

pub mod csv;
pub mod map_file;
pub mod mermaid;
pub mod share;

use std::fmt;

use crate::model::{Id, JourneyMap};

/// One error type for every format: where the input is wrong and why.
#[derive(Clone, Debug, PartialEq)]
pub struct FormatError {
    /// A JSON field path such as `map.touchpoints[3].stage`, a text position
    /// such as `line 4` or `line 4, column 7`, or the part of the input that
    /// is wrong as a whole (`file`, `format`, `version`, `link`).
    pub field: String,
    pub message: String,
}

impl FormatError {
    pub(crate) fn new(field: impl Into<String>, message: impl Into<String>) -> Self {
        FormatError {
            field: field.into(),
            message: message.into(),
        }
    }
}

impl fmt::Display for FormatError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.field, self.message)
    }
}

impl std::error::Error for FormatError {}

/// Reads a map file or a mermaid journey, told apart by their first
/// character: a map file is a JSON object, and a mermaid diagram can never
/// start with `{`. Used wherever a user hands over "a map" without saying
/// which kind (the CLI's convert, the UI's import).
pub fn read_any(text: &str, id_for_mermaid: Id, now_ms: f64) -> Result<JourneyMap, FormatError> {
    map_file::check_size(text.len())?;
    if text
        .trim_start_matches('\u{feff}')
        .trim_start()
        .starts_with('{')
    {
        map_file::from_json(text)
    } else {
        mermaid::from_mermaid(text, id_for_mermaid, now_ms)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::templates::retail;

    #[test]
    fn read_any_tells_map_files_from_mermaid() {
        let map = retail(Id::new("m"), 1.0);
        let json = format!("\u{feff}  \n{}", map_file::to_json(&map));
        assert_eq!(read_any(&json, Id::new("x"), 2.0).unwrap(), map);
        let mermaid = mermaid::to_mermaid(&map);
        let back = read_any(&mermaid, Id::new("x"), 2.0).unwrap();
        assert_eq!(back.id, Id::new("x"));
        assert_eq!(back.touchpoints.len(), map.touchpoints.len());
    }

    #[test]
    fn read_any_names_the_line_of_something_else() {
        let e = read_any("name,score\nA,1\n", Id::new("x"), 0.0).unwrap_err();
        assert_eq!(e.field, "line 1");
        assert!(e.message.contains("journey"), "{e}");
        let e = read_any("", Id::new("x"), 0.0).unwrap_err();
        assert!(e.message.contains("empty"), "{e}");
    }

    #[test]
    fn errors_read_field_then_reason() {
        let e = FormatError::new("map.touchpoints[2].stage", "no stage with id \"s-9\"");
        assert_eq!(
            e.to_string(),
            "map.touchpoints[2].stage: no stage with id \"s-9\""
        );
    }
}

// Native only: proptest has no wasm32 backend here.
#[cfg(all(test, not(target_arch = "wasm32")))]
mod props {
    use super::*;
    use crate::model::{ChannelKind, Targets};
    use crate::templates::retail;
    use proptest::prelude::*;

    /// One edit of the kind the editor makes; indices pick among what
    /// exists, so every edit applies to any map.
    #[derive(Clone, Debug)]
    enum Edit {
        Stage(String),
        Channel(String, usize),
        Touchpoint(usize, usize, String),
        Emotion(usize, Option<i8>),
        Targets(usize, Option<i32>, Option<f64>),
        Handoff(usize, usize, bool, String),
        Persona(String, usize, i8),
        Remove(usize),
    }

    /// Any text for the JSON formats; for mermaid, names as people type
    /// them without the characters its grammar reserves.
    fn edits(text: &'static str) -> impl Strategy<Value = Vec<Edit>> {
        let s = move || proptest::string::string_regex(text).expect("a valid regex");
        let edit = prop_oneof![
            s().prop_map(Edit::Stage),
            (s(), 0..4usize).prop_map(|(n, k)| Edit::Channel(n, k)),
            (any::<usize>(), any::<usize>(), s()).prop_map(|(a, b, n)| Edit::Touchpoint(a, b, n)),
            (any::<usize>(), proptest::option::of(-2i8..=2)).prop_map(|(t, e)| Edit::Emotion(t, e)),
            (
                any::<usize>(),
                proptest::option::of(-1000i32..1000),
                proptest::option::of(any::<f64>().prop_filter("finite", |v| v.is_finite()))
            )
                .prop_map(|(t, n, c)| Edit::Targets(t, n, c)),
            (any::<usize>(), any::<usize>(), any::<bool>(), s())
                .prop_map(|(a, b, c, f)| Edit::Handoff(a, b, c, f)),
            (s(), any::<usize>(), -2i8..=2).prop_map(|(n, t, e)| Edit::Persona(n, t, e)),
            any::<usize>().prop_map(Edit::Remove),
        ];
        proptest::collection::vec(edit, 0..30)
    }

    fn edited(edits: &[Edit]) -> JourneyMap {
        let mut m = retail(Id::new("m"), 1_765_000_000_000.0);
        let pick = |ids: Vec<Id>, i: usize| (!ids.is_empty()).then(|| ids[i % ids.len()].clone());
        for edit in edits {
            let stages = m.stages.iter().map(|x| x.id.clone()).collect();
            let channels = m.channels.iter().map(|x| x.id.clone()).collect();
            let touchpoints: Vec<Id> = m.touchpoints.iter().map(|x| x.id.clone()).collect();
            match edit {
                Edit::Stage(name) => {
                    m.add_stage(name.clone());
                }
                Edit::Channel(name, k) => {
                    m.add_channel(name.clone(), ChannelKind::ALL[*k]);
                }
                Edit::Touchpoint(s, c, name) => {
                    if let (Some(s), Some(c)) = (pick(stages, *s), pick(channels, *c)) {
                        m.add_touchpoint(&s, &c, name.clone()).unwrap();
                    }
                }
                Edit::Emotion(t, e) => {
                    if let Some(t) = pick(touchpoints, *t) {
                        m.set_emotion(&t, *e).unwrap();
                    }
                }
                Edit::Targets(t, nps, ces) => {
                    if let Some(t) = pick(touchpoints, *t) {
                        // A target as typed, and any value at all.
                        let targets = Targets {
                            nps: nps.map(|v| f64::from(v) / 10.0),
                            csat: None,
                            ces: *ces,
                        };
                        m.set_targets(&t, targets).unwrap();
                    }
                }
                Edit::Handoff(a, b, carried, friction) => {
                    let (a, b) = (pick(touchpoints.clone(), *a), pick(touchpoints, *b));
                    if let (Some(a), Some(b)) = (a, b) {
                        if let Ok(h) = m.add_handoff(&a, &b, *carried) {
                            m.set_handoff_friction(&h, friction.clone()).unwrap();
                        }
                    }
                }
                Edit::Persona(name, t, e) => {
                    let p = m.add_persona(name.clone());
                    if let Some(t) = pick(touchpoints, *t) {
                        m.set_persona_emotion(&t, &p, Some(*e)).unwrap();
                    }
                }
                Edit::Remove(t) => {
                    if let Some(t) = pick(touchpoints, *t) {
                        m.remove_touchpoint(&t);
                    }
                }
            }
        }
        m
    }

    /// Stage names with their touchpoints' names and emotions.
    type Outline = Vec<(String, Vec<(String, Option<i8>)>)>;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]

        #[test]
        fn map_files_and_links_give_back_the_same_map(edits in edits("(?s).{0,12}")) {
            let map = edited(&edits);
            let json = map_file::to_json(&map);
            let back = map_file::from_json(&json).unwrap();
            prop_assert_eq!(&back, &map);
            prop_assert_eq!(map_file::to_json(&back), json);
            prop_assert_eq!(share::decode(&share::encode(&map)).unwrap(), map);
        }

        #[test]
        fn mermaid_keeps_stages_touchpoints_and_scores(
            edits in edits("[A-Za-z0-9][A-Za-z0-9 ,.!?'()&/-]{0,14}[A-Za-z0-9.!?)]|")
        ) {
            let mut map = edited(&edits);
            // The template's own names hold `;`, which the export replaces.
            for t in &mut map.touchpoints {
                t.name = t.name.replace(';', ",");
            }
            let back = mermaid::from_mermaid(&mermaid::to_mermaid(&map), Id::new("x"), 0.0).unwrap();
            let outline = |m: &JourneyMap| -> Outline {
                m.stages.iter().map(|s| {
                    let tasks = m.channels.iter().flat_map(|c| m.cell(&s.id, &c.id));
                    (s.name.clone(), tasks.map(|t| (t.name.clone(), Some(t.emotion.unwrap_or(0)))).collect())
                }).collect()
            };
            prop_assert_eq!(outline(&back), outline(&map));
            prop_assert_eq!(back.handoffs.len(), map.handoffs.len());
        }
    }
}
