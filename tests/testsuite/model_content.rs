//! The shipped capability model and examples (issue 3): the counts promised, every
//! practice complete, every cited NIST CSF 2.0 subcategory real, every intervention
//! used, and every example valid under `--strict`.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use crate::support::{capgap, root, stderr_of};

/// NIST CSF 2.0 subcategory ids (withdrawn 1.1 ids such as ID.AM-06 or DE.CM-04 are absent).
const CSF_2_0: &str = "GV.OC-01 GV.OC-02 GV.OC-03 GV.OC-04 GV.OC-05 GV.RM-01 GV.RM-02 GV.RM-03 GV.RM-04 \
GV.RM-05 GV.RM-06 GV.RM-07 GV.RR-01 GV.RR-02 GV.RR-03 GV.RR-04 GV.PO-01 GV.PO-02 GV.OV-01 GV.OV-02 GV.OV-03 \
GV.SC-01 GV.SC-02 GV.SC-03 GV.SC-04 GV.SC-05 GV.SC-06 GV.SC-07 GV.SC-08 GV.SC-09 GV.SC-10 ID.AM-01 ID.AM-02 \
ID.AM-03 ID.AM-04 ID.AM-05 ID.AM-07 ID.AM-08 ID.RA-01 ID.RA-02 ID.RA-03 ID.RA-04 ID.RA-05 ID.RA-06 ID.RA-07 \
ID.RA-08 ID.RA-09 ID.RA-10 ID.IM-01 ID.IM-02 ID.IM-03 ID.IM-04 PR.AA-01 PR.AA-02 PR.AA-03 PR.AA-04 PR.AA-05 \
PR.AA-06 PR.AT-01 PR.AT-02 PR.DS-01 PR.DS-02 PR.DS-10 PR.DS-11 PR.PS-01 PR.PS-02 PR.PS-03 PR.PS-04 PR.PS-05 \
PR.PS-06 PR.IR-01 PR.IR-02 PR.IR-03 PR.IR-04 DE.CM-01 DE.CM-02 DE.CM-03 DE.CM-06 DE.CM-09 DE.AE-02 DE.AE-03 \
DE.AE-04 DE.AE-06 DE.AE-07 DE.AE-08 RS.MA-01 RS.MA-02 RS.MA-03 RS.MA-04 RS.MA-05 RS.AN-03 RS.AN-06 RS.AN-07 \
RS.AN-08 RS.CO-02 RS.CO-03 RS.MI-01 RS.MI-02 RC.RP-01 RC.RP-02 RC.RP-03 RC.RP-04 RC.RP-05 RC.RP-06 RC.CO-03 RC.CO-04";

fn model() -> Value {
    let output = capgap()
        .args(["model", "--format", "json"])
        .output()
        .expect("runs");
    assert!(output.status.success(), "{}", stderr_of(&output));
    serde_json::from_slice(&output.stdout).expect("JSON")
}

fn text(value: &Value) -> &str {
    value
        .as_str()
        .or_else(|| value["en"].as_str())
        .unwrap_or_default()
}

/// Where French text breaks the model's one spacing rule: a narrow no-break space
/// (U+202F) before `? ! ; : »` and after `«`, and never the wide one (U+00A0).
fn narrow_spacing_problems(fr: &str) -> Vec<String> {
    let chars: Vec<char> = fr.chars().collect();
    let mut problems = Vec::new();
    for (i, &c) in chars.iter().enumerate() {
        let before = i.checked_sub(1).map(|j| chars[j]);
        if "?!;:»".contains(c) && before != Some('\u{202f}') {
            problems.push(format!("no narrow no-break space before `{c}`"));
        }
        if c == '«' && chars.get(i + 1) != Some(&'\u{202f}') {
            problems.push("no narrow no-break space after `«`".to_owned());
        }
        if c == '\u{a0}' {
            problems.push("a wide no-break space (U+00A0)".to_owned());
        }
    }
    problems
}

