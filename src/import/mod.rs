//! Reading feedback exports (CSV/TSV in any common encoding, or `.xlsx`) into
//! a compact [`Dataset`].
//!
//! The import is resumable so a browser can spread a 60 MB file over many
//! short slices: [`Importer::new`] sniffs encoding, delimiter and header
//! layout and guesses roles from a sample; the caller may correct roles with
//! [`Importer::set_role`]; then [`Importer::step`] is called until
//! [`Progress::done`], and [`Importer::finish`] hands over the dataset.
//! [`import`] does all of it in one call.

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
pub mod values;

use std::collections::{HashMap, VecDeque};
use std::fmt;

use csv::StringRecord;
use serde::Serialize;

pub use dataset::{Column, ColumnData, Dataset, RowError, SourceInfo, TimeColumn, MISSING};
pub use dates::DateOrder;
pub use decode::Encoding;
pub use layout::{Layout, LayoutKind};
pub use roles::Role;
pub use values::Scale;

use dates::DateEvidence;
use decode::Utf8Source;
use roles::Profile;

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

enum Records {
    Csv {
        reader: Box<csv::Reader<Utf8Source>>,
        /// Records end at `\n` only (see [`Importer::new`]), so in a CRLF
        /// file each record's last field carries the `\r` to strip.
        crlf: bool,
    },
    Sheet {
        rows: std::vec::IntoIter<Vec<String>>,
        next_line: u64,
        count: usize,
    },
}

impl Records {
    /// Reads the next record into `record`, returning its starting line.
    fn next(&mut self, record: &mut StringRecord) -> Option<Result<u64, RowError>> {
        match self {
            Records::Csv { reader, crlf } => loop {
                let start = match reader.read_record(record) {
                    Ok(false) => return None,
                    Ok(true) => record.position().map_or(0, |p| p.line()),
                    Err(e) => {
                        return Some(Err(RowError {
                            line: e.position().map_or(0, |p| p.line()),
                            column: None,
                            message: format!("unreadable record: {e}; row skipped"),
                        }))
                    }
                };
                if *crlf {
                    strip_carriage_return(record);
                }
                if record.len() == 1 && record[0].is_empty() {
                    continue;
                }
                // csv reports where it began looking, before any blank lines
                // it skipped; counting back from the record's end corrects
                // that (a record ends just after its terminating newline).
                let inner = record
                    .as_byte_record()
                    .as_slice()
                    .iter()
                    .filter(|&&b| b == b'\n')
                    .count() as u64;
                let end = reader.position().line();
                return Some(Ok(start.max(end.saturating_sub(inner + 1))));
            },
            Records::Sheet {
                rows, next_line, ..
            } => {
                let row = rows.next()?;
                record.clear();
                for cell in &row {
                    record.push_field(cell);
                }
                let line = *next_line;
                *next_line += 1;
                Some(Ok(line))
            }
        }
    }

    fn progress(&self) -> (usize, usize) {
        match self {
            Records::Csv { reader, .. } => (reader.get_ref().position(), reader.get_ref().len()),
            Records::Sheet { rows, count, .. } => (count - rows.len(), *count),
        }
    }
}

fn strip_carriage_return(record: &mut StringRecord) {
    let n = record.len();
    if let Some(last) = record.get(n.wrapping_sub(1)) {
        if let Some(kept) = last.strip_suffix('\r') {
            let kept = kept.to_owned();
            record.truncate(n - 1);
            record.push_field(&kept);
        }
    }
}

/// A resumable import; see the [module docs](self).
pub struct Importer {
    records: Records,
    source: SourceInfo,
    columns: Vec<ColumnPlan>,
    /// Sampled data records, replayed by `step` before reading on.
    pending: VecDeque<(u64, StringRecord)>,
    preview: Vec<Vec<String>>,
    mask_contacts: bool,
    sink: Option<Sink>,
    /// Problems met before the first step (while sampling).
    early_errors: Vec<RowError>,
    record: StringRecord,
    done: bool,
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

    fn ingest(&mut self, line: u64, record: &StringRecord) {
        let width = self.names.len();
        let extra_blank = record.iter().skip(width).all(|c| c.trim().is_empty());
        if record.len() < width || !extra_blank {
            self.skip(
                line,
                format!(
                    "record has {} fields but the header has {width}; row skipped",
                    record.len()
                ),
            );
        } else if record.iter().all(|c| c.trim().is_empty()) {
            self.skip(line, "empty record; row skipped".into());
        } else {
            for ((builder, name), cell) in
                self.builders.iter_mut().zip(&self.names).zip(record.iter())
            {
                if let Err(message) = builder.push(cell) {
                    self.errors.push(RowError {
                        line,
                        column: Some(name.clone()),
                        message,
                    });
                }
            }
            self.lines.push(u32::try_from(line).unwrap_or(u32::MAX));
        }
    }
}

