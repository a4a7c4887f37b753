//! The catalogue of what one replication reports: totals (one number per replication)
//! and series (one number per time bin). Names here are the names in result files.
//!
//! Each fixed total is a [`Total`]; its index, name, unit, meaning and better direction
//! come from one row of [`CATALOGUE`], checked at compile time to sit at the variant's
//! index, so they cannot drift apart.

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

/// The fixed per-replication totals; a variant's discriminant is its index in
/// [`crate::model::Outcome::totals`]. Per-party tax and per-stage entries follow them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(usize)]
pub enum Total {
    /// Candidates arriving in the host cities, from flows and bursts (met or not).
    HostCandidates,
    /// Candidates met by an enclave's scouts.
    Candidates,
    /// Candidates screened out below the admission bar.
    Rejected,
    /// Candidates that took a seat.
    Admitted,
    /// Candidates turned away by full seats or who gave up waiting.
    TurnedAway,
    /// Projects that started the first home stage.
    LandedHome,
    /// Projects that settled in the host city.
    LeakedHost,
    /// Projects that went elsewhere.
    LeakedElsewhere,
    /// Projects that failed a stage.
    Failed,
    /// Projects that finished the last stage.
    Completed,
    /// Candidates still waiting or in a stage at the end.
    InProgress,
    /// landed_home / admitted.
    LandingRate,
    /// Mean months from admission to landing.
    MonthsToLanding,
    /// Time-average share of open seats in use.
    SeatOccupancy,
    /// Time-average number of seats in use.
    SeatsBusy,
    /// Time-average number of candidates waiting for a seat.
    SeatQueue,
    /// Mean months a seated project waited for its seat.
    QueueWaitMonths,
    /// Mean months a project held its seat.
    SeatMonths,
    /// Real landings: projects that started the first home stage.
    LandedHomeReal,
    /// Landings on paper: shell firms registered to meet a target, with no output.
    LandedHomePaper,
    /// Output of industrialized firms over the horizon, yuan.
    OutputYuan,
    /// Tax on that output, all parties, yuan.
    TaxYuan,
    /// The home cities' part of that tax, yuan.
    HomeTaxYuan,
    /// Jobs in industrialized firms at the horizon.
    Jobs,
    /// Everything the home budget paid, yuan.
    CostYuan,
    /// Landing subsidies paid (real and paper landings), yuan.
    SubsidyYuan,
    /// Cost per real landing, yuan.
    CostPerRealLandingYuan,
    /// Month at whose bin end home tax income first covers the outlay.
    PaybackMonth,
    /// 1 when the outlay was paid back within the horizon, else 0.
    PaidBack,
    /// Projects stranded when cooperation broke down and their enclave closed.
    Stranded,
    /// Government money the funds invested, yuan.
    FundDeployedYuan,
    /// Social co-investment drawn in alongside, yuan.
    SocialCapitalYuan,
    /// Investment that investees brought home on landing, yuan.
    ReturnInvestmentYuan,
    /// Government money lost in investees that failed, yuan.
    FundLossesYuan,
    /// Projects the funds invested in.
    FundInvestments,
    /// Candidates met by an enclave who chose a rival enclave instead.
    LostToRivals,
    /// Innovation vouchers spent, yuan.
    VouchersYuan,
    /// Projects that received a voucher.
    VoucherProjects,
    /// Candidates turned away at once by full seats.
    Blocked,
    /// Candidates who gave up waiting for a seat.
    Abandoned,
    /// blocked / candidates that asked for a seat.
    BlockedShare,
    /// abandoned / candidates that asked for a seat.
    AbandonedShare,
    /// Share of admitted candidates who waited in the queue for their seat.
    QueuedShare,
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

/// One row of the catalogue: everything known about a fixed total.
#[derive(Clone, Copy, Debug)]
pub struct TotalSpec {
    /// The total this row describes (its index is the row's position).
    pub total: Total,
    /// Name used in result files.
    pub name: &'static str,
    /// Unit of the value.
    pub unit: &'static str,
    /// One-line meaning.
    pub description: &'static str,
    /// Which way is better from the home city's point of view; `None` for volumes whose
    /// size is a choice rather than a result (such as `admitted`).
    pub better: Option<Better>,
}

const fn row(
    total: Total,
    name: &'static str,
    unit: &'static str,
    description: &'static str,
    better: Option<Better>,
) -> TotalSpec {
    TotalSpec {
        total,
        name,
        unit,
        description,
        better,
    }
}

use Better::{Higher, Lower};

/// Every fixed total, in index order.
pub const CATALOGUE: [TotalSpec; Total::COUNT] = [
    row(
        Total::HostCandidates,
        "host_candidates",
        "projects",
        "candidate projects arriving in the host cities (flows and bursts)",
        None,
    ),
    row(
        Total::Candidates,
        "candidates",
        "projects",
        "candidates met by an enclave's scouts",
        Some(Higher),
    ),
    row(
        Total::Rejected,
        "rejected",
        "projects",
        "candidates screened out below the admission bar",
        None,
    ),
    row(
        Total::Admitted,
        "admitted",
        "projects",
        "candidates that took an enclave seat",
        None,
    ),
    row(
        Total::TurnedAway,
        "turned_away",
        "projects",
        "candidates turned away by full seats or who gave up waiting",
        Some(Lower),
    ),
    row(
        Total::LandedHome,
        "landed_home",
        "projects",
        "landings reported at home: real plus paper",
        None,
    ),
    row(
        Total::LeakedHost,
        "leaked_host",
        "projects",
        "projects that settled in the host city",
        Some(Lower),
    ),
    row(
        Total::LeakedElsewhere,
        "leaked_elsewhere",
        "projects",
        "projects that went to a third place",
        Some(Lower),
    ),
    row(
        Total::Failed,
        "failed",
        "projects",
        "projects that failed a stage",
        None,
    ),
    row(
        Total::Completed,
        "completed",
        "projects",
        "projects that finished the last stage",
        Some(Higher),
    ),
    row(
        Total::InProgress,
        "in_progress",
        "projects",
        "candidates still queued or in a stage at the end",
        None,
    ),
    row(
        Total::LandingRate,
        "landing_rate",
        "share",
        "landed at home / admitted",
        Some(Higher),
    ),
    row(
        Total::MonthsToLanding,
        "months_to_landing",
        "months",
        "mean time from admission to landing",
        Some(Lower),
    ),
    row(
        Total::SeatOccupancy,
        "seat_occupancy",
        "share",
        "time-average share of open enclave seats in use",
        None,
    ),
    row(
        Total::SeatsBusy,
        "seats_busy",
        "seats",
        "time-average number of enclave seats in use",
        None,
    ),
    row(
        Total::SeatQueue,
        "seat_queue",
        "projects",
        "time-average number of candidates waiting for a seat",
        Some(Lower),
    ),
    row(
        Total::QueueWaitMonths,
        "queue_wait_months",
        "months",
        "mean wait for a seat among projects that got one",
        Some(Lower),
    ),
    row(
        Total::SeatMonths,
        "seat_months",
        "months",
        "mean time a project held its seat",
        None,
    ),
    row(
        Total::LandedHomeReal,
        "landed_home_real",
        "projects",
        "real landings: projects that started the first home stage",
        Some(Higher),
    ),
    row(
        Total::LandedHomePaper,
        "landed_home_paper",
        "projects",
        "landings on paper: shell firms with no output",
        Some(Lower),
    ),
    row(
        Total::OutputYuan,
        "output_yuan",
        "yuan",
        "output of industrialized firms over the horizon",
        Some(Higher),
    ),
    row(
        Total::TaxYuan,
        "tax_yuan",
        "yuan",
        "tax on that output, all parties",
        Some(Higher),
    ),
    row(
        Total::HomeTaxYuan,
        "home_tax_yuan",
        "yuan",
        "the home cities' share of that tax",
        Some(Higher),
    ),
    row(
        Total::Jobs,
        "jobs",
        "jobs",
        "jobs in industrialized firms at the horizon",
        Some(Higher),
    ),
    row(
        Total::CostYuan,
        "cost_yuan",
        "yuan",
        "home budget outlay: rent, operator fees, landing subsidies, vouchers, fund losses",
        Some(Lower),
    ),
    row(
        Total::SubsidyYuan,
        "subsidy_yuan",
        "yuan",
        "landing subsidies paid, real and paper landings",
        None,
    ),
    row(
        Total::CostPerRealLandingYuan,
        "cost_per_real_landing_yuan",
        "yuan",
        "outlay per real landing",
        Some(Lower),
    ),
    row(
        Total::PaybackMonth,
        "payback_month",
        "months",
        "month by which home tax income covers the outlay (replications that paid back)",
        Some(Lower),
    ),
    row(
        Total::PaidBack,
        "paid_back",
        "share",
        "share of replications whose outlay is paid back within the horizon",
        Some(Higher),
    ),
    row(
        Total::Stranded,
        "stranded",
        "projects",
        "projects stranded when cooperation broke down and their enclave closed",
        Some(Lower),
    ),
    row(
        Total::FundDeployedYuan,
        "fund_deployed_yuan",
        "yuan",
        "government money the funds invested",
        None,
    ),
    row(
        Total::SocialCapitalYuan,
        "social_capital_yuan",
        "yuan",
        "social co-investment drawn in alongside",
        None,
    ),
    row(
        Total::ReturnInvestmentYuan,
        "return_investment_yuan",
        "yuan",
        "investment that investees brought home on landing",
        Some(Higher),
    ),
    row(
        Total::FundLossesYuan,
        "fund_losses_yuan",
        "yuan",
        "government money lost in investees that failed",
        Some(Lower),
    ),
    row(
        Total::FundInvestments,
        "fund_investments",
        "projects",
        "projects the funds invested in",
        None,
    ),
    row(
        Total::LostToRivals,
        "lost_to_rivals",
        "projects",
        "candidates met by an enclave who chose a rival enclave",
        Some(Lower),
    ),
    row(
        Total::VouchersYuan,
        "vouchers_yuan",
        "yuan",
        "innovation vouchers spent",
        None,
    ),
    row(
        Total::VoucherProjects,
        "voucher_projects",
        "projects",
        "projects that received an innovation voucher",
        None,
    ),
    row(
        Total::Blocked,
        "blocked",
        "projects",
        "candidates turned away at once because every seat was taken",
        Some(Lower),
    ),
    row(
        Total::Abandoned,
        "abandoned",
        "projects",
        "candidates who gave up waiting for a seat",
        Some(Lower),
    ),
    row(
        Total::BlockedShare,
        "blocked_share",
        "share",
        "blocked / candidates that asked for a seat",
        Some(Lower),
    ),
    row(
        Total::AbandonedShare,
        "abandoned_share",
        "share",
        "abandoned / candidates that asked for a seat",
        Some(Lower),
    ),
    row(
        Total::QueuedShare,
        "queued_share",
        "share",
        "admitted candidates who waited in the queue for their seat / admitted",
        Some(Lower),
    ),
];

// A row out of place would give a total another's name: refuse to compile.
const _: () = {
    let mut i = 0;
    while i < Total::COUNT {
        assert!(CATALOGUE[i].total as usize == i);
        i += 1;
    }
};

impl Total {
    /// Number of fixed totals; per-party tax totals follow.
    pub const COUNT: usize = Total::QueuedShare as usize + 1;

