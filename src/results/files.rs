//! summary.json, series.csv and manifest.json of a run.

use super::manifest::{FileRecord, Manifest, Study};
use super::summary::{MetricMethod, MetricSummary, Ordered, ScenarioId, SummaryFile};
use super::ResultFile;
use crate::model::metrics::MetricInfo;
use crate::runner::{Results, VarianceReduction};
use crate::stats::Accumulator;
use sha2::{Digest, Sha256};
use std::fmt::Write as _;
use std::io::Write as _;
use std::path::Path;

/// Confidence level of every reported interval.
pub use crate::stats::DEFAULT_CONFIDENCE as CONFIDENCE;

/// Everything needed to write a run's result files.
pub struct RunReport<'a> {
    /// Scenario short name.
    pub scenario_name: &'a str,
    /// Scenario title.
    pub scenario_title: &'a str,
    /// Scenario file name as given.
    pub scenario_file: &'a str,
    /// The scenario file's bytes (hashed into the manifest).
    pub scenario_bytes: &'a [u8],
    /// Master seed.
    pub seed: u64,
    /// Horizon in months, if any.
    pub horizon_months: Option<f64>,
    /// Bin width in months.
    pub bin_months: f64,
    /// Totals' names and units.
    pub totals: &'a [MetricInfo],
    /// Series' names and units.
    pub series: &'a [MetricInfo],
    /// The statistics.
    pub results: &'a Results,
    /// How a stopping rule (`--precision`) ended, if one was given.
    pub stopping: Option<&'a super::Stopping>,
}

/// Lowercase hex SHA-256 of `bytes`.
pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes).iter().fold(String::new(), |mut s, b| {
        let _ = write!(s, "{b:02x}");
        s
    })
}

/// Writes `bytes` to `path` through a temporary file in the same directory and a rename.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = dir.join(format!(".{name}.tmp-{}", std::process::id()));
    let result = (|| {
        let mut file = std::fs::File::create(&tmp)?;
        file.write_all(bytes)?;
        file.sync_all()?;
        std::fs::rename(&tmp, path)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

fn csv_number(out: &mut String, x: f64) {
    if x.is_finite() {
        let _ = write!(out, "{x}");
    }
}

/// The series as CSV text: one row per (metric, bin), from the per-bin accumulators
/// (bin-major, `metrics.len()` per bin).
pub fn series_csv(metrics: &[MetricInfo], series: &[Accumulator], bin_months: f64, horizon: Option<f64>) -> String {
    let mut out = String::from("metric,unit,bin,month_start,month_end,n,mean,ci_low,ci_high,p5,p25,p50,p75,p95\n");
    let width = metrics.len();
    let bins = series.len().checked_div(width).unwrap_or(0);
    let horizon = horizon.unwrap_or(0.0);
    for (m, info) in metrics.iter().enumerate() {
        for bin in 0..bins {
            let s = series[bin * width + m].summary(CONFIDENCE);
            csv_field(&mut out, &info.name);
            let start = bin as f64 * bin_months;
            let end = ((bin + 1) as f64 * bin_months).min(horizon);
            let _ = write!(out, ",{},{bin},{start},{end},{},", info.unit, s.n);
            for (i, x) in [s.mean, s.ci_low, s.ci_high, s.p5, s.p25, s.p50, s.p75, s.p95]
                .into_iter()
                .enumerate()
            {
                if i > 0 {
                    out.push(',');
                }
                csv_number(&mut out, x);
            }
            out.push('\n');
        }
    }
    out
}

/// Quotes a CSV field when it holds a comma, quote or line break.
pub(super) fn csv_field(out: &mut String, s: &str) {
    if s.contains([',', '"', '\n', '\r']) {
        out.push('"');
        out.push_str(&s.replace('"', "\"\""));
        out.push('"');
    } else {
        out.push_str(s);
    }
}

impl RunReport<'_> {
    /// summary.json.
    pub fn summary_file(&self) -> SummaryFile {
        let method = self.results.variance_reduction;
        let metrics = self
            .totals
            .iter()
            .enumerate()
            .map(|(m, info)| {
                let mut entry = MetricSummary::new(info, &self.results.summary(m, CONFIDENCE));
                if method != VarianceReduction::Off {
                    entry.variance_reduction = Some(MetricMethod::new(&self.results.estimate(m, CONFIDENCE)));
                }
                (info.name.clone(), entry)
            })
            .collect();
        SummaryFile {
            feidi_version: env!("CARGO_PKG_VERSION").to_string(),
            scenario: ScenarioId {
                name: self.scenario_name.to_string(),
                title: self.scenario_title.to_string(),
                file: self.scenario_file.to_string(),
                sha256: sha256_hex(self.scenario_bytes),
            },
            seed: self.seed,
            replications: self.results.replications,
            confidence: CONFIDENCE,
            horizon_months: self.horizon_months,
            bin_months: self.bin_months,
            stopping: self.stopping.cloned(),
            variance_reduction: (method != VarianceReduction::Off).then(|| method.name().to_string()),
            metrics: Ordered(metrics),
        }
    }

    /// The summary as JSON text.
    pub fn summary_json(&self) -> String {
        String::from_utf8(self.summary_file().to_bytes()).expect("JSON is UTF-8")
    }

    /// The series as CSV text: one row per (metric, bin).
    pub fn series_csv(&self) -> String {
        series_csv(self.series, &self.results.series, self.bin_months, self.horizon_months)
    }

    /// Writes summary.json, series.csv, a copy of the scenario file (scenario.toml) and
    /// manifest.json into `dir` (created if needed).
    pub fn write(&self, dir: &Path) -> std::io::Result<()> {
        std::fs::create_dir_all(dir)?;
        let summary = self.summary_file().write(dir)?;
        let series = self.series_csv();
        write_atomic(&dir.join("series.csv"), series.as_bytes())?;
        // The scenario beside its results: the report shows its assumptions from here.
        write_atomic(&dir.join("scenario.toml"), self.scenario_bytes)?;
        let manifest = Manifest {
            feidi_version: env!("CARGO_PKG_VERSION").to_string(),
            study: Study::Run,
            scenario_file: Some(self.scenario_file.to_string()),
            sweep_sha256: None,
            calibration_sha256: None,
            optimization_sha256: None,
            scenario_sha256: sha256_hex(self.scenario_bytes),
            seed: self.seed,
            replications: Some(self.results.replications),
            replications_per_point: None,
            replications_per_particle: None,
            points: None,
            replications_per_block: crate::runner::BLOCK,
            files: vec![
                summary,
                FileRecord::of("series.csv", series.as_bytes()),
                FileRecord::of("scenario.toml", self.scenario_bytes),
            ],
        };
        manifest.write(dir).map(|_| ())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_fields_are_quoted_only_when_needed() {
        let mut s = String::new();
        csv_field(&mut s, "in_stage.pilot");
        s.push(',');
        csv_field(&mut s, "a,\"b\"");
        assert_eq!(s, "in_stage.pilot,\"a,\"\"b\"\"\"");
    }

    #[test]
    fn atomic_write_leaves_no_temporary_file() {
        let dir = std::env::temp_dir().join(format!("feidi-atomic-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("x.txt");
        write_atomic(&path, b"hello").unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"hello");
        assert_eq!(std::fs::read_dir(&dir).unwrap().count(), 1);
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
