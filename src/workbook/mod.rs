//! The Excel workbook beside the CSV files: `DIR/results.xlsx` (`results.zh.xlsx` in
//! Chinese), made from a results directory's files alone, like the charts and the report.
//!
//! A run gets a Summary sheet (one row per metric) and a wide Series sheet (one row per
//! time bin, one column per series metric's mean, ready to chart without a pivot table);
//! a sweep a Points sheet (one row per design point: parameters, then each metric's mean
//! and interval); a comparison a Comparison sheet (each alternative's means, the paired
//! differences with their intervals and win shares); a calibration a Posterior sheet.
//! Every figure is a numeric cell (an undefined one is left blank), durations such as
//! "22.25 months" become numbers of months with the unit in the header, money is in the
//! report's unit (million yuan, or 万元 in Chinese), the header row is frozen and the
//! columns are sized to their contents. Words and units come from [`crate::plot::labels`].
//!
//! `sheets.rs` lays out each kind of sheet; this file loads the directory and writes the
//! workbook whole, renamed into place.

mod sheets;

use crate::plot::labels::Lang;
use crate::plot::{self, Loaded, PlotError};
use crate::results::write_atomic;
use rust_xlsxwriter::{DocProperties, ExcelDateTime, Workbook};
use std::path::{Path, PathBuf};

/// The workbook's file name inside the results directory (`results.zh.xlsx` in Chinese).
pub fn workbook_path(dir: &Path, lang: Lang) -> PathBuf {
    match lang {
        Lang::En => dir.join("results.xlsx"),
        Lang::Zh => dir.join("results.zh.xlsx"),
    }
}

/// Reads the result files of `dir` and writes its workbook there; returns its path.
pub fn workbook(dir: &Path, lang: Lang) -> Result<PathBuf, PlotError> {
    let loaded = plot::load(dir)?;
    write(&loaded, dir, lang)
}

/// Writes the workbook of `loaded` (read from `dir`) whole, to a temporary name and then
/// renamed into place; returns its path.
pub fn write(loaded: &Loaded, dir: &Path, lang: Lang) -> Result<PathBuf, PlotError> {
    let path = workbook_path(dir, lang);
    let failed = |why: String| PlotError::Write {
        path: path.clone(),
        source: std::io::Error::other(why),
    };
    let bytes = render(loaded, lang).map_err(|e| failed(e.to_string()))?;
    write_atomic(&path, &bytes).map_err(|e| failed(e.to_string()))?;
    Ok(path)
}

/// The workbook's bytes. The document's date is the results' date (so the same results
/// give the same workbook), its title the results' title, its comment their provenance.
pub fn render(loaded: &Loaded, lang: Lang) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    let mut book = Workbook::new();
    let date =
        ExcelDateTime::parse_from_str(&loaded.provenance.date).or_else(|_| ExcelDateTime::from_ymd(1980, 1, 1))?;
    let properties = DocProperties::new()
        .set_title(loaded.title.get(lang))
        .set_comment(loaded.provenance.footer(lang))
        .set_author("feidi")
        .set_creation_datetime(&date);
    book.set_properties(&properties);
    for sheet in sheets::sheets(loaded, lang)? {
        book.push_worksheet(sheet);
    }
    if book.worksheets().is_empty() {
        book.push_worksheet(sheets::empty(lang)?);
    }
    book.save_to_buffer()
}
