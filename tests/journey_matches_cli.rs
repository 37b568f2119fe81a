//! The map's figures (what cards, roll-ups and the dashboard show) against
//! what `waymark-cli` prints for the same file: the same rows must give the
//! same numbers whether they are counted by the map or by the CLI, with or
//! without a date filter, and split across two datasets.

use std::path::PathBuf;
use std::process::Command;

use serde_json::Value;
use waymark::analytics::Summary;
use waymark::import::matching::Aliases;
use waymark::import::{import, Dataset, ImportOptions};
use waymark::insights::dates::Day;
use waymark::insights::journey::{
    journey_compare, journey_metrics, journey_trend, ChannelLinks, Filter, RowIndex, Source, Split,
};
use waymark::insights::trend::Every;
use waymark::model::Id;
use waymark::templates;

const FILE: &str = "tests/fixtures/feedback/retail_pilot.csv";

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn cli(args: &[&str]) -> Value {
    let out = Command::new(env!("CARGO_BIN_EXE_waymark-cli"))
        .current_dir(root())
        .args(args)
        .output()
        .expect("the CLI runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("JSON")
}

fn data() -> Dataset {
    let bytes = std::fs::read(root().join(FILE)).unwrap();
    import(bytes, ImportOptions::default()).unwrap()
}

fn close(got: f64, want: &Value, what: &str) {
    let want = want.as_f64().unwrap_or_else(|| panic!("{what}: {want}"));
    assert!(
        (got - want).abs() <= 1e-9 * want.abs().max(1.0),
        "{what}: {got} != {want}"
    );
}

/// NPS score and n, CSAT percent and CES mean of a summary against the
/// CLI's JSON of the same.
fn same(s: &Summary, want: &Value, what: &str) {
    let nps = s.nps.as_ref().expect("NPS");
    close(nps.score, &want["nps"]["score"], &format!("{what} NPS"));
    assert_eq!(Some(nps.n as u64), want["nps"]["n"].as_u64(), "{what} n");
    close(
        s.csat.as_ref().unwrap().percent,
        &want["csat"]["percent"],
        &format!("{what} CSAT"),
    );
    close(
        s.ces.as_ref().unwrap().mean,
        &want["ces"]["mean"],
        &format!("{what} CES"),
    );
}

#[test]
fn the_maps_figures_are_the_clis() {
    let map = templates::retail(Id::new("m"), 0.0);
    let d = data();
    let index = RowIndex::new(&d, &map, &Aliases::new(), &ChannelLinks::new());
    let sources = [Source {
        data: &d,
        index: &index,
    }];
    let all = Filter::default();

    let summary = cli(&["summarize", FILE]);
    let m = journey_metrics(&sources, &map, &all);
    same(&m.overall, &summary["metrics"]["overall"], "overall");
    for t in &map.touchpoints {
        same(
            &m.touchpoints[&t.id],
            &summary["metrics"]["by_touchpoint"][&t.feedback_key],
            &t.name,
        );
    }

    let trend = cli(&["trend", FILE, "--every", "week"]);
    let weeks = journey_trend(&sources, &map, &all, Every::Week, None);
    let buckets = trend["buckets"].as_array().unwrap();
    assert_eq!(weeks.len(), buckets.len());
    for (got, want) in weeks.iter().zip(buckets) {
        assert_eq!(Some(got.start.to_string().as_str()), want["start"].as_str());
        same(&got.summary, &want["metrics"], "week");
    }

    let split = Day::from_ymd(2024, 3, 1).unwrap();
    let compare = cli(&["compare", FILE, "--split-at", "2024-03-01"]);
    let c = journey_compare(&sources, &map, &all, &Split::At(split), None).unwrap();
    same(&c.a, &compare["before"], "before");
    same(&c.b, &compare["after"], "after");
    let nps = c.differences.nps.as_ref().unwrap();
    close(nps.delta, &compare["difference"]["nps"]["delta"], "delta");
    close(nps.p_value, &compare["difference"]["nps"]["p_value"], "p");
    close(
        nps.ci95[0],
        &compare["difference"]["nps"]["ci95"][0],
        "ci lo",
    );
    assert_eq!(c.undated as u64, compare["undated_rows"].as_u64().unwrap());

    // A date filter from the split on gives the CLI's "after" per touchpoint.
    let by_touchpoint = cli(&[
        "compare",
        FILE,
        "--split-at",
        "2024-03-01",
        "--by",
        "touchpoint",
    ]);
    let after = Filter {
        from: Some(split.0),
        ..Filter::default()
    };
    let m = journey_metrics(&sources, &map, &after);
    for t in &map.touchpoints {
        same(
            &m.touchpoints[&t.id],
            &by_touchpoint["groups"][&t.feedback_key]["after"],
            &t.name,
        );
    }

    let ab = cli(&[
        "compare",
        FILE,
        "--between",
        "Segment=omni_shopper,store_first",
    ]);
    let between = Split::Between {
        column: "Segment".into(),
        a: "omni_shopper".into(),
        b: "store_first".into(),
    };
    let c = journey_compare(&sources, &map, &all, &between, None).unwrap();
    same(&c.a, &ab["a"], "a");
    same(&c.b, &ab["b"], "b");
}

#[test]
fn two_datasets_count_as_the_whole_file() {
    let map = templates::retail(Id::new("m"), 0.0);
    let text = std::fs::read_to_string(root().join(FILE)).unwrap();
    let mut lines = text.lines();
    let header = lines.next().unwrap();
    let rows: Vec<&str> = lines.collect();
    let half = rows.len() / 2;
    let part = |rows: &[&str]| {
        let file = format!("{header}\n{}\n", rows.join("\n"));
        import(file.into_bytes(), ImportOptions::default()).unwrap()
    };
    let (a, b) = (part(&rows[..half]), part(&rows[half..]));
    let (ia, ib) = (
        RowIndex::new(&a, &map, &Aliases::new(), &ChannelLinks::new()),
        RowIndex::new(&b, &map, &Aliases::new(), &ChannelLinks::new()),
    );
    let sources = [
        Source {
            data: &a,
            index: &ia,
        },
        Source {
            data: &b,
            index: &ib,
        },
    ];
    let m = journey_metrics(&sources, &map, &Filter::default());
    let summary = cli(&["summarize", FILE]);
    same(&m.overall, &summary["metrics"]["overall"], "overall");
    for t in &map.touchpoints {
        same(
            &m.touchpoints[&t.id],
            &summary["metrics"]["by_touchpoint"][&t.feedback_key],
            &t.name,
        );
    }
}
