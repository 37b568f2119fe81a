//! Read-only views of a map: the journey order that curves and lists follow,
//! and the touchpoint search of the editor.

use std::collections::HashMap;

use super::{Handoff, Id, JourneyMap, Touchpoint};

/// What the editor's search box and filter menus ask for. Empty criteria
/// match everything, so the default filter shows the whole map.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TouchpointFilter {
    pub channel: Option<Id>,
    /// Compared ignoring case and surrounding spaces, since owner teams are
    /// typed freely ("Support", "support ").
    pub owner: Option<String>,
    /// Touchpoints the persona goes through: those with an emotion for the
    /// persona, or in one of the persona's preferred channels.
    pub persona: Option<Id>,
    /// Case-insensitive; searched in every text a card shows.
    pub text: String,
}

impl TouchpointFilter {
    pub fn is_empty(&self) -> bool {
        self.channel.is_none()
            && self.owner.is_none()
            && self.persona.is_none()
            && self.text.trim().is_empty()
    }

    pub fn matches(&self, map: &JourneyMap, t: &Touchpoint) -> bool {
        if self.channel.as_ref().is_some_and(|c| c != &t.channel) {
            return false;
        }
        if let Some(owner) = &self.owner {
            if !owner.trim().eq_ignore_ascii_case(t.owner.trim()) {
                return false;
            }
        }
        if let Some(p) = &self.persona {
            let preferred = map
                .persona(p)
                .is_some_and(|p| p.preferred_channels.contains(&t.channel));
            if !preferred && !t.persona_emotions.contains_key(p) {
                return false;
            }
        }
        let needle = self.text.trim().to_lowercase();
        needle.is_empty() || texts(t).any(|s| s.to_lowercase().contains(&needle))
    }
}

fn texts(t: &Touchpoint) -> impl Iterator<Item = &str> {
    [
        t.name.as_str(),
        t.description.as_str(),
        t.owner.as_str(),
        t.feedback_key.as_str(),
    ]
    .into_iter()
    .chain(t.pain_points.iter().map(String::as_str))
    .chain(t.opportunities.iter().map(|o| o.text.as_str()))
}

impl JourneyMap {
    /// Touchpoints as the customer meets them: by stage, then by channel
    /// lane, then by position in the cell. Curves and lists use this order so
    /// they read like the canvas.
    pub fn journey_order(&self) -> Vec<&Touchpoint> {
        // Positions looked up once: a search per touchpoint made exports of
        // large imported maps quadratic.
        let stages: HashMap<&Id, usize> = self
            .stages
            .iter()
            .enumerate()
            .map(|(i, s)| (&s.id, i))
            .collect();
        let channels: HashMap<&Id, usize> = self
            .channels
            .iter()
            .enumerate()
            .map(|(i, c)| (&c.id, i))
            .collect();
        let rank = |t: &Touchpoint| {
            (
                stages.get(&t.stage).copied().unwrap_or(usize::MAX),
                channels.get(&t.channel).copied().unwrap_or(usize::MAX),
            )
        };
        let mut ordered: Vec<&Touchpoint> = self.touchpoints.iter().collect();
        ordered.sort_by_key(|t| rank(t));
        ordered
    }

    /// The touchpoints a filter lets through, in journey order.
    pub fn search(&self, filter: &TouchpointFilter) -> Vec<&Touchpoint> {
        self.journey_order()
            .into_iter()
            .filter(|t| filter.matches(self, t))
            .collect()
    }

    /// Distinct owner teams, for the owner filter menu.
    pub fn owners(&self) -> Vec<&str> {
        let mut owners: Vec<&str> = self
            .touchpoints
            .iter()
            .map(|t| t.owner.trim())
            .filter(|o| !o.is_empty())
            .collect();
        owners.sort_unstable_by_key(|o| o.to_lowercase());
        owners.dedup_by(|a, b| a.eq_ignore_ascii_case(b));
        owners
    }

    /// Handoffs leaving or reaching a touchpoint, for its detail panel.
    pub fn handoffs_of<'a>(&'a self, touchpoint: &'a Id) -> impl Iterator<Item = &'a Handoff> {
        self.handoffs
            .iter()
            .filter(move |h| &h.from == touchpoint || &h.to == touchpoint)
    }
}

/// What a touchpoint card shows about the handoffs at it, so the canvas can
/// mark cards without scanning every handoff per card.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct HandoffMark {
    pub outgoing: usize,
    pub incoming: usize,
    /// At least one handoff at this touchpoint drops the customer's context.
    pub loses_context: bool,
}

impl JourneyMap {
    /// The touchpoint ids of every stage × channel cell, in cell order. One
    /// pass over the map, so a canvas of many cells can look cells up instead
    /// of filtering all touchpoints once per cell.
    pub fn cells(&self) -> HashMap<(Id, Id), Vec<Id>> {
        let mut cells: HashMap<(Id, Id), Vec<Id>> = HashMap::new();
        for t in &self.touchpoints {
            cells
                .entry((t.stage.clone(), t.channel.clone()))
                .or_default()
                .push(t.id.clone());
        }
        cells
    }

