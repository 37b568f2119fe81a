//! Header layouts of the survey tools people export from. Tools differ in
//! how many rows the header takes and where the human-readable question is;
//! getting it wrong turns a question row into a data row full of "errors".

use serde::Serialize;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum LayoutKind {
    Generic,
    /// Field ids, question text, then `{"ImportId":…}` (legacy: 2 rows).
    Qualtrics,
    /// Question text, then `Response` / choice labels with blank continuation
    /// cells under multi-column questions.
    Surveymonkey,
    Typeform,
    GoogleForms,
    Delighted,
    Zendesk,
    Medallia,
    /// A worksheet of an `.xlsx` workbook with one header row.
    Xlsx,
}

/// The header as understood: how many rows it spans, a unique display name per
/// column (the question text where the tool has one) and the tool's own
/// field id when it differs.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Layout {
    pub kind: LayoutKind,
    pub header_rows: usize,
    pub names: Vec<String>,
    pub ids: Vec<Option<String>>,
}

/// Decides the layout from the first rows of the file (header candidates plus
/// a few data rows, which Zendesk detection needs).
pub fn detect(rows: &[Vec<String>]) -> Layout {
    let Some(first) = rows.first() else {
        return Layout {
            kind: LayoutKind::Generic,
            header_rows: 0,
            names: Vec::new(),
            ids: Vec::new(),
        };
    };
    let has = |name: &str| first.iter().any(|c| c.trim().eq_ignore_ascii_case(name));
    let second = rows.get(1);
    let third = rows.get(2);

    if third.is_some_and(|r| {
        r.iter()
            .any(|c| c.trim_start().starts_with("{\"ImportId\""))
    }) {
        let (names, ids) = question_and_id(first, second.expect("third row implies second"));
        return finish(LayoutKind::Qualtrics, 3, names, ids);
    }
    if (has("ResponseId") || has("ResponseID")) && has("StartDate") {
        if let Some(second) = second {
            let start = first.iter().position(|c| c.trim() == "StartDate");
            let second_is_header = start
                .and_then(|i| second.get(i))
                .is_some_and(|c| super::dates::parse(c).is_none());
            if second_is_header {
                let (names, ids) = question_and_id(first, second);
                return finish(LayoutKind::Qualtrics, 2, names, ids);
            }
        }
    }
    if has("Respondent ID") {
        if let Some(second) = second {
            if second.iter().any(|c| {
                let c = c.trim();
                c == "Response" || c == "Open-Ended Response"
            }) {
                return finish(
                    LayoutKind::Surveymonkey,
                    2,
                    surveymonkey_names(first, second),
                    vec![],
                );
            }
        }
    }
    let plain: Vec<String> = first.iter().map(|c| strip_html(c)).collect();
    let kind = if first.iter().any(|c| c.contains('<') && c.contains('>'))
        || (has("Network ID") && has("Submitted At"))
    {
        LayoutKind::Typeform
    } else if first.first().is_some_and(|c| c.trim() == "Timestamp") {
        LayoutKind::GoogleForms
    } else if first
        .iter()
        .any(|c| c.trim().to_ascii_lowercase().starts_with("medallia"))
        || has("LTR")
        || has("OSAT")
    {
        LayoutKind::Medallia
    } else if has("Permalink") || first.iter().any(|c| c.trim().starts_with("Delighted ")) {
        LayoutKind::Delighted
    } else if first
        .iter()
        .any(|c| c.to_ascii_lowercase().contains("ticket"))
        && first.iter().enumerate().any(|(i, _)| {
            let column: Vec<&str> = rows[1..]
                .iter()
                .filter_map(|r| r.get(i).map(|c| c.trim()))
                .filter(|c| !c.is_empty())
                .collect();
            !column.is_empty()
                && column.iter().all(|c| {
                    super::values::is_good_bad(c)
                        || matches!(c.to_ascii_lowercase().as_str(), "offered" | "unoffered")
                })
        })
    {
        LayoutKind::Zendesk
    } else {
        LayoutKind::Generic
    };
    finish(kind, 1, plain, vec![])
}

fn question_and_id(ids: &[String], questions: &[String]) -> (Vec<String>, Vec<Option<String>>) {
    let names = ids
        .iter()
        .enumerate()
        .map(|(i, id)| {
            let q = questions.get(i).map(|q| q.trim()).unwrap_or("");
            if q.is_empty() {
                id.trim().to_owned()
            } else {
                q.to_owned()
            }
        })
        .collect();
    (
        names,
        ids.iter().map(|id| Some(id.trim().to_owned())).collect(),
    )
}

/// SurveyMonkey leaves the question cell blank over every column after the
/// first of a multi-column question; the second row names the choice.
fn surveymonkey_names(questions: &[String], answers: &[String]) -> Vec<String> {
    let width = questions.len().max(answers.len());
    let mut question = String::new();
    let mut names = Vec::with_capacity(width);
    for i in 0..width {
        let q = questions.get(i).map(|q| q.trim()).unwrap_or("");
        if !q.is_empty() {
            question = q.to_owned();
        }
        let a = answers.get(i).map(|a| a.trim()).unwrap_or("");
        names.push(match a {
            "" | "Response" => question.clone(),
            // An open-ended cell under a multi-column question is its
            // "Other, please specify" box.
            "Open-Ended Response" if q.is_empty() => format!("{question} - Other"),
            "Open-Ended Response" => question.clone(),
            _ => format!("{question} - {a}"),
        });
    }
    names
}

