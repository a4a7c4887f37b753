//! The formats of `feidi compare`: compare.json, compare.csv and the terminal ranking;
//! and the stopping-rule record that summary.json and compare.json carry.

use super::file::json_result_file;
use super::files::{csv_field, sha256_hex, CONFIDENCE};
use super::table::{figure, interval};
use crate::model::metrics::{self, Better, MetricInfo};
use crate::runner::{Comparison, Pair, VarianceReduction};
use crate::stats::Moments;
use serde::{Deserialize, Serialize};
use std::fmt::Write as _;

/// How a run with `--precision` ended: written as `"stopping"` in summary.json and
/// compare.json.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Stopping {
    /// The replication cap (`--replications`).
    pub cap: u64,
    /// Replications actually run (whole blocks of 64, or the cap).
    pub replications: u64,
    /// True when every target was reached; false when the cap came first.
    pub met: bool,
    /// Each target and the half-width reached.
    pub targets: Vec<StoppingTarget>,
}

/// One `--precision METRIC=HALFWIDTH` target.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StoppingTarget {
    /// The metric's name.
    pub metric: String,
    /// The target 95 % confidence half-width.
    pub half_width: f64,
    /// The half-width reached (for a comparison, the widest over the pairs); null when
    /// undefined (fewer than two defined values).
    pub reached: Option<f64>,
}

impl Stopping {
    /// One line for the terminal: replications run and whether the targets were met.
    pub fn describe(&self) -> String {
        let targets: Vec<String> = self
            .targets
            .iter()
            .map(|t| {
                format!(
                    "{} ±{} (target ±{})",
                    t.metric,
                    t.reached.map_or("–".to_string(), small_figure),
                    small_figure(t.half_width)
                )
            })
            .collect();
        if self.met {
            format!(
                "precision reached after {} of at most {} replications: {}\n",
                self.replications,
                self.cap,
                targets.join(", ")
            )
        } else {
            format!(
                "precision NOT reached: the cap of {} replications came first: {}\n",
                self.cap,
                targets.join(", ")
            )
        }
    }
}

/// Like [`figure`], with three significant digits below 0.01 too (half-widths of
/// shares are often that small).
fn small_figure(x: f64) -> String {
    super::format::number(x)
}

/// One alternative as the comparison names it.
pub struct AlternativeRef<'a> {
    /// Scenario short name (unique among the alternatives).
    pub name: &'a str,
    /// Scenario title.
    pub title: &'a str,
    /// Scenario file as given.
    pub file: &'a str,
    /// The scenario file's bytes (hashed).
    pub bytes: &'a [u8],
}

/// Everything needed to write a comparison's files and terminal table.
pub struct CompareReport<'a> {
    /// The alternatives, in the order given.
    pub alternatives: &'a [AlternativeRef<'a>],
    /// Master seed (shared by every alternative).
    pub seed: u64,
    /// Horizon in months (shared).
    pub horizon_months: Option<f64>,
    /// Bin width in months (shared).
    pub bin_months: f64,
    /// The compared metrics: the totals every alternative reports.
    pub metrics: &'a [MetricInfo],
    /// For each alternative, each compared metric's index in its totals.
    pub indices: &'a [Vec<usize>],
    /// Index (into `metrics`) of the metric that ranks the alternatives.
    pub rank_by: usize,
    /// The statistics.
    pub comparison: &'a Comparison,
    /// The stopping rule's outcome, if one was given.
    pub stopping: Option<&'a Stopping>,
}

/// Mean and confidence interval of per-replication values from their moments.
fn mean_and_interval(m: &Moments) -> (f64, f64, f64) {
    let (low, high) = m.interval(CONFIDENCE);
    (m.mean(), low, high)
}

fn finite(x: f64) -> Option<f64> {
    x.is_finite().then_some(x)
}

