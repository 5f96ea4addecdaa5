#!/usr/bin/env python3
"""Cross-check capgap's scores, aggregates and aid plan against benches/reference.py.

    python3 benches/crosscheck.py [--model MODEL] PATH...

Runs `capgap score --format jsonl`, `capgap score --aggregates`, `capgap plan --format json`
(without a budget, with --budget 500000 and with 40% of
the plan's total cost) and the reference on the same PATHs, compares
everything, prints a summary and every mismatch, and exits 1 on any mismatch.
The binary is $CAPGAP, else target/release/capgap, else target/debug/capgap.
"""
import argparse
import json
import math
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
sys.path.insert(0, HERE)
import reference  # noqa: E402

BUDGET = 500000
mismatches = []


def binary():
    if os.environ.get("CAPGAP"):
        return os.environ["CAPGAP"]
    for kind in ("release", "debug"):
        path = os.path.join(REPO, "target", kind, "capgap")
        if os.path.exists(path):
            return path
    sys.exit("crosscheck: no capgap binary (set CAPGAP or build it)")


def run(cmd):
    p = subprocess.run(cmd, capture_output=True, text=True)
    if p.returncode not in (0, 1):
        sys.exit(f"crosscheck: {' '.join(cmd)} exited {p.returncode}:\n{p.stderr}")
    return p.stdout


# capgap writes numbers to six decimal places (docs/spec-notes.md, "Outputs"):
# half a unit in the sixth decimal is the closest two correct results can be.
WRITTEN = 5e-6


def close(a, b, tol):
    if a is None or b is None:
        return a is None and b is None
    tol = max(tol, WRITTEN)
    return math.isclose(a, b, rel_tol=tol, abs_tol=tol)


def bad(where, what, capgap, ref):
    mismatches.append(f"{where}: {what}: capgap={json.dumps(capgap)} reference={json.dumps(ref)}")


def compare_domains(where, cds, rds, with_counts):
    if [d["id"] for d in cds] != [d["id"] for d in rds]:
        return bad(where, "domain ids", [d["id"] for d in cds], [d["id"] for d in rds])
    for c, r in zip(cds, rds):
        w = f"{where} {c['id']}"
        for f in ("level", "target", "gap"):
            if c[f] != r[f]:
                bad(w, f, c[f], r[f])
        if not close(c["implementation"], r["implementation"], 1e-9):
            bad(w, "implementation", c["implementation"], r["implementation"])
        for f in ("level_median", "at_target", "operators"):
            if f in r and c.get(f) != r[f]:
                bad(w, f, c.get(f), r[f])
        if with_counts and c["counts"] != r["counts"]:
            bad(w, "counts", c["counts"], r["counts"])


def compare_record(c, r):
    where = c["file"]
    for f in ("country", "sector", "operator_id", "assessed_on", "targets_met"):
        if c[f] != r[f]:
            bad(where, f, c[f], r[f])
    if not close(c.get("weight", 1.0), r["weight"], 1e-12):
        bad(where, "weight", c.get("weight"), r["weight"])
    if not close(c["index"], r["index"], 1e-9):
        bad(where, "index", c["index"], r["index"])
    compare_domains(where, c["domains"], r["domains"], True)
    cg = [(g["practice"], g["domain"], g["level"], g["response"]) for g in c["gaps"]]
    rg = [(g["practice"], g["domain"], g["level"], g["response"]) for g in r["gaps"]]
    if sorted(cg) != sorted(rg):
        bad(where, "gap practices (set)", sorted(set(cg) - set(rg)), sorted(set(rg) - set(cg)))
    elif cg != rg:
        bad(where, "gap practices (order)", [g[0] for g in cg], [g[0] for g in rg])
    rp = {g["practice"]: g["priority"] for g in r["gaps"]}
    for g in c["gaps"]:
        if g["practice"] in rp and not close(g["priority"], rp[g["practice"]], 1e-9):
            bad(f"{where} {g['practice']}", "priority", g["priority"], rp[g["practice"]])


