//! `--env-file FILE`: `KEY=VALUE` lines (with `#` comments, quotes and `export ` prefixes, as
//! dotenv files write them) loaded into the process environment before the settings load.
//! A variable already set in the environment keeps its value. The whole file is checked
//! before anything is set, so a malformed file changes nothing and the error names its line.

use std::path::Path;

/// Checks the file, then sets the variables it defines that are not set yet. Runs before any
/// other thread exists (the first thing `swml-server` does), so setting variables is safe.
pub(crate) fn load(path: &Path) -> Result<(), String> {
    let shown = path.display();
    let text = std::fs::read_to_string(path).map_err(|e| format!("--env-file {shown}: {e}"))?;
    let pairs = dotenvy::from_read_iter(text.as_bytes());
    for pair in pairs {
        if let Err(error) = pair {
            return Err(match error {
                dotenvy::Error::LineParse(line, _) => {
                    let first = line.lines().next().unwrap_or_default();
                    let number = text
                        .lines()
                        .position(|l| l.contains(first))
                        .map_or(0, |i| i + 1);
                    format!("--env-file {shown}: line {number} is not KEY=VALUE: {first}")
                }
                other => format!("--env-file {shown}: {other}"),
            });
        }
    }
    dotenvy::from_path(path).map_err(|e| format!("--env-file {shown}: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    #[test]
    fn a_malformed_line_is_refused_with_the_line_named() {
        let mut file = tempfile::NamedTempFile::new().unwrap();
        writeln!(file, "# settings\nGOOD_ONE=1\nthis line has no equals sign").unwrap();
        let error = load(file.path()).unwrap_err();
        assert!(
            error.ends_with("line 3 is not KEY=VALUE: this line has no equals sign"),
            "{error}"
        );
        assert!(
            std::env::var("GOOD_ONE").is_err(),
            "nothing is set from a bad file"
        );
    }
}
