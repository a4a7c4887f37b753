//! Every word a chart or report shows, in English and in Chinese. A label is one match
//! arm holding both languages, so a label cannot exist in one language only.

pub use crate::results::format::Lang;

/// Declares [`Word`] and [`Word::ALL`] from one list, so that no word can be left out
/// of the glossary's tests.
macro_rules! words {
    ($($word:ident),* $(,)?) => {
        /// Fixed words of charts and reports.
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        #[allow(missing_docs)] // each variant's words are its documentation
        pub enum Word {
            $($word),*
        }

        impl Word {
            /// Every word, for the glossary's tests.
            pub const ALL: &'static [Word] = &[$(Word::$word),*];
        }
    };
}

words! {
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
    ScatterTitle,
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
    Contents,
    CombinedReport,
    RunKind,
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
    OwnResults,
    MarginalTitle,
    MarginalColumn,
    MarginalBaseline,
    LeversSwept,
    MethodOat,
    MethodMorris,
    MethodSobol,
    AtLow,
    AtHigh,
    AtBase,
    MuStar,
    Mu,
    Sigma,
    FirstOrder,
    TotalOrder,
    ConvergenceTitle,
    SettingsTitle,
    ParetoTitle,
    AgainstBaseTitle,
    SettingsEvaluated,
    FeasibleSetting,
    InfeasibleSetting,
    BestSoFar,
    ParetoFront,
    RecommendedSetting,
    AsItIs,
    AtMost,
    AtLeast,
    ChangeFromBase,
    PercentagePoints,
    Optimization,
    Lever,
    RecommendedCol,
    NowCol,
    Status,
    Generation,
    Evaluation,
    Feasible,
    Finalists,
    EliminatedAfter,
    Chosen,
    Constraints,
    EvaluationsSheet,
    AgainstBaseSheet,
    BaseCol,
    Yes,
    No,
    OwnResultsOne,
}

