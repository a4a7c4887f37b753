//! What series.csv means: bins hold their end and not their start, (a, b], for events
//! exactly on a bin edge whatever order they were scheduled in; and docs/scenario.md
//! lists every series column and every total that feidi writes, in order.

mod common;

use common::{outcomes, scenario};
use feidi::model::metrics::{self, totals_for};
use feidi::model::{Outcome, Prepared};
use feidi::scenario::Scenario;

/// One host, one home, a large enclave; single candidates from `arrivals` (the burst's
/// `at` or `every`/`start` keys); an enclave stage of `incubation`, then a long pilot at
/// home (no landing choice: every graduate lands). Bins of 3 months over a year.
fn edges(arrivals: &str, incubation: &str) -> Scenario {
    scenario(&format!(
        r#"
        [scenario]
        name = "edges"
        horizon = "12 months"
        bin = "3 months"
        sectors = ["s"]

        [[city]]
        id = "host"
        role = "host"
        province = "A"

        [[city]]
        id = "home"
        role = "home"
        province = "B"

        [[enclave]]
        id = "e"
        owner = "home"
        host = "host"
        seats = 100

        [[burst]]
        host = "host"
        sector = "s"
        size = 1
        {arrivals}

        [[stage]]
        name = "incubation"
        place = "enclave"
        duration = "{incubation}"

        [[stage]]
        name = "pilot"
        place = "home"
        duration = "100 months"
        "#
    ))
}

/// The series `name` of one replication, bin by bin.
fn series(sc: &Scenario, o: &Outcome, name: &str) -> Vec<f64> {
    let names = metrics::series(sc);
    let width = Prepared::new(sc).series_width();
    assert_eq!(names.len(), width);
    let column = names
        .iter()
        .position(|m| m.name == name)
        .unwrap_or_else(|| panic!("no series {name}"));
    o.series.chunks_exact(width).map(|row| row[column]).collect()
}

fn one(sc: &Scenario) -> Outcome {
    outcomes(sc, 1, 1).remove(0)
}

