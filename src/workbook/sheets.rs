//! The sheets of a workbook: Summary and Series of a run, Points of a sweep, Comparison
//! of a comparison, Posterior of a calibration. Each is a header row (frozen, bold) over
//! numeric cells.

use crate::plot::labels::{self, Lang, Word};
use crate::plot::names::Names;
use crate::plot::results::{RunResults, SweepResults, Table};
use crate::plot::Loaded;
use crate::results::compare::Difference;
use crate::results::points::split_parameter_header;
use crate::results::CompareFile;
use rust_xlsxwriter::{Format, FormatAlign, FormatBorder, Worksheet, XlsxError};

mod optimize;

/// Widest a column grows to fit its contents (a longer header wraps).
const MAX_WIDTH: f64 = 36.0;
/// Narrowest column.
const MIN_WIDTH: f64 = 8.0;
/// Width a number needs in the General format (up to about 11 significant digits).
const NUMBER_WIDTH: f64 = 12.0;
/// The divisor of shares shown in percent ([`labels::unit`] of `share`).
const PERCENT: f64 = 0.01;

/// Every sheet of `loaded`, in the order a planner reads them.
pub(super) fn sheets(loaded: &Loaded, lang: Lang) -> Result<Vec<Worksheet>, XlsxError> {
    let mut out = Vec::new();
    let names = &loaded.names;
    if let Some(run) = &loaded.run {
        out.push(summary(run, names, lang)?);
        out.push(series(run, names, lang)?);
    }
    if let Some(sweep) = &loaded.sweep {
        out.push(points(sweep, names, lang)?);
    }
    if let Some(compare) = &loaded.compare {
        out.push(comparison(compare, names, lang)?);
    }
    if let Some(posterior) = &loaded.posterior {
        out.push(posterior_sheet(posterior, lang)?);
    }
    if let Some(file) = &loaded.optimize {
        out.push(optimize::evaluations(file, names, lang)?);
        out.extend(optimize::against_base(file, names, lang)?);
    }
    Ok(out)
}

/// A sheet saying there is no data (a workbook needs one sheet).
pub(super) fn empty(lang: Lang) -> Result<Worksheet, XlsxError> {
    let sheet = Sheet::new(Word::Summary.get(lang), &[Word::NoData.get(lang).to_string()], 0)?;
    sheet.finish()
}

/// A worksheet being filled, with the width each column needs so far.
struct Sheet {
    sheet: Worksheet,
    widths: Vec<f64>,
}

/// Columns a text takes on screen: two for a wide (CJK or full-width) character.
fn text_width(text: &str) -> f64 {
    text.chars().map(|c| if (c as u32) >= 0x1100 { 2.0 } else { 1.0 }).sum()
}

impl Sheet {
    /// A sheet named `name` with `header` in its first row, frozen with the first
    /// `frozen_columns` columns.
    fn new(name: &str, header: &[String], frozen_columns: u16) -> Result<Sheet, XlsxError> {
        let mut sheet = Worksheet::new();
        sheet.set_name(name)?;
        let bold = Format::new()
            .set_bold()
            .set_text_wrap()
            .set_align(FormatAlign::Top)
            .set_border_bottom(FormatBorder::Thin);
        for (c, h) in header.iter().enumerate() {
            sheet.write_string_with_format(0, c as u16, h, &bold)?;
        }
        sheet.set_freeze_panes(1, frozen_columns)?;
        let widths = header.iter().map(|h| text_width(h).min(MAX_WIDTH)).collect();
        Ok(Sheet { sheet, widths })
    }

    fn fit(&mut self, column: u16, width: f64) {
        let c = usize::from(column);
        if self.widths.len() <= c {
            self.widths.resize(c + 1, 0.0);
        }
        self.widths[c] = self.widths[c].max(width);
    }

    /// Text at (`row`, `column`).
    fn text(&mut self, row: u32, column: u16, text: &str) -> Result<(), XlsxError> {
        self.sheet.write_string(row, column, text)?;
        self.fit(column, text_width(text));
        Ok(())
    }

    /// A number at (`row`, `column`); an undefined figure leaves the cell blank.
    fn number(&mut self, row: u32, column: u16, x: Option<f64>) -> Result<(), XlsxError> {
        if let Some(x) = x.filter(|x| x.is_finite()) {
            self.sheet.write_number(row, column, x)?;
            self.fit(column, NUMBER_WIDTH.min(x.to_string().len() as f64));
        }
        Ok(())
    }

