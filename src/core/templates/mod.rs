//! Built-in example maps for "create from example". They double as teaching
//! material, so each one is a complete, realistic journey: a goal with a KPI,
//! personas with segment keys, pains and prioritised opportunities, feedback
//! keys that imports can match, and handoffs that show where context is lost.
//!
//! Each is a map file beside this module (`retail.json`, …), data rather
//! than code: a writer edits the journey as the app exports it, and the
//! app's module carries a few kilobytes of text instead of the code that
//! built each card. `waymark-cli map template KEY` prints one.

use crate::formats::map_file;
use crate::model::{ChannelKind, Id, JourneyMap, Lane, Opportunity, Priority};

/// An entry of the "create from example" menu.
pub struct Template {
    /// Stable identifier for links and tests; never shown.
    pub key: &'static str,
    pub title: &'static str,
    pub description: &'static str,
    /// Builds the map with the caller's id and clock, so the core never
    /// invents identity or time.
    pub build: fn(Id, f64) -> JourneyMap,
}

pub const TEMPLATES: &[Template] = &[
    Template {
        key: "retail",
        title: "Omnichannel retail purchase",
        description: "Instagram ad to in-store purchase and an easy return, across seven channels",
        build: retail,
    },
    Template {
        key: "saas_onboarding",
        title: "SaaS onboarding",
        description: "Free trial to a paying team: import trouble, support, and a sales call that knows nothing",
        build: saas_onboarding,
    },
    Template {
        key: "bank_account",
        title: "Bank account opening",
        description: "Apply in the app, verify identity, and end up re-keyed in a branch",
        build: bank_account,
    },
    Template {
        key: "patient_journey",
        title: "Patient journey",
        description: "Knee pain to recovery through GP, hospital and physiotherapy",
        build: patient_journey,
    },
];

/// Issue 2's example: one shopper moving between social, web, app, chat,
/// store, email and support, with the chat's sizing advice lost at the store.
pub fn retail(id: Id, now_ms: f64) -> JourneyMap {
    from_data(include_str!("retail.json"), id, now_ms)
}

/// A free trial that becomes a paying team, losing context at the sales call.
pub fn saas_onboarding(id: Id, now_ms: f64) -> JourneyMap {
    from_data(include_str!("saas_onboarding.json"), id, now_ms)
}

/// Opening an account in the app, with identity checks re-keyed in a branch.
pub fn bank_account(id: Id, now_ms: f64) -> JourneyMap {
    from_data(include_str!("bank_account.json"), id, now_ms)
}

/// Knee pain to recovery through GP, hospital and physiotherapy.
pub fn patient_journey(id: Id, now_ms: f64) -> JourneyMap {
    from_data(include_str!("patient_journey.json"), id, now_ms)
}

/// A template's map under the caller's id and clock. The files are map
/// files like any other, so a schema change migrates them on load as it
/// migrates a user's file, and the tests below read every one.
fn from_data(text: &str, id: Id, now_ms: f64) -> JourneyMap {
    let mut map = map_file::from_json(text).expect("a built-in template is a valid map file");
    map.id = id;
    map.created_ms = now_ms;
    map.updated_ms = now_ms;
    map
}

pub fn template(key: &str) -> Option<&'static Template> {
    TEMPLATES.iter().find(|t| t.key == key)
}

