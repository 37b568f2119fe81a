//! mermaid `journey` diagrams, the format developers already write journeys
//! in: sections become stages, tasks touchpoints, scores emotions and actors
//! personas, and back.
//!
//! mermaid's grammar (its `journey.jison`) is small: `journey`, then
//! `title …`, `section …` and `Task name: score: Actor, Actor` lines;
//! `%%` and `#` start comments, `;` is not allowed. Whatever it cannot hold
//! and Waymark can read back is written as `%% waymark …` comment lines,
//! which mermaid ignores, so a map that goes out and comes back keeps its
//! channels, pain points and handoffs.

use std::collections::HashMap;

use super::map_file::check_size;
use super::FormatError;
use crate::model::{
    Channel, ChannelKind, EmotionScale, Handoff, Id, JourneyMap, Persona, Stage, Touchpoint,
};

/// What the UI says before a mermaid export or import.
pub const LIMITS: &str = "A mermaid journey holds stages (sections), touchpoint names (tasks), \
one score from 1 to 5 per touchpoint and the personas who feel it (actors). \
It has no channels, handoffs or pain points: the export writes them as \"%% waymark\" comments, \
which mermaid ignores and Waymark reads back. Touchpoints without an emotion are exported \
with the neutral score 3, each persona gets the touchpoint's score rather than their own, \
and descriptions, owners, targets, opportunities, stage notes and persona details are left out; \
use the map file to keep everything. Colons, semicolons and # in names are written as \
full-width look-alike characters because mermaid reserves them.";

/// Written before a name that mermaid would otherwise misread (one starting
/// with a keyword, or an empty one): invisible in the diagram, and removed
/// again by [`from_mermaid`]. A zero-width space is not whitespace to
/// mermaid's lexer, so the keyword no longer starts the token.
const GUARD: char = '\u{200B}';

/// The channel imported touchpoints get when the text names none.
pub const UNASSIGNED: &str = "Unassigned";

/// The map as a mermaid journey: one section per stage in map order, one
/// task per touchpoint in lane order (by channel, then position in the
/// cell), scored by [`score_of`] (3 without an emotion), with the personas
/// who have an emotion there as actors. Channels, personas, pain points
/// and handoffs go into `%% waymark` comments; handoffs name their tasks by
/// number, in the order they appear, from 1.
///
/// Names are made safe for mermaid's grammar: line breaks become spaces,
/// `:` `;` `#` become their full-width look-alikes `：` `；` `＃` (commas
/// too, as `，`, in actor names, which mermaid splits on), runs of `%`
/// one `%` (`%%` starts a comment), and a name that is empty or would read
/// as a keyword gets an invisible zero-width space in front.
pub fn to_mermaid(map: &JourneyMap) -> String {
    let mut out = String::from("journey\n");
    out.push_str(
        "%% Exported from Waymark. Mermaid ignores the \"%% waymark\" comments; Waymark reads back \
         channels, personas, pain points and handoffs (tasks numbered in order from 1) from them.\n",
    );
    let title = clean(&map.name, "#;");
    if !title.is_empty() {
        out.push_str(&format!("  title {title}\n"));
    }
    // Every channel and persona up front, in map order, so they come back
    // in the same order, and those without touchpoints come back at all.
    let mut seen: HashMap<String, usize> = HashMap::new();
    let lanes: HashMap<&Id, String> = map
        .channels
        .iter()
        .map(|c| {
            let nth = seen.entry(read_back_name(&c.name)).or_default();
            *nth += 1;
            (&c.id, channel_comment(c, *nth))
        })
        .collect();
    for channel in &map.channels {
        out.push_str(&format!("  {}\n", lanes[&channel.id]));
    }
    for persona in &map.personas {
        out.push_str(&format!("  %% waymark persona: {}\n", actor(persona)));
    }
    // Each stage's touchpoints in lane order, grouped once: asking every
    // stage × channel cell for its touchpoints would be quadratic.
    let mut by_stage: HashMap<&Id, Vec<&Touchpoint>> = HashMap::new();
    for t in map.journey_order() {
        by_stage.entry(&t.stage).or_default().push(t);
    }
    let personas: HashMap<&Id, (usize, &Persona)> = map
        .personas
        .iter()
        .enumerate()
        .map(|(i, p)| (&p.id, (i, p)))
        .collect();
    let mut numbers: HashMap<&Id, usize> = HashMap::new();
    for stage in &map.stages {
        out.push_str(&format!(
            "  section {}\n",
            guarded(clean(&stage.name, ":#;"))
        ));
        let mut lane = None;
        for t in by_stage.remove(&stage.id).unwrap_or_default() {
            if lane != Some(&t.channel) {
                lane = Some(&t.channel);
                if let Some(comment) = lanes.get(&t.channel) {
                    out.push_str(&format!("    {comment}\n"));
                }
            }
            numbers.insert(&t.id, numbers.len() + 1);
            let score = t.emotion.map_or(3, |e| score_of(e, &map.emotion_scale));
            let mut feeling: Vec<(usize, &Persona)> = t
                .persona_emotions
                .keys()
                .filter_map(|id| personas.get(id).copied())
                .collect();
            feeling.sort_by_key(|(i, _)| *i);
            let actors: Vec<String> = feeling.into_iter().map(|(_, p)| actor(p)).collect();
            out.push_str(&format!("    {}: {score}", task_name(&t.name)));
            if !actors.is_empty() {
                out.push_str(&format!(": {}", actors.join(", ")));
            }
            out.push('\n');
            for pain in &t.pain_points {
                out.push_str(&format!("    %% waymark pain point: {}\n", one_line(pain)));
            }
        }
    }
    for h in &map.handoffs {
        let (Some(from), Some(to)) = (numbers.get(&h.from), numbers.get(&h.to)) else {
            continue;
        };
        let context = if h.context_carried {
            "context carried"
        } else {
            "context lost"
        };
        out.push_str(&format!("  %% waymark handoff: {from} -> {to}, {context}"));
        if !h.friction.trim().is_empty() {
            out.push_str(&format!(": {}", one_line(&h.friction)));
        }
        out.push('\n');
    }
    out
}

