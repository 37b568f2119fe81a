//! Entry point of the whole web app; all behaviour lives in the library.
//! A first visit loads the smaller shell (`src/bin/waymark-shell.rs`),
//! which fetches this module when a page other than the library opens.

#[cfg(target_arch = "wasm32")]
fn main() {
    waymark::ui::mount();
}

/// The import worker's entry points (`src/ui/import/worker.rs`). Exported
/// here, not in the library crate: an export is always kept, so there it
/// would carry the whole import into the shell's first load as well.
#[cfg(target_arch = "wasm32")]
mod import_worker {
    use wasm_bindgen::prelude::*;
    use waymark::ui::import::worker;

    macro_rules! export {
        ($($name:ident($($arg:ident: $ty:ty),*) $(-> $ret:ty)?;)*) => {$(
            #[wasm_bindgen]
            pub fn $name($($arg: $ty),*) $(-> $ret)? {
                worker::$name($($arg),*)
            }
        )*};
    }

    export! {
        waymark_tail_buffer(len: usize) -> usize;
        waymark_tail_start(total: usize) -> bool;
        waymark_tail_push();
        waymark_tail_step() -> u32;
        waymark_rehearse();
        waymark_tail_batch() -> usize;
        waymark_tail_batch_len() -> usize;
    }
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("Waymark is a web app: build it with `trunk build`, or see README.md.");
    std::process::exit(2);
}
