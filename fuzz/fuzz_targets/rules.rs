#![no_main]
//! `avmigrate::fuzzing::rules` under libFuzzer (see docs/fuzzing.md).

libfuzzer_sys::fuzz_target!(|data: &[u8]| avmigrate::fuzzing::rules(data));
