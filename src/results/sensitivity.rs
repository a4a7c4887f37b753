//! sensitivity.json: the sensitivity indices of a one-at-a-time, Morris or Sobol sweep,
//! for every total metric. Keys are in alphabetical order, as the file has always had.

use super::file::json_result_file;
use serde::{Deserialize, Serialize};

/// The method that computed the indices.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Method {
    /// One at a time: each parameter moved to its low and high end from the baseline.
    Oat,
    /// Morris elementary effects.
    Morris,
    /// Sobol first-order and total indices.
    Sobol,
}

impl Method {
    /// The name written in the file: `oat`, `morris` or `sobol`.
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Oat => "oat",
            Method::Morris => "morris",
            Method::Sobol => "sobol",
        }
    }
}

/// One parameter's one-at-a-time effect. A figure that is undefined is `None` (null).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OatEffect {
    /// The metric at the baseline.
    pub baseline_output: Option<f64>,
    /// The parameter's high end (null for a listed parameter).
    pub high: Option<f64>,
    /// The parameter's low end.
    pub low: Option<f64>,
    /// The metric with the parameter at its high end.
    pub output_at_high: Option<f64>,
    /// The metric with the parameter at its low end.
    pub output_at_low: Option<f64>,
    /// The parameter's path.
    pub parameter: String,
}

/// One parameter's Morris elementary effects.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MorrisEffect {
    /// Mean effect.
    pub mu: Option<f64>,
    /// Mean absolute effect.
    pub mu_star: Option<f64>,
    /// The parameter's path.
    pub parameter: String,
    /// Standard deviation of the effects.
    pub sigma: Option<f64>,
}

/// One parameter's Sobol indices with their confidence intervals.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SobolEffect {
    /// First-order index.
    pub first: Option<f64>,
    /// Upper end of its interval.
    pub first_high: Option<f64>,
    /// Lower end of its interval.
    pub first_low: Option<f64>,
    /// The parameter's path.
    pub parameter: String,
    /// Total index.
    pub total: Option<f64>,
    /// Upper end of its interval.
    pub total_high: Option<f64>,
    /// Lower end of its interval.
    pub total_low: Option<f64>,
}

/// A metric's effects, one per parameter, of the file's method (told apart by their
/// keys).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Effects {
    /// One at a time.
    Oat(Vec<OatEffect>),
    /// Morris.
    Morris(Vec<MorrisEffect>),
    /// Sobol.
    Sobol(Vec<SobolEffect>),
}

/// One total metric's effects.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MetricEffects {
    /// The parameters' effects on it.
    pub effects: Effects,
    /// The metric's name.
    pub metric: String,
    /// Its unit.
    pub unit: String,
}

/// sensitivity.json.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SensitivityFile {
    /// Confidence level of the intervals.
    pub confidence: f64,
    /// The method.
    pub method: Method,
    /// Every total metric, in the catalogue's order.
    pub metrics: Vec<MetricEffects>,
    /// The varied parameters' paths.
    pub parameters: Vec<String>,
}

json_result_file!(SensitivityFile, "sensitivity.json");

impl SensitivityFile {
    /// The effects on `metric`, if the file has it.
    pub fn metric(&self, metric: &str) -> Option<&MetricEffects> {
        self.metrics.iter().find(|m| m.metric == metric)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::results::file::testing::round_trip;

    #[test]
    fn sensitivity_reads_back_per_method_and_a_damaged_file_is_named() {
        let oat = Effects::Oat(vec![OatEffect {
            baseline_output: Some(4226.25),
            high: None,
            low: Some(-1.5),
            output_at_high: Some(1.0),
            output_at_low: None,
            parameter: "enclave[0].seats".into(),
        }]);
        let morris = Effects::Morris(vec![MorrisEffect {
            mu: Some(-0.5),
            mu_star: Some(0.5),
            parameter: "p".into(),
            sigma: None,
        }]);
        let sobol = Effects::Sobol(vec![SobolEffect {
            first: Some(0.1),
            first_high: Some(0.2),
            first_low: None,
            parameter: "p".into(),
            total: Some(0.3),
            total_high: Some(0.4),
            total_low: Some(0.2),
        }]);
        for (method, effects) in [(Method::Oat, oat), (Method::Morris, morris), (Method::Sobol, sobol)] {
            let file = SensitivityFile {
                confidence: 0.95,
                method,
                metrics: vec![MetricEffects {
                    effects,
                    metric: "landed_home".into(),
                    unit: "projects".into(),
                }],
                parameters: vec!["p".into()],
            };
            round_trip(&file, method.as_str());
        }
    }
}
