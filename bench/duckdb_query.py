#!/usr/bin/env python3
"""The dashboard's queries in DuckDB over raw rows, for `rapport bench query`.

Usage: duckdb_query.py RESPONSES.csv [--runs R] [--from YYYY-MM-DD] [--to YYYY-MM-DD]

Loads the CSV written by `rapport bench query` (columns
id,day,touchpoint,customer,plan,region,nps,sat,effort; empty = missing) into
an in-memory table (the load is timed apart), runs each query once untimed,
then R timed times, and prints one JSON object: per query the result rows
with the aggregates behind each value (n, promoters and detractors for NPS,
top2 for CSAT, sum for CES) and the value, the per-run seconds and their
median and p95; the same for the whole dashboard.

Semantics match Rapport's measurement service: NPS = 100 * (promoters -
detractors) / n with promoters 9-10 and detractors 0-6; CSAT = percent of
answers 4-5 among those answered; CES = mean; days are UTC dates; weeks start
on Monday (date_trunc('week') is ISO); the segment "Europe" is the
customers whose current attributes say region eu or uk (its rule in
crates/rapport-cli/src/bench/query_data.rs).

Exits with status 3 (and a JSON error) when the duckdb module is missing.
"""

import argparse
import json
import math
import sys
import time

try:
    import duckdb
except ImportError:
    print(json.dumps({"error": "not available: pip install duckdb"}))
    sys.exit(3)

NPS = "count(nps) AS n, count(*) FILTER (WHERE nps >= 9) AS promoters, count(*) FILTER (WHERE nps <= 6) AS detractors, " \
      "100.0 * (count(*) FILTER (WHERE nps >= 9) - count(*) FILTER (WHERE nps <= 6)) / count(nps) AS value"
CSAT = "count(sat) AS n, count(*) FILTER (WHERE sat >= 4) AS top2, 100.0 * count(*) FILTER (WHERE sat >= 4) / count(sat) AS value"
CES = "count(effort) AS n, sum(effort) AS sum, avg(effort) AS value"
RANGE = "day BETWEEN $from AND $to"

# The names are the ones `rapport bench query` compares against.
QUERIES = {
    "nps_by_month": f"SELECT date_trunc('month', day) AS key, {NPS} FROM responses "
                    f"WHERE {RANGE} AND nps IS NOT NULL GROUP BY key ORDER BY key",
    "csat_by_month": f"SELECT date_trunc('month', day) AS key, {CSAT} FROM responses "
                     f"WHERE {RANGE} AND sat IS NOT NULL GROUP BY key ORDER BY key",
    "ces_by_week": f"SELECT date_trunc('week', day) AS key, {CES} FROM responses "
                   f"WHERE {RANGE} AND effort IS NOT NULL GROUP BY key ORDER BY key",
    "nps_by_touchpoint": f"SELECT touchpoint AS key, {NPS} FROM responses "
                         f"WHERE {RANGE} AND nps IS NOT NULL GROUP BY key ORDER BY key",
    "nps_by_month_segment": f"SELECT date_trunc('month', day) AS key, {NPS} FROM responses "
                            f"WHERE {RANGE} AND nps IS NOT NULL AND region IN ('eu', 'uk') GROUP BY key ORDER BY key",
}


def stats(seconds):
    """Median (mean of the middle two for an even count) and nearest-rank p95, in ms."""
    s = sorted(seconds)
    if not s:
        return {"median_ms": None, "p95_ms": None}
    n = len(s)
    median = s[n // 2] if n % 2 else (s[n // 2 - 1] + s[n // 2]) / 2
    rank = min(max(math.ceil(0.95 * n), 1), n)
    return {"median_ms": round(median * 1e3, 3), "p95_ms": round(s[rank - 1] * 1e3, 3)}


def key_text(k):
    # A DATE or TIMESTAMP bucket start as YYYY-MM-DD; a touchpoint id as text.
    return k.isoformat()[:10] if hasattr(k, "isoformat") else str(k)


def plain(v):
    # DuckDB's sums are HUGEINT/Decimal; JSON wants plain numbers.
    if v is None or isinstance(v, (int, float)):
        return v
    try:
        return int(v) if int(v) == v else float(v)
    except (TypeError, ValueError):
        return float(v)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("csv")
    ap.add_argument("--runs", type=int, default=20)
    ap.add_argument("--from", dest="start", default="2025-07-01")
    ap.add_argument("--to", dest="end", default="2026-06-30")
    a = ap.parse_args()

    con = duckdb.connect(":memory:")
    started = time.perf_counter()
    con.execute(
        "CREATE TABLE responses AS SELECT * FROM read_csv($path, header = true, delim = ',', quote = '\"', "
        "nullstr = '', columns = {'id': 'BIGINT', 'day': 'DATE', 'touchpoint': 'BIGINT', 'customer': 'VARCHAR', "
        "'plan': 'VARCHAR', 'region': 'VARCHAR', 'nps': 'INTEGER', 'sat': 'INTEGER', 'effort': 'INTEGER'})",
        {"path": a.csv},
    )
    rows = con.execute("SELECT count(*) FROM responses").fetchone()[0]
    load_seconds = time.perf_counter() - started
    params = {"from": a.start, "to": a.end}

    def run(sql):
        cur = con.execute(sql, params)
        cols = [d[0] for d in cur.description]
        return [dict(zip(cols, r)) for r in cur.fetchall()]

    out = {}
    for name, sql in QUERIES.items():  # the untimed warm-up gives the numbers
        out[name] = {
            "rows": [{k: (key_text(v) if k == "key" else plain(v)) for k, v in r.items()} for r in run(sql)],
            "seconds": [],
        }
    totals = []
    for _ in range(a.runs):
        total = 0.0
        for name, sql in QUERIES.items():
            t = time.perf_counter()
            run(sql)
            s = time.perf_counter() - t
            out[name]["seconds"].append(s)
            total += s
        totals.append(total)
    for q in out.values():
        q.update(stats(q["seconds"]))
    threads = con.execute("SELECT current_setting('threads')").fetchone()[0]
    print(json.dumps({
        "duckdb_version": duckdb.__version__,
        "threads": plain(threads),
        "rows": rows,
        "load_seconds": round(load_seconds, 3),
        "queries": out,
        "total": {"seconds": totals, **stats(totals)},
    }))


if __name__ == "__main__":
    main()
