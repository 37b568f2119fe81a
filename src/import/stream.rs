//! Push-style reading of delimited text: the caller hands over the file's
//! bytes chunk by chunk as it reads them, and records come out as soon as
//! they are complete. A record cut between two chunks simply waits for the
//! next one, so the file never has to be in memory whole.
//!
//! The `csv` crate's reader pulls from `io::Read` and cannot stop halfway
//! through a record to wait for input; csv-core, which it is built on, can.

use csv_core::{ReadRecordResult, Reader, ReaderBuilder, Terminator};
use encoding_rs::Decoder;

use super::decode::Encoding;

/// One record's fields, in one string so a record costs two allocations that
/// are reused from record to record, not one per field.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Record {
    text: String,
    /// Field `i` is `text[ends[i-1]..ends[i]]`.
    ends: Vec<usize>,
}

impl Record {
    pub fn len(&self) -> usize {
        self.ends.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    pub fn get(&self, i: usize) -> Option<&str> {
        let end = *self.ends.get(i)?;
        let start = if i == 0 { 0 } else { self.ends[i - 1] };
        self.text.get(start..end)
    }

    pub fn iter(&self) -> impl Iterator<Item = &str> + '_ {
        (0..self.len()).filter_map(|i| self.get(i))
    }

    pub fn clear(&mut self) {
        self.text.clear();
        self.ends.clear();
    }

    pub fn push_field(&mut self, field: &str) {
        self.text.push_str(field);
        self.ends.push(self.text.len());
    }

    /// Every byte of the record, fields run together.
    fn bytes(&self) -> &[u8] {
        self.text.as_bytes()
    }
}

impl<S: AsRef<str>> FromIterator<S> for Record {
    fn from_iter<I: IntoIterator<Item = S>>(cells: I) -> Self {
        let mut record = Record::default();
        for cell in cells {
            record.push_field(cell.as_ref());
        }
        record
    }
}

/// What [`CsvStream::read`] found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Next {
    /// A record, now in [`CsvStream::record`], starting at this 1-based line.
    Record(u64),
    /// A record whose bytes are not text; it is skipped.
    Unreadable {
        line: u64,
        message: String,
    },
    /// Everything pushed so far is parsed; push the next chunk.
    NeedInput,
    End,
}

/// Decoded text waiting to be parsed, and the decoder that makes it.
struct Feed {
    /// UTF-8 goes through a decoder too: it validates, and it carries a
    /// character cut between two chunks over to the next one.
    decoder: Decoder,
    /// `text[at..filled]` is decoded and not parsed yet. The buffer only
    /// grows, so it is not cleared for every chunk.
    text: Vec<u8>,
    at: usize,
    filled: usize,
    pushed: usize,
    total: usize,
    last: bool,
}

impl Feed {
    fn push(&mut self, chunk: &[u8]) {
        self.text.copy_within(self.at..self.filled, 0);
        self.filled -= self.at;
        self.at = 0;
        self.pushed += chunk.len();
        // An empty chunk means the file ended early (it shrank on disk).
        self.last = self.pushed >= self.total || chunk.is_empty();
        let room = self
            .decoder
            .max_utf8_buffer_length(chunk.len())
            .unwrap_or(chunk.len().saturating_mul(3).saturating_add(16));
        if self.text.len() < self.filled + room {
            self.text.resize(self.filled + room, 0);
        }
        // With room for the worst case, one call decodes the whole chunk.
        let (_, read, written, _) =
            self.decoder
                .decode_to_utf8(chunk, &mut self.text[self.filled..], self.last);
        debug_assert_eq!(read, chunk.len());
        self.filled += written;
    }

    fn pending(&self) -> &[u8] {
        &self.text[self.at..self.filled]
    }
}

/// Records end at `\n` only: with csv's default CRLF terminator a record
/// ending in `\r` is reported a line early. In a CRLF file each record's last
/// field then carries the `\r`, which is stripped.
pub struct CsvStream {
    feed: Feed,
    core: Reader,
    delimiter: u8,
    crlf: bool,
    /// The record being read; it may span chunks.
    out: Vec<u8>,
    ends: Vec<usize>,
    out_len: usize,
    ends_len: usize,
    /// Line count when reading the current record began.
    start: Option<u64>,
    record: Record,
    /// Decoded bytes parsed so far.
    parsed: usize,
    /// Drops the next record: Excel's `sep=;` line.
    skip: bool,
    ended: bool,
}

impl CsvStream {
    pub fn new(encoding: Encoding, total: usize, delimiter: u8, crlf: bool) -> Self {
        CsvStream {
            feed: Feed {
                decoder: encoding.decoder(),
                text: Vec::new(),
                at: 0,
                filled: 0,
                pushed: 0,
                total,
                last: total == 0,
            },
            core: ReaderBuilder::new()
                .delimiter(delimiter)
                .terminator(Terminator::Any(b'\n'))
                .build(),
            delimiter,
            crlf,
            out: vec![0; 1024],
            ends: vec![0; 64],
            out_len: 0,
            ends_len: 0,
            start: None,
            record: Record::default(),
            parsed: 0,
            skip: false,
            ended: false,
        }
    }

    /// Hands over the next bytes of the file. Call only after
    /// [`Next::NeedInput`]; an empty chunk ends the input.
    pub fn push(&mut self, chunk: &[u8]) {
        self.feed.push(chunk);
    }

    pub fn delimiter(&self) -> u8 {
        self.delimiter
    }

    /// Leaves out the next record, a line that only describes the file.
    pub fn skip_first(&mut self) {
        self.skip = true;
    }

