//! `waymark-cli map`: journey maps in and out of files with the readers and
//! writers the app uses, so a map converted here is the map the app shows.
//!
//! Output is a contract for pipelines: a map file's JSON keys, and exit
//! code 2 with one line on stderr (file, line or field path, reason) for
//! anything wrong with the arguments or the input.

use std::fmt::Display;
use std::io::{self, BufWriter, Read, Write};
use std::process::ExitCode;

use waymark::charts::map_image;
use waymark::formats::{self, csv, map_file, mermaid};
use waymark::model::{Id, JourneyMap};
use waymark::templates;

/// The templates by the short names the CLI takes, with their keys in the
/// app.
const TEMPLATES: [(&str, &str); 4] = [
    ("retail", "retail"),
    ("saas", "saas_onboarding"),
    ("bank", "bank_account"),
    ("patient", "patient_journey"),
];

/// 2026-01-01T00:00:00Z: templates printed here carry this fixed time (and
/// a fixed id) so the output is the same on every run.
const TEMPLATE_MS: f64 = 1_767_225_600_000.0;

enum Command {
    /// Short name and key of the template.
    Template(&'static str, &'static str),
    Convert {
        file: String,
        to: Target,
    },
}

#[derive(Clone, Copy)]
enum Target {
    Json,
    Svg,
    Mermaid,
    Csv,
}

fn parse(args: &[String]) -> Result<Command, String> {
    match args {
        [sub, name] if sub == "template" => TEMPLATES
            .iter()
            .find(|(short, key)| name == short || name == key)
            .map(|(short, key)| Command::Template(short, key))
            .ok_or_else(|| format!("no template {name:?}: retail, saas, bank or patient")),
        [sub, ..] if sub == "template" => Err("map template needs one name".into()),
        [sub, rest @ ..] if sub == "convert" => {
            let mut file = None;
            let mut to = None;
            let mut rest = rest.iter();
            while let Some(arg) = rest.next() {
                match arg.as_str() {
                    "--to" => {
                        to = Some(match rest.next().map(String::as_str) {
                            Some("json") => Target::Json,
                            Some("svg") => Target::Svg,
                            Some("mermaid") => Target::Mermaid,
                            Some("csv") => Target::Csv,
                            Some(other) => {
                                return Err(format!(
                                    "--to must be json, svg, mermaid or csv, not {other:?}"
                                ))
                            }
                            None => return Err("--to needs a value".into()),
                        })
                    }
                    flag if flag.starts_with("--") => return Err(format!("unknown option {flag}")),
                    path if file.is_none() => file = Some(path.to_owned()),
                    extra => return Err(format!("unexpected argument {extra:?}")),
                }
            }
            Ok(Command::Convert {
                file: file.ok_or("map convert needs a FILE")?,
                to: to.ok_or("map convert needs --to json|svg|mermaid|csv")?,
            })
        }
        [other, ..] => Err(format!(
            "unknown map command {other:?}: template or convert"
        )),
        [] => Err("map needs a command: template or convert".into()),
    }
}

/// One line however odd the text: control characters (a line break in a
/// file name or in an id quoted from the input) are escaped.
fn one_line(text: &str) -> String {
    let mut line = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_control() {
            line.extend(c.escape_default());
        } else {
            line.push(c);
        }
    }
    line
}

fn invalid(what: &str, why: &dyn Display) -> ExitCode {
    eprintln!("waymark-cli: {}", one_line(&format!("{what}: {why}")));
    ExitCode::from(2)
}

/// At most one byte over the limit is read, so a huge file is refused
/// without being loaded.
fn read_input(file: &str) -> io::Result<Vec<u8>> {
    let limit = u64::try_from(map_file::MAX_BYTES + 1).unwrap_or(u64::MAX);
    let mut bytes = Vec::new();
    if file == "-" {
        io::stdin().lock().take(limit).read_to_end(&mut bytes)?;
    } else {
        std::fs::File::open(file)?
            .take(limit)
            .read_to_end(&mut bytes)?;
    }
    Ok(bytes)
}

/// The input as text, or where its first byte that is not UTF-8 is.
fn utf8(bytes: &[u8]) -> Result<&str, formats::FormatError> {
    std::str::from_utf8(bytes).map_err(|e| {
        let good = &bytes[..e.valid_up_to()];
        let line = good.iter().filter(|&&b| b == b'\n').count() + 1;
        let start = good.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
        let column = String::from_utf8_lossy(&good[start..]).chars().count() + 1;
        formats::FormatError {
            field: format!("line {line}, column {column}"),
            message: "not UTF-8 text".into(),
        }
    })
}

/// A stable id for a map read from mermaid text (which has none): FNV-1a
/// of the text, so converting the same file twice gives the same output
/// and different files different ids.
fn id_for(text: &str) -> Id {
    let hash = text.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    });
    Id::new(format!("mermaid-{hash:016x}"))
}

fn now_ms() -> f64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0.0, |d| d.as_millis() as f64)
}

fn render(map: &JourneyMap, to: Target) -> String {
    match to {
        Target::Json => map_file::to_json(map),
        // A file carries no feedback, so no measured values.
        Target::Svg => map_image::map_svg(map, None),
        Target::Mermaid => mermaid::to_mermaid(map),
        Target::Csv => csv::touchpoints_csv(map),
    }
}

pub fn main(args: &[String]) -> ExitCode {
    let command = match parse(args) {
        Ok(command) => command,
        Err(e) => {
            eprintln!("waymark-cli: {} (see waymark-cli --help)", one_line(&e));
            return ExitCode::from(2);
        }
    };
    let text = match command {
        Command::Template(short, key) => {
            let template = templates::template(key).expect("every listed key is a template");
            let map = (template.build)(Id::new(format!("template-{short}")), TEMPLATE_MS);
            map_file::to_json(&map)
        }
        Command::Convert { file, to } => {
            let name = if file == "-" { "stdin" } else { file.as_str() };
            let bytes = match read_input(&file) {
                Ok(bytes) => bytes,
                Err(e) => return invalid(name, &format_args!("cannot read: {e}")),
            };
            if let Err(e) = map_file::check_size(bytes.len()) {
                return invalid(name, &e);
            }
            let text = match utf8(&bytes) {
                Ok(text) => text,
                Err(e) => return invalid(name, &e),
            };
            match formats::read_any(text, id_for(text), now_ms()) {
                Ok(map) => render(&map, to),
                Err(e) => return invalid(name, &e),
            }
        }
    };
    let mut out = BufWriter::new(io::stdout().lock());
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("waymark-cli: cannot write output: {e}");
            ExitCode::FAILURE
        }
    }
}
