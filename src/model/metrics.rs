//! The catalogue of what one replication reports: totals (one number per replication)
//! and series (one number per time bin). Names here are the names in result files.

use crate::scenario::Scenario;

/// Name, unit and meaning of one reported quantity.
#[derive(Clone, Debug, PartialEq)]
pub struct MetricInfo {
    /// Name used in result files, such as `landed_home`.
    pub name: String,
    /// Unit, such as `projects` or `months`.
    pub unit: &'static str,
    /// One-line meaning, for tables and reports.
    pub description: String,
}

fn info(name: &str, unit: &'static str, description: &str) -> MetricInfo {
    MetricInfo {
        name: name.to_string(),
        unit,
        description: description.to_string(),
    }
}

/// Indices of the per-replication totals, in the order of [`totals`].
pub mod total {
    /// Candidates arriving in the host cities, from flows and bursts (met or not).
    pub const HOST_CANDIDATES: usize = 0;
    /// Candidates met by an enclave's scouts.
    pub const CANDIDATES: usize = 1;
    /// Candidates screened out below the admission bar.
    pub const REJECTED: usize = 2;
    /// Candidates that took a seat.
    pub const ADMITTED: usize = 3;
    /// Candidates turned away by full seats or who gave up waiting.
    pub const TURNED_AWAY: usize = 4;
    /// Projects that started the first home stage.
    pub const LANDED_HOME: usize = 5;
    /// Projects that settled in the host city.
    pub const LEAKED_HOST: usize = 6;
    /// Projects that went elsewhere.
    pub const LEAKED_ELSEWHERE: usize = 7;
    /// Projects that failed a stage.
    pub const FAILED: usize = 8;
    /// Projects that finished the last stage.
    pub const COMPLETED: usize = 9;
    /// Candidates still waiting or in a stage at the end.
    pub const IN_PROGRESS: usize = 10;
    /// landed_home / admitted.
    pub const LANDING_RATE: usize = 11;
    /// Mean months from admission to landing.
    pub const MONTHS_TO_LANDING: usize = 12;
    /// Time-average share of open seats in use.
    pub const SEAT_OCCUPANCY: usize = 13;
    /// Time-average number of seats in use.
    pub const SEATS_BUSY: usize = 14;
    /// Time-average number of candidates waiting for a seat.
    pub const SEAT_QUEUE: usize = 15;
    /// Mean months a seated project waited for its seat.
    pub const QUEUE_WAIT_MONTHS: usize = 16;
    /// Mean months a project held its seat.
    pub const SEAT_MONTHS: usize = 17;
    /// Real landings: projects that started the first home stage.
    pub const LANDED_HOME_REAL: usize = 18;
    /// Landings on paper: shell firms registered to meet a target, with no output.
    pub const LANDED_HOME_PAPER: usize = 19;
    /// Output of industrialized firms over the horizon, yuan.
    pub const OUTPUT_YUAN: usize = 20;
    /// Tax on that output, all parties, yuan.
    pub const TAX_YUAN: usize = 21;
    /// The home cities' part of that tax, yuan.
    pub const HOME_TAX_YUAN: usize = 22;
    /// Jobs in industrialized firms at the horizon.
    pub const JOBS: usize = 23;
    /// Everything the home budget paid, yuan.
    pub const COST_YUAN: usize = 24;
    /// Landing subsidies paid (real and paper landings), yuan.
    pub const SUBSIDY_YUAN: usize = 25;
    /// Cost per real landing, yuan.
    pub const COST_PER_REAL_LANDING_YUAN: usize = 26;
    /// Month at whose bin end home tax income first covers the outlay.
    pub const PAYBACK_MONTH: usize = 27;
    /// 1 when the outlay was paid back within the horizon, else 0.
    pub const PAID_BACK: usize = 28;
    /// Projects stranded when cooperation broke down and their enclave closed.
    pub const STRANDED: usize = 29;
    /// Government money the funds invested, yuan.
    pub const FUND_DEPLOYED_YUAN: usize = 30;
    /// Social co-investment drawn in alongside, yuan.
    pub const SOCIAL_CAPITAL_YUAN: usize = 31;
    /// Investment that investees brought home on landing, yuan.
    pub const RETURN_INVESTMENT_YUAN: usize = 32;
    /// Government money lost in investees that failed, yuan.
    pub const FUND_LOSSES_YUAN: usize = 33;
    /// Projects the funds invested in.
    pub const FUND_INVESTMENTS: usize = 34;
    /// Candidates met by an enclave who chose a rival enclave instead.
    pub const LOST_TO_RIVALS: usize = 35;
    /// Innovation vouchers spent, yuan.
    pub const VOUCHERS_YUAN: usize = 36;
    /// Projects that received a voucher.
    pub const VOUCHER_PROJECTS: usize = 37;
    /// Number of fixed totals; per-party tax totals follow.
    pub const COUNT: usize = 38;
}

