//! The `feidi` command line: it parses arguments, calls a study ([`crate::study`]),
//! prints what came back, and chooses the exit code. It holds no orchestration: every
//! study is a library function. Only this module reads the environment (a cluster
//! scheduler's shard variables) and writes to the terminal.

mod args;
mod progress;

pub use args::Cli;

use crate::study::{self, Cancel, Error};
use args::{Command, MergeArgs, PlotArgs, ReportArgs, RunArgs, StudioArgs, SweepAction, SweepCommand, SweepRunArgs};
use progress::{duration_text, Terminal};
use std::io::Write;
use std::path::Path;

/// Set by Ctrl-C: the study stops after the work in progress, keeping what is done.
static CANCEL: Cancel = Cancel::new();

/// A failure, with the exit code it deserves.
#[derive(Debug)]
pub enum Failure {
    /// Bad input (a scenario file or an argument): exit code 2.
    Input(String),
    /// Something went wrong while working (an unwritable directory): exit code 1.
    Runtime(String),
    /// The user stopped the work (Ctrl-C); finished work is kept: exit code 130.
    Interrupted(String),
}

impl Failure {
    /// The process exit code.
    pub fn exit_code(&self) -> i32 {
        match self {
            Failure::Input(_) => 2,
            Failure::Runtime(_) => 1,
            Failure::Interrupted(_) => 130,
        }
    }

    /// The message for standard error.
    pub fn message(&self) -> &str {
        match self {
            Failure::Input(m) | Failure::Runtime(m) | Failure::Interrupted(m) => m,
        }
    }
}

/// The one place where a study's error becomes a message in the command line's words
/// (naming its flags) and an exit code.
impl From<Error> for Failure {
    fn from(e: Error) -> Self {
        match e {
            Error::Input(m) => Failure::Input(m),
            Error::Failed(m) => Failure::Runtime(m),
            Error::ResultsExist { ref dir, resumable, .. } => Failure::Input(if resumable {
                format!(
                    "{e}; continue it with `feidi sweep resume {}`, or add --force to start over",
                    dir.display()
                )
            } else {
                format!("{e}; choose another --out or add --force to replace them")
            }),
            Error::Locked { ref dir, .. } => Failure::Input(format!(
                "{e}; wait for it to finish, or, if no such process is running, remove {}",
                dir.join(study::lock::LOCK_FILE).display()
            )),
            Error::TooMuchWork(_) => Failure::Input(format!(
                "{e}; reduce the replications or the horizon, or add --allow-long to run it anyway"
            )),
            Error::Replication {
                ref failure,
                ref scenario,
                ..
            } => Failure::Runtime(format!(
                "{e}\n  re-run it alone with: feidi run {} --seed {} --replay {}:{}",
                scenario.display(),
                failure.seed,
                failure.point,
                failure.replication
            )),
            Error::Cancelled {
                dir: Some(ref dir),
                what: crate::study::Kept::DesignPoints,
                ..
            } => Failure::Interrupted(format!("{e}; continue with `feidi sweep resume {}`", dir.display())),
            Error::Cancelled {
                dir: Some(ref dir),
                what: crate::study::Kept::Generations,
                ..
            } => Failure::Interrupted(format!(
                "{e}; continue with `feidi optimize FILE --out {} --resume`",
                dir.display()
            )),
            Error::Cancelled { dir: None, .. } => Failure::Interrupted(e.to_string()),
        }
    }
}

impl From<crate::plot::PlotError> for Failure {
    fn from(e: crate::plot::PlotError) -> Self {
        use crate::plot::PlotError;
        match e {
            PlotError::Input(_) | PlotError::NotResults(_) => Failure::Input(e.to_string()),
            PlotError::Draw(_) | PlotError::Write { .. } => Failure::Runtime(e.to_string()),
        }
    }
}

/// Writes to standard output; a reader that has gone away (`feidi run ... | head`) is
/// not an error worth a panic, so output just stops.
fn say(text: &str) -> Result<(), Failure> {
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|_| out.flush()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
            Err(Failure::Runtime(format!("cannot write to standard output: {e}")))
        }
        _ => Ok(()),
    }
}

/// A first Ctrl-C asks the study to stop cleanly; a second quits at once.
fn catch_ctrl_c() {
    // The handler can be set once per process; a second call is harmless.
    let _ = ctrlc::set_handler(|| {
        if CANCEL.cancel() {
            std::process::exit(130);
        }
        eprintln!("\nstopping after the work in progress; Ctrl-C again to quit at once");
    });
}

