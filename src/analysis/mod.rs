//! Dependency graph, reliance (direct / indirect / unaffected), impact and cycles.
