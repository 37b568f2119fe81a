//! The comments explorer: every comment of a map's datasets, found by words
//! and phrases, narrowed like the map's figures and by touchpoint, stage,
//! lane, score band, sentiment and date, and sorted.
//!
//! A search has to answer over 500 000 comments while the user types, so
//! [`CommentIndex`] is built once per set of datasets: a flat, lowercased
//! copy of all comment text with one end offset per comment, and per
//! comment only its row and column (no `String` per comment, whose header
//! alone would cost more than most comments). A word is then found by one
//! SIMD substring scan over that copy, not by a search per comment.
//!
//! Comments are shown as the dataset holds them: contact details masked at
//! import stay masked, since nothing here reads the file again.

use std::cmp::Reverse;
use std::ops::Range;

use memchr::memmem::Finder;
use serde::{Deserialize, Serialize};

use super::dates::date_column;
use super::journey::{Filter, Selection, Source, UNDATED};
use crate::import::dates::format_iso;
use crate::import::{ColumnData, Dataset, Role, Scale};
use crate::model::JourneyMap;
use crate::sentiment::{compound_of, is_comment, pairs, Label};

/// The three fixed-scale metrics a row's band is read from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Metric {
    Nps,
    Csat,
    Ces,
}

impl Metric {
    /// `None` for an open scale, which has no bands.
    pub fn of(scale: Scale) -> Option<Metric> {
        match scale {
            Scale::Nps => Some(Metric::Nps),
            Scale::Csat5 | Scale::GoodBad => Some(Metric::Csat),
            Scale::Ces7 => Some(Metric::Ces),
            Scale::Open => None,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Metric::Nps => "NPS",
            Metric::Csat => "CSAT",
            Metric::Ces => "CES",
        }
    }
}

/// Where an answer falls on its scale: the unhappy end, the middle or the
/// happy end.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    Low,
    Middle,
    High,
}

/// A score band as practitioners name it (detractor, satisfied, easy…).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Band {
    pub metric: Metric,
    pub level: Level,
}

impl Band {
    /// Every band, NPS first, each metric from its low end: the order of a
    /// band picker.
    pub const ALL: [Band; 9] = {
        let metrics = [Metric::Nps, Metric::Csat, Metric::Ces];
        let levels = [Level::Low, Level::Middle, Level::High];
        let mut all = [Band {
            metric: Metric::Nps,
            level: Level::Low,
        }; 9];
        let mut i = 0;
        while i < 9 {
            all[i] = Band {
                metric: metrics[i / 3],
                level: levels[i % 3],
            };
            i += 1;
        }
        all
    };

    /// The bands the dashboard counts by: NPS detractor 0–6, passive 7–8,
    /// promoter 9–10; CSAT on 1–5 dissatisfied 1–2, neutral 3, satisfied
    /// 4–5 (the top two boxes the CSAT share counts), good/bad only bad or
    /// good; CES on its 1–7 agreement scale ("the company made it easy")
    /// difficult 1–3, neutral 4, easy 5–7 (the agreement CES counts).
    pub fn of(score: Score) -> Option<Band> {
        let v = score.value;
        let level = match score.scale {
            Scale::Nps => match v {
                v if v >= 9.0 => Level::High,
                v if v >= 7.0 => Level::Middle,
                _ => Level::Low,
            },
            Scale::Csat5 => match v {
                v if v >= 4.0 => Level::High,
                v if v > 2.0 => Level::Middle,
                _ => Level::Low,
            },
            Scale::GoodBad if v >= 1.0 => Level::High,
            Scale::GoodBad => Level::Low,
            Scale::Ces7 => match v {
                v if v >= 5.0 => Level::High,
                v if v > 3.0 => Level::Middle,
                _ => Level::Low,
            },
            Scale::Open => return None,
        };
        Some(Band {
            metric: Metric::of(score.scale)?,
            level,
        })
    }

    pub fn label(self) -> &'static str {
        match (self.metric, self.level) {
            (Metric::Nps, Level::Low) => "detractor",
            (Metric::Nps, Level::Middle) => "passive",
            (Metric::Nps, Level::High) => "promoter",
            (Metric::Csat, Level::Low) => "dissatisfied",
            (Metric::Csat, Level::High) => "satisfied",
            (Metric::Ces, Level::Low) => "difficult",
            (Metric::Ces, Level::High) => "easy",
            (_, Level::Middle) => "neutral",
        }
    }
}

/// One answer with the scale it was given on, which its band and its
/// reading (good/bad is 1/0) depend on.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Score {
    pub scale: Scale,
    pub value: f64,
}

impl Score {
    pub fn band(self) -> Option<Band> {
        Band::of(self)
    }

    /// 0 at the scale's unhappy end to 1 at its happy end, so answers on
    /// different scales (NPS 0, CSAT 1) sort together by how unhappy they
    /// are.
    fn position(self) -> Option<f64> {
        let (lo, hi) = self.scale.range()?;
        Some((self.value - lo) / (hi - lo))
    }
}

