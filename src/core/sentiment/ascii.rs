//! VADER for plain ASCII comments, fast.
//!
//! `vader-parity` reproduces the reference on every input, Unicode casing
//! tables and all, but it pays for that on every comment: each token is
//! lowercased through CPython's tables into a new `String`, every lexicon,
//! booster and idiom lookup hashes a `String` with SipHash, and rounding
//! goes through `format!`. Profiled natively that made up about half its
//! time, and in wasm one worker scored 30,000–53,000 twenty-word comments a
//! second. Survey comments are mostly ASCII, and for ASCII text Python's
//! `str.lower()`, `str.isupper()`, `str.split()` and the emoji walk (no
//! emoji key is ASCII) reduce to byte tests. So this scorer handles ASCII
//! text up to [`MAX_BYTES`] with one FxHash lookup per token into a table
//! that answers every question the rules ask of a word, no allocation per
//! comment beyond reused buffers, and an exact rounding shortcut; anything
//! else goes to `vader-parity`.
//!
//! The rules follow `vaderSentiment.py` 3.3.2 step for step, including its
//! quirks (the `but` re-weighting that lands on the first equal valence,
//! the int/float distinction in CPython's `sum`), as `vader-parity`
//! documents them. The tests hold this scorer equal to that crate on random
//! comments built from every word the rules single out, and the golden
//! file holds both equal to the Python package.

use std::cell::RefCell;
use std::collections::HashMap;
use std::hash::BuildHasherDefault;

use rustc_hash::FxHasher;

use super::Scores;

/// Longer text goes to `vader-parity`: the `but` re-weighting below scans
/// for equal valences linearly, which is the fastest way for a comment and
/// quadratic for a book.
pub(super) const MAX_BYTES: usize = 4096;

const LEXICON: &str = include_str!("lexicon.tsv");
const RULES: &str = include_str!("rules.tsv");

const C_INCR: f64 = 0.733;
const N_SCALAR: f64 = -0.74;
const NEVER_SCALAR: f64 = 1.25;
const ALPHA: f64 = 15.0;

/// The words the rules compare tokens with, by name.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
enum Keyword {
    #[default]
    None,
    No,
    Or,
    Nor,
    Kind,
    Of,
    But,
    Least,
    At,
    Very,
    So,
    This,
    Never,
    Without,
    Doubt,
}

impl Keyword {
    fn of(word: &[u8]) -> Keyword {
        match word {
            b"no" => Keyword::No,
            b"or" => Keyword::Or,
            b"nor" => Keyword::Nor,
            b"kind" => Keyword::Kind,
            b"of" => Keyword::Of,
            b"but" => Keyword::But,
            b"least" => Keyword::Least,
            b"at" => Keyword::At,
            b"very" => Keyword::Very,
            b"so" => Keyword::So,
            b"this" => Keyword::This,
            b"never" => Keyword::Never,
            b"without" => Keyword::Without,
            b"doubt" => Keyword::Doubt,
            _ => Keyword::None,
        }
    }
}

/// Everything the rules ask about one lowercase word.
#[derive(Clone, Copy, Debug, Default)]
struct Word {
    valence: Option<f64>,
    booster: Option<f64>,
    /// In the reference's `NEGATE` list (tokens containing "n't" are
    /// negated too; that is checked on the token).
    negate: bool,
    /// Part of a multi-word idiom or booster, so the idiom check has
    /// something to find near it.
    in_phrase: bool,
    keyword: Keyword,
}

/// A multi-word idiom (`SPECIAL_CASES`) or booster (`BOOSTER_DICT`).
struct Phrase {
    words: Vec<Box<[u8]>>,
    value: f64,
    /// Python holds the value as an int (`"the bomb": 3`).
    is_int: bool,
}

impl Phrase {
    fn matches(&self, tokens: &[Token], lower: &[u8], start: usize, len: usize) -> bool {
        self.words.len() == len
            && tokens.get(start..start + len).is_some_and(|window| {
                window
                    .iter()
                    .zip(&self.words)
                    .all(|(t, w)| t.lower(lower) == &**w)
            })
    }
}

/// One token: where its lowercase form is in the comment's buffer, and
/// what the table knows of it.
#[derive(Clone, Copy)]
struct Token {
    start: u32,
    end: u32,
    is_upper: bool,
    negated: bool,
    word: Word,
}

