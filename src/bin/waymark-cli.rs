//! Command-line access to Waymark's feedback import and its journey maps,
//! for analysts and pipelines: the same core the browser uses, so numbers
//! agree with the app.

use std::collections::BTreeMap;
use std::io::{self, BufWriter, Write};
use std::process::ExitCode;

use serde::ser::SerializeMap;
use serde::{Serialize, Serializer};
use waymark::analytics::{self, Metrics};
use waymark::import::dates::written_offset;
use waymark::import::{
    ColumnData, Dataset, DateOrder, ImportOptions, Importer, Role, RowError, SourceInfo,
};
use waymark::insights::compare::{compare, compare_by, Comparison};
use waymark::insights::dates::{date_column, row_days_as_written, Day};
use waymark::insights::groups::{self, by_value};
use waymark::insights::trend::{trend, Every};

// Beside this file rather than in src/bin, where cargo would take it for a
// binary of its own.
#[path = "waymark-cli/comments.rs"]
mod comments;
#[path = "waymark-cli/map.rs"]
mod map;
#[path = "waymark-cli/sentiment.rs"]
mod sentiment;

const USAGE: &str = "usage: waymark-cli summarize FILE [--role \"HEADER=ROLE\" ...] [--sheet NAME]
       waymark-cli convert FILE [--to json|csv] [--sheet NAME]
       waymark-cli trend FILE --every week|month [--role \"HEADER=ROLE\" ...] [--sheet NAME]
       waymark-cli compare FILE --split-at YYYY-MM-DD [--by touchpoint|channel] [--role ...] [--sheet NAME]
       waymark-cli compare FILE --between \"COLUMN=A,B\" [--by touchpoint|channel] [--role ...] [--sheet NAME]
       waymark-cli map template retail|saas|bank|patient
       waymark-cli map convert FILE --to json|svg|mermaid|csv
       waymark-cli sentiment [FILE|-]
       waymark-cli comments FILE [--role ...] [--touchpoint NAME] [--label negative|neutral|positive] [--sheet NAME]
trend and --split-at use the first timestamp column, on each row's calendar
date as written in the file; --between matches values trimmed, ignoring case.
map convert reads a map file or a mermaid journey (FILE - reads stdin).
sentiment prints VADER's scores of each line as JSON, one object per line
(English-only, word-list based); comments prints every comment with its
touchpoint, score and sentiment as spreadsheet-safe CSV.";

struct Args {
    command: String,
    file: String,
    roles: Vec<(String, Role)>,
    to: String,
    sheet: Option<String>,
    every: Option<Every>,
    split_at: Option<Day>,
    /// Column, A, B.
    between: Option<(String, String, String)>,
    by: Option<Role>,
}

/// A usage error: one line on stderr, exit code 2.
struct Usage(String);

impl From<String> for Usage {
    fn from(message: String) -> Usage {
        Usage(message)
    }
}

fn parse_args(mut args: impl Iterator<Item = String>) -> Result<Args, String> {
    let command = args.next().ok_or("missing command")?;
    if !["summarize", "convert", "trend", "compare"].contains(&command.as_str()) {
        return Err(format!("unknown command {command:?}"));
    }
    let mut parsed = Args {
        command,
        file: String::new(),
        roles: Vec::new(),
        to: "json".into(),
        sheet: None,
        every: None,
        split_at: None,
        between: None,
        by: None,
    };
    let analysis = parsed.command != "convert";
    while let Some(arg) = args.next() {
        let mut value = |flag: &str| args.next().ok_or(format!("{flag} needs a value"));
        match arg.as_str() {
            "--every" if parsed.command == "trend" => {
                parsed.every = Some(value("--every")?.parse()?);
            }
            "--split-at" if parsed.command == "compare" => {
                let day = value("--split-at")?;
                parsed.split_at = Some(day.parse().map_err(|e| format!("--split-at: {e}"))?);
            }
            "--between" if parsed.command == "compare" => {
                let spec = value("--between")?;
                let parsed_spec = spec.rsplit_once('=').and_then(|(column, values)| {
                    let (a, b) = values.split_once(',')?;
                    let ok =
                        !column.trim().is_empty() && !a.trim().is_empty() && !b.trim().is_empty();
                    ok.then(|| (column.to_owned(), a.trim().to_owned(), b.trim().to_owned()))
                });
                parsed.between =
                    Some(parsed_spec.ok_or(format!("--between {spec:?} is not \"COLUMN=A,B\""))?);
            }
            "--by" if parsed.command == "compare" => {
                parsed.by = Some(match value("--by")?.as_str() {
                    "touchpoint" => Role::Touchpoint,
                    "channel" => Role::Channel,
                    other => {
                        return Err(format!("--by must be touchpoint or channel, not {other:?}"))
                    }
                });
            }
            "--role" if analysis => {
                let spec = value("--role")?;
                let (header, role) = spec
                    .rsplit_once('=')
                    .ok_or(format!("--role {spec:?} is not HEADER=ROLE"))?;
                parsed.roles.push((header.to_owned(), role.parse()?));
            }
            "--to" if parsed.command == "convert" => {
                parsed.to = value("--to")?;
                if parsed.to != "json" && parsed.to != "csv" {
                    return Err(format!("--to must be json or csv, not {:?}", parsed.to));
                }
            }
            "--sheet" => parsed.sheet = Some(value("--sheet")?),
            flag if flag.starts_with("--") => return Err(format!("unknown option {flag}")),
            file if parsed.file.is_empty() => parsed.file = file.to_owned(),
            extra => return Err(format!("unexpected argument {extra:?}")),
        }
    }
    if parsed.file.is_empty() {
        return Err("missing FILE".into());
    }
    if parsed.command == "trend" && parsed.every.is_none() {
        return Err("trend needs --every week|month".into());
    }
    if parsed.command == "compare" && parsed.split_at.is_some() == parsed.between.is_some() {
        return Err(
            "compare needs one of --split-at YYYY-MM-DD or --between \"COLUMN=A,B\"".into(),
        );
    }
    Ok(parsed)
}

#[derive(Serialize)]
struct ColumnOut<'a> {
    name: &'a str,
    role: Role,
}

