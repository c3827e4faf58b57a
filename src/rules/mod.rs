//! Flagged-product fingerprints and matching.
