//! The distributions the comparisons need: the normal CDF through `erfc`,
//! and Student's t through [`crate::analytics::t_cdf`] and
//! [`crate::analytics::t_quantile`].

pub use crate::analytics::{t_cdf, t_quantile};

/// Two-sided 95 % normal quantile.
pub const Z95: f64 = 1.959_963_984_540_054;

/// The complementary error function, to about 5e-15 relative: 1 − erf by
/// a series with positive terms below 1, a continued fraction from 1 on
/// (Lentz; at most about 200 terms), so small tail probabilities keep
/// their digits.
pub fn erfc(x: f64) -> f64 {
    if x.is_nan() {
        return f64::NAN;
    }
    if x < 0.0 {
        return 2.0 - erfc(-x);
    }
    let inv_sqrt_pi = 1.0 / std::f64::consts::PI.sqrt();
    if x < 1.0 {
        // erf(x) = 2/√π · e^(−x²) · Σ 2ⁿ x^(2n+1) / (1·3·…·(2n+1)).
        let x2 = x * x;
        let mut term = x;
        let mut sum = x;
        let mut k = 1.0;
        while term > sum * 1e-17 {
            term *= 2.0 * x2 / (2.0 * k + 1.0);
            sum += term;
            k += 1.0;
        }
        return 1.0 - 2.0 * inv_sqrt_pi * (-x2).exp() * sum;
    }
    // erfc(x) = e^(−x²)/√π · 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + …)))).
    const TINY: f64 = 1e-300;
    let mut f = x;
    let mut c = x;
    let mut d = 0.0;
    for k in 1..1000 {
        let a = k as f64 / 2.0;
        d = x + a * d;
        if d.abs() < TINY {
            d = TINY;
        }
        c = x + a / c;
        if c.abs() < TINY {
            c = TINY;
        }
        d = 1.0 / d;
        let delta = c * d;
        f *= delta;
        if (delta - 1.0).abs() < 1e-16 {
            break;
        }
    }
    inv_sqrt_pi * (-x * x).exp() / f
}

/// P(Z ≤ z) for a standard normal Z.
pub fn normal_cdf(z: f64) -> f64 {
    0.5 * erfc(-z / std::f64::consts::SQRT_2)
}

/// Two-sided p-value of a z statistic: P(|Z| ≥ |z|).
pub fn normal_p(z: f64) -> f64 {
    erfc(z.abs() / std::f64::consts::SQRT_2)
}

/// Two-sided p-value of a t statistic with `df` degrees of freedom,
/// computed from the lower tail so small values keep their digits.
pub fn t_p(t: f64, df: f64) -> f64 {
    (2.0 * t_cdf(-t.abs(), df)).min(1.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rel(a: f64, b: f64, tol: f64) {
        assert!(
            (a - b).abs() <= tol * b.abs(),
            "{a} vs {b} ({})",
            (a - b).abs() / b.abs()
        );
    }

    #[test]
    fn erfc_matches_reference_values() {
        // scipy.special.erfc.
        for (x, v) in [
            (0.0, 1.0),
            (0.1, 0.887_537_083_981_715_2),
            (0.5, 0.479_500_122_186_953_5),
            (1.0, 0.157_299_207_050_285_16),
            (2.0, 0.004_677_734_981_047_266),
            (2.4999, 0.000_407_169_900_333_451_2),
            (2.5, 0.000_406_952_017_444_958_86),
            (3.0, 2.209_049_699_858_544_5e-5),
            (5.0, 1.537_459_794_428_034_7e-12),
            (10.0, 2.088_487_583_762_544_6e-45),
            (-1.0, 1.842_700_792_949_714_8),
        ] {
            rel(erfc(x), v, 1e-14);
        }
    }

    #[test]
    fn p_values_of_known_statistics() {
        rel(normal_p(Z95), 0.05, 1e-13);
        rel(normal_p(-1.0), 0.317_310_507_862_914_15, 1e-13);
        rel(normal_cdf(1.0), 0.841_344_746_068_542_9, 1e-14);
        // scipy.stats.t.sf(2.0, 10) * 2
        rel(t_p(2.0, 10.0), 0.073_388_034_770_740_37, 1e-11);
        rel(t_p(-2.228_138_851_986_274, 10.0), 0.05, 1e-10);
        assert_eq!(t_p(0.0, 5.0), 1.0);
    }
}
