//! Exponential Euler, as BrainPy's `exp_auto` computes it in float32.
//!
//! For `dx/dt = f(x)` with `L = df/dx`, one step is `x + dt * exprel(dt * L) * f(x)`. The
//! expression is evaluated literally, in this association, so that results match BrainPy's
//! XLA kernels bit for bit (up to the last ulp of `exp`).

/// `(exp(z) - 1) / z`, replaced by its Taylor polynomial `1 + z/2 + z^2/6` when `|z| <= 1e-5`
/// (BrainPy's float32 threshold). Computed with `exp` (the engine's own, [`crate::expf`]),
/// not `expm1`, as BrainPy does.
#[inline(always)]
pub fn exprel(z: f32) -> f32 {
    if z.abs() <= EXPREL_TAYLOR {
        1.0 + z / 2.0 + z * z / 6.0
    } else {
        (crate::expf::exp(z) - 1.0) / z
    }
}

/// `|z|` at or below which [`exprel`] uses its Taylor polynomial.
pub const EXPREL_TAYLOR: f32 = 1e-5;

/// [`exp_euler`] for `|dt * l| > EXPREL_TAYLOR` (the caller knows), without the Taylor branch.
#[inline(always)]
pub fn exp_euler_away_from_zero(x: f32, dt: f32, l: f32, f: f32) -> f32 {
    let z = dt * l;
    x + dt * ((crate::expf::exp(z) - 1.0) / z) * f
}

/// One exponential-Euler step of `x` with derivative `f` and linear coefficient `l` (1/ms).
#[inline(always)]
pub fn exp_euler(x: f32, dt: f32, l: f32, f: f32) -> f32 {
    x + dt * exprel(dt * l) * f
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exprel_matches_its_limit_and_formula() {
        assert_eq!(exprel(0.0), 1.0);
        let z = -0.02f32;
        assert_eq!(exprel(z), (crate::expf::exp(z) - 1.0) / z);
        let small = 1e-6f32;
        assert_eq!(exprel(small), 1.0 + small / 2.0 + small * small / 6.0);
    }
}
