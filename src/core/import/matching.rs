//! Linking imported feedback to a map's touchpoints. A touchpoint's
//! `feedback_key` names the value the survey tool writes for it; values that
//! match no key can be assigned by hand, and those assignments ("aliases")
//! are kept per map so the next export of the same survey links by itself.

use std::collections::{BTreeMap, HashMap};

use serde::{Deserialize, Serialize};

use super::dataset::{ColumnData, Dataset, MISSING};
use super::roles::Role;
use crate::analytics::{summaries_by, Summary};
use crate::model::{Id, JourneyMap};

/// Hand-made assignments: [`normalise`]d file value → touchpoint id.
pub type Aliases = BTreeMap<String, Id>;

/// Survey tools differ in case and stray spaces, never in meaning.
pub fn normalise(value: &str) -> String {
    value.trim().to_lowercase()
}

/// The columns whose values can name a touchpoint, in the order they are
/// consulted for a row: the most specific first.
pub const LINKING_ROLES: [Role; 3] = [Role::Touchpoint, Role::Channel, Role::Stage];

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ValueMatch {
    pub role: Role,
    pub value: String,
    /// Rows carrying this value.
    pub rows: usize,
    pub touchpoint: Option<Id>,
    /// Linked through an alias rather than the feedback key.
    pub by_alias: bool,
}

struct Lookup<'a> {
    keys: HashMap<String, &'a Id>,
    aliases: &'a Aliases,
    known: Vec<&'a Id>,
}

impl<'a> Lookup<'a> {
    fn new(map: &'a JourneyMap, aliases: &'a Aliases) -> Self {
        let keys = map
            .touchpoints
            .iter()
            .filter(|t| !t.feedback_key.trim().is_empty())
            .map(|t| (normalise(&t.feedback_key), &t.id))
            .collect();
        let known = map.touchpoints.iter().map(|t| &t.id).collect();
        Lookup {
            keys,
            aliases,
            known,
        }
    }

    /// The touchpoint a value names, and whether through an alias. A key
    /// wins over an alias; an alias to a deleted touchpoint is ignored.
    fn find(&self, value: &str) -> Option<(&'a Id, bool)> {
        let value = normalise(value);
        if let Some(id) = self.keys.get(&value) {
            return Some((id, false));
        }
        let id = self.aliases.get(&value)?;
        self.known.iter().find(|k| **k == id).map(|k| (*k, true))
    }
}

pub(crate) fn categories(data: &Dataset, role: Role) -> Option<(&[u32], &[String])> {
    match data.column(role).map(|c| &c.data) {
        Some(ColumnData::Category { codes, dictionary }) => Some((codes, dictionary)),
        _ => None,
    }
}

/// Every value of the linking columns with the touchpoint it names, if any.
/// Never inlined, like [`crate::analytics::metrics`].
#[inline(never)]
pub fn match_values(data: &Dataset, map: &JourneyMap, aliases: &Aliases) -> Vec<ValueMatch> {
    let lookup = Lookup::new(map, aliases);
    let mut out = Vec::new();
    for role in LINKING_ROLES {
        let Some((codes, dictionary)) = categories(data, role) else {
            continue;
        };
        let mut counts = vec![0usize; dictionary.len()];
        for &c in codes.iter().filter(|&&c| c != MISSING) {
            counts[c as usize] += 1;
        }
        for (value, rows) in dictionary.iter().zip(counts) {
            let found = lookup.find(value);
            out.push(ValueMatch {
                role,
                value: value.clone(),
                rows,
                touchpoint: found.map(|(id, _)| id.clone()),
                by_alias: found.is_some_and(|(_, alias)| alias),
            });
        }
    }
    out
}

/// The touchpoint each row links to, as an index into `map.touchpoints`, or
/// [`MISSING`]. A row belongs to the touchpoint named by its touchpoint
/// column, else its channel column, else its stage column. Empty when no
/// value of the file names a touchpoint (a map without feedback keys, say).
pub fn touchpoint_of_rows(data: &Dataset, map: &JourneyMap, aliases: &Aliases) -> Vec<u32> {
    let lookup = Lookup::new(map, aliases);
    let index: HashMap<&Id, u32> = map
        .touchpoints
        .iter()
        .enumerate()
        .map(|(i, t)| (&t.id, i as u32))
        .collect();
    let columns: Vec<(&[u32], Vec<u32>)> = LINKING_ROLES
        .iter()
        .filter_map(|&role| categories(data, role))
        .map(|(codes, dictionary)| {
            let target = dictionary
                .iter()
                .map(|v| lookup.find(v).map_or(MISSING, |(id, _)| index[id]))
                .collect();
            (codes, target)
        })
        .collect();
    // No value names a touchpoint: no row links, and the passes below
    // would only find that out.
    if columns
        .iter()
        .all(|(_, target)| target.iter().all(|&t| t == MISSING))
    {
        return Vec::new();
    }
    // A column at a time, each filling the rows the columns before it left
    // unlinked: a plain loop per column, where a search through the columns
    // for every row took a good part of the time to show the results.
    let mut group = vec![MISSING; data.rows()];
    for (codes, target) in &columns {
        for (g, &c) in group.iter_mut().zip(codes.iter()) {
            if *g == MISSING && c != MISSING {
                *g = target.get(c as usize).copied().unwrap_or(MISSING);
            }
        }
    }
    group
}

