//! The summary `feidi run` prints: the report's summary rows (`summary_rows`) as
//! a plain-text table in English or Chinese, with the horizon stated and a note under
//! each metric that some replications leave undefined. It reads the results directory
//! only, so the terminal and the report cannot disagree.

use super::{summary_rows, PlotError};
use crate::plot::labels::{Lang, Word};
use crate::results::format;
use std::fmt::Write as _;
use std::path::Path;

/// The run summary of `dir` (a run's results directory) for the terminal: title, the
/// replications, seed and horizon, then one row per metric the scenario reports (display
/// name, mean, interval, p5, p50, p95, unit), then the notes.
pub fn run_summary(dir: &Path, lang: Lang) -> Result<String, PlotError> {
    let loaded = crate::plot::load(dir)?;
    let Some(run) = &loaded.run else {
        return Err(PlotError::NotResults(dir.to_path_buf()));
    };
    let summary = &run.summary;
    let mut out = String::new();
    let horizon = summary.horizon_months.map(|h| format::quantity(h, "months", lang));
    let bins = format::quantity(summary.bin_months, "months", lang);
    let _ = match (lang, horizon) {
        (Lang::En, Some(h)) => writeln!(
            out,
            "{} — {} replications, seed {}, horizon {h} (series in bins of {bins})",
            loaded.title.get(lang),
            summary.replications,
            summary.seed
        ),
        (Lang::Zh, Some(h)) => writeln!(
            out,
            "{} — {} 次模拟，随机种子 {}，模拟时长 {h}（序列按每 {bins}统计）",
            loaded.title.get(lang),
            summary.replications,
            summary.seed
        ),
        (Lang::En, None) => writeln!(
            out,
            "{} — {} replications, seed {}",
            loaded.title.get(lang),
            summary.replications,
            summary.seed
        ),
        (Lang::Zh, None) => writeln!(
            out,
            "{} — {} 次模拟，随机种子 {}",
            loaded.title.get(lang),
            summary.replications,
            summary.seed
        ),
    };
    let rows = summary_rows(summary, &loaded.names, lang);
    let mut notes = Vec::new();
    let cells: Vec<[String; 7]> = rows
        .into_iter()
        .map(|row| {
            let mut cells = row.cells;
            if let Some(note) = row.note {
                // A marker on the name points to the note under the table.
                let marker = "*".repeat(notes.len() + 1);
                notes.push(format!("{marker} {}{}{note}", cells[0], lang.pick(": ", "：")));
                cells[0].push_str(&marker);
            }
            cells
        })
        .collect();
    let header = [
        Word::Metric.get(lang),
        Word::MeanCol.get(lang),
        Word::CiCol.get(lang),
        "p5",
        "p50",
        "p95",
        Word::Unit.get(lang),
    ]
    .map(String::from);
    out.push_str(&text_table(&header, &cells));
    for note in notes {
        out.push_str(&note);
        out.push('\n');
    }
    let shown = cells.len();
    let left_out = summary.metrics.0.len().saturating_sub(shown);
    if left_out > 0 {
        let _ = match lang {
            Lang::En => writeln!(
                out,
                "({left_out} metrics of mechanisms this scenario does not use are zero throughout and left out; see summary.json)"
            ),
            Lang::Zh => writeln!(out, "（本情景未启用的机制有 {left_out} 项指标始终为零，未列出；见 summary.json）"),
        };
    }
    Ok(out)
}

/// Columns of a terminal: a Chinese character takes two.
fn display_width(text: &str) -> usize {
    text.chars()
        .map(|c| {
            let wide = matches!(u32::from(c),
                0x1100..=0x115F | 0x2E80..=0x303E | 0x3041..=0x33FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF
                | 0xA000..=0xA4CF | 0xAC00..=0xD7A3 | 0xF900..=0xFAFF | 0xFE30..=0xFE4F | 0xFF00..=0xFF60
                | 0xFFE0..=0xFFE6);
            if wide {
                2
            } else {
                1
            }
        })
        .sum()
}

/// A plain-text table: the first and last columns (name, unit) left-aligned, the
/// figures right-aligned, a rule under the header.
fn text_table(header: &[String; 7], rows: &[[String; 7]]) -> String {
    let mut widths = header.clone().map(|h| display_width(&h));
    for row in rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(display_width(cell));
        }
    }
    let mut out = String::new();
    let mut line = |cells: &[String; 7]| {
        let mut text = String::new();
        for (i, (cell, w)) in cells.iter().zip(widths).enumerate() {
            let pad = " ".repeat(w - display_width(cell));
            if i == 0 || i == 6 {
                text.push_str(cell);
                text.push_str(&pad);
            } else {
                text.push_str(&pad);
                text.push_str(cell);
            }
            text.push_str("  ");
        }
        out.push_str(text.trim_end());
        out.push('\n');
    };
    line(header);
    line(&widths.map(|w| "-".repeat(w)));
    for row in rows {
        line(row);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_characters_take_two_columns() {
        assert_eq!(display_width("abc"), 3);
        assert_eq!(display_width("落地率"), 6);
        assert_eq!(display_width("7.8 %（万元）"), 5 + 2 * 4);
    }
}