    /// Handoff counts and context loss per touchpoint; touchpoints without
    /// handoffs are absent.
    pub fn handoff_marks(&self) -> HashMap<Id, HandoffMark> {
        let mut marks: HashMap<Id, HandoffMark> = HashMap::new();
        for h in &self.handoffs {
            let from = marks.entry(h.from.clone()).or_default();
            from.outgoing += 1;
            from.loses_context |= !h.context_carried;
            let to = marks.entry(h.to.clone()).or_default();
            to.incoming += 1;
            to.loses_context |= !h.context_carried;
        }
        marks
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{ChannelKind, Opportunity};

    fn map() -> (JourneyMap, Id, Id) {
        let mut m = JourneyMap::new(Id::new("m"), "Q", 0.0);
        let s1 = m.add_stage("One");
        let s2 = m.add_stage("Two");
        let web = m.add_channel("Web", ChannelKind::Digital);
        let store = m.add_channel("Store", ChannelKind::Physical);
        // Added out of journey order on purpose.
        let late = m.add_touchpoint(&s2, &web, "Checkout").unwrap();
        let shop = m.add_touchpoint(&s1, &store, "Browse shelves").unwrap();
        let ad = m.add_touchpoint(&s1, &web, "Banner ad").unwrap();
        for (t, owner) in [(&late, "Product"), (&shop, "Store "), (&ad, "marketing")] {
            m.touchpoint_mut(t).unwrap().owner = owner.into();
        }
        m.touchpoint_mut(&late)
            .unwrap()
            .opportunities
            .push(Opportunity {
                text: "Apple Pay".into(),
                ..Opportunity::default()
            });
        (m, web, store)
    }

    fn names(ts: Vec<&Touchpoint>) -> Vec<&str> {
        ts.into_iter().map(|t| t.name.as_str()).collect()
    }

    #[test]
    fn journey_order_is_stage_then_channel_then_cell() {
        let (m, ..) = map();
        assert_eq!(
            names(m.journey_order()),
            ["Banner ad", "Browse shelves", "Checkout"]
        );
    }

    #[test]
    fn filters_combine() {
        let (mut m, web, store) = map();
        let all = TouchpointFilter::default();
        assert!(all.is_empty());
        assert_eq!(m.search(&all).len(), 3);
        let by_channel = TouchpointFilter {
            channel: Some(web.clone()),
            ..all.clone()
        };
        assert_eq!(names(m.search(&by_channel)), ["Banner ad", "Checkout"]);
        let by_owner = TouchpointFilter {
            owner: Some(" store".into()),
            ..all.clone()
        };
        assert_eq!(names(m.search(&by_owner)), ["Browse shelves"]);
        let by_text = TouchpointFilter {
            text: "APPLE".into(),
            ..by_channel
        };
        assert_eq!(names(m.search(&by_text)), ["Checkout"]);

        let p = m.add_persona("Tom");
        m.personas[0].preferred_channels.push(store);
        let ad = m.journey_order()[0].id.clone();
        m.set_persona_emotion(&ad, &p, Some(1)).unwrap();
        let by_persona = TouchpointFilter {
            persona: Some(p),
            ..all
        };
        assert_eq!(
            names(m.search(&by_persona)),
            ["Banner ad", "Browse shelves"]
        );
    }

    #[test]
    fn owners_are_listed_once_ignoring_case() {
        let (mut m, ..) = map();
        let first = m.touchpoints[0].id.clone();
        m.duplicate_touchpoint(&first).unwrap();
        m.touchpoints[1].owner = "PRODUCT".into();
        assert_eq!(m.owners(), ["marketing", "Product", "Store"]);
    }
    #[test]
    fn cells_group_touchpoints_in_cell_order() {
        let (mut m, web, _) = map();
        let s1 = m.stages[0].id.clone();
        let ad = m.journey_order()[0].id.clone();
        let second = m.add_touchpoint(&s1, &web, "Search ad").unwrap();
        let cells = m.cells();
        assert_eq!(cells[&(s1.clone(), web.clone())], [ad, second]);
        assert_eq!(cells.values().map(Vec::len).sum::<usize>(), 4);
        assert!(!cells.contains_key(&(m.stages[1].id.clone(), m.channels[1].id.clone())));
    }

    #[test]
    fn handoff_marks_count_both_ends_and_flag_losses() {
        let (mut m, ..) = map();
        let ids: Vec<Id> = m.journey_order().iter().map(|t| t.id.clone()).collect();
        m.add_handoff(&ids[0], &ids[1], true).unwrap();
        m.add_handoff(&ids[1], &ids[2], false).unwrap();
        let marks = m.handoff_marks();
        assert_eq!(
            marks[&ids[0]],
            HandoffMark {
                outgoing: 1,
                incoming: 0,
                loses_context: false
            }
        );
        assert_eq!(
            marks[&ids[1]],
            HandoffMark {
                outgoing: 1,
                incoming: 1,
                loses_context: true
            }
        );
        assert!(marks[&ids[2]].loses_context);
    }
}
