//! Microsoft Defender `DeviceTvmSoftwareInventory` (Advanced Hunting CSV): one row per device
//! and product, vendor and product as lower-case CPE-style tokens (`kaspersky`,
//! `endpoint_security`). Read as a stream, so that exports of hundreds of megabytes import
//! with memory that follows the inventory, not the file; small files take the same path.
//!
//! The products of a device are gathered while reading ([`HostSoftware`]) and handed to the
//! merge as one record per device, so that merging costs nothing per row.

use super::Probe;
use super::defender::os_text;
use super::defender_stream::CsvStream;
use crate::error::InputError;
use crate::inventory::chunked::Chunked;
use crate::inventory::{Content, Explicit, FileCtx, Mixed, Record, tidy};
use crate::model::lists::push_tight;
use crate::model::text::clean;
use crate::model::{Asset, AssetKind, Software};
use ecow::EcoString;
use std::collections::HashMap;
use thin_vec::ThinVec;

/// How `DeviceTvmSoftwareInventory` columns map to the model.
pub(crate) const TVM_COLUMNS: &[(&str, &str)] = &[
    ("DeviceName", "asset (lower-case FQDN)"),
    (
        "SoftwareName",
        "software name (normalised token, e.g. endpoint_security)",
    ),
    ("SoftwareVersion", "software version"),
    (
        "SoftwareVendor",
        "software publisher (normalised token, e.g. kaspersky)",
    ),
    ("OSPlatform, OSVersion", "os (fills an unknown OS)"),
];

/// `DeviceTvmSoftwareInventory`: device plus SoftwareVendor/SoftwareName.
pub(crate) fn tvm_matches(p: &Probe) -> bool {
    p.csv()
        .is_some_and(|h| h.has_all(&["DeviceName", "SoftwareVendor", "SoftwareName"]))
}

/// Reads a file already in memory (the same reader as the stream).
pub(crate) fn read_tvm(p: &Probe, ctx: &mut FileCtx<'_>) -> Result<Content, InputError> {
    stream_tvm(&mut p.text.as_bytes(), ctx)
}

/// Reads the export from decoded text.
pub(crate) fn stream_tvm(
    input: &mut dyn std::io::BufRead,
    ctx: &mut FileCtx<'_>,
) -> Result<Content, InputError> {
    let mut csv = CsvStream::open(input, ctx)?;
    let col = |names: &[&str]| csv.find(names);
    let (host, vendor, sw, version) = (
        col(&["DeviceName"]),
        col(&["SoftwareVendor"]),
        col(&["SoftwareName"]),
        col(&["SoftwareVersion"]),
    );
    let (platform, os_version) = (col(&["OSPlatform"]), col(&["OSVersion"]));
    // The CPE names the row's product again.
    let cpe = col(&["ProductCodeCpe"]);
    let mapped = [host, vendor, sw, version, platform, os_version, cpe];
    let mapped: Vec<usize> = mapped.into_iter().flatten().collect();
    ctx.watch_unmapped(csv.headers.len(), &mapped);
    let mut hosts = HostSoftware::default();
    while csv.next_data_row(ctx)? {
        let line = csv.line();
        ctx.scan_row(&csv)?;
        let (device, name) = (csv.opt_cell(host), csv.opt_cell(sw));
        if device.is_empty() || name.is_empty() {
            ctx.skip(
                "missing device or software",
                ctx.line(line),
                "row has no DeviceName or SoftwareName; row skipped".into(),
            )?;
            continue;
        }
        // Cleaned and shared once per distinct text: the export repeats them on every row.
        let software = Software {
            name: ctx.text(name),
            version: ctx.opt_text(csv.opt_cell(version)),
            publisher: ctx.opt_text(csv.opt_cell(vendor)),
        };
        let os = || os_text(csv.opt_cell(platform), "", "", csv.opt_cell(os_version));
        hosts.add(ctx, device, line, os, software);
        ctx.report.software += 1;
        for found in ctx.unmapped_software(line) {
            hosts.add(ctx, device, line, os, found);
            ctx.report.software += 1;
        }
    }
    Ok(Content::Mixed(hosts.finish(ctx)))
}

/// Products gathered per device (keyed by the lower-cased device name), as one record per
/// device from the start: nothing per device is copied when reading ends.
#[derive(Default)]
pub(crate) struct HostSoftware {
    /// Each device's position, by its cleaned, lower-cased name.
    index: HashMap<EcoString, u32>,
    records: Chunked<Record>,
    /// The device of the previous row as written, and its position: exports list a device's
    /// products one after another.
    last: Option<(String, usize)>,
    /// Ids as first written instead of lower-cased.
    keep_case: bool,
}

impl HostSoftware {
    /// Gathers products per device, with the device name as first written as its id (the
    /// default lower-cases it, as Defender's other exports do).
    pub(crate) fn keeping_case() -> HostSoftware {
        HostSoftware {
            keep_case: true,
            ..HostSoftware::default()
        }
    }

    /// Adds one product of `device` (as written; devices are told apart case-insensitively), read at
    /// `line`; `os` gives the device's OS text, asked for until one is not empty.
    pub(crate) fn add(
        &mut self,
        ctx: &mut FileCtx<'_>,
        device: &str,
        line: usize,
        os: impl FnOnce() -> String,
        software: Software,
    ) {
        let i = match &self.last {
            Some((raw, i)) if raw == device => *i,
            _ => {
                let key = clean(&device.to_lowercase());
                let i = match self.index.get(key.as_str()) {
                    Some(&i) => i as usize,
                    None => {
                        let id = if self.keep_case {
                            clean(device)
                        } else {
                            key.clone()
                        };
                        let mut asset = Asset::new(id);
                        asset.origin = Some(ctx.origin(line));
                        self.records.push(Record {
                            asset,
                            explicit: Explicit::default(),
                        });
                        let i = self.records.len() - 1;
                        self.index.insert(key.into(), i as u32);
                        i
                    }
                };
                self.last = Some((device.to_string(), i));
                i
            }
        };
        let asset = &mut self.records[i].asset;
        if asset.os.raw.is_empty() {
            let text = os();
            if !text.is_empty() {
                asset.os = ctx.os(&text);
            }
        }
        push_tight(&mut asset.software, software);
    }

