//! Reading a rules file: TOML with spans, validated into [`Rule`]s; errors carry file:line:col.

use super::index::{Exact, ExactKind, Matcher, Pattern};
use super::{Confidence, Mode, Role, Rule};
use crate::error::{InputError, Location};
use serde::Deserialize;
use std::collections::HashMap;
use std::ops::Range;
use toml::Spanned;

/// A parsed and validated rules file.
pub(crate) struct Parsed {
    pub vendor: String,
    pub mode: Mode,
    pub rules: Vec<Rule>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    vendor: Spanned<String>,
    #[serde(default)]
    mode: Mode,
    #[serde(default)]
    rule: Vec<Spanned<RawRule>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRule {
    id: Spanned<String>,
    product: Spanned<String>,
    role: Role,
    #[serde(default = "high")]
    confidence: Confidence,
    source: Spanned<String>,
    note: Option<String>,
    #[serde(default)]
    catch_all: bool,
    #[serde(rename = "match", default)]
    matchers: Vec<Spanned<RawMatcher>>,
}

fn high() -> Confidence {
    Confidence::High
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawMatcher {
    name: Option<Spanned<String>>,
    not_name: Option<Spanned<String>>,
    publisher: Option<Spanned<String>>,
    not_publisher: Option<Spanned<String>>,
    package: Option<Vec<Spanned<String>>>,
    service: Option<Vec<Spanned<String>>>,
}

/// Where the text is being read: turns byte spans into `path:line:col` errors.
struct Source<'a> {
    text: &'a str,
    path: &'a str,
}

impl Source<'_> {
    fn error(&self, span: Range<usize>, message: impl Into<String>) -> InputError {
        let (line, column) = line_col(self.text, span.start);
        InputError::new(Location::at(self.path, line, column), message)
    }
}

/// 1-based line and column (in characters) of a byte offset.
pub(crate) fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().unwrap_or("").chars().count() + 1;
    (line, column)
}

/// Parses and validates a rules file.
pub(crate) fn parse(text: &str, path: &str) -> Result<Parsed, InputError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let src = Source { text, path };
    let raw: RawFile = toml::from_str(text).map_err(|e| {
        let message = e.message().lines().next().unwrap_or("invalid TOML").trim();
        match e.span() {
            Some(span) => src.error(span, message),
            None => InputError::new(Location::file(path), message),
        }
    })?;
    let vendor_span = raw.vendor.span();
    let vendor = raw.vendor.into_inner().trim().to_string();
    if vendor.is_empty() {
        return Err(src.error(vendor_span, "`vendor` must not be empty"));
    }
    let mut first_line: HashMap<String, usize> = HashMap::new();
    if raw.rule.len() > super::MAX_RULES {
        return Err(InputError::new(
            Location::file(path),
            format!(
                "{} rules, over the limit of {} for one rules file",
                raw.rule.len(),
                super::MAX_RULES
            ),
        ));
    }
    let mut rules = Vec::with_capacity(raw.rule.len());
    for raw_rule in raw.rule {
        let id_span = raw_rule.get_ref().id.span();
        let rule = rule(&src, &vendor, raw_rule)?;
        let (line, _) = line_col(text, id_span.start);
        if let Some(first) = first_line.insert(rule.id.clone(), line) {
            return Err(src.error(
                id_span,
                format!(
                    "duplicate rule id \"{}\" (first defined on line {first})",
                    rule.id
                ),
            ));
        }
        rules.push(rule);
    }
    Ok(Parsed {
        vendor,
        mode: raw.mode,
        rules,
    })
}

fn non_empty(src: &Source<'_>, field: &str, value: Spanned<String>) -> Result<String, InputError> {
    let span = value.span();
    let value = value.into_inner().trim().to_string();
    if value.is_empty() {
        return Err(src.error(span, format!("`{field}` must not be empty")));
    }
    Ok(value)
}