/// The per-replication totals, indexed by the constants in [`total`].
pub fn totals() -> Vec<MetricInfo> {
    vec![
        info(
            "host_candidates",
            "projects",
            "candidate projects arriving in the host cities (flows and bursts)",
        ),
        info("candidates", "projects", "candidates met by an enclave's scouts"),
        info(
            "rejected",
            "projects",
            "candidates screened out below the admission bar",
        ),
        info("admitted", "projects", "candidates that took an enclave seat"),
        info(
            "turned_away",
            "projects",
            "candidates turned away by full seats or who gave up waiting",
        ),
        info("landed_home", "projects", "landings reported at home: real plus paper"),
        info("leaked_host", "projects", "projects that settled in the host city"),
        info("leaked_elsewhere", "projects", "projects that went to a third place"),
        info("failed", "projects", "projects that failed a stage"),
        info("completed", "projects", "projects that finished the last stage"),
        info(
            "in_progress",
            "projects",
            "candidates still queued or in a stage at the end",
        ),
        info("landing_rate", "share", "landed at home / admitted"),
        info("months_to_landing", "months", "mean time from admission to landing"),
        info(
            "seat_occupancy",
            "share",
            "time-average share of open enclave seats in use",
        ),
        info("seats_busy", "seats", "time-average number of enclave seats in use"),
        info(
            "seat_queue",
            "projects",
            "time-average number of candidates waiting for a seat",
        ),
        info(
            "queue_wait_months",
            "months",
            "mean wait for a seat among projects that got one",
        ),
        info("seat_months", "months", "mean time a project held its seat"),
        info(
            "landed_home_real",
            "projects",
            "real landings: projects that started the first home stage",
        ),
        info(
            "landed_home_paper",
            "projects",
            "landings on paper: shell firms with no output",
        ),
        info("output_yuan", "yuan", "output of industrialized firms over the horizon"),
        info("tax_yuan", "yuan", "tax on that output, all parties"),
        info("home_tax_yuan", "yuan", "the home cities' share of that tax"),
        info("jobs", "jobs", "jobs in industrialized firms at the horizon"),
        info(
            "cost_yuan",
            "yuan",
            "home budget outlay: rent, operator fees, landing subsidies, vouchers, fund losses",
        ),
        info(
            "subsidy_yuan",
            "yuan",
            "landing subsidies paid, real and paper landings",
        ),
        info("cost_per_real_landing_yuan", "yuan", "outlay per real landing"),
        info(
            "payback_month",
            "months",
            "month by which home tax income covers the outlay (replications that paid back)",
        ),
        info(
            "paid_back",
            "share",
            "share of replications whose outlay is paid back within the horizon",
        ),
        info(
            "stranded",
            "projects",
            "projects stranded when cooperation broke down and their enclave closed",
        ),
        info("fund_deployed_yuan", "yuan", "government money the funds invested"),
        info("social_capital_yuan", "yuan", "social co-investment drawn in alongside"),
        info(
            "return_investment_yuan",
            "yuan",
            "investment that investees brought home on landing",
        ),
        info(
            "fund_losses_yuan",
            "yuan",
            "government money lost in investees that failed",
        ),
        info("fund_investments", "projects", "projects the funds invested in"),
        info(
            "lost_to_rivals",
            "projects",
            "candidates met by an enclave who chose a rival enclave",
        ),
        info("vouchers_yuan", "yuan", "innovation vouchers spent"),
        info(
            "voucher_projects",
            "projects",
            "projects that received an innovation voucher",
        ),
    ]
}

