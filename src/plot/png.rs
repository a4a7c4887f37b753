//! Charts as PNG: drawn with the embedded font into an RGB buffer and encoded here, so
//! the file can be written whole and renamed into place. The chart's title is stored in
//! the PNG's `Title` text chunk.
//!
//! Text is set by [`Typeset`], which places each glyph where the font puts it: plotters'
//! own bitmap text draws every glyph at the start of its advance, without its left side
//! bearing, which leaves gaps after full-width punctuation (（ ： ，) and between
//! Chinese characters that the SVG files, laid out by the viewer, do not have.

use super::draw::{draw_framed, Chart, DrawError, Frame, ImageFormat, FONT_BYTES, SIZE};
use ab_glyph::{Font, FontRef, ScaleFont};
use plotters::prelude::*;
use plotters_backend::text_anchor::{HPos, VPos};
use plotters_backend::{
    BackendColor, BackendCoord, BackendStyle, BackendTextStyle, DrawingBackend as Backend, DrawingErrorKind,
};
use std::sync::OnceLock;

/// The PNG format.
pub struct Png;

impl ImageFormat for Png {
    const EXTENSION: &'static str = "png";

    fn render<C: Chart>(chart: &C, frame: &Frame) -> Result<Vec<u8>, DrawError> {
        let (w, h) = SIZE;
        let mut pixels = vec![0u8; (w * h * 3) as usize];
        {
            let backend = Typeset(BitMapBackend::with_buffer(&mut pixels, (w, h)));
            let root = backend.into_drawing_area();
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

/// The embedded font for setting PNG text.
fn font() -> Option<&'static FontRef<'static>> {
    static FONT: OnceLock<Option<FontRef<'static>>> = OnceLock::new();
    FONT.get_or_init(|| FontRef::try_from_slice(FONT_BYTES).ok()).as_ref()
}

/// The bitmap backend with text set glyph by glyph at the font's positions (advance,
/// kerning and each glyph's own bearing); everything else is the bitmap backend's.
pub struct Typeset<'a>(pub BitMapBackend<'a>);

type Error<'a> = DrawingErrorKind<<BitMapBackend<'a> as Backend>::ErrorType>;

impl<'a> Backend for Typeset<'a> {
    type ErrorType = <BitMapBackend<'a> as Backend>::ErrorType;

    fn get_size(&self) -> (u32, u32) {
        self.0.get_size()
    }

    fn ensure_prepared(&mut self) -> Result<(), Error<'a>> {
        self.0.ensure_prepared()
    }

    fn present(&mut self) -> Result<(), Error<'a>> {
        self.0.present()
    }

    fn draw_pixel(&mut self, point: BackendCoord, color: BackendColor) -> Result<(), Error<'a>> {
        self.0.draw_pixel(point, color)
    }

    fn draw_line<S: BackendStyle>(&mut self, from: BackendCoord, to: BackendCoord, style: &S) -> Result<(), Error<'a>> {
        self.0.draw_line(from, to, style)
    }

    fn draw_rect<S: BackendStyle>(
        &mut self,
        upper_left: BackendCoord,
        bottom_right: BackendCoord,
        style: &S,
        fill: bool,
    ) -> Result<(), Error<'a>> {
        self.0.draw_rect(upper_left, bottom_right, style, fill)
    }

    fn draw_path<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        path: I,
        style: &S,
    ) -> Result<(), Error<'a>> {
        self.0.draw_path(path, style)
    }

    fn draw_circle<S: BackendStyle>(
        &mut self,
        center: BackendCoord,
        radius: u32,
        style: &S,
        fill: bool,
    ) -> Result<(), Error<'a>> {
        self.0.draw_circle(center, radius, style, fill)
    }

    fn fill_polygon<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        vert: I,
        style: &S,
    ) -> Result<(), Error<'a>> {
        self.0.fill_polygon(vert, style)
    }

    fn blit_bitmap(&mut self, pos: BackendCoord, size: (u32, u32), src: &[u8]) -> Result<(), Error<'a>> {
        self.0.blit_bitmap(pos, size, src)
    }

    fn estimate_text_size<S: BackendTextStyle>(&self, text: &str, style: &S) -> Result<(u32, u32), Error<'a>> {
        match font() {
            Some(font) => {
                let (width, height) = measure(font, style.size(), text);
                Ok((width.max(0.0) as u32, height as u32))
            }
            None => self.0.estimate_text_size(text, style),
        }
    }

    /// Sets `text` with the embedded font, anchored and turned as `style` says, in the
    /// same box plotters gives it (its width the sum of advances and kerning, its height
    /// the size over 1.24, the baseline half the size below its top), so that layouts
    /// computed from the text's size are unchanged.
    fn draw_text<S: BackendTextStyle>(&mut self, text: &str, style: &S, pos: BackendCoord) -> Result<(), Error<'a>> {
        let Some(font) = font() else {
            return self.0.draw_text(text, style, pos);
        };
        let color = style.color();
        if color.alpha == 0.0 {
            return Ok(());
        }
        let size = style.size();
        let (width, height) = measure(font, size, text);
        let (width, height) = (width as i32, height as i32);
        let dx = match style.anchor().h_pos {
            HPos::Left => 0,
            HPos::Right => -width,
            HPos::Center => -width / 2,
        };
        let dy = match style.anchor().v_pos {
            VPos::Top => 0,
            VPos::Center => -height / 2,
            VPos::Bottom => -height,
        };
        let turn = style.transform();
        let (w, h) = self.get_size();
        let scaled = font.as_scaled(size as f32);
        let baseline = size as f32 / 2.0;
        let mut caret = 0f32;
        let mut previous = None;
        for c in text.chars() {
            let id = scaled.glyph_id(c);
            if let Some(p) = previous {
                caret += scaled.kern(p, id);
            }
            previous = Some(id);
            let glyph = id.with_scale_and_position(scaled.scale(), ab_glyph::point(caret, baseline));
            caret += scaled.h_advance(id);
            let Some(outline) = font.outline_glyph(glyph) else {
                continue;
            };
            let bounds = outline.px_bounds();
            let mut pixels = Vec::new();
            outline.draw(|x, y, coverage| {
                let (x, y) = (bounds.min.x as i32 + x as i32, bounds.min.y as i32 + y as i32);
                pixels.push((x, y, coverage));
            });
            for (x, y, coverage) in pixels {
                let (x, y) = turn.transform(x + dx, y + dy);
                let (x, y) = (pos.0 + x, pos.1 + y);
                if x >= 0 && x < w as i32 && y >= 0 && y < h as i32 {
                    self.0.draw_pixel((x, y), color.mix(f64::from(coverage)))?;
                }
            }
        }
        Ok(())
    }
}

/// The width (advances and kerning) and height (the size over 1.24, as plotters has
/// it) of `text` set at `size` pixels.
fn measure(font: &FontRef<'static>, size: f64, text: &str) -> (f32, f32) {
    let scaled = font.as_scaled(size as f32);
    let mut width = 0f32;
    let mut previous = None;
    for c in text.chars() {
        let id = scaled.glyph_id(c);
        width += scaled.h_advance(id);
        if let Some(p) = previous {
            width += scaled.kern(p, id);
        }
        previous = Some(id);
    }
    (width, (size / 1.24) as f32)
}