impl Importer {
    pub fn new(bytes: Vec<u8>, options: ImportOptions) -> Result<Importer, ReadError> {
        if bytes.is_empty() {
            return Err(ReadError("the file is empty".into()));
        }
        let (mut records, mut source) = if sheet::is_xlsx(&bytes) {
            let sheet = sheet::read(bytes, options.sheet.as_deref())?;
            let count = sheet.rows.len();
            let source = SourceInfo {
                encoding: "xlsx".into(),
                delimiter: None,
                layout: String::new(),
                header_rows: 0,
                rows: 0,
                skipped: 0,
                sheets: sheet.names,
                sheet: Some(sheet.chosen),
            };
            let records = Records::Sheet {
                rows: sheet.rows.into_iter(),
                next_line: sheet.first_row,
                count,
            };
            (records, source)
        } else {
            let encoding = Encoding::sniff(&bytes);
            let prefix = encoding.decode_prefix(&bytes, PREFIX_BYTES);
            let hint = dialect::excel_sep_hint(&prefix);
            let delimiter = options
                .delimiter
                .or(hint)
                .unwrap_or_else(|| dialect::detect_delimiter(&prefix));
            let mut reader = csv::ReaderBuilder::new()
                .has_headers(false)
                .flexible(true)
                .delimiter(delimiter)
                // With csv's default CRLF terminator a record ending in `\r`
                // is reported a line early; ending records at `\n` only keeps
                // line numbers exact, at the price of stripping the `\r`.
                .terminator(csv::Terminator::Any(b'\n'))
                // Fewer, larger reads from the decoder than csv's 8 KiB.
                .buffer_capacity(1 << 16)
                .from_reader(Utf8Source::new(bytes, encoding));
            if hint.is_some() {
                let mut skip = StringRecord::new();
                reader
                    .read_record(&mut skip)
                    .map_err(|e| ReadError(e.to_string()))?;
            }
            let source = SourceInfo {
                encoding: encoding.label().into(),
                delimiter: Some(dialect::delimiter_label(delimiter).into()),
                layout: String::new(),
                header_rows: 0,
                rows: 0,
                skipped: 0,
                sheets: Vec::new(),
                sheet: None,
            };
            let records = Records::Csv {
                reader: Box::new(reader),
                crlf: dialect::uses_crlf(&prefix),
            };
            (records, source)
        };

        let mut errors = Vec::new();
        let mut ahead: Vec<(u64, StringRecord)> = Vec::new();
        let mut record = StringRecord::new();
        while ahead.len() < LAYOUT_ROWS + options.sample_records {
            match records.next(&mut record) {
                None => break,
                Some(Ok(line)) => ahead.push((line, record.clone())),
                Some(Err(e)) => errors.push(e),
            }
        }
        let head: Vec<Vec<String>> = ahead
            .iter()
            .take(LAYOUT_ROWS)
            .map(|(_, r)| r.iter().map(str::to_owned).collect())
            .collect();
        if head.is_empty() {
            return Err(ReadError("no header row found".into()));
        }
        let mut layout = layout::detect(&head);
        if layout.kind == LayoutKind::Generic && source.encoding == "xlsx" {
            layout.kind = LayoutKind::Xlsx;
        }
        source.layout = serde_json::to_value(layout.kind)
            .ok()
            .and_then(|v| v.as_str().map(str::to_owned))
            .unwrap_or_default();
        source.header_rows = layout.header_rows;

        let pending: VecDeque<(u64, StringRecord)> =
            ahead.into_iter().skip(layout.header_rows).collect();
        let columns = plan_columns(&layout, &pending, &options.roles);
        let preview = pending
            .iter()
            .map(|(_, r)| r.iter().map(str::to_owned).collect())
            .collect();
        Ok(Importer {
            records,
            source,
            columns,
            pending,
            preview,
            mask_contacts: options.mask_contacts,
            sink: None,
            early_errors: errors,
            record,
            done: false,
        })
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
        let (bytes_done, bytes_total) = self.records.progress();
        Progress {
            bytes_done: if self.done { bytes_total } else { bytes_done },
            bytes_total,
            records: self.sink.as_ref().map_or(0, |s| s.lines.len()),
            done: self.done,
        }
    }

