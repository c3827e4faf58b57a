//! Flagged-product fingerprints and matching.
//!
//! A [`RuleSet`] is an ordered list of [`Rule`]s read from a TOML file (the built-in
//! `assets/rules/kaspersky.toml`, optionally combined with a user file). Each rule names a product
//! family and its [`Role`], and holds matchers on the software name, publisher, exact package
//! names and service / process names. Rules are tried in order and the first matching rule wins,
//! so each installed software entry yields at most one [`Finding`].
//!
//! Matching is compiled once per rule set: all name patterns go into one [`regex::RegexSet`],
//! all publisher patterns into another, exact names into a hash map; [`RuleSet::scan`] also
//! memoises results per (name, publisher) because software names repeat across an estate.

mod file;
mod findings;
mod index;
#[cfg(test)]
mod tests;

use crate::error::{InputError, Location};
use crate::inventory::chunked::Chunked;
use crate::model::text::Text;
use crate::model::{Asset, Inventory, Named, Software};
pub use findings::Findings;
use index::Index;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::path::Path;
use std::sync::OnceLock;

pub(crate) use index::Matcher;

/// The built-in rules file, embedded at compile time.
pub const BUILTIN_RULES: &str = include_str!("../../assets/rules/kaspersky.toml");

/// Name under which the built-in rules appear in messages.
pub const BUILTIN_PATH: &str = "<built-in>/kaspersky.toml";

/// What part a flagged product plays; decides replacement and ordering.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Serialize,
    Deserialize,
    strum::VariantArray,
    strum::IntoStaticStr,
    strum::Display,
)]
#[serde(rename_all = "kebab-case")]
#[strum(serialize_all = "kebab-case")]
pub enum Role {
    /// Anti-malware on a client or server (KES, KEA, KESS …).
    Endpoint,
    /// Server-specific protection (Windows Server, file servers, SharePoint).
    ServerProtection,
    /// Central management server or console (KSC Administration Server, Web Console).
    ManagementServer,
    /// Agent that connects a machine to the management server (Network Agent).
    ManagementAgent,
    /// Mail server or mail gateway protection.
    Mail,
    /// Web / ICAP / firewall gateway protection.
    Gateway,
    /// Protection for virtual machines (Light Agent, Agentless, SVM).
    Virtualization,
    /// Industrial / OT protection (KICS).
    Ot,
    /// Home and small-office products.
    Consumer,
    /// The Kaspersky engine inside another product (SDK, Scan Engine, third-party OEM).
    OemEngine,
    /// Storage / NAS scanning (Security for Storage): a file-server function for others.
    Storage,
    /// EDR / anti-targeted-attack server (KATA, KEDR Expert): replaced by the successor's
    /// EDR or XDR console, not by an agent on the server.
    EdrServer,
    /// Security information and event management (KUMA).
    Siem,
    /// A device running KasperskyOS (Thin Client, IoT Secure Gateway): no third-party agent
    /// runs on it; the device itself is replaced.
    KasperskyosDevice,
    /// A removal tool or a remnant (kavremover, a Network Agent without a protection
    /// product): nothing to replace, but still to clean up.
    Leftover,
}

impl Named for Role {}

/// How sure a match means the named product.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Serialize,
    Deserialize,
    strum::VariantArray,
    strum::IntoStaticStr,
    strum::Display,
)]
#[serde(rename_all = "kebab-case")]
#[strum(serialize_all = "kebab-case")]
pub enum Confidence {
    /// The fingerprint is specific to the product.
    High,
    /// Likely, but shared or indirect (an OEM product, a shared component).
    Medium,
    /// A guess that needs checking.
    Low,
}

impl Named for Confidence {}

/// How a user rules file combines with the built-in rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Mode {
    /// Keep the built-in rules; a rule with the same id replaces the built-in one in place, new
    /// rules go before the first catch-all rule.
    #[default]
    Add,
    /// Use only the rules of the file.
    Replace,
}

