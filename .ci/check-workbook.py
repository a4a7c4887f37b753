"""Opens feidi's Excel workbooks with a real reader (openpyxl) and fails unless figures
are numbers and headers are the exact expected words, in English and Chinese.

Usage: python check-workbook.py FEIDI_BINARY

Makes a run (-n 50), a small Latin hypercube sweep (with a duration in months), a
comparison and a light optimization in a temporary directory with the given binary, writes each one's workbook in
both languages (`feidi workbook DIR [--lang zh]`), and checks every sheet.
"""

import json
import math
import os
import subprocess
import sys
import tempfile

import openpyxl

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FAILURES = []


def fail(message):
    FAILURES.append(message)
    print("FAIL:", message)


def feidi(binary, *args):
    subprocess.run([binary, *args], cwd=ROOT, check=True, stdout=subprocess.DEVNULL)


def is_number(value):
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def close(a, b):
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12)


def rows(sheet):
    return [list(r) for r in sheet.iter_rows(values_only=True)]


def expect_header(where, header, expected):
    if header[: len(expected)] != expected:
        fail(f"{where}: header {header[:len(expected)]} is not {expected}")


def expect_numbers(where, table, columns, allow_blank=True):
    """Every cell of `columns` below the header is a number (or blank when allowed)."""
    count = 0
    for r, row in enumerate(table[1:], start=2):
        for c in columns:
            value = row[c]
            if value is None and allow_blank:
                continue
            if not is_number(value):
                fail(f"{where}: row {r} column {c + 1} is {value!r} ({type(value).__name__}), not a number")
            else:
                count += 1
    if count == 0:
        fail(f"{where}: no numeric cells at all")
    return count


def workbook(binary, directory, lang):
    feidi(binary, "workbook", directory, "--lang", lang)
    name = "results.zh.xlsx" if lang == "zh" else "results.xlsx"
    return openpyxl.load_workbook(os.path.join(directory, name))


def check_run(binary, directory):
    summary = json.load(open(os.path.join(directory, "summary.json"), encoding="utf-8"))
    metrics = summary["metrics"]
    words = {
        "en": (["Summary", "Series"], ["metric", "metric id", "unit", "mean", "95 % CI low", "95 % CI high",
                                        "p5", "p50", "p95", "n (replications with a value)"],
               ["bin", "month start", "month end"], "landing rate", "million yuan", 1e6,
               "landed at home (real + paper) (projects)"),
        "zh": (["结果摘要", "时间序列"], ["指标", "指标代码", "单位", "均值", "95%置信下限", "95%置信上限",
                                       "p5", "p50", "p95", "有效模拟次数"],
               ["时段", "起始月", "结束月"], "落地率", "万元", 1e4, "落地飞出地（实际+空壳注册）（个项目）"),
    }
    for lang, (sheets, summary_header, series_header, rate_label, money, scale, landed) in words.items():
        book = workbook(binary, directory, lang)
        where = f"run {lang}"
        if book.sheetnames != sheets:
            fail(f"{where}: sheets {book.sheetnames}, expected {sheets}")
            continue
        table = rows(book[sheets[0]])
        expect_header(f"{where} {sheets[0]}", table[0], summary_header)
        if len(table) != len(metrics) + 1:
            fail(f"{where}: {len(table) - 1} metric rows, summary.json has {len(metrics)}")
        expect_numbers(f"{where} {sheets[0]}", table, range(3, 10))
        by_id = {row[1]: row for row in table[1:]}
        rate = by_id["landing_rate"]
        if rate[0] != rate_label:
            fail(f"{where}: landing_rate is labelled {rate[0]!r}, expected {rate_label!r}")
        for c, stat in enumerate(["mean", "ci_low", "ci_high", "p5", "p50", "p95", "n"], start=3):
            if not (is_number(rate[c]) and close(rate[c], metrics["landing_rate"][stat])):
                fail(f"{where}: landing_rate {stat} is {rate[c]!r}, summary.json {metrics['landing_rate'][stat]}")
        tax = by_id["home_tax_yuan"]
        if tax[2] != money or not close(tax[3], metrics["home_tax_yuan"]["mean"] / scale):
            fail(f"{where}: home tax is {tax[3]!r} {tax[2]!r}")

        series = rows(book[sheets[1]])
        expect_header(f"{where} {sheets[1]}", series[0], series_header)
        if landed not in series[0]:
            fail(f"{where}: no series column {landed!r} in {series[0]}")
        expect_numbers(f"{where} {sheets[1]}", series, range(0, 3), allow_blank=False)
        expect_numbers(f"{where} {sheets[1]}", series, range(3, len(series[0])))
        if book[sheets[0]].freeze_panes is None or book[sheets[1]].freeze_panes is None:
            fail(f"{where}: the header row is not frozen")