/// The lane's name and kind; lanes that would read back under the same
/// name also get their place among them (` #2` after the kind), so two
/// lanes called "Store" stay two lanes.
fn channel_comment(channel: &Channel, nth: usize) -> String {
    let mut comment = format!(
        "%% waymark channel: {} ({})",
        one_line(&channel.name),
        channel.kind.label()
    );
    if nth > 1 {
        comment.push_str(&format!(" #{nth}"));
    }
    comment
}

/// The name [`Reader`] gives back for a lane's name.
fn read_back_name(name: &str) -> String {
    one_line(name).trim().to_owned()
}

/// A persona's name as a mermaid actor, which cannot hold `,` either.
fn actor(persona: &Persona) -> String {
    guarded(clean(&persona.name, ":#;,"))
}

/// A 1–5 mermaid score for an emotion: the scale's ends are 1 and 5 and the
/// steps between are spread evenly, rounding halves up (on the default
/// −2…2 scale, emotion + 3; on −3…3, −2 and −1 both give 2).
pub fn score_of(emotion: i8, scale: &EmotionScale) -> u8 {
    let span = i32::from(scale.max) - i32::from(scale.min);
    let offset = (i32::from(emotion) - i32::from(scale.min)).clamp(0, span.max(1));
    let score = 1 + (8 * offset + span) / (2 * span.max(1));
    u8::try_from(score.clamp(1, 5)).unwrap_or(3)
}

/// The emotion for a 1–5 score on a scale, the inverse of [`score_of`]:
/// 1 and 5 are the scale's ends and the scores between are spread evenly,
/// rounding halves up (on the default −2…2 scale, score − 3; on −3…3, 2
/// gives −1 and 4 gives 2). Scales of at least five steps give each score
/// its own emotion, so scores survive a trip out and back.
pub fn emotion_of(score: u8, scale: &EmotionScale) -> i8 {
    let span = i32::from(scale.max) - i32::from(scale.min);
    let steps = i32::from(score.clamp(1, 5)) - 1;
    let emotion = i32::from(scale.min) + (2 * steps * span + 4) / 8;
    // max/min rather than clamp, which panics on a scale upside down.
    i8::try_from(emotion.min(i32::from(scale.max)).max(i32::from(scale.min))).unwrap_or(0)
}

/// `text` on one line without the characters in `reserved`, which mermaid
/// would read as syntax.
fn clean(text: &str, reserved: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.trim().chars() {
        let c = match c {
            '\n' | '\r' | '\t' => ' ',
            ':' if reserved.contains(':') => '：',
            ';' if reserved.contains(';') => '；',
            '#' if reserved.contains('#') => '＃',
            ',' if reserved.contains(',') => '，',
            c if c.is_control() => continue,
            c => c,
        };
        if c == '%' && out.ends_with('%') {
            continue;
        }
        out.push(c);
    }
    out.trim().to_owned()
}

fn one_line(text: &str) -> String {
    clean(text, "")
}

/// An empty name gets the guard so mermaid still sees a name.
fn guarded(name: String) -> String {
    if name.is_empty() {
        GUARD.to_string()
    } else {
        name
    }
}

