//! optimize.json and evaluations.csv of `feidi optimize`: every candidate the search
//! evaluated, the finalists' selection with its guarantee, the recommended setting, and
//! its paired comparison with the base scenario; and the checkpoint of each finished
//! generation, from which a killed optimization resumes.

use super::file::json_result_file;
use super::files::csv_field;
use super::format::{number, quantity, Lang};
use super::marginal::MarginalCost;
use serde::{Deserialize, Serialize};
use std::fmt::Write as _;

/// A metric's mean over a candidate's replications and its 95 % interval.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Estimate {
    /// The metric.
    pub metric: String,
    /// Its unit.
    pub unit: String,
    /// Mean (null when undefined in every replication).
    pub mean: Option<f64>,
    /// Lower end of the interval.
    pub ci_low: Option<f64>,
    /// Upper end.
    pub ci_high: Option<f64>,
}

/// One lever as optimize.json describes it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LeverRecord {
    /// Key path in the scenario file.
    pub path: String,
    /// `range`, `integer` or `choice`.
    pub kind: String,
    /// Lower end of a range.
    pub min: Option<f64>,
    /// Upper end of a range.
    pub max: Option<f64>,
    /// The values of a choice, as written.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub choices: Vec<String>,
    /// The base scenario's setting, as written.
    pub base: Option<String>,
}

/// One objective.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ObjectiveRecord {
    /// The metric.
    pub metric: String,
    /// `maximize` or `minimize`.
    pub goal: String,
}

/// One constraint.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ConstraintRecord {
    /// The metric.
    pub metric: String,
    /// `at_most` or `at_least`.
    pub bound: String,
    /// The bound's value.
    pub value: f64,
}

/// One evaluated candidate of the search.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EvaluationRecord {
    /// The generation, from 0.
    pub generation: usize,
    /// The lever values as set in the scenario file, in lever order.
    pub levers: Vec<String>,
    /// The search's coordinates of those values (a choice by its index).
    pub coordinates: Vec<f64>,
    /// The tracked metrics (objectives, constraints, real landings and outlay).
    pub metrics: Vec<Estimate>,
    /// Whether every constraint's mean is met.
    pub feasible: bool,
    /// How far outside the constraints, relative to each bound, summed (0 when met).
    pub violation: f64,
    /// Why the candidate could not be run (a combination of lever values the scenario
    /// refuses), if so; it then counts as infeasible.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refused: Option<String>,
}

impl EvaluationRecord {
    /// The mean of `metric`, if tracked and defined.
    pub fn mean(&self, metric: &str) -> Option<f64> {
        self.metrics.iter().find(|m| m.metric == metric).and_then(|m| m.mean)
    }
}

/// A finished generation's evaluations, written as soon as it ends:
/// `generations/NNNN.json`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct GenerationCheckpoint {
    /// feidi version that wrote it (a resume refuses another version's generations).
    #[serde(default)]
    pub feidi_version: String,
    /// SHA-256 of the optimization file (a resume refuses a changed file).
    pub optimization_sha256: String,
    /// SHA-256 of the base scenario file.
    pub scenario_sha256: String,
    /// The generation.
    pub generation: usize,
    /// Its evaluations, in order.
    pub evaluations: Vec<EvaluationRecord>,
}

/// The final selection among the finalists (one objective).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SelectionRecord {
    /// The procedure.
    pub procedure: String,
    /// Indices (into `evaluations`) of the finalists.
    pub finalists: Vec<usize>,
    /// Indifference zone, in the objective's unit.
    pub delta: f64,
    /// Allowed probability of a wrong selection.
    pub alpha: f64,
    /// First-stage replications.
    pub first_stage: u64,
    /// Each finalist's mean of the objective over its selection replications.
    pub means: Vec<f64>,
    /// Each finalist's selection replications.
    pub replications: Vec<u64>,
    /// After how many replications each finalist was eliminated (null for the chosen).
    pub eliminated_after: Vec<Option<u64>>,
    /// Index (into `finalists`) of the chosen one.
    pub chosen: usize,
    /// Whether the procedure ended by its own rule, so that the guarantee holds.
    pub guaranteed: bool,
}

