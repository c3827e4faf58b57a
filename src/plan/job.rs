//! Progress and cancellation of a long planning run, shared between the thread doing the work
//! and whoever watches it (the app's status bar, the CLI's progress line).
//!
//! The worker reports a [`Phase`] and a count of items done; the watcher reads a [`Snapshot`]
//! or asks the worker to stop with [`Job::cancel`]. Work checks the flag at coarse intervals
//! (see [`Job::tick`]), so the cost per item is one branch.

use std::fmt;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use strum::VariantArray;

/// A stage of making a plan, in the order they run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, strum::VariantArray)]
pub enum Phase {
    /// Nothing started yet.
    Waiting,
    /// Reading the inventory files.
    Reading,
    /// Finding flagged products and who relies on whom.
    Analysing,
    /// Grouping direct assets into scheduling units (dependency cycles share a wave).
    Units,
    /// Choosing products and describing each unit for the layout.
    Products,
    /// Placing units into waves.
    Layout,
    /// Writing the planned assets with their reasons.
    Assets,
    /// Sorting and checking the calendar.
    Finishing,
    /// Writing the plan file.
    Saving,
    /// Checking the plan's rules.
    Validating,
    /// Finished.
    Done,
    /// Stopped by [`Job::cancel`].
    Cancelled,
}

impl Phase {
    /// What the phase does, for a progress line.
    pub fn label(self) -> &'static str {
        match self {
            Phase::Waiting => "starting",
            Phase::Reading => "reading the inventory",
            Phase::Analysing => "analysing",
            Phase::Units => "grouping dependency cycles",
            Phase::Products => "choosing products",
            Phase::Layout => "placing waves",
            Phase::Assets => "writing planned assets",
            Phase::Finishing => "finishing",
            Phase::Saving => "saving",
            Phase::Validating => "validating",
            Phase::Done => "done",
            Phase::Cancelled => "cancelled",
        }
    }

    /// The share of plan generation (percent, from … to) this phase covers, measured on a
    /// generated estate of 1,000,000 assets; None for phases outside generation.
    fn span(self) -> Option<(u64, u64)> {
        match self {
            Phase::Products => Some((0, 40)),
            Phase::Layout => Some((40, 65)),
            Phase::Assets => Some((65, 95)),
            Phase::Finishing => Some((95, 100)),
            Phase::Done => Some((100, 100)),
            _ => None,
        }
    }
}

impl fmt::Display for Phase {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

/// The run was cancelled; its partial results were dropped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cancelled;

impl fmt::Display for Cancelled {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("cancelled")
    }
}

impl std::error::Error for Cancelled {}

/// Where a run is: its phase and the items of that phase done so far.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Snapshot {
    /// The phase running (or the last one, once done or cancelled).
    pub phase: Phase,
    /// Items of the phase done.
    pub done: u64,
    /// Items of the phase in all (0: not counted).
    pub total: u64,
}

impl Snapshot {
    /// Percent of plan generation done, when the phase is part of it.
    pub fn percent(&self) -> Option<u8> {
        let (from, to) = self.phase.span()?;
        let within = match self.total {
            0 => 0,
            t => (to - from) * self.done.min(t) / t,
        };
        u8::try_from(from + within).ok()
    }

    /// "placing waves 52 %", or the phase alone when it is not measured.
    pub fn describe(&self) -> String {
        match self.percent() {
            Some(p) if self.phase != Phase::Done => format!("{} {p} %", self.phase),
            _ => self.phase.to_string(),
        }
    }
}

/// Phase, items done and items in all, packed into one word so that a watcher never sees the
/// count of one phase with the name of another.
#[derive(Debug, Default)]
struct Inner {
    cancelled: AtomicBool,
    state: AtomicU64,
}

/// Bits of each count (items beyond it are counted as the maximum).
const COUNT_BITS: u32 = 30;
const COUNT_MAX: u64 = (1 << COUNT_BITS) - 1;

fn pack(phase: Phase, done: u64, total: u64) -> u64 {
    ((phase as u64) << (2 * COUNT_BITS))
        | (total.min(COUNT_MAX) << COUNT_BITS)
        | done.min(COUNT_MAX)
}

