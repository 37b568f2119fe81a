//! Browser tests of the journey map editor: the real app mounted in headless
//! Chromium on a stored map. All tests share one page and one localStorage,
//! so each clears Waymark's keys and unmounts what it mounted.
#![cfg(target_arch = "wasm32")]

use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use waymark::model::{Id, JourneyMap};
use waymark::storage::browser::Backend;
use waymark::storage::repository::map_key;
use waymark::storage::Repository;
use web_sys::{Element, HtmlElement, HtmlInputElement};

mod support;
use support::{
    all, button, by_label, clear_waymark, drag, key, mount_app, one, press, query, retail, sleep,
    type_into, until,
};

wasm_bindgen_test_configure!(run_in_browser);

fn store(map: &JourneyMap) {
    let (backend, _) = Backend::open();
    let mut repo = Repository::new(backend, "tab-setup", js_sys::Date::now);
    repo.save(map, None).unwrap();
}

/// Mounts the app on `map`, stored first, and waits for its canvas.
async fn open(map: &JourneyMap) -> (HtmlElement, leptos::mount::UnmountHandle<impl Mountable>) {
    open_among(&[], map).await
}

/// Like [`open`], with `others` stored beside `map`.
async fn open_among(
    others: &[&JourneyMap],
    map: &JourneyMap,
) -> (HtmlElement, leptos::mount::UnmountHandle<impl Mountable>) {
    clear_waymark();
    for other in others {
        store(other);
    }
    store(map);
    window()
        .location()
        .set_hash(&format!("#/map/{}", map.id))
        .unwrap();
    let (host, handle) = mount_app();
    until("the canvas", || {
        !all(&host, "[data-testid=touchpoint]").is_empty()
    })
    .await;
    (host, handle)
}

fn card(host: &HtmlElement, name: &str) -> HtmlElement {
    all(host, "[data-testid=touchpoint]")
        .into_iter()
        .find(|c| {
            c.query_selector(".tp-name")
                .unwrap()
                .unwrap()
                .text_content()
                .as_deref()
                == Some(name)
        })
        .unwrap_or_else(|| panic!("no card named {name:?}"))
}

fn cell_of(card: &HtmlElement) -> String {
    card.closest("[role=cell]")
        .unwrap()
        .unwrap()
        .get_attribute("aria-label")
        .unwrap()
}

#[wasm_bindgen_test]
async fn editing_a_name_updates_its_card_and_leaves_the_rest_of_the_canvas_alone() {
    let map = retail("m-fine");
    let (first, other) = (
        map.journey_order()[0].name.clone(),
        map.journey_order()[3].name.clone(),
    );
    let (host, handle) = open(&map).await;
    let other_card: Element = card(&host, &other).into();
    let stage_head: Element = one(&host, "[data-testid=stage-head]").into();

    one(&card(&host, &first), ".tp-main").click();
    until("the detail panel", || {
        host.query_selector("#tp-name").unwrap().is_some()
    })
    .await;
    type_into(&one(&host, "#tp-name"), "Reel with the jacket");
    until("the card to show the new name", || {
        all(&host, ".tp-name")
            .iter()
            .any(|n| n.text_content().as_deref() == Some("Reel with the jacket"))
    })
    .await;
    assert!(
        card(&host, &other).is_same_node(Some(&other_card)),
        "another card was rebuilt"
    );
    assert!(one(&host, "[data-testid=stage-head]").is_same_node(Some(&stage_head)));
    assert_eq!(
        one(&host, "#detail-title").text_content().as_deref(),
        Some("Reel with the jacket")
    );
    drop(handle);
    host.remove();
    clear_waymark();
}

