//! Words in reports and charts are for people: the reports of runs, of a one-at-a-time
//! sweep and of a comparison, in both languages, and every chart they hold (read from the
//! SVG files' text), show no key path (`city[1].landing_subsidy_yuan`), no metric or
//! setting id (`home_tax_yuan`), no scenario or sweep file id (`dazu-chengdu`), and in
//! Chinese no English id run into Chinese words (`taicang分得税收`, `进入rnd阶段`). The
//! provenance lines (which name the files the numbers came from), the list of result
//! files and the scenario file's own text are exempt: they are records, not words.

mod common;

use common::{example_sweep, run_ok, temp_path};
use std::path::Path;

/// The text a reader sees in a report, less the records exempt above.
fn visible_text(html: &str) -> String {
    let mut text = html.to_string();
    // Exempt blocks: cut from their opening to their closing tag.
    for (open, close) in [
        ("<style", "</style>"),
        ("<details", "</details>"),
        ("<p class=\"provenance\"", "</p>"),
        ("<ul class=\"assumptions\"", "</ul>"),
        ("<section id=\"files\"", "</section>"),
    ] {
        while let Some(start) = text.find(open) {
            let end = text[start..]
                .find(close)
                .map_or(text.len(), |e| start + e + close.len());
            text.replace_range(start..end, " ");
        }
    }
    // Tags (and the inline images inside them) go; their text stays.
    let mut out = String::new();
    let mut in_tag = false;
    for c in text.chars() {
        match c {
            '<' => in_tag = true,
            '>' => {
                in_tag = false;
                out.push(' ');
            }
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">")
}

/// The text drawn in an SVG chart, less its footer (the chart's provenance, which names
/// the file it came from).
fn svg_text(svg: &str) -> String {
    svg.split("<text")
        .skip(1)
        .filter_map(|t| t.split_once('>').map(|(_, rest)| rest))
        .map(|t| t.split("</text>").next().unwrap_or(""))
        .filter(|t| !t.contains(" · sha256 "))
        .collect::<Vec<_>>()
        .join(" ")
        .replace("&amp;", "&")
}

fn is_chinese(c: char) -> bool {
    ('\u{4E00}'..='\u{9FFF}').contains(&c)
}

/// What is wrong with `text` for a reader, if anything: the first key path, id or file
/// id found, or an English id run into Chinese.
fn problem(text: &str, file_ids: &[&str], chinese: bool) -> Option<String> {
    for id in file_ids {
        if text.contains(id) {
            return Some(format!("the file id `{id}`"));
        }
    }
    // Words: runs of ASCII letters, digits, `_`, `.`, `[` and `]`.
    let word_char = |c: char| c.is_ascii_alphanumeric() || matches!(c, '_' | '[' | ']' | '.');
    let chars: Vec<char> = text.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        if !word_char(chars[i]) {
            i += 1;
            continue;
        }
        let start = i;
        while i < chars.len() && word_char(chars[i]) {
            i += 1;
        }
        let word: String = chars[start..i].iter().collect();
        let word = word.trim_matches('.');
        let letters = word.chars().any(|c| c.is_ascii_alphabetic());
        // `name[digits]`: an array item of a key path.
        let indexed = word.match_indices('[').any(|(k, _)| {
            let before = word[..k].chars().last().is_some_and(|c| c.is_ascii_alphabetic());
            let inside = word[k + 1..].split(']').next().unwrap_or("");
            before && !inside.is_empty() && inside.chars().all(|c| c.is_ascii_digit())
        });
        if indexed {
            return Some(format!("the key path `{word}`"));
        }
        if letters && word.contains('_') {
            return Some(format!("the id `{word}`"));
        }
        let touches_chinese =
            (start > 0 && is_chinese(chars[start - 1])) || chars.get(i).is_some_and(|&c| is_chinese(c));
        // An English word run into Chinese, such as `进入rnd阶段`.
        if chinese && touches_chinese && word.chars().filter(|c| c.is_ascii_alphabetic()).count() >= 2 {
            return Some(format!("the English id `{word}` inside Chinese words"));
        }
    }
    None
}

