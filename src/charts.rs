//! The emotion curve lane, drawn as an SVG string so it can be tested natively
//! and dropped into the page as markup. The designed emotion is one curve;
//! each persona with scores gets its own, so as-is and to-be or persona
//! differences can be read on one chart. Measured emotion (from imported
//! feedback, per stage) can be laid over it as a dashed line with its
//! interval. Handoff connectors are drawn in [`connectors`], the insights
//! dashboard's charts in [`dashboard`].

mod backend;
pub mod connectors;
pub mod dashboard;
pub mod insights;
pub mod map_image;

use crate::model::{Id, JourneyMap, Touchpoint};
use plotters::coord::combinators::BindKeyPoints;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use std::collections::HashMap;
use std::fmt;

/// The designed curve's colour and marker; personas get the palette below,
/// and a different marker each, so colour is never the only way to tell
/// curves apart.
const DESIGNED: RGBColor = RGBColor(37, 99, 235);
const PERSONA_COLOURS: [RGBColor; 4] = [
    RGBColor(219, 39, 119),
    RGBColor(217, 119, 6),
    RGBColor(5, 150, 105),
    RGBColor(124, 58, 237),
];
const GRID: RGBColor = RGBColor(203, 213, 225);

/// Longer touchpoint names are cut on the axis; the full name is on the card.
const MAX_LABEL_CHARS: usize = 18;

/// Above this many touchpoints only every n-th gets an axis label, so a
/// large map's overview stays legible.
const MAX_AXIS_LABELS: usize = 24;

/// The grey of the as-is curve a to-be map is compared with.
const BASELINE: RGBColor = RGBColor(100, 116, 139);

/// The measured curve: cyan, drawn thick and dashed with diamond markers, so
/// it differs from every designed or persona curve in more than colour.
const MEASURED: RGBColor = RGBColor(8, 145, 178);
/// Plotters cannot dash a polyline as one element, so the measured line is
/// drawn in this near-twin of [`MEASURED`] and the colour is swapped for
/// `MEASURED` plus a dash pattern afterwards.
const MEASURED_DASHED: RGBColor = RGBColor(8, 145, 179);
const MEASURED_DASH: &str = "8 5";

/// The comments' sentiment curve: purple and dotted with square markers,
/// unlike the measured scores' cyan dashes and diamonds.
const SENTIMENT: RGBColor = RGBColor(126, 34, 206);
const SENTIMENT_DASHED: RGBColor = RGBColor(126, 34, 207);
const SENTIMENT_DASH: &str = "2 5";

/// How one measured curve is drawn: its colour, the stand-in colour its
/// line is drawn in until [`dash`] swaps it, the dash pattern and whether
/// its markers are diamonds (else squares).
#[derive(Clone, Copy)]
struct Look {
    colour: RGBColor,
    drawn: RGBColor,
    pattern: &'static str,
    diamond: bool,
}

const SCORES_LOOK: Look = Look {
    colour: MEASURED,
    drawn: MEASURED_DASHED,
    pattern: MEASURED_DASH,
    diamond: true,
};

const SENTIMENT_LOOK: Look = Look {
    colour: SENTIMENT,
    drawn: SENTIMENT_DASHED,
    pattern: SENTIMENT_DASH,
    diamond: false,
};

impl Look {
    /// The marker centred `dx` pixels right of an element's anchor.
    fn marker(self, dx: i32) -> Polygon<(i32, i32)> {
        let points = if self.diamond {
            vec![(0, -6), (6, 0), (0, 6), (-6, 0)]
        } else {
            vec![(-5, -5), (5, -5), (5, 5), (-5, 5)]
        };
        let points: Vec<(i32, i32)> = points.into_iter().map(|(x, y)| (x + dx, y)).collect();
        Polygon::new(points, self.colour.filled())
    }
}

/// Plot units per touchpoint along x and per scale step along y: the chart
/// coordinates are integers (so axis labels are our own key points), fine
/// enough for the halfway positions and the measured curve's fractional
/// values.
const X_UNIT: i32 = 100;
const Y_UNIT: i32 = 100;

/// What to draw. The default is the designed curve of a 960 × 280 chart.
#[derive(Clone, Debug, PartialEq)]
pub struct EmotionChart {
    pub width: u32,
    pub height: u32,
    pub designed: bool,
    /// Personas whose own curves are drawn, in legend order.
    pub personas: Vec<Id>,
    /// Another map's designed curve, drawn under this one's.
    pub baseline: Option<Baseline>,
    /// Emotion measured from feedback, one point per stage.
    pub measured: Option<MeasuredCurve>,
    /// The comments' mean sentiment per stage, put on the emotion scale by
    /// the caller; drawn like `measured` in its own look.
    pub sentiment: Option<MeasuredCurve>,
}

