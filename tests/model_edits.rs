//! Any sequence of editor operations keeps a map valid and storable, and
//! undo walks it back exactly to where it started.

// Native only: proptest has no wasm32 backend here.
#![cfg(not(target_arch = "wasm32"))]

use proptest::prelude::*;
use waymark::history::History;
use waymark::model::{
    ChannelKind, ChannelPreset, Id, JourneyMap, Lane, ModelError, Opportunity, Persona, Priority,
    TouchpointText,
};
use waymark::templates;

#[derive(Clone, Debug)]
enum Op {
    AddStage(String),
    RenameStage(usize, String),
    MoveStage(usize, usize),
    NudgeStage(usize, isize),
    RemoveStage(usize),
    StageLane(usize, usize, String),
    AddPreset(usize),
    MoveChannel(usize, usize),
    ChannelKind(usize, usize),
    RemoveChannel(usize),
    AddTouchpoint(usize, usize, String),
    TouchpointText(usize, usize, String),
    Emotion(usize, Option<i8>),
    PersonaEmotion(usize, usize, Option<i8>),
    Opportunity(usize, String),
    MoveTouchpoint(usize, usize, usize, usize),
    NudgeTouchpoint(usize, isize, isize),
    Duplicate(usize),
    RemoveTouchpoint(usize),
    AddHandoff(usize, usize, bool),
    HandoffContext(usize, bool),
    RemoveHandoff(usize),
    AttachPersona(String, usize),
    DetachPersona(usize),
    Scale(i8, i8),
    Lane(usize, bool, usize),
}

fn op() -> impl Strategy<Value = Op> {
    let n = 0..12usize;
    let text = "[a-zA-Z <>&\"é]{0,12}";
    let score = prop::option::of(-4i8..=4);
    prop_oneof![
        text.prop_map(Op::AddStage),
        (n.clone(), text).prop_map(|(a, s)| Op::RenameStage(a, s)),
        (n.clone(), n.clone()).prop_map(|(a, b)| Op::MoveStage(a, b)),
        (n.clone(), -3isize..=3).prop_map(|(a, d)| Op::NudgeStage(a, d)),
        n.clone().prop_map(Op::RemoveStage),
        (n.clone(), 0..7usize, text).prop_map(|(a, l, s)| Op::StageLane(a, l, s)),
        (0..9usize).prop_map(Op::AddPreset),
        (n.clone(), n.clone()).prop_map(|(a, b)| Op::MoveChannel(a, b)),
        (n.clone(), 0..4usize).prop_map(|(a, k)| Op::ChannelKind(a, k)),
        n.clone().prop_map(Op::RemoveChannel),
        (n.clone(), n.clone(), text).prop_map(|(a, b, s)| Op::AddTouchpoint(a, b, s)),
        (n.clone(), 0..4usize, text).prop_map(|(a, f, s)| Op::TouchpointText(a, f, s)),
        (n.clone(), score.clone()).prop_map(|(a, e)| Op::Emotion(a, e)),
        (n.clone(), n.clone(), score).prop_map(|(a, p, e)| Op::PersonaEmotion(a, p, e)),
        (n.clone(), text).prop_map(|(a, s)| Op::Opportunity(a, s)),
        (n.clone(), n.clone(), n.clone(), n.clone())
            .prop_map(|(a, s, c, p)| Op::MoveTouchpoint(a, s, c, p)),
        (n.clone(), -2isize..=2, -2isize..=2).prop_map(|(a, s, c)| Op::NudgeTouchpoint(a, s, c)),
        n.clone().prop_map(Op::Duplicate),
        n.clone().prop_map(Op::RemoveTouchpoint),
        (n.clone(), n.clone(), any::<bool>()).prop_map(|(a, b, c)| Op::AddHandoff(a, b, c)),
        (n.clone(), any::<bool>()).prop_map(|(a, c)| Op::HandoffContext(a, c)),
        n.clone().prop_map(Op::RemoveHandoff),
        (text, n.clone()).prop_map(|(s, c)| Op::AttachPersona(s, c)),
        n.clone().prop_map(Op::DetachPersona),
        (-4i8..=1, -1i8..=4).prop_map(|(a, b)| Op::Scale(a, b)),
        (0..7usize, any::<bool>(), n).prop_map(|(l, v, to)| Op::Lane(l, v, to)),
    ]
}

/// The id at `i` (wrapping), or one that exists nowhere, so operations on
/// missing elements are exercised too.
fn pick<T>(items: &[T], i: usize, id: impl Fn(&T) -> &Id) -> Id {
    if items.is_empty() {
        Id::new("ghost")
    } else {
        id(&items[i % items.len()]).clone()
    }
}