#[test]
fn the_model_has_the_promised_breadth() {
    let model = model();
    let domains = model["domains"].as_array().expect("domains");
    assert!(domains.len() >= 10, "{} domains", domains.len());
    let practices: Vec<&Value> = domains
        .iter()
        .flat_map(|d| d["practices"].as_array().unwrap())
        .collect();
    assert!(practices.len() >= 120, "{} practices", practices.len());
    let only = |sector: &str| {
        practices
            .iter()
            .filter(|p| p["sectors"] == serde_json::json!([sector]))
            .count()
    };
    assert!(
        only("power") >= 10 && only("rail") >= 10,
        "power {} rail {}",
        only("power"),
        only("rail")
    );
    // Every domain has practices at every level for each sector.
    for domain in domains {
        for sector in ["power", "rail"] {
            let levels: BTreeSet<u64> = domain["practices"]
                .as_array()
                .unwrap()
                .iter()
                .filter(|p| {
                    p["sectors"]
                        .as_array()
                        .is_none_or(|s| s.iter().any(|x| x == sector))
                })
                .filter_map(|p| p["level"].as_u64())
                .collect();
            assert_eq!(
                levels,
                BTreeSet::from([1, 2, 3]),
                "{} for {sector}",
                domain["id"]
            );
        }
    }
    // Names in English, Japanese and French.
    for domain in domains {
        for lang in ["en", "ja", "fr"] {
            assert!(
                domain["name"][lang].is_string(),
                "{} has no {lang} name",
                domain["id"]
            );
        }
    }
    for level in model["levels"].as_array().unwrap() {
        assert!(level["name"]["ja"].is_string() && level["name"]["fr"].is_string());
    }
    for response in model["responses"].as_array().unwrap() {
        assert!(response["label"]["ja"].is_string() && response["label"]["fr"].is_string());
    }
}

#[test]
fn every_practice_is_complete_and_cites_real_csf_ids() {
    let model = model();
    let csf: BTreeSet<&str> = CSF_2_0.split_whitespace().collect();
    let interventions: BTreeMap<&str, &Value> = model["interventions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| (i["id"].as_str().unwrap(), i))
        .collect();
    assert!(interventions.len() >= 20);
    let kinds: BTreeSet<&str> = interventions
        .values()
        .map(|i| i["kind"].as_str().unwrap())
        .collect();
    assert!(kinds.len() >= 4, "{kinds:?}");
    let mut used = BTreeSet::new();
    for domain in model["domains"].as_array().unwrap() {
        for practice in domain["practices"].as_array().unwrap() {
            let id = practice["id"].as_str().unwrap();
            assert!(!text(&practice["question"]).is_empty(), "{id}: no question");
            assert!(text(&practice["guidance"]).len() > 40, "{id}: no guidance");
            let refs: Vec<&str> = practice["refs"]
                .as_array()
                .unwrap()
                .iter()
                .filter_map(Value::as_str)
                .collect();
            assert!(!refs.is_empty(), "{id}: no refs");
            for r in refs.iter().filter_map(|r| r.strip_prefix("CSF 2.0 ")) {
                assert!(
                    csf.contains(r),
                    "{id} cites `CSF 2.0 {r}`, which is not a CSF 2.0 subcategory"
                );
            }
            let addressed: Vec<&str> = practice["interventions"]
                .as_array()
                .unwrap()
                .iter()
                .filter_map(Value::as_str)
                .collect();
            assert!(!addressed.is_empty(), "{id}: no intervention");
            used.extend(addressed);
        }
    }
    let unused: Vec<&&str> = interventions
        .keys()
        .filter(|i| !used.contains(**i))
        .collect();
    assert!(
        unused.is_empty(),
        "interventions no practice uses: {unused:?}"
    );
    for intervention in interventions.values() {
        assert!(intervention["cost_usd"].as_f64().unwrap() > 0.0);
        assert!(text(&intervention["description"]).len() > 20);
    }
}

#[test]
fn the_examples_are_valid_under_strict_and_cover_the_portfolio() {
    let examples = root().join("questionnaires/examples");
    let output = capgap()
        .args(["--strict", "validate"])
        .arg(&examples)
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(0), "{}", stderr_of(&output));
    let output = capgap()
        .args(["score", "--format", "json"])
        .arg(&examples)
        .output()
        .expect("runs");
    let scores: Vec<Value> = serde_json::from_slice(&output.stdout).expect("JSON");
    assert!(scores.len() >= 20);
    let countries: BTreeSet<&str> = scores
        .iter()
        .filter_map(|s| s["country"].as_str())
        .collect();
    assert!(countries.len() >= 8, "{countries:?}");
    let tlps: BTreeSet<&str> = scores.iter().filter_map(|s| s["tlp"].as_str()).collect();
    assert!(tlps.len() >= 3, "{tlps:?}");
    let mut rounds: BTreeMap<&str, usize> = BTreeMap::new();
    for s in &scores {
        *rounds
            .entry(s["operator_id"].as_str().unwrap())
            .or_default() += 1;
    }
    assert!(
        rounds.values().filter(|&&n| n >= 2).count() >= 3,
        "operators with two rounds: {rounds:?}"
    );
    let indexes: Vec<f64> = scores.iter().filter_map(|s| s["index"].as_f64()).collect();
    let (low, high) = indexes
        .iter()
        .fold((100.0_f64, 0.0_f64), |(lo, hi), &i| (lo.min(i), hi.max(i)));
    assert!(
        low < 20.0 && high > 70.0,
        "maturity from start-up to advanced: {low:.1}..{high:.1}"
    );
}

