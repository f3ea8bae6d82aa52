//! Embedding keeps to the calling thread: it starts no thread and hands no work to a pool.
//!
//! Counting threads or CPU time is only meaningful in a process where nothing else runs, so
//! the test starts this test binary again to run [`embedding_probe`] alone and reads what it
//! printed: the process's thread count before loading and after embedding, and the CPU time of
//! the embedding thread against that of the whole process.

use std::path::Path;
use std::process::Command;

use super::*;

const PROBE: &str = "search::embedding::thread_tests::embedding_probe";

#[cfg(target_os = "linux")]
#[test]
fn embedding_starts_no_thread_and_computes_on_the_calling_thread() {
    let output = Command::new(std::env::current_exe().unwrap())
        .args([
            "--exact",
            PROBE,
            "--ignored",
            "--nocapture",
            "--test-threads=1",
        ])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "probe failed: {stdout}");
    let line = stdout
        .lines()
        .find_map(|line| line.split_once("probe:").map(|(_, rest)| rest))
        .unwrap_or_else(|| panic!("probe printed no result: {stdout}"));
    let numbers: Vec<f64> = line
        .split_whitespace()
        .filter_map(|word| word.split_once('=').and_then(|(_, v)| v.parse().ok()))
        .collect();
    let [threads_before, threads_after, thread_cpu, process_cpu] = numbers[..] else {
        panic!("unexpected probe line: {line}");
    };
    assert_eq!(threads_before, threads_after, "{line}");
    // All but scheduler noise of the process's CPU time went to the embedding thread.
    assert!(thread_cpu >= 0.9 * process_cpu, "{line}");
}

/// Run alone by the test above. Texts of 256 tokens make every step large enough that a
/// library sending work to other threads would do so.
#[cfg(target_os = "linux")]
#[test]
#[ignore = "run in a process of its own by embedding_starts_no_thread_and_computes_on_the_calling_thread"]
fn embedding_probe() {
    let threads_before = threads();
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join(DEFAULT_MODEL_DIR);
    let embedder = Embedder::load(&dir).unwrap();
    let (thread_start, process_start) = (cpu_ticks("thread-self"), cpu_ticks("self"));
    let passage = "the shock wave ahead of the blunt body moves with the flow ".repeat(30);
    let texts = vec![passage.as_str(); 6];
    embedder.embed(&texts).unwrap();
    embedder
        .embed_query("how fast does the shock wave move?")
        .unwrap();
    let thread_cpu = cpu_ticks("thread-self") - thread_start;
    let process_cpu = cpu_ticks("self") - process_start;
    println!(
        "probe: threads_before={threads_before} threads_after={} thread_cpu={thread_cpu} \
         process_cpu={process_cpu}",
        threads()
    );
}

fn threads() -> usize {
    let status = std::fs::read_to_string("/proc/self/status").unwrap();
    let line = status.lines().find(|l| l.starts_with("Threads:")).unwrap();
    line["Threads:".len()..].trim().parse().unwrap()
}

/// User + system CPU time of `/proc/<who>/stat`, in clock ticks.
fn cpu_ticks(who: &str) -> f64 {
    let stat = std::fs::read_to_string(format!("/proc/{who}/stat")).unwrap();
    // Fields after the parenthesized command name; utime and stime are fields 14 and 15.
    let fields: Vec<&str> = stat[stat.rfind(')').unwrap() + 2..].split(' ').collect();
    let ticks = |i: usize| fields[i - 3].parse::<f64>().unwrap();
    ticks(14) + ticks(15)
}
