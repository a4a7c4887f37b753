//! Reads each section of a scenario file into the validated types, resolving names to
//! indices and checking ranges and cross-references. All problems are collected.

use super::reader::{Dimension, Document, Read, Table, Value};
use super::{
    Burst, City, Diagnostic, Diagnostics, Enclave, Flow, Landing, LandingWeights, Link, Operator, OperatorKind, Place,
    Role, Scenario, Stage, WhenFull,
};
use crate::dist::Distribution;
use std::collections::HashMap;

/// Longest horizon accepted: beyond this a scenario is almost surely a unit mistake.
pub const MAX_HORIZON_MONTHS: f64 = 200.0 * 12.0;
/// Most time bins a series may have.
pub const MAX_BINS: f64 = 10_000.0;
/// Most seats or slots one enclave or city stage may have.
pub const MAX_SEATS: u64 = 1_000_000;
/// Most candidates a `candidate_limit` may name.
pub const MAX_CANDIDATE_LIMIT: u64 = 1_000_000_000;

pub(super) fn scenario(file: &str, text: &str) -> Result<Scenario, Diagnostics> {
    let doc = Document::parse(file, text)?;
    let scenario = {
        let root = doc.root();
        let s = read_scenario(&root);
        root.finish();
        s
    };
    let failed = doc.has_errors();
    doc.into_errors()?;
    match scenario {
        Some(s) if !failed => Ok(s),
        _ => Err(Diagnostics(vec![Diagnostic {
            file: file.to_string(),
            line: 1,
            column: 1,
            path: String::new(),
            expected: "a complete scenario".to_string(),
            found: "a scenario that could not be read (no specific error was recorded; please report this)".to_string(),
            hint: None,
            snippet: None,
        }])),
    }
}

/// Names declared in one section, for resolving references with "did you mean" hints.
struct Names {
    what: &'static str,
    names: Vec<String>,
}

impl Names {
    fn resolve(&self, value: &Value<'_, '_>) -> Read<usize> {
        let name = value.string()?;
        if let Some(i) = self.names.iter().position(|n| n == name) {
            return Some(i);
        }
        let hint = match super::nearest(name, self.names.iter().map(String::as_str)) {
            Some(n) => Some(format!("did you mean \"{n}\"?")),
            None if self.names.is_empty() => Some(format!("no {} is declared", self.what)),
            None => Some(format!("declared: {}", self.names.join(", "))),
        };
        value.fail(
            &format!("the name of a declared {}", self.what),
            &format!("\"{name}\", which is not declared"),
            hint,
        );
        None
    }

    fn resolve_key(&self, key: &str, value: &Value<'_, '_>) -> Read<usize> {
        if let Some(i) = self.names.iter().position(|n| n == key) {
            return Some(i);
        }
        let hint = super::nearest(key, self.names.iter().map(String::as_str)).map(|n| format!("did you mean \"{n}\"?"));
        value.fail(
            &format!("the name of a declared {}", self.what),
            &format!("`{key}`, which is not declared"),
            hint,
        );
        None
    }
}

/// Reads the `id` of every table in an array, checking uniqueness.
fn declare(tables: &[Table<'_, '_>], key: &'static str, what: &'static str) -> Names {
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
                    &format!("\"{s}\" again (first declared as {what} number {})", first + 1),
                    None,
                );
            }
            seen.insert(s.to_string(), names.len());
            Some(s.to_string())
        });
        names.push(name.unwrap_or_default());
    }
    Names { what, names }
}

/// The top-level sections of a scenario file.
const SECTIONS: [&str; 8] = [
    "scenario", "city", "link", "enclave", "flow", "burst", "stage", "landing",
];

