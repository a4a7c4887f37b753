//! The charts of each kind of results directory, planned from result files alone: what
//! to draw, with which words, as a [`Planned`] chart that any image format can render.

use super::draw::{self, Bar, Chart, DrawResult, Fan, HBar, Panel};
use super::labels::{self, Lang, Word};
use super::names::Names;
use super::results::{RunResults, Series, SeriesRow, SweepResults, Table};
use crate::results::points::PointsTable;
use crate::results::sensitivity::{Effects, Method};
use crate::results::{CalibrationFile, CompareFile, SensitivityFile, SummaryFile};
use plotters::coord::Shift;
use plotters::prelude::*;

/// The body of a chart.
pub enum Body {
    /// Fan chart over months, with a note saying what the bands are.
    Fans {
        /// The fans.
        fans: Vec<Fan>,
        /// x axis label.
        x_label: String,
        /// y axis label (drawn at the top-left).
        y_label: String,
        /// What line and bands mean.
        note: String,
    },
    /// Vertical bars with whiskers.
    Bars {
        /// The bars.
        bars: Vec<Bar>,
        /// y axis label.
        y_label: String,
    },
    /// Horizontal bars.
    HBars {
        /// The bars, top first.
        bars: Vec<HBar>,
        /// x axis label.
        x_label: String,
        /// Reference line.
        centre: Option<f64>,
    },
    /// A histogram: `(start, end, height)` bins.
    Histogram {
        /// The bins.
        bins: Vec<(f64, f64, f64)>,
        /// x axis label.
        x_label: String,
        /// y axis label.
        y_label: String,
    },
    /// One scatter panel per lever against a result, with smoothers.
    Scatter {
        /// The panels.
        panels: Vec<Panel>,
        /// The result and its unit (the shared y axis).
        y_label: String,
    },
    /// A heatmap.
    Heatmap {
        /// Column labels (x).
        columns: Vec<String>,
        /// Row labels (y, bottom first).
        rows: Vec<String>,
        /// `values[row][column]`.
        values: Vec<Vec<f64>>,
        /// x axis label.
        x_label: String,
        /// y axis label.
        y_label: String,
    },
    /// Points against two quantities, with intervals, lines and bounds (an
    /// optimization's charts).
    Xy(super::optimize::Xy),
}

/// A chart ready to render: file stem, title and body.
pub struct Planned {
    /// File name without extension.
    pub stem: String,
    /// Title.
    pub title: String,
    /// Body.
    pub body: Body,
}

impl Chart for Planned {
    fn stem(&self) -> String {
        self.stem.clone()
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>, area: &DrawingArea<DB, Shift>) -> DrawResult
    where
        DB::ErrorType: 'static,
    {
        match &self.body {
            Body::Fans {
                fans,
                x_label,
                y_label,
                note,
            } => draw::fan_chart(area, fans, x_label, y_label, note),
            Body::Bars { bars, y_label } => draw::bar_chart(root, area, bars, y_label),
            Body::HBars { bars, x_label, centre } => draw::hbar_chart(root, area, bars, x_label, *centre),
            Body::Histogram { bins, x_label, y_label } => histogram(area, bins, x_label, y_label),
            Body::Scatter { panels, y_label } => draw::scatter_panels(area, panels, y_label),
            Body::Heatmap {
                columns,
                rows,
                values,
                x_label,
                y_label,
            } => draw::heatmap(root, area, columns, rows, values, x_label, y_label),
            Body::Xy(xy) => super::optimize::draw_xy(root, area, xy),
        }
    }
}

