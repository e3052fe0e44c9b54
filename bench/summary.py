"""The figures of make bench, from the files bench/run.sh leaves in its runs folder.

Usage: summary.py RUNS_FOLDER SOURCE_BYTES RUNS CORES CPU_MODEL
"""
import json
import os
import statistics
import sys

runs_folder, source_bytes, runs, cores, cpu = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4], sys.argv[5]
mb = source_bytes / 1e6


def timing(path):
    """wall s, cpu s (user + sys), peak RSS MB of one /usr/bin/time -f '%e %U %S %M' file."""
    wall, user, system, kb = open(path).read().split()[:4]
    return float(wall), float(user) + float(system), int(kb) / 1024


def spread(values, unit="", digits=2):
    values = sorted(values)
    return f"{values[0]:.{digits}f} / {statistics.median(values):.{digits}f} / {values[-1]:.{digits}f}{unit}"


runner = [timing(f"{runs_folder}/runner-{run}.time") for run in range(1, runs + 1)]
straight = [timing(f"{runs_folder}/straight-{run}.time") for run in range(1, runs + 1)]
summaries = [json.load(open(f"{runs_folder}/runner-{run}.json")) for run in range(1, runs + 1)]
direct = [dict(line.split() for line in open(f"{runs_folder}/straight-{run}.txt")) for run in range(1, runs + 1)]
last = summaries[-1]

print(f"seed-scale day: {mb:,.0f} MB of JSON, {len(runs and summaries)} runs each, interleaved; {cores} cores ({cpu})")
print(f"  lines: {sum(s['rows'] for s in last['steps'] if s['step'].endswith('event_details')):,} events; rejects by reason:",
      ", ".join(f"{row[0]} {int(row[1]):,}" for summary in last["summaries"] if summary["dataset"] == "rejects" for row in summary["rows"]) or "none")
print()
print("                                   wall s (min / median / max)   cpu s (min / median / max)   MB/s (median)   peak RSS MB (max)")
for name, measured in (("runner (bin/etl load)", runner), ("three straightforward statements", straight)):
    walls = [m[0] for m in measured]
    cpus = [m[1] for m in measured]
    print(f"  {name:32s} {spread(walls):>28s}   {spread(cpus):>26s}   {mb / statistics.median(walls):13.0f}   {max(m[2] for m in measured):17.0f}")
ratios = [r[0] / s[0] for r, s in zip(runner, straight)]
cpu_ratios = [r[1] / s[1] for r, s in zip(runner, straight)]
print(f"  runner / statements, run by run: wall {spread(ratios)}, cpu {spread(cpu_ratios)}   (target <= 1.0; stretch >= 250 MB/s)")

print()
print("  per step, median seconds over the runs (the runner's own timing; the statements' from DirectDuckDb):")
steps = [step["step"] for step in last["steps"]]
straight_steps = {"V2__event_details": "V1__event_details", "V4__events": "V2__events", "V5__dau": "V3__dau"}
for name in steps:
    times = [step["seconds"] for summary in summaries for step in summary["steps"] if step["step"] == name and not step["skipped"]]
    theirs = [float(d[straight_steps[name]]) for d in direct] if name in straight_steps else []
    mine = f"{statistics.median(times):7.2f}" if times else "skipped"
    other = f"{statistics.median(theirs):7.2f}" if theirs else "      -"
    scanned = next(step["bytes_scanned"] for step in last["steps"] if step["step"] == name) / 1e6
    print(f"    {name:22s} {mine:>8s}   {other}   scanned {scanned:9.1f} MB")
load_seconds = [summary["seconds"] for summary in summaries]
audits = [summary["audit_seconds"] for summary in summaries]
publish = [summary["publish_seconds"] for summary in summaries]
share = [100 * (a + p) / s for a, p, s in zip(audits, publish, load_seconds)]
print(f"    audits {spread(audits, ' s')}, staging and publish {spread(publish, ' s')}: {spread(share, '%', 1)} of the load   (target <= 5%)")
start_up = [w - s for (w, _, _), s in zip(runner, load_seconds)]
print(f"    JVM start, listing and rendering, outside the load's own clock: {spread(start_up, ' s')}")

small = sorted(int(name[len("small-"):-len(".time")]) for name in os.listdir(runs_folder) if name.startswith("small-") and name.endswith(".time"))
if small:
    print()
    print("  many small files (the runner, launcher start to exit):")
    for files in small:
        wall, cpu_seconds, rss = timing(f"{runs_folder}/small-{files}.time")
        summary = json.load(open(f"{runs_folder}/small-{files}.json"))
        per_step = ", ".join(f"{s['step'].split('__')[0]} {s['seconds']:.1f}" for s in summary["steps"] if not s["skipped"] and s["seconds"] >= 0.5)
        print(f"    {files:7,d} files, {summary['source_bytes'] / 1e6:6.1f} MB: {wall:6.1f} s, cpu {cpu_seconds:6.1f} s, peak {rss:5.0f} MB,"
              f" {1000 * wall / files:5.2f} s per 1,000 files   ({per_step})")
