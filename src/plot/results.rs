//! Reading result files back: the only input of charts and reports. Each reader names
//! the file and what was wrong when a file is missing or not what feidi writes.

use crate::results::points::{read_csv, PointsTable};
use serde::de::{MapAccess, Visitor};
use serde::{Deserialize, Deserializer};
use std::path::{Path, PathBuf};

/// A result file that could not be read or is not what feidi writes.
#[derive(Debug, thiserror::Error)]
#[error("{path}: {message}")]
pub struct ResultFileError {
    /// The file.
    pub path: PathBuf,
    /// What was wrong.
    pub message: String,
}

fn error(path: &Path, message: impl Into<String>) -> ResultFileError {
    ResultFileError {
        path: path.to_path_buf(),
        message: message.into(),
    }
}

fn read_text(path: &Path) -> Result<String, ResultFileError> {
    let bytes = std::fs::read(path).map_err(|e| error(path, format!("cannot read it: {e}")))?;
    let text = String::from_utf8(bytes).map_err(|_| error(path, "expected UTF-8 text, found other bytes"))?;
    // A byte-order mark is written for Excel on request.
    Ok(text.strip_prefix('\u{feff}').unwrap_or(&text).to_string())
}

/// Reads a JSON result file into `T`.
pub fn read_json<T: for<'de> Deserialize<'de>>(path: &Path) -> Result<T, ResultFileError> {
    let text = read_text(path)?;
    serde_json::from_str(&text).map_err(|e| error(path, format!("not the JSON feidi writes: {e}")))
}

/// The scenario a run used, as `summary.json` names it.
#[derive(Clone, Debug, Deserialize)]
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

/// One metric's statistics over replications, from `summary.json`.
#[derive(Clone, Debug, Deserialize)]
pub struct MetricSummary {
    /// Unit.
    pub unit: String,
    /// Meaning.
    #[serde(default)]
    pub description: String,
    /// Replications where it was defined.
    pub n: u64,
    /// Mean (absent when undefined in every replication).
    pub mean: Option<f64>,
    /// Lower end of the confidence interval of the mean.
    pub ci_low: Option<f64>,
    /// Upper end.
    pub ci_high: Option<f64>,
    /// 5th percentile over replications.
    pub p5: Option<f64>,
    /// Median.
    pub p50: Option<f64>,
    /// 95th percentile.
    pub p95: Option<f64>,
}

/// `summary.json` of a run, its metrics in file order.
#[derive(Clone, Debug, Deserialize)]
pub struct RunSummary {
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
    pub bin_months: Option<f64>,
    /// Every total, in the order of the file.
    pub metrics: Ordered<MetricSummary>,
}

impl RunSummary {
    /// The statistics of `name`, if the file has it.
    pub fn metric(&self, name: &str) -> Option<&MetricSummary> {
        self.metrics.0.iter().find(|(n, _)| n == name).map(|(_, m)| m)
    }

    /// The mean of `name`, if it is defined.
    pub fn mean(&self, name: &str) -> Option<f64> {
        self.metric(name).and_then(|m| m.mean)
    }
}

/// A JSON object's entries in file order.
#[derive(Clone, Debug, Default)]
pub struct Ordered<T>(pub Vec<(String, T)>);

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

/// One row of `series.csv`: a metric's statistics over replications in one time bin.
#[derive(Clone, Debug, PartialEq)]
pub struct SeriesRow {
    /// Metric name.
    pub metric: String,
    /// Unit.
    pub unit: String,
    /// Start of the bin, in months.
    pub start: f64,
    /// End of the bin, in months.
    pub end: f64,
    /// Mean over replications.
    pub mean: f64,
    /// Confidence interval of the mean.
    pub ci: (f64, f64),
    /// 5th, 25th, 50th, 75th and 95th percentiles over replications.
    pub quantiles: [f64; 5],
}

/// All rows of a `series.csv`.
#[derive(Clone, Debug, Default)]
pub struct Series {
    /// Rows in file order.
    pub rows: Vec<SeriesRow>,
}

impl Series {
    /// Reads a `series.csv` as feidi writes it.
    pub fn read(path: &Path) -> Result<Series, ResultFileError> {
        let mut lines = read_csv(&read_text(path)?).map_err(|why| error(path, why))?.into_iter();
        let expected = "metric,unit,bin,month_start,month_end,n,mean,ci_low,ci_high,p5,p25,p50,p75,p95";
        match lines.next() {
            Some(header) if header.join(",") == expected => {}
            Some(header) => {
                return Err(error(
                    path,
                    format!("line 1: expected the header `{expected}`, found `{}`", header.join(",")),
                ))
            }
            None => return Err(error(path, "the file is empty")),
        }
        let mut rows = Vec::new();
        for (i, fields) in lines.enumerate() {
            let bad = |what: &str| error(path, format!("line {}: {what}", i + 2));
            if fields.len() != 14 {
                return Err(bad(&format!("expected 14 fields, found {}", fields.len())));
            }
            let number = |k: usize| -> Result<f64, ResultFileError> {
                let f = fields[k].trim();
                if f.is_empty() {
                    return Ok(f64::NAN);
                }
                f.parse()
                    .map_err(|_| bad(&format!("field {}: expected a number, found `{f}`", k + 1)))
            };
            rows.push(SeriesRow {
                metric: fields[0].clone(),
                unit: fields[1].clone(),
                start: number(3)?,
                end: number(4)?,
                mean: number(6)?,
                ci: (number(7)?, number(8)?),
                quantiles: [number(9)?, number(10)?, number(11)?, number(12)?, number(13)?],
            });
        }
        Ok(Series { rows })
    }

