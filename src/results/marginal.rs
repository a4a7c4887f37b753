//! What one more real landing costs: the ratio of the paired difference in home outlay
//! to the paired difference in real landings between two settings run on the same
//! random streams, with Fieller's interval, and how a planner should read it.

use super::format::{quantity, Lang};
use crate::model::metrics::{MARGINAL_BENEFIT, MARGINAL_OUTLAY};
use crate::stats::ratio::RatioMoments;
use serde::{Deserialize, Serialize};

/// The marginal cost of a real landing going from setting `b` to setting `a`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MarginalCost {
    /// The setting with the change.
    pub a: String,
    /// The setting it is measured against.
    pub b: String,
    /// The outlay metric (home budget outlay, yuan).
    pub outlay: String,
    /// The benefit metric (real landings).
    pub benefit: String,
    /// Replications paired.
    pub n: u64,
    /// Mean extra outlay of `a` over `b`, yuan.
    pub extra_outlay: Option<f64>,
    /// Mean extra real landings of `a` over `b`.
    pub extra_benefit: Option<f64>,
    /// Lower end of the extra landings' confidence interval.
    pub extra_benefit_ci_low: Option<f64>,
    /// Upper end.
    pub extra_benefit_ci_high: Option<f64>,
    /// Extra outlay per extra real landing, yuan.
    pub yuan_per_extra: Option<f64>,
    /// Lower end of Fieller's interval of that ratio (null when unbounded).
    pub ci_low: Option<f64>,
    /// Upper end.
    pub ci_high: Option<f64>,
    /// How to read it: `cost_per_extra_landing` (a lands more for more outlay),
    /// `saving_per_landing_given_up` (a lands fewer for less outlay), `a_dominates`
    /// (more landings for measurably less outlay), `b_dominates`, `outlay_does_not_differ`
    /// (the landings differ, the outlay not measurably), `landings_do_not_differ` (the
    /// landings' interval holds zero: no marginal cost), or `undefined` (too few pairs).
    pub reading: String,
}

fn finite(x: f64) -> Option<f64> {
    x.is_finite().then_some(x)
}

impl MarginalCost {
    /// The marginal cost of `a` against `b` from the moments of their paired
    /// (outlay, real landings) differences, at `confidence`.
    pub fn new(a: &str, b: &str, moments: &RatioMoments, confidence: f64) -> MarginalCost {
        let ((outlay, outlay_half), (benefit, benefit_half)) = moments.means(confidence);
        let ratio = moments.ratio(confidence);
        let landings_differ = benefit_half.is_finite() && benefit.abs() > benefit_half;
        // Ahead on both counts only when the outlay's interval is on the right side too.
        let outlay_lower = outlay + outlay_half < 0.0;
        let outlay_higher = outlay - outlay_half > 0.0;
        let reading = if !outlay.is_finite() || !benefit.is_finite() || !benefit_half.is_finite() {
            "undefined"
        } else if !landings_differ {
            "landings_do_not_differ"
        } else if benefit > 0.0 && outlay >= 0.0 {
            "cost_per_extra_landing"
        } else if benefit < 0.0 && outlay <= 0.0 {
            "saving_per_landing_given_up"
        } else if benefit > 0.0 && outlay_lower {
            "a_dominates"
        } else if benefit < 0.0 && outlay_higher {
            "b_dominates"
        } else {
            "outlay_does_not_differ"
        };
        MarginalCost {
            a: a.to_string(),
            b: b.to_string(),
            outlay: MARGINAL_OUTLAY.to_string(),
            benefit: MARGINAL_BENEFIT.to_string(),
            n: ratio.pairs,
            extra_outlay: finite(outlay),
            extra_benefit: finite(benefit),
            extra_benefit_ci_low: finite(benefit - benefit_half),
            extra_benefit_ci_high: finite(benefit + benefit_half),
            yuan_per_extra: ratio.ratio.filter(|r| r.is_finite()),
            ci_low: ratio.interval.map(|i| i.0),
            ci_high: ratio.interval.map(|i| i.1),
            reading: reading.to_string(),
        }
    }

