//! Charts and the report end to end: `feidi run --report`, `feidi plot` and `feidi report`
//! on a run, a sweep and a comparison, in English and Chinese. Checks that every chart is
//! a valid PNG and SVG with its title, that the report is one self-contained file with
//! every section, that charts are byte-identical when drawn twice, and that bad
//! directories are refused with exit code 2.

mod common;

use common::{feidi, ok, temp_dir, temp_path};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// Decodes a PNG and returns its size and `Title` text.
fn png_info(path: &Path) -> ((u32, u32), String) {
    let file = std::fs::File::open(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let decoder = png::Decoder::new(std::io::BufReader::new(file));
    let mut reader = decoder
        .read_info()
        .unwrap_or_else(|e| panic!("{} is not a PNG: {e}", path.display()));
    let mut pixels = vec![0; reader.output_buffer_size()];
    reader
        .next_frame(&mut pixels)
        .unwrap_or_else(|e| panic!("{}: bad image data: {e}", path.display()));
    let info = reader.info();
    let title = info
        .utf8_text
        .iter()
        .find(|t| t.keyword == "Title")
        .and_then(|t| t.get_text().ok())
        .unwrap_or_default();
    ((info.width, info.height), title)
}

/// Checks that `stem` exists as PNG and SVG in `dir/charts` with `title`.
fn assert_chart(dir: &Path, file_stem: &str, title: &str) {
    let png = dir.join("charts").join(format!("{file_stem}.png"));
    let (size, png_title) = png_info(&png);
    assert_eq!(size, (1600, 1000), "{}", png.display());
    assert_eq!(png_title, title, "{}", png.display());
    let svg_path = dir.join("charts").join(format!("{file_stem}.svg"));
    let svg = std::fs::read_to_string(&svg_path).unwrap_or_else(|e| panic!("{}: {e}", svg_path.display()));
    assert!(
        svg.starts_with("<svg"),
        "{} does not start with <svg",
        svg_path.display()
    );
    assert!(
        svg.trim_end().ends_with("</svg>"),
        "{} is not closed",
        svg_path.display()
    );
    assert!(
        svg.contains(&format!("<title>{title}</title>")),
        "{} lacks its title",
        svg_path.display()
    );
    assert!(
        svg.contains(&format!(">\n{title}\n</text>")),
        "{} does not draw its title",
        svg_path.display()
    );
}

/// Three blocks of 64 replications, so that two threads really share the work.
fn run_with_report(dir: &Path, threads: &str) {
    ok(&feidi(&[
        "run",
        "scenarios/dazu-chengdu.toml",
        "-n",
        "192",
        "--threads",
        threads,
        "--out",
        dir.to_str().unwrap(),
        "--report",
    ]));
}

/// One run with its report on two threads, shared by the tests that look at its files
/// (none of them changes a file another one reads).
fn run_on_two_threads() -> &'static Path {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = temp_path("run-2");
        run_with_report(&dir, "2");
        dir
    })
}

#[test]
fn a_run_gets_every_chart_in_both_languages_and_a_complete_report() {
    let dir = run_on_two_threads();
    for (stem, title) in [
        ("landings", "Cumulative landings at home"),
        ("stages", "Projects in each stage"),
        ("money", "Home tax income against cost (cumulative)"),
        ("payback", "Payback: share of replications paid back"),
        ("funnel", "Pipeline funnel (per replication)"),
        ("months-to-landing", "Months from admission to landing"),
    ] {
        assert_chart(dir, stem, title);
    }
    let html = std::fs::read_to_string(dir.join("report.html")).unwrap();
    for id in ["summary", "charts", "assumptions", "method", "files"] {
        assert!(
            html.contains(&format!("<section id=\"{id}\">")),
            "report lacks section {id}"
        );
    }
    assert_eq!(html.matches("<img ").count(), 6, "one inline image per chart");
    assert!(html.contains("data:image/png;base64,"));
    // Self-contained: nothing is fetched from anywhere.
    for reference in ["src=\"http", "href=\"http", "url(http", "<script", "<link"] {
        assert!(!html.contains(reference), "report refers outside itself: {reference}");
    }
    assert!(html.contains("[assumption]"), "the scenario's assumptions are listed");
    assert!(dir.join("results.xlsx").is_file(), "--report writes the workbook too");

    ok(&feidi(&["report", dir.to_str().unwrap(), "--lang", "zh"]));
    for (stem, title) in [
        ("landings.zh", "累计在飞出地落地的项目"),
        ("funnel.zh", "项目漏斗（每次模拟平均）"),
    ] {
        assert_chart(dir, stem, title);
    }
    let zh = std::fs::read_to_string(dir.join("report.zh.html")).unwrap();
    assert!(
        dir.join("results.zh.xlsx").is_file(),
        "feidi report writes the workbook too"
    );
    assert!(zh.contains("<html lang=\"zh-CN\">"));
    assert!(zh.contains("<h2>结果摘要</h2>") && zh.contains("<h2>方法说明</h2>"));
}

