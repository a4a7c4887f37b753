//! Progress on standard error for every study: a live line on a terminal, a line every
//! few seconds in a log, nothing for short work.

use crate::study::{Progress, Unit};
use std::io::IsTerminal;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// The terminal's progress reporter.
pub(super) struct Terminal {
    terminal: bool,
    started: Instant,
    last: Mutex<Option<Instant>>,
    shown: AtomicBool,
}

impl Terminal {
    pub(super) fn new() -> Self {
        Terminal {
            terminal: std::io::stderr().is_terminal(),
            started: Instant::now(),
            last: Mutex::new(None),
            shown: AtomicBool::new(false),
        }
    }
}

/// "12 s", "14 min", "2.5 h".
pub(super) fn duration_text(seconds: f64) -> String {
    if seconds < 120.0 {
        format!("{seconds:.0} s")
    } else if seconds < 7200.0 {
        format!("{:.0} min", seconds / 60.0)
    } else {
        format!("{:.1} h", seconds / 3600.0)
    }
}

impl Progress for Terminal {
    fn advance(&self, unit: Unit, done: u64, total: u64) {
        // Calibration shows its generations on a terminal only (a log would fill up).
        if matches!(unit, Unit::Particles { .. }) && !self.terminal {
            return;
        }
        let every = if self.terminal {
            Duration::from_millis(200)
        } else {
            Duration::from_secs(10)
        };
        let mut last = self.last.lock().unwrap_or_else(|e| e.into_inner());
        let due = last.unwrap_or(self.started).elapsed() >= every;
        // A sweep's last point is always shown (a log then ends with the whole count); a
        // run's last block is not, since the summary follows at once.
        let show = match unit {
            Unit::Replications => due && done < total,
            Unit::DesignPoints | Unit::Candidates => due || done == total,
            Unit::Particles { .. } => due,
        };
        if !show {
            return;
        }
        *last = Some(Instant::now());
        let elapsed = self.started.elapsed().as_secs_f64();
        let left = elapsed / done.max(1) as f64 * total.saturating_sub(done) as f64;
        let line = match unit {
            Unit::Replications => format!(
                "{done}/{total} replications, {:.0}%, about {} left",
                100.0 * done as f64 / total.max(1) as f64,
                duration_text(left)
            ),
            Unit::DesignPoints => {
                let width = 30;
                let filled = (width * done / total.max(1)) as usize;
                format!(
                    "[{}{}] {done}/{total} design points, {elapsed:.0} s, about {} left",
                    "#".repeat(filled),
                    "-".repeat(width as usize - filled),
                    duration_text(left)
                )
            }
            Unit::Candidates => format!(
                "{done}/{total} candidates evaluated, {elapsed:.0} s, about {} left",
                duration_text(left)
            ),
            Unit::Particles { generation, simulated } => {
                format!("generation {generation}: {done}/{total} accepted, {simulated} simulated")
            }
        };
        self.shown.store(true, Ordering::Relaxed);
        if self.terminal {
            eprint!("\r{line}   ");
        } else {
            eprintln!("{line}");
        }
    }

    fn note(&self, text: &str) {
        eprintln!("{text}");
    }

    fn finish(&self) {
        if self.terminal && self.shown.load(Ordering::Relaxed) {
            eprint!("\r{}\r", " ".repeat(80));
        }
    }
}
