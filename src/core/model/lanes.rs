//! The rows of the canvas besides the channel swimlanes: an emotion curve and
//! per-stage text lanes, as journey-mapping tools (Smaply, UXPressia, TheyDo)
//! have them. Which rows show, and in what order, is part of the map because
//! a team tunes it once for the audience the map is read by.

use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Lane {
    /// The stage × channel grid of touchpoint cards. It is a row like the
    /// others so the emotion curve can sit above or below it.
    Touchpoints,
    Emotion,
    Actions,
    Thoughts,
    PainPoints,
    Opportunities,
    Backstage,
}

impl Lane {
    /// The default order, which is also the order the method is taught in:
    /// what the customer does, thinks and feels, then what hurts, what could
    /// be better and what happens behind the scenes.
    pub const ALL: [Lane; 7] = [
        Lane::Actions,
        Lane::Touchpoints,
        Lane::Emotion,
        Lane::Thoughts,
        Lane::PainPoints,
        Lane::Opportunities,
        Lane::Backstage,
    ];

    pub const TEXT: [Lane; 5] = [
        Lane::Actions,
        Lane::Thoughts,
        Lane::PainPoints,
        Lane::Opportunities,
        Lane::Backstage,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Lane::Touchpoints => "Touchpoints",
            Lane::Emotion => "Emotion curve",
            Lane::Actions => "Customer actions",
            Lane::Thoughts => "Thoughts",
            Lane::PainPoints => "Pain points",
            Lane::Opportunities => "Opportunities",
            Lane::Backstage => "Backstage processes",
        }
    }

    /// Whether the lane holds free text per stage (as opposed to being drawn
    /// from the touchpoints).
    pub fn is_text(self) -> bool {
        Lane::TEXT.contains(&self)
    }
}

/// A stage's entries in the text lanes, one short note per item.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct StageLanes {
    pub actions: Vec<String>,
    pub thoughts: Vec<String>,
    pub pain_points: Vec<String>,
    pub opportunities: Vec<String>,
    pub backstage: Vec<String>,
}

impl StageLanes {
    /// The notes of a text lane; lanes drawn from touchpoints have none here.
    pub fn get(&self, lane: Lane) -> &[String] {
        match lane {
            Lane::Actions => &self.actions,
            Lane::Thoughts => &self.thoughts,
            Lane::PainPoints => &self.pain_points,
            Lane::Opportunities => &self.opportunities,
            Lane::Backstage => &self.backstage,
            Lane::Touchpoints | Lane::Emotion => &[],
        }
    }

    pub(crate) fn get_mut(&mut self, lane: Lane) -> Option<&mut Vec<String>> {
        match lane {
            Lane::Actions => Some(&mut self.actions),
            Lane::Thoughts => Some(&mut self.thoughts),
            Lane::PainPoints => Some(&mut self.pain_points),
            Lane::Opportunities => Some(&mut self.opportunities),
            Lane::Backstage => Some(&mut self.backstage),
            Lane::Touchpoints | Lane::Emotion => None,
        }
    }

