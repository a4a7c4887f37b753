//! The scenario language: TOML text in, a validated [`Scenario`] out, or every problem
//! in the file reported with its location. Nothing downstream sees raw TOML or names:
//! cross-references are resolved to indices here.

mod overrides;
mod parse;

pub use overrides::{apply, lookup, overridden, read_key_path, with_overrides, KeyPath, OverrideError};
pub use parse::{lever_range, LeverRange, MAX_FLOWS, MAX_PLACES, MAX_STAGES};

pub use crate::input::{decode, nearest, Diagnostic, Diagnostics};

use crate::dist::Distribution;
use std::path::Path;

/// What a city does in the scenario.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Role {
    /// A research-rich city that hosts enclaves and produces candidate projects.
    Host,
    /// A city that runs enclaves elsewhere and wants projects to land at home.
    Home,
    /// Both at once (bidirectional enclaves).
    Both,
}

impl Role {
    /// Whether the city can host enclaves.
    pub fn hosts(self) -> bool {
        matches!(self, Role::Host | Role::Both)
    }

    /// Whether the city can own enclaves and receive landings.
    pub fn is_home(self) -> bool {
        matches!(self, Role::Home | Role::Both)
    }
}

/// A city.
#[derive(Clone, Debug)]
pub struct City {
    /// Short identifier used in the file.
    pub id: String,
    /// Display name (may be Chinese).
    pub name: String,
    /// Host, home or both.
    pub role: Role,
    /// Province (or provincial-level municipality).
    pub province: String,
    /// Metropolitan area, if any.
    pub metro: Option<String>,
    /// Industrial fit per sector in [0, 1], indexed like [`Scenario::sectors`].
    pub fit: Vec<f64>,
    /// Slots per stage at this city, indexed like [`Scenario::stages`]; `None` = unlimited.
    pub capacity: Vec<Option<u32>>,
    /// Subsidy a project receives for landing here, in yuan.
    pub landing_subsidy_yuan: f64,
    /// Rival enclaves of other homes in this host city that are not simulated one by one
    /// but still take their share of its candidates.
    pub rival_enclaves: u32,
    /// Attractiveness (utility) of each rival to a candidate.
    pub rival_attractiveness: f64,
    /// A yearly registration target that shell firms fill when real landings fall short
    /// (function alienation); `None` when the city sets no such target.
    pub registration_target: Option<RegistrationTarget>,
    /// The home city's talent programmes (`[city.talent]`), if any.
    pub talent: Option<Talent>,
}

/// A home city's talent programmes (docs/scenario.md, section 2.2): an expert pool of
/// "Sunday engineers" that raises the success of home stages, cross-city commuters who
/// pull graduates home, and joint graduate training that brings projects to the enclave.
#[derive(Clone, Debug)]
pub struct Talent {
    /// Experts in the pool (星期天工程师).
    pub experts: f64,
    /// Added to the log-odds of success of home stages per 100 experts.
    pub boost_per_100_experts: f64,
    /// Most the pool adds to those log-odds, however large.
    pub max_boost: f64,
    /// What the pool costs the home budget, yuan per expert per year.
    pub cost_yuan_per_expert_year: f64,
    /// People commuting between the home and the host city.
    pub commuters: f64,
    /// Added to the home utility of the landing choice per 1,000 commuters.
    pub pull_per_1000_commuters: f64,
    /// What the commuters' services cost the home budget, yuan per commuter per year.
    pub cost_yuan_per_commuter_year: f64,
    /// Graduates of the joint training programme per year.
    pub graduates_per_year: f64,
    /// Share of graduates who bring a project to the enclave.
    pub graduate_project_share: f64,
    /// What training one graduate costs the home budget, yuan.
    pub cost_yuan_per_graduate: f64,
    /// The enclave the graduates' projects join (the city's first, in file order);
    /// `None` when the city trains no graduates.
    pub graduate_enclave: Option<usize>,
    /// The sector of the graduates' projects.
    pub graduate_sector: usize,
}

impl Talent {
    /// The shift in log-odds of success the expert pool gives a home stage.
    pub fn success_boost(&self) -> f64 {
        (self.boost_per_100_experts * self.experts / 100.0).min(self.max_boost)
    }

