//! `feidi sweep`: designs run, outputs are the same bytes whatever the thread count, and
//! bad sweep files or bad points are refused before anything runs.

use std::path::PathBuf;
use std::process::Command;

fn feidi(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_feidi"))
        .args(args)
        .output()
        .expect("feidi runs")
}

fn temp(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("feidi-sweep-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

#[test]
fn a_grid_sweep_gives_one_row_per_point_and_the_same_bytes_with_one_or_two_threads() {
    let (one, two) = (temp("t1"), temp("t2"));
    for (dir, threads) in [(&one, "1"), (&two, "2")] {
        let out = feidi(&[
            "sweep",
            "scenarios/sweeps/dazu-seats-subsidy.toml",
            "-t",
            threads,
            "--out",
            dir.to_str().unwrap(),
        ]);
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    }
    let csv = std::fs::read_to_string(one.join("points.csv")).unwrap();
    assert_eq!(csv.lines().count(), 1 + 9);
    assert!(csv.starts_with("point,label,enclave[0].seats,city[1].landing_subsidy_yuan,host_candidates.mean,"));
    for file in ["points.csv", "manifest.json"] {
        assert!(
            std::fs::read(one.join(file)).unwrap() == std::fs::read(two.join(file)).unwrap(),
            "{file} differs"
        );
    }
    // More seats admit more projects: the points differ the way the grid says.
    let admitted = |row: &str| -> f64 {
        let header: Vec<&str> = csv.lines().next().unwrap().split(',').collect();
        let col = header.iter().position(|h| *h == "admitted.mean").unwrap();
        row.split(',').nth(col).unwrap().parse().unwrap()
    };
    let rows: Vec<&str> = csv.lines().skip(1).collect();
    assert!(admitted(rows[0]) < admitted(rows[3]) && admitted(rows[3]) < admitted(rows[6]));
    let _ = std::fs::remove_dir_all(&one);
    let _ = std::fs::remove_dir_all(&two);
}

#[test]
fn a_point_that_breaks_the_scenario_is_refused_before_anything_runs() {
    let dir = temp("badpoint");
    let file = dir.with_extension("toml");
    let scenario = std::fs::canonicalize("scenarios/dazu-chengdu.toml").unwrap();
    std::fs::write(
        &file,
        format!(
            "[sweep]\nname = \"bad\"\nscenario = \"{}\"\nreplications = 10\ndesign = \"grid\"\n\n[[parameter]]\npath = \"enclave[0].seats\"\nvalues = [50, 0]\n",
            scenario.display()
        ),
    )
    .unwrap();
    let out = feidi(&["sweep", file.to_str().unwrap(), "--out", dir.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("(point 1, 1)") && err.contains("enclave[0].seats"),
        "{err}"
    );
    assert!(!dir.exists());
    let _ = std::fs::remove_file(&file);
}

#[test]
fn a_misspelt_sweep_key_is_located() {
    let file = temp("typo").with_extension("toml");
    std::fs::write(
        &file,
        "[sweep]\nname = \"x\"\nscenario = \"a.toml\"\nreplication = 10\ndesign = \"grid\"\n",
    )
    .unwrap();
    let out = feidi(&["sweep", file.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains(":4:1: sweep.replication: expected a known key") && err.contains("did you mean `replications`?"),
        "{err}"
    );
    let _ = std::fs::remove_file(&file);
}
