//! Charts as SVG: text stays text (searchable, editable in a proposal), named in the
//! embedded font's family with fallbacks; sizes were measured with the embedded font.

use super::draw::{draw_framed, Chart, DrawError, Frame, ImageFormat, SIZE};
use plotters::prelude::*;

/// The SVG format.
pub struct Svg;

impl ImageFormat for Svg {
    const EXTENSION: &'static str = "svg";

    fn render<C: Chart>(chart: &C, frame: &Frame) -> Result<Vec<u8>, DrawError> {
        let mut out = String::new();
        {
            let root = SVGBackend::with_string(&mut out, SIZE).into_drawing_area();
            draw_framed(&root, chart, frame)?;
            root.present()?;
        }
        // The title as the document's accessible name, for viewers and screen readers.
        let title = format!("<title>{}</title>", escape(&frame.title));
        if let Some(end) = out.find('>') {
            out.insert_str(end + 1, &format!("\n{title}"));
        }
        Ok(out.into_bytes())
    }
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
}