impl Word {
    /// The word in `lang`.
    pub fn get(self, lang: Lang) -> &'static str {
        use Word::*;
        let (en, zh) = match self {
            LandingsTitle => ("Cumulative landings at home", "累计在飞出地落地的项目"),
            StagesTitle => ("Projects in each stage", "各阶段在途项目"),
            MoneyTitle => ("Home tax income against cost (cumulative)", "飞出地税收与投入（累计）"),
            PaybackTitle => (
                "Payback: share of replications paid back",
                "投入回收：已收回投入的模拟比例",
            ),
            FunnelTitle => ("Pipeline funnel (per replication)", "项目漏斗（每次模拟平均）"),
            LandingTimesTitle => ("Months from admission to landing", "从入驻到落地的月数"),
            ComparisonTitle => ("Comparison of alternatives", "方案比较"),
            DifferencesTitle => ("Paired differences (common random numbers)", "配对差值（共同随机数）"),
            HeatmapTitle => ("Two-lever sweep", "双参数扫描"),
            TornadoTitle => ("Which levers matter", "关键政策变量（敏感性）"),
            PosteriorTitle => ("Posterior of a calibrated parameter", "校准参数后验分布"),
            PointsTitle => ("Design points", "设计点"),
            ScatterTitle => ("Each lever against the result", "各政策变量与结果"),
            Month => ("months since the start", "运行月数"),
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
            Contents => ("Contents", "目录"),
            CombinedReport => ("Combined report", "综合报告"),
            RunKind => ("Simulation run", "模拟运行结果"),
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
            OwnResults => (
                "Each alternative's results (mean and 95 % CI)",
                "各方案结果（均值及95%置信区间）",
            ),
            MarginalTitle => (
                "Marginal cost of a real landing (paired differences)",
                "每多一个实际落地项目的边际成本（配对差值）",
            ),
            MarginalColumn => (
                "Outlay per extra real landing against the baseline",
                "相对基准每多一个实际落地的支出",
            ),
            MarginalBaseline => (
                "Every point ran on the same replications as the baseline point (common random numbers); the last column is the paired difference in home outlay over the paired difference in real landings, with its 95 % interval.",
                "所有设计点与基准点使用同样的模拟（共同随机数）；最后一列为飞出地投入的配对差值除以实际落地数的配对差值，括号内为95%置信区间。",
            ),
            LeversSwept => ("Levers varied and their values", "扫描的政策变量及取值"),
            MethodOat => ("one lever at a time", "单因素敏感性分析"),
            MethodMorris => ("Morris elementary effects", "Morris 基本效应法"),
            MethodSobol => ("Sobol variance shares", "Sobol 方差分解"),
            AtLow => ("result at the low value", "取低值时结果"),
            AtHigh => ("result at the high value", "取高值时结果"),
            AtBase => ("result at the baseline", "基准结果"),
            MuStar => ("mean absolute effect (μ*)", "平均绝对效应 (μ*)"),
            Mu => ("mean effect (μ)", "平均效应 (μ)"),
            Sigma => ("spread of effects (σ)", "效应离散度 (σ)"),
            FirstOrder => ("first-order share (95 % CI)", "一阶指数（95%置信区间）"),
            TotalOrder => ("total share (95 % CI)", "总效应指数（95%置信区间）"),
            ConvergenceTitle => ("Search progress, best value so far", "搜索进程与目前最优值"),
            SettingsTitle => ("Settings evaluated", "已评估方案"),
            ParetoTitle => (
                "Trade-off between the two objectives (Pareto front)",
                "两个目标的权衡（帕累托前沿）",
            ),
            AgainstBaseTitle => (
                "Recommended setting against the scenario as it is (paired differences, 95 % CI)",
                "推荐方案与现方案比较（配对差值，95%置信区间）",
            ),
            SettingsEvaluated => ("settings evaluated", "已评估方案数"),
            FeasibleSetting => ("setting within the constraints", "满足约束的方案"),
            InfeasibleSetting => ("setting outside a constraint", "不满足约束的方案"),
            BestSoFar => ("best so far (within the constraints)", "目前最优（满足约束）"),
            ParetoFront => ("Pareto front (95 % CI)", "帕累托前沿（95%置信区间）"),
            RecommendedSetting => ("recommended setting (95 % CI)", "推荐方案（95%置信区间）"),
            AsItIs => ("the scenario as it is", "现方案"),
            AtMost => ("at most", "不超过"),
            AtLeast => ("at least", "不低于"),
            ChangeFromBase => (
                "change from the scenario as it is (% of its value)",
                "相对现方案的变化（占现方案数值的百分比）",
            ),
            PercentagePoints => (" percentage points", "个百分点"),
            Optimization => ("Optimization", "政策优化"),
            Lever => ("lever", "政策变量"),
            RecommendedCol => ("recommended", "推荐值"),
            NowCol => ("now", "现值"),
            Status => ("status", "状态"),
            Generation => ("generation", "代"),
            Evaluation => ("setting", "方案序号"),
            Feasible => ("within the constraints", "满足约束"),
            Finalists => (
                "Finalists compared again on fresh replications (Kim–Nelson)",
                "入围方案以新模拟再次比较（Kim–Nelson 方法）",
            ),
            EliminatedAfter => ("eliminated after (replications)", "淘汰时模拟次数"),
            Chosen => ("chosen", "入选"),
            Constraints => ("Constraints", "约束条件"),
            EvaluationsSheet => ("Settings evaluated", "已评估方案"),
            AgainstBaseSheet => ("Against as it is", "与现方案比较"),
            BaseCol => ("as it is", "现方案"),
            Yes => ("yes", "是"),
            No => ("no", "否"),
            OwnResultsOne => ("Its results (mean and 95 % CI)", "推荐方案结果（均值及95%置信区间）"),
        };
        lang.pick(en, zh)
    }
}

