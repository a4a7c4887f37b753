//! The scenario desk: which scenarios there are, the levers a planner changes in one
//! (with their display names, units and the source comment written beside them), and
//! edits applied to the file's text in place, so that every comment, blank line and
//! number format elsewhere in the file stays as it was.

use crate::plot::names::Names;
use crate::plot::Lang;
use crate::scenario::Scenario;
use serde::Serialize;
use std::ops::Range;
use std::path::Path;
use toml::de::{DeTable, DeValue};
use toml::Spanned;

/// A scenario the desk offers.
#[derive(Clone, Debug, Serialize)]
pub struct Entry {
    /// Its path relative to the working directory, with `/` separators.
    pub path: String,
    /// `[scenario] name`.
    pub name: String,
    /// `[scenario] title`.
    pub title: String,
}

/// Whether `text` is a scenario file (a `[scenario]` table line) rather than a sweep,
/// a comparison or a calibration.
fn is_scenario(text: &str) -> bool {
    text.lines().any(|l| l.trim() == "[scenario]")
        && !text
            .lines()
            .any(|l| matches!(l.trim(), "[sweep]" | "[calibration]" | "[figures]"))
}

/// A path under `root` written relative to it with `/`, as the page sends it back.
pub fn relative(root: &Path, path: &Path) -> String {
    let rel = path.strip_prefix(root).unwrap_or(path);
    rel.components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join("/")
}

/// The scenarios in `place` (a file, or the `*.toml` scenario files of a directory, in
/// name order), each read for its name and title.
pub fn list(root: &Path, place: &Path) -> Vec<Entry> {
    let mut files = Vec::new();
    if place.is_file() {
        files.push(place.to_path_buf());
    } else if let Ok(dir) = std::fs::read_dir(place) {
        for entry in dir.flatten() {
            let path = entry.path();
            if path.extension().is_some_and(|e| e == "toml") && path.is_file() {
                files.push(path);
            }
        }
        files.sort();
    }
    files
        .into_iter()
        .filter_map(|path| {
            let text = std::fs::read_to_string(&path).ok()?;
            if !is_scenario(&text) {
                return None;
            }
            let doc: toml::Table = text.parse().ok()?;
            let scenario = doc.get("scenario")?;
            let field = |k: &str| scenario.get(k).and_then(toml::Value::as_str).unwrap_or("").to_string();
            Some(Entry {
                path: relative(root, &path),
                name: field("name"),
                title: field("title"),
            })
        })
        .collect()
}

/// One lever of a scenario as the desk shows it.
#[derive(Clone, Debug, Serialize)]
pub struct Lever {
    /// Its key path (`enclave[0].seats`), which edits name.
    pub path: String,
    /// Display name in English (from [`Names::lever`]).
    pub name_en: String,
    /// Display name in Chinese.
    pub name_zh: String,
    /// The value as the field shows it: a number as written, a text without its quotes.
    pub value: String,
    /// Whether the value is a text (a quantity such as "120 per year") rather than a number.
    pub text: bool,
    /// The unit in English ("" when the text carries its own, as "120 per year" does).
    pub unit_en: String,
    /// The unit in Chinese.
    pub unit_zh: String,
    /// The comment that gives the value's source (an article tag or `[assumption: …]`).
    pub source: String,
    /// The value's line in the file, from 1.
    pub line: usize,
    /// The values the scenario reader accepts, in English ("allowed: 1 – 1,000,000"),
    /// or "" when the reader sets no range for it.
    pub range_en: String,
    /// The same in Chinese.
    pub range_zh: String,
}

/// The levers the desk offers, by the section and key path below an entity: each found
/// in a file is shown, in this order.
const LEVERS: [(&str, &[&str]); 6] = [
    ("enclave", &["seats"]),
    ("city", &["landing_subsidy_yuan", "capacity"]),
    ("fund", &["size_yuan"]),
    ("economics", &["tax_split"]),
    ("risk_fund", &["size_yuan"]),
    ("flow", &["rate"]),
];

/// The unit of a lever's key, in both languages: money in yuan as files write it.
fn unit_of(path: &str) -> (&'static str, &'static str) {
    if path.ends_with("_yuan") {
        ("yuan", "元")
    } else if path.ends_with(".seats") {
        // The glossary's words for seats, as result tables write them.
        (
            crate::results::format::column("seats", Lang::En).1,
            crate::results::format::column("seats", Lang::Zh).1,
        )
    } else if path.contains(".capacity.") {
        ("projects at once", "个项目同时")
    } else if path.contains(".tax_split.home_floating") {
        ("per unit of landing rate", "每单位落地率")
    } else if path.contains(".tax_split.") {
        ("parts", "份")
    } else {
        ("", "")
    }
}

