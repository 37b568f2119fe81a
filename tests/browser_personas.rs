//! Browser tests of workspace personas: their storage in the real
//! localStorage, and the personas page and map page mounted in headless
//! Chromium. All tests share one page and one localStorage, so each clears
//! Waymark's keys and unmounts what it mounted.
#![cfg(target_arch = "wasm32")]

use leptos::prelude::*;
use wasm_bindgen_test::*;
use waymark::model::{ChannelKind, Id, JourneyMap};
use waymark::personas::{PersonaLibrary, WorkspacePersona};
use waymark::storage::browser::Backend;
use waymark::storage::personas::{personas_key, PersonasError};
use waymark::storage::Repository;
use waymark::templates;
use web_sys::HtmlElement;

mod support;
use support::{all, button, clear_waymark, mount_app, one, storage, type_into, until};

wasm_bindgen_test_configure!(run_in_browser);

fn text(e: &HtmlElement) -> String {
    e.text_content().unwrap_or_default()
}

/// The input or textarea inside the `<label class="field">` whose caption
/// starts with `caption`: labelled by wrapping, as a screen reader reads it.
fn field(root: &HtmlElement, caption: &str) -> HtmlElement {
    all(root, "label.field")
        .into_iter()
        .find(|l| text(&one(l, "span")).starts_with(caption))
        .map(|l| one(&l, "input, textarea, select"))
        .unwrap_or_else(|| panic!("no field {caption:?}"))
}

fn repo() -> Repository<Backend> {
    let (backend, _) = Backend::open();
    Repository::new(backend, "tab-setup", js_sys::Date::now)
}

fn blank(id: &str, name: &str) -> JourneyMap {
    let mut m = JourneyMap::new(Id::new(id), name, 1_000.0);
    let s = m.add_stage("Order");
    let c = m.add_channel("Mobile app", ChannelKind::Digital);
    m.add_touchpoint(&s, &c, "Checkout").unwrap();
    m
}

fn maya() -> WorkspacePersona {
    WorkspacePersona {
        id: Id::new("wp-maya"),
        name: "Maya".into(),
        role: "Busy parent".into(),
        preferred_channels: vec!["Mobile app".into()],
        segment_key: "parents".into(),
        ..WorkspacePersona::default()
    }
}

/// Stores `maps` and `library`, mounts the app at `hash` and waits for
/// `ready`.
async fn mount(
    maps: &[JourneyMap],
    library: &PersonaLibrary,
    hash: &str,
    ready: &str,
) -> (HtmlElement, leptos::mount::UnmountHandle<impl Mountable>) {
    clear_waymark();
    let mut r = repo();
    for m in maps {
        r.save(m, None).unwrap();
    }
    r.save_personas(library, None).unwrap();
    window().location().set_hash(hash).unwrap();
    let (host, handle) = mount_app();
    until(ready, || host.query_selector(ready).unwrap().is_some()).await;
    (host, handle)
}

fn stored(id: &str) -> JourneyMap {
    repo().load(&Id::new(id)).unwrap().map
}

#[wasm_bindgen_test]
fn personas_round_trip_through_local_storage_and_corrupt_ones_are_set_aside() {
    clear_waymark();
    let mut r = repo();
    let (loaded, id) = r
        .update_personas(|lib| lib.create(Id::new("wp-1"), "Sam"))
        .unwrap();
    assert_eq!(id, Id::new("wp-1"));
    let raw = storage().get_item(&personas_key()).unwrap().unwrap();
    assert!(raw.contains("\"schema\":1"), "{raw}");
    assert_eq!(repo().load_personas().unwrap(), loaded);

    storage()
        .set_item(&personas_key(), "{\"schema\":1,\"data\":[oops")
        .unwrap();
    let mut r = repo();
    let Err(PersonasError::Quarantined(q)) = r.load_personas() else {
        panic!("expected quarantine");
    };
    assert_eq!(q.raw, "{\"schema\":1,\"data\":[oops");
    assert_eq!(storage().get_item(&personas_key()).unwrap(), None);
    assert_eq!(r.quarantined().unwrap()[0].raw, q.raw);
    clear_waymark();
}

