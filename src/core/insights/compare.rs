//! Whether two sets of rows differ by more than noise: before and after a
//! change, variant A and variant B. Every difference is `b − a`, with a
//! 95 % interval centred on it and a two-sided p-value; `significant` means
//! p < 0.05.
//!
//! - **NPS**: the difference of the plain scores (as `summarize` prints
//!   them), in points. Each side's variance is the adjusted-Wald one that
//!   [`crate::analytics::nps`] uses for its interval (MeasuringU; Rocks
//!   2016): add ¾ of a promoter and ¾ of a detractor, n + 3, and
//!   var = (p′ + d′ − (p′ − d′)²) / (n + 3), times 100² for points².
//!   se = √(var_a + var_b); interval delta ± 1.96·se; z = delta / se.
//! - **CSAT percent**: difference of two proportions (the top-2-box share,
//!   or share of "good"), in percentage points; the interval uses the
//!   unpooled standard error, the z-test the pooled one.
//! - **CES mean** and **CSAT mean** (`csat_mean`, for scales with a mean):
//!   Welch's t-test with Welch–Satterthwaite degrees of freedom; interval
//!   delta ± t(0.975, df)·se.
//!
//! A metric that cannot be compared (a side has no answers; Welch with
//! fewer than two answers on a side; no variation on either side) is left
//! out rather than given as NaN.

use std::collections::BTreeMap;

use serde::Serialize;

use super::stats::{normal_p, t_p, t_quantile, Z95};
use crate::analytics::{summaries_by, Nps, Summary};
use crate::import::{Dataset, MISSING};

/// `b − a` with its 95 % interval and two-sided p-value.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Difference {
    pub delta: f64,
    pub ci95: [f64; 2],
    pub p_value: f64,
    /// p < 0.05.
    pub significant: bool,
}

impl Difference {
    /// `None` unless every figure is finite, so NaN never reaches JSON.
    fn new(delta: f64, half: f64, p_value: f64) -> Option<Difference> {
        let d = Difference {
            delta,
            ci95: [delta - half, delta + half],
            p_value,
            significant: p_value < 0.05,
        };
        (delta.is_finite() && half.is_finite() && p_value.is_finite()).then_some(d)
    }
}

/// The differences that could be computed between two summaries.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Differences {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub nps: Option<Difference>,
    /// Of the CSAT percent (top-2-box or good share).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub csat: Option<Difference>,
    /// Of the CSAT mean, for scales with one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub csat_mean: Option<Difference>,
    /// Of the CES mean.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ces: Option<Difference>,
}

/// Adjusted-Wald variance of an NPS, in points².
fn nps_variance(n: &Nps) -> f64 {
    let adj_n = n.n as f64 + 3.0;
    let p = (n.promoters as f64 + 0.75) / adj_n;
    let d = (n.detractors as f64 + 0.75) / adj_n;
    (p + d - (p - d) * (p - d)) / adj_n * 1e4
}

/// NPS `b − a` in points, adjusted-Wald variances and a z-test.
pub fn nps_difference(a: &Nps, b: &Nps) -> Option<Difference> {
    if a.n == 0 || b.n == 0 {
        return None;
    }
    let delta = b.score - a.score;
    let se = (nps_variance(a) + nps_variance(b)).sqrt();
    Difference::new(delta, Z95 * se, normal_p(delta / se))
}

/// Share `k_b / n_b − k_a / n_a` in percentage points: unpooled standard
/// error for the interval, pooled for the z-test.
pub fn proportion_difference(k_a: usize, n_a: usize, k_b: usize, n_b: usize) -> Option<Difference> {
    if n_a == 0 || n_b == 0 {
        return None;
    }
    let (na, nb) = (n_a as f64, n_b as f64);
    let (pa, pb) = (k_a as f64 / na, k_b as f64 / nb);
    let pooled = (k_a + k_b) as f64 / (na + nb);
    let se_pooled = (pooled * (1.0 - pooled) * (1.0 / na + 1.0 / nb)).sqrt();
    if se_pooled == 0.0 {
        return None;
    }
    let se = (pa * (1.0 - pa) / na + pb * (1.0 - pb) / nb).sqrt();
    Difference::new(
        (pb - pa) * 100.0,
        Z95 * se * 100.0,
        normal_p((pb - pa) / se_pooled),
    )
}