    /// Index in [`crate::model::Outcome::totals`].
    #[inline]
    pub const fn index(self) -> usize {
        self as usize
    }

    /// The catalogue row of this total.
    pub const fn spec(self) -> &'static TotalSpec {
        &CATALOGUE[self as usize]
    }

    /// Name used in result files.
    pub const fn name(self) -> &'static str {
        self.spec().name
    }
}

/// Totals that a mechanism reports only when a scenario switches it on, so that the
/// files of scenarios without it keep their bytes. They follow the per-stage entries in
/// [`totals_for`], in this order, each present when its catalogue row's `is_on` says so;
/// [`crate::model::Prepared`] knows each one's slot.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(usize)]
pub enum Optional {
    /// Operators' performance fees paid per real landing, yuan.
    OperatorLandingFeesYuan,
    /// Established firms that moved to a home city.
    RelocationsIn,
    /// Established firms that moved away from a home city.
    RelocationsOut,
    /// Output of firms that moved to a home city, from their move to the horizon, yuan.
    RelocationOutputInYuan,
    /// Output of firms that left a home city, in their new place, to the horizon, yuan.
    RelocationOutputOutYuan,
    /// Tax increment of relocated firms, all parties (part of `tax_yuan`), yuan.
    RelocationTaxYuan,
    /// The home cities' part of it (part of `home_tax_yuan`), yuan.
    RelocationHomeTaxYuan,
    /// Licences from host teams to home firms.
    Licences,
    /// Value of those licences to the home firms, yuan.
    LicenceValueYuan,
    /// Home tax on that value, yuan.
    LicenceHomeTaxYuan,
    /// Needs posted by home firms in 揭榜挂帅 rounds.
    ChallengeNeedsPosted,
    /// Needs solved by host teams by the horizon.
    ChallengeNeedsSolved,
    /// Awards the home cities paid for solved needs (part of `cost_yuan`), yuan.
    ChallengeAwardsYuan,
    /// Value of the solved needs to the home firms, yuan.
    ChallengeValueYuan,
    /// Month of the first breakdown of a link (NaN without one), with governance.
    BreakdownMonth,
    /// Links whose cooperation broke down, with governance.
    Breakdowns,
    /// Months the links' cooperation lasted within the run, summed over links.
    CooperationMonths,
    /// What the home cities' talent programmes cost, yuan.
    TalentCostYuan,
    /// Candidates brought by jointly trained graduates.
    GraduateCandidates,
    /// What the joint risk fund paid, yuan.
    RiskFundPaidYuan,
    /// The part of it paid to the backers of projects that failed before landing, yuan.
    RiskFundCompensationYuan,
    /// Social capital of follow-on rounds drawn by investees that landed, yuan.
    FollowOnCapitalYuan,
    /// Funds' exits from investees.
    FundExits,
    /// Government money the funds got back from exits, yuan.
    FundExitProceedsYuan,
    /// Government money still held in investees at the end, yuan.
    FundHeldYuan,
    /// Exits that were listings (IPOs).
    Listings,
    /// Share of the funds' return-investment quotas met.
    ReturnQuotaMet,
}

