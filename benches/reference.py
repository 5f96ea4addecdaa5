#!/usr/bin/env python3
"""Independent reference implementation of capgap's scoring rules (SPEC §2-§5).

Written from SPEC.md alone, in plain Python (PyYAML with the libyaml CLoader), to
cross-check capgap's numbers (benches/crosscheck.py) and as the "straightforward
Python tool" baseline for the throughput benchmark.

    python3 benches/reference.py [--model MODEL] [--aggregates] [--plan] [--budget USD] PATH...

Default output: one JSON object per questionnaire per line, with capgap's field names.
Validation is minimal: a file that is not a mapping, names an unknown sector, an unknown
or inapplicable practice, or an unknown response is skipped with a message on stderr.
"""
import argparse
import datetime
import functools
import json
import math
import os
import re
import sys

import yaml

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


class Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
    """libyaml's safe loader, with plain scalars typed the way capgap's YAML 1.2 reader and
    its typed fields see them: `country: NO` is Norway (not YAML 1.1 false), `operator_id:
    0777` is the text 0777 (not octal 511). Only true/false, null and dates are resolved;
    numbers stay text and are converted where a field is a number."""
    yaml_implicit_resolvers = {
        first: [(tag, rx) for tag, rx in resolvers if tag.endswith((":null", ":timestamp"))]
        for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()}


Loader.add_implicit_resolver("tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"),
                             list("tTfF"))


DEEP = re.compile(r"(?:[\[{]\s*){256}")


class Skip(Exception):
    """A questionnaire that cannot be scored."""


# ── the model (SPEC §2) ──────────────────────────────────────────────────────────

def load_model(path):
    with open(path, encoding="utf-8") as f:
        raw = yaml.load(f.read(), Loader=Loader)
    m = {
        "levels": sorted(int(l["level"]) for l in raw["levels"]),
        "response_ids": [r["id"] for r in raw["responses"]],
        "responses": {r["id"]: (float(r["credit"]), bool(r["achieves"])) for r in raw["responses"]},
        "targets": {s["id"]: {d: int(t) for d, t in (s.get("targets") or {}).items()}
                    for s in raw["sectors"]},
        "costs": {i["id"]: float(i["cost_usd"]) for i in raw.get("interventions") or []},
        "domains": [],
        "practices": {},
    }
    for d in raw["domains"]:
        dom = {"id": d["id"], "weight": float(d.get("weight", 1)), "practices": []}
        for p in d.get("practices") or []:
            prac = {
                "id": p["id"],
                "domain": d["id"],
                "level": int(p["level"]),
                "weight": float(p.get("weight", 1)),
                "sectors": set(p["sectors"]) if p.get("sectors") is not None else None,
                "interventions": list(p.get("interventions") or []),
            }
            dom["practices"].append(prac)
            m["practices"][prac["id"]] = prac
        m["domains"].append(dom)
    m["domain_weight"] = {d["id"]: d["weight"] for d in m["domains"]}
    # per sector: [(domain, [applicable practices])], computed once
    m["applicable"] = {
        s: [(d, [p for p in d["practices"] if p["sectors"] is None or s in p["sectors"]])
            for d in m["domains"]]
        for s in m["targets"]
    }
    return m


# ── one questionnaire (SPEC §3, §4) ──────────────────────────────────────────────

def slug(name):
    return re.sub(r"[^A-Za-z0-9]+", "-", name).strip("-").lower()


def iso(value):
    return value.isoformat() if isinstance(value, datetime.date) else str(value)


def response_of(answer):
    """Response id of an answer (short or long form); None when left blank."""
    if isinstance(answer, dict):
        answer = answer.get("response")
    if answer is None:
        return None
    if not isinstance(answer, str):
        raise Skip(f"unknown response {answer!r} (not a string: YAML 1.1 boolean or number?)")
    return answer