/// A sample for Welch's test: size, mean and sample standard deviation.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Sample {
    pub n: usize,
    pub mean: f64,
    pub sd: f64,
}

/// Mean `b − a` by Welch's t-test, Welch–Satterthwaite degrees of freedom.
pub fn welch_difference(a: Sample, b: Sample) -> Option<Difference> {
    if a.n < 2 || b.n < 2 {
        return None;
    }
    let va = a.sd * a.sd / a.n as f64;
    let vb = b.sd * b.sd / b.n as f64;
    let se = (va + vb).sqrt();
    if se.is_nan() || se <= 0.0 {
        return None;
    }
    let df = (va + vb) * (va + vb) / (va * va / (a.n - 1) as f64 + vb * vb / (b.n - 1) as f64);
    let delta = b.mean - a.mean;
    Difference::new(delta, t_quantile(0.975, df) * se, t_p(delta / se, df))
}

/// Every difference between `a` and `b` that can be computed.
pub fn differences(a: &Summary, b: &Summary) -> Differences {
    let csat = a.csat.as_ref().zip(b.csat.as_ref());
    // The top count back from its share: exact, as it was k / n × 100.
    let top = |c: &crate::analytics::Csat| (c.percent * c.n as f64 / 100.0).round() as usize;
    Differences {
        nps: a
            .nps
            .as_ref()
            .zip(b.nps.as_ref())
            .and_then(|(a, b)| nps_difference(a, b)),
        csat: csat.and_then(|(a, b)| proportion_difference(top(a), a.n, top(b), b.n)),
        csat_mean: csat.and_then(|(a, b)| {
            let sample = |c: &crate::analytics::Csat| {
                Some(Sample {
                    n: c.n,
                    mean: c.mean?,
                    sd: c.sd?,
                })
            };
            welch_difference(sample(a)?, sample(b)?)
        }),
        ces: a.ces.as_ref().zip(b.ces.as_ref()).and_then(|(a, b)| {
            let sample = |c: &crate::analytics::Ces| {
                Some(Sample {
                    n: c.n,
                    mean: c.mean,
                    sd: c.sd?,
                })
            };
            welch_difference(sample(a)?, sample(b)?)
        }),
    }
}

/// Two sets of rows, their summaries and the differences `b − a`.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Comparison {
    pub a: Summary,
    pub b: Summary,
    pub difference: Differences,
}

impl Comparison {
    pub fn of(a: Summary, b: Summary) -> Comparison {
        let difference = differences(&a, &b);
        Comparison { a, b, difference }
    }
}

/// Compares the rows with `side[row] == 0` (a) to those with 1 (b); any
/// other value ([`MISSING`]) leaves a row out. See [`super::groups`] for
/// making `side`.
pub fn compare(data: &Dataset, side: &[u32]) -> Comparison {
    let mut summaries = summaries_by(data, side, 2).into_iter();
    let a = summaries.next().unwrap_or_default();
    let b = summaries.next().unwrap_or_default();
    Comparison::of(a, b)
}

