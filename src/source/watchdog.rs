//! Gives up on a fetch that moves too little data.
//!
//! The HTTP timeout bounds each read, so a server that trickles a byte now and
//! then never trips it and could hold a fetch for hours. Like git's
//! `http.lowSpeedLimit`/`http.lowSpeedTime`, a fetch that receives less than
//! `bytes_per_second` for `seconds` in a row is given up, and the next mirror
//! is tried. Progress is what lands in the store's pack folder, where gix
//! streams the incoming pack.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{mpsc, Arc};
use std::time::{Duration, Instant};

/// The slowest a fetch may be for how long.
#[derive(Debug, Clone, Copy)]
pub struct LowSpeed {
    /// Bytes per second; below this for `window` in a row, the fetch is given up.
    pub bytes_per_second: u64,
    /// How long the fetch may stay below the limit.
    pub window: Duration,
}

/// How often progress is sampled.
const TICK: Duration = Duration::from_millis(100);

/// Why a guarded attempt did not finish.
pub(super) enum Stopped {
    /// The user pressed Ctrl-C.
    Interrupted,
    /// The fetch moved less than the limit for a whole window.
    TooSlow(String),
}

/// Run `attempt` on its own thread and wait for it, unless it becomes too slow
/// or the user interrupts: then its own stop flag is set (gix stops receiving
/// the pack) and it is no longer waited for. Until the pack arrives it writes
/// nothing, and once it receives it checks that flag, so an abandoned attempt
/// leaves the store as it was.
pub(super) fn guarded<T: Send + 'static>(
    pack_dir: &Path,
    limit: LowSpeed,
    interrupt: &AtomicBool,
    attempt: impl FnOnce(Arc<AtomicBool>) -> T + Send + 'static,
) -> Result<T, Stopped> {
    let stop = Arc::new(AtomicBool::new(false));
    let (done, result) = mpsc::channel();
    let flag = Arc::clone(&stop);
    std::thread::spawn(move || {
        let _ = done.send(attempt(flag));
    });
    let mut progress = Progress::new(pack_dir.to_owned(), limit);
    loop {
        match result.recv_timeout(TICK) {
            Ok(value) => return Ok(value),
            // The attempt panicked: let the caller see it as a failed fetch.
            Err(mpsc::RecvTimeoutError::Disconnected) => {
                return Err(Stopped::TooSlow("the fetch stopped unexpectedly".into()))
            }
            Err(mpsc::RecvTimeoutError::Timeout) => {}
        }
        if interrupt.load(Ordering::SeqCst) {
            stop.store(true, Ordering::SeqCst);
            return Err(Stopped::Interrupted);
        }
        if let Some(why) = progress.too_slow() {
            stop.store(true, Ordering::SeqCst);
            return Err(Stopped::TooSlow(why));
        }
    }
}

/// Bytes in the pack folder over time, one sample per tick within the window.
struct Progress {
    pack_dir: PathBuf,
    limit: LowSpeed,
    samples: std::collections::VecDeque<(Instant, u64)>,
}

impl Progress {
    fn new(pack_dir: PathBuf, limit: LowSpeed) -> Progress {
        let mut progress = Progress {
            pack_dir,
            limit,
            samples: Default::default(),
        };
        let bytes = progress.bytes();
        progress.samples.push_back((Instant::now(), bytes));
        progress
    }

    /// What has landed so far (temporary pack files included).
    fn bytes(&self) -> u64 {
        let Ok(entries) = std::fs::read_dir(&self.pack_dir) else {
            return 0;
        };
        entries
            .flatten()
            .filter_map(|e| e.metadata().ok())
            .map(|m| m.len())
            .sum()
    }

    /// `Some(why)` once a whole window has passed with less than the limit received.
    fn too_slow(&mut self) -> Option<String> {
        if self.limit.bytes_per_second == 0 {
            return None;
        }
        let now = Instant::now();
        let bytes = self.bytes();
        self.samples.push_back((now, bytes));
        while self
            .samples
            .get(1)
            .is_some_and(|(at, _)| now.duration_since(*at) >= self.limit.window)
        {
            self.samples.pop_front();
        }
        let (oldest_at, oldest) = *self.samples.front()?;
        let span = now.duration_since(oldest_at);
        if span < self.limit.window {
            return None;
        }
        let rate = bytes.saturating_sub(oldest) as f64 / span.as_secs_f64();
        (rate < self.limit.bytes_per_second as f64).then(|| {
            format!(
                "too slow: {rate:.0} bytes/s for {:.0} s, under the limit of {} bytes/s \
                 (raise or lower `low-speed-limit`/`low-speed-seconds` in [source])",
                span.as_secs_f64(),
                self.limit.bytes_per_second
            )
        })
    }
}
