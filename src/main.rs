//! Entry point of the web build; all behaviour lives in the library.

#[cfg(target_arch = "wasm32")]
fn main() {
    waymark::ui::mount();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("Waymark is a web app: build it with `trunk build`, or see README.md.");
    std::process::exit(2);
}
