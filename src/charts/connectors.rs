//! Handoffs drawn as connectors between touchpoint cards. The browser
//! measures where the cards are; everything else (which sides a line leaves
//! and enters by, its curve, how a context-losing handoff is told apart) is
//! decided here, so it is tested natively and the view only places markup.
//!
//! A line that loses context is red, dashed, thicker and carries a ⚠ flag at
//! its middle, so it stands out without relying on colour.

use std::collections::HashMap;
use std::fmt::Write;

use super::escape;
use crate::model::{Id, JourneyMap};

/// A card's box, in the coordinates of the element the connectors overlay.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Rect {
    pub x: f64,
    pub y: f64,
    pub w: f64,
    pub h: f64,
}

impl Rect {
    fn right(&self) -> f64 {
        self.x + self.w
    }

    fn mid_y(&self) -> f64 {
        self.y + self.h / 2.0
    }

    /// A hidden element measures as an empty box at the origin; a connector
    /// to it would point at nothing.
    fn is_shown(&self) -> bool {
        self.w > 0.0
            && self.h > 0.0
            && [self.x, self.y, self.w, self.h]
                .iter()
                .all(|v| v.is_finite())
    }
}

/// A cubic Bézier from one card's edge to another's.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Route {
    pub start: (f64, f64),
    pub c1: (f64, f64),
    pub c2: (f64, f64),
    pub end: (f64, f64),
}

/// How far a line leaves a card before bending; also the least bulge of the
/// loop that joins two cards of one stage column.
const LEAD: f64 = 28.0;

/// The route between two cards. Cards in different stage columns are joined
/// side to side (right edge to left edge when the journey moves forward), so
/// lines run through the gaps between columns. Cards that overlap
/// horizontally (one stage, two channels) are joined by a loop out of their
/// right edges: a straight vertical line would run across the cards between.
pub fn route(from: Rect, to: Rect) -> Route {
    let (start, end, out, back) = if to.x >= from.right() {
        ((from.right(), from.mid_y()), (to.x, to.mid_y()), 1.0, -1.0)
    } else if to.right() <= from.x {
        ((from.x, from.mid_y()), (to.right(), to.mid_y()), -1.0, 1.0)
    } else {
        let start = (from.right(), from.mid_y());
        let end = (to.right(), to.mid_y());
        let bulge = LEAD + (end.1 - start.1).abs() / 6.0;
        let x = start.0.max(end.0) + bulge;
        return Route {
            start,
            c1: (x, start.1),
            c2: (x, end.1),
            end,
        };
    };
    let lead = ((end.0 - start.0).abs() / 2.0).max(LEAD);
    Route {
        start,
        c1: (start.0 + out * lead, start.1),
        c2: (end.0 + back * lead, end.1),
        end,
    }
}

impl Route {
    /// The path's `d` attribute, to a tenth of a pixel.
    pub fn d(&self) -> String {
        let p = |(x, y): (f64, f64)| format!("{x:.1} {y:.1}");
        format!(
            "M{} C{} {} {}",
            p(self.start),
            p(self.c1),
            p(self.c2),
            p(self.end)
        )
    }

    /// The curve's point at t = ½, where the context-loss flag sits.
    pub fn middle(&self) -> (f64, f64) {
        let at = |a: f64, b: f64, c: f64, d: f64| (a + 3.0 * b + 3.0 * c + d) / 8.0;
        (
            at(self.start.0, self.c1.0, self.c2.0, self.end.0),
            at(self.start.1, self.c1.1, self.c2.1, self.end.1),
        )
    }
}

