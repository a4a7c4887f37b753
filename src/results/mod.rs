//! Result files and the terminal summary. Every file is written whole to a temporary
//! name and renamed into place, so a reader never sees half a file.

pub mod compare;
mod files;
pub mod points;
mod table;

pub use compare::{Stopping, StoppingTarget};
pub use files::{series_csv, sha256_hex, write_atomic, RunReport, CONFIDENCE};
pub use table::{figure, interval, run_table, summary_table};
