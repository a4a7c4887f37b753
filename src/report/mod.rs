//! The proposal report: `DIR/report.html`, one self-contained file (charts as inline
//! PNG, styles and the embedded font inline, no script, nothing fetched) with the
//! summary tables, the charts, the scenario's assumptions and a short method note.
//! It reads result files only, through [`crate::plot`]; the Excel workbook
//! ([`crate::workbook`]) is written beside it.

mod html;
mod optimize;
pub mod terminal;

use crate::plot::labels::{self, Lang, Word};
use crate::plot::names::Names;
use crate::plot::{self, ChartFile, Loaded, PlotError, ResultKind};
use crate::results::compare::Difference;
use crate::results::format;
use crate::results::sensitivity::{Effects, Method};
use crate::results::{write_atomic, CalibrationFile, CompareFile, DiscoveryFile, SensitivityFile, SummaryFile};
use html::{escape, Html};
use std::path::{Path, PathBuf};

/// The report's file name inside the results directory (`report.zh.html` in Chinese).
pub fn report_path(dir: &Path, lang: Lang) -> PathBuf {
    match lang {
        Lang::En => dir.join("report.html"),
        Lang::Zh => dir.join("report.zh.html"),
    }
}

/// Writes the charts of `dir`, its Excel workbook ([`crate::workbook`]) and then its
/// report; returns the report's path.
pub fn report(dir: &Path, lang: Lang) -> Result<PathBuf, PlotError> {
    let loaded = plot::load(dir)?;
    let charts = plot::write_charts(&loaded, dir, lang)?;
    crate::workbook::write(&loaded, dir, lang)?;
    let text = render(&loaded, &charts, lang);
    let path = report_path(dir, lang);
    write_atomic(&path, text.as_bytes()).map_err(|source| PlotError::Write {
        path: path.clone(),
        source,
    })?;
    Ok(path)
}

/// The report's HTML.
pub fn render(loaded: &Loaded, charts: &[ChartFile], lang: Lang) -> String {
    let title = loaded.title.get(lang);
    let mut h = Html::new(lang, &format!("feidi — {title}"));
    h.raw(&format!(
        "<header><h1>{}</h1><p class=\"kind\">{} · feidi</p><p class=\"provenance\">{}</p></header>\n",
        escape(title),
        escape(kind_word(loaded.kind).get(lang)),
        escape(&loaded.provenance.footer(lang))
    ));
    body(&mut h, loaded, charts, lang);
    h.finish()
}

/// What kind of results a report or a part of one shows.
fn kind_word(kind: ResultKind) -> Word {
    match kind {
        ResultKind::Run => Word::RunKind,
        ResultKind::Sweep => Word::Sweep,
        ResultKind::Compare => Word::Compare,
        ResultKind::Calibration => Word::Calibration,
        ResultKind::Optimization => Word::Optimization,
    }
}

/// The sections of one results directory's report, in order, with their ids.
const SECTIONS: [(&str, Word); 5] = [
    ("summary", Word::Summary),
    ("charts", Word::Charts),
    ("assumptions", Word::Assumptions),
    ("method", Word::Method),
    ("files", Word::Files),
];

/// The sections of one results directory: summary tables, charts, assumptions, method
/// and files (see [`SECTIONS`]).
fn body(h: &mut Html, loaded: &Loaded, charts: &[ChartFile], lang: Lang) {
    let names = &loaded.names;
    let [summary, charts_section, assumptions_section, method, files] = SECTIONS.map(|(id, word)| (id, word.get(lang)));
    h.section(summary.0, summary.1);
    if let Some(run) = &loaded.run {
        summary_table(h, &run.summary, names, lang);
    }
    if let Some(sweep) = &loaded.sweep {
        points_table(h, sweep, names, lang);
    }
    if let Some(compare) = &loaded.compare {
        compare_tables(h, compare, names, lang);
    }
    if let Some(cal) = &loaded.calibration {
        calibration_tables(h, cal, names, lang);
    }
    if let Some(s) = &loaded.sensitivity {
        sensitivity_table(h, s, names, lang);
    }
    if let Some(d) = &loaded.discovery {
        discovery_table(h, d, names, lang);
    }
    if let Some(file) = &loaded.optimize {
        optimize::optimize_tables(h, file, names, lang);
    }
    h.end_section();

    h.section(charts_section.0, charts_section.1);
    if charts.is_empty() {
        h.raw(&format!("<p>{}</p>\n", Word::NoData.get(lang)));
    }
    for chart in charts {
        h.figure(&chart.title, &chart.png_bytes, &chart.stem);
    }
    h.end_section();

    h.section(assumptions_section.0, assumptions_section.1);
    assumptions(h, loaded, lang);
    h.end_section();

    h.section(method.0, method.1);
    h.raw(&format!("<p>{}</p>\n", escape(&method_note(loaded, lang))));
    if let Some(file) = &loaded.optimize {
        optimize::method_note(h, file, lang);
    }
    h.end_section();

    h.section(files.0, files.1);
    files_list(h, loaded);
    h.end_section();
}

