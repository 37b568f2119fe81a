//! Imported feedback datasets, kept apart from maps: a dataset can be tens of
//! megabytes, far beyond localStorage's quota, so the browser side stores
//! them in IndexedDB (`datasets_idb`). What can be decided without a browser
//! lives here: the catalogue entry of a dataset, recognising a re-imported
//! file by its content hash, and each map's value-to-touchpoint aliases
//! (small, so they sit in localStorage next to the map).

use serde::{Deserialize, Serialize};

use super::{KeyValue, StoreError, PREFIX};
use crate::import::matching::{normalise, Aliases};
use crate::import::SourceInfo;
use crate::insights::journey::ChannelLinks;
use crate::model::Id;

/// A 64-bit content hash, eight bytes per round (a 60 MB file hashes in a
/// few milliseconds even in wasm). It recognises the same file imported
/// again; it is not meant to resist deliberate collisions.
pub fn content_hash(bytes: &[u8]) -> u64 {
    let mut hasher = ContentHasher::new(bytes.len());
    hasher.update(bytes);
    hasher.finish()
}

/// [`content_hash`] over a file read in chunks of any size. The length
/// enters first, so it is given up front (a `File` knows its size).
#[derive(Clone)]
pub struct ContentHasher {
    h: u64,
    /// Bytes of a word cut at the end of the last chunk.
    partial: [u8; 8],
    filled: usize,
}

const K1: u64 = 0x9E37_79B1_85EB_CA87;
const K2: u64 = 0xC2B2_AE3D_27D4_EB4F;

fn round(h: u64, w: u64) -> u64 {
    (h ^ w.wrapping_mul(K2).rotate_left(31).wrapping_mul(K1))
        .rotate_left(27)
        .wrapping_mul(K1)
        .wrapping_add(K2)
}

impl ContentHasher {
    pub fn new(len: usize) -> Self {
        ContentHasher {
            h: (len as u64).wrapping_mul(K1),
            partial: [0; 8],
            filled: 0,
        }
    }

    pub fn update(&mut self, mut bytes: &[u8]) {
        if self.filled > 0 {
            let n = (8 - self.filled).min(bytes.len());
            self.partial[self.filled..self.filled + n].copy_from_slice(&bytes[..n]);
            self.filled += n;
            bytes = &bytes[n..];
            if self.filled < 8 {
                return;
            }
            self.h = round(self.h, u64::from_le_bytes(self.partial));
            self.filled = 0;
        }
        let mut words = bytes.chunks_exact(8);
        for w in &mut words {
            self.h = round(
                self.h,
                u64::from_le_bytes(w.try_into().expect("chunks of 8")),
            );
        }
        let tail = words.remainder();
        self.partial[..tail.len()].copy_from_slice(tail);
        self.filled = tail.len();
    }

    pub fn finish(self) -> u64 {
        let mut h = self.h;
        if self.filled > 0 {
            let mut last = [0u8; 8];
            last[..self.filled].copy_from_slice(&self.partial[..self.filled]);
            h = round(h, u64::from_le_bytes(last) ^ self.filled as u64);
        }
        // splitmix64's finaliser: every input bit reaches every output bit.
        h ^= h >> 30;
        h = h.wrapping_mul(0xBF58_476D_1CE4_E5B9);
        h ^= h >> 27;
        h = h.wrapping_mul(0x94D0_49BB_1331_11EB);
        h ^ (h >> 31)
    }

    /// The hash as stored; see [`hash_hex`].
    pub fn finish_hex(self) -> String {
        format!("{:016x}", self.finish())
    }
}

/// The hash as stored: hex, because JavaScript numbers hold only 53 bits.
pub fn hash_hex(bytes: &[u8]) -> String {
    format!("{:016x}", content_hash(bytes))
}

/// [`hash_hex`] of a file from the chunks an import reads, each with its
/// offset. Reading may start over from an earlier offset (a file imported
/// again in another encoding): bytes already hashed are skipped, so the
/// hash is that of the file however often parts of it were read.
#[derive(Clone)]
pub struct FileHasher {
    hasher: ContentHasher,
    len: usize,
    /// Bytes hashed so far, all from the start of the file.
    hashed: usize,
}

impl FileHasher {
    pub fn new(len: usize) -> Self {
        FileHasher {
            hasher: ContentHasher::new(len),
            len,
            hashed: 0,
        }
    }

    /// Hashes what `chunk`, read from `offset`, adds to the bytes hashed so
    /// far. A chunk past them (a gap) is left out, and the hash then never
    /// completes.
    pub fn feed(&mut self, offset: usize, chunk: &[u8]) {
        if offset > self.hashed {
            return;
        }
        let end = (offset + chunk.len()).min(self.len);
        if end > self.hashed {
            self.hasher
                .update(&chunk[self.hashed - offset..end - offset]);
            self.hashed = end;
        }
    }