#[derive(Serialize)]
struct SummaryOut<'a> {
    source: &'a SourceInfo,
    columns: Vec<ColumnOut<'a>>,
    errors: &'a [RowError],
    metrics: Metrics,
}

fn summarize(data: &Dataset, out: &mut impl Write) -> io::Result<()> {
    let summary = SummaryOut {
        source: &data.source,
        columns: data
            .columns
            .iter()
            .map(|c| ColumnOut {
                name: &c.name,
                role: c.role,
            })
            .collect(),
        errors: &data.errors,
        metrics: analytics::metrics(data),
    };
    serde_json::to_writer_pretty(&mut *out, &summary)?;
    writeln!(out)
}

const NO_DATES: &str = "no date column: mark one with --role \"HEADER=timestamp\"";

/// Each row's calendar day as written in the file, from the first
/// timestamp column. The import keeps UTC, so the offset a cell states
/// (`+02:00`, `UTC+3`) is read again from the raw records and added back.
fn days_as_written(
    bytes: Vec<u8>,
    options: ImportOptions,
    data: &Dataset,
) -> Result<Vec<Option<Day>>, Usage> {
    let (column, time) = date_column(data).ok_or_else(|| Usage(NO_DATES.into()))?;
    if time.order == DateOrder::Ambiguous {
        eprintln!(
            "waymark-cli: warning: dates in {:?} fit both month-first and day-first; read month-first",
            data.columns[column].name
        );
    }
    let mut offsets = vec![0; data.rows()];
    // The same bytes and options read the same records, so this cannot
    // fail where the first reading succeeded; if it did, offsets stay 0.
    if let Ok(importer) = Importer::new(bytes, options) {
        let mut row = 0;
        for (line, record) in importer.into_records() {
            while row < data.lines.len() && u64::from(data.lines[row]) < line {
                row += 1;
            }
            if row < data.lines.len() && u64::from(data.lines[row]) == line {
                offsets[row] = record.get(column).and_then(written_offset).unwrap_or(0);
                row += 1;
            }
        }
    }
    Ok(row_days_as_written(time, &offsets))
}

