//! Quantities with units, as planners write them: "18 months", "2 years", "40 per year",
//! "1.5 hours". Simulated time is kept in months throughout feidi.

/// Average days in a month (a 365.25-day year over 12 months).
pub const DAYS_PER_MONTH: f64 = 365.25 / 12.0;

/// Splits "12.5 months" or "12.5months" into the number and the unit text.
fn split_number(text: &str) -> Result<(f64, &str), String> {
    let text = text.trim();
    // The number ends at the first character that cannot continue it; a sign may open
    // the number or follow the `e` of an exponent ("5e-1 years").
    let bytes = text.as_bytes();
    let mut end = 0;
    while end < bytes.len() {
        let c = bytes[end];
        let sign_ok = end == 0 || matches!(bytes[end - 1], b'e' | b'E');
        let exponent_ok = end > 0
            && bytes[end + 1..]
                .first()
                .is_some_and(|d| d.is_ascii_digit() || *d == b'-' || *d == b'+');
        let continues = c.is_ascii_digit()
            || c == b'.'
            || c == b'_'
            || ((c == b'-' || c == b'+') && sign_ok)
            || ((c == b'e' || c == b'E') && exponent_ok);
        if !continues {
            break;
        }
        end += 1;
    }
    let (number, unit) = text.split_at(end);
    let clean: String = number.chars().filter(|&c| c != '_').collect();
    if clean.is_empty() {
        return Err("no number in front of the unit".to_string());
    }
    let value: f64 = clean.parse().map_err(|_| format!("`{number}` is not a number"))?;
    if !value.is_finite() {
        return Err(format!("`{number}` is not a finite number"));
    }
    Ok((value, unit.trim()))
}

/// Longest duration any quantity may have, in months (10,000 years): beyond it a value
/// is a unit mistake, and event times could overflow.
pub const MAX_MONTHS: f64 = 120_000.0;

/// Highest rate accepted, per month.
pub const MAX_RATE_PER_MONTH: f64 = 1e6;

fn at_most(value: f64, max: f64, what: &str) -> Result<f64, String> {
    if value.is_finite() && value.abs() <= max {
        Ok(value)
    } else {
        Err(format!("{what} is beyond the largest accepted, {max}"))
    }
}

/// Months in one of the named time units, or `None` for an unknown unit.
fn months_per(unit: &str) -> Option<f64> {
    Some(match unit.to_ascii_lowercase().as_str() {
        "month" | "months" | "mo" | "月" | "个月" => 1.0,
        "year" | "years" | "yr" | "yrs" | "y" | "年" => 12.0,
        "quarter" | "quarters" | "季度" | "个季度" => 3.0,
        "week" | "weeks" | "wk" | "周" => 7.0 / DAYS_PER_MONTH,
        "day" | "days" | "d" | "天" | "日" => 1.0 / DAYS_PER_MONTH,
        _ => return None,
    })
}

const TIME_UNITS: &str = "days, weeks, months, quarters or years (天, 周, 月, 季度, 年)";

/// Parses a duration such as "18 months" or "2 years" into months.
pub fn parse_duration(text: &str) -> Result<f64, String> {
    let (value, unit) = split_number(text)?;
    if unit.is_empty() {
        return Err(format!("a duration needs a unit: {TIME_UNITS}"));
    }
    let factor = months_per(unit).ok_or_else(|| format!("unknown time unit `{unit}`; use {TIME_UNITS}"))?;
    at_most(value * factor, MAX_MONTHS, "the duration in months")
}

/// Parses a rate such as "40 per year", "3/month" or "40/年" into events per month.
pub fn parse_rate(text: &str) -> Result<f64, String> {
    let (value, rest) = split_number(text)?;
    let lower = rest.to_ascii_lowercase();
    let unit = lower
        .strip_prefix("per ")
        .or_else(|| lower.strip_prefix('/'))
        .or_else(|| lower.strip_prefix("a "))
        .or_else(|| lower.strip_prefix("每"))
        .map(str::trim)
        .ok_or_else(|| "a rate is written as a number per time unit, e.g. \"40 per year\"".to_string())?;
    let factor = months_per(unit).ok_or_else(|| format!("unknown time unit `{unit}`; use {TIME_UNITS}"))?;
    at_most(value / factor, MAX_RATE_PER_MONTH, "the rate per month")
}

/// Parses a travel time such as "1.5 hours" or "90 minutes" into hours.
pub fn parse_hours(text: &str) -> Result<f64, String> {
    let (value, unit) = split_number(text)?;
    let factor = match unit.to_ascii_lowercase().as_str() {
        "hour" | "hours" | "h" | "hr" | "hrs" | "小时" => 1.0,
        "minute" | "minutes" | "min" | "mins" | "分钟" => 1.0 / 60.0,
        "" => return Err("a travel time needs a unit: hours or minutes".to_string()),
        other => return Err(format!("unknown travel-time unit `{other}`; use hours or minutes")),
    };
    at_most(value * factor, 1e6, "the travel time in hours")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_convert_to_months() {
        assert_eq!(parse_duration("18 months").unwrap(), 18.0);
        assert_eq!(parse_duration("2 years").unwrap(), 24.0);
        assert_eq!(parse_duration("1.5年").unwrap(), 18.0);
        assert_eq!(parse_duration("6个月").unwrap(), 6.0);
        assert!((parse_duration("365.25 days").unwrap() - 12.0).abs() < 1e-12);
        assert_eq!(parse_duration("1e1 months").unwrap(), 10.0);
        assert_eq!(parse_duration("5e-1 years").unwrap(), 6.0);
        assert_eq!(parse_duration("-2 months").unwrap(), -2.0);
        assert!(parse_duration("1e308 years").unwrap_err().contains("largest accepted"));
        assert!(parse_rate("1e308 per day").is_err());
        assert!(parse_duration("18").unwrap_err().contains("needs a unit"));
        assert!(parse_duration("18 fortnights")
            .unwrap_err()
            .contains("unknown time unit"));
        assert!(parse_duration("months").is_err());
    }

    #[test]
    fn rates_convert_to_per_month() {
        assert_eq!(parse_rate("24 per year").unwrap(), 2.0);
        assert_eq!(parse_rate("3/month").unwrap(), 3.0);
        assert_eq!(parse_rate("36/年").unwrap(), 3.0);
        assert!(parse_rate("24 year").is_err());
    }

    #[test]
    fn travel_times_convert_to_hours() {
        assert_eq!(parse_hours("1.5 hours").unwrap(), 1.5);
        assert_eq!(parse_hours("90 minutes").unwrap(), 1.5);
        assert!(parse_hours("2").is_err());
    }
}
