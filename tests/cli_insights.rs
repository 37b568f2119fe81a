//! `waymark-cli trend` and `compare` against golden files computed by an
//! independent reference (tests/golden/insights_reference.py, Python with
//! scipy), plus hand-checked edge cases: a first row mid-week, a month
//! without rows, dates with UTC offsets, and the errors.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_waymark-cli"))
        .current_dir(root())
        .args(args)
        .output()
        .expect("binary runs")
}

fn json(output: &Output) -> Value {
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).expect("stdout is JSON")
}

/// Same keys, strings, booleans and nulls; numbers equal to 1e-9 of their
/// size (and 1e-12 absolute, for figures that are zero in one and a
/// rounding error in the other). Returns the paths that differ.
fn differences(path: &str, got: &Value, want: &Value, out: &mut Vec<String>) {
    match (got, want) {
        (Value::Number(g), Value::Number(w)) => {
            let (g, w) = (g.as_f64().unwrap(), w.as_f64().unwrap());
            if (g - w).abs() > 1e-9 * g.abs().max(w.abs()) + 1e-12 {
                out.push(format!("{path}: {g} != {w}"));
            }
        }
        (Value::Array(g), Value::Array(w)) if g.len() == w.len() => {
            for (i, (g, w)) in g.iter().zip(w).enumerate() {
                differences(&format!("{path}[{i}]"), g, w, out);
            }
        }
        (Value::Object(g), Value::Object(w)) => {
            for key in g.keys().chain(w.keys()) {
                match (g.get(key), w.get(key)) {
                    (Some(gv), Some(wv)) => differences(&format!("{path}.{key}"), gv, wv, out),
                    (Some(_), None) => out.push(format!("{path}.{key}: not in the golden file")),
                    (None, Some(_)) => out.push(format!("{path}.{key}: missing")),
                    (None, None) => unreachable!(),
                }
            }
        }
        _ if got == want => {}
        _ => out.push(format!("{path}: {got} != {want}")),
    }
}

#[test]
fn trend_and_compare_match_the_reference() {
    let dir = root().join("tests/golden");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    assert!(files.len() >= 6, "golden files: {files:?}");
    for file in files {
        let golden: Value = serde_json::from_slice(&std::fs::read(&file).unwrap()).unwrap();
        let args: Vec<&str> = golden["args"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| a.as_str().unwrap())
            .collect();
        let got = json(&run(&args));
        let mut diff = Vec::new();
        differences("", &got, &golden["output"], &mut diff);
        assert!(
            diff.is_empty(),
            "{}: {args:?}\n{}",
            file.display(),
            diff.join("\n")
        );
    }
}

#[test]
fn the_fixture_shows_the_checkout_fix() {
    let v = json(&run(&[
        "compare",
        "tests/fixtures/feedback/dated_pilot.csv",
        "--split-at",
        "2024-03-01",
        "--by",
        "touchpoint",
    ]));
    let checkout = &v["groups"]["Checkout"]["difference"]["csat"];
    assert!(checkout["delta"].as_f64().unwrap() > 30.0, "{checkout}");
    assert_eq!(checkout["significant"], true);
    assert_eq!(v["split_at"], "2024-03-01");
    assert_eq!(v["undated_rows"], 6);
    // The rows written on the split day with +02:00 (UTC: the day
    // before) and the day before with -05:00 (UTC: the split day) go by
    // their written date; the golden files check that figure by figure.
}

/// A temporary CSV file, removed when dropped.
struct TempCsv(PathBuf);

impl TempCsv {
    fn new(name: &str, text: &str) -> TempCsv {
        let path = std::env::temp_dir().join(format!("waymark-{name}-{}.csv", std::process::id()));
        std::fs::write(&path, text).unwrap();
        TempCsv(path)
    }

    fn path(&self) -> &str {
        self.0.to_str().unwrap()
    }
}

impl Drop for TempCsv {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(Path::new(&self.0));
    }
}

const GAPPY: &str = "When,NPS,CES\n\
                     2024-01-31,10,7\n\
                     2024-02-04T23:30:00-05:00,0,3\n\
                     ,9,\n\
                     2024-04-01T00:30:00+02:00,8,5\n";

#[test]
fn weeks_start_on_the_monday_before_a_mid_week_first_row() {
    let file = TempCsv::new("weeks", GAPPY);
    let v = json(&run(&["trend", file.path(), "--every", "week"]));
    assert_eq!(v["every"], "week");
    assert_eq!(v["undated_rows"], 1);
    let buckets = v["buckets"].as_array().unwrap();
    // Wednesday 2024-01-31 → Monday 2024-01-29; 2024-02-04 is that week's
    // Sunday as written (Monday in UTC); the last row is Monday
    // 2024-04-01 as written (a Sunday in UTC): ten weeks in all.
    assert_eq!(buckets.len(), 10);
    assert_eq!(buckets[0]["start"], "2024-01-29");
    assert_eq!(buckets[1]["start"], "2024-02-05");
    assert_eq!(buckets[9]["start"], "2024-04-01");
    assert_eq!(buckets[0]["metrics"]["nps"]["n"], 2);
    assert_eq!(buckets[0]["metrics"]["nps"]["score"], 0.0);
    assert_eq!(buckets[0]["metrics"]["ces"]["mean"], 5.0);
    for empty in &buckets[1..9] {
        assert_eq!(empty["metrics"], serde_json::json!({}), "{empty}");
    }
    assert_eq!(buckets[9]["metrics"]["nps"]["passives"], 1);
}

