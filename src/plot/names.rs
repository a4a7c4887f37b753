//! Display names of one results directory's own things, in English and Chinese: the
//! settings a sweep, calibration or comparison varies (a key path such as
//! `city[1].landing_subsidy_yuan` becomes "Landing subsidy, Dazu" and "大足落地补贴"),
//! the stages and tax-sharing parties inside metric names, and alternatives by their
//! scenario titles. Key paths and file ids are never shown to a reader.
//!
//! The names come from the scenario file the results were made from (saved beside a
//! run's and each alternative's results, found through the sweep file for a sweep) and
//! fall back to generic words ("city 2", "第3阶段") when the file is not at hand.

use super::labels::{self, Lang, Word};

/// A text in both languages.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Text {
    /// English.
    pub en: String,
    /// Chinese.
    pub zh: String,
}

impl Text {
    /// The same words in both languages.
    pub fn same(text: &str) -> Text {
        Text {
            en: text.to_string(),
            zh: text.to_string(),
        }
    }

    /// The text in `lang`.
    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::En => &self.en,
            Lang::Zh => &self.zh,
        }
    }
}

/// Whether `c` is a Chinese character or Chinese (full-width) punctuation.
fn is_cjk(c: char) -> bool {
    matches!(c as u32, 0x3000..=0x303F | 0x3400..=0x9FFF | 0xF900..=0xFAFF | 0xFF00..=0xFFEF)
}

/// Splits a name written in both languages, as scenario files write them ("大足 Dazu",
/// "Dazu enclave in Chengdu 大足—成都科创飞地", "丽水飞地天使基金 (angel fund)"), into
/// its first English run and its first Chinese run. A name in one language is both.
pub fn bilingual(text: &str) -> Text {
    #[derive(Clone, Copy, PartialEq)]
    enum Kind {
        Latin,
        Chinese,
    }
    // Each letter or Chinese character starts or continues a run; spaces, digits and
    // punctuation join the run of the next letter, closing marks the run before them.
    let mut runs: Vec<(Kind, String)> = Vec::new();
    let mut pending = String::new();
    for c in text.chars() {
        let kind = if c.is_alphabetic() && !is_cjk(c) {
            Some(Kind::Latin)
        } else if is_cjk(c) && (c.is_alphabetic() || c.is_numeric()) {
            Some(Kind::Chinese)
        } else {
            None
        };
        match kind {
            Some(kind) => {
                match runs.last_mut() {
                    Some((k, run)) if *k == kind => {
                        run.push_str(&pending);
                        run.push(c);
                    }
                    _ => runs.push((kind, format!("{pending}{c}"))),
                }
                pending.clear();
            }
            None if matches!(
                c,
                ')' | ']' | ',' | '.' | ';' | ':' | '）' | '，' | '。' | '、' | '；' | '：'
            ) && pending.trim().is_empty() =>
            {
                match runs.last_mut() {
                    Some((_, run)) => run.push(c),
                    None => pending.push(c),
                }
            }
            None => pending.push(c),
        }
    }
    let first = |kind: Kind| {
        runs.iter()
            .find(|(k, _)| *k == kind)
            .map(|(_, run)| tidy(run))
            .filter(|run| !run.is_empty())
    };
    let whole = text.trim();
    match (first(Kind::Latin), first(Kind::Chinese)) {
        (Some(en), Some(zh)) => Text { en, zh },
        _ => Text::same(whole),
    }
}

/// A run without surrounding spaces, trailing separators or brackets left unmatched.
fn tidy(run: &str) -> String {
    let mut text: String = run
        .trim()
        .trim_end_matches([',', ';', ':', '，', '；', '：', '、'])
        .trim()
        .to_string();
    for (open, close) in [('(', ')'), ('（', '）'), ('[', ']')] {
        let opens = text.matches(open).count();
        let closes = text.matches(close).count();
        if opens != closes {
            text = text.replace([open, close], "");
        }
    }
    let text = text.trim();
    // A run wholly in brackets ("(angel fund)") is the name itself.
    let inner = text
        .strip_prefix('(')
        .and_then(|t| t.strip_suffix(')'))
        .filter(|t| !t.contains(['(', ')']));
    inner.unwrap_or(text).trim().to_string()
}

/// Where a stage happens, as a scenario's `place` says: the words for a stage's kind.
pub fn place(lang: Lang, place: &str) -> Option<&'static str> {
    let (en, zh) = match place {
        "enclave" => ("in the enclave", "飞地内"),
        "host" => ("in the host city", "飞入地"),
        "home" => ("at home", "飞出地"),
        _ => return None,
    };
    Some(lang.pick(en, zh))
}

/// Words for a tax-sharing party the documentation names; other parties are shown as
/// written in English and by their place in the split in Chinese.
fn known_party(name: &str) -> Option<(&'static str, &'static str)> {
    Some(match name {
        "home" => ("home city", "飞出地"),
        "host" => ("host city", "飞入地"),
        "province" => ("province", "省级"),
        "social_capital" => ("social capital", "社会资本"),
        "third" => ("third party", "第三方"),
        "other" => ("other parties", "其他方"),
        "central" => ("central government", "中央"),
        _ => return None,
    })
}

