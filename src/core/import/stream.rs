//! Push-style reading of delimited text: the caller hands over the file's
//! bytes chunk by chunk as it reads them, and records come out as soon as
//! they are complete. A record cut between two chunks simply waits for the
//! next one, so the file never has to be in memory whole.
//!
//! Records are cut straight out of the decoded text: a field is a range of
//! it, and only a field whose quotes must be undone (`""`, or text after a
//! closing quote) is copied. The search for the next delimiter, newline or
//! quote goes many bytes at a time rather than a byte at a time through a
//! state machine as csv-core does, which made parsing the largest cost of
//! an import: the delimiters and line breaks of 64 bytes are marked at
//! once with wasm SIMD (`Marks`), and a quoted field's end is searched for
//! eight bytes at a time (`find2`). The reading is csv-core's (RFC 4180
//! quoting, a quote opens a quoted field only at its start, text after a
//! closing quote belongs to the field, an unterminated quote runs to the
//! end of the file), which a property test checks against the `csv` crate.

use encoding_rs::{Decoder, DecoderResult};

use super::decode::Encoding;

/// Where a field's text lies: in the decoded input, or in the scratch text
/// of fields whose quotes were undone.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Span {
    start: usize,
    end: usize,
    scratch: bool,
}

/// One record's fields, borrowed from wherever they were read.
#[derive(Clone, Copy, Debug)]
pub struct Fields<'a> {
    text: &'a str,
    scratch: &'a str,
    spans: &'a [Span],
}

impl<'a> Fields<'a> {
    pub fn len(&self) -> usize {
        self.spans.len()
    }

    pub fn is_empty(&self) -> bool {
        self.spans.is_empty()
    }

    pub fn get(&self, i: usize) -> Option<&'a str> {
        (i < self.len()).then(|| self.cell(i))
    }

    /// Field `i`, which must exist. Called once per cell of the file, so
    /// always inlined.
    #[inline(always)]
    pub fn cell(&self, i: usize) -> &'a str {
        let span = self.spans[i];
        let from = if span.scratch {
            self.scratch
        } else {
            self.text
        };
        &from[span.start..span.end]
    }

    pub fn iter(&self) -> impl Iterator<Item = &'a str> + 'a {
        let fields = *self;
        (0..fields.len()).filter_map(move |i| fields.get(i))
    }

    pub fn to_record(&self) -> Record {
        self.iter().collect()
    }
}

/// One record's fields, owned: in one string, so a record costs two
/// allocations, not one per field.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Record {
    text: String,
    spans: Vec<Span>,
}

impl Record {
    pub fn fields(&self) -> Fields<'_> {
        Fields {
            text: &self.text,
            scratch: "",
            spans: &self.spans,
        }
    }

    pub fn len(&self) -> usize {
        self.spans.len()
    }

    pub fn is_empty(&self) -> bool {
        self.spans.is_empty()
    }

    pub fn get(&self, i: usize) -> Option<&str> {
        self.fields().get(i)
    }

    pub fn iter(&self) -> impl Iterator<Item = &str> + '_ {
        self.fields().iter()
    }

    pub fn clear(&mut self) {
        self.text.clear();
        self.spans.clear();
    }

    pub fn push_field(&mut self, field: &str) {
        let start = self.text.len();
        self.text.push_str(field);
        self.spans.push(Span {
            start,
            end: self.text.len(),
            scratch: false,
        });
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
    /// Everything pushed so far is parsed; push the next chunk.
    NeedInput,
    End,
}

/// Decoded text waiting to be parsed, and the decoder that makes it.
struct Feed {
    /// UTF-8 goes through a decoder too: it validates, and it carries a
    /// character cut between two chunks over to the next one.
    decoder: Decoder,
    /// `text[at..]` is decoded and not parsed yet.
    text: String,
    at: usize,
    pushed: usize,
    total: usize,
    last: bool,
    /// Some bytes were not valid in the encoding; they read as U+FFFD.
    malformed: bool,
}