/// The recommended setting.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Recommended {
    /// Index into `evaluations`.
    pub evaluation: usize,
    /// Each lever's value as set in the scenario file.
    pub levers: Vec<String>,
    /// Its tracked metrics over the comparison's replications.
    pub metrics: Vec<Estimate>,
    /// Each constraint: `met` (the whole interval inside the bound), `borderline` (the
    /// mean inside, the interval across) or `not met`.
    pub constraints: Vec<ConstraintCheck>,
}

/// A constraint checked on the recommended setting.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ConstraintCheck {
    /// The metric.
    pub metric: String,
    /// `at_most` or `at_least`.
    pub bound: String,
    /// The bound.
    pub value: f64,
    /// `met`, `borderline` or `not met`.
    pub status: String,
}

/// A paired difference (recommended − base scenario) of one metric.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PairedDifference {
    /// The metric.
    pub metric: String,
    /// Its unit.
    pub unit: String,
    /// The base scenario's mean.
    pub base: Option<f64>,
    /// The recommended setting's mean.
    pub recommended: Option<f64>,
    /// Mean difference.
    pub mean: Option<f64>,
    /// Lower end of its interval.
    pub ci_low: Option<f64>,
    /// Upper end.
    pub ci_high: Option<f64>,
}

/// The recommended setting against the base scenario on common random numbers.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AgainstBase {
    /// Replications of each.
    pub replications: u64,
    /// Paired differences of the headline metrics.
    pub differences: Vec<PairedDifference>,
    /// What one more real landing costs going from the base to the recommendation.
    pub marginal: Option<MarginalCost>,
}

/// optimize.json.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OptimizeFile {
    /// feidi version that wrote it.
    pub feidi_version: String,
    /// The optimization's name.
    pub name: String,
    /// The base scenario's title.
    pub scenario_title: String,
    /// Master seed.
    pub seed: u64,
    /// Confidence level of the intervals.
    pub confidence: f64,
    /// Candidates per generation.
    pub population: usize,
    /// Generations.
    pub generations: usize,
    /// Replications per candidate in the search.
    pub replications: u64,
    /// The levers.
    pub levers: Vec<LeverRecord>,
    /// The objectives.
    pub objectives: Vec<ObjectiveRecord>,
    /// The constraints.
    pub constraints: Vec<ConstraintRecord>,
    /// Every candidate evaluated, in order.
    pub evaluations: Vec<EvaluationRecord>,
    /// With two objectives: indices of the feasible candidates no other feasible one
    /// dominates (the Pareto front), by the first objective.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub pareto_front: Vec<usize>,
    /// With one objective: the selection among the finalists.
    pub selection: Option<SelectionRecord>,
    /// With one objective: the recommended setting.
    pub recommended: Option<Recommended>,
    /// The recommended setting against the base scenario.
    pub against_base: Option<AgainstBase>,
}

json_result_file!(OptimizeFile, "optimize.json");

impl OptimizeFile {
    /// The best feasible value of the first objective after each evaluation (oriented
    /// back to its own sign; null until a feasible candidate appears): the convergence
    /// of the search.
    pub fn convergence(&self) -> Vec<Option<f64>> {
        let Some(objective) = self.objectives.first() else {
            return Vec::new();
        };
        let maximize = objective.goal == "maximize";
        let mut best: Option<f64> = None;
        self.evaluations
            .iter()
            .map(|e| {
                if e.feasible {
                    if let Some(x) = e.mean(&objective.metric) {
                        best = Some(match best {
                            Some(b) if maximize => b.max(x),
                            Some(b) => b.min(x),
                            None => x,
                        });
                    }
                }
                best
            })
            .collect()
    }