#[wasm_bindgen_test]
async fn undo_restores_a_deleted_stage_with_its_touchpoints_and_redo_deletes_it_again() {
    let map = retail("m-undo");
    let stage = map.stages[1].name.clone();
    let total = map.touchpoints.len();
    let in_stage = map
        .touchpoints
        .iter()
        .filter(|t| t.stage == map.stages[1].id)
        .count();
    assert!(in_stage > 0);
    let (host, handle) = open(&map).await;
    let count = || all(&host, "[data-testid=touchpoint]").len();

    by_label(&host, &format!("Delete stage {stage}")).click();
    until("the stage to go", || count() == total - in_stage).await;
    press(&host, "z", "ctrlKey");
    until("undo to bring it back", || count() == total).await;
    assert!(all(&host, "[data-testid=stage-head]")
        .iter()
        .any(|h| h.get_attribute("aria-label").as_deref() == Some(stage.as_str())));
    button(&host, "↷ Redo").click();
    until("redo to delete it again", || count() == total - in_stage).await;
    button(&host, "↶ Undo").click();
    until("undo again", || count() == total).await;
    drop(handle);
    host.remove();
    clear_waymark();
}

#[wasm_bindgen_test]
async fn typing_is_one_undo_step_and_is_saved() {
    let map = retail("m-typing");
    let (host, handle) = open(&map).await;
    let name: HtmlInputElement = one(&host, "[data-testid=map-name]").unchecked_into();
    let original = map.name.clone();
    for text in ["R", "Re", "Ret", "Reta"] {
        type_into(&name.clone().unchecked_into(), text);
    }
    let stored = || {
        window()
            .local_storage()
            .unwrap()
            .unwrap()
            .get_item(&map_key(&map.id))
            .unwrap()
            .unwrap_or_default()
    };
    until("the autosave", || stored().contains("\"name\":\"Reta\"")).await;
    button(&host, "↶ Undo").click();
    until("one undo to restore the whole name", || {
        name.value() == original
    })
    .await;
    drop(handle);
    host.remove();
    clear_waymark();
}

#[wasm_bindgen_test]
async fn cards_move_and_duplicate_by_keyboard() {
    let map = retail("m-keys");
    let name = map.journey_order()[0].name.clone();
    let (host, handle) = open(&map).await;
    let before = cell_of(&card(&host, &name));
    press(
        &one(&card(&host, &name), ".tp-main"),
        "ArrowRight",
        "altKey",
    );
    until("the card in the next stage", || {
        cell_of(&card(&host, &name)) != before
    })
    .await;
    press(&one(&card(&host, &name), ".tp-main"), "d", "ctrlKey");
    until("a copy", || {
        all(&host, ".tp-name")
            .iter()
            .any(|n| n.text_content() == Some(format!("{name} (copy)")))
    })
    .await;
    drop(handle);
    host.remove();
    clear_waymark();
}

#[wasm_bindgen_test]
async fn dropping_a_card_on_another_cell_moves_it_there() {
    let map = retail("m-drag");
    let name = map.journey_order()[0].name.clone();
    let (host, handle) = open(&map).await;
    let source = one(&card(&host, &name), ".tp-main");
    let target: HtmlElement = all(&host, "[role=cell][aria-label]")
        .into_iter()
        .find(|c| {
            c.get_attribute("aria-label").unwrap() != cell_of(&card(&host, &name))
                && c.query_selector("[data-testid=touchpoint]")
                    .unwrap()
                    .is_none()
        })
        .unwrap();
    let target_label = target.get_attribute("aria-label").unwrap();
    drag(&source, "dragstart");
    drag(&target, "dragover");
    drag(&target, "drop");
    drag(&source, "dragend");
    until("the card in the cell it was dropped on", || {
        cell_of(&card(&host, &name)) == target_label
    })
    .await;
    drop(handle);
    host.remove();
    clear_waymark();
}

