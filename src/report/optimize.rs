//! The report's summary of an optimization: the recommended setting lever by lever, its
//! figures and constraints, the guarantee of the selection in words, the paired
//! comparison with the scenario as it is (and what one more real landing costs), the
//! Pareto front of two objectives and the finalists' selection. The wording mirrors
//! [`OptimizeFile::describe`], the terminal's summary.

use super::html::{escape, Html};
use super::{lever_value, number, scaled_heading};
use crate::plot::labels::{Lang, Word};
use crate::plot::names::Names;
use crate::results::format::{self, quantity};
use crate::results::optimize::{Estimate, OptimizeFile};

/// "48.7 (48.4 – 48.9)" in the unit `scale` divides into, or "—".
fn with_interval(e: &Estimate, scale: f64) -> String {
    let s = |v: Option<f64>| number(v.map(|x| x / scale));
    match (e.ci_low, e.ci_high) {
        (Some(_), Some(_)) => format!("{} ({} – {})", s(e.mean), s(e.ci_low), s(e.ci_high)),
        _ => s(e.mean),
    }
}

/// The largest absolute value among some figures (picks 亿元 for large sums).
fn largest(values: impl IntoIterator<Item = Option<f64>>) -> f64 {
    values.into_iter().flatten().fold(0.0, |a: f64, x| a.max(x.abs()))
}

/// The divisor and the words of `unit` for figures up to `largest` (亿元 for large sums;
/// units of counts as their words: 个项目, projects).
fn unit_words(unit: &str, lang: Lang, largest: f64) -> (f64, String) {
    let (scale, words) = format::money_column(unit, lang, largest);
    (scale, words.to_string())
}

/// A paragraph.
fn paragraph(h: &mut Html, text: &str) {
    h.raw(&format!("<p>{}</p>\n", escape(text)));
}

/// A subheading.
fn heading(h: &mut Html, text: &str) {
    h.raw(&format!("<h3>{}</h3>\n", escape(text)));
}

/// "at most" / "不超过" for a constraint's side.
fn side(bound: &str, lang: Lang) -> &'static str {
    match bound {
        "at_most" => Word::AtMost.get(lang),
        _ => Word::AtLeast.get(lang),
    }
}