impl Feed {
    fn push(&mut self, chunk: &[u8]) {
        // `at` is where a record starts: after a newline, a character
        // boundary.
        self.text.replace_range(..self.at, "");
        self.at = 0;
        self.pushed += chunk.len();
        // An empty chunk means the file ended early (it shrank on disk).
        self.last = self.pushed >= self.total || chunk.is_empty();
        let mut read = 0;
        loop {
            let room = self
                .decoder
                .max_utf8_buffer_length_without_replacement(chunk.len() - read)
                .unwrap_or(chunk.len().saturating_mul(3));
            self.text.reserve(room);
            let (result, n) = self.decoder.decode_to_string_without_replacement(
                &chunk[read..],
                &mut self.text,
                self.last,
            );
            read += n;
            match result {
                DecoderResult::InputEmpty => return,
                DecoderResult::OutputFull => {}
                DecoderResult::Malformed(..) => {
                    self.malformed = true;
                    self.text.push(char::REPLACEMENT_CHARACTER);
                }
            }
        }
    }
}

/// How [`scan`] ended.
enum Scan {
    /// A record of `fields` fields ends just before `end`, after
    /// `newlines` line breaks inside quoted fields (and one more when it
    /// ended at a newline).
    Record {
        fields: usize,
        end: usize,
        newlines: u64,
        at_newline: bool,
    },
    /// The record may go on past the text received.
    NeedMore,
}

/// The first `a` or `b` in `hay`, eight bytes at a time: the parser's inner
/// loop. Most fields are a few bytes long, and `memchr::memchr2`'s setup
/// per call made the native import slower (268-270 MB/s against 291-297 on
/// the benchmark file); a 16-byte wasm SIMD version was no faster than this
/// one in wasm, since wasm has 64-bit integers. A byte equal to `a`
/// becomes zero after the xor, and `(y - 0x01…) & !y & 0x80…` marks zero
/// bytes; marks can be wrong only above a real zero byte, so the lowest one
/// is always right.
#[inline(always)]
fn find2(hay: &[u8], a: u8, b: u8) -> Option<usize> {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let (sa, sb) = (ONES * u64::from(a), ONES * u64::from(b));
    let mut words = hay.chunks_exact(8);
    let mut at = 0;
    for word in &mut words {
        let x = u64::from_le_bytes(word.try_into().expect("chunks of 8"));
        let (ya, yb) = (x ^ sa, x ^ sb);
        let found = (ya.wrapping_sub(ONES) & !ya | yb.wrapping_sub(ONES) & !yb) & HIGH;
        if found != 0 {
            return Some(at + (found.trailing_zeros() / 8) as usize);
        }
        at += 8;
    }
    let rest = words.remainder();
    rest.iter().position(|&c| c == a || c == b).map(|k| at + k)
}

/// Where `a` or `b` are in `hay`'s first 64 bytes, a bit each (bit `i` for
/// `hay[i]`); bytes past its end count as neither. Public so that a browser
/// test can check the wasm SIMD version, which native tests never run.
#[inline(always)]
pub fn marks64(hay: &[u8], a: u8, b: u8) -> u64 {
    let Some(window) = hay.first_chunk::<64>() else {
        return hay
            .iter()
            .enumerate()
            .filter(|&(_, &c)| c == a || c == b)
            .fold(0, |m, (i, _)| m | 1 << i);
    };
    simd::marks64(window, a, b)
}

#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
mod simd {
    use core::arch::wasm32::*;

    #[inline(always)]
    pub fn marks64(window: &[u8; 64], a: u8, b: u8) -> u64 {
        let (sa, sb) = (u8x16_splat(a), u8x16_splat(b));
        let mut marks = 0;
        for (k, part) in window.chunks_exact(16).enumerate() {
            let v = u8x16(
                part[0], part[1], part[2], part[3], part[4], part[5], part[6], part[7], part[8],
                part[9], part[10], part[11], part[12], part[13], part[14], part[15],
            );
            let hit = v128_or(u8x16_eq(v, sa), u8x16_eq(v, sb));
            marks |= u64::from(u8x16_bitmask(hit)) << (16 * k);
        }
        marks
    }
}

