#!/usr/bin/env python3
"""Run one command, measure it, and append one JSON record to a results file.

Usage: timed.py --out RUNS.jsonl --tool NAME --format csv|arrow --rep N -- COMMAND [ARGS...]

Record: tool, format, rep, exit, wall_s (whole process, wall clock), cpu_s (user + system of the
process), rss_mib (its peak resident set, from wait4), other_load (cores that *other* processes kept
busy meanwhile, from /proc/stat: a value well above 0 means the run shared the CPU), and `phases`: the
last JSON object the command printed on stdout, if any (the peers' per-phase times). The command's
stdout is not echoed; its stderr is.
"""
import argparse
import json
import os
import subprocess
import sys
import time


def busy_ticks():
    """Busy CPU time of the whole machine in clock ticks (all cores), or None off Linux."""
    try:
        with open("/proc/stat") as f:
            fields = f.readline().split()[1:]
    except OSError:
        return None
    values = [int(v) for v in fields]
    idle = values[3] + (values[4] if len(values) > 4 else 0)  # idle + iowait
    guest = sum(values[8:10]) if len(values) > 9 else 0  # already counted in user / nice
    return sum(values) - idle - guest


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", required=True)
    parser.add_argument("--tool", required=True)
    parser.add_argument("--format", required=True)
    parser.add_argument("--rep", type=int, default=1)
    parser.add_argument("command", nargs=argparse.REMAINDER)
    args = parser.parse_args()
    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    if not command:
        parser.error("no command")

    ticks_per_s = os.sysconf("SC_CLK_TCK")
    busy0 = busy_ticks()
    start = time.perf_counter()
    child = subprocess.Popen(command, stdout=subprocess.PIPE)
    stdout = child.stdout.read()
    _, status, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - start
    busy1 = busy_ticks()
    code = os.waitstatus_to_exitcode(status)
    child.returncode = code

    cpu = usage.ru_utime + usage.ru_stime
    record = {"tool": args.tool, "format": args.format, "rep": args.rep, "exit": code,
              "wall_s": round(wall, 4), "cpu_s": round(cpu, 3),
              "rss_mib": round(usage.ru_maxrss / 1024, 1)}
    if busy0 is not None and busy1 is not None and wall > 0:
        record["other_load"] = round(max(0.0, (busy1 - busy0) / ticks_per_s - cpu) / wall, 2)
    for line in reversed(stdout.decode(errors="replace").splitlines()):
        line = line.strip()
        if line.startswith("{"):
            try:
                record["phases"] = json.loads(line)
                break
            except ValueError:
                pass
    with open(args.out, "a") as f:
        f.write(json.dumps(record) + "\n")
    return code


if __name__ == "__main__":
    sys.exit(main())