/// The combined report's file: `FILE.html` when `out` names one, else
/// `combined-report.html` (`combined-report.zh.html` in Chinese) in the directory `out`.
pub fn combined_path(out: &Path, lang: Lang) -> PathBuf {
    if out.extension().is_some_and(|e| e.eq_ignore_ascii_case("html")) {
        return out.to_path_buf();
    }
    match lang {
        Lang::En => out.join("combined-report.html"),
        Lang::Zh => out.join("combined-report.zh.html"),
    }
}

/// One report of several results directories (runs, sweeps, comparisons, calibrations):
/// a table of contents, then one part per directory, in the order given, titled by its
/// scenario's title and holding that directory's own sections and charts. Each
/// directory's charts and workbook are written into it as `feidi report DIR` does; the
/// report is written to [`combined_path`]`(out, lang)`, whose path is returned.
pub fn combined(dirs: &[PathBuf], out: &Path, lang: Lang) -> Result<PathBuf, PlotError> {
    let mut parts = Vec::with_capacity(dirs.len());
    for dir in dirs {
        let loaded = plot::load(dir)?;
        let charts = plot::write_charts(&loaded, dir, lang)?;
        crate::workbook::write(&loaded, dir, lang)?;
        parts.push((loaded, charts));
    }
    let text = render_combined(&parts, lang);
    let path = combined_path(out, lang);
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent).map_err(|source| PlotError::Write {
            path: parent.to_path_buf(),
            source,
        })?;
    }
    write_atomic(&path, text.as_bytes()).map_err(|source| PlotError::Write {
        path: path.clone(),
        source,
    })?;
    Ok(path)
}

/// The combined report's HTML: parts `part1`, `part2`, … with their sections
/// (`part1-summary`, `part1-charts`, …) and a table of contents linking to each.
pub fn render_combined(parts: &[(Loaded, Vec<ChartFile>)], lang: Lang) -> String {
    let heading = Word::CombinedReport.get(lang);
    let titles: Vec<&str> = parts.iter().map(|(l, _)| l.title.get(lang)).collect();
    let mut h = Html::new(lang, &format!("feidi — {heading}"));
    h.raw(&format!(
        "<header><h1>{}</h1><p class=\"kind\">{} · feidi</p></header>\n",
        escape(heading),
        escape(&titles.join(lang.pick("; ", "；")))
    ));
    let mut contents = format!(
        "<nav class=\"contents\" id=\"contents\"><h2>{}</h2>\n<ol>\n",
        escape(Word::Contents.get(lang))
    );
    for (i, (loaded, _)) in parts.iter().enumerate() {
        let part = format!("part{}", i + 1);
        let kind = kind_word(loaded.kind).get(lang);
        contents.push_str(&format!(
            "<li><a href=\"#{part}\">{}</a>{}<ol>",
            escape(loaded.title.get(lang)),
            escape(&match lang {
                Lang::En => format!(" ({kind})"),
                Lang::Zh => format!("（{kind}）"),
            })
        ));
        for (id, word) in SECTIONS {
            contents.push_str(&format!(
                "<li><a href=\"#{part}-{id}\">{}</a></li>",
                escape(word.get(lang))
            ));
        }
        contents.push_str("</ol></li>\n");
    }
    contents.push_str("</ol>\n</nav>\n");
    h.raw(&contents);
    for (i, (loaded, charts)) in parts.iter().enumerate() {
        let part = format!("part{}", i + 1);
        h.raw(&format!(
            "<section class=\"part\" id=\"{part}\">\n<h2>{}. {}</h2>\n<p class=\"kind\">{}</p>\n<p class=\"provenance\">{}</p>\n",
            i + 1,
            escape(loaded.title.get(lang)),
            escape(kind_word(loaded.kind).get(lang)),
            escape(&loaded.provenance.footer(lang))
        ));
        h.enter_part(&format!("{part}-"));
        body(&mut h, loaded, charts, lang);
        h.end_section();
    }
    h.finish()
}

fn number(v: Option<f64>) -> String {
    v.map_or_else(|| "—".to_string(), format::number)
}

