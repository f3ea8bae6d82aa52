//! The loud skip of the test binaries whose tests need something from outside cargo (HAProxy,
//! PostgreSQL, the pinned Python packages): included by each with `#[path]`, so every one says
//! the same thing and obeys the same switch.

/// Prints `SKIPPED <test>: <why>` and returns, or panics with that message when external tools
/// are required (`SWML_TEST_REQUIRE_EXTERNAL=1`, as `.ci/run` sets).
pub(crate) fn skip_or_fail(test: &str, why: &str) {
    let message = format!("SKIPPED {test}: {why}");
    if std::env::var("SWML_TEST_REQUIRE_EXTERNAL").as_deref() == Ok("1") {
        panic!("{message}");
    }
    eprintln!("{message}");
}
