//! Reading score cells. Survey tools export scores as bare numbers, as
//! numbers with their anchor label (`10 - Extremely likely`) or as labels
//! alone (`Very satisfied`); the role of the column decides which scale a
//! label belongs to, because `Agree` is 4 on a 5-point scale but 6 on a
//! 7-point one.

use std::borrow::Cow;

use serde::{Deserialize, Serialize};

/// The range a score column is read on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Scale {
    /// 0–10 likelihood to recommend.
    Nps,
    /// 1–5 satisfaction or agreement.
    Csat5,
    /// Zendesk-style `good` / `bad`, stored as 1 / 0.
    GoodBad,
    /// 1–7 agreement ("the company made it easy…").
    Ces7,
    /// Any number: a custom metric has no fixed range.
    Open,
}

impl Scale {
    pub fn range(self) -> Option<(f64, f64)> {
        match self {
            Scale::Nps => Some((0.0, 10.0)),
            Scale::Csat5 => Some((1.0, 5.0)),
            Scale::GoodBad => Some((0.0, 1.0)),
            Scale::Ces7 => Some((1.0, 7.0)),
            Scale::Open => None,
        }
    }

    /// Reads one cell: `Ok(None)` for an empty or "not rated" cell, an error
    /// message for text that is no score or a score out of range.
    pub fn read(self, cell: &str) -> Result<Option<f32>, String> {
        let cell = trim(cell);
        if cell.is_empty() {
            return Ok(None);
        }
        // A bare small integer, as in nearly every cell, needs no check
        // that it is whole.
        let (value, whole) = match small_integer(cell) {
            Some(v) => (v, true),
            None => match leading_number(cell) {
                Some(v) => (v, false),
                None => match self.label(cell) {
                    Label::Score(v) => (v, true),
                    Label::NotRated => return Ok(None),
                    Label::Unknown => {
                        return Err(format!("{cell:?} is not a number or a known label"))
                    }
                },
            },
        };
        if let Some((lo, hi)) = self.range() {
            let fraction = !whole && value.fract() != 0.0;
            if !(lo..=hi).contains(&value) || (self != Scale::Open && fraction) {
                return Err(format!("score {cell} is outside {lo}–{hi}"));
            }
        }
        Ok(Some(value as f32))
    }

    fn label(self, cell: &str) -> Label {
        let norm = normalize(cell);
        let found = match self {
            Scale::Nps => match norm.as_str() {
                "extremely likely" => Some(10.0),
                "not at all likely" | "not likely at all" => Some(0.0),
                _ => None,
            },
            Scale::Csat5 => satisfaction5(&norm).or_else(|| agreement5(&norm)),
            Scale::GoodBad => return good_bad(&norm),
            Scale::Ces7 => agreement7(&norm),
            Scale::Open => yes_no(&norm),
        };
        found.map_or(Label::Unknown, Label::Score)
    }
}

enum Label {
    Score(f64),
    NotRated,
    Unknown,
}

/// Zendesk exports "Good", "Bad", "Good with comment"…, and "Offered" /
/// "Unoffered" for tickets whose survey was never answered.
fn good_bad(norm: &str) -> Label {
    if norm.starts_with("good") {
        Label::Score(1.0)
    } else if norm.starts_with("bad") {
        Label::Score(0.0)
    } else if matches!(norm, "offered" | "unoffered" | "not offered") {
        Label::NotRated
    } else {
        Label::Unknown
    }
}

/// Yes / no answers as 1 / 0, so a yes/no column can be a custom metric
/// (a rate of yes).
fn yes_no(norm: &str) -> Option<f64> {
    match norm {
        "yes" | "y" | "true" => Some(1.0),
        "no" | "n" | "false" => Some(0.0),
        _ => None,
    }
}

/// True for a cell [`Scale::Open`] reads as yes or no.
pub fn is_yes_no(cell: &str) -> bool {
    cell.len() <= 5 && yes_no(&cell.trim().to_ascii_lowercase()).is_some()
}

/// True for cells a Zendesk satisfaction column holds, so a column of them is
/// read as good/bad rather than rejected.
pub fn is_good_bad(cell: &str) -> bool {
    let norm = normalize(cell);
    norm.starts_with("good") || norm.starts_with("bad")
}

/// Which label family a cell belongs to, for guessing roles from values.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LabelKind {
    Likelihood,
    Satisfaction,
    Agreement5,
    Agreement7,
}

