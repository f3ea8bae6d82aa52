//! Two replicas of the real binary (the debug build cargo made for this test) on 127.0.0.1, each
//! on a port of its own choosing (`PORT=0`, read back from its `starting_server` log line),
//! sharing one index folder, one set of credentials, one signing key and one SWAIG secret, behind
//! one HAProxy. Every process is killed and every file removed when the [`Cluster`] is dropped.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::client::PUBLIC_HOST;
use crate::proxy::Proxy;

const BIN: &str = env!("CARGO_BIN_EXE_swml-server");

pub(crate) const USER: &str = "platform";
pub(crate) const PASSWORD: &str = "replica-suite-password";
/// `SIGNALWIRE_SIGNING_KEY`: the key the platform signs webhooks with.
pub(crate) const SIGNING_KEY: &str = "replica-suite-signing-key";
/// `SIGNALWIRE_SWAIG_SECRET`: the secret both replicas mint and check tool tokens with.
const SWAIG_SECRET: &str = "replica-suite-swaig-secret";
/// The address HAProxy connects to the replicas from: the only trusted proxy. The clients use
/// 127.0.0.2 and up, so none of them is mistaken for the proxy.
pub(crate) const PROXY_ADDRESS: &str = "127.0.0.1";

/// The pages of the shared `docs` index, one per topic.
pub(crate) const TOPICS: [&str; 4] = ["billing", "routing", "voicemail", "queues"];

/// What differs between the tests: extra settings and extra `[search.indexes]` entries (another
/// backend's collection joins the shared folder's `docs` index this way).
pub(crate) struct ClusterSpec {
    settings: Vec<(String, String)>,
    index_entries: Vec<(String, String)>,
}

impl ClusterSpec {
    pub(crate) fn new() -> ClusterSpec {
        ClusterSpec {
            settings: Vec::new(),
            index_entries: Vec::new(),
        }
        .index_entry("docs", "\"indexes/docs\"")
    }

    /// One more setting for both replicas (an environment variable).
    pub(crate) fn setting(mut self, name: &str, value: impl ToString) -> ClusterSpec {
        self.settings.push((name.to_string(), value.to_string()));
        self
    }

    /// One more entry of `[search.indexes]`, `name = <value>` with the value as TOML text (a
    /// folder path is relative to the replicas' working directory, the shared temp dir).
    pub(crate) fn index_entry(mut self, name: &str, toml_value: &str) -> ClusterSpec {
        self.index_entries
            .push((name.to_string(), toml_value.to_string()));
        self
    }

    /// Builds the shared index, starts both replicas and the proxy in front of them; `None`
    /// (after the loud skip) when HAProxy is not installed.
    pub(crate) fn start(self) -> Option<Cluster> {
        let haproxy = crate::proxy::haproxy_binary()?;
        let dir = tempfile::tempdir().unwrap();
        build_index(dir.path(), &[]);
        // The replicas run in `dir`; the embedding model is found relative to it.
        let models = Path::new(env!("CARGO_MANIFEST_DIR")).join("models");
        std::os::unix::fs::symlink(models, dir.path().join("models")).unwrap();
        let config = dir.path().join("swml-server.toml");
        std::fs::write(&config, self.config_file()).unwrap();
        let replicas = ["a", "b"].map(|name| Replica::start(dir.path(), name, &self.settings));
        let ports = [replicas[0].port, replicas[1].port];
        let proxy = Proxy::start(&haproxy, dir.path(), ports);
        let cluster = Cluster {
            replicas,
            proxy,
            dir,
        };
        cluster.proxy.wait_until_both_up();
        Some(cluster)
    }

    fn config_file(&self) -> String {
        let mut text = String::from("[search.indexes]\n");
        for (name, value) in &self.index_entries {
            text.push_str(&format!("{name} = {value}\n"));
        }
        text
    }
}

pub(crate) struct Cluster {
    pub replicas: [Replica; 2],
    pub proxy: Proxy,
    dir: tempfile::TempDir,
}

impl Cluster {
    /// Rebuilds the shared `docs` index in place, with `extra` pages beside the usual ones.
    pub(crate) fn rebuild_index(&self, extra: &[(&str, &str)]) {
        build_index(self.dir.path(), extra);
    }

    pub(crate) fn replica(&self, name: &str) -> &Replica {
        self.replicas
            .iter()
            .find(|replica| replica.name == name)
            .unwrap()
    }

    pub(crate) fn replica_mut(&mut self, name: &str) -> &mut Replica {
        self.replicas
            .iter_mut()
            .find(|replica| replica.name == name)
            .unwrap()
    }

    /// Everything the replicas and the proxy wrote, for failure messages.
    pub(crate) fn logs(&self) -> String {
        let mut all = String::new();
        for replica in &self.replicas {
            all.push_str(&format!(
                "--- replica {}:\n{}\n",
                replica.name,
                replica.log()
            ));
        }
        all.push_str(&format!("--- haproxy:\n{}\n", self.proxy.log()));
        all
    }
}

