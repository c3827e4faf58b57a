//! Synthetic inventories of any size (1 … 1,000,000+ assets) for demos, tests and benchmarks.
//!
//! The estate looks like a real German organisation that still runs Kaspersky: sites with
//! domain controllers, file and SQL servers, ESXi hosts protected by agentless Security
//! Virtual Machines, a Kaspersky Security Center hierarchy (one primary, one secondary per ten
//! sites), update mirrors, Exchange with a mail gateway, web proxies, OT systems on legacy
//! Windows, Linux servers with `kesl` / `klnagent64`, and mostly Windows clients, of which
//! about 10 % already run another product and 3 % only a left-behind Network Agent.
//!
//! Providers are created before the assets that depend on them, so the graph is layered
//! (clients → servers → mirrors → Security Center) except for a few deliberate small cycles
//! (SQL Always On nodes that use each other, about one per 5,000 assets). There are about three
//! relations per asset. The output depends only on [`GenOptions`]: same options, same estate.

mod catalog;
mod infra;
mod roles;
pub mod shapes;

use crate::model::{Asset, AssetKind, Criticality, Inventory, Os, Relation, RelationKind as Rel};
use catalog::{OsId, Sw};

/// What to generate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GenOptions {
    /// Exact number of assets.
    pub assets: usize,
    /// Seed of the pseudo-random choices; another seed gives another estate of the same shape.
    pub seed: u64,
}

impl Default for GenOptions {
    fn default() -> Self {
        GenOptions {
            assets: 1_000,
            seed: 1,
        }
    }
}

/// Generates a synthetic inventory of exactly `opts.assets` assets; deterministic for the options.
pub fn generate(opts: &GenOptions) -> Inventory {
    Inventory::from_assets(generate_assets(opts))
}

/// The assets of [`generate`] as a plain list, providers before their dependents.
pub fn generate_assets(opts: &GenOptions) -> Vec<Asset> {
    let mut g = Gen::new(opts);
    g.run(opts.assets);
    g.assets
}

/// Assets per site (the last site may be smaller or larger by rounding).
const ASSETS_PER_SITE: usize = 2_000;
/// Sites per secondary Administration Server.
const SITES_PER_SECONDARY: usize = 10;
/// One deliberate dependency cycle per this many assets.
const CYCLE_EVERY: usize = 5_000;

/// splitmix64: tiny, fast, good enough for synthetic data.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (n > 0).
    fn below(&mut self, n: usize) -> usize {
        (((self.next() >> 32) * n as u64) >> 32) as usize
    }

    /// True with probability `per_mille / 1000`.
    fn chance(&mut self, per_mille: usize) -> bool {
        self.below(1000) < per_mille
    }

    fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.below(items.len())]
    }

    /// Picks from `(weight, value)` pairs whose weights add up to 1000.
    fn weighted<T: Copy>(&mut self, items: &[(usize, T)]) -> T {
        let mut r = self.below(1000);
        for &(w, v) in items {
            if r < w {
                return v;
            }
            r -= w;
        }
        items[items.len() - 1].1
    }

    fn opt_pick(&mut self, items: &[usize]) -> Option<usize> {
        (!items.is_empty()).then(|| self.pick(items))
    }
}

/// Host-name prefixes; the discriminant indexes a site's counters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Prefix {
    Ksc,
    Upd,
    Dc,
    Fs,
    Sql,
    Exch,
    Mgw,
    Prx,
    Esx,
    Svm,
    App,
    Srv,
    Lnx,
    Scd,
    Ot,
    Ws,
    Nb,
    Mac,
    Mob,
    Prn,
    Sw,
}

const PREFIXES: [&str; 21] = [
    "ksc", "upd", "dc", "fs", "sql", "exch", "mgw", "prx", "esx", "svm", "app", "srv", "lnx",
    "scd", "ot", "ws", "nb", "mac", "mob", "prn", "sw",
];

/// What the random part of a site is made of.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    Workstation,
    Laptop,
    Mac,
    Mobile,
    Printer,
    Switch,
    AppVm,
    WindowsVm,
    LinuxVm,
    WindowsServer,
    LinuxServer,
    Ot,
}

const OFFICE_MIX: &[(usize, Role)] = &[
    (530, Role::Workstation),
    (190, Role::Laptop),
    (25, Role::Mac),
    (25, Role::Mobile),
    (30, Role::Printer),
    (20, Role::Switch),
    (60, Role::AppVm),
    (30, Role::WindowsVm),
    (30, Role::LinuxVm),
    (20, Role::WindowsServer),
    (20, Role::LinuxServer),
    (20, Role::Ot),
];

