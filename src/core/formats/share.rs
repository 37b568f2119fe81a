//! Share links: a whole map in a URL fragment, which browsers never send to
//! a server, so sharing needs no backend and leaks nothing to one.
//!
//! The payload is the map file's JSON without whitespace (so it carries the
//! format tag and schema version, and old links are migrated like old
//! files), raw-deflated with `miniz_oxide` and written in URL-safe base64
//! without padding, which needs no escaping in a fragment.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use miniz_oxide::inflate::{decompress_to_vec_with_limit, TINFLStatus};

use super::map_file::{self, MAX_BYTES};
use super::FormatError;
use crate::model::JourneyMap;

/// Browsers and servers cut URLs around here; longer links offer the file
/// instead.
pub const MAX_LINK_CHARS: usize = 64_000;

/// deflate's best ratio: links are made once and should be short.
const LEVEL: u8 = 9;

/// The map as a fragment-safe payload (`A–Z a–z 0–9 - _`).
pub fn encode(map: &JourneyMap) -> String {
    let json = map_file::to_compact_json(map);
    URL_SAFE_NO_PAD.encode(miniz_oxide::deflate::compress_to_vec(
        json.as_bytes(),
        LEVEL,
    ))
}

/// Reads a payload made by [`encode`], refusing anything that would inflate
/// past [`MAX_BYTES`] (a few kilobytes of deflate can claim gigabytes), then
/// checks the map exactly as [`map_file::from_json`] does.
pub fn decode(payload: &str) -> Result<JourneyMap, FormatError> {
    let damaged = |why: &str| {
        FormatError::new(
            "link",
            format!(
                "the link is damaged or cut short ({why}); ask for it again or for the map file"
            ),
        )
    };
    if payload.len() > MAX_BYTES {
        return Err(FormatError::new(
            "link",
            "longer than any map's link can be",
        ));
    }
    let packed = URL_SAFE_NO_PAD
        .decode(payload.trim())
        .map_err(|e| damaged(&e.to_string()))?;
    let bytes = decompress_to_vec_with_limit(&packed, MAX_BYTES).map_err(|e| match e.status {
        TINFLStatus::HasMoreOutput => FormatError::new(
            "link",
            format!(
                "its map would be larger than the {} MB a map may have",
                MAX_BYTES / (1024 * 1024)
            ),
        ),
        _ => damaged(&e.to_string()),
    })?;
    let text = String::from_utf8(bytes).map_err(|_| damaged("not UTF-8 text"))?;
    map_file::from_json(&text)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Id;
    use crate::templates::TEMPLATES;

    #[test]
    fn every_template_survives_a_link_and_fits_in_one() {
        for t in TEMPLATES {
            let map = (t.build)(Id::new(format!("id-{}", t.key)), 1_765_000_000_123.0);
            let payload = encode(&map);
            assert!(
                payload.len() < MAX_LINK_CHARS,
                "{}: {}",
                t.key,
                payload.len()
            );
            assert!(payload
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'));
            assert_eq!(decode(&payload).unwrap(), map, "{}", t.key);
        }
    }

    #[test]
    fn garbage_and_truncated_links_are_refused() {
        let e = decode("not base64 at all!").unwrap_err();
        assert_eq!(e.field, "link");
        assert!(e.message.contains("damaged"), "{e}");
        assert_eq!(decode("").unwrap_err().field, "link");
        let payload = encode(&crate::templates::retail(Id::new("m"), 0.0));
        let cut = &payload[..payload.len() / 2];
        let e = decode(cut).unwrap_err();
        assert_eq!(e.field, "link", "{e}");
        let not_deflate = URL_SAFE_NO_PAD.encode(b"{\"format\":\"waymark-map\"}");
        assert_eq!(decode(&not_deflate).unwrap_err().field, "link");
    }

    #[test]
    fn a_deflate_bomb_is_refused_without_inflating_it_all() {
        let bomb = vec![b' '; MAX_BYTES * 3];
        let payload = URL_SAFE_NO_PAD.encode(miniz_oxide::deflate::compress_to_vec(&bomb, LEVEL));
        assert!(payload.len() < 100_000, "{}", payload.len());
        let e = decode(&payload).unwrap_err();
        assert_eq!(e.field, "link");
        assert!(e.message.contains("larger than"), "{e}");
    }

    #[test]
    fn links_are_checked_like_map_files() {
        let json = br#"{"format":"waymark-map","version":1,"map":{"id":"m","name":"x","stages":[{"id":"s"},{"id":"s"}]}}"#;
        let payload = URL_SAFE_NO_PAD.encode(miniz_oxide::deflate::compress_to_vec(json, LEVEL));
        let e = decode(&payload).unwrap_err();
        assert_eq!(e.field, "map.stages[1].id");
    }
}