fn histogram<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    bins: &[(f64, f64, f64)],
    x_label: &str,
    y_label: &str,
) -> DrawResult
where
    DB::ErrorType: 'static,
{
    draw::y_note(area, y_label)?;
    let x_min = bins.iter().map(|b| b.0).fold(f64::INFINITY, f64::min);
    let x_max = bins.iter().map(|b| b.1).fold(f64::NEG_INFINITY, f64::max);
    let (x_min, x_max) = if x_max > x_min { (x_min, x_max) } else { (0.0, 1.0) };
    let y_max = bins
        .iter()
        .map(|b| b.2)
        .filter(|v| v.is_finite())
        .fold(0.0_f64, f64::max);
    let mut chart = ChartBuilder::on(area)
        .margin_top(45)
        .margin_right(30)
        .x_label_area_size(90)
        .y_label_area_size(130)
        .build_cartesian_2d(x_min..x_max, 0.0..(y_max * 1.1).max(1e-9))?;
    chart
        .configure_mesh()
        .x_desc(x_label)
        .axis_desc_style(draw::text(28))
        .label_style(draw::text(24))
        .x_label_formatter(&|v| draw::tick(*v))
        .y_label_formatter(&|v| draw::tick(*v))
        .light_line_style(TRANSPARENT)
        .bold_line_style(RGBColor(215, 215, 215))
        .draw()?;
    let c = draw::colour(0);
    chart.draw_series(
        bins.iter()
            .filter(|b| b.2.is_finite())
            .map(|&(a, b, h)| Rectangle::new([(a, 0.0), (b, h)], c.mix(0.85).filled())),
    )?;
    chart.draw_series(
        bins.iter()
            .filter(|b| b.2.is_finite())
            .map(|&(a, b, h)| Rectangle::new([(a, 0.0), (b, h)], WHITE.stroke_width(1))),
    )?;
    Ok(())
}

fn fan_note(lang: Lang) -> String {
    // Chinese text takes the full-width semicolon.
    [Word::Median, Word::Band50, Word::Band90]
        .map(|w| w.get(lang))
        .join(lang.pick("; ", "；"))
}

/// A fan from a series metric's rows: cumulative ones start at zero at month 0.
fn fan_of(rows: &[&SeriesRow], label: String, colour: usize, scale: f64, cumulative: bool) -> Fan {
    let mut points = Vec::with_capacity(rows.len() + 1);
    if cumulative {
        points.push((0.0, [0.0; 5]));
    }
    for r in rows {
        points.push((r.end, r.quantiles.map(|q| q / scale)));
    }
    Fan { label, colour, points }
}

/// A y axis label for values in `unit`: counts of projects are per replication.
fn y_label(lang: Lang, unit: &str) -> String {
    match unit {
        "projects" => Word::ProjectsPerReplication.get(lang).to_string(),
        _ => labels::unit(lang, unit).1,
    }
}

/// The charts of a run: landings, stages, money, payback, funnel and months to landing.
pub fn run_charts(results: &RunResults, names: &Names, lang: Lang) -> Vec<Planned> {
    let series = &results.series;
    let summary = &results.summary;
    let mut out = Vec::new();
    let month = Word::Month.get(lang).to_string();
    let projects = Word::ProjectsPerReplication.get(lang).to_string();

    let mut fans = Vec::new();
    for (i, name) in ["landed_home", "landed_home_paper"].into_iter().enumerate() {
        let rows = series.metric(name);
        let nonzero = rows.iter().any(|r| r.quantiles[4] > 0.0);
        if !rows.is_empty() && (i == 0 || nonzero) {
            fans.push(fan_of(&rows, names.metric(lang, name), [0, 3][i], 1.0, true));
        }
    }
    if !fans.is_empty() {
        out.push(Planned {
            stem: "landings".into(),
            title: Word::LandingsTitle.get(lang).into(),
            body: Body::Fans {
                fans,
                x_label: month.clone(),
                y_label: projects.clone(),
                note: fan_note(lang),
            },
        });
    }

    let stage_fans: Vec<Fan> = series
        .names()
        .into_iter()
        .filter(|n| n.starts_with("in_stage."))
        .enumerate()
        .map(|(i, n)| fan_of(&series.metric(n), names.metric(lang, n), i, 1.0, false))
        .collect();
    if !stage_fans.is_empty() {
        out.push(Planned {
            stem: "stages".into(),
            title: Word::StagesTitle.get(lang).into(),
            body: Body::Fans {
                fans: stage_fans,
                x_label: month.clone(),
                y_label: projects.clone(),
                note: fan_note(lang),
            },
        });
    }

    let (scale, money) = labels::money_scale(lang);
    let money_fans: Vec<Fan> = ["home_tax_yuan", "cost_yuan"]
        .iter()
        .enumerate()
        .filter(|(_, n)| !series.metric(n).is_empty())
        .map(|(i, n)| fan_of(&series.metric(n), names.metric(lang, n), [2, 3][i], scale, true))
        .collect();
    if money_fans.len() == 2 {
        out.push(Planned {
            stem: "money".into(),
            title: Word::MoneyTitle.get(lang).into(),
            body: Body::Fans {
                fans: money_fans,
                x_label: month.clone(),
                y_label: money.into(),
                note: fan_note(lang),
            },
        });
    }

    let paid = series.metric("paid_back");
    if !paid.is_empty() {
        // A share of replications, shown in percent as every share is.
        let (scale, percent) = labels::unit(lang, "share");
        let mut points = vec![(0.0, [0.0; 5])];
        points.extend(paid.iter().map(|r| {
            let (lo, hi) = (r.ci.0.max(0.0) / scale, r.ci.1.min(1.0) / scale);
            (r.end, [lo, lo, r.mean / scale, hi, hi])
        }));
        out.push(Planned {
            stem: "payback".into(),
            title: Word::PaybackTitle.get(lang).into(),
            body: Body::Fans {
                fans: vec![Fan {
                    label: names.metric(lang, "paid_back"),
                    colour: 2,
                    points,
                }],
                x_label: month.clone(),
                y_label: format!("{} ({percent})", Word::ShareOfReplications.get(lang)),
                note: [Word::Mean, Word::Ci95]
                    .map(|w| w.get(lang))
                    .join(lang.pick("; ", "；")),
            },
        });
    }

    if let Some(funnel) = funnel(summary, names, lang) {
        out.push(funnel);
    }

    let times = series.metric(crate::model::metrics::series::LANDING_TIMES);
    if !times.is_empty() {
        let last = times.iter().rposition(|r| r.mean > 0.0).map_or(times.len(), |k| k + 1);
        let bins = times[..last].iter().map(|r| (r.start, r.end, r.mean)).collect();
        out.push(Planned {
            stem: "months-to-landing".into(),
            title: Word::LandingTimesTitle.get(lang).into(),
            body: Body::Histogram {
                bins,
                x_label: Word::MonthsTaken.get(lang).into(),
                y_label: Word::LandingsPerReplication.get(lang).into(),
            },
        });
    }
    out
}