/// The optimization's tables and sentences, in the report's summary section.
pub(super) fn optimize_tables(h: &mut Html, file: &OptimizeFile, names: &Names, lang: Lang) {
    let zh = lang == Lang::Zh;
    let unit_of = |metric: &str| {
        file.evaluations
            .iter()
            .flat_map(|e| &e.metrics)
            .find(|m| m.metric == metric)
            .map_or("", |m| m.unit.as_str())
    };
    let evaluated = file.evaluations.len();
    let goals: Vec<String> = file
        .objectives
        .iter()
        .map(|o| {
            let goal = match (o.goal.as_str(), zh) {
                ("maximize", false) => "as many",
                ("maximize", true) => "尽量多",
                (_, false) => "as little",
                (_, true) => "尽量少",
            };
            let metric = names.metric(lang, &o.metric);
            if zh {
                format!("{metric}{goal}")
            } else {
                format!("{goal} {metric} as possible")
            }
        })
        .collect();
    let bounds: Vec<String> = file
        .constraints
        .iter()
        .map(|c| {
            let amount = quantity(c.value, unit_of(&c.metric), lang);
            let side = side(&c.bound, lang);
            if zh {
                format!("{}{side} {amount}", names.metric(lang, &c.metric))
            } else {
                format!("{} {side} {amount}", names.metric(lang, &c.metric))
            }
        })
        .collect();
    paragraph(
        h,
        &if zh {
            let within = if bounds.is_empty() {
                String::new()
            } else {
                format!("，约束：{}", bounds.join("；"))
            };
            format!(
                "目标：{}{within}。搜索 {} 代，共评估 {evaluated} 个方案，每个方案模拟 {} 次（共同随机数）。",
                goals.join("，同时"),
                file.generations,
                file.replications
            )
        } else {
            let within = if bounds.is_empty() {
                String::new()
            } else {
                format!(", with {}", bounds.join("; "))
            };
            format!(
                "Goal: {}{within}. The search ran {} generations and evaluated {evaluated} settings, {} replications each (common random numbers).",
                goals.join(" and "),
                file.generations,
                file.replications
            )
        },
    );

    if let Some(r) = &file.recommended {
        if let Some(objective) = file.objectives.first() {
            let metric = names.metric(lang, &objective.metric);
            let text = match (objective.goal.as_str(), zh) {
                ("maximize", false) => format!("Recommended setting (the most {metric})"),
                ("maximize", true) => format!("推荐方案（{metric}最多）"),
                (_, false) => format!("Recommended setting (the least {metric})"),
                (_, true) => format!("推荐方案（{metric}最少）"),
            };
            heading(h, &text);
        }
        let header = [
            Word::Lever.get(lang),
            Word::RecommendedCol.get(lang),
            Word::NowCol.get(lang),
        ];
        let rows: Vec<Vec<String>> = file
            .levers
            .iter()
            .zip(&r.levers)
            .map(|(l, v)| {
                vec![
                    names.lever(lang, &l.path),
                    lever_value(&l.path, v, lang),
                    l.base
                        .as_deref()
                        .map_or_else(|| "—".into(), |b| lever_value(&l.path, b, lang)),
                ]
            })
            .collect();
        h.table("recommended-table", &header, &rows);

        heading(h, Word::OwnResultsOne.get(lang));
        let header = [
            Word::Metric.get(lang),
            lang.pick("mean (95 % CI)", "均值（95%置信区间）"),
        ];
        let rows: Vec<Vec<String>> = r
            .metrics
            .iter()
            .map(|e| {
                let (name, scale) =
                    scaled_heading(names, lang, &e.metric, &e.unit, largest([e.mean, e.ci_low, e.ci_high]));
                vec![name, with_interval(e, scale)]
            })
            .collect();
        h.table("recommended-figures", &header, &rows);

        if !r.constraints.is_empty() {
            heading(h, Word::Constraints.get(lang));
            let header = [Word::Metric.get(lang), Word::Target.get(lang), Word::Status.get(lang)];
            let rows: Vec<Vec<String>> = r
                .constraints
                .iter()
                .map(|c| {
                    let status = match (c.status.as_str(), zh) {
                        ("met", false) => "met: the whole 95 % interval is within the bound",
                        ("met", true) => "满足：95%置信区间完全在约束之内",
                        ("borderline", false) => "borderline: the mean is within the bound, the interval crosses it",
                        ("borderline", true) => "临界：均值满足，但置信区间跨越约束值",
                        (_, false) => "NOT met",
                        (_, true) => "不满足",
                    };
                    let amount = quantity(c.value, unit_of(&c.metric), lang);
                    let target = if zh {
                        format!("{}{amount}", side(&c.bound, lang))
                    } else {
                        format!("{} {amount}", side(&c.bound, lang))
                    };
                    vec![names.metric(lang, &c.metric), target, status.to_string()]
                })
                .collect();
            h.table("constraints-table", &header, &rows);
        }
    }

    if let Some(sentence) = file.guarantee(lang) {
        h.raw(&format!("<p class=\"guarantee\">{}</p>\n", escape(&sentence)));
    }

    if let Some(against) = &file.against_base {
        heading(
            h,
            &if zh {
                format!(
                    "与现方案比较（配对差值：推荐方案 − 现方案，各 {} 次模拟，共同随机数）",
                    against.replications
                )
            } else {
                format!(
                    "Against the scenario as it is (paired differences, recommended − as it is, {} replications each, common random numbers)",
                    against.replications
                )
            },
        );
        let header = [
            Word::Metric.get(lang),
            Word::BaseCol.get(lang),
            Word::RecommendedCol.get(lang),
            Word::Difference.get(lang),
            Word::Ci95.get(lang),
        ];
        let rows: Vec<Vec<String>> = against
            .differences
            .iter()
            .map(|d| {
                // Levels and differences each in their own unit, so that a small change
                // of a large sum reads "-179 万元" rather than "-0.0179 亿元".
                let levels = unit_words(&d.unit, lang, largest([d.base, d.recommended]));
                let mut changes = unit_words(&d.unit, lang, largest([d.mean, d.ci_low, d.ci_high]));
                if d.unit == "share" {
                    // A change of a rate is in percentage points, not percent of it.
                    changes.1 = Word::PercentagePoints.get(lang).trim().to_string();
                }
                let s = |v: Option<f64>, (scale, words): &(f64, String)| match v {
                    Some(x) if words.is_empty() => format::number(x / scale),
                    Some(x) if words == "%" => format!("{} %", format::number(x / scale)),
                    Some(x) => format!("{} {words}", format::number(x / scale)),
                    None => "—".into(),
                };
                let interval = match (d.ci_low, d.ci_high) {
                    (Some(a), Some(b)) => {
                        let bare = (changes.0, String::new());
                        format!("{} – {}", s(Some(a), &bare), s(Some(b), &changes))
                    }
                    _ => "—".into(),
                };
                vec![
                    names.metric(lang, &d.metric),
                    s(d.base, &levels),
                    s(d.recommended, &levels),
                    s(d.mean, &changes),
                    interval,
                ]
            })
            .collect();
        h.table("against-base-table", &header, &rows);
        if let Some(m) = &against.marginal {
            let (a, b) = if zh {
                ("推荐方案", "现方案")
            } else {
                ("The recommendation", "the scenario as it is")
            };
            h.raw(&format!(
                "<p class=\"marginal\">{}</p>\n",
                escape(&m.sentence(a, b, lang))
            ));
        }
    }

    let levers_of = |levers: &[String]| -> Vec<String> {
        file.levers
            .iter()
            .zip(levers)
            .map(|(l, v)| lever_value(&l.path, v, lang))
            .collect()
    };
    let lever_names: Vec<String> = file.levers.iter().map(|l| names.lever(lang, &l.path)).collect();

    if !file.pareto_front.is_empty() {
        heading(h, Word::ParetoTitle.get(lang));
        let mut header: Vec<String> = vec![Word::Evaluation.get(lang).into()];
        let mut scales = Vec::new();
        for o in &file.objectives {
            let big = largest(file.pareto_front.iter().map(|&i| file.evaluations[i].mean(&o.metric)));
            let (name, scale) = scaled_heading(names, lang, &o.metric, unit_of(&o.metric), big);
            header.push(format!(
                "{name}{}",
                lang.pick(": mean (95 % CI)", "：均值（95%置信区间）")
            ));
            scales.push(scale);
        }
        header.extend(lever_names.iter().cloned());
        let rows: Vec<Vec<String>> = file
            .pareto_front
            .iter()
            .filter_map(|&i| file.evaluations.get(i).map(|e| (i, e)))
            .map(|(i, e)| {
                let mut row = vec![(i + 1).to_string()];
                for (o, &scale) in file.objectives.iter().zip(&scales) {
                    row.push(
                        e.metrics
                            .iter()
                            .find(|m| m.metric == o.metric)
                            .map_or_else(|| "—".into(), |m| with_interval(m, scale)),
                    );
                }
                row.extend(levers_of(&e.levers));
                row
            })
            .collect();
        let header: Vec<&str> = header.iter().map(String::as_str).collect();
        h.table("pareto-table", &header, &rows);
    }

    if let (Some(sel), Some(objective)) = (&file.selection, file.objectives.first()) {
        heading(h, Word::Finalists.get(lang));
        let big = largest(sel.means.iter().map(|&m| Some(m)));
        let (name, scale) = scaled_heading(names, lang, &objective.metric, unit_of(&objective.metric), big);
        let mut header: Vec<String> = vec![Word::Evaluation.get(lang).into()];
        header.extend(lever_names.iter().cloned());
        header.push(format!("{name} ({})", Word::Mean.get(lang)));
        header.push(Word::ReplicationsCol.get(lang).into());
        header.push(Word::EliminatedAfter.get(lang).into());
        let rows: Vec<Vec<String>> = sel
            .finalists
            .iter()
            .enumerate()
            .filter_map(|(k, &i)| file.evaluations.get(i).map(|e| (k, i, e)))
            .map(|(k, i, e)| {
                let mut row = vec![(i + 1).to_string()];
                row.extend(levers_of(&e.levers));
                row.push(number(sel.means.get(k).map(|m| m / scale)));
                row.push(sel.replications.get(k).map_or_else(|| "—".into(), u64::to_string));
                row.push(match sel.eliminated_after.get(k).copied().flatten() {
                    Some(n) => n.to_string(),
                    None if k == sel.chosen => Word::Chosen.get(lang).into(),
                    None => "—".into(),
                });
                row
            })
            .collect();
        let header: Vec<&str> = header.iter().map(String::as_str).collect();
        h.table("finalists-table", &header, &rows);
        paragraph(
            h,
            if zh {
                "方案序号为搜索中评估的先后次序，从 1 起；淘汰时模拟次数为该方案在比较中被淘汰时已完成的模拟次数。"
            } else {
                "A setting's number is its place in the order the search evaluated it, from 1; a finalist is eliminated once enough replications show it is worse than another."
            },
        );
    }
}

