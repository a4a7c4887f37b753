//! Long work started from the page: sweeps, calibrations and optimizations, each into
//! a normal results directory under `studio-results/` (so that `feidi report` works on
//! it), on its own thread, with its progress and an estimate of the time left.
//!
//! A job lives in its directory, not in the browser: `studio-job.json` (written
//! atomically before the study starts) records what it is and which file it runs, and
//! the study's own `manifest.json` says it finished. So the page, opened again or
//! served by a new server on the same working directory, lists every job with its state
//! by reading `studio-results/`, and a stopped one is resumed as the command line
//! resumes it: a sweep by `sweep::resume`, an optimization from its saved generations,
//! a calibration (which keeps nothing part-way) run again from the start, to the same
//! bytes.

use super::{desk, paths};
use crate::plot::labels::Word;
use crate::plot::Lang;
use crate::results::ResultFile;
use crate::study::{self, Cancel, Progress, Unit};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Instant;

/// The record of a job, in its results directory.
pub const RECORD: &str = "studio-job.json";

/// A job's failure, written into its directory so that a restarted server still says
/// why it stopped; removed when the job is started again.
pub const FAILURE: &str = "studio-failure.txt";

/// What kind of long work a study file asks for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// A sweep file (`[sweep]`).
    Sweep,
    /// A calibration file (`[calibration]`).
    Calibration,
    /// An optimization file (`[optimize]`).
    Optimization,
}

impl Kind {
    const ALL: [Kind; 3] = [Kind::Sweep, Kind::Calibration, Kind::Optimization];

    /// The file's top table that says what it is.
    fn table(self) -> &'static str {
        match self {
            Kind::Sweep => "sweep",
            Kind::Calibration => "calibration",
            Kind::Optimization => "optimize",
        }
    }

    /// The folder beside the served scenarios where such files are offered.
    fn source_folder(self) -> &'static str {
        match self {
            Kind::Sweep => "sweeps",
            Kind::Calibration => "calibration",
            Kind::Optimization => "optimize",
        }
    }

    /// The folder under `studio-results/` where its jobs go.
    fn results_folder(self) -> &'static str {
        match self {
            Kind::Sweep => "sweeps",
            Kind::Calibration => "calibrations",
            Kind::Optimization => "optimizations",
        }
    }

    fn word(self) -> Word {
        match self {
            Kind::Sweep => Word::Sweep,
            Kind::Calibration => Word::Calibration,
            Kind::Optimization => Word::Optimization,
        }
    }

    fn code(self) -> &'static str {
        self.table()
    }
}

/// `studio-job.json`: what a job directory holds and which file it runs.
#[derive(Clone, Debug, Serialize, Deserialize)]
struct Record {
    kind: Kind,
    /// The study file, relative to the working directory.
    file: String,
    /// Seconds since 1970 when it was first started (to list the newest first).
    started: u64,
    feidi_version: String,
}

/// The file's kind, from its top table (`[sweep]`, `[calibration]`, `[optimize]`).
fn kind_of(text: &str) -> Option<(Kind, toml::Table)> {
    let table: toml::Table = text.parse().ok()?;
    let kind = Kind::ALL
        .into_iter()
        .find(|k| table.get(k.table()).is_some_and(toml::Value::is_table))?;
    Some((kind, table))
}

/// A whole number the file sets in its top table (`generations`).
fn setting(table: &toml::Table, kind: Kind, key: &str) -> Option<u64> {
    table
        .get(kind.table())?
        .get(key)?
        .as_integer()
        .and_then(|n| u64::try_from(n).ok())
}