    /// The rows of `metric`, in bin order.
    pub fn metric(&self, metric: &str) -> Vec<&SeriesRow> {
        self.rows.iter().filter(|r| r.metric == metric).collect()
    }

    /// Metric names in file order, each once.
    pub fn names(&self) -> Vec<&str> {
        let mut out: Vec<&str> = Vec::new();
        for r in &self.rows {
            if !out.contains(&r.metric.as_str()) {
                out.push(&r.metric);
            }
        }
        out
    }
}

/// A CSV result file with a header line (`posterior.csv`): its header and rows.
#[derive(Clone, Debug, Default)]
pub struct Table {
    /// Column names.
    pub header: Vec<String>,
    /// Rows of fields.
    pub rows: Vec<Vec<String>>,
}

impl Table {
    /// Reads a CSV file that has a header line.
    pub fn read(path: &Path) -> Result<Table, ResultFileError> {
        let mut rows = read_csv(&read_text(path)?).map_err(|why| error(path, why))?;
        if rows.is_empty() {
            return Err(error(path, "the file is empty"));
        }
        let header = rows.remove(0);
        if let Some(n) = rows.iter().position(|r| r.len() != header.len()) {
            let found = rows[n].len();
            return Err(error(
                path,
                format!("line {}: expected {} fields, found {found}", n + 2, header.len()),
            ));
        }
        Ok(Table { header, rows })
    }

    /// The index of column `name`.
    pub fn column(&self, name: &str) -> Option<usize> {
        self.header.iter().position(|h| h == name)
    }

    /// Row `row`'s value in column `column` as a number (NaN when empty or not a number).
    pub fn number(&self, row: usize, column: usize) -> f64 {
        self.rows[row][column].trim().parse().unwrap_or(f64::NAN)
    }
}

/// A run's results directory: `summary.json`, `series.csv` and, when the run kept it,
/// `scenario.toml`.
#[derive(Clone, Debug)]
pub struct RunResults {
    /// The directory.
    pub dir: PathBuf,
    /// `summary.json`.
    pub summary: RunSummary,
    /// `series.csv`.
    pub series: Series,
    /// The scenario file's text, if saved beside the results.
    pub scenario_text: Option<String>,
}

impl RunResults {
    /// Reads the results of `feidi run` in `dir`.
    pub fn read(dir: &Path) -> Result<RunResults, ResultFileError> {
        let summary = read_json(&dir.join("summary.json"))?;
        let series = Series::read(&dir.join("series.csv"))?;
        let scenario_path = dir.join("scenario.toml");
        let scenario_text = if scenario_path.exists() {
            Some(read_text(&scenario_path)?)
        } else {
            None
        };
        Ok(RunResults {
            dir: dir.to_path_buf(),
            summary,
            series,
            scenario_text,
        })
    }
}

/// `sweep-plan.json` of a sweep directory (the parts charts use).
#[derive(Clone, Debug, Deserialize)]
pub struct SweepPlan {
    /// feidi version.
    pub feidi_version: String,
    /// The sweep file.
    pub sweep_file: String,
    /// Its SHA-256.
    pub sweep_sha256: String,
    /// Master seed.
    pub seed: u64,
    /// Replications per point (the cap under a precision target).
    pub replications_per_point: u64,
    /// Number of design points.
    pub points: u64,
}

/// A sweep's results directory: its plan and `points.csv`.
#[derive(Clone, Debug)]
pub struct SweepResults {
    /// The directory.
    pub dir: PathBuf,
    /// The plan.
    pub plan: SweepPlan,
    /// `points.csv`.
    pub points: PointsTable,
    /// The varied parameters' names.
    pub parameters: Vec<String>,
}

impl SweepResults {
    /// Reads a finished sweep's directory.
    pub fn read(dir: &Path) -> Result<SweepResults, ResultFileError> {
        let plan: SweepPlan = read_json(&dir.join("sweep-plan.json"))?;
        let path = dir.join("points.csv");
        if !path.exists() {
            return Err(error(
                &path,
                "missing: the sweep has not finished (run `feidi sweep resume` on the directory)",
            ));
        }
        let points = PointsTable::parse(&read_text(&path)?).map_err(|why| error(&path, why))?;
        let parameters = points.header[points.parameters.clone()].to_vec();
        Ok(SweepResults {
            dir: dir.to_path_buf(),
            plan,
            points,
            parameters,
        })
    }

    /// The per-point mean of `metric`, if `points.csv` has it.
    pub fn means(&self, metric: &str) -> Option<Vec<f64>> {
        Some(self.points.numbers(self.points.column(&format!("{metric}.mean"))?))
    }

    /// Label of each point.
    pub fn labels(&self) -> Vec<String> {
        self.points.rows.iter().map(|r| r[1].clone()).collect()
    }
}
