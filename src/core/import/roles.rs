//! Guessing what each column is for. Header words alone mislead ("Why did
//! you give this score?" is a comment, "Customer satisfaction" is no
//! customer id), and values alone cannot tell a 1–5 CSAT from a 1–5 anything,
//! so both are combined; the user corrects the rest before importing.

use std::collections::HashSet;
use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use super::dates;
use super::values::{self, Scale};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Nps,
    Csat,
    Ces,
    Metric,
    Comment,
    Timestamp,
    Customer,
    Touchpoint,
    Channel,
    Stage,
    Segment,
    Ignored,
    /// VADER's compound score of a comment column, added by Waymark after
    /// the import ([`crate::sentiment::attach`]); never a file's column, so
    /// it is not in [`Role::ALL`] and cannot be chosen.
    Sentiment,
}

impl Role {
    pub const ALL: [Role; 12] = [
        Role::Nps,
        Role::Csat,
        Role::Ces,
        Role::Metric,
        Role::Comment,
        Role::Timestamp,
        Role::Customer,
        Role::Touchpoint,
        Role::Channel,
        Role::Stage,
        Role::Segment,
        Role::Ignored,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Role::Nps => "nps",
            Role::Csat => "csat",
            Role::Ces => "ces",
            Role::Metric => "metric",
            Role::Comment => "comment",
            Role::Timestamp => "timestamp",
            Role::Customer => "customer",
            Role::Touchpoint => "touchpoint",
            Role::Channel => "channel",
            Role::Stage => "stage",
            Role::Segment => "segment",
            Role::Ignored => "ignored",
            Role::Sentiment => "sentiment",
        }
    }

    /// Roles that make sense once per file: a second NPS column would make
    /// "the" NPS ambiguous, so later candidates fall back to other roles.
    fn is_single(self) -> bool {
        !matches!(
            self,
            Role::Metric | Role::Comment | Role::Ignored | Role::Sentiment
        )
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

impl FromStr for Role {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let s = s.trim().to_ascii_lowercase();
        Role::ALL
            .into_iter()
            .find(|r| r.label() == s)
            .ok_or_else(|| {
                let all: Vec<&str> = Role::ALL.iter().map(|r| r.label()).collect();
                format!("unknown role {s:?} (expected one of {})", all.join(", "))
            })
    }
}

/// What a sample of a column's cells looks like.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Profile {
    pub filled: usize,
    pub numbers: usize,
    pub integers: usize,
    pub min: f64,
    pub max: f64,
    pub dates: usize,
    pub emails: usize,
    pub good_bad: usize,
    /// Yes / no / true / false cells.
    pub yes_no: usize,
    pub labels: [usize; 4],
    pub total_len: usize,
    pub distinct: usize,
}

/// Longer than any score label (`0 - Not at all likely to recommend`,
/// `Neither satisfied nor dissatisfied`, with room for a tool's variants).
const LONGEST_LABEL: usize = 80;