fn read_scenario(root: &Table<'_, '_>) -> Read<Scenario> {
    // Known up front, so an early stop on one section never calls the others unknown.
    for section in SECTIONS {
        root.has(section);
    }
    let header = root
        .required("scenario", "a [scenario] table with name, horizon and sectors")
        .and_then(|v| v.table());
    let city_tables = root.tables("city");
    let stage_tables = root.tables("stage");
    let cities = declare(&city_tables, "id", "city");
    let stages_names = declare(&stage_tables, "name", "stage");

    let (name, title, horizon, bin_width, warmup, drain, candidate_limit, sectors) = match &header {
        Some(h) => read_header(h)?,
        None => return None,
    };
    let sector_names = Names {
        what: "sector",
        names: sectors.clone(),
    };

    let stages: Vec<Read<Stage>> = stage_tables.iter().map(read_stage).collect();
    let stages: Vec<Stage> = stages.into_iter().collect::<Read<_>>()?;
    check_stage_order(&stage_tables, &stages);

    let mut city_list = Vec::new();
    for t in &city_tables {
        city_list.push(read_city(t, &sector_names, &stages_names, &stages));
    }
    let city_list: Vec<City> = city_list.into_iter().collect::<Read<_>>()?;
    if city_list.is_empty() {
        root.missing("city", "at least one [[city]]");
    }

    let links = read_links(root, &cities, &city_list);
    let enclaves = read_enclaves(root, &cities, &city_list, &sector_names, &links, &stages);
    let flows = read_flows(root, &cities, &city_list, &sector_names);
    let bursts = read_bursts(root, &cities, &city_list, &sector_names, horizon);
    let landing = root
        .optional("landing", |v| v.table().and_then(|t| read_landing(&t)))
        .unwrap_or(Some(None));

    let (links, enclaves, flows, bursts, landing) = (links?, enclaves?, flows?, bursts?, landing?);
    if stages.is_empty() {
        root.missing("stage", "at least one [[stage]]");
    }
    if enclaves.is_empty() {
        root.missing("enclave", "at least one [[enclave]]");
    }
    if flows.is_empty() && bursts.is_empty() {
        root.missing("flow", "at least one [[flow]] or [[burst]] of candidate projects");
    }
    Some(Scenario {
        name,
        title,
        horizon,
        bin_width,
        warmup,
        drain,
        candidate_limit,
        sectors,
        cities: city_list,
        links,
        enclaves,
        flows,
        bursts,
        stages,
        landing,
    })
}

type Header = (String, String, Option<f64>, f64, f64, bool, Option<u64>, Vec<String>);