/// One flagged product family and how to recognise it.
#[derive(Debug, Clone)]
pub struct Rule {
    /// Unique id within a rule set ("ksc-network-agent").
    pub id: String,
    /// Maker of the flagged product, from the file's `vendor` key.
    pub vendor: String,
    /// Product name shown to the user.
    pub product: String,
    /// What part the product plays.
    pub role: Role,
    /// How sure a match means this product.
    pub confidence: Confidence,
    /// Where the fingerprint comes from.
    pub source: String,
    /// Optional advice shown with a finding (uninstall passwords, removal order …).
    pub note: Option<String>,
    /// A generic last-resort rule; user rules in add mode are inserted before it.
    pub catch_all: bool,
    matchers: Vec<Matcher>,
}

impl Rule {
    /// Number of matchers (alternatives) of the rule.
    pub fn matcher_count(&self) -> usize {
        self.matchers.len()
    }

    /// One line per matcher, e.g. `name /(?i)kaspersky/ and publisher /…/`, for listings.
    pub fn matcher_descriptions(&self) -> Vec<String> {
        self.matchers.iter().map(Matcher::describe).collect()
    }
}

/// A software entry of an asset that a rule matched.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// Index into `asset.software` (u32, and `rule` u16: a finding takes 16 bytes, and a
    /// million flagged devices have one or two each).
    pub software: u32,
    /// Index into [`RuleSet::rules`] (a rules file holds at most [`MAX_RULES`]).
    pub rule: u16,
    /// Why it matched, e.g. `package "klnagent64"` or `name matches /(?i)kaspersky/`.
    pub reason: Text,
    /// What the finding makes of the asset: the rule's role, except for a Network Agent with no
    /// Kaspersky protection product beside it, which is a `leftover`.
    pub role: Role,
}

impl Finding {
    /// The `software` index of a finding on the asset's OS field rather than a software entry.
    pub const OS: u32 = u32::MAX;

    /// True when the finding comes from the asset's OS field.
    pub fn on_os(&self) -> bool {
        self.software == Finding::OS
    }
}

/// An ordered, compiled set of rules.
#[derive(Debug, Clone)]
pub struct RuleSet {
    vendor: String,
    mode: Mode,
    rules: Vec<Rule>,
    index: Index,
}

impl RuleSet {
    /// The embedded Kaspersky rules.
    pub fn builtin() -> RuleSet {
        static BUILTIN: OnceLock<RuleSet> = OnceLock::new();
        BUILTIN
            .get_or_init(|| {
                // The embedded file is part of the program, not input; a test parses it.
                RuleSet::parse(BUILTIN_RULES, BUILTIN_PATH)
                    .unwrap_or_else(|e| panic!("built-in rules are invalid: {e}"))
            })
            .clone()
    }

    /// Parses a rules file. `path` is only used in error messages (`path:line:col: message`).
    pub fn parse(text: &str, path: &str) -> Result<RuleSet, InputError> {
        let parsed = file::parse(text, path)?;
        Ok(RuleSet::from_parts(
            parsed.vendor,
            parsed.mode,
            parsed.rules,
        ))
    }

    /// Reads and parses a rules file.
    pub fn load(path: &Path) -> Result<RuleSet, InputError> {
        let shown = path.display().to_string();
        let bytes = crate::input::read(path, crate::input::CONFIG_LIMIT).map_err(|e| {
            let what = match e {
                crate::input::ReadError::NotFound => "rules file not found".to_string(),
                e => format!("rules file {}", e.describe("a rules file")),
            };
            InputError::new(Location::file(&shown), what)
        })?;
        let text = String::from_utf8(bytes).map_err(|e| {
            let (line, column) = file::line_col(
                &String::from_utf8_lossy(e.as_bytes()),
                e.utf8_error().valid_up_to(),
            );
            InputError::new(
                Location::at(&shown, line, column),
                "rules file is not valid UTF-8",
            )
        })?;
        RuleSet::parse(&text, &shown)
    }

