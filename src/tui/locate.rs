//! A plan whose inventory file went missing: the app says so and asks where the file is now,
//! instead of showing an empty estate. The located file is checked against the hash the plan
//! recorded and, once the plan is saved, recorded in it.

use super::jobs::{Effect, LoadRequest, MissingInventory, Source};
use super::state::{Loading, Overlay, PromptPurpose, State};
use crate::plan::workspace::BUILTIN_DEMO;
use std::path::PathBuf;

/// Shows what is missing and opens the locate prompt.
pub(super) fn ask(state: &mut State, missing: Box<MissingInventory>) {
    state.loading = None;
    state.load_error = Some(crate::model::text::clean(&format!(
        "{}. Type the path of the file where it is now (or {BUILTIN_DEMO} for the demo built \
         into avmigrate); esc leaves the plan unopened.",
        missing.describe()
    )));
    let title = match missing.index.and_then(|i| missing.paths.get(i)) {
        Some(p) => format!("Locate inventory {}", p.display()),
        None => "Locate the plan's inventory file".to_string(),
    };
    state.locating = Some(missing);
    state.overlays.push(Overlay::Prompt {
        title,
        input: String::new(),
        purpose: PromptPurpose::LocateInventory(None),
        error: None,
    });
}

/// Takes the typed path: asks a worker to read and hash it (the answer comes to [`hashed`]).
pub(super) fn submit(state: &mut State, input: &str, warned: Option<String>) -> Vec<Effect> {
    if state.locating.is_none() {
        state.overlays.pop();
        return Vec::new();
    }
    if input.is_empty() {
        return refuse(
            state,
            format!("give the file's path, or {BUILTIN_DEMO}"),
            warned,
        );
    }
    vec![Effect::HashInventory(PathBuf::from(input))]
}

/// Shows why the typed path is refused and keeps the prompt open.
fn refuse(state: &mut State, msg: String, warned: Option<String>) -> Vec<Effect> {
    if let Some(Overlay::Prompt { error, purpose, .. }) = state.overlays.last_mut() {
        *error = Some(msg);
        *purpose = PromptPurpose::LocateInventory(warned);
    }
    Vec::new()
}

/// The content hash of a typed path, or why it cannot be read: refuses what cannot be read,
/// warns once when the content is not the one the plan was made from, then loads the plan
/// with it.
pub(super) fn hashed(
    state: &mut State,
    path: PathBuf,
    hash: Result<String, String>,
) -> Vec<Effect> {
    let Some(Overlay::Prompt {
        purpose: PromptPurpose::LocateInventory(warned),
        ..
    }) = state.overlays.last()
    else {
        return Vec::new();
    };
    let warned = warned.clone();
    let Some(missing) = state.locating.clone() else {
        return Vec::new();
    };
    let input = path.display().to_string();
    let hash = match hash {
        Ok(h) => h,
        Err(e) => return refuse(state, format!("{input}: {e}"), None),
    };
    let differs = missing.hash.as_ref().is_some_and(|h| *h != hash);
    if differs && warned.as_deref() != Some(input.as_str()) {
        return refuse(
            state,
            "not the content the plan was made from: enter again to use it anyway".into(),
            Some(input),
        );
    }
    state.overlays.pop();
    let mut inventory = missing.paths.clone();
    match missing.index {
        Some(i) if i < inventory.len() => inventory[i] = path,
        _ => inventory = vec![path],
    }
    let request = LoadRequest {
        source: Source::PlanWithInventory {
            plan: missing.plan.clone(),
            inventory,
        },
        ..missing.request.clone()
    };
    state.load_error = None;
    state.loading = Some(Loading {
        label: request.source.label(),
        stage: "reading inventory".into(),
        ratio: 0.0,
    });
    vec![Effect::Load(request)]
}

/// After a load: a plan read with a located file has changed (it names the new path).
pub(super) fn loaded(state: &mut State) {
    if state.locating.take().is_some() {
        state.dirty = true;
        state.saved_at = None;
        let key = state
            .keymap
            .hint(super::keymap::Context::Global, super::action::Action::Save);
        state.info(format!(
            "inventory located: save ({key}) to record its path in the plan"
        ));
    }
}
