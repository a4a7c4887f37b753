//! The sheets of an optimization: every setting evaluated (one row each: its
//! generation, lever values and tracked metrics' means and intervals), and the
//! recommended setting against the scenario as it is (paired differences).

use super::{with_unit, Sheet};
use crate::plot::labels::{self, Lang, Word};
use crate::plot::names::Names;
use crate::results::optimize::OptimizeFile;
use rust_xlsxwriter::{Worksheet, XlsxError};

/// A lever's values as numbers in the unit people read (money in 万元 or million yuan),
/// with that unit's divisor and words; `None` when a value is not a number (a choice).
fn lever_scale(path: &str, values: &[&str], lang: Lang) -> Option<(f64, String)> {
    if values.iter().any(|v| v.trim().replace('_', "").parse::<f64>().is_err()) {
        return None;
    }
    Some(if path.ends_with("_yuan") {
        labels::unit(lang, "yuan")
    } else {
        (1.0, String::new())
    })
}

/// Every setting evaluated, in the order the search evaluated it (numbered from 1).
pub(super) fn evaluations(file: &OptimizeFile, names: &Names, lang: Lang) -> Result<Worksheet, XlsxError> {
    let mut header: Vec<String> = [Word::Evaluation, Word::Generation, Word::Feasible]
        .iter()
        .map(|w| w.get(lang).to_string())
        .collect();
    let levers: Vec<Option<(f64, String)>> = file
        .levers
        .iter()
        .enumerate()
        .map(|(k, l)| {
            let values: Vec<&str> = file
                .evaluations
                .iter()
                .filter_map(|e| e.levers.get(k).map(String::as_str))
                .collect();
            lever_scale(&l.path, &values, lang)
        })
        .collect();
    for (l, scale) in file.levers.iter().zip(&levers) {
        let name = names.lever(lang, &l.path);
        header.push(match scale {
            Some((_, unit)) => with_unit(lang, &name, unit),
            None => name,
        });
    }
    let tracked: Vec<(String, String)> = file
        .evaluations
        .first()
        .map(|e| e.metrics.iter().map(|m| (m.metric.clone(), m.unit.clone())).collect())
        .unwrap_or_default();
    let mut scales = Vec::new();
    for (metric, unit) in &tracked {
        let (scale, words) = labels::unit(lang, unit);
        let name = names.metric(lang, metric);
        for word in [Word::Mean, Word::CiLow, Word::CiHigh] {
            header.push(with_unit(lang, &labels::titled(lang, &name, word.get(lang)), &words));
        }
        scales.push(scale);
    }
    let mut sheet = Sheet::new(Word::EvaluationsSheet.get(lang), &header, 1)?;
    for (i, e) in file.evaluations.iter().enumerate() {
        let row = i as u32 + 1;
        sheet.number(row, 0, Some((i + 1) as f64))?;
        sheet.number(row, 1, Some((e.generation + 1) as f64))?;
        let feasible = if e.feasible { Word::Yes } else { Word::No };
        sheet.text(row, 2, feasible.get(lang))?;
        let mut column = 3u16;
        for (value, scale) in e.levers.iter().zip(&levers) {
            match scale {
                Some((divisor, _)) => {
                    let x = value.trim().replace('_', "").parse::<f64>().ok();
                    sheet.number(row, column, x.map(|x| x / divisor))?;
                }
                None => sheet.text(row, column, value)?,
            }
            column += 1;
        }
        for ((metric, _), scale) in tracked.iter().zip(&scales) {
            let estimate = e.metrics.iter().find(|m| &m.metric == metric);
            for x in [
                estimate.and_then(|m| m.mean),
                estimate.and_then(|m| m.ci_low),
                estimate.and_then(|m| m.ci_high),
            ] {
                sheet.quantity(row, column, x, *scale)?;
                column += 1;
            }
        }
    }
    sheet.finish()
}

/// The recommended setting against the scenario as it is: one row per metric, both
/// means, the paired difference and its interval.
pub(super) fn against_base(file: &OptimizeFile, names: &Names, lang: Lang) -> Result<Option<Worksheet>, XlsxError> {
    let Some(against) = &file.against_base else {
        return Ok(None);
    };
    let header: Vec<String> = [
        Word::Metric,
        Word::Unit,
        Word::BaseCol,
        Word::RecommendedCol,
        Word::Difference,
        Word::CiLow,
        Word::CiHigh,
    ]
    .iter()
    .map(|w| w.get(lang).to_string())
    .collect();
    let mut sheet = Sheet::new(Word::AgainstBaseSheet.get(lang), &header, 1)?;
    for (r, d) in against.differences.iter().enumerate() {
        let row = r as u32 + 1;
        let (scale, words) = labels::unit(lang, &d.unit);
        sheet.text(row, 0, &names.metric(lang, &d.metric))?;
        sheet.text(row, 1, &words)?;
        for (k, x) in [d.base, d.recommended, d.mean, d.ci_low, d.ci_high]
            .into_iter()
            .enumerate()
        {
            sheet.quantity(row, 2 + k as u16, x, scale)?;
        }
    }
    sheet.finish().map(Some)
}
