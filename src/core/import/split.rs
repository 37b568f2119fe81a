//! One import on two cores. The page imports the start of a file while a
//! worker imports the rest with the same plan ([`Tail`]); the worker hands
//! its rows over in batches, which the page appends once its own part is
//! read ([`Importer::join`]).
//!
//! Where to split needs care, because a line break may lie inside a quoted
//! field. [`boundary`] picks a line break after which a few lines read as
//! whole records of the header's width. The page's own reading then
//! settles it: its parser must end a record exactly there
//! ([`Stop::Reached`]). If a record runs across it instead
//! ([`Stop::Overran`]), the guess was inside a quoted field, and the page
//! reads on to the end by itself ([`Importer::read_on`]), dropping the
//! worker's rows. Either way the rows are exactly those of one reading from
//! the start.
//!
//! Only UTF-8 files are split: there a decoded offset is the file offset
//! less the byte-order mark, and a line break is always a character
//! boundary. Other encodings are rare in files large enough to matter.

use std::borrow::Cow;

use serde::{Deserialize, Serialize};

use crate::model::{Id, JourneyMap, Touchpoint};

use super::dataset::RowError;
use super::dates::DateEvidence;
use super::matching::{match_values, touchpoint_metrics, Aliases};
use super::stream::{starts_records, CsvStream, Next, Stop};
use super::{
    category_code, Builder, Dataset, Encoding, ImportOptions, Importer, ReadError, Records, Role,
    Scale, Sink,
};

/// Files smaller than this are imported by the page alone: starting a
/// worker and joining its rows would cost more than it saves.
pub const MIN_SPLIT_BYTES: usize = 8 << 20;

/// Bytes around the middle of the file that [`boundary`] looks through.
pub const WINDOW_BYTES: usize = 256 << 10;

/// Rows per batch a worker sends: about 2 MB of a typical export, so the
/// page appends a batch in a millisecond or two, and the worker's own
/// memory stays small.
pub const BATCH_RECORDS: usize = 16 << 10;

/// Lines after a candidate break that must read as whole records.
const CHECKED_RECORDS: usize = 3;

/// The offset in `window` just after the first line break that starts
/// three records (`CHECKED_RECORDS`) of `width` fields, each ending at a line
/// break. `None` when no break in the window qualifies.
pub fn boundary(window: &[u8], delimiter: u8, width: usize) -> Option<usize> {
    let mut from = 0;
    while let Some(k) = window[from..].iter().position(|&b| b == b'\n') {
        let start = from + k + 1;
        from = start;
        let rest = &window[start..];
        let text = match std::str::from_utf8(rest) {
            Ok(text) => text,
            Err(e) => std::str::from_utf8(&rest[..e.valid_up_to()]).unwrap_or_default(),
        };
        if starts_records(text, delimiter, width, CHECKED_RECORDS) {
            return Some(start);
        }
    }
    None
}

/// What a worker needs to import the rest of a file as the page would.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TailPlan {
    pub delimiter: u8,
    pub mask_contacts: bool,
    pub columns: Vec<(String, Role, Scale)>,
}

impl TailPlan {
    pub fn to_bytes(&self) -> Vec<u8> {
        serde_json::to_vec(self).expect("a plan is plain data")
    }

    pub fn from_bytes(bytes: &[u8]) -> Result<TailPlan, ReadError> {
        serde_json::from_slice(bytes).map_err(|e| ReadError(format!("import plan: {e}")))
    }
}

impl Importer {
    /// Leaves the file from byte `offset` on (just after a line break, see
    /// [`boundary`]) to a worker, and returns the plan to give it. `None`
    /// when this import cannot be split: not UTF-8 text, not planned yet,
    /// or already read past `offset`.
    pub fn split_at(&mut self, offset: usize) -> Option<TailPlan> {
        let plan = self.tail_plan(offset)?;
        let bom = self.bom()?;
        let Records::Csv(stream) = &mut self.input.records else {
            return None;
        };
        stream.stop_at(offset - bom);
        if stream.stop() == Stop::Overran {
            stream.read_on();
            return None;
        }
        Some(plan)
    }

