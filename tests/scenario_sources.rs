//! Provenance of the shipped scenarios: every line of every shipped scenario file that
//! sets a number says, on that same line, where the number comes from, and every article
//! a file cites is one of the project's seed articles. Also the shape of
//! `scenarios/reported/figures.toml`, the figures the articles report.
//!
//! A tag is one of
//!   `[NNN] "…"`            a figure from article NNN, quoted in Chinese as it stands there;
//!   `[NNN derived: …]`     arithmetic on article NNN's figures, with the arithmetic;
//!   `[calibrated: scenarios/calibration/NAME.toml, …]`   the calibration file (it must
//!                          exist) that chose the value, and what the value matched;
//!   `[assumption: …]`      feidi's own choice, with the reason.
//!
//! `scenarios/bench/` is left out: its one file is the benchmark model of BENCHMARKS.md,
//! whose numbers are benchmark settings, not claims about any enclave. So is
//! `scenarios/examples/`: each file there shows how to write a mechanism's keys on a copy
//! of a shipped scenario and says at its top that it is not a shipped scenario (checked
//! below); a proposal cites the shipped file, not the example.

mod common;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// The seed articles, read from the figures file (the test reads nothing outside the
/// repository).
fn articles() -> BTreeSet<String> {
    let table = figures();
    table["article"]
        .as_array()
        .expect("figures.toml lists its [[article]]s")
        .iter()
        .map(|a| a["id"].as_str().expect("each [[article]] has an id").to_string())
        .collect()
}

fn figures() -> toml::Table {
    let text = std::fs::read_to_string("scenarios/reported/figures.toml").expect("scenarios/reported/figures.toml");
    text.parse()
        .unwrap_or_else(|e| panic!("scenarios/reported/figures.toml: {e}"))
}

/// Every shipped scenario, sweep, comparison, calibration and figures file: `.toml` files
/// under scenarios/, except the benchmark model in scenarios/bench/.
fn shipped_files() -> Vec<PathBuf> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
            .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
            .map(|e| e.unwrap().path())
            .collect();
        entries.sort();
        for path in entries {
            if path.is_dir() {
                if path.file_name().is_some_and(|n| n == "bench" || n == "examples") {
                    continue;
                }
                walk(&path, out);
            } else if path.extension().is_some_and(|e| e == "toml") {
                out.push(path);
            }
        }
    }
    let mut out = Vec::new();
    walk(Path::new("scenarios"), &mut out);
    out
}

/// Keys whose string values are names or words, never quantities, even when they hold a
/// digit ("无锡驻沪科创飞地(9个)", "stage[2].duration", "003").
const TEXT_KEYS: [&str; 26] = [
    "name",
    "title",
    "id",
    "path",
    "scenario",
    "province",
    "metro",
    "role",
    "host",
    "home",
    "owner",
    "enclave",
    "place",
    "sector",
    "model",
    "when_full",
    "dist",
    "design",
    "unit",
    "metric",
    "article",
    "stage",
    "what",
    "period",
    "quote",
    "no_metric",
];

/// The code of a line and its comment (after the first `#` outside a string).
fn split_comment(line: &str) -> (&str, Option<&str>) {
    let mut quote: Option<char> = None;
    let mut escaped = false;
    for (i, c) in line.char_indices() {
        match quote {
            Some(q) => {
                if escaped {
                    escaped = false;
                } else if c == '\\' && q == '"' {
                    escaped = true;
                } else if c == q {
                    quote = None;
                }
            }
            None if c == '"' || c == '\'' => quote = Some(c),
            None if c == '#' => return (&line[..i], Some(&line[i + 1..])),
            None => {}
        }
    }
    (line, None)
}

fn starts_numeric(s: &str) -> bool {
    let s = s.trim();
    let s = s.strip_prefix(['+', '-']).unwrap_or(s);
    s.starts_with(|c: char| c.is_ascii_digit())
}

