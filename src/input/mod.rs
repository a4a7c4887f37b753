//! The input reader shared by scenario, sweep and calibration files: TOML parsed with
//! every value's location, typed reads of values, quantities and distributions, unknown
//! keys reported with the nearest valid name, and located diagnostics
//! (`file:line:column: key.path: expected …, found …`).

mod diagnostic;
mod name;
mod reader;

pub use diagnostic::{edit_distance, nearest, Diagnostic, Diagnostics, LineIndex};
pub use name::{check_plain_name, MAX_NAME_CHARS, PLAIN_NAME};
pub use reader::{Dimension, Document, Read, Table, Value};

/// The error for an input file that cannot be opened: `what` says what it should be
/// ("scenario file", "calibration file").
pub fn unreadable(file: &str, what: &str, e: std::io::Error) -> Diagnostics {
    Diagnostics(vec![Diagnostic {
        file: file.to_string(),
        line: 0,
        column: 0,
        path: String::new(),
        expected: format!("a readable {what}"),
        found: format!("an error opening it: {e}"),
        hint: None,
        snippet: None,
    }])
}

/// A base scenario's text as a TOML table to set key paths in (the scenario reader
/// validates it; this fails only on a syntax error that reader reports first).
pub fn toml_table(file: &str, text: &str) -> Result<toml::Table, Diagnostics> {
    toml::from_str(text).map_err(|e: toml::de::Error| {
        Diagnostics(vec![Diagnostic {
            file: file.to_string(),
            line: 0,
            column: 0,
            path: String::new(),
            expected: "valid TOML".to_string(),
            found: format!("a syntax error: {}", e.message()),
            hint: None,
            snippet: None,
        }])
    })
}

/// Checks that input bytes are UTF-8, locating the first bad byte if not.
pub fn decode<'b>(file: &str, bytes: &'b [u8]) -> Result<&'b str, Diagnostics> {
    std::str::from_utf8(bytes).map_err(|e| {
        let good = e.valid_up_to();
        let prefix = std::str::from_utf8(&bytes[..good]).unwrap_or("");
        Document::error_at(
            file,
            prefix,
            good,
            "UTF-8 text",
            &format!(
                "the byte 0x{:02x}, which is not UTF-8 (save the file as UTF-8)",
                bytes[good]
            ),
        )
    })
}