pub fn label_kind(cell: &str) -> Option<LabelKind> {
    let cell = cell.trim();
    let norm = normalize(cell);
    let rest = match leading_number(cell) {
        Some(_) => normalize(cell.trim_start_matches(|c: char| !c.is_alphabetic())),
        None => norm,
    };
    if rest.contains("likely") {
        Some(LabelKind::Likelihood)
    } else if satisfaction5(&rest).is_some() {
        Some(LabelKind::Satisfaction)
    } else if rest.starts_with("somewhat ") && agreement7(&rest).is_some() {
        Some(LabelKind::Agreement7)
    } else if agreement5(&rest).is_some() {
        Some(LabelKind::Agreement5)
    } else {
        None
    }
}

fn satisfaction5(norm: &str) -> Option<f64> {
    Some(match norm {
        "very satisfied" | "extremely satisfied" | "completely satisfied" => 5.0,
        "satisfied" | "somewhat satisfied" => 4.0,
        "neutral" | "neither satisfied nor dissatisfied" => 3.0,
        "dissatisfied" | "somewhat dissatisfied" => 2.0,
        "very dissatisfied" | "extremely dissatisfied" | "completely dissatisfied" => 1.0,
        _ => return None,
    })
}

fn agreement5(norm: &str) -> Option<f64> {
    Some(match norm {
        "strongly agree" => 5.0,
        "agree" => 4.0,
        "neither agree nor disagree" | "neutral" => 3.0,
        "disagree" => 2.0,
        "strongly disagree" => 1.0,
        _ => return None,
    })
}

fn agreement7(norm: &str) -> Option<f64> {
    Some(match norm {
        "strongly agree" => 7.0,
        "agree" => 6.0,
        "somewhat agree" => 5.0,
        "neither agree nor disagree" | "neutral" => 4.0,
        "somewhat disagree" => 3.0,
        "disagree" => 2.0,
        "strongly disagree" => 1.0,
        _ => return None,
    })
}

/// `0` to `999`: nearly every score cell, read without the general path.
/// `str::trim`, answered from the first and last bytes when neither can be
/// whitespace, as in nearly every cell: the full trim decodes a character
/// at each end through calls that showed up in import profiles, once per
/// cell of a 500 000-row file.
pub fn trim(cell: &str) -> &str {
    let plain = |b: &u8| (b'!'..0x80).contains(b);
    match (cell.as_bytes().first(), cell.as_bytes().last()) {
        (Some(a), Some(z)) if plain(a) && plain(z) => cell,
        _ => cell.trim(),
    }
}

fn small_integer(cell: &str) -> Option<f64> {
    let bytes = cell.as_bytes();
    (!bytes.is_empty() && bytes.len() <= 3 && bytes.iter().all(u8::is_ascii_digit)).then(|| {
        f64::from(
            bytes
                .iter()
                .fold(0u32, |n, &b| n * 10 + u32::from(b - b'0')),
        )
    })
}