/// Whether `text` is written in Chinese (so it can stand in a Chinese label as it is).
fn has_chinese(text: &str) -> bool {
    text.chars().any(|c| (c as u32) >= 0x3400)
}

/// The words of one setting of a scenario file, by its section and key: "section.key"
/// (`city.landing_subsidy_yuan`, `operator.admission_bar`, `weights.subsidy`).
pub fn setting(section_key: &str) -> Option<(&'static str, &'static str)> {
    Some(match section_key {
        "scenario.horizon" => ("horizon", "模拟时长"),
        "scenario.candidate_limit" => ("candidate limit", "候选项目上限"),
        "scenario.bin" => ("time bin", "统计时段"),
        "scenario.warmup" => ("warm-up", "预热期"),
        "scenario.start_month" => ("start month", "起始月份"),
        "scenario.drain" => ("run until empty", "期末排空"),
        "scenario.sectors" => ("sectors", "产业领域"),
        "scenario.name" | "city.name" | "enclave.name" | "burst.name" | "stage.name" | "fund.name" => ("name", "名称"),
        "scenario.title" => ("title", "标题"),
        "city.id" | "enclave.id" => ("id", "代码"),
        "city.role" => ("role", "角色"),
        "city.province" => ("province", "所在省份"),
        "city.metro" => ("metropolitan area", "都市圈"),
        "city.fit" => ("industrial fit", "产业匹配度"),
        "city.capacity" => ("home capacity", "承接能力"),
        "city.landing_subsidy_yuan" => ("landing subsidy", "落地补贴"),
        "city.registration_target" => ("registration target", "注册考核指标"),
        "city.rival_enclaves" => ("rival enclaves", "竞争飞地数"),
        "city.rival_attractiveness" => ("rival enclaves' attractiveness", "竞争飞地吸引力"),
        "link.home" => ("home city", "飞出地"),
        "link.host" | "flow.host" | "burst.host" | "enclave.host" => ("host city", "飞入地"),
        "link.travel_time" => ("travel time", "通勤时间"),
        "link.same_city_treatment" => ("same-city treatment", "同城待遇"),
        "link.breakdown_hazard" => ("breakdown hazard", "合作中断风险"),
        "link.breakdown_at" => ("breakdown date", "合作中断时间"),
        "enclave.owner" | "fund.owner" | "voucher.owner" => ("owner", "出资城市"),
        "enclave.seats" => ("seats", "工位数"),
        "enclave.floor_area_m2" => ("floor area", "面积"),
        "enclave.area_per_seat_m2" => ("area per seat", "每工位面积"),
        "enclave.rent_yuan_per_m2_month" => ("rent", "租金"),
        "enclave.opens" => ("opening month", "启用时间"),
        "enclave.open" => ("open", "是否运营"),
        "enclave.sectors" => ("sectors scouted", "招引领域"),
        "enclave.reach" => ("reach", "招引覆盖率"),
        "enclave.attractiveness" => ("attractiveness", "吸引力"),
        "enclave.lock_in_share" => ("share under equity lock-in", "股权绑定比例"),
        "enclave.when_full" | "stage.when_full" => ("when full", "满员处理"),
        "enclave.patience" | "stage.patience" => ("patience", "等待耐心"),
        "enclave.operator" => ("operator", "运营方"),
        "operator.model" => ("operating model", "运营模式"),
        "operator.model_defaults" => ("operating model's defaults", "运营模式默认值"),
        "operator.scouting_noise" => ("operator's scouting noise", "运营方识别误差"),
        "operator.admission_bar" => ("admission bar", "入驻门槛"),
        "operator.fee_yuan_per_month" => ("operator's monthly fee", "运营月费"),
        "operator.occupancy_drift" => ("occupancy drift", "地产化倾向"),
        "operator.reach_factor" => ("operator's reach factor", "运营方招引系数"),
        "operator.services_boost" => ("operator's services", "运营服务成效"),
        "operator.fee_yuan_per_seat_year" => ("operator's fee per seat", "每工位年服务费"),
        "operator.fee_yuan_per_landing" => ("operator's fee per landing", "每项目落地服务费"),
        "city.talent" => ("talent programmes", "人才项目"),
        "city.experts" => ("Sunday engineers", "周末工程师人数"),
        "city.boost_per_100_experts" => ("experts' effect per 100", "每百名专家成效"),
        "city.max_boost" => ("experts' largest effect", "专家成效上限"),
        "city.cost_yuan_per_expert_year" => ("cost per expert", "每名专家年费用"),
        "city.commuters" => ("cross-city commuters", "跨城通勤人数"),
        "city.pull_per_1000_commuters" => ("commuters' pull per 1,000", "每千名通勤者吸引力"),
        "city.cost_yuan_per_commuter_year" => ("cost per commuter", "每名通勤者年费用"),
        "city.graduates_per_year" => ("jointly trained graduates", "联合培养研究生人数"),
        "city.graduate_project_share" => ("graduates bringing a project", "研究生带项目比例"),
        "city.cost_yuan_per_graduate" => ("cost per graduate", "每名研究生费用"),
        "city.graduate_sector" => ("graduates' sector", "研究生项目领域"),
        "link.governance" => ("governance", "合作治理"),
        "link.body" => ("coordination body", "协调机构"),
        "link.gdp_share_host" => ("host's GDP statistics share", "飞入地GDP统计分成"),
        "link.expected_host_share" => ("host's expected share", "飞入地预期分成"),
        "link.fairness_sensitivity" => ("sensitivity to fairness", "分成公平敏感度"),
        "link.hazard_factors" => ("bodies' effect on breakdowns", "协调机构对中断风险的作用"),
        "link.barrier_factors" => ("bodies' effect on barriers", "协调机构对行政壁垒的作用"),
        "weights.risk_cover" => ("weight of risk cover", "风险保障权重"),
        "economics.party_totals" => ("totals by party", "分主体核算"),
        "economics.party_names" => ("parties' names", "分成方名称"),
        "fund.return_quota" => ("return-investment quota", "返投任务倍数"),
        "fund.follow_on" => ("follow-on round", "后续轮次融资"),
        "fund.exit_after" => ("time to exit", "退出期限"),
        "fund.exit_multiple" => ("exit multiple", "退出回报倍数"),
        "fund.listing_chance" => ("listing chance", "上市概率"),
        "relocation.name" | "challenge.name" => ("name", "名称"),
        "relocation.from" => ("moving from", "迁出城市"),
        "relocation.to" => ("moving to", "迁入城市"),
        "relocation.rate" => ("relocation rate", "企业迁移速率"),
        "relocation.at" => ("relocation dates", "企业迁移时间"),
        "relocation.output" => ("relocated firms' output", "迁移企业产值"),
        "relocation.ramp_up" => ("relocated firms' ramp-up", "迁移企业达产期"),
        "relocation.tax_split" => ("relocation tax split", "迁移企业税收分成"),
        "transfer.licence_chance" => ("licence chance", "技术许可概率"),
        "transfer.licence_value_yuan" => ("licence value", "技术许可价值"),
        "transfer.tax_rate" => ("tax rate on licences", "技术许可税率"),
        "challenge.owner" => ("posting city", "发榜城市"),
        "challenge.at" => ("posting dates", "发榜时间"),
        "challenge.needs" => ("needs posted", "发榜需求数"),
        "challenge.award_yuan" => ("award per need", "每项需求奖励"),
        "challenge.solve_chance" => ("chance a need is solved", "揭榜成功概率"),
        "challenge.solve_within" => ("time to solve", "攻关期限"),
        "challenge.value_yuan" => ("value of a solved need", "需求解决价值"),
        "risk_fund.shares" => ("risk fund shares", "风险基金出资比例"),
        "risk_fund.size_yuan" => ("risk fund size", "风险基金规模"),
        "risk_fund.cover" => ("risk fund cover", "风险补偿比例"),
        "risk_fund.loss_per_failure_yuan" => ("loss per failed project", "每个失败项目损失"),
        "risk_fund.subsidy_cover" => ("risk fund's share of subsidies", "风险基金分担补贴比例"),
        "flow.sector" | "burst.sector" => ("sector", "产业领域"),
        "flow.rate" => ("arrival rate", "项目到达率"),
        "flow.seasonality" => ("seasonality", "季节性"),
        "flow.quality_mean" | "burst.quality_mean" => ("mean quality", "平均质量"),
        "flow.quality_sd" | "burst.quality_sd" => ("quality spread", "质量离散度"),
        "burst.size" => ("size", "项目数"),
        "burst.at" | "change.at" => ("date", "时间"),
        "burst.every" => ("interval", "间隔"),
        "burst.start" => ("first date", "首次时间"),
        "burst.enclave" => ("enclave", "承办飞地"),
        "stage.place" => ("place", "所在地"),
        "stage.duration" => ("duration", "时长"),
        "stage.success" => ("success chance", "成功率"),
        "stage.quality_effect" => ("effect of quality", "质量影响"),
        "landing.enabled" => ("landing choice on", "落地选择"),
        "landing.home_constant" => ("landing score at home", "落地飞出地基础得分"),
        "landing.host_constant" => ("landing score in the host city", "留在飞入地基础得分"),
        "landing.elsewhere_constant" => ("landing score elsewhere", "流向其他城市基础得分"),
        "landing.weights" => ("landing choice weights", "落地选择权重"),
        "weights.subsidy" => ("weight of the landing subsidy", "落地补贴权重"),
        "weights.lock_in" => ("weight of the equity lock-in", "股权绑定权重"),
        "weights.fit" => ("weight of industrial fit", "产业匹配度权重"),
        "weights.travel" => ("weight of travel time", "通勤时间权重"),
        "weights.barrier" => ("weight of the administrative barrier", "行政壁垒权重"),
        "weights.same_city" => ("weight of same-city treatment", "同城待遇权重"),
        "weights.free_capacity" => ("weight of free home capacity", "承接空间权重"),
        "economics.output" => ("output per firm", "单个企业产值"),
        "economics.ramp_up" => ("ramp-up time", "达产时间"),
        "economics.tax_rate" => ("tax rate", "税率"),
        "economics.jobs_per_million_yuan" => ("jobs per million yuan of output", "每百万元产值就业"),
        "economics.tax_split" => ("tax split", "税收分成"),
        "tax_split.home_floating" => ("floating home share of the tax split", "税收分成浮动比例"),
        "fund.size_yuan" => ("fund size", "基金规模"),
        "fund.government_share" => ("government share", "政府出资比例"),
        "fund.ticket_yuan" => ("ticket size", "单笔投资额"),
        "fund.stage" | "voucher.stage" => ("stage", "适用阶段"),
        "fund.selection_bar" => ("selection bar", "投资门槛"),
        "fund.scouting_noise" => ("fund's scouting noise", "基金识别误差"),
        "fund.return_clause" => ("return-investment clause", "返投条款比例"),
        "fund.return_multiple" => ("return-investment multiple", "返投倍数"),
        "voucher.budget_yuan" => ("voucher budget", "创新券预算"),
        "voucher.amount_yuan" => ("voucher amount", "每张创新券金额"),
        "voucher.success_boost" => ("voucher's effect on success", "创新券成功率提升"),
        "voucher.duration_factor" => ("voucher's effect on duration", "创新券时长系数"),
        "change.set" => ("what changes", "调整内容"),
        _ => return None,
    })
}

