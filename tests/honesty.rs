//! The model reduced to plain queueing networks with known answers (MODEL.md, "Honesty
//! of the model"). Each statistical check uses a 99 % confidence interval over
//! independent replications with a fixed seed, and also asserts that the interval is
//! narrow enough that a model off by a few per cent would fail.

mod common;

use common::{assert_accounted, ci99, outcomes, scenario};
use feidi::model::metrics::total;
use feidi::model::{logit, Outcome};
use feidi::scenario::Scenario;

fn assert_within_ci(name: &str, values: &[f64], expected: f64, max_relative_half_width: f64) {
    let (mean, half) = ci99(values);
    assert!(
        (mean - expected).abs() <= half,
        "{name}: expected {expected}, simulated mean {mean} ± {half} (99% CI) does not contain it"
    );
    assert!(
        half <= max_relative_half_width * expected.abs(),
        "{name}: 99% CI half-width {half} is too wide to tell a wrong model from a right one (mean {mean})"
    );
}

/// Erlang B blocking probability for `c` servers and offered load `a` (recursive form).
fn erlang_b(c: u32, a: f64) -> f64 {
    (1..=c).fold(1.0, |b, k| a * b / (k as f64 + a * b))
}

/// Erlang C probability of waiting.
fn erlang_c(c: u32, a: f64) -> f64 {
    let b = erlang_b(c, a);
    c as f64 * b / (c as f64 - a * (1.0 - b))
}

/// One stage in the enclave with `seats` seats, Poisson arrivals at `rate_per_month`
/// and exponential stays of `mean_months`; no screening, no landing, no home stages.
fn single_stage(seats: u32, rate_per_month: f64, mean_months: f64, when_full: &str) -> Scenario {
    scenario(&format!(
        r#"
        [scenario]
        name = "mmc"
        horizon = "2400 months"
        warmup = "240 months"
        bin = "100 months"
        drain = true
        sectors = ["any"]

        [[city]]
        id = "host"
        role = "both"
        province = "P"

        [[enclave]]
        id = "e"
        owner = "host"
        host = "host"
        seats = {seats}
        when_full = "{when_full}"

        [[flow]]
        host = "host"
        sector = "any"
        rate = "{rate_per_month} per month"

        [[stage]]
        name = "incubation"
        place = "enclave"
        duration = {{ dist = "exponential", mean = "{mean_months} months" }}
        "#
    ))
}

#[test]
fn queueing_enclave_matches_erlang_c_mean_wait() {
    // M/M/5 with offered load a = 0.4 × 10 = 4 (utilisation 0.8).
    let (c, rate, mean) = (5, 0.4, 10.0);
    let a = rate * mean;
    let expected_wait = erlang_c(c, a) / (c as f64 / mean - rate);
    let runs = outcomes(&single_stage(c, rate, mean, "queue"), 400, 11);
    let waits: Vec<f64> = runs.iter().map(|o| o.totals[total::QUEUE_WAIT_MONTHS]).collect();
    assert_within_ci("Erlang C mean wait (months)", &waits, expected_wait, 0.08);
    // Mean busy seats of M/M/c with an unbounded queue equals the offered load.
    let busy: Vec<f64> = runs.iter().map(|o| o.totals[total::SEATS_BUSY]).collect();
    assert_within_ci("mean busy seats", &busy, a, 0.02);
    // Little's law for the queue: Lq = λ Wq.
    let queue: Vec<f64> = runs.iter().map(|o| o.totals[total::SEAT_QUEUE]).collect();
    assert_within_ci("mean queue length", &queue, rate * expected_wait, 0.08);
    // Erlang C is also the chance that an arrival waits at all.
    let queued: Vec<f64> = runs.iter().map(|o| o.totals[total::QUEUED_SHARE]).collect();
    assert_within_ci("Erlang C share who queued", &queued, erlang_c(c, a), 0.03);
    let sc = single_stage(c, rate, mean, "queue");
    let stage_average = slot(&sc, "in_stage_average.incubation");
    for o in &runs {
        // The single stage is held exactly while a seat is.
        assert!((o.totals[stage_average] - o.totals[total::SEATS_BUSY]).abs() < 1e-9);
        assert_eq!(o.totals[total::BLOCKED] + o.totals[total::ABANDONED], 0.0);
    }
}