    /// What the home utility of the landing choice gains from the commuters.
    pub fn commuter_pull(&self) -> f64 {
        self.pull_per_1000_commuters * self.commuters / 1000.0
    }

    /// Projects the graduates bring, per month.
    pub fn graduate_projects_per_month(&self) -> f64 {
        self.graduates_per_year * self.graduate_project_share / 12.0
    }

    /// What the programmes cost the home budget, yuan per month.
    pub fn cost_yuan_per_month(&self) -> f64 {
        (self.experts * self.cost_yuan_per_expert_year
            + self.commuters * self.cost_yuan_per_commuter_year
            + self.graduates_per_year * self.cost_yuan_per_graduate)
            / 12.0
    }
}

/// A yearly target of registered landings and how much of any shortfall is filled with
/// shell firms that exist on paper only.
#[derive(Clone, Debug)]
pub struct RegistrationTarget {
    /// Landings the city must report each year.
    pub per_year: f64,
    /// Share of the shortfall filled with shells (0–1).
    pub filled_by_shells: f64,
}

/// The relation between a home city and a host city.
#[derive(Clone, Debug)]
pub struct Link {
    /// Index of the home city.
    pub home: usize,
    /// Index of the host city.
    pub host: usize,
    /// Door-to-door travel time, hours.
    pub travel_hours: f64,
    /// Whether the enclave's firms get home-city treatment in the host (同城同待遇).
    pub same_city_treatment: bool,
    /// Administrative barrier: 0 in the same province, 0.5 across provinces within one
    /// metropolitan area, 1 otherwise.
    pub barrier: f64,
    /// Hazard of the cooperation breaking down, per month (0 = never). A breakdown closes
    /// the home's enclaves in the host and strands their projects.
    pub breakdown_per_month: f64,
    /// A month at which the cooperation breaks down for certain, if one is set (with a
    /// hazard too, the earlier breakdown closes the enclaves).
    pub breakdown_at: Option<f64>,
    /// How the cooperation is governed (`[link.governance]`), if the file says; `None`
    /// leaves the hazard and the barrier as written.
    pub governance: Option<Governance>,
}

/// A coordination body between a home and a host city.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Body {
    /// No standing body: the two governments deal case by case.
    None,
    /// A joint conference of the cities' leaders with an office (联席会议).
    JointConference,
    /// A standing joint committee with its own staff (联合管委会, 领导小组).
    JointCommittee,
}

impl Body {
    /// The bodies' names in a scenario file, in index order.
    pub const NAMES: [&'static str; 3] = ["none", "joint_conference", "joint_committee"];

    /// Index into per-body tables ([`Governance::hazard_factor`], [`Governance::barrier_factor`]).
    pub fn index(self) -> usize {
        self as usize
    }

    /// The body named `name` in a scenario file.
    pub fn from_name(name: &str) -> Option<Body> {
        match name {
            "none" => Some(Body::None),
            "joint_conference" => Some(Body::JointConference),
            "joint_committee" => Some(Body::JointCommittee),
            _ => None,
        }
    }
}

/// How a link's cooperation is governed: a coordination body and how fairly benefits are
/// shared with the host drive the breakdown hazard, and the body eases the host's
/// administrative friction (docs/scenario.md, section 2.3).
#[derive(Clone, Debug)]
pub struct Governance {
    /// The coordination body from month 0 (a [`Change`] may set another later).
    pub body: Body,
    /// Share of the landed firms' GDP the host may count in its statistics (统计分成).
    pub gdp_share_host: f64,
    /// The benefit share (tax share plus GDP share) the host expects from the deal.
    pub expected_host_share: f64,
    /// How steeply the hazard rises per unit of shortfall of the host's benefit share.
    pub fairness_sensitivity: f64,
    /// Factor on the hazard under each body, indexed by [`Body::index`] (1 for none).
    pub hazard_factor: [f64; 3],
    /// Factor on the link's administrative barrier under each body (1 for none).
    pub barrier_factor: [f64; 3],
}

/// What happens when a project needs a seat or slot and none is free.
#[derive(Clone, Debug)]
pub enum WhenFull {
    /// Wait in a first-come first-served queue; give up after `patience` (never if `None`).
    Queue {
        /// How long a project waits before giving up.
        patience: Option<Distribution>,
    },
    /// Turn the project away at once.
    TurnAway,
}

/// Who runs the enclave.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OperatorKind {
    /// The home government's platform company.
    Government,
    /// A professional operator (tech-transfer platform, incubation firm).
    Professional,
}