/// One row of the optional catalogue: a total and when the scenario reports it.
#[derive(Clone, Copy, Debug)]
pub struct OptionalSpec {
    /// The total this row describes (its index is the row's position).
    pub total: Optional,
    /// Name, unit, meaning and better direction, as for a fixed total.
    pub name: &'static str,
    /// Unit of the value.
    pub unit: &'static str,
    /// One-line meaning.
    pub description: &'static str,
    /// Which way is better from the home city's point of view.
    pub better: Option<Better>,
    /// Whether `scenario` switches on the mechanism that reports the total.
    pub is_on: fn(&Scenario) -> bool,
}

/// Every optional total, in index order.
pub const OPTIONAL: [OptionalSpec; Optional::COUNT] = [
    OptionalSpec {
        total: Optional::OperatorLandingFeesYuan,
        name: "operator_landing_fees_yuan",
        unit: "yuan",
        description: "operators' performance fees paid per real landing (part of cost_yuan)",
        better: None,
        is_on: |sc| sc.enclaves.iter().any(|e| e.operator.reports_landing_fees),
    },
    optional(
        Optional::RelocationsIn,
        "relocations_in",
        "firms",
        "established firms that moved to a home city",
        Some(Higher),
        relocates,
    ),
    optional(
        Optional::RelocationsOut,
        "relocations_out",
        "firms",
        "established firms that moved away from a home city",
        Some(Lower),
        relocates,
    ),
    optional(
        Optional::RelocationOutputInYuan,
        "relocation_output_in_yuan",
        "yuan",
        "output of firms that moved to a home city, from their move to the horizon (not in output_yuan)",
        Some(Higher),
        relocates,
    ),
    optional(
        Optional::RelocationOutputOutYuan,
        "relocation_output_out_yuan",
        "yuan",
        "output of firms that left a home city, made in their new place from their move to the horizon",
        Some(Lower),
        relocates,
    ),
    optional(
        Optional::RelocationTaxYuan,
        "relocation_tax_yuan",
        "yuan",
        "tax increment of relocated firms in their new place, all parties (part of tax_yuan)",
        None,
        relocates,
    ),
    optional(
        Optional::RelocationHomeTaxYuan,
        "relocation_home_tax_yuan",
        "yuan",
        "the home cities' share of the relocated firms' tax increment (part of home_tax_yuan)",
        Some(Higher),
        relocates,
    ),
    optional(
        Optional::Licences,
        "licences",
        "licences",
        "projects settling in the host that licensed their result to a home firm",
        Some(Higher),
        transfers,
    ),
    optional(
        Optional::LicenceValueYuan,
        "licence_value_yuan",
        "yuan",
        "value of those licences to the home firms",
        Some(Higher),
        transfers,
    ),
    optional(
        Optional::LicenceHomeTaxYuan,
        "licence_home_tax_yuan",
        "yuan",
        "home tax on the licences' value (not in home_tax_yuan)",
        Some(Higher),
        transfers,
    ),
    optional(
        Optional::ChallengeNeedsPosted,
        "challenge_needs_posted",
        "needs",
        "technology needs home firms posted in 揭榜挂帅 rounds",
        None,
        challenges,
    ),
    optional(
        Optional::ChallengeNeedsSolved,
        "challenge_needs_solved",
        "needs",
        "posted needs that host teams solved, accepted by the horizon",
        Some(Higher),
        challenges,
    ),
    optional(
        Optional::ChallengeAwardsYuan,
        "challenge_awards_yuan",
        "yuan",
        "awards the home cities paid for solved needs (part of cost_yuan)",
        None,
        challenges,
    ),
    optional(
        Optional::ChallengeValueYuan,
        "challenge_value_yuan",
        "yuan",
        "value of the solved needs to the home firms",
        Some(Higher),
        challenges,
    ),
    OptionalSpec {
        total: Optional::BreakdownMonth,
        name: "breakdown_month",
        unit: "months",
        description: "month the cooperation first broke down on a link (replications with a breakdown)",
        better: Some(Higher),
        is_on: governed,
    },
    OptionalSpec {
        total: Optional::Breakdowns,
        name: "breakdowns",
        unit: "links",
        description: "links whose cooperation broke down within the run",
        better: Some(Lower),
        is_on: governed,
    },
    OptionalSpec {
        total: Optional::CooperationMonths,
        name: "cooperation_months",
        unit: "months",
        description: "months the cooperation lasted within the run, summed over links",
        better: Some(Higher),
        is_on: governed,
    },
    OptionalSpec {
        total: Optional::TalentCostYuan,
        name: "talent_cost_yuan",
        unit: "yuan",
        description: "home budget outlay on experts, commuters and graduates (part of cost_yuan)",
        better: None,
        is_on: |sc| sc.cities.iter().any(|c| c.talent.is_some()),
    },
    OptionalSpec {
        total: Optional::GraduateCandidates,
        name: "graduate_candidates",
        unit: "projects",
        description: "candidates brought to the enclave by jointly trained graduates",
        better: Some(Higher),
        is_on: |sc| sc.cities.iter().any(|c| c.talent.is_some()),
    },
    OptionalSpec {
        total: Optional::RiskFundPaidYuan,
        name: "risk_fund_paid_yuan",
        unit: "yuan",
        description: "what the joint risk fund paid (fund losses, subsidies and backers' losses it covered)",
        better: None,
        is_on: |sc| sc.risk_fund.is_some(),
    },
    OptionalSpec {
        total: Optional::RiskFundCompensationYuan,
        name: "risk_fund_compensation_yuan",
        unit: "yuan",
        description: "the part of it paid to the backers of projects that failed before landing",
        better: None,
        is_on: |sc| sc.risk_fund.is_some(),
    },
    OptionalSpec {
        total: Optional::FollowOnCapitalYuan,
        name: "follow_on_capital_yuan",
        unit: "yuan",
        description: "social capital of follow-on rounds drawn by fund investees that landed",
        better: Some(Better::Higher),
        is_on: |sc| sc.funds.iter().any(|f| f.follow_on.is_some()),
    },
    OptionalSpec {
        total: Optional::FundExits,
        name: "fund_exits",
        unit: "projects",
        description: "investees the funds exited by the end",
        better: None,
        is_on: |sc| sc.funds.iter().any(|f| f.exit_after.is_some()),
    },
    OptionalSpec {
        total: Optional::FundExitProceedsYuan,
        name: "fund_exit_proceeds_yuan",
        unit: "yuan",
        description: "government money the funds got back from exits",
        better: Some(Better::Higher),
        is_on: |sc| sc.funds.iter().any(|f| f.exit_after.is_some()),
    },
    OptionalSpec {
        total: Optional::FundHeldYuan,
        name: "fund_held_yuan",
        unit: "yuan",
        description: "government money still held in investees at the end (not exited, not lost)",
        better: None,
        is_on: |sc| sc.funds.iter().any(|f| f.exit_after.is_some()),
    },
    OptionalSpec {
        total: Optional::Listings,
        name: "listings",
        unit: "projects",
        description: "fund exits that were listings (IPOs)",
        better: Some(Better::Higher),
        // With exits, like the other exit totals: a listing chance swept from 0 keeps
        // the layout of every point.
        is_on: |sc| sc.funds.iter().any(|f| f.exit_after.is_some()),
    },
    OptionalSpec {
        total: Optional::ReturnQuotaMet,
        name: "return_quota_met",
        unit: "share",
        description: "share of the funds' return-investment quotas met by the end (1 = every quota met)",
        better: Some(Better::Higher),
        is_on: |sc| sc.funds.iter().any(|f| f.return_quota.is_some()),
    },
];

