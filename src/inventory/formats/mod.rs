//! The registry of import formats. Each format says from a file's content (headers, JSON keys,
//! first line) whether it is one of its files, and reads it. The first format that claims a
//! file reads it; `--input-format NAME` forces one.

mod cmdb;
mod configmgr;
mod defender;
mod defender_api;
pub(crate) mod defender_stream;
mod defender_tvm;
mod glpi;
mod intune;
mod ksc;
mod ksc_json;
mod ksc_openapi;
mod lansweeper;
mod netbox;
mod ocs;
mod osquery;
mod osquery_cp850;
mod osquery_json;
mod osquery_log;
mod osquery_row;
mod probe;
mod servicenow;
mod snipeit;

pub(crate) use ksc::is_ksc_admin_server;
pub(crate) use probe::{CsvHead, JsonForm, Probe, Shape};
pub(crate) use servicenow::NamedCi;

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
        matches: defender_tvm::tvm_matches,
        read: defender_tvm::read_tvm,
        columns: defender_tvm::TVM_COLUMNS,
        stream: Some(defender_tvm::stream_tvm),
    },
    Format {
        name: "defender-api-machines",
        description: "Microsoft Defender for Endpoint API machines (JSON: GET /api/machines)",
        matches: defender_api::machines_matches,
        read: defender_api::read_machines,
        columns: defender_api::MACHINES_COLUMNS,
        stream: None,
    },
    Format {
        name: "defender-api-software",
        description: "Microsoft Defender API SoftwareInventoryByMachine (JSON or JSON lines)",
        matches: defender_api::software_matches,
        read: defender_api::read_software,
        columns: defender_api::SOFTWARE_COLUMNS,
        stream: None,
    },
    Format {
        name: "ksc-devices",
        description: "Kaspersky Security Center managed-devices list export (tab-separated)",
        matches: ksc::devices_matches,
        read: ksc::read_devices,
        columns: ksc::DEVICES_COLUMNS,
        stream: None,
    },
    Format {
        name: "intune-appinv-raw",
        description: "Microsoft Intune Discovered apps raw data (AppInvRawData, per device)",
        matches: intune::raw_matches,
        read: intune::read_raw,
        columns: intune::RAW_COLUMNS,
        stream: None,
    },
    Format {
        name: "intune-appinv-aggregate",
        description: "Microsoft Intune Discovered apps aggregate (refused: holds no devices)",
        matches: intune::aggregate_matches,
        read: intune::read_aggregate,
        columns: intune::AGGREGATE_COLUMNS,
        stream: None,
    },
    Format {
        name: "intune-devices",
        description: "Microsoft Intune All devices export (DevicesWithInventory)",
        matches: intune::devices_matches,
        read: intune::read_devices,
        columns: intune::DEVICES_COLUMNS,
        stream: None,
    },
    Format {
        name: "ksc-openapi",
        description: "Kaspersky Security Center Open API JSON (host products, hosts, groups)",
        matches: ksc_openapi::matches,
        read: ksc_openapi::read,
        columns: ksc_openapi::COLUMNS,
        stream: None,
    },
    Format {
        name: "configmgr-systems",
        description: "Configuration Manager v_R_System export (devices, joined by ResourceID)",
        matches: configmgr::systems_matches,
        read: configmgr::read_systems,
        columns: configmgr::SYSTEMS_COLUMNS,
        stream: None,
    },
    Format {
        name: "configmgr-software",
        description: "Configuration Manager v_GS_INSTALLED_SOFTWARE / Add-Remove-Programs export",
        matches: configmgr::software_matches,
        read: configmgr::read_software,
        columns: configmgr::SOFTWARE_COLUMNS,
        stream: None,
    },
    Format {
        name: "servicenow-rel",
        description: "ServiceNow cmdb_rel_ci relationships (parent, type, child)",
        matches: servicenow::rel_matches,
        read: servicenow::read_rel,
        columns: servicenow::REL_COLUMNS,
        stream: None,
    },
    Format {
        name: "servicenow-software",
        description: "ServiceNow cmdb_sam_sw_install software installations",
        matches: servicenow::software_matches,
        read: servicenow::read_software,
        columns: servicenow::SOFTWARE_COLUMNS,
        stream: None,
    },
    Format {
        name: "servicenow-ci",
        description: "ServiceNow CMDB CI list (cmdb_ci_computer, cmdb_ci_server …)",
        matches: servicenow::ci_matches,
        read: servicenow::read_ci,
        columns: servicenow::CI_COLUMNS,
        stream: None,
    },
    Format {
        name: "glpi",
        description: "GLPI 10/11 computer search export (software joined with <br>)",
        matches: glpi::matches,
        read: glpi::read,
        columns: glpi::COLUMNS,
        stream: None,
    },
    Format {
        name: "snipeit",
        description: "Snipe-IT custom asset report (antivirus custom field as software)",
        matches: snipeit::matches,
        read: snipeit::read,
        columns: snipeit::COLUMNS,
        stream: None,
    },
    Format {
        name: "lansweeper",
        description: "Lansweeper report export (one row per asset and software)",
        matches: lansweeper::matches,
        read: lansweeper::read,
        columns: lansweeper::COLUMNS,
        stream: None,
    },
    Format {
        name: "netbox-devices",
        description: "NetBox device list export (current view or all data)",
        matches: netbox::devices_matches,
        read: netbox::read_devices,
        columns: netbox::DEVICE_COLUMNS,
        stream: None,
    },
    Format {
        name: "netbox-vms",
        description: "NetBox virtual machine list export (current view or all data)",
        matches: netbox::vms_matches,
        read: netbox::read_vms,
        columns: netbox::VM_COLUMNS,
        stream: None,
    },
    Format {
        name: "ocs-computers",
        description: "OCS Inventory NG computer list export",
        matches: ocs::computers_matches,
        read: ocs::read_computers,
        columns: ocs::COMPUTER_COLUMNS,
        stream: None,
    },
    Format {
        name: "ocs-software",
        description: "OCS Inventory NG software export (unquoted values)",
        matches: ocs::software_matches,
        read: ocs::read_software,
        columns: ocs::SOFTWARE_COLUMNS,
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
    if let Shape::Refused(e) = &probe.shape {
        return Err(e.clone());
    }
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
    // A workbook sheet's label is `file [sheet]`: the command names the file.
    let file = match label.rsplit_once(" [") {
        Some((file, _)) if crate::error::is_sheet_label(label) => file,
        _ => label,
    };
    let advice = format!(
        "run `avmigrate inspect {file}` to see how it was read, and describe its columns with \
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
        Shape::Unknown | Shape::Refused(_) => "content of no known shape".to_string(),
    };
    Err(InputError::new(
        Location::file(label),
        format!("unrecognised file: {what}; tried the formats {tried}; {advice}"),
    ))
}
