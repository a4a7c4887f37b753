//! The charts of an optimization's `optimize.json`: how the best setting improved as
//! the search went on, every setting evaluated on the trade-off it faces (the objective
//! against the budget, or the Pareto front of two objectives), and the recommended
//! setting against the scenario as it is, as paired differences.

use super::charts::{Body, Planned};
use super::draw::{self, DrawResult, HBar};
use super::labels::{self, Lang, Word};
use super::names::Names;
use crate::results::format::money_column;
use crate::results::optimize::{Estimate, OptimizeFile};
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

/// How a group of points is marked.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mark {
    /// A filled dot.
    Filled,
    /// A ring (settings outside a constraint).
    Hollow,
    /// A faint small dot (settings in the background).
    Faint,
    /// A large dot with a black ring (the recommended setting).
    Highlight,
    /// A diamond (the scenario as it is).
    Diamond,
}

/// A point with its intervals on either axis.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct XyPoint {
    /// x.
    pub x: f64,
    /// y.
    pub y: f64,
    /// 95 % interval on x, if drawn.
    pub x_ci: Option<(f64, f64)>,
    /// 95 % interval on y, if drawn.
    pub y_ci: Option<(f64, f64)>,
}

/// Points drawn alike, with one legend entry.
pub struct Group {
    /// Legend label.
    pub label: String,
    /// Colour index.
    pub colour: usize,
    /// How the points are marked.
    pub mark: Mark,
    /// The points.
    pub points: Vec<XyPoint>,
    /// Whether the points are joined by a line, in order (a step line when `steps`).
    pub line: bool,
    /// Whether the line goes in steps (the best value so far).
    pub steps: bool,
}

/// A labelled reference line across the plot: a bound.
pub struct Guide {
    /// Vertical (a bound on x) or horizontal (on y).
    pub vertical: bool,
    /// Where.
    pub at: f64,
    /// What it is ("at most 1.5 亿元").
    pub label: String,
}

/// A plot of points against two quantities.
pub struct Xy {
    /// The groups, drawn in order (the last on top).
    pub groups: Vec<Group>,
    /// Reference lines.
    pub guides: Vec<Guide>,
    /// x axis label.
    pub x_label: String,
    /// y axis label (at the top-left).
    pub y_label: String,
}