    /// The plan [`Importer::split_at`] would return for `offset` with the
    /// roles and masking chosen so far, without setting the split: a
    /// worker may start on it while the user reviews, and is kept if
    /// Import is clicked with the same plan.
    pub fn tail_plan(&self, offset: usize) -> Option<TailPlan> {
        let bom = self.bom()?;
        let Records::Csv(stream) = &self.input.records else {
            return None;
        };
        if !self.planned || stream.malformed() || offset <= bom || offset >= stream.total() {
            return None;
        }
        Some(TailPlan {
            delimiter: stream.delimiter(),
            mask_contacts: self.mask_contacts,
            columns: self
                .columns
                .iter()
                .map(|c| (c.name.clone(), c.role, c.scale))
                .collect(),
        })
    }

    /// The byte-order mark's length; `None` when the file is not UTF-8,
    /// and so is not split.
    fn bom(&self) -> Option<usize> {
        match self.source.encoding.as_str() {
            "utf-8" => Some(0),
            "utf-8-bom" => Some(3),
            _ => None,
        }
    }

    /// The [`boundary`] in `window`, the file's bytes from `window_at` on,
    /// as an offset in the file for [`Importer::split_at`].
    pub fn boundary_in(&self, window: &[u8], window_at: usize) -> Option<usize> {
        let Records::Csv(stream) = &self.input.records else {
            return None;
        };
        Some(window_at + boundary(window, stream.delimiter(), self.columns.len())?)
    }

    /// How the split set by [`Importer::split_at`] turned out so far.
    pub fn split(&self) -> Stop {
        match &self.input.records {
            Records::Csv(stream) => stream.stop(),
            _ => Stop::None,
        }
    }

    /// Gives up the split: the page reads the rest of the file itself.
    pub fn read_on(&mut self) {
        if let Records::Csv(stream) = &mut self.input.records {
            if stream.stop() != Stop::None {
                stream.read_on();
                self.done = false;
            }
        }
    }

    /// Appends a batch a [`Tail`] made, in the order the worker made them,
    /// once this importer stopped at the split ([`Stop::Reached`]).
    pub fn join(&mut self, batch: &[u8]) -> Result<(), ReadError> {
        let Records::Csv(stream) = &self.input.records else {
            return Err(ReadError("only a text file is split".into()));
        };
        if stream.stop() != Stop::Reached {
            return Err(ReadError("the import has not reached the split".into()));
        }
        // The worker counts lines from 1 at the split.
        let lines_before = stream.line() - 1;
        let sink = self
            .sink
            .as_mut()
            .ok_or_else(|| ReadError("the import has not started".into()))?;
        if self.joined.is_empty() {
            self.joined = vec![Vec::new(); sink.builders.len()];
        }
        append(sink, &mut self.joined, lines_before, batch)
            .map_err(|e| ReadError(format!("the worker's rows could not be read: {e}")))
    }
}

/// What [`Tail::step`] stopped at.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TailStep {
    NeedInput,
    /// A batch is full: take it with [`Tail::take_batch`].
    Batch,
    /// The end of the file; the last batch is ready.
    End,
    /// The bytes are not UTF-8 after all: the page must import the whole
    /// file again as Windows-1252.
    Misread,
}

/// The worker's side: imports the file from the split on, in batches.
pub struct Tail {
    stream: CsvStream,
    sink: Sink,
    /// Category values already sent, per column.
    sent: Vec<usize>,
}

impl Tail {
    /// `total`: bytes from the split to the end of the file.
    pub fn new(plan: &TailPlan, total: usize) -> Tail {
        Tail {
            stream: CsvStream::resumed(total, plan.delimiter),
            sink: Sink {
                names: plan.columns.iter().map(|(n, ..)| n.clone()).collect(),
                builders: plan
                    .columns
                    .iter()
                    .map(|&(_, role, scale)| Builder::new(role, scale, plan.mask_contacts, 0, 0))
                    .collect(),
                lines: Vec::new(),
                errors: Vec::new(),
                skipped: 0,
            },
            sent: vec![0; plan.columns.len()],
        }
    }

    /// The next bytes, in order; an empty chunk ends the input early.
    pub fn push(&mut self, chunk: &[u8]) {
        self.stream.push(chunk);
    }