/// One optional row: a total, its words and direction, and when a scenario reports it.
const fn optional(
    total: Optional,
    name: &'static str,
    unit: &'static str,
    description: &'static str,
    better: Option<Better>,
    is_on: fn(&Scenario) -> bool,
) -> OptionalSpec {
    OptionalSpec {
        total,
        name,
        unit,
        description,
        better,
        is_on,
    }
}

/// Whether `scenario` has a `[[relocation]]`.
fn relocates(scenario: &Scenario) -> bool {
    !scenario.relocations.is_empty()
}

/// Whether `scenario` has a `[transfer]`.
fn transfers(scenario: &Scenario) -> bool {
    scenario.transfer.is_some()
}

/// Whether `scenario` has a `[[challenge]]`.
fn challenges(scenario: &Scenario) -> bool {
    !scenario.challenges.is_empty()
}

/// Whether some link of `scenario` has a `[link.governance]` table.
fn governed(scenario: &Scenario) -> bool {
    scenario.links.iter().any(|l| l.governance.is_some())
}

const _: () = {
    let mut i = 0;
    while i < Optional::COUNT {
        assert!(OPTIONAL[i].total as usize == i, "optional catalogue row out of place");
        i += 1;
    }
};

impl Optional {
    /// Number of optional totals.
    pub const COUNT: usize = Optional::ReturnQuotaMet as usize + 1;