/// Draws an [`Xy`] plot: axes padded around the points, intervals as whiskers, guides
/// as dashed lines labelled in `root`'s coordinates, a legend at the lower right.
pub fn draw_xy<DB: DrawingBackend>(root: &DrawingArea<DB, Shift>, area: &DrawingArea<DB, Shift>, xy: &Xy) -> DrawResult
where
    DB::ErrorType: 'static,
{
    draw::y_note(area, &xy.y_label)?;
    let range = |pick: &dyn Fn(&XyPoint) -> [Option<f64>; 3], guides: &dyn Fn(&Guide) -> Option<f64>| {
        let values = xy
            .groups
            .iter()
            .flat_map(|g| g.points.iter().flat_map(pick))
            .flatten()
            .chain(xy.guides.iter().filter_map(guides))
            .filter(|v| v.is_finite());
        let (lo, hi) = values.fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), v| (a.min(v), b.max(v)));
        if !lo.is_finite() {
            (0.0, 1.0)
        } else if hi > lo {
            let pad = (hi - lo) * 0.08;
            (lo - pad, hi + pad)
        } else {
            let pad = lo.abs().max(1.0) * 0.1;
            (lo - pad, hi + pad)
        }
    };
    let (x_min, x_max) = range(&|p| [Some(p.x), p.x_ci.map(|c| c.0), p.x_ci.map(|c| c.1)], &|g| {
        g.vertical.then_some(g.at)
    });
    let (y_min, y_max) = range(&|p| [Some(p.y), p.y_ci.map(|c| c.0), p.y_ci.map(|c| c.1)], &|g| {
        (!g.vertical).then_some(g.at)
    });
    let mut chart = ChartBuilder::on(area)
        .margin_top(45)
        .margin_right(40)
        .x_label_area_size(90)
        .y_label_area_size(130)
        .build_cartesian_2d(x_min..x_max, y_min..y_max)?;
    chart
        .configure_mesh()
        .x_desc(xy.x_label.as_str())
        .axis_desc_style(draw::text(28))
        .label_style(draw::text(24))
        .x_label_formatter(&|v| draw::tick(*v))
        .y_label_formatter(&|v| draw::tick(*v))
        .light_line_style(TRANSPARENT)
        .bold_line_style(RGBColor(215, 215, 215))
        .draw()?;
    let guide_colour = RGBColor(120, 120, 120);
    for g in &xy.guides {
        let (from, to) = if g.vertical {
            ((g.at, y_min), (g.at, y_max))
        } else {
            ((x_min, g.at), (x_max, g.at))
        };
        // A dashed line: plotters' backends share no dash style, so short segments.
        let dashes = 40;
        chart.draw_series((0..dashes).step_by(2).map(|k| {
            let t = |a: f64, b: f64, k: usize| a + (b - a) * k as f64 / dashes as f64;
            PathElement::new(
                vec![
                    (t(from.0, to.0, k), t(from.1, to.1, k)),
                    (t(from.0, to.0, k + 1), t(from.1, to.1, k + 1)),
                ],
                guide_colour.stroke_width(3),
            )
        }))?;
        let (px, py) = chart.backend_coord(&to);
        let style = draw::text(22).color(&RGBColor(60, 60, 60));
        if g.vertical {
            // Above the plot, clear of the points.
            root.draw_text(&g.label, &style.pos(Pos::new(HPos::Center, VPos::Bottom)), (px, py - 6))?;
        } else {
            root.draw_text(
                &g.label,
                &style.pos(Pos::new(HPos::Right, VPos::Bottom)),
                (px - 8, py - 6),
            )?;
        }
    }
    for group in &xy.groups {
        let c = draw::colour(group.colour);
        let finite: Vec<&XyPoint> = group
            .points
            .iter()
            .filter(|p| p.x.is_finite() && p.y.is_finite())
            .collect();
        if group.line && finite.len() >= 2 {
            let mut path = Vec::new();
            for p in &finite {
                if group.steps {
                    if let Some(&(_, last_y)) = path.last() {
                        path.push((p.x, last_y));
                    }
                }
                path.push((p.x, p.y));
            }
            chart.draw_series(std::iter::once(PathElement::new(path, c.stroke_width(4))))?;
        }
        let whisker = match group.mark {
            Mark::Faint | Mark::Hollow => c.mix(0.5).stroke_width(2),
            _ => c.stroke_width(2),
        };
        for p in &finite {
            for (a, b, vertical) in [p.x_ci.map(|c| (c.0, c.1, false)), p.y_ci.map(|c| (c.0, c.1, true))]
                .into_iter()
                .flatten()
            {
                if a.is_finite() && b.is_finite() {
                    let ends = if vertical {
                        [(p.x, a), (p.x, b)]
                    } else {
                        [(a, p.y), (b, p.y)]
                    };
                    chart.draw_series(std::iter::once(PathElement::new(ends.to_vec(), whisker)))?;
                }
            }
        }
        let points = finite.iter().map(|p| (p.x, p.y));
        let series = match group.mark {
            Mark::Filled => chart.draw_series(points.map(|q| Circle::new(q, 9, c.filled())))?,
            Mark::Hollow => chart.draw_series(points.map(|q| Circle::new(q, 8, c.stroke_width(3))))?,
            Mark::Faint => chart.draw_series(points.map(|q| Circle::new(q, 6, c.mix(0.35).filled())))?,
            Mark::Highlight => {
                chart.draw_series(points.clone().map(|q| Circle::new(q, 17, BLACK.stroke_width(4))))?;
                chart.draw_series(points.map(|q| Circle::new(q, 13, c.filled())))?
            }
            Mark::Diamond => chart.draw_series(points.map(|q| {
                EmptyElement::at(q)
                    + Polygon::new(vec![(0, -14), (14, 0), (0, 14), (-14, 0)], c.filled())
                    + PathElement::new(
                        vec![(0, -14), (14, 0), (0, 14), (-14, 0), (0, -14)],
                        BLACK.stroke_width(2),
                    )
            }))?,
        };
        if group.label.is_empty() {
            continue;
        }
        let mark = group.mark;
        series.label(group.label.clone()).legend(move |(x, y)| {
            let at = (x + 6, y);
            // One element type for every mark: a circle and a polygon (a diamond, or
            // nothing drawn).
            let none = || Polygon::new(vec![(0, 0), (0, 0), (0, 0)], TRANSPARENT.filled());
            let (circle, polygon) = match mark {
                Mark::Hollow => (Circle::new((0, 0), 8, c.stroke_width(3)), none()),
                Mark::Faint => (Circle::new((0, 0), 6, c.mix(0.35).filled()), none()),
                Mark::Highlight => (Circle::new((0, 0), 11, c.filled()), none()),
                Mark::Filled => (Circle::new((0, 0), 8, c.filled()), none()),
                Mark::Diamond => (
                    Circle::new((0, 0), 0, c.filled()),
                    Polygon::new(vec![(0, -10), (10, 0), (0, 10), (-10, 0)], c.filled()),
                ),
            };
            EmptyElement::at(at) + circle + polygon
        });
    }
    chart
        .configure_series_labels()
        .label_font(draw::text(24))
        .background_style(WHITE.mix(0.85))
        .border_style(RGBColor(180, 180, 180))
        .position(SeriesLabelPosition::LowerRight)
        .margin(15)
        .draw()?;
    Ok(())
}