/// The study files offered: the `*.toml` files in the `sweeps/`, `calibration/` and
/// `optimize/` folders of the served scenario folder (of the served file's folder when
/// one file is served) whose top table says they are a sweep, a calibration or an
/// optimization. Any other study file inside the working directory can be started by
/// its path.
pub fn list(root: &Path, place: &Path) -> Vec<Value> {
    let base = if place.is_dir() {
        place.to_path_buf()
    } else {
        place
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_else(|| root.to_path_buf())
    };
    let mut out = Vec::new();
    for kind in Kind::ALL {
        let Ok(entries) = std::fs::read_dir(base.join(kind.source_folder())) else {
            continue;
        };
        let mut files: Vec<PathBuf> = entries
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|e| e == "toml") && p.is_file())
            .collect();
        files.sort();
        for file in files {
            let Ok(text) = std::fs::read_to_string(&file) else {
                continue;
            };
            if kind_of(&text).is_some_and(|(k, _)| k == kind) {
                out.push(json!({
                    "path": desk::relative(root, &file),
                    "kind": kind.code(),
                    "name": file.file_stem().map(|s| s.to_string_lossy().into_owned()),
                    "kind_en": kind.word().get(Lang::En),
                    "kind_zh": kind.word().get(Lang::Zh),
                }));
            }
        }
    }
    out
}

/// How far a job has got.
#[derive(Clone, Copy, Debug, Default)]
struct Track {
    /// Units done and in all, as the page shows them (a sweep's design points of the
    /// whole sweep, an optimization's settings, a calibration generation's particles).
    done: u64,
    total: u64,
    /// A calibration's generation (from 1) and generations in all.
    generation: Option<(u64, u64)>,
    /// The share of the whole job done, and the share done before this session.
    fraction: f64,
    before: Option<f64>,
}

/// A job working in this server.
pub struct LongJob {
    dir: PathBuf,
    cancel: Cancel,
    started: Instant,
    /// Generations in all (calibration and optimization), from the file.
    generations: u64,
    /// An optimization's share of the search done before this session.
    resumed_from: f64,
    /// A sweep's design points (read from its plan once it is written).
    points: OnceLock<u64>,
    track: Mutex<Track>,
    /// `None` while working; then `Ok` or why it stopped.
    outcome: Mutex<Option<Result<(), String>>>,
}

impl Progress for LongJob {
    fn advance(&self, unit: Unit, done: u64, total: u64) {
        let mut t = self.track.lock().unwrap_or_else(|p| p.into_inner());
        match unit {
            Unit::DesignPoints => {
                // A resumed sweep counts this session's points; the page shows the
                // whole sweep's.
                let points = *self
                    .points
                    .get_or_init(|| crate::results::SweepPlan::read(&self.dir).map_or(total, |p| p.points as u64));
                let points = points.max(total);
                let before = points - total;
                // Workers report as they finish, so a smaller count may come last.
                t.done = (before + done).max(t.done);
                t.total = points;
                t.fraction = t.done as f64 / points.max(1) as f64;
                t.before.get_or_insert(before as f64 / points.max(1) as f64);
            }
            Unit::Particles { generation, .. } => {
                let all = self.generations.max(generation as u64 + 1);
                t.done = done;
                t.total = total;
                t.generation = Some((generation as u64 + 1, all));
                t.fraction = (generation as f64 + done as f64 / total.max(1) as f64) / all as f64;
                t.before.get_or_insert(0.0);
            }
            Unit::Candidates | Unit::Replications => {
                t.done = done;
                t.total = total;
                t.fraction = done as f64 / total.max(1) as f64;
                t.before.get_or_insert(self.resumed_from);
            }
        }
    }
}

impl LongJob {
    fn settle(&self, outcome: Result<(), String>) {
        *self.outcome.lock().unwrap_or_else(|p| p.into_inner()) = Some(outcome);
    }

    fn is_working(&self) -> bool {
        self.outcome.lock().unwrap_or_else(|p| p.into_inner()).is_none()
    }

    /// Seconds left, from this session's pace; `None` before the first unit is done.
    fn seconds_left(&self, t: &Track) -> Option<f64> {
        let before = t.before?;
        let gained = t.fraction - before;
        (gained > 0.0).then(|| self.started.elapsed().as_secs_f64() * (1.0 - t.fraction).max(0.0) / gained)
    }
}

