//! The deployment files under `deploy/` checked without a container runtime: hadolint on the
//! Dockerfile and kubernetes-validate (offline, strict, against the schemas it bundles) on the
//! manifests, both from the pinned Python packages; then this suite's own reading of every file:
//! each variable they give the server is a setting it knows (the table in `src/config/keys.rs`),
//! each file they copy or mount exists in the repository, each path the server is told about
//! exists in the image or a mount, the ConfigMap's config file passes `check-config`, and the
//! drain delay fits the probes and the termination grace.

// A test stops at the first thing that fails: unwrapping is how it says so.
#![allow(clippy::unwrap_used)]

mod external;
mod files;
mod paths;
#[path = "../common/skip.rs"]
mod skip;

use std::collections::BTreeSet;
use std::process::Command;

use files::{deploy, dockerfile, env_file, env_pairs, interpolated, items, keys, manifest, read};

const BIN: &str = env!("CARGO_BIN_EXE_swml-server");
const CONFIG_FILE_KEY: &str = "swml-server.toml";

/// Every environment variable the binary reads: one per setting, and the config file's path.
fn known_variables() -> BTreeSet<&'static str> {
    let mut known: BTreeSet<_> = swml_server::test_support::KEYS
        .iter()
        .filter_map(|key| key.env)
        .collect();
    known.insert("SWML_CONFIG_FILE");
    known
}

/// The server's service in docker-compose.yml.
fn compose_server() -> yaml_rust2::Yaml {
    let compose = files::yaml(&deploy().join("docker-compose.yml")).remove(0);
    compose["services"]["swml-server"].clone()
}

fn container() -> yaml_rust2::Yaml {
    manifest("Deployment")["spec"]["template"]["spec"]["containers"][0].clone()
}

/// `(name, value)` of the container's `env` list.
fn container_env() -> Vec<(String, String)> {
    items(&container()["env"])
        .iter()
        .map(|var| {
            let name = var["name"].as_str().unwrap().to_string();
            (name, var["value"].as_str().unwrap_or_default().to_string())
        })
        .collect()
}

fn secret_values() -> Vec<(String, String)> {
    let data = &manifest("Secret")["stringData"];
    keys(data)
        .into_iter()
        .map(|name| {
            let value = data[name.as_str()].as_str().unwrap().to_string();
            (name, value)
        })
        .collect()
}

fn configmap_file() -> String {
    let data = &manifest("ConfigMap")["data"];
    data[CONFIG_FILE_KEY].as_str().unwrap().to_string()
}

fn dockerfile_env() -> Vec<(String, String)> {
    dockerfile()
        .iter()
        .filter(|i| i.keyword == "ENV")
        .flat_map(|i| env_pairs(&i.args))
        .collect()
}

#[test]
fn every_variable_the_deployment_files_give_the_server_is_a_setting_it_knows() {
    let names = |pairs: Vec<(String, String)>| pairs.into_iter().map(|(name, _)| name).collect();
    let sources: [(&str, Vec<String>); 4] = [
        ("deploy/Dockerfile ENV", names(dockerfile_env())),
        ("docker-compose.yml", keys(&compose_server()["environment"])),
        ("deployment.yaml env", names(container_env())),
        ("secret.yaml", names(secret_values())),
    ];
    let known = known_variables();
    for (source, variables) in sources {
        assert!(!variables.is_empty(), "{source}: no variables read");
        for name in variables {
            assert!(
                known.contains(name.as_str()),
                "{source}: {name} is not a setting"
            );
        }
    }
}

#[test]
fn the_env_file_example_holds_exactly_the_variables_compose_fills_in() {
    let compose = read(&deploy().join("docker-compose.yml"));
    let without_comments: String = compose
        .lines()
        .filter(|line| !line.trim_start().starts_with('#'))
        .collect::<Vec<_>>()
        .join("\n");
    let used = interpolated(&without_comments);
    let example: BTreeSet<String> = env_file(&deploy().join(".env.example"))
        .into_iter()
        .map(|(name, _)| name)
        .collect();
    for (name, defaulted) in &used {
        assert!(
            *defaulted || example.contains(name),
            "docker-compose.yml uses ${{{name}}}, missing from .env.example"
        );
    }
    for name in &example {
        assert!(
            used.iter().any(|(used, _)| used == name),
            ".env.example sets {name}, which docker-compose.yml never uses"
        );
    }
}

#[test]
fn every_file_the_deployment_files_copy_or_mount_exists_in_the_repository() {
    let sources = paths::repository_sources();
    assert!(sources.len() > 5, "read the sources: {sources:?}");
    for (source, path) in sources {
        assert!(path.exists(), "{source}: {} does not exist", path.display());
    }
}