    pub fn step(&mut self) -> TailStep {
        loop {
            if self.stream.malformed() {
                return TailStep::Misread;
            }
            if self.sink.lines.len() >= BATCH_RECORDS {
                return TailStep::Batch;
            }
            match self.stream.read() {
                Next::Record(line) => self.sink.ingest(line, self.stream.record()),
                Next::NeedInput => return TailStep::NeedInput,
                Next::End if self.stream.malformed() => return TailStep::Misread,
                Next::End => return TailStep::End,
            }
        }
    }

    /// The rows imported since the last batch, laid out for [`Importer::join`].
    pub fn take_batch(&mut self) -> Vec<u8> {
        let sink = &mut self.sink;
        // Sized up front: grown as it was written, the batch was copied
        // over and over, 9 ms of the worker's part of a 500 000-row file.
        let size = batch_bytes(sink, &self.sent);
        let mut out = Out(Vec::with_capacity(size));
        let rows = sink.lines.len();
        out.u32(rows as u32);
        sink.lines.iter().for_each(|&l| out.u32(l));
        out.u32(sink.skipped as u32);
        out.u32(sink.errors.len() as u32);
        for e in &sink.errors {
            out.u64(e.line);
            match &e.column {
                Some(name) => {
                    out.u8(1);
                    out.str(name);
                }
                None => out.u8(0),
            }
            out.str(&e.message);
        }
        sink.lines.clear();
        sink.errors.clear();
        sink.skipped = 0;
        for (builder, sent) in sink.builders.iter_mut().zip(&mut self.sent) {
            match builder {
                Builder::Score { values, .. } => {
                    values.iter().for_each(|&v| out.f32(v));
                    values.clear();
                }
                Builder::Category {
                    codes, dictionary, ..
                } => {
                    out.u32((dictionary.len() - *sent) as u32);
                    dictionary[*sent..].iter().for_each(|v| out.str(v));
                    *sent = dictionary.len();
                    codes.iter().for_each(|&c| out.u32(c));
                    codes.clear();
                }
                Builder::Text { text, ends, .. } => {
                    out.str(text);
                    ends.iter().for_each(|&e| out.u32(e));
                    text.clear();
                    ends.clear();
                }
                Builder::Time {
                    month_first,
                    day_first,
                    evidence,
                } => {
                    out.u8(u8::from(day_first.is_some()));
                    month_first.iter().for_each(|&v| out.f64(v));
                    month_first.clear();
                    if let Some(day_first) = day_first {
                        day_first.iter().for_each(|&v| out.f64(v));
                        day_first.clear();
                    }
                    out.u32(evidence.month_first_only as u32);
                    out.u32(evidence.day_first_only as u32);
                    out.u32(evidence.either as u32);
                    *evidence = DateEvidence::default();
                }
                Builder::Skipped => {}
            }
        }
        // Checked by every split import of the tests.
        debug_assert_eq!(out.0.len(), size, "batch_bytes disagrees with the batch");
        out.0
    }
}

/// The bytes [`Tail::take_batch`] writes for what `sink` holds, `sent`
/// of each category column's values having been sent before.
fn batch_bytes(sink: &Sink, sent: &[usize]) -> usize {
    let rows = sink.lines.len();
    let str_bytes = |s: &str| 4 + s.len();
    let errors: usize = sink
        .errors
        .iter()
        .map(|e| 9 + e.column.as_deref().map_or(0, str_bytes) + str_bytes(&e.message))
        .sum();
    let columns: usize = sink
        .builders
        .iter()
        .zip(sent)
        .map(|(builder, &sent)| match builder {
            Builder::Score { .. } => rows * 4,
            Builder::Category { dictionary, .. } => {
                let added: usize = dictionary[sent..].iter().map(|v| str_bytes(v)).sum();
                4 + added + rows * 4
            }
            Builder::Text { text, .. } => str_bytes(text) + rows * 4,
            Builder::Time { day_first, .. } => {
                13 + rows * 8 * (1 + usize::from(day_first.is_some()))
            }
            Builder::Skipped => 0,
        })
        .sum();
    12 + rows * 4 + errors + columns
}

