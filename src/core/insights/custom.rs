//! The map's custom metrics ([`MetricDef`]): values of a dataset column
//! (and manual data points) summed up per touchpoint, stage, lane and for
//! the whole journey under the map's [`Filter`], placed by the same
//! [`RowIndex`](super::journey::RowIndex) as NPS, CSAT and CES.
//!
//! - **Mean**: with a Student-t 95 % interval (mean ± t(0.975, n − 1) ·
//!   sd / √n); compared by Welch's t-test.
//! - **Rate** of yes (a value other than 0; yes/no columns import as
//!   1 / 0): in percent, with a Wilson interval; compared as two
//!   proportions, in percentage points.
//! - **Median** and **sum**: no interval, and a comparison gives the
//!   difference alone (no interval, no p-value).
//!
//! Manual data points (`Touchpoint::data_points`) count for their
//! touchpoint, its stage and its lane, dated by their day: a date filter
//! keeps them when their day is inside it, a lane filter when their
//! touchpoint is in the lane. They have no segment, so a segment filter
//! leaves them out, and no column values, so a comparison between two
//! values of a column leaves them out too.

use std::collections::HashMap;

use serde::Serialize;

use super::compare::{proportion_difference, welch_difference, Difference, Sample};
use super::dates::Day;
use super::groups::{between, find_column};
use super::journey::{
    at, Filter, Only, Selection, Source, Split, Verdict, FEW_ANSWERS, MIN_VERDICT_N, UNDATED,
};
use super::trend::Every;
use crate::analytics::{t_quantile, wilson};
use crate::import::{ColumnData, Dataset, MISSING};
use crate::model::{Aggregation, Id, JourneyMap, MetricDef};

/// One group's values, summed up as they come.
#[derive(Clone, Debug, Default)]
struct Acc {
    n: usize,
    /// Welford's running mean and sum of squared deviations.
    mean: f64,
    m2: f64,
    sum: f64,
    yes: usize,
    /// Kept for medians only.
    values: Vec<f64>,
}

impl Acc {
    fn add(&mut self, v: f64, keep: bool) {
        self.n += 1;
        let d = v - self.mean;
        self.mean += d / self.n as f64;
        self.m2 += d * (v - self.mean);
        self.sum += v;
        self.yes += usize::from(v != 0.0);
        if keep {
            self.values.push(v);
        }
    }

    fn value(mut self, aggregation: Aggregation) -> Option<CustomValue> {
        if self.n == 0 {
            return None;
        }
        let n = self.n;
        let sd = (n >= 2).then(|| (self.m2 / (n - 1) as f64).sqrt());
        let (value, ci95) = match aggregation {
            Aggregation::Mean => {
                let ci = sd.map(|sd| {
                    let half = t_quantile(0.975, (n - 1) as f64) * sd / (n as f64).sqrt();
                    [self.mean - half, self.mean + half]
                });
                (self.mean, ci)
            }
            Aggregation::Rate => (
                self.yes as f64 / n as f64 * 100.0,
                Some(wilson(self.yes, n)),
            ),
            Aggregation::Sum => (self.sum, None),
            Aggregation::Median => {
                self.values.sort_by(f64::total_cmp);
                let v = &self.values;
                let mid = v.len() / 2;
                let median = if v.len() % 2 == 1 {
                    v[mid]
                } else {
                    (v[mid - 1] + v[mid]) / 2.0
                };
                (median, None)
            }
        };
        Some(CustomValue {
            value,
            ci95,
            n,
            mean: self.mean,
            sd,
            yes: self.yes,
        })
    }
}

/// A custom metric's figure for one group of values.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CustomValue {
    /// Mean, median, sum, or percent of yes, by the metric's aggregation.
    pub value: f64,
    /// For means (t) and rates (Wilson, percent); `None` for medians and
    /// sums, and for a mean of one value.
    pub ci95: Option<[f64; 2]>,
    /// Values counted.
    pub n: usize,
    pub mean: f64,
    /// Sample standard deviation, from two values on.
    pub sd: Option<f64>,
    /// Values other than 0.
    pub yes: usize,
}