    /// The catalogue row of this total.
    pub const fn spec(self) -> &'static OptionalSpec {
        &OPTIONAL[self as usize]
    }

    /// Whether `scenario` reports this total.
    pub fn is_on(self, scenario: &Scenario) -> bool {
        (self.spec().is_on)(scenario)
    }
}

/// Slot in [`totals_for`] of each optional total `scenario` reports, indexed by
/// [`Optional`] (`None` when off).
pub fn optional_slots(scenario: &Scenario) -> [Option<usize>; Optional::COUNT] {
    let mut next = first_occupancy_total(scenario) + occupancy_totals(scenario).len();
    let mut slots = [None; Optional::COUNT];
    for (slot, row) in slots.iter_mut().zip(&OPTIONAL) {
        if (row.is_on)(scenario) {
            *slot = Some(next);
            next += 1;
        }
    }
    slots
}

/// Indices of the per-replication totals, for callers that index
/// [`crate::model::Outcome::totals`] by number; each is its [`Total`]'s index.
pub mod total {
    use super::Total;

    /// Candidates arriving in the host cities, from flows and bursts (met or not).
    pub const HOST_CANDIDATES: usize = Total::HostCandidates.index();
    /// Candidates met by an enclave's scouts.
    pub const CANDIDATES: usize = Total::Candidates.index();
    /// Candidates screened out below the admission bar.
    pub const REJECTED: usize = Total::Rejected.index();
    /// Candidates that took a seat.
    pub const ADMITTED: usize = Total::Admitted.index();
    /// Candidates turned away by full seats or who gave up waiting.
    pub const TURNED_AWAY: usize = Total::TurnedAway.index();
    /// Projects that started the first home stage.
    pub const LANDED_HOME: usize = Total::LandedHome.index();
    /// Projects that settled in the host city.
    pub const LEAKED_HOST: usize = Total::LeakedHost.index();
    /// Projects that went elsewhere.
    pub const LEAKED_ELSEWHERE: usize = Total::LeakedElsewhere.index();
    /// Projects that failed a stage.
    pub const FAILED: usize = Total::Failed.index();
    /// Projects that finished the last stage.
    pub const COMPLETED: usize = Total::Completed.index();
    /// Candidates still waiting or in a stage at the end.
    pub const IN_PROGRESS: usize = Total::InProgress.index();
    /// landed_home / admitted.
    pub const LANDING_RATE: usize = Total::LandingRate.index();
    /// Mean months from admission to landing.
    pub const MONTHS_TO_LANDING: usize = Total::MonthsToLanding.index();
    /// Time-average share of open seats in use.
    pub const SEAT_OCCUPANCY: usize = Total::SeatOccupancy.index();
    /// Time-average number of seats in use.
    pub const SEATS_BUSY: usize = Total::SeatsBusy.index();
    /// Time-average number of candidates waiting for a seat.
    pub const SEAT_QUEUE: usize = Total::SeatQueue.index();
    /// Mean months a seated project waited for its seat.
    pub const QUEUE_WAIT_MONTHS: usize = Total::QueueWaitMonths.index();
    /// Mean months a project held its seat.
    pub const SEAT_MONTHS: usize = Total::SeatMonths.index();
    /// Real landings: projects that started the first home stage.
    pub const LANDED_HOME_REAL: usize = Total::LandedHomeReal.index();
    /// Landings on paper: shell firms registered to meet a target, with no output.
    pub const LANDED_HOME_PAPER: usize = Total::LandedHomePaper.index();
    /// Output of industrialized firms over the horizon, yuan.
    pub const OUTPUT_YUAN: usize = Total::OutputYuan.index();
    /// Tax on that output, all parties, yuan.
    pub const TAX_YUAN: usize = Total::TaxYuan.index();
    /// The home cities' part of that tax, yuan.
    pub const HOME_TAX_YUAN: usize = Total::HomeTaxYuan.index();
    /// Jobs in industrialized firms at the horizon.
    pub const JOBS: usize = Total::Jobs.index();
    /// Everything the home budget paid, yuan.
    pub const COST_YUAN: usize = Total::CostYuan.index();
    /// Landing subsidies paid (real and paper landings), yuan.
    pub const SUBSIDY_YUAN: usize = Total::SubsidyYuan.index();
    /// Cost per real landing, yuan.
    pub const COST_PER_REAL_LANDING_YUAN: usize = Total::CostPerRealLandingYuan.index();
    /// Month at whose bin end home tax income first covers the outlay.
    pub const PAYBACK_MONTH: usize = Total::PaybackMonth.index();
    /// 1 when the outlay was paid back within the horizon, else 0.
    pub const PAID_BACK: usize = Total::PaidBack.index();
    /// Projects stranded when cooperation broke down and their enclave closed.
    pub const STRANDED: usize = Total::Stranded.index();
    /// Government money the funds invested, yuan.
    pub const FUND_DEPLOYED_YUAN: usize = Total::FundDeployedYuan.index();
    /// Social co-investment drawn in alongside, yuan.
    pub const SOCIAL_CAPITAL_YUAN: usize = Total::SocialCapitalYuan.index();
    /// Investment that investees brought home on landing, yuan.
    pub const RETURN_INVESTMENT_YUAN: usize = Total::ReturnInvestmentYuan.index();
    /// Government money lost in investees that failed, yuan.
    pub const FUND_LOSSES_YUAN: usize = Total::FundLossesYuan.index();
    /// Projects the funds invested in.
    pub const FUND_INVESTMENTS: usize = Total::FundInvestments.index();
    /// Candidates met by an enclave who chose a rival enclave instead.
    pub const LOST_TO_RIVALS: usize = Total::LostToRivals.index();
    /// Innovation vouchers spent, yuan.
    pub const VOUCHERS_YUAN: usize = Total::VouchersYuan.index();
    /// Projects that received a voucher.
    pub const VOUCHER_PROJECTS: usize = Total::VoucherProjects.index();
    /// Candidates turned away at once because every seat was taken.
    pub const BLOCKED: usize = Total::Blocked.index();
    /// Candidates who gave up waiting for a seat.
    pub const ABANDONED: usize = Total::Abandoned.index();
    /// blocked / candidates that asked for a seat.
    pub const BLOCKED_SHARE: usize = Total::BlockedShare.index();
    /// abandoned / candidates that asked for a seat.
    pub const ABANDONED_SHARE: usize = Total::AbandonedShare.index();
    /// Share of admitted candidates who waited in the queue for their seat.
    pub const QUEUED_SHARE: usize = Total::QueuedShare.index();
    /// Number of fixed totals; per-party tax totals follow.
    pub const COUNT: usize = Total::COUNT;
}

