//! The journey map editor: the canvas, the touchpoint detail panel and the
//! toolbar. Views read the open map through memos that each cover one small
//! part of it (one card, one cell, one stage head), so a keystroke in a
//! touchpoint's name re-renders that card and nothing else on a 300-card map.

pub mod canvas;
pub mod connectors;
pub mod detail;
pub mod inline;
pub mod toolbar;

use std::collections::{HashMap, HashSet};

use leptos::prelude::*;
use wasm_bindgen::JsCast;

use super::state::AppState;
use crate::model::{
    EmotionScale, HandoffMark, Id, JourneyMap, Lane, Targets, Touchpoint, TouchpointFilter,
};

/// Editor-wide view state and the memos shared by many components.
#[derive(Clone, Copy)]
pub struct EditorCtx {
    pub state: AppState,
    /// The touchpoint shown in the detail panel.
    pub selected: RwSignal<Option<Id>>,
    pub filter: RwSignal<TouchpointFilter>,
    /// The zoomed-out overview of the whole map.
    pub overview: RwSignal<bool>,
    /// The canvas's scale: 1.0 is 100 %.
    pub zoom: RwSignal<f64>,
    /// The touchpoint being dragged; kept here rather than only in the drag
    /// data, which drop targets may not read during `dragover`.
    pub dragging: RwSignal<Option<Id>>,
    /// The touchpoint a handoff is being drawn from, by dragging its link
    /// handle onto another card.
    pub linking: RwSignal<Option<Id>>,
    /// Personas whose own emotion curve is drawn next to the designed one.
    pub curves: RwSignal<Vec<Id>>,
    pub stage_ids: Memo<Vec<Id>>,
    pub channel_ids: Memo<Vec<Id>>,
    pub lanes: Memo<Vec<Lane>>,
    pub cells: Memo<HashMap<(Id, Id), Vec<Id>>>,
    pub marks: Memo<HashMap<Id, HandoffMark>>,
    pub names: Memo<Names>,
    pub scale: Memo<EmotionScale>,
    /// Touchpoints the filter lets through; `None` when nothing is filtered.
    pub matching: Memo<Option<HashSet<Id>>>,
    /// What each mounted card shows, by touchpoint. One pass after each edit
    /// updates only the cards that changed: 300 cards each watching the map
    /// would all re-run on every keystroke. Entries live as long as the
    /// editor, so a card moved to another cell keeps its signal.
    cards: StoredValue<HashMap<Id, ArcRwSignal<Option<CardView>>>>,
}

/// What a touchpoint card shows.
#[derive(Clone, Debug, PartialEq)]
pub struct CardView {
    pub name: String,
    pub owner: String,
    /// The score and its word on the map's scale.
    pub emotion: Option<(i8, String)>,
    /// What the measured figures on the card are held against.
    pub targets: Targets,
}

impl CardView {
    fn of(m: &JourneyMap, t: &Touchpoint) -> Self {
        CardView {
            name: t.name.clone(),
            owner: t.owner.clone(),
            emotion: t.emotion.map(|e| (e, m.emotion_scale.label(e))),
            targets: t.targets.clone(),
        }
    }

    /// Whether `t` would show differently, checked without copying it.
    fn differs(&self, m: &JourneyMap, t: &Touchpoint) -> bool {
        self.name != t.name
            || self.owner != t.owner
            || self.targets != t.targets
            || match (&self.emotion, t.emotion) {
                (Some((shown, word)), Some(e)) => *shown != e || *word != m.emotion_scale.label(e),
                (None, None) => false,
                _ => true,
            }
    }
}

/// Stage and channel names by id, for labels that mention a cell.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Names {
    pub stages: HashMap<Id, String>,
    pub channels: HashMap<Id, String>,
}

impl Names {
    pub fn cell(&self, stage: &Id, channel: &Id) -> String {
        let get = |names: &HashMap<Id, String>, id: &Id| names.get(id).cloned().unwrap_or_default();
        format!(
            "{} × {}",
            get(&self.stages, stage),
            get(&self.channels, channel)
        )
    }
}

