//! Command-line arguments: the clap definitions of every command and option.

use crate::model::Date;
use crate::plan::Blackout;
use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

/// Find every system that runs or relies on Kaspersky software and plan its replacement.
#[derive(Debug, Parser)]
#[command(name = "avmigrate", version, about, long_about = None)]
pub struct Cli {
    /// What to do; without a command the shipped demo inventory is analysed.
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// Output format of reporting commands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OutputFormat {
    /// A report for people.
    Text,
    /// Machine-readable JSON.
    Json,
}

/// Plan export formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExportFormat {
    /// Markdown checklist per wave for the technicians.
    Runbook,
    /// One row per planned asset (spreadsheet-safe).
    Csv,
    /// Graphviz graph with a cluster per wave.
    Dot,
    /// Machine-readable JSON.
    Json,
    /// Management report in Markdown: summary, forecast, waves, burn-down, KRITIS, alerts.
    Md,
    /// The management report as one self-contained HTML file (prints well).
    Html,
    /// Per-wave target lists for a rollout tool (`--tool`); needs `-o DIR`.
    Targets,
    /// iCalendar: one event per wave; with `-o DIR` also one calendar per site and per owner.
    Ics,
    /// One notice per owner (Markdown and plain text); needs `-o DIR`.
    Notices,
}

/// The rollout tools `export --format targets` writes for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ToolArg {
    /// Configuration Manager: a PowerShell script per wave creating a device collection.
    Configmgr,
    /// Intune / Entra ID: per wave a group member CSV (bulk import layout) and a Graph
    /// PowerShell script that creates the group and adds the devices.
    Intune,
    /// Ansible: an inventory (INI and YAML), a group per wave and per product.
    Ansible,
    /// Kaspersky Security Center: per wave the devices whose successor is verified (TXT).
    Ksc,
}

/// Scheduling strategy on the command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum StrategyArg {
    /// KRITIS, critical and internet-facing systems as early as the rules allow.
    RiskFirst,
    /// Low-criticality systems first.
    SafetyFirst,
}

