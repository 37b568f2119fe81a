//! Browser tests of where imported datasets live: real IndexedDB in headless
//! Chromium. Each test uses its own map id and removes what it stored, since
//! all tests share one page and one database.
#![cfg(target_arch = "wasm32")]

use js_sys::{Array, Float32Array, Float64Array, Object, Reflect, Uint32Array, Uint8Array};
use leptos::prelude::*;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::*;
use waymark::import::stream::marks64;
use waymark::import::{import, ColumnData, Dataset, ImportOptions, Role, CHUNK_BYTES};
use waymark::model::Id;
use waymark::storage::browser::Backend;
use waymark::storage::datasets::{hash_hex, same_file, DatasetMeta};
use waymark::storage::datasets_idb::{decode, encode, DatasetStore};
use waymark::storage::Repository;
use web_sys::{Blob, HtmlElement, HtmlInputElement, HtmlSelectElement};

mod support;
use support::{button, clear_waymark, mount_app, one, query, retail, sleep, until};

wasm_bindgen_test_configure!(run_in_browser);

const FILE: &str = "Touchpoint,NPS,Comment,When\n\
                    checkout,10,\"Quick, easy\",2024-03-01\n\
                    live chat,,\"Call me on +44 20 7946 0958\",\n\
                    returns,11,slow,2024-03-05\n";

/// Datasets hold NaN for missing numbers (NaN != NaN), so compare as JSON.
fn json(data: &Dataset) -> String {
    serde_json::to_string(data).unwrap()
}

fn dataset() -> Dataset {
    import(FILE.into(), ImportOptions::default()).unwrap()
}

fn meta(id: &str, map: &str, data: &Dataset) -> DatasetMeta {
    DatasetMeta {
        id: id.into(),
        map: Id::new(map),
        name: "survey.csv".into(),
        file_name: "survey.csv".into(),
        hash: hash_hex(FILE.as_bytes()),
        file_bytes: FILE.len(),
        created_ms: js_sys::Date::now(),
        source: data.source.clone(),
        problems: data.errors.len(),
    }
}

async fn listed(store: &DatasetStore, map: &str) -> Vec<DatasetMeta> {
    let (all, unreadable) = store.list().await.unwrap();
    assert!(unreadable.is_empty(), "unreadable entries: {unreadable:?}");
    all.into_iter().filter(|m| m.map.as_str() == map).collect()
}

/// The import's search for delimiters uses wasm SIMD, which the native
/// tests never run: it must mark what a byte-by-byte search does.
#[wasm_bindgen_test]
fn the_simd_delimiter_search_marks_what_a_plain_one_does() {
    let alphabet = b"ab,;\n\"\r\0\x80\xFF";
    let mut seed = 0x2545_f491_4f6c_dd1du64;
    for round in 0..2000 {
        let len = round % 150;
        let hay: Vec<u8> = (0..len)
            .map(|_| {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                alphabet[(seed % alphabet.len() as u64) as usize]
            })
            .collect();
        for (a, b) in [
            (b',', b'\n'),
            (b'"', b'\n'),
            (b';', b'\0'),
            (b'\x80', b'\xFF'),
        ] {
            let plain = hay
                .iter()
                .take(64)
                .enumerate()
                .filter(|&(_, &c)| c == a || c == b)
                .fold(0u64, |m, (i, _)| m | 1 << i);
            assert_eq!(marks64(&hay, a, b), plain, "{hay:?} for {a} and {b}");
        }
    }
}

#[wasm_bindgen_test]
async fn saved_dataset_reopens_identical() {
    let data = dataset();
    let entry = meta("d-reopen", "m-reopen", &data);
    DatasetStore::open()
        .await
        .unwrap()
        .save(&entry, encode(&data), &[])
        .await
        .unwrap();

    // A fresh connection, as after a reload.
    let store = DatasetStore::open().await.unwrap();
    assert_eq!(listed(&store, "m-reopen").await, vec![entry.clone()]);
    let back = store.load("d-reopen").await.unwrap().unwrap();
    assert_eq!(json(&back), json(&data));
    assert_eq!(
        back.columns[1].score(1),
        None,
        "a missing score stays missing"
    );
    assert_eq!(back.columns[2].text(1), Some("Call me on [phone]"));
    assert_eq!(back.errors, data.errors);

    store.delete(&entry).await.unwrap();
    assert!(store.load("d-reopen").await.unwrap().is_none());
}

