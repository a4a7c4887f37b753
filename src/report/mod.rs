//! The proposal report: `DIR/report.html`, one self-contained file (charts as inline
//! PNG, styles and the embedded font inline, no script, nothing fetched) with the
//! summary tables, the charts, the scenario's assumptions and a short method note.
//! It reads result files only, through [`crate::plot`]; the Excel workbook
//! ([`crate::workbook`]) is written beside it.

mod html;

use crate::plot::labels::{self, Lang, Word};
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
    let mut h = Html::new(lang, &format!("feidi — {}", loaded.title));
    let kind = match loaded.kind {
        ResultKind::Run => Word::Report,
        ResultKind::Sweep => Word::Sweep,
        ResultKind::Compare => Word::Compare,
        ResultKind::Calibration => Word::Calibration,
    };
    h.raw(&format!(
        "<header><h1>{}</h1><p class=\"kind\">{} · feidi</p><p class=\"provenance\">{}</p></header>\n",
        escape(&loaded.title),
        escape(kind.get(lang)),
        escape(&loaded.provenance.footer(lang))
    ));

    h.section("summary", Word::Summary.get(lang));
    if let Some(run) = &loaded.run {
        summary_table(&mut h, &run.summary, lang);
    }
    if let Some(sweep) = &loaded.sweep {
        points_table(&mut h, sweep, lang);
    }
    if let Some(compare) = &loaded.compare {
        compare_tables(&mut h, compare, lang);
    }
    if let Some(cal) = &loaded.calibration {
        calibration_tables(&mut h, cal, lang);
    }
    if let Some(s) = &loaded.sensitivity {
        sensitivity_table(&mut h, s, lang);
    }
    if let Some(d) = &loaded.discovery {
        discovery_table(&mut h, d, lang);
    }
    h.end_section();

    h.section("charts", Word::Charts.get(lang));
    if charts.is_empty() {
        h.raw(&format!("<p>{}</p>\n", Word::NoData.get(lang)));
    }
    for chart in charts {
        h.figure(&chart.title, &chart.png_bytes, &chart.stem);
    }
    h.end_section();

    h.section("assumptions", Word::Assumptions.get(lang));
    assumptions(&mut h, loaded, lang);
    h.end_section();

    h.section("method", Word::Method.get(lang));
    h.raw(&format!("<p>{}</p>\n", escape(&method_note(loaded, lang))));
    h.end_section();

    h.section("files", Word::Files.get(lang));
    files_list(&mut h, loaded);
    h.end_section();
    h.finish()
}

fn number(v: Option<f64>) -> String {
    v.map_or_else(|| "—".to_string(), format::number)
}

/// A metric's column heading with its unit for people ("Home tax (万元)", "Landing rate
/// (%)"), and the divisor that turns its values into that unit; `largest` picks 亿元 for
/// large sums.
fn scaled_heading(lang: Lang, metric: &str, unit: &str, largest: f64) -> (String, f64) {
    let (scale, words) = format::money_column(unit, lang, largest);
    let name = labels::metric(lang, metric);
    if words.is_empty() {
        (name, scale)
    } else {
        (format!("{name} ({words})"), scale)
    }
}

fn summary_table(h: &mut Html, summary: &SummaryFile, lang: Lang) {
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
    let mut rows = Vec::new();
    for (name, m) in &summary.metrics.0 {
        // Mechanisms the scenario does not use report zero everywhere: left out here.
        let all_zero = [m.mean, m.p5, m.p95].iter().all(|v| v.is_none_or(|x| x == 0.0));
        if all_zero && name != "landing_rate" {
            continue;
        }
        let largest = m.mean.map_or(0.0, f64::abs);
        let (scale, unit) = format::money_column(&m.unit, lang, largest);
        let unit = unit.to_string();
        let s = |v: Option<f64>| number(v.map(|x| x / scale));
        rows.push(vec![
            labels::metric(lang, name),
            s(m.mean),
            format!("{} – {}", s(m.ci_low), s(m.ci_high)),
            s(m.p5),
            s(m.p50),
            s(m.p95),
            unit,
            m.description.clone(),
        ]);
    }
    h.table("summary-table", &header, &rows);
}

fn points_table(h: &mut Html, sweep: &crate::plot::results::SweepResults, lang: Lang) {
    let t = &sweep.points;
    let label = t.column("label");
    let mut header: Vec<String> = vec![Word::Point.get(lang).into()];
    header.extend(sweep.parameters.iter().cloned());
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
            let (heading, scale) = scaled_heading(lang, m, crate::plot::charts::metric_unit(m), largest);
            header.push(heading);
            scale
        })
        .collect();
    let rows: Vec<Vec<String>> = (0..t.rows.len())
        .map(|r| {
            let mut row = vec![label.map_or_else(|| r.to_string(), |c| t.rows[r][c].clone())];
            row.extend(
                sweep
                    .parameters
                    .iter()
                    .map(|p| t.column(p).map_or_else(String::new, |c| t.rows[r][c].clone())),
            );
            for (m, scale) in metrics.iter().zip(&scales) {
                let value = |stat: &str| t.column(&format!("{m}.{stat}")).map(|c| t.number(r, c) / scale);
                row.push(format!(
                    "{} ({} – {})",
                    number(value("mean")),
                    number(value("ci_low")),
                    number(value("ci_high"))
                ));
            }
            row
        })
        .collect();
    let header: Vec<&str> = header.iter().map(String::as_str).collect();
    h.table("points-table", &header, &rows);
}

