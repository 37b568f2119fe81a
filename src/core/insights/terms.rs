//! Complaint terms: the words and two-word phrases that set a group of
//! comments (the negative comments at one touchpoint) apart from the rest
//! of the journey's comments.
//!
//! A comment is read in lowercase and split into words of letters, digits
//! and apostrophes inside a word (`didn't` is one word, `'quoted'` is
//! `quoted`, `driver's` is `driver`). Stop words, numbers and
//! one-character words are left out; negations ("not", "never") only
//! start phrases (`stopwords.txt` beside this file says why). A phrase is
//! two kept words next to each other with nothing but white space or a
//! hyphen between them: a full stop or a comma ends a thought, so "slow.
//! Staff" is no phrase. Scripts written without spaces come out as one word per
//! run of letters, which is all a word list can do for them.
//!
//! A term counts once per comment it is in, so one comment repeating
//! "rude" ten times does not outweigh ten comments saying it once. The
//! score is how many times more often comments of the group hold the term
//! than the rest do, each share smoothed by half a comment:
//! `((a + ½) / (A + 1)) / ((b + ½) / (B + 1))` for `a` of `A` group
//! comments and `b` of `B` others. The smoothing keeps a term absent from
//! the rest finite, and ranks "in 12 of 40, never elsewhere" above "in 1
//! of 2, never elsewhere".

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::OnceLock;

use serde::Serialize;

/// Terms listed per group.
pub const TOP_TERMS: usize = 10;
/// Groups smaller than this list terms from a single comment; larger ones
/// need a term in two, as one comment's wording is anecdote once there are
/// others to compare it with.
pub const SMALL_GROUP: u32 = 5;

/// A term of a group with the counts behind its score, so it can be shown
/// as "in 12 of 40 negative comments here, 2 % elsewhere".
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Term {
    pub text: String,
    /// Comments of the group holding it (`a`), of `group` (`A`).
    pub here: u32,
    pub group: u32,
    /// Other comments holding it (`b`), of `rest` (`B`).
    pub elsewhere: u32,
    pub rest: u32,
    pub score: f64,
}

/// How a word takes part in terms.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    /// A stop word, number or single character: no term, and no phrase
    /// across it.
    Dropped,
    /// Starts phrases only.
    Negation,
    Word,
}

/// The stop-word list, parsed once.
fn stop_words() -> &'static HashMap<&'static str, Kind> {
    static WORDS: OnceLock<HashMap<&'static str, Kind>> = OnceLock::new();
    WORDS.get_or_init(|| {
        include_str!("stopwords.txt")
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .map(|l| match l.strip_prefix('!') {
                Some(word) => (word, Kind::Negation),
                None => (l, Kind::Dropped),
            })
            .collect()
    })
}

/// FxHash's step (as rustc-hash 2 has it). Every word of every comment is
/// looked up once; with the standard library's SipHash, which guards
/// against crafted keys that a user's own survey export does not hold,
/// indexing 500 000 comments took half as long again.
#[derive(Clone, Copy, Default)]
struct Fx(u64);

impl Fx {
    fn add(&mut self, n: u64) {
        self.0 = self.0.wrapping_add(n).wrapping_mul(0xf135_7aea_2e62_a9c5);
    }
}

impl Hasher for Fx {
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            let mut word = [0; 8];
            word.copy_from_slice(c);
            self.add(u64::from_le_bytes(word));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut word = [0; 8];
            word[..rest.len()].copy_from_slice(rest);
            self.add(u64::from_le_bytes(word));
        }
    }

    fn write_u8(&mut self, n: u8) {
        self.add(u64::from(n));
    }

    fn write_u64(&mut self, n: u64) {
        self.add(n);
    }

    /// The product's best-mixed bits are its highest; the table picks a
    /// bucket by the lowest, so they are rotated down (else packed words
    /// beginning with the same letters would share buckets).
    fn finish(&self) -> u64 {
        self.0.rotate_left(26)
    }
}

type FastMap<K, V> = HashMap<K, V, BuildHasherDefault<Fx>>;