/// The pipeline funnel: the flow from candidates met to real landings, then the losses.
fn funnel(summary: &SummaryFile, names: &Names, lang: Lang) -> Option<Planned> {
    let mut flow: Vec<&str> = vec!["candidates", "admitted"];
    flow.extend(
        summary
            .metrics
            .0
            .iter()
            .map(|(n, _)| n.as_str())
            .filter(|n| n.starts_with("entered_stage.")),
    );
    flow.push("landed_home_real");
    let losses = [
        "rejected",
        "turned_away",
        "lost_to_rivals",
        "failed",
        "leaked_host",
        "leaked_elsewhere",
        "landed_home_paper",
    ];
    let mut bars = Vec::new();
    for (group, colour) in [(&flow[..], 0), (&losses[..], 3)] {
        for name in group {
            let Some(m) = summary.metric(name) else { continue };
            let value = m.mean.unwrap_or(f64::NAN);
            if colour == 3 && value.partial_cmp(&0.0) != Some(std::cmp::Ordering::Greater) {
                continue;
            }
            bars.push(HBar {
                label: names.metric(lang, name),
                start: 0.0,
                end: value,
                note: draw::tick(value),
                colour,
                whisker: None,
            });
        }
    }
    if bars.len() < 3 {
        return None;
    }
    Some(Planned {
        stem: "funnel".into(),
        title: Word::FunnelTitle.get(lang).into(),
        body: Body::HBars {
            bars,
            x_label: Word::ProjectsPerReplication.get(lang).into(),
            centre: None,
        },
    })
}

/// Metrics a planner compares first, in order, when results have them.
pub const KEY_METRICS: [&str; 4] = [
    "landing_rate",
    "landed_home_real",
    "cost_per_real_landing_yuan",
    "home_tax_yuan",
];

/// Fans of `metric` from several runs' series, one colour each (at most eight).
pub fn overlay(runs: &[(String, Series)], metric: &str, lang: Lang, stem: &str, title: &str) -> Option<Planned> {
    if runs.is_empty() || runs.len() > draw::PALETTE.len() {
        return None;
    }
    let mut unit = String::new();
    let fans: Vec<Fan> = runs
        .iter()
        .enumerate()
        .filter_map(|(i, (label, s))| {
            let rows = s.metric(metric);
            unit = rows.first()?.unit.clone();
            let (scale, _) = labels::unit(lang, &unit);
            Some(fan_of(&rows, label.clone(), i, scale, true))
        })
        .collect();
    if fans.is_empty() {
        return None;
    }
    Some(Planned {
        stem: stem.into(),
        title: title.into(),
        body: Body::Fans {
            fans,
            x_label: Word::Month.get(lang).into(),
            y_label: y_label(lang, &unit),
            note: fan_note(lang),
        },
    })
}

