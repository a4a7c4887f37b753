//! summary.json: a run's statistics of every total metric, in the catalogue's order.

use super::compare::Stopping;
use super::file::json_result_file;
use crate::model::metrics::MetricInfo;
use crate::stats::Summary;
use serde::de::{MapAccess, Visitor};
use serde::ser::SerializeMap;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// The scenario a run used, as summary.json names it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ScenarioId {
    /// Short name.
    pub name: String,
    /// Title, often bilingual.
    #[serde(default)]
    pub title: String,
    /// The file as given on the command line.
    #[serde(default)]
    pub file: String,
    /// SHA-256 of the file.
    #[serde(default)]
    pub sha256: String,
}

/// One metric's statistics over replications. A figure undefined in every replication
/// (JSON has no NaN) is `None`, written as null.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MetricSummary {
    /// Unit.
    pub unit: String,
    /// Meaning.
    #[serde(default)]
    pub description: String,
    /// Replications where it was defined.
    pub n: u64,
    /// Replications where it was undefined.
    #[serde(default)]
    pub undefined: u64,
    /// Mean.
    pub mean: Option<f64>,
    /// Standard deviation over replications.
    #[serde(default)]
    pub sd: Option<f64>,
    /// Lower end of the confidence interval of the mean.
    pub ci_low: Option<f64>,
    /// Upper end.
    pub ci_high: Option<f64>,
    /// 5th percentile over replications.
    pub p5: Option<f64>,
    /// 25th percentile.
    #[serde(default)]
    pub p25: Option<f64>,
    /// Median.
    pub p50: Option<f64>,
    /// 75th percentile.
    #[serde(default)]
    pub p75: Option<f64>,
    /// 95th percentile.
    pub p95: Option<f64>,
    /// Smallest value.
    #[serde(default)]
    pub min: Option<f64>,
    /// Largest value.
    #[serde(default)]
    pub max: Option<f64>,
    /// How the mean and interval were estimated, when the run used variance reduction.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub variance_reduction: Option<MetricMethod>,
}

/// How one metric's mean and interval were estimated under `--variance-reduction`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MetricMethod {
    /// `control` (the mean adjusted by the controls) or `plain` (Monte Carlo).
    pub method: String,
    /// The controls used (empty for plain).
    #[serde(default)]
    pub controls: Vec<String>,
    /// The plain Monte Carlo mean.
    pub plain_mean: Option<f64>,
    /// The plain Monte Carlo interval's lower end.
    pub plain_ci_low: Option<f64>,
    /// Its upper end.
    pub plain_ci_high: Option<f64>,
    /// Plain half-width over the reported one: how many times narrower the interval
    /// is (1 for plain); replications for the same precision fall by its square.
    pub narrowing: Option<f64>,
}

impl MetricMethod {
    /// The record of `estimate`.
    pub fn new(estimate: &crate::runner::Estimate) -> Self {
        let f = |x: f64| x.is_finite().then_some(x);
        MetricMethod {
            method: if estimate.controls.is_empty() {
                "plain"
            } else {
                "control"
            }
            .to_string(),
            controls: estimate.controls.clone(),
            plain_mean: f(estimate.plain_mean),
            plain_ci_low: f(estimate.plain_mean - estimate.plain_half_width),
            plain_ci_high: f(estimate.plain_mean + estimate.plain_half_width),
            narrowing: f(estimate.plain_half_width / estimate.half_width),
        }
    }
}

impl MetricSummary {
    /// The entry of metric `info` with statistics `s`.
    pub fn new(info: &MetricInfo, s: &Summary) -> MetricSummary {
        let f = |x: f64| x.is_finite().then_some(x);
        MetricSummary {
            unit: info.unit.to_string(),
            description: info.description.clone(),
            n: s.n,
            undefined: s.undefined,
            mean: f(s.mean),
            sd: f(s.sd),
            ci_low: f(s.ci_low),
            ci_high: f(s.ci_high),
            p5: f(s.p5),
            p25: f(s.p25),
            p50: f(s.p50),
            p75: f(s.p75),
            p95: f(s.p95),
            min: f(s.min),
            max: f(s.max),
            variance_reduction: None,
        }
    }
}

