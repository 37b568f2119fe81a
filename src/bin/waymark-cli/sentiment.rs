//! `waymark-cli sentiment [FILE|-]`: VADER scores of one comment per line,
//! one JSON object per input line, in order, for pipelines that want the
//! same numbers the app shows.
//!
//! Lines are split on `\n`; a `\r` before it belongs to the line ending, not
//! the comment, and a UTF-8 byte order mark before the first line is not
//! part of it either. Empty and blank lines print what the reference prints
//! for them (every score 0, neutral). Input that is not UTF-8 stops with
//! exit code 2 and one line naming the file, the line and the byte.

use std::fs::File;
use std::io::{self, BufRead, BufReader, BufWriter, Write};
use std::process::ExitCode;

use waymark::sentiment::{Scorer, Scores};

/// `{"compound": f, "pos": f, "neu": f, "neg": f, "label": "…"}`, numbers as
/// Python's `json.dumps` writes them (shortest round-trip form, `0.0`).
pub fn write_json(out: &mut impl Write, s: &Scores) -> io::Result<()> {
    let n = |v: f64| serde_json::to_string(&v).expect("scores are finite");
    writeln!(
        out,
        "{{\"compound\": {}, \"pos\": {}, \"neu\": {}, \"neg\": {}, \"label\": \"{}\"}}",
        n(s.compound),
        n(s.pos),
        n(s.neu),
        n(s.neg),
        s.label().as_str()
    )
}

fn fail(message: String) -> ExitCode {
    eprintln!("waymark-cli: {message}");
    ExitCode::from(2)
}

pub fn main(args: &[String]) -> ExitCode {
    let (name, input): (&str, Box<dyn BufRead>) = match args {
        [] => ("-", Box::new(io::stdin().lock())),
        [file] if file == "-" => ("-", Box::new(io::stdin().lock())),
        [file] if !file.starts_with("--") => match File::open(file) {
            Ok(f) => (file, Box::new(BufReader::with_capacity(1 << 16, f))),
            Err(e) => return fail(format!("{file}: {e}")),
        },
        _ => return fail("usage: waymark-cli sentiment [FILE|-]".into()),
    };
    let scorer = Scorer::new();
    let stdout = io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    match score_lines(input, &scorer, &mut out).and_then(|r| out.flush().map(|()| r)) {
        Ok(Ok(())) => ExitCode::SUCCESS,
        Ok(Err((line, byte))) => fail(format!(
            "{name}: line {line}: not UTF-8 (byte {byte} of the line); sentiment reads UTF-8 text"
        )),
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(e) => fail(format!("{name}: {e}")),
    }
}

/// Scores every line; the inner error is the 1-based line and byte where
/// the input stops being UTF-8.
fn score_lines(
    mut input: impl BufRead,
    scorer: &Scorer,
    out: &mut impl Write,
) -> io::Result<Result<(), (u64, usize)>> {
    let mut line = Vec::new();
    let mut number = 0u64;
    loop {
        line.clear();
        if input.read_until(b'\n', &mut line)? == 0 {
            return Ok(Ok(()));
        }
        number += 1;
        let mut text = line.strip_suffix(b"\n").unwrap_or(&line);
        text = text.strip_suffix(b"\r").unwrap_or(text);
        if number == 1 {
            text = text.strip_prefix("\u{feff}".as_bytes()).unwrap_or(text);
        }
        let text = match std::str::from_utf8(text) {
            Ok(text) => text,
            Err(e) => return Ok(Err((number, e.valid_up_to() + 1))),
        };
        write_json(out, &scorer.score(text))?;
    }
}
