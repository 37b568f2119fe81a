//! Reading feedback exports (CSV/TSV in any common encoding, or `.xlsx`) into
//! a compact [`Dataset`].
//!
//! The import is resumable so a browser can spread a 60 MB file over many
//! short slices: [`Importer::new`] (a file in memory) or
//! [`Importer::streaming`] (a file handed over chunk by chunk with
//! [`Importer::push`], so it is never in memory whole) sniffs delimiter and
//! header layout and guesses roles from a sample; the caller may correct
//! roles with [`Importer::set_role`]; then [`Importer::step`] is called until
//! [`Progress::done`], pushing the next chunk whenever
//! [`Importer::wants_input`] asks, and [`Importer::finish`] hands over the
//! dataset. [`import`] does all of it in one call.

pub mod dataset;
pub mod dates;
pub mod decode;
pub mod dialect;
pub mod layout;
pub mod matching;
pub mod privacy;
pub mod report;
pub mod roles;
mod sheet;
pub mod split;
pub mod stream;
pub mod values;

use std::borrow::Cow;
use std::collections::{HashMap, VecDeque};
use std::fmt;
use std::hash::{BuildHasherDefault, Hasher};

use serde::Serialize;

pub use dataset::{Column, ColumnData, Dataset, RowError, SourceInfo, TimeColumn, MISSING};
pub use dates::DateOrder;
pub use decode::Encoding;
pub use layout::{Layout, LayoutKind};
pub use roles::Role;
use values::trim;
pub use values::Scale;

use dates::DateEvidence;
use roles::Profile;
use stream::{CsvStream, Next};
pub use stream::{Fields, Record};

/// Why a file could not be read at all (as opposed to per-record problems,
/// which are [`RowError`]s and never stop an import).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReadError(pub String);

impl fmt::Display for ReadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for ReadError {}

#[derive(Clone, Debug)]
pub struct ImportOptions {
    /// Forces the delimiter instead of detecting it.
    pub delimiter: Option<u8>,
    /// Worksheet of an `.xlsx` workbook; the first when `None`.
    pub sheet: Option<String>,
    /// Masks emails and phone numbers in comment columns.
    pub mask_contacts: bool,
    /// Role corrections by column name or field id, applied over the guesses.
    pub roles: Vec<(String, Role)>,
    /// Data records read ahead to guess roles and show a preview.
    pub sample_records: usize,
}

impl Default for ImportOptions {
    fn default() -> Self {
        ImportOptions {
            delimiter: None,
            sheet: None,
            mask_contacts: true,
            roles: Vec::new(),
            sample_records: 200,
        }
    }
}

/// How far an import has got; `bytes_done / bytes_total` drives a progress bar.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Progress {
    pub bytes_done: usize,
    pub bytes_total: usize,
    pub records: usize,
    pub done: bool,
}

/// A column as the user sees it before importing.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ColumnPlan {
    pub name: String,
    pub field_id: Option<String>,
    pub role: Role,
    pub scale: Scale,
    #[serde(skip)]
    profile: Profile,
}

/// Reads only the first bytes to sniff the dialect: enough for dozens of
/// records even with long comments.
const PREFIX_BYTES: usize = 64 * 1024;
/// Header rows plus a few data rows are enough to recognise every layout.
const LAYOUT_ROWS: usize = 12;
/// How much of a file [`Importer::new`] hands its parser at a time, and the
/// size of the pieces the import page hands it: small next to a 60 MB file
/// (4 MiB took peak wasm memory to 1.93x a 60 MB file, too near the 2x
/// budget), large enough that each push's fixed cost is small. The page
/// reads the file in larger slices, kept outside wasm memory.
pub const CHUNK_BYTES: usize = 2 << 20;

enum Records {
    /// Text bytes received, waiting for enough to sniff the dialect.
    Sniffing {
        encoding: Encoding,
        total: usize,
        delimiter: Option<u8>,
        received: Vec<u8>,
    },
    Csv(Box<CsvStream>),
    Sheet {
        rows: std::vec::IntoIter<Vec<String>>,
        next_line: u64,
        count: usize,
        record: Record,
    },
}

impl Records {
    fn push(&mut self, chunk: &[u8]) {
        match self {
            Records::Sniffing {
                encoding,
                total,
                delimiter,
                received,
            } => {
                received.extend_from_slice(chunk);
                if received.len() < PREFIX_BYTES.min(*total) && !chunk.is_empty() {
                    return;
                }
                let prefix = encoding.decode_prefix(received, PREFIX_BYTES);
                let hint = dialect::excel_sep_hint(&prefix);
                let delimiter = delimiter
                    .or(hint)
                    .unwrap_or_else(|| dialect::detect_delimiter(&prefix));
                let mut stream = CsvStream::new(*encoding, *total, delimiter);
                stream.push(received);
                if chunk.is_empty() && received.len() < *total {
                    stream.push(&[]);
                }
                if hint.is_some() {
                    stream.skip_first();
                }
                *self = Records::Csv(Box::new(stream));
            }
            Records::Csv(stream) => stream.push(chunk),
            Records::Sheet { .. } => {}
        }
    }

