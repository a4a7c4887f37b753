//! Charts from result files. `feidi plot DIR` reads what a run, sweep, comparison or
//! calibration wrote in DIR (never simulating) and writes each chart as PNG and SVG in
//! `DIR/charts/`, in English or Chinese, with the embedded font so that no system font
//! is needed.
//!
//! `results.rs` reads result files; `labels.rs` holds every fixed word in both languages
//! and `names.rs` the names of a directory's own things (levers, stages, parties,
//! alternatives), from the scenario file the results came from;
//! `charts.rs` plans the charts of each kind of directory; `draw.rs` draws them (frame,
//! font, colours, chart types); `png.rs` and `svg.rs` are the image formats.

pub mod charts;
pub mod draw;
pub mod labels;
pub mod names;
pub mod optimize;
pub mod png;
pub mod results;
pub mod svg;

use crate::results::optimize::OptimizeFile;
use crate::results::write_atomic;
use crate::results::{CalibrationFile, CompareFile, DiscoveryFile, Manifest, ReadError, ResultFile, SensitivityFile};
use charts::Planned;
use draw::{DrawError, Frame, ImageFormat, Provenance};
pub use labels::Lang;
use labels::Word;
use names::{Names, Text};
use results::{RunResults, Series, SweepResults, Table};
use std::path::{Path, PathBuf};

