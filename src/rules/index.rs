//! Compiled matchers: one `RegexSet` for names, one for publishers, a hash map for exact names.

use super::Rule;
use regex::{Regex, RegexSet, RegexSetBuilder};
use std::collections::HashMap;
use std::fmt::Write as _;
use std::sync::OnceLock;

/// A regular expression as written, checked to compile when the rules were read.
#[derive(Debug, Clone)]
pub(crate) struct Pattern {
    pub text: String,
}

/// Compiles one pattern, the same way when the rules are read and when it is matched.
pub(crate) fn compile(text: &str) -> Result<Regex, regex::Error> {
    regex::RegexBuilder::new(text).build()
}

/// Whether an exact name is a package or a service / process / driver.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ExactKind {
    Package,
    Service,
}

impl ExactKind {
    fn as_str(self) -> &'static str {
        match self {
            ExactKind::Package => "package",
            ExactKind::Service => "service",
        }
    }
}

/// An exact (case-insensitive) name, or a prefix when written with a trailing `*`.
#[derive(Debug, Clone)]
pub(crate) struct Exact {
    pub kind: ExactKind,
    /// As written in the rules file.
    pub text: String,
    /// Lower-case, without the trailing `*`.
    pub key: String,
    pub prefix: bool,
}

/// One alternative of a rule: every given condition must hold.
#[derive(Debug, Clone, Default)]
pub(crate) struct Matcher {
    pub name: Option<Pattern>,
    pub not_name: Option<Pattern>,
    pub publisher: Option<Pattern>,
    pub not_publisher: Option<Pattern>,
    pub exact: Vec<Exact>,
}

impl Matcher {
    /// A one-line description of the conditions.
    pub fn describe(&self) -> String {
        let mut parts = Vec::new();
        for kind in [ExactKind::Package, ExactKind::Service] {
            let names: Vec<&str> = self
                .exact
                .iter()
                .filter(|e| e.kind == kind)
                .map(|e| e.text.as_str())
                .collect();
            if !names.is_empty() {
                parts.push(format!("{} {}", kind.as_str(), names.join(", ")));
            }
        }
        let regexes = [
            ("name", &self.name),
            ("name not", &self.not_name),
            ("publisher", &self.publisher),
            ("publisher not", &self.not_publisher),
        ];
        for (label, p) in regexes {
            if let Some(p) = p {
                parts.push(format!("{label} /{}/", p.text));
            }
        }
        parts.join(" and ")
    }
}

/// Distinct patterns compiled into one set; falls back to single regexes if the set is too big.
#[derive(Debug, Clone, Default)]
struct PatternSet {
    texts: Vec<String>,
    /// Each pattern alone, compiled the first time it is needed (text the set cannot take
    /// quickly): a compiled regex can take half a megabyte, mostly never used.
    regexes: Vec<OnceLock<Option<Regex>>>,
    set: Option<RegexSet>,
}

impl PatternSet {
    fn slot(&mut self, slots: &mut HashMap<String, usize>, p: &Pattern) -> usize {
        *slots.entry(p.text.clone()).or_insert_with(|| {
            self.texts.push(p.text.clone());
            self.regexes.push(OnceLock::new());
            self.texts.len() - 1
        })
    }

    fn finish(&mut self) {
        self.set = RegexSetBuilder::new(&self.texts)
            .size_limit(64 << 20)
            .build()
            .ok();
    }

    /// Which patterns match `text`; `None` when none does.
    fn matches(&self, text: &str) -> Option<Vec<bool>> {
        let hits: Vec<bool> = match &self.set {
            // A set's lazy DFA gives up on non-ASCII text when a pattern has a Unicode word
            // boundary (`\b`), leaving a slow NFA simulation that costs about a microsecond
            // per character; single regexes skip ahead to their literals instead.
            Some(_) if !text.is_ascii() => self.each(text),
            Some(set) => {
                let m = set.matches(text);
                if !m.matched_any() {
                    return None;
                }
                (0..self.texts.len()).map(|i| m.matched(i)).collect()
            }
            None => self.each(text),
        };
        hits.contains(&true).then_some(hits)
    }