/// Index of the total named `name` among the totals of `sc`.
fn slot(sc: &Scenario, name: &str) -> usize {
    feidi::model::metrics::totals_for(sc)
        .iter()
        .position(|m| m.name == name)
        .unwrap_or_else(|| panic!("no total {name}"))
}

#[test]
fn impatient_queue_matches_erlang_a_abandonment() {
    // M/M/c+M: c = 3 seats, λ = 0.5, mean stay 8 (a = 4, overloaded), patience
    // exponential with mean 4 months. The birth-death chain truncated far in its tail
    // gives the mean queue, and abandonments per arrival are θ Lq / λ.
    let (c, rate, mean, patience) = (3usize, 0.5, 8.0, 4.0);
    let death = |n: usize| n.min(c) as f64 / mean + n.saturating_sub(c) as f64 / patience;
    let mut weights = vec![1.0];
    for n in 1..400 {
        let previous = weights[n - 1];
        weights.push(previous * rate / death(n));
    }
    let total_weight: f64 = weights.iter().sum();
    let queue: f64 = weights
        .iter()
        .enumerate()
        .map(|(n, w)| n.saturating_sub(c) as f64 * w / total_weight)
        .sum();
    let expected = queue / patience / rate;
    let text = format!(
        r#"
        [scenario]
        name = "mmcm"
        horizon = "2400 months"
        warmup = "240 months"
        drain = true
        sectors = ["any"]

        [[city]]
        id = "host"
        role = "both"
        province = "P"

        [[enclave]]
        id = "e"
        owner = "host"
        host = "host"
        seats = {c}
        when_full = "queue"
        patience = {{ dist = "exponential", mean = "{patience} months" }}

        [[flow]]
        host = "host"
        sector = "any"
        rate = "{rate} per month"

        [[stage]]
        name = "incubation"
        place = "enclave"
        duration = {{ dist = "exponential", mean = "{mean} months" }}
        "#
    );
    let runs = outcomes(&scenario(&text), 300, 14);
    let shares: Vec<f64> = runs.iter().map(|o| o.totals[total::ABANDONED_SHARE]).collect();
    assert_within_ci("Erlang A abandonment share", &shares, expected, 0.03);
    for o in &runs {
        assert_eq!(o.totals[total::BLOCKED], 0.0);
        assert!(o.totals[total::ABANDONED] <= o.totals[total::TURNED_AWAY]);
    }
}

#[test]
fn a_limited_home_stage_fed_by_poisson_graduates_matches_erlang_b() {
    // Graduates of an unlimited enclave stage with exponential stays leave as a Poisson
    // stream (M/M/∞ output), so a home stage of c slots that turns the overflow away is
    // an Erlang loss system: occupancy a (1 − B) / c, blocking B.
    let (c, rate, mean) = (4u32, 0.5, 6.0);
    let a = rate * mean;
    let b = erlang_b(c, a);
    let sc = scenario(&format!(
        r#"
        [scenario]
        name = "home-loss"
        horizon = "2400 months"
        warmup = "240 months"
        drain = false
        sectors = ["any"]

        [[city]]
        id = "host"
        role = "host"
        province = "P"

        [[city]]
        id = "home"
        role = "home"
        province = "Q"
        capacity = {{ pilot = {c} }}

        [[link]]
        home = "home"
        host = "host"
        travel_time = "2 hours"

        [[enclave]]
        id = "e"
        owner = "home"
        host = "host"
        seats = 100000

        [[flow]]
        host = "host"
        sector = "any"
        rate = "{rate} per month"

        [[stage]]
        name = "incubation"
        place = "enclave"
        duration = {{ dist = "exponential", mean = "3 months" }}

        [[stage]]
        name = "pilot"
        place = "home"
        duration = {{ dist = "exponential", mean = "{mean} months" }}
        when_full = "turn_away"
        "#
    ));
    let runs = outcomes(&sc, 300, 15);
    let occupancy = slot(&sc, "stage_occupancy.pilot");
    let values: Vec<f64> = runs.iter().map(|o| o.totals[occupancy]).collect();
    assert_within_ci("Erlang B home-stage occupancy", &values, a * (1.0 - b) / c as f64, 0.03);
    let average = slot(&sc, "in_stage_average.pilot");
    let values: Vec<f64> = runs.iter().map(|o| o.totals[average]).collect();
    assert_within_ci("projects in the home stage", &values, a * (1.0 - b), 0.03);
    let incubating = slot(&sc, "in_stage_average.incubation");
    let values: Vec<f64> = runs.iter().map(|o| o.totals[incubating]).collect();
    assert_within_ci("M/G/∞ projects in incubation", &values, rate * 3.0, 0.03);
    let queue = slot(&sc, "stage_queue.pilot");
    assert!(runs.iter().all(|o| o.totals[queue] == 0.0));
}