/// The rows' groups by the first column with `role`, and their names.
fn grouping(data: &Dataset, role: Role) -> Result<(Vec<u32>, Vec<String>), Usage> {
    let column = data
        .column(role)
        .filter(|c| !matches!(c.data, ColumnData::Skipped))
        .ok_or_else(|| {
            let role = role.label();
            Usage(format!(
                "no {role} column: mark one with --role \"HEADER={role}\""
            ))
        })?;
    Ok(by_value(column, data.rows()))
}

/// A comparison with its sides named `before` / `after` or `a` / `b`.
struct Sides<'a> {
    names: [&'static str; 2],
    comparison: &'a Comparison,
}

impl Serialize for Sides<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(3))?;
        map.serialize_entry(self.names[0], &self.comparison.a)?;
        map.serialize_entry(self.names[1], &self.comparison.b)?;
        map.serialize_entry("difference", &self.comparison.difference)?;
        map.end()
    }
}

#[derive(Serialize)]
struct Between<'a> {
    column: &'a str,
    a: &'a str,
    b: &'a str,
}

#[derive(Serialize)]
struct CompareOut<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    split_at: Option<Day>,
    #[serde(skip_serializing_if = "Option::is_none")]
    between: Option<Between<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    undated_rows: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    by: Option<Role>,
    #[serde(flatten, skip_serializing_if = "Option::is_none")]
    sides: Option<Sides<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    groups: Option<BTreeMap<&'a str, Sides<'a>>>,
}

/// `trend` and `compare`: the JSON to print, or a usage error.
fn analyse(
    args: &Args,
    bytes: Vec<u8>,
    options: ImportOptions,
    data: &Dataset,
) -> Result<String, Usage> {
    if let Some(every) = args.every {
        let days = days_as_written(bytes, options, data)?;
        return Ok(to_json(&trend(data, &days, every, None)));
    }
    let (side, names, undated_rows, between) = match (&args.split_at, &args.between) {
        (Some(split), _) => {
            let days = days_as_written(bytes, options, data)?;
            let side = groups::split_at(&days, data.rows(), *split);
            let undated = side
                .iter()
                .filter(|&&s| s == waymark::import::MISSING)
                .count();
            (side, ["before", "after"], Some(undated), None)
        }
        (None, Some((column, a, b))) => {
            let found = groups::find_column(data, column)
                .ok_or_else(|| Usage(format!("unknown column {column:?}")))?;
            let side = groups::between(found, data.rows(), a, b)?;
            let between = Between {
                column: &found.name,
                a,
                b,
            };
            (side, ["a", "b"], None, Some(between))
        }
        (None, None) => unreachable!("parse_args requires --split-at or --between"),
    };
    let mut out = CompareOut {
        split_at: args.split_at,
        between,
        undated_rows,
        by: args.by,
        sides: None,
        groups: None,
    };
    let whole;
    let by_group;
    match args.by {
        None => {
            whole = compare(data, &side);
            out.sides = Some(Sides {
                names,
                comparison: &whole,
            });
            Ok(to_json(&out))
        }
        Some(role) => {
            let (by, group_names) = grouping(data, role)?;
            by_group = compare_by(data, &side, &by, &group_names);
            out.groups = Some(
                by_group
                    .iter()
                    .map(|(name, comparison)| (name.as_str(), Sides { names, comparison }))
                    .collect(),
            );
            Ok(to_json(&out))
        }
    }
}

/// Pretty JSON in the structs' field order.
fn to_json<T: Serialize>(value: &T) -> String {
    serde_json::to_string_pretty(value).expect("insights are plain data")
}

/// Data records with the header's width: short records are padded and long
/// ones cut, with a warning on stderr, so every output row lines up.
fn records(importer: Importer) -> (Vec<String>, impl Iterator<Item = Vec<String>>) {
    let names: Vec<String> = importer.columns().iter().map(|c| c.name.clone()).collect();
    let width = names.len();
    let rows = importer.into_records().map(move |(line, record)| {
        if record.len() != width {
            eprintln!(
                "line {line}: record has {} fields but the header has {width}",
                record.len()
            );
        }
        (0..width)
            .map(|i| record.get(i).unwrap_or("").to_owned())
            .collect()
    });
    (names, rows)
}