const INDUSTRIAL_MIX: &[(usize, Role)] = &[
    (420, Role::Workstation),
    (120, Role::Laptop),
    (10, Role::Mac),
    (20, Role::Mobile),
    (30, Role::Printer),
    (20, Role::Switch),
    (40, Role::AppVm),
    (30, Role::WindowsVm),
    (20, Role::LinuxVm),
    (20, Role::WindowsServer),
    (20, Role::LinuxServer),
    (250, Role::Ot),
];

/// Kinds of asset whose first Kaspersky-protected member is always tagged `pilot`.
#[derive(Debug, Clone, Copy)]
enum PilotClass {
    Workstation,
    Laptop,
    Mac,
    WindowsServer,
    LinuxServer,
    FileServer,
}

/// One site and the providers its other assets use.
struct Site {
    index: usize,
    name: String,
    code: String,
    industrial: bool,
    manager: Option<usize>,
    mirror: Option<usize>,
    dcs: Vec<usize>,
    file_servers: Vec<usize>,
    sql: Vec<usize>,
    apps: Vec<usize>,
    hosts: Vec<(usize, usize)>,
    scada: Option<usize>,
    counters: [u32; PREFIXES.len()],
}

impl Site {
    fn new(index: usize) -> Site {
        let (name, code) = catalog::SITES[index % catalog::SITES.len()];
        let round = index / catalog::SITES.len();
        let (name, code) = if round == 0 {
            (name.to_string(), code.to_string())
        } else {
            (
                format!("{name} {}", round + 1),
                format!("{code}{}", round + 1),
            )
        };
        Site {
            index,
            name,
            code,
            industrial: index % 4 == 1,
            manager: None,
            mirror: None,
            dcs: Vec::new(),
            file_servers: Vec::new(),
            sql: Vec::new(),
            apps: Vec::new(),
            hosts: Vec::new(),
            scada: None,
            counters: [0; PREFIXES.len()],
        }
    }
}

/// Providers shared by a group of sites.
#[derive(Default, Clone, Copy)]
struct Group {
    secondary: Option<usize>,
    exchange: Option<usize>,
    gateway: Option<usize>,
    proxy: Option<usize>,
}

struct Gen {
    rng: Rng,
    os: Vec<Os>,
    assets: Vec<Asset>,
    /// Index at which the current site's budget ends.
    end: usize,
    primary: Option<usize>,
    central_mirror: Option<usize>,
    groups: Vec<Group>,
    next_cycle_at: usize,
    cycles: usize,
    pilots_done: [bool; 6],
    /// Software, relations and tags of the newest asset, collected first so that its lists
    /// are allocated once at their exact size (fewer reallocations for large estates).
    pending_sw: Vec<Sw>,
    pending_rel: Vec<(usize, Rel)>,
    pending_tags: Vec<&'static str>,
}

impl Gen {
    fn new(opts: &GenOptions) -> Gen {
        Gen {
            rng: Rng(opts.seed ^ 0x5EED_4B41_5350_4552),
            os: catalog::parsed_os_table(),
            assets: Vec::with_capacity(opts.assets),
            end: 0,
            primary: None,
            central_mirror: None,
            groups: Vec::new(),
            next_cycle_at: 0,
            cycles: 0,
            pilots_done: [false; 6],
            pending_sw: Vec::new(),
            pending_rel: Vec::new(),
            pending_tags: Vec::new(),
        }
    }

    fn run(&mut self, total: usize) {
        let n_sites = total.div_ceil(ASSETS_PER_SITE).max(1);
        self.groups = vec![Group::default(); n_sites.div_ceil(SITES_PER_SECONDARY)];
        for s in 0..n_sites {
            let size = total / n_sites + usize::from(s < total % n_sites);
            self.end = self.assets.len() + size;
            let mut site = Site::new(s);
            self.infrastructure(&mut site, s, size);
            let mix = if site.industrial {
                INDUSTRIAL_MIX
            } else {
                OFFICE_MIX
            };
            while self.assets.len() < self.end {
                let role = self.rng.weighted(mix);
                self.random_asset(&mut site, role);
            }
        }
        self.flush();
    }

    // ---------------------------------------------------------------- building blocks