/// compare.json: every compared metric per alternative and per pair of alternatives
/// (paired differences on common random numbers), with the ranking.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CompareFile {
    /// feidi version that wrote it.
    pub feidi_version: String,
    /// Master seed (shared by every alternative).
    pub seed: u64,
    /// Replications per alternative.
    pub replications: u64,
    /// Confidence level of the intervals.
    pub confidence: f64,
    /// Whether the alternatives ran on common random numbers (always true).
    pub common_random_numbers: bool,
    /// Horizon in months, if any.
    pub horizon_months: Option<f64>,
    /// Width of a series bin.
    pub bin_months: f64,
    /// The metric that ranks the alternatives.
    pub rank_by: String,
    /// How a stopping rule ended (null when none was given).
    pub stopping: Option<Stopping>,
    /// The `--variance-reduction` method, when it was not off.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub variance_reduction: Option<String>,
    /// The alternatives, in the order given.
    pub alternatives: Vec<CompareAlternative>,
    /// The alternatives' names, best first.
    pub ranking: Vec<String>,
    /// Every compared metric.
    pub metrics: Vec<CompareMetric>,
    /// For each pair, what one more real landing costs going from b to a (ratio of the
    /// paired differences in home outlay and real landings).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub marginal_costs: Vec<super::marginal::MarginalCost>,
}

json_result_file!(CompareFile, "compare.json");

impl CompareFile {
    /// The entry of `metric`, if the file has it.
    pub fn metric(&self, metric: &str) -> Option<&CompareMetric> {
        self.metrics.iter().find(|m| m.metric == metric)
    }
}

/// One alternative as compare.json names it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CompareAlternative {
    /// Scenario short name.
    pub name: String,
    /// Scenario title.
    pub title: String,
    /// Scenario file as given.
    pub file: String,
    /// SHA-256 of the scenario file.
    pub sha256: String,
}

/// One metric of compare.json.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CompareMetric {
    /// Name.
    pub metric: String,
    /// Unit.
    pub unit: String,
    /// Meaning.
    pub description: String,
    /// `higher` or `lower` when one direction is better.
    pub better: Option<String>,
    /// Each alternative's statistics.
    pub alternatives: Vec<AlternativeStat>,
    /// Each pair's paired difference.
    pub differences: Vec<Difference>,
}

/// One alternative's statistics of one metric. Undefined figures are `None` (null).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AlternativeStat {
    /// The alternative.
    pub name: String,
    /// Replications where the metric was defined.
    pub n: u64,
    /// Mean.
    pub mean: Option<f64>,
    /// Lower end of the confidence interval.
    pub ci_low: Option<f64>,
    /// Upper end.
    pub ci_high: Option<f64>,
}

/// The paired difference `a − b` of one metric.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Difference {
    /// First alternative.
    pub a: String,
    /// Second alternative.
    pub b: String,
    /// Replications where both were defined.
    pub n: u64,
    /// Mean difference.
    pub mean: Option<f64>,
    /// Lower end of its confidence interval.
    pub ci_low: Option<f64>,
    /// Upper end.
    pub ci_high: Option<f64>,
    /// Replications where `a` did better (when one direction is better).
    pub wins_a: Option<u64>,
    /// Replications where `b` did better.
    pub wins_b: Option<u64>,
    /// Replications with equal values.
    pub ties: u64,
    /// How the mean difference and interval were estimated, when the comparison used
    /// variance reduction.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub variance_reduction: Option<super::summary::MetricMethod>,
}

impl<'a> CompareReport<'a> {
    fn alternative_stat(&self, alternative: usize, metric: usize) -> AlternativeStat {
        let s = self.comparison.alternatives[alternative].summary(self.indices[alternative][metric], CONFIDENCE);
        AlternativeStat {
            name: self.alternatives[alternative].name.to_string(),
            n: s.n,
            mean: finite(s.mean),
            ci_low: finite(s.ci_low),
            ci_high: finite(s.ci_high),
        }
    }

