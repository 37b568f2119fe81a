#!/usr/bin/env python3
"""Independent reference for `waymark-cli trend` and `waymark-cli compare`.

Reads tests/fixtures/feedback/dated_pilot.csv with the csv module and its own
date reading (the calendar date as written: the first ten characters,
YYYY-MM-DD, whatever time or UTC offset follows; anything else is undated),
computes what the CLI should print, and writes one golden file per command
to tests/golden/: {"args": [...CLI arguments...], "output": {...}}.
tests/cli_insights.rs runs each command and compares every figure with the
golden output to 1e-9 relative.

Methods (independent of the Rust code, from their textbook definitions):
  NPS     % promoters (9-10) - % detractors (0-6); interval by adjusted Wald
          (add 3/4 promoter and 3/4 detractor, n + 3; Rocks 2016).
  CSAT    top-2-box share (4-5) with a Wilson interval; mean; sample sd.
  CES     mean with a Student-t interval (scipy.stats.t.ppf); % agree (5-7).
  Differences are b - a (after - before):
  NPS     delta of plain scores, se from the adjusted-Wald variances,
          z-test with scipy.stats.norm.
  CSAT    two proportions: unpooled se for the interval, pooled for z.
  means   Welch: scipy.stats.ttest_ind(equal_var=False) for the p-value,
          Welch-Satterthwaite df, interval delta +- t.ppf(0.975, df) * se.

Regenerate (needs scipy: `pip install scipy`):
    python3 tests/golden/insights_reference.py
"""

import csv
import datetime
import json
import math
import os
import statistics

from scipy import stats

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
FIXTURE = "tests/fixtures/feedback/dated_pilot.csv"
GOLDEN = os.path.join(ROOT, "tests", "golden")
Z95 = stats.norm.ppf(0.975)


def load():
    rows = []
    with open(os.path.join(ROOT, FIXTURE), newline="", encoding="utf-8") as f:
        for rec in csv.DictReader(f):
            try:
                day = datetime.date.fromisoformat(rec["Date"].strip()[:10])
            except ValueError:
                day = None
            num = lambda k: int(rec[k]) if rec[k].strip() else None
            rows.append(
                {
                    "day": day,
                    "Touchpoint": rec["Touchpoint"].strip(),
                    "Channel": rec["Channel"].strip(),
                    "Variant": rec["Variant"].strip(),
                    "nps": num("NPS"),
                    "csat": num("CSAT"),
                    "ces": num("CES"),
                }
            )
    return rows


def summary(rows):
    out = {}
    nps = [r["nps"] for r in rows if r["nps"] is not None]
    if nps:
        n = len(nps)
        p = sum(v >= 9 for v in nps)
        d = sum(v <= 6 for v in nps)
        adj = n + 3
        pa, da = (p + 0.75) / adj, (d + 0.75) / adj
        se = math.sqrt((pa + da - (pa - da) ** 2) / adj)
        clamp = lambda x: min(100.0, max(-100.0, x * 100))
        out["nps"] = {
            "n": n,
            "score": (p - d) / n * 100,
            "promoters": p,
            "passives": n - p - d,
            "detractors": d,
            "ci95": [clamp(pa - da - Z95 * se), clamp(pa - da + Z95 * se)],
        }
    csat = [r["csat"] for r in rows if r["csat"] is not None]
    if csat:
        n = len(csat)
        k = sum(v >= 4 for v in csat)
        ph = k / n
        denom = 1 + Z95**2 / n
        centre = (ph + Z95**2 / (2 * n)) / denom
        half = Z95 * math.sqrt(ph * (1 - ph) / n + Z95**2 / (4 * n * n)) / denom
        out["csat"] = {
            "n": n,
            "percent": ph * 100,
            "mean": statistics.fmean(csat),
            "ci95": [max(0.0, (centre - half) * 100), min(100.0, (centre + half) * 100)],
            "sd": statistics.stdev(csat) if n > 1 else None,
        }
    ces = [r["ces"] for r in rows if r["ces"] is not None]
    if ces:
        n = len(ces)
        mean = statistics.fmean(ces)
        ci = None
        sd = None
        if n > 1:
            sd = statistics.stdev(ces)
            half = stats.t.ppf(0.975, n - 1) * sd / math.sqrt(n)
            ci = [mean - half, mean + half]
        out["ces"] = {
            "n": n,
            "mean": mean,
            "percent_agree": sum(v >= 5 for v in ces) / n * 100,
            "ci95": ci,
            "sd": sd,
        }
    return out


def difference(delta, half, p):
    return {"delta": delta, "ci95": [delta - half, delta + half], "p_value": p, "significant": bool(p < 0.05)}


def nps_variance(s):
    adj = s["n"] + 3
    p = (s["promoters"] + 0.75) / adj
    d = (s["detractors"] + 0.75) / adj
    return (p + d - (p - d) ** 2) / adj * 100**2


def welch(xa, xb):
    if len(xa) < 2 or len(xb) < 2:
        return None
    va = statistics.variance(xa) / len(xa)
    vb = statistics.variance(xb) / len(xb)
    if va + vb == 0:
        return None
    se = math.sqrt(va + vb)
    df = (va + vb) ** 2 / (va**2 / (len(xa) - 1) + vb**2 / (len(xb) - 1))
    res = stats.ttest_ind(xb, xa, equal_var=False)
    assert abs(res.df - df) <= 1e-9 * df
    delta = statistics.fmean(xb) - statistics.fmean(xa)
    return difference(delta, stats.t.ppf(0.975, df) * se, float(res.pvalue))


