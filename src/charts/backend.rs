//! The SVG backend every chart draws on: plotters' own, except for how wide
//! text is.
//!
//! In wasm, plotters measures text by adding a `<span>` with a `style`
//! attribute to the page. The content security policy refuses that
//! attribute (so the measure would be wrong anyway), and a chart's layout
//! would depend on the fonts of the machine that draws it. This backend
//! estimates text size the way plotters does natively without a font
//! library, so a chart is laid out the same in the browser, in the CLI and
//! in the native tests that check it.

use plotters::backend::{DrawingBackend, SVGBackend};
use plotters_backend::{
    BackendColor, BackendCoord, BackendStyle, BackendTextStyle, DrawingErrorKind,
};

/// [`SVGBackend`] writing into a string, with text sized by estimate.
pub struct Svg<'a>(SVGBackend<'a>);

impl<'a> Svg<'a> {
    pub fn with_string(buf: &'a mut String, size: (u32, u32)) -> Self {
        Svg(SVGBackend::with_string(buf, size))
    }
}

/// plotters' native estimate without a font library (its `naive` font
/// module): an em of size / 1.24², 0.7 em per byte, 1.24 em high.
pub fn text_size(text: &str, size: f64) -> (u32, u32) {
    let em = size / 1.24 / 1.24;
    let width = (em * 0.7 * text.len() as f64).round() as i32;
    let (top, bottom) = (-em.round() as i32, (em * 0.24).round() as i32);
    (width.max(0) as u32, (bottom - top) as u32)
}

type Result<T = ()> =
    std::result::Result<T, DrawingErrorKind<<SVGBackend<'static> as DrawingBackend>::ErrorType>>;

impl DrawingBackend for Svg<'_> {
    type ErrorType = <SVGBackend<'static> as DrawingBackend>::ErrorType;

    fn get_size(&self) -> (u32, u32) {
        self.0.get_size()
    }

    fn ensure_prepared(&mut self) -> Result {
        self.0.ensure_prepared()
    }

    fn present(&mut self) -> Result {
        self.0.present()
    }

    fn draw_pixel(&mut self, point: BackendCoord, color: BackendColor) -> Result {
        self.0.draw_pixel(point, color)
    }

    fn draw_line<S: BackendStyle>(
        &mut self,
        from: BackendCoord,
        to: BackendCoord,
        style: &S,
    ) -> Result {
        self.0.draw_line(from, to, style)
    }

    fn draw_rect<S: BackendStyle>(
        &mut self,
        upper_left: BackendCoord,
        bottom_right: BackendCoord,
        style: &S,
        fill: bool,
    ) -> Result {
        self.0.draw_rect(upper_left, bottom_right, style, fill)
    }

    fn draw_path<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        path: I,
        style: &S,
    ) -> Result {
        self.0.draw_path(path, style)
    }

    fn draw_circle<S: BackendStyle>(
        &mut self,
        center: BackendCoord,
        radius: u32,
        style: &S,
        fill: bool,
    ) -> Result {
        self.0.draw_circle(center, radius, style, fill)
    }

    fn fill_polygon<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        vert: I,
        style: &S,
    ) -> Result {
        self.0.fill_polygon(vert, style)
    }

    fn draw_text<S: BackendTextStyle>(
        &mut self,
        text: &str,
        style: &S,
        pos: BackendCoord,
    ) -> Result {
        self.0.draw_text(text, style, pos)
    }

    fn estimate_text_size<S: BackendTextStyle>(&self, text: &str, style: &S) -> Result<(u32, u32)> {
        Ok(text_size(text, style.size()))
    }

    fn blit_bitmap(&mut self, pos: BackendCoord, (w, h): (u32, u32), src: &[u8]) -> Result {
        self.0.blit_bitmap(pos, (w, h), src)
    }
}
