//! The validation report as a file the user can keep: every problem of an
//! import with the line to look at, so a survey owner can fix the export.

use super::dataset::RowError;

/// The problems as RFC 4180 CSV with a header row (`line,column,problem`).
pub fn errors_csv(errors: &[RowError]) -> String {
    let mut writer = csv::Writer::from_writer(Vec::new());
    let rows = std::iter::once(["line".to_owned(), "column".into(), "problem".into()]).chain(
        errors.iter().map(|e| {
            [
                e.line.to_string(),
                e.column.clone().unwrap_or_default(),
                e.message.clone(),
            ]
        }),
    );
    for row in rows {
        writer
            .write_record(&row)
            .expect("writing to memory cannot fail");
    }
    let bytes = writer.into_inner().expect("writing to memory cannot fail");
    String::from_utf8(bytes).expect("csv writes the UTF-8 it is given")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_what_needs_quoting() {
        let errors = [
            RowError {
                line: 7,
                column: Some("How likely, really?".into()),
                message: "\"11\" is outside 0–10".into(),
            },
            RowError {
                line: 12,
                column: None,
                message: "record has 3 fields but the header has 4; row skipped".into(),
            },
        ];
        assert_eq!(
            errors_csv(&errors),
            "line,column,problem\n\
             7,\"How likely, really?\",\"\"\"11\"\" is outside 0–10\"\n\
             12,,record has 3 fields but the header has 4; row skipped\n"
        );
    }

    #[test]
    fn no_problems_is_just_the_header() {
        assert_eq!(errors_csv(&[]), "line,column,problem\n");
    }
}