/// What a word as written (lowercase) stands for.
#[derive(Clone, Copy, Debug)]
struct Entry {
    /// Its number; [`NONE`] for a dropped word.
    id: u32,
    kind: Kind,
}

const NONE: u32 = u32::MAX;

/// A term as a number: a phrase is its two words' numbers, a word is its
/// own after [`NONE`], which no phrase starts with.
type Key = u64;

fn word_key(id: u32) -> Key {
    (u64::from(NONE) << 32) | u64::from(id)
}

fn phrase_key(first: u32, second: u32) -> Key {
    (u64::from(first) << 32) | u64::from(second)
}

/// Every word met, numbered.
#[derive(Default)]
struct Vocabulary {
    /// Words of up to 8 bytes (most), packed into a number: found by
    /// comparing numbers in a table small enough to stay in the processor's
    /// cache, where a word kept on the heap is compared by a call to
    /// `memcmp` after a visit to wherever it lies.
    short: FastMap<u64, Entry>,
    long: FastMap<Box<str>, Entry>,
    /// By number.
    names: Vec<Box<str>>,
}

/// A word of up to 8 bytes as a number. No word holds a zero byte, so
/// the zeros after it cannot make two words one.
fn pack(word: &str) -> Option<u64> {
    let bytes = word.as_bytes();
    (bytes.len() <= 8).then(|| {
        let mut packed = [0; 8];
        packed[..bytes.len()].copy_from_slice(bytes);
        u64::from_le_bytes(packed)
    })
}

impl Vocabulary {
    fn name(&self, key: Key) -> String {
        let (first, second) = ((key >> 32) as u32, key as u32);
        let word = |id: u32| &*self.names[id as usize];
        match first {
            NONE => word(second).to_owned(),
            _ => format!("{} {}", word(first), word(second)),
        }
    }

    /// `word`'s entry; `packed` is its [`pack`].
    fn get(&self, word: &str, packed: Option<u64>) -> Option<Entry> {
        match packed {
            Some(packed) => self.short.get(&packed),
            None => self.long.get(word),
        }
        .copied()
    }

    fn add(&mut self, word: &str, packed: Option<u64>) -> Entry {
        if let Some(e) = self.get(word, packed) {
            return e;
        }
        let e = self.classify(word);
        // Numbers are not kept: order numbers and the like, one per
        // comment, would fill the tables for nothing.
        if !is_number(word) {
            match packed {
                Some(packed) => self.short.insert(packed, e),
                None => self.long.insert(word.into(), e),
            };
        }
        e
    }

    fn classify(&mut self, word: &str) -> Entry {
        let kind = match stop_words().get(word) {
            Some(&kind) => kind,
            None => {
                // A possessive is its word: "the agent's tone" is about
                // the agent. Stop words such as "it's" were caught above.
                let base = word.strip_suffix("'s").map(|b| b.trim_end_matches('\''));
                if let Some(base) = base.filter(|b| !b.is_empty()) {
                    return self.add(base, pack(base));
                }
                let mut chars = word.chars();
                let single = chars.next().is_some() && chars.next().is_none();
                if single || is_number(word) {
                    Kind::Dropped
                } else {
                    Kind::Word
                }
            }
        };
        if kind == Kind::Dropped {
            return Entry { id: NONE, kind };
        }
        self.names.push(word.into());
        Entry {
            id: (self.names.len() - 1) as u32,
            kind,
        }
    }
}

/// Digits only, apostrophes aside ("1'000").
fn is_number(word: &str) -> bool {
    word.chars().all(|c| c.is_numeric() || c == '\'')
}

/// Reads comments into terms, reusing one lowercase buffer.
#[derive(Default)]
struct Scanner {
    lower: String,
}

/// Combining accents continue a word: text typed as "e" plus an accent
/// would otherwise split at every accented letter.
fn is_mark(c: char) -> bool {
    ('\u{300}'..='\u{36f}').contains(&c)
}

