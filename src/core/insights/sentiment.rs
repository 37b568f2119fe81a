//! The comments' sentiment on the map: how many comments each touchpoint,
//! stage and lane got, the share of them VADER reads as negative, and their
//! mean compound, under the same filter as the scores.
//!
//! Every comment counts once, whichever comment column it is in; a row
//! without a comment counts for nothing here. Figures of a stage or lane
//! are computed from all its comments, never averaged from touchpoints.

use std::collections::HashMap;

use super::journey::{Filter, Selection, Source};
use crate::analytics::{t_quantile, wilson};
use crate::import::MISSING;
use crate::model::{Id, JourneyMap};
use crate::sentiment::{compound_of, pairs, Label};

/// Comments counted by label, and their compounds summed.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Mood {
    pub comments: u64,
    pub negative: u64,
    pub positive: u64,
    pub compound_sum: f64,
    /// Sum of squared compounds, for the mean's interval.
    pub compound_sq: f64,
}

impl Mood {
    pub fn add(&mut self, compound: f64) {
        self.comments += 1;
        match Label::of(compound) {
            Label::Negative => self.negative += 1,
            Label::Positive => self.positive += 1,
            Label::Neutral => {}
        }
        self.compound_sum += compound;
        self.compound_sq += compound * compound;
    }

    pub fn merge(&mut self, other: &Mood) {
        self.comments += other.comments;
        self.negative += other.negative;
        self.positive += other.positive;
        self.compound_sum += other.compound_sum;
        self.compound_sq += other.compound_sq;
    }

    /// Share of the comments that are negative, in percent.
    pub fn negative_percent(&self) -> Option<f64> {
        (self.comments > 0).then(|| self.negative as f64 * 100.0 / self.comments as f64)
    }

    /// 95 % Wilson interval of [`Mood::negative_percent`]: with few comments
    /// one angry line is not "100 % negative" with certainty.
    pub fn negative_interval(&self) -> Option<[f64; 2]> {
        (self.comments > 0).then(|| wilson(self.negative as usize, self.comments as usize))
    }

    /// Mean compound, −1…1.
    pub fn mean(&self) -> Option<f64> {
        (self.comments > 0).then(|| self.compound_sum / self.comments as f64)
    }

    /// 95 % t interval of [`Mood::mean`], clamped to −1…1; `None` below
    /// two comments, where there is no spread to speak of.
    pub fn mean_interval(&self) -> Option<[f64; 2]> {
        if self.comments < 2 {
            return None;
        }
        let n = self.comments as f64;
        let mean = self.compound_sum / n;
        let var = ((self.compound_sq - n * mean * mean) / (n - 1.0)).max(0.0);
        let half = t_quantile(0.975, n - 1.0) * (var / n).sqrt();
        Some([(mean - half).max(-1.0), (mean + half).min(1.0)])
    }
}

/// Sentiment of the whole journey and of each touchpoint, stage and lane
/// with comments under the filter.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct JourneySentiment {
    pub overall: Mood,
    pub touchpoints: HashMap<Id, Mood>,
    pub stages: HashMap<Id, Mood>,
    pub channels: HashMap<Id, Mood>,
    /// Whether any dataset has scored comments at all, so the map can tell
    /// "no comments here" from "no sentiment yet".
    pub scored: bool,
}

