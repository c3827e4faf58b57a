//! Three-way merging of values, keyed records, sets and the history.

use super::{Conflict, Scope};
use crate::plan::model::Event;
use crate::tomlfmt::ser::{Escape, Writer};
use serde::Serialize;
use std::collections::{HashMap, HashSet};
use std::hash::Hash;

/// Collects the conflicts of one merge.
#[derive(Default)]
pub(super) struct Report {
    pub(super) conflicts: Vec<Conflict>,
}

impl Report {
    /// The merged value: the side that changed it against `base` (no base: the record was added
    /// on both sides), or ours, recording a conflict when both changed it differently.
    pub(super) fn value<T: PartialEq + Clone + Serialize>(
        &mut self,
        scope: &Scope,
        field: &str,
        base: Option<&T>,
        ours: &T,
        theirs: &T,
    ) -> T {
        match pick(base, ours, theirs) {
            Some(v) => v.clone(),
            None => {
                self.conflict(
                    scope,
                    field,
                    base.map(render),
                    Some(render(ours)),
                    Some(render(theirs)),
                );
                ours.clone()
            }
        }
    }

    /// Records a conflict; `None` for a side that does not have the record.
    pub(super) fn conflict(
        &mut self,
        scope: &Scope,
        field: &str,
        base: Option<String>,
        ours: Option<String>,
        theirs: Option<String>,
    ) {
        self.conflicts.push(Conflict {
            scope: scope.clone(),
            field: field.to_string(),
            base,
            ours,
            theirs,
        });
    }
}

/// The side that changed the value, either when both agree; None for a true conflict.
pub(super) fn pick<'a, T: PartialEq>(
    base: Option<&T>,
    ours: &'a T,
    theirs: &'a T,
) -> Option<&'a T> {
    if ours == theirs || base == Some(theirs) {
        Some(ours)
    } else if base == Some(ours) {
        Some(theirs)
    } else {
        None
    }
}

/// A value as it is written in the plan file (`"w3"`, `true`, `{ option = … }`), `(none)` for
/// an absent one.
pub(super) fn render<T: Serialize>(value: &T) -> String {
    let mut s = String::new();
    let written = Writer::new(&mut s, Escape::Plain).key("v", value);
    match s.strip_prefix("v = ") {
        Some(v) if written.is_ok() => crate::model::text::clean(v.trim_end()),
        _ => "(none)".to_string(),
    }
}

impl Report {
    /// Records that one side removed a record the other changed (`describe` shows it).
    pub(super) fn removed<T>(
        &mut self,
        scope: &Scope,
        sides: &Sides<'_, T>,
        describe: impl Fn(&T) -> String,
    ) {
        self.conflict(
            scope,
            "(removed on one side, changed on the other)",
            sides.base.map(&describe),
            sides.ours.map(&describe),
            sides.theirs.map(&describe),
        );
    }
}

/// One record of a keyed list as the three sides have it.
pub(super) struct Sides<'a, T> {
    pub(super) base: Option<&'a T>,
    pub(super) ours: Option<&'a T>,
    pub(super) theirs: Option<&'a T>,
}