#[cfg(not(all(target_arch = "wasm32", target_feature = "simd128")))]
mod simd {
    /// Eight bytes at a time: a byte equal to `a` is zero after the xor,
    /// and `!(((y & 0x7F…) + 0x7F…) | y | 0x7F…)` marks exactly the zero
    /// bytes; their high bits are gathered by a multiplication.
    #[inline(always)]
    pub fn marks64(window: &[u8; 64], a: u8, b: u8) -> u64 {
        const ONES: u64 = 0x0101_0101_0101_0101;
        const LOW7: u64 = 0x7F7F_7F7F_7F7F_7F7F;
        let zeros = |y: u64| !(((y & LOW7).wrapping_add(LOW7)) | y | LOW7);
        let (sa, sb) = (ONES * u64::from(a), ONES * u64::from(b));
        let mut marks = 0;
        for (k, word) in window.chunks_exact(8).enumerate() {
            let x = u64::from_le_bytes(word.try_into().expect("chunks of 8"));
            let high = zeros(x ^ sa) | zeros(x ^ sb);
            // Bit 7 of byte i lands on bit 56 + i.
            let gathered = ((high >> 7).wrapping_mul(0x0102_0408_1020_4080)) >> 56;
            marks |= gathered << (8 * k);
        }
        marks
    }
}

/// The delimiters and line breaks of 64 bytes of a record's text, found at
/// once and then read off a bit per field. Searching anew for each field,
/// even eight bytes at a time, cost more than the marks: in wasm a
/// 500 000-row import took 149-150 ms instead of 164, and natively the
/// benchmark went from about 350 to 410-426 MB/s.
struct Marks {
    at: usize,
    bits: u64,
}

impl Marks {
    fn new() -> Self {
        Marks {
            at: usize::MAX,
            bits: 0,
        }
    }

    /// The first `a` or `b` in `bytes` from `p` on.
    #[inline(always)]
    fn next(&mut self, bytes: &[u8], mut p: usize, a: u8, b: u8) -> Option<usize> {
        loop {
            if p >= self.at && p - self.at < 64 {
                let ahead = self.bits & (u64::MAX << (p - self.at));
                if ahead != 0 {
                    return Some(self.at + ahead.trailing_zeros() as usize);
                }
                p = self.at + 64;
            }
            if p >= bytes.len() {
                return None;
            }
            self.at = p;
            self.bits = marks64(&bytes[p..], a, b);
        }
    }
}

/// The spans of the record being cut, written over those of earlier
/// records: the vector only grows, and is never cleared or reallocated
/// once it fits the widest record.
struct Cuts<'s> {
    spans: &'s mut Vec<Span>,
    count: usize,
}

impl Cuts<'_> {
    #[inline(always)]
    fn add(&mut self, span: Span) {
        if self.count < self.spans.len() {
            self.spans[self.count] = span;
        } else {
            self.spans.push(span);
        }
        self.count += 1;
    }

    fn last_mut(&mut self) -> Option<&mut Span> {
        self.count.checked_sub(1).map(|i| &mut self.spans[i])
    }
}

