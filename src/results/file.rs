//! One type per result file: the [`ResultFile`] trait that the writers and every reader
//! share, and the located [`ReadError`] a reader gives for a missing or damaged file.

use super::files::{sha256_hex, write_atomic};
use super::manifest::FileRecord;
use std::fmt;
use std::path::{Path, PathBuf};

/// A result file that could not be read or is not what feidi writes: the file, where in
/// it (for JSON, the line and column serde reports) and what was wrong.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReadError {
    /// The file.
    pub path: PathBuf,
    /// Line and column (from 1) of the fault, when known.
    pub location: Option<(usize, usize)>,
    /// What was wrong.
    pub message: String,
}

impl ReadError {
    /// An error about `path` as a whole.
    pub fn new(path: &Path, message: impl Into<String>) -> ReadError {
        ReadError {
            path: path.to_path_buf(),
            location: None,
            message: message.into(),
        }
    }
}

impl fmt::Display for ReadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.location {
            Some((line, column)) => write!(f, "{}:{line}:{column}: {}", self.path.display(), self.message),
            None => write!(f, "{}: {}", self.path.display(), self.message),
        }
    }
}

impl std::error::Error for ReadError {}

/// A file in a results directory, written by feidi and read back by charts, reports and
/// `sweep resume`/`merge` through the same type.
pub trait ResultFile: Sized {
    /// The file's name inside the results directory, such as `summary.json`.
    const NAME: &'static str;

    /// The file's exact bytes.
    fn to_bytes(&self) -> Vec<u8>;

    /// Reads the file from results directory `dir`.
    fn read(dir: &Path) -> Result<Self, ReadError>;

    /// Writes the file into `dir` atomically (a temporary name, then a rename) and
    /// returns its record for manifest.json.
    fn write(&self, dir: &Path) -> std::io::Result<FileRecord> {
        let bytes = self.to_bytes();
        write_atomic(&dir.join(Self::NAME), &bytes)?;
        Ok(FileRecord::of(Self::NAME, &bytes))
    }
}

impl FileRecord {
    /// The record of a file named `name` holding `bytes`.
    pub fn of(name: &str, bytes: &[u8]) -> FileRecord {
        FileRecord {
            name: name.to_string(),
            bytes: bytes.len(),
            sha256: sha256_hex(bytes),
        }
    }
}

/// The text of a result file, without the byte-order mark written for Excel on request.
pub fn read_text(path: &Path) -> Result<String, ReadError> {
    let bytes = std::fs::read(path).map_err(|e| ReadError::new(path, format!("cannot read it: {e}")))?;
    let text = String::from_utf8(bytes).map_err(|_| ReadError::new(path, "expected UTF-8 text, found other bytes"))?;
    Ok(text.strip_prefix('\u{feff}').unwrap_or(&text).to_string())
}

/// Reads the JSON file at `path` into `T`; a fault is located at serde's line and column.
pub fn read_json<T: serde::de::DeserializeOwned>(path: &Path) -> Result<T, ReadError> {
    let text = read_text(path)?;
    serde_json::from_str(&text).map_err(|e| {
        let full = e.to_string();
        // serde's message ends in " at line L column C"; the location goes in front.
        let what = full.rsplit_once(" at line ").map_or(full.as_str(), |(what, _)| what);
        ReadError {
            path: path.to_path_buf(),
            location: (e.line() > 0).then(|| (e.line(), e.column())),
            message: format!("not the JSON feidi writes: {what}"),
        }
    })
}

/// `value` as pretty JSON with a final line break, as every JSON result file is written.
pub fn json_bytes<T: serde::Serialize>(value: &T) -> Vec<u8> {
    let mut bytes = serde_json::to_vec_pretty(value).expect("a result file serializes");
    bytes.push(b'\n');
    bytes
}

/// Implements [`ResultFile`] for a JSON file type.
macro_rules! json_result_file {
    ($type:ty, $name:literal) => {
        impl $crate::results::ResultFile for $type {
            const NAME: &'static str = $name;

            fn to_bytes(&self) -> Vec<u8> {
                $crate::results::file::json_bytes(self)
            }

            fn read(dir: &std::path::Path) -> Result<Self, $crate::results::ReadError> {
                $crate::results::file::read_json(&dir.join(Self::NAME))
            }
        }
    };
}
pub(crate) use json_result_file;

/// Test helpers: a round trip through a directory, and a damaged file.
#[cfg(test)]
pub(crate) mod testing {
    use super::*;

    /// A fresh empty directory for `what`.
    pub fn temp_dir(what: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("feidi-{what}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    /// Writes `value`, reads it back and checks that it is the same; then damages the
    /// file and checks that the error names it.
    pub fn round_trip<T: ResultFile + PartialEq + std::fmt::Debug>(value: &T, what: &str) {
        let dir = temp_dir(what);
        let record = value.write(&dir).unwrap();
        assert_eq!(record.name, T::NAME);
        assert_eq!(&T::read(&dir).unwrap(), value);
        let path = dir.join(T::NAME);
        let mut bytes = std::fs::read(&path).unwrap();
        bytes.truncate(bytes.len() / 2);
        std::fs::write(&path, &bytes).unwrap();
        let error = T::read(&dir).unwrap_err();
        assert_eq!(error.path, path);
        assert!(error.location.is_some(), "{error}");
        assert!(error.to_string().contains(T::NAME), "{error}");
        std::fs::remove_dir_all(&dir).unwrap();
        let missing = T::read(&dir).unwrap_err();
        assert!(missing.to_string().contains(T::NAME), "{missing}");
    }
}
