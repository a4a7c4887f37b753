//! Whether a results directory is complete, and the leftovers of a killed writer.
//!
//! manifest.json is the completeness marker: every study (run, sweep, merge, compare,
//! calibrate) writes it last, after every file it lists, and `--force` removes it first.
//! A directory without it, or with a listed file missing or not the bytes the manifest
//! records, is incomplete, and every reader refuses it naming what is missing. Files
//! written later beside the results (discovery.json, report.html, charts/, the workbook)
//! are each written whole under a hidden temporary name and renamed, so they are there
//! whole or not at all; they are not listed.

use super::file::ReadError;
use super::files::sha256_hex;
use super::manifest::Manifest;
use super::sweep_plan::SweepPlan;
use super::ResultFile;
use std::path::{Path, PathBuf};

/// Result files whose presence without manifest.json shows an unfinished study.
const RESULT_FILES: [&str; 9] = [
    "summary.json",
    "series.csv",
    "points.csv",
    "sensitivity.json",
    "compare.json",
    "compare.csv",
    "calibration.json",
    "posterior.csv",
    "optimize.json",
];

/// Checks that `dir` holds complete results: manifest.json is there and reads, and
/// every file it lists is there with the length and SHA-256 it records (a listed
/// manifest.json of a subfolder, such as a compared alternative's, is checked the same
/// way). Gives the manifest; the error names what is missing or changed, and what to do.
pub fn check(dir: &Path) -> Result<Manifest, ReadError> {
    let marker = dir.join(Manifest::NAME);
    if !marker.is_file() {
        return Err(ReadError::new(&marker, missing_marker(dir)));
    }
    let manifest = Manifest::read(dir)?;
    for record in &manifest.files {
        let path = dir.join(&record.name);
        let bytes = std::fs::read(&path).map_err(|e| {
            ReadError::new(
                &path,
                format!(
                    "missing or unreadable ({e}), though {} lists it: the results are incomplete; write them again (with --force)",
                    marker.display()
                ),
            )
        })?;
        if bytes.len() != record.bytes || sha256_hex(&bytes) != record.sha256 {
            return Err(ReadError::new(
                &path,
                format!(
                    "not the file feidi wrote ({} bytes now, {} recorded; its SHA-256 differs from the one in {}): it was changed or cut short since; write the results again (with --force)",
                    bytes.len(),
                    record.bytes,
                    marker.display()
                ),
            ));
        }
        let nested = Path::new(&record.name);
        if nested.file_name().is_some_and(|n| n == Manifest::NAME)
            && nested.parent().is_some_and(|p| !p.as_os_str().is_empty())
        {
            check(&dir.join(nested.parent().expect("a parent folder")))?;
        }
    }
    Ok(manifest)
}

/// Why a directory without manifest.json is incomplete, in words: an unfinished sweep
/// or a shard (from its plan), or a study stopped before it finished.
fn missing_marker(dir: &Path) -> String {
    if dir.join(SweepPlan::NAME).is_file() {
        let done = std::fs::read_dir(dir.join("rows")).map_or(0, |rows| {
            rows.filter_map(Result::ok)
                .filter(|e| {
                    let name = e.file_name();
                    let name = name.to_string_lossy();
                    !name.starts_with('.') && name.ends_with(".csv")
                })
                .count()
        });
        return match SweepPlan::read(dir) {
            Ok(plan) => match plan.shard {
                Some((k, n)) => format!(
                    "missing: this is shard {k} of {n} of a sweep ({done} design points done), which has no manifest.json; merge the shards with `feidi merge --out DIR SHARD_DIR...` and read the merged directory"
                ),
                None => format!(
                    "missing: the sweep is unfinished ({done} of {} design points done) and manifest.json is written last; finish it with `feidi sweep resume {}`",
                    plan.points,
                    dir.display()
                ),
            },
            Err(e) => format!("missing, and the sweep's plan cannot be read ({e})"),
        };
    }
    let present: Vec<&str> = RESULT_FILES.iter().copied().filter(|f| dir.join(f).is_file()).collect();
    if present.is_empty() {
        "missing: no results here".to_string()
    } else {
        format!(
            "missing beside {}: feidi writes manifest.json last, so the work that wrote these was stopped before it finished (killed, or a full disk); write the results again (with --force)",
            present.join(", ")
        )
    }
}

/// Subfolders of a results directory that feidi writes files into.
const OWN_FOLDERS: [&str; 6] = ["rows", "series", "checks", "charts", "failed-points", "alternatives"];

