//! The imported data, kept columnar so a 500 000-row file costs a few bytes
//! per score and one copy of the comment text, instead of a `String` per
//! cell (which would be several times the file size in a wasm heap).

use serde::{Deserialize, Serialize};

use super::dates::DateOrder;
use super::roles::Role;
use super::values::Scale;

/// Where the data came from and how it was read.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct SourceInfo {
    /// `utf-8`, `utf-8-bom`, `utf-16le`, `utf-16be`, `windows-1252` or `xlsx`.
    pub encoding: String,
    /// `,`, `;`, `tab` or `|`; `None` for workbooks.
    pub delimiter: Option<String>,
    pub layout: String,
    pub header_rows: usize,
    /// Records imported.
    pub rows: usize,
    /// Records left out entirely (ragged or empty), each listed in `errors`.
    pub skipped: usize,
    /// Sheets of a workbook, to offer a choice; empty for text files.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sheets: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sheet: Option<String>,
}

/// A problem with one record or cell, positioned like a text editor would
/// show it: `line` is the 1-based line where the record starts (for
/// workbooks, the sheet row).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RowError {
    pub line: u64,
    /// Column name, absent for problems with the whole record.
    pub column: Option<String>,
    pub message: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Column {
    pub name: String,
    /// The survey tool's field id when it differs from the name (Qualtrics
    /// `QID1`), so role overrides can use either.
    pub field_id: Option<String>,
    pub role: Role,
    pub data: ColumnData,
}

/// Missing cells are `NaN` in number columns, [`MISSING`] in categories.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ColumnData {
    Score {
        scale: Scale,
        #[serde(with = "missing_as_null")]
        values: Vec<f32>,
    },
    Category {
        codes: Vec<u32>,
        dictionary: Vec<String>,
    },
    /// All cells concatenated; cell `i` is `text[ends[i-1]..ends[i]]`.
    Text {
        text: String,
        ends: Vec<u32>,
    },
    Time(TimeColumn),
    /// Ignored columns are not kept.
    Skipped,
}

pub const MISSING: u32 = u32::MAX;

/// Seconds since 1970 UTC, `NaN` when missing.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TimeColumn {
    #[serde(with = "missing_as_null")]
    pub secs: Vec<f64>,
    pub order: DateOrder,
    /// While `order` is [`DateOrder::Ambiguous`], `secs` holds the
    /// month-first reading and this the day-first one, so the user's answer
    /// needs no re-import.
    #[serde(default, with = "missing_as_null::option")]
    pub day_first: Option<Vec<f64>>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Dataset {
    pub source: SourceInfo,
    pub columns: Vec<Column>,
    /// File line of each row, so problems found later (in statistics) can
    /// still point into the file.
    pub lines: Vec<u32>,
    pub errors: Vec<RowError>,
}

impl Dataset {
    pub fn rows(&self) -> usize {
        self.lines.len()
    }

    /// The first column with `role`: metrics use one NPS, one CSAT… column.
    pub fn column(&self, role: Role) -> Option<&Column> {
        self.columns.iter().find(|c| c.role == role)
    }

    /// Settles an ambiguous day/month order once the user has answered.
    /// Returns false when the column has no pending choice.
    pub fn set_date_order(&mut self, column: usize, order: DateOrder) -> bool {
        let Some(Column {
            data: ColumnData::Time(time),
            ..
        }) = self.columns.get_mut(column)
        else {
            return false;
        };
        if time.order != DateOrder::Ambiguous
            || !matches!(order, DateOrder::DayFirst | DateOrder::MonthFirst)
        {
            return false;
        }
        let day_first = time.day_first.take();
        if order == DateOrder::DayFirst {
            if let Some(day_first) = day_first {
                time.secs = day_first;
            }
        }
        time.order = order;
        true
    }
}

impl Column {
    pub fn score(&self, row: usize) -> Option<f32> {
        match &self.data {
            ColumnData::Score { values, .. } => values.get(row).copied().filter(|v| !v.is_nan()),
            _ => None,
        }
    }

    /// Text of a comment, customer or category cell.
    pub fn text(&self, row: usize) -> Option<&str> {
        match &self.data {
            ColumnData::Text { text, ends } => {
                let end = *ends.get(row)? as usize;
                let start = if row == 0 { 0 } else { ends[row - 1] as usize };
                Some(&text[start..end])
            }
            ColumnData::Category { codes, dictionary } => codes
                .get(row)
                .and_then(|&c| dictionary.get(c as usize))
                .map(String::as_str),
            _ => None,
        }
    }

    pub fn time(&self, row: usize) -> Option<f64> {
        match &self.data {
            ColumnData::Time(t) => t.secs.get(row).copied().filter(|v| !v.is_nan()),
            _ => None,
        }
    }
}

/// Missing numbers are `NaN` in memory; JSON has no NaN and writes `null`,
/// so reading a stored dataset back turns `null` into `NaN` again.
mod missing_as_null {
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    pub trait Number: Copy + Serialize + for<'de> Deserialize<'de> {
        const MISSING: Self;
    }

    impl Number for f32 {
        const MISSING: Self = f32::NAN;
    }

    impl Number for f64 {
        const MISSING: Self = f64::NAN;
    }

    pub fn serialize<T: Number, S: Serializer>(values: &[T], s: S) -> Result<S::Ok, S::Error> {
        // serde_json already writes NaN as null.
        s.collect_seq(values)
    }

    pub fn deserialize<'de, T: Number, D: Deserializer<'de>>(d: D) -> Result<Vec<T>, D::Error> {
        let values: Vec<Option<T>> = Vec::deserialize(d)?;
        Ok(values
            .into_iter()
            .map(|v| v.unwrap_or(T::MISSING))
            .collect())
    }

    pub mod option {
        use super::*;

        pub fn serialize<T: Number, S: Serializer>(
            values: &Option<Vec<T>>,
            s: S,
        ) -> Result<S::Ok, S::Error> {
            values.serialize(s)
        }

        pub fn deserialize<'de, T: Number, D: Deserializer<'de>>(
            d: D,
        ) -> Result<Option<Vec<T>>, D::Error> {
            let values: Option<Vec<Option<T>>> = Option::deserialize(d)?;
            Ok(values.map(|v| v.into_iter().map(|v| v.unwrap_or(T::MISSING)).collect()))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::{import, ImportOptions};

    #[test]
    fn a_dataset_survives_json_with_its_missing_values() {
        let file = "When,NPS,Comment,Touchpoint\n\
                    03/04/2024,10,great,checkout\n\
                    05/06/2024,,meh,\n\
                    ,11,bad score,chat\n";
        let data = import(file.into(), ImportOptions::default()).unwrap();
        assert!(matches!(&data.columns[0].data, ColumnData::Time(t) if t.day_first.is_some()));
        let json = serde_json::to_string(&data).unwrap();
        let back: Dataset = serde_json::from_str(&json).unwrap();
        // NaN != NaN, so compare through JSON again and check a gap directly.
        assert_eq!(serde_json::to_string(&back).unwrap(), json);
        assert_eq!(back.columns[1].score(0), Some(10.0));
        assert_eq!(back.columns[1].score(1), None);
        assert_eq!(back.columns[0].time(2), None);
        assert_eq!(back.errors, data.errors);
        assert_eq!(back.lines, data.lines);
    }
}
