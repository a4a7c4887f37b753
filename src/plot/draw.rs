//! What every chart shares: the embedded font, sizes and colours, the frame (title,
//! subtitle, provenance footer), the image formats, and the drawing helpers the charts
//! are built from (fan bands, bars with whiskers, labelled horizontal bars, a heatmap).

use super::labels::Lang;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use std::sync::OnceLock;

/// The embedded font: a subset of Noto Sans CJK SC (SIL Open Font License 1.1, see
/// `assets/fonts/OFL.txt`) holding GB2312, Latin-1 and the symbols charts use, so no
/// system font is ever needed.
pub static FONT_BYTES: &[u8] = include_bytes!("../../assets/fonts/NotoSansSC-feidi.otf");

/// The family name charts use. SVG files name it (with fallbacks) for viewers that have
/// a CJK font; PNG files are drawn with the embedded font itself.
pub const FAMILY: &str = "Noto Sans CJK SC, Noto Sans SC, Source Han Sans SC, PingFang SC, Microsoft YaHei, sans-serif";

/// Chart size in pixels: at A4 width (about 170 mm of text width) this is about 240 dpi,
/// and the smallest text (22 px) prints at about 6.6 pt.
pub const SIZE: (u32, u32) = (1600, 1000);

/// Registers the embedded font under the names charts use; once per process.
pub fn register_font() -> Result<(), DrawError> {
    static DONE: OnceLock<bool> = OnceLock::new();
    let ok = *DONE.get_or_init(|| {
        [FAMILY, "sans-serif"]
            .iter()
            .all(|name| plotters::style::register_font(name, FontStyle::Normal, FONT_BYTES).is_ok())
    });
    if ok {
        Ok(())
    } else {
        Err(DrawError("the embedded chart font could not be read".into()))
    }
}

/// A failure while drawing (a plotters error, in words).
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("drawing a chart failed: {0}")]
pub struct DrawError(pub String);

impl<E: std::error::Error + Send + Sync> From<DrawingAreaErrorKind<E>> for DrawError {
    fn from(e: DrawingAreaErrorKind<E>) -> Self {
        DrawError(e.to_string())
    }
}

/// The result of drawing.
pub type DrawResult = Result<(), DrawError>;

/// Colour-blind-safe colours (Okabe and Ito), in the order series take them.
pub const PALETTE: [RGBColor; 8] = [
    RGBColor(0, 114, 178),
    RGBColor(230, 159, 0),
    RGBColor(0, 158, 115),
    RGBColor(213, 94, 0),
    RGBColor(204, 121, 167),
    RGBColor(86, 180, 233),
    RGBColor(120, 120, 120),
    RGBColor(0, 0, 0),
];

/// The colour of series `i`.
pub fn colour(i: usize) -> RGBColor {
    PALETTE[i % PALETTE.len()]
}

/// A text style of the embedded font at `size` pixels.
pub fn text(size: u32) -> TextStyle<'static> {
    TextStyle::from((FAMILY, size).into_font()).color(&BLACK)
}

/// Where a chart's numbers came from, printed in its footer.
#[derive(Clone, Debug, Default)]
pub struct Provenance {
    /// Scenario, sweep or comparison name.
    pub name: String,
    /// SHA-256 of its file (the first 12 hex digits are shown).
    pub sha256: String,
    /// Master seed.
    pub seed: u64,
    /// Replications (per point or alternative).
    pub replications: u64,
    /// feidi version that wrote the results.
    pub version: String,
    /// Date of the results (YYYY-MM-DD).
    pub date: String,
}

impl Provenance {
    /// The footer line.
    pub fn footer(&self, lang: Lang) -> String {
        let hash: String = self.sha256.chars().take(12).collect();
        match lang {
            Lang::En => format!(
                "{} · sha256 {} · seed {} · {} replications · feidi {} · {}",
                self.name, hash, self.seed, self.replications, self.version, self.date
            ),
            Lang::Zh => format!(
                "{} · sha256 {} · 随机种子 {} · {} 次模拟 · feidi {} · {}",
                self.name, hash, self.seed, self.replications, self.version, self.date
            ),
        }
    }
}

/// Everything around a chart's body.
#[derive(Clone, Debug)]
pub struct Frame {
    /// Language of labels.
    pub lang: Lang,
    /// Title, at the top.
    pub title: String,
    /// A second line under the title (the scenario's title, say).
    pub subtitle: String,
    /// Footer.
    pub provenance: Provenance,
}