/// Every long job of this server, by its directory (relative to the working directory).
#[derive(Default)]
pub struct LongJobs {
    jobs: Mutex<HashMap<String, Arc<LongJob>>>,
    /// Held while a new job picks its directory, so two never take one.
    naming: Mutex<()>,
    /// Whether each job directory's results were found complete, by the manifest's
    /// modification time and size when checked: the page asks every half second while
    /// a job works, and checking hashes every file a finished study wrote.
    checked: Mutex<HashMap<PathBuf, (ManifestStamp, bool)>>,
}

/// A manifest's modification time and size.
type ManifestStamp = (Option<std::time::SystemTime>, u64);

/// A refusal in both languages, for the page to show in its own. Errors worded in
/// English only (from the study layer, paths) carry no Chinese and are shown as they are.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Said {
    /// The refusal in English.
    pub en: String,
    /// The same in Chinese, when feidi words it.
    pub zh: Option<String>,
}

impl Said {
    fn both(en: String, zh: String) -> Said {
        Said { en, zh: Some(zh) }
    }
}

impl From<String> for Said {
    fn from(en: String) -> Said {
        Said { en, zh: None }
    }
}

/// How many long jobs may work at once: each uses every core, so more would only
/// slow them all and the page with them.
pub const MAX_WORKING: usize = 2;

impl LongJobs {
    fn get(&self, rel: &str) -> Option<Arc<LongJob>> {
        self.jobs.lock().unwrap_or_else(|p| p.into_inner()).get(rel).cloned()
    }

    /// Whether `dir` holds a finished study's complete results (checked again only when
    /// its manifest changes).
    fn finished(&self, dir: &Path) -> bool {
        let marker = dir.join(crate::results::Manifest::NAME);
        let Ok(meta) = std::fs::metadata(&marker) else {
            return false;
        };
        let stamp = (meta.modified().ok(), meta.len());
        let mut checked = self.checked.lock().unwrap_or_else(|p| p.into_inner());
        if let Some((seen, complete)) = checked.get(dir) {
            if *seen == stamp {
                return *complete;
            }
        }
        let complete = crate::results::complete::check(dir).is_ok();
        checked.insert(dir.to_path_buf(), (stamp, complete));
        complete
    }

    /// Refuses new work while [`MAX_WORKING`] jobs work.
    fn room(&self) -> Result<(), Said> {
        let map = self.jobs.lock().unwrap_or_else(|p| p.into_inner());
        Self::room_in(&map)
    }

    fn room_in(map: &HashMap<String, Arc<LongJob>>) -> Result<(), Said> {
        let working = map.values().filter(|j| j.is_working()).count();
        if working >= MAX_WORKING {
            return Err(Said::both(
                format!("{working} long jobs are working already, the most at once; stop one or wait for it to finish"),
                format!("已有 {working} 项批量研究在运行，已达同时运行的上限；请先停止一项或等待其完成"),
            ));
        }
        Ok(())
    }
}

/// Checks that a study file is inside the working directory, reads it, and checks that
/// the base scenario it names is inside too (the page reaches nothing outside).
fn study_file(root: &Path, rel: &str) -> Result<(PathBuf, Kind, toml::Table), String> {
    if !rel.ends_with(".toml") {
        return Err(format!(
            "{}: expected a sweep, calibration or optimization file ending in .toml",
            rel.escape_debug()
        ));
    }
    let file = paths::confine(root, rel)?;
    let text = std::fs::read_to_string(&file).map_err(|e| format!("{rel}: cannot read it: {e}"))?;
    let (kind, table) = kind_of(&text).ok_or_else(|| {
        format!("{rel}: expected a sweep, calibration or optimization file (a [sweep], [calibration] or [optimize] table), found none")
    })?;
    if let Some(scenario) = table
        .get(kind.table())
        .and_then(|t| t.get("scenario"))
        .and_then(|s| s.as_str())
    {
        let named = file.parent().unwrap_or(root).join(scenario);
        // A scenario that does not exist is the study's to explain, with its location.
        if let Ok(real) = named.canonicalize() {
            if !real.starts_with(root) {
                return Err(format!(
                    "{rel}: {}.scenario: expected a scenario inside the working directory, found \"{}\" outside it",
                    kind.table(),
                    scenario.escape_debug()
                ));
            }
        }
    }
    Ok((file, kind, table))
}

