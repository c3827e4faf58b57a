//! The registry of import formats. Each format says from a file's content (headers, JSON keys,
//! first line) whether it is one of its files, and reads it. The first format that claims a
//! file reads it; `--input-format NAME` forces one.

mod defender;
mod osquery;
mod osquery_cp850;
mod osquery_json;
mod osquery_log;
mod osquery_row;
mod probe;

pub(crate) use probe::{JsonForm, Probe, Shape};

use super::{Content, FileCtx, csv_generic, native};
use crate::error::{InputError, Location};

/// One import format.
pub(crate) struct Format {
    /// Name for `--input-format` and reports.
    pub name: &'static str,
    /// One line for `inspect` and error messages.
    pub description: &'static str,
    /// True when the content looks like this format.
    pub matches: fn(&Probe) -> bool,
    /// Reads the file.
    pub read: fn(&Probe, &mut FileCtx<'_>) -> Result<Content, InputError>,
    /// How its columns or keys map to the model, for `inspect` ("DeviceName" → "id, name").
    pub columns: &'static [(&'static str, &'static str)],
    /// Reads the file as a stream of decoded text, for files too large to hold in memory
    /// (None: the file is read whole).
    pub stream: Option<StreamFn>,
}

/// A streaming reader: the decoded text arrives through a buffered reader.
pub(crate) type StreamFn =
    fn(&mut dyn std::io::BufRead, &mut FileCtx<'_>) -> Result<Content, InputError>;

fn native_matches(p: &Probe) -> bool {
    matches!(p.shape, Shape::Toml)
}

fn native_read(p: &Probe, ctx: &mut FileCtx<'_>) -> Result<Content, InputError> {
    native::read(p.text, ctx).map(Content::Assets)
}

fn csv_matches(p: &Probe) -> bool {
    matches!(&p.shape, Shape::Csv(head) if super::headers::classify(&head.headers).is_ok())
}

fn csv_read(p: &Probe, ctx: &mut FileCtx<'_>) -> Result<Content, InputError> {
    csv_generic::read(p.text, ctx)
}

/// Every format, most specific first; the generic CSV comes last.
pub(crate) const FORMATS: &[Format] = &[
    Format {
        name: "native",
        description: "avmigrate's native TOML inventory ([[asset]] tables)",
        matches: native_matches,
        read: native_read,
        columns: &[],
        stream: None,
    },
    Format {
        name: "defender-deviceinfo",
        description: "Microsoft Defender Advanced Hunting DeviceInfo (newest report per device)",
        matches: defender::device_info_matches,
        read: defender::read_device_info,
        columns: defender::DEVICE_INFO_COLUMNS,
        stream: None,
    },
    Format {
        name: "defender-tvm",
        description: "Microsoft Defender DeviceTvmSoftwareInventory (software per device)",
        matches: defender::tvm_matches,
        read: defender::read_tvm,
        columns: defender::TVM_COLUMNS,
        stream: None,
    },
    Format {
        name: "osquery-programs",
        description: "osqueryi --json output of the Windows programs table (host from hostname or file name)",
        matches: osquery::programs_matches,
        read: osquery::read_programs,
        columns: osquery::PROGRAMS_COLUMNS,
        stream: None,
    },
    Format {
        name: "osquery-deb",
        description: "osqueryi --json output of the deb_packages table (installed packages only)",
        matches: osquery::deb_matches,
        read: osquery::read_deb,
        columns: osquery::DEB_COLUMNS,
        stream: None,
    },
    Format {
        name: "osquery-rpm",
        description: "osqueryi --json output of the rpm_packages table",
        matches: osquery::rpm_matches,
        read: osquery::read_rpm,
        columns: osquery::RPM_COLUMNS,
        stream: None,
    },
    Format {
        name: "osquery-apps",
        description: "osqueryi --json output of the macOS apps table",
        matches: osquery::apps_matches,
        read: osquery::read_apps,
        columns: osquery::APPS_COLUMNS,
        stream: None,
    },
    Format {
        name: "osquery-system-info",
        description: "osqueryi --json output of the system_info table (one device per row)",
        matches: osquery::system_info_matches,
        read: osquery::read_system_info,
        columns: osquery::SYSTEM_INFO_COLUMNS,
        stream: None,
    },
    Format {
        name: "osquery-os-version",
        description: "osqueryi --json output of the os_version table (the host's OS)",
        matches: osquery::os_version_matches,
        read: osquery::read_os_version,
        columns: osquery::OS_VERSION_COLUMNS,
        stream: None,
    },
    Format {
        name: "osquery-log",
        description: "osqueryd results/snapshot log (JSON lines; added/removed replayed per host and query)",
        matches: osquery_log::log_matches,
        read: osquery_log::read_log,
        columns: osquery_log::LOG_COLUMNS,
        stream: Some(osquery_log::stream_log),
    },
    Format {
        name: "csv",
        description: "generic CSV: one row per asset, or software rows, or relation rows",
        matches: csv_matches,
        read: csv_read,
        columns: &[],
        stream: None,
    },
];

/// Names of every format, for help and messages.
pub fn format_names() -> Vec<&'static str> {
    FORMATS.iter().map(|f| f.name).collect()
}

/// Name and description of every format.
pub fn format_descriptions() -> Vec<(&'static str, &'static str)> {
    FORMATS.iter().map(|f| (f.name, f.description)).collect()
}

/// The format that reads a file: the forced one, else the first that claims it.
pub(crate) fn choose(
    probe: &Probe,
    forced: Option<&str>,
    label: &str,
) -> Result<&'static Format, InputError> {
    if let Some(name) = forced {
        return FORMATS
            .iter()
            .find(|f| f.name.eq_ignore_ascii_case(name.trim()))
            .ok_or_else(|| {
                InputError::new(
                    Location::file(label),
                    format!(
                        "unknown input format \"{name}\" (known: {})",
                        format_names().join(", ")
                    ),
                )
            });
    }
    if let Some(f) = FORMATS.iter().find(|f| (f.matches)(probe)) {
        return Ok(f);
    }
    let tried = format_names().join(", ");
    let advice = format!(
        "run `avmigrate inspect {label}` to see how it was read, and describe its columns with \
         --mapping"
    );
    if let Shape::Csv(head) = &probe.shape {
        let why = super::headers::classify(&head.headers)
            .err()
            .unwrap_or_else(|| "its headers fit no known export".into());
        return Err(InputError::new(
            Location::line(label, head.line),
            format!("{why}; tried the formats {tried}; {advice}"),
        ));
    }
    let what = match &probe.shape {
        Shape::Csv(_) => String::new(),
        Shape::Json(j) => format!(
            "JSON ({}) with keys that fit no known export",
            match j.form {
                JsonForm::Array => "an array",
                JsonForm::Object => "an object",
                JsonForm::Lines => "JSON lines",
            }
        ),
        Shape::Toml => "TOML that is not an inventory".to_string(),
        Shape::Unknown => "content of no known shape".to_string(),
    };
    Err(InputError::new(
        Location::file(label),
        format!("unrecognised file: {what}; tried the formats {tried}; {advice}"),
    ))
}