/// A chart: a title and a body drawn into any plotters backend.
pub trait Chart {
    /// File name without extension, such as `landings`.
    fn stem(&self) -> String;
    /// Draws the body into `area` (absolute backend coordinates, as `root` has them).
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>, area: &DrawingArea<DB, Shift>) -> DrawResult
    where
        DB::ErrorType: 'static;
}

/// An image format a chart can be written in.
pub trait ImageFormat {
    /// File extension, without the dot.
    const EXTENSION: &'static str;
    /// The file's bytes.
    fn render<C: Chart>(chart: &C, frame: &Frame) -> Result<Vec<u8>, DrawError>;
}

/// Fills the background and draws title, subtitle and footer; then the chart's body.
pub fn draw_framed<DB: DrawingBackend, C: Chart>(root: &DrawingArea<DB, Shift>, chart: &C, frame: &Frame) -> DrawResult
where
    DB::ErrorType: 'static,
{
    register_font()?;
    root.fill(&WHITE)?;
    let (_, height) = root.dim_in_pixel();
    root.draw_text(&frame.title, &text(44), (40, 22))?;
    if !frame.subtitle.is_empty() {
        root.draw_text(&frame.subtitle, &text(28).color(&RGBColor(80, 80, 80)), (40, 78))?;
    }
    let footer_style = text(22)
        .color(&RGBColor(90, 90, 90))
        .pos(Pos::new(HPos::Left, VPos::Bottom));
    root.draw_text(
        &frame.provenance.footer(frame.lang),
        &footer_style,
        (40, height as i32 - 14),
    )?;
    let body = root.margin(125, 55, 10, 30);
    chart.draw(root, &body)
}

/// Formats an axis number without noise and never in e-notation: 1,200, 0.35,
/// 1,200,000,000 (large and tiny values as [`crate::results::format::number`] has them).
pub fn tick(v: f64) -> String {
    let a = v.abs();
    // Axis ticks computed as sums land a rounding error away from zero.
    if a < 1e-12 {
        "0".into()
    } else if !(1e-3..1e3).contains(&a) {
        crate::results::format::number(v)
    } else if a >= 100.0 || (v - v.round()).abs() < 1e-9 {
        format!("{v:.0}")
    } else if a >= 1.0 {
        format!("{v:.1}")
    } else {
        let s = format!("{v:.3}");
        s.trim_end_matches('0').to_string()
    }
}

/// Draws a horizontal note at the top-left of a plot: the y axis's quantity and unit
/// (rotated text is not drawn rotated in PNG files, so the y axis label sits here).
pub fn y_note<DB: DrawingBackend>(area: &DrawingArea<DB, Shift>, note: &str) -> DrawResult
where
    DB::ErrorType: 'static,
{
    area.draw_text(note, &text(26).color(&RGBColor(60, 60, 60)), (10, 0))?;
    Ok(())
}

/// One band of a fan chart: a label, a colour and `(x, [p5, p25, p50, p75, p95])` points.
pub struct Fan {
    /// Legend label.
    pub label: String,
    /// Colour index.
    pub colour: usize,
    /// Points: x and the five quantiles.
    pub points: Vec<(f64, [f64; 5])>,
}

