//! Policy levers and money: each lever moves its outputs the documented way, and the
//! accounting holds exactly. Statistical comparisons use common random numbers and a
//! 99 % confidence interval of the paired difference.

mod common;

use common::{assert_accounted, ci99, outcomes, scenario};
use feidi::model::metrics::{total, totals_for};
use feidi::model::Outcome;

/// One candidate at month 0; 6 months in the enclave, 6 at home; constant output.
const ONE_FIRM: &str = r#"
[scenario]
name = "one-firm"
horizon = "60 months"
sectors = ["devices"]

[[city]]
id = "host"
role = "host"
province = "A"

[[city]]
id = "home"
role = "home"
province = "B"
landing_subsidy_yuan = 1_000_000

[[enclave]]
id = "e"
owner = "home"
host = "host"
seats = 1
floor_area_m2 = 100
rent_yuan_per_m2_month = 10
operator = { fee_yuan_per_month = 500 }

[[burst]]
host = "host"
sector = "devices"
at = ["0 months"]
size = 1

[[stage]]
name = "incubation"
place = "enclave"
duration = "6 months"

[[stage]]
name = "industrialization"
place = "home"
duration = "6 months"

[economics]
output = 12_000_000
ramp_up = "12 months"
tax_rate = 0.1
jobs_per_million_yuan = 2
tax_split = { home = 5, host = 3, other = 2 }
"#;

#[test]
fn one_firm_gives_the_hand_computed_output_tax_cost_and_payback() {
    let sc = scenario(ONE_FIRM);
    let o = &outcomes(&sc, 1, 3)[0];
    let t = &o.totals;
    // The firm starts at month 12; 1 million yuan a month at full scale after a 12-month
    // linear ramp: by month 60 it has made 1e6 × (12/2 + 48 − 12) = 42 million.
    assert!((t[total::OUTPUT_YUAN] - 42e6).abs() < 1e-3, "{}", t[total::OUTPUT_YUAN]);
    assert!((t[total::TAX_YUAN] - 4.2e6).abs() < 1e-3);
    assert!((t[total::HOME_TAX_YUAN] - 2.1e6).abs() < 1e-3);
    assert!((t[total::JOBS] - 24.0).abs() < 1e-9);
    // Rent 1,000 and fee 500 a month for 60 months, and one landing subsidy of 1 million.
    assert!((t[total::COST_YUAN] - 1.09e6).abs() < 1e-6);
    assert_eq!(t[total::COST_PER_REAL_LANDING_YUAN], t[total::COST_YUAN]);
    // Home tax 50,000 a month after month 24 (5e4 × (t − 18)) first covers the outlay
    // (1.5e3 × t + 1e6) at t = 39.2, so at the end of the month-40 bin.
    assert_eq!(t[total::PAYBACK_MONTH], 40.0);
    assert_eq!(t[total::PAID_BACK], 1.0);
    let names = totals_for(&sc);
    let party = |name: &str| t[names.iter().position(|m| m.name == name).unwrap()];
    assert!((party("tax_yuan.home") - 2.1e6).abs() < 1e-3);
    assert!((party("tax_yuan.host") - 1.26e6).abs() < 1e-3);
    assert!((party("tax_yuan.other") - 0.84e6).abs() < 1e-3);
}

