//! Names from input files that become file or folder names (a sweep's, a calibration's
//! or a scenario's name names its results folder): only a plain file name is accepted.

/// Longest name accepted, in characters.
pub const MAX_NAME_CHARS: usize = 100;

/// Names Windows reserves for devices, with or without an extension.
const RESERVED: [&str; 22] = [
    "CON", "PRN", "AUX", "NUL", "COM1", "COM2", "COM3", "COM4", "COM5", "COM6", "COM7", "COM8", "COM9", "LPT1", "LPT2",
    "LPT3", "LPT4", "LPT5", "LPT6", "LPT7", "LPT8", "LPT9",
];

/// What a name that becomes a file or folder name must be, for messages.
pub const PLAIN_NAME: &str = "a plain file name (not empty, `.` or `..`; no `/`, `\\`, control characters or Windows device names such as CON; at most 100 characters)";

/// Checks that `name` is a plain file name, safe as one component of a path on every
/// system: not empty, `.` or `..`, no `/` or `\`, no NUL or other control character, not
/// absolute, not a Windows device name (CON, PRN, AUX, NUL, COM1–9, LPT1–9, any case,
/// with or without an extension), at most [`MAX_NAME_CHARS`] characters. Gives why not.
pub fn check_plain_name(name: &str) -> Result<(), String> {
    if name.is_empty() {
        return Err("it is empty".to_string());
    }
    if name == "." || name == ".." {
        return Err(format!("`{name}` names a folder, not a file"));
    }
    if let Some(c) = name.chars().find(|c| *c == '/' || *c == '\\') {
        return Err(format!("it contains `{c}`, which separates folders"));
    }
    if let Some(c) = name.chars().find(|c| c.is_control()) {
        return Err(format!("it contains the control character U+{:04X}", c as u32));
    }
    if name.contains(':') {
        return Err("it contains `:`, which names a drive or a stream on Windows".to_string());
    }
    let count = name.chars().count();
    if count > MAX_NAME_CHARS {
        return Err(format!("it has {count} characters, more than {MAX_NAME_CHARS}"));
    }
    let stem = name.split('.').next().unwrap_or(name).trim_end();
    if RESERVED.iter().any(|r| r.eq_ignore_ascii_case(stem)) {
        return Err(format!("`{stem}` is a device name on Windows"));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hostile_names_are_refused() {
        let long = "a".repeat(101);
        for name in [
            "",
            ".",
            "..",
            "../../x",
            "../x",
            "a/b",
            "/etc/passwd",
            "/",
            "a\\b",
            "..\\x",
            "C:\\x",
            "C:",
            "a\0b",
            "a\nb",
            "tab\there",
            "\u{7f}",
            "CON",
            "con",
            "Con.txt",
            "nul",
            "NUL.csv",
            "aux",
            "prn.tar.gz",
            "COM1",
            "com9.json",
            "LPT1",
            "lpt9",
            "CON ",
            long.as_str(),
        ] {
            assert!(check_plain_name(name).is_err(), "{name:?} was accepted");
        }
    }

    #[test]
    fn plain_names_are_accepted() {
        let hundred = "é".repeat(100);
        for name in [
            "dazu-seats",
            "sweep_1",
            "a.b",
            "v1.2",
            "大足-成都",
            "console",
            "COM10",
            "LPT",
            "conx.txt",
            ".hidden",
            hundred.as_str(),
        ] {
            assert!(check_plain_name(name).is_ok(), "{name:?} was refused");
        }
    }
}