/// The charts of a sweep: each key metric by design point (bars with 95 % CI), a heatmap
/// of each when exactly two parameters vary on a full grid, and landings of each point
/// overlaid when there are few points.
pub fn sweep_charts(sweep: &SweepResults, names: &Names, lang: Lang) -> Vec<Planned> {
    let mut out = Vec::new();
    let labels_of_points: Vec<String> = sweep.labels().iter().map(|l| names.point_label(lang, l)).collect();
    let table = &sweep.points;
    for (k, metric) in KEY_METRICS.iter().enumerate() {
        let (Some(mean), Some(lo), Some(hi)) = (
            table.column(&format!("{metric}.mean")),
            table.column(&format!("{metric}.ci_low")),
            table.column(&format!("{metric}.ci_high")),
        ) else {
            continue;
        };
        let unit = metric_unit(metric);
        let (scale, unit_label) = labels::unit(lang, unit);
        let title = labels::titled(lang, Word::PointsTitle.get(lang), &names.metric(lang, metric));
        if table.rows.len() <= 24 {
            let bars: Vec<Bar> = (0..table.rows.len())
                .map(|r| Bar {
                    label: labels_of_points[r].clone(),
                    value: table.number(r, mean) / scale,
                    whisker: Some((table.number(r, lo) / scale, table.number(r, hi) / scale)),
                    colour: k,
                })
                .collect();
            // Labels too long to stand under their bars (a lever's name and its end)
            // go beside horizontal bars instead.
            let widest = labels_of_points.iter().map(|l| text_columns(l)).max().unwrap_or(0);
            let body = if widest * 12 > 1400 / bars.len().max(1) {
                Body::HBars {
                    bars: bars
                        .into_iter()
                        .map(|b| HBar {
                            label: b.label,
                            start: 0.0,
                            end: b.value,
                            note: draw::tick(b.value),
                            colour: b.colour,
                            whisker: b.whisker,
                        })
                        .collect(),
                    x_label: format!("{} ({unit_label})", names.metric(lang, metric)),
                    centre: None,
                }
            } else {
                Body::Bars {
                    bars,
                    y_label: unit_label.clone(),
                }
            };
            out.push(Planned {
                stem: format!("points-{metric}"),
                title: title.clone(),
                body,
            });
        }
        if let Some(body) = grid_heatmap(sweep, metric, scale, names, lang) {
            out.push(Planned {
                stem: format!("heatmap-{metric}"),
                title: format!(
                    "{}: {} ({unit_label})",
                    Word::HeatmapTitle.get(lang),
                    names.metric(lang, metric)
                ),
                body,
            });
        }
    }
    // Many points (a Latin hypercube, a Sobol sample): each result against each lever.
    if table.rows.len() > 24 {
        for metric in KEY_METRICS {
            out.extend(scatter(sweep, metric, names, lang));
        }
    }
    let runs: Vec<(String, Series)> = (0..table.rows.len())
        .filter_map(|r| {
            let path = sweep.dir.join("series").join(format!("{r:08}.csv"));
            Series::read(&path).ok().map(|s| (labels_of_points[r].clone(), s))
        })
        .collect();
    if runs.len() == table.rows.len() {
        let title = format!("{} — {}", Word::LandingsTitle.get(lang), Word::PointsTitle.get(lang));
        out.extend(overlay(&runs, "landed_home", lang, "points-landings", &title));
    }
    out
}

/// How many bins the smoother of a scatter panel averages over.
const SMOOTHER_BINS: usize = 10;

/// A lever's value as a number ("12 months" is 12), or `None`.
fn lever_number(field: &str) -> Option<f64> {
    field.split_whitespace().next()?.replace('_', "").parse().ok()
}