#[test]
fn rent_and_fees_accrue_continuously_not_by_the_month() {
    // A horizon half-way through month 61: rent and fee (1,500 a month) for 60.5 months,
    // where monthly payments would give 60 or 61 of them (1.09 or 1.0915 million).
    let sc = scenario(&ONE_FIRM.replace(r#"horizon = "60 months""#, r#"horizon = "60.5 months""#));
    let t = &outcomes(&sc, 1, 3)[0].totals;
    assert!(
        (t[total::COST_YUAN] - 1_090_750.0).abs() < 1e-6,
        "{}",
        t[total::COST_YUAN]
    );
}

#[test]
fn the_floating_part_moves_tax_home_as_the_landing_rate_rises() {
    let sc = scenario(&ONE_FIRM.replace("other = 2 }", "other = 2, home_floating = 0.2 }"));
    let t = &outcomes(&sc, 1, 3)[0].totals;
    // Landing rate 1: home 0.5 + 0.2; host and other share the remaining 0.3 as 3:2.
    assert!((t[total::HOME_TAX_YUAN] - 4.2e6 * 0.7).abs() < 1e-3);
    let names = totals_for(&sc);
    let host = t[names.iter().position(|m| m.name == "tax_yuan.host").unwrap()];
    assert!((host - 4.2e6 * 0.18).abs() < 1e-3);
}

#[test]
fn tax_parts_sum_to_the_total_in_every_replication() {
    let text = std::fs::read_to_string("scenarios/dazu-chengdu.toml").unwrap();
    let sc = scenario(&text);
    let names = totals_for(&sc);
    let parts: Vec<usize> = names
        .iter()
        .enumerate()
        .filter(|(_, m)| m.name.starts_with("tax_yuan."))
        .map(|(i, _)| i)
        .collect();
    assert_eq!(parts.len(), 2);
    for o in outcomes(&sc, 30, 3) {
        let sum: f64 = parts.iter().map(|&i| o.totals[i]).sum();
        assert!((sum - o.totals[total::TAX_YUAN]).abs() <= 1e-6 * o.totals[total::TAX_YUAN].max(1.0));
        assert!(o.totals[total::HOME_TAX_YUAN] <= o.totals[total::TAX_YUAN]);
    }
}

/// Mean and 99 % half-width of paired differences b − a of a total.
fn paired(a: &[Outcome], b: &[Outcome], metric: usize) -> (f64, f64) {
    let d: Vec<f64> = a
        .iter()
        .zip(b)
        .map(|(x, y)| y.totals[metric] - x.totals[metric])
        .collect();
    ci99(&d)
}

#[test]
fn a_larger_landing_subsidy_lands_more_projects_at_a_higher_cost() {
    let text = std::fs::read_to_string("scenarios/dazu-chengdu.toml").unwrap();
    // Pilot capacity removed so that the choice, not the lines, limits landings.
    let base = text.replace("capacity = { pilot = 6, industrialization = 12 }", "");
    let low = scenario(&base);
    let high = scenario(&base.replace("landing_subsidy_yuan = 1_000_000", "landing_subsidy_yuan = 6_000_000"));
    let (a, b) = (outcomes(&low, 200, 3), outcomes(&high, 200, 3));
    let (more, half) = paired(&a, &b, total::LANDED_HOME_REAL);
    assert!(
        more - half > 0.0,
        "landings rise by {more} ± {half} (99% CI) — expected a clear rise"
    );
    let (fewer, half) = paired(&a, &b, total::LEAKED_HOST);
    assert!(
        fewer + half < 0.0,
        "host leaks change by {fewer} ± {half} — expected a clear fall"
    );
    let (dearer, half) = paired(&a, &b, total::SUBSIDY_YUAN);
    assert!(dearer - half > 0.0);
}

fn dazu() -> String {
    std::fs::read_to_string("scenarios/dazu-chengdu.toml").unwrap()
}

const FUND: &str = r#"
[[fund]]
name = "angel fund"
owner = "dazu"
size_yuan = 100_000_000
government_share = 0.25
ticket_yuan = 4_000_000
stage = "acceleration"
return_clause = CLAUSE
return_multiple = 3.46
"#;

#[test]
fn a_return_investment_clause_cuts_leaks_and_the_fund_accounts_balance() {
    let base = dazu().replace("capacity = { pilot = 6, industrialization = 12 }", "");
    let without = scenario(&(base.clone() + &FUND.replace("CLAUSE", "0.0")));
    let with = scenario(&(base + &FUND.replace("CLAUSE", "1.0")));
    let (a, b) = (outcomes(&without, 200, 3), outcomes(&with, 200, 3));
    let (change, half) = paired(&a, &b, total::LEAKED_HOST);
    assert!(
        change + half < 0.0,
        "host leaks change by {change} ± {half} (99% CI) — expected a clear fall"
    );
    let (more, half) = paired(&a, &b, total::LANDED_HOME_REAL);
    assert!(more - half > 0.0, "landings change by {more} ± {half}");
    for o in a.iter().chain(&b) {
        let t = &o.totals;
        // Money in = money out + balance: government money never exceeds the fund, each
        // ticket is a quarter government and three quarters social, losses come from it.
        assert!(t[total::FUND_DEPLOYED_YUAN] <= 100e6);
        assert!((t[total::FUND_DEPLOYED_YUAN] - t[total::FUND_INVESTMENTS] * 1e6).abs() < 1e-3);
        assert!((t[total::SOCIAL_CAPITAL_YUAN] - 3.0 * t[total::FUND_DEPLOYED_YUAN]).abs() < 1e-3);
        assert!(t[total::FUND_LOSSES_YUAN] <= t[total::FUND_DEPLOYED_YUAN]);
    }
    let invested: f64 = b.iter().map(|o| o.totals[total::FUND_INVESTMENTS]).sum();
    assert!(invested > 0.0);
}

#[test]
fn a_registration_target_adds_paper_landings_but_no_output() {
    let base = dazu();
    let with_target = base.replace(
        "landing_subsidy_yuan = 1_000_000",
        "landing_subsidy_yuan = 1_000_000\nregistration_target = { per_year = 15, filled_by_shells = 0.8 }",
    );
    let (a, b) = (
        outcomes(&scenario(&base), 50, 3),
        outcomes(&scenario(&with_target), 50, 3),
    );
    for (x, y) in a.iter().zip(&b) {
        assert_eq!(x.totals[total::LANDED_HOME_PAPER], 0.0);
        assert!(y.totals[total::LANDED_HOME_PAPER] > 0.0);
        // Shells change nothing real: the same projects, landings and output, bit for bit.
        assert_eq!(x.totals[total::LANDED_HOME_REAL], y.totals[total::LANDED_HOME_REAL]);
        assert_eq!(x.totals[total::OUTPUT_YUAN], y.totals[total::OUTPUT_YUAN]);
        assert_eq!(
            y.totals[total::LANDED_HOME],
            y.totals[total::LANDED_HOME_REAL] + y.totals[total::LANDED_HOME_PAPER]
        );
        // ...but they collect landing subsidies.
        assert!(y.totals[total::COST_YUAN] > x.totals[total::COST_YUAN]);
    }
}

#[test]
fn a_breakdown_strands_projects_and_every_candidate_is_still_accounted_for() {
    let broken = dazu().replace(
        "same_city_treatment = false",
        "same_city_treatment = false\nbreakdown_hazard = \"0.3 per year\"",
    );
    let (a, b) = (
        outcomes(&scenario(&dazu()), 100, 3),
        outcomes(&scenario(&broken), 100, 3),
    );
    let stranded: f64 = b.iter().map(|o| o.totals[total::STRANDED]).sum();
    assert!(stranded > 0.0);
    let (fewer, half) = paired(&a, &b, total::LANDED_HOME_REAL);
    assert!(fewer + half < 0.0, "landings change by {fewer} ± {half}");
    for o in &b {
        let t = &o.totals;
        assert_accounted(t);
    }
}

#[test]
fn an_operator_paid_by_occupancy_admits_more_and_weaker_projects() {
    let base = dazu().replace("seats = 110", "seats = 300");
    let drifting = base.replace("admission_bar = -0.3", "admission_bar = -0.3\noccupancy_drift = 1.5");
    let (a, b) = (
        outcomes(&scenario(&base), 100, 3),
        outcomes(&scenario(&drifting), 100, 3),
    );
    let (more, half) = paired(&a, &b, total::ADMITTED);
    assert!(more - half > 0.0, "admissions change by {more} ± {half}");
    let (rate, half) = paired(&a, &b, total::LANDING_RATE);
    assert!(
        rate + half < 0.0,
        "landing rate changes by {rate} ± {half}: weaker projects land less often"
    );
}

#[test]
fn rival_enclaves_take_their_logit_share_of_the_candidates_met() {
    // 35 rivals as attractive as the enclave: it keeps 1/36 of those its scouts meet.
    let crowded = dazu().replace("province = \"Sichuan\"", "province = \"Sichuan\"\nrival_enclaves = 35");
    let runs = outcomes(&scenario(&crowded), 100, 3);
    let kept: Vec<f64> = runs
        .iter()
        .map(|o| 1.0 - o.totals[total::LOST_TO_RIVALS] / o.totals[total::CANDIDATES])
        .collect();
    let (mean, half) = ci99(&kept);
    assert!(
        (mean - 1.0 / 36.0).abs() <= half,
        "kept share {mean} ± {half} (99% CI), logit gives {}",
        1.0 / 36.0
    );
    assert!(half < 0.1 / 36.0, "interval too wide to test: {half}");
}

#[test]
fn innovation_vouchers_raise_incubation_success_at_their_cost() {
    let base = dazu().replace("capacity = { pilot = 6, industrialization = 12 }", "");
    let with = base.clone()
        + r#"
[[voucher]]
owner = "dazu"
stage = "incubation"
budget_yuan = 20_000_000
amount_yuan = 200_000
success_boost = 1.0
"#;
    let (a, b) = (outcomes(&scenario(&base), 200, 3), outcomes(&scenario(&with), 200, 3));
    let (fewer, half) = paired(&a, &b, total::FAILED);
    assert!(fewer + half < 0.0, "failures change by {fewer} ± {half}");
    for o in &b {
        let t = &o.totals;
        assert!(t[total::VOUCHERS_YUAN] <= 20e6);
        assert_eq!(t[total::VOUCHERS_YUAN], t[total::VOUCHER_PROJECTS] * 200_000.0);
    }
    let (dearer, half) = paired(&a, &b, total::COST_YUAN);
    assert!(dearer - half > 0.0);
}

#[test]
fn an_enclave_keeps_the_entrants_of_its_own_competition_from_rivals() {
    let crowded = dazu().replace("province = \"Sichuan\"", "province = \"Sichuan\"\nrival_enclaves = 35");
    let own = crowded.replace(
        "start = \"6 months\"",
        "start = \"6 months\"\nenclave = \"dazu-in-chengdu\"",
    );
    assert_ne!(own, crowded);
    let (a, b) = (outcomes(&scenario(&crowded), 100, 3), outcomes(&scenario(&own), 100, 3));
    let (fewer, half) = paired(&a, &b, total::LOST_TO_RIVALS);
    assert!(fewer + half < 0.0, "losses to rivals change by {fewer} ± {half}");
    let (more, half) = paired(&a, &b, total::ADMITTED);
    assert!(more - half > 0.0, "admissions change by {more} ± {half}");
}

/// Total number of a metric by name (for totals that have no constant).
fn named(sc: &feidi::scenario::Scenario, t: &[f64], name: &str) -> f64 {
    t[totals_for(sc).iter().position(|m| m.name == name).unwrap()]
}

#[test]
fn rent_follows_the_seats_when_the_area_is_given_per_seat() {
    // 100 m² a seat at 10 yuan per m² per month: 1,000 yuan a seat-month.
    let per_seat = ONE_FIRM.replace("floor_area_m2 = 100", "area_per_seat_m2 = 100");
    let one = scenario(&per_seat);
    let three = scenario(&per_seat.replace("seats = 1\n", "seats = 3\n"));
    let cost = |sc| outcomes(sc, 1, 3)[0].totals[total::COST_YUAN];
    // As with 100 m²: rent 1,000 a month at one seat, fee 500, subsidy 1 million.
    assert!((cost(&one) - 1.09e6).abs() < 1e-6, "{}", cost(&one));
    // Three seats: rent 3 × 100 m² × 10 yuan × 60 months = 180,000.
    assert!(
        (cost(&three) - (1e6 + 30_000.0 + 180_000.0)).abs() < 1e-6,
        "{}",
        cost(&three)
    );
    // Without the new key the floor area stays fixed whatever the seats.
    let fixed = scenario(&ONE_FIRM.replace("seats = 1\n", "seats = 3\n"));
    assert!((cost(&fixed) - 1.09e6).abs() < 1e-6);
}

#[test]
fn operator_fees_per_seat_and_per_landing_are_paid_as_hand_computed() {
    let text = ONE_FIRM
        .replace(
            "operator = { fee_yuan_per_month = 500 }",
            "operator = { fee_yuan_per_month = 500, fee_yuan_per_seat_year = 2_400, fee_yuan_per_landing = 250_000 }",
        )
        .replace("seats = 1\n", "seats = 2\n");
    let sc = scenario(&text);
    let t = &outcomes(&sc, 1, 3)[0].totals;
    // 1.09 million as before, plus 2 seats × 200 a month × 60 months and one landing fee.
    assert!(
        (t[total::COST_YUAN] - (1.09e6 + 24_000.0 + 250_000.0)).abs() < 1e-6,
        "{}",
        t[total::COST_YUAN]
    );
    // The performance fee is reported on its own, only where one is charged.
    let names: Vec<String> = totals_for(&sc).into_iter().map(|m| m.name).collect();
    let fees = names.iter().position(|n| n == "operator_landing_fees_yuan").unwrap();
    assert_eq!(t[fees], 250_000.0);
    assert_eq!(names.len(), t.len());
    let without = totals_for(&scenario(ONE_FIRM));
    assert!(without.iter().all(|m| m.name != "operator_landing_fees_yuan"));
}

#[test]
fn an_operators_services_raise_enclave_stage_success() {
    let base = dazu().replace("capacity = { pilot = 6, industrialization = 12 }", "");
    let served = base.replace("admission_bar = -0.3", "admission_bar = -0.3\nservices_boost = 0.8");
    assert_ne!(base, served);
    let (a, b) = (outcomes(&scenario(&base), 200, 3), outcomes(&scenario(&served), 200, 3));
    let (fewer, half) = paired(&a, &b, total::FAILED);
    assert!(fewer + half < 0.0, "failures change by {fewer} ± {half} (99% CI)");
    let (more, half) = paired(&a, &b, total::LANDED_HOME_REAL);
    assert!(more - half > 0.0, "landings change by {more} ± {half}");
}

#[test]
fn an_operators_reach_factor_scales_the_candidates_its_scouts_meet() {
    let base = dazu();
    let narrow = base.replace("admission_bar = -0.3", "admission_bar = -0.3\nreach_factor = 0.5");
    let (a, b) = (outcomes(&scenario(&base), 100, 3), outcomes(&scenario(&narrow), 100, 3));
    let (fewer, half) = paired(&a, &b, total::CANDIDATES);
    assert!(fewer + half < 0.0, "candidates change by {fewer} ± {half}");
}

/// Dazu's enclave with an operator of `model` whose absent settings take the model's
/// documented defaults.
fn dazu_run_by(model: &str) -> feidi::scenario::Scenario {
    let text = dazu();
    let start = text.find("[enclave.operator]").unwrap();
    let end = start + text[start..].find("\n\n").unwrap();
    let operator = format!("[enclave.operator]\nmodel = \"{model}\"\nmodel_defaults = true");
    scenario(&(text[..start].to_string() + &operator + &text[end..]))
}

#[test]
fn a_professional_operator_meets_more_screens_harder_and_lands_a_larger_share_than_a_government_platform() {
    let (gov, pro) = (dazu_run_by("government"), dazu_run_by("professional"));
    assert_eq!(gov.enclaves[0].operator.admission_bar, None);
    assert_eq!(pro.enclaves[0].operator.admission_bar, Some(-0.3));
    let (a, b) = (outcomes(&gov, 200, 3), outcomes(&pro, 200, 3));
    // Reach 0.25 × 0.6 against 0.25 × 1.
    let (more, half) = paired(&a, &b, total::CANDIDATES);
    assert!(more - half > 0.0, "candidates change by {more} ± {half}");
    let (rejected, half) = paired(&a, &b, total::REJECTED);
    assert!(rejected - half > 0.0, "rejections change by {rejected} ± {half}");
    let (rate, half) = paired(&a, &b, total::LANDING_RATE);
    assert!(rate - half > 0.0, "landing rate changes by {rate} ± {half}");
    for o in a.iter().chain(&b) {
        assert_accounted(&o.totals);
    }
}

#[test]
fn a_breakdown_at_a_date_closes_the_enclave_then_in_every_replication() {
    let broken = dazu().replace(
        "same_city_treatment = false",
        "same_city_treatment = false\nbreakdown_at = \"36 months\"",
    );
    assert_ne!(broken, dazu());
    let (a, b) = (
        outcomes(&scenario(&dazu()), 100, 3),
        outcomes(&scenario(&broken), 100, 3),
    );
    for (x, y) in a.iter().zip(&b) {
        assert!(y.totals[total::STRANDED] > 0.0);
        assert_eq!(x.totals[total::STRANDED], 0.0);
        assert!(y.totals[total::ADMITTED] < x.totals[total::ADMITTED]);
        assert_accounted(&y.totals);
    }
    let (fewer, half) = paired(&a, &b, total::LANDED_HOME_REAL);
    assert!(fewer + half < 0.0, "landings change by {fewer} ± {half}");
    let (cheaper, half) = paired(&a, &b, total::COST_YUAN);
    assert!(
        cheaper + half < 0.0,
        "rent and fees stop: cost changes by {cheaper} ± {half}"
    );
}

#[test]
fn more_seats_from_a_date_admit_more_projects() {
    let small = dazu().replace("seats = 110", "seats = 20");
    let grown = small.clone() + "\n[[change]]\nat = \"24 months\"\nset = { \"enclave[0].seats\" = 110 }\n";
    let (a, b) = (outcomes(&scenario(&small), 100, 3), outcomes(&scenario(&grown), 100, 3));
    let (more, half) = paired(&a, &b, total::ADMITTED);
    assert!(more - half > 0.0, "admissions change by {more} ± {half}");
    for (x, y) in a.iter().zip(&b) {
        assert_eq!(x.totals[total::HOST_CANDIDATES], y.totals[total::HOST_CANDIDATES]);
    }
}

#[test]
fn a_seat_change_moves_rent_from_its_date_as_hand_computed() {
    let text = ONE_FIRM.replace("floor_area_m2 = 100", "area_per_seat_m2 = 10")
        + "\n[[change]]\nat = \"30 months\"\nset = { \"enclave[0].seats\" = 3 }\n";
    let t = &outcomes(&scenario(&text), 1, 3)[0].totals;
    // Rent 100 a seat-month: 1 seat for 30 months, 3 for 30; fee 30,000; subsidy 1 million.
    assert!(
        (t[total::COST_YUAN] - (1e6 + 30_000.0 + 3_000.0 + 9_000.0)).abs() < 1e-6,
        "{}",
        t[total::COST_YUAN]
    );
}

#[test]
fn a_landing_subsidy_changed_at_a_date_is_paid_from_that_date() {
    // The one project lands at month 6.
    let change = |month: u32| {
        ONE_FIRM.to_string()
            + &format!("\n[[change]]\nat = \"{month} months\"\nset = {{ \"city[1].landing_subsidy_yuan\" = 2e6 }}\n")
    };
    let paid = |text: &str| outcomes(&scenario(text), 1, 3)[0].totals[total::SUBSIDY_YUAN];
    assert_eq!(paid(&change(3)), 2e6);
    assert_eq!(paid(&change(12)), 1e6);
    let base = dazu().replace("capacity = { pilot = 6, industrialization = 12 }", "");
    let raised = base.clone() + "\n[[change]]\nat = \"24 months\"\nset = { \"city[1].landing_subsidy_yuan\" = 6e6 }\n";
    let (a, b) = (outcomes(&scenario(&base), 200, 3), outcomes(&scenario(&raised), 200, 3));
    let (more, half) = paired(&a, &b, total::LANDED_HOME_REAL);
    assert!(more - half > 0.0, "landings change by {more} ± {half}");
    let (dearer, half) = paired(&a, &b, total::SUBSIDY_YUAN);
    assert!(dearer - half > 0.0);
}

#[test]
fn a_tax_split_changed_at_a_date_splits_later_tax_the_new_way() {
    let text = ONE_FIRM.to_string()
        + "\n[[change]]\nat = \"36 months\"\nset = { \"economics.tax_split\" = { home = 8, host = 1, other = 1 } }\n";
    let sc = scenario(&text);
    let t = &outcomes(&sc, 1, 3)[0].totals;
    // Output to month 36: 1e6 × (6 + 24 − 12) = 18 million; 24 million after. Tax 10 %.
    assert!((t[total::TAX_YUAN] - 4.2e6).abs() < 1e-3);
    assert!(
        (t[total::HOME_TAX_YUAN] - (1.8e6 * 0.5 + 2.4e6 * 0.8)).abs() < 1e-3,
        "{}",
        t[total::HOME_TAX_YUAN]
    );
    assert!((named(&sc, t, "tax_yuan.host") - (1.8e6 * 0.3 + 2.4e6 * 0.1)).abs() < 1e-3);
}

#[test]
fn closing_an_enclave_at_a_date_strands_its_projects_and_stops_its_rent() {
    let closed = dazu() + "\n[[change]]\nat = \"48 months\"\nset = { \"enclave[0].open\" = false }\n";
    let (a, b) = (
        outcomes(&scenario(&dazu()), 100, 3),
        outcomes(&scenario(&closed), 100, 3),
    );
    for (x, y) in a.iter().zip(&b) {
        assert!(y.totals[total::STRANDED] > 0.0);
        assert!(y.totals[total::ADMITTED] < x.totals[total::ADMITTED]);
        assert_accounted(&y.totals);
    }
    let (cheaper, half) = paired(&a, &b, total::COST_YUAN);
    assert!(cheaper + half < 0.0, "cost changes by {cheaper} ± {half}");
    // Opening at a change is opening at its date.
    let late = ONE_FIRM.replace("seats = 1\n", "seats = 1\nopens = \"50 months\"\n")
        + "\n[[change]]\nat = \"0 months\"\nset = { \"enclave[0].open\" = true }\n";
    assert_eq!(scenario(&late).enclaves[0].opens, 0.0);
}

#[test]
fn a_change_of_an_unsupported_setting_is_refused_where_it_is_written() {
    let text = ONE_FIRM.to_string() + "\n[[change]]\nat = \"24 months\"\nset = { \"enclave[0].reach\" = 0.5 }\n";
    let err = feidi::scenario::Scenario::from_toml("test.toml", &text)
        .unwrap_err()
        .to_string();
    let line = text.lines().position(|l| l.starts_with("set = ")).unwrap() + 1;
    assert!(err.contains(&format!("test.toml:{line}:")), "{err}");
    assert!(err.contains("enclave[i].seats"), "{err}");
    assert!(err.contains("enclave[0].reach"), "{err}");
    let beyond = ONE_FIRM.to_string() + "\n[[change]]\nat = \"24 months\"\nset = { \"enclave[3].seats\" = 5 }\n";
    let err = feidi::scenario::Scenario::from_toml("test.toml", &beyond)
        .unwrap_err()
        .to_string();
    assert!(err.contains("index 3, but the file has 1"), "{err}");
    let late = ONE_FIRM.to_string() + "\n[[change]]\nat = \"61 months\"\nset = { \"enclave[0].seats\" = 5 }\n";
    assert!(feidi::scenario::Scenario::from_toml("test.toml", &late).is_err());
    let both = ONE_FIRM.replace("floor_area_m2 = 100", "floor_area_m2 = 100\narea_per_seat_m2 = 10");
    let err = feidi::scenario::Scenario::from_toml("test.toml", &both)
        .unwrap_err()
        .to_string();
    assert!(err.contains("not both"), "{err}");
}

#[test]
fn a_farther_host_lands_fewer_projects() {
    // The landing logit's travel weight is negative in Dazu: a host four hours away
    // rather than one and a half pulls graduates into the host. Pilot capacity is
    // removed so that the choice, not the lines, limits landings.
    let base = dazu().replace("capacity = { pilot = 6, industrialization = 12 }", "");
    let far = base.replace("travel_time = \"1.5 hours\"", "travel_time = \"4 hours\"");
    assert_ne!(base, far);
    let (a, b) = (outcomes(&scenario(&base), 200, 3), outcomes(&scenario(&far), 200, 3));
    let (fewer, half) = paired(&a, &b, total::LANDED_HOME_REAL);
    assert!(fewer + half < 0.0, "landings change by {fewer} ± {half} (99% CI)");
    let (more, half) = paired(&a, &b, total::LEAKED_HOST);
    assert!(more - half > 0.0, "host leaks change by {more} ± {half}");
}

#[test]
fn more_seats_admit_more_and_fewer_wait() {
    let base = dazu();
    let seats = base.lines().find(|l| l.starts_with("seats = ")).unwrap().to_string();
    let n: u32 = seats["seats = ".len()..]
        .split_whitespace()
        .next()
        .unwrap()
        .replace('_', "")
        .parse()
        .unwrap();
    let bigger = base.replacen(&seats, &format!("seats = {}", 2 * n), 1);
    let (a, b) = (outcomes(&scenario(&base), 100, 3), outcomes(&scenario(&bigger), 100, 3));
    let (more, half) = paired(&a, &b, total::ADMITTED);
    assert!(more - half > 0.0, "admissions change by {more} ± {half} (99% CI)");
    let (less, half) = paired(&a, &b, total::QUEUED_SHARE);
    assert!(less + half < 0.0, "the share who queued changes by {less} ± {half}");
    let (less, half) = paired(&a, &b, total::SEAT_OCCUPANCY);
    assert!(less + half < 0.0, "occupancy changes by {less} ± {half}");
}

/// The rows of the first table under `heading` in docs/scenario.md, split into cells.
fn doc_table(heading: &str) -> Vec<Vec<String>> {
    let doc = std::fs::read_to_string("docs/scenario.md").unwrap();
    let section = &doc[doc.find(heading).unwrap_or_else(|| panic!("no heading {heading}"))..];
    section
        .lines()
        .skip_while(|l| !l.starts_with('|'))
        .skip(2)
        .take_while(|l| l.starts_with('|'))
        .map(|l| l.split('|').map(|c| c.trim().to_string()).collect())
        .collect()
}

/// The `quoted` words of a table cell.
fn quoted(cell: &str) -> Vec<String> {
    cell.split('`').skip(1).step_by(2).map(str::to_string).collect()
}

#[test]
fn every_question_names_levers_that_act_and_each_has_its_test() {
    let questions = doc_table("### Questions and the levers that answer them");
    let checked = doc_table("### What each lever moves");
    assert!(questions.len() >= 5 && checked.len() >= 20);
    let checked_keys: Vec<String> = checked.iter().flat_map(|row| quoted(&row[2])).collect();
    for row in &questions {
        let levers: Vec<String> = quoted(&row[2]).into_iter().filter(|k| !k.contains('/')).collect();
        assert!(!levers.is_empty(), "question `{}` names no lever", row[1]);
        for lever in levers {
            assert!(
                checked_keys.contains(&lever),
                "question `{}`: lever `{lever}` has no checked row in the levers table",
                row[1]
            );
        }
    }
    let sources: String = std::fs::read_dir("tests")
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "rs"))
        .map(|p| std::fs::read_to_string(p).unwrap())
        .collect();
    for row in &checked {
        let tests = quoted(&row[4]);
        assert!(!tests.is_empty(), "lever `{}` names no test", row[1]);
        for test in tests {
            assert!(
                sources.contains(&format!("fn {test}(")),
                "lever `{}`: no test `{test}`",
                row[1]
            );
        }
    }
}
// ---- Relocating firms (跨区域迁移企业) ---------------------------------------------------

