//! Comment sentiment exactly as VADER scores it: the lexicon-and-rules model
//! of Hutto & Gilbert (2014), as Python `vaderSentiment` 3.3.2 computes it.
//!
//! The scoring itself is the `vader-parity` crate, which reimplements every
//! rule of the reference over the reference's own MIT-licensed lexicons
//! (their notice ships in that crate's `data/LICENSE-VADER`). It was chosen
//! over `vader_sentiment` 0.1.1 because that port flips the label of 44 of
//! 442 test sentences against the reference, while this one matched all of
//! them; `tests/sentiment_golden.rs` keeps checking it on 771 comments
//! scored by the Python package (`tests/golden/sentiment_reference.py`).
//!
//! Plain ASCII comments up to 4 KB, most of what surveys export, take a
//! route about three times faster to the same scores ([`ascii`], tested
//! equal to the crate), over the reference's lexicon and rule tables as
//! `extract_tables.py` reads them out of the Python package (their MIT
//! notice is `LICENSE-VADER` here). The crate's own tables are parsed only
//! when a comment needs them.
//!
//! The lexicons are about 600 KB of text inside the scorer. Only
//! [`Scorer::new`] reaches them, so a binary that never builds a scorer
//! (the app's first page) carries none of it.
//!
//! VADER is English-only and word-list based: it knows words, emoticons and
//! emoji, not grammar or other languages, and says "neutral" for text it
//! has no words for.

mod ascii;

use std::cell::OnceCell;

use serde::{Deserialize, Serialize};
use vader_parity::SentimentIntensityAnalyzer;

use crate::import::{Column, ColumnData, Dataset, Role, Scale};

/// The four scores of one comment, at the reference's precision: the
/// compound (−1…1) to 4 decimals, the shares of positive, neutral and
/// negative words to 3.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Scores {
    pub compound: f64,
    pub pos: f64,
    pub neu: f64,
    pub neg: f64,
}

/// VADER's own reading of the compound score.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Label {
    Negative,
    Neutral,
    Positive,
}

impl Label {
    /// The thresholds Hutto & Gilbert recommend: positive at compound
    /// ≥ 0.05, negative at ≤ −0.05, neutral between.
    pub fn of(compound: f64) -> Label {
        if compound >= 0.05 {
            Label::Positive
        } else if compound <= -0.05 {
            Label::Negative
        } else {
            Label::Neutral
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Label::Negative => "negative",
            Label::Neutral => "neutral",
            Label::Positive => "positive",
        }
    }
}

impl std::str::FromStr for Label {
    type Err = String;

    fn from_str(s: &str) -> Result<Label, String> {
        match s {
            "negative" => Ok(Label::Negative),
            "neutral" => Ok(Label::Neutral),
            "positive" => Ok(Label::Positive),
            other => Err(format!(
                "label must be negative, neutral or positive, not {other:?}"
            )),
        }
    }
}

impl Scores {
    pub fn label(&self) -> Label {
        Label::of(self.compound)
    }
}

/// Holds the parsed lexicons; building one takes a few milliseconds, so
/// build it once and score many comments with it.
pub struct Scorer {
    ascii: ascii::AsciiScorer,
    full: OnceCell<SentimentIntensityAnalyzer>,
}

impl Scorer {
    pub fn new() -> Scorer {
        Scorer {
            ascii: ascii::AsciiScorer::new(),
            full: OnceCell::new(),
        }
    }

    /// Scores any text without failing: empty, blank, markup, other
    /// scripts and very long lines included (all neutral where VADER has
    /// no words for them).
    pub fn score(&self, text: &str) -> Scores {
        self.ascii
            .score(text)
            .unwrap_or_else(|| self.score_any(text))
    }

    /// The crate's scores, for any text.
    fn score_any(&self, text: &str) -> Scores {
        let s = self
            .full
            .get_or_init(SentimentIntensityAnalyzer::new)
            .polarity_scores(text);
        Scores {
            compound: s.compound,
            pos: s.pos,
            neu: s.neu,
            neg: s.neg,
        }
    }
}

