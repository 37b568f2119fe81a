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
//! The lexicons are about 600 KB of text inside the scorer. Only
//! [`Scorer::new`] reaches them, so a binary that never builds a scorer
//! (the app's first page) carries none of it.
//!
//! VADER is English-only and word-list based: it knows words, emoticons and
//! emoji, not grammar or other languages, and says "neutral" for text it
//! has no words for.

use serde::{Deserialize, Serialize};
use vader_parity::SentimentIntensityAnalyzer;

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
pub struct Scorer(SentimentIntensityAnalyzer);

impl Scorer {
    pub fn new() -> Scorer {
        Scorer(SentimentIntensityAnalyzer::new())
    }

    /// Scores any text without failing: empty, blank, markup, other
    /// scripts and very long lines included (all neutral where VADER has
    /// no words for them).
    pub fn score(&self, text: &str) -> Scores {
        let s = self.0.polarity_scores(text);
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

#[cfg(test)]
mod tests {
    use super::*;

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