/// The enclave's operator and how it screens candidates.
#[derive(Clone, Debug)]
pub struct Operator {
    /// Government platform or professional operator.
    pub kind: OperatorKind,
    /// Standard deviation of the noise in the operator's reading of a project's quality,
    /// on the quality scale (the population's quality has mean 0 and sd 1; 0 = sees
    /// quality exactly).
    pub scouting_noise: f64,
    /// Admit only candidates whose read quality is at least this; `None` admits all.
    pub admission_bar: Option<f64>,
    /// The operator's fee, yuan per month, paid by the home city while the enclave is open.
    pub fee_yuan_per_month: f64,
    /// How far the operator lowers its bar when seats stand empty (real-estate drift):
    /// the bar falls by this times the share of empty seats. 0 = no drift.
    pub occupancy_drift: f64,
    /// Multiplies the enclave's `reach` (the result is at most 1): how widely the
    /// operator's scouts look. 1 = as the enclave's `reach` says.
    pub reach_factor: f64,
    /// The operator's services (mentoring, finance, market access): added to the log-odds
    /// of success of every enclave stage. 0 = no effect.
    pub services_boost: f64,
    /// The operator's fee per seat, yuan per seat per year, paid while the enclave is open.
    pub fee_yuan_per_seat_year: f64,
    /// The operator's performance fee, yuan per real landing at home.
    pub fee_yuan_per_landing: f64,
    /// The file sets a fee per landing or takes an operating model's defaults, so the
    /// fees paid are reported (by presence, not value, so that a sweep of the fee keeps
    /// the layout of its results).
    pub reports_landing_fees: bool,
}

/// An incubator that a home city runs inside a host city.
#[derive(Clone, Debug)]
pub struct Enclave {
    /// Short identifier.
    pub id: String,
    /// Display name.
    pub name: String,
    /// Index of the home city that owns it.
    pub owner: usize,
    /// Index of the host city it sits in.
    pub host: usize,
    /// Workstations: projects in enclave stages at once.
    pub seats: u32,
    /// Floor area, m² (used when `area_per_seat_m2` is not set).
    pub floor_area_m2: f64,
    /// Floor area per seat, m²: when set, the floor area (and so the rent) follows the
    /// seats, also when a [`Change`] alters them.
    pub area_per_seat_m2: Option<f64>,
    /// Rent, yuan per m² per month.
    pub rent_yuan_per_m2_month: f64,
    /// Operator and screening.
    pub operator: Operator,
    /// Sectors the enclave scouts, indexed like [`Scenario::sectors`].
    pub focus: Vec<bool>,
    /// Share of the host's candidates in focus sectors that its scouts meet (the file's
    /// `reach` times the operator's reach factor, at most 1).
    pub reach: f64,
    /// Month the enclave opens.
    pub opens: f64,
    /// What a candidate does when every seat is taken.
    pub when_full: WhenFull,
    /// Share of admitted projects bound by an equity lock-in.
    pub lock_in_share: f64,
    /// Index of the link between owner and host, if one is given.
    pub link: Option<usize>,
    /// Attractiveness (utility) to a candidate choosing among the enclaves that meet it.
    pub attractiveness: f64,
}

/// A Poisson flow of candidate projects in one sector of a host city.
#[derive(Clone, Debug)]
pub struct Flow {
    /// Index of the host city.
    pub host: usize,
    /// Index of the sector.
    pub sector: usize,
    /// Mean candidates per month, averaged over the year.
    pub rate_per_month: f64,
    /// Relative weight of each calendar month (rescaled to average 1), if seasonal.
    pub seasonality: Option<[f64; 12]>,
    /// Mean of the candidates' hidden quality (population scale: mean 0, sd 1).
    pub quality_mean: f64,
    /// Spread of the candidates' hidden quality.
    pub quality_sd: f64,
}

