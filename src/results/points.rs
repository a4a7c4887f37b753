//! points.csv of a sweep: one row per design point, the parameter values, then each
//! metric's mean, 95 % confidence interval and quantiles; and reading it (or any CSV
//! result file) back.

use crate::model::metrics::MetricInfo;
use crate::stats::Summary;
use std::fmt::Write as _;

/// Statistics written for each metric, in column order.
const STATS: [&str; 6] = ["mean", "ci_low", "ci_high", "p5", "p50", "p95"];

/// Paired figures written for each metric when a sweep's points share random streams:
/// the mean difference from the baseline point and its interval.
const PAIRED: [&str; 3] = ["diff", "diff_ci_low", "diff_ci_high"];

/// Columns of the marginal cost of a real landing against the baseline point, after the
/// paired differences.
const MARGINAL: [&str; 4] = [
    "marginal_cost_per_real_landing_yuan",
    "marginal_cost_ci_low",
    "marginal_cost_ci_high",
    "marginal_reading",
];

/// The header row: point, label, replications, each parameter, then `<metric>.<stat>`
/// columns; with `paired`, then `<metric>.diff` columns (the paired difference from the
/// baseline point) and the marginal cost of a real landing.
pub fn header(parameters: &[String], metrics: &[MetricInfo], paired: bool) -> String {
    let mut out = String::from("point,label,replications");
    for p in parameters {
        out.push(',');
        super::files::csv_field(&mut out, p);
    }
    for m in metrics {
        for stat in STATS {
            out.push(',');
            super::files::csv_field(&mut out, &format!("{}.{stat}", m.name));
        }
    }
    if paired {
        for m in metrics {
            for stat in PAIRED {
                out.push(',');
                super::files::csv_field(&mut out, &format!("{}.{stat}", m.name));
            }
        }
        for name in MARGINAL {
            out.push(',');
            out.push_str(name);
        }
    }
    out.push('\n');
    out
}

/// A parameter column's header: its key path, followed by the unit of its values in
/// parentheses when they are numbers in a unit (`stage[2].duration (months)`), as the
/// workbook heads its columns; the cells then hold the numbers alone.
pub fn parameter_header(path: &str, unit: Option<&str>) -> String {
    match unit {
        Some(unit) => format!("{path} ({unit})"),
        None => path.to_string(),
    }
}

/// A parameter column's header split into its key path and its unit, if it has one
/// (a key path never holds " (").
pub fn split_parameter_header(header: &str) -> (&str, Option<&str>) {
    match header.strip_suffix(')').and_then(|h| h.split_once(" (")) {
        Some((path, unit)) if !unit.is_empty() => (path, Some(unit)),
        _ => (header, None),
    }
}

/// The unit shared by every value of a sweep parameter written as "number unit"
/// ("18.5 months"), so that its column can hold numbers with the unit in its header;
/// `None` when some value is not such a quantity, or the units differ.
pub fn common_unit<'a>(values: impl IntoIterator<Item = &'a str>) -> Option<String> {
    let mut unit: Option<&str> = None;
    for value in values {
        let (number, u) = value.trim().split_once(' ')?;
        number.replace('_', "").parse::<f64>().ok()?;
        let u = u.trim();
        if u.is_empty() || u.contains([' ', '(', ')', ',']) || unit.is_some_and(|seen| seen != u) {
            return None;
        }
        unit = Some(u);
    }
    unit.map(str::to_string)
}

/// A design point's paired figures against the baseline point, for its row.
pub struct PairedFigures {
    /// Each metric's mean difference (point − baseline) and interval.
    pub differences: Vec<(f64, f64, f64)>,
    /// The marginal cost of a real landing against the baseline.
    pub marginal: super::marginal::MarginalCost,
}