/// One column of a batch, borrowed from its bytes.
enum Part<'a> {
    Score(&'a [u8]),
    Category {
        added: Vec<&'a str>,
        codes: &'a [u8],
    },
    Text {
        text: &'a str,
        ends: &'a [u8],
    },
    Time {
        month_first: &'a [u8],
        day_first: Option<&'a [u8]>,
        evidence: DateEvidence,
    },
    Skipped,
}

/// Appends a batch's rows to `sink`, translating the worker's category codes
/// through `known` (per column: worker code to the page's), which learns
/// the values each batch adds. The whole batch is read and checked before
/// anything is appended, so a batch that does not read changes nothing.
fn append(
    sink: &mut Sink,
    known: &mut [Vec<u32>],
    lines_before: u64,
    batch: &[u8],
) -> Result<(), String> {
    let mut r = In(batch);
    let rows = r.u32()? as usize;
    let lines = r.items(rows, 4)?;
    let skipped = r.u32()? as usize;
    let mut errors = Vec::new();
    for _ in 0..r.u32()? {
        let line = r.u64()?.saturating_add(lines_before);
        let column = match r.u8()? {
            0 => None,
            _ => Some(r.str()?.to_owned()),
        };
        let message = r.str()?.to_owned();
        errors.push(RowError {
            line,
            column,
            message,
        });
    }
    let mut parts = Vec::with_capacity(sink.builders.len());
    for (builder, known) in sink.builders.iter().zip(known.iter()) {
        parts.push(match builder {
            Builder::Score { .. } => Part::Score(r.items(rows, 4)?),
            Builder::Category { .. } => {
                let added = (0..r.u32()?)
                    .map(|_| r.str())
                    .collect::<Result<Vec<_>, _>>()?;
                let codes = r.items(rows, 4)?;
                let sent = known.len() + added.len();
                if let Some(code) = codes
                    .chunks_exact(4)
                    .map(le32)
                    .find(|&c| c != super::MISSING && c as usize >= sent)
                {
                    return Err(format!("category code {code} was never sent"));
                }
                Part::Category { added, codes }
            }
            Builder::Text { .. } => {
                let text = r.str()?;
                let ends = r.items(rows, 4)?;
                if let Some(end) = ends
                    .chunks_exact(4)
                    .map(le32)
                    .find(|&e| e as usize > text.len())
                {
                    return Err(format!("text end {end} past the batch's text"));
                }
                Part::Text { text, ends }
            }
            Builder::Time { .. } => {
                let has_day_first = r.u8()? != 0;
                let month_first = r.items(rows, 8)?;
                let day_first = if has_day_first {
                    Some(r.items(rows, 8)?)
                } else {
                    None
                };
                Part::Time {
                    month_first,
                    day_first,
                    evidence: DateEvidence {
                        month_first_only: r.u32()? as usize,
                        day_first_only: r.u32()? as usize,
                        either: r.u32()? as usize,
                    },
                }
            }
            Builder::Skipped => Part::Skipped,
        });
    }
    if !r.0.is_empty() {
        return Err(format!("{} bytes left over", r.0.len()));
    }

    sink.lines.extend(lines.chunks_exact(4).map(|b| {
        u32::try_from(u64::from(le32(b)).saturating_add(lines_before)).unwrap_or(u32::MAX)
    }));
    sink.skipped += skipped;
    sink.errors.append(&mut errors);
    for ((builder, known), part) in sink.builders.iter_mut().zip(known).zip(parts) {
        match (builder, part) {
            (Builder::Score { values, .. }, Part::Score(bytes)) => {
                values.extend(bytes.chunks_exact(4).map(|b| f32::from_bits(le32(b))));
            }
            (
                Builder::Category {
                    codes,
                    dictionary,
                    sketches,
                    index,
                    recent,
                },
                Part::Category { added, codes: sent },
            ) => {
                for value in added {
                    known.push(category_code(dictionary, sketches, index, recent, value));
                }
                codes.extend(sent.chunks_exact(4).map(le32).map(|c| {
                    if c == super::MISSING {
                        c
                    } else {
                        known[c as usize]
                    }
                }));
            }
            (
                Builder::Text { text, ends, .. },
                Part::Text {
                    text: added,
                    ends: sent,
                },
            ) => {
                let base = text.len() as u32;
                text.push_str(added);
                ends.extend(sent.chunks_exact(4).map(|b| base + le32(b)));
            }
            (
                Builder::Time {
                    month_first,
                    day_first,
                    evidence,
                },
                Part::Time {
                    month_first: month,
                    day_first: day,
                    evidence: added,
                },
            ) => {
                if day.is_some() && day_first.is_none() {
                    *day_first = Some(month_first.clone());
                }
                if let Some(day_first) = day_first {
                    day_first.extend(floats(day.unwrap_or(month)));
                }
                month_first.extend(floats(month));
                evidence.month_first_only += added.month_first_only;
                evidence.day_first_only += added.day_first_only;
                evidence.either += added.either;
            }
            _ => {}
        }
    }
    Ok(())
}