/// Every total for `scenario`: the fixed ones, the tax of each party, then the
/// projects that entered each stage (the pipeline funnel).
pub fn totals_for(scenario: &Scenario) -> Vec<MetricInfo> {
    let mut out = totals();
    for party in parties(scenario) {
        out.push(MetricInfo {
            name: format!("tax_yuan.{party}"),
            unit: "yuan",
            description: format!("tax on industrialized firms' output going to {party}"),
        });
    }
    for stage in &scenario.stages {
        out.push(MetricInfo {
            name: format!("entered_stage.{}", stage.name),
            unit: "projects",
            description: format!("projects that started stage {}", stage.name),
        });
    }
    out
}

/// Index in [`totals_for`] of the first `entered_stage.<stage>` total.
pub fn first_stage_entry_total(scenario: &Scenario) -> usize {
    total::COUNT + parties(scenario).len()
}

/// Which way a total is better, for comparing alternatives.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Better {
    /// More is better (landings, tax, jobs).
    Higher,
    /// Less is better (leaks, costs, waiting).
    Lower,
}

impl Better {
    /// `"higher"` or `"lower"`, as result files write it.
    pub fn as_str(self) -> &'static str {
        match self {
            Better::Higher => "higher",
            Better::Lower => "lower",
        }
    }
}

/// The totals with a clear better direction from the home city's point of view. Totals
/// not listed (volumes such as `admitted` or `fund_deployed_yuan`, whose size is a
/// choice rather than a result, and the per-party tax) have none.
const BETTER: [(&str, Better); 23] = [
    ("turned_away", Better::Lower),
    ("leaked_host", Better::Lower),
    ("leaked_elsewhere", Better::Lower),
    ("completed", Better::Higher),
    ("landing_rate", Better::Higher),
    ("months_to_landing", Better::Lower),
    ("seat_queue", Better::Lower),
    ("queue_wait_months", Better::Lower),
    ("landed_home_real", Better::Higher),
    ("landed_home_paper", Better::Lower),
    ("output_yuan", Better::Higher),
    ("tax_yuan", Better::Higher),
    ("home_tax_yuan", Better::Higher),
    ("jobs", Better::Higher),
    ("cost_yuan", Better::Lower),
    ("cost_per_real_landing_yuan", Better::Lower),
    ("payback_month", Better::Lower),
    ("paid_back", Better::Higher),
    ("stranded", Better::Lower),
    ("return_investment_yuan", Better::Higher),
    ("fund_losses_yuan", Better::Lower),
    ("lost_to_rivals", Better::Lower),
    ("candidates", Better::Higher),
];

/// Which way the total named `name` is better, or `None` when it has no clear direction.
pub fn better(name: &str) -> Option<Better> {
    BETTER.iter().find(|(n, _)| *n == name).map(|&(_, b)| b)
}

/// Tax-sharing parties of `scenario` (none when money is off).
fn parties(scenario: &Scenario) -> &[String] {
    scenario.economics.as_ref().map_or(&[], |e| &e.tax_split.parties)
}

/// Layout of the per-bin series: cumulative counts, then levels, then stage occupancy.
pub mod series {
    /// Counts cumulated to the end of each bin (same names as the totals).
    pub const COUNTS: [usize; 9] = [
        super::total::CANDIDATES,
        super::total::REJECTED,
        super::total::ADMITTED,
        super::total::TURNED_AWAY,
        super::total::LANDED_HOME,
        super::total::LEAKED_HOST,
        super::total::LEAKED_ELSEWHERE,
        super::total::FAILED,
        super::total::COMPLETED,
    ];
    /// Offset of seat occupancy (time average within the bin).
    pub const SEAT_OCCUPANCY: usize = COUNTS.len();
    /// Offset of the seat queue length at the end of the bin.
    pub const SEAT_QUEUE: usize = COUNTS.len() + 1;
    /// Offset of the cumulative paper landings.
    pub const PAPER_LANDINGS: usize = COUNTS.len() + 2;
    /// Offset of the first stage's project count at the end of the bin.
    pub const FIRST_STAGE: usize = COUNTS.len() + 3;
    /// Name of the last series: landings counted by the months they took, bin by bin.
    pub const LANDING_TIMES: &str = "landings_by_months_taken";
}