pub fn journey_sentiment(
    sources: &[Source],
    map: &JourneyMap,
    filter: &Filter,
) -> JourneySentiment {
    let mut out = JourneySentiment::default();
    let mut tps = vec![Mood::default(); map.touchpoints.len()];
    let mut stages = vec![Mood::default(); map.stages.len()];
    let mut lanes = vec![Mood::default(); map.channels.len()];
    for source in sources {
        let columns = pairs(source.data);
        out.scored |= !columns.is_empty();
        let selection = Selection::new(source, map, filter);
        let index = source.index;
        let rows = index.rows().min(source.data.rows());
        for &(_, at) in &columns {
            let column = &source.data.columns[at];
            for row in 0..rows {
                let Some(compound) = column.score(row).and_then(compound_of) else {
                    continue;
                };
                if !selection.passes(index, row) {
                    continue;
                }
                out.overall.add(compound);
                for (into, i) in [
                    (&mut tps, index.touchpoint[row]),
                    (&mut stages, index.stage[row]),
                    (&mut lanes, index.lane[row]),
                ] {
                    if i != MISSING {
                        if let Some(m) = into.get_mut(i as usize) {
                            m.add(compound);
                        }
                    }
                }
            }
        }
    }
    let keyed = |moods: Vec<Mood>, ids: Vec<&Id>| {
        ids.into_iter()
            .zip(moods)
            .filter(|(_, m)| m.comments > 0)
            .map(|(id, m)| (id.clone(), m))
            .collect::<HashMap<_, _>>()
    };
    out.touchpoints = keyed(tps, map.touchpoints.iter().map(|x| &x.id).collect());
    out.stages = keyed(stages, map.stages.iter().map(|x| &x.id).collect());
    out.channels = keyed(lanes, map.channels.iter().map(|x| &x.id).collect());
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::matching::Aliases;
    use crate::import::{import, ImportOptions, Role};
    use crate::insights::journey::tests::map;
    use crate::insights::journey::{ChannelLinks, RowIndex};
    use crate::sentiment::{attach, stored};

    const FILE: &str = "Date,Touchpoint,Channel,NPS,Comment\n\
        2024-01-05,checkout,web,2,x\n\
        2024-01-20,checkout,web,0,x\n\
        2024-02-03,checkout,web,9,x\n\
        2024-02-10,chat,Live chat,6,x\n\
        2024-03-01,chat,Live chat,8,\n\
        2024-03-03,nowhere,web,10,x\n";

    /// Compounds given by hand, so the counts can be checked by eye.
    fn data() -> crate::import::Dataset {
        let options = ImportOptions {
            roles: vec![("Comment".into(), Role::Comment)],
            ..ImportOptions::default()
        };
        let mut d = import(FILE.as_bytes().to_vec(), options).unwrap();
        let compounds = [-0.5, -0.05, 0.6, 0.0, f64::NAN, 0.3];
        let comment = d
            .columns
            .iter()
            .position(|c| c.role == Role::Comment)
            .unwrap();
        attach(
            &mut d,
            comment,
            compounds.iter().map(|&c| stored(c)).collect(),
        );
        d
    }

    #[test]
    fn comments_are_counted_per_touchpoint_stage_lane_and_overall() {
        let (m, d) = (map(), data());
        let index = RowIndex::new(&d, &m, &Aliases::new(), &ChannelLinks::new());
        let sources = [Source {
            data: &d,
            index: &index,
        }];
        let s = journey_sentiment(&sources, &m, &Filter::default());
        assert!(s.scored);
        // Five comments: the blank one is none.
        assert_eq!(s.overall.comments, 5);
        assert_eq!((s.overall.negative, s.overall.positive), (2, 2));
        assert!((s.overall.mean().unwrap() - (-0.5 - 0.05 + 0.6 + 0.0 + 0.3) / 5.0).abs() < 1e-6);
        // scipy: stats.t.interval(0.95, 4, loc=mean(x), scale=sem(x)) for
        // x = [-0.5, -0.05, 0.6, 0.0, 0.3] gives (-0.4412, 0.5812).
        let [lo, hi] = s.overall.mean_interval().unwrap();
        assert!(
            (lo + 0.4412).abs() < 1e-4 && (hi - 0.5812).abs() < 1e-4,
            "{lo} {hi}"
        );
        let checkout = &s.touchpoints[&Id::new("t1")];
        assert_eq!((checkout.comments, checkout.negative), (3, 2));
        assert!((checkout.negative_percent().unwrap() - 200.0 / 3.0).abs() < 1e-9);
        // Wilson 95 % for 2 of 3, by hand: 20.77 % to 93.85 %.
        let [lo, hi] = checkout.negative_interval().unwrap();
        assert!(
            (lo - 20.77).abs() < 0.01 && (hi - 93.85).abs() < 0.01,
            "{lo} {hi}"
        );
        let chat = &s.touchpoints[&Id::new("t2")];
        assert_eq!((chat.comments, chat.negative), (1, 0));
        assert!(!s.touchpoints.contains_key(&Id::new("t3")));
        assert_eq!(s.stages[&m.stages[1].id].comments, 1);
        // A filter narrows comments like it narrows scores.
        let february = Filter {
            from: Some(day(2024, 2, 1)),
            to: Some(day(2024, 2, 28)),
            ..Filter::default()
        };
        let s = journey_sentiment(&sources, &m, &february);
        assert_eq!(s.overall.comments, 2);
        assert_eq!(s.touchpoints[&Id::new("t1")].positive, 1);
    }

    #[test]
    fn a_dataset_without_sentiment_is_not_scored() {
        let m = map();
        let d = import(FILE.as_bytes().to_vec(), ImportOptions::default()).unwrap();
        let index = RowIndex::new(&d, &m, &Aliases::new(), &ChannelLinks::new());
        let s = journey_sentiment(
            &[Source {
                data: &d,
                index: &index,
            }],
            &m,
            &Filter::default(),
        );
        assert!(!s.scored);
        assert_eq!(s.overall.comments, 0);
        assert_eq!(s.overall.negative_percent(), None);
    }

    fn day(y: i64, m: i64, d: i64) -> i32 {
        crate::import::dates::days_from_civil(y, m, d).unwrap() as i32
    }
}
