//! `feidi workbook DIR` end to end on a run, a sweep and a comparison, in English and
//! Chinese: each workbook is a valid xlsx (a zip read back here, its sheets' XML parsed)
//! whose figures are numeric cells equal to the result files', whose headers are the
//! expected words, and whose bytes are the same when written again.

mod common;

use common::{example_sweep, feidi, json, ok, temp_path};
use std::collections::BTreeMap;
use std::io::Read;
use std::path::Path;

/// A cell as the sheet's XML holds it.
#[derive(Clone, Debug, PartialEq)]
enum Cell {
    Number(f64),
    Text(String),
}

/// A sheet: cells by (row, column), both from 0.
type Sheet = BTreeMap<(usize, usize), Cell>;

/// The text between `<tag ...>` and `</tag>` of each `tag` element, with its attributes.
fn elements<'a>(xml: &'a str, tag: &str) -> Vec<(&'a str, &'a str)> {
    let mut out = Vec::new();
    let (open, close) = (format!("<{tag}"), format!("</{tag}>"));
    let mut rest = xml;
    while let Some(start) = rest.find(&open) {
        rest = &rest[start + open.len()..];
        // `<c` must not match `<cols`: the tag name ends at a space, `>` or `/`.
        if !rest.starts_with([' ', '>', '/']) {
            continue;
        }
        let end = rest.find('>').expect("a tag closes");
        let attributes = &rest[..end];
        if attributes.ends_with('/') {
            out.push((attributes, ""));
            rest = &rest[end + 1..];
            continue;
        }
        let body_end = rest.find(&close).expect("an element closes");
        out.push((attributes, &rest[end + 1..body_end]));
        rest = &rest[body_end + close.len()..];
    }
    out
}

fn attribute<'a>(attributes: &'a str, name: &str) -> Option<&'a str> {
    let key = format!(" {name}=\"");
    let start = attributes.find(&key)? + key.len();
    Some(&attributes[start..start + attributes[start..].find('"')?])
}

fn unescape(text: &str) -> String {
    text.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&apos;", "'")
        .replace("&amp;", "&")
}

/// "AB12" as (row 11, column 27).
fn position(reference: &str) -> (usize, usize) {
    let letters: String = reference.chars().take_while(char::is_ascii_uppercase).collect();
    let column = letters.bytes().fold(0, |n, b| n * 26 + usize::from(b - b'A' + 1)) - 1;
    let row: usize = reference[letters.len()..].parse().expect("a row number");
    (row - 1, column)
}

