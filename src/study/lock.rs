//! One writer per results directory: an advisory lock file, `DIR/.feidi-lock`, holding
//! the process id, the host and the work, created only if absent and removed when the
//! work ends (finished, failed or cancelled). A lock left by a process that is no longer
//! running on this host (killed with `kill -9`, a power cut) is taken over. Each process
//! also writes a random number of its own, so that a lock left by an earlier process
//! that had this process's id (a restarted container's process 1) is known as stale.

use super::Error;
use std::io::Write;
use std::path::{Path, PathBuf};

/// The lock file's name inside a results directory.
pub const LOCK_FILE: &str = ".feidi-lock";

/// Who holds a results directory.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Holder {
    /// The holding process's id.
    pub pid: u32,
    /// The host it runs on ("" when unknown).
    pub host: String,
    /// What it is doing, such as "feidi sweep resume".
    pub command: String,
    /// The holding process's own random number ("" in locks that have none).
    pub process: String,
}

/// This process's random number, drawn once (the standard library's per-process hash
/// keys come from the operating system's generator).
fn this_process() -> &'static str {
    static NUMBER: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    NUMBER.get_or_init(|| {
        use std::hash::BuildHasher;
        let number = std::collections::hash_map::RandomState::new().hash_one(std::process::id());
        format!("{number:016x}")
    })
}

/// Whether the process that wrote `h` still runs: for this process's own id, only if
/// the number is this process's too.
fn holder_running(h: &Holder) -> bool {
    if h.pid == std::process::id() {
        h.process == this_process()
    } else {
        alive(h.pid)
    }
}

/// A held lock on a results directory; dropping it removes the lock file.
#[derive(Debug)]
pub struct DirLock {
    path: PathBuf,
}

impl Drop for DirLock {
    fn drop(&mut self) {
        // Only our own lock is removed: the file names this process.
        if read_holder(&self.path).is_some_and(|h| h.pid == std::process::id() && h.process == this_process()) {
            let _ = std::fs::remove_file(&self.path);
        }
    }
}

fn this_host() -> String {
    std::fs::read_to_string("/proc/sys/kernel/hostname")
        .or_else(|_| std::fs::read_to_string("/etc/hostname"))
        .map(|h| h.trim().to_string())
        .unwrap_or_default()
}

fn read_holder(path: &Path) -> Option<Holder> {
    let text = std::fs::read_to_string(path).ok()?;
    let mut holder = Holder {
        pid: 0,
        host: String::new(),
        command: String::new(),
        process: String::new(),
    };
    for line in text.lines() {
        match line.split_once(' ') {
            Some(("pid", v)) => holder.pid = v.trim().parse().ok()?,
            Some(("host", v)) => holder.host = v.trim().to_string(),
            Some(("command", v)) => holder.command = v.trim().to_string(),
            Some(("process", v)) => holder.process = v.trim().to_string(),
            _ => {}
        }
    }
    (holder.pid != 0).then_some(holder)
}

/// Whether process `pid` on this host is running (true when it cannot be told).
fn alive(pid: u32) -> bool {
    crate::results::complete::process_running(pid)
}