impl Token {
    fn lower<'a>(&self, lower: &'a [u8]) -> &'a [u8] {
        &lower[self.start as usize..self.end as usize]
    }
}

/// One entry of the reference's sentiments list: CPython's `sum` adds a
/// leading run of ints exactly and only then switches to compensated float
/// addition, so whether a valence is still a Python int is observable.
#[derive(Clone, Copy)]
struct Valence {
    value: f64,
    from_int: bool,
}

const INT_ZERO: Valence = Valence {
    value: 0.0,
    from_int: true,
};

#[derive(Default)]
struct Buffers {
    lower: Vec<u8>,
    tokens: Vec<Token>,
    sentiments: Vec<Valence>,
}

pub(super) struct AsciiScorer {
    words: HashMap<Box<[u8]>, Word, BuildHasherDefault<FxHasher>>,
    idioms: Vec<Phrase>,
    boosters: Vec<Phrase>,
    buffers: RefCell<Buffers>,
}

impl AsciiScorer {
    pub(super) fn new() -> AsciiScorer {
        let mut words: HashMap<Box<[u8]>, Word, BuildHasherDefault<FxHasher>> = HashMap::default();
        for line in LEXICON.lines().filter(|l| !l.starts_with('#')) {
            if let Some((word, valence)) = line.split_once('\t') {
                let valence = valence
                    .parse()
                    .expect("lexicon.tsv holds Python float reprs");
                words.entry(word.as_bytes().into()).or_default().valence = Some(valence);
            }
        }
        let mut idioms = Vec::new();
        let mut boosters = Vec::new();
        for line in RULES.lines().filter(|l| !l.starts_with('#')) {
            let mut fields = line.split('\t');
            let (Some(kind), Some(key)) = (fields.next(), fields.next()) else {
                continue;
            };
            let value = fields.next().map_or(0.0, |v| {
                v.parse().expect("rules.tsv holds Python float reprs")
            });
            let phrase = || Phrase {
                words: key.split(' ').map(|w| w.as_bytes().into()).collect(),
                value,
                is_int: kind == "special-int",
            };
            match kind {
                "negate" => words.entry(key.as_bytes().into()).or_default().negate = true,
                "booster" if key.contains(' ') => boosters.push(phrase()),
                "booster" => words.entry(key.as_bytes().into()).or_default().booster = Some(value),
                "special" | "special-int" => idioms.push(phrase()),
                other => panic!("rules.tsv: unknown kind {other:?}"),
            }
        }
        for phrase in idioms.iter().chain(&boosters) {
            for w in &phrase.words {
                words.entry(w.clone()).or_default().in_phrase = true;
            }
        }
        for (word, entry) in words.iter_mut() {
            entry.keyword = Keyword::of(word);
        }
        for keyword in [
            "no", "or", "nor", "kind", "of", "but", "least", "at", "very", "so", "this", "never",
            "without", "doubt",
        ] {
            words.entry(keyword.as_bytes().into()).or_default().keyword =
                Keyword::of(keyword.as_bytes());
        }
        AsciiScorer {
            words,
            idioms,
            boosters,
            buffers: RefCell::default(),
        }
    }

    /// Scores `text` if it is one this scorer reproduces the reference on.
    pub(super) fn score(&self, text: &str) -> Option<Scores> {
        if text.len() > MAX_BYTES || !text.is_ascii() {
            return None;
        }
        let mut buffers = self.buffers.borrow_mut();
        let Buffers {
            lower,
            tokens,
            sentiments,
        } = &mut *buffers;
        self.tokenize(text, lower, tokens);
        sentiments.clear();
        let is_cap_diff = tokens.iter().any(|t| t.is_upper) && tokens.iter().any(|t| !t.is_upper);
        for i in 0..tokens.len() {
            let item = tokens[i];
            if item.word.booster.is_some()
                || (item.word.keyword == Keyword::Kind
                    && tokens
                        .get(i + 1)
                        .is_some_and(|t| t.word.keyword == Keyword::Of))
            {
                sentiments.push(INT_ZERO);
                continue;
            }
            let valence = match item.word.valence {
                Some(v) => self.valence(v, tokens, lower, i, is_cap_diff),
                None => INT_ZERO,
            };
            sentiments.push(valence);
        }
        but_check(tokens, sentiments);
        Some(score_valence(sentiments, text))
    }