/// The fixed per-replication totals, indexed by [`Total`].
pub fn totals() -> Vec<MetricInfo> {
    CATALOGUE.iter().map(|r| info(r.name, r.unit, r.description)).collect()
}

/// Every total for `scenario`: the fixed ones, the tax of each party, the projects that
/// entered each stage (the pipeline funnel), then the optional totals it switches on.
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
    out.extend(occupancy_totals(scenario));
    for row in OPTIONAL.iter().filter(|r| (r.is_on)(scenario)) {
        out.push(info(row.name, row.unit, row.description));
    }
    let parties = party_names(scenario);
    for party in &parties {
        out.push(MetricInfo {
            name: format!("cost_yuan.{party}"),
            unit: "yuan",
            description: format!("what {party} paid (see docs/scenario.md 7.1)"),
        });
    }
    for party in &parties {
        out.push(MetricInfo {
            name: format!("benefit_yuan.{party}"),
            unit: "yuan",
            description: format!("what {party} gained (see docs/scenario.md 7.1)"),
        });
    }
    out
}

/// Time averages of each stage, each limited home stage and (with several) each
/// enclave, in the order [`totals_for`] lists them after the per-stage entries.
fn occupancy_totals(scenario: &Scenario) -> Vec<MetricInfo> {
    let mut out = Vec::new();
    for stage in &scenario.stages {
        out.push(MetricInfo {
            name: format!("in_stage_average.{}", stage.name),
            unit: "projects",
            description: format!("projects in stage {} (time average)", stage.name),
        });
    }
    for s in limited_stages(scenario) {
        let name = &scenario.stages[s].name;
        out.push(MetricInfo {
            name: format!("stage_occupancy.{name}"),
            unit: "share",
            description: format!("share of the home cities' {name} slots in use (time average)"),
        });
        out.push(MetricInfo {
            name: format!("stage_queue.{name}"),
            unit: "projects",
            description: format!("projects waiting for a {name} slot at home (time average)"),
        });
    }
    if scenario.enclaves.len() > 1 {
        for enclave in &scenario.enclaves {
            out.push(MetricInfo {
                name: format!("seat_occupancy.{}", enclave.id),
                unit: "share",
                description: format!("share of {}'s open seats in use (time average)", enclave.name),
            });
            out.push(MetricInfo {
                name: format!("seat_queue.{}", enclave.id),
                unit: "projects",
                description: format!("candidates waiting for a seat in {} (time average)", enclave.name),
            });
        }
    }
    out
}