    /// Source bytes the reader has been given, or `None` when it needs none now.
    fn wants(&self) -> Option<usize> {
        match self {
            Records::Sniffing { received, .. } => Some(received.len()),
            Records::Csv(stream) => stream.wants_input().then(|| stream.pushed()),
            Records::Sheet { .. } => None,
        }
    }

    fn next(&mut self) -> Next {
        match self {
            Records::Sniffing { .. } => Next::NeedInput,
            Records::Csv(stream) => stream.read(),
            Records::Sheet {
                rows,
                next_line,
                record,
                ..
            } => {
                let Some(row) = rows.next() else {
                    return Next::End;
                };
                *record = row.iter().collect();
                let line = *next_line;
                *next_line += 1;
                Next::Record(line)
            }
        }
    }

    /// The record the last [`Next::Record`] announced.
    fn record(&self) -> Fields<'_> {
        match self {
            Records::Csv(stream) => stream.record(),
            Records::Sheet { record, .. } => record.fields(),
            Records::Sniffing { .. } => unreachable!("no record is announced while sniffing"),
        }
    }

    fn take_record(&mut self) -> Record {
        match self {
            Records::Csv(stream) => stream.record().to_record(),
            Records::Sheet { record, .. } => std::mem::take(record),
            Records::Sniffing { .. } => unreachable!("no record is announced while sniffing"),
        }
    }

    fn progress(&self) -> (usize, usize) {
        match self {
            Records::Sniffing {
                received, total, ..
            } => (received.len(), *total),
            Records::Csv(stream) => (stream.pushed(), stream.total()),
            Records::Sheet { rows, count, .. } => (count - rows.len(), *count),
        }
    }
}

/// Where the bytes come from: pushed by the caller, or the whole file handed
/// over at once and fed to the parser a chunk at a time.
struct Input {
    records: Records,
    whole: Option<Vec<u8>>,
}

impl Input {
    /// The next record, feeding the parser from `whole` when it has the file.
    fn next(&mut self) -> Next {
        loop {
            match self.records.next() {
                Next::NeedInput => {
                    let (Some(whole), Some(from)) = (&self.whole, self.records.wants()) else {
                        return Next::NeedInput;
                    };
                    let to = whole.len().min(from + CHUNK_BYTES);
                    self.records.push(&whole[from..to]);
                    if to == whole.len() {
                        self.whole = None;
                    }
                }
                found => return found,
            }
        }
    }
}

/// A resumable import; see the [module docs](self).
pub struct Importer {
    input: Input,
    source: SourceInfo,
    options: ImportOptions,
    /// Records read ahead, kept until the plan is made.
    ahead: Vec<(u64, Record)>,
    /// Set once the sample is read: columns, roles and preview exist.
    planned: bool,
    columns: Vec<ColumnPlan>,
    /// Sampled data records, replayed by `step` before reading on.
    pending: VecDeque<(u64, Record)>,
    preview: Vec<Vec<String>>,
    mask_contacts: bool,
    sink: Option<Sink>,
    done: bool,
    /// Per column, the page's category code for each code of a worker
    /// whose rows were joined ([`Importer::join`]).
    joined: Vec<Vec<u32>>,
}

/// Everything a record is stored into, apart from the reader so that a
/// record borrowed from the reader's buffer can be stored without copying.
struct Sink {
    names: Vec<String>,
    builders: Vec<Builder>,
    lines: Vec<u32>,
    errors: Vec<RowError>,
    skipped: usize,
}

impl Sink {
    fn skip(&mut self, line: u64, message: String) {
        self.errors.push(RowError {
            line,
            column: None,
            message,
        });
        self.skipped += 1;
    }

    fn ingest(&mut self, line: u64, record: Fields<'_>) {
        let width = self.names.len();
        let blank_from =
            |from: usize| (from..record.len()).all(|i| trim(record.cell(i)).is_empty());
        if record.len() < width || !blank_from(width) {
            self.skip(
                line,
                format!(
                    "record has {} fields but the header has {width}; row skipped",
                    record.len()
                ),
            );
        } else if blank_from(0) {
            self.skip(line, "empty record; row skipped".into());
        } else {
            for (i, builder) in self.builders.iter_mut().enumerate() {
                if matches!(builder, Builder::Skipped) {
                    continue;
                }
                if let Err(message) = builder.push(record.cell(i)) {
                    self.errors.push(RowError {
                        line,
                        column: Some(self.names[i].clone()),
                        message,
                    });
                }
            }
            self.lines.push(u32::try_from(line).unwrap_or(u32::MAX));
        }
    }
}

impl Importer {
    /// Starts an import of a file that is all in memory: natively, and for
    /// workbooks, which cannot be read in pieces.
    pub fn new(bytes: Vec<u8>, options: ImportOptions) -> Result<Importer, ReadError> {
        if bytes.is_empty() {
            return Err(ReadError("the file is empty".into()));
        }
        if sheet::is_xlsx(&bytes) {
            let sheet = sheet::read(bytes, options.sheet.as_deref())?;
            let count = sheet.rows.len();
            let source = SourceInfo {
                encoding: "xlsx".into(),
                sheets: sheet.names,
                sheet: Some(sheet.chosen),
                ..SourceInfo::default()
            };
            let records = Records::Sheet {
                rows: sheet.rows.into_iter(),
                next_line: sheet.first_row,
                count,
                record: Record::default(),
            };
            let mut importer = Importer::with(records, source, options);
            importer.plan()?;
            return Ok(importer);
        }
        let mut importer = Importer::streaming(Encoding::sniff(&bytes), bytes.len(), options);
        importer.input.whole = Some(bytes);
        importer.plan()?;
        Ok(importer)
    }