/// A metric's column heading with its unit for people ("Home tax (万元)", "Landing rate
/// (%)"), and the divisor that turns its values into that unit; `largest` picks 亿元 for
/// large sums.
fn scaled_heading(names: &Names, lang: Lang, metric: &str, unit: &str, largest: f64) -> (String, f64) {
    let (scale, words) = format::money_column(unit, lang, largest);
    let name = names.metric(lang, metric);
    if words.is_empty() {
        (name, scale)
    } else {
        (format!("{name} ({words})"), scale)
    }
}

fn summary_table(h: &mut Html, summary: &SummaryFile, names: &Names, lang: Lang) {
    let header = [
        Word::Metric.get(lang),
        Word::MeanCol.get(lang),
        Word::CiCol.get(lang),
        "p5",
        "p50",
        "p95",
        Word::Unit.get(lang),
        Word::Description.get(lang),
    ];
    let rows: Vec<Vec<String>> = summary_rows(summary, names, lang)
        .into_iter()
        .map(|r| {
            let mut description = r.description;
            if let Some(note) = r.note {
                description = match lang {
                    Lang::En => format!("{description}; {note}"),
                    Lang::Zh => format!("{description}；{note}"),
                };
            }
            let mut cells = r.cells.to_vec();
            cells.push(description);
            cells
        })
        .collect();
    h.table("summary-table", &header, &rows);
}

/// One metric of a run's summary, formatted for people: the report's table and the
/// terminal's ([`terminal::run_summary`]) are made from the same rows.
pub(crate) struct SummaryRow {
    /// Display name, mean, interval, p5, p50, p95 and the unit's words.
    pub cells: [String; 7],
    /// The metric's meaning in the reader's language.
    pub description: String,
    /// What a reader must know to read the figures: over how many replications a
    /// metric that is not always defined (the payback month) was averaged.
    pub note: Option<String>,
}

/// The rows of a run's summary: every metric a mechanism of the scenario reports
/// (mechanisms it does not use report zero everywhere and are left out), in file order.
pub(crate) fn summary_rows(summary: &SummaryFile, names: &Names, lang: Lang) -> Vec<SummaryRow> {
    let mut rows = Vec::new();
    for (name, m) in &summary.metrics.0 {
        let all_zero = [m.mean, m.p5, m.p95].iter().all(|v| v.is_none_or(|x| x == 0.0));
        // A metric undefined in some replications (no payback by the horizon) stays, with
        // its note.
        if all_zero && m.undefined == 0 && name != "landing_rate" {
            continue;
        }
        let largest = m.mean.map_or(0.0, f64::abs);
        let (scale, unit) = format::money_column(&m.unit, lang, largest);
        let s = |v: Option<f64>| number(v.map(|x| x / scale));
        rows.push(SummaryRow {
            cells: [
                names.metric(lang, name),
                s(m.mean),
                match (m.ci_low, m.ci_high) {
                    (None, None) => number(None),
                    (low, high) => format!("{} – {}", s(low), s(high)),
                },
                s(m.p5),
                s(m.p50),
                s(m.p95),
                unit.to_string(),
            ],
            description: names.description(lang, name, &m.description),
            note: censored_note(summary, name, m, lang),
        });
    }
    rows
}

/// The note of a metric that some replications leave undefined (censored at the
/// horizon): its figures are over the replications where it is defined only.
fn censored_note(
    summary: &SummaryFile,
    name: &str,
    m: &crate::results::summary::MetricSummary,
    lang: Lang,
) -> Option<String> {
    if m.undefined == 0 {
        return None;
    }
    let total = m.n + m.undefined;
    let share = format::quantity(m.n as f64 / total.max(1) as f64, "share", lang);
    let horizon = summary.horizon_months.map(|h| format::quantity(h, "months", lang));
    Some(match (name, lang, horizon) {
        ("payback_month", Lang::En, Some(h)) if m.n == 0 => {
            format!("none of {total} replications paid back within the horizon of {h}")
        }
        ("payback_month", Lang::Zh, Some(h)) if m.n == 0 => {
            format!("{total} 次模拟均未在 {h}的模拟时长内收回投入")
        }
        ("payback_month", Lang::En, Some(h)) => format!(
            "only {} of {total} replications ({share}) paid back within the horizon of {h}; the figures are over those",
            m.n
        ),
        ("payback_month", Lang::Zh, Some(h)) => format!(
            "{total} 次模拟中仅 {} 次（{share}）在 {h}的模拟时长内收回投入，数值只统计这些模拟",
            m.n
        ),
        (_, Lang::En, _) => format!(
            "defined in {} of {total} replications ({share}); the figures are over those",
            m.n
        ),
        (_, Lang::Zh, _) => format!("{total} 次模拟中 {} 次（{share}）有此值，数值只统计这些模拟", m.n),
    })
}

