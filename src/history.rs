//! Undo and redo for the editor, by snapshots: every edit of a map goes
//! through one of the model's operations, and keeping whole states means undo
//! can never drift from what the operations did, however they change later.
//!
//! Typing produces one edit per keystroke; edits that share a coalescing key
//! (say `"t3.name"`) and follow each other within a time window become one
//! step, so Ctrl+Z undoes a word or a sentence rather than a letter.

use std::collections::VecDeque;

/// How many steps are kept when the caller does not say; old steps are
/// dropped first, which bounds memory on long sessions.
pub const DEFAULT_LIMIT: usize = 100;

/// Typing pauses shorter than this continue the same undo step.
pub const DEFAULT_COALESCE_MS: f64 = 1_000.0;

#[derive(Clone, Debug)]
pub struct History<T> {
    undo: VecDeque<T>,
    redo: Vec<T>,
    limit: usize,
    window_ms: f64,
    /// The key and time of the last recorded edit while it may still be
    /// extended by the next one.
    open: Option<(String, f64)>,
}

impl<T: Clone + PartialEq> Default for History<T> {
    fn default() -> Self {
        History::new(DEFAULT_LIMIT, DEFAULT_COALESCE_MS)
    }
}

impl<T: Clone + PartialEq> History<T> {
    /// `limit` is the number of undo steps kept (at least one).
    pub fn new(limit: usize, window_ms: f64) -> Self {
        History {
            undo: VecDeque::new(),
            redo: Vec::new(),
            limit: limit.max(1),
            window_ms,
            open: None,
        }
    }

    /// Records the state as it was before an edit. With a `key`, an edit that
    /// continues the previous one (same key, within the window of the last
    /// keystroke) joins its step instead of starting a new one.
    pub fn record(&mut self, before: &T, key: Option<&str>, now_ms: f64) {
        self.redo.clear();
        let continues = match (&self.open, key) {
            (Some((open, at)), Some(key)) => open == key && now_ms - at <= self.window_ms,
            _ => false,
        };
        self.open = key.map(|k| (k.to_owned(), now_ms));
        if continues {
            return;
        }
        self.undo.push_back(before.clone());
        if self.undo.len() > self.limit {
            self.undo.pop_front();
        }
    }

    /// Applies `edit` to `state` and records it if it changed anything. An
    /// edit that fails is rolled back and leaves no step, so the caller gets
    /// an all-or-nothing edit with undo in one call.
    pub fn edit<R, E>(
        &mut self,
        state: &mut T,
        key: Option<&str>,
        now_ms: f64,
        edit: impl FnOnce(&mut T) -> Result<R, E>,
    ) -> Result<R, E> {
        let before = state.clone();
        match edit(state) {
            Ok(r) => {
                if *state != before {
                    self.record(&before, key, now_ms);
                }
                Ok(r)
            }
            Err(e) => {
                *state = before;
                Err(e)
            }
        }
    }

    /// Ends the current typing step, e.g. when a text box loses focus, so
    /// the next keystroke starts a new one even within the window.
    pub fn seal(&mut self) {
        self.open = None;
    }

    pub fn can_undo(&self) -> bool {
        !self.undo.is_empty()
    }

    pub fn can_redo(&self) -> bool {
        !self.redo.is_empty()
    }

    /// The state before the last step, given the current one (kept for
    /// redo); `None` when there is nothing to undo.
    pub fn undo(&mut self, current: &T) -> Option<T> {
        let previous = self.undo.pop_back()?;
        self.redo.push(current.clone());
        self.open = None;
        Some(previous)
    }

    pub fn redo(&mut self, current: &T) -> Option<T> {
        let next = self.redo.pop()?;
        self.undo.push_back(current.clone());
        self.open = None;
        Some(next)
    }

    /// Forgets everything, e.g. when another map is opened or another tab's
    /// save replaces this one.
    pub fn clear(&mut self) {
        self.undo.clear();
        self.redo.clear();
        self.open = None;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn type_text(h: &mut History<String>, s: &mut String, text: &str, key: &str, t0: f64) {
        for (i, ch) in text.chars().enumerate() {
            h.edit(s, Some(key), t0 + 100.0 * i as f64, |s| {
                s.push(ch);
                Ok::<_, ()>(())
            })
            .unwrap();
        }
    }

    #[test]
    fn typing_in_one_field_is_one_step() {
        let mut h = History::default();
        let mut s = String::from("Ad");
        type_text(&mut h, &mut s, " on Instagram", "name", 0.0);
        assert_eq!(s, "Ad on Instagram");
        s = h.undo(&s).unwrap();
        assert_eq!(s, "Ad");
        assert!(!h.can_undo());
        s = h.redo(&s).unwrap();
        assert_eq!(s, "Ad on Instagram");
        assert!(!h.can_redo());
    }

    #[test]
    fn a_pause_another_field_or_sealing_starts_a_new_step() {
        let mut h = History::default();
        let mut s = String::new();
        type_text(&mut h, &mut s, "ab", "name", 0.0);
        type_text(&mut h, &mut s, "cd", "name", 5_000.0);
        type_text(&mut h, &mut s, "ef", "owner", 5_200.0);
        h.seal();
        type_text(&mut h, &mut s, "gh", "owner", 5_400.0);
        let mut states = vec![s.clone()];
        while let Some(prev) = h.undo(&s) {
            s = prev;
            states.push(s.clone());
        }
        assert_eq!(states, ["abcdefgh", "abcdef", "abcd", "ab", ""]);
    }

    #[test]
    fn unkeyed_edits_never_coalesce() {
        let mut h = History::default();
        h.record(&1, None, 0.0);
        h.record(&2, None, 0.0);
        assert_eq!(h.undo(&3), Some(2));
        assert_eq!(h.undo(&2), Some(1));
    }

    #[test]
    fn typing_after_undo_does_not_join_the_undone_step() {
        let mut h = History::default();
        let mut s = String::new();
        type_text(&mut h, &mut s, "a", "k", 0.0);
        type_text(&mut h, &mut s, "b", "x", 10.0);
        s = h.undo(&s).unwrap();
        type_text(&mut h, &mut s, "c", "k", 20.0);
        assert_eq!(s, "ac");
        assert_eq!(h.undo(&s).as_deref(), Some("a"));
    }

    #[test]
    fn a_new_edit_clears_redo() {
        let mut h = History::default();
        h.record(&1, None, 0.0);
        assert_eq!(h.undo(&2), Some(1));
        assert!(h.can_redo());
        h.record(&1, None, 1.0);
        assert!(!h.can_redo());
        assert_eq!(h.redo(&5), None);
    }

    #[test]
    fn history_is_bounded_dropping_the_oldest() {
        let mut h = History::new(3, 0.0);
        for i in 0..10 {
            h.record(&i, None, 0.0);
        }
        let mut undone = vec![];
        let mut cur = 10;
        while let Some(prev) = h.undo(&cur) {
            undone.push(prev);
            cur = prev;
        }
        assert_eq!(undone, [9, 8, 7]);
    }

    #[test]
    fn failed_and_empty_edits_leave_no_step() {
        let mut h = History::default();
        let mut v = vec![1];
        let r: Result<(), &str> = h.edit(&mut v, None, 0.0, |v| {
            v.push(2);
            Err("refused")
        });
        assert!(r.is_err());
        assert_eq!(v, [1]);
        h.edit(&mut v, None, 0.0, |_| Ok::<_, ()>(())).unwrap();
        assert!(!h.can_undo());
        h.clear();
        assert!(!h.can_redo());
    }
}
