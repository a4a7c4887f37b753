//! Key paths into a scenario file ("enclave[0].operator.admission_bar"), setting values
//! at them, and [`with_overrides`]: a base scenario plus overrides becomes a validated
//! scenario. Sweep points and calibration particles are built this one way.

use super::Scenario;
use crate::input::Diagnostics;
use std::fmt;

/// One step of a key path.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) enum Step {
    Key(String),
    Index(usize),
}

/// A path to one setting in a scenario file: keys separated by dots, array items by
/// `[i]` counted from 0, as in feidi's error messages.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KeyPath {
    text: String,
    steps: Vec<Step>,
}

impl fmt::Display for KeyPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl KeyPath {
    /// The steps of the path.
    pub(super) fn steps(&self) -> &[Step] {
        &self.steps
    }

    /// Parses a key path such as `enclave[0].seats`.
    pub fn parse(text: &str) -> Result<KeyPath, String> {
        let mut steps = Vec::new();
        for part in text.split('.') {
            let (key, mut rest) = part.split_at(part.find('[').unwrap_or(part.len()));
            if key.is_empty() {
                return Err("a key is missing before a dot or a bracket".to_string());
            }
            steps.push(Step::Key(key.to_string()));
            while !rest.is_empty() {
                let close = rest.find(']').ok_or("a `[` is not closed")?;
                let index = rest[1..close]
                    .parse()
                    .map_err(|_| format!("`{}` is not an array index", &rest[1..close]))?;
                steps.push(Step::Index(index));
                rest = &rest[close + 1..];
                if !rest.is_empty() && !rest.starts_with('[') {
                    return Err(format!("unexpected `{rest}` after an index"));
                }
            }
        }
        Ok(KeyPath {
            text: text.to_string(),
            steps,
        })
    }
}

/// Reads the `path` key of a calibration's `[[parameter]]` or an optimization's
/// `[[lever]]`: a key path not in `seen` (then added to it), with its span; `already`
/// names what a repeated path would be ("calibrated", "a lever").
pub fn read_key_path(
    table: &crate::input::Table<'_, '_>,
    seen: &mut Vec<KeyPath>,
    already: &str,
) -> crate::input::Read<(KeyPath, std::ops::Range<usize>)> {
    let v = table.required("path", "the key path of the setting, such as \"enclave[0].seats\"")?;
    let text = v.string()?;
    match KeyPath::parse(text) {
        Ok(p) if seen.contains(&p) => {
            v.fail(
                &format!("a key path not already {already}"),
                &format!("\"{text}\" again"),
                None,
            );
            None
        }
        Ok(p) => {
            seen.push(p.clone());
            Some((p, v.span()))
        }
        Err(why) => {
            v.fail(
                "a key path such as \"enclave[0].seats\"",
                &format!("\"{text}\" ({why})"),
                None,
            );
            None
        }
    }
}

/// The value at `path` in `doc`, if every step exists.
pub fn lookup<'d>(doc: &'d toml::Table, path: &KeyPath) -> Option<&'d toml::Value> {
    let (first, rest) = path.steps.split_first()?;
    let Step::Key(key) = first else {
        return None;
    };
    let mut here = doc.get(key)?;
    for step in rest {
        here = match step {
            Step::Key(key) => here.as_table()?.get(key)?,
            Step::Index(i) => here.as_array()?.get(*i)?,
        };
    }
    Some(here)
}

/// Sets `value` at `path` in `doc`. Every step but the last must exist; the last key
/// may be new (an optional setting the base scenario leaves at its default).
pub fn apply(doc: &mut toml::Table, path: &KeyPath, value: toml::Value) -> Result<(), String> {
    let (last, walk) = path.steps.split_last().ok_or("an empty key path")?;
    let mut here: &mut toml::Value = match walk.first() {
        None => {
            let Step::Key(key) = last else {
                return Err("a path cannot start with an index".to_string());
            };
            doc.insert(key.clone(), value);
            return Ok(());
        }
        Some(Step::Key(first)) => doc
            .get_mut(first)
            .ok_or_else(|| format!("the base scenario has no `{first}`"))?,
        Some(Step::Index(_)) => return Err("a path cannot start with an index".to_string()),
    };
    let mut so_far = String::new();
    for step in &walk[1..] {
        so_far = describe(&so_far, walk, step);
        here = match (step, here) {
            (Step::Key(k), toml::Value::Table(t)) => t
                .get_mut(k)
                .ok_or_else(|| format!("the base scenario has no `{so_far}`"))?,
            (Step::Index(i), toml::Value::Array(a)) => {
                let n = a.len();
                a.get_mut(*i)
                    .ok_or_else(|| format!("`{so_far}` is beyond the {n} items there"))?
            }
            _ => return Err(format!("`{so_far}` does not lead to a table or an array")),
        };
    }
    match (last, here) {
        (Step::Key(k), toml::Value::Table(t)) => {
            t.insert(k.clone(), value);
            Ok(())
        }
        (Step::Index(i), toml::Value::Array(a)) if *i < a.len() => {
            a[*i] = value;
            Ok(())
        }
        _ => Err(format!("`{path}` does not name a setting of the base scenario")),
    }
}

