//! File names for what the app saves to disk (images, map files, mermaid),
//! made from a map's name: downloads land in a folder next to other files,
//! so the name must be safe on every file system and still say which map
//! it is.

/// The longest stem kept, in characters: long enough to recognise a map,
/// short enough for a download bar.
const MAX_CHARS: usize = 60;

/// `name` as a file name stem: letters and digits kept (lowercased, accents
/// and other scripts included), every other run of characters one hyphen,
/// none at either end; "journey-map" when nothing is left.
pub fn slug(name: &str) -> String {
    let mut out = String::new();
    for c in name.chars().flat_map(char::to_lowercase) {
        if c.is_alphanumeric() {
            if out.chars().count() >= MAX_CHARS {
                break;
            }
            out.push(c);
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    let out = out.trim_end_matches('-');
    if out.is_empty() {
        "journey-map".to_owned()
    } else {
        out.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_become_safe_stems() {
        assert_eq!(
            slug("Retail: from Instagram ad to easy return"),
            "retail-from-instagram-ad-to-easy-return"
        );
        assert_eq!(slug("  Café / Überweisung 2026 "), "café-überweisung-2026");
        assert_eq!(slug("../../etc/passwd"), "etc-passwd");
        assert_eq!(slug("<script>alert(1)</script>"), "script-alert-1-script");
        assert_eq!(slug("???"), "journey-map");
        assert_eq!(slug(""), "journey-map");
        assert_eq!(slug(&"a".repeat(200)).len(), MAX_CHARS);
    }
}
