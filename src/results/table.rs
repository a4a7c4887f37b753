//! The readable summary table printed after a run.

use crate::model::metrics::MetricInfo;
use crate::stats::Summary;
use std::fmt::Write as _;

/// Formats an interval as "low – high" with [`figure`]'s digits.
pub fn interval(low: f64, high: f64) -> String {
    format!("{} – {}", figure(low), figure(high))
}

/// Formats a figure with about four significant digits, or "–" when undefined.
pub fn figure(x: f64) -> String {
    if !x.is_finite() {
        return "–".to_string();
    }
    let a = x.abs();
    if a == 0.0 {
        "0".to_string()
    } else if a >= 1e6 {
        format!("{x:.3e}")
    } else if a >= 100.0 {
        format!("{x:.0}")
    } else if a >= 1.0 {
        format!("{x:.2}")
    } else {
        format!("{x:.3}")
    }
}

/// A table of every metric: mean, 95% confidence interval, 5th/50th/95th percentiles.
pub fn summary_table(metrics: &[(&MetricInfo, Summary)]) -> String {
    let rows: Vec<[String; 7]> = metrics
        .iter()
        .map(|(info, s)| {
            [
                info.name.clone(),
                figure(s.mean),
                interval(s.ci_low, s.ci_high),
                figure(s.p5),
                figure(s.p50),
                figure(s.p95),
                info.unit.to_string(),
            ]
        })
        .collect();
    let header = ["metric", "mean", "95% CI of mean", "p5", "p50", "p95", "unit"];
    let mut widths = header.map(|h| h.chars().count());
    for row in &rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let mut out = String::new();
    let line = |out: &mut String, cells: &[String]| {
        for (i, (cell, w)) in cells.iter().zip(widths).enumerate() {
            let pad = w - cell.chars().count();
            if i == 0 || i == 6 {
                let _ = write!(out, "{cell}{}", " ".repeat(pad));
            } else {
                let _ = write!(out, "{}{cell}", " ".repeat(pad));
            }
            out.push_str(if i + 1 < cells.len() { "  " } else { "\n" });
        }
    };
    line(&mut out, &header.map(String::from));
    line(&mut out, &widths.map(|w| "-".repeat(w)));
    for row in &rows {
        line(&mut out, row);
    }
    out
}

/// A run's summary table for the terminal. Metrics of mechanisms the scenario does not
/// use are zero throughout: the table leaves them out, with a note (summary.json keeps
/// every one).
pub fn run_table(totals: &[MetricInfo], results: &crate::runner::Results) -> String {
    let (rows, hidden): (Vec<_>, Vec<_>) = totals
        .iter()
        .zip(&results.totals)
        .enumerate()
        .map(|(i, (info, a))| (i, info, a.summary(super::CONFIDENCE)))
        .partition(|(i, _, s)| *i <= crate::model::metrics::total::SEAT_MONTHS || s.min != 0.0 || s.max != 0.0);
    let rows: Vec<_> = rows.into_iter().map(|(_, info, s)| (info, s)).collect();
    let mut text = summary_table(&rows);
    if !hidden.is_empty() {
        let _ = writeln!(
            text,
            "({} metrics zero in every replication are left out here; see summary.json)",
            hidden.len()
        );
    }
    text
}
