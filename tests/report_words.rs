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
    // Exempt blocks: cut from their opening to their closing tag; a combined report's
    // parts have their files sections too (`part1-files`, …).
    let exempt = [
        ("<style", "</style>"),
        ("<details", "</details>"),
        ("<p class=\"provenance\"", "</p>"),
        ("<ul class=\"assumptions\"", "</ul>"),
        ("<section id=\"files\"", "</section>"),
    ]
    .map(|(open, close)| (open.to_string(), close))
    .into_iter()
    .chain((1..=9).map(|i| (format!("<section id=\"part{i}-files\""), "</section>")));
    for (open, close) in exempt {
        let open = open.as_str();
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

/// A digit, then `e` and an exponent: e-notation ("1.233e9").
fn has_e_notation(text: &str) -> bool {
    text.as_bytes().windows(3).any(|w| {
        w[0].is_ascii_digit()
            && (w[1] == b'e' || w[1] == b'E')
            && (w[2].is_ascii_digit() || w[2] == b'-' || w[2] == b'+')
    })
}

#[test]
fn the_terminal_summary_of_a_run_is_for_people_in_both_languages() {
    let dir = temp_path("words-terminal");
    for (lang, horizon, payback) in [
        ("en", "horizon 120 months", "paid back within the horizon"),
        ("zh", "模拟时长 120 个月", "收回投入"),
    ] {
        let printed = run_ok(&[
            "run",
            "scenarios/dazu-chengdu.toml",
            "-n",
            "40",
            "--out",
            dir.to_str().unwrap(),
            "--force",
            "--lang",
            lang,
        ]);
        // The last line names the results directory: a record, not words.
        let table: Vec<&str> = printed.lines().filter(|l| !l.contains("results in")).collect();
        let table = table.join("\n");
        assert!(!has_e_notation(&table), "e-notation in the {lang} table:\n{table}");
        if let Some(p) = problem(&table, &["dazu-chengdu"], lang == "zh") {
            panic!("the {lang} terminal table shows {p}:\n{table}");
        }
        assert!(table.contains(horizon), "no horizon in the {lang} table:\n{table}");
        // Dazu's payback month is defined in few replications: the table says how few.
        assert!(table.contains(payback), "no payback note in the {lang} table:\n{table}");
        let money = if lang == "zh" { "万元" } else { "million yuan" };
        assert!(table.contains(money), "no money unit in the {lang} table:\n{table}");
    }
}

#[test]
fn the_e_notation_check_can_fail() {
    assert!(has_e_notation("output 1.233e9 yuan"));
    assert!(has_e_notation("4.5E-3"));
    assert!(!has_e_notation("1,233 million yuan, 7.8 %, seed 3"));
}

#[test]
fn a_combined_report_holds_each_directory_with_its_charts_in_both_languages() {
    let run = temp_path("combined-run");
    run_ok(&[
        "run",
        "scenarios/dazu-chengdu.toml",
        "-n",
        "16",
        "--out",
        run.to_str().unwrap(),
    ]);
    let sweep_file = example_sweep(
        "dazu-tornado.toml",
        "combined-tornado",
        &[("replications = 100", "replications = 4")],
    );
    let sweep = temp_path("combined-sweep");
    run_ok(&["sweep", sweep_file.to_str().unwrap(), "--out", sweep.to_str().unwrap()]);
    let compare = temp_path("combined-compare");
    run_ok(&[
        "compare",
        "scenarios/dazu-chengdu.toml",
        "scenarios/compare/dazu-chongqing.toml",
        "-n",
        "16",
        "--out",
        compare.to_str().unwrap(),
    ]);
    let out = temp_path("combined-out");
    let ids = ["dazu-chengdu", "dazu-chongqing", "dazu-tornado", "combined-tornado"];
    for (lang, file, run_title, compare_title) in [
        ("en", "combined-report.html", "Dazu enclave in Chengdu", "Chongqing"),
        ("zh", "combined-report.zh.html", "大足—成都科创飞地", "重庆"),
    ] {
        let printed = run_ok(&[
            "report",
            run.to_str().unwrap(),
            sweep.to_str().unwrap(),
            compare.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
            "--lang",
            lang,
        ]);
        let path = out.join(file);
        assert!(printed.contains(&path.display().to_string()), "{printed}");
        let html = std::fs::read_to_string(&path).unwrap();
        for (i, dir) in [&run, &sweep, &compare].into_iter().enumerate() {
            let part = format!("part{}", i + 1);
            assert!(
                html.contains(&format!("<section class=\"part\" id=\"{part}\">")),
                "{lang}: no {part}"
            );
            assert!(
                html.contains(&format!("href=\"#{part}\"")),
                "{lang}: {part} is not in the contents"
            );
            for section in ["summary", "charts", "assumptions", "method", "files"] {
                assert!(
                    html.contains(&format!("<section id=\"{part}-{section}\">")),
                    "{lang}: {part} has no {section} section"
                );
            }
            // Every chart drawn for the directory in this language is in its part.
            let mut charts = 0;
            for entry in std::fs::read_dir(dir.join("charts")).unwrap() {
                let name = entry.unwrap().file_name().to_string_lossy().into_owned();
                let stem = match lang {
                    "zh" => name.strip_suffix(".zh.png"),
                    _ => name.strip_suffix(".png").filter(|s| !s.ends_with(".zh")),
                };
                if let Some(stem) = stem {
                    charts += 1;
                    assert!(
                        html.contains(&format!("<figure id=\"{part}-chart-{stem}\"><img")),
                        "{lang}: {part} lacks the chart {stem}"
                    );
                }
            }
            assert!(charts > 0, "{lang}: {} has no charts", dir.display());
        }
        // Parts are titled by their scenarios' titles, never by file ids.
        let text = visible_text(&html);
        assert!(text.contains(run_title), "{lang}: no run title");
        assert!(text.contains(compare_title), "{lang}: no comparison title");
        if let Some(p) = problem(&text, &ids, lang == "zh") {
            panic!("{} shows {p}", path.display());
        }
        assert!(!has_e_notation(&text), "{}: e-notation", path.display());
    }
}

/// A light copy of the shipped Kunshan calibration (`particles`, `generations`) over a
/// scratch copy of its scenario, one comment line longer so that its SHA-256 is its own;
/// gives the calibration file and the scenario copy.
fn light_calibration(name: &str) -> (std::path::PathBuf, std::path::PathBuf) {
    let scenario = temp_path(&format!("{name}-scenario.toml"));
    let text = std::fs::read_to_string("scenarios/kunshan-sjtu.toml").unwrap();
    std::fs::write(&scenario, format!("{text}\n# a scratch copy\n")).unwrap();
    let calibration = std::fs::read_to_string("scenarios/calibration/kunshan-sjtu.toml")
        .unwrap()
        .replace(
            "\"../kunshan-sjtu.toml\"",
            &format!("{:?}", scenario.display().to_string()),
        )
        .replace("particles = 400", "particles = 24")
        .replace("generations = 5", "generations = 2");
    let file = temp_path(&format!("{name}.toml"));
    std::fs::write(&file, calibration).unwrap();
    (file, scenario)
}

#[test]
fn a_calibration_report_names_its_levers_when_its_scenario_is_gone() {
    let (file, scenario) = light_calibration("gone");
    let dir = temp_path("gone-results");
    run_ok(&["calibrate", file.to_str().unwrap(), "--out", dir.to_str().unwrap()]);
    // The results opened where the scenario file is not: moved, or on another machine.
    std::fs::remove_file(&scenario).unwrap();
    for (lang, report, title, lever) in [
        ("en", "report.html", "Calibration to admitted", "Reach, enclave 1"),
        ("zh", "report.zh.html", "按入驻项目", "飞地1招引覆盖率"),
    ] {
        run_ok(&["report", dir.to_str().unwrap(), "--lang", lang]);
        let path = dir.join(report);
        let text = visible_text(&std::fs::read_to_string(&path).unwrap());
        assert!(text.contains(title), "{}: no title from the targets", path.display());
        assert!(
            text.contains(lever),
            "{}: the lever is not named `{lever}`",
            path.display()
        );
        if let Some(p) = problem(&text, &["kunshan-sjtu", "gone-scenario"], lang == "zh") {
            panic!("{} shows {p}", path.display());
        }
    }
}
