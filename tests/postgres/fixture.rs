//! `TestIndex`: one small corpus served by a real server, from a tantivy index or from a
//! PostgreSQL collection holding the same chunks, so the API cases run unchanged against both.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use swml_server::test_support::{
    Application, BuildOptions, Connections, DEFAULT_MODEL_DIR, EmbeddingOptions, RouteMount,
    SearchService, Secret, Settings, ShutdownHandle, Silent, Sources, Strategy, build_index,
    export, runtime, store,
};

use crate::cluster::Cluster;

pub(crate) const USER: &str = "signalwire";
pub(crate) const PASSWORD: &str = "test-password";

/// The corpus, pre-chunked: (file, section, tag, content). Words to search by, a paraphrase
/// for the vectors, and one tag per folder.
pub(crate) const CORPUS: &[(&str, &str, &str, &str)] = &[
    (
        "install/linux",
        "Install",
        "install",
        "Installing the server takes one command on Linux machines.",
    ),
    (
        "install/linux",
        "Install > Upgrades",
        "install",
        "Upgrading keeps your agents and indexes in place.",
    ),
    (
        "install/docker",
        "Containers",
        "install",
        "The container image runs the server as an unprivileged user.",
    ),
    (
        "calls/flow",
        "Calls",
        "calls",
        "The platform fetches the SWML document, then calls tools back during the call.",
    ),
    (
        "calls/flow",
        "Calls > Transfers",
        "calls",
        "A call can be transferred to a phone number or a SIP address.",
    ),
    (
        "billing/pricing",
        "Pricing",
        "billing",
        "Each minute of a voice call is billed; prices depend on the destination country.",
    ),
];

/// Which backend a [`TestIndex`] serves from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Backend {
    Tantivy,
    Postgres,
}

/// A running server whose index `kb` holds [`CORPUS`].
pub(crate) struct TestIndex {
    pub(crate) backend: Backend,
    pub(crate) address: String,
    /// Held for the test's length: the server, the database and the files.
    _shutdown: ShutdownHandle,
    /// The service the server mounts, for in-process callers (the agents' search skill).
    pub(crate) service: SearchService,
    _cluster: Option<Cluster>,
    _dir: tempfile::TempDir,
}

/// Builds the corpus into `<dir>/indexes/kb` (with vectors).
pub(crate) fn build_corpus(dir: &Path) -> PathBuf {
    let sources = dir.join("corpus");
    let mut files: std::collections::BTreeMap<&str, Vec<serde_json::Value>> = Default::default();
    for (file, section, tag, content) in CORPUS {
        files.entry(file).or_default().push(serde_json::json!({
            "content": content, "section": section, "tags": [tag]
        }));
    }
    for (file, chunks) in files {
        let path = sources.join(format!("{file}.json"));
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, serde_json::json!({ "chunks": chunks }).to_string()).unwrap();
    }
    let output = dir.join("indexes/kb");
    let mut options = BuildOptions::new("kb", vec![sources], output.clone());
    options.chunking.strategy = Strategy::Json;
    options.embeddings = Some(EmbeddingOptions::new(DEFAULT_MODEL_DIR));
    build_index(&options, &mut Silent).unwrap();
    output
}

/// Copies the tantivy index in `index_dir` into `collection`, as `index migrate` does.
pub(crate) fn copy_to_collection(index_dir: &Path, url: &str, collection: &str) {
    let embedder = EmbeddingOptions::new(DEFAULT_MODEL_DIR).load().unwrap();
    let rows = export::rows_of_index(index_dir, &embedder).unwrap();
    write_rows(url, collection, rows);
}

/// Writes `rows` as collection `collection`.
pub(crate) fn write_rows(url: &str, collection: &str, rows: Vec<store::ChunkRow>) {
    let connections = Connections::new(&Secret::new(url), &Default::default()).unwrap();
    let name = collection.to_owned();
    runtime::block_on(async move {
        store::write_collection(&connections, &name, &rows, "markdown").await
    })
    .unwrap();
}

