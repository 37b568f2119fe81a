//! A map's measured journey: every row of the map's datasets placed on a
//! touchpoint, a stage and a channel lane of the map, then counted under the
//! map's filter (dates, segment, channel) into the figures the map and its
//! dashboard show.
//!
//! Placing rows is done once per dataset and map ([`RowIndex`]); a filter
//! change only re-counts, which is what keeps a date filter on a 500 000-row
//! dataset interactive. Figures of a stage or a lane are computed from all
//! its answers, never averaged from its touchpoints' figures, and a map with
//! several datasets counts their answers together ([`Tally::merge`]).

use std::collections::{BTreeMap, HashMap};

use serde::{Deserialize, Serialize};

use super::compare::{differences, Differences};
use super::dates::{date_column, row_days, Day};
use super::groups::{between, find_column};
use super::trend::Every;
use crate::analytics::{tallies_by, PackedScores, Summary, Tally};
use crate::import::matching::{categories, normalise, touchpoint_of_rows, Aliases};
use crate::import::{ColumnData, Dataset, Role, Scale, MISSING};
use crate::model::{EmotionScale, Id, JourneyMap, Targets};

/// Hand-made links from a file's channel value ([`normalise`]d) to a lane
/// of the map, kept per map like touchpoint [`Aliases`].
pub type ChannelLinks = BTreeMap<String, Id>;

/// The day of a row without a usable date.
pub const UNDATED: i32 = i32::MIN;

/// Where each row of one dataset sits on one map. Indexes are into the
/// map's `touchpoints`, `stages` and `channels`; [`MISSING`] where a row
/// names none.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct RowIndex {
    pub touchpoint: Vec<u32>,
    pub stage: Vec<u32>,
    pub lane: Vec<u32>,
    /// Days since 1970-01-01 of the calendar date written in the file, or
    /// [`UNDATED`].
    pub day: Vec<i32>,
    /// Code of the row's segment value, into `segments`.
    segment: Vec<u32>,
    /// The segment column's values, [`normalise`]d.
    segments: Vec<String>,
    /// Whether the dataset has a date column at all.
    pub has_dates: bool,
    /// The dataset's scores bucketed once for every count under a filter.
    scores: PackedScores,
}

/// A file's channel value and the lane it is linked to.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ChannelMatch {
    pub value: String,
    pub rows: usize,
    pub channel: Option<Id>,
    /// Linked by hand rather than by the lane's name.
    pub by_link: bool,
}

/// The lane a file's channel value names: a hand-made link first, else the
/// lane whose name it is (ignoring case and spaces). A link to a deleted
/// lane is ignored.
fn lane_of(map: &JourneyMap, links: &ChannelLinks, value: &str) -> Option<(usize, bool)> {
    let value = normalise(value);
    if let Some(i) = links.get(&value).and_then(|id| map.channel_index(id)) {
        return Some((i, true));
    }
    map.channels
        .iter()
        .position(|c| normalise(&c.name) == value)
        .map(|i| (i, false))
}

/// Every value of the file's channel column with the lane it is linked to.
pub fn match_channels(data: &Dataset, map: &JourneyMap, links: &ChannelLinks) -> Vec<ChannelMatch> {
    let Some((codes, dictionary)) = categories(data, Role::Channel) else {
        return Vec::new();
    };
    let mut counts = vec![0usize; dictionary.len()];
    for &c in codes.iter().filter(|&&c| c != MISSING) {
        counts[c as usize] += 1;
    }
    dictionary
        .iter()
        .zip(counts)
        .map(|(value, rows)| {
            let found = lane_of(map, links, value);
            ChannelMatch {
                value: value.clone(),
                rows,
                channel: found.map(|(i, _)| map.channels[i].id.clone()),
                by_link: found.is_some_and(|(_, link)| link),
            }
        })
        .collect()
}