/// Where each value goes in each grouping: `row(source, row, out)` for
/// dataset rows, `point(touchpoint, day, out)` for manual data points (one
/// slot per entry of `groups`, [`MISSING`] for none). Only rows and points
/// the filter lets through are asked.
fn accumulate(
    sources: &[Source],
    map: &JourneyMap,
    filter: &Filter,
    def: &MetricDef,
    groups: &[usize],
    row: impl Fn(usize, usize, &mut [u32]),
    point: impl Fn(usize, i32, &mut [u32]),
) -> Vec<Vec<Acc>> {
    let keep = def.aggregation == Aggregation::Median;
    let mut out: Vec<Vec<Acc>> = groups.iter().map(|&g| vec![Acc::default(); g]).collect();
    let mut slot = vec![MISSING; groups.len()];
    let mut add = |slot: &[u32], v: f64| {
        for (accs, &g) in out.iter_mut().zip(slot) {
            if let Some(acc) = accs.get_mut(g as usize) {
                acc.add(v, keep);
            }
        }
    };
    for (s, source) in sources.iter().enumerate() {
        let Some(values) = column_values(source.data, &def.column) else {
            continue;
        };
        let selection = Selection::new(source, map, filter);
        let rows = source.index.rows().min(values.len());
        for (r, &v) in values.iter().enumerate().take(rows) {
            if v.is_nan() || !selection.passes(source.index, r) {
                continue;
            }
            slot.fill(MISSING);
            row(s, r, &mut slot);
            add(&slot, f64::from(v));
        }
    }
    for_points(map, filter, &def.id, |t, day, v| {
        slot.fill(MISSING);
        point(t, day, &mut slot);
        add(&slot, v);
    });
    out
}

/// The values of the score column headed `name`, if the dataset has one.
fn column_values<'a>(data: &'a Dataset, name: &str) -> Option<&'a [f32]> {
    match &find_column(data, name)?.data {
        ColumnData::Score { values, .. } => Some(values),
        _ => None,
    }
}

/// Calls `f(touchpoint index, day or UNDATED, value)` for every manual
/// data point of `metric` that the filter lets through.
fn for_points(map: &JourneyMap, filter: &Filter, metric: &Id, mut f: impl FnMut(usize, i32, f64)) {
    if filter.segment.is_some() {
        return;
    }
    let lane = filter.channel.as_ref().map(|c| map.channel_index(c));
    for (t, tp) in map.touchpoints.iter().enumerate() {
        if let Some(lane) = lane {
            if lane.is_none() || map.channel_index(&tp.channel) != lane {
                continue;
            }
        }
        for p in tp.data_points.iter().filter(|p| &p.metric == metric) {
            let day = p.day.parse::<Day>().map_or(UNDATED, |d| d.0);
            if filter.is_dated()
                && (day == UNDATED
                    || filter.from.is_some_and(|f| day < f)
                    || filter.to.is_some_and(|t| day > t))
            {
                continue;
            }
            if p.value.is_finite() {
                f(t, day, p.value);
            }
        }
    }
}

/// One custom metric's figures for the whole journey and each touchpoint,
/// stage and lane with values under the filter.
#[derive(Clone, Debug, PartialEq)]
pub struct CustomFigures {
    pub metric: MetricDef,
    pub overall: Option<CustomValue>,
    pub touchpoints: HashMap<Id, CustomValue>,
    pub stages: HashMap<Id, CustomValue>,
    pub channels: HashMap<Id, CustomValue>,
}

/// Every custom metric of the map, in the map's order.
pub fn custom_metrics(sources: &[Source], map: &JourneyMap, filter: &Filter) -> Vec<CustomFigures> {
    map.metrics
        .iter()
        .map(|def| custom_metric(sources, map, filter, def))
        .collect()
}