    /// Python's `text.split()` after the emoji walk (which leaves ASCII
    /// text as it is) and `_strip_punc_if_word`, lowercasing into `lower`.
    fn tokenize(&self, text: &str, lower: &mut Vec<u8>, tokens: &mut Vec<Token>) {
        lower.clear();
        tokens.clear();
        let bytes = text.as_bytes();
        let mut at = 0;
        while at < bytes.len() {
            if is_py_space(bytes[at]) {
                at += 1;
                continue;
            }
            let begin = at;
            while at < bytes.len() && !is_py_space(bytes[at]) {
                at += 1;
            }
            let raw = &bytes[begin..at];
            let (mut first, mut last) = (0, raw.len());
            while first < last && raw[first].is_ascii_punctuation() {
                first += 1;
            }
            while last > first && raw[last - 1].is_ascii_punctuation() {
                last -= 1;
            }
            let token = if last - first <= 2 {
                raw
            } else {
                &raw[first..last]
            };
            let start = lower.len();
            let (mut has_upper, mut has_lower) = (false, false);
            for &b in token {
                has_upper |= b.is_ascii_uppercase();
                has_lower |= b.is_ascii_lowercase();
                lower.push(b.to_ascii_lowercase());
            }
            let word = &lower[start..];
            let entry = self.words.get(word).copied().unwrap_or_default();
            tokens.push(Token {
                start: start as u32,
                end: lower.len() as u32,
                is_upper: has_upper && !has_lower,
                negated: entry.negate || word.windows(3).any(|w| w == b"n't"),
                word: entry,
            });
        }
    }

    /// The reference's `sentiment_valence` for a token in the lexicon.
    fn valence(
        &self,
        lexicon: f64,
        tokens: &[Token],
        lower: &[u8],
        i: usize,
        is_cap_diff: bool,
    ) -> Valence {
        let item = tokens[i];
        let prev = |k: usize| i.checked_sub(k).map(|j| tokens[j]);
        let (prev1, prev2, prev3) = (prev(1), prev(2), prev(3));
        let is = |t: Option<Token>, k: Keyword| t.is_some_and(|t| t.word.keyword == k);
        let in_lexicon = |t: Token| t.word.valence.is_some();

        let mut valence = lexicon;
        if item.word.keyword == Keyword::No && tokens.get(i + 1).is_some_and(|t| in_lexicon(*t)) {
            valence = 0.0;
        }
        if is(prev1, Keyword::No)
            || is(prev2, Keyword::No)
            || (is(prev3, Keyword::No) && (is(prev1, Keyword::Or) || is(prev1, Keyword::Nor)))
        {
            valence = lexicon * N_SCALAR;
        }
        if item.is_upper && is_cap_diff {
            if valence > 0.0 {
                valence += C_INCR;
            } else {
                valence -= C_INCR;
            }
        }

        let mut from_int = false;
        if let Some(p1) = prev1.filter(|t| !in_lexicon(*t)) {
            valence += scalar_inc_dec(p1, valence, is_cap_diff);
            if p1.negated {
                valence *= N_SCALAR;
            }
        }
        if let (Some(p1), Some(p2)) = (prev1, prev2.filter(|t| !in_lexicon(*t))) {
            let s = scalar_inc_dec(p2, valence, is_cap_diff);
            valence += if s != 0.0 { s * 0.95 } else { s };
            let k = |t: Token| t.word.keyword;
            if k(p2) == Keyword::Never && matches!(k(p1), Keyword::So | Keyword::This) {
                valence *= NEVER_SCALAR;
            } else if k(p2) == Keyword::Without && k(p1) == Keyword::Doubt {
            } else if p2.negated {
                valence *= N_SCALAR;
            }
        }
        if let (Some(p1), Some(p2), Some(p3)) = (prev1, prev2, prev3.filter(|t| !in_lexicon(*t))) {
            let s = scalar_inc_dec(p3, valence, is_cap_diff);
            valence += if s != 0.0 { s * 0.9 } else { s };
            let k = |t: Token| t.word.keyword;
            if (k(p3) == Keyword::Never && matches!(k(p2), Keyword::So | Keyword::This))
                || matches!(k(p1), Keyword::So | Keyword::This)
            {
                valence *= NEVER_SCALAR;
            } else if k(p3) == Keyword::Without
                && (k(p2) == Keyword::Doubt || k(p1) == Keyword::Doubt)
            {
            } else if p3.negated {
                valence *= N_SCALAR;
            }
            (valence, from_int) = self.idioms_check(valence, tokens, lower, i);
        }

        // `_least_check`: a "least" just before, unless "at least" or
        // "very least".
        let least = |t: Token| !in_lexicon(t) && t.word.keyword == Keyword::Least;
        let damped = match (prev1, prev2) {
            (Some(p1), Some(p2)) => {
                least(p1) && !matches!(p2.word.keyword, Keyword::At | Keyword::Very)
            }
            (Some(p1), None) => least(p1),
            _ => false,
        };
        if damped {
            Valence {
                value: valence * N_SCALAR,
                from_int: false,
            }
        } else {
            Valence {
                value: valence,
                from_int,
            }
        }
    }

