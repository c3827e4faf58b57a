#![no_main]
//! `avmigrate::fuzzing::stream` under libFuzzer (see docs/fuzzing.md).

libfuzzer_sys::fuzz_target!(|data: &[u8]| avmigrate::fuzzing::stream(data));
