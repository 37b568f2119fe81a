//! Sentiment against the reference: every comment of
//! tests/golden/sentiment.jsonl, scored by Python vaderSentiment 3.3.2
//! (tests/golden/sentiment_reference.py), must come out the same from the
//! core's scorer and from `waymark-cli sentiment`.

use std::io::Write;
use std::process::{Command, Output, Stdio};

use serde::Deserialize;
use waymark::sentiment::{Label, Scorer};

#[derive(Deserialize)]
struct Golden {
    text: String,
    compound: f64,
    pos: f64,
    neu: f64,
    neg: f64,
}

fn golden() -> Vec<Golden> {
    let file = include_str!("golden/sentiment.jsonl");
    let rows: Vec<Golden> = file
        .lines()
        .map(|l| serde_json::from_str(l).expect("golden line"))
        .collect();
    assert!(rows.len() >= 700, "{} golden comments", rows.len());
    rows
}

/// Equal to the reference at 3 decimals is the requirement; the port
/// claims the reference's own rounding, so check that (with room for the
/// last bit of a float).
fn same(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-9
}

#[test]
fn the_scorer_equals_the_reference_on_every_golden_comment() {
    let scorer = Scorer::new();
    let mut wrong = Vec::new();
    for g in golden() {
        let s = scorer.score(&g.text);
        let ok = same(s.compound, g.compound)
            && same(s.pos, g.pos)
            && same(s.neu, g.neu)
            && same(s.neg, g.neg);
        if !ok {
            wrong.push(format!(
                "{:?}: got {s:?}, reference {} {} {} {}",
                g.text, g.compound, g.pos, g.neu, g.neg
            ));
        }
    }
    assert!(
        wrong.is_empty(),
        "{} differ:\n{}",
        wrong.len(),
        wrong.join("\n")
    );
}

#[test]
fn the_golden_file_covers_every_label_and_rule() {
    let rows = golden();
    for label in [Label::Negative, Label::Neutral, Label::Positive] {
        let n = rows
            .iter()
            .filter(|g| Label::of(g.compound) == label)
            .count();
        assert!(n >= 100, "{label:?}: {n}");
    }
    for needle in [
        "never so",
        " but ",
        "least",
        "kind of",
        "!!!",
        "???",
        "😀",
        "kiss of death",
        "<script>",
    ] {
        assert!(rows.iter().any(|g| g.text.contains(needle)), "{needle}");
    }
    assert!(rows.iter().any(|g| g.text.len() > 15_000));
}

fn run(args: &[&str], stdin: &[u8]) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_waymark-cli"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("binary runs");
    let mut input = child.stdin.take().expect("piped");
    let stdin = stdin.to_vec();
    // Written from a thread: the output pipe would fill before the input
    // is all written.
    let writer = std::thread::spawn(move || {
        let _ = input.write_all(&stdin);
    });
    let out = child.wait_with_output().expect("binary finishes");
    writer.join().expect("writer");
    out
}

fn lines(out: &Output) -> Vec<serde_json::Value> {
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout.clone())
        .expect("UTF-8")
        .lines()
        .map(|l| serde_json::from_str(l).expect("one JSON object per line"))
        .collect()
}

#[test]
fn the_cli_prints_the_reference_scores_one_object_per_line() {
    // A comment cannot hold a line break; one ending in \r is scored
    // without it, so such golden lines are left to the scorer test.
    let rows: Vec<Golden> = golden()
        .into_iter()
        .filter(|g| !g.text.contains(['\n', '\r']))
        .collect();
    let input: String = rows.iter().map(|g| format!("{}\n", g.text)).collect();
    let out = run(&["sentiment"], input.as_bytes());
    let printed = lines(&out);
    assert_eq!(printed.len(), rows.len());
    for (g, p) in rows.iter().zip(&printed) {
        let keys: Vec<&str> = p.as_object().unwrap().keys().map(String::as_str).collect();
        assert_eq!(keys.len(), 5, "{p}");
        for (key, want) in [
            ("compound", g.compound),
            ("pos", g.pos),
            ("neu", g.neu),
            ("neg", g.neg),
        ] {
            assert!(
                same(p[key].as_f64().unwrap(), want),
                "{:?} {key}: {p}",
                g.text
            );
        }
        assert_eq!(p["label"], Label::of(g.compound).as_str(), "{:?}", g.text);
    }
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.starts_with("{\"compound\": 0.0, \"pos\": 0.0, \"neu\": 0.0, \"neg\": 0.0, \"label\": \"neutral\"}\n"),
        "{}",
        &text[..80]
    );
}

#[test]
fn files_dash_crlf_blank_lines_and_a_missing_final_newline() {
    let path = std::env::temp_dir().join(format!("waymark-sentiment-{}.txt", std::process::id()));
    std::fs::write(&path, "\u{feff}I love it\r\n\r\n   \nI hate it").unwrap();
    let from_file = lines(&run(&["sentiment", path.to_str().unwrap()], b""));
    std::fs::remove_file(&path).unwrap();
    let from_stdin = lines(&run(
        &["sentiment", "-"],
        "I love it\n\n   \nI hate it\n".as_bytes(),
    ));
    assert_eq!(from_file, from_stdin);
    let labels: Vec<&str> = from_file
        .iter()
        .map(|v| v["label"].as_str().unwrap())
        .collect();
    assert_eq!(labels, ["positive", "neutral", "neutral", "negative"]);
    assert_eq!(from_file[1]["neu"], 0.0);
    assert!(lines(&run(&["sentiment"], b"")).is_empty());
}

#[test]
fn bad_input_exits_2_with_one_line_naming_the_line() {
    let out = run(&["sentiment"], b"fine\nbad \xff byte\n");
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("-: line 2: not UTF-8 (byte 5"), "{err}");
    let out = run(&["sentiment", "/nonexistent/comments.txt"], b"");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("/nonexistent/comments.txt"));
    let out = run(&["sentiment", "a", "b"], b"");
    assert_eq!(out.status.code(), Some(2));
}