/// A synthetic map of the size issue 3's performance target names (12
/// stages × 10 channels × 300 touchpoints, 200 handoffs) for the browser
/// benchmark. Content is deterministic so runs are comparable, and fills
/// every field the canvas draws so rendering cost is realistic. Touchpoints
/// need at least one stage and channel, and handoffs two touchpoints; counts
/// that cannot be met are met as far as possible.
pub fn large_map(
    stages: usize,
    channels: usize,
    touchpoints: usize,
    handoffs: usize,
) -> JourneyMap {
    let mut map = JourneyMap::new(Id::new("benchmark"), "Benchmark map", 0.0);
    let stage_ids: Vec<Id> = (0..stages)
        .map(|i| {
            let id = map.add_stage(format!("Stage {}", i + 1));
            let notes = vec![format!("Customer action {}", i + 1)];
            map.set_stage_lane(&id, Lane::Actions, notes)
                .expect("the stage was just added");
            id
        })
        .collect();
    let channel_ids: Vec<Id> = (0..channels)
        .map(|i| map.add_channel(format!("Channel {}", i + 1), ChannelKind::ALL[i % 4]))
        .collect();
    let persona = map.add_persona("Benchmark persona");
    let owners = [
        "Marketing",
        "Sales",
        "Product",
        "Support",
        "Operations",
        "Store",
    ];
    let (lo, hi) = (map.emotion_scale.min, map.emotion_scale.max);
    let span = usize::from(hi.abs_diff(lo)) + 1;
    let mut tp_ids = Vec::with_capacity(touchpoints);
    if !stage_ids.is_empty() && !channel_ids.is_empty() {
        for i in 0..touchpoints {
            let stage = &stage_ids[i % stages];
            let channel = &channel_ids[(i / stages) % channels];
            let id = map
                .add_touchpoint(stage, channel, format!("Touchpoint {}", i + 1))
                .expect("stage and channel were just added");
            let score = lo + i8::try_from(i % span).expect("a scale spans fewer than 128 steps");
            let t = map
                .touchpoint_mut(&id)
                .expect("the touchpoint was just added");
            t.description = format!(
                "What happens at touchpoint {}, in a sentence or two.",
                i + 1
            );
            t.owner = owners[i % owners.len()].into();
            t.emotion = Some(score);
            t.persona_emotions
                .insert(persona.clone(), hi - (score - lo));
            t.pain_points = vec![format!("Pain point {}", i + 1)];
            t.opportunities = vec![Opportunity {
                text: format!("Opportunity {}", i + 1),
                priority: Priority::Medium,
            }];
            t.feedback_key = format!("tp_{}", i + 1);
            tp_ids.push(id);
        }
    }
    if tp_ids.len() >= 2 {
        let n = tp_ids.len();
        for h in 0..handoffs {
            let from = h % n;
            let to = (from + 1 + h / n) % n;
            let to = if to == from { (from + 1) % n } else { to };
            let id = map
                .add_handoff(&tp_ids[from], &tp_ids[to], h % 5 != 0)
                .expect("both touchpoints exist and differ");
            if let Some(handoff) = map.handoffs.iter_mut().find(|x| x.id == id) {
                handoff.carries = vec!["identity".into()];
                handoff.friction = format!("Friction note {}", h + 1);
            }
        }
    }
    map
}

#[cfg(test)]
mod tests {
    use super::*;

    fn every_template() -> Vec<(&'static str, JourneyMap)> {
        TEMPLATES
            .iter()
            .map(|t| (t.key, (t.build)(Id::new(format!("map-{}", t.key)), 1_000.0)))
            .collect()
    }

    /// The files stay as the app writes map files, so a template exported
    /// from the app and saved here changes nothing else.
    #[test]
    fn every_file_is_a_canonical_map_file() {
        for text in [
            include_str!("retail.json"),
            include_str!("saas_onboarding.json"),
            include_str!("bank_account.json"),
            include_str!("patient_journey.json"),
        ] {
            let map = map_file::from_json(text).unwrap();
            assert_eq!(map_file::to_json(&map), text, "{}", map.name);
        }
    }

    #[test]
    fn every_template_is_valid() {
        for (key, map) in every_template() {
            if let Err(e) = map.validate() {
                panic!("template {key} is invalid: {e}");
            }
        }
    }