#[test]
fn a_burst_alone_on_a_bin_edge_counts_in_the_bin_that_ends_there() {
    let sc = edges(r#"at = ["6 months"]"#, "3 months");
    let o = one(&sc);
    assert_eq!(series(&sc, &o, "candidates"), [0.0, 1.0, 1.0, 1.0]);
    assert_eq!(series(&sc, &o, "admitted"), [0.0, 1.0, 1.0, 1.0]);
    assert_eq!(series(&sc, &o, "in_stage.incubation"), [0.0, 1.0, 0.0, 0.0]);
    // Landed at month 9, also a bin edge, after exactly 3 months: the first bin of the
    // histogram of months taken, (0, 3].
    assert_eq!(series(&sc, &o, "landed_home"), [0.0, 0.0, 1.0, 1.0]);
    assert_eq!(series(&sc, &o, "in_stage.pilot"), [0.0, 0.0, 1.0, 1.0]);
    assert_eq!(series(&sc, &o, metrics::series::LANDING_TIMES), [1.0, 0.0, 0.0, 0.0]);
}

#[test]
fn a_burst_on_a_bin_edge_after_an_earlier_burst_counts_in_the_bin_that_ends_there() {
    // The month-6 batch is scheduled only when the month-5 one arrives, after the bin's
    // end was scheduled: the bin still includes it.
    let sc = edges(r#"at = ["5 months", "6 months"]"#, "30 months");
    let o = one(&sc);
    assert_eq!(series(&sc, &o, "candidates"), [0.0, 2.0, 2.0, 2.0]);
    assert_eq!(series(&sc, &o, "in_stage.incubation"), [0.0, 2.0, 2.0, 2.0]);
}

#[test]
fn monthly_bursts_count_every_edge_batch_in_the_bin_that_ends_there() {
    // Batches at months 5 to 11: by month 6 two, by 9 five, by the horizon seven.
    let sc = edges("every = \"1 month\"\nstart = \"5 months\"", "30 months");
    let o = one(&sc);
    assert_eq!(series(&sc, &o, "candidates"), [0.0, 2.0, 5.0, 7.0]);
    assert_eq!(series(&sc, &o, "admitted"), [0.0, 2.0, 5.0, 7.0]);
}

#[test]
fn a_stage_that_ends_on_a_bin_edge_counts_in_the_bin_that_ends_there() {
    // Admitted at month 4, incubated 2 months: lands at month 6, the end of bin 1.
    let sc = edges(r#"at = ["4 months"]"#, "2 months");
    let o = one(&sc);
    assert_eq!(series(&sc, &o, "landed_home"), [0.0, 1.0, 1.0, 1.0]);
    assert_eq!(series(&sc, &o, "in_stage.incubation"), [0.0, 0.0, 0.0, 0.0]);
    assert_eq!(series(&sc, &o, "in_stage.pilot"), [0.0, 1.0, 1.0, 1.0]);
}

/// The backquoted names in the first column of the markdown table that follows the
/// heading line `heading` in docs/scenario.md, in order.
fn documented_names(heading: &str) -> Vec<String> {
    let doc = std::fs::read_to_string("docs/scenario.md").unwrap();
    let section = &doc[doc.find(heading).unwrap_or_else(|| panic!("no heading {heading}"))..];
    let mut lines = section.lines().skip_while(|l| !l.starts_with('|'));
    // The header and the rule under it.
    lines.next();
    lines.next();
    let mut names = Vec::new();
    for line in lines.take_while(|l| l.starts_with('|')) {
        let first = line.split('|').nth(1).unwrap();
        names.extend(first.split('`').skip(1).step_by(2).map(str::to_string));
    }
    assert!(!names.is_empty(), "no table under {heading}");
    names
}

/// Names with one entry per stage or party written as the doc writes them, once.
fn generic(names: impl Iterator<Item = String>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for name in names {
        let name = match name.split_once('.') {
            Some((
                kind @ ("in_stage" | "entered_stage" | "in_stage_average" | "stage_occupancy" | "stage_queue"),
                _,
            )) => {
                format!("{kind}.<stage name>")
            }
            Some((kind @ ("seat_occupancy" | "seat_queue"), _)) => format!("{kind}.<enclave id>"),
            Some(("tax_yuan", _)) => "tax_yuan.<party>".to_string(),
            _ => name,
        };
        if !out.contains(&name) {
            out.push(name);
        }
    }
    out
}

/// The shipped Dazu scenario: stages, economics and a tax split, so every kind of
/// column is written.
fn dazu() -> Scenario {
    scenario(&std::fs::read_to_string("scenarios/dazu-chengdu.toml").unwrap())
}

#[test]
fn the_series_table_of_the_docs_lists_every_series_column_in_order() {
    let written = generic(metrics::series(&dazu()).into_iter().map(|m| m.name));
    assert_eq!(documented_names("### 7.3 `series.csv`"), written);
}

#[test]
fn the_measures_table_of_the_docs_lists_every_total_in_order() {
    let mut written = generic(totals_for(&dazu()).into_iter().map(|m| m.name));
    // Dazu has one enclave; the per-enclave averages come from the Wuxi network.
    let wuxi = scenario(&std::fs::read_to_string("scenarios/wuxi-network.toml").unwrap());
    let per_enclave = totals_for(&wuxi)
        .into_iter()
        .map(|m| m.name)
        .filter(|n| n.starts_with("seat_occupancy.") || n.starts_with("seat_queue."));
    written.extend(generic(per_enclave));
    assert_eq!(documented_names("### 7.1 The measures"), written);
}

#[test]
fn the_optional_measures_table_of_the_docs_lists_every_optional_total_in_order() {
    let catalogue: Vec<String> = metrics::OPTIONAL.iter().map(|r| r.name.to_string()).collect();
    assert_eq!(documented_names("**Optional measures**"), catalogue);
}