    /// Whether everything received is parsed and more is to come.
    pub fn wants_input(&self) -> bool {
        !self.ended && !self.feed.last && self.feed.pending().is_empty()
    }

    /// Source bytes received so far.
    pub fn pushed(&self) -> usize {
        self.feed.pushed
    }

    pub fn total(&self) -> usize {
        self.feed.total
    }

    /// Decoded bytes the parser has consumed.
    pub fn parsed(&self) -> usize {
        self.parsed
    }

    /// The record that the last [`Next::Record`] announced.
    pub fn record(&self) -> &Record {
        &self.record
    }

    pub fn take_record(&mut self) -> Record {
        std::mem::take(&mut self.record)
    }

    /// Parses on to the next record that is not blank.
    pub fn read(&mut self) -> Next {
        loop {
            if self.ended {
                return Next::End;
            }
            let start = *self.start.get_or_insert(self.core.line());
            let input = self.feed.pending();
            let flushing = input.is_empty();
            if flushing && !self.feed.last {
                return Next::NeedInput;
            }
            let (result, nin, nout, nend) = self.core.read_record(
                input,
                &mut self.out[self.out_len..],
                &mut self.ends[self.ends_len..],
            );
            self.feed.at += nin;
            self.parsed += nin;
            self.out_len += nout;
            self.ends_len += nend;
            match result {
                ReadRecordResult::InputEmpty => {}
                ReadRecordResult::OutputFull => {
                    let grown = self.out.len() * 2;
                    self.out.resize(grown, 0);
                }
                ReadRecordResult::OutputEndsFull => {
                    let grown = self.ends.len() * 2;
                    self.ends.resize(grown, 0);
                }
                ReadRecordResult::End => self.ended = true,
                ReadRecordResult::Record => {
                    self.start = None;
                    match self.complete(start, flushing) {
                        Some(Next::Record(_)) if self.skip => self.skip = false,
                        Some(found) => return found,
                        None => {}
                    }
                }
            }
        }
    }

    /// Turns the bytes just parsed into [`Self::record`]; `None` for a
    /// blank line. `flushing`: the file ended without a final newline.
    fn complete(&mut self, start: u64, flushing: bool) -> Option<Next> {
        let (out_len, ends_len) = (self.out_len, self.ends_len);
        self.out_len = 0;
        self.ends_len = 0;
        let mut bytes = std::mem::take(&mut self.record.text).into_bytes();
        bytes.clear();
        bytes.extend_from_slice(&self.out[..out_len]);
        let mut ends = std::mem::take(&mut self.record.ends);
        ends.clear();
        ends.extend_from_slice(&self.ends[..ends_len]);
        if self.crlf {
            if let (Some(&b'\r'), Some(last)) = (bytes.last(), ends.last_mut()) {
                if *last == bytes.len() {
                    bytes.pop();
                    *last -= 1;
                }
            }
        }
        // Decoded text is valid UTF-8 and fields are split at ASCII bytes,
        // so this never fails; it is checked rather than assumed.
        let text = match String::from_utf8(bytes) {
            Ok(text) => text,
            Err(e) => {
                self.record.text = String::new();
                return Some(Next::Unreadable {
                    line: start,
                    message: format!("unreadable record: {e}; row skipped"),
                });
            }
        };
        self.record = Record { text, ends };
        if self.record.len() == 1 && self.record.text.is_empty() {
            return None;
        }
        // The line count at the start includes blank lines skipped before
        // the record; counting back from its end corrects that (a record
        // ends just after its terminating newline, unless the file ends
        // first). Only a record that spans lines needs its own newlines
        // counted.
        let end = self.core.line() - u64::from(!flushing);
        let line = if end <= start {
            start
        } else {
            let inner = self.record.bytes().iter().filter(|&&b| b == b'\n').count() as u64;
            start.max(end.saturating_sub(inner))
        };
        Some(Next::Record(line))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn records(text: &[u8], encoding: Encoding, chunk: usize) -> Vec<(u64, Vec<String>)> {
        let mut stream = CsvStream::new(encoding, text.len(), b',', false);
        let mut chunks = text.chunks(chunk.max(1));
        let mut out = Vec::new();
        loop {
            match stream.read() {
                Next::Record(line) => {
                    out.push((line, stream.record().iter().map(str::to_owned).collect()))
                }
                Next::Unreadable { line, message } => panic!("line {line}: {message}"),
                Next::NeedInput => stream.push(chunks.next().unwrap_or_default()),
                Next::End => return out,
            }
        }
    }

    #[test]
    fn records_spanning_chunks_and_lines() {
        let text = "a,b\n\n\"x\ny\",\"q\"\"\"\n\nlast,é";
        let expected = vec![
            (1, vec!["a".to_owned(), "b".to_owned()]),
            (3, vec!["x\ny".to_owned(), "q\"".to_owned()]),
            (6, vec!["last".to_owned(), "é".to_owned()]),
        ];
        for chunk in 1..=text.len() {
            assert_eq!(
                records(text.as_bytes(), Encoding::Utf8, chunk),
                expected,
                "chunks of {chunk}"
            );
        }
    }

    #[test]
    fn characters_cut_between_chunks_are_decoded_whole() {
        let le: Vec<u8> = [0xFF, 0xFE]
            .into_iter()
            .chain("é,€\n".encode_utf16().flat_map(u16::to_le_bytes))
            .collect();
        for chunk in 1..=le.len() {
            assert_eq!(
                records(&le, Encoding::Utf16Le, chunk),
                vec![(1, vec!["é".to_owned(), "€".to_owned()])]
            );
        }
    }
}