/// What may stand between the two words of a phrase besides spaces.
fn is_hyphen(c: char) -> bool {
    matches!(c, '-' | '\u{2010}' | '\u{2011}')
}

/// What an ASCII byte is to a scan.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Byte {
    /// Part of a word: a letter, a digit or an apostrophe.
    Word,
    /// White space or a hyphen: between the words of a phrase.
    Join,
    /// Anything else ends a phrase.
    Break,
}

/// [`Byte`] by byte, as the character rules of [`Scanner::scan`] read
/// ASCII.
const ASCII: [Byte; 256] = {
    let mut table = [Byte::Break; 256];
    let mut b = 0;
    while b < 128 {
        let c = b as u8;
        table[b] = if c.is_ascii_alphanumeric() || c == b'\'' {
            Byte::Word
        } else if c == b' ' || (c >= b'\t' && c <= b'\r') || c == b'-' {
            Byte::Join
        } else {
            Byte::Break
        };
        b += 1;
    }
    table
};

/// Zero bytes after the text, so that any word of up to 8 bytes can be
/// read as one number whatever its place ([`Scanner::word`]).
const PADDING: &str = "\0\0\0\0\0\0\0\0";

impl Scanner {
    /// Calls `found` with the terms of `text` in order, repeats included:
    /// each word, then the phrase it ends, if any. `word` gives a word's
    /// entry from its text and, up to 8 bytes, its [`pack`]: adding it
    /// while indexing, only looking it up when counting a group.
    fn scan(
        &mut self,
        text: &str,
        mut word: impl FnMut(&str, Option<u64>) -> Option<Entry>,
        mut found: impl FnMut(Key),
    ) {
        self.lower.clear();
        let ascii = text.is_ascii();
        if ascii {
            self.lower.push_str(text);
            self.lower.make_ascii_lowercase();
        } else {
            // The whole string at once, for a Greek final sigma; typed
            // apostrophes become the one the stop words are written with.
            for c in text.to_lowercase().chars() {
                let c = match c {
                    '\u{2018}' | '\u{2019}' | '\u{2bc}' => '\'',
                    c => c,
                };
                self.lower.push(c);
            }
        }
        let len = self.lower.len();
        self.lower.push_str(PADDING);
        let lower = self.lower.as_str();
        // The previous word's number, while it can start a phrase.
        let mut previous: Option<u32> = None;
        let mut take = |start: usize, end: usize, previous: Option<u32>| {
            let entry = Scanner::word(lower, start, end).and_then(|(w, p)| word(w, p));
            match entry? {
                Entry {
                    id,
                    kind: Kind::Word,
                } => {
                    found(word_key(id));
                    if let Some(p) = previous {
                        found(phrase_key(p, id));
                    }
                    Some(id)
                }
                Entry {
                    id,
                    kind: Kind::Negation,
                } => Some(id),
                Entry { .. } => None,
            }
        };
        if ascii {
            // Byte by byte: most comments are ASCII, and reading them as
            // characters took twice the time.
            let bytes = &lower.as_bytes()[..len];
            let mut i = 0;
            while let Some(&b) = bytes.get(i) {
                i += 1;
                match ASCII[usize::from(b)] {
                    Byte::Word => {
                        let start = i - 1;
                        while bytes
                            .get(i)
                            .is_some_and(|&b| ASCII[usize::from(b)] == Byte::Word)
                        {
                            i += 1;
                        }
                        previous = take(start, i, previous);
                    }
                    Byte::Join => {}
                    Byte::Break => previous = None,
                }
            }
            return;
        }
        let mut start: Option<usize> = None;
        for (i, c) in lower[..len].char_indices().chain([(len, ' ')]) {
            if c.is_alphanumeric() || c == '\'' || (start.is_some() && is_mark(c)) {
                start.get_or_insert(i);
                continue;
            }
            if let Some(s) = start.take() {
                previous = take(s, i, previous);
            }
            if !(c.is_whitespace() || is_hyphen(c)) {
                previous = None;
            }
        }
    }