/// How many design points a report lists before it lists only the best.
const MAX_POINTS_LISTED: usize = 30;

/// A lever's value for people: money in 万元 or million yuan ("100 万元"), a duration
/// with its unit ("12 个月"), other values as numbers or as written.
fn lever_value(path: &str, value: &str, lang: Lang) -> String {
    let value = value.trim();
    let number = value.replace('_', "").parse::<f64>();
    match number {
        Ok(x) if path.ends_with("_yuan") => format::quantity(x, "yuan", lang),
        // Whole numbers (seats, projects) as they are, without decimals.
        Ok(x) if x.fract() == 0.0 && x.abs() < 1e15 => format::number(x).split('.').next().unwrap_or("").to_string(),
        Ok(x) => format::number(x),
        Err(_) => match value.split_once(' ') {
            Some((n, "months" | "month")) if n.parse::<f64>().is_ok() => {
                format::quantity(n.parse().unwrap_or(f64::NAN), "months", lang)
            }
            _ => value.to_string(),
        },
    }
}

fn points_table(h: &mut Html, sweep: &crate::plot::results::SweepResults, names: &Names, lang: Lang) {
    let t = &sweep.points;
    let label = t.column("label");
    let mut header: Vec<String> = vec![Word::Point.get(lang).into()];
    header.extend(sweep.parameters.iter().map(|p| names.lever(lang, p)));
    let metrics: Vec<&str> = crate::plot::charts::KEY_METRICS
        .iter()
        .copied()
        .filter(|m| t.column(&format!("{m}.mean")).is_some())
        .collect();
    let scales: Vec<f64> = metrics
        .iter()
        .map(|m| {
            let largest = t
                .column(&format!("{m}.mean"))
                .map_or(0.0, |c| t.numbers(c).iter().fold(0.0, |a: f64, x| a.max(x.abs())));
            let (heading, scale) = scaled_heading(names, lang, m, crate::plot::charts::metric_unit(m), largest);
            header.push(heading);
            scale
        })
        .collect();
    // A paired sweep's marginal cost against its baseline point, in its own money scale.
    let marginal = t.column("marginal_cost_per_real_landing_yuan").map(|c| {
        let largest = t
            .numbers(c)
            .iter()
            .filter(|x| x.is_finite())
            .fold(0.0, |a: f64, x| a.max(x.abs()));
        let (scale, unit) = crate::results::format::money_column("yuan", lang, largest);
        header.push(format!("{} ({unit})", Word::MarginalColumn.get(lang)));
        h.raw(&format!("<p>{}</p>\n", escape(Word::MarginalBaseline.get(lang))));
        (c, scale)
    });
    // A large design (a Latin hypercube, a Sobol sample) lists its best points by the
    // first key metric, best first; a small one every point in design order.
    let mut order: Vec<usize> = (0..t.rows.len()).collect();
    let listed_all = t.rows.len() <= MAX_POINTS_LISTED;
    if !listed_all {
        if let Some(first) = metrics.first() {
            let lower_is_better = crate::plot::charts::lower_is_better(first);
            if let Some(means) = sweep.means(first) {
                order.sort_by(|&a, &b| {
                    let by = means[b].total_cmp(&means[a]);
                    if lower_is_better {
                        by.reverse()
                    } else {
                        by
                    }
                });
                order.retain(|&r| means[r].is_finite());
            }
            h.raw(&format!(
                "<p>{}</p>\n",
                escape(&match lang {
                    Lang::En => format!(
                        "The {MAX_POINTS_LISTED} best of {} design points by {}; every point is in points.csv and the workbook.",
                        t.rows.len(),
                        names.metric(lang, first)
                    ),
                    Lang::Zh => format!(
                        "共 {} 个设计点，按{}列出最好的 {MAX_POINTS_LISTED} 个；全部设计点见 points.csv 和 Excel 工作簿。",
                        t.rows.len(),
                        names.metric(lang, first)
                    ),
                })
            ));
        }
        order.truncate(MAX_POINTS_LISTED);
    }
    let rows: Vec<Vec<String>> = order
        .into_iter()
        .map(|r| {
            let own = label.map_or_else(|| r.to_string(), |c| t.rows[r][c].clone());
            let mut row = vec![names.point_label(lang, &own)];
            row.extend(sweep.parameters.iter().map(|p| {
                t.parameter_column(p)
                    .map_or_else(String::new, |c| lever_value(p, &with_unit(t, r, c), lang))
            }));
            for (m, scale) in metrics.iter().zip(&scales) {
                let value = |stat: &str| t.column(&format!("{m}.{stat}")).map(|c| t.number(r, c) / scale);
                row.push(format!(
                    "{} ({} – {})",
                    number(value("mean")),
                    number(value("ci_low")),
                    number(value("ci_high"))
                ));
            }
            if let Some((c, scale)) = marginal {
                row.push(marginal_cell(t, r, c, scale, lang));
            }
            row
        })
        .collect();
    let header: Vec<&str> = header.iter().map(String::as_str).collect();
    h.table("points-table", &header, &rows);
}