fn task_name(name: &str) -> String {
    let name = clean(name, ":#;");
    if keyword(&name).is_some() {
        format!("{GUARD}{name}")
    } else {
        guarded(name)
    }
}

/// The keyword a line starts with as mermaid's lexer sees it (ignoring
/// case, before it tries a task name), with the text after it.
fn keyword(line: &str) -> Option<(&'static str, &str)> {
    let after = |k: &str| {
        let head = line.get(..k.len())?;
        head.eq_ignore_ascii_case(k).then(|| &line[k.len()..])
    };
    if let Some(rest) = after("journey") {
        return Some(("journey", rest));
    }
    for k in ["title", "section"] {
        if let Some(rest) = after(k).filter(|r| r.starts_with(char::is_whitespace)) {
            return Some((k, rest.trim()));
        }
    }
    for k in ["accTitle", "accDescr"] {
        if let Some(rest) = after(k).filter(|r| r.trim_start().starts_with([':', '{'])) {
            return Some((k, rest.trim()));
        }
    }
    None
}

/// A name as read: trimmed, without the guard [`to_mermaid`] may have put
/// in front.
fn unguarded(name: &str) -> &str {
    let name = name.trim();
    name.strip_prefix(GUARD).unwrap_or(name)
}

/// Reads a mermaid journey into a new map with the given id and clock, on
/// the default emotion scale (scores become emotions by [`emotion_of`]).
/// Sections become stages, tasks touchpoints, actors personas (one per
/// distinct name, each with the task's score as their emotion there).
/// Tasks before any section go into a stage named "Journey"; tasks with no
/// `%% waymark channel` comment before them in their section into a channel
/// named [`UNASSIGNED`]. Errors name the line.
pub fn from_mermaid(text: &str, id: Id, now_ms: f64) -> Result<JourneyMap, FormatError> {
    check_size(text.len())?;
    let mut reader = Reader::new(id, now_ms);
    let mut started = false;
    let mut front_matter = false;
    let mut description = false;
    for (i, raw) in text.trim_start_matches('\u{feff}').lines().enumerate() {
        let number = i + 1;
        let at = |message: String| FormatError::new(format!("line {number}"), message);
        let line = raw.trim();
        if description {
            // Inside `accDescr { … }`, which may span lines.
            description = !line.contains('}');
            continue;
        }
        if !started {
            if front_matter {
                front_matter = line != "---";
                if let Some(title) = line.strip_prefix("title:") {
                    reader.map.name = unquoted(title).to_owned();
                }
            } else if line == "---" {
                front_matter = true;
            } else if line.eq_ignore_ascii_case("journey") {
                started = true;
            } else if !line.is_empty() && !line.starts_with("%%") {
                return Err(at(format!(
                    "expected `journey` (a mermaid journey) or a JSON map file, found \"{}\"",
                    shortened(line)
                )));
            }
            continue;
        }
        if let Some(comment) = line.strip_prefix("%%") {
            reader.comment(comment.trim(), number).map_err(at)?;
            continue;
        }
        // `#` starts a comment anywhere, as in mermaid's lexer.
        let line = line.split('#').next().unwrap_or("").trim();
        if line.is_empty() {
            continue;
        }
        if line.contains(';') {
            return Err(at("mermaid does not allow `;` here".into()));
        }
        match keyword(line) {
            Some(("title", title)) => reader.map.name = title.to_owned(),
            Some(("section", name)) => reader.section(unguarded(name)),
            Some(("accTitle" | "accDescr", rest)) => {
                description = rest.starts_with('{') && !rest.contains('}');
            }
            _ => reader.task(line).map_err(at)?,
        }
    }
    if !started {
        let message = if text.trim().is_empty() {
            "the text is empty: a mermaid journey starts with `journey`"
        } else {
            "no `journey` line: a mermaid journey starts with it"
        };
        return Err(FormatError::new("line 1", message));
    }
    reader.finish()
}

fn unquoted(text: &str) -> &str {
    let text = text.trim();
    text.strip_prefix('"')
        .and_then(|t| t.strip_suffix('"'))
        .unwrap_or(text)
}

/// At most 40 characters of a line, for messages.
fn shortened(line: &str) -> String {
    let mut short: String = line.chars().take(40).collect();
    if short.len() < line.len() {
        short.push('…');
    }
    short
}

/// A handoff comment before the tasks it names are known.
struct PendingHandoff {
    line: usize,
    from: usize,
    to: usize,
    carried: bool,
    friction: String,
}

