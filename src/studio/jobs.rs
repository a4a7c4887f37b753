//! Work started from the page — a run of a variant, a comparison of pinned variants —
//! each on its own thread (the studies use their own worker pool), so that the server
//! keeps answering while it works. The page polls a job's progress, reported through
//! the study's [`Progress`].

use super::{desk, tables};
use crate::plot::draw::{Frame, ImageFormat};
use crate::plot::{Lang, Loaded};
use crate::results::ResultFile;
use crate::study::{self, Cancel, Progress, Unit};
use serde_json::{json, Value};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

/// Where the studio writes: variants' scenario files and results directories.
pub const RESULTS_DIR: &str = "studio-results";

/// How a job stands.
#[derive(Clone, Debug)]
enum State {
    Running,
    Done(Value),
    Failed(String),
}

/// One piece of work and its progress.
pub struct Job {
    done: AtomicU64,
    total: AtomicU64,
    started: Instant,
    state: Mutex<State>,
    changed: Condvar,
    /// Set to stop the work between blocks of replications.
    pub cancel: Cancel,
}

impl Progress for Job {
    fn advance(&self, _unit: Unit, done: u64, total: u64) {
        self.done.store(done, Ordering::Relaxed);
        self.total.store(total, Ordering::Relaxed);
    }
}

impl Job {
    fn new() -> Job {
        Job {
            done: AtomicU64::new(0),
            total: AtomicU64::new(0),
            started: Instant::now(),
            state: Mutex::new(State::Running),
            changed: Condvar::new(),
            cancel: Cancel::new(),
        }
    }

    fn settle(&self, state: State) {
        *self.state.lock().unwrap_or_else(|p| p.into_inner()) = state;
        self.changed.notify_all();
    }

    /// The job as the page sees it; with `wait`, after waiting up to that long for it
    /// to end.
    pub fn status(&self, wait: Option<Duration>) -> Value {
        let mut state = self.state.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(wait) = wait {
            let deadline = Instant::now() + wait;
            while matches!(*state, State::Running) {
                let left = deadline.saturating_duration_since(Instant::now());
                if left.is_zero() {
                    break;
                }
                state = self
                    .changed
                    .wait_timeout(state, left)
                    .unwrap_or_else(|p| p.into_inner())
                    .0;
            }
        }
        let progress = json!({
            "done": self.done.load(Ordering::Relaxed),
            "total": self.total.load(Ordering::Relaxed),
            "seconds": self.started.elapsed().as_secs_f64(),
        });
        match &*state {
            State::Running => json!({"state": "running", "progress": progress}),
            State::Done(result) => json!({"state": "done", "progress": progress, "result": result}),
            State::Failed(message) => json!({
                "state": "failed",
                "progress": progress,
                "error": message,
                "cancelled": self.cancel.is_cancelled(),
            }),
        }
    }
}

/// Every job of this server, by number.
#[derive(Default)]
pub struct Jobs {
    jobs: Mutex<HashMap<u64, Arc<Job>>>,
    next: AtomicU64,
    /// Held while a new variant or comparison picks its name, so two never take one.
    naming: Mutex<()>,
}

impl Jobs {
    /// The job numbered `id`.
    pub fn get(&self, id: u64) -> Option<Arc<Job>> {
        self.jobs.lock().unwrap_or_else(|p| p.into_inner()).get(&id).cloned()
    }

    /// Starts `work` on its own thread; gives the job's number.
    fn start(&self, work: impl FnOnce(&Job) -> Result<Value, String> + Send + 'static) -> u64 {
        let id = self.next.fetch_add(1, Ordering::Relaxed) + 1;
        let job = Arc::new(Job::new());
        self.jobs
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .insert(id, job.clone());
        std::thread::spawn(move || {
            // A panic in the work (a bug) fails the job rather than the server.
            let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| work(&job)))
                .unwrap_or_else(|_| Err("the work stopped on an internal error (a bug in feidi)".to_string()));
            job.settle(match outcome {
                Ok(v) => State::Done(v),
                Err(e) => State::Failed(e),
            });
        });
        id
    }

    /// The first free `stem-N` (N from 1) for which none of `taken(name)` exists.
    fn free_name(&self, stem: &str, taken: impl Fn(&str) -> bool) -> (String, usize) {
        (1..)
            .map(|n| (format!("{stem}-{n}"), n))
            .find(|(name, _)| !taken(name))
            .expect("some number is free")
    }
}

/// What a run asks for.
pub struct RunAsk {
    /// The scenario file the variant starts from (confined already).
    pub scenario: PathBuf,
    /// The edits that make the variant.
    pub edits: Vec<desk::Edit>,
    /// Replications.
    pub replications: u64,
    /// Master seed.
    pub seed: u64,
}

/// The replications a run from the page may ask for.
fn page_replications(replications: u64) -> Result<(), String> {
    if (1..=100_000).contains(&replications) {
        Ok(())
    } else {
        Err(format!(
            "replications: expected 1 to 100,000 from the page, found {replications}"
        ))
    }
}

