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
    let cli = Cli::parse();
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    // The commands write and flush their answer themselves (a closed pipe ends them quietly).
    Ok(cli::run(cli, &mut out)?)
}

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;
