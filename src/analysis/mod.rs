//! Dependency graph, reliance (direct / indirect / unaffected), impact and cycles.

pub mod graph;
pub mod reliance;

pub use graph::{DependencyGraph, Edge};
pub use reliance::{Reliance, RelianceMap};