/// The words of each kind of entity, for one that has no name: "city 2", "城市2".
fn entity_kind(section: &str) -> (&'static str, &'static str) {
    match section {
        "city" => ("city", "城市"),
        "link" => ("link", "城市关系"),
        "enclave" => ("enclave", "飞地"),
        "flow" => ("project flow", "项目来源"),
        "burst" => ("event", "招引活动"),
        "stage" => ("stage", "阶段"),
        "fund" => ("fund", "基金"),
        "voucher" => ("voucher scheme", "创新券"),
        "change" => ("policy change", "政策调整"),
        _ => ("item", "项"),
    }
}

/// Display names of one results directory's things (see the module comment).
#[derive(Clone, Debug, Default)]
pub struct Names {
    /// The scenario file as a table, when at hand.
    scenario: Option<toml::Table>,
    /// Stage names in chain order, with their place when known.
    stages: Vec<(String, Option<String>)>,
    /// Tax-sharing parties in the order of the split.
    parties: Vec<String>,
    /// Parties' display names from `[economics] party_names`.
    party_names: Vec<(String, Text)>,
    /// Alternatives: (name in result files, title in both languages).
    alternatives: Vec<(String, Text)>,
}

impl Names {
    /// Names from a scenario file's text (unreadable text gives generic names).
    pub fn from_scenario(text: &str) -> Names {
        let mut names = Names::default();
        let Ok(doc) = text.parse::<toml::Table>() else {
            return names;
        };
        if let Some(stages) = doc.get("stage").and_then(toml::Value::as_array) {
            for s in stages {
                let name = s.get("name").and_then(toml::Value::as_str);
                let place = s.get("place").and_then(toml::Value::as_str).map(str::to_string);
                if let Some(name) = name {
                    names.stages.push((name.to_string(), place));
                }
            }
        }
        let split = doc
            .get("economics")
            .and_then(|e| e.get("tax_split"))
            .and_then(toml::Value::as_table);
        if let Some(split) = split {
            names.parties = split.keys().filter(|k| *k != "home_floating").cloned().collect();
        }
        let party_names = doc
            .get("economics")
            .and_then(|e| e.get("party_names"))
            .and_then(toml::Value::as_table);
        for (party, name) in party_names.into_iter().flatten() {
            if let Some(name) = name.as_str().filter(|n| !n.trim().is_empty()) {
                names.party_names.push((party.clone(), bilingual(name)));
            }
        }
        names.scenario = Some(doc);
        names
    }

