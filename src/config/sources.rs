//! Reading raw values from the four sources (defaults, config file, environment, flags) and
//! layering them, highest priority last. Nothing is typed here: `parse.rs` does that.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use serde_json::Value;

use super::keys::{self, KEYS, Kind};
use super::problem::ConfigProblem;
pub(crate) use super::problem::Source;

/// A value before typing: text from the environment, flags and defaults; any JSON shape from a
/// file.
#[derive(Debug, Clone)]
pub(super) struct RawSetting {
    pub key: &'static keys::Key,
    pub value: Value,
    pub source: Source,
}

/// Command-line flags that override every other source.
#[derive(Debug, Clone, Default)]
pub struct FlagOverrides {
    pub host: Option<String>,
    pub port: Option<String>,
}

/// Everything settings are read from. Tests build one from a map; `main` from the process.
#[derive(Debug, Clone, Default)]
pub struct Sources {
    /// The environment variables, as a map so tests never touch the process environment.
    pub env: HashMap<String, String>,
    /// `--config PATH`; else `SWML_CONFIG_FILE` from `env`; else `default_file` if it exists.
    pub config_flag: Option<PathBuf>,
    /// The file looked for when nothing names one (`swml-server.toml` in the working directory).
    pub default_file: Option<PathBuf>,
    pub flags: FlagOverrides,
}

impl Sources {
    /// Sources made of environment variables only, no file: what most tests need.
    pub fn from_env<I, K, V>(vars: I) -> Sources
    where
        I: IntoIterator<Item = (K, V)>,
        K: Into<String>,
        V: Into<String>,
    {
        Sources {
            env: vars
                .into_iter()
                .map(|(k, v)| (k.into(), v.into()))
                .collect(),
            ..Sources::default()
        }
    }

    /// The config file to read, if any, in the README's order: `--config`, else
    /// `SWML_CONFIG_FILE`, else the default file when it exists.
    pub fn config_file(&self) -> Option<PathBuf> {
        if let Some(path) = &self.config_flag {
            return Some(path.clone());
        }
        if let Some(path) = self.env.get("SWML_CONFIG_FILE").filter(|p| !p.is_empty()) {
            return Some(PathBuf::from(path));
        }
        self.default_file.clone().filter(|path| path.is_file())
    }
}

/// Layers defaults < file < env < flags into one raw value per key.
pub(super) fn layer(
    sources: &Sources,
) -> Result<HashMap<&'static str, RawSetting>, Vec<ConfigProblem>> {
    let mut problems = Vec::new();
    let mut raw: HashMap<&'static str, RawSetting> = HashMap::new();
    let mut put = |key: &'static keys::Key, value: Value, source: Source| {
        raw.insert(key.file_key, RawSetting { key, value, source });
    };

    for key in KEYS {
        if let Some(default) = key.default {
            put(key, Value::String(default.into()), Source::Default);
        }
    }
    if let Some(path) = sources.config_file() {
        match read_file(&path, &sources.env) {
            Ok(values) => {
                for (key, value) in values {
                    put(key, value, Source::File(path.clone()));
                }
            }
            Err(mut file_problems) => problems.append(&mut file_problems),
        }
    }
    for key in KEYS {
        if let Some(value) = key.env.and_then(|name| sources.env.get(name)) {
            put(key, Value::String(value.clone()), Source::Env);
        }
    }
    let flags = [
        ("server.host", "--host", &sources.flags.host),
        ("server.port", "--port", &sources.flags.port),
    ];
    for (file_key, flag, value) in flags {
        if let (Some(value), Some(key)) = (value, keys::by_file_key(file_key)) {
            put(key, Value::String(value.clone()), Source::Flag(flag));
        }
    }

    if problems.is_empty() {
        Ok(raw)
    } else {
        Err(problems)
    }
}

