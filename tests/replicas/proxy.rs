//! HAProxy in front of the replicas, as docs/DEPLOY.md configures it: health checks on
//! `GET /ready` every 100 ms, `retry-on conn-failure` with redispatch to the other replica,
//! `X-Forwarded-For` appended, the public `Host` and scheme passed on. Two test-only additions:
//! the response names the replica that served it (`X-Served-By`), and a request may ask for one
//! replica with `X-Replica: a` (or `b`) while that replica is up. The statistics page gives the
//! proxy's own count of retries.

use std::path::{Path, PathBuf};
use std::process::{Child, Command};
use std::time::{Duration, Instant};

use crate::cluster::PROXY_ADDRESS;

/// How often HAProxy asks each replica `GET /ready`.
pub(crate) const CHECK_INTERVAL: Duration = Duration::from_millis(100);
/// Failed checks in a row before a replica leaves the pool (and passed ones before it rejoins).
const CHECKS_TO_CHANGE: u32 = 2;

/// HAProxy's path, or `None` after the loud skip (a panic under `SWML_TEST_REQUIRE_EXTERNAL=1`).
/// Looked for on `PATH`, then where Debian installs it (`/usr/sbin`, often not on a user's
/// `PATH`).
pub(crate) fn haproxy_binary() -> Option<PathBuf> {
    let path = std::env::var_os("PATH").unwrap_or_default();
    let found = std::env::split_paths(&path)
        .chain([PathBuf::from("/usr/sbin")])
        .map(|dir| dir.join("haproxy"))
        .find(|candidate| candidate.is_file());
    if found.is_none() {
        let test = std::thread::current()
            .name()
            .unwrap_or("replicas")
            .to_string();
        crate::skip::skip_or_fail(
            &test,
            "haproxy is not on PATH (apt-get install -y --no-install-recommends haproxy)",
        );
    }
    found
}

pub(crate) struct Proxy {
    /// The public port clients connect to.
    pub port: u16,
    stats_port: u16,
    child: Child,
    log: PathBuf,
}

impl Proxy {
    /// Writes the configuration for replicas `a` and `b` on `ports` and starts HAProxy in the
    /// foreground.
    pub(crate) fn start(haproxy: &Path, dir: &Path, ports: [u16; 2]) -> Proxy {
        let port = free_port();
        let stats_port = free_port();
        let config = dir.join("haproxy.cfg");
        std::fs::write(&config, configuration(port, stats_port, ports)).unwrap();
        let log = dir.join("haproxy.log");
        let child = Command::new(haproxy)
            .arg("-db")
            .arg("-f")
            .arg(&config)
            .stdout(std::fs::File::create(&log).unwrap())
            .stderr(std::fs::File::create(log.with_extension("err")).unwrap())
            .spawn()
            .unwrap();
        Proxy {
            port,
            stats_port,
            child,
            log,
        }
    }

    /// Waits until HAProxy's checks have found both replicas ready.
    pub(crate) fn wait_until_both_up(&self) {
        let deadline = Instant::now() + Duration::from_secs(20);
        while Instant::now() < deadline {
            if self.server_states().is_some_and(|states| {
                states.len() == 2 && states.iter().all(|(_, state)| state == "UP")
            }) {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        panic!(
            "HAProxy never saw both replicas up: {:?}\n{}",
            self.server_states(),
            self.log()
        );
    }

    /// `(replica, state)` of each server of the pool as HAProxy sees it (`UP`, `DOWN`, ...).
    pub(crate) fn server_states(&self) -> Option<Vec<(String, String)>> {
        let rows = self.stats()?;
        Some(
            rows.iter()
                .filter(|row| row["pxname"] == "replicas" && !row["svname"].ends_with("END"))
                .filter(|row| row["svname"] != "FRONTEND")
                .map(|row| (row["svname"].clone(), row["status"].clone()))
                .collect(),
        )
    }

    /// HAProxy's count of retried connections to the pool (`wretr` of the backend).
    pub(crate) fn retries(&self) -> u64 {
        self.backend_counter("wretr")
    }

    /// HAProxy's count of requests sent to the other replica after a failure (`wredis`).
    pub(crate) fn redispatches(&self) -> u64 {
        self.backend_counter("wredis")
    }

    fn backend_counter(&self, column: &str) -> u64 {
        let rows = self.stats().expect("HAProxy's statistics page answers");
        rows.iter()
            .find(|row| row["pxname"] == "replicas" && row["svname"] == "BACKEND")
            .and_then(|row| row[column].parse().ok())
            .unwrap_or(0)
    }

    /// The statistics page in CSV, one map of column to value per row.
    fn stats(&self) -> Option<Vec<std::collections::HashMap<String, String>>> {
        let url = format!("http://127.0.0.1:{}/stats;csv", self.stats_port);
        let client = reqwest::blocking::Client::builder()
            .no_proxy()
            .timeout(Duration::from_secs(5))
            .build()
            .ok()?;
        let text = client.get(url).send().ok()?.text().ok()?;
        let mut lines = text.lines();
        let header = lines.next()?.trim_start_matches("# ");
        let columns: Vec<&str> = header.split(',').collect();
        Some(
            lines
                .map(|line| {
                    columns
                        .iter()
                        .zip(line.split(','))
                        .map(|(k, v)| (k.to_string(), v.to_string()))
                        .collect()
                })
                .collect(),
        )
    }

    pub(crate) fn log(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
            + &std::fs::read_to_string(self.log.with_extension("err")).unwrap_or_default()
    }
}

impl Drop for Proxy {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The HAProxy configuration: the one docs/DEPLOY.md shows, plus the test-only lines named in
/// this module's header.
fn configuration(port: u16, stats_port: u16, [a, b]: [u16; 2]) -> String {
    let inter = CHECK_INTERVAL.as_millis();
    let n = CHECKS_TO_CHANGE;
    format!(
        "global
    maxconn 512

defaults
    mode http
    timeout connect 1s
    timeout client 10s
    timeout server 10s
    timeout http-request 5s
    retries 3
    retry-on conn-failure empty-response
    option redispatch 1

frontend public
    bind 127.0.0.1:{port}
    option forwardfor
    http-request set-header X-Forwarded-Proto https if {{ ssl_fc }}
    http-request set-header X-Forwarded-Proto http if !{{ ssl_fc }}
    http-request set-header X-Forwarded-Host %[req.hdr(host)]
    http-response set-header X-Served-By %[srv_name]
    default_backend replicas

backend replicas
    balance roundrobin
    option httpchk GET /ready HTTP/1.1
    http-check send hdr Host localhost
    http-check expect status 200
    default-server inter {inter}ms fall {n} rise {n}
    use-server a if {{ req.hdr(x-replica) -m str a }}
    use-server b if {{ req.hdr(x-replica) -m str b }}
    source {PROXY_ADDRESS}
    server a 127.0.0.1:{a} check
    server b 127.0.0.1:{b} check

frontend stats
    bind 127.0.0.1:{stats_port}
    stats enable
    stats uri /stats
"
    )
}

/// A port nothing listens on right now (HAProxy cannot report one it chose).
fn free_port() -> u16 {
    let probe = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    probe.local_addr().unwrap().port()
}
