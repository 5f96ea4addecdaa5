//! The differential test of the fast reader against the general parser, and the
//! generator of questionnaire-shaped YAML it runs on: header comments, template
//! comments between answers, blank values, short answers, long answers as block
//! and flow mappings, evidence as flow lists and block lists (indented or not),
//! notes as plain, quoted (with escapes, valid and not) and block scalars (`|`, `>`
//! with chomping), CRLF and mixed line ends, a byte-order mark, trailing comments and
//! spaces, and faults: tabs, control characters (raw and escaped), lines indented
//! one space off, deep indentation, document markers, anchors, broken quotes and
//! brackets; the `workforce` section's keys (roles, `staff`, `needed`,
//! `in_training`) come up among the others. Whenever the fast reader returns a tree, the general parser must return
//! the same tree (positions and widths included); where the fast reader gives up,
//! the general parser decides. `CAPGAP_DIFF_CASES` sets the number of cases
//! (default 100,000). proptest runs the cases and seeds each; the generator itself is a
//! hand-written walk over a small random source, so a case costs microseconds.

use std::sync::atomic::{AtomicUsize, Ordering};

use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};

use super::{fast, tree, yaml};

/// Ordinary words, and (rarer) tokens that YAML gives a meaning.
const WORDS: &[&str] = &[
    "fully",
    "largely",
    "partially",
    "not",
    "na",
    "Asset",
    "register",
    "v3",
    "2025",
    "Société",
    "Électrique",
    "–",
    "日本",
    "O&M",
    "R&D",
    "yes",
    "no",
    "1",
    "-5",
    "50%",
    "(draft)",
    "v2.1",
];
const ODD_WORDS: &[&str] = &[
    "a:b",
    "x: y",
    "#tag",
    "x #c",
    "[x]",
    "{y}",
    "- z",
    "'",
    "\"",
    "~",
    "null",
    "1e308",
    "0x1F",
    ".5",
    "---",
    "...",
    "?",
    "!",
    "*a",
    "&a",
    "%",
    "@",
    "`",
    "|",
    ">",
    ",",
    "a,b",
    "http://x.org/a",
    "é:",
    "  ",
];

const DOUBLE_TOKENS: &[&str] = &[
    "word",
    " ",
    "é",
    "\\n",
    "\\t",
    "\\u00e9",
    "\\x41",
    "\\0",
    "\\a",
    "\\e",
    "\\\\",
    "\\\"",
    "\\/",
    "\\ ",
    "\\N",
    "\\_",
    "\\L",
    "\\U0001F600",
    "\\q",
    "\\u12",
    "\\ud800",
    "'",
    "#",
    ": ",
    "x # y",
    "[",
    "}",
    "\\x7f",
];

const SINGLE_TOKENS: &[&str] = &[
    "word", " ", "é", "''", "\\", "\\n", "\"", "#", ": ", " # c", "]", "{",
];

const KEYS: &[&str] = &[
    "model",
    "country",
    "sector",
    "operator",
    "operator_id",
    "assessed_on",
    "assessor",
    "tlp",
    "weight",
    "targets",
    "ASSET-1a",
    "ASSET-1b",
    "SITUATION-2b",
    "RAIL-1a",
    "response",
    "evidence",
    "note",
    "workforce",
    "ot-security-engineer",
    "staff",
    "needed",
    "in_training",
    "assesed_on",
    "x.y",
    "_k",
    "k-1",
    "9",
];

const ODD_KEYS: &[&str] = &[
    "\"quoted\"",
    "'single'",
    "a b",
    "? a",
    "[k]",
    "-",
    "é",
    "a:b",
];

/// A small, fast random source (xorshift64*), seeded by proptest per case: the
/// generator must cost far less than parsing for 100,000 cases to take seconds.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }
    fn pick<'p>(&mut self, pool: &[&'p str]) -> &'p str {
        pool[self.below(pool.len())]
    }
}

