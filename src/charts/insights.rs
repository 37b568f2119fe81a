//! A map's dashboard: the core's figures under the map's filter, turned
//! into the inputs of the [`dashboard`](super::dashboard) charts. Native,
//! so what the page draws is tested without a browser; the page only
//! picks the options and places the SVG and its table.

use super::dashboard::{
    bars, comparison, distribution, heatmap, trend, AnswerScale, Bar, Bars, Chart, Compared,
    Comparison, Distribution, Heatmap, Metric, Side, Trend, TrendPoint, TrendSeries,
};
use super::{MeasuredCurve, MeasuredPoint};
use crate::analytics::Summary;
use crate::insights::compare::Difference;
use crate::insights::custom::{CustomBucket, CustomComparison, CustomFigures, CustomValue};
use crate::insights::journey::{
    measured_emotion, rescale, AnswerCounts, Basis, JourneyComparison, JourneyMetrics, TrendBucket,
    FEW_ANSWERS,
};
use crate::insights::sentiment::{JourneySentiment, Mood};
use crate::insights::trend::Every;
use crate::model::{Aggregation, Id, JourneyMap, MetricDef, Targets};

/// The three scores every chart can show.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Score {
    Nps,
    Csat,
    Ces,
}

impl Score {
    pub const ALL: [Score; 3] = [Score::Nps, Score::Csat, Score::Ces];

    pub fn key(self) -> &'static str {
        match self {
            Score::Nps => "nps",
            Score::Csat => "csat",
            Score::Ces => "ces",
        }
    }

    pub fn from_key(key: &str) -> Option<Score> {
        Score::ALL.into_iter().find(|s| s.key() == key)
    }

    fn metric(self) -> Metric {
        match self {
            Score::Nps => Metric::Nps,
            Score::Csat => Metric::Csat,
            Score::Ces => Metric::Ces,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Score::Nps => "NPS",
            Score::Csat => "CSAT",
            Score::Ces => "CES",
        }
    }

    /// The figure, its interval and n as `summarize` prints them.
    pub fn of(self, s: &Summary) -> Option<(f64, Option<[f64; 2]>, usize)> {
        match self {
            Score::Nps => s.nps.as_ref().map(|x| (x.score, Some(x.ci95), x.n)),
            Score::Csat => s.csat.as_ref().map(|x| (x.percent, Some(x.ci95), x.n)),
            Score::Ces => s.ces.as_ref().map(|x| (x.mean, x.ci95, x.n)),
        }
    }

    fn target(self, t: &Targets) -> Option<f64> {
        match self {
            Score::Nps => t.nps,
            Score::Csat => t.csat,
            Score::Ces => t.ces,
        }
    }

    fn unit_word(self) -> &'static str {
        match self {
            Score::Nps => "points",
            Score::Csat => "percentage points",
            Score::Ces => "",
        }
    }
}

/// What the bars of [`by_group`] are.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Group {
    Touchpoint,
    Stage,
    Channel,
}

impl Group {
    pub fn label(self) -> &'static str {
        match self {
            Group::Touchpoint => "Touchpoint",
            Group::Stage => "Stage",
            Group::Channel => "Channel",
        }
    }
}

fn bar(label: &str, s: Option<&Summary>, score: Score, target: Option<f64>) -> Option<Bar> {
    let (value, ci95, n) = score.of(s?)?;
    Some(Bar {
        label: label.to_owned(),
        value,
        ci95,
        n,
        target,
        few: n < FEW_ANSWERS,
    })
}

/// A score by touchpoint, stage or channel, highest first; touchpoints
/// carry their own targets.
pub fn by_group(map: &JourneyMap, m: &JourneyMetrics, score: Score, group: Group) -> Chart {
    let mut input = Bars::new(
        format!("{} by {}", score.label(), group.label().to_lowercase()),
        score.metric(),
        group.label(),
    );
    input.bars = match group {
        Group::Touchpoint => map
            .touchpoints
            .iter()
            .filter_map(|t| {
                bar(
                    &t.name,
                    m.touchpoints.get(&t.id),
                    score,
                    score.target(&t.targets),
                )
            })
            .collect(),
        Group::Stage => map
            .stages
            .iter()
            .filter_map(|s| bar(&s.name, m.stages.get(&s.id), score, None))
            .collect(),
        Group::Channel => map
            .channels
            .iter()
            .filter_map(|c| bar(&c.name, m.channels.get(&c.id), score, None))
            .collect(),
    };
    bars(&input.sorted())
}

