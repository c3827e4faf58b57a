//! Derived lists shared by `update` and `view`: the dependency tree lines, a detail's links,
//! the members of a wave. Pure functions of the state.

use super::action::Action;
use super::data::Data;
use super::keymap::Context;
use super::state::{DepsView, State};
use crate::model::RelationKind;
use strum::VariantArray;

/// Children shown per tree node before "… N more".
pub const MAX_CHILDREN: usize = 200;

/// One line of the dependency tree.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DepLine {
    /// Indentation level (0: the two section headers).
    pub depth: usize,
    /// The asset on this line (None for headers and "more" lines).
    pub asset: Option<u32>,
    /// Path of the node (for expansion).
    pub path: Vec<u32>,
    /// Relation kind from the parent.
    pub kind: Option<RelationKind>,
    /// Has children that can be expanded.
    pub expandable: bool,
    /// Currently expanded.
    pub expanded: bool,
    /// Header or "… N more" text.
    pub text: Option<String>,
    /// True in the "relied on by" half.
    pub upward: bool,
}

/// The tree lines of the dependency screen (at most `limit` lines).
pub fn dep_lines(data: &Data, view: &DepsView, limit: usize) -> Vec<DepLine> {
    let mut out = Vec::new();
    let Some(root) = view.root else {
        return out;
    };
    let g = &data.shared.analysis.graph;
    for (dir, title) in [(0u32, "depends on"), (1u32, "relied on by")] {
        let upward = dir == 1;
        let count = if upward {
            g.dependents(root as usize).len()
        } else {
            g.providers(root as usize).len()
        };
        let path = vec![dir];
        let expanded = !view.expanded.contains(&closed_key(&path));
        out.push(DepLine {
            depth: 0,
            asset: None,
            path: path.clone(),
            kind: None,
            expandable: count > 0,
            expanded,
            text: Some(format!("{title} ({count})")),
            upward,
        });
        if expanded {
            walk(data, view, root, &path, 1, upward, &mut out, limit);
        }
        if out.len() >= limit {
            break;
        }
    }
    out
}

/// Section headers start expanded; their key in `expanded` means "closed".
pub fn closed_key(path: &[u32]) -> Vec<u32> {
    let mut k = vec![u32::MAX];
    k.extend_from_slice(path);
    k
}

/// Appends the subtree below `node` in display order. Iterative (an explicit stack of edge
/// cursors) so that expanding a long chain cannot exhaust the stack.
#[allow(clippy::too_many_arguments)]
fn walk(
    data: &Data,
    view: &DepsView,
    node: u32,
    path: &[u32],
    depth: usize,
    upward: bool,
    out: &mut Vec<DepLine>,
    limit: usize,
) {
    let g = &data.shared.analysis.graph;
    let edges_of = |a: u32| {
        if upward {
            g.dependents(a as usize)
        } else {
            g.providers(a as usize)
        }
    };
    // One frame per expanded level: its edges and the next one to show.
    let mut child = path.to_vec();
    let mut frames = vec![(edges_of(node), 0usize)];
    while !frames.is_empty() {
        let level = depth + frames.len() - 1;
        let Some((edges, n)) = frames.last_mut() else {
            break;
        };
        let (edges, k) = (*edges, *n);
        if out.len() >= limit {
            return;
        }
        if k >= edges.len() || k == MAX_CHILDREN {
            if k == MAX_CHILDREN && k < edges.len() {
                out.push(DepLine {
                    depth: level,
                    asset: None,
                    path: child.clone(),
                    kind: None,
                    expandable: false,
                    expanded: false,
                    text: Some(format!("… {} more", edges.len() - MAX_CHILDREN)),
                    upward,
                });
            }
            frames.pop();
            if !frames.is_empty() {
                child.pop();
            }
            continue;
        }
        *n += 1;
        let e = edges[k];
        child.push(e.asset);
        let next = edges_of(e.asset);
        // A node already on the path would loop: show it, but never expand it.
        let on_path = child[1..child.len() - 1].contains(&e.asset)
            || e.asset == view.root.unwrap_or(u32::MAX);
        let expandable = !next.is_empty() && !on_path;
        let expanded = expandable && view.expanded.contains(&child);
        out.push(DepLine {
            depth: level,
            asset: Some(e.asset),
            path: child.clone(),
            kind: Some(e.kind),
            expandable,
            expanded,
            text: None,
            upward,
        });
        if expanded {
            frames.push((next, 0));
        } else {
            child.pop();
        }
    }
}

