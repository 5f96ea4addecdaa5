//! The page files of a report and their paths from the report root:
//! `operators/<stem>.html` and `countries/<CC>.html`, with stems that never leave
//! their folder whatever the id. Builders put them in view models' `page` fields;
//! the `report` command writes the pages there.

/// The path of an operator's page from the report root: `operators/<stem>.html`.
pub fn operator_page_path(operator_id: &str) -> String {
    format!("operators/{}.html", safe_file_stem(operator_id))
}

/// The page path of each operator, in the order given by (country, sector, id):
/// `operators/<stem>.html` with a lower-case stem, unique by construction, also on
/// file systems that ignore case. An id whose stem no other operator shares keeps
/// it; operators that share one (`KH-A` and `kh-a`, or one id in two countries)
/// each get a short hash of their (country, sector, id) appended; and a name that
/// is still taken (an id that equals another's suffixed name) gets `-2`, `-3`...
pub fn operator_page_paths<'a>(
    operators: impl Iterator<Item = (&'a str, &'a str, &'a str)> + Clone,
) -> Vec<String> {
    let stems: Vec<String> = operators
        .clone()
        .map(|(_, _, id)| safe_file_stem(id).to_ascii_lowercase())
        .collect();
    let mut uses: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
    for stem in &stems {
        *uses.entry(stem.as_str()).or_default() += 1;
    }
    let mut taken = std::collections::HashSet::new();
    operators
        .zip(&stems)
        .map(|((country, sector, id), stem)| {
            let mut name = if uses[stem.as_str()] > 1 {
                let tag = short_hash(&format!("{country}\0{sector}\0{id}"));
                format!("{stem}-{tag}")
            } else {
                stem.clone()
            };
            let base = name.clone();
            let mut n = 1;
            while !taken.insert(name.clone()) {
                n += 1;
                name = format!("{base}-{n}");
            }
            format!("operators/{name}.html")
        })
        .collect()
}

/// The path of a country's page from the report root: `countries/<CC>.html`.
pub fn country_page_path(country_code: &str) -> String {
    format!("countries/{}.html", safe_file_stem(country_code))
}

/// A file name stem that is safe on every platform and cannot leave its folder:
/// only `[A-Za-z0-9._-]`, no leading dot, no `..`, not a Windows device name, at
/// most 80 bytes. An id that already is one is kept as it is; any other is mapped
/// (other characters become `-`) and suffixed with a short stable hash of the
/// original, so two different ids never share a file.
pub fn safe_file_stem(id: &str) -> String {
    if is_safe_stem(id) {
        return id.to_owned();
    }
    let mut mapped = String::with_capacity(id.len());
    for c in id.chars() {
        let c = if c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-') {
            c
        } else {
            '-'
        };
        // Collapse runs of separators; this also removes every `..`.
        if matches!(c, '-' | '.') && mapped.ends_with(['-', '.']) {
            continue;
        }
        mapped.push(c);
    }
    let mapped = mapped.trim_matches(['-', '.']);
    let mapped: String = mapped.chars().take(60).collect();
    let mapped = mapped.trim_end_matches(['-', '.']);
    let hash = short_hash(id);
    if mapped.is_empty() {
        format!("id-{hash}")
    } else if is_windows_device(mapped) {
        format!("_{mapped}-{hash}")
    } else {
        format!("{mapped}-{hash}")
    }
}

fn is_safe_stem(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= 80
        && !id.starts_with('.')
        && !id.contains("..")
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-'))
        && !is_windows_device(id)
}

/// `CON`, `nul.txt`, `COM1`...: names Windows reserves whatever the extension.
fn is_windows_device(id: &str) -> bool {
    let base = id.split('.').next().unwrap_or(id).to_ascii_uppercase();
    matches!(base.as_str(), "CON" | "PRN" | "AUX" | "NUL")
        || ((base.starts_with("COM") || base.starts_with("LPT"))
            && base.len() == 4
            && base.as_bytes()[3].is_ascii_digit())
}

/// The first 8 hex digits of the SHA-256 of `text`: stable across runs and platforms.
fn short_hash(text: &str) -> String {
    use sha2::Digest as _;
    sha2::Sha256::digest(text.as_bytes())[..4]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn safe_file_stems() {
        for kept in ["kh-edc", "KH", "a.b_c-1", "fiji.rail"] {
            assert_eq!(safe_file_stem(kept), kept);
        }
        for hostile in [
            "../../etc/passwd",
            "/abs",
            "a/b",
            "CON",
            "nul.txt",
            "com1",
            "",
            ".hidden",
            "a..b",
            "東京電力",
            "a b",
            "a\\b",
            "x\0y",
        ] {
            let stem = safe_file_stem(hostile);
            assert!(
                !stem.is_empty() && !stem.starts_with('.') && !stem.contains(".."),
                "{hostile:?} -> {stem}"
            );
            assert!(
                stem.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-')),
                "{hostile:?} -> {stem}"
            );
            assert_ne!(stem, hostile);
            assert_eq!(safe_file_stem(hostile), stem, "stable");
            assert_eq!(safe_file_stem(&stem), stem, "a mapped stem is itself safe");
        }
        assert!(safe_file_stem("../../etc/passwd").starts_with("etc-passwd-"));
        assert!(safe_file_stem("CON").starts_with("_CON-"));
        assert!(safe_file_stem("").starts_with("id-"));
        assert_ne!(
            safe_file_stem("a/b"),
            safe_file_stem("a:b"),
            "different ids, different files"
        );
        assert_ne!(safe_file_stem("a/b"), "a-b");
        assert!(safe_file_stem(&"x".repeat(200)).len() <= 80);
        assert_eq!(
            operator_page_path("../x"),
            format!("operators/{}.html", safe_file_stem("../x"))
        );
        assert_eq!(country_page_path("KH"), "countries/KH.html");
    }

    #[test]
    fn operator_page_paths_are_unique_ignoring_case() {
        let operators = [
            ("KH", "power", "KH-A"),
            ("KH", "power", "kh-a"),
            ("KH", "power", "kh-b"),
            ("FJ", "power", "kh-b"),
            ("KH", "rail", "solo"),
            ("KH", "rail", "../x"),
        ];
        let paths = operator_page_paths(operators.iter().copied());
        assert_eq!(paths.len(), operators.len());
        let lower: std::collections::BTreeSet<String> =
            paths.iter().map(|p| p.to_lowercase()).collect();
        assert_eq!(lower.len(), paths.len(), "{paths:?}");
        assert_eq!(
            paths[4], "operators/solo.html",
            "an unshared id keeps its name"
        );
        assert!(paths[0].starts_with("operators/kh-a-"), "{paths:?}");
        assert!(paths.iter().all(|p| p == &p.to_lowercase()));
        // An id equal to another's suffixed name still gets a page of its own.
        let taken = paths[0]
            .trim_start_matches("operators/")
            .trim_end_matches(".html")
            .to_owned();
        let tricky = [
            ("KH", "power", "KH-A"),
            ("KH", "power", "kh-a"),
            ("KH", "power", taken.as_str()),
        ];
        let paths = operator_page_paths(tricky.iter().copied());
        let unique: std::collections::BTreeSet<&String> = paths.iter().collect();
        assert_eq!(unique.len(), 3, "{paths:?}");
        // Stable: the same operators give the same names.
        assert_eq!(paths, operator_page_paths(tricky.iter().copied()));
    }
}