    /// One sentence for a planner, naming the settings `a` and `b` as given.
    pub fn sentence(&self, a: &str, b: &str, lang: Lang) -> String {
        let money = |x: Option<f64>| x.map_or("–".to_string(), |x| quantity(x, "yuan", lang));
        let landings = |x: Option<f64>| x.map_or("–".to_string(), super::format::number);
        match (self.reading.as_str(), lang) {
            ("cost_per_extra_landing", Lang::En) => {
                let interval = match (self.ci_low, self.ci_high) {
                    (Some(_), Some(_)) => format!(
                        " (95 % interval {} to {})",
                        money(self.ci_low),
                        money(self.ci_high)
                    ),
                    _ => " (interval unbounded)".to_string(),
                };
                format!(
                    "{a} against {b}: {} real landings and {} of home outlay more; each extra real landing costs {}{interval}.",
                    landings(self.extra_benefit),
                    money(self.extra_outlay),
                    money(self.yuan_per_extra)
                )
            }
            ("cost_per_extra_landing", Lang::Zh) => {
                let interval = match (self.ci_low, self.ci_high) {
                    (Some(_), Some(_)) => format!(
                        "（95% 置信区间 {} 至 {}）",
                        money(self.ci_low),
                        money(self.ci_high)
                    ),
                    _ => "（置信区间无上界）".to_string(),
                };
                format!(
                    "{a}相对{b}：实际落地多 {} 个，本地财政支出多 {}；每多一个实际落地项目，多支出 {}{interval}。",
                    landings(self.extra_benefit),
                    money(self.extra_outlay),
                    money(self.yuan_per_extra)
                )
            }
            ("saving_per_landing_given_up", Lang::En) => format!(
                "{a} against {b}: {} real landings and {} of home outlay fewer; each real landing given up saves {}.",
                landings(self.extra_benefit.map(f64::abs)),
                money(self.extra_outlay.map(f64::abs)),
                money(self.yuan_per_extra)
            ),
            ("saving_per_landing_given_up", Lang::Zh) => format!(
                "{a}相对{b}：实际落地少 {} 个，本地财政支出少 {}；每少一个实际落地项目，节省 {}。",
                landings(self.extra_benefit.map(f64::abs)),
                money(self.extra_outlay.map(f64::abs)),
                money(self.yuan_per_extra)
            ),
            ("outlay_does_not_differ", Lang::En) => format!(
                "{a} against {b}: {} real landings more, and the home outlay does not differ measurably (mean {}).",
                landings(self.extra_benefit),
                money(self.extra_outlay)
            ),
            ("outlay_does_not_differ", Lang::Zh) => format!(
                "{a}相对{b}：实际落地多 {} 个，本地财政支出没有可测的差别（均值 {}）。",
                landings(self.extra_benefit),
                money(self.extra_outlay)
            ),
            ("undefined", Lang::En) => format!("{a} against {b}: too few replications to compare outlay and landings."),
            ("undefined", Lang::Zh) => format!("{a}相对{b}：模拟次数太少，无法比较支出与落地数。"),
            ("a_dominates", Lang::En) => format!(
                "{a} lands {} more real projects than {b} for {} less home outlay: it is better on both counts.",
                landings(self.extra_benefit),
                money(self.extra_outlay.map(f64::abs))
            ),
            ("a_dominates", Lang::Zh) => format!(
                "{a}比{b}实际落地多 {} 个，本地财政支出反而少 {}：两方面都更好。",
                landings(self.extra_benefit),
                money(self.extra_outlay.map(f64::abs))
            ),
            ("b_dominates", Lang::En) => format!(
                "{b} lands {} more real projects than {a} for {} less home outlay: it is better on both counts.",
                landings(self.extra_benefit.map(f64::abs)),
                money(self.extra_outlay.map(f64::abs))
            ),
            ("b_dominates", Lang::Zh) => format!(
                "{b}比{a}实际落地多 {} 个，本地财政支出反而少 {}：两方面都更好。",
                landings(self.extra_benefit.map(f64::abs)),
                money(self.extra_outlay.map(f64::abs))
            ),
            (_, Lang::En) => format!(
                "{a} against {b}: real landings do not differ measurably (95 % interval {} to {}), so there is no cost per extra landing to quote.",
                landings(self.extra_benefit_ci_low),
                landings(self.extra_benefit_ci_high)
            ),
            (_, Lang::Zh) => format!(
                "{a}相对{b}：实际落地数没有可测的差别（95% 置信区间 {} 至 {}），无法给出每多一个落地项目的边际成本。",
                landings(self.extra_benefit_ci_low),
                landings(self.extra_benefit_ci_high)
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn moments(pairs: &[(f64, f64)]) -> RatioMoments {
        let mut m = RatioMoments::default();
        pairs.iter().for_each(|&(x, y)| m.push(x, y));
        m
    }

    #[test]
    fn the_reading_follows_the_signs_of_the_paired_differences() {
        let noisy = |cost: f64, landings: f64| -> Vec<(f64, f64)> {
            (0..40)
                .map(|i| {
                    let e = (i % 5) as f64 - 2.0;
                    (cost + 1e5 * e, landings + 0.1 * e)
                })
                .collect()
        };
        let read = |cost, landings| MarginalCost::new("a", "b", &moments(&noisy(cost, landings)), 0.95).reading;
        assert_eq!(read(3e6, 2.0), "cost_per_extra_landing");
        assert_eq!(read(-3e6, -2.0), "saving_per_landing_given_up");
        assert_eq!(read(-1e4, 2.0), "outlay_does_not_differ");
        assert_eq!(read(-3e6, 2.0), "a_dominates");
        assert_eq!(read(3e6, -2.0), "b_dominates");
        assert_eq!(read(3e6, 0.0), "landings_do_not_differ");
        let m = MarginalCost::new("a", "b", &moments(&noisy(3e6, 2.0)), 0.95);
        let per = m.yuan_per_extra.unwrap();
        assert!((per - 1.5e6).abs() < 1.0, "{per}");
        assert!(m.ci_low.unwrap() < per && per < m.ci_high.unwrap());
        let zh = m.sentence("甲", "乙", Lang::Zh);
        assert!(zh.contains("150 万元") && !zh.contains('e'), "{zh}");
        let en = m.sentence("A", "B", Lang::En);
        assert!(en.contains("1.50 million yuan"), "{en}");
    }
}
