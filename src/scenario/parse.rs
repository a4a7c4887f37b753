//! Reads each section of a scenario file into the validated types, resolving names to
//! indices and checking ranges and cross-references.
//!
//! Every section is read even when an earlier one has errors, so that one pass reports
//! every problem in the file. Items that fail to read are kept as `None` and skipped by
//! the checks that need them; the scenario is built only when no error was recorded.

use super::overrides::Step;
use super::{
    Body, Burst, Challenge, Change, City, Diagnostics, Economics, Enclave, Flow, Fund, Governance, Landing,
    LandingWeights, Link, Operator, OperatorKind, Place, RegistrationTarget, Relocation, RiskFund, Role, Scenario,
    Setting, Stage, Talent, TaxSplit, Transfer, Voucher, WhenFull,
};
use crate::dist::Distribution;
use crate::input::{Dimension, Document, Read, Table, Value};
use std::collections::HashMap;

/// Longest scenario title accepted, in characters.
pub const MAX_TITLE_CHARS: usize = 500;
/// Longest horizon accepted: beyond this a scenario is almost surely a unit mistake.
pub const MAX_HORIZON_MONTHS: f64 = 200.0 * 12.0;
/// Most time bins a series may have.
pub const MAX_BINS: f64 = 10_000.0;
/// Most seats or slots one enclave or city stage may have.
pub const MAX_SEATS: u64 = 1_000_000;
/// Largest landing subsidy accepted, yuan.
pub const MAX_SUBSIDY_YUAN: f64 = 1e12;
/// Largest co-investment fund or joint risk fund accepted, yuan.
pub const MAX_FUND_YUAN: f64 = 1e13;
/// Largest weight of a party in a tax split.
pub const MAX_TAX_WEIGHT: f64 = 1e6;

/// The values a lever's setting accepts, as the reader checks them: the desk shows
/// them beside the field.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct LeverRange {
    /// The smallest value accepted.
    pub min: f64,
    /// The largest, if any.
    pub max: Option<f64>,
    /// Whether only whole numbers are accepted.
    pub integer: bool,
}

/// The range the reader accepts for the setting at a key path (`enclave[0].seats`,
/// `city[1].capacity.pilot`, `economics.tax_split.home`, `flow[0].rate` …), for the
/// levers a desk offers; `None` for other settings. The reader uses the same constants,
/// so the two cannot drift apart.
pub fn lever_range(path: &str) -> Option<LeverRange> {
    let steps: Vec<&str> = path.split('.').collect();
    let section = steps.first()?.split('[').next()?;
    let range = |min: f64, max: Option<f64>, integer: bool| Some(LeverRange { min, max, integer });
    match (section, &steps[1..]) {
        ("enclave", ["seats"]) => range(1.0, Some(MAX_SEATS as f64), true),
        ("city", ["capacity", _]) => range(1.0, Some(MAX_SEATS as f64), true),
        ("city", ["landing_subsidy_yuan"]) => range(0.0, Some(MAX_SUBSIDY_YUAN), false),
        ("fund", ["size_yuan"]) => range(0.0, Some(MAX_FUND_YUAN), false),
        ("risk_fund", ["size_yuan"]) => range(1.0, Some(MAX_FUND_YUAN), false),
        ("economics", ["tax_split", "home_floating"]) => range(0.0, Some(1.0), false),
        ("economics", ["tax_split", _]) => range(0.0, Some(MAX_TAX_WEIGHT), false),
        ("flow", ["rate"]) => range(0.0, None, false),
        _ => None,
    }
}

/// Most candidates a `candidate_limit` may name, and most candidates a replication may
/// expect to see: beyond this a replication's memory and time are absurd.
pub const MAX_CANDIDATE_LIMIT: u64 = 100_000_000;
/// Most candidate flows (each has its own random stream).
pub const MAX_FLOWS: usize = 250;
/// Most stages in the chain.
pub const MAX_STAGES: usize = 64;
/// Most cities, and most enclaves.
pub const MAX_PLACES: usize = 10_000;
/// Most sectors, and most bursts.
pub const MAX_SECTORS: usize = 10_000;
/// Most batches one burst may deliver.
pub const MAX_BATCHES: usize = 100_000;
/// Largest mean batch size of a burst.
pub const MAX_BATCH_SIZE: f64 = 1e6;

pub(super) fn scenario(file: &str, text: &str) -> Result<Scenario, Diagnostics> {
    Document::read_whole(file, text, "scenario", read_scenario)
}

/// Names declared in one section, for resolving references with "did you mean" hints.
struct Names {
    what: &'static str,
    names: Vec<String>,
    /// False when the section itself failed to read: references to it then stay quiet,
    /// since the section's own error says what is wrong.
    complete: bool,
}

impl Names {
    fn resolve(&self, value: &Value<'_, '_>) -> Read<usize> {
        let name = value.string()?;
        self.resolve_key(name, value)
    }

    fn resolve_key(&self, key: &str, value: &Value<'_, '_>) -> Read<usize> {
        if let Some(i) = self.names.iter().position(|n| n == key) {
            return Some(i);
        }
        if !self.complete {
            return None;
        }
        let hint = match super::nearest(key, self.names.iter().map(String::as_str)) {
            Some(n) => Some(format!("did you mean \"{n}\"?")),
            None if self.names.is_empty() => Some(format!("no {} is declared", self.what)),
            None => Some(format!("declared: {}", self.names.join(", "))),
        };
        value.fail(
            &format!("the name of a declared {}", self.what),
            &format!("\"{key}\", which is not declared"),
            hint,
        );
        None
    }
}

/// Reads the `key` name of every table in an array, checking that each is present,
/// non-empty and unique.
fn declare(tables: Option<&[Table<'_, '_>]>, key: &'static str, what: &'static str) -> Names {
    let complete = tables.is_some();
    let tables = tables.unwrap_or_default();
    let mut names = Vec::new();
    let mut seen: HashMap<String, usize> = HashMap::new();
    for t in tables {
        let name = t.required(key, &format!("a unique {what} name")).and_then(|v| {
            let s = v.string()?;
            if s.trim().is_empty() {
                v.fail(&format!("a non-empty {what} name"), "an empty string", None);
                return None;
            }
            if let Some(first) = seen.get(s) {
                v.fail(
                    &format!("a unique {what} name"),
                    &format!("\"{s}\" again (first declared at {what}[{first}])"),
                    None,
                );
            }
            seen.insert(s.to_string(), names.len());
            Some(s.to_string())
        });
        names.push(name.unwrap_or_default());
    }
    Names { what, names, complete }
}

/// Checks that an array of tables has at most `max` entries.
fn at_most(root: &Table<'_, '_>, key: &'static str, count: usize, max: usize) {
    if count > max {
        if let Some(v) = root.get(key) {
            v.fail(&format!("at most {max} [[{key}]] entries"), &format!("{count}"), None);
        }
    }
}

/// The top-level sections of a scenario file.
const SECTIONS: [&str; 16] = [
    "scenario",
    "city",
    "link",
    "enclave",
    "flow",
    "burst",
    "stage",
    "landing",
    "economics",
    "fund",
    "voucher",
    "change",
    "relocation",
    "transfer",
    "challenge",
    "risk_fund",
];

/// The [scenario] table's settings.
struct Header {
    name: String,
    title: String,
    horizon: Option<f64>,
    bin_width: f64,
    warmup: f64,
    drain: bool,
    candidate_limit: Option<u64>,
    start_month: u8,
}

fn read_scenario(root: &Table<'_, '_>) -> Read<Scenario> {
    // Known up front, so that a section that fails to read is never called unknown.
    for section in SECTIONS {
        root.has(section);
    }
    let header_table = root
        .required("scenario", "a [scenario] table with name, horizon and sectors")
        .and_then(|v| v.table());
    let sectors = header_table.as_ref().and_then(read_sectors);
    let header = header_table.as_ref().and_then(read_header);
    header_table.as_ref().map(Table::finish);
    let sector_names = Names {
        what: "sector",
        names: sectors.clone().unwrap_or_default(),
        complete: sectors.is_some(),
    };
    // The horizon bounds burst times; unknown (None) when the header failed.
    let horizon = header.as_ref().map(|h| h.horizon);

    let stage_tables = root.tables("stage");
    let stage_names = declare(stage_tables.as_deref(), "name", "stage");
    let stages_read = stage_tables.is_some();
    let stage_tables = stage_tables.unwrap_or_default();
    at_most(root, "stage", stage_tables.len(), MAX_STAGES);
    let stages: Vec<Read<Stage>> = stage_tables.iter().map(read_stage).collect();
    check_stage_order(&stage_tables, &stages);
    let has_home_stage = stages.iter().flatten().any(|s| s.place == Place::Home);

    let city_tables = root.tables("city");
    let city_names = declare(city_tables.as_deref(), "id", "city");
    let cities_read = city_tables.is_some();
    let city_tables = city_tables.unwrap_or_default();
    at_most(root, "city", city_tables.len(), MAX_PLACES);
    let cities: Vec<Read<City>> = city_tables
        .iter()
        .map(|t| read_city(t, &sector_names, &stage_names, &stages))
        .collect();
    if city_tables.is_empty() && cities_read {
        root.missing("city", "at least one [[city]]");
    }
    let places = Places {
        names: &city_names,
        cities: &cities,
    };

    let landing_value = root.get("landing");
    let landing = landing_value.as_ref().map(|v| v.table().and_then(|t| read_landing(&t)));
    let landing_on = matches!(landing, Some(Some(Some(_))));
    if let (Some(v), true) = (
        &landing_value,
        landing_on && !has_home_stage && stages_read && stages.iter().all(Option::is_some),
    ) {
        v.fail(
            "a [landing] choice only in a chain with a home stage",
            "a [landing] table but no stage with place = \"home\"",
            Some("add the home stages (pilot, industrialization) or remove [landing]".to_string()),
        );
    }

    let links = read_links(root, &places, horizon);
    let enclaves = read_enclaves(
        root,
        &places,
        &sector_names,
        &links,
        landing_on && has_home_stage,
        horizon,
    );
    let flows = read_flows(root, &places, &sector_names);
    let bursts = read_bursts(root, &places, &sector_names, &enclaves, horizon);

    if stage_tables.is_empty() && stages_read {
        root.missing("stage", "at least one [[stage]]");
    }
    if enclaves.is_empty() && root.tables("enclave").is_some_and(|t| t.is_empty()) {
        root.missing("enclave", "at least one [[enclave]]");
    }
    let (flows_read, bursts_read) = (root.tables("flow").is_some(), root.tables("burst").is_some());
    if flows.is_empty() && bursts.is_empty() && flows_read && bursts_read {
        root.missing("flow", "at least one [[flow]] or [[burst]] of candidate projects");
    }

    check_expected_candidates(root, &header, &flows, &bursts);
    let economics = root
        .get("economics")
        .map(|v| read_economics(&v, &sector_names, horizon));
    let funds = read_funds(root, &places, &stage_names);
    let vouchers = read_vouchers(root, &places, &stage_names);
    check_timing(root, &header, &cities, &stages, &funds);
    let relocations = read_relocations(root, &places, economics.as_ref(), horizon);
    let transfer = root.get("transfer").map(|v| read_transfer(&v, economics.as_ref()));
    let challenges = read_challenges(root, &places, horizon);
    let risk_fund = root.get("risk_fund").map(|v| read_risk_fund(&v, economics.is_some()));
    check_party_names(root, &economics, &risk_fund);
    check_risk_cover(root, &landing, risk_fund.is_some());
    let mut enclaves = enclaves;
    let changes = read_changes(
        root,
        horizon,
        &cities,
        &links,
        &mut enclaves,
        economics.as_ref(),
        &relocations,
    );
    let cities = resolve_graduates(&city_tables, cities, &enclaves, &sector_names);
    let header = header?;
    Some(Scenario {
        name: header.name,
        title: header.title,
        horizon: header.horizon,
        bin_width: header.bin_width,
        warmup: header.warmup,
        drain: header.drain,
        candidate_limit: header.candidate_limit,
        start_month: header.start_month,
        sectors: sectors?,
        cities: cities.into_iter().collect::<Read<_>>()?,
        links: links.into_iter().collect::<Read<_>>()?,
        enclaves: enclaves.into_iter().collect::<Read<_>>()?,
        flows: flows.into_iter().collect::<Read<_>>()?,
        bursts: bursts.into_iter().collect::<Read<_>>()?,
        stages: stages.into_iter().collect::<Read<_>>()?,
        landing: lift(landing)?.flatten(),
        economics: lift(economics)?,
        funds: funds.into_iter().collect::<Read<_>>()?,
        vouchers: vouchers.into_iter().collect::<Read<_>>()?,
        risk_fund: lift(risk_fund)?,
        changes: changes?,
        relocations: relocations.into_iter().collect::<Read<_>>()?,
        transfer: lift(transfer)?,
        challenges: challenges.into_iter().collect::<Read<_>>()?,
    })
}

