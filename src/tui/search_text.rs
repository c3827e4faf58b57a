//! The assets table's searchable text: every asset's fields lower-cased once, in one buffer.

use crate::model::Inventory;

/// Lower-cased searchable text of every asset, in one buffer.
#[derive(Debug, Default)]
pub struct SearchText {
    text: String,
    offsets: Vec<u32>,
}

impl SearchText {
    /// Builds the text: id, name, OS, site, owner, flagged products, tags.
    pub fn build(inv: &Inventory, flagged: &[String]) -> SearchText {
        fn parts<'a>(i: usize, a: &'a crate::model::Asset, flagged: &'a [String]) -> [&'a str; 6] {
            [
                a.id.as_str(),
                a.name.as_deref().unwrap_or(""),
                a.os.raw.as_str(),
                a.site().map(|t| t.as_str()).unwrap_or(""),
                a.owner().map(|t| t.as_str()).unwrap_or(""),
                flagged.get(i).map(String::as_str).unwrap_or(""),
            ]
        }
        // Sized by a first pass (exact for ASCII): a million assets' text is a few hundred
        // megabytes, and growing it by doubling would reserve up to twice that.
        let size: usize = (inv.assets().iter().enumerate())
            .map(|(i, a)| {
                let fixed: usize = parts(i, a, flagged).iter().map(|p| p.len() + 1).sum();
                fixed + a.tags().map(|t| t.len() + 1).sum::<usize>()
            })
            .sum();
        let mut text = String::with_capacity(size);
        let mut offsets = Vec::with_capacity(inv.len() + 1);
        for (i, a) in inv.assets().iter().enumerate() {
            offsets.push(text.len() as u32);
            for p in parts(i, a, flagged)
                .into_iter()
                .chain(a.tags().map(|t| t.as_str()))
            {
                if p.is_ascii() {
                    let start = text.len();
                    text.push_str(p);
                    text[start..].make_ascii_lowercase();
                } else {
                    for c in p.chars() {
                        text.extend(c.to_lowercase());
                    }
                }
                text.push('\u{1}');
            }
        }
        offsets.push(text.len() as u32);
        SearchText { text, offsets }
    }

    /// The searchable text of asset `i`.
    pub fn of(&self, i: usize) -> &str {
        &self.text[self.offsets[i] as usize..self.offsets[i + 1] as usize]
    }

    /// Per asset, whether its text contains `needle` (lower-case): the same answer as
    /// `of(i).contains(needle)` for every `i`, from one vectorised scan of the whole buffer
    /// instead of a substring search per asset.
    pub fn matching(&self, needle: &str) -> Vec<bool> {
        self.matching_split(needle, 100_000)
    }

    /// [`SearchText::matching`], on two threads from `split_from` assets on.
    fn matching_split(&self, needle: &str, split_from: usize) -> Vec<bool> {
        let n = self.offsets.len().saturating_sub(1);
        // Every asset's text ends with the separator, so a needle without one never matches
        // across two assets; one with it is searched asset by asset.
        if n == 0 || needle.is_empty() || needle.contains('\u{1}') {
            return (0..n).map(|i| self.of(i).contains(needle)).collect();
        }
        let finder = memchr::memmem::Finder::new(needle.as_bytes());
        let mut hits = vec![false; n];
        if n < split_from.max(2) {
            self.mark(&finder, 0, &mut hits);
            return hits;
        }
        // Two halves of the assets on two threads (the machine this was sized for has two).
        let (left, right) = hits.split_at_mut(n / 2);
        std::thread::scope(|scope| {
            scope.spawn(|| self.mark(&finder, n / 2, right));
            self.mark(&finder, 0, left);
        });
        hits
    }

    /// Marks in `hits` the assets `first..first + hits.len()` whose text holds the needle.
    fn mark(&self, finder: &memchr::memmem::Finder<'_>, first: usize, hits: &mut [bool]) {
        let hay = &self.text.as_bytes()[..self.offsets[first + hits.len()] as usize];
        let mut i = first;
        let mut from = self.offsets[first] as usize;
        while let Some(at) = finder.find(&hay[from..]) {
            let at = from + at;
            // The asset whose text holds the match: matches come in order, so walk forward.
            while self.offsets[i + 1] as usize <= at {
                i += 1;
            }
            hits[i - first] = true;
            // The rest of this asset can only say the same again.
            from = self.offsets[i + 1] as usize;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Asset;

    #[test]
    fn search_text_is_lower_case_for_ascii_and_any_script() {
        let mut a = Asset::new("WS-Ärger-01");
        a.name = Some("PC.Example.LOCAL".into());
        a.set_site(Some("ÖSTERREICH".into()));
        a.set_tags(["KRITIS".into()]);
        let inv = Inventory::from_assets([a, Asset::new("B")]);
        let text = SearchText::build(&inv, &["Kaspersky KES".to_string()]);
        assert_eq!(
            text.of(0),
            "ws-ärger-01\u{1}pc.example.local\u{1}\u{1}österreich\u{1}\u{1}kaspersky kes\u{1}kritis\u{1}"
        );
        assert_eq!(text.of(1), "b\u{1}\u{1}\u{1}\u{1}\u{1}\u{1}");
    }

    #[test]
    fn matching_agrees_with_a_search_per_asset() {
        let mut a = Asset::new("WS-01");
        a.name = Some("Kasper".into());
        let mut b = Asset::new("srv-02");
        b.set_site(Some("Wien".into()));
        let inv = Inventory::from_assets([a, b, Asset::new("ws-03")]);
        let text = SearchText::build(&inv, &[String::new(), "Kaspersky".into()]);
        for needle in [
            "",
            "ws",
            "s",
            "kasper",
            "01\u{1}kas",
            "\u{1}",
            "wien",
            "zz",
            "3\u{1}",
        ] {
            let each: Vec<bool> = (0..3).map(|i| text.of(i).contains(needle)).collect();
            assert_eq!(text.matching(needle), each, "{needle:?}");
            assert_eq!(
                text.matching_split(needle, 0),
                each,
                "{needle:?} on two threads"
            );
        }
    }
}
