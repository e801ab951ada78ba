#!/usr/bin/env python3
"""Medians and ratios from the records that compare.sh collected with timed.py.

Usage: summarize.py RUNS.jsonl [--markdown]

Per input format, one row per tool: the peers' in-process phases (load, prep, 1-D), their sum
(`total`), the whole process (wall, CPU, peak RSS), the CPU that other processes used meanwhile, and
the ratio peer total / faultline analyze process wall (> 1: Faultline is faster). Process CPU
(user + system, all threads) is reported too: on a shared machine it moves much less than wall
time. All figures are medians over the repetitions. Then the two targets: Polars' load + prep + 1-D against the whole
`faultline analyze` process (goal >= 5x on Arrow input), and Polars' read_csv against Faultline's
CSV ingest, measured as the whole `faultline inspect` process (goal >= 1x).
"""
import argparse
import json
import statistics
import sys

ORDER = ["faultline analyze", "faultline inspect", "pandas", "polars", "duckdb"]
FORMATS = ["csv", "arrow"]


def median(values):
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


def fmt(value, digits=2, suffix=""):
    return "–" if value is None else f"{value:.{digits}f}{suffix}"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("runs")
    parser.add_argument("--markdown", action="store_true")
    args = parser.parse_args()
    with open(args.runs) as f:
        records = [json.loads(line) for line in f if line.strip()]
    ok = [r for r in records if r["exit"] == 0]
    failed = [r for r in records if r["exit"] != 0]

    header = ["tool", "load s", "prep s", "1-D s", "total s", "process wall s", "process CPU s", "peak RSS MiB",
              "other load", "runs", "total / faultline", "process / faultline"]
    lines = []
    targets = []
    notes = []
    faultline_by_format = {f: median([r["wall_s"] for r in ok if r["format"] == f and r["tool"] == "faultline analyze"])
                           for f in FORMATS}
    for format_ in FORMATS:
        here = [r for r in ok if r["format"] == format_]
        if not here:
            continue
        rows = next((r["phases"]["rows"] for r in here if "phases" in r and "rows" in r["phases"]), None)
        faultline = faultline_by_format[format_]
        mark = ""
        if faultline is None and faultline_by_format.get("csv"):
            # Faultline cannot read this format: compare with its run on the CSV file (a harder bar)
            faultline, mark = faultline_by_format["csv"], "*"
            notes.append(f"(*) {format_}: faultline analyze does not read this format; ratios are against its "
                         f"run on the CSV file ({faultline:.2f} s)")
        table = []
        medians = {}
        for tool in ORDER:
            runs = [r for r in here if r["tool"] == tool]
            if not runs:
                continue
            phase = {k: median([r.get("phases", {}).get(k) for r in runs]) for k in ("load_s", "prep_s", "d1_s", "total_s")}
            wall = median([r["wall_s"] for r in runs])
            medians[tool] = dict(phase, wall_s=wall)
            ratio = phase["total_s"] / faultline if phase["total_s"] is not None and faultline else None
            process_ratio = wall / faultline if faultline and tool != "faultline inspect" else None
            table.append([tool, fmt(phase["load_s"]), fmt(phase["prep_s"]), fmt(phase["d1_s"]),
                          fmt(phase["total_s"]), fmt(wall), fmt(median([r.get("cpu_s") for r in runs])), fmt(median([r["rss_mib"] for r in runs]), 0),
                          fmt(median([r.get("other_load") for r in runs])), str(len(runs)),
                          fmt(ratio, 2, "x" + mark), fmt(process_ratio, 2, "x" + mark)])
        title = f"{format_.upper()} input" + (f", {rows:,} rows" if rows else "") + " (medians)"
        lines.append((title, table))
        polars = medians.get("polars")
        if polars and faultline and polars["total_s"]:
            goal = " (target >= 5x)" if format_ == "arrow" else ""
            on = " on the CSV file" if mark else ""
            targets.append(f"{format_}: Polars load + prep + 1-D {polars['total_s']:.2f} s / faultline analyze "
                           f"process{on} {faultline:.2f} s = {polars['total_s'] / faultline:.2f}x{goal}")
        inspect = medians.get("faultline inspect")
        if format_ == "csv" and polars and inspect and polars["load_s"]:
            targets.append(f"csv ingest: Polars read_csv {polars['load_s']:.2f} s / faultline inspect process "
                           f"{inspect['wall_s']:.2f} s = {polars['load_s'] / inspect['wall_s']:.2f}x (target >= 1x)")

    for title, table in lines:
        if args.markdown:
            print(f"**{title}**\n")
            print("| " + " | ".join(header) + " |")
            print("|" + "---|" * len(header))
            for row in table:
                print("| " + " | ".join(row) + " |")
            print()
        else:
            widths = [max(len(h), *(len(row[i]) for row in table)) for i, h in enumerate(header)]
            print(f"\n{title}")
            print("  ".join(h.ljust(widths[i]) if i == 0 else h.rjust(widths[i]) for i, h in enumerate(header)))
            for row in table:
                print("  ".join(c.ljust(widths[i]) if i == 0 else c.rjust(widths[i]) for i, c in enumerate(row)))
    for note in notes:
        print(("\n" if args.markdown else "  ") + note)
    if targets:
        print("\nTargets:" if not args.markdown else "\nTargets:\n")
        for t in targets:
            print(("- " if args.markdown else "  ") + t)
    if failed:
        print(f"\n{len(failed)} run(s) failed: " + ", ".join(f"{r['tool']} {r['format']} (exit {r['exit']})" for r in failed))
    return 0


if __name__ == "__main__":
    sys.exit(main())