    /// Bytes hashed so far, all from the start of the file.
    pub fn hashed(&self) -> usize {
        self.hashed
    }

    /// The hash, once every byte of the file went through
    /// [`FileHasher::feed`].
    pub fn hex(&self) -> Option<String> {
        (self.hashed == self.len).then(|| self.hasher.clone().finish_hex())
    }
}

/// A stored dataset's catalogue entry: everything a list needs, so listing
/// never loads the data itself.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DatasetMeta {
    pub id: String,
    pub map: Id,
    /// Shown in lists; starts as the file name, the user may rename it.
    pub name: String,
    pub file_name: String,
    /// [`hash_hex`] of the file as picked, before any decoding.
    pub hash: String,
    pub file_bytes: usize,
    pub created_ms: f64,
    pub source: SourceInfo,
    pub problems: usize,
}

/// A dataset of `map` imported earlier from the same bytes, if any.
pub fn same_file<'a>(stored: &'a [DatasetMeta], map: &Id, hash: &str) -> Option<&'a DatasetMeta> {
    stored.iter().find(|d| &d.map == map && d.hash == hash)
}

/// Newest first, as a list of imports reads best.
pub fn sort_for_listing(stored: &mut [DatasetMeta]) {
    stored.sort_by(|a, b| b.created_ms.total_cmp(&a.created_ms));
}

pub fn aliases_key(map: &Id) -> String {
    format!("{PREFIX}aliases.{map}")
}

/// Where a map's links from file channel values to its lanes are kept.
pub fn channel_links_key(map: &Id) -> String {
    format!("{PREFIX}channel-links.{map}")
}

/// A map's saved links under `key`; none when never saved. A stored value
/// that does not parse is reported rather than treated as empty, so the
/// next save cannot silently overwrite something the user made.
fn load_links(store: &impl KeyValue, key: &str, what: &str) -> Result<Aliases, String> {
    match store.get(key).map_err(|e| e.to_string())? {
        None => Ok(Aliases::new()),
        Some(raw) => {
            serde_json::from_str(&raw).map_err(|e| format!("the saved {what} cannot be read ({e})"))
        }
    }
}

fn save_links(store: &mut impl KeyValue, key: &str, links: &Aliases) -> Result<(), StoreError> {
    let raw = serde_json::to_string(links).expect("string keys and ids always serialise");
    store.set(key, &raw)
}

/// Links a file value ([`normalise`]d) to `target`, or unlinks it: the one
/// way touchpoint aliases and channel links change.
pub fn set_link(links: &mut Aliases, value: &str, target: Option<Id>) {
    let key = normalise(value);
    match target {
        Some(id) => {
            links.insert(key, id);
        }
        None => {
            links.remove(&key);
        }
    }
}

/// The map's touchpoint aliases (file value → touchpoint).
pub fn load_aliases(store: &impl KeyValue, map: &Id) -> Result<Aliases, String> {
    load_links(store, &aliases_key(map), "touchpoint assignments")
}

pub fn save_aliases(
    store: &mut impl KeyValue,
    map: &Id,
    aliases: &Aliases,
) -> Result<(), StoreError> {
    save_links(store, &aliases_key(map), aliases)
}

/// The map's channel links (file channel value → lane).
pub fn load_channel_links(store: &impl KeyValue, map: &Id) -> Result<ChannelLinks, String> {
    load_links(store, &channel_links_key(map), "channel links")
}