fn apply(m: &mut JourneyMap, op: &Op) -> Result<(), ModelError> {
    let stage = |m: &JourneyMap, i| pick(&m.stages, i, |s| &s.id);
    let channel = |m: &JourneyMap, i| pick(&m.channels, i, |c| &c.id);
    let tp = |m: &JourneyMap, i| pick(&m.touchpoints, i, |t| &t.id);
    let handoff = |m: &JourneyMap, i| pick(&m.handoffs, i, |h| &h.id);
    let persona = |m: &JourneyMap, i| pick(&m.personas, i, |p| &p.id);
    match op.clone() {
        Op::AddStage(s) => drop(m.add_stage(s)),
        Op::RenameStage(a, s) => m.rename_stage(&stage(m, a), s)?,
        Op::MoveStage(a, to) => m.move_stage(&stage(m, a), to)?,
        Op::NudgeStage(a, d) => m.nudge_stage(&stage(m, a), d)?,
        Op::RemoveStage(a) => m.remove_stage(&stage(m, a)),
        Op::StageLane(a, l, s) => m.set_stage_lane(&stage(m, a), Lane::ALL[l], vec![s])?,
        Op::AddPreset(p) => drop(m.add_channel_preset(ChannelPreset::ALL[p])),
        Op::MoveChannel(a, to) => m.move_channel(&channel(m, a), to)?,
        Op::ChannelKind(a, k) => m.set_channel_kind(&channel(m, a), ChannelKind::ALL[k])?,
        Op::RemoveChannel(a) => m.remove_channel(&channel(m, a)),
        Op::AddTouchpoint(s, c, name) => {
            drop(m.add_touchpoint(&stage(m, s), &channel(m, c), name)?)
        }
        Op::TouchpointText(a, f, s) => {
            let field = [
                TouchpointText::Name,
                TouchpointText::Description,
                TouchpointText::Owner,
                TouchpointText::FeedbackKey,
            ][f];
            m.set_touchpoint_text(&tp(m, a), field, s)?
        }
        Op::Emotion(a, e) => m.set_emotion(&tp(m, a), e)?,
        Op::PersonaEmotion(a, p, e) => m.set_persona_emotion(&tp(m, a), &persona(m, p), e)?,
        Op::Opportunity(a, text) => m.set_opportunities(
            &tp(m, a),
            vec![Opportunity {
                text,
                priority: Priority::High,
            }],
        )?,
        Op::MoveTouchpoint(a, s, c, p) => {
            m.move_touchpoint(&tp(m, a), &stage(m, s), &channel(m, c), p)?
        }
        Op::NudgeTouchpoint(a, s, c) => m.nudge_touchpoint(&tp(m, a), s, c)?,
        Op::Duplicate(a) => drop(m.duplicate_touchpoint(&tp(m, a))?),
        Op::RemoveTouchpoint(a) => m.remove_touchpoint(&tp(m, a)),
        Op::AddHandoff(a, b, c) => drop(m.add_handoff(&tp(m, a), &tp(m, b), c)?),
        Op::HandoffContext(a, c) => m.set_handoff_context(&handoff(m, a), c)?,
        Op::RemoveHandoff(a) => m.remove_handoff(&handoff(m, a)),
        Op::AttachPersona(name, c) => {
            let channels = vec![channel(m, c), Id::new("elsewhere")];
            drop(m.attach_persona(Persona {
                id: Id::new("p1"),
                name,
                preferred_channels: channels,
                ..Persona::default()
            }))
        }
        Op::DetachPersona(a) => m.detach_persona(&persona(m, a)),
        Op::Scale(min, max) => {
            let scale = waymark::model::EmotionScale {
                min,
                max,
                labels: vec![],
            };
            m.set_emotion_scale(scale)?
        }
        Op::Lane(l, visible, to) => {
            m.set_lane_visible(Lane::ALL[l], visible);
            m.move_lane(Lane::ALL[l], to);
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    #[test]
    fn any_edits_keep_the_map_valid_and_undo_restores_it(
        ops in prop::collection::vec(op(), 0..40),
        key in 0..templates::TEMPLATES.len(),
    ) {
        let original = (templates::TEMPLATES[key].build)(Id::new("m"), 0.0);
        let mut map = original.clone();
        let mut history = History::new(usize::MAX, 0.0);
        for op in &ops {
            let before = map.clone();
            if history.edit(&mut map, None, 0.0, |m| apply(m, op)).is_err() {
                prop_assert_eq!(&map, &before, "a failed {:?} changed the map", op);
            }
            prop_assert!(map.validate().is_ok(), "{:?} broke the map: {:?}", op, map.validate());
        }
        let stored = serde_json::to_string(&map).unwrap();
        let reloaded: JourneyMap = serde_json::from_str(&stored).unwrap();
        prop_assert_eq!(&reloaded, &map);

        let edited = map.clone();
        while let Some(previous) = history.undo(&map) {
            map = previous;
        }
        prop_assert_eq!(&map, &original);
        while let Some(next) = history.redo(&map) {
            map = next;
        }
        prop_assert_eq!(&map, &edited);
    }
}
