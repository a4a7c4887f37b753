//! Broken scenario, sweep and calibration files must be rejected by `feidi validate`
//! and `feidi run` with a located error — `file:line:column: key.path: expected X,
//! found Y`, the source line, a caret under the column and sometimes a hint — and exit
//! code 2, never a panic.
//!
//! The corpus is `tests/broken/`: each file is `tests/valid/minimal.toml` with one mistake
//! (its first two lines say which), so line numbers below refer to that layout. The
//! `sweep_*`, `cal_*` and `opt_*` files are small sweep, calibration and optimization files
//! over that scenario,
//! their first line saying what is wrong. Every file
//! in the directory must be listed in exactly one of [`CASES`], [`KNOWN_GAPS`] or
//! [`UNRUN_GAPS`].
//!
//! Run with `cargo test --test broken_inputs`.

mod common;

use common::temp_path;
use std::io::Read;
use std::path::Path;
use std::process::{Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

/// One broken file and the diagnostic it must produce (among possibly others).
struct Case {
    /// File name in `tests/broken/`.
    file: &'static str,
    /// 1-based line of the diagnostic.
    line: usize,
    /// 1-based character column, or `None` where it comes from the TOML parser and is not
    /// ours to keep stable.
    column: Option<usize>,
    /// Substring of the key path shown before `expected`; "" means no key path at all.
    path: &'static str,
    /// Substring of the diagnostic's header line (`expected ..., found ...`).
    message: &'static str,
    /// Substring of its `hint:` line, if it must have one.
    hint: Option<&'static str>,
}

const fn case(
    file: &'static str,
    line: usize,
    column: Option<usize>,
    path: &'static str,
    message: &'static str,
    hint: Option<&'static str>,
) -> Case {
    Case {
        file,
        line,
        column,
        path,
        message,
        hint,
    }
}

#[rustfmt::skip]
const CASES: &[Case] = &[
    // Not a scenario at all.
    case("empty.toml", 1, Some(1), "scenario", "expected the key `scenario`", None),
    case("not_utf8.toml", 5, Some(13), "", "byte 0xe9, which is not UTF-8", None),
    case("syntax_error.toml", 29, None, "", "expected valid TOML, found a syntax error", None),
    case("unterminated_string.toml", 5, None, "", "expected valid TOML, found a syntax error", None),
    case("city_table_and_array.toml", 14, None, "", "expected valid TOML, found a syntax error", None),
    // Wrong types.
    case("string_for_number.toml", 29, Some(9), "enclave[0].seats", "found the string \"twenty\"", None),
    case("string_for_probability.toml", 48, Some(11), "stage[0].success", "expected a number, found the string \"high\"", None),
    case("number_for_duration.toml", 5, Some(11), "scenario.horizon", "expected a duration with a unit", Some("write the unit")),
    case("boolean_for_string.toml", 12, Some(12), "city[0].province", "expected a string, found the boolean true", None),
    case("column_after_chinese.toml", 7, Some(42), "scenario.sectors[3]", "expected a string, found the integer 5", None),
    // Unknown keys and sections.
    case("typo_key_seets.toml", 29, Some(1), "enclave[0].seets", "found the unknown key `seets`", Some("did you mean `seats`?")),
    case("crlf_typo.toml", 29, Some(1), "enclave[0].seets", "found the unknown key `seets`", Some("did you mean `seats`?")),
    case("typo_key_in_stage.toml", 60, Some(1), "stage[2].sucess", "found the unknown key `sucess`", Some("did you mean `success`?")),
    case("typo_section_flows.toml", 32, Some(3), "flows", "found the unknown key `flows`", Some("did you mean `flow`?")),
    case("unknown_section.toml", 62, Some(2), "output", "found the unknown key `output`", Some("valid keys here: burst, challenge, change, city")),
    case("landing_unknown_weight.toml", 66, Some(1), "landing.weights.subsidie", "found the unknown key `subsidie`", Some("did you mean `subsidy`?")),
    case("dist_missing_parameter.toml", 47, Some(56), "stage[0].duration.p91", "found the unknown key `p91`", Some("did you mean `p90`?")),
    // Missing required keys (located at the table that lacks them).
    case("missing_scenario_name.toml", 3, Some(1), "scenario.name", "expected the key `name`", None),
    case("missing_sectors.toml", 3, Some(1), "scenario.sectors", "expected the key `sectors`", None),
    case("missing_horizon.toml", 3, Some(1), "scenario.horizon", "expected the key `horizon`", None),
    case("missing_stage_duration.toml", 50, Some(1), "stage[1].duration", "expected the key `duration`", None),
    case("missing_enclave_seats.toml", 25, Some(1), "enclave[0].seats", "expected the key `seats`", None),
    case("missing_city_role.toml", 14, Some(1), "city[1].role", "expected the key `role`", None),
    case("burst_without_times.toml", 37, Some(1), "burst[0].at", "expected the key `at`", None),
    // Out-of-range numbers.
    case("negative_seats.toml", 29, Some(9), "enclave[0].seats", "between 1 and 1000000, found -5", None),
    case("zero_seats.toml", 29, Some(9), "enclave[0].seats", "between 1 and 1000000, found 0", None),
    case("risk_fund_without_economics.toml", 65, Some(1), "risk_fund", "expected [risk_fund] only with [economics]", None),
    case("risk_fund_covers_nothing.toml", 70, Some(1), "risk_fund", "expected a `cover` or a `subsidy_cover` above 0", Some("`cover = 0.5`")),
    case("risk_fund_cover_above_one.toml", 73, Some(9), "risk_fund.cover", "a probability between 0 and 1, found 1.5", None),
    case("risk_fund_social_capital_party.toml", 71, Some(41), "risk_fund.shares.social_capital", "party names other than `social_capital`", Some("such as `investors`")),
    case("risk_fund_typo_key.toml", 73, Some(1), "risk_fund.covr", "found the unknown key `covr`", Some("did you mean `cover`?")),
    case("risk_cover_without_risk_fund.toml", 65, Some(14), "landing.weights.risk_cover", "a `risk_cover` weight only with a [risk_fund]", Some("add a [risk_fund] table")),
    case("fund_quota_without_multiple.toml", 71, Some(16), "fund[0].return_quota", "only with a `return_multiple` above 0", Some("set `return_multiple`")),
    case("fund_exit_multiple_without_exit_after.toml", 71, Some(17), "fund[0].exit_multiple", "only with `exit_after`", Some("add `exit_after")),
    case("fund_exit_after_without_multiple.toml", 65, Some(1), "fund[0].exit_multiple", "needed with `exit_after`", None),
    case("fund_follow_on_negative.toml", 71, Some(13), "fund[0].follow_on", "a distribution of values of zero or more", None),
    case("economics_party_totals_not_boolean.toml", 69, Some(16), "economics.party_totals", "expected true or false", None),
    case("economics_party_names_unknown.toml", 69, Some(27), "economics.party_names.taicang", "expected a party of `tax_split` (home, host), found \"taicang\"", None),
    case("seats_too_large.toml", 29, Some(9), "enclave[0].seats", "found the integer 99999999999999999999", None),
    case("probability_above_one.toml", 48, Some(11), "stage[0].success", "expected a probability between 0 and 1, found 1.5", None),
    case("fit_out_of_range.toml", 19, Some(19), "city[1].fit.digital", "between 0 and 1, found 1.2", None),
    case("negative_duration.toml", 53, Some(12), "stage[1].duration", "expected a duration of zero or more", None),
    // Distributions.
    case("lognormal_p90_below_median.toml", 47, Some(12), "stage[0].duration", "`p90` (6) must be above `median` (12)", None),
    case("triangular_mode_outside.toml", 53, Some(12), "stage[1].duration", "min ≤ mode ≤ max", None),
    case("uniform_below_zero.toml", 53, Some(38), "stage[1].duration.min", "expected a duration of zero or more", None),
    case("empirical_mismatched_weights.toml", 53, Some(12), "stage[1].duration", "`weights` has 2 entries but `values` has 3", None),
    case("unknown_dist_name.toml", 47, Some(21), "stage[0].duration.dist", "found \"lognormall\"", Some("did you mean \"lognormal\"?")),
    // Stages.
    case("bad_stage_place.toml", 58, Some(9), "stage[2].place", "one of \"enclave\", \"host\", \"home\", found \"factory\"", None),
    case("stage_place_typo.toml", 58, Some(9), "stage[2].place", "found \"hom\"", Some("did you mean \"home\"?")),
    case("stages_out_of_order.toml", 58, Some(9), "stage[2].place", "no earlier in the chain than a stage before it (\"home\"), found \"enclave\"", Some("enclave → host → home")),
    case("first_stage_not_enclave.toml", 46, Some(9), "stage[0].place", "expected \"enclave\" for the first stage", None),
    // Cities, roles and references.
    case("bad_role.toml", 16, Some(8), "city[1].role", "found \"homw\"", Some("did you mean \"home\"?")),
    case("enclave_unknown_owner.toml", 27, Some(9), "enclave[0].owner", "found \"dazoo\", which is not declared", Some("did you mean \"dazu\"?")),
    case("enclave_unknown_host.toml", 28, Some(8), "enclave[0].host", "found \"chengdoo\", which is not declared", Some("did you mean \"chengdu\"?")),
    case("link_unknown_city.toml", 22, Some(8), "link[0].host", "found \"chengtu\", which is not declared", Some("did you mean \"chengdu\"?")),
    case("enclave_owner_host_only.toml", 27, Some(9), "enclave[0].owner", "expected a home city", None),
    case("enclave_host_home_only.toml", 28, Some(8), "enclave[0].host", "expected a host city", None),
    case("flow_in_home_city.toml", 33, Some(8), "flow[0].host", "expected a host city", None),
    case("enclave_without_link.toml", 23, Some(8), "enclave[0].host", "expected a [[link]] between home \"dazu\" and host \"chengdu\"", None),
    case("duplicate_link.toml", 26, Some(8), "link[1].home", "expected one link per home and host", None),
    case("duplicate_city_id.toml", 21, Some(6), "city[2].id", "expected a unique city name, found \"dazu\" again", None),
    case("duplicate_sector.toml", 7, Some(34), "scenario.sectors[2]", "expected a unique sector name, found \"digital\" again", None),
    case("flow_unknown_sector.toml", 34, Some(10), "flow[0].sector", "found \"biotech\", which is not declared", Some("declared: digital, devices")),
    case("flow_sector_typo.toml", 34, Some(10), "flow[0].sector", "found \"digitl\", which is not declared", Some("did you mean \"digital\"?")),
    // Units.
    case("bad_duration_unit.toml", 53, Some(12), "stage[1].duration", "unknown time unit `fortnights`", None),
    case("bad_rate_unit.toml", 35, Some(8), "flow[0].rate", "unknown time unit `decade`", None),
    case("rate_without_per.toml", 35, Some(8), "flow[0].rate", "expected a rate such as \"40 per year\", found \"40 year\"", None),
    case("bad_travel_unit.toml", 23, Some(15), "link[0].travel_time", "a travel time needs a unit", None),
    case("bin_in_hours.toml", 6, Some(7), "scenario.bin", "unknown time unit `hour`", None),
    // Time settings.
    case("horizon_million_years.toml", 5, Some(11), "scenario.horizon", "found \"1000000 years\" (the duration in months is beyond the largest accepted, 120000)", None),
    case("too_many_bins.toml", 6, Some(7), "scenario.bin", "at most 10000 bins over the horizon", Some("use a wider `bin`")),
    case("warmup_ge_horizon.toml", 7, Some(10), "scenario.warmup", "expected a warm-up shorter than the horizon", None),
    // Queues and capacities.
    case("patience_with_turn_away.toml", 31, Some(12), "enclave[0].patience", "no `patience` when `when_full = \"turn_away\"`", Some("patience applies only to queues")),
    case("when_full_typo.toml", 30, Some(13), "enclave[0].when_full", "found \"turn-away\"", Some("did you mean \"turn_away\"?")),
    case("capacity_on_enclave_stage.toml", 18, Some(27), "city[1].capacity.incubation", "expected a capacity for a home stage", Some("enclave's `seats`")),
    case("capacity_unknown_stage.toml", 18, Some(23), "city[1].capacity.pilots", "found \"pilots\", which is not declared", Some("did you mean \"pilot\"?")),
    // Arrivals.
    case("seasonality_11_values.toml", 36, Some(15), "flow[0].seasonality", "12 monthly weights", None),
    case("burst_at_and_every.toml", 42, Some(9), "burst[0].every", "either `at` or `every`, not both", None),
    case("burst_after_horizon.toml", 41, Some(6), "burst[0].at", "expected times before the horizon, found a time at month 72", None),
    // Sizes and values that would hang, exhaust memory or overflow event times.
    case("burst_every_endless.toml", 41, Some(9), "burst[0].every", "at most 100000 batches over the horizon, found 5.900e39 batches", None),
    case("burst_every_too_many.toml", 41, Some(9), "burst[0].every", "at most 100000 batches over the horizon, found 6.000e8 batches", None),
    case("burst_size_huge.toml", 42, Some(8), "burst[0].size", "expected a mean batch size of at most", None),
    case("rate_infinite.toml", 35, Some(8), "flow[0].rate", "(the rate per month is beyond the largest accepted, 1000000)", None),
    case("weibull_overflow.toml", 53, Some(12), "stage[1].duration", "expected a distribution with a finite mean, found one whose mean overflows", Some("check the units")),
    case("exponential_overflow.toml", 53, Some(43), "stage[1].duration.mean", "(the duration in months is beyond the largest accepted, 120000)", None),
    case("opens_infinite.toml", 31, Some(9), "enclave[0].opens", "(the duration in months is beyond the largest accepted, 120000)", None),
    case("landing_weights_first_error_hides_rest.toml", 67, Some(1), "landing.weights.fitt", "found the unknown key `fitt`", Some("did you mean `fit`?")),
    // Settings that would be silently ignored, and cascades that must stay quiet.
    case("burst_start_with_at.toml", 43, Some(9), "burst[0].start", "expected `start` only with `every`", Some("remove `start`")),
    case("when_full_on_enclave_stage.toml", 49, Some(13), "stage[0].when_full", "only on home stages, found `when_full` on a stage at the enclave", Some("on the [[enclave]]")),
    case("fit_on_host_city.toml", 13, Some(7), "city[0].fit", "found `fit` on a host city", None),
    case("bin_without_horizon.toml", 6, Some(7), "scenario.bin", "no `bin` without a `horizon`", Some("give a horizon")),
    case("title_too_long.toml", 5, Some(9), "scenario.title", "expected a title of at most 500 characters, found 600 characters", Some("comments")),
    case("name_with_path.toml", 4, Some(8), "scenario.name", "(it names the results folder), found \"../elsewhere\"", None),
    case("capacity_zero.toml", 18, Some(22), "city[1].capacity.pilot", "a number of slots between 1 and 1000000, found 0", None),
    case("empty_sector_name.toml", 7, Some(23), "scenario.sectors[1]", "expected a non-empty sector name", None),
    case("single_bracket_city.toml", 9, Some(1), "city", "expected an array of tables, written [[city]]", Some("double brackets")),
    case("errors_in_two_sections.toml", 29, Some(9), "enclave[0].seats", "between 1 and 1000000, found -3", None),
    case("landing_without_home_stage.toml", 62, Some(1), "landing", "a [landing] choice only in a chain with a home stage", Some("remove [landing]")),
    case("too_many_candidates.toml", 32, Some(1), "flow", "at most 100000000 candidates per replication on average, found flows and bursts that bring 1.800e8", Some("units")),
    case("burst_empty.toml", 41, Some(6), "burst[0].at", "expected at least one batch before the horizon, found none", Some("never happens")),
    // Relocating firms, licences and 揭榜挂帅 rounds (minimal.toml plus the section,
    // from line 64; [economics] where the section needs it).
    case("relocation_without_economics.toml", 65, Some(1), "relocation", "expected [[relocation]] only with an [economics] section", Some("add [economics]")),
    case("relocation_same_city.toml", 72, Some(6), "relocation[0].to", "expected a city other than `from`, found \"dazu\" for both", None),
    case("relocation_unknown_party.toml", 75, Some(13), "relocation[0].tax_split", "expected parties of the [economics] tax split: home, host, found \"taicang\", which is not one of them", Some("taicang = 0")),
    case("relocation_without_rate.toml", 70, Some(1), "relocation[0].rate", "expected the key `rate`: a rate of moves such as \"2 per year\", or the months of known moves", None),
    case("relocation_after_horizon.toml", 73, Some(6), "relocation[0].at", "expected months before the horizon, found month 72 (the horizon is 60)", None),
    case("relocation_rate_huge.toml", 73, Some(8), "relocation[0].rate", "at most 1000000 moves over the horizon on average, found 3.000e6 moves", None),
    case("relocation_rate_typo.toml", 74, Some(1), "relocation[0].rates", "found the unknown key `rates`", Some("did you mean `rate`?")),
    case("change_relocation_beyond.toml", 78, Some(32), "change[0].set.relocation[1].rate", "expected an index of a declared relocation (0 to 0)", None),
    case("transfer_chance_above_one.toml", 66, Some(18), "transfer.licence_chance", "expected a probability between 0 and 1, found 1.5", None),
    case("transfer_without_tax_rate.toml", 65, Some(1), "transfer.tax_rate", "expected the key `tax_rate`", None),
    case("challenge_owner_host.toml", 66, Some(9), "challenge[0].owner", "expected a home city (role \"home\" or \"both\"), found \"chengdu\"", None),
    case("challenge_zero_needs.toml", 68, Some(9), "challenge[0].needs", "expected a number of needs between 1 and 1000000, found 0", None),
    case("challenge_without_times.toml", 65, Some(1), "challenge[0].at", "the months of the postings", None),
    case("challenge_chance_above_one.toml", 70, Some(16), "challenge[0].solve_chance", "expected a probability between 0 and 1, found 4", None),
    // Governance of a link and a home city's talent programmes.
    case("governance_body_typo.toml", 25, Some(8), "link[0].governance.body", "one of \"none\", \"joint_conference\", \"joint_committee\", found \"joint_comittee\"", Some("did you mean \"joint_committee\"?")),
    case("governance_unknown_key.toml", 25, Some(1), "link[0].governance.gdp_share", "found the unknown key `gdp_share`", Some("gdp_share_host")),
    case("governance_gdp_share_above_one.toml", 25, Some(18), "link[0].governance.gdp_share_host", "expected a probability between 0 and 1, found 1.5", None),
    case("governance_factor_unknown_body.toml", 25, Some(20), "link[0].governance.hazard_factors.joint_comittee", "found the unknown key `joint_comittee`", Some("did you mean `joint_committee`?")),
    case("change_body_without_governance.toml", 67, Some(37), "change[0].set.link[0].governance.body", "a coordination body only for a link with a [link.governance] table", Some("add [link.governance]")),
    case("talent_on_host_city.toml", 13, Some(1), "city[0].talent", "found `talent` on a host city", None),
    case("talent_negative_experts.toml", 20, Some(11), "city[1].talent.experts", "a number of experts between 0 and 1000000, found -5", None),
    case("talent_unknown_sector.toml", 21, Some(19), "city[1].talent.graduate_sector", "found \"device\", which is not declared", Some("did you mean \"devices\"?")),
    // Sweep files: errors in the sweep file itself.
    case("sweep_baseline_out_of_range.toml", 7, Some(12), "sweep.baseline", "expected a design point number (0 is the first point) between 0 and 1, found 5", None),
    case("sweep_baseline_unknown_variant.toml", 7, Some(12), "sweep.baseline", "found \"more seat\"", Some("did you mean `more seats`?")),
    case("sweep_crn_off_for_sensitivity.toml", 7, Some(25), "sweep.common_random_numbers", "sensitivity designs compare their points on the same random streams", None),
    case("opt_both_bounds.toml", 19, Some(12), "constraint[0].at_least", "expected either `at_most` or `at_least`, not both", None),
    case("opt_lever_end_refused.toml", 8, Some(7), "lever[0]", "(enclave[0].seats = 0)", None),
    case("opt_range_and_choices.toml", 9, Some(7), "lever[0].min", "expected either `choices` or a range", None),
    case("opt_unknown_metric.toml", 13, Some(10), "objective[0].metric", "found `landed_hom`", Some("did you mean `landed_home`?")),
    case("opt_without_delta.toml", 1, Some(1), "selection", "expected the key `selection`", None),
    case("sweep_bad_variance_reduction.toml", 7, Some(22), "sweep.variance_reduction", "found \"antithetic\"", None),
    case("sweep_baseline_without_pairing.toml", 8, Some(12), "sweep.baseline", "expected no `baseline` when `common_random_numbers = false`", None),
    case("sweep_typo_key.toml", 5, Some(1), "sweep.replication", "found the unknown key `replication`", Some("did you mean `replications`?")),
    case("sweep_unknown_design.toml", 6, Some(10), "sweep.design", "found \"random\"", None),
    case("sweep_bad_key_path.toml", 9, Some(8), "parameter[0].path", "(`x` is not an array index)", None),
    case("sweep_lhs_without_points.toml", 2, Some(1), "sweep.points", "expected the key `points`", None),
    case("sweep_precision_unknown_metric.toml", 8, Some(15), "sweep.precision.landing_rat", "expected the name of a metric of `feidi run`", Some("did you mean `landing_rate`?")),
    // Sweep files: sensitivity designs.
    case("sweep_morris_zero_trajectories.toml", 7, Some(16), "sweep.trajectories", "expected a number of Morris trajectories between 2 and 1000000, found 0", None),
    case("sweep_morris_odd_levels.toml", 8, Some(10), "sweep.levels", "expected an even number of levels (4 is usual), found 5", Some("even p")),
    case("sweep_morris_list_parameter.toml", 11, Some(10), "parameter[0].values", "expected a range, `min` and `max`, for design = \"morris\", found a list of values", Some("design = \"grid\"")),
    case("sweep_oat_base_outside_range.toml", 12, Some(8), "parameter[0].base", "expected a base value between min 5 and max 50, found 80", None),
    case("sweep_trajectories_with_sobol_indices.toml", 8, Some(16), "sweep.trajectories", "expected `trajectories` only with design = \"morris\"", None),
    case("sweep_sobol_indices_without_samples.toml", 2, Some(1), "sweep.samples", "expected the key `samples`", None),
    case("sweep_grid_too_large.toml", 8, Some(1), "parameter", "expected at most 1000000 design points, found 1000000000 points in the full grid", Some("latin_hypercube")),
    case("sweep_lhs_too_many_values.toml", 9, Some(1), "parameter", "at most 5000000 values in the design (points × parameters), found 1000000 points × 30 parameters", None),
    case("sweep_lhs_slow_unit.toml", 9, Some(1), "parameter", "found 1000000 points × 19 parameters", None),
    // Sweep files: settings that would mislabel rows or be silently ignored.
    case("sweep_duplicate_parameter.toml", 13, Some(8), "parameter[1].path", "expected a key path not already varied, found \"enclave[0].seats\" again", Some("one [[parameter]]")),
    case("sweep_variant_under_grid.toml", 12, Some(1), "variant", "expected [[parameter]] tables for design = \"grid\", found [[variant]] tables, which this design does not use", Some("design = \"variants\"")),
    case("sweep_parameter_under_variants.toml", 12, Some(1), "parameter", "expected [[variant]] tables for design = \"variants\", found [[parameter]] tables, which this design does not use", None),
    case("sweep_duplicate_variant_name.toml", 13, Some(8), "variant[1].name", "expected a unique variant name, found \"more seats\" again", None),
    case("sweep_empty_variant_name.toml", 9, Some(8), "variant[0].name", "expected a variant name that is not empty, found \" \"", None),
    case("sweep_integer_fraction.toml", 11, Some(7), "parameter[0].min", "expected the lower end of the range (a whole number, as integer = true), found 0.2", None),
    // Sweep files: values the base scenario refuses, located once in the sweep file at
    // the value, the key path, the variant or `scenario =`, with the points affected.
    case("sweep_invalid_point.toml", 10, Some(15), "parameter[0].values[1]", "expected a value of enclave[0].seats that the base scenario tests/broken/../valid/minimal.toml accepts, found 0, which it refuses: enclave[0].seats: expected a number of seats between 1 and 1000000, found 0 — in 1 of 2 design points", None),
    case("sweep_range_end_invalid.toml", 11, Some(7), "parameter[0].min", "found 0, which it refuses: enclave[0].seats: expected a number of seats between 1 and 1000000, found 0 — in 5 of 100 design points", None),
    case("sweep_missing_path.toml", 9, Some(8), "parameter[0].path", "expected the key path of a setting of the base scenario tests/broken/../valid/minimal.toml, found \"enclave[5].seats\" (`enclave[5]` is beyond the 1 items there)", None),
    case("sweep_key_typo_every_value.toml", 9, Some(8), "parameter[0].path", "found \"enclave[0].seets\", which it refuses whatever the value: enclave[0].seets: expected a known key, found the unknown key `seets` — in all 3 design points", Some("did you mean `seats`?")),
    case("sweep_variant_invalid.toml", 14, Some(56), "variant[1].set.\"enclave[0].seats\"", "found variant \"no seats\", which it refuses: enclave[0].seats: expected a number of seats between 1 and 1000000, found 0", None),
    case("sweep_settings_together.toml", 13, Some(8), "parameter[1].path", "accepts together, found design point 1 (\"1\": scenario.horizon = \"1 year\", scenario.warmup = \"2 years\"), which it refuses: scenario.warmup: expected a warm-up shorter than the horizon, found 24 months — in 1 of 4 design points", None),
    case("sweep_missing_scenario.toml", 4, Some(12), "sweep.scenario", "expected a readable scenario file, relative to this file, found tests/broken/../valid/missing.toml (no such file)", None),
    case("sweep_scenario_folder.toml", 4, Some(12), "sweep.scenario", "found tests/broken/../valid (a folder, not a file)", None),
    case("sweep_scenario_empty.toml", 4, Some(12), "sweep.scenario", "found \"\" (no file name)", None),
    // Names that become the results folder: only a plain file name.
    case("sweep_name_escapes.toml", 3, Some(8), "sweep.name", "expected a plain file name (not empty, `.` or `..`; no `/`, `\\`, control characters or Windows device names such as CON; at most 100 characters) (it names the results folder), found \"../../x\" (it contains `/`, which separates folders)", None),
    case("sweep_name_absolute.toml", 3, Some(8), "sweep.name", "found \"/tmp/feidi-escape\" (it contains `/`", None),
    case("sweep_name_empty.toml", 3, Some(8), "sweep.name", "found \"\" (it is empty)", None),
    case("sweep_name_reserved.toml", 3, Some(8), "sweep.name", "found \"con.csv\" (`con` is a device name on Windows)", None),
    case("cal_name_dotdot.toml", 3, Some(8), "calibration.name", "found \"..\" (`..` names a folder, not a file)", None),
    case("cal_name_backslash.toml", 3, Some(8), "calibration.name", "(it contains `\\`, which separates folders)", None),
    // Calibration files: errors in the file itself, and settings the base scenario
    // (tests/valid/minimal.toml) refuses, located in the calibration file.
    case("cal_empty.toml", 1, Some(1), "target", "expected the key `target`: at least one [[target]]", None),
    case("cal_syntax_error.toml", 10, None, "", "expected valid TOML, found a syntax error", None),
    case("cal_unknown_key.toml", 11, Some(1), "target[0].toleranse", "found the unknown key `toleranse`", Some("did you mean `tolerance`?")),
    case("cal_single_bracket_target.toml", 8, Some(1), "target", "expected an array of tables, written [[target]]", Some("double brackets")),
    case("cal_missing_target_value.toml", 8, Some(1), "target[0].value", "expected the key `value`", None),
    case("cal_negative_count_target.toml", 10, Some(9), "target[0].value", "expected a number of projects of at least 0, found -5", None),
    case("cal_negative_tolerance.toml", 11, Some(13), "target[0].tolerance", "expected a tolerance above 0, found -15", None),
    case("cal_unknown_metric.toml", 9, Some(10), "target[0].metric", "expected the name of a total of `feidi run`, found `admited`", Some("did you mean `admitted`?")),
    case("cal_unknown_tax_party.toml", 9, Some(10), "target[0].metric", "expected a total of the base scenario", None),
    case("cal_bad_key_path.toml", 14, Some(8), "parameter[0].path", "(`x` is not an array index)", None),
    case("cal_duplicate_parameter.toml", 20, Some(8), "parameter[1].path", "expected a key path not already calibrated", None),
    case("cal_path_not_in_base.toml", 14, Some(8), "parameter[0].path", "expected the key path of a setting of the base scenario", None),
    case("cal_prior_min_above_max.toml", 16, Some(7), "parameter[0].max", "expected a maximum above the minimum 40, found 5", Some("min < max")),
    case("cal_prior_end_invalid.toml", 16, Some(7), "parameter[0].max", "stage[0].success: a probability between 0 and 1, found 1.5", None),
    case("cal_integer_fraction.toml", 15, Some(7), "parameter[0].min", "(a whole number, as integer = true), found 5.5", None),
    case("cal_quantile_out_of_range.toml", 5, Some(12), "calibration.quantile", "expected a quantile between 0 and 1 (exclusive), found 1.5", None),
    case("cal_horizon_zero.toml", 5, Some(11), "calibration.horizon", "expected a horizon above 0, such as \"7 years\", found 0 months", None),
];

/// Files that feidi rejects with exit code 2 but with a wrong or incomplete report. Only
/// the exit code is asserted; move each to [`CASES`] once feidi is fixed.
const KNOWN_GAPS: &[&str] = &[];

/// Sweep files whose error lies in their base scenario itself, so that the message is
/// located there rather than in the sweep file: (file, message).
const IN_BASE_SCENARIO: &[(&str, &str)] = &[(
    "sweep_base_broken.toml",
    "typo_key_seets.toml:25:1: enclave[0].seats: expected the key `seats`",
)];

/// Files that feidi does not reject: not run here (some would hang or exhaust memory).
/// Each should be rejected with a located error and exit code 2; move it to [`CASES`]
/// once feidi is fixed.
const UNRUN_GAPS: &[&str] = &[];

/// Valid files in `tests/valid/` that feidi wrongly rejects (exit code 2 today).
const VALID_KNOWN_GAPS: &[&str] = &[];

/// Longest any single feidi invocation may take before the test calls it a hang.
const TIMEOUT: Duration = Duration::from_secs(60);

/// What one run of the binary did.
struct Run {
    /// Exit status, `None` if it was killed after [`TIMEOUT`].
    status: Option<ExitStatus>,
    stdout: String,
    stderr: String,
}

impl Run {
    fn code(&self) -> Option<i32> {
        self.status.and_then(|s| s.code())
    }

    fn describe(&self) -> String {
        let status = match self.status {
            None => format!("killed after {TIMEOUT:?} (hang)"),
            Some(s) => format!("{s}"),
        };
        format!(
            "status: {status}\n--- stdout ---\n{}\n--- stderr ---\n{}",
            clip(&self.stdout),
            clip(&self.stderr)
        )
    }
}

fn clip(s: &str) -> String {
    if s.chars().count() > 4000 {
        format!("{}… [clipped]", s.chars().take(4000).collect::<String>())
    } else {
        s.to_string()
    }
}

fn manifest_dir() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Runs the built `feidi` in the crate root with `args`, killing it after [`TIMEOUT`].
fn feidi<S: AsRef<std::ffi::OsStr>>(args: &[S]) -> Run {
    let mut child = Command::new(env!("CARGO_BIN_EXE_feidi"))
        .args(args)
        .current_dir(manifest_dir())
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start the feidi binary");
    let mut out = child.stdout.take().expect("stdout is piped");
    let mut err = child.stderr.take().expect("stderr is piped");
    let out_reader = std::thread::spawn(move || {
        let mut v = Vec::new();
        let _ = out.read_to_end(&mut v);
        v
    });
    let err_reader = std::thread::spawn(move || {
        let mut v = Vec::new();
        let _ = err.read_to_end(&mut v);
        v
    });
    let deadline = Instant::now() + TIMEOUT;
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait for feidi") {
            break Some(status);
        }
        if Instant::now() >= deadline {
            let _ = child.kill();
            let _ = child.wait();
            break None;
        }
        std::thread::sleep(Duration::from_millis(5));
    };
    Run {
        status,
        stdout: String::from_utf8_lossy(&out_reader.join().expect("read stdout")).into_owned(),
        stderr: String::from_utf8_lossy(&err_reader.join().expect("read stderr")).into_owned(),
    }
}