    /// Starts an import of a text file that the caller reads in chunks and
    /// hands over with [`Importer::push`] whenever [`Importer::wants_input`]
    /// asks, so the file never sits in memory whole. The encoding is given:
    /// [`decode::Sniffer::so_far`] guesses it from the first chunk, and a
    /// file that turns out not to be UTF-8 after all is reported by
    /// [`Importer::misread`], to be imported again as Windows-1252.
    pub fn streaming(encoding: Encoding, total: usize, options: ImportOptions) -> Importer {
        let records = Records::Sniffing {
            encoding,
            total,
            delimiter: options.delimiter,
            received: Vec::new(),
        };
        let source = SourceInfo {
            encoding: encoding.label().into(),
            ..SourceInfo::default()
        };
        Importer::with(records, source, options)
    }

    fn with(records: Records, source: SourceInfo, options: ImportOptions) -> Importer {
        Importer {
            input: Input {
                records,
                whole: None,
            },
            source,
            mask_contacts: options.mask_contacts,
            options,
            ahead: Vec::new(),
            planned: false,
            columns: Vec::new(),
            pending: VecDeque::new(),
            preview: Vec::new(),
            sink: None,
            done: false,
            joined: Vec::new(),
        }
    }

    /// The byte offset the importer wants the next chunk from, when it has
    /// parsed everything it was given; `None` while it has enough.
    pub fn wants_input(&self) -> Option<usize> {
        if self.input.whole.is_some() || self.done {
            return None;
        }
        self.input.records.wants()
    }

    /// Where the file's next unread bytes start, also while the importer
    /// still has enough: a reader can fetch them ahead, so they are there
    /// when [`Self::wants_input`] asks. `None` once it has every byte, and
    /// for a workbook.
    pub fn next_offset(&self) -> Option<usize> {
        if self.input.whole.is_some() || self.done {
            return None;
        }
        let (read, total) = match &self.input.records {
            Records::Sheet { .. } => return None,
            records => records.progress(),
        };
        (read < total).then_some(read)
    }

    /// Hands over the file's next bytes, from the offset [`Self::wants_input`]
    /// gave; an empty chunk means the file ended early. Until the columns are
    /// planned ([`Self::is_planned`]) this also reads the sample, and fails
    /// when the file turns out to have no header.
    pub fn push(&mut self, chunk: &[u8]) -> Result<(), ReadError> {
        self.input.records.push(chunk);
        if self.planned {
            Ok(())
        } else {
            self.plan()
        }
    }

    /// Whether the file turned out not to be valid in the encoding it was
    /// started with (its invalid bytes read as U+FFFD). Only a file whose
    /// start was valid UTF-8 and whose later bytes are not can get here;
    /// it should be imported again from the start as Windows-1252.
    pub fn misread(&self) -> bool {
        matches!(&self.input.records, Records::Csv(s) if s.malformed())
            && self.source.encoding == Encoding::Utf8.label()
    }

    /// Whether the header and sample are read, so roles can be reviewed.
    pub fn is_planned(&self) -> bool {
        self.planned
    }

    /// Reads ahead the header rows and sample, then plans the columns; when
    /// the input runs out first, waits for the next push.
    fn plan(&mut self) -> Result<(), ReadError> {
        while self.ahead.len() < LAYOUT_ROWS + self.options.sample_records {
            match self.input.next() {
                Next::NeedInput => return Ok(()),
                Next::End => break,
                Next::Record(line) => {
                    let record = self.input.records.take_record();
                    self.ahead.push((line, record));
                }
            }
        }
        let head: Vec<Vec<String>> = self
            .ahead
            .iter()
            .take(LAYOUT_ROWS)
            .map(|(_, r)| r.iter().map(str::to_owned).collect())
            .collect();
        if head.is_empty() {
            return Err(ReadError("no header row found".into()));
        }
        let mut layout = layout::detect(&head);
        if layout.kind == LayoutKind::Generic && self.source.encoding == "xlsx" {
            layout.kind = LayoutKind::Xlsx;
        }
        self.source.layout = serde_json::to_value(layout.kind)
            .ok()
            .and_then(|v| v.as_str().map(str::to_owned))
            .unwrap_or_default();
        self.source.header_rows = layout.header_rows;
        if let Records::Csv(stream) = &self.input.records {
            self.source.delimiter = Some(dialect::delimiter_label(stream.delimiter()).into());
        }
        self.pending = std::mem::take(&mut self.ahead)
            .into_iter()
            .skip(layout.header_rows)
            .collect();
        self.columns = plan_columns(&layout, &self.pending, &self.options.roles);
        self.preview = self
            .pending
            .iter()
            .map(|(_, r)| r.iter().map(str::to_owned).collect())
            .collect();
        self.planned = true;
        Ok(())
    }

    pub fn source(&self) -> &SourceInfo {
        &self.source
    }

    /// Columns with their guessed (or corrected) roles.
    pub fn columns(&self) -> &[ColumnPlan] {
        &self.columns
    }