/// ONE_FIRM with its pipeline tax all at home, so that the relocated firm's 5:3:2 shows.
fn one_firm_with(relocation: &str) -> feidi::scenario::Scenario {
    let text = ONE_FIRM.replace(
        "tax_split = { home = 5, host = 3, other = 2 }",
        "tax_split = { home = 1, host = 0, other = 0 }",
    );
    scenario(&(text + relocation))
}

const ONE_MOVE: &str = r#"
[[relocation]]
from = "FROM"
to = "TO"
at = ["24 months"]
output = 12_000_000
tax_split = { home = 5, host = 3, other = 2 }
"#;

#[test]
fn one_relocated_firm_shares_its_tax_increment_five_three_two_as_hand_computed() {
    let sc = one_firm_with(&ONE_MOVE.replace("FROM", "host").replace("TO", "home"));
    let t = &outcomes(&sc, 1, 3)[0].totals;
    // The pipeline firm: 42 million of output, 4.2 million of tax, all to home (as in
    // one_firm_gives_the_hand_computed_output_tax_cost_and_payback). The relocated firm:
    // 1 million a month from month 24 to 60, 36 million, 3.6 million of tax shared 5:3:2.
    assert!((t[total::OUTPUT_YUAN] - 42e6).abs() < 1e-3, "{}", t[total::OUTPUT_YUAN]);
    assert!((named(&sc, t, "relocation_tax_yuan") - 3.6e6).abs() < 1e-3);
    assert!((named(&sc, t, "relocation_home_tax_yuan") - 1.8e6).abs() < 1e-3);
    assert!((named(&sc, t, "tax_yuan.home") - (4.2e6 + 1.8e6)).abs() < 1e-3);
    assert!((named(&sc, t, "tax_yuan.host") - 1.08e6).abs() < 1e-3);
    assert!((named(&sc, t, "tax_yuan.other") - 0.72e6).abs() < 1e-3);
    assert!((t[total::TAX_YUAN] - 7.8e6).abs() < 1e-3);
    assert!((t[total::HOME_TAX_YUAN] - 6.0e6).abs() < 1e-3);
    assert_eq!(named(&sc, t, "relocations_in"), 1.0);
    assert_eq!(named(&sc, t, "relocations_out"), 0.0);
    assert!((named(&sc, t, "relocation_output_in_yuan") - 36e6).abs() < 1e-3);
    assert_eq!(named(&sc, t, "relocation_output_out_yuan"), 0.0);
    // Payback: home tax 1e5 (t − 18) + 5e4 (t − 24) after month 24 meets the outlay
    // 1e6 + 1,500 t at t = 4e6 / 148,500 = 26.9, so at the end of the month-27 bin; the
    // pipeline firm alone would pay back at t = 2.8e6 / 98,500 = 28.4, month 29.
    assert_eq!(t[total::PAYBACK_MONTH], 27.0);
    let alone = one_firm_with("");
    assert_eq!(outcomes(&alone, 1, 3)[0].totals[total::PAYBACK_MONTH], 29.0);
    // With a 12-month ramp-up: 1e6 × (12/2 + 36 − 12) = 30 million, 3 million of tax.
    let ramped = one_firm_with(
        &ONE_MOVE
            .replace("FROM", "host")
            .replace("TO", "home")
            .replace("output = 12_000_000", "output = 12_000_000\nramp_up = \"12 months\""),
    );
    let t = &outcomes(&ramped, 1, 3)[0].totals;
    assert!((named(&ramped, t, "relocation_tax_yuan") - 3.0e6).abs() < 1e-3);
    assert!((named(&ramped, t, "tax_yuan.host") - 0.9e6).abs() < 1e-3);
}

