//! Every fixture mimics a real export (layout, encoding, quirks); the
//! expected metrics were worked out by hand from the rows in each file.

use std::path::Path;

use waymark::analytics::{self, Summary};
use waymark::import::{self, ColumnData, Dataset, DateOrder, ImportOptions, Role};

fn fixture(name: &str) -> Vec<u8> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/feedback")
        .join(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn load(name: &str) -> Dataset {
    load_with(name, ImportOptions::default())
}

fn load_with(name: &str, options: ImportOptions) -> Dataset {
    import::import(fixture(name), options).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn roles(data: &Dataset) -> Vec<Role> {
    data.columns.iter().map(|c| c.role).collect()
}

fn close(a: f64, b: f64) {
    assert!((a - b).abs() < 1e-9, "{a} vs {b}");
}

/// NPS with its score rounded to 6 decimals, so thirds compare exactly.
fn nps_of(summary: &Summary) -> (usize, f64, [usize; 3]) {
    let nps = summary.nps.as_ref().expect("nps");
    let score = (nps.score * 1e6).round() / 1e6;
    (nps.n, score, [nps.promoters, nps.passives, nps.detractors])
}

fn source(data: &Dataset) -> (&str, Option<&str>, &str, usize, usize, usize) {
    let s = &data.source;
    (
        s.encoding.as_str(),
        s.delimiter.as_deref(),
        s.layout.as_str(),
        s.header_rows,
        s.rows,
        s.skipped,
    )
}

#[test]
fn generic_csv_with_quotes_ragged_rows_and_out_of_range_scores() {
    let data = load("generic.csv");
    assert_eq!(source(&data), ("utf-8", Some(","), "generic", 1, 7, 1));
    use Role::*;
    assert_eq!(
        roles(&data),
        [Ignored, Timestamp, Nps, Csat, Ces, Comment, Touchpoint, Channel, Stage, Segment]
    );
    let errors: Vec<(u64, Option<&str>)> = data
        .errors
        .iter()
        .map(|e| (e.line, e.column.as_deref()))
        .collect();
    assert_eq!(
        errors,
        [
            (8, Some("How likely are you to recommend Acme to a friend?")),
            (9, None),
            (10, Some("Overall satisfaction")),
            (10, Some("The company made it easy to handle my issue")),
        ]
    );
    assert_eq!(
        data.errors[1].message,
        "record has 4 fields but the header has 10; row skipped"
    );

    let comment = data.column(Comment).unwrap();
    assert_eq!(comment.text(1), Some("Said \"great\" twice"));
    assert_eq!(comment.text(2), Some("Line one\nline two, with comma"));
    assert_eq!(comment.text(3), Some("Email me at [email] or [phone]"));
    assert_eq!(data.lines, [2, 3, 4, 6, 7, 8, 10]);

    let m = analytics::metrics(&data);
    // NPS 10 9 8 6 3 7 (11 excluded): 2 promoters, 2 passives, 2 detractors.
    assert_eq!(nps_of(&m.overall), (6, 0.0, [2, 2, 2]));
    let nps = m.overall.nps.as_ref().unwrap();
    // n' = 9, p' = d' = 2.75/9, se = sqrt(0.611111/9) = 0.260579, × 1.959964.
    close(nps.ci95[1], 51.072_477_565_405_53);
    // CSAT 5 4 4 2 1 3: 3 of 6 top-2, mean 19/6.
    let csat = m.overall.csat.as_ref().unwrap();
    assert_eq!((csat.n, csat.percent), (6, 50.0));
    close(csat.mean.unwrap(), 19.0 / 6.0);
    // CES 7 6 5 3 2 4: mean 4.5, s² = 17.5/5, t(0.975, 5) = 2.570582.
    let ces = m.overall.ces.as_ref().unwrap();
    assert_eq!((ces.n, ces.mean, ces.percent_agree), (6, 4.5, 50.0));
    let half = 2.570_581_835_636_314 * (3.5f64 / 6.0).sqrt();
    close(ces.ci95.unwrap()[0], 4.5 - half);

    assert_eq!(
        nps_of(&m.by_touchpoint["checkout"]),
        (3, 66.666667, [2, 1, 0])
    );
    assert_eq!(nps_of(&m.by_touchpoint["delivery"]), (2, -50.0, [0, 1, 1]));
    assert_eq!(nps_of(&m.by_touchpoint["returns"]), (1, -100.0, [0, 0, 1]));
    assert_eq!(m.by_channel["web"].csat.as_ref().unwrap().n, 2);
    assert_eq!(nps_of(&m.by_stage["after"]).0, 1);
    assert_eq!(nps_of(&m.by_segment["family"]), (3, 0.0, [1, 1, 1]));
}

#[test]
fn utf8_bom_semicolons_decimal_commas_and_day_first_dots() {
    let data = load("semicolon_bom.csv");
    assert_eq!(source(&data), ("utf-8-bom", Some(";"), "generic", 1, 3, 0));
    assert_eq!(data.columns[0].name, "Datum");
    assert_eq!(
        roles(&data),
        [
            Role::Timestamp,
            Role::Nps,
            Role::Metric,
            Role::Comment,
            Role::Channel
        ]
    );
    assert_eq!(data.columns[0].time(0), Some(1_709_510_400.0));
    assert_eq!(data.columns[0].time(1), Some(1_709_596_800.0 + 66_600.0));
    assert_eq!(data.columns[2].score(0), Some(12.5));
    assert_eq!(
        data.column(Role::Comment).unwrap().text(0),
        Some("Schnell; gut")
    );
    assert_eq!(
        nps_of(&analytics::metrics(&data).overall),
        (3, 33.333333, [2, 0, 1])
    );
}

#[test]
fn excel_unicode_text_is_utf16le_tabs_with_us_dates() {
    let data = load("excel_unicode_utf16le.txt");
    assert_eq!(source(&data), ("utf-16le", Some("tab"), "generic", 1, 3, 0));
    assert_eq!(
        roles(&data),
        [Role::Customer, Role::Csat, Role::Comment, Role::Timestamp]
    );
    assert_eq!(
        data.column(Role::Comment).unwrap().text(0),
        Some("Great service – merci")
    );
    let ColumnData::Time(time) = &data.columns[3].data else {
        panic!("timestamp column")
    };
    // 3/25/2024 can only be month-first, which settles 4/1 and 4/2 too.
    assert_eq!(time.order, DateOrder::MonthFirst);
    assert_eq!(time.secs[1], 1_711_962_000.0);
    let csat = analytics::metrics(&data).overall.csat.unwrap();
    assert_eq!((csat.n, csat.mean), (3, Some(11.0 / 3.0)));
    close(csat.percent, 200.0 / 3.0);
}

#[test]
fn utf16be_with_pipes() {
    let data = load("pipe_utf16be.txt");
    assert_eq!(source(&data), ("utf-16be", Some("|"), "generic", 1, 3, 0));
    assert_eq!(
        data.column(Role::Comment).unwrap().text(0),
        Some("Love it | really")
    );
    let m = analytics::metrics(&data);
    assert_eq!(nps_of(&m.overall), (3, 0.0, [1, 1, 1]));
    assert_eq!(nps_of(&m.by_touchpoint["app"]), (2, 0.0, [1, 0, 1]));
}

#[test]
fn qualtrics_three_row_tsv_in_utf16() {
    let data = load("qualtrics_3row_utf16le.tsv");
    assert_eq!(
        source(&data),
        ("utf-16le", Some("tab"), "qualtrics", 3, 4, 0)
    );
    let nps = data.column(Role::Nps).unwrap();
    assert_eq!(
        nps.name,
        "How likely are you to recommend Acme to a friend or colleague?"
    );
    assert_eq!(nps.field_id.as_deref(), Some("Q1"));
    assert_eq!(data.column(Role::Timestamp).unwrap().name, "Recorded Date");
    assert_eq!(data.column(Role::Customer).unwrap().name, "Recipient Email");
    assert_eq!(
        data.column(Role::Touchpoint).unwrap().field_id.as_deref(),
        Some("Q5")
    );
    assert_eq!(data.lines, [4, 5, 6, 7]);
    let m = analytics::metrics(&data);
    // Labels: "10 - Extremely likely", 9, "0 - Not at all likely", 7.
    assert_eq!(nps_of(&m.overall), (4, 25.0, [2, 1, 1]));
    let csat = m.overall.csat.as_ref().unwrap();
    assert_eq!((csat.n, csat.percent, csat.mean), (4, 50.0, Some(3.25)));
    // 7-point agreement: 7, 5, 1, 6.
    let ces = m.overall.ces.as_ref().unwrap();
    assert_eq!((ces.n, ces.mean, ces.percent_agree), (4, 4.75, 75.0));
    assert_eq!(nps_of(&m.by_touchpoint["delivery"]), (2, 100.0, [2, 0, 0]));
}

#[test]
fn qualtrics_legacy_two_rows() {
    let data = load("qualtrics_legacy.csv");
    assert_eq!(source(&data), ("utf-8", Some(","), "qualtrics", 2, 3, 0));
    assert_eq!(
        data.column(Role::Nps).unwrap().field_id.as_deref(),
        Some("Q1")
    );
    assert_eq!(
        data.column(Role::Comment).unwrap().name,
        "Please tell us why you gave that score."
    );
    assert_eq!(
        data.columns
            .iter()
            .filter(|c| c.role == Role::Comment)
            .count(),
        1
    );
    assert_eq!(
        nps_of(&analytics::metrics(&data).overall),
        (3, 33.333333, [2, 0, 1])
    );
}

#[test]
fn surveymonkey_two_rows_with_choice_columns() {
    let data = load("surveymonkey.csv");
    assert_eq!(
        source(&data),
        ("utf-8-bom", Some(","), "surveymonkey", 2, 4, 0)
    );
    let names: Vec<&str> = data.columns[10..13]
        .iter()
        .map(|c| c.name.as_str())
        .collect();
    assert_eq!(
        names,
        [
            "Which products did you buy? - Shoes",
            "Which products did you buy? - Bags",
            "Which products did you buy? - Other (please specify)",
        ]
    );
    assert_eq!(
        data.column(Role::Comment).unwrap().text(2),
        Some("Strap broke, call [phone]")
    );
    let m = analytics::metrics(&data);
    assert_eq!(nps_of(&m.overall), (4, 25.0, [2, 1, 1]));
    let csat = m.overall.csat.as_ref().unwrap();
    assert_eq!((csat.n, csat.percent, csat.mean), (4, 50.0, Some(3.5)));
}

#[test]
fn typeform_html_headers() {
    let data = load("typeform.csv");
    assert_eq!(source(&data), ("utf-8", Some(","), "typeform", 1, 3, 0));
    assert_eq!(data.columns[1].name, "How likely are you to recommend us?");
    assert_eq!(
        data.columns[2].name,
        "What's the main reason for your score?"
    );
    assert_eq!(
        data.column(Role::Timestamp).unwrap().name,
        "Submit Date (UTC)"
    );
    assert_eq!(
        nps_of(&analytics::metrics(&data).overall),
        (3, 0.0, [1, 1, 1])
    );
}

#[test]
fn google_forms_us_timestamps() {
    let data = load("google_forms.csv");
    assert_eq!(source(&data), ("utf-8", Some(","), "google_forms", 1, 5, 0));
    let ts = data.column(Role::Timestamp).unwrap();
    let ColumnData::Time(time) = &ts.data else {
        panic!("timestamp column")
    };
    assert_eq!(time.order, DateOrder::MonthFirst);
    assert_eq!(ts.time(1), Some(1_709_649_000.0));
    assert_eq!(ts.time(2), Some(1_710_421_200.0));
    assert_eq!(ts.time(4), Some(1_710_547_200.0));
    let m = analytics::metrics(&data);
    assert_eq!(nps_of(&m.overall), (5, 40.0, [3, 1, 1]));
    let ces = m.overall.ces.as_ref().unwrap();
    assert_eq!((ces.n, ces.percent_agree), (5, 60.0));
    close(ces.mean, 4.8);
    assert_eq!(nps_of(&m.by_touchpoint["hotline"]), (2, 0.0, [1, 0, 1]));
}

#[test]
fn google_forms_with_utc_offsets() {
    let data = load("google_forms_utc_offset.csv");
    let ts = data.column(Role::Timestamp).unwrap();
    assert_eq!(ts.time(0), Some(1_709_535_600.0));
    assert_eq!(ts.time(1), Some(1_709_584_200.0));
    assert_eq!(data.column(Role::Nps).unwrap().name, "Score");
}

#[test]
fn delighted_in_windows_1252_with_unix_seconds() {
    let data = load("delighted_windows1252.csv");
    assert_eq!(
        source(&data),
        ("windows-1252", Some(","), "delighted", 1, 5, 0)
    );
    let comment = data.column(Role::Comment).unwrap();
    assert_eq!(comment.text(0), Some("Très bien – 5 € de réduction"));
    assert_eq!(comment.text(1), Some("“Quick” delivery"));
    assert_eq!(
        data.column(Role::Timestamp).unwrap().time(0),
        Some(1_709_546_400.0)
    );
    assert_eq!(
        nps_of(&analytics::metrics(&data).overall),
        (5, 40.0, [3, 1, 1])
    );
}

#[test]
fn zendesk_good_bad() {
    let data = load("zendesk_csat.csv");
    assert_eq!(source(&data), ("utf-8", Some(","), "zendesk", 1, 7, 0));
    assert!(data.errors.is_empty(), "{:?}", data.errors);
    // Good ×3, Bad ×2, Offered/Unoffered not rated: 3 ÷ 5.
    let csat = analytics::metrics(&data).overall.csat.unwrap();
    assert_eq!((csat.n, csat.percent, csat.mean), (5, 60.0, None));
}

#[test]
fn medallia_with_ambiguous_dates_asks() {
    let mut data = load("medallia.csv");
    assert_eq!(source(&data), ("utf-8", Some(","), "medallia", 1, 3, 0));
    let col = data
        .columns
        .iter()
        .position(|c| c.role == Role::Timestamp)
        .unwrap();
    let ColumnData::Time(time) = &data.columns[col].data else {
        panic!("timestamp column")
    };
    assert_eq!(time.order, DateOrder::Ambiguous);
    assert_eq!(time.secs[0], 1_709_510_400.0);
    assert!(data.set_date_order(col, DateOrder::DayFirst));
    assert_eq!(data.columns[col].time(0), Some(1_712_102_400.0));
    assert!(!data.set_date_order(col, DateOrder::MonthFirst));
    let m = analytics::metrics(&data);
    assert_eq!(nps_of(&m.overall), (3, 33.333333, [2, 0, 1]));
    assert_eq!(m.overall.csat.as_ref().unwrap().mean, Some(4.0));
    assert_eq!(nps_of(&m.by_segment["Commuter"]), (2, 0.0, [1, 0, 1]));
}

#[test]
fn xlsx_with_sheet_choice() {
    let first = load("workbook.xlsx");
    assert_eq!(first.source.sheets, ["Notes", "Responses"]);
    assert_eq!(first.source.sheet.as_deref(), Some("Notes"));
    let data = load_with(
        "workbook.xlsx",
        ImportOptions {
            sheet: Some("Responses".into()),
            ..ImportOptions::default()
        },
    );
    assert_eq!(source(&data), ("xlsx", None, "xlsx", 1, 4, 0));
    assert_eq!(data.lines, [2, 3, 4, 5]);
    assert_eq!(
        data.column(Role::Comment).unwrap().text(1),
        Some("Call me on [phone]")
    );
    let m = analytics::metrics(&data);
    assert_eq!(nps_of(&m.overall), (4, 25.0, [2, 1, 1]));
    assert_eq!(nps_of(&m.by_channel["app"]), (2, 50.0, [1, 1, 0]));
    let missing = ImportOptions {
        sheet: Some("Nope".into()),
        ..ImportOptions::default()
    };
    let err = import::import(fixture("workbook.xlsx"), missing).unwrap_err();
    assert!(err.0.contains("no sheet named"), "{err}");
}

#[test]
fn role_overrides_by_name_or_field_id_and_unmasked_comments() {
    let data = load_with(
        "qualtrics_3row_utf16le.tsv",
        ImportOptions {
            roles: vec![
                ("Q1".into(), Role::Metric),
                ("Response Type".into(), Role::Segment),
            ],
            mask_contacts: false,
            ..ImportOptions::default()
        },
    );
    assert_eq!(data.columns[10].role, Role::Metric);
    assert_eq!(data.columns[2].role, Role::Segment);
    assert!(analytics::metrics(&data).overall.nps.is_none());
    let generic = load_with(
        "generic.csv",
        ImportOptions {
            mask_contacts: false,
            ..ImportOptions::default()
        },
    );
    assert_eq!(
        generic.column(Role::Comment).unwrap().text(3),
        Some("Email me at jo@example.com or 555-123-4567")
    );
}
