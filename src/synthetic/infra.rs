//! The fixed part of each site: Security Center, mirror, domain controllers, file servers,
//! shared mail and web services, ESXi hosts with their SVMs, SQL clusters (with the cycles).

use super::catalog::{self, OsId};
use super::{CYCLE_EVERY, Gen, PilotClass, Prefix, SITES_PER_SECONDARY, Site};
use crate::model::{AssetKind, Criticality, RelationKind as Rel};

/// Owner of every infrastructure asset.
const IT: &str = "IT-Betrieb";

impl Gen {
    /// Adds an infrastructure asset owned by IT operations.
    fn it(
        &mut self,
        site: &mut Site,
        prefix: Prefix,
        kind: AssetKind,
        os: OsId,
        criticality: Criticality,
    ) -> Option<usize> {
        self.push(site, prefix, kind, os, IT, criticality)
    }

    /// Creates the site's fixed providers (as far as its budget of `size` assets allows):
    /// the primary Security Center at site 0, a secondary one at the first site of each group
    /// of ten, the update mirror, domain controllers, file servers, the group's mail and web
    /// services, ESXi hosts with their SVMs and SQL clusters.
    pub(super) fn infrastructure(&mut self, site: &mut Site, s: usize, size: usize) {
        use Criticality::{Critical, High};
        let g = s / SITES_PER_SECONDARY;
        if s == 0 {
            let Some(ksc) = self.it(site, Prefix::Ksc, AssetKind::Server, OsId::Srv2019, High)
            else {
                return;
            };
            use catalog::*;
            self.sw(ksc, &[KSC_ADMIN, KSC_WEB, NAGENT, KSWS, SQL_EXPRESS]);
            self.primary = Some(ksc);
        }
        if s == (g * SITES_PER_SECONDARY).max(1)
            && let Some(ksc) = self.it(site, Prefix::Ksc, AssetKind::Server, OsId::Srv2019, High)
        {
            use catalog::*;
            self.sw(ksc, &[KSC_ADMIN, NAGENT, KSWS, SQL_EXPRESS]);
            self.rel(ksc, self.primary, Rel::ReportsTo);
            self.rel(ksc, self.central_mirror.or(self.primary), Rel::UpdatesFrom);
            if site.industrial {
                self.tag(ksc, "kritis");
            }
            self.groups[g].secondary = Some(ksc);
        }
        site.manager = if s == 0 {
            self.primary
        } else {
            self.groups[g].secondary.or(self.primary)
        };
        if let Some(upd) = self.it(site, Prefix::Upd, AssetKind::Server, OsId::Srv2019, High) {
            self.sw(upd, &[catalog::NAGENT, catalog::KSWS]);
            self.rel(upd, site.manager, Rel::ManagedBy);
            self.rel(upd, self.central_mirror.or(self.primary), Rel::UpdatesFrom);
            site.mirror = Some(upd);
            self.central_mirror = self.central_mirror.or(Some(upd));
        }
        for _ in 0..1 + size / 1000 {
            let os = self.rng.pick(&[OsId::Srv2022, OsId::Srv2019]);
            let Some(dc) = self.it(site, Prefix::Dc, AssetKind::Server, os, Critical) else {
                return;
            };
            self.sw(dc, &[catalog::KSWS, catalog::NAGENT]);
            self.managed(dc, site);
            site.dcs.push(dc);
        }
        for _ in 0..1 + size / 700 {
            let os = self
                .rng
                .pick(&[OsId::Srv2019, OsId::Srv2016, OsId::Srv2012R2]);
            let Some(fs) = self.it(site, Prefix::Fs, AssetKind::Server, os, High) else {
                return;
            };
            self.sw(fs, &[catalog::KSWS, catalog::NAGENT, catalog::VEEAM_AGENT]);
            self.managed(fs, site);
            self.rel(fs, site.dcs.first().copied(), Rel::Uses);
            self.maybe_pilot(fs, PilotClass::FileServer, 0);
            site.file_servers.push(fs);
        }
        if s == g * SITES_PER_SECONDARY {
            self.group_services(site, g);
        }
        for _ in 0..(size / 300).max(1) {
            let Some(svm) = self.it(
                site,
                Prefix::Svm,
                AssetKind::Appliance,
                OsId::SvmLinux,
                High,
            ) else {
                return;
            };
            self.sw(svm, &[catalog::KSV_AGENTLESS]);
            self.managed(svm, site);
            let os = self.rng.weighted(&[(700, OsId::Esxi8), (300, OsId::Esxi7)]);
            let Some(hv) = self.it(site, Prefix::Esx, AssetKind::Hypervisor, os, Critical) else {
                return;
            };
            self.rel(hv, Some(svm), Rel::ScannedBy);
            site.hosts.push((hv, svm));
        }
        for _ in 0..(size / 1000).max(1) {
            self.sql_cluster(site);
        }
    }

    /// Mail gateway, web proxy and Exchange shared by a group of sites.
    fn group_services(&mut self, site: &mut Site, g: usize) {
        use catalog::*;
        let h = Criticality::High;
        if let Some(mgw) = self.it(site, Prefix::Mgw, AssetKind::MailGateway, OsId::Centos79, h) {
            self.sw(mgw, &[KSMG, KLNAGENT64]);
            self.managed(mgw, site);
            self.tag(mgw, "internet-facing");
            self.groups[g].gateway = Some(mgw);
        }
        if let Some(prx) = self.it(site, Prefix::Prx, AssetKind::Proxy, OsId::Rhel86, h) {
            self.sw(prx, &[KWTS, KLNAGENT64, SQUID, OPENSSH]);
            self.managed(prx, site);
            self.tag(prx, "internet-facing");
            self.groups[g].proxy = Some(prx);
        }
        if let Some(ex) = self.it(site, Prefix::Exch, AssetKind::Server, OsId::Srv2016, h) {
            self.sw(ex, &[EXCHANGE, KS_EXCHANGE, NAGENT]);
            self.managed(ex, site);
            self.rel(ex, self.groups[g].gateway, Rel::MailVia);
            self.rel(ex, site.dcs.first().copied(), Rel::Uses);
            self.groups[g].exchange = Some(ex);
        }
    }

    /// Two SQL Always On nodes; every [`CYCLE_EVERY`] assets they use each other (a cycle),
    /// every second such time as a ring of three nodes.
    fn sql_cluster(&mut self, site: &mut Site) {
        let due = self.assets.len() >= self.next_cycle_at;
        let nodes = if due && self.cycles % 2 == 1 { 3 } else { 2 };
        let mut ids = [0usize; 3];
        for k in 0..nodes {
            let Some(sql) = self.it(
                site,
                Prefix::Sql,
                AssetKind::Server,
                OsId::Srv2019,
                Criticality::Critical,
            ) else {
                return;
            };
            self.sw(sql, &[catalog::SQL, catalog::KSWS, catalog::NAGENT]);
            self.managed(sql, site);
            self.rel(sql, site.dcs.first().copied(), Rel::Uses);
            if k > 0 && !due {
                self.rel(sql, Some(ids[0]), Rel::Uses);
            }
            ids[k] = sql;
            site.sql.push(sql);
        }
        if due {
            for k in 0..nodes {
                self.rel(ids[k], Some(ids[(k + 1) % nodes]), Rel::Uses);
            }
            self.cycles += 1;
            self.next_cycle_at += CYCLE_EVERY;
        }
    }
}