/// Metrics for each of the map's touchpoints that some rows link to, in the
/// map's touchpoint order, rows linked as [`touchpoint_of_rows`] says.
/// Never inlined, like [`crate::analytics::metrics`].
#[inline(never)]
pub fn touchpoint_metrics(
    data: &Dataset,
    map: &JourneyMap,
    aliases: &Aliases,
) -> Vec<(Id, Summary)> {
    let group = touchpoint_of_rows(data, map, aliases);
    if group.is_empty() {
        return Vec::new();
    }
    let mut linked = vec![false; map.touchpoints.len()];
    for &g in group.iter().filter(|&&g| g != MISSING) {
        linked[g as usize] = true;
    }
    summaries_by(data, &group, map.touchpoints.len())
        .into_iter()
        .zip(&map.touchpoints)
        .zip(linked)
        .filter(|(_, linked)| *linked)
        .map(|((summary, t), _)| (t.id.clone(), summary))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::{import, ImportOptions};
    use crate::model::Touchpoint;

    fn map_with_keys(keys: &[(&str, &str)]) -> JourneyMap {
        let mut map = JourneyMap::new(Id::new("m"), "Test", 0.0);
        for (id, key) in keys {
            map.touchpoints.push(Touchpoint {
                id: Id::new(*id),
                name: (*id).into(),
                feedback_key: (*key).into(),
                ..Touchpoint::default()
            });
        }
        map
    }

    fn data(csv: &str) -> Dataset {
        import(csv.as_bytes().to_vec(), ImportOptions::default()).unwrap()
    }

    const FILE: &str = "Touchpoint,Channel,NPS\n\
                        Checkout ,web,10\n\
                        checkout,web,0\n\
                        Live chat,chat,9\n\
                        ,store,10\n\
                        Returns,email,3\n";

    #[test]
    fn keys_match_ignoring_case_and_spaces() {
        let map = map_with_keys(&[("t1", "CHECKOUT"), ("t2", "store")]);
        let matches = match_values(&data(FILE), &map, &Aliases::new());
        let find = |v: &str| matches.iter().find(|m| m.value == v).unwrap();
        assert_eq!(find("Checkout").touchpoint, Some(Id::new("t1")));
        assert_eq!(find("checkout").touchpoint, Some(Id::new("t1")));
        assert_eq!(find("checkout").rows, 1);
        assert_eq!(find("store").touchpoint, Some(Id::new("t2")));
        assert_eq!(find("Live chat").touchpoint, None);
        assert!(!find("Checkout").by_alias);
    }

    #[test]
    fn aliases_link_unmatched_values_but_never_to_deleted_touchpoints() {
        let map = map_with_keys(&[("t1", "checkout"), ("t2", "")]);
        let aliases = Aliases::from([
            ("live chat".to_owned(), Id::new("t2")),
            ("returns".to_owned(), Id::new("gone")),
        ]);
        let matches = match_values(&data(FILE), &map, &aliases);
        let find = |v: &str| matches.iter().find(|m| m.value == v).unwrap();
        assert_eq!(find("Live chat").touchpoint, Some(Id::new("t2")));
        assert!(find("Live chat").by_alias);
        assert_eq!(find("Returns").touchpoint, None);
    }

    #[test]
    fn rows_fall_back_from_touchpoint_to_channel() {
        let map = map_with_keys(&[("t1", "checkout"), ("t2", "store"), ("t3", "unused")]);
        let metrics = touchpoint_metrics(&data(FILE), &map, &Aliases::new());
        assert_eq!(metrics.len(), 2, "unlinked touchpoints are left out");
        let (id, checkout) = &metrics[0];
        assert_eq!(id, &Id::new("t1"));
        let nps = checkout.nps.as_ref().unwrap();
        assert_eq!((nps.n, nps.promoters, nps.detractors), (2, 1, 1));
        let (id, store) = &metrics[1];
        assert_eq!(id, &Id::new("t2"));
        assert_eq!(store.nps.as_ref().unwrap().score, 100.0);
    }

    #[test]
    fn no_metrics_when_no_value_links() {
        let blank = map_with_keys(&[]);
        assert!(touchpoint_metrics(&data(FILE), &blank, &Aliases::new()).is_empty());
        let unmatched = map_with_keys(&[("t1", "nowhere"), ("t2", "")]);
        assert!(touchpoint_metrics(&data(FILE), &unmatched, &Aliases::new()).is_empty());
    }

    #[test]
    fn a_key_and_an_alias_pool_into_one_touchpoint() {
        let map = map_with_keys(&[("t1", "checkout")]);
        let aliases = Aliases::from([("returns".to_owned(), Id::new("t1"))]);
        let metrics = touchpoint_metrics(&data(FILE), &map, &aliases);
        assert_eq!(metrics[0].1.nps.as_ref().unwrap().n, 3);
    }
}