/// The key paths a `[[change]]` may set, for error messages.
const CHANGEABLE: &str =
    "enclave[i].seats, enclave[i].open, city[i].landing_subsidy_yuan, economics.tax_split, relocation[i].rate, link[i].governance.body";

/// Reads the `[[change]]` tables, sorted by date (stably). An enclave opened by a
/// change has its `opens` set to the change's date here.
fn read_changes(
    root: &Table<'_, '_>,
    horizon: Option<Option<f64>>,
    cities: &[Read<City>],
    links: &[Read<Link>],
    enclaves: &mut [Read<Enclave>],
    economics: Option<&Read<Economics>>,
    relocations: &[Read<Relocation>],
) -> Read<Vec<Change>> {
    let tables = root.tables("change").unwrap_or_default();
    let mut out = Vec::new();
    let mut ok = true;
    // Closures so far, so that a closed enclave is not reopened: (enclave, month).
    let mut closed: Vec<(usize, f64)> = Vec::new();
    let mut opened: Vec<(usize, f64)> = Vec::new();
    for t in &tables {
        let at = t
            .required("at", "the month the change takes effect, such as \"24 months\"")
            .and_then(|v| {
                let month = v.duration()?;
                if let Some(Some(hz)) = horizon.filter(|h| h.is_some_and(|hz| month >= hz)) {
                    v.fail(
                        "a change before the horizon",
                        &format!("month {month} (the horizon is {hz})"),
                        None,
                    );
                    return None;
                }
                Some(month)
            });
        let set = t.required(
            "set",
            "a table of key paths and values, such as { \"enclave[0].seats\" = 120 }",
        );
        t.finish();
        let (Some(at), Some(set)) = (at, set) else {
            ok = false;
            continue;
        };
        let Some(entries) = set.table().map(|t| t.entries()) else {
            ok = false;
            continue;
        };
        if entries.is_empty() {
            set.fail("at least one key path to set", "an empty table", None);
            ok = false;
            continue;
        }
        let mut settings = Vec::new();
        for (key, value) in entries {
            match read_setting(
                key,
                &value,
                at,
                horizon,
                cities,
                links,
                enclaves,
                economics,
                relocations,
                &mut closed,
                &mut opened,
            ) {
                Some(Some(setting)) => settings.push(setting),
                Some(None) => {}
                None => ok = false,
            }
        }
        out.push(Change { at, settings });
    }
    for (e, at) in opened {
        if let Some(enclave) = enclaves[e].as_mut() {
            enclave.opens = at;
        }
    }
    out.sort_by(|a, b| a.at.total_cmp(&b.at));
    out.retain(|c| !c.settings.is_empty());
    ok.then_some(out)
}

/// One `key path = value` of a change: `Some(None)` for a setting applied as the file is
/// read (an enclave's opening).
#[allow(clippy::too_many_arguments)]
fn read_setting(
    key: &str,
    value: &Value<'_, '_>,
    at: f64,
    horizon: Option<Option<f64>>,
    cities: &[Read<City>],
    links: &[Read<Link>],
    enclaves: &[Read<Enclave>],
    economics: Option<&Read<Economics>>,
    relocations: &[Read<Relocation>],
    closed: &mut Vec<(usize, f64)>,
    opened: &mut Vec<(usize, f64)>,
) -> Read<Option<Setting>> {
    let unsupported = |why: &str| {
        value.fail(
            &format!("a key path a change can set: {CHANGEABLE}"),
            &format!("`{key}`{why}"),
            Some("other settings can be varied across runs with a sweep, not changed at a date".to_string()),
        );
        None
    };
    let path = match super::KeyPath::parse(key) {
        Ok(p) => p,
        Err(why) => return unsupported(&format!(", which is not a key path: {why}")),
    };
    let index = |what: &str, i: usize, n: usize| -> Read<usize> {
        if i < n {
            Some(i)
        } else {
            value.fail(
                &format!("an index of a declared {what} (0 to {})", n.saturating_sub(1)),
                &format!("`{key}`: index {i}, but the file has {n}"),
                None,
            );
            None
        }
    };
    match path.steps() {
        [Step::Key(e), Step::Index(i), Step::Key(k)] if e == "enclave" && k == "seats" => {
            let i = index("enclave", *i, enclaves.len())?;
            let seats = value.integer_in(1, MAX_SEATS, "a number of seats")?;
            Some(Some(Setting::Seats(i, seats as u32)))
        }
        [Step::Key(e), Step::Index(i), Step::Key(k)] if e == "enclave" && k == "open" => {
            let i = index("enclave", *i, enclaves.len())?;
            let open = value.boolean()?;
            let enclave = enclaves[i].as_ref()?;
            if open {
                if enclave.opens <= at || opened.iter().any(|&(e, _)| e == i) {
                    value.fail(
                        "`open = true` only for an enclave not yet open at the change's date",
                        &format!(
                            "enclave \"{}\" open from month {} (change at month {at})",
                            enclave.id, enclave.opens
                        ),
                        Some(
                            "a closed enclave cannot reopen; to open it earlier, set `open = true` at the earlier date"
                                .to_string(),
                        ),
                    );
                    return None;
                }
                opened.push((i, at));
                Some(None)
            } else {
                if closed.iter().any(|&(e, _)| e == i) {
                    value.fail(
                        "one closing change per enclave",
                        &format!("enclave \"{}\" closed again", enclave.id),
                        None,
                    );
                    return None;
                }
                closed.push((i, at));
                Some(Some(Setting::Close(i)))
            }
        }
        [Step::Key(c), Step::Index(i), Step::Key(k)] if c == "city" && k == "landing_subsidy_yuan" => {
            let i = index("city", *i, cities.len())?;
            let yuan = value.number_in(0.0, MAX_SUBSIDY_YUAN, "an amount in yuan")?;
            if cities[i].as_ref()?.role == Role::Host {
                value.fail(
                    "a landing subsidy only of a city whose role is \"home\" or \"both\"",
                    &format!("`{key}` of a host city"),
                    None,
                );
                return None;
            }
            Some(Some(Setting::LandingSubsidy(i, yuan)))
        }
        [Step::Key(e), Step::Key(k)] if e == "economics" && k == "tax_split" => {
            let Some(Some(economics)) = economics else {
                value.fail("a tax split only when [economics] is given", &format!("`{key}`"), None);
                return None;
            };
            if horizon.is_some_and(|h| h.is_none()) {
                value.fail(
                    "a change of the tax split only with a `horizon` (tax is split bin by bin)",
                    &format!("`{key}` in a scenario without a horizon"),
                    None,
                );
                return None;
            }
            let split = read_tax_split(value)?;
            let before = &economics.tax_split;
            let mut same = split.parties.len() == before.parties.len();
            let mut base = vec![0.0; before.parties.len()];
            for (party, share) in split.parties.iter().zip(&split.base) {
                match before.parties.iter().position(|p| p == party) {
                    Some(j) => base[j] = *share,
                    None => same = false,
                }
            }
            if !same {
                value.fail(
                    &format!("the same parties as the base split: {}", before.parties.join(", ")),
                    &split.parties.join(", "),
                    None,
                );
                return None;
            }
            Some(Some(Setting::TaxSplit(TaxSplit {
                parties: before.parties.clone(),
                base,
                home: before.home,
                home_floating: split.home_floating,
            })))
        }
        [Step::Key(r), Step::Index(i), Step::Key(k)] if r == "relocation" && k == "rate" => {
            let i = index("relocation", *i, relocations.len())?;
            let rate = value.rate()?;
            check_relocation_rate(value, rate, horizon)?;
            Some(Some(Setting::RelocationRate(i, rate)))
        }
        [Step::Key(l), Step::Index(i), Step::Key(g), Step::Key(k)]
            if l == "link" && g == "governance" && k == "body" =>
        {
            let i = index("link", *i, links.len())?;
            let body = Body::from_name(value.choice(&Body::NAMES)?)?;
            if links[i].as_ref()?.governance.is_none() {
                value.fail(
                    "a coordination body only for a link with a [link.governance] table",
                    &format!("`{key}` of a link without one"),
                    Some("add [link.governance] after that [[link]], with `fairness_sensitivity = 0` if the split should not move the breakdown hazard".to_string()),
                );
                return None;
            }
            Some(Some(Setting::GovernanceBody(i, body)))
        }
        _ => unsupported(""),
    }
}

/// Refuses a scenario whose flows and bursts would bring more candidates per replication
/// than [`MAX_CANDIDATE_LIMIT`] on average.
fn check_expected_candidates(
    root: &Table<'_, '_>,
    header: &Option<Header>,
    flows: &[Read<Flow>],
    bursts: &[Read<Burst>],
) {
    let Some(header) = header else { return };
    let Some(horizon) = header.horizon else { return };
    let from_flows: f64 = flows.iter().flatten().map(|f| f.rate_per_month * horizon).sum();
    let from_bursts: f64 = bursts
        .iter()
        .flatten()
        .map(|b| b.size.mean() * b.times.len() as f64)
        .sum();
    let expected = from_flows + from_bursts;
    if expected > MAX_CANDIDATE_LIMIT as f64 && header.candidate_limit.is_none_or(|l| l > MAX_CANDIDATE_LIMIT) {
        let at = root
            .get("flow")
            .or_else(|| root.get("burst"))
            .expect("candidates come from flows or bursts");
        at.fail(
            &format!("at most {MAX_CANDIDATE_LIMIT} candidates per replication on average"),
            &format!("flows and bursts that bring {expected:.3e} over the horizon"),
            Some("check the rates' units, or shorten the horizon".to_string()),
        );
    }
}

fn read_sectors(h: &Table<'_, '_>) -> Read<Vec<String>> {
    let v = h.required("sectors", "the list of sector names")?;
    let items = v.array()?;
    let mut names: Vec<String> = Vec::new();
    let mut ok = true;
    for item in &items {
        let Some(s) = item.string() else {
            ok = false;
            continue;
        };
        if s.trim().is_empty() {
            item.fail("a non-empty sector name", "an empty string", None);
            ok = false;
        } else if names.iter().any(|n| n == s) {
            item.fail("a unique sector name", &format!("\"{s}\" again"), None);
            ok = false;
        }
        names.push(s.to_string());
    }
    if names.is_empty() && ok {
        v.fail("at least one sector", "an empty list", None);
        return None;
    }
    if names.len() > MAX_SECTORS {
        v.fail(
            &format!("at most {MAX_SECTORS} sectors"),
            &format!("{}", names.len()),
            None,
        );
        return None;
    }
    ok.then_some(names)
}