/// Share of negative comments by touchpoint, stage or channel, worst
/// first, with Wilson intervals and the number of comments behind each.
pub fn negative_by_group(map: &JourneyMap, s: &JourneySentiment, group: Group) -> Chart {
    let mut input = Bars::new(
        format!("Negative comments by {}", group.label().to_lowercase()),
        Metric::Custom {
            name: "Negative comments".into(),
            unit: "%".into(),
            higher_is_better: false,
        },
        group.label(),
    );
    input.domain = Some([0.0, 100.0]);
    let bar = |label: &str, mood: Option<&Mood>| {
        let mood = mood?;
        Some(Bar {
            label: label.to_owned(),
            value: mood.negative_percent()?,
            ci95: mood.negative_interval(),
            n: mood.comments as usize,
            target: None,
            few: (mood.comments as usize) < FEW_ANSWERS,
        })
    };
    input.bars = match group {
        Group::Touchpoint => map
            .touchpoints
            .iter()
            .filter_map(|t| bar(&t.name, s.touchpoints.get(&t.id)))
            .collect(),
        Group::Stage => map
            .stages
            .iter()
            .filter_map(|st| bar(&st.name, s.stages.get(&st.id)))
            .collect(),
        Group::Channel => map
            .channels
            .iter()
            .filter_map(|c| bar(&c.name, s.channels.get(&c.id)))
            .collect(),
    };
    bars(&input.sorted())
}

/// The 0–10, CSAT and CES answer distributions.
pub fn distributions(counts: &AnswerCounts) -> Vec<Chart> {
    let of = |v: &[u64]| {
        v.iter()
            .enumerate()
            .filter(|(_, &c)| c > 0)
            .map(|(i, &c)| (i as i32, c as usize))
            .collect::<Vec<_>>()
    };
    let good_bad = counts.csat_scale == Some(crate::import::Scale::GoodBad);
    let mut out = vec![distribution(&Distribution {
        title: "NPS answers (0–10)".into(),
        scale: AnswerScale::Nps,
        counts: of(&counts.nps),
    })];
    out.push(distribution(&Distribution {
        title: if good_bad {
            "CSAT answers (0 bad, 1 good)".into()
        } else {
            "CSAT answers (1–5)".into()
        },
        scale: if good_bad {
            AnswerScale::Other
        } else {
            AnswerScale::Csat
        },
        counts: of(&counts.csat),
    }));
    out.push(distribution(&Distribution {
        title: "CES answers (1–7)".into(),
        scale: AnswerScale::Ces,
        counts: of(&counts.ces),
    }));
    out
}

/// `YYYY-MM` for months, `YYYY-MM-DD` (the Monday) for weeks.
fn bucket_label(every: Every, b: &TrendBucket) -> String {
    let (y, m, d) = b.start.ymd();
    match every {
        Every::Month => format!("{y:04}-{m:02}"),
        Every::Week => format!("{y:04}-{m:02}-{d:02}"),
    }
}

/// A score per bucket for the whole journey and, if given, one touchpoint
/// (aligned on the whole journey's buckets).
pub fn trend_chart(
    score: Score,
    every: Every,
    whole: &[TrendBucket],
    touchpoint: Option<(&str, &[TrendBucket])>,
) -> Chart {
    let points = |buckets: &[TrendBucket]| {
        whole
            .iter()
            .map(|w| {
                let b = buckets.iter().find(|b| b.start == w.start)?;
                let (value, ci95, n) = score.of(&b.summary)?;
                Some(TrendPoint { value, ci95, n })
            })
            .collect::<Vec<_>>()
    };
    let mut series = vec![TrendSeries {
        label: "Whole journey".into(),
        points: points(whole),
    }];
    if let Some((name, buckets)) = touchpoint {
        series.push(TrendSeries {
            label: name.to_owned(),
            points: points(buckets),
        });
    }
    let bucket = match every {
        Every::Week => "Week",
        Every::Month => "Month",
    };
    trend(&Trend {
        title: format!("{} by {}", score.label(), bucket.to_lowercase()),
        metric: score.metric(),
        bucket: bucket.into(),
        buckets: whole.iter().map(|b| bucket_label(every, b)).collect(),
        series,
        target: None,
        domain: score.metric().range(),
    })
}