/// Runs the parsed command line.
pub fn main(cli: Cli) -> Result<(), Failure> {
    match cli.command {
        Command::Run(args) => run(args),
        Command::Validate { files } => validate(&files),
        Command::Sweep(args) => sweep(args),
        Command::Merge(args) => merge(&args),
        Command::Compare(args) => compare(args),
        Command::Plot(args) => plot(&args),
        Command::Report(args) => report(args),
        Command::Workbook(args) => write_workbook(&args),
        Command::Discover(args) => discover(args),
        Command::Bench { scenario, runs, seed } => bench(&scenario, runs, seed),
        Command::Calibrate(args) => calibrate(args),
        Command::Optimize(args) => optimize(args),
        Command::Studio(args) => studio(&args),
    }
}

fn run(args: RunArgs) -> Result<(), Failure> {
    if let Some((point, replication)) = args.replay {
        let replayed = study::run::replay(&args.scenario, args.replicate.seed, point, replication)?;
        let mut text = format!(
            "replication {replication} of design point {point}, seed {}\n",
            args.replicate.seed
        );
        for (info, value) in &replayed.totals {
            text.push_str(&format!(
                "{:<28} {:>16} {}\n",
                info.name,
                crate::results::figure(*value),
                info.unit
            ));
        }
        return say(&text);
    }
    let request = study::run::RunRequest {
        scenario: args.scenario.clone(),
        replications: args.replications,
        seed: args.replicate.seed,
        threads: args.threads.count(),
        out: args.output.out.clone(),
        force: args.output.force,
        allow_long: args.work.allow_long,
        precision: args.replicate.precision.clone(),
        variance_reduction: args.replicate.variance_reduction,
    };
    catch_ctrl_c();
    let outcome = study::run::run(&request, &Terminal::new(), &CANCEL)?;
    if args.json {
        say(&outcome.summary_json)?;
    } else {
        let elapsed = outcome.elapsed.as_secs_f64();
        say(&format!(
            "{}{}{elapsed:.1} s, {:.2} million model events per second; results in {}\n",
            crate::report::terminal::run_summary(&outcome.out, args.language.lang)?,
            outcome.stopping.as_ref().map_or(String::new(), |s| s.describe()),
            outcome.results.events as f64 / elapsed.max(1e-9) / 1e6,
            outcome.out.display()
        ))?;
    }
    if args.report {
        write_report(&PlotArgs {
            dir: outcome.out,
            language: args.language,
        })?;
    }
    Ok(())
}