/// A scenario name becomes a folder name: keep it to letters, digits, '-', '_' and '.'.
fn valid_name(v: &Value<'_, '_>) -> Read<String> {
    let s = v.string()?;
    let fine = !s.is_empty()
        && !s.starts_with('.')
        && s.chars()
            .all(|c| c.is_alphanumeric() || c == '-' || c == '_' || c == '.');
    if !fine {
        v.fail(
            "a short name of letters, digits, '-', '_' or '.', not starting with '.' (it names the results folder)",
            &format!("\"{s}\""),
            Some("put a longer description in `title`".to_string()),
        );
        return None;
    }
    if let Err(why) = crate::input::check_plain_name(s) {
        v.fail(
            &format!("{} (it names the results folder)", crate::input::PLAIN_NAME),
            &format!("\"{s}\" ({why})"),
            Some("put a longer description in `title`".to_string()),
        );
        return None;
    }
    Some(s.to_string())
}

fn read_header(h: &Table<'_, '_>) -> Read<Header> {
    let name = h.required("name", "a short scenario name").and_then(|v| valid_name(&v));
    let title = h.optional("title", |v| {
        let title = v.string()?;
        let chars = title.chars().count();
        if chars > MAX_TITLE_CHARS {
            // A title heads every report, chart and table: a long one is a mistake
            // (a pasted document), and would bloat every file that carries it.
            v.fail(
                &format!("a title of at most {MAX_TITLE_CHARS} characters"),
                &format!("{chars} characters"),
                Some("put the longer description in comments beside it".to_string()),
            );
            return None;
        }
        Some(title.to_string())
    });
    let horizon = h.optional("horizon", |v| {
        let months = v.duration()?;
        if months <= 0.0 || months > MAX_HORIZON_MONTHS {
            v.fail(
                "a horizon above 0 and at most 200 years",
                &format!("{months} months"),
                None,
            );
            return None;
        }
        Some(months)
    });
    let candidate_limit = h.optional("candidate_limit", |v| {
        v.integer_in(1, MAX_CANDIDATE_LIMIT, "a number of candidates")
    });
    let bin = h.optional("bin", |v| {
        let b = v.duration()?;
        if b <= 0.0 {
            v.fail("a bin width above 0", &format!("{b} months"), None);
            return None;
        }
        Some(b)
    });
    let warmup = h.or("warmup", 0.0, |v| v.duration());
    let drain = h.or("drain", false, |v| v.boolean());
    let start_month = h.or("start_month", 1, |v| v.integer_in(1, 12, "a calendar month"));

    let horizon = match (horizon, &candidate_limit) {
        (None, None) => {
            h.missing(
                "horizon",
                "how long to simulate, such as \"10 years\" (or a `candidate_limit`)",
            );
            None
        }
        (Some(hz), _) => hz.map(Some),
        (None, Some(_)) => Some(None),
    };
    let (horizon, bin, warmup) = (horizon?, lift(bin)?, warmup?);
    let bin_width = match (horizon, bin) {
        (None, Some(_)) => {
            h.get("bin").expect("bin is present").fail(
                "no `bin` without a `horizon` (series need a time span)",
                "a bin width",
                Some("give a horizon, or remove `bin`".to_string()),
            );
            return None;
        }
        (Some(hz), Some(b)) if hz / b > MAX_BINS => {
            h.get("bin").expect("bin is present").fail(
                &format!("at most {MAX_BINS} bins over the horizon"),
                &format!("{:.0} bins of {b:.4} months", hz / b),
                Some("use a wider `bin`, such as \"3 months\"".to_string()),
            );
            return None;
        }
        (_, b) => b.unwrap_or(1.0),
    };
    if let Some(hz) = horizon {
        if warmup >= hz {
            h.get("warmup").expect("a nonzero warm-up was given").fail(
                "a warm-up shorter than the horizon",
                &format!("{warmup} months"),
                None,
            );
            return None;
        }
    }
    let name = name?;
    Some(Header {
        title: title.unwrap_or(Some(name.clone()))?,
        name,
        horizon,
        bin_width,
        warmup,
        drain: drain?,
        candidate_limit: lift(candidate_limit)?,
        start_month: (start_month? - 1) as u8,
    })
}

fn read_when_full(t: &Table<'_, '_>) -> Read<WhenFull> {
    let mode = t.or("when_full", "queue", |v| v.choice(&["queue", "turn_away"]));
    let patience = t.optional("patience", |v| v.distribution(Dimension::Duration));
    match (mode?, patience) {
        ("queue", None) => Some(WhenFull::Queue { patience: None }),
        ("queue", Some(p)) => Some(WhenFull::Queue { patience: Some(p?) }),
        (_, Some(_)) => {
            t.get("patience").expect("patience is present").fail(
                "no `patience` when `when_full = \"turn_away\"`",
                "a patience",
                Some("patience applies only to queues; remove it or set when_full = \"queue\"".to_string()),
            );
            None
        }
        _ => Some(WhenFull::TurnAway),
    }
}

fn read_stage(t: &Table<'_, '_>) -> Read<Stage> {
    let name = t.get("name").and_then(|v| v.string().map(str::to_string));
    let place = t.required("place", "\"enclave\", \"host\" or \"home\"").and_then(|v| {
        Some(match v.choice(&["enclave", "host", "home"])? {
            "enclave" => Place::Enclave,
            "host" => Place::Host,
            _ => Place::Home,
        })
    });
    let duration = t
        .required(
            "duration",
            "how long the stage lasts, such as \"18 months\" or a distribution",
        )
        .and_then(|v| {
            let d = v.distribution(Dimension::Duration)?;
            non_negative(&v, &d)
        });
    let success = t.or("success", 1.0, |v| v.probability());
    let quality_effect = t.or("quality_effect", 0.0, |v| {
        v.number_in(-20.0, 20.0, "a change in log-odds")
    });
    let when_full = read_when_full(t);
    let place = place?;
    if place != Place::Home {
        // Only home stages have slots that can fill (enclave stages use the seats).
        for key in ["when_full", "patience"] {
            if let Some(v) = t.get(key) {
                v.fail(
                    "`when_full` and `patience` only on home stages",
                    &format!(
                        "`{key}` on a stage at the {}",
                        if place == Place::Enclave { "enclave" } else { "host" }
                    ),
                    Some("for enclave seats, set `when_full` and `patience` on the [[enclave]]".to_string()),
                );
            }
        }
    }
    t.finish();
    Some(Stage {
        name: name?,
        place,
        duration: duration?,
        success: success?,
        quality_effect: quality_effect?,
        when_full: when_full?,
    })
}

/// An optional key's reading: absent is fine (`Some(None)`), present but invalid is not.
fn lift<T>(read: Option<Read<T>>) -> Read<Option<T>> {
    match read {
        None => Some(None),
        Some(value) => value.map(Some),
    }
}

fn non_negative(v: &Value<'_, '_>, d: &Distribution) -> Read<Distribution> {
    if d.lower_bound() < 0.0 {
        v.fail(
            "a distribution of values of zero or more",
            &format!("one that can draw {}", d.lower_bound()),
            None,
        );
        return None;
    }
    Some(d.clone())
}

fn place_name(place: Place) -> &'static str {
    match place {
        Place::Enclave => "enclave",
        Place::Host => "host",
        Place::Home => "home",
    }
}

fn check_stage_order(tables: &[Table<'_, '_>], stages: &[Read<Stage>]) {
    if let Some(Some(first)) = stages.first() {
        if first.place != Place::Enclave {
            if let Some(v) = tables[0].get("place") {
                v.fail(
                    "\"enclave\" for the first stage (the chain starts in the enclave)",
                    &format!("\"{}\"", place_name(first.place)),
                    None,
                );
            }
        }
    }
    let mut latest: Option<Place> = None;
    for (t, stage) in tables.iter().zip(stages) {
        let Some(stage) = stage else { continue };
        if let Some(before) = latest.filter(|&b| stage.place < b) {
            if let Some(v) = t.get("place") {
                v.fail(
                    &format!(
                        "a place no earlier in the chain than a stage before it (\"{}\")",
                        place_name(before)
                    ),
                    &format!("\"{}\"", place_name(stage.place)),
                    Some("stages run enclave → host → home; list them in that order".to_string()),
                );
            }
        }
        latest = latest.max(Some(stage.place));
    }
}

fn read_city(t: &Table<'_, '_>, sectors: &Names, stage_names: &Names, stages: &[Read<Stage>]) -> Read<City> {
    let id = t.get("id").and_then(|v| v.string().map(str::to_string));
    let name = t.optional("name", |v| v.string().map(str::to_string));
    let role = t.required("role", "\"host\", \"home\" or \"both\"").and_then(|v| {
        Some(match v.choice(&["host", "home", "both"])? {
            "host" => Role::Host,
            "home" => Role::Home,
            _ => Role::Both,
        })
    });
    let province = t
        .required("province", "the province the city belongs to")
        .and_then(|v| v.string().map(str::to_string));
    let metro = t.optional("metro", |v| v.string().map(str::to_string));
    let mut fit = vec![0.0; sectors.names.len()];
    let fit_ok = t
        .optional("fit", |v| {
            let table = v.table()?;
            let mut ok = true;
            for (key, value) in table.entries() {
                match (
                    sectors.resolve_key(key, &value),
                    value.number_in(0.0, 1.0, "an industrial fit"),
                ) {
                    (Some(s), Some(f)) => fit[s] = f,
                    _ => ok = false,
                }
            }
            ok.then_some(())
        })
        .unwrap_or(Some(()));
    let mut capacity = vec![None; stages.len()];
    let capacity_ok = t
        .optional("capacity", |v| {
            let table = v.table()?;
            let mut ok = true;
            for (key, value) in table.entries() {
                let Some(s) = stage_names.resolve_key(key, &value) else {
                    ok = false;
                    continue;
                };
                if let Some(Some(stage)) = stages.get(s) {
                    if stage.place != Place::Home {
                        value.fail(
                            "a capacity for a home stage",
                            &format!("a capacity for `{key}`, which is not a home stage"),
                            Some(
                                "enclave stages use the enclave's `seats`; host stages are not capacity-limited"
                                    .to_string(),
                            ),
                        );
                        ok = false;
                        continue;
                    }
                }
                match value.integer_in(1, MAX_SEATS, "a number of slots") {
                    Some(c) => capacity[s] = Some(c as u32),
                    None => ok = false,
                }
            }
            ok.then_some(())
        })
        .unwrap_or(Some(()));
    let subsidy = t.or("landing_subsidy_yuan", 0.0, |v| {
        v.number_in(0.0, MAX_SUBSIDY_YUAN, "an amount in yuan")
    });
    let rivals = t.or("rival_enclaves", 0, |v| {
        v.integer_in(0, 1_000_000, "a number of rival enclaves")
    });
    let rival_attractiveness = t.or("rival_attractiveness", 0.0, |v| v.number_in(-100.0, 100.0, "a utility"));
    let talent = t.optional("talent", |v| read_talent(&v, sectors));
    let target = t.optional("registration_target", |v| {
        let r = v.table()?;
        let per_year = r
            .required("per_year", "landings to report each year")
            .and_then(|v| v.number_in(0.0, 1e6, "landings per year"));
        let fill = r.or("filled_by_shells", 1.0, |v| v.probability());
        r.finish();
        Some(RegistrationTarget {
            per_year: per_year?,
            filled_by_shells: fill?,
        })
    });
    t.finish();
    let role = role?;
    if role == Role::Home {
        // Rivals compete for a host's candidates; on a home city they would do nothing.
        for key in ["rival_enclaves", "rival_attractiveness"] {
            if let Some(v) = t.get(key) {
                v.fail(
                    &format!("`{key}` only on a city whose role is \"host\" or \"both\""),
                    &format!("`{key}` on a home city"),
                    None,
                );
            }
        }
    }
    if role == Role::Host {
        // These describe a home city; on a host they would be silently ignored.
        for key in [
            "fit",
            "capacity",
            "landing_subsidy_yuan",
            "registration_target",
            "talent",
        ] {
            if let Some(v) = t.get(key) {
                v.fail(
                    &format!("`{key}` only on a city whose role is \"home\" or \"both\""),
                    &format!("`{key}` on a host city"),
                    None,
                );
            }
        }
    }
    let id = id?;
    fit_ok?;
    capacity_ok?;
    Some(City {
        name: name.unwrap_or(Some(id.clone()))?,
        id,
        role,
        province: province?,
        metro: lift(metro)?,
        fit,
        capacity,
        landing_subsidy_yuan: subsidy?,
        registration_target: lift(target)?,
        talent: lift(talent)?,
        rival_enclaves: rivals? as u32,
        rival_attractiveness: rival_attractiveness?,
    })
}