/// Measured emotion per stage, e.g. CSAT rescaled onto the map's emotion
/// scale by the caller. `points` has one entry per stage of the map, in map
/// order; `None` (or a non-finite value) is a stage without data and leaves
/// a gap in the line and its band, never a zero. Missing trailing entries
/// count as `None`, extra ones are ignored.
///
/// A stage's point sits at the centre of its touchpoints along the x axis.
/// Stages without touchpoints are placed evenly in the gap between their
/// neighbours' touchpoints (before the first or after the last touchpoint:
/// in the half-step margin at that end of the axis).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct MeasuredCurve {
    /// Shown in the legend as "Measured: {label}".
    pub label: String,
    pub points: Vec<Option<MeasuredPoint>>,
}

/// One stage's measured value and its 95 % interval (`band`, low then high),
/// both already on the map's emotion scale; the band is clamped to the
/// scale's range when drawn. `n` is the number of answers behind it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct MeasuredPoint {
    pub value: f64,
    pub band: [f64; 2],
    pub n: usize,
}

/// The designed emotions of the current-state (as-is) map a future-state
/// (to-be) map was created from. A future-state map starts as a copy, so
/// touchpoints keep their ids: the as-is score of each is found by id and
/// drawn at the to-be map's position of that touchpoint. Touchpoints the
/// to-be design added have no as-is point; ones it removed are not drawn.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Baseline {
    pub label: String,
    pub scores: HashMap<Id, i8>,
}

impl Baseline {
    pub fn of(as_is: &JourneyMap) -> Self {
        Baseline {
            label: format!("As-is: {}", as_is.name),
            scores: as_is
                .touchpoints
                .iter()
                .filter_map(|t| Some((t.id.clone(), t.emotion?)))
                .collect(),
        }
    }

    /// Points in `map`'s journey order.
    pub fn curve<'a>(&self, map: &'a JourneyMap) -> Vec<CurvePoint<'a>> {
        map.journey_order()
            .into_iter()
            .enumerate()
            .filter_map(|(x, t)| {
                Some(CurvePoint {
                    x,
                    touchpoint: t,
                    score: *self.scores.get(&t.id)?,
                })
            })
            .collect()
    }
}

impl Default for EmotionChart {
    fn default() -> Self {
        EmotionChart {
            width: 960,
            height: 280,
            designed: true,
            personas: Vec::new(),
            baseline: None,
            measured: None,
            sentiment: None,
        }
    }
}

impl EmotionChart {
    /// The designed curve plus every persona of the map that has scores.
    pub fn all_curves(map: &JourneyMap) -> Self {
        EmotionChart {
            personas: map
                .personas
                .iter()
                .filter(|p| !curve(map, Some(&p.id)).is_empty())
                .map(|p| p.id.clone())
                .collect(),
            ..EmotionChart::default()
        }
    }
}

/// Point markers differ per curve as well as colour, so the chart reads in
/// greyscale and for colour-blind readers. Only the designed curve uses
/// circles, only the as-is baseline squares, only the measured curve
/// diamonds.
#[derive(Clone, Copy)]
enum Marker {
    Circle,
    Triangle,
    Cross,
    Square,
}

/// Drawing failed; with the SVG backend this only happens when text cannot
/// be measured (on wasm, outside a page with a DOM).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ChartError(pub String);

impl fmt::Display for ChartError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "could not draw the emotion curve: {}", self.0)
    }
}

impl std::error::Error for ChartError {}

/// One point of a curve: the touchpoint's position in journey order (its x)
/// and its score.
#[derive(Clone, Debug, PartialEq)]
pub struct CurvePoint<'a> {
    pub x: usize,
    pub touchpoint: &'a Touchpoint,
    pub score: i8,
}

/// The points of the designed curve (`persona == None`) or of one persona's
/// curve, in journey order; touchpoints without a score leave a gap. Also the
/// data for an accessible table next to the chart.
pub fn curve<'a>(map: &'a JourneyMap, persona: Option<&Id>) -> Vec<CurvePoint<'a>> {
    map.journey_order()
        .into_iter()
        .enumerate()
        .filter_map(|(x, t)| {
            let score = match persona {
                None => t.emotion,
                Some(p) => t.persona_emotions.get(p).copied(),
            }?;
            Some(CurvePoint {
                x,
                touchpoint: t,
                score,
            })
        })
        .collect()
}

