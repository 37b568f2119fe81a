//! How the figures move over time: rows bucketed by calendar week or month
//! of their date as written (see [`super::dates`]), each bucket with its
//! [`Summary`].

use std::fmt;
use std::str::FromStr;

use serde::Serialize;

use super::dates::Day;
use crate::analytics::{summaries_by, Summary};
use crate::import::{Dataset, MISSING};

/// The length of a trend's buckets.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Every {
    /// ISO weeks, Monday to Sunday.
    Week,
    /// Calendar months, from the 1st.
    Month,
}

impl Every {
    /// The start of the bucket holding `day`: its week's Monday or its
    /// month's 1st.
    pub fn start(self, day: Day) -> Day {
        match self {
            Every::Week => day.week_start(),
            Every::Month => day.month_start(),
        }
    }

    /// The start of the bucket after the one starting at `start`.
    pub fn next(self, start: Day) -> Day {
        match self {
            Every::Week => Day(start.week_start().0 + 7),
            Every::Month => start.next_month_start(),
        }
    }

    /// Buckets from the one starting at `first` to the one holding `day`
    /// (0 for `day` in the first; negative before it).
    pub fn index(self, first: Day, day: Day) -> i64 {
        match self {
            Every::Week => i64::from(day.week_start().0 - first.week_start().0).div_euclid(7),
            Every::Month => i64::from(first.months_until(day)),
        }
    }
}

impl fmt::Display for Every {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Every::Week => "week",
            Every::Month => "month",
        })
    }
}

impl FromStr for Every {
    type Err = String;

    fn from_str(text: &str) -> Result<Every, String> {
        match text {
            "week" => Ok(Every::Week),
            "month" => Ok(Every::Month),
            _ => Err(format!("--every must be week or month, not {text:?}")),
        }
    }
}

/// One bucket of a trend: the rows dated from `start` up to the next
/// bucket's start. `metrics` is empty (all `None`) for a bucket without
/// answers.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Bucket {
    pub start: Day,
    pub metrics: Summary,
}

/// A trend: buckets in ascending order from the first dated row's to the
/// last's, empty buckets in between included.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Trend {
    pub every: Every,
    /// Rows (of those considered) without a usable date, left out.
    pub undated_rows: usize,
    pub buckets: Vec<Bucket>,
}

/// Rows assigned to buckets: `group[row]` is the row's bucket index or
/// [`MISSING`], as [`summaries_by`] takes it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Bucketing {
    pub starts: Vec<Day>,
    pub group: Vec<u32>,
    pub undated_rows: usize,
}

/// Assigns each of `rows` rows to its bucket by `days[row]` (rows past
/// `days` are undated). With `only`, rows where it is false (or which it
/// does not reach) are left out and not counted as undated either.
pub fn bucket_rows(
    days: &[Option<Day>],
    rows: usize,
    every: Every,
    only: Option<&[bool]>,
) -> Bucketing {
    let included = |row: usize| only.is_none_or(|m| m.get(row).copied().unwrap_or(false));
    let dated = (0..rows)
        .filter(|&r| included(r))
        .filter_map(|r| days.get(r).copied().flatten());
    let (first, last) = dated.fold((None, None), |(lo, hi): (Option<Day>, Option<Day>), d| {
        (
            Some(lo.map_or(d, |lo| lo.min(d))),
            Some(hi.map_or(d, |hi| hi.max(d))),
        )
    });
    let mut starts = Vec::new();
    if let (Some(first), Some(last)) = (first, last) {
        let mut start = every.start(first);
        while start <= last {
            starts.push(start);
            start = every.next(start);
        }
    }
    let mut undated_rows = 0;
    let group = (0..rows)
        .map(|row| {
            if !included(row) {
                return MISSING;
            }
            match (days.get(row).copied().flatten(), starts.first()) {
                (Some(day), Some(&first)) => every.index(first, day) as u32,
                _ => {
                    undated_rows += 1;
                    MISSING
                }
            }
        })
        .collect();
    Bucketing {
        starts,
        group,
        undated_rows,
    }
}