/// The scatter chart of `metric` against each lever of a sweep, each panel with the
/// mean of the result over tenths of the lever's points (in the lever's order) as its
/// smoother; levers whose values are not numbers are left out.
fn scatter(sweep: &SweepResults, metric: &str, names: &Names, lang: Lang) -> Option<Planned> {
    let table = &sweep.points;
    let means = sweep.means(metric)?;
    let (y_scale, y_unit) = labels::unit(lang, metric_unit(metric));
    let mut panels = Vec::new();
    for p in &sweep.parameters {
        let column = table.parameter_column(p)?;
        let values: Option<Vec<f64>> = table.rows.iter().map(|r| lever_number(&r[column])).collect();
        let Some(values) = values else { continue };
        let money = p.ends_with("_yuan");
        let (x_scale, x_unit) = if money {
            labels::unit(lang, "yuan")
        } else if table.parameter_unit(column) == Some("months") {
            labels::unit(lang, "months")
        } else {
            (1.0, String::new())
        };
        let mut points: Vec<(f64, f64)> = values
            .iter()
            .zip(&means)
            .map(|(x, y)| (x / x_scale, y / y_scale))
            .filter(|q| q.0.is_finite() && q.1.is_finite())
            .collect();
        points.sort_by(|a, b| a.0.total_cmp(&b.0));
        let per_bin = points.len().div_ceil(SMOOTHER_BINS).max(1);
        let smooth = points
            .chunks(per_bin)
            .map(|bin| {
                let n = bin.len() as f64;
                (
                    bin.iter().map(|q| q.0).sum::<f64>() / n,
                    bin.iter().map(|q| q.1).sum::<f64>() / n,
                )
            })
            .collect();
        let lever = names.lever(lang, p);
        let x_label = if x_unit.is_empty() {
            lever
        } else {
            format!("{lever} ({x_unit})")
        };
        panels.push(Panel {
            x_label,
            points,
            smooth,
        });
    }
    if panels.is_empty() {
        return None;
    }
    Some(Planned {
        stem: format!("scatter-{metric}"),
        title: labels::titled(lang, Word::ScatterTitle.get(lang), &names.metric(lang, metric)),
        body: Body::Scatter {
            panels,
            y_label: format!("{} ({y_unit})", names.metric(lang, metric)),
        },
    })
}

/// Whether less of `metric` is better (costs, waiting), from the metric catalogue.
pub fn lower_is_better(metric: &str) -> bool {
    crate::model::metrics::better(metric) == Some(crate::model::metrics::Better::Lower)
}

/// Columns a label takes: two for a wide (Chinese or full-width) character.
fn text_columns(text: &str) -> usize {
    text.chars().map(|c| if (c as u32) >= 0x1100 { 2 } else { 1 }).sum()
}

/// A total's unit from the metric catalogue (points.csv has no unit column); the
/// per-stage counts and per-party money the catalogue names by pattern are projects and
/// yuan.
pub fn metric_unit(metric: &str) -> &'static str {
    let listed = crate::model::metrics::totals()
        .into_iter()
        .find(|m| m.name == metric)
        .map(|m| m.unit)
        .or_else(|| {
            // Optional totals (a mechanism's outputs) have their units in their own table.
            crate::model::metrics::OPTIONAL
                .iter()
                .find(|r| r.name == metric)
                .map(|r| r.unit)
        })
        .unwrap_or("");
    match listed {
        "" if metric.starts_with("in_stage.") || metric.starts_with("entered_stage.") => "projects",
        "" if metric.contains("_yuan") => "yuan",
        unit => unit,
    }
}

/// A heatmap when exactly two parameters vary and every combination has one point.
fn grid_heatmap(sweep: &SweepResults, metric: &str, scale: f64, names: &Names, lang: Lang) -> Option<Body> {
    if sweep.parameters.len() != 2 {
        return None;
    }
    let table = &sweep.points;
    let column = |name: &str| table.parameter_column(name);
    let (a, b) = (column(&sweep.parameters[0])?, column(&sweep.parameters[1])?);
    let distinct = |c: usize| {
        let mut values: Vec<String> = Vec::new();
        for row in &table.rows {
            if !values.contains(&row[c]) {
                values.push(row[c].clone());
            }
        }
        values.sort_by(|x, y| match (x.parse::<f64>(), y.parse::<f64>()) {
            (Ok(x), Ok(y)) => x.total_cmp(&y),
            _ => x.cmp(y),
        });
        values
    };
    let (xs, ys) = (distinct(a), distinct(b));
    if xs.len() * ys.len() != table.rows.len() || xs.len() < 2 || ys.len() < 2 {
        return None;
    }
    let means = sweep.means(metric)?;
    let mut values = vec![vec![f64::NAN; xs.len()]; ys.len()];
    for (r, row) in table.rows.iter().enumerate() {
        let x = xs.iter().position(|v| *v == row[a])?;
        let y = ys.iter().position(|v| *v == row[b])?;
        values[y][x] = means[r] / scale;
    }
    Some(Body::Heatmap {
        columns: xs,
        rows: ys,
        values,
        x_label: lever_with_unit(table, a, names, lang),
        y_label: lever_with_unit(table, b, names, lang),
    })
}

