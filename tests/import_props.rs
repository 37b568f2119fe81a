//! Open-ended input: whatever bytes arrive, the importer reports instead of
//! panicking, and quoting survives a write/read round trip.

use proptest::prelude::*;
use waymark::analytics;
use waymark::import::{ImportOptions, Importer};

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..2048)) {
        if let Ok(mut importer) = Importer::new(bytes, ImportOptions::default()) {
            while !importer.step(7).done {}
            let data = importer.finish();
            prop_assert_eq!(data.source.rows, data.lines.len());
            analytics::metrics(&data);
        }
    }

    #[test]
    fn csv_like_text_never_panics(text in "[a-c0-9,;\t|\"\r\n @.:/-]{0,400}") {
        if let Ok(importer) = Importer::new(text.into_bytes(), ImportOptions::default()) {
            let data = importer.finish();
            for error in &data.errors {
                prop_assert!(error.line >= 1);
            }
        }
    }

    #[test]
    fn quoting_round_trips_through_convert(
        rows in proptest::collection::vec(proptest::collection::vec(".{0,12}", 3), 1..12),
        crlf in any::<bool>(),
    ) {
        let terminator = if crlf { csv::Terminator::CRLF } else { csv::Terminator::Any(b'\n') };
        let mut writer = csv::WriterBuilder::new().terminator(terminator).from_writer(Vec::new());
        writer.write_record(["c0", "c1", "c2"]).unwrap();
        for row in &rows {
            writer.write_record(row).unwrap();
        }
        let bytes = writer.into_inner().unwrap();
        let importer = Importer::new(bytes, ImportOptions::default()).unwrap();
        let names: Vec<&str> = importer.columns().iter().map(|c| c.name.as_str()).collect();
        prop_assert_eq!(names, ["c0", "c1", "c2"]);
        let back: Vec<Vec<String>> = importer
            .into_records()
            .map(|r| r.unwrap().1.iter().map(str::to_owned).collect())
            .collect();
        // A row of empty cells is written as `,,` and read back the same;
        // only a fully blank line could vanish, which three fields never give.
        prop_assert_eq!(back, rows);
    }
}
