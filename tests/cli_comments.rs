//! `waymark-cli comments`: columns, filters and formula-safe cells are a
//! contract for pipelines, so the real binary is run on a small export.

use std::process::{Command, Output};
use std::sync::atomic::{AtomicUsize, Ordering};

use waymark::sentiment::Scorer;

const EXPORT: &str = "Date,Customer,Touchpoint,Channel,NPS,Comment
2024-03-01,ana@example.com,Checkout,Web,2,\"=HYPERLINK(\"\"http://x\"\",\"\"y\"\") terrible checkout\"
2024-03-02,bo@example.com,Checkout,Web,10,I love the new checkout
2024-03-03,cy@example.com,Support,Phone,0,\"On hold for an hour, awful. Call me on 555-123-4567\"
2024-03-04,di@example.com,Support,Phone,8,
2024-03-05,ed@example.com,checkout ,Web,,-1 slow and annoying
";

/// Tests run in parallel: each run gets a file of its own.
static RUNS: AtomicUsize = AtomicUsize::new(0);

fn run(args: &[&str]) -> Output {
    let n = RUNS.fetch_add(1, Ordering::Relaxed);
    let name = format!("waymark-comments-{}-{n}.csv", std::process::id());
    let path = std::env::temp_dir().join(name);
    std::fs::write(&path, EXPORT).unwrap();
    let mut all = vec!["comments", path.to_str().unwrap()];
    all.extend_from_slice(args);
    let out = Command::new(env!("CARGO_BIN_EXE_waymark-cli"))
        .args(&all)
        .output()
        .expect("binary runs");
    std::fs::remove_file(&path).unwrap();
    out
}

fn rows(out: &Output) -> Vec<csv::StringRecord> {
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let mut reader = csv::Reader::from_reader(out.stdout.as_slice());
    assert_eq!(
        reader.headers().unwrap(),
        vec![
            "line",
            "date",
            "customer",
            "touchpoint",
            "channel",
            "stage",
            "score",
            "scale",
            "column",
            "comment",
            "compound",
            "pos",
            "neu",
            "neg",
            "label"
        ]
    );
    reader.records().map(|r| r.unwrap()).collect()
}

#[test]
fn every_comment_with_its_touchpoint_score_and_sentiment() {
    let all = rows(&run(&[]));
    // The empty comment of line 5 is left out.
    let lines: Vec<&str> = all.iter().map(|r| &r[0]).collect();
    assert_eq!(lines, ["2", "3", "4", "6"]);
    let first = &all[0];
    assert_eq!(&first[1], "2024-03-01T00:00:00Z");
    assert_eq!(&first[3], "Checkout");
    assert_eq!((&first[6], &first[7]), ("2", "nps"));
    let scorer = Scorer::new();
    for r in &all {
        let comment = r[9].trim_start_matches('\'');
        let s = scorer.score(comment);
        assert_eq!(r[10].parse::<f64>().unwrap(), s.compound, "{comment}");
        assert_eq!(&r[14], s.label().as_str());
    }
    // Contacts stay masked as the app masks them.
    assert!(all[2][9].contains("[phone]"), "{:?}", &all[2][9]);
    assert!(!all[2][9].contains("555"));
}

#[test]
fn formula_looking_comments_are_neutralised_and_numbers_stay_numbers() {
    let out = run(&[]);
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains(",\"'=HYPERLINK("), "{text}");
    assert!(text.contains(",\"'-1 slow and annoying\","), "{text}");
    // The score and the scores are unquoted numbers.
    assert!(text.contains(",2,\"nps\","), "{text}");
    assert!(text.contains(",-0.4019,"), "{text}");
}

#[test]
fn filters_by_touchpoint_ignoring_case_and_by_label() {
    let negative_checkout = rows(&run(&["--touchpoint", "CHECKOUT", "--label", "negative"]));
    let lines: Vec<&str> = negative_checkout.iter().map(|r| &r[0]).collect();
    assert_eq!(lines, ["2", "6"]);
    let positive = rows(&run(&["--label", "positive"]));
    assert_eq!(positive.len(), 1);
    assert_eq!(&positive[0][9], "I love the new checkout");
}

#[test]
fn mistakes_exit_2_with_one_line() {
    for args in [
        &["--label", "bad"][..],
        &["--touchpoint"][..],
        &["--role", "Comment=nonsense"][..],
        &["--role", "Comment=ignored"][..],
        &["--bogus"][..],
    ] {
        let out = run(args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let err = String::from_utf8(out.stderr).unwrap();
        assert_eq!(err.lines().count(), 1, "{args:?}: {err}");
    }
    let out = Command::new(env!("CARGO_BIN_EXE_waymark-cli"))
        .args(["comments", "/nonexistent/export.csv"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("/nonexistent/export.csv"));
}
