//! The one way the app's tables and lists keep a selection and the rows shown around it.

use std::ops::Range;

/// A selection in a list and the first row of the window shown. Every table and list (assets,
/// dependency tree, wave list, wave members, vendor panes) moves and scrolls through it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ListWindow {
    /// The selected item.
    pub selected: usize,
    /// The first item shown.
    pub offset: usize,
}

impl ListWindow {
    /// Moves the selection by `delta` (clamped to the `len` items) and scrolls a window of
    /// `rows` so that it stays in view.
    pub fn move_by(&mut self, delta: i64, len: usize, rows: usize) {
        let target = (self.selected as i64).saturating_add(delta).max(0) as usize;
        self.select(target, len, rows);
    }

    /// Selects item `i` (the last one when `i` is past the end) and scrolls to it.
    pub fn select(&mut self, i: usize, len: usize, rows: usize) {
        self.selected = i.min(len.saturating_sub(1));
        self.scroll_into_view(rows);
    }

    /// After the list or the window changed size: the selection stays on an item, in view, and
    /// the window does not start past it.
    pub fn keep(&mut self, len: usize, rows: usize) {
        self.selected = self.selected.min(len.saturating_sub(1));
        self.offset = self.offset.min(self.selected);
        self.scroll_into_view(rows);
    }

    /// Back to the first item.
    pub fn reset(&mut self) {
        *self = ListWindow::default();
    }

    /// The items shown in a window of `rows`, for a list of `len`.
    pub fn visible(&self, len: usize, rows: usize) -> Range<usize> {
        let start = self.offset.min(len);
        start..(start + rows).min(len)
    }

    /// The offset that shows the selection in a window of `rows`, moving as little as possible.
    fn scrolled(&self, rows: usize) -> usize {
        let rows = rows.max(1);
        if self.selected < self.offset {
            self.selected
        } else if self.selected >= self.offset + rows {
            self.selected + 1 - rows
        } else {
            self.offset
        }
    }

    /// Scrolls a window of `rows` so that the selection is in it (the selection stays).
    pub fn scroll_into_view(&mut self, rows: usize) {
        self.offset = self.scrolled(rows);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn moving_scrolls_as_little_as_possible() {
        let mut w = ListWindow::default();
        w.move_by(5, 100, 10);
        assert_eq!((w.selected, w.offset), (5, 0));
        w.move_by(7, 100, 10);
        assert_eq!((w.selected, w.offset), (12, 3));
        w.move_by(-10, 100, 10);
        assert_eq!((w.selected, w.offset), (2, 2));
        w.move_by(i64::MAX / 2, 100, 10);
        assert_eq!((w.selected, w.offset), (99, 90));
        w.move_by(i64::MIN / 2, 100, 10);
        assert_eq!((w.selected, w.offset), (0, 0));
        assert_eq!(w.visible(100, 10), 0..10);
    }

    #[test]
    fn an_empty_list_selects_nothing_past_its_start() {
        let mut w = ListWindow {
            selected: 40,
            offset: 35,
        };
        w.keep(0, 10);
        assert_eq!(w, ListWindow::default());
        assert_eq!(w.visible(0, 10), 0..0);
    }

    proptest! {
        #[test]
        fn the_selection_always_stays_on_an_item_and_in_view(
            moves in proptest::collection::vec((-50i64..50, 0usize..60, 1usize..20), 1..40)
        ) {
            let mut w = ListWindow::default();
            for (delta, len, rows) in moves {
                w.keep(len, rows);
                w.move_by(delta, len, rows);
                prop_assert!(w.selected < len.max(1));
                prop_assert!(w.offset <= w.selected);
                prop_assert!(w.selected < w.offset + rows);
            }
        }
    }
}