fn read_header(h: &Table<'_, '_>) -> Read<Header> {
    let name = h
        .required("name", "a short scenario name")
        .and_then(|v| v.string().map(str::to_string));
    let title = h.optional("title", |v| v.string().map(str::to_string));
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
    let bin_width = h.or("bin", 1.0, |v| {
        let b = v.duration()?;
        if b <= 0.0 {
            v.fail("a bin width above 0", &format!("{b} months"), None);
            return None;
        }
        Some(b)
    });
    let warmup = h.or("warmup", 0.0, |v| v.duration());
    let drain = h.or("drain", false, |v| v.boolean());
    let sectors = h.required("sectors", "the list of sector names").and_then(|v| {
        let items = v.array()?;
        let mut names: Vec<String> = Vec::new();
        for item in &items {
            let s = item.string()?;
            if names.iter().any(|n| n == s) {
                item.fail("a unique sector name", &format!("\"{s}\" again"), None);
            }
            names.push(s.to_string());
        }
        if names.is_empty() {
            v.fail("at least one sector", "an empty list", None);
            return None;
        }
        Some(names)
    });
    h.finish();
    let (horizon, candidate_limit) = match (horizon, candidate_limit) {
        (None, None) => {
            h.missing(
                "horizon",
                "how long to simulate, such as \"10 years\" (or a `candidate_limit`)",
            );
            return None;
        }
        (Some(hz), cl) => (Some(hz?), cl.map_or(Some(None), |c| c.map(Some))?),
        (None, Some(cl)) => (None, Some(cl?)),
    };
    let (bin_width, warmup) = (bin_width?, warmup?);
    if let Some(hz) = horizon {
        if hz / bin_width > MAX_BINS {
            h.get("bin")
                .unwrap_or_else(|| h.get("horizon").expect("horizon is present"))
                .fail(
                    &format!("at most {MAX_BINS} bins over the horizon"),
                    &format!("{:.0} bins of {bin_width} months", hz / bin_width),
                    Some("use a wider `bin`, such as \"3 months\"".to_string()),
                );
            return None;
        }
        if warmup >= hz {
            h.get("warmup").expect("warmup is present when nonzero").fail(
                "a warm-up shorter than the horizon",
                &format!("{warmup} months"),
                None,
            );
            return None;
        }
    }
    let name = name?;
    let title = title.unwrap_or(Some(name.clone()))?;
    Some((
        name,
        title,
        horizon,
        bin_width,
        warmup,
        drain?,
        candidate_limit,
        sectors?,
    ))
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
    t.finish();
    Some(Stage {
        name: name?,
        place: place?,
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

fn check_stage_order(tables: &[Table<'_, '_>], stages: &[Stage]) {
    if let Some(first) = stages.first() {
        if first.place != Place::Enclave {
            if let Some(v) = tables[0].get("place") {
                v.fail(
                    "\"enclave\" for the first stage (the chain starts in the enclave)",
                    &format!("{:?}", first.place).to_lowercase(),
                    None,
                );
            }
        }
    }
    for (i, pair) in stages.windows(2).enumerate() {
        if pair[1].place < pair[0].place {
            if let Some(v) = tables[i + 1].get("place") {
                v.fail(
                    &format!(
                        "a place no earlier in the chain than the stage before (\"{}\")",
                        format!("{:?}", pair[0].place).to_lowercase()
                    ),
                    &format!("\"{}\"", format!("{:?}", pair[1].place).to_lowercase()),
                    Some("stages run enclave → host → home; list them in that order".to_string()),
                );
            }
        }
    }
}

fn read_city(t: &Table<'_, '_>, sectors: &Names, stage_names: &Names, stages: &[Stage]) -> Read<City> {
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
                if stages[s].place != Place::Home {
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
                match value.integer_in(0, MAX_SEATS, "a number of slots") {
                    Some(c) => capacity[s] = Some(c as u32),
                    None => ok = false,
                }
            }
            ok.then_some(())
        })
        .unwrap_or(Some(()));
    let subsidy = t.or("landing_subsidy_yuan", 0.0, |v| {
        v.number_in(0.0, 1e12, "an amount in yuan")
    });
    t.finish();
    let id = id?;
    fit_ok?;
    capacity_ok?;
    Some(City {
        name: name.unwrap_or(Some(id.clone()))?,
        id,
        role: role?,
        province: province?,
        metro: lift(metro)?,
        fit,
        capacity,
        landing_subsidy_yuan: subsidy?,
    })
}

fn role_check(v: &Value<'_, '_>, city: &City, hosts: bool) -> Read<()> {
    let ok = if hosts { city.role.hosts() } else { city.role.is_home() };
    if ok {
        return Some(());
    }
    let want = if hosts {
        "a host city (role \"host\" or \"both\")"
    } else {
        "a home city (role \"home\" or \"both\")"
    };
    v.fail(
        want,
        &format!("\"{}\", whose role is {:?}", city.id, city.role).to_lowercase(),
        None,
    );
    None
}

fn city_ref(t: &Table<'_, '_>, key: &'static str, names: &Names, cities: &[City], hosts: bool) -> Read<usize> {
    let v = t.required(key, "the id of a declared city")?;
    let i = names.resolve(&v)?;
    role_check(&v, &cities[i], hosts)?;
    Some(i)
}

fn read_links(root: &Table<'_, '_>, names: &Names, cities: &[City]) -> Read<Vec<Link>> {
    let mut links: Vec<Read<Link>> = Vec::new();
    for t in root.tables("link") {
        let home = city_ref(&t, "home", names, cities, false);
        let host = city_ref(&t, "host", names, cities, true);
        let travel = t
            .required("travel_time", "a travel time such as \"1.5 hours\"")
            .and_then(|v| v.hours());
        let same_city = t.or("same_city_treatment", false, |v| v.boolean());
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
            let (a, b) = (&cities[home], &cities[host]);
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
            })
        })();
        links.push(link);
    }
    links.into_iter().collect()
}