/// A handle on one run: clones share it. A fresh job is never cancelled unless someone holding
/// a clone cancels it.
#[derive(Debug, Clone, Default)]
pub struct Job {
    inner: Arc<Inner>,
}

/// Items between two looks at the cancel flag (a power of two).
const EVERY: u64 = 4096;

impl Job {
    /// A job nobody has cancelled.
    pub fn new() -> Job {
        Job::default()
    }

    /// Asks the run to stop at its next check.
    pub fn cancel(&self) {
        self.inner.cancelled.store(true, Ordering::Relaxed);
    }

    /// True once [`Job::cancel`] was called.
    pub fn is_cancelled(&self) -> bool {
        self.inner.cancelled.load(Ordering::Relaxed)
    }

    /// Starts a phase of `total` items (0: not counted).
    pub fn begin(&self, phase: Phase, total: u64) -> Result<(), Cancelled> {
        self.check()?;
        self.set(pack(phase, 0, total));
        Ok(())
    }

    /// Records `done` items of the current phase and looks at the cancel flag, both only every
    /// few thousand items: call it once per item.
    #[inline]
    pub fn tick(&self, done: u64) -> Result<(), Cancelled> {
        if !done.is_multiple_of(EVERY) {
            return Ok(());
        }
        let now = self.snapshot();
        self.set(pack(now.phase, done, now.total));
        self.check()
    }

    /// Fails when the run was cancelled (and records that it stopped).
    pub fn check(&self) -> Result<(), Cancelled> {
        if self.is_cancelled() {
            let now = self.snapshot();
            self.set(pack(Phase::Cancelled, now.done, now.total));
            return Err(Cancelled);
        }
        Ok(())
    }

    /// Marks the run finished.
    pub fn finish(&self) {
        self.set(pack(Phase::Done, 0, 0));
    }

    /// Where the run is now.
    pub fn snapshot(&self) -> Snapshot {
        let state = self.inner.state.load(Ordering::Relaxed);
        let phase = usize::try_from(state >> (2 * COUNT_BITS))
            .ok()
            .and_then(|p| Phase::VARIANTS.get(p).copied())
            .unwrap_or(Phase::Waiting);
        Snapshot {
            phase,
            done: state & COUNT_MAX,
            total: (state >> COUNT_BITS) & COUNT_MAX,
        }
    }

    /// Only the thread doing the work writes the state: a load and a store suffice.
    fn set(&self, state: u64) {
        self.inner.state.store(state, Ordering::Relaxed);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phases_index_their_own_table() {
        for (i, p) in Phase::VARIANTS.iter().enumerate() {
            assert_eq!(*p as usize, i);
        }
    }

    #[test]
    fn percent_runs_through_the_generation_phases() {
        let job = Job::new();
        assert_eq!(job.snapshot().percent(), None);
        job.begin(Phase::Products, 10_000).unwrap();
        assert_eq!(job.snapshot().percent(), Some(0));
        job.tick(8192).unwrap();
        assert_eq!(job.snapshot().percent(), Some(32));
        job.tick(8193).unwrap();
        assert_eq!(
            job.snapshot().done,
            8192,
            "only every few thousand items are recorded"
        );
        job.begin(Phase::Assets, 0).unwrap();
        assert_eq!(job.snapshot().describe(), "writing planned assets 65 %");
        job.finish();
        assert_eq!(job.snapshot().percent(), Some(100));
        assert_eq!(job.snapshot().describe(), "done");
    }

    #[test]
    fn a_cancelled_job_fails_its_next_check_and_says_so() {
        let job = Job::new();
        let watcher = job.clone();
        job.begin(Phase::Layout, 100_000).unwrap();
        assert_eq!(job.tick(1), Ok(()));
        watcher.cancel();
        assert_eq!(job.tick(1), Ok(()), "between checks the flag is not read");
        assert_eq!(job.tick(4096), Err(Cancelled));
        assert_eq!(job.begin(Phase::Assets, 1), Err(Cancelled));
        assert_eq!(watcher.snapshot().phase, Phase::Cancelled);
        assert_eq!(watcher.snapshot().percent(), None);
    }
}