/// How an optimization's figures were made, after the report's general method note.
pub(super) fn method_note(h: &mut Html, file: &OptimizeFile, lang: Lang) {
    let text = match lang {
        Lang::En => format!(
            "The search is evolutionary: a first generation spread over the levers' ranges, then each \
             generation bred from the best settings so far; a setting within the constraints beats one \
             outside them. Every setting is simulated {} times on the same random numbers, so settings \
             differ by their levers, not by luck. The best settings are then compared again on fresh \
             replications until one is known to be the best within the stated margin (Kim–Nelson), and the \
             recommended setting is compared with the scenario as it is on common random numbers: the \
             intervals of the differences are 95 % confidence intervals of the paired mean difference. \
             In the charts, whiskers are 95 % confidence intervals of a setting's mean.",
            file.replications
        ),
        Lang::Zh => format!(
            "搜索采用进化算法：第一代方案均匀分布于各政策变量的取值范围，此后每一代由目前最好的方案交叉变异产生；\
             满足约束的方案优先于不满足约束的方案。每个方案以相同的随机数模拟 {} 次，方案之间的差别来自政策变量而非运气。\
             随后以新的模拟再次比较最好的几个方案，直至能在给定误差内确定最优者（Kim–Nelson 方法）；\
             推荐方案再以共同随机数与现方案配对比较，差值区间为配对均值差的 95% 置信区间。\
             图中误差线为各方案均值的 95% 置信区间。",
            file.replications
        ),
    };
    paragraph(h, &text);
}
