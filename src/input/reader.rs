//! A walker over a parsed TOML document that keeps every value's location, so that
//! any later check can report file:line:column and the key path. Errors are collected,
//! not thrown, so that one pass reports every problem in the file.

use super::diagnostic::{nearest, Diagnostic, Diagnostics, LineIndex};
use crate::dist::Distribution;
use crate::units;
use std::cell::RefCell;
use std::ops::Range;
use toml::de::{DeTable, DeValue};
use toml::Spanned;

/// A parsed document and the errors found in it so far.
pub struct Document<'a> {
    file: String,
    lines: LineIndex<'a>,
    root: Spanned<DeTable<'a>>,
    errors: RefCell<Vec<Diagnostic>>,
}

impl<'a> Document<'a> {
    /// Parses `text` (named `file` in messages); a syntax error is returned located.
    pub fn parse(file: &str, text: &'a str) -> Result<Self, Diagnostics> {
        let lines = LineIndex::new(text);
        match DeTable::parse(text) {
            Ok(root) => Ok(Document {
                file: file.to_string(),
                lines,
                root,
                errors: RefCell::new(Vec::new()),
            }),
            Err(e) => {
                let span = e.span().unwrap_or(0..0);
                let message = e.message().trim().to_string();
                let doc = Document {
                    file: file.to_string(),
                    lines,
                    root: Spanned::new(0..0, DeTable::new()),
                    errors: RefCell::new(Vec::new()),
                };
                doc.error(span, "", "valid TOML", &format!("a syntax error: {message}"), None);
                Err(doc.into_errors().expect_err("one error was recorded"))
            }
        }
    }

    /// Parses `text` and reads its root table with `read`, reporting unknown keys: the
    /// value when nothing was wrong, else every error recorded. `what` names the kind
    /// of file ("scenario", "sweep") in the one error given if `read` failed without
    /// recording why.
    pub fn read_whole<T>(
        file: &str,
        text: &'a str,
        what: &str,
        read: impl FnOnce(&Table<'_, 'a>) -> Option<T>,
    ) -> Result<T, Diagnostics> {
        let doc = Document::parse(file, text)?;
        let value = {
            let root = doc.root();
            let value = read(&root);
            root.finish();
            value
        };
        let failed = doc.has_errors();
        doc.into_errors()?;
        match value {
            Some(v) if !failed => Ok(v),
            _ => Err(Diagnostics(vec![Diagnostic {
                file: file.to_string(),
                line: 1,
                column: 1,
                path: String::new(),
                expected: format!("a complete {what}"),
                found: format!("a {what} that could not be read (no specific error was recorded; please report this)"),
                hint: None,
                snippet: None,
            }])),
        }
    }

    /// Builds a document whose only content is an error at `offset` (for inputs that
    /// cannot even be parsed, such as text that is not UTF-8).
    pub fn error_at(file: &str, text: &str, offset: usize, expected: &str, found: &str) -> Diagnostics {
        let lines = LineIndex::new(text);
        let (line, column, snippet) = lines.locate(offset);
        Diagnostics(vec![Diagnostic {
            file: file.to_string(),
            line,
            column,
            path: String::new(),
            expected: expected.to_string(),
            found: found.to_string(),
            hint: None,
            snippet: Some(snippet.to_string()),
        }])
    }

    /// The top-level table.
    pub fn root(&self) -> Table<'_, 'a> {
        Table {
            doc: self,
            path: String::new(),
            span: self.root.span(),
            map: self.root.get_ref(),
            known: RefCell::new(Vec::new()),
        }
    }

    /// Records an error at `span`.
    pub fn error(&self, span: Range<usize>, path: &str, expected: &str, found: &str, hint: Option<String>) {
        let (line, column, snippet) = self.lines.locate(span.start);
        self.errors.borrow_mut().push(Diagnostic {
            file: self.file.clone(),
            line,
            column,
            path: path.to_string(),
            expected: expected.to_string(),
            found: found.to_string(),
            hint,
            snippet: Some(snippet.to_string()),
        });
    }

