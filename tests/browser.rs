//! Browser tests: real localStorage, real DOM, real `storage` events, in
//! headless Chromium. All tests share one page and one localStorage, so each
//! starts by clearing Waymark's keys and leaves no filler behind.
#![cfg(target_arch = "wasm32")]

use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use waymark::model::{Id, JourneyMap};
use waymark::storage::browser::Backend;
use waymark::storage::envelope::Envelope;
use waymark::storage::repository::map_key;
use waymark::storage::{KeyValue, LoadError, Repository, SaveError, StoreError};
use web_sys::{HtmlElement, HtmlInputElement};

mod support;
use support::{clear_waymark, count, mount_app, query, retail, sleep, storage, type_into, until};

wasm_bindgen_test_configure!(run_in_browser);

fn repo(tab: &str) -> Repository<Backend> {
    let (backend, err) = Backend::open();
    assert_eq!(
        err, None,
        "localStorage should be available in the test browser"
    );
    Repository::new(backend, tab, js_sys::Date::now)
}

fn button(root: &HtmlElement, label: &str) -> HtmlElement {
    let buttons = root.query_selector_all("button").unwrap();
    (0..buttons.length())
        .filter_map(|i| buttons.item(i))
        .map(|n| n.unchecked_into::<HtmlElement>())
        .find(|b| b.text_content().unwrap_or_default().trim() == label)
        .unwrap_or_else(|| panic!("no button labelled {label:?}"))
}

#[wasm_bindgen_test]
fn saved_map_reads_back_in_a_new_session() {
    clear_waymark();
    let map = retail("m-reload");
    let rev = repo("tab-1").save(&map, None).unwrap();

    let mut later = repo("tab-2");
    let loaded = later.load(&map.id).unwrap();
    assert_eq!(loaded.map, map);
    assert_eq!(loaded.rev, rev);
    let listed = later.list().unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].touchpoints, map.touchpoints.len());
    clear_waymark();
}

#[wasm_bindgen_test]
fn quota_exceeded_is_reported_and_keeps_the_last_good_copy() {
    clear_waymark();
    let mut r = repo("tab-q");
    let map = retail("m-quota");
    let rev = r.save(&map, None).unwrap();

    // Fill the origin's quota, coarse then fine, so that only a few
    // kilobytes remain.
    let s = storage();
    let mut n = 0;
    for size in [1 << 20, 1 << 16, 1 << 12] {
        let chunk = "x".repeat(size);
        while s.set_item(&format!("filler.{n}"), &chunk).is_ok() {
            n += 1;
            assert!(n < 10_000, "localStorage never filled up");
        }
    }

    let mut bigger = map.clone();
    bigger.goal.objective = "y".repeat(1 << 17);
    let result = r.save(&bigger, Some(rev));
    for i in 0..n {
        s.remove_item(&format!("filler.{i}")).unwrap();
    }
    assert_eq!(result, Err(SaveError::Store(StoreError::QuotaExceeded)));
    assert_eq!(r.load(&map.id).unwrap().map, map);
    clear_waymark();
}

#[wasm_bindgen_test]
fn unreadable_value_is_quarantined_and_kept_verbatim() {
    clear_waymark();
    let raw = "{\"schema\":1,\"rev\":3,\"data\":{\"id\":\"m-bad\",\"name\":";
    storage().set_item("waymark.v1.map.m-bad", raw).unwrap();
    let mut r = repo("tab-c");
    let Err(LoadError::Quarantined(q)) = r.load(&Id::new("m-bad")) else {
        panic!("expected the value to be quarantined");
    };
    assert_eq!(storage().get_item("waymark.v1.map.m-bad").unwrap(), None);
    let stored = storage()
        .get_item(&q.key)
        .unwrap()
        .expect("quarantine key written");
    assert!(stored.contains("m-bad"));
    assert_eq!(r.quarantined().unwrap()[0].raw, raw);
    clear_waymark();
}

#[wasm_bindgen_test]
async fn app_creates_a_map_that_survives_a_remount() {
    clear_waymark();
    window().location().set_hash("#/").unwrap();
    let (host, handle) = mount_app();
    until("the library view", || {
        query(&host, "#new-map-name").is_some()
    })
    .await;
    assert_eq!(count(&host, "[data-testid=no-maps]"), 1);

    type_into(&query(&host, "#new-map-name").unwrap(), "Click and collect");
    button(&host, "Create map").click();
    until("the new map to open", || {
        window().location().hash().unwrap().starts_with("#/map/m-")
    })
    .await;
    let id = window()
        .location()
        .hash()
        .unwrap()
        .trim_start_matches("#/map/")
        .to_owned();
    assert!(storage()
        .get_item(&map_key(&Id::new(&id)))
        .unwrap()
        .is_some());
    drop(handle);
    host.remove();

    window().location().set_hash("#/").unwrap();
    let (host, handle) = mount_app();
    until("the map in the list", || {
        count(&host, "[data-testid=map-row]") == 1
    })
    .await;
    assert!(host.text_content().unwrap().contains("Click and collect"));
    drop(handle);
    host.remove();
    clear_waymark();
}