    pub fn is_empty(&self) -> bool {
        Lane::TEXT.iter().all(|l| self.get(*l).is_empty())
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LaneSetting {
    pub lane: Lane,
    pub visible: bool,
}

/// Every lane exactly once, in display order. Stored data is normalised on
/// load (duplicates dropped, missing lanes appended visible), so a hand-edited
/// or older layout can never hide a lane for good or show one twice.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(from = "Vec<LaneSetting>", into = "Vec<LaneSetting>")]
pub struct LaneLayout(Vec<LaneSetting>);

impl Default for LaneLayout {
    fn default() -> Self {
        LaneLayout::from(Vec::new())
    }
}

impl From<Vec<LaneSetting>> for LaneLayout {
    fn from(mut settings: Vec<LaneSetting>) -> Self {
        let mut seen = Vec::with_capacity(Lane::ALL.len());
        settings.retain(|s| {
            let first = !seen.contains(&s.lane);
            seen.push(s.lane);
            first
        });
        for lane in Lane::ALL {
            if !settings.iter().any(|s| s.lane == lane) {
                settings.push(LaneSetting {
                    lane,
                    visible: true,
                });
            }
        }
        LaneLayout(settings)
    }
}

impl From<LaneLayout> for Vec<LaneSetting> {
    fn from(layout: LaneLayout) -> Self {
        layout.0
    }
}

impl LaneLayout {
    /// All lanes in display order, hidden ones included, for the lane menu.
    pub fn settings(&self) -> &[LaneSetting] {
        &self.0
    }

    /// The lanes to draw, in order.
    pub fn visible(&self) -> impl Iterator<Item = Lane> + '_ {
        self.0.iter().filter(|s| s.visible).map(|s| s.lane)
    }

    pub fn is_visible(&self, lane: Lane) -> bool {
        self.0.iter().any(|s| s.lane == lane && s.visible)
    }

    pub fn position(&self, lane: Lane) -> usize {
        self.0
            .iter()
            .position(|s| s.lane == lane)
            .expect("a layout holds every lane")
    }

    pub fn set_visible(&mut self, lane: Lane, visible: bool) {
        let i = self.position(lane);
        self.0[i].visible = visible;
    }

    /// Moves a lane to `to`, clamped to the last position.
    pub fn move_to(&mut self, lane: Lane, to: usize) {
        let setting = self.0.remove(self.position(lane));
        let to = to.min(self.0.len());
        self.0.insert(to, setting);
    }

    /// Moves a lane up (negative) or down (positive), stopping at the ends,
    /// which is what a keyboard shortcut wants.
    pub fn nudge(&mut self, lane: Lane, delta: isize) {
        let to = self.position(lane).saturating_add_signed(delta);
        self.move_to(lane, to);
    }
}

/// The notes typed into a text-lane box, one per line: blank lines and
/// surrounding spaces are dropped so the stored notes stay clean however
/// they were typed.
pub fn notes_from_text(text: &str) -> Vec<String> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_owned)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stored_layouts_are_normalised() {
        let layout: LaneLayout = serde_json::from_str(
            r#"[{"lane":"emotion","visible":false},{"lane":"emotion","visible":true}]"#,
        )
        .unwrap();
        assert_eq!(layout.settings().len(), Lane::ALL.len());
        assert_eq!(layout.settings()[0].lane, Lane::Emotion);
        assert!(!layout.is_visible(Lane::Emotion));
        assert!(layout.is_visible(Lane::Backstage));
    }

    #[test]
    fn moving_and_hiding_lanes() {
        let mut layout = LaneLayout::default();
        layout.move_to(Lane::Backstage, 0);
        assert_eq!(layout.visible().next(), Some(Lane::Backstage));
        layout.nudge(Lane::Backstage, -3);
        assert_eq!(layout.position(Lane::Backstage), 0);
        layout.nudge(Lane::Backstage, 100);
        assert_eq!(layout.position(Lane::Backstage), Lane::ALL.len() - 1);
        layout.set_visible(Lane::Thoughts, false);
        assert!(!layout.visible().any(|l| l == Lane::Thoughts));
        assert_eq!(layout.settings().len(), Lane::ALL.len());
    }

    #[test]
    fn only_text_lanes_hold_notes() {
        let mut lanes = StageLanes::default();
        assert!(lanes.get_mut(Lane::Emotion).is_none());
        lanes
            .get_mut(Lane::Backstage)
            .unwrap()
            .push("Warehouse picks the order".into());
        assert_eq!(lanes.get(Lane::Backstage).len(), 1);
        assert!(lanes.get(Lane::Touchpoints).is_empty());
        assert!(!lanes.is_empty());
    }

    #[test]
    fn notes_are_one_per_non_blank_line() {
        assert_eq!(
            notes_from_text("  Compare prices \n\n\r\nAsk a friend\n"),
            ["Compare prices", "Ask a friend"]
        );
        assert!(notes_from_text(" \n ").is_empty());
    }
}
