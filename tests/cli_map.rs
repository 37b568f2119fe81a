//! `waymark-cli map`: exit codes, the one-line errors and every output
//! format are a contract for pipelines, so the real binary is run.

use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Output, Stdio};

fn run(args: &[&str]) -> Output {
    run_with_stdin(args, b"")
}

fn run_with_stdin(args: &[&str], stdin: &[u8]) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_waymark-cli"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("binary runs");
    // The binary may exit before reading all of it (an argument error).
    let _ = child.stdin.take().expect("piped").write_all(stdin);
    child.wait_with_output().expect("binary finishes")
}

fn stdout(output: &Output) -> String {
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout.clone()).expect("UTF-8 output")
}

/// A file in the temp dir, removed when dropped.
struct TempFile(PathBuf);

impl TempFile {
    fn new(name: &str, bytes: &[u8]) -> TempFile {
        let path = std::env::temp_dir().join(format!("waymark-cli-{}-{name}", std::process::id()));
        std::fs::write(&path, bytes).unwrap();
        TempFile(path)
    }

    fn path(&self) -> &str {
        self.0.to_str().unwrap()
    }
}

impl Drop for TempFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

/// Exit code 2, nothing on stdout, and one line on stderr that starts with
/// `waymark-cli: ` and contains each of `parts`.
fn assert_invalid(output: &Output, parts: &[&str]) {
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(output.stdout.is_empty());
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(stderr.starts_with("waymark-cli: "), "{stderr}");
    for part in parts {
        assert!(stderr.contains(part), "{part:?} not in {stderr}");
    }
}

fn template(name: &str) -> String {
    stdout(&run(&["map", "template", name]))
}

#[test]
fn templates_print_as_stable_map_files() {
    for name in ["retail", "saas", "bank", "patient"] {
        let text = template(name);
        assert_eq!(text, template(name), "{name} differs between runs");
        let v: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(v["format"], "waymark-map");
        assert_eq!(v["version"], 1);
        assert_eq!(v["map"]["id"], format!("template-{name}"));
        assert!(v["map"]["touchpoints"].as_array().unwrap().len() > 5);
    }
    assert_invalid(&run(&["map", "template", "zoo"]), &["no template \"zoo\""]);
    assert_invalid(&run(&["map", "template"]), &["one name"]);
}

#[test]
fn json_to_json_is_a_fixed_point() {
    for name in ["retail", "saas", "bank", "patient"] {
        let text = template(name);
        let file = TempFile::new(&format!("{name}.json"), text.as_bytes());
        assert_eq!(
            stdout(&run(&["map", "convert", file.path(), "--to", "json"])),
            text
        );
        let piped = run_with_stdin(&["map", "convert", "-", "--to", "json"], text.as_bytes());
        assert_eq!(stdout(&piped), text);
    }
}

/// Sections with their tasks' names and scores, read from mermaid text as
/// mermaid's grammar does (comments skipped).
fn mermaid_outline(text: &str) -> Vec<(String, Vec<(String, String)>)> {
    let mut lines = text.lines().map(str::trim);
    assert_eq!(lines.next(), Some("journey"));
    let mut sections: Vec<(String, Vec<(String, String)>)> = Vec::new();
    for line in lines.filter(|l| !l.starts_with("%%") && !l.is_empty()) {
        if let Some(name) = line.strip_prefix("section ") {
            sections.push((name.to_owned(), Vec::new()));
        } else if !line.starts_with("title ") {
            let mut parts = line.split(':');
            let name = parts.next().unwrap().to_owned();
            let score = parts.next().expect("a task has a score").trim().to_owned();
            assert!(
                ["1", "2", "3", "4", "5"].contains(&score.as_str()),
                "{line}"
            );
            sections
                .last_mut()
                .expect("tasks are in sections")
                .1
                .push((name, score));
        }
    }
    sections
}

#[test]
fn mermaid_out_and_back_keeps_stages_touchpoints_and_scores() {
    for name in ["retail", "saas", "bank", "patient"] {
        let map = TempFile::new(&format!("{name}-m.json"), template(name).as_bytes());
        let mermaid = stdout(&run(&["map", "convert", map.path(), "--to", "mermaid"]));
        let diagram = TempFile::new(&format!("{name}.mmd"), mermaid.as_bytes());
        let json = stdout(&run(&["map", "convert", diagram.path(), "--to", "json"]));
        let again = TempFile::new(&format!("{name}-again.json"), json.as_bytes());
        let mermaid_again = stdout(&run(&["map", "convert", again.path(), "--to", "mermaid"]));
        assert_eq!(
            mermaid_outline(&mermaid_again),
            mermaid_outline(&mermaid),
            "{name}"
        );
        assert_eq!(mermaid_again, mermaid, "{name}: the whole text comes back");

        let original: serde_json::Value = serde_json::from_str(&template(name)).unwrap();
        let back: serde_json::Value = serde_json::from_str(&json).unwrap();
        let names = |v: &serde_json::Value, list: &str| -> Vec<String> {
            v["map"][list]
                .as_array()
                .unwrap()
                .iter()
                .map(|x| x["name"].as_str().unwrap().to_owned())
                .collect()
        };
        assert_eq!(names(&back, "stages"), names(&original, "stages"), "{name}");
        assert_eq!(
            names(&back, "channels"),
            names(&original, "channels"),
            "{name}"
        );
    }
}