#[inline(always)]
fn floats(b: &[u8]) -> impl Iterator<Item = f64> + '_ {
    b.chunks_exact(8)
        .map(|b| f64::from_le_bytes(b.try_into().expect("chunks of 8")))
}

#[inline(always)]
fn le32(b: &[u8]) -> u32 {
    u32::from_le_bytes(b.try_into().expect("chunks of 4"))
}

/// A batch being written, little-endian.
struct Out(Vec<u8>);

impl Out {
    fn u8(&mut self, v: u8) {
        self.0.push(v);
    }
    fn u32(&mut self, v: u32) {
        self.0.extend_from_slice(&v.to_le_bytes());
    }
    fn u64(&mut self, v: u64) {
        self.0.extend_from_slice(&v.to_le_bytes());
    }
    fn f32(&mut self, v: f32) {
        self.u32(v.to_bits());
    }
    fn f64(&mut self, v: f64) {
        self.u64(v.to_bits());
    }
    fn str(&mut self, v: &str) {
        self.u32(v.len() as u32);
        self.0.extend_from_slice(v.as_bytes());
    }
}

/// A batch being read; every read checks that the bytes are there.
struct In<'a>(&'a [u8]);

impl<'a> In<'a> {
    /// `count` items of `size` bytes.
    fn items(&mut self, count: usize, size: usize) -> Result<&'a [u8], String> {
        let n = count
            .checked_mul(size)
            .ok_or_else(|| format!("{count} items cannot be in a batch"))?;
        self.take(n)
    }
    fn take(&mut self, n: usize) -> Result<&'a [u8], String> {
        if n > self.0.len() {
            return Err(format!("{n} bytes wanted, {} left", self.0.len()));
        }
        let (head, rest) = self.0.split_at(n);
        self.0 = rest;
        Ok(head)
    }
    fn u8(&mut self) -> Result<u8, String> {
        Ok(self.take(1)?[0])
    }
    fn u32(&mut self) -> Result<u32, String> {
        Ok(le32(self.take(4)?))
    }
    fn u64(&mut self) -> Result<u64, String> {
        Ok(u64::from_le_bytes(
            self.take(8)?.try_into().expect("8 bytes"),
        ))
    }
    /// Checked with encoding_rs, whose validation uses wasm SIMD: the
    /// standard library's took 3.8 ms of the 11.5 a 500 000-row file's
    /// join took in wasm, most of it on the worker's comments.
    fn str(&mut self) -> Result<&'a str, String> {
        let n = self.u32()? as usize;
        let bytes = self.take(n)?;
        match encoding_rs::UTF_8.decode_without_bom_handling_and_without_replacement(bytes) {
            Some(Cow::Borrowed(text)) => Ok(text),
            _ => Err("text that is not UTF-8".into()),
        }
    }
}

