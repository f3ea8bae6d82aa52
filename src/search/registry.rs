//! Every loaded index, by name, for the life of the process.
//!
//! Each index sits in a slot holding an `Arc<LoadedIndex>`. A search clones the `Arc` and works
//! on that snapshot, so swapping the slot (a rebuild, `/reload_index`) never disturbs a search
//! in flight. A rebuild is noticed on access: the manifest is replaced by rename on publish, so a
//! `stat` (inode, size, mtime) tells whether it changed. That system call is made at most once
//! per refresh interval per index (`search.refresh_interval_ms`), not on every search, so a
//! rebuild is picked up within that interval.
//!
//! At most `search.max_indexes` indexes are loaded at once: each holds open files, caches and
//! memory, and `/reload_index` would otherwise load any number of aliases of one folder. A request
//! that names no index, or names `default` when no index is called that, gets the default index
//! (see [`IndexRegistry::default_name`]).

use std::collections::BTreeMap;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, RwLock};
use std::time::Instant;

use super::SearchError;
use super::engine::LoadedIndex;
use super::manifest::{MANIFEST_FILE, has_manifest};
use crate::config::{SearchSettings, is_valid_index_name};

/// Identity of a manifest file version.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Stamp {
    inode: u64,
    size: u64,
    mtime_nanos: i128,
}

fn stamp(dir: &Path) -> Option<Stamp> {
    let meta = std::fs::metadata(dir.join(MANIFEST_FILE)).ok()?;
    Some(Stamp {
        inode: meta.ino(),
        size: meta.len(),
        mtime_nanos: i128::from(meta.mtime()) * 1_000_000_000 + i128::from(meta.mtime_nsec()),
    })
}

struct Slot {
    current: RwLock<Arc<LoadedIndex>>,
    /// The manifest version last seen; locked while a reload is being attempted.
    seen: Mutex<Option<Stamp>>,
    /// When the manifest is next due for a check, in nanoseconds since the registry's epoch.
    due: AtomicU64,
    /// Nanoseconds between two checks.
    interval: u64,
}

impl Slot {
    fn new(index: LoadedIndex, seen: Option<Stamp>, now: u64, interval: u64) -> Slot {
        Slot {
            current: RwLock::new(Arc::new(index)),
            seen: Mutex::new(seen),
            due: AtomicU64::new(now + interval),
            interval,
        }
    }

    fn snapshot(&self) -> Arc<LoadedIndex> {
        match self.current.read() {
            Ok(guard) => Arc::clone(&guard),
            Err(poisoned) => Arc::clone(&poisoned.into_inner()),
        }
    }

    /// The snapshot, if the manifest was checked less than an interval ago.
    fn checked_snapshot(&self, now: u64) -> Option<Arc<LoadedIndex>> {
        (now < self.due.load(Ordering::Relaxed)).then(|| self.snapshot())
    }

    /// Reopens the index when its manifest changed (checked when due). One caller checks and
    /// reloads; the others keep searching the current snapshot meanwhile.
    fn refresh(&self, now: u64) -> Arc<LoadedIndex> {
        let current = self.snapshot();
        if now < self.due.load(Ordering::Relaxed) {
            return current;
        }
        let Ok(mut seen) = self.seen.try_lock() else {
            return current;
        };
        self.due.store(now + self.interval, Ordering::Relaxed);
        let stamp_now = stamp(&current.dir);
        if stamp_now.is_none() || *seen == stamp_now {
            return current;
        }
        *seen = stamp_now;
        match LoadedIndex::open(&current.name, &current.dir) {
            Ok(fresh) => {
                log_loaded(&fresh);
                let fresh = Arc::new(fresh);
                if let Ok(mut slot) = self.current.write() {
                    *slot = Arc::clone(&fresh);
                }
                fresh
            }
            Err(error) => {
                tracing::warn!(index = %current.name, reason = %error, "index_load_failed");
                current
            }
        }
    }
}

fn log_loaded(index: &LoadedIndex) {
    tracing::info!(
        index = %index.name,
        path = %index.dir.display(),
        generation = %index.manifest.generation,
        chunks = index.manifest.chunks,
        "index_loaded"
    );
}

/// The indexes a server (or a CLI command) searches.
pub struct IndexRegistry {
    root: PathBuf,
    configured: BTreeMap<String, PathBuf>,
    /// Whether the config names any index, of either backend: then no folder is loaded unless
    /// named.
    named_any: bool,
    default_index: Option<String>,
    slots: RwLock<BTreeMap<String, Arc<Slot>>>,
    failures: RwLock<BTreeMap<String, String>>,
    /// Origin of the slots' check times.
    epoch: Instant,
    /// Nanoseconds between two checks of an index's manifest.
    refresh_interval: u64,
    /// Indexes loaded at once, at most.
    max_indexes: usize,
}

