//! Friction hotspots: the touchpoints, and the handoffs that lose the
//! customer's context, where the journey falls short, worst first, with
//! what customers said there.
//!
//! A touchpoint falls short of its target for the chosen score (NPS, CSAT
//! % satisfied or CES mean), or, without one, of the journey's overall
//! figure under the same filter (all its answers, on a touchpoint or
//! not). Its impact is the shortfall times its answers: a touchpoint many
//! customers pass through matters more than a rare one that is as bad.
//! Higher is better for all three scores (CES as the 1–7 "easy" scale the
//! import reads, as in [`Verdict::of`](super::journey::Verdict::of)).
//!
//! The shortfall that ranks is measured from the optimistic end of the
//! figure's 95 % interval, not from the figure. Three answers of 0 make
//! an NPS of −100, yet are consistent with anything up to about +7: ranked
//! by the figure, a touchpoint with a handful of unlucky answers would top
//! the list by chance, and the list would change with every answer. From
//! the optimistic end, a touchpoint ranks by how far below it is at
//! least, which takes many answers to be large. For the same reason a
//! touchpoint whose interval reaches its reference is not listed at all:
//! its answers do not show it below. A CES from a single answer has no
//! interval, so its optimistic end is the top of the scale and it is never
//! listed. The figure's own shortfall and impact are given for showing.
//!
//! A handoff that loses context hurts at the touchpoint the customer
//! arrives at, where they repeat themselves, so its hotspot carries that
//! touchpoint's figures, comments and terms, and is listed when that
//! touchpoint is.

use serde::{Serialize, Serializer};

use super::journey::{Basis, Filter, JourneyMetrics, Selection, Source};
use super::sentiment::Mood;
use super::terms::{Term, TermIndex};
use crate::analytics::Summary;
use crate::import::MISSING;
use crate::model::{Id, JourneyMap, Touchpoint};
use crate::sentiment::{compound_of, pairs, Label};

/// Negative comments shown per hotspot.
pub const TOP_COMMENTS: usize = 5;

/// The top of the CES scale: the optimistic end of a CES without an
/// interval.
const CES_BEST: f64 = 7.0;

/// Where on the map a hotspot is.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Spot {
    Touchpoint(Id),
    /// A handoff that loses context, from one touchpoint to another.
    Handoff {
        id: Id,
        from: Id,
        to: Id,
    },
}

/// What a shortfall is measured against.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Reference {
    /// The touchpoint's target for the score.
    Target,
    /// The journey's overall figure: the touchpoint has no target.
    Journey,
}

/// A negative comment, found again in its dataset by `source` (into the
/// sources given), `column` (the comment column) and `row`.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct NegativeComment {
    pub source: usize,
    pub column: usize,
    pub row: usize,
    pub compound: f64,
    pub text: String,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Hotspot {
    pub spot: Spot,
    /// The touchpoint measured: the spot's own, or where the handoff
    /// arrives.
    pub touchpoint: Id,
    pub basis: Basis,
    pub n: usize,
    pub value: f64,
    /// `None` for a CES from a single answer.
    pub ci95: Option<[f64; 2]>,
    pub reference: f64,
    pub reference_kind: Reference,
    /// Below the reference from the interval's optimistic end, and times
    /// `n`: what ranks.
    pub shortfall: f64,
    pub impact: f64,
    /// Below the reference from the figure, and times `n`.
    pub point_shortfall: f64,
    pub point_impact: f64,
    /// The touchpoint's comments under the filter.
    #[serde(serialize_with = "mood_figures")]
    pub mood: Mood,
    /// Most negative first, ties in file order.
    pub negative_comments: Vec<NegativeComment>,
    /// Terms of the touchpoint's negative comments against all other
    /// comments of the journey under the filter.
    pub terms: Vec<Term>,
}

/// A [`Mood`] as the figures it is shown by, which is what a reader of
/// the JSON wants rather than its running sums.
fn mood_figures<S: Serializer>(mood: &Mood, s: S) -> Result<S::Ok, S::Error> {
    #[derive(Serialize)]
    struct Figures {
        comments: u64,
        negative: u64,
        positive: u64,
        negative_percent: Option<f64>,
        negative_ci95: Option<[f64; 2]>,
        mean: Option<f64>,
    }
    Figures {
        comments: mood.comments,
        negative: mood.negative,
        positive: mood.positive,
        negative_percent: mood.negative_percent(),
        negative_ci95: mood.negative_interval(),
        mean: mood.mean(),
    }
    .serialize(s)
}