/// Words for the fixed metric names of result files; `None` for names feidi does not know.
fn known_metric(name: &str) -> Option<(&'static str, &'static str)> {
    Some(match name {
        "host_candidates" => ("candidates in host cities", "飞入地候选项目"),
        "candidates" => ("candidates met", "接触的候选项目"),
        "rejected" => ("screened out", "筛选淘汰"),
        "admitted" => ("admitted", "入驻项目"),
        "turned_away" => ("turned away", "因满员未入驻"),
        "landed_home" => ("landed at home (real + paper)", "落地飞出地（实际+空壳注册）"),
        "leaked_host" => ("settled in the host city", "留在飞入地"),
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
        "landed_home_paper" => ("paper landings (shells)", "空壳注册"),
        "output_yuan" => ("output", "产值"),
        "tax_yuan" => ("tax, all parties", "税收（各方合计）"),
        "home_tax_yuan" => ("home tax income", "飞出地税收"),
        "jobs" => ("jobs", "就业岗位"),
        "cost_yuan" => ("home cost", "飞出地投入"),
        "subsidy_yuan" => ("landing subsidies", "落地补贴"),
        "cost_per_real_landing_yuan" => ("cost per real landing", "每个实际落地成本"),
        "payback_month" => ("payback period", "投入回收期"),
        "paid_back" => ("paid back", "已收回投入"),
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
        "relocations_in" => ("firms relocated home", "迁入飞出地企业"),
        "relocations_out" => ("firms relocated away", "迁出飞出地企业"),
        "relocation_output_in_yuan" => ("output of firms relocated home", "迁入企业产值"),
        "relocation_output_out_yuan" => ("output of firms relocated away", "迁出企业产值"),
        "relocation_tax_yuan" => ("relocated firms' tax increment", "迁移企业税收增量"),
        "relocation_home_tax_yuan" => ("home share of relocated firms' tax", "迁移企业税收分成：飞出地"),
        "licences" => ("licences to home firms", "技术许可"),
        "licence_value_yuan" => ("licence value", "技术许可价值"),
        "licence_home_tax_yuan" => ("home tax on licences", "技术许可飞出地税收"),
        "challenge_needs_posted" => ("needs posted (challenge rounds)", "揭榜挂帅发榜需求"),
        "challenge_needs_solved" => ("needs solved (challenge rounds)", "揭榜挂帅解决需求"),
        "challenge_awards_yuan" => ("challenge awards", "揭榜挂帅奖励"),
        "challenge_value_yuan" => ("value of solved needs", "揭榜挂帅需求价值"),
        "breakdown_month" => ("month of breakdown", "合作中断时点（运行月数）"),
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

/// Words for the stage names the documentation and shipped scenarios use.
pub fn known_stage(name: &str) -> Option<(&'static str, &'static str)> {
    Some(match name {
        "incubation" => ("incubation", "孵化"),
        "acceleration" => ("acceleration", "加速"),
        "pilot" => ("pilot", "中试"),
        "industrialization" => ("industrialization", "产业化"),
        "rnd" | "research" | "r_and_d" => ("R&D", "研发"),
        "proof_of_concept" => ("proof of concept", "概念验证"),
        "prototype" => ("prototype", "样机"),
        "trial_production" => ("trial production", "试产"),
        "scale_up" => ("scale-up", "放大生产"),
        "mass_production" | "production" => ("production", "量产"),
        _ => return None,
    })
}

/// Words for the sectors the shipped scenarios name (`sectors`, `fit`, a flow's
/// `sector`); a sector feidi has no words for is shown as the file writes it.
pub fn known_sector(name: &str) -> Option<(&'static str, &'static str)> {
    Some(match name {
        "precision-manufacturing" => ("precision manufacturing", "精密制造"),
        "intelligent-equipment" => ("intelligent equipment", "智能装备"),
        "auto-parts" => ("auto parts", "汽车零部件"),
        "digital" | "digital-economy" => ("digital economy", "数字经济"),
        "ic-iot" => ("integrated circuits and IoT", "集成电路与物联网"),
        "nev-smart-auto" => ("new-energy and smart vehicles", "新能源智能汽车"),
        "robotics" => ("robotics", "机器人"),
        "medical-devices" => ("medical devices", "医疗器械"),
        "biomedicine" => ("biomedicine", "生物医药"),
        "optoelectronics" => ("optoelectronics", "光电"),
        "new-materials" => ("new materials", "新材料"),
        "new-energy" => ("new energy", "新能源"),
        "life-health" => ("life and health", "生命健康"),
        "electronic-information" => ("electronic information", "电子信息"),
        "semiconductors" => ("semiconductors", "半导体"),
        "environmental-tech" => ("environmental technology", "环保技术"),
        _ => return None,
    })
}

/// A fixed metric's label in `lang`; other names (the per-stage and per-party families,
/// which need the scenario's stages and parties: see [`super::names::Names::metric`])
/// are shown as they are written.
pub fn metric(lang: Lang, name: &str) -> String {
    known_metric(name).map_or_else(|| name.to_string(), |(en, zh)| lang.pick(en, zh).to_string())
}

/// "Title: detail", with the colon of `lang` (full-width in Chinese).
pub fn titled(lang: Lang, title: &str, detail: &str) -> String {
    match lang {
        Lang::En => format!("{title}: {detail}"),
        Lang::Zh => format!("{title}：{detail}"),
    }
}

/// The Chinese meaning of a fixed metric (result files give the English one).
pub fn description_zh(name: &str) -> Option<&'static str> {
    Some(match name {
        "host_candidates" => "飞入地出现的候选项目（常规来源与招引活动）",
        "candidates" => "飞地招引人员接触到的候选项目",
        "rejected" => "未达入驻门槛而被筛除的候选项目",
        "admitted" => "入驻飞地工位的项目",
        "turned_away" => "因工位已满未能入驻或等待中放弃的项目",
        "landed_home" => "飞出地上报的落地项目：实际落地加空壳注册",
        "leaked_host" => "留在飞入地发展的项目",
        "leaked_elsewhere" => "流向第三地的项目",
        "failed" => "在某一阶段失败的项目",
        "completed" => "走完全部阶段的项目",
        "in_progress" => "期末仍在排队或处于某一阶段的在途项目",
        "landing_rate" => "落地飞出地的项目占入驻项目的比例",
        "months_to_landing" => "从入驻到落地的平均月数",
        "seat_occupancy" => "已开放工位的时间平均使用率",
        "seats_busy" => "时间平均的在用工位数",
        "seat_queue" => "时间平均的排队等待工位的项目数",
        "queue_wait_months" => "获得工位的项目平均等待月数",
        "seat_months" => "项目平均占用工位的月数",
        "landed_home_real" => "实际落地：进入飞出地第一个阶段的项目",
        "landed_home_paper" => "空壳注册：为完成考核指标注册、没有产值的企业",
        "output_yuan" => "模拟期内产业化企业的产值",
        "tax_yuan" => "上述产值的税收，各方合计",
        "home_tax_yuan" => "税收分成中飞出地所得部分",
        "jobs" => "期末产业化企业提供的就业岗位",
        "cost_yuan" => "飞出地财政投入：租金、运营费、落地补贴、创新券、基金损失",
        "subsidy_yuan" => "支付的落地补贴（实际落地与空壳注册）",
        "cost_per_real_landing_yuan" => "每个实际落地项目的财政投入",
        "payback_month" => "飞出地税收累计覆盖财政投入所需的月数（仅计已收回投入的模拟）",
        "paid_back" => "模拟期内收回财政投入的模拟次数占比",
        "stranded" => "合作中断、飞地关闭时滞留的项目",
        "fund_deployed_yuan" => "基金投出的政府资金",
        "social_capital_yuan" => "同时撬动的社会资本",
        "return_investment_yuan" => "被投企业落地时带回飞出地的返投资金",
        "fund_losses_yuan" => "被投企业失败造成的政府资金损失",
        "fund_investments" => "基金投资的项目数",
        "lost_to_rivals" => "被接触后选择了竞争飞地的候选项目",
        "vouchers_yuan" => "发放的创新券金额",
        "voucher_projects" => "获得创新券的项目",
        "months_to_landing_histogram" => "按入驻至落地所用月数统计的实际落地项目数",
        "blocked" => "因工位全部占满而当即未能入驻的候选项目",
        "abandoned" => "排队等待工位时放弃的候选项目",
        "blocked_share" => "当即未能入驻的项目占申请工位项目的比例",
        "abandoned_share" => "排队放弃的项目占申请工位项目的比例",
        "queued_share" => "入驻前需要排队的项目占入驻项目的比例",
        "operator_landing_fees_yuan" => "按实际落地项目支付给运营方的绩效费（计入财政投入）",
        "relocations_in" => "迁入飞出地的成熟企业数",
        "relocations_out" => "迁出飞出地的成熟企业数",
        "relocation_output_in_yuan" => "迁入飞出地企业自迁入起的产值",
        "relocation_output_out_yuan" => "迁出飞出地企业在迁入地的产值",
        "relocation_tax_yuan" => "迁移企业的税收增量，各方合计（计入税收）",
        "relocation_home_tax_yuan" => "迁移企业税收增量中飞出地所得部分",
        "licences" => "留在飞入地的项目向飞出地企业许可的技术成果数",
        "licence_value_yuan" => "上述技术许可对飞出地企业的价值",
        "licence_home_tax_yuan" => "技术许可价值在飞出地产生的税收",
        "challenge_needs_posted" => "飞出地企业在揭榜挂帅中发布的技术需求",
        "challenge_needs_solved" => "飞入地团队揭榜并通过验收的需求",
        "challenge_awards_yuan" => "飞出地为已解决需求支付的奖励（计入财政投入）",
        "challenge_value_yuan" => "已解决需求对飞出地企业的价值",
        "breakdown_month" => "首次合作中断的时点（仅计发生中断的模拟）",
        "breakdowns" => "模拟期内合作中断的合作关系数",
        "cooperation_months" => "模拟期内合作持续的月数（各合作关系合计）",
        "talent_cost_yuan" => "专家、通勤与联合培养研究生的人才项目支出（计入财政投入）",
        "graduate_candidates" => "联合培养研究生带到飞地的候选项目",
        "risk_fund_paid_yuan" => "风险共担基金支付的金额（不超过基金规模）",
        "risk_fund_compensation_yuan" => "风险共担基金对落地前失败项目投资方的补偿",
        "follow_on_capital_yuan" => "被投企业落地后后续轮次引入的社会资本",
        "fund_exits" => "基金到期退出的被投项目数",
        "fund_exit_proceeds_yuan" => "基金退出收回的政府资金",
        "fund_held_yuan" => "期末基金仍在投的政府资金",
        "listings" => "退出时实现上市的被投企业数",
        "return_quota_met" => "基金返投任务的完成比例",
        _ => return None,
    })
}

/// How money is shown: English charts in million yuan, Chinese ones in 万元 (10^4).
pub fn money_scale(lang: Lang) -> (f64, &'static str) {
    crate::results::format::column("yuan", lang)
}

/// A unit as written in result files, in `lang`, with the divisor that turns values
/// into it ([`crate::results::format::column`]: money in million yuan or 万元, shares
/// in percent).
pub fn unit(lang: Lang, unit: &str) -> (f64, String) {
    let (scale, words) = crate::results::format::column(unit, lang);
    if words.is_empty() {
        (scale, unit.to_string())
    } else {
        (scale, words.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::plot::names::{self, Names};

    /// Whether `text` holds a Chinese character.
    fn chinese(text: &str) -> bool {
        text.chars().any(|c| (0x4E00..=0x9FFF).contains(&(c as u32)))
    }

    /// Every shipped scenario: its path and text.
    fn shipped() -> Vec<(String, String)> {
        let mut out = Vec::new();
        for dir in [
            "scenarios",
            "scenarios/compare",
            "scenarios/bench",
            "scenarios/examples",
        ] {
            let mut paths: Vec<_> = std::fs::read_dir(dir)
                .unwrap()
                .map(|e| e.unwrap().path())
                .filter(|p| p.extension().is_some_and(|e| e == "toml"))
                .collect();
            paths.sort();
            for p in paths {
                out.push((p.display().to_string(), std::fs::read_to_string(&p).unwrap()));
            }
        }
        assert!(out.len() >= 7, "the shipped scenarios were not found");
        out
    }

    /// The glossary: every metric of every shipped scenario (each fixed `Total`, the tax
    /// of each party, the projects entering and in each stage, every series), with its
    /// unit and meaning, has words of its own in both languages, and no Chinese label
    /// holds an English id (`taicang分得税收`, `进入rnd阶段`).
    #[test]
    fn every_metric_unit_and_meaning_has_both_languages() {
        for (path, text) in shipped() {
            let sc = crate::scenario::Scenario::from_toml(&path, &text).unwrap();
            let names = Names::from_scenario(&text);
            let metrics = crate::model::metrics::totals_for(&sc)
                .into_iter()
                .chain(crate::model::metrics::series(&sc));
            for m in metrics {
                let name = &m.name;
                let (en, zh) = (names.metric(Lang::En, name), names.metric(Lang::Zh, name));
                assert!(!en.contains('_'), "{path}: {name} has no English label: `{en}`");
                assert!(chinese(&zh), "{path}: {name}: `{zh}` is not Chinese");
                assert!(
                    !zh.chars().any(|c| c.is_ascii_alphabetic()),
                    "{path}: {name}: the Chinese label `{zh}` holds an English id"
                );
                let meaning = names.description(Lang::Zh, name, &m.description);
                // The series' own meanings ("… (cumulative)") share their totals' words.
                let meaning = if meaning == m.description {
                    names.description(Lang::Zh, name, "")
                } else {
                    meaning
                };
                assert!(chinese(&meaning), "{path}: {name} has no Chinese meaning");
                assert!(
                    !meaning.chars().any(|c| c.is_ascii_alphabetic()),
                    "{path}: {name}: the Chinese meaning `{meaning}` holds an English id"
                );
                let (en_unit, zh_unit) = (unit(Lang::En, m.unit).1, unit(Lang::Zh, m.unit).1);
                assert!(!en_unit.is_empty(), "{path}: {name}: unit `{}` has no words", m.unit);
                assert!(
                    zh_unit == "%" || chinese(&zh_unit),
                    "{path}: {name}: unit `{}` has no Chinese words: `{zh_unit}`",
                    m.unit
                );
            }
        }
    }

    /// The articles' own words are the glossary's: 飞出地 and 飞入地 for home and host, 在途
    /// projects, 空壳注册, 投入回收期, 运行月数 on time axes, 关键政策变量, 税收分成; and the
    /// words the issue found wrong are gone.
    #[test]
    fn the_glossary_uses_the_planners_terms() {
        let names = Names::default();
        let zh = |m: &str| names.metric(Lang::Zh, m);
        assert_eq!(zh("home_tax_yuan"), "飞出地税收");
        assert_eq!(zh("leaked_host"), "留在飞入地");
        assert_eq!(zh("in_stage.pilot"), "中试阶段在途项目");
        assert_eq!(zh("landed_home_paper"), "空壳注册");
        assert_eq!(zh("payback_month"), "投入回收期");
        assert_eq!(zh("tax_yuan.home"), "税收分成：飞出地");
        assert_eq!(zh("tax_yuan.host"), "税收分成：飞入地");
        assert_eq!(Word::Month.get(Lang::Zh), "运行月数");
        assert!(Word::TornadoTitle.get(Lang::Zh).contains("关键政策变量"));
        assert_eq!(unit(Lang::Zh, "share"), (0.01, "%".to_string()));
        let mut all = String::new();
        for w in Word::ALL {
            all.push_str(w.get(Lang::Zh));
        }
        for (path, text) in shipped() {
            let sc = crate::scenario::Scenario::from_toml(&path, &text).unwrap();
            let names = Names::from_scenario(&text);
            for m in crate::model::metrics::totals_for(&sc) {
                all.push_str(&names.metric(Lang::Zh, &m.name));
                all.push_str(&names.description(Lang::Zh, &m.name, &m.description));
            }
        }
        for wrong in ["家乡", "所在城市", "在孵", "挂名", "回本", "月份", "扇形", "杠杆"] {
            assert!(!all.contains(wrong), "the glossary still says {wrong}");
        }
    }

    /// Every chart and report word, and every kind of stage, has both languages.
    #[test]
    fn every_word_title_and_stage_kind_has_both_languages() {
        for w in Word::ALL {
            let (en, zh) = (w.get(Lang::En), w.get(Lang::Zh));
            assert!(!en.is_empty(), "{w:?} has no English");
            assert!(chinese(zh) || zh == en, "{w:?} has no Chinese: `{zh}`");
        }
        for w in Word::ALL.iter().filter(|w| format!("{w:?}").ends_with("Title")) {
            assert!(chinese(w.get(Lang::Zh)), "the chart title {w:?} has no Chinese");
            assert_ne!(w.get(Lang::En), w.get(Lang::Zh), "{w:?}");
        }
        for kind in ["enclave", "host", "home"] {
            let (en, zh) = (
                names::place(Lang::En, kind).unwrap(),
                names::place(Lang::Zh, kind).unwrap(),
            );
            assert!(!en.is_empty() && chinese(zh), "{kind}");
        }
    }

    /// Every setting the documentation lists in section 2 (each a lever a sweep,
    /// calibration or comparison can vary) has a planner's name in both languages, and
    /// the name never shows the key path.
    #[test]
    fn every_documented_setting_has_a_name_in_both_languages() {
        let docs = std::fs::read_to_string("docs/scenario.md").unwrap();
        let start = docs.find("\n## 2.").unwrap();
        let end = docs.find("\n## 3.").unwrap();
        let mut section = String::new();
        let mut checked = 0;
        for line in docs[start..end].lines() {
            if line.starts_with("###") {
                // The first section named in backticks: `[[city]]`, `[enclave.operator]`.
                if let Some(name) = line.split('`').nth(1) {
                    let name = name.trim_matches(['[', ']']);
                    section = name.rsplit('.').next().unwrap_or(name).to_string();
                }
            } else if line.starts_with("| key | multiplies") {
                section = "weights".to_string();
            }
            let Some(key) = line.strip_prefix("| `").and_then(|l| l.split('`').next()) else {
                continue;
            };
            if !key
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
            {
                continue;
            }
            let words = names::setting(&format!("{section}.{key}"));
            let (en, zh) = words.unwrap_or_else(|| panic!("`{section}.{key}` has no words"));
            assert!(!en.contains('_') && chinese(zh), "`{section}.{key}`: `{en}` / `{zh}`");
            checked += 1;
        }
        assert!(checked > 90, "only {checked} settings were found in docs/scenario.md");
        // Every lever a shipped sweep or calibration varies is named without its path.
        let names = Names::from_scenario(&std::fs::read_to_string("scenarios/dazu-chengdu.toml").unwrap());
        for dir in ["scenarios/sweeps", "scenarios/calibration"] {
            for entry in std::fs::read_dir(dir).unwrap() {
                let text = std::fs::read_to_string(entry.unwrap().path()).unwrap();
                for line in text.lines().filter(|l| l.trim_start().starts_with("path")) {
                    let path = line.split('"').nth(1).unwrap();
                    for lang in [Lang::En, Lang::Zh] {
                        let shown = names.lever(lang, path);
                        assert!(
                            !shown.contains('[') && !shown.contains('_') && !shown.contains(path),
                            "{path} is shown as `{shown}`"
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn languages_parse_and_refuse_others() {
        assert_eq!(Lang::parse("zh").unwrap(), Lang::Zh);
        assert_eq!(Lang::parse("EN").unwrap(), Lang::En);
        assert!(Lang::parse("fr").unwrap_err().contains("`fr`"));
    }
}
