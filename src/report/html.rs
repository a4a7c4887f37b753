//! A small HTML writer for the report: escaping, sections, tables, inline figures, and
//! the page's styles with the embedded font, so the file needs nothing from outside.

use crate::plot::draw::FONT_BYTES;
use crate::plot::labels::Lang;

/// Escapes text for HTML content and attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Standard base64 with padding (RFC 4648), for data URLs.
pub fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [chunk[0], *chunk.get(1).unwrap_or(&0), *chunk.get(2).unwrap_or(&0)];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for k in 0..4 {
            if k <= chunk.len() {
                out.push(ALPHABET[((n >> (18 - 6 * k)) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

const STYLE: &str = "
body { font-family: 'feidi-cjk', 'Noto Sans CJK SC', 'Noto Sans SC', 'PingFang SC', 'Microsoft YaHei', sans-serif;
       max-width: 1100px; margin: 2em auto; padding: 0 1.5em; color: #1a1a1a; line-height: 1.5; }
header { border-bottom: 3px solid #0072b2; margin-bottom: 1.5em; }
h1 { margin-bottom: 0.2em; }
.kind { color: #0072b2; font-weight: bold; margin: 0; }
.provenance { color: #555; font-size: 0.9em; }
section { margin: 2em 0; }
h2 { border-bottom: 1px solid #ccc; padding-bottom: 0.2em; }
section.part { border-top: 3px solid #0072b2; margin-top: 3em; }
nav.contents ol { margin: 0.3em 0; }
nav.contents ol ol { padding-left: 1em; }
nav.contents ol ol li { display: inline; margin-right: 1.2em; }
table { border-collapse: collapse; width: 100%; font-size: 0.88em; margin: 0.8em 0; }
th, td { border-bottom: 1px solid #e2e2e2; padding: 0.3em 0.5em; text-align: left; vertical-align: top; }
th { background: #f2f6fa; }
.summary-table td:nth-child(7) { white-space: nowrap; }
.summary-table th { white-space: nowrap; }
td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
figure { margin: 1.5em 0; page-break-inside: avoid; }
figure img { width: 100%; height: auto; border: 1px solid #ddd; }
figcaption { color: #444; font-size: 0.9em; }
pre.scenario { background: #f7f7f7; padding: 1em; overflow-x: auto; font-size: 0.8em; }
code { font-size: 0.9em; }
@media print { body { max-width: none; } details { display: block; } }
";

/// A report page being written.
pub struct Html {
    out: String,
    /// Put before every section's and figure's id, so that the parts of a combined report
    /// (`part1-summary`, `part2-summary`) do not share ids.
    prefix: String,
    /// The heading level of a section: 2, or 3 inside a part of a combined report.
    level: u8,
}

impl Html {
    /// Starts a page in `lang` titled `title`.
    pub fn new(lang: Lang, title: &str) -> Html {
        let mut out = String::with_capacity(FONT_BYTES.len() * 4 / 3 + (1 << 16));
        out.push_str(&format!(
            "<!DOCTYPE html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n\
             <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
             <meta name=\"generator\" content=\"feidi {}\">\n<title>{}</title>\n<style>\n",
            lang.code(),
            env!("CARGO_PKG_VERSION"),
            escape(title)
        ));
        // The chart font, so that Chinese text shows on machines with no CJK font.
        out.push_str("@font-face { font-family: 'feidi-cjk'; src: url(data:font/otf;base64,");
        out.push_str(&base64(FONT_BYTES));
        out.push_str(") format('opentype'); }\n");
        out.push_str(STYLE);
        out.push_str("</style>\n</head>\n<body>\n");
        Html {
            out,
            prefix: String::new(),
            level: 2,
        }
    }

    /// Sections and figures from here on belong to a part of a combined report: their
    /// ids start with `prefix` and their headings are one level lower.
    pub fn enter_part(&mut self, prefix: &str) {
        self.prefix = prefix.to_string();
        self.level = 3;
    }

    /// Appends HTML as it is.
    pub fn raw(&mut self, html: &str) {
        self.out.push_str(html);
    }

    /// Opens a section with an id and a heading.
    pub fn section(&mut self, id: &str, heading: &str) {
        self.out.push_str(&format!(
            "<section id=\"{}{id}\">\n<h{level}>{}</h{level}>\n",
            self.prefix,
            escape(heading),
            level = self.level
        ));
    }

    /// Closes a section.
    pub fn end_section(&mut self) {
        self.out.push_str("</section>\n");
    }

    /// A table; cells that look like numbers are right-aligned.
    pub fn table(&mut self, class: &str, header: &[&str], rows: &[Vec<String>]) {
        if rows.is_empty() {
            return;
        }
        self.out.push_str(&format!("<table class=\"{class}\">\n<thead><tr>"));
        for h in header {
            self.out.push_str(&format!("<th>{}</th>", escape(h)));
        }
        self.out.push_str("</tr></thead>\n<tbody>\n");
        for row in rows {
            self.out.push_str("<tr>");
            for cell in row {
                let numeric = cell
                    .chars()
                    .next()
                    .is_some_and(|c| c.is_ascii_digit() || c == '-' || c == '—');
                let class = if numeric { " class=\"num\"" } else { "" };
                self.out.push_str(&format!("<td{class}>{}</td>", escape(cell)));
            }
            self.out.push_str("</tr>\n");
        }
        self.out.push_str("</tbody>\n</table>\n");
    }

    /// An inline PNG figure with its caption.
    pub fn figure(&mut self, caption: &str, png: &[u8], id: &str) {
        self.out.push_str(&format!(
            "<figure id=\"{}chart-{}\"><img alt=\"{}\" src=\"data:image/png;base64,{}\"><figcaption>{}</figcaption></figure>\n",
            self.prefix,
            escape(id),
            escape(caption),
            base64(png),
            escape(caption)
        ));
    }

    /// Closes the page and returns it.
    pub fn finish(mut self) -> String {
        self.out.push_str("</body>\n</html>\n");
        self.out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_matches_rfc4648_examples() {
        assert_eq!(base64(b""), "");
        assert_eq!(base64(b"f"), "Zg==");
        assert_eq!(base64(b"fo"), "Zm8=");
        assert_eq!(base64(b"foo"), "Zm9v");
        assert_eq!(base64(b"foobar"), "Zm9vYmFy");
    }

    #[test]
    fn escaping_covers_markup() {
        assert_eq!(escape("<a href=\"x\">&'"), "&lt;a href=&quot;x&quot;&gt;&amp;&#39;");
    }
}
