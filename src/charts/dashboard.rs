//! The insights dashboard's charts: metric bars, answer distributions,
//! trends, before/after comparisons and a channel × stage heatmap.
//!
//! Every chart is a plain function from an input struct of its own (so the
//! charts do not depend on how insights are computed) to a [`Chart`]: the
//! SVG plus a [`Table`] with the same numbers, the text alternative the page
//! shows one click away.
//!
//! Conventions shared by all charts:
//! - Text, axes and ticks are drawn in `currentColor` and the background is
//!   transparent, so a chart reads on light and dark pages; series colours
//!   are mid-tones that keep contrast with both white and near-black.
//! - Colour is never the only cue: targets met or missed carry ✓ / ✗, few
//!   answers are lighter *and* say "few answers", series differ by marker.
//! - User-provided labels are escaped (plotters escapes its text; what is
//!   written by hand here goes through [`escape`]) and long ones are cut
//!   with an ellipsis on the chart, whole in the table.
//! - Empty input draws a chart saying "No data" and an empty-rows table;
//!   NaN values are left out (a gap, never a zero), and degenerate domains
//!   are widened, so no input panics.

use plotters::coord::combinators::BindKeyPoints;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::backend::Svg;
use super::{escape, failed, ChartError};

/// What the page shows instead of, or next to, a chart: a caption, column
/// headers and rows of plain-text cells (the UI escapes them).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Table {
    pub caption: String,
    pub headers: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

/// A drawn chart: an `<svg>` element to place in the page, and its table.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Chart {
    pub svg: String,
    pub table: Table,
}

/// Stand-in colour for text, axes and ticks, replaced by `currentColor`.
const INK: RGBColor = RGBColor(1, 2, 3);
/// Stand-in for dashed strokes in `currentColor` (target lines).
const INK_DASHED: RGBColor = RGBColor(1, 2, 4);
const DASH: &str = "6 4";

/// Mid-tone series colours, legible on white and on near-black.
const BLUE: RGBColor = RGBColor(66, 133, 244);
const ORANGE: RGBColor = RGBColor(230, 97, 1);
const GREEN: RGBColor = RGBColor(26, 158, 119);
const GREY: RGBColor = RGBColor(150, 150, 150);
const PURPLE: RGBColor = RGBColor(148, 103, 189);

/// Meets the target: green and ✓; misses it: orange and ✗.
const MET: RGBColor = GREEN;
const MISSED: RGBColor = ORANGE;
/// A bar with no target to meet.
const PLAIN: RGBColor = BLUE;
/// How opaque the fill of a bar with few answers is.
const FEW_ALPHA: f64 = 0.35;
/// How opaque an interval band is.
const BAND_ALPHA: f64 = 0.2;

/// The heatmap's sequential scale, light to dark blue; cells are opaque, so
/// their count's text colour is picked against the cell alone.
const HEAT_LOW: RGBColor = RGBColor(222, 235, 247);
const HEAT_HIGH: RGBColor = RGBColor(8, 81, 156);
/// Text on heatmap cells: whichever of these contrasts more with the cell.
const DARK_TEXT: RGBColor = RGBColor(17, 24, 39);
const LIGHT_TEXT: RGBColor = RGBColor(255, 255, 255);

/// Charts are drawn this wide; the SVG has a viewBox, so the page scales it.
const WIDTH: u32 = 760;
const TITLE_H: i32 = 32;
const LEGEND_ROW_H: i32 = 20;
/// Estimated pixel width of a character of 12 px text, for laying out the
/// legend (the exact width is the browser's business).
const CHAR_W: i32 = 7;

const ENDASH: &str = "–";

// ---------------------------------------------------------------------------
// Shared helpers

/// Cuts `text` to at most `max` characters, ending with an ellipsis when
/// cut; line breaks and other control characters become spaces.
fn cut(text: &str, max: usize) -> String {
    let clean: String = text
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    let clean = clean.trim();
    if clean.chars().count() <= max {
        clean.to_owned()
    } else {
        let kept: String = clean.chars().take(max.saturating_sub(1)).collect();
        format!("{}…", kept.trim_end())
    }
}

/// A number with `decimals` places; "–" when not finite, never "-0.0".
fn num(v: f64, decimals: usize) -> String {
    if !v.is_finite() {
        return ENDASH.into();
    }
    let s = format!("{v:.decimals$}");
    match s.strip_prefix('-') {
        Some(rest) if rest.chars().all(|c| c == '0' || c == '.') => rest.to_owned(),
        _ => s,
    }
}

fn finite(v: f64) -> Option<f64> {
    v.is_finite().then_some(v)
}

/// An interval with both ends finite, low end first.
fn interval(ci: Option<[f64; 2]>) -> Option<[f64; 2]> {
    let [a, b] = ci?;
    (a.is_finite() && b.is_finite()).then(|| [a.min(b), a.max(b)])
}

/// plotters-svg writes font sizes divided by 1.24 (points to pixels); sizes
/// here are the pixels wanted on the page.
fn px(size: u32) -> f64 {
    f64::from(size) * 1.24
}

fn font(size: u32) -> TextStyle<'static> {
    ("sans-serif", px(size)).into_font().color(&INK)
}

fn bold(size: u32) -> TextStyle<'static> {
    ("sans-serif", px(size), FontStyle::Bold)
        .into_font()
        .color(&INK)
}

fn anchored(style: TextStyle<'static>, h: HPos, v: VPos) -> TextStyle<'static> {
    style.pos(Pos::new(h, v))
}

/// A domain for values: the caller's if usable, else the data's (padded by
/// 5 % either side), widened when empty or a single value.
fn domain(given: Option<[f64; 2]>, data: impl IntoIterator<Item = f64>) -> [f64; 2] {
    if let Some([lo, hi]) = given {
        if lo.is_finite() && hi.is_finite() && lo < hi {
            return [lo, hi];
        }
    }
    let (lo, hi) = data
        .into_iter()
        .filter(|v| v.is_finite())
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| {
            (lo.min(v), hi.max(v))
        });
    if lo > hi {
        return [0.0, 1.0];
    }
    if lo == hi {
        let pad = if lo == 0.0 { 1.0 } else { lo.abs() / 10.0 };
        return [lo - pad, hi + pad];
    }
    let pad = (hi - lo) * 0.05;
    [lo - pad, hi + pad]
}

/// Tick labels with as many decimals as the span needs.
fn tick(v: f64, span: f64) -> String {
    let decimals = if span >= 20.0 {
        0
    } else if span >= 2.0 {
        1
    } else {
        2
    };
    num(v, decimals)
}

/// Category keys (plot units of 10 per category) with at most `most`
/// labelled, evenly.
fn category_keys(n: usize, most: usize) -> Vec<i32> {
    let every = n.div_ceil(most.max(1)).max(1);
    (0..n).step_by(every).map(|i| 10 * to_i32(i)).collect()
}

fn to_i32(n: usize) -> i32 {
    i32::try_from(n).unwrap_or(i32::MAX / 20)
}

/// The chart's `<svg>` with the stand-in colours resolved, a dash pattern on
/// target lines, and its title as the accessible name.
fn finish(svg: &str, title: &str) -> String {
    let mut svg = svg
        .replace(
            &format!("\"{}\"", super::svg_colour(INK_DASHED)),
            &format!("\"currentColor\" stroke-dasharray=\"{DASH}\""),
        )
        .replace(
            &format!("\"{}\"", super::svg_colour(INK)),
            "\"currentColor\"",
        );
    if let Some(end) = svg.find('>') {
        let title = escape(title);
        svg.insert_str(end + 1, &format!("<title>{title}</title>"));
        svg.insert_str(end, &format!(" role=\"img\" aria-label=\"{title}\""));
    }
    svg
}

/// A chart that only says something: "No data", or that drawing failed.
fn message_svg(title: &str, message: &str) -> String {
    let full = escape(title);
    let shown = escape(&cut(title, 90));
    let message = escape(message);
    format!(
        "<svg width=\"{WIDTH}\" height=\"120\" viewBox=\"0 0 {WIDTH} 120\" \
         xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" aria-label=\"{full}: {message}\">\
         <title>{full}</title>\
         <text x=\"12\" y=\"10\" dy=\"0.76em\" font-family=\"sans-serif\" font-size=\"16\" \
         font-weight=\"bold\" fill=\"currentColor\">{shown}</text>\
         <text x=\"{x}\" y=\"72\" text-anchor=\"middle\" font-family=\"sans-serif\" \
         font-size=\"14\" fill=\"currentColor\">{message}</text></svg>",
        x = WIDTH / 2,
    )
}

/// Draws with `draw`, or says why not: "No data" when `empty`, a notice if
/// plotters failed (only possible on wasm outside a page).
fn render(
    title: &str,
    table: Table,
    empty: bool,
    draw: impl FnOnce() -> Result<String, ChartError>,
) -> Chart {
    let svg = if empty {
        message_svg(title, "No data")
    } else {
        match draw() {
            Ok(svg) => finish(&svg, title),
            Err(e) => message_svg(title, &format!("The chart could not be drawn: {}", e.0)),
        }
    };
    Chart { svg, table }
}

/// Markers told apart by shape as well as colour.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Marker {
    Circle,
    Square,
    Triangle,
    Diamond,
}

type Area<'a> = DrawingArea<Svg<'a>, Shift>;

/// Draws a marker centred on a pixel of `area`.
fn marker(area: &Area, (x, y): (i32, i32), m: Marker, colour: RGBColor) -> Result<(), ChartError> {
    let style = colour.filled();
    match m {
        Marker::Circle => area.draw(&Circle::new((x, y), 4, style)),
        Marker::Square => area.draw(&Rectangle::new([(x - 4, y - 4), (x + 4, y + 4)], style)),
        Marker::Triangle => area.draw(&TriangleMarker::new((x, y), 5, style)),
        Marker::Diamond => area.draw(&Polygon::new(
            vec![(x, y - 5), (x + 5, y), (x, y + 5), (x - 5, y)],
            style,
        )),
    }
    .map_err(failed)
}

/// What a legend entry shows before its text.
#[derive(Clone, Copy, Debug)]
enum Swatch {
    Fill(RGBColor),
    /// The lighter, outlined fill of bars with few answers.
    Light(RGBColor),
    Line(RGBColor, Marker),
    Dot(RGBColor, Marker),
    Band(RGBColor),
    Whisker,
    /// A dashed target line.
    Dashed,
    /// A per-bar target tick.
    Tick,
}

type LegendItem = (Swatch, String);

/// Where each legend entry goes: its x and its row, wrapping at the width.
fn legend_layout(items: &[LegendItem]) -> Vec<(i32, i32)> {
    let right = to_i32(WIDTH as usize) - 12;
    let (mut x, mut row) = (12, 0);
    items
        .iter()
        .map(|(_, text)| {
            let w = 26 + CHAR_W * to_i32(text.chars().count()) + 18;
            if x > 12 && x + w > right {
                x = 12;
                row += 1;
            }
            let at = (x, row);
            x += w;
            at
        })
        .collect()
}

fn header_height(items: &[LegendItem]) -> i32 {
    let rows = legend_layout(items).last().map_or(0, |(_, r)| r + 1);
    TITLE_H + rows * LEGEND_ROW_H + if rows > 0 { 6 } else { 0 }
}