#[wasm_bindgen_test]
async fn delete_can_be_undone_and_rename_sticks() {
    let data = dataset();
    let entry = meta("d-undo", "m-undo", &data);
    let store = DatasetStore::open().await.unwrap();
    store.save(&entry, encode(&data), &[]).await.unwrap();
    store.rename(&entry, "March survey").await.unwrap();
    let renamed = listed(&store, "m-undo").await.remove(0);
    assert_eq!(renamed.name, "March survey");

    let removed = store.delete(&renamed).await.unwrap();
    assert!(listed(&store, "m-undo").await.is_empty());
    assert!(store.load("d-undo").await.unwrap().is_none());

    store.restore(&removed).await.unwrap();
    assert_eq!(listed(&store, "m-undo").await, vec![renamed.clone()]);
    assert_eq!(
        json(&store.load("d-undo").await.unwrap().unwrap()),
        json(&data)
    );
    store.delete(&renamed).await.unwrap();
}

#[wasm_bindgen_test]
async fn reimporting_the_same_file_replaces_the_earlier_dataset() {
    let data = dataset();
    let first = meta("d-first", "m-again", &data);
    let store = DatasetStore::open().await.unwrap();
    store.save(&first, encode(&data), &[]).await.unwrap();

    let stored = listed(&store, "m-again").await;
    let earlier = same_file(&stored, &Id::new("m-again"), &hash_hex(FILE.as_bytes()))
        .expect("the same bytes are recognised");
    assert_eq!(earlier.id, "d-first");

    let second = meta("d-second", "m-again", &data);
    store
        .save(&second, encode(&data), std::slice::from_ref(&earlier.id))
        .await
        .unwrap();
    assert_eq!(listed(&store, "m-again").await, vec![second.clone()]);
    assert!(store.load("d-first").await.unwrap().is_none());
    store.delete(&second).await.unwrap();
}

/// A dataset the way versions before the Blob layout stored it: one typed
/// array per part.
fn stored_the_old_way(data: &Dataset) -> JsValue {
    let bulk = Array::new();
    let mut shell = data.clone();
    shell.lines.clear();
    for column in &mut shell.columns {
        let part: JsValue = match &mut column.data {
            ColumnData::Score { values, .. } => {
                Float32Array::from(&std::mem::take(values)[..]).into()
            }
            ColumnData::Category { codes, .. } => {
                Uint32Array::from(&std::mem::take(codes)[..]).into()
            }
            ColumnData::Text { text, ends } => Array::of2(
                &Uint8Array::from(std::mem::take(text).as_bytes()),
                &Uint32Array::from(&std::mem::take(ends)[..]),
            )
            .into(),
            ColumnData::Time(t) => Array::of2(
                &Float64Array::from(&std::mem::take(&mut t.secs)[..]),
                &t.day_first
                    .take()
                    .map_or(JsValue::NULL, |d| Float64Array::from(&d[..]).into()),
            )
            .into(),
            ColumnData::Skipped => JsValue::NULL,
        };
        bulk.push(&part);
    }
    let stored = Object::new();
    Reflect::set(
        &stored,
        &"shell".into(),
        &serde_json::to_string(&shell).unwrap().into(),
    )
    .unwrap();
    Reflect::set(&stored, &"bulk".into(), &bulk).unwrap();
    Reflect::set(
        &stored,
        &"lines".into(),
        &Uint32Array::from(&data.lines[..]),
    )
    .unwrap();
    stored.into()
}

#[wasm_bindgen_test]
async fn damaged_stored_data_is_an_error_not_a_panic() {
    let data = dataset();
    assert_eq!(json(&decode(&encode(&data)).await.unwrap()), json(&data));
    assert_eq!(
        json(&decode(&stored_the_old_way(&data)).await.unwrap()),
        json(&data)
    );

    let short_lines = encode(&data);
    let sizes: Array = Reflect::get(&short_lines, &"sizes".into())
        .unwrap()
        .unchecked_into();
    sizes.set(sizes.length() - 1, 1.into());
    let e = decode(&short_lines).await.unwrap_err();
    assert!(e.contains("values for 1 rows"), "{e}");

    let cut = encode(&data);
    let blob: Blob = Reflect::get(&cut, &"blob".into()).unwrap().unchecked_into();
    Reflect::set(
        &cut,
        &"blob".into(),
        &blob.slice_with_i32_and_i32(0, 16).unwrap(),
    )
    .unwrap();
    let e = decode(&cut).await.unwrap_err();
    assert!(e.contains("shorter than its column sizes"), "{e}");

    let bad_text = stored_the_old_way(&data);
    let bulk: Array = Reflect::get(&bad_text, &"bulk".into())
        .unwrap()
        .unchecked_into();
    let comment: Array = bulk.get(2).unchecked_into();
    comment.set(0, Uint8Array::from(&[b'a', 0xC3][..]).into());
    let e = decode(&bad_text).await.unwrap_err();
    assert!(e.contains("damaged text"), "{e}");

    assert!(decode(&JsValue::from_str("nonsense")).await.is_err());
}

