//! Paths in the deployment files: those on the build machine (copied into the image, mounted
//! into a container), which must exist in the repository, and those inside a container, which
//! the image or a mount must provide.

use std::path::PathBuf;

use yaml_rust2::Yaml;

use crate::files::{deploy, dockerfile, items, repo};

/// `(where, path)` of every repository file the Dockerfile copies and docker-compose.yml builds
/// from or mounts. A path compose takes from the env file (`${TLS_CERT_FILE}`) is the
/// operator's, not the repository's, and is not listed.
pub(crate) fn repository_sources() -> Vec<(String, PathBuf)> {
    let mut sources = Vec::new();
    for copy in dockerfile().iter().filter(|i| i.keyword == "COPY") {
        if copy.args.starts_with("--from") {
            continue;
        }
        let words: Vec<&str> = copy.args.split_whitespace().collect();
        for source in &words[..words.len() - 1] {
            sources.push((format!("COPY {}", copy.args), repo().join(source)));
        }
    }
    let compose = crate::files::yaml(&deploy().join("docker-compose.yml")).remove(0);
    let build = &compose["services"]["swml-server"]["build"];
    let context = deploy().join(build["context"].as_str().unwrap());
    let dockerfile = context.join(build["dockerfile"].as_str().unwrap());
    sources.push(("compose build context".into(), context));
    sources.push(("compose dockerfile".into(), dockerfile));
    for (name, service) in compose["services"].as_hash().unwrap() {
        for volume in items(&service["volumes"]) {
            let host = volume.as_str().unwrap().split(':').next().unwrap();
            if host.starts_with('.') {
                let service = name.as_str().unwrap();
                sources.push((format!("compose {service} volume"), deploy().join(host)));
            }
        }
    }
    sources
}

/// Folders and files the runtime image has: what it copies in.
pub(crate) fn created_by_image() -> Vec<String> {
    let instructions = dockerfile();
    let last_stage = instructions
        .iter()
        .rposition(|i| i.keyword == "FROM")
        .unwrap();
    let mut workdir = String::from("/");
    let mut created = Vec::new();
    for instruction in &instructions[last_stage..] {
        match instruction.keyword.as_str() {
            // The folder itself: what is under it is whatever the image copies there.
            "WORKDIR" => workdir = instruction.args.clone(),
            "COPY" => {
                let target = instruction.args.split_whitespace().last().unwrap();
                let target = target.trim_end_matches('/');
                if target.starts_with('/') {
                    created.push(target.to_string());
                } else {
                    created.push(format!("{workdir}/{target}"));
                }
            }
            _ => {}
        }
    }
    created
}

/// Where docker-compose.yml mounts volumes into the server's container.
pub(crate) fn compose_mounts(service: &Yaml) -> Vec<String> {
    items(&service["volumes"])
        .iter()
        .filter_map(|volume| volume.as_str()?.split(':').nth(1).map(str::to_string))
        .collect()
}

/// Where the Deployment mounts volumes into the container.
pub(crate) fn kubernetes_mounts(container: &Yaml) -> Vec<String> {
    items(&container["volumeMounts"])
        .iter()
        .filter_map(|mount| mount["mountPath"].as_str().map(str::to_string))
        .collect()
}

/// Every string of a TOML table, at any depth, that is an absolute path.
pub(crate) fn absolute_strings(table: &toml::Table) -> Vec<String> {
    fn walk(value: &toml::Value, found: &mut Vec<String>) {
        match value {
            toml::Value::String(text) if text.starts_with('/') => found.push(text.clone()),
            toml::Value::Array(values) => values.iter().for_each(|v| walk(v, found)),
            toml::Value::Table(table) => table.values().for_each(|v| walk(v, found)),
            _ => {}
        }
    }
    let mut found = Vec::new();
    table.values().for_each(|value| walk(value, &mut found));
    found
}

/// Whether `path` is one of `created`, inside one, or a folder holding one.
pub(crate) fn is_within(path: &str, created: &[String]) -> bool {
    let path = path.trim_end_matches('/');
    created.iter().any(|c| {
        path == c || path.starts_with(&format!("{c}/")) || c.starts_with(&format!("{path}/"))
    })
}