fn validate(files: &[std::path::PathBuf]) -> Result<(), Failure> {
    let mut problems = Vec::new();
    for file in files {
        match study::validate::check(file, &Terminal::new()) {
            Ok(checked) => say(&format!("{checked}\n"))?,
            Err(e) => problems.push(Failure::from(e).message().to_string()),
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(Failure::Input(problems.join("\n")))
    }
}

fn sweep(command: SweepCommand) -> Result<(), Failure> {
    match command.action {
        Some(SweepAction::Run(args)) => sweep_run(args),
        None => sweep_run(command.run),
        Some(SweepAction::Resume { dir, threads }) => {
            catch_ctrl_c();
            let outcome = study::sweep::resume(&dir, threads.count(), &Terminal::new(), &CANCEL)?;
            sweep_done(&outcome)
        }
        Some(SweepAction::Plan { file }) => {
            let e = study::sweep::estimate(&file)?;
            say(&format!(
                "{}: {} design points × {} replications = {} runs; about {} on {} threads \
                 (from a trial of {} replications of point 0)\n",
                e.name,
                e.points,
                e.replications,
                e.points as u64 * e.replications,
                duration_text(e.seconds),
                e.threads,
                e.trial
            ))
        }
        Some(SweepAction::Merge(args)) => merge(&args),
    }
}

fn sweep_run(args: SweepRunArgs) -> Result<(), Failure> {
    let file = args
        .file
        .ok_or_else(|| Failure::Input("usage: feidi sweep [run] SWEEP.toml".to_string()))?;
    let request = study::sweep::SweepRequest {
        file,
        out: args.output.out,
        threads: args.threads.count(),
        force: args.output.force,
        allow_long: args.work.allow_long,
        excel: args.excel.excel,
        no_bom: args.excel.no_bom,
        shard: shard(args.shard.as_deref())?,
    };
    catch_ctrl_c();
    let outcome = study::sweep::start(&request, &Terminal::new(), &CANCEL)?;
    sweep_done(&outcome)
}

fn sweep_done(outcome: &study::sweep::SweepOutcome) -> Result<(), Failure> {
    match outcome.shard {
        Some((k, n)) => say(&format!(
            "shard {k} of {n}: {} design points in {}; combine the shards with `feidi merge --out DIR SHARD_DIR...`\n",
            outcome.mine,
            outcome.dir.display()
        )),
        None => say(&format!(
            "{} design points × {} replications in {:.1} s; results in {}\n",
            outcome.points,
            outcome.replications,
            outcome.elapsed.as_secs_f64(),
            outcome.dir.display()
        )),
    }
}

fn merge(args: &MergeArgs) -> Result<(), Failure> {
    let (shards, points) = study::sweep::merge(&args.out, &args.shards, args.excel.bom(), args.force)?;
    say(&format!(
        "{shards} shards merged: {points} design points; results in {}\n",
        args.out.display()
    ))
}

/// Shard K of N from `--shard K/N` or a cluster scheduler's array variables (Slurm,
/// Kubernetes indexed jobs, PBS).
fn shard(flag: Option<&str>) -> Result<Option<(usize, usize)>, Failure> {
    let env = |k: &str| std::env::var(k).ok();
    let (k, n, from) = match flag {
        Some(text) => {
            let (k, n) = text
                .split_once('/')
                .ok_or_else(|| Failure::Input(format!("--shard takes K/N, found `{text}`")))?;
            (k.to_string(), n.to_string(), "--shard")
        }
        None => match [
            ("SLURM_ARRAY_TASK_ID", "SLURM_ARRAY_TASK_COUNT"),
            ("JOB_COMPLETION_INDEX", "JOB_COMPLETIONS"),
            ("PBS_ARRAY_INDEX", "PBS_ARRAY_COUNT"),
        ]
        .iter()
        .find_map(|(k, n)| Some((env(k)?, env(n)?, *k)))
        {
            Some(found) => found,
            None => return Ok(None),
        },
    };
    let parse = |s: &str| {
        s.trim()
            .parse::<usize>()
            .map_err(|_| Failure::Input(format!("{from}: `{s}` is not a whole number")))
    };
    let (k, n) = (parse(&k)?, parse(&n)?);
    if n == 0 || k >= n {
        return Err(Failure::Input(format!(
            "{from}: shard {k} of {n} does not exist (shards count from 0 to N-1; for Slurm use --array=0-{})",
            n.saturating_sub(1)
        )));
    }
    Ok(Some((k, n)))
}

fn compare(args: args::CompareArgs) -> Result<(), Failure> {
    let request = study::compare::CompareRequest {
        scenarios: args.scenarios,
        replications: args.replications,
        seed: args.replicate.seed,
        threads: args.threads.count(),
        out: args.out,
        force: args.force,
        allow_long: args.work.allow_long,
        excel: args.excel.bom(),
        rank_by: args.rank_by,
        precision: args.replicate.precision,
        variance_reduction: args.replicate.variance_reduction,
    };
    catch_ctrl_c();
    let outcome = study::compare::compare(&request, &Terminal::new(), &CANCEL)?;
    let elapsed = outcome.elapsed.as_secs_f64();
    say(&format!(
        "{}{}{elapsed:.1} s, {:.2} million model events per second; results in {}\n",
        outcome.table,
        outcome.stopping.as_ref().map_or(String::new(), |s| s.describe()),
        outcome.events as f64 / elapsed.max(1e-9) / 1e6,
        outcome.out.display()
    ))
}

fn calibrate(args: args::CalibrateArgs) -> Result<(), Failure> {
    let request = study::calibrate::CalibrateRequest {
        file: args.file,
        out: args.output.out,
        threads: args.threads.count(),
        force: args.output.force,
    };
    catch_ctrl_c();
    let o = study::calibrate::calibrate(&request, &Terminal::new(), &CANCEL)?;
    say(&format!(
        "calibration \"{}\" of {} — {} particles, {} replication(s) each, seed {}\n{}{:.1} s, {} simulated parameter sets; results in {}\n",
        o.name,
        o.scenario_file,
        o.particles,
        o.replications,
        o.seed,
        o.table,
        o.elapsed.as_secs_f64(),
        o.simulated,
        o.out.display()
    ))
}

fn optimize(args: args::OptimizeArgs) -> Result<(), Failure> {
    let shown = args.file.display().to_string();
    let request = study::optimize::OptimizeRequest {
        file: args.file,
        out: args.output.out,
        threads: args.threads.count(),
        force: args.output.force,
        resume: args.resume,
        bom: args.excel.bom(),
    };
    catch_ctrl_c();
    let o = match study::optimize::optimize(&request, &Terminal::new(), &CANCEL) {
        Err(Error::Cancelled {
            dir: Some(dir),
            kept,
            what,
        }) => {
            let resume = format!("feidi optimize {shown} --out {} --resume", dir.display());
            let e = Error::Cancelled {
                dir: Some(dir),
                kept,
                what,
            };
            return Err(Failure::Interrupted(format!("{e}; continue with `{resume}`")));
        }
        other => other?,
    };
    let lang = args.language.lang;
    let names = std::fs::read_to_string(&o.scenario).map_or_else(
        |_| crate::plot::names::Names::default(),
        |t| crate::plot::names::Names::from_scenario(&t),
    );
    let text = o
        .file
        .describe(&|path| names.lever(lang, path), &|m| names.metric(lang, m), lang);
    let seconds = o.elapsed.as_secs_f64();
    say(&match lang {
        crate::plot::Lang::En => format!(
            "{text}{seconds:.1} s, {} settings evaluated in this run; results in {}\n",
            o.evaluated,
            o.out.display()
        ),
        crate::plot::Lang::Zh => format!(
            "{text}用时 {seconds:.1} 秒，本次评估 {} 个方案；结果在 {}\n",
            o.evaluated,
            o.out.display()
        ),
    })
}

fn discover(args: args::DiscoverArgs) -> Result<(), Failure> {
    let request = study::discover::DiscoverRequest {
        dir: args.dir,
        conditions: args.conditions,
        alpha: args.alpha,
        min_support: args.min_support,
        min_coverage: args.min_coverage,
        paste: args.paste,
        boxes: args.boxes,
    };
    say(&study::discover::discover(&request)?.table)
}

fn plot(args: &PlotArgs) -> Result<(), Failure> {
    let files = crate::plot::plot(&args.dir, args.language.lang)?;
    say(&format!(
        "{} charts (PNG and SVG) in {}\n",
        files.len(),
        crate::plot::charts_dir(&args.dir).display()
    ))
}

fn report(args: ReportArgs) -> Result<(), Failure> {
    match (args.dirs.as_slice(), args.out) {
        ([dir], None) => write_report(&PlotArgs {
            dir: dir.clone(),
            language: args.language,
        })
        .map(|_| ()),
        (dirs, out) => {
            let out = out.unwrap_or_else(|| std::path::PathBuf::from("."));
            let path = crate::report::combined(dirs, &out, args.language.lang)?;
            say(&format!("report: {}\n", path.display()))
        }
    }
}

fn write_report(args: &PlotArgs) -> Result<std::path::PathBuf, Failure> {
    let path = crate::report::report(&args.dir, args.language.lang)?;
    say(&format!(
        "report: {}\nworkbook: {}\n",
        path.display(),
        crate::workbook::workbook_path(&args.dir, args.language.lang).display()
    ))?;
    Ok(path)
}

fn write_workbook(args: &PlotArgs) -> Result<(), Failure> {
    let path = crate::workbook::workbook(&args.dir, args.language.lang)?;
    say(&format!("workbook: {}\n", path.display()))
}

fn bench(path: &Path, runs: u32, seed: u64) -> Result<(), Failure> {
    let (scenario, timings) = study::run::bench(path, runs, seed)?;
    let mut rates = Vec::new();
    for (run, t) in timings.iter().enumerate() {
        let rate = t.events as f64 / t.loop_time.as_secs_f64().max(1e-12);
        say(&format!(
            "run {run}: model events {}  loop {:.4} s  {:.2} M events/s\n",
            t.events,
            t.loop_time.as_secs_f64(),
            rate / 1e6
        ))?;
        rates.push(rate);
    }
    rates.sort_by(f64::total_cmp);
    say(&format!(
        "median {:.2} M events/s over {} runs of {}\n",
        rates[rates.len() / 2] / 1e6,
        rates.len(),
        scenario.name
    ))
}

/// `feidi studio`: starts the server, prints its address (and token), serves until
/// stopped.
fn studio(args: &StudioArgs) -> Result<(), Failure> {
    let ip = args
        .listen
        .unwrap_or(std::net::IpAddr::V4(std::net::Ipv4Addr::LOCALHOST));
    let config = crate::studio::Config {
        root: std::path::PathBuf::from("."),
        place: args.place.clone(),
        listen: std::net::SocketAddr::new(ip, args.port),
        lang: args.language.lang,
    };
    let running = crate::studio::start(config).map_err(Failure::Input)?;
    let mut text = format!("feidi studio: open {}\n", running.url());
    if let Some(token) = running.token() {
        text.push_str(&format!(
            "listening on {} (not only this computer): every request must carry the token {token}\n",
            running.addr()
        ));
    }
    text.push_str(&format!(
        "results go to ./{}/; stop with Ctrl-C\n",
        crate::studio::RESULTS_DIR
    ));
    say(&text)?;
    running.wait();
    Ok(())
}
