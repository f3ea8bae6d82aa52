//! Reading the deployment files under `deploy/`: the Dockerfile's instructions, the YAML
//! documents, the env file, and what each says about settings and paths.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use yaml_rust2::{Yaml, YamlLoader};

/// The repository root (where Cargo.toml is).
pub(crate) fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub(crate) fn deploy() -> PathBuf {
    repo().join("deploy")
}

pub(crate) fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Every YAML document in `path`.
pub(crate) fn yaml(path: &Path) -> Vec<Yaml> {
    YamlLoader::load_from_str(&read(path)).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The files under deploy/kubernetes.
pub(crate) fn manifest_paths() -> Vec<PathBuf> {
    let mut files: Vec<_> = std::fs::read_dir(deploy().join("kubernetes"))
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "yaml"))
        .collect();
    files.sort();
    files
}

/// Every Kubernetes manifest under deploy/kubernetes, with its file name.
pub(crate) fn manifests() -> Vec<(String, Yaml)> {
    manifest_paths()
        .iter()
        .flat_map(|path| {
            let name = path.file_name().unwrap().to_string_lossy().to_string();
            yaml(path).into_iter().map(move |doc| (name.clone(), doc))
        })
        .collect()
}

/// The manifest of `kind`.
pub(crate) fn manifest(kind: &str) -> Yaml {
    manifests()
        .into_iter()
        .map(|(_, doc)| doc)
        .find(|doc| doc["kind"].as_str() == Some(kind))
        .unwrap_or_else(|| panic!("no {kind} under deploy/kubernetes"))
}

/// The keys of a YAML mapping (none when it is not one).
pub(crate) fn keys(map: &Yaml) -> Vec<String> {
    map.as_hash()
        .map(|hash| {
            hash.keys()
                .filter_map(|k| k.as_str())
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default()
}

pub(crate) fn items(list: &Yaml) -> &[Yaml] {
    list.as_vec().map(Vec::as_slice).unwrap_or_default()
}

/// One Dockerfile instruction: its keyword (upper case) and its arguments, continuation lines
/// joined, comments dropped.
#[derive(Debug)]
pub(crate) struct Instruction {
    pub keyword: String,
    pub args: String,
}

pub(crate) fn dockerfile() -> Vec<Instruction> {
    let text = read(&deploy().join("Dockerfile"));
    let mut instructions = Vec::new();
    let mut current = String::new();
    for line in text.lines() {
        let trimmed = line.trim();
        if trimmed.starts_with('#') || (trimmed.is_empty() && current.is_empty()) {
            continue;
        }
        match trimmed.strip_suffix('\\') {
            Some(part) => {
                current.push_str(part);
                current.push(' ');
            }
            None => {
                current.push_str(trimmed);
                let (keyword, args) = current.split_once(' ').unwrap_or((&current, ""));
                instructions.push(Instruction {
                    keyword: keyword.to_ascii_uppercase(),
                    args: args.trim().to_string(),
                });
                current.clear();
            }
        }
    }
    instructions
}

/// `NAME=value` pairs of an `ENV` instruction (the `NAME=value` form only).
pub(crate) fn env_pairs(args: &str) -> Vec<(String, String)> {
    args.split_whitespace()
        .map(|pair| {
            let (name, value) = pair
                .split_once('=')
                .unwrap_or_else(|| panic!("ENV {args}: use NAME=value"));
            (name.to_string(), value.trim_matches('"').to_string())
        })
        .collect()
}

/// Names of the variables `${NAME}`, `${NAME:-x}`, `${NAME:?x}` in `text`, and whether each
/// has a default (`:-`).
pub(crate) fn interpolated(text: &str) -> BTreeSet<(String, bool)> {
    let mut found = BTreeSet::new();
    let mut rest = text;
    while let Some(at) = rest.find("${") {
        let inner = &rest[at + 2..];
        let end = inner.find('}').expect("a closed ${...}");
        let expression = &inner[..end];
        let name_end = expression
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .unwrap_or(expression.len());
        let defaulted = expression[name_end..].starts_with(":-");
        found.insert((expression[..name_end].to_string(), defaulted));
        rest = &inner[end..];
    }
    found
}

/// The `NAME=value` lines of an env file.
pub(crate) fn env_file(path: &Path) -> Vec<(String, String)> {
    read(path)
        .lines()
        .map(str::trim)
        .filter(|line| !line.is_empty() && !line.starts_with('#'))
        .map(|line| {
            let (name, value) = line.split_once('=').expect("NAME=value");
            (name.to_string(), value.to_string())
        })
        .collect()
}