/// A fan chart: for each fan the 90 % band (p5–p95), the 50 % band (p25–p75) and the
/// median line, with a legend.
pub fn fan_chart<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    fans: &[Fan],
    x_label: &str,
    y_label: &str,
    note: &str,
) -> DrawResult
where
    DB::ErrorType: 'static,
{
    let x_max = fans
        .iter()
        .flat_map(|f| f.points.iter().map(|p| p.0))
        .fold(1.0_f64, f64::max);
    let y_max = fans
        .iter()
        .flat_map(|f| f.points.iter().map(|p| p.1[4]))
        .filter(|v| v.is_finite())
        .fold(0.0_f64, f64::max);
    let y_min = fans
        .iter()
        .flat_map(|f| f.points.iter().map(|p| p.1[0]))
        .filter(|v| v.is_finite())
        .fold(0.0_f64, f64::min);
    let y_top = if y_max > y_min {
        y_max + (y_max - y_min) * 0.08
    } else {
        1.0
    };
    y_note(area, y_label)?;
    let mut chart = ChartBuilder::on(area)
        .margin_top(45)
        .margin_right(30)
        .x_label_area_size(90)
        .y_label_area_size(130)
        .build_cartesian_2d(0.0..x_max, y_min..y_top)?;
    chart
        .configure_mesh()
        .x_desc(x_label)
        .axis_desc_style(text(28))
        .label_style(text(24))
        .x_label_formatter(&|v| tick(*v))
        .y_label_formatter(&|v| tick(*v))
        .light_line_style(TRANSPARENT)
        .bold_line_style(RGBColor(215, 215, 215))
        .draw()?;
    for fan in fans {
        let c = colour(fan.colour);
        let points: Vec<_> = fan
            .points
            .iter()
            .filter(|p| p.1.iter().all(|v| v.is_finite()))
            .collect();
        for (lo, hi, alpha) in [(0, 4, 0.15), (1, 3, 0.3)] {
            let mut polygon: Vec<(f64, f64)> = points.iter().map(|p| (p.0, p.1[lo])).collect();
            polygon.extend(points.iter().rev().map(|p| (p.0, p.1[hi])));
            if polygon.len() >= 3 {
                chart.draw_series(std::iter::once(Polygon::new(polygon, c.mix(alpha).filled())))?;
            }
        }
        chart
            .draw_series(LineSeries::new(points.iter().map(|p| (p.0, p.1[2])), c.stroke_width(4)))?
            .label(fan.label.clone())
            .legend(move |(x, y)| PathElement::new(vec![(x - 4, y), (x + 16, y)], c.stroke_width(6)));
    }
    chart
        .configure_series_labels()
        .label_font(text(24))
        .background_style(WHITE.mix(0.85))
        .border_style(RGBColor(180, 180, 180))
        .position(SeriesLabelPosition::UpperLeft)
        .margin(15)
        .draw()?;
    let (w, _) = area.dim_in_pixel();
    area.draw_text(
        note,
        &text(22)
            .color(&RGBColor(90, 90, 90))
            .pos(Pos::new(HPos::Right, VPos::Top)),
        (w as i32 - 20, 0),
    )?;
    Ok(())
}

/// One panel of a scatter chart: a lever's values against a result.
pub struct Panel {
    /// The lever, with its unit (the panel's x axis).
    pub x_label: String,
    /// `(lever value, result)` of each design point.
    pub points: Vec<(f64, f64)>,
    /// The running mean of the result over the lever (the smoother), left to right.
    pub smooth: Vec<(f64, f64)>,
}

/// Small multiples: one scatter panel per lever, side by side in up to three columns,
/// each with its smoother, sharing the result's axis range.
pub fn scatter_panels<DB: DrawingBackend>(area: &DrawingArea<DB, Shift>, panels: &[Panel], y_label: &str) -> DrawResult
where
    DB::ErrorType: 'static,
{
    y_note(area, y_label)?;
    let ys = || {
        panels
            .iter()
            .flat_map(|p| p.points.iter().map(|q| q.1))
            .filter(|v| v.is_finite())
    };
    let (y_min, y_max) = ys().fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), y| (a.min(y), b.max(y)));
    let (y_min, y_max) = if y_max > y_min {
        let pad = (y_max - y_min) * 0.06;
        (y_min - pad, y_max + pad)
    } else {
        (0.0, 1.0)
    };
    let columns = panels.len().clamp(1, 3);
    let rows = panels.len().div_ceil(columns).max(1);
    let body = area.margin(40, 0, 0, 0);
    let cells = body.split_evenly((rows, columns));
    for (panel, cell) in panels.iter().zip(&cells) {
        let xs = panel.points.iter().map(|q| q.0).filter(|v| v.is_finite());
        let (x_min, x_max) = xs.fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), x| (a.min(x), b.max(x)));
        let (x_min, x_max) = if x_max > x_min {
            (x_min, x_max)
        } else {
            (x_min - 1.0, x_min + 1.0)
        };
        let mut chart = ChartBuilder::on(cell)
            .margin(12)
            .x_label_area_size(70)
            .y_label_area_size(90)
            .build_cartesian_2d(x_min..x_max, y_min..y_max)?;
        chart
            .configure_mesh()
            .x_desc(panel.x_label.as_str())
            .axis_desc_style(text(22))
            .label_style(text(18))
            .x_labels(5)
            .y_labels(5)
            .x_label_formatter(&|v| tick(*v))
            .y_label_formatter(&|v| tick(*v))
            .light_line_style(TRANSPARENT)
            .bold_line_style(RGBColor(225, 225, 225))
            .draw()?;
        let c = colour(0);
        chart.draw_series(
            panel
                .points
                .iter()
                .filter(|q| q.0.is_finite() && q.1.is_finite())
                .map(|&q| Circle::new(q, 3, c.mix(0.45).filled())),
        )?;
        if panel.smooth.len() >= 2 {
            chart.draw_series(LineSeries::new(panel.smooth.iter().copied(), colour(3).stroke_width(4)))?;
        }
    }
    Ok(())
}

