//! A fuzz smoke run on the stable toolchain (part of `.ci/run`; see docs/fuzzing.md).
//!
//! Replays every committed seed of `fuzz/corpus/<target>/` through the target functions of
//! `avmigrate::fuzzing`, then mutates them (bit flips, byte changes, inserted and deleted
//! runs, repeats, splices, truncations) for the rest of the time. Fails (exit 1), keeping
//! the input under `fuzz/artifacts/smoke/`, on a panic or on one input taking over the
//! time limit; fails too when the process's peak memory passes the memory limit.
//!
//! ```text
//! cargo run --example fuzz_smoke -- [--seconds 60] [--target NAME] [--seed N]
//!                                   [--replay FILE --target NAME]
//! ```

use avmigrate::fuzzing::{SPLIT, TARGETS, Target};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{Duration, Instant};

/// The longest one input may take (the limit for any file of up to 10 MB).
const SLOW: Duration = Duration::from_secs(2);
/// The most the whole run may hold in memory.
const MAX_RSS_MB: u64 = 1024;
/// Mutants grow no larger than this.
const MAX_LEN: usize = 256 * 1024;
/// Tokens the inputs are made of, inserted by mutations.
const TOKENS: &[&[u8]] = &[
    b"\"",
    b",",
    b";",
    b"\t",
    b"\r\n",
    b"\n",
    b"=",
    b"[[",
    b"]]",
    b"[",
    b"]",
    b"{",
    b"}",
    b":",
    b"\"\"",
    b"'''",
    b"\"\"\"",
    b"\\",
    b"\\u{0}",
    b"\xef\xbb\xbf",
    b"\xff\xfe",
    b"\0",
    b"#",
    b"1e999",
    b"-1",
    b"18446744073709551616",
    b"2027-02-30",
    b"9999-12-31",
    b"id",
    b"name",
    b"wave",
    b"asset",
    b"product",
    b"depends_on",
    b"kaspersky",
    b"Kaspersky Endpoint Security",
    b"Hostname",
    b"PK\x03\x04",
    b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",
    b"<br>",
    b"(?i)",
    b".*",
    b"a{1000}",
    b"\\p{L}",
    SPLIT,
];

struct Args {
    seconds: u64,
    target: Option<String>,
    seed: u64,
    replay: Option<PathBuf>,
}

fn parse_args() -> Result<Args, String> {
    let mut args = Args {
        seconds: 60,
        target: None,
        seed: 0x5eed,
        replay: None,
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let mut value = || it.next().ok_or(format!("{flag} needs a value"));
        match flag.as_str() {
            "--seconds" => args.seconds = value()?.parse().map_err(|e| format!("{e}"))?,
            "--seed" => args.seed = value()?.parse().map_err(|e| format!("{e}"))?,
            "--target" => args.target = Some(value()?),
            "--replay" => args.replay = Some(value()?.into()),
            other => return Err(format!("unknown argument {other}")),
        }
    }
    Ok(args)
}

/// SplitMix64: small, seeded, and the same on every machine.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next() % n as u64) as usize
        }
    }
}

fn mutate(rng: &mut Rng, seeds: &[Vec<u8>], input: &mut Vec<u8>) {
    for _ in 0..1 + rng.below(4) {
        let len = input.len();
        let at = rng.below(len + 1);
        match rng.below(9) {
            0 if len > 0 => input[at.min(len - 1)] ^= 1 << rng.below(8),
            1 if len > 0 => input[at.min(len - 1)] = rng.next() as u8,
            2 => {
                let n = 1 + rng.below(8);
                let bytes: Vec<u8> = (0..n).map(|_| rng.next() as u8).collect();
                input.splice(at..at, bytes);
            }
            3 => {
                let end = (at + 1 + rng.below(64)).min(len);
                input.drain(at.min(end)..end);
            }
            4 => {
                let end = (at + 1 + rng.below(256)).min(len);
                let run = input[at.min(end)..end].to_vec();
                for _ in 0..1 + rng.below(64) {
                    input.splice(at..at, run.iter().copied());
                }
            }
            5 => {
                let other = &seeds[rng.below(seeds.len())];
                let from = rng.below(other.len() + 1);
                input.truncate(at);
                input.extend_from_slice(&other[from..]);
            }
            6 => input.truncate(at),
            7 => {
                let token = TOKENS[rng.below(TOKENS.len())];
                input.splice(at..at, token.iter().copied());
            }
            _ => {
                if let Some(first) = input.first_mut() {
                    *first = rng.next() as u8;
                }
            }
        }
    }
    input.truncate(MAX_LEN);
}