/// The quantities `code` sets: bare numbers in value position, and strings that start
/// with a number ("3 months", "120 per year") unless their key is one of [`TEXT_KEYS`].
fn numbers_set(code: &str) -> Vec<String> {
    let trimmed = code.trim();
    // A table header such as [[stage]] or [landing.weights] sets nothing.
    if trimmed.starts_with('[')
        && !trimmed.contains('=')
        && trimmed[1..].trim_start_matches('[').starts_with(char::is_alphabetic)
    {
        return Vec::new();
    }
    let chars: Vec<char> = code.chars().collect();
    let followed_by_equals = |mut j: usize| {
        while j < chars.len() && chars[j] == ' ' {
            j += 1;
        }
        j < chars.len() && chars[j] == '='
    };
    let mut key = String::new();
    let mut found = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c == '"' || c == '\'' {
            let mut j = i + 1;
            let mut text = String::new();
            while j < chars.len() && chars[j] != c {
                if chars[j] == '\\' && c == '"' {
                    j += 1;
                }
                if j < chars.len() {
                    text.push(chars[j]);
                }
                j += 1;
            }
            i = j + 1;
            if followed_by_equals(i) {
                key = text;
            } else if starts_numeric(&text) && !TEXT_KEYS.contains(&key.as_str()) {
                found.push(format!("\"{text}\""));
            }
        } else if c.is_alphanumeric() || "_+-.:".contains(c) {
            let mut j = i;
            let mut token = String::new();
            while j < chars.len() && (chars[j].is_alphanumeric() || "_+-.:".contains(chars[j])) {
                token.push(chars[j]);
                j += 1;
            }
            i = j;
            if followed_by_equals(i) {
                key = token.rsplit('.').next().unwrap_or("").to_string();
            } else if starts_numeric(&token) {
                found.push(token);
            }
        } else {
            i += 1;
        }
    }
    found
}

/// The bracketed tags of a comment that look like provenance tags: those starting with
/// three digits, `assumption` or `calibrated` (other brackets, such as `enclave[0]`, are
/// not tags). A tag left unclosed at the end of the line is an `Err` with its text.
fn tags(comment: &str) -> Vec<Result<String, String>> {
    let chars: Vec<char> = comment.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if chars[i] != '[' {
            i += 1;
            continue;
        }
        let mut depth = 0;
        let mut j = i;
        while j < chars.len() {
            match chars[j] {
                '[' => depth += 1,
                ']' => depth -= 1,
                _ => {}
            }
            if depth == 0 {
                break;
            }
            j += 1;
        }
        let inner: String = chars[i + 1..j.min(chars.len())].iter().collect();
        let digits = inner.len() >= 3 && inner.chars().take(3).all(|c| c.is_ascii_digit());
        if digits || inner.starts_with("assumption") || inner.starts_with("calibrated") {
            out.push(if j < chars.len() { Ok(inner) } else { Err(inner) });
        }
        i = j + 1;
    }
    out
}

fn has_chinese(s: &str) -> bool {
    s.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
}

/// Why `tag`, found in `comment`, is not a valid provenance tag, or None if it is.
fn tag_problem(tag: &str, comment: &str, articles: &BTreeSet<String>) -> Option<String> {
    let rest_after = |prefix: &str| tag.strip_prefix(prefix).map(str::trim);
    if let Some(reason) = rest_after("assumption") {
        return match reason.strip_prefix(':').map(str::trim) {
            Some(r) if r.len() >= 3 => None,
            _ => Some(format!(
                "[{tag}]: an assumption states its reason, as [assumption: why]"
            )),
        };
    }
    if let Some(why) = rest_after("calibrated") {
        // [calibrated: scenarios/calibration/NAME.toml, what it matched]: the file must
        // exist, so that anyone can re-run the calibration that chose the value.
        return match why.strip_prefix(':').map(str::trim).and_then(|w| w.split_once(',')) {
            Some((file, matched)) if matched.trim().len() >= 3 => {
                let file = file.trim();
                if file.starts_with("scenarios/calibration/") && file.ends_with(".toml") && Path::new(file).is_file() {
                    None
                } else {
                    Some(format!(
                        "[{tag}]: `{file}` is not a calibration file under scenarios/calibration/"
                    ))
                }
            }
            _ => Some(format!(
                "[{tag}]: a calibrated value names its calibration file and what it matched, as [calibrated: scenarios/calibration/NAME.toml, what it matched]"
            )),
        };
    }
    let article = &tag[..3];
    if !articles.contains(article) {
        return Some(format!(
            "[{tag}]: there is no article {article} (the articles are {articles:?})"
        ));
    }
    let rest = tag[3..].trim();
    if rest.is_empty() {
        // The figure as the article states it, in Chinese, after the tag.
        let after = comment.split(&format!("[{tag}]")).nth(1).unwrap_or("");
        return if has_chinese(after) {
            None
        } else {
            Some(format!(
                "[{tag}] quotes no Chinese: give the figure as the article states it"
            ))
        };
    }
    if let Some(arithmetic) = rest.strip_prefix("derived:") {
        return if arithmetic.chars().any(|c| c.is_ascii_digit()) {
            None
        } else {
            Some(format!("[{tag}]: a derived figure shows its arithmetic"))
        };
    }
    // Citations in running comments, such as [003: "…"] or [000], [001].
    if rest.starts_with(':') || rest.starts_with(',') {
        return None;
    }
    Some(format!(
        "[{tag}]: expected [{article}], [{article} derived: …] or [{article}: …]"
    ))
}