/// Builds the map line by line. Ids are made here from the map's sequence
/// rather than through [`JourneyMap::add_touchpoint`], which checks every
/// id already taken and would make a long file quadratic.
struct Reader {
    map: JourneyMap,
    stage: Option<usize>,
    channel: Option<usize>,
    /// Lanes by name, in map order: names may repeat.
    channels: HashMap<String, Vec<usize>>,
    personas: HashMap<String, usize>,
    handoffs: Vec<PendingHandoff>,
}

impl Reader {
    fn new(id: Id, now_ms: f64) -> Self {
        Reader {
            map: JourneyMap::new(id, "Imported journey", now_ms),
            stage: None,
            channel: None,
            channels: HashMap::new(),
            personas: HashMap::new(),
            handoffs: Vec::new(),
        }
    }

    fn id(&mut self, prefix: &str) -> Id {
        let id = Id::new(format!("{prefix}{}", self.map.next_seq));
        self.map.next_seq += 1;
        id
    }

    fn section(&mut self, name: &str) {
        let id = self.id("s");
        self.map.stages.push(Stage {
            id,
            name: name.to_owned(),
            ..Stage::default()
        });
        self.stage = Some(self.map.stages.len() - 1);
        self.channel = None;
    }

    /// The `nth` lane (from 1) of that name, made if there are fewer.
    /// Before the first section or task every comment is a lane of its
    /// own: that is where the export lists them all, in map order.
    fn channel_named(&mut self, name: &str, kind: ChannelKind, nth: usize) -> usize {
        let listing = self.stage.is_none();
        let known = self.channels.get(name).map_or(0, Vec::len);
        if !listing && nth <= known {
            return self.channels[name][nth - 1];
        }
        let id = self.id("c");
        self.map.channels.push(Channel {
            id,
            name: name.to_owned(),
            kind,
        });
        let i = self.map.channels.len() - 1;
        self.channels.entry(name.to_owned()).or_default().push(i);
        i
    }

    /// `%% waymark …` comments; any other comment is the author's own.
    fn comment(&mut self, comment: &str, line: usize) -> Result<(), String> {
        let Some(rest) = comment.strip_prefix("waymark ") else {
            return Ok(());
        };
        if let Some(channel) = rest.strip_prefix("channel:") {
            let (name, kind, nth) = channel_parts(channel.trim());
            self.channel = Some(self.channel_named(name, kind, nth));
        } else if let Some(name) = rest.strip_prefix("persona:") {
            self.persona(unguarded(name));
        } else if let Some(pain) = rest.strip_prefix("pain point:") {
            let t = self
                .map
                .touchpoints
                .last_mut()
                .ok_or("a pain point comment before any task")?;
            t.pain_points.push(pain.trim().to_owned());
        } else if let Some(handoff) = rest.strip_prefix("handoff:") {
            self.handoffs.push(parse_handoff(handoff.trim(), line)?);
        }
        Ok(())
    }

    fn task(&mut self, line: &str) -> Result<(), String> {
        let (name, data) = line.split_once(':').ok_or_else(|| {
            format!(
                "expected `title …`, `section …` or `Task name: score: Actor, …`, found \"{}\"",
                shortened(line)
            )
        })?;
        let name = name.trim();
        if name.is_empty() {
            return Err("a task needs a name before its `:`".into());
        }
        let mut pieces = data.split(':');
        let raw_score = pieces.next().unwrap_or("").trim();
        let score = raw_score
            .parse::<u8>()
            .ok()
            .filter(|s| (1..=5).contains(s))
            .ok_or_else(|| {
                format!(
                    "task \"{}\": score \"{raw_score}\" is not a whole number from 1 to 5",
                    shortened(name)
                )
            })?;
        let emotion = emotion_of(score, &self.map.emotion_scale);
        let stage = match self.stage {
            Some(i) => i,
            None => {
                self.section("Journey");
                self.map.stages.len() - 1
            }
        };
        let channel = match self.channel {
            Some(i) => i,
            None => self.channel_named(UNASSIGNED, ChannelKind::default(), 1),
        };
        let mut touchpoint = Touchpoint {
            id: self.id("t"),
            stage: self.map.stages[stage].id.clone(),
            channel: self.map.channels[channel].id.clone(),
            name: unguarded(name).to_owned(),
            emotion: Some(emotion),
            ..Touchpoint::default()
        };
        for actor in pieces.next().unwrap_or("").split(',') {
            if actor.trim().is_empty() {
                continue;
            }
            let persona = self.persona(unguarded(actor));
            touchpoint.persona_emotions.insert(persona, emotion);
        }
        self.map.touchpoints.push(touchpoint);
        Ok(())
    }

