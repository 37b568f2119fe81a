//! Views are addressed by `location.hash`, never by path: a hash works from
//! `file://` and under any sub-path without a server rewriting URLs, so deep
//! links survive GitHub Pages and the single-file build alike.

use crate::model::Id;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Route {
    Library,
    Map(Id),
    /// Importing feedback into a map, and the datasets it already has.
    Import(Id),
    /// A map's insights dashboard: its charts under the map's filter.
    Insights(Id),
    /// The voice of the customer on a map: its friction hotspots, its
    /// comments, or the customers to call back, under the map's filter.
    Voice(Id, Voice),
    /// The workspace personas, optionally with one of them open for
    /// editing; the open persona is in the link so a map can point at it.
    Personas(Option<Id>),
    /// A map carried inside the link itself (see
    /// `waymark_core::formats::share`), shown read-only. The payload is kept
    /// as written: whether it holds a map is decided when it is decoded, so
    /// a damaged link still reaches a page that says what is wrong with it.
    Share(String),
    /// A hash that names nothing; shown as such rather than silently
    /// redirected, so a broken shared link is noticed.
    NotFound(String),
}

impl Route {
    /// Parses `location.hash` (with or without the leading `#`).
    pub fn parse(hash: &str) -> Route {
        let path = hash.trim_start_matches('#').trim_start_matches('/');
        // Before the `?` and `/` splitting below: a payload is one opaque
        // token, and a damaged one must still reach the share page.
        if let Some(payload) = path.strip_prefix("share/") {
            return Route::Share(payload.trim_end_matches('/').to_owned());
        }
        // The part after `?` is the view's filter ([`MapFilter`]), not its
        // address.
        let path = path.split_once('?').map_or(path, |(p, _)| p);
        let parts: Vec<&str> = path.split('/').filter(|p| !p.is_empty()).collect();
        match parts.as_slice() {
            [] => Route::Library,
            ["map", id] if is_id(id) => Route::Map(Id::new(*id)),
            ["map", id, "import"] if is_id(id) => Route::Import(Id::new(*id)),
            ["map", id, "insights"] if is_id(id) => Route::Insights(Id::new(*id)),
            ["map", id, page] if is_id(id) => {
                match Voice::ALL.into_iter().find(|v| v.slug() == *page) {
                    Some(voice) => Route::Voice(Id::new(*id), voice),
                    None => Route::NotFound(hash.to_owned()),
                }
            }
            ["personas"] => Route::Personas(None),
            ["personas", id] if is_id(id) => Route::Personas(Some(Id::new(*id))),
            _ => Route::NotFound(hash.to_owned()),
        }
    }

    pub fn hash(&self) -> String {
        match self {
            Route::Library => "#/".into(),
            Route::Map(id) => format!("#/map/{id}"),
            Route::Import(id) => format!("#/map/{id}/import"),
            Route::Insights(id) => format!("#/map/{id}/insights"),
            Route::Voice(id, voice) => format!("#/map/{id}/{}", voice.slug()),
            Route::Personas(None) => "#/personas".into(),
            Route::Personas(Some(id)) => format!("#/personas/{id}"),
            Route::Share(payload) => format!("#/share/{payload}"),
            Route::NotFound(raw) => raw.clone(),
        }
    }
}

/// The pages of [`Route::Voice`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Voice {
    Hotspots,
    Comments,
    FollowUps,
}

impl Voice {
    pub const ALL: [Voice; 3] = [Voice::Hotspots, Voice::Comments, Voice::FollowUps];

    pub fn slug(self) -> &'static str {
        match self {
            Voice::Hotspots => "hotspots",
            Voice::Comments => "comments",
            Voice::FollowUps => "follow-ups",
        }
    }

    pub fn title(self) -> &'static str {
        match self {
            Voice::Hotspots => "Friction hotspots",
            Voice::Comments => "Comments",
            Voice::FollowUps => "Follow-ups",
        }
    }
}