def score(path, q, m):
    if not isinstance(q, dict):
        raise Skip("not a mapping")
    for field in ("country", "sector", "operator", "assessed_on"):
        if q.get(field) is None:
            raise Skip(f"missing field `{field}`")
    sector = q["sector"]
    if sector not in m["targets"]:
        raise Skip(f"unknown sector `{sector}`")
    answers = q.get("answers") or {}
    responses = {}
    for pid, answer in answers.items():
        p = m["practices"].get(pid)
        if p is None:
            raise Skip(f"unknown practice `{pid}`")
        if p["sectors"] is not None and sector not in p["sectors"]:
            raise Skip(f"practice `{pid}` does not apply to sector `{sector}`")
        r = response_of(answer)
        if r is not None and r != "na" and r not in m["responses"]:
            raise Skip(f"unknown response `{r}` for `{pid}`")
        responses[pid] = r
    sector_targets = m["targets"][sector]
    overrides = {d: int(t) for d, t in (q.get("targets") or {}).items()}

    domains, gaps = [], []
    for d, practices in m["applicable"][sector]:
        did, dw = d["id"], d["weight"]
        target = overrides.get(did, sector_targets.get(did, sector_targets.get("default")))
        counts = dict.fromkeys(m["response_ids"] + ["na", "unanswered"], 0)
        assessed = []  # (practice, response id or "unanswered", credit, achieves)
        for p in practices:
            r = responses.get(p["id"])
            if r == "na":
                counts["na"] += 1
                continue
            if r is None:
                counts["unanswered"] += 1
                assessed.append((p, "unanswered", 0.0, False))
            else:
                counts[r] += 1
                assessed.append((p, r) + m["responses"][r])
        rec = {"id": did, "level": None, "target": target, "gap": None,
               "implementation": None, "counts": counts}
        if assessed:
            # highest L: at least one assessed practice at <= L, none failing at <= L
            lowest = min(p["level"] for p, _, _, _ in assessed)
            failing = min((p["level"] for p, _, _, ok in assessed if not ok), default=float("inf"))
            level = max((L for L in m["levels"] if lowest <= L < failing), default=0)
            rec["level"] = level
            rec["gap"] = max(0, target - level)
            rec["implementation"] = (sum(p["weight"] * c for p, _, c, _ in assessed)
                                     / sum(p["weight"] for p, _, _, _ in assessed))
            for p, r, credit, ok in assessed:
                if not ok and p["level"] <= target:
                    priority = dw * p["weight"] * (1 - credit) * (target - p["level"] + 1)
                    gaps.append({"practice": p["id"], "domain": did, "level": p["level"],
                                 "response": r, "priority": priority})
        domains.append(rec)

    scored = [d for d in domains if d["level"] is not None]
    total_weight = sum(m["domain_weight"][d["id"]] for d in scored)
    index = (100 * sum(m["domain_weight"][d["id"]] * d["implementation"] for d in scored)
             / total_weight) if scored else None
    gaps.sort(key=lambda g: -g["priority"])  # stable: model order within equal priority
    return {
        "file": path,
        "model": q.get("model"),
        "country": q["country"],
        "sector": sector,
        "operator_id": q.get("operator_id") or slug(str(q["operator"])),
        "assessed_on": iso(q["assessed_on"]),
        "weight": float(q.get("weight", 1)),
        "index": index,
        "targets_met": sum(1 for d in scored if d["gap"] == 0),
        "domains": domains,
        "gaps": gaps,
    }


def walk(paths):
    """Files named by PATHs: directories recursively, sorted, hidden entries skipped."""
    for path in paths:
        if os.path.isdir(path):
            yield from _walk_dir(path)
        else:
            yield path


def _walk_dir(folder):
    for name in sorted(os.listdir(folder)):
        if name.startswith("."):
            continue
        full = os.path.join(folder, name)
        if os.path.islink(full):
            continue
        if os.path.isdir(full):
            yield from _walk_dir(full)
        elif name.endswith((".yaml", ".yml")) and os.path.isfile(full):
            yield full


def score_all(paths, m):
    for path in walk(paths):
        try:
            with open(path, encoding="utf-8") as f:
                text = f.read()
            # libyaml's composer recurses in C: deep flow nesting would crash the interpreter
            if len(text) > 8 << 20 or DEEP.search(text):
                raise Skip("over 8 MiB or nested too deep")
            yield score(path, yaml.load(text, Loader=Loader), m)
        except (Skip, yaml.YAMLError, UnicodeDecodeError, OSError, KeyError, TypeError, ValueError) as e:
            msg = str(e).splitlines()[0] if str(e) else type(e).__name__
            print(f"reference: skipping {path}: {msg}", file=sys.stderr)


