//! Charts from result files. `feidi plot DIR` reads what a run, sweep, comparison or
//! calibration wrote in DIR (never simulating) and writes each chart as PNG and SVG in
//! `DIR/charts/`, in English or Chinese, with the embedded font so that no system font
//! is needed.
//!
//! `results.rs` reads result files; `labels.rs` holds every word in both languages;
//! `charts.rs` plans the charts of each kind of directory; `draw.rs` draws them (frame,
//! font, colours, chart types); `png.rs` and `svg.rs` are the image formats.

pub mod charts;
pub mod draw;
pub mod labels;
pub mod png;
pub mod results;
pub mod svg;

use crate::results::write_atomic;
use charts::Planned;
use draw::{DrawError, Frame, ImageFormat, Provenance};
pub use labels::Lang;
use results::{read_json, ResultFileError, RunResults, Series, SweepResults, Table};
use std::path::{Path, PathBuf};

/// Why charts could not be made.
#[derive(Debug, thiserror::Error)]
pub enum PlotError {
    /// A result file is missing or not what feidi writes (the user's input).
    #[error(transparent)]
    Input(#[from] ResultFileError),
    /// The directory holds no results feidi knows.
    #[error("{0}: no results here: expected summary.json (a run), sweep-plan.json (a sweep), compare.json (a comparison) or calibration.json (a calibration)")]
    NotResults(PathBuf),
    /// Drawing failed.
    #[error(transparent)]
    Draw(#[from] DrawError),
    /// A chart could not be written.
    #[error("{path}: cannot write: {source}")]
    Write {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
}

/// What a results directory holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ResultKind {
    /// `feidi run`.
    Run,
    /// `feidi sweep`.
    Sweep,
    /// `feidi compare`.
    Compare,
    /// `feidi calibrate`.
    Calibration,
}

/// Tells what `dir` holds from the files in it.
pub fn kind_of(dir: &Path) -> Result<ResultKind, PlotError> {
    let has = |name: &str| dir.join(name).is_file();
    if has("compare.json") {
        Ok(ResultKind::Compare)
    } else if has("calibration.json") {
        Ok(ResultKind::Calibration)
    } else if has("sweep-plan.json") {
        Ok(ResultKind::Sweep)
    } else if has("summary.json") {
        Ok(ResultKind::Run)
    } else {
        Err(PlotError::NotResults(dir.to_path_buf()))
    }
}

/// A chart written to disk.
#[derive(Clone, Debug)]
pub struct ChartFile {
    /// File stem, such as `landings`.
    pub stem: String,
    /// Its title.
    pub title: String,
    /// The PNG file.
    pub png: PathBuf,
    /// The SVG file.
    pub svg: PathBuf,
    /// The PNG's bytes (the report inlines them).
    pub png_bytes: Vec<u8>,
}

/// The date results were written, YYYY-MM-DD: `SOURCE_DATE_EPOCH` when set (so that
/// charts of the same results are byte-identical), else the file's modification time.
pub fn results_date(file: &Path) -> String {
    let seconds = std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|s| s.trim().parse::<i64>().ok())
        .or_else(|| {
            let modified = std::fs::metadata(file).and_then(|m| m.modified()).ok()?;
            let since = modified.duration_since(std::time::UNIX_EPOCH).ok()?;
            Some(since.as_secs() as i64)
        })
        .unwrap_or(0);
    civil_date(seconds.div_euclid(86_400))
}

/// Days since 1970-01-01 as a proleptic Gregorian date (Hinnant's algorithm).
fn civil_date(days: i64) -> String {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}")
}

/// Everything charts and the report need from a results directory.
pub struct Loaded {
    /// The results directory.
    pub dir: PathBuf,
    /// What the directory holds.
    pub kind: ResultKind,
    /// The footer of every chart.
    pub provenance: Provenance,
    /// A title for the whole (scenario title, sweep or comparison name).
    pub title: String,
    /// A run's results (a run, or the base of other kinds when present).
    pub run: Option<RunResults>,
    /// A sweep's results.
    pub sweep: Option<SweepResults>,
    /// `compare.json`, `sensitivity.json`, `calibration.json`, `discovery.json` as found.
    pub json: Vec<(String, serde_json::Value)>,
    /// Each compared alternative's series, by name.
    pub alternatives: Vec<(String, Series)>,
    /// `posterior.csv` of a calibration.
    pub posterior: Option<Table>,
}