/// A batch of candidates at set times: a competition or a roadshow.
#[derive(Clone, Debug)]
pub struct Burst {
    /// Display name.
    pub name: String,
    /// Index of the host city.
    pub host: usize,
    /// Index of the sector.
    pub sector: usize,
    /// Months at which the batch arrives, ascending.
    pub times: Vec<f64>,
    /// Number of candidates per batch (rounded to a whole number, at least 0).
    pub size: Distribution,
    /// The enclave that runs the event itself, if any: its entrants meet that enclave
    /// alone (no scouting reach, no rivals).
    pub enclave: Option<usize>,
    /// Mean hidden quality of the batch's candidates.
    pub quality_mean: f64,
    /// Spread of the batch's hidden quality.
    pub quality_sd: f64,
}

/// Where a stage happens.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Place {
    /// In the enclave, holding one of its seats.
    Enclave,
    /// Elsewhere in the host city.
    Host,
    /// In the home city.
    Home,
}

/// One stage of the project chain.
#[derive(Clone, Debug)]
pub struct Stage {
    /// Name, such as "incubation".
    pub name: String,
    /// Enclave, host or home.
    pub place: Place,
    /// Time spent in the stage.
    pub duration: Distribution,
    /// Chance of success for a project of average quality.
    pub success: f64,
    /// Change in the log-odds of success per unit of quality (0 = quality does not matter).
    pub quality_effect: f64,
    /// What a project does when the stage's slots at the city are full.
    pub when_full: WhenFull,
}

/// Weights of the landing choice's utility for the home alternative.
#[derive(Clone, Debug, Default)]
pub struct LandingWeights {
    /// Per million yuan of landing subsidy.
    pub subsidy: f64,
    /// For a project bound by an equity lock-in.
    pub lock_in: f64,
    /// Per unit of industrial fit (0–1) of the home city with the project's sector.
    pub fit: f64,
    /// Per hour of travel between home and host.
    pub travel: f64,
    /// Per unit of administrative barrier (0, 0.5 or 1).
    pub barrier: f64,
    /// When the link grants same-city treatment.
    pub same_city: f64,
    /// Per unit share of free slots in the first home stage.
    pub free_capacity: f64,
    /// Per unit of the joint risk fund's `cover`, while the fund has money left.
    pub risk_cover: f64,
}

/// The discrete choice a graduate makes at the hand-off from host-side to home-side
/// stages: land at home, stay in the host, or go elsewhere (multinomial logit).
#[derive(Clone, Debug)]
pub struct Landing {
    /// Constant in the home utility.
    pub home_constant: f64,
    /// Utility of staying in the host city.
    pub host_constant: f64,
    /// Utility of leaving for anywhere else.
    pub elsewhere_constant: f64,
    /// Weights of the home alternative's attributes.
    pub weights: LandingWeights,
}

/// Innovation vouchers (创新券) a home city gives its enclave projects at one stage.
#[derive(Clone, Debug)]
pub struct Voucher {
    /// Index of the home city that pays.
    pub owner: usize,
    /// Index of the stage whose projects receive a voucher as they start it.
    pub stage: usize,
    /// Total budget, yuan.
    pub budget_yuan: f64,
    /// Amount per project, yuan.
    pub amount_yuan: f64,
    /// Added to the log-odds of the stage's success.
    pub success_boost: f64,
    /// Multiplies the stage's duration.
    pub duration_factor: f64,
}

