//! The `avmigrate` binary: parses the command line, hands over to the library and reports a
//! failure as one line with its causes, exiting with the code the command chose.

use avmigrate::cli::{self, Cli, Failure};
use clap::Parser;

fn main() {
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