    fn persona(&mut self, name: &str) -> Id {
        if let Some(&i) = self.personas.get(name) {
            return self.map.personas[i].id.clone();
        }
        let id = self.id("p");
        self.map.personas.push(Persona {
            id: id.clone(),
            name: name.to_owned(),
            ..Persona::default()
        });
        self.personas
            .insert(name.to_owned(), self.map.personas.len() - 1);
        id
    }

    fn finish(mut self) -> Result<JourneyMap, FormatError> {
        let tasks = self.map.touchpoints.len();
        for pending in std::mem::take(&mut self.handoffs) {
            let at = |message: String| FormatError::new(format!("line {}", pending.line), message);
            for end in [pending.from, pending.to] {
                if end == 0 || end > tasks {
                    return Err(at(format!(
                        "a handoff names task {end}, but the journey has {tasks} task(s)"
                    )));
                }
            }
            if pending.from == pending.to {
                return Err(at("a handoff needs two different tasks".into()));
            }
            let handoff = Handoff {
                id: self.id("h"),
                from: self.map.touchpoints[pending.from - 1].id.clone(),
                to: self.map.touchpoints[pending.to - 1].id.clone(),
                context_carried: pending.carried,
                carries: Vec::new(),
                friction: pending.friction,
            };
            self.map.handoffs.push(handoff);
        }
        // Built from ids of its own, so this holds; checked all the same
        // because every reader promises a valid map.
        self.map
            .validate()
            .map_err(|e| FormatError::new(e.field, e.message))?;
        Ok(self.map)
    }
}

/// `Store (physical) #2`: a lane's name, its kind, and which lane of that
/// name and kind it is. The number counts only after a kind, where no name
/// can end, so a lane named "Store (physical) #2" still reads back as itself.
fn channel_parts(text: &str) -> (&str, ChannelKind, usize) {
    let (head, nth) = text
        .rsplit_once(" #")
        .and_then(|(head, n)| Some((head, n.parse::<usize>().ok().filter(|n| *n > 1)?)))
        .unwrap_or((text, 1));
    ChannelKind::ALL
        .into_iter()
        .find_map(|k| {
            Some((
                head.strip_suffix(&format!("({})", k.label()))?.trim_end(),
                k,
                nth,
            ))
        })
        .unwrap_or((text, ChannelKind::default(), 1))
}