fn rule(src: &Source<'_>, vendor: &str, raw: Spanned<RawRule>) -> Result<Rule, InputError> {
    let rule_span = raw.span();
    let raw = raw.into_inner();
    let id_span = raw.id.span();
    let id = non_empty(src, "id", raw.id)?;
    if id.contains(char::is_whitespace) {
        return Err(src.error(id_span, format!("rule id \"{id}\" must not contain spaces")));
    }
    let product = non_empty(src, "product", raw.product)?;
    let source = non_empty(src, "source", raw.source)?;
    if raw.matchers.is_empty() {
        return Err(src.error(
            rule_span,
            format!("rule \"{id}\" has no [[rule.match]] (add at least one matcher)"),
        ));
    }
    let matchers = raw
        .matchers
        .into_iter()
        .map(|m| matcher(src, m))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Rule {
        id,
        vendor: vendor.to_string(),
        product,
        role: raw.role,
        confidence: raw.confidence,
        source,
        note: raw
            .note
            .map(|n| n.trim().to_string())
            .filter(|n| !n.is_empty()),
        catch_all: raw.catch_all,
        matchers,
    })
}

fn matcher(src: &Source<'_>, raw: Spanned<RawMatcher>) -> Result<Matcher, InputError> {
    let span = raw.span();
    let raw = raw.into_inner();
    let mut m = Matcher {
        name: pattern(src, "name", raw.name, true)?,
        not_name: pattern(src, "not_name", raw.not_name, false)?,
        publisher: pattern(src, "publisher", raw.publisher, true)?,
        not_publisher: pattern(src, "not_publisher", raw.not_publisher, false)?,
        exact: Vec::new(),
    };
    for (kind, list) in [
        (ExactKind::Package, raw.package),
        (ExactKind::Service, raw.service),
    ] {
        for item in list.into_iter().flatten() {
            m.exact.push(exact(src, kind, item)?);
        }
    }
    if m.name.is_none() && m.publisher.is_none() && m.exact.is_empty() {
        return Err(src.error(
            span,
            "matcher needs at least one of `name`, `publisher`, `package`, `service`",
        ));
    }
    Ok(m)
}

fn pattern(
    src: &Source<'_>,
    field: &str,
    raw: Option<Spanned<String>>,
    positive: bool,
) -> Result<Option<Pattern>, InputError> {
    let Some(raw) = raw else { return Ok(None) };
    let span = raw.span();
    let text = raw.into_inner();
    let regex = super::index::compile(&text).map_err(|e| {
        let detail = match &e {
            regex::Error::Syntax(s) => s
                .lines()
                .rev()
                .find_map(|l| l.trim().strip_prefix("error:"))
                .unwrap_or(s)
                .trim()
                .to_string(),
            other => other.to_string(),
        };
        src.error(
            span.clone(),
            format!("invalid regex in `{field}`: {detail}"),
        )
    })?;
    if positive && regex.is_match("") {
        return Err(src.error(
            span,
            format!("`{field}` pattern /{text}/ matches the empty string and so everything"),
        ));
    }
    Ok(Some(Pattern { text }))
}

fn exact(src: &Source<'_>, kind: ExactKind, raw: Spanned<String>) -> Result<Exact, InputError> {
    let span = raw.span();
    let text = raw.into_inner().trim().to_string();
    let (body, prefix) = match text.strip_suffix('*') {
        Some(body) => (body, true),
        None => (text.as_str(), false),
    };
    let label = match kind {
        ExactKind::Package => "package",
        ExactKind::Service => "service",
    };
    if body.is_empty() {
        return Err(src.error(span, format!("empty `{label}` name")));
    }
    if body.contains('*') {
        return Err(src.error(
            span,
            format!("`{label}` \"{text}\": `*` is only allowed at the end"),
        ));
    }
    if prefix && body.chars().count() < 3 {
        return Err(src.error(
            span,
            format!("`{label}` prefix \"{text}\" is too short (at least 3 characters before `*`)"),
        ));
    }
    Ok(Exact {
        kind,
        key: body.to_lowercase(),
        text,
        prefix,
    })
}
