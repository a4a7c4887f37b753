//! The input reader shared by scenario, sweep and calibration files: TOML parsed with
//! every value's location, typed reads of values, quantities and distributions, unknown
//! keys reported with the nearest valid name, and located diagnostics
//! (`file:line:column: key.path: expected …, found …`).

mod diagnostic;
mod reader;

pub use diagnostic::{edit_distance, nearest, Diagnostic, Diagnostics, LineIndex};
pub use reader::{Dimension, Document, Read, Table, Value};
