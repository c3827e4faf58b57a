//! A list kept in chunks, read back chunk by chunk: the chunks already read are freed while
//! the rest is still held. A vendor export's device records (a hundred bytes each) are merged
//! into the inventory this way, so that a million of them are never held twice over.

/// Items per chunk.
const CHUNK: usize = 16 * 1024;

/// A list of `T` in chunks of [`CHUNK`].
#[derive(Debug)]
pub(crate) struct Chunked<T> {
    chunks: Vec<Vec<T>>,
    len: usize,
}

impl<T> Default for Chunked<T> {
    fn default() -> Self {
        Chunked {
            chunks: Vec::new(),
            len: 0,
        }
    }
}

impl<T> Chunked<T> {
    /// Appends an item.
    pub(crate) fn push(&mut self, item: T) {
        match self.chunks.last_mut() {
            Some(last) if last.len() < CHUNK => last.push(item),
            _ => {
                // A small list does not take a whole chunk.
                let mut chunk = match self.chunks.is_empty() {
                    true => Vec::new(),
                    false => Vec::with_capacity(CHUNK),
                };
                chunk.push(item);
                self.chunks.push(chunk);
            }
        }
        self.len += 1;
    }

    /// The last item.
    pub(crate) fn last(&self) -> Option<&T> {
        self.chunks.last().and_then(|chunk| chunk.last())
    }

    /// Number of items.
    pub(crate) fn len(&self) -> usize {
        self.len
    }

    /// True when the list holds nothing.
    pub(crate) fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The items in order.
    pub(crate) fn iter(&self) -> impl DoubleEndedIterator<Item = &T> {
        self.chunks.iter().flatten()
    }

    /// The items in order, to change.
    pub(crate) fn iter_mut(&mut self) -> impl Iterator<Item = &mut T> {
        self.chunks.iter_mut().flatten()
    }

    /// The items in order, each chunk freed once it is read.
    pub(crate) fn drain(self) -> impl ExactSizeIterator<Item = T> {
        Drain {
            chunks: self.chunks.into_iter(),
            current: Vec::new().into_iter(),
            left: self.len,
        }
    }
}

impl<T> std::ops::Index<usize> for Chunked<T> {
    type Output = T;

    /// The item at `index` (every chunk but the last is full).
    fn index(&self, index: usize) -> &T {
        &self.chunks[index / CHUNK][index % CHUNK]
    }
}

impl<T> std::ops::IndexMut<usize> for Chunked<T> {
    fn index_mut(&mut self, index: usize) -> &mut T {
        &mut self.chunks[index / CHUNK][index % CHUNK]
    }
}

struct Drain<T> {
    chunks: std::vec::IntoIter<Vec<T>>,
    current: std::vec::IntoIter<T>,
    left: usize,
}

impl<T> Iterator for Drain<T> {
    type Item = T;

    fn next(&mut self) -> Option<T> {
        loop {
            if let Some(item) = self.current.next() {
                self.left -= 1;
                return Some(item);
            }
            // Replacing the exhausted chunk frees it.
            self.current = self.chunks.next()?.into_iter();
        }
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        (self.left, Some(self.left))
    }
}

impl<T> ExactSizeIterator for Drain<T> {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn items_come_back_in_order_across_chunks() {
        let mut list = Chunked::default();
        let n = 2 * CHUNK + 5;
        for i in 0..n {
            list.push(i);
        }
        assert_eq!(list.chunks.len(), 3);
        assert_eq!(list.iter().next_back(), Some(&(n - 1)));
        assert_eq!(
            (list[0], list[CHUNK], list[n - 1], list.len()),
            (0, CHUNK, n - 1, n)
        );
        let drained = list.drain();
        assert_eq!(drained.len(), n);
        assert!(drained.eq(0..n));
        assert!(Chunked::<u8>::default().is_empty());
    }
}