/// One server process.
pub(crate) struct Replica {
    pub name: &'static str,
    pub port: u16,
    child: Child,
    log: PathBuf,
}

impl Replica {
    fn start(dir: &Path, name: &'static str, extra: &[(String, String)]) -> Replica {
        let log = dir.join(format!("replica-{name}.log"));
        let mut cmd = command(dir);
        cmd.env("SWML_CONFIG_FILE", dir.join("swml-server.toml"))
            .envs([
                ("HOST", "127.0.0.1"),
                ("PORT", "0"),
                ("SWML_WORKERS", "2"),
                ("SIGNALWIRE_LOG_FORMAT", "json"),
                ("SWML_BASIC_AUTH_USER", USER),
                ("SWML_BASIC_AUTH_PASSWORD", PASSWORD),
                ("SIGNALWIRE_SIGNING_KEY", SIGNING_KEY),
                ("SIGNALWIRE_SWAIG_SECRET", SWAIG_SECRET),
                // The public name, and the one HAProxy's checks send.
                ("SWML_ALLOWED_HOSTS", &format!("{PUBLIC_HOST},localhost")),
                ("SWML_TRUST_PROXY_HEADERS", "true"),
                ("SWML_TRUSTED_PROXIES", &format!("{PROXY_ADDRESS}/32")),
                ("SWML_SEARCH_REFRESH_INTERVAL_MS", "50"),
                ("SWML_DRAIN_DELAY", "1"),
                ("SWML_SHUTDOWN_GRACE", "5"),
            ])
            .envs(extra.iter().map(|(k, v)| (k.as_str(), v.as_str())))
            .stdout(std::fs::File::create(&log).unwrap())
            .stderr(std::fs::File::create(dir.join(format!("replica-{name}.err"))).unwrap());
        let child = cmd.spawn().unwrap();
        let mut replica = Replica {
            name,
            port: 0,
            child,
            log,
        };
        replica.port = replica.wait_for_port();
        replica
    }

    /// The port from the `starting_server` line (its `url` field ends with `:<port>`).
    fn wait_for_port(&mut self) -> u16 {
        let deadline = Instant::now() + Duration::from_secs(30);
        while Instant::now() < deadline {
            let port = self.log().lines().find_map(|line| {
                let event: serde_json::Value = serde_json::from_str(line).ok()?;
                (event["message"] == "starting_server").then_some(())?;
                let url = event["url"].as_str()?;
                url.rsplit(':').next()?.parse().ok()
            });
            if let Some(port) = port {
                return port;
            }
            if let Some(status) = self.child.try_wait().unwrap() {
                panic!("replica {} exited ({status}):\n{}", self.name, self.log());
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        panic!(
            "replica {} never logged starting_server:\n{}",
            self.name,
            self.log()
        );
    }

    pub(crate) fn log(&self) -> String {
        let errors = self.log.with_extension("err");
        std::fs::read_to_string(&self.log).unwrap_or_default()
            + &std::fs::read_to_string(errors).unwrap_or_default()
    }

    pub(crate) fn terminate(&self) {
        let status = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status()
            .unwrap();
        assert!(status.success(), "kill -TERM replica {}", self.name);
    }

    /// The exit code once the process has ended, `None` while it runs.
    pub(crate) fn exit_code(&mut self) -> Option<Option<i32>> {
        self.child.try_wait().unwrap().map(|status| status.code())
    }
}

impl Drop for Replica {
    fn drop(&mut self) {
        if self.child.try_wait().ok().flatten().is_none() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

/// The binary with a clean environment, its indexes under `dir/indexes`.
fn command(dir: &Path) -> Command {
    let mut cmd = Command::new(BIN);
    cmd.env_clear()
        .current_dir(dir)
        .env("SWML_SEARCH_INDEXES_DIR", dir.join("indexes"));
    cmd
}

/// Builds (or rebuilds) the `docs` index from one page per topic plus `extra` `(name, text)`
/// pages, with the binary's own `index build`.
fn build_index(dir: &Path, extra: &[(&str, &str)]) {
    let sources = dir.join("sources");
    std::fs::create_dir_all(&sources).unwrap();
    for topic in TOPICS {
        let page = format!(
            "# {topic}\n\nHow calls handle {topic}: agents, tools and documents.\n\n\
             ## Limits for {topic}\n\nRate limits and passwords apply to {topic}.\n"
        );
        std::fs::write(sources.join(format!("{topic}.md")), page).unwrap();
    }
    for (name, text) in extra {
        std::fs::write(sources.join(format!("{name}.md")), text).unwrap();
    }
    let output = command(dir)
        .args(["index", "build", "--name", "docs", "--chunking", "markdown"])
        .arg(&sources)
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "index build failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
}