    /// The first data records as parsed, before any conversion.
    pub fn preview(&self) -> &[Vec<String>] {
        &self.preview
    }

    /// Corrects a column's role. Only possible before the first `step`,
    /// because earlier records would have been stored the old way.
    pub fn set_role(&mut self, column: usize, role: Role) -> Result<(), ReadError> {
        if self.sink.is_some() {
            return Err(ReadError(
                "roles cannot change once the import has started".into(),
            ));
        }
        let plan = self
            .columns
            .get_mut(column)
            .ok_or_else(|| ReadError(format!("no column {column}")))?;
        plan.role = role;
        plan.scale = roles::scale_for(role, &plan.profile);
        Ok(())
    }

    /// Turns contact masking on or off. Like roles, only before the first
    /// `step`, so every comment of one dataset is treated alike.
    pub fn set_mask_contacts(&mut self, mask: bool) -> Result<(), ReadError> {
        if self.sink.is_some() {
            return Err(ReadError(
                "masking cannot change once the import has started".into(),
            ));
        }
        self.mask_contacts = mask;
        Ok(())
    }

    /// The preview as it will be stored: with contacts masked in comment
    /// columns when masking is on, so the user sees what masking does.
    pub fn preview_as_imported(&self) -> Vec<Vec<String>> {
        self.preview
            .iter()
            .map(|row| {
                row.iter()
                    .enumerate()
                    .map(|(i, cell)| {
                        let comment = self.columns.get(i).map(|c| c.role) == Some(Role::Comment);
                        if self.mask_contacts && comment {
                            privacy::mask_contacts(cell).into_owned()
                        } else {
                            cell.clone()
                        }
                    })
                    .collect()
            })
            .collect()
    }

    pub fn progress(&self) -> Progress {
        let (bytes_done, bytes_total) = self.input.records.progress();
        Progress {
            bytes_done: if self.done { bytes_total } else { bytes_done },
            bytes_total,
            records: self.sink.as_ref().map_or(0, |s| s.lines.len()),
            done: self.done,
        }
    }

    /// Imports up to `max_records` more records, fewer when a streamed file
    /// needs its next chunk first (see [`Self::wants_input`]). Keep slices
    /// small (a few thousand records) in the browser so each call stays well
    /// under a frame budget. Does nothing before the columns are planned.
    pub fn step(&mut self, max_records: usize) -> Progress {
        if !self.planned {
            return self.progress();
        }
        if self.sink.is_none() {
            let (rows, text) = self.expected_sizes();
            let mask = self.mask_contacts;
            self.sink = Some(Sink {
                names: self.columns.iter().map(|c| c.name.clone()).collect(),
                builders: self
                    .columns
                    .iter()
                    .zip(text)
                    .map(|(c, text)| Builder::new(c.role, c.scale, mask, rows, text))
                    .collect(),
                lines: Vec::with_capacity(rows),
                errors: Vec::new(),
                skipped: 0,
            });
        }
        let Some(sink) = self.sink.as_mut() else {
            unreachable!("created above")
        };
        let mut handled = 0;
        while handled < max_records && !self.done {
            handled += 1;
            if let Some((line, record)) = self.pending.pop_front() {
                sink.ingest(line, record.fields());
                continue;
            }
            match self.input.next() {
                Next::End => self.done = true,
                Next::NeedInput => break,
                Next::Record(line) => sink.ingest(line, self.input.records.record()),
            }
        }
        self.progress()
    }

    /// Rows, and text bytes per column, the whole file should hold,
    /// extrapolated from the sample. Columns are allocated once at that size:
    /// a growing 40 MB comment column would otherwise double its buffer, and
    /// briefly need three times its size, at the import's memory peak.
    fn expected_sizes(&self) -> (usize, Vec<usize>) {
        let none = (0, vec![0; self.columns.len()]);
        let Records::Csv(stream) = &self.input.records else {
            return none;
        };
        // Decoded bytes parsed so far (header and sample) against the whole
        // file's, with UTF-16 taking about two source bytes per decoded one.
        let consumed = stream.parsed();
        let total = if self.source.encoding.starts_with("utf-16") {
            stream.total() / 2
        } else {
            stream.total()
        };
        if consumed == 0 || self.pending.is_empty() {
            return none;
        }
        // 2 % headroom for rows a little longer than the sample's, and 10 %
        // for text: a sample of 200 comments misses the file's average
        // length by a few per cent, and text that outgrows its estimate is
        // copied whole into a larger buffer (see `Builder::push`).
        let scale = total.max(consumed) as f64 / consumed as f64 * 1.02;
        let rows = (self.pending.len() as f64 * scale) as usize;
        let scale = scale * 1.08;
        let text = (0..self.columns.len())
            .map(|i| {
                let bytes: usize = self
                    .pending
                    .iter()
                    .map(|(_, r)| r.get(i).map_or(0, str::len))
                    .sum();
                (bytes as f64 * scale) as usize
            })
            .collect();
        (rows, text)
    }

