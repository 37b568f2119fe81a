//! A map's imported feedback where the user works: the figures on its
//! cards, stage heads and lanes, the measured emotion curve, the filter bar
//! that every one of them follows, and the dashboard. [`MapData`] holds the
//! signals; every figure is computed by `insights::journey` in the core.

pub mod dashboard;
pub mod figures;
pub mod filter_bar;
pub mod metrics_panel;
pub mod scoring;

use std::cell::RefCell;
use std::sync::Arc;

use leptos::ev;
use leptos::prelude::*;
use leptos::task::spawn_local;

use super::state::{AppState, NoticeKind};
use crate::import::dates::days_from_civil;
use crate::import::matching::Aliases;
use crate::import::Dataset;
use crate::insights::custom::{custom_metrics, CustomFigures};
use crate::insights::journey::{
    journey_metrics, ChannelLinks, Filter, JourneyMetrics, RowIndex, Source,
};
use crate::insights::sentiment::{journey_sentiment, JourneySentiment};
use crate::model::{Id, JourneyMap};
use crate::route::MapFilter;
use crate::storage::browser::Backend;
use crate::storage::datasets::{
    load_aliases, load_channel_links, save_channel_links, set_link, sort_for_listing, DatasetMeta,
};
use crate::storage::datasets_idb::{encode, DatasetStore};

/// Compared by identity: a memo of a 500 000-row index must not compare
/// the rows to find out whether it changed.
#[derive(Clone, Debug)]
pub struct Shared<T>(pub Arc<T>);

impl<T> PartialEq for Shared<T> {
    fn eq(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.0, &other.0)
    }
}

/// A loaded dataset with where its rows sit on the map.
pub type Placed = (Loaded, Arc<RowIndex>);

/// A stored dataset of the map, loaded.
#[derive(Clone, Debug)]
pub struct Loaded {
    pub meta: DatasetMeta,
    pub data: Arc<Dataset>,
}

/// Where loading the map's datasets is.
#[derive(Clone, Debug, PartialEq)]
pub enum DataStatus {
    Loading {
        done: usize,
        total: usize,
    },
    Ready,
    /// The browser keeps no datasets (IndexedDB unavailable), or reading
    /// them failed.
    Failed(String),
}

/// The parts of a map that decide where rows land: a new name or note on a
/// card changes none of them, so typing never re-places 500 000 rows.
#[derive(Clone, Debug, PartialEq)]
struct Placement {
    touchpoints: Vec<(Id, String, Id, Id)>,
    stages: Vec<(Id, String)>,
    channels: Vec<(Id, String)>,
}

fn placement(m: &JourneyMap) -> Placement {
    Placement {
        touchpoints: m
            .touchpoints
            .iter()
            .map(|t| {
                (
                    t.id.clone(),
                    t.feedback_key.clone(),
                    t.stage.clone(),
                    t.channel.clone(),
                )
            })
            .collect(),
        stages: m
            .stages
            .iter()
            .map(|s| (s.id.clone(), s.name.clone()))
            .collect(),
        channels: m
            .channels
            .iter()
            .map(|c| (c.id.clone(), c.name.clone()))
            .collect(),
    }
}

/// Days since 1970 of a `YYYY-MM-DD` date.
pub fn parse_day(s: &str) -> Option<i32> {
    let mut parts = s.splitn(3, '-').map(|p| p.parse::<i64>().ok());
    let (y, m, d) = (parts.next()??, parts.next()??, parts.next()??);
    days_from_civil(y, m, d).map(|d| d as i32)
}

/// `YYYY-MM-DD` of days since 1970.
pub fn format_day(day: i32) -> String {
    let (y, m, d) = crate::import::dates::civil_from_days(i64::from(day));
    format!("{y:04}-{m:02}-{d:02}")
}

thread_local! {
    /// The last map's loaded datasets, kept when its page closes: the map
    /// and its dashboard show the same data, and reading a 500 000-row
    /// dataset from IndexedDB again cost about 200 ms of opening the
    /// dashboard. One map's worth, replaced when another map is opened.
    static KEPT: RefCell<Option<(Id, Vec<Loaded>)>> = const { RefCell::new(None) };
}