/// Starts the study file `rel` (inside the working directory) into a new directory
/// `studio-results/<sweeps|calibrations|optimizations>/<file name>-N`; gives that
/// directory, relative to the working directory.
pub fn start(jobs: &Arc<LongJobs>, root: &Path, rel: &str) -> Result<String, Said> {
    let (file, kind, _) = study_file(root, rel)?;
    jobs.room()?;
    // Confined like every path the page names, so a linked studio-results/ cannot
    // carry results out of the working directory.
    let parent = paths::confine(root, &format!("{}/{}", super::RESULTS_DIR, kind.results_folder()))?;
    std::fs::create_dir_all(&parent).map_err(|e| format!("cannot create {}: {e}", parent.display()))?;
    let stem: String = file
        .file_stem()
        .map(|s| s.to_string_lossy().chars().take(80).collect())
        .unwrap_or_default();
    let dir = {
        let _naming = jobs.naming.lock().unwrap_or_else(|p| p.into_inner());
        // The first free number, taken by creating it, so that a second studio on the
        // same working directory cannot take the same one.
        let mut n = 1u64;
        loop {
            // A plain file name only, the one rule for names that become paths.
            let dir = study::named_path(&parent, &format!("{stem}-{n}")).map_err(|e| e.to_string())?;
            match std::fs::create_dir(&dir) {
                Ok(()) => break dir,
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => n += 1,
                Err(e) => return Err(format!("cannot create {}: {e}", dir.display()).into()),
            }
        }
    };
    let record = Record {
        kind,
        file: rel.to_string(),
        started: std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs()),
        feidi_version: env!("CARGO_PKG_VERSION").to_string(),
    };
    let bytes = serde_json::to_vec_pretty(&record).map_err(|e| e.to_string())?;
    crate::results::write_atomic(&dir.join(RECORD), &bytes)
        .map_err(|e| format!("cannot write {}: {e}", dir.join(RECORD).display()))?;
    let shown = desk::relative(root, &dir);
    launch(jobs, root, &shown, &dir, &record, false)?;
    Ok(shown)
}

/// Resumes the stopped job in `rel` (a directory under `studio-results/`).
pub fn resume(jobs: &Arc<LongJobs>, root: &Path, rel: &str) -> Result<String, Said> {
    let (dir, record) = job_dir(root, rel)?;
    if crate::results::complete::check(&dir).is_ok() {
        return Err(Said::both(
            format!("{rel}: finished already; nothing to resume"),
            format!("{rel}：已完成，无需继续"),
        ));
    }
    launch(jobs, root, rel, &dir, &record, true)?;
    Ok(rel.to_string())
}

/// Asks the job in `rel` to stop between units of work.
pub fn cancel(jobs: &LongJobs, rel: &str) -> Result<(), Said> {
    match jobs.get(rel) {
        Some(job) if job.is_working() => {
            job.cancel.cancel();
            Ok(())
        }
        _ => Err(Said::both(
            format!("{rel}: no work of this studio is running there"),
            format!("{rel}：本工作台没有在此运行的研究"),
        )),
    }
}

/// A job directory named by the page, and its record.
fn job_dir(root: &Path, rel: &str) -> Result<(PathBuf, Record), String> {
    let inside = rel
        .strip_prefix(super::RESULTS_DIR)
        .and_then(|r| r.strip_prefix('/'))
        .is_some_and(|r| {
            Kind::ALL
                .iter()
                .any(|k| r.starts_with(&format!("{}/", k.results_folder())))
        });
    if !inside {
        return Err(format!(
            "{}: expected a job directory under {}/sweeps, calibrations or optimizations",
            rel.escape_debug(),
            super::RESULTS_DIR
        ));
    }
    let dir = paths::confine(root, rel)?;
    let record: Record = crate::results::file::read_json(&dir.join(RECORD)).map_err(|e| e.to_string())?;
    Ok((dir, record))
}