    /// Completes the import (reading whatever is left of a file given whole)
    /// and returns the data. A streamed file should have been pushed to its
    /// end: bytes never pushed are taken as the end of the file.
    pub fn finish(mut self) -> Dataset {
        while !self.done {
            self.step(usize::MAX);
            if !self.done && self.wants_input().is_some() {
                self.input.records.push(&[]);
            }
        }
        // The parser's buffers go before the columns are finished.
        drop(self.input);
        let Some(sink) = self.sink else {
            unreachable!("step creates the sink")
        };
        let Sink {
            builders,
            lines,
            mut errors,
            skipped,
            ..
        } = sink;
        let mut source = self.source;
        source.rows = lines.len();
        source.skipped = skipped;
        let columns = self
            .columns
            .into_iter()
            .zip(builders)
            .map(|(plan, builder)| Column {
                data: builder.finish(&plan.name, &lines, &mut errors),
                name: plan.name,
                field_id: plan.field_id,
                role: plan.role,
            })
            .collect();
        errors.sort_by_key(|e| e.line);
        Dataset {
            source,
            columns,
            lines,
            errors,
        }
    }

    /// Turns the importer into a stream of raw records (header rows already
    /// consumed), for converting a file without building columns.
    pub fn into_records(self) -> RawRecords {
        RawRecords {
            input: self.input,
            pending: self.pending,
        }
    }
}

/// Data records exactly as they stood in the file; see [`Importer::into_records`].
/// A streamed file ends where its pushed bytes end.
pub struct RawRecords {
    input: Input,
    pending: VecDeque<(u64, Record)>,
}

impl Iterator for RawRecords {
    type Item = (u64, Record);

    fn next(&mut self) -> Option<Self::Item> {
        if let Some(item) = self.pending.pop_front() {
            return Some(item);
        }
        loop {
            return match self.input.next() {
                Next::Record(line) => Some((line, self.input.records.take_record())),
                Next::End => None,
                Next::NeedInput => {
                    self.input.records.push(&[]);
                    continue;
                }
            };
        }
    }
}

/// Whether `start`, a file's first bytes, is an `.xlsx` workbook: workbooks
/// are read whole with [`Importer::new`], text files can be streamed.
pub fn is_workbook(start: &[u8]) -> bool {
    sheet::is_xlsx(start)
}

/// Reads a whole file in one go.
pub fn import(bytes: Vec<u8>, options: ImportOptions) -> Result<Dataset, ReadError> {
    Ok(Importer::new(bytes, options)?.finish())
}

fn plan_columns(
    layout: &Layout,
    sample: &VecDeque<(u64, Record)>,
    overrides: &[(String, Role)],
) -> Vec<ColumnPlan> {
    let profiled: Vec<(String, Option<String>, Profile)> = layout
        .names
        .iter()
        .enumerate()
        .map(|(i, name)| {
            let profile = Profile::of(sample.iter().filter_map(|(_, r)| r.get(i)));
            (name.clone(), layout.ids.get(i).cloned().flatten(), profile)
        })
        .collect();
    let guessed = roles::guess_all(&profiled);
    profiled
        .into_iter()
        .zip(guessed)
        .map(|((name, field_id, profile), guess)| {
            let role = overrides
                .iter()
                .rev()
                .find(|(key, _)| key.trim() == name || Some(key.trim()) == field_id.as_deref())
                .map_or(guess, |(_, role)| *role);
            ColumnPlan {
                scale: roles::scale_for(role, &profile),
                name,
                field_id,
                role,
                profile,
            }
        })
        .collect()
}

/// FNV-1a for category lookups, one per cell: the values are short, and
/// SipHash's defence against chosen collisions cost more than the lookup
/// itself. A file crafted to collide can only slow its own import.
struct Fnv(u64);

impl Default for Fnv {
    fn default() -> Self {
        Fnv(0xcbf2_9ce4_8422_2325)
    }
}

impl Hasher for Fnv {
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
        }
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

/// Accumulates one column in its compact form while records stream past.
/// Up to this many distinct values, a category cell is looked up by
/// comparing it with each: touchpoint, channel, stage and segment columns
/// rarely have more, and hashing every cell cost more than the comparisons
/// in import profiles.
const SCANNED_DICTIONARY: usize = 16;

/// A value's first and last eight bytes (overlapping, zero-padded when
/// shorter) and its length: values of up to sixteen bytes, which category
/// values mostly are (`store_purchase`, `Loyalty member`), are equal
/// exactly when their sketches are, and longer ones rarely share one, so
/// most comparisons are integer comparisons rather than a call to compare
/// strings. Each word is built from whole loads: built a byte at a time,
/// or copied into a padded buffer (a call to copy memory in wasm), the
/// sketches took about a third of what the four category columns of the
/// benchmark file cost (50 ms of a 194 ms import in wasm).
#[inline(always)]
fn sketch(value: &str) -> Sketch {
    let b = value.as_bytes();
    let n = b.len();
    let word = |at: usize| u64::from_le_bytes(b[at..at + 8].try_into().expect("eight bytes"));
    let half = |at: usize| u64::from(u32::from_le_bytes(b[at..at + 4].try_into().expect("four")));
    let short = match n {
        8.. => return (word(0), word(n - 8), n),
        // Two overlapping loads: the bytes they share are the same.
        4.. => half(0) | half(n - 4) << (8 * (n - 4)),
        1.. => {
            let byte = |at: usize| u64::from(b[at]) << (8 * at);
            byte(0) | byte(n / 2) | byte(n - 1)
        }
        0 => 0,
    };
    (short, short, n)
}

