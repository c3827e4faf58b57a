//! GLPI computer search exports ("Export → CSV"), GLPI 10 and GLPI 11.
//!
//! * GLPI 10 writes a UTF-8 BOM, every header and value as `"value"` followed by the user's
//!   delimiter (so every line ends with a delimiter), LF line ends, `"` inside a value as `''`
//!   (two apostrophes), and multi-valued cells (all software of a computer) joined with `<br>`.
//! * GLPI 11 writes RFC 4180 CSV (doubled quotes, CRLF, no BOM, no trailing delimiter).
//!
//! Headers are search-option names prefixed with their group (`Operating system - Name`,
//! `Software - Name`), localized: English, German and French are known.

use super::Probe;
use super::cmdb::{RecordBuilder, csv_head, open, os_with_version, required};
use crate::error::InputError;
use crate::inventory::csv_generic::next_data_row;
use crate::inventory::csv_table::Table;
use crate::inventory::{Content, FileCtx, Mixed};
use crate::model::Software;
use crate::model::text::clean;
use regex::Regex;
use std::borrow::Cow;
use std::sync::LazyLock;

/// How GLPI columns map to the model.
pub(crate) const COLUMNS: &[(&str, &str)] = &[
    ("Name (Nom)", "id, name"),
    (
        "Operating system - Name, Operating system - Version (Betriebssystem - …, Système \
         d'exploitation - …)",
        "os",
    ),
    (
        "Type (Typ)",
        "kind (Desktop → workstation, Laptop → laptop, Virtual machine → vm, Server → \
         server …; other types: from the OS)",
    ),
    (
        "Location (Standort, Lieu)",
        "site: the top level of the location path (\"Freiburg > RZ\" → Freiburg); else the \
         last level of the entity path",
    ),
    ("User (Benutzer, Utilisateur), else Group", "owner"),
    (
        "Software - Name, Software - Version, Software - Publisher (Logiciel - …)",
        "software: <br>-separated lists, paired by position",
    ),
    ("Status, Serial number, Comments, Last update …", "ignored"),
];

const NAME: &[&str] = &["Name", "Nom"];
const OS_NAME: &[&str] = &[
    "Operating system - Name",
    "Betriebssystem - Name",
    "Système d'exploitation - Nom",
];
const OS_VERSION: &[&str] = &[
    "Operating system - Version",
    "Betriebssystem - Version",
    "Système d'exploitation - Version",
];
const SOFTWARE_NAME: &[&str] = &["Software - Name", "Logiciel - Nom"];
const SOFTWARE_VERSION: &[&str] = &[
    "Software - Version",
    "Software - Versions",
    "Logiciel - Version",
];
const SOFTWARE_PUBLISHER: &[&str] = &[
    "Software - Publisher",
    "Software - Herausgeber",
    "Software - Hersteller",
    "Logiciel - Éditeur",
];
const TYPE: &[&str] = &["Type", "Typ", "Computer type", "Computertyp"];
const LOCATION: &[&str] = &["Location", "Standort", "Lieu"];
const ENTITY: &[&str] = &["Entity", "Einheit", "Entität", "Entité"];
const USER: &[&str] = &["User", "Benutzer", "Utilisateur"];
const GROUP: &[&str] = &["Group", "Gruppe", "Groupe"];

/// A `Name` column beside a grouped OS or software column written `<group> - <name>`.
pub(crate) fn matches(p: &Probe) -> bool {
    p.csv().is_some_and(|h| {
        let grouped = [OS_NAME, SOFTWARE_NAME]
            .iter()
            .filter_map(|names| h.find(names))
            .any(|i| h.headers[i].contains(" - "));
        h.find(NAME).is_some() && grouped
    })
}

/// `<br>`, `<br/>` and `<br />`, as GLPI joins the values of a multi-valued cell.
static BR: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)<br\s*/?>").expect("constant regex"));

/// The values of a multi-valued cell, trimmed, in order (empty ones kept, for pairing).
fn values(cell: &str) -> Vec<&str> {
    if cell.is_empty() {
        return Vec::new();
    }
    BR.split(cell).map(str::trim).collect()
}

/// True for a GLPI 10 export: its header line ends with the delimiter.
fn is_glpi10(text: &str, line: usize, sep: u8) -> bool {
    text.lines()
        .nth(line.saturating_sub(1))
        .is_some_and(|l| l.trim_end().ends_with(char::from(sep)))
}

/// A cell with GLPI 10's `''` turned back into `"`.
fn unescape(cell: &str, glpi10: bool) -> Cow<'_, str> {
    if glpi10 && cell.contains("''") {
        Cow::Owned(cell.replace("''", "\""))
    } else {
        Cow::Borrowed(cell)
    }
}

/// The site of a location or entity path (`A > B > C`): the top level of a location, the
/// last level of an entity below the root.
fn site(location: &str, entity: &str) -> String {
    let top = location.split(" > ").next().unwrap_or("").trim();
    if !top.is_empty() {
        return top.to_string();
    }
    let levels: Vec<&str> = entity.split(" > ").map(str::trim).collect();
    match levels.as_slice() {
        [_, .., last] => last.to_string(),
        _ => String::new(),
    }
}

