//! The command line: clap definitions, dispatch to the library, exit codes.
//!
//! Exit codes (README): 0 ok; 1 the check found problems; 2 bad input or usage.

mod analyze;
mod analyze_json;
mod args;
mod explain;
mod export_cmd;
mod gen_cmd;
mod inspect_cmd;
mod json_records;
mod merge_cmd;
mod plan_cmd;
mod plan_summary;
mod progress_cmd;
mod ticker;

pub use args::{
    Cli, Command, ExportFormat, ExtraArgs, InputArgs, InventoryFormat, OutputFormat, PlanArgs,
    SetArgs, StrategyArg, ToolArg,
};
use std::io::Write;
use std::path::{Path, PathBuf};

/// Exit code: success.
pub const EXIT_OK: i32 = 0;
/// Exit code: the check found problems.
pub const EXIT_PROBLEMS: i32 = 1;
/// Exit code: bad input or usage.
pub const EXIT_BAD_INPUT: i32 = 2;

/// A failure that ends the command with an exit code and a one-line message (empty when the
/// command's output already said everything, as for `validate` finding violations).
#[derive(Debug, thiserror::Error)]
#[error("{message}")]
pub struct Failure {
    /// Process exit code.
    pub code: i32,
    /// One-line message for stderr.
    pub message: String,
}

impl Failure {
    /// Bad input or usage (exit 2).
    pub fn bad_input(message: impl std::fmt::Display) -> Failure {
        Failure {
            code: EXIT_BAD_INPUT,
            message: message.to_string(),
        }
    }
}

impl From<crate::error::InputError> for Failure {
    fn from(e: crate::error::InputError) -> Failure {
        Failure::bad_input(e)
    }
}

/// Frees a large value (an imported estate, its analysis) on a background thread: a command
/// has its answer before the million small frees are done, and the binary exits without
/// waiting for them (the operating system reclaims the memory at once).
pub(crate) fn dispose<T: Send + 'static>(value: T) {
    let spawned = std::thread::Builder::new()
        .name("dispose".into())
        .spawn(move || drop(value));
    // Without a thread (resource limits) the value was moved into the failed closure and is
    // dropped here, on this thread: slower, never lost.
    drop(spawned);
}

/// Runs a parsed command line, writing results to `out`; returns the exit code.
pub fn run(cli: Cli, out: &mut dyn Write) -> Result<i32, Failure> {
    match cli.command {
        None => {
            use std::io::IsTerminal;
            if std::io::stdout().is_terminal() && std::io::stdin().is_terminal() {
                open_tui(
                    crate::tui::jobs::Source::Demo,
                    None,
                    InputArgs::default(),
                    None,
                    None,
                )
            } else {
                analyze::run_demo(out)
            }
        }
        Some(Command::Open {
            files,
            theme,
            input,
            extra: ExtraArgs { rules, catalog },
        }) => {
            // A file that cannot be read is refused before the terminal is taken over.
            for file in &files {
                crate::input::check(file, crate::input::INVENTORY_LIMIT).map_err(|e| {
                    Failure::bad_input(format!("{}: {}", file.display(), e.describe("a file")))
                })?;
            }
            let source = crate::tui::file_actions::source_of(files);
            let flags = input.input_format.is_some()
                || input.mapping.is_some()
                || input.ksc_server.is_some()
                || input.sheet.is_some();
            if flags && matches!(source, crate::tui::jobs::Source::Plan(_)) {
                return Err(Failure::bad_input(
                    "--input-format, --mapping, --ksc-server and --sheet apply to inventory files; a plan \
                     reads its inventory as its [import] table says",
                ));
            }
            open_tui(source, theme.as_deref(), input, rules, catalog)
        }
        Some(Command::Analyze {
            files,
            rules,
            format,
            strict,
            explain,
            input,
        }) => {
            let opts = crate::inventory::ImportOptions {
                strict,
                provenance: explain.is_some(),
                ..input.options()?
            };
            match explain {
                Some(id) => explain::run(&files, rules.as_deref(), &id, format, &opts, out),
                None => analyze::run(&files, rules.as_deref(), format, &opts, out),
            }
        }
        Some(Command::Inspect {
            files,
            input_format,
            mapping,
            sheet,
        }) => {
            let opts = crate::inventory::ImportOptions {
                input_format,
                mapping: load_mapping(mapping.as_deref())?,
                sheet,
                ..crate::inventory::ImportOptions::default()
            };
            inspect_cmd::run(&files, &opts, out)
        }
        Some(Command::Plan(args)) => plan_cmd::plan(args, out),
        Some(Command::Replan {
            plan,
            extra: ExtraArgs { rules, catalog },
        }) => plan_cmd::replan_cmd(&plan, rules.as_deref(), catalog.as_deref(), out),
        Some(Command::Validate {
            plan,
            format,
            extra: ExtraArgs { rules, catalog },
        }) => plan_cmd::validate_cmd(&plan, rules.as_deref(), catalog.as_deref(), format, out),
        Some(Command::Set(args)) => plan_cmd::set_cmd(args, out),
        Some(Command::Reconcile {
            plan,
            scans,
            dry_run,
            format,
            input,
            extra: ExtraArgs { rules, catalog },
        }) => progress_cmd::reconcile_cmd(
            progress_cmd::ReconcileArgs {
                plan,
                scans,
                dry_run,
                format,
                rules,
                catalog,
                opts: input.options()?,
            },
            out,
        ),
        Some(Command::Status { plan, format }) => progress_cmd::status_cmd(&plan, format, out),
        Some(Command::Export {
            plan,
            format,
            output,
            tool,
            wave,
            extra: ExtraArgs { rules, catalog },
        }) => export_cmd::run(
            export_cmd::ExportArgs {
                plan: &plan,
                format,
                output: output.as_deref(),
                tool,
                wave: wave.as_deref(),
                rules: rules.as_deref(),
                catalog: catalog.as_deref(),
            },
            out,
        ),
        Some(Command::Merge {
            base,
            ours,
            theirs,
            output,
        }) => merge_cmd::run(&base, &ours, &theirs, output.as_deref(), out),
        Some(Command::Gen {
            assets,
            seed,
            output,
            format,
        }) => gen_cmd::run(assets, seed, &output, format, out),
    }
}