/// The divisor and the unit's words for a tracked metric's axis: money in 万元 or
/// 亿元 (million yuan in English), shares in %.
fn axis_unit(unit: &str, lang: Lang, largest: f64) -> (f64, String) {
    let (scale, words) = money_column(unit, lang, largest);
    if words.is_empty() {
        (scale, unit.to_string())
    } else {
        (scale, words.to_string())
    }
}

/// "Real landings (个项目)": a metric's name with its unit, for an axis.
fn axis_label(names: &Names, lang: Lang, metric: &str, unit: &str) -> String {
    let name = names.metric(lang, metric);
    match (unit, lang) {
        ("", _) => name,
        (u, Lang::En) => format!("{name} ({u})"),
        (u, Lang::Zh) => format!("{name}（{u}）"),
    }
}

/// The estimate of `metric` among `metrics`.
fn estimate<'a>(metrics: &'a [Estimate], metric: &str) -> Option<&'a Estimate> {
    metrics.iter().find(|m| m.metric == metric)
}

/// The unit and the largest absolute mean of a tracked metric over every evaluation.
fn metric_scale(file: &OptimizeFile, metric: &str) -> (String, f64) {
    let mut unit = String::new();
    let mut largest = 0.0_f64;
    for e in file
        .evaluations
        .iter()
        .flat_map(|e| &e.metrics)
        .filter(|m| m.metric == metric)
    {
        unit.clone_from(&e.unit);
        largest = largest.max(e.mean.map_or(0.0, f64::abs));
    }
    (unit, largest)
}

/// "home cost at most 150 million yuan": a constraint's bound, for a guide line.
fn bound_words(name: &str, bound: &str, value: f64, unit: &str, lang: Lang) -> String {
    let side = match bound {
        "at_most" => Word::AtMost.get(lang),
        _ => Word::AtLeast.get(lang),
    };
    let amount = crate::results::format::quantity(value, unit, lang);
    match lang {
        Lang::En => format!("{name} {side} {amount}"),
        Lang::Zh => format!("{name}{side}{amount}"),
    }
}

/// The charts of an optimization: convergence, the trade-off, and the recommended
/// setting against the scenario as it is.
pub fn optimize_charts(file: &OptimizeFile, names: &Names, lang: Lang) -> Vec<Planned> {
    let mut out = Vec::new();
    out.extend(convergence(file, names, lang));
    out.extend(tradeoff(file, names, lang));
    out.extend(against_base(file, names, lang));
    out
}

/// The best feasible value of the first objective against the number of settings
/// evaluated, over every setting's own value.
fn convergence(file: &OptimizeFile, names: &Names, lang: Lang) -> Option<Planned> {
    let objective = file.objectives.first()?;
    let (unit, largest) = metric_scale(file, &objective.metric);
    let (scale, unit_words) = axis_unit(&unit, lang, largest);
    let best: Vec<XyPoint> = file
        .convergence()
        .iter()
        .enumerate()
        .filter_map(|(i, v)| {
            v.map(|v| XyPoint {
                x: (i + 1) as f64,
                y: v / scale,
                x_ci: None,
                y_ci: None,
            })
        })
        .collect();
    if best.is_empty() {
        return None;
    }
    let each = |feasible: bool| -> Vec<XyPoint> {
        file.evaluations
            .iter()
            .enumerate()
            .filter(|(_, e)| e.feasible == feasible)
            .filter_map(|(i, e)| {
                Some(XyPoint {
                    x: (i + 1) as f64,
                    y: e.mean(&objective.metric)? / scale,
                    x_ci: None,
                    y_ci: None,
                })
            })
            .collect()
    };
    let mut groups = vec![Group {
        label: Word::FeasibleSetting.get(lang).into(),
        colour: 0,
        mark: Mark::Faint,
        points: each(true),
        line: false,
        steps: false,
    }];
    let outside = each(false);
    if !outside.is_empty() && !file.constraints.is_empty() {
        groups.push(Group {
            label: Word::InfeasibleSetting.get(lang).into(),
            colour: 3,
            mark: Mark::Hollow,
            points: outside,
            line: false,
            steps: false,
        });
    }
    groups.push(Group {
        label: Word::BestSoFar.get(lang).into(),
        colour: 0,
        mark: Mark::Filled,
        points: best,
        line: true,
        steps: true,
    });
    Some(Planned {
        stem: "optimize-convergence".into(),
        title: labels::titled(
            lang,
            Word::ConvergenceTitle.get(lang),
            &names.metric(lang, &objective.metric),
        ),
        body: Body::Xy(Xy {
            groups,
            guides: Vec::new(),
            x_label: Word::SettingsEvaluated.get(lang).into(),
            y_label: axis_label(names, lang, &objective.metric, &unit_words),
        }),
    })
}