    /// The word at `start..end` of the padded buffer without apostrophes
    /// around it, and packed if it fits, read straight from the buffer.
    fn word(lower: &str, mut start: usize, mut end: usize) -> Option<(&str, Option<u64>)> {
        let bytes = lower.as_bytes();
        while start < end && bytes[start] == b'\'' {
            start += 1;
        }
        while end > start && bytes[end - 1] == b'\'' {
            end -= 1;
        }
        let n = end - start;
        let packed = (1..=8).contains(&n).then(|| {
            let mut eight = [0; 8];
            eight.copy_from_slice(&bytes[start..start + 8]);
            let all = u64::from_le_bytes(eight);
            if n == 8 {
                all
            } else {
                all & ((1 << (8 * n)) - 1)
            }
        });
        (n > 0).then(|| (&lower[start..end], packed))
    }
}

/// Comments holding a word, and the last of them (counted from 1) that
/// counted it, so that a word counts once per comment.
#[derive(Clone, Copy, Default)]
struct Docs {
    n: u32,
    last: u32,
}

/// Each key with the number of times it occurs, in key order.
fn counted(mut keys: Vec<Key>) -> Vec<(Key, u32)> {
    keys.sort_unstable();
    let mut out: Vec<(Key, u32)> = Vec::new();
    for key in keys {
        match out.last_mut() {
            Some((k, n)) if *k == key => *n += 1,
            _ => out.push((key, 1)),
        }
    }
    out
}

/// Sorts and dedups the terms of one comment, so that each counts once.
fn once_each(terms: &mut Vec<Key>) {
    terms.sort_unstable();
    terms.dedup();
}

/// Phrases waiting to be counted, at most, before they are: enough to
/// leave a typical file's phrases to one sort at the end, few enough to
/// keep the waiting list to 32 MB on any file.
const PENDING: usize = 1 << 22;

/// How many comments of the journey hold each term, built once so that
/// every group's "elsewhere" is this count minus the group's own.
///
/// Phrases are many: 500 000 comments hold millions of different ones.
/// They are listed as they come and counted by sorting the list, which
/// reads memory in order; counting each in a hash table as it came, a
/// cache miss per phrase, doubled the time to index.
pub struct TermIndex {
    vocabulary: Vocabulary,
    /// By word number.
    words: Vec<Docs>,
    /// In key order.
    phrases: Vec<(Key, u32)>,
    comments: u32,
}