impl Profile {
    pub fn of<'a>(cells: impl IntoIterator<Item = &'a str>) -> Profile {
        let mut p = Profile {
            min: f64::INFINITY,
            max: f64::NEG_INFINITY,
            ..Profile::default()
        };
        let mut seen = HashSet::new();
        for cell in cells {
            let cell = cell.trim();
            if cell.is_empty() {
                continue;
            }
            p.filled += 1;
            p.total_len += cell.chars().count();
            if seen.len() < 1000 {
                seen.insert(cell);
            }
            if let Some(v) = values::leading_number(cell) {
                p.numbers += 1;
                if v.fract() == 0.0 {
                    p.integers += 1;
                }
                p.min = p.min.min(v);
                p.max = p.max.max(v);
            }
            if dates::parse(cell).is_some()
                && !(cell.len() < 9 && cell.bytes().all(|b| b.is_ascii_digit()))
            {
                p.dates += 1;
            }
            if cell.contains('@') && cell.contains('.') && !cell.contains(' ') {
                p.emails += 1;
            }
            // Labels are short; comments are not, and normalising every
            // sampled comment to look for one was most of planning's time.
            if cell.len() > LONGEST_LABEL {
                continue;
            }
            if values::is_good_bad(cell)
                || matches!(cell.to_ascii_lowercase().as_str(), "offered" | "unoffered")
            {
                p.good_bad += 1;
            }
            if values::is_yes_no(cell) {
                p.yes_no += 1;
            }
            if let Some(kind) = values::label_kind(cell) {
                p.labels[kind as usize] += 1;
            }
        }
        p.distinct = seen.len();
        p
    }

    fn mostly(&self, count: usize) -> bool {
        self.filled > 0 && count * 10 >= self.filled * 9
    }

    fn score_like(&self) -> bool {
        self.filled == 0
            || self.mostly(self.numbers + self.labels.iter().sum::<usize>() + self.good_bad)
    }

    fn within(&self, lo: f64, hi: f64) -> bool {
        self.numbers > 0 && self.min >= lo && self.max <= hi && self.integers == self.numbers
    }

    fn avg_len(&self) -> f64 {
        self.total_len as f64 / self.filled.max(1) as f64
    }
}

fn words(text: &str) -> String {
    let lower = text.to_lowercase();
    let spaced: String = lower
        .chars()
        .map(|c| if c.is_alphanumeric() { c } else { ' ' })
        .collect();
    format!(
        " {} ",
        spaced.split_whitespace().collect::<Vec<_>>().join(" ")
    )
}

/// Header words per role, matched as whole words (padded with spaces), most
/// specific first.
const HINTS: &[(Role, &[&str])] = &[
    (
        Role::Comment,
        &[
            " comment",
            " why ",
            " reason",
            " feedback ",
            " verbatim",
            " tell us",
            " explain",
            " suggestion",
            " open ended",
            " anything else",
            " what could",
            " improve",
            " text ",
        ],
    ),
    (
        Role::Nps,
        &[
            " nps ",
            " recommend",
            " net promoter",
            " ltr ",
            " likelihood to",
            " likely ",
        ],
    ),
    (
        Role::Ces,
        &[" ces ", " effort", " easy ", " easier ", " ease "],
    ),
    (
        Role::Csat,
        &[
            " csat ", " satisf", " osat ", " happy ", " rating ", " rate ",
        ],
    ),
    (
        Role::Timestamp,
        &[
            " timestamp ",
            " date",
            " time ",
            " submitted",
            " created",
            " recorded",
            " responded",
        ],
    ),
    (
        Role::Touchpoint,
        &[
            " touchpoint",
            " touch point",
            " interaction",
            " journey step",
            " step ",
        ],
    ),
    (
        Role::Channel,
        &[" channel", " medium ", " via ", " contact method"],
    ),
    (Role::Stage, &[" stage", " phase", " journey "]),
    (
        Role::Segment,
        &[
            " segment",
            " persona",
            " tier ",
            " plan ",
            " cohort",
            " customer type",
            " membership",
        ],
    ),
    (
        Role::Customer,
        &[
            " customer id",
            " customer",
            " email",
            " e mail",
            " respondent",
            " user id",
            " client",
            " account",
            " contact",
            " requester",
            " name ",
        ],
    ),
];

/// Tool metadata columns that carry no feedback (Qualtrics ids, IPs…).
const NOISE: &[&str] = &[
    " ip address ",
    " ipaddress ",
    " progress ",
    " duration",
    " finished ",
    " status ",
    " latitude",
    " longitude",
    " locationlatitude ",
    " locationlongitude ",
    " distributionchannel ",
    " distribution channel ",
    " userlanguage ",
    " responseset ",
    " user language ",
    " network id ",
    " token ",
    " collector id ",
    " permalink ",
    " enddate ",
    " end date ",
    " startdate ",
    " start date ",
    " start date utc ",
    " updated at ",
    " q_",
    " nps group",
    " recordeddate ",
];

