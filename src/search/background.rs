//! Vectors made after startup: a server is ready with lexical search at once, and the
//! recipes that ask for vectors get them from a build in the background, one recipe after
//! another on one thread (`index-vectors`), each published as a new generation like any
//! build. Each index's vector state is kept for `/health`: `none`, `building`, `ready` or
//! `failed`; the log says `index_vectors_started`, `index_vectors_ready` (with how many chunks
//! were embedded and reused) or `index_vectors_failed` (with the reason).

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use serde::Serialize;

use super::build::build_index;
use super::engine::LoadedIndex;
use super::progress::Logged;
use super::recipe::Recipe;
use super::registry::IndexRegistry;

/// Whether an index can answer hybrid and semantic searches, or when it will.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum VectorState {
    /// No vectors, none being made: lexical search only.
    None,
    /// A background build is making them; lexical search meanwhile.
    Building,
    /// Loaded: hybrid is the default mode.
    Ready,
    /// The background build failed (the log has the reason); lexical search only.
    Failed,
}

impl VectorState {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            VectorState::None => "none",
            VectorState::Building => "building",
            VectorState::Ready => "ready",
            VectorState::Failed => "failed",
        }
    }
}

/// The background builds of a server, by index name.
#[derive(Default)]
pub(crate) struct VectorBuilds {
    states: Mutex<BTreeMap<String, VectorState>>,
}

impl VectorBuilds {
    /// The state `/health` shows for `index`: `ready` when the loaded index has vectors,
    /// else its background build's state, else `none`.
    pub(crate) fn state_of(&self, index: &LoadedIndex) -> VectorState {
        if index.dense().is_some() {
            return VectorState::Ready;
        }
        let states = self.states.lock().unwrap_or_else(|e| e.into_inner());
        match states.get(&index.name) {
            Some(VectorState::Ready) | None => VectorState::None,
            Some(state) => *state,
        }
    }

    fn set(&self, name: &str, state: VectorState) {
        let mut states = self.states.lock().unwrap_or_else(|e| e.into_inner());
        states.insert(name.to_owned(), state);
    }

    /// Builds `recipes` with their vectors on a thread of their own, one after another,
    /// loading each result into `registry` as soon as it is published. Returns at once.
    pub(crate) fn start(self: &Arc<Self>, recipes: Vec<Recipe>, registry: Arc<IndexRegistry>) {
        if recipes.is_empty() {
            return;
        }
        for recipe in &recipes {
            self.set(&recipe.options.name, VectorState::Building);
        }
        let builds = Arc::clone(self);
        let spawned = std::thread::Builder::new()
            .name("index-vectors".into())
            .spawn(move || {
                for recipe in recipes {
                    builds.build(&recipe, &registry);
                }
            });
        if let Err(error) = spawned {
            tracing::warn!(reason = %error, "index_vectors_failed");
            let mut states = self.states.lock().unwrap_or_else(|e| e.into_inner());
            states.values_mut().for_each(|s| *s = VectorState::Failed);
        }
    }

    fn build(&self, recipe: &Recipe, registry: &IndexRegistry) {
        let name = &recipe.options.name;
        let why = recipe.vectors_wanted().unwrap_or_default();
        tracing::info!(index = %name, reason = %why, "index_vectors_started");
        match build_index(&recipe.options, &mut Logged::new(name)) {
            Ok(summary) => {
                let (embedded, reused) = summary
                    .manifest
                    .vectors
                    .as_ref()
                    .map_or((0, 0), |v| (v.embedded, v.reused));
                // Loaded now rather than on the next search, so /health says ready at once.
                registry.scan();
                let loaded = registry.refresh_now(name);
                let state = match &loaded {
                    Ok(index) if index.dense().is_some() => VectorState::Ready,
                    _ => VectorState::Failed,
                };
                self.set(name, state);
                match loaded {
                    Ok(_) if state == VectorState::Ready => tracing::info!(
                        index = %name,
                        embedded,
                        reused,
                        elapsed_ms = summary.elapsed.as_millis() as u64,
                        "index_vectors_ready"
                    ),
                    Ok(_) => {
                        tracing::warn!(index = %name, reason = "the index loaded without its vectors", "index_vectors_failed")
                    }
                    Err(error) => {
                        tracing::warn!(index = %name, reason = %error, "index_vectors_failed")
                    }
                }
            }
            Err(error) => {
                self.set(name, VectorState::Failed);
                tracing::warn!(index = %name, reason = %error, "index_vectors_failed");
            }
        }
    }
}