#[test]
fn a_firm_moving_from_home_to_the_host_takes_its_output_but_home_keeps_its_share() {
    let sc = one_firm_with(&ONE_MOVE.replace("FROM", "home").replace("TO", "host"));
    let t = &outcomes(&sc, 1, 3)[0].totals;
    assert_eq!(named(&sc, t, "relocations_in"), 0.0);
    assert_eq!(named(&sc, t, "relocations_out"), 1.0);
    // The 36 million the firm makes in the host from month 24 is output home no longer has.
    assert!((named(&sc, t, "relocation_output_out_yuan") - 36e6).abs() < 1e-3);
    assert_eq!(named(&sc, t, "relocation_output_in_yuan"), 0.0);
    // Its tax increment is still shared by the agreement: home keeps its 5 tenths.
    assert!((named(&sc, t, "relocation_home_tax_yuan") - 1.8e6).abs() < 1e-3);
    assert!((t[total::HOME_TAX_YUAN] - 6.0e6).abs() < 1e-3);
}

/// Dazu with firms moving from Chengdu at `rate`, shared as the [economics] split.
fn dazu_relocating(rate: &str) -> feidi::scenario::Scenario {
    scenario(&format!(
        "{}\n[[relocation]]\nfrom = \"chengdu\"\nto = \"dazu\"\nrate = \"{rate}\"\noutput = {{ dist = \"lognormal\", median = 30_000_000, p90 = 120_000_000 }}\n",
        dazu()
    ))
}

#[test]
fn a_higher_relocation_rate_raises_home_tax_and_the_tax_accounts_still_add_up() {
    let (none, low, high) = (
        outcomes(&scenario(&dazu()), 200, 3),
        outcomes(&dazu_relocating("1 per year"), 200, 3),
        outcomes(&dazu_relocating("3 per year"), 200, 3),
    );
    let (more, half) = paired(&low, &high, total::HOME_TAX_YUAN);
    assert!(more - half > 0.0, "home tax changes by {more} ± {half} (99% CI)");
    let sc = dazu_relocating("3 per year");
    let parts: Vec<usize> = totals_for(&sc)
        .iter()
        .enumerate()
        .filter(|(_, m)| m.name.starts_with("tax_yuan."))
        .map(|(i, _)| i)
        .collect();
    for ((a, b), c) in none.iter().zip(&low).zip(&high) {
        let (b, c) = (&b.totals, &c.totals);
        // The same unit-rate process at three times the rate: every move comes earlier
        // and more come, with the same outputs, so the home gains in every replication.
        assert!(named(&sc, c, "relocations_in") >= named(&sc, b, "relocations_in"));
        assert!(named(&sc, c, "relocation_home_tax_yuan") >= named(&sc, b, "relocation_home_tax_yuan"));
        let sum: f64 = parts.iter().map(|&i| c[i]).sum();
        assert!((sum - c[total::TAX_YUAN]).abs() <= 1e-9 * c[total::TAX_YUAN]);
        // Moves touch no project: the pipeline's figures are those without relocations,
        // and the relocation totals are exactly what tax_yuan and home_tax_yuan gained.
        let moved = [
            total::TAX_YUAN,
            total::HOME_TAX_YUAN,
            total::PAYBACK_MONTH,
            total::PAID_BACK,
        ];
        for (i, (x, y)) in a.totals[..total::COUNT].iter().zip(c).enumerate() {
            assert!(x == y || x.is_nan() && y.is_nan() || moved.contains(&i), "total {i}");
        }
        let tax = a.totals[total::TAX_YUAN] + named(&sc, c, "relocation_tax_yuan");
        assert!((tax - c[total::TAX_YUAN]).abs() <= 1e-9 * tax);
        let home = a.totals[total::HOME_TAX_YUAN] + named(&sc, c, "relocation_home_tax_yuan");
        assert!((home - c[total::HOME_TAX_YUAN]).abs() <= 1e-9 * home);
    }
}