/// A bar with an optional whisker (confidence interval).
pub struct Bar {
    /// Category label.
    pub label: String,
    /// Height.
    pub value: f64,
    /// Whisker, if any.
    pub whisker: Option<(f64, f64)>,
    /// Colour index.
    pub colour: usize,
}

/// Vertical bars with whiskers, category labels under them and values above.
pub fn bar_chart<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    area: &DrawingArea<DB, Shift>,
    bars: &[Bar],
    y_label: &str,
) -> DrawResult
where
    DB::ErrorType: 'static,
{
    let values = bars
        .iter()
        .flat_map(|b| [Some(b.value), b.whisker.map(|w| w.0), b.whisker.map(|w| w.1)])
        .flatten()
        .filter(|v| v.is_finite());
    let (lo, hi) = values.fold((0.0_f64, 0.0_f64), |(lo, hi), v| (lo.min(v), hi.max(v)));
    let pad = if hi > lo { (hi - lo) * 0.12 } else { 1.0 };
    let (lo, hi) = (if lo < 0.0 { lo - pad } else { 0.0 }, hi + pad);
    y_note(area, y_label)?;
    let n = bars.len().max(1) as f64;
    let mut chart = ChartBuilder::on(area)
        .margin_top(45)
        .margin_right(30)
        .x_label_area_size(110)
        .y_label_area_size(130)
        .build_cartesian_2d(-0.5..n - 0.5, lo..hi)?;
    chart
        .configure_mesh()
        .disable_x_mesh()
        .x_labels(0)
        .label_style(text(24))
        .y_label_formatter(&|v| tick(*v))
        .light_line_style(TRANSPARENT)
        .bold_line_style(RGBColor(215, 215, 215))
        .draw()?;
    for (i, bar) in bars.iter().enumerate() {
        let x = i as f64;
        let c = colour(bar.colour);
        if bar.value.is_finite() {
            chart.draw_series(std::iter::once(Rectangle::new(
                [(x - 0.32, 0.0), (x + 0.32, bar.value)],
                c.mix(0.85).filled(),
            )))?;
        }
        if let Some((a, b)) = bar.whisker.filter(|w| w.0.is_finite() && w.1.is_finite()) {
            let style = BLACK.stroke_width(3);
            chart.draw_series(std::iter::once(PathElement::new(vec![(x, a), (x, b)], style)))?;
            for y in [a, b] {
                chart.draw_series(std::iter::once(PathElement::new(
                    vec![(x - 0.1, y), (x + 0.1, y)],
                    style,
                )))?;
            }
        }
        let top = bar.whisker.map_or(bar.value, |w| w.1.max(bar.value));
        let (px, py) = chart.backend_coord(&(x, if top.is_finite() { top } else { 0.0 }));
        root.draw_text(
            &tick(bar.value),
            &text(24).pos(Pos::new(HPos::Center, VPos::Bottom)),
            (px, py - 6),
        )?;
        let (px, py) = chart.backend_coord(&(x, lo));
        root.draw_text(
            &bar.label,
            &text(24).pos(Pos::new(HPos::Center, VPos::Top)),
            (px, py + 12),
        )?;
    }
    Ok(())
}

/// One horizontal bar: from `start` to `end`, labelled on the left, its value on the right.
pub struct HBar {
    /// Label at the left.
    pub label: String,
    /// Where the bar starts.
    pub start: f64,
    /// Where it ends.
    pub end: f64,
    /// Text at the bar's end.
    pub note: String,
    /// Colour index.
    pub colour: usize,
    /// Whisker (confidence interval) on the bar's end, if any.
    pub whisker: Option<(f64, f64)>,
}