/// Why charts could not be made.
#[derive(Debug, thiserror::Error)]
pub enum PlotError {
    /// A result file is missing or not what feidi writes (the user's input).
    #[error(transparent)]
    Input(#[from] ReadError),
    /// The directory holds no results feidi knows.
    #[error("{0}: no results here: expected summary.json (a run), sweep-plan.json (a sweep), compare.json (a comparison), calibration.json (a calibration) or optimize.json (an optimization)")]
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
    /// `feidi optimize`.
    Optimization,
}

/// Tells what `dir` holds from the files in it.
pub fn kind_of(dir: &Path) -> Result<ResultKind, PlotError> {
    let has = |name: &str| dir.join(name).is_file();
    if has("compare.json") {
        Ok(ResultKind::Compare)
    } else if has("optimize.json") {
        Ok(ResultKind::Optimization)
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
    /// A title for the whole, in both languages: the scenario's title (its language's
    /// part), the sweep's name, or the compared alternatives' titles.
    pub title: Text,
    /// Display names of the directory's levers, stages, parties and alternatives.
    pub names: Names,
    /// A run's results (a run, or the base of other kinds when present).
    pub run: Option<RunResults>,
    /// A sweep's results.
    pub sweep: Option<SweepResults>,
    /// `compare.json`, when present.
    pub compare: Option<CompareFile>,
    /// `sensitivity.json`, when present.
    pub sensitivity: Option<SensitivityFile>,
    /// `calibration.json`, when present.
    pub calibration: Option<CalibrationFile>,
    /// `discovery.json`, when present.
    pub discovery: Option<DiscoveryFile>,
    /// Each compared alternative's series, by name.
    pub alternatives: Vec<(String, Series)>,
    /// `posterior.csv` of a calibration.
    pub posterior: Option<Table>,
    /// `optimize.json` of an optimization.
    pub optimize: Option<OptimizeFile>,
}

/// `T` read from `dir` if its file is there.
fn optional<T: ResultFile>(dir: &Path) -> Result<Option<T>, ReadError> {
    if dir.join(T::NAME).is_file() {
        T::read(dir).map(Some)
    } else {
        Ok(None)
    }
}

/// Reads every result file of `dir` that charts and the report use.
pub fn load(dir: &Path) -> Result<Loaded, PlotError> {
    let kind = kind_of(dir)?;
    // Complete results only (manifest.json, written last, and every file it lists); a
    // killed writer's temporary files go before charts, report or workbook are written.
    crate::results::complete::check(dir)?;
    crate::results::complete::remove_leftovers(dir);
    let mut loaded = Loaded {
        dir: dir.to_path_buf(),
        kind,
        provenance: Provenance::default(),
        title: Text::default(),
        names: Names::default(),
        run: None,
        sweep: None,
        compare: optional(dir)?,
        sensitivity: optional(dir)?,
        calibration: optional(dir)?,
        discovery: optional(dir)?,
        alternatives: Vec::new(),
        posterior: None,
        optimize: None,
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
                Text::same(&s.scenario.name)
            } else {
                names::bilingual(&s.scenario.title)
            };
            if let Some(text) = &run.scenario_text {
                loaded.names = Names::from_scenario(text);
            }
            loaded.names.learn_metrics(s.metrics.0.iter().map(|(n, _)| n.as_str()));
            loaded.run = Some(run);
        }
        ResultKind::Sweep => {
            let sweep = SweepResults::read(dir)?;
            let name = sweep.plan.sweep_file.file_stem().map_or_else(
                || sweep.plan.sweep_file.display().to_string(),
                |s| s.to_string_lossy().into_owned(),
            );
            loaded.provenance = Provenance {
                name: name.clone(),
                sha256: sweep.plan.sweep_sha256.clone(),
                seed: sweep.plan.seed,
                replications: sweep.plan.replications_per_point,
                version: sweep.plan.feidi_version.clone(),
                date: results_date(&dir.join("points.csv")),
            };
            if let Some(text) = sweep_scenario(&sweep.plan) {
                loaded.names = Names::from_scenario(&text);
            }
            // The scenario's title and what the sweep varies, rather than the sweep's id.
            let base = loaded.names.scenario_title();
            let title = |lang: Lang| {
                let what = match lang {
                    Lang::En => format!("sweep of {} levers", sweep.parameters.len()),
                    Lang::Zh => format!("{}个政策变量扫描", sweep.parameters.len()),
                };
                match &base {
                    Some(base) => format!("{} — {what}", base.get(lang)),
                    None => labels::Word::Sweep.get(lang).to_string(),
                }
            };
            loaded.title = Text {
                en: title(Lang::En),
                zh: title(Lang::Zh),
            };
            loaded
                .names
                .learn_metrics(sweep.points.header.iter().filter_map(|h| h.strip_suffix(".mean")));
            loaded.sweep = Some(sweep);
        }
        ResultKind::Compare => {
            let compare = loaded.compare.as_ref().expect("a comparison has compare.json");
            let names: Vec<String> = compare.alternatives.iter().map(|a| a.name.clone()).collect();
            let hashes: String = compare.alternatives.iter().map(|a| a.sha256.as_str()).collect();
            loaded.provenance = Provenance {
                name: names.join(" vs "),
                sha256: crate::results::sha256_hex(hashes.as_bytes()),
                seed: compare.seed,
                replications: compare.replications,
                version: compare.feidi_version.clone(),
                date: results_date(&dir.join(CompareFile::NAME)),
            };
            // Names of stages and parties from the first alternative's scenario (the
            // alternatives share the metric names, so they share these too).
            let first = names
                .first()
                .map(|n| dir.join("alternatives").join(n).join("scenario.toml"));
            if let Some(text) = first.and_then(|p| std::fs::read_to_string(p).ok()) {
                loaded.names = Names::from_scenario(&text);
            }
            loaded
                .names
                .learn_metrics(compare.metrics.iter().map(|m| m.metric.as_str()));
            for a in &compare.alternatives {
                loaded.names.add_alternative(&a.name, &a.title);
            }
            let titles = |lang: Lang| {
                let titles: Vec<String> = names.iter().map(|n| loaded.names.alternative(lang, n)).collect();
                titles.join(lang.pick(" vs ", " 与 "))
            };
            loaded.title = Text {
                en: titles(Lang::En),
                zh: titles(Lang::Zh),
            };
            for name in names {
                let path = dir.join("alternatives").join(&name).join("series.csv");
                if path.is_file() {
                    loaded.alternatives.push((name, Series::read(&path)?));
                }
            }
        }
        ResultKind::Calibration => {
            let cal = loaded.calibration.as_ref().expect("a calibration has calibration.json");
            // The footer's replications: every accepted particle's, together.
            let per_particle = cal.replications_per_particle.max(1);
            loaded.provenance = Provenance {
                name: format!("{} ({} particles)", cal.scenario.name, cal.particles),
                sha256: cal.scenario.sha256.clone(),
                seed: cal.seed,
                replications: cal.particles as u64 * per_particle,
                version: cal.feidi_version.clone(),
                date: results_date(&dir.join(CalibrationFile::NAME)),
            };
            if let Some(text) = calibration_scenario(dir, &cal.scenario.file, &cal.scenario.sha256) {
                loaded.names = Names::from_scenario(&text);
            }
            // Without the scenario file (results opened on another machine), the title
            // says what was calibrated to, rather than showing a file id; levers are then
            // named from their key paths alone ("Reach, enclave 1").
            loaded.title = loaded.names.scenario_title().unwrap_or_else(|| {
                let title = |lang: Lang| {
                    let figures: Vec<String> = cal
                        .targets
                        .iter()
                        .map(|t| loaded.names.metric(lang, &t.metric))
                        .collect();
                    match lang {
                        Lang::En => format!("Calibration to {}", figures.join(", ")),
                        Lang::Zh => format!("按{}校准", figures.join("、")),
                    }
                };
                Text {
                    en: title(Lang::En),
                    zh: title(Lang::Zh),
                }
            });
            let path = dir.join("posterior.csv");
            if path.is_file() {
                loaded.posterior = Some(Table::read(&path)?);
            }
        }
        ResultKind::Optimization => load_optimization(dir, &mut loaded)?,
    }
    Ok(loaded)
}

