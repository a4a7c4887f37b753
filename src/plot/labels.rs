//! Every word a chart or report shows, in English and in Chinese. A label is one match
//! arm holding both languages, so a label cannot exist in one language only.

pub use crate::results::format::Lang;

/// Fixed words of charts and reports.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[allow(missing_docs)] // each variant's words are its documentation
pub enum Word {
    LandingsTitle,
    StagesTitle,
    MoneyTitle,
    PaybackTitle,
    FunnelTitle,
    LandingTimesTitle,
    ComparisonTitle,
    DifferencesTitle,
    HeatmapTitle,
    TornadoTitle,
    PosteriorTitle,
    PointsTitle,
    Month,
    MonthsTaken,
    LandingsPerReplication,
    ProjectsPerReplication,
    ShareOfReplications,
    Median,
    Band50,
    Band90,
    Mean,
    Ci95,
    Replications,
    Seed,
    Scenario,
    Version,
    Date,
    Report,
    Summary,
    Charts,
    Assumptions,
    Method,
    Files,
    Metric,
    Unit,
    MeanCol,
    CiCol,
    Description,
    Flow,
    Losses,
    LowValue,
    HighValue,
    Baseline,
    Prior,
    Posterior,
    Ranking,
    Difference,
    Wins,
    Alternative,
    Point,
    Parameter,
    Sweep,
    Compare,
    Calibration,
    Discovery,
    Sensitivity,
    Coverage,
    Density,
    Box,
    NoData,
    AssumptionLines,
    ScenarioText,
    Value,
    Target,
    Tolerance,
    Generations,
    Accepted,
    Weight,
    MetricId,
    CiLow,
    CiHigh,
    DefinedN,
    Bin,
    MonthStart,
    MonthEnd,
    Label,
    ReplicationsCol,
    SeriesSheet,
    PointsSheet,
    PosteriorSheet,
}