/// See [`sketch`].
type Sketch = (u64, u64, usize);

/// The code of the value sketched as `sketched` (`key`) among the
/// `sketches` of `dictionary`. A plain loop rather than `position` with a
/// closure: in wasm the closure stayed a call per dictionary value.
#[inline(always)]
fn scan_sketches(
    sketches: &[Sketch],
    dictionary: &[String],
    sketched: Sketch,
    key: &str,
) -> Option<usize> {
    let (first, last, len) = sketched;
    for (i, known) in sketches.iter().enumerate() {
        if known.0 == first
            && known.1 == last
            && known.2 == len
            && (len <= 16 || dictionary[i] == key)
        {
            return Some(i);
        }
    }
    None
}

/// A category column's values seen last, by [`recent_slot`] of their
/// sketch: most cells find their code in one comparison, where a scan of
/// the dictionary stopped at a different value each time, and the
/// processor mispredicted where. In wasm the four category columns of a
/// 500 000-row file took 34 ms with the scan alone, 18.5 ms with this.
type Recent = Box<[(Sketch, u32)]>;

const RECENT_SLOTS: usize = 256;

fn recent() -> Recent {
    // A length no value has: every slot starts empty.
    vec![((0, 0, usize::MAX), MISSING); RECENT_SLOTS].into_boxed_slice()
}

