//! The positions of the `true` entries of a spike vector: the events that drive propagation
//! and compact recording.
//!
//! In a step only a few neurons spike (0.2% at 20 Hz and dt 0.1 ms), so the vector is scanned
//! in blocks whose any-test the compiler vectorises, and only blocks with a spike are looked
//! at element by element.

/// Elements tested at once.
const BLOCK: usize = 64;

/// Calls `f(i)` for every `i` with `spikes[i]`, in increasing order.
#[inline]
pub fn for_each_spike(spikes: &[bool], mut f: impl FnMut(usize)) {
    for (b, block) in spikes.chunks(BLOCK).enumerate() {
        if block.iter().fold(false, |any, &s| any | s) {
            for (k, &s) in block.iter().enumerate() {
                if s {
                    f(b * BLOCK + k);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_every_spike_in_order() {
        let mut spikes = vec![false; 1000];
        let want = [0usize, 63, 64, 65, 500, 998, 999];
        for &i in &want {
            spikes[i] = true;
        }
        let mut got = Vec::new();
        for_each_spike(&spikes, |i| got.push(i));
        assert_eq!(got, want);
        let mut none = 0;
        for_each_spike(&[false; 130], |_| none += 1);
        assert_eq!(none, 0);
    }
}