/// File format written by `gen`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum InventoryFormat {
    /// Native TOML inventory.
    Toml,
    /// Generic CSV, one row per asset.
    Csv,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Load inventories, find flagged products and everything that relies on them.
    Analyze {
        /// Inventory files (native TOML or CSV; the format is detected from the content).
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// A rules file that adds to (or replaces) the built-in Kaspersky rules.
        #[arg(long)]
        rules: Option<PathBuf>,
        /// Output format.
        #[arg(long, value_enum, default_value_t = OutputFormat::Text)]
        format: OutputFormat,
        /// Treat per-row problems (skipped rows, unknown values) as errors.
        #[arg(long)]
        strict: bool,
        /// Print one asset with the file and line behind each of its facts.
        #[arg(long, value_name = "ID")]
        explain: Option<String>,
        #[command(flatten)]
        input: InputArgs,
    },
    /// Show how a file is read: encoding, separator, headers, format and column mapping.
    Inspect {
        /// The files.
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// Read in this format instead of detecting it.
        #[arg(long)]
        input_format: Option<String>,
        /// Read CSVs that have its columns with this mapping file.
        #[arg(long)]
        mapping: Option<PathBuf>,
        /// Read this sheet of workbooks (default: every sheet that holds an inventory).
        #[arg(long, value_name = "NAME")]
        sheet: Option<String>,
    },
    /// Plan the replacement in waves and write the plan file.
    Plan(PlanArgs),
    /// Regenerate a plan, keeping pinned assets, frozen waves, statuses and history.
    Replan {
        /// The plan file.
        plan: PathBuf,
        #[command(flatten)]
        extra: ExtraArgs,
    },
    /// Check a plan against its rules and inventory (exit 1 on violations).
    Validate {
        /// The plan file.
        plan: PathBuf,
        /// Output format.
        #[arg(long, value_enum, default_value_t = OutputFormat::Text)]
        format: OutputFormat,
        #[command(flatten)]
        extra: ExtraArgs,
    },
    /// Change planned assets: wave, product, pin, status, note.
    Set(SetArgs),
    /// Compare fresh inventory scans with a plan: statuses, protection gaps, regressions.
    Reconcile {
        /// The plan file.
        plan: PathBuf,
        /// Scan files (any importable format).
        #[arg(required = true)]
        scans: Vec<PathBuf>,
        /// Show what would change without saving the plan.
        #[arg(long)]
        dry_run: bool,
        /// Output format.
        #[arg(long, value_enum, default_value_t = OutputFormat::Text)]
        format: OutputFormat,
        #[command(flatten)]
        input: InputArgs,
        #[command(flatten)]
        extra: ExtraArgs,
    },
    /// Progress of a plan: per status and wave, alerts, forecast.
    Status {
        /// The plan file.
        plan: PathBuf,
        /// Output format.
        #[arg(long, value_enum, default_value_t = OutputFormat::Text)]
        format: OutputFormat,
    },
    /// Export a plan: runbook, CSV, DOT, JSON, or the management report (md, html).
    Export {
        /// The plan file.
        plan: PathBuf,
        /// Export format.
        #[arg(long, value_enum)]
        format: ExportFormat,
        /// Write to this file instead of standard output (a directory for targets, notices,
        /// and the per-site and per-owner calendars).
        #[arg(short, long)]
        output: Option<PathBuf>,
        /// The rollout tool of `--format targets`.
        #[arg(long, value_enum)]
        tool: Option<ToolArg>,
        /// Only this wave (targets).
        #[arg(long)]
        wave: Option<String>,
        #[command(flatten)]
        extra: ExtraArgs,
    },
    /// Three-way merge of plan files; as a git merge driver: `avmigrate merge %O %A %B`
    /// (exit 1 when conflicts are left, ours kept).
    Merge {
        /// The common ancestor.
        base: PathBuf,
        /// Our version; the result replaces it (with a backup) unless -o is given.
        ours: PathBuf,
        /// Their version.
        theirs: PathBuf,
        /// Write the result to this file instead of OURS.
        #[arg(short, long)]
        output: Option<PathBuf>,
    },
    /// Open the interactive app on inventories or a plan.
    Open {
        /// Inventory files, or one plan file (recognised by its content).
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// Theme: dark, light or mono (default: mono when NO_COLOR is set, else dark).
        #[arg(long)]
        theme: Option<String>,
        #[command(flatten)]
        input: InputArgs,
        #[command(flatten)]
        extra: ExtraArgs,
    },
    /// Write a synthetic but realistic inventory for demos and benchmarks.
    Gen {
        /// Number of assets.
        #[arg(long)]
        assets: usize,
        /// Seed of the pseudo-random generator (same seed, same inventory).
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Output file.
        #[arg(short, long)]
        output: PathBuf,
        /// File format (default: from the extension, `.csv` gives CSV, anything else TOML).
        #[arg(long, value_enum)]
        format: Option<InventoryFormat>,
    },
}

/// Rules and catalogue files that add to the built-in ones; shared by every command that
/// plans or checks.
/// `avmigrate plan`: the settings of a new plan, checked as they are read.
#[derive(Debug, Args)]
pub struct PlanArgs {
    /// Inventory files.
    #[arg(required = true)]
    pub files: Vec<PathBuf>,
    /// The plan file to write (e.g. plans/rollout.toml).
    #[arg(short, long)]
    pub output: PathBuf,
    /// Full wave size after the pilot and ramp-up (default: 50, more for large estates so
    /// that the plan fits in about 40 waves).
    #[arg(long)]
    pub wave_size: Option<usize>,
    /// Working days per wave.
    #[arg(long, default_value_t = 5)]
    pub wave_days: u32,
    /// Full-size waves right after the pilot, without the ramp-up (a quarter of the wave
    /// size, then half).
    #[arg(long)]
    pub no_ramp: bool,
    /// First day of the first wave (YYYY-MM-DD; default: the next working day).
    #[arg(long)]
    pub start: Option<Date>,
    /// Scheduling strategy.
    #[arg(long, value_enum, default_value_t = StrategyArg::RiskFirst)]
    pub strategy: StrategyArg,
    /// Date by which the last wave must end (YYYY-MM-DD).
    #[arg(long)]
    pub deadline: Option<Date>,
    /// A period without waves, FROM..TO (optionally =REASON); repeatable.
    #[arg(long, value_parser = crate::plan::settings_text::parse_blackout)]
    pub blackout: Vec<Blackout>,
    /// A change freeze every year, MM-DD..MM-DD (optionally =REASON; may wrap over the new
    /// year, e.g. 12-20..01-06); repeatable.
    #[arg(long, value_parser = crate::plan::settings_text::parse_yearly_blackout, value_name = "MM-DD..MM-DD")]
    pub yearly_blackout: Vec<Blackout>,
    /// Public holidays no wave works on: DE (nationwide) or a federal state, DE-BW … DE-TH.
    #[arg(long, value_name = "REGION")]
    pub holidays: Option<crate::plan::holidays::Region>,
    /// Maximum assets per site and wave, SITE=N; repeatable.
    #[arg(long, value_parser = crate::plan::settings_text::parse_site_capacity)]
    pub site_capacity: Vec<(String, usize)>,
    /// Preferred product ids, in order; repeatable.
    #[arg(long)]
    pub prefer: Vec<String>,
    /// Name of the plan.
    #[arg(long)]
    pub name: Option<String>,
    #[command(flatten)]
    pub input: InputArgs,
    #[command(flatten)]
    pub extra: ExtraArgs,
}