impl Loaded {
    /// A JSON file read from the directory, by name.
    pub fn json(&self, name: &str) -> Option<&serde_json::Value> {
        self.json.iter().find(|(n, _)| n == name).map(|(_, v)| v)
    }
}

fn field_str(v: &serde_json::Value, key: &str) -> String {
    v.get(key).and_then(|x| x.as_str()).unwrap_or_default().to_string()
}

fn field_u64(v: &serde_json::Value, key: &str) -> u64 {
    v.get(key).and_then(|x| x.as_u64()).unwrap_or_default()
}

/// Reads every result file of `dir` that charts and the report use.
pub fn load(dir: &Path) -> Result<Loaded, PlotError> {
    let kind = kind_of(dir)?;
    let mut json = Vec::new();
    for name in ["compare.json", "sensitivity.json", "calibration.json", "discovery.json"] {
        let path = dir.join(name);
        if path.is_file() {
            json.push((name.to_string(), read_json::<serde_json::Value>(&path)?));
        }
    }
    let mut loaded = Loaded {
        dir: dir.to_path_buf(),
        kind,
        provenance: Provenance::default(),
        title: String::new(),
        run: None,
        sweep: None,
        json,
        alternatives: Vec::new(),
        posterior: None,
    };
    match kind {
        ResultKind::Run => {
            let run = RunResults::read(dir)?;
            let s = &run.summary;
            loaded.provenance = Provenance {
                name: s.scenario.name.clone(),
                sha256: s.scenario.sha256.clone(),
                seed: s.seed,
                replications: s.replications,
                version: s.feidi_version.clone(),
                date: results_date(&dir.join("summary.json")),
            };
            loaded.title = if s.scenario.title.is_empty() {
                s.scenario.name.clone()
            } else {
                s.scenario.title.clone()
            };
            loaded.run = Some(run);
        }
        ResultKind::Sweep => {
            let sweep = SweepResults::read(dir)?;
            let name = Path::new(&sweep.plan.sweep_file)
                .file_stem()
                .map_or_else(|| sweep.plan.sweep_file.clone(), |s| s.to_string_lossy().into_owned());
            loaded.provenance = Provenance {
                name: name.clone(),
                sha256: sweep.plan.sweep_sha256.clone(),
                seed: sweep.plan.seed,
                replications: sweep.plan.replications_per_point,
                version: sweep.plan.feidi_version.clone(),
                date: results_date(&dir.join("points.csv")),
            };
            loaded.title = name;
            loaded.sweep = Some(sweep);
        }
        ResultKind::Compare => {
            let compare = loaded.json("compare.json").cloned().unwrap_or_default();
            let alternatives = compare
                .get("alternatives")
                .and_then(|a| a.as_array())
                .cloned()
                .unwrap_or_default();
            let names: Vec<String> = alternatives.iter().map(|a| field_str(a, "name")).collect();
            let hashes: String = alternatives.iter().map(|a| field_str(a, "sha256")).collect();
            loaded.provenance = Provenance {
                name: names.join(" vs "),
                sha256: crate::results::sha256_hex(hashes.as_bytes()),
                seed: field_u64(&compare, "seed"),
                replications: field_u64(&compare, "replications"),
                version: field_str(&compare, "feidi_version"),
                date: results_date(&dir.join("compare.json")),
            };
            loaded.title = names.join(" · ");
            for name in names {
                let path = dir.join("alternatives").join(&name).join("series.csv");
                if path.is_file() {
                    loaded.alternatives.push((name, Series::read(&path)?));
                }
            }
        }
        ResultKind::Calibration => {
            let cal = loaded.json("calibration.json").cloned().unwrap_or_default();
            let scenario = cal.get("scenario").cloned().unwrap_or_default();
            // The footer's replications: every accepted particle's, together.
            let per_particle = field_u64(&cal, "replications_per_particle").max(1);
            loaded.provenance = Provenance {
                name: format!(
                    "{} ({} particles)",
                    field_str(&scenario, "name"),
                    field_u64(&cal, "particles")
                ),
                sha256: field_str(&scenario, "sha256"),
                seed: field_u64(&cal, "seed"),
                replications: field_u64(&cal, "particles") * per_particle,
                version: field_str(&cal, "feidi_version"),
                date: results_date(&dir.join("calibration.json")),
            };
            loaded.title = field_str(&scenario, "name");
            let path = dir.join("posterior.csv");
            if path.is_file() {
                loaded.posterior = Some(Table::read(&path)?);
            }
        }
    }
    Ok(loaded)
}

