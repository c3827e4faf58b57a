//! One bit per asset, where a `bool` would take a byte.

/// A set of asset positions below a fixed length.
#[derive(Debug, Clone, Default)]
pub(crate) struct Bits(Vec<u64>);

impl Bits {
    /// No position of `n` set.
    pub(crate) fn new(n: usize) -> Bits {
        Bits(vec![0; n.div_ceil(64)])
    }

    /// Whether `i` is set (false past the end).
    pub(crate) fn get(&self, i: usize) -> bool {
        self.0.get(i / 64).is_some_and(|w| w & (1 << (i % 64)) != 0)
    }

    /// Sets or clears `i`.
    pub(crate) fn set(&mut self, i: usize, on: bool) {
        let (word, bit) = (i / 64, 1u64 << (i % 64));
        if on {
            self.0[word] |= bit;
        } else {
            self.0[word] &= !bit;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bits_are_set_cleared_and_false_past_the_end() {
        let mut bits = Bits::new(130);
        bits.set(0, true);
        bits.set(129, true);
        bits.set(64, true);
        bits.set(64, false);
        assert!(bits.get(0) && bits.get(129));
        assert!(!bits.get(64) && !bits.get(1) && !bits.get(500));
    }
}
