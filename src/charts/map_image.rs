//! The whole map as one picture: an SVG of every stage and every visible
//! lane, not the part the canvas shows, for slides, design docs and the
//! PNG made from it. The same drawing, cut into page-sized windows, is the
//! print layout, so a PDF from the browser's print dialog and the exported
//! image always agree.
//!
//! Everything is laid out once in grid coordinates (x from the first stage
//! column, y from below the stage heads); a [`Window`] picks stages and rows
//! and draws them under the lane label column and the stage heads, which
//! every page repeats. Curves and connectors are drawn whole and clipped to
//! the window, so a line that leaves a page visibly runs off its edge.
//!
//! Its class names start with `map-` or `lane-`, never ones the app's CSS
//! styles: print puts the pages inline in the document, where a page rule
//! (the canvas's `.connector`, say) would override the picture's colours.
//!
//! Text is never measured (there is no DOM natively): widths are estimated
//! from the character count, generously, and long text is wrapped and cut
//! with "…" while the full text stays in a `<title>`. Every string from the
//! map goes through [`text`], which drops characters XML cannot hold and
//! escapes the rest; nothing from the map ever becomes an attribute that
//! links or loads.

use std::collections::HashMap;
use std::fmt::Write;
use std::ops::Range;

use super::connectors::{route, Rect};
use super::insights::{measured_curve, sentiment_curve};
use super::{curve, emotion_mark, escape, MeasuredCurve};
use crate::insights::journey::{figures, Basis, Figure, JourneyMetrics, Verdict};
use crate::insights::sentiment::{JourneySentiment, Mood};
use crate::model::{HandoffMark, Id, JourneyMap, Lane};

/// Outer margin of the picture.
const PAD: f64 = 24.0;
const TITLE_H: f64 = 62.0;
/// The lane label column, repeated on every page.
const LABEL_W: f64 = 150.0;
const STAGE_W: f64 = 200.0;
const HEAD_H: f64 = 64.0;
const FOOT_H: f64 = 30.0;
/// Space around and between cards in a cell.
const INSET: f64 = 8.0;
/// One line of small card text.
const LINE: f64 = 14.0;
const EMOTION_H: f64 = 200.0;
/// Above and below the emotion curve's plot inside its row.
const PLOT_TOP: f64 = 22.0;
const PLOT_BOTTOM: f64 = 16.0;
const NOTE_LINE: f64 = 15.0;
/// A note in a text lane is cut after this many lines.
const NOTE_MAX_LINES: usize = 3;

/// The printable area of A4 landscape with 10 mm margins, in CSS px (96 per
/// inch), less a little for the browser's rounding: every print page fits
/// it. A3 prints the same pages with room to spare.
const PRINT_W: f64 = 1040.0;
const PRINT_H: f64 = 700.0;
/// Pages are laid out this much larger than the paper and printed scaled
/// down to it: card text comes out at about 7–8 pt, still easy to read, and
/// a typical five-stage map fits across one page instead of two.
const PRINT_SCALE: f64 = 0.8;

/// An estimate of the average glyph width, as a share of the font size,
/// on the wide side of common sans-serif fonts so text rarely overflows.
const GLYPH: f64 = 0.58;

/// System fonts only: the picture must look the same when opened from disk
/// or drawn into a canvas, where no web font loads.
const FONT: &str = "Inter, Segoe UI, system-ui, -apple-system, Helvetica Neue, Arial, sans-serif";

/// The app's light theme: an exported picture is read on paper and slides.
const TEXT: &str = "#1B2130";
const MUTED: &str = "#5B6478";
const BORDER: &str = "#D9DEE8";
const HEAD_FILL: &str = "#EEF1F7";
const ROW_TINT: &str = "#F6F7FB";
const DANGER: &str = "#C92A2A";
const CONNECTOR: &str = "#64748B";
const DESIGNED: &str = "#2563EB";
const MEASURED: &str = "#0891B2";
/// The comments' sentiment, purple as on the map page's curve.
const SENTIMENT: &str = "#7E22CE";
const MET: &str = "#2B8A3E";
/// The persona curves' colours, the same as on the canvas's chart.
const PERSONA_COLOURS: [&str; 4] = ["#DB2777", "#D97706", "#059669", "#7C3AED"];

/// What the map's feedback says, as the map page shows it: the scores and,
/// once its comments are scored, their sentiment.
#[derive(Clone, Copy)]
pub struct Feedback<'a> {
    pub metrics: &'a JourneyMetrics,
    pub sentiment: Option<&'a JourneySentiment>,
}

/// The whole map as a standalone SVG document (XML declaration, namespace,
/// width, height and viewBox). `measured` adds each card's NPS / CSAT / CES
/// with interval, n and verdict against its targets and its share of
/// negative comments, and the measured emotion and sentiment curves per
/// stage; the CLI, without feedback, passes `None`.
pub fn map_svg(map: &JourneyMap, measured: Option<Feedback>) -> String {
    let layout = Layout::new(map, measured);
    let window = Window {
        stages: 0..map.stages.len(),
        rows: 0..layout.rows.len(),
        page: None,
    };
    let (svg, _) = layout.render(&window, "wm-map-", 1.0);
    format!("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n{svg}\n")
}

/// The map cut into pages for print: as many stages as fit across an A4
/// landscape page, and as many rows as fit down it, each page with the lane
/// labels and stage heads of what it shows. Stage ranges are the outer
/// loop, so the first stages read top to bottom before the next ones. Each
/// page is an `<svg>` element sized to the page (a row taller than a page
/// is scaled down to fit), for inline use in the document.
pub fn print_pages(map: &JourneyMap, measured: Option<Feedback>) -> Vec<String> {
    let layout = Layout::new(map, measured);
    let (page_w, page_h) = (PRINT_W / PRINT_SCALE, PRINT_H / PRINT_SCALE);
    let per_page = (((page_w - 2.0 * PAD - LABEL_W) / STAGE_W).floor() as usize).max(1);
    // A map without stages still prints its title and lanes, once.
    let stage_chunks: Vec<Range<usize>> = (0..map.stages.len().max(1))
        .step_by(per_page)
        .map(|a| a..(a + per_page).min(map.stages.len()))
        .collect();
    let room = page_h - (PAD + TITLE_H + HEAD_H + FOOT_H + PAD);
    let mut row_chunks: Vec<Range<usize>> = Vec::new();
    let mut start = 0;
    let mut used = 0.0;
    for (i, row) in layout.rows.iter().enumerate() {
        if i > start && used + row.h > room {
            row_chunks.push(start..i);
            start = i;
            used = 0.0;
        }
        used += row.h;
    }
    row_chunks.push(start..layout.rows.len());
    let total = stage_chunks.len() * row_chunks.len();
    let mut pages = Vec::with_capacity(total);
    for stages in &stage_chunks {
        for rows in &row_chunks {
            let k = pages.len();
            let window = Window {
                stages: stages.clone(),
                rows: rows.clone(),
                page: Some((k + 1, total)),
            };
            let (w, h) = layout.size(&window);
            let fit = (PRINT_W / w).min(PRINT_H / h).min(PRINT_SCALE);
            let (svg, _) = layout.render(&window, &format!("wm-print-{k}-"), fit);
            pages.push(svg);
        }
    }
    pages
}

/// A map string as SVG text: characters XML 1.0 cannot hold (control
/// characters other than tab and line breaks, which would make the whole
/// file unreadable) are dropped, runs of white space become one space, and
/// markup characters are escaped.
pub fn text(s: &str) -> String {
    let kept: String = s
        .chars()
        .filter(|c| !c.is_control() || c.is_whitespace())
        .filter(|c| !matches!(c, '\u{FFFE}' | '\u{FFFF}'))
        .collect();
    escape(&kept.split_whitespace().collect::<Vec<_>>().join(" "))
}