    /// The reference's `_special_idioms_check` (only reached with three
    /// tokens before `i`).
    fn idioms_check(&self, valence: f64, tokens: &[Token], lower: &[u8], i: usize) -> (f64, bool) {
        let near = &tokens[i - 3..tokens.len().min(i + 3)];
        if !near.iter().any(|t| t.word.in_phrase) {
            return (valence, false);
        }
        let (mut valence, mut from_int) = (valence, false);
        let idiom = |start: usize, len: usize| {
            self.idioms
                .iter()
                .find(|p| p.matches(tokens, lower, start, len))
        };
        // onezero, twoonezero, twoone, threetwoone, threetwo: the first hit wins.
        for (start, len) in [(i - 1, 2), (i - 2, 3), (i - 2, 2), (i - 3, 3), (i - 3, 2)] {
            if let Some(hit) = idiom(start, len) {
                (valence, from_int) = (hit.value, hit.is_int);
                break;
            }
        }
        // zeroone, then zeroonetwo, each replacing what came before.
        for len in [2, 3] {
            if let Some(hit) = idiom(i, len) {
                (valence, from_int) = (hit.value, hit.is_int);
            }
        }
        // threetwoone, threetwo, twoone against the multi-word boosters.
        for (start, len) in [(i - 3, 3), (i - 3, 2), (i - 2, 2)] {
            if let Some(hit) = self
                .boosters
                .iter()
                .find(|p| p.matches(tokens, lower, start, len))
            {
                valence += hit.value;
                from_int = false;
            }
        }
        (valence, from_int)
    }
}

/// Python's whitespace for `str.split()` and `str.strip()` within ASCII:
/// the usual six plus the separators U+001C–U+001F.
fn is_py_space(b: u8) -> bool {
    matches!(b, b'\t'..=b'\r' | b' ' | 0x1c..=0x1f)
}

/// The reference's `scalar_inc_dec`.
fn scalar_inc_dec(word: Token, valence: f64, is_cap_diff: bool) -> f64 {
    let Some(increment) = word.word.booster else {
        return 0.0;
    };
    let mut scalar = if valence < 0.0 { -increment } else { increment };
    if word.is_upper && is_cap_diff {
        if valence > 0.0 {
            scalar += C_INCR;
        } else {
            scalar -= C_INCR;
        }
    }
    scalar
}

/// The reference's `_but_check`: Python re-finds each value with
/// `list.index`, so the re-weighting lands on the first slot holding an
/// equal value, not necessarily the one being visited.
fn but_check(tokens: &[Token], sentiments: &mut [Valence]) {
    let Some(bi) = tokens.iter().position(|t| t.word.keyword == Keyword::But) else {
        return;
    };
    for pos in 0..sentiments.len() {
        let sentiment = sentiments[pos];
        let si = sentiments
            .iter()
            .position(|s| s.value == sentiment.value)
            .unwrap_or(pos);
        let weight = match si.cmp(&bi) {
            std::cmp::Ordering::Less => 0.5,
            std::cmp::Ordering::Greater => 1.5,
            std::cmp::Ordering::Equal => continue,
        };
        sentiments[si] = Valence {
            value: sentiment.value * weight,
            from_int: false,
        };
    }
}

/// CPython's `sum`: a leading run of ints added exactly, the first float
/// added plainly, then Neumaier-compensated addition (CPython ≥ 3.12).
fn python_sum(values: &[Valence]) -> f64 {
    let mut iter = values.iter();
    let mut int_total = 0.0;
    let (mut total, mut c) = loop {
        match iter.next() {
            None => return int_total,
            Some(v) if v.from_int => int_total += v.value,
            Some(v) => break (int_total + v.value, 0.0_f64),
        }
    };
    for v in iter {
        let x = v.value;
        let t = total + x;
        if total.abs() >= x.abs() {
            c += (total - t) + x;
        } else {
            c += (x - t) + total;
        }
        total = t;
    }
    if c != 0.0 && c.is_finite() {
        total += c;
    }
    total
}