#[test]
fn turn_away_enclave_matches_erlang_b_blocking() {
    let (c, rate, mean) = (5, 0.4, 10.0);
    let expected = erlang_b(c, rate * mean);
    let runs = outcomes(&single_stage(c, rate, mean, "turn_away"), 300, 12);
    let blocked: Vec<f64> = runs
        .iter()
        .map(|o| o.totals[total::TURNED_AWAY] / o.totals[total::CANDIDATES])
        .collect();
    assert_within_ci("Erlang B blocking share", &blocked, expected, 0.05);
    let shares: Vec<f64> = runs.iter().map(|o| o.totals[total::BLOCKED_SHARE]).collect();
    assert_within_ci("Erlang B blocked_share", &shares, expected, 0.05);
    for o in &runs {
        assert_eq!(o.totals[total::BLOCKED], o.totals[total::TURNED_AWAY]);
        assert_eq!(o.totals[total::QUEUED_SHARE], 0.0);
    }
}

#[test]
fn occupancy_obeys_littles_law_in_every_replication() {
    // L = λ W inside one replication: time-average busy seats against admissions per
    // month times mean seat tenure. Only boundary terms (projects seated across the
    // window's edges) separate the two, so they must agree within 3 %.
    let runs = outcomes(&single_stage(8, 0.5, 12.0, "queue"), 50, 13);
    for (r, o) in runs.iter().enumerate() {
        let window = 2400.0 - 240.0;
        let lambda = o.totals[total::ADMITTED] / window;
        let little = lambda * o.totals[total::SEAT_MONTHS];
        let busy = o.totals[total::SEATS_BUSY];
        assert!(
            (busy / little - 1.0).abs() < 0.03,
            "replication {r}: L = {busy}, λW = {little}"
        );
    }
}

#[test]
fn chain_of_fixed_chances_completes_with_their_product() {
    let sc = scenario(
        r#"
        [scenario]
        name = "chain"
        horizon = "600 months"
        drain = true
        sectors = ["any"]

        [[city]]
        id = "host"
        role = "host"
        province = "P"

        [[city]]
        id = "home"
        role = "home"
        province = "Q"

        [[link]]
        home = "home"
        host = "host"
        travel_time = "2 hours"

        [[enclave]]
        id = "e"
        owner = "home"
        host = "host"
        seats = 1000

        [[flow]]
        host = "host"
        sector = "any"
        rate = "1 per month"

        [[stage]]
        name = "incubation"
        place = "enclave"
        duration = "6 months"
        success = 0.8

        [[stage]]
        name = "acceleration"
        place = "host"
        duration = { dist = "uniform", min = "1 months", max = "5 months" }
        success = 0.5

        [[stage]]
        name = "pilot"
        place = "home"
        duration = { dist = "gamma", mean = "8 months", sd = "2 months" }
        success = 0.9
        "#,
    );
    let runs = outcomes(&sc, 300, 21);
    let share: Vec<f64> = runs
        .iter()
        .map(|o| o.totals[total::COMPLETED] / o.totals[total::ADMITTED])
        .collect();
    assert_within_ci("completed / admitted", &share, 0.8 * 0.5 * 0.9, 0.05);
    // With no landing model every graduate of the host stages lands.
    let landed: Vec<f64> = runs
        .iter()
        .map(|o| o.totals[total::LANDED_HOME] / o.totals[total::ADMITTED])
        .collect();
    assert_within_ci("landed / admitted", &landed, 0.8 * 0.5, 0.05);
    for o in &runs {
        assert_eq!(o.totals[total::IN_PROGRESS], 0.0, "drain leaves nothing in progress");
        assert_eq!(o.totals[total::LEAKED_HOST] + o.totals[total::LEAKED_ELSEWHERE], 0.0);
    }
}