/// `s` cut into at most `max_lines` lines of `max_chars` characters, at
/// spaces where possible; the last line ends in "…" when text was left out.
fn wrap(s: &str, max_chars: usize, max_lines: usize) -> Vec<String> {
    let max_chars = max_chars.max(4);
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    let mut cut = false;
    'words: for word in s.split_whitespace() {
        let mut word: Vec<char> = word.chars().collect();
        loop {
            let len = line.chars().count();
            let need = word.len() + usize::from(len > 0);
            if len + need <= max_chars {
                if len > 0 {
                    line.push(' ');
                }
                line.extend(word.iter());
                continue 'words;
            }
            if len == 0 {
                // A word longer than a line is broken.
                let rest = word.split_off(max_chars);
                line.extend(word.iter());
                word = rest;
            }
            if lines.len() + 1 == max_lines {
                cut = true;
                break 'words;
            }
            lines.push(std::mem::take(&mut line));
        }
    }
    if !line.is_empty() || lines.is_empty() {
        lines.push(line);
    }
    if cut {
        let last = lines.last_mut().expect("at least one line");
        let mut kept: String = last.chars().take(max_chars - 1).collect();
        kept = kept.trim_end().to_owned();
        kept.push('…');
        *last = kept;
    }
    lines
}

/// How many characters of a `size` px font fit in `width` px.
fn fit_chars(width: f64, size: f64) -> usize {
    (width / (size * GLYPH)).floor().max(1.0) as usize
}

/// One line, cut with "…" to fit.
fn one_line(s: &str, width: f64, size: f64) -> String {
    wrap(s, fit_chars(width, size), 1).remove(0)
}

/// Where a score sits on the map's scale, 0 at its lowest and 1 at its
/// highest.
fn scale_share(map: &JourneyMap, score: f64) -> f64 {
    let (min, max) = (
        f64::from(map.emotion_scale.min),
        f64::from(map.emotion_scale.max),
    );
    if max > min {
        ((score - min) / (max - min)).clamp(0.0, 1.0)
    } else {
        0.5
    }
}

/// A card's emotion colour, red through grey to green; the card also shows
/// the emotion's mark and word, so colour is never the only cue.
fn emotion_colour(share: f64) -> &'static str {
    match share {
        s if s < 0.2 => "#E03131",
        s if s < 0.4 => "#E8590C",
        s if s < 0.6 => "#868E96",
        s if s < 0.8 => "#40C057",
        _ => "#2B8A3E",
    }
}

fn verdict_colour(v: Verdict) -> &'static str {
    match v {
        Verdict::Met => MET,
        Verdict::Missed => DANGER,
        Verdict::TooFew | Verdict::NoTarget => MUTED,
    }
}

/// A figure in one line: verdict first (a cut line loses the least), then
/// value, interval and n.
fn figure_line(f: &Figure) -> String {
    let mut line = String::new();
    if f.verdict != Verdict::NoTarget {
        let _ = write!(line, "{} ", f.verdict.glyph());
    }
    let _ = write!(line, "{} {}", f.metric.label(), f.shown());
    if let Some(i) = f.interval() {
        let _ = write!(line, " ({i})");
    }
    let _ = write!(line, " · n {}", f.n);
    if f.few {
        line.push_str(" · few");
    }
    line
}

#[derive(Clone, Copy, Debug, PartialEq)]
enum RowKind {
    Channel(usize),
    /// The touchpoints lane of a map without channels.
    NoChannels,
    Emotion,
    Text(Lane),
}

/// A row of the grid: its top in grid coordinates and its height.
#[derive(Clone, Copy, Debug)]
struct Row {
    kind: RowKind,
    y: f64,
    h: f64,
}

/// The part of the layout one picture shows.
struct Window {
    stages: Range<usize>,
    rows: Range<usize>,
    /// Page number and page count, for print.
    page: Option<(usize, usize)>,
}

/// A curve of the emotion lane: its legend name, colour and marker.
struct Series {
    name: String,
    colour: &'static str,
    marker: Marker,
    points: Vec<(f64, f64)>,
}

/// Markers differ per curve as well as colour, as on the canvas's chart.
#[derive(Clone, Copy)]
enum Marker {
    Circle,
    Triangle,
    Cross,
}

/// The map laid out once, in grid coordinates.
struct Layout<'a> {
    map: &'a JourneyMap,
    /// Each card's figures, when the map has feedback.
    figures: Option<HashMap<&'a Id, Vec<Figure>>>,
    measured: Option<(MeasuredCurve, Basis)>,
    /// Each card's comments, when they are scored.
    moods: HashMap<&'a Id, Mood>,
    sentiment: Option<MeasuredCurve>,
    marks: HashMap<Id, HandoffMark>,
    rows: Vec<Row>,
    cards: HashMap<Id, Rect>,
    series: Vec<Series>,
}

impl<'a> Layout<'a> {
    fn new(map: &'a JourneyMap, feedback: Option<Feedback>) -> Self {
        let measured = feedback.map(|f| f.metrics);
        let sentiment = feedback.and_then(|f| f.sentiment);
        let moods: HashMap<&Id, Mood> = sentiment
            .map(|s| {
                map.touchpoints
                    .iter()
                    .filter_map(|t| Some((&t.id, *s.touchpoints.get(&t.id)?)))
                    .collect()
            })
            .unwrap_or_default();
        let figures = measured.map(|m| {
            map.touchpoints
                .iter()
                .map(|t| {
                    let figs = m
                        .touchpoints
                        .get(&t.id)
                        .map(|s| figures(s, &t.targets))
                        .unwrap_or_default();
                    (&t.id, figs)
                })
                .collect::<HashMap<_, _>>()
        });
        // Cards without answers say so in one line.
        let figure_lines = figures
            .as_ref()
            .map_or(0, |f| f.values().map(Vec::len).max().unwrap_or(0).max(1))
            + usize::from(!moods.is_empty());
        // Name (two lines), owner, emotion, handoffs, then the figures.
        let card_h = 10.0 + 2.0 * 16.0 + 3.0 * LINE + figure_lines as f64 * LINE + 8.0;
        let cells = map.cells();
        let mut rows = Vec::new();
        let mut cards = HashMap::new();
        let mut y = 0.0;
        for lane in map.lanes.visible() {
            match lane {
                Lane::Touchpoints if map.channels.is_empty() => {
                    rows.push(Row {
                        kind: RowKind::NoChannels,
                        y,
                        h: 48.0,
                    });
                    y += 48.0;
                }
                Lane::Touchpoints => {
                    for (c, channel) in map.channels.iter().enumerate() {
                        let mut most = 1;
                        for (s, stage) in map.stages.iter().enumerate() {
                            let key = (stage.id.clone(), channel.id.clone());
                            let ids = cells.get(&key).map(Vec::as_slice).unwrap_or_default();
                            most = most.max(ids.len());
                            for (k, id) in ids.iter().enumerate() {
                                let rect = Rect {
                                    x: s as f64 * STAGE_W + INSET,
                                    y: y + INSET + k as f64 * (card_h + INSET),
                                    w: STAGE_W - 2.0 * INSET,
                                    h: card_h,
                                };
                                cards.insert(id.clone(), rect);
                            }
                        }
                        let h = INSET + most as f64 * (card_h + INSET);
                        rows.push(Row {
                            kind: RowKind::Channel(c),
                            y,
                            h,
                        });
                        y += h;
                    }
                }
                Lane::Emotion => {
                    let h = EMOTION_H.max(40.0 + 16.0 * (map.personas.len() + 2) as f64);
                    rows.push(Row {
                        kind: RowKind::Emotion,
                        y,
                        h,
                    });
                    y += h;
                }
                text_lane => {
                    let lines = map
                        .stages
                        .iter()
                        .map(|s| {
                            s.lanes
                                .get(text_lane)
                                .iter()
                                .map(|n| note_lines(n).len())
                                .sum::<usize>()
                        })
                        .max()
                        .unwrap_or(0);
                    let h = (16.0 + lines as f64 * NOTE_LINE).max(36.0);
                    rows.push(Row {
                        kind: RowKind::Text(text_lane),
                        y,
                        h,
                    });
                    y += h;
                }
            }
        }
        let mut layout = Layout {
            map,
            figures,
            measured: measured.and_then(|m| measured_curve(map, m)),
            sentiment: sentiment.and_then(|s| sentiment_curve(map, s)),
            moods,
            marks: map.handoff_marks(),
            rows,
            cards,
            series: Vec::new(),
        };
        layout.series = layout.curves();
        layout
    }

