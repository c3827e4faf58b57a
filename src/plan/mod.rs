//! The replacement plan: model, TOML file, edits, scheduling and validation.

pub mod calendar;
pub mod context;
pub mod coverage;
pub mod decision;
pub mod edit;
pub mod file;
pub(crate) mod file_sections;
pub mod holidays;
pub mod job;
pub mod layout;
pub mod merge;
pub mod model;
pub mod pilot;
pub mod products;
pub mod protection;
pub mod schedule;
pub mod settings;
pub mod settings_text;
pub mod steps;
pub mod units;
pub mod validate;
pub mod workspace;

pub use edit::{Edit, EditContext, EditError, apply};
pub use model::*;
