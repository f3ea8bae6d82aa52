//! The index subcommands, run as `main` would run them.
use super::*;
use crate::search::testutil::{GUIDE, build_from};
use clap::Parser;

#[derive(Parser)]
struct Cli {
    #[command(subcommand)]
    command: IndexCommand,
}

fn settings(root: &Path) -> SearchSettings {
    SearchSettings::for_root(root)
}

fn run_args(args: &[&str], settings: &SearchSettings) -> ExitCode {
    let cli = Cli::try_parse_from(std::iter::once("index").chain(args.iter().copied())).unwrap();
    run(cli.command, settings)
}

#[test]
fn build_options_parse_with_the_documented_defaults() {
    let cli = Cli::try_parse_from(["index", "build", "docs/", "--name", "docs"]).unwrap();
    let IndexCommand::Build(args) = cli.command else {
        panic!("not a build");
    };
    assert_eq!(args.file_types, vec!["md", "txt", "rst", "html", "json"]);
    assert_eq!(args.chunking, Strategy::Sentence);
    assert_eq!(
        (
            args.max_sentences_per_chunk,
            args.chunk_size,
            args.overlap_size
        ),
        (5, 50, 10)
    );
    assert_eq!(args.language, Language::English);
    assert!(
        Cli::try_parse_from(["index", "build", "d", "--name", "x", "--chunking", "words"]).is_err()
    );
    assert!(
        Cli::try_parse_from(["index", "build", "d", "--name", "x", "--language", "xx"]).is_err()
    );
}

#[test]
fn cli_builds_then_searches_validates_and_describes_an_index() {
    let dir = tempfile::tempdir().unwrap();
    let sources = dir.path().join("docs");
    crate::search::testutil::write_files(&sources, GUIDE);
    let settings = settings(&dir.path().join("indexes"));
    let source = sources.to_string_lossy().into_owned();
    let build = [
        "build",
        source.as_str(),
        "--name",
        "guide",
        "--chunking",
        "markdown",
    ];
    assert_eq!(run_args(&build, &settings), ExitCode::SUCCESS);
    assert_eq!(
        run_args(&["search", "guide", "install", "--json"], &settings),
        ExitCode::SUCCESS
    );
    assert_eq!(
        run_args(&["validate", "guide"], &settings),
        ExitCode::SUCCESS
    );
    assert_eq!(run_args(&["info", "guide"], &settings), ExitCode::SUCCESS);
}

#[test]
fn cli_exit_codes_separate_usage_errors_from_failures() {
    let dir = tempfile::tempdir().unwrap();
    let settings = settings(&dir.path().join("indexes"));
    build_from(
        &dir.path().join("indexes"),
        "guide",
        Strategy::Markdown,
        GUIDE,
    );
    let bad_name = ["build", "src", "--name", "Bad Name"];
    assert_eq!(run_args(&bad_name, &settings), ExitCode::from(2));
    let bad_overlap = [
        "build",
        "src",
        "--name",
        "x",
        "--chunk-size",
        "5",
        "--overlap-size",
        "5",
    ];
    assert_eq!(run_args(&bad_overlap, &settings), ExitCode::from(2));
    assert_eq!(
        run_args(&["search", "guide", "x", "--count", "0"], &settings),
        ExitCode::from(2)
    );
    assert_eq!(
        run_args(&["search", "missing", "x"], &settings),
        ExitCode::from(1)
    );
    let empty = dir.path().join("empty");
    std::fs::create_dir_all(&empty).unwrap();
    let empty = empty.to_string_lossy().into_owned();
    assert_eq!(
        run_args(&["build", empty.as_str(), "--name", "e"], &settings),
        ExitCode::from(1)
    );
    assert_eq!(
        run_args(&["remote", "ftp://x", "q"], &settings),
        ExitCode::from(2)
    );
}