pub fn custom_metric(
    sources: &[Source],
    map: &JourneyMap,
    filter: &Filter,
    def: &MetricDef,
) -> CustomFigures {
    let (t, s, c) = (map.touchpoints.len(), map.stages.len(), map.channels.len());
    let stage_of = |tp: usize| {
        map.stage_index(&map.touchpoints[tp].stage)
            .map_or(MISSING, |i| i as u32)
    };
    let lane_of = |tp: usize| {
        map.channel_index(&map.touchpoints[tp].channel)
            .map_or(MISSING, |i| i as u32)
    };
    let accs = accumulate(
        sources,
        map,
        filter,
        def,
        &[1, t, s, c],
        |src, row, out| {
            let index = sources[src].index;
            out[0] = 0;
            out[1] = index.touchpoint[row];
            out[2] = index.stage[row];
            out[3] = index.lane[row];
        },
        |tp, _, out| {
            out[0] = 0;
            out[1] = tp as u32;
            out[2] = stage_of(tp);
            out[3] = lane_of(tp);
        },
    );
    let mut accs = accs.into_iter();
    let mut keyed = |ids: Vec<&Id>| {
        let group = accs.next().unwrap_or_default();
        ids.into_iter()
            .zip(group)
            .filter_map(|(id, acc)| Some((id.clone(), acc.value(def.aggregation)?)))
            .collect::<HashMap<_, _>>()
    };
    let overall = keyed(vec![&def.id]).remove(&def.id);
    CustomFigures {
        metric: def.clone(),
        overall,
        touchpoints: keyed(map.touchpoints.iter().map(|x| &x.id).collect()),
        stages: keyed(map.stages.iter().map(|x| &x.id).collect()),
        channels: keyed(map.channels.iter().map(|x| &x.id).collect()),
    }
}

/// How a custom figure stands against its target: at or above it when
/// higher is better, at or below it when lower is better; no verdict on
/// fewer than [`MIN_VERDICT_N`] values.
pub fn verdict(value: f64, n: usize, target: Option<f64>, higher_is_better: bool) -> Verdict {
    match target {
        None => Verdict::NoTarget,
        Some(_) if n < MIN_VERDICT_N => Verdict::TooFew,
        Some(t) if higher_is_better && value >= t => Verdict::Met,
        Some(t) if !higher_is_better && value <= t => Verdict::Met,
        Some(_) => Verdict::Missed,
    }
}

/// One custom figure of a card or roll-up, ready to show.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CustomFigure {
    pub metric: Id,
    pub name: String,
    pub unit: String,
    pub aggregation: Aggregation,
    pub value: f64,
    pub ci95: Option<[f64; 2]>,
    pub n: usize,
    pub target: Option<f64>,
    pub higher_is_better: bool,
    pub verdict: Verdict,
    pub few: bool,
}

/// A number with as many decimals as its size needs: 1234, 54.2, 3.75.
pub fn number(v: f64) -> String {
    let a = v.abs();
    if a >= 100.0 {
        format!("{v:.0}")
    } else if a >= 10.0 {
        format!("{v:.1}")
    } else {
        format!("{v:.2}")
    }
}

impl CustomFigure {
    pub fn new(def: &MetricDef, v: &CustomValue) -> CustomFigure {
        CustomFigure {
            metric: def.id.clone(),
            name: def.name.clone(),
            unit: def.unit.clone(),
            aggregation: def.aggregation,
            value: v.value,
            ci95: v.ci95,
            n: v.n,
            target: def.target,
            higher_is_better: def.higher_is_better,
            verdict: verdict(v.value, v.n, def.target, def.higher_is_better),
            few: v.n < FEW_ANSWERS,
        }
    }

    /// `x` in the metric's unit: percent for rates.
    pub fn in_unit(&self, x: f64) -> String {
        if self.aggregation == Aggregation::Rate {
            format!("{x:.0} %")
        } else if self.unit.trim().is_empty() {
            number(x)
        } else {
            format!("{} {}", number(x), self.unit.trim())
        }
    }

    pub fn shown(&self) -> String {
        self.in_unit(self.value)
    }

    pub fn interval(&self) -> Option<String> {
        let [lo, hi] = self.ci95?;
        Some(match self.aggregation {
            Aggregation::Rate => format!("{lo:.0} to {hi:.0}"),
            _ => format!("{} to {}", number(lo), number(hi)),
        })
    }

    /// Why there is no interval, when there is none.
    pub fn no_interval(&self) -> Option<&'static str> {
        match self.aggregation {
            _ if self.ci95.is_some() => None,
            Aggregation::Median | Aggregation::Sum => Some("no interval for medians and sums"),
            _ => Some("no interval from a single value"),
        }
    }

    /// "higher is better" / "lower is better".
    pub fn direction(&self) -> &'static str {
        if self.higher_is_better {
            "higher is better"
        } else {
            "lower is better"
        }
    }
}

/// The figures of one place (a touchpoint, stage, lane or the journey):
/// one per custom metric with values there, in the map's order.
pub fn custom_figures<'a>(
    all: &'a [CustomFigures],
    pick: impl Fn(&'a CustomFigures) -> Option<&'a CustomValue>,
) -> Vec<CustomFigure> {
    all.iter()
        .filter_map(|f| Some(CustomFigure::new(&f.metric, pick(f)?)))
        .collect()
}