/// One `error: ...` block of feidi's standard error, parsed.
#[derive(Debug)]
struct Reported {
    line: usize,
    column: usize,
    /// Text between `file:line:column: ` and `expected` (the key path and ": ", or "").
    path: String,
    /// The header line after the location.
    header: String,
    /// The `hint:` line, if any.
    hint: Option<String>,
    /// Column of the caret under the source line (1-based), if a caret line was printed.
    caret: Option<usize>,
}

/// Splits standard error into the diagnostics reported for `file` (named as passed).
fn diagnostics(stderr: &str, file: &str) -> Vec<Reported> {
    let mut blocks: Vec<Vec<&str>> = Vec::new();
    for line in stderr.lines() {
        if line.starts_with("error: ") {
            blocks.push(vec![line]);
        } else if let Some(b) = blocks.last_mut() {
            b.push(line);
        }
    }
    blocks
        .iter()
        .filter_map(|block| {
            let rest = block[0]
                .strip_prefix("error: ")?
                .strip_prefix(file)?
                .strip_prefix(':')?;
            let (line, rest) = rest.split_once(':')?;
            let (column, rest) = rest.split_once(':')?;
            let header = rest.strip_prefix(' ')?;
            let at = header.find("expected ")?;
            let caret = block[1..].iter().find_map(|l| {
                let (_, after) = l.split_once(" | ")?;
                let after = after.strip_suffix('^')?;
                after.chars().all(|c| c == ' ').then(|| after.chars().count() + 1)
            });
            Some(Reported {
                line: line.parse().ok()?,
                column: column.parse().ok()?,
                path: header[..at].to_string(),
                header: header.to_string(),
                hint: block[1..]
                    .iter()
                    .find_map(|l| l.trim_start().strip_prefix("hint: ").map(str::to_string)),
                caret,
            })
        })
        .collect()
}