fn axis_label(name: &str) -> String {
    if name.chars().count() <= MAX_LABEL_CHARS {
        name.to_owned()
    } else {
        let cut: String = name.chars().take(MAX_LABEL_CHARS - 1).collect();
        format!("{}…", cut.trim_end())
    }
}

fn failed(e: impl fmt::Display) -> ChartError {
    ChartError(e.to_string())
}

/// Where each stage's measured point sits along x, in plot units
/// ([`X_UNIT`] per touchpoint, touchpoint `i` at `i * X_UNIT`): the centre of
/// its touchpoints in `order`, or for stages without touchpoints evenly
/// spaced in the gap between their neighbours' touchpoints. One entry per
/// stage of the map, in map order.
fn stage_positions(map: &JourneyMap, order: &[&Touchpoint]) -> Vec<i32> {
    let unit = f64::from(X_UNIT);
    let spans: Vec<Option<(usize, usize)>> = map
        .stages
        .iter()
        .map(|s| {
            let mut at = order
                .iter()
                .enumerate()
                .filter(|(_, t)| t.stage == s.id)
                .map(|(i, _)| i);
            let first = at.next()?;
            Some((first, at.next_back().unwrap_or(first)))
        })
        .collect();
    let last = order.len().max(1) as f64 - 0.5;
    let mut out = Vec::with_capacity(spans.len());
    let mut k = 0;
    while k < spans.len() {
        if let Some((a, b)) = spans[k] {
            out.push((a + b) as f64 / 2.0);
            k += 1;
            continue;
        }
        // A run of stages without touchpoints, spread over the gap.
        let run = spans[k..].iter().take_while(|s| s.is_none()).count();
        let left = spans[..k]
            .iter()
            .rev()
            .find_map(|s| s.map(|(_, b)| b as f64))
            .unwrap_or(-0.5);
        let right = spans[k + run..]
            .iter()
            .find_map(|s| s.map(|(a, _)| a as f64))
            .unwrap_or(last);
        for j in 1..=run {
            out.push(left + (right - left) * j as f64 / (run + 1) as f64);
        }
        k += run;
    }
    out.into_iter().map(|x| (x * unit).round() as i32).collect()
}

/// One drawn point of the measured curve: x, value, band low, band high, in
/// plot units.
type MeasuredXy = (i32, i32, i32, i32);

/// The measured curve's runs of consecutive stages with data; a stage
/// without data ends a run.
fn measured_segments(
    map: &JourneyMap,
    order: &[&Touchpoint],
    measured: &MeasuredCurve,
) -> Vec<Vec<MeasuredXy>> {
    let (min, max) = (
        f64::from(map.emotion_scale.min),
        f64::from(map.emotion_scale.max),
    );
    let y = |v: f64| (v.clamp(min, max) * f64::from(Y_UNIT)).round() as i32;
    let mut segments: Vec<Vec<MeasuredXy>> = Vec::new();
    let mut run: Vec<MeasuredXy> = Vec::new();
    for (k, x) in stage_positions(map, order).into_iter().enumerate() {
        match measured.points.get(k).copied().flatten() {
            Some(p) if p.value.is_finite() => {
                let [lo, hi] = if p.band.iter().all(|b| b.is_finite()) {
                    let [a, b] = p.band;
                    [a.min(b), a.max(b)]
                } else {
                    [p.value, p.value]
                };
                run.push((x, y(p.value), y(lo), y(hi)));
            }
            _ => {
                if !run.is_empty() {
                    segments.push(std::mem::take(&mut run));
                }
            }
        }
    }
    if !run.is_empty() {
        segments.push(run);
    }
    segments
}

