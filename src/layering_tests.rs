//! The one-way module dependencies the README's "Layout and tests" states, checked on the
//! source: every `use crate::...` line of a module names only modules below it.

use std::path::Path;

/// Each module and the modules it may use.
const ALLOWED: &[(&str, &[&str])] = &[
    ("config", &[]),
    ("swml", &[]),
    ("telemetry", &["config"]),
    ("http", &["config", "telemetry"]),
    ("security", &["config", "telemetry", "http"]),
    ("server", &["config", "telemetry", "http", "security"]),
    (
        "agent",
        &["config", "telemetry", "http", "security", "server", "swml"],
    ),
    (
        "search",
        &["config", "telemetry", "http", "security", "server"],
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