/// A leaf value found in a document: its key path and span.
struct Leaf<'t> {
    path: String,
    span: Range<usize>,
    value: &'t DeValue<'t>,
}

/// Every number or text leaf under `value`, with key paths below `path`.
fn leaves<'t>(path: &str, value: &'t Spanned<DeValue<'t>>, out: &mut Vec<Leaf<'t>>) {
    match value.get_ref() {
        DeValue::Table(t) => {
            for (k, v) in t.iter() {
                leaves(&format!("{path}.{}", k.get_ref()), v, out);
            }
        }
        DeValue::Integer(_) | DeValue::Float(_) | DeValue::String(_) => out.push(Leaf {
            path: path.to_string(),
            span: value.span(),
            value: value.get_ref(),
        }),
        _ => {}
    }
}

/// The lever leaves of a parsed document, in [`LEVERS`] order.
fn lever_leaves<'t>(root: &'t DeTable<'t>) -> Vec<Leaf<'t>> {
    let mut out = Vec::new();
    for (section, keys) in LEVERS {
        let Some(value) = root.get(section) else { continue };
        let entities: Vec<(String, &DeTable<'_>)> = match value.get_ref() {
            DeValue::Array(items) => items
                .iter()
                .enumerate()
                .filter_map(|(i, item)| match item.get_ref() {
                    DeValue::Table(t) => Some((format!("{section}[{i}]"), t)),
                    _ => None,
                })
                .collect(),
            DeValue::Table(t) => vec![(section.to_string(), t)],
            _ => Vec::new(),
        };
        for (prefix, table) in entities {
            for key in keys {
                if let Some(v) = table.get(*key) {
                    leaves(&format!("{prefix}.{key}"), v, &mut out);
                }
            }
        }
    }
    out
}

/// The comment on the value's line after the value, or else the comment line just
/// above it: where shipped scenarios write a number's source.
fn source_comment(text: &str, span: &Range<usize>) -> String {
    let line_end = text[span.end..].find('\n').map_or(text.len(), |i| span.end + i);
    let after = &text[span.end..line_end];
    if let Some(i) = after.find('#') {
        return after[i + 1..].trim().to_string();
    }
    let line_start = text[..span.start].rfind('\n').map_or(0, |i| i + 1);
    let above = text[..line_start.saturating_sub(1)]
        .lines()
        .next_back()
        .unwrap_or("")
        .trim();
    above.strip_prefix('#').map_or(String::new(), |c| c.trim().to_string())
}

/// The line (from 1) of byte `offset`.
fn line_of(text: &str, offset: usize) -> usize {
    text[..offset].bytes().filter(|&b| b == b'\n').count() + 1
}

/// The levers of a scenario's text, with display names from the scenario's own entity
/// names. A text that does not parse as TOML gives its located error.
pub fn levers(file: &str, text: &str) -> Result<Vec<Lever>, String> {
    let root = DeTable::parse(text).map_err(|e| syntax_error(file, text, &e))?;
    let names = Names::from_scenario(text);
    Ok(lever_leaves(root.get_ref())
        .into_iter()
        .map(|leaf| {
            let (value, is_text) = match leaf.value {
                DeValue::String(s) => (s.to_string(), true),
                _ => (text[leaf.span.clone()].to_string(), false),
            };
            let (unit_en, unit_zh) = unit_of(&leaf.path);
            Lever {
                name_en: names.lever(Lang::En, &leaf.path),
                name_zh: names.lever(Lang::Zh, &leaf.path),
                value,
                text: is_text,
                unit_en: unit_en.to_string(),
                unit_zh: unit_zh.to_string(),
                source: source_comment(text, &leaf.span),
                line: line_of(text, leaf.span.start),
                range_en: range_words(&leaf.path, Lang::En),
                range_zh: range_words(&leaf.path, Lang::Zh),
                path: leaf.path,
            }
        })
        .collect())
}