impl Word {
    /// The word in `lang`.
    pub fn get(self, lang: Lang) -> &'static str {
        use Word::*;
        let (en, zh) = match self {
            LandingsTitle => ("Cumulative landings at home", "累计落地家乡项目"),
            StagesTitle => ("Projects in each stage", "各阶段在孵项目"),
            MoneyTitle => ("Home tax income against cost (cumulative)", "家乡税收与投入（累计）"),
            PaybackTitle => ("Payback: share of replications paid back", "回本曲线：已回本的模拟比例"),
            FunnelTitle => ("Pipeline funnel (per replication)", "项目漏斗（每次模拟平均）"),
            LandingTimesTitle => ("Months from admission to landing", "从入驻到落地的月数"),
            ComparisonTitle => ("Siting comparison", "选址比较"),
            DifferencesTitle => ("Paired differences (common random numbers)", "配对差值（共同随机数）"),
            HeatmapTitle => ("Two-lever sweep", "双参数扫描"),
            TornadoTitle => ("Which levers matter", "关键杠杆（敏感性）"),
            PosteriorTitle => ("Posterior of a calibrated parameter", "校准参数后验分布"),
            PointsTitle => ("Design points", "设计点"),
            Month => ("month", "月份"),
            MonthsTaken => ("months from admission to landing", "入驻至落地月数"),
            LandingsPerReplication => ("landings per replication", "每次模拟落地数"),
            ProjectsPerReplication => ("projects per replication", "每次模拟项目数"),
            ShareOfReplications => ("share of replications", "模拟次数占比"),
            Median => ("median", "中位数"),
            Band50 => ("50 % band", "50% 区间"),
            Band90 => ("90 % band", "90% 区间"),
            Mean => ("mean", "均值"),
            Ci95 => ("95 % CI", "95% 置信区间"),
            Replications => ("replications", "次模拟"),
            Seed => ("seed", "随机种子"),
            Scenario => ("scenario", "情景"),
            Version => ("feidi", "feidi"),
            Date => ("date", "日期"),
            Report => ("Report", "报告"),
            Summary => ("Summary", "结果摘要"),
            Charts => ("Charts", "图表"),
            Assumptions => ("Assumptions", "假设与参数"),
            Method => ("Method", "方法说明"),
            Files => ("Result files", "结果文件"),
            Metric => ("metric", "指标"),
            Unit => ("unit", "单位"),
            MeanCol => ("mean", "均值"),
            CiCol => ("95 % CI of mean", "均值95%置信区间"),
            Description => ("meaning", "含义"),
            Flow => ("pipeline", "流程"),
            Losses => ("losses", "流失"),
            LowValue => ("low value", "低值"),
            HighValue => ("high value", "高值"),
            Baseline => ("baseline", "基准"),
            Prior => ("prior range", "先验范围"),
            Posterior => ("posterior", "后验"),
            Ranking => ("Ranking", "排名"),
            Difference => ("difference", "差值"),
            Wins => ("wins", "胜出比例"),
            Alternative => ("alternative", "方案"),
            Point => ("point", "设计点"),
            Parameter => ("parameter", "参数"),
            Sweep => ("Sweep", "参数扫描"),
            Compare => ("Comparison", "方案比较"),
            Calibration => ("Calibration", "模型校准"),
            Discovery => ("Scenario discovery", "情景发现"),
            Sensitivity => ("Sensitivity", "敏感性分析"),
            Coverage => ("coverage", "覆盖率"),
            Density => ("density", "密度"),
            Box => ("box", "区域"),
            NoData => ("no data", "无数据"),
            AssumptionLines => (
                "Figures marked [assumption] in the scenario file are not from sources",
                "情景文件中标注 [assumption] 的数值为假设，非来源数据",
            ),
            ScenarioText => ("The scenario file", "情景文件全文"),
            Value => ("value", "数值"),
            Target => ("target", "目标"),
            Tolerance => ("tolerance", "容差"),
            Generations => ("generations", "代数"),
            Accepted => ("accepted", "接受"),
            Weight => ("weight", "权重"),
            MetricId => ("metric id", "指标代码"),
            CiLow => ("95 % CI low", "95%置信下限"),
            CiHigh => ("95 % CI high", "95%置信上限"),
            DefinedN => ("n (replications with a value)", "有效模拟次数"),
            Bin => ("bin", "时段"),
            MonthStart => ("month start", "起始月"),
            MonthEnd => ("month end", "结束月"),
            Label => ("label", "标签"),
            ReplicationsCol => ("replications", "模拟次数"),
            SeriesSheet => ("Series", "时间序列"),
            PointsSheet => ("Points", "设计点"),
            PosteriorSheet => ("Posterior", "后验分布"),
        };
        lang.pick(en, zh)
    }
}