/// The declared cities, for references from other sections.
struct Places<'n> {
    names: &'n Names,
    cities: &'n [Read<City>],
}

impl Places<'_> {
    /// Resolves the city named under `key`, checking its role when the city was read.
    fn city(&self, t: &Table<'_, '_>, key: &'static str, hosts: bool) -> Read<usize> {
        let v = t.required(key, "the id of a declared city")?;
        let i = self.names.resolve(&v)?;
        let city = self.cities[i].as_ref()?;
        let ok = if hosts { city.role.hosts() } else { city.role.is_home() };
        if !ok {
            let want = if hosts {
                "a host city (role \"host\" or \"both\")"
            } else {
                "a home city (role \"home\" or \"both\")"
            };
            let role = format!("{:?}", city.role).to_lowercase();
            v.fail(want, &format!("\"{}\", whose role is \"{role}\"", city.id), None);
            return None;
        }
        Some(i)
    }

    fn get(&self, i: usize) -> Option<&City> {
        self.cities[i].as_ref()
    }
}

fn read_links(root: &Table<'_, '_>, places: &Places<'_>, horizon: Option<Option<f64>>) -> Vec<Read<Link>> {
    let mut links: Vec<Read<Link>> = Vec::new();
    for t in root.tables("link").unwrap_or_default() {
        let home = places.city(&t, "home", false);
        let host = places.city(&t, "host", true);
        let travel = t
            .required("travel_time", "a travel time such as \"1.5 hours\"")
            .and_then(|v| v.hours());
        let same_city = t.or("same_city_treatment", false, |v| v.boolean());
        let breakdown = t.or("breakdown_hazard", 0.0, |v| v.rate());
        let breakdown_at = t.optional("breakdown_at", |v| {
            let month = v.duration()?;
            if let Some(Some(hz)) = horizon.filter(|h| h.is_some_and(|hz| month >= hz)) {
                v.fail(
                    "a breakdown month before the horizon",
                    &format!("month {month} (the horizon is {hz})"),
                    None,
                );
                return None;
            }
            Some(month)
        });
        let governance = t.optional("governance", |v| read_governance(&v));
        t.finish();
        let link = (|| {
            let (home, host) = (home?, host?);
            if links.iter().flatten().any(|l| l.home == home && l.host == host) {
                t.get("home").expect("home is present").fail(
                    "one link per home and host",
                    "a second link between the same cities",
                    None,
                );
                return None;
            }
            let (a, b) = (places.get(home)?, places.get(host)?);
            let barrier = if a.province == b.province {
                0.0
            } else if a.metro.is_some() && a.metro == b.metro {
                0.5
            } else {
                1.0
            };
            Some(Link {
                home,
                host,
                travel_hours: travel?,
                same_city_treatment: same_city?,
                barrier,
                breakdown_per_month: breakdown?,
                breakdown_at: lift(breakdown_at)?,
                governance: lift(governance)?,
            })
        })();
        links.push(link);
    }
    links
}

/// An operator's settings when the file leaves them out: neutral, or (with
/// `model_defaults = true`) the documented defaults of its model.
struct OperatorDefaults {
    scouting_noise: f64,
    admission_bar: Option<f64>,
    reach_factor: f64,
    services_boost: f64,
    fee_yuan_per_month: f64,
    fee_yuan_per_seat_year: f64,
    fee_yuan_per_landing: f64,
    occupancy_drift: f64,
}

/// Neutral settings: no noise, no bar, no services, no fees, no drift.
const NEUTRAL_OPERATOR: OperatorDefaults = OperatorDefaults {
    scouting_noise: 0.0,
    admission_bar: None,
    reach_factor: 1.0,
    services_boost: 0.0,
    fee_yuan_per_month: 0.0,
    fee_yuan_per_seat_year: 0.0,
    fee_yuan_per_landing: 0.0,
    occupancy_drift: 0.0,
};

/// The defaults of each operator model (docs/scenario.md, `[enclave.operator]`), all
/// assumptions to be calibrated: a government platform company scouts narrowly and
/// reads quality roughly, admits whoever comes, adds no services and is paid a flat
/// budget; a professional operator scouts widely through its networks, reads quality
/// better, keeps a bar, sells services that raise success, is paid partly by landing
/// and, renting out seats, lets its bar drift down when they stand empty.
fn model_defaults(kind: OperatorKind) -> OperatorDefaults {
    match kind {
        OperatorKind::Government => OperatorDefaults {
            scouting_noise: 1.0,
            admission_bar: None,
            reach_factor: 0.6,
            services_boost: 0.0,
            fee_yuan_per_month: 100_000.0,
            fee_yuan_per_seat_year: 0.0,
            fee_yuan_per_landing: 0.0,
            occupancy_drift: 0.0,
        },
        OperatorKind::Professional => OperatorDefaults {
            scouting_noise: 0.5,
            admission_bar: Some(-0.3),
            reach_factor: 1.0,
            services_boost: 0.4,
            fee_yuan_per_month: 50_000.0,
            fee_yuan_per_seat_year: 0.0,
            fee_yuan_per_landing: 300_000.0,
            occupancy_drift: 0.5,
        },
    }
}

fn read_operator(t: &Table<'_, '_>) -> Read<Operator> {
    let Some(v) = t.get("operator") else {
        let d = NEUTRAL_OPERATOR;
        return Some(Operator {
            kind: OperatorKind::Government,
            scouting_noise: d.scouting_noise,
            admission_bar: d.admission_bar,
            fee_yuan_per_month: d.fee_yuan_per_month,
            occupancy_drift: d.occupancy_drift,
            reach_factor: d.reach_factor,
            services_boost: d.services_boost,
            fee_yuan_per_seat_year: d.fee_yuan_per_seat_year,
            fee_yuan_per_landing: d.fee_yuan_per_landing,
            reports_landing_fees: false,
        });
    };
    let o = v.table()?;
    let kind = o.or("model", OperatorKind::Government, |v| {
        Some(match v.choice(&["government", "professional"])? {
            "government" => OperatorKind::Government,
            _ => OperatorKind::Professional,
        })
    });
    let by_model = o.or("model_defaults", false, |v| v.boolean());
    let d = match (kind, by_model) {
        (Some(kind), Some(true)) => model_defaults(kind),
        _ => NEUTRAL_OPERATOR,
    };
    let noise = o.or("scouting_noise", d.scouting_noise, |v| {
        v.number_in(0.0, 100.0, "a noise level")
    });
    let bar = o.optional("admission_bar", |v| v.number_in(-100.0, 100.0, "a quality bar"));
    let fee = o.or("fee_yuan_per_month", d.fee_yuan_per_month, |v| {
        v.number_in(0.0, 1e10, "a fee in yuan per month")
    });
    let drift = o.or("occupancy_drift", d.occupancy_drift, |v| {
        v.number_in(0.0, 100.0, "a drop of the bar per share of empty seats")
    });
    let reach_factor = o.or("reach_factor", d.reach_factor, |v| {
        v.number_in(0.0, 100.0, "a factor on the enclave's reach")
    });
    let services = o.or("services_boost", d.services_boost, |v| {
        v.number_in(-20.0, 20.0, "a change in log-odds")
    });
    let per_seat = o.or("fee_yuan_per_seat_year", d.fee_yuan_per_seat_year, |v| {
        v.number_in(0.0, 1e9, "a fee in yuan per seat per year")
    });
    let per_landing = o.or("fee_yuan_per_landing", d.fee_yuan_per_landing, |v| {
        v.number_in(0.0, 1e10, "a fee in yuan per real landing")
    });
    o.finish();
    by_model?;
    Some(Operator {
        kind: kind?,
        scouting_noise: noise?,
        admission_bar: lift(bar)?.or(d.admission_bar),
        fee_yuan_per_month: fee?,
        occupancy_drift: drift?,
        reach_factor: reach_factor?,
        services_boost: services?,
        fee_yuan_per_seat_year: per_seat?,
        fee_yuan_per_landing: per_landing?,
        reports_landing_fees: o.has("fee_yuan_per_landing") || by_model == Some(true),
    })
}

