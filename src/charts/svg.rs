//! From drawing to finished SVG: [`render`] runs a chart's drawing on a plotters
//! canvas, then replaces plotters' fixed-size root element with a scalable one
//! (`viewBox`, no width) carrying `role="img"`, a `<title>` and a `<desc>`.

use plotters::prelude::*;

use super::escape_xml;
use super::painter::Painter;

/// Draws with `draw` onto a `width` × `height` canvas, and returns the finished SVG.
/// `kind` names the chart in its CSS class (`capgap-chart capgap-chart-<kind>`).
pub(crate) fn render(
    kind: &str,
    size: (f64, f64),
    title: &str,
    desc: &str,
    draw: impl FnOnce(&mut Painter),
) -> String {
    let size = (
        size.0.ceil().clamp(1.0, 100_000.0) as u32,
        size.1.ceil().clamp(1.0, 100_000.0) as u32,
    );
    let mut buffer = String::new();
    {
        let area = SVGBackend::with_string(&mut buffer, size).into_drawing_area();
        let mut painter = Painter {
            area,
            failure: None,
        };
        draw(&mut painter);
        let presented = painter.area.present();
        painter.record(presented);
        if let Some(failure) = painter.failure {
            // The backend writes into a String; only file targets can fail.
            unreachable!("drawing into an in-memory svg failed: {failure}");
        }
    }
    finish(&buffer, kind, size, title, desc)
}

/// Replaces plotters' root element (fixed width and height) with a scalable one that
/// carries the accessible name and description.
fn finish(
    plotters_svg: &str,
    kind: &str,
    (width, height): (u32, u32),
    title: &str,
    desc: &str,
) -> String {
    let body = match plotters_svg.split_once('\n') {
        Some((root, body)) if root.starts_with("<svg ") => body,
        _ => plotters_svg,
    };
    let mut svg = String::with_capacity(body.len() + 400);
    svg.push_str(&format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {width} {height}\" role=\"img\" \
         class=\"capgap-chart capgap-chart-{kind}\" font-family=\"sans-serif\">\n"
    ));
    svg.push_str(&format!("<title>{}</title>\n", escape_xml(title.trim())));
    svg.push_str(&format!("<desc>{}</desc>\n", escape_xml(desc.trim())));
    svg.push_str(body);
    svg
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::charts::{LABEL_PX, TextSpec, testing};

    #[test]
    fn the_root_element_scales_and_is_named() {
        let svg = render("test", (100.0, 50.0), "A & B", "Two <things>.", |p| {
            p.text((10.0, 10.0), "x", TextSpec::new(LABEL_PX));
        });
        assert!(svg.starts_with(
            "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 100 50\" role=\"img\""
        ));
        assert!(svg.contains("<title>A &amp; B</title>\n<desc>Two &lt;things&gt;.</desc>"));
        assert!(!svg.contains("width=\"100\""));
        testing::check(&svg);
    }
}
