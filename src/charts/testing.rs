//! Test support for every chart: a small XML reader (balanced tags, known
//! entities only) and the estimated boxes of the drawn text.

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

fn unescape(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        let entity_end = rest[i..]
            .find(';')
            .unwrap_or_else(|| panic!("bare & in {text:?}"));
        let entity = &rest[i..i + entity_end + 1];
        out.push(match entity {
            "&amp;" => '&',
            "&lt;" => '<',
            "&gt;" => '>',
            "&quot;" => '"',
            "&apos;" => '\'',
            other => panic!("unknown entity {other} in {text:?}"),
        });
        rest = &rest[i + entity_end + 1..];
    }
    out.push_str(rest);
    out
}

/// Every element in document order; panics unless the document is one balanced
/// `<svg>` element with well-formed attributes and entities.
pub fn parse(svg: &str) -> Vec<Element> {
    let mut elements: Vec<Element> = Vec::new();
    let mut open: Vec<(String, usize)> = Vec::new();
    let mut rest = svg;
    while !rest.is_empty() {
        let Some(lt) = rest.find('<') else {
            assert!(rest.trim().is_empty(), "text after the root: {rest:?}");
            break;
        };
        let text = &rest[..lt];
        assert!(!text.contains('>'), "stray > in {text:?}");
        let text = unescape(text);
        match open.last() {
            Some((_, index)) => elements[*index].text.push_str(text.trim()),
            None => assert!(text.trim().is_empty(), "text outside the root: {text:?}"),
        }
        let gt = rest[lt..].find('>').expect("unclosed tag") + lt;
        let tag = &rest[lt + 1..gt];
        rest = &rest[gt + 1..];
        if let Some(name) = tag.strip_prefix('/') {
            let (opened, _) = open
                .pop()
                .unwrap_or_else(|| panic!("</{name}> closes nothing"));
            assert_eq!(opened, name, "<{opened}> closed by </{name}>");
            if open.is_empty() {
                assert!(rest.trim().is_empty(), "content after the root: {rest:?}");
            }
            continue;
        }
        assert!(
            !open.is_empty() || elements.is_empty(),
            "a second root element"
        );
        let self_closing = tag.ends_with('/');
        let tag = tag.trim_end_matches('/');
        let (name, mut attrs_text) = tag.split_once(' ').unwrap_or((tag, ""));
        assert!(
            !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric()),
            "bad tag name {name:?}"
        );
        let mut attrs = Vec::new();
        loop {
            attrs_text = attrs_text.trim_start();
            if attrs_text.is_empty() {
                break;
            }
            let (key, after) = attrs_text
                .split_once("=\"")
                .expect("attribute without value");
            let end = after.find('"').expect("unterminated attribute");
            let value = &after[..end];
            assert!(!value.contains('<'), "< in attribute {key}");
            assert!(
                key.chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == ':'),
                "bad attribute name {key:?}"
            );
            assert!(
                !attrs.iter().any(|(k, _)| k == key),
                "duplicate attribute {key}"
            );
            attrs.push((key.to_string(), unescape(value)));
            attrs_text = &after[end + 1..];
        }
        elements.push(Element {
            name: name.to_string(),
            attrs,
            text: String::new(),
        });
        if !self_closing {
            open.push((name.to_string(), elements.len() - 1));
        }
    }
    assert!(open.is_empty(), "unclosed elements: {open:?}");
    assert!(!elements.is_empty(), "empty document");
    elements
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
