//! The runtime: terminal setup and restore (also on panic), the input thread, worker threads,
//! the event loop that redraws only when something changed.

use super::events::{on_event, on_msg};
use super::jobs::{self, Effect, LoadRequest, Msg, Source, ViewQuery};
use super::keymap::Keymap;
use super::state::{Loading, State};
use super::theme::ThemeName;
use super::view::view;
use crate::env::Env;
use crossterm::event::{
    self, DisableBracketedPaste, DisableMouseCapture, EnableBracketedPaste, EnableMouseCapture,
    Event,
};
use crossterm::execute;
use std::collections::VecDeque;
use std::io;
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

/// How the TUI starts.
#[derive(Debug, Clone)]
pub struct Options {
    /// What to open.
    pub source: Source,
    /// Extra rules file.
    pub rules: Option<std::path::PathBuf>,
    /// Extra catalogue file.
    pub catalog: Option<std::path::PathBuf>,
    /// How to read inventory files (`--input-format`, `--mapping`, `--ksc-server`).
    pub import: super::jobs::Import,
    /// Theme (default: `NO_COLOR` → monochrome, else the config file, else dark).
    pub theme: Option<ThemeName>,
}

enum Incoming {
    Term(Event),
    Job(Msg),
    InputClosed,
}

/// Runs effects inline until none are left (tests and benchmarks).
pub fn run_effects(state: &mut State, effects: Vec<Effect>) {
    let mut queue: VecDeque<Effect> = effects.into();
    while let Some(effect) = queue.pop_front() {
        let msgs = std::cell::RefCell::new(Vec::new());
        jobs::run(effect, &state.env, &|m| msgs.borrow_mut().push(m));
        for m in msgs.into_inner() {
            queue.extend(on_msg(state, m));
        }
    }
}

/// Restores the terminal: mouse capture and bracketed paste off, then raw mode and the
/// alternate screen (ratatui does not undo the first two).
fn restore_terminal() {
    let _ = execute!(io::stdout(), DisableMouseCapture, DisableBracketedPaste);
    ratatui::restore();
}

struct TerminalGuard;

impl Drop for TerminalGuard {
    fn drop(&mut self) {
        restore_terminal();
    }
}

/// The keymap (with the user's file and its problems) and the settings kept in `config.toml`.
fn user_config(env: &Env) -> (Keymap, Vec<String>, super::user_config::UserConfig) {
    let keymap_text = env
        .config_file("keymap.toml")
        .and_then(|p| crate::input::read_text(&p, crate::input::CONFIG_LIMIT).ok());
    let (keymap, problems) = Keymap::with_user_file(keymap_text.as_deref());
    (keymap, problems, super::user_config::read(env))
}

/// Runs the TUI until the user quits.
pub fn run(opts: Options) -> io::Result<()> {
    let env = Env::from_process();
    let (keymap, problems, config) = user_config(&env);
    let no_color = matches!(std::env::var_os("NO_COLOR"), Some(v) if !v.is_empty());
    let theme = opts
        .theme
        .or(if no_color {
            Some(ThemeName::Mono)
        } else {
            config.theme
        })
        .unwrap_or(ThemeName::Dark);
    if theme == ThemeName::Mono {
        // Our monochrome theme emits no colours; stop crossterm from injecting SGR resets
        // that would wipe REVERSED/BOLD under NO_COLOR.
        crossterm::style::force_color_output(true);
    }
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let _ = execute!(io::stdout(), DisableMouseCapture, DisableBracketedPaste);
        previous(info);
    }));
    let mut terminal = ratatui::try_init()?;
    let _guard = TerminalGuard;
    execute!(io::stdout(), EnableMouseCapture, EnableBracketedPaste)?;

    let mut state = State::new(keymap, theme, env.clone());
    // The name the history records: the one given in the app before, else the login name;
    // without either the first edit asks for it.
    state.user = config
        .user
        .or_else(Env::login_name)
        .map(|u| crate::model::text::clean(u.trim()))
        .unwrap_or_default();
    let size = terminal.size()?;
    state.size = (size.width, size.height);
    // Each keymap problem is kept in the message log and counted as unread until it is read.
    for p in &problems {
        state.error(format!("keymap.toml: {p}"));
    }
    state.loading = Some(Loading {
        label: opts.source.label(),
        stage: "starting".into(),
        ratio: 0.0,
    });
    if std::env::var_os("AVMIGRATE_TEST_PANIC").is_some() {
        panic!("test panic requested by AVMIGRATE_TEST_PANIC");
    }

    let (tx, rx) = mpsc::channel::<Incoming>();
    spawn_input(tx.clone());
    let workers = Workers {
        refresher: Refresher::start(tx.clone()),
        writer: Writer::start(tx.clone(), Arc::new(env.clone())),
        env: Arc::new(env),
    };
    spawn_effect(
        Effect::Load(LoadRequest {
            source: opts.source,
            rules: opts.rules,
            catalog: opts.catalog,
            import: opts.import,
        }),
        &tx,
        &workers,
    );
    let result = event_loop(&mut terminal, &mut state, &rx, &tx, &workers);
    // Saves and autosaves still queued finish before the process ends.
    workers.writer.finish();
    result
}