fn read_enclaves(
    root: &Table<'_, '_>,
    names: &Names,
    cities: &[City],
    sectors: &Names,
    links: &Read<Vec<Link>>,
    stages: &[Stage],
) -> Read<Vec<Enclave>> {
    let tables = root.tables("enclave");
    let ids = declare(&tables, "id", "enclave");
    let needs_link = stages.iter().any(|s| s.place == Place::Home);
    let mut out = Vec::new();
    for (t, id) in tables.iter().zip(&ids.names) {
        let name = t.optional("name", |v| v.string().map(str::to_string));
        let owner = city_ref(t, "owner", names, cities, false);
        let host = city_ref(t, "host", names, cities, true);
        let seats = t
            .required("seats", "the number of workstations")
            .and_then(|v| v.integer_in(1, MAX_SEATS, "a number of seats"));
        let area = t.or("floor_area_m2", 0.0, |v| v.number_in(0.0, 1e8, "a floor area in m²"));
        let rent = t.or("rent_yuan_per_m2_month", 0.0, |v| {
            v.number_in(0.0, 1e6, "a rent in yuan per m² per month")
        });
        let opens = t.or("opens", 0.0, |v| v.duration());
        let focus = t
            .optional("sectors", |v| {
                let items = v.array()?;
                let mut mask = vec![false; sectors.names.len()];
                for item in &items {
                    mask[sectors.resolve(item)?] = true;
                }
                if items.is_empty() {
                    v.fail(
                        "at least one sector (or leave `sectors` out to scout all)",
                        "an empty list",
                        None,
                    );
                    return None;
                }
                Some(mask)
            })
            .unwrap_or(Some(vec![true; sectors.names.len()]));
        let reach = t.or("reach", 1.0, |v| v.probability());
        let lock_in = t.or("lock_in_share", 0.0, |v| v.probability());
        let when_full = read_when_full(t);
        let operator = t
            .optional("operator", |v| {
                let o = v.table()?;
                let kind = o.or("model", OperatorKind::Government, |v| {
                    Some(match v.choice(&["government", "professional"])? {
                        "government" => OperatorKind::Government,
                        _ => OperatorKind::Professional,
                    })
                });
                let noise = o.or("scouting_noise", 0.0, |v| v.number_in(0.0, 100.0, "a noise level"));
                let bar = o.optional("admission_bar", |v| v.number_in(-100.0, 100.0, "a quality bar"));
                o.finish();
                Some(Operator {
                    kind: kind?,
                    scouting_noise: noise?,
                    admission_bar: lift(bar)?,
                })
            })
            .unwrap_or(Some(Operator {
                kind: OperatorKind::Government,
                scouting_noise: 0.0,
                admission_bar: None,
            }));
        t.finish();
        let (owner, host) = (owner?, host?);
        let link = links
            .as_ref()
            .and_then(|ls| ls.iter().position(|l| l.home == owner && l.host == host));
        if needs_link && link.is_none() && links.is_some() {
            t.get("host").expect("host is present").fail(
                &format!(
                    "a [[link]] between home \"{}\" and host \"{}\"",
                    cities[owner].id, cities[host].id
                ),
                "no such link",
                Some("the landing choice needs the travel time and barrier between the two cities".to_string()),
            );
        }
        out.push(Some(Enclave {
            id: id.clone(),
            name: name.unwrap_or(Some(id.clone()))?,
            owner,
            host,
            seats: seats? as u32,
            floor_area_m2: area?,
            rent_yuan_per_m2_month: rent?,
            operator: operator?,
            focus: focus?,
            reach: reach?,
            opens: opens?,
            when_full: when_full?,
            lock_in_share: lock_in?,
            link,
        }));
    }
    out.into_iter().collect()
}

fn read_quality(t: &Table<'_, '_>) -> Read<(f64, f64)> {
    let mean = t.or("quality_mean", 0.0, |v| v.number_in(-10.0, 10.0, "a mean quality"));
    let sd = t.or("quality_sd", 1.0, |v| v.number_in(0.0, 10.0, "a quality spread"));
    Some((mean?, sd?))
}