fn load_corpus(dir: &Path) -> Vec<Vec<u8>> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|d| d.filter_map(|e| e.ok().map(|e| e.path())).collect())
        .unwrap_or_default();
    files.sort();
    files.iter().filter_map(|f| std::fs::read(f).ok()).collect()
}

/// Runs one input; on a panic or a slow run keeps it and says why.
fn run_one(name: &str, target: Target, input: &[u8]) -> Result<(), String> {
    let started = Instant::now();
    let outcome = catch_unwind(AssertUnwindSafe(|| target(input)));
    let took = started.elapsed();
    let why = match outcome {
        Err(_) => "panicked".to_string(),
        Ok(()) if took > SLOW => format!("took {took:.1?}"),
        Ok(()) => return Ok(()),
    };
    let dir = Path::new("fuzz/artifacts/smoke");
    let kept = dir.join(format!("{name}-{:016x}", fnv(input)));
    let saved = std::fs::create_dir_all(dir).and_then(|()| std::fs::write(&kept, input));
    Err(match saved {
        Ok(()) => format!("{name}: an input {why}; kept as {}", kept.display()),
        Err(e) => format!("{name}: an input {why} (could not keep it: {e})"),
    })
}

fn fnv(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, &b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// The process's peak resident memory in MiB (Linux; 0 elsewhere).
fn peak_rss_mb() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
        .map_or(0, |kb| kb / 1024)
}

fn main() -> ExitCode {
    let args = match parse_args() {
        Ok(a) => a,
        Err(e) => {
            eprintln!("fuzz_smoke: {e}");
            return ExitCode::from(2);
        }
    };
    let targets: Vec<&(&str, Target)> = TARGETS
        .iter()
        .filter(|(n, _)| args.target.as_deref().is_none_or(|t| t == *n))
        .collect();
    if targets.is_empty() {
        eprintln!("fuzz_smoke: no target named {:?}", args.target);
        return ExitCode::from(2);
    }
    if let Some(file) = &args.replay {
        let input = std::fs::read(file).unwrap_or_default();
        for (name, target) in &targets {
            if let Err(e) = run_one(name, *target, &input) {
                eprintln!("fuzz_smoke: {e}");
                return ExitCode::FAILURE;
            }
        }
        println!("fuzz_smoke: {} ran cleanly", file.display());
        return ExitCode::SUCCESS;
    }
    let share = Duration::from_secs(args.seconds) / targets.len() as u32;
    let mut rng = Rng(args.seed);
    let mut failed = false;
    for (name, target) in &targets {
        let seeds = load_corpus(&Path::new("fuzz/corpus").join(name));
        let started = Instant::now();
        let mut execs = 0u64;
        let mut result = seeds.iter().try_for_each(|s| {
            execs += 1;
            run_one(name, *target, s)
        });
        let mut input = Vec::new();
        while result.is_ok() && started.elapsed() < share {
            input.clear();
            if !seeds.is_empty() {
                input.extend_from_slice(&seeds[rng.below(seeds.len())]);
            }
            mutate(&mut rng, &seeds, &mut input);
            execs += 1;
            result = run_one(name, *target, &input);
        }
        println!(
            "fuzz_smoke: {name}: {} seeds, {execs} executions in {:.1?}",
            seeds.len(),
            started.elapsed()
        );
        if let Err(e) = result {
            eprintln!("fuzz_smoke: {e}");
            failed = true;
        }
    }
    let rss = peak_rss_mb();
    println!("fuzz_smoke: peak memory {rss} MiB");
    if rss > MAX_RSS_MB {
        eprintln!("fuzz_smoke: peak memory {rss} MiB is over {MAX_RSS_MB} MiB");
        failed = true;
    }
    if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}