/// The score `basis` reads from a summary.
struct Measured {
    n: usize,
    value: f64,
    ci95: Option<[f64; 2]>,
}

fn measured(s: &Summary, basis: Basis) -> Option<Measured> {
    match basis {
        Basis::Nps => s.nps.as_ref().map(|x| Measured {
            n: x.n,
            value: x.score,
            ci95: Some(x.ci95),
        }),
        Basis::Csat => s.csat.as_ref().map(|x| Measured {
            n: x.n,
            value: x.percent,
            ci95: Some(x.ci95),
        }),
        Basis::Ces => s.ces.as_ref().map(|x| Measured {
            n: x.n,
            value: x.mean,
            ci95: x.ci95,
        }),
    }
}

fn target(t: &Touchpoint, basis: Basis) -> Option<f64> {
    match basis {
        Basis::Nps => t.targets.nps,
        Basis::Csat => t.targets.csat,
        Basis::Ces => t.targets.ces,
    }
}

/// The hotspots under `filter` on `basis`, by impact from the optimistic
/// end, then impact from the figure, then answers, then map order (a
/// touchpoint before the handoffs into it). `metrics` is what
/// [`journey_metrics`](super::journey::journey_metrics) gave for the same
/// sources, map and filter. Comments come from datasets whose comments
/// have sentiment; without it, hotspots have no comments or terms.
pub fn hotspots(
    sources: &[Source],
    map: &JourneyMap,
    filter: &Filter,
    metrics: &JourneyMetrics,
    basis: Basis,
) -> Vec<Hotspot> {
    let Some(journey) = measured(&metrics.overall, basis) else {
        return Vec::new();
    };
    let below: Vec<Option<Hotspot>> = map
        .touchpoints
        .iter()
        .map(|t| {
            let m = measured(metrics.touchpoints.get(&t.id)?, basis)?;
            let (reference, reference_kind) = match target(t, basis) {
                Some(x) => (x, Reference::Target),
                None => (journey.value, Reference::Journey),
            };
            let best = m.ci95.map_or(CES_BEST, |[_, hi]| hi);
            let shortfall = (reference - best).max(0.0);
            let point_shortfall = (reference - m.value).max(0.0);
            (shortfall > 0.0).then(|| Hotspot {
                spot: Spot::Touchpoint(t.id.clone()),
                touchpoint: t.id.clone(),
                basis,
                n: m.n,
                value: m.value,
                ci95: m.ci95,
                reference,
                reference_kind,
                shortfall,
                impact: shortfall * m.n as f64,
                point_shortfall,
                point_impact: point_shortfall * m.n as f64,
                mood: Mood::default(),
                negative_comments: Vec::new(),
                terms: Vec::new(),
            })
        })
        .collect();
    // Each with its touchpoint's index and 0, or 1 + the handoff's index,
    // for map order.
    let mut spots: Vec<(usize, usize, Hotspot)> = below
        .iter()
        .enumerate()
        .filter_map(|(i, h)| Some((i, 0, h.clone()?)))
        .collect();
    for (k, handoff) in map.handoffs.iter().enumerate() {
        let Some(i) = map.touchpoints.iter().position(|t| t.id == handoff.to) else {
            continue;
        };
        if let (false, Some(h)) = (handoff.context_carried, &below[i]) {
            let spot = Spot::Handoff {
                id: handoff.id.clone(),
                from: handoff.from.clone(),
                to: handoff.to.clone(),
            };
            spots.push((i, k + 1, Hotspot { spot, ..h.clone() }));
        }
    }
    if spots.is_empty() {
        return Vec::new();
    }
    let listed: Vec<bool> = below.iter().map(Option::is_some).collect();
    let voices = voices(sources, map, filter, &listed);
    for (i, _, h) in &mut spots {
        if let Some(v) = &voices[*i] {
            h.mood = v.mood;
            h.negative_comments = v.comments.clone();
            h.terms = v.terms.clone();
        }
    }
    spots.sort_by(|(i, k, x), (j, l, y)| {
        y.impact
            .total_cmp(&x.impact)
            .then(y.point_impact.total_cmp(&x.point_impact))
            .then(y.n.cmp(&x.n))
            .then((i, k).cmp(&(j, l)))
    });
    spots.into_iter().map(|(_, _, h)| h).collect()
}