    fn difference(&self, pair: &Pair, metric: usize) -> Difference {
        let moments = &pair.differences[metric];
        let (mut mean, mut low, mut high) = mean_and_interval(moments);
        let mut method = None;
        if pair.variance_reduction != VarianceReduction::Off {
            let e = pair.difference(metric, CONFIDENCE);
            if !e.controls.is_empty() {
                (mean, low, high) = (e.mean, e.mean - e.half_width, e.mean + e.half_width);
            }
            method = Some(super::summary::MetricMethod::new(&e));
        }
        let (wins_a, wins_b) = match metrics::better(&self.metrics[metric].name) {
            Some(Better::Higher) => (Some(pair.a_above[metric]), Some(pair.a_below[metric])),
            Some(Better::Lower) => (Some(pair.a_below[metric]), Some(pair.a_above[metric])),
            None => (None, None),
        };
        Difference {
            a: self.alternatives[pair.a].name.to_string(),
            b: self.alternatives[pair.b].name.to_string(),
            n: moments.count(),
            mean: finite(mean),
            ci_low: finite(low),
            ci_high: finite(high),
            wins_a,
            wins_b,
            ties: pair.equal[metric],
            variance_reduction: method,
        }
    }

    /// The alternatives' indices, best first by the mean of the ranking metric (ties and
    /// undefined means keep the order given, undefined last).
    pub fn ranking(&self) -> Vec<usize> {
        let better = metrics::better(&self.metrics[self.rank_by].name).unwrap_or(Better::Higher);
        let mean = |a: usize| self.alternative_stat(a, self.rank_by).mean;
        let mut order: Vec<usize> = (0..self.alternatives.len()).collect();
        order.sort_by(|&x, &y| match (mean(x), mean(y)) {
            (Some(p), Some(q)) => match better {
                Better::Higher => q.total_cmp(&p),
                Better::Lower => p.total_cmp(&q),
            },
            (Some(_), None) => std::cmp::Ordering::Less,
            (None, Some(_)) => std::cmp::Ordering::Greater,
            (None, None) => std::cmp::Ordering::Equal,
        });
        order
    }

    /// compare.json.
    pub fn file(&self) -> CompareFile {
        let metrics = (0..self.metrics.len())
            .map(|m| CompareMetric {
                metric: self.metrics[m].name.clone(),
                unit: self.metrics[m].unit.to_string(),
                description: self.metrics[m].description.clone(),
                better: metrics::better(&self.metrics[m].name).map(|b| b.as_str().to_string()),
                alternatives: (0..self.alternatives.len())
                    .map(|a| self.alternative_stat(a, m))
                    .collect(),
                differences: self.comparison.pairs.iter().map(|p| self.difference(p, m)).collect(),
            })
            .collect();
        CompareFile {
            feidi_version: env!("CARGO_PKG_VERSION").to_string(),
            seed: self.seed,
            replications: self.comparison.replications,
            confidence: CONFIDENCE,
            common_random_numbers: true,
            horizon_months: self.horizon_months,
            bin_months: self.bin_months,
            rank_by: self.metrics[self.rank_by].name.clone(),
            stopping: self.stopping.cloned(),
            variance_reduction: self
                .comparison
                .alternatives
                .first()
                .map(|r| r.variance_reduction)
                .filter(|&m| m != VarianceReduction::Off)
                .map(|m| m.name().to_string()),
            alternatives: self
                .alternatives
                .iter()
                .map(|a| CompareAlternative {
                    name: a.name.to_string(),
                    title: a.title.to_string(),
                    file: a.file.to_string(),
                    sha256: sha256_hex(a.bytes),
                })
                .collect(),
            ranking: self
                .ranking()
                .into_iter()
                .map(|a| self.alternatives[a].name.to_string())
                .collect(),
            metrics,
            marginal_costs: self.marginal_costs(),
        }
    }

    /// Each pair's marginal cost of a real landing (none when the comparison kept no
    /// paired outlay and landings).
    pub fn marginal_costs(&self) -> Vec<super::marginal::MarginalCost> {
        self.comparison
            .pairs
            .iter()
            .filter(|p| p.marginal.count() > 0)
            .map(|p| {
                super::marginal::MarginalCost::new(
                    self.alternatives[p.a].name,
                    self.alternatives[p.b].name,
                    &p.marginal,
                    CONFIDENCE,
                )
            })
            .collect()
    }