/// [`compare`] within each group of a grouping: `by[row]` is the row's
/// group, an index into `names`, or [`MISSING`]. Groups are keyed by name;
/// a group no compared row falls in is left out.
pub fn compare_by(
    data: &Dataset,
    side: &[u32],
    by: &[u32],
    names: &[String],
) -> BTreeMap<String, Comparison> {
    let groups = names.len();
    let mut present = vec![false; groups];
    let nested: Vec<u32> = side
        .iter()
        .zip(by)
        .map(|(&s, &g)| {
            if s < 2 && (g as usize) < groups {
                present[g as usize] = true;
                2 * g + s
            } else {
                MISSING
            }
        })
        .collect();
    let mut summaries = summaries_by(data, &nested, 2 * groups).into_iter();
    let mut out = BTreeMap::new();
    for (name, present) in names.iter().zip(present) {
        let a = summaries.next().unwrap_or_default();
        let b = summaries.next().unwrap_or_default();
        if present {
            out.insert(name.clone(), Comparison::of(a, b));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analytics::nps;

    fn close(a: f64, b: f64, tol: f64) {
        assert!((a - b).abs() <= tol, "{a} vs {b}");
    }

    #[test]
    fn nps_by_hand() {
        // a: 6 promoters, 2 passives, 2 detractors: NPS 40; p' = 6.75/13,
        // d' = 2.75/13, var = (9.5/13 − (4/13)²)/13 = 0.0489303595 → 489.303595.
        // b: 3, 3, 4: NPS −10; p' = 3.75/13, d' = 4.75/13,
        // var = (8.5/13 − (1/13)²)/13 = 0.0498406918 → 498.406918.
        // delta = −50, se = √987.710514 = 31.4278621, z = −1.5909450,
        // p = 0.1116219.
        let d = nps_difference(&nps(6, 2, 2).unwrap(), &nps(3, 3, 4).unwrap()).unwrap();
        close(d.delta, -50.0, 1e-12);
        close(d.ci95[0], -50.0 - 1.959964 * 31.427862, 1e-4);
        close(d.ci95[1], -50.0 + 1.959964 * 31.427862, 1e-4);
        close(d.p_value, 0.111_621_9, 1e-6);
        assert!(!d.significant);
    }

    #[test]
    fn proportions_by_hand() {
        // 40/100 vs 60/100: delta 20 points; unpooled se = √(0.0024 + 0.0024)
        // = 0.0692820; pooled 0.5, se = √(0.25 × 0.02) = 0.0707107,
        // z = 2.8284271, p = 0.0046777.
        let d = proportion_difference(40, 100, 60, 100).unwrap();
        close(d.delta, 20.0, 1e-12);
        close(d.ci95[0], 20.0 - 1.959964 * 6.928203, 1e-4);
        close(d.ci95[1], 20.0 + 1.959964 * 6.928203, 1e-4);
        close(d.p_value, 0.004_677_73, 1e-7);
        assert!(d.significant);
        assert_eq!(proportion_difference(5, 5, 3, 3), None);
        assert_eq!(proportion_difference(0, 0, 3, 3), None);
    }

    #[test]
    fn welch_by_hand() {
        // a: n 5, mean 5, sd √2.5: va = 0.5. b: n 4, mean 3, sd 1: vb = 0.25.
        // se = √0.75 = 0.8660254, t = −2.3094011,
        // df = 0.5625 / (0.25/4 + 0.0625/3) = 6.75, t(0.975, 6.75) =
        // 2.3824944, p = 0.0555788 (scipy.stats.t).
        let a = Sample {
            n: 5,
            mean: 5.0,
            sd: 2.5f64.sqrt(),
        };
        let b = Sample {
            n: 4,
            mean: 3.0,
            sd: 1.0,
        };
        let d = welch_difference(a, b).unwrap();
        close(d.delta, -2.0, 1e-12);
        let half = t_quantile(0.975, 6.75) * 0.75f64.sqrt();
        close(d.ci95[0], -2.0 - half, 1e-12);
        close(half, 2.382_494_4 * 0.866_025_4, 1e-6);
        close(d.p_value, 0.055_578_8, 1e-6);
        assert!(!d.significant);
        let one = Sample { n: 1, ..a };
        assert_eq!(welch_difference(one, b), None);
        let flat = Sample { sd: 0.0, ..a };
        assert_eq!(welch_difference(flat, Sample { sd: 0.0, ..b }), None);
        assert!(welch_difference(flat, b).is_some());
    }

    #[test]
    fn differences_leave_out_what_cannot_be_compared() {
        let mut a = Summary {
            nps: nps(6, 2, 2),
            ..Summary::default()
        };
        let b = Summary {
            nps: nps(3, 3, 4),
            ..Summary::default()
        };
        let d = differences(&a, &b);
        assert!(d.nps.is_some() && d.csat.is_none() && d.ces.is_none());
        let json = serde_json::to_value(&d).unwrap();
        assert_eq!(json.as_object().unwrap().len(), 1);
        a.nps = None;
        assert_eq!(differences(&a, &b), Differences::default());
    }
}
