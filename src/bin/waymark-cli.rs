//! Command-line access to Waymark's feedback import, for analysts and
//! pipelines: the same core the browser uses, so numbers agree with the app.

use std::io::{self, BufWriter, Write};
use std::process::ExitCode;

use serde::Serialize;
use waymark::analytics::{self, Metrics};
use waymark::import::{Dataset, ImportOptions, Importer, Role, RowError, SourceInfo};

const USAGE: &str = "usage: waymark-cli summarize FILE [--role \"HEADER=ROLE\" ...] [--sheet NAME]
       waymark-cli convert FILE [--to json|csv] [--sheet NAME]";

struct Args {
    command: String,
    file: String,
    roles: Vec<(String, Role)>,
    to: String,
    sheet: Option<String>,
}

fn parse_args(mut args: impl Iterator<Item = String>) -> Result<Args, String> {
    let command = args.next().ok_or("missing command")?;
    if command != "summarize" && command != "convert" {
        return Err(format!("unknown command {command:?}"));
    }
    let mut parsed = Args {
        command,
        file: String::new(),
        roles: Vec::new(),
        to: "json".into(),
        sheet: None,
    };
    while let Some(arg) = args.next() {
        let mut value = |flag: &str| args.next().ok_or(format!("{flag} needs a value"));
        match arg.as_str() {
            "--role" if parsed.command == "summarize" => {
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
    let args = match parse_args(std::env::args().skip(1)) {
        Ok(args) => args,
        Err(e) => {
            eprintln!("waymark-cli: {e}\n{USAGE}");
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
    let importer = match Importer::new(bytes, options) {
        Ok(importer) => importer,
        Err(e) => return fail(&e),
    };
    let stdout = io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    let written = if args.command == "summarize" {
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