/// An industry fund that takes equity in enclave projects.
#[derive(Clone, Debug)]
pub struct Fund {
    /// Display name.
    pub name: String,
    /// Index of the home city whose government puts in its share.
    pub owner: usize,
    /// Government money committed, yuan.
    pub size_yuan: f64,
    /// Government share of each ticket; social co-investors bring the rest.
    pub government_share: f64,
    /// Total ticket per investee (government and social), yuan.
    pub ticket_yuan: f64,
    /// Index of the stage at whose start the fund invests.
    pub stage: usize,
    /// Invest only when the fund's reading of quality is at least this; `None` invests
    /// in every project that reaches the stage while money lasts.
    pub selection_bar: Option<f64>,
    /// Noise of the fund's reading of quality (quality scale).
    pub scouting_noise: f64,
    /// Chance that an investee is bound by a return-investment clause to land at home.
    pub return_clause: f64,
    /// Return investment an investee that lands brings home, as a multiple of the fund's
    /// (government) money in it: Kunshan's mother fund drew 3.46 yuan per yuan paid in.
    pub return_multiple: f64,
    /// Fund-level return-investment quota (强制返投), a multiple of `size_yuan`: until the
    /// investees that landed have brought home that much, every new investee is bound to
    /// land at home; `None` when the file sets none (then `return_quota_met` is not
    /// reported).
    pub return_quota: Option<f64>,
    /// Later round of social capital an investee draws when it lands at home, as a
    /// multiple of the ticket; `None` for none.
    pub follow_on: Option<Distribution>,
    /// Months from the investment to the fund's exit; `None`: the fund never exits.
    pub exit_after: Option<Distribution>,
    /// Proceeds of an exit as a multiple of the money exited (used with `exit_after`).
    pub exit_multiple: Option<Distribution>,
    /// Chance that an exit is a listing (IPO).
    pub listing_chance: f64,
}

/// A joint risk fund (风险共担基金): parties pay in by agreed shares, and the fund covers
/// part of failed projects' losses and of landing subsidies while its money lasts.
#[derive(Clone, Debug)]
pub struct RiskFund {
    /// Party names, as in `tax_split` ("home" is the home cities' budget).
    pub parties: Vec<String>,
    /// Shares of each payment drawn from each party, summing to 1, indexed like `parties`.
    pub shares: Vec<f64>,
    /// Index of "home" in `parties`, if the home cities pay in.
    pub home: Option<usize>,
    /// Money the parties commit, yuan: the most the fund ever pays.
    pub size_yuan: f64,
    /// Share of each covered loss the fund pays: funds' government money lost in failed
    /// investees, and `loss_per_failure_yuan`.
    pub cover: f64,
    /// Loss of the backers of a project that fails before landing (an enclave or host
    /// stage), yuan; 0 for none.
    pub loss_per_failure_yuan: f64,
    /// Share of each real landing's subsidy the fund pays.
    pub subsidy_cover: f64,
}

/// How the tax on an industrialized firm's output is shared among the parties.
#[derive(Clone, Debug)]
pub struct TaxSplit {
    /// Party names: "home" (the enclave's owner), "host" (its host city) and any others.
    pub parties: Vec<String>,
    /// Base shares, summing to 1, indexed like `parties`.
    pub base: Vec<f64>,
    /// Index of "home" in `parties`, if the home city takes a share.
    pub home: Option<usize>,
    /// Added to the home share per unit of landing rate to date (the floating part of a
    /// "base ratio + floating adjustment" agreement), taken from the others pro rata.
    pub home_floating: f64,
}

impl TaxSplit {
    /// Shares of each party when the landing rate to date is `landing_rate`.
    pub fn shares(&self, landing_rate: f64) -> Vec<f64> {
        let Some(home) = self.home else {
            return self.base.clone();
        };
        let base_home = self.base[home];
        let rate = if landing_rate.is_finite() {
            landing_rate.clamp(0.0, 1.0)
        } else {
            0.0
        };
        let new_home = (base_home + self.home_floating * rate).min(1.0);
        let others = 1.0 - base_home;
        self.base
            .iter()
            .enumerate()
            .map(|(i, &b)| {
                if i == home {
                    new_home
                } else if others > 0.0 {
                    b * (1.0 - new_home) / others
                } else {
                    0.0
                }
            })
            .collect()
    }
}