#[test]
fn a_month_without_rows_is_an_empty_bucket() {
    let file = TempCsv::new("months", GAPPY);
    let v = json(&run(&["trend", file.path(), "--every", "month"]));
    let starts: Vec<&str> = v["buckets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["start"].as_str().unwrap())
        .collect();
    assert_eq!(
        starts,
        ["2024-01-01", "2024-02-01", "2024-03-01", "2024-04-01"]
    );
    let b = &v["buckets"];
    assert_eq!(b[0]["metrics"]["nps"]["score"], 100.0);
    // 2024-02-04 as written, though 2024-02-05 in UTC.
    assert_eq!(b[1]["metrics"]["nps"]["score"], -100.0);
    assert_eq!(b[2]["metrics"], serde_json::json!({}));
    // 2024-04-01 as written, though 2024-03-31 in UTC.
    assert_eq!(b[3]["metrics"]["nps"]["n"], 1);
}

#[test]
fn compare_by_hand() {
    let file = TempCsv::new("split", GAPPY);
    let v = json(&run(&["compare", file.path(), "--split-at", "2024-02-04"]));
    assert_eq!(v["undated_rows"], 1);
    assert_eq!(v["before"]["nps"]["n"], 1);
    assert_eq!(v["after"]["nps"]["n"], 2);
    // Before: one promoter, NPS 100; after: a detractor and a passive, −50.
    // Adjusted Wald, in points²: before p' = 1.75/4, d' = 0.75/4,
    // var = (2.5/4 − (1/4)²)/4 × 10⁴ = 1406.25; after p' = 0.75/5,
    // d' = 1.75/5, var = (2.5/5 − (1/5)²)/5 × 10⁴ = 920. se = √2326.25 =
    // 48.2312, z = −150 / 48.2312 = −3.110, p = 0.001870.
    let nps = &v["difference"]["nps"];
    assert_eq!(nps["delta"], -150.0);
    let se = 2326.25f64.sqrt();
    let lo = nps["ci95"][0].as_f64().unwrap();
    assert!(
        (lo - (-150.0 - 1.959_963_984_540_054 * se)).abs() < 1e-9,
        "{nps}"
    );
    assert!(
        (nps["p_value"].as_f64().unwrap() - 0.001_870).abs() < 1e-5,
        "{nps}"
    );
    assert_eq!(nps["significant"], true);
    // CES before has a single answer: no Welch test, no NaN.
    assert!(v["difference"].get("ces").is_none(), "{v}");
    assert!(v["difference"].get("csat").is_none());
}

#[test]
fn insight_errors_are_one_line_with_exit_code_2() {
    let fixture = "tests/fixtures/feedback/dated_pilot.csv";
    let no_dates = "tests/fixtures/feedback/google_forms_utc_offset.csv";
    for (args, message) in [
        (
            vec!["trend", fixture, "--every", "day"],
            "--every must be week or month",
        ),
        (vec!["trend", fixture], "trend needs --every"),
        (
            vec!["compare", fixture, "--split-at", "2024-02-30"],
            "not a day that exists",
        ),
        (
            vec!["compare", fixture, "--split-at", "03/01/2024"],
            "not a date as YYYY-MM-DD",
        ),
        (vec!["compare", fixture], "compare needs one of"),
        (
            vec!["compare", fixture, "--between", "Nope=A,B"],
            "unknown column \"Nope\"",
        ),
        (
            vec!["compare", fixture, "--between", "Variant"],
            "is not \"COLUMN=A,B\"",
        ),
        (
            vec!["compare", fixture, "--between", "Variant=A,B"],
            "column \"Variant\" is ignored",
        ),
        (
            vec!["compare", fixture, "--between", "NPS=ten,9"],
            "is not one",
        ),
        (
            vec![
                "compare",
                fixture,
                "--split-at",
                "2024-03-01",
                "--by",
                "stage",
            ],
            "--by must be",
        ),
        (
            vec![
                "trend",
                no_dates,
                "--every",
                "week",
                "--role",
                "Timestamp=ignored",
            ],
            "no date column: mark one with --role \"HEADER=timestamp\"",
        ),
        (
            vec![
                "compare",
                no_dates,
                "--split-at",
                "2024-03-01",
                "--role",
                "Timestamp=ignored",
            ],
            "no date column: mark one with --role \"HEADER=timestamp\"",
        ),
        (
            vec![
                "compare",
                no_dates,
                "--split-at",
                "2024-03-01",
                "--by",
                "channel",
            ],
            "no channel column",
        ),
    ] {
        let out = run(&args);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
        assert_eq!(stderr.lines().count(), 1, "{args:?}: {stderr}");
        assert!(stderr.contains(message), "{args:?}: {stderr}");
        assert!(out.stdout.is_empty(), "{args:?}");
    }
    let missing = run(&["trend", "/nonexistent/feedback.csv", "--every", "week"]);
    assert!(!missing.status.success());
    assert!(String::from_utf8_lossy(&missing.stderr).starts_with("waymark-cli: cannot read"));
}