impl RowIndex {
    /// Places every row of `data` on `map`: its touchpoint through feedback
    /// keys and `aliases`; its lane through its channel value (linked by
    /// `links` or by the lane's name), else its touchpoint's lane; its stage
    /// through its touchpoint, else its stage value naming a stage.
    pub fn new(data: &Dataset, map: &JourneyMap, aliases: &Aliases, links: &ChannelLinks) -> Self {
        let rows = data.rows();
        let mut touchpoint = touchpoint_of_rows(data, map, aliases);
        touchpoint.resize(rows, MISSING);
        let stage_of_tp: Vec<u32> = map
            .touchpoints
            .iter()
            .map(|t| map.stage_index(&t.stage).map_or(MISSING, |i| i as u32))
            .collect();
        let lane_of_tp: Vec<u32> = map
            .touchpoints
            .iter()
            .map(|t| map.channel_index(&t.channel).map_or(MISSING, |i| i as u32))
            .collect();
        let by_tp = |table: &[u32], tp: u32| table.get(tp as usize).copied().unwrap_or(MISSING);
        let from_column = |role: Role, find: &dyn Fn(&str) -> Option<usize>| {
            let mut out = vec![MISSING; rows];
            if let Some((codes, dictionary)) = categories(data, role) {
                let target: Vec<u32> = dictionary
                    .iter()
                    .map(|v| find(v).map_or(MISSING, |i| i as u32))
                    .collect();
                for (o, &c) in out.iter_mut().zip(codes) {
                    *o = target.get(c as usize).copied().unwrap_or(MISSING);
                }
            }
            out
        };
        let mut lane = from_column(Role::Channel, &|v| lane_of(map, links, v).map(|(i, _)| i));
        let mut stage = from_column(Role::Stage, &|v| {
            let v = normalise(v);
            map.stages.iter().position(|s| normalise(&s.name) == v)
        });
        for ((l, s), &tp) in lane.iter_mut().zip(stage.iter_mut()).zip(&touchpoint) {
            if tp == MISSING {
                continue;
            }
            if *l == MISSING {
                *l = by_tp(&lane_of_tp, tp);
            }
            // The touchpoint's stage wins: a touchpoint sits in one stage.
            let from_tp = by_tp(&stage_of_tp, tp);
            if from_tp != MISSING {
                *s = from_tp;
            }
        }
        // The stored seconds keep a cell's wall-clock time unless the cell
        // stated an offset, which the dataset does not keep: such rows are
        // dated by their UTC day (the CLI, reading the file, adds it back).
        let time = date_column(data).map(|(_, t)| t);
        let mut day: Vec<i32> = match time {
            Some(t) => row_days(t)
                .into_iter()
                .map(|d| d.map_or(UNDATED, |d| d.0))
                .collect(),
            None => Vec::new(),
        };
        day.resize(rows, UNDATED);
        // Values that differ only in case or spaces ("New", "new ") are one
        // segment, as a persona's segment key matches them all.
        let mut segments: Vec<String> = Vec::new();
        let mut segment = vec![MISSING; rows];
        if let Some((codes, dictionary)) = categories(data, Role::Segment) {
            let code_of: Vec<u32> = dictionary
                .iter()
                .map(|v| {
                    let v = normalise(v);
                    let at = segments.iter().position(|s| *s == v).unwrap_or_else(|| {
                        segments.push(v);
                        segments.len() - 1
                    });
                    at as u32
                })
                .collect();
            for (s, &c) in segment.iter_mut().zip(codes) {
                *s = code_of.get(c as usize).copied().unwrap_or(MISSING);
            }
        }
        RowIndex {
            touchpoint,
            stage,
            lane,
            day,
            segment,
            segments,
            has_dates: time.is_some(),
            scores: PackedScores::of(data),
        }
    }

    pub fn rows(&self) -> usize {
        self.day.len()
    }

    /// The dataset's segment values as written in the filter (normalised).
    pub fn segments(&self) -> &[String] {
        &self.segments
    }

    /// The first and last day with a date, if any.
    pub fn date_range(&self) -> Option<(i32, i32)> {
        let mut days = self.day.iter().copied().filter(|&d| d != UNDATED);
        let first = days.next()?;
        Some(days.fold((first, first), |(lo, hi), d| (lo.min(d), hi.max(d))))
    }
}

/// What a map's figures are restricted to. Every field narrows; the
/// default lets every row through.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Filter {
    /// First and last day included (days since 1970). With either set,
    /// undated rows are left out.
    pub from: Option<i32>,
    pub to: Option<i32>,
    /// A segment value (a persona's segment key), matched ignoring case
    /// and spaces.
    pub segment: Option<String>,
    /// A lane of the map.
    pub channel: Option<Id>,
}

impl Filter {
    pub fn is_dated(&self) -> bool {
        self.from.is_some() || self.to.is_some()
    }
}

/// One dataset on the map: its rows and where they sit.
#[derive(Clone, Copy)]
pub struct Source<'a> {
    pub data: &'a Dataset,
    pub index: &'a RowIndex,
}

/// Which rows of one source a filter lets through, as a reusable test.
pub(super) struct Selection {
    from: i32,
    to: i32,
    dated: bool,
    /// Segment code wanted, `None` for any; `Some(MISSING)` when the
    /// dataset lacks the value (so no row passes).
    segment: Option<u32>,
    lane: Option<u32>,
}