/// Removes the hidden temporary files that a killed writer left in `dir` and feidi's
/// subfolders (`.NAME.tmp-PID` of a whole-file write, `.feidi-write-test-PID` of the
/// writability probe), when process PID is no longer running; gives how many. They are
/// never read as results: readers open files by their own names only.
pub fn remove_leftovers(dir: &Path) -> usize {
    let mut folders: Vec<PathBuf> = vec![dir.to_path_buf()];
    for sub in OWN_FOLDERS {
        folders.push(dir.join(sub));
    }
    if let Ok(alternatives) = std::fs::read_dir(dir.join("alternatives")) {
        folders.extend(
            alternatives
                .filter_map(Result::ok)
                .map(|e| e.path())
                .filter(|p| p.is_dir()),
        );
    }
    let mut removed = 0;
    for folder in folders {
        let Ok(entries) = std::fs::read_dir(&folder) else {
            continue;
        };
        for entry in entries.filter_map(Result::ok) {
            let name = entry.file_name();
            let Some(pid) = leftover_pid(&name.to_string_lossy()) else {
                continue;
            };
            if !process_running(pid) && std::fs::remove_file(entry.path()).is_ok() {
                removed += 1;
            }
        }
    }
    removed
}

/// The process id in the name of a temporary file feidi writes, if it is one.
fn leftover_pid(name: &str) -> Option<u32> {
    let pid = if let Some(rest) = name.strip_prefix(".feidi-write-test-") {
        rest
    } else {
        let (_, pid) = name.strip_prefix('.')?.rsplit_once(".tmp-")?;
        pid
    };
    pid.parse().ok()
}

/// Whether process `pid` on this machine is running (true when it cannot be told).
pub fn process_running(pid: u32) -> bool {
    if pid == std::process::id() {
        return true;
    }
    if Path::new("/proc/self").exists() {
        return Path::new("/proc").join(pid.to_string()).exists();
    }
    #[cfg(unix)]
    {
        std::process::Command::new("kill")
            .args(["-0", &pid.to_string()])
            .stderr(std::process::Stdio::null())
            .status()
            .map_or(true, |s| s.success())
    }
    #[cfg(not(unix))]
    {
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::results::file::testing::temp_dir;
    use crate::results::FileRecord;

    fn manifest(files: Vec<FileRecord>) -> Manifest {
        Manifest {
            feidi_version: "0.1.0".into(),
            study: Default::default(),
            scenario_file: Some("a.toml".into()),
            sweep_sha256: None,
            calibration_sha256: None,
            optimization_sha256: None,
            scenario_sha256: "cd".into(),
            seed: 1,
            replications: Some(2),
            replications_per_point: None,
            replications_per_particle: None,
            points: None,
            replications_per_block: 64,
            files,
        }
    }

    #[test]
    fn a_directory_is_complete_only_with_its_manifest_and_every_listed_file_intact() {
        let dir = temp_dir("complete");
        std::fs::write(dir.join("summary.json"), b"{}").unwrap();
        let why = check(&dir).unwrap_err().to_string();
        assert!(why.contains("manifest.json: missing beside summary.json"), "{why}");
        manifest(vec![FileRecord::of("summary.json", b"{}")])
            .write(&dir)
            .unwrap();
        check(&dir).expect("complete");
        std::fs::write(dir.join("summary.json"), b"{").unwrap();
        let why = check(&dir).unwrap_err().to_string();
        assert!(why.contains("summary.json: not the file feidi wrote"), "{why}");
        std::fs::remove_file(dir.join("summary.json")).unwrap();
        let why = check(&dir).unwrap_err().to_string();
        assert!(why.contains("summary.json: missing or unreadable"), "{why}");
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn leftovers_of_dead_processes_are_removed_and_others_kept() {
        let dir = temp_dir("leftovers");
        std::fs::create_dir_all(dir.join("rows")).unwrap();
        // A process id beyond Linux's largest is never running.
        let dead = dir.join("rows").join(".00000003.csv.tmp-4194399");
        let probe = dir.join(".feidi-write-test-4194399");
        let mine = dir.join(format!(".summary.json.tmp-{}", std::process::id()));
        let kept = dir.join(".notes.tmp-x");
        for f in [&dead, &probe, &mine, &kept] {
            std::fs::write(f, b"partial").unwrap();
        }
        assert_eq!(remove_leftovers(&dir), 2);
        assert!(!dead.exists() && !probe.exists() && mine.exists() && kept.exists());
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
