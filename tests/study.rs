//! The study layer driven as a library, the way a front end other than the command line
//! would: progress arrives through the `Progress` trait, a `Cancel` flag stops a sweep
//! between points and a resume finishes it with the same bytes, errors come back typed,
//! and the command line's sweep subcommands reach the same functions.

mod common;

use common::{example_sweep, feidi, run_ok, temp_path};
use feidi::study::{self, Cancel, Error, Progress, Silent, Unit};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// The shipped grid sweep with few replications and its base scenario by absolute path.
fn small_grid(name: &str) -> PathBuf {
    example_sweep(
        "dazu-seats-subsidy.toml",
        name,
        &[("replications = 200", "replications = 8")],
    )
}

/// Records every progress call.
#[derive(Default)]
struct Recorder(Mutex<Vec<(Unit, u64, u64)>>, Mutex<Vec<String>>);

impl Progress for Recorder {
    fn advance(&self, unit: Unit, done: u64, total: u64) {
        self.0.lock().unwrap().push((unit, done, total));
    }
    fn note(&self, text: &str) {
        self.1.lock().unwrap().push(text.to_string());
    }
}

/// A run of the shipped Dazu scenario with seed 3 into `out`.
fn dazu_run(out: &Path, replications: u64, threads: usize) -> study::run::RunRequest {
    study::run::RunRequest {
        scenario: "scenarios/dazu-chengdu.toml".into(),
        replications,
        seed: 3,
        threads: Some(threads),
        out: Some(out.to_path_buf()),
        force: false,
        allow_long: false,
        precision: vec![],
        variance_reduction: study::VarianceReduction::Off,
    }
}

fn request(file: &Path, out: &Path) -> study::sweep::SweepRequest {
    study::sweep::SweepRequest {
        file: file.to_path_buf(),
        out: Some(out.to_path_buf()),
        threads: Some(1),
        force: false,
        allow_long: false,
        excel: false,
        no_bom: false,
        shard: None,
    }
}

#[test]
fn a_run_reports_progress_writes_its_files_and_refuses_to_overwrite_them() {
    let out = temp_path("run");
    let run = dazu_run(&out, 200, 2);
    let progress = Recorder::default();
    let outcome = study::run::run(&run, &progress, &Cancel::new()).unwrap();
    assert_eq!(outcome.results.replications, 200);
    assert_eq!(
        std::fs::read_to_string(out.join("summary.json")).unwrap(),
        outcome.summary_json
    );
    // Progress counts replications in whole blocks, in order, up to the total.
    let calls = progress.0.lock().unwrap().clone();
    assert_eq!(calls.last(), Some(&(Unit::Replications, 200, 200)), "{calls:?}");
    assert!(calls.windows(2).all(|w| w[0].1 < w[1].1), "{calls:?}");
    // A second run into the same directory is refused, typed, before any work.
    match study::run::run(&run, &Silent, &Cancel::new()) {
        Err(e @ Error::ResultsExist { resumable: false, .. }) => assert!(e.is_bad_input()),
        other => panic!("expected ResultsExist, got {:?}", other.err()),
    }
    let _ = std::fs::remove_dir_all(&out);
}

#[test]
fn a_cancelled_sweep_keeps_its_finished_points_and_resumes_to_the_same_bytes() {
    let file = small_grid("cancel");
    let (whole, stopped) = (temp_path("whole"), temp_path("stopped"));
    let done = study::sweep::start(&request(&file, &whole), &Silent, &Cancel::new()).unwrap();
    assert_eq!((done.points, done.mine, done.shard), (9, 9, None));

    // Cancel after the third point: no new point starts.
    struct CancelAfter<'a>(&'a Cancel, u64);
    impl Progress for CancelAfter<'_> {
        fn advance(&self, _unit: Unit, done: u64, _total: u64) {
            if done >= self.1 {
                self.0.cancel();
            }
        }
    }
    let cancel = Cancel::new();
    match study::sweep::start(&request(&file, &stopped), &CancelAfter(&cancel, 3), &cancel) {
        Err(Error::Cancelled {
            dir: Some(dir), kept, ..
        }) => {
            assert_eq!(dir, stopped);
            assert_eq!(kept, 3);
        }
        other => panic!("expected a cancelled sweep, got {:?}", other.err()),
    }
    assert!(!stopped.join("points.csv").exists());
    // Starting again is refused as resumable; resuming runs only the missing points.
    assert!(matches!(
        study::sweep::start(&request(&file, &stopped), &Silent, &Cancel::new()),
        Err(Error::ResultsExist { resumable: true, .. })
    ));
    let progress = Recorder::default();
    study::sweep::resume(&stopped, Some(2), &progress, &Cancel::new()).unwrap();
    let notes = progress.1.lock().unwrap().clone();
    assert!(
        notes.iter().any(|n| n.starts_with("3 of 9 design points already done")),
        "{notes:?}"
    );
    let last = *progress.0.lock().unwrap().iter().max_by_key(|c| c.1).unwrap();
    assert_eq!(last, (Unit::DesignPoints, 6, 6));
    for name in ["points.csv", "manifest.json"] {
        assert!(
            std::fs::read(whole.join(name)).unwrap() == std::fs::read(stopped.join(name)).unwrap(),
            "{name} differs after a cancel and resume"
        );
    }
    for dir in [whole, stopped] {
        let _ = std::fs::remove_dir_all(dir);
    }
    let _ = std::fs::remove_file(file);
}

