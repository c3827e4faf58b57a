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

/// Frees a list's unused room.
pub(crate) fn fit<T>(list: &mut ThinVec<T>) {
    if list.capacity() > list.len() {
        list.shrink_to_fit();
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