#[wasm_bindgen_test]
async fn context_losses_are_labelled_and_listed() {
    let map = retail("m-loss");
    let losses = map.context_losses().count();
    assert!(losses > 0);
    let (host, handle) = open(&map).await;
    until("the side list", || {
        all(&host, "[data-testid=context-loss]").len() == losses
    })
    .await;
    let marked = all(&host, ".tp-loses");
    assert!(!marked.is_empty());
    for c in marked {
        assert!(c.text_content().unwrap().contains("context lost"));
        let label = one(&c, ".tp-main").get_attribute("aria-label").unwrap();
        assert!(label.ends_with("context lost"), "{label}");
    }
    drop(handle);
    host.remove();
    clear_waymark();
}

#[wasm_bindgen_test]
async fn the_emotion_lane_draws_a_curve_and_can_be_hidden() {
    let map = retail("m-lanes");
    let (host, handle) = open(&map).await;
    let lane = one(&host, "[data-testid=emotion-lane]");
    assert!(lane
        .query_selector("svg polyline, svg path")
        .unwrap()
        .is_some());
    let text_lanes = all(&host, "[data-testid=text-lane]").len();
    assert_eq!(text_lanes, 5);

    let toggle: HtmlInputElement = all(&host, ".lane-menu input[type=checkbox]")
        .into_iter()
        .find(|i| {
            i.parent_element()
                .and_then(|l| l.text_content())
                .is_some_and(|t| t.contains("Emotion curve"))
        })
        .unwrap()
        .unchecked_into();
    toggle.click();
    until("the lane to hide", || {
        host.query_selector("[data-testid=emotion-lane]")
            .unwrap()
            .is_none()
    })
    .await;
    button(&host, "↶ Undo").click();
    until("undo to show it again", || {
        host.query_selector("[data-testid=emotion-lane]")
            .unwrap()
            .is_some()
    })
    .await;
    drop(handle);
    host.remove();
    clear_waymark();
}

#[wasm_bindgen_test]
async fn a_future_state_map_draws_the_as_is_curve_it_was_designed_from() {
    let as_is = retail("m-as-is");
    let mut to_be = as_is.future_state(Id::new("m-to-be"), "Retail, to-be", 2_000.0);
    let low = as_is
        .touchpoints
        .iter()
        .min_by_key(|t| t.emotion)
        .unwrap()
        .id
        .clone();
    to_be.set_emotion(&low, Some(2)).unwrap();
    let (host, handle) = open_among(&[&as_is], &to_be).await;
    let legend = format!("As-is: {}", as_is.name);
    let chart_says = |text: &str| {
        all(&host, "[data-testid=emotion-lane] svg text")
            .iter()
            .any(|t| t.text_content().is_some_and(|t| t.trim() == text))
    };
    until("the as-is curve in the chart", || chart_says(&legend)).await;
    let toggle = one(&host, "[data-testid=as-is-curve] input");
    assert!(one(&host, "[data-testid=as-is-curve]")
        .text_content()
        .unwrap()
        .contains(&legend));
    // The chart's first drawing is synchronous; its redraw effect starts
    // watching on the next tick, long before a person could click.
    sleep(50).await;
    toggle.click();
    until("the as-is curve hidden", || !chart_says(&legend)).await;
    drop(handle);
    host.remove();

    // A current-state map offers no comparison.
    let (host, handle) = open(&as_is).await;
    assert!(query(&host, "[data-testid=as-is-curve]").is_none());
    drop(handle);
    host.remove();
    clear_waymark();
}

/// Where a connector's path starts, relative to the canvas.
fn path_start(connector: &HtmlElement) -> (f64, f64) {
    let d = one(connector, "path").get_attribute("d").unwrap();
    let mut numbers = d
        .trim_start_matches('M')
        .split_whitespace()
        .map(|n| n.parse::<f64>().unwrap());
    (numbers.next().unwrap(), numbers.next().unwrap())
}