    /// Whether any error has been recorded.
    pub fn has_errors(&self) -> bool {
        !self.errors.borrow().is_empty()
    }

    /// `Ok(())` when the document is clean, otherwise every error in file order.
    pub fn into_errors(self) -> Result<(), Diagnostics> {
        let mut errors = self.errors.into_inner();
        if errors.is_empty() {
            return Ok(());
        }
        errors.sort_by_key(|d| (d.line, d.column));
        errors.dedup();
        Err(Diagnostics(errors))
    }
}

/// Describes a TOML value for "found ..." messages.
fn describe(value: &DeValue<'_>) -> String {
    match value {
        DeValue::String(s) => format!("the string \"{}\"", truncate(s)),
        DeValue::Integer(i) => format!("the integer {i}"),
        DeValue::Float(x) => format!("the number {x}"),
        DeValue::Boolean(b) => format!("the boolean {b}"),
        DeValue::Datetime(d) => format!("the date {d}"),
        DeValue::Array(a) => format!("an array of {} item{}", a.len(), if a.len() == 1 { "" } else { "s" }),
        DeValue::Table(_) => "a table".to_string(),
    }
}

fn truncate(s: &str) -> String {
    if s.chars().count() > 60 {
        format!("{}…", s.chars().take(60).collect::<String>())
    } else {
        s.to_string()
    }
}

/// The physical kind of a quantity in a distribution or value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Dimension {
    /// A time span, written with a unit ("18 months"); kept in months.
    Duration,
    /// A plain number (a count, a share, a score).
    Number,
}

/// One value in the document, with its location and key path.
#[derive(Clone)]
pub struct Value<'d, 'a> {
    doc: &'d Document<'a>,
    path: String,
    value: &'d Spanned<DeValue<'a>>,
}

/// The result of reading a value: `None` means an error has been recorded.
pub type Read<T> = Option<T>;

impl<'d, 'a> Value<'d, 'a> {
    /// The value's byte span in the source.
    pub fn span(&self) -> Range<usize> {
        self.value.span()
    }

    /// The key path of this value.
    pub fn path(&self) -> &str {
        &self.path
    }

    /// Records an error at this value.
    pub fn fail(&self, expected: &str, found: &str, hint: Option<String>) {
        self.doc.error(self.span(), &self.path, expected, found, hint);
    }

    /// Records that this value is not what was `expected`.
    pub fn mismatch<T>(&self, expected: &str) -> Read<T> {
        self.fail(expected, &describe(self.value.get_ref()), None);
        None
    }

    /// Whether the value is a string (to read a key that takes a name or a number).
    pub fn is_string(&self) -> bool {
        matches!(self.value.get_ref(), DeValue::String(_))
    }