/// The map's datasets and their figures under the filter in the link.
#[derive(Clone, Copy)]
pub struct MapData {
    pub state: AppState,
    pub map: StoredValue<Id>,
    pub datasets: RwSignal<Vec<Loaded>>,
    pub status: RwSignal<DataStatus>,
    pub filter: RwSignal<MapFilter>,
    pub aliases: RwSignal<Aliases>,
    pub links: RwSignal<ChannelLinks>,
    store: StoredValue<Backend, LocalStorage>,
    /// Every loaded dataset with where its rows sit on the map.
    pub indexes: Memo<Shared<Vec<Placed>>>,
    /// The filter in the core's terms (days, a segment value, a lane).
    pub core_filter: Memo<Filter>,
    pub metrics: Memo<Shared<JourneyMetrics>>,
    /// The map's custom metrics under the filter, in the map's order.
    pub custom: Memo<Shared<Vec<CustomFigures>>>,
    /// The comments' sentiment under the filter.
    pub sentiment: Memo<Shared<JourneySentiment>>,
    /// Scoring the comments of datasets that have no scores yet.
    pub scoring: RwSignal<Scoring>,
}

/// Where scoring comments is.
#[derive(Clone, Debug, Default, PartialEq)]
pub enum Scoring {
    #[default]
    Idle,
    Running {
        done: usize,
        total: usize,
    },
    Failed(String),
}

impl MapData {
    /// Starts loading the map's datasets; the figures fill in as they come.
    pub fn new(state: AppState, map: Id) -> Self {
        let (store, _) = Backend::open();
        let placement_memo = Memo::new(move |_| state.open.map.with(|m| m.as_ref().map(placement)));
        let datasets = RwSignal::new(Vec::<Loaded>::new());
        let aliases = RwSignal::new(Aliases::new());
        let links = RwSignal::new(ChannelLinks::new());
        let indexes = Memo::new(move |_| {
            placement_memo.with(|_| ());
            let (aliases, links) = (aliases.get(), links.get());
            let placed = datasets.with(|all| {
                state.open.map.with_untracked(|m| {
                    let Some(m) = m else { return Vec::new() };
                    all.iter()
                        .map(|d| {
                            let index = RowIndex::new(&d.data, m, &aliases, &links);
                            (d.clone(), Arc::new(index))
                        })
                        .collect()
                })
            });
            Shared(Arc::new(placed))
        });
        let filter = RwSignal::new(MapFilter::parse(&current_hash()));
        let personas = Memo::new(move |_| {
            state.open.map.with(|m| {
                m.as_ref()
                    .map(|m| {
                        m.personas
                            .iter()
                            .map(|p| (p.id.clone(), p.segment_key.clone()))
                            .collect::<Vec<_>>()
                    })
                    .unwrap_or_default()
            })
        });
        let core_filter = Memo::new(move |_| {
            filter.with(|f| {
                let segment = match &f.persona {
                    Some(p) => personas.with(|ps| {
                        ps.iter()
                            .find(|(id, _)| id == p)
                            .map(|(_, key)| key.clone())
                    }),
                    None => f.segment.clone(),
                };
                Filter {
                    from: f.from.as_deref().and_then(parse_day),
                    to: f.to.as_deref().and_then(parse_day),
                    segment: segment.filter(|s| !s.trim().is_empty()),
                    channel: f.channel.clone(),
                }
            })
        });
        let metrics = Memo::new(move |_| {
            let view = DataView {
                filter: core_filter.get(),
                hidden: filter.with(|f| f.hidden.clone()),
                placed: indexes.get(),
            };
            let m = counted(state, &view, journey_metrics);
            Shared(Arc::new(m.unwrap_or_default()))
        });
        // Definitions and typed values change with map edits; re-count
        // only when they do.
        let custom_inputs = Memo::new(move |_| {
            state.open.map.with(|m| {
                m.as_ref().map(|m| {
                    let points: Vec<_> = m
                        .touchpoints
                        .iter()
                        .map(|t| t.data_points.clone())
                        .collect();
                    (m.metrics.clone(), points)
                })
            })
        });
        let custom = Memo::new(move |_| {
            // Read, not just tracked: a memo never read never runs, so
            // would never see the map change.
            custom_inputs.with(|_| ());
            let view = DataView {
                filter: core_filter.get(),
                hidden: filter.with(|f| f.hidden.clone()),
                placed: indexes.get(),
            };
            Shared(Arc::new(
                counted(state, &view, custom_metrics).unwrap_or_default(),
            ))
        });
        let sentiment = Memo::new(move |_| {
            let view = DataView {
                filter: core_filter.get(),
                hidden: filter.with(|f| f.hidden.clone()),
                placed: indexes.get(),
            };
            Shared(Arc::new(
                counted(state, &view, journey_sentiment).unwrap_or_default(),
            ))
        });
        let data = MapData {
            state,
            map: StoredValue::new(map),
            datasets,
            status: RwSignal::new(DataStatus::Loading { done: 0, total: 0 }),
            filter,
            aliases,
            links,
            store: StoredValue::new_local(store),
            indexes,
            core_filter,
            metrics,
            custom,
            sentiment,
            scoring: RwSignal::new(Scoring::Idle),
        };
        data.load_links();
        data.load();
        // A typed or pasted link changes the filter in place.
        let listener = window_event_listener(ev::hashchange, move |_| {
            let parsed = MapFilter::parse(&current_hash());
            if data.filter.with_untracked(|f| *f != parsed) {
                data.filter.set(parsed);
            }
        });
        on_cleanup(move || listener.remove());
        data
    }

