//! Linux distributions: one table of ids, labels and the words that name them in OS texts.

use strum::IntoEnumIterator;

/// A Linux distribution that OS texts name and the catalogue's product entries list. Its id
/// (`rhel`, `centos-stream` …) is what inventories' parsed OS and catalogue files carry.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    strum::Display,
    strum::EnumString,
    strum::IntoStaticStr,
    strum::EnumIter,
)]
#[strum(serialize_all = "kebab-case")]
pub enum Distro {
    /// Red Hat Enterprise Linux.
    Rhel,
    /// CentOS Linux.
    Centos,
    /// CentOS Stream.
    CentosStream,
    /// Rocky Linux.
    Rocky,
    /// AlmaLinux.
    Alma,
    /// Oracle Linux.
    Oracle,
    /// Ubuntu.
    Ubuntu,
    /// Debian (and Raspbian).
    Debian,
    /// openSUSE.
    Opensuse,
    /// SUSE Linux Enterprise Server.
    Sles,
    /// Fedora.
    Fedora,
    /// Amazon Linux.
    Amazon,
    /// Astra Linux.
    Astra,
    /// ALT Linux.
    Alt,
    /// Linux Mint.
    Mint,
}

impl Distro {
    /// The id (`centos-stream`).
    pub fn id(self) -> &'static str {
        self.into()
    }

    /// The distribution an id names, if any.
    pub fn from_id(id: &str) -> Option<Distro> {
        id.parse().ok()
    }

    /// The name people know it by (`CentOS Stream`).
    pub fn label(self) -> &'static str {
        match self {
            Distro::Rhel => "RHEL",
            Distro::Centos => "CentOS",
            Distro::CentosStream => "CentOS Stream",
            Distro::Rocky => "Rocky Linux",
            Distro::Alma => "AlmaLinux",
            Distro::Oracle => "Oracle Linux",
            Distro::Ubuntu => "Ubuntu",
            Distro::Debian => "Debian",
            Distro::Opensuse => "openSUSE",
            Distro::Sles => "SLES",
            Distro::Fedora => "Fedora",
            Distro::Amazon => "Amazon Linux",
            Distro::Astra => "Astra Linux",
            Distro::Alt => "ALT Linux",
            Distro::Mint => "Linux Mint",
        }
    }

    /// Every id, `|`-separated, for messages.
    pub fn ids() -> String {
        Distro::iter().map(Distro::id).collect::<Vec<_>>().join("|")
    }

    /// The label of a distribution id; an id outside the table is shown as it is.
    pub fn label_of(id: &str) -> &str {
        Distro::from_id(id).map_or(id, |d| d.label())
    }
}

/// Lower-case words that name a distribution in an OS text, tried in order (the first match
/// wins, so "centos stream" comes before "centos"); None: Linux of no known distribution.
pub(crate) const NEEDLES: &[(&str, Option<Distro>)] = &[
    ("red hat", Some(Distro::Rhel)),
    ("rhel", Some(Distro::Rhel)),
    ("centos stream", Some(Distro::CentosStream)),
    ("centos", Some(Distro::Centos)),
    ("rocky", Some(Distro::Rocky)),
    ("alma", Some(Distro::Alma)),
    ("oracle linux", Some(Distro::Oracle)),
    ("ubuntu", Some(Distro::Ubuntu)),
    ("debian", Some(Distro::Debian)),
    ("opensuse", Some(Distro::Opensuse)),
    ("suse", Some(Distro::Sles)),
    ("sles", Some(Distro::Sles)),
    ("fedora", Some(Distro::Fedora)),
    ("amazon linux", Some(Distro::Amazon)),
    ("astra", Some(Distro::Astra)),
    ("alt linux", Some(Distro::Alt)),
    ("mint", Some(Distro::Mint)),
    ("raspbian", Some(Distro::Debian)),
    ("linux", None),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_distribution_has_one_id_one_label_and_a_word_that_finds_it() {
        for d in Distro::iter() {
            assert_eq!(Distro::from_id(d.id()), Some(d));
            assert_eq!(d.to_string(), d.id());
            assert_ne!(d.label(), d.id(), "{d:?} has a label of its own");
            assert!(
                NEEDLES.iter().any(|(_, n)| *n == Some(d)),
                "no OS text finds {d:?}"
            );
        }
        assert_eq!(Distro::label_of("alt"), "ALT Linux");
        assert_eq!(Distro::label_of("gentoo"), "gentoo");
        assert!(Distro::ids().starts_with("rhel|centos|centos-stream|"));
    }
}