/// Checks a rejected run against `case`; `shown` is the file name as passed to feidi.
fn check(case: &Case, shown: &str, run: &Run) -> Result<(), String> {
    let mut problems = Vec::new();
    if run.code() != Some(2) {
        problems.push("exit code is not 2".to_string());
    }
    if run.stderr.contains("panicked") {
        problems.push("standard error mentions a panic".to_string());
    }
    if !run.stderr.contains(&format!("{shown}:{}:", case.line)) {
        problems.push(format!("standard error lacks `{shown}:{}:`", case.line));
    }
    let reported = diagnostics(&run.stderr, shown);
    if reported.is_empty() {
        problems.push("no `error: file:line:column: ...` diagnostic could be parsed".to_string());
    }
    for d in &reported {
        if d.caret.is_some_and(|c| c != d.column) {
            problems.push(format!(
                "caret at column {:?} but the message says {}: {d:?}",
                d.caret, d.column
            ));
        }
    }
    let matches = |d: &Reported| {
        d.line == case.line
            && case.column.is_none_or(|c| c == d.column)
            && if case.path.is_empty() {
                d.path.is_empty()
            } else {
                d.path.contains(case.path) && d.path.ends_with(": ")
            }
            && d.header.contains(case.message)
            && case
                .hint
                .is_none_or(|h| d.hint.as_deref().is_some_and(|dh| dh.contains(h)))
    };
    match reported.iter().find(|d| matches(d)) {
        Some(d) if d.caret.is_none() => problems.push("the diagnostic has no source line and caret".to_string()),
        Some(_) => {}
        None => problems.push(format!(
            "no diagnostic at line {}, column {:?}, path `{}`, containing `{}`{}",
            case.line,
            case.column,
            case.path,
            case.message,
            case.hint
                .map_or(String::new(), |h| format!(", with a hint containing `{h}`"))
        )),
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(format!("{shown}: {}\n{}", problems.join("; "), run.describe()))
    }
}