/// The per-bin series for `scenario`, in storage order.
pub fn series(scenario: &Scenario) -> Vec<MetricInfo> {
    let all = totals();
    let mut out: Vec<MetricInfo> = series::COUNTS
        .iter()
        .map(|&i| MetricInfo {
            description: format!("{} (cumulative)", all[i].description),
            ..all[i].clone()
        })
        .collect();
    out.push(info(
        "seat_occupancy",
        "share",
        "share of open enclave seats in use (average over the bin)",
    ));
    out.push(info(
        "seat_queue",
        "projects",
        "candidates waiting for a seat (end of bin)",
    ));
    out.push(info(
        "landed_home_paper",
        "projects",
        "landings on paper: shell firms (cumulative)",
    ));
    for stage in &scenario.stages {
        out.push(MetricInfo {
            name: format!("in_stage.{}", stage.name),
            unit: "projects",
            description: format!("projects in stage {} (end of bin)", stage.name),
        });
    }
    if scenario.economics.is_some() {
        out.push(info(
            "output_yuan",
            "yuan",
            "output of industrialized firms (cumulative)",
        ));
        out.push(info("home_tax_yuan", "yuan", "home cities' tax income (cumulative)"));
        out.push(info("cost_yuan", "yuan", "home budget outlay (cumulative)"));
        out.push(info("jobs", "jobs", "jobs in industrialized firms (end of bin)"));
        for party in parties(scenario) {
            out.push(MetricInfo {
                name: format!("tax_yuan.{party}"),
                unit: "yuan",
                description: format!("tax going to {party} (cumulative)"),
            });
        }
        out.push(info(
            "paid_back",
            "share",
            "1 once cumulative home tax has covered cumulative cost, else 0 (the mean is the share paid back)",
        ));
    }
    // Last, so that the other columns keep their offsets; indexed by months taken, not
    // by calendar time.
    out.push(info(
        series::LANDING_TIMES,
        "projects",
        "real landings by months from admission to landing (a histogram: the bin is the months taken)",
    ));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn series_columns_match_their_offsets() {
        let text = std::fs::read_to_string("scenarios/dazu-chengdu.toml").unwrap();
        let sc = crate::scenario::Scenario::from_toml("dazu-chengdu.toml", &text).unwrap();
        let all = super::series(&sc);
        assert_eq!(all[series::SEAT_OCCUPANCY].name, "seat_occupancy");
        assert_eq!(all[series::SEAT_QUEUE].name, "seat_queue");
        assert_eq!(all[series::PAPER_LANDINGS].name, "landed_home_paper");
        assert_eq!(all[series::FIRST_STAGE].name, "in_stage.incubation");
        assert_eq!(all[series::FIRST_STAGE + sc.stages.len()].name, "output_yuan");
        assert_eq!(all.last().unwrap().name, series::LANDING_TIMES);
        let totals = totals_for(&sc);
        assert_eq!(totals[first_stage_entry_total(&sc)].name, "entered_stage.incubation");
        assert_eq!(totals.len(), first_stage_entry_total(&sc) + sc.stages.len());
    }

    #[test]
    fn every_direction_names_a_total() {
        let all = totals();
        for (name, _) in BETTER {
            assert!(all.iter().any(|m| m.name == name), "{name} is not a total");
        }
        assert_eq!(better("landing_rate"), Some(Better::Higher));
        assert_eq!(better("cost_per_real_landing_yuan"), Some(Better::Lower));
        assert_eq!(better("admitted"), None);
    }

    #[test]
    fn the_catalogue_has_one_entry_per_total_with_unique_names() {
        let all = totals();
        assert_eq!(all.len(), total::COUNT);
        let mut names: Vec<&str> = all.iter().map(|m| m.name.as_str()).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), total::COUNT);
        assert_eq!(all[total::STRANDED].name, "stranded");
        assert_eq!(all[total::FUND_INVESTMENTS].name, "fund_investments");
        assert_eq!(all[total::PAYBACK_MONTH].name, "payback_month");
    }
}
