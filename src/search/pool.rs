//! The threads searches run on: a fixed set (one per core by default), off the async workers.
//!
//! Why not actix's blocking pool: it starts a thread for every task that finds none idle, so
//! under load dozens of threads take turns on two cores and every search pays for waking one.
//! A fixed set takes the next job from a shared queue as soon as it finishes one; under load a
//! search thread never sleeps between jobs. How many jobs may wait is bounded by the caller (the
//! service's permits), not here.

use std::panic::{AssertUnwindSafe, catch_unwind};

use crossbeam_channel::{Receiver, Sender};
use tokio::sync::oneshot;

type Job = Box<dyn FnOnce() + Send + 'static>;

/// A handle on the search threads; they end once it is dropped.
pub(crate) struct SearchPool {
    jobs: Sender<Job>,
    threads: usize,
}

/// The job did not complete: it panicked, or the pool was shutting down.
#[derive(Debug, thiserror::Error)]
#[error("the search job did not complete")]
pub(crate) struct JobLost;

impl SearchPool {
    /// Starts `threads` threads (at least one) named `search-<n>`.
    pub(crate) fn start(threads: usize) -> std::io::Result<SearchPool> {
        let threads = threads.max(1);
        let (jobs, queue) = crossbeam_channel::unbounded::<Job>();
        for n in 0..threads {
            let queue = queue.clone();
            std::thread::Builder::new()
                .name(format!("search-{n}"))
                .spawn(move || work_through(&queue))?;
        }
        Ok(SearchPool { jobs, threads })
    }

    pub(crate) fn threads(&self) -> usize {
        self.threads
    }

    /// Runs `work` on a search thread and waits for its result without blocking the caller's
    /// thread.
    pub(crate) async fn run<T, F>(&self, work: F) -> Result<T, JobLost>
    where
        F: FnOnce() -> T + Send + 'static,
        T: Send + 'static,
    {
        let (reply, answer) = oneshot::channel();
        let job: Job = Box::new(move || {
            // The receiver is gone when the client went away; the result is simply dropped.
            let _ = reply.send(work());
        });
        self.jobs.send(job).map_err(|_| JobLost)?;
        answer.await.map_err(|_| JobLost)
    }
}

fn work_through(queue: &Receiver<Job>) {
    for job in queue.iter() {
        // A panicking search must not take the thread with it. Its caller sees `JobLost` (the
        // reply sender is dropped while unwinding) and answers 500 with a log line; the panic
        // itself was printed by the standard panic hook.
        let _ = catch_unwind(AssertUnwindSafe(job));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[actix_web::test]
    async fn results_come_back_to_the_caller() {
        let pool = SearchPool::start(2).unwrap();
        let name = pool
            .run(|| std::thread::current().name().map(str::to_owned))
            .await
            .unwrap();
        assert!(name.unwrap().starts_with("search-"));
        assert_eq!(pool.run(|| 6 * 7).await.unwrap(), 42);
    }

    #[actix_web::test]
    async fn a_panicking_job_is_lost_but_the_thread_goes_on() {
        let pool = SearchPool::start(1).unwrap();
        let lost = pool.run(|| -> u32 { panic!("boom") }).await;
        assert!(lost.is_err());
        assert_eq!(pool.run(|| 1).await.unwrap(), 1, "the only thread survived");
    }

    #[actix_web::test]
    async fn many_jobs_wait_their_turn_on_few_threads() {
        let pool = SearchPool::start(2).unwrap();
        let runs: Vec<_> = (0..200u64).map(|i| pool.run(move || i * 2)).collect();
        let results = futures_util::future::join_all(runs).await;
        let sum: u64 = results.into_iter().map(Result::unwrap).sum();
        assert_eq!(sum, 2 * (0..200u64).sum::<u64>());
    }
}
