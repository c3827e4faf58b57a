//! Inventory importers: format detection, decoding, the native TOML and generic CSV formats, merging.