/// The title and the legend rows under it.
fn draw_header(area: &Area, title: &str, items: &[LegendItem]) -> Result<(), ChartError> {
    area.draw(&Text::new(
        cut(title, 80),
        (12, 10),
        anchored(bold(16), HPos::Left, VPos::Top),
    ))
    .map_err(failed)?;
    for ((swatch, text), (x, row)) in items.iter().zip(legend_layout(items)) {
        let cy = TITLE_H + row * LEGEND_ROW_H + LEGEND_ROW_H / 2;
        match *swatch {
            Swatch::Fill(c) => area
                .draw(&Rectangle::new([(x, cy - 6), (x + 18, cy + 6)], c.filled()))
                .map_err(failed)?,
            Swatch::Light(c) => {
                area.draw(&Rectangle::new(
                    [(x, cy - 6), (x + 18, cy + 6)],
                    c.mix(FEW_ALPHA).filled(),
                ))
                .map_err(failed)?;
                area.draw(&Rectangle::new([(x, cy - 6), (x + 18, cy + 6)], c))
                    .map_err(failed)?;
            }
            Swatch::Line(c, m) => {
                area.draw(&PathElement::new(
                    vec![(x, cy), (x + 20, cy)],
                    c.stroke_width(2),
                ))
                .map_err(failed)?;
                marker(area, (x + 10, cy), m, c)?;
            }
            Swatch::Dot(c, m) => marker(area, (x + 10, cy), m, c)?,
            Swatch::Band(c) => area
                .draw(&Rectangle::new(
                    [(x, cy - 6), (x + 20, cy + 6)],
                    c.mix(BAND_ALPHA).filled(),
                ))
                .map_err(failed)?,
            Swatch::Whisker => {
                let line = vec![
                    (x, cy - 4),
                    (x, cy + 4),
                    (x, cy),
                    (x + 20, cy),
                    (x + 20, cy + 4),
                    (x + 20, cy - 4),
                ];
                area.draw(&PathElement::new(line, INK.stroke_width(1)))
                    .map_err(failed)?;
            }
            Swatch::Dashed => area
                .draw(&PathElement::new(
                    vec![(x + 10, cy - 8), (x + 10, cy + 8)],
                    INK_DASHED.stroke_width(2),
                ))
                .map_err(failed)?,
            Swatch::Tick => area
                .draw(&PathElement::new(
                    vec![(x + 10, cy - 7), (x + 10, cy + 7)],
                    INK.stroke_width(3),
                ))
                .map_err(failed)?,
        }
        area.draw(&Text::new(
            text.clone(),
            (x + 26, cy),
            anchored(font(12), HPos::Left, VPos::Center),
        ))
        .map_err(failed)?;
    }
    Ok(())
}

/// The background of a standalone file, and the colour `currentColor`
/// becomes there.
const DOCUMENT_BACKGROUND: &str = "#FFFFFF";
const DOCUMENT_TEXT: &str = "#1F2937";

/// Makes a chart's SVG a standalone file to download: an XML declaration,
/// the SVG namespace, `currentColor` resolved to a dark text colour, and a
/// white background, so it opens and prints the same everywhere.
pub fn svg_document(svg: &str) -> String {
    // Quoted: only attribute values; text content has its quotes escaped.
    let mut body = svg
        .trim()
        .replace("\"currentColor\"", &format!("\"{DOCUMENT_TEXT}\""));
    if let Some(end) = body.find('>') {
        let tag = &body[..end];
        if tag.starts_with("<svg") && !tag.contains("xmlns=") {
            body.insert_str(end, " xmlns=\"http://www.w3.org/2000/svg\"");
        }
    }
    if let Some(end) = body.find('>') {
        // After the title, if any, so it stays the first child.
        let at = body[end..]
            .find("</title>")
            .filter(|_| body[end + 1..].trim_start().starts_with("<title>"))
            .map_or(end + 1, |t| end + t + "</title>".len());
        body.insert_str(
            at,
            &format!("<rect width=\"100%\" height=\"100%\" fill=\"{DOCUMENT_BACKGROUND}\"/>"),
        );
    }
    format!("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n{body}\n")
}

// ---------------------------------------------------------------------------
// Metrics

/// What a chart's values measure. NPS, CSAT % and CES are "higher is
/// better" (CES here is agreement with "it was easy", 1–7).
#[derive(Clone, Debug, PartialEq)]
pub enum Metric {
    /// Net Promoter Score, −100 to 100.
    Nps,
    /// CSAT: % satisfied (top two boxes), 0 to 100.
    Csat,
    /// CES: mean answer, 1 to 7.
    Ces,
    Custom {
        name: String,
        /// Written after values: "%" is attached, anything else spaced.
        unit: String,
        higher_is_better: bool,
    },
}

impl Metric {
    pub fn name(&self) -> &str {
        match self {
            Metric::Nps => "NPS",
            Metric::Csat => "CSAT",
            Metric::Ces => "CES",
            Metric::Custom { name, .. } => name,
        }
    }

    pub fn unit(&self) -> &str {
        match self {
            Metric::Nps | Metric::Ces => "",
            Metric::Csat => "%",
            Metric::Custom { unit, .. } => unit,
        }
    }

    /// The metric's whole range, the usual axis domain; `None` for custom
    /// metrics, whose domain comes from the data.
    pub fn range(&self) -> Option<[f64; 2]> {
        match self {
            Metric::Nps => Some([-100.0, 100.0]),
            Metric::Csat => Some([0.0, 100.0]),
            Metric::Ces => Some([1.0, 7.0]),
            Metric::Custom { .. } => None,
        }
    }

    pub fn higher_is_better(&self) -> bool {
        match self {
            Metric::Custom {
                higher_is_better, ..
            } => *higher_is_better,
            _ => true,
        }
    }

    /// The value axis's title.
    pub fn axis_title(&self) -> String {
        match self {
            Metric::Nps => "NPS (−100 to 100)".into(),
            Metric::Csat => "CSAT (% satisfied)".into(),
            Metric::Ces => "CES (mean answer, 1–7)".into(),
            Metric::Custom { name, unit, .. } if unit.trim().is_empty() => name.clone(),
            Metric::Custom { name, unit, .. } => format!("{name} ({unit})"),
        }
    }

    fn decimals(&self) -> usize {
        match self {
            Metric::Ces => 2,
            _ => 1,
        }
    }

    /// A value as the chart and its table write it, with the unit.
    pub fn format(&self, v: f64) -> String {
        let n = num(v, self.decimals());
        let unit = self.unit().trim();
        if !v.is_finite() || unit.is_empty() {
            n
        } else if unit == "%" {
            format!("{n}%")
        } else {
            format!("{n} {unit}")
        }
    }

    /// Whether `v` meets `target`, by the metric's direction.
    fn meets(&self, v: f64, target: f64) -> bool {
        if self.higher_is_better() {
            v >= target
        } else {
            v <= target
        }
    }

    fn interval_text(&self, ci: Option<[f64; 2]>) -> String {
        interval(ci).map_or_else(
            || ENDASH.into(),
            |[lo, hi]| {
                format!(
                    "{} to {}",
                    num(lo, self.decimals()),
                    num(hi, self.decimals())
                )
            },
        )
    }
}

/// A horizontal 95 % whisker with end caps, as one polyline: cap, line,
/// cap (one element instead of three keeps 200 bars fast to draw).
fn whisker(lo: f64, hi: f64, y: i32) -> Vec<(f64, i32)> {
    vec![
        (lo, y - 2),
        (lo, y + 2),
        (lo, y),
        (hi, y),
        (hi, y + 2),
        (hi, y - 2),
    ]
}

// ---------------------------------------------------------------------------
// Bars

/// A metric by touchpoint, stage, channel or segment, as horizontal bars.
#[derive(Clone, Debug, PartialEq)]
pub struct Bars {
    pub title: String,
    pub metric: Metric,
    /// What the bars are, for the axis and the table: "Touchpoint", …
    pub group: String,
    /// The value axis; `None` takes it from the data (including zero).
    pub domain: Option<[f64; 2]>,
    /// One target for every bar; a bar's own target overrides it.
    pub target: Option<f64>,
    /// Drawn top to bottom in this order; see [`Bars::sorted`].
    pub bars: Vec<Bar>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Bar {
    pub label: String,
    pub value: f64,
    pub ci95: Option<[f64; 2]>,
    pub n: usize,
    pub target: Option<f64>,
    /// Too few answers to trust: drawn lighter and marked.
    pub few: bool,
}

impl Bars {
    /// No bars yet; the domain is the metric's whole range.
    pub fn new(title: impl Into<String>, metric: Metric, group: impl Into<String>) -> Self {
        Bars {
            title: title.into(),
            domain: metric.range(),
            metric,
            group: group.into(),
            target: None,
            bars: Vec::new(),
        }
    }

    /// Highest value first; bars without a value last; ties keep their order.
    pub fn sorted(mut self) -> Self {
        self.bars
            .sort_by(|a, b| match (finite(a.value), finite(b.value)) {
                (Some(a), Some(b)) => b.total_cmp(&a),
                (Some(_), None) => std::cmp::Ordering::Less,
                (None, Some(_)) => std::cmp::Ordering::Greater,
                (None, None) => std::cmp::Ordering::Equal,
            });
        self
    }

    fn target_of(&self, bar: &Bar) -> Option<f64> {
        bar.target.or(self.target).and_then(finite)
    }

    /// Met (`Some(true)`), missed, or no target or no value (`None`).
    fn status(&self, bar: &Bar) -> Option<bool> {
        let target = self.target_of(bar)?;
        Some(self.metric.meets(finite(bar.value)?, target))
    }
}

fn status_text(status: Option<bool>) -> &'static str {
    match status {
        Some(true) => "✓ met",
        Some(false) => "✗ missed",
        None => "",
    }
}

fn bars_table(input: &Bars) -> Table {
    let m = &input.metric;
    let group = if input.group.trim().is_empty() {
        "Group".to_owned()
    } else {
        input.group.clone()
    };
    Table {
        caption: input.title.clone(),
        headers: [
            group.as_str(),
            m.name(),
            "95 % CI",
            "n",
            "Target",
            "Target met",
            "Few answers",
        ]
        .map(String::from)
        .to_vec(),
        rows: input
            .bars
            .iter()
            .map(|b| {
                vec![
                    b.label.clone(),
                    m.format(b.value),
                    m.interval_text(b.ci95),
                    b.n.to_string(),
                    input.target_of(b).map_or_else(String::new, |t| m.format(t)),
                    status_text(input.status(b)).to_owned(),
                    if b.few { "yes" } else { "no" }.to_owned(),
                ]
            })
            .collect(),
    }
}

/// Horizontal bars with 95 % whiskers, n, the target (one dashed line, or a
/// tick per bar when bars have different targets), ✓ / ✗ by the target, and
/// bars with few answers lighter and marked "few answers".
pub fn bars(input: &Bars) -> Chart {
    render(
        &input.title,
        bars_table(input),
        input.bars.is_empty(),
        || draw_bars(input),
    )
}