    /// compare.csv as text: per metric, one row per alternative, then one per pair;
    /// `excel` starts it with a UTF-8 byte-order mark.
    pub fn csv(&self, excel: bool) -> String {
        let mut out = if excel { String::from("\u{feff}") } else { String::new() };
        out.push_str("metric,unit,better,kind,a,b,n,mean,ci_low,ci_high,wins_a,wins_b,ties\n");
        let number = |out: &mut String, x: Option<f64>| {
            out.push(',');
            if let Some(x) = x {
                let _ = write!(out, "{x}");
            }
        };
        let count = |out: &mut String, x: Option<u64>| {
            out.push(',');
            if let Some(x) = x {
                let _ = write!(out, "{x}");
            }
        };
        for (m, info) in self.metrics.iter().enumerate() {
            let start = |out: &mut String, kind: &str, a: &str, b: &str| {
                csv_field(out, &info.name);
                let _ = write!(
                    out,
                    ",{},{},{kind},",
                    info.unit,
                    metrics::better(&info.name).map_or("", Better::as_str)
                );
                csv_field(out, a);
                out.push(',');
                csv_field(out, b);
            };
            for a in 0..self.alternatives.len() {
                let s = self.alternative_stat(a, m);
                start(&mut out, "alternative", &s.name, "");
                let _ = write!(out, ",{}", s.n);
                for x in [s.mean, s.ci_low, s.ci_high] {
                    number(&mut out, x);
                }
                out.push_str(",,,\n");
            }
            for pair in &self.comparison.pairs {
                let d = self.difference(pair, m);
                start(&mut out, "difference", &d.a, &d.b);
                let _ = write!(out, ",{}", d.n);
                for x in [d.mean, d.ci_low, d.ci_high] {
                    number(&mut out, x);
                }
                count(&mut out, d.wins_a);
                count(&mut out, d.wins_b);
                count(&mut out, Some(d.ties));
                out.push('\n');
            }
        }
        out
    }

    /// The terminal report: the ranking by the ranking metric, then the paired
    /// differences of that metric with which alternative each clearly favours.
    pub fn table(&self) -> String {
        let m = self.rank_by;
        let info = &self.metrics[m];
        let direction = metrics::better(&info.name).map_or("", |b| match b {
            Better::Higher => " (higher is better)",
            Better::Lower => " (lower is better)",
        });
        let mut out = format!(
            "Ranking by {}{direction}, {} replications of each alternative, seed {}, common random numbers\n",
            info.name, self.comparison.replications, self.seed
        );
        let mut rows = vec![["rank", "alternative", "mean", "95% CI of mean", "title"].map(String::from)];
        for (rank, a) in self.ranking().into_iter().enumerate() {
            let s = self.alternative_stat(a, m);
            rows.push([
                (rank + 1).to_string(),
                s.name.to_string(),
                figure(s.mean.unwrap_or(f64::NAN)),
                interval(s.ci_low.unwrap_or(f64::NAN), s.ci_high.unwrap_or(f64::NAN)),
                self.alternatives[a].title.to_string(),
            ]);
        }
        aligned(&mut out, &rows, &[false, false, true, true, false]);
        let _ = writeln!(
            out,
            "\nPaired differences of {} ({}), a − b over the same replications:",
            info.name, info.unit
        );
        let mut rows = vec![["a", "b", "a − b", "95% CI", "a wins", "b wins", "ties", "verdict"].map(String::from)];
        for pair in &self.comparison.pairs {
            let d = self.difference(pair, m);
            let share = |k: Option<u64>| match k {
                Some(k) if d.n > 0 => format!("{:.0}%", 100.0 * k as f64 / d.n as f64),
                _ => "–".to_string(),
            };
            let verdict = match (d.ci_low, d.ci_high, metrics::better(&info.name)) {
                _ if d.ties == d.n && d.n > 0 => "identical".to_string(),
                (Some(low), _, Some(b)) if low > 0.0 => better_name(b, &d.a, &d.b).to_string() + " better",
                (_, Some(high), Some(b)) if high < 0.0 => better_name(b, &d.b, &d.a).to_string() + " better",
                (Some(low), Some(high), None) if low > 0.0 || high < 0.0 => "differ".to_string(),
                _ => "no clear difference".to_string(),
            };
            rows.push([
                d.a.clone(),
                d.b.clone(),
                figure(d.mean.unwrap_or(f64::NAN)),
                interval(d.ci_low.unwrap_or(f64::NAN), d.ci_high.unwrap_or(f64::NAN)),
                share(d.wins_a),
                share(d.wins_b),
                share(Some(d.ties)),
                verdict,
            ]);
        }
        aligned(&mut out, &rows, &[false, false, true, true, true, true, true, false]);
        let marginal = self.marginal_costs();
        if !marginal.is_empty() {
            out.push_str("\nMarginal cost of a real landing (paired differences of home outlay over real landings):\n");
            for m in &marginal {
                let _ = writeln!(out, "  {}", m.sentence(&m.a, &m.b, super::format::Lang::En));
            }
        }
        out
    }
}