/// Streams records out without building columns, so converting a large file
/// costs little more memory than the file itself.
fn convert_csv(importer: Importer, out: &mut impl Write) -> io::Result<()> {
    let (names, rows) = records(importer);
    let mut w = csv::Writer::from_writer(out);
    w.write_record(&names)?;
    for row in rows {
        w.write_record(&row)?;
    }
    w.flush()
}

/// Objects are written by hand to keep the header's column order (a JSON map
/// type would sort the keys).
fn convert_json(importer: Importer, out: &mut impl Write) -> io::Result<()> {
    let (names, rows) = records(importer);
    let keys: Vec<String> = names
        .iter()
        .map(|n| serde_json::to_string(n).expect("strings serialize"))
        .collect();
    out.write_all(b"[")?;
    let mut first = true;
    for row in rows {
        out.write_all(if first { b"\n  {" } else { b",\n  {" })?;
        first = false;
        for (i, (key, value)) in keys.iter().zip(&row).enumerate() {
            if i > 0 {
                out.write_all(b", ")?;
            }
            write!(out, "{key}: ")?;
            serde_json::to_writer(&mut *out, value)?;
        }
        out.write_all(b"}")?;
    }
    out.write_all(if first { b"]\n" } else { b"\n]\n" })
}

fn main() -> ExitCode {
    let mut argv = std::env::args().skip(1).peekable();
    if argv
        .peek()
        .is_some_and(|a| matches!(a.as_str(), "--help" | "-h" | "help"))
    {
        println!("{USAGE}");
        return ExitCode::SUCCESS;
    }
    match argv.peek().map(String::as_str) {
        Some("map") => return map::main(&argv.skip(1).collect::<Vec<_>>()),
        Some("sentiment") => return sentiment::main(&argv.skip(1).collect::<Vec<_>>()),
        Some("comments") => return comments::main(&argv.skip(1).collect::<Vec<_>>()),
        _ => {}
    }
    let bare = argv.peek().is_none();
    let args = match parse_args(argv) {
        Ok(args) => args,
        // One line for a mistake in the arguments; the whole usage when
        // there are none.
        Err(e) if bare => {
            eprintln!("waymark-cli: {e}\n{USAGE}");
            return ExitCode::from(2);
        }
        Err(e) => {
            eprintln!("waymark-cli: {e} (see waymark-cli --help)");
            return ExitCode::from(2);
        }
    };
    let fail = |e: &dyn std::fmt::Display| {
        eprintln!("waymark-cli: cannot read {}: {e}", args.file);
        ExitCode::FAILURE
    };
    let bytes = match std::fs::read(&args.file) {
        Ok(bytes) => bytes,
        Err(e) => return fail(&e),
    };
    let options = ImportOptions {
        roles: args.roles.clone(),
        sheet: args.sheet.clone(),
        ..ImportOptions::default()
    };
    let analysis = matches!(args.command.as_str(), "trend" | "compare");
    let again = if analysis { bytes.clone() } else { Vec::new() };
    let importer = match Importer::new(bytes, options.clone()) {
        Ok(importer) => importer,
        Err(e) => return fail(&e),
    };
    let stdout = io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    let written = if analysis {
        let data = importer.finish();
        match analyse(&args, again, options, &data) {
            Ok(json) => writeln!(out, "{json}"),
            Err(Usage(e)) => {
                eprintln!("waymark-cli: {e}");
                return ExitCode::from(2);
            }
        }
    } else if args.command == "summarize" {
        summarize(&importer.finish(), &mut out)
    } else if args.to == "csv" {
        convert_csv(importer, &mut out)
    } else {
        convert_json(importer, &mut out)
    };
    match written.and_then(|()| out.flush()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("waymark-cli: cannot write output: {e}");
            ExitCode::FAILURE
        }
    }
}