/// Runs a job's study on its own thread (refused while one already works there).
fn launch(jobs: &Arc<LongJobs>, root: &Path, rel: &str, dir: &Path, record: &Record, resume: bool) -> Result<(), Said> {
    let (file, kind, table) = study_file(root, &record.file)?;
    if kind != record.kind {
        return Err(Said::both(
            format!(
                "{}: it is no longer a {} file; start it anew",
                record.file,
                record.kind.table()
            ),
            format!(
                "{}：已不再是{}文件，请重新开始",
                record.file,
                record.kind.word().get(Lang::Zh)
            ),
        ));
    }
    if kind == Kind::Sweep && resume {
        // A sweep resumes from the file its plan names, which must be the confined file
        // (a working directory copied elsewhere would otherwise read the original's).
        if let Ok(plan) = crate::results::SweepPlan::read(dir) {
            let same = match (plan.sweep_file.canonicalize(), file.canonicalize()) {
                (Ok(a), Ok(b)) => a == b,
                _ => false,
            };
            if !same {
                return Err(Said::both(
                    format!(
                        "{rel}: its plan names the sweep file \"{}\", not {} in this working directory; start it anew",
                        plan.sweep_file.display(),
                        record.file
                    ),
                    format!(
                        "{rel}：其计划记录的扫描文件是“{}”，不是本工作目录中的 {}；请重新开始",
                        plan.sweep_file.display(),
                        record.file
                    ),
                ));
            }
        }
    }
    let generations = setting(&table, kind, "generations").unwrap_or(1);
    let resumed_from = match kind {
        Kind::Optimization if resume => {
            let kept = (0..generations)
                .take_while(|g| dir.join("generations").join(format!("{g:04}.json")).is_file())
                .count() as f64;
            kept / generations.max(1) as f64
        }
        _ => 0.0,
    };
    let job = Arc::new(LongJob {
        dir: dir.to_path_buf(),
        cancel: Cancel::new(),
        started: Instant::now(),
        generations,
        resumed_from,
        points: OnceLock::new(),
        track: Mutex::new(Track::default()),
        outcome: Mutex::new(None),
    });
    {
        let mut map = jobs.jobs.lock().unwrap_or_else(|p| p.into_inner());
        if map.get(rel).is_some_and(|j| j.is_working()) {
            return Err(Said::both(
                format!("{rel}: it is working already"),
                format!("{rel}：正在运行"),
            ));
        }
        LongJobs::room_in(&map)?;
        if let Some(holder) = study::lock::holder(dir) {
            return Err(Said::both(
                format!(
                    "{rel}: in use by another feidi (process {}: {})",
                    holder.pid, holder.command
                ),
                format!(
                    "{rel}：另一个 feidi 正在使用（进程 {}：{}）",
                    holder.pid, holder.command
                ),
            ));
        }
        map.insert(rel.to_string(), job.clone());
    }
    let dir = dir.to_path_buf();
    // A new attempt: an earlier failure no longer describes the job.
    let _ = std::fs::remove_file(dir.join(FAILURE));
    let spawned = std::thread::Builder::new().spawn(move || {
        let work = || -> Result<(), study::Error> {
            let j: &LongJob = &job;
            match kind {
                Kind::Sweep if resume && dir.join(crate::results::SweepPlan::NAME).is_file() => {
                    study::sweep::resume(&dir, None, j, &j.cancel).map(drop)
                }
                Kind::Sweep => {
                    // The command line's defaults, so that the bytes are `feidi sweep`'s.
                    let request = study::sweep::SweepRequest {
                        file,
                        out: Some(dir.clone()),
                        threads: None,
                        force: false,
                        allow_long: false,
                        excel: false,
                        no_bom: false,
                        shard: None,
                    };
                    study::sweep::start(&request, j, &j.cancel).map(drop)
                }
                Kind::Optimization => {
                    let request = study::optimize::OptimizeRequest {
                        file,
                        out: Some(dir.clone()),
                        threads: None,
                        force: false,
                        resume,
                        bom: true,
                    };
                    study::optimize::optimize(&request, j, &j.cancel).map(drop)
                }
                Kind::Calibration => {
                    // Nothing kept part-way: run again from the start (same bytes).
                    let request = study::calibrate::CalibrateRequest {
                        file,
                        out: Some(dir.clone()),
                        threads: None,
                        force: resume,
                    };
                    study::calibrate::calibrate(&request, j, &j.cancel).map(drop)
                }
            }
        };
        let outcome = match std::panic::catch_unwind(std::panic::AssertUnwindSafe(work)) {
            Ok(Ok(())) => Ok(()),
            Ok(Err(e)) => Err(e.to_string()),
            Err(_) => Err("the work stopped on an internal error (a bug in feidi)".to_string()),
        };
        if let Err(e) = &outcome {
            if !job.cancel.is_cancelled() {
                // Best effort: the failure is also kept in memory for this server.
                let _ = crate::results::write_atomic(&dir.join(FAILURE), e.as_bytes());
            }
        }
        job.settle(outcome);
    });
    if let Err(e) = spawned {
        // No thread will settle it: the job must not be listed as working.
        jobs.jobs.lock().unwrap_or_else(|p| p.into_inner()).remove(rel);
        return Err(format!("{rel}: cannot start the work: {e}").into());
    }
    Ok(())
}

