//! The replacement plan: model, TOML file, edits, scheduling and validation.

pub mod calendar;
pub mod edit;
pub mod file;
pub mod layout;
pub mod model;
pub mod units;

pub use edit::{Edit, EditContext, EditError, apply};
pub use model::*;
