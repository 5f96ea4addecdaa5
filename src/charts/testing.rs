//! Test support for every chart: the SVG read as XML (`roxmltree`, which rejects
//! unbalanced tags, unknown entities, a bare `&` and duplicate attributes) and the
//! estimated boxes of the drawn text.

use super::text_width;

/// Fifteen domain ids, the most a model is expected to have, longest included.
pub const DOMAIN_IDS: [&str; 15] = [
    "ASSET",
    "THREAT",
    "RISK",
    "ACCESS",
    "SITUATION",
    "RESPONSE",
    "THIRD-PARTIES",
    "WORKFORCE",
    "ARCHITECTURE",
    "PROGRAM",
    "SUPPLY-CHAIN",
    "PHYSICAL",
    "OT-NETWORKS",
    "RECOVERY",
    "GOVERNANCE",
];

/// One element: its name, attributes and its direct text.
#[derive(Debug)]
pub struct Element {
    pub name: String,
    pub attrs: Vec<(String, String)>,
    pub text: String,
}

impl Element {
    pub fn attr(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
}

/// Every element in document order; panics unless the document is well-formed XML
/// with a single root.
pub fn parse(svg: &str) -> Vec<Element> {
    let document =
        roxmltree::Document::parse(svg).unwrap_or_else(|e| panic!("not well-formed XML: {e}"));
    document
        .descendants()
        .filter(|node| node.is_element())
        .map(|node| Element {
            name: node.tag_name().name().to_string(),
            attrs: node
                .attributes()
                .map(|a| (a.name().to_string(), a.value().to_string()))
                .collect(),
            text: node
                .children()
                .filter_map(|child| child.text())
                .map(str::trim)
                .collect(),
        })
        .collect()
}

/// The estimated box a piece of drawn text covers.
#[derive(Debug, Clone)]
pub struct TextBox {
    pub text: String,
    pub x0: f64,
    pub y0: f64,
    pub x1: f64,
    pub y1: f64,
}

impl TextBox {
    pub fn overlaps(&self, other: &TextBox) -> bool {
        let slack = 0.5;
        self.x0 + slack < other.x1
            && other.x0 + slack < self.x1
            && self.y0 + slack < other.y1
            && other.y0 + slack < self.y1
    }
}

fn number(element: &Element, name: &str) -> f64 {
    let value = element
        .attr(name)
        .unwrap_or_else(|| panic!("<{}> without {name}", element.name));
    value
        .parse()
        .unwrap_or_else(|_| panic!("{name}={value:?} is not a number"))
}

/// The boxes of every `<text>` element, from its position, anchor, size and the
/// same width estimate the charts lay out with.
pub fn text_boxes(svg: &str) -> Vec<TextBox> {
    parse(svg)
        .iter()
        .filter(|e| e.name == "text")
        .map(|e| {
            let (x, y, size) = (number(e, "x"), number(e, "y"), number(e, "font-size"));
            let w = text_width(&e.text, size);
            let (h0, h1) = match e.attr("text-anchor") {
                Some("middle") => (-w / 2.0, w / 2.0),
                Some("end") => (-w, 0.0),
                _ => (0.0, w),
            };
            let (v0, v1) = match e.attr("dy") {
                Some("0.76em") => (0.0, size),
                Some("-0.5ex") => (-size, 0.0),
                _ => (-size / 2.0, size / 2.0),
            };
            match e.attr("transform") {
                None => TextBox {
                    text: e.text.clone(),
                    x0: x + h0,
                    x1: x + h1,
                    y0: y + v0,
                    y1: y + v1,
                },
                Some(t) if t.starts_with("rotate(270,") => TextBox {
                    text: e.text.clone(),
                    x0: x + v0,
                    x1: x + v1,
                    y0: y - h1,
                    y1: y - h0,
                },
                Some(other) => panic!("unexpected transform {other}"),
            }
        })
        .collect()
}

/// Width and height of the viewBox.
pub fn view_box(svg: &str) -> (f64, f64) {
    let root = parse(svg).into_iter().next().expect("root");
    let parts: Vec<f64> = root
        .attr("viewBox")
        .expect("viewBox")
        .split(' ')
        .map(|p| p.parse().expect("viewBox number"))
        .collect();
    assert_eq!(parts[..2], [0.0, 0.0]);
    (parts[2], parts[3])
}

/// What every chart must satisfy: well-formed; a scalable root with `role="img"`
/// whose first children are a non-empty `<title>` and `<desc>`; no `NaN` or
/// infinity; clean font sizes; every text inside the viewBox; no two texts overlapping.
pub fn check(svg: &str) {
    let elements = parse(svg);
    let root = &elements[0];
    assert_eq!(root.name, "svg");
    assert_eq!(root.attr("role"), Some("img"));
    assert_eq!(root.attr("width"), None, "fixed width");
    assert_eq!(root.attr("height"), None, "fixed height");
    assert_eq!(elements[1].name, "title");
    assert!(!elements[1].text.is_empty(), "empty title");
    assert_eq!(elements[2].name, "desc");
    assert!(!elements[2].text.is_empty(), "empty desc");
    for bad in ["NaN", "inf"] {
        assert!(!svg.contains(bad), "{bad} in the output");
    }
    for e in elements.iter().filter(|e| e.name == "text") {
        let size = e.attr("font-size").expect("font-size");
        assert!(size.len() <= 4, "font-size {size}");
    }
    let (width, height) = view_box(svg);
    let boxes = text_boxes(svg);
    for b in &boxes {
        assert!(
            b.x0 >= -0.5 && b.y0 >= -0.5 && b.x1 <= width + 0.5 && b.y1 <= height + 0.5,
            "text outside the {width}x{height} viewBox: {b:?}"
        );
    }
    for (i, a) in boxes.iter().enumerate() {
        for b in &boxes[i + 1..] {
            assert!(!a.overlaps(b), "texts overlap: {a:?} and {b:?}");
        }
    }
}

/// Panics if `raw` occurs in `svg` (unescaped input leaking through).
pub fn assert_escaped(svg: &str, raw: &str) {
    assert!(!svg.contains(raw), "unescaped {raw:?} in the output");
    assert!(!svg.contains("<script"), "a script element in the output");
}

#[cfg(test)]
mod tests {
    use crate::charts::testing;

    /// The shared checker must fail on each kind of broken chart it guards against.
    #[test]
    fn the_checker_rejects_broken_charts() {
        let head = "<svg xmlns=\"x\" viewBox=\"0 0 100 50\" role=\"img\">\n<title>t</title>\n<desc>d</desc>\n";
        let text = |x: u32, y: u32, s: &str| {
            format!(
                "<text x=\"{x}\" y=\"{y}\" dy=\"0.5ex\" text-anchor=\"start\" font-size=\"10\">{s}</text>\n"
            )
        };
        let good = format!("{head}{}{}</svg>\n", text(5, 10, "a"), text(5, 30, "b"));
        testing::check(&good);
        let broken = [
            format!("{head}<g></svg>\n"),
            format!("{head}{}</svg>\n", text(5, 10, "a & b")),
            format!("{head}{}</svg>\n", text(90, 10, "too long")),
            format!("{head}{}{}</svg>\n", text(5, 10, "a"), text(6, 12, "b")),
            format!("{head}{}</svg>\n", text(5, 10, "NaN")),
            good.replace("<title>t</title>\n", ""),
            good.replace("role=\"img\"", "width=\"100\""),
        ];
        for svg in broken {
            let caught = std::panic::catch_unwind(|| testing::check(&svg));
            assert!(caught.is_err(), "check accepted {svg}");
        }
    }
}