    /// Imports up to `max_records` more records. Keep slices small (a few
    /// thousand records) in the browser so each call stays well under a frame
    /// budget.
    pub fn step(&mut self, max_records: usize) -> Progress {
        if self.sink.is_none() {
            let (rows, text) = self.expected_sizes();
            let mask = self.mask_contacts;
            self.sink = Some(Sink {
                names: self.columns.iter().map(|c| c.name.clone()).collect(),
                builders: self
                    .columns
                    .iter()
                    .zip(text)
                    .map(|(c, text)| Builder::new(c, mask, rows, text))
                    .collect(),
                lines: Vec::with_capacity(rows),
                errors: std::mem::take(&mut self.early_errors),
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
                sink.ingest(line, &record);
                continue;
            }
            match self.records.next(&mut self.record) {
                None => self.done = true,
                Some(Ok(line)) => sink.ingest(line, &self.record),
                Some(Err(e)) => sink.skip(e.line, e.message),
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
        let Records::Csv { reader, .. } = &self.records else {
            return none;
        };
        // Decoded bytes read so far (header and sample, as csv has consumed
        // them) against the whole file's, with UTF-16 taking about two
        // source bytes per decoded one.
        let consumed = reader.position().byte() as usize;
        let source = reader.get_ref();
        let total = if self.source.encoding.starts_with("utf-16") {
            source.len() / 2
        } else {
            source.len()
        };
        if consumed == 0 || self.pending.is_empty() {
            return none;
        }
        // 2 % headroom for rows a little longer than the sample's.
        let scale = total.max(consumed) as f64 / consumed as f64 * 1.02;
        let rows = (self.pending.len() as f64 * scale) as usize;
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

    /// Completes the import (reading whatever is left) and returns the data.
    pub fn finish(mut self) -> Dataset {
        while !self.done {
            self.step(usize::MAX);
        }
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
            records: self.records,
            pending: self.pending,
            errors: self.early_errors.into(),
        }
    }
}

/// Data records exactly as they stood in the file; see [`Importer::into_records`].
pub struct RawRecords {
    records: Records,
    pending: VecDeque<(u64, StringRecord)>,
    errors: VecDeque<RowError>,
}

impl Iterator for RawRecords {
    type Item = Result<(u64, StringRecord), RowError>;

    fn next(&mut self) -> Option<Self::Item> {
        if let Some(e) = self.errors.pop_front() {
            return Some(Err(e));
        }
        if let Some(item) = self.pending.pop_front() {
            return Some(Ok(item));
        }
        let mut record = StringRecord::new();
        self.records
            .next(&mut record)
            .map(|r| r.map(|line| (line, record)))
    }
}

/// Reads a whole file in one go.
pub fn import(bytes: Vec<u8>, options: ImportOptions) -> Result<Dataset, ReadError> {
    Ok(Importer::new(bytes, options)?.finish())
}

fn plan_columns(
    layout: &Layout,
    sample: &VecDeque<(u64, StringRecord)>,
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

/// Accumulates one column in its compact form while records stream past.
enum Builder {
    Score {
        scale: Scale,
        values: Vec<f32>,
    },
    Category {
        codes: Vec<u32>,
        dictionary: Vec<String>,
        index: HashMap<String, u32>,
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
    fn new(plan: &ColumnPlan, mask_contacts: bool, rows: usize, text: usize) -> Builder {
        match plan.role {
            Role::Nps | Role::Csat | Role::Ces | Role::Metric => Builder::Score {
                scale: plan.scale,
                values: Vec::with_capacity(rows),
            },
            Role::Touchpoint | Role::Channel | Role::Stage | Role::Segment => Builder::Category {
                codes: Vec::with_capacity(rows),
                dictionary: Vec::new(),
                index: HashMap::new(),
            },
            Role::Comment | Role::Customer => Builder::Text {
                text: String::with_capacity(text),
                ends: Vec::with_capacity(rows),
                mask: mask_contacts && plan.role == Role::Comment,
            },
            Role::Timestamp => Builder::Time {
                month_first: Vec::with_capacity(rows),
                day_first: None,
                evidence: DateEvidence::default(),
            },
            Role::Ignored => Builder::Skipped,
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
                index,
            } => {
                let key = cell.trim();
                let code = if key.is_empty() {
                    MISSING
                } else if let Some(&code) = index.get(key) {
                    code
                } else {
                    let code = dictionary.len() as u32;
                    dictionary.push(key.to_owned());
                    index.insert(key.to_owned(), code);
                    code
                };
                codes.push(code);
                Ok(())
            }
            Builder::Text { text, ends, mask } => {
                let cell = cell.trim();
                if *mask {
                    text.push_str(&privacy::mask_contacts(cell));
                } else {
                    text.push_str(cell);
                }
                ends.push(text.len() as u32);
                Ok(())
            }
            Builder::Time {
                month_first,
                day_first,
                evidence,
            } => {
                let reading = if cell.trim().is_empty() {
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
            text[0] >= actual && text[0] < actual * 11 / 10,
            "{} for {actual}",
            text[0]
        );
        assert_eq!(importer.finish().rows(), 5000);
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
