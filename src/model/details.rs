//! The less common facts of an asset (site, owner, tags, management-tool ids) in one list, so
//! that an asset with none of them costs one pointer and no allocation.

use super::text::Text;
use std::ops::Range;
use thin_vec::ThinVec;

/// Which fact an entry of [`Details`] holds; entries are kept in this order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) enum Field {
    Site,
    Owner,
    Tag,
    VendorId,
}

/// Site, owner, tags and tool ids of an asset (read through [`super::Asset`]'s accessors).
///
/// One list of `(field, text)` entries in field order; within a field, in the order they
/// were added. Site and owner have at most one entry.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Details(ThinVec<(Field, Text)>);

impl Details {
    /// Where `field`'s entries sit.
    fn range(&self, field: Field) -> Range<usize> {
        let start = self.0.partition_point(|(f, _)| *f < field);
        let end = start + self.0[start..].partition_point(|(f, _)| *f == field);
        start..end
    }

    /// The entry of a single-valued field.
    pub(crate) fn one(&self, field: Field) -> Option<&Text> {
        self.0
            .get(self.range(field).start)
            .and_then(|(f, t)| (*f == field).then_some(t))
    }

    /// Sets (or with `None` clears) a single-valued field.
    pub(crate) fn set_one(&mut self, field: Field, value: Option<Text>) {
        let range = self.range(field);
        match (range.is_empty(), value) {
            (false, Some(value)) => self.0[range.start].1 = value,
            (false, None) => {
                self.0.remove(range.start);
            }
            (true, Some(value)) => self.insert(range.start, (field, value)),
            (true, None) => {}
        }
    }

    /// The entries of `field`, in the order they were added.
    pub(crate) fn all(
        &self,
        field: Field,
    ) -> impl DoubleEndedIterator<Item = &Text> + ExactSizeIterator + Clone {
        self.0[self.range(field)].iter().map(|(_, t)| t)
    }

    /// The entries of `field`, to change in place.
    pub(crate) fn all_mut(&mut self, field: Field) -> impl Iterator<Item = &mut Text> {
        let range = self.range(field);
        self.0[range].iter_mut().map(|(_, t)| t)
    }

    /// Adds an entry after `field`'s others.
    pub(crate) fn push(&mut self, field: Field, value: Text) {
        let at = self.range(field).end;
        self.insert(at, (field, value));
    }

    /// Replaces `field`'s entries.
    pub(crate) fn set_all(&mut self, field: Field, values: impl IntoIterator<Item = Text>) {
        self.retain(field, |_| false);
        let mut values = values.into_iter().peekable();
        if values.peek().is_none() {
            return;
        }
        // Sized exactly: a million assets would otherwise each keep the slack of a grown list.
        let values: Vec<Text> = values.collect();
        self.0.reserve_exact(values.len());
        let at = self.range(field).start;
        for (k, value) in values.into_iter().enumerate() {
            self.0.insert(at + k, (field, value));
        }
    }

    /// Keeps the entries of `field` for which `keep` holds (and every other field's).
    pub(crate) fn retain(&mut self, field: Field, mut keep: impl FnMut(&Text) -> bool) {
        self.0.retain(|(f, t)| *f != field || keep(t));
    }

    /// Every text, to change in place (e.g. to share equal ones).
    pub(crate) fn texts_mut(&mut self) -> impl Iterator<Item = &mut Text> {
        self.0.iter_mut().map(|(_, t)| t)
    }

    /// Frees the list's spare room.
    pub(crate) fn fit(&mut self) {
        super::lists::fit(&mut self.0);
    }

    /// Inserts growing the list one, two, four … entries (most assets have one or two).
    fn insert(&mut self, at: usize, entry: (Field, Text)) {
        super::lists::reserve_one(&mut self.0);
        self.0.insert(at, entry);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts<'a>(it: impl Iterator<Item = &'a Text>) -> Vec<&'a str> {
        it.map(Text::as_str).collect()
    }

    #[test]
    fn fields_keep_their_own_entries_in_the_order_added() {
        let mut d = Details::default();
        d.push(Field::VendorId, "cm:1".into());
        d.push(Field::Tag, "pilot".into());
        d.set_one(Field::Owner, Some("ops".into()));
        d.push(Field::Tag, "kritis".into());
        d.set_one(Field::Site, Some("HQ".into()));
        assert_eq!(d.one(Field::Site).map(Text::as_str), Some("HQ"));
        assert_eq!(d.one(Field::Owner).map(Text::as_str), Some("ops"));
        assert_eq!(texts(d.all(Field::Tag)), ["pilot", "kritis"]);
        assert_eq!(texts(d.all(Field::VendorId)), ["cm:1"]);
        d.set_one(Field::Site, Some("Plant".into()));
        d.set_one(Field::Owner, None);
        assert_eq!(d.one(Field::Site).map(Text::as_str), Some("Plant"));
        assert_eq!(d.one(Field::Owner), None);
        d.set_all(Field::Tag, ["a".into(), "b".into()]);
        d.retain(Field::Tag, |t| t.as_str() != "a");
        assert_eq!(texts(d.all(Field::Tag)), ["b"]);
        assert_eq!(d.0.len(), 3);
    }

    #[test]
    fn equal_facts_added_in_any_field_order_are_equal() {
        let mut a = Details::default();
        a.push(Field::Tag, "t".into());
        a.set_one(Field::Site, Some("s".into()));
        let mut b = Details::default();
        b.set_one(Field::Site, Some("s".into()));
        b.push(Field::Tag, "t".into());
        assert_eq!(a, b);
    }

    #[test]
    fn no_details_cost_one_pointer() {
        assert_eq!(std::mem::size_of::<Details>(), 8);
        assert_eq!(std::mem::size_of::<(Field, Text)>(), 16);
    }
}
