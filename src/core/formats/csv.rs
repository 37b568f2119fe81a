//! A map's touchpoints as a spreadsheet, one row each, made safe to open in
//! Excel, LibreOffice or Google Sheets.

use std::borrow::Cow;
use std::collections::HashMap;

use crate::model::{Id, JourneyMap};

/// OWASP's CSV-injection guidance: a spreadsheet runs a cell starting with
/// `=`, `+`, `-` or `@` as a formula (tab and carriage return can hide such
/// a start), so a text cell starting with any of them gets a single quote in
/// front, which spreadsheets show as text. [`touchpoints_csv`] also quotes
/// every text cell. Numbers are never passed through here, so an emotion of
/// −2 stays the number -2 in its column.
pub fn safe_text(cell: &str) -> Cow<'_, str> {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        Cow::Owned(format!("'{cell}"))
    } else {
        Cow::Borrowed(cell)
    }
}

/// The columns of [`touchpoints_csv`], in order.
pub const HEADER: [&str; 9] = [
    "stage",
    "channel",
    "touchpoint",
    "emotion",
    "nps_target",
    "csat_target",
    "ces_target",
    "owner",
    "description",
];

/// One row per touchpoint in journey order (stage, then channel lane, then
/// position), after a header row. Text cells go through [`safe_text`] and
/// are quoted; numeric cells (emotion and targets) are plain numbers, empty
/// when unset.
pub fn touchpoints_csv(map: &JourneyMap) -> String {
    let mut w = csv::WriterBuilder::new()
        .quote_style(csv::QuoteStyle::NonNumeric)
        .from_writer(Vec::new());
    let number = |v: Option<f64>| v.filter(|v| v.is_finite()).map(|v| v.to_string());
    // Looked up once, not searched per row, for maps with many stages.
    let stages: HashMap<&Id, &str> = map
        .stages
        .iter()
        .map(|s| (&s.id, s.name.as_str()))
        .collect();
    let channels: HashMap<&Id, &str> = map
        .channels
        .iter()
        .map(|c| (&c.id, c.name.as_str()))
        .collect();
    let rows =
        std::iter::once(HEADER.map(String::from)).chain(map.journey_order().into_iter().map(|t| {
            let name = |found: Option<&&str>| safe_text(found.unwrap_or(&"")).into_owned();
            [
                name(stages.get(&t.stage)),
                name(channels.get(&t.channel)),
                safe_text(&t.name).into_owned(),
                t.emotion.map(|e| e.to_string()).unwrap_or_default(),
                number(t.targets.nps).unwrap_or_default(),
                number(t.targets.csat).unwrap_or_default(),
                number(t.targets.ces).unwrap_or_default(),
                safe_text(&t.owner).into_owned(),
                safe_text(&t.description).into_owned(),
            ]
        }));
    for row in rows {
        w.write_record(&row).expect("writing to memory cannot fail");
    }
    let bytes = w.into_inner().expect("writing to memory cannot fail");
    String::from_utf8(bytes).expect("every cell was a str")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{ChannelKind, Id, Targets};

    #[test]
    fn formula_starts_are_neutralised() {
        for cell in ["=cmd|' /C calc'!A0", "+1", "-2+3", "@SUM(1)", "\tx", "\rx"] {
            assert_eq!(safe_text(cell), format!("'{cell}"));
        }
        for cell in ["plain", "", "1=1", " =x", "'quoted"] {
            assert!(matches!(safe_text(cell), Cow::Borrowed(c) if c == cell));
        }
    }

    #[test]
    fn text_is_quoted_and_numbers_stay_numbers() {
        let mut m = JourneyMap::new(Id::new("m"), "x", 0.0);
        let s = m.add_stage("=HYPERLINK(\"http://x\")");
        let c = m.add_channel("Web, mobile", ChannelKind::Digital);
        let t = m.add_touchpoint(&s, &c, "-2+3").unwrap();
        m.set_emotion(&t, Some(-2)).unwrap();
        m.set_targets(
            &t,
            Targets {
                nps: Some(-10.0),
                csat: Some(4.5),
                ces: None,
            },
        )
        .unwrap();
        m.touchpoint_mut(&t).unwrap().description = "line one\nline two".into();
        let text = touchpoints_csv(&m);
        let mut lines = text.lines();
        assert_eq!(
            lines.next().unwrap(),
            "\"stage\",\"channel\",\"touchpoint\",\"emotion\",\"nps_target\",\"csat_target\",\"ces_target\",\"owner\",\"description\""
        );
        assert_eq!(
            lines.next().unwrap(),
            "\"'=HYPERLINK(\"\"http://x\"\")\",\"Web, mobile\",\"'-2+3\",-2,-10,4.5,\"\",\"\",\"line one"
        );
        let mut reader = csv::Reader::from_reader(text.as_bytes());
        let row = reader.records().next().unwrap().unwrap();
        assert_eq!(&row[3], "-2");
        assert_eq!(&row[8], "line one\nline two");
    }
}
