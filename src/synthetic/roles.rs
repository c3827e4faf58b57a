//! The random part of each site: clients, Macs, mobiles, printers, servers, VMs, OT.

use super::catalog::{self, OsId};
use super::{Gen, PilotClass, Prefix, Role, Site};
use crate::model::{AssetKind, Criticality, RelationKind as Rel};

impl Gen {
    /// Adds one asset of `role` to the site (VM roles fall back to a physical server when the
    /// site has no hypervisor).
    pub(super) fn random_asset(&mut self, site: &mut Site, role: Role) {
        match role {
            Role::Workstation => self.client(site, false),
            Role::Laptop => self.client(site, true),
            Role::Mac => self.mac(site),
            Role::Mobile => self.mobile(site),
            Role::Printer | Role::Switch => self.device(site, role == Role::Printer),
            Role::AppVm | Role::WindowsVm | Role::LinuxVm if site.hosts.is_empty() => {
                self.windows_server(site, None)
            }
            Role::AppVm => self.app_vm(site),
            Role::WindowsVm => {
                let host = self.rng.pick(&site.hosts).0;
                self.windows_server(site, Some(host))
            }
            Role::LinuxVm => {
                let host = self.rng.pick(&site.hosts).0;
                self.linux_server(site, Some(host))
            }
            Role::WindowsServer => self.windows_server(site, None),
            Role::LinuxServer => self.linux_server(site, None),
            Role::Ot => self.ot(site),
        }
    }

    /// Mail, proxy, file shares and business applications a Windows client uses.
    fn office_use(&mut self, at: usize, site: &Site) {
        let g = self.group(site.index);
        self.maybe_rel(500, at, g.exchange, Rel::MailVia);
        self.maybe_rel(350, at, g.proxy, Rel::ProxiedBy);
        let fs = self.rng.opt_pick(&site.file_servers);
        self.maybe_rel(350, at, fs, Rel::Uses);
        let app = self.rng.opt_pick(&site.apps);
        self.maybe_rel(150, at, app, Rel::Uses);
    }

    /// A Windows workstation or laptop: mostly KES + Network Agent; 10 % migrated to another
    /// product, 3 % migrated with a left-behind Network Agent, a few with a consumer product.
    fn client(&mut self, site: &mut Site, laptop: bool) {
        use catalog::*;
        let os = self.rng.weighted(&[
            (450, OsId::Win11),
            (450, OsId::Win10),
            (70, OsId::Win11_24),
            (30, OsId::Win7),
        ]);
        let crit = self.rng.weighted(&[
            (300, Criticality::Low),
            (600, Criticality::Medium),
            (100, Criticality::High),
        ]);
        let (prefix, kind) = if laptop {
            (Prefix::Nb, AssetKind::Laptop)
        } else {
            (Prefix::Ws, AssetKind::Workstation)
        };
        let owner = self.owner();
        let Some(at) = self.push(site, prefix, kind, os, owner, crit) else {
            return;
        };
        let browser = self.rng.pick(&BROWSERS);
        self.sw(at, &[OFFICE, browser]);
        if self.rng.chance(500) {
            self.sw(at, &[SEVENZIP]);
        }
        if self.rng.chance(200) {
            self.sw(at, &[SAPGUI]);
        }
        let state = self.rng.below(10_000);
        if state < 1_000 {
            let product = self.rng.pick(&REPLACEMENTS);
            self.sw(at, product);
        } else if state < 1_300 {
            let product = self.rng.pick(&REPLACEMENTS);
            self.sw(at, product);
            self.sw(at, &[NAGENT]);
            self.rel(at, site.manager, Rel::ManagedBy);
        } else if state < 1_340 {
            self.sw(at, &[KTS]);
        } else {
            let kes = if state < 1_345 {
                KES_RU
            } else {
                self.rng.pick(&KES)
            };
            self.sw(at, &[kes, NAGENT]);
            self.managed(at, site);
            let class = if laptop {
                PilotClass::Laptop
            } else {
                PilotClass::Workstation
            };
            self.maybe_pilot(at, class, 3);
        }
        self.office_use(at, site);
    }