fn hinted(header: &str) -> Option<Role> {
    HINTS
        .iter()
        .find(|(_, words)| words.iter().any(|w| header.contains(w)))
        .map(|(role, _)| *role)
}

/// Guesses one column's role from its header (and the tool's field id) and a
/// sample of its cells.
pub fn guess(name: &str, id: Option<&str>, profile: &Profile) -> Role {
    let header = words(&format!("{name} {}", id.unwrap_or("")));
    let hint = hinted(&header);
    let textual = profile.filled > 0 && profile.numbers * 2 < profile.filled;
    let long_text = textual && profile.avg_len() >= 20.0;

    if header.contains(" recordeddate ")
        || header.contains(" recorded date ")
        || header.contains(" submit date ")
        || header.contains(" submitted at ")
    {
        return Role::Timestamp;
    }
    if NOISE.iter().any(|w| header.contains(w)) && hint != Some(Role::Nps) {
        return Role::Ignored;
    }
    // Yes / no (or 1 / 0 mixed in): a custom metric, read as 1 / 0. Before
    // the hints, as "Resolved first contact" names no customer.
    let yes_no = profile.yes_no > 0
        && profile.mostly(profile.yes_no + profile.numbers)
        && (profile.numbers == 0 || profile.within(0.0, 1.0));
    if yes_no && matches!(hint, None | Some(Role::Customer)) {
        return Role::Metric;
    }
    match hint {
        Some(role @ (Role::Nps | Role::Csat | Role::Ces))
            if profile.score_like()
                && !long_text
                && (role == Role::Csat || profile.good_bad == 0) =>
        {
            return role;
        }
        Some(Role::Timestamp) if profile.filled == 0 || profile.mostly(profile.dates) => {
            return Role::Timestamp
        }
        Some(Role::Comment) if !profile.score_like() || profile.filled == 0 => {
            return Role::Comment
        }
        Some(
            role
            @ (Role::Touchpoint | Role::Channel | Role::Stage | Role::Segment | Role::Customer),
        ) => return role,
        _ => {}
    }
    if profile.filled == 0 {
        return Role::Ignored;
    }
    if profile.mostly(profile.good_bad) {
        return Role::Csat;
    }
    let [likelihood, satisfaction, agree5, agree7] = profile.labels;
    // Anchored exports mix "10 - Extremely likely" with bare "7", so one
    // label plus numbers in range is enough.
    let labelled = |count: usize, lo: f64, hi: f64| {
        count > 0
            && profile.mostly(profile.numbers.max(count))
            && (profile.numbers == 0 || profile.within(lo, hi))
    };
    if labelled(likelihood, 0.0, 10.0) {
        return Role::Nps;
    }
    if profile.mostly(satisfaction + agree5) && agree7 == 0 && satisfaction > 0 {
        return Role::Csat;
    }
    if profile.mostly(profile.dates) {
        return Role::Timestamp;
    }
    if profile.mostly(profile.emails) {
        return Role::Customer;
    }
    if profile.mostly(profile.numbers) {
        let scored = header.contains(" score ") || header.contains(" rating ");
        return match () {
            _ if scored && profile.within(0.0, 10.0) && profile.max > 7.0 => Role::Nps,
            _ if scored && profile.within(1.0, 5.0) => Role::Csat,
            _ if header.contains(" id ") || header.ends_with("id ") || header.contains(" # ") => {
                Role::Ignored
            }
            _ => Role::Metric,
        };
    }
    if long_text || hint == Some(Role::Comment) {
        return Role::Comment;
    }
    Role::Ignored
}

/// Scale a score column is read on, given its role and sampled cells.
pub fn scale_for(role: Role, profile: &Profile) -> Scale {
    match role {
        Role::Nps => Scale::Nps,
        Role::Csat if profile.good_bad > 0 && profile.mostly(profile.good_bad) => Scale::GoodBad,
        Role::Csat => Scale::Csat5,
        Role::Ces => Scale::Ces7,
        _ => Scale::Open,
    }
}