    /// Combines built-in rules (`self`) with a user's rules according to the user's mode.
    ///
    /// `add`: a user rule with the id of an existing rule replaces it in place; other user rules
    /// are inserted, in their order, before the first catch-all rule (user catch-all rules go to
    /// the end). `replace`: only the user's rules.
    pub fn combine(self, user: RuleSet) -> RuleSet {
        if user.mode == Mode::Replace {
            return user;
        }
        let mut rules = self.rules;
        for rule in user.rules {
            if let Some(pos) = rules.iter().position(|r| r.id == rule.id) {
                rules[pos] = rule;
            } else if rule.catch_all {
                rules.push(rule);
            } else {
                let pos = rules
                    .iter()
                    .position(|r| r.catch_all)
                    .unwrap_or(rules.len());
                rules.insert(pos, rule);
            }
        }
        RuleSet::from_parts(self.vendor, self.mode, rules)
    }

    fn from_parts(vendor: String, mode: Mode, rules: Vec<Rule>) -> RuleSet {
        let index = Index::build(&rules);
        RuleSet {
            vendor,
            mode,
            rules,
            index,
        }
    }

    /// The rules, in matching order.
    pub fn rules(&self) -> &[Rule] {
        &self.rules
    }

    /// The vendor named by the (first) rules file.
    pub fn vendor(&self) -> &str {
        &self.vendor
    }

    /// The mode the rules file asked for.
    pub fn mode(&self) -> Mode {
        self.mode
    }

    /// The product names of some findings, each once, in the findings' order.
    pub fn products_of(&self, findings: &[Finding]) -> Vec<String> {
        let mut v: Vec<String> = Vec::new();
        for f in findings {
            let p = &self.rules[usize::from(f.rule)].product;
            if !v.contains(p) {
                v.push(p.clone());
            }
        }
        v
    }

    /// Position of the rule with this id.
    pub fn position(&self, id: &str) -> Option<usize> {
        self.rules.iter().position(|r| r.id == id)
    }

    /// The first rule matching a software entry: (rule index, reason).
    pub fn match_software(&self, sw: &Software) -> Option<(usize, String)> {
        self.index
            .first_match(&self.rules, &sw.name, sw.publisher.as_deref())
    }

    /// Findings for one asset, in software order.
    pub fn scan_asset(&self, asset: &Asset) -> Vec<Finding> {
        let mut out = Vec::new();
        self.scan_with(asset, &mut Memo::default(), &mut out);
        out
    }

    /// Findings per asset, in the order of `inv.assets()`.
    pub fn scan(&self, inv: &Inventory) -> Findings {
        let mut memo = Memo::default();
        // Gathered in chunks and copied once into a list of the exact length, each chunk
        // freed once copied: a list grown by doubling, then shrunk, would briefly hold the
        // findings of a million-device estate twice over.
        let mut items = Chunked::default();
        let mut ends = Vec::with_capacity(inv.len());
        let mut out = Vec::new();
        for asset in inv.assets() {
            out.clear();
            self.scan_with(asset, &mut memo, &mut out);
            out.drain(..).for_each(|f| items.push(f));
            ends.push(u32::try_from(items.len()).expect("fewer than 4 billion findings"));
        }
        Findings::from_parts(ends, items.drain().collect())
    }

    /// Appends the findings of one asset to `out` (empty).
    fn scan_with<'a>(&self, asset: &'a Asset, memo: &mut Memo<'a>, out: &mut Vec<Finding>) {
        if mentions_kaspersky(&asset.os.raw)
            && let Some((rule, reason)) = self.match_os(&asset.os.raw)
        {
            out.push(Finding {
                software: Finding::OS,
                rule: rule_number(rule),
                reason: reason.into(),
                role: Role::KasperskyosDevice,
            });
        }
        for (i, sw) in (0..).zip(asset.software.iter()) {
            let hit = memo.get(sw, |name, publisher| {
                let hit = self.index.first_match(&self.rules, name, publisher);
                hit.map(|(rule, reason)| (rule, Text::from(reason)))
            });
            if let Some((rule, reason)) = hit {
                out.push(Finding {
                    software: i,
                    rule: rule_number(rule),
                    reason,
                    role: self.rules[rule].role,
                });
            }
        }
        orphaned_agent(out);
    }

    /// The first rule of role `kasperskyos-device` whose name matchers match the asset's OS
    /// text (an `os = "KasperskyOS …"` field): only those rules are tried, so an OS string
    /// never matches an application rule.
    fn match_os(&self, os: &str) -> Option<(usize, String)> {
        let (rule, reason) = self.index.first_match(&self.rules, os, None)?;
        (self.rules[rule].role == Role::KasperskyosDevice)
            .then(|| (rule, format!("operating system: {reason}")))
    }
}

