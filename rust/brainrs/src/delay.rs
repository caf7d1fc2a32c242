//! `bp.VarDelay`: a push-indexed history of a variable, read through named entries
//! (semantics.md §5).
//!
//! The buffer holds `max(d)` rows, where an entry's delay `d = ceil(time / dt)` steps. Reading an
//! entry with `d >= 1` returns the value pushed `d - 1` pushes before the most recent push; `d = 0`
//! means "the live value of the target", which the caller holds.

use crate::error::{Error, Result};
use crate::random::Generator;
use crate::state::{DType, Stateful, VarData, VarDataMut};

/// Largest history the engine allocates for one delay, in elements (rows x size): 2^31.
const MAX_HISTORY: usize = 1 << 31;

#[derive(Debug, Clone, PartialEq)]
enum History {
    F32(Vec<f32>),
    Bool(Vec<bool>),
}

/// What an entry reads this step.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum DelayRead<'a> {
    /// The entry has no delay: use the target's current value.
    Live,
    /// A stored row of the history.
    Stored(VarData<'a>),
}

/// A delayed view of one variable of `size` elements.
#[derive(Debug, Clone)]
pub struct VarDelay {
    size: usize,
    entries: Vec<(String, usize)>,
    rows: usize,
    /// Row of the most recent push.
    head: usize,
    history: History,
}

impl VarDelay {
    /// A delay of a variable with `size` elements of `dtype`, with no entries yet.
    pub fn new(size: usize, dtype: DType) -> Self {
        VarDelay {
            size,
            entries: Vec::new(),
            rows: 0,
            head: 0,
            history: match dtype {
                DType::F32 => History::F32(Vec::new()),
                DType::Bool => History::Bool(Vec::new()),
            },
        }
    }

    /// The delay in steps for `time` ms (`None`: no delay) at step `dt` ms: `ceil(time / dt)`.
    pub fn steps_for(time: Option<f64>, dt: f64) -> Result<usize> {
        let Some(time) = time else { return Ok(0) };
        if !(time.is_finite() && time >= 0.0) {
            return Err(Error::parameter(
                "delay time",
                "a finite number of ms >= 0 (or None)",
                time,
            ));
        }
        let steps = (time / dt).ceil();
        if steps > (MAX_HISTORY as f64) {
            return Err(Error::parameter(
                "delay time",
                &format!("at most {} steps of dt", MAX_HISTORY),
                time,
            ));
        }
        Ok(steps as usize)
    }

    /// Registers (or re-registers) an entry `name` reading `steps` steps back. The buffer grows
    /// to the longest entry; the history already pushed is kept, older rows start at zero.
    pub fn register_entry(&mut self, name: &str, steps: usize) -> Result<()> {
        let rows = self.rows.max(steps);
        if rows.checked_mul(self.size).is_none_or(|n| n > MAX_HISTORY) {
            return Err(Error::parameter(
                "delay steps",
                &format!("a history of at most {MAX_HISTORY} elements"),
                format!("{steps} steps x {} elements", self.size),
            ));
        }
        if rows > self.rows {
            self.grow(rows);
        }
        match self.entries.iter_mut().find(|(n, _)| n == name) {
            Some(entry) => entry.1 = steps,
            None => self.entries.push((name.to_owned(), steps)),
        }
        Ok(())
    }

    fn grow(&mut self, rows: usize) {
        // Re-linearise: oldest row first, then pad older rows with zeros in front.
        let (size, old_rows, head) = (self.size, self.rows, self.head);
        fn regrow<T: Copy + Default>(
            v: &mut Vec<T>,
            size: usize,
            old_rows: usize,
            head: usize,
            rows: usize,
        ) {
            let mut out = vec![T::default(); rows * size];
            let pad = rows - old_rows;
            for k in 0..old_rows {
                // k-th oldest row sits at (head + 1 + k) % old_rows.
                let src = (head + 1 + k) % old_rows;
                out[(pad + k) * size..(pad + k + 1) * size]
                    .copy_from_slice(&v[src * size..(src + 1) * size]);
            }
            *v = out;
        }
        match &mut self.history {
            History::F32(v) => regrow(v, size, old_rows, head, rows),
            History::Bool(v) => regrow(v, size, old_rows, head, rows),
        }
        self.rows = rows;
        self.head = rows - 1;
    }

    /// The registered entries with their delays in steps, in registration order.
    pub fn entries(&self) -> &[(String, usize)] {
        &self.entries
    }