    /// One record per device with its products (exact repeats dropped) and its OS. (The OS
    /// of such exports is coarse, "Windows 11"; merging keeps the more detailed of two
    /// compatible OS texts, so a device export's "Windows 11 23H2" wins either way.)
    pub(crate) fn finish(self, ctx: &mut FileCtx<'_>) -> Mixed {
        let mut records = self.records;
        drop(self.index);
        for record in records.iter_mut() {
            let asset = &mut record.asset;
            dedupe(&mut asset.software);
            asset.kind = AssetKind::infer(&asset.os);
            tidy(asset);
            ctx.report.assets += 1;
        }
        Mixed {
            records,
            ..Mixed::default()
        }
    }
}

/// Drops exact repeats from a device's products, keeping first-seen order (the room left
/// is freed when the record is tidied). Sorting positions is cheaper than hashing every
/// product of a large export.
fn dedupe(list: &mut ThinVec<Software>) {
    if list.len() < 2 {
        return;
    }
    fn key(s: &Software) -> (&str, Option<&str>, Option<&str>) {
        (&s.name, s.version.as_deref(), s.publisher.as_deref())
    }
    let mut order: Vec<usize> = (0..list.len()).collect();
    order.sort_unstable_by(|&a, &b| key(&list[a]).cmp(&key(&list[b])).then(a.cmp(&b)));
    let mut keep = vec![true; list.len()];
    for pair in order.windows(2) {
        if key(&list[pair[0]]) == key(&list[pair[1]]) {
            keep[pair[1]] = false;
        }
    }
    let mut k = 0;
    list.retain(|_| {
        k += 1;
        keep[k - 1]
    });
}

#[cfg(test)]
mod tests {
    use crate::inventory::{ImportOptions, Input, load_inputs, load_sources};

    const TVM: &str = "\u{feff}DeviceId,DeviceName,OSPlatform,OSVersion,SoftwareVendor,SoftwareName,SoftwareVersion\r\n\
2f1c,fr-ws-0142.mueller-mb.local,Windows11,10.0,kaspersky,endpoint_security,12.6.0.438\r\n\
\r\n\
2f1c,fr-ws-0142.mueller-mb.local,Windows11,10.0,mozilla,\"fire\r\nfox\",123.0\r\n\
c4d3,FR-SRV-EX01.mueller-mb.local,WindowsServer2019,10.0,kaspersky,security_center_network_agent,15.1.0.20748\r\n\
c4d3,fr-srv-ex01.mueller-mb.local,WindowsServer2019,10.0\r\n\
2f1c,fr-ws-0142.mueller-mb.local,Windows11,10.0,kaspersky,endpoint_security,12.6.0.438\r\n\
2f1c,fr-ws-0142.mueller-mb.local,Windows11,10.0,7-zip,7-zip,23.1.0.0";

    fn utf16le(text: &str) -> Vec<u8> {
        let mut out = vec![0xFF, 0xFE];
        out.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
        out
    }

    #[test]
    fn the_stream_and_the_whole_file_give_the_same_inventory() {
        let dir = tempfile::tempdir().expect("temp dir");
        for (name, bytes) in [
            ("tvm.csv", TVM.as_bytes().to_vec()),
            ("tvm16.csv", utf16le(TVM)),
        ] {
            let path = dir.path().join(name);
            std::fs::write(&path, &bytes).expect("write");
            let opts = ImportOptions::default();
            let streamed =
                load_inputs(vec![Input::File(name.into(), path)], &opts).expect("streams");
            let whole = load_sources(vec![(name.into(), bytes)], &opts).expect("reads");
            assert_eq!(streamed.inventory.assets(), whole.inventory.assets());
            assert_eq!(streamed.files, whole.files);
            let warnings: Vec<String> = streamed.warnings.iter().map(|w| w.to_string()).collect();
            assert_eq!(
                warnings,
                [format!(
                    "{name}:7: row has 4 fields, the header has 7; row skipped"
                )]
            );
            assert_eq!(
                whole
                    .warnings
                    .iter()
                    .map(|w| w.to_string())
                    .collect::<Vec<_>>(),
                warnings
            );
            let assets = streamed.inventory.assets();
            assert_eq!(assets.len(), 2);
            let ws = &assets[0];
            assert_eq!(ws.id, "fr-ws-0142.mueller-mb.local");
            assert_eq!(ws.os.raw, "Windows 11");
            let names: Vec<_> = ws.software.iter().map(|s| s.name.as_str()).collect();
            assert_eq!(names, ["endpoint_security", "fire  fox", "7-zip"]);
            assert_eq!(ws.origin.as_ref().unwrap().to_string(), format!("{name}:2"));
            assert_eq!(assets[1].id, "fr-srv-ex01.mueller-mb.local");
            assert_eq!(
                assets[1].origin.as_ref().unwrap().to_string(),
                format!("{name}:6"),
                "the quoted line break counts"
            );
            let f = &streamed.files[0];
            assert_eq!(
                (f.format, f.rows, f.software, f.assets),
                ("defender-tvm", 6, 5, 2)
            );
        }
    }
}
