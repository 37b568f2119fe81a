//! Browser tests of the backup's IndexedDB glue: a stored dataset, packed
//! for a backup file, passes the file's own checks (which mirror the
//! packing in `datasets_idb::encode`) and restores identical under a new
//! id. Datasets stored in the earlier layout are packed afresh.
#![cfg(target_arch = "wasm32")]

use std::collections::HashSet;

use wasm_bindgen_test::*;
use waymark::import::{import, Dataset, ImportOptions};
use waymark::model::{Id, JourneyMap};
use waymark::storage::backup::{self, base64_len, OnConflict};
use waymark::storage::datasets::{hash_hex, DatasetMeta};
use waymark::storage::datasets_idb::{encode, DatasetStore};
use waymark::storage::{MemoryStore, Repository};

wasm_bindgen_test_configure!(run_in_browser);

const FILE: &str = "Touchpoint,NPS,Comment,When,Channel\n\
                    checkout,10,\"Quick, easy\",2024-03-01,web\n\
                    live chat,,\"Très lent\",,store\n\
                    returns,11,slow,2024-03-05,\n";

fn json(data: &Dataset) -> String {
    serde_json::to_string(data).unwrap()
}

fn meta(id: &str, map: &str, data: &Dataset) -> DatasetMeta {
    DatasetMeta {
        id: id.into(),
        map: Id::new(map),
        name: "survey.csv".into(),
        file_name: "survey.csv".into(),
        hash: hash_hex(FILE.as_bytes()),
        file_bytes: FILE.len(),
        created_ms: 1.0,
        source: data.source.clone(),
        problems: data.errors.len(),
    }
}

#[wasm_bindgen_test]
async fn a_stored_dataset_backs_up_and_restores_identical() {
    let data = import(FILE.into(), ImportOptions::default()).unwrap();
    let entry = meta("d-backup", "m-backup", &data);
    let store = DatasetStore::open().await.unwrap();
    store.save(&entry, encode(&data), &[]).await.unwrap();

    let packed = store.packed(&entry).await.unwrap();
    let bytes = store
        .stored_bytes(std::slice::from_ref(&entry))
        .await
        .unwrap();
    assert_eq!(bytes, packed.bytes.len() as u64);

    let mut source = Repository::new(MemoryStore::new(), "tab-a", || 1.0);
    source
        .save(&JourneyMap::new(Id::new("m-backup"), "Backup", 1.0), None)
        .unwrap();
    let file = backup::export(&source.store, 2.0, &[packed]).unwrap().json;
    assert!(file.len() as u64 > base64_len(bytes));
    let parsed = backup::parse(&file).unwrap();

    // Into a browser that has the map and the dataset: kept as copies.
    let stored = HashSet::from([entry.id.clone()]);
    let done = backup::restore(
        &mut source,
        &parsed,
        OnConflict::KeepBoth,
        |p| format!("{p}copy"),
        &stored,
    )
    .unwrap();
    let [write] = &done.datasets[..] else {
        panic!("one dataset to write, got {:?}", done.datasets);
    };
    assert_eq!(write.meta.id, "d-copy");
    assert_eq!(write.meta.map, Id::new("m-copy"));
    store
        .save_packed(&write.meta, &parsed.datasets[write.index])
        .await
        .unwrap();
    let back = DatasetStore::open()
        .await
        .unwrap()
        .load("d-copy")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(json(&back), json(&data));

    store.delete(&write.meta).await.unwrap();
    store.delete(&entry).await.unwrap();
}