/// A point's marginal cost against the baseline for the points table: the figure and
/// its interval, or what the paired differences say instead.
fn marginal_cell(t: &crate::results::points::PointsTable, r: usize, c: usize, scale: f64, lang: Lang) -> String {
    let reading = t.column("marginal_reading").map_or("", |k| t.rows[r][k].as_str());
    // The baseline itself (or a point identical to it) differs from it by exactly zero.
    let zero = |name: &str| t.column(name).is_some_and(|k| t.number(r, k) == 0.0);
    if zero("landed_home_real.diff_ci_low") && zero("landed_home_real.diff_ci_high") {
        return Word::Baseline.get(lang).into();
    }
    let value = |k: Option<usize>| k.and_then(|k| Some(t.number(r, k) / scale).filter(|x| x.is_finite()));
    match reading {
        "cost_per_extra_landing" => format!(
            "{} ({} – {})",
            number(value(Some(c))),
            number(value(t.column("marginal_cost_ci_low"))),
            number(value(t.column("marginal_cost_ci_high")))
        ),
        "saving_per_landing_given_up" => match lang {
            Lang::En => format!("saves {} per landing given up", number(value(Some(c)))),
            Lang::Zh => format!("每少一个落地节省 {}", number(value(Some(c)))),
        },
        "a_dominates" => lang.pick("more landings for less outlay", "落地更多且支出更少").into(),
        "b_dominates" => lang.pick("fewer landings for more outlay", "落地更少且支出更多").into(),
        "outlay_does_not_differ" => lang.pick("outlay not measurably different", "支出无可测差别").into(),
        "landings_do_not_differ" => lang
            .pick("landings not measurably different", "落地数无可测差别")
            .into(),
        _ => "—".into(),
    }
}

/// A figure for a table: "—" when undefined.
fn figure(x: f64) -> String {
    number(Some(x))
}

fn compare_tables(h: &mut Html, compare: &CompareFile, names: &Names, lang: Lang) {
    h.raw(&format!(
        "<h3>{} ({})</h3>\n<ol class=\"ranking\">{}</ol>\n",
        Word::Ranking.get(lang),
        escape(&names.metric(lang, &compare.rank_by)),
        compare
            .ranking
            .iter()
            .map(|n| format!("<li>{}</li>", escape(&names.alternative(lang, n))))
            .collect::<String>()
    ));
    let key =
        |m: &crate::results::compare::CompareMetric| crate::plot::charts::KEY_METRICS.contains(&m.metric.as_str());
    // Each alternative's own results: one column per alternative, mean and interval.
    let mut header: Vec<String> = vec![Word::Metric.get(lang).into()];
    header.extend(compare.alternatives.iter().map(|a| names.alternative(lang, &a.name)));
    let mut rows = Vec::new();
    for m in compare.metrics.iter().filter(|m| key(m)) {
        let largest = m
            .alternatives
            .iter()
            .fold(0.0, |a: f64, x| a.max(x.mean.map_or(0.0, f64::abs)));
        let (heading, scale) = scaled_heading(names, lang, &m.metric, &m.unit, largest);
        let s = |v: Option<f64>| number(v.map(|x| x / scale));
        let mut row = vec![heading];
        for a in &compare.alternatives {
            let own = m.alternatives.iter().find(|x| x.name == a.name);
            row.push(own.map_or_else(
                || "—".to_string(),
                |x| format!("{} ({} – {})", s(x.mean), s(x.ci_low), s(x.ci_high)),
            ));
        }
        rows.push(row);
    }
    h.raw(&format!("<h3>{}</h3>\n", escape(Word::OwnResults.get(lang))));
    let header: Vec<&str> = header.iter().map(String::as_str).collect();
    h.table("alternatives-table", &header, &rows);

    let header = [
        Word::Metric.get(lang),
        Word::Alternative.get(lang),
        Word::Difference.get(lang),
        Word::Ci95.get(lang),
        Word::Wins.get(lang),
    ];
    let mut rows = Vec::new();
    for m in compare.metrics.iter().filter(|m| key(m)) {
        let largest = m
            .differences
            .iter()
            .fold(0.0, |a: f64, d| a.max(d.mean.map_or(0.0, f64::abs)));
        let (heading, scale) = scaled_heading(names, lang, &m.metric, &m.unit, largest);
        let s = |v: Option<f64>| number(v.map(|x| x / scale));
        for d in &m.differences {
            rows.push(vec![
                heading.clone(),
                names.pair(lang, &d.a, &d.b),
                s(d.mean),
                format!("{} – {}", s(d.ci_low), s(d.ci_high)),
                wins(d),
            ]);
        }
    }
    h.raw(&format!("<h3>{}</h3>\n", escape(Word::DifferencesTitle.get(lang))));
    h.table("differences-table", &header, &rows);
    if !compare.marginal_costs.is_empty() {
        h.raw(&format!(
            "<h3>{}</h3>\n<ul class=\"marginal\">",
            escape(Word::MarginalTitle.get(lang))
        ));
        for m in &compare.marginal_costs {
            let sentence = m.sentence(&names.alternative(lang, &m.a), &names.alternative(lang, &m.b), lang);
            h.raw(&format!("<li>{}</li>", escape(&sentence)));
        }
        h.raw("</ul>\n");
    }
}