/// Writes a text field that came from an input file (a variant's name, a parameter's
/// value) so that a spreadsheet cannot take it for a formula: text beginning with `=`,
/// `+`, `-`, `@`, a tab or a carriage return gets a leading apostrophe inside quotes, as
/// OWASP advises against CSV injection. A plain number ("-5", "+1.5e3") is kept as it is.
fn csv_text_field(out: &mut String, s: &str) {
    let risky = s.starts_with(['=', '+', '-', '@', '\t', '\r']) && s.trim().parse::<f64>().is_err();
    if risky {
        out.push_str("\"'");
        out.push_str(&s.replace('"', "\"\""));
        out.push('"');
    } else {
        super::files::csv_field(out, s);
    }
}

/// One point's row; `values` are the parameter values as written in the file (empty
/// where a variant keeps the base scenario's value); `paired` when the header has the
/// paired columns.
pub fn row(
    point: usize,
    label: &str,
    replications: u64,
    values: &[String],
    summaries: &[Summary],
    paired: Option<&PairedFigures>,
) -> String {
    let mut out = format!("{point},");
    csv_text_field(&mut out, label);
    let _ = write!(out, ",{replications}");
    for v in values {
        out.push(',');
        csv_text_field(&mut out, v);
    }
    let number = |out: &mut String, x: f64| {
        out.push(',');
        if x.is_finite() {
            let _ = write!(out, "{x}");
        }
    };
    for s in summaries {
        for x in [s.mean, s.ci_low, s.ci_high, s.p5, s.p50, s.p95] {
            number(&mut out, x);
        }
    }
    if let Some(paired) = paired {
        for &(mean, low, high) in &paired.differences {
            for x in [mean, low, high] {
                number(&mut out, x);
            }
        }
        let m = &paired.marginal;
        for x in [m.yuan_per_extra, m.ci_low, m.ci_high] {
            number(&mut out, x.unwrap_or(f64::NAN));
        }
        out.push(',');
        out.push_str(&m.reading);
    }
    out.push('\n');
    out
}

/// Splits CSV text (RFC 4180 quoting, as feidi writes it) into rows of fields; a
/// leading byte-order mark is skipped.
pub fn read_csv(text: &str) -> Result<Vec<Vec<String>>, String> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut rows = Vec::new();
    let mut row = Vec::new();
    let mut field = String::new();
    let mut chars = text.chars().peekable();
    let mut quoted = false;
    let mut line = 1;
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                chars.next();
                field.push('"');
            }
            (true, '"') => quoted = false,
            (true, c) => {
                if c == '\n' {
                    line += 1;
                }
                field.push(c)
            }
            (false, '"') if field.is_empty() => quoted = true,
            (false, ',') => row.push(std::mem::take(&mut field)),
            (false, '\r') => {}
            (false, '\n') => {
                row.push(std::mem::take(&mut field));
                rows.push(std::mem::take(&mut row));
                line += 1;
            }
            (false, c) => field.push(c),
        }
    }
    if quoted {
        return Err(format!("a quoted field is not closed before the end (line {line})"));
    }
    if !field.is_empty() || !row.is_empty() {
        row.push(field);
        rows.push(row);
    }
    Ok(rows)
}

/// Checks one committed row file of design point `point` against a header of `fields`
/// fields: one whole row (ending with a newline) of exactly that many fields, starting
/// with the point's number. Gives what is wrong.
pub fn check_row(text: &str, point: usize, fields: usize) -> Result<(), String> {
    if text.is_empty() {
        return Err("it is empty".to_string());
    }
    if !text.ends_with('\n') {
        return Err("its row does not end with a newline (it was cut short)".to_string());
    }
    let rows = read_csv(text)?;
    match rows.as_slice() {
        [row] if row.len() != fields => Err(format!("its row has {} fields, expected {fields}", row.len())),
        [row] if row[0] != point.to_string() => Err(format!(
            "its row is of point {}, expected point {point}",
            row[0].escape_debug()
        )),
        [_] => Ok(()),
        rows => Err(format!("it holds {} rows, expected one", rows.len())),
    }
}

