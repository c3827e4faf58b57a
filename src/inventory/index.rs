//! Building a file's inventory index on a second thread while the parser goes on reading.
//!
//! Hashing every id and alias is about a third of the work of reading a large file, and it
//! needs nothing from the parser but the finished assets, so the two overlap.

use super::{AssetSet, Explicit};
use crate::error::{InputError, Location};
use crate::model::{Asset, Inventory};
use std::sync::mpsc::{Receiver, SyncSender, sync_channel};

/// Assets handed over at a time.
const BATCH: usize = 512;

/// An asset on its way to the index, with the place to name if its id is a duplicate.
pub(crate) struct Pending {
    asset: Asset,
    explicit: Explicit,
    line: usize,
    column: Option<usize>,
}

/// The producer's end: collects assets and sends them in batches.
pub(crate) struct Indexer {
    tx: Option<SyncSender<Vec<Pending>>>,
    batch: Vec<Pending>,
}

impl Pending {
    /// An asset whose record starts at `line` (`column`: of its id, when known).
    pub(crate) fn new(
        asset: Asset,
        explicit: Explicit,
        line: usize,
        column: Option<usize>,
    ) -> Pending {
        Pending {
            asset,
            explicit,
            line,
            column,
        }
    }
}

impl Indexer {
    /// Queues an asset whose record starts at `line` (`column`: of its id, when known).
    /// Returns false when the index has stopped at a duplicate id: reading can stop too.
    pub(crate) fn push(
        &mut self,
        asset: Asset,
        explicit: Explicit,
        line: usize,
        column: Option<usize>,
    ) -> bool {
        self.batch.push(Pending {
            asset,
            explicit,
            line,
            column,
        });
        if self.batch.len() >= BATCH {
            return self.flush();
        }
        true
    }

    /// Queues assets read by another thread, after those queued before, without moving them
    /// one by one. Returns false when the index has stopped (see [`Indexer::push`]).
    pub(crate) fn push_batch(&mut self, batch: Vec<Pending>) -> bool {
        if !self.flush() {
            return false;
        }
        batch.is_empty() || self.tx.as_ref().is_some_and(|tx| tx.send(batch).is_ok())
    }

    fn flush(&mut self) -> bool {
        if self.batch.is_empty() {
            return true;
        }
        let batch = std::mem::replace(&mut self.batch, Vec::with_capacity(BATCH));
        self.tx.as_ref().is_some_and(|tx| tx.send(batch).is_ok())
    }
}

/// Runs `produce`, which pushes assets into the [`Indexer`], while a second thread builds the
/// index (sized for `capacity` assets). A duplicate id is an error naming both places; when
/// the producer failed too, the error that comes first in the file wins.
pub(crate) fn with_indexer<T>(
    file: &str,
    capacity: usize,
    produce: impl FnOnce(&mut Indexer) -> Result<T, InputError>,
) -> Result<(T, AssetSet), InputError> {
    std::thread::scope(|scope| {
        let (tx, rx) = sync_channel(4);
        let builder = scope.spawn(move || build(rx, capacity));
        let mut indexer = Indexer {
            tx: Some(tx),
            batch: Vec::with_capacity(BATCH),
        };
        let produced = produce(&mut indexer);
        indexer.flush();
        drop(indexer.tx.take());
        let built = builder.join().unwrap_or_else(|_| {
            Err(InputError::new(
                Location::file(file),
                "internal error while indexing",
            ))
        });
        let built = built.map_err(|mut e| {
            e.location.path = file.to_string();
            e
        });
        match (produced, built) {
            (Ok(value), Ok(set)) => Ok((value, set)),
            (Err(e), Ok(_)) | (Ok(_), Err(e)) => Err(e),
            (Err(p), Err(b)) => Err(if place(&b) < place(&p) { b } else { p }),
        }
    })
}

fn place(e: &InputError) -> (usize, usize) {
    let l = &e.location;
    (l.line.unwrap_or(usize::MAX), l.column.unwrap_or(0))
}

/// Inserts the assets in order; stops at the first duplicate id (the error's path is filled
/// in by the caller).
fn build(rx: Receiver<Vec<Pending>>, capacity: usize) -> Result<AssetSet, InputError> {
    let mut set = AssetSet {
        inv: Inventory::with_capacity(capacity),
        explicit: Vec::with_capacity(capacity),
    };
    for batch in rx {
        for p in batch {
            let id = p.asset.id.clone();
            match set.inv.insert(p.asset) {
                Ok(_) => set.explicit.push(p.explicit),
                Err(first) => {
                    let first = set.inv.assets()[first].origin.as_ref();
                    let first =
                        first.map_or_else(String::new, |o| format!(" (first defined at {o})"));
                    let location = Location {
                        path: String::new(),
                        line: Some(p.line),
                        column: p.column,
                    };
                    let message = format!("duplicate asset id \"{id}\"{first}");
                    return Err(InputError::new(location, message));
                }
            }
        }
    }
    Ok(set)
}
