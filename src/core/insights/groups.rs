//! Group vectors for [`super::compare`] and [`super::trend`]: which side of
//! a comparison each row is on, and which group of a column. A group
//! vector holds, per row, its group's index or [`MISSING`] to leave the
//! row out, as [`crate::analytics::summaries_by`] takes it.

use super::dates::Day;
use crate::import::matching::normalise;
use crate::import::{Column, ColumnData, Dataset, MISSING};

/// Side 0 for rows dated before `split`, 1 for rows on or after it,
/// [`MISSING`] for rows without a date (rows past `days` included).
pub fn split_at(days: &[Option<Day>], rows: usize, split: Day) -> Vec<u32> {
    (0..rows)
        .map(|row| match days.get(row).copied().flatten() {
            Some(day) => u32::from(day >= split),
            None => MISSING,
        })
        .collect()
}

/// The column named `name`: its header as in the file, else its field id
/// (Qualtrics `QID1`), else the header compared trimmed and ignoring case.
pub fn find_column<'a>(data: &'a Dataset, name: &str) -> Option<&'a Column> {
    let columns = &data.columns;
    columns
        .iter()
        .find(|c| c.name == name)
        .or_else(|| columns.iter().find(|c| c.field_id.as_deref() == Some(name)))
        .or_else(|| {
            let wanted = normalise(name);
            columns.iter().find(|c| normalise(&c.name) == wanted)
        })
}

/// Side 0 for rows whose `column` holds `a`, 1 for `b`, [`MISSING`] for
/// the rest. Text and category cells match trimmed and ignoring case (as
/// [`normalise`] does for touchpoint keys); score columns match by number,
/// `a` and `b` read as numbers; date columns by calendar day, `a` and `b`
/// as `YYYY-MM-DD`. Errs when the column keeps no values (an ignored
/// column) or `a` / `b` cannot be read for its kind.
pub fn between(column: &Column, rows: usize, a: &str, b: &str) -> Result<Vec<u32>, String> {
    let side = |matches: &dyn Fn(usize) -> [bool; 2]| {
        (0..rows)
            .map(|row| match matches(row) {
                [true, _] => 0,
                [false, true] => 1,
                _ => MISSING,
            })
            .collect()
    };
    match &column.data {
        ColumnData::Category { codes, dictionary } => {
            let (a, b) = (normalise(a), normalise(b));
            let code_side: Vec<[bool; 2]> = dictionary
                .iter()
                .map(|v| {
                    let v = normalise(v);
                    [v == a, v == b]
                })
                .collect();
            Ok(side(&|row| {
                codes
                    .get(row)
                    .and_then(|&c| code_side.get(c as usize))
                    .copied()
                    .unwrap_or([false; 2])
            }))
        }
        ColumnData::Text { .. } => {
            let (a, b) = (normalise(a), normalise(b));
            Ok(side(&|row| {
                column.text(row).map_or([false; 2], |t| {
                    let t = normalise(t);
                    [t == a, t == b]
                })
            }))
        }
        ColumnData::Score { values, .. } => {
            let number = |v: &str| {
                v.trim()
                    .parse::<f32>()
                    .ok()
                    .filter(|v| v.is_finite())
                    .ok_or_else(|| format!("{:?} holds numbers: {v:?} is not one", column.name))
            };
            let (a, b) = (number(a)?, number(b)?);
            Ok(side(&|row| {
                values.get(row).map_or([false; 2], |&v| [v == a, v == b])
            }))
        }
        ColumnData::Time(time) => {
            let (a, b) = (a.parse::<Day>()?, b.parse::<Day>()?);
            Ok(side(&|row| {
                let day = time.secs.get(row).and_then(|&s| Day::of_secs(s));
                [day == Some(a), day == Some(b)]
            }))
        }
        ColumnData::Skipped => Err(format!(
            "column {:?} is ignored: give it a role, e.g. --role \"{}=segment\"",
            column.name, column.name
        )),
    }
}

