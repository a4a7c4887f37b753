//! Numbers for people, formatted once for every reader (the terminal, reports, charts):
//! money in 万元 or 亿元 (Chinese) or million yuan (English), shares as percentages,
//! thousands separators, and never e-notation.

use crate::math;

/// The language of labels and titles.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Lang {
    /// English.
    #[default]
    En,
    /// Simplified Chinese.
    Zh,
}

impl Lang {
    /// Reads `en` or `zh` (also `cn`, `zh-cn`, `chinese`, `中文`).
    pub fn parse(text: &str) -> Result<Lang, String> {
        match text.trim().to_ascii_lowercase().as_str() {
            "en" | "english" => Ok(Lang::En),
            "zh" | "cn" | "zh-cn" | "zh_cn" | "chinese" | "中文" => Ok(Lang::Zh),
            other => Err(format!("expected a language, `en` or `zh`, found `{other}`")),
        }
    }

    /// The short code used in file names and HTML: `en` or `zh`.
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Zh => "zh-CN",
        }
    }

    /// The English or the Chinese word, by language.
    pub fn pick(self, en: &'static str, zh: &'static str) -> &'static str {
        match self {
            Lang::En => en,
            Lang::Zh => zh,
        }
    }
}

/// A number with thousands separators and about four significant digits: "1,233",
/// "24.54", "0.078", "0.00012". Undefined values are "–"; never e-notation.
pub fn number(x: f64) -> String {
    if !x.is_finite() {
        return "–".to_string();
    }
    let a = x.abs();
    if a < 1e-9 {
        return "0".to_string();
    }
    let decimals = if a >= 100.0 {
        0
    } else if a >= 10.0 {
        1
    } else if a >= 1.0 {
        2
    } else {
        // Three significant digits below one: 0.078, 0.00123.
        (2 - math::log10(a).floor() as i32).clamp(3, 12) as usize
    };
    let text = format!("{:.*}", decimals, a);
    let (whole, fraction) = text.split_once('.').map_or((text.as_str(), ""), |(w, f)| (w, f));
    let mut grouped = String::new();
    for (i, digit) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(digit);
    }
    let sign = if x < 0.0 && !text.trim_matches(['0', '.']).is_empty() {
        "-"
    } else {
        ""
    };
    if fraction.is_empty() {
        format!("{sign}{grouped}")
    } else {
        format!("{sign}{grouped}.{fraction}")
    }
}

/// How a column of values in `unit` (a metric's unit as result files name it: "yuan",
/// "share", "months", "projects", …) is shown: the divisor and the unit's words. Money
/// is in million yuan (English) or 万元 (Chinese) — [`money_column`] chooses 亿元 for a
/// column of large sums; shares are percentages.
pub fn column(unit: &str, lang: Lang) -> (f64, &'static str) {
    match unit {
        "yuan" => lang_pick(lang, (1e6, "million yuan"), (1e4, "万元")),
        "share" => (0.01, "%"),
        "months" => lang_pick(lang, (1.0, "months"), (1.0, "个月")),
        "projects" => lang_pick(lang, (1.0, "projects"), (1.0, "个项目")),
        "seats" => lang_pick(lang, (1.0, "seats"), (1.0, "个工位")),
        "jobs" => lang_pick(lang, (1.0, "jobs"), (1.0, "个岗位")),
        "firms" => lang_pick(lang, (1.0, "firms"), (1.0, "家企业")),
        "licences" => lang_pick(lang, (1.0, "licences"), (1.0, "项许可")),
        "needs" => lang_pick(lang, (1.0, "needs"), (1.0, "项需求")),
        "links" => lang_pick(lang, (1.0, "links"), (1.0, "个合作关系")),
        _ => (1.0, ""),
    }
}

/// Like [`column()`], but a Chinese money column whose largest value reaches 1 亿元 is shown
/// in 亿元 rather than 万元, so that it reads "1.23" rather than "12,300".
pub fn money_column(unit: &str, lang: Lang, largest: f64) -> (f64, &'static str) {
    if unit == "yuan" && lang == Lang::Zh && largest.abs() >= 1e8 {
        (1e8, "亿元")
    } else {
        column(unit, lang)
    }
}

fn lang_pick<T>(lang: Lang, en: T, zh: T) -> T {
    match lang {
        Lang::En => en,
        Lang::Zh => zh,
    }
}

/// One value of a metric with its unit, for people: "1,160 million yuan", "11.6 亿元",
/// "7.8 %", "24.54 months".
pub fn quantity(x: f64, unit: &str, lang: Lang) -> String {
    let (scale, words) = money_column(unit, lang, x);
    let scaled = x / scale;
    // A whole quantity ("3 months", "100 万元") reads without decimals.
    let value = if scaled.fract() == 0.0 && scaled.abs() < 1e15 {
        number(scaled).split('.').next().unwrap_or("").to_string()
    } else {
        number(scaled)
    };
    match (words, lang) {
        ("", _) => value,
        ("%", _) => format!("{value} %"),
        (w, Lang::Zh) => format!("{value} {w}"),
        (w, Lang::En) => format!("{value} {w}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_have_separators_and_no_e_notation() {
        for (x, shown) in [
            (0.0, "0"),
            (1_233_456_789.0, "1,233,456,789"),
            (4225.4, "4,225"),
            (-4225.4, "-4,225"),
            (24.544, "24.5"),
            (3.25159, "3.25"),
            (0.0779, "0.0779"),
            (0.000123456, "0.000123"),
            (1e-13, "0"),
            (f64::NAN, "–"),
        ] {
            assert_eq!(number(x), shown, "{x}");
        }
        for x in [1e-30, 1e30, -7.5e12, 123.456e9] {
            assert!(!number(x).contains('e'), "{x} → {}", number(x));
        }
    }

    #[test]
    fn money_is_in_wan_yi_or_million_yuan_and_shares_in_percent() {
        assert_eq!(quantity(5_131_395.0, "yuan", Lang::Zh), "513 万元");
        assert_eq!(quantity(1.16e9, "yuan", Lang::Zh), "11.6 亿元");
        assert_eq!(quantity(1.16e9, "yuan", Lang::En), "1,160 million yuan");
        assert_eq!(quantity(2.544e6, "yuan", Lang::En), "2.54 million yuan");
        assert_eq!(quantity(0.078, "share", Lang::En), "7.80 %");
        assert_eq!(quantity(24.54, "months", Lang::Zh), "24.5 个月");
        assert_eq!(quantity(603.0, "projects", Lang::En), "603 projects");
        assert_eq!(quantity(3.0, "months", Lang::En), "3 months");
        assert_eq!(quantity(1e6, "yuan", Lang::Zh), "100 万元");
    }
}
