#![no_main]
//! `avmigrate::fuzzing::import` under libFuzzer (see docs/fuzzing.md).

libfuzzer_sys::fuzz_target!(|data: &[u8]| avmigrate::fuzzing::import(data));
