//! Calendar days for grouping feedback over time. Timestamps are bucketed
//! on their calendar date as written in the file (no time-zone shift): a
//! response stamped `2024-03-01T00:30:00+02:00` belongs to March 1st, not
//! to February 29th where its UTC instant falls.
//!
//! The import stores UTC seconds, subtracting any offset a cell states
//! (`+02:00`, `UTC+3`); [`row_days_as_written`] adds those offsets back
//! (from [`crate::import::dates::written_offset`] over the raw cells).
//! Cells without a zone, which is nearly every export, are stored as
//! written, so [`row_days`] alone already gives their written date.

use std::fmt;
use std::str::FromStr;

use serde::{Serialize, Serializer};

use crate::import::dates::{civil_from_days, days_from_civil};
use crate::import::{ColumnData, Dataset, Role, TimeColumn};

const SECS_PER_DAY: f64 = 86_400.0;

/// A calendar day, counted from 1970-01-01 (day 0, a Thursday).
/// Displays, parses and serializes as `YYYY-MM-DD`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Day(pub i32);

impl Day {
    /// The day of a proleptic Gregorian date; `None` for a date that does
    /// not exist (`2023-02-29`) or lies outside years 0–9999.
    pub fn from_ymd(year: i32, month: u32, day: u32) -> Option<Day> {
        if !(0..=9999).contains(&year) {
            return None;
        }
        let days = days_from_civil(i64::from(year), i64::from(month), i64::from(day))?;
        Some(Day(days as i32))
    }

    /// (year, month 1–12, day 1–31).
    pub fn ymd(self) -> (i32, u32, u32) {
        let (y, m, d) = civil_from_days(i64::from(self.0));
        (y as i32, m as u32, d as u32)
    }

    /// The calendar day of a time in seconds since 1970: floor(secs /
    /// 86 400). `None` for a missing (NaN) or absurd time.
    pub fn of_secs(secs: f64) -> Option<Day> {
        let days = (secs / SECS_PER_DAY).floor();
        // Years 0 to 9999, as the importer reads them.
        (-719_528.0..=2_932_896.0)
            .contains(&days)
            .then_some(Day(days as i32))
    }

    /// 0 for Monday to 6 for Sunday (ISO 8601).
    pub fn weekday(self) -> u32 {
        // 1970-01-01 was a Thursday, 3 days after a Monday.
        (self.0 + 3).rem_euclid(7) as u32
    }

    /// The Monday of the day's ISO week.
    pub fn week_start(self) -> Day {
        Day(self.0 - self.weekday() as i32)
    }

    /// The 1st of the day's month.
    pub fn month_start(self) -> Day {
        let (_, _, d) = self.ymd();
        Day(self.0 - (d as i32 - 1))
    }

    /// The 1st of the following month.
    pub fn next_month_start(self) -> Day {
        let (y, m, _) = self.ymd();
        let (y, m) = if m == 12 { (y + 1, 1) } else { (y, m + 1) };
        Day(days_from_civil(i64::from(y), i64::from(m), 1).expect("the 1st exists") as i32)
    }

    /// Whole months from `self`'s month to `later`'s (negative when
    /// `later` is earlier).
    pub fn months_until(self, later: Day) -> i32 {
        let (y0, m0, _) = self.ymd();
        let (y1, m1, _) = later.ymd();
        (y1 - y0) * 12 + (m1 as i32 - m0 as i32)
    }
}

impl fmt::Display for Day {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (y, m, d) = self.ymd();
        write!(f, "{y:04}-{m:02}-{d:02}")
    }
}

impl FromStr for Day {
    type Err = String;

    /// Exactly `YYYY-MM-DD` (surrounding spaces allowed), a date that exists.
    fn from_str(text: &str) -> Result<Day, String> {
        let bad = || format!("{text:?} is not a date as YYYY-MM-DD");
        let t = text.trim().as_bytes();
        if t.len() != 10 || t[4] != b'-' || t[7] != b'-' {
            return Err(bad());
        }
        let num = |digits: &[u8]| -> Option<u32> {
            digits.iter().try_fold(0u32, |n, &d| {
                d.is_ascii_digit().then(|| n * 10 + u32::from(d - b'0'))
            })
        };
        let (Some(y), Some(m), Some(d)) = (num(&t[..4]), num(&t[5..7]), num(&t[8..])) else {
            return Err(bad());
        };
        Day::from_ymd(y as i32, m, d).ok_or_else(|| format!("{text:?} is not a day that exists"))
    }
}