/// The reference's `score_valence`, rounding as Python's `round` does.
fn score_valence(sentiments: &[Valence], text: &str) -> Scores {
    if sentiments.is_empty() {
        return Scores::default();
    }
    let (mut exclamations, mut questions) = (0usize, 0usize);
    for b in text.bytes() {
        exclamations += usize::from(b == b'!');
        questions += usize::from(b == b'?');
    }
    let emphasis = exclamations.min(4) as f64 * 0.292
        + match questions {
            0 | 1 => 0.0,
            2 | 3 => questions as f64 * 0.18,
            _ => 0.96,
        };
    let mut sum = python_sum(sentiments);
    if sum > 0.0 {
        sum += emphasis;
    } else if sum < 0.0 {
        sum -= emphasis;
    }
    let compound = (sum / (sum * sum + ALPHA).sqrt()).clamp(-1.0, 1.0);

    let (mut pos, mut neg, mut neu) = (0.0, 0.0, 0.0);
    for s in sentiments {
        if s.value > 0.0 {
            pos += s.value + 1.0;
        }
        if s.value < 0.0 {
            neg += s.value - 1.0;
        }
        if s.value == 0.0 {
            neu += 1.0;
        }
    }
    if pos > f64::abs(neg) {
        pos += emphasis;
    } else if pos < f64::abs(neg) {
        neg -= emphasis;
    }
    let total = pos + neg.abs() + neu;
    Scores {
        compound: python_round(compound, 4),
        pos: python_round((pos / total).abs(), 3),
        neu: python_round((neu / total).abs(), 3),
        neg: python_round((neg / total).abs(), 3),
    }
}