/// The charts of a loaded directory, planned.
pub fn plan(loaded: &Loaded, lang: Lang) -> Vec<Planned> {
    let mut out = Vec::new();
    if let Some(run) = &loaded.run {
        out.extend(charts::run_charts(run, lang));
    }
    if let Some(sweep) = &loaded.sweep {
        out.extend(charts::sweep_charts(sweep, lang));
    }
    if let Some(sensitivity) = loaded.json("sensitivity.json") {
        for metric in charts::KEY_METRICS {
            out.extend(charts::tornado(sensitivity, metric, lang));
        }
    }
    if let Some(compare) = loaded.json("compare.json") {
        out.extend(charts::compare_charts(compare, &loaded.alternatives, lang));
    }
    if let (Some(cal), Some(posterior)) = (loaded.json("calibration.json"), &loaded.posterior) {
        out.extend(charts::posterior_charts(cal, posterior, lang));
    }
    out
}

/// Where the charts of `dir` go: `DIR/charts/`.
pub fn charts_dir(dir: &Path) -> PathBuf {
    dir.join("charts")
}

/// Writes every chart of `dir` as PNG and SVG into `DIR/charts/` (Chinese ones with
/// `.zh` before the extension), each file whole and renamed into place.
pub fn plot(dir: &Path, lang: Lang) -> Result<Vec<ChartFile>, PlotError> {
    let loaded = load(dir)?;
    write_charts(&loaded, dir, lang)
}

/// Renders and writes the charts of `loaded` (read from `dir`).
pub fn write_charts(loaded: &Loaded, dir: &Path, lang: Lang) -> Result<Vec<ChartFile>, PlotError> {
    draw::register_font()?;
    let out_dir = charts_dir(dir);
    std::fs::create_dir_all(&out_dir).map_err(|source| PlotError::Write {
        path: out_dir.clone(),
        source,
    })?;
    let suffix = match lang {
        Lang::En => "",
        Lang::Zh => ".zh",
    };
    let mut files = Vec::new();
    for chart in plan(loaded, lang) {
        let frame = Frame {
            lang,
            title: chart.title.clone(),
            subtitle: loaded.title.clone(),
            provenance: loaded.provenance.clone(),
        };
        let png_bytes = png::Png::render(&chart, &frame)?;
        let svg_bytes = svg::Svg::render(&chart, &frame)?;
        let png = out_dir.join(format!("{}{suffix}.{}", chart.stem, png::Png::EXTENSION));
        let svg = out_dir.join(format!("{}{suffix}.{}", chart.stem, svg::Svg::EXTENSION));
        for (path, bytes) in [(&png, &png_bytes), (&svg, &svg_bytes)] {
            write_atomic(path, bytes).map_err(|source| PlotError::Write {
                path: path.clone(),
                source,
            })?;
        }
        files.push(ChartFile {
            stem: chart.stem,
            title: chart.title,
            png,
            svg,
            png_bytes,
        });
    }
    Ok(files)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn civil_dates() {
        assert_eq!(civil_date(0), "1970-01-01");
        assert_eq!(civil_date(20_779), "2026-11-22");
        assert_eq!(civil_date(11_016), "2000-02-29");
    }
}
