//! The management server goes last: after every asset it manages is migrated, excluded or
//! decided, and only once its records and the uninstall passwords are exported.

use super::sources as src;
use super::{Step, Subject, sample};
use crate::model::RelationKind;

/// The export and decommission steps of a Security Center server.
pub fn steps(s: &Subject) -> Vec<Step> {
    let id = &s.asset.id;
    let managed = s.dependents(&[RelationKind::ManagedBy, RelationKind::ReportsTo]);
    let mut export = Step::new(
        "export-records",
        "Before Security Center goes: export its detections and event logs (for the records and \
         any open incident) and the uninstall passwords that devices still need (KES: \
         KLLOGIN/KLPASSWD; the Network Agent uninstall password)."
            .to_string(),
    );
    let which = if managed.is_empty() {
        String::new()
    } else {
        format!(
            " ({} assets report to {id}, e.g. {})",
            managed.len(),
            sample(&managed, 5)
        )
    };
    export.note(format!(
        "Only after every asset it manages is migrated, excluded or decided{which}: its \
         \"Uninstall application remotely\" task and the passwords are needed for their \
         removal."
    ));
    export.sources.extend(
        [
            src::KES_UNINSTALL,
            src::NAGENT_PASSWORD,
            src::KSC_REMOTE_UNINSTALL,
        ]
        .map(String::from),
    );
    let mut decommission = Step::new(
        "decommission",
        format!(
            "Decommission Kaspersky Security Center on {id} after its last managed system: \
             Administration Server, Web Console, database, and the Network Agent on this server."
        ),
    );
    decommission.sourced(
        "Close ports 13000, 14000, 13291, 13299 and 8080 (and agent port 15000 UDP); remove \
         the KSN proxy (13111, 15111, 17111); revoke licences.",
        &[
            src::KSC_PORTS,
            src::KSC_LINUX_PORTS,
            src::KSC_OPENAPI,
            src::KSC_KSN_PROXY,
        ],
    );
    vec![export, decommission]
}