/// Writes `map` to localStorage from a same-origin iframe: to this page that
/// is another tab, so it receives the `storage` event.
fn save_from_other_tab(map: &JourneyMap, rev: u64) {
    let frame: web_sys::HtmlIFrameElement = document()
        .create_element("iframe")
        .unwrap()
        .unchecked_into();
    document().body().unwrap().append_child(&frame).unwrap();
    let other = frame
        .content_window()
        .unwrap()
        .local_storage()
        .unwrap()
        .unwrap();
    let env = Envelope {
        schema: waymark::model::SCHEMA_VERSION,
        rev,
        saved_ms: 0.0,
        writer: "tab-other".into(),
        data: map,
    };
    other
        .set_item(&map_key(&map.id), &serde_json::to_string(&env).unwrap())
        .unwrap();
    frame.remove();
}

fn map_name_input(host: &HtmlElement) -> HtmlInputElement {
    query(host, "[data-testid=map-name]")
        .unwrap()
        .unchecked_into()
}

#[wasm_bindgen_test]
async fn edits_in_another_tab_appear_and_never_silently_overwrite() {
    clear_waymark();
    let mut map = retail("m-sync");
    let mut r = repo("tab-setup");
    let rev = r.save(&map, None).unwrap();
    window().location().set_hash("#/map/m-sync").unwrap();
    let (host, handle) = mount_app();
    until("the map view", || {
        query(&host, "[data-testid=map-name]").is_some()
    })
    .await;

    // An edit elsewhere, while this tab has nothing unsaved: it appears.
    map.name = "Renamed in the other tab".into();
    save_from_other_tab(&map, rev + 1);
    until("the other tab's name", || {
        map_name_input(&host).value() == "Renamed in the other tab"
    })
    .await;

    // Now this tab types, and the other tab saves before the autosave runs:
    // the user is asked, nothing is overwritten.
    type_into(&query(&host, "[data-testid=map-name]").unwrap(), "Mine");
    map.name = "Theirs".into();
    save_from_other_tab(&map, rev + 2);
    until("the conflict banner", || {
        query(&host, "[data-testid=conflict]").is_some()
    })
    .await;
    sleep(600).await;
    assert_eq!(r.load(&map.id).unwrap().map.name, "Theirs");

    button(&host, "Keep mine").click();
    until("my version saved", || {
        r.load(&map.id)
            .map(|l| l.map.name == "Mine")
            .unwrap_or(false)
    })
    .await;
    assert_eq!(r.load(&map.id).unwrap().rev, rev + 3);
    until("the banner to go", || {
        query(&host, "[data-testid=conflict]").is_none()
    })
    .await;

    drop(handle);
    host.remove();
    clear_waymark();
}

#[wasm_bindgen_test]
async fn autosave_debounces_typing_into_one_save() {
    clear_waymark();
    let map = retail("m-auto");
    let mut r = repo("tab-setup");
    let rev = r.save(&map, None).unwrap();
    window().location().set_hash("#/map/m-auto").unwrap();
    let (host, handle) = mount_app();
    until("the map view", || {
        query(&host, "[data-testid=map-name]").is_some()
    })
    .await;

    let input = query(&host, "[data-testid=map-name]").unwrap();
    for text in ["R", "Re", "Ret", "Reta", "Retail v2"] {
        type_into(&input, text);
        sleep(50).await;
    }
    until("the save", || {
        r.load(&map.id)
            .map(|l| l.map.name == "Retail v2")
            .unwrap_or(false)
    })
    .await;
    assert_eq!(
        r.load(&map.id).unwrap().rev,
        rev + 1,
        "typing saved once, not per keystroke"
    );
    drop(handle);
    host.remove();
    clear_waymark();
}

#[wasm_bindgen_test]
fn backend_keys_lists_only_waymark_keys() {
    clear_waymark();
    storage().set_item("someone.elses", "x").unwrap();
    let (mut backend, _) = Backend::open();
    backend.set("waymark.v1.map.a", "1").unwrap();
    assert_eq!(backend.keys().unwrap(), ["waymark.v1.map.a"]);
    storage().remove_item("someone.elses").unwrap();
    clear_waymark();
}

#[wasm_bindgen_test]
fn times_read_in_the_local_zone_with_english_months() {
    use waymark::ui::local_time::local_time;
    let at =
        |y, m, d, h, min| js_sys::Date::new_with_year_month_day_hr_min(y, m, d, h, min).get_time();
    assert_eq!(local_time(at(2026, 11, 7, 20, 5)), "7 Dec 2026, 20:05");
    assert_eq!(local_time(at(2027, 0, 31, 0, 0)), "31 Jan 2027, 00:00");
}