/// Reads a TOML, JSON or YAML file (by extension) with the `config` crate, then flattens it into
/// known keys with `${VAR|default}` substituted in its strings.
fn read_file(
    path: &Path,
    env: &HashMap<String, String>,
) -> Result<Vec<(&'static keys::Key, Value)>, Vec<ConfigProblem>> {
    let file_problem = |message: String| vec![ConfigProblem::file(path, message)];
    let format = match path.extension().and_then(|e| e.to_str()) {
        Some("toml") => config::FileFormat::Toml,
        Some("json") => config::FileFormat::Json,
        Some("yaml" | "yml") => config::FileFormat::Yaml,
        _ => {
            return Err(file_problem(
                "config file must end in .toml, .json, .yaml or .yml".into(),
            ));
        }
    };
    if !path.is_file() {
        return Err(file_problem("config file not found".into()));
    }
    let tree: Value = config::Config::builder()
        .add_source(config::File::from(path).format(format))
        .build()
        .and_then(|c| c.try_deserialize())
        .map_err(|e| file_problem(format!("cannot read config file: {e}")))?;

    let mut problems = Vec::new();
    let mut values = Vec::new();
    flatten(
        "",
        &tree,
        &mut |dotted, value| match keys::by_file_key(dotted) {
            Some(key) => match substitute_value(value, env) {
                Ok(value) => values.push((key, value)),
                Err(message) => problems.push(ConfigProblem::in_file(key, path, message)),
            },
            None => problems.push(ConfigProblem::file(path, format!("unknown key `{dotted}`"))),
        },
    );
    if problems.is_empty() {
        Ok(values)
    } else {
        Err(problems)
    }
}

/// Walks nested tables down to known keys; a table that is itself a known key (`search.indexes`)
/// is kept whole.
fn flatten(prefix: &str, value: &Value, visit: &mut impl FnMut(&str, &Value)) {
    match value {
        Value::Object(map) => {
            for (name, child) in map {
                let dotted = if prefix.is_empty() {
                    name.clone()
                } else {
                    format!("{prefix}.{name}")
                };
                let is_table_key =
                    keys::by_file_key(&dotted).is_some_and(|k| k.kind == Kind::Table);
                if child.is_object() && !is_table_key {
                    flatten(&dotted, child, visit);
                } else {
                    visit(&dotted, child);
                }
            }
        }
        other => visit(prefix, other),
    }
}

fn substitute_value(value: &Value, env: &HashMap<String, String>) -> Result<Value, String> {
    Ok(match value {
        Value::String(text) => Value::String(substitute(text, env)?),
        Value::Array(items) => Value::Array(
            items
                .iter()
                .map(|item| substitute_value(item, env))
                .collect::<Result<_, _>>()?,
        ),
        Value::Object(map) => Value::Object(
            map.iter()
                .map(|(k, v)| Ok((k.clone(), substitute_value(v, env)?)))
                .collect::<Result<_, String>>()?,
        ),
        other => other.clone(),
    })
}

/// Replaces `${VAR}` and `${VAR|default}` with the variable's value. An unset variable without a
/// default is an error: a file that expects a secret from the environment must not start with an
/// empty one.
pub(super) fn substitute(text: &str, env: &HashMap<String, String>) -> Result<String, String> {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find("${") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        let end = after
            .find('}')
            .ok_or_else(|| format!("unclosed `${{` in {text:?}"))?;
        let inner = &after[..end];
        let (name, default) = match inner.split_once('|') {
            Some((name, default)) => (name.trim(), Some(default)),
            None => (inner.trim(), None),
        };
        if name.is_empty() {
            return Err("empty variable name in `${}`".into());
        }
        match (env.get(name), default) {
            (Some(value), _) => out.push_str(value),
            (None, Some(default)) => out.push_str(default),
            (None, None) => {
                return Err(format!("variable {name} is not set and has no default"));
            }
        }
        rest = &after[end + 1..];
    }
    out.push_str(rest);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(pairs: &[(&str, &str)]) -> HashMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn substitution_uses_the_variable_then_the_default() {
        let vars = env(&[("NAME", "x")]);
        assert_eq!(substitute("a${NAME}b", &vars).unwrap(), "axb");
        assert_eq!(
            substitute("${MISSING|fallback}", &vars).unwrap(),
            "fallback"
        );
        assert_eq!(substitute("${MISSING|}", &vars).unwrap(), "");
        assert_eq!(substitute("plain", &vars).unwrap(), "plain");
    }

    #[test]
    fn substitution_refuses_an_unset_variable_without_default() {
        let err = substitute("${NOPE}", &env(&[])).unwrap_err();
        assert!(err.contains("NOPE"), "{err}");
        assert!(substitute("${OPEN", &env(&[])).is_err());
    }

    #[test]
    fn the_flag_names_the_file_before_the_environment() {
        let mut sources = Sources::from_env([("SWML_CONFIG_FILE", "from-env.toml")]);
        assert_eq!(sources.config_file(), Some(PathBuf::from("from-env.toml")));
        sources.config_flag = Some(PathBuf::from("flag.toml"));
        assert_eq!(sources.config_file(), Some(PathBuf::from("flag.toml")));
    }
}