#[wasm_bindgen_test]
async fn handoffs_are_drawn_between_their_cards_and_follow_a_moved_card() {
    let map = retail("m-lines");
    let handoffs = map.handoffs.len();
    let losses = map.context_losses().count();
    assert!(handoffs > losses && losses > 0);
    let (host, handle) = open(&map).await;
    until("a connector per handoff", || {
        all(&host, "[data-testid=connectors] [data-handoff]").len() == handoffs
    })
    .await;
    assert_eq!(all(&host, ".connector.lost").len(), losses);
    assert_eq!(all(&host, ".connector.lost text.flag").len(), losses);

    // A forward handoff leaves its card at the right edge, half-way down.
    let canvas = one(&host, ".canvas");
    let h = map
        .handoffs
        .iter()
        .find(|h| {
            let stage = |id: &Id| map.stage_index(&map.touchpoint(id).unwrap().stage);
            // Not in the last lane, so Alt+ArrowDown can move it below.
            let lane = &map.touchpoint(&h.from).unwrap().channel;
            stage(&h.to) > stage(&h.from) && map.channels.last().map(|c| &c.id) != Some(lane)
        })
        .unwrap();
    let source = one(&host, &format!("[data-tp=\"{}\"]", h.from));
    let line = one(&host, &format!("[data-handoff=\"{}\"]", h.id));
    let at_edge = |line: &HtmlElement, source: &HtmlElement| {
        let (c, r) = (
            canvas.get_bounding_client_rect(),
            source.get_bounding_client_rect(),
        );
        let (x, y) = path_start(line);
        (x - (r.right() - c.left())).abs() < 1.0
            && (y - (r.top() + r.height() / 2.0 - c.top())).abs() < 1.0
    };
    assert!(at_edge(&line, &source));

    // Selecting the card marks its lines at once.
    one(&source, ".tp-main").click();
    until("the selected card's lines marked", || {
        one(&host, &format!("[data-handoff=\"{}\"]", h.id))
            .class_list()
            .contains("active")
    })
    .await;

    // Moved down a lane, the card takes its line with it.
    let before = path_start(&line);
    press(&one(&source, ".tp-main"), "ArrowDown", "altKey");
    until("the line redrawn from the card's new place", || {
        let line = one(&host, &format!("[data-handoff=\"{}\"]", h.id));
        let source = one(&host, &format!("[data-tp=\"{}\"]", h.from));
        path_start(&line) != before && at_edge(&line, &source)
    })
    .await;
    drop(handle);
    host.remove();
    clear_waymark();
}

#[wasm_bindgen_test]
async fn dragging_a_cards_link_handle_onto_another_card_draws_a_handoff() {
    let map = retail("m-link");
    let order: Vec<String> = map.journey_order().iter().map(|t| t.name.clone()).collect();
    let (from, to) = (&order[0], &order[order.len() - 1]);
    let before = map.handoffs.len();
    let (host, handle) = open(&map).await;
    until("the connectors", || {
        all(&host, "[data-testid=connectors] [data-handoff]").len() == before
    })
    .await;
    let source = one(&card(&host, from), "[data-testid=link-handle]");
    let target = card(&host, to);
    drag(&source, "dragstart");
    drag(&target, "dragover");
    drag(&target, "drop");
    drag(&source, "dragend");
    until("one more connector", || {
        all(&host, "[data-testid=connectors] [data-handoff]").len() == before + 1
    })
    .await;
    // The source is selected, its detail lists the new handoff, and nothing
    // moved: the handle draws, it does not carry the card.
    let detail = one(&host, "[data-testid=detail]");
    assert!(all(&detail, "[data-testid=handoff]")
        .iter()
        .any(|h| h.text_content().unwrap().contains(to.as_str())));
    assert_eq!(
        all(&host, "[data-testid=touchpoint]").len(),
        map.touchpoints.len()
    );
    // Dropped on the card it came from, or beside the cards, it draws nothing.
    let again = one(&card(&host, from), "[data-testid=link-handle]");
    drag(&again, "dragstart");
    drag(&card(&host, from), "drop");
    drag(&again, "dragend");
    sleep(300).await;
    assert_eq!(
        all(&host, "[data-testid=connectors] [data-handoff]").len(),
        before + 1
    );
    drop(handle);
    host.remove();
    clear_waymark();
}