/// What a map's figures are filtered by, kept in the link after `?` so a
/// filtered view (of the map or its dashboard) can be bookmarked and
/// shared with whoever has the same data. Dates are `YYYY-MM-DD`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct MapFilter {
    /// Datasets left out of the figures (all attached ones count by
    /// default, so a new import shows at once).
    pub hidden: Vec<String>,
    pub from: Option<String>,
    pub to: Option<String>,
    /// A persona, whose segment key selects the rows.
    pub persona: Option<Id>,
    /// A segment value typed or picked directly.
    pub segment: Option<String>,
    pub channel: Option<Id>,
}

impl MapFilter {
    /// Reads the part of `hash` after `?`; unknown keys and malformed
    /// values are ignored, never fatal, since a link may be hand-edited.
    pub fn parse(hash: &str) -> MapFilter {
        let mut f = MapFilter::default();
        let Some((_, query)) = hash.split_once('?') else {
            return f;
        };
        for pair in query.split('&') {
            let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
            let value = decode(value);
            if value.is_empty() {
                continue;
            }
            match key {
                "hide" => {
                    f.hidden = value
                        .split(',')
                        .filter(|v| !v.is_empty())
                        .map(str::to_owned)
                        .collect()
                }
                "from" if is_day(&value) => f.from = Some(value),
                "to" if is_day(&value) => f.to = Some(value),
                "persona" if is_id(&value) => f.persona = Some(Id::new(value)),
                "segment" => f.segment = Some(value),
                "channel" if is_id(&value) => f.channel = Some(Id::new(value)),
                _ => {}
            }
        }
        f
    }

    /// The `?…` suffix for a link; empty when nothing is filtered.
    pub fn query(&self) -> String {
        let mut parts = Vec::new();
        if !self.hidden.is_empty() {
            parts.push(format!("hide={}", encode(&self.hidden.join(","))));
        }
        let mut push = |key: &str, value: &Option<String>| {
            if let Some(v) = value {
                parts.push(format!("{key}={}", encode(v)));
            }
        };
        push("from", &self.from);
        push("to", &self.to);
        push("persona", &self.persona.as_ref().map(|p| p.to_string()));
        push("segment", &self.segment);
        push("channel", &self.channel.as_ref().map(|c| c.to_string()));
        if parts.is_empty() {
            String::new()
        } else {
            format!("?{}", parts.join("&"))
        }
    }

    pub fn is_empty(&self) -> bool {
        *self == MapFilter::default()
    }
}

fn is_day(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit())
}

/// Percent-encodes everything but unreserved characters, so any segment
/// text survives the link.
fn encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b',' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