/// One objective: each setting's objective against the first constraint's metric (or
/// the home cost), the bound as a line, the recommendation highlighted. Two
/// objectives: the Pareto front with intervals on both axes, the others faint.
fn tradeoff(file: &OptimizeFile, names: &Names, lang: Lang) -> Option<Planned> {
    let y_metric = file.objectives.first()?.metric.as_str();
    let x_metric = match file.objectives.get(1) {
        Some(o) => o.metric.as_str(),
        None => file.constraints.first().map_or("cost_yuan", |c| c.metric.as_str()),
    };
    if x_metric == y_metric {
        return None;
    }
    let (x_unit, x_largest) = metric_scale(file, x_metric);
    let (y_unit, y_largest) = metric_scale(file, y_metric);
    let (x_scale, x_words) = axis_unit(&x_unit, lang, x_largest);
    let (y_scale, y_words) = axis_unit(&y_unit, lang, y_largest);
    let point = |metrics: &[Estimate], whiskers: bool| -> Option<XyPoint> {
        let (x, y) = (estimate(metrics, x_metric)?, estimate(metrics, y_metric)?);
        let ci = |e: &Estimate, scale: f64| match (e.ci_low, e.ci_high) {
            (Some(a), Some(b)) if whiskers => Some((a / scale, b / scale)),
            _ => None,
        };
        Some(XyPoint {
            x: x.mean? / x_scale,
            y: y.mean? / y_scale,
            x_ci: ci(x, x_scale),
            y_ci: ci(y, y_scale),
        })
    };
    let two = file.objectives.len() >= 2;
    let on_front = |i: usize| file.pareto_front.contains(&i);
    let mut feasible = Vec::new();
    let mut infeasible = Vec::new();
    let mut front = Vec::new();
    for (i, e) in file.evaluations.iter().enumerate() {
        let Some(p) = point(&e.metrics, !two || on_front(i)) else {
            continue;
        };
        if two && on_front(i) {
            front.push(p);
        } else if e.feasible {
            feasible.push(p);
        } else {
            infeasible.push(p);
        }
    }
    if feasible.is_empty() && infeasible.is_empty() && front.is_empty() {
        return None;
    }
    let mut groups = Vec::new();
    if !feasible.is_empty() {
        groups.push(Group {
            label: Word::FeasibleSetting.get(lang).into(),
            colour: if two { 6 } else { 0 },
            mark: if two { Mark::Faint } else { Mark::Filled },
            points: feasible,
            line: false,
            steps: false,
        });
    }
    if !infeasible.is_empty() {
        groups.push(Group {
            label: Word::InfeasibleSetting.get(lang).into(),
            colour: 3,
            mark: if two { Mark::Faint } else { Mark::Hollow },
            points: infeasible,
            line: false,
            steps: false,
        });
    }
    if !front.is_empty() {
        front.sort_by(|a, b| a.x.total_cmp(&b.x));
        groups.push(Group {
            label: Word::ParetoFront.get(lang).into(),
            colour: 0,
            mark: Mark::Filled,
            points: front,
            line: true,
            steps: false,
        });
    }
    // The scenario as it is, from the paired comparison's base means.
    if let Some(against) = &file.against_base {
        let base = |metric: &str| against.differences.iter().find(|d| d.metric == metric)?.base;
        if let (Some(x), Some(y)) = (base(x_metric), base(y_metric)) {
            groups.push(Group {
                label: Word::AsItIs.get(lang).into(),
                colour: 6,
                mark: Mark::Diamond,
                points: vec![XyPoint {
                    x: x / x_scale,
                    y: y / y_scale,
                    x_ci: None,
                    y_ci: None,
                }],
                line: false,
                steps: false,
            });
        }
    }
    if let Some(p) = file.recommended.as_ref().and_then(|r| point(&r.metrics, true)) {
        groups.push(Group {
            label: Word::RecommendedSetting.get(lang).into(),
            colour: 1,
            mark: Mark::Highlight,
            points: vec![p],
            line: false,
            steps: false,
        });
    }
    let guides = file
        .constraints
        .iter()
        .filter_map(|c| {
            let (vertical, scale, unit) = if c.metric == x_metric {
                (true, x_scale, &x_unit)
            } else if c.metric == y_metric {
                (false, y_scale, &y_unit)
            } else {
                return None;
            };
            Some(Guide {
                vertical,
                at: c.value / scale,
                label: bound_words(&names.metric(lang, &c.metric), &c.bound, c.value, unit, lang),
            })
        })
        .collect();
    let (stem, title) = if two {
        ("optimize-pareto", Word::ParetoTitle.get(lang).to_string())
    } else {
        (
            "optimize-settings",
            labels::titled(
                lang,
                Word::SettingsTitle.get(lang),
                &format!(
                    "{}{}{}",
                    names.metric(lang, y_metric),
                    lang.pick(" against ", "与"),
                    names.metric(lang, x_metric)
                ),
            ),
        )
    };
    Some(Planned {
        stem: stem.into(),
        title,
        body: Body::Xy(Xy {
            groups,
            guides,
            x_label: axis_label(names, lang, x_metric, &x_words),
            y_label: axis_label(names, lang, y_metric, &y_words),
        }),
    })
}