#[wasm_bindgen_test]
async fn stage_names_read_as_text_and_edit_in_place_as_one_undo_step() {
    let map = retail("m-inline");
    let original = map.stages[0].name.clone();
    let (host, handle) = open(&map).await;
    // The canvas shows names, goals and channels as text, not text boxes.
    let canvas = one(&host, "[data-testid=canvas]");
    assert!(query(&canvas, "input[type=text]").is_none());
    let head = one(&host, "[data-testid=stage-head]");
    let name_button = || one(&head, "button.stage-name");
    assert_eq!(
        name_button().text_content().as_deref(),
        Some(original.as_str())
    );
    assert_eq!(
        name_button().get_attribute("aria-label").unwrap(),
        format!("Stage name: {original}")
    );

    // Escape drops what was typed.
    name_button().click();
    until("the text box", || {
        query(&head, "input.stage-name").is_some()
    })
    .await;
    let input = one(&head, "input.stage-name");
    type_into(&input, "Dropped");
    key(&input, "Escape");
    until("the text again", || {
        query(&head, "button.stage-name").is_some()
    })
    .await;
    assert_eq!(
        name_button().text_content().as_deref(),
        Some(original.as_str())
    );

    // Enter keeps it, typed in several keystrokes, as one undo step.
    name_button().click();
    until("the text box", || {
        query(&head, "input.stage-name").is_some()
    })
    .await;
    let input = one(&head, "input.stage-name");
    for text in ["I", "In", "Ins"] {
        type_into(&input, text);
    }
    key(&input, "Enter");
    until("the new name", || {
        head.get_attribute("aria-label").as_deref() == Some("Ins")
    })
    .await;
    assert_eq!(name_button().text_content().as_deref(), Some("Ins"));
    button(&host, "↶ Undo").click();
    until("one undo to restore the name", || {
        head.get_attribute("aria-label").as_deref() == Some(original.as_str())
    })
    .await;
    drop(handle);
    host.remove();
    clear_waymark();
}

#[wasm_bindgen_test]
async fn zooming_scales_the_grid_and_its_handoff_lines_stay_on_their_cards() {
    let map = retail("m-zoom");
    let (host, handle) = open(&map).await;
    let level = || {
        one(&host, "[data-testid=zoom-level]")
            .text_content()
            .unwrap()
    };
    assert_eq!(level(), "100 %");
    by_label(&host, "Zoom out").click();
    by_label(&host, "Zoom out").click();
    until("80 %", || level() == "80 %").await;
    let canvas = one(&host, ".canvas");
    until("the zoom applied", || {
        canvas
            .get_attribute("style")
            .is_some_and(|s| s.contains("--zoom: 0.8"))
    })
    .await;
    // The lines are drawn in the grid's own pixels, the screen's divided by
    // the zoom: a forward handoff still leaves its card at the right edge.
    let stage = |id: &Id| map.stage_index(&map.touchpoint(id).unwrap().stage);
    let h = map
        .handoffs
        .iter()
        .find(|h| stage(&h.to) > stage(&h.from))
        .unwrap();
    until("the line redrawn at the card's edge", || {
        // Drawn once edits and resizes pause.
        let Some(line) = query(&host, &format!("[data-handoff=\"{}\"]", h.id)) else {
            return false;
        };
        let source = one(&host, &format!("[data-tp=\"{}\"]", h.from));
        let (c, r) = (
            canvas.get_bounding_client_rect(),
            source.get_bounding_client_rect(),
        );
        let (x, y) = path_start(&line);
        let right = (r.right() - c.left()) / 0.8;
        let middle = (r.top() + r.height() / 2.0 - c.top()) / 0.8;
        (x - right).abs() < 1.0 && (y - middle).abs() < 1.0
    })
    .await;
    by_label(&host, "Zoom to 100 %").click();
    until("100 %", || level() == "100 %").await;
    drop(handle);
    host.remove();
    clear_waymark();
}