fn finish(
    kind: LayoutKind,
    header_rows: usize,
    names: Vec<String>,
    mut ids: Vec<Option<String>>,
) -> Layout {
    ids.resize(names.len(), None);
    for (id, name) in ids.iter_mut().zip(&names) {
        if id.as_deref() == Some(name.as_str()) {
            *id = None;
        }
    }
    Layout {
        kind,
        header_rows,
        names: unique(names),
        ids,
    }
}

/// Column names become JSON keys and role overrides, so they must be unique:
/// repeats get ` (2)`, ` (3)`…, and blanks are named by position.
pub fn unique(names: Vec<String>) -> Vec<String> {
    let mut seen = std::collections::HashSet::new();
    names
        .into_iter()
        .enumerate()
        .map(|(i, name)| {
            let base = if name.trim().is_empty() {
                format!("Column {}", i + 1)
            } else {
                name.trim().to_owned()
            };
            let mut candidate = base.clone();
            let mut n = 2;
            while !seen.insert(candidate.clone()) {
                candidate = format!("{base} ({n})");
                n += 1;
            }
            candidate
        })
        .collect()
}

/// Typeform puts the question's rich text in the header: tags go, common
/// entities are decoded, whitespace is collapsed.
pub fn strip_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut in_tag = false;
    for c in text.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => {
                in_tag = false;
                out.push(' ');
            }
            _ if !in_tag => out.push(c),
            _ => {}
        }
    }
    let decoded = out
        .replace("&nbsp;", " ")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&");
    decoded.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows(text: &[&[&str]]) -> Vec<Vec<String>> {
        text.iter()
            .map(|r| r.iter().map(|c| c.to_string()).collect())
            .collect()
    }

    #[test]
    fn qualtrics_three_rows() {
        let layout = detect(&rows(&[
            &["StartDate", "ResponseId", "Q1", "Q2"],
            &["Start Date", "Response ID", "How likely…?", "Why?"],
            &[
                r#"{"ImportId":"startDate"}"#,
                r#"{"ImportId":"_recordId"}"#,
                r#"{"ImportId":"QID1"}"#,
                r#"{"ImportId":"QID2_TEXT"}"#,
            ],
            &["2024-03-04 10:00:00", "R_1", "9", "ok"],
        ]));
        assert_eq!(layout.kind, LayoutKind::Qualtrics);
        assert_eq!(layout.header_rows, 3);
        assert_eq!(
            layout.names,
            ["Start Date", "Response ID", "How likely…?", "Why?"]
        );
        assert_eq!(layout.ids[2].as_deref(), Some("Q1"));
    }

    #[test]
    fn qualtrics_legacy_two_rows() {
        let layout = detect(&rows(&[
            &["ResponseID", "StartDate", "Q1"],
            &["ResponseID", "StartDate", "How likely…?"],
            &["R_1", "3/4/2024 10:00", "9"],
        ]));
        assert_eq!(
            (layout.kind, layout.header_rows),
            (LayoutKind::Qualtrics, 2)
        );
        assert_eq!(layout.names, ["ResponseID", "StartDate", "How likely…?"]);
    }

    #[test]
    fn surveymonkey_combines_question_and_choice() {
        let layout = detect(&rows(&[
            &[
                "Respondent ID",
                "Start Date",
                "How likely…?",
                "Which channels did you use?",
                "",
                "",
                "Comments",
            ],
            &[
                "",
                "",
                "Response",
                "Email",
                "Phone",
                "Other (please specify)",
                "Open-Ended Response",
            ],
        ]));
        assert_eq!(
            (layout.kind, layout.header_rows),
            (LayoutKind::Surveymonkey, 2)
        );
        assert_eq!(
            layout.names,
            [
                "Respondent ID",
                "Start Date",
                "How likely…?",
                "Which channels did you use? - Email",
                "Which channels did you use? - Phone",
                "Which channels did you use? - Other (please specify)",
                "Comments",
            ]
        );
    }

    #[test]
    fn single_row_tools() {
        let typeform = detect(&rows(&[&[
            "#",
            "<strong>How</strong> likely&nbsp;are you…?",
            "Submitted At",
        ]]));
        assert_eq!(typeform.kind, LayoutKind::Typeform);
        assert_eq!(typeform.names[1], "How likely are you…?");
        assert_eq!(
            detect(&rows(&[&["Timestamp", "Score"]])).kind,
            LayoutKind::GoogleForms
        );
        assert_eq!(
            detect(&rows(&[&["Survey ID", "LTR", "OSAT"]])).kind,
            LayoutKind::Medallia
        );
        assert_eq!(
            detect(&rows(&[&["Response ID", "Score", "Comment", "Permalink"]])).kind,
            LayoutKind::Delighted
        );
        let zendesk = detect(&rows(&[
            &["Ticket ID", "Satisfaction"],
            &["1", "Good"],
            &["2", "Offered"],
        ]));
        assert_eq!(zendesk.kind, LayoutKind::Zendesk);
        let generic = detect(&rows(&[&["a", "a", ""]]));
        assert_eq!(
            (generic.kind, generic.names),
            (
                LayoutKind::Generic,
                vec!["a".into(), "a (2)".into(), "Column 3".into()]
            )
        );
    }
}