fn broken(file: &str) -> String {
    format!("tests/broken/{file}")
}

fn files_in(dir: &str) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(manifest_dir().join(dir))
        .unwrap_or_else(|e| panic!("read {dir}: {e}"))
        .map(|e| e.expect("directory entry").file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn every_broken_file_is_accounted_for() {
    assert!(CASES.len() >= 30, "only {} cases", CASES.len());
    let listed: Vec<&str> = CASES
        .iter()
        .map(|c| c.file)
        .chain(KNOWN_GAPS.iter().copied())
        .chain(UNRUN_GAPS.iter().copied())
        .chain(IN_BASE_SCENARIO.iter().map(|(f, _)| *f))
        .collect();
    let mut problems = Vec::new();
    for name in &listed {
        if listed.iter().filter(|n| *n == name).count() > 1 {
            problems.push(format!("{name} is listed more than once"));
        }
        if !manifest_dir().join("tests/broken").join(name).is_file() {
            problems.push(format!("{name} is listed but tests/broken/{name} does not exist"));
        }
    }
    for name in files_in("tests/broken") {
        if !listed.contains(&name.as_str()) {
            problems.push(format!(
                "tests/broken/{name} is in no list (CASES, KNOWN_GAPS, UNRUN_GAPS)"
            ));
        }
    }
    problems.dedup();
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn validate_rejects_every_broken_file_with_a_located_error() {
    let failures: Vec<String> = CASES
        .iter()
        .filter_map(|case| {
            let shown = broken(case.file);
            let run = feidi(&["validate", shown.as_str()]);
            let mut result = check(case, &shown, &run);
            if result.is_ok() && run.stdout.contains("ok —") {
                result = Err(format!(
                    "{shown}: reported as ok on standard output\n{}",
                    run.describe()
                ));
            }
            result.err()
        })
        .collect();
    assert!(
        failures.is_empty(),
        "{} of {} broken files were not rejected as expected:\n\n{}",
        failures.len(),
        CASES.len(),
        failures.join("\n\n")
    );
}

#[test]
fn the_minimal_valid_scenario_validates() {
    let run = feidi(&["validate", "tests/valid/minimal.toml"]);
    assert_eq!(run.code(), Some(0), "{}", run.describe());
    assert!(
        run.stdout.contains("tests/valid/minimal.toml: ok"),
        "{}",
        run.describe()
    );
    assert!(run.stderr.is_empty(), "{}", run.describe());
}

#[test]
fn every_valid_file_validates() {
    let mut failures = Vec::new();
    for name in files_in("tests/valid") {
        if VALID_KNOWN_GAPS.contains(&name.as_str()) {
            continue;
        }
        let shown = format!("tests/valid/{name}");
        let run = feidi(&["validate", shown.as_str()]);
        if run.code() != Some(0) {
            failures.push(format!("{shown}:\n{}", run.describe()));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn validate_of_several_files_fails_on_the_broken_one() {
    let run = feidi(&["validate", "tests/valid/minimal.toml", "tests/broken/zero_seats.toml"]);
    assert_eq!(run.code(), Some(2), "{}", run.describe());
    assert!(
        run.stdout.contains("tests/valid/minimal.toml: ok"),
        "{}",
        run.describe()
    );
    assert!(
        run.stderr
            .contains("tests/broken/zero_seats.toml:29:9: enclave[0].seats:"),
        "{}",
        run.describe()
    );
}

#[test]
fn run_rejects_broken_files_and_writes_no_results() {
    for file in [
        "typo_key_seets.toml",
        "syntax_error.toml",
        "not_utf8.toml",
        "warmup_ge_horizon.toml",
    ] {
        let case = CASES.iter().find(|c| c.file == file).expect("the file is a case");
        let out = temp_path(&format!("run-{file}"));
        let shown = broken(file);
        let run = feidi(&[
            "run".as_ref(),
            shown.as_ref(),
            "--replications".as_ref(),
            "2".as_ref(),
            "--out".as_ref(),
            out.as_os_str(),
        ]);
        if let Err(e) = check(case, &shown, &run) {
            panic!("feidi run: {e}");
        }
        assert!(
            !out.join("summary.json").exists(),
            "feidi run {shown} wrote {}",
            out.join("summary.json").display()
        );
    }
}

#[test]
fn an_error_after_five_megabytes_of_comments_is_located() {
    let minimal = std::fs::read_to_string(manifest_dir().join("tests/broken/typo_key_seets.toml"))
        .expect("read typo_key_seets.toml");
    let padding_line = "# padding padding padding padding padding padding padding padding\n";
    let lines = 5 * 1024 * 1024 / padding_line.len() + 1;
    let mut text = padding_line.repeat(lines);
    text.push_str(&minimal);
    assert!(text.len() > 5 * 1024 * 1024);
    let dir = temp_path("huge");
    std::fs::create_dir_all(&dir).expect("create scratch directory");
    let path = dir.join("huge.toml");
    std::fs::write(&path, &text).expect("write the huge file");
    let shown = path.to_str().expect("a UTF-8 path").to_string();
    let case = Case {
        file: "huge.toml",
        line: lines + 29,
        column: Some(1),
        path: "enclave[0].seets",
        message: "found the unknown key `seets`",
        hint: Some("did you mean `seats`?"),
    };
    let started = Instant::now();
    let run = feidi(&["validate", shown.as_str()]);
    if let Err(e) = check(&case, &shown, &run) {
        panic!("{e}");
    }
    assert!(
        run.stderr.len() < 10_000,
        "standard error is {} bytes for one short line in error",
        run.stderr.len()
    );
    assert!(
        started.elapsed() < Duration::from_secs(30),
        "took {:?}",
        started.elapsed()
    );
}

#[test]
fn sweep_errors_in_the_base_scenario_are_located_there_and_exit_with_code_2() {
    let mut failures = Vec::new();
    for (file, message) in IN_BASE_SCENARIO {
        let shown = broken(file);
        let run = feidi(&["validate", shown.as_str()]);
        if run.code() != Some(2)
            || run.stderr.contains("panicked")
            || !run
                .stderr
                .lines()
                .any(|l| l.starts_with("error: ") && l.contains(message))
        {
            failures.push(format!("{shown}: expected `{message}`\n{}", run.describe()));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn known_gaps_still_exit_with_code_2() {
    let mut failures = Vec::new();
    for file in KNOWN_GAPS {
        let shown = broken(file);
        let run = feidi(&["validate", shown.as_str()]);
        if run.code() != Some(2) || run.stderr.contains("panicked") || !run.stderr.contains(&format!("{shown}:")) {
            failures.push(format!("{shown}:\n{}", run.describe()));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}