fn draw_bars(input: &Bars) -> Result<String, ChartError> {
    let m = &input.metric;
    let n = input.bars.len();
    let dense = n > 40;
    let (row_h, fs, label_chars) = if dense { (16, 10, 28) } else { (26, 12, 24) };

    let targets: Vec<Option<f64>> = input.bars.iter().map(|b| input.target_of(b)).collect();
    let common = match targets.first() {
        Some(Some(t)) if targets.iter().all(|x| *x == Some(*t)) => Some(*t),
        _ => None,
    };
    let per_bar = common.is_none() && targets.iter().any(Option::is_some);
    let statuses: Vec<Option<bool>> = input.bars.iter().map(|b| input.status(b)).collect();

    let mut items: Vec<LegendItem> = Vec::new();
    if statuses.contains(&Some(true)) {
        items.push((Swatch::Fill(MET), "✓ meets target".into()));
    }
    if statuses.contains(&Some(false)) {
        items.push((Swatch::Fill(MISSED), "✗ misses target".into()));
    }
    if statuses.iter().any(Option::is_some) && statuses.contains(&None) {
        items.push((Swatch::Fill(PLAIN), "No target".into()));
    }
    if input.bars.iter().any(|b| b.few) {
        items.push((Swatch::Light(GREY), "Few answers (lighter)".into()));
    }
    if input.bars.iter().any(|b| interval(b.ci95).is_some()) {
        items.push((Swatch::Whisker, "95 % interval".into()));
    }
    if let Some(t) = common {
        items.push((Swatch::Dashed, format!("Target {}", m.format(t))));
    } else if per_bar {
        items.push((Swatch::Tick, "Target (per bar)".into()));
    }

    let header = header_height(&items);
    let rows = to_i32(n);
    let height = header + 8 + rows * row_h + 52;
    let dom = domain(
        input.domain,
        input
            .bars
            .iter()
            .flat_map(|b| {
                let [lo, hi] = interval(b.ci95).unwrap_or([b.value, b.value]);
                [b.value, lo, hi]
            })
            .chain(targets.iter().flatten().copied())
            .chain([0.0]),
    );
    let base = if dom[0] <= 0.0 && 0.0 <= dom[1] {
        0.0
    } else if dom[1] < 0.0 {
        dom[1]
    } else {
        dom[0]
    };
    let clamp = |v: f64| v.clamp(dom[0], dom[1]);
    let keys: Vec<i32> = (0..rows).map(|r| 10 * r).collect();

    let mut svg = String::new();
    {
        let root = Svg::with_string(&mut svg, (WIDTH, height.max(1) as u32)).into_drawing_area();
        draw_header(&root, &input.title, &items)?;
        let (_, body) = root.split_vertically(header);
        let mut ctx = ChartBuilder::on(&body)
            .margin_top(8)
            .margin_left(8)
            .margin_right(250)
            .x_label_area_size(44)
            .y_label_area_size(190)
            .build_cartesian_2d(dom[0]..dom[1], (-5..10 * rows - 5).with_key_points(keys))
            .map_err(failed)?;
        let span = dom[1] - dom[0];
        let label_of = |y: &i32| {
            usize::try_from(rows - 1 - y / 10)
                .ok()
                .and_then(|i| input.bars.get(i))
                .map(|b| cut(&b.label, label_chars))
                .unwrap_or_default()
        };
        ctx.configure_mesh()
            .disable_y_mesh()
            .bold_line_style(INK.mix(0.15))
            .light_line_style(TRANSPARENT)
            .axis_style(INK)
            .x_labels(8)
            .x_label_formatter(&|v: &f64| tick(*v, span))
            .y_label_formatter(&label_of)
            .label_style(font(fs))
            .axis_desc_style(font(12))
            .x_desc(m.axis_title())
            .y_desc(cut(&input.group, 40))
            .draw()
            .map_err(failed)?;

        let right = ctx.plotting_area().get_pixel_range().0.end;
        for (i, b) in input.bars.iter().enumerate() {
            let c = 10 * (rows - 1 - to_i32(i));
            let colour = match statuses[i] {
                Some(true) => MET,
                Some(false) => MISSED,
                None => PLAIN,
            };
            if let Some(v) = finite(b.value) {
                let corners = [(base.min(clamp(v)), c - 3), (base.max(clamp(v)), c + 3)];
                if b.few {
                    ctx.draw_series([
                        Rectangle::new(corners, colour.mix(FEW_ALPHA).filled()),
                        Rectangle::new(corners, colour.stroke_width(1)),
                    ])
                    .map_err(failed)?;
                } else {
                    ctx.draw_series([Rectangle::new(corners, colour.filled())])
                        .map_err(failed)?;
                }
            }
            if let Some([lo, hi]) = interval(b.ci95) {
                let (lo, hi) = (clamp(lo), clamp(hi));
                ctx.draw_series([PathElement::new(whisker(lo, hi, c), INK.stroke_width(1))])
                    .map_err(failed)?;
            }
            if let (true, Some(t)) = (per_bar, targets[i]) {
                let t = clamp(t);
                ctx.draw_series([PathElement::new(
                    vec![(t, c - 4), (t, c + 4)],
                    INK.stroke_width(3),
                )])
                .map_err(failed)?;
            }
            let mut note = m.format(b.value);
            let status = status_text(statuses[i]);
            if !status.is_empty() {
                note = format!("{note} {status}");
            }
            note = format!("{note} · n={}", b.n);
            if b.few {
                note.push_str(" · few answers");
            }
            let (_, y) = ctx.backend_coord(&(dom[0], c));
            root.draw(&Text::new(
                note,
                (right + 10, y),
                anchored(font(fs), HPos::Left, VPos::Center),
            ))
            .map_err(failed)?;
        }
        if let Some(t) = common.filter(|t| (dom[0]..=dom[1]).contains(t)) {
            ctx.draw_series([PathElement::new(
                vec![(t, -5), (t, 10 * rows - 5)],
                INK_DASHED.stroke_width(2),
            )])
            .map_err(failed)?;
        }
        root.present().map_err(failed)?;
    }
    Ok(svg)
}

// ---------------------------------------------------------------------------
// Distribution

/// Which answer scale a distribution is of, and so how its bars are
/// coloured (orange low, grey neutral, blue high, with a legend):
/// - NPS 0–10: detractors 0–6, passives 7–8, promoters 9–10;
/// - CSAT 1–5: dissatisfied 1–2, neutral 3, satisfied 4–5 (top two boxes);
/// - CES 1–7: difficult 1–3, neutral 4, easy 5–7 (agree that it was easy);
/// - `Other`: every bar blue, no legend.
///
/// Answers outside the scale are drawn grey (and named "outside the scale").
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AnswerScale {
    Nps,
    Csat,
    Ces,
    Other,
}

impl AnswerScale {
    fn range(self) -> Option<(i32, i32)> {
        match self {
            AnswerScale::Nps => Some((0, 10)),
            AnswerScale::Csat => Some((1, 5)),
            AnswerScale::Ces => Some((1, 7)),
            AnswerScale::Other => None,
        }
    }