/// The range the scenario reader accepts for a lever ([`crate::scenario::lever_range`]),
/// in the planner's words: money in million yuan or 亿元 as reports write it, whole
/// numbers without decimals, never e-notation.
fn range_words(path: &str, lang: Lang) -> String {
    use crate::results::format::{money_column, quantity};
    let Some(range) = crate::scenario::lever_range(path) else {
        return String::new();
    };
    let money = path.ends_with("_yuan");
    let (scale, words) = match (money, range.max) {
        (true, Some(max)) => money_column("yuan", lang, max),
        (true, None) => money_column("yuan", lang, range.min),
        (false, _) => (1.0, ""),
    };
    let shown = |x: f64| {
        let number = quantity(x / scale, "", lang);
        if words.is_empty() {
            number
        } else {
            format!("{number} {words}")
        }
    };
    let whole = if range.integer {
        lang.pick(", whole numbers", "，整数")
    } else {
        ""
    };
    match (range.max, lang) {
        (Some(max), Lang::En) => format!(
            "allowed: {} – {}{whole}",
            quantity(range.min / scale, "", lang),
            shown(max)
        ),
        (Some(max), Lang::Zh) => format!(
            "允许范围：{} – {}{whole}",
            quantity(range.min / scale, "", lang),
            shown(max)
        ),
        (None, Lang::En) => format!("allowed: {} or more{whole}", shown(range.min)),
        (None, Lang::Zh) => format!("允许范围：不小于 {}{whole}", shown(range.min)),
    }
}

/// A TOML syntax error as `file:line:column: …`.
fn syntax_error(file: &str, text: &str, e: &toml::de::Error) -> String {
    let offset = e.span().map_or(0, |s| s.start).min(text.len());
    let line = line_of(text, offset);
    let column = text[..offset].rfind('\n').map_or(offset, |i| offset - i - 1) + 1;
    format!("{file}:{line}:{column}: {}", e.message().trim())
}

/// One edit: a lever's key path and its new value as the field holds it.
#[derive(Clone, Debug, serde::Deserialize)]
pub struct Edit {
    /// The key path (`enclave[0].seats`, or `scenario.name`).
    pub path: String,
    /// The new value: a number as TOML writes it, or a text (written back quoted).
    pub value: String,
}

/// `text` with each edit's value written in place of the old one; nothing else in the
/// text changes. An edit of a path the file does not set, or a number field given
/// something that is not a number, is refused with the field named.
pub fn apply(file: &str, text: &str, edits: &[Edit]) -> Result<String, String> {
    let root = DeTable::parse(text).map_err(|e| syntax_error(file, text, &e))?;
    let mut found = lever_leaves(root.get_ref());
    if let Some(DeValue::Table(s)) = root.get_ref().get("scenario").map(Spanned::get_ref) {
        for key in ["name", "title"] {
            if let Some(value) = s.get(key) {
                leaves(&format!("scenario.{key}"), value, &mut found);
            }
        }
    }
    let mut replacements: Vec<(Range<usize>, String)> = Vec::new();
    for edit in edits {
        let leaf = found.iter().find(|l| l.path == edit.path).ok_or_else(|| {
            format!(
                "{file}: {}: not a lever this desk can change (expected one of {})",
                edit.path,
                found.iter().map(|l| l.path.as_str()).collect::<Vec<_>>().join(", ")
            )
        })?;
        let written = match leaf.value {
            DeValue::String(_) => toml::Value::String(edit.value.clone()).to_string(),
            _ => {
                let candidate = edit.value.trim();
                let probe = format!("v = {candidate}");
                let is_number = !candidate.contains(['\n', '\r', '#'])
                    && matches!(
                        DeTable::parse(&probe)
                            .ok()
                            .and_then(|t| t.get_ref().get("v").map(|v| v.get_ref().clone())),
                        Some(DeValue::Integer(_) | DeValue::Float(_))
                    );
                if !is_number {
                    return Err(format!(
                        "{file}:{}: {}: expected a number, found \"{}\"",
                        line_of(text, leaf.span.start),
                        edit.path,
                        edit.value.escape_debug()
                    ));
                }
                candidate.to_string()
            }
        };
        replacements.push((leaf.span.clone(), written));
    }
    replacements.sort_by_key(|(span, _)| std::cmp::Reverse(span.start));
    let mut out = text.to_string();
    for (span, written) in replacements {
        out.replace_range(span, &written);
    }
    Ok(out)
}