# ── aggregation and aid plan (SPEC §5) ───────────────────────────────────────────

def operator_rounds(records):
    """Every (country, sector, operator_id)'s rounds, oldest first. Two rounds with the same
    operator_id and date are an error (SPEC §5): both are left out."""
    rounds = {}
    for r in records:
        rounds.setdefault((r["country"], r["sector"], r["operator_id"], r["assessed_on"]), []).append(r)
    by_op = {}
    for (c, s, o, _), same in sorted(rounds.items(), key=lambda kv: kv[0]):
        if len(same) > 1:
            print(f"reference: {', '.join(r['file'] for r in same)}: same operator_id and date, "
                  "left out", file=sys.stderr)
            continue
        by_op.setdefault((c, s, o), []).append(same[0])
    return [by_op[k] for k in sorted(by_op)]


def current_rounds(records):
    """The latest round of every (country, sector, operator_id)."""
    return [rounds[-1] for rounds in operator_rounds(records)]


def trend(before, after):
    """Change between two scores or aggregates (dicts with index and domains), with the
    field names of SPEC §5: {previous, current, change} for the index and for each
    domain's level and implementation."""
    def change(a, b):
        return {"previous": a, "current": b, "change": None if a is None or b is None else b - a}
    domains = [{"id": d0["id"], "level": change(d0["level"], d1["level"]),
                "implementation": change(d0["implementation"], d1["implementation"])}
               for d0, d1 in zip(before["domains"], after["domains"])]
    return {"index": change(before["index"], after["index"]), "domains": domains}


def weighted_median(pairs):
    """The lowest level at or below which at least half of the weight lies."""
    pairs = sorted(pairs)
    total = sum(w for _, w in pairs)
    below = 0.0
    for level, w in pairs:
        below += w
        if below >= total / 2 - total * 1e-12:
            return level
    return None


def aggregate(scope, ops, m):
    domains = []
    for d in m["domains"]:
        did = d["id"]
        rows = [(o["weight"], dd) for o in ops for dd in o["domains"] if dd["id"] == did]
        with_level = [(w, dd) for w, dd in rows if dd["level"] is not None]
        # SPEC is silent on the target of a group whose operators' targets differ
        # (overrides, several sectors): the highest among operators where D has a level
        # (an operator for which D does not apply sets no target); else among all.
        target = max(dd["target"] for _, dd in (with_level or rows))
        rec = {"id": did, "level": None, "target": target, "gap": None, "implementation": None,
               "level_median": None, "operators": len(with_level),
               "at_target": sum(1 for _, dd in with_level if dd["gap"] == 0)}
        if with_level:
            rec["level"] = min(dd["level"] for _, dd in with_level)
            rec["level_median"] = weighted_median([(dd["level"], w) for w, dd in with_level])
            rec["gap"] = max(0, target - rec["level"])
            rec["implementation"] = (sum(w * dd["implementation"] for w, dd in with_level)
                                     / sum(w for w, _ in with_level))
        domains.append(rec)
    scored = [d for d in domains if d["level"] is not None]
    total_weight = sum(m["domain_weight"][d["id"]] for d in scored)
    index = (100 * sum(m["domain_weight"][d["id"]] * d["implementation"] for d in scored)
             / total_weight) if scored else None
    # one entry per current round: an operator_id in two sectors (or countries) counts twice
    return dict(scope, operators=sorted(o["operator_id"] for o in ops), index=index,
                targets_met=sum(1 for d in scored if d["gap"] == 0), domains=domains)


