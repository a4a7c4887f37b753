//! Every path the page sends is confined to the studio's working directory: a relative
//! path of plain names, which, once symbolic links are followed, is still inside it.

use std::path::{Component, Path, PathBuf};

/// `root.join(rel)` when `rel` stays inside `root` (itself canonical), else why not.
/// Refused: an empty path, an absolute one, `..` or `.` steps, a drive prefix, NUL
/// bytes, and a path whose existing part leads out of `root` through a symbolic link.
/// A path that does not exist yet is judged by its deepest existing ancestor.
pub fn confine(root: &Path, rel: &str) -> Result<PathBuf, String> {
    let refuse = |why: &str| Err(format!("the path \"{}\" is refused: {why}", rel.escape_debug()));
    if rel.is_empty() {
        return refuse("expected a path inside the working directory, found an empty one");
    }
    if rel.contains('\0') || rel.contains('\\') {
        return refuse("expected a path of plain names separated by /, found a NUL or \\");
    }
    // Step by step as written (Path::components would drop a `.` in the middle).
    for step in rel.split('/') {
        match step {
            "" if rel.starts_with('/') => {
                return refuse("expected a path relative to the working directory, found an absolute path")
            }
            "" => return refuse("expected plain names separated by single /, found an empty step"),
            ".." => return refuse("expected a path inside the working directory, found `..`"),
            "." => return refuse("expected plain names, found `.`"),
            _ => {}
        }
    }
    let path = Path::new(rel);
    if path.components().any(|c| !matches!(c, Component::Normal(_))) {
        return refuse("expected a path relative to the working directory, found an absolute path");
    }
    let joined = root.join(path);
    // The deepest part that exists, with its links followed, must still be in root.
    let mut existing = joined.as_path();
    loop {
        if std::fs::symlink_metadata(existing).is_ok() {
            break;
        }
        match existing.parent() {
            Some(parent) => existing = parent,
            None => return refuse("no part of it exists"),
        }
    }
    match existing.canonicalize() {
        Ok(real) if real.starts_with(root) => Ok(joined),
        Ok(_) => refuse("it leads out of the working directory through a symbolic link"),
        Err(e) => refuse(&format!("cannot resolve it: {e}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_paths_inside_the_root_pass() {
        let dir = std::env::temp_dir().join(format!("feidi-confine-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("inside")).expect("scratch dir");
        let root = dir.join("inside").canonicalize().expect("canonical");
        assert_eq!(confine(&root, "a/b.toml").expect("plain"), root.join("a/b.toml"));
        for bad in [
            "",
            "../x",
            "a/../../x",
            "/etc/passwd",
            "./a",
            "a/./b",
            "a//b",
            "a\\..\\b",
            "a\0b",
        ] {
            assert!(confine(&root, bad).is_err(), "{bad:?} passed");
        }
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink(&dir, root.join("out")).expect("link");
            let refused = confine(&root, "out/secret").expect_err("a link out");
            assert!(refused.contains("symbolic link"), "{refused}");
        }
        let _ = std::fs::remove_dir_all(&dir);
    }
}