    fn load_links(&self) {
        let map = self.map.get_value();
        let (aliases, links) = self
            .store
            .with_value(|s| (load_aliases(s, &map), load_channel_links(s, &map)));
        for loaded in [&aliases, &links] {
            if let Err(e) = loaded {
                self.state.notify(NoticeKind::Error, e.clone());
            }
        }
        self.aliases.set(aliases.unwrap_or_default());
        self.links.set(links.unwrap_or_default());
    }

    /// Reads every dataset of the map from IndexedDB, one at a time with the
    /// browser free to draw in between.
    fn load(&self) {
        let this = *self;
        // Read now: the page may be gone (its values disposed) by the time
        // IndexedDB answers, and only `try_` access is safe then.
        let map = self.map.get_value();
        spawn_local(async move {
            let db = match DatasetStore::open().await {
                Ok(db) => db,
                Err(e) => {
                    this.status.try_set(DataStatus::Failed(format!(
                        "Imported feedback cannot be read in this browser: {e}"
                    )));
                    return;
                }
            };
            let mut metas = match db.list().await {
                Ok((metas, _)) => metas,
                Err(e) => {
                    this.status.try_set(DataStatus::Failed(format!(
                        "The list of imported feedback cannot be read: {e}"
                    )));
                    return;
                }
            };
            metas.retain(|m| m.map == map);
            sort_for_listing(&mut metas);
            let total = metas.len();
            this.status.try_set(DataStatus::Loading { done: 0, total });
            let mut loaded = Vec::new();
            let kept = KEPT.with(|k| match &*k.borrow() {
                Some((m, kept)) if *m == map => kept.clone(),
                _ => Vec::new(),
            });
            for (done, meta) in metas.into_iter().enumerate() {
                // The same stored dataset (a rename changes only its meta).
                if let Some(k) = kept
                    .iter()
                    .find(|k| k.meta.id == meta.id && k.meta.hash == meta.hash)
                {
                    loaded.push(Loaded {
                        meta,
                        data: k.data.clone(),
                    });
                    continue;
                }
                match db.load(&meta.id).await {
                    Ok(Some(data)) => loaded.push(Loaded {
                        meta,
                        data: Arc::new(data),
                    }),
                    Ok(None) => {}
                    Err(e) => {
                        this.state.notify(NoticeKind::Error, e.to_string());
                    }
                }
                this.status.try_set(DataStatus::Loading {
                    done: done + 1,
                    total,
                });
            }
            KEPT.with(|k| *k.borrow_mut() = Some((map, loaded.clone())));
            if this.datasets.try_set(loaded).is_none() {
                this.status.try_set(DataStatus::Ready);
                this.score_comments(&db).await;
            }
        });
    }

    /// Scores the comments of every loaded dataset that has none scored
    /// yet, saves the scores with it, and shows them as each is done.
    async fn score_comments(&self, db: &DatasetStore) {
        let pending: Vec<Loaded> = self
            .datasets
            .try_with_untracked(|all| {
                all.iter()
                    .filter(|d| scoring::work(&d.data) > 0)
                    .cloned()
                    .collect()
            })
            .unwrap_or_default();
        let total: usize = pending.iter().map(|d| scoring::work(&d.data)).sum();
        if total == 0 {
            return;
        }
        let mut before = 0;
        self.scoring.try_set(Scoring::Running { done: 0, total });
        for loaded in pending {
            let scoring = self.scoring;
            let progress = move |done: usize| {
                scoring.try_set(Scoring::Running {
                    done: before + done,
                    total,
                });
            };
            let scored = match scoring::score(&loaded.data, &progress).await {
                Ok(scored) => Arc::new(scored),
                Err(e) => {
                    self.scoring.try_set(Scoring::Failed(format!(
                        "The comments of \"{}\" could not be scored: {e}",
                        loaded.meta.name
                    )));
                    return;
                }
            };
            before += scoring::work(&loaded.data);
            if let Err(e) = db.save(&loaded.meta, encode(&scored), &[]).await {
                self.state.notify(
                    NoticeKind::Error,
                    format!("The comments' sentiment is shown but was not saved: {e}"),
                );
            }
            let Some(map) = self.map.try_get_value() else {
                return;
            };
            let replace = |all: &mut Vec<Loaded>| {
                for d in all.iter_mut().filter(|d| d.meta.id == loaded.meta.id) {
                    d.data = scored.clone();
                }
            };
            KEPT.with(|k| {
                if let Some((m, kept)) = &mut *k.borrow_mut() {
                    if *m == map {
                        replace(kept);
                    }
                }
            });
            if self.datasets.try_update(replace).is_none() {
                return;
            }
        }
        self.scoring.try_set(Scoring::Idle);
    }