/// An import that takes every path a large one does, the page's and the
/// worker's (a comment with quotes, a line break and an email to mask, a
/// timestamp, scores, categories, the file handed over in chunks, a
/// split, the worker's batches joined, the metrics and the touchpoint
/// links), run once a tab by a worker of its own while nobody waits for it.
///
/// The browser compiles wasm code for speed only once a function has run a
/// while, and then on the same two cores the import needs. Traced in
/// Chromium, a first import in a tab spent about 130 ms of processor time
/// compiling (the chunk pushing, the record loop, the planning, the join,
/// the tallies) that a second import did not; a rehearsal too small to use
/// up each function's budget left most of it to the import. The worker
/// shares the page's compiled module, so what it optimises, the page runs
/// optimised too.
pub fn rehearse() -> Option<Dataset> {
    let mut file =
        String::from("Submitted,Touchpoint,Channel,NPS,Satisfaction,Effort,Customer,Comment\n");
    let comments = [
        "fine",
        "\"slow, \"\"very\"\" slow\"",
        "\"two\nlines\"",
        "mail me at a@b.example",
    ];
    for i in 0..REHEARSAL_RECORDS {
        file.push_str(&format!(
            "2024-{:02}-{:02}T10:{:02}:00Z,tp{},ch{},{},{},{},C{:06},{}\n",
            1 + i % 12,
            1 + i % 28,
            i % 60,
            i % 7,
            i % 3,
            i % 11,
            1 + i % 5,
            1 + i % 7,
            i * 7919 % 1_000_000,
            comments[i % comments.len()],
        ));
    }
    let bytes = file.into_bytes();
    let total = bytes.len();
    for _ in 0..REHEARSAL_PLANS {
        let mut planned = Importer::streaming(Encoding::Utf8, total, ImportOptions::default());
        planned.push(&bytes[..REHEARSAL_CHUNK]).ok()?;
    }
    let middle = total / 2;
    let mut page = Importer::streaming(Encoding::Utf8, total, ImportOptions::default());
    let mut plan = None;
    loop {
        if let Some(at) = page.wants_input() {
            page.push(&bytes[at..(at + REHEARSAL_CHUNK).min(total)])
                .ok()?;
        }
        if plan.is_none() && page.is_planned() {
            let offset = page.boundary_in(&bytes[middle..], middle)?;
            plan = Some((page.split_at(offset)?, offset));
        }
        let done = page.step(REHEARSAL_STEP).done;
        if page.split() == Stop::Reached {
            break;
        }
        if done {
            return None;
        }
    }
    let (plan, offset) = plan?;
    let mut tail = Tail::new(&plan, total - offset);
    let mut at = offset;
    loop {
        match tail.step() {
            TailStep::NeedInput => {
                let end = (at + REHEARSAL_CHUNK).min(total);
                tail.push(&bytes[at..end]);
                at = end;
            }
            TailStep::Batch => page.join(&tail.take_batch()).ok()?,
            TailStep::End => break,
            TailStep::Misread => return None,
        }
    }
    page.join(&tail.take_batch()).ok()?;
    let data = page.finish();
    crate::analytics::metrics(&data);
    let mut map = JourneyMap::new(Id::new("rehearsal"), "", 0.0);
    map.touchpoints = (0..7)
        .map(|i| Touchpoint {
            id: Id::new(format!("t{i}")),
            feedback_key: format!("tp{i}"),
            ..Touchpoint::default()
        })
        .collect();
    let aliases = Aliases::default();
    match_values(&data, &map, &aliases);
    touchpoint_metrics(&data, &map, &aliases);
    Some(data)
}

/// Enough rows to use up the budget after which the browser optimises each
/// function of the record loop (some 2.4 MB; 4000 rows were too few), yet
/// done in a few hundred milliseconds, well before most users pick a file.
const REHEARSAL_RECORDS: usize = 30_000;

/// Chunks and steps small enough that the functions run once per chunk or
/// step are called often enough to be optimised.
const REHEARSAL_CHUNK: usize = 64 << 10;
const REHEARSAL_STEP: usize = 100;

/// Plannings of the rehearsal's first chunk: planning runs once an import,
/// and its code was still being optimised during the first import with one.
const REHEARSAL_PLANS: usize = 12;