/// One bucket of a custom metric's trend; `value` is `None` for a bucket
/// without values.
#[derive(Clone, Debug, PartialEq)]
pub struct CustomBucket {
    pub start: Day,
    pub value: Option<CustomValue>,
}

/// A custom metric per week or month under the filter, from the bucket of
/// its first dated value to that of its last, empty buckets included;
/// optionally for one touchpoint (by index).
pub fn custom_trend(
    sources: &[Source],
    map: &JourneyMap,
    filter: &Filter,
    def: &MetricDef,
    every: Every,
    only: Only,
) -> Vec<CustomBucket> {
    let mut range: Option<(i32, i32)> = None;
    let mut see = |d: i32| {
        if d != UNDATED {
            range = Some(range.map_or((d, d), |(lo, hi)| (lo.min(d), hi.max(d))));
        }
    };
    for source in sources {
        let Some(values) = column_values(source.data, &def.column) else {
            continue;
        };
        let selection = Selection::new(source, map, filter);
        let index = source.index;
        for (row, v) in values.iter().enumerate().take(index.rows()) {
            if !v.is_nan() && at(index, row, only) && selection.passes(index, row) {
                see(index.day[row]);
            }
        }
    }
    for_points(map, filter, &def.id, |t, day, _| {
        if only.is_none_or(|o| o == t) {
            see(day);
        }
    });
    let Some((lo, hi)) = range else {
        return Vec::new();
    };
    let first = every.start(Day(lo));
    let count = every.index(first, Day(hi)) as usize + 1;
    let bucket = |day: i32| {
        if day == UNDATED {
            MISSING
        } else {
            every.index(first, Day(day)) as u32
        }
    };
    let accs = accumulate(
        sources,
        map,
        filter,
        def,
        &[count],
        |s, row, out| {
            let index = sources[s].index;
            if at(index, row, only) {
                out[0] = bucket(index.day[row]);
            }
        },
        |t, day, out| {
            if only.is_none_or(|o| o == t) {
                out[0] = bucket(day);
            }
        },
    );
    let mut start = first;
    accs.into_iter()
        .next()
        .unwrap_or_default()
        .into_iter()
        .map(|acc| {
            let b = CustomBucket {
                start,
                value: acc.value(def.aggregation),
            };
            start = every.next(start);
            b
        })
        .collect()
}

/// `b − a` of a custom metric.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CustomDifference {
    pub delta: f64,
    /// Interval and p-value: Welch for means, two proportions (percentage
    /// points) for rates; `None` for medians and sums, or when a side is
    /// too small or without variation.
    pub test: Option<Difference>,
}

/// Both sides of a custom metric's comparison.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct CustomComparison {
    pub a: Option<CustomValue>,
    pub b: Option<CustomValue>,
    pub difference: Option<CustomDifference>,
    /// Values left out for want of a date (a split by date).
    pub undated: usize,
}

/// The difference `b − a` between two sides, tested as the aggregation
/// allows.
pub fn custom_difference(
    aggregation: Aggregation,
    a: &CustomValue,
    b: &CustomValue,
) -> CustomDifference {
    let sample = |v: &CustomValue| {
        Some(Sample {
            n: v.n,
            mean: v.mean,
            sd: v.sd?,
        })
    };
    let test = match aggregation {
        Aggregation::Mean => sample(a)
            .zip(sample(b))
            .and_then(|(a, b)| welch_difference(a, b)),
        Aggregation::Rate => proportion_difference(a.yes, a.n, b.yes, b.n),
        Aggregation::Median | Aggregation::Sum => None,
    };
    CustomDifference {
        delta: b.value - a.value,
        test,
    }
}