impl IndexRegistry {
    /// Loads the indexes named in `settings`, or every index folder under its `indexes_dir`.
    /// Broken indexes are logged and left out.
    pub fn load(settings: &SearchSettings) -> IndexRegistry {
        let registry = IndexRegistry {
            root: settings.indexes_dir.clone(),
            configured: settings.indexes.clone(),
            named_any: !settings.indexes.is_empty() || !settings.postgres_indexes.is_empty(),
            default_index: settings.default_index.clone(),
            slots: RwLock::new(BTreeMap::new()),
            failures: RwLock::new(BTreeMap::new()),
            epoch: Instant::now(),
            refresh_interval: u64::try_from(settings.refresh_interval.as_nanos())
                .unwrap_or(u64::MAX / 2),
            max_indexes: settings.max_indexes.max(1),
        };
        registry.scan();
        registry
    }

    /// The root `/reload_index` paths are relative to.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// Loads every index not loaded yet (after recipes were built at startup).
    pub fn scan(&self) {
        for (name, dir) in self.candidates() {
            if self.is_loaded(&name) {
                continue;
            }
            if let Err(error) = self.load_one(&name, &dir) {
                tracing::warn!(index = %name, path = %dir.display(), reason = %error, "index_load_failed");
                if let Ok(mut failures) = self.failures.write() {
                    failures.insert(name, error.to_string());
                }
            }
        }
    }

    fn candidates(&self) -> Vec<(String, PathBuf)> {
        if self.named_any {
            return self.configured.clone().into_iter().collect();
        }
        let Ok(entries) = std::fs::read_dir(&self.root) else {
            return Vec::new();
        };
        let mut found: Vec<(String, PathBuf)> = entries
            .flatten()
            .filter(|e| e.path().is_dir() && has_manifest(&e.path()))
            .filter_map(|e| {
                let name = e.file_name().to_str()?.to_owned();
                is_valid_index_name(&name).then(|| (name, e.path()))
            })
            .collect();
        found.sort();
        found
    }

    fn is_loaded(&self, name: &str) -> bool {
        self.slots.read().is_ok_and(|s| s.contains_key(name))
    }

    fn load_one(&self, name: &str, dir: &Path) -> Result<Arc<LoadedIndex>, SearchError> {
        if let Ok(slots) = self.slots.read() {
            self.check_room(&slots, name)?;
        }
        let seen = stamp(dir);
        let index = LoadedIndex::open(name, dir)?;
        let slot = Arc::new(Slot::new(index, seen, self.now(), self.refresh_interval));
        let snapshot = slot.snapshot();
        if let Ok(mut slots) = self.slots.write() {
            // Checked again: another load may have taken the last place meanwhile.
            self.check_room(&slots, name)?;
            slots.insert(name.to_owned(), slot);
        }
        log_loaded(&snapshot);
        if let Ok(mut failures) = self.failures.write() {
            failures.remove(name);
        }
        Ok(snapshot)
    }

    /// Refuses a new name when `max_indexes` are loaded already (replacing one is fine).
    fn check_room(
        &self,
        slots: &BTreeMap<String, Arc<Slot>>,
        name: &str,
    ) -> Result<(), SearchError> {
        if slots.len() < self.max_indexes || slots.contains_key(name) {
            return Ok(());
        }
        Err(SearchError::Invalid(format!(
            "index_name: {} indexes are loaded, the most allowed (SWML_SEARCH_MAX_INDEXES); \
             reload one of them instead",
            self.max_indexes
        )))
    }

    /// The name a request without `index_name` searches: the configured default, else the only
    /// loaded index, else `default`.
    pub fn default_name(&self) -> String {
        self.default_of(self.slots.read().ok().as_deref())
    }

    /// [`default_name`](IndexRegistry::default_name) over slots already locked.
    fn default_of(&self, slots: Option<&BTreeMap<String, Arc<Slot>>>) -> String {
        if let Some(name) = &self.default_index {
            return name.clone();
        }
        match slots {
            Some(slots) if slots.len() == 1 => slots.keys().next().cloned().unwrap_or_default(),
            _ => "default".to_owned(),
        }
    }

    fn now(&self) -> u64 {
        self.epoch.elapsed().as_nanos() as u64
    }

