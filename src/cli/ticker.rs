//! A progress line on stderr for long commands, drawn only when stderr is a terminal: the phase
//! of a [`Job`] and its percentage, redrawn a few times a second, erased when done. Commands
//! that finish within the first half second print nothing.

use crate::plan::job::Job;
use std::io::{IsTerminal, Write};
use std::sync::mpsc::{self, RecvTimeoutError, Sender};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// Silence before the first line, so short runs stay quiet.
const FIRST: Duration = Duration::from_millis(500);
/// Time between redraws.
const EVERY: Duration = Duration::from_millis(200);

/// Draws `job`'s progress until dropped.
pub(super) struct Ticker {
    stop: Option<Sender<()>>,
    thread: Option<JoinHandle<()>>,
}

impl Ticker {
    /// Starts drawing `what` ("planning 1000000 asset(s)") with the job's phase, or does
    /// nothing when stderr is not a terminal.
    pub(super) fn start(job: &Job, what: String) -> Ticker {
        if !std::io::stderr().is_terminal() {
            return Ticker {
                stop: None,
                thread: None,
            };
        }
        let (stop, stopped) = mpsc::channel::<()>();
        let job = job.clone();
        let thread = std::thread::spawn(move || {
            let began = Instant::now();
            let mut wait = FIRST;
            let mut drawn = false;
            // Until stopped (or the ticker is dropped); then the line is erased.
            while let Err(RecvTimeoutError::Timeout) = stopped.recv_timeout(wait) {
                wait = EVERY;
                let line = format!(
                    "{what}: {} ({} s)",
                    job.snapshot().describe(),
                    began.elapsed().as_secs()
                );
                let mut err = std::io::stderr().lock();
                let _ = write!(err, "\r\x1b[K{line}");
                let _ = err.flush();
                drawn = true;
            }
            if drawn {
                let mut err = std::io::stderr().lock();
                let _ = write!(err, "\r\x1b[K");
                let _ = err.flush();
            }
        });
        Ticker {
            stop: Some(stop),
            thread: Some(thread),
        }
    }
}

impl Drop for Ticker {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}