/// What an industrialized firm brings: output, tax and jobs.
#[derive(Clone, Debug)]
pub struct Economics {
    /// Annual output at full scale per sector, yuan per year, indexed like sectors.
    pub output: Vec<Distribution>,
    /// Months from the end of industrialization to full output (linear ramp).
    pub ramp_up: f64,
    /// Tax collected as a share of output.
    pub tax_rate: f64,
    /// Jobs per million yuan of annual output.
    pub jobs_per_million_yuan: f64,
    /// Who gets the tax.
    pub tax_split: TaxSplit,
    /// Report cost and benefit by party even without a mechanism that moves money
    /// between parties.
    pub party_totals: bool,
}

/// A validated scenario: every reference resolved, every value in range.
#[derive(Clone, Debug)]
pub struct Scenario {
    /// Short identifier.
    pub name: String,
    /// Display title.
    pub title: String,
    /// Months simulated; arrivals stop here. `None` when only `candidate_limit` stops them.
    pub horizon: Option<f64>,
    /// Width of a time bin in the series, months.
    pub bin_width: f64,
    /// Months at the start left out of totals and time averages.
    pub warmup: f64,
    /// Whether to keep simulating after arrivals stop until every project has finished.
    pub drain: bool,
    /// Stop arrivals after this many candidates, if set.
    pub candidate_limit: Option<u64>,
    /// Calendar month (0 = January) in which month 0 of the simulation falls; aligns
    /// seasonal weights with the calendar.
    pub start_month: u8,
    /// Sector names.
    pub sectors: Vec<String>,
    /// Cities.
    pub cities: Vec<City>,
    /// Home–host links.
    pub links: Vec<Link>,
    /// Enclaves.
    pub enclaves: Vec<Enclave>,
    /// Candidate flows.
    pub flows: Vec<Flow>,
    /// Competitions and roadshows.
    pub bursts: Vec<Burst>,
    /// The chain of stages, enclave stages first, home stages last.
    pub stages: Vec<Stage>,
    /// The landing choice; `None` sends every graduate home.
    pub landing: Option<Landing>,
    /// Output, tax and jobs of industrialized firms; `None` switches money off.
    pub economics: Option<Economics>,
    /// Industry funds.
    pub funds: Vec<Fund>,
    /// Innovation vouchers.
    pub vouchers: Vec<Voucher>,
    /// The joint risk fund, if any.
    pub risk_fund: Option<RiskFund>,
    /// Policy changes at dates, in the order of their dates (file order among equal dates).
    pub changes: Vec<Change>,
    /// Established firms moving between cities (`[[relocation]]`).
    pub relocations: Vec<Relocation>,
    /// Licences from host teams to home firms (`[transfer]`); `None` when off.
    pub transfer: Option<Transfer>,
    /// 揭榜挂帅 rounds in which home firms post needs (`[[challenge]]`).
    pub challenges: Vec<Challenge>,
}

/// Established firms that move from one city to another at a Poisson rate (跨区域迁移企业),
/// whose tax increment in their new place is split by an agreed ratio.
#[derive(Clone, Debug)]
pub struct Relocation {
    /// Display name.
    pub name: String,
    /// Index of the city the firms leave.
    pub from: usize,
    /// Index of the city the firms move to.
    pub to: usize,
    /// Mean moves per month, at random times (a change may alter it from a date).
    pub rate_per_month: f64,
    /// Months of moves known in advance, one firm each, ascending.
    pub at: Vec<f64>,
    /// Output of one firm in its new place at full scale, yuan per year.
    pub output: Distribution,
    /// Months from the move to full output (linear ramp).
    pub ramp_up: f64,
    /// How the tax increment is shared, over the `[economics]` parties in their order;
    /// `None` shares it as the `[economics]` split in force.
    pub tax_split: Option<TaxSplit>,
}

/// Technology transfer without relocation: a project that settles in the host may
/// license its result to a firm of its home city.
#[derive(Clone, Debug)]
pub struct Transfer {
    /// Chance that a project settling in the host licenses its result home.
    pub licence_chance: f64,
    /// Value of one licence to the home firm, yuan.
    pub licence_value: Distribution,
    /// Home tax on that value, as a share of it.
    pub tax_rate: f64,
}