/// A dataset's first NPS, CSAT and CES columns, in the order a row's band
/// is read from, looked up once rather than per row.
pub(crate) struct ScoreColumns<'a>(Vec<(Scale, &'a [f32])>);

impl<'a> ScoreColumns<'a> {
    pub(crate) fn of(data: &'a Dataset) -> Self {
        let columns = [Role::Nps, Role::Csat, Role::Ces]
            .into_iter()
            .filter_map(|role| match data.column(role).map(|c| &c.data) {
                Some(ColumnData::Score { scale, values }) => Some((*scale, values.as_slice())),
                _ => None,
            })
            .collect();
        ScoreColumns(columns)
    }

    /// The row's answers, NPS first.
    pub(crate) fn scores(&self, row: usize) -> impl Iterator<Item = Score> + '_ {
        self.0.iter().filter_map(move |&(scale, values)| {
            let v = *values.get(row)?;
            (!v.is_nan()).then(|| Score {
                scale,
                value: f64::from(v),
            })
        })
    }
}

/// The answer a row is banded and sorted by: its first of NPS, CSAT and
/// CES, in that order.
pub fn row_score(data: &Dataset, row: usize) -> Option<Score> {
    ScoreColumns::of(data).scores(row).next()
}

/// How search results are ordered. Comments without the value (undated,
/// unscored) come last either way; ties keep file order.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Sort {
    /// Dataset by dataset, row by row, comment column by column.
    #[default]
    File,
    /// By the row's timestamp.
    Date,
    /// By the row's answer ([`row_score`]) placed on its scale, so NPS 0
    /// and CSAT 1 both sort as the unhappiest.
    Score,
    /// By the comment's compound.
    Sentiment,
    /// By characters.
    Length,
}

impl Sort {
    pub const ALL: [Sort; 5] = [
        Sort::File,
        Sort::Date,
        Sort::Score,
        Sort::Sentiment,
        Sort::Length,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Sort::File => "file order",
            Sort::Date => "date",
            Sort::Score => "score",
            Sort::Sentiment => "sentiment",
            Sort::Length => "length",
        }
    }
}

/// What the explorer asks for. Every field narrows; the default finds every
/// comment in file order.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Query {
    /// Words and `"quoted phrases"`, all of which must appear ([`terms`]).
    pub text: String,
    /// Indexes into the map's `touchpoints`, `channels` and `stages`, as
    /// [`RowIndex`](super::journey::RowIndex) places rows.
    pub touchpoint: Option<u32>,
    pub channel: Option<u32>,
    pub stage: Option<u32>,
    /// The band of the row's answer ([`row_score`]).
    pub band: Option<Band>,
    /// The comment's own sentiment; unscored comments have none.
    pub label: Option<Label>,
    /// First and last day (days since 1970) included; with either set,
    /// undated comments are left out.
    pub from: Option<i32>,
    pub to: Option<i32>,
    pub sort: Sort,
    pub descending: bool,
}

/// Where one comment is: `data.columns[column]` of row `row` of the
/// `source`-th dataset, scored by `data.columns[sentiment]` when scored.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CommentRef {
    pub source: usize,
    pub row: usize,
    pub column: usize,
    pub sentiment: Option<usize>,
}

/// One dataset's share of the index.
#[derive(Clone, Debug, Default)]
struct Indexed {
    /// Its first entry; its entries run to the next dataset's first.
    first: u32,
    /// Its comment columns with their sentiment columns, by slot.
    columns: Vec<(usize, Option<usize>)>,
}

/// Every non-blank comment of a set of datasets, ready to search. Entries
/// are numbered in file order: dataset, row, then comment column.
#[derive(Clone, Debug, Default)]
pub struct CommentIndex {
    /// All comments [`fold`]ed, one after another.
    folded: String,
    /// End of each entry in `folded`.
    ends: Vec<u32>,
    rows: Vec<u32>,
    /// Each entry's comment column, as a slot of its dataset's `columns`.
    slots: Vec<u32>,
    sources: Vec<Indexed>,
}

/// Below one candidate in this many entries, a term is looked for in each
/// candidate's text; above, in one scan of all text that jumps over
/// entries no longer wanted (each call has a setup cost a scan does not).
const SPARSE: usize = 4;