/// A Windows-1252 export whose first non-ASCII byte (é, invalid as UTF-8)
/// comes after the first chunk: the review reads only that chunk, so it
/// starts out as UTF-8.
fn late_windows_1252() -> Vec<u8> {
    let row = b"checkout,8,A plain comment that says nothing in particular at all\n";
    let mut bytes = b"Touchpoint,NPS,Comment\n".to_vec();
    while bytes.len() < CHUNK_BYTES * 3 / 2 {
        bytes.extend_from_slice(row);
    }
    bytes.extend_from_slice(b"returns,9,\"caf\xE9, write to ana@example.com\"\n");
    while bytes.len() < CHUNK_BYTES * 5 / 2 {
        bytes.extend_from_slice(row);
    }
    bytes
}

/// Mounts the app on the import page of a new stored map.
async fn import_page(map: &str) -> (HtmlElement, leptos::mount::UnmountHandle<impl Mountable>) {
    clear_waymark();
    let map = retail(map);
    let (backend, _) = Backend::open();
    Repository::new(backend, "tab-import", js_sys::Date::now)
        .save(&map, None)
        .unwrap();
    window()
        .location()
        .set_hash(&format!("#/map/{}/import", map.id))
        .unwrap();
    let (host, handle) = mount_app();
    until("the file picker", || {
        query(&host, "[data-testid=import-file]").is_some()
    })
    .await;
    (host, handle)
}

/// Picks `bytes` as a file, and the moment the review shows (before any
/// further read of the file can finish: the review is rendered in a
/// microtask, reads end in tasks) makes the first column a segment, turns
/// masking off, and clicks Import when `import`. Resolves to the encoding
/// the review showed then.
async fn pick_and_choose(host: &HtmlElement, bytes: &[u8], import: bool) -> String {
    let file = web_sys::File::new_with_u8_array_sequence(
        &Array::of1(&Uint8Array::from(bytes)),
        "late-1252.csv",
    )
    .unwrap();
    let act = js_sys::Function::new_with_args(
        "host, file, input, doImport",
        r#"
        return new Promise((resolve) => {
          const act = () => {
            const go = host.querySelector("[data-testid=start-import]");
            const role = host.querySelector("[data-testid=role-0]");
            const mask = host.querySelector("[data-testid=mask-contacts]");
            if (!go || !role || !mask) return false;
            const encoding = host.querySelector("[data-testid=source-encoding]").textContent;
            role.value = "segment";
            role.dispatchEvent(new Event("change", { bubbles: true }));
            mask.checked = false;
            mask.dispatchEvent(new Event("change", { bubbles: true }));
            if (doImport) go.click();
            resolve(encoding);
            return true;
          };
          const observer = new MutationObserver(() => {
            if (act()) observer.disconnect();
          });
          observer.observe(host, { childList: true, subtree: true });
          const dt = new DataTransfer();
          dt.items.add(file);
          input.files = dt.files;
          input.dispatchEvent(new Event("change", { bubbles: true }));
        });
        "#,
    );
    let input = one(host, "[data-testid=import-file]");
    let args = Array::of4(
        &host.clone().into(),
        &file.into(),
        &input.into(),
        &import.into(),
    );
    let promise: js_sys::Promise = act.apply(&JsValue::NULL, &args).unwrap().unchecked_into();
    JsFuture::from(promise).await.unwrap().as_string().unwrap()
}

/// Waits for the map's one saved dataset; a 2.5 MB import takes a while in
/// a debug build.
async fn saved(map: &str) -> (DatasetMeta, Dataset) {
    let store = DatasetStore::open().await.unwrap();
    for _ in 0..3000 {
        if let Some(meta) = listed(&store, map).await.pop() {
            let data = store.load(&meta.id).await.unwrap().unwrap();
            return (meta, data);
        }
        sleep(20).await;
    }
    panic!("no dataset saved for {map}");
}

