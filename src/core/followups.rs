//! Closing the loop: the detractors and very negative comments of a map's
//! datasets as a list to work through, each with a status, an owner and a
//! note.
//!
//! Rows become candidates afresh from the datasets every time; only what
//! the user changed is stored, with a copy of the row as it was
//! ([`Candidate`]), so a follow-up outlives its dataset and can still say
//! whom it was about. A follow-up is known by its file and line
//! ([`FollowUp::key`]), which re-importing the same file gives again.

use std::collections::{HashMap, HashSet};

use serde::{Deserialize, Serialize};

use crate::formats::csv::safe_text;
use crate::import::{ColumnData, Role, Scale, MISSING};
use crate::insights::comments::{Level, Score, ScoreColumns};
use crate::insights::dates::Day;
use crate::insights::journey::{Source, UNDATED};
use crate::model::JourneyMap;
use crate::sentiment::{compound_of, is_comment, pairs};

/// Schema of the stored list, for the envelope it is kept in.
pub const FOLLOWUPS_SCHEMA: u32 = 1;

/// A comment at or below this compound is followed up whatever its score.
/// VADER calls −0.05 negative, which takes in mild grumbles; −0.5 is
/// reached by plainly angry or distressed comments ("terrible service,
/// never again"), the ones worth a call even from a passive.
pub const VERY_NEGATIVE: f64 = -0.5;

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    #[default]
    Open,
    Contacted,
    Resolved,
}

impl Status {
    pub const ALL: [Status; 3] = [Status::Open, Status::Contacted, Status::Resolved];

    pub fn as_str(self) -> &'static str {
        match self {
            Status::Open => "open",
            Status::Contacted => "contacted",
            Status::Resolved => "resolved",
        }
    }
}

/// The row a follow-up is about, as it read when the list was made.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Candidate {
    /// The dataset's name, to say where a follow-up came from once that
    /// dataset is gone.
    pub dataset: String,
    /// The row's line in the file (1-based), to find it there.
    pub line: u32,
    /// The customer column's cell; empty when the export has none.
    pub customer: String,
    /// The low answer that made the row a candidate, else the row's first
    /// answer (NPS, CSAT, CES).
    pub score: Option<Score>,
    /// The row's most negative comment (the first, when none is scored).
    pub comment: String,
    pub compound: Option<f64>,
    /// The map's touchpoint the row is placed on, else the file's value.
    pub touchpoint: String,
    /// `YYYY-MM-DD`.
    pub date: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FollowUp {
    /// `{dataset file hash}:{line}`.
    pub key: String,
    pub status: Status,
    #[serde(default)]
    pub owner: String,
    #[serde(default)]
    pub note: String,
    /// When the user last changed it (ms since 1970); 0 until then.
    #[serde(default)]
    pub updated_ms: f64,
    pub snapshot: Candidate,
}

impl FollowUp {
    /// Whether the user made anything of it: only such follow-ups are
    /// stored, since the rest are made again from the datasets.
    pub fn is_touched(&self) -> bool {
        self.status != Status::Open || !self.owner.trim().is_empty() || !self.note.trim().is_empty()
    }

    /// The dataset file it came from ([`candidates`]' `hash`).
    pub fn file_hash(&self) -> &str {
        self.key.rsplit_once(':').map_or("", |(hash, _)| hash)
    }
}