    /// A string.
    pub fn string(&self) -> Read<&'d str> {
        match self.value.get_ref() {
            DeValue::String(s) => Some(s.as_ref()),
            _ => self.mismatch("a string"),
        }
    }

    /// A string that becomes a file or folder name: a plain file name
    /// ([`super::check_plain_name`]); `what` says what it names.
    pub fn plain_name(&self, what: &str) -> Read<String> {
        let s = self.string()?;
        match super::check_plain_name(s) {
            Ok(()) => Some(s.to_string()),
            Err(why) => {
                self.fail(
                    &format!("{} ({what})", super::PLAIN_NAME),
                    &format!("\"{}\" ({why})", s.escape_debug()),
                    None,
                );
                None
            }
        }
    }

    /// One of `choices`, with the nearest one suggested on a typo.
    pub fn choice(&self, choices: &[&'static str]) -> Read<&'static str> {
        let s = self.string()?;
        if let Some(c) = choices.iter().find(|c| **c == s) {
            return Some(c);
        }
        let list = choices
            .iter()
            .map(|c| format!("\"{c}\""))
            .collect::<Vec<_>>()
            .join(", ");
        let hint = nearest(s, choices.iter().copied()).map(|n| format!("did you mean \"{n}\"?"));
        self.fail(&format!("one of {list}"), &format!("\"{}\"", truncate(s)), hint);
        None
    }

    /// A boolean.
    pub fn boolean(&self) -> Read<bool> {
        match self.value.get_ref() {
            DeValue::Boolean(b) => Some(*b),
            _ => self.mismatch("true or false"),
        }
    }

    /// A finite number (integer or float).
    pub fn number(&self) -> Read<f64> {
        match self.value.get_ref() {
            DeValue::Integer(i) => match i64::from_str_radix(i.as_str(), i.radix()) {
                Ok(v) => Some(v as f64),
                Err(_) => self.mismatch("a number that fits in 64 bits"),
            },
            DeValue::Float(x) => match x.as_str().parse::<f64>() {
                Ok(v) if v.is_finite() => Some(v),
                _ => self.mismatch("a finite number"),
            },
            DeValue::String(s) if units::parse_duration(s).is_ok() => self.mismatch("a plain number (no unit)"),
            _ => self.mismatch("a number"),
        }
    }

    /// A number in [min, max].
    pub fn number_in(&self, min: f64, max: f64, what: &str) -> Read<f64> {
        let v = self.number()?;
        if v < min || v > max {
            self.fail(&format!("{what} between {min} and {max}"), &v.to_string(), None);
            return None;
        }
        Some(v)
    }

    /// A probability in [0, 1].
    pub fn probability(&self) -> Read<f64> {
        self.number_in(0.0, 1.0, "a probability")
    }

    /// A whole number in [min, max].
    pub fn integer_in(&self, min: u64, max: u64, what: &str) -> Read<u64> {
        let DeValue::Integer(i) = self.value.get_ref() else {
            return self.mismatch(&format!("{what} (a whole number)"));
        };
        match i64::from_str_radix(i.as_str(), i.radix()) {
            Ok(v) if v >= 0 && (v as u64) >= min && (v as u64) <= max => Some(v as u64),
            Ok(v) => {
                self.fail(&format!("{what} between {min} and {max}"), &v.to_string(), None);
                None
            }
            Err(_) => self.mismatch(&format!("{what} between {min} and {max}")),
        }
    }

    fn quantity(&self, what: &str, example: &str, parse: fn(&str) -> Result<f64, String>) -> Read<f64> {
        match self.value.get_ref() {
            DeValue::String(s) => match parse(s) {
                Ok(v) => Some(v),
                Err(why) => {
                    self.fail(
                        &format!("{what} such as \"{example}\""),
                        &format!("\"{}\" ({why})", truncate(s)),
                        None,
                    );
                    None
                }
            },
            DeValue::Integer(_) | DeValue::Float(_) => {
                let hint = Some(format!("write the unit, e.g. \"{example}\""));
                self.fail(
                    &format!("{what} with a unit, such as \"{example}\""),
                    &describe(self.value.get_ref()),
                    hint,
                );
                None
            }
            other => {
                self.fail(&format!("{what} such as \"{example}\""), &describe(other), None);
                None
            }
        }
    }

    /// A duration with a unit, in months, not negative.
    pub fn duration(&self) -> Read<f64> {
        let v = self.quantity("a duration", "18 months", units::parse_duration)?;
        if v < 0.0 {
            self.fail("a duration of zero or more", &format!("{v} months"), None);
            return None;
        }
        Some(v)
    }

    /// A rate with a unit, in events per month, not negative.
    pub fn rate(&self) -> Read<f64> {
        let v = self.quantity("a rate", "40 per year", units::parse_rate)?;
        if v < 0.0 {
            self.fail("a rate of zero or more", &format!("{v} per month"), None);
            return None;
        }
        Some(v)
    }

    /// A travel time with a unit, in hours, not negative.
    pub fn hours(&self) -> Read<f64> {
        let v = self.quantity("a travel time", "1.5 hours", units::parse_hours)?;
        if v < 0.0 {
            self.fail("a travel time of zero or more", &format!("{v} hours"), None);
            return None;
        }
        Some(v)
    }

    /// A quantity of the given dimension.
    pub fn measure(&self, dimension: Dimension) -> Read<f64> {
        match dimension {
            Dimension::Duration => self.duration(),
            Dimension::Number => self.number(),
        }
    }

    /// The value as a plain TOML value (for copying it into another document).
    pub fn to_toml(&self) -> toml::Value {
        fn convert(v: &DeValue<'_>) -> toml::Value {
            match v {
                DeValue::String(s) => toml::Value::String(s.to_string()),
                DeValue::Integer(i) => i64::from_str_radix(i.as_str(), i.radix())
                    .map_or_else(|_| toml::Value::String(i.to_string()), toml::Value::Integer),
                DeValue::Float(x) => toml::Value::Float(x.as_str().parse().unwrap_or(f64::NAN)),
                DeValue::Boolean(b) => toml::Value::Boolean(*b),
                DeValue::Datetime(d) => toml::Value::Datetime(*d),
                DeValue::Array(items) => toml::Value::Array(items.iter().map(|i| convert(i.get_ref())).collect()),
                DeValue::Table(t) => toml::Value::Table(
                    t.iter()
                        .map(|(k, v)| (k.get_ref().to_string(), convert(v.get_ref())))
                        .collect(),
                ),
            }
        }
        convert(self.value.get_ref())
    }

    /// Whether the value is a table (no error either way).
    pub fn is_table(&self) -> bool {
        matches!(self.value.get_ref(), DeValue::Table(_))
    }

    /// An inline or standard table.
    pub fn table(&self) -> Read<Table<'d, 'a>> {
        match self.value.get_ref() {
            DeValue::Table(map) => Some(Table {
                doc: self.doc,
                path: self.path.to_string(),
                span: self.span(),
                map,
                known: RefCell::new(Vec::new()),
            }),
            _ => self.mismatch("a table"),
        }
    }

    /// An array; each item gets the path `path[i]`.
    pub fn array(&self) -> Read<Vec<Value<'d, 'a>>> {
        match self.value.get_ref() {
            DeValue::Array(items) => Some(
                items
                    .iter()
                    .enumerate()
                    .map(|(i, v)| Value {
                        doc: self.doc,
                        path: format!("{}[{i}]", self.path),
                        value: v,
                    })
                    .collect(),
            ),
            _ => self.mismatch("an array"),
        }
    }

    /// An array of plain numbers.
    pub fn numbers(&self) -> Read<Vec<f64>> {
        let items = self.array()?;
        let values: Vec<Read<f64>> = items.iter().map(|v| v.number()).collect();
        values.into_iter().collect()
    }

    /// A random quantity: a plain value (a constant) or a table naming a distribution.
    pub fn distribution(&self, dimension: Dimension) -> Read<Distribution> {
        if !matches!(self.value.get_ref(), DeValue::Table(_)) {
            let v = self.measure(dimension)?;
            return self.built(Distribution::constant(v), dimension);
        }
        let t = self.table()?;
        let kind = t.required("dist", "the name of a distribution")?.choice(&[
            "constant",
            "exponential",
            "uniform",
            "triangular",
            "pert",
            "lognormal",
            "gamma",
            "weibull",
            "empirical",
        ]);
        let p = |key: &'static str| t.required(key, "a value").and_then(|v| v.measure(dimension));
        let built = match kind? {
            "constant" => p("value").map(Distribution::constant),
            "exponential" => p("mean").map(Distribution::exponential),
            "uniform" => both(p("min"), p("max")).map(|(a, b)| Distribution::uniform(a, b)),
            "triangular" => three(p("min"), p("mode"), p("max")).map(|(a, m, b)| Distribution::triangular(a, m, b)),
            "pert" => three(p("min"), p("mode"), p("max")).map(|(a, m, b)| Distribution::pert(a, m, b)),
            "lognormal" => {
                if t.has("median") || t.has("p90") {
                    both(p("median"), p("p90")).map(|(m, q)| Distribution::lognormal_median_p90(m, q))
                } else if t.has("mean") || t.has("sd") {
                    both(p("mean"), p("sd")).map(|(m, s)| Distribution::lognormal_mean_sd(m, s))
                } else {
                    t.missing("median", "`median` and `p90`, or `mean` and `sd`");
                    None
                }
            }
            "gamma" => {
                if t.has("shape") || t.has("scale") {
                    let shape = t.required("shape", "a value").and_then(|v| v.number());
                    both(shape, p("scale")).map(|(k, s)| Distribution::gamma_shape_scale(k, s))
                } else {
                    both(p("mean"), p("sd")).map(|(m, s)| Distribution::gamma_mean_sd(m, s))
                }
            }
            "weibull" => {
                let shape = t.required("shape", "a value").and_then(|v| v.number());
                both(p("scale"), shape).map(|(s, k)| Distribution::weibull(s, k))
            }
            "empirical" => {
                let values = t.required("values", "an array of values").and_then(|v| {
                    let items = v.array()?;
                    let read: Vec<Read<f64>> = items.iter().map(|i| i.measure(dimension)).collect();
                    read.into_iter().collect::<Read<Vec<f64>>>()
                });
                let weights = t.get("weights").map(|w| w.numbers());
                match (values, weights) {
                    (Some(v), None) => Some(Distribution::empirical(&v, None)),
                    (Some(v), Some(Some(w))) => Some(Distribution::empirical(&v, Some(&w))),
                    _ => None,
                }
            }
            _ => unreachable!("choice() only returns listed names"),
        };
        t.finish();
        self.built(built?, dimension)
    }

    fn built(&self, result: Result<Distribution, String>, dimension: Dimension) -> Read<Distribution> {
        match result {
            // A finite, bounded mean keeps every event time finite.
            Ok(d) if !d.mean().is_finite() => {
                self.fail(
                    "a distribution with a finite mean",
                    "one whose mean overflows",
                    Some("check the units and the shape parameter".to_string()),
                );
                None
            }
            Ok(d) if dimension == Dimension::Duration && d.mean().abs() > crate::units::MAX_MONTHS => {
                self.fail(
                    "a duration distribution with a mean of at most 10,000 years",
                    &format!("one whose mean is {:.3e} months", d.mean()),
                    Some("check the units and the shape parameter".to_string()),
                );
                None
            }
            Ok(d) => Some(d),
            Err(why) => {
                self.fail("a valid distribution", &why, None);
                None
            }
        }
    }
}

fn both<A, B>(a: Read<A>, b: Read<B>) -> Read<(A, B)> {
    Some((a?, b?))
}

fn three<A, B, C>(a: Read<A>, b: Read<B>, c: Read<C>) -> Read<(A, B, C)> {
    Some((a?, b?, c?))
}

/// A table in the document; keys read through it are remembered, so that [`Table::finish`]
/// can reject the unknown ones and suggest the nearest valid name.
pub struct Table<'d, 'a> {
    doc: &'d Document<'a>,
    path: String,
    span: Range<usize>,
    map: &'d DeTable<'a>,
    known: RefCell<Vec<&'static str>>,
}

impl<'d, 'a> Table<'d, 'a> {
    fn child_path(&self, key: &str) -> String {
        if self.path.is_empty() {
            key.to_string()
        } else {
            format!("{}.{key}", self.path)
        }
    }

    /// The key path of this table.
    pub fn path(&self) -> &str {
        &self.path
    }

    /// The document this table belongs to.
    pub fn doc(&self) -> &'d Document<'a> {
        self.doc
    }

    /// Whether `key` is present (and marks it as a valid name).
    pub fn has(&self, key: &'static str) -> bool {
        self.known.borrow_mut().push(key);
        self.map.keys().any(|k| k.get_ref() == key)
    }

    /// The value under `key`, if present.
    pub fn get(&self, key: &'static str) -> Option<Value<'d, 'a>> {
        self.known.borrow_mut().push(key);
        let (_, value) = self.map.iter().find(|(k, _)| k.get_ref() == key)?;
        Some(Value {
            doc: self.doc,
            path: self.child_path(key),
            value,
        })
    }

    /// The value under `key`, recording an error when it is missing.
    pub fn required(&self, key: &'static str, expected: &str) -> Read<Value<'d, 'a>> {
        let v = self.get(key);
        if v.is_none() {
            self.missing(key, expected);
        }
        v
    }

    /// Records that `key` is missing.
    pub fn missing(&self, key: &str, expected: &str) {
        self.doc.error(
            self.span.clone(),
            &self.child_path(key),
            &format!("the key `{key}`: {expected}"),
            "nothing (it is missing)",
            None,
        );
    }

    /// Reads `key` with `read` if present: `Some(None)` means present but invalid.
    pub fn optional<T>(&self, key: &'static str, read: impl FnOnce(Value<'d, 'a>) -> Read<T>) -> Option<Read<T>> {
        self.get(key).map(read)
    }

    /// Reads `key` with `read`, or gives `default` when the key is absent.
    pub fn or<T>(&self, key: &'static str, default: T, read: impl FnOnce(Value<'d, 'a>) -> Read<T>) -> Read<T> {
        self.optional(key, read).unwrap_or(Some(default))
    }

    /// The tables of an array of tables (`[[key]]`), each with path `key[i]`: empty
    /// when the key is absent, `None` (with an error recorded) when it is not an array
    /// of tables.
    pub fn tables(&self, key: &'static str) -> Option<Vec<Table<'d, 'a>>> {
        let Some(v) = self.get(key) else {
            return Some(Vec::new());
        };
        if matches!(v.value.get_ref(), DeValue::Table(_)) {
            v.fail(
                &format!("an array of tables, written [[{key}]]"),
                &format!("a single table, written [{key}]"),
                Some(format!("write [[{key}]] with double brackets, once for each {key}")),
            );
            return None;
        }
        let items = v.array()?;
        let tables: Vec<_> = items.iter().filter_map(|item| item.table()).collect();
        (tables.len() == items.len()).then_some(tables)
    }

    /// Iterates over every (key, value) pair, in file order, marking them valid.
    pub fn entries(&self) -> Vec<(&'d str, Value<'d, 'a>)> {
        let mut entries: Vec<_> = self
            .map
            .iter()
            .map(|(k, v)| {
                (
                    k.get_ref().as_ref(),
                    Value {
                        doc: self.doc,
                        path: self.child_path(k.get_ref()),
                        value: v,
                    },
                )
            })
            .collect();
        entries.sort_by_key(|(_, v)| v.span().start);
        self.known.borrow_mut().push("*");
        entries
    }

    /// Rejects every key that was never asked for, suggesting the nearest valid name.
    pub fn finish(&self) {
        let known = self.known.borrow();
        if known.contains(&"*") {
            return;
        }
        let mut unknown: Vec<_> = self
            .map
            .iter()
            .filter(|(k, _)| !known.contains(&k.get_ref().as_ref()))
            .collect();
        unknown.sort_by_key(|(k, _)| k.span().start);
        for (key, _) in unknown {
            let mut valid: Vec<&str> = known.clone();
            valid.sort_unstable();
            valid.dedup();
            let hint = match nearest(key.get_ref(), valid.iter().copied()) {
                Some(n) => format!("did you mean `{n}`? Valid keys here: {}", valid.join(", ")),
                None => format!("valid keys here: {}", valid.join(", ")),
            };
            self.doc.error(
                key.span(),
                &self.child_path(key.get_ref()),
                "a known key",
                &format!("the unknown key `{}`", key.get_ref()),
                Some(hint),
            );
        }
    }
}
