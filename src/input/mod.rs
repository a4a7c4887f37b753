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