/// Dazu with firms of 12 million a year moving from Chengdu at `rate`, then `later`
/// from month 24 (the horizon is month 120).
fn dazu_relocating_until(rate: &str, later: Option<&str>) -> feidi::scenario::Scenario {
    let change = later.map_or(String::new(), |r| {
        format!("\n[[change]]\nat = \"24 months\"\nset = {{ \"relocation[0].rate\" = \"{r}\" }}\n")
    });
    scenario(&format!(
        "{}\n[[relocation]]\nfrom = \"chengdu\"\nto = \"dazu\"\nrate = \"{rate}\"\noutput = 12_000_000\n{change}",
        dazu()
    ))
}

#[test]
fn a_relocation_rate_changed_at_a_date_moves_firms_only_while_it_is_positive() {
    let steady = dazu_relocating_until("6 per year", None);
    let stopping = dazu_relocating_until("6 per year", Some("0 per year"));
    let starting = dazu_relocating_until("0 per year", Some("6 per year"));
    let (a, b, c) = (
        outcomes(&steady, 50, 3),
        outcomes(&stopping, 50, 3),
        outcomes(&starting, 50, 3),
    );
    let moves = |sc, o: &Outcome| named(sc, &o.totals, "relocations_in");
    let output = |sc, o: &Outcome| named(sc, &o.totals, "relocation_output_in_yuan");
    for ((a, b), c) in a.iter().zip(&b).zip(&c) {
        // 1 million a month each: a firm that moved before month 24 makes more than 96
        // million by month 120, one that moved after makes at most that.
        assert!(output(&stopping, b) >= moves(&stopping, b) * 96e6);
        assert!(output(&starting, c) <= moves(&starting, c) * 96e6 + 1e-3);
        assert!(moves(&stopping, b) <= moves(&steady, a));
    }
    assert!(b.iter().map(|o| moves(&stopping, o)).sum::<f64>() > 0.0);
    assert!(c.iter().map(|o| moves(&starting, o)).sum::<f64>() > 0.0);
}

// ---- Technology transfer without relocation -------------------------------------------

/// Dazu with licences granted at `chance`, each worth 2 million yuan, taxed at 10 %.
fn dazu_licensing(chance: f64) -> feidi::scenario::Scenario {
    scenario(&format!(
        "{}\n[transfer]\nlicence_chance = {chance}\nlicence_value_yuan = 2_000_000\ntax_rate = 0.1\n",
        dazu()
    ))
}

#[test]
fn a_higher_licence_chance_grants_more_licences_and_moves_no_project() {
    let without = outcomes(&scenario(&dazu()), 200, 3);
    let (low, high) = (dazu_licensing(0.1), dazu_licensing(0.5));
    let (a, b) = (outcomes(&low, 200, 3), outcomes(&high, 200, 3));
    let (more, half) = paired(
        &a,
        &b,
        totals_for(&low).iter().position(|m| m.name == "licences").unwrap(),
    );
    assert!(more - half > 0.0, "licences change by {more} ± {half} (99% CI)");
    for ((x, y), z) in without.iter().zip(&a).zip(&b) {
        // Licensing decides nothing about where projects go: every fixed total and every
        // series value is the same draw for draw, with or without [transfer].
        for i in 0..total::COUNT {
            let same = x.totals[i] == z.totals[i] || x.totals[i].is_nan() && z.totals[i].is_nan();
            assert!(same, "total {i}: {} without, {} with", x.totals[i], z.totals[i]);
        }
        assert_eq!(x.events, z.events);
        let (t, u) = (&y.totals, &z.totals);
        // A licence needs a project settling in the host (no warm-up in Dazu), and the
        // same draw licenses at 0.5 whatever licensed at 0.1.
        assert!(named(&high, u, "licences") <= u[total::LEAKED_HOST]);
        assert!(named(&high, u, "licences") >= named(&low, t, "licences"));
        assert_eq!(named(&high, u, "licence_value_yuan"), named(&high, u, "licences") * 2e6);
        assert!((named(&high, u, "licence_home_tax_yuan") - 0.1 * named(&high, u, "licence_value_yuan")).abs() < 1e-6);
    }
}

#[test]
fn every_project_finishing_a_chain_that_ends_in_the_host_licenses_at_chance_one() {
    // ONE_FIRM's chain cut to its enclave stage: the project settles in the host.
    let host_only = ONE_FIRM
        .replace(
            "[[stage]]\nname = \"industrialization\"\nplace = \"home\"\nduration = \"6 months\"\n",
            "",
        )
        .split("[economics]")
        .next()
        .unwrap()
        .to_string()
        + "[transfer]\nlicence_chance = 1\nlicence_value_yuan = 3_000_000\ntax_rate = 0.05\n";
    let sc = scenario(&host_only);
    let t = &outcomes(&sc, 1, 3)[0].totals;
    assert_eq!(t[total::COMPLETED], 1.0);
    assert_eq!(named(&sc, t, "licences"), 1.0);
    assert_eq!(named(&sc, t, "licence_value_yuan"), 3e6);
    assert!((named(&sc, t, "licence_home_tax_yuan") - 150_000.0).abs() < 1e-9);
}

/// Dazu with a 揭榜挂帅 round of `needs` needs a year from month 6.
fn dazu_challenging(needs: u32) -> feidi::scenario::Scenario {
    scenario(&format!(
        "{}\n[[challenge]]\nowner = \"dazu\"\nevery = \"12 months\"\nstart = \"6 months\"\nneeds = {needs}\naward_yuan = 500_000\nsolve_chance = 0.4\nsolve_within = \"12 months\"\nvalue_yuan = {{ dist = \"lognormal\", median = 2_000_000, p90 = 8_000_000 }}\n",
        dazu()
    ))
}

#[test]
fn challenge_awards_are_solved_needs_times_the_award_and_more_needs_solve_more() {
    let without = outcomes(&scenario(&dazu()), 100, 3);
    let (few, many) = (dazu_challenging(5), dazu_challenging(15));
    let (a, b) = (outcomes(&few, 100, 3), outcomes(&many, 100, 3));
    let solved = totals_for(&few)
        .iter()
        .position(|m| m.name == "challenge_needs_solved")
        .unwrap();
    let (more, half) = paired(&a, &b, solved);
    assert!(more - half > 0.0, "solved needs change by {more} ± {half} (99% CI)");
    for ((x, y), z) in without.iter().zip(&a).zip(&b) {
        for (sc, t) in [(&few, &y.totals), (&many, &z.totals)] {
            let solved = named(sc, t, "challenge_needs_solved");
            let awards = named(sc, t, "challenge_awards_yuan");
            assert_eq!(awards, solved * 500_000.0);
            assert!(solved <= named(sc, t, "challenge_needs_posted"));
            // The awards are the only change to the home outlay.
            let cost = x.totals[total::COST_YUAN] + awards;
            assert!((t[total::COST_YUAN] - cost).abs() <= 1e-9 * cost);
        }
        // Ten postings (months 6, 18, ..., 114): each need has its own draws, so the
        // first five of fifteen fare as the five do.
        assert_eq!(named(&few, &y.totals, "challenge_needs_posted"), 50.0);
        assert_eq!(named(&many, &z.totals, "challenge_needs_posted"), 150.0);
        assert!(named(&many, &z.totals, "challenge_needs_solved") >= named(&few, &y.totals, "challenge_needs_solved"));
    }
}

#[test]
fn one_solved_need_pays_its_award_when_accepted() {
    let round = |chance: &str| {
        scenario(&format!(
            "{ONE_FIRM}\n[[challenge]]\nowner = \"home\"\nat = [\"12 months\"]\nneeds = 1\naward_yuan = 100_000\nsolve_chance = {chance}\nsolve_within = \"6 months\"\nvalue_yuan = 4_000_000\n"
        ))
    };
    let sc = round("1");
    let t = &outcomes(&sc, 1, 3)[0].totals;
    assert_eq!(named(&sc, t, "challenge_needs_posted"), 1.0);
    assert_eq!(named(&sc, t, "challenge_needs_solved"), 1.0);
    assert_eq!(named(&sc, t, "challenge_awards_yuan"), 100_000.0);
    assert_eq!(named(&sc, t, "challenge_value_yuan"), 4e6);
    // The one-firm outlay, 1.09 million, plus the award paid at month 18; payback (home
    // tax 5e4 (t − 18) against 1.1e6 + 1,500 t) moves from month 40 to t = 41.2, month 42.
    assert!((t[total::COST_YUAN] - 1.19e6).abs() < 1e-6);
    assert_eq!(t[total::PAYBACK_MONTH], 42.0);
    let sc = round("0");
    let t = &outcomes(&sc, 1, 3)[0].totals;
    assert_eq!(named(&sc, t, "challenge_needs_solved"), 0.0);
    assert!((t[total::COST_YUAN] - 1.09e6).abs() < 1e-6);
}

// ---- Governance of a link ([link.governance], docs/scenario.md section 2.3) ----------

/// Dazu with a breakdown hazard of `hazard` and a `[link.governance]` table holding
/// `governance` (key = value lines); `split` replaces Dazu's 7:3 tax split.
fn dazu_governed(hazard: &str, governance: &str, split: &str) -> String {
    let text = dazu()
        .replace(
            "same_city_treatment = false",
            &format!("same_city_treatment = false\nbreakdown_hazard = \"{hazard}\""),
        )
        .replace(
            "tax_split = { home = 7, host = 3, home_floating = 0.2 }",
            &format!("tax_split = {split}"),
        );
    let at = text.find("[[enclave]]").unwrap();
    format!("{}[link.governance]\n{governance}\n\n{}", &text[..at], &text[at..])
}