#[wasm_bindgen_test]
async fn editing_on_the_personas_page_updates_every_attached_map() {
    let w = maya();
    let mut a = blank("m-a", "Online order");
    let mut b = blank("m-b", "Store return");
    let pa = a.attach_workspace_persona(&w);
    let t = a.touchpoints[0].id.clone();
    a.set_persona_emotion(&t, &pa, Some(1)).unwrap();
    b.attach_workspace_persona(&w);
    let library = PersonaLibrary {
        personas: vec![w.clone()],
    };
    let (host, handle) = mount(
        &[a, b],
        &library,
        "#/personas/wp-maya",
        "[data-testid=persona-editor]",
    )
    .await;
    until("both maps listed", || {
        all(&host, "[data-testid=persona-use]").len() == 2
    })
    .await;
    assert!(text(&all(&host, "[data-testid=persona-use]")[0]).contains("1 emotion score"));

    type_into(&field(&host, "Role"), "Nurse on night shifts");
    type_into(&field(&host, "Goals"), "Sleep\n\nPay fast ");
    until("the edit saved to both maps", || {
        ["m-a", "m-b"].iter().all(|id| {
            stored(id)
                .linked_persona(&w.id)
                .is_some_and(|p| p.role == "Nurse on night shifts")
        })
    })
    .await;
    let a = stored("m-a");
    let copy = a.linked_persona(&w.id).unwrap();
    assert_eq!(copy.goals, ["Sleep", "Pay fast"]);
    assert_eq!(
        a.touchpoints[0].persona_emotions[&copy.id], 1,
        "emotions stay"
    );
    assert_eq!(
        repo().load_personas().unwrap().library.personas[0].role,
        "Nurse on night shifts"
    );
    assert_eq!(
        text(&one(&host, "[data-testid=personas-save-state]")),
        "All changes saved in this browser"
    );

    // Detaching asks first, since it removes an emotion score.
    let row = all(&host, "[data-testid=persona-use]")
        .into_iter()
        .find(|r| text(r).contains("Online order"))
        .unwrap();
    button(&row, "Detach from Online order").click();
    until("the confirmation", || {
        all(&row, "button").iter().any(|b| text(b) == "Detach")
    })
    .await;
    assert!(text(&row).contains("removes 1 emotion score"));
    button(&row, "Detach").click();
    until("the copy gone from the map", || {
        stored("m-a").linked_persona(&w.id).is_none()
    })
    .await;
    assert!(stored("m-a").touchpoints[0].persona_emotions.is_empty());
    assert!(stored("m-b").linked_persona(&w.id).is_some());
    until("one map listed", || {
        all(&host, "[data-testid=persona-use]").len() == 1
    })
    .await;
    drop(handle);
    host.remove();
    clear_waymark();
}

#[wasm_bindgen_test]
async fn template_personas_are_listed_and_adopted_without_losing_their_curves() {
    let retail = (templates::template("retail").unwrap().build)(Id::new("m-r"), 1_000.0);
    let first = retail.personas[0].clone();
    let (host, handle) = mount(
        std::slice::from_ref(&retail),
        &PersonaLibrary::default(),
        "#/personas",
        "[data-testid=map-only-persona]",
    )
    .await;
    let rows = all(&host, "[data-testid=map-only-persona]");
    assert_eq!(rows.len(), retail.personas.len());
    let row = rows
        .into_iter()
        .find(|r| text(r).contains(&first.name))
        .unwrap();
    button(&row, "Add to workspace").click();
    until("the adopted persona open", || {
        host.query_selector("[data-testid=persona-editor]")
            .unwrap()
            .is_some()
    })
    .await;
    let lib = repo().load_personas().unwrap().library;
    assert_eq!(lib.personas.len(), 1);
    assert_eq!(lib.personas[0].quote, first.quote);
    let map = stored("m-r");
    let copy = map.persona(&first.id).unwrap();
    assert_eq!(copy.source, Some(lib.personas[0].id.clone()));
    assert_eq!(
        waymark::model::Persona {
            source: None,
            ..copy.clone()
        },
        first,
        "the map's copy is unchanged but for its link"
    );
    assert_eq!(map.touchpoints, retail.touchpoints, "emotions stay");
    assert_eq!(
        all(&host, "[data-testid=map-only-persona]").len(),
        retail.personas.len() - 1
    );
    drop(handle);
    host.remove();
    clear_waymark();
}

#[wasm_bindgen_test]
async fn a_map_opens_with_its_personas_caught_up_with_the_workspace() {
    let mut m = blank("m-late", "Late map");
    m.attach_workspace_persona(&maya());
    let mut edited = maya();
    edited.role = "Edited while the save to this map failed".into();
    let library = PersonaLibrary {
        personas: vec![edited],
    };
    let (host, handle) = mount(&[m], &library, "#/map/m-late", "[data-testid=persona]").await;
    let card = one(&host, "[data-testid=persona]");
    assert!(
        text(&card).contains("Edited while the save"),
        "{}",
        text(&card)
    );
    assert!(text(&card).contains("Mobile app"));
    until("the caught-up copy saved", || {
        stored("m-late")
            .linked_persona(&Id::new("wp-maya"))
            .is_some_and(|p| p.role.starts_with("Edited"))
    })
    .await;
    let edit = all(&card, "a")
        .into_iter()
        .find(|a| text(a) == "Edit Maya on the personas page")
        .expect("a link to the persona's editor");
    assert_eq!(
        edit.get_attribute("href").as_deref(),
        Some("#/personas/wp-maya")
    );
    drop(handle);
    host.remove();
    clear_waymark();
}