#[test]
fn every_path_the_server_is_told_about_exists_in_the_image_or_a_mount() {
    let image = paths::created_by_image();
    let compose_mounts = paths::compose_mounts(&compose_server());
    let kube_mounts = paths::kubernetes_mounts(&container());
    let compose_env: Vec<_> = keys(&compose_server()["environment"])
        .into_iter()
        .map(|name| {
            compose_server()["environment"][name.as_str()]
                .as_str()
                .unwrap_or_default()
                .to_string()
        })
        .collect();
    let docker_env = dockerfile_env().into_iter().map(|(_, value)| value);
    let kube_env = container_env().into_iter().map(|(_, value)| value);
    let config_paths = paths::absolute_strings(&configmap_file().parse().unwrap());
    assert!(
        !config_paths.is_empty(),
        "the config file names its index folder"
    );

    let in_compose: Vec<_> = docker_env.clone().chain(compose_env).collect();
    let in_kubernetes: Vec<_> = docker_env.chain(kube_env).chain(config_paths).collect();
    for (place, values, mounts) in [
        ("docker-compose", in_compose, compose_mounts),
        ("kubernetes", in_kubernetes, kube_mounts),
    ] {
        let created: Vec<_> = image.iter().chain(&mounts).cloned().collect();
        for value in values.iter().filter(|v| v.starts_with('/')) {
            assert!(
                paths::is_within(value, &created),
                "{place}: {value} is neither in the image nor mounted ({created:?})"
            );
        }
    }
    let config_file = container_env()
        .into_iter()
        .find(|(name, _)| name == "SWML_CONFIG_FILE")
        .map(|(_, value)| value)
        .unwrap();
    assert!(
        config_file.ends_with(&format!("/{CONFIG_FILE_KEY}")),
        "SWML_CONFIG_FILE {config_file} is the ConfigMap's {CONFIG_FILE_KEY}"
    );
}

#[test]
fn the_config_file_in_the_configmap_passes_check_config() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(CONFIG_FILE_KEY);
    std::fs::write(&path, configmap_file()).unwrap();
    let output = Command::new(BIN)
        .env_clear()
        .envs(secret_values())
        .arg("check-config")
        .arg("--config")
        .arg(&path)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success() && stdout.contains("# configuration is valid"),
        "{stdout}{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

#[test]
fn the_drain_delay_covers_the_readiness_probe_and_fits_the_termination_grace() {
    let spec = &manifest("Deployment")["spec"]["template"]["spec"];
    let number = |yaml: &yaml_rust2::Yaml| yaml.as_i64().unwrap();
    let readiness = &container()["readinessProbe"];
    let liveness = &container()["livenessProbe"];
    let drain: i64 = container_env()
        .into_iter()
        .find(|(name, _)| name == "SWML_DRAIN_DELAY")
        .map(|(_, value)| value.parse().unwrap())
        .unwrap();
    let config: toml::Table = configmap_file().parse().unwrap();
    let grace = config["server"]["shutdown_grace"].as_integer().unwrap();

    let noticed = number(&readiness["periodSeconds"]) * number(&readiness["failureThreshold"]);
    assert!(
        drain > noticed,
        "drain {drain} s, readiness notices within {noticed} s"
    );
    let restart = number(&liveness["periodSeconds"]) * number(&liveness["failureThreshold"]);
    assert!(
        restart > drain,
        "liveness restarts after {restart} s of a {drain} s drain"
    );
    let termination = number(&spec["terminationGracePeriodSeconds"]);
    assert!(
        termination > drain + grace + 1,
        "termination grace {termination} s for drain {drain} + grace {grace} + 1 s"
    );

    let compose = compose_server();
    let env = &compose["environment"];
    let seconds = |name: &str| env[name].as_str().unwrap().parse::<i64>().unwrap();
    let stop = compose["stop_grace_period"].as_str().unwrap();
    let stop: i64 = stop.strip_suffix('s').unwrap().parse().unwrap();
    let needed = seconds("SWML_DRAIN_DELAY") + seconds("SWML_SHUTDOWN_GRACE") + 1;
    assert!(
        stop > needed,
        "compose stop_grace_period {stop} s, needs over {needed} s"
    );
}

#[test]
fn the_dockerfile_passes_hadolint() {
    let test = "the_dockerfile_passes_hadolint";
    let Some(hadolint) = external::venv_program(test, "hadolint") else {
        return;
    };
    let output = Command::new(hadolint)
        .arg("--no-color")
        .arg(deploy().join("Dockerfile"))
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stdout)
    );
}

#[test]
fn the_kubernetes_manifests_pass_kubernetes_validate_strictly() {
    let test = "the_kubernetes_manifests_pass_kubernetes_validate_strictly";
    let Some(validate) = external::venv_program(test, "kubernetes-validate") else {
        return;
    };
    let manifests = files::manifest_paths();
    assert!(manifests.len() >= 5, "{manifests:?}");
    let output = Command::new(validate)
        .args(["--strict", "--quiet"])
        .args(&manifests)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}