fn read_enclaves(
    root: &Table<'_, '_>,
    places: &Places<'_>,
    sectors: &Names,
    links: &[Read<Link>],
    needs_link: bool,
    horizon: Option<Option<f64>>,
) -> Vec<Read<Enclave>> {
    let tables = root.tables("enclave");
    let ids = declare(tables.as_deref(), "id", "enclave");
    let tables = tables.unwrap_or_default();
    at_most(root, "enclave", tables.len(), MAX_PLACES);
    let mut out = Vec::new();
    for (t, id) in tables.iter().zip(&ids.names) {
        let name = t.optional("name", |v| v.string().map(str::to_string));
        let owner = places.city(t, "owner", false);
        let host = places.city(t, "host", true);
        let seats = t
            .required("seats", "the number of workstations")
            .and_then(|v| v.integer_in(1, MAX_SEATS, "a number of seats"));
        let area = t.or("floor_area_m2", 0.0, |v| v.number_in(0.0, 1e8, "a floor area in m²"));
        let area_per_seat = t.optional("area_per_seat_m2", |v| {
            let a = v.number_in(0.0, 1e5, "a floor area per seat in m²")?;
            if let Some(f) = t.get("floor_area_m2") {
                f.fail(
                    "either `floor_area_m2` or `area_per_seat_m2`, not both",
                    "both",
                    Some("with `area_per_seat_m2` the floor area is seats × area per seat".to_string()),
                );
                return None;
            }
            Some(a)
        });
        let rent = t.or("rent_yuan_per_m2_month", 0.0, |v| {
            v.number_in(0.0, 1e6, "a rent in yuan per m² per month")
        });
        let opens = t.or("opens", 0.0, |v| {
            let month = v.duration()?;
            if let Some(Some(hz)) = horizon.filter(|h| h.is_some_and(|hz| month >= hz)) {
                v.fail(
                    "an opening month before the horizon",
                    &format!("month {month} (the horizon is {hz})"),
                    None,
                );
                return None;
            }
            Some(month)
        });
        let focus = t
            .optional("sectors", |v| {
                let items = v.array()?;
                if items.is_empty() {
                    v.fail(
                        "at least one sector (or leave `sectors` out to scout all)",
                        "an empty list",
                        None,
                    );
                    return None;
                }
                let mut mask = vec![false; sectors.names.len()];
                let mut ok = true;
                for item in &items {
                    match sectors.resolve(item) {
                        Some(s) => mask[s] = true,
                        None => ok = false,
                    }
                }
                ok.then_some(mask)
            })
            .unwrap_or(Some(vec![true; sectors.names.len()]));
        let reach = t.or("reach", 1.0, |v| v.probability());
        let lock_in = t.or("lock_in_share", 0.0, |v| v.probability());
        let attractiveness = t.or("attractiveness", 0.0, |v| v.number_in(-100.0, 100.0, "a utility"));
        let when_full = read_when_full(t);
        let operator = read_operator(t);
        t.finish();
        let enclave = (|| {
            let (owner, host) = (owner?, host?);
            let link = links
                .iter()
                .position(|l| l.as_ref().is_some_and(|l| l.home == owner && l.host == host));
            if needs_link && link.is_none() && links.iter().all(Option::is_some) {
                t.get("host").expect("host is present").fail(
                    &format!(
                        "a [[link]] between home \"{}\" and host \"{}\"",
                        places.get(owner)?.id,
                        places.get(host)?.id
                    ),
                    "no such link",
                    Some("the landing choice needs the travel time and barrier between the two cities".to_string()),
                );
                return None;
            }
            Some(Enclave {
                id: id.clone(),
                name: name.unwrap_or(Some(id.clone()))?,
                owner,
                host,
                seats: seats? as u32,
                floor_area_m2: area?,
                area_per_seat_m2: lift(area_per_seat)?,
                rent_yuan_per_m2_month: rent?,
                operator: operator.clone()?,
                focus: focus?,
                reach: (reach? * operator.as_ref()?.reach_factor).min(1.0),
                opens: opens?,
                when_full: when_full?,
                lock_in_share: lock_in?,
                link,
                attractiveness: attractiveness?,
            })
        })();
        out.push(enclave);
    }
    out
}

fn read_quality(t: &Table<'_, '_>) -> Read<(f64, f64)> {
    let mean = t.or("quality_mean", 0.0, |v| v.number_in(-10.0, 10.0, "a mean quality"));
    let sd = t.or("quality_sd", 1.0, |v| v.number_in(0.0, 10.0, "a quality spread"));
    Some((mean?, sd?))
}

fn read_flows(root: &Table<'_, '_>, places: &Places<'_>, sectors: &Names) -> Vec<Read<Flow>> {
    let tables = root.tables("flow").unwrap_or_default();
    at_most(root, "flow", tables.len(), MAX_FLOWS);
    let mut out = Vec::new();
    for t in tables {
        let host = places.city(&t, "host", true);
        let sector = t.required("sector", "a sector name").and_then(|v| sectors.resolve(&v));
        let rate = t
            .required("rate", "a rate such as \"40 per year\"")
            .and_then(|v| v.rate());
        let seasonality = t.optional("seasonality", |v| {
            let w = v.numbers()?;
            if w.len() != 12 || w.iter().any(|&x| x < 0.0) || w.iter().sum::<f64>() <= 0.0 {
                v.fail(
                    "12 monthly weights (January first), none negative, not all zero",
                    &format!("{} values", w.len()),
                    None,
                );
                return None;
            }
            let mean = w.iter().sum::<f64>() / 12.0;
            let mut arr = [0.0; 12];
            for (a, x) in arr.iter_mut().zip(&w) {
                *a = x / mean;
            }
            Some(arr)
        });
        let quality = read_quality(&t);
        t.finish();
        out.push((|| {
            let (quality_mean, quality_sd) = quality?;
            Some(Flow {
                host: host?,
                sector: sector?,
                rate_per_month: rate?,
                seasonality: lift(seasonality)?,
                quality_mean,
                quality_sd,
            })
        })());
    }
    out
}

/// A dated schedule as read: `at` (months), `every` (an interval) and `start`, each
/// absent or read.
type Schedule = (Option<Read<Vec<f64>>>, Option<Read<f64>>, Option<Read<f64>>);

/// A dated schedule's keys: `at` (a list of months, `what` naming them in the error),
/// or `every` (an interval above 0) with an optional `start`.
fn read_schedule(t: &Table<'_, '_>, what: &'static str) -> Schedule {
    let at = t.optional("at", |v| {
        let items = v.array()?;
        if items.len() > MAX_BATCHES {
            v.fail(
                &format!("at most {MAX_BATCHES} {what}"),
                &format!("{}", items.len()),
                None,
            );
            return None;
        }
        items.iter().map(|i| i.duration()).collect::<Read<Vec<f64>>>()
    });
    let every = t.optional("every", |v| {
        let e = v.duration()?;
        if e <= 0.0 {
            v.fail("an interval above 0", &format!("{e} months"), None);
            return None;
        }
        Some(e)
    });
    let start = t.optional("start", |v| v.duration());
    (at, every, start)
}

fn read_bursts(
    root: &Table<'_, '_>,
    places: &Places<'_>,
    sectors: &Names,
    enclaves: &[Read<Enclave>],
    horizon: Option<Option<f64>>,
) -> Vec<Read<Burst>> {
    let tables = root.tables("burst").unwrap_or_default();
    at_most(root, "burst", tables.len(), MAX_SECTORS);
    let mut out = Vec::new();
    for t in tables {
        let name = t.or("name", String::from("burst"), |v| v.string().map(str::to_string));
        let host = places.city(&t, "host", true);
        let sector = t.required("sector", "a sector name").and_then(|v| sectors.resolve(&v));
        let size = t
            .required("size", "candidates per batch (a number or a distribution)")
            .and_then(|v| {
                let d = v.distribution(Dimension::Number)?;
                if d.mean() > MAX_BATCH_SIZE {
                    v.fail(
                        &format!("a mean batch size of at most {MAX_BATCH_SIZE}"),
                        &format!("{}", d.mean()),
                        None,
                    );
                    return None;
                }
                non_negative(&v, &d)
            });
        let (at, every, start) = read_schedule(&t, "batch times");
        let enclave_names = Names {
            what: "enclave",
            names: enclaves
                .iter()
                .map(|e| e.as_ref().map_or(String::new(), |e| e.id.clone()))
                .collect(),
            complete: enclaves.iter().all(Option::is_some),
        };
        let runner = t.optional("enclave", |v| {
            let e = enclave_names.resolve(&v)?;
            if let (Some(enclave), Some(Some(h))) = (enclaves[e].as_ref(), host.map(Some)) {
                if enclave.host != h {
                    v.fail(
                        "an enclave in the burst's host city",
                        &format!("\"{}\", which sits in another city", enclave.id),
                        None,
                    );
                    return None;
                }
            }
            Some(e)
        });
        let quality = read_quality(&t);
        t.finish();
        let times = burst_times(&t, at, every, start, horizon);
        out.push((|| {
            let (quality_mean, quality_sd) = quality?;
            Some(Burst {
                enclave: lift(runner)?,
                name: name?,
                host: host?,
                sector: sector?,
                times: times?,
                size: size?,
                quality_mean,
                quality_sd,
            })
        })());
    }
    out
}

/// The batch times of a burst from `at`, or from `every` and `start`. `horizon` is
/// `None` when the header could not be read: the checks that need it are then skipped.
fn burst_times(
    t: &Table<'_, '_>,
    at: Option<Read<Vec<f64>>>,
    every: Option<Read<f64>>,
    start: Option<Read<f64>>,
    horizon: Option<Option<f64>>,
) -> Read<Vec<f64>> {
    dated_times(t, at, every, start, horizon, ("batch", "batches", "burst"))
}

/// The times of something that happens at dates (a burst's batches, a challenge's
/// postings) from `at`, or from `every` and `start`; `words` name one, several, and the
/// thing itself in messages.
fn dated_times(
    t: &Table<'_, '_>,
    at: Option<Read<Vec<f64>>>,
    every: Option<Read<f64>>,
    start: Option<Read<f64>>,
    horizon: Option<Option<f64>>,
    words: (&str, &str, &str),
) -> Read<Vec<f64>> {
    let (one, several, thing) = words;
    let end = horizon.flatten().unwrap_or(f64::INFINITY);
    let times = match (at, every) {
        (Some(at), None) => {
            if start.is_some() {
                t.get("start").expect("start is present").fail(
                    "`start` only with `every`",
                    "`start` with `at`",
                    Some("`at` lists the months themselves; remove `start`".to_string()),
                );
                return None;
            }
            let mut at = at?;
            at.sort_by(f64::total_cmp);
            if let Some(&last) = at.last().filter(|&&last| last >= end) {
                t.get("at").expect("at is present").fail(
                    "times before the horizon",
                    &format!("a time at month {last} (the horizon is {end})"),
                    None,
                );
                return None;
            }
            at
        }
        (None, Some(every)) => {
            let every_value = t.get("every").expect("every is present");
            let (every, start) = (every?, lift(start)?.unwrap_or(0.0));
            if horizon == Some(None) {
                every_value.fail(
                    &format!("`at` times (repeating {thing}s need a horizon)"),
                    "`every` without a horizon",
                    None,
                );
                return None;
            }
            let batches = ((end - start) / every).ceil().max(0.0);
            // The header failed: without a horizon there is nothing to count batches to.
            horizon?;
            if batches > MAX_BATCHES as f64 {
                every_value.fail(
                    &format!("at most {MAX_BATCHES} {several} over the horizon"),
                    &format!("{batches:.3e} {several}, one every {every:.3e} months"),
                    None,
                );
                return None;
            }
            (0..batches as usize)
                .map(|k| start + k as f64 * every)
                .filter(|&time| time < end)
                .collect()
        }
        (Some(_), Some(_)) => {
            t.get("every")
                .expect("every is present")
                .fail("either `at` or `every`, not both", "both", None);
            return None;
        }
        (None, None) => {
            t.missing(
                "at",
                &format!("the months of the {several} (`at = [\"6 months\"]`) or `every = \"12 months\"`"),
            );
            return None;
        }
    };
    if times.is_empty() && horizon.is_some() {
        let key = if t.has("at") { "at" } else { "start" };
        t.get(key)
            .unwrap_or_else(|| t.get("every").expect("every is present"))
            .fail(
                &format!("at least one {one} before the horizon"),
                "none",
                Some(format!(
                    "a {thing} that never happens is probably a mistake in `at` or `start`"
                )),
            );
        return None;
    }
    Some(times)
}