/// Why a base scenario with overrides is not a scenario.
#[derive(Debug)]
pub enum OverrideError {
    /// An override names no setting of the base scenario (`path`, the value, why).
    Path {
        /// The key path.
        path: String,
        /// The value being set, as TOML.
        value: String,
        /// What is wrong with the path.
        why: String,
    },
    /// The overridden table cannot be written as TOML text.
    Unwritable(String),
    /// The overridden scenario does not validate.
    Invalid(Diagnostics),
}

impl fmt::Display for OverrideError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            OverrideError::Path { path, value, why } => write!(f, "{path} = {value}: {why}"),
            OverrideError::Unwritable(why) => write!(f, "cannot write the scenario: {why}"),
            OverrideError::Invalid(d) => write!(f, "{d}"),
        }
    }
}

/// The base scenario's table `base` with each `(path, value)` set, not yet validated
/// (a failing sweep point's scenario is written out from it as it is).
pub fn overridden<'p>(
    base: &toml::Table,
    overrides: impl IntoIterator<Item = (&'p KeyPath, toml::Value)>,
) -> Result<toml::Table, OverrideError> {
    let mut doc = base.clone();
    for (path, value) in overrides {
        let shown = value.to_string();
        apply(&mut doc, path, value).map_err(|why| OverrideError::Path {
            path: path.to_string(),
            value: shown,
            why,
        })?;
    }
    Ok(doc)
}

/// The base scenario's table `base` with each `(path, value)` set, validated as a
/// scenario named `name` in messages.
pub fn with_overrides<'p>(
    base: &toml::Table,
    overrides: impl IntoIterator<Item = (&'p KeyPath, toml::Value)>,
    name: &str,
) -> Result<Scenario, OverrideError> {
    let doc = overridden(base, overrides)?;
    let text = toml::to_string(&doc).map_err(|e| OverrideError::Unwritable(e.to_string()))?;
    Scenario::from_toml(name, &text).map_err(OverrideError::Invalid)
}

fn describe(so_far: &str, walk: &[Step], step: &Step) -> String {
    let first = match &walk[0] {
        Step::Key(k) => k.as_str(),
        Step::Index(_) => "",
    };
    let base = if so_far.is_empty() {
        first.to_string()
    } else {
        so_far.to_string()
    };
    match step {
        Step::Key(k) => format!("{base}.{k}"),
        Step::Index(i) => format!("{base}[{i}]"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sets_nested_values_and_reports_missing_steps() {
        let mut doc: toml::Table = toml::from_str("[[enclave]]\nseats = 10\n[enclave.operator]\nfee = 1\n").unwrap();
        apply(
            &mut doc,
            &KeyPath::parse("enclave[0].seats").unwrap(),
            toml::Value::Integer(60),
        )
        .unwrap();
        apply(
            &mut doc,
            &KeyPath::parse("enclave[0].operator.admission_bar").unwrap(),
            toml::Value::Float(0.5),
        )
        .unwrap();
        assert_eq!(doc["enclave"][0]["seats"].as_integer(), Some(60));
        assert_eq!(doc["enclave"][0]["operator"]["admission_bar"].as_float(), Some(0.5));
        let err = apply(
            &mut doc,
            &KeyPath::parse("enclave[3].seats").unwrap(),
            toml::Value::Integer(1),
        )
        .unwrap_err();
        assert!(err.contains("beyond the 1 items"), "{err}");
        assert!(KeyPath::parse("enclave[x]").is_err());
        assert!(KeyPath::parse(".seats").is_err());
    }
}