#[test]
fn svg_is_the_whole_map_with_every_name_escaped() {
    let mut v: serde_json::Value = serde_json::from_str(&template("retail")).unwrap();
    v["map"]["touchpoints"][0]["name"] = "<script>alert(1)</script> & co".into();
    let file = TempFile::new("svg.json", v.to_string().as_bytes());
    let svg = stdout(&run(&["map", "convert", file.path(), "--to", "svg"]));
    assert!(svg.starts_with("<?xml"), "{}", &svg[..60]);
    assert!(svg.trim_end().ends_with("</svg>"));
    assert!(!svg.contains("<script>"));
    // Every name in full (long ones are wrapped on the card, whole in its
    // title), escaped as XML text.
    for t in v["map"]["touchpoints"].as_array().unwrap() {
        let name = t["name"].as_str().unwrap();
        let escaped = name
            .replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
            .replace('"', "&quot;");
        assert!(svg.contains(&escaped), "{name} not in the SVG");
    }
    let diagram = "journey\n  section A\n    Task one: 4: Me\n";
    let svg = stdout(&run_with_stdin(
        &["map", "convert", "-", "--to", "svg"],
        diagram.as_bytes(),
    ));
    assert!(svg.contains("Task one"));
}

#[test]
fn a_hand_written_mermaid_journey_converts() {
    let text = "journey\n  title My working day\n  section Go to work\n    Make tea: 5: Me\n    Do work: 1: Me, Cat\n";
    let json = stdout(&run_with_stdin(
        &["map", "convert", "-", "--to", "json"],
        text.as_bytes(),
    ));
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(v["map"]["name"], "My working day");
    assert_eq!(v["map"]["touchpoints"][1]["emotion"], -2);
    assert_eq!(v["map"]["channels"][0]["name"], "Unassigned");
    assert_eq!(v["map"]["personas"].as_array().unwrap().len(), 2);
    let csv = stdout(&run_with_stdin(
        &["map", "convert", "-", "--to", "csv"],
        text.as_bytes(),
    ));
    assert_eq!(
        csv.lines().nth(2),
        Some("\"Go to work\",\"Unassigned\",\"Do work\",-2,\"\",\"\",\"\",\"\",\"\"")
    );
}

/// A map file whose text cells start with what spreadsheets run as
/// formulas.
fn hostile_map() -> String {
    let mut v: serde_json::Value = serde_json::from_str(&template("retail")).unwrap();
    let t = &mut v["map"]["touchpoints"];
    t[0]["name"] = "=cmd|' /C calc'!A0".into();
    t[0]["emotion"] = (-2).into();
    t[0]["owner"] = "+1".into();
    t[0]["description"] = "-2+3".into();
    t[1]["name"] = "@SUM(1)".into();
    t[1]["owner"] = "\tx".into();
    t[1]["description"] = "\rx".into();
    let stage = t[0]["stage"].as_str().unwrap().to_owned();
    for s in v["map"]["stages"].as_array_mut().unwrap() {
        if s["id"] == stage.as_str() {
            s["name"] = "=1+1".into();
        }
    }
    serde_json::to_string(&v).unwrap()
}

#[test]
fn csv_neutralises_formulas_and_keeps_numbers() {
    let file = TempFile::new("hostile.json", hostile_map().as_bytes());
    let csv = stdout(&run(&["map", "convert", file.path(), "--to", "csv"]));
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    let header: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
    assert_eq!(
        header,
        [
            "stage",
            "channel",
            "touchpoint",
            "emotion",
            "nps_target",
            "csat_target",
            "ces_target",
            "owner",
            "description"
        ]
    );
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    let first = &rows[0];
    assert_eq!(&first[0], "'=1+1");
    assert_eq!(&first[2], "'=cmd|' /C calc'!A0");
    assert_eq!(&first[3], "-2");
    assert_eq!(&first[7], "'+1");
    assert_eq!(&first[8], "'-2+3");
    let second = rows
        .iter()
        .find(|r| &r[2] == "'@SUM(1)")
        .expect("second touchpoint");
    assert_eq!(&second[7], "'\tx");
    assert_eq!(&second[8], "'\rx");
    for row in &rows {
        for (i, cell) in row.iter().enumerate() {
            if (3..=6).contains(&i) {
                assert!(cell.is_empty() || cell.parse::<f64>().is_ok(), "{cell:?}");
            } else {
                assert!(
                    !cell.starts_with(['=', '+', '-', '@', '\t', '\r']),
                    "{cell:?}"
                );
            }
        }
    }
    // In the raw text the emotion is a bare number and text cells are quoted.
    let line = csv.lines().nth(1).unwrap();
    assert!(line.starts_with("\"'=1+1\","), "{line}");
    assert!(line.contains(",-2,"), "{line}");
}