impl EditorCtx {
    pub fn new(state: AppState) -> Self {
        let map = state.open.map;
        let filter = RwSignal::new(TouchpointFilter::default());
        let cards = StoredValue::new(HashMap::<Id, ArcRwSignal<Option<CardView>>>::new());
        Effect::new(move |_| {
            map.with(|m| {
                let Some(m) = m else { return };
                cards.with_value(|cards| {
                    for t in &m.touchpoints {
                        if let Some(card) = cards.get(&t.id) {
                            if card.with_untracked(|c| c.as_ref().is_none_or(|c| c.differs(m, t))) {
                                card.set(Some(CardView::of(m, t)));
                            }
                        }
                    }
                });
            });
        });
        EditorCtx {
            cards,
            state,
            selected: RwSignal::new(None),
            filter,
            overview: RwSignal::new(false),
            zoom: RwSignal::new(1.0),
            dragging: RwSignal::new(None),
            linking: RwSignal::new(None),
            curves: RwSignal::new(Vec::new()),
            stage_ids: derive(map, |m| m.stages.iter().map(|s| s.id.clone()).collect()),
            channel_ids: derive(map, |m| m.channels.iter().map(|c| c.id.clone()).collect()),
            lanes: derive(map, |m| m.lanes.visible().collect()),
            cells: derive(map, JourneyMap::cells),
            marks: derive(map, JourneyMap::handoff_marks),
            names: derive(map, |m| Names {
                stages: m
                    .stages
                    .iter()
                    .map(|s| (s.id.clone(), s.name.clone()))
                    .collect(),
                channels: m
                    .channels
                    .iter()
                    .map(|c| (c.id.clone(), c.name.clone()))
                    .collect(),
            }),
            scale: derive(map, |m| m.emotion_scale.clone()),
            matching: Memo::new(move |_| {
                filter.with(|f| {
                    if f.is_empty() {
                        return None;
                    }
                    map.with(|m| {
                        m.as_ref()
                            .map(|m| m.search(f).into_iter().map(|t| t.id.clone()).collect())
                    })
                })
            }),
        }
    }

    /// The signal of what a touchpoint's card shows, made on first use.
    pub fn card(&self, id: &Id) -> ArcRwSignal<Option<CardView>> {
        if let Some(card) = self.cards.with_value(|c| c.get(id).cloned()) {
            return card;
        }
        let view = self.state.open.map.with_untracked(|m| {
            m.as_ref()
                .and_then(|m| m.touchpoint(id).map(|t| CardView::of(m, t)))
        });
        let card = ArcRwSignal::new(view);
        self.cards.update_value(|c| {
            c.insert(id.clone(), card.clone());
        });
        card
    }

    /// A value computed from the open map, or the default when none is open.
    pub fn read<T: Default>(&self, f: impl FnOnce(&JourneyMap) -> T) -> T {
        self.state
            .open
            .map
            .with(|m| m.as_ref().map(f).unwrap_or_default())
    }

    /// Selects a touchpoint and moves focus to its name in the detail panel,
    /// where it can be edited at once.
    pub fn open_detail(&self, id: Id) {
        self.selected.set(Some(id));
        focus_later("#tp-name".into());
    }
}

/// A memo of one aspect of the open map (the default when none is open).
fn derive<T: Default + PartialEq + Send + Sync + 'static>(
    map: RwSignal<Option<JourneyMap>>,
    f: fn(&JourneyMap) -> T,
) -> Memo<T> {
    Memo::new(move |_| map.with(|m| m.as_ref().map(f).unwrap_or_default()))
}

/// Focuses the element matching `selector` once the view has caught up (an
/// element that was just created, or re-created in another cell by a move).
pub fn focus_later(selector: String) {
    request_animation_frame(move || {
        if let Some(el) = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.query_selector(&selector).ok().flatten())
            .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
        {
            let _ = el.focus();
        }
    });
}

/// A score as the emotion menus show it: the scale's word and the number,
/// so the two read the same in every menu and on every card.
pub fn score_label(scale: &EmotionScale, score: i8) -> String {
    let word = scale.label(score);
    if score > 0 {
        format!("{word} (+{score})")
    } else {
        format!("{word} ({score})")
    }
}

/// A signed score from a `<select>` value; empty means "not set".
pub fn parse_score(value: &str) -> Option<i8> {
    value.parse().ok()
}

/// An optional number from an `<input type=number>`; empty means "no target".
pub fn parse_target(value: &str) -> Option<f64> {
    value.trim().parse().ok()
}