    /// The scenario's title in both languages, when the scenario is at hand.
    pub fn scenario_title(&self) -> Option<Text> {
        let scenario = self.scenario.as_ref()?.get("scenario")?;
        let title = scenario.get("title").or_else(|| scenario.get("name"))?.as_str()?;
        Some(bilingual(title))
    }

    /// Learns the stages and parties from metric names (`entered_stage.pilot`,
    /// `tax_yuan.host`) in file order, for those the scenario did not give.
    pub fn learn_metrics<'a>(&mut self, metrics: impl IntoIterator<Item = &'a str>) {
        for name in metrics {
            let stage = name
                .strip_prefix("entered_stage.")
                .or_else(|| name.strip_prefix("in_stage."));
            if let Some(stage) = stage {
                if !self.stages.iter().any(|(s, _)| s == stage) {
                    self.stages.push((stage.to_string(), None));
                }
            }
            if let Some(party) = name.strip_prefix("tax_yuan.") {
                if !self.parties.iter().any(|p| p == party) {
                    self.parties.push(party.to_string());
                }
            }
        }
    }

    /// Records an alternative's title (a comparison's), shown instead of its name.
    pub fn add_alternative(&mut self, name: &str, title: &str) {
        let title = if title.trim().is_empty() { name } else { title };
        self.alternatives.push((name.to_string(), bilingual(title)));
    }

    /// An alternative's display title, by its name in result files.
    pub fn alternative(&self, lang: Lang, name: &str) -> String {
        self.alternatives
            .iter()
            .find(|(n, _)| n == name)
            .map_or_else(|| name.to_string(), |(_, t)| t.get(lang).to_string())
    }

    /// "A vs B" of alternatives' display titles.
    pub fn pair(&self, lang: Lang, a: &str, b: &str) -> String {
        let (a, b) = (self.alternative(lang, a), self.alternative(lang, b));
        match lang {
            Lang::En => format!("{a} − {b}"),
            Lang::Zh => format!("{a} − {b}"),
        }
    }

    /// A stage in a phrase: "pilot" / "中试阶段"; a stage with an English id feidi does
    /// not know is "stage 3" in Chinese by its place in the chain ("第3阶段").
    pub fn stage_phrase(&self, lang: Lang, stage: &str) -> String {
        if let Some((en, zh)) = labels::known_stage(stage) {
            return match lang {
                Lang::En => en.to_string(),
                Lang::Zh => format!("{zh}阶段"),
            };
        }
        match lang {
            Lang::En => stage.to_string(),
            Lang::Zh if has_chinese(stage) => format!("{stage}阶段"),
            Lang::Zh => {
                let position = self.stages.iter().position(|(s, _)| s == stage);
                match position {
                    Some(i) => {
                        let place = self.stages[i].1.as_deref().and_then(|p| place(Lang::Zh, p));
                        match place {
                            Some(place) => format!("{place}第{}阶段", i + 1),
                            None => format!("第{}阶段", i + 1),
                        }
                    }
                    None => "其他阶段".to_string(),
                }
            }
        }
    }

    /// A tax-sharing party: "home city" / "飞出地"; a party feidi has no word for is
    /// shown as written in English and as "分成方3" (third in the split) in Chinese.
    pub fn party(&self, lang: Lang, party: &str) -> String {
        if let Some((_, name)) = self.party_names.iter().find(|(p, _)| p == party) {
            return name.get(lang).to_string();
        }
        if let Some((en, zh)) = known_party(party) {
            return lang.pick(en, zh).to_string();
        }
        match lang {
            Lang::En => party.to_string(),
            Lang::Zh if has_chinese(party) => party.to_string(),
            Lang::Zh => match self.parties.iter().position(|p| p == party) {
                Some(i) => format!("分成方{}", i + 1),
                None => "其他分成方".to_string(),
            },
        }
    }

    /// A metric's label, with its stage or party in words.
    pub fn metric(&self, lang: Lang, name: &str) -> String {
        if let Some(stage) = name.strip_prefix("in_stage.") {
            let stage = self.stage_phrase(lang, stage);
            return match lang {
                Lang::En => format!("in {stage}"),
                Lang::Zh => format!("{stage}在途项目"),
            };
        }
        if let Some(stage) = name.strip_prefix("entered_stage.") {
            let stage = self.stage_phrase(lang, stage);
            return match lang {
                Lang::En => format!("entered {stage}"),
                Lang::Zh => format!("进入{stage}"),
            };
        }
        if let Some(text) = self.family(lang, name) {
            return text;
        }
        if let Some(party) = name.strip_prefix("tax_yuan.") {
            let known = known_party(party).is_some();
            let party = self.party(lang, party);
            return match lang {
                Lang::En if known => format!("tax to the {party}"),
                Lang::En => format!("tax to {party}"),
                Lang::Zh => format!("税收分成：{party}"),
            };
        }
        labels::metric(lang, name)
    }

    /// Labels of the per-stage, per-enclave and per-party families beyond entries,
    /// stock and tax: time averages, slot use, queues, and cost and benefit by party.
    fn family(&self, lang: Lang, name: &str) -> Option<String> {
        let (kind, rest) = name.split_once('.')?;
        let stage = || self.stage_phrase(lang, rest);
        let enclave = || self.enclave(lang, rest);
        let party = || self.party(lang, rest);
        Some(match (kind, lang) {
            ("in_stage_average", Lang::En) => format!("average in {}", stage()),
            ("in_stage_average", Lang::Zh) => format!("{}平均在途项目", stage()),
            ("stage_occupancy", Lang::En) => format!("{} slots in use", stage()),
            ("stage_occupancy", Lang::Zh) => format!("{}承载利用率", stage()),
            ("stage_queue", Lang::En) => format!("waiting for {}", stage()),
            ("stage_queue", Lang::Zh) => format!("等待{}的项目", stage()),
            ("seat_occupancy", Lang::En) => format!("seat occupancy, {}", enclave()),
            ("seat_occupancy", Lang::Zh) => format!("工位使用率（{}）", enclave()),
            ("seat_queue", Lang::En) => format!("waiting for a seat, {}", enclave()),
            ("seat_queue", Lang::Zh) => format!("排队等待工位（{}）", enclave()),
            ("cost_yuan", Lang::En) => format!("cost to the {}", party()),
            ("cost_yuan", Lang::Zh) => format!("{}承担的投入", party()),
            ("benefit_yuan", Lang::En) => format!("benefit to the {}", party()),
            ("benefit_yuan", Lang::Zh) => format!("{}获得的收益", party()),
            _ => return None,
        })
    }

    /// An enclave by its id: its name from the scenario (the language's part of a
    /// bilingual one), else "enclave" / "飞地".
    fn enclave(&self, lang: Lang, id: &str) -> String {
        let enclaves = self
            .scenario
            .as_ref()
            .and_then(|d| d.get("enclave"))
            .and_then(toml::Value::as_array);
        let index = enclaves.and_then(|all| {
            all.iter()
                .position(|e| e.get("id").and_then(toml::Value::as_str) == Some(id))
        });
        match index {
            Some(i) => self.entity(lang, "enclave", i),
            None => match lang {
                Lang::En => id.to_string(),
                Lang::Zh if has_chinese(id) => id.to_string(),
                Lang::Zh => "飞地".to_string(),
            },
        }
    }

    /// A metric's meaning: `english` (as result files give it) in English, the
    /// glossary's words in Chinese.
    pub fn description(&self, lang: Lang, name: &str, english: &str) -> String {
        if lang == Lang::En {
            return english.to_string();
        }
        if let Some(stage) = name.strip_prefix("in_stage.") {
            return format!("期末处于{}的项目数", self.stage_phrase(lang, stage));
        }
        if let Some(stage) = name.strip_prefix("entered_stage.") {
            return format!("开始{}的项目数", self.stage_phrase(lang, stage));
        }
        if let Some(party) = name.strip_prefix("tax_yuan.") {
            return format!("产业化企业税收中分给{}的部分（税收分成）", self.party(lang, party));
        }
        if let Some(stage) = name.strip_prefix("in_stage_average.") {
            return format!("时间平均处于{}的项目数", self.stage_phrase(lang, stage));
        }
        if let Some(stage) = name.strip_prefix("stage_occupancy.") {
            return format!("飞出地{}承载能力的时间平均使用率", self.stage_phrase(lang, stage));
        }
        if let Some(stage) = name.strip_prefix("stage_queue.") {
            return format!("时间平均等待进入{}的项目数", self.stage_phrase(lang, stage));
        }
        if let Some(enclave) = name.strip_prefix("seat_occupancy.") {
            return format!("{}已开放工位的时间平均使用率", self.enclave(lang, enclave));
        }
        if let Some(enclave) = name.strip_prefix("seat_queue.") {
            return format!("时间平均在{}排队等待工位的项目数", self.enclave(lang, enclave));
        }
        if let Some(party) = name.strip_prefix("cost_yuan.") {
            return format!("{}承担的投入", self.party(lang, party));
        }
        if let Some(party) = name.strip_prefix("benefit_yuan.") {
            return format!("{}获得的收益", self.party(lang, party));
        }
        labels::description_zh(name).map_or_else(|| english.to_string(), str::to_string)
    }

    /// The display name of the entity `section[index]` of the scenario: its own name
    /// (the language's part of a bilingual one), else "city 2" / "城市2".
    fn entity(&self, lang: Lang, section: &str, index: usize) -> String {
        let item = self
            .scenario
            .as_ref()
            .and_then(|d| d.get(section))
            .and_then(toml::Value::as_array)
            .and_then(|a| a.get(index));
        let own = |key: &str| item.and_then(|i| i.get(key)).and_then(toml::Value::as_str);
        if section == "stage" {
            if let Some(name) = own("name") {
                return match lang {
                    Lang::En => name.to_string(),
                    Lang::Zh => self.stage_phrase(lang, name),
                };
            }
        }
        if section == "link" {
            let city = |key: &str| own(key).map(|id| self.city(lang, id));
            if let (Some(home), Some(host)) = (city("home"), city("host")) {
                return format!("{home}–{host}");
            }
        }
        // A city's or an enclave's id is a short English id; its name is for people.
        let named = own("name").filter(|n| *n != "fund" && *n != "burst");
        if let Some(name) = named {
            return bilingual(name).get(lang).to_string();
        }
        let (en, zh) = entity_kind(section);
        match lang {
            Lang::En => format!("{en} {}", index + 1),
            Lang::Zh => format!("{zh}{}", index + 1),
        }
    }

    /// A city's display name by its id.
    fn city(&self, lang: Lang, id: &str) -> String {
        let cities = self
            .scenario
            .as_ref()
            .and_then(|d| d.get("city"))
            .and_then(toml::Value::as_array);
        let index = cities.and_then(|c| {
            c.iter()
                .position(|c| c.get("id").and_then(toml::Value::as_str) == Some(id))
        });
        match index {
            Some(i) => self.entity(lang, "city", i),
            None => id.to_string(),
        }
    }

    /// A planner's name for the setting at `path`, a scenario key path:
    /// `city[1].landing_subsidy_yuan` → "Landing subsidy, Dazu" / "大足落地补贴",
    /// `stage[2].duration` → "Duration, pilot" / "中试阶段时长". A path that is not a
    /// key path is returned as it is.
    pub fn lever(&self, lang: Lang, path: &str) -> String {
        let Some(steps) = steps(path) else {
            return path.to_string();
        };
        // The entity: `section[i]`, or a section written once (`economics`, `landing`).
        let (section, index, rest) = match (&steps[0], steps.get(1)) {
            (Step::Key(s), Some(Step::Index(i))) => (s.as_str(), Some(*i), &steps[2..]),
            (Step::Key(s), _) => (s.as_str(), None, &steps[1..]),
            (Step::Index(_), _) => return path.to_string(),
        };
        // The setting's words: the deepest "section.key" the glossary knows, with the
        // keys and indices below it (a sector, a party, a month) after it.
        let keys: Vec<&str> = rest
            .iter()
            .filter_map(|s| match s {
                Step::Key(k) => Some(k.as_str()),
                Step::Index(_) => None,
            })
            .collect();
        let mut words: Option<(&str, &str)> = None;
        let mut used = 0;
        let mut owner = section;
        for (n, key) in keys.iter().enumerate() {
            if let Some(w) = setting(&format!("{owner}.{key}")) {
                words = Some(w);
                used = n + 1;
            } else if n > 0 {
                break;
            }
            owner = key;
        }
        let detail: Vec<String> = rest
            .iter()
            .map(|s| match s {
                Step::Key(k) => k.clone(),
                Step::Index(i) => format!("{}", i + 1),
            })
            .skip(used)
            .map(|d| match (section, keys.first().copied()) {
                ("economics", Some("tax_split")) => self.party(lang, &d),
                // A home stage's capacity is named by the stage, a fit by its sector.
                ("city", Some("capacity")) => self.stage_phrase(lang, &d),
                ("city", Some("fit")) => labels::known_sector(&d).map_or(d, |(en, zh)| lang.pick(en, zh).to_string()),
                _ => d,
            })
            .collect();
        let field = match (words, keys.is_empty()) {
            (Some((en, zh)), _) => lang.pick(en, zh).to_string(),
            // `[[stage]]` as a whole, or an unknown key: its own words.
            (None, true) => String::new(),
            (None, false) => keys.join(" ").replace('_', " "),
        };
        let field = if detail.is_empty() {
            field
        } else {
            match lang {
                Lang::En => format!("{field} ({})", detail.join(", ")),
                Lang::Zh => format!("{field}（{}）", detail.join("，")),
            }
        };
        let entity = match index {
            Some(i) => Some(self.entity(lang, section, i)),
            None => setting(&format!("{section}.{}", keys.first().unwrap_or(&"")))
                .is_none()
                .then(|| section.replace('_', " ")),
        };
        let text = match (lang, entity) {
            (Lang::En, Some(e)) if field.is_empty() => e,
            (Lang::En, Some(e)) => format!("{field}, {e}"),
            (Lang::Zh, Some(e)) => format!("{e}{field}"),
            (_, None) => field,
        };
        capitalize(lang, &text)
    }

    /// A sweep point's label for people: a one-at-a-time point's "`path` low" is the
    /// lever's name and "low"; `base` is "baseline"; other labels are kept.
    pub fn point_label(&self, lang: Lang, label: &str) -> String {
        if label == "base" {
            return Word::Baseline.get(lang).to_string();
        }
        for (end, word) in [(" low", Word::LowValue), (" high", Word::HighValue)] {
            if let Some(path) = label.strip_suffix(end) {
                if steps(path).is_some() && (path.contains('.') || path.contains('[')) {
                    return labels::titled(lang, &self.lever(lang, path), word.get(lang));
                }
            }
        }
        label.to_string()
    }
}