/// Compares the two sides of `split` for one custom metric under the
/// filter, optionally for one touchpoint. Errs like
/// [`journey_compare`](super::journey::journey_compare) when no dataset has
/// the column to split on.
pub fn custom_compare(
    sources: &[Source],
    map: &JourneyMap,
    filter: &Filter,
    def: &MetricDef,
    split: &Split,
    only: Only,
) -> Result<CustomComparison, String> {
    let sides: Vec<Option<Vec<u32>>> = match split {
        Split::At(_) => vec![None; sources.len()],
        Split::Between { column, a, b } => {
            let mut found = false;
            let mut out = Vec::new();
            for source in sources {
                let rows = source.index.rows();
                match find_column(source.data, column) {
                    Some(c) => {
                        found = true;
                        out.push(Some(between(c, rows, a, b)?));
                    }
                    None => out.push(Some(vec![MISSING; rows])),
                }
            }
            if !found {
                return Err(format!("No dataset has a column {column:?}."));
            }
            out
        }
    };
    let side_of_day = |day: i32| match split {
        Split::At(at_day) if day != UNDATED => u32::from(day >= at_day.0),
        _ => MISSING,
    };
    let undated = std::cell::Cell::new(0usize);
    let dated_split = matches!(split, Split::At(_));
    let accs = accumulate(
        sources,
        map,
        filter,
        def,
        &[2],
        |s, row, out| {
            let index = sources[s].index;
            if !at(index, row, only) {
                return;
            }
            out[0] = match &sides[s] {
                Some(side) => side.get(row).copied().unwrap_or(MISSING),
                None => side_of_day(index.day[row]),
            };
            if dated_split && index.day[row] == UNDATED {
                undated.set(undated.get() + 1);
            }
        },
        |t, day, out| {
            if only.is_some_and(|o| o != t) {
                return;
            }
            out[0] = side_of_day(day);
            if dated_split && day == UNDATED {
                undated.set(undated.get() + 1);
            }
        },
    );
    let mut sides = accs.into_iter().next().unwrap_or_default().into_iter();
    let a = sides.next().and_then(|acc| acc.value(def.aggregation));
    let b = sides.next().and_then(|acc| acc.value(def.aggregation));
    let difference = a
        .as_ref()
        .zip(b.as_ref())
        .map(|(a, b)| custom_difference(def.aggregation, a, b));
    Ok(CustomComparison {
        a,
        b,
        difference,
        undated: undated.get(),
    })
}

/// A column a custom metric can read: a number column of some dataset.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MetricColumn {
    pub name: String,
    /// Every value is 0 or 1 (yes / no): a rate fits it.
    pub yes_no: bool,
}