/// Cuts the record starting at `text[p..]` into `spans`, copying into
/// `scratch` only the fields whose quotes must be undone. `last`: no more
/// text will come, so the end of `text` ends the record.
fn scan(
    text: &str,
    mut p: usize,
    last: bool,
    delimiter: u8,
    spans: &mut Vec<Span>,
    scratch: &mut String,
) -> Scan {
    let bytes = text.as_bytes();
    let n = bytes.len();
    let mut spans = Cuts { spans, count: 0 };
    let mut marks = Marks::new();
    scratch.clear();
    let mut newlines = 0;
    loop {
        // Whether the field's last byte was outside quotes.
        let open_end;
        if p < n && bytes[p] == b'"' {
            let open = p + 1;
            let mut from = open;
            let mut doubled = false;
            // Line breaks are met on the way to the closing quote, so a
            // field without any costs no second pass to count them.
            let close = loop {
                match find2(&bytes[from..], b'"', b'\n') {
                    None if last => break n,
                    None => return Scan::NeedMore,
                    Some(k) if bytes[from + k] == b'\n' => {
                        newlines += 1;
                        from += k + 1;
                    }
                    Some(k) => {
                        let at = from + k;
                        if at + 1 == n && !last {
                            return Scan::NeedMore;
                        }
                        if bytes.get(at + 1) == Some(&b'"') {
                            doubled = true;
                            from = at + 2;
                        } else {
                            break at;
                        }
                    }
                }
            };
            p = (close + 1).min(n);
            // A CRLF line end right after the closing quote.
            if p < n && bytes[p] == b'\r' {
                match bytes.get(p + 1) {
                    Some(b'\n') => p += 1,
                    None if last => p += 1,
                    None => return Scan::NeedMore,
                    Some(_) => {}
                }
            }
            // Text after the closing quote belongs to the field.
            let tail = if p < n && bytes[p] != delimiter && bytes[p] != b'\n' {
                match find2(&bytes[p..], delimiter, b'\n') {
                    Some(k) => p + k,
                    None if last => n,
                    None => return Scan::NeedMore,
                }
            } else {
                p
            };
            if doubled || tail > p {
                let start = scratch.len();
                // Quotes inside come in pairs; each pair reads as one.
                let mut rest = &text[open..close];
                while let Some(k) = find2(rest.as_bytes(), b'"', b'"') {
                    scratch.push_str(&rest[..=k]);
                    rest = rest.get(k + 2..).unwrap_or_default();
                }
                scratch.push_str(rest);
                scratch.push_str(&text[p..tail]);
                spans.add(Span {
                    start,
                    end: scratch.len(),
                    scratch: true,
                });
            } else {
                spans.add(Span {
                    start: open,
                    end: close,
                    scratch: false,
                });
            }
            open_end = tail > p;
            p = tail;
        } else {
            let end = match marks.next(bytes, p, delimiter, b'\n') {
                Some(end) => end,
                None if last => n,
                None => return Scan::NeedMore,
            };
            spans.add(Span {
                start: p,
                end,
                scratch: false,
            });
            open_end = true;
            p = end;
        }
        if p < n && bytes[p] == delimiter {
            p += 1;
            continue;
        }
        let at_newline = p < n;
        // A CRLF line end: the record's last field does not keep the CR.
        if let Some(span) = spans.last_mut().filter(|_| open_end) {
            let from = if span.scratch {
                scratch.as_bytes()
            } else {
                bytes
            };
            if span.end > span.start && from[span.end - 1] == b'\r' {
                span.end -= 1;
            }
        }
        return Scan::Record {
            fields: spans.count,
            end: p + usize::from(at_newline),
            newlines,
            at_newline,
        };
    }
}

/// Whether `text` starts with `count` records of `width` fields, each
/// ending at a line break: how a guessed record start is checked.
pub(super) fn starts_records(text: &str, delimiter: u8, width: usize, count: usize) -> bool {
    let (mut spans, mut scratch) = (Vec::new(), String::new());
    let mut p = 0;
    (0..count).all(
        |_| match scan(text, p, false, delimiter, &mut spans, &mut scratch) {
            Scan::Record {
                fields,
                end,
                at_newline: true,
                ..
            } if fields == width => {
                p = end;
                true
            }
            _ => false,
        },
    )
}

/// Reads records out of text pushed chunk by chunk. Records end at `\n`;
/// a `\r` before it (a CRLF line end) is dropped from the last field.
pub struct CsvStream {
    feed: Feed,
    delimiter: u8,
    /// The current record's fields are `spans[..fields]`.
    spans: Vec<Span>,
    fields: usize,
    /// Fields of the current record whose quotes were undone.
    scratch: String,
    /// Line at which the next record starts.
    line: u64,
    /// The text received holds no complete record.
    starved: bool,
    /// Decoded bytes parsed so far.
    parsed: usize,
    /// Drops the next record: Excel's `sep=;` line.
    skip: bool,
    ended: bool,
    stop: Stop,
}

/// Where a stream that imports only the start of a file stands against the
/// decoded offset it was told to stop at ([`CsvStream::stop_at`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stop {
    /// Reads to the end of the file.
    None,
    Pending(usize),
    /// Stopped between two records exactly at the offset.
    Reached,
    /// A record ran across the offset, so the offset was inside a record;
    /// the stream read on as if it had never been told to stop.
    Overran,
}

