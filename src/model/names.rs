//! The one way small enums become text and back. strum derives each value's name (kebab-case,
//! matching serde's `rename_all`, so files, JSON and messages agree) and the list of values;
//! [`Named`] adds reading a name as people type it: any case, with or without separators, and
//! aliases where an enum has them.

use strum::VariantArray;

/// An enum whose values have names: derive `strum::VariantArray` and `strum::IntoStaticStr`
/// (with `#[strum(serialize_all = "kebab-case")]`), then `impl Named for T {}`.
pub trait Named: Copy + PartialEq + VariantArray + Into<&'static str> + 'static {
    /// Other spellings read as this value (German and English synonyms from real exports).
    fn aliases(self) -> &'static [&'static str] {
        &[]
    }

    /// The canonical name.
    fn as_str(self) -> &'static str {
        self.into()
    }

    /// The value named `text` (its name or an alias), ignoring case and the separators
    /// `-`, `_`, `.`, `/` and spaces.
    fn from_name(text: &str) -> Option<Self> {
        let key = normalise_key(text);
        if key.is_empty() {
            return None;
        }
        // Names and aliases are compared as they normalise, without a copy of each: importers
        // look up a kind or relation type on every row.
        let same = |name: &str| key_chars(name).eq(key.chars());
        Self::VARIANTS
            .iter()
            .copied()
            .find(|v| same(v.as_str()) || v.aliases().iter().any(|a| same(a)))
    }

    /// The value named `text`: its canonical name in any ASCII case (checked first: cheap,
    /// and by far the most common), else what [`Named::from_name`] reads.
    fn lookup(text: &str) -> Option<Self> {
        Self::VARIANTS
            .iter()
            .copied()
            .find(|v| v.as_str().eq_ignore_ascii_case(text))
            .or_else(|| Self::from_name(text))
    }

    /// Every canonical name, `|`-separated, for error messages.
    fn names() -> String {
        let names: Vec<&str> = Self::VARIANTS.iter().map(|v| v.as_str()).collect();
        names.join("|")
    }
}

/// Lower-cases and drops separators so "Mail Gateway", "mail_gateway" and "mail-gateway" match.
pub fn normalise_key(text: &str) -> String {
    key_chars(text).collect()
}

/// The characters of [`normalise_key`], one by one.
fn key_chars(text: &str) -> impl Iterator<Item = char> + '_ {
    text.trim()
        .chars()
        .filter(|c| !matches!(c, ' ' | '-' | '_' | '.' | '/'))
        .flat_map(char::to_lowercase)
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// Checks that every value's strum name is its serde name and reads back.
    pub(crate) fn names_agree<T>()
    where
        T: Named + serde::Serialize + std::fmt::Debug,
    {
        for v in T::VARIANTS {
            let json = serde_json::to_string(v).unwrap();
            assert_eq!(json, format!("\"{}\"", v.as_str()), "{v:?}");
            assert_eq!(T::from_name(v.as_str()), Some(*v));
            assert_eq!(
                T::from_name(&v.as_str().to_uppercase().replace('-', " ")),
                Some(*v)
            );
            for alias in v.aliases() {
                assert_eq!(T::from_name(alias), Some(*v), "{alias}");
            }
        }
        assert_eq!(T::from_name("no such name at all"), None);
    }

    #[test]
    fn every_named_enum_has_one_name_in_text_and_json() {
        use crate::model::{AssetKind, Criticality, OsFamily, RelationKind};
        use crate::plan::{AlertKind, CoveredBy, DecisionOption, ProtectionState, Status};
        names_agree::<AssetKind>();
        names_agree::<Criticality>();
        names_agree::<RelationKind>();
        names_agree::<OsFamily>();
        names_agree::<crate::rules::Role>();
        names_agree::<crate::rules::Confidence>();
        names_agree::<crate::catalog::Capability>();
        names_agree::<Status>();
        names_agree::<AlertKind>();
        names_agree::<CoveredBy>();
        names_agree::<DecisionOption>();
        names_agree::<ProtectionState>();
    }

    #[test]
    fn aliases_read_as_their_value_whatever_the_spelling() {
        use crate::model::AssetKind;
        assert_eq!(
            AssetKind::from_name("Virtuelle Maschine"),
            Some(AssetKind::Vm)
        );
        assert_eq!(
            AssetKind::from_name("mail_gateway"),
            Some(AssetKind::MailGateway)
        );
        assert_eq!(
            AssetKind::names().split('|').count(),
            AssetKind::VARIANTS.len()
        );
    }
}