    /// Changes the filter and the link with it (without a new history
    /// entry, so Back leaves the map rather than undoing filters).
    pub fn set_filter(&self, f: impl FnOnce(&mut MapFilter)) {
        self.filter.update(f);
        let query = self.filter.with_untracked(MapFilter::query);
        let hash = current_hash();
        let path = hash.split_once('?').map_or(hash.as_str(), |(p, _)| p);
        let url = format!("{path}{query}");
        if let Some(history) = web_sys::window().and_then(|w| w.history().ok()) {
            let _ = history.replace_state_with_url(
                &wasm_bindgen::JsValue::NULL,
                "",
                Some(if url.is_empty() { "#/" } else { &url }),
            );
        }
    }

    /// Links a file's channel value to a lane (or unlinks it) and
    /// remembers it for this map.
    pub fn link_channel(&self, value: &str, channel: Option<Id>) {
        self.links.update(|l| set_link(l, value, channel));
        let map = self.map.get_value();
        let saved = self.links.with_untracked(|l| {
            self.store
                .try_update_value(|s| save_channel_links(s, &map, l))
        });
        if let Some(Err(e)) = saved {
            self.state.notify(
                NoticeKind::Error,
                format!("The channel link applies now but was not saved: {e}"),
            );
        }
    }

    /// What the figures are computed from now: the filter, the datasets
    /// left out and where the rows sit. Tracked.
    pub fn view(&self) -> DataView {
        DataView {
            filter: self.core_filter.get(),
            hidden: self.filter.with(|f| f.hidden.clone()),
            placed: self.indexes.get(),
        }
    }

    /// Runs `f` on the datasets `view` counts, under its filter.
    pub fn with_view<R>(
        &self,
        view: &DataView,
        f: impl FnOnce(&[Source], &JourneyMap, &Filter) -> R,
    ) -> Option<R> {
        counted(self.state, view, f)
    }
}

/// Runs `f` on the open map and the datasets `view` counts, under its
/// filter; `None` while no map is open. The map is read untracked: where
/// rows sit is already in `view`.
fn counted<R>(
    state: AppState,
    view: &DataView,
    f: impl FnOnce(&[Source], &JourneyMap, &Filter) -> R,
) -> Option<R> {
    state.open.map.with_untracked(|m| {
        let m = m.as_ref()?;
        let sources: Vec<Source> = view
            .placed
            .0
            .iter()
            .filter(|(d, _)| !view.hidden.contains(&d.meta.id))
            .map(|(d, index)| Source {
                data: &d.data,
                index,
            })
            .collect();
        Some(f(&sources, m, &view.filter))
    })
}

/// A snapshot of what a map's figures are computed from; the dashboard
/// hands it on from one group of charts to the next ([`lagged`]).
#[derive(Clone, Debug, PartialEq)]
pub struct DataView {
    pub filter: Filter,
    pub hidden: Vec<String>,
    pub placed: Shared<Vec<Placed>>,
}

/// `source`'s value one browser task later: charts that read it are
/// computed in a task of their own, so a filter change on a 500 000-row
/// dataset never makes one task of every chart (over 200 ms, measured).
pub fn lagged(source: Signal<DataView>) -> Signal<DataView> {
    let out = RwSignal::new(source.get_untracked());
    Effect::new(move |_| {
        let view = source.get();
        set_timeout(
            move || {
                out.try_set(view);
            },
            std::time::Duration::ZERO,
        );
    });
    out.into()
}

fn current_hash() -> String {
    web_sys::window()
        .and_then(|w| w.location().hash().ok())
        .unwrap_or_default()
}