impl CommentIndex {
    /// Indexes the comments of `sources`; searches must then pass the same
    /// sources in the same order.
    ///
    /// # Panics
    /// If the comments add up to more than 4 GiB of text.
    pub fn new(sources: &[Source]) -> CommentIndex {
        let mut index = CommentIndex::default();
        let mut capacity = 0;
        let mut per_source = Vec::with_capacity(sources.len());
        for source in sources {
            let data = source.data;
            let scored = pairs(data);
            let columns: Vec<(usize, Option<usize>)> = data
                .columns
                .iter()
                .enumerate()
                .filter(|(_, c)| c.role == Role::Comment)
                .filter_map(|(at, c)| match &c.data {
                    ColumnData::Text { text, .. } => {
                        capacity += text.len();
                        let sentiment = scored.iter().find(|p| p.0 == at).map(|p| p.1);
                        Some((at, sentiment))
                    }
                    _ => None,
                })
                .collect();
            per_source.push(columns);
        }
        // Exact for ASCII text: growing by doubling would briefly need
        // twice the memory of the largest copy.
        index.folded.reserve_exact(capacity);
        for (source, columns) in sources.iter().zip(per_source) {
            let data = source.data;
            let first = index.rows.len() as u32;
            for row in 0..source.index.rows().min(data.rows()) {
                for (slot, &(column, _)) in columns.iter().enumerate() {
                    let Some(text) = data.columns[column].text(row).filter(|t| is_comment(t))
                    else {
                        continue;
                    };
                    fold_into(text, &mut index.folded);
                    let end = u32::try_from(index.folded.len())
                        .expect("comment text beyond 4 GiB cannot be indexed");
                    index.ends.push(end);
                    index.rows.push(row as u32);
                    index.slots.push(slot as u32);
                }
            }
            index.sources.push(Indexed { first, columns });
        }
        index.folded.shrink_to_fit();
        index
    }

    /// Comments indexed.
    pub fn len(&self) -> usize {
        self.rows.len()
    }

    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// # Panics
    /// If `id` is not an entry of this index.
    pub fn entry(&self, id: u32) -> CommentRef {
        let source = self.sources.partition_point(|s| s.first <= id) - 1;
        let i = id as usize;
        let (column, sentiment) = self.sources[source].columns[self.slots[i] as usize];
        CommentRef {
            source,
            row: self.rows[i] as usize,
            column,
            sentiment,
        }
    }

    /// The comment as the dataset holds it.
    pub fn text<'a>(&self, sources: &[Source<'a>], id: u32) -> &'a str {
        let at = self.entry(id);
        sources[at.source].data.columns[at.column]
            .text(at.row)
            .unwrap_or_default()
    }

    fn span(&self, id: usize) -> Range<usize> {
        let start = if id == 0 {
            0
        } else {
            self.ends[id - 1] as usize
        };
        start..self.ends[id] as usize
    }

    /// Entries of source `s`.
    fn range(&self, s: usize) -> Range<usize> {
        let start = self.sources[s].first as usize;
        let end = self
            .sources
            .get(s + 1)
            .map_or(self.len(), |n| n.first as usize);
        start..end
    }

    /// The comments that pass the map's `filter` and `query`, as entry ids
    /// in the query's order.
    pub fn search(
        &self,
        sources: &[Source],
        map: &JourneyMap,
        filter: &Filter,
        query: &Query,
    ) -> Vec<u32> {
        let mut ids = self.filtered(sources, map, filter, query);
        // The longest first: it is usually the rarest, leaving the fewest
        // candidates for the others.
        let mut terms = terms(&query.text);
        terms.sort_by_key(|t| Reverse(t.len()));
        for term in &terms {
            if ids.is_empty() {
                break;
            }
            ids = self.containing(term, &ids);
        }
        self.sort(sources, &mut ids, query.sort, query.descending);
        ids
    }

    /// Entries passing everything but the words, in file order.
    fn filtered(
        &self,
        sources: &[Source],
        map: &JourneyMap,
        filter: &Filter,
        query: &Query,
    ) -> Vec<u32> {
        let mut out = Vec::new();
        let dated = query.from.is_some() || query.to.is_some();
        let (from, to) = (query.from.unwrap_or(i32::MIN), query.to.unwrap_or(i32::MAX));
        let wanted = |want: Option<u32>, at: u32| want.is_none_or(|w| w == at);
        for (s, (source, indexed)) in sources.iter().zip(&self.sources).enumerate() {
            let selection = Selection::new(source, map, filter);
            let index = source.index;
            let scores = ScoreColumns::of(source.data);
            let compounds = compound_columns(source.data, &indexed.columns);
            for id in self.range(s) {
                let row = self.rows[id] as usize;
                let day = index.day[row];
                let passes = selection.passes(index, row)
                    && wanted(query.touchpoint, index.touchpoint[row])
                    && wanted(query.channel, index.lane[row])
                    && wanted(query.stage, index.stage[row])
                    && (!dated || (day != UNDATED && from <= day && day <= to))
                    && query.band.is_none_or(|band| {
                        scores.scores(row).next().and_then(Score::band) == Some(band)
                    })
                    && query.label.is_none_or(|label| {
                        compound(&compounds, self.slots[id], row).map(Label::of) == Some(label)
                    });
                if passes {
                    out.push(id as u32);
                }
            }
        }
        out
    }

    /// Those of `ids` (ascending) whose text holds `term`.
    fn containing(&self, term: &str, ids: &[u32]) -> Vec<u32> {
        let finder = Finder::new(term.as_bytes());
        let text = self.folded.as_bytes();
        let mut out = Vec::new();
        if ids.len() * SPARSE < self.len() {
            for &id in ids {
                if finder.find(&text[self.span(id as usize)]).is_some() {
                    out.push(id);
                }
            }
            return out;
        }
        let mut next = 0;
        let mut entry = 0;
        let mut pos = self.span(ids[0] as usize).start;
        while let Some(found) = finder.find(&text[pos..]) {
            let at = pos + found;
            // Both only move forward, so stepping costs one pass over the
            // entries in all, less than a binary search per hit.
            while self.ends[entry] as usize <= at {
                entry += 1;
            }
            while ids.get(next).is_some_and(|&id| (id as usize) < entry) {
                next += 1;
            }
            let Some(&want) = ids.get(next) else {
                break;
            };
            let end = self.ends[entry] as usize;
            pos = if want as usize != entry {
                self.span(want as usize).start
            } else if at + term.len() > end {
                // Runs into the next comment: no match, but one may start
                // just after.
                at + 1
            } else {
                out.push(want);
                next += 1;
                match ids.get(next) {
                    Some(&n) => self.span(n as usize).start,
                    None => break,
                }
            };
        }
        out
    }

    /// Orders `ids` (ascending, so each dataset's are together).
    fn sort(&self, sources: &[Source], ids: &mut Vec<u32>, sort: Sort, descending: bool) {
        if sort == Sort::File {
            if descending {
                ids.reverse();
            }
            return;
        }
        let mut keyed: Vec<(u64, u32)> = Vec::with_capacity(ids.len());
        let mut rest = &ids[..];
        for (s, (source, indexed)) in sources.iter().zip(&self.sources).enumerate() {
            let end = self.range(s).end as u32;
            let (mine, after) = rest.split_at(rest.partition_point(|&id| id < end));
            rest = after;
            let data = source.data;
            let scores = ScoreColumns::of(data);
            let compounds = compound_columns(data, &indexed.columns);
            let time = date_column(data).map(|(_, t)| &t.secs);
            for &id in mine {
                let row = self.rows[id as usize] as usize;
                let value = match sort {
                    Sort::Date => time
                        .and_then(|t| t.get(row))
                        .copied()
                        .filter(|t| !t.is_nan()),
                    Sort::Score => scores.scores(row).next().and_then(Score::position),
                    Sort::Sentiment => compound(&compounds, self.slots[id as usize], row),
                    _ => Some(self.text(sources, id).chars().count() as f64),
                };
                keyed.push((sort_key(value, descending), id));
            }
        }
        keyed.sort_unstable();
        ids.clear();
        ids.extend(keyed.into_iter().map(|(_, id)| id));
    }
}