/// Words for the fixed metric names of result files; `None` for names feidi does not know.
fn known_metric(name: &str) -> Option<(&'static str, &'static str)> {
    Some(match name {
        "host_candidates" => ("candidates in host cities", "所在城市候选项目"),
        "candidates" => ("candidates met", "接触的候选项目"),
        "rejected" => ("screened out", "筛选淘汰"),
        "admitted" => ("admitted", "入驻项目"),
        "turned_away" => ("turned away", "因满员未入驻"),
        "landed_home" => ("landed at home (real + paper)", "落地家乡（实际+挂名）"),
        "leaked_host" => ("settled in the host", "留在所在城市"),
        "leaked_elsewhere" => ("went elsewhere", "流向其他城市"),
        "failed" => ("failed", "失败"),
        "completed" => ("completed", "完成全部阶段"),
        "in_progress" => ("in progress at the end", "期末仍在进行"),
        "landing_rate" => ("landing rate", "落地率"),
        "months_to_landing" => ("months to landing", "落地所需月数"),
        "seat_occupancy" => ("seat occupancy", "工位使用率"),
        "seats_busy" => ("seats in use", "在用工位"),
        "seat_queue" => ("waiting for a seat", "排队等待工位"),
        "queue_wait_months" => ("months waiting for a seat", "等待工位月数"),
        "seat_months" => ("months in a seat", "占用工位月数"),
        "landed_home_real" => ("real landings", "实际落地"),
        "landed_home_paper" => ("paper landings (shells)", "挂名落地（空壳）"),
        "output_yuan" => ("output", "产值"),
        "tax_yuan" => ("tax", "税收"),
        "home_tax_yuan" => ("home tax income", "家乡税收"),
        "jobs" => ("jobs", "就业岗位"),
        "cost_yuan" => ("home cost", "家乡投入"),
        "subsidy_yuan" => ("landing subsidies", "落地补贴"),
        "cost_per_real_landing_yuan" => ("cost per real landing", "每个实际落地成本"),
        "payback_month" => ("payback month", "回本月份"),
        "paid_back" => ("paid back", "已回本"),
        "stranded" => ("stranded by a breakdown", "合作中断滞留"),
        "fund_deployed_yuan" => ("fund money invested", "基金投资额"),
        "social_capital_yuan" => ("social capital drawn", "撬动社会资本"),
        "return_investment_yuan" => ("return investment", "返投金额"),
        "fund_losses_yuan" => ("fund losses", "基金损失"),
        "fund_investments" => ("fund investments", "基金投资项目"),
        "lost_to_rivals" => ("lost to rival enclaves", "被竞争飞地吸引"),
        "vouchers_yuan" => ("innovation vouchers", "创新券支出"),
        "voucher_projects" => ("projects with vouchers", "获创新券项目"),
        "blocked" => ("turned away at once (seats full)", "工位满员被拒"),
        "abandoned" => ("gave up waiting for a seat", "排队放弃"),
        "blocked_share" => ("share turned away at once", "满员被拒比例"),
        "abandoned_share" => ("share who gave up waiting", "排队放弃比例"),
        "queued_share" => ("share admitted after queueing", "排队后入驻比例"),
        "operator_landing_fees_yuan" => ("operator fees per landing", "运营方落地绩效费"),
        "relocations_in" => ("firms relocated home", "迁入家乡企业"),
        "relocations_out" => ("firms relocated away", "迁出家乡企业"),
        "relocation_output_in_yuan" => ("output of firms relocated home", "迁入企业产值"),
        "relocation_output_out_yuan" => ("output of firms relocated away", "迁出企业产值"),
        "relocation_tax_yuan" => ("relocated firms' tax increment", "迁移企业税收增量"),
        "relocation_home_tax_yuan" => ("home share of relocated firms' tax", "迁移企业家乡分税"),
        "licences" => ("licences to home firms", "技术许可"),
        "licence_value_yuan" => ("licence value", "技术许可价值"),
        "licence_home_tax_yuan" => ("home tax on licences", "技术许可家乡税收"),
        "challenge_needs_posted" => ("needs posted (challenge rounds)", "揭榜挂帅发榜需求"),
        "challenge_needs_solved" => ("needs solved (challenge rounds)", "揭榜挂帅解决需求"),
        "challenge_awards_yuan" => ("challenge awards", "揭榜挂帅奖励"),
        "challenge_value_yuan" => ("value of solved needs", "揭榜挂帅需求价值"),
        "breakdown_month" => ("month of breakdown", "合作中断月份"),
        "breakdowns" => ("cooperation breakdowns", "合作中断次数"),
        "cooperation_months" => ("months of cooperation", "合作持续月数"),
        "talent_cost_yuan" => ("talent programmes cost", "人才项目支出"),
        "graduate_candidates" => ("candidates from joint graduates", "联合培养研究生带来的候选项目"),
        "risk_fund_paid_yuan" => ("risk fund payments", "风险共担基金支出"),
        "risk_fund_compensation_yuan" => ("risk compensation to backers", "风险补偿（项目投资方）"),
        "follow_on_capital_yuan" => ("follow-on social capital", "后续轮次社会资本"),
        "fund_exits" => ("fund exits", "基金退出项目"),
        "fund_exit_proceeds_yuan" => ("fund exit proceeds", "基金退出回收"),
        "fund_held_yuan" => ("fund money still invested", "基金在投金额"),
        "listings" => ("listings", "上市企业"),
        "return_quota_met" => ("return-investment quota met", "返投任务完成率"),
        "months_to_landing_histogram" => (
            "landings by months from admission to landing",
            "按入驻至落地月数统计的落地数",
        ),
        _ => return None,
    })
}