/// Whether two rows of totals are the same bit for bit (NaN included).
fn same_bits(a: &[f64], b: &[f64]) -> bool {
    a.len() == b.len() && a.iter().zip(b).all(|(x, y)| x.to_bits() == y.to_bits())
}

const SPLIT_7_3: &str = "{ home = 7, host = 3, home_floating = 0.2 }";

#[test]
fn a_fairer_split_or_a_joint_committee_keeps_the_host_in_the_deal() {
    // Host share 0.3 against the 0.5 it expects: the hazard is 0.05 × e^(5 × 0.2) a year
    // (a breakdown within 10 years in 74 % of replications). An even split meets the
    // expectation (0.05 a year, 39 %); a joint committee halves the hazard (49 %).
    let unfair = scenario(&dazu_governed("0.05 per year", "", SPLIT_7_3));
    let fair = scenario(&dazu_governed("0.05 per year", "", "{ home = 5, host = 5 }"));
    let committee = scenario(&dazu_governed("0.05 per year", "body = \"joint_committee\"", SPLIT_7_3));
    let a = outcomes(&unfair, 200, 3);
    let months = |sc: &feidi::scenario::Scenario, o: &[Outcome]| -> Vec<f64> {
        o.iter().map(|o| named(sc, &o.totals, "cooperation_months")).collect()
    };
    for (better, what) in [(&fair, "an even split"), (&committee, "a joint committee")] {
        let b = outcomes(better, 200, 3);
        let (fewer, half) = paired(&a, &b, total::STRANDED);
        assert!(
            fewer + half < 0.0,
            "{what}: stranded change by {fewer} ± {half} (99% CI)"
        );
        let (more, half) = paired(&a, &b, total::LANDED_HOME_REAL);
        assert!(
            more - half > 0.0,
            "{what}: real landings change by {more} ± {half} (99% CI)"
        );
        // Common random numbers: a lower hazard at every moment never brings the
        // breakdown forward, in any replication.
        for (x, y) in months(&unfair, &a).iter().zip(months(better, &b)) {
            assert!(y >= *x, "{what}: cooperation lasted {y} months against {x}");
        }
        for o in &b {
            assert_accounted(&o.totals);
        }
    }
}

#[test]
fn the_breakdown_month_follows_the_hazard_in_force_draw_for_draw() {
    let neutral = scenario(&dazu_governed("0.1 per year", "fairness_sensitivity = 0", SPLIT_7_3));
    let plain = scenario(&dazu().replace(
        "same_city_treatment = false",
        "same_city_treatment = false\nbreakdown_hazard = \"0.1 per year\"",
    ));
    let unfair = scenario(&dazu_governed("0.1 per year", "", SPLIT_7_3));
    let change = |setting: &str| format!("\n[[change]]\nat = \"24 months\"\nset = {{ {setting} }}\n");
    let fairer_later = scenario(
        &(dazu_governed("0.1 per year", "", SPLIT_7_3) + &change("\"economics.tax_split\" = { home = 5, host = 5 }")),
    );
    let committee_later = scenario(
        &(dazu_governed("0.1 per year", "", SPLIT_7_3) + &change("\"link[0].governance.body\" = \"joint_committee\"")),
    );
    let n = 40;
    let (p, g) = (outcomes(&plain, n, 5), outcomes(&neutral, n, 5));
    let (u, f, c) = (
        outcomes(&unfair, n, 5),
        outcomes(&fairer_later, n, 5),
        outcomes(&committee_later, n, 5),
    );
    let base = 0.1 / 12.0;
    let m = 1.0_f64.exp(); // e^(5 × (0.5 − 0.3))
    let month = |sc: &feidi::scenario::Scenario, o: &Outcome| named(sc, &o.totals, "breakdown_month");
    let mut delayed = 0;
    for r in 0..n as usize {
        // A governance table that changes nothing leaves every total as without one.
        assert!(same_bits(&p[r].totals[..total::COUNT], &g[r].totals[..total::COUNT]));
        // The link's one Exp(1) draw, recovered from the neutral run (NaN: none by month 120).
        let gap = month(&neutral, &g[r]) * base;
        let expect = |t: f64| if t < 120.0 { t } else { f64::NAN };
        let close = |got: f64, want: f64| (got.is_nan() && want.is_nan()) || (got - want).abs() < 1e-9 * want;
        if gap.is_nan() {
            // Without a breakdown in the neutral run, the unfair hazard's is not later.
            continue;
        }
        let unfair_month = gap / (base * m);
        assert!(close(month(&unfair, &u[r]), expect(unfair_month)), "replication {r}");
        // From month 24 the hazard is `base` (even split) or base × m × 0.5 (committee).
        let later = |after: f64| {
            if unfair_month <= 24.0 {
                unfair_month
            } else {
                24.0 + (gap - base * m * 24.0) / after
            }
        };
        assert!(
            close(month(&fairer_later, &f[r]), expect(later(base))),
            "replication {r}"
        );
        assert!(
            close(month(&committee_later, &c[r]), expect(later(base * m * 0.5))),
            "replication {r}"
        );
        if unfair_month > 24.0 && unfair_month < 120.0 {
            delayed += 1;
            assert!(month(&fairer_later, &f[r]).is_nan() || month(&fairer_later, &f[r]) > unfair_month);
        }
    }
    assert!(
        delayed >= 5,
        "only {delayed} replications break down between months 24 and 120"
    );
}

#[test]
fn a_joint_committee_eases_the_hosts_administrative_barrier() {
    // No hazard: only the barrier (0.5 between Chongqing and Sichuan, weight −0.8) moves.
    let base = dazu().replace("capacity = { pilot = 6, industrialization = 12 }", "");
    let governed = |body: &str| {
        let at = base.find("[[enclave]]").unwrap();
        scenario(&format!(
            "{}[link.governance]\nbody = \"{body}\"\n\n{}",
            &base[..at],
            &base[at..]
        ))
    };
    let (none, committee) = (governed("none"), governed("joint_committee"));
    let (a, b) = (outcomes(&none, 200, 3), outcomes(&committee, 200, 3));
    let (more, half) = paired(&a, &b, total::LANDED_HOME_REAL);
    assert!(more - half > 0.0, "real landings change by {more} ± {half} (99% CI)");
    let (fewer, half) = paired(&a, &b, total::LEAKED_HOST);
    assert!(fewer + half < 0.0, "host leaks change by {fewer} ± {half} (99% CI)");
    // Without governance the same as with body "none", bit for bit.
    let plain = outcomes(&scenario(&base), 20, 3);
    for (x, y) in plain.iter().zip(&a) {
        assert!(same_bits(&x.totals[..total::COUNT], &y.totals[..total::COUNT]));
    }
}

// ---- Talent programmes ([city.talent], docs/scenario.md section 2.2) -----------------

/// Dazu without its pilot and factory limits and with a `[city.talent]` table on Dazu
/// holding `talent` (key = value lines).
fn dazu_with_talent(talent: &str) -> String {
    let text = dazu().replace("capacity = { pilot = 6, industrialization = 12 }", "");
    let at = text.find("[[link]]").unwrap();
    format!("{}[city.talent]\n{talent}\n\n{}", &text[..at], &text[at..])
}

#[test]
fn more_sunday_engineers_mean_fewer_failures_at_home_and_more_completed() {
    let (a, b) = (
        outcomes(&scenario(&dazu_with_talent("experts = 0")), 200, 3),
        outcomes(&scenario(&dazu_with_talent("experts = 680")), 200, 3),
    );
    let (fewer, half) = paired(&a, &b, total::FAILED);
    assert!(fewer + half < 0.0, "failures change by {fewer} ± {half} (99% CI)");
    let (more, half) = paired(&a, &b, total::COMPLETED);
    assert!(more - half > 0.0, "completed change by {more} ± {half} (99% CI)");
    // Only home stages: the enclave stages and the landings are the same draw for draw.
    for (x, y) in a.iter().zip(&b) {
        assert_eq!(x.totals[total::LANDED_HOME_REAL], y.totals[total::LANDED_HOME_REAL]);
    }
}

#[test]
fn commuters_pull_graduates_home() {
    let (a, b) = (
        outcomes(&scenario(&dazu_with_talent("commuters = 0")), 200, 3),
        outcomes(&scenario(&dazu_with_talent("commuters = 8_500")), 200, 3),
    );
    let (more, half) = paired(&a, &b, total::LANDED_HOME_REAL);
    assert!(more - half > 0.0, "real landings change by {more} ± {half} (99% CI)");
    let (fewer, half) = paired(&a, &b, total::LEAKED_HOST);
    assert!(fewer + half < 0.0, "host leaks change by {fewer} ± {half} (99% CI)");
}

#[test]
fn jointly_trained_graduates_bring_candidates_into_the_enclave() {
    let roomy = |talent: &str| scenario(&dazu_with_talent(talent).replace("seats = 110", "seats = 300"));
    // The same programme, once with no graduate bringing a project.
    let (without, with) = (
        roomy("graduates_per_year = 200\ngraduate_project_share = 0"),
        roomy("graduates_per_year = 200\ngraduate_project_share = 0.5"),
    );
    let (a, b) = (outcomes(&without, 200, 3), outcomes(&with, 200, 3));
    let (more, half) = paired(&a, &b, total::CANDIDATES);
    assert!(more - half > 0.0, "candidates change by {more} ± {half} (99% CI)");
    let (more, half) = paired(&a, &b, total::ADMITTED);
    assert!(more - half > 0.0, "admissions change by {more} ± {half} (99% CI)");
    for (x, y) in a.iter().zip(&b) {
        // The flows' candidates are the same draw for draw; the graduates' come on top.
        let brought = named(&with, &y.totals, "graduate_candidates");
        assert_eq!(y.totals[total::CANDIDATES] - x.totals[total::CANDIDATES], brought);
        assert_eq!(named(&without, &x.totals, "graduate_candidates"), 0.0);
        assert_accounted(&y.totals);
    }
}

