//! The words the studio page shows. Words the reports already use come from the
//! glossary ([`crate::plot::labels::Word`]) so that the page and the report say the same
//! thing; the few words only a desk needs (buttons, states) are here, each one arm with
//! both languages, so that none can exist in one language only.

use crate::plot::labels::Word;
use crate::plot::Lang;

/// The studio's own words: (key the page uses, English, Chinese).
const OWN: [(&str, &str, &str); 33] = [
    ("studio", "feidi studio — what-if desk", "feidi 工作台 — 政策推演"),
    ("scenarios", "Scenarios", "情景"),
    ("levers", "Levers", "政策变量"),
    ("lever", "Lever", "政策变量"),
    ("value", "Value", "取值"),
    ("source", "Source", "依据"),
    ("run", "Run", "运行"),
    ("save", "Save as", "另存为"),
    ("saved", "Saved", "已保存"),
    ("valid", "Valid", "校验通过"),
    ("running", "Running", "运行中"),
    ("pin", "Pin this variant", "固定此方案"),
    ("pinned", "Pinned variants", "已固定的方案"),
    ("unpin", "Unpin", "取消固定"),
    ("compare_pinned", "Compare the two pinned variants", "比较两个固定方案"),
    ("export", "Export the report", "导出报告"),
    ("export_zh", "Export the Chinese report", "导出中文报告"),
    ("variant", "Variant", "方案"),
    ("elapsed", "Time to results", "出结果用时"),
    ("error", "Problem", "问题"),
    ("reset", "Reset the levers", "恢复原值"),
    ("language", "中文", "English"),
    ("stop", "Stop", "停止"),
    ("stopped", "Stopped; nothing was written", "已停止，未写入结果"),
    (
        "long_work",
        "Long work: sweeps, calibrations, optimizations",
        "批量研究：参数扫描、模型校准、政策优化",
    ),
    ("study_file", "Study file", "研究文件"),
    ("start", "Start", "开始"),
    ("resume", "Resume", "继续"),
    (
        "no_long_work",
        "No long work yet: choose a study file and press Start.",
        "尚无批量研究：选择研究文件后按“开始”。",
    ),
    ("results_dir", "Results directory", "结果目录"),
    ("progress", "Progress", "进度"),
    (
        "refine_to",
        "Then refine in the background to (replications)",
        "随后在后台加算至（次模拟）",
    ),
    ("refining", "Refining in the background", "后台加算中"),
];

/// Glossary words the page uses, by the key it uses.
const GLOSSARY: [(&str, Word); 14] = [
    ("summary", Word::Summary),
    ("charts", Word::Charts),
    ("compare", Word::Compare),
    ("replications", Word::Replications),
    ("seed", Word::Seed),
    ("scenario", Word::Scenario),
    ("metric", Word::Metric),
    ("mean", Word::MeanCol),
    ("ci", Word::CiCol),
    ("unit", Word::Unit),
    ("difference", Word::Difference),
    ("differences", Word::DifferencesTitle),
    ("own_results", Word::OwnResults),
    ("report", Word::Report),
];

/// Every word of the page in `lang`, as a JSON object from key to text.
pub fn all(lang: Lang) -> serde_json::Value {
    let mut map = serde_json::Map::new();
    for (key, en, zh) in OWN {
        map.insert(key.to_string(), lang.pick(en, zh).into());
    }
    for (key, word) in GLOSSARY {
        map.insert(key.to_string(), word.get(lang).into());
    }
    map.insert("wins".to_string(), Word::Wins.get(lang).into());
    map.insert("alternative".to_string(), Word::Alternative.get(lang).into());
    serde_json::Value::Object(map)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_word_has_both_languages_and_keys_are_unique() {
        let en = all(Lang::En);
        let zh = all(Lang::Zh);
        let en = en.as_object().expect("an object");
        let zh = zh.as_object().expect("an object");
        assert_eq!(en.len(), OWN.len() + GLOSSARY.len() + 2, "a key is repeated");
        for (key, text) in en {
            let chinese = zh[key].as_str().expect("text");
            assert!(!text.as_str().expect("text").is_empty() && !chinese.is_empty(), "{key}");
        }
        assert!(zh["run"].as_str().expect("text").chars().any(|c| c as u32 >= 0x4E00));
    }
}
