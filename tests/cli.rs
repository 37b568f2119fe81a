//! The CLI is what pipelines depend on: run the real binary.

use std::path::PathBuf;
use std::process::{Command, Output};

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/feedback")
        .join(name)
}

fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_waymark-cli"))
        .args(args)
        .output()
        .expect("binary runs")
}

fn json(output: &Output) -> serde_json::Value {
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).expect("stdout is JSON")
}

#[test]
fn summarize_prints_source_columns_errors_and_metrics() {
    let path = fixture("generic.csv");
    let v = json(&run(&["summarize", path.to_str().unwrap()]));
    assert_eq!(
        v["source"],
        serde_json::json!({"encoding": "utf-8", "delimiter": ",", "layout": "generic", "header_rows": 1, "rows": 7, "skipped": 1})
    );
    assert_eq!(
        v["columns"][2],
        serde_json::json!({"name": "How likely are you to recommend Acme to a friend?", "role": "nps"})
    );
    assert_eq!(
        v["errors"][1],
        serde_json::json!({"line": 9, "column": null, "message": "record has 4 fields but the header has 10; row skipped"})
    );
    let overall = &v["metrics"]["overall"];
    assert_eq!(overall["nps"]["n"], 6);
    assert_eq!(overall["nps"]["score"], 0.0);
    assert_eq!(overall["csat"]["percent"], 50.0);
    assert_eq!(overall["ces"]["percent_agree"], 50.0);
    assert_eq!(
        v["metrics"]["by_touchpoint"]["returns"]["nps"]["detractors"],
        1
    );
    assert_eq!(v["metrics"]["by_stage"]["buy"]["ces"]["n"], 2);
    assert!(v["metrics"]["by_segment"]["family"]["nps"]["ci95"].is_array());
}

#[test]
fn summarize_applies_role_overrides() {
    let path = fixture("qualtrics_3row_utf16le.tsv");
    let v = json(&run(&[
        "summarize",
        path.to_str().unwrap(),
        "--role",
        "Q1=ignored",
        "--role",
        "Response Type=segment",
    ]));
    assert_eq!(v["source"]["layout"], "qualtrics");
    assert_eq!(v["columns"][10]["role"], "ignored");
    assert_eq!(v["columns"][2]["role"], "segment");
    assert!(v["metrics"]["overall"].get("nps").is_none());
    assert_eq!(v["metrics"]["by_segment"]["IP Address"]["csat"]["n"], 4);
}

#[test]
fn convert_to_json_keeps_cells_as_they_stood() {
    let path = fixture("surveymonkey.csv");
    let v = json(&run(&["convert", path.to_str().unwrap()]));
    let rows = v.as_array().unwrap();
    assert_eq!(rows.len(), 4);
    assert_eq!(
        rows[0]["How likely is it that you would recommend Acme to a friend or colleague?"],
        "9"
    );
    assert_eq!(
        rows[2]["Which products did you buy? - Other (please specify)"],
        "Socks"
    );
    // Convert is a faithful copy: no masking, no label conversion.
    assert_eq!(
        rows[2]["Any other comments?"],
        "Strap broke, call +1 415 555 0132"
    );
    assert_eq!(
        rows[3]["Overall, how satisfied are you with Acme?"],
        "Neither satisfied nor dissatisfied"
    );
}

#[test]
fn convert_to_csv_from_utf16_gives_one_header_row_in_utf8() {
    let path = fixture("qualtrics_3row_utf16le.tsv");
    let out = run(&["convert", path.to_str().unwrap(), "--to", "csv"]);
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).expect("UTF-8 output");
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let headers = reader.headers().unwrap().clone();
    assert_eq!(
        &headers[10],
        "How likely are you to recommend Acme to a friend or colleague?"
    );
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 4);
    assert_eq!(&rows[0][13], "Nothing, keep going");
    assert_eq!(&rows[2][10], "0 - Not at all likely");
}

#[test]
fn unreadable_input_fails_with_one_line() {
    for args in [
        vec!["summarize", "/nonexistent/feedback.csv"],
        vec![
            "convert",
            fixture("workbook.xlsx").to_str().unwrap().to_owned().leak(),
            "--sheet",
            "Missing",
        ],
    ] {
        let out = run(&args);
        assert!(!out.status.success(), "{args:?}");
        let stderr = String::from_utf8(out.stderr).unwrap();
        assert_eq!(stderr.lines().count(), 1, "{stderr}");
        assert!(stderr.starts_with("waymark-cli: cannot read"), "{stderr}");
        assert!(out.stdout.is_empty());
    }
    let empty = std::env::temp_dir().join(format!("waymark-cli-empty-{}.csv", std::process::id()));
    std::fs::write(&empty, b"").unwrap();
    let out = run(&["summarize", empty.to_str().unwrap()]);
    std::fs::remove_file(&empty).unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("empty"));
}

#[test]
fn bad_usage_is_reported() {
    let out = run(&["summarize", "x.csv", "--role", "NPS=happiness"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("unknown role"));
    assert_eq!(run(&["frobnicate"]).status.code(), Some(2));
}
