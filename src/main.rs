//! The `avmigrate` binary: parses the command line, hands over to the library and reports a
//! failure as one line with its causes, exiting with the code the command chose.

use avmigrate::cli::{self, Cli, Failure};
use clap::Parser;

fn main() {
    #[cfg(not(all(target_os = "linux", target_env = "gnu")))]
    lean_memory_for_small_inputs();
    let code = match run() {
        Ok(code) => code,
        Err(error) => {
            let failure = error.downcast_ref::<Failure>();
            if failure.is_none_or(|f| !f.message.is_empty()) {
                // `{:#}` adds each cause after a colon.
                eprintln!("avmigrate: {error:#}");
            }
            failure.map_or(cli::EXIT_BAD_INPUT, |f| f.code)
        }
    };
    std::process::exit(code);
}

fn run() -> anyhow::Result<i32> {
    let cli = Cli::try_parse().map_err(usage_error)?;
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    // The commands write and flush their answer themselves (a closed pipe ends them quietly).
    Ok(cli::run(cli, &mut out)?)
}

/// Help and version go out as clap writes them; a value clap refused (a bad date, blackout,
/// site capacity) becomes one line naming the flag, the value and why, like every other bad
/// input; other usage errors keep clap's explanation. All exit 2.
fn usage_error(error: clap::Error) -> anyhow::Error {
    use clap::error::ErrorKind;
    match error.kind() {
        ErrorKind::DisplayHelp
        | ErrorKind::DisplayVersion
        | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => error.exit(),
        ErrorKind::ValueValidation | ErrorKind::InvalidValue => {
            // The first line says what was wrong; clap's hints (possible values, a similar value)
            // follow on one line each.
            let text = error.render().to_string();
            let mut lines = text.lines().map(str::trim);
            let first = lines.next().unwrap_or_default();
            let mut message = first.strip_prefix("error: ").unwrap_or(first).to_string();
            for hint in lines.filter(|l| l.starts_with('[') || l.starts_with("tip:")) {
                message.push_str("; ");
                message.push_str(hint.trim_start_matches('[').trim_end_matches(']'));
            }
            Failure::bad_input(avmigrate::model::text::clean(&message)).into()
        }
        _ => {
            let _ = error.print();
            Failure {
                code: cli::EXIT_BAD_INPUT,
                message: String::new(),
            }
            .into()
        }
    }
}

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Inputs up to this size together are read with memory-lean allocator settings.
const LEAN_INPUTS: u64 = 16 * 1024 * 1024;

/// When every file named on the command line is small (together at most [`LEAN_INPUTS`]),
/// turns off transparent huge pages for the process and has the allocator take memory from
/// the system as it goes and return freed memory at once.
///
/// Huge pages and a reserved arena are throughput trades: each 2 MiB page is faulted in whole,
/// which saves page faults on a heap of gigabytes but rounds a small heap up by tens of
/// megabytes (a 10 MB inventory of a million short ids: 266 → 250 MB), and the arena keeps
/// pages a small heap has done with (a 10 MB KSC device list: 206 → 198 MB). A small input is
/// read in a fraction of a second either way, so there memory proportional to the input wins;
/// a large one keeps the faster settings. With no input file (the demo, `gen`) nothing
/// changes.
#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
fn lean_memory_for_small_inputs() {
    let sizes: Vec<u64> = std::env::args_os()
        .skip(1)
        .filter_map(|arg| std::fs::metadata(arg).ok())
        .filter(|m| m.is_file())
        .map(|m| m.len())
        .collect();
    if sizes.is_empty() || sizes.iter().sum::<u64>() > LEAN_INPUTS {
        return;
    }
    lean_settings();
}

/// [`lean_memory_for_small_inputs`] before the first allocation, when the allocator still
/// takes its arena setting: glibc runs an executable's constructors with its arguments, and
/// they are looked at here without allocating.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
#[used]
#[unsafe(link_section = ".init_array")]
static LEAN_AT_START: extern "C" fn(
    libc::c_int,
    *const *const libc::c_char,
    *const *const libc::c_char,
) = lean_at_start;

#[cfg(all(target_os = "linux", target_env = "gnu"))]
extern "C" fn lean_at_start(
    argc: libc::c_int,
    argv: *const *const libc::c_char,
    _env: *const *const libc::c_char,
) {
    let (mut files, mut total) = (0u32, 0u64);
    for k in 1..usize::try_from(argc).unwrap_or(0) {
        // SAFETY: glibc passes `argc` valid argument pointers; stat writes only `st`.
        let arg = unsafe { *argv.add(k) };
        if arg.is_null() {
            break;
        }
        let mut st = std::mem::MaybeUninit::<libc::stat>::zeroed();
        // SAFETY: `arg` is a NUL-terminated argument, `st` room for one stat record.
        if unsafe { libc::stat(arg, st.as_mut_ptr()) } != 0 {
            continue;
        }
        // SAFETY: stat succeeded and filled the record (zeroed before).
        let st = unsafe { st.assume_init() };
        if st.st_mode & libc::S_IFMT == libc::S_IFREG {
            files += 1;
            total = total.saturating_add(u64::try_from(st.st_size).unwrap_or(0));
        }
    }
    if files > 0 && total <= LEAN_INPUTS {
        lean_settings();
    }
}

/// The settings of [`lean_memory_for_small_inputs`].
fn lean_settings() {
    // PR_SET_THP_DISABLE applies to every later page fault, whatever mimalloc advised.
    // SAFETY: sets a flag of the process; no memory of ours is read or written.
    #[cfg(target_os = "linux")]
    unsafe {
        libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0);
    }
    // SAFETY: sets mimalloc's options; the purge delay is read at each purge, the arena size
    // when an arena is first reserved (no allocation before the constructor above).
    unsafe {
        libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, 0);
        libmimalloc_sys::mi_option_set(MI_OPTION_ARENA_RESERVE, 0);
    }
}

// mimalloc's option numbers (positions in mimalloc.h's option enum, v3).
/// Purge freed memory after this many ms.
const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;
/// Reserve memory for arenas this many KiB at a time.
const MI_OPTION_ARENA_RESERVE: libmimalloc_sys::mi_option_t = 23;

#[cfg(test)]
mod tests {
    #[test]
    fn option_fifteen_is_mimallocs_purge_delay() {
        // The number is a position in mimalloc's option enum: an update that moves it must
        // fail here rather than set another option. 1000 ms is v3's default purge delay.
        // SAFETY: reads one of mimalloc's options.
        assert_eq!(unsafe { libmimalloc_sys::mi_option_get(15) }, 1000);
    }

    #[test]
    fn option_twenty_three_is_mimallocs_arena_reserve() {
        // 1 GiB in KiB, v3's default on 64-bit systems.
        // SAFETY: reads one of mimalloc's options.
        assert_eq!(
            unsafe { libmimalloc_sys::mi_option_get(super::MI_OPTION_ARENA_RESERVE) },
            1024 * 1024
        );
    }
}