/// Horizontal bars, one per row from the top, with their labels (funnels, tornadoes).
/// `centre` draws a vertical reference line (a tornado's baseline).
pub fn hbar_chart<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    area: &DrawingArea<DB, Shift>,
    bars: &[HBar],
    x_label: &str,
    centre: Option<f64>,
) -> DrawResult
where
    DB::ErrorType: 'static,
{
    let values = bars
        .iter()
        .flat_map(|b| {
            [
                Some(b.start),
                Some(b.end),
                b.whisker.map(|w| w.0),
                b.whisker.map(|w| w.1),
                centre,
            ]
        })
        .flatten()
        .filter(|v| v.is_finite());
    let (lo, hi) = values.fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| (lo.min(v), hi.max(v)));
    let (lo, hi) = if lo.is_finite() && hi > lo {
        (lo, hi)
    } else {
        (0.0, 1.0)
    };
    let pad = (hi - lo) * 0.15;
    let lo = if lo >= 0.0 && centre.is_none() { 0.0 } else { lo - pad };
    let n = bars.len().max(1) as f64;
    let label_width = bars
        .iter()
        .map(|b| {
            b.label
                .chars()
                .map(|c| if (c as u32) < 0x2E80 { 14 } else { 26 })
                .sum::<u32>()
        })
        .max()
        .unwrap_or(100)
        .clamp(120, 620);
    let mut chart = ChartBuilder::on(area)
        .margin_top(20)
        .margin_right(40)
        .x_label_area_size(90)
        .y_label_area_size(label_width + 30)
        .build_cartesian_2d(lo..hi + pad, -0.5..n - 0.5)?;
    chart
        .configure_mesh()
        .disable_y_mesh()
        .y_labels(0)
        .x_desc(x_label)
        .axis_desc_style(text(28))
        .label_style(text(24))
        .x_label_formatter(&|v| tick(*v))
        .light_line_style(TRANSPARENT)
        .bold_line_style(RGBColor(215, 215, 215))
        .draw()?;
    for (i, bar) in bars.iter().enumerate() {
        let y = n - 1.0 - i as f64;
        let c = colour(bar.colour);
        if bar.start.is_finite() && bar.end.is_finite() {
            chart.draw_series(std::iter::once(Rectangle::new(
                [(bar.start, y - 0.34), (bar.end, y + 0.34)],
                c.mix(0.85).filled(),
            )))?;
        }
        if let Some((a, b)) = bar.whisker.filter(|w| w.0.is_finite() && w.1.is_finite()) {
            let style = BLACK.stroke_width(3);
            chart.draw_series(std::iter::once(PathElement::new(vec![(a, y), (b, y)], style)))?;
            for x in [a, b] {
                chart.draw_series(std::iter::once(PathElement::new(
                    vec![(x, y - 0.15), (x, y + 0.15)],
                    style,
                )))?;
            }
        }
        let (px, py) = chart.backend_coord(&(lo, y));
        root.draw_text(
            &bar.label,
            &text(24).pos(Pos::new(HPos::Right, VPos::Center)),
            (px - 14, py),
        )?;
        let right = [bar.start, bar.end]
            .into_iter()
            .chain(bar.whisker.map(|w| w.1))
            .filter(|v| v.is_finite())
            .fold(lo, f64::max);
        let (px, py) = chart.backend_coord(&(right, y));
        root.draw_text(
            &bar.note,
            &text(22).pos(Pos::new(HPos::Left, VPos::Center)),
            (px + 10, py),
        )?;
    }
    if let Some(c) = centre {
        chart.draw_series(std::iter::once(PathElement::new(
            vec![(c, -0.5), (c, n - 0.5)],
            BLACK.stroke_width(2),
        )))?;
    }
    Ok(())
}

/// A heatmap of `values[row][column]` with the value printed in each cell.
pub fn heatmap<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    area: &DrawingArea<DB, Shift>,
    columns: &[String],
    rows: &[String],
    values: &[Vec<f64>],
    x_label: &str,
    y_label: &str,
) -> DrawResult
where
    DB::ErrorType: 'static,
{
    y_note(area, y_label)?;
    let finite = values.iter().flatten().copied().filter(|v| v.is_finite());
    let (lo, hi) = finite.fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| (lo.min(v), hi.max(v)));
    let (nx, ny) = (columns.len().max(1) as f64, rows.len().max(1) as f64);
    let mut chart = ChartBuilder::on(area)
        .margin_top(45)
        .margin_right(30)
        .x_label_area_size(100)
        .y_label_area_size(200)
        .build_cartesian_2d(-0.5..nx - 0.5, -0.5..ny - 0.5)?;
    chart
        .configure_mesh()
        .disable_mesh()
        .x_labels(0)
        .y_labels(0)
        .x_desc(x_label)
        .axis_desc_style(text(28))
        .draw()?;
    for (r, row) in values.iter().enumerate() {
        for (c, &v) in row.iter().enumerate() {
            let (x, y) = (c as f64, r as f64);
            let t = if hi > lo { (v - lo) / (hi - lo) } else { 0.5 };
            let fill = if v.is_finite() {
                ramp(t)
            } else {
                RGBColor(230, 230, 230)
            };
            chart.draw_series(std::iter::once(Rectangle::new(
                [(x - 0.5, y - 0.5), (x + 0.5, y + 0.5)],
                fill.filled(),
            )))?;
            let (px, py) = chart.backend_coord(&(x, y));
            let ink = if t > 0.55 { BLACK } else { WHITE };
            let shown = if v.is_finite() { tick(v) } else { "—".into() };
            root.draw_text(
                &shown,
                &text(26).color(&ink).pos(Pos::new(HPos::Center, VPos::Center)),
                (px, py),
            )?;
        }
    }
    for (c, label) in columns.iter().enumerate() {
        let (px, py) = chart.backend_coord(&(c as f64, -0.5));
        root.draw_text(label, &text(24).pos(Pos::new(HPos::Center, VPos::Top)), (px, py + 10))?;
    }
    for (r, label) in rows.iter().enumerate() {
        let (px, py) = chart.backend_coord(&(-0.5, r as f64));
        root.draw_text(label, &text(24).pos(Pos::new(HPos::Right, VPos::Center)), (px - 10, py))?;
    }
    Ok(())
}