/// The name favoured when a − b is positive: `a` if higher is better, else `b`.
fn better_name<'n>(better: Better, a: &'n str, b: &'n str) -> &'n str {
    match better {
        Better::Higher => a,
        Better::Lower => b,
    }
}

/// Appends `rows` (the first is the header) as aligned columns, right-aligned where
/// `right` says so, with a rule under the header.
fn aligned<const N: usize>(out: &mut String, rows: &[[String; N]], right: &[bool; N]) {
    let mut widths = [0; N];
    for row in rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let line = |out: &mut String, cells: &[String; N]| {
        let mut text = String::new();
        for (i, cell) in cells.iter().enumerate() {
            let pad = " ".repeat(widths[i] - cell.chars().count());
            if right[i] {
                let _ = write!(text, "{pad}{cell}");
            } else {
                let _ = write!(text, "{cell}{pad}");
            }
            if i + 1 < N {
                text.push_str("  ");
            }
        }
        out.push_str(text.trim_end());
        out.push('\n');
    };
    line(out, &rows[0]);
    line(out, &widths.map(|w| "-".repeat(w)));
    for row in &rows[1..] {
        line(out, row);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn interval_is_student_t_on_the_moments() {
        let mut m = Moments::default();
        for x in [1.0, 2.0, 3.0, 4.0, 5.0] {
            m.push(x);
        }
        let (mean, low, high) = mean_and_interval(&m);
        let half = 2.776_445_105_2 * 2.5f64.sqrt() / 5f64.sqrt();
        assert_eq!(mean, 3.0);
        assert!((high - 3.0 - half).abs() < 1e-6 && (3.0 - low - half).abs() < 1e-6);
    }

    #[test]
    fn small_half_widths_keep_their_digits() {
        assert_eq!(small_figure(0.000_224_4), "0.000224");
        assert_eq!(small_figure(0.5), "0.500");
        assert_eq!(small_figure(0.0), "0");
    }

    #[test]
    fn better_name_follows_the_direction() {
        assert_eq!(better_name(Better::Higher, "a", "b"), "a");
        assert_eq!(better_name(Better::Lower, "a", "b"), "b");
    }

    #[test]
    fn compare_json_reads_back_and_a_damaged_file_is_named() {
        let file = CompareFile {
            feidi_version: "0.1.0".into(),
            seed: 1,
            replications: 128,
            confidence: 0.95,
            common_random_numbers: true,
            horizon_months: Some(120.0),
            bin_months: 3.0,
            rank_by: "landing_rate".into(),
            stopping: None,
            variance_reduction: Some("control".into()),
            alternatives: vec![CompareAlternative {
                name: "a".into(),
                title: "A".into(),
                file: "a.toml".into(),
                sha256: "ff".into(),
            }],
            ranking: vec!["b".into(), "a".into()],
            metrics: vec![CompareMetric {
                metric: "landing_rate".into(),
                unit: "share".into(),
                description: "d".into(),
                better: Some("higher".into()),
                alternatives: vec![AlternativeStat {
                    name: "a".into(),
                    n: 128,
                    mean: Some(0.25),
                    ci_low: None,
                    ci_high: Some(0.3),
                }],
                differences: vec![Difference {
                    a: "a".into(),
                    b: "b".into(),
                    n: 128,
                    mean: Some(-0.01),
                    ci_low: Some(-0.02),
                    ci_high: None,
                    wins_a: Some(40),
                    wins_b: None,
                    ties: 3,
                    variance_reduction: None,
                }],
            }],
            marginal_costs: Vec::new(),
        };
        crate::results::file::testing::round_trip(&file, "compare");
    }
}