/// Draws every handoff whose two cards are shown, as one SVG of the given
/// size. Handoffs at `selected` are marked active, so the lines of the card
/// being worked on can be picked out of a dense map.
pub fn connectors_svg(
    map: &JourneyMap,
    cards: &HashMap<Id, Rect>,
    selected: Option<&Id>,
    size: (f64, f64),
) -> String {
    let mut svg = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{:.0}\" height=\"{:.0}\">\
         <defs>\
         <marker id=\"wm-arrow\" class=\"arrow\" viewBox=\"0 0 10 10\" refX=\"9\" refY=\"5\" \
         markerWidth=\"7\" markerHeight=\"7\" orient=\"auto-start-reverse\">\
         <path d=\"M0 0 L10 5 L0 10 z\"/></marker>\
         <marker id=\"wm-arrow-lost\" class=\"arrow lost\" viewBox=\"0 0 10 10\" refX=\"9\" \
         refY=\"5\" markerWidth=\"7\" markerHeight=\"7\" orient=\"auto-start-reverse\">\
         <path d=\"M0 0 L10 5 L0 10 z\"/></marker>\
         </defs>",
        size.0.max(0.0),
        size.1.max(0.0)
    );
    // Lines that keep context first, so the losing ones are painted on top.
    let mut handoffs: Vec<_> = map.handoffs.iter().collect();
    handoffs.sort_by_key(|h| !h.context_carried);
    for h in handoffs {
        let (Some(from), Some(to)) = (cards.get(&h.from), cards.get(&h.to)) else {
            continue;
        };
        if !from.is_shown() || !to.is_shown() {
            continue;
        }
        let r = route(*from, *to);
        let lost = !h.context_carried;
        let active = selected.is_some_and(|s| *s == h.from || *s == h.to);
        let name = |id: &Id| map.touchpoint(id).map_or("?", |t| t.name.as_str());
        let mut title = format!("{} → {}", name(&h.from), name(&h.to));
        if lost {
            title.push_str(": context lost");
        }
        if !h.friction.trim().is_empty() {
            let _ = write!(title, " — {}", h.friction.trim());
        }
        let class = match (lost, active) {
            (true, true) => "connector lost active",
            (true, false) => "connector lost",
            (false, true) => "connector active",
            (false, false) => "connector",
        };
        let _ = write!(
            svg,
            "<g class=\"{class}\" data-handoff=\"{id}\"><title>{title}</title>\
             <path d=\"{d}\" marker-end=\"url(#{marker})\"/>",
            id = escape(h.id.as_str()),
            title = escape(&title),
            d = r.d(),
            marker = if lost { "wm-arrow-lost" } else { "wm-arrow" },
        );
        if lost {
            let (x, y) = r.middle();
            let _ = write!(
                svg,
                "<circle class=\"flag\" cx=\"{x:.1}\" cy=\"{y:.1}\" r=\"9\"/>\
                 <text class=\"flag\" x=\"{x:.1}\" y=\"{y:.1}\" text-anchor=\"middle\" \
                 dominant-baseline=\"central\">⚠</text>"
            );
        }
        svg.push_str("</g>");
    }
    svg.push_str("</svg>");
    svg
}