fn assert_imported_as_windows_1252(bytes: &[u8], meta: &DatasetMeta, data: &Dataset) {
    assert_eq!(meta.hash, hash_hex(bytes), "the hash of the file's bytes");
    assert_eq!(data.source.encoding, "windows-1252");
    assert_eq!(data.columns[0].role, Role::Segment, "the chosen role");
    let ColumnData::Text { text, .. } = &data.columns[2].data else {
        panic!("comments are text: {:?}", data.columns[2].role);
    };
    assert!(
        text.contains("café, write to ana@example.com"),
        "read as Windows-1252, not masked"
    );
    assert!(!text.contains('\u{FFFD}'), "nothing misread");
    let rows = bytes.iter().filter(|&&b| b == b'\n').count() - 1;
    assert_eq!(data.rows(), rows);
}

async fn remove_datasets(map: &str) {
    let store = DatasetStore::open().await.unwrap();
    for meta in listed(&store, map).await {
        store.delete(&meta).await.unwrap();
    }
}

#[wasm_bindgen_test]
async fn import_clicked_before_the_check_ends_reads_late_windows_1252_again() {
    let map = "m-late-early-click";
    let bytes = late_windows_1252();
    let (host, handle) = import_page(map).await;
    let shown = pick_and_choose(&host, &bytes, true).await;
    assert_eq!(shown, "utf-8", "the review guessed from the first chunk");
    let (meta, data) = saved(map).await;
    assert_imported_as_windows_1252(&bytes, &meta, &data);
    drop(handle);
    host.remove();
    remove_datasets(map).await;
    clear_waymark();
}

#[wasm_bindgen_test]
async fn the_check_while_reviewing_replans_late_windows_1252_keeping_choices() {
    let map = "m-late-check";
    let bytes = late_windows_1252();
    let (host, handle) = import_page(map).await;
    let shown = pick_and_choose(&host, &bytes, false).await;
    assert_eq!(shown, "utf-8", "the review guessed from the first chunk");
    let encoding = || {
        query(&host, "[data-testid=source-encoding]")
            .and_then(|e| e.text_content())
            .unwrap_or_default()
    };
    for _ in 0..1000 {
        if encoding() == "windows-1252" {
            break;
        }
        sleep(20).await;
    }
    assert_eq!(encoding(), "windows-1252", "the check read the whole file");
    let role: HtmlSelectElement = one(&host, "[data-testid=role-0]").unchecked_into();
    assert_eq!(role.value(), "segment");
    let mask: HtmlInputElement = one(&host, "[data-testid=mask-contacts]").unchecked_into();
    assert!(!mask.checked());
    let preview = one(&host, "[data-testid=preview]").text_content().unwrap();
    assert!(!preview.contains('\u{FFFD}'));
    one(&host, "[data-testid=start-import]").click();
    let (meta, data) = saved(map).await;
    assert_imported_as_windows_1252(&bytes, &meta, &data);

    // The same file again: the check recognises it.
    until("the report", || {
        query(&host, "[data-testid=report]").is_some()
    })
    .await;
    button(&host, "Import another file").click();
    until("the file picker", || {
        query(&host, "[data-testid=import-file]").is_some()
    })
    .await;
    pick_and_choose(&host, &bytes, false).await;
    for _ in 0..1000 {
        if query(&host, "[data-testid=same-file]").is_some() {
            break;
        }
        sleep(20).await;
    }
    let notice = one(&host, "[data-testid=same-file]")
        .text_content()
        .unwrap();
    assert!(notice.contains("imported before"), "{notice}");

    drop(handle);
    host.remove();
    remove_datasets(map).await;
    clear_waymark();
}

#[wasm_bindgen_test]
async fn a_utf8_import_is_saved_under_the_hash_of_its_bytes() {
    let map = "m-hash";
    let mut bytes = FILE.as_bytes().to_vec();
    let row = "checkout,9,\"Très bien, merci\",2024-03-02\n";
    while bytes.len() < CHUNK_BYTES * 2 + 12_345 {
        bytes.extend_from_slice(row.as_bytes());
    }
    let (host, handle) = import_page(map).await;
    pick_and_choose(&host, &bytes, true).await;
    let (meta, data) = saved(map).await;
    assert_eq!(meta.hash, hash_hex(&bytes));
    assert_eq!(data.source.encoding, "utf-8");
    assert!(
        matches!(&data.columns[2].data, ColumnData::Text { text, .. } if text.contains("Très bien, merci"))
    );
    drop(handle);
    host.remove();
    remove_datasets(map).await;
    clear_waymark();
}