def differences(rows_a, rows_b):
    a, b = summary(rows_a), summary(rows_b)
    out = {}
    if "nps" in a and "nps" in b:
        delta = b["nps"]["score"] - a["nps"]["score"]
        se = math.sqrt(nps_variance(a["nps"]) + nps_variance(b["nps"]))
        out["nps"] = difference(delta, Z95 * se, 2 * stats.norm.sf(abs(delta / se)))
    if "csat" in a and "csat" in b:
        ka = sum(r["csat"] >= 4 for r in rows_a if r["csat"] is not None)
        kb = sum(r["csat"] >= 4 for r in rows_b if r["csat"] is not None)
        na, nb = a["csat"]["n"], b["csat"]["n"]
        pa, pb = ka / na, kb / nb
        pooled = (ka + kb) / (na + nb)
        se0 = math.sqrt(pooled * (1 - pooled) * (1 / na + 1 / nb))
        if se0 > 0:
            se = math.sqrt(pa * (1 - pa) / na + pb * (1 - pb) / nb)
            out["csat"] = difference((pb - pa) * 100, Z95 * se * 100, 2 * stats.norm.sf(abs(pb - pa) / se0))
        values = lambda rows: [r["csat"] for r in rows if r["csat"] is not None]
        d = welch(values(rows_a), values(rows_b))
        if d:
            out["csat_mean"] = d
    if "ces" in a and "ces" in b:
        values = lambda rows: [r["ces"] for r in rows if r["ces"] is not None]
        d = welch(values(rows_a), values(rows_b))
        if d:
            out["ces"] = d
    return a, b, out


def sides(names, rows_a, rows_b):
    a, b, diff = differences(rows_a, rows_b)
    return {names[0]: a, names[1]: b, "difference": diff}


def month_after(day):
    return datetime.date(day.year + day.month // 12, day.month % 12 + 1, 1)


def trend(rows, every):
    dated = [r for r in rows if r["day"] is not None]
    first = min(r["day"] for r in dated)
    last = max(r["day"] for r in dated)
    if every == "week":
        start = first - datetime.timedelta(days=first.weekday())
        step = lambda d: d + datetime.timedelta(days=7)
    else:
        start = first.replace(day=1)
        step = month_after
    buckets = []
    while start <= last:
        end = step(start)
        inside = [r for r in dated if start <= r["day"] < end]
        buckets.append({"start": start.isoformat(), "metrics": summary(inside)})
        start = end
    return {"every": every, "undated_rows": len(rows) - len(dated), "buckets": buckets}


def by_group(rows, column, side, names):
    groups = {}
    for r in rows:
        s = side(r)
        if s is not None and r[column]:
            groups.setdefault(r[column], ([], []))[s].append(r)
    return {g: sides(names, a, b) for g, (a, b) in sorted(groups.items())}


def split(rows, day, by=None):
    split_day = datetime.date.fromisoformat(day)
    side = lambda r: None if r["day"] is None else int(r["day"] >= split_day)
    out = {"split_at": day, "undated_rows": sum(r["day"] is None for r in rows)}
    if by:
        out["by"] = by.lower()
        out["groups"] = by_group(rows, by, side, ["before", "after"])
    else:
        out.update(sides(["before", "after"], [r for r in rows if side(r) == 0], [r for r in rows if side(r) == 1]))
    return out


def between(rows, column, a, b, by=None):
    norm = lambda v: v.strip().lower()
    side = lambda r: 0 if norm(r[column]) == norm(a) else 1 if norm(r[column]) == norm(b) else None
    out = {"between": {"column": column, "a": a, "b": b}}
    if by:
        out["by"] = by.lower()
        out["groups"] = by_group(rows, by, side, ["a", "b"])
    else:
        out.update(sides(["a", "b"], [r for r in rows if side(r) == 0], [r for r in rows if side(r) == 1]))
    return out


def main():
    rows = load()
    cases = {
        "trend_month": (["trend", FIXTURE, "--every", "month"], trend(rows, "month")),
        "trend_week": (["trend", FIXTURE, "--every", "week"], trend(rows, "week")),
        "compare_split": (["compare", FIXTURE, "--split-at", "2024-03-01"], split(rows, "2024-03-01")),
        "compare_split_by_touchpoint": (
            ["compare", FIXTURE, "--split-at", "2024-03-01", "--by", "touchpoint"],
            split(rows, "2024-03-01", "Touchpoint"),
        ),
        "compare_between_variant": (
            ["compare", FIXTURE, "--between", "Variant=A,B", "--role", "Variant=segment"],
            between(rows, "Variant", "A", "B"),
        ),
        "compare_between_variant_by_channel": (
            ["compare", FIXTURE, "--between", "Variant=a,b", "--role", "Variant=segment", "--by", "channel"],
            between(rows, "Variant", "a", "b", "Channel"),
        ),
    }
    for name, (args, output) in cases.items():
        with open(os.path.join(GOLDEN, name + ".json"), "w", encoding="utf-8") as f:
            json.dump({"args": args, "output": output}, f, indent=1, allow_nan=False)
            f.write("\n")


if __name__ == "__main__":
    main()