/// Every job under `studio-results/`, newest first, with its state — `running`,
/// `stopped` (resumable), `finished`, `failed`, `busy` (another feidi holds it) or
/// `unreadable` (its `studio-job.json` cannot be read, said why) — and its progress in
/// both languages.
pub fn status(jobs: &LongJobs, root: &Path) -> Value {
    let mut found: Vec<(u64, String, PathBuf, Record)> = Vec::new();
    let mut unreadable: Vec<Value> = Vec::new();
    for kind in Kind::ALL {
        let folder = root.join(super::RESULTS_DIR).join(kind.results_folder());
        let Ok(entries) = std::fs::read_dir(&folder) else {
            continue;
        };
        for dir in entries.filter_map(Result::ok).map(|e| e.path()) {
            if !dir.join(RECORD).is_file() {
                continue;
            }
            match crate::results::file::read_json::<Record>(&dir.join(RECORD)) {
                Ok(record) => found.push((record.started, desk::relative(root, &dir), dir, record)),
                // Said, not skipped: the planner sees why a job is not offered.
                Err(e) => unreadable.push(json!({
                    "dir": desk::relative(root, &dir),
                    "kind": kind.code(),
                    "file": "",
                    "kind_en": kind.word().get(Lang::En),
                    "kind_zh": kind.word().get(Lang::Zh),
                    "state": "unreadable",
                    "error": e.to_string(),
                    "line": {"en": e.to_string(), "zh": format!("无法读取：{e}")},
                })),
            }
        }
    }
    found.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
    let mut list: Vec<Value> = found
        .into_iter()
        .map(|(_, rel, dir, record)| one(jobs, root, &rel, &dir, &record))
        .collect();
    list.extend(unreadable);
    json!({"jobs": list})
}