/// Checks the report of `dir` in `lang` and every chart it shows.
fn check(dir: &Path, lang: &str, file_ids: &[&str]) {
    run_ok(&["report", dir.to_str().unwrap(), "--lang", lang]);
    let (report, suffix) = match lang {
        "zh" => ("report.zh.html", ".zh.svg"),
        _ => ("report.html", ".svg"),
    };
    let path = dir.join(report);
    let html = std::fs::read_to_string(&path).unwrap();
    let text = visible_text(&html);
    if let Some(p) = problem(&text, file_ids, lang == "zh") {
        panic!("{} shows {p}", path.display());
    }
    let mut charts = 0;
    for entry in std::fs::read_dir(dir.join("charts")).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let ours = name.ends_with(suffix) && (lang == "zh" || !name.ends_with(".zh.svg"));
        if !ours {
            continue;
        }
        charts += 1;
        let text = svg_text(&std::fs::read_to_string(&path).unwrap());
        if let Some(p) = problem(&text, file_ids, lang == "zh") {
            panic!("{} shows {p}", path.display());
        }
    }
    assert!(charts > 0, "{}: no charts were checked", dir.display());
}

#[test]
fn reports_and_charts_name_things_for_people_in_both_languages() {
    let mut dirs = Vec::new();
    // Runs, two of them with a stage and a tax party that have only English ids.
    for (scenario, n) in [
        ("dazu-chengdu", "32"),
        ("lishui-zhangjiang", "16"),
        ("kunshan-jiakuntai", "16"),
    ] {
        let dir = temp_path(&format!("words-{scenario}"));
        let file = format!("scenarios/{scenario}.toml");
        run_ok(&["run", &file, "-n", n, "--out", dir.to_str().unwrap()]);
        dirs.push((dir, vec![scenario.to_string()]));
    }
    let sweep_file = example_sweep(
        "dazu-tornado.toml",
        "words-tornado",
        &[("replications = 100", "replications = 8")],
    );
    let sweep = temp_path("words-sweep");
    run_ok(&["sweep", sweep_file.to_str().unwrap(), "--out", sweep.to_str().unwrap()]);
    dirs.push((
        sweep,
        vec!["dazu-tornado".into(), "words-tornado".into(), "dazu-chengdu".into()],
    ));
    let compare = temp_path("words-compare");
    run_ok(&[
        "compare",
        "scenarios/dazu-chengdu.toml",
        "scenarios/compare/dazu-chongqing.toml",
        "-n",
        "16",
        "--out",
        compare.to_str().unwrap(),
    ]);
    dirs.push((compare, vec!["dazu-chengdu".into(), "dazu-chongqing".into()]));
    for (dir, ids) in &dirs {
        let ids: Vec<&str> = ids.iter().map(String::as_str).collect();
        for lang in ["en", "zh"] {
            check(dir, lang, &ids);
        }
    }
}

/// An optimization's report (one objective, then two) in both languages: levers,
/// metrics and constraints by their display names, no key path of a lever.
#[test]
fn optimization_reports_name_things_for_people_in_both_languages() {
    for two in [false, true] {
        let name = if two { "words-optimize-two" } else { "words-optimize" };
        let file = common::light_optimization(&common::temp_dir(&format!("{name}-file")), two);
        let dir = temp_path(name);
        run_ok(&[
            "optimize",
            file.to_str().unwrap(),
            "--out",
            dir.to_str().unwrap(),
            "--force",
        ]);
        for lang in ["en", "zh"] {
            check(&dir, lang, &["dazu-budget", "dazu-chengdu"]);
        }
        let _ = std::fs::remove_dir_all(&dir);
    }
}

#[test]
fn the_checker_catches_key_paths_ids_and_english_inside_chinese() {
    let ids = ["dazu-chengdu"];
    for bad in [
        "大足落地补贴 city[1].landing_subsidy_yuan",
        "home_tax_yuan (万元)",
        "dazu-chengdu 与 dazu-chongqing",
        "taicang分得税收",
        "进入rnd阶段",
    ] {
        assert!(problem(bad, &ids, true).is_some(), "`{bad}` passed");
    }
    for good in [
        "大足落地补贴 (万元)",
        "p50",
        "[assumption]",
        "Morris 基本效应法",
        "Landing subsidy, Dazu",
        "7.8 %",
    ] {
        assert_eq!(problem(good, &ids, true), None, "`{good}` was refused");
    }
}
