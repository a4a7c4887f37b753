//! points.csv of a sweep: one row per design point, the parameter values, then each
//! metric's mean, 95 % confidence interval and quantiles.

use crate::model::metrics::MetricInfo;
use crate::stats::Summary;
use std::fmt::Write as _;

/// Statistics written for each metric, in column order.
const STATS: [&str; 6] = ["mean", "ci_low", "ci_high", "p5", "p50", "p95"];

/// The header row: point, label, replications, each parameter, then `<metric>.<stat>`
/// columns.
pub fn header(parameters: &[String], metrics: &[MetricInfo]) -> String {
    let mut out = String::from("point,label,replications");
    for p in parameters {
        out.push(',');
        super::files::csv_field(&mut out, p);
    }
    for m in metrics {
        for stat in STATS {
            out.push(',');
            super::files::csv_field(&mut out, &format!("{}.{stat}", m.name));
        }
    }
    out.push('\n');
    out
}

/// One point's row; `values` are the parameter values as written in the file (empty
/// where a variant keeps the base scenario's value).
pub fn row(point: usize, label: &str, replications: u64, values: &[String], summaries: &[Summary]) -> String {
    let mut out = format!("{point},");
    super::files::csv_field(&mut out, label);
    let _ = write!(out, ",{replications}");
    for v in values {
        out.push(',');
        super::files::csv_field(&mut out, v);
    }
    for s in summaries {
        for x in [s.mean, s.ci_low, s.ci_high, s.p5, s.p50, s.p95] {
            out.push(',');
            if x.is_finite() {
                let _ = write!(out, "{x}");
            }
        }
    }
    out.push('\n');
    out
}