// Native only: proptest has no wasm32 backend here.
#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::import::{import, Dataset, Encoding, ImportOptions};
    use proptest::prelude::*;

    /// A small sample, so the planning reads little and most offsets are
    /// still ahead when the split is set.
    fn options() -> ImportOptions {
        ImportOptions {
            sample_records: 5,
            ..ImportOptions::default()
        }
    }

    /// Imports `file` as the page and a worker would, split at `offset`
    /// and read in chunks of `chunk` bytes; `fail` makes the worker give up
    /// after the page reached the split, so the page reads on alone.
    fn split_import(file: &[u8], offset: usize, chunk: usize, fail: bool) -> (Dataset, Stop) {
        let mut page = Importer::streaming(Encoding::sniff(file), file.len(), options());
        let mut read = 0;
        while !page.is_planned() {
            let to = file.len().min(read + chunk);
            page.push(&file[read..to]).unwrap();
            read = to;
        }
        let plan = page.split_at(offset);
        loop {
            let progress = page.step(100);
            if progress.done {
                break;
            }
            if let Some(from) = page.wants_input() {
                page.push(&file[from..file.len().min(from + chunk)])
                    .unwrap();
            }
        }
        let stop = page.split();
        if stop == Stop::Reached {
            if fail {
                page.read_on();
            } else {
                let mut tail = Tail::new(&plan.expect("a plan"), file.len() - offset);
                let mut at = offset;
                loop {
                    match tail.step() {
                        TailStep::NeedInput => {
                            tail.push(&file[at..file.len().min(at + chunk)]);
                            at = file.len().min(at + chunk);
                        }
                        TailStep::Batch => page.join(&tail.take_batch()).unwrap(),
                        TailStep::End => {
                            page.join(&tail.take_batch()).unwrap();
                            break;
                        }
                        TailStep::Misread => panic!("valid UTF-8 read as misread"),
                    }
                }
            }
        }
        (page.finish(), stop)
    }

    fn same(a: &Dataset, b: &Dataset) -> bool {
        serde_json::to_string(a).unwrap() == serde_json::to_string(b).unwrap()
    }

    /// A file of `rows` records that exercises every column kind: quoted
    /// comments with line breaks and contacts, categories, scores with
    /// labels and bad values, day-first dates, ragged and blank rows.
    fn file(rows: &[u32], bom: bool) -> Vec<u8> {
        let mut out = String::new();
        if bom {
            out.push('\u{feff}');
        }
        out.push_str("Submitted,Touchpoint,NPS,Satisfaction,Comment,Customer\n");
        let touchpoints = ["web", "app", "store", "chat", ""];
        let comments = [
            "fine",
            "\"slow, \"\"very\"\" slow\"",
            "\"two\nlines, café\"",
            "mail me at a@b.example",
            "\"x\ny\nz\"",
        ];
        let sat = ["Very satisfied", "4", "2", "", "Dissatisfied", "9"];
        for (i, r) in rows.iter().enumerate() {
            let r = *r as usize;
            if r % 17 == 3 {
                out.push_str("just,three,fields\n");
                continue;
            }
            if r % 19 == 5 {
                out.push('\n');
            }
            out.push_str(&format!(
                "{}/{}/2024 10:{:02}:00,{},{},{},{},c{}\n",
                1 + r % 28,
                1 + r % 12,
                i % 60,
                touchpoints[r % 5],
                if r % 23 == 7 {
                    "eleven".into()
                } else {
                    (r % 11).to_string()
                },
                sat[r % 6],
                comments[r % 5],
                r % 97,
            ));
        }
        out.into_bytes()
    }

    proptest! {
        /// Split anywhere at all (inside quoted fields too) and read in any
        /// chunks, the data is exactly that of one reading from the start.
        #[test]
        fn a_split_import_equals_one_reading(
            rows in proptest::collection::vec(0u32..10_000, 1..120),
            at in 0.0f64..1.0,
            chunk in 1usize..300,
            bom in any::<bool>(),
            fail in any::<bool>(),
        ) {
            let file = file(&rows, bom);
            let whole = import(file.clone(), options()).unwrap();
            let breaks: Vec<usize> = (0..file.len()).filter(|&i| file[i] == b'\n').map(|i| i + 1).collect();
            let offset = breaks[((breaks.len() - 1) as f64 * at) as usize];
            let (split, _) = split_import(&file, offset, chunk, fail);
            prop_assert!(same(&split, &whole));
        }
    }

    #[test]
    fn the_boundary_skips_line_breaks_inside_quotes() {
        let rows: Vec<u32> = (0..400).map(|i| i * 7 + 2).collect();
        let file = file(&rows, false);
        let width = 6;
        let mut reached = 0;
        for from in (3000..file.len() - 4096).step_by(997) {
            let window = &file[from..from + 4096];
            let Some(k) = boundary(window, b',', width) else {
                continue;
            };
            let (split, stop) = split_import(&file, from + k, 512, false);
            assert_eq!(
                stop,
                Stop::Reached,
                "a guess at {} was inside a record",
                from + k
            );
            assert!(same(&split, &import(file.clone(), options()).unwrap()));
            reached += 1;
        }
        assert!(reached > 10);
    }

    #[test]
    fn a_split_inside_a_quoted_field_is_read_on() {
        let mut file = b"Comment,NPS\n".to_vec();
        for _ in 0..40 {
            file.extend_from_slice(b"\"a\nb\",9\nok,7\n");
        }
        let inside = file.len() - 10;
        assert_eq!(&file[inside - 2..inside], b"a\n");
        let (split, stop) = split_import(&file, inside, 4, false);
        assert_eq!(stop, Stop::Overran);
        assert_eq!(split.rows(), 80);
    }

    #[test]
    fn the_rehearsal_takes_the_split_path() {
        let data = rehearse().expect("the rehearsal splits");
        assert_eq!(data.rows(), REHEARSAL_RECORDS);
        assert_eq!(data.columns[7].text(2), Some("two\nlines"));
        assert_eq!(data.columns[7].text(3), Some("mail me at [email]"));
    }

    #[test]
    fn only_utf8_text_is_split() {
        let file = encoding_rs::WINDOWS_1252
            .encode("Comment,NPS\ncaf\u{e9},9\nok,7\n")
            .0
            .into_owned();
        let mut page = Importer::new(file, options()).unwrap();
        assert_eq!(page.split_at(18), None);
    }

    #[test]
    fn a_tail_plan_is_the_split_plan_without_the_split() {
        let mut file = b"Comment,NPS\n".to_vec();
        file.extend_from_slice(&b"fine,9\nok,7\n".repeat(20));
        // After ten pairs of records.
        let offset = 12 + 10 * 12;
        let mut page = Importer::new(file, options()).unwrap();
        let guessed = page.tail_plan(offset).expect("a plan");
        assert_eq!(page.split(), Stop::None);
        page.set_role(1, Role::Metric).unwrap();
        let chosen = page.tail_plan(offset).expect("a plan");
        assert_ne!(chosen, guessed);
        page.set_mask_contacts(!chosen.mask_contacts).unwrap();
        let masked = page.tail_plan(offset).expect("a plan");
        assert_ne!(masked, chosen);
        assert_eq!(page.split_at(offset), Some(masked));
        assert_eq!(page.split(), Stop::Pending(offset));
    }

    #[test]
    fn a_batch_that_does_not_read_is_an_error_not_a_panic() {
        let mut file = b"Comment,NPS\n".to_vec();
        file.extend_from_slice(&b"fine,9\nok,7\n".repeat(20));
        let mut page = Importer::new(file.clone(), options()).unwrap();
        let offset = file.len() - 5;
        let plan = page.split_at(offset).unwrap();
        page.step(usize::MAX);
        assert_eq!(page.split(), Stop::Reached);
        let mut tail = Tail::new(&plan, 5);
        tail.push(&file[offset..]);
        assert_eq!(tail.step(), TailStep::End);
        let batch = tail.take_batch();
        for cut in 0..batch.len() {
            assert!(page.join(&batch[..cut]).is_err(), "cut at {cut}");
        }
        let mut wrong = batch.clone();
        wrong[0] = 0xFF;
        assert!(page.join(&wrong).is_err());
        let mut garbled = batch.clone();
        let text = batch
            .windows(2)
            .position(|w| w == b"ok")
            .expect("the comment");
        garbled[text] = 0xFF;
        assert!(page
            .join(&garbled)
            .is_err_and(|e| e.to_string().contains("not UTF-8")));
        page.join(&batch).unwrap();
        assert_eq!(page.finish().rows(), 40);
    }
}