/// A 揭榜挂帅 round: a home city's firms post needs, host teams solve some of them, and
/// the home city pays an award per solved need.
#[derive(Clone, Debug)]
pub struct Challenge {
    /// Display name.
    pub name: String,
    /// Index of the home city that pays the awards.
    pub owner: usize,
    /// Months at which needs are posted, ascending.
    pub times: Vec<f64>,
    /// Needs posted each time.
    pub needs: u32,
    /// Award per solved need, yuan, paid when the solution is accepted.
    pub award_yuan: f64,
    /// Chance that a host team solves a need within `solve_within`.
    pub solve_chance: f64,
    /// Months from posting to the acceptance of a solution.
    pub solve_within: f64,
    /// Value of a solved need to the home firm, yuan.
    pub value: Distribution,
}

/// Levers set to new values at a date (a `[[change]]` table).
#[derive(Clone, Debug)]
pub struct Change {
    /// Month the change takes effect.
    pub at: f64,
    /// What changes, in file order.
    pub settings: Vec<Setting>,
}

/// One lever a [`Change`] sets.
#[derive(Clone, Debug)]
pub enum Setting {
    /// Enclave `.0` has `.1` seats from the date on (projects already seated keep theirs).
    Seats(usize, u32),
    /// Home city `.0` pays a landing subsidy of `.1` yuan from the date on.
    LandingSubsidy(usize, f64),
    /// Tax from the date on is split by this agreement (same parties as before).
    TaxSplit(TaxSplit),
    /// Enclave `.0` closes at the date, as after a breakdown (an enclave that opens at a
    /// change has its `opens` set to the date when the scenario is read).
    Close(usize),
    /// Relocation `.0` moves `.1` firms per month on average from the date on.
    RelocationRate(usize, f64),
    /// Link `.0` (which has a `[link.governance]`) is coordinated by body `.1` from the date on.
    GovernanceBody(usize, Body),
}

impl Scenario {
    /// Parses and validates scenario text; `file` names it in error messages.
    pub fn from_toml(file: &str, text: &str) -> Result<Scenario, Diagnostics> {
        parse::scenario(file, text)
    }

    /// Reads, parses and validates a scenario file.
    pub fn from_file(path: &Path) -> Result<(Scenario, Vec<u8>), Diagnostics> {
        let shown = path.display().to_string();
        let bytes = std::fs::read(path).map_err(|e| {
            Diagnostics(vec![Diagnostic {
                file: shown.clone(),
                line: 0,
                column: 0,
                path: String::new(),
                expected: "a readable scenario file".to_string(),
                found: format!("an error opening it: {e}"),
                hint: None,
                snippet: None,
            }])
        })?;
        let text = decode(&shown, &bytes)?;
        Ok((Scenario::from_toml(&shown, text)?, bytes))
    }

    /// Number of time bins in the series (0 when there is no horizon).
    pub fn bins(&self) -> usize {
        self.horizon
            .map_or(0, |h| (h / self.bin_width - 1e-9).ceil().max(1.0) as usize)
    }

    /// Candidates a replication brings on average (flows over the horizon plus bursts),
    /// bounded by `candidate_limit`; infinite when nothing bounds them.
    pub fn expected_candidates(&self) -> f64 {
        let from_flows: f64 = match self.horizon {
            Some(h) => self.flows.iter().map(|f| f.rate_per_month * h).sum(),
            None if self.flows.iter().all(|f| f.rate_per_month == 0.0) => 0.0,
            None => f64::INFINITY,
        };
        let from_bursts: f64 = self.bursts.iter().map(|b| b.size.mean() * b.times.len() as f64).sum();
        let graduate_rate: f64 = self
            .cities
            .iter()
            .filter_map(|c| c.talent.as_ref())
            .map(Talent::graduate_projects_per_month)
            .sum();
        let from_graduates = match self.horizon {
            _ if graduate_rate == 0.0 => 0.0,
            Some(h) => graduate_rate * h,
            None => f64::INFINITY,
        };
        let expected = from_flows + from_bursts + from_graduates;
        self.candidate_limit.map_or(expected, |l| expected.min(l as f64))
    }

    /// Index of the first home stage, where the landing choice is made.
    pub fn handoff_stage(&self) -> Option<usize> {
        self.stages.iter().position(|s| s.place == Place::Home)
    }
}