def check_sweep(binary, directory):
    with open(os.path.join(directory, "points.csv"), encoding="utf-8-sig") as f:
        csv = [line.rstrip("\n").split(",") for line in f]
    # points.csv holds durations as numbers, the unit in the column's header.
    duration = csv[0].index("stage[2].duration (months)")
    months = [float(r[duration]) for r in csv[1:]]
    words = {
        "en": ("Points", ["point", "label", "replications", "Seats, 大足科创飞地(成都)"], "Duration, pilot (months)",
               "landing rate: mean (%)"),
        "zh": ("设计点", ["设计点", "标签", "模拟次数", "大足科创飞地(成都)工位数"], "中试阶段时长（个月）",
               "落地率：均值（%）"),
    }
    for lang, (name, first, duration_header, rate_header) in words.items():
        book = workbook(binary, directory, lang)
        where = f"sweep {lang}"
        if book.sheetnames != [name]:
            fail(f"{where}: sheets {book.sheetnames}, expected {[name]}")
            continue
        table = rows(book[name])
        expect_header(where, table[0], first)
        for header in (duration_header, rate_header):
            if header not in table[0]:
                fail(f"{where}: no column {header!r}")
                break
        else:
            c = table[0].index(duration_header)
            got = [row[c] for row in table[1:]]
            if not all(is_number(x) for x in got) or any(not close(a, b) for a, b in zip(got, months)):
                fail(f"{where}: durations {got}, points.csv {months}")
        numeric = [c for c in range(len(table[0])) if c != 1]
        expect_numbers(where, table, numeric)
        if len(table) != len(csv):
            fail(f"{where}: {len(table) - 1} point rows, points.csv has {len(csv) - 1}")


def check_compare(binary, directory):
    compare = json.load(open(os.path.join(directory, "compare.json"), encoding="utf-8"))
    rate = next(m for m in compare["metrics"] if m["metric"] == "landing_rate")
    difference = rate["differences"][0]
    # Alternatives are named by their scenarios' titles, in each language.
    a_en, b_en = "Dazu enclave in Chengdu", "Dazu enclave in Chongqing main districts"
    a_zh, b_zh = "大足—成都科创飞地", "大足—重庆主城科创飞地"
    pair_en, pair_zh = f"{a_en} − {b_en}", f"{a_zh} − {b_zh}"
    words = {
        "en": ("Comparison", ["metric", "metric id", "unit", f"{a_en}: mean", f"{b_en}: mean",
                              f"{pair_en}: difference", f"{pair_en}: 95 % CI low", f"{pair_en}: 95 % CI high",
                              f"{a_en}: wins", f"{b_en}: wins"]),
        "zh": ("方案比较", ["指标", "指标代码", "单位", f"{a_zh}：均值", f"{b_zh}：均值",
                           f"{pair_zh}：差值", f"{pair_zh}：95%置信下限", f"{pair_zh}：95%置信上限",
                           f"{a_zh}：胜出比例", f"{b_zh}：胜出比例"]),
    }
    for lang, (name, header) in words.items():
        book = workbook(binary, directory, lang)
        where = f"compare {lang}"
        if book.sheetnames != [name]:
            fail(f"{where}: sheets {book.sheetnames}, expected {[name]}")
            continue
        table = rows(book[name])
        expect_header(where, table[0], header)
        expect_numbers(where, table, range(3, len(table[0])))
        row = next(r for r in table[1:] if r[1] == "landing_rate")
        expected = [rate["alternatives"][0]["mean"], rate["alternatives"][1]["mean"],
                    difference["mean"], difference["ci_low"], difference["ci_high"],
                    difference["wins_a"] / difference["n"], difference["wins_b"] / difference["n"]]
        for c, value in enumerate(expected, start=3):
            if not (is_number(row[c]) and close(row[c], value)):
                fail(f"{where}: landing_rate column {header[c]!r} is {row[c]!r}, expected {value}")