/// `3 -> 7, context lost: friction` (the friction is optional).
fn parse_handoff(text: &str, line: usize) -> Result<PendingHandoff, String> {
    let bad = || {
        format!(
            "expected a handoff as `3 -> 7, context lost: why`, found \"{}\"",
            shortened(text)
        )
    };
    let (ends, context) = text.split_once(',').ok_or_else(bad)?;
    let (from, to) = ends.split_once("->").ok_or_else(bad)?;
    let from = from.trim().parse::<usize>().map_err(|_| bad())?;
    let to = to.trim().parse::<usize>().map_err(|_| bad())?;
    let context = context.trim();
    let (carried, friction) = if let Some(rest) = context.strip_prefix("context carried") {
        (true, rest)
    } else if let Some(rest) = context.strip_prefix("context lost") {
        (false, rest)
    } else {
        return Err(bad());
    };
    let friction = match friction.trim_start() {
        "" => String::new(),
        rest => rest.strip_prefix(':').ok_or_else(bad)?.trim().to_owned(),
    };
    Ok(PendingHandoff {
        line,
        from,
        to,
        carried,
        friction,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::templates::TEMPLATES;

    fn read(text: &str) -> Result<JourneyMap, FormatError> {
        from_mermaid(text, Id::new("imported"), 5.0)
    }

    /// Stage names, and per stage its touchpoints' names and scores, in
    /// export order: what a mermaid round trip must keep.
    fn outline(map: &JourneyMap) -> Vec<(String, Vec<(String, u8)>)> {
        map.stages
            .iter()
            .map(|s| {
                let tasks = map
                    .channels
                    .iter()
                    .flat_map(|c| map.cell(&s.id, &c.id))
                    .map(|t| {
                        let score = t.emotion.map_or(3, |e| score_of(e, &map.emotion_scale));
                        (t.name.clone(), score)
                    })
                    .collect();
                (s.name.clone(), tasks)
            })
            .collect()
    }

    #[test]
    fn the_documentation_example_reads() {
        let text = "journey
    title My working day
    section Go to work
      Make tea: 5: Me
      Go upstairs: 3: Me
      Do work: 1: Me, Cat
    section Go home
      Go downstairs: 5: Me
      Sit down: 5: Me";
        let map = read(text).unwrap();
        assert_eq!(map.id, Id::new("imported"));
        assert_eq!(map.created_ms, 5.0);
        assert_eq!(map.name, "My working day");
        let stages: Vec<&str> = map.stages.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(stages, ["Go to work", "Go home"]);
        assert_eq!(map.channels.len(), 1);
        assert_eq!(map.channels[0].name, UNASSIGNED);
        let emotions: Vec<Option<i8>> = map.touchpoints.iter().map(|t| t.emotion).collect();
        assert_eq!(emotions, [2, 0, -2, 2, 2].map(Some));
        let personas: Vec<&str> = map.personas.iter().map(|p| p.name.as_str()).collect();
        assert_eq!(personas, ["Me", "Cat"]);
        let work = &map.touchpoints[2];
        assert_eq!(work.name, "Do work");
        assert_eq!(work.persona_emotions.len(), 2);
        assert!(work.persona_emotions.values().all(|&e| e == -2));
        assert_eq!(map.touchpoints[4].stage, map.stages[1].id);
    }

    #[test]
    fn comments_blank_lines_front_matter_and_accessibility_lines_are_accepted() {
        let text =
            "\u{feff}---\ntitle: \"From front matter\"\n---\n%% leading comment\n\nJOURNEY\r\n\
            accTitle: My day\n  accDescr {\n  spans\n  lines }\n accDescr: one line\n\
            # a hash comment\n   %%{init: {}}%%\n\tsection  Morning  \n\
            Coffee: 4 # strong\n  Tea:5:\n";
        let map = read(text).unwrap();
        assert_eq!(map.name, "From front matter");
        assert_eq!(map.stages[0].name, "Morning");
        let names: Vec<&str> = map.touchpoints.iter().map(|t| t.name.as_str()).collect();
        assert_eq!(names, ["Coffee", "Tea"]);
        assert!(map.personas.is_empty());
    }

    #[test]
    fn tasks_before_any_section_get_a_stage() {
        let map = read("journey\nWake up: 2").unwrap();
        assert_eq!(map.stages.len(), 1);
        assert_eq!(map.touchpoints[0].emotion, Some(-1));
    }

    #[test]
    fn errors_name_the_line() {
        for (text, line, why) in [
            (
                "journey\nsection A\nTask without score",
                "line 3",
                "expected",
            ),
            ("journey\nsection A\nTask: 6: Me", "line 3", "1 to 5"),
            ("journey\nsection A\nTask: often", "line 3", "1 to 5"),
            ("journey\n: 3", "line 2", "name"),
            ("journey\nsection A; section B", "line 2", "`;`"),
            ("graph TD\nA-->B", "line 1", "journey"),
            ("%% only a comment", "line 1", "no `journey`"),
            (
                "journey\n%% waymark pain point: early",
                "line 2",
                "before any task",
            ),
            (
                "journey\nA: 1\n%% waymark handoff: 1 -> 2, context lost",
                "line 3",
                "1 task",
            ),
            (
                "journey\nA: 1\n%% waymark handoff: 1 -> 1, context lost",
                "line 3",
                "two different",
            ),
            (
                "journey\nA: 1\n%% waymark handoff: one to two",
                "line 3",
                "expected a handoff",
            ),
        ] {
            let e = read(text).unwrap_err();
            assert_eq!(e.field, line, "{text}: {e}");
            assert!(e.message.contains(why), "{text}: {e}");
        }
    }

    #[test]
    fn every_template_keeps_stages_touchpoints_scores_channels_and_handoffs() {
        for t in TEMPLATES {
            let map = (t.build)(Id::new("m"), 0.0);
            let back = read(&to_mermaid(&map)).unwrap();
            assert_eq!(back.name, map.name, "{}", t.key);
            // Templates write `;` in names, which the export replaces.
            let sanitised: Vec<_> = outline(&map)
                .into_iter()
                .map(|(stage, tasks)| {
                    let tasks = tasks.into_iter().map(|(n, s)| (clean(&n, ":#;"), s));
                    (stage, tasks.collect())
                })
                .collect();
            assert_eq!(outline(&back), sanitised, "{}", t.key);
            let channels = |m: &JourneyMap| -> Vec<(String, ChannelKind)> {
                m.channels
                    .iter()
                    .map(|c| (c.name.clone(), c.kind))
                    .collect()
            };
            assert_eq!(channels(&back), channels(&map), "{}", t.key);
            // Handoff ends by their place in the journey, which the trip keeps.
            let ends = |m: &JourneyMap| -> Vec<(usize, usize, bool, String)> {
                let order = m.journey_order();
                let place = |id: &Id| order.iter().position(|t| &t.id == id).unwrap();
                m.handoffs
                    .iter()
                    .map(|h| {
                        (
                            place(&h.from),
                            place(&h.to),
                            h.context_carried,
                            h.friction.clone(),
                        )
                    })
                    .collect()
            };
            assert_eq!(ends(&back), ends(&map), "{}", t.key);
            let pains = |m: &JourneyMap| -> Vec<Vec<String>> {
                m.journey_order()
                    .iter()
                    .map(|t| t.pain_points.clone())
                    .collect()
            };
            assert_eq!(pains(&back), pains(&map), "{}", t.key);
            let personas = |m: &JourneyMap| -> Vec<usize> {
                m.journey_order()
                    .iter()
                    .map(|t| t.persona_emotions.len())
                    .collect()
            };
            assert_eq!(personas(&back), personas(&map), "{}", t.key);
        }
    }

    #[test]
    fn export_follows_mermaids_grammar() {
        let mut m = JourneyMap::new(Id::new("m"), "Q3: plan #1; final\nv2", 0.0);
        let s = m.add_stage("Buy: online");
        let web = m.add_channel("Web\nsite", ChannelKind::Digital);
        let store = m.add_channel("Store", ChannelKind::Physical);
        let a = m.add_touchpoint(&s, &store, "Title deeds check").unwrap();
        let b = m.add_touchpoint(&s, &web, "Pay: card #2; now").unwrap();
        let c = m.add_touchpoint(&s, &web, "").unwrap();
        let p = m.add_persona("Maya, 34");
        m.set_emotion(&a, Some(-2)).unwrap();
        m.set_emotion(&b, Some(2)).unwrap();
        m.set_persona_emotion(&b, &p, Some(1)).unwrap();
        m.set_pain_points(&b, vec!["Card\nrefused".into()]).unwrap();
        m.add_handoff(&b, &a, false).unwrap();
        m.handoffs[0].friction = "Has to\nexplain again".into();
        m.add_handoff(&a, &c, true).unwrap();
        let expected = "journey
%% Exported from Waymark. Mermaid ignores the \"%% waymark\" comments; Waymark reads back channels, personas, pain points and handoffs (tasks numbered in order from 1) from them.
  title Q3: plan ＃1； final v2
  %% waymark channel: Web site (digital)
  %% waymark channel: Store (physical)
  %% waymark persona: Maya， 34
  section Buy： online
    %% waymark channel: Web site (digital)
    Pay： card ＃2； now: 5: Maya， 34
    %% waymark pain point: Card refused
    \u{200B}: 3
    %% waymark channel: Store (physical)
    \u{200B}Title deeds check: 1
  %% waymark handoff: 1 -> 3, context lost: Has to explain again
  %% waymark handoff: 3 -> 2, context carried
";
        assert_eq!(to_mermaid(&m), expected);
        let back = read(expected).unwrap();
        let names: Vec<&str> = back.touchpoints.iter().map(|t| t.name.as_str()).collect();
        assert_eq!(names, ["Pay： card ＃2； now", "", "Title deeds check"]);
        assert_eq!(back.personas[0].name, "Maya， 34");
        assert_eq!(back.channels[0].name, "Web site");
        assert_eq!(back.touchpoints[1].emotion, Some(0));
    }

    /// Checks a line against mermaid's journey grammar, written out by hand
    /// from its lexer rules rather than with this module's own helpers.
    fn assert_mermaid_reads(line: &str) {
        let l = line.trim_start();
        if l.starts_with("%%") {
            assert!(!l.starts_with("%%{"), "a directive: {line}");
            return;
        }
        assert!(
            !l.contains(['#', ';', '\r']),
            "reserved character: {line:?}"
        );
        if l == "journey" {
            return;
        }
        if let Some(title) = l.strip_prefix("title ") {
            assert!(!title.trim().is_empty(), "{line:?}");
            return;
        }
        if let Some(section) = l.strip_prefix("section ") {
            assert!(
                !section.contains(':') && !section.trim().is_empty(),
                "{line:?}"
            );
            return;
        }
        let (name, data) = l.split_once(':').expect("a task line");
        assert!(!name.trim().is_empty(), "{line:?}");
        assert!(!name.contains("%%"), "{line:?}");
        let lower = name.to_lowercase();
        for keyword in ["journey", "title ", "section ", "acctitle", "accdescr"] {
            assert!(!lower.starts_with(keyword), "reads as a keyword: {line:?}");
        }
        let mut pieces = data.split(':');
        let score = pieces.next().unwrap().trim();
        assert!(["1", "2", "3", "4", "5"].contains(&score), "{line:?}");
        if let Some(actors) = pieces.next() {
            assert!(actors.split(',').all(|a| !a.trim().is_empty()), "{line:?}");
        }
        assert!(pieces.next().is_none(), "{line:?}");
    }

    #[test]
    fn every_exported_line_is_one_mermaid_reads() {
        let mut m = JourneyMap::new(Id::new("m"), "Title: with # and ; inside\r\n", 0.0);
        let s = m.add_stage("section: Section 8; #1");
        let c = m.add_channel("%%{init}%%", ChannelKind::Digital);
        for name in [
            "journey",
            "Title deeds",
            "title x",
            "%%x",
            "a:b:c",
            "",
            "  ",
            "AccDescr {",
        ] {
            let t = m.add_touchpoint(&s, &c, name).unwrap();
            let p = m.add_persona(name);
            m.set_persona_emotion(&t, &p, Some(1)).unwrap();
        }
        let maps = TEMPLATES.iter().map(|t| (t.build)(Id::new("m"), 0.0));
        for map in maps.chain([m]) {
            for line in to_mermaid(&map).lines() {
                assert_mermaid_reads(line);
            }
        }
    }

    #[test]
    fn names_without_reserved_characters_survive() {
        let mut m = JourneyMap::new(Id::new("m"), "Plain title", 0.0);
        let s = m.add_stage("section Section 8");
        let c = m.add_channel("Chat (human) (automated)", ChannelKind::Automated);
        for name in [
            "journey planner",
            "Section 8 form",
            "accDescr {x}",
            "100% sure",
            "a, b & c!",
        ] {
            m.add_touchpoint(&s, &c, name).unwrap();
        }
        let back = read(&to_mermaid(&m)).unwrap();
        assert_eq!(outline(&back), outline(&m));
        assert_eq!(back.channels[0].name, "Chat (human) (automated)");
        assert_eq!(back.channels[0].kind, ChannelKind::Automated);
    }

    #[test]
    fn lanes_with_the_same_name_stay_apart() {
        let mut m = JourneyMap::new(Id::new("m"), "Two stores", 0.0);
        let s = m.add_stage("Visit");
        let north = m.add_channel("Store", ChannelKind::Physical);
        let south = m.add_channel("Store ", ChannelKind::Physical);
        let odd = m.add_channel("Store (physical) #2", ChannelKind::Digital);
        m.add_touchpoint(&s, &south, "South till").unwrap();
        m.add_touchpoint(&s, &north, "North till").unwrap();
        m.add_touchpoint(&s, &odd, "Odd one").unwrap();
        let text = to_mermaid(&m);
        assert!(
            text.contains("    %% waymark channel: Store (physical) #2\n"),
            "{text}"
        );
        let back = read(&text).unwrap();
        let lanes: Vec<(&str, ChannelKind)> = back
            .channels
            .iter()
            .map(|c| (c.name.as_str(), c.kind))
            .collect();
        assert_eq!(
            lanes,
            [
                ("Store", ChannelKind::Physical),
                ("Store", ChannelKind::Physical),
                ("Store (physical) #2", ChannelKind::Digital),
            ]
        );
        let lane_of = |name: &str| {
            let t = back.touchpoints.iter().find(|t| t.name == name).unwrap();
            back.channels
                .iter()
                .position(|c| c.id == t.channel)
                .unwrap()
        };
        assert_eq!(
            [
                lane_of("North till"),
                lane_of("South till"),
                lane_of("Odd one")
            ],
            [0, 1, 2]
        );
    }

    #[test]
    fn scores_map_onto_other_scales_and_back() {
        let default = EmotionScale::default();
        for score in 1..=5 {
            assert_eq!(emotion_of(score, &default), score as i8 - 3);
        }
        for (min, max) in [(-3, 3), (-5, 5), (0, 10), (1, 7), (-2, 2)] {
            let scale = EmotionScale {
                min,
                max,
                labels: Vec::new(),
            };
            assert_eq!(emotion_of(1, &scale), min);
            assert_eq!(emotion_of(5, &scale), max);
            for score in 1..=5 {
                assert_eq!(
                    score_of(emotion_of(score, &scale), &scale),
                    score,
                    "{min}…{max}"
                );
            }
        }
        let wide = EmotionScale {
            min: -3,
            max: 3,
            labels: Vec::new(),
        };
        let scores: Vec<u8> = (-3..=3).map(|e| score_of(e, &wide)).collect();
        assert_eq!(scores, [1, 2, 2, 3, 4, 4, 5]);
        let broken = EmotionScale {
            min: 2,
            max: -2,
            labels: Vec::new(),
        };
        assert!((1..=5).contains(&score_of(0, &broken)));
        let _ = emotion_of(3, &broken);
    }
}
