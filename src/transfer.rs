//! The decisions behind moving a map in and out of the browser (share
//! links, the size check before a file is read), kept out of the
//! wasm-only UI so they are tested natively.

use waymark_core::formats::map_file;
use waymark_core::formats::share::{self, MAX_LINK_CHARS};
use waymark_core::formats::FormatError;

use crate::model::JourneyMap;
use crate::route::Route;

/// What "Share link" offers for a map.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ShareLink {
    Fits(String),
    /// Browsers and servers cut links this long; the map file goes instead.
    TooLong {
        chars: usize,
    },
}

/// The link that opens `map` read-only: the page's own address (so it works
/// under any sub-path and from the single file) with its fragment replaced
/// by the share route.
pub fn share_link(page_url: &str, map: &JourneyMap) -> ShareLink {
    let base = page_url.split_once('#').map_or(page_url, |(b, _)| b);
    let link = format!("{base}{}", Route::Share(share::encode(map)).hash());
    let chars = link.chars().count();
    if chars > MAX_LINK_CHARS {
        ShareLink::TooLong { chars }
    } else {
        ShareLink::Fits(link)
    }
}

/// The refusal of a file over [`map_file::MAX_BYTES`], decided from its size alone so
/// a huge file is never read into memory.
pub fn too_large(bytes: f64) -> Option<FormatError> {
    // `as` saturates: a size beyond usize is still refused.
    map_file::check_size(bytes as usize).err()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{ChannelKind, Id};
    use crate::templates::retail;
    use waymark_core::formats::map_file::MAX_BYTES;

    #[test]
    fn share_links_replace_the_fragment_and_open_the_map() {
        let map = retail(Id::new("m-1"), 1_765_000_000_000.0);
        for page in [
            "http://127.0.0.1:4173/#/map/m-1",
            "https://example.org/waymark/app/#/map/m-1?from=2024-01-01",
            "file:///home/u/waymark.html",
        ] {
            let ShareLink::Fits(link) = share_link(page, &map) else {
                panic!("the retail template fits in a link");
            };
            let (base, hash) = link.split_once('#').unwrap();
            assert_eq!(base, page.split('#').next().unwrap());
            let Route::Share(payload) = Route::parse(hash) else {
                panic!("{hash} is a share route");
            };
            assert_eq!(share::decode(&payload).unwrap(), map);
        }
    }

    #[test]
    fn a_map_too_large_for_a_link_says_how_long_it_would_be() {
        let mut map = JourneyMap::new(Id::new("big"), "Big", 0.0);
        let s = map.add_stage("All");
        let c = map.add_channel("Web", ChannelKind::Digital);
        // Long, hard-to-compress descriptions, as a large real map has.
        let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
        for _ in 0..80 {
            let mut text = String::new();
            for _ in 0..125 {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                text.push_str(&format!("{x:016x}"));
            }
            let t = map.add_touchpoint(&s, &c, "Step").unwrap();
            map.touchpoint_mut(&t).unwrap().description = text;
        }
        match share_link("http://h/", &map) {
            ShareLink::TooLong { chars } => assert!(chars > MAX_LINK_CHARS, "{chars}"),
            ShareLink::Fits(l) => panic!("{} characters fit", l.len()),
        }
    }

    #[test]
    fn size_refusal_matches_the_core_and_spares_small_files() {
        assert_eq!(too_large(MAX_BYTES as f64), None);
        let e = too_large((MAX_BYTES + 1) as f64).unwrap();
        let core = map_file::from_json(&" ".repeat(MAX_BYTES + 1)).unwrap_err();
        assert_eq!(e, core);
        assert_eq!(
            too_large(11.0 * 1024.0 * 1024.0).unwrap().to_string(),
            "file: 11.0 MB is larger than the 10 MB a map may have"
        );
    }
}