    /// The emotion row's plot: top and bottom in grid coordinates.
    fn plot(&self) -> Option<(f64, f64)> {
        let row = self.rows.iter().find(|r| r.kind == RowKind::Emotion)?;
        Some((row.y + PLOT_TOP + 8.0, row.y + row.h - PLOT_BOTTOM))
    }

    fn score_y(&self, score: f64) -> f64 {
        let (top, bottom) = self.plot().unwrap_or((0.0, 0.0));
        bottom - scale_share(self.map, score) * (bottom - top)
    }

    /// Where each touchpoint's emotion point sits across: its stage's
    /// column, shared evenly by the stage's touchpoints in journey order.
    fn curve_x(&self) -> HashMap<&'a Id, f64> {
        let order = self.map.journey_order();
        let mut per_stage: HashMap<&Id, Vec<&Id>> = HashMap::new();
        for t in &order {
            per_stage.entry(&t.stage).or_default().push(&t.id);
        }
        let mut xs = HashMap::new();
        for (s, stage) in self.map.stages.iter().enumerate() {
            let ids = per_stage
                .get(&stage.id)
                .map(Vec::as_slice)
                .unwrap_or_default();
            for (j, id) in ids.iter().enumerate() {
                let x = s as f64 * STAGE_W + (j as f64 + 0.5) / ids.len() as f64 * STAGE_W;
                xs.insert(*id, x);
            }
        }
        xs
    }

    /// The designed curve, then one per persona with scores, as the canvas
    /// draws them.
    fn curves(&self) -> Vec<Series> {
        if self.plot().is_none() {
            return Vec::new();
        }
        let xs = self.curve_x();
        let points = |persona: Option<&Id>| -> Vec<(f64, f64)> {
            curve(self.map, persona)
                .into_iter()
                .filter_map(|p| {
                    let x = *xs.get(&p.touchpoint.id)?;
                    Some((x, self.score_y(f64::from(p.score))))
                })
                .collect()
        };
        let mut series = vec![Series {
            name: "Designed".into(),
            colour: DESIGNED,
            marker: Marker::Circle,
            points: points(None),
        }];
        let personas = self
            .map
            .personas
            .iter()
            .map(|p| (p, points(Some(&p.id))))
            .filter(|(_, pts)| !pts.is_empty());
        for (i, (p, pts)) in personas.enumerate() {
            series.push(Series {
                name: p.name.clone(),
                colour: PERSONA_COLOURS[i % PERSONA_COLOURS.len()],
                marker: if i % 2 == 0 {
                    Marker::Triangle
                } else {
                    Marker::Cross
                },
                points: pts,
            });
        }
        series
    }

    fn grid_w(&self) -> f64 {
        self.map.stages.len().max(1) as f64 * STAGE_W
    }

    /// The width and height of a window's picture.
    fn size(&self, w: &Window) -> (f64, f64) {
        let rows = &self.rows[w.rows.clone()];
        let rows_h = match (rows.first(), rows.last()) {
            (Some(a), Some(b)) => b.y + b.h - a.y,
            _ => 0.0,
        };
        (
            2.0 * PAD + LABEL_W + w.stages.len().max(1) as f64 * STAGE_W,
            PAD + TITLE_H + HEAD_H + rows_h + FOOT_H + PAD,
        )
    }

    /// Draws a window as one `<svg>` element, `scale` times its natural
    /// size on the page (the viewBox keeps the drawing whole). Ids of its
    /// markers and clip path start with `prefix`, so several pictures can
    /// share one document.
    fn render(&self, w: &Window, prefix: &str, scale: f64) -> (String, (f64, f64)) {
        let (width, height) = self.size(w);
        let grid_x = PAD + LABEL_W;
        let grid_y = PAD + TITLE_H + HEAD_H;
        let shown_w = w.stages.len().max(1) as f64 * STAGE_W;
        let shown_h = height - grid_y - FOOT_H - PAD;
        let dx = grid_x - w.stages.start as f64 * STAGE_W;
        let dy = grid_y - self.rows.get(w.rows.start).map_or(0.0, |r| r.y);
        let mut svg = String::with_capacity(64 * 1024);
        let _ = write!(
            svg,
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{:.0}\" height=\"{:.0}\" \
             viewBox=\"0 0 {width:.0} {height:.0}\" font-family=\"{FONT}\" fill=\"{TEXT}\" \
             role=\"img\" aria-label=\"{}\">",
            width * scale,
            height * scale,
            text(&format!("Journey map: {}", self.map.name)),
        );
        let _ = write!(
            svg,
            "<title>{}</title><defs>\
             <marker id=\"{prefix}arrow\" viewBox=\"0 0 10 10\" refX=\"9\" refY=\"5\" \
             markerUnits=\"userSpaceOnUse\" markerWidth=\"10\" markerHeight=\"10\" orient=\"auto-start-reverse\">\
             <path d=\"M0 0 L10 5 L0 10 z\" fill=\"{CONNECTOR}\"/></marker>\
             <marker id=\"{prefix}arrow-lost\" viewBox=\"0 0 10 10\" refX=\"9\" refY=\"5\" \
             markerUnits=\"userSpaceOnUse\" markerWidth=\"11\" markerHeight=\"11\" orient=\"auto-start-reverse\">\
             <path d=\"M0 0 L10 5 L0 10 z\" fill=\"{DANGER}\"/></marker>\
             <clipPath id=\"{prefix}grid\"><rect x=\"{grid_x:.1}\" y=\"{grid_y:.1}\" \
             width=\"{shown_w:.1}\" height=\"{shown_h:.1}\"/></clipPath>\
             </defs><rect width=\"100%\" height=\"100%\" fill=\"#FFFFFF\"/>",
            text(&self.map.name),
        );
        self.title(&mut svg, w, width);
        self.heads(&mut svg, w, grid_x);
        // Row labels and backgrounds, outside the clipped grid.
        for (k, row) in self.rows[w.rows.clone()].iter().enumerate() {
            let y = row.y + dy;
            if k % 2 == 1 {
                let _ = write!(
                    svg,
                    "<rect x=\"{PAD}\" y=\"{y:.1}\" width=\"{:.1}\" height=\"{:.1}\" fill=\"{ROW_TINT}\"/>",
                    LABEL_W + shown_w,
                    row.h
                );
            }
            let _ = write!(
                svg,
                "<line x1=\"{PAD}\" x2=\"{:.1}\" y1=\"{y:.1}\" y2=\"{y:.1}\" stroke=\"{BORDER}\"/>",
                grid_x + shown_w
            );
            self.row_label(&mut svg, row, y);
        }
        // Stage column separators.
        for i in 0..=w.stages.len().max(1) {
            let x = grid_x + i as f64 * STAGE_W;
            let _ = write!(
                svg,
                "<line x1=\"{x:.1}\" x2=\"{x:.1}\" y1=\"{:.1}\" y2=\"{:.1}\" stroke=\"{BORDER}\"/>",
                PAD + TITLE_H,
                grid_y + shown_h
            );
        }
        let _ = write!(
            svg,
            "<g clip-path=\"url(#{prefix}grid)\"><g transform=\"translate({dx:.1} {dy:.1})\">"
        );
        for row in &self.rows[w.rows.clone()] {
            match row.kind {
                RowKind::Channel(c) => self.cards_of(&mut svg, c, &w.stages),
                RowKind::Text(lane) => self.notes(&mut svg, lane, row, &w.stages),
                RowKind::Emotion => self.emotion(&mut svg),
                RowKind::NoChannels => {}
            }
        }
        self.connectors(&mut svg, prefix);
        svg.push_str("</g></g>");
        // Emotion scale labels sit on their grid lines at the window's
        // left edge, over the clipped drawing.
        if self.rows[w.rows.clone()]
            .iter()
            .any(|r| r.kind == RowKind::Emotion)
        {
            let scale = &self.map.emotion_scale;
            for score in scale.min..=scale.max {
                let y = self.score_y(f64::from(score)) + dy - 3.0;
                let _ = write!(
                    svg,
                    "<text x=\"{:.1}\" y=\"{y:.1}\" font-size=\"10\" fill=\"{MUTED}\" \
                     stroke=\"#FFFFFF\" stroke-width=\"3\" paint-order=\"stroke\">{}</text>",
                    grid_x + 4.0,
                    text(&scale.label(score))
                );
            }
        }
        self.footer(&mut svg, height);
        svg.push_str("</svg>");
        (svg, (width, height))
    }

    fn title(&self, svg: &mut String, w: &Window, width: f64) {
        let m = self.map;
        let room = width - 2.0 * PAD;
        let _ = write!(
            svg,
            "<text x=\"{PAD}\" y=\"{:.1}\" font-size=\"20\" font-weight=\"700\">{}</text>",
            PAD + 22.0,
            text(&one_line(&m.name, room, 20.0))
        );
        let state = match m.state {
            crate::model::MapState::Current => "Current-state journey",
            crate::model::MapState::Future => "Future-state journey",
        };
        let losses = m.context_losses().count();
        let mut sub = String::new();
        if let Some((k, n)) = w.page {
            let _ = write!(sub, "Page {k} of {n}");
            if w.stages.end > w.stages.start {
                let _ = write!(sub, ", stages {}–{}", w.stages.start + 1, w.stages.end);
            }
            sub.push_str(" · ");
        }
        let _ = write!(
            sub,
            "{state} · {} stages · {} channels · {} touchpoints · {} handoffs",
            m.stages.len(),
            m.channels.len(),
            m.touchpoints.len(),
            m.handoffs.len()
        );
        if losses > 0 {
            let _ = write!(sub, " ({losses} losing context)");
        }
        if let Some((_, basis)) = &self.measured {
            let _ = write!(sub, " · measured {} from imported feedback", basis.label());
        }
        let _ = write!(
            svg,
            "<text x=\"{PAD}\" y=\"{:.1}\" font-size=\"12\" fill=\"{MUTED}\">{}</text>",
            PAD + 44.0,
            text(&one_line(&sub, room, 12.0))
        );
    }

    fn heads(&self, svg: &mut String, w: &Window, grid_x: f64) {
        let top = PAD + TITLE_H;
        let _ = write!(
            svg,
            "<rect x=\"{PAD}\" y=\"{top:.1}\" width=\"{:.1}\" height=\"{HEAD_H}\" fill=\"{HEAD_FILL}\"/>\
             <text x=\"{:.1}\" y=\"{:.1}\" font-size=\"11\" font-weight=\"600\" fill=\"{MUTED}\">Lane / stage</text>",
            LABEL_W + w.stages.len().max(1) as f64 * STAGE_W,
            PAD + 8.0,
            top + 20.0
        );
        if self.map.stages.is_empty() {
            let _ = write!(
                svg,
                "<text x=\"{:.1}\" y=\"{:.1}\" font-size=\"12\" fill=\"{MUTED}\">No stages yet</text>",
                grid_x + 10.0,
                top + 20.0
            );
        }
        for (k, s) in self.map.stages[w.stages.clone()].iter().enumerate() {
            let x = grid_x + k as f64 * STAGE_W + 10.0;
            let room = STAGE_W - 20.0;
            let _ = write!(
                svg,
                "<g><title>{}</title><text x=\"{x:.1}\" y=\"{:.1}\" font-size=\"14\" font-weight=\"700\">{}</text>",
                text(&s.name),
                top + 20.0,
                text(&one_line(&s.name, room, 14.0))
            );
            for (j, line) in wrap(&s.customer_goal, fit_chars(room, 11.0), 2)
                .iter()
                .enumerate()
            {
                let _ = write!(
                    svg,
                    "<text x=\"{x:.1}\" y=\"{:.1}\" font-size=\"11\" font-style=\"italic\" fill=\"{MUTED}\">{}</text>",
                    top + 38.0 + j as f64 * LINE,
                    text(line)
                );
            }
            svg.push_str("</g>");
        }
    }

    fn row_label(&self, svg: &mut String, row: &Row, y: f64) {
        let x = PAD + 8.0;
        let room = LABEL_W - 16.0;
        let (title, sub): (String, Option<String>) = match row.kind {
            RowKind::Channel(c) => {
                let ch = &self.map.channels[c];
                (ch.name.clone(), Some(ch.kind.label().to_owned()))
            }
            RowKind::NoChannels => ("Touchpoints".into(), Some("No channels yet".into())),
            RowKind::Emotion => (Lane::Emotion.label().into(), None),
            RowKind::Text(lane) => (lane.label().into(), None),
        };
        let _ = write!(
            svg,
            "<g class=\"lane-label\"><title>{}</title>",
            text(&title)
        );
        let lines = wrap(&title, fit_chars(room, 13.0), 2);
        for (j, line) in lines.iter().enumerate() {
            let _ = write!(
                svg,
                "<text x=\"{x:.1}\" y=\"{:.1}\" font-size=\"13\" font-weight=\"700\">{}</text>",
                y + 20.0 + j as f64 * 16.0,
                text(line)
            );
        }
        let mut below = y + 20.0 + lines.len() as f64 * 16.0;
        if let Some(sub) = sub {
            let _ = write!(
                svg,
                "<text x=\"{x:.1}\" y=\"{below:.1}\" font-size=\"11\" fill=\"{MUTED}\">{}</text>",
                text(&sub)
            );
            below += LINE;
        }
        if row.kind == RowKind::Emotion {
            self.legend(svg, x, below + 2.0, room);
        }
        svg.push_str("</g>");
    }

    /// The emotion lane's legend, one curve a line, under its label.
    fn legend(&self, svg: &mut String, x: f64, mut y: f64, room: f64) {
        for s in &self.series {
            let _ = write!(
                svg,
                "<line x1=\"{x:.1}\" x2=\"{:.1}\" y1=\"{:.1}\" y2=\"{:.1}\" stroke=\"{}\" stroke-width=\"2\"/>",
                x + 16.0,
                y - 4.0,
                y - 4.0,
                s.colour
            );
            marker(svg, s.marker, s.colour, (x + 8.0, y - 4.0));
            let _ = write!(
                svg,
                "<text x=\"{:.1}\" y=\"{y:.1}\" font-size=\"11\">{}</text>",
                x + 22.0,
                text(&one_line(&s.name, room - 22.0, 11.0))
            );
            y += 16.0;
        }
        if let Some((_, basis)) = &self.measured {
            let label = format!("Measured {}", basis.label());
            legend_entry(svg, (x, y), MEASURED, "6 4", diamond, &label);
            y += 16.0;
        }
        if self.sentiment.is_some() {
            legend_entry(
                svg,
                (x, y),
                SENTIMENT,
                "2 5",
                square,
                "Comment sentiment (VADER)",
            );
        }
    }

    fn cards_of(&self, svg: &mut String, channel: usize, stages: &Range<usize>) {
        let Some(ch) = self.map.channels.get(channel) else {
            return;
        };
        let scale = &self.map.emotion_scale;
        for t in &self.map.touchpoints {
            let in_window = self
                .map
                .stage_index(&t.stage)
                .is_some_and(|s| stages.contains(&s));
            let Some(r) = self.cards.get(&t.id) else {
                continue;
            };
            if t.channel != ch.id || !in_window {
                continue;
            }
            let mark = self.marks.get(&t.id).copied().unwrap_or_default();
            let mut title = t.name.clone();
            if !t.owner.trim().is_empty() {
                let _ = write!(title, " — {}", t.owner.trim());
            }
            if let Some(e) = t.emotion {
                let _ = write!(title, "; feels {}", scale.label(e));
            }
            let (stroke, width) = if mark.loses_context {
                (DANGER, 1.5)
            } else {
                (BORDER, 1.0)
            };
            let _ = write!(
                svg,
                "<g class=\"map-card\" data-touchpoint=\"{}\"><title>{}</title>\
                 <rect x=\"{:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"{:.1}\" rx=\"6\" \
                 fill=\"#FFFFFF\" stroke=\"{stroke}\" stroke-width=\"{width}\"/>",
                text(t.id.as_str()),
                text(&title),
                r.x,
                r.y,
                r.w,
                r.h
            );
            let x = r.x + 10.0;
            let room = r.w - 16.0;
            let mut y = r.y + 18.0;
            if let Some(e) = t.emotion {
                let _ = write!(
                    svg,
                    "<rect x=\"{:.1}\" y=\"{:.1}\" width=\"4\" height=\"{:.1}\" fill=\"{}\"/>",
                    r.x,
                    r.y + 4.0,
                    r.h - 8.0,
                    emotion_colour(scale_share(self.map, f64::from(e)))
                );
            }
            for line in wrap(&t.name, fit_chars(room, 13.0), 2) {
                let _ = write!(
                    svg,
                    "<text x=\"{x:.1}\" y=\"{y:.1}\" font-size=\"13\" font-weight=\"600\">{}</text>",
                    text(&line)
                );
                y += 16.0;
            }
            // The rest follows the name, so a short name leaves its space
            // at the card's foot rather than in its middle.
            y -= 2.0;
            let small = |svg: &mut String, y: f64, colour: &str, s: &str| {
                let _ = write!(
                    svg,
                    "<text x=\"{x:.1}\" y=\"{y:.1}\" font-size=\"11\" fill=\"{colour}\">{}</text>",
                    text(&one_line(s, room, 11.0))
                );
            };
            if !t.owner.trim().is_empty() {
                small(svg, y, MUTED, &t.owner);
            }
            y += LINE;
            if let Some(e) = t.emotion {
                let colour = emotion_colour(scale_share(self.map, f64::from(e)));
                let line = format!("{}{}", emotion_mark(e), scale.label(e));
                small(svg, y, colour, &line);
            }
            y += LINE;
            if mark.outgoing + mark.incoming > 0 {
                let counts = format!("{} in · {} out", mark.incoming, mark.outgoing);
                let line = if mark.loses_context {
                    format!("⚠ context lost · {counts}")
                } else {
                    format!("⇄ {counts}")
                };
                let colour = if mark.loses_context { DANGER } else { MUTED };
                small(svg, y, colour, &line);
            }
            y += LINE;
            if let Some(figs) = self.figures.as_ref().and_then(|f| f.get(&t.id)) {
                if figs.is_empty() {
                    small(svg, y, MUTED, "No answers");
                }
                for f in figs {
                    small(svg, y, verdict_colour(f.verdict), &figure_line(f));
                    y += LINE;
                }
            }
            if let Some(line) = self.moods.get(&t.id).and_then(|m| mood_line(m, room)) {
                small(svg, y, SENTIMENT, &line);
            }
            svg.push_str("</g>");
        }
    }

    fn notes(&self, svg: &mut String, lane: Lane, row: &Row, stages: &Range<usize>) {
        let colour = match lane {
            Lane::PainPoints => DANGER,
            Lane::Opportunities => MET,
            _ => TEXT,
        };
        for s in stages.clone() {
            let Some(stage) = self.map.stages.get(s) else {
                continue;
            };
            let x = s as f64 * STAGE_W + 10.0;
            let mut y = row.y + 20.0;
            for note in stage.lanes.get(lane) {
                let _ = write!(svg, "<g><title>{}</title>", text(note));
                for (j, line) in note_lines(note).iter().enumerate() {
                    let (bullet, indent) = if j == 0 { ("• ", 0.0) } else { ("", 9.0) };
                    let _ = write!(
                        svg,
                        "<text x=\"{:.1}\" y=\"{y:.1}\" font-size=\"11.5\" fill=\"{colour}\">{bullet}{}</text>",
                        x + indent,
                        text(line)
                    );
                    y += NOTE_LINE;
                }
                svg.push_str("</g>");
            }
        }
    }

    fn emotion(&self, svg: &mut String) {
        let scale = &self.map.emotion_scale;
        let right = self.grid_w();
        for score in scale.min..=scale.max {
            let y = self.score_y(f64::from(score));
            let colour = if score == 0 { "#AEB6C4" } else { BORDER };
            let dash = if score == 0 {
                ""
            } else {
                " stroke-dasharray=\"2 4\""
            };
            let _ = write!(
                svg,
                "<line x1=\"0\" x2=\"{right:.1}\" y1=\"{y:.1}\" y2=\"{y:.1}\" stroke=\"{colour}\"{dash}/>"
            );
        }
        // The measured bands under every curve, their lines over the bands.
        if let Some((c, _)) = &self.measured {
            self.measured_svg(svg, c, MEASURED, "8 5", diamond);
        }
        if let Some(c) = &self.sentiment {
            self.measured_svg(svg, c, SENTIMENT, "2 5", square);
        }
        // The designed curve last, over the personas' it may coincide with.
        for s in self.series.iter().rev() {
            if s.points.len() > 1 {
                let pts: Vec<String> = s
                    .points
                    .iter()
                    .map(|(x, y)| format!("{x:.1},{y:.1}"))
                    .collect();
                let _ = write!(
                    svg,
                    "<polyline points=\"{}\" fill=\"none\" stroke=\"{}\" stroke-width=\"2.5\" stroke-linejoin=\"round\"/>",
                    pts.join(" "),
                    s.colour
                );
            }
            for &p in &s.points {
                marker(svg, s.marker, s.colour, p);
            }
        }
    }

    /// One measured curve: its 95 % band, then its line and markers.
    fn measured_svg(
        &self,
        svg: &mut String,
        c: &MeasuredCurve,
        colour: &str,
        dash: &str,
        mark: fn(&mut String, &str, (f64, f64)),
    ) {
        for seg in measured_runs(self, c) {
            if seg.len() == 1 {
                let (x, _, lo, hi) = seg[0];
                let _ = write!(
                    svg,
                    "<rect x=\"{:.1}\" y=\"{hi:.1}\" width=\"16\" height=\"{:.1}\" fill=\"{colour}\" fill-opacity=\"0.18\"/>",
                    x - 8.0,
                    (lo - hi).max(1.0)
                );
            } else {
                let outline: Vec<String> = seg
                    .iter()
                    .map(|&(x, _, _, hi)| format!("{x:.1},{hi:.1}"))
                    .chain(
                        seg.iter()
                            .rev()
                            .map(|&(x, _, lo, _)| format!("{x:.1},{lo:.1}")),
                    )
                    .collect();
                let _ = write!(
                    svg,
                    "<polygon points=\"{}\" fill=\"{colour}\" fill-opacity=\"0.18\"/>",
                    outline.join(" ")
                );
                let line: Vec<String> = seg
                    .iter()
                    .map(|&(x, y, _, _)| format!("{x:.1},{y:.1}"))
                    .collect();
                let _ = write!(
                    svg,
                    "<polyline points=\"{}\" fill=\"none\" stroke=\"{colour}\" stroke-width=\"3\" stroke-dasharray=\"{dash}\"/>",
                    line.join(" ")
                );
            }
            for &(x, y, _, _) in &seg {
                mark(svg, colour, (x, y));
            }
        }
    }

    /// Handoffs as on the canvas: a grey arrow when context carries over;
    /// red, dashed, thicker and flagged ⚠ when it is lost, drawn last so
    /// those stand out.
    fn connectors(&self, svg: &mut String, prefix: &str) {
        let mut handoffs: Vec<_> = self.map.handoffs.iter().collect();
        handoffs.sort_by_key(|h| !h.context_carried);
        for h in handoffs {
            let (Some(from), Some(to)) = (self.cards.get(&h.from), self.cards.get(&h.to)) else {
                continue;
            };
            let r = route(*from, *to);
            let lost = !h.context_carried;
            let name = |id: &Id| self.map.touchpoint(id).map_or("?", |t| t.name.as_str());
            let mut title = format!("{} → {}", name(&h.from), name(&h.to));
            if lost {
                title.push_str(": context lost");
            }
            if !h.friction.trim().is_empty() {
                let _ = write!(title, " — {}", h.friction.trim());
            }
            let (colour, width, dash, arrow) = if lost {
                (DANGER, 2.5, " stroke-dasharray=\"7 4\"", "arrow-lost")
            } else {
                (CONNECTOR, 1.5, "", "arrow")
            };
            let _ = write!(
                svg,
                "<g class=\"map-connector\"><title>{}</title><path d=\"{}\" fill=\"none\" stroke=\"{colour}\" \
                 stroke-width=\"{width}\" stroke-opacity=\"0.9\"{dash} marker-end=\"url(#{prefix}{arrow})\"/>",
                text(&title),
                r.d()
            );
            if lost {
                let (x, y) = r.middle();
                let _ = write!(
                    svg,
                    "<circle cx=\"{x:.1}\" cy=\"{y:.1}\" r=\"9\" fill=\"#FFFFFF\" stroke=\"{DANGER}\" stroke-width=\"1.5\"/>\
                     <text x=\"{x:.1}\" y=\"{:.1}\" font-size=\"11\" text-anchor=\"middle\" fill=\"{DANGER}\">⚠</text>",
                    y + 4.0
                );
            }
            svg.push_str("</g>");
        }
    }

    fn footer(&self, svg: &mut String, height: f64) {
        let y = height - PAD - 8.0;
        let x = PAD;
        let _ = write!(
            svg,
            "<line x1=\"{x}\" x2=\"{:.1}\" y1=\"{:.1}\" y2=\"{:.1}\" stroke=\"{CONNECTOR}\" stroke-width=\"1.5\"/>\
             <text x=\"{:.1}\" y=\"{y:.1}\" font-size=\"11\" fill=\"{MUTED}\">handoff, context carries over</text>\
             <line x1=\"{:.1}\" x2=\"{:.1}\" y1=\"{:.1}\" y2=\"{:.1}\" stroke=\"{DANGER}\" stroke-width=\"2.5\" stroke-dasharray=\"7 4\"/>\
             <text x=\"{:.1}\" y=\"{y:.1}\" font-size=\"11\" fill=\"{MUTED}\">⚠ handoff that loses context</text>",
            x + 24.0,
            y - 4.0,
            y - 4.0,
            x + 30.0,
            x + 210.0,
            x + 234.0,
            y - 4.0,
            y - 4.0,
            x + 240.0
        );
    }
}