/// Checks a CSV result file written whole (a series file): a header and rows of as many
/// fields, ending with a newline. Gives what is wrong.
pub fn check_table(text: &str) -> Result<(), String> {
    if !text.ends_with('\n') {
        return Err("it does not end with a newline (it was cut short)".to_string());
    }
    let rows = read_csv(text)?;
    let width = rows.first().map_or(0, Vec::len);
    match rows.iter().position(|r| r.len() != width) {
        Some(n) => Err(format!(
            "line {} has {} fields, the header {width}",
            n + 1,
            rows[n].len()
        )),
        None => Ok(()),
    }
}

/// points.csv of a sweep: its header, rows, and which columns hold parameters.
#[derive(Clone, Debug)]
pub struct PointsTable {
    /// Column names.
    pub header: Vec<String>,
    /// Data rows, each as long as the header.
    pub rows: Vec<Vec<String>>,
    /// Columns of the varied parameters (between `replications` and the first metric).
    pub parameters: std::ops::Range<usize>,
}

impl PointsTable {
    /// Parses points.csv text.
    pub fn parse(text: &str) -> Result<PointsTable, String> {
        let mut rows = read_csv(text)?;
        if rows.is_empty() {
            return Err("it is empty".to_string());
        }
        let header = rows.remove(0);
        if header.get(..3) != Some(&["point".to_string(), "label".to_string(), "replications".to_string()][..]) {
            return Err("its header does not start with point,label,replications".to_string());
        }
        if let Some(n) = rows.iter().position(|r| r.len() != header.len()) {
            return Err(format!(
                "row {} has {} fields, the header {}",
                n + 2,
                rows[n].len(),
                header.len()
            ));
        }
        // Metrics come as <name>.mean, <name>.ci_low, …; parameters before them.
        let first_metric = (3..header.len())
            .find(|&c| {
                header[c]
                    .strip_suffix(".mean")
                    .is_some_and(|m| header.get(c + 1).is_some_and(|n| *n == format!("{m}.ci_low")))
            })
            .unwrap_or(header.len());
        Ok(PointsTable {
            header,
            rows,
            parameters: 3..first_metric,
        })
    }

    /// The column named `name`, if any.
    pub fn column(&self, name: &str) -> Option<usize> {
        self.header.iter().position(|h| h == name)
    }

    /// The column of the parameter at key path `path`, whether or not its header
    /// carries a unit.
    pub fn parameter_column(&self, path: &str) -> Option<usize> {
        self.parameters
            .clone()
            .find(|&c| split_parameter_header(&self.header[c]).0 == path)
    }

    /// The key path of parameter column `column` (its header less the unit).
    pub fn parameter_path(&self, column: usize) -> &str {
        split_parameter_header(&self.header[column]).0
    }

    /// The unit of parameter column `column`: from its header ("months" of
    /// `stage[2].duration (months)`), or, in points.csv written before units moved to the
    /// header, the unit its first value carries ("18.5 months").
    pub fn parameter_unit(&self, column: usize) -> Option<&str> {
        split_parameter_header(&self.header[column]).1.or_else(|| {
            let first = self.rows.first()?[column].trim();
            first.split_once(' ').map(|(_, u)| u.trim())
        })
    }

    /// The leading number of each row's field in `column` (NaN where there is none):
    /// "18.5 months" gives 18.5.
    pub fn numbers(&self, column: usize) -> Vec<f64> {
        self.rows.iter().map(|r| leading_number(&r[column])).collect()
    }

    /// The leading number of row `row`'s field in `column` (NaN where there is none).
    pub fn number(&self, row: usize, column: usize) -> f64 {
        leading_number(&self.rows[row][column])
    }

    /// The metric names (from the `.mean` columns).
    pub fn metrics(&self) -> Vec<&str> {
        self.header[self.parameters.end..]
            .iter()
            .filter_map(|h| h.strip_suffix(".mean"))
            .collect()
    }
}