fn read_funds(root: &Table<'_, '_>, places: &Places<'_>, stages: &Names) -> Vec<Read<Fund>> {
    let mut out = Vec::new();
    for t in root.tables("fund").unwrap_or_default() {
        let name = t.or("name", String::from("fund"), |v| v.string().map(str::to_string));
        let owner = places.city(&t, "owner", false);
        let size = t
            .required("size_yuan", "the government money committed, yuan")
            .and_then(|v| v.number_in(0.0, MAX_FUND_YUAN, "an amount in yuan"));
        let share = t
            .required(
                "government_share",
                "the government's share of each ticket, such as 0.25",
            )
            .and_then(|v| {
                let g = v.probability()?;
                if g <= 0.0 {
                    v.fail("a government share above 0", "0", None);
                    return None;
                }
                Some(g)
            });
        let ticket = t
            .required("ticket_yuan", "the investment per project, yuan")
            .and_then(|v| v.number_in(1.0, 1e12, "an amount in yuan"));
        let stage = t
            .required("stage", "the stage at whose start the fund invests")
            .and_then(|v| stages.resolve(&v));
        let bar = t.optional("selection_bar", |v| v.number_in(-100.0, 100.0, "a quality bar"));
        let noise = t.or("scouting_noise", 0.0, |v| v.number_in(0.0, 100.0, "a noise level"));
        let clause = t.or("return_clause", 0.0, |v| v.probability());
        let multiple = t.or("return_multiple", 0.0, |v| {
            v.number_in(0.0, 1000.0, "a multiple of the ticket")
        });
        let mechanics = read_fund_mechanics(&t, multiple);
        t.finish();
        out.push((|| {
            let (return_quota, follow_on, exit_after, exit_multiple, listing_chance) = mechanics?;
            Some(Fund {
                name: name?,
                owner: owner?,
                size_yuan: size?,
                government_share: share?,
                ticket_yuan: ticket?,
                stage: stage?,
                selection_bar: lift(bar)?,
                scouting_noise: noise?,
                return_clause: clause?,
                return_multiple: multiple?,
                return_quota,
                follow_on,
                exit_after,
                exit_multiple,
                listing_chance,
            })
        })());
    }
    out
}

/// What a fund's mechanics read: the return quota, follow-on, exit timing, exit multiple
/// and listing chance.
type FundMechanics = (
    Option<f64>,
    Option<Distribution>,
    Option<Distribution>,
    Option<Distribution>,
    f64,
);

/// A fund's return quota, follow-on round, exits and listings (all off by default).
fn read_fund_mechanics(t: &Table<'_, '_>, multiple: Read<f64>) -> Read<FundMechanics> {
    let quota = t.optional("return_quota", |v| {
        v.number_in(0.0, 1000.0, "a multiple of the fund's size")
    });
    // A multiple of money: non-negative, with a mean a planner could mean.
    let multiple_of = |key: &'static str, what: &'static str| {
        t.optional(key, |v| {
            let d = v.distribution(Dimension::Number)?;
            let d = non_negative(&v, &d)?;
            if d.mean() > 1000.0 {
                v.fail(what, &format!("a mean of {}", d.mean()), None);
                return None;
            }
            Some(d)
        })
    };
    let follow_on = multiple_of("follow_on", "a multiple of the ticket with a mean of at most 1,000");
    let exit_after = t.optional("exit_after", |v| {
        let d = v.distribution(Dimension::Duration)?;
        non_negative(&v, &d)
    });
    let exit_multiple = multiple_of(
        "exit_multiple",
        "a multiple of the money exited with a mean of at most 1,000",
    );
    let listing = t.or("listing_chance", 0.0, |v| v.probability());
    let exits = t.has("exit_after");
    for key in ["exit_multiple", "listing_chance"] {
        if let (Some(v), false) = (t.get(key), exits) {
            v.fail(
                "`exit_multiple` and `listing_chance` only with `exit_after`",
                &format!("`{key}` in a fund that never exits"),
                Some("add `exit_after = \"5 years\"` (or a distribution), or remove the key".to_string()),
            );
        }
    }
    if let (true, false) = (exits, t.has("exit_multiple")) {
        t.missing(
            "exit_multiple",
            "what an exit returns per yuan (a multiple or a distribution), needed with `exit_after`",
        );
    }
    if let (Some(Some(q)), Some(m)) = (quota, multiple) {
        if q > 0.0 && m <= 0.0 {
            t.get("return_quota").expect("quota is present").fail(
                "a `return_quota` only with a `return_multiple` above 0",
                "a quota that no landing can fill",
                Some("set `return_multiple` (Kunshan: 3.46) or remove `return_quota`".to_string()),
            );
            return None;
        }
    }
    Some((
        lift(quota)?,
        lift(follow_on)?,
        lift(exit_after)?,
        lift(exit_multiple)?,
        listing?,
    ))
}

/// `[risk_fund]`: the parties' shares, the size and what it covers.
fn read_risk_fund(v: &Value<'_, '_>, economics: bool) -> Read<RiskFund> {
    let t = v.table()?;
    if !economics {
        v.fail(
            "[risk_fund] only with [economics] (its costs are reported by party)",
            "[risk_fund] without [economics]",
            None,
        );
    }
    let shares = t
        .required(
            "shares",
            "the parties' shares of what the fund pays, such as { home = 0.6, host = 0.4 }",
        )
        .and_then(|v| read_shares(&v));
    let size = t
        .required("size_yuan", "the money the parties commit, yuan")
        .and_then(|v| v.number_in(1.0, MAX_FUND_YUAN, "an amount in yuan"));
    let cover = t.or("cover", 0.0, |v| v.probability());
    let loss = t.or("loss_per_failure_yuan", 0.0, |v| {
        v.number_in(0.0, 1e12, "an amount in yuan")
    });
    let subsidy_cover = t.or("subsidy_cover", 0.0, |v| v.probability());
    t.finish();
    if let (Some(c), Some(s)) = (cover, subsidy_cover) {
        if c <= 0.0 && s <= 0.0 {
            v.fail(
                "a `cover` or a `subsidy_cover` above 0",
                "a risk fund that covers nothing",
                Some("`cover = 0.5` pays half of failed projects' losses".to_string()),
            );
            return None;
        }
    }
    let (parties, shares) = shares?;
    Some(RiskFund {
        home: parties.iter().position(|p| p == "home"),
        parties,
        shares,
        size_yuan: size?,
        cover: cover?,
        loss_per_failure_yuan: loss?,
        subsidy_cover: subsidy_cover?,
    })
}

/// `{ home = 0.6, host = 0.4 }`: parties and their weights, normalized to sum to 1.
fn read_shares(v: &Value<'_, '_>) -> Read<(Vec<String>, Vec<f64>)> {
    let t = v.table()?;
    let mut parties = Vec::new();
    let mut weights = Vec::new();
    let mut ok = true;
    for (key, value) in t.entries() {
        match value.number_in(0.0, MAX_TAX_WEIGHT, "a weight") {
            Some(w) => {
                parties.push(key.to_string());
                weights.push(w);
            }
            None => ok = false,
        }
    }
    let total: f64 = weights.iter().sum();
    if ok && total <= 0.0 {
        v.fail(
            "weights of the parties, not all zero, such as { home = 0.6, host = 0.4 }",
            "no positive weight",
            None,
        );
        return None;
    }
    ok.then(|| (parties, weights.iter().map(|w| w / total).collect()))
}

/// The per-party totals name a party `social_capital` themselves: no tax or risk-fund
/// party may take that name when they are reported.
fn check_party_names(root: &Table<'_, '_>, economics: &Option<Read<Economics>>, risk_fund: &Option<Read<RiskFund>>) {
    let Some(Some(economics)) = economics else { return };
    let risk_fund_read = matches!(risk_fund, Some(Some(_)));
    if !(economics.party_totals || risk_fund.is_some()) {
        return;
    }
    for (section, key, read) in [
        ("economics", "tax_split", true),
        ("risk_fund", "shares", risk_fund_read),
    ] {
        let split = read
            .then(|| root.get(section))
            .flatten()
            .and_then(|v| v.table())
            .and_then(|t| t.get(key))
            .and_then(|v| v.table());
        if let Some(v) = split.and_then(|t| t.get(SOCIAL_CAPITAL)) {
            v.fail(
                "party names other than `social_capital` when costs and benefits are reported by party",
                "`social_capital`, the name of the social investors' totals",
                Some("call the party something else, such as `investors`".to_string()),
            );
        }
    }
}

/// The name of the social investors in the per-party totals.
const SOCIAL_CAPITAL: &str = "social_capital";

/// A `risk_cover` landing weight with no risk fund would silently do nothing.
fn check_risk_cover(root: &Table<'_, '_>, landing: &Option<Read<Option<Landing>>>, risk_fund: bool) {
    let Some(Some(Some(landing))) = landing else { return };
    if landing.weights.risk_cover != 0.0 && !risk_fund {
        let weight = root
            .get("landing")
            .and_then(|v| v.table())
            .and_then(|t| t.get("weights"))
            .and_then(|v| v.table())
            .and_then(|t| t.get("risk_cover"));
        if let Some(v) = weight {
            v.fail(
                "a `risk_cover` weight only with a [risk_fund]",
                "a weight on a risk cover that no fund gives",
                Some("add a [risk_fund] table, or remove the weight".to_string()),
            );
        }
    }
}

/// Settings that would silently do nothing: a fund investing once projects have already
/// landed, a yearly registration target with no horizon to count years in.
fn check_timing(
    root: &Table<'_, '_>,
    header: &Option<Header>,
    cities: &[Read<City>],
    stages: &[Read<Stage>],
    funds: &[Read<Fund>],
) {
    let fund_tables = root.tables("fund").unwrap_or_default();
    for (t, fund) in fund_tables.iter().zip(funds) {
        let Some(fund) = fund else { continue };
        if let Some(Some(stage)) = stages.get(fund.stage) {
            if stage.place == Place::Home {
                t.get("stage").expect("stage is present").fail(
                    "a stage before the projects reach home (an enclave or host stage)",
                    &format!("\"{}\", a home stage: the fund would invest after landing", stage.name),
                    Some("a return-investment clause acts at the hand-off, so invest before it".to_string()),
                );
            }
        }
    }
    if header.as_ref().is_some_and(|h| h.horizon.is_none()) {
        let city_tables = root.tables("city").unwrap_or_default();
        for (t, city) in city_tables.iter().zip(cities) {
            if city.as_ref().is_some_and(|c| c.registration_target.is_some()) {
                t.get("registration_target").expect("target is present").fail(
                    "a `registration_target` only with a `horizon` (targets count years)",
                    "a target in a run stopped by `candidate_limit` alone",
                    None,
                );
            }
        }
    }
}

fn read_vouchers(root: &Table<'_, '_>, places: &Places<'_>, stages: &Names) -> Vec<Read<Voucher>> {
    let mut out = Vec::new();
    for t in root.tables("voucher").unwrap_or_default() {
        let owner = places.city(&t, "owner", false);
        let stage = t
            .required("stage", "the stage whose projects receive vouchers")
            .and_then(|v| stages.resolve(&v));
        let budget = t
            .required("budget_yuan", "the total budget, yuan")
            .and_then(|v| v.number_in(0.0, 1e13, "an amount in yuan"));
        let amount = t
            .required("amount_yuan", "the amount per project, yuan")
            .and_then(|v| v.number_in(1.0, 1e12, "an amount in yuan"));
        let boost = t.or("success_boost", 0.0, |v| {
            v.number_in(-20.0, 20.0, "a change in log-odds")
        });
        let factor = t.or("duration_factor", 1.0, |v| {
            v.number_in(0.01, 10.0, "a factor on the stage's duration")
        });
        t.finish();
        if let (Some(b), Some(a)) = (budget, amount) {
            if b < a {
                t.get("budget_yuan").expect("budget is present").fail(
                    "a budget of at least one voucher",
                    &format!("{b} yuan, less than the {a} yuan of one voucher"),
                    None,
                );
            }
        }
        out.push((|| {
            Some(Voucher {
                owner: owner?,
                stage: stage?,
                budget_yuan: budget?,
                amount_yuan: amount?,
                success_boost: boost?,
                duration_factor: factor?,
            })
        })());
    }
    out
}