/// A JSON object's entries in file order.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Ordered<T>(pub Vec<(String, T)>);

impl<T: Serialize> Serialize for Ordered<T> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(self.0.len()))?;
        for (k, v) in &self.0 {
            map.serialize_entry(k, v)?;
        }
        map.end()
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Ordered<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Entries<T>(std::marker::PhantomData<T>);
        impl<'de, T: Deserialize<'de>> Visitor<'de> for Entries<T> {
            type Value = Ordered<T>;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("an object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let mut out = Vec::new();
                while let Some((key, value)) = map.next_entry::<String, T>()? {
                    out.push((key, value));
                }
                Ok(Ordered(out))
            }
        }
        deserializer.deserialize_map(Entries(std::marker::PhantomData))
    }
}

/// summary.json of a run, its metrics in file order.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SummaryFile {
    /// feidi version that wrote it.
    pub feidi_version: String,
    /// The scenario.
    pub scenario: ScenarioId,
    /// Master seed.
    pub seed: u64,
    /// Replications run.
    pub replications: u64,
    /// Confidence level of the intervals.
    pub confidence: f64,
    /// Horizon, when the scenario has one.
    pub horizon_months: Option<f64>,
    /// Width of a series bin.
    pub bin_months: f64,
    /// How a stopping rule (`--precision`) ended, if one was given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stopping: Option<Stopping>,
    /// The `--variance-reduction` method, when it was not off.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub variance_reduction: Option<String>,
    /// Every total, in the catalogue's order.
    pub metrics: Ordered<MetricSummary>,
}

json_result_file!(SummaryFile, "summary.json");

impl SummaryFile {
    /// The statistics of `name`, if the file has it.
    pub fn metric(&self, name: &str) -> Option<&MetricSummary> {
        self.metrics.0.iter().find(|(n, _)| n == name).map(|(_, m)| m)
    }

    /// The mean of `name`, if it is defined.
    pub fn mean(&self, name: &str) -> Option<f64> {
        self.metric(name).and_then(|m| m.mean)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::results::compare::StoppingTarget;
    use crate::results::file::testing::round_trip;

    #[test]
    fn a_summary_reads_back_in_order_and_a_damaged_one_is_named() {
        let entry = |unit: &str, mean: Option<f64>| MetricSummary {
            unit: unit.into(),
            description: "d".into(),
            n: 10,
            undefined: 2,
            mean,
            sd: Some(1.5),
            ci_low: None,
            ci_high: Some(3.0),
            p5: Some(0.0),
            p25: Some(1.0),
            p50: Some(2.0),
            p75: Some(3.0),
            p95: Some(4.0),
            min: Some(0.0),
            max: Some(9.0),
            variance_reduction: Some(MetricMethod {
                method: "control".into(),
                controls: vec!["arrivals".into()],
                plain_mean: Some(1.0),
                plain_ci_low: Some(0.5),
                plain_ci_high: None,
                narrowing: Some(1.5),
            }),
        };
        let summary = SummaryFile {
            feidi_version: "0.1.0".into(),
            scenario: ScenarioId {
                name: "a".into(),
                title: "A 甲".into(),
                file: "a.toml".into(),
                sha256: "ff".into(),
            },
            seed: 3,
            replications: 10,
            confidence: 0.95,
            horizon_months: None,
            bin_months: 3.0,
            stopping: Some(Stopping {
                cap: 100,
                replications: 64,
                met: true,
                targets: vec![StoppingTarget {
                    metric: "z_last".into(),
                    half_width: 0.1,
                    reached: None,
                }],
            }),
            variance_reduction: Some("auto".into()),
            metrics: Ordered(vec![
                ("z_last".into(), entry("projects", Some(1.25))),
                ("a_first".into(), entry("months", None)),
            ]),
        };
        round_trip(&summary, "summary");
    }
}