    /// What a planner reads in the terminal: the recommended setting lever by lever, its
    /// figures, the guarantee in words, and the paired comparison with the base
    /// scenario; or the Pareto front with two objectives. `lever` and `metric` give the
    /// display names of a key path and of a metric.
    pub fn describe(&self, lever: &dyn Fn(&str) -> String, metric: &dyn Fn(&str) -> String, lang: Lang) -> String {
        let zh = lang == Lang::Zh;
        let value = |e: &Estimate| figure(e.mean, e.ci_low, e.ci_high, &e.unit, lang);
        let setting = |i: usize, v: &str| {
            let l = &self.levers[i];
            // A whole lever value in yuan reads better in 万元 / million yuan.
            let people = |text: &str| match text.parse::<f64>() {
                Ok(x) if l.path.ends_with("_yuan") => quantity(x, "yuan", lang),
                // A whole-number lever reads "154", not "154.0".
                Ok(x) if l.kind == "integer" || x.fract() == 0.0 => (x.round() as i64).to_string(),
                Ok(x) => number(x),
                Err(_) => text.to_string(),
            };
            let shown = people(v);
            let base = l.base.as_deref().map(people);
            match (base, zh) {
                (Some(b), false) => format!("  {}: {shown} (now {b})\n", lever(&l.path)),
                (Some(b), true) => format!("  {}：{shown}（现为 {b}）\n", lever(&l.path)),
                (None, false) => format!("  {}: {shown}\n", lever(&l.path)),
                (None, true) => format!("  {}：{shown}\n", lever(&l.path)),
            }
        };
        let mut out = String::new();
        let evaluated = self.evaluations.len();
        let _ = writeln!(
            out,
            "{}",
            if zh {
                format!(
                    "优化“{}”：{} 代搜索，共评估 {evaluated} 个方案，每个方案模拟 {} 次",
                    self.scenario_title, self.generations, self.replications
                )
            } else {
                format!(
                    "Optimization of {}: {} generations, {evaluated} settings evaluated, {} replications each",
                    self.scenario_title, self.generations, self.replications
                )
            }
        );
        if let (Some(r), Some(_)) = (&self.recommended, &self.selection) {
            let objective = &self.objectives[0];
            let goal = match (objective.goal.as_str(), zh) {
                ("maximize", false) => "the most",
                ("maximize", true) => "最多",
                (_, false) => "the least",
                (_, true) => "最少",
            };
            let _ = writeln!(
                out,
                "{}",
                if zh {
                    format!("推荐方案（{}{}）：", metric(&objective.metric), goal)
                } else {
                    format!("Recommended setting ({goal} {}):", metric(&objective.metric))
                }
            );
            for (i, v) in r.levers.iter().enumerate() {
                out.push_str(&setting(i, v));
            }
            let _ = writeln!(
                out,
                "{}",
                if zh {
                    "其结果（均值及95%置信区间）："
                } else {
                    "Its results (mean and 95 % interval):"
                }
            );
            for e in &r.metrics {
                let _ = writeln!(
                    out,
                    "  {}{}{}",
                    metric(&e.metric),
                    if zh { "：" } else { ": " },
                    value(e)
                );
            }
            for c in &r.constraints {
                let bound = quantity(c.value, self.unit_of(&c.metric), lang);
                let status = match (c.status.as_str(), zh) {
                    ("met", false) => "met",
                    ("met", true) => "满足",
                    ("borderline", false) => "borderline: the interval crosses the bound",
                    ("borderline", true) => "临界：置信区间跨越约束值",
                    (_, false) => "NOT met",
                    (_, true) => "不满足",
                };
                let side = match (c.bound.as_str(), zh) {
                    ("at_most", false) => "at most",
                    ("at_most", true) => "不超过",
                    (_, false) => "at least",
                    (_, true) => "不低于",
                };
                let _ = if zh {
                    writeln!(out, "  {}{side} {bound}：{status}", metric(&c.metric))
                } else {
                    writeln!(out, "  {} {side} {bound}: {status}", metric(&c.metric))
                };
            }
            if let Some(sentence) = self.guarantee(lang) {
                let _ = writeln!(out, "{sentence}");
            }
        }
        if let Some(against) = &self.against_base {
            let _ = writeln!(
                out,
                "{}",
                if zh {
                    format!(
                        "与现方案比较（配对差值，推荐 − 现方案，各 {} 次模拟）：",
                        against.replications
                    )
                } else {
                    format!(
                        "Against the scenario as it is (paired differences, recommended − now, {} replications each):",
                        against.replications
                    )
                }
            );
            for d in &against.differences {
                let q = |x: Option<f64>| x.map_or("–".to_string(), |x| quantity(x, &d.unit, lang));
                // A change of a share is in percentage points, not a percent of itself.
                let change = if d.unit == "share" {
                    let points = |x: Option<f64>| number(x.map_or(f64::NAN, |x| 100.0 * x));
                    format!(
                        "{} ({} – {}) {}",
                        points(d.mean),
                        points(d.ci_low),
                        points(d.ci_high),
                        lang.pick("percentage points", "个百分点")
                    )
                } else {
                    figure(d.mean, d.ci_low, d.ci_high, &d.unit, lang)
                };
                let _ = if zh {
                    writeln!(
                        out,
                        "  {}：{} → {}，差值 {change}",
                        metric(&d.metric),
                        q(d.base),
                        q(d.recommended)
                    )
                } else {
                    writeln!(
                        out,
                        "  {}: {} → {}, change {change}",
                        metric(&d.metric),
                        q(d.base),
                        q(d.recommended)
                    )
                };
            }
            if let Some(m) = &against.marginal {
                let (a, b) = if zh {
                    ("推荐方案", "现方案")
                } else {
                    ("the recommendation", "the scenario as it is")
                };
                let _ = writeln!(out, "  {}", m.sentence(a, b, lang));
            }
        }
        if !self.pareto_front.is_empty() {
            let _ = writeln!(
                out,
                "{}",
                if zh {
                    "帕累托前沿（两个目标都无法同时改进的方案）："
                } else {
                    "Pareto front (settings no other beats on both objectives):"
                }
            );
            for &i in &self.pareto_front {
                let e = &self.evaluations[i];
                let levers: Vec<String> = e
                    .levers
                    .iter()
                    .enumerate()
                    .map(|(k, v)| setting(k, v).trim().to_string())
                    .collect();
                let figures: Vec<String> = self
                    .objectives
                    .iter()
                    .filter_map(|o| e.metrics.iter().find(|m| m.metric == o.metric))
                    .map(|m| format!("{} {}", metric(&m.metric), value(m)))
                    .collect();
                let _ = writeln!(out, "  {} — {}", figures.join("; "), levers.join("; "));
            }
        }
        out
    }