    /// Adds an asset unless the site's budget is used up; returns its index.
    fn push(
        &mut self,
        site: &mut Site,
        prefix: Prefix,
        kind: AssetKind,
        os: OsId,
        owner: &str,
        criticality: Criticality,
    ) -> Option<usize> {
        if self.assets.len() >= self.end {
            return None;
        }
        self.flush();
        let counter = &mut site.counters[prefix as usize];
        *counter += 1;
        let id = format!("{}-{}-{:04}", PREFIXES[prefix as usize], site.code, counter);
        let mut name = String::with_capacity(id.len() + 1 + catalog::DOMAIN.len());
        name.extend(id.chars().map(|c| c.to_ascii_uppercase()));
        name.push('.');
        name.push_str(catalog::DOMAIN);
        if os.is_legacy() {
            self.pending_tags.push("legacy");
        }
        let mut asset = Asset::new(id);
        asset.name = Some(name.into());
        asset.kind = kind;
        asset.os = self.os[os as usize].clone();
        asset.criticality = criticality;
        asset.set_site(Some(site.name.as_str().into()));
        asset.set_owner(Some(owner.into()));
        self.assets.push(asset);
        Some(self.assets.len() - 1)
    }

    /// Moves the pending software, relations and tags into the newest asset.
    fn flush(&mut self) {
        let Some(last) = self.assets.len().checked_sub(1) else {
            return;
        };
        let mut depends_on = Vec::with_capacity(self.pending_rel.len());
        for &(to, kind) in &self.pending_rel {
            depends_on.push(Relation::new(self.assets[to].id.to_string(), kind));
        }
        let asset = &mut self.assets[last];
        asset.depends_on.extend(depends_on);
        asset.software.reserve_exact(self.pending_sw.len());
        asset
            .software
            .extend(self.pending_sw.iter().map(|&t| catalog::software(t)));
        asset.set_tags(self.pending_tags.iter().map(|&t| t.into()));
        self.pending_rel.clear();
        self.pending_sw.clear();
        self.pending_tags.clear();
    }

    /// Adds a relation `from` → `to` (nothing when `to` is None).
    fn rel(&mut self, from: usize, to: Option<usize>, kind: Rel) {
        let Some(to) = to else {
            return;
        };
        if from + 1 == self.assets.len() {
            self.pending_rel.push((to, kind));
        } else {
            let target = crate::model::text::Text::from(self.assets[to].id.as_str());
            self.assets[from]
                .depends_on
                .push(Relation::new(target, kind));
        }
    }

    /// Adds the relation with probability `per_mille / 1000`.
    fn maybe_rel(&mut self, per_mille: usize, from: usize, to: Option<usize>, kind: Rel) {
        if self.rng.chance(per_mille) {
            self.rel(from, to, kind);
        }
    }

    /// Adds software to the newest asset, which must be `at`.
    fn sw(&mut self, at: usize, templates: &[Sw]) {
        debug_assert_eq!(at + 1, self.assets.len());
        self.pending_sw.extend_from_slice(templates);
    }

    /// Tags the newest asset, which must be `at`.
    fn tag(&mut self, at: usize, tag: &'static str) {
        debug_assert_eq!(at + 1, self.assets.len());
        self.pending_tags.push(tag);
    }

    /// Tags the first protected asset of a class as `pilot`, and a small random sample.
    fn maybe_pilot(&mut self, at: usize, class: PilotClass, per_mille: usize) {
        let first = !self.pilots_done[class as usize];
        if first || self.rng.chance(per_mille) {
            self.pilots_done[class as usize] = true;
            self.tag(at, "pilot");
        }
    }

    /// Network Agent managed by the site's Security Center, updates from the site mirror.
    fn managed(&mut self, at: usize, site: &Site) {
        self.rel(at, site.manager, Rel::ManagedBy);
        self.rel(at, site.mirror.or(site.manager), Rel::UpdatesFrom);
    }

    fn group(&self, s: usize) -> Group {
        let own = self.groups[s / SITES_PER_SECONDARY];
        let first = self.groups[0];
        Group {
            secondary: own.secondary,
            exchange: own.exchange.or(first.exchange),
            gateway: own.gateway.or(first.gateway),
            proxy: own.proxy.or(first.proxy),
        }
    }

    fn owner(&mut self) -> &'static str {
        self.rng.pick(catalog::OWNERS)
    }
}