fn event_loop(
    terminal: &mut ratatui::DefaultTerminal,
    state: &mut State,
    rx: &Receiver<Incoming>,
    tx: &Sender<Incoming>,
    workers: &Workers,
) -> io::Result<()> {
    let autosave_every = Duration::from_secs(30);
    let mut last_autosave = Instant::now();
    let mut redraw = true;
    loop {
        if redraw {
            terminal.draw(|f| view(state, f))?;
            redraw = false;
        }
        // While a plan is made, its progress figure is redrawn a few times a second.
        let tick = if state.plan_job.is_some() { 250 } else { 500 };
        let first = match rx.recv_timeout(Duration::from_millis(tick)) {
            Ok(m) => Some(m),
            Err(RecvTimeoutError::Timeout) => None,
            Err(RecvTimeoutError::Disconnected) => break,
        };
        // Handle everything that is waiting before drawing again (coalesces bursts).
        let mut batch: Vec<Incoming> = first.into_iter().collect();
        batch.extend(rx.try_iter());
        state.now = state.env.now();
        redraw |= state.expire_message();
        for incoming in batch {
            let effects = match incoming {
                Incoming::Term(ev) => on_event(state, &ev),
                Incoming::Job(msg) => on_msg(state, msg),
                Incoming::InputClosed => {
                    state.quit = true;
                    Vec::new()
                }
            };
            for e in effects {
                spawn_effect(e, tx, workers);
            }
            redraw = true;
        }
        if state.loading.is_some() || state.plan_job.is_some() {
            redraw = true;
        }
        if state.dirty && last_autosave.elapsed() >= autosave_every {
            for e in super::plan_save::autosave(state) {
                spawn_effect(e, tx, workers);
            }
            last_autosave = Instant::now();
        }
        if state.quit {
            break;
        }
    }
    Ok(())
}

fn spawn_input(tx: Sender<Incoming>) {
    std::thread::spawn(move || {
        loop {
            match event::poll(Duration::from_millis(200)) {
                Ok(true) => match event::read() {
                    Ok(ev) => {
                        if tx.send(Incoming::Term(ev)).is_err() {
                            return;
                        }
                    }
                    Err(_) => {
                        let _ = tx.send(Incoming::InputClosed);
                        return;
                    }
                },
                Ok(false) => {}
                Err(_) => {
                    let _ = tx.send(Incoming::InputClosed);
                    return;
                }
            }
        }
    });
}

/// The long-lived worker threads.
struct Workers {
    refresher: Refresher,
    writer: Writer,
    env: Arc<Env>,
}

fn spawn_effect(effect: Effect, tx: &Sender<Incoming>, workers: &Workers) {
    match effect {
        Effect::Refresh(generation, q) => workers.refresher.submit(generation, q),
        Effect::CancelPlanning(job) => job.cancel(),
        file @ (Effect::Save(_) | Effect::Autosave(..) | Effect::DeleteAutosave(_)) => {
            workers.writer.submit(file)
        }
        other => {
            let tx = tx.clone();
            let env = Arc::clone(&workers.env);
            std::thread::spawn(move || {
                jobs::run(other, &env, &|m| {
                    let _ = tx.send(Incoming::Job(m));
                });
            });
        }
    }
}