// Native only: proptest has no wasm32 backend here.
#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::model::ChannelKind;
    use proptest::prelude::*;

    fn rect(x: f64, y: f64) -> Rect {
        Rect {
            x,
            y,
            w: 200.0,
            h: 60.0,
        }
    }

    #[test]
    fn forward_handoffs_run_from_right_edge_to_left_edge() {
        let r = route(rect(0.0, 0.0), rect(300.0, 100.0));
        assert_eq!(r.start, (200.0, 30.0));
        assert_eq!(r.end, (300.0, 130.0));
        assert!(r.c1.0 > r.start.0 && r.c2.0 < r.end.0);
    }

    #[test]
    fn backward_handoffs_leave_by_the_left_edge() {
        let r = route(rect(300.0, 0.0), rect(0.0, 0.0));
        assert_eq!(r.start, (300.0, 30.0));
        assert_eq!(r.end, (200.0, 30.0));
        assert!(r.c1.0 < r.start.0 && r.c2.0 > r.end.0);
    }

    #[test]
    fn handoffs_within_a_stage_loop_out_to_the_right() {
        let r = route(rect(0.0, 0.0), rect(10.0, 400.0));
        assert_eq!(r.start, (200.0, 30.0));
        assert_eq!(r.end, (210.0, 430.0));
        // Clear of both cards, further out the further apart they are.
        assert!(r.c1.0 > 210.0 + LEAD && r.c1.0 == r.c2.0);
        let near = route(rect(0.0, 0.0), rect(0.0, 80.0));
        assert!(near.c1.0 < r.c1.0);
    }

    fn map() -> (JourneyMap, Id, Id, Id) {
        let mut m = JourneyMap::new(Id::new("m"), "Connectors", 0.0);
        let s1 = m.add_stage("Browse");
        let s2 = m.add_stage("Buy");
        let chat = m.add_channel("Chat", ChannelKind::Human);
        let store = m.add_channel("Store", ChannelKind::Physical);
        let a = m.add_touchpoint(&s1, &chat, "Sizing <chat>").unwrap();
        let b = m.add_touchpoint(&s2, &store, "Fitting room").unwrap();
        let c = m.add_touchpoint(&s2, &chat, "Order status").unwrap();
        (m, a, b, c)
    }

    #[test]
    fn losing_handoffs_are_flagged_and_drawn_last() {
        let (mut m, a, b, c) = map();
        let lost = m.add_handoff(&a, &b, false).unwrap();
        m.set_handoff_friction(&lost, "Repeats \"size & colour\"")
            .unwrap();
        let kept = m.add_handoff(&a, &c, true).unwrap();
        let cards = HashMap::from([
            (a.clone(), rect(0.0, 0.0)),
            (b.clone(), rect(300.0, 100.0)),
            (c.clone(), rect(300.0, 0.0)),
        ]);
        let svg = connectors_svg(&m, &cards, None, (600.0, 400.0));
        let kept_at = svg.find(&format!("data-handoff=\"{kept}\"")).unwrap();
        let lost_at = svg.find(&format!("data-handoff=\"{lost}\"")).unwrap();
        assert!(kept_at < lost_at);
        assert_eq!(svg.matches("class=\"connector lost\"").count(), 1);
        assert_eq!(svg.matches("class=\"connector\"").count(), 1);
        assert_eq!(svg.matches("⚠").count(), 1);
        assert!(svg.contains("url(#wm-arrow-lost)"));
        // Names and friction are text, never markup.
        assert!(svg.contains(
            "Sizing &lt;chat&gt; → Fitting room: context lost — Repeats &quot;size &amp; colour&quot;"
        ));
        assert!(!svg.contains("<chat>"));
    }

    #[test]
    fn hidden_or_unmeasured_cards_get_no_line_and_selection_marks_lines() {
        let (mut m, a, b, c) = map();
        m.add_handoff(&a, &b, true).unwrap();
        m.add_handoff(&b, &c, false).unwrap();
        let hidden = Rect {
            x: 0.0,
            y: 0.0,
            w: 0.0,
            h: 0.0,
        };
        let cards = HashMap::from([
            (a.clone(), rect(0.0, 0.0)),
            (b.clone(), rect(300.0, 100.0)),
            (c.clone(), hidden),
        ]);
        let svg = connectors_svg(&m, &cards, Some(&a), (600.0, 400.0));
        assert_eq!(svg.matches("<g class=").count(), 1);
        assert!(svg.contains("class=\"connector active\""));
        let none = connectors_svg(&m, &HashMap::new(), None, (600.0, 400.0));
        assert!(!none.contains("<g class="));
    }

    fn any_rect() -> impl Strategy<Value = Rect> {
        (0.0..5000.0f64, 0.0..5000.0f64, 1.0..400.0f64, 1.0..300.0f64)
            .prop_map(|(x, y, w, h)| Rect { x, y, w, h })
    }

    proptest! {
        /// Every line starts on its source card's edge and ends on its
        /// target's, at mid-height, whatever the layout.
        #[test]
        fn routes_join_the_cards_edges(from in any_rect(), to in any_rect()) {
            let r = route(from, to);
            prop_assert!(r.start.0 == from.x || r.start.0 == from.right());
            prop_assert!(r.end.0 == to.x || r.end.0 == to.right());
            prop_assert_eq!(r.start.1, from.mid_y());
            prop_assert_eq!(r.end.1, to.mid_y());
            let (mx, my) = r.middle();
            prop_assert!(mx.is_finite() && my.is_finite());
            prop_assert!(!r.d().contains("NaN"));
        }
    }
}