    /// Which patterns match `text`, each regex alone.
    fn each(&self, text: &str) -> Vec<bool> {
        self.texts
            .iter()
            .zip(&self.regexes)
            .map(|(pattern, regex)| {
                // Compiled once already when the rules were read: it cannot fail here.
                let regex = regex.get_or_init(|| compile(pattern).ok());
                regex.as_ref().is_some_and(|r| r.is_match(text))
            })
            .collect()
    }
}

/// Slots of one matcher's patterns in the name / publisher sets.
#[derive(Debug, Clone, Copy, Default)]
struct Slots {
    name: Option<usize>,
    not_name: Option<usize>,
    publisher: Option<usize>,
    not_publisher: Option<usize>,
    exact: bool,
}

/// Where an exact name is used: rule, matcher, entry.
#[derive(Debug, Clone, Copy)]
struct Use {
    rule: usize,
    matcher: usize,
    entry: usize,
}

/// An exact-name hit for one software entry.
#[derive(Debug, Clone, Copy)]
struct ExactHit<'a> {
    at: Use,
    /// The software name when it differs from the entry (a versioned package, a prefix match).
    seen_as: Option<&'a str>,
}

/// The compiled form of a rule list.
#[derive(Debug, Clone, Default)]
pub(crate) struct Index {
    names: PatternSet,
    publishers: PatternSet,
    exact: HashMap<String, Vec<Use>>,
    prefixes: Vec<(String, Use)>,
    slots: Vec<Vec<Slots>>,
}

impl Index {
    /// Compiles the matchers of `rules`.
    pub fn build(rules: &[Rule]) -> Index {
        let mut index = Index::default();
        let mut name_slots = HashMap::new();
        let mut pub_slots = HashMap::new();
        for (ri, rule) in rules.iter().enumerate() {
            let mut per_rule = Vec::with_capacity(rule.matchers.len());
            for (mi, m) in rule.matchers.iter().enumerate() {
                let mut names =
                    |p: &Option<Pattern>| p.as_ref().map(|p| index.names.slot(&mut name_slots, p));
                let (name, not_name) = (names(&m.name), names(&m.not_name));
                let mut pubs = |p: &Option<Pattern>| {
                    p.as_ref().map(|p| index.publishers.slot(&mut pub_slots, p))
                };
                let (publisher, not_publisher) = (pubs(&m.publisher), pubs(&m.not_publisher));
                for (ei, e) in m.exact.iter().enumerate() {
                    let at = Use {
                        rule: ri,
                        matcher: mi,
                        entry: ei,
                    };
                    if e.prefix {
                        index.prefixes.push((e.key.clone(), at));
                    } else {
                        index.exact.entry(e.key.clone()).or_default().push(at);
                    }
                }
                per_rule.push(Slots {
                    name,
                    not_name,
                    publisher,
                    not_publisher,
                    exact: !m.exact.is_empty(),
                });
            }
            index.slots.push(per_rule);
        }
        index.names.finish();
        index.publishers.finish();
        index
    }

    /// True when both pattern sets compiled into a `RegexSet` (no per-regex fallback).
    #[cfg(test)]
    pub fn uses_regex_sets(&self) -> bool {
        (self.names.texts.is_empty() || self.names.set.is_some())
            && (self.publishers.texts.is_empty() || self.publishers.set.is_some())
    }

    /// The first rule (in order) with a matcher that holds for this name and publisher.
    pub fn first_match(
        &self,
        rules: &[Rule],
        name: &str,
        publisher: Option<&str>,
    ) -> Option<(usize, String)> {
        let name_hits = self.names.matches(name);
        let pub_hits = publisher.and_then(|p| self.publishers.matches(p));
        let exact_hits = self.exact_hits(rules, name);
        if name_hits.is_none() && pub_hits.is_none() && exact_hits.is_empty() {
            return None;
        }
        let hit = |set: &Option<Vec<bool>>, slot: usize| set.as_ref().is_some_and(|h| h[slot]);
        for (ri, rule) in rules.iter().enumerate() {
            for (mi, m) in rule.matchers.iter().enumerate() {
                let s = self.slots[ri][mi];
                let exact = if s.exact {
                    match exact_hits
                        .iter()
                        .find(|h| h.at.rule == ri && h.at.matcher == mi)
                    {
                        Some(h) => Some(*h),
                        None => continue,
                    }
                } else {
                    None
                };
                let holds = s.name.is_none_or(|i| hit(&name_hits, i))
                    && s.not_name.is_none_or(|i| !hit(&name_hits, i))
                    && s.publisher.is_none_or(|i| hit(&pub_hits, i))
                    && s.not_publisher.is_none_or(|i| !hit(&pub_hits, i));
                if holds {
                    return Some((ri, reason(m, exact)));
                }
            }
        }
        None
    }