/// Home stages whose slots some city limits (`capacity`), in stage order.
pub fn limited_stages(scenario: &Scenario) -> Vec<usize> {
    (0..scenario.stages.len())
        .filter(|&s| {
            scenario.stages[s].place == crate::scenario::Place::Home
                && scenario.cities.iter().any(|c| c.capacity[s].is_some())
        })
        .collect()
}

/// Index in [`totals_for`] of the first occupancy total (`in_stage_average.<stage>`).
pub fn first_occupancy_total(scenario: &Scenario) -> usize {
    first_stage_entry_total(scenario) + scenario.stages.len()
}

/// The outlay of the marginal cost that comparisons and paired sweeps report: the home
/// budget outlay, whose paired difference is divided by [`MARGINAL_BENEFIT`]'s.
pub const MARGINAL_OUTLAY: &str = "cost_yuan";
/// The benefit of the marginal cost: real landings, so the ratio is the outlay of one
/// more real landing.
pub const MARGINAL_BENEFIT: &str = "landed_home_real";

/// Positions in `names` of [`MARGINAL_OUTLAY`] and [`MARGINAL_BENEFIT`], when both are
/// there: the pair whose paired differences give the marginal cost of a real landing.
pub fn marginal_indices(names: &[MetricInfo]) -> Option<(usize, usize)> {
    let position = |name: &str| names.iter().position(|m| m.name == name);
    position(MARGINAL_OUTLAY).zip(position(MARGINAL_BENEFIT))
}

/// Name of the social investors among the parties of the per-party totals.
pub const SOCIAL_CAPITAL: &str = "social_capital";

/// Parties of the per-party totals `cost_yuan.<party>` and `benefit_yuan.<party>`: with
/// `[economics]` and either `party_totals = true` or a joint risk fund, `home`, then the
/// other parties of `tax_split` and of the risk fund in the order written, then
/// `social_capital`; empty otherwise.
pub fn party_names(scenario: &Scenario) -> Vec<String> {
    let Some(economics) = &scenario.economics else {
        return Vec::new();
    };
    if !(economics.party_totals || scenario.risk_fund.is_some()) {
        return Vec::new();
    }
    let mut out = vec!["home".to_string()];
    let funded = scenario.risk_fund.iter().flat_map(|r| &r.parties);
    for party in economics.tax_split.parties.iter().chain(funded) {
        if !out.contains(party) {
            out.push(party.clone());
        }
    }
    out.push(SOCIAL_CAPITAL.to_string());
    out
}