impl Selection {
    pub(super) fn new(source: &Source, map: &JourneyMap, filter: &Filter) -> Self {
        let segment = filter.segment.as_ref().map(|s| {
            let s = normalise(s);
            source
                .index
                .segments
                .iter()
                .position(|v| *v == s)
                .map_or(MISSING, |i| i as u32)
        });
        let lane = filter
            .channel
            .as_ref()
            .map(|c| map.channel_index(c).map_or(MISSING - 1, |i| i as u32));
        Selection {
            from: filter.from.unwrap_or(i32::MIN + 1),
            to: filter.to.unwrap_or(i32::MAX),
            dated: filter.is_dated(),
            segment,
            lane,
        }
    }

    pub(super) fn passes(&self, index: &RowIndex, row: usize) -> bool {
        let day = index.day[row];
        if self.dated && (day == UNDATED || day < self.from || day > self.to) {
            return false;
        }
        if let Some(s) = self.segment {
            if index.segment[row] != s || s == MISSING {
                return false;
            }
        }
        if let Some(l) = self.lane {
            if index.lane[row] != l {
                return false;
            }
        }
        true
    }
}

/// Tallies of the rows a filter lets through, in groups the caller names
/// per row; the building block of every figure on the map and dashboard.
#[derive(Clone, Debug)]
pub struct Tallies {
    pub groups: Vec<Tally>,
    /// The first dataset's CSAT scale: good/bad ratings have no mean.
    pub csat_scale: Scale,
}

impl Tallies {
    pub fn summary(&self, group: usize) -> Summary {
        self.groups
            .get(group)
            .map(|t| t.summary(self.csat_scale))
            .unwrap_or_default()
    }
}

/// Counts the rows of `sources` that `filter` lets through in several
/// groupings at once: `group_of(source, row, out)` writes a row's group in
/// each grouping into `out` (one slot per entry of `groups`, [`MISSING`]
/// for none).
pub fn tally_groups(
    sources: &[Source],
    map: &JourneyMap,
    filter: &Filter,
    groups: &[usize],
    group_of: impl Fn(usize, usize, &mut [u32]),
) -> Vec<Tallies> {
    let mut out: Vec<Tallies> = groups
        .iter()
        .map(|&g| Tallies {
            groups: vec![Tally::default(); g],
            csat_scale: Scale::Csat5,
        })
        .collect();
    let mut scale = None;
    for (s, source) in sources.iter().enumerate() {
        let selection = Selection::new(source, map, filter);
        let rows = source.index.rows().min(source.data.rows());
        let mut vectors = vec![vec![MISSING; rows]; groups.len()];
        let mut slot = vec![MISSING; groups.len()];
        for row in 0..rows {
            if !selection.passes(source.index, row) {
                continue;
            }
            slot.fill(MISSING);
            group_of(s, row, &mut slot);
            for (v, &g) in vectors.iter_mut().zip(&slot) {
                v[row] = g;
            }
        }
        let groupings: Vec<(&[u32], usize)> = vectors
            .iter()
            .zip(groups)
            .map(|(v, &g)| (v.as_slice(), g))
            .collect();
        let (tallies, csat_scale) = tallies_by(source.data, &source.index.scores, &groupings);
        if source.data.column(Role::Csat).is_some() {
            scale.get_or_insert(csat_scale);
        }
        for (into, from) in out.iter_mut().zip(tallies) {
            for (a, b) in into.groups.iter_mut().zip(&from) {
                a.merge(b);
            }
        }
    }
    for t in &mut out {
        t.csat_scale = scale.unwrap_or(Scale::Csat5);
    }
    out
}

/// How many rows the figures rest on.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct RowCounts {
    /// All rows of the datasets.
    pub total: usize,
    /// Rows the filter lets through.
    pub selected: usize,
    /// Of those, rows linked to a touchpoint of the map.
    pub linked: usize,
    /// Rows without a usable date (left out by a date filter).
    pub undated: usize,
}

/// NPS, CSAT and CES of the whole journey and of each touchpoint, stage and
/// lane with answers under the filter.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct JourneyMetrics {
    pub overall: Summary,
    pub touchpoints: HashMap<Id, Summary>,
    pub stages: HashMap<Id, Summary>,
    pub channels: HashMap<Id, Summary>,
    pub counts: RowCounts,
}

fn non_empty(s: &Summary) -> bool {
    s.nps.is_some() || s.csat.is_some() || s.ces.is_some()
}