fn compared(
    score: Score,
    place: Option<&str>,
    c: &JourneyComparison,
    d: Option<&Difference>,
) -> Option<Compared> {
    let (av, aci, an) = score.of(&c.a)?;
    let (bv, bci, bn) = score.of(&c.b)?;
    let d = d?;
    Some(Compared {
        label: score.label().into(),
        place: place.map(str::to_owned),
        unit_word: score.unit_word().into(),
        a: Side {
            value: av,
            ci95: aci,
            n: an,
        },
        b: Side {
            value: bv,
            ci95: bci,
            n: bn,
        },
        delta: d.delta,
        delta_ci95: d.ci95,
        p: d.p_value,
        sentence: None,
        domain: score.metric().range(),
    })
}

/// NPS, CSAT and CES on both sides of a comparison, with the difference
/// of each that can be computed.
pub fn comparison_chart(
    title: &str,
    a_label: &str,
    b_label: &str,
    place: Option<&str>,
    c: &JourneyComparison,
) -> Chart {
    let d = &c.differences;
    let metrics = [
        (Score::Nps, d.nps.as_ref()),
        (Score::Csat, d.csat.as_ref()),
        (Score::Ces, d.ces.as_ref()),
    ]
    .into_iter()
    .filter_map(|(score, diff)| compared(score, place, c, diff))
    .collect();
    comparison(&Comparison {
        title: title.into(),
        a_label: a_label.into(),
        b_label: b_label.into(),
        metrics,
    })
}

/// Answers per channel (rows) and stage (columns).
pub fn cells_chart(map: &JourneyMap, cells: &[Vec<u64>]) -> Chart {
    heatmap(&Heatmap {
        title: "Answers by channel and stage".into(),
        row_label: "Channel".into(),
        column_label: "Stage".into(),
        rows: map.channels.iter().map(|c| c.name.clone()).collect(),
        columns: map.stages.iter().map(|s| s.name.clone()).collect(),
        counts: cells
            .iter()
            .map(|r| r.iter().map(|&c| c as usize).collect())
            .collect(),
    })
}

/// The stages' measured emotion as the emotion lane draws it, with the
/// score it is made from; `None` without any answers.
pub fn measured_curve(map: &JourneyMap, m: &JourneyMetrics) -> Option<(MeasuredCurve, Basis)> {
    let (basis, points) = measured_emotion(map, &m.stages);
    let basis = basis?;
    let curve = MeasuredCurve {
        label: format!("{} per stage", basis.label()),
        points: points
            .into_iter()
            .map(|p| {
                p.map(|p| MeasuredPoint {
                    value: p.value,
                    band: p.band,
                    n: p.n,
                })
            })
            .collect(),
    };
    Some((curve, basis))
}

/// The stages' mean comment sentiment (−1…+1) put on the map's emotion
/// scale, with its 95 % interval; `None` without scored comments.
pub fn sentiment_curve(map: &JourneyMap, s: &JourneySentiment) -> Option<MeasuredCurve> {
    if s.stages.is_empty() {
        return None;
    }
    let put = |v: f64| rescale(v, [-1.0, 1.0], &map.emotion_scale);
    let points = map
        .stages
        .iter()
        .map(|stage| {
            let mood = s.stages.get(&stage.id)?;
            let mean = mood.mean()?;
            let [lo, hi] = mood.mean_interval().unwrap_or([mean, mean]);
            Some(MeasuredPoint {
                value: put(mean),
                band: [put(lo), put(hi)],
                n: mood.comments as usize,
            })
        })
        .collect();
    Some(MeasuredCurve {
        label: "mean comment sentiment per stage".into(),
        points,
    })
}

/// The touchpoints with answers under the filter, for the pickers.
pub fn measured_touchpoints(map: &JourneyMap, m: &JourneyMetrics) -> Vec<(Id, String)> {
    map.touchpoints
        .iter()
        .filter(|t| m.touchpoints.contains_key(&t.id))
        .map(|t| (t.id.clone(), t.name.clone()))
        .collect()
}

// ---------------------------------------------------------------------------
// Custom metrics: the same charts from `insights::custom` figures.