/// An order-preserving integer for a sort value: missing values last,
/// whichever the direction. Sorting integers is several times faster than
/// comparing floats with a tie-break.
fn sort_key(value: Option<f64>, descending: bool) -> u64 {
    let Some(v) = value else {
        return u64::MAX;
    };
    let bits = v.to_bits();
    let ascending = if bits >> 63 == 1 {
        !bits
    } else {
        bits | 1 << 63
    };
    if descending {
        !ascending
    } else {
        ascending
    }
}

/// The sentiment values of each comment slot, when scored.
fn compound_columns<'a>(
    data: &'a Dataset,
    columns: &[(usize, Option<usize>)],
) -> Vec<Option<&'a [f32]>> {
    columns
        .iter()
        .map(
            |&(_, sentiment)| match sentiment.map(|s| &data.columns[s].data) {
                Some(ColumnData::Score { values, .. }) => Some(values.as_slice()),
                _ => None,
            },
        )
        .collect()
}

fn compound(columns: &[Option<&[f32]>], slot: u32, row: usize) -> Option<f64> {
    columns[slot as usize]
        .and_then(|v| v.get(row))
        .and_then(|&v| compound_of(v))
}

/// Lowercases for search, comments and queries alike. Character by
/// character rather than `str::to_lowercase`, which writes a final sigma
/// (ς) at a word's end, so "Σ" typed alone would miss it; ς is read as σ.
fn fold_into(text: &str, out: &mut String) {
    if text.is_ascii() {
        let start = out.len();
        out.push_str(text);
        out[start..].make_ascii_lowercase();
    } else {
        out.extend(
            text.chars()
                .flat_map(char::to_lowercase)
                .map(|c| if c == 'ς' { 'σ' } else { c }),
        );
    }
}

fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    fold_into(text, &mut out);
    out
}

/// The terms of a search, each of which must appear in a comment, ignoring
/// case: every word, and every `"quoted phrase"` as one term (an unclosed
/// quote runs to the end). A term inside another ("late" with "late
/// delivery") adds nothing and is dropped.
pub fn terms(text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for (i, part) in text.split('"').enumerate() {
        if i % 2 == 1 {
            let phrase = part.trim();
            if !phrase.is_empty() {
                out.push(fold(phrase));
            }
        } else {
            out.extend(part.split_whitespace().map(fold));
        }
    }
    out.sort_by_key(|t| Reverse(t.len()));
    let mut kept: Vec<String> = Vec::with_capacity(out.len());
    for term in out {
        if !kept.iter().any(|k| k.contains(term.as_str())) {
            kept.push(term);
        }
    }
    kept
}