/// A parameter column's lever name with the unit of its values, when they have one:
/// "Duration, pilot (months)", "中试阶段时长（个月）".
fn lever_with_unit(table: &PointsTable, column: usize, names: &Names, lang: Lang) -> String {
    let lever = names.lever(lang, table.parameter_path(column));
    match table.parameter_unit(column) {
        Some(unit) => {
            let words = labels::unit(lang, unit).1;
            match lang {
                Lang::En => format!("{lever} ({words})"),
                Lang::Zh => format!("{lever}（{words}）"),
            }
        }
        None => lever,
    }
}

/// The tornado chart of a sweep's `sensitivity.json`, for `metric`.
pub fn tornado(sensitivity: &SensitivityFile, metric: &str, names: &Names, lang: Lang) -> Option<Planned> {
    let method = sensitivity.method;
    let entry = sensitivity.metric(metric)?;
    let (scale, unit_label) = labels::unit(lang, &entry.unit);
    let num = |x: Option<f64>| x.unwrap_or(f64::NAN);
    let mut rows: Vec<(f64, HBar)> = Vec::new();
    let mut centre = None;
    match &entry.effects {
        Effects::Oat(effects) => {
            for e in effects {
                let (lo, hi) = (num(e.output_at_low) / scale, num(e.output_at_high) / scale);
                centre = Some(num(e.baseline_output) / scale);
                let note = format!("{} → {}", draw::tick(lo), draw::tick(hi));
                let bar = HBar {
                    label: names.lever(lang, &e.parameter),
                    start: lo,
                    end: hi,
                    note,
                    colour: if hi >= lo { 0 } else { 3 },
                    whisker: None,
                };
                rows.push(((hi - lo).abs(), bar));
            }
        }
        Effects::Morris(effects) => {
            for e in effects {
                let (mu_star, sigma) = (num(e.mu_star) / scale, num(e.sigma) / scale);
                let note = format!("μ* {} σ {}", draw::tick(mu_star), draw::tick(sigma));
                let bar = HBar {
                    label: names.lever(lang, &e.parameter),
                    start: 0.0,
                    end: mu_star,
                    note,
                    colour: 0,
                    whisker: None,
                };
                rows.push((mu_star, bar));
            }
        }
        Effects::Sobol(effects) => {
            for e in effects {
                let (first, total) = (num(e.first), num(e.total));
                let note = format!("S1 {} ST {}", draw::tick(first), draw::tick(total));
                let bar = HBar {
                    label: names.lever(lang, &e.parameter),
                    start: 0.0,
                    end: total,
                    note,
                    colour: 0,
                    whisker: Some((num(e.total_low), num(e.total_high))),
                };
                rows.push((total, bar));
            }
        }
    }
    rows.sort_by(|a, b| b.0.total_cmp(&a.0));
    let x_label = match method {
        Method::Sobol => format!("{} (Sobol ST)", names.metric(lang, metric)),
        Method::Morris => format!("{} (Morris μ*, {unit_label})", names.metric(lang, metric)),
        Method::Oat => format!("{} ({unit_label})", names.metric(lang, metric)),
    };
    Some(Planned {
        stem: format!("tornado-{metric}"),
        title: labels::titled(lang, Word::TornadoTitle.get(lang), &names.metric(lang, metric)),
        body: Body::HBars {
            bars: rows.into_iter().map(|r| r.1).collect(),
            x_label,
            centre,
        },
    })
}