    /// A figure in a unit whose values are divided by `scale` ([`labels::unit`]); a
    /// share (scale 0.01, shown in percent) is written as the share itself with a percent
    /// format, so that Excel computes with 0.078 and shows 7.80%.
    fn quantity(&mut self, row: u32, column: u16, x: Option<f64>, scale: f64) -> Result<(), XlsxError> {
        if scale != PERCENT {
            return self.number(row, column, x.map(|x| x / scale));
        }
        if let Some(x) = x.filter(|x| x.is_finite()) {
            let percent = Format::new().set_num_format("0.00%");
            self.sheet.write_number_with_format(row, column, x, &percent)?;
            self.fit(column, NUMBER_WIDTH);
        }
        Ok(())
    }

    /// The sheet, its columns sized.
    fn finish(mut self) -> Result<Worksheet, XlsxError> {
        for (c, w) in self.widths.iter().enumerate() {
            self.sheet
                .set_column_width(c as u16, (w + 2.0).clamp(MIN_WIDTH, MAX_WIDTH))?;
        }
        Ok(self.sheet)
    }
}

/// A header with its unit: "landing rate (share)", "落地率（比例）".
fn with_unit(lang: Lang, name: &str, unit: &str) -> String {
    if unit.is_empty() {
        return name.to_string();
    }
    match lang {
        Lang::En => format!("{name} ({unit})"),
        Lang::Zh => format!("{name}（{unit}）"),
    }
}