impl TermIndex {
    /// Indexes `comments`; a blank one counts as a comment without terms.
    pub fn new<'a>(comments: impl IntoIterator<Item = &'a str>) -> TermIndex {
        let mut index = TermIndex {
            vocabulary: Vocabulary::default(),
            words: Vec::new(),
            phrases: Vec::new(),
            comments: 0,
        };
        let mut scanner = Scanner::default();
        let mut pending: Vec<Key> = Vec::new();
        let mut terms: Vec<Key> = Vec::new();
        for comment in comments {
            index.comments += 1;
            let (this, vocabulary, words) =
                (index.comments, &mut index.vocabulary, &mut index.words);
            terms.clear();
            scanner.scan(
                comment,
                |w, p| Some(vocabulary.add(w, p)),
                |key| {
                    if key >> 32 != u64::from(NONE) {
                        terms.push(key);
                        return;
                    }
                    let id = key as u32 as usize;
                    if id >= words.len() {
                        words.resize(id + 1, Docs::default());
                    }
                    let docs = &mut words[id];
                    if docs.last != this {
                        docs.last = this;
                        docs.n += 1;
                    }
                },
            );
            once_each(&mut terms);
            pending.extend_from_slice(&terms);
            if pending.len() >= PENDING {
                index.merge(std::mem::take(&mut pending));
            }
        }
        index.merge(pending);
        index
    }

    /// Counts `pending` into the phrases.
    fn merge(&mut self, pending: Vec<Key>) {
        let mut all = std::mem::take(&mut self.phrases);
        all.extend(counted(pending));
        // Two sorted runs, which the stable sort merges in one pass.
        all.sort_by_key(|&(key, _)| key);
        all.dedup_by(|next, kept| {
            let same = next.0 == kept.0;
            if same {
                kept.1 += next.1;
            }
            same
        });
        self.phrases = all;
    }

    pub fn comments(&self) -> u32 {
        self.comments
    }

    fn docs(&self, key: Key) -> u32 {
        if key >> 32 == u64::from(NONE) {
            return self.words.get(key as u32 as usize).map_or(0, |d| d.n);
        }
        self.phrases
            .binary_search_by_key(&key, |&(k, _)| k)
            .map_or(0, |i| self.phrases[i].1)
    }

    /// The [`TOP_TERMS`] terms that most set `group` apart from the other
    /// indexed comments: by score, then by comments holding them, then
    /// alphabetically. Only terms more frequent in the group than
    /// elsewhere (score above 1) are listed. `group` must be comments that
    /// were indexed, each once.
    pub fn complaint_terms<'a>(&self, group: impl IntoIterator<Item = &'a str>) -> Vec<Term> {
        let mut scanner = Scanner::default();
        let mut keys: Vec<Key> = Vec::new();
        let mut terms: Vec<Key> = Vec::new();
        let mut size = 0;
        for comment in group {
            size += 1;
            terms.clear();
            scanner.scan(
                comment,
                |w, p| self.vocabulary.get(w, p),
                |key| terms.push(key),
            );
            once_each(&mut terms);
            keys.extend_from_slice(&terms);
        }
        let rest = self.comments.saturating_sub(size);
        let least = if size < SMALL_GROUP { 1 } else { 2 };
        let mut found: Vec<(f64, u32, Key)> = counted(keys)
            .into_iter()
            .filter(|&(_, a)| a >= least)
            .map(|(key, a)| {
                let b = self.docs(key).saturating_sub(a);
                (score(a, size, b, rest), a, key)
            })
            .filter(|&(s, _, _)| s > 1.0)
            .collect();
        let by_count =
            |x: &(f64, u32, Key), y: &(f64, u32, Key)| y.0.total_cmp(&x.0).then(y.1.cmp(&x.1));
        found.sort_unstable_by(by_count);
        // Names only for the top and whatever ties with the last of it.
        if let Some(&cut) = found.get(TOP_TERMS - 1) {
            let end = found.partition_point(|x| by_count(x, &cut).is_le());
            found.truncate(end);
        }
        let mut terms: Vec<Term> = found
            .into_iter()
            .map(|(score, a, key)| Term {
                text: self.vocabulary.name(key),
                here: a,
                group: size,
                elsewhere: self.docs(key).saturating_sub(a),
                rest,
                score,
            })
            .collect();
        terms.sort_by(|x, y| {
            y.score
                .total_cmp(&x.score)
                .then(y.here.cmp(&x.here))
                .then_with(|| x.text.cmp(&y.text))
        });
        terms.truncate(TOP_TERMS);
        terms
    }
}