/// Where `terms` occur in `text` (a comment as shown), as byte ranges of
/// `text` in order and merged where they touch, for highlighting.
pub fn highlights(text: &str, terms: &[String]) -> Vec<Range<usize>> {
    // Folding can change a character's length (İ is two characters in
    // lowercase), so each folded byte remembers its character's offset.
    let mut folded = String::with_capacity(text.len());
    let mut origin = Vec::with_capacity(text.len() + 1);
    for (at, c) in text.char_indices() {
        fold_into(c.encode_utf8(&mut [0; 4]), &mut folded);
        origin.resize(folded.len(), at);
    }
    origin.push(text.len());
    let mut found: Vec<Range<usize>> = Vec::new();
    for term in terms.iter().filter(|t| !t.is_empty()) {
        for start in Finder::new(term.as_bytes()).find_iter(folded.as_bytes()) {
            let end = start + term.len();
            // A match ending inside a character's folding covers all of it.
            let end = origin[end..]
                .iter()
                .find(|&&o| o > origin[end - 1])
                .copied()
                .unwrap_or(text.len());
            found.push(origin[start]..end);
        }
    }
    found.sort_by_key(|r| r.start);
    let mut merged: Vec<Range<usize>> = Vec::with_capacity(found.len());
    for r in found {
        match merged.last_mut() {
            Some(last) if r.start <= last.end => last.end = last.end.max(r.end),
            _ => merged.push(r),
        }
    }
    merged
}