/// Takes the lock on `dir` (which must exist) for `command`, or refuses with
/// [`Error::Locked`] naming the running process that holds it. A lock whose process is
/// no longer running on this host is taken over.
pub fn lock(dir: &Path, command: &str) -> Result<DirLock, Error> {
    let path = dir.join(LOCK_FILE);
    let host = this_host();
    let content = format!(
        "pid {}\nhost {host}\ncommand {command}\nprocess {}\n",
        std::process::id(),
        this_process()
    );
    for _ in 0..3 {
        match std::fs::OpenOptions::new().write(true).create_new(true).open(&path) {
            Ok(mut file) => {
                let lock = DirLock { path: path.clone() };
                file.write_all(content.as_bytes())
                    .and_then(|_| file.sync_all())
                    .map_err(|e| Error::Failed(format!("cannot write {}: {e}", path.display())))?;
                return Ok(lock);
            }
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                let text = std::fs::read(&path).unwrap_or_default();
                let holder = read_holder(&path);
                let stale = match &holder {
                    Some(h) => h.host == host && !holder_running(h),
                    // A lock file being written right now, or garbage: not ours to take
                    // unless it stays unreadable (checked on the next attempt).
                    None => false,
                };
                if stale {
                    // Take over only the lock that was judged stale.
                    if std::fs::read(&path).unwrap_or_default() == text {
                        let _ = std::fs::remove_file(&path);
                    }
                    continue;
                }
                match holder {
                    Some(holder) => {
                        return Err(Error::Locked {
                            dir: dir.to_path_buf(),
                            holder,
                        })
                    }
                    None => {
                        std::thread::sleep(std::time::Duration::from_millis(100));
                        if read_holder(&path).is_none() && path.exists() {
                            return Err(Error::Locked {
                                dir: dir.to_path_buf(),
                                holder: Holder {
                                    pid: 0,
                                    host: String::new(),
                                    command: "an unreadable lock file".to_string(),
                                    process: String::new(),
                                },
                            });
                        }
                    }
                }
            }
            Err(e) => {
                return Err(Error::Failed(format!(
                    "output directory {} is not writable: cannot create {}: {e}",
                    dir.display(),
                    path.display()
                )))
            }
        }
    }
    Err(Error::Failed(format!("cannot take the lock {}", path.display())))
}

/// The running process that holds `dir`, if any (a stale lock counts as none).
pub fn holder(dir: &Path) -> Option<Holder> {
    let h = read_holder(&dir.join(LOCK_FILE))?;
    (h.host != this_host() || holder_running(&h)).then_some(h)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scratch(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("feidi-lock-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("scratch directory");
        dir
    }

    /// A lock that names this process's id but another process's number was left by an
    /// earlier process with the same id (a restarted container): taken over, not
    /// refused; one with this process's own number is held.
    #[test]
    fn a_lock_from_an_earlier_process_with_this_id_is_stale() {
        let dir = scratch("same-pid");
        let path = dir.join(LOCK_FILE);
        let earlier = format!(
            "pid {}\nhost {}\ncommand feidi sweep\nprocess 0123456789abcdef\n",
            std::process::id(),
            this_host()
        );
        std::fs::write(&path, &earlier).expect("an earlier lock");
        assert_eq!(holder(&dir), None, "the earlier process is not running");
        let taken = lock(&dir, "feidi sweep resume").expect("the stale lock taken over");
        let now = holder(&dir).expect("held by this process");
        assert_eq!(now.process, this_process());
        drop(taken);
        assert!(!path.exists());
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn a_second_lock_is_refused_and_the_first_released_on_drop() {
        let dir = scratch("twice");
        let first = lock(&dir, "feidi run").expect("the first lock");
        match lock(&dir, "feidi sweep") {
            Err(Error::Locked { holder, .. }) => {
                assert_eq!(holder.pid, std::process::id());
                assert_eq!(holder.command, "feidi run");
            }
            other => panic!("a second lock gave {other:?}"),
        }
        drop(first);
        assert!(!dir.join(LOCK_FILE).exists());
        drop(lock(&dir, "feidi sweep").expect("the lock after release"));
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn a_stale_lock_is_taken_over() {
        let dir = scratch("stale");
        // A process id beyond Linux's largest is never running.
        std::fs::write(
            dir.join(LOCK_FILE),
            format!("pid 4194399\nhost {}\ncommand feidi sweep\n", this_host()),
        )
        .expect("write a stale lock");
        let held = lock(&dir, "feidi sweep resume").expect("the stale lock is taken over");
        assert_eq!(
            read_holder(&dir.join(LOCK_FILE)).map(|h| h.pid),
            Some(std::process::id())
        );
        drop(held);
        let _ = std::fs::remove_dir_all(&dir);
    }
}