/// The number a field starts with ("18.5 months" gives 18.5), NaN when there is none.
pub fn leading_number(text: &str) -> f64 {
    let text = text.trim();
    let end = text.find(char::is_whitespace).unwrap_or(text.len());
    text[..end].parse().unwrap_or(f64::NAN)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_parameter_in_a_unit_is_headed_with_it_and_read_back() {
        assert_eq!(common_unit(["6 months", "22.25 months"]), Some("months".into()));
        assert_eq!(common_unit(["6 months", "2 years"]), None);
        assert_eq!(common_unit(["6 months", "40"]), None);
        assert_eq!(common_unit(["government"]), None);
        assert_eq!(common_unit([]), None);
        let header = parameter_header("stage[2].duration", Some("months"));
        assert_eq!(header, "stage[2].duration (months)");
        assert_eq!(split_parameter_header(&header), ("stage[2].duration", Some("months")));
        assert_eq!(split_parameter_header("enclave[0].seats"), ("enclave[0].seats", None));
        let text = "point,label,replications,enclave[0].seats,stage[2].duration (months),x.mean,x.ci_low\n0,0,4,40,22.25,1,0.5\n";
        let t = PointsTable::parse(text).unwrap();
        let c = t.parameter_column("stage[2].duration").unwrap();
        assert_eq!(
            (c, t.parameter_path(c), t.parameter_unit(c)),
            (4, "stage[2].duration", Some("months"))
        );
        assert_eq!(t.number(0, c), 22.25);
        assert_eq!(t.parameter_unit(3), None);
        // points.csv of earlier versions carried the unit in each value.
        let old = "point,label,replications,stage[2].duration,x.mean,x.ci_low\n0,0,4,22.25 months,1,0.5\n";
        let t = PointsTable::parse(old).unwrap();
        assert_eq!(t.parameter_unit(3), Some("months"));
    }

    #[test]
    fn csv_reader_undoes_feidi_quoting() {
        let rows = read_csv("\u{feff}a,\"b,c\",\"say \"\"hi\"\"\"\r\n1,,3\n").unwrap();
        assert_eq!(rows, [vec!["a", "b,c", "say \"hi\""], vec!["1", "", "3"]]);
        assert!(read_csv("a,\"b\n").is_err());
    }

    #[test]
    fn text_a_spreadsheet_would_run_as_a_formula_is_neutralized() {
        let values: Vec<String> = [
            "=1+1",
            "-5",
            "+2.5",
            "@SUM(A1)",
            "-cmd|' /C calc'!A0",
            "government",
            "18 months",
        ]
        .iter()
        .map(|v| v.to_string())
        .collect();
        let line = row(0, "=HYPERLINK(\"http://x\",\"y\")", 4, &values, &[], None);
        assert_eq!(
            line,
            "0,\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\",4,\"'=1+1\",-5,+2.5,\"'@SUM(A1)\",\"'-cmd|' /C calc'!A0\",government,18 months\n"
        );
        let fields = &read_csv(&line).unwrap()[0];
        assert_eq!(fields[1], "'=HYPERLINK(\"http://x\",\"y\")");
        assert_eq!(fields[4], "-5");
        assert!(check_row(&line, 0, 10).is_ok());
    }

    #[test]
    fn damaged_rows_are_told_apart_from_whole_ones() {
        assert!(check_row("3,\"a,b\",10,1.5\n", 3, 4).is_ok());
        assert!(check_row("", 3, 4).unwrap_err().contains("empty"));
        assert!(check_row("3,x,10,1.", 3, 4).unwrap_err().contains("newline"));
        assert!(check_row("3,x,10\n", 3, 4).unwrap_err().contains("3 fields"));
        assert!(check_row("4,x,10,1\n", 3, 4).unwrap_err().contains("point 4"));
        assert!(check_row("3,x,10,1\n3,x,10,1\n", 3, 4).unwrap_err().contains("2 rows"));
        assert!(check_row("3,\"x,10,1\n", 3, 4).is_err());
        assert!(check_table("a,b\n1,2\n").is_ok());
        assert!(check_table("a,b\n1,2").is_err());
        assert!(check_table("a,b\n1\n").unwrap_err().contains("line 2"));
    }
}