/// An English label starts with a capital letter.
fn capitalize(lang: Lang, text: &str) -> String {
    let mut chars = text.chars();
    match (lang, chars.next()) {
        (Lang::En, Some(first)) => first.to_uppercase().chain(chars).collect(),
        _ => text.to_string(),
    }
}

/// One step of a key path.
enum Step {
    Key(String),
    Index(usize),
}

/// The steps of a key path (`enclave[0].operator.admission_bar`), or `None` when the
/// text is not one.
fn steps(path: &str) -> Option<Vec<Step>> {
    let mut out = Vec::new();
    for part in path.split('.') {
        let (key, mut rest) = part.split_at(part.find('[').unwrap_or(part.len()));
        let plain = |k: &str| !k.is_empty() && k.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
        if !plain(key) {
            return None;
        }
        out.push(Step::Key(key.to_string()));
        while let Some(inner) = rest.strip_prefix('[') {
            let close = inner.find(']')?;
            out.push(Step::Index(inner[..close].parse().ok()?));
            rest = &inner[close + 1..];
        }
        if !rest.is_empty() {
            return None;
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bilingual_names_split_into_their_languages() {
        let cases = [
            ("大足 Dazu", "Dazu", "大足"),
            (
                "Dazu enclave in Chengdu 大足—成都科创飞地",
                "Dazu enclave in Chengdu",
                "大足—成都科创飞地",
            ),
            (
                "Dazu enclave in Chongqing main districts 大足—重庆主城科创飞地 (siting alternative)",
                "Dazu enclave in Chongqing main districts",
                "大足—重庆主城科创飞地",
            ),
            ("丽水飞地天使基金 (angel fund)", "angel fund", "丽水飞地天使基金"),
            (
                "昆山政府母基金 mother fund (via GPs)",
                "mother fund (via GPs)",
                "昆山政府母基金",
            ),
            (
                "Quzhou Haichuang Park in Hangzhou 衢州海创园(杭州未来科技城)",
                "Quzhou Haichuang Park in Hangzhou",
                "衢州海创园(杭州未来科技城)",
            ),
            ("上海 Shanghai (嘉定 Jiading, 紫竹 Zizhu)", "Shanghai", "上海"),
            ("大足科创飞地(成都)", "大足科创飞地(成都)", "大足科创飞地(成都)"),
            ("plain", "plain", "plain"),
        ];
        for (text, en, zh) in cases {
            assert_eq!(
                bilingual(text),
                Text {
                    en: en.into(),
                    zh: zh.into()
                },
                "{text}"
            );
        }
    }

    fn dazu() -> Names {
        Names::from_scenario(&std::fs::read_to_string("scenarios/dazu-chengdu.toml").unwrap())
    }

    #[test]
    fn levers_are_named_from_the_scenario() {
        let names = dazu();
        let cases = [
            ("city[1].landing_subsidy_yuan", "Landing subsidy, Dazu", "大足落地补贴"),
            (
                "enclave[0].seats",
                "Seats, 大足科创飞地(成都)",
                "大足科创飞地(成都)工位数",
            ),
            (
                "enclave[0].operator.admission_bar",
                "Admission bar, 大足科创飞地(成都)",
                "大足科创飞地(成都)入驻门槛",
            ),
            ("stage[2].duration", "Duration, pilot", "中试阶段时长"),
            ("economics.tax_rate", "Tax rate", "税率"),
            (
                "economics.tax_split.home",
                "Tax split (home city)",
                "税收分成（飞出地）",
            ),
            (
                "landing.weights.subsidy",
                "Weight of the landing subsidy",
                "落地补贴权重",
            ),
            (
                "city[1].fit.digital",
                "Industrial fit (digital economy), Dazu",
                "大足产业匹配度（数字经济）",
            ),
            (
                "city[1].capacity.pilot",
                "Home capacity (pilot), Dazu",
                "大足承接能力（中试阶段）",
            ),
            (
                "city[1].capacity.industrialization",
                "Home capacity (industrialization), Dazu",
                "大足承接能力（产业化阶段）",
            ),
            ("link[0].travel_time", "Travel time, Dazu–Chengdu", "大足–成都通勤时间"),
            ("flow[0].rate", "Arrival rate, project flow 1", "项目来源1项目到达率"),
        ];
        for (path, en, zh) in cases {
            assert_eq!(names.lever(Lang::En, path), en, "{path}");
            assert_eq!(names.lever(Lang::Zh, path), zh, "{path}");
        }
        // Without the scenario: generic entities, still no key path.
        let bare = Names::default();
        assert_eq!(bare.lever(Lang::Zh, "city[1].landing_subsidy_yuan"), "城市2落地补贴");
        assert_eq!(bare.lever(Lang::En, "enclave[0].seats"), "Seats, enclave 1");
    }

    /// A party the scenario names (`[economics] party_names`) is called so in both
    /// languages, in lever names and measures alike.
    #[test]
    fn parties_named_by_the_scenario_keep_their_names() {
        let names = Names::from_scenario(
            &std::fs::read_to_string("scenarios/kunshan-jiakuntai.toml").expect("kunshan-jiakuntai"),
        );
        assert_eq!(names.party(Lang::Zh, "taicang"), "太仓");
        assert_eq!(names.party(Lang::En, "taicang"), "Taicang");
        assert_eq!(names.metric(Lang::Zh, "tax_yuan.taicang"), "税收分成：太仓");
        assert_eq!(names.lever(Lang::Zh, "economics.tax_split.taicang"), "税收分成（太仓）");
        assert_eq!(
            names.party(Lang::Zh, "host"),
            "飞入地",
            "parties it does not name keep the glossary's words"
        );
    }

    #[test]
    fn stages_and_parties_without_words_are_named_by_their_place() {
        let mut names = Names::default();
        names.learn_metrics([
            "entered_stage.incubation",
            "entered_stage.ramp",
            "tax_yuan.home",
            "tax_yuan.taicang",
        ]);
        assert_eq!(names.metric(Lang::Zh, "entered_stage.ramp"), "进入第2阶段");
        assert_eq!(names.metric(Lang::En, "entered_stage.ramp"), "entered ramp");
        assert_eq!(names.metric(Lang::Zh, "tax_yuan.taicang"), "税收分成：分成方2");
        assert_eq!(names.metric(Lang::Zh, "tax_yuan.home"), "税收分成：飞出地");
        assert_eq!(names.metric(Lang::En, "tax_yuan.taicang"), "tax to taicang");
        assert_eq!(names.point_label(Lang::Zh, "enclave[0].seats low"), "飞地1工位数：低值");
    }
}