/// An xlsx file's sheets by name, read from its zip.
fn read_workbook(path: &Path) -> BTreeMap<String, Sheet> {
    let file = std::fs::File::open(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut zip = zip::ZipArchive::new(file).unwrap_or_else(|e| panic!("{} is not a zip: {e}", path.display()));
    let mut part = |name: &str| -> Option<String> {
        let mut text = String::new();
        zip.by_name(name).ok()?.read_to_string(&mut text).expect("UTF-8 XML");
        Some(text)
    };
    assert!(part("[Content_Types].xml").is_some(), "no [Content_Types].xml");
    let shared: Vec<String> = part("xl/sharedStrings.xml")
        .map(|xml| {
            elements(&xml, "si")
                .into_iter()
                .map(|(_, si)| elements(si, "t").into_iter().map(|(_, t)| unescape(t)).collect())
                .collect()
        })
        .unwrap_or_default();
    let workbook = part("xl/workbook.xml").expect("xl/workbook.xml");
    let mut sheets = BTreeMap::new();
    for (i, (attributes, _)) in elements(&workbook, "sheet").into_iter().enumerate() {
        let name = unescape(attribute(attributes, "name").expect("a sheet has a name"));
        let xml = part(&format!("xl/worksheets/sheet{}.xml", i + 1)).expect("the sheet's XML");
        assert!(
            xml.contains("<pane ") && xml.contains("state=\"frozen\""),
            "{name}: no frozen header"
        );
        assert!(xml.contains("<col "), "{name}: no column widths");
        let mut cells = Sheet::new();
        for (attributes, body) in elements(&xml, "c") {
            let at = position(attribute(attributes, "r").expect("a cell has a reference"));
            let value = elements(body, "v").first().map(|(_, v)| *v).unwrap_or("");
            let cell = match attribute(attributes, "t") {
                Some("s") => Cell::Text(shared[value.parse::<usize>().expect("a string index")].clone()),
                Some("str" | "inlineStr") => Cell::Text(unescape(value)),
                Some(other) => panic!("{name}: unexpected cell type {other}"),
                None => Cell::Number(
                    value
                        .parse()
                        .unwrap_or_else(|_| panic!("{name}: `{value}` is not a number")),
                ),
            };
            cells.insert(at, cell);
        }
        sheets.insert(name, cells);
    }
    sheets
}

/// The header row's texts.
fn header(sheet: &Sheet) -> Vec<String> {
    (0..)
        .map_while(|c| match sheet.get(&(0, c)) {
            Some(Cell::Text(t)) => Some(t.clone()),
            _ => None,
        })
        .collect()
}

/// The column whose header is `name`.
fn column(sheet: &Sheet, name: &str) -> usize {
    let h = header(sheet);
    h.iter()
        .position(|x| x == name)
        .unwrap_or_else(|| panic!("no column `{name}` in {h:?}"))
}

/// The row whose column `c` holds `text`.
fn row_of(sheet: &Sheet, c: usize, text: &str) -> usize {
    sheet
        .iter()
        .find(|((_, col), cell)| *col == c && **cell == Cell::Text(text.into()))
        .map(|((r, _), _)| *r)
        .unwrap_or_else(|| panic!("no row with `{text}`"))
}

fn number(sheet: &Sheet, at: (usize, usize)) -> f64 {
    match sheet.get(&at) {
        Some(Cell::Number(x)) => *x,
        other => panic!("{at:?}: expected a number, found {other:?}"),
    }
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * a.abs().max(b.abs()).max(1.0)
}

/// Writes the workbook of `dir` in `lang`, checks that writing it again gives the same
/// bytes, and reads it.
fn workbook(dir: &Path, lang: &str) -> BTreeMap<String, Sheet> {
    let d = dir.to_str().unwrap();
    ok(&feidi(&["workbook", d, "--lang", lang]));
    let path = dir.join(if lang == "zh" {
        "results.zh.xlsx"
    } else {
        "results.xlsx"
    });
    let first = std::fs::read(&path).unwrap();
    ok(&feidi(&["workbook", d, "--lang", lang]));
    assert!(
        first == std::fs::read(&path).unwrap(),
        "rewriting changed {}",
        path.display()
    );
    read_workbook(&path)
}

#[test]
fn a_run_gets_a_summary_and_a_wide_series_sheet_in_both_languages() {
    let dir = temp_path("run");
    let d = dir.to_str().unwrap();
    ok(&feidi(&["run", "scenarios/dazu-chengdu.toml", "-n", "50", "--out", d]));
    let summary_before = std::fs::read(dir.join("summary.json")).unwrap();
    let summary = json(&dir.join("summary.json"));

    let book = workbook(&dir, "en");
    assert_eq!(book.keys().collect::<Vec<_>>(), ["Series", "Summary"]);
    let s = &book["Summary"];
    assert_eq!(
        header(s),
        [
            "metric",
            "metric id",
            "unit",
            "mean",
            "95 % CI low",
            "95 % CI high",
            "p5",
            "p50",
            "p95",
            "n (replications with a value)"
        ]
    );
    let metrics = summary["metrics"].as_object().unwrap();
    assert_eq!(s.keys().map(|k| k.0).max(), Some(metrics.len()), "one row per metric");
    let r = row_of(s, 1, "landing_rate");
    assert_eq!(s[&(r, 0)], Cell::Text("landing rate".into()));
    // A share is the share itself, shown in percent by the cell's format.
    assert_eq!(s[&(r, 2)], Cell::Text("%".into()));
    for (c, stat) in [
        (3, "mean"),
        (4, "ci_low"),
        (5, "ci_high"),
        (6, "p5"),
        (7, "p50"),
        (8, "p95"),
        (9, "n"),
    ] {
        let expected = metrics["landing_rate"][stat].as_f64().unwrap();
        assert!(close(number(s, (r, c)), expected), "landing_rate {stat}");
    }
    // Money in million yuan.
    let r = row_of(s, 1, "home_tax_yuan");
    assert_eq!(s[&(r, 2)], Cell::Text("million yuan".into()));
    let tax = metrics["home_tax_yuan"]["mean"].as_f64().unwrap();
    assert!(close(number(s, (r, 3)), tax / 1e6));

    // Series: one row per bin, one numeric column per series metric.
    let series = std::fs::read_to_string(dir.join("series.csv")).unwrap();
    let landed: Vec<Vec<&str>> = series
        .lines()
        .filter(|l| l.starts_with("landed_home,"))
        .map(|l| l.split(',').collect())
        .collect();
    let w = &book["Series"];
    let h = header(w);
    assert_eq!(h[..3], ["bin", "month start", "month end"]);
    let c = column(w, "landed at home (real + paper) (projects)");
    assert_eq!(w.keys().map(|k| k.0).max(), Some(landed.len()), "one row per bin");
    for (bin, fields) in landed.iter().enumerate() {
        assert_eq!(number(w, (bin + 1, 0)), bin as f64);
        assert!(close(number(w, (bin + 1, 2)), fields[4].parse().unwrap()));
        assert!(close(number(w, (bin + 1, c)), fields[6].parse().unwrap()));
    }
    for r in 1..=landed.len() {
        for c in 0..h.len() {
            assert!(
                matches!(w.get(&(r, c)), Some(Cell::Number(_)) | None),
                "Series {r},{c} is not a number"
            );
        }
    }

    let zh = workbook(&dir, "zh");
    assert_eq!(zh.keys().collect::<Vec<_>>(), ["时间序列", "结果摘要"]);
    let s = &zh["结果摘要"];
    assert_eq!(
        header(s)[..6],
        ["指标", "指标代码", "单位", "均值", "95%置信下限", "95%置信上限"]
    );
    let r = row_of(s, 1, "home_tax_yuan");
    assert_eq!(s[&(r, 0)], Cell::Text("飞出地税收".into()));
    assert_eq!(s[&(r, 2)], Cell::Text("万元".into()));
    assert!(close(number(s, (r, 3)), tax / 1e4));
    column(&zh["时间序列"], "落地飞出地（实际+空壳注册）（个项目）");

    assert!(
        summary_before == std::fs::read(dir.join("summary.json")).unwrap(),
        "the workbook changed summary.json"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_sweep_gets_a_points_sheet_with_durations_as_numbers_of_months() {
    let sweep = example_sweep(
        "dazu-levers-lhs.toml",
        "lhs",
        &[
            ("points = 1000", "points = 5"),
            ("replications = 20", "replications = 4"),
        ],
    );
    let dir = temp_path("sweep");
    ok(&feidi(&[
        "sweep",
        sweep.to_str().unwrap(),
        "--out",
        dir.to_str().unwrap(),
    ]));
    let csv = std::fs::read_to_string(dir.join("points.csv")).unwrap();
    let rows: Vec<Vec<&str>> = csv.lines().map(|l| l.split(',').collect()).collect();
    let csv_column = |name: &str| rows[0].iter().position(|h| *h == name).unwrap();

    for (lang, sheet, duration, rate, seats) in [
        (
            "en",
            "Points",
            "Duration, pilot (months)",
            "landing rate: mean (%)",
            "Seats, 大足科创飞地(成都)",
        ),
        (
            "zh",
            "设计点",
            "中试阶段时长（个月）",
            "落地率：均值（%）",
            "大足科创飞地(成都)工位数",
        ),
    ] {
        let book = workbook(&dir, lang);
        let p = &book[sheet];
        assert_eq!(p.keys().map(|k| k.0).max(), Some(5), "one row per point");
        let (d, m) = (column(p, duration), column(p, rate));
        let seats = column(p, seats);
        assert_eq!(rows.len(), 6, "five points in points.csv");
        for (r, fields) in rows.iter().enumerate().skip(1) {
            // points.csv holds the duration as a number, its unit in the header.
            let months: f64 = fields[csv_column("stage[2].duration (months)")].parse().unwrap();
            assert!(close(number(p, (r, d)), months));
            let mean: f64 = fields[csv_column("landing_rate.mean")].parse().unwrap();
            assert!(close(number(p, (r, m)), mean));
            assert!(close(
                number(p, (r, seats)),
                fields[csv_column("enclave[0].seats")].parse().unwrap()
            ));
            number(p, (r, m + 1));
            number(p, (r, m + 2));
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_comparison_gets_means_differences_and_win_shares() {
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
    let compare = json(&dir.join("compare.json"));
    let metric = compare["metrics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["metric"] == "landing_rate")
        .unwrap();
    let d = &metric["differences"][0];
    for (lang, sheet, pair, wins) in [
        (
            "en",
            "Comparison",
            "Dazu enclave in Chengdu − Dazu enclave in Chongqing main districts: ",
            "Dazu enclave in Chengdu: wins",
        ),
        (
            "zh",
            "方案比较",
            "大足—成都科创飞地 − 大足—重庆主城科创飞地：",
            "大足—成都科创飞地：胜出比例",
        ),
    ] {
        let book = workbook(&dir, lang);
        let s = &book[sheet];
        let r = row_of(s, 1, "landing_rate");
        let mean = if lang == "en" {
            "Dazu enclave in Chongqing main districts: mean"
        } else {
            "大足—重庆主城科创飞地：均值"
        };
        let expected = metric["alternatives"][1]["mean"].as_f64().unwrap();
        assert!(close(number(s, (r, column(s, mean))), expected));
        let difference = if lang == "en" { "difference" } else { "差值" };
        let c = column(s, &format!("{pair}{difference}"));
        assert!(close(number(s, (r, c)), d["mean"].as_f64().unwrap()));
        assert!(close(number(s, (r, c + 1)), d["ci_low"].as_f64().unwrap()));
        assert!(close(number(s, (r, c + 2)), d["ci_high"].as_f64().unwrap()));
        let share = d["wins_a"].as_f64().unwrap() / d["n"].as_f64().unwrap();
        assert!(close(number(s, (r, column(s, wins))), share));
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_directory_without_results_is_refused() {
    let dir = temp_path("empty");
    std::fs::create_dir_all(&dir).unwrap();
    let out = feidi(&["workbook", dir.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no results here"));
}