/// A custom metric as the charts draw it: a rate in percent on 0–100,
/// anything else on the data's own range.
pub fn custom_chart_metric(def: &MetricDef) -> Metric {
    Metric::Custom {
        name: format!("{} ({})", def.name, def.aggregation.label()),
        unit: if def.aggregation == Aggregation::Rate {
            "%".into()
        } else {
            def.unit.clone()
        },
        higher_is_better: def.higher_is_better,
    }
}

fn custom_domain(def: &MetricDef) -> Option<[f64; 2]> {
    (def.aggregation == Aggregation::Rate).then_some([0.0, 100.0])
}

fn custom_bar(label: &str, v: Option<&CustomValue>, target: Option<f64>) -> Option<Bar> {
    let v = v?;
    Some(Bar {
        label: label.to_owned(),
        value: v.value,
        ci95: v.ci95,
        n: v.n,
        target,
        few: v.n < FEW_ANSWERS,
    })
}

/// A custom metric by touchpoint, stage or channel, best first (lowest
/// first when lower is better), against the metric's target.
pub fn custom_by_group(map: &JourneyMap, f: &CustomFigures, group: Group) -> Chart {
    let def = &f.metric;
    let mut input = Bars::new(
        format!("{} by {}", def.name, group.label().to_lowercase()),
        custom_chart_metric(def),
        group.label(),
    );
    input.domain = custom_domain(def);
    input.target = def.target;
    input.bars = match group {
        Group::Touchpoint => map
            .touchpoints
            .iter()
            .filter_map(|t| custom_bar(&t.name, f.touchpoints.get(&t.id), None))
            .collect(),
        Group::Stage => map
            .stages
            .iter()
            .filter_map(|s| custom_bar(&s.name, f.stages.get(&s.id), None))
            .collect(),
        Group::Channel => map
            .channels
            .iter()
            .filter_map(|c| custom_bar(&c.name, f.channels.get(&c.id), None))
            .collect(),
    };
    let mut input = input.sorted();
    if !def.higher_is_better {
        input.bars.reverse();
    }
    bars(&input)
}

/// A custom metric per bucket for the whole journey and, if given, one
/// touchpoint (aligned on the whole journey's buckets).
pub fn custom_trend_chart(
    def: &MetricDef,
    every: Every,
    whole: &[CustomBucket],
    touchpoint: Option<(&str, &[CustomBucket])>,
) -> Chart {
    let points = |buckets: &[CustomBucket]| {
        whole
            .iter()
            .map(|w| {
                let v = buckets
                    .iter()
                    .find(|b| b.start == w.start)?
                    .value
                    .as_ref()?;
                Some(TrendPoint {
                    value: v.value,
                    ci95: v.ci95,
                    n: v.n,
                })
            })
            .collect::<Vec<_>>()
    };
    let mut series = vec![TrendSeries {
        label: "Whole journey".into(),
        points: points(whole),
    }];
    if let Some((name, buckets)) = touchpoint {
        series.push(TrendSeries {
            label: name.to_owned(),
            points: points(buckets),
        });
    }
    let bucket = match every {
        Every::Week => "Week",
        Every::Month => "Month",
    };
    let label = |b: &CustomBucket| {
        let (y, m, d) = b.start.ymd();
        match every {
            Every::Month => format!("{y:04}-{m:02}"),
            Every::Week => format!("{y:04}-{m:02}-{d:02}"),
        }
    };
    trend(&Trend {
        title: format!("{} by {}", def.name, bucket.to_lowercase()),
        metric: custom_chart_metric(def),
        bucket: bucket.into(),
        buckets: whole.iter().map(label).collect(),
        series,
        target: def.target,
        domain: custom_domain(def),
    })
}

