//! Following the rollout: statuses and history, reconciling fresh scans, alerts, burn-down
//! and forecast.

pub mod coverage;
pub mod detect;
pub mod reconcile;
pub mod status;

pub use coverage::{Coverage, coverage};
pub use reconcile::{
    Reconciliation, apply_to, reconcile, scan_options, wrong_scan, wrong_scan_message,
};
pub use status::{Burndown, StatusReport, burndown, status, status_with};