/// Whether a paired difference is an improvement (`Some(true)`), a loss, or neither
/// clearly (its interval spans zero, or the metric has no better direction).
pub fn improvement(metric: &str, low: Option<f64>, high: Option<f64>) -> Option<bool> {
    let (low, high) = (low?, high?);
    let better = crate::model::metrics::better(metric)?;
    let up = if low > 0.0 {
        true
    } else if high < 0.0 {
        false
    } else {
        return None;
    };
    Some(up == (better == crate::model::metrics::Better::Higher))
}

/// One bar per metric: the paired difference (recommended − as it is) as a percentage of
/// the scenario as it is, with its 95 % interval, and the change in the metric's own
/// unit beside it.
fn against_base(file: &OptimizeFile, names: &Names, lang: Lang) -> Option<Planned> {
    let against = file.against_base.as_ref()?;
    let bars: Vec<HBar> = against
        .differences
        .iter()
        .filter_map(|d| {
            let base = d.base.filter(|b| b.abs() > 0.0)?;
            let mean = d.mean?;
            let percent = |x: f64| 100.0 * x / base.abs();
            let colour = match improvement(&d.metric, d.ci_low, d.ci_high) {
                Some(true) => 2,
                Some(false) => 3,
                None => 6,
            };
            let own = if d.unit == "share" {
                format!("{}{}", signed(100.0 * mean), Word::PercentagePoints.get(lang))
            } else {
                let (scale, words) = money_column(&d.unit, lang, mean);
                let words = if words.is_empty() { d.unit.as_str() } else { words };
                format!("{} {words}", signed(mean / scale))
            };
            Some(HBar {
                label: names.metric(lang, &d.metric),
                start: 0.0,
                end: percent(mean),
                note: match lang {
                    Lang::En => format!("{} % ({own})", signed(percent(mean))),
                    Lang::Zh => format!("{}%（{own}）", signed(percent(mean))),
                },
                colour,
                whisker: match (d.ci_low, d.ci_high) {
                    (Some(a), Some(b)) => Some((percent(a), percent(b))),
                    _ => None,
                },
            })
        })
        .collect();
    if bars.is_empty() {
        return None;
    }
    Some(Planned {
        stem: "optimize-against-base".into(),
        title: Word::AgainstBaseTitle.get(lang).into(),
        body: Body::HBars {
            bars,
            x_label: Word::ChangeFromBase.get(lang).into(),
            centre: Some(0.0),
        },
    })
}