    /// A MacBook with KES for Mac.
    fn mac(&mut self, site: &mut Site) {
        let os = self
            .rng
            .pick(&[OsId::Macos14, OsId::Macos14, OsId::Macos13]);
        let owner = self.owner();
        let crit = Criticality::Medium;
        let Some(at) = self.push(site, Prefix::Mac, AssetKind::Laptop, os, owner, crit) else {
            return;
        };
        self.sw(
            at,
            &[catalog::KES_MAC, catalog::NAGENT_MAC, catalog::MAC_OFFICE],
        );
        self.managed(at, site);
        self.maybe_pilot(at, PilotClass::Mac, 3);
        let g = self.group(site.index);
        self.maybe_rel(500, at, g.exchange, Rel::MailVia);
        self.maybe_rel(350, at, g.proxy, Rel::ProxiedBy);
    }

    /// A company phone: Android with KES for Android, or an iPhone without Kaspersky.
    fn mobile(&mut self, site: &mut Site) {
        let os = self.rng.weighted(&[
            (400, OsId::Android14),
            (300, OsId::Android13),
            (300, OsId::Ios17),
        ]);
        let owner = self.owner();
        let Some(at) = self.push(
            site,
            Prefix::Mob,
            AssetKind::Mobile,
            os,
            owner,
            Criticality::Low,
        ) else {
            return;
        };
        if os != OsId::Ios17 {
            self.sw(at, &[catalog::KES_ANDROID]);
            self.rel(at, site.manager, Rel::ManagedBy);
        }
        let g = self.group(site.index);
        self.maybe_rel(900, at, g.exchange, Rel::MailVia);
    }

    /// A printer (scan to folder / mail) or a switch; neither runs anti-virus.
    fn device(&mut self, site: &mut Site, printer: bool) {
        let (prefix, os) = if printer {
            (Prefix::Prn, OsId::Printer)
        } else {
            (Prefix::Sw, OsId::Switch)
        };
        let crit = Criticality::Low;
        let Some(at) = self.push(site, prefix, AssetKind::Appliance, os, "IT-Betrieb", crit) else {
            return;
        };
        if printer {
            let fs = self.rng.opt_pick(&site.file_servers);
            self.maybe_rel(700, at, fs, Rel::Uses);
            let g = self.group(site.index);
            self.maybe_rel(400, at, g.exchange, Rel::MailVia);
        }
    }
    /// A business application VM protected only by the agentless SVM of its host (indirect).
    fn app_vm(&mut self, site: &mut Site) {
        let (host, svm) = self.rng.pick(&site.hosts);
        let os = self
            .rng
            .pick(&[OsId::Srv2019, OsId::Srv2022, OsId::Srv2016]);
        let owner = self.owner();
        let crit = self.rng.pick(&[Criticality::Medium, Criticality::High]);
        let Some(at) = self.push(site, Prefix::App, AssetKind::Vm, os, owner, crit) else {
            return;
        };
        let app = self.rng.pick(&catalog::APPS);
        self.sw(at, &[app, catalog::VMTOOLS]);
        self.rel(at, Some(host), Rel::RunsOn);
        self.rel(at, Some(svm), Rel::ScannedBy);
        let sql = self.rng.opt_pick(&site.sql);
        self.maybe_rel(700, at, sql, Rel::Uses);
        let fs = self.rng.opt_pick(&site.file_servers);
        self.maybe_rel(300, at, fs, Rel::Uses);
        let dc = self.rng.opt_pick(&site.dcs);
        self.maybe_rel(500, at, dc, Rel::Uses);
        site.apps.push(at);
    }