impl CsvStream {
    pub fn new(encoding: Encoding, total: usize, delimiter: u8) -> Self {
        CsvStream {
            feed: Feed {
                decoder: encoding.decoder(),
                text: String::new(),
                at: 0,
                pushed: 0,
                total,
                last: total == 0,
                malformed: false,
            },
            delimiter,
            spans: Vec::new(),
            fields: 0,
            scratch: String::new(),
            line: 1,
            starved: true,
            parsed: 0,
            skip: false,
            ended: false,
            stop: Stop::None,
        }
    }

    /// A stream that starts reading UTF-8 in the middle of a file, just
    /// after a line break: a byte-order mark there would be text.
    pub fn resumed(total: usize, delimiter: u8) -> Self {
        let mut stream = CsvStream::new(Encoding::Utf8, total, delimiter);
        stream.feed.decoder = encoding_rs::UTF_8.new_decoder_without_bom_handling();
        stream
    }

    /// Ends the stream at decoded offset `at` if a record ends there, so
    /// the rest of the file can be read by someone else from `at` on.
    pub fn stop_at(&mut self, at: usize) {
        self.stop = if self.parsed > at {
            Stop::Overran
        } else {
            Stop::Pending(at)
        };
    }

    pub fn stop(&self) -> Stop {
        self.stop
    }

    /// Forgets the stop and reads on to the end of the file.
    pub fn read_on(&mut self) {
        if self.stop == Stop::Reached {
            self.ended = false;
        }
        self.stop = Stop::None;
    }

    /// The line the next record starts on.
    pub fn line(&self) -> u64 {
        self.line
    }

    /// Hands over the next bytes of the file. Call only after
    /// [`Next::NeedInput`]; an empty chunk ends the input.
    pub fn push(&mut self, chunk: &[u8]) {
        self.feed.push(chunk);
        self.starved = false;
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
        !self.ended && !self.feed.last && self.starved
    }

    /// Whether some bytes were not valid in the encoding the stream was
    /// made for (they were read as U+FFFD).
    pub fn malformed(&self) -> bool {
        self.feed.malformed
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
    pub fn record(&self) -> Fields<'_> {
        Fields {
            text: &self.feed.text,
            scratch: &self.scratch,
            spans: &self.spans[..self.fields],
        }
    }

    /// Parses on to the next record that is not blank.
    pub fn read(&mut self) -> Next {
        loop {
            if self.ended {
                return Next::End;
            }
            if self.stop == Stop::Pending(self.parsed) {
                self.stop = Stop::Reached;
                self.ended = true;
                return Next::End;
            }
            if self.starved {
                return Next::NeedInput;
            }
            let (text, at, last) = (&self.feed.text, self.feed.at, self.feed.last);
            if at == text.len() {
                if last {
                    self.ended = true;
                    return Next::End;
                }
                self.starved = true;
                return Next::NeedInput;
            }
            let scanned = scan(
                text,
                at,
                last,
                self.delimiter,
                &mut self.spans,
                &mut self.scratch,
            );
            let Scan::Record {
                fields,
                end,
                newlines,
                at_newline,
            } = scanned
            else {
                self.starved = true;
                return Next::NeedInput;
            };
            self.fields = fields;
            self.parsed += end - at;
            if matches!(self.stop, Stop::Pending(stop) if self.parsed > stop) {
                self.stop = Stop::Overran;
            }
            self.feed.at = end;
            let line = self.line;
            self.line += newlines + u64::from(at_newline);
            let blank = fields == 1 && self.spans[0].start == self.spans[0].end;
            if blank {
                continue;
            }
            if self.skip {
                self.skip = false;
                continue;
            }
            return Next::Record(line);
        }
    }
}