fn read_economics(v: &Value<'_, '_>, sectors: &Names, horizon: Option<Option<f64>>) -> Read<Economics> {
    let t = v.table()?;
    if horizon == Some(None) {
        v.fail(
            "[economics] only with a `horizon` (output and tax accrue over time)",
            "[economics] in a run stopped by `candidate_limit` alone",
            None,
        );
    }
    // `output` is one distribution for every sector, or a table of sector → distribution.
    let output = t
        .required(
            "output",
            "annual output per firm at full scale, yuan (a value, a distribution, or one per sector)",
        )
        .and_then(|o| {
            let per_sector = if o.is_table() {
                o.table().filter(|table| !table.has("dist"))
            } else {
                None
            };
            match per_sector {
                None => {
                    let d = o.distribution(Dimension::Number)?;
                    Some(vec![non_negative(&o, &d)?; sectors.names.len()])
                }
                Some(table) => {
                    let mut out: Vec<Option<Distribution>> = vec![None; sectors.names.len()];
                    let mut ok = true;
                    for (key, value) in table.entries() {
                        let d = value
                            .distribution(Dimension::Number)
                            .and_then(|d| non_negative(&value, &d));
                        match (sectors.resolve_key(key, &value), d) {
                            (Some(s), Some(d)) => out[s] = Some(d),
                            _ => ok = false,
                        }
                    }
                    let missing: Vec<&str> = out
                        .iter()
                        .zip(&sectors.names)
                        .filter(|(d, _)| d.is_none())
                        .map(|(_, n)| n.as_str())
                        .collect();
                    if ok && !missing.is_empty() {
                        o.fail(
                            "an output for every sector",
                            &format!("none for {}", missing.join(", ")),
                            None,
                        );
                        return None;
                    }
                    out.into_iter().collect()
                }
            }
        });
    let ramp_up = t.or("ramp_up", 0.0, |v| v.duration());
    let tax_rate = t
        .required("tax_rate", "tax as a share of output, such as 0.08")
        .and_then(|v| v.probability());
    let jobs = t.or("jobs_per_million_yuan", 0.0, |v| {
        v.number_in(0.0, 1e4, "jobs per million yuan of output")
    });
    let split = match t.get("tax_split") {
        None => Some(TaxSplit {
            parties: vec!["home".to_string()],
            base: vec![1.0],
            home: Some(0),
            home_floating: 0.0,
        }),
        Some(v) => read_tax_split(&v),
    };
    let party_totals = t.or("party_totals", false, |v| v.boolean());
    // Display names only (reports, charts, workbooks); checked here so that a misspelt
    // party is located like any other mistake.
    let party_names = t.or("party_names", (), |v| read_party_names(&v, split.as_ref()));
    t.finish();
    party_names?;
    Some(Economics {
        output: output?,
        ramp_up: ramp_up?,
        tax_rate: tax_rate?,
        jobs_per_million_yuan: jobs?,
        tax_split: split?,
        party_totals: party_totals?,
    })
}

/// The most characters of a party's display name.
const MAX_PARTY_NAME_CHARS: usize = 100;

/// `party_names = { taicang = "太仓 Taicang" }`: what readers call each party of the
/// split (`split`, when it could be read), in one language or both.
fn read_party_names(v: &Value<'_, '_>, split: Option<&TaxSplit>) -> Read<()> {
    let t = v.table()?;
    let mut ok = true;
    for (key, value) in t.entries() {
        if let Some(split) = split {
            if !split.parties.iter().any(|p| p == key) {
                value.fail(
                    &format!("a party of `tax_split` ({})", split.parties.join(", ")),
                    &format!("\"{}\"", key.escape_debug()),
                    None,
                );
                ok = false;
                continue;
            }
        }
        match value.string() {
            Some(name) if name.trim().is_empty() || name.chars().count() > MAX_PARTY_NAME_CHARS => {
                value.fail(
                    &format!("a name of 1 to {MAX_PARTY_NAME_CHARS} characters, such as \"太仓 Taicang\""),
                    &format!("{} characters", name.trim().chars().count()),
                    None,
                );
                ok = false;
            }
            Some(_) => {}
            None => ok = false,
        }
    }
    ok.then_some(())
}

/// `tax_split = { home = 5, host = 3, taicang = 2, home_floating = 0.2 }`: weights of each
/// party (normalized to sum to 1) and the floating part of the home share.
/// Reads a link's `[link.governance]` table. Defaults are feidi's assumptions
/// (docs/scenario.md, section 2.3).
fn read_governance(v: &Value<'_, '_>) -> Read<Governance> {
    let g = v.table()?;
    let body = g.or("body", Body::None, |v| Body::from_name(v.choice(&Body::NAMES)?));
    let gdp = g.or("gdp_share_host", 0.0, |v| v.probability());
    let expected = g.or("expected_host_share", 0.5, |v| v.number_in(0.0, 2.0, "a benefit share"));
    let sensitivity = g.or("fairness_sensitivity", 5.0, |v| {
        v.number_in(0.0, 100.0, "a rise of the log-hazard per unit of shortfall")
    });
    let factors = |key: &'static str, defaults: [f64; 3], what: &str| {
        g.or(key, defaults, |v| {
            let t = v.table()?;
            let mut out = defaults;
            let conference = t.optional("joint_conference", |v| v.number_in(0.0, 100.0, what));
            let committee = t.optional("joint_committee", |v| v.number_in(0.0, 100.0, what));
            t.finish();
            if let Some(c) = conference {
                out[Body::JointConference.index()] = c?;
            }
            if let Some(c) = committee {
                out[Body::JointCommittee.index()] = c?;
            }
            Some(out)
        })
    };
    let hazard = factors("hazard_factors", [1.0, 0.7, 0.5], "a factor on the breakdown hazard");
    let barrier = factors(
        "barrier_factors",
        [1.0, 0.75, 0.5],
        "a factor on the administrative barrier",
    );
    g.finish();
    Some(Governance {
        body: body?,
        gdp_share_host: gdp?,
        expected_host_share: expected?,
        fairness_sensitivity: sensitivity?,
        hazard_factor: hazard?,
        barrier_factor: barrier?,
    })
}

/// Reads a home city's `[city.talent]` table; the graduates' enclave and default sector
/// are settled by [`resolve_graduates`] once the enclaves are read. Defaults are feidi's
/// assumptions (docs/scenario.md, section 2.2).
fn read_talent(v: &Value<'_, '_>, sectors: &Names) -> Read<Talent> {
    let t = v.table()?;
    let count = |key: &'static str, max: f64, what: &str| t.or(key, 0.0, |v| v.number_in(0.0, max, what));
    let yuan = |key: &'static str, default: f64, what: &str| t.or(key, default, |v| v.number_in(0.0, 1e9, what));
    let experts = count("experts", 1e6, "a number of experts");
    let per_100 = t.or("boost_per_100_experts", 0.05, |v| {
        v.number_in(0.0, 20.0, "a change in log-odds per 100 experts")
    });
    let max_boost = t.or("max_boost", 0.5, |v| v.number_in(0.0, 20.0, "a change in log-odds"));
    let expert_cost = yuan("cost_yuan_per_expert_year", 30_000.0, "yuan per expert per year");
    let commuters = count("commuters", 1e7, "a number of commuters");
    let pull = t.or("pull_per_1000_commuters", 0.05, |v| {
        v.number_in(0.0, 100.0, "a utility per 1,000 commuters")
    });
    let commuter_cost = yuan("cost_yuan_per_commuter_year", 2_000.0, "yuan per commuter per year");
    let graduates = count("graduates_per_year", 1e5, "graduates per year");
    let share = t.or("graduate_project_share", 0.1, |v| v.probability());
    let graduate_cost = yuan("cost_yuan_per_graduate", 50_000.0, "yuan per graduate");
    let sector = t.optional("graduate_sector", |v| sectors.resolve(&v));
    t.finish();
    Some(Talent {
        experts: experts?,
        boost_per_100_experts: per_100?,
        max_boost: max_boost?,
        cost_yuan_per_expert_year: expert_cost?,
        commuters: commuters?,
        pull_per_1000_commuters: pull?,
        cost_yuan_per_commuter_year: commuter_cost?,
        graduates_per_year: graduates?,
        graduate_project_share: share?,
        cost_yuan_per_graduate: graduate_cost?,
        graduate_enclave: None,
        // Settled by `resolve_graduates`; `usize::MAX` marks "not given".
        graduate_sector: lift(sector)?.unwrap_or(usize::MAX),
    })
}

/// Sends each home city's graduates to the first enclave it owns, in the sector given or
/// else the first the enclave scouts; a city with graduates and no enclave, or a sector
/// its enclave does not scout, is an error at its `[city.talent]`.
fn resolve_graduates(
    tables: &[Table<'_, '_>],
    mut cities: Vec<Read<City>>,
    enclaves: &[Read<Enclave>],
    sectors: &Names,
) -> Vec<Read<City>> {
    if enclaves.iter().any(Option::is_none) {
        // The enclaves' own errors say what is wrong; ownership is unknown.
        return cities;
    }
    for (c, (city, table)) in cities.iter_mut().zip(tables).enumerate() {
        let Some(talent) = city.as_mut().and_then(|city| city.talent.as_mut()) else {
            continue;
        };
        if talent.graduates_per_year == 0.0 {
            continue;
        }
        let at = |key: &'static str| table.get("talent").and_then(|v| v.table()).and_then(|t| t.get(key));
        let Some(e) = enclaves.iter().flatten().position(|e| e.owner == c) else {
            if let Some(v) = at("graduates_per_year") {
                v.fail(
                    "graduates only for a city that owns an enclave",
                    "`graduates_per_year` on a city that owns none",
                    Some("the graduates' projects join the city's first [[enclave]]".to_string()),
                );
            }
            *city = None;
            continue;
        };
        let focus = &enclaves[e].as_ref().expect("every enclave was read").focus;
        if talent.graduate_sector == usize::MAX {
            talent.graduate_sector = focus.iter().position(|&f| f).unwrap_or(0);
        } else if !focus[talent.graduate_sector] {
            if let Some(v) = at("graduate_sector") {
                v.fail(
                    "a sector the graduates' enclave scouts",
                    &format!(
                        "\"{}\", which enclave \"{}\" does not scout",
                        sectors.names[talent.graduate_sector],
                        enclaves[e].as_ref().expect("every enclave was read").id
                    ),
                    None,
                );
            }
            *city = None;
            continue;
        }
        talent.graduate_enclave = Some(e);
    }
    cities
}

fn read_tax_split(v: &Value<'_, '_>) -> Read<TaxSplit> {
    let t = v.table()?;
    let mut parties = Vec::new();
    let mut weights = Vec::new();
    let mut floating = Some(0.0);
    let mut ok = true;
    for (key, value) in t.entries() {
        if key == "home_floating" {
            floating = value.number_in(0.0, 1.0, "the home share's rise per unit of landing rate");
            continue;
        }
        match value.number_in(0.0, MAX_TAX_WEIGHT, "a weight") {
            Some(w) => {
                parties.push(key.to_string());
                weights.push(w);
            }
            None => ok = false,
        }
    }
    let total: f64 = weights.iter().sum();
    if ok && total <= 0.0 {
        v.fail(
            "weights of the parties, not all zero, such as { home = 5, host = 3, other = 2 }",
            "no positive weight",
            None,
        );
        return None;
    }
    let home = parties.iter().position(|p| p == "home");
    if home.is_none() && floating.is_some_and(|f| f > 0.0) {
        v.fail(
            "a `home` party when `home_floating` is set",
            "`home_floating` with no `home` weight",
            Some("add `home = ...` to the split, or remove `home_floating`".to_string()),
        );
        return None;
    }
    Some(TaxSplit {
        base: weights.iter().map(|w| w / total).collect(),
        parties,
        home,
        home_floating: floating?,
    })
    .filter(|_| ok)
}

