//! The readable summary table printed after a run.

use crate::model::metrics::MetricInfo;
use crate::stats::Summary;
use std::fmt::Write as _;

/// Formats an interval as "low – high" with [`figure`]'s digits.
pub fn interval(low: f64, high: f64) -> String {
    format!("{} – {}", figure(low), figure(high))
}

/// Formats a figure for people (see [`super::format::number`]): separators, about four
/// significant digits, "–" when undefined, never e-notation.
pub fn figure(x: f64) -> String {
    super::format::number(x)
}

/// A table of every metric: mean, 95% confidence interval, 5th/50th/95th percentiles,
/// each row in its unit for people (money in million yuan, shares in percent).
pub fn summary_table(metrics: &[(&MetricInfo, Summary)]) -> String {
    let rows: Vec<[String; 7]> = metrics
        .iter()
        .map(|(info, s)| {
            let (scale, unit) = super::format::column(info.unit, super::format::Lang::En);
            let f = |x: f64| figure(x / scale);
            [
                info.name.clone(),
                f(s.mean),
                format!("{} – {}", f(s.ci_low), f(s.ci_high)),
                f(s.p5),
                f(s.p50),
                f(s.p95),
                unit.to_string(),
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
        .enumerate()
        .map(|(i, info)| (i, info, results.summary(i, super::CONFIDENCE)))
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