pub fn journey_metrics(sources: &[Source], map: &JourneyMap, filter: &Filter) -> JourneyMetrics {
    let (t, s, c) = (map.touchpoints.len(), map.stages.len(), map.channels.len());
    let tallies = tally_groups(sources, map, filter, &[1, t, s, c], |src, row, out| {
        let index = sources[src].index;
        out[0] = 0;
        out[1] = index.touchpoint[row];
        out[2] = index.stage[row];
        out[3] = index.lane[row];
    });
    let keyed = |tallies: &Tallies, ids: Vec<&Id>| {
        ids.into_iter()
            .enumerate()
            .map(|(i, id)| (id.clone(), tallies.summary(i)))
            .filter(|(_, s)| non_empty(s))
            .collect::<HashMap<_, _>>()
    };
    let mut counts = RowCounts::default();
    for source in sources {
        let selection = Selection::new(source, map, filter);
        let index = source.index;
        counts.total += index.rows();
        for row in 0..index.rows() {
            counts.undated += usize::from(index.day[row] == UNDATED);
            if selection.passes(index, row) {
                counts.selected += 1;
                counts.linked += usize::from(index.touchpoint[row] != MISSING);
            }
        }
    }
    JourneyMetrics {
        overall: tallies[0].summary(0),
        touchpoints: keyed(&tallies[1], map.touchpoints.iter().map(|x| &x.id).collect()),
        stages: keyed(&tallies[2], map.stages.iter().map(|x| &x.id).collect()),
        channels: keyed(&tallies[3], map.channels.iter().map(|x| &x.id).collect()),
        counts,
    }
}

/// Which score a measured emotion is made from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Basis {
    Nps,
    Csat,
    Ces,
}

impl Basis {
    /// How the score is put on the emotion scale, for the UI and README.
    pub fn explain(self) -> &'static str {
        match self {
            Basis::Nps => "NPS from −100 to +100, placed linearly on the emotion scale (−100 at its lowest, 0 in the middle, +100 at its highest)",
            Basis::Csat => "CSAT from 0 % to 100 % satisfied, placed linearly on the emotion scale (0 % at its lowest, 100 % at its highest)",
            Basis::Ces => "CES mean from 1 to 7, placed linearly on the emotion scale (1 at its lowest, 7 at its highest)",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Basis::Nps => "NPS",
            Basis::Csat => "CSAT",
            Basis::Ces => "CES",
        }
    }
}

/// A stage's measured score put on the map's emotion scale.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct MeasuredEmotion {
    pub value: f64,
    /// The 95 % interval, rescaled the same way.
    pub band: [f64; 2],
    pub n: usize,
}

/// The score, its interval and n that `basis` reads from a summary, with
/// the score's range.
fn basis_value(s: &Summary, basis: Basis) -> Option<(f64, [f64; 2], usize, [f64; 2])> {
    match basis {
        Basis::Nps => s
            .nps
            .as_ref()
            .map(|n| (n.score, n.ci95, n.n, [-100.0, 100.0])),
        Basis::Csat => s
            .csat
            .as_ref()
            .map(|c| (c.percent, c.ci95, c.n, [0.0, 100.0])),
        Basis::Ces => s
            .ces
            .as_ref()
            .map(|c| (c.mean, c.ci95.unwrap_or([c.mean, c.mean]), c.n, [1.0, 7.0])),
    }
}

/// The measured emotion of each stage, in map order: one score for the
/// whole map (NPS where any stage has it, else CSAT, else CES), so the
/// curve never mixes scales; a stage without it is `None` (a gap, not a
/// zero).
pub fn measured_emotion(
    map: &JourneyMap,
    stages: &HashMap<Id, Summary>,
) -> (Option<Basis>, Vec<Option<MeasuredEmotion>>) {
    let basis = [Basis::Nps, Basis::Csat, Basis::Ces]
        .into_iter()
        .find(|&b| stages.values().any(|s| basis_value(s, b).is_some()));
    let points = map
        .stages
        .iter()
        .map(|stage| {
            let (value, ci, n, range) = basis_value(stages.get(&stage.id)?, basis?)?;
            let put = |v: f64| rescale(v, range, &map.emotion_scale);
            Some(MeasuredEmotion {
                value: put(value),
                band: [put(ci[0]), put(ci[1])],
                n,
            })
        })
        .collect();
    (basis, points)
}

/// `v` from `range` onto the emotion scale, linearly, clamped to it.
pub fn rescale(v: f64, [lo, hi]: [f64; 2], scale: &EmotionScale) -> f64 {
    let (min, max) = (f64::from(scale.min), f64::from(scale.max));
    let t = ((v - lo) / (hi - lo)).clamp(0.0, 1.0);
    min + t * (max - min)
}

/// Below this many answers a figure gets no met / missed verdict: its
/// interval is too wide to say.
pub const MIN_VERDICT_N: usize = 10;
/// Below this many answers a figure is flagged as resting on few answers.
pub const FEW_ANSWERS: usize = 30;