#[test]
fn talent_programmes_cost_as_hand_computed() {
    // 10 experts at 30,000 a year, 100 commuters at 2,000 and 12 graduates a year at
    // 50,000 (none bringing a project): 1.1 million a year for the 5 years.
    let talent = "\n[city.talent]\nexperts = 10\ncommuters = 100\ngraduates_per_year = 12\n\
                  graduate_project_share = 0\n";
    let text = ONE_FIRM.replace(
        "landing_subsidy_yuan = 1_000_000\n",
        &format!("landing_subsidy_yuan = 1_000_000\n{talent}"),
    );
    let sc = scenario(&text);
    let t = &outcomes(&sc, 1, 3)[0].totals;
    assert!(
        (named(&sc, t, "talent_cost_yuan") - 5.5e6).abs() < 1e-6,
        "{}",
        named(&sc, t, "talent_cost_yuan")
    );
    assert!(
        (t[total::COST_YUAN] - (1.09e6 + 5.5e6)).abs() < 1e-6,
        "{}",
        t[total::COST_YUAN]
    );
    assert_eq!(named(&sc, t, "graduate_candidates"), 0.0);
    // The one firm as before: the programmes change no project here.
    assert!((t[total::OUTPUT_YUAN] - 42e6).abs() < 1e-3);
    let names: Vec<String> = totals_for(&sc).into_iter().map(|m| m.name).collect();
    assert_eq!(names.len(), t.len());
    // Scenarios without the tables report none of their totals.
    let plain: Vec<String> = totals_for(&scenario(&dazu())).into_iter().map(|m| m.name).collect();
    for name in [
        "talent_cost_yuan",
        "graduate_candidates",
        "breakdown_month",
        "breakdowns",
        "cooperation_months",
    ] {
        assert!(!plain.iter().any(|n| n == name), "{name}");
    }
}

/// Mean and 99 % half-width of paired differences b − a of the total `name`, which may
/// sit at different places in the two scenarios' totals (optional and per-party totals).
fn paired_named(
    sa: &feidi::scenario::Scenario,
    a: &[Outcome],
    sb: &feidi::scenario::Scenario,
    b: &[Outcome],
    name: &str,
) -> (f64, f64) {
    let d: Vec<f64> = a
        .iter()
        .zip(b)
        .map(|(x, y)| named(sb, &y.totals, name) - named(sa, &x.totals, name))
        .collect();
    ci99(&d)
}

/// A joint risk fund of Dazu (home) and Chengdu (host) paying 60:40; `EXTRA` takes more keys.
const RISK_FUND: &str = r#"
[risk_fund]
shares = { home = 0.6, host = 0.4 }
size_yuan = SIZE
cover = 0.5
subsidy_cover = 0.3
EXTRA
"#;

fn risk_fund(size: &str, extra: &str) -> String {
    RISK_FUND.replace("SIZE", size).replace("EXTRA", extra)
}

#[test]
fn a_joint_risk_fund_lowers_the_home_cost_by_what_it_paid_less_the_home_share() {
    // Without a risk_cover weight the fund draws nothing and changes no project: the two
    // runs are the same draw for draw, and only the money moves.
    let base = dazu().replace("capacity = { pilot = 6, industrialization = 12 }", "") + &FUND.replace("CLAUSE", "0.5");
    let sa = scenario(&base);
    let sb = scenario(&(base.clone() + &risk_fund("30_000_000", "loss_per_failure_yuan = 200_000")));
    let (a, b) = (outcomes(&sa, 100, 3), outcomes(&sb, 100, 3));
    let mut paid_somewhere = false;
    for (x, y) in a.iter().zip(&b) {
        let (x, y) = (&x.totals, &y.totals);
        assert_eq!(x[total::LANDED_HOME_REAL], y[total::LANDED_HOME_REAL]);
        assert_eq!(x[total::FUND_LOSSES_YUAN], y[total::FUND_LOSSES_YUAN]);
        let paid = named(&sb, y, "risk_fund_paid_yuan");
        let compensation = named(&sb, y, "risk_fund_compensation_yuan");
        // Never more than its size, in every replication.
        assert!(paid <= 30e6, "paid {paid}");
        assert!(compensation <= paid);
        paid_somewhere |= paid > 0.0;
        // The home budget no longer pays what the fund covered of its items (paid less
        // the compensation of backers) but pays its 60 % of everything the fund paid.
        let expected = x[total::COST_YUAN] - (paid - compensation) + 0.6 * paid;
        assert!(
            (y[total::COST_YUAN] - expected).abs() <= 1e-6 * expected,
            "{} against {expected}",
            y[total::COST_YUAN]
        );
        // Per party: the home cost is cost_yuan, the host pays 40 %, and the governments
        // together pay the old outlay plus what went to the backers of failed projects.
        let home = named(&sb, y, "cost_yuan.home");
        let host = named(&sb, y, "cost_yuan.host");
        assert_eq!(home, y[total::COST_YUAN]);
        assert!((host - 0.4 * paid).abs() <= 1e-6 * paid.max(1.0));
        let all = x[total::COST_YUAN] + compensation;
        assert!((home + host - all).abs() <= 1e-6 * all, "{} against {all}", home + host);
        assert_eq!(named(&sb, y, "cost_yuan.social_capital"), y[total::SOCIAL_CAPITAL_YUAN]);
        assert_eq!(named(&sb, y, "benefit_yuan.host"), named(&sb, y, "tax_yuan.host"));
    }
    assert!(paid_somewhere);
    // The scenario without the fund reports no per-party totals.
    assert!(totals_for(&sa).iter().all(|m| !m.name.starts_with("cost_yuan.")));
}

#[test]
fn a_risk_cover_weight_lands_more_projects_while_the_fund_has_money() {
    let base = dazu().replace("capacity = { pilot = 6, industrialization = 12 }", "");
    let covered =
        base.replace("free_capacity = 0.8", "free_capacity = 0.8\nrisk_cover = 2.0") + &risk_fund("200_000_000", "");
    let (sa, sb) = (scenario(&base), scenario(&covered));
    let (a, b) = (outcomes(&sa, 200, 3), outcomes(&sb, 200, 3));
    let (more, half) = paired(&a, &b, total::LANDED_HOME_REAL);
    assert!(more - half > 0.0, "landings change by {more} ± {half} (99% CI)");
    let (fewer, half) = paired(&a, &b, total::LEAKED_HOST);
    assert!(fewer + half < 0.0, "host leaks change by {fewer} ± {half} (99% CI)");
    for o in &b {
        assert!(named(&sb, &o.totals, "risk_fund_paid_yuan") <= 200e6);
    }
}

#[test]
fn the_risk_fund_pays_a_hand_computed_share_of_the_subsidy_up_to_its_size() {
    let cost_and_host = |size: &str| {
        let sc = scenario(&(ONE_FIRM.to_string() + &risk_fund(size, "").replace("cover = 0.5", "cover = 0.0")));
        let t = outcomes(&sc, 1, 3).remove(0).totals;
        (
            t[total::COST_YUAN],
            named(&sc, &t, "cost_yuan.host"),
            named(&sc, &t, "risk_fund_paid_yuan"),
            sc,
            t,
        )
    };
    // The fund pays 30 % of the 1-million subsidy, 300,000, of which home pays 60 %:
    // 1.09 million − 300,000 + 180,000; the host pays 120,000.
    let (cost, host, paid, _, _) = cost_and_host("800_000");
    assert_eq!(paid, 300_000.0);
    assert!((cost - 970_000.0).abs() < 1e-6, "{cost}");
    assert!((host - 120_000.0).abs() < 1e-6, "{host}");
    // A fund of 100,000 pays 100,000 and no more: 1.09 million − 100,000 + 60,000.
    let (cost, host, paid, sc, t) = cost_and_host("100_000");
    assert_eq!(paid, 100_000.0);
    assert!((cost - 1_050_000.0).abs() < 1e-6, "{cost}");
    assert!((host - 40_000.0).abs() < 1e-6, "{host}");
    // Benefits are the tax shares (5:3:2 of 4.2 million); the third tax party pays nothing.
    assert!((named(&sc, &t, "benefit_yuan.home") - 2.1e6).abs() < 1e-3);
    assert!((named(&sc, &t, "benefit_yuan.host") - 1.26e6).abs() < 1e-3);
    assert!((named(&sc, &t, "benefit_yuan.other") - 0.84e6).abs() < 1e-3);
    assert_eq!(named(&sc, &t, "cost_yuan.other"), 0.0);
    assert_eq!(named(&sc, &t, "cost_yuan.social_capital"), 0.0);
}