/// A note's lines in a text lane: wrapped to the column, cut after
/// [`NOTE_MAX_LINES`].
fn note_lines(note: &str) -> Vec<String> {
    wrap(note, fit_chars(STAGE_W - 30.0, 11.5), NOTE_MAX_LINES)
}

/// The measured curve's runs of consecutive stages with data, as x, y,
/// band low y and band high y in grid coordinates; a stage without data
/// ends a run.
fn measured_runs(layout: &Layout, c: &MeasuredCurve) -> Vec<Vec<(f64, f64, f64, f64)>> {
    let mut runs = Vec::new();
    let mut run = Vec::new();
    for s in 0..layout.map.stages.len() {
        match c.points.get(s).copied().flatten() {
            Some(p) if p.value.is_finite() => {
                let [a, b] = if p.band.iter().all(|b| b.is_finite()) {
                    p.band
                } else {
                    [p.value, p.value]
                };
                let x = s as f64 * STAGE_W + STAGE_W / 2.0;
                run.push((
                    x,
                    layout.score_y(p.value),
                    layout.score_y(a.min(b)),
                    layout.score_y(a.max(b)),
                ));
            }
            _ if !run.is_empty() => runs.push(std::mem::take(&mut run)),
            _ => {}
        }
    }
    if !run.is_empty() {
        runs.push(run);
    }
    runs
}

