//! The `avmigrate` binary: parses the command line, hands over to the library and reports a
//! failure as one line with its causes, exiting with the code the command chose.

use avmigrate::cli::{self, Cli, Failure};
use clap::Parser;

fn main() {
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
/// turns off transparent huge pages for the process and has the allocator return freed
/// memory at once.
///
/// Huge pages are a throughput trade: each 2 MiB page is faulted in whole, which saves page
/// faults on a heap of gigabytes but rounds a small heap up by tens of megabytes (a 10 MB
/// inventory of a million short ids: 266 → 250 MB). A small input is read in a fraction of a
/// second either way, so there memory proportional to the input wins; a large one keeps the
/// faster settings. With no input file (the demo, `gen`) nothing changes.
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
    // PR_SET_THP_DISABLE applies to every later page fault, whatever mimalloc advised.
    // SAFETY: sets a flag of the process; no memory of ours is read or written.
    #[cfg(target_os = "linux")]
    unsafe {
        libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0);
    }
    // mimalloc's option number (mimalloc.h, v3): purge freed memory after this many ms.
    const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;
    // SAFETY: sets one of mimalloc's options, which it reads at each purge.
    unsafe {
        libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, 0);
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn option_fifteen_is_mimallocs_purge_delay() {
        // The number is a position in mimalloc's option enum: an update that moves it must
        // fail here rather than set another option. 1000 ms is v3's default purge delay.
        // SAFETY: reads one of mimalloc's options.
        assert_eq!(unsafe { libmimalloc_sys::mi_option_get(15) }, 1000);
    }
}