/// Every problem in `text` (the file `file`): lines that set a number without a valid tag
/// on that line or with a malformed one, and citations anywhere of a missing article.
fn problems(file: &str, text: &str, articles: &BTreeSet<String>) -> Vec<String> {
    let mut out = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let (code, comment) = split_comment(line);
        let comment = comment.unwrap_or("");
        let numbers = numbers_set(code);
        let mut valid = 0;
        for tag in tags(comment) {
            let tag = match tag {
                Ok(tag) => tag,
                Err(text) => {
                    out.push(format!("{file}:{}: [{text}: the tag is not closed on its line", n + 1));
                    continue;
                }
            };
            let problem = if numbers.is_empty() {
                // Prose: a citation need only name an article that exists.
                let article = &tag[..3.min(tag.len())];
                let cites = article.chars().all(|c| c.is_ascii_digit());
                (cites && !articles.contains(article)).then(|| format!("[{tag}]: there is no article {article}"))
            } else {
                tag_problem(&tag, comment, articles)
            };
            match problem {
                Some(p) => out.push(format!("{file}:{}: {p}", n + 1)),
                None => valid += 1,
            }
        }
        if !numbers.is_empty() && valid == 0 {
            out.push(format!(
                "{file}:{}: sets {} with no provenance tag on this line: {}",
                n + 1,
                numbers.join(", "),
                line.trim()
            ));
        }
    }
    out
}

#[test]
fn every_number_in_every_shipped_scenario_file_carries_its_source_on_its_own_line() {
    let articles = articles();
    let files = shipped_files();
    assert!(files.len() >= 15, "expected the shipped files, found {files:?}");
    let mut all = Vec::new();
    for file in &files {
        let text = std::fs::read_to_string(file).unwrap();
        all.extend(problems(&file.display().to_string(), &text, &articles));
    }
    assert!(all.is_empty(), "{} problems:\n{}", all.len(), all.join("\n"));
}

#[test]
fn the_checker_finds_untagged_numbers_and_unknown_articles() {
    let articles: BTreeSet<String> = ["000", "001"].iter().map(|s| s.to_string()).collect();
    let check = |line: &str| problems("f", line, &articles);
    // Untagged numbers, bare and in strings, in plain keys and inline tables.
    assert_eq!(check("seats = 110").len(), 1);
    assert_eq!(check("seats = 110   # a comment without a tag").len(), 1);
    assert_eq!(check("horizon = \"10 years\"").len(), 1);
    assert_eq!(
        check("duration = { dist = \"lognormal\", median = \"12 months\" }").len(),
        1
    );
    assert_eq!(check("fit = { a-b = 0.5 }").len(), 1);
    assert_eq!(check("set = { \"enclave[0].reach\" = 0.3 }").len(), 1);
    assert_eq!(check("values = [60, 110]").len(), 1);
    assert_eq!(check("home_constant = -0.5").len(), 1);
    assert_eq!(
        check("seats = 110  # [assumption]").len(),
        2,
        "a bare [assumption] has no reason"
    );
    assert_eq!(
        check("seats = 110  # [001]").len(),
        2,
        "an article tag quotes the figure"
    );
    assert_eq!(
        check("seats = 110  # [003] \"199个工位\"").len(),
        2,
        "no article 003 here"
    );
    assert_eq!(
        check("seats = 110  # [calibrated: admitted]").len(),
        2,
        "names its calibration file"
    );
    assert_eq!(
        check("seats = 110  # [001 derived: many]").len(),
        2,
        "shows its arithmetic"
    );
    assert_eq!(
        check("# see [002] \"1.5小时经济圈\"").len(),
        1,
        "citations in comments are checked too"
    );
    // Tagged numbers, and lines that set no number.
    assert!(check("seats = 110  # [assumption: 4 desks a team]").is_empty());
    assert!(check("seats = 110  # [001] \"共199个工位\"").is_empty());
    assert!(check("seats = 110  # [001 derived: 5,000 × 199 ÷ 2,200 ÷ 4]").is_empty());
    assert!(
        check("reach = 0.4  # [calibrated: scenarios/calibration/kunshan-sjtu.toml, admitted 55 and landed 4]")
            .is_empty()
    );
    assert_eq!(
        check("reach = 0.4  # [calibrated: admitted 55 and landed 4, feidi calibrate x.toml]").len(),
        2,
        "names an existing calibration file first"
    );
    assert_eq!(
        check("reach = 0.4  # [calibrated: scenarios/calibration/missing.toml, admitted 55]").len(),
        2,
        "the calibration file exists"
    );
    assert!(check("name = \"无锡驻沪科创飞地(9个)\"").is_empty());
    assert!(check("path = \"stage[2].duration\"").is_empty());
    assert_eq!(
        check("reach = 0.25  # [assumption: a reason that goes on").len(),
        2,
        "closed on its line"
    );
    assert!(check("[[stage]]").is_empty());
    assert!(check("same_city_treatment = true").is_empty());
    assert!(check("# 50余个 in a comment [000], [001]").is_empty());
}