    /// The default index when it is loaded: `None` means a request without `index_name` gets
    /// 404.
    pub fn loaded_default(&self) -> Option<String> {
        let name = self.default_name();
        self.is_loaded(&name).then_some(name)
    }

    /// The slot `name` designates: that index; for `None`, or for `default` when no index has
    /// that name, the default index.
    fn slot(&self, name: Option<&str>) -> Result<Arc<Slot>, SearchError> {
        let slots = self.slots.read().ok();
        let found = |name: &str| slots.as_ref().and_then(|s| s.get(name).cloned());
        let name = match name {
            Some(name) if name != "default" => name.to_owned(),
            Some(name) if found(name).is_some() => name.to_owned(),
            _ => self.default_of(slots.as_deref()),
        };
        found(&name).ok_or(SearchError::IndexNotFound(name))
    }

    /// The current snapshot of an index (the default one for `None`), reloaded first if it was
    /// rebuilt (checked at most once per refresh interval). May open an index: call it where
    /// blocking is fine.
    pub fn get(&self, name: Option<&str>) -> Result<Arc<LoadedIndex>, SearchError> {
        Ok(self.slot(name)?.refresh(self.now()))
    }

    /// The current snapshot of an index if its manifest was checked less than
    /// a refresh interval ago; `None` when unknown or due for a check. Never blocks, so an
    /// async worker can use it to answer from a cache without missing a rebuild for longer than
    /// [`get`](IndexRegistry::get) would.
    pub fn get_checked(&self, name: Option<&str>) -> Option<Arc<LoadedIndex>> {
        self.slot(name).ok()?.checked_snapshot(self.now())
    }

    /// Like [`get`](IndexRegistry::get), but checks the manifest now, whenever it was last
    /// checked (after building an index in this process).
    pub fn refresh_now(&self, name: &str) -> Result<Arc<LoadedIndex>, SearchError> {
        let slot = self.slot(Some(name))?;
        slot.due.store(0, Ordering::Relaxed);
        Ok(slot.refresh(self.now()))
    }

    /// How many indexes are loaded.
    pub fn count(&self) -> usize {
        self.slots.read().map_or(0, |slots| slots.len())
    }

    /// Every loaded index, refreshed.
    pub fn all(&self) -> Vec<Arc<LoadedIndex>> {
        let slots: Vec<Arc<Slot>> = match self.slots.read() {
            Ok(slots) => slots.values().cloned().collect(),
            Err(_) => Vec::new(),
        };
        let now = self.now();
        slots.iter().map(|slot| slot.refresh(now)).collect()
    }

    /// Indexes that failed to load, with the reason.
    pub fn failures(&self) -> BTreeMap<String, String> {
        self.failures.read().map(|f| f.clone()).unwrap_or_default()
    }

    /// Loads or replaces index `name` from `relative` (inside the root). The name must be
    /// valid and the path, symlinks resolved, must stay inside the root.
    pub fn reload(&self, name: &str, relative: &str) -> Result<Arc<LoadedIndex>, SearchError> {
        if !is_valid_index_name(name) {
            return Err(SearchError::Invalid(
                "index_name: must match [a-z0-9][a-z0-9_-]{0,63}".into(),
            ));
        }
        let root = self
            .root
            .canonicalize()
            .map_err(|e| SearchError::io(&self.root, e))?;
        let relative_path = Path::new(relative);
        if relative.is_empty() || escapes(relative_path) {
            return Err(outside());
        }
        let lexical = root.join(relative_path);
        let dir = match lexical.canonicalize() {
            Ok(dir) => dir,
            Err(_) => return Err(SearchError::IndexNotFound(name.to_owned())),
        };
        if !dir.starts_with(&root) {
            return Err(outside());
        }
        if !has_manifest(&dir) {
            return Err(SearchError::IndexNotFound(name.to_owned()));
        }
        self.load_one(name, &dir)
    }
}

fn outside() -> SearchError {
    SearchError::Invalid("index_path: must be a relative path inside the indexes folder".into())
}

/// Whether a path, read without touching the disk, leaves the folder it is relative to.
fn escapes(path: &Path) -> bool {
    use std::path::Component;
    let mut depth: i64 = 0;
    for component in path.components() {
        match component {
            Component::Normal(_) => depth += 1,
            Component::CurDir => {}
            Component::ParentDir => {
                depth -= 1;
                if depth < 0 {
                    return true;
                }
            }
            Component::RootDir | Component::Prefix(_) => return true,
        }
    }
    false
}

#[cfg(test)]
#[path = "registry_tests.rs"]
mod tests;