def aggregates(records, m, regions_file):
    """Aggregates of current rounds by country x sector, country, region and in total.
    Trend of a group (SPEC §5 "between its current and previous aggregates"; read here as
    like-for-like): the aggregate of its operators that have an earlier round, over their
    previous rounds, against the same operators' current rounds."""
    history = operator_rounds(records)
    cur = [rounds[-1] for rounds in history]
    previous = {id(rounds[-1]): rounds[-2] for rounds in history if len(rounds) > 1}

    def group(scope, ops):
        agg = aggregate(scope, ops, m)
        again = [o for o in ops if id(o) in previous]
        agg["trend"] = dict(trend(aggregate({}, [previous[id(o)] for o in again], m),
                                  aggregate({}, again, m)),
                            panel=len(again), operators=len(ops),
                            panel_operators=sorted(o["operator_id"] for o in again)) if again else None
        return agg

    out = {"operators": [dict(current=o, trend=trend(previous[id(o)], o) if id(o) in previous
                              else None) for o in cur],
           "country_sectors": [], "countries": [], "regions": []}
    for c, s in sorted({(o["country"], o["sector"]) for o in cur}):
        ops = [o for o in cur if o["country"] == c and o["sector"] == s]
        out["country_sectors"].append(group({"country": c, "sector": s}, ops))
    for c in sorted({o["country"] for o in cur}):
        out["countries"].append(group({"country": c}, [o for o in cur if o["country"] == c]))
    if regions_file and os.path.exists(regions_file):
        with open(regions_file, encoding="utf-8") as f:
            groups = yaml.load(f.read(), Loader=Loader)["groups"]
        for g in groups:
            ops = [o for o in cur if o["country"] in set(g["countries"])]
            if ops:
                out["regions"].append(group({"region": g["id"]}, ops))
    if cur:
        out["total"] = group({}, cur)
    return out


def rank_order(a, b):
    """benefit/cost descending; ratios equal up to float rounding (10.499999999999998 / 60000
    vs 7 / 40000) tie, and ties go to the larger benefit, then country, sector, intervention."""
    ra, rb = a["benefit_per_dollar"], b["benefit_per_dollar"]
    if not math.isclose(ra, rb, rel_tol=1e-9):
        return -1 if ra > rb else 1
    if not math.isclose(a["benefit"], b["benefit"], rel_tol=1e-9):
        return -1 if a["benefit"] > b["benefit"] else 1
    ka = (a["country"], a["sector"], a["intervention"])
    kb = (b["country"], b["sector"], b["intervention"])
    return (ka > kb) - (ka < kb)


def plan(records, m, budget=None):
    cands = {}
    for o in current_rounds(records):
        for g in o["gaps"]:
            for i in m["practices"][g["practice"]]["interventions"]:
                c = cands.setdefault((o["country"], o["sector"], i),
                                     {"operators": set(), "practices": set(), "benefit": 0.0})
                c["operators"].add(o["operator_id"])
                c["practices"].add(g["practice"])
                c["benefit"] += g["priority"] * o["weight"]
    out = []
    for (country, sector, i), c in cands.items():
        cost = m["costs"][i] * len(c["operators"])
        out.append({"country": country, "sector": sector, "intervention": i,
                    "operators": sorted(c["operators"]), "practices": sorted(c["practices"]),
                    "benefit": c["benefit"], "cost": cost,
                    "benefit_per_dollar": c["benefit"] / cost, "selected": True})
    out.sort(key=functools.cmp_to_key(rank_order))
    if budget is not None:
        spent = 0.0
        for c in out:
            c["selected"] = spent + c["cost"] <= budget
            if c["selected"]:
                spent += c["cost"]
    return out


# ── command line ─────────────────────────────────────────────────────────────────

def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--model")
    ap.add_argument("--regions", default=os.path.join(REPO, "questionnaires", "regions.yaml"))
    ap.add_argument("--aggregates", action="store_true")
    ap.add_argument("--plan", action="store_true")
    ap.add_argument("--budget", type=float)
    ap.add_argument("paths", nargs="+", metavar="PATH")
    args = ap.parse_args(argv)
    if not getattr(yaml, "__with_libyaml__", False):
        print("reference: warning: PyYAML without libyaml, using the pure-Python loader",
              file=sys.stderr)

    if args.model:
        m = load_model(args.model)
    else:
        try:
            m = load_model(os.path.join(REPO, "questionnaires", "model.yaml"))
        except Exception as e:  # the default model may still be being written
            print(f"reference: default model failed to load ({e}); using mini-model",
                  file=sys.stderr)
            m = load_model(os.path.join(REPO, "tests", "fixtures", "mini-model.yaml"))

    records = score_all(args.paths, m)
    out = sys.stdout
    if args.plan:
        json.dump(plan(list(records), m, args.budget), out, indent=1)
        out.write("\n")
    elif args.aggregates:
        json.dump(aggregates(list(records), m, args.regions), out, indent=1)
        out.write("\n")
    else:
        for r in records:
            out.write(json.dumps(r) + "\n")


if __name__ == "__main__":
    main()
