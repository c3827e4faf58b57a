//! How an [`Asset`] is written to and read from a native inventory's `[[asset]]` table: the
//! fields as a file has them (empty and default values left out), the less common ones
//! ([`Asset::site`], [`Asset::tags`] …) taken from and put back into the asset's details.

use super::asset::{Asset, AssetKind, Criticality, Relation, Software};
use super::os::Os;
use super::text::Text;
use ecow::EcoString;
use serde::ser::SerializeSeq;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use thin_vec::ThinVec;

/// An asset as written: borrowed from it.
#[derive(Serialize)]
#[serde(rename = "Asset")]
struct Written<'a> {
    id: &'a EcoString,
    #[serde(skip_serializing_if = "Option::is_none")]
    name: &'a Option<Text>,
    kind: AssetKind,
    #[serde(skip_serializing_if = "Os::is_blank")]
    os: &'a Os,
    #[serde(skip_serializing_if = "Option::is_none")]
    site: Option<&'a Text>,
    #[serde(skip_serializing_if = "Option::is_none")]
    owner: Option<&'a Text>,
    #[serde(skip_serializing_if = "Criticality::is_medium")]
    criticality: Criticality,
    #[serde(skip_serializing_if = "Tags::is_empty")]
    tags: Tags<'a>,
    #[serde(
        serialize_with = "crate::tomlfmt::ser::lines",
        skip_serializing_if = "ThinVec::is_empty"
    )]
    software: &'a ThinVec<Software>,
    #[serde(
        serialize_with = "crate::tomlfmt::ser::lines_unless_one",
        skip_serializing_if = "ThinVec::is_empty"
    )]
    depends_on: &'a ThinVec<Relation>,
}

/// The tags of an asset, written as a list.
struct Tags<'a>(&'a Asset);

impl Tags<'_> {
    fn is_empty(&self) -> bool {
        self.0.tags().len() == 0
    }
}

impl Serialize for Tags<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut seq = s.serialize_seq(Some(self.0.tags().len()))?;
        for tag in self.0.tags() {
            seq.serialize_element(tag)?;
        }
        seq.end()
    }
}

impl Serialize for Asset {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        Written {
            id: &self.id,
            name: &self.name,
            kind: self.kind,
            os: &self.os,
            site: self.site(),
            owner: self.owner(),
            criticality: self.criticality,
            tags: Tags(self),
            software: &self.software,
            depends_on: &self.depends_on,
        }
        .serialize(s)
    }
}

/// An asset as read (kinds, criticalities and relation kinds by name or alias).
#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename = "Asset")]
struct Read {
    id: EcoString,
    name: Option<Text>,
    #[serde(default, deserialize_with = "super::asset_de::kind")]
    kind: AssetKind,
    #[serde(default)]
    os: Os,
    site: Option<Text>,
    owner: Option<Text>,
    #[serde(default, deserialize_with = "super::asset_de::criticality")]
    criticality: Criticality,
    #[serde(default)]
    tags: Vec<Text>,
    #[serde(default)]
    software: ThinVec<Software>,
    #[serde(default)]
    depends_on: ThinVec<Relation>,
}

impl<'de> Deserialize<'de> for Asset {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Asset, D::Error> {
        let read = Read::deserialize(d)?;
        let mut asset = Asset::new(read.id);
        asset.name = read.name;
        asset.kind = read.kind;
        asset.os = read.os;
        asset.set_site(read.site);
        asset.set_owner(read.owner);
        asset.criticality = read.criticality;
        asset.set_tags(read.tags);
        asset.software = read.software;
        asset.depends_on = read.depends_on;
        Ok(asset)
    }
}
