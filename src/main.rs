//! The `avmigrate` binary: parses the command line and hands over to the library.

use avmigrate::cli::{self, Cli};
use clap::Parser;

fn main() {
    let cli = Cli::parse();
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let code = match cli::run(cli, &mut out) {
        Ok(code) => code,
        Err(failure) => {
            if !failure.message.is_empty() {
                eprintln!("avmigrate: {}", failure.message);
            }
            failure.code
        }
    };
    std::process::exit(code);
}

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;