#[test]
fn charts_are_byte_identical_whatever_the_thread_count_and_when_redrawn() {
    let (a, b) = (temp_path("same-1"), run_on_two_threads());
    run_with_report(&a, "1");
    let first = std::fs::read(a.join("charts/landings.png")).unwrap();
    ok(&feidi(&["plot", a.to_str().unwrap()]));
    for name in ["landings.png", "landings.svg", "funnel.png", "money.svg"] {
        let x = std::fs::read(a.join("charts").join(name)).unwrap();
        let y = std::fs::read(b.join("charts").join(name)).unwrap();
        assert!(x == y, "{name} differs between 1 and 2 threads");
    }
    assert!(
        first == std::fs::read(a.join("charts/landings.png")).unwrap(),
        "redrawing changed the chart"
    );
    assert!(
        std::fs::read(a.join("report.html")).unwrap() == std::fs::read(b.join("report.html")).unwrap(),
        "reports differ"
    );
    let _ = std::fs::remove_dir_all(&a);
}

#[test]
fn a_two_lever_sweep_gets_a_heatmap_and_a_report() {
    let dir = temp_dir("sweep");
    let sweep = dir.join("grid.toml");
    let base = std::fs::canonicalize("scenarios/dazu-chengdu.toml").unwrap();
    std::fs::write(
        &sweep,
        format!(
            "[sweep]\nname = \"grid\"\nscenario = '{}'\nreplications = 16\nseed = 3\ndesign = \"grid\"\n\n\
             [[parameter]]\npath = \"enclave[0].seats\"\nvalues = [60, 200]\n\n\
             [[parameter]]\npath = \"city[1].landing_subsidy_yuan\"\nvalues = [0, 3_000_000]\n",
            base.display()
        ),
    )
    .unwrap();
    let out = dir.join("results");
    ok(&feidi(&[
        "sweep",
        sweep.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]));
    ok(&feidi(&["report", out.to_str().unwrap()]));
    assert_chart(&out, "heatmap-landing_rate", "Two-lever sweep: landing rate (%)");
    assert_chart(&out, "points-landing_rate", "Design points: landing rate");
    let html = std::fs::read_to_string(out.join("report.html")).unwrap();
    assert!(html.contains("class=\"points-table\""));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_comparison_gets_bars_with_intervals_and_paired_differences() {
    let dir = temp_path("compare");
    ok(&feidi(&[
        "compare",
        "scenarios/dazu-chengdu.toml",
        "scenarios/compare/dazu-chongqing.toml",
        "-n",
        "32",
        "--out",
        dir.to_str().unwrap(),
    ]));
    ok(&feidi(&["plot", dir.to_str().unwrap(), "--lang", "zh"]));
    assert_chart(&dir, "compare-landing_rate.zh", "方案比较：落地率");
    assert_chart(&dir, "differences-landing_rate.zh", "配对差值（共同随机数）：落地率");
    assert_chart(&dir, "compare-landings.zh", "累计在飞出地落地的项目 — 方案比较");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn directories_without_results_or_with_broken_files_are_refused_with_code_2() {
    let dir = temp_dir("empty");
    let out = feidi(&["plot", dir.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no results here"));

    // A result file without manifest.json, which feidi writes last: incomplete.
    std::fs::write(dir.join("summary.json"), "{ \"feidi_version\": 3 ").unwrap();
    let out = feidi(&["report", dir.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("manifest.json: missing beside summary.json"), "{err}");
    // A manifest that lists it, but a summary.json that is not JSON.
    let bytes = std::fs::read(dir.join("summary.json")).unwrap();
    std::fs::write(
        dir.join("manifest.json"),
        format!(
            "{{\"feidi_version\": \"0.1.0\", \"scenario_sha256\": \"x\", \"seed\": 1, \"replications_per_block\": 64, \"files\": [{{\"name\": \"summary.json\", \"bytes\": {}, \"sha256\": \"{}\"}}]}}",
            bytes.len(),
            feidi::results::sha256_hex(&bytes)
        ),
    )
    .unwrap();
    let out = feidi(&["report", dir.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("summary.json") && err.contains("not the JSON feidi writes"),
        "{err}"
    );
    assert!(
        !dir.join("report.html").exists(),
        "no report is written from broken results"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

/// Runs a light optimization into a fresh directory and returns it.
fn light_optimization_results(name: &str, two_objectives: bool) -> PathBuf {
    let dir = temp_path(name);
    let file = common::light_optimization(&temp_dir(&format!("{name}-file")), two_objectives);
    ok(&feidi(&[
        "optimize",
        file.to_str().unwrap(),
        "--out",
        dir.to_str().unwrap(),
        "--force",
    ]));
    dir
}

#[test]
fn an_optimization_gets_convergence_settings_and_paired_difference_charts_and_a_report() {
    let dir = light_optimization_results("optimize-one", false);
    ok(&feidi(&["plot", dir.to_str().unwrap(), "--lang", "zh"]));
    assert_chart(&dir, "optimize-convergence.zh", "搜索进程与目前最优值：实际落地");
    assert_chart(&dir, "optimize-settings.zh", "已评估方案：实际落地与飞出地投入");
    assert_chart(
        &dir,
        "optimize-against-base.zh",
        "推荐方案与现方案比较（配对差值，95%置信区间）",
    );
    // The budget is drawn and labelled in 亿元 (150 million yuan is 1.5 亿元).
    let settings = std::fs::read_to_string(dir.join("charts/optimize-settings.zh.svg")).unwrap();
    assert!(
        settings.contains("飞出地投入不超过1.50 亿元"),
        "the bound is not labelled"
    );
    assert!(settings.contains("飞出地投入（亿元）"), "the cost axis is not in 亿元");

    ok(&feidi(&["report", dir.to_str().unwrap()]));
    let html = std::fs::read_to_string(dir.join("report.html")).unwrap();
    for needle in [
        "<section id=\"summary\">",
        "class=\"recommended-table\"",
        "class=\"constraints-table\"",
        "class=\"against-base-table\"",
        "class=\"finalists-table\"",
        "class=\"guarantee\"",
        "class=\"marginal\"",
        "id=\"chart-optimize-convergence\"",
        "id=\"chart-optimize-settings\"",
        "id=\"chart-optimize-against-base\"",
        "Landing subsidy",
    ] {
        assert!(html.contains(needle), "the report lacks {needle}");
    }
    assert!(!html.contains("pareto-table"), "one objective has no Pareto front");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn two_objectives_get_the_pareto_front_and_a_broken_optimize_json_is_named() {
    let dir = light_optimization_results("optimize-two", true);
    ok(&feidi(&["report", dir.to_str().unwrap()]));
    assert_chart(
        &dir,
        "optimize-pareto",
        "Trade-off between the two objectives (Pareto front)",
    );
    assert_chart(
        &dir,
        "optimize-convergence",
        "Search progress, best value so far: real landings",
    );
    assert!(!dir.join("charts/optimize-against-base.png").exists());
    let html = std::fs::read_to_string(dir.join("report.html")).unwrap();
    assert!(
        html.contains("class=\"pareto-table\""),
        "the report lacks the Pareto table"
    );
    let front = common::json(&dir.join("optimize.json"))["pareto_front"]
        .as_array()
        .unwrap()
        .len();
    let rows = html
        .split("class=\"pareto-table\"")
        .nth(1)
        .and_then(|t| t.split("</table>").next())
        .map_or(0, |t| t.matches("<tr>").count());
    assert_eq!(rows, front + 1, "one row per setting on the front, and the header");

    // optimize.json cut short: refused with code 2, naming the file.
    let path = dir.join("optimize.json");
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&path, &text[..text.len() / 2]).unwrap();
    let out = feidi(&["plot", dir.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("optimize.json"));
    let _ = std::fs::remove_dir_all(&dir);
}
