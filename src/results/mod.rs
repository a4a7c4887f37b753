//! Result files and the terminal summary. Each result file is one type implementing
//! [`ResultFile`], used by its writer and by every reader (charts, report, `sweep
//! resume`); every file is written whole to a temporary name and renamed into place, so
//! a reader never sees half a file.

pub mod calibration;
pub mod compare;
pub mod complete;
pub mod discovery;
pub mod file;
mod files;
pub mod format;
pub mod manifest;
pub mod marginal;
pub mod optimize;
pub mod points;
pub mod sensitivity;
pub mod summary;
pub mod sweep_plan;
mod table;

pub use calibration::CalibrationFile;
pub use compare::{CompareFile, Stopping, StoppingTarget};
pub use discovery::DiscoveryFile;
pub use file::{ReadError, ResultFile};
pub use files::{series_csv, sha256_hex, write_atomic, RunReport, CONFIDENCE};
pub use format::Lang;
pub use manifest::{FileRecord, Manifest, Study};
pub use sensitivity::SensitivityFile;
pub use summary::SummaryFile;
pub use sweep_plan::SweepPlan;
pub use table::{figure, interval};