#[test]
fn invalid_input_exits_2_with_one_line_naming_file_and_place() {
    let mut bad_stage: serde_json::Value = serde_json::from_str(&template("retail")).unwrap();
    bad_stage["map"]["touchpoints"][2]["stage"] = "s-9".into();
    let bad_stage = TempFile::new("map.json", bad_stage.to_string().as_bytes());
    assert_invalid(
        &run(&["map", "convert", bad_stage.path(), "--to", "csv"]),
        &[&format!(
            "waymark-cli: {}: map.touchpoints[2].stage: no stage with id \"s-9\"",
            bad_stage.path()
        )],
    );

    let retail = template("retail");
    let truncated = TempFile::new("truncated.json", &retail.as_bytes()[..retail.len() / 2]);
    let garbage = TempFile::new("garbage.bin", b"\x00\x01PK\x03\x04 garbage");
    let not_utf8 = TempFile::new("latin1.mmd", b"journey\nsection Caf\xe9\n");
    let huge_number = TempFile::new(
        "huge.json",
        retail
            .replacen("\"next_seq\": ", "\"next_seq\": 1e999", 1)
            .as_bytes(),
    );
    let deep = TempFile::new(
        "deep.json",
        format!(
            "{{\"format\": \"waymark-map\", \"version\": 1, \"map\": {}",
            "[".repeat(200_000)
        )
        .as_bytes(),
    );
    let newer = TempFile::new(
        "newer.json",
        retail
            .replacen("\"version\": 1", "\"version\": 99", 1)
            .as_bytes(),
    );
    let newline_id = TempFile::new(
        "newline.json",
        retail
            .replacen("\"stage\": \"s", "\"stage\": \"x\\ny", 1)
            .as_bytes(),
    );
    let mut big = vec![b' '; 10 * 1024 * 1024 + 10];
    big[0] = b'{';
    let big = TempFile::new("big.json", &big);
    let cases: [(&TempFile, &[&str]); 8] = [
        (&truncated, &["line ", "column ", "not valid JSON"]),
        (&garbage, &["line 1: expected `journey`"]),
        (&not_utf8, &["line 2, column 12: not UTF-8 text"]),
        (&huge_number, &["number out of range"]),
        (&deep, &["line 1, column ", "recursion limit"]),
        (&newer, &["version: saved by a newer Waymark"]),
        (&newline_id, &["no stage with id \"x\\ny"]),
        (&big, &["file: ", "MB is larger than the 10 MB"]),
    ];
    for (file, parts) in cases {
        let output = run(&["map", "convert", file.path(), "--to", "json"]);
        assert_invalid(&output, &[&format!("waymark-cli: {}: ", file.path())]);
        assert_invalid(&output, parts);
    }
    assert_invalid(
        &run(&["map", "convert", "/nonexistent/map.json", "--to", "json"]),
        &["waymark-cli: /nonexistent/map.json: cannot read"],
    );
    assert_invalid(
        &run_with_stdin(
            &["map", "convert", "-", "--to", "json"],
            b"journey\nTask: 9\n",
        ),
        &["waymark-cli: stdin: line 2: task \"Task\": score \"9\""],
    );
}

#[test]
fn bad_arguments_exit_2_with_one_line() {
    for (args, part) in [
        (vec!["map"], "template or convert"),
        (vec!["map", "draw"], "unknown map command"),
        (vec!["map", "convert", "x.json"], "needs --to"),
        (vec!["map", "convert", "--to", "json"], "needs a FILE"),
        (
            vec!["map", "convert", "x.json", "--to", "pdf"],
            "not \"pdf\"",
        ),
        (
            vec!["map", "convert", "x.json", "--to"],
            "--to needs a value",
        ),
        (
            vec!["map", "convert", "x", "y", "--to", "json"],
            "unexpected argument",
        ),
        (
            vec!["map", "convert", "x", "--from", "json"],
            "unknown option --from",
        ),
    ] {
        assert_invalid(&run(&args), &[part]);
    }
    let help = stdout(&run(&["--help"]));
    assert!(help.contains("waymark-cli map convert FILE --to json|svg|mermaid|csv"));
}