/// Reads a GLPI computer export: one device record per row, with its software.
pub(crate) fn read(p: &Probe, ctx: &mut FileCtx<'_>) -> Result<Content, InputError> {
    let head = csv_head(p, ctx, "GLPI")?;
    let name = required(head, ctx, NAME, "GLPI")?;
    let glpi10 = is_glpi10(p.text, head.line, head.sep);
    let col = |names: &[&str]| head.find(names);
    let (os, os_version, kind) = (col(OS_NAME), col(OS_VERSION), col(TYPE));
    let (location, entity, user, group) = (col(LOCATION), col(ENTITY), col(USER), col(GROUP));
    let sw = [
        col(SOFTWARE_NAME),
        col(SOFTWARE_VERSION),
        col(SOFTWARE_PUBLISHER),
    ];
    let mut table = open(p.text, ctx)?;
    let mut mixed = Mixed::default();
    while next_data_row(&mut table, ctx)? {
        let line = table.line();
        let cell = |c: Option<usize>| unescape(table.opt_cell(c), glpi10);
        let id = clean(&cell(Some(name)));
        if id.is_empty() {
            ctx.skip(
                "missing name",
                ctx.line(line),
                "computer has no name; row skipped".into(),
            )?;
            continue;
        }
        let mut b = RecordBuilder::new(ctx, &id, line);
        let first = |c| {
            values(&cell(c))
                .first()
                .map(|s| s.to_string())
                .unwrap_or_default()
        };
        b.os(ctx, &os_with_version(&first(os), &first(os_version)));
        b.kind(&[&first(kind)]);
        b.site(&site(&cell(location), &cell(entity)));
        let owner = first(user);
        let owner = if owner.is_empty() {
            first(group)
        } else {
            owner
        };
        b.owner(&owner);
        b.asset.software = software(&table, sw, glpi10, ctx)?.into();
        ctx.report.software += b.asset.software.len();
        ctx.report.assets += 1;
        mixed.records.push(b.finish());
    }
    Ok(Content::Mixed(mixed))
}

/// The software of the current row: names, versions and publishers paired by position. A
/// version or publisher list that does not pair up is dropped with a warning.
fn software(
    table: &Table<'_>,
    [name, version, publisher]: [Option<usize>; 3],
    glpi10: bool,
    ctx: &mut FileCtx<'_>,
) -> Result<Vec<Software>, InputError> {
    let (names_cell, versions_cell, publishers_cell) = (
        unescape(table.opt_cell(name), glpi10),
        unescape(table.opt_cell(version), glpi10),
        unescape(table.opt_cell(publisher), glpi10),
    );
    let names = values(&names_cell);
    let mut lists = [values(&versions_cell), values(&publishers_cell)];
    for (list, col, what) in [(0, version, "versions"), (1, publisher, "publishers")] {
        let n = lists[list].len();
        if n > 0 && n != names.len() {
            let counted = if n == 1 {
                &what[..what.len() - 1]
            } else {
                what
            };
            let message = format!(
                "{} software names but {n} {counted}; they cannot be paired, so the {what} \
                 of this computer are left out",
                names.len()
            );
            ctx.warn(table.cell_location(&ctx.file, col.unwrap_or(0)), message)?;
            lists[list].clear();
        }
    }
    let at = |list: &Vec<&str>, i: usize| list.get(i).map(|s| clean(s)).filter(|s| !s.is_empty());
    Ok(names
        .iter()
        .enumerate()
        .filter(|(_, n)| !n.is_empty())
        .map(|(i, n)| Software {
            name: clean(n).into(),
            version: at(&lists[0], i).map(Into::into),
            publisher: at(&lists[1], i).map(Into::into),
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn multi_valued_cells_split_on_br() {
        assert_eq!(values("a<br>b<BR/> c <br />"), ["a", "b", "c", ""]);
        assert!(values("").is_empty());
        assert_eq!(values("one"), ["one"]);
    }

    #[test]
    fn sites_from_location_or_entity() {
        assert_eq!(site("Freiburg > Halle 2 > Konstruktion", ""), "Freiburg");
        assert_eq!(
            site("", "Root entity > Müller Maschinenbau GmbH > Offenburg"),
            "Offenburg"
        );
        assert_eq!(site("", "Root entity"), "");
    }

    #[test]
    fn glpi10_is_told_by_the_trailing_delimiter() {
        assert!(is_glpi10("\"Name\";\"Type\";\n\"a\";\"b\";\n", 1, b';'));
        assert!(!is_glpi10("Name,Type\r\na,b\r\n", 1, b','));
        assert_eq!(unescape("KSC ''primär''", true), "KSC \"primär\"");
        assert_eq!(unescape("O''Neil", false), "O''Neil");
    }
}
