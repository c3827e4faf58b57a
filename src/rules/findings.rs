//! The findings of a whole inventory, kept in one list.

use super::Finding;

/// The findings of every asset of an inventory, in inventory order: one list, each asset's
/// a slice of it, so that a million assets with a finding each cost no allocation apiece.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Findings {
    /// Where each asset's findings end in `items` (asset `i`'s start where `i - 1`'s end).
    ends: Vec<u32>,
    items: Vec<Finding>,
}

impl Findings {
    /// The findings of assets whose findings end at `ends` (asset `i`'s start where `i - 1`'s
    /// end) in `items`.
    pub(crate) fn from_parts(ends: Vec<u32>, items: Vec<Finding>) -> Findings {
        debug_assert!(ends.last().is_none_or(|&end| end as usize == items.len()));
        Findings { ends, items }
    }

    /// Adds the next asset's findings.
    pub fn push(&mut self, findings: impl IntoIterator<Item = Finding>) {
        self.items.extend(findings);
        let end = u32::try_from(self.items.len()).expect("fewer than 4 billion findings");
        self.ends.push(end);
    }

    /// Number of assets.
    pub fn len(&self) -> usize {
        self.ends.len()
    }

    /// True when there are no assets.
    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    /// Number of findings of all assets.
    pub fn total(&self) -> usize {
        self.items.len()
    }

    /// Each asset's findings, in order.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = &[Finding]> + DoubleEndedIterator {
        (0..self.len()).map(|i| &self[i])
    }
}

impl std::ops::Index<usize> for Findings {
    type Output = [Finding];

    /// The findings of asset `i`.
    fn index(&self, i: usize) -> &[Finding] {
        let start = match i {
            0 => 0,
            _ => self.ends[i - 1] as usize,
        };
        &self.items[start..self.ends[i] as usize]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::Role;

    fn finding(software: u32) -> Finding {
        Finding {
            software,
            rule: 0,
            reason: "r".into(),
            role: Role::Endpoint,
        }
    }

    #[test]
    fn a_finding_stays_small() {
        // A million flagged devices hold one or two each.
        assert_eq!(std::mem::size_of::<Finding>(), 16);
    }

    #[test]
    fn each_asset_gets_its_own_slice() {
        let mut findings = Findings::default();
        for list in [
            vec![],
            vec![finding(0), finding(2)],
            vec![],
            vec![finding(1)],
        ] {
            findings.push(list);
        }
        assert_eq!((findings.len(), findings.total()), (4, 3));
        assert!(findings[0].is_empty() && findings[2].is_empty());
        assert_eq!(findings[1], [finding(0), finding(2)]);
        assert_eq!(findings[3], [finding(1)]);
        let sizes: Vec<usize> = findings.iter().map(<[Finding]>::len).collect();
        assert_eq!(sizes, [0, 2, 0, 1]);
    }
}
