//! Open-ended input: whatever bytes arrive, the importer reports instead of
//! panicking, and quoting survives a write/read round trip.

// Native only: proptest has no wasm32 backend here.
#![cfg(not(target_arch = "wasm32"))]

use proptest::prelude::*;
use waymark::analytics;
use waymark::import::decode::Sniffer;
use waymark::import::{Dataset, ImportOptions, Importer, ReadError};

/// Imports `bytes` the way the browser does: one pass to find the encoding,
/// then the file pushed `chunk` bytes at a time whenever the importer asks,
/// stepping `step` records at a time.
fn streamed(bytes: &[u8], chunk: usize, step: usize) -> Result<Dataset, ReadError> {
    let mut sniffer = Sniffer::default();
    for piece in bytes.chunks(chunk) {
        sniffer.update(piece);
    }
    let mut importer = Importer::streaming(sniffer.finish(), bytes.len(), ImportOptions::default());
    let feed = |importer: &mut Importer| -> Result<bool, ReadError> {
        let Some(from) = importer.wants_input() else {
            return Ok(false);
        };
        importer.push(&bytes[from..bytes.len().min(from + chunk)])?;
        Ok(true)
    };
    while !importer.is_planned() {
        assert!(feed(&mut importer)?, "an unplanned import wants input");
    }
    while !importer.step(step).done {
        feed(&mut importer)?;
    }
    Ok(importer.finish())
}

fn same(
    whole: Result<Dataset, ReadError>,
    streamed: Result<Dataset, ReadError>,
) -> Result<(), TestCaseError> {
    // Through JSON, because missing numbers are NaN and NaN != NaN.
    let json = |r: Result<Dataset, ReadError>| r.map(|d| serde_json::to_string(&d).unwrap());
    prop_assert_eq!(json(whole), json(streamed));
    Ok(())
}

fn encode(text: &str, encoding: u8) -> Vec<u8> {
    match encoding {
        0 => text.as_bytes().to_vec(),
        1 => [0xFF, 0xFE]
            .into_iter()
            .chain(text.encode_utf16().flat_map(u16::to_le_bytes))
            .collect(),
        _ => encoding_rs::WINDOWS_1252.encode(text).0.into_owned(),
    }
}

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
    fn any_chunking_imports_the_same(
        text in "(Comment|NPS|When)(,[a-c]{0,3}){0,3}\r?\n([a-c0-9,; \"\r\n@.é€]{0,20}\n){0,40}",
        encoding in 0u8..3,
        chunk in 1usize..40,
        step in 1usize..9,
    ) {
        let bytes = encode(&text, encoding);
        let whole = Importer::new(bytes.clone(), ImportOptions::default()).map(Importer::finish);
        same(whole, streamed(&bytes, chunk, step))?;
    }

    #[test]
    fn arbitrary_bytes_stream_like_they_read_whole(
        bytes in proptest::collection::vec(any::<u8>(), 1..600),
        chunk in 1usize..64,
    ) {
        let whole = Importer::new(bytes.clone(), ImportOptions::default()).map(Importer::finish);
        same(whole, streamed(&bytes, chunk, 5))?;
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
            .map(|(_, r)| r.iter().map(str::to_owned).collect())
            .collect();
        // A row of empty cells is written as `,,` and read back the same;
        // only a fully blank line could vanish, which three fields never give.
        prop_assert_eq!(back, rows);
    }
}

/// Past the 64 KiB the dialect is sniffed from and the 200-record sample,
/// with records and characters cut at chunk edges.
#[test]
fn a_large_file_streams_like_it_reads_whole() {
    let mut text = String::from("When,NPS,Comment,Touchpoint\r\n");
    for i in 0..3000 {
        text.push_str(&format!(
            "2024-03-{:02}T10:00:00Z,{},\"Café {i}, \"\"quoted\"\"\r\nand € more\",tp{}\r\n",
            1 + i % 28,
            i % 12,
            i % 5
        ));
        if i % 700 == 0 {
            text.push_str("\r\n");
        }
    }
    for encoding in 0..3 {
        let bytes = encode(&text, encoding);
        assert!(bytes.len() > 150_000);
        let whole = Importer::new(bytes.clone(), ImportOptions::default())
            .map(Importer::finish)
            .unwrap();
        assert_eq!(whole.rows(), 3000);
        for chunk in [1 << 20, 65_537, 4097, 1000] {
            same(Ok(whole.clone()), streamed(&bytes, chunk, 250)).unwrap();
        }
    }
}