def check_optimization(binary, directory):
    result = json.load(open(os.path.join(directory, "optimize.json"), encoding="utf-8"))
    evaluations = result["evaluations"]
    subsidy = [float(e["levers"][0]) for e in evaluations]
    landed = [next(m for m in e["metrics"] if m["metric"] == "landed_home_real") for e in evaluations]
    cost = next(d for d in result["against_base"]["differences"] if d["metric"] == "cost_yuan")
    words = {
        "en": (["Settings evaluated", "Against as it is"],
               ["setting", "generation", "within the constraints", "Landing subsidy, Dazu (million yuan)"],
               "real landings: mean (projects)",
               ["metric", "unit", "as it is", "recommended", "difference", "95 % CI low", "95 % CI high"],
               "home cost", 1e6),
        "zh": (["已评估方案", "与现方案比较"],
               ["方案序号", "代", "满足约束", "大足落地补贴（万元）"],
               "实际落地：均值（个项目）",
               ["指标", "单位", "现方案", "推荐值", "差值", "95%置信下限", "95%置信上限"],
               "飞出地投入", 1e4),
    }
    for lang, (sheets, first, landed_header, against_header, cost_label, scale) in words.items():
        book = workbook(binary, directory, lang)
        where = f"optimization {lang}"
        if book.sheetnames != sheets:
            fail(f"{where}: sheets {book.sheetnames}, expected {sheets}")
            continue
        table = rows(book[sheets[0]])
        expect_header(f"{where} {sheets[0]}", table[0], first)
        if len(table) != len(evaluations) + 1:
            fail(f"{where}: {len(table) - 1} setting rows, optimize.json has {len(evaluations)}")
        numeric = [c for c in range(len(table[0])) if c != 2]
        expect_numbers(f"{where} {sheets[0]}", table, numeric)
        got = [row[3] for row in table[1:]]
        if any(not (is_number(a) and close(a, b / scale)) for a, b in zip(got, subsidy)):
            fail(f"{where}: subsidies {got}, optimize.json {subsidy} yuan")
        if landed_header not in table[0]:
            fail(f"{where}: no column {landed_header!r} in {table[0]}")
        else:
            c = table[0].index(landed_header)
            if any(not close(row[c], m["mean"]) for row, m in zip(table[1:], landed)):
                fail(f"{where}: real landings column differs from optimize.json")
        against = rows(book[sheets[1]])
        expect_header(f"{where} {sheets[1]}", against[0], against_header)
        expect_numbers(f"{where} {sheets[1]}", against, range(2, 7))
        row = next((r for r in against[1:] if r[0] == cost_label), None)
        expected = [cost["base"], cost["recommended"], cost["mean"], cost["ci_low"], cost["ci_high"]]
        if row is None or any(not close(row[2 + k], v / scale) for k, v in enumerate(expected)):
            fail(f"{where}: home cost row {row}, optimize.json {expected} yuan")


def main():
    binary = os.path.abspath(sys.argv[1])
    with tempfile.TemporaryDirectory() as work:
        run = os.path.join(work, "run")
        feidi(binary, "run", "scenarios/dazu-chengdu.toml", "-n", "50", "--out", run)
        check_run(binary, run)

        with open(os.path.join(ROOT, "scenarios/sweeps/dazu-levers-lhs.toml"), encoding="utf-8") as f:
            text = f.read()
        text = (text.replace("../dazu-chengdu.toml", os.path.join(ROOT, "scenarios/dazu-chengdu.toml"))
                .replace("points = 1000", "points = 6").replace("replications = 20", "replications = 4"))
        sweep_file = os.path.join(work, "lhs.toml")
        with open(sweep_file, "w", encoding="utf-8") as f:
            f.write(text)
        sweep = os.path.join(work, "sweep")
        feidi(binary, "sweep", sweep_file, "--out", sweep)
        check_sweep(binary, sweep)

        compare = os.path.join(work, "compare")
        feidi(binary, "compare", "scenarios/dazu-chengdu.toml", "scenarios/compare/dazu-chongqing.toml",
              "-n", "64", "--out", compare)
        check_compare(binary, compare)

        with open(os.path.join(ROOT, "scenarios/optimize/dazu-budget.toml"), encoding="utf-8") as f:
            text = f.read()
        for old, new in [("../dazu-chengdu.toml", os.path.join(ROOT, "scenarios/dazu-chengdu.toml")),
                         ("replications = 64 ", "replications = 8 "), ("population = 12 ", "population = 4 "),
                         ("generations = 12 ", "generations = 3 "), ("finalists = 5 ", "finalists = 3 "),
                         ("first_stage = 20 ", "first_stage = 6 "), ("cap = 5_000 ", "cap = 40 "),
                         ("compare_replications = 256 ", "compare_replications = 16 ")]:
            text = text.replace(old, new)
        optimize_file = os.path.join(work, "optimize.toml")
        with open(optimize_file, "w", encoding="utf-8") as f:
            f.write(text)
        optimization = os.path.join(work, "optimization")
        feidi(binary, "optimize", optimize_file, "--out", optimization)
        check_optimization(binary, optimization)

    if FAILURES:
        print(f"{len(FAILURES)} workbook checks failed")
        sys.exit(1)
    print("workbooks of a run, a sweep, a comparison and an optimization read by openpyxl in English and Chinese: OK")


if __name__ == "__main__":
    main()
