//! The scenario language: TOML text in, a validated [`Scenario`] out, or every problem
//! in the file reported with its location. Nothing downstream sees raw TOML or names:
//! cross-references are resolved to indices here.

mod overrides;
mod parse;

pub use overrides::{apply, overridden, with_overrides, KeyPath, OverrideError};
pub use parse::{MAX_FLOWS, MAX_PLACES, MAX_STAGES};

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
    /// land at home; 0 for none.
    pub return_quota: f64,
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
        let expected = from_flows + from_bursts;
        self.candidate_limit.map_or(expected, |l| expected.min(l as f64))
    }

    /// Index of the first home stage, where the landing choice is made.
    pub fn handoff_stage(&self) -> Option<usize> {
        self.stages.iter().position(|s| s.place == Place::Home)
    }
}