fn score(a: u32, group: u32, b: u32, rest: u32) -> f64 {
    let share = |k: u32, of: u32| (f64::from(k) + 0.5) / (f64::from(of) + 1.0);
    share(a, group) / share(b, rest)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The terms of one comment in order, repeats included.
    fn terms_of(text: &str) -> Vec<String> {
        let mut vocabulary = Vocabulary::default();
        let mut keys = Vec::new();
        Scanner::default().scan(text, |w, p| Some(vocabulary.add(w, p)), |k| keys.push(k));
        keys.into_iter().map(|k| vocabulary.name(k)).collect()
    }

    #[test]
    fn comments_are_split_into_words_and_phrases() {
        let cases: [(&str, &[&str]); 16] = [
            ("", &[]),
            ("   ... '' !? ", &[]),
            // A negation only starts a phrase; "my" breaks one.
            ("I didn't get my REFUND", &["get", "didn't get", "refund"]),
            // Typed apostrophes are the plain one; quotes are trimmed.
            (
                "\u{2018}Quoted\u{2019} words\u{2019} didn\u{2019}t arrive",
                &["quoted", "words", "quoted words", "arrive", "didn't arrive"],
            ),
            ("Not working. Never again", &["working", "not working"]),
            ("App not", &["app"]),
            // A possessive is its word; "it's" is a stop word.
            (
                "The driver's van, it's late",
                &["driver", "van", "driver van", "late"],
            ),
            // Numbers and single characters are no terms and break phrases.
            (
                "Waited 45 minutes, 2nd time x",
                &["waited", "minutes", "2nd", "time", "2nd time"],
            ),
            (
                "Wi-fi dropped",
                &["wi", "fi", "wi fi", "dropped", "fi dropped"],
            ),
            // Markup is text like any other.
            (
                "<script>alert('x')</script>",
                &["script", "alert", "script"],
            ),
            // Unicode lowercase, a final sigma, an accent typed apart.
            (
                "ÜBERWEISUNG fehlgeschlagen",
                &[
                    "überweisung",
                    "fehlgeschlagen",
                    "überweisung fehlgeschlagen",
                ],
            ),
            ("ΟΔΟΣ", &["οδος"]),
            (
                "cafe\u{301} froid",
                &["cafe\u{301}", "froid", "cafe\u{301} froid"],
            ),
            ("服务很好", &["服务很好"]),
            // ASCII is read byte by byte, other text by character: alike.
            (
                "Long wait,\trude\nagent",
                &["long", "wait", "long wait", "rude", "agent", "rude agent"],
            ),
            (
                "Long wait,\trude\nagent \u{1f621}",
                &["long", "wait", "long wait", "rude", "agent", "rude agent"],
            ),
        ];
        for (text, want) in cases {
            assert_eq!(terms_of(text), want, "{text:?}");
        }
    }

    #[test]
    fn a_possessive_and_its_word_are_one_term() {
        for text in ["Driver's van. Driver", "Customer's call. Customer"] {
            let mut vocabulary = Vocabulary::default();
            let mut keys = Vec::new();
            Scanner::default().scan(text, |w, p| Some(vocabulary.add(w, p)), |k| keys.push(k));
            // The word, the next, their phrase, the word again.
            assert_eq!(keys.len(), 4, "{text}");
            assert_eq!(keys[0], keys[3], "{text}");
        }
    }

    #[test]
    fn the_stop_word_list_is_read_as_the_scanner_reads_words() {
        let words = stop_words();
        assert!(words.len() > 180, "{}", words.len());
        for (&word, &kind) in words {
            assert_eq!(word, word.to_lowercase());
            assert!(
                !word.contains(|c: char| !(c.is_alphanumeric() || c == '\'')),
                "{word:?}"
            );
            assert!(kind != Kind::Word);
        }
        assert_eq!(words.get("not"), Some(&Kind::Negation));
        assert_eq!(words.get("didn't"), Some(&Kind::Negation));
        assert_eq!(words.get("the"), Some(&Kind::Dropped));
        for kept in ["wait", "hold", "still", "always", "late", "one"] {
            assert_eq!(words.get(kept), None, "{kept}");
        }
    }

    fn index(comments: &[&str]) -> TermIndex {
        TermIndex::new(comments.iter().copied())
    }

    const GROUP: [&str; 5] = [
        "Rude agent on the phone",
        "The agent was rude, rude, rude",
        "Long hold music",
        "Hold music was awful and the agent rude",
        "Not working",
    ];
    const REST: [&str; 10] = [
        "Friendly agent",
        "Agent solved it",
        "Quick answer",
        "Music was fine",
        "Great service",
        "Not working at first but fixed",
        "Lovely",
        "Fast delivery",
        "Agent helpful",
        "",
    ];

    #[test]
    fn terms_are_ranked_by_how_much_more_often_the_group_uses_them() {
        let all: Vec<&str> = GROUP.iter().chain(&REST).copied().collect();
        let index = index(&all);
        assert_eq!(index.comments(), 15);
        let terms = index.complaint_terms(GROUP);
        // By hand, A = 5, B = 10, score = ((a + .5) / 6) / ((b + .5) / 11):
        //   rude        a 3 (once in "rude, rude, rude"), b 0: 12.8333
        //   hold        a 2, b 0: 9.1667; "hold music" ties, after it
        //   music       a 2, b 1: 3.0556
        //   agent       a 3, b 3: 1.8333
        // Terms in one group comment ("not working", "phone") are out at
        // A ≥ 5. Checked with python3:
        //   s = lambda a, b: ((a + .5) / 6) / ((b + .5) / 11)
        //   [round(s(*x), 4) for x in [(3, 0), (2, 0), (2, 1), (3, 3)]]
        let want = [
            ("rude", 3, 0, 12.8333),
            ("hold", 2, 0, 9.1667),
            ("hold music", 2, 0, 9.1667),
            ("music", 2, 1, 3.0556),
            ("agent", 3, 3, 1.8333),
        ];
        assert_eq!(terms.len(), want.len(), "{terms:?}");
        for (t, (text, a, b, s)) in terms.iter().zip(want) {
            assert_eq!((t.text.as_str(), t.here, t.elsewhere), (text, a, b));
            assert_eq!((t.group, t.rest), (5, 10));
            assert!((t.score - s).abs() < 1e-4, "{t:?}");
        }
    }

    #[test]
    fn a_small_group_lists_terms_of_a_single_comment() {
        let all: Vec<&str> = GROUP.iter().chain(&REST).copied().collect();
        let index = index(&all);
        let terms = index.complaint_terms(["Not working", "Music was fine"]);
        // A = 2, B = 13: "not working" and "working" 1 here and 1 of 13
        // elsewhere, (1.5 / 3) / (1.5 / 14) = 4.6667; "music" 1 and 2,
        // (1.5 / 3) / (2.5 / 14) = 2.8; "fine" 1 and 0, (1.5 / 3) /
        // (0.5 / 14) = 14.
        let got: Vec<(&str, f64)> = terms.iter().map(|t| (t.text.as_str(), t.score)).collect();
        let want = [
            ("fine", 14.0),
            ("not working", 14.0 / 3.0),
            ("working", 14.0 / 3.0),
            ("music", 2.8),
        ];
        assert_eq!(got.len(), want.len(), "{got:?}");
        for ((text, score), (w, s)) in got.into_iter().zip(want) {
            assert_eq!(text, w);
            assert!((score - s).abs() < 1e-9);
        }
    }

    #[test]
    fn phrases_counted_in_several_rounds_add_up() {
        let mut index = TermIndex::new(["rude agent", "rude agent. long wait"]);
        assert_eq!(index.docs(phrase_key(0, 1)), 2);
        let (long, wait) = (
            index.vocabulary.get("long", pack("long")),
            index.vocabulary.get("wait", pack("wait")),
        );
        let long_wait = phrase_key(long.unwrap().id, wait.unwrap().id);
        index.merge(vec![long_wait, phrase_key(0, 1), phrase_key(7, 9)]);
        assert_eq!(index.docs(phrase_key(0, 1)), 3);
        assert_eq!(index.docs(long_wait), 2);
        assert_eq!(index.docs(phrase_key(7, 9)), 1);
        assert_eq!(index.docs(phrase_key(9, 7)), 0);
        assert!(index.phrases.windows(2).all(|w| w[0].0 < w[1].0));
    }

    #[test]
    fn only_the_top_terms_are_listed() {
        let words: Vec<String> = (0..30).map(|i| format!("word{i:02}")).collect();
        let comment = words.join(". ");
        let index = index(&[&comment, "other"]);
        let terms = index.complaint_terms([comment.as_str()]);
        // Thirty ties: the first ten alphabetically.
        assert_eq!(terms.len(), TOP_TERMS);
        assert_eq!(terms[0].text, "word00");
        assert_eq!(terms[9].text, "word09");
    }

    /// 500 000 comments of 20 words drawn as words are in English text:
    /// by Zipf's law (the word of rank r with weight 1 / r) from 20 000,
    /// the stop words ranking first, which puts about half the words drawn
    /// among them; a full stop after one word in eight. A tenth of the
    /// comments are the group. Run with
    /// `cargo test -p waymark-core --release terms -- --ignored --nocapture`.
    #[test]
    #[ignore = "a benchmark"]
    fn benchmark_500k_comments() {
        let mut state = 0x2545_f491_4f6c_dd1d_u64;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        let mut stop: Vec<&str> = stop_words().keys().copied().collect();
        stop.sort_unstable();
        let letters = b"etaoinshrdlucmfwypvbgkjqxz";
        let made_up = (0..20_000 - stop.len() as u64).map(|i| {
            let mut w = String::new();
            let mut k = i + 26 * 26;
            while k > 0 {
                w.push(letters[(k % 26) as usize] as char);
                k /= 26;
            }
            w
        });
        let words: Vec<String> = stop.into_iter().map(String::from).chain(made_up).collect();
        let cumulative: Vec<f64> = words
            .iter()
            .enumerate()
            .scan(0.0, |sum, (r, _)| {
                *sum += 1.0 / (r + 1) as f64;
                Some(*sum)
            })
            .collect();
        let total = cumulative[cumulative.len() - 1];
        let comments: Vec<String> = (0..500_000)
            .map(|_| {
                let mut c = String::new();
                for j in 0..20 {
                    let r = (next() >> 11) as f64 / (1u64 << 53) as f64 * total;
                    let w = cumulative.partition_point(|&x| x < r).min(words.len() - 1);
                    if j > 0 {
                        c.push_str(if next() % 8 == 0 { ". " } else { " " });
                    }
                    c.push_str(&words[w]);
                }
                c
            })
            .collect();
        let started = std::time::Instant::now();
        let index = TermIndex::new(comments.iter().map(String::as_str));
        let indexed = started.elapsed();
        let terms = index.complaint_terms(comments.iter().step_by(10).map(String::as_str));
        let total = started.elapsed();
        assert!(!terms.is_empty());
        println!(
            "{} comments indexed in {:.0} ms ({:.2} M comments/s); \
             a group of {} ranked in {:.0} ms; {:.0} ms in all, {:.2} M comments/s",
            comments.len(),
            indexed.as_secs_f64() * 1e3,
            comments.len() as f64 / indexed.as_secs_f64() / 1e6,
            comments.len() / 10,
            (total - indexed).as_secs_f64() * 1e3,
            total.as_secs_f64() * 1e3,
            (comments.len() + comments.len() / 10) as f64 / total.as_secs_f64() / 1e6,
        );
    }
}