/// The shares of replications each side of a pair wins, from the counts.
fn wins(d: &Difference) -> String {
    let share = |w: Option<u64>| w.map(|w| w as f64 / d.n as f64);
    match (share(d.wins_a), share(d.wins_b)) {
        (Some(a), Some(b)) => format!("{:.0} % / {:.0} %", a * 100.0, b * 100.0),
        _ => "—".into(),
    }
}

fn calibration_tables(h: &mut Html, cal: &CalibrationFile, names: &Names, lang: Lang) {
    let header = [
        Word::Parameter.get(lang),
        Word::Prior.get(lang),
        Word::MeanCol.get(lang),
        "p5",
        "p50",
        "p95",
    ];
    let rows: Vec<Vec<String>> = cal
        .parameters
        .iter()
        .map(|p| {
            // A lever's values as a planner reads them: money in 万元 or million yuan, a
            // duration with its unit.
            let value = |x: Option<f64>| match (x, &p.unit) {
                (None, _) => number(None),
                (Some(x), _) if p.path.ends_with("_yuan") => format::quantity(x, "yuan", lang),
                (Some(x), Some(unit)) => lever_value(&p.path, &format!("{x} {unit}"), lang),
                (Some(x), None) => figure(x),
            };
            vec![
                names.lever(lang, &p.path),
                format!("{} – {}", value(Some(p.prior_min)), value(Some(p.prior_max))),
                value(p.mean),
                value(p.p5),
                value(p.p50),
                value(p.p95),
            ]
        })
        .collect();
    h.table("posterior-table", &header, &rows);
    let header = [
        Word::Metric.get(lang),
        Word::Target.get(lang),
        Word::Tolerance.get(lang),
        Word::Posterior.get(lang),
    ];
    let rows: Vec<Vec<String>> = cal
        .targets
        .iter()
        .map(|t| {
            vec![
                names.metric(lang, &t.metric),
                figure(t.value),
                figure(t.tolerance),
                format!(
                    "{} ({} – {})",
                    number(t.posterior_mean),
                    number(t.posterior_p5),
                    number(t.posterior_p95)
                ),
            ]
        })
        .collect();
    h.table("targets-table", &header, &rows);
}