    /// A Windows server (physical, or a VM on `host`) protected by KSWS, or already migrated.
    fn windows_server(&mut self, site: &mut Site, host: Option<usize>) {
        let os = self.rng.weighted(&[
            (400, OsId::Srv2019),
            (300, OsId::Srv2022),
            (150, OsId::Srv2016),
            (100, OsId::Srv2012R2),
            (50, OsId::Srv2012),
        ]);
        let (prefix, kind) = match host {
            Some(_) => (Prefix::Srv, AssetKind::Vm),
            None => (Prefix::Srv, AssetKind::Server),
        };
        let owner = self.owner();
        let crit = self.rng.pick(&[Criticality::Medium, Criticality::High]);
        let Some(at) = self.push(site, prefix, kind, os, owner, crit) else {
            return;
        };
        self.rel(at, host, Rel::RunsOn);
        if host.is_some() {
            self.sw(at, &[catalog::VMTOOLS]);
        } else if self.rng.chance(300) {
            self.sw(at, &[catalog::VEEAM_AGENT]);
        }
        if self.rng.chance(900) {
            self.sw(at, &[catalog::KSWS, catalog::NAGENT]);
            self.managed(at, site);
            self.maybe_pilot(at, PilotClass::WindowsServer, 3);
        } else {
            self.sw(at, catalog::REPLACEMENTS[1]);
        }
        let dc = self.rng.opt_pick(&site.dcs);
        self.maybe_rel(600, at, dc, Rel::Uses);
    }

    /// A Linux server (physical, or a VM on `host`) with `kesl` + `klnagent64`, or without.
    fn linux_server(&mut self, site: &mut Site, host: Option<usize>) {
        let os = self.rng.weighted(&[
            (250, OsId::Rhel86),
            (150, OsId::Rhel94),
            (150, OsId::Centos79),
            (200, OsId::Ubuntu2204),
            (100, OsId::Sles12),
            (50, OsId::Sles15),
            (100, OsId::Debian12),
        ]);
        let kind = if host.is_some() {
            AssetKind::Vm
        } else {
            AssetKind::Server
        };
        let owner = self.owner();
        let crit = self.rng.pick(&[Criticality::Medium, Criticality::High]);
        let Some(at) = self.push(site, Prefix::Lnx, kind, os, owner, crit) else {
            return;
        };
        self.rel(at, host, Rel::RunsOn);
        let service = self.rng.pick(&catalog::LINUX_SERVICES);
        self.sw(at, &[catalog::OPENSSH, service]);
        if self.rng.chance(850) {
            let kesl = self.rng.pick(&catalog::KESL);
            self.sw(at, &[kesl, catalog::KLNAGENT64]);
            self.managed(at, site);
            self.maybe_pilot(at, PilotClass::LinuxServer, 3);
        }
        if self.rng.chance(100) {
            self.tag(at, "internet-facing");
        }
        let g = self.group(site.index);
        self.maybe_rel(300, at, g.proxy, Rel::ProxiedBy);
        let sql = self.rng.opt_pick(&site.sql);
        self.maybe_rel(200, at, sql, Rel::Uses);
    }

    /// An OT system: the site's SCADA server first, then HMIs and engineering stations.
    fn ot(&mut self, site: &mut Site) {
        use catalog::*;
        let scada = site.scada.is_none();
        let os = if scada {
            self.rng.weighted(&[
                (500, OsId::Srv2008R2),
                (250, OsId::Srv2012),
                (250, OsId::Srv2016),
            ])
        } else {
            self.rng.weighted(&[
                (500, OsId::Win7Embedded),
                (200, OsId::XpEmbedded),
                (150, OsId::Win10Iot),
                (150, OsId::Win7),
            ])
        };
        let prefix = if scada { Prefix::Scd } else { Prefix::Ot };
        let owner = self.rng.pick(&[
            "Netzleitstelle",
            "Netzbetrieb Strom",
            "Wasserversorgung",
            "Netzbetrieb Gas",
        ]);
        let crit = Criticality::Critical;
        let Some(at) = self.push(site, prefix, AssetKind::Ot, os, owner, crit) else {
            return;
        };
        self.tag(at, "kritis");
        let air_gapped = !scada && self.rng.chance(150);
        let product = if os == OsId::XpEmbedded {
            KESS
        } else {
            KICS_NODES
        };
        let app = if scada { self.rng.pick(&SCADA) } else { HMI };
        self.sw(at, &[app, product]);
        if air_gapped {
            self.tag(at, "air-gapped");
            self.rel(at, site.mirror, Rel::UpdatesFrom);
        } else {
            self.sw(at, &[NAGENT]);
            self.managed(at, site);
        }
        if scada {
            site.scada = Some(at);
        } else {
            self.rel(at, site.scada, Rel::Uses);
        }
    }
}
