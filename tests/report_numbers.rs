//! Numbers in reports are for people: every kind of report (a run, a grid sweep, a
//! comparison), in both languages, shows no e-notation, and a money column headed 万元
//! or million yuan holds amounts in that unit, never raw yuan.

mod common;

use common::{example_sweep, run_ok, temp_path};
use std::path::Path;

/// The text of every table cell of a report, row by row, with each table's header row
/// first.
fn tables(html: &str) -> Vec<Vec<Vec<String>>> {
    let cell_text = |cell: &str| {
        let text = cell.split_once('>').map_or(cell, |(_, t)| t);
        let text = text.split("</").next().unwrap_or("");
        text.replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">")
    };
    html.split("<table")
        .skip(1)
        .map(|table| {
            let table = table.split("</table>").next().unwrap_or("");
            table
                .split("<tr>")
                .skip(1)
                .map(|row| {
                    row.split("<t")
                        .skip(1)
                        .filter(|c| c.starts_with('d') || c.starts_with('h'))
                        .map(cell_text)
                        .collect()
                })
                .collect()
        })
        .collect()
}

/// The numbers written in a cell ("1,233.5 (1,100 – 1,300)" → 1233.5, 1100, 1300).
fn numbers(cell: &str) -> Vec<f64> {
    cell.split(|c: char| !(c.is_ascii_digit() || c == '.' || c == ','))
        .filter(|t| t.chars().any(|c| c.is_ascii_digit()))
        .filter_map(|t| t.replace(',', "").trim_matches('.').parse().ok())
        .collect()
}

fn check_report(path: &Path) {
    let html = std::fs::read_to_string(path).unwrap();
    let mut money_cells = 0;
    for table in tables(&html) {
        let Some(header) = table.first() else { continue };
        for row in &table[1..] {
            for (i, cell) in row.iter().enumerate() {
                // A digit, then e and an exponent: e-notation.
                let bytes = cell.as_bytes();
                let e_notation = bytes.windows(3).any(|w| {
                    w[0].is_ascii_digit()
                        && (w[1] == b'e' || w[1] == b'E')
                        && (w[2].is_ascii_digit() || w[2] == b'-' || w[2] == b'+')
                });
                assert!(!e_notation, "{}: e-notation in `{cell}`", path.display());
                // The unit of a money value is in its column's heading or in its row (the
                // first cell, or a unit column).
                let heading = format!("{} {}", header.get(i).map_or("", String::as_str), row.join(" "));
                if heading.contains("万元") || heading.contains("亿元") || heading.contains("million yuan") {
                    money_cells += 1;
                    for x in numbers(cell) {
                        assert!(
                            x < 1e6,
                            "{}: raw yuan {x} in a {heading} column: `{cell}`",
                            path.display()
                        );
                    }
                }
            }
        }
    }
    assert!(money_cells > 0, "{}: no money column was checked", path.display());
}

#[test]
fn every_kind_of_report_shows_numbers_for_people_in_both_languages() {
    let run = temp_path("numbers-run");
    run_ok(&[
        "run",
        "scenarios/dazu-chengdu.toml",
        "-n",
        "64",
        "--out",
        run.to_str().unwrap(),
    ]);
    let sweep_file = example_sweep(
        "dazu-seats-subsidy.toml",
        "numbers",
        &[("replications = 200", "replications = 8")],
    );
    let sweep = temp_path("numbers-sweep");
    run_ok(&["sweep", sweep_file.to_str().unwrap(), "--out", sweep.to_str().unwrap()]);
    let compare = temp_path("numbers-compare");
    run_ok(&[
        "compare",
        "scenarios/dazu-chengdu.toml",
        "scenarios/compare/dazu-chongqing.toml",
        "-n",
        "64",
        "--out",
        compare.to_str().unwrap(),
    ]);
    for dir in [&run, &sweep, &compare] {
        for (lang, file) in [("en", "report.html"), ("zh", "report.zh.html")] {
            run_ok(&["report", dir.to_str().unwrap(), "--lang", lang]);
            check_report(&dir.join(file));
        }
    }
}

#[test]
fn the_checker_catches_raw_yuan_and_e_notation() {
    let dir = temp_path("numbers-bad");
    std::fs::create_dir_all(&dir).unwrap();
    for (name, body) in [
        (
            "raw.html",
            "<table><tr><th>家乡税收 (万元)</th></tr><tr><td>5131395</td></tr></table>",
        ),
        (
            "e.html",
            "<table><tr><th>x (million yuan)</th></tr><tr><td>4.5e7</td></tr></table>",
        ),
    ] {
        let path = dir.join(name);
        std::fs::write(&path, body).unwrap();
        assert!(
            std::panic::catch_unwind(|| check_report(&path)).is_err(),
            "{name} passed"
        );
    }
}
