//! Native throughput of the full import path on a generated 500 000-row,
//! ~60 MB export with quoted multi-line comments. Prints figures and asserts
//! none (timings depend on the machine):
//!
//! `cargo test --release --test import_bench -- --ignored --nocapture`

use std::fmt::Write as _;
use std::time::Instant;

use waymark::analytics;
use waymark::import::{ColumnData, Dataset, ImportOptions, Importer};

const ROWS: usize = 500_000;

/// A deterministic export: the comment mixes commas, doubled quotes and
/// line breaks, which is what makes feedback files slow to parse.
fn generate() -> Vec<u8> {
    let touchpoints = [
        "checkout",
        "delivery",
        "returns",
        "hotline",
        "store visit",
        "app login",
    ];
    let channels = ["web", "app", "phone", "store"];
    let stages = ["discover", "buy", "receive", "use", "support"];
    let segments = ["commuter", "family", "student", "business"];
    let phrases = [
        "delivery was late, again",
        "the \"express\" option is not express",
        "staff were friendly and quick",
        "app crashed at payment,\nhad to retry twice",
        "great prices",
        "could not find the returns form;\nchat was helpful though",
    ];
    let mut out = String::with_capacity(64 << 20);
    out.push_str("Response ID,Submitted,How likely are you to recommend us?,Overall satisfaction,The company made it easy to handle my issue,Comment,Touchpoint,Channel,Stage,Segment,Email\n");
    let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
    let mut next = || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    for i in 0..ROWS {
        let r = next();
        let comment: Vec<&str> = (0..1 + r % 2)
            .map(|k| phrases[((r >> (8 + k * 3)) % 6) as usize])
            .collect();
        let comment = comment.join(" ").replace('"', "\"\"");
        let _ = writeln!(
            out,
            "{i},2024-{:02}-{:02}T{:02}:{:02}:00Z,{},{},{},\"{comment}\",{},{},{},{},c{}@mail.io",
            1 + r % 12,
            1 + (r >> 4) % 28,
            (r >> 9) % 24,
            (r >> 14) % 60,
            (r >> 20) % 11,
            1 + (r >> 24) % 5,
            1 + (r >> 28) % 7,
            touchpoints[((r >> 32) % 6) as usize],
            channels[((r >> 36) % 4) as usize],
            stages[((r >> 40) % 5) as usize],
            segments[((r >> 44) % 4) as usize],
            (r >> 48) % 100_000,
        );
    }
    out.into_bytes()
}

fn dataset_bytes(data: &Dataset) -> usize {
    let columns: usize = data
        .columns
        .iter()
        .map(|c| match &c.data {
            ColumnData::Score { values, .. } => values.capacity() * 4,
            ColumnData::Category { codes, dictionary } => {
                codes.capacity() * 4 + dictionary.iter().map(String::capacity).sum::<usize>()
            }
            ColumnData::Text { text, ends } => text.capacity() + ends.capacity() * 4,
            ColumnData::Time(t) => {
                t.secs.capacity() * 8 + t.day_first.as_ref().map_or(0, |d| d.capacity() * 8)
            }
            ColumnData::Skipped => 0,
        })
        .sum();
    columns + data.lines.capacity() * 4
}

#[test]
#[ignore = "benchmark: run with --release -- --ignored --nocapture"]
fn import_throughput() {
    let bytes = generate();
    let size = bytes.len();
    let mb = size as f64 / 1e6;
    println!("generated {ROWS} rows, {mb:.1} MB");

    let start = Instant::now();
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(bytes.as_slice());
    let mut record = csv::ByteRecord::new();
    let mut records = 0usize;
    while reader.read_byte_record(&mut record).unwrap() {
        records += 1;
    }
    let secs = start.elapsed().as_secs_f64();
    println!(
        "csv crate parse-only (reference): {records} records, {:.0} MB/s, {:.0} rows/s",
        mb / secs,
        ROWS as f64 / secs
    );

    let start = Instant::now();
    let mut importer = Importer::new(bytes, ImportOptions::default()).unwrap();
    let mut slices = 0;
    let mut longest = 0f64;
    loop {
        let slice = Instant::now();
        let progress = importer.step(5_000);
        longest = longest.max(slice.elapsed().as_secs_f64());
        slices += 1;
        if progress.done {
            break;
        }
    }
    let finishing = Instant::now();
    let data = importer.finish();
    let finish_ms = finishing.elapsed().as_secs_f64() * 1e3;
    let computing = Instant::now();
    let metrics = analytics::metrics(&data);
    let metrics_ms = computing.elapsed().as_secs_f64() * 1e3;
    let secs = start.elapsed().as_secs_f64();
    println!(
        "full import (decode, parse, roles, mask, columns, metrics): {} rows, {} errors, {:.0} MB/s, {:.0} rows/s, {:.2} s",
        data.rows(),
        data.errors.len(),
        mb / secs,
        data.rows() as f64 / secs,
        secs
    );
    println!(
        "{slices} steps of 5000 records, longest {:.1} ms; finish {finish_ms:.1} ms, metrics {metrics_ms:.1} ms",
        longest * 1e3
    );
    let kept = dataset_bytes(&data);
    println!(
        "dataset {:.1} MB ({:.2}× the file); NPS {:.1} over {} responses",
        kept as f64 / 1e6,
        kept as f64 / size as f64,
        metrics.overall.nps.as_ref().map_or(f64::NAN, |n| n.score),
        metrics.overall.nps.as_ref().map_or(0, |n| n.n)
    );
}