fn read_landing(t: &Table<'_, '_>) -> Read<Option<Landing>> {
    let enabled = t.or("enabled", true, |v| v.boolean());
    let utility =
        |table: &Table<'_, '_>, key: &'static str| table.or(key, 0.0, |v| v.number_in(-100.0, 100.0, "a utility"));
    let (home, host, elsewhere) = (
        utility(t, "home_constant"),
        utility(t, "host_constant"),
        utility(t, "elsewhere_constant"),
    );
    let weights = t
        .optional("weights", |v| {
            let w = v.table()?;
            // Read every weight before finishing, so one bad weight hides no other error.
            let read = [
                "subsidy",
                "lock_in",
                "fit",
                "travel",
                "barrier",
                "same_city",
                "free_capacity",
                "risk_cover",
            ]
            .map(|k| utility(&w, k));
            w.finish();
            let [subsidy, lock_in, fit, travel, barrier, same_city, free_capacity, risk_cover] = read;
            Some(LandingWeights {
                subsidy: subsidy?,
                lock_in: lock_in?,
                fit: fit?,
                travel: travel?,
                barrier: barrier?,
                same_city: same_city?,
                free_capacity: free_capacity?,
                risk_cover: risk_cover?,
            })
        })
        .unwrap_or(Some(LandingWeights::default()));
    t.finish();
    let landing = Landing {
        home_constant: home?,
        host_constant: host?,
        elsewhere_constant: elsewhere?,
        weights: weights?,
    };
    Some(enabled?.then_some(landing))
}

/// Most relocations a `[[relocation]]` may expect over the horizon, and most needs a
/// `[[challenge]]` may post in all: beyond this a replication's memory is absurd.
pub const MAX_EXPECTED_MOVES: f64 = 1e6;

/// Refuses a relocation rate that would bring more than [`MAX_EXPECTED_MOVES`] moves
/// over the horizon on average.
fn check_relocation_rate(v: &Value<'_, '_>, per_month: f64, horizon: Option<Option<f64>>) -> Read<()> {
    let months = horizon.flatten().unwrap_or(0.0);
    if per_month * months > MAX_EXPECTED_MOVES {
        v.fail(
            &format!("a rate bringing at most {MAX_EXPECTED_MOVES:.0} moves over the horizon on average"),
            &format!(
                "{:.3e} moves ({per_month} per month for {months} months)",
                per_month * months
            ),
            None,
        );
        return None;
    }
    Some(())
}

/// Reads the `[[relocation]]` tables: established firms moving between cities, whose
/// output and tax need `[economics]`.
fn read_relocations(
    root: &Table<'_, '_>,
    places: &Places<'_>,
    economics: Option<&Read<Economics>>,
    horizon: Option<Option<f64>>,
) -> Vec<Read<Relocation>> {
    let tables = root.tables("relocation").unwrap_or_default();
    if tables.is_empty() {
        return Vec::new();
    }
    if economics.is_none() {
        root.get("relocation").expect("relocations are present").fail(
            "[[relocation]] only with an [economics] section (relocated firms bring output and tax)",
            "[[relocation]] without [economics]",
            Some("add [economics] with `output` and `tax_rate`, or remove the [[relocation]] tables".to_string()),
        );
    }
    at_most(root, "relocation", tables.len(), MAX_PLACES);
    let mut out = Vec::new();
    for t in tables {
        let name = t.or("name", String::from("relocation"), |v| v.string().map(str::to_string));
        let city = |key: &'static str| {
            t.required(key, "the id of a declared city")
                .and_then(|v| places.names.resolve(&v).map(|i| (i, v)))
        };
        let (from, to) = (city("from"), city("to"));
        let ends = match (&from, &to) {
            (Some((f, _)), Some((d, v))) => relocation_ends(places, *f, *d, v),
            _ => None,
        };
        let rate = t.or("rate", 0.0, |v| {
            let rate = v.rate()?;
            check_relocation_rate(&v, rate, horizon)?;
            Some(rate)
        });
        let at = t.or("at", Vec::new(), |v| {
            let items = v.array()?;
            if items.len() as f64 > MAX_EXPECTED_MOVES {
                v.fail(
                    &format!("at most {MAX_EXPECTED_MOVES:.0} months"),
                    &format!("{}", items.len()),
                    None,
                );
                return None;
            }
            let mut at = items.iter().map(|i| i.duration()).collect::<Read<Vec<f64>>>()?;
            at.sort_by(f64::total_cmp);
            if let (Some(&last), Some(Some(end))) = (at.last(), horizon) {
                if last >= end {
                    v.fail(
                        "months before the horizon",
                        &format!("month {last} (the horizon is {end})"),
                        None,
                    );
                    return None;
                }
            }
            Some(at)
        });
        if !t.has("rate") && !t.has("at") {
            t.missing(
                "rate",
                "a rate of moves such as \"2 per year\", or the months of known moves, `at = [\"24 months\"]`",
            );
        }
        let output = t
            .required(
                "output",
                "annual output of one firm in its new place at full scale, yuan (a value or a distribution)",
            )
            .and_then(|v| {
                let d = v.distribution(Dimension::Number)?;
                non_negative(&v, &d)
            });
        let ramp_up = t.or("ramp_up", 0.0, |v| v.duration());
        let split = t.optional("tax_split", |v| {
            let split = read_tax_split(&v)?;
            let Some(Some(economics)) = economics else {
                return None;
            };
            relocation_split(&v, split, &economics.tax_split)
        });
        t.finish();
        out.push((|| {
            ends?;
            Some(Relocation {
                name: name?,
                from: from?.0,
                to: to?.0,
                rate_per_month: rate?,
                at: at?,
                output: output?,
                ramp_up: ramp_up?,
                tax_split: lift(split)?,
            })
        })());
    }
    out
}

/// Checks that a move goes between two cities and to or from a home city.
fn relocation_ends(places: &Places<'_>, from: usize, to: usize, to_value: &Value<'_, '_>) -> Read<()> {
    if from == to {
        to_value.fail(
            "a city other than `from`",
            &format!("\"{}\" for both", places.names.names[to]),
            None,
        );
        return None;
    }
    let (a, b) = (places.get(from)?, places.get(to)?);
    if !a.role.is_home() && !b.role.is_home() {
        to_value.fail(
            "a move to or from a home city (role \"home\" or \"both\")",
            &format!("a move from \"{}\" to \"{}\", neither of them a home city", a.id, b.id),
            None,
        );
        return None;
    }
    Some(())
}

/// A relocation's own split over the `[economics]` parties: every party it names must be
/// one of them; a party it leaves out gets nothing.
fn relocation_split(v: &Value<'_, '_>, split: TaxSplit, economics: &TaxSplit) -> Read<TaxSplit> {
    let mut base = vec![0.0; economics.parties.len()];
    for (party, share) in split.parties.iter().zip(&split.base) {
        match economics.parties.iter().position(|p| p == party) {
            Some(j) => base[j] = *share,
            None => {
                v.fail(
                    &format!(
                        "parties of the [economics] tax split: {}",
                        economics.parties.join(", ")
                    ),
                    &format!("\"{party}\", which is not one of them"),
                    Some(format!(
                        "a further party is added to `[economics] tax_split` first, with weight 0 if it shares only relocations' tax: {{ ..., {party} = 0 }}"
                    )),
                );
                return None;
            }
        }
    }
    Some(TaxSplit {
        parties: economics.parties.clone(),
        base,
        home: economics.home,
        home_floating: split.home_floating,
    })
}

/// Reads `[transfer]`: licences from host teams to home firms.
fn read_transfer(v: &Value<'_, '_>, economics: Option<&Read<Economics>>) -> Read<Transfer> {
    let t = v.table()?;
    let chance = t
        .required(
            "licence_chance",
            "the chance that a project settling in the host licenses its result home, such as 0.2",
        )
        .and_then(|v| v.probability());
    let value = t
        .required(
            "licence_value_yuan",
            "the value of one licence to the home firm, yuan (a value or a distribution)",
        )
        .and_then(|v| {
            let d = v.distribution(Dimension::Number)?;
            non_negative(&v, &d)
        });
    let tax_rate = match (t.get("tax_rate"), economics) {
        (Some(v), _) => v.probability(),
        (None, Some(Some(e))) => Some(e.tax_rate),
        // [economics] failed to read: its own error says what is wrong.
        (None, Some(None)) => None,
        (None, None) => {
            t.missing(
                "tax_rate",
                "the home tax on a licence's value, as a share (there is no [economics] to take it from)",
            );
            None
        }
    };
    t.finish();
    Some(Transfer {
        licence_chance: chance?,
        licence_value: value?,
        tax_rate: tax_rate?,
    })
}

/// Reads the `[[challenge]]` tables: 揭榜挂帅 rounds of home firms' needs.
fn read_challenges(root: &Table<'_, '_>, places: &Places<'_>, horizon: Option<Option<f64>>) -> Vec<Read<Challenge>> {
    let tables = root.tables("challenge").unwrap_or_default();
    at_most(root, "challenge", tables.len(), MAX_SECTORS);
    let mut out = Vec::new();
    for t in tables {
        let name = t.or("name", String::from("challenge"), |v| v.string().map(str::to_string));
        let owner = places.city(&t, "owner", false);
        let needs = t
            .required("needs", "the number of needs posted each time, such as 10")
            .and_then(|v| v.integer_in(1, MAX_EXPECTED_MOVES as u64, "a number of needs"));
        let award = t
            .required("award_yuan", "the award per solved need, yuan")
            .and_then(|v| v.number_in(0.0, 1e12, "an amount in yuan"));
        let chance = t
            .required("solve_chance", "the chance that a host team solves a need, such as 0.4")
            .and_then(|v| v.probability());
        let within = t
            .required(
                "solve_within",
                "the time from posting to the acceptance of a solution, such as \"12 months\"",
            )
            .and_then(|v| v.duration());
        let value = t.or("value_yuan", Distribution::constant(0.0).expect("0 is a value"), |v| {
            let d = v.distribution(Dimension::Number)?;
            non_negative(&v, &d)
        });
        let (at, every, start) = read_schedule(&t, "posting times");
        t.finish();
        if horizon == Some(None) {
            t.get("needs")
                .unwrap_or_else(|| root.get("challenge").expect("challenges are present"))
                .fail(
                    "[[challenge]] only with a `horizon` (awards are paid when solutions are accepted, by the horizon)",
                    "[[challenge]] in a run stopped by `candidate_limit` alone",
                    None,
                );
            out.push(None);
            continue;
        }
        let times = dated_times(&t, at, every, start, horizon, ("posting", "postings", "challenge"));
        if let (Some(times), Some(needs)) = (&times, needs) {
            let posted = times.len() as f64 * needs as f64;
            if posted > MAX_EXPECTED_MOVES {
                t.get("needs").expect("needs are present").fail(
                    &format!("at most {MAX_EXPECTED_MOVES:.0} needs posted in all"),
                    &format!("{needs} needs × {} postings = {posted:.3e}", times.len()),
                    None,
                );
                out.push(None);
                continue;
            }
        }
        out.push((|| {
            Some(Challenge {
                name: name?,
                owner: owner?,
                times: times?,
                needs: needs? as u32,
                award_yuan: award?,
                solve_chance: chance?,
                solve_within: within?,
                value: value?,
            })
        })());
    }
    out
}
