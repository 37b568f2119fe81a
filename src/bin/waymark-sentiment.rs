//! The comment scorer as a WebAssembly module of its own.
//!
//! VADER's lexicons are about 600 KB of text; in the app's module they
//! would weigh on every first visit, for a feature used after an import.
//! trunk builds this binary as a second module (`data-type="worker"`), which
//! the page fetches only when it first has comments to score, and runs in a
//! worker (`src/ui/insights/scoring.rs` has the page's half). The worker
//! instantiates it without wasm-bindgen's glue and talks to it through the
//! plain numeric exports below: the page copies a batch of comments (UTF-8,
//! back to back, with their end offsets) into the buffers they point to,
//! and reads one compound per comment back (`NaN` where there is none).

#[cfg(target_arch = "wasm32")]
mod exports {
    use std::cell::RefCell;

    use wasm_bindgen::prelude::*;
    use waymark_core::sentiment::{is_comment, stored, Scorer};

    #[derive(Default)]
    struct Batch {
        text: Vec<u8>,
        ends: Vec<u32>,
        compounds: Vec<f32>,
        scorer: Option<Scorer>,
    }

    thread_local! {
        static BATCH: RefCell<Batch> = RefCell::new(Batch::default());
    }

    /// Makes room for `bytes` of text and `count` comments; returns where
    /// the text goes.
    #[wasm_bindgen]
    pub fn waymark_sentiment_input(bytes: usize, count: usize) -> usize {
        BATCH.with_borrow_mut(|b| {
            b.text.clear();
            b.text.resize(bytes, 0);
            b.ends.clear();
            b.ends.resize(count, 0);
            b.text.as_mut_ptr() as usize
        })
    }

    /// Where the end offsets go (one `u32` per comment, into the text).
    #[wasm_bindgen]
    pub fn waymark_sentiment_ends() -> usize {
        BATCH.with_borrow_mut(|b| b.ends.as_mut_ptr() as usize)
    }

    /// Scores the batch; returns where its compounds are (one `f32` per
    /// comment). Offsets out of order or text that is not UTF-8 give
    /// `NaN`, never a trap.
    #[wasm_bindgen]
    pub fn waymark_sentiment_score() -> usize {
        BATCH.with_borrow_mut(|b| {
            let Batch {
                text,
                ends,
                compounds,
                scorer,
            } = b;
            let scorer = scorer.get_or_insert_with(Scorer::new);
            compounds.clear();
            let mut start = 0usize;
            for &end in ends.iter() {
                let end = end as usize;
                let comment = text
                    .get(start..end)
                    .and_then(|bytes| std::str::from_utf8(bytes).ok())
                    .filter(|t| is_comment(t));
                compounds.push(comment.map_or(f32::NAN, |t| stored(scorer.score(t).compound)));
                start = start.max(end);
            }
            compounds.as_ptr() as usize
        })
    }
}

/// Nothing runs at start: the page calls the exports.
#[cfg(target_arch = "wasm32")]
fn main() {}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("waymark-sentiment is the web app's comment scorer: `trunk build` builds it.");
    std::process::exit(2);
}
