//! Editor benchmark (issue 3), not a timed test: on the 12 stages × 10
//! channels × 300 touchpoints × 200 handoffs map, how long one keystroke in a
//! touchpoint's name takes to show on its card (the edit, every reactive
//! update it causes, and the browser's layout), and how long saving takes.
//! Prints p50/p95/max; asserts only that the edits happened. Run with
//! `cargo test --release --target wasm32-unknown-unknown --test bench_editor`
//! and the browser-test environment of `.ci/test`.
#![cfg(target_arch = "wasm32")]

use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::*;
use waymark::storage::browser::Backend;
use waymark::storage::Repository;
use waymark::templates;
use web_sys::HtmlInputElement;

mod support;
use support::{mount_app, query, sleep, window};

wasm_bindgen_test_configure!(run_in_browser);

const KEYSTROKES: usize = 60;

/// `performance.now()`: sub-millisecond, monotonic (web-sys' `Performance`
/// binding is not among the crate's features).
struct Clock {
    performance: JsValue,
    now: js_sys::Function,
}

impl Clock {
    fn new() -> Self {
        let performance = js_sys::Reflect::get(&window(), &"performance".into()).unwrap();
        let now = js_sys::Reflect::get(&performance, &"now".into())
            .unwrap()
            .unchecked_into();
        Clock { performance, now }
    }

    fn ms(&self) -> f64 {
        self.now.call0(&self.performance).unwrap().as_f64().unwrap()
    }
}

/// Lets queued microtasks run: Leptos applies view updates in them.
async fn yield_microtask() {
    wasm_bindgen_futures::JsFuture::from(js_sys::Promise::resolve(&JsValue::NULL))
        .await
        .unwrap();
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i]
}

fn report(what: &str, mut samples: Vec<f64>) {
    samples.sort_by(f64::total_cmp);
    console_log!(
        "{what}: n={} p50={:.2} ms p95={:.2} ms max={:.2} ms",
        samples.len(),
        percentile(&samples, 0.5),
        percentile(&samples, 0.95),
        samples[samples.len() - 1]
    );
}

fn numbers(v: JsValue) -> Vec<f64> {
    js_sys::Array::from(&v)
        .iter()
        .filter_map(|x| x.as_f64())
        .collect()
}

#[wasm_bindgen_test]
async fn keystroke_and_save_on_the_large_map() {
    let map = templates::large_map(12, 10, 300, 200);
    let (backend, _) = Backend::open();
    let mut repo = Repository::new(backend, "tab-bench", js_sys::Date::now);
    repo.save(&map, None).unwrap();
    window()
        .location()
        .set_hash(&format!("#/map/{}", map.id))
        .unwrap();
    let (host, handle) = mount_app();
    while query(&host, ".tp-main").is_none() {
        sleep(20).await;
    }
    let cards = host
        .query_selector_all("[data-testid=touchpoint]")
        .unwrap()
        .length();
    console_log!("large map mounted: {cards} cards");

    query(&host, ".tp-main").unwrap().click();
    while query(&host, "#tp-name").is_none() {
        sleep(20).await;
    }
    let input: HtmlInputElement = query(&host, "#tp-name").unwrap().unchecked_into();
    let card_name = query(&host, ".tp-name").unwrap();
    let canvas = query(&host, ".canvas").unwrap();
    // Connector lines are redrawn once typing pauses: the longest task that
    // redraw causes is what the reader would feel.
    js_sys::eval(
        "window.__long = []; new PerformanceObserver((l) => window.__long.push(...l.getEntries().map((e) => e.duration))).observe({ type: 'longtask' });",
    )
    .unwrap();
    let clock = Clock::new();
    let mut typed = input.value();
    let (mut handler, mut update, mut render, mut save) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    let init = web_sys::EventInit::new();
    init.set_bubbles(true);
    for i in 0..KEYSTROKES {
        typed.push(char::from(b'a' + (i % 26) as u8));
        let start = clock.ms();
        input.set_value(&typed);
        input
            .dispatch_event(&web_sys::Event::new_with_event_init_dict("input", &init).unwrap())
            .unwrap();
        handler.push(clock.ms() - start);
        let mut spins = 0;
        while card_name.text_content().as_deref() != Some(typed.as_str()) {
            yield_microtask().await;
            spins += 1;
            assert!(spins < 100_000, "the card never showed the new name");
        }
        update.push(clock.ms() - start);
        // Reading layout makes the browser apply styles and lay out now.
        let _ = canvas.offset_height();
        render.push(clock.ms() - start);

        let start = clock.ms();
        window()
            .dispatch_event(&web_sys::Event::new("pagehide").unwrap())
            .unwrap();
        save.push(clock.ms() - start);
        // Let autosave timers and the browser settle between samples.
        sleep(5).await;
    }
    let stored = window()
        .local_storage()
        .unwrap()
        .unwrap()
        .get_item(&waymark::storage::repository::map_key(&map.id))
        .unwrap()
        .unwrap();
    assert!(stored.contains(&typed), "the last keystroke was not saved");
    sleep(600).await;
    let lines = host
        .query_selector_all("[data-testid=connectors] [data-handoff]")
        .unwrap()
        .length();
    assert_eq!(lines as usize, map.handoffs.len(), "every handoff is drawn");
    let long: Vec<f64> = numbers(js_sys::eval("window.__long").unwrap());
    console_log!(
        "connectors: {lines} lines redrawn after typing paused; longest task over 50 ms since typing began: {}",
        long.iter().copied().fold(None, |m: Option<f64>, x| Some(m.map_or(x, |m| m.max(x))))
            .map_or("none".to_owned(), |ms| format!("{ms:.0} ms"))
    );
    report("keystroke → edit applied and recorded for undo", handler);
    report("keystroke → card updated in the DOM", update);
    report("keystroke → card updated and laid out", render);
    report(
        "save (serialize, conflict check, localStorage, library index)",
        save,
    );
    drop(handle);
    host.remove();
}