// Native only: proptest has no wasm32 backend here.
#[cfg(all(test, not(target_arch = "wasm32")))]
mod props {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn any_text_scans_into_terms_without_stop_words(
            text in prop_oneof![
                any::<String>(),
                "([A-Za-z'’ .,-]|not|the|didn't|it's|42|ÉÀ|\u{301})*",
            ],
        ) {
            let mut vocabulary = Vocabulary::default();
            let mut keys = Vec::new();
            Scanner::default().scan(&text, |w, p| Some(vocabulary.add(w, p)), |k| keys.push(k));
            for key in keys {
                let name = vocabulary.name(key);
                let words: Vec<&str> = name.split(' ').collect();
                prop_assert!(words.len() <= 2, "{name:?}");
                for (i, w) in words.iter().enumerate() {
                    prop_assert!(w.chars().nth(1).is_some(), "{name:?}");
                    prop_assert!(!w.chars().all(char::is_numeric), "{name:?}");
                    let kind = stop_words().get(w).copied();
                    prop_assert!(kind != Some(Kind::Dropped), "{name:?}");
                    // A negation only as a phrase's first word.
                    prop_assert!(
                        kind != Some(Kind::Negation) || (i == 0 && words.len() == 2),
                        "{name:?}"
                    );
                }
            }
        }
    }
}