/// Index in [`totals_for`] of the first `cost_yuan.<party>` total (the benefits follow
/// the costs, party for party); meaningful only when [`party_names`] is not empty.
pub fn first_party_total(scenario: &Scenario) -> usize {
    let optional = OPTIONAL.iter().filter(|r| (r.is_on)(scenario)).count();
    first_occupancy_total(scenario) + occupancy_totals(scenario).len() + optional
}

/// Index in [`totals_for`] of the first `entered_stage.<stage>` total.
pub fn first_stage_entry_total(scenario: &Scenario) -> usize {
    total::COUNT + parties(scenario).len()
}

/// Which way the total named `name` is better, or `None` when it has no clear direction
/// (or is neither a fixed nor an optional total).
pub fn better(name: &str) -> Option<Better> {
    match CATALOGUE.iter().find(|r| r.name == name) {
        Some(r) => r.better,
        None => OPTIONAL.iter().find(|r| r.name == name).and_then(|r| r.better),
    }
}

/// Tax-sharing parties of `scenario` (none when money is off).
fn parties(scenario: &Scenario) -> &[String] {
    scenario.economics.as_ref().map_or(&[], |e| &e.tax_split.parties)
}

/// Layout of the per-bin series: cumulative counts, then levels, then stage occupancy.
pub mod series {
    use super::Total;

    /// Counts cumulated to the end of each bin (same names as the totals).
    pub const COUNTS: [Total; 9] = [
        Total::Candidates,
        Total::Rejected,
        Total::Admitted,
        Total::TurnedAway,
        Total::LandedHome,
        Total::LeakedHost,
        Total::LeakedElsewhere,
        Total::Failed,
        Total::Completed,
    ];

    /// Column of the cumulative count of `total` in a series row; fails to compile when
    /// used in a constant for a total that is not one of [`COUNTS`].
    pub const fn column_of(total: Total) -> usize {
        let mut i = 0;
        while i < COUNTS.len() {
            if COUNTS[i] as usize == total as usize {
                return i;
            }
            i += 1;
        }
        panic!("the total is not a series count")
    }

    /// Offset of seat occupancy (time average within the bin).
    pub const SEAT_OCCUPANCY: usize = COUNTS.len();
    /// Offset of the seat queue length at the end of the bin.
    pub const SEAT_QUEUE: usize = COUNTS.len() + 1;
    /// Offset of the cumulative paper landings.
    pub const PAPER_LANDINGS: usize = COUNTS.len() + 2;
    /// Offset of the first stage's project count at the end of the bin.
    pub const FIRST_STAGE: usize = COUNTS.len() + 3;
    /// Name of the last series: a histogram of real landings by the months they took
    /// from admission. Its `bin`, `month_start` and `month_end` are months taken, not
    /// calendar time, and the name says so.
    pub const LANDING_TIMES: &str = "months_to_landing_histogram";
}

/// The per-bin series for `scenario`, in storage order.
pub fn series(scenario: &Scenario) -> Vec<MetricInfo> {
    let all = totals();
    let mut out: Vec<MetricInfo> = series::COUNTS
        .iter()
        .map(|&t| MetricInfo {
            description: format!("{} (cumulative)", all[t.index()].description),
            ..all[t.index()].clone()
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
        "real landings (measured, as in months_to_landing) that took the bin's months from admission to landing; the bin and its months are months taken, not calendar time",
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
        assert_eq!(totals[first_occupancy_total(&sc)].name, "in_stage_average.incubation");
        assert_eq!(
            totals.len(),
            first_occupancy_total(&sc) + sc.stages.len() + 2 * limited_stages(&sc).len()
        );
    }

    #[test]
    fn per_party_totals_follow_the_optional_ones_home_first_and_social_capital_last() {
        let text = std::fs::read_to_string("scenarios/dazu-chengdu.toml").unwrap();
        let sc = crate::scenario::Scenario::from_toml("dazu-chengdu.toml", &text).unwrap();
        assert!(party_names(&sc).is_empty());
        let text = text.replace("tax_split = {", "party_totals = true\ntax_split = {")
            + "[risk_fund]\nshares = { province = 1, home = 1 }\nsize_yuan = 1e6\ncover = 0.5\n";
        let sc = crate::scenario::Scenario::from_toml("dazu-chengdu.toml", &text).unwrap();
        assert_eq!(party_names(&sc), ["home", "host", "province", "social_capital"]);
        let totals = totals_for(&sc);
        let first = first_party_total(&sc);
        assert_eq!(totals[first - 1].name, "risk_fund_compensation_yuan");
        assert_eq!(totals[first].name, "cost_yuan.home");
        assert_eq!(totals[first + 4].name, "benefit_yuan.home");
        assert_eq!(totals.last().unwrap().name, "benefit_yuan.social_capital");
        assert_eq!(totals.len(), first + 8);
    }

    #[test]
    fn every_direction_names_a_total() {
        assert_eq!(CATALOGUE.iter().filter(|r| r.better.is_some()).count(), 28);
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
        assert_eq!(Total::LandedHome.name(), "landed_home");
        assert_eq!(series::column_of(Total::Admitted), 2);
    }
}