/// Renders the chart as a standalone `<svg>` document. X is the map's
/// touchpoints in journey order, Y the map's emotion scale with its labels.
pub fn emotion_curve_svg(map: &JourneyMap, chart: &EmotionChart) -> Result<String, ChartError> {
    let order = map.journey_order();
    let scale = &map.emotion_scale;
    let (min, max) = (i32::from(scale.min), i32::from(scale.max));
    // Beyond a million touchpoints the plot units would overflow.
    let n = i32::try_from(order.len().clamp(1, 1_000_000)).unwrap_or(1);
    let every = usize::try_from(n).unwrap_or(1).div_ceil(MAX_AXIS_LABELS);
    let x_keys: Vec<i32> = (0..n).step_by(every).map(|x| X_UNIT * x).collect();
    let y_keys: Vec<i32> = (min..=max).map(|y| Y_UNIT * y).collect();
    let (half_x, half_y) = (X_UNIT / 2, Y_UNIT / 2);

    let mut series: Vec<(String, RGBColor, Marker, Vec<CurvePoint>)> = Vec::new();
    if let Some(b) = &chart.baseline {
        series.push((b.label.clone(), BASELINE, Marker::Square, b.curve(map)));
    }
    if chart.designed {
        series.push((
            "Designed".into(),
            DESIGNED,
            Marker::Circle,
            curve(map, None),
        ));
    }
    for (i, id) in chart.personas.iter().enumerate() {
        if let Some(p) = map.persona(id) {
            let colour = PERSONA_COLOURS[i % PERSONA_COLOURS.len()];
            let shape = if i % 2 == 0 {
                Marker::Triangle
            } else {
                Marker::Cross
            };
            series.push((p.name.clone(), colour, shape, curve(map, Some(id))));
        }
    }
    let measured: Vec<(&MeasuredCurve, Vec<Vec<MeasuredXy>>, Look)> = [
        (&chart.measured, SCORES_LOOK),
        (&chart.sentiment, SENTIMENT_LOOK),
    ]
    .into_iter()
    .filter_map(|(m, look)| {
        let m = m.as_ref()?;
        let segments = measured_segments(map, &order, m);
        (!segments.is_empty()).then_some((m, segments, look))
    })
    .collect();

    let mut svg = String::new();
    {
        let root =
            backend::Svg::with_string(&mut svg, (chart.width, chart.height)).into_drawing_area();
        let mut ctx = ChartBuilder::on(&root)
            .margin(12)
            .x_label_area_size(28)
            .y_label_area_size(84)
            // Half-step margins keep end points off the frame; the axes are
            // labelled at our own key points only.
            .build_cartesian_2d(
                (-half_x..X_UNIT * n - half_x).with_key_points(x_keys),
                (Y_UNIT * min - half_y..Y_UNIT * max + half_y).with_key_points(y_keys),
            )
            .map_err(failed)?;
        let label_of = |x: &i32| {
            usize::try_from(x / X_UNIT)
                .ok()
                .and_then(|i| order.get(i))
                .map(|t| axis_label(&t.name))
                .unwrap_or_default()
        };
        ctx.configure_mesh()
            .disable_x_mesh()
            .light_line_style(GRID)
            .bold_line_style(GRID)
            .x_label_formatter(&label_of)
            .y_label_formatter(&|y: &i32| scale.label(i8::try_from(y / Y_UNIT).unwrap_or_default()))
            .label_style(("sans-serif", 12))
            .draw()
            .map_err(failed)?;

        let mut keys: Vec<(String, Key)> = Vec::new();
        // The measured band goes under every curve, its line over the band.
        for (m, segments, look) in &measured {
            let band = look.colour.mix(0.18).filled();
            for seg in segments {
                if let [(x, _, lo, hi)] = seg[..] {
                    ctx.draw_series(std::iter::once(Rectangle::new(
                        [(x - X_UNIT / 8, lo), (x + X_UNIT / 8, hi)],
                        band,
                    )))
                    .map_err(failed)?;
                } else {
                    let outline: Vec<(i32, i32)> = seg
                        .iter()
                        .map(|&(x, _, _, hi)| (x, hi))
                        .chain(seg.iter().rev().map(|&(x, _, lo, _)| (x, lo)))
                        .collect();
                    ctx.draw_series(std::iter::once(Polygon::new(outline, band)))
                        .map_err(failed)?;
                    ctx.draw_series(LineSeries::new(
                        seg.iter().map(|&(x, y, _, _)| (x, y)),
                        look.drawn.stroke_width(3),
                    ))
                    .map_err(failed)?;
                }
            }
            ctx.draw_series(
                segments
                    .iter()
                    .flatten()
                    .map(|&(x, y, _, _)| EmptyElement::at((x, y)) + look.marker(0)),
            )
            .map_err(failed)?;
            keys.push((format!("Measured: {}", m.label), Key::Measured(*look)));
        }

        for (name, colour, shape, points) in &series {
            let (colour, shape) = (*colour, *shape);
            let xy: Vec<(i32, i32)> = points
                .iter()
                .map(|p| {
                    let x = i32::try_from(p.x).unwrap_or(i32::MAX / X_UNIT);
                    (X_UNIT * x, Y_UNIT * i32::from(p.score))
                })
                .collect();
            ctx.draw_series(LineSeries::new(xy.clone(), colour.stroke_width(2)))
                .map_err(failed)?;
            keys.push((name.clone(), Key::Curve(colour, shape)));
            match shape {
                Marker::Circle => ctx
                    .draw_series(xy.iter().map(|&at| Circle::new(at, 4, colour.filled())))
                    .map(drop),
                Marker::Triangle => ctx
                    .draw_series(
                        xy.iter()
                            .map(|&at| TriangleMarker::new(at, 5, colour.filled())),
                    )
                    .map(drop),
                Marker::Cross => ctx
                    .draw_series(
                        xy.iter()
                            .map(|&at| Cross::new(at, 4, colour.stroke_width(2))),
                    )
                    .map(drop),
                Marker::Square => ctx
                    .draw_series(xy.iter().map(|&at| {
                        EmptyElement::at(at) + Rectangle::new([(-4, -4), (4, 4)], colour.filled())
                    }))
                    .map(drop),
            }
            .map_err(failed)?;
        }
        if keys.len() > 1 {
            let (x, y) = ctx.plotting_area().get_pixel_range();
            draw_legend(&root, x.end, y.start, &keys)?;
        }
        root.present().map_err(failed)?;
    }
    for (_, _, look) in &measured {
        svg = dash(&svg, look.drawn, look.colour, look.pattern);
    }
    Ok(svg)
}