// Native only: proptest has no wasm32 backend here.
#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// Any mix of quotes, delimiters, line breaks and text, however badly
        /// quoted, reads as csv-core reads it, whatever the chunk size.
        #[test]
        fn parsing_agrees_with_the_csv_crate(text in "[a,\"\né ]{0,80}", chunk in 1usize..40) {
            prop_assert_eq!(records(text.as_bytes(), Encoding::Utf8, chunk), reference(&text));
        }

        #[test]
        fn find2_finds_the_first_of_either_byte(
            hay in proptest::collection::vec(prop::sample::select(b"ab,\n\"\0\x80\xFF".to_vec()), 0..40),
            a in prop::sample::select(b",\"\n\0\x80".to_vec()),
            b in prop::sample::select(b",\"\n\xFF".to_vec()),
        ) {
            prop_assert_eq!(find2(&hay, a, b), hay.iter().position(|&c| c == a || c == b));
        }

        #[test]
        fn marks64_marks_either_byte_in_the_first_64(
            hay in proptest::collection::vec(prop::sample::select(b"ab,\n\"\0\x80\xFF".to_vec()), 0..150),
            a in prop::sample::select(b",\"\n\0\x80".to_vec()),
            b in prop::sample::select(b",\"\n\xFF".to_vec()),
        ) {
            let expected = hay.iter().take(64).enumerate()
                .filter(|&(_, &c)| c == a || c == b)
                .fold(0u64, |m, (i, _)| m | 1 << i);
            prop_assert_eq!(marks64(&hay, a, b), expected);
        }
    }

    /// Records as the `csv` crate reads them (the reference: it is built on
    /// csv-core, whose reading Waymark's parser follows), with the line each
    /// starts on, leaving out records of one empty field, which Waymark skips
    /// as blank. csv's own record position counts from before the blank lines
    /// it skips, so the start is found from where the previous record ended.
    fn reference(text: &str) -> Vec<(u64, Vec<String>)> {
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .terminator(csv::Terminator::Any(b'\n'))
            .from_reader(text.as_bytes());
        let mut record = csv::StringRecord::new();
        let mut out = Vec::new();
        let mut end = 0;
        while reader.read_record(&mut record).unwrap() {
            let bytes = text.as_bytes();
            let start = end + bytes[end..].iter().take_while(|&&b| b == b'\n').count();
            end = reader.position().byte() as usize;
            if record.len() == 1 && record[0].is_empty() {
                continue;
            }
            let line = 1 + bytes[..start].iter().filter(|&&b| b == b'\n').count() as u64;
            out.push((line, record.iter().map(str::to_owned).collect()));
        }
        out
    }

    fn records(text: &[u8], encoding: Encoding, chunk: usize) -> Vec<(u64, Vec<String>)> {
        let mut stream = CsvStream::new(encoding, text.len(), b',');
        let mut chunks = text.chunks(chunk.max(1));
        let mut out = Vec::new();
        loop {
            match stream.read() {
                Next::Record(line) => {
                    out.push((line, stream.record().iter().map(str::to_owned).collect()))
                }
                Next::NeedInput => stream.push(chunks.next().unwrap_or_default()),
                Next::End => return out,
            }
        }
    }

    fn fields(text: &str) -> Vec<Vec<String>> {
        records(text.as_bytes(), Encoding::Utf8, text.len())
            .into_iter()
            .map(|(_, r)| r)
            .collect()
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

    #[test]
    fn crlf_line_ends_are_not_part_of_the_last_field() {
        assert_eq!(
            fields("a,\"b\"\r\n\"c\"\"\",d\r\n\"e\r\nf\",\r\n"),
            vec![vec!["a", "b"], vec!["c\"", "d"], vec!["e\r\nf", ""]]
        );
        assert_eq!(fields("a,\"b\"\r"), vec![vec!["a", "b"]]);
        assert_eq!(
            fields("\"a\r\"\r\n\"b\"c\r\n"),
            vec![vec!["a\r"], vec!["bc"]]
        );
    }

    #[test]
    fn quotes_read_as_csv_core_reads_them() {
        assert_eq!(
            fields("a\"b,\"c\"d,\"e\"\"\"f\n\"open, to the end\nof file"),
            vec![
                vec!["a\"b", "cd", "e\"f"],
                vec!["open, to the end\nof file"]
            ]
        );
    }

    #[test]
    fn invalid_bytes_are_flagged_and_replaced() {
        let mut stream = CsvStream::new(Encoding::Utf8, 6, b',');
        assert_eq!(stream.read(), Next::NeedInput);
        stream.push(b"caf\xE9,x");
        assert_eq!(stream.read(), Next::Record(1));
        assert_eq!(stream.record().get(0), Some("caf\u{FFFD}"));
        assert!(stream.malformed());
    }
}