#[test]
fn the_reported_figures_table_has_its_shape() {
    let table = figures();
    let articles = articles();
    assert_eq!(articles.len(), 5, "the five seed articles 000–004");
    let figures = table["figure"].as_array().expect("[[figure]] entries");
    assert!(
        figures.len() >= 10,
        "the articles report more figures than {}",
        figures.len()
    );
    let mut ids = BTreeSet::new();
    let text = |f: &toml::Value, key: &str| -> String {
        let id = f.get("id").and_then(|v| v.as_str()).unwrap_or("?");
        match f.get(key).and_then(|v| v.as_str()) {
            Some(s) if !s.trim().is_empty() => s.to_string(),
            _ => panic!("figure {id}: `{key}` must be a non-empty string"),
        }
    };
    for f in figures {
        let id = text(f, "id");
        assert!(ids.insert(id.clone()), "figure {id} appears twice");
        for key in ["what", "unit", "period"] {
            text(f, key);
        }
        let value = f
            .get("value")
            .and_then(|v| v.as_float().or(v.as_integer().map(|i| i as f64)));
        assert!(
            value.is_some_and(|v| v.is_finite() && v >= 0.0),
            "figure {id}: `value` must be a number"
        );
        let article = text(f, "article");
        assert!(articles.contains(&article), "figure {id}: no article {article}");
        assert!(
            has_chinese(&text(f, "quote")),
            "figure {id}: `quote` is the article's sentence, in Chinese"
        );
        match (f.get("metric"), f.get("no_metric")) {
            (Some(_), None) => {
                let scenario_name = text(f, "scenario");
                let path = format!("scenarios/{scenario_name}.toml");
                let sc = common::scenario(
                    &std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("figure {id}: {path}: {e}")),
                );
                let metric = text(f, "metric");
                let known = feidi::model::metrics::totals_for(&sc);
                let info = known
                    .iter()
                    .find(|m| m.name == metric)
                    .unwrap_or_else(|| panic!("figure {id}: {scenario_name} has no metric {metric}"));
                assert_eq!(
                    info.unit,
                    text(f, "unit"),
                    "figure {id}: the figure's unit is the metric's"
                );
                if let Some(at) = f.get("at") {
                    let at = at
                        .as_str()
                        .unwrap_or_else(|| panic!("figure {id}: `at` is a duration such as \"7 years\""));
                    let years: f64 = at
                        .strip_suffix(" years")
                        .and_then(|y| y.parse().ok())
                        .unwrap_or_else(|| panic!("figure {id}: `at` = {at:?}, expected \"N years\""));
                    let horizon = sc.horizon.expect("a shipped scenario has a horizon");
                    assert!(
                        years > 0.0 && years * 12.0 <= horizon + 1e-9,
                        "figure {id}: `at` beyond the horizon"
                    );
                }
            }
            (None, Some(_)) => {
                text(f, "no_metric");
            }
            _ => panic!("figure {id}: give either `scenario` and `metric`, or `no_metric` with the reason"),
        }
    }
}

#[test]
fn every_example_says_it_is_not_a_shipped_scenario() {
    let mut seen = 0;
    for entry in std::fs::read_dir("scenarios/examples").unwrap() {
        let path = entry.unwrap().path();
        let text = std::fs::read_to_string(&path).unwrap();
        let head: String = text.lines().take(5).collect::<Vec<_>>().join(" ").to_lowercase();
        assert!(
            head.contains("not a shipped scenario"),
            "{}: an example must say at its top that it is not a shipped scenario",
            path.display()
        );
        seen += 1;
    }
    assert!(seen >= 3, "the examples were not found");
}