pub fn save_channel_links(
    store: &mut impl KeyValue,
    map: &Id,
    links: &ChannelLinks,
) -> Result<(), StoreError> {
    save_links(store, &channel_links_key(map), links)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::storage::MemoryStore;

    #[test]
    fn hash_tells_files_apart_and_is_stable() {
        let a = b"Touchpoint,NPS\ncheckout,10\n".to_vec();
        let mut b = a.clone();
        b[20] ^= 1;
        assert_eq!(content_hash(&a), content_hash(&a.clone()));
        assert_ne!(content_hash(&a), content_hash(&b));
        assert_ne!(content_hash(b""), content_hash(b"\0"));
        assert_ne!(content_hash(b"\0"), content_hash(b"\0\0"));
        // Pinned: stored hashes must keep meaning the same file.
        assert_eq!(hash_hex(b"waymark"), "b71c25b867192573");
    }

    #[test]
    fn hashing_in_chunks_of_any_size_agrees() {
        let file: Vec<u8> = (0..100u8).map(|b| b.wrapping_mul(37)).collect();
        for len in [0, 1, 7, 8, 9, 63, 100] {
            let whole = content_hash(&file[..len]);
            for size in 1..=20 {
                let mut hasher = ContentHasher::new(len);
                for chunk in file[..len].chunks(size) {
                    hasher.update(chunk);
                }
                assert_eq!(hasher.finish(), whole, "{len} bytes in chunks of {size}");
            }
        }
    }

    #[test]
    fn a_file_read_again_from_the_start_hashes_once() {
        let file: Vec<u8> = (0..1000u32).map(|i| (i * 7 % 251) as u8).collect();
        let whole = hash_hex(&file);

        let mut hasher = FileHasher::new(file.len());
        hasher.feed(0, &file[..300]);
        assert_eq!(hasher.hex(), None, "not all of it yet");
        hasher.feed(0, &file[..300]);
        hasher.feed(300, &file[300..600]);
        // Read again from the start, in other chunk sizes.
        for (from, to) in [(0, 128), (128, 700), (700, 1000)] {
            hasher.feed(from, &file[from..to]);
        }
        assert_eq!(hasher.hex(), Some(whole.clone()));
        hasher.feed(0, &file[..10]);
        assert_eq!(hasher.hex(), Some(whole.clone()), "complete stays complete");

        let mut gap = FileHasher::new(file.len());
        gap.feed(0, &file[..100]);
        gap.feed(200, &file[200..]);
        assert_eq!(gap.hex(), None, "a gap is never papered over");
        gap.feed(100, &file[100..300]);
        gap.feed(300, &file[300..]);
        assert_eq!(gap.hex(), Some(whole));

        let mut empty = FileHasher::new(0);
        assert_eq!(empty.hex(), Some(hash_hex(b"")));
        empty.feed(0, b"");
        assert_eq!(empty.hex(), Some(hash_hex(b"")));
    }

    #[test]
    fn every_bit_of_a_long_file_counts() {
        let base = vec![7u8; 1027];
        let h = content_hash(&base);
        for i in [0, 7, 8, 512, 1023, 1024, 1026] {
            let mut changed = base.clone();
            changed[i] ^= 0x80;
            assert_ne!(content_hash(&changed), h, "byte {i}");
        }
    }

    fn meta(id: &str, map: &str, hash: &str, created_ms: f64) -> DatasetMeta {
        DatasetMeta {
            id: id.into(),
            map: Id::new(map),
            name: id.into(),
            file_name: format!("{id}.csv"),
            hash: hash.into(),
            file_bytes: 10,
            created_ms,
            source: SourceInfo {
                encoding: "utf-8".into(),
                delimiter: Some(",".into()),
                layout: "generic".into(),
                header_rows: 1,
                rows: 1,
                skipped: 0,
                sheets: Vec::new(),
                sheet: None,
            },
            problems: 0,
        }
    }

    #[test]
    fn same_file_is_recognised_per_map() {
        let stored = [meta("a", "m1", "h1", 1.0), meta("b", "m2", "h2", 2.0)];
        assert_eq!(same_file(&stored, &Id::new("m1"), "h1").unwrap().id, "a");
        assert!(same_file(&stored, &Id::new("m2"), "h1").is_none());
        let mut list = stored.to_vec();
        sort_for_listing(&mut list);
        assert_eq!(list[0].id, "b");
    }

    #[test]
    fn aliases_round_trip_and_corruption_is_reported() {
        let mut store = MemoryStore::new();
        let map = Id::new("m1");
        assert_eq!(load_aliases(&store, &map).unwrap(), Aliases::new());
        let aliases = Aliases::from([("live chat".to_owned(), Id::new("t2"))]);
        save_aliases(&mut store, &map, &aliases).unwrap();
        assert_eq!(load_aliases(&store, &map).unwrap(), aliases);
        store.set(&aliases_key(&map), "{not json").unwrap();
        assert!(load_aliases(&store, &map)
            .unwrap_err()
            .contains("cannot be read"));
    }

    #[test]
    fn channel_links_are_kept_apart_from_aliases_and_change_by_normalised_value() {
        let mut store = MemoryStore::new();
        let map = Id::new("m1");
        let mut links = ChannelLinks::new();
        set_link(&mut links, " WEB ", Some(Id::new("ch-2")));
        assert_eq!(links.get("web"), Some(&Id::new("ch-2")));
        save_channel_links(&mut store, &map, &links).unwrap();
        assert_eq!(load_channel_links(&store, &map).unwrap(), links);
        assert_eq!(load_aliases(&store, &map).unwrap(), Aliases::new());
        set_link(&mut links, "Web", None);
        assert!(links.is_empty());
        store.set(&channel_links_key(&map), "[1,").unwrap();
        assert!(load_channel_links(&store, &map)
            .unwrap_err()
            .contains("channel links cannot be read"));
    }
}