def compare_aggregates(cap, ref):
    def key(a):
        s = a["scope"] if "scope" in a else a
        return (s.get("country"), s.get("sector"), s.get("region"))
    n = 0
    for part in ("country_sectors", "countries", "regions"):
        cs = {key(a): a for a in cap.get(part, [])}
        rs = {key(a): a for a in ref.get(part, [])}
        if sorted(cs, key=str) != sorted(rs, key=str):
            bad(f"aggregates {part}", "scopes", sorted(cs, key=str), sorted(rs, key=str))
        for k in cs.keys() & rs.keys():
            n += 1
            where = f"aggregates {part} {'/'.join(x for x in k if x)}"
            compare_aggregate(where, cs[k], rs[k])
    if "total" in ref:
        n += 1
        compare_aggregate("aggregates total", cap["total"], ref["total"])
    return n


def compare_trend(where, c, r):
    if (c is None) != (r is None):
        return bad(where, "trend present", c is not None, r is not None)
    if c is None:
        return
    for f in ("panel", "operators"):
        if f in r and c.get(f) != r[f]:
            bad(where, f"trend {f}", c.get(f), r[f])
    if "panel_operators" in r and sorted(c.get("panel_operators", [])) != r["panel_operators"]:
        bad(where, "trend panel_operators", sorted(c.get("panel_operators", [])),
            r["panel_operators"])
    for f in ("previous", "current", "change"):
        if not close(c["index"][f], r["index"][f], 1e-9):
            bad(where, f"trend index {f}", c["index"][f], r["index"][f])
    if [d["id"] for d in c["domains"]] != [d["id"] for d in r["domains"]]:
        return bad(where, "trend domain ids", [d["id"] for d in c["domains"]],
                   [d["id"] for d in r["domains"]])
    for cd, rd in zip(c["domains"], r["domains"]):
        for f in ("previous", "current", "change"):
            if cd["level"][f] != rd["level"][f]:
                bad(f"{where} {cd['id']}", f"trend level {f}", cd["level"][f], rd["level"][f])
            if not close(cd["implementation"][f], rd["implementation"][f], 1e-9):
                bad(f"{where} {cd['id']}", f"trend implementation {f}",
                    cd["implementation"][f], rd["implementation"][f])


def compare_operator_trends(cap, ref):
    cs = {o["current"]["file"]: o for o in cap.get("operators", [])}
    rs = {o["current"]["file"]: o for o in ref["operators"]}
    if sorted(cs) != sorted(rs):
        bad("aggregates operators", "current rounds (files)", sorted(set(cs) - set(rs)),
            sorted(set(rs) - set(cs)))
    for f in cs.keys() & rs.keys():
        compare_trend(f"trend of {f}", cs[f]["trend"], rs[f]["trend"])
    return sum(1 for f in cs.keys() & rs.keys() if rs[f]["trend"] is not None)


def compare_aggregate(where, c, r):
    compare_trend(where, c.get("trend"), r["trend"])
    if sorted(c["operators"]) != r["operators"]:
        bad(where, "operators", sorted(c["operators"]), r["operators"])
    if not close(c["index"], r["index"], 1e-9):
        bad(where, "index", c["index"], r["index"])
    if c["targets_met"] != r["targets_met"]:
        bad(where, "targets_met", c["targets_met"], r["targets_met"])
    compare_domains(where, c["domains"], r["domains"], False)


