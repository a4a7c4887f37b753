//! Charts as PNG: drawn with the embedded font into an RGB buffer and encoded here, so
//! the file can be written whole and renamed into place. The chart's title is stored in
//! the PNG's `Title` text chunk.

use super::draw::{draw_framed, Chart, DrawError, Frame, ImageFormat, SIZE};
use plotters::prelude::*;

/// The PNG format.
pub struct Png;

impl ImageFormat for Png {
    const EXTENSION: &'static str = "png";

    fn render<C: Chart>(chart: &C, frame: &Frame) -> Result<Vec<u8>, DrawError> {
        let (w, h) = SIZE;
        let mut pixels = vec![0u8; (w * h * 3) as usize];
        {
            let root = BitMapBackend::with_buffer(&mut pixels, (w, h)).into_drawing_area();
            draw_framed(&root, chart, frame)?;
            root.present()?;
        }
        encode(&pixels, (w, h), &frame.title)
    }
}

/// Encodes 8-bit RGB `pixels` as PNG with a `Title` and a `Software` text chunk.
pub fn encode(pixels: &[u8], (w, h): (u32, u32), title: &str) -> Result<Vec<u8>, DrawError> {
    let mut out = Vec::new();
    let failed = |e: png::EncodingError| DrawError(format!("PNG encoding: {e}"));
    {
        let mut encoder = png::Encoder::new(&mut out, w, h);
        encoder.set_color(png::ColorType::Rgb);
        encoder.set_depth(png::BitDepth::Eight);
        encoder.set_compression(png::Compression::Best);
        encoder.add_itxt_chunk("Title".into(), title.into()).map_err(failed)?;
        encoder
            .add_text_chunk("Software".into(), format!("feidi {}", env!("CARGO_PKG_VERSION")))
            .map_err(failed)?;
        let mut writer = encoder.write_header().map_err(failed)?;
        writer.write_image_data(pixels).map_err(failed)?;
    }
    Ok(out)
}