fn sensitivity_table(h: &mut Html, s: &SensitivityFile, names: &Names, lang: Lang) {
    let (method, keys): (Word, [Word; 3]) = match s.method {
        Method::Oat => (Word::MethodOat, [Word::AtLow, Word::AtHigh, Word::AtBase]),
        Method::Morris => (Word::MethodMorris, [Word::MuStar, Word::Mu, Word::Sigma]),
        Method::Sobol => (Word::MethodSobol, [Word::FirstOrder, Word::TotalOrder, Word::Ci95]),
    };
    h.raw(&format!(
        "<h3>{}</h3>\n",
        escape(&labels::titled(lang, Word::Sensitivity.get(lang), method.get(lang)))
    ));
    let mut header = vec![Word::Metric.get(lang), Word::Parameter.get(lang)];
    match s.method {
        // Sobol indices are shares of variance: each with its interval.
        Method::Sobol => header.extend([Word::FirstOrder.get(lang), Word::TotalOrder.get(lang)]),
        _ => header.extend(keys.iter().map(|k| k.get(lang))),
    }
    let mut rows = Vec::new();
    for m in &s.metrics {
        if !crate::plot::charts::KEY_METRICS.contains(&m.metric.as_str()) {
            continue;
        }
        let effects: Vec<(&str, Vec<Option<f64>>)> = match &m.effects {
            Effects::Oat(es) => es
                .iter()
                .map(|e| {
                    (
                        e.parameter.as_str(),
                        vec![e.output_at_low, e.output_at_high, e.baseline_output],
                    )
                })
                .collect(),
            Effects::Morris(es) => es
                .iter()
                .map(|e| (e.parameter.as_str(), vec![e.mu_star, e.mu, e.sigma]))
                .collect(),
            Effects::Sobol(es) => es
                .iter()
                .map(|e| {
                    let figures = vec![e.first, e.first_low, e.first_high, e.total, e.total_low, e.total_high];
                    (e.parameter.as_str(), figures)
                })
                .collect(),
        };
        // Effects are in the metric's unit (money in 万元 or million yuan, shares in
        // percent); Sobol indices are plain shares of variance.
        let largest = effects
            .iter()
            .flat_map(|(_, f)| f.iter().flatten())
            .fold(0.0, |a: f64, x| a.max(x.abs()));
        let (metric, scale) = match s.method {
            Method::Sobol => (names.metric(lang, &m.metric), 1.0),
            _ => scaled_heading(names, lang, &m.metric, &m.unit, largest),
        };
        let v = |x: Option<f64>| number(x.map(|x| x / scale));
        for (parameter, figures) in effects {
            let mut row = vec![metric.clone(), names.lever(lang, parameter)];
            match s.method {
                Method::Sobol => {
                    for i in [0, 3] {
                        row.push(format!(
                            "{} ({} – {})",
                            v(figures[i]),
                            v(figures[i + 1]),
                            v(figures[i + 2])
                        ));
                    }
                }
                _ => row.extend(figures.into_iter().map(v)),
            }
            rows.push(row);
        }
    }
    h.table("sensitivity-table", &header, &rows);
}

fn discovery_table(h: &mut Html, d: &DiscoveryFile, names: &Names, lang: Lang) {
    h.raw(&format!(
        "<h3>{}: {}</h3>\n",
        Word::Discovery.get(lang),
        escape(&d.conditions.join(", "))
    ));
    let header = [
        Word::Box.get(lang),
        Word::Parameter.get(lang),
        Word::Coverage.get(lang),
        Word::Density.get(lang),
    ];
    let rows: Vec<Vec<String>> = d
        .boxes
        .iter()
        .enumerate()
        .map(|(i, b)| {
            let limits: Vec<String> = b
                .limits
                .iter()
                .map(|l| {
                    format!(
                        "{} ∈ [{}, {}]",
                        names.lever(lang, &l.parameter),
                        figure(l.min),
                        figure(l.max)
                    )
                })
                .collect();
            vec![
                (i + 1).to_string(),
                limits.join("; "),
                figure(b.coverage),
                figure(b.density),
            ]
        })
        .collect();
    h.table("discovery-table", &header, &rows);
}