impl Default for Scorer {
    fn default() -> Scorer {
        Scorer::new()
    }
}

/// Whether a comment is there to score: blank cells are no comment, not a
/// neutral one.
pub fn is_comment(text: &str) -> bool {
    !text.trim().is_empty()
}

/// A row's compound as a dataset stores it; `NaN` where it has no comment.
/// An `f32` holds the reference's 4 decimals exactly enough to give them
/// back ([`compound_of`]) and to fall on the same side of ±0.05.
pub fn stored(compound: f64) -> f32 {
    compound as f32
}

/// The compound a dataset stored, at the reference's 4 decimals.
pub fn compound_of(stored: f32) -> Option<f64> {
    (!stored.is_nan()).then(|| (f64::from(stored) * 10_000.0).round() / 10_000.0)
}

/// Adds the sentiment of comment column `comment` to `data` as a column of
/// its own (role [`Role::Sentiment`], one compound per row, `NaN` where
/// there is no comment), or replaces the one it had. Scores are stored
/// with the dataset so they are computed once, at import.
///
/// # Panics
/// If `compound` does not have one value per row.
pub fn attach(data: &mut Dataset, comment: usize, compound: Vec<f32>) {
    assert_eq!(compound.len(), data.rows(), "one compound per row");
    let name = data.columns[comment].name.clone();
    let column = Column {
        name: format!("Sentiment: {name}"),
        // The comment column this one scores.
        field_id: Some(name),
        role: Role::Sentiment,
        data: ColumnData::Score {
            scale: Scale::Open,
            values: compound,
        },
    };
    match pairs(data).into_iter().find(|&(c, _)| c == comment) {
        Some((_, at)) => data.columns[at] = column,
        None => data.columns.push(column),
    }
}

/// Each scored comment column with its sentiment column, as indexes into
/// `data.columns`.
pub fn pairs(data: &Dataset) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    for (at, c) in data.columns.iter().enumerate() {
        if c.role != Role::Sentiment {
            continue;
        }
        let scored = data
            .columns
            .iter()
            .position(|d| d.role == Role::Comment && Some(&d.name) == c.field_id.as_ref());
        if let Some(comment) = scored {
            out.push((comment, at));
        }
    }
    out
}

/// Comment columns with text and no sentiment column yet.
pub fn unscored(data: &Dataset) -> Vec<usize> {
    let scored: Vec<usize> = pairs(data).into_iter().map(|(c, _)| c).collect();
    data.columns
        .iter()
        .enumerate()
        .filter(|(i, c)| {
            c.role == Role::Comment
                && matches!(c.data, ColumnData::Text { .. })
                && !scored.contains(i)
        })
        .map(|(i, _)| i)
        .collect()
}

/// The compounds of comment column `comment`, ready for [`attach`].
pub fn score_column(data: &Dataset, comment: usize, scorer: &Scorer) -> Vec<f32> {
    let column = &data.columns[comment];
    (0..data.rows())
        .map(|row| match column.text(row).filter(|t| is_comment(t)) {
            Some(text) => stored(scorer.score(text).compound),
            None => f32::NAN,
        })
        .collect()
}

