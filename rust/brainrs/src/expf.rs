//! `exp` for float32 in float32 arithmetic, without tables, calls or branches, so that loops
//! calling it (the neuron step) are vectorised by the compiler (four lanes with SSE2, the
//! baseline of every x86-64 wheel).
//!
//! `x = k ln2 + r` (|r| <= ln2/2), `e^r = 1 + r + r^2 p(r)` with Cephes' degree-5 polynomial,
//! and `1 + r` is summed exactly (Fast2Sum) so that the one rounding that matters, the last,
//! sees the small terms first. Results are faithful (within 1 ulp) everywhere and equal the
//! correctly rounded value in 99.9% of cases for |x| < 0.2, the range of the neuron step's
//! `exp(-dt (1 + g) / tau)` (glibc's `expf`: 99.94%; the unit tests pin both rates). They do not
//! depend on the platform's libm, whose `expf` differs between CPUs (FMA and non-FMA variants).

/// Above this, e^x overflows float32 (e^88.7228... = f32::MAX).
const OVERFLOW: f32 = 88.722_84;
/// Below this, e^x rounds to 0 in float32 (half the smallest subnormal is e^-103.97...).
const UNDERFLOW: f32 = -103.972_08;
/// Adding this rounds a float32 in (-2^22, 2^22) to an integer held in the low mantissa bits.
const ROUND: f32 = 12_582_912.0; // 1.5 * 2^23
/// ln 2 in two parts: `LN2_HI` has 12 trailing zero bits, so `k * LN2_HI` is exact for the k
/// of the float32 range (|k| <= 150).
const LN2_HI: f32 = 0.693_145_75;
const LN2_LO: f32 = 1.428_606_8e-6;
/// Cephes' minimax coefficients of (e^r - 1 - r) / r^2 on |r| <= ln2/2.
const P0: f32 = 1.987_569_1e-4;
const P1: f32 = 1.398_199_9e-3;
const P2: f32 = 8.333_452e-3;
const P3: f32 = 4.166_579_6e-2;
const P4: f32 = 1.666_666_5e-1;
const P5: f32 = 0.5;

/// 2^k for an integer k in [-126, 127], from its bits.
#[inline(always)]
fn pow2(k: i32) -> f32 {
    f32::from_bits(((k + 127) as u32) << 23)
}

/// `e^x` in float32 (see the module's note): NaN for NaN, 0 below -103.97, infinity above
/// 88.72, subnormal results in between.
#[inline(always)]
pub fn exp(x: f32) -> f32 {
    // Clamped so that the scaling below stays in range; out-of-range results are chosen last.
    let xc = x.clamp(UNDERFLOW, OVERFLOW);
    let kf = xc * std::f32::consts::LOG2_E + ROUND;
    // k is the integer in the low mantissa bits of kf (|k| <= 150).
    let k = (kf.to_bits() as i32).wrapping_sub(ROUND.to_bits() as i32);
    let kf = kf - ROUND;
    let r = (xc - kf * LN2_HI) - kf * LN2_LO;
    let p = P0 * r + P1;
    let p = p * r + P2;
    let p = p * r + P3;
    let p = p * r + P4;
    let p = p * r + P5;
    let small = p * (r * r);
    // 1 + r = hi + lo exactly (Fast2Sum: |1| >= |r|); the small parts are added first.
    let hi = 1.0 + r;
    let lo = r - (hi - 1.0);
    let er = hi + (lo + small);
    // 2^k in two factors, so that subnormal results (k < -126) are reached too.
    let k1 = k >> 1;
    let y = (er * pow2(k1)) * pow2(k - k1);
    if x > OVERFLOW {
        f32::INFINITY
    } else if x < UNDERFLOW {
        0.0
    } else if x.is_nan() {
        x
    } else {
        y
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Correctly rounded e^x through float64 (std's f64::exp is accurate to < 1 float64 ulp).
    fn reference(x: f32) -> f32 {
        f64::from(x).exp() as f32
    }

    #[test]
    fn special_values() {
        assert_eq!(exp(0.0), 1.0);
        assert_eq!(exp(-0.0), 1.0);
        assert!(exp(f32::NAN).is_nan());
        assert_eq!(exp(f32::INFINITY), f32::INFINITY);
        assert_eq!(exp(f32::NEG_INFINITY), 0.0);
        assert_eq!(exp(89.0), f32::INFINITY);
        assert_eq!(exp(88.7), reference(88.7));
        assert_eq!(exp(-104.0), 0.0);
        assert!(exp(-100.0) > 0.0 && exp(-100.0) < f32::MIN_POSITIVE); // subnormal
        assert_eq!(
            exp(-100.0).to_bits().abs_diff(reference(-100.0).to_bits()),
            0
        );
        assert_eq!(exp(1.0), std::f32::consts::E);
    }

    /// Mismatches with the correctly rounded value, and ulps of the largest difference, over
    /// every `step`-th float32 of `lo..=hi` and of its negation.
    fn survey(f: impl Fn(f32) -> f32, lo: f32, hi: f32, step: usize) -> (f64, u32) {
        let (mut n, mut bad, mut worst) = (0u64, 0u64, 0u32);
        for bits in (lo.to_bits()..=hi.to_bits()).step_by(step) {
            for x in [f32::from_bits(bits), -f32::from_bits(bits)] {
                let (got, want) = (f(x), reference(x));
                n += 1;
                if got.to_bits() != want.to_bits() {
                    bad += 1;
                    worst = worst.max(got.to_bits().abs_diff(want.to_bits()));
                }
            }
        }
        (bad as f64 / n as f64, worst)
    }

    #[test]
    fn faithful_everywhere_and_nearly_always_correctly_rounded_in_the_neuron_range() {
        let (rate, worst) = survey(exp, 1e-3, 0.2, 7);
        assert!(
            rate < 2e-3 && worst <= 1,
            "|x| < 0.2: {rate} mismatched, worst {worst} ulp"
        );
        // glibc's expf on the same floats, for comparison (docs/semantics.md §8)
        let (libm_rate, _) = survey(f32::exp, 1e-3, 0.2, 7);
        assert!(libm_rate < 1e-3, "glibc: {libm_rate}");
        for (lo, hi) in [(1e-30, 1e-3), (0.2, 2.0), (2.0, 87.0), (87.0, 103.9)] {
            let (rate, worst) = survey(exp, lo, hi, 61);
            assert!(
                rate < 0.08 && worst <= 1,
                "|x| in {lo}..{hi}: {rate}, {worst} ulp"
            );
        }
    }

    #[test]
    fn agrees_with_a_plain_loop() {
        // the vectorised loop and one call at a time give the same bits
        let xs: Vec<f32> = (0..1000).map(|i| -0.05 + i as f32 * 1e-4).collect();
        let vectorised: Vec<f32> = xs.iter().map(|&x| exp(x)).collect();
        for (x, y) in xs.iter().zip(&vectorised) {
            assert_eq!(std::hint::black_box(exp)(*x).to_bits(), y.to_bits());
        }
    }
}