/// The trend of `data`'s NPS, CSAT and CES by `every`, rows dated by
/// `days` (from [`super::dates::row_days`] or
/// [`super::dates::row_days_as_written`]), optionally only the rows where
/// `only` is true.
pub fn trend(data: &Dataset, days: &[Option<Day>], every: Every, only: Option<&[bool]>) -> Trend {
    let Bucketing {
        starts,
        group,
        undated_rows,
    } = bucket_rows(days, data.rows(), every, only);
    let summaries = summaries_by(data, &group, starts.len());
    Trend {
        every,
        undated_rows,
        buckets: starts
            .into_iter()
            .zip(summaries)
            .map(|(start, metrics)| Bucket { start, metrics })
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::{Column, ColumnData, Role, Scale, SourceInfo};

    fn day(text: &str) -> Day {
        text.parse().unwrap()
    }

    fn days(texts: &[&str]) -> Vec<Option<Day>> {
        texts.iter().map(|t| t.parse().ok()).collect()
    }

    fn nps_data(values: &[f32]) -> Dataset {
        Dataset {
            source: SourceInfo::default(),
            columns: vec![Column {
                name: "NPS".into(),
                field_id: None,
                role: Role::Nps,
                data: ColumnData::Score {
                    scale: Scale::Nps,
                    values: values.to_vec(),
                },
            }],
            lines: (2..2 + values.len() as u32).collect(),
            errors: Vec::new(),
        }
    }

    #[test]
    fn weeks_from_a_mid_week_start_with_a_gap() {
        // Wednesday 2024-01-10, nothing in the week of the 15th, Sunday the
        // 28th, and an undated row.
        let d = days(&["2024-01-10", "2024-01-14", "-", "2024-01-28", "2024-01-22"]);
        let b = bucket_rows(&d, 5, Every::Week, None);
        assert_eq!(
            b.starts,
            vec![day("2024-01-08"), day("2024-01-15"), day("2024-01-22")]
        );
        assert_eq!(b.group, vec![0, 0, MISSING, 2, 2]);
        assert_eq!(b.undated_rows, 1);

        let t = trend(
            &nps_data(&[10.0, 0.0, 9.0, 9.0, 7.0]),
            &d,
            Every::Week,
            None,
        );
        let scores: Vec<Option<f64>> = t
            .buckets
            .iter()
            .map(|b| b.metrics.nps.as_ref().map(|n| n.score))
            .collect();
        assert_eq!(scores, vec![Some(0.0), None, Some(50.0)]);
        let json = serde_json::to_value(&t).unwrap();
        assert_eq!(json["every"], "week");
        assert_eq!(json["undated_rows"], 1);
        assert_eq!(
            json["buckets"][1],
            serde_json::json!({"start": "2024-01-15", "metrics": {}})
        );
    }

    #[test]
    fn months_across_a_year_with_an_empty_month() {
        let d = days(&["2024-03-05", "2023-12-31", "2024-01-01"]);
        let b = bucket_rows(&d, 3, Every::Month, None);
        assert_eq!(
            b.starts,
            vec![
                day("2023-12-01"),
                day("2024-01-01"),
                day("2024-02-01"),
                day("2024-03-01")
            ]
        );
        assert_eq!(b.group, vec![3, 0, 1]);
    }

    #[test]
    fn a_mask_leaves_rows_out_uncounted() {
        let d = days(&["2024-03-05", "", "2024-05-01", ""]);
        let b = bucket_rows(&d, 4, Every::Month, Some(&[true, true, false]));
        assert_eq!(b.starts, vec![day("2024-03-01")]);
        assert_eq!(b.group, vec![0, MISSING, MISSING, MISSING]);
        assert_eq!(b.undated_rows, 1);
        let none = bucket_rows(&[], 2, Every::Week, None);
        assert_eq!((none.starts.len(), none.undated_rows), (0, 2));
    }

    #[test]
    fn every_reads_its_names() {
        assert_eq!("week".parse(), Ok(Every::Week));
        assert_eq!("month".parse(), Ok(Every::Month));
        assert!("day".parse::<Every>().is_err());
        assert_eq!(Every::Month.to_string(), "month");
    }
}