/// Both sides of a custom metric's comparison and their difference: with
/// its interval and p-value for means (Welch) and rates (two proportions),
/// the bare difference for medians and sums.
pub fn custom_comparison_chart(
    title: &str,
    a_label: &str,
    b_label: &str,
    place: Option<&str>,
    def: &MetricDef,
    c: &CustomComparison,
) -> Chart {
    let metric = custom_chart_metric(def);
    let compared = (|| {
        let (a, b, d) = (c.a.as_ref()?, c.b.as_ref()?, c.difference.as_ref()?);
        let side = |v: &CustomValue| Side {
            value: v.value,
            ci95: v.ci95,
            n: v.n,
        };
        let unit_word = match def.aggregation {
            Aggregation::Rate => "percentage points".to_owned(),
            _ => def.unit.trim().to_owned(),
        };
        let (delta_ci95, p, sentence) = match &d.test {
            Some(t) => (t.ci95, t.p_value, None),
            None => {
                let what = match place.map(str::trim) {
                    Some(p) if !p.is_empty() => format!("{} at {p}", metric.name()),
                    _ => metric.name().to_owned(),
                };
                let why = if def.aggregation.has_interval() {
                    "too few values or no variation to test"
                } else {
                    "no interval for medians and sums"
                };
                (
                    [f64::NAN, f64::NAN],
                    f64::NAN,
                    Some(format!(
                        "{what}: difference {} ({why})",
                        metric.format(d.delta)
                    )),
                )
            }
        };
        Some(Compared {
            label: metric.name().to_owned(),
            place: place.map(str::to_owned),
            unit_word,
            a: side(a),
            b: side(b),
            delta: d.delta,
            delta_ci95,
            p,
            sentence,
            domain: custom_domain(def),
        })
    })();
    comparison(&Comparison {
        title: title.into(),
        a_label: a_label.into(),
        b_label: b_label.into(),
        metrics: compared.into_iter().collect(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::matching::Aliases;
    use crate::import::{import, ImportOptions};
    use crate::insights::dates::Day;
    use crate::insights::journey::{
        answer_counts, answers_by_cell, journey_compare, journey_metrics, journey_trend,
        ChannelLinks, Filter, RowIndex, Source, Split,
    };
    use crate::templates;

    #[test]
    fn negative_comments_chart_worst_first_with_intervals() {
        let map = templates::retail(Id::new("m"), 0.0);
        let mut s = JourneySentiment::default();
        let mood = |comments: u64, negative: u64| Mood {
            comments,
            negative,
            ..Mood::default()
        };
        s.touchpoints
            .insert(map.touchpoints[0].id.clone(), mood(40, 4));
        s.touchpoints
            .insert(map.touchpoints[1].id.clone(), mood(50, 30));
        let chart = negative_by_group(&map, &s, Group::Touchpoint);
        let rows = &chart.table.rows;
        assert_eq!(rows.len(), 2);
        assert!(rows[0][0] == map.touchpoints[1].name, "{rows:?}");
        assert!(rows[0].iter().any(|c| c.contains("60")), "{rows:?}");
        assert!(chart.svg.contains("Negative comments"));
        assert!(negative_by_group(&map, &s, Group::Stage)
            .table
            .rows
            .is_empty());
        assert!(sentiment_curve(&map, &s).is_none(), "no stage has comments");
        s.stages.insert(
            map.stages[0].id.clone(),
            Mood {
                comments: 2,
                compound_sum: -2.0,
                compound_sq: 2.0,
                ..Mood::default()
            },
        );
        let curve = sentiment_curve(&map, &s).unwrap();
        let first = curve.points[0].unwrap();
        assert_eq!(
            first.value,
            f64::from(map.emotion_scale.min),
            "−1 is the scale's bottom"
        );
        assert!(curve.points[1].is_none());
    }

    const FILE: &str = "Date,Touchpoint,Channel,NPS,CSAT\n\
        2024-01-05,Checkout <b>,Website,10,5\n\
        2024-01-20,Checkout <b>,Website,0,2\n\
        2024-03-03,Checkout <b>,Website,9,4\n\
        2024-03-10,Checkout <b>,Website,9,5\n";

    fn setup() -> (JourneyMap, crate::import::Dataset) {
        let mut map = templates::retail(Id::new("m"), 0.0);
        let t = &mut map.touchpoints[0];
        t.feedback_key = "checkout <b>".into();
        t.name = "Checkout <b>".into();
        t.targets.nps = Some(50.0);
        let data = import(FILE.as_bytes().to_vec(), ImportOptions::default()).unwrap();
        (map, data)
    }

    #[test]
    fn the_dashboard_shows_the_cores_figures_escaped() {
        let (map, data) = setup();
        let index = RowIndex::new(&data, &map, &Aliases::new(), &ChannelLinks::new());
        let sources = [Source {
            data: &data,
            index: &index,
        }];
        let f = Filter::default();
        let m = journey_metrics(&sources, &map, &f);
        let chart = by_group(&map, &m, Score::Nps, Group::Touchpoint);
        assert_eq!(chart.table.rows.len(), 1);
        assert!(
            chart.table.rows[0].iter().any(|c| c == "50.0"),
            "{:?}",
            chart.table
        );
        assert!(!chart.svg.contains("<b>"), "labels are escaped");

        let months = journey_trend(&sources, &map, &f, Every::Month, None);
        assert_eq!(months.len(), 3, "January to March, February empty");
        assert!(months[1].summary.nps.is_none());
        let chart = trend_chart(Score::Nps, Every::Month, &months, None);
        assert_eq!(chart.table.rows.len(), 3);

        let split = Split::At(Day::from_ymd(2024, 3, 1).unwrap());
        let c = journey_compare(&sources, &map, &f, &split, None).unwrap();
        let chart = comparison_chart(
            "Before / after",
            "Before",
            "After",
            Some("Checkout <b>"),
            &c,
        );
        assert!(!chart.svg.contains("<b>"));
        assert_eq!(c.differences.nps.as_ref().map(|d| d.delta), Some(100.0));

        let counts = answer_counts(&sources, &map, &f);
        assert_eq!(distributions(&counts).len(), 3);
        let cells = answers_by_cell(&sources, &map, &f);
        let chart = cells_chart(&map, &cells);
        assert_eq!(chart.table.rows.len(), map.channels.len());
    }
}

#[cfg(test)]
mod custom_tests {
    use super::*;
    use crate::import::matching::Aliases;
    use crate::import::{import, ImportOptions};
    use crate::insights::custom::{custom_compare, custom_metrics, custom_trend};
    use crate::insights::dates::Day;
    use crate::insights::journey::{ChannelLinks, Filter, RowIndex, Source, Split};
    use crate::templates;

    const FILE: &str = "Date,Touchpoint,Handle time,Resolved\n\
        2024-01-05,Checkout <b>,10,yes\n\
        2024-01-20,Checkout <b>,20,no\n\
        2024-03-03,Checkout <b>,4,yes\n\
        2024-03-10,Checkout <b>,6,yes\n";

    #[test]
    fn custom_metrics_chart_like_scores() {
        let mut map = templates::retail(Id::new("m"), 0.0);
        map.touchpoints[0].feedback_key = "checkout <b>".into();
        map.touchpoints[0].name = "Checkout <b>".into();
        map.add_metric("Handle time", "Handle time");
        map.metrics[0].unit = "min".into();
        map.metrics[0].higher_is_better = false;
        map.metrics[0].aggregation = Aggregation::Median;
        map.add_metric("FCR", "Resolved");
        map.metrics[1].aggregation = Aggregation::Rate;
        let data = import(FILE.as_bytes().to_vec(), ImportOptions::default()).unwrap();
        let index = RowIndex::new(&data, &map, &Aliases::new(), &ChannelLinks::new());
        let sources = [Source {
            data: &data,
            index: &index,
        }];
        let f = Filter::default();
        let all = custom_metrics(&sources, &map, &f);
        let chart = custom_by_group(&map, &all[0], Group::Touchpoint);
        assert_eq!(chart.table.rows.len(), 1);
        assert!(!chart.svg.contains("<b>"), "labels are escaped");
        // 4 6 10 20: median 8.
        assert!(
            chart.table.rows[0].iter().any(|c| c.starts_with("8.0")),
            "{:?}",
            chart.table
        );

        let months = custom_trend(&sources, &map, &f, &map.metrics[1], Every::Month, None);
        let chart = custom_trend_chart(&map.metrics[1], Every::Month, &months, None);
        assert_eq!(chart.table.rows.len(), 3, "January to March");

        let split = Split::At(Day::from_ymd(2024, 3, 1).unwrap());
        let c = custom_compare(&sources, &map, &f, &map.metrics[0], &split, None).unwrap();
        let chart = custom_comparison_chart(
            "Before / after",
            "Before",
            "After",
            None,
            &map.metrics[0],
            &c,
        );
        let row = &chart.table.rows[0];
        assert!(
            row.iter()
                .any(|c| c.contains("no interval for medians and sums")),
            "{row:?}"
        );
        let c = custom_compare(&sources, &map, &f, &map.metrics[1], &split, None).unwrap();
        let chart = custom_comparison_chart(
            "Before / after",
            "Before",
            "After",
            None,
            &map.metrics[1],
            &c,
        );
        // 50 % before, 100 % after: 50 percentage points.
        assert!(
            chart.table.rows[0].iter().any(|c| c == "50.0"),
            "{:?}",
            chart.table
        );
    }
}