/// The rows of one dataset to follow up, untouched (open, no owner, no
/// note): a detractor (NPS 0–6), a dissatisfied CSAT (1–2, or bad), a
/// difficult CES (1–3), or a comment at or below [`VERY_NEGATIVE`].
/// `hash` is the dataset's file hash (`DatasetMeta::hash`), which keys its
/// follow-ups with the rows' file lines; `dataset` is its name.
pub fn candidates(source: Source, map: &JourneyMap, hash: &str, dataset: &str) -> Vec<FollowUp> {
    let (data, index) = (source.data, source.index);
    let scores = ScoreColumns::of(data);
    let scored = pairs(data);
    let comments: Vec<(usize, Option<&[f32]>)> = data
        .columns
        .iter()
        .enumerate()
        .filter(|(_, c)| c.role == Role::Comment)
        .map(|(at, _)| {
            let compounds =
                scored
                    .iter()
                    .find(|p| p.0 == at)
                    .and_then(|p| match &data.columns[p.1].data {
                        ColumnData::Score { values, .. } => Some(values.as_slice()),
                        _ => None,
                    });
            (at, compounds)
        })
        .collect();
    let customer = data.column(Role::Customer);
    let file_touchpoint = data.column(Role::Touchpoint);
    let mut out = Vec::new();
    for row in 0..index.rows().min(data.rows()) {
        let low = scores
            .scores(row)
            .find(|s| s.band().is_some_and(|b| b.level == Level::Low));
        let mut worst: Option<(&str, Option<f64>)> = None;
        for &(column, compounds) in &comments {
            let Some(text) = data.columns[column].text(row).filter(|t| is_comment(t)) else {
                continue;
            };
            let compound = compounds
                .and_then(|v| v.get(row))
                .and_then(|&v| compound_of(v));
            let key = |c: Option<f64>| c.unwrap_or(f64::INFINITY);
            if worst.is_none_or(|(_, w)| key(compound) < key(w)) {
                worst = Some((text, compound));
            }
        }
        let very_negative = worst
            .and_then(|(_, c)| c)
            .is_some_and(|c| c <= VERY_NEGATIVE);
        if low.is_none() && !very_negative {
            continue;
        }
        let touchpoint = match index.touchpoint[row] {
            MISSING => file_touchpoint.and_then(|c| c.text(row)),
            tp => map.touchpoints.get(tp as usize).map(|t| t.name.as_str()),
        };
        let line = data.lines[row];
        out.push(FollowUp {
            key: format!("{hash}:{line}"),
            status: Status::Open,
            owner: String::new(),
            note: String::new(),
            updated_ms: 0.0,
            snapshot: Candidate {
                dataset: dataset.to_owned(),
                line,
                customer: customer
                    .and_then(|c| c.text(row))
                    .unwrap_or_default()
                    .trim()
                    .to_owned(),
                score: low.or_else(|| scores.scores(row).next()),
                comment: worst.map(|(t, _)| t.to_owned()).unwrap_or_default(),
                compound: worst.and_then(|(_, c)| c),
                touchpoint: touchpoint.unwrap_or_default().to_owned(),
                date: (index.day[row] != UNDATED).then(|| Day(index.day[row]).to_string()),
            },
        });
    }
    out
}

/// One line of the follow-up list.
#[derive(Clone, Debug, PartialEq)]
pub struct Item {
    pub follow_up: FollowUp,
    /// Whether its dataset is still attached to the map; when not, the
    /// item shows its snapshot and says the source is gone.
    pub present: bool,
}

/// The follow-up list: the current `candidates` of the map's datasets
/// (whose file hashes are `present`) with what the user stored for them,
/// then stored follow-ups that are no candidate any more, such as those of
/// a deleted dataset. A present candidate takes the stored status, owner
/// and note but its own fresh snapshot (a renamed touchpoint shows its new
/// name). The same key twice (one file attached twice) is listed once.
pub fn merge(candidates: Vec<FollowUp>, present: &[&str], stored: &[FollowUp]) -> Vec<Item> {
    let by_key: HashMap<&str, &FollowUp> = stored.iter().map(|f| (f.key.as_str(), f)).collect();
    let mut seen: HashSet<String> = HashSet::new();
    let mut out = Vec::with_capacity(candidates.len());
    for mut candidate in candidates {
        if !seen.insert(candidate.key.clone()) {
            continue;
        }
        if let Some(kept) = by_key.get(candidate.key.as_str()) {
            candidate.status = kept.status;
            candidate.owner.clone_from(&kept.owner);
            candidate.note.clone_from(&kept.note);
            candidate.updated_ms = kept.updated_ms;
        }
        out.push(Item {
            follow_up: candidate,
            present: true,
        });
    }
    for kept in stored {
        if seen.insert(kept.key.clone()) {
            out.push(Item {
                present: present.contains(&kept.file_hash()),
                follow_up: kept.clone(),
            });
        }
    }
    out
}