/// The title of variant `number` of a scenario titled `title`, in both languages (as
/// scenario titles are written), so that a comparison can tell variants apart:
/// "Dazu enclave in Chengdu 大足—成都科创飞地" becomes
/// "Dazu enclave in Chengdu, variant two 大足—成都科创飞地方案二". The number is in words,
/// since a title's digits would join the other language's part
/// ([`crate::plot::names::bilingual`]).
pub fn variant_title(title: &str, number: usize) -> String {
    let parts = crate::plot::names::bilingual(title);
    let (en, zh) = number_words(number);
    if parts.en == parts.zh {
        format!("{title}, variant {en} 方案{zh}")
    } else {
        format!("{}, variant {en} {}方案{zh}", parts.en, parts.zh)
    }
}

/// `n` in English and Chinese words, from 1 to 99 (digits beyond).
fn number_words(n: usize) -> (String, String) {
    const ONES: [&str; 20] = [
        "zero",
        "one",
        "two",
        "three",
        "four",
        "five",
        "six",
        "seven",
        "eight",
        "nine",
        "ten",
        "eleven",
        "twelve",
        "thirteen",
        "fourteen",
        "fifteen",
        "sixteen",
        "seventeen",
        "eighteen",
        "nineteen",
    ];
    const TENS: [&str; 10] = [
        "", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety",
    ];
    const DIGITS: [&str; 10] = ["零", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
    if !(1..100).contains(&n) {
        return (n.to_string(), n.to_string());
    }
    let en = match n {
        0..=19 => ONES[n].to_string(),
        _ if n % 10 == 0 => TENS[n / 10].to_string(),
        _ => format!("{}-{}", TENS[n / 10], ONES[n % 10]),
    };
    let zh = match (n / 10, n % 10) {
        (0, d) => DIGITS[d].to_string(),
        (1, 0) => "十".to_string(),
        (1, d) => format!("十{}", DIGITS[d]),
        (t, 0) => format!("{}十", DIGITS[t]),
        (t, d) => format!("{}十{}", DIGITS[t], DIGITS[d]),
    };
    (en, zh)
}

/// Checks edited scenario text as `feidi validate` does (the scenario reader's located
/// messages, `file` naming it): the validated scenario, or every problem.
pub fn validate(file: &str, text: &str) -> Result<Scenario, String> {
    Scenario::from_toml(file, text).map_err(|d| d.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    const DAZU: &str = include_str!("../../scenarios/dazu-chengdu.toml");
    const FUNDS: &str = include_str!("../../scenarios/examples/kunshan-risk-and-fund-mechanics.toml");

    /// The range shown beside each lever is the reader's: both ends pass validation and
    /// a step beyond either end is refused.
    #[test]
    fn the_ranges_shown_are_the_readers() {
        let mut seen = Vec::new();
        for (file, text) in [("dazu.toml", DAZU), ("funds.toml", FUNDS)] {
            for lever in levers(file, text).expect("parses") {
                let range =
                    crate::scenario::lever_range(&lever.path).unwrap_or_else(|| panic!("{}: no range", lever.path));
                assert!(!lever.range_en.is_empty() && lever.range_zh.starts_with("允许范围"));
                let section = lever.path.split(['[', '.']).next().unwrap_or("").to_string();
                if !seen.contains(&section) {
                    seen.push(section);
                }
                let write = |x: f64| {
                    let number = if range.integer || x.fract() == 0.0 {
                        format!("{x:.0}")
                    } else {
                        format!("{x}")
                    };
                    if lever.text {
                        // A rate keeps its unit: "40 per year".
                        let unit = lever.value.split_once(' ').map_or("", |(_, u)| u);
                        format!("{number} {unit}")
                    } else {
                        number
                    }
                };
                let check = |x: f64| {
                    let edit = Edit {
                        path: lever.path.clone(),
                        value: write(x),
                    };
                    let edited = apply(file, text, &[edit]).expect("applies");
                    validate(file, &edited).map(drop)
                };
                assert!(
                    check(range.min).is_ok(),
                    "{} at {}: {:?}",
                    lever.path,
                    range.min,
                    check(range.min)
                );
                assert!(check(range.min - 1.0).is_err(), "{} below {}", lever.path, range.min);
                if let Some(max) = range.max {
                    assert!(check(max).is_ok(), "{} at {max}: {:?}", lever.path, check(max));
                    let beyond = if range.integer { max + 1.0 } else { max * 2.0 };
                    assert!(check(beyond).is_err(), "{} above {max}", lever.path);
                }
            }
        }
        for section in ["enclave", "city", "fund", "risk_fund", "economics", "flow"] {
            assert!(
                seen.iter().any(|s| s == section),
                "no {section} lever checked: {seen:?}"
            );
        }
        let seats = levers("dazu.toml", DAZU).expect("parses");
        let seats = seats.iter().find(|l| l.path == "enclave[0].seats").expect("seats");
        assert_eq!(seats.range_en, "allowed: 1 – 1,000,000, whole numbers");
        let subsidy = levers("dazu.toml", DAZU).expect("parses");
        let subsidy = subsidy
            .iter()
            .find(|l| l.path == "city[1].landing_subsidy_yuan")
            .expect("subsidy");
        assert_eq!(subsidy.range_zh, "允许范围：0 – 10,000 亿元");
    }

    #[test]
    fn dazu_offers_seats_subsidy_split_and_flows_with_sources() {
        let levers = levers("dazu.toml", DAZU).expect("dazu parses");
        let seats = levers.iter().find(|l| l.path == "enclave[0].seats").expect("seats");
        assert_eq!(seats.value, "110");
        assert!(seats.source.starts_with("[001 derived"), "{}", seats.source);
        assert_eq!(seats.name_zh, "大足科创飞地(成都)工位数");
        let subsidy = levers
            .iter()
            .find(|l| l.path == "city[1].landing_subsidy_yuan")
            .expect("subsidy");
        assert_eq!(subsidy.value, "1_000_000");
        assert!(subsidy.source.starts_with("[assumption"));
        assert!(levers.iter().any(|l| l.path == "economics.tax_split.home"));
        let rate = levers.iter().find(|l| l.path == "flow[3].rate").expect("a flow");
        assert!(rate.text);
        assert_eq!(rate.value, "150 per year");
    }

    #[test]
    fn edits_change_only_their_values_and_keep_comments() {
        let edits = [
            Edit {
                path: "enclave[0].seats".into(),
                value: "140".into(),
            },
            Edit {
                path: "flow[0].rate".into(),
                value: "90 per year".into(),
            },
        ];
        let edited = apply("dazu.toml", DAZU, &edits).expect("edits apply");
        let changed: Vec<(&str, &str)> = DAZU.lines().zip(edited.lines()).filter(|(a, b)| a != b).collect();
        assert_eq!(changed.len(), 2, "{changed:?}");
        assert!(changed[0].1.starts_with("seats = 140 "), "{}", changed[0].1);
        assert!(changed[0].1.contains("# [001 derived"));
        assert!(changed[1].1.starts_with("rate = \"90 per year\" "));
        let scenario = validate("dazu.toml", &edited).expect("still valid");
        assert_eq!(scenario.enclaves[0].seats, 140);
    }

    #[test]
    fn variant_titles_stay_bilingual() {
        for (n, en, zh) in [
            (2, "two", "二"),
            (13, "thirteen", "十三"),
            (20, "twenty", "二十"),
            (47, "forty-seven", "四十七"),
        ] {
            let title = variant_title("Dazu enclave in Chengdu 大足—成都科创飞地", n);
            let parts = crate::plot::names::bilingual(&title);
            assert_eq!(parts.en, format!("Dazu enclave in Chengdu, variant {en}"));
            assert_eq!(parts.zh, format!("大足—成都科创飞地方案{zh}"));
        }
    }

    #[test]
    fn bad_edits_are_refused_with_the_field_and_place() {
        let not_number = apply(
            "dazu.toml",
            DAZU,
            &[Edit {
                path: "enclave[0].seats".into(),
                value: "many".into(),
            }],
        )
        .expect_err("not a number");
        assert!(
            not_number.contains("enclave[0].seats: expected a number"),
            "{not_number}"
        );
        let unknown = apply(
            "dazu.toml",
            DAZU,
            &[Edit {
                path: "enclave[0].colour".into(),
                value: "1".into(),
            }],
        )
        .expect_err("no such lever");
        assert!(unknown.contains("not a lever"), "{unknown}");
        let edited = apply(
            "dazu.toml",
            DAZU,
            &[Edit {
                path: "enclave[0].seats".into(),
                value: "-3".into(),
            }],
        )
        .expect("a number is written");
        let invalid = validate("dazu.toml", &edited).expect_err("negative seats");
        assert!(
            invalid.contains("dazu.toml:") && invalid.contains("enclave[0].seats"),
            "{invalid}"
        );
    }
}