fn normalize(cell: &str) -> String {
    cell.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// The number a cell starts with, when what follows is nothing or an anchor
/// label (`10 - Extremely likely`, `1 = Very difficult`, `4 (Agree)`).
/// A comma is a decimal separator unless it groups thousands (`1,234`).
pub fn leading_number(cell: &str) -> Option<f64> {
    let cell = cell.trim();
    let end = cell
        .char_indices()
        .find(|&(i, c)| {
            !(c.is_ascii_digit() || c == '.' || c == ',' || (i == 0 && (c == '-' || c == '+')))
        })
        .map_or(cell.len(), |(i, _)| i);
    let (num, rest) = cell.split_at(end);
    let num = num.trim_end_matches(['.', ',']);
    if num.is_empty() || num == "-" || num == "+" {
        return None;
    }
    let rest = rest.trim_start();
    let label_follows = rest.is_empty()
        || rest.starts_with(['-', '–', '—', '=', ':', '(', '/'])
        || (end < cell.len()
            && cell[end..].starts_with(char::is_whitespace)
            && rest.starts_with(char::is_alphabetic));
    if !label_follows {
        return None;
    }
    let normalized: Cow<str> = match num.split_once(',') {
        Some((whole, frac)) if !frac.contains(',') && !whole.contains('.') => {
            if frac.len() == 3 {
                format!("{whole}{frac}").into()
            } else {
                format!("{whole}.{frac}").into()
            }
        }
        Some(_) => num.replace(',', "").into(),
        None => num.into(),
    };
    normalized.parse::<f64>().ok().filter(|v| v.is_finite())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_with_and_without_anchor_labels() {
        assert_eq!(leading_number("10 - Extremely likely"), Some(10.0));
        assert_eq!(leading_number("0 = Not at all likely"), Some(0.0));
        assert_eq!(leading_number(" 7 "), Some(7.0));
        assert_eq!(leading_number("4,5"), Some(4.5));
        assert_eq!(leading_number("1,234"), Some(1234.0));
        assert_eq!(leading_number("3.25"), Some(3.25));
        assert_eq!(leading_number("4 (Agree)"), Some(4.0));
        assert_eq!(leading_number("4th"), None);
        assert_eq!(leading_number("abc"), None);
        assert_eq!(leading_number("-"), None);
    }

    #[test]
    fn trim_agrees_with_str_trim() {
        for cell in [
            "",
            "a",
            " a",
            "a\t",
            "\u{a0}x\u{a0}",
            "x\u{85}",
            "\u{1f}a",
            "é",
            "a b",
        ] {
            assert_eq!(trim(cell), cell.trim(), "{cell:?}");
        }
    }

    #[test]
    fn small_integers_read_like_any_number() {
        for cell in ["0", "7", "07", "10", "999"] {
            assert_eq!(small_integer(cell), leading_number(cell), "{cell}");
        }
        for cell in ["", "1000", "-1", "1.5", "1a"] {
            assert_eq!(small_integer(cell), None, "{cell}");
        }
    }

    #[test]
    fn nps_scale() {
        assert_eq!(Scale::Nps.read("10 - Extremely likely"), Ok(Some(10.0)));
        assert_eq!(Scale::Nps.read("Not at all likely"), Ok(Some(0.0)));
        assert_eq!(Scale::Nps.read(""), Ok(None));
        assert!(Scale::Nps.read("11").unwrap_err().contains("outside"));
        assert!(Scale::Nps.read("7.5").is_err());
        assert!(Scale::Nps.read("great").is_err());
    }

    #[test]
    fn satisfaction_and_agreement_labels() {
        let five = [
            "Very dissatisfied",
            "Dissatisfied",
            "Neutral",
            "Satisfied",
            "Very satisfied",
        ];
        for (i, label) in five.iter().enumerate() {
            assert_eq!(Scale::Csat5.read(label), Ok(Some(i as f32 + 1.0)));
        }
        assert_eq!(Scale::Csat5.read("Strongly  agree"), Ok(Some(5.0)));
        assert_eq!(Scale::Ces7.read("Agree"), Ok(Some(6.0)));
        assert_eq!(Scale::Ces7.read("Somewhat disagree"), Ok(Some(3.0)));
        assert_eq!(Scale::Ces7.read("Strongly disagree"), Ok(Some(1.0)));
        assert!(Scale::Ces7.read("8").is_err());
    }

    #[test]
    fn good_bad_with_unanswered_surveys() {
        assert_eq!(Scale::GoodBad.read("Good"), Ok(Some(1.0)));
        assert_eq!(Scale::GoodBad.read("bad with comment"), Ok(Some(0.0)));
        assert_eq!(Scale::GoodBad.read("Offered"), Ok(None));
        assert!(Scale::GoodBad.read("meh").is_err());
    }

    #[test]
    fn open_scale_reads_yes_and_no() {
        assert_eq!(Scale::Open.read("Yes"), Ok(Some(1.0)));
        assert_eq!(Scale::Open.read(" no "), Ok(Some(0.0)));
        assert_eq!(Scale::Open.read("TRUE"), Ok(Some(1.0)));
        assert_eq!(Scale::Open.read("12.5"), Ok(Some(12.5)));
        assert!(Scale::Open.read("maybe").is_err());
        assert!(Scale::Csat5.read("yes").is_err());
        assert!(is_yes_no("Yes") && is_yes_no("n") && !is_yes_no("Yesterday"));
    }

    #[test]
    fn label_kinds() {
        assert_eq!(
            label_kind("10 - Extremely likely"),
            Some(LabelKind::Likelihood)
        );
        assert_eq!(label_kind("Very satisfied"), Some(LabelKind::Satisfaction));
        assert_eq!(label_kind("Somewhat agree"), Some(LabelKind::Agreement7));
        assert_eq!(label_kind("Agree"), Some(LabelKind::Agreement5));
        assert_eq!(label_kind("Paris"), None);
    }
}