/// Writes the variant's scenario file (`studio-results/variants/NAME-N.toml`, its
/// `[scenario] name` set to NAME-N and its title marked "variant N", so that
/// comparisons can tell variants apart),
/// validates it, and starts the run into `studio-results/NAME-N/`. A bad edit is
/// refused before anything is written.
pub fn start_run(jobs: &Arc<Jobs>, root: &Path, ask: RunAsk) -> Result<(u64, String), String> {
    let label = desk::relative(root, &ask.scenario);
    let text = std::fs::read_to_string(&ask.scenario).map_err(|e| format!("{label}: cannot read it: {e}"))?;
    let edited = desk::apply(&label, &text, &ask.edits)?;
    let base = desk::validate(&label, &edited)?;
    page_replications(ask.replications)?;
    let results = root.join(RESULTS_DIR);
    let variants = results.join("variants");
    std::fs::create_dir_all(&variants).map_err(|e| format!("cannot create {}: {e}", variants.display()))?;
    let (name, file) = {
        let _naming = jobs.naming.lock().unwrap_or_else(|p| p.into_inner());
        let stem: String = base.name.chars().take(80).collect();
        let (name, number) = jobs.free_name(&stem, |n| {
            results.join(n).exists() || variants.join(format!("{n}.toml")).exists()
        });
        let mut edits = ask.edits.clone();
        edits.push(desk::Edit {
            path: "scenario.name".to_string(),
            value: name.clone(),
        });
        edits.push(desk::Edit {
            path: "scenario.title".to_string(),
            value: desk::variant_title(&base.title, number),
        });
        let variant = desk::apply(&label, &text, &edits)?;
        let file = variants.join(format!("{name}.toml"));
        crate::results::write_atomic(&file, variant.as_bytes())
            .map_err(|e| format!("cannot write {}: {e}", file.display()))?;
        (name, file)
    };
    let out = results.join(&name);
    let root = root.to_path_buf();
    let shown_name = name.clone();
    let id = jobs.start(move |job| {
        let mut result = run_variant(job, &root, &file, &out, ask.replications, ask.seed)?;
        result["name"] = name.clone().into();
        result["edits"] = ask
            .edits
            .iter()
            .map(|e| json!({"path": e.path, "value": e.value}))
            .collect();
        Ok(result)
    });
    Ok((id, shown_name))
}

/// Runs a variant's file into `out` (`study::run`, as `feidi run FILE -n R --seed S`
/// does) and gives what the page shows of it.
fn run_variant(job: &Job, root: &Path, file: &Path, out: &Path, replications: u64, seed: u64) -> Result<Value, String> {
    let request = study::run::RunRequest {
        scenario: file.to_path_buf(),
        replications,
        seed,
        threads: None,
        out: Some(out.to_path_buf()),
        force: false,
        allow_long: false,
        precision: Vec::new(),
        variance_reduction: study::VarianceReduction::Off,
    };
    let outcome = study::run::run(&request, job, &job.cancel).map_err(|e| e.to_string())?;
    let first_results = job.started.elapsed();
    let mut result = shown(root, out)?;
    result["variant_file"] = desk::relative(root, file).into();
    result["replications"] = outcome.results.replications.into();
    result["seed"] = seed.into();
    result["seconds_to_results"] = first_results.as_secs_f64().into();
    result["seconds_with_charts"] = job.started.elapsed().as_secs_f64().into();
    Ok(result)
}

/// What a refinement asks for: a variant already run, again with more replications.
pub struct RefineAsk {
    /// The variant's name (NAME-N).
    pub variant: String,
    /// Replications of the refined run.
    pub replications: u64,
    /// Master seed (the first run's, so that the refined run extends it).
    pub seed: u64,
}

/// Starts a refinement: the variant's file run again with more replications into
/// `studio-results/NAME-N-refined-R/`, a normal results directory equal to `feidi run
/// FILE -n R --seed S`'s. The first run's results stay as they are, so the page keeps
/// showing them until the refined ones are there. A refinement already finished is
/// shown again rather than run again (the same file, seed and replications give the
/// same bytes).
pub fn start_refine(jobs: &Arc<Jobs>, root: &Path, ask: RefineAsk) -> Result<u64, String> {
    study::named_path(Path::new(RESULTS_DIR), &ask.variant).map_err(|e| format!("refine: {e}"))?;
    let file = super::paths::confine(root, &format!("{RESULTS_DIR}/variants/{}.toml", ask.variant))?;
    if !file.is_file() {
        return Err(format!(
            "refine: no variant named \"{}\" here; run it first",
            ask.variant
        ));
    }
    page_replications(ask.replications)?;
    let name = format!("{}-refined-{}", ask.variant, ask.replications);
    let out = study::named_path(&root.join(RESULTS_DIR), &name).map_err(|e| format!("refine: {e}"))?;
    let root = root.to_path_buf();
    Ok(jobs.start(move |job| {
        let mut result = if crate::results::complete::check(&out).is_ok() {
            let mut result = shown(&root, &out)?;
            let summary = crate::results::SummaryFile::read(&out).map_err(|e| e.to_string())?;
            result["variant_file"] = desk::relative(&root, &file).into();
            result["replications"] = summary.replications.into();
            result["seed"] = summary.seed.into();
            result["seconds_to_results"] = 0.0.into();
            result["seconds_with_charts"] = job.started.elapsed().as_secs_f64().into();
            result
        } else {
            run_variant(job, &root, &file, &out, ask.replications, ask.seed)?
        };
        result["name"] = ask.variant.clone().into();
        result["refined"] = true.into();
        Ok(result)
    }))
}