/// Each row's group by the value of a category or text column as written
/// (untrimmed, as `summarize` keys its groups), and the groups' names;
/// [`MISSING`] for rows with no value.
pub fn by_value(column: &Column, rows: usize) -> (Vec<u32>, Vec<String>) {
    match &column.data {
        ColumnData::Category { codes, dictionary } => {
            let group = (0..rows)
                .map(|row| codes.get(row).copied().unwrap_or(MISSING))
                .map(|c| {
                    if (c as usize) < dictionary.len() {
                        c
                    } else {
                        MISSING
                    }
                })
                .collect();
            (group, dictionary.clone())
        }
        _ => {
            let mut names: Vec<String> = Vec::new();
            let mut index = std::collections::HashMap::new();
            let group = (0..rows)
                .map(
                    |row| match column.text(row).filter(|t| !t.trim().is_empty()) {
                        Some(t) => *index.entry(t.to_owned()).or_insert_with(|| {
                            names.push(t.to_owned());
                            names.len() as u32 - 1
                        }),
                        None => MISSING,
                    },
                )
                .collect();
            (group, names)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::{import, ImportOptions, Role};

    const FILE: &str = "Date,Variant,NPS,Note,Channel\n\
                        2024-03-01,A,10,Fast ,web\n\
                        2024-02-29,b,9,fast,Web\n\
                        ,B,3,slow,\n\
                        2024-03-02, a ,7,,app\n";

    fn data() -> Dataset {
        let options = ImportOptions {
            roles: vec![
                ("Variant".into(), Role::Segment),
                ("Note".into(), Role::Comment),
            ],
            ..ImportOptions::default()
        };
        import(FILE.as_bytes().to_vec(), options).unwrap()
    }

    #[test]
    fn split_puts_the_split_day_after() {
        let days = [
            "2024-03-01".parse().ok(),
            "2024-02-29".parse().ok(),
            None,
            "2024-03-02".parse().ok(),
        ];
        let split = "2024-03-01".parse().unwrap();
        assert_eq!(split_at(&days, 5, split), vec![1, 0, MISSING, 1, MISSING]);
    }

    #[test]
    fn between_matches_trimmed_ignoring_case() {
        let data = data();
        let variant = find_column(&data, "variant").unwrap();
        assert_eq!(variant.name, "Variant");
        assert_eq!(between(variant, 4, "A", "B").unwrap(), vec![0, 1, 1, 0]);
        let note = find_column(&data, "Note").unwrap();
        assert!(matches!(note.data, ColumnData::Text { .. }));
        assert_eq!(
            between(note, 4, "fast", "slow").unwrap(),
            vec![0, 0, 1, MISSING]
        );
        let nps = find_column(&data, "NPS").unwrap();
        assert_eq!(
            between(nps, 4, "10", " 7.0").unwrap(),
            vec![0, MISSING, MISSING, 1]
        );
        assert!(between(nps, 4, "ten", "7").is_err());
        let date = find_column(&data, "Date").unwrap();
        assert_eq!(
            between(date, 4, "2024-02-29", "2024-03-02").unwrap(),
            vec![MISSING, 0, MISSING, 1]
        );
        assert!(find_column(&data, "Nope").is_none());
    }

    #[test]
    fn groups_by_value_as_written() {
        let data = data();
        let channel = find_column(&data, "Channel").unwrap();
        let (group, names) = by_value(channel, 4);
        let named: Vec<Option<&str>> = group
            .iter()
            .map(|&g| names.get(g as usize).map(String::as_str))
            .collect();
        assert_eq!(named, vec![Some("web"), Some("Web"), None, Some("app")]);
        let note = find_column(&data, "Note").unwrap();
        let (group, names) = by_value(note, 4);
        assert_eq!(group, vec![0, 1, 2, MISSING]);
        // The import trims cells.
        assert_eq!(names, vec!["Fast", "fast", "slow"]);
    }
}