    /// The low, neutral and high groups' names and top answers.
    fn groups(self) -> Option<[(&'static str, i32); 3]> {
        match self {
            AnswerScale::Nps => Some([("Detractors", 6), ("Passives", 8), ("Promoters", 10)]),
            AnswerScale::Csat => Some([("Dissatisfied", 2), ("Neutral", 3), ("Satisfied", 5)]),
            AnswerScale::Ces => Some([("Difficult", 3), ("Neutral", 4), ("Easy", 7)]),
            AnswerScale::Other => None,
        }
    }

    /// The group an answer belongs to and its colour.
    fn group(self, value: i32) -> (&'static str, RGBColor) {
        let (Some((min, max)), Some(groups)) = (self.range(), self.groups()) else {
            return ("", BLUE);
        };
        if value < min || value > max {
            return ("outside the scale", GREY);
        }
        let colours = [ORANGE, GREY, BLUE];
        groups
            .iter()
            .zip(colours)
            .find(|((_, top), _)| value <= *top)
            .map_or(("", BLUE), |((name, _), c)| (*name, c))
    }

    fn legend(self) -> Vec<LegendItem> {
        let (Some((min, _)), Some(groups)) = (self.range(), self.groups()) else {
            return Vec::new();
        };
        let mut from = min;
        groups
            .iter()
            .zip([ORANGE, GREY, BLUE])
            .map(|((name, top), c)| {
                let span = if from == *top {
                    format!("{top}")
                } else {
                    format!("{from}–{top}")
                };
                from = top + 1;
                (Swatch::Fill(c), format!("{name} {span}"))
            })
            .collect()
    }
}

/// How many answers each value got.
#[derive(Clone, Debug, PartialEq)]
pub struct Distribution {
    pub title: String,
    pub scale: AnswerScale,
    /// (answer, count); every value of the scale is shown, with zero counts
    /// where absent; repeated values are added up.
    pub counts: Vec<(i32, usize)>,
}

/// Each answer value's count, in value order, over the whole scale.
fn distribution_counts(input: &Distribution) -> Vec<(i32, usize)> {
    let mut all: std::collections::BTreeMap<i32, usize> = std::collections::BTreeMap::new();
    if let Some((min, max)) = input.scale.range() {
        for v in min..=max {
            all.insert(v, 0);
        }
    }
    for &(v, c) in &input.counts {
        *all.entry(v).or_insert(0) += c;
    }
    all.into_iter().collect()
}

fn percent(part: usize, total: usize) -> f64 {
    if total == 0 {
        0.0
    } else {
        part as f64 * 100.0 / total as f64
    }
}

/// Counts per answer value, coloured by the scale's groups (see
/// [`AnswerScale`]), each bar labelled with its count; the table has counts
/// and percentages.
pub fn distribution(input: &Distribution) -> Chart {
    let counts = distribution_counts(input);
    let total: usize = counts.iter().map(|(_, c)| c).sum();
    let grouped = input.scale.groups().is_some();
    let mut headers = vec!["Answer".to_owned()];
    if grouped {
        headers.push("Group".into());
    }
    headers.extend(["Count".into(), "Share".into()]);
    let rows = if total == 0 {
        Vec::new()
    } else {
        counts
            .iter()
            .map(|&(v, c)| {
                let mut row = vec![v.to_string()];
                if grouped {
                    row.push(input.scale.group(v).0.to_owned());
                }
                row.push(c.to_string());
                row.push(format!("{} %", num(percent(c, total), 1)));
                row
            })
            .collect()
    };
    let table = Table {
        caption: input.title.clone(),
        headers,
        rows,
    };
    render(&input.title, table, total == 0, || {
        draw_distribution(input, &counts, total)
    })
}

fn draw_distribution(
    input: &Distribution,
    counts: &[(i32, usize)],
    total: usize,
) -> Result<String, ChartError> {
    let items = input.scale.legend();
    let header = header_height(&items);
    let height = header + 300;
    let k = to_i32(counts.len());
    let top = counts.iter().map(|&(_, c)| c).max().unwrap_or(1).max(1) as f64 * 1.12;
    let label_counts = counts.len() <= 40;
    let mut svg = String::new();
    {
        let root = Svg::with_string(&mut svg, (WIDTH, height as u32)).into_drawing_area();
        draw_header(&root, &input.title, &items)?;
        let (_, body) = root.split_vertically(header);
        let mut ctx = ChartBuilder::on(&body)
            .margin(12)
            .x_label_area_size(44)
            .y_label_area_size(64)
            .build_cartesian_2d(
                (-5..10 * k - 5).with_key_points(category_keys(counts.len(), 24)),
                0.0..top,
            )
            .map_err(failed)?;
        let answer = |x: &i32| {
            usize::try_from(x / 10)
                .ok()
                .and_then(|i| counts.get(i))
                .map(|(v, _)| v.to_string())
                .unwrap_or_default()
        };
        ctx.configure_mesh()
            .disable_x_mesh()
            .bold_line_style(INK.mix(0.15))
            .light_line_style(TRANSPARENT)
            .axis_style(INK)
            .y_labels(6)
            .x_label_formatter(&answer)
            .y_label_formatter(&|v: &f64| num(*v, 0))
            .label_style(font(12))
            .axis_desc_style(font(12))
            .x_desc(match input.scale {
                AnswerScale::Nps => "Answer (0–10)",
                AnswerScale::Csat => "Answer (1–5)",
                AnswerScale::Ces => "Answer (1–7)",
                AnswerScale::Other => "Answer",
            })
            .y_desc("Answers")
            .draw()
            .map_err(failed)?;
        ctx.draw_series(counts.iter().enumerate().map(|(i, &(v, c))| {
            let x = 10 * to_i32(i);
            Rectangle::new(
                [(x - 4, 0.0), (x + 4, c as f64)],
                input.scale.group(v).1.filled(),
            )
        }))
        .map_err(failed)?;
        if label_counts {
            ctx.draw_series(counts.iter().enumerate().map(|(i, &(_, c))| {
                Text::new(
                    format!("{c}"),
                    (10 * to_i32(i), c as f64),
                    anchored(font(11), HPos::Center, VPos::Bottom),
                )
            }))
            .map_err(failed)?;
        }
        root.draw(&Text::new(
            format!("{total} answers"),
            (to_i32(WIDTH as usize) - 12, 10),
            anchored(font(12), HPos::Right, VPos::Top),
        ))
        .map_err(failed)?;
        root.present().map_err(failed)?;
    }
    Ok(svg)
}

// ---------------------------------------------------------------------------
// Trend

/// A metric over time buckets, up to about two series.
#[derive(Clone, Debug, PartialEq)]
pub struct Trend {
    pub title: String,
    pub metric: Metric,
    /// What a bucket is, for the axis and the table: "Week", "Month".
    pub bucket: String,
    /// Bucket labels in time order, e.g. "2024-03" or "2024-03-04".
    pub buckets: Vec<String>,
    pub series: Vec<TrendSeries>,
    pub target: Option<f64>,
    /// The value axis; `None` takes it from the data.
    pub domain: Option<[f64; 2]>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct TrendSeries {
    pub label: String,
    /// One per bucket; `None` (or a NaN value) is a bucket without data and
    /// leaves a gap.
    pub points: Vec<Option<TrendPoint>>,
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub struct TrendPoint {
    pub value: f64,
    pub ci95: Option<[f64; 2]>,
    pub n: usize,
}

const SERIES: [(RGBColor, Marker); 4] = [
    (BLUE, Marker::Circle),
    (ORANGE, Marker::Square),
    (GREEN, Marker::Triangle),
    (PURPLE, Marker::Diamond),
];

fn trend_point(s: &TrendSeries, i: usize) -> Option<TrendPoint> {
    s.points
        .get(i)
        .copied()
        .flatten()
        .filter(|p| p.value.is_finite())
}

fn trend_table(input: &Trend) -> Table {
    let m = &input.metric;
    let mut headers = vec![if input.bucket.trim().is_empty() {
        "Period".to_owned()
    } else {
        input.bucket.clone()
    }];
    for s in &input.series {
        headers.push(format!("{}: {}", s.label, m.name()));
        headers.push(format!("{}: 95 % CI", s.label));
        headers.push(format!("{}: n", s.label));
    }
    let rows = input
        .buckets
        .iter()
        .enumerate()
        .map(|(i, b)| {
            let mut row = vec![b.clone()];
            for s in &input.series {
                match trend_point(s, i) {
                    Some(p) => {
                        row.extend([m.format(p.value), m.interval_text(p.ci95), p.n.to_string()])
                    }
                    None => row.extend(["no data".into(), ENDASH.into(), "0".into()]),
                }
            }
            row
        })
        .collect();
    Table {
        caption: input.title.clone(),
        headers,
        rows,
    }
}

/// A line with markers per series over the buckets, the 95 % interval as a
/// shaded band, gaps where a bucket has no data, and the target as a dashed
/// line.
pub fn trend(input: &Trend) -> Chart {
    let empty = input.buckets.is_empty()
        || !input
            .series
            .iter()
            .any(|s| (0..input.buckets.len()).any(|i| trend_point(s, i).is_some()));
    let table = trend_table(input);
    let table = if empty {
        Table {
            rows: Vec::new(),
            ..table
        }
    } else {
        table
    };
    render(&input.title, table, empty, || draw_trend(input))
}

/// Runs of consecutive buckets with data, as (bucket, point).
fn runs(s: &TrendSeries, buckets: usize) -> Vec<Vec<(usize, TrendPoint)>> {
    let mut out = Vec::new();
    let mut run = Vec::new();
    for i in 0..buckets {
        match trend_point(s, i) {
            Some(p) => run.push((i, p)),
            None if !run.is_empty() => out.push(std::mem::take(&mut run)),
            None => {}
        }
    }
    if !run.is_empty() {
        out.push(run);
    }
    out
}

fn draw_trend(input: &Trend) -> Result<String, ChartError> {
    let m = &input.metric;
    let nb = input.buckets.len();
    let k = to_i32(nb);
    let target = input.target.and_then(finite);
    let has_band = input
        .series
        .iter()
        .any(|s| (0..nb).any(|i| trend_point(s, i).and_then(|p| interval(p.ci95)).is_some()));
    let mut items: Vec<LegendItem> = input
        .series
        .iter()
        .zip(SERIES.iter().cycle())
        .map(|(s, &(c, mk))| (Swatch::Line(c, mk), cut(&s.label, 40)))
        .collect();
    if has_band {
        items.push((Swatch::Band(GREY), "95 % interval".into()));
    }
    if let Some(t) = target {
        items.push((Swatch::Dashed, format!("Target {}", m.format(t))));
    }
    if items.len() < 2 {
        items.clear();
    }
    let header = header_height(&items);
    let height = header + 320;
    let dom = domain(
        input.domain,
        input
            .series
            .iter()
            .flat_map(|s| (0..nb).filter_map(|i| trend_point(s, i)))
            .flat_map(|p| {
                let [lo, hi] = interval(p.ci95).unwrap_or([p.value, p.value]);
                [p.value, lo, hi]
            })
            .chain(target),
    );
    let y = |v: f64| v.clamp(dom[0], dom[1]);
    let mut svg = String::new();
    {
        let root = Svg::with_string(&mut svg, (WIDTH, height as u32)).into_drawing_area();
        draw_header(&root, &input.title, &items)?;
        let (_, body) = root.split_vertically(header);
        let mut ctx = ChartBuilder::on(&body)
            .margin(12)
            .margin_right(24)
            .x_label_area_size(44)
            .y_label_area_size(64)
            .build_cartesian_2d(
                (-5..10 * k - 5).with_key_points(category_keys(nb, 10)),
                dom[0]..dom[1],
            )
            .map_err(failed)?;
        let span = dom[1] - dom[0];
        let bucket_of = |x: &i32| {
            usize::try_from(x / 10)
                .ok()
                .and_then(|i| input.buckets.get(i))
                .map(|b| cut(b, 12))
                .unwrap_or_default()
        };
        ctx.configure_mesh()
            .disable_x_mesh()
            .bold_line_style(INK.mix(0.15))
            .light_line_style(TRANSPARENT)
            .axis_style(INK)
            .y_labels(6)
            .x_label_formatter(&bucket_of)
            .y_label_formatter(&|v: &f64| tick(*v, span))
            .label_style(font(12))
            .axis_desc_style(font(12))
            .x_desc(cut(&input.bucket, 40))
            .y_desc(m.axis_title())
            .draw()
            .map_err(failed)?;

        let all_runs: Vec<_> = input.series.iter().map(|s| runs(s, nb)).collect();
        // Bands first, under every line.
        for (s_runs, &(c, _)) in all_runs.iter().zip(SERIES.iter().cycle()) {
            for run in s_runs {
                // A band needs an interval at each point; a point without one
                // splits it.
                let mut band: Vec<(i32, [f64; 2])> = Vec::new();
                let points = run
                    .iter()
                    .map(|(i, p)| interval(p.ci95).map(|ci| (10 * to_i32(*i), ci)))
                    .chain([None]);
                for point in points {
                    match point {
                        Some(p) => band.push(p),
                        None => {
                            draw_band(&mut ctx, &band, c, y)?;
                            band.clear();
                        }
                    }
                }
            }
        }
        if let Some(t) = target.filter(|t| (dom[0]..=dom[1]).contains(t)) {
            ctx.draw_series([PathElement::new(
                vec![(-5, t), (10 * k - 5, t)],
                INK_DASHED.stroke_width(2),
            )])
            .map_err(failed)?;
        }
        for (s_runs, &(c, mk)) in all_runs.iter().zip(SERIES.iter().cycle()) {
            for run in s_runs {
                let xy: Vec<(i32, f64)> = run
                    .iter()
                    .map(|(i, p)| (10 * to_i32(*i), y(p.value)))
                    .collect();
                if xy.len() > 1 {
                    ctx.draw_series(LineSeries::new(xy.clone(), c.stroke_width(2)))
                        .map_err(failed)?;
                }
                for at in xy {
                    marker(&root, ctx.backend_coord(&at), mk, c)?;
                }
            }
        }
        root.present().map_err(failed)?;
    }
    Ok(svg)
}

type CategoryChart<'a, 'b, Y> = ChartContext<
    'a,
    Svg<'b>,
    Cartesian2d<
        plotters::coord::combinators::WithKeyPoints<plotters::coord::types::RangedCoordi32>,
        Y,
    >,
>;

/// A band through consecutive points (a plain interval bar for one point).
fn draw_band(
    ctx: &mut CategoryChart<'_, '_, plotters::coord::types::RangedCoordf64>,
    band: &[(i32, [f64; 2])],
    colour: RGBColor,
    y: impl Fn(f64) -> f64,
) -> Result<(), ChartError> {
    let style = colour.mix(BAND_ALPHA).filled();
    match band {
        [] => Ok(()),
        [(x, [lo, hi])] => ctx
            .draw_series([Rectangle::new([(x - 1, y(*lo)), (x + 1, y(*hi))], style)])
            .map(drop)
            .map_err(failed),
        _ => {
            let outline: Vec<(i32, f64)> = band
                .iter()
                .map(|(x, [_, hi])| (*x, y(*hi)))
                .chain(band.iter().rev().map(|(x, [lo, _])| (*x, y(*lo))))
                .collect();
            ctx.draw_series([Polygon::new(outline, style)])
                .map(drop)
                .map_err(failed)
        }
    }
}

// ---------------------------------------------------------------------------
// Comparison

/// Before/after or A/B, per metric.
#[derive(Clone, Debug, PartialEq)]
pub struct Comparison {
    pub title: String,
    /// e.g. "Before 2024-03-01" and "On or after".
    pub a_label: String,
    pub b_label: String,
    pub metrics: Vec<Compared>,
}

/// One metric on both sides, and the difference B − A.
#[derive(Clone, Debug, PartialEq)]
pub struct Compared {
    /// e.g. "CSAT".
    pub label: String,
    /// Where, e.g. a touchpoint: "CSAT at Checkout".
    pub place: Option<String>,
    /// What the difference is counted in, e.g. "points".
    pub unit_word: String,
    pub a: Side,
    pub b: Side,
    pub delta: f64,
    pub delta_ci95: [f64; 2],
    pub p: f64,
    /// The plain sentence; `None` builds one with [`difference_sentence`].
    pub sentence: Option<String>,
    /// This metric's value axis; `None` takes it from the data.
    pub domain: Option<[f64; 2]>,
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Side {
    pub value: f64,
    pub ci95: Option<[f64; 2]>,
    pub n: usize,
}

impl Compared {
    fn name(&self) -> String {
        match self.place.as_deref().map(str::trim) {
            Some(place) if !place.is_empty() => format!("{} at {place}", self.label),
            _ => self.label.clone(),
        }
    }

    fn sentence(&self) -> String {
        self.sentence.clone().unwrap_or_else(|| {
            difference_sentence(
                &self.label,
                self.place.as_deref(),
                self.delta,
                self.delta_ci95,
                self.p,
                &self.unit_word,
            )
        })
    }
}

/// A p-value as written in sentences and tables: "p < 0.001", "p = 0.012".
fn p_text(p: f64) -> String {
    if !p.is_finite() {
        "p unknown".into()
    } else if p < 0.001 {
        "p < 0.001".into()
    } else if (0.0495..0.05).contains(&p) {
        // Three decimals would round it up to the 0.05 it is below.
        format!("p = {p:.4}")
    } else {
        format!("p = {:.3}", p.min(1.0))
    }
}

/// A plain sentence for a difference, e.g. "CSAT at Checkout rose 9.1
/// points, 95 % CI 4.2 to 14.0; unlikely to be chance, p = 0.001". Rose,
/// fell or did not change by the delta at one decimal; "could be chance"
/// when p ≥ 0.05 (or unknown).
pub fn difference_sentence(
    metric_label: &str,
    place: Option<&str>,
    delta: f64,
    ci: [f64; 2],
    p: f64,
    unit_word: &str,
) -> String {
    let what = match place.map(str::trim) {
        Some(place) if !place.is_empty() => format!("{} at {place}", metric_label.trim()),
        _ => metric_label.trim().to_owned(),
    };
    if !delta.is_finite() {
        return format!("{what} could not be compared");
    }
    let unit = unit_word.trim();
    let amount = |v: f64| {
        if unit.is_empty() {
            num(v, 1)
        } else {
            format!("{} {unit}", num(v, 1))
        }
    };
    let change = match num(delta, 1).as_str() {
        "0.0" => format!("did not change ({})", amount(0.0)),
        s if s.starts_with('-') => format!("fell {}", amount(-delta)),
        _ => format!("rose {}", amount(delta)),
    };
    let ci = match interval(Some(ci)) {
        Some([lo, hi]) => format!(", 95 % CI {} to {}", num(lo, 1), num(hi, 1)),
        None => String::new(),
    };
    let chance = if p.is_finite() && p < 0.05 {
        "unlikely to be chance"
    } else {
        "could be chance"
    };
    format!("{what} {change}{ci}; {chance}, {}", p_text(p))
}

fn comparison_table(input: &Comparison) -> Table {
    let side = |s: &Side| {
        [
            num(s.value, 1),
            interval(s.ci95).map_or_else(
                || ENDASH.into(),
                |[lo, hi]| format!("{} to {}", num(lo, 1), num(hi, 1)),
            ),
            s.n.to_string(),
        ]
    };
    let (a, b) = (&input.a_label, &input.b_label);
    Table {
        caption: input.title.clone(),
        headers: vec![
            "Metric".into(),
            a.clone(),
            format!("{a}: 95 % CI"),
            format!("{a}: n"),
            b.clone(),
            format!("{b}: 95 % CI"),
            format!("{b}: n"),
            "Difference".into(),
            "Difference: 95 % CI".into(),
            "p-value".into(),
            "In words".into(),
        ],
        rows: input
            .metrics
            .iter()
            .map(|m| {
                let mut row = vec![m.name()];
                row.extend(side(&m.a));
                row.extend(side(&m.b));
                row.push(num(m.delta, 1));
                row.push(interval(Some(m.delta_ci95)).map_or_else(
                    || ENDASH.into(),
                    |[lo, hi]| format!("{} to {}", num(lo, 1), num(hi, 1)),
                ));
                row.push(if m.p.is_finite() {
                    let p = p_text(m.p);
                    p.trim_start_matches("p ")
                        .trim_start_matches("= ")
                        .to_owned()
                } else {
                    ENDASH.into()
                });
                row.push(m.sentence());
                row
            })
            .collect(),
    }
}

const PANEL_H: i32 = 96;

/// Per metric, a panel of its own scale with side A and side B as a dot and
/// a 95 % whisker each (A circles, B squares), and the difference written
/// beside it.
pub fn comparison(input: &Comparison) -> Chart {
    render(
        &input.title,
        comparison_table(input),
        input.metrics.is_empty(),
        || draw_comparison(input),
    )
}

fn draw_comparison(input: &Comparison) -> Result<String, ChartError> {
    let sides = [(BLUE, Marker::Circle), (ORANGE, Marker::Square)];
    let items: Vec<LegendItem> = vec![
        (Swatch::Dot(sides[0].0, sides[0].1), cut(&input.a_label, 40)),
        (Swatch::Dot(sides[1].0, sides[1].1), cut(&input.b_label, 40)),
        (Swatch::Whisker, "95 % interval".into()),
    ];
    let header = header_height(&items);
    let height = header + 8 + PANEL_H * to_i32(input.metrics.len());
    let mut svg = String::new();
    {
        let root = Svg::with_string(&mut svg, (WIDTH, height as u32)).into_drawing_area();
        draw_header(&root, &input.title, &items)?;
        let (_, mut rest) = root.split_vertically(header + 8);
        for m in &input.metrics {
            let (panel, below) = rest.split_vertically(PANEL_H);
            rest = below;
            let dom = domain(
                m.domain,
                [&m.a, &m.b].into_iter().flat_map(|s| {
                    let [lo, hi] = interval(s.ci95).unwrap_or([s.value, s.value]);
                    [s.value, lo, hi]
                }),
            );
            let span = dom[1] - dom[0];
            let name = m.name();
            let mut ctx = ChartBuilder::on(&panel)
                .margin_left(8)
                .margin_right(230)
                .margin_bottom(8)
                .x_label_area_size(28)
                .y_label_area_size(190)
                .build_cartesian_2d(dom[0]..dom[1], (-5..15).with_key_points(vec![5]))
                .map_err(failed)?;
            ctx.configure_mesh()
                .disable_y_mesh()
                .bold_line_style(INK.mix(0.15))
                .light_line_style(TRANSPARENT)
                .axis_style(INK)
                .x_labels(6)
                .x_label_formatter(&|v: &f64| tick(*v, span))
                .y_label_formatter(&|_| cut(&name, 26))
                .label_style(font(12))
                .draw()
                .map_err(failed)?;
            let clamp = |v: f64| v.clamp(dom[0], dom[1]);
            for (side, (c, mk), row) in [(&m.a, sides[0], 10), (&m.b, sides[1], 0)] {
                if let Some([lo, hi]) = interval(side.ci95) {
                    let (lo, hi) = (clamp(lo), clamp(hi));
                    ctx.draw_series([PathElement::new(whisker(lo, hi, row), c.stroke_width(2))])
                        .map_err(failed)?;
                }
                if let Some(v) = finite(side.value) {
                    marker(&root, ctx.backend_coord(&(clamp(v), row)), mk, c)?;
                }
            }
            let right = ctx.plotting_area().get_pixel_range().0.end;
            let (_, top) = ctx.backend_coord(&(dom[0], 12));
            let (_, bottom) = ctx.backend_coord(&(dom[0], -2));
            let unit = m.unit_word.trim();
            let delta = if m.delta.is_finite() {
                let sign = if num(m.delta, 1).starts_with('-') || num(m.delta, 1) == "0.0" {
                    ""
                } else {
                    "+"
                };
                format!("Δ {sign}{} {unit}", num(m.delta, 1))
            } else {
                format!("Δ {ENDASH}")
            };
            root.draw(&Text::new(
                delta.trim_end().to_owned(),
                (right + 12, top),
                anchored(bold(12), HPos::Left, VPos::Center),
            ))
            .map_err(failed)?;
            let chance = if m.p.is_finite() && m.p < 0.05 {
                "unlikely to be chance"
            } else {
                "could be chance"
            };
            root.draw(&Text::new(
                format!("{}, {chance}", p_text(m.p)),
                (right + 12, bottom),
                anchored(font(12), HPos::Left, VPos::Center),
            ))
            .map_err(failed)?;
        }
        root.present().map_err(failed)?;
    }
    Ok(svg)
}

// ---------------------------------------------------------------------------
// Heatmap

/// Answers per channel (rows) and stage (columns).
#[derive(Clone, Debug, PartialEq)]
pub struct Heatmap {
    pub title: String,
    /// What rows and columns are: "Channel", "Stage".
    pub row_label: String,
    pub column_label: String,
    pub rows: Vec<String>,
    pub columns: Vec<String>,
    /// `counts[row][column]`; missing cells count as zero.
    pub counts: Vec<Vec<usize>>,
}

impl Heatmap {
    fn count(&self, r: usize, c: usize) -> usize {
        self.counts
            .get(r)
            .and_then(|row| row.get(c))
            .copied()
            .unwrap_or(0)
    }
}

/// The colour of a count on the scale from 1 to `max`.
fn heat(count: usize, max: usize) -> RGBColor {
    let t = if max <= 1 {
        1.0
    } else {
        (count.saturating_sub(1)) as f64 / (max - 1) as f64
    };
    let mix = |a: u8, b: u8| (f64::from(a) + (f64::from(b) - f64::from(a)) * t).round() as u8;
    RGBColor(
        mix(HEAT_LOW.0, HEAT_HIGH.0),
        mix(HEAT_LOW.1, HEAT_HIGH.1),
        mix(HEAT_LOW.2, HEAT_HIGH.2),
    )
}

/// WCAG relative luminance.
fn luminance(c: RGBColor) -> f64 {
    let ch = |v: u8| {
        let v = f64::from(v) / 255.0;
        if v <= 0.039_28 {
            v / 12.92
        } else {
            ((v + 0.055) / 1.055).powf(2.4)
        }
    };
    0.2126 * ch(c.0) + 0.7152 * ch(c.1) + 0.0722 * ch(c.2)
}

fn contrast(a: RGBColor, b: RGBColor) -> f64 {
    let (la, lb) = (luminance(a), luminance(b));
    (la.max(lb) + 0.05) / (la.min(lb) + 0.05)
}

/// Dark or light text, whichever contrasts more with the cell.
fn text_on(cell: RGBColor) -> RGBColor {
    if contrast(cell, DARK_TEXT) >= contrast(cell, LIGHT_TEXT) {
        DARK_TEXT
    } else {
        LIGHT_TEXT
    }
}

/// Cells shaded by count (light to dark blue; empty cells outlined only)
/// with the count written in each, and a colour-scale legend.
pub fn heatmap(input: &Heatmap) -> Chart {
    let max = (0..input.rows.len())
        .flat_map(|r| (0..input.columns.len()).map(move |c| (r, c)))
        .map(|(r, c)| input.count(r, c))
        .max()
        .unwrap_or(0);
    let empty = input.rows.is_empty() || input.columns.is_empty();
    let mut headers = vec![if input.row_label.trim().is_empty() {
        "Row".to_owned()
    } else {
        input.row_label.clone()
    }];
    headers.extend(input.columns.iter().cloned());
    let rows = if empty {
        Vec::new()
    } else {
        input
            .rows
            .iter()
            .enumerate()
            .map(|(r, name)| {
                std::iter::once(name.clone())
                    .chain((0..input.columns.len()).map(|c| input.count(r, c).to_string()))
                    .collect()
            })
            .collect()
    };
    let table = Table {
        caption: input.title.clone(),
        headers,
        rows,
    };
    render(&input.title, table, empty, || draw_heatmap(input, max))
}

fn draw_heatmap(input: &Heatmap, max: usize) -> Result<String, ChartError> {
    let (nr, nc) = (to_i32(input.rows.len()), to_i32(input.columns.len()));
    let cell_h = if nr > 30 { 18 } else { 30 };
    // The colour scale: a row of steps from 1 to the largest count.
    let legend_h = 44;
    let header = TITLE_H;
    let height = header + legend_h + nr * cell_h + 70;
    let column_chars = usize::try_from((540 / nc.max(1)) / CHAR_W)
        .unwrap_or(4)
        .clamp(4, 18);
    let mut svg = String::new();
    {
        let root = Svg::with_string(&mut svg, (WIDTH, height as u32)).into_drawing_area();
        draw_header(&root, &input.title, &[])?;

        // Colour-scale legend.
        let steps = max.clamp(1, 8);
        let (x0, y0) = (12, header + 6);
        root.draw(&Text::new(
            "Answers:".to_owned(),
            (x0, y0 + 8),
            anchored(font(12), HPos::Left, VPos::Center),
        ))
        .map_err(failed)?;
        let sx = x0 + 70;
        root.draw(&Rectangle::new(
            [(sx, y0), (sx + 24, y0 + 16)],
            INK.mix(0.5).stroke_width(1),
        ))
        .map_err(failed)?;
        root.draw(&Text::new(
            "0".to_owned(),
            (sx + 12, y0 + 20),
            anchored(font(11), HPos::Center, VPos::Top),
        ))
        .map_err(failed)?;
        let gx = sx + 40;
        for s in 0..steps {
            let count = 1 + (max.saturating_sub(1)) * s / (steps - 1).max(1);
            let x = gx + 24 * to_i32(s);
            root.draw(&Rectangle::new(
                [(x, y0), (x + 24, y0 + 16)],
                heat(count, max).filled(),
            ))
            .map_err(failed)?;
        }
        root.draw(&Text::new(
            "1".to_owned(),
            (gx, y0 + 20),
            anchored(font(11), HPos::Left, VPos::Top),
        ))
        .map_err(failed)?;
        if max > 1 {
            root.draw(&Text::new(
                max.to_string(),
                (gx + 24 * to_i32(steps), y0 + 20),
                anchored(font(11), HPos::Right, VPos::Top),
            ))
            .map_err(failed)?;
        }

        let (_, body) = root.split_vertically(header + legend_h);
        let mut ctx = ChartBuilder::on(&body)
            .margin(12)
            .x_label_area_size(44)
            .y_label_area_size(170)
            .build_cartesian_2d(
                (-5..10 * nc - 5).with_key_points(category_keys(input.columns.len(), 40)),
                (-5..10 * nr - 5).with_key_points(category_keys(input.rows.len(), 60)),
            )
            .map_err(failed)?;
        let column_of = |x: &i32| {
            usize::try_from(x / 10)
                .ok()
                .and_then(|i| input.columns.get(i))
                .map(|s| cut(s, column_chars))
                .unwrap_or_default()
        };
        let row_of = |y: &i32| {
            usize::try_from(nr - 1 - y / 10)
                .ok()
                .and_then(|i| input.rows.get(i))
                .map(|s| cut(s, 22))
                .unwrap_or_default()
        };
        ctx.configure_mesh()
            .disable_mesh()
            .axis_style(INK)
            .x_label_formatter(&column_of)
            .y_label_formatter(&row_of)
            .label_style(font(12))
            .axis_desc_style(font(12))
            .x_desc(cut(&input.column_label, 40))
            .y_desc(cut(&input.row_label, 40))
            .draw()
            .map_err(failed)?;
        let cell_font = if nc > 16 || nr > 30 { 10 } else { 12 };
        for r in 0..input.rows.len() {
            let y = 10 * (nr - 1 - to_i32(r));
            for c in 0..input.columns.len() {
                let x = 10 * to_i32(c);
                let count = input.count(r, c);
                let corners = [(x - 5, y - 5), (x + 5, y + 5)];
                let text = if count == 0 {
                    ctx.draw_series([Rectangle::new(corners, INK.mix(0.3).stroke_width(1))])
                        .map_err(failed)?;
                    INK
                } else {
                    let fill = heat(count, max);
                    ctx.draw_series([
                        Rectangle::new(corners, fill.filled()),
                        Rectangle::new(corners, INK.mix(0.15).stroke_width(1)),
                    ])
                    .map_err(failed)?;
                    text_on(fill)
                };
                ctx.draw_series([Text::new(
                    count.to_string(),
                    (x, y),
                    ("sans-serif", px(cell_font))
                        .into_font()
                        .color(&text)
                        .pos(Pos::new(HPos::Center, VPos::Center)),
                )])
                .map_err(failed)?;
            }
        }
        root.present().map_err(failed)?;
    }
    Ok(svg)
}

#[cfg(test)]
mod tests {
    use super::*;

    const EVIL: [&str; 2] = ["<script>alert(1)</script>", "\"><svg onload=alert(1)>"];

    fn count(svg: &str, needle: &str) -> usize {
        svg.matches(needle).count()
    }

    /// The contents of every `<text>` element.
    fn texts(svg: &str) -> Vec<&str> {
        svg.split("<text")
            .skip(1)
            .filter_map(|t| {
                let body = &t[t.find('>')? + 1..];
                Some(body[..body.find("</text>")?].trim())
            })
            .collect()
    }

    /// Filled shapes of a colour at full opacity.
    fn solid(svg: &str, colour: RGBColor) -> usize {
        count(
            svg,
            &format!(
                "opacity=\"1\" fill=\"{}\"",
                super::super::svg_colour(colour)
            ),
        )
    }

    fn assert_clean(svg: &str) {
        for evil in EVIL {
            assert!(!svg.contains(evil), "unescaped {evil}");
        }
        assert!(!svg.contains("<script"));
        assert!(!svg.contains("<svg onload"));
        assert_eq!(count(svg, "<svg"), 1);
        assert!(!svg.contains("#010203") && !svg.contains("#010204"));
        assert!(!svg.contains("NaN") && !svg.contains("inf"));
    }

    fn bar(label: &str, value: f64, n: usize) -> Bar {
        Bar {
            label: label.into(),
            value,
            ci95: Some([value - 5.0, value + 5.0]),
            n,
            target: None,
            few: false,
        }
    }

    fn csat_bars() -> Bars {
        Bars {
            target: Some(50.0),
            bars: vec![
                bar("Checkout", 70.0, 120),
                bar("Returns", 30.0, 80),
                Bar {
                    few: true,
                    ..bar("Store pickup", 60.0, 7)
                },
            ],
            ..Bars::new("CSAT by touchpoint", Metric::Csat, "Touchpoint")
        }
    }

    #[test]
    fn bars_are_coloured_and_marked_by_target_and_few_answers() {
        let chart = bars(&csat_bars());
        let svg = &chart.svg;
        assert_clean(svg);
        let texts = texts(svg);
        assert_eq!(texts[0], "CSAT by touchpoint");
        assert!(svg.contains("<title>CSAT by touchpoint</title>"));
        assert!(svg.contains("aria-label=\"CSAT by touchpoint\""));
        // A bar each plus the legend swatch; the few-answers bar is lighter.
        assert_eq!(solid(svg, MET), 1 + 1);
        assert_eq!(solid(svg, MISSED), 1 + 1);
        assert_eq!(count(svg, "opacity=\"0.35\" fill=\"#1A9E77\""), 1);
        assert_eq!(solid(svg, PLAIN), 0, "every bar has a target");
        // One dashed target line, and its legend swatch.
        assert_eq!(count(svg, "stroke-dasharray=\"6 4\""), 2);
        for t in [
            "70.0% ✓ met · n=120",
            "30.0% ✗ missed · n=80",
            "60.0% ✓ met · n=7 · few answers",
            "Checkout",
            "Store pickup",
            "CSAT (% satisfied)",
            "Touchpoint",
            "✓ meets target",
            "✗ misses target",
            "Few answers (lighter)",
            "95 % interval",
            "Target 50.0%",
        ] {
            assert!(texts.contains(&t), "missing {t} in {texts:?}");
        }
        assert!(svg.contains("fill=\"currentColor\""));
        assert!(!svg.contains("#FFFFFF"), "no background");

        assert_eq!(chart.table.caption, "CSAT by touchpoint");
        assert_eq!(
            chart.table.headers,
            [
                "Touchpoint",
                "CSAT",
                "95 % CI",
                "n",
                "Target",
                "Target met",
                "Few answers"
            ]
        );
        assert_eq!(
            chart.table.rows[2],
            [
                "Store pickup",
                "60.0%",
                "55.0 to 65.0",
                "7",
                "50.0%",
                "✓ met",
                "yes"
            ]
        );
        assert_eq!(chart.table.rows[1][5], "✗ missed");
    }

    #[test]
    fn bars_with_their_own_targets_get_a_tick_each() {
        let mut input = csat_bars();
        input.target = None;
        input.bars[0].target = Some(80.0);
        input.bars[1].target = Some(20.0);
        let svg = bars(&input).svg;
        assert_eq!(count(&svg, "stroke-dasharray"), 0);
        // Two ticks and the legend's.
        assert_eq!(count(&svg, "stroke=\"currentColor\" stroke-width=\"3\""), 3);
        assert_eq!(solid(&svg, MISSED), 1 + 1, "70 misses 80");
        assert_eq!(solid(&svg, MET), 1 + 1, "30 meets 20");
        assert_eq!(
            count(&svg, "opacity=\"0.35\" fill=\"#4285F4\""),
            1,
            "no target"
        );
        assert!(texts(&svg).contains(&"No target"));
    }

    #[test]
    fn bars_keep_the_callers_order_unless_sorted() {
        let mut input = csat_bars();
        input.bars.push(bar("No value", f64::NAN, 0));
        let labels = |b: &Bars| b.bars.iter().map(|b| b.label.clone()).collect::<Vec<_>>();
        assert_eq!(
            labels(&input),
            ["Checkout", "Returns", "Store pickup", "No value"]
        );
        let sorted = input.clone().sorted();
        assert_eq!(
            labels(&sorted),
            ["Checkout", "Store pickup", "Returns", "No value"]
        );
        let chart = bars(&sorted);
        let rows: Vec<&str> = chart.table.rows.iter().map(|r| r[0].as_str()).collect();
        assert_eq!(rows, ["Checkout", "Store pickup", "Returns", "No value"]);
        assert_eq!(chart.table.rows[3][1], "–");
        assert!(texts(&chart.svg).contains(&"– · n=0"));
        assert_clean(&chart.svg);
    }

    #[test]
    fn a_lower_is_better_metric_meets_its_target_below_it() {
        let input = Bars {
            target: Some(5.0),
            bars: vec![bar("Queue", 3.0, 10), bar("Phone", 8.0, 10)],
            ..Bars::new(
                "Wait",
                Metric::Custom {
                    name: "Wait".into(),
                    unit: "min".into(),
                    higher_is_better: false,
                },
                "Channel",
            )
        };
        let chart = bars(&input);
        assert_eq!(chart.table.rows[0][5], "✓ met");
        assert_eq!(chart.table.rows[1][5], "✗ missed");
        assert_eq!(chart.table.rows[0][1], "3.0 min");
        assert!(texts(&chart.svg).contains(&"Wait (min)"));
    }

    #[test]
    fn degenerate_bars_never_panic() {
        let metric = Metric::Custom {
            name: "Score".into(),
            unit: String::new(),
            higher_is_better: true,
        };
        let cases = [
            vec![bar("Only", 5.0, 3)],
            vec![bar("Same", 5.0, 3), bar("Same too", 5.0, 3)],
            vec![bar("Zero", 0.0, 0)],
            vec![Bar {
                ci95: Some([f64::NAN, f64::INFINITY]),
                target: Some(f64::NAN),
                ..bar("Nan", f64::NAN, 0)
            }],
            vec![bar("Negative", -40.0, 9), bar("Positive", 12.0, 9)],
        ];
        for case in cases {
            let input = Bars {
                bars: case.clone(),
                ..Bars::new("Degenerate", metric.clone(), "Thing")
            };
            let chart = bars(&input);
            assert_clean(&chart.svg);
            assert_eq!(chart.table.rows.len(), case.len());
            let drawn = case.iter().filter(|b| b.value.is_finite()).count();
            assert_eq!(solid(&chart.svg, PLAIN), drawn, "{case:?}");
            // With an impossible domain from the caller, the data's is used.
            let flipped = Bars {
                domain: Some([3.0, 3.0]),
                ..input
            };
            assert_clean(&bars(&flipped).svg);
        }
    }

    #[test]
    fn empty_input_says_no_data() {
        let title = format!("Nothing {}", EVIL[0]);
        let charts = [
            bars(&Bars::new(title.clone(), Metric::Nps, "Stage")),
            distribution(&Distribution {
                title: title.clone(),
                scale: AnswerScale::Nps,
                counts: Vec::new(),
            }),
            distribution(&Distribution {
                title: title.clone(),
                scale: AnswerScale::Csat,
                counts: vec![(3, 0)],
            }),
            trend(&Trend {
                title: title.clone(),
                metric: Metric::Nps,
                bucket: "Month".into(),
                buckets: vec!["2024-01".into()],
                series: vec![TrendSeries {
                    label: "All".into(),
                    points: vec![None],
                }],
                target: None,
                domain: None,
            }),
            comparison(&Comparison {
                title: title.clone(),
                a_label: "A".into(),
                b_label: "B".into(),
                metrics: Vec::new(),
            }),
            heatmap(&Heatmap {
                title: title.clone(),
                row_label: "Channel".into(),
                column_label: "Stage".into(),
                rows: vec!["Web".into()],
                columns: Vec::new(),
                counts: Vec::new(),
            }),
        ];
        for chart in charts {
            assert!(texts(&chart.svg).contains(&"No data"), "{}", chart.svg);
            assert!(chart.table.rows.is_empty());
            assert!(!chart.table.headers.is_empty());
            assert_eq!(chart.table.caption, title);
            assert_clean(&chart.svg);
            assert!(chart.svg.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
        }
    }

    #[test]
    fn two_hundred_bars_draw_quickly() {
        let input = Bars {
            target: Some(0.0),
            bars: (0..200)
                .map(|i| Bar {
                    few: i % 7 == 0,
                    ..bar(
                        &format!("Touchpoint number {i} with a rather long name"),
                        f64::from(i) - 100.0,
                        i as usize,
                    )
                })
                .collect(),
            ..Bars::new("Many", Metric::Nps, "Touchpoint")
        };
        let start = std::time::Instant::now();
        let chart = bars(&input);
        println!("200 bars: {:?}", start.elapsed());
        let svg = &chart.svg;
        assert_clean(svg);
        // Less the legend's swatches, one of each.
        let lighter = count(svg, "opacity=\"0.35\" fill=") - 1;
        assert_eq!(solid(svg, MET) - 1 + solid(svg, MISSED) - 1 + lighter, 200);
        // Long labels are cut on the chart, whole in the table.
        assert!(texts(svg).contains(&"Touchpoint number 12 with a…"));
        assert_eq!(
            chart.table.rows[12][0],
            "Touchpoint number 12 with a rather long name"
        );
    }

    #[test]
    fn every_chart_escapes_user_labels() {
        let evil = format!("{}{}", EVIL[0], EVIL[1]);
        let mut b = csat_bars();
        b.title = evil.clone();
        b.group = evil.clone();
        b.bars[0].label = evil.clone();
        let m = Metric::Custom {
            name: evil.clone(),
            unit: evil.clone(),
            higher_is_better: true,
        };
        b.metric = m.clone();
        let t = Trend {
            title: evil.clone(),
            metric: m,
            bucket: evil.clone(),
            buckets: vec![evil.clone(), "2024-02".into()],
            series: vec![TrendSeries {
                label: evil.clone(),
                points: vec![
                    Some(TrendPoint {
                        value: 1.0,
                        ci95: None,
                        n: 1,
                    }),
                    Some(TrendPoint {
                        value: 2.0,
                        ci95: Some([1.0, 3.0]),
                        n: 2,
                    }),
                ],
            }],
            target: Some(1.5),
            domain: None,
        };
        let c = Comparison {
            title: evil.clone(),
            a_label: evil.clone(),
            b_label: evil.clone(),
            metrics: vec![compared(Some(&evil))],
        };
        let h = Heatmap {
            title: evil.clone(),
            row_label: evil.clone(),
            column_label: evil.clone(),
            rows: vec![evil.clone()],
            columns: vec![evil.clone()],
            counts: vec![vec![3]],
        };
        let d = Distribution {
            title: evil.clone(),
            scale: AnswerScale::Other,
            counts: vec![(1, 3)],
        };
        for chart in [
            bars(&b),
            trend(&t),
            comparison(&c),
            heatmap(&h),
            distribution(&d),
        ] {
            assert_clean(&chart.svg);
            assert!(chart.svg.contains("&lt;script&gt;"), "{}", chart.svg);
            assert!(svg_document(&chart.svg).matches("<svg").count() == 1);
            // Table cells stay plain text: the UI escapes them.
            assert_eq!(chart.table.caption, evil);
        }
    }

    #[test]
    fn nps_distribution_is_grouped_and_counted() {
        let input = Distribution {
            title: "NPS answers".into(),
            scale: AnswerScale::Nps,
            counts: vec![(10, 30), (9, 20), (8, 10), (0, 5), (6, 15), (10, 20)],
        };
        let chart = distribution(&input);
        let svg = &chart.svg;
        assert_clean(svg);
        // Eleven answers, zero counts included, and a legend swatch each.
        assert_eq!(solid(svg, ORANGE), 7 + 1);
        assert_eq!(solid(svg, GREY), 2 + 1);
        assert_eq!(solid(svg, BLUE), 2 + 1);
        let texts = texts(svg);
        for t in [
            "NPS answers",
            "Detractors 0–6",
            "Passives 7–8",
            "Promoters 9–10",
            "Answer (0–10)",
            "50",
            "100 answers",
        ] {
            assert!(texts.contains(&t), "missing {t} in {texts:?}");
        }
        let t = &chart.table;
        assert_eq!(t.headers, ["Answer", "Group", "Count", "Share"]);
        assert_eq!(t.rows.len(), 11);
        assert_eq!(t.rows[0], ["0", "Detractors", "5", "5.0 %"]);
        assert_eq!(t.rows[1], ["1", "Detractors", "0", "0.0 %"]);
        assert_eq!(t.rows[10], ["10", "Promoters", "50", "50.0 %"]);
        let total: usize = t.rows.iter().map(|r| r[2].parse::<usize>().unwrap()).sum();
        assert_eq!(total, 100);
    }

    #[test]
    fn csat_and_ces_distributions_document_their_groups() {
        let csat = distribution(&Distribution {
            title: "CSAT".into(),
            scale: AnswerScale::Csat,
            counts: vec![(1, 1), (3, 1), (5, 2), (9, 1)],
        });
        let texts_csat = texts(&csat.svg);
        assert!(texts_csat.contains(&"Dissatisfied 1–2"));
        assert!(texts_csat.contains(&"Neutral 3"));
        assert!(texts_csat.contains(&"Satisfied 4–5"));
        assert_eq!(csat.table.rows.len(), 6, "1–5 and the stray 9");
        assert_eq!(csat.table.rows[5][1], "outside the scale");
        let ces = distribution(&Distribution {
            title: "CES".into(),
            scale: AnswerScale::Ces,
            counts: vec![(7, 4)],
        });
        assert!(texts(&ces.svg).contains(&"Easy 5–7"));
        assert_eq!(ces.table.rows.len(), 7);
        let other = distribution(&Distribution {
            title: "Other".into(),
            scale: AnswerScale::Other,
            counts: vec![(2, 4), (40, 1)],
        });
        assert_eq!(other.table.headers, ["Answer", "Count", "Share"]);
        assert_eq!(
            other.table.rows,
            [["2", "4", "80.0 %"], ["40", "1", "20.0 %"]]
        );
        assert_eq!(solid(&other.svg, BLUE), 2, "no legend");
    }

    fn point(value: f64, n: usize) -> Option<TrendPoint> {
        Some(TrendPoint {
            value,
            ci95: Some([value - 4.0, value + 4.0]),
            n,
        })
    }

    fn monthly() -> Trend {
        Trend {
            title: "NPS by month".into(),
            metric: Metric::Nps,
            bucket: "Month".into(),
            buckets: (1..=6).map(|m| format!("2024-{m:02}")).collect(),
            series: vec![
                TrendSeries {
                    label: "Whole journey".into(),
                    points: vec![
                        point(10.0, 40),
                        point(12.0, 41),
                        None,
                        point(20.0, 30),
                        point(22.0, 35),
                        point(f64::NAN, 0),
                    ],
                },
                TrendSeries {
                    label: "Checkout".into(),
                    points: vec![point(5.0, 10), None, point(7.0, 9)],
                },
            ],
            target: Some(15.0),
            domain: Some(Metric::Nps.range().unwrap()),
        }
    }

    #[test]
    fn trends_leave_gaps_and_shade_intervals() {
        let chart = trend(&monthly());
        let svg = &chart.svg;
        assert_clean(svg);
        let line = |c: RGBColor| {
            count(
                svg,
                &format!(
                    "stroke=\"{}\" stroke-width=\"2\" points",
                    super::super::svg_colour(c)
                ),
            )
        };
        // Two runs of the first series, none of two points for the second
        // (its points are apart); one legend swatch each.
        assert_eq!(line(BLUE), 2 + 1);
        assert_eq!(line(ORANGE), 1);
        assert_eq!(count(svg, "<circle"), 4 + 1, "circles for the first");
        assert_eq!(solid(svg, ORANGE), 2 + 1, "squares for the second");
        // Bands: a polygon per run of the first, a bar per lone point.
        assert_eq!(count(svg, "<polygon opacity=\"0.2\" fill=\"#4285F4\""), 2);
        assert_eq!(
            count(svg, "<rect x"),
            2 + 2 + 2,
            "lone bands, squares, the legend's square and band"
        );
        assert_eq!(
            count(svg, "stroke-dasharray=\"6 4\""),
            2,
            "target and its swatch"
        );
        let texts = texts(svg);
        for t in [
            "Whole journey",
            "Checkout",
            "95 % interval",
            "Target 15.0",
            "2024-03",
            "Month",
        ] {
            assert!(texts.contains(&t), "missing {t} in {texts:?}");
        }
        let t = &chart.table;
        assert_eq!(t.headers.len(), 1 + 3 * 2);
        assert_eq!(t.headers[1], "Whole journey: NPS");
        assert_eq!(t.rows.len(), 6);
        assert_eq!(
            t.rows[0],
            [
                "2024-01",
                "10.0",
                "6.0 to 14.0",
                "40",
                "5.0",
                "1.0 to 9.0",
                "10"
            ]
        );
        assert_eq!(t.rows[2][1..4], ["no data", "–", "0"]);
        assert_eq!(t.rows[5][1], "no data", "NaN is no data");
        assert_eq!(t.rows[5][4], "no data", "missing entries too");
    }

    #[test]
    fn sixty_weekly_buckets_and_a_single_bucket() {
        let weeks = 60;
        let mut input = monthly();
        input.buckets = (0..weeks).map(|w| format!("2024-W{w:02}")).collect();
        input.series.truncate(1);
        input.series[0].points = (0..weeks)
            .map(|w| point(f64::from(w as u32 % 9) * 3.0, 20))
            .collect();
        input.domain = None;
        let start = std::time::Instant::now();
        let chart = trend(&input);
        println!("60 buckets: {:?}", start.elapsed());
        assert_clean(&chart.svg);
        assert_eq!(count(&chart.svg, "<circle"), weeks + 1);
        assert_eq!(chart.table.rows.len(), weeks);

        let single = Trend {
            buckets: vec!["2024-03".into()],
            series: vec![TrendSeries {
                label: "Only".into(),
                points: vec![Some(TrendPoint {
                    value: 4.0,
                    ci95: None,
                    n: 1,
                })],
            }],
            target: None,
            domain: None,
            ..monthly()
        };
        let chart = trend(&single);
        assert_clean(&chart.svg);
        assert_eq!(count(&chart.svg, "<circle"), 1, "no legend for one series");
    }

    fn compared(place: Option<&str>) -> Compared {
        Compared {
            label: "CSAT".into(),
            place: place.map(String::from),
            unit_word: "points".into(),
            a: Side {
                value: 70.0,
                ci95: Some([66.0, 74.0]),
                n: 200,
            },
            b: Side {
                value: 79.1,
                ci95: Some([75.5, 82.7]),
                n: 180,
            },
            delta: 9.1,
            delta_ci95: [4.2, 14.0],
            p: 0.001,
            sentence: None,
            domain: Some([0.0, 100.0]),
        }
    }

    #[test]
    fn difference_sentences_read_plainly() {
        assert_eq!(
            difference_sentence("CSAT", Some("Checkout"), 9.1, [4.2, 14.0], 0.001, "points"),
            "CSAT at Checkout rose 9.1 points, 95 % CI 4.2 to 14.0; unlikely to be chance, p = 0.001"
        );
        assert_eq!(
            difference_sentence("NPS", None, -12.34, [-20.0, -4.6], 0.0002, "points"),
            "NPS fell 12.3 points, 95 % CI -20.0 to -4.6; unlikely to be chance, p < 0.001"
        );
        assert_eq!(
            difference_sentence("CES", Some(" "), 0.04, [-0.3, 0.4], 0.62, ""),
            "CES did not change (0.0), 95 % CI -0.3 to 0.4; could be chance, p = 0.620"
        );
        assert_eq!(
            difference_sentence("CSAT", None, 3.0, [-0.1, 6.1], 0.05, "points"),
            "CSAT rose 3.0 points, 95 % CI -0.1 to 6.1; could be chance, p = 0.050"
        );
        assert_eq!(
            difference_sentence("CSAT", None, 3.0, [0.1, 6.1], 0.0496, "points"),
            "CSAT rose 3.0 points, 95 % CI 0.1 to 6.1; unlikely to be chance, p = 0.0496"
        );
        assert_eq!(
            difference_sentence("CSAT", None, f64::NAN, [0.0, 1.0], 0.5, "points"),
            "CSAT could not be compared"
        );
        assert_eq!(
            difference_sentence("CSAT", None, 1.0, [f64::NAN, 1.0], f64::NAN, "points"),
            "CSAT rose 1.0 points; could be chance, p unknown"
        );
    }

    #[test]
    fn comparisons_draw_both_sides_per_metric() {
        let mut nps = compared(None);
        nps.label = "NPS".into();
        nps.domain = None;
        nps.sentence = Some("NPS held steady.".into());
        nps.a.ci95 = None;
        let input = Comparison {
            title: "Before and after the redesign".into(),
            a_label: "Before 2024-03-01".into(),
            b_label: "On or after".into(),
            metrics: vec![compared(Some("Checkout")), nps],
        };
        let chart = comparison(&input);
        let svg = &chart.svg;
        assert_clean(svg);
        // A circle per metric for side A, a square for B; one each in the legend.
        assert_eq!(count(svg, "<circle"), 2 + 1);
        assert_eq!(solid(svg, ORANGE), 2 + 1);
        // A whisker per interval drawn: A's of NPS has none.
        assert_eq!(count(svg, "stroke=\"#4285F4\" stroke-width=\"2\""), 1);
        assert_eq!(count(svg, "stroke=\"#E66101\" stroke-width=\"2\""), 2);
        let texts = texts(svg);
        for t in [
            "Before and after the redesign",
            "Before 2024-03-01",
            "On or after",
            "CSAT at Checkout",
            "NPS",
            "Δ +9.1 points",
            "p = 0.001, unlikely to be chance",
        ] {
            assert!(texts.contains(&t), "missing {t} in {texts:?}");
        }
        let t = &chart.table;
        assert_eq!(t.headers[1], "Before 2024-03-01");
        assert_eq!(t.headers[4], "On or after");
        assert_eq!(
            t.rows[0],
            [
                "CSAT at Checkout",
                "70.0",
                "66.0 to 74.0",
                "200",
                "79.1",
                "75.5 to 82.7",
                "180",
                "9.1",
                "4.2 to 14.0",
                "0.001",
                "CSAT at Checkout rose 9.1 points, 95 % CI 4.2 to 14.0; unlikely to be chance, p = 0.001",
            ]
        );
        assert_eq!(t.rows[1][2], "–");
        assert_eq!(t.rows[1][10], "NPS held steady.");
    }

    #[test]
    fn comparisons_survive_nan_and_equal_values() {
        let mut m = compared(None);
        m.domain = None;
        m.a = Side {
            value: 5.0,
            ci95: None,
            n: 1,
        };
        m.b = Side {
            value: 5.0,
            ci95: None,
            n: 1,
        };
        let mut nan = compared(None);
        nan.domain = None;
        nan.a.value = f64::NAN;
        nan.b.ci95 = Some([f64::NAN, 1.0]);
        nan.delta = f64::NAN;
        nan.p = f64::NAN;
        let chart = comparison(&Comparison {
            title: "Odd".into(),
            a_label: "A".into(),
            b_label: "B".into(),
            metrics: vec![m, nan],
        });
        assert_clean(&chart.svg);
        assert_eq!(chart.table.rows[1][1], "–");
        assert_eq!(chart.table.rows[1][9], "–");
    }

    fn channels_by_stage() -> Heatmap {
        Heatmap {
            title: "Answers by channel and stage".into(),
            row_label: "Channel".into(),
            column_label: "Stage".into(),
            rows: vec!["Web".into(), "Store".into(), "Phone".into()],
            columns: vec![
                "Aware".into(),
                "Buy".into(),
                "Return".into(),
                "Advocacy".into(),
            ],
            counts: vec![vec![1, 40, 80], vec![0, 12], vec![5, 0, 0, 7]],
        }
    }

    #[test]
    fn heatmap_cells_show_their_counts_with_contrasting_text() {
        let chart = heatmap(&channels_by_stage());
        let svg = &chart.svg;
        assert_clean(svg);
        let texts = texts(svg);
        for t in [
            "Answers by channel and stage",
            "Web",
            "Phone",
            "Advocacy",
            "Channel",
            "Stage",
            "Answers:",
            "80",
        ] {
            assert!(texts.contains(&t), "missing {t} in {texts:?}");
        }
        // The largest count is the darkest cell, with light text; the
        // smallest the lightest, with dark text.
        assert_eq!(solid(svg, HEAT_HIGH), 1 + 1, "cell and scale end");
        assert_eq!(solid(svg, HEAT_LOW), 1 + 1);
        assert_eq!(
            count(svg, "fill=\"#FFFFFF\">"),
            1,
            "only on the darkest cell"
        );
        assert_eq!(count(svg, "fill=\"#111827\">"), 5);
        // 12 cells: shaded ones are filled and outlined, empty ones outlined.
        assert_eq!(count(svg, "<rect"), 6 * 2 + 6 + 1 + 8);
        assert_eq!(
            chart.table.headers,
            ["Channel", "Aware", "Buy", "Return", "Advocacy"]
        );
        assert_eq!(chart.table.rows[0], ["Web", "1", "40", "80", "0"]);
        assert_eq!(chart.table.rows[1], ["Store", "0", "12", "0", "0"]);
        assert_eq!(text_on(HEAT_HIGH), LIGHT_TEXT);
        assert_eq!(text_on(HEAT_LOW), DARK_TEXT);
    }

    #[test]
    fn a_heatmap_of_zeros_or_one_cell_still_draws() {
        let zeros = Heatmap {
            counts: Vec::new(),
            ..channels_by_stage()
        };
        let chart = heatmap(&zeros);
        assert_clean(&chart.svg);
        assert_eq!(chart.table.rows.len(), 3);
        let one = Heatmap {
            rows: vec!["Web".into()],
            columns: vec!["Buy".into()],
            counts: vec![vec![9]],
            ..channels_by_stage()
        };
        assert_clean(&heatmap(&one).svg);
    }

    #[test]
    fn documents_stand_alone() {
        let svg = bars(&csat_bars()).svg;
        let doc = svg_document(&svg);
        assert!(doc.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg"));
        assert!(doc.contains("xmlns=\"http://www.w3.org/2000/svg\""));
        assert!(!doc.contains("currentColor"));
        assert!(doc.contains("fill=\"#1F2937\""));
        let title_end = doc.find("</title>").unwrap();
        let bg = doc
            .find("<rect width=\"100%\" height=\"100%\" fill=\"#FFFFFF\"/>")
            .unwrap();
        assert!(bg > title_end, "the title stays the first child");
        assert!(
            bg < doc.find("<text").unwrap(),
            "the background is under everything"
        );
        let bare = svg_document("<svg width=\"1\"><text>x</text></svg>");
        assert!(bare.contains("<svg width=\"1\" xmlns=\"http://www.w3.org/2000/svg\"><rect"));
    }

    #[test]
    fn labels_are_cut_with_an_ellipsis() {
        assert_eq!(cut("short", 10), "short");
        assert_eq!(cut("a long label here", 8), "a long…");
        assert_eq!(cut("line\nbreak", 20), "line break");
        assert_eq!(num(-0.04, 1), "0.0");
        assert_eq!(num(f64::NAN, 1), "–");
        assert_eq!(domain(None, []), [0.0, 1.0]);
        assert_eq!(domain(None, [0.0, 0.0]), [-1.0, 1.0]);
        assert_eq!(domain(Some([f64::NAN, 1.0]), [5.0]), [4.5, 5.5]);
    }
}