#[inline(always)]
fn recent_slot((first, last, len): Sketch) -> usize {
    let mixed = (first ^ last.rotate_left(29) ^ len as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    (mixed >> (64 - RECENT_SLOTS.trailing_zeros())) as usize
}

enum Builder {
    Score {
        scale: Scale,
        values: Vec<f32>,
    },
    Category {
        codes: Vec<u32>,
        dictionary: Vec<String>,
        /// `sketch` of each dictionary value, while there are few.
        sketches: Vec<Sketch>,
        index: HashMap<String, u32, BuildHasherDefault<Fnv>>,
        recent: Recent,
    },
    Text {
        text: String,
        ends: Vec<u32>,
        mask: bool,
    },
    Time {
        month_first: Vec<f64>,
        day_first: Option<Vec<f64>>,
        evidence: DateEvidence,
    },
    Skipped,
}

impl Builder {
    /// `rows` and `text` (bytes) are expected sizes, to allocate once.
    fn new(role: Role, scale: Scale, mask_contacts: bool, rows: usize, text: usize) -> Builder {
        match role {
            Role::Nps | Role::Csat | Role::Ces | Role::Metric => Builder::Score {
                scale,
                values: Vec::with_capacity(rows),
            },
            Role::Touchpoint | Role::Channel | Role::Stage | Role::Segment => Builder::Category {
                codes: Vec::with_capacity(rows),
                dictionary: Vec::new(),
                sketches: Vec::new(),
                index: HashMap::default(),
                recent: recent(),
            },
            Role::Comment | Role::Customer => Builder::Text {
                text: String::with_capacity(text),
                ends: Vec::with_capacity(rows),
                mask: mask_contacts && role == Role::Comment,
            },
            Role::Timestamp => Builder::Time {
                month_first: Vec::with_capacity(rows),
                day_first: None,
                evidence: DateEvidence::default(),
            },
            Role::Ignored | Role::Sentiment => Builder::Skipped,
        }
    }

    /// Stores one cell; a cell that cannot be read is stored as missing and
    /// its problem returned.
    fn push(&mut self, cell: &str) -> Result<(), String> {
        match self {
            Builder::Score { scale, values } => match scale.read(cell) {
                Ok(v) => {
                    values.push(v.unwrap_or(f32::NAN));
                    Ok(())
                }
                Err(e) => {
                    values.push(f32::NAN);
                    Err(e)
                }
            },
            Builder::Category {
                codes,
                dictionary,
                sketches,
                index,
                recent,
            } => {
                let code = category_code(dictionary, sketches, index, recent, trim(cell));
                codes.push(code);
                Ok(())
            }
            Builder::Text { text, ends, mask } => {
                let cell = trim(cell);
                let cell = if *mask {
                    privacy::mask_contacts(cell)
                } else {
                    Cow::Borrowed(cell)
                };
                // Past the estimate, grow by a quarter rather than double:
                // the copy briefly holds both buffers, at the import's
                // memory peak.
                if text.capacity() - text.len() < cell.len() {
                    text.reserve_exact((text.capacity() / 4).max(cell.len()));
                }
                text.push_str(&cell);
                ends.push(text.len() as u32);
                Ok(())
            }
            Builder::Time {
                month_first,
                day_first,
                evidence,
            } => {
                let reading = if trim(cell).is_empty() {
                    None
                } else if let Some(reading) = dates::parse(cell) {
                    Some(reading)
                } else {
                    month_first.push(f64::NAN);
                    if let Some(d) = day_first.as_mut() {
                        d.push(f64::NAN);
                    }
                    return Err(format!(
                        "{:?} is not a date this importer can read",
                        cell.trim()
                    ));
                };
                let (m, d) = reading.map_or((f64::NAN, f64::NAN), |r| {
                    evidence.add(&r);
                    (
                        r.month_first.unwrap_or(f64::NAN),
                        r.day_first.unwrap_or(f64::NAN),
                    )
                });
                if day_first.is_none() && !same(m, d) {
                    *day_first = Some(month_first.clone());
                }
                month_first.push(m);
                if let Some(day_first) = day_first.as_mut() {
                    day_first.push(d);
                }
                Ok(())
            }
            Builder::Skipped => Ok(()),
        }
    }

    fn finish(self, name: &str, lines: &[u32], errors: &mut Vec<RowError>) -> ColumnData {
        match self {
            Builder::Score { scale, values } => ColumnData::Score { scale, values },
            Builder::Category {
                codes, dictionary, ..
            } => ColumnData::Category { codes, dictionary },
            Builder::Text { text, ends, .. } => ColumnData::Text { text, ends },
            Builder::Time {
                month_first,
                day_first,
                evidence,
            } => {
                let order = evidence.order();
                let Some(day_first) = day_first else {
                    return ColumnData::Time(TimeColumn {
                        secs: month_first,
                        order,
                        day_first: None,
                    });
                };
                let (secs, other) = match order {
                    DateOrder::DayFirst => (day_first, month_first),
                    _ => (month_first, day_first),
                };
                if order != DateOrder::Ambiguous {
                    let word = if order == DateOrder::DayFirst {
                        "day"
                    } else {
                        "month"
                    };
                    for (row, (chosen, alternative)) in secs.iter().zip(&other).enumerate() {
                        if chosen.is_nan() && !alternative.is_nan() {
                            errors.push(RowError {
                                line: u64::from(lines[row]),
                                column: Some(name.to_owned()),
                                message: format!(
                                    "date does not fit the column's {word}-first order"
                                ),
                            });
                        }
                    }
                }
                ColumnData::Time(TimeColumn {
                    secs,
                    order,
                    day_first: (order == DateOrder::Ambiguous).then_some(other),
                })
            }
            Builder::Skipped => ColumnData::Skipped,
        }
    }
}

/// The code of category value `key` (already trimmed), added to the
/// dictionary when new; [`MISSING`] for an empty cell.
#[inline(always)]
fn category_code(
    dictionary: &mut Vec<String>,
    sketches: &mut Vec<Sketch>,
    index: &mut HashMap<String, u32, BuildHasherDefault<Fnv>>,
    recent: &mut Recent,
    key: &str,
) -> u32 {
    if key.is_empty() {
        return MISSING;
    }
    let sketched = sketch(key);
    let slot = recent_slot(sketched);
    let (seen, code) = recent[slot];
    if seen == sketched && (key.len() <= 16 || dictionary[code as usize] == key) {
        return code;
    }
    let scanned = if dictionary.len() <= SCANNED_DICTIONARY {
        scan_sketches(sketches, dictionary, sketched, key)
    } else {
        None
    };
    let code = if let Some(code) = scanned {
        code as u32
    } else if let Some(&code) = index.get(key) {
        code
    } else {
        let code = dictionary.len() as u32;
        dictionary.push(key.to_owned());
        sketches.push(sketched);
        index.insert(key.to_owned(), code);
        code
    };
    recent[slot] = (sketched, code);
    code
}

fn same(a: f64, b: f64) -> bool {
    a == b || (a.is_nan() && b.is_nan())
}

#[cfg(test)]
mod tests {
    use super::*;

    const FILE: &str = "Comment,NPS\nMail me at ann@example.com,10\nFine,8\n";

    #[test]
    fn preview_shows_masking_as_it_will_be_imported() {
        let mut importer = Importer::new(FILE.into(), ImportOptions::default()).unwrap();
        assert_eq!(importer.columns()[0].role, Role::Comment);
        assert_eq!(importer.preview_as_imported()[0][0], "Mail me at [email]");
        assert_eq!(importer.preview()[0][0], "Mail me at ann@example.com");
        importer.set_mask_contacts(false).unwrap();
        assert_eq!(
            importer.preview_as_imported()[0][0],
            "Mail me at ann@example.com"
        );
        let data = importer.finish();
        assert_eq!(data.columns[0].text(0), Some("Mail me at ann@example.com"));
    }

    #[test]
    fn column_sizes_are_extrapolated_from_the_sample() {
        let mut file = String::from("Comment,NPS\n");
        for i in 0..5000 {
            file.push_str(&format!(
                "\"comment number {i:04}, with a comma\",{}\n",
                i % 11
            ));
        }
        let importer = Importer::new(file.into(), ImportOptions::default()).unwrap();
        let (rows, text) = importer.expected_sizes();
        assert!((5000..5400).contains(&rows), "{rows} rows");
        let actual: usize = (0..5000)
            .map(|i| format!("comment number {i:04}, with a comma").len())
            .sum();
        assert!(
            text[0] >= actual && text[0] < actual * 12 / 10,
            "{} for {actual}",
            text[0]
        );
        assert_eq!(importer.finish().rows(), 5000);
    }

    #[test]
    fn text_past_its_estimate_grows_by_a_quarter() {
        let mut file = String::from("Comment,NPS\n");
        for i in 0..3000 {
            let long = if i < 300 {
                ""
            } else {
                " and then some more words"
            };
            file.push_str(&format!("\"comment {i:04}{long}\",{}\n", i % 11));
        }
        let data = import(file.into_bytes(), ImportOptions::default()).unwrap();
        let ColumnData::Text { text, .. } = &data.columns[0].data else {
            panic!("not a text column");
        };
        assert!(
            text.capacity() < text.len() * 5 / 4 + 64,
            "{} bytes in {}",
            text.len(),
            text.capacity()
        );
    }

    #[test]
    fn invalid_utf8_after_a_valid_start_is_flagged() {
        let file = "Comment,NPS\nfine,9\ncaf\u{e9},8\n";
        let bytes = encoding_rs::WINDOWS_1252.encode(file).0.into_owned();
        let mut importer =
            Importer::streaming(Encoding::Utf8, bytes.len(), ImportOptions::default());
        importer.push(&bytes[..20]).unwrap();
        assert!(!importer.misread());
        importer.push(&bytes[20..]).unwrap();
        importer.step(usize::MAX);
        assert!(importer.misread());
        let mut again =
            Importer::streaming(Encoding::Windows1252, bytes.len(), ImportOptions::default());
        again.push(&bytes).unwrap();
        assert!(!again.misread());
        assert_eq!(again.finish().columns[0].text(1), Some("café"));
    }

    #[test]
    fn category_codes_hold_past_the_scanned_dictionary() {
        let mut file = String::from("Touchpoint,NPS\n");
        for i in 0..3 * 40 {
            file.push_str(&format!("tp{},9\n", i % 40));
        }
        let data = import(file.into_bytes(), ImportOptions::default()).unwrap();
        let ColumnData::Category { codes, dictionary } = &data.columns[0].data else {
            panic!("not a category column");
        };
        assert_eq!(dictionary.len(), 40);
        for (row, &code) in codes.iter().enumerate() {
            assert_eq!(dictionary[code as usize], format!("tp{}", row % 40));
        }
    }

    #[test]
    fn category_codes_hold_when_recent_values_share_a_slot() {
        // More values than slots, so slots are shared; and long values
        // with the same first and last eight bytes, so sketches are too.
        let value = |i: usize| match i % 3 {
            0 => format!("v{i}"),
            1 => format!("same-start-{i:05}-same-end"),
            _ => format!("channel {i}"),
        };
        let order: Vec<usize> = (0..6 * RECENT_SLOTS)
            .map(|k| (k * 7919 + k / 5) % (3 * RECENT_SLOTS))
            .collect();
        let mut file = String::from("Touchpoint,NPS\n");
        for &i in &order {
            file.push_str(&format!("{},9\n", value(i)));
        }
        let data = import(file.into_bytes(), ImportOptions::default()).unwrap();
        let ColumnData::Category { codes, dictionary } = &data.columns[0].data else {
            panic!("not a category column");
        };
        let distinct: std::collections::HashSet<_> = order.iter().collect();
        assert_eq!(dictionary.len(), distinct.len());
        for (&code, &i) in codes.iter().zip(&order) {
            assert_eq!(dictionary[code as usize], value(i));
        }
    }

    #[test]
    fn category_values_differing_in_any_one_byte_are_told_apart() {
        for len in 1..=20 {
            let base = "x".repeat(len);
            for at in 0..len {
                let mut other = base.clone().into_bytes();
                other[at] = b'y';
                let other = String::from_utf8(other).unwrap();
                let file = format!("Touchpoint,NPS\n{base},9\n{other},9\n{base},8\n");
                let data = import(file.into_bytes(), ImportOptions::default()).unwrap();
                let ColumnData::Category { codes, dictionary } = &data.columns[0].data else {
                    panic!("not a category column");
                };
                assert_eq!(dictionary, &[base.clone(), other], "length {len}, at {at}");
                assert_eq!(codes, &[0, 1, 0]);
            }
        }
    }

    #[test]
    fn the_next_offset_is_known_before_the_bytes_are_wanted() {
        let file = format!("Comment,NPS\n{}", "Fine,8\n".repeat(2 * PREFIX_BYTES / 7));
        let bytes = file.as_bytes();
        let mut importer =
            Importer::streaming(Encoding::Utf8, bytes.len(), ImportOptions::default());
        assert_eq!(importer.next_offset(), Some(0));
        let first = PREFIX_BYTES + 3;
        importer.push(&bytes[..first]).unwrap();
        assert!(importer.is_planned());
        // The sample leaves records of this chunk to import.
        assert_eq!(importer.wants_input(), None);
        assert_eq!(importer.next_offset(), Some(first));
        while importer.wants_input().is_none() {
            importer.step(10);
        }
        assert_eq!(importer.wants_input(), importer.next_offset());
        importer.push(&bytes[first..]).unwrap();
        assert_eq!(importer.next_offset(), None);
        let whole = Importer::new(FILE.into(), ImportOptions::default()).unwrap();
        assert_eq!(whole.next_offset(), None);
    }

    #[test]
    fn masking_is_fixed_once_the_import_started() {
        let mut importer = Importer::new(FILE.into(), ImportOptions::default()).unwrap();
        importer.step(1);
        assert!(importer.set_mask_contacts(false).is_err());
        assert_eq!(
            importer.finish().columns[0].text(0),
            Some("Mail me at [email]")
        );
    }
}