/// Python's `round(value, digits)` for values in −1…1: the exact binary
/// value rounded to `digits` decimals, ties to even, then the nearest
/// double. Away from a tie, rounding `value × 10^digits` gives the same
/// integer (the product's error is below 10⁻¹¹, far inside the 10⁻⁶
/// margin), and dividing it by the exact power of ten is correctly rounded;
/// near a tie, Rust's decimal formatting decides exactly.
fn python_round(value: f64, digits: usize) -> f64 {
    let scale = if digits == 4 { 10_000.0 } else { 1_000.0 };
    let scaled = value * scale;
    if ((scaled - scaled.trunc()).abs() - 0.5).abs() > 1e-6 {
        scaled.round() / scale
    } else {
        format!("{value:.digits$}").parse().unwrap_or(value)
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use proptest::prelude::*;
    use vader_parity::SentimentIntensityAnalyzer;

    use super::*;

    fn crate_scores(analyzer: &SentimentIntensityAnalyzer, text: &str) -> Scores {
        let s = analyzer.polarity_scores(text);
        Scores {
            compound: s.compound,
            pos: s.pos,
            neu: s.neu,
            neg: s.neg,
        }
    }

    fn assert_same(ours: &AsciiScorer, reference: &SentimentIntensityAnalyzer, text: &str) {
        let fast = ours.score(text).expect("ASCII text under the limit");
        let full = crate_scores(reference, text);
        assert_eq!(
            (
                fast.compound.to_bits(),
                fast.pos.to_bits(),
                fast.neu.to_bits(),
                fast.neg.to_bits()
            ),
            (
                full.compound.to_bits(),
                full.pos.to_bits(),
                full.neu.to_bits(),
                full.neg.to_bits()
            ),
            "{text:?}: {fast:?} vs {full:?}"
        );
    }

    /// Every word each rule singles out, the idioms' and multi-word
    /// boosters' words, emoticons, punctuation runs and plain lexicon
    /// words of both signs.
    const VOCABULARY: &[&str] = &[
        "no",
        "not",
        "never",
        "without",
        "doubt",
        "so",
        "this",
        "but",
        "BUT",
        "least",
        "at",
        "very",
        "kind",
        "of",
        "sort",
        "just",
        "enough",
        "or",
        "nor",
        "the",
        "shit",
        "bomb",
        "bad",
        "ass",
        "badass",
        "bus",
        "stop",
        "yeah",
        "right",
        "kiss",
        "death",
        "to",
        "die",
        "for",
        "beating",
        "heart",
        "isn't",
        "don't",
        "dont",
        "cant",
        "can't",
        "aint",
        "nothing",
        "rarely",
        "despite",
        "uh-uh",
        "good",
        "great",
        "GREAT",
        "love",
        "hate",
        "terrible",
        "slow",
        "helpful",
        "friendly",
        "rude",
        "waited",
        "hold",
        "refund",
        "happy",
        "sad",
        "extremely",
        "EXTREMELY",
        "barely",
        "hardly",
        "kinda",
        "really",
        "somewhat",
        "totally",
        "agent",
        "order",
        "app",
        "store",
        ":)",
        ":(",
        ":-D",
        ":P",
        "<3",
        "lol",
        "!",
        "!!",
        "???",
        "?",
        "good!",
        "bad?",
        "'great'",
        "(sad)",
        "--",
        "...",
        "ok",
        "OK",
        "Fine",
        "fine.",
        "no,",
        "wtf",
        "meh",
        "win",
        "fail",
        "yes",
        "lack",
        "best",
        "worst",
    ];

    fn comment() -> impl Strategy<Value = String> {
        let word = prop_oneof![
            8 => proptest::sample::select(VOCABULARY).prop_map(str::to_string),
            1 => "[ -~]{1,6}",
        ];
        let case = 0..4u8;
        let gap = proptest::sample::select(&[" ", " ", " ", "  ", "\t", "\n", "\x1c", " \r\n"][..]);
        proptest::collection::vec((word, case, gap), 0..30).prop_map(|parts| {
            let mut text = String::new();
            for (word, case, gap) in parts {
                match case {
                    0 => text.push_str(&word.to_uppercase()),
                    1 => {
                        let mut chars = word.chars();
                        if let Some(first) = chars.next() {
                            text.push(first.to_ascii_uppercase());
                            text.push_str(chars.as_str());
                        }
                    }
                    _ => text.push_str(&word),
                }
                text.push_str(gap);
            }
            text
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(20_000))]

        #[test]
        fn equals_the_crate_on_rule_heavy_comments(text in comment()) {
            thread_local! {
                static SCORERS: (AsciiScorer, SentimentIntensityAnalyzer) =
                    (AsciiScorer::new(), SentimentIntensityAnalyzer::new());
            }
            SCORERS.with(|(ours, reference)| assert_same(ours, reference, &text));
        }

        #[test]
        fn equals_the_crate_on_any_ascii(text in "[\\x00-\\x7f]{0,80}") {
            thread_local! {
                static SCORERS: (AsciiScorer, SentimentIntensityAnalyzer) =
                    (AsciiScorer::new(), SentimentIntensityAnalyzer::new());
            }
            SCORERS.with(|(ours, reference)| assert_same(ours, reference, &text));
        }
    }

    /// Every lexicon entry, alone and inside the rules around it, so a
    /// valence read wrongly from lexicon.tsv cannot hide.
    #[test]
    fn equals_the_crate_on_every_lexicon_word() {
        let (ours, reference) = (AsciiScorer::new(), SentimentIntensityAnalyzer::new());
        let mut checked = 0;
        for line in LEXICON.lines().filter(|l| !l.starts_with('#')) {
            let word = line.split('\t').next().unwrap();
            if !word.is_ascii() || word.contains(char::is_whitespace) {
                continue;
            }
            for text in [
                word.to_string(),
                format!("the app was not very {word}"),
                format!("it is {} but {word}!", word.to_uppercase()),
                format!("at least {word}??"),
            ] {
                assert_same(&ours, &reference, &text);
            }
            checked += 1;
        }
        assert!(checked > 7400, "{checked}");
    }

    #[test]
    fn leaves_other_text_to_the_crate() {
        let ours = AsciiScorer::new();
        assert!(ours.score("café was good").is_none());
        assert!(ours.score("great 👍").is_none());
        assert!(ours.score(&"good ".repeat(MAX_BYTES)).is_none());
        assert!(ours.score("good ").is_some());
    }

    #[test]
    fn python_round_matches_formatting_on_ties_and_near_ties() {
        for value in [
            0.00005,
            0.00015,
            -0.00025,
            0.12345,
            0.0005,
            0.9999499999,
            -0.99995,
            0.1,
            0.0,
        ] {
            for digits in [3, 4] {
                let exact: f64 = format!("{value:.digits$}").parse().unwrap();
                assert_eq!(
                    python_round(value, digits).to_bits(),
                    exact.to_bits(),
                    "{value} {digits}"
                );
            }
        }
    }
}