/// A few words from `pool`, now and then one of `odd`.
fn words(rng: &mut Rng, pool: &[&str], odd: &[&str], max: usize, out: &mut String) {
    let n = 1 + rng.below(max);
    for i in 0..n {
        if i > 0 && rng.chance(60) {
            out.push(' ');
        }
        out.push_str(if rng.chance(8) {
            rng.pick(odd)
        } else {
            rng.pick(pool)
        });
    }
}

/// A scalar as written on one line.
fn scalar(rng: &mut Rng, out: &mut String) {
    match rng.below(11) {
        0..=3 => words(rng, WORDS, ODD_WORDS, 4, out),
        4..=6 => {
            out.push('"');
            words(rng, DOUBLE_TOKENS, DOUBLE_TOKENS, 5, out);
            out.push('"');
        }
        7 | 8 => {
            out.push('\'');
            words(rng, SINGLE_TOKENS, SINGLE_TOKENS, 4, out);
            out.push('\'');
        }
        9 => out.push_str(rng.pick(&[
            "~", "null", "1", "2.5", "1e308", "-0", "true", "yes", "0o17",
        ])),
        _ => {
            out.push('"');
            words(rng, DOUBLE_TOKENS, DOUBLE_TOKENS, 3, out);
        }
    }
}

fn flow_item(rng: &mut Rng, out: &mut String) {
    if rng.chance(85) {
        scalar(rng, out);
    } else {
        out.push('[');
        for i in 0..rng.below(3) {
            if i > 0 {
                out.push_str(", ");
            }
            scalar(rng, out);
        }
        out.push(']');
    }
}

fn comment_lines(rng: &mut Rng, indent: usize, lines: &mut Vec<String>) {
    for _ in 0..rng.below(3) {
        let mut line = String::new();
        match rng.below(6) {
            0..=2 => {
                line.push_str(&" ".repeat(indent));
                line.push_str("# ");
                words(rng, WORDS, ODD_WORDS, 7, &mut line);
            }
            3 => line.push('#'),
            4 => line.push_str(if rng.chance(50) { "" } else { "   " }),
            _ => {
                line.push_str("      # ");
                words(rng, WORDS, ODD_WORDS, 3, &mut line);
            }
        }
        lines.push(line);
    }
}

fn key(rng: &mut Rng) -> &'static str {
    if rng.chance(96) {
        rng.pick(KEYS)
    } else {
        rng.pick(ODD_KEYS)
    }
}

/// One `key: value` entry at `indent`; `depth` 0 is the top level, 1 an answer.
fn entry(rng: &mut Rng, indent: usize, depth: usize, lines: &mut Vec<String>) {
    comment_lines(rng, indent, lines);
    let pad = " ".repeat(indent);
    let mut head = format!("{pad}{}:", key(rng));
    let trailing = |rng: &mut Rng| {
        let mut t = String::new();
        if rng.chance(20) {
            t.push_str("  # ");
            words(rng, WORDS, ODD_WORDS, 3, &mut t);
        }
        t
    };
    let nested = depth < 2 && rng.chance(if depth == 0 { 20 } else { 30 });
    if nested {
        head.push_str(&trailing(rng));
        lines.push(head);
        for _ in 0..(if depth == 0 {
            rng.below(7)
        } else {
            1 + rng.below(3)
        }) {
            entry(rng, indent + 2, depth + 1, lines);
        }
        return;
    }
    match rng.below(17) {
        0..=2 => {}
        3..=8 => {
            head.push(' ');
            scalar(rng, &mut head);
        }
        9 | 10 => {
            head.push_str(" [");
            for i in 0..rng.below(4) {
                if i > 0 {
                    head.push_str(", ");
                }
                flow_item(rng, &mut head);
            }
            head.push(']');
        }
        11 | 12 => {
            head.push_str(" {");
            for i in 0..rng.below(4) {
                if i > 0 {
                    head.push_str(", ");
                }
                head.push_str(key(rng));
                head.push_str(": ");
                flow_item(rng, &mut head);
            }
            head.push('}');
        }
        13 | 14 => {
            let header = rng.pick(&["|", "|-", "|+", ">", ">-", ">+", "|2", "| # c", ">  "]);
            head.push(' ');
            head.push_str(header);
            head.push_str(&trailing(rng));
            lines.push(head);
            let inner = " ".repeat(indent + 2 + rng.below(3));
            for _ in 0..1 + rng.below(4) {
                let mut line = String::new();
                match rng.below(9) {
                    0..=4 => {
                        line.push_str(&inner);
                        words(rng, WORDS, ODD_WORDS, 6, &mut line);
                    }
                    5 => {}
                    6 => line.push_str("   "),
                    7 => {
                        line.push_str(&inner);
                        line.push_str("  ");
                        words(rng, WORDS, ODD_WORDS, 3, &mut line);
                    }
                    _ => {
                        line.push_str(&inner);
                        line.push_str("# not a comment");
                    }
                }
                lines.push(line);
            }
            return;
        }
        _ => {
            head.push_str(&trailing(rng));
            lines.push(head);
            let inner = if rng.chance(50) {
                pad.clone()
            } else {
                " ".repeat(indent + 2)
            };
            for _ in 0..1 + rng.below(3) {
                let mut line = format!("{inner}-");
                if rng.chance(85) {
                    line.push(' ');
                    scalar(rng, &mut line);
                }
                lines.push(line);
            }
            return;
        }
    }
    head.push_str(&trailing(rng));
    lines.push(head);
}

