//! What a first visit loads: the library page, which fetches the rest of
//! the app when another page opens (see `src/ui/shell.rs`).

#[cfg(target_arch = "wasm32")]
fn main() {
    waymark::ui::shell::mount();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("waymark-shell is the web app's first load: `trunk build` builds it.");
    std::process::exit(2);
}