/// Words for stage names the shipped scenarios use; other names are shown as written.
fn known_stage(name: &str) -> Option<(&'static str, &'static str)> {
    Some(match name {
        "incubation" => ("incubation", "孵化"),
        "acceleration" => ("acceleration", "加速"),
        "pilot" => ("pilot", "中试"),
        "industrialization" => ("industrialization", "产业化"),
        "home" => ("home", "家乡"),
        "host" => ("host", "所在城市"),
        "province" => ("province", "省级"),
        "social_capital" => ("social capital", "社会资本"),
        _ => return None,
    })
}

/// A metric's label in `lang`, including the per-stage and per-party families
/// (`in_stage.pilot`, `entered_stage.pilot`, `tax_yuan.home`); unknown names are shown
/// as they are written.
pub fn metric(lang: Lang, name: &str) -> String {
    if let Some((en, zh)) = known_metric(name) {
        return lang.pick(en, zh).to_string();
    }
    let part = |p: &str| known_stage(p).map_or_else(|| p.to_string(), |(en, zh)| lang.pick(en, zh).to_string());
    if let Some(stage) = name.strip_prefix("in_stage.") {
        return match lang {
            Lang::En => format!("in {}", part(stage)),
            Lang::Zh => format!("{}阶段在孵", part(stage)),
        };
    }
    if let Some(stage) = name.strip_prefix("entered_stage.") {
        return match lang {
            Lang::En => format!("entered {}", part(stage)),
            Lang::Zh => format!("进入{}阶段", part(stage)),
        };
    }
    if let Some(stage) = name.strip_prefix("in_stage_average.") {
        return match lang {
            Lang::En => format!("average in {}", part(stage)),
            Lang::Zh => format!("{}阶段平均在途项目", part(stage)),
        };
    }
    if let Some(stage) = name.strip_prefix("stage_occupancy.") {
        return match lang {
            Lang::En => format!("{} slots in use", part(stage)),
            Lang::Zh => format!("{}阶段承载利用率", part(stage)),
        };
    }
    if let Some(stage) = name.strip_prefix("stage_queue.") {
        return match lang {
            Lang::En => format!("waiting for {}", part(stage)),
            Lang::Zh => format!("等待{}阶段的项目", part(stage)),
        };
    }
    if let Some(enclave) = name.strip_prefix("seat_occupancy.") {
        return match lang {
            Lang::En => format!("seat occupancy, {enclave}"),
            Lang::Zh => format!("工位使用率（{enclave}）"),
        };
    }
    if let Some(enclave) = name.strip_prefix("seat_queue.") {
        return match lang {
            Lang::En => format!("waiting for a seat, {enclave}"),
            Lang::Zh => format!("排队等待工位（{enclave}）"),
        };
    }
    if let Some(party) = name.strip_prefix("tax_yuan.") {
        return match lang {
            Lang::En => format!("tax to {}", part(party)),
            Lang::Zh => format!("{}分得税收", part(party)),
        };
    }
    if let Some(party) = name.strip_prefix("cost_yuan.") {
        return match lang {
            Lang::En => format!("cost to {}", part(party)),
            Lang::Zh => format!("{}承担成本", part(party)),
        };
    }
    if let Some(party) = name.strip_prefix("benefit_yuan.") {
        return match lang {
            Lang::En => format!("benefit to {}", part(party)),
            Lang::Zh => format!("{}所得收益", part(party)),
        };
    }
    name.to_string()
}