/// One worker for everything that writes files, so writes land in the order they were asked
/// for (an older save can never overwrite a newer one).
struct Writer {
    queue: Mutex<Option<Sender<Effect>>>,
    thread: Mutex<Option<std::thread::JoinHandle<()>>>,
}

impl Writer {
    fn start(tx: Sender<Incoming>, env: Arc<Env>) -> Writer {
        let (queue, jobs_rx) = mpsc::channel::<Effect>();
        let thread = std::thread::spawn(move || {
            for effect in jobs_rx {
                jobs::run(effect, &env, &|m| {
                    let _ = tx.send(Incoming::Job(m));
                });
            }
        });
        Writer {
            queue: Mutex::new(Some(queue)),
            thread: Mutex::new(Some(thread)),
        }
    }

    fn submit(&self, effect: Effect) {
        if let Ok(guard) = self.queue.lock()
            && let Some(queue) = guard.as_ref()
        {
            let _ = queue.send(effect);
        }
    }

    /// Closes the queue and waits until every queued write is done.
    fn finish(&self) {
        if let Ok(mut guard) = self.queue.lock() {
            guard.take();
        }
        if let Some(thread) = self.thread.lock().ok().and_then(|mut t| t.take()) {
            let _ = thread.join();
        }
    }
}

/// The newest pending refresh, with a signal for the worker.
type Slot = Arc<(Mutex<Option<(u64, ViewQuery)>>, Condvar)>;

/// One worker for table refreshes that always works on the newest request only.
struct Refresher {
    slot: Slot,
}

impl Refresher {
    fn start(tx: Sender<Incoming>) -> Refresher {
        let slot: Slot = Arc::new((Mutex::new(None), Condvar::new()));
        let worker = Arc::clone(&slot);
        std::thread::spawn(move || {
            let mut cache = jobs::SortCache::default();
            loop {
                let (generation, q) = {
                    let (lock, cv) = &*worker;
                    let Ok(mut guard) = lock.lock() else { return };
                    loop {
                        if let Some(job) = guard.take() {
                            break job;
                        }
                        guard = match cv.wait(guard) {
                            Ok(g) => g,
                            Err(_) => return,
                        };
                    }
                };
                let rows = jobs::refresh_cached(&q, &mut cache);
                if tx
                    .send(Incoming::Job(Msg::Refreshed(generation, rows)))
                    .is_err()
                {
                    return;
                }
            }
        });
        Refresher { slot }
    }

    fn submit(&self, generation: u64, q: ViewQuery) {
        let (lock, cv) = &*self.slot;
        if let Ok(mut guard) = lock.lock() {
            *guard = Some((generation, q));
            cv.notify_one();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_writer_lands_writes_in_order_and_finishes_them_before_exit() {
        let dir = tempfile::tempdir().unwrap();
        let env = Env::isolated(dir.path(), "2026-12-07T08:00:00Z".parse().unwrap());
        let plan_path = dir.path().join("rollout.toml");
        let path = super::super::autosave::autosave_path(&env, Some(&plan_path)).unwrap();
        let (tx, _rx) = mpsc::channel();
        let writer = Writer::start(tx, Arc::new(env));
        let mut plan = crate::plan::Plan::empty(
            "",
            crate::plan::Settings::new(crate::model::Date::from_ymd(2026, 12, 7).unwrap()),
            Vec::new(),
        );
        for i in 0..50 {
            plan.name = format!("version {i}");
            writer.submit(Effect::Autosave(
                Some(plan_path.clone()),
                std::sync::Arc::new(plan.clone()),
            ));
        }
        writer.finish();
        let written = std::fs::read_to_string(&path).unwrap();
        assert!(written.contains("name = \"version 49\""), "{written}");
        writer.submit(Effect::DeleteAutosave(Some(plan_path.clone())));
        assert!(path.exists(), "nothing runs after finish");
    }
}
