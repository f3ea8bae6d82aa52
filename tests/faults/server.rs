//! The server under test: the real binary (the debug build cargo made for this test), with every
//! layer on, a `docs` index built by the binary itself, its log written to a file.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::http::{Conn, request};

const BIN: &str = env!("CARGO_BIN_EXE_swml-server");

pub(crate) const USER: &str = "signalwire";
pub(crate) const PASSWORD: &str = "fault-suite-password";
pub(crate) const SIGNING_KEY: &str = "fault-suite-signing-key";
/// Largest body, bytes: the oversized attacks go past it, the huge tag lists stay under it.
pub(crate) const MAX_BODY: usize = 1024 * 1024;
/// `SWML_REQUEST_TIMEOUT`, seconds: how long slow clients are given.
pub(crate) const REQUEST_TIMEOUT_S: u64 = 2;
/// `SWML_RATE_LIMIT`: well above what the valid client sends in a run, far below the floods.
pub(crate) const RATE_LIMIT: u32 = 600;

pub(crate) struct Server {
    child: Child,
    pub port: u16,
    dir: tempfile::TempDir,
}

impl Server {
    /// Builds the index and starts the server; returns once `GET /ready` answers 200.
    pub(crate) fn start() -> Server {
        let dir = tempfile::tempdir().unwrap();
        let sources = write_documents(dir.path());
        let built = command(dir.path(), &[])
            .args(["index", "build", "--name", "docs", "--chunking", "markdown"])
            .arg(&sources)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .unwrap();
        assert!(built.success(), "the index builds");

        let port = free_port();
        let settings = [
            ("HOST", "127.0.0.1".to_string()),
            ("PORT", port.to_string()),
            ("SWML_BASIC_AUTH_PASSWORD", PASSWORD.to_string()),
            ("SIGNALWIRE_SIGNING_KEY", SIGNING_KEY.to_string()),
            (
                "SIGNALWIRE_SWAIG_SECRET",
                "fault-suite-swaig-secret".to_string(),
            ),
            ("SWML_RATE_LIMIT", RATE_LIMIT.to_string()),
            ("SWML_MAX_REQUEST_SIZE", MAX_BODY.to_string()),
            ("SWML_REQUEST_TIMEOUT", REQUEST_TIMEOUT_S.to_string()),
            ("SWML_DRAIN_DELAY", "0".to_string()),
            ("SWML_SHUTDOWN_GRACE", "2".to_string()),
            // The answer cache may hold 8 MiB by design; 1 MiB keeps what it holds from hiding
            // a leak of the same size in the memory check.
            ("SWML_SEARCH_ANSWER_CACHE_BYTES", (1 << 20).to_string()),
        ];
        let vars: Vec<(&str, &str)> = settings.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let child = command(dir.path(), &vars)
            .stdout(std::fs::File::create(dir.path().join("stdout.log")).unwrap())
            .stderr(std::fs::File::create(dir.path().join("stderr.log")).unwrap())
            .spawn()
            .unwrap();
        let server = Server { child, port, dir };
        server.wait_ready();
        server
    }

    fn wait_ready(&self) {
        let deadline = Instant::now() + Duration::from_secs(60);
        let probe = request(self.port, "GET", "/ready", &[], b"");
        while Instant::now() < deadline {
            let answer = Conn::open([127, 0, 0, 1].into(), self.port, Duration::from_secs(2))
                .ok()
                .and_then(|mut conn| conn.send(&probe).ok());
            if answer.is_some_and(|res| res.status == 200) {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        panic!("the server was not ready within 60 s: {}", self.log());
    }

    /// The server's resident memory (`VmRSS`), bytes.
    pub(crate) fn rss(&self) -> u64 {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id())).unwrap();
        let kib: u64 = status
            .lines()
            .find_map(|line| line.strip_prefix("VmRSS:"))
            .and_then(|rest| rest.trim().trim_end_matches("kB").trim().parse().ok())
            .expect("VmRSS in /proc/<pid>/status");
        kib * 1024
    }

    /// Everything the server wrote, log and standard error.
    pub(crate) fn log(&self) -> String {
        let read =
            |name: &str| std::fs::read_to_string(self.dir.path().join(name)).unwrap_or_default();
        read("stdout.log") + &read("stderr.log")
    }

    /// SIGTERM, then the exit status (`None` if it had to be killed).
    pub(crate) fn stop(&mut self) -> Option<i32> {
        Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status()
            .unwrap();
        let deadline = Instant::now() + Duration::from_secs(15);
        while Instant::now() < deadline {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status.code();
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
        None
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if self.child.try_wait().ok().flatten().is_none() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

/// The binary with a clean environment, its indexes under `dir`.
fn command(dir: &Path, vars: &[(&str, &str)]) -> Command {
    let mut cmd = Command::new(BIN);
    cmd.env_clear()
        .current_dir(dir)
        .env("SWML_SEARCH_INDEXES_DIR", dir.join("indexes"));
    cmd.envs(vars.iter().copied());
    cmd
}

/// The pages of the test index, one per topic; the valid client's questions name them.
pub(crate) const TOPICS: [&str; 6] = [
    "billing",
    "routing",
    "voicemail",
    "recording",
    "transfers",
    "queues",
];

/// A few Markdown pages for the `docs` index the `assistant` agent searches.
fn write_documents(dir: &Path) -> PathBuf {
    let sources = dir.join("sources");
    std::fs::create_dir_all(&sources).unwrap();
    for (n, topic) in TOPICS.iter().enumerate() {
        let page = format!(
            "# {topic}\n\nHow calls handle {topic}: agents, tools and documents.\n\n\
             ## Limits for {topic}\n\nRate limits, passwords and tags apply to {topic} \
             number {n}.\n\n## Examples\n\nA caller asks about {topic} and the agent searches.\n"
        );
        std::fs::write(sources.join(format!("{topic}.md")), page).unwrap();
    }
    sources
}

/// A port nothing listens on right now.
fn free_port() -> u16 {
    let probe = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    probe.local_addr().unwrap().port()
}
