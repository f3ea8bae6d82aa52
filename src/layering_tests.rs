//! The one-way module dependencies the README's "Layout and tests" states, checked on the
//! source: every `use crate::...` line of a module names only modules below it.

use std::path::Path;

/// Each module and the modules it may use.
const ALLOWED: &[(&str, &[&str])] = &[
    ("config", &[]),
    ("swml", &[]),
    ("text", &[]),
    ("telemetry", &["config"]),
    ("http", &["config", "telemetry"]),
    ("security", &["config", "telemetry", "http"]),
    ("server", &["config", "telemetry", "http", "security"]),
    (
        "agent",
        &[
            "config",
            "telemetry",
            "http",
            "security",
            "server",
            "swml",
            "text",
        ],
    ),
    (
        "search",
        &["config", "telemetry", "http", "security", "server", "text"],
    ),
];

fn rust_files(dir: &Path, found: &mut Vec<std::path::PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            rust_files(&path, found);
        } else if path.extension().is_some_and(|ext| ext == "rs") {
            found.push(path);
        }
    }
}

#[test]
fn modules_use_only_the_modules_below_them() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut wrong = Vec::new();
    for (module, allowed) in ALLOWED {
        let mut files = Vec::new();
        rust_files(&src.join(module), &mut files);
        files.push(src.join(format!("{module}.rs")));
        for file in files.iter().filter(|f| f.is_file()) {
            let text = std::fs::read_to_string(file).unwrap();
            for line in text.lines().map(str::trim) {
                let Some(path) = line
                    .strip_prefix("use crate::")
                    .or_else(|| line.strip_prefix("pub use crate::"))
                else {
                    continue;
                };
                let used = path.split([':', ';', '{', ' ']).next().unwrap_or_default();
                if used != *module && !allowed.contains(&used) {
                    wrong.push(format!("{}: {line}", file.display()));
                }
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "imports against the layering:\n{}",
        wrong.join("\n")
    );
}

/// The module a source file is (`search::engine` for `src/search/engine.rs`, `agent` for
/// `src/agent/mod.rs`).
fn module_of(src: &Path, file: &Path) -> Vec<String> {
    let relative = file.strip_prefix(src).unwrap().with_extension("");
    let mut parts: Vec<String> = relative
        .iter()
        .map(|part| part.to_string_lossy().into_owned())
        .collect();
    if matches!(parts.last().map(String::as_str), Some("mod" | "lib")) {
        parts.pop();
    }
    parts
}

/// The modules a file's code (its tests left out) imports with `use crate::` or `use super::`,
/// each resolved to the longest path that is a module.
fn imports_of(
    module: &[String],
    text: &str,
    modules: &std::collections::BTreeSet<Vec<String>>,
) -> Vec<Vec<String>> {
    let code = text.split("#[cfg(test)]").next().unwrap_or_default();
    let mut found = Vec::new();
    for line in code.lines().map(str::trim) {
        let line = line.strip_prefix("pub ").unwrap_or(line);
        let Some(rest) = line.strip_prefix("use ") else {
            continue;
        };
        let mut path: Vec<String> = if let Some(rest) = rest.strip_prefix("crate::") {
            rest.split("::").map(str::to_owned).collect()
        } else if let Some(rest) = rest.strip_prefix("super::") {
            let parent = &module[..module.len().saturating_sub(1)];
            parent
                .iter()
                .cloned()
                .chain(rest.split("::").map(str::to_owned))
                .collect()
        } else {
            continue;
        };
        while !path.is_empty() && !modules.contains(&path) {
            path.pop();
        }
        if !path.is_empty() && path != module {
            found.push(path);
        }
    }
    found
}

#[test]
fn no_module_imports_another_that_imports_it_back() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let modules: std::collections::BTreeSet<Vec<String>> =
        files.iter().map(|file| module_of(&src, file)).collect();
    let mut graph = std::collections::BTreeMap::new();
    for file in &files {
        let module = module_of(&src, file);
        let text = std::fs::read_to_string(file).unwrap();
        graph.insert(module.clone(), imports_of(&module, &text, &modules));
    }
    // Depth-first search; a module met again while still on the path closes a circle.
    fn visit(
        module: &Vec<String>,
        graph: &std::collections::BTreeMap<Vec<String>, Vec<Vec<String>>>,
        path: &mut Vec<Vec<String>>,
        done: &mut std::collections::BTreeSet<Vec<String>>,
        circles: &mut Vec<String>,
    ) {
        if let Some(start) = path.iter().position(|m| m == module) {
            let circle: Vec<String> = path[start..].iter().map(|m| m.join("::")).collect();
            circles.push(format!("{} -> {}", circle.join(" -> "), module.join("::")));
            return;
        }
        if !done.insert(module.clone()) {
            return;
        }
        path.push(module.clone());
        for next in graph.get(module).into_iter().flatten() {
            visit(next, graph, path, done, circles);
        }
        path.pop();
    }
    let (mut done, mut circles) = (std::collections::BTreeSet::new(), Vec::new());
    for module in graph.keys() {
        visit(module, &graph, &mut Vec::new(), &mut done, &mut circles);
    }
    assert!(
        circles.is_empty(),
        "import circles:\n{}",
        circles.join("\n")
    );
}