impl InputArgs {
    /// The import options these flags ask for (reads the mapping file).
    fn options(&self) -> Result<crate::inventory::ImportOptions, Failure> {
        Ok(crate::inventory::ImportOptions {
            input_format: self.input_format.clone(),
            ksc_server: self.ksc_server.clone(),
            sheet: self.sheet.clone(),
            mapping: load_mapping(self.mapping.as_deref())?,
            ..crate::inventory::ImportOptions::default()
        })
    }
}

/// Takes the plan's change lock for a command that reads, changes and saves it; waits while
/// another avmigrate process holds it.
/// A plan that does not exist yet is not locked (no stray lock file for a mistyped path).
pub(crate) fn lock_plan(path: &Path) -> Result<Option<crate::store::ChangeLock>, Failure> {
    if !path.is_file() {
        return Ok(None);
    }
    let on_wait = || {
        eprintln!(
            "avmigrate: waiting for another avmigrate that is changing {}",
            path.display()
        )
    };
    crate::store::lock_for_change(path, on_wait)
        .map(Some)
        .map_err(|e| {
            Failure::bad_input(format!(
                "{}: cannot lock the plan for changes: {e}",
                path.display()
            ))
        })
}

fn load_mapping(
    path: Option<&std::path::Path>,
) -> Result<Option<std::sync::Arc<crate::inventory::mapping::Mapping>>, Failure> {
    match path {
        Some(p) => Ok(Some(std::sync::Arc::new(
            crate::inventory::mapping::Mapping::load(p)?,
        ))),
        None => Ok(None),
    }
}

fn open_tui(
    source: crate::tui::jobs::Source,
    theme: Option<&str>,
    input: InputArgs,
    rules: Option<PathBuf>,
    catalog: Option<PathBuf>,
) -> Result<i32, Failure> {
    let theme = match theme {
        Some(t) => Some(crate::tui::theme::ThemeName::from_name(t).ok_or_else(|| {
            Failure::bad_input(format!("--theme {t}: expected dark, light or mono"))
        })?),
        None => None,
    };
    let opts = input.options()?;
    crate::tui::run(crate::tui::Options {
        source,
        import: crate::tui::jobs::Import {
            options: opts,
            mapping_path: input.mapping,
        },
        rules,
        catalog,
        theme,
    })
    .map_err(|e| Failure::bad_input(format!("terminal: {e}")))?;
    Ok(EXIT_OK)
}

/// Refuses an output file that is one of the command's input files: writing it would destroy
/// the input (an export over its plan, a plan over its inventory).
pub(crate) fn refuse_overwrite<'a>(
    output: &Path,
    inputs: impl IntoIterator<Item = &'a Path>,
) -> Result<(), Failure> {
    crate::store::refuse_input(output, inputs).map_err(Failure::bad_input)
}

/// Writes to the output, turning a closed pipe into a quiet failure.
pub(crate) fn emit(out: &mut dyn Write, text: &str) -> Result<(), Failure> {
    out.write_all(text.as_bytes())
        .and_then(|_| out.flush())
        .map_err(write_failure)
}

/// The failure for an error writing the output.
pub(crate) fn write_failure(e: std::io::Error) -> Failure {
    match e.kind() {
        // The reader went away (`| head`): stop quietly, like other command-line tools.
        std::io::ErrorKind::BrokenPipe => Failure {
            code: EXIT_OK,
            message: String::new(),
        },
        _ => Failure {
            code: EXIT_BAD_INPUT,
            message: format!("cannot write output: {e}"),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn outputs_may_not_overwrite_inputs() {
        let dir = tempfile::tempdir().unwrap();
        let inv = dir.path().join("inv.toml");
        std::fs::write(&inv, "").unwrap();
        let other = dir.path().join("plan.toml");
        assert!(
            refuse_overwrite(&other, [inv.as_path()]).is_ok(),
            "a new file"
        );
        std::fs::write(&other, "").unwrap();
        assert!(
            refuse_overwrite(&other, [inv.as_path()]).is_ok(),
            "another file"
        );
        let same = dir.path().join(".").join("inv.toml");
        let e = refuse_overwrite(&same, [other.as_path(), inv.as_path()]).unwrap_err();
        assert_eq!(e.code, EXIT_BAD_INPUT);
        assert!(e.message.contains("is an input"), "{}", e.message);
    }
}