/// A number with its sign ("+1.9", "-0.5"), as axis ticks write it.
fn signed(x: f64) -> String {
    let t = draw::tick(x);
    if x > 0.0 && !t.starts_with('+') && t != "0" {
        format!("+{t}")
    } else {
        t
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::results::optimize::{AgainstBase, EvaluationRecord, ObjectiveRecord, PairedDifference};

    fn estimate(metric: &str, unit: &str, mean: f64) -> Estimate {
        Estimate {
            metric: metric.into(),
            unit: unit.into(),
            mean: Some(mean),
            ci_low: Some(mean - 1.0),
            ci_high: Some(mean + 1.0),
        }
    }

    fn file() -> OptimizeFile {
        let evaluation = |landed: f64, cost: f64, feasible: bool| EvaluationRecord {
            generation: 0,
            levers: vec![],
            coordinates: vec![],
            metrics: vec![
                estimate("landed_home_real", "projects", landed),
                estimate("cost_yuan", "yuan", cost),
            ],
            feasible,
            violation: 0.0,
            refused: None,
        };
        OptimizeFile {
            feidi_version: "0".into(),
            name: "t".into(),
            scenario_title: "T".into(),
            seed: 1,
            confidence: 0.95,
            population: 3,
            generations: 1,
            replications: 8,
            levers: vec![],
            objectives: vec![ObjectiveRecord {
                metric: "landed_home_real".into(),
                goal: "maximize".into(),
            }],
            constraints: vec![crate::results::optimize::ConstraintRecord {
                metric: "cost_yuan".into(),
                bound: "at_most".into(),
                value: 150e6,
            }],
            evaluations: vec![
                evaluation(40.0, 100e6, true),
                evaluation(50.0, 200e6, false),
                evaluation(45.0, 120e6, true),
            ],
            pareto_front: vec![],
            selection: None,
            recommended: None,
            against_base: Some(AgainstBase {
                replications: 16,
                differences: vec![
                    PairedDifference {
                        metric: "landed_home_real".into(),
                        unit: "projects".into(),
                        base: Some(50.0),
                        recommended: Some(55.0),
                        mean: Some(5.0),
                        ci_low: Some(1.0),
                        ci_high: Some(9.0),
                    },
                    PairedDifference {
                        metric: "cost_yuan".into(),
                        unit: "yuan".into(),
                        base: Some(0.0),
                        recommended: Some(1.0),
                        mean: Some(1.0),
                        ci_low: Some(0.5),
                        ci_high: Some(1.5),
                    },
                ],
                marginal: None,
            }),
        }
    }

    #[test]
    fn paired_differences_are_drawn_as_percent_of_the_base_with_their_interval() {
        let chart = against_base(&file(), &Names::default(), Lang::En).unwrap();
        let Body::HBars { bars, centre, .. } = chart.body else {
            panic!("expected horizontal bars")
        };
        // A base of zero has no percentage: that metric is left out, not drawn as infinite.
        assert_eq!(bars.len(), 1);
        assert_eq!(bars[0].end, 10.0);
        assert_eq!(bars[0].whisker, Some((2.0, 18.0)));
        assert_eq!(
            bars[0].colour, 2,
            "more real landings, interval above zero: an improvement"
        );
        assert!(bars[0].note.starts_with("+10 % (+5 projects)"), "{}", bars[0].note);
        assert_eq!(centre, Some(0.0));
    }

    #[test]
    fn the_settings_chart_splits_settings_by_constraint_and_draws_the_budget() {
        let chart = tradeoff(&file(), &Names::default(), Lang::Zh).unwrap();
        let Body::Xy(xy) = chart.body else {
            panic!("expected an xy plot")
        };
        let count = |mark: Mark| {
            xy.groups
                .iter()
                .filter(|g| g.mark == mark)
                .map(|g| g.points.len())
                .sum::<usize>()
        };
        assert_eq!(count(Mark::Filled), 2);
        assert_eq!(count(Mark::Hollow), 1);
        // 150 million yuan on an axis in 亿元 (the largest cost, 2 亿元, is above 1 亿元).
        assert_eq!(xy.guides.len(), 1);
        assert!(xy.guides[0].vertical);
        assert!((xy.guides[0].at - 1.5).abs() < 1e-12, "{}", xy.guides[0].at);
        assert!(xy.x_label.ends_with("（亿元）"), "{}", xy.x_label);
    }

    #[test]
    fn improvements_follow_the_metric_direction_and_need_the_interval_off_zero() {
        assert_eq!(improvement("landed_home_real", Some(0.5), Some(2.0)), Some(true));
        assert_eq!(improvement("cost_yuan", Some(0.5), Some(2.0)), Some(false));
        assert_eq!(improvement("cost_yuan", Some(-2.0), Some(-0.5)), Some(true));
        assert_eq!(improvement("landed_home_real", Some(-0.5), Some(2.0)), None);
    }
}