/// An optimization's `optimize.json`, its footer and title, and the names of levers
/// from its base scenario when that file is still where it was and unchanged.
fn load_optimization(dir: &Path, loaded: &mut Loaded) -> Result<(), PlotError> {
    let file = OptimizeFile::read(dir)?;
    let manifest = Manifest::read(dir)?;
    loaded.provenance = Provenance {
        name: file.name.clone(),
        sha256: manifest.optimization_sha256.clone().unwrap_or_default(),
        seed: file.seed,
        replications: file.replications,
        version: file.feidi_version.clone(),
        date: results_date(&dir.join(OptimizeFile::NAME)),
    };
    if let Some(text) = manifest
        .scenario_file
        .as_deref()
        .and_then(|f| unchanged(Path::new(f), &manifest.scenario_sha256))
    {
        loaded.names = Names::from_scenario(&text);
    }
    let tracked = file.evaluations.iter().flat_map(|e| &e.metrics);
    let compared = file.against_base.iter().flat_map(|a| &a.differences);
    loaded.names.learn_metrics(
        tracked
            .map(|m| m.metric.as_str())
            .chain(compared.map(|d| d.metric.as_str())),
    );
    let base = loaded
        .names
        .scenario_title()
        .unwrap_or_else(|| names::bilingual(&file.scenario_title));
    loaded.title = Text {
        en: format!("{} — {}", base.en, Word::Optimization.get(Lang::En).to_lowercase()),
        zh: format!("{} — {}", base.zh, Word::Optimization.get(Lang::Zh)),
    };
    loaded.optimize = Some(file);
    Ok(())
}

/// The text of a file if its SHA-256 is `sha256` (the file the results were made from,
/// unchanged since).
fn unchanged(path: &Path, sha256: &str) -> Option<String> {
    let bytes = std::fs::read(path).ok()?;
    (crate::results::sha256_hex(&bytes) == sha256).then(|| String::from_utf8(bytes).ok())?
}

/// The base scenario of a sweep, found through its sweep file (`scenario = "…"`,
/// relative to the sweep file), when both are still where the sweep read them; the
/// names of levers come from it.
fn sweep_scenario(plan: &crate::results::SweepPlan) -> Option<String> {
    let sweep_text = unchanged(&plan.sweep_file, &plan.sweep_sha256)?;
    let doc: toml::Table = sweep_text.parse().ok()?;
    let relative = doc.get("sweep")?.get("scenario")?.as_str()?;
    let path = plan.sweep_file.parent()?.join(relative);
    unchanged(&path, &plan.scenario_sha256)
}

/// The scenario of a calibration: the file it names (relative to the working directory
/// or to the results' parent), or a file of that name beside the results, in their
/// parent or in `scenarios/` of the working directory (results moved to another machine
/// with the scenario), when its SHA-256 is the one recorded.
fn calibration_scenario(dir: &Path, file: &str, sha256: &str) -> Option<String> {
    let path = Path::new(file);
    let file_name = path.file_name()?;
    [
        path.to_path_buf(),
        dir.join("..").join(path),
        dir.join(file_name),
        dir.join("..").join(file_name),
        Path::new("scenarios").join(file_name),
    ]
    .iter()
    .find_map(|candidate| unchanged(candidate, sha256))
}

/// The charts of a loaded directory, planned.
pub fn plan(loaded: &Loaded, lang: Lang) -> Vec<Planned> {
    let mut out = Vec::new();
    let names = &loaded.names;
    if let Some(run) = &loaded.run {
        out.extend(charts::run_charts(run, names, lang));
    }
    if let Some(sweep) = &loaded.sweep {
        out.extend(charts::sweep_charts(sweep, names, lang));
    }
    if let Some(sensitivity) = &loaded.sensitivity {
        for metric in charts::KEY_METRICS {
            out.extend(charts::tornado(sensitivity, metric, names, lang));
        }
    }
    if let Some(compare) = &loaded.compare {
        out.extend(charts::compare_charts(compare, &loaded.alternatives, names, lang));
    }
    if let (Some(cal), Some(posterior)) = (&loaded.calibration, &loaded.posterior) {
        out.extend(charts::posterior_charts(cal, posterior, names, lang));
    }
    if let Some(file) = &loaded.optimize {
        out.extend(optimize::optimize_charts(file, names, lang));
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
            subtitle: loaded.title.get(lang).to_string(),
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
