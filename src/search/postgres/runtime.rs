//! The thread the PostgreSQL connections live on: one tokio runtime of its own, started on first
//! use, shared by every Postgres index of the process.
//!
//! Why not the actix workers' runtimes: a connection's I/O task runs on the runtime that opened
//! it, so a pool filled from one worker would stall whenever that worker is busy, and the CLI
//! (`index build`) has no runtime at all. Here the connections never share a thread with request
//! handling or with the search threads; callers await the result of a spawned task.

use std::future::Future;
use std::sync::OnceLock;

use tokio::runtime::Handle;

use crate::search::SearchError;

/// The runtime's handle, the runtime started the first time.
fn handle() -> Result<&'static Handle, SearchError> {
    static HANDLE: OnceLock<Result<Handle, String>> = OnceLock::new();
    HANDLE
        .get_or_init(start)
        .as_ref()
        .map_err(|why| SearchError::Unavailable(format!("postgres runtime: {why}")))
}

fn start() -> Result<Handle, String> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| e.to_string())?;
    let handle = runtime.handle().clone();
    std::thread::Builder::new()
        .name("postgres-io".into())
        .spawn(move || runtime.block_on(std::future::pending::<()>()))
        .map_err(|e| e.to_string())?;
    Ok(handle)
}

/// Runs `work` on the PostgreSQL thread and waits for it without blocking the caller's thread.
pub async fn run<T, F>(work: F) -> Result<T, SearchError>
where
    F: Future<Output = Result<T, SearchError>> + Send + 'static,
    T: Send + 'static,
{
    handle()?
        .spawn(work)
        .await
        .map_err(|e| SearchError::Unavailable(format!("postgres task: {e}")))?
}

/// Runs `work` on the PostgreSQL thread and blocks until it is done (command-line tools).
pub fn block_on<T, F>(work: F) -> Result<T, SearchError>
where
    F: Future<Output = Result<T, SearchError>> + Send + 'static,
    T: Send + 'static,
{
    let (reply, answer) = std::sync::mpsc::sync_channel(1);
    handle()?.spawn(async move {
        let _ = reply.send(work.await);
    });
    answer
        .recv()
        .map_err(|_| SearchError::Unavailable("postgres task lost".into()))?
}
