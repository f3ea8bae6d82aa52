//! The programs from the pinned Python packages (`.ci/requirements.txt`), found beside the
//! interpreter `SWML_TEST_PYTHON` names (`.ci/run` sets it to its venv's). When either is
//! missing the test says so loudly and returns, or fails under `SWML_TEST_REQUIRE_EXTERNAL=1`.

use std::path::PathBuf;

/// The path of `program` in the venv's `bin/`, or `None` after the loud skip.
pub(crate) fn venv_program(test: &str, program: &str) -> Option<PathBuf> {
    let found = match std::env::var_os("SWML_TEST_PYTHON") {
        None => Err("SWML_TEST_PYTHON is not set".to_string()),
        Some(python) => {
            let path = PathBuf::from(python).with_file_name(program);
            if path.is_file() {
                Ok(path)
            } else {
                Err(format!("{} is missing", path.display()))
            }
        }
    };
    match found {
        Ok(path) => Some(path),
        Err(why) => {
            let why = format!(
                "{why} (run .ci/run, or python3 -m venv target/ci-venv && \
                 target/ci-venv/bin/pip install -r .ci/requirements.txt and set \
                 SWML_TEST_PYTHON=$PWD/target/ci-venv/bin/python)"
            );
            crate::skip::skip_or_fail(test, &why);
            None
        }
    }
}