/// Acronyms and product names kept in Latin letters in every language.
const KEPT_TERMS: [&str; 33] = [
    "OT",
    "IT",
    "SCADA",
    "EMS",
    "PLC",
    "RTU",
    "IED",
    "HMI",
    "DMZ",
    "SOC",
    "CSIRT",
    "ISAC",
    "MFA",
    "VPN",
    "GPS",
    "ETCS",
    "CBTC",
    "GSM-R",
    "FRMCS",
    "ICCP/TASE.2",
    "GOOSE",
    "MMS",
    "DNP3",
    "AMI",
    "DER",
    "SCL",
    "SCD",
    "CID",
    "RAMS",
    "CISA",
    "ICS",
    "Windows",
    "Linux",
];

/// The kept terms and standard names (`IEC 62443-3-3`, `CLC/TS 50701`) in an English text.
fn kept_terms(en: &str) -> Vec<String> {
    let words: Vec<&str> = en
        .split(|c: char| c.is_whitespace() || ",;:?!()\"'".contains(c))
        .map(|w| w.trim_end_matches('.'))
        .filter(|w| !w.is_empty())
        .collect();
    let mut terms = Vec::new();
    for (i, word) in words.iter().enumerate() {
        let bare = word.strip_suffix('s').unwrap_or(word);
        if let Some(term) = KEPT_TERMS.iter().find(|t| **t == *word || **t == bare) {
            terms.push((*term).to_owned());
        }
        if matches!(*word, "IEC" | "CLC/TS")
            && let Some(number) = words.get(i + 1)
        {
            terms.push(format!("{word} {number}"));
        }
    }
    terms
}

#[test]
fn every_question_and_guidance_is_in_japanese_and_french() {
    let model = model();
    let fully = model["responses"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == "fully")
        .expect("a `fully` response");
    let (fully_ja, fully_fr) = (
        fully["label"]["ja"].as_str().unwrap(),
        fully["label"]["fr"].as_str().unwrap(),
    );
    let mut translated = 0;
    let mut practices = 0;
    for domain in model["domains"].as_array().unwrap() {
        for practice in domain["practices"].as_array().unwrap() {
            practices += 1;
            let id = practice["id"].as_str().unwrap();
            let (question, guidance) = (&practice["question"], &practice["guidance"]);
            for (field, value) in [("question", question), ("guidance", guidance)] {
                for lang in ["en", "ja", "fr"] {
                    let text = value[lang].as_str().unwrap_or_default();
                    assert!(!text.trim().is_empty(), "{id}: no {lang} {field}");
                }
                let (en, ja, fr) = (
                    value["en"].as_str().unwrap(),
                    value["ja"].as_str().unwrap(),
                    value["fr"].as_str().unwrap(),
                );
                for term in kept_terms(en) {
                    assert!(ja.contains(&term), "{id}: the ja {field} lacks `{term}`");
                    assert!(fr.contains(&term), "{id}: the fr {field} lacks `{term}`");
                }
                let spacing = narrow_spacing_problems(fr);
                assert!(
                    spacing.is_empty(),
                    "{id} {field} (fr): {}",
                    spacing.join("; ")
                );
            }
            let ja = question["ja"].as_str().unwrap();
            assert!(
                ja.ends_with("か。"),
                "{id}: the ja question is not a question"
            );
            let fr = question["fr"].as_str().unwrap();
            assert!(fr.ends_with('?'), "{id}: the fr question is not a question");
            // "Fully means" names the response label; the translations quote the model's label.
            if guidance["en"].as_str().unwrap().starts_with("Fully means") {
                let ja = guidance["ja"].as_str().unwrap();
                assert!(
                    ja.contains(&format!("「{fully_ja}」")),
                    "{id}: the ja guidance does not name the label 「{fully_ja}」"
                );
                let fr = guidance["fr"].as_str().unwrap();
                let quoted = ['\u{202F}', '\u{A0}']
                    .iter()
                    .any(|nb| fr.contains(&format!("«{nb}{fully_fr}{nb}»")));
                assert!(quoted, "{id}: the fr guidance does not name « {fully_fr} »");
            }
            translated += 1;
        }
    }
    assert_eq!(translated, practices, "every practice is translated");
}