/// Every column of a row as the user would read it in the file: (column
/// name, cell), so the explorer can show the whole answer a comment came
/// with. Empty cells are empty strings; skipped columns are left out.
pub fn row_cells(data: &Dataset, row: usize) -> Vec<(String, String)> {
    data.columns
        .iter()
        .filter(|c| !matches!(c.data, ColumnData::Skipped))
        .map(|c| {
            let cell = match &c.data {
                ColumnData::Score { scale, .. } => match c.score(row) {
                    None => String::new(),
                    Some(v) if c.role == Role::Sentiment => {
                        compound_of(v).map(|c| c.to_string()).unwrap_or_default()
                    }
                    Some(v) if *scale == Scale::GoodBad => {
                        if v >= 1.0 { "good" } else { "bad" }.to_owned()
                    }
                    Some(v) => v.to_string(),
                },
                ColumnData::Time(_) => match c.time(row) {
                    // A date without a time of day is stored at midnight.
                    Some(secs) if secs.rem_euclid(86_400.0) == 0.0 => format_iso(secs)[..10].into(),
                    Some(secs) => format_iso(secs).replacen('T', " ", 1),
                    None => String::new(),
                },
                _ => c.text(row).unwrap_or_default().to_owned(),
            };
            (c.name.clone(), cell)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::matching::Aliases;
    use crate::import::{import, ImportOptions};
    use crate::insights::journey::tests::map;
    use crate::insights::journey::{ChannelLinks, RowIndex};
    use crate::sentiment::{attach, stored};

    const FILE: &str = "Date,Touchpoint,Channel,NPS,Comment,Other\n\
        2024-01-05 10:00,checkout,web,2,Late DELIVERY and rude staff,\n\
        2024-01-20,checkout,web,0,The delivery was late,Too late\n\
        2024-02-03,checkout,web,9,Délivré à temps: ÉCLATANT,\n\
        2024-02-10,chat,Live chat,7,,   \n\
        2024-03-01,chat,Live chat,8,late-ish but fine,\n\
        ,nowhere,web,,ΟΔΟΣ delivery,\n";

    /// Compounds given by hand so the sentiment filter and sort can be
    /// checked by eye; the second comment column stays unscored.
    fn data() -> Dataset {
        let options = ImportOptions {
            roles: vec![
                ("Comment".into(), Role::Comment),
                ("Other".into(), Role::Comment),
            ],
            ..ImportOptions::default()
        };
        let mut d = import(FILE.as_bytes().to_vec(), options).unwrap();
        let comment = d.columns.iter().position(|c| c.name == "Comment").unwrap();
        let compounds = [-0.7, -0.2, 0.6, f64::NAN, 0.1, 0.0];
        attach(
            &mut d,
            comment,
            compounds.iter().map(|&c| stored(c)).collect(),
        );
        d
    }

    struct Fixture {
        map: JourneyMap,
        data: Dataset,
        index: RowIndex,
    }

    impl Fixture {
        fn new() -> Fixture {
            let (map, data) = (map(), data());
            let index = RowIndex::new(&data, &map, &Aliases::new(), &ChannelLinks::new());
            Fixture { map, data, index }
        }

        fn sources(&self) -> [Source<'_>; 1] {
            [Source {
                data: &self.data,
                index: &self.index,
            }]
        }

        /// (row, column name) of each result, in order.
        fn search(&self, query: &Query) -> Vec<(usize, String)> {
            self.search_under(&Filter::default(), query)
        }

        fn search_under(&self, filter: &Filter, query: &Query) -> Vec<(usize, String)> {
            let sources = self.sources();
            let comments = CommentIndex::new(&sources);
            comments
                .search(&sources, &self.map, filter, query)
                .into_iter()
                .map(|id| {
                    let at = comments.entry(id);
                    (at.row, self.data.columns[at.column].name.clone())
                })
                .collect()
        }
    }

    fn text(text: &str) -> Query {
        Query {
            text: text.into(),
            ..Query::default()
        }
    }

    fn rows(found: &[(usize, String)]) -> Vec<usize> {
        found.iter().map(|(r, _)| *r).collect()
    }

    #[test]
    fn every_non_blank_comment_is_an_entry_in_file_order() {
        let f = Fixture::new();
        let sources = f.sources();
        let comments = CommentIndex::new(&sources);
        // Six rows, two comment columns: row 3 has neither (one blank),
        // row 1 has both.
        assert_eq!(comments.len(), 6);
        let all: Vec<(usize, String)> = f.search(&Query::default());
        assert_eq!(
            all,
            [
                (0, "Comment"),
                (1, "Comment"),
                (1, "Other"),
                (2, "Comment"),
                (4, "Comment"),
                (5, "Comment")
            ]
            .map(|(r, c)| (r, c.to_owned()))
        );
        let first = comments.entry(0);
        assert_eq!(comments.text(&sources, 0), "Late DELIVERY and rude staff");
        let sentiment = first.sentiment.unwrap();
        assert_eq!(f.data.columns[sentiment].role, Role::Sentiment);
        assert_eq!(comments.entry(2).sentiment, None, "Other is unscored");
    }

    #[test]
    fn words_must_all_appear_and_phrases_as_written() {
        let f = Fixture::new();
        // Case-insensitive substrings: "late" is in "late-ish" too.
        assert_eq!(rows(&f.search(&text("LATE"))), [0, 1, 1, 4]);
        assert_eq!(rows(&f.search(&text("late delivery"))), [0, 1]);
        // The phrase needs the words together and in order.
        assert_eq!(rows(&f.search(&text("\"late delivery\""))), [0]);
        assert_eq!(rows(&f.search(&text("\"delivery was late\" the"))), [1]);
        assert!(f.search(&text("\"delivery late\"")).is_empty());
        // Beyond ASCII: accents and a final capital sigma fold like the rest.
        assert_eq!(rows(&f.search(&text("éclatant délivré"))), [2]);
        assert_eq!(rows(&f.search(&text("οδος"))), [5]);
        assert_eq!(rows(&f.search(&text("ΟΔΟΣ"))), [5]);
        // A match never runs from one comment into the next.
        assert!(f.search(&text("staffthe")).is_empty());
        assert!(f.search(&text("xyz")).is_empty());
    }

    #[test]
    fn terms_are_words_and_quoted_phrases() {
        assert_eq!(
            terms("  Late  \"Rude Staff\" late \"unclosed"),
            ["rude staff", "unclosed", "late"]
        );
        assert_eq!(terms("late \"late delivery\""), ["late delivery"]);
        assert!(terms(" \"\" ").is_empty());
    }

    #[test]
    fn filters_narrow_by_place_band_sentiment_and_date() {
        let f = Fixture::new();
        let only = |q: Query| rows(&f.search(&q));
        // Touchpoint 0 is checkout (rows 0-2); lane 1 is Live chat (row 4;
        // row 3 has no comment); stage 1 is Help (chat).
        let q = Query {
            touchpoint: Some(0),
            ..Query::default()
        };
        assert_eq!(only(q), [0, 1, 1, 2]);
        let q = Query {
            channel: Some(1),
            ..Query::default()
        };
        assert_eq!(only(q), [4]);
        let q = Query {
            stage: Some(1),
            ..Query::default()
        };
        assert_eq!(only(q), [4]);
        let band = |metric, level| Some(Band { metric, level });
        let q = Query {
            band: band(Metric::Nps, Level::Low),
            ..Query::default()
        };
        assert_eq!(only(q), [0, 1, 1]);
        let q = Query {
            band: band(Metric::Nps, Level::Middle),
            ..Query::default()
        };
        assert_eq!(only(q), [4]);
        // Only the scored column has a label; NaN is no sentiment.
        let q = Query {
            label: Some(Label::Negative),
            ..Query::default()
        };
        assert_eq!(only(q), [0, 1]);
        let q = Query {
            label: Some(Label::Neutral),
            ..Query::default()
        };
        assert_eq!(only(q), [5]);
        let q = Query {
            from: Some(day(2024, 1, 20)),
            to: Some(day(2024, 2, 29)),
            ..Query::default()
        };
        assert_eq!(only(q), [1, 1, 2]);
        // With words and the map's own filter on top.
        let filter = Filter {
            from: Some(day(2024, 1, 1)),
            to: Some(day(2024, 1, 31)),
            ..Filter::default()
        };
        assert_eq!(rows(&f.search_under(&filter, &text("late"))), [0, 1, 1]);
        // Few candidates are searched one by one, many in one scan that
        // skips the others: both give the same answers.
        let q = Query {
            channel: Some(1),
            text: "late".into(),
            ..Query::default()
        };
        assert_eq!(only(q), [4]);
        let q = Query {
            touchpoint: Some(0),
            text: "delivery".into(),
            ..Query::default()
        };
        assert_eq!(only(q), [0, 1]);
    }

    #[test]
    fn sorts_put_missing_values_last_and_keep_ties_in_file_order() {
        let f = Fixture::new();
        let sorted = |sort, descending| {
            f.search(&Query {
                sort,
                descending,
                ..Query::default()
            })
        };
        let by = |sort, descending| rows(&sorted(sort, descending));
        // Row 5 is undated; row 1's two comments tie on its date.
        assert_eq!(by(Sort::Date, false), [0, 1, 1, 2, 4, 5]);
        assert_eq!(by(Sort::Date, true), [4, 2, 1, 1, 0, 5]);
        // NPS 0, 2, 8, 9; row 5 has no score.
        assert_eq!(by(Sort::Score, false), [1, 1, 0, 4, 2, 5]);
        assert_eq!(by(Sort::Score, true), [2, 4, 0, 1, 1, 5]);
        // -0.7, -0.2, 0.0, 0.1, 0.6; the unscored "Too late" last.
        assert_eq!(by(Sort::Sentiment, false), [0, 1, 5, 4, 2, 1]);
        let longest = sorted(Sort::Length, true);
        assert_eq!(longest[0], (0, "Comment".to_owned()));
        assert_eq!(longest[5], (1, "Other".to_owned()));
        assert_eq!(by(Sort::File, true), [5, 4, 2, 1, 1, 0]);
    }

    #[test]
    fn bands_follow_the_dashboards_cut_offs() {
        let band = |scale, value| Band::of(Score { scale, value }).map(Band::label);
        assert_eq!(band(Scale::Nps, 6.0), Some("detractor"));
        assert_eq!(band(Scale::Nps, 7.0), Some("passive"));
        assert_eq!(band(Scale::Nps, 8.0), Some("passive"));
        assert_eq!(band(Scale::Nps, 9.0), Some("promoter"));
        assert_eq!(band(Scale::Csat5, 2.0), Some("dissatisfied"));
        assert_eq!(band(Scale::Csat5, 3.0), Some("neutral"));
        assert_eq!(band(Scale::Csat5, 4.0), Some("satisfied"));
        assert_eq!(band(Scale::GoodBad, 0.0), Some("dissatisfied"));
        assert_eq!(band(Scale::GoodBad, 1.0), Some("satisfied"));
        assert_eq!(band(Scale::Ces7, 3.0), Some("difficult"));
        assert_eq!(band(Scale::Ces7, 4.0), Some("neutral"));
        assert_eq!(band(Scale::Ces7, 5.0), Some("easy"));
        assert_eq!(band(Scale::Open, 5.0), None);
        assert_eq!(Band::ALL[0].label(), "detractor");
        assert_eq!(Band::ALL[8].label(), "easy");
    }

    #[test]
    fn highlights_point_into_the_text_as_shown() {
        let text = "Late DELIVERY, İstanbul late";
        let wanted = terms("late \"delivery,\" istanbul");
        let marked: Vec<&str> = highlights(text, &wanted)
            .into_iter()
            .map(|r| &text[r])
            .collect();
        // İ folds to "i̇" (two characters), so "istanbul" misses it; the
        // rest are marked where they are in the original case.
        assert_eq!(marked, ["Late", "DELIVERY,", "late"]);
        let marked: Vec<&str> = highlights(text, &terms("i̇stanbul"))
            .into_iter()
            .map(|r| &text[r])
            .collect();
        assert_eq!(marked, ["İstanbul"]);
    }

    #[test]
    fn a_whole_row_reads_as_in_the_file() {
        let f = Fixture::new();
        let cells = row_cells(&f.data, 0);
        let cell = |name: &str| {
            cells
                .iter()
                .find(|(n, _)| n == name)
                .map(|(_, c)| c.as_str())
                .unwrap()
        };
        assert_eq!(cell("Date"), "2024-01-05 10:00:00");
        assert_eq!(cell("Touchpoint"), "checkout");
        assert_eq!(cell("NPS"), "2");
        assert_eq!(cell("Comment"), "Late DELIVERY and rude staff");
        assert_eq!(cell("Other"), "");
        assert_eq!(cell("Sentiment: Comment"), "-0.7");
        assert_eq!(row_cells(&f.data, 1)[0].1, "2024-01-20");
        assert_eq!(row_cells(&f.data, 5)[3].1, "", "no score");
    }

    /// 500 000 rows of 20-word comments over a skewed 5 000-word
    /// vocabulary, with a date, a touchpoint, an NPS answer and a compound.
    fn synthetic(rows: usize) -> Dataset {
        use crate::import::{Column, DateOrder, SourceInfo, TimeColumn};
        let mut seed = 0x2545_f491_4f6c_dd1du64;
        let mut next = move || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        let letters = b"abcdefghijklmnopqrstuvwxyz";
        let vocabulary: Vec<String> = (0..5_000)
            .map(|_| {
                let len = 3 + next() % 7;
                (0..len)
                    .map(|_| letters[(next() % 26) as usize] as char)
                    .collect()
            })
            .collect();
        let (mut text, mut ends) = (String::new(), Vec::with_capacity(rows));
        let (mut secs, mut codes, mut nps, mut compound) =
            (Vec::new(), Vec::new(), Vec::new(), Vec::new());
        for row in 0..rows {
            for w in 0..20 {
                // The product of two uniform draws: a few words are very
                // common, most rare, as in real comments.
                let rank = (next() % 5_000) * (next() % 5_000) / 5_000;
                if w > 0 {
                    text.push(' ');
                }
                let word = &vocabulary[rank as usize];
                if w == 0 {
                    text.extend(word[..1].chars().map(|c| c.to_ascii_uppercase()));
                    text.push_str(&word[1..]);
                } else {
                    text.push_str(word);
                }
            }
            ends.push(text.len() as u32);
            secs.push(1_704_067_200.0 + (row as f64) * 60.0);
            codes.push((next() % 4) as u32);
            nps.push((next() % 11) as f32);
            compound.push(stored(((next() % 2001) as f64 - 1000.0) / 1000.0));
        }
        let column = |name: &str, role, data| Column {
            name: name.into(),
            field_id: None,
            role,
            data,
        };
        let mut data = Dataset {
            source: SourceInfo::default(),
            columns: vec![
                column(
                    "Date",
                    Role::Timestamp,
                    ColumnData::Time(TimeColumn {
                        secs,
                        order: DateOrder::Fixed,
                        day_first: None,
                    }),
                ),
                column(
                    "Touchpoint",
                    Role::Touchpoint,
                    ColumnData::Category {
                        codes,
                        dictionary: ["checkout", "chat", "faq", "elsewhere"]
                            .map(String::from)
                            .to_vec(),
                    },
                ),
                column(
                    "NPS",
                    Role::Nps,
                    ColumnData::Score {
                        scale: Scale::Nps,
                        values: nps,
                    },
                ),
                column("Comment", Role::Comment, ColumnData::Text { text, ends }),
            ],
            lines: (2..rows as u32 + 2).collect(),
            errors: Vec::new(),
        };
        attach(&mut data, 3, compound);
        data
    }

    /// `cargo test -p waymark-core --release comments -- --ignored --nocapture`
    #[test]
    #[ignore = "a benchmark: run it in release"]
    fn search_over_500_000_comments_is_fast() {
        use std::time::{Duration, Instant};
        let (m, data) = (map(), synthetic(500_000));
        let index = RowIndex::new(&data, &m, &Aliases::new(), &ChannelLinks::new());
        let sources = [Source {
            data: &data,
            index: &index,
        }];
        let start = Instant::now();
        let comments = CommentIndex::new(&sources);
        let built = start.elapsed();
        let bytes = comments.folded.len()
            + 4 * (comments.ends.len() + comments.rows.len() + comments.slots.len());
        println!(
            "index of {} comments: built in {built:?}, {:.1} MB",
            comments.len(),
            bytes as f64 / 1e6
        );
        // Words of a comment in the middle, and two adjacent ones as a
        // phrase.
        let middle = comments.text(&sources, 250_000).to_lowercase();
        let words: Vec<&str> = middle.split(' ').collect();
        let phrase = format!("\"{} {}\"", words[4], words[5]);
        let cases = [
            ("every comment, file order", Query::default()),
            (
                "every comment by date, newest first",
                Query {
                    sort: Sort::Date,
                    descending: true,
                    ..Query::default()
                },
            ),
            ("a word", text(words[2])),
            ("two words", text(&format!("{} {}", words[2], words[7]))),
            ("a two-word phrase", text(&phrase)),
            (
                "a word in one touchpoint's detractors by sentiment",
                Query {
                    text: words[2].into(),
                    touchpoint: Some(0),
                    band: Some(Band {
                        metric: Metric::Nps,
                        level: Level::Low,
                    }),
                    sort: Sort::Sentiment,
                    ..Query::default()
                },
            ),
            ("a letter (matches nearly all)", text("e")),
            (
                "a letter (matches nearly all) by score",
                Query {
                    text: "e".into(),
                    sort: Sort::Score,
                    ..Query::default()
                },
            ),
        ];
        for (what, query) in cases {
            let mut times: Vec<Duration> = Vec::new();
            let mut found = 0;
            for _ in 0..7 {
                let start = Instant::now();
                found = comments
                    .search(&sources, &m, &Filter::default(), &query)
                    .len();
                times.push(start.elapsed());
            }
            times.sort();
            println!(
                "{what} ({:?}): {found} found, median {:?}, best {:?}",
                query.text, times[3], times[0]
            );
            assert!(times[3] < Duration::from_millis(500), "{what}");
        }
    }

    fn day(y: i64, m: i64, d: i64) -> i32 {
        crate::import::dates::days_from_civil(y, m, d).unwrap() as i32
    }
}