/// What to store of a list: the follow-ups the user touched.
pub fn to_store(items: &[Item]) -> Vec<FollowUp> {
    items
        .iter()
        .map(|i| &i.follow_up)
        .filter(|f| f.is_touched())
        .cloned()
        .collect()
}

/// What the list shows. Every field narrows; the default shows all.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ListFilter {
    pub status: Option<Status>,
    /// A touchpoint name as the list shows it.
    pub touchpoint: Option<String>,
    /// An owner, ignoring case and surrounding spaces; `Some("")` is the
    /// unassigned ones.
    pub owner: Option<String>,
    /// Words that must all appear (ignoring case) in the customer,
    /// comment, note, owner or touchpoint.
    pub text: String,
}

impl ListFilter {
    pub fn matches(&self, item: &Item) -> bool {
        let f = &item.follow_up;
        let s = &f.snapshot;
        if self.status.is_some_and(|st| st != f.status)
            || self.touchpoint.as_ref().is_some_and(|t| *t != s.touchpoint)
            || self
                .owner
                .as_ref()
                .is_some_and(|o| o.trim().to_lowercase() != f.owner.trim().to_lowercase())
        {
            return false;
        }
        if self.text.trim().is_empty() {
            return true;
        }
        let haystack = [&s.customer, &s.comment, &f.note, &f.owner, &s.touchpoint]
            .map(|t| t.to_lowercase())
            .join("\n");
        self.text
            .to_lowercase()
            .split_whitespace()
            .all(|word| haystack.contains(word))
    }
}

/// The columns of [`followups_csv`], in order.
pub const HEADER: [&str; 11] = [
    "customer",
    "touchpoint",
    "date",
    "score",
    "scale",
    "comment",
    "compound",
    "status",
    "owner",
    "note",
    "source",
];

fn scale_label(scale: Scale) -> &'static str {
    match scale {
        Scale::Nps => "NPS 0-10",
        Scale::Csat5 => "CSAT 1-5",
        Scale::GoodBad => "CSAT good/bad (1/0)",
        Scale::Ces7 => "CES 1-7",
        Scale::Open => "open",
    }
}