/// One job as the page shows it.
fn one(jobs: &LongJobs, root: &Path, rel: &str, dir: &Path, record: &Record) -> Value {
    let job = jobs.get(rel);
    let job = job.as_deref();
    let kind = record.kind;
    let mut out = json!({
        "dir": rel,
        "kind": kind.code(),
        "file": record.file,
        "kind_en": kind.word().get(Lang::En),
        "kind_zh": kind.word().get(Lang::Zh),
    });
    let texts = |f: &dyn Fn(Lang) -> String| json!({"en": f(Lang::En), "zh": f(Lang::Zh)});
    if let Some(job) = job.filter(|j| j.is_working()) {
        let t = *job.track.lock().unwrap_or_else(|p| p.into_inner());
        let left = job.seconds_left(&t);
        out["state"] = "running".into();
        out["done"] = t.done.into();
        out["total"] = t.total.into();
        out["fraction"] = t.fraction.into();
        out["seconds_left"] = left.into();
        out["line"] = texts(&|lang| {
            if job.cancel.is_cancelled() {
                return lang
                    .pick(
                        "stopping once the work in progress is done…",
                        "正在停止，待进行中的部分完成…",
                    )
                    .to_string();
            }
            if kind == Kind::Optimization && t.total > 0 && t.done >= t.total {
                // The selection and the comparison with the base follow the search, with
                // no count of their own to show.
                return lang
                    .pick(
                        "search done; choosing among the finalists and comparing with the scenario as it is…",
                        "搜索完成；正在从入围方案中选优并与现状比较…",
                    )
                    .to_string();
            }
            let so_far = if t.total == 0 {
                lang.pick("starting…", "准备中…").to_string()
            } else {
                progress_words(kind, &t, lang)
            };
            match left {
                Some(s) => format!("{so_far} · {}", time_left(s, lang)),
                None => so_far,
            }
        });
        out["cancelling"] = job.cancel.is_cancelled().into();
        return out;
    }
    if jobs.finished(dir) {
        out["state"] = "finished".into();
        out["line"] = texts(&|lang| lang.pick("finished", "已完成").to_string());
        for (key, lang) in [("report_en", Lang::En), ("report_zh", Lang::Zh)] {
            let report = crate::report::report_path(dir, lang);
            if report.is_file() {
                out[key] = format!(
                    "{rel}/{}",
                    report.file_name().map(|n| n.to_string_lossy()).unwrap_or_default()
                )
                .into();
            }
        }
        return out;
    }
    let failure = job
        .and_then(|j| {
            let outcome = j.outcome.lock().unwrap_or_else(|p| p.into_inner());
            match &*outcome {
                Some(Err(e)) if !j.cancel.is_cancelled() => Some(e.clone()),
                _ => None,
            }
        })
        // A failure of a job this server did not run (before a restart).
        .or_else(|| {
            job.is_none()
                .then(|| std::fs::read_to_string(dir.join(FAILURE)).ok())
                .flatten()
        });
    if let Some(error) = failure {
        out["state"] = "failed".into();
        out["error"] = error.clone().into();
        out["line"] = texts(&|lang| format!("{}: {error}", lang.pick("failed", "失败")));
        return out;
    }
    if let Some(holder) = study::lock::holder(dir) {
        out["state"] = "busy".into();
        out["line"] = texts(&|lang| match lang {
            Lang::En => format!("in use by another feidi ({})", holder.command),
            Lang::Zh => format!("另一个 feidi 正在使用（{}）", holder.command),
        });
        return out;
    }
    out["state"] = "stopped".into();
    let kept = kept_words(kind, root, dir, record);
    out["line"] = texts(&|lang| kept(lang));
    out
}

/// Whole numbers with thousands separators ("1,200").
fn count(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, d) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(d);
    }
    out
}

/// What a running job has done, in the planner's words.
fn progress_words(kind: Kind, t: &Track, lang: Lang) -> String {
    let (done, total) = (count(t.done), count(t.total));
    match (kind, lang) {
        (Kind::Sweep, Lang::En) => format!("{done} of {total} design points done"),
        (Kind::Sweep, Lang::Zh) => format!("已完成 {done}/{total} 个设计点"),
        (Kind::Optimization, Lang::En) => format!("{done} of {total} settings evaluated"),
        (Kind::Optimization, Lang::Zh) => format!("已评估 {done}/{total} 个方案"),
        (Kind::Calibration, _) => {
            let (g, all) = t.generation.unwrap_or((1, 1));
            match lang {
                Lang::En => format!("generation {g} of {all}: {done} of {total} particles accepted"),
                Lang::Zh => format!("第 {g}/{all} 代：已接受 {done}/{total} 个粒子"),
            }
        }
    }
}