/// What a legend row shows beside its label.
enum Key {
    Measured(Look),
    Curve(RGBColor, Marker),
}

/// The legend, in the plot's upper-right corner. plotters' own legend sizes
/// its box by measuring text in the page (see [`backend`]), so it is drawn
/// here with the same estimate as every other label.
fn draw_legend(
    root: &DrawingArea<backend::Svg<'_>, plotters::coord::Shift>,
    right: i32,
    top: i32,
    keys: &[(String, Key)],
) -> Result<(), ChartError> {
    const ROW: i32 = 20;
    const FONT: f64 = 12.0;
    let widest = keys
        .iter()
        .map(|(label, _)| backend::text_size(label, FONT).0)
        .max()
        .unwrap_or(0);
    let width = 38 + i32::try_from(widest).unwrap_or(i32::MAX / 4);
    let height = 8 + ROW * i32::try_from(keys.len()).unwrap_or(0);
    let (x0, y0) = (right - 10 - width, top + 10);
    let corners = [(x0, y0), (x0 + width, y0 + height)];
    root.draw(&Rectangle::new(corners, WHITE.mix(0.85).filled()))
        .map_err(failed)?;
    root.draw(&Rectangle::new(corners, GRID)).map_err(failed)?;
    let text = ("sans-serif", FONT)
        .into_font()
        .color(&BLACK)
        .pos(Pos::new(HPos::Left, VPos::Center));
    for (row, (label, key)) in (0..).zip(keys) {
        let at = (x0 + 8, y0 + 4 + ROW / 2 + row * ROW);
        let mark = |colour: RGBColor, width: u32| {
            EmptyElement::at(at)
                + PathElement::new(vec![(0, 0), (16, 0)], colour.stroke_width(width))
        };
        match key {
            Key::Measured(look) => root.draw(&(mark(look.drawn, 3) + look.marker(8))),
            Key::Curve(colour, Marker::Circle) => {
                root.draw(&(mark(*colour, 2) + Circle::new((8, 0), 4, colour.filled())))
            }
            Key::Curve(colour, Marker::Triangle) => {
                root.draw(&(mark(*colour, 2) + TriangleMarker::new((8, 0), 5, colour.filled())))
            }
            Key::Curve(colour, Marker::Cross) => {
                root.draw(&(mark(*colour, 2) + Cross::new((8, 0), 4, colour.stroke_width(2))))
            }
            Key::Curve(colour, Marker::Square) => {
                root.draw(&(mark(*colour, 2) + Rectangle::new([(4, -4), (12, 4)], colour.filled())))
            }
        }
        .map_err(failed)?;
        root.draw(&Text::new(label.as_str(), (at.0 + 22, at.1), text.clone()))
            .map_err(failed)?;
    }
    Ok(())
}

/// Plotters colour as it writes it into SVG attributes.
fn svg_colour(c: RGBColor) -> String {
    format!("#{:02X}{:02X}{:02X}", c.0, c.1, c.2)
}

/// Gives every stroke drawn in the stand-in colour `drawn` the colour `shown`
/// and a dash pattern: plotters only dashes by drawing each dash as an
/// element of its own.
fn dash(svg: &str, drawn: RGBColor, shown: RGBColor, pattern: &str) -> String {
    svg.replace(
        &format!("stroke=\"{}\"", svg_colour(drawn)),
        &format!(
            "stroke=\"{}\" stroke-dasharray=\"{pattern}\"",
            svg_colour(shown)
        ),
    )
}

/// A shape for the emotion, so the feeling reads without its colour. Arrows
/// from the basic geometric shapes rather than emoji faces: those render as
/// empty boxes where no emoji font is installed (many Linux desktops).
pub fn emotion_mark(score: i8) -> &'static str {
    match score {
        i8::MIN..=-2 => "▼▼ ",
        -1 => "▼ ",
        0 => "● ",
        1 => "▲ ",
        _ => "▲▲ ",
    }
}