/// What customers said at one touchpoint.
struct Voice {
    mood: Mood,
    comments: Vec<NegativeComment>,
    terms: Vec<Term>,
}

/// The voice of each touchpoint `wanted` (by map index), from one pass
/// over the comments under the filter, and one index of the terms of all
/// of them.
fn voices(
    sources: &[Source],
    map: &JourneyMap,
    filter: &Filter,
    wanted: &[bool],
) -> Vec<Option<Voice>> {
    let mut all: Vec<&str> = Vec::new();
    let mut moods = vec![Mood::default(); wanted.len()];
    // (compound, source, row, column) of each negative comment.
    let mut negative: Vec<Vec<(f64, usize, usize, usize)>> = vec![Vec::new(); wanted.len()];
    for (s, source) in sources.iter().enumerate() {
        let selection = Selection::new(source, map, filter);
        let rows = source.index.rows().min(source.data.rows());
        for (comment, at) in pairs(source.data) {
            let (texts, scores) = (&source.data.columns[comment], &source.data.columns[at]);
            for row in 0..rows {
                let Some(compound) = scores.score(row).and_then(compound_of) else {
                    continue;
                };
                if !selection.passes(source.index, row) {
                    continue;
                }
                all.push(texts.text(row).unwrap_or(""));
                let tp = source.index.touchpoint[row];
                if tp == MISSING || !wanted.get(tp as usize).copied().unwrap_or(false) {
                    continue;
                }
                let tp = tp as usize;
                moods[tp].add(compound);
                if Label::of(compound) == Label::Negative {
                    negative[tp].push((compound, s, row, comment));
                }
            }
        }
    }
    let index = TermIndex::new(all);
    let text = |&(_, s, row, column): &(f64, usize, usize, usize)| {
        sources[s].data.columns[column].text(row).unwrap_or("")
    };
    moods
        .into_iter()
        .zip(negative)
        .zip(wanted)
        .map(|((mood, mut said), &wanted)| {
            if !wanted {
                return None;
            }
            said.sort_by(|x, y| {
                x.0.total_cmp(&y.0)
                    .then((x.1, x.2, x.3).cmp(&(y.1, y.2, y.3)))
            });
            let comments = said
                .iter()
                .take(TOP_COMMENTS)
                .map(|c| NegativeComment {
                    source: c.1,
                    column: c.3,
                    row: c.2,
                    compound: c.0,
                    text: text(c).to_owned(),
                })
                .collect();
            Some(Voice {
                mood,
                comments,
                terms: index.complaint_terms(said.iter().map(text)),
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::matching::Aliases;
    use crate::import::{import, Dataset, ImportOptions, Role};
    use crate::insights::journey::tests::map;
    use crate::insights::journey::{journey_metrics, ChannelLinks, RowIndex};
    use crate::insights::sentiment::journey_sentiment;
    use crate::model::ChannelKind;
    use crate::sentiment::{attach, stored};

    /// Rows of the file: touchpoint key, segment, NPS, CES, comment and
    /// its compound (given by hand), in file order:
    /// - `checkout` (t1, NPS target 15): rows 0–19, 20 passives (NPS 0);
    /// - `faq` (t3, NPS target 15): rows 20–22, 3 detractors (NPS −100);
    /// - `chat` (t2, no target): rows 23–33, 2 promoters, 3 passives, 6
    ///   detractors (NPS −36.4), 6 negative comments;
    /// - `nowhere` (no touchpoint): rows 34–53, 20 promoters.
    ///
    /// The journey's NPS is (22 − 9) / 54 = 24.1.
    fn rows() -> Vec<(
        &'static str,
        &'static str,
        u8,
        &'static str,
        &'static str,
        f64,
    )> {
        let mut rows = Vec::new();
        for i in 0..20 {
            let (ces, comment, compound) = match i {
                0 => ("1", "Fine", 0.2),
                1 => ("", "Slow page and slow payment", -0.4),
                _ => ("", "", f64::NAN),
            };
            rows.push(("checkout", "returning", 7 + i % 2, ces, comment, compound));
        }
        rows.push(("faq", "new", 0, "", "Search finds nothing", -0.3));
        rows.push(("faq", "new", 0, "", "Useless answers", -0.6));
        rows.push(("faq", "new", 0, "", "", f64::NAN));
        for (segment, nps, ces, comment, compound) in [
            ("new", 10, "", "Quick and friendly", 0.7),
            ("returning", 10, "", "", f64::NAN),
            ("returning", 8, "", "Fine", 0.2),
            ("new", 8, "", "", f64::NAN),
            ("returning", 8, "", "Agent was helpful", 0.4),
            ("new", 0, "2", "Long wait and a rude agent", -0.6),
            ("new", 0, "3", "The wait was long", -0.3),
            ("returning", 0, "2", "Rude agent hung up", -0.8),
            ("returning", 0, "1", "Long wait again", -0.4),
            ("new", 0, "3", "Still waiting", -0.2),
            ("returning", 0, "", "Hung up on me", -0.5),
        ] {
            rows.push(("chat", segment, nps, ces, comment, compound));
        }
        for i in 0..20 {
            let (ces, comment, compound) = match i {
                0 => ("7", "Great service", 0.6),
                1 => ("7", "Wait was fine", 0.1),
                2 => ("6", "", f64::NAN),
                3 | 4 => ("7", "", f64::NAN),
                _ => ("", "", f64::NAN),
            };
            rows.push(("nowhere", "new", 10, ces, comment, compound));
        }
        rows
    }

    fn data() -> Dataset {
        let rows = rows();
        let mut file = String::from("Touchpoint,Segment,NPS,CES,Comment\n");
        for (tp, segment, nps, ces, comment, _) in &rows {
            file.push_str(&format!("{tp},{segment},{nps},{ces},{comment}\n"));
        }
        let options = ImportOptions {
            roles: vec![
                ("Segment".into(), Role::Segment),
                ("CES".into(), Role::Ces),
                ("Comment".into(), Role::Comment),
            ],
            ..ImportOptions::default()
        };
        let mut d = import(file.into_bytes(), options).unwrap();
        let comment = d
            .columns
            .iter()
            .position(|c| c.role == Role::Comment)
            .unwrap();
        attach(&mut d, comment, rows.iter().map(|r| stored(r.5)).collect());
        d
    }

    /// The test map with targets on t1 and t3, a fourth touchpoint without
    /// answers, and handoffs t1 → t2 (context lost), t3 → t2 (carried) and
    /// t2 → t4 (lost, but t4 has no answers).
    fn journey() -> JourneyMap {
        let mut m = map();
        m.touchpoints[0].targets.nps = Some(15.0);
        m.touchpoints[2].targets.nps = Some(15.0);
        let lane = m.add_channel("Store", ChannelKind::Physical);
        m.touchpoints.push(Touchpoint {
            id: Id::new("t4"),
            stage: m.stages[1].id.clone(),
            channel: lane,
            name: "t4".into(),
            feedback_key: "returns".into(),
            ..Touchpoint::default()
        });
        for (from, to, carried) in [("t1", "t2", false), ("t3", "t2", true), ("t2", "t4", false)] {
            m.add_handoff(&Id::new(from), &Id::new(to), carried)
                .unwrap();
        }
        m
    }

    /// The handoff t1 → t2, which loses context.
    fn lost() -> Spot {
        Spot::Handoff {
            id: journey().handoffs[0].id.clone(),
            from: Id::new("t1"),
            to: Id::new("t2"),
        }
    }

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-4
    }

    fn run(filter: &Filter, basis: Basis) -> Vec<Hotspot> {
        let (m, d) = (journey(), data());
        let index = RowIndex::new(&d, &m, &Aliases::new(), &ChannelLinks::new());
        let sources = [Source {
            data: &d,
            index: &index,
        }];
        let metrics = journey_metrics(&sources, &m, filter);
        hotspots(&sources, &m, filter, &metrics, basis)
    }

    /// The figures below were worked out with python3 (scipy for t):
    ///
    /// ```python
    /// Z = 1.959963984540054
    /// def nps(p, pa, d):  # score and adjusted-Wald upper end
    ///     n = p + pa + d; a = n + 3
    ///     pp, dd = (p + .75) / a, (d + .75) / a; adj = pp - dd
    ///     se = ((pp + dd - adj * adj) / a) ** .5
    ///     return (p - d) / n * 100, min(100, (adj + Z * se) * 100)
    /// nps(2, 3, 6)   # chat: -36.3636, 11.9000
    /// nps(0, 20, 0)  # checkout: 0, 10.4368
    /// nps(0, 0, 3)   # faq: -100, 6.5793
    /// nps(22, 23, 9) # journey: 24.0741
    /// ```
    #[test]
    fn hotspots_rank_by_the_optimistic_end_of_their_interval() {
        let spots = run(&Filter::default(), Basis::Nps);
        let ids: Vec<&Spot> = spots.iter().map(|h| &h.spot).collect();
        assert_eq!(
            ids,
            [
                &Spot::Touchpoint(Id::new("t2")),
                &lost(),
                &Spot::Touchpoint(Id::new("t1")),
                &Spot::Touchpoint(Id::new("t3")),
            ],
            "t3 → t2 carries context, t4 has no answers"
        );
        // Chat against the journey: 24.0741 − 11.9000 = 12.1740 from the
        // optimistic end, times 11 answers.
        let chat = &spots[0];
        assert_eq!((chat.n, chat.reference_kind), (11, Reference::Journey));
        assert!(close(chat.value, -36.3636) && close(chat.ci95.unwrap()[1], 11.9000));
        assert!(close(chat.reference, 24.0741));
        assert!(close(chat.shortfall, 12.1740) && close(chat.impact, 133.9144));
        assert!(close(chat.point_shortfall, 60.4377) && close(chat.point_impact, 664.8148));
        // The handoff takes the arriving touchpoint's figures, comments
        // and terms.
        let handoff = &spots[1];
        assert_eq!(handoff.touchpoint, Id::new("t2"));
        assert_eq!(
            Hotspot {
                spot: chat.spot.clone(),
                ..handoff.clone()
            },
            *chat
        );
        // Checkout and faq against their target of 15. Faq's three answers
        // are worse (−100 against 0) and, from the figures, weigh more
        // (3 × 115 = 345 against 20 × 15 = 300), but its interval reaches
        // +6.6: at least 8.42 short, times 3, against 4.56 times 20.
        let (checkout, faq) = (&spots[2], &spots[3]);
        assert_eq!(checkout.reference_kind, Reference::Target);
        assert_eq!((checkout.reference, faq.reference), (15.0, 15.0));
        assert!(close(checkout.shortfall, 4.5632) && close(checkout.impact, 91.2647));
        assert!(close(faq.shortfall, 8.4207) && close(faq.impact, 25.2621));
        assert!(faq.value < checkout.value && faq.point_impact > checkout.point_impact);
        assert_eq!((checkout.point_impact, faq.point_impact), (300.0, 345.0));
    }

    #[test]
    fn a_hotspot_shows_its_most_negative_comments_and_its_terms() {
        let spots = run(&Filter::default(), Basis::Nps);
        let chat = &spots[0];
        let said: Vec<(usize, f64, &str)> = chat
            .negative_comments
            .iter()
            .map(|c| (c.row, c.compound, c.text.as_str()))
            .collect();
        // Six negative comments, the five most negative shown.
        assert_eq!(
            said,
            [
                (30, -0.8, "Rude agent hung up"),
                (28, -0.6, "Long wait and a rude agent"),
                (33, -0.5, "Hung up on me"),
                (31, -0.4, "Long wait again"),
                (29, -0.3, "The wait was long"),
            ]
        );
        assert!(chat.negative_comments.iter().all(|c| c.source == 0));
        // The mood counts every comment at the touchpoint, as the map's.
        let (m, d) = (journey(), data());
        let index = RowIndex::new(&d, &m, &Aliases::new(), &ChannelLinks::new());
        let sources = [Source {
            data: &d,
            index: &index,
        }];
        let sentiment = journey_sentiment(&sources, &m, &Filter::default());
        assert_eq!(chat.mood, sentiment.touchpoints[&Id::new("t2")]);
        assert_eq!((chat.mood.comments, chat.mood.negative), (9, 6));
        // The 6 negative comments here against the 9 other comments of
        // the journey: ((a + .5) / 7) / ((b + .5) / 10).
        //   long 3 of 6, 0 of 9: 10; wait 3 and 1 ("Wait was fine"):
        //   3.3333; hung, "long wait", rude, "rude agent" 2 and 0:
        //   7.1429; agent 2 and 1 ("Agent was helpful"): 2.3810.
        let terms: Vec<(&str, u32, u32, f64)> = chat
            .terms
            .iter()
            .map(|t| (t.text.as_str(), t.here, t.elsewhere, t.score))
            .collect();
        let want = [
            ("long", 3, 0, 10.0),
            ("hung", 2, 0, 7.1429),
            ("long wait", 2, 0, 7.1429),
            ("rude", 2, 0, 7.1429),
            ("rude agent", 2, 0, 7.1429),
            ("wait", 3, 1, 3.3333),
            ("agent", 2, 1, 2.3810),
        ];
        assert_eq!(terms.len(), want.len(), "{terms:?}");
        for (got, want) in terms.iter().zip(want) {
            assert_eq!((got.0, got.1, got.2), (want.0, want.1, want.2));
            assert!(close(got.3, want.3), "{got:?}");
        }
        assert!(chat.terms.iter().all(|t| (t.group, t.rest) == (6, 9)));
        let json = serde_json::to_value(chat).unwrap();
        assert_eq!(json["spot"]["touchpoint"], "t2");
        assert!(close(
            json["mood"]["negative_percent"].as_f64().unwrap(),
            600.0 / 9.0
        ));
        assert_eq!(json["terms"][0]["text"], "long");
    }

    /// With python3 as above: nps(1, 1, 3) is −40 up to 29.7827; the
    /// journey's nps(21, 1, 6) is 53.5714.
    #[test]
    fn the_filter_narrows_answers_and_comments_alike() {
        let new = Filter {
            segment: Some("new".into()),
            ..Filter::default()
        };
        let spots = run(&new, Basis::Nps);
        let ids: Vec<&Spot> = spots.iter().map(|h| &h.spot).collect();
        // No checkout answer is from a new customer.
        assert_eq!(
            ids,
            [
                &Spot::Touchpoint(Id::new("t2")),
                &lost(),
                &Spot::Touchpoint(Id::new("t3")),
            ]
        );
        let chat = &spots[0];
        assert_eq!(chat.n, 5);
        assert!(close(chat.reference, 53.5714) && close(chat.shortfall, 23.7888));
        assert!(close(chat.impact, 118.9438));
        let rows: Vec<usize> = chat.negative_comments.iter().map(|c| c.row).collect();
        assert_eq!(rows, [28, 29, 32]);
        // 3 negative comments against the 5 others under the filter, so a
        // term of one comment counts: "long" (2 of 3, none elsewhere)
        // ((2.5 / 4) / (.5 / 6)) = 7.5, then the terms in one comment
        // and nowhere else, (1.5 / 4) / (.5 / 6) = 4.5, alphabetically.
        let top: Vec<(&str, u32, u32)> = chat
            .terms
            .iter()
            .take(3)
            .map(|t| (t.text.as_str(), t.group, t.rest))
            .collect();
        assert_eq!(top, [("long", 3, 5), ("agent", 3, 5), ("long wait", 3, 5)]);
        assert!(close(chat.terms[0].score, 7.5) && close(chat.terms[1].score, 4.5));
    }

    /// CES by hand: the journey's 11 answers average 46 / 11 = 4.1818;
    /// chat's 2, 3, 2, 1, 3 average 2.2 with sd √0.7, so its interval
    /// reaches 2.2 + t(0.975, 4) · √0.7 / √5 = 3.2389 (python3:
    /// `2.2 + scipy.stats.t.ppf(.975, 4) * .7 ** .5 / 5 ** .5`).
    #[test]
    fn a_ces_from_one_answer_is_never_a_hotspot() {
        let spots = run(&Filter::default(), Basis::Ces);
        let ids: Vec<&Id> = spots.iter().map(|h| &h.touchpoint).collect();
        // Checkout's single answer of 1 has no interval.
        assert_eq!(ids, [&Id::new("t2"), &Id::new("t2")]);
        let chat = &spots[0];
        assert_eq!((chat.n, chat.basis), (5, Basis::Ces));
        assert!(close(chat.reference, 46.0 / 11.0));
        assert!(close(chat.shortfall, 0.9430) && close(chat.impact, 4.7148));
        assert!(close(chat.point_impact, 5.0 * (46.0 / 11.0 - 2.2)));
    }

    #[test]
    fn without_answers_on_the_basis_there_are_no_hotspots() {
        assert!(run(&Filter::default(), Basis::Csat).is_empty());
        let nobody = Filter {
            segment: Some("vip".into()),
            ..Filter::default()
        };
        assert!(run(&nobody, Basis::Nps).is_empty());
    }
}