/// The charts of a comparison's `compare.json`: key metrics per alternative with 95 %
/// CI, and the paired differences of the ranking metric.
pub fn compare_charts(compare: &CompareFile, runs: &[(String, Series)], names: &Names, lang: Lang) -> Vec<Planned> {
    let mut out = Vec::new();
    let num = |x: Option<f64>| x.unwrap_or(f64::NAN);
    for metric in KEY_METRICS {
        let Some(m) = compare.metric(metric) else { continue };
        let (scale, unit_label) = labels::unit(lang, &m.unit);
        let bars: Vec<Bar> = m
            .alternatives
            .iter()
            .enumerate()
            .map(|(i, a)| Bar {
                label: names.alternative(lang, &a.name),
                value: num(a.mean) / scale,
                whisker: Some((num(a.ci_low) / scale, num(a.ci_high) / scale)),
                colour: i,
            })
            .collect();
        if bars.is_empty() {
            continue;
        }
        out.push(Planned {
            stem: format!("compare-{metric}"),
            title: labels::titled(lang, Word::ComparisonTitle.get(lang), &names.metric(lang, metric)),
            body: Body::Bars {
                bars,
                y_label: unit_label,
            },
        });
    }
    let rank_by = &compare.rank_by;
    if let Some(m) = compare.metric(rank_by) {
        let (scale, unit_label) = labels::unit(lang, &m.unit);
        let bars: Vec<HBar> = m
            .differences
            .iter()
            .map(|d| {
                let mean = num(d.mean) / scale;
                // Wins are counted over the pair's replications.
                let wins = d.wins_a.map_or(f64::NAN, |w| w as f64) / d.n as f64;
                let note = if wins.is_finite() {
                    format!("{} ({} {:.0} %)", draw::tick(mean), Word::Wins.get(lang), wins * 100.0)
                } else {
                    draw::tick(mean)
                };
                HBar {
                    label: names.pair(lang, &d.a, &d.b),
                    start: 0.0,
                    end: mean,
                    note,
                    colour: if mean >= 0.0 { 2 } else { 3 },
                    whisker: Some((num(d.ci_low) / scale, num(d.ci_high) / scale)),
                }
            })
            .collect();
        if !bars.is_empty() {
            out.push(Planned {
                stem: format!("differences-{rank_by}"),
                title: labels::titled(lang, Word::DifferencesTitle.get(lang), &names.metric(lang, rank_by)),
                body: Body::HBars {
                    bars,
                    x_label: format!("{} ({unit_label})", Word::Difference.get(lang)),
                    centre: Some(0.0),
                },
            });
        }
    }
    let title = format!("{} — {}", Word::LandingsTitle.get(lang), Word::Compare.get(lang));
    let runs: Vec<(String, Series)> = runs
        .iter()
        .map(|(name, series)| (names.alternative(lang, name), series.clone()))
        .collect();
    out.extend(overlay(&runs, "landed_home", lang, "compare-landings", &title));
    out
}

/// One histogram per calibrated parameter, from `posterior.csv` (weighted by its
/// `weight` column when there is one), over the prior range from `calibration.json`.
pub fn posterior_charts(calibration: &CalibrationFile, posterior: &Table, names: &Names, lang: Lang) -> Vec<Planned> {
    let mut out = Vec::new();
    let weight = posterior.column("weight");
    for (k, p) in calibration.parameters.iter().enumerate() {
        let path = p.path.as_str();
        let Some(column) = posterior.column(path) else { continue };
        let (lo, hi) = (p.prior_min, p.prior_max);
        if hi.partial_cmp(&lo) != Some(std::cmp::Ordering::Greater) {
            continue;
        }
        let mut bins = [0.0; 20];
        let mut total = 0.0;
        for r in 0..posterior.rows.len() {
            let v = posterior.number(r, column);
            let w = weight.map_or(1.0, |c| posterior.number(r, c));
            if v.is_finite() && w.is_finite() {
                let b = (((v - lo) / (hi - lo)) * 20.0).floor().clamp(0.0, 19.0) as usize;
                bins[b] += w;
                total += w;
            }
        }
        if total <= 0.0 {
            continue;
        }
        let width = (hi - lo) / 20.0;
        let bins = bins
            .iter()
            .enumerate()
            .map(|(i, &w)| (lo + i as f64 * width, lo + (i + 1) as f64 * width, w / total))
            .collect();
        out.push(Planned {
            stem: format!("posterior-{}", k + 1),
            title: labels::titled(lang, Word::PosteriorTitle.get(lang), &names.lever(lang, path)),
            body: Body::Histogram {
                bins,
                x_label: format!("{} ({})", names.lever(lang, path), Word::Prior.get(lang)),
                y_label: Word::Weight.get(lang).into(),
            },
        });
    }
    out
}