/// Guesses all columns, then demotes repeats of once-per-file roles so that,
/// say, a second NPS column becomes a custom metric.
pub fn guess_all(columns: &[(String, Option<String>, Profile)]) -> Vec<Role> {
    let mut taken = HashSet::new();
    columns
        .iter()
        .map(|(name, id, profile)| {
            let role = guess(name, id.as_deref(), profile);
            if role.is_single() && !taken.insert(role) {
                if matches!(role, Role::Nps | Role::Csat | Role::Ces)
                    && profile.mostly(profile.numbers)
                {
                    Role::Metric
                } else {
                    Role::Ignored
                }
            } else {
                role
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn g(name: &str, cells: &[&str]) -> Role {
        guess(name, None, &Profile::of(cells.iter().copied()))
    }

    #[test]
    fn header_synonyms() {
        assert_eq!(
            g(
                "How likely are you to recommend us to a friend?",
                &["9", "10", "3"]
            ),
            Role::Nps
        );
        assert_eq!(g("Overall satisfaction", &["4", "5"]), Role::Csat);
        assert_eq!(
            g("The company made it easy to handle my issue", &["6", "7"]),
            Role::Ces
        );
        assert_eq!(g("Customer Effort Score", &["6", "7"]), Role::Ces);
        assert_eq!(
            g(
                "Why did you give this score?",
                &["Slow delivery, rude staff", "Great"]
            ),
            Role::Comment
        );
        assert_eq!(g("Submitted At", &["2024-03-04 10:00:00"]), Role::Timestamp);
        assert_eq!(g("Touchpoint", &["Checkout"]), Role::Touchpoint);
        assert_eq!(g("Channel", &["Web"]), Role::Channel);
        assert_eq!(g("Journey stage", &["Buy"]), Role::Stage);
        assert_eq!(g("Persona", &["Commuter"]), Role::Segment);
        assert_eq!(g("Email", &["a@b.com"]), Role::Customer);
        assert_eq!(g("Customer satisfaction", &["5"]), Role::Csat);
        assert_eq!(g("IPAddress", &["10.0.0.1"]), Role::Ignored);
    }

    #[test]
    fn values_decide_when_headers_do_not() {
        assert_eq!(g("Q7", &["10 - Extremely likely", "3"]), Role::Nps);
        assert_eq!(g("Q8", &["Very satisfied", "Dissatisfied"]), Role::Csat);
        assert_eq!(g("Result", &["Good", "Bad", "Offered"]), Role::Csat);
        assert_eq!(g("Score", &["0", "9", "10", "6"]), Role::Nps);
        assert_eq!(g("Score", &["1", "5", "4"]), Role::Csat);
        assert_eq!(g("Order value", &["12.5", "30"]), Role::Metric);
        assert_eq!(
            g("Resolved first contact", &["Yes", "no", "YES"]),
            Role::Metric
        );
        assert_eq!(g("Repeat buyer", &["true", "false", "1"]), Role::Metric);
        assert_eq!(g("When", &["3/4/2024 10:00:00 AM"]), Role::Timestamp);
        assert_eq!(
            g(
                "Q9",
                &[
                    "The checkout page kept timing out on me",
                    "Everything was fine thanks"
                ]
            ),
            Role::Comment
        );
        assert_eq!(g("Region", &["North", "South"]), Role::Ignored);
        assert_eq!(g("Empty", &[]), Role::Ignored);
    }

    #[test]
    fn one_nps_per_file() {
        let cols = vec![
            ("NPS".to_string(), None, Profile::of(["9"])),
            ("NPS last year".to_string(), None, Profile::of(["7"])),
        ];
        assert_eq!(guess_all(&cols), [Role::Nps, Role::Metric]);
    }

    #[test]
    fn roles_parse_from_text() {
        assert_eq!("CSAT".parse::<Role>(), Ok(Role::Csat));
        assert!("score".parse::<Role>().is_err());
    }
}