    /// The delay of entry `name` in steps.
    pub fn entry_steps(&self, name: &str) -> Result<usize> {
        self.entries
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, d)| *d)
            .ok_or_else(|| {
                Error::unknown(
                    "delay entry",
                    name,
                    self.entries.iter().map(|(n, _)| n.as_str()),
                )
            })
    }

    /// Number of elements of the delayed variable.
    pub fn size(&self) -> usize {
        self.size
    }

    /// The element type of the delayed variable.
    pub fn dtype(&self) -> DType {
        match self.history {
            History::F32(_) => DType::F32,
            History::Bool(_) => DType::Bool,
        }
    }

    /// Reads entry `name`.
    pub fn at(&self, name: &str) -> Result<DelayRead<'_>> {
        self.read_steps(self.entry_steps(name)?)
    }

    /// Reads the value `steps` steps back (`0`: live).
    pub fn read_steps(&self, steps: usize) -> Result<DelayRead<'_>> {
        if steps == 0 {
            return Ok(DelayRead::Live);
        }
        if steps > self.rows {
            return Err(Error::parameter(
                "delay steps",
                &format!("at most {} (the buffer length)", self.rows),
                steps,
            ));
        }
        let row = (self.head + self.rows - (steps - 1)) % self.rows;
        let span = row * self.size..(row + 1) * self.size;
        Ok(DelayRead::Stored(match &self.history {
            History::F32(v) => VarData::F32(&v[span]),
            History::Bool(v) => VarData::Bool(&v[span]),
        }))
    }

    /// Pushes this step's value (`delay(value)` in BrainPy). A delay with only zero-step entries
    /// keeps no history, so a push only checks the value.
    pub fn push(&mut self, value: VarData<'_>) -> Result<()> {
        if value.len() != self.size {
            return Err(Error::length("delay value", self.size, value.len()));
        }
        if value.dtype() != self.dtype() {
            return Err(Error::DType {
                param: "delay value".into(),
                expected: self.dtype().name().into(),
                got: value.dtype().name().into(),
            });
        }
        if self.rows == 0 {
            return Ok(());
        }
        let head = (self.head + 1) % self.rows;
        let span = head * self.size..(head + 1) * self.size;
        match (&mut self.history, value) {
            (History::F32(v), VarData::F32(x)) => v[span].copy_from_slice(x),
            (History::Bool(v), VarData::Bool(x)) => v[span].copy_from_slice(x),
            _ => {}
        }
        self.head = head;
        Ok(())
    }
}

impl Stateful for VarDelay {
    fn var_names(&self) -> Vec<&'static str> {
        vec!["data"]
    }

    fn var(&self, name: &str) -> Result<VarData<'_>> {
        match (name, &self.history) {
            ("data", History::F32(v)) => Ok(VarData::F32(v)),
            ("data", History::Bool(v)) => Ok(VarData::Bool(v)),
            _ => Err(crate::state::unknown_var("VarDelay", name, &["data"])),
        }
    }

    fn var_shape(&self, name: &str) -> Result<Vec<usize>> {
        self.var(name)?;
        Ok(vec![self.rows, self.size])
    }

    fn var_mut(&mut self, name: &str) -> Result<VarDataMut<'_>> {
        match (name, &mut self.history) {
            ("data", History::F32(v)) => Ok(VarDataMut::F32(v)),
            ("data", History::Bool(v)) => Ok(VarDataMut::Bool(v)),
            _ => Err(crate::state::unknown_var("VarDelay", name, &["data"])),
        }
    }

    fn reset_state(&mut self, _rng: &mut Generator) {
        match &mut self.history {
            History::F32(v) => v.fill(0.0),
            History::Bool(v) => v.fill(false),
        }
        self.head = self.rows.saturating_sub(1);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stored(read: DelayRead<'_>) -> Vec<f32> {
        match read {
            DelayRead::Stored(VarData::F32(x)) => x.to_vec(),
            other => unreachable!("{other:?}"),
        }
    }

    #[test]
    fn entry_d_reads_value_pushed_d_minus_1_pushes_before_the_last() {
        let mut d = VarDelay::new(1, DType::F32);
        d.register_entry("a", 1).unwrap();
        d.register_entry("c", 3).unwrap();
        d.register_entry("z", 0).unwrap();
        assert_eq!(d.at("z").unwrap(), DelayRead::Live);
        assert_eq!(stored(d.at("c").unwrap()), vec![0.0]);
        for x in 1..=5 {
            d.push(VarData::F32(&[x as f32])).unwrap();
            // written then read in one step: entry d returns x[i - d + 1]
            assert_eq!(stored(d.at("a").unwrap()), vec![x as f32]);
            let want = if x >= 3 { (x - 2) as f32 } else { 0.0 };
            assert_eq!(stored(d.at("c").unwrap()), vec![want]);
        }
    }

    #[test]
    fn growing_keeps_history_and_unknown_entries_are_errors() {
        let mut d = VarDelay::new(2, DType::F32);
        d.register_entry("a", 2).unwrap();
        d.push(VarData::F32(&[1.0, 1.0])).unwrap();
        d.push(VarData::F32(&[2.0, 2.0])).unwrap();
        d.register_entry("b", 4).unwrap();
        assert_eq!(stored(d.at("a").unwrap()), vec![1.0, 1.0]);
        assert_eq!(stored(d.at("b").unwrap()), vec![0.0, 0.0]);
        d.push(VarData::F32(&[3.0, 3.0])).unwrap();
        assert_eq!(stored(d.at("b").unwrap()), vec![0.0, 0.0]);
        d.push(VarData::F32(&[4.0, 4.0])).unwrap();
        assert_eq!(stored(d.at("b").unwrap()), vec![1.0, 1.0]);
        assert!(matches!(d.at("nope"), Err(Error::Unknown { .. })));
        assert!(d.push(VarData::F32(&[1.0])).is_err());
        assert!(d.push(VarData::Bool(&[true, false])).is_err());
    }

    #[test]
    fn steps_are_ceil_of_time_over_dt() {
        assert_eq!(VarDelay::steps_for(None, 0.1).unwrap(), 0);
        assert_eq!(VarDelay::steps_for(Some(0.3), 0.1).unwrap(), 3);
        assert_eq!(VarDelay::steps_for(Some(1.0), 0.1).unwrap(), 10);
        assert_eq!(VarDelay::steps_for(Some(0.05), 0.1).unwrap(), 1);
        assert!(VarDelay::steps_for(Some(-1.0), 0.1).is_err());
        assert!(VarDelay::steps_for(Some(f64::NAN), 0.1).is_err());
    }
}