/// Merges lists of records identified by `key`: records on both sides are merged by `both`;
/// one added on one side is kept; one removed on one side and unchanged on the other is
/// removed; removed on one side and changed on the other is a conflict (`removed` reports it)
/// and ours is kept. The result is in ours' order, records only theirs has after them in their
/// order.
pub(super) fn keyed<T: Clone + PartialEq, K: Hash + Eq>(
    report: &mut Report,
    base: &[T],
    ours: &[T],
    theirs: &[T],
    key: impl Fn(&T) -> K,
    mut both: impl FnMut(&mut Report, Option<&T>, &T, &T) -> T,
    mut removed: impl FnMut(&mut Report, Sides<'_, T>),
) -> Vec<T> {
    let index = |list: &'_ [T]| -> HashMap<K, usize> {
        list.iter().enumerate().map(|(i, r)| (key(r), i)).collect()
    };
    let (b, t) = (index(base), index(theirs));
    let o = index(ours);
    let mut out = Vec::with_capacity(ours.len().max(theirs.len()));
    for rec in ours {
        let k = key(rec);
        let in_base = b.get(&k).map(|&i| &base[i]);
        match t.get(&k).map(|&i| &theirs[i]) {
            Some(th) => out.push(both(report, in_base, rec, th)),
            None => match in_base {
                None => out.push(rec.clone()),
                Some(bs) if bs == rec => {}
                Some(bs) => {
                    removed(
                        report,
                        Sides {
                            base: Some(bs),
                            ours: Some(rec),
                            theirs: None,
                        },
                    );
                    out.push(rec.clone());
                }
            },
        }
    }
    for rec in theirs {
        let k = key(rec);
        if o.contains_key(&k) {
            continue;
        }
        match b.get(&k).map(|&i| &base[i]) {
            None => out.push(rec.clone()),
            Some(bs) if bs == rec => {}
            Some(bs) => removed(
                report,
                Sides {
                    base: Some(bs),
                    ours: None,
                    theirs: Some(rec),
                },
            ),
        }
    }
    out
}

/// Merges unordered collections: an element stays unless one side removed it, and one either
/// side added is kept. Ours' order, then theirs' additions; the flag says whether any came
/// from theirs (the caller then restores the collection's order).
pub(super) fn set<T: Clone, K: Hash + Eq>(
    base: &[T],
    ours: &[T],
    theirs: &[T],
    key: impl Fn(&T) -> K,
) -> (Vec<T>, bool) {
    let keys = |list: &'_ [T]| -> HashSet<K> { list.iter().map(&key).collect() };
    let (b, o, t) = (keys(base), keys(ours), keys(theirs));
    let mut out: Vec<T> = ours
        .iter()
        .filter(|x| {
            let k = key(x);
            t.contains(&k) || !b.contains(&k)
        })
        .cloned()
        .collect();
    let before = out.len();
    let mut added = HashSet::new();
    for x in theirs {
        let k = key(x);
        if !o.contains(&k) && !b.contains(&k) && added.insert(key(x)) {
            out.push(x.clone());
        }
    }
    let from_theirs = out.len() > before;
    (out, from_theirs)
}

/// An event's content, hashable and ordered.
pub(super) type EventKey<'a> = (
    crate::model::Timestamp,
    &'a str,
    &'a str,
    &'a str,
    &'a str,
    &'a str,
    Option<&'a str>,
);

/// The key of an event: all of it, time first.
pub(super) fn event_key(e: &Event) -> EventKey<'_> {
    (
        e.at,
        &e.asset,
        &e.field,
        &e.from,
        &e.to,
        &e.by,
        e.note.as_deref(),
    )
}

/// The union of both histories: each event as often as the side that has it most often (an
/// event both sides have, from the base or not, once). Ours' events keep their order; theirs'
/// others go in by time, after ours' events of the same second, ordered among themselves by
/// their content. Events are never removed: the history only grows.
pub(super) fn events(ours: &[Event], theirs: &[Event]) -> Vec<Event> {
    let mut in_ours: HashMap<EventKey<'_>, usize> = HashMap::new();
    for e in ours {
        *in_ours.entry(event_key(e)).or_default() += 1;
    }
    let mut extra: Vec<&Event> = Vec::new();
    for e in theirs {
        match in_ours.get_mut(&event_key(e)) {
            Some(n) if *n > 0 => *n -= 1,
            _ => extra.push(e),
        }
    }
    if extra.is_empty() {
        return ours.to_vec();
    }
    extra.sort_by(|a, b| event_key(a).cmp(&event_key(b)));
    let mut out = Vec::with_capacity(ours.len() + extra.len());
    let mut extra = extra.into_iter().peekable();
    for e in ours {
        while let Some(x) = extra.next_if(|x| x.at < e.at) {
            out.push(x.clone());
        }
        out.push(e.clone());
    }
    out.extend(extra.cloned());
    out
}