fn decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        let hex = |c: u8| (c as char).to_digit(16);
        match (
            b[i],
            b.get(i + 1).copied().and_then(hex),
            b.get(i + 2).copied().and_then(hex),
        ) {
            (b'%', Some(h), Some(l)) => {
                out.push((h * 16 + l) as u8);
                i += 3;
            }
            (b'+', _, _) => {
                out.push(b' ');
                i += 1;
            }
            (c, _, _) => {
                out.push(c);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Map and persona ids are generated by Waymark from `[A-Za-z0-9_-]`; anything else in
/// a link was not made by us.
fn is_id(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 64
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

// Native only: proptest has no wasm32 backend here.
#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn parses_the_views() {
        assert_eq!(Route::parse(""), Route::Library);
        assert_eq!(Route::parse("#"), Route::Library);
        assert_eq!(Route::parse("#/"), Route::Library);
        assert_eq!(Route::parse("#/map/m-1x"), Route::Map(Id::new("m-1x")));
        assert_eq!(Route::parse("#/map/m-1x/"), Route::Map(Id::new("m-1x")));
        assert!(matches!(Route::parse("#/map/<script>"), Route::NotFound(_)));
        assert!(matches!(Route::parse("#/nope"), Route::NotFound(_)));
        assert_eq!(
            Route::parse("#/map/m-1x/insights?from=2024-01-01"),
            Route::Insights(Id::new("m-1x"))
        );
        assert_eq!(
            Route::parse("#/map/m-1x/follow-ups?from=2024-01-01"),
            Route::Voice(Id::new("m-1x"), Voice::FollowUps)
        );
        assert!(matches!(
            Route::parse("#/map/m-1x/elsewhere"),
            Route::NotFound(_)
        ));
        assert_eq!(
            Route::parse("#/map/m-1x/hotspots"),
            Route::Voice(Id::new("m-1x"), Voice::Hotspots)
        );
        let f =
            MapFilter::parse("#/map/m?from=2024-01-01&to=bad&segment=New%20%26%20returning&x=1");
        assert_eq!(f.from.as_deref(), Some("2024-01-01"));
        assert_eq!(
            (f.to, f.segment.as_deref()),
            (None, Some("New & returning"))
        );
        assert!(MapFilter::parse("#/map/m").is_empty());
        assert_eq!(MapFilter::default().query(), "");
        assert_eq!(
            Route::parse("#/map/m-1x/import"),
            Route::Import(Id::new("m-1x"))
        );
        assert!(matches!(
            Route::parse("#/map/m-1x/export"),
            Route::NotFound(_)
        ));
        assert_eq!(Route::parse("#/personas"), Route::Personas(None));
        assert_eq!(Route::parse("#/personas/"), Route::Personas(None));
        assert_eq!(
            Route::parse("#/personas/wp-1x"),
            Route::Personas(Some(Id::new("wp-1x")))
        );
        assert!(matches!(Route::parse("#/personas/a b"), Route::NotFound(_)));
        assert!(matches!(
            Route::parse("#/personas/wp-1/edit"),
            Route::NotFound(_)
        ));
    }

    #[test]
    fn share_links_keep_their_payload_whole() {
        assert_eq!(
            Route::parse("#/share/eJyrVkrLz1eyUkpKLFKqBQAZ4AQt"),
            Route::Share("eJyrVkrLz1eyUkpKLFKqBQAZ4AQt".into())
        );
        // Garbage is still a share link: its page says the payload is damaged.
        assert_eq!(
            Route::parse("#/share/not a?payload/at=all"),
            Route::Share("not a?payload/at=all".into())
        );
        assert_eq!(Route::parse("#/share/"), Route::Share(String::new()));
        assert_eq!(Route::parse("/share/abc/"), Route::Share("abc".into()));
        assert!(matches!(Route::parse("#/share"), Route::NotFound(_)));
    }

    proptest! {
        #[test]
        fn share_routes_round_trip(payload in "[A-Za-z0-9_-]{0,200}") {
            let route = Route::Share(payload);
            prop_assert_eq!(Route::parse(&route.hash()), route);
        }

        #[test]
        fn map_routes_round_trip(id in "[A-Za-z0-9_-]{1,64}") {
            let route = Route::Map(Id::new(id.clone()));
            prop_assert_eq!(Route::parse(&route.hash()), route);
            let route = Route::Import(Id::new(id.clone()));
            prop_assert_eq!(Route::parse(&route.hash()), route);
            let route = Route::Insights(Id::new(id.clone()));
            prop_assert_eq!(Route::parse(&route.hash()), route);
            for voice in Voice::ALL {
                let route = Route::Voice(Id::new(id.clone()), voice);
                prop_assert_eq!(Route::parse(&route.hash()), route);
            }
            let route = Route::Personas(Some(Id::new(id)));
            prop_assert_eq!(Route::parse(&route.hash()), route);
            let route = Route::Personas(None);
            prop_assert_eq!(Route::parse(&route.hash()), route);
        }

        #[test]
        fn any_hash_parses_without_panicking(hash in ".*") {
            let _ = Route::parse(&hash);
            let _ = MapFilter::parse(&hash);
        }

        #[test]
        fn filters_round_trip(
            segment in ".{1,20}",
            hidden in prop::collection::vec("[a-z0-9-]{1,8}", 0..3),
            day in "20[0-9]{2}-[01][0-9]-[0-3][0-9]",
        ) {
            let f = MapFilter {
                hidden,
                from: Some(day.clone()),
                to: None,
                persona: Some(Id::new("p-1")),
                segment: Some(segment),
                channel: Some(Id::new("ch-2")),
            };
            let hash = format!("{}{}", Route::Map(Id::new("m-1")).hash(), f.query());
            prop_assert_eq!(Route::parse(&hash), Route::Map(Id::new("m-1")));
            prop_assert_eq!(MapFilter::parse(&hash), f);
        }
    }
}