/// The assets a detail view links to: providers first, then dependents.
pub fn detail_links(data: &Data, asset: u32) -> Vec<(u32, RelationKind, bool)> {
    let g = &data.shared.analysis.graph;
    let mut v: Vec<(u32, RelationKind, bool)> = g
        .providers(asset as usize)
        .iter()
        .map(|e| (e.asset, e.kind, false))
        .collect();
    v.extend(
        g.dependents(asset as usize)
            .iter()
            .take(MAX_CHILDREN)
            .map(|e| (e.asset, e.kind, true)),
    );
    v
}

/// Inventory positions of the assets in wave `w`, sorted by id.
pub fn wave_assets(data: &Data, w: usize) -> &[u32] {
    data.wave_members.get(w).map(Vec::as_slice).unwrap_or(&[])
}

/// The asset the selection points at in the current context.
pub fn selected_asset(state: &State) -> Option<u32> {
    let data = state.data.as_ref()?;
    if let Some(d) = state.detail.last() {
        return Some(d.asset);
    }
    use super::state::{Screen, VendorPane};
    match state.screen {
        Screen::Assets => state.assets.rows.get(state.assets.window.selected).copied(),
        Screen::Dashboard | Screen::Waves if super::problem_lists::focused(state) => {
            super::problem_lists::selected(state)
                .and_then(|p| super::problem_lists::asset_of(data, p))
        }
        Screen::Waves => {
            if state.waves.focus_assets {
                wave_assets(data, state.waves.list.selected)
                    .get(state.waves.members.selected)
                    .copied()
            } else {
                None
            }
        }
        Screen::Dependencies => {
            let lines = dep_lines(data, &state.deps, state.deps.window.selected + 1);
            lines
                .get(state.deps.window.selected)
                .and_then(|l| l.asset)
                .or(state.deps.root)
        }
        Screen::Progress => super::progress_lists::selected_asset(data, &state.progress),
        Screen::Vendors if state.vendors.pane == VendorPane::Uncovered => data
            .shared
            .uncovered
            .get(state.vendors.uncovered_assets.selected)
            .copied(),
        _ => None,
    }
}
/// Help text, generated from the keymap: the current screen's keys, then the global ones.
pub fn help_lines(state: &State) -> Vec<(String, String, String)> {
    let mut out = Vec::new();
    let screen_ctx = if state.detail.is_empty() {
        state.screen.context()
    } else {
        Context::Detail
    };
    for ctx in [screen_ctx, Context::Global] {
        let mut rows: Vec<(Action, Vec<String>)> = state.keymap.bindings(ctx);
        rows.sort_by_key(|(a, _)| Action::VARIANTS.iter().position(|x| x == a));
        for (action, keys) in rows {
            if keys.is_empty() {
                continue;
            }
            out.push((
                action.category().to_string(),
                keys.join(", "),
                action.desc().to_string(),
            ));
        }
    }
    out
}

/// One row of the help overlay as drawn.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HelpRow {
    /// A category heading.
    Category(String),
    /// Keys and the first line of what they do.
    Keys(String, String),
    /// A further line of the description above, under it.
    More(String),
    /// Space between categories.
    Blank,
    /// The closing note.
    Note(String),
}

/// Width of the keys column in help.
pub const HELP_KEYS_WIDTH: usize = 24;

/// The help rows for a box `width` cells wide inside: descriptions wrap under themselves, so
/// nothing is cut.
pub fn help_rows(state: &State, width: usize) -> Vec<HelpRow> {
    let wrap = |text: &str, w: usize| crate::tui::view::wrap_words(text, w.max(8));
    let mut rows = Vec::new();
    let mut last_cat = String::new();
    for (cat, keys, desc) in help_lines(state) {
        if cat != last_cat {
            if !last_cat.is_empty() {
                rows.push(HelpRow::Blank);
            }
            rows.push(HelpRow::Category(cat.clone()));
            last_cat = cat;
        }
        let mut parts = wrap(&desc, width.saturating_sub(HELP_KEYS_WIDTH)).into_iter();
        rows.push(HelpRow::Keys(keys, parts.next().unwrap_or_default()));
        rows.extend(parts.map(HelpRow::More));
    }
    rows.push(HelpRow::Blank);
    let note = format!(
        "Every action is also in the command palette ({}). Keys can be changed in keymap.toml \
         in the config directory.",
        state.keymap.hint(Context::Global, Action::Palette)
    );
    rows.extend(wrap(&note, width).into_iter().map(HelpRow::Note));
    rows
}
