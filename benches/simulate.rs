//! Speed benchmarks (see BENCHMARKS.md): the four-stage reference model, one replication
//! of each shipped scenario, and a 10,000-replication run of dazu-chengdu.
//!
//! Run with `cargo bench --bench simulate`.

use feidi::engine::rng::StreamKey;
use feidi::model::Prepared;
use feidi::runner::{self, RunSettings};
use feidi::scenario::Scenario;

fn main() {
    divan::main();
}

fn load(path: &str) -> Scenario {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{path}: {e}"));
    Scenario::from_toml(path, &text).unwrap_or_else(|e| panic!("{e}"))
}

/// The reference model: 200,000 candidates, 1,000,000 model events per replication.
#[divan::bench(sample_count = 10, sample_size = 1)]
fn four_stage_reference(bencher: divan::Bencher) {
    let scenario = load("scenarios/bench/four-stage.toml");
    let prepared = Prepared::new(&scenario);
    let mut replication = 0;
    bencher
        .counter(divan::counter::ItemsCount::new(1_000_000usize))
        .bench_local(|| {
            replication += 1;
            prepared.simulate(StreamKey {
                seed: 42,
                point: 0,
                replication,
            })
        });
}

/// One replication of each shipped scenario.
#[divan::bench(args = ["scenarios/dazu-chengdu.toml"], sample_count = 50)]
fn one_replication(bencher: divan::Bencher, path: &str) {
    let scenario = load(path);
    let prepared = Prepared::new(&scenario);
    let mut replication = 0;
    bencher.bench_local(|| {
        replication += 1;
        prepared.simulate(StreamKey {
            seed: 42,
            point: 0,
            replication,
        })
    });
}

/// 10,000 replications of dazu-chengdu on all cores, statistics included.
#[divan::bench(sample_count = 3, sample_size = 1)]
fn dazu_chengdu_10k_replications(bencher: divan::Bencher) {
    let scenario = load("scenarios/dazu-chengdu.toml");
    let prepared = Prepared::new(&scenario);
    let pool = rayon::ThreadPoolBuilder::new().build().expect("a thread pool starts");
    bencher.bench_local(|| {
        let settings = RunSettings {
            seed: 42,
            point: 0,
            replications: 10_000,
        };
        runner::run(&pool, &prepared, settings, &runner::Precision::default(), &|_| true)
            .expect("no replication fails")
            .0
    });
}