/// Escapes text placed into markup by hand (plotters escapes its own).
pub fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::ChannelKind;
    use crate::templates;

    fn count(svg: &str, needle: &str) -> usize {
        svg.matches(needle).count()
    }

    /// The contents of every `<text>` element, as a reader would see them.
    fn texts(svg: &str) -> Vec<&str> {
        svg.split("<text")
            .skip(1)
            .filter_map(|t| {
                let body = &t[t.find('>')? + 1..];
                Some(body[..body.find("</text>")?].trim())
            })
            .collect()
    }

    fn designed_lines(svg: &str) -> usize {
        svg.lines()
            .filter(|l| l.starts_with("<polyline") && l.contains("stroke=\"#2563EB\""))
            .count()
    }

    #[test]
    fn one_circle_per_scored_touchpoint() {
        let mut m = templates::retail(Id::new("r"), 0.0);
        let unscored = m.touchpoints[2].id.clone();
        m.set_emotion(&unscored, None).unwrap();
        let svg = emotion_curve_svg(&m, &EmotionChart::default()).unwrap();
        assert!(svg.starts_with("<svg"));
        assert_eq!(count(&svg, "<circle"), m.touchpoints.len() - 1);
        assert_eq!(designed_lines(&svg), 1);
    }

    #[test]
    fn y_axis_shows_the_scale_labels_and_x_the_names() {
        let m = templates::retail(Id::new("r"), 0.0);
        let svg = emotion_curve_svg(&m, &EmotionChart::default()).unwrap();
        let texts = texts(&svg);
        for label in &m.emotion_scale.labels {
            assert!(texts.contains(&label.as_str()), "missing {label}");
        }
        assert!(texts.contains(&"Sees Instagram ad"));
        assert!(texts.contains(&"Reads reviews on…"));
        assert_eq!(texts.len(), 5 + 9, "no legend for a single curve");
    }

    #[test]
    fn a_to_be_map_draws_its_as_is_curve_by_touchpoint_id() {
        let as_is = templates::retail(Id::new("r"), 0.0);
        let mut to_be = as_is.future_state(Id::new("f"), "To-be", 1.0);
        // The redesign lifts one low point, drops a touchpoint and adds one.
        let lifted = as_is.touchpoints[2].id.clone();
        to_be.set_emotion(&lifted, Some(2)).unwrap();
        let dropped = to_be.touchpoints[0].id.clone();
        to_be.remove_touchpoint(&dropped);
        let (s, c) = (to_be.stages[0].id.clone(), to_be.channels[0].id.clone());
        let added = to_be.add_touchpoint(&s, &c, "Size finder").unwrap();
        to_be.set_emotion(&added, Some(1)).unwrap();

        let baseline = Baseline::of(&as_is);
        assert_eq!(baseline.label, format!("As-is: {}", as_is.name));
        let points = baseline.curve(&to_be);
        assert_eq!(
            points.len(),
            to_be.touchpoints.len() - 1,
            "none for the added one"
        );
        let at = |id: &Id| {
            points
                .iter()
                .find(|p| &p.touchpoint.id == id)
                .map(|p| p.score)
        };
        assert_eq!(at(&lifted), as_is.touchpoint(&lifted).unwrap().emotion);
        assert_eq!(at(&added), None);
        assert!(points.windows(2).all(|w| w[0].x < w[1].x));

        let chart = EmotionChart {
            baseline: Some(baseline),
            ..EmotionChart::default()
        };
        let svg = emotion_curve_svg(&to_be, &chart).unwrap();
        assert!(texts(&svg).contains(&format!("As-is: {}", as_is.name).as_str()));
        assert_eq!(
            designed_lines(&svg),
            2,
            "the to-be line and its legend swatch"
        );
        assert_eq!(
            count(&svg, "stroke=\"#64748B\" stroke-width=\"2\" points"),
            2,
            "the as-is line and its legend swatch"
        );
        // Squares for the as-is points, the legend's swatch, and the legend
        // box's fill and border; a chart without the baseline has none.
        assert_eq!(count(&svg, "<rect"), points.len() + 1 + 2);
        let plain = emotion_curve_svg(&to_be, &EmotionChart::default()).unwrap();
        assert_eq!(count(&plain, "<rect"), 0);
    }

    #[test]
    fn labels_are_escaped() {
        let mut m = JourneyMap::new(Id::new("m"), "x", 0.0);
        let s = m.add_stage("S");
        let c = m.add_channel("C", ChannelKind::Digital);
        let t = m.add_touchpoint(&s, &c, "<script>&").unwrap();
        m.set_emotion(&t, Some(0)).unwrap();
        m.emotion_scale.labels[2] = "\"meh\" <b>".into();
        let svg = emotion_curve_svg(&m, &EmotionChart::default()).unwrap();
        assert!(!svg.contains("<script>"));
        assert!(!svg.contains("<b>"));
        let texts = texts(&svg);
        assert!(texts.contains(&"&lt;script&gt;&amp;"));
        assert!(texts.contains(&"&quot;meh&quot; &lt;b&gt;"));
    }

    #[test]
    fn persona_curves_follow_the_persona_scores_in_journey_order() {
        let m = templates::retail(Id::new("r"), 0.0);
        let chart = EmotionChart::all_curves(&m);
        assert_eq!(chart.personas.len(), 2);
        let tom = &chart.personas[1];
        let points = curve(&m, Some(tom));
        assert_eq!(points.len(), 4);
        assert!(points.windows(2).all(|w| w[0].x < w[1].x));
        let svg = emotion_curve_svg(&m, &chart).unwrap();
        assert!(texts(&svg).contains(&"Tom, the store-first regular"));
        // Each curve's line and its legend swatch.
        assert_eq!(designed_lines(&svg), 2);
        assert_eq!(
            count(&svg, "stroke=\"#D97706\" stroke-width=\"2\" points"),
            2
        );
        // Personas use other markers: circles are the designed points plus
        // the legend's.
        assert_eq!(count(&svg, "<circle"), m.touchpoints.len() + 1);
        assert_eq!(count(&svg, "<polygon"), 9 + 1, "Maya's triangles");
    }

    #[test]
    fn large_and_empty_maps_still_draw() {
        let empty = JourneyMap::new(Id::new("e"), "Empty", 0.0);
        let svg = emotion_curve_svg(&empty, &EmotionChart::default()).unwrap();
        assert_eq!(count(&svg, "<circle"), 0);
        let big = templates::large_map(12, 10, 300, 200);
        let svg = emotion_curve_svg(&big, &EmotionChart::default()).unwrap();
        let scored = big.touchpoints.iter().filter(|t| t.emotion.is_some());
        assert_eq!(count(&svg, "<circle"), scored.count());
    }

    fn measured(label: &str, values: &[Option<f64>]) -> MeasuredCurve {
        MeasuredCurve {
            label: label.into(),
            points: values
                .iter()
                .map(|v| {
                    v.map(|value| MeasuredPoint {
                        value,
                        band: [value - 0.5, value + 0.5],
                        n: 30,
                    })
                })
                .collect(),
        }
    }

    /// Dashed measured polylines: the line's segments plus the legend swatch.
    fn measured_lines(svg: &str) -> usize {
        count(
            svg,
            "stroke=\"#0891B2\" stroke-dasharray=\"8 5\" stroke-width=\"3\" points",
        )
    }

    fn with_measured(curve: MeasuredCurve) -> EmotionChart {
        EmotionChart {
            measured: Some(curve),
            ..EmotionChart::default()
        }
    }

    #[test]
    fn measured_stages_without_data_leave_a_gap() {
        let m = templates::retail(Id::new("r"), 0.0);
        assert_eq!(m.stages.len(), 5);
        let values = [Some(1.0), Some(0.5), None, Some(-1.0), Some(1.2)];
        let chart = with_measured(measured("CSAT", &values));
        let svg = emotion_curve_svg(&m, &chart).unwrap();
        assert_eq!(measured_lines(&svg), 2 + 1, "two segments and the swatch");
        // A diamond per stage with data, and the legend's.
        assert_eq!(
            count(&svg, "<polygon opacity=\"1\" fill=\"#0891B2\""),
            4 + 1
        );
        // One translucent band per segment.
        assert_eq!(count(&svg, "<polygon opacity=\"0.18\" fill=\"#0891B2\""), 2);
        assert!(texts(&svg).contains(&"Measured: CSAT"));
        // The designed curve is still there, with its legend entry.
        assert!(texts(&svg).contains(&"Designed"));
        assert_eq!(designed_lines(&svg), 2);

        let order = m.journey_order();
        let segments = measured_segments(&m, &order, &chart.measured.clone().unwrap());
        assert_eq!(segments.iter().map(Vec::len).collect::<Vec<_>>(), [2, 2]);
        let xs = stage_positions(&m, &order);
        assert_eq!(segments[0][0].0, xs[0]);
        assert_eq!(segments[1][0].0, xs[3], "nothing drawn for stage 3");
    }

    #[test]
    fn measured_points_sit_at_their_stages_centres_and_bands_are_clamped() {
        let mut m = JourneyMap::new(Id::new("m"), "x", 0.0);
        let c = m.add_channel("C", ChannelKind::Digital);
        let empty_first = m.add_stage("Empty first");
        let two = m.add_stage("Two");
        let gap_a = m.add_stage("Gap a");
        let gap_b = m.add_stage("Gap b");
        let one = m.add_stage("One");
        let _ = (&empty_first, &gap_a, &gap_b);
        m.add_touchpoint(&two, &c, "a").unwrap();
        m.add_touchpoint(&two, &c, "b").unwrap();
        m.add_touchpoint(&one, &c, "c").unwrap();
        let order = m.journey_order();
        // Before the first touchpoint: halfway into the left margin; the
        // two-touchpoint stage at its centre; two empty stages spread
        // between touchpoints 1 and 2.
        assert_eq!(stage_positions(&m, &order), [-25, 50, 133, 167, 200]);

        let curve = MeasuredCurve {
            label: "x".into(),
            points: vec![
                Some(MeasuredPoint {
                    value: 1.8,
                    band: [2.6, 1.2],
                    n: 3,
                }),
                Some(MeasuredPoint {
                    value: f64::NAN,
                    band: [0.0, 1.0],
                    n: 0,
                }),
                Some(MeasuredPoint {
                    value: -3.0,
                    band: [f64::NAN, 0.0],
                    n: 1,
                }),
            ],
        };
        let segments = measured_segments(&m, &order, &curve);
        assert_eq!(
            segments,
            [vec![(-25, 180, 120, 200)], vec![(133, -200, -200, -200)]],
            "NaN is a gap, the band is sorted and clamped, missing entries are gaps"
        );
        let svg = emotion_curve_svg(&m, &with_measured(curve)).unwrap();
        // Single points get a band but no line.
        assert_eq!(measured_lines(&svg), 1, "only the legend swatch");
        assert_eq!(count(&svg, "<rect opacity=\"0.18\" fill=\"#0891B2\""), 0);
        assert_eq!(count(&svg, "opacity=\"0.18\" fill=\"#0891B2\""), 2);
    }

    #[test]
    fn the_sentiment_curve_draws_beside_the_scores_in_its_own_look() {
        let m = templates::retail(Id::new("r"), 0.0);
        let mut chart = with_measured(measured("NPS", &[Some(1.0), Some(0.5), None]));
        chart.sentiment = Some(MeasuredCurve {
            label: "mean comment sentiment per stage".into(),
            ..measured("x", &[Some(-1.0), Some(-0.5), Some(0.2)])
        });
        let svg = emotion_curve_svg(&m, &chart).unwrap();
        assert_eq!(
            count(&svg, "stroke-dasharray=\"8 5\""),
            2,
            "scores: line and swatch"
        );
        assert_eq!(
            count(&svg, "stroke-dasharray=\"2 5\""),
            2,
            "sentiment: line and swatch"
        );
        assert!(!svg.contains("#7E22CF"), "no stand-in colour is left");
        let labels = texts(&svg);
        assert!(labels.contains(&"Measured: NPS"), "{labels:?}");
        assert!(labels.contains(&"Measured: mean comment sentiment per stage"));
    }

    #[test]
    fn a_measured_curve_without_data_draws_nothing() {
        let m = templates::retail(Id::new("r"), 0.0);
        let svg = emotion_curve_svg(&m, &with_measured(measured("CSAT", &[None, None]))).unwrap();
        assert_eq!(measured_lines(&svg), 0);
        assert!(!svg.contains("#0891B2"));
        assert!(!texts(&svg).iter().any(|t| t.starts_with("Measured")));
        let empty = JourneyMap::new(Id::new("e"), "Empty", 0.0);
        let svg =
            emotion_curve_svg(&empty, &with_measured(measured("CSAT", &[Some(1.0)]))).unwrap();
        assert!(
            !svg.contains("#0891B2"),
            "a map without stages has nowhere to put it"
        );
    }

    #[test]
    fn the_measured_label_is_escaped() {
        let m = templates::retail(Id::new("r"), 0.0);
        let label = "<script>alert(1)</script>\"><svg onload=alert(1)>";
        let svg = emotion_curve_svg(&m, &with_measured(measured(label, &[Some(0.0)]))).unwrap();
        assert!(!svg.contains("<script>"));
        assert!(!svg.contains("<svg onload"));
        assert!(texts(&svg).contains(
            &"Measured: &lt;script&gt;alert(1)&lt;/script&gt;&quot;&gt;&lt;svg onload=alert(1)&gt;"
        ));
    }
}