    fn exact_hits<'a>(&self, rules: &[Rule], name: &'a str) -> Vec<ExactHit<'a>> {
        let mut out = Vec::new();
        if self.exact.is_empty() && self.prefixes.is_empty() {
            return out;
        }
        let trimmed = name.trim();
        let lower = trimmed.to_lowercase();
        if let Some(uses) = self.exact.get(&lower) {
            out.extend(uses.iter().map(|&at| ExactHit { at, seen_as: None }));
        }
        for base in package_bases(&lower) {
            if let Some(uses) = self.exact.get(base) {
                out.extend(
                    uses.iter()
                        .filter(|u| entry(rules, **u).kind == ExactKind::Package)
                        .map(|&at| ExactHit {
                            at,
                            seen_as: Some(trimmed),
                        }),
                );
            }
        }
        for (prefix, at) in &self.prefixes {
            if lower.len() > prefix.len() && lower.starts_with(prefix.as_str()) {
                out.push(ExactHit {
                    at: *at,
                    seen_as: Some(trimmed),
                });
            }
        }
        out
    }
}

fn entry(rules: &[Rule], at: Use) -> &Exact {
    &rules[at.rule].matchers[at.matcher].exact[at.entry]
}

/// The reason text for a matcher that held.
fn reason(m: &Matcher, exact: Option<ExactHit<'_>>) -> String {
    let mut out = String::new();
    if let Some(hit) = exact {
        let e = &m.exact[hit.at.entry];
        let _ = write!(out, "{} \"{}\"", e.kind.as_str(), e.text);
        if let Some(seen) = hit.seen_as {
            let _ = write!(out, " (as \"{seen}\")");
        }
    }
    for (label, p) in [("name", &m.name), ("publisher", &m.publisher)] {
        if let Some(p) = p {
            if !out.is_empty() {
                out.push_str(" and ");
            }
            let _ = write!(out, "{label} matches /{}/", p.text);
        }
    }
    out
}

/// Package names hidden in versioned forms: "kesl:amd64", "kesl-12.1.0-1234.x86_64",
/// "klnagent64-15.1.0-20748" → "kesl", "kesl", "klnagent64". Only for names without spaces.
fn package_bases(lower: &str) -> Vec<&str> {
    const ARCHES: &[&str] = &[
        "x86_64", "amd64", "i386", "i586", "i686", "aarch64", "arm64", "armhf", "e2k", "noarch",
    ];
    let mut out: Vec<&str> = Vec::new();
    if lower.is_empty() || lower.contains(char::is_whitespace) {
        return out;
    }
    let mut name = lower;
    if let Some((base, arch)) = name.rsplit_once([':', '.'])
        && ARCHES.contains(&arch)
    {
        name = base;
        out.push(name);
    }
    // "name-1.2.3-4": cut at the first "-<digit>".
    let bytes = name.as_bytes();
    if let Some(pos) = (1..bytes.len()).find(|&i| bytes[i - 1] == b'-' && bytes[i].is_ascii_digit())
    {
        out.push(&name[..pos - 1]);
    }
    out.retain(|b| !b.is_empty() && *b != lower);
    out
}

#[cfg(test)]
mod tests {
    use super::package_bases;

    #[test]
    fn versioned_package_names_reduce_to_the_base() {
        assert_eq!(package_bases("kesl:amd64"), vec!["kesl"]);
        assert_eq!(
            package_bases("kesl-12.1.0-1234.x86_64"),
            vec!["kesl-12.1.0-1234", "kesl"]
        );
        assert_eq!(package_bases("klnagent64-15.1.0-20748"), vec!["klnagent64"]);
        assert_eq!(package_bases("kesl-gui"), Vec::<&str>::new());
        assert_eq!(package_bases("keslx"), Vec::<&str>::new());
        assert_eq!(
            package_bases("kaspersky endpoint security 12"),
            Vec::<&str>::new()
        );
    }
}