#[test]
fn the_sweep_subcommands_run_plan_and_merge_shards() {
    let file = small_grid("subcommands");
    let f = file.to_str().unwrap();
    let plan = run_ok(&["sweep", "plan", f]);
    assert!(plan.contains("9 design points × 8 replications = 72 runs"), "{plan}");
    let (whole, a, b, merged) = (
        temp_path("sc-whole"),
        temp_path("sc-a"),
        temp_path("sc-b"),
        temp_path("sc-merged"),
    );
    run_ok(&["sweep", "run", f, "--out", whole.to_str().unwrap()]);
    run_ok(&["sweep", f, "--shard", "0/2", "--out", a.to_str().unwrap()]);
    run_ok(&["sweep", "run", f, "--shard", "1/2", "--out", b.to_str().unwrap()]);
    let said = run_ok(&[
        "sweep",
        "merge",
        "--out",
        merged.to_str().unwrap(),
        a.to_str().unwrap(),
        b.to_str().unwrap(),
    ]);
    assert!(said.starts_with("2 shards merged: 9 design points"), "{said}");
    assert!(std::fs::read(whole.join("points.csv")).unwrap() == std::fs::read(merged.join("points.csv")).unwrap());
    for dir in [whole, a, b, merged] {
        let _ = std::fs::remove_dir_all(dir);
    }
    let _ = std::fs::remove_file(file);
}

#[test]
fn a_failing_replication_of_a_sweep_names_its_design_point_and_a_file_that_replays_it() {
    // A replication cannot be made to fail from input (that would be a bug in feidi), so
    // the error is built as a sweep builds it and read as the command line shows it.
    let failure = feidi::runner::ReplicationFailure {
        seed: 5,
        point: 0,
        replication: 17,
        message: "an internal error".to_string(),
    };
    let error = Error::Replication {
        failure,
        scenario: PathBuf::from("results/s/failed-points/00000007.toml"),
        design_point: Some(7),
    };
    assert!(!error.is_bad_input());
    let shown = feidi::cli::Failure::from(error);
    assert_eq!(shown.exit_code(), 1);
    let text = shown.message();
    assert!(
        text.starts_with("replication 17 of design point 7 (seed 5, on the random streams of point 0) failed"),
        "{text}"
    );
    assert!(
        text.contains("feidi run results/s/failed-points/00000007.toml --seed 5 --replay 0:17"),
        "{text}"
    );
}

#[test]
fn a_cancelled_run_stops_between_blocks_and_leaves_nothing_behind() {
    let out = temp_path("cancelled-run");
    let run = dazu_run(&out, 640, 1);
    // Cancel once the second block is merged: no later block is merged.
    struct CancelAt<'a>(&'a Cancel, Mutex<u64>);
    impl Progress for CancelAt<'_> {
        fn advance(&self, _unit: Unit, done: u64, _total: u64) {
            *self.1.lock().unwrap() = done;
            if done >= 128 {
                self.0.cancel();
            }
        }
    }
    let cancel = Cancel::new();
    let progress = CancelAt(&cancel, Mutex::new(0));
    match study::run::run(&run, &progress, &cancel) {
        Err(Error::Cancelled { dir: None, kept: 0, .. }) => {}
        other => panic!("expected a cancelled run, got {:?}", other.err()),
    }
    assert_eq!(*progress.1.lock().unwrap(), 128, "blocks merged after the cancel");
    assert!(!out.exists(), "a cancelled run left {}", out.display());
}

#[test]
fn force_replaces_results_but_does_not_lift_the_work_guard() {
    let out = temp_path("guard");
    let huge = ["run", "scenarios/dazu-chengdu.toml", "-n", "4000000000", "--out"];
    let refused = feidi(&[&huge[..], &[out.to_str().unwrap(), "--force"]].concat());
    assert_eq!(refused.status.code(), Some(2));
    let said = String::from_utf8_lossy(&refused.stderr);
    assert!(said.contains("add --allow-long to run it anyway"), "{said}");
    assert!(
        !said.contains("e13") && said.contains("4,000,000,000 replications"),
        "{said}"
    );
    assert!(!out.exists(), "a refused run made {}", out.display());
    // Threads beyond any machine are refused by the command line itself.
    let threads = feidi(&["run", "scenarios/dazu-chengdu.toml", "--threads", "100000"]);
    assert_eq!(threads.status.code(), Some(2));
}