    #[test]
    fn every_template_teaches_the_whole_method() {
        for (key, map) in every_template() {
            let n = map.touchpoints.len();
            assert!((6..=12).contains(&n), "{key}: {n} touchpoints");
            assert!(!map.goal.objective.is_empty() && !map.goal.kpi.is_empty());
            assert!(!map.personas.is_empty(), "{key}: no persona");
            assert!(map.personas.iter().all(|p| !p.segment_key.is_empty()));
            assert!(map.context_losses().count() >= 1, "{key}: no context loss");
            assert!(map.handoffs.iter().all(|h| !h.carries.is_empty()));
            for t in &map.touchpoints {
                assert!(t.emotion.is_some(), "{key}/{}: no emotion", t.name);
                assert!(!t.owner.is_empty(), "{key}/{}: no owner", t.name);
                assert!(!t.feedback_key.is_empty(), "{key}/{}: no key", t.name);
            }
            for lane in Lane::TEXT {
                let notes = map.stages.iter().filter(|s| !s.lanes.get(lane).is_empty());
                assert!(notes.count() >= 1, "{key}: {} lane is empty", lane.label());
            }
            for p in &map.personas {
                let curve = map
                    .touchpoints
                    .iter()
                    .filter(|t| t.persona_emotions.contains_key(&p.id));
                assert!(curve.count() >= 2, "{key}: {} has no curve", p.name);
            }
            assert!(map.touchpoints.iter().any(|t| !t.pain_points.is_empty()));
            assert!(map.touchpoints.iter().any(|t| !t.opportunities.is_empty()));
        }
    }

    #[test]
    fn feedback_keys_are_unique_within_a_template() {
        for (key, map) in every_template() {
            let mut keys: Vec<&str> = map
                .touchpoints
                .iter()
                .map(|t| t.feedback_key.as_str())
                .collect();
            keys.sort_unstable();
            let before = keys.len();
            keys.dedup();
            assert_eq!(before, keys.len(), "{key}: duplicate feedback key");
        }
    }

    #[test]
    fn template_keys_are_unique_and_found() {
        for t in TEMPLATES {
            assert_eq!(template(t.key).map(|x| x.title), Some(t.title));
        }
        assert!(template("nope").is_none());
    }

    #[test]
    fn large_map_has_the_requested_size_and_is_valid() {
        let m = large_map(12, 10, 300, 200);
        let s = m.summary();
        assert_eq!(
            (s.stages, s.channels, s.touchpoints, s.handoffs),
            (12, 10, 300, 200)
        );
        assert_eq!(s.context_losses, 40);
        let used: std::collections::HashSet<(&Id, &Id)> = m
            .touchpoints
            .iter()
            .map(|t| (&t.stage, &t.channel))
            .collect();
        assert_eq!(used.len(), 120, "every cell has cards");
        m.validate().unwrap();
        assert_eq!(large_map(1, 1, 1, 5).handoffs.len(), 0);
        assert_eq!(large_map(0, 3, 10, 5).touchpoints.len(), 0);
        large_map(2, 2, 3, 50).validate().unwrap();
    }

    #[test]
    fn retail_follows_issue_two_story() {
        let m = retail(Id::new("r"), 42.0);
        assert_eq!(m.id, Id::new("r"));
        assert_eq!(m.created_ms, 42.0);
        let names: Vec<&str> = m.stages.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(
            names,
            [
                "Awareness",
                "Consideration",
                "Purchase",
                "Retention",
                "Advocacy"
            ]
        );
        let key_of = |id: &Id| m.touchpoint(id).unwrap().feedback_key.as_str();
        let lost: Vec<(&str, &str)> = m
            .context_losses()
            .map(|h| (key_of(&h.from), key_of(&h.to)))
            .collect();
        assert_eq!(lost, [("chat_sizing", "store_visit")]);
        assert_eq!(m.handoffs.len(), m.touchpoints.len() - 1);
        let kinds: std::collections::HashSet<ChannelKind> =
            m.channels.iter().map(|c| c.kind).collect();
        assert_eq!(kinds.len(), ChannelKind::ALL.len());
    }
}