    /// The selection's guarantee in a planner's words (one objective only): what Kim and
    /// Nelson's procedure promises about the recommended setting, or why it promises
    /// nothing.
    pub fn guarantee(&self, lang: Lang) -> Option<String> {
        let (sel, objective) = (self.selection.as_ref()?, self.objectives.first()?);
        let zh = lang == Lang::Zh;
        let finalists = sel.finalists.len();
        let delta = quantity(sel.delta, self.unit_of(&objective.metric), lang);
        let confidence = number(100.0 * (1.0 - sel.alpha));
        Some(match (finalists < 2, sel.guaranteed, zh) {
            (true, _, false) => {
                "No guarantee: only one distinct setting met the constraints, so there was nothing to select among; it is recommended as it is.".to_string()
            }
            (true, _, true) => "无统计保证：只有一个方案满足约束，无可比较；直接推荐该方案。".to_string(),
            (false, true, false) => format!(
                "Guarantee: the {finalists} best settings of the search were re-run on fresh replications (Kim–Nelson); if the best of them is ahead of the others by at least {delta}, the recommended setting is it with probability at least {confidence} % (settings closer than {delta} count as equally good)."
            ),
            (false, true, true) => format!(
                "统计保证：搜索得到的 {finalists} 个最优方案以新的模拟重新比较（Kim–Nelson 方法）；若其中最优者领先其余方案至少{delta}，则推荐方案即为最优者的概率不低于 {confidence}%（相差不足{delta}的方案视为同样好）。"
            ),
            (false, false, false) => format!(
                "No guarantee: the selection among the {finalists} best settings reached its cap of replications before it could tell them apart by {delta}; the recommended one has the best mean."
            ),
            (false, false, true) => format!(
                "无统计保证：在 {finalists} 个最优方案之间的比较达到模拟次数上限，仍无法区分{delta}的差别；推荐方案均值最好。"
            ),
        })
    }

    /// The unit of a tracked metric ("" when unknown).
    fn unit_of(&self, metric: &str) -> &str {
        self.evaluations
            .iter()
            .flat_map(|e| &e.metrics)
            .find(|m| m.metric == metric)
            .map_or("", |m| m.unit.as_str())
    }