fn marker(svg: &mut String, m: Marker, colour: &str, (x, y): (f64, f64)) {
    let _ = match m {
        Marker::Circle => write!(
            svg,
            "<circle cx=\"{x:.1}\" cy=\"{y:.1}\" r=\"4.5\" fill=\"{colour}\" stroke=\"#FFFFFF\" stroke-width=\"1.5\"/>"
        ),
        Marker::Triangle => write!(
            svg,
            "<polygon points=\"{:.1},{:.1} {:.1},{:.1} {:.1},{:.1}\" fill=\"{colour}\"/>",
            x,
            y - 5.5,
            x - 5.0,
            y + 4.0,
            x + 5.0,
            y + 4.0
        ),
        Marker::Cross => write!(
            svg,
            "<path d=\"M{:.1} {:.1} L{:.1} {:.1} M{:.1} {:.1} L{:.1} {:.1}\" stroke=\"{colour}\" stroke-width=\"2.5\"/>",
            x - 4.0,
            y - 4.0,
            x + 4.0,
            y + 4.0,
            x - 4.0,
            y + 4.0,
            x + 4.0,
            y - 4.0
        ),
    };
}

fn diamond(svg: &mut String, colour: &str, (x, y): (f64, f64)) {
    let _ = write!(
        svg,
        "<polygon points=\"{x:.1},{:.1} {:.1},{y:.1} {x:.1},{:.1} {:.1},{y:.1}\" fill=\"{colour}\"/>",
        y - 6.0,
        x + 6.0,
        y + 6.0,
        x - 6.0
    );
}