/// One generated file, as bytes (a BOM, line ends and damage included).
fn generate(seed: u64) -> Vec<u8> {
    let mut rng = Rng(seed | 1);
    let mut lines = vec!["# yaml-language-server: $schema=x.json".to_owned()];
    for _ in 0..1 + rng.below(7) {
        entry(&mut rng, 0, 0, &mut lines);
    }
    if rng.chance(25) {
        let at = rng.below(lines.len());
        let line = &mut lines[at];
        match rng.below(8) {
            0 => line.insert(0, ' '),
            1 => {
                if line.starts_with(' ') {
                    line.remove(0);
                }
            }
            2 => line.insert(0, '\t'),
            3 => {
                let cut = line.len() / 2;
                let cut = (0..=cut)
                    .rev()
                    .find(|&i| line.is_char_boundary(i))
                    .unwrap_or(0);
                line.insert(cut, '\u{7}');
            }
            4 => lines.insert(at, "---".to_owned()),
            5 => line.push_str(" &a"),
            6 => line.push(' '),
            _ => line.insert_str(0, "          "),
        }
    }
    let crlf = rng.below(10);
    let final_newline = rng.chance(95);
    let mut text = String::new();
    if rng.chance(10) {
        text.push('\u{feff}');
    }
    for (i, line) in lines.iter().enumerate() {
        text.push_str(line);
        if i + 1 == lines.len() && !final_newline {
            break;
        }
        text.push_str(match crlf {
            0..=5 => "\n",
            6..=8 => "\r\n",
            _ if i % 2 == 0 => "\r\n",
            _ => "\n",
        });
    }
    text.into_bytes()
}

#[test]
fn the_fast_reader_builds_the_general_parsers_tree() {
    let cases: u32 = std::env::var("CAPGAP_DIFF_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(100_000);
    let mut runner = TestRunner::new(Config {
        cases,
        failure_persistence: None,
        ..Config::default()
    });
    let (read, total) = (AtomicUsize::new(0), AtomicUsize::new(0));
    runner
        .run(&any::<u64>(), |seed| {
            total.fetch_add(1, Ordering::Relaxed);
            let bytes = generate(seed);
            let Ok(text) = yaml::text_of("case.yaml", bytes) else {
                return Ok(());
            };
            if let Some(fast) = fast::read(&text) {
                read.fetch_add(1, Ordering::Relaxed);
                let general = tree::parse(&text);
                prop_assert_eq!(general, Ok(Some(fast)), "{:?}", text);
            }
            Ok(())
        })
        .unwrap();
    let (read, total) = (read.into_inner(), total.into_inner());
    eprintln!("{total} cases, {read} read by the fast reader");
    // The comparison means something only if the fast reader takes a good share.
    assert!(
        read * 4 >= total,
        "the fast reader read only {read} of {total}"
    );
}