/// Scores every comment column that has no sentiment yet, in this thread.
/// The app does the same in a worker of its own.
pub fn score_dataset(data: &mut Dataset, scorer: &Scorer) {
    for comment in unscored(data) {
        let compound = score_column(data, comment, scorer);
        attach(data, comment, compound);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::{ImportOptions, Importer};

    #[test]
    fn a_dataset_gets_one_sentiment_column_per_comment_column() {
        let file = "NPS,Good,Bad\n9,Lovely staff,\n2,,Awful wait\n5,  ,meh\n";
        let options = ImportOptions {
            roles: vec![
                ("Good".into(), Role::Comment),
                ("Bad".into(), Role::Comment),
            ],
            ..ImportOptions::default()
        };
        let mut data = Importer::new(file.as_bytes().to_vec(), options)
            .unwrap()
            .finish();
        let comments = unscored(&data);
        assert_eq!(comments.len(), 2, "{:?}", data.columns);
        let scorer = Scorer::new();
        score_dataset(&mut data, &scorer);
        assert!(unscored(&data).is_empty());
        let pairs = pairs(&data);
        assert_eq!(pairs.len(), 2);
        let (_, good) = pairs[0];
        let values: Vec<Option<f64>> = (0..3)
            .map(|r| data.columns[good].score(r).and_then(compound_of))
            .collect();
        assert_eq!(values[0], Some(scorer.score("Lovely staff").compound));
        // Blank and missing cells are no comment, not neutral ones.
        assert_eq!(values[1], None);
        assert_eq!(values[2], None);
        // Scoring again replaces rather than adds.
        let before = data.columns.len();
        attach(&mut data, pairs[1].0, vec![0.5; 3]);
        assert_eq!(data.columns.len(), before);
        assert_eq!(data.columns[pairs[1].1].score(0), Some(0.5));
    }

    /// Prints the native figures the README's performance table quotes:
    /// `cargo test -p waymark-core --release sentiment::tests::throughput
    /// -- --ignored --nocapture`. The comments are made like the wasm
    /// benchmark's (tests/e2e/bench/sentiment.bench.mjs): 20 words drawn
    /// from the same list.
    #[test]
    #[ignore]
    fn throughput() {
        const WORDS: [&str; 46] = [
            "the", "agent", "was", "friendly", "but", "I", "had", "to", "repeat", "my", "order",
            "number", "twice", "and", "waited", "on", "hold", "for", "ages", "great", "app",
            "crashed", "at", "checkout", "really", "helpful", "staff", "slow", "delivery", "not",
            "happy", "with", "refund", "very", "easy", "store", "terrible", "service", "love",
            "new", "jacket", "fits", "well", "email", "useless", "!",
        ];
        let mut seed: u64 = 20_261_207;
        let mut next = || {
            seed = (seed * 1_103_515_245 + 12_345) % (1 << 31);
            seed as f64 / (1u64 << 31) as f64
        };
        let comments: Vec<String> = (0..100_000)
            .map(|_| {
                (0..20)
                    .map(|_| WORDS[(next() * WORDS.len() as f64) as usize])
                    .collect::<Vec<_>>()
                    .join(" ")
            })
            .collect();
        let t = std::time::Instant::now();
        let scorer = Scorer::new();
        let load = t.elapsed();
        let t = std::time::Instant::now();
        let sum: f64 = comments.iter().map(|c| scorer.score(c).compound).sum();
        let per_second = comments.len() as f64 / t.elapsed().as_secs_f64();
        println!(
            "native: lexicon load {load:?}; {per_second:.0} comments/s over {} comments of 20 words (sum {sum:.1})",
            comments.len()
        );
    }

    #[test]
    fn stored_compounds_keep_four_decimals_and_their_label() {
        for c in [0.05, -0.05, 0.0499, -0.0499, 0.9999, -1.0, 0.4404, 0.0] {
            let back = compound_of(stored(c)).unwrap();
            assert_eq!(back, c);
            assert_eq!(Label::of(f64::from(stored(c))), Label::of(c), "{c}");
        }
        assert_eq!(compound_of(f32::NAN), None);
    }

    #[test]
    fn labels_follow_the_recommended_thresholds() {
        assert_eq!(Label::of(0.05), Label::Positive);
        assert_eq!(Label::of(0.0499), Label::Neutral);
        assert_eq!(Label::of(-0.0499), Label::Neutral);
        assert_eq!(Label::of(-0.05), Label::Negative);
        assert_eq!("negative".parse::<Label>(), Ok(Label::Negative));
        assert!("Negative".parse::<Label>().is_err());
    }

    #[test]
    fn hostile_text_is_scored_without_panicking() {
        let scorer = Scorer::new();
        for text in [
            "",
            "😀😡",
            "<script>alert(1)</script>",
            "<img src=x onerror=alert(1)>",
            "服务很好",
            &"terrible ".repeat(12_000),
            "\u{0}\u{feff}\u{202e}",
        ] {
            let s = scorer.score(text);
            assert!((-1.0..=1.0).contains(&s.compound), "{text:?}: {s:?}");
        }
    }
}