fn assumptions(h: &mut Html, loaded: &Loaded, lang: Lang) {
    let Some(text) = loaded.run.as_ref().and_then(|r| r.scenario_text.as_ref()) else {
        if let Some(sweep) = &loaded.sweep {
            let names = &loaded.names;
            // The levers and the values the design gave each, then the sweep file.
            let t = &sweep.points;
            let items: String = sweep
                .parameters
                .iter()
                .map(|p| {
                    let values = t.parameter_column(p).map(|c| {
                        let mut seen: Vec<String> = Vec::new();
                        for r in 0..t.rows.len() {
                            let value = with_unit(t, r, c);
                            if !seen.contains(&value) {
                                seen.push(value);
                            }
                        }
                        let numeric: Vec<f64> = seen.iter().filter_map(|v| number_of(v)).collect();
                        if seen.len() > 6 && numeric.len() == seen.len() {
                            let (lo, hi) = numeric
                                .iter()
                                .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), &x| (a.min(x), b.max(x)));
                            let shown = |x: f64| {
                                lever_value(
                                    p,
                                    &unit_of(&seen[0]).map_or(x.to_string(), |u| format!("{x} {u}")),
                                    lang,
                                )
                            };
                            format!("{} – {}", shown(lo), shown(hi))
                        } else {
                            seen.iter()
                                .map(|v| lever_value(p, v, lang))
                                .collect::<Vec<_>>()
                                .join(", ")
                        }
                    });
                    format!(
                        "<li>{}: {}</li>",
                        escape(&names.lever(lang, p)),
                        escape(&values.unwrap_or_default())
                    )
                })
                .collect();
            h.raw(&format!(
                "<p>{}:</p>\n<ul class=\"levers\">{items}</ul>\n",
                escape(Word::LeversSwept.get(lang))
            ));
            h.raw(&format!(
                "<p class=\"provenance\">{}: <code>{}</code></p>\n",
                Word::Sweep.get(lang),
                escape(&sweep.plan.sweep_file.display().to_string())
            ));
        }
        return;
    };
    let marked: Vec<&str> = text.lines().filter(|l| l.contains("[assumption]")).collect();
    if !marked.is_empty() {
        h.raw(&format!(
            "<p>{}:</p>\n<ul class=\"assumptions\">",
            escape(Word::AssumptionLines.get(lang))
        ));
        for line in marked {
            h.raw(&format!("<li><code>{}</code></li>", escape(line.trim())));
        }
        h.raw("</ul>\n");
    }
    h.raw(&format!(
        "<details><summary>{}</summary><pre class=\"scenario\">{}</pre></details>\n",
        Word::ScenarioText.get(lang),
        escape(text)
    ));
}

/// Row `row`'s value of parameter column `column` with the unit its header gives
/// ("22.25" under `stage[2].duration (months)` → "22.25 months"), as a lever's value is
/// written in a sweep file.
fn with_unit(t: &crate::results::points::PointsTable, row: usize, column: usize) -> String {
    let value = t.rows[row][column].trim();
    match crate::results::points::split_parameter_header(&t.header[column]).1 {
        Some(unit) if !value.is_empty() => format!("{value} {unit}"),
        _ => value.to_string(),
    }
}

/// The number a lever's value holds ("12 months" → 12).
fn number_of(value: &str) -> Option<f64> {
    value.split_whitespace().next()?.replace('_', "").parse().ok()
}

/// The unit written after a lever's value ("12 months" → "months").
fn unit_of(value: &str) -> Option<&str> {
    value.split_once(' ').map(|(_, u)| u.trim())
}

fn method_note(loaded: &Loaded, lang: Lang) -> String {
    let p = &loaded.provenance;
    match lang {
        Lang::En => format!(
            "{} replications with master seed {}. Each replication draws from its own random \
             streams, keyed by the seed, the design point and the replication, so the same inputs and \
             seed give byte-identical results on any number of threads. Intervals in tables are 95 % \
             confidence intervals of the mean over replications (Student t). Fan charts show the median \
             and the 50 % and 90 % bands of replications: the spread of outcomes a planner should expect, \
             not the uncertainty of the mean. Money is in {}. Charts and this report were drawn from the \
             result files in this directory only.",
            p.replications,
            p.seed,
            labels::money_scale(lang).1
        ),
        Lang::Zh => format!(
            "共 {} 次蒙特卡洛模拟，主随机种子 {}。每次模拟使用由种子、设计点和模拟序号确定的独立随机数流，\
             因此相同输入和种子在任意线程数下结果逐字节一致。表中区间为各次模拟均值的 95% 置信区间（t 分布）。\
             区间带图显示中位数及 50%、90% 区间，表示结果的分布范围，而非均值的不确定性。金额单位为{}（大额为亿元）。\
             图表和本报告仅依据本目录中的结果文件生成。",
            p.replications,
            p.seed,
            labels::money_scale(lang).1
        ),
    }
}

fn files_list(h: &mut Html, loaded: &Loaded) {
    let names = [
        "summary.json",
        "series.csv",
        "scenario.toml",
        "manifest.json",
        "points.csv",
        "sweep-plan.json",
        "compare.json",
        "compare.csv",
        "sensitivity.json",
        "discovery.json",
        "calibration.json",
        "posterior.csv",
        "optimize.json",
        "evaluations.csv",
        "results.xlsx",
        "results.zh.xlsx",
    ];
    let items: String = names
        .iter()
        .filter(|n| loaded.dir.join(n).is_file())
        .map(|n| format!("<li><code>{n}</code></li>"))
        .collect();
    h.raw(&format!("<ul>{items}<li><code>charts/</code> (PNG, SVG)</li></ul>\n"));
}