/// The time left, in the planner's words: minutes, or hours and minutes.
fn time_left(seconds: f64, lang: Lang) -> String {
    let minutes = (seconds / 60.0).ceil().max(1.0) as u64;
    if seconds < 60.0 {
        return lang.pick("under a minute left", "剩余不到 1 分钟").to_string();
    }
    let (h, m) = (minutes / 60, minutes % 60);
    match (lang, h) {
        (Lang::En, 0) => format!("about {m} minute{} left", if m == 1 { "" } else { "s" }),
        (Lang::Zh, 0) => format!("约剩 {m} 分钟"),
        (Lang::En, _) => format!("about {} hour{} {m} min left", count(h), if h == 1 { "" } else { "s" }),
        (Lang::Zh, _) => format!("约剩 {} 小时 {m} 分钟", count(h)),
    }
}

/// What a stopped job keeps and how it goes on, read from its directory.
fn kept_words(kind: Kind, root: &Path, dir: &Path, record: &Record) -> impl Fn(Lang) -> String {
    let counted = |sub: &str, ext: &str| {
        std::fs::read_dir(dir.join(sub)).map_or(0, |entries| {
            entries
                .filter_map(Result::ok)
                .filter(|e| {
                    let name = e.file_name().to_string_lossy().into_owned();
                    !name.starts_with('.') && name.ends_with(ext)
                })
                .count() as u64
        })
    };
    let (kept, total) = match kind {
        Kind::Sweep => (
            counted("rows", ".csv"),
            crate::results::SweepPlan::read(dir).map_or(0, |p| p.points as u64),
        ),
        Kind::Optimization => (
            counted("generations", ".json"),
            paths::confine(root, &record.file)
                .ok()
                .filter(|f| f.is_file())
                .and_then(|f| std::fs::read_to_string(f).ok())
                .and_then(|text| setting(&kind_of(&text)?.1, kind, "generations"))
                .unwrap_or(0),
        ),
        Kind::Calibration => (0, 0),
    };
    move |lang: Lang| {
        let (kept, total) = (count(kept), count(total));
        match (kind, lang) {
            (Kind::Sweep, Lang::En) if total != "0" => {
                format!("stopped — {kept} of {total} design points kept; resume to finish")
            }
            (Kind::Sweep, Lang::Zh) if total != "0" => format!("已停止 — 已保留 {kept}/{total} 个设计点，可继续"),
            (Kind::Sweep, Lang::En) => "stopped before its first design point; resume to start".to_string(),
            (Kind::Sweep, Lang::Zh) => "在第一个设计点之前停止，可继续".to_string(),
            (Kind::Optimization, Lang::En) => {
                format!("stopped — {kept} of {total} generations of the search kept; resume to finish")
            }
            (Kind::Optimization, Lang::Zh) => format!("已停止 — 已保留搜索的 {kept}/{total} 代，可继续"),
            (Kind::Calibration, Lang::En) => {
                "stopped — a calibration keeps nothing part-way; resume runs it again from the start, to the same result".to_string()
            }
            (Kind::Calibration, Lang::Zh) => "已停止 — 校准不保留中间结果，继续将从头重算，结果相同".to_string(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_left_read_as_a_planner_says_them() {
        assert_eq!(time_left(20.0, Lang::En), "under a minute left");
        assert_eq!(time_left(61.0, Lang::En), "about 2 minutes left");
        assert_eq!(time_left(7_300.0, Lang::Zh), "约剩 2 小时 2 分钟");
        assert_eq!(time_left(3_600.0 * 30.0, Lang::En), "about 30 hours 0 min left");
        assert_eq!(count(1_234_567), "1,234,567");
    }

    #[test]
    fn a_file_says_its_kind_by_its_top_table() {
        assert_eq!(kind_of("[sweep]\nname = \"a\"").map(|k| k.0), Some(Kind::Sweep));
        assert_eq!(kind_of("[optimize]\n").map(|k| k.0), Some(Kind::Optimization));
        assert_eq!(kind_of("[scenario]\nname = \"a\"").map(|k| k.0), None);
        assert_eq!(kind_of("not toml [").map(|k| k.0), None);
    }
}
