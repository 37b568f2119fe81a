//! Feedback statistics with the intervals practitioners use, so a map can
//! say not just "NPS 32" but how sure that is with 40 responses.
//!
//! - NPS: % promoters (9–10) − % detractors (0–6); 95 % interval by the
//!   adjusted Wald method (Rocks 2016, as used by MeasuringU), which stays
//!   sensible for small samples and extreme scores.
//! - CSAT (1–5): top-2-box % (4–5) with a Wilson interval, plus the mean;
//!   Zendesk good/bad: good ÷ (good + bad), also with Wilson, no mean.
//! - CES (1–7): mean with a Student-t interval, plus % agree (5–7).

use std::borrow::Cow;
use std::collections::BTreeMap;

use serde::Serialize;

use crate::import::{ColumnData, Dataset, Role, Scale};

/// Two-sided 95 % normal quantile.
const Z95: f64 = 1.959_963_984_540_054;

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Nps {
    pub n: usize,
    pub score: f64,
    pub promoters: usize,
    pub passives: usize,
    pub detractors: usize,
    pub ci95: [f64; 2],
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Csat {
    pub n: usize,
    /// Top-2-box share (or share of "good"), 0–100.
    pub percent: f64,
    /// `None` for good/bad ratings, which have no scale to average.
    pub mean: Option<f64>,
    pub ci95: [f64; 2],
    /// Sample standard deviation of the answers (n − 1); `None` for
    /// good/bad ratings and a single answer.
    pub sd: Option<f64>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Ces {
    pub n: usize,
    pub mean: f64,
    pub percent_agree: f64,
    /// `None` with a single response: no spread, no interval.
    pub ci95: Option<[f64; 2]>,
    /// Sample standard deviation (n − 1); `None` with a single response.
    pub sd: Option<f64>,
}

/// What applies of NPS, CSAT and CES to a set of rows.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Summary {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub nps: Option<Nps>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub csat: Option<Csat>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ces: Option<Ces>,
}

/// Metrics overall and per value of each grouping column; groups are keyed
/// by the value as it appears in the file (a touchpoint's feedback key).
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Metrics {
    pub overall: Summary,
    pub by_touchpoint: BTreeMap<String, Summary>,
    pub by_channel: BTreeMap<String, Summary>,
    pub by_stage: BTreeMap<String, Summary>,
    pub by_segment: BTreeMap<String, Summary>,
}

/// NPS from category counts; `None` without responses.
pub fn nps(promoters: usize, passives: usize, detractors: usize) -> Option<Nps> {
    let n = promoters + passives + detractors;
    if n == 0 {
        return None;
    }
    let score = (promoters as f64 - detractors as f64) / n as f64 * 100.0;
    let adj_n = n as f64 + 3.0;
    let p = (promoters as f64 + 0.75) / adj_n;
    let d = (detractors as f64 + 0.75) / adj_n;
    let adjusted = p - d;
    let se = ((p + d - adjusted * adjusted) / adj_n).sqrt();
    let bound = |x: f64| (x * 100.0).clamp(-100.0, 100.0);
    Some(Nps {
        n,
        score,
        promoters,
        passives,
        detractors,
        ci95: [bound(adjusted - Z95 * se), bound(adjusted + Z95 * se)],
    })
}

/// Wilson score interval for `k` successes in `n`, as percentages.
pub fn wilson(k: usize, n: usize) -> [f64; 2] {
    let (k, n) = (k as f64, n as f64);
    let p = k / n;
    let z2 = Z95 * Z95;
    let denom = 1.0 + z2 / n;
    let centre = (p + z2 / (2.0 * n)) / denom;
    let half = Z95 * (p * (1.0 - p) / n + z2 / (4.0 * n * n)).sqrt() / denom;
    [
        ((centre - half) * 100.0).max(0.0),
        ((centre + half) * 100.0).min(100.0),
    ]
}

/// Quantile of Student's t distribution with `df` degrees of freedom, found
/// by bisection on the exact CDF. The normal 1.96 would understate the
/// interval badly for the handful of responses a single touchpoint often has
/// (t = 12.71 at df = 1, 2.78 at df = 4).
pub fn t_quantile(p: f64, df: f64) -> f64 {
    assert!(
        p > 0.0 && p < 1.0 && df > 0.0,
        "t_quantile needs 0 < p < 1 and df > 0"
    );
    if p < 0.5 {
        return -t_quantile(1.0 - p, df);
    }
    let mut hi = 1.0;
    while t_cdf(hi, df) < p {
        hi *= 2.0;
    }
    let mut lo = 0.0;
    for _ in 0..200 {
        let mid = 0.5 * (lo + hi);
        if t_cdf(mid, df) < p {
            lo = mid;
        } else {
            hi = mid;
        }
        if hi - lo <= 1e-13 * hi {
            break;
        }
    }
    0.5 * (lo + hi)
}

/// P(T ≤ t) for Student's t distribution with `df` degrees of freedom,
/// from the regularized incomplete beta function.
pub fn t_cdf(t: f64, df: f64) -> f64 {
    let tail = 0.5 * incomplete_beta(df / 2.0, 0.5, df / (df + t * t));
    if t >= 0.0 {
        1.0 - tail
    } else {
        tail
    }
}

/// Regularized incomplete beta I_x(a, b) by Lentz's continued fraction.
fn incomplete_beta(a: f64, b: f64, x: f64) -> f64 {
    if x <= 0.0 {
        return 0.0;
    }
    if x >= 1.0 {
        return 1.0;
    }
    let front =
        (ln_gamma(a + b) - ln_gamma(a) - ln_gamma(b) + a * x.ln() + b * (1.0 - x).ln()).exp();
    if x < (a + 1.0) / (a + b + 2.0) {
        front * beta_fraction(a, b, x) / a
    } else {
        1.0 - front * beta_fraction(b, a, 1.0 - x) / b
    }
}

fn beta_fraction(a: f64, b: f64, x: f64) -> f64 {
    const TINY: f64 = 1e-300;
    let mut c = 1.0;
    let mut d = 1.0 - (a + b) * x / (a + 1.0);
    if d.abs() < TINY {
        d = TINY;
    }
    d = 1.0 / d;
    let mut h = d;
    for m in 1..500 {
        let m = m as f64;
        let even = m * (b - m) * x / ((a + 2.0 * m - 1.0) * (a + 2.0 * m));
        for coefficient in [
            even,
            -(a + m) * (a + b + m) * x / ((a + 2.0 * m) * (a + 2.0 * m + 1.0)),
        ] {
            d = 1.0 + coefficient * d;
            if d.abs() < TINY {
                d = TINY;
            }
            c = 1.0 + coefficient / c;
            if c.abs() < TINY {
                c = TINY;
            }
            d = 1.0 / d;
            h *= d * c;
        }
        if (d * c - 1.0).abs() < 1e-15 {
            break;
        }
    }
    h
}

/// ln Γ(x) by the Lanczos approximation (g = 7, n = 9), accurate to ~1e-15.
fn ln_gamma(x: f64) -> f64 {
    const G: [f64; 9] = [
        0.999_999_999_999_809_9,
        676.520_368_121_885_1,
        -1_259.139_216_722_402_8,
        771.323_428_777_653_1,
        -176.615_029_162_140_6,
        12.507_343_278_686_905,
        -0.138_571_095_265_720_12,
        9.984_369_578_019_572e-6,
        1.505_632_735_149_311_6e-7,
    ];
    if x < 0.5 {
        return (std::f64::consts::PI / (std::f64::consts::PI * x).sin()).ln() - ln_gamma(1.0 - x);
    }
    let x = x - 1.0;
    let t = x + 7.5;
    let sum = G[1..]
        .iter()
        .enumerate()
        .fold(G[0], |acc, (i, g)| acc + g / (x + i as f64 + 1.0));
    0.5 * (2.0 * std::f64::consts::PI).ln() + (x + 0.5) * t.ln() - t + sum.ln()
}

/// Running sums for one group, cheap enough to keep one per category value.
/// Tallies of the same group from several datasets add up ([`Tally::merge`])
/// to the tally of all their answers, which is how a map with more than one
/// export gets one figure per touchpoint rather than an average of averages.
#[derive(Clone, Debug, Default)]
pub struct Tally {
    nps: [usize; 3],
    csat_n: usize,
    csat_top: usize,
    csat_sum: f64,
    /// Sum of the squared answers, for their standard deviation.
    csat_squares: f64,
    ces_n: usize,
    /// Sums of `v - CES_PIVOT` and of its square.
    ces_sum: f64,
    ces_squares: f64,
    ces_agree: usize,
}

/// The middle of the 1–7 CES scale. Sums taken around it stay small, so
/// the variance from them is exact to far more digits than a CI shows,
/// and they can be taken from counts of each answer, which Welford's
/// running mean cannot.
const CES_PIVOT: f64 = 4.0;

impl Tally {
    /// Adds another tally's answers to this one. Every field is named, so a
    /// field added to `Tally` cannot be forgotten here.
    pub fn merge(&mut self, other: &Tally) {
        let Tally {
            nps,
            csat_n,
            csat_top,
            csat_sum,
            csat_squares,
            ces_n,
            ces_sum,
            ces_squares,
            ces_agree,
        } = other;
        for (mine, theirs) in self.nps.iter_mut().zip(nps) {
            *mine += theirs;
        }
        self.csat_n += csat_n;
        self.csat_top += csat_top;
        self.csat_sum += csat_sum;
        self.csat_squares += csat_squares;
        self.ces_n += ces_n;
        self.ces_sum += ces_sum;
        self.ces_squares += ces_squares;
        self.ces_agree += ces_agree;
    }

    /// `n` answers of `v` each, here and in the two below.
    fn add_nps(&mut self, v: f32, n: usize) {
        let bucket = match v {
            v if v >= 9.0 => 0,
            v if v >= 7.0 => 1,
            _ => 2,
        };
        self.nps[bucket] += n;
    }

    fn add_csat(&mut self, v: f32, n: usize, scale: Scale) {
        self.csat_n += n;
        self.csat_sum += f64::from(v) * n as f64;
        self.csat_squares += f64::from(v) * f64::from(v) * n as f64;
        let top = match scale {
            Scale::GoodBad => v >= 1.0,
            _ => v >= 4.0,
        };
        self.csat_top += if top { n } else { 0 };
    }

    fn add_ces(&mut self, v: f32, n: usize) {
        let d = f64::from(v) - CES_PIVOT;
        let count = n as f64;
        self.ces_n += n;
        self.ces_sum += d * count;
        self.ces_squares += d * d * count;
        self.ces_agree += if v >= 5.0 { n } else { 0 };
    }

    pub fn summary(&self, csat_scale: Scale) -> Summary {
        let csat = (self.csat_n > 0).then(|| Csat {
            n: self.csat_n,
            percent: self.csat_top as f64 / self.csat_n as f64 * 100.0,
            mean: (csat_scale != Scale::GoodBad).then(|| self.csat_sum / self.csat_n as f64),
            ci95: wilson(self.csat_top, self.csat_n),
            sd: (csat_scale != Scale::GoodBad && self.csat_n > 1).then(|| {
                let n = self.csat_n as f64;
                let m2 = (self.csat_squares - self.csat_sum * self.csat_sum / n).max(0.0);
                (m2 / (n - 1.0)).sqrt()
            }),
        });
        let ces = (self.ces_n > 0).then(|| {
            let n = self.ces_n as f64;
            let mean = CES_PIVOT + self.ces_sum / n;
            let m2 = (self.ces_squares - self.ces_sum * self.ces_sum / n).max(0.0);
            let sd = (self.ces_n > 1).then(|| (m2 / (n - 1.0)).sqrt());
            Ces {
                n: self.ces_n,
                mean,
                percent_agree: self.ces_agree as f64 / n * 100.0,
                ci95: sd.map(|sd| {
                    let half = t_quantile(0.975, n - 1.0) * sd / n.sqrt();
                    [mean - half, mean + half]
                }),
                sd,
            }
        });
        Summary {
            nps: nps(self.nps[0], self.nps[1], self.nps[2]),
            csat,
            ces,
        }
    }
}

/// Buckets of a score column: answers that are whole numbers from 0 to 10
/// (every NPS, CSAT, CES and good/bad answer) are counted per group, and a
/// group's tally is made from its counts. Adding every answer to its groups'
/// tallies one by one took most of the time from an import's end to its
/// results on a 500 000-row file. A missing answer and any other value
/// (which no fixed scale lets through) have a bucket each; the latter are
/// added one by one.
const WHOLE: usize = 11;
const GAP: u8 = 11;
const ODD: u8 = 12;
const BUCKETS: usize = 13;

/// Read from the value's bits: converting it to an integer and back, the
/// plain test for a whole number, took two thirds of the time to bucket a
/// 500 000-row file's scores in wasm (5.2 ms of 16.7 for all its metrics,
/// against 1.5 ms this way).
fn bucket(v: f32) -> u8 {
    let bits = v.to_bits();
    let high = (bits >> WHOLE_SHIFT).wrapping_sub(ONE_HIGH) as usize;
    if bits & WHOLE_LOW == 0 && high < WHOLE_BY_HIGH.len() {
        WHOLE_BY_HIGH[high]
    } else if bits & !SIGN == 0 {
        0
    } else if v.is_nan() {
        GAP
    } else {
        ODD
    }
}

/// The whole numbers 1 to 10 as `f32` have their lowest 20 bits clear,
/// and differ in the bits above them, which start at 1.0's 0x3F8.
const WHOLE_SHIFT: u32 = 20;
const WHOLE_LOW: u32 = (1 << WHOLE_SHIFT) - 1;
const ONE_HIGH: u32 = 1f32.to_bits() >> WHOLE_SHIFT;
const SIGN: u32 = 1 << 31;
/// [`bucket`] by the bits above [`WHOLE_SHIFT`], from [`ONE_HIGH`] to
/// 10.0's; [`ODD`] for the fractions in between, such as 1.5.
const WHOLE_BY_HIGH: [u8; 27] = {
    let mut table = [ODD; 27];
    let mut k = 1;
    while k <= 10 {
        table[(((k as f32).to_bits() >> WHOLE_SHIFT) - ONE_HIGH) as usize] = k;
        k += 1;
    }
    table
};

/// Bits of a row's packed buckets per column.
const BITS: u32 = 4;
/// A slot per possible bucket of a column, in a group's counts.
const SLOTS: usize = 1 << BITS;
const _: () = assert!(BUCKETS <= SLOTS, "a column's buckets must fit in its bits");

/// The first NPS, CSAT and CES columns, bucketed.
struct Scores<'a> {
    /// NPS, CSAT, CES: the values, when the file has the column.
    values: [Option<&'a [f32]>; 3],
    /// Each row's three buckets, [`BITS`] each, NPS lowest; [`GAP`] for a
    /// column the file lacks or a row past its values. One pass over the
    /// rows then counts all three columns: a pass per column took three
    /// times as long.
    packed: Cow<'a, [u16]>,
    csat_scale: Scale,
}

/// A dataset's scores bucketed once ([`Scores`]'s packed form), kept by a
/// caller that counts the same rows many times: packing 500 000 rows was
/// a fifth of a dashboard update when each count did it again.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct PackedScores(Vec<u16>);

impl PackedScores {
    pub fn of(data: &Dataset) -> Self {
        PackedScores(Scores::of(data).packed.into_owned())
    }
}

impl<'a> Scores<'a> {
    /// With the packing done before, for the same dataset.
    fn with_packed(data: &'a Dataset, packed: &'a PackedScores) -> Self {
        let mut scores = Scores::columns(data);
        scores.packed = Cow::Borrowed(&packed.0);
        scores
    }

    fn of(data: &'a Dataset) -> Self {
        let mut scores = Scores::columns(data);
        let values = scores.values;
        let rows = values.iter().flatten().map(|v| v.len()).max().unwrap_or(0);
        scores.packed = (0..rows)
            .map(|row| {
                (0..3).fold(0u16, |p, k| {
                    let v = values[k].and_then(|v| v.get(row));
                    p | u16::from(v.map_or(GAP, |&v| bucket(v))) << (BITS * k as u32)
                })
            })
            .collect();
        scores
    }

    /// The score columns, not packed yet.
    fn columns(data: &'a Dataset) -> Self {
        let scores = |role: Role| match data.column(role).map(|c| &c.data) {
            Some(ColumnData::Score { values, scale }) => Some((values.as_slice(), *scale)),
            _ => None,
        };
        let csat = scores(Role::Csat);
        let values = [
            scores(Role::Nps).map(|(v, _)| v),
            csat.map(|(v, _)| v),
            scores(Role::Ces).map(|(v, _)| v),
        ];
        Scores {
            values,
            packed: Cow::Borrowed(&[]),
            csat_scale: csat.map_or(Scale::Csat5, |(_, s)| s),
        }
    }

    /// Adds `count` answers of `value` in column `column` (0 NPS, 1 CSAT,
    /// 2 CES) to `tally`.
    fn add(&self, tally: &mut Tally, column: usize, value: f32, count: usize) {
        match column {
            0 => tally.add_nps(value, count),
            1 => tally.add_csat(value, count, self.csat_scale),
            _ => tally.add_ces(value, count),
        }
    }

    /// The tallies of the first `rows` rows in `groups` groups: `group[row]`
    /// is the row's group, or anything from `groups` on (such as
    /// [`MISSING`](crate::import::MISSING)) for none; all rows are in group
    /// 0 without `group`.
    fn tallies(&self, group: Option<&[u32]>, rows: usize, groups: usize) -> Vec<Tally> {
        const WIDTH: usize = 3 * SLOTS;
        let mut tallies = vec![Tally::default(); groups];
        let mut counts = vec![0u32; groups * WIDTH];
        let packed = &self.packed[..rows.min(self.packed.len())];
        let mut count = |g: usize, p: u16| {
            let Some(slots) = counts.get_mut(g * WIDTH..(g + 1) * WIDTH) else {
                return;
            };
            let slot = |k: u32| SLOTS * k as usize + usize::from(p >> (BITS * k)) % SLOTS;
            slots[slot(0)] += 1;
            slots[slot(1)] += 1;
            slots[slot(2)] += 1;
        };
        match group {
            Some(group) => {
                for (&g, &p) in group.iter().zip(packed) {
                    if (g as usize) < groups {
                        count(g as usize, p);
                    }
                }
            }
            None if groups > 0 => packed.iter().for_each(|&p| count(0, p)),
            None => {}
        }
        for (column, values) in self.values.iter().enumerate() {
            let Some(values) = values else {
                continue;
            };
            let mut odd = false;
            for (tally, counts) in tallies.iter_mut().zip(counts.chunks_exact(WIDTH)) {
                let counts = &counts[SLOTS * column..SLOTS * (column + 1)];
                for (value, &count) in counts[..WHOLE].iter().enumerate() {
                    if count > 0 {
                        self.add(tally, column, value as f32, count as usize);
                    }
                }
                odd |= counts[usize::from(ODD)] > 0;
            }
            if odd {
                let shift = BITS * column as u32;
                for (row, (&p, &v)) in packed.iter().zip(*values).enumerate() {
                    if usize::from(p >> shift) % SLOTS != usize::from(ODD) {
                        continue;
                    }
                    let g = group.map_or(Some(0), |g| g.get(row).copied());
                    if let Some(tally) = g.and_then(|g| tallies.get_mut(g as usize)) {
                        self.add(tally, column, v, 1);
                    }
                }
            }
        }
        tallies
    }
}

/// Computes overall and grouped metrics from the first NPS, CSAT and CES
/// columns. Out-of-range cells were already reported and stored as missing
/// at import, so they are simply not counted here.
///
/// Never inlined: the results page then runs the same copy that an import
/// worker's rehearsal had the browser optimise ([`crate::import::split::rehearse`]).
#[inline(never)]
pub fn metrics(data: &Dataset) -> Metrics {
    let scores = Scores::of(data);
    let rows = data.rows();
    let overall = scores.tallies(None, rows, 1);
    let [touchpoint, channel, stage, segment] =
        [Role::Touchpoint, Role::Channel, Role::Stage, Role::Segment].map(|role| {
            match data.column(role).map(|c| &c.data) {
                Some(ColumnData::Category { codes, dictionary }) => {
                    let tallies = scores.tallies(Some(codes), rows, dictionary.len());
                    dictionary
                        .iter()
                        .zip(tallies)
                        .map(|(key, tally)| (key.clone(), tally.summary(scores.csat_scale)))
                        .collect()
                }
                _ => BTreeMap::new(),
            }
        });
    Metrics {
        overall: overall[0].summary(scores.csat_scale),
        by_touchpoint: touchpoint,
        by_channel: channel,
        by_stage: stage,
        by_segment: segment,
    }
}

/// Tallies for several groupings of one dataset's rows, each given as
/// `(group, groups)` like [`summaries_by`]'s; the scores are bucketed once
/// before, into `packed` ([`PackedScores::of`] the same dataset). Returns
/// the tallies and the dataset's CSAT scale.
pub fn tallies_by(
    data: &Dataset,
    packed: &PackedScores,
    groupings: &[(&[u32], usize)],
) -> (Vec<Vec<Tally>>, Scale) {
    let scores = Scores::with_packed(data, packed);
    let rows = data.rows();
    let tallies = groupings
        .iter()
        .map(|&(group, groups)| scores.tallies(Some(group), rows, groups))
        .collect();
    (tallies, scores.csat_scale)
}

/// Metrics for groups of rows chosen by the caller: `group[row]` is the
/// row's group below `groups`, or [`MISSING`](crate::import::MISSING).
/// Used for a map's touchpoints, where several file values (a feedback key
/// and its aliases) make one group.
pub fn summaries_by(data: &Dataset, group: &[u32], groups: usize) -> Vec<Summary> {
    let scores = Scores::of(data);
    scores
        .tallies(Some(group), data.rows(), groups)
        .iter()
        .map(|t| t.summary(scores.csat_scale))
        .collect()
}

// Native only: proptest has no wasm32 backend here.
#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    #[test]
    fn scores_are_bucketed_as_whole_numbers_up_to_ten() {
        let plain = |v: f32| {
            if v.is_nan() {
                GAP
            } else if v.fract() == 0.0 && (0.0..=10.0).contains(&v) {
                v as u8
            } else {
                ODD
            }
        };
        let mut values = vec![-0.0, f32::INFINITY, f32::NEG_INFINITY, f32::MIN_POSITIVE];
        values.extend((-80..=80).map(|q| q as f32 / 4.0));
        values.extend([10.0f32, 1.0, 0.0].map(|v| f32::from_bits(v.to_bits() + 1)));
        values.extend((0..u32::MAX / 65_521).map(|i| f32::from_bits(i * 65_521)));
        for v in values {
            assert_eq!(bucket(v), plain(v), "{v} ({:#x})", v.to_bits());
        }
    }

    use proptest::prelude::*;

    use super::*;
    use crate::import::{Column, SourceInfo, MISSING};

    fn score(name: &str, role: Role, scale: Scale, values: Vec<f32>) -> Column {
        Column {
            name: name.into(),
            field_id: None,
            role,
            data: ColumnData::Score { scale, values },
        }
    }

    /// Every answer added on its own, in row order: what the counts must
    /// agree with.
    fn one_by_one(data: &Dataset, group: &[u32], groups: usize) -> Vec<Summary> {
        let scores = Scores::of(data);
        let mut tallies = vec![Tally::default(); groups];
        for (row, &g) in group.iter().enumerate().take(data.rows()) {
            let Some(tally) = tallies.get_mut(g as usize) else {
                continue;
            };
            for (column, values) in scores.values.iter().enumerate() {
                if let Some(&v) = values.and_then(|v| v.get(row)) {
                    if !v.is_nan() {
                        scores.add(tally, column, v, 1);
                    }
                }
            }
        }
        tallies
            .iter()
            .map(|t| t.summary(scores.csat_scale))
            .collect()
    }

    /// Equal counts, and figures equal to 1e-9 of their size: decimals are
    /// summed in another order.
    fn same_summaries(a: &[Summary], b: &[Summary]) -> bool {
        fn same(a: &serde_json::Value, b: &serde_json::Value) -> bool {
            use serde_json::Value;
            match (a, b) {
                (Value::Number(x), Value::Number(y)) => {
                    let (x, y) = (x.as_f64().unwrap_or(0.0), y.as_f64().unwrap_or(0.0));
                    (x - y).abs() <= 1e-9 * x.abs().max(y.abs()).max(1.0)
                }
                (Value::Array(x), Value::Array(y)) => {
                    x.len() == y.len() && x.iter().zip(y).all(|(x, y)| same(x, y))
                }
                (Value::Object(x), Value::Object(y)) => {
                    x.len() == y.len()
                        && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| same(v, w)))
                }
                _ => a == b,
            }
        }
        let json = |s: &[Summary]| serde_json::to_value(s).expect("summaries are plain data");
        same(&json(a), &json(b))
    }

    proptest! {
        #[test]
        fn counted_tallies_agree_with_adding_each_answer(
            rows in prop::collection::vec(
                (
                    prop::sample::select(vec![0.0f32, -0.0, 3.0, 6.0, 7.0, 8.0, 9.0, 10.0, f32::NAN, 2.5, 11.0, -1.0, 255.0, 300.0]),
                    prop::sample::select(vec![0.0f32, 1.0, 2.0, 4.0, 5.0, f32::NAN, 4.5]),
                    prop::sample::select(vec![1.0f32, 3.0, 4.0, 5.0, 7.0, f32::NAN, 6.25, 12.0]),
                    prop::sample::select(vec![0u32, 1, 2, 3, MISSING, 9]),
                ),
                0..200,
            ),
            good_bad in any::<bool>(),
            lines in 0usize..220,
        ) {
            let column = |k: usize| rows.iter().map(|r| [r.0, r.1, r.2][k]).collect::<Vec<_>>();
            let csat_scale = if good_bad { Scale::GoodBad } else { Scale::Csat5 };
            let data = Dataset {
                source: SourceInfo::default(),
                columns: vec![
                    score("nps", Role::Nps, Scale::Nps, column(0)),
                    score("csat", Role::Csat, csat_scale, column(1)),
                    score("ces", Role::Ces, Scale::Ces7, column(2)),
                ],
                // More or fewer lines than values: a stored dataset edited
                // by hand.
                lines: vec![1; lines],
                errors: Vec::new(),
            };
            let group: Vec<u32> = rows.iter().map(|r| r.3).collect();
            prop_assert!(same_summaries(
                &summaries_by(&data, &group, 4),
                &one_by_one(&data, &group, 4)
            ));
            let all = vec![0; rows.len()];
            prop_assert!(same_summaries(
                std::slice::from_ref(&metrics(&data).overall),
                &one_by_one(&data, &all, 1)
            ));
        }
    }

    fn close(a: f64, b: f64, tol: f64) {
        assert!((a - b).abs() <= tol, "{a} vs {b}");
    }

    #[test]
    fn t_quantiles_match_tables() {
        for (df, t) in [
            (1.0, 12.706_204_736),
            (2.0, 4.302_652_730),
            (4.0, 2.776_445_105),
            (10.0, 2.228_138_852),
            (30.0, 2.042_272_456),
            (1000.0, 1.962_339_081),
        ] {
            close(t_quantile(0.975, df), t, 1e-8);
        }
        close(t_quantile(0.025, 5.0), -2.570_581_836, 1e-8);
        close(t_quantile(0.5, 3.0), 0.0, 1e-12);
    }

    #[test]
    fn ln_gamma_known_values() {
        close(ln_gamma(1.0), 0.0, 1e-14);
        close(ln_gamma(0.5), std::f64::consts::PI.sqrt().ln(), 1e-14);
        close(ln_gamma(10.0), 362_880f64.ln(), 1e-12);
    }

    #[test]
    fn nps_adjusted_wald_by_hand() {
        // 6 promoters, 2 passives, 2 detractors: NPS 40. Adjusted: n' = 13,
        // p' = 6.75/13, d' = 2.75/13, NPS' = 4/13 = 0.307692;
        // var = (9.5/13 - (4/13)^2)/13 = 0.048930; se = 0.221201;
        // 0.307692 ± 1.959964 × 0.221201 = [-0.125856, 0.741240].
        let r = nps(6, 2, 2).unwrap();
        assert_eq!((r.n, r.score), (10, 40.0));
        close(r.ci95[0], -12.5856, 1e-3);
        close(r.ci95[1], 74.1240, 1e-3);
        assert_eq!(nps(0, 0, 0), None);
        let all = nps(5, 0, 0).unwrap();
        assert_eq!(all.score, 100.0);
        assert!(all.ci95[1] <= 100.0);
    }

    #[test]
    fn wilson_by_hand() {
        // 8 of 10: centre (0.8 + 0.192073)/1.384146 = 0.716740,
        // half 1.959964 × sqrt(0.016 + 0.009604)/1.384146 = 0.226578.
        let [lo, hi] = wilson(8, 10);
        close(lo, 49.0162, 1e-3);
        close(hi, 94.3318, 1e-3);
        let [lo, hi] = wilson(0, 5);
        assert_eq!(lo, 0.0);
        close(hi, 43.4482, 1e-3);
    }

    #[test]
    fn ces_t_interval_by_hand() {
        let mut t = Tally::default();
        for v in [5.0, 6.0, 7.0, 4.0, 3.0] {
            t.add_ces(v, 1);
        }
        // mean 5, sd sqrt(2.5) = 1.581139, se 0.707107, t(0.975,4) 2.776445:
        // 5 ± 1.963243.
        let ces = t.summary(Scale::Csat5).ces.unwrap();
        assert_eq!((ces.n, ces.mean, ces.percent_agree), (5, 5.0, 60.0));
        close(ces.sd.unwrap(), 2.5f64.sqrt(), 1e-12);
        let [lo, hi] = ces.ci95.unwrap();
        close(lo, 3.036757, 1e-5);
        close(hi, 6.963243, 1e-5);
        let mut one = Tally::default();
        one.add_ces(7.0, 1);
        assert_eq!(one.summary(Scale::Csat5).ces.unwrap().ci95, None);
        assert_eq!(one.summary(Scale::Csat5).ces.unwrap().sd, None);
    }

    #[test]
    fn good_bad_csat_has_no_mean() {
        let mut t = Tally::default();
        for v in [1.0, 1.0, 1.0, 0.0] {
            t.add_csat(v, 1, Scale::GoodBad);
        }
        let csat = t.summary(Scale::GoodBad).csat.unwrap();
        assert_eq!((csat.n, csat.percent, csat.mean), (4, 75.0, None));
        assert_eq!(csat.sd, None);
    }

    #[test]
    fn csat_sd_by_hand() {
        // 5, 4, 4, 2: mean 3.75, squared deviations 1.5625 + 0.0625 × 2 +
        // 3.0625 = 4.75, variance 4.75 / 3.
        let mut t = Tally::default();
        for v in [5.0, 4.0, 2.0] {
            t.add_csat(v, 1, Scale::Csat5);
        }
        t.add_csat(4.0, 1, Scale::Csat5);
        let csat = t.summary(Scale::Csat5).csat.unwrap();
        assert_eq!((csat.n, csat.percent, csat.mean), (4, 75.0, Some(3.75)));
        close(csat.sd.unwrap(), (4.75f64 / 3.0).sqrt(), 1e-12);
    }

    #[test]
    fn t_cdf_matches_tables() {
        close(t_cdf(0.0, 7.0), 0.5, 1e-15);
        close(t_cdf(2.570_581_836, 5.0), 0.975, 1e-9);
        close(t_cdf(-12.706_204_736, 1.0), 0.025, 1e-9);
    }
}
