#![no_main]
//! `avmigrate::fuzzing::catalog` under libFuzzer (see docs/fuzzing.md).

libfuzzer_sys::fuzz_target!(|data: &[u8]| avmigrate::fuzzing::catalog(data));