/// "Title: detail", with the colon of `lang` (full-width in Chinese).
pub fn titled(lang: Lang, title: &str, detail: &str) -> String {
    match lang {
        Lang::En => format!("{title}: {detail}"),
        Lang::Zh => format!("{title}：{detail}"),
    }
}

/// A stage's label in `lang`.
pub fn stage(lang: Lang, name: &str) -> String {
    known_stage(name).map_or_else(|| name.to_string(), |(en, zh)| lang.pick(en, zh).to_string())
}

/// How money is shown: English charts in million yuan, Chinese ones in 万元 (10^4).
pub fn money_scale(lang: Lang) -> (f64, &'static str) {
    crate::results::format::column("yuan", lang)
}

/// A unit as written in result files, in `lang`, with the divisor that turns values
/// into it (money is scaled by [`money_scale`]).
pub fn unit(lang: Lang, unit: &str) -> (f64, String) {
    if unit == "yuan" {
        let (scale, name) = money_scale(lang);
        return (scale, name.to_string());
    }
    let (en, zh) = match unit {
        "projects" => ("projects", "个项目"),
        "months" => ("months", "月"),
        "share" => ("share", "比例"),
        "seats" => ("seats", "个工位"),
        "jobs" => ("jobs", "个岗位"),
        "firms" => ("firms", "家企业"),
        "licences" => ("licences", "项许可"),
        "needs" => ("needs", "项需求"),
        "links" => ("links", "个合作关系"),
        other => return (1.0, other.to_string()),
    };
    (1.0, lang.pick(en, zh).to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every metric the model reports has its own words in both languages.
    #[test]
    fn every_metric_has_both_languages() {
        let text = std::fs::read_to_string("scenarios/dazu-chengdu.toml").unwrap();
        let sc = crate::scenario::Scenario::from_toml("dazu-chengdu.toml", &text).unwrap();
        let optional = crate::model::metrics::OPTIONAL.iter().map(|r| r.name.to_string());
        let names = crate::model::metrics::totals_for(&sc)
            .into_iter()
            .chain(crate::model::metrics::series(&sc))
            .map(|m| m.name)
            .chain(optional);
        for name in names {
            let (en, zh) = (metric(Lang::En, &name), metric(Lang::Zh, &name));
            assert!(!en.contains('_'), "{name} has no English label: `{en}`");
            assert_ne!(zh, en, "{name} has no Chinese label");
            assert!(zh.chars().any(|c| c as u32 >= 0x4E00), "{name}: `{zh}` is not Chinese");
        }
    }

    /// Optional totals (present only when a scenario switches their mechanism on) too.
    #[test]
    fn every_optional_total_has_both_languages() {
        for row in &crate::model::metrics::OPTIONAL {
            let (en, zh) = (metric(Lang::En, row.name), metric(Lang::Zh, row.name));
            assert!(!en.contains('_'), "{} has no English label: `{en}`", row.name);
            assert!(
                zh.chars().any(|c| c as u32 >= 0x4E00),
                "{}: `{zh}` is not Chinese",
                row.name
            );
            let (_, unit) = unit(Lang::Zh, row.unit);
            assert!(
                row.unit == "share" || unit.chars().any(|c| c as u32 >= 0x4E00),
                "{}: unit `{unit}` is not Chinese",
                row.name
            );
        }
    }

    #[test]
    fn languages_parse_and_refuse_others() {
        assert_eq!(Lang::parse("zh").unwrap(), Lang::Zh);
        assert_eq!(Lang::parse("EN").unwrap(), Lang::En);
        assert!(Lang::parse("fr").unwrap_err().contains("`fr`"));
    }
}