#[test]
fn landing_shares_without_capacity_limits_equal_the_logit_formula() {
    let sc = scenario(
        r#"
        [scenario]
        name = "logit"
        horizon = "400 months"
        drain = true
        sectors = ["devices"]

        [[city]]
        id = "host"
        role = "host"
        province = "Sichuan"
        metro = "Chengdu-Chongqing"

        [[city]]
        id = "home"
        role = "home"
        province = "Chongqing"
        metro = "Chengdu-Chongqing"
        fit = { devices = 0.5 }
        landing_subsidy_yuan = 2_000_000

        [[link]]
        home = "home"
        host = "host"
        travel_time = "90 minutes"
        same_city_treatment = true

        [[enclave]]
        id = "e"
        owner = "home"
        host = "host"
        seats = 10000

        [[flow]]
        host = "host"
        sector = "devices"
        rate = "3 per month"

        [[stage]]
        name = "incubation"
        place = "enclave"
        duration = { dist = "exponential", mean = "12 months" }

        [[stage]]
        name = "pilot"
        place = "home"
        duration = "12 months"

        [landing]
        home_constant = 0.3
        host_constant = 0.8
        elsewhere_constant = -0.4
        [landing.weights]
        subsidy = 0.25
        fit = 1.0
        travel = -0.2
        barrier = -0.8
        same_city = 0.6
        free_capacity = 0.8
        "#,
    );
    // Home utility: constant + subsidy (2 million) + fit + travel (1.5 h) + barrier
    // (0.5: other province, same metro) + same-city treatment + free capacity (1: unlimited).
    let home = 0.3 + 0.25 * 2.0 + 1.0 * 0.5 - 0.2 * 1.5 - 0.8 * 0.5 + 0.6 + 0.8 * 1.0;
    let expected = logit([home, 0.8, -0.4]);
    let runs = outcomes(&sc, 200, 31);
    let decided =
        |o: &Outcome| o.totals[total::LANDED_HOME] + o.totals[total::LEAKED_HOST] + o.totals[total::LEAKED_ELSEWHERE];
    for (name, metric, p) in [
        ("home share", total::LANDED_HOME, expected[0]),
        ("host share", total::LEAKED_HOST, expected[1]),
        ("elsewhere share", total::LEAKED_ELSEWHERE, expected[2]),
    ] {
        let shares: Vec<f64> = runs.iter().map(|o| o.totals[metric] / decided(o)).collect();
        assert_within_ci(name, &shares, p, 0.05);
    }
}

#[test]
fn every_candidate_is_accounted_for_exactly_once() {
    let text = std::fs::read_to_string("scenarios/dazu-chengdu.toml").unwrap();
    let sc = scenario(&text);
    for o in outcomes(&sc, 40, 5) {
        let t = &o.totals;
        assert_accounted(t);
        assert!(t[total::LANDED_HOME] <= t[total::ADMITTED]);
    }
}

