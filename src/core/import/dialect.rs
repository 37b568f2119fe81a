//! Delimiter detection. Counting delimiters per line would be fooled by the
//! commas inside quoted comments (the very thing feedback files are full of),
//! so counts are taken per record, outside quotes.

/// Candidates in the order ties are broken: comma is the RFC default, tab is
/// what Qualtrics and Excel "Unicode text" write, semicolon is Excel's CSV in
/// locales with a decimal comma, pipe is rarer.
pub const CANDIDATES: [u8; 4] = [b',', b'\t', b';', b'|'];

/// How many records of the prefix are looked at.
const SAMPLE_RECORDS: usize = 60;

/// Picks the candidate whose per-record count is most consistent, preferring
/// more records agreeing and then more fields. A file with one column falls
/// back to comma.
pub fn detect_delimiter(prefix: &str) -> u8 {
    let counts = record_counts(prefix);
    let mut best = (b',', 0usize, 0usize);
    for (i, &delim) in CANDIDATES.iter().enumerate() {
        let column: Vec<usize> = counts.iter().map(|c| c[i]).collect();
        let Some((mode, agreeing)) = mode(&column) else {
            continue;
        };
        if mode == 0 {
            continue;
        }
        if (agreeing, mode) > (best.1, best.2) {
            best = (delim, agreeing, mode);
        }
    }
    best.0
}

/// Delimiter counts of each record, in [`CANDIDATES`] order. The last record
/// is dropped when the prefix may have cut it short.
fn record_counts(prefix: &str) -> Vec<[usize; 4]> {
    let mut records = Vec::new();
    let mut current = [0usize; 4];
    let mut in_quotes = false;
    let mut bytes = prefix.bytes().peekable();
    let mut started = false;
    while let Some(b) = bytes.next() {
        if records.len() >= SAMPLE_RECORDS {
            return records;
        }
        started = true;
        match b {
            b'"' => {
                if in_quotes && bytes.peek() == Some(&b'"') {
                    bytes.next();
                } else {
                    in_quotes = !in_quotes;
                }
            }
            b'\n' if !in_quotes => {
                records.push(current);
                current = [0; 4];
                started = false;
            }
            _ if !in_quotes => {
                if let Some(i) = CANDIDATES.iter().position(|&c| c == b) {
                    current[i] += 1;
                }
            }
            _ => {}
        }
    }
    if started && !in_quotes && records.is_empty() {
        records.push(current);
    }
    records
}

/// The most frequent value and how many times it occurs.
fn mode(values: &[usize]) -> Option<(usize, usize)> {
    let mut best: Option<(usize, usize)> = None;
    for &v in values {
        let count = values.iter().filter(|&&w| w == v).count();
        if best.is_none_or(|(bv, bc)| count > bc || (count == bc && v > bv)) {
            best = Some((v, count));
        }
    }
    best
}

/// Excel honours a first line `sep=;` and some exporters write one for it.
pub fn excel_sep_hint(prefix: &str) -> Option<u8> {
    let line = prefix.lines().next()?.trim_end_matches('\r');
    match line.strip_prefix("sep=")?.as_bytes() {
        &[d] if CANDIDATES.contains(&d) => Some(d),
        _ => None,
    }
}

pub fn delimiter_label(delimiter: u8) -> &'static str {
    match delimiter {
        b'\t' => "tab",
        b';' => ";",
        b'|' => "|",
        _ => ",",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commas_inside_quotes_do_not_win() {
        let text = "a;b;c\n\"x, y, z\";2;3\n\"p,q\";5;6\n";
        assert_eq!(detect_delimiter(text), b';');
    }

    #[test]
    fn quoted_newlines_do_not_split_records() {
        let text = "id\tcomment\n1\t\"line one,\nline, two\"\n2\tok\n";
        assert_eq!(detect_delimiter(text), b'\t');
    }

    #[test]
    fn excel_separator_line() {
        assert_eq!(excel_sep_hint("sep=;\r\na;b\n"), Some(b';'));
        assert_eq!(excel_sep_hint("sep,a\n"), None);
    }

    #[test]
    fn pipe_and_single_column() {
        assert_eq!(detect_delimiter("a|b\n1|2\n"), b'|');
        assert_eq!(detect_delimiter("comment\nhello\n"), b',');
    }

    #[test]
    fn escaped_quotes_keep_quote_state() {
        let text = "a,b\n\"say \"\"hi\"\"; ok\",2\n\"x;y\",3\n";
        assert_eq!(detect_delimiter(text), b',');
    }
}
