//! Located input errors: file:line:column, key path, what was expected, what was found.

use std::fmt;

/// One problem in an input file, with everything a planner needs to fix it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    /// The file as the user named it.
    pub file: String,
    /// 1-based line.
    pub line: usize,
    /// 1-based column, counted in characters.
    pub column: usize,
    /// Key path such as `enclave[0].seats`; empty for the document itself.
    pub path: String,
    /// What the file should hold here.
    pub expected: String,
    /// What it holds instead.
    pub found: String,
    /// A suggestion, such as the nearest valid key name.
    pub hint: Option<String>,
    /// The offending source line, for display.
    pub snippet: Option<String>,
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.line == 0 {
            write!(f, "{}: ", self.file)?;
        } else {
            write!(f, "{}:{}:{}: ", self.file, self.line, self.column)?;
        }
        if !self.path.is_empty() {
            write!(f, "{}: ", self.path)?;
        }
        write!(f, "expected {}, found {}", self.expected, self.found)?;
        if let Some(snippet) = &self.snippet {
            // Show at most a window of a long line, keeping the caret under the column.
            let chars: Vec<char> = snippet.chars().collect();
            let column = self.column.saturating_sub(1).min(chars.len());
            let start = column.saturating_sub(60);
            let end = (start + 120).min(chars.len());
            let window: String = chars[start..end].iter().collect();
            let open = if start > 0 { "…" } else { "" };
            let close = if end < chars.len() { "…" } else { "" };
            let gutter = self.line.to_string();
            write!(f, "\n {gutter} | {open}{window}{close}")?;
            let caret = column - start + open.chars().count();
            write!(f, "\n {} | {}^", " ".repeat(gutter.len()), " ".repeat(caret))?;
        }
        if let Some(hint) = &self.hint {
            write!(f, "\n  hint: {hint}")?;
        }
        Ok(())
    }
}

/// Everything wrong with one input file (never empty).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostics(pub Vec<Diagnostic>);

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, d) in self.0.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "error: {d}")?;
        }
        let n = self.0.len();
        if n > 1 {
            write!(f, "\n{n} errors")?;
        }
        Ok(())
    }
}

impl std::error::Error for Diagnostics {}

/// Maps byte offsets in a text to 1-based line and character column.
pub struct LineIndex<'a> {
    text: &'a str,
    starts: Vec<usize>,
}

impl<'a> LineIndex<'a> {
    /// Indexes `text`.
    pub fn new(text: &'a str) -> Self {
        let starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        LineIndex { text, starts }
    }

    /// Line, column and the line's text for byte `offset` (clamped to the text).
    pub fn locate(&self, offset: usize) -> (usize, usize, &'a str) {
        let mut offset = offset.min(self.text.len());
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self.starts.partition_point(|&s| s <= offset) - 1;
        let start = self.starts[line];
        let end = self.starts.get(line + 1).map_or(self.text.len(), |&e| e - 1);
        let column = self.text[start..offset].chars().count() + 1;
        (line + 1, column, self.text[start..end].trim_end_matches('\r'))
    }
}

/// The edit distance between two names (for "did you mean" hints).
pub fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut previous = row[0];
        row[0] = i + 1;
        for (j, &cb) in b.iter().enumerate() {
            let current = row[j + 1];
            row[j + 1] = if ca == cb {
                previous
            } else {
                1 + previous.min(row[j]).min(row[j + 1])
            };
            previous = current;
        }
    }
    row[b.len()]
}

/// The candidate nearest to `name`, if it is near enough to be a likely typo.
pub fn nearest<'c>(name: &str, candidates: impl IntoIterator<Item = &'c str>) -> Option<&'c str> {
    candidates
        .into_iter()
        .map(|c| (edit_distance(&name.to_lowercase(), &c.to_lowercase()), c))
        .filter(|&(d, c)| d <= (c.chars().count().max(name.chars().count()) / 3).max(2))
        .min_by_key(|&(d, _)| d)
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locates_lines_and_character_columns() {
        let idx = LineIndex::new("a = 1\n名字 = \"x\"\n");
        assert_eq!(idx.locate(0), (1, 1, "a = 1"));
        let offset = "a = 1\n名字 = ".len();
        assert_eq!(idx.locate(offset), (2, 6, "名字 = \"x\""));
    }

    #[test]
    fn suggests_the_nearest_name() {
        assert_eq!(nearest("seets", ["seats", "sectors", "reach"]), Some("seats"));
        assert_eq!(nearest("zzzzzz", ["seats", "sectors"]), None);
        assert_eq!(edit_distance("kitten", "sitting"), 3);
    }
}
