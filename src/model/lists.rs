//! The small lists an asset holds (software, relations, details): grown one, two, four …
//! entries, and freed of spare room once built. Most assets have one or two entries, and a
//! list grown the usual way has room for four: a million devices would hold twice what they
//! use.

use thin_vec::ThinVec;

/// Makes room for one more entry, growing the list by its length (at least one).
pub(crate) fn reserve_one<T>(list: &mut ThinVec<T>) {
    if list.len() == list.capacity() {
        list.reserve_exact(list.len().max(1));
    }
}

/// Pushes onto a list, growing it one, two, four … entries.
pub(crate) fn push_tight<T>(list: &mut ThinVec<T>, item: T) {
    reserve_one(list);
    list.push(item);
}

/// Frees a list's unused room. The entries move to a new allocation of their size: shrinking
/// in place (`shrink_to_fit`, a `realloc`) leaves the block as it is with mimalloc whenever
/// at least half of it stays in use, so two products in room for four kept 112 bytes, not 64.
pub(crate) fn fit<T>(list: &mut ThinVec<T>) {
    if list.capacity() > list.len() {
        let mut exact = ThinVec::with_capacity(list.len());
        exact.extend(list.drain(..));
        *list = exact;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_grow_by_their_length_and_fit_their_entries() {
        let mut list = ThinVec::new();
        for k in 0..5 {
            push_tight(&mut list, k);
        }
        assert_eq!(list.capacity(), 8);
        fit(&mut list);
        assert_eq!((list.len(), list.capacity()), (5, 5));
    }
}