#[test]
fn alternatives_share_the_same_candidates_under_common_random_numbers() {
    let text = std::fs::read_to_string("scenarios/dazu-chengdu.toml").unwrap();
    let small = scenario(&text.replace("seats = 110", "seats = 20"));
    let large = scenario(&text);
    let (a, b) = (outcomes(&small, 20, 9), outcomes(&large, 20, 9));
    for (x, y) in a.iter().zip(&b) {
        assert_eq!(x.totals[total::HOST_CANDIDATES], y.totals[total::HOST_CANDIDATES]);
        assert_eq!(x.totals[total::CANDIDATES], y.totals[total::CANDIDATES]);
        assert_eq!(x.totals[total::REJECTED], y.totals[total::REJECTED]);
    }
    let admitted = |v: &[Outcome]| v.iter().map(|o| o.totals[total::ADMITTED]).sum::<f64>();
    assert!(admitted(&a) < admitted(&b), "fewer seats must admit fewer projects");
}

/// A scenario stopped by a limit of 100 candidates, with `flows` flows and, when
/// `burst` is set, a batch of 30 candidates every month.
fn limited(flows: usize, burst: bool) -> Scenario {
    let mut text = String::from(
        r#"
        [scenario]
        name = "limited"
        candidate_limit = 100
        sectors = ["a", "b", "c", "d", "e"]

        [[city]]
        id = "host"
        role = "both"
        province = "P"

        [[enclave]]
        id = "e"
        owner = "host"
        host = "host"
        seats = 5

        [[stage]]
        name = "incubation"
        place = "enclave"
        duration = "3 months"
        "#,
    );
    for f in 0..flows {
        let sector = ["a", "b", "c", "d", "e"][f];
        text += &format!(
            "\n[[flow]]\nhost = \"host\"\nsector = \"{sector}\"\nrate = \"{} per month\"\n",
            2 + f
        );
    }
    if burst {
        text +=
            "\n[[burst]]\nhost = \"host\"\nsector = \"a\"\nevery = \"1 month\"\nstart = \"0.5 months\"\nsize = 30\n";
    }
    if burst {
        text = text.replace(
            "candidate_limit = 100",
            "candidate_limit = 100\nhorizon = \"100 months\"",
        );
    }
    scenario(&text)
}

#[test]
fn a_candidate_limit_is_exact_whatever_the_number_of_flows_and_bursts() {
    for flows in [1, 2, 3, 5] {
        for o in outcomes(&limited(flows, false), 50, 4) {
            assert_eq!(o.totals[total::HOST_CANDIDATES], 100.0, "{flows} flows");
            assert_accounted(&o.totals);
        }
    }
    for flows in [1, 3] {
        for o in outcomes(&limited(flows, true), 50, 4) {
            assert_eq!(o.totals[total::HOST_CANDIDATES], 100.0, "{flows} flows and a burst");
            assert_accounted(&o.totals);
        }
    }
}

#[test]
fn per_enclave_averages_add_up_to_the_network_figures() {
    // Time averages over one window add: the enclaves' queues sum to the seat queue, and
    // their busy seats (occupancy × open seat-months) to the busy seats of the network.
    let text = std::fs::read_to_string("scenarios/wuxi-network.toml").unwrap();
    let sc = scenario(&text.replace("breakdown_hazard", "# breakdown_hazard"));
    let months = sc.horizon.unwrap() - sc.warmup;
    let runs = outcomes(&sc, 20, 16);
    for o in &runs {
        let (mut queue, mut busy) = (0.0, 0.0);
        for e in &sc.enclaves {
            queue += o.totals[slot(&sc, &format!("seat_queue.{}", e.id))];
            let open = e.seats as f64 * (months - (e.opens - sc.warmup).max(0.0));
            busy += o.totals[slot(&sc, &format!("seat_occupancy.{}", e.id))] * open / months;
        }
        let relative = |a: f64, b: f64| (a - b).abs() <= 1e-9 * b.abs().max(1.0);
        assert!(
            relative(queue, o.totals[total::SEAT_QUEUE]),
            "{queue} {}",
            o.totals[total::SEAT_QUEUE]
        );
        assert!(
            relative(busy, o.totals[total::SEATS_BUSY]),
            "{busy} {}",
            o.totals[total::SEATS_BUSY]
        );
    }
}