/// A run's Summary: one row per metric.
fn summary(run: &RunResults, names: &Names, lang: Lang) -> Result<Worksheet, XlsxError> {
    let header: Vec<String> = [
        Word::Metric.get(lang),
        Word::MetricId.get(lang),
        Word::Unit.get(lang),
        Word::Mean.get(lang),
        Word::CiLow.get(lang),
        Word::CiHigh.get(lang),
        "p5",
        "p50",
        "p95",
        Word::DefinedN.get(lang),
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    let mut sheet = Sheet::new(Word::Summary.get(lang), &header, 1)?;
    for (i, (name, m)) in run.summary.metrics.0.iter().enumerate() {
        let row = i as u32 + 1;
        let (scale, unit) = labels::unit(lang, &m.unit);
        sheet.text(row, 0, &names.metric(lang, name))?;
        sheet.text(row, 1, name)?;
        sheet.text(row, 2, &unit)?;
        for (c, x) in [m.mean, m.ci_low, m.ci_high, m.p5, m.p50, m.p95]
            .into_iter()
            .enumerate()
        {
            sheet.quantity(row, 3 + c as u16, x, scale)?;
        }
        sheet.number(row, 9, Some(m.n as f64))?;
    }
    sheet.finish()
}

/// A run's Series, wide: one row per time bin, one column per series metric's mean.
fn series(run: &RunResults, names: &Names, lang: Lang) -> Result<Worksheet, XlsxError> {
    let metrics = run.series.names();
    let columns: Vec<_> = metrics.iter().map(|n| run.series.metric(n)).collect();
    let mut header: Vec<String> = [Word::Bin, Word::MonthStart, Word::MonthEnd]
        .iter()
        .map(|w| w.get(lang).to_string())
        .collect();
    let mut scales = Vec::new();
    for (name, rows) in metrics.iter().zip(&columns) {
        let (scale, unit) = labels::unit(lang, rows.first().map_or("", |r| r.unit.as_str()));
        header.push(with_unit(lang, &names.metric(lang, name), &unit));
        scales.push(scale);
    }
    let mut sheet = Sheet::new(Word::SeriesSheet.get(lang), &header, 3)?;
    let bins = columns.iter().map(Vec::len).max().unwrap_or(0);
    for bin in 0..bins {
        let row = bin as u32 + 1;
        let first = columns.iter().find_map(|rows| rows.get(bin));
        sheet.number(row, 0, Some(bin as f64))?;
        sheet.number(row, 1, first.map(|r| r.start))?;
        sheet.number(row, 2, first.map(|r| r.end))?;
        for (c, rows) in columns.iter().enumerate() {
            sheet.quantity(row, 3 + c as u16, rows.get(bin).map(|r| r.mean), scales[c])?;
        }
    }
    sheet.finish()
}

/// How a parameter column of points.csv is shown: numbers (with the unit the values
/// carry, such as "months"), or text when some value is not a number.
enum ParameterColumn {
    Numbers(Option<String>),
    Text,
}

/// A field as a number and the unit written after it: "22.25 months" gives (22.25,
/// Some("months")), "40" gives (40, None); `None` when it is not a number.
fn quantity(field: &str) -> Option<(f64, Option<&str>)> {
    let field = field.trim();
    let (number, unit) = match field.split_once(char::is_whitespace) {
        Some((n, u)) => (n, Some(u.trim())),
        None => (field, None),
    };
    let number: f64 = number.replace('_', "").parse().ok()?;
    Some((number, unit))
}

fn parameter_column(values: impl Iterator<Item = String>) -> ParameterColumn {
    let mut unit: Option<Option<String>> = None;
    for v in values.filter(|v| !v.trim().is_empty()) {
        match quantity(&v) {
            Some((_, u)) => {
                let u = u.map(str::to_string);
                match &unit {
                    None => unit = Some(u),
                    Some(seen) if *seen == u => {}
                    Some(_) => return ParameterColumn::Text,
                }
            }
            None => return ParameterColumn::Text,
        }
    }
    ParameterColumn::Numbers(unit.flatten())
}

/// A sweep's Points: one row per design point, its parameters, then each metric's mean
/// and interval.
fn points(sweep: &SweepResults, names: &Names, lang: Lang) -> Result<Worksheet, XlsxError> {
    let t = &sweep.points;
    let mut header: Vec<String> = [Word::Point, Word::Label, Word::ReplicationsCol]
        .iter()
        .map(|w| w.get(lang).to_string())
        .collect();
    let parameters: Vec<(usize, ParameterColumn)> = t
        .parameters
        .clone()
        .map(|c| {
            let kind = match parameter_column(t.rows.iter().map(|r| r[c].clone())) {
                // points.csv gives a quantity's unit in the column's header, numbers in its cells.
                ParameterColumn::Numbers(None) => {
                    ParameterColumn::Numbers(split_parameter_header(&t.header[c]).1.map(str::to_string))
                }
                kind => kind,
            };
            (c, kind)
        })
        .collect();
    for (c, kind) in &parameters {
        let lever = names.lever(lang, t.parameter_path(*c));
        header.push(match kind {
            ParameterColumn::Numbers(Some(unit)) => with_unit(lang, &lever, &labels::unit(lang, unit).1),
            _ => lever,
        });
    }
    let stats = [Word::Mean, Word::CiLow, Word::CiHigh];
    let mut metrics = Vec::new();
    for metric in t.metrics() {
        let (scale, unit) = labels::unit(lang, crate::plot::charts::metric_unit(metric));
        let name = names.metric(lang, metric);
        for (stat, word) in ["mean", "ci_low", "ci_high"].iter().zip(stats) {
            if let Some(c) = t.column(&format!("{metric}.{stat}")) {
                header.push(with_unit(lang, &labels::titled(lang, &name, word.get(lang)), &unit));
                metrics.push((c, scale));
            }
        }
    }
    let mut sheet = Sheet::new(Word::PointsSheet.get(lang), &header, 2)?;
    for (r, fields) in t.rows.iter().enumerate() {
        let row = r as u32 + 1;
        for c in 0..3u16 {
            let field = &fields[usize::from(c)];
            match (c, field.trim().parse::<f64>()) {
                (1, _) => sheet.text(row, c, &names.point_label(lang, field))?,
                (_, Err(_)) => sheet.text(row, c, field)?,
                (_, Ok(x)) => sheet.number(row, c, Some(x))?,
            }
        }
        let mut column = 3u16;
        for (c, kind) in &parameters {
            match kind {
                ParameterColumn::Numbers(_) => sheet.number(row, column, quantity(&fields[*c]).map(|q| q.0))?,
                ParameterColumn::Text => sheet.text(row, column, &fields[*c])?,
            }
            column += 1;
        }
        for (c, scale) in &metrics {
            sheet.quantity(row, column, Some(t.number(r, *c)), *scale)?;
            column += 1;
        }
    }
    sheet.finish()
}

/// The share of a pair's replications that `wins` is.
fn share(wins: Option<u64>, d: &Difference) -> Option<f64> {
    wins.filter(|_| d.n > 0).map(|w| w as f64 / d.n as f64)
}

/// A comparison: one row per metric, each alternative's mean, then each pair's paired
/// difference with its interval and the share of replications each side wins.
fn comparison(compare: &CompareFile, names: &Names, lang: Lang) -> Result<Worksheet, XlsxError> {
    let mut header: Vec<String> = [Word::Metric, Word::MetricId, Word::Unit]
        .iter()
        .map(|w| w.get(lang).to_string())
        .collect();
    for a in &compare.alternatives {
        header.push(labels::titled(
            lang,
            &names.alternative(lang, &a.name),
            Word::Mean.get(lang),
        ));
    }
    let pairs: Vec<(String, String)> = compare
        .metrics
        .first()
        .map(|m| m.differences.iter().map(|d| (d.a.clone(), d.b.clone())).collect())
        .unwrap_or_default();
    for (a, b) in &pairs {
        let pair = names.pair(lang, a, b);
        for word in [Word::Difference, Word::CiLow, Word::CiHigh] {
            header.push(labels::titled(lang, &pair, word.get(lang)));
        }
        header.push(labels::titled(lang, &names.alternative(lang, a), Word::Wins.get(lang)));
        header.push(labels::titled(lang, &names.alternative(lang, b), Word::Wins.get(lang)));
    }
    let mut sheet = Sheet::new(Word::Compare.get(lang), &header, 1)?;
    for (i, m) in compare.metrics.iter().enumerate() {
        let row = i as u32 + 1;
        let (scale, unit) = labels::unit(lang, &m.unit);
        sheet.text(row, 0, &names.metric(lang, &m.metric))?;
        sheet.text(row, 1, &m.metric)?;
        sheet.text(row, 2, &unit)?;
        let mut column = 3u16;
        for a in &compare.alternatives {
            let mean = m.alternatives.iter().find(|s| s.name == a.name).and_then(|s| s.mean);
            sheet.quantity(row, column, mean, scale)?;
            column += 1;
        }
        for (a, b) in &pairs {
            let d = m.differences.iter().find(|d| &d.a == a && &d.b == b);
            // The difference and its interval in the metric's unit, the wins as shares.
            let figures = match d {
                Some(d) => [
                    (d.mean, scale),
                    (d.ci_low, scale),
                    (d.ci_high, scale),
                    (share(d.wins_a, d), PERCENT),
                    (share(d.wins_b, d), PERCENT),
                ],
                None => [(None, 1.0); 5],
            };
            for (x, scale) in figures {
                sheet.quantity(row, column, x, scale)?;
                column += 1;
            }
        }
    }
    sheet.finish()
}

/// A calibration's posterior.csv: its columns as they are, numbers as numbers.
fn posterior_sheet(table: &Table, lang: Lang) -> Result<Worksheet, XlsxError> {
    let mut sheet = Sheet::new(Word::PosteriorSheet.get(lang), &table.header, 0)?;
    for (r, fields) in table.rows.iter().enumerate() {
        for (c, field) in fields.iter().enumerate() {
            match field.trim().parse::<f64>() {
                Ok(x) => sheet.number(r as u32 + 1, c as u16, Some(x))?,
                Err(_) => sheet.text(r as u32 + 1, c as u16, field)?,
            }
        }
    }
    sheet.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_and_plain_numbers_become_numbers() {
        assert_eq!(quantity("22.25 months"), Some((22.25, Some("months"))));
        assert_eq!(quantity("40"), Some((40.0, None)));
        assert_eq!(quantity("3_000_000"), Some((3e6, None)));
        assert_eq!(quantity("lognormal"), None);
        let column = |v: &[&str]| parameter_column(v.iter().map(|s| s.to_string()));
        assert!(matches!(column(&["6 months", "", "24 months"]), ParameterColumn::Numbers(Some(u)) if u == "months"));
        assert!(matches!(column(&["1", "2.5"]), ParameterColumn::Numbers(None)));
        assert!(matches!(column(&["6 months", "2 years"]), ParameterColumn::Text));
        assert!(matches!(column(&["6", "high"]), ParameterColumn::Text));
    }

    #[test]
    fn wide_characters_count_twice() {
        assert_eq!(text_width("ab"), 2.0);
        assert_eq!(text_width("落地率"), 6.0);
    }
}
