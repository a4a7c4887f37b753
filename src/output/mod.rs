//! Result files and the terminal summary. Every file is written whole to a temporary
//! name and renamed into place, so a reader never sees half a file.

mod files;
pub mod points;
mod table;

pub use files::{series_csv, sha256_hex, write_atomic, RunReport, CONFIDENCE};
pub use table::{figure, summary_table};
