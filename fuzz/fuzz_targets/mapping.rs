#![no_main]
//! `avmigrate::fuzzing::mapping` under libFuzzer (see docs/fuzzing.md).

libfuzzer_sys::fuzz_target!(|data: &[u8]| avmigrate::fuzzing::mapping(data));
