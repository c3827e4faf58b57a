//! avmigrate: find every system that runs or relies on a flagged security product (Kaspersky),
//! plan its staged replacement, and follow the rollout.
//!
//! The library has no terminal code; `cli` and `tui` are thin front-ends over it.

pub mod analysis;
pub mod catalog;
pub mod cli;
pub mod env;
pub mod error;
pub mod fuzzing;
pub mod input;
pub mod inventory;
pub mod model;
pub mod plan;
pub mod progress;
pub mod report;
pub mod rules;
pub mod store;
pub mod synthetic;
pub mod tomlfmt;
pub mod tui;
