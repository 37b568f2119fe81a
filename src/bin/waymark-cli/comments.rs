//! `waymark-cli comments FILE [--role "HEADER=ROLE" ...] [--sheet NAME]
//! [--touchpoint NAME] [--label negative|neutral|positive]`: every comment
//! of a feedback export with its touchpoint, score and VADER sentiment, as
//! CSV that is safe to open in a spreadsheet.
//!
//! Columns: `line` (where the record starts in the file), `date` (UTC),
//! `customer`, `touchpoint`, `channel`, `stage`, `score` and `scale` (the
//! row's first NPS, CSAT, CES or metric answer, in that order, and which it
//! is), `column` (the comment question), `comment`, `compound`, `pos`,
//! `neu`, `neg`, `label`. A record with several comment columns gives one
//! row per non-empty comment. Contacts in comments stay masked as the app
//! masks them. Text cells go through OWASP's CSV-injection guard
//! (`formats::csv::safe_text`); numbers stay numbers.

use std::io::{self, BufWriter};
use std::process::ExitCode;

use waymark::formats::csv::safe_text;
use waymark::import::dates::format_iso;
use waymark::import::{Column, ColumnData, ImportOptions, Importer, Role};
use waymark::sentiment::{Label, Scorer};

const HEADER: [&str; 15] = [
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
    "label",
];

struct Args {
    file: String,
    options: ImportOptions,
    /// Trimmed and lower case: touchpoints match ignoring case and spaces.
    touchpoint: Option<String>,
    label: Option<Label>,
}

fn parse(args: &[String]) -> Result<Args, String> {
    let mut parsed = Args {
        file: String::new(),
        options: ImportOptions::default(),
        touchpoint: None,
        label: None,
    };
    let mut rest = args.iter();
    while let Some(arg) = rest.next() {
        let mut value = |flag: &str| rest.next().ok_or(format!("{flag} needs a value"));
        match arg.as_str() {
            "--role" => {
                let spec = value("--role")?;
                let (header, role) = spec
                    .rsplit_once('=')
                    .ok_or(format!("--role {spec:?} is not HEADER=ROLE"))?;
                parsed
                    .options
                    .roles
                    .push((header.to_owned(), role.parse()?));
            }
            "--sheet" => parsed.options.sheet = Some(value("--sheet")?.clone()),
            "--touchpoint" => {
                parsed.touchpoint = Some(value("--touchpoint")?.trim().to_lowercase());
            }
            "--label" => parsed.label = Some(value("--label")?.parse()?),
            flag if flag.starts_with("--") => return Err(format!("unknown option {flag}")),
            file if parsed.file.is_empty() => parsed.file = file.to_owned(),
            extra => return Err(format!("unexpected argument {extra:?}")),
        }
    }
    if parsed.file.is_empty() {
        return Err("comments needs FILE".into());
    }
    Ok(parsed)
}

fn fail(message: String) -> ExitCode {
    eprintln!("waymark-cli: {message}");
    ExitCode::from(2)
}

pub fn main(args: &[String]) -> ExitCode {
    let args = match parse(args) {
        Ok(args) => args,
        Err(e) => return fail(format!("{e} (see waymark-cli --help)")),
    };
    let bytes = match std::fs::read(&args.file) {
        Ok(bytes) => bytes,
        Err(e) => return fail(format!("{}: {e}", args.file)),
    };
    let data = match Importer::new(bytes, args.options.clone()) {
        Ok(importer) => importer.finish(),
        Err(e) => return fail(format!("{}: {e}", args.file)),
    };
    let kept = |c: &&Column| !matches!(c.data, ColumnData::Skipped);
    let comments: Vec<&Column> = data
        .columns
        .iter()
        .filter(|c| c.role == Role::Comment)
        .filter(kept)
        .collect();
    if comments.is_empty() {
        return fail(format!(
            "{}: no comment column: mark one with --role \"HEADER=comment\"",
            args.file
        ));
    }
    let first = |role| data.column(role).filter(kept);
    let touchpoint = first(Role::Touchpoint);
    if args.touchpoint.is_some() && touchpoint.is_none() {
        return fail(format!(
            "{}: no touchpoint column: mark one with --role \"HEADER=touchpoint\"",
            args.file
        ));
    }
    let (date, customer, channel, stage) = (
        first(Role::Timestamp),
        first(Role::Customer),
        first(Role::Channel),
        first(Role::Stage),
    );
    let scores: Vec<&Column> = [Role::Nps, Role::Csat, Role::Ces, Role::Metric]
        .into_iter()
        .filter_map(first)
        .collect();
    let scorer = Scorer::new();
    let stdout = io::stdout();
    let mut w = csv::WriterBuilder::new()
        .quote_style(csv::QuoteStyle::NonNumeric)
        .from_writer(BufWriter::new(stdout.lock()));
    let mut written = w.write_record(HEADER);
    let text =
        |c: Option<&Column>, row| safe_text(c.and_then(|c| c.text(row)).unwrap_or("")).into_owned();
    for row in 0..data.rows() {
        if written.is_err() {
            break;
        }
        let place = text(touchpoint, row);
        if let Some(wanted) = &args.touchpoint {
            let name = touchpoint.and_then(|c| c.text(row)).unwrap_or("");
            if name.trim().to_lowercase() != *wanted {
                continue;
            }
        }
        let score = scores
            .iter()
            .find_map(|c| c.score(row).map(|v| (v, c.role.label())));
        for column in &comments {
            let Some(comment) = column.text(row).filter(|t| !t.trim().is_empty()) else {
                continue;
            };
            let s = scorer.score(comment);
            if args.label.is_some_and(|l| l != s.label()) {
                continue;
            }
            let number = |v: f64| v.to_string();
            written = w.write_record([
                data.lines[row].to_string().as_str(),
                &date
                    .and_then(|c| c.time(row))
                    .map(|t| format_iso(t) + "Z")
                    .unwrap_or_default(),
                &text(customer, row),
                &place,
                &text(channel, row),
                &text(stage, row),
                &score.map(|(v, _)| v.to_string()).unwrap_or_default(),
                score.map_or("", |(_, scale)| scale),
                &safe_text(&column.name),
                &safe_text(comment),
                &number(s.compound),
                &number(s.pos),
                &number(s.neu),
                &number(s.neg),
                s.label().as_str(),
            ]);
        }
    }
    match written.and_then(|()| w.flush().map_err(csv::Error::from)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) if matches!(e.kind(), csv::ErrorKind::Io(io) if io.kind() == io::ErrorKind::BrokenPipe) => {
            ExitCode::SUCCESS
        }
        Err(e) => fail(format!("cannot write output: {e}")),
    }
}