#[test]
fn a_return_quota_binds_investees_until_it_is_met_and_lands_more_at_home() {
    let base = dazu().replace("capacity = { pilot = 6, industrialization = 12 }", "");
    let without = scenario(&(base.clone() + &FUND.replace("CLAUSE", "0.0")));
    // 2 yuan brought home per yuan of the 100-million fund: 200 million, more than its
    // investees bring in ten years, so the managers bind every investee.
    let quota = scenario(&(base + &FUND.replace("CLAUSE", "0.0") + "return_quota = 2.0\n"));
    let (a, b) = (outcomes(&without, 200, 3), outcomes(&quota, 200, 3));
    let (more, half) = paired(&a, &b, total::LANDED_HOME_REAL);
    assert!(more - half > 0.0, "landings change by {more} ± {half} (99% CI)");
    let (fewer, half) = paired(&a, &b, total::LEAKED_HOST);
    assert!(fewer + half < 0.0, "host leaks change by {fewer} ± {half} (99% CI)");
    for o in &b {
        let met = named(&quota, &o.totals, "return_quota_met");
        let expected = (o.totals[total::RETURN_INVESTMENT_YUAN] / 200e6).min(1.0);
        assert!((met - expected).abs() < 1e-12, "{met} against {expected}");
    }
}

#[test]
fn a_quota_once_met_binds_no_more_investees() {
    // A quota met by the first landing's 3.46 million: later investees are free, so far
    // fewer land than under a quota that is never met.
    let base = dazu().replace("capacity = { pilot = 6, industrialization = 12 }", "") + &FUND.replace("CLAUSE", "0.0");
    let small = scenario(&(base.clone() + "return_quota = 0.01\n"));
    let large = scenario(&(base + "return_quota = 2.0\n"));
    let (a, b) = (outcomes(&small, 200, 3), outcomes(&large, 200, 3));
    let (more, half) = paired(&a, &b, total::LANDED_HOME_REAL);
    assert!(more - half > 0.0, "landings change by {more} ± {half} (99% CI)");
    for o in &a {
        let met = named(&small, &o.totals, "return_quota_met");
        assert_eq!(
            met,
            if o.totals[total::RETURN_INVESTMENT_YUAN] > 0.0 {
                1.0
            } else {
                0.0
            }
        );
    }
}

/// A fund in ONE_FIRM's enclave project: a 4-million ticket, a quarter government.
const ONE_INVESTEE: &str = r#"
[[fund]]
owner = "home"
size_yuan = 1_000_000
government_share = 0.25
ticket_yuan = 4_000_000
stage = "incubation"
return_multiple = 3.46
return_quota = 1
follow_on = 2
exit_after = "EXIT"
exit_multiple = 3
listing_chance = 1
"#;

#[test]
fn follow_on_exits_and_listings_come_to_the_hand_computed_figures_for_one_investee() {
    let run = |text: String| {
        let sc = scenario(&text.replace("tax_split = {", "party_totals = true\ntax_split = {"));
        let t = outcomes(&sc, 1, 3).remove(0).totals;
        (sc, t)
    };
    let (sc, t) = run(ONE_FIRM.to_string() + &ONE_INVESTEE.replace("EXIT", "24 months"));
    let get = |name: &str| named(&sc, &t, name);
    assert_eq!(t[total::FUND_INVESTMENTS], 1.0);
    assert_eq!(t[total::FUND_DEPLOYED_YUAN], 1e6);
    assert_eq!(t[total::SOCIAL_CAPITAL_YUAN], 3e6);
    // It lands at month 6: 3.46 × 1 million brought home, which meets the quota of
    // 1 × 1 million, and a follow-on round of 2 tickets.
    assert!((t[total::RETURN_INVESTMENT_YUAN] - 3.46e6).abs() < 1e-6);
    assert_eq!(get("return_quota_met"), 1.0);
    assert_eq!(get("follow_on_capital_yuan"), 8e6);
    // The fund sells at month 24 at 3 times: 3 million for the government's million.
    assert_eq!(get("fund_exits"), 1.0);
    assert_eq!(get("fund_exit_proceeds_yuan"), 3e6);
    assert_eq!(get("fund_held_yuan"), 0.0);
    assert_eq!(get("listings"), 1.0);
    // Social capital put in 3 + 8 million and got 9 million back; home gains its tax
    // (2.1 million) and the exit's 2 million over the money exited.
    assert_eq!(get("cost_yuan.social_capital"), 11e6);
    assert_eq!(get("benefit_yuan.social_capital"), 9e6);
    assert!((get("benefit_yuan.home") - 4.1e6).abs() < 1e-3);
    assert_eq!(get("cost_yuan.home"), t[total::COST_YUAN]);
    // An exit after the horizon has not happened: the stake is still held.
    let (sc, t) = run(ONE_FIRM.to_string() + &ONE_INVESTEE.replace("EXIT", "120 months"));
    assert_eq!(named(&sc, &t, "fund_exits"), 0.0);
    assert_eq!(named(&sc, &t, "fund_held_yuan"), 1e6);
    assert_eq!(named(&sc, &t, "listings"), 0.0);
    // An investee that fails at month 6: lost if the fund still holds it then, not if
    // the fund sold at month 3.
    let failing = ONE_FIRM.replace(
        "duration = \"6 months\"\n\n[[stage]]",
        "duration = \"6 months\"\nsuccess = 0\n\n[[stage]]",
    );
    assert_ne!(failing, ONE_FIRM);
    let (sc, t) = run(failing.clone() + &ONE_INVESTEE.replace("EXIT", "12 months"));
    assert_eq!(t[total::FUND_LOSSES_YUAN], 1e6);
    assert_eq!(named(&sc, &t, "fund_exits"), 0.0);
    let (sc, t) = run(failing + &ONE_INVESTEE.replace("EXIT", "3 months"));
    assert_eq!(t[total::FUND_LOSSES_YUAN], 0.0);
    assert_eq!(named(&sc, &t, "fund_exit_proceeds_yuan"), 3e6);
}

/// FUND with exits after 3 to 9 years at a spread-out multiple, listing by `LISTING`.
fn fund_with_exits(listing: &str) -> String {
    FUND.replace("CLAUSE", "0.5")
        + "exit_after = { dist = \"uniform\", min = \"3 years\", max = \"9 years\" }\n"
        + "exit_multiple = { dist = \"lognormal\", median = 1.5, p90 = 6.0 }\n"
        + &format!("listing_chance = {listing}\n")
}

#[test]
fn fund_accounts_balance_with_exits() {
    let sc = scenario(&(dazu() + &fund_with_exits("0.2")));
    let mut exits = 0.0;
    for o in outcomes(&sc, 100, 3) {
        let t = &o.totals;
        // Every yuan deployed is lost, exited or still held (a million per ticket).
        let exited = named(&sc, t, "fund_exits") * 1e6;
        let held = named(&sc, t, "fund_held_yuan");
        let parts = t[total::FUND_LOSSES_YUAN] + exited + held;
        assert!(
            (t[total::FUND_DEPLOYED_YUAN] - parts).abs() < 1e-3,
            "{} against {parts}",
            t[total::FUND_DEPLOYED_YUAN]
        );
        assert!(named(&sc, t, "listings") <= named(&sc, t, "fund_exits"));
        exits += named(&sc, t, "fund_exits");
    }
    assert!(exits > 0.0);
}

#[test]
fn a_higher_listing_chance_lists_more_exits() {
    let (sa, sb) = (
        scenario(&(dazu() + &fund_with_exits("0.1"))),
        scenario(&(dazu() + &fund_with_exits("0.4"))),
    );
    let (a, b) = (outcomes(&sa, 100, 3), outcomes(&sb, 100, 3));
    for (x, y) in a.iter().zip(&b) {
        // The same exits, and each listing at 10 % is one at 40 % (common random numbers).
        assert_eq!(named(&sa, &x.totals, "fund_exits"), named(&sb, &y.totals, "fund_exits"));
        assert!(named(&sb, &y.totals, "listings") >= named(&sa, &x.totals, "listings"));
    }
    let (more, half) = paired_named(&sa, &a, &sb, &b, "listings");
    assert!(more - half > 0.0, "listings change by {more} ± {half} (99% CI)");
}

#[test]
fn the_measures_reported_depend_on_the_keys_present_not_on_their_values() {
    // A sweep or calibration varies values: setting any of these to 0 must keep the
    // list of measures, or the points' rows would not line up.
    let cases = [
        (
            "scenarios/examples/kunshan-risk-and-fund-mechanics.toml",
            "listing_chance = 0.043",
            "listing_chance = 0",
        ),
        (
            "scenarios/examples/kunshan-risk-and-fund-mechanics.toml",
            "return_quota = 1.5",
            "return_quota = 0",
        ),
        (
            "scenarios/examples/kunshan-governance-talent.toml",
            "graduates_per_year = 110",
            "graduates_per_year = 0",
        ),
        (
            "scenarios/examples/kunshan-relocation.toml",
            "licence_chance = 0.15",
            "licence_chance = 0",
        ),
        (
            "scenarios/examples/kunshan-relocation.toml",
            "solve_chance = 0.4",
            "solve_chance = 0",
        ),
    ];
    for (file, from, to) in cases {
        let text = std::fs::read_to_string(file).unwrap();
        assert!(text.contains(from), "{file} no longer has `{from}`");
        let names = |t: &str| -> Vec<String> { totals_for(&scenario(t)).into_iter().map(|m| m.name).collect() };
        assert_eq!(
            names(&text),
            names(&text.replacen(from, to, 1)),
            "{file}: {from} → {to}"
        );
    }
    // The operator's fee per landing: written as 0 or as 250,000, the fees are reported.
    let zero = ONE_FIRM.replace(
        "operator = { fee_yuan_per_month = 500 }",
        "operator = { fee_yuan_per_month = 500, fee_yuan_per_landing = 0 }",
    );
    let paid = zero.replace("fee_yuan_per_landing = 0 ", "fee_yuan_per_landing = 250_000 ");
    assert_ne!(zero, paid);
    let names = |t: &str| -> Vec<String> { totals_for(&scenario(t)).into_iter().map(|m| m.name).collect() };
    assert_eq!(names(&zero), names(&paid));
    assert!(names(&zero).iter().any(|n| n == "operator_landing_fees_yuan"));
}
