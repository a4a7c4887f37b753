//! Reading result directories back: the only input of charts and reports. The JSON
//! files are read through their types in [`crate::results`]; the CSV files here. Each
//! reader names the file and what was wrong when a file is missing or not what feidi
//! writes.

use crate::results::file::read_text;
use crate::results::points::{read_csv, PointsTable};
use crate::results::{ReadError, ResultFile, SummaryFile, SweepPlan};
use std::path::{Path, PathBuf};

fn error(path: &Path, message: impl Into<String>) -> ReadError {
    ReadError::new(path, message)
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
    pub fn read(path: &Path) -> Result<Series, ReadError> {
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
            let number = |k: usize| -> Result<f64, ReadError> {
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
    pub fn read(path: &Path) -> Result<Table, ReadError> {
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
    pub summary: SummaryFile,
    /// `series.csv`.
    pub series: Series,
    /// The scenario file's text, if saved beside the results.
    pub scenario_text: Option<String>,
}

impl RunResults {
    /// Reads the results of `feidi run` in `dir`.
    pub fn read(dir: &Path) -> Result<RunResults, ReadError> {
        let summary = SummaryFile::read(dir)?;
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

/// A sweep's results directory: its plan and `points.csv`.
#[derive(Clone, Debug)]
pub struct SweepResults {
    /// The directory.
    pub dir: PathBuf,
    /// The plan.
    pub plan: SweepPlan,
    /// `points.csv`.
    pub points: PointsTable,
    /// The varied parameters' key paths (their headers less a unit: see
    /// [`PointsTable::parameter_column`] for their columns).
    pub parameters: Vec<String>,
}

impl SweepResults {
    /// Reads a finished sweep's directory.
    pub fn read(dir: &Path) -> Result<SweepResults, ReadError> {
        let plan = SweepPlan::read(dir)?;
        let path = dir.join("points.csv");
        if !path.exists() {
            return Err(error(
                &path,
                "missing: the sweep has not finished (run `feidi sweep resume` on the directory)",
            ));
        }
        let points = PointsTable::parse(&read_text(&path)?).map_err(|why| error(&path, why))?;
        let parameters = points
            .parameters
            .clone()
            .map(|c| points.parameter_path(c).to_string())
            .collect();
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