/// Cheap pre-check before the OS field is matched: every KasperskyOS rule names Kaspersky.
fn mentions_kaspersky(text: &str) -> bool {
    // Checked for every asset's OS: only where a `k` stands is the rest compared.
    let bytes = text.as_bytes();
    memchr::memchr2_iter(b'k', b'K', bytes)
        .any(|at| (bytes.get(at..at + 9)).is_some_and(|w| w.eq_ignore_ascii_case(b"kaspersky")))
}

/// A Network Agent with no Kaspersky protection product beside it is a remnant: its findings
/// take the `leftover` role and say why (they stay findings, so the asset is still cleaned up).
fn orphaned_agent(findings: &mut [Finding]) {
    let agent = |f: &Finding| f.role == Role::ManagementAgent;
    let protection = |f: &Finding| !matches!(f.role, Role::ManagementAgent | Role::Leftover);
    if findings.iter().any(agent) && !findings.iter().any(protection) {
        for f in findings.iter_mut().filter(|f| agent(f)) {
            f.role = Role::Leftover;
            f.reason = format!(
                "{}; leftover: no Kaspersky protection product on this asset (orphaned Network Agent)",
                f.reason
            )
            .into();
        }
    }
}

/// A rule match (rule index, reason), or none.
type Hit = Option<(usize, Text)>;

/// Software entries remembered by the addresses of their shared texts, at most.
const ADDR_MEMO_LIMIT: usize = 1 << 16;

/// Results per (name, publisher) during one scan; keys borrow from the inventory.
#[derive(Default)]
struct Memo<'a> {
    by_text: HashMap<(&'a str, Option<&'a str>), Hit, BuildFxHasher>,
    /// The same by the addresses of the (interned) texts: a million entries name a few hundred
    /// texts, and two words hash faster than a name. The texts outlive the memo's borrow.
    by_addr: hashbrown::HashMap<(usize, usize), Hit, foldhash::fast::FixedState>,
}

impl<'a> Memo<'a> {
    /// The match of `sw`, from `find(name, publisher)` the first time.
    fn get(&mut self, sw: &'a Software, find: impl FnOnce(&str, Option<&str>) -> Hit) -> Hit {
        let addr = (sw.name.addr(), sw.publisher.as_ref().map_or(0, Text::addr));
        if let Some(hit) = self.by_addr.get(&addr) {
            return hit.clone();
        }
        let key = (sw.name.as_str(), sw.publisher.as_deref());
        let hit = (self.by_text.entry(key))
            .or_insert_with(|| find(key.0, key.1))
            .clone();
        if self.by_addr.len() < ADDR_MEMO_LIMIT {
            self.by_addr.insert(addr, hit.clone());
        }
        hit
    }
}

/// A small multiplicative hasher (FxHash) for the scan memo: keys are short strings from a
/// trusted-enough local inventory, and SipHash's DoS resistance is not needed here and costs ~20% of the scan time.
#[derive(Default, Clone, Copy)]
struct FxHasher(u64);

type BuildFxHasher = std::hash::BuildHasherDefault<FxHasher>;

impl std::hash::Hasher for FxHasher {
    fn write(&mut self, bytes: &[u8]) {
        const K: u64 = 0x517c_c1b7_2722_0a95;
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            let mut word = [0u8; 8];
            word.copy_from_slice(c);
            self.0 = (self.0.rotate_left(5) ^ u64::from_le_bytes(word)).wrapping_mul(K);
        }
        for &b in chunks.remainder() {
            self.0 = (self.0.rotate_left(5) ^ u64::from(b)).wrapping_mul(K);
        }
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

/// The most rules one rules file may hold: with the built-in ones, every rule of a combined
/// set is numbered in 16 bits (see [`Finding::rule`]).
pub const MAX_RULES: usize = 50_000;

/// A rule's position as a finding keeps it.
fn rule_number(rule: usize) -> u16 {
    u16::try_from(rule).expect("a rule set holds fewer than 65,536 rules (MAX_RULES per file)")
}
