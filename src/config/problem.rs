//! Configuration problems: each one names the environment variable and, when the value came from
//! a file, the file and its key, so the operator knows exactly what to fix.

use std::fmt;
use std::path::{Path, PathBuf};

use super::keys::Key;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigProblem {
    /// `SWML_RATE_LIMIT (security.rate_limit in ./swml-server.toml)`, or just the file.
    pub subject: String,
    pub message: String,
}

impl ConfigProblem {
    /// A problem with the value of `key` read from `source`.
    pub fn value(key: &Key, source: &Source, message: impl Into<String>) -> ConfigProblem {
        let env = key.env.unwrap_or(key.file_key);
        let subject = match source {
            Source::File(path) => format!("{env} ({} in {})", key.file_key, path.display()),
            Source::Flag(flag) => format!("{flag} ({env})"),
            Source::Env | Source::Default => env.to_string(),
        };
        ConfigProblem {
            subject,
            message: message.into(),
        }
    }

    /// A problem with a value of `key` found in the file at `path`.
    pub fn in_file(key: &Key, path: &Path, message: impl Into<String>) -> ConfigProblem {
        ConfigProblem::value(key, &Source::File(path.to_path_buf()), message)
    }

    /// A problem with the file as a whole (unreadable, malformed, unknown key).
    pub fn file(path: &Path, message: impl Into<String>) -> ConfigProblem {
        ConfigProblem {
            subject: format!("config file {}", path.display()),
            message: message.into(),
        }
    }
}

impl fmt::Display for ConfigProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.subject, self.message)
    }
}

/// Every problem found while loading settings; startup prints them all and exits 2.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct ConfigError {
    pub problems: Vec<ConfigProblem>,
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "invalid configuration ({} problem(s)):",
            self.problems.len()
        )?;
        for problem in &self.problems {
            writeln!(f, "  - {problem}")?;
        }
        Ok(())
    }
}

/// Where a value came from, for error messages and `check-config`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    Default,
    File(PathBuf),
    Env,
    Flag(&'static str),
}

impl fmt::Display for Source {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Source::Default => f.write_str("default"),
            Source::File(path) => write!(f, "file {}", path.display()),
            Source::Env => f.write_str("environment"),
            Source::Flag(flag) => write!(f, "flag {flag}"),
        }
    }
}
