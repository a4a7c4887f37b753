//! Figures and intervals for the terminal (`feidi run --replay`, the studies' tables).
//! A run's summary table is `report::terminal`, made from the report's rows.

/// Formats an interval as "low – high" with [`figure`]'s digits.
pub fn interval(low: f64, high: f64) -> String {
    format!("{} – {}", figure(low), figure(high))
}

/// Formats a figure for people (see [`super::format::number`]): separators, about four
/// significant digits, "–" when undefined, never e-notation.
pub fn figure(x: f64) -> String {
    super::format::number(x)
}
