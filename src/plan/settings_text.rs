//! Plan settings as the short texts people type: blackout windows, yearly change freezes and
//! site capacities. The command line and the app's settings form read and write the same forms.

use super::model::Blackout;
use crate::model::Date;
use std::collections::BTreeMap;

/// Splits `A..B[=REASON]` into its two ends and the reason.
fn range_and_reason<'a>(
    value: &'a str,
    expected: &'static str,
) -> Result<(&'a str, &'a str, Option<String>), String> {
    let (range, reason) = match value.split_once('=') {
        Some((r, why)) => (r, Some(why.trim().to_string()).filter(|w| !w.is_empty())),
        None => (value, None),
    };
    let (a, b) = range.split_once("..").ok_or(expected)?;
    Ok((a.trim(), b.trim(), reason))
}

/// Reads `FROM..TO[=REASON]`, a one-off window.
pub fn parse_blackout(value: &str) -> Result<Blackout, String> {
    let (from, to, reason) =
        range_and_reason(value, "expected FROM..TO, e.g. 2026-12-21..2027-01-06")?;
    let date = |text: &str| text.parse::<Date>().map_err(|e| e.to_string());
    let (from, to) = (date(from)?, date(to)?);
    if to < from {
        return Err("it ends before it starts".to_string());
    }
    Ok(Blackout {
        from,
        to,
        reason,
        yearly: false,
    })
}

/// Reads `MM-DD..MM-DD[=REASON]`: a freeze every year (stored with the year 2000, a leap
/// year, so 02-29 can be named; a window that wraps ends in 2001).
pub fn parse_yearly_blackout(value: &str) -> Result<Blackout, String> {
    let (from, to, reason) = range_and_reason(value, "expected MM-DD..MM-DD, e.g. 12-20..01-06")?;
    let date = |year: i32, text: &str| {
        format!("{year}-{text}")
            .parse::<Date>()
            .map_err(|_| format!("\"{text}\" is not a day of the year (MM-DD)"))
    };
    let start = date(2000, from)?;
    let mut end = date(2000, to)?;
    if end < start {
        end = date(2001, to)?;
    }
    Ok(Blackout {
        from: start,
        to: end,
        reason,
        yearly: true,
    })
}

/// Reads `SITE=N` with N ≥ 1.
pub fn parse_site_capacity(item: &str) -> Result<(String, usize), String> {
    item.rsplit_once('=')
        .and_then(|(site, n)| n.trim().parse::<usize>().ok().map(|n| (site.trim(), n)))
        .filter(|(site, n)| !site.is_empty() && *n > 0)
        .map(|(site, n)| (site.to_string(), n))
        .ok_or_else(|| format!("\"{}\": expected SITE=N with N ≥ 1", item.trim()))
}

/// Reads a `;`-separated list of windows, each dated (`2026-12-21..2027-01-06`) or yearly
/// (`12-20..01-06`, told by its shape), sorted as plans keep them.
pub fn parse_blackouts(text: &str) -> Result<Vec<Blackout>, String> {
    let mut out = Vec::new();
    for item in text.split(';').map(str::trim).filter(|s| !s.is_empty()) {
        let first = item.split("..").next().unwrap_or("").trim();
        let parsed = if first.len() == 5 {
            parse_yearly_blackout(item)
        } else {
            parse_blackout(item)
        };
        out.push(parsed.map_err(|e| format!("\"{item}\": {e}"))?);
    }
    out.sort_by_key(|b| (b.from, b.to));
    Ok(out)
}

/// The windows as [`parse_blackouts`] reads them.
pub fn blackouts_text(blackouts: &[Blackout]) -> String {
    let item = |b: &Blackout| {
        let range = if b.yearly {
            let md = |d: Date| d.to_string()[5..].to_string();
            format!("{}..{}", md(b.from), md(b.to))
        } else {
            format!("{}..{}", b.from, b.to)
        };
        match &b.reason {
            Some(r) => format!("{range}={r}"),
            None => range,
        }
    };
    blackouts.iter().map(item).collect::<Vec<_>>().join("; ")
}

/// Reads a `;`-separated list of `SITE=N`; a site named twice (in any case: sites compare
/// case-insensitively) is refused.
pub fn parse_site_capacities(text: &str) -> Result<BTreeMap<String, usize>, String> {
    let mut out = BTreeMap::new();
    let mut seen = std::collections::HashSet::new();
    for item in text.split(';').map(str::trim).filter(|s| !s.is_empty()) {
        let (site, n) = parse_site_capacity(item)?;
        if !seen.insert(site.to_lowercase()) {
            return Err(format!("site \"{site}\" is named twice"));
        }
        out.insert(site, n);
    }
    Ok(out)
}

/// The capacities as [`parse_site_capacities`] reads them.
pub fn site_capacities_text(capacities: &BTreeMap<String, usize>) -> String {
    capacities
        .iter()
        .map(|(site, n)| format!("{site}={n}"))
        .collect::<Vec<_>>()
        .join("; ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blackout_lists_read_dated_and_yearly_windows_and_write_them_back() {
        let text = "12-20..01-06=Year-end freeze; 2027-03-01..2027-03-05";
        let parsed = parse_blackouts(text).unwrap();
        assert_eq!(parsed.len(), 2);
        assert!(parsed[0].yearly, "sorted: 2000-12-20 comes first");
        assert_eq!(parsed[0].reason.as_deref(), Some("Year-end freeze"));
        assert!(!parsed[1].yearly);
        assert_eq!(
            blackouts_text(&parsed),
            "12-20..01-06=Year-end freeze; 2027-03-01..2027-03-05"
        );
        assert_eq!(parse_blackouts(&blackouts_text(&parsed)).unwrap(), parsed);
        assert!(parse_blackouts("  ; ").unwrap().is_empty());
    }

    #[test]
    fn bad_windows_are_refused_naming_the_item() {
        let e = parse_blackouts("2027-03-05..2027-03-01").unwrap_err();
        assert!(
            e.contains("2027-03-05..2027-03-01") && e.contains("ends before"),
            "{e}"
        );
        let e = parse_blackouts("13-01..01-02").unwrap_err();
        assert!(e.contains("not a day of the year"), "{e}");
        assert!(parse_blackouts("next week").is_err());
    }

    #[test]
    fn site_capacities_round_trip_and_refuse_bad_items() {
        let caps = parse_site_capacities("Berlin = 10; Köln, Werk 2=3").unwrap();
        assert_eq!(caps["Berlin"], 10);
        assert_eq!(caps["Köln, Werk 2"], 3);
        assert_eq!(
            parse_site_capacities(&site_capacities_text(&caps)).unwrap(),
            caps
        );
        assert!(parse_site_capacities("Berlin=0").is_err());
        assert!(parse_site_capacities("Berlin").is_err());
        assert!(
            parse_site_capacities("A=1; A=2")
                .unwrap_err()
                .contains("twice")
        );
        assert!(
            parse_site_capacities("Berlin=1; berlin=2")
                .unwrap_err()
                .contains("twice")
        );
    }
}