/// A figure for a table: "—" when undefined.
fn figure(x: f64) -> String {
    number(Some(x))
}

fn compare_tables(h: &mut Html, compare: &CompareFile, lang: Lang) {
    h.raw(&format!(
        "<h3>{} ({})</h3>\n<ol class=\"ranking\">{}</ol>\n",
        Word::Ranking.get(lang),
        escape(&labels::metric(lang, &compare.rank_by)),
        compare
            .ranking
            .iter()
            .map(|n| format!("<li>{}</li>", escape(n)))
            .collect::<String>()
    ));
    let header = [
        Word::Metric.get(lang),
        Word::Alternative.get(lang),
        Word::Difference.get(lang),
        Word::Ci95.get(lang),
        Word::Wins.get(lang),
    ];
    let mut rows = Vec::new();
    for m in &compare.metrics {
        if !crate::plot::charts::KEY_METRICS.contains(&m.metric.as_str()) {
            continue;
        }
        let largest = m
            .differences
            .iter()
            .fold(0.0, |a: f64, d| a.max(d.mean.map_or(0.0, f64::abs)));
        let (heading, scale) = scaled_heading(lang, &m.metric, crate::plot::charts::metric_unit(&m.metric), largest);
        let s = |v: Option<f64>| number(v.map(|x| x / scale));
        for d in &m.differences {
            rows.push(vec![
                heading.clone(),
                format!("{} − {}", d.a, d.b),
                s(d.mean),
                format!("{} – {}", s(d.ci_low), s(d.ci_high)),
                wins(d),
            ]);
        }
    }
    h.table("differences-table", &header, &rows);
}

/// The shares of replications each side of a pair wins, from the counts.
fn wins(d: &Difference) -> String {
    let share = |w: Option<u64>| w.map(|w| w as f64 / d.n as f64);
    match (share(d.wins_a), share(d.wins_b)) {
        (Some(a), Some(b)) => format!("{:.0} % / {:.0} %", a * 100.0, b * 100.0),
        _ => "—".into(),
    }
}

fn calibration_tables(h: &mut Html, cal: &CalibrationFile, lang: Lang) {
    let header = [
        Word::Parameter.get(lang),
        Word::Prior.get(lang),
        "mean",
        "p5",
        "p50",
        "p95",
    ];
    let rows: Vec<Vec<String>> = cal
        .parameters
        .iter()
        .map(|p| {
            vec![
                p.path.clone(),
                format!("{} – {}", figure(p.prior_min), figure(p.prior_max)),
                number(p.mean),
                number(p.p5),
                number(p.p50),
                number(p.p95),
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
                labels::metric(lang, &t.metric),
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

fn sensitivity_table(h: &mut Html, s: &SensitivityFile, lang: Lang) {
    h.raw(&format!(
        "<h3>{} ({})</h3>\n",
        Word::Sensitivity.get(lang),
        escape(s.method.as_str())
    ));
    let keys: &[&str] = match s.method {
        Method::Oat => &["output_at_low", "output_at_high", "baseline_output"],
        Method::Morris => &["mu_star", "mu", "sigma"],
        Method::Sobol => &["first", "first_low", "first_high", "total", "total_low", "total_high"],
    };
    let mut header = vec![Word::Metric.get(lang), Word::Parameter.get(lang)];
    header.extend(keys.iter().copied());
    let mut rows = Vec::new();
    for m in &s.metrics {
        if !crate::plot::charts::KEY_METRICS.contains(&m.metric.as_str()) {
            continue;
        }
        let metric = labels::metric(lang, &m.metric);
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
        for (parameter, figures) in effects {
            let mut row = vec![metric.clone(), parameter.to_string()];
            row.extend(figures.into_iter().map(number));
            rows.push(row);
        }
    }
    h.table("sensitivity-table", &header, &rows);
}

fn discovery_table(h: &mut Html, d: &DiscoveryFile, lang: Lang) {
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
                .map(|l| format!("{} ∈ [{}, {}]", l.parameter, figure(l.min), figure(l.max)))
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
            h.raw(&format!(
                "<p>{}: <code>{}</code></p>\n",
                Word::Sweep.get(lang),
                escape(&sweep.plan.sweep_file.display().to_string())
            ));
            let items: String = sweep
                .parameters
                .iter()
                .map(|p| format!("<li><code>{}</code></li>", escape(p)))
                .collect();
            h.raw(&format!("<ul>{items}</ul>\n"));
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
             扇形图显示中位数及 50%、90% 区间，表示结果的分布范围，而非均值的不确定性。金额单位为{}。\
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