/// The list as a spreadsheet, one row per item after a header row, made
/// safe like the touchpoint export: text cells go through [`safe_text`]
/// and are quoted, while score and compound stay plain numbers (−0.6 is
/// the number −0.6, not text), empty when missing.
pub fn followups_csv<'a>(items: impl IntoIterator<Item = &'a Item>) -> String {
    let mut w = csv::WriterBuilder::new()
        .quote_style(csv::QuoteStyle::NonNumeric)
        .from_writer(Vec::new());
    w.write_record(HEADER)
        .expect("writing to memory cannot fail");
    for item in items {
        let (f, s) = (&item.follow_up, &item.follow_up.snapshot);
        let text = |t: &str| safe_text(t).into_owned();
        let number = |v: Option<f64>| v.filter(|v| v.is_finite()).map(|v| v.to_string());
        let row = [
            text(&s.customer),
            text(&s.touchpoint),
            text(s.date.as_deref().unwrap_or_default()),
            number(s.score.map(|s| s.value)).unwrap_or_default(),
            s.score
                .map(|s| scale_label(s.scale))
                .unwrap_or_default()
                .into(),
            text(&s.comment),
            number(s.compound).unwrap_or_default(),
            f.status.as_str().into(),
            text(&f.owner),
            text(&f.note),
            if item.present { "present" } else { "gone" }.into(),
        ];
        w.write_record(&row).expect("writing to memory cannot fail");
    }
    let bytes = w.into_inner().expect("writing to memory cannot fail");
    String::from_utf8(bytes).expect("every cell was a str")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::matching::Aliases;
    use crate::import::{import, Dataset, ImportOptions};
    use crate::insights::journey::tests::map;
    use crate::insights::journey::{ChannelLinks, RowIndex};
    use crate::sentiment::{attach, stored};

    const FILE: &str = "Date,Customer,Touchpoint,NPS,CSAT,Comment,Other\n\
        2024-01-05,ann@example.com,checkout,2,5,fine,\n\
        2024-01-06,bob,chat,8,1,ok,\n\
        2024-01-07,cy,faq,9,5,,Awful and rude\n\
        2024-01-08,dee,nowhere,8,4,meh,\n\
        ,eve,, ,,\"=HYPERLINK(\"\"x\"\")\",\n\
        2024-01-10,fay,checkout,10,5,great,\n";

    /// Compounds by hand: row 2's second comment column is very negative,
    /// row 4's comment is the threshold exactly.
    fn data() -> Dataset {
        let options = ImportOptions {
            roles: vec![
                ("Comment".into(), Role::Comment),
                ("Other".into(), Role::Comment),
                ("Customer".into(), Role::Customer),
            ],
            ..ImportOptions::default()
        };
        let mut d = import(FILE.as_bytes().to_vec(), options).unwrap();
        let at = |name: &str| d.columns.iter().position(|c| c.name == name).unwrap();
        let (comment, other) = (at("Comment"), at("Other"));
        let first = [0.2, 0.0, f64::NAN, -0.4, -0.5, 0.6];
        let second = [f64::NAN, f64::NAN, -0.6, f64::NAN, f64::NAN, f64::NAN];
        attach(&mut d, comment, first.iter().map(|&c| stored(c)).collect());
        attach(&mut d, other, second.iter().map(|&c| stored(c)).collect());
        d
    }

    fn listed(hash: &str) -> Vec<FollowUp> {
        let (m, d) = (map(), data());
        let index = RowIndex::new(&d, &m, &Aliases::new(), &ChannelLinks::new());
        let source = Source {
            data: &d,
            index: &index,
        };
        candidates(source, &m, hash, "pulse.csv")
    }

    #[test]
    fn detractors_unhappy_answers_and_very_negative_comments_are_candidates() {
        let list = listed("abc");
        let lines: Vec<u32> = list.iter().map(|f| f.snapshot.line).collect();
        // Row 1 (line 2): NPS 2. Line 3: CSAT 1 though NPS is passive.
        // Line 4: a promoter whose comment is very negative. Line 5 (meh,
        // -0.4) is not. Line 6: -0.5 is the threshold itself.
        assert_eq!(lines, [2, 3, 4, 6]);
        assert_eq!(list[0].key, "abc:2");
        let ann = &list[0].snapshot;
        assert_eq!(ann.customer, "ann@example.com");
        assert_eq!(ann.touchpoint, "t1", "the map's name for checkout");
        assert_eq!(ann.date.as_deref(), Some("2024-01-05"));
        assert_eq!(
            ann.score,
            Some(Score {
                scale: Scale::Nps,
                value: 2.0
            })
        );
        assert_eq!((ann.comment.as_str(), ann.compound), ("fine", Some(0.2)));
        // The low answer is shown, not the passive NPS before it.
        let bob = &list[1].snapshot;
        assert_eq!(bob.score.unwrap().scale, Scale::Csat5);
        assert_eq!(bob.score.unwrap().value, 1.0);
        let cy = &list[2].snapshot;
        assert_eq!(cy.comment, "Awful and rude");
        assert_eq!(cy.compound, Some(-0.6));
        assert_eq!(cy.score.unwrap().value, 9.0, "the row's first answer");
        let eve = &list[3].snapshot;
        assert_eq!((eve.score, eve.date.as_deref()), (None, None));
        assert_eq!(eve.touchpoint, "");
        assert!(list.iter().all(|f| !f.is_touched()));
    }

    #[test]
    fn keys_survive_importing_the_same_file_again() {
        assert_eq!(listed("abc"), listed("abc"));
        let keys: Vec<String> = listed("abc").into_iter().map(|f| f.key).collect();
        assert_eq!(keys, ["abc:2", "abc:3", "abc:4", "abc:6"]);
    }

    fn touched(mut f: FollowUp, status: Status, owner: &str) -> FollowUp {
        f.status = status;
        f.owner = owner.into();
        f.updated_ms = 1_000.0;
        f
    }

    #[test]
    fn stored_follow_ups_join_their_candidates_and_outlive_their_dataset() {
        let list = listed("abc");
        let mut old = touched(list[0].clone(), Status::Contacted, "Kim");
        old.snapshot.touchpoint = "old name".into();
        let mut gone = touched(list[1].clone(), Status::Resolved, "Lee");
        gone.key = "deleted:3".into();
        let stored = vec![old.clone(), gone.clone()];
        let items = merge(list.clone(), &["abc"], &stored);
        assert_eq!(items.len(), 5);
        // Stored status and owner, fresh snapshot.
        assert_eq!(items[0].follow_up.status, Status::Contacted);
        assert_eq!(items[0].follow_up.owner, "Kim");
        assert_eq!(items[0].follow_up.snapshot.touchpoint, "t1");
        assert!(items[0].present);
        assert_eq!(items[1].follow_up, list[1], "untouched");
        assert_eq!(items[4].follow_up, gone);
        assert!(!items[4].present, "its dataset is gone");
        // Only what the user touched is stored.
        let keys: Vec<String> = to_store(&items).into_iter().map(|f| f.key).collect();
        assert_eq!(keys, ["abc:2", "deleted:3"]);
        // Without its dataset, the follow-up keeps what it said.
        let items = merge(Vec::new(), &[], &stored);
        assert_eq!(items[0].follow_up, old);
        assert!(!items[0].present);
        // A file attached twice lists its rows once.
        assert_eq!(merge([list.clone(), list].concat(), &["abc"], &[]).len(), 4);
    }

    #[test]
    fn the_list_filters_by_status_touchpoint_owner_and_words() {
        let list = listed("abc");
        let stored = [touched(list[2].clone(), Status::Contacted, " Kim ")];
        let items = merge(list, &["abc"], &stored);
        let count = |f: ListFilter| items.iter().filter(|i| f.matches(i)).count();
        assert_eq!(count(ListFilter::default()), 4);
        let open = ListFilter {
            status: Some(Status::Open),
            ..ListFilter::default()
        };
        assert_eq!(count(open), 3);
        let kim = ListFilter {
            owner: Some("kim".into()),
            ..ListFilter::default()
        };
        assert_eq!(count(kim), 1);
        let unassigned = ListFilter {
            owner: Some(String::new()),
            ..ListFilter::default()
        };
        assert_eq!(count(unassigned), 3);
        let checkout = ListFilter {
            touchpoint: Some("t1".into()),
            ..ListFilter::default()
        };
        assert_eq!(count(checkout), 1);
        let words = ListFilter {
            text: "RUDE awful".into(),
            ..ListFilter::default()
        };
        assert_eq!(count(words), 1);
    }

    #[test]
    fn the_csv_is_formula_safe_and_keeps_numbers_numbers() {
        let list = listed("abc");
        let mut zero = list[0].clone();
        zero.snapshot.score = Some(Score {
            scale: Scale::Nps,
            value: 0.0,
        });
        zero.snapshot.compound = Some(-0.6);
        zero.note = "-call back".into();
        let items = merge(vec![zero, list[3].clone()], &["abc"], &[]);
        let text = followups_csv(&items);
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(
            lines[0],
            "\"customer\",\"touchpoint\",\"date\",\"score\",\"scale\",\"comment\",\"compound\",\"status\",\"owner\",\"note\",\"source\""
        );
        assert_eq!(
            lines[1],
            "\"ann@example.com\",\"t1\",\"2024-01-05\",0,\"NPS 0-10\",\"fine\",-0.6,\"open\",\"\",\"'-call back\",\"present\""
        );
        assert_eq!(
            lines[2],
            "\"eve\",\"\",\"\",\"\",\"\",\"'=HYPERLINK(\"\"x\"\")\",-0.5,\"open\",\"\",\"\",\"present\""
        );
    }

    #[test]
    fn stored_follow_ups_read_back_from_json() {
        let list = listed("abc");
        let f = touched(list[0].clone(), Status::Resolved, "Kim");
        let json = serde_json::to_string(&f).unwrap();
        assert!(json.contains("\"status\":\"resolved\""), "{json}");
        assert_eq!(serde_json::from_str::<FollowUp>(&json).unwrap(), f);
    }
}