    /// evaluations.csv: one row per candidate, its generation, lever values and tracked
    /// metrics (mean and interval); `bom` starts it with a UTF-8 byte-order mark.
    pub fn evaluations_csv(&self, bom: bool) -> String {
        let mut out = if bom { String::from("\u{feff}") } else { String::new() };
        out.push_str("evaluation,generation,feasible");
        for l in &self.levers {
            out.push(',');
            csv_field(&mut out, &l.path);
        }
        let tracked: Vec<&str> = self
            .evaluations
            .first()
            .map(|e| e.metrics.iter().map(|m| m.metric.as_str()).collect())
            .unwrap_or_default();
        for m in &tracked {
            for stat in ["mean", "ci_low", "ci_high"] {
                let _ = write!(out, ",{m}.{stat}");
            }
        }
        out.push('\n');
        for (i, e) in self.evaluations.iter().enumerate() {
            let _ = write!(out, "{i},{},{}", e.generation, e.feasible);
            for v in &e.levers {
                out.push(',');
                csv_field(&mut out, v);
            }
            for m in &tracked {
                let estimate = e.metrics.iter().find(|x| x.metric == *m);
                for x in [
                    estimate.and_then(|x| x.mean),
                    estimate.and_then(|x| x.ci_low),
                    estimate.and_then(|x| x.ci_high),
                ] {
                    out.push(',');
                    if let Some(x) = x {
                        let _ = write!(out, "{x}");
                    }
                }
            }
            out.push('\n');
        }
        out
    }
}

/// "48.7 (48.4 – 48.9) projects": a mean and its interval on one scale, the unit once.
fn figure(mean: Option<f64>, low: Option<f64>, high: Option<f64>, unit: &str, lang: Lang) -> String {
    let Some(mean) = mean else {
        return "–".to_string();
    };
    let largest = [Some(mean), low, high]
        .into_iter()
        .flatten()
        .fold(0.0, |a: f64, x| a.max(x.abs()));
    let (scale, words) = super::format::money_column(unit, lang, largest);
    let n = |x: f64| number(x / scale);
    let interval = match (low, high) {
        (Some(l), Some(h)) => format!(" ({} – {})", n(l), n(h)),
        _ => String::new(),
    };
    match words {
        "" => format!("{}{interval}", n(mean)),
        "%" => format!("{}{interval} %", n(mean)),
        w => format!("{}{interval} {w}", n(mean)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn evaluation(mean: f64, feasible: bool) -> EvaluationRecord {
        EvaluationRecord {
            generation: 0,
            levers: vec!["3".into()],
            coordinates: vec![3.0],
            metrics: vec![Estimate {
                metric: "landed_home_real".into(),
                unit: "projects".into(),
                mean: Some(mean),
                ci_low: Some(mean - 1.0),
                ci_high: Some(mean + 1.0),
            }],
            feasible,
            violation: if feasible { 0.0 } else { 0.2 },
            refused: None,
        }
    }

    fn file() -> OptimizeFile {
        OptimizeFile {
            feidi_version: "0.1.0".into(),
            name: "t".into(),
            scenario_title: "T".into(),
            seed: 1,
            confidence: 0.95,
            population: 2,
            generations: 2,
            replications: 8,
            levers: vec![LeverRecord {
                path: "enclave[0].seats".into(),
                kind: "integer".into(),
                min: Some(1.0),
                max: Some(9.0),
                choices: vec![],
                base: Some("3".into()),
            }],
            objectives: vec![ObjectiveRecord {
                metric: "landed_home_real".into(),
                goal: "maximize".into(),
            }],
            constraints: vec![],
            evaluations: vec![
                evaluation(5.0, true),
                evaluation(9.0, false),
                evaluation(4.0, true),
                evaluation(7.0, true),
            ],
            pareto_front: vec![],
            selection: None,
            recommended: None,
            against_base: None,
        }
    }

    #[test]
    fn convergence_is_the_best_feasible_value_so_far() {
        assert_eq!(file().convergence(), vec![Some(5.0), Some(5.0), Some(5.0), Some(7.0)]);
    }

    #[test]
    fn optimize_json_reads_back_and_the_csv_has_a_row_per_candidate() {
        let f = file();
        crate::results::file::testing::round_trip(&f, "optimize");
        let csv = f.evaluations_csv(false);
        assert_eq!(csv.lines().count(), 5);
        assert!(csv.starts_with("evaluation,generation,feasible,enclave[0].seats,landed_home_real.mean,"));
    }
}