/// What a comparison asks for: two variants already run.
pub struct CompareAsk {
    /// The variants' names (NAME-N).
    pub variants: Vec<String>,
    /// Replications of each.
    pub replications: u64,
    /// Master seed, shared (common random numbers).
    pub seed: u64,
}

/// Starts a comparison of variants' scenario files on common random numbers into
/// `studio-results/compare-A-vs-B-N/`.
pub fn start_compare(jobs: &Arc<Jobs>, root: &Path, ask: CompareAsk) -> Result<u64, String> {
    if ask.variants.len() < 2 {
        return Err(format!(
            "compare: expected two or more pinned variants, found {}",
            ask.variants.len()
        ));
    }
    let results = root.join(RESULTS_DIR);
    let mut files = Vec::new();
    for name in &ask.variants {
        // A plain file name only, the one rule for names that become paths.
        study::named_path(Path::new(RESULTS_DIR), name).map_err(|e| format!("compare: {e}"))?;
        let file = super::paths::confine(root, &format!("{RESULTS_DIR}/variants/{name}.toml"))?;
        if !file.is_file() {
            return Err(format!("compare: no variant named \"{name}\" here; run it first"));
        }
        files.push(file);
    }
    let out = {
        let _naming = jobs.naming.lock().unwrap_or_else(|p| p.into_inner());
        let stem: String = format!("compare-{}", ask.variants.join("-vs-"))
            .chars()
            .take(90)
            .collect();
        let (name, _) = jobs.free_name(&stem, |n| results.join(n).exists());
        let out = results.join(name);
        std::fs::create_dir_all(&out).map_err(|e| format!("cannot create {}: {e}", out.display()))?;
        out
    };
    let root = root.to_path_buf();
    Ok(jobs.start(move |job| {
        let request = study::compare::CompareRequest {
            scenarios: files,
            replications: ask.replications,
            seed: ask.seed,
            threads: None,
            out: out.clone(),
            force: false,
            allow_long: false,
            excel: false,
            rank_by: "home_tax_yuan".to_string(),
            precision: Vec::new(),
            variance_reduction: study::VarianceReduction::Off,
        };
        study::compare::compare(&request, job, &job.cancel).map_err(|e| e.to_string())?;
        shown(&root, &out)
    }))
}

/// What the page shows of a results directory: its summary or comparison tables and
/// its charts as SVG (written into `DIR/charts/`), in both languages.
pub fn shown(root: &Path, dir: &Path) -> Result<Value, String> {
    let loaded = crate::plot::load(dir).map_err(|e| e.to_string())?;
    let mut out = json!({"dir": desk::relative(root, dir)});
    for lang in [Lang::En, Lang::Zh] {
        let charts = svg_charts(root, &loaded, dir, lang)?;
        out[lang.pick("en", "zh")] = json!({
            "title": loaded.title.get(lang),
            "summary": tables::summary(&loaded, lang),
            "comparison": tables::comparison(&loaded, lang),
            "charts": charts,
        });
    }
    Ok(out)
}

/// Draws the charts of `loaded` as SVG only (PNG is for the report), written whole
/// into `DIR/charts/` under the names `feidi plot` gives them.
fn svg_charts(root: &Path, loaded: &Loaded, dir: &Path, lang: Lang) -> Result<Value, String> {
    let charts_dir = crate::plot::charts_dir(dir);
    std::fs::create_dir_all(&charts_dir).map_err(|e| format!("cannot create {}: {e}", charts_dir.display()))?;
    let suffix = match lang {
        Lang::En => "",
        Lang::Zh => ".zh",
    };
    let mut out = Vec::new();
    for chart in crate::plot::plan(loaded, lang) {
        let frame = Frame {
            lang,
            title: chart.title.clone(),
            subtitle: loaded.title.get(lang).to_string(),
            provenance: loaded.provenance.clone(),
        };
        let bytes = crate::plot::svg::Svg::render(&chart, &frame).map_err(|e| e.to_string())?;
        let path = charts_dir.join(format!("{}{suffix}.svg", chart.stem));
        crate::results::write_atomic(&path, &bytes).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
        out.push(json!({"title": chart.title, "stem": chart.stem, "path": desk::relative(root, &path)}));
    }
    Ok(Value::Array(out))
}