/// How a measured figure stands against its target.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    Met,
    Missed,
    TooFew,
    /// No target set.
    NoTarget,
}

impl Verdict {
    /// Higher is better for NPS, CSAT and CES (CES as the 1–7 "easy"
    /// agreement scale the import reads).
    pub fn of(value: f64, n: usize, target: Option<f64>) -> Verdict {
        match target {
            None => Verdict::NoTarget,
            Some(_) if n < MIN_VERDICT_N => Verdict::TooFew,
            Some(t) if value >= t => Verdict::Met,
            Some(_) => Verdict::Missed,
        }
    }

    /// The mark shown next to a figure, with its word for screen readers.
    pub fn glyph(self) -> &'static str {
        match self {
            Verdict::Met => "✓",
            Verdict::Missed => "✗",
            Verdict::TooFew => "?",
            Verdict::NoTarget => "",
        }
    }

    pub fn word(self) -> &'static str {
        match self {
            Verdict::Met => "met",
            Verdict::Missed => "missed",
            Verdict::TooFew => "too few answers",
            Verdict::NoTarget => "no target",
        }
    }
}

/// One figure of a card or roll-up, ready to show.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Figure {
    pub metric: Basis,
    pub value: f64,
    pub ci95: Option<[f64; 2]>,
    pub n: usize,
    pub target: Option<f64>,
    pub verdict: Verdict,
    pub few: bool,
}

impl Figure {
    /// The value as a card shows it: NPS and CSAT % whole-ish, CES to two
    /// decimals.
    pub fn shown(&self) -> String {
        match self.metric {
            Basis::Nps => format!("{:+.0}", self.value),
            Basis::Csat => format!("{:.0} %", self.value),
            Basis::Ces => format!("{:.2}", self.value),
        }
    }

    pub fn interval(&self) -> Option<String> {
        let [lo, hi] = self.ci95?;
        Some(match self.metric {
            Basis::Ces => format!("{lo:.2} to {hi:.2}"),
            _ => format!("{lo:.0} to {hi:.0}"),
        })
    }
}

/// The figures of a summary against targets, NPS, CSAT, CES in that order.
pub fn figures(s: &Summary, targets: &Targets) -> Vec<Figure> {
    let mut out = Vec::new();
    let mut push = |metric, value: f64, ci95, n, target| {
        out.push(Figure {
            metric,
            value,
            ci95,
            n,
            target,
            verdict: Verdict::of(value, n, target),
            few: n < FEW_ANSWERS,
        })
    };
    if let Some(x) = &s.nps {
        push(Basis::Nps, x.score, Some(x.ci95), x.n, targets.nps);
    }
    if let Some(x) = &s.csat {
        push(Basis::Csat, x.percent, Some(x.ci95), x.n, targets.csat);
    }
    if let Some(x) = &s.ces {
        push(Basis::Ces, x.mean, x.ci95, x.n, targets.ces);
    }
    out
}

/// Counts of each whole answer of the first NPS (0–10), CSAT and CES
/// columns among the rows the filter lets through: the dashboard's
/// distributions. Index = the answer.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct AnswerCounts {
    pub nps: Vec<u64>,
    pub csat: Vec<u64>,
    pub ces: Vec<u64>,
    pub csat_scale: Option<Scale>,
}

pub fn answer_counts(sources: &[Source], map: &JourneyMap, filter: &Filter) -> AnswerCounts {
    let mut out = AnswerCounts {
        nps: vec![0; 11],
        csat: vec![0; 6],
        ces: vec![0; 8],
        csat_scale: None,
    };
    for source in sources {
        let selection = Selection::new(source, map, filter);
        for (role, counts) in [
            (Role::Nps, &mut out.nps),
            (Role::Csat, &mut out.csat),
            (Role::Ces, &mut out.ces),
        ] {
            let Some(ColumnData::Score { values, scale }) =
                source.data.column(role).map(|c| &c.data)
            else {
                continue;
            };
            if role == Role::Csat {
                out.csat_scale.get_or_insert(*scale);
            }
            for (row, &v) in values.iter().enumerate().take(source.index.rows()) {
                if v.is_nan() || v.fract() != 0.0 || v < 0.0 || !selection.passes(source.index, row)
                {
                    continue;
                }
                if let Some(c) = counts.get_mut(v as usize) {
                    *c += 1;
                }
            }
        }
    }
    out
}