/// A measured curve's legend entry: a short dashed line with the curve's
/// marker, then its label, with the text's baseline at `y`.
fn legend_entry(
    svg: &mut String,
    (x, y): (f64, f64),
    colour: &str,
    dash: &str,
    mark: fn(&mut String, &str, (f64, f64)),
    label: &str,
) {
    let _ = write!(
        svg,
        "<line x1=\"{x:.1}\" x2=\"{:.1}\" y1=\"{:.1}\" y2=\"{:.1}\" stroke=\"{colour}\" \
         stroke-width=\"3\" stroke-dasharray=\"{dash}\"/>",
        x + 16.0,
        y - 4.0,
        y - 4.0
    );
    mark(svg, colour, (x + 8.0, y - 4.0));
    let _ = write!(
        svg,
        "<text x=\"{:.1}\" y=\"{y:.1}\" font-size=\"11\">{}</text>",
        x + 22.0,
        text(label)
    );
}

fn square(svg: &mut String, colour: &str, (x, y): (f64, f64)) {
    let _ = write!(
        svg,
        "<rect x=\"{:.1}\" y=\"{:.1}\" width=\"9\" height=\"9\" fill=\"{colour}\"/>",
        x - 4.5,
        y - 4.5
    );
}

/// A card's comments in one line of at most `room` pixels, as the map page
/// shows them: the share negative and n, with its interval where it fits
/// (the card's other figures give way at their end; n must not).
fn mood_line(m: &Mood, room: f64) -> Option<String> {
    let negative = m.negative_percent()?;
    let short = format!("Negative {negative:.0} % · n {}", m.comments);
    let Some([lo, hi]) = m.negative_interval() else {
        return Some(short);
    };
    let full = format!(
        "Negative {negative:.0} % ({lo:.0}–{hi:.0}) · n {}",
        m.comments
    );
    Some(if full.chars().count() <= fit_chars(room, 11.0) {
        full
    } else {
        short
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analytics::{nps, Summary};
    use crate::model::{ChannelKind, Targets};
    use crate::templates::{large_map, TEMPLATES};
    use quick_xml::events::Event;
    use quick_xml::Reader;

    /// Parses `svg` as XML and returns the text of every element, unescaped,
    /// so assertions read what a viewer shows; panics on malformed XML.
    fn parse(svg: &str) -> Vec<String> {
        let mut reader = Reader::from_str(svg);
        reader.config_mut().check_end_names = true;
        let mut texts = Vec::new();
        let mut depth = 0usize;
        loop {
            match reader.read_event().expect("well-formed XML") {
                Event::Start(_) => depth += 1,
                Event::End(_) => depth -= 1,
                Event::Text(t) => texts.push(t.unescape().expect("valid escapes").into_owned()),
                Event::Eof => break,
                _ => {}
            }
        }
        assert_eq!(depth, 0, "every element is closed");
        texts
    }

    /// The text a card shows for its name, its wrapped lines joined.
    fn shown_name(texts: &[String], name: &str) -> bool {
        texts.iter().any(|t| t == name)
    }

    #[test]
    fn every_touchpoint_of_every_template_is_in_the_picture() {
        for template in TEMPLATES {
            let map = (template.build)(Id::new("m"), 0.0);
            let svg = map_svg(&map, None);
            assert!(svg.starts_with("<?xml"));
            assert!(svg.contains("viewBox=\"0 0 "));
            let texts = parse(&svg);
            for t in &map.touchpoints {
                // The full name is the card's title; the card shows it
                // wrapped, so every word is on it too.
                assert!(
                    texts.iter().any(|x| x.starts_with(&t.name)),
                    "{}: {}",
                    template.key,
                    t.name
                );
                let first = t.name.split_whitespace().next().unwrap();
                assert!(texts.iter().any(|x| x.starts_with(first)));
            }
            for s in &map.stages {
                assert!(shown_name(&texts, &s.name), "stage {}", s.name);
            }
            for c in &map.channels {
                assert!(texts
                    .iter()
                    .any(|x| x == &c.name || c.name.starts_with(x.trim_end_matches('…'))));
            }
            assert_eq!(
                svg.matches("class=\"map-connector\"").count(),
                map.handoffs.len(),
                "{}: one connector per handoff",
                template.key
            );
        }
    }

    #[test]
    fn a_large_map_keeps_every_name() {
        let map = large_map(12, 10, 300, 200);
        let svg = map_svg(&map, None);
        let texts = parse(&svg);
        for t in &map.touchpoints {
            assert!(shown_name(&texts, &t.name), "{}", t.name);
        }
        assert_eq!(svg.matches("class=\"map-card\"").count(), 300);
    }

    fn size(svg: &str) -> (f64, f64) {
        let attr = |name: &str| {
            let at = svg.find(&format!(" {name}=\"")).unwrap() + name.len() + 3;
            svg[at..at + svg[at..].find('"').unwrap()].parse().unwrap()
        };
        (attr("width"), attr("height"))
    }

    #[test]
    fn the_picture_grows_with_stages_and_shows_every_visible_lane() {
        let mut map = JourneyMap::new(Id::new("m"), "Grows", 0.0);
        let c = map.add_channel("Web", ChannelKind::Digital);
        let s = map.add_stage("One");
        map.add_touchpoint(&s, &c, "First").unwrap();
        let small = size(&map_svg(&map, None));
        map.add_stage("Two");
        map.add_stage("Three");
        let large = size(&map_svg(&map, None));
        assert_eq!(large.0 - small.0, 2.0 * STAGE_W);
        assert_eq!(large.1, small.1);

        let texts = parse(&map_svg(&map, None));
        for lane in Lane::ALL.into_iter().filter(|l| *l != Lane::Touchpoints) {
            assert!(texts.iter().any(|t| t == lane.label()), "{lane:?}");
        }
        map.lanes.set_visible(Lane::Backstage, false);
        map.lanes.move_to(Lane::Emotion, 0);
        let svg = map_svg(&map, None);
        let texts = parse(&svg);
        assert!(!texts.iter().any(|t| t == Lane::Backstage.label()));
        let at = |label: &str| svg.find(&format!(">{label}</text>")).unwrap();
        assert!(at("Emotion curve") < at("Web"), "lanes in the map's order");
    }

    const PAYLOADS: [&str; 6] = [
        "<script>alert(1)</script>",
        "\"><svg onload=alert(1)>",
        "Tom & Jerry's \"quote\"",
        "javascript:alert(1)",
        "<img src=x onerror=alert(1)>",
        "bell\u{7}and\u{0}nul",
    ];

    fn hostile() -> JourneyMap {
        let mut m = JourneyMap::new(Id::new("x\"><script>"), PAYLOADS[0], 0.0);
        let s = m.add_stage(PAYLOADS[1]);
        let s2 = m.add_stage(PAYLOADS[3]);
        let c = m.add_channel(PAYLOADS[2], ChannelKind::Human);
        let p = m.add_persona(PAYLOADS[4]);
        let mut ids = Vec::new();
        for (k, name) in PAYLOADS.iter().enumerate() {
            let stage = if k % 2 == 0 { &s } else { &s2 };
            let t = m.add_touchpoint(stage, &c, *name).unwrap();
            let tp = m.touchpoint_mut(&t).unwrap();
            tp.owner = PAYLOADS[(k + 1) % PAYLOADS.len()].into();
            tp.emotion = Some(0);
            tp.persona_emotions.insert(p.clone(), 1);
            ids.push(t);
        }
        let h = m.add_handoff(&ids[0], &ids[1], false).unwrap();
        m.set_handoff_friction(&h, PAYLOADS[1]).unwrap();
        m.set_stage_lane(&s, Lane::PainPoints, PAYLOADS.map(String::from).to_vec())
            .unwrap();
        m.set_stage_goal(&s, PAYLOADS[4]).unwrap();
        m.emotion_scale.labels[2] = PAYLOADS[0].into();
        m
    }

    #[test]
    fn user_text_is_escaped_everywhere() {
        let m = hostile();
        let mut svgs = vec![map_svg(&m, None)];
        svgs.extend(print_pages(&m, None));
        for svg in &svgs {
            for bad in ["<script", "<svg onload", "<img", "\u{7}", "\u{0}"] {
                assert!(!svg.contains(bad), "{bad} in the picture");
            }
            assert!(!svg.contains("href"));
            let texts = parse(svg);
            // Read back, the names are the text the user typed.
            assert!(texts.iter().any(|t| t == "javascript:alert(1)"));
            assert!(texts.iter().any(|t| t.contains("Tom & Jerry's \"quote\"")));
        }
        let texts = parse(&svgs[0]);
        assert!(texts.iter().any(|t| t == "bellandnul"));
        assert!(texts.iter().any(|t| t == "<script>alert(1)</script>"));
    }

    #[test]
    fn long_names_are_cut_on_the_card_and_whole_in_its_title() {
        let mut m = JourneyMap::new(Id::new("m"), "Long", 0.0);
        let s = m.add_stage("S");
        let c = m.add_channel("C", ChannelKind::Digital);
        let long = "Customer reads the whole terms and conditions page twice before calling support to ask what they mean";
        m.add_touchpoint(&s, &c, long).unwrap();
        let texts = parse(&map_svg(&m, None));
        assert!(
            texts.iter().any(|t| t == long),
            "the full name in the title"
        );
        let cut = texts
            .iter()
            .find(|t| t.starts_with("whole"))
            .expect("the name's second line");
        assert!(cut.ends_with('…'));

        assert!(long.starts_with("Customer reads"));
        assert!(cut.chars().count() <= fit_chars(STAGE_W - 2.0 * INSET - 16.0, 13.0));
    }

    #[test]
    fn wrapping_breaks_at_spaces_and_cuts_with_an_ellipsis() {
        assert_eq!(wrap("one two three", 8, 2), ["one two", "three"]);
        assert_eq!(wrap("one two three four", 8, 2), ["one two", "three…"]);
        assert_eq!(wrap("abcdefghijkl", 5, 3), ["abcde", "fghij", "kl"]);
        assert_eq!(wrap("", 5, 2), [""]);
        assert_eq!(text("a\u{1}b\n  c <"), "ab c &lt;");
    }

    fn metrics_for(m: &JourneyMap) -> JourneyMetrics {
        let mut metrics = JourneyMetrics::default();
        let t = &m.touchpoints[1];
        metrics.touchpoints.insert(
            t.id.clone(),
            Summary {
                nps: nps(30, 10, 10),
                ..Summary::default()
            },
        );
        for (k, s) in m.stages.iter().enumerate().take(3) {
            metrics.stages.insert(
                s.id.clone(),
                Summary {
                    nps: nps(20 + k * 5, 10, 10),
                    ..Summary::default()
                },
            );
        }
        metrics
    }

    #[test]
    fn comment_sentiment_shows_on_cards_and_as_a_curve() {
        let m = crate::templates::retail(Id::new("r"), 0.0);
        let metrics = metrics_for(&m);
        let angry = Mood {
            comments: 4,
            negative: 2,
            positive: 1,
            compound_sum: -1.2,
            compound_sq: 1.0,
        };
        let mut sentiment = JourneySentiment {
            scored: true,
            ..JourneySentiment::default()
        };
        sentiment
            .touchpoints
            .insert(m.touchpoints[1].id.clone(), angry);
        for stage in &m.stages[..2] {
            sentiment.stages.insert(stage.id.clone(), angry);
        }
        let feedback = Feedback {
            metrics: &metrics,
            sentiment: Some(&sentiment),
        };
        let svg = map_svg(&m, Some(feedback));
        let texts = parse(&svg);
        assert!(
            texts.iter().any(|t| t == "Negative 50 % · n 4"),
            "{texts:?}"
        );
        // 2 of 4: Wilson's 95 % interval is 15 % to 85 %, where it fits.
        assert_eq!(
            mood_line(&angry, 400.0).unwrap(),
            "Negative 50 % (15–85) · n 4"
        );
        assert_eq!(
            texts.iter().filter(|t| t.starts_with("Negative")).count(),
            1
        );
        assert!(texts.iter().any(|t| t == "Comment sentiment (VADER)"));
        assert_eq!(
            svg.matches(&format!(
                "stroke=\"{SENTIMENT}\" stroke-width=\"3\" stroke-dasharray=\"2 5\"/>"
            ))
            .count(),
            2,
            "one run of two stages, and the legend"
        );
        let pages = print_pages(&m, Some(feedback)).concat();
        assert!(pages.contains("Negative 50 %"));

        let without = map_svg(
            &m,
            Some(Feedback {
                metrics: &metrics,
                sentiment: None,
            }),
        );
        assert!(!without.contains("Negative") && !without.contains(SENTIMENT));
    }

    #[test]
    fn measured_values_show_on_cards_and_as_a_curve() {
        let mut m = crate::templates::retail(Id::new("r"), 0.0);
        let id = m.touchpoints[1].id.clone();
        m.touchpoint_mut(&id).unwrap().targets = Targets {
            nps: Some(30.0),
            ..Targets::default()
        };
        let metrics = metrics_for(&m);
        let svg = map_svg(
            &m,
            Some(Feedback {
                metrics: &metrics,
                sentiment: None,
            }),
        );
        let texts = parse(&svg);
        let line = texts
            .iter()
            .find(|t| t.starts_with("✓ NPS +40"))
            .expect("the card's NPS");
        assert!(line.contains("(16 to 59)"), "{line}");
        assert_eq!(
            texts.iter().filter(|t| *t == "No answers").count(),
            m.touchpoints.len() - 1
        );
        assert!(texts.iter().any(|t| t == "Measured NPS"));
        assert_eq!(
            svg.matches("stroke-dasharray=\"8 5\"").count(),
            1,
            "one run"
        );
        let plain = map_svg(&m, None);
        assert!(!plain.contains("NPS +40") && !plain.contains(MEASURED));
    }

    #[test]
    fn persona_curves_are_drawn_with_their_legend() {
        let m = crate::templates::retail(Id::new("r"), 0.0);
        let svg = map_svg(&m, None);
        let texts = parse(&svg);
        assert!(texts.iter().any(|t| t == "Designed"));
        for p in &m.personas {
            let shown = one_line(&p.name, LABEL_W - 16.0 - 22.0, 11.0);
            assert!(texts.contains(&shown), "{}", p.name);
        }
        // The designed line, then a line per persona with scores.
        assert_eq!(
            svg.matches("stroke-width=\"2.5\" stroke-linejoin").count(),
            3
        );
    }

    #[test]
    fn print_pages_split_stages_and_rows_and_repeat_the_labels() {
        let retail = crate::templates::retail(Id::new("r"), 0.0);
        let pages = print_pages(&retail, None);
        assert!(pages.len() >= 2, "the retail map's rows need two pages");
        let big = large_map(12, 10, 300, 200);
        let big_pages = print_pages(&big, None);
        let mut first_stage = 0;
        let mut last_stage = 0;
        for page in pages.iter().chain(&big_pages) {
            let texts = parse(page);
            let (w, h) = size(page);
            assert!(w <= PRINT_W + 0.5 && h <= PRINT_H + 0.5, "{w} × {h}");
            assert!(w >= PRINT_W * 0.3, "not shrunk to a stamp");
            assert!(texts.iter().any(|t| t == "Lane / stage"));
            assert!(texts.iter().any(|t| t.starts_with("Page ")));
            assert!(page.contains("class=\"lane-label\""));
            // The large map's stages run across pages, each page with its
            // own lane labels.
            let has = |name: &str| texts.iter().any(|t| t == name);
            first_stage += usize::from(has("Stage 1"));
            last_stage += usize::from(has("Stage 12"));
            assert!(!(has("Stage 1") && has("Stage 12")));
        }
        assert!(first_stage >= 1 && last_stage >= 1);
        assert_eq!(first_stage, last_stage, "every row chunk for both");
        // Ids are unique across pages, so they can share one document.
        assert!(pages[0].contains("id=\"wm-print-0-grid\""));
        assert!(pages[1].contains("id=\"wm-print-1-grid\""));
        let empty = JourneyMap::new(Id::new("e"), "Empty", 0.0);
        assert_eq!(print_pages(&empty, None).len(), 1);
        parse(&map_svg(&empty, None));
    }
}