/// The number columns of `datasets` by header, first seen first, each
/// once.
pub fn metric_columns<'a>(datasets: impl IntoIterator<Item = &'a Dataset>) -> Vec<MetricColumn> {
    let mut out: Vec<MetricColumn> = Vec::new();
    for data in datasets {
        for c in &data.columns {
            let ColumnData::Score { values, .. } = &c.data else {
                continue;
            };
            let yes_no = values.iter().all(|v| v.is_nan() || *v == 0.0 || *v == 1.0)
                && values.iter().any(|v| !v.is_nan());
            match out.iter_mut().find(|m| m.name == c.name) {
                Some(m) => m.yes_no &= yes_no,
                None => out.push(MetricColumn {
                    name: c.name.clone(),
                    yes_no,
                }),
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analytics::{metrics, t_quantile as tq};
    use crate::import::matching::Aliases;
    use crate::import::{import, ImportOptions, Role, Scale};
    use crate::insights::journey::{ChannelLinks, RowIndex};
    use crate::model::DataPoint;

    /// As in the journey tests: stages Buy and Help, lanes Website and Live
    /// chat, touchpoints checkout (Buy, Website), chat (Help, Live chat)
    /// and faq (Help, Website); metrics on both custom columns.
    fn map() -> JourneyMap {
        let mut m = crate::insights::journey::tests::map();
        let order = m.add_metric("Order value", "Order value");
        m.metrics[0].unit = "€".into();
        let fcr = m.add_metric("FCR", "Resolved");
        let i = m.metrics.iter().position(|d| d.id == fcr).unwrap();
        m.metrics[i].aggregation = Aggregation::Rate;
        m.metrics[i].target = Some(60.0);
        assert_eq!(m.metrics[0].id, order);
        m
    }

    /// Order value: 10, 20, 30 at checkout; 5 and an empty cell for chat;
    /// 8 at faq; 100 on an unknown touchpoint; 3 undated.
    const FILE: &str = "Date,Touchpoint,Channel,Segment,Order value,Resolved\n\
        2024-01-05,checkout,web,New,10,yes\n\
        2024-01-20,checkout,web,Returning,20,no\n\
        2024-02-03,checkout,web,New,30,Yes\n\
        2024-02-10,chat,Live chat,New,5,yes\n\
        2024-03-01,chat,Live chat,Returning,,no\n\
        2024-03-02,faq,web,New,8,yes\n\
        2024-03-03,nowhere,web,New,100,no\n\
        ,,,New,3,yes\n";

    fn data() -> Dataset {
        let options = ImportOptions {
            roles: vec![("Segment".into(), Role::Segment)],
            ..ImportOptions::default()
        };
        import(FILE.as_bytes().to_vec(), options).unwrap()
    }

    fn day(s: &str) -> i32 {
        s.parse::<Day>().unwrap().0
    }

    fn close(a: f64, b: f64, tol: f64) {
        assert!((a - b).abs() < tol, "{a} vs {b}");
    }

    fn point(metric: &Id, day: &str, value: f64) -> DataPoint {
        DataPoint {
            metric: metric.clone(),
            day: day.into(),
            value,
        }
    }

    #[test]
    fn yes_no_and_number_columns_import_as_metrics() {
        let d = data();
        for name in ["Order value", "Resolved"] {
            let c = find_column(&d, name).unwrap();
            assert_eq!(c.role, Role::Metric, "{name}");
            assert!(matches!(
                c.data,
                ColumnData::Score {
                    scale: Scale::Open,
                    ..
                }
            ));
        }
        assert_eq!(
            column_values(&d, "Resolved").unwrap(),
            [1.0, 0.0, 1.0, 1.0, 0.0, 1.0, 0.0, 1.0]
        );
        let columns = metric_columns([&d]);
        assert_eq!(
            columns,
            [
                MetricColumn {
                    name: "Order value".into(),
                    yes_no: false
                },
                MetricColumn {
                    name: "Resolved".into(),
                    yes_no: true
                },
            ]
        );
    }

    #[test]
    fn figures_per_place_with_their_intervals() {
        let (mut m, d) = (map(), data());
        let index = RowIndex::new(&d, &m, &Aliases::new(), &ChannelLinks::new());
        let sources = [Source {
            data: &d,
            index: &index,
        }];
        let all = custom_metrics(&sources, &m, &Filter::default());
        let order = &all[0];
        // Checkout 10, 20, 30: mean 20, sd 10, ± t(0.975, 2) 4.302653 ·
        // 10 / √3; scipy: (-4.841377117503303, 44.8413771175033).
        let checkout = &order.touchpoints[&Id::new("t1")];
        assert_eq!((checkout.n, checkout.value), (3, 20.0));
        let [lo, hi] = checkout.ci95.unwrap();
        close(lo, -4.841377117503303, 1e-6);
        close(hi, 44.8413771175033, 1e-6);
        close(hi - 20.0, tq(0.975, 2.0) * 10.0 / 3f64.sqrt(), 1e-12);
        // The journey: 10 20 30 5 8 100 3 (the empty cell is no value).
        assert_eq!(order.overall.as_ref().unwrap().n, 7);
        // Help: chat 5 and faq 8.
        assert_eq!(order.stages[&m.stages[1].id].value, 6.5);
        // Rate: 5 yes of 8; checkout 2 of 3, Wilson as analytics has it.
        let fcr = &all[1];
        assert_eq!(fcr.overall.as_ref().unwrap().value, 62.5);
        let c = &fcr.touchpoints[&Id::new("t1")];
        close(c.value, 200.0 / 3.0, 1e-9);
        assert_eq!(c.ci95, Some(wilson(2, 3)));

        // Medians and sums, with a manual point of 12 on faq (Help, Website).
        m.metrics[0].aggregation = Aggregation::Median;
        let id = m.metrics[0].id.clone();
        m.touchpoints[2]
            .data_points
            .push(point(&id, "2024-03-10", 12.0));
        let median = custom_metric(&sources, &m, &Filter::default(), &m.metrics[0]);
        // 3 5 8 10 12 20 30 100.
        assert_eq!(median.overall.as_ref().unwrap().value, 11.0);
        assert_eq!(median.overall.as_ref().unwrap().ci95, None);
        assert_eq!(median.stages[&m.stages[1].id].value, 8.0);
        m.metrics[0].aggregation = Aggregation::Sum;
        let sum = custom_metric(&sources, &m, &Filter::default(), &m.metrics[0]);
        // Website: checkout 10 + 20 + 30, faq 8 and the point 12.
        assert_eq!(sum.channels[&m.channels[0].id].value, 80.0);
        assert_eq!(sum.channels[&m.channels[1].id].value, 5.0);
        assert_eq!(sum.touchpoints[&Id::new("t3")].value, 20.0);
        assert_eq!(sum.overall.as_ref().unwrap().value, 188.0);
    }

    #[test]
    fn manual_points_follow_dates_and_lanes_but_not_segments() {
        let (mut m, d) = (map(), data());
        let index = RowIndex::new(&d, &m, &Aliases::new(), &ChannelLinks::new());
        let sources = [Source {
            data: &d,
            index: &index,
        }];
        let id = m.metrics[0].id.clone();
        m.metrics[0].aggregation = Aggregation::Sum;
        m.touchpoints[2]
            .data_points
            .push(point(&id, "2024-03-10", 12.0));
        m.touchpoints[2]
            .data_points
            .push(point(&id, "not a day", 1000.0));
        let sum = |m: &JourneyMap, filter: Filter| {
            custom_metric(&sources, m, &filter, &m.metrics[0])
                .overall
                .map(|v| v.value)
        };
        // 176 from the file, 12 and 1000 by hand.
        assert_eq!(sum(&m, Filter::default()), Some(1188.0));
        let march = Filter {
            from: Some(day("2024-03-01")),
            to: Some(day("2024-03-31")),
            ..Filter::default()
        };
        // 8, 100 and the dated point; the undated one is left out.
        assert_eq!(sum(&m, march), Some(120.0));
        let new = Filter {
            segment: Some("new".into()),
            ..Filter::default()
        };
        // 10 30 5 8 100 3: no manual point.
        assert_eq!(sum(&m, new), Some(156.0));
        let chat = Filter {
            channel: Some(m.channels[1].id.clone()),
            ..Filter::default()
        };
        assert_eq!(sum(&m, chat), Some(5.0));
        let web = Filter {
            channel: Some(m.channels[0].id.clone()),
            ..Filter::default()
        };
        assert_eq!(sum(&m, web), Some(68.0 + 1012.0));
        // Only hand-typed values: still a figure.
        let mut empty = m.clone();
        empty.metrics[0].column = "No such column".into();
        assert_eq!(sum(&empty, Filter::default()), Some(1012.0));
    }

    #[test]
    fn the_mean_interval_is_the_one_analytics_gives_ces() {
        // The same values as a CES column and as a custom metric.
        let file = "Touchpoint,CES,Handle time\nx,5,5\nx,6,6\nx,7,7\nx,4,4\nx,3,3\n";
        let options = ImportOptions {
            roles: vec![
                ("CES".into(), Role::Ces),
                ("Handle time".into(), Role::Metric),
            ],
            ..ImportOptions::default()
        };
        let d = import(file.as_bytes().to_vec(), options).unwrap();
        let mut m = JourneyMap::new(Id::new("m"), "M", 0.0);
        m.add_metric("Handle time", "Handle time");
        let index = RowIndex::new(&d, &m, &Aliases::new(), &ChannelLinks::new());
        let sources = [Source {
            data: &d,
            index: &index,
        }];
        let v = custom_metric(&sources, &m, &Filter::default(), &m.metrics[0])
            .overall
            .unwrap();
        let ces = metrics(&d).overall.ces.unwrap();
        let ([a, b], [c, e]) = (v.ci95.unwrap(), ces.ci95.unwrap());
        close(a, c, 1e-12);
        close(b, e, 1e-12);
        // 5 ± 1.963243, as analytics' own test has it by hand.
        close(a, 3.036757, 1e-5);
        close(v.sd.unwrap(), 2.5f64.sqrt(), 1e-12);
    }

    #[test]
    fn verdicts_honour_the_direction() {
        assert_eq!(verdict(20.0, 50, Some(25.0), false), Verdict::Met);
        assert_eq!(verdict(25.0, 50, Some(25.0), false), Verdict::Met);
        assert_eq!(verdict(30.0, 50, Some(25.0), false), Verdict::Missed);
        assert_eq!(verdict(30.0, 50, Some(25.0), true), Verdict::Met);
        assert_eq!(verdict(20.0, 50, Some(25.0), true), Verdict::Missed);
        assert_eq!(verdict(20.0, 9, Some(25.0), true), Verdict::TooFew);
        assert_eq!(verdict(20.0, 9, None, true), Verdict::NoTarget);
        let def = MetricDef {
            aggregation: Aggregation::Sum,
            unit: "€".into(),
            ..MetricDef::default()
        };
        let f = CustomFigure::new(
            &def,
            &CustomValue {
                value: 1234.4,
                ci95: None,
                n: 3,
                mean: 0.0,
                sd: None,
                yes: 0,
            },
        );
        assert_eq!(f.shown(), "1234 €");
        assert_eq!(f.interval(), None);
        assert_eq!(f.no_interval(), Some("no interval for medians and sums"));
        assert!(f.few);
    }

    #[test]
    fn trends_bucket_rows_and_points() {
        let (mut m, d) = (map(), data());
        let index = RowIndex::new(&d, &m, &Aliases::new(), &ChannelLinks::new());
        let sources = [Source {
            data: &d,
            index: &index,
        }];
        let id = m.metrics[0].id.clone();
        m.touchpoints[2]
            .data_points
            .push(point(&id, "2024-03-10", 12.0));
        let trend = custom_trend(
            &sources,
            &m,
            &Filter::default(),
            &m.metrics[0],
            Every::Month,
            None,
        );
        let means: Vec<f64> = trend
            .iter()
            .map(|b| b.value.as_ref().unwrap().value)
            .collect();
        // January 10, 20; February 30, 5; March 8, 100 and 12.
        assert_eq!(means, [15.0, 17.5, 40.0]);
        assert_eq!(trend[0].start, "2024-01-01".parse().unwrap());
        let faq = custom_trend(
            &sources,
            &m,
            &Filter::default(),
            &m.metrics[0],
            Every::Week,
            Some(2),
        );
        // 2024-03-02 (a Saturday) and 2024-03-10 (the next Sunday).
        assert_eq!(faq.len(), 2);
        assert_eq!(faq[1].value.as_ref().unwrap().value, 12.0);
    }

    #[test]
    fn comparisons_test_means_and_rates_only() {
        let (mut m, d) = (map(), data());
        let index = RowIndex::new(&d, &m, &Aliases::new(), &ChannelLinks::new());
        let sources = [Source {
            data: &d,
            index: &index,
        }];
        let id = m.metrics[0].id.clone();
        m.touchpoints[2]
            .data_points
            .push(point(&id, "2024-03-10", 12.0));
        let split = Split::At("2024-02-01".parse().unwrap());
        let f = Filter::default();
        // Means: a = 10, 20; b = 30, 5, 8, 100, 12. scipy
        // ttest_ind(b, a, equal_var=False): t 0.8659408433776771,
        // p 0.42986464184322076, interval (-32.968129415981586,
        // 64.9681294159816).
        let c = custom_compare(&sources, &m, &f, &m.metrics[0], &split, None).unwrap();
        assert_eq!(c.undated, 1);
        let diff = c.difference.unwrap();
        assert_eq!(diff.delta, 16.0);
        let test = diff.test.unwrap();
        close(test.p_value, 0.42986464184322076, 1e-6);
        close(test.ci95[0], -32.968129415981586, 1e-5);
        close(test.ci95[1], 64.9681294159816, 1e-5);
        // Rates: 1 of 2 before, 3 of 5 after (the undated yes takes no
        // side).
        let c = custom_compare(&sources, &m, &f, &m.metrics[1], &split, None).unwrap();
        let diff = c.difference.unwrap();
        close(diff.delta, 10.0, 1e-9);
        assert_eq!(diff.test, proportion_difference(1, 2, 3, 5));
        // Medians: 15 before, 12 after, no test.
        m.metrics[0].aggregation = Aggregation::Median;
        let c = custom_compare(&sources, &m, &f, &m.metrics[0], &split, None).unwrap();
        assert_eq!(
            c.difference,
            Some(CustomDifference {
                delta: -3.0,
                test: None
            })
        );
        // By segment: manual points take no side.
        let by = Split::Between {
            column: "Segment".into(),
            a: "new".into(),
            b: "returning".into(),
        };
        m.metrics[0].aggregation = Aggregation::Sum;
        let c = custom_compare(&sources, &m, &f, &m.metrics[0], &by, None).unwrap();
        assert_eq!(c.a.unwrap().value, 156.0);
        assert_eq!(c.b.unwrap().value, 20.0);
        let missing = Split::Between {
            column: "Region".into(),
            a: "x".into(),
            b: "y".into(),
        };
        assert!(custom_compare(&sources, &m, &f, &m.metrics[0], &missing, None).is_err());
    }
}