/// Rows per lane (outer) and stage (inner) under the filter: where the
/// answers come from.
pub fn answers_by_cell(sources: &[Source], map: &JourneyMap, filter: &Filter) -> Vec<Vec<u64>> {
    let (stages, lanes) = (map.stages.len(), map.channels.len());
    let mut cells = vec![vec![0u64; stages]; lanes];
    for source in sources {
        let selection = Selection::new(source, map, filter);
        let index = source.index;
        for row in 0..index.rows() {
            let (l, s) = (index.lane[row] as usize, index.stage[row] as usize);
            if l < lanes && s < stages && selection.passes(index, row) {
                cells[l][s] += 1;
            }
        }
    }
    cells
}

/// Restricts a figure to one touchpoint of the map (by index), or not.
pub type Only = Option<usize>;

pub(super) fn at(index: &RowIndex, row: usize, only: Only) -> bool {
    only.is_none_or(|t| index.touchpoint[row] as usize == t)
}

/// One bucket of a trend: its first day and the figures of its answers.
#[derive(Clone, Debug, PartialEq)]
pub struct TrendBucket {
    pub start: Day,
    pub summary: Summary,
}

/// The figures per week or month under the filter, from the bucket of the
/// first dated answer to that of the last, empty buckets included (so a
/// chart shows a gap, not a join); optionally for one touchpoint.
pub fn journey_trend(
    sources: &[Source],
    map: &JourneyMap,
    filter: &Filter,
    every: Every,
    only: Only,
) -> Vec<TrendBucket> {
    let mut range: Option<(i32, i32)> = None;
    for source in sources {
        let selection = Selection::new(source, map, filter);
        let index = source.index;
        for row in 0..index.rows() {
            let d = index.day[row];
            if d != UNDATED && at(index, row, only) && selection.passes(index, row) {
                range = Some(range.map_or((d, d), |(lo, hi)| (lo.min(d), hi.max(d))));
            }
        }
    }
    let Some((lo, hi)) = range else {
        return Vec::new();
    };
    let first = every.start(Day(lo));
    let count = every.index(first, Day(hi)) as usize + 1;
    // A row's bucket from a table of the days in range: working it out
    // from the calendar for each of 500 000 rows took most of a trend.
    let bucket: Vec<u32> = (lo..=hi)
        .map(|d| every.index(first, Day(d)) as u32)
        .collect();
    let tallies = tally_groups(sources, map, filter, &[count], |s, row, out| {
        let index = sources[s].index;
        let d = index.day[row];
        if d != UNDATED && at(index, row, only) {
            if let Some(&b) = usize::try_from(d - lo).ok().and_then(|i| bucket.get(i)) {
                out[0] = b;
            }
        }
    });
    let mut start = first;
    (0..count)
        .map(|i| {
            let bucket = TrendBucket {
                start,
                summary: tallies[0].summary(i),
            };
            start = every.next(start);
            bucket
        })
        .collect()
}

/// How rows are split into the two sides of a comparison.
#[derive(Clone, Debug, PartialEq)]
pub enum Split {
    /// Before the day, and on or after it; undated rows take no side.
    At(Day),
    /// Rows whose column (by header) holds `a`, and those holding `b`.
    Between {
        column: String,
        a: String,
        b: String,
    },
}

/// Both sides of a comparison and their differences (b − a).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct JourneyComparison {
    pub a: Summary,
    pub b: Summary,
    pub differences: Differences,
    /// Rows left out for want of a date (a split by date).
    pub undated: usize,
}

