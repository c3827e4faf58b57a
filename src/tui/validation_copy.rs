//! The copy of the plan that validations read, kept in step with the app's plan by replaying
//! its edits, so that an edit never has to copy a plan a validation worker still reads.

use crate::plan::{Edit, EditContext, Plan, apply};
use std::sync::Arc;

/// A second copy of the plan for validation workers. The app edits its own plan in place;
/// the edits are recorded and replayed on this copy when the next validation takes it, once no
/// worker reads it any more. The first validation of a plan reads the app's plan itself and
/// its worker sends back the copy.
#[derive(Debug, Default)]
pub struct ValidationCopy {
    /// The copy, once a worker made it.
    copy: Option<Arc<Plan>>,
    /// A worker is making the copy (from the plan as it was when the validation was asked).
    making: bool,
    /// The app's edits the copy has not seen yet, with how they were made.
    behind: Vec<(Edit, EditContext)>,
    /// A validation was asked for while the copy was being read: ask again when it is back.
    pub again: bool,
}

/// What a validation asked for now reads.
#[derive(Debug)]
pub enum Snapshot {
    /// This plan; with `true`, the worker also sends back a copy of it.
    Read(Arc<Plan>, bool),
    /// Nothing yet: the copy is being read or made; [`ValidationCopy::again`] is set.
    Later,
}

impl ValidationCopy {
    /// Forgets the copy (the app's plan was replaced or changed by other means than an edit);
    /// a validation still owed is still asked for.
    pub fn forget(&mut self) {
        *self = ValidationCopy {
            again: self.again,
            ..ValidationCopy::default()
        };
    }

    /// Records an edit the app's plan went through.
    pub fn record(&mut self, e: &Edit, ctx: &EditContext) {
        if self.copy.is_some() || self.making {
            self.behind.push((e.clone(), ctx.clone()));
        }
    }

    /// What a validation of `plan` (the app's plan) reads: the copy brought up to date when
    /// no worker reads it, `plan` itself (to be copied by the worker) when there is no copy.
    pub fn snapshot(&mut self, plan: &Arc<Plan>) -> Snapshot {
        if self.making {
            self.again = true;
            return Snapshot::Later;
        }
        let Some(copy) = self.copy.as_mut() else {
            return self.make(plan);
        };
        let Some(mine) = Arc::get_mut(copy) else {
            self.again = true;
            return Snapshot::Later;
        };
        let replayed = self
            .behind
            .drain(..)
            .all(|(e, ctx)| apply(mine, &e, &ctx).is_ok());
        // The same edits on the same plan give the same plan; anything else starts over.
        let same = replayed
            && mine.assets.len() == plan.assets.len()
            && mine.events.len() == plan.events.len()
            && mine.waves.len() == plan.waves.len();
        if !same {
            self.forget();
            return self.make(plan);
        }
        // This validation reads the plan as it is now: none is owed any more.
        self.again = false;
        Snapshot::Read(Arc::clone(copy), false)
    }

    fn make(&mut self, plan: &Arc<Plan>) -> Snapshot {
        self.making = true;
        self.again = false;
        Snapshot::Read(Arc::clone(plan), true)
    }

    /// The copy a worker made of the plan it was given.
    pub fn made(&mut self, copy: Plan) {
        if self.making {
            self.copy = Some(Arc::new(copy));
            self.making = false;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::{PlannedAsset, Settings};

    fn plan() -> Arc<Plan> {
        let mut p = Plan::empty(
            "t",
            Settings::new(crate::model::Date::from_ymd(2026, 12, 7).expect("date")),
            Vec::new(),
        );
        p.assets = ["a", "b"].map(|id| PlannedAsset::new(id, "w1")).to_vec();
        Arc::new(p)
    }

    fn pin(id: &str) -> Edit {
        Edit::Pin {
            asset: id.into(),
            pinned: true,
        }
    }

    #[test]
    fn the_copy_follows_the_edits_and_waits_while_it_is_read() {
        let ctx = EditContext::user(Some("t"));
        let mut app = plan();
        let mut v = ValidationCopy::default();
        let Snapshot::Read(first, true) = v.snapshot(&app) else {
            panic!("the first validation reads the app's plan and asks for a copy");
        };
        assert!(Arc::ptr_eq(&first, &app));
        // An edit while the worker makes the copy: recorded, the next validation waits.
        apply(Arc::make_mut(&mut app), &pin("a"), &ctx).expect("edit");
        v.record(&pin("a"), &ctx);
        assert!(matches!(v.snapshot(&app), Snapshot::Later));
        assert!(v.again);
        v.made(Plan::clone(&first));
        drop(first);
        let Snapshot::Read(copy, false) = v.snapshot(&app) else {
            panic!("the copy, brought up to date");
        };
        assert_eq!(*copy, *app);
        // While a worker reads the copy, the app's plan is edited in place.
        let before = Arc::as_ptr(&app);
        apply(Arc::get_mut(&mut app).expect("not shared"), &pin("b"), &ctx).expect("edit");
        v.record(&pin("b"), &ctx);
        assert_eq!(Arc::as_ptr(&app), before);
        assert!(matches!(v.snapshot(&app), Snapshot::Later));
        drop(copy);
        let Snapshot::Read(copy, false) = v.snapshot(&app) else {
            panic!("the copy again");
        };
        assert_eq!(*copy, *app);
    }
}
