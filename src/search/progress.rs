//! Build progress, shown three ways: a bar on a terminal, plain lines when output is piped (CI
//! logs stay readable), and log events when the server builds a recipe at startup.

use std::io::{IsTerminal, Write};
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressStyle};

/// What a build reports as it goes.
pub trait Progress {
    /// The build found `files` files to read.
    fn start(&mut self, files: usize);
    /// One more file was read; `chunks` chunks so far.
    fn file_done(&mut self, filename: &str, chunks: usize);
    /// A file or source was skipped.
    fn warn(&mut self, message: &str);
    /// Reading is over (the index is being committed).
    fn finish(&mut self);
    /// The embedding phase starts: `to_embed` chunks need a vector, `reused` kept theirs.
    fn embed_start(&mut self, _to_embed: usize, _reused: usize) {}
    /// `done` of the chunks to embed have their vectors.
    fn embed_done(&mut self, _done: usize) {}
}

/// Reports nothing (tests, the evaluation harness).
pub struct Silent;

impl Progress for Silent {
    fn start(&mut self, _files: usize) {}
    fn file_done(&mut self, _filename: &str, _chunks: usize) {}
    fn warn(&mut self, _message: &str) {}
    fn finish(&mut self) {}
}

/// The bar on a terminal, plain lines on stderr otherwise.
pub(crate) fn for_stderr() -> Box<dyn Progress> {
    if std::io::stderr().is_terminal() {
        Box::new(Bar::default())
    } else {
        Box::new(Lines::new(Duration::from_secs(2)))
    }
}

/// An indicatif bar: files done, chunks, rate.
#[derive(Default)]
pub(crate) struct Bar {
    bar: Option<ProgressBar>,
}

impl Progress for Bar {
    fn start(&mut self, files: usize) {
        let bar = ProgressBar::new(files as u64);
        if let Ok(style) = ProgressStyle::with_template(
            "{spinner} [{elapsed_precise}] {bar:30} {pos}/{len} files {msg} ({per_sec})",
        ) {
            bar.set_style(style);
        }
        self.bar = Some(bar);
    }

    fn file_done(&mut self, _filename: &str, chunks: usize) {
        if let Some(bar) = &self.bar {
            bar.inc(1);
            bar.set_message(format!("{chunks} chunks"));
        }
    }

    fn warn(&mut self, message: &str) {
        match &self.bar {
            Some(bar) => bar.println(format!("skipped: {message}")),
            None => eprintln!("skipped: {message}"),
        }
    }

    fn finish(&mut self) {
        if let Some(bar) = self.bar.take() {
            bar.finish_and_clear();
        }
    }

    fn embed_start(&mut self, to_embed: usize, reused: usize) {
        eprintln!("embedding {to_embed} chunks ({reused} vectors reused)");
        let bar = ProgressBar::new(to_embed as u64);
        if let Ok(style) = ProgressStyle::with_template(
            "{spinner} [{elapsed_precise}] {bar:30} {pos}/{len} chunks embedded ({per_sec}, {eta} left)",
        ) {
            bar.set_style(style);
        }
        self.bar = Some(bar);
    }

    fn embed_done(&mut self, done: usize) {
        if let Some(bar) = &self.bar {
            bar.set_position(done as u64);
            if bar.position() >= bar.length().unwrap_or(0) {
                bar.finish_and_clear();
            }
        }
    }
}

/// A plain line at most every `every`, plus the first and last file.
pub(crate) struct Lines {
    every: Duration,
    last: Option<Instant>,
    total: usize,
    done: usize,
}

impl Lines {
    pub(crate) fn new(every: Duration) -> Lines {
        Lines {
            every,
            last: None,
            total: 0,
            done: 0,
        }
    }
}

impl Progress for Lines {
    fn start(&mut self, files: usize) {
        self.total = files;
        eprintln!("indexing {files} files");
    }

    fn file_done(&mut self, _filename: &str, chunks: usize) {
        self.done += 1;
        let due = self.last.is_none_or(|t| t.elapsed() >= self.every);
        if due || self.done == self.total {
            self.last = Some(Instant::now());
            let mut err = std::io::stderr().lock();
            let _ = writeln!(err, "{}/{} files, {chunks} chunks", self.done, self.total);
        }
    }

    fn warn(&mut self, message: &str) {
        eprintln!("skipped: {message}");
    }

    fn finish(&mut self) {}

    fn embed_start(&mut self, to_embed: usize, reused: usize) {
        self.total = to_embed;
        self.last = None;
        eprintln!("embedding {to_embed} chunks ({reused} vectors reused)");
    }

    fn embed_done(&mut self, done: usize) {
        let due = self.last.is_none_or(|t| t.elapsed() >= self.every);
        if due || done == self.total {
            self.last = Some(Instant::now());
            eprintln!("{done}/{} chunks embedded", self.total);
        }
    }
}

/// Progress as log events, for builds run by the server.
pub(crate) struct Logged {
    pub index: String,
    last: Option<Instant>,
}

impl Logged {
    pub(crate) fn new(index: &str) -> Logged {
        Logged {
            index: index.to_owned(),
            last: None,
        }
    }
}

impl Progress for Logged {
    fn start(&mut self, files: usize) {
        tracing::info!(index = %self.index, files, "index_build_started");
    }

    fn file_done(&mut self, _filename: &str, chunks: usize) {
        if self
            .last
            .is_none_or(|t| t.elapsed() >= Duration::from_secs(5))
        {
            self.last = Some(Instant::now());
            tracing::info!(index = %self.index, chunks, "index_build_progress");
        }
    }

    fn warn(&mut self, message: &str) {
        tracing::warn!(index = %self.index, reason = %message, "index_file_skipped");
    }

    fn finish(&mut self) {}

    fn embed_start(&mut self, to_embed: usize, reused: usize) {
        self.last = Some(Instant::now());
        tracing::info!(index = %self.index, to_embed, reused, "index_embedding_started");
    }

    fn embed_done(&mut self, done: usize) {
        if self
            .last
            .is_none_or(|t| t.elapsed() >= Duration::from_secs(5))
        {
            self.last = Some(Instant::now());
            tracing::info!(index = %self.index, embedded = done, "index_embedding_progress");
        }
    }
}