impl Serialize for Day {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// The calendar day of each row of a timestamp column, `None` where the
/// cell was empty or unreadable. Right for every cell that states no zone
/// (or `Z`); see [`row_days_as_written`] for cells with an offset.
pub fn row_days(time: &TimeColumn) -> Vec<Option<Day>> {
    time.secs.iter().map(|&s| Day::of_secs(s)).collect()
}

/// Like [`row_days`], with each row's stated offset (seconds east of UTC,
/// from [`crate::import::dates::written_offset`] of its cell; 0 for none)
/// added back, so that the day is the one written in the file. Rows past
/// `offsets` count as offset 0.
pub fn row_days_as_written(time: &TimeColumn, offsets: &[i64]) -> Vec<Option<Day>> {
    time.secs
        .iter()
        .enumerate()
        .map(|(row, &s)| Day::of_secs(s + offsets.get(row).copied().unwrap_or(0) as f64))
        .collect()
}

/// The dataset's first timestamp column, by index, when it has one.
pub fn date_column(data: &Dataset) -> Option<(usize, &TimeColumn)> {
    data.columns
        .iter()
        .enumerate()
        .find_map(|(i, c)| match (&c.data, c.role) {
            (ColumnData::Time(t), Role::Timestamp) => Some((i, t)),
            _ => None,
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(text: &str) -> Day {
        text.parse().unwrap()
    }

    #[test]
    fn days_round_trip_through_text() {
        assert_eq!(day("1970-01-01"), Day(0));
        assert_eq!(day("2024-03-04"), Day(19_786));
        assert_eq!(day("1969-12-31"), Day(-1));
        assert_eq!(Day(19_782).to_string(), "2024-02-29");
        assert_eq!(day(" 2024-02-29 ").ymd(), (2024, 2, 29));
        for bad in [
            "2023-02-29",
            "2024-13-01",
            "2024-3-4",
            "20240304",
            "2024-03-0x",
            "",
        ] {
            assert!(bad.parse::<Day>().is_err(), "{bad}");
        }
        assert_eq!(
            serde_json::to_string(&day("2024-01-08")).unwrap(),
            "\"2024-01-08\""
        );
    }

    #[test]
    fn days_of_seconds_floor() {
        assert_eq!(Day::of_secs(1_709_510_400.0), Some(day("2024-03-04")));
        assert_eq!(Day::of_secs(1_709_596_799.5), Some(day("2024-03-04")));
        assert_eq!(Day::of_secs(-0.5), Some(day("1969-12-31")));
        assert_eq!(Day::of_secs(f64::NAN), None);
        assert_eq!(Day::of_secs(f64::INFINITY), None);
    }

    #[test]
    fn weeks_start_on_monday_and_months_on_the_first() {
        // 2024-01-10 was a Wednesday.
        assert_eq!(day("2024-01-10").weekday(), 2);
        assert_eq!(day("2024-01-10").week_start(), day("2024-01-08"));
        assert_eq!(day("2024-01-08").week_start(), day("2024-01-08"));
        assert_eq!(day("2024-01-14").week_start(), day("2024-01-08"));
        // Across a year: 2025-01-01 (Wednesday) is in the week of 2024-12-30.
        assert_eq!(day("2025-01-01").week_start(), day("2024-12-30"));
        assert_eq!(Day(0).week_start(), day("1969-12-29"));
        assert_eq!(day("2024-02-29").month_start(), day("2024-02-01"));
        assert_eq!(day("2024-12-31").next_month_start(), day("2025-01-01"));
        assert_eq!(day("2024-01-31").next_month_start(), day("2024-02-01"));
        assert_eq!(day("2023-11-15").months_until(day("2024-02-01")), 3);
    }

    #[test]
    fn offsets_give_back_the_written_date() {
        use crate::import::dates::written_offset;
        let cells = ["2024-03-01T00:30:00+02:00", "2024-02-29T23:30:00-05:00", ""];
        let time = TimeColumn {
            secs: cells
                .iter()
                .map(|c| {
                    crate::import::dates::parse(c)
                        .and_then(|r| r.month_first)
                        .unwrap_or(f64::NAN)
                })
                .collect(),
            order: crate::import::DateOrder::Fixed,
            day_first: None,
        };
        // In UTC the first is on Feb 29th and the second on March 1st.
        assert_eq!(
            row_days(&time),
            vec![Some(day("2024-02-29")), Some(day("2024-03-01")), None]
        );
        let offsets: Vec<i64> = cells
            .iter()
            .map(|c| written_offset(c).unwrap_or(0))
            .collect();
        assert_eq!(
            row_days_as_written(&time, &offsets),
            vec![Some(day("2024-03-01")), Some(day("2024-02-29")), None]
        );
    }
}