fn read_flows(root: &Table<'_, '_>, names: &Names, cities: &[City], sectors: &Names) -> Read<Vec<Flow>> {
    let mut out = Vec::new();
    for t in root.tables("flow") {
        let host = city_ref(&t, "host", names, cities, true);
        let sector = t.required("sector", "a sector name").and_then(|v| sectors.resolve(&v));
        let rate = t
            .required("rate", "a rate such as \"40 per year\"")
            .and_then(|v| v.rate());
        let seasonality = t.optional("seasonality", |v| {
            let w = v.numbers()?;
            if w.len() != 12 || w.iter().any(|&x| x < 0.0) || w.iter().sum::<f64>() <= 0.0 {
                v.fail(
                    "12 monthly weights, none negative, not all zero",
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
        let (quality_mean, quality_sd) = quality?;
        out.push(Some(Flow {
            host: host?,
            sector: sector?,
            rate_per_month: rate?,
            seasonality: lift(seasonality)?,
            quality_mean,
            quality_sd,
        }));
    }
    out.into_iter().collect()
}

fn read_bursts(
    root: &Table<'_, '_>,
    names: &Names,
    cities: &[City],
    sectors: &Names,
    horizon: Option<f64>,
) -> Read<Vec<Burst>> {
    let mut out = Vec::new();
    for t in root.tables("burst") {
        let name = t.or("name", String::from("burst"), |v| v.string().map(str::to_string));
        let host = city_ref(&t, "host", names, cities, true);
        let sector = t.required("sector", "a sector name").and_then(|v| sectors.resolve(&v));
        let size = t
            .required("size", "candidates per batch (a number or a distribution)")
            .and_then(|v| {
                let d = v.distribution(Dimension::Number)?;
                non_negative(&v, &d)
            });
        let at = t.optional("at", |v| {
            let items = v.array()?;
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
        let start = t.or("start", 0.0, |v| v.duration());
        let quality = read_quality(&t);
        t.finish();
        let end = horizon.unwrap_or(f64::INFINITY);
        let times = match (at, every) {
            (Some(at), None) => {
                let mut at = at?;
                at.sort_by(f64::total_cmp);
                if at.last().is_some_and(|&last| last >= end) {
                    t.get("at").expect("at is present").fail(
                        "times before the horizon",
                        &format!("a time at month {}", at.last().unwrap()),
                        None,
                    );
                    return None;
                }
                at
            }
            (None, Some(every)) => {
                let (every, start) = (every?, start?);
                if !end.is_finite() {
                    t.get("every").expect("every is present").fail(
                        "`at` times (repeating bursts need a horizon)",
                        "`every` without a horizon",
                        None,
                    );
                    return None;
                }
                let mut times = Vec::new();
                let mut time = start;
                while time < end {
                    times.push(time);
                    time += every;
                }
                times
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
                    "the months of the batches (`at = [\"6 months\"]`) or `every = \"12 months\"`",
                );
                return None;
            }
        };
        let (quality_mean, quality_sd) = quality?;
        out.push(Some(Burst {
            name: name?,
            host: host?,
            sector: sector?,
            times,
            size: size?,
            quality_mean,
            quality_sd,
        }));
    }
    out.into_iter().collect()
}

fn read_landing(t: &Table<'_, '_>) -> Read<Option<Landing>> {
    let enabled = t.or("enabled", true, |v| v.boolean());
    let num = |key: &'static str| t.or(key, 0.0, |v| v.number_in(-100.0, 100.0, "a utility"));
    let (home, host, elsewhere) = (num("home_constant"), num("host_constant"), num("elsewhere_constant"));
    let weights = t
        .optional("weights", |v| {
            let w = v.table()?;
            let num = |key: &'static str| w.or(key, 0.0, |v| v.number_in(-100.0, 100.0, "a utility weight"));
            let weights = LandingWeights {
                subsidy: num("subsidy")?,
                lock_in: num("lock_in")?,
                fit: num("fit")?,
                travel: num("travel")?,
                barrier: num("barrier")?,
                same_city: num("same_city")?,
                free_capacity: num("free_capacity")?,
            };
            w.finish();
            Some(weights)
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