/// Settings from a config file text and variables (tables such as `[search.indexes]` come only
/// from a file).
pub(crate) fn settings(dir: &Path, file: &str, vars: &[(&str, &str)]) -> Settings {
    let path = dir.join("swml.toml");
    std::fs::write(&path, file).unwrap();
    let indexes = dir.join("indexes").display().to_string();
    let mut all: Vec<(String, String)> = vec![
        ("HOST".into(), "127.0.0.1".into()),
        ("PORT".into(), "0".into()),
        ("SWML_BASIC_AUTH_USER".into(), USER.into()),
        ("SWML_BASIC_AUTH_PASSWORD".into(), PASSWORD.into()),
        ("SWML_RATE_LIMIT".into(), "0".into()),
        ("SWML_WORKERS".into(), "2".into()),
        ("SWML_DRAIN_DELAY".into(), "0".into()),
        ("SWML_SEARCH_INDEXES_DIR".into(), indexes),
    ];
    all.extend(vars.iter().map(|(k, v)| (k.to_string(), v.to_string())));
    let mut sources = Sources::from_env(all);
    sources.config_flag = Some(path);
    Settings::load(&sources).expect("test settings are valid")
}

/// Starts a server with the search service and waits until `/ready` answers 200.
pub(crate) async fn spawn(settings: Settings) -> (String, ShutdownHandle, SearchService) {
    let service = SearchService::new(&settings.search).unwrap();
    let mounts: Vec<Arc<dyn RouteMount>> = vec![Arc::new(service.clone())];
    let app = Application::build(settings, mounts).expect("server starts");
    let address = format!("http://127.0.0.1:{}", app.port());
    let shutdown = app.shutdown_handle();
    actix_web::rt::spawn(async move {
        let _ = app.run_until_stopped().await;
    });
    for _ in 0..500 {
        if let Ok(res) = client().get(format!("{address}/ready")).send().await
            && res.status() == 200
        {
            return (address, shutdown, service);
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    panic!("server never became ready");
}

pub(crate) fn client() -> reqwest::Client {
    reqwest::Client::builder().no_proxy().build().unwrap()
}

/// The Postgres index entry of a config file.
pub(crate) fn postgres_entry(name: &str, url: &str, collection: &str) -> String {
    format!(
        "[search.indexes.{name}]\nbackend = \"postgres\"\nurl = \"{url}\"\ncollection = \"{collection}\"\n"
    )
}

impl TestIndex {
    /// The corpus served by `backend`, or `None` after a loud skip (no PostgreSQL).
    pub(crate) async fn start(backend: Backend, test: &str) -> Option<TestIndex> {
        let dir = tempfile::tempdir().unwrap();
        let index_dir = build_corpus(dir.path());
        let (file, cluster) = match backend {
            Backend::Tantivy => (
                format!("[search.indexes]\nkb = \"{}\"\n", index_dir.display()),
                None,
            ),
            Backend::Postgres => {
                let cluster = crate::cluster_or_skip(test)?;
                copy_to_collection(&index_dir, &cluster.url(), "kb_chunks");
                std::fs::remove_dir_all(&index_dir).unwrap();
                (
                    postgres_entry("kb", &cluster.url(), "kb_chunks"),
                    Some(cluster),
                )
            }
        };
        let settings = settings(dir.path(), &file, &[]);
        let (address, shutdown, service) = spawn(settings).await;
        Some(TestIndex {
            backend,
            address,
            _shutdown: shutdown,
            service,
            _cluster: cluster,
            _dir: dir,
        })
    }

    pub(crate) fn url(&self, path: &str) -> String {
        format!("{}{path}", self.address)
    }

    /// `POST /search` with credentials: status, headers and JSON body.
    pub(crate) async fn search(&self, body: serde_json::Value) -> Reply {
        let res = client()
            .post(self.url("/search"))
            .basic_auth(USER, Some(PASSWORD))
            .json(&body)
            .send()
            .await
            .unwrap();
        Reply::read(res).await
    }

    /// `GET path` with credentials.
    pub(crate) async fn get(&self, path: &str) -> Reply {
        let res = client()
            .get(self.url(path))
            .basic_auth(USER, Some(PASSWORD))
            .send()
            .await
            .unwrap();
        Reply::read(res).await
    }
}

/// An answer, read whole.
pub(crate) struct Reply {
    pub(crate) status: u16,
    pub(crate) body: serde_json::Value,
}

impl Reply {
    async fn read(res: reqwest::Response) -> Reply {
        let status = res.status().as_u16();
        let bytes = res.bytes().await.unwrap();
        let body = serde_json::from_slice(&bytes).unwrap_or(serde_json::Value::Null);
        Reply { status, body }
    }

    /// The results' file names, in order.
    pub(crate) fn filenames(&self) -> Vec<String> {
        self.results()
            .iter()
            .map(|r| r["metadata"]["filename"].as_str().unwrap().to_owned())
            .collect()
    }

    pub(crate) fn results(&self) -> Vec<serde_json::Value> {
        self.body["results"].as_array().cloned().unwrap_or_default()
    }
}