def compare_plan(label, cap, ref):
    def key(c):
        return (c["country"], c["sector"], c["intervention"])
    ck, rk = [key(c) for c in cap], [key(c) for c in ref]
    if sorted(ck) != sorted(rk):
        bad(label, "candidates (set)", sorted(set(ck) - set(rk)), sorted(set(rk) - set(ck)))
    elif ck != rk:
        first = next(i for i, (a, b) in enumerate(zip(ck, rk)) if a != b)
        bad(label, f"candidate order (first difference at rank {first + 1})",
            ck[first:first + 3], rk[first:first + 3])
    rs = {key(c): c for c in ref}
    for c in cap:
        r = rs.get(key(c))
        if r is None:
            continue
        where = f"{label} {'/'.join(key(c))}"
        if sorted(c["operators"]) != r["operators"]:
            bad(where, "operators", c["operators"], r["operators"])
        if "practices" in c and sorted(c["practices"]) != r["practices"]:
            bad(where, "practices", c["practices"], r["practices"])
        for f in ("benefit", "cost"):
            if not close(c[f], r[f], 1e-6):
                bad(where, f, c[f], r[f])
        if c["selected"] != r["selected"]:
            bad(where, "selected", c["selected"], r["selected"])


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--model")
    ap.add_argument("paths", nargs="+", metavar="PATH")
    args = ap.parse_args()
    exe = binary()
    glob = ["--model", args.model] if args.model else []
    quiet = ["-q"]

    cap_scores = [json.loads(line) for line in
                  run([exe, *glob, *quiet, "score", "--format", "jsonl", *args.paths]).splitlines()
                  if line.strip()]
    cap_aggr = json.loads(run([exe, *glob, *quiet, "score", "--aggregates", *args.paths]) or "{}")
    cap_plan = json.loads(run([exe, *glob, *quiet, "plan", "--format", "json", *args.paths]) or "[]")
    # the fixed budget, and one that takes some candidates and skips others on most data
    budgets = sorted({BUDGET, round(sum(c["cost"] for c in cap_plan) * 0.4)})
    cap_plans_b = {b: json.loads(run([exe, *glob, *quiet, "plan", "--format", "json",
                                      "--budget", str(b), *args.paths]) or "[]")
                   for b in budgets}

    if not args.model:  # capgap's compiled-in model against the file the reference reads
        built_in = run([exe, "model", "--format", "json"])
        on_disk = run([exe, "--model", os.path.join(REPO, "questionnaires", "model.yaml"),
                       "model", "--format", "json"])
        if built_in != on_disk:
            print("crosscheck: warning: capgap's built-in model differs from questionnaires/model.yaml "
                  "(stale binary?); pass --model to compare like with like")
    m = reference.load_model(args.model or os.path.join(REPO, "questionnaires", "model.yaml"))
    ref_scores = list(reference.score_all(args.paths, m))

    cap_by_file = {c["file"]: c for c in cap_scores}
    ref_by_file = {r["file"]: r for r in ref_scores}
    only_cap = sorted(cap_by_file.keys() - ref_by_file.keys())
    only_ref = sorted(ref_by_file.keys() - cap_by_file.keys())
    for f in only_cap:
        bad(f, "scored by capgap only (reference skipped it)", True, False)
    if [c["file"] for c in cap_scores if c["file"] in ref_by_file] != \
            [r["file"] for r in ref_scores if r["file"] in cap_by_file]:
        bad("files", "order", [c["file"] for c in cap_scores][:5], [r["file"] for r in ref_scores][:5])
    for f in cap_by_file.keys() & ref_by_file.keys():
        compare_record(cap_by_file[f], ref_by_file[f])

    # aggregates and plan from the files both scored (capgap's validation is the fuller one)
    common = [r for r in ref_scores if r["file"] in cap_by_file]
    ref_aggr = reference.aggregates(common, m, os.path.join(REPO, "questionnaires", "regions.yaml"))
    n_aggr = compare_aggregates(cap_aggr, ref_aggr)
    n_trends = compare_operator_trends(cap_aggr, ref_aggr)
    ref_plan = reference.plan(common, m)
    compare_plan("plan", cap_plan, ref_plan)
    selected = []
    for b, cap_plan_b in cap_plans_b.items():
        ref_plan_b = reference.plan(common, m, b)
        compare_plan(f"plan --budget {b}", cap_plan_b, ref_plan_b)
        selected.append(f"--budget {b}: selected capgap {sum(c['selected'] for c in cap_plan_b)}, "
                        f"reference {sum(c['selected'] for c in ref_plan_b)}")

    print(f"questionnaires: capgap scored {len(cap_scores)}, reference scored {len(ref_scores)}, "
          f"compared {len(cap_by_file.keys() & ref_by_file.keys())}")
    if only_ref:
        print(f"  {len(only_ref)} file(s) excluded by capgap's validation but scored by the "
              f"reference (not compared): {', '.join(only_ref[:5])}{' ...' if len(only_ref) > 5 else ''}")
    print(f"aggregates compared: {n_aggr} (with their trends); operator trends compared: {n_trends}")
    print(f"plan candidates: capgap {len(cap_plan)}, reference {len(ref_plan)}; "
          + "; ".join(selected))
    for line in mismatches:
        print("MISMATCH " + line)
    print(f"{len(mismatches)} mismatch(es)")
    sys.exit(1 if mismatches else 0)


if __name__ == "__main__":
    main()