impl From<StrategyArg> for crate::plan::Strategy {
    fn from(s: StrategyArg) -> Self {
        match s {
            StrategyArg::RiskFirst => crate::plan::Strategy::RiskFirst,
            StrategyArg::SafetyFirst => crate::plan::Strategy::SafetyFirst,
        }
    }
}

#[derive(Debug, Clone, Default, Args)]
pub struct ExtraArgs {
    /// Extra flagged-product rules.
    #[arg(long)]
    pub rules: Option<PathBuf>,
    /// Extra vendor catalogue.
    #[arg(long)]
    pub catalog: Option<PathBuf>,
}

/// How inventory files are read when detection is not enough; shared by every command that
/// imports (a plan records them so that reopening it reads its files the same way).
#[derive(Debug, Clone, Default, Args)]
pub struct InputArgs {
    /// Read every file in this format instead of detecting it (see `avmigrate inspect`).
    #[arg(long)]
    pub input_format: Option<String>,
    /// Read CSVs that no built-in format knows with this mapping file.
    #[arg(long)]
    pub mapping: Option<PathBuf>,
    /// The Security Center Administration Server (asset id) that manages the devices of a
    /// KSC export, when the inventory does not show it.
    #[arg(long)]
    pub ksc_server: Option<String>,
    /// Read this sheet of Excel/OpenDocument workbooks (default: every sheet that holds an
    /// inventory).
    #[arg(long, value_name = "NAME")]
    pub sheet: Option<String>,
}

/// What `avmigrate set` changes.
#[derive(Debug, Args)]
pub struct SetArgs {
    /// The plan file.
    pub plan: PathBuf,
    /// Asset ids.
    #[arg(required = true)]
    pub ids: Vec<String>,
    /// Move to this wave.
    #[arg(long)]
    pub wave: Option<String>,
    /// Set the target product (catalogue id).
    #[arg(long)]
    pub product: Option<String>,
    /// Pin to the current wave (replan keeps it there).
    #[arg(long)]
    pub pin: bool,
    /// Unpin.
    #[arg(long)]
    pub unpin: bool,
    /// Set the status (planned, in-progress, migrated, verified, blocked, rolled-back, excluded).
    ///
    /// Allowed changes (reconcile moves statuses from scans on its own):
    ///   planned     → in-progress, migrated (needs --note: no scan saw it), blocked, excluded
    ///   in-progress → migrated, blocked, rolled-back, planned
    ///   migrated    → verified, rolled-back, in-progress
    ///   verified    → rolled-back
    ///   blocked     → planned, in-progress, excluded
    ///   rolled-back → planned, in-progress, blocked, excluded
    ///   excluded    → planned
    /// blocked and excluded need --reason.
    #[arg(long, verbatim_doc_comment)]
    pub status: Option<String>,
    /// Record a decision for an asset no agent replaces: allowlisting, isolate,
    /// vendor-approval, accept-risk or retire (needs --reason, --approver and --review).
    #[arg(long)]
    pub decide: Option<String>,
    /// How an asset protected through a provider is covered: provider (the provider's
    /// replacement), own-agent (with --product unless it has one) or decision.
    #[arg(long)]
    pub cover: Option<String>,
    /// Reason for blocked, rationale for excluded or for a decision.
    #[arg(long)]
    pub reason: Option<String>,
    /// Who accepted the risk (excluded).
    #[arg(long)]
    pub approver: Option<String>,
    /// Review date of an accepted risk (YYYY-MM-DD).
    #[arg(long)]
    pub review: Option<Date>,
    /// A note.
    #[arg(long)]
    pub note: Option<String>,
    /// Who makes the change (default: $USER).
    #[arg(long)]
    pub by: Option<String>,
    /// Extra vendor catalogue.
    #[arg(long)]
    pub catalog: Option<PathBuf>,
}