/// A dark-blue to yellow colour ramp (perceptually ordered, like viridis), `t` in 0..=1.
pub fn ramp(t: f64) -> RGBColor {
    const STOPS: [(f64, (f64, f64, f64)); 5] = [
        (0.0, (68.0, 1.0, 84.0)),
        (0.25, (59.0, 82.0, 139.0)),
        (0.5, (33.0, 145.0, 140.0)),
        (0.75, (94.0, 201.0, 98.0)),
        (1.0, (253.0, 231.0, 37.0)),
    ];
    let t = if t.is_finite() { t.clamp(0.0, 1.0) } else { 0.0 };
    let k = STOPS.iter().position(|s| s.0 >= t).unwrap_or(4).max(1);
    let (t0, a) = STOPS[k - 1];
    let (t1, b) = STOPS[k];
    let f = (t - t0) / (t1 - t0);
    let mix = |x: f64, y: f64| (x + (y - x) * f).round() as u8;
    RGBColor(mix(a.0, b.0), mix(a.1, b.1), mix(a.2, b.2))
}

#[cfg(test)]
mod tests {
    use super::*;
    use ab_glyph::Font;

    /// Every non-ASCII character the chart and report words use (read from their
    /// sources, so no label is missed) has a glyph in the embedded font.
    #[test]
    fn the_embedded_font_has_every_character_the_words_use() {
        let font = ab_glyph::FontRef::try_from_slice(FONT_BYTES).expect("the embedded font parses");
        let sources = [
            include_str!("labels.rs"),
            include_str!("names.rs"),
            include_str!("charts.rs"),
            include_str!("draw.rs"),
            include_str!("../report/mod.rs"),
        ];
        let mut missing: Vec<char> = sources
            .iter()
            .flat_map(|s| s.chars())
            .filter(|&c| !c.is_ascii() && font.glyph_id(c).0 == 0)
            .collect();
        missing.dedup();
        assert!(missing.is_empty(), "no glyph for {missing:?}");
        assert_eq!(font.glyph_id('\u{E000}').0, 0, "a private-use character has no glyph");
    }

    fn rendered(text_to_draw: &str) -> Vec<u8> {
        register_font().unwrap();
        let mut pixels = vec![0u8; 200 * 60 * 3];
        {
            let root = BitMapBackend::with_buffer(&mut pixels, (200, 60)).into_drawing_area();
            root.fill(&WHITE).unwrap();
            root.draw_text(text_to_draw, &text(40), (5, 5)).unwrap();
            root.present().unwrap();
        }
        pixels
    }

    /// Chinese text is drawn as glyphs, not boxes: two different words give different
    /// pixels with ink in them, while characters the font lacks all give the same box.
    #[test]
    fn chinese_text_renders_as_glyphs_not_boxes() {
        let blank = vec![255u8; 200 * 60 * 3];
        let (a, b) = (rendered("落地"), rendered("飞地"));
        assert_ne!(a, blank, "nothing was drawn");
        assert_ne!(a, b, "different characters look the same");
        let (x, y) = (rendered("\u{E000}\u{E001}"), rendered("\u{E002}\u{E003}"));
        assert_eq!(x, y, "missing glyphs should all be the same box");
        assert_ne!(a, x, "Chinese text was drawn as missing-glyph boxes");
    }
}
