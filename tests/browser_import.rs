//! Browser tests of where imported datasets live: real IndexedDB in headless
//! Chromium. Each test uses its own map id and removes what it stored, since
//! all tests share one page and one database.
#![cfg(target_arch = "wasm32")]

use js_sys::{Array, Float32Array, Float64Array, Object, Reflect, Uint32Array, Uint8Array};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::*;
use waymark::import::{import, ColumnData, Dataset, ImportOptions};
use waymark::model::Id;
use waymark::storage::datasets::{hash_hex, same_file, DatasetMeta};
use waymark::storage::datasets_idb::{decode, encode, DatasetStore};
use web_sys::Blob;

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