/// Compares the two sides of `split` under the filter, optionally for one
/// touchpoint. Errs when a dataset lacks the column to split on, or its
/// values cannot be read for the column's kind.
pub fn journey_compare(
    sources: &[Source],
    map: &JourneyMap,
    filter: &Filter,
    split: &Split,
    only: Only,
) -> Result<JourneyComparison, String> {
    let sides: Vec<Option<Vec<u32>>> = match split {
        Split::At(_) => vec![None; sources.len()],
        Split::Between { column, a, b } => {
            let mut found = false;
            let mut out = Vec::new();
            for source in sources {
                match find_column(source.data, column) {
                    Some(c) => {
                        found = true;
                        out.push(Some(between(c, source.index.rows(), a, b)?));
                    }
                    None => out.push(Some(vec![MISSING; source.index.rows()])),
                }
            }
            if !found {
                return Err(format!("No dataset has a column {column:?}."));
            }
            out
        }
    };
    let mut undated = 0;
    if let Split::At(_) = split {
        for source in sources {
            let selection = Selection::new(source, map, filter);
            let index = source.index;
            undated += (0..index.rows())
                .filter(|&r| {
                    index.day[r] == UNDATED && at(index, r, only) && selection.passes(index, r)
                })
                .count();
        }
    }
    let tallies = tally_groups(sources, map, filter, &[2], |s, row, out| {
        let index = sources[s].index;
        if !at(index, row, only) {
            return;
        }
        out[0] = match (split, &sides[s]) {
            (Split::At(day), _) => match index.day[row] {
                UNDATED => MISSING,
                d if d < day.0 => 0,
                _ => 1,
            },
            (_, Some(side)) => side.get(row).copied().unwrap_or(MISSING),
            _ => MISSING,
        };
    });
    let (a, b) = (tallies[0].summary(0), tallies[0].summary(1));
    Ok(JourneyComparison {
        differences: differences(&a, &b),
        a,
        b,
        undated,
    })
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::import::{import, ImportOptions};
    use crate::model::{ChannelKind, Touchpoint};

    /// Two stages, two lanes, three touchpoints keyed `checkout`, `chat`,
    /// `faq`; the file below has 8 rows, two of them unlinked. Custom
    /// metrics' tests build on it.
    pub(crate) fn map() -> JourneyMap {
        let mut m = JourneyMap::new(Id::new("m"), "Test", 0.0);
        let buy = m.add_stage("Buy");
        let help = m.add_stage("Help");
        let web = m.add_channel("Website", ChannelKind::Digital);
        let chat = m.add_channel("Live chat", ChannelKind::Human);
        for (id, stage, lane, key) in [
            ("t1", &buy, &web, "checkout"),
            ("t2", &help, &chat, "chat"),
            ("t3", &help, &web, "faq"),
        ] {
            m.touchpoints.push(Touchpoint {
                id: Id::new(id),
                stage: stage.clone(),
                channel: lane.clone(),
                name: id.into(),
                feedback_key: key.into(),
                ..Touchpoint::default()
            });
        }
        m
    }

    const FILE: &str = "Date,Touchpoint,Channel,Segment,NPS,CSAT\n\
        2024-01-05,checkout,web,New,10,5\n\
        2024-01-20,checkout,WEB,Returning,0,2\n\
        2024-02-03,Checkout,app,new,9,4\n\
        2024-02-10,chat,Live chat,New,6,3\n\
        2024-03-01,chat,,Returning,8,4\n\
        2024-03-02,faq,web,New,7,5\n\
        2024-03-03,nowhere,web,New,10,5\n\
        ,,,New,3,1\n";

    fn data() -> Dataset {
        let options = ImportOptions {
            roles: vec![("Segment".into(), Role::Segment)],
            ..ImportOptions::default()
        };
        import(FILE.as_bytes().to_vec(), options).unwrap()
    }

    fn day(s: &str) -> i32 {
        let (y, m, d) = (&s[0..4], &s[5..7], &s[8..10]);
        crate::import::dates::days_from_civil(
            y.parse().unwrap(),
            m.parse().unwrap(),
            d.parse().unwrap(),
        )
        .unwrap() as i32
    }

    #[test]
    fn rows_are_placed_on_touchpoints_stages_and_lanes() {
        let (m, d) = (map(), data());
        let links = ChannelLinks::from([("web".into(), m.channels[0].id.clone())]);
        let index = RowIndex::new(&d, &m, &Aliases::new(), &links);
        assert_eq!(index.touchpoint, [0, 0, 0, 1, 1, 2, MISSING, MISSING]);
        assert_eq!(index.stage, [0, 0, 0, 1, 1, 1, MISSING, MISSING]);
        // "app" names no lane: the row takes its touchpoint's; "Live chat"
        // is a lane's name; the unlinked row keeps its linked channel.
        assert_eq!(index.lane, [0, 0, 0, 1, 1, 0, 0, MISSING]);
        assert_eq!(index.day[0], day("2024-01-05"));
        assert_eq!(index.day[7], UNDATED);
        assert_eq!(
            index.date_range(),
            Some((day("2024-01-05"), day("2024-03-03")))
        );
        let matches = match_channels(&d, &m, &links);
        let web = matches.iter().find(|c| c.value == "web").unwrap();
        assert!(web.by_link && web.channel == Some(m.channels[0].id.clone()));
        let app = matches.iter().find(|c| c.value == "app").unwrap();
        assert_eq!(app.channel, None);
    }

    #[test]
    fn roll_ups_count_every_answer_and_follow_the_filter() {
        let (m, d) = (map(), data());
        let index = RowIndex::new(&d, &m, &Aliases::new(), &ChannelLinks::new());
        let sources = [Source {
            data: &d,
            index: &index,
        }];
        let all = journey_metrics(&sources, &m, &Filter::default());
        assert_eq!(all.overall.nps.as_ref().unwrap().n, 8);
        let checkout = all.touchpoints[&Id::new("t1")].nps.clone().unwrap();
        // 10, 0, 9: two promoters, one detractor.
        assert_eq!(
            (checkout.n, checkout.promoters, checkout.detractors),
            (3, 2, 1)
        );
        // Stage Help: chat 6, 8 and faq 7 — one detractor of three, by
        // hand -33.3, not the mean of the touchpoints' -100 and 0.
        let help = all.stages[&m.stages[1].id].nps.clone().unwrap();
        assert_eq!(help.n, 3);
        assert!((help.score - (-100.0 / 3.0)).abs() < 1e-9);
        assert_eq!(
            all.counts,
            RowCounts {
                total: 8,
                selected: 8,
                linked: 6,
                undated: 1
            }
        );

        let february = Filter {
            from: Some(day("2024-02-01")),
            to: Some(day("2024-02-29")),
            ..Filter::default()
        };
        let feb = journey_metrics(&sources, &m, &february);
        assert_eq!(feb.overall.nps.as_ref().unwrap().n, 2);
        assert_eq!(feb.counts.selected, 2);
        assert!(!feb.touchpoints.contains_key(&Id::new("t3")));

        let new = Filter {
            segment: Some(" NEW ".into()),
            ..Filter::default()
        };
        assert_eq!(journey_metrics(&sources, &m, &new).counts.selected, 6);
        let chat_lane = Filter {
            channel: Some(m.channels[1].id.clone()),
            ..Filter::default()
        };
        let chat = journey_metrics(&sources, &m, &chat_lane);
        assert_eq!(chat.counts.selected, 2);
        let nobody = Filter {
            segment: Some("vip".into()),
            ..Filter::default()
        };
        let none = journey_metrics(&sources, &m, &nobody);
        assert_eq!((none.counts.selected, none.overall.nps.clone()), (0, None));
    }

    #[test]
    fn two_datasets_count_as_one() {
        let (m, d) = (map(), data());
        let index = RowIndex::new(&d, &m, &Aliases::new(), &ChannelLinks::new());
        let one = Source {
            data: &d,
            index: &index,
        };
        let twice = journey_metrics(&[one, one], &m, &Filter::default());
        let checkout = twice.touchpoints[&Id::new("t1")].nps.clone().unwrap();
        assert_eq!(
            (checkout.n, checkout.promoters, checkout.detractors),
            (6, 4, 2)
        );
        assert_eq!(twice.counts.total, 16);
    }

    #[test]
    fn measured_emotion_rescales_and_leaves_gaps() {
        let (mut m, d) = (map(), data());
        m.add_stage("After");
        let index = RowIndex::new(&d, &m, &Aliases::new(), &ChannelLinks::new());
        let metrics = journey_metrics(
            &[Source {
                data: &d,
                index: &index,
            }],
            &m,
            &Filter::default(),
        );
        let (basis, points) = measured_emotion(&m, &metrics.stages);
        assert_eq!(basis, Some(Basis::Nps));
        assert_eq!(points.len(), 3);
        // Buy: NPS 100/3 on the default −2..2 scale: −2 + (133.3/200)·4.
        let buy = points[0].as_ref().unwrap();
        assert!((buy.value - (-2.0 + (100.0 / 3.0 + 100.0) / 200.0 * 4.0)).abs() < 1e-9);
        assert!(buy.band[0] <= buy.value && buy.value <= buy.band[1]);
        assert!(points[2].is_none(), "a stage without data is a gap");
    }

    #[test]
    fn verdicts_need_enough_answers() {
        assert_eq!(Verdict::of(40.0, 50, Some(30.0)), Verdict::Met);
        assert_eq!(Verdict::of(20.0, 50, Some(30.0)), Verdict::Missed);
        assert_eq!(Verdict::of(20.0, 5, Some(30.0)), Verdict::TooFew);
        assert_eq!(Verdict::of(20.0, 5, None), Verdict::NoTarget);
    }

    #[test]
    fn answers_are_counted_per_value_and_cell() {
        let (m, d) = (map(), data());
        let index = RowIndex::new(&d, &m, &Aliases::new(), &ChannelLinks::new());
        let sources = [Source {
            data: &d,
            index: &index,
        }];
        let counts = answer_counts(&sources, &m, &Filter::default());
        assert_eq!(counts.nps.iter().sum::<u64>(), 8);
        assert_eq!(counts.nps[10], 2);
        assert_eq!(counts.csat[5], 3);
        let cells = answers_by_cell(&sources, &m, &Filter::default());
        assert_eq!(cells, vec![vec![3, 1], vec![0, 2]]);
    }
}
