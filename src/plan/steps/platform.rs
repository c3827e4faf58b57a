//! What the platform changes in the steps: Windows 10/11 clients, Windows 7 and other legacy
//! Windows, Windows Server, Linux, macOS and mobile devices.

use super::sources as src;
use super::{Step, Subject};
use crate::model::OsFamily;
use crate::model::os::version_at_least;

/// The platform groups whose steps differ.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Platform {
    /// Windows 10 / 11 (and IoT Enterprise 10+): Windows Security and built-in Defender.
    WindowsClient,
    /// Windows 7, 8.1, XP and their Embedded editions: no built-in Defender Antivirus.
    LegacyWindows,
    /// Windows Server.
    WindowsServer,
    /// Linux.
    Linux,
    /// macOS.
    Macos,
    /// Android and iOS.
    Mobile,
    /// Everything else (ESXi, firmware, unknown).
    Other,
}

impl Platform {
    /// The platform group of an OS family and version (a Windows client of unknown version
    /// counts as current).
    pub fn of(family: OsFamily, version: Option<&str>) -> Platform {
        let modern = version.is_none_or(|v| version_at_least(v, "10"));
        match family {
            OsFamily::WindowsClient | OsFamily::WindowsEmbedded if modern => {
                Platform::WindowsClient
            }
            OsFamily::WindowsClient | OsFamily::WindowsEmbedded => Platform::LegacyWindows,
            OsFamily::WindowsServer => Platform::WindowsServer,
            OsFamily::Linux => Platform::Linux,
            OsFamily::Macos => Platform::Macos,
            OsFamily::Android | OsFamily::Ios => Platform::Mobile,
            OsFamily::Esxi | OsFamily::Embedded | OsFamily::Unknown => Platform::Other,
        }
    }
}

/// Notes for installing the successor on the asset itself.
pub fn install_notes(s: &Subject, step: &mut Step) {
    match s.platform {
        Platform::WindowsServer => step.sourced(
            "Windows Server: Defender Antivirus does not switch to passive or back to active on \
             its own; set its mode explicitly while both products run.",
            &[src::MDAV_COMPAT, src::MDE_PHASE2],
        ),
        Platform::LegacyWindows => step.sourced(
            format!(
                "{}: Defender Antivirus is not part of this Windows (Microsoft supports it on \
                 Windows 10 and 11), so once Kaspersky is gone only {} protects it.",
                s.asset.os.label(),
                s.name
            ),
            &[src::ONBOARD_DOWNLEVEL],
        ),
        Platform::Mobile => step.note(format!(
            "Deploy {} through the device management (MDM) so that it can be checked and later \
             removed the same way.",
            s.name
        )),
        _ => {}
    }
}

/// Notes for confirming that the successor is the active protection.
pub fn confirm_notes(s: &Subject, step: &mut Step) {
    let name = &s.name;
    match s.platform {
        Platform::WindowsClient => {
            step.sourced(
                format!(
                    "Windows Security (Security Center, root\\SecurityCenter2) should list \
                     {name} as the active antivirus."
                ),
                &[src::SECURITY_CENTER],
            );
            if s.defender() {
                step.sourced(
                    "Get-MpComputerStatus: AMRunningMode = Normal (not Passive), \
                     RealTimeProtectionEnabled = True, current signatures.",
                    &[src::MDE_PHASE3],
                );
            }
        }
        Platform::LegacyWindows => {
            if s.defender() {
                step.sourced(
                    format!(
                        "{}: there is no Windows Security app and no local antivirus UI with \
                         the Defender deployment tool; Action Center may say \"no antivirus \
                         found\". Check {name} with PowerShell 5.1 (Get-MpComputerStatus) and \
                         in the Defender portal.",
                        s.asset.os.label()
                    ),
                    &[src::DEPLOYMENT_TOOL],
                );
            } else {
                step.sourced(
                    format!(
                        "{}: Action Center (not Windows Security) should list {name}; check it in \
                         {name}'s own console as well.",
                        s.asset.os.label()
                    ),
                    &[src::SECURITY_CENTER, src::ONBOARD_DOWNLEVEL],
                );
            }
        }
        Platform::WindowsServer => {
            let defender = if s.defender() {
                format!(
                    "; {name} relies on Defender Antivirus: make sure it runs (Install-\
                     WindowsFeature Windows-Defender where it was removed) and \
                     Get-MpComputerStatus shows AMRunningMode = Normal"
                )
            } else {
                String::new()
            };
            step.sourced(
                format!(
                    "Windows Server does not turn Defender Antivirus back on when Kaspersky is \
                     removed, and it has no Security Center list (root\\SecurityCenter2 is on \
                     clients only): check {name} in its console{defender}."
                ),
                &[src::MDAV_COMPAT, src::SECURITY_CENTER],
            );
        }
        Platform::Linux => {
            let health = if s.defender() { " (mdatp health)" } else { "" };
            step.sourced(
                format!(
                    "Linux: rpm -qa or dpkg -l shows none of kesl, klnagent, klnagent64, kess, \
                     kics, kwts, klms, kfl any more, and {name} reports healthy{health}."
                ),
                &[src::KESL_PACKAGES, src::NAGENT_LINUX],
            );
        }
        Platform::Macos => step.sourced(
            format!(
                "macOS: nothing is left under /Library/Application Support/Kaspersky Lab/, and \
                 {name} reports in at its console."
            ),
            &[src::MAC_UNINSTALL],
        ),
        Platform::Mobile => step.note(format!(
            "The device management's app inventory lists {name} and no Kaspersky app."
        )),
        Platform::Other => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn windows_7_and_embedded_7_are_legacy_windows_10_iot_is_not() {
        let p = |f, v: Option<&str>| Platform::of(f, v);
        assert_eq!(
            p(OsFamily::WindowsClient, Some("7")),
            Platform::LegacyWindows
        );
        assert_eq!(
            p(OsFamily::WindowsEmbedded, Some("XP")),
            Platform::LegacyWindows
        );
        assert_eq!(p(OsFamily::WindowsClient, None), Platform::WindowsClient);
        assert_eq!(
            p(OsFamily::WindowsClient, Some("11")),
            Platform::WindowsClient
        );
        assert_eq!(
            p(OsFamily::WindowsEmbedded, Some("10")),
            Platform::WindowsClient
        );
        assert_eq!(
            p(OsFamily::WindowsServer, Some("2008 R2")),
            Platform::WindowsServer
        );
        assert_eq!(p(OsFamily::Ios, None), Platform::Mobile);
    }
}
