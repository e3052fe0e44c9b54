#!/usr/bin/env bash
# make bench: a seed-scale day (6.6M events, ~2.3 GB of JSON; generated once and cached), loaded by
# the runner from launcher start to exit, and the same rendered SQL run directly through DuckDB's
# JDBC driver; prints both, MB/s, the ratio, per-step seconds, the DAU step's scan and peak memory.
set -euo pipefail
cd "$(dirname "$0")/.."

EVENTS=${BENCH_EVENTS:-6600000}
RUNS=${BENCH_RUNS:-3}
CACHE=${ETL_BENCH_DIR:-$HOME/.cache/etl-bench}
PARTITION=brand=olx/tracker=hydra/channel=android/year=2017/month=08/day=09
SOURCE="$CACHE/source-$EVENTS"
OUTPUT="$CACHE/output"
RENDERED="$CACHE/rendered"
THREADS=$(nproc)
MEMORY_MB=1200   # the runner's default DuckDB memory limit

make -s build
# compiled once up front, so the baseline's time is DuckDB's and not javac's
mkdir -p "$CACHE/classes"
javac -d "$CACHE/classes" bench/DirectDuckDb.java
if [[ ! -d "$SOURCE/olx/hydra/android/2017/08/09" ]]; then
    echo "generating $EVENTS events into $SOURCE (once)" >&2
    bin/etl sample --partition "$PARTITION" --events "$EVENTS" --output "$SOURCE" --seed 7 --null-ratio 0.02 --malformed-ratio 0.001
fi
SOURCE_BYTES=$(du -sb "$SOURCE/olx/hydra/android/2017/08/09" | cut -f1)
# warm the page cache so both contenders read the JSON from memory
cat "$SOURCE"/olx/hydra/android/2017/08/09/* > /dev/null

median() { sort -n | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }

runner_times=(); direct_times=(); peak_kb=0
for run in $(seq "$RUNS"); do
    /usr/bin/time -f "%e %M" -o "$CACHE/time.txt" bin/etl load --partition "$PARTITION" --source "$SOURCE" --output "$OUTPUT" --json \
        > "$CACHE/summary.json" 2> "$CACHE/load.err"
    read -r seconds kb < "$CACHE/time.txt"
    runner_times+=("$seconds"); (( kb > peak_kb )) && peak_kb=$kb

    # the direct baseline runs the very SQL the runner ran, into a fresh output
    rm -rf "$RENDERED" "$CACHE/direct"
    bin/etl render --partition "$PARTITION" --source "$SOURCE" --output "$CACHE/direct" --out "$RENDERED" > /dev/null 2>&1
    # the runner makes each step's target folder; the baseline makes the same ones, from render's headers
    grep -h '^-- target /' "$RENDERED/duckdb/$PARTITION"/*.sql | sed 's/^-- target \([^,]*\).*/\1/' | xargs mkdir -p
    /usr/bin/time -f "%e %M" -o "$CACHE/time.txt" java -cp "$CACHE/classes:runner/etl-cli/target/lib/*" DirectDuckDb \
        "$RENDERED/duckdb/$PARTITION" "$THREADS" "$MEMORY_MB" > "$CACHE/direct.txt"
    read -r seconds kb < "$CACHE/time.txt"
    direct_times+=("$seconds")
done

runner=$(printf '%s\n' "${runner_times[@]}" | median)
direct=$(printf '%s\n' "${direct_times[@]}" | median)
python3 - "$CACHE/summary.json" "$CACHE/direct.txt" "$SOURCE_BYTES" "$runner" "$direct" "$peak_kb" "$RUNS" <<'PY'
import json, sys
summary = json.load(open(sys.argv[1]))
direct = dict(line.split() for line in open(sys.argv[2]))
source_bytes, runner, direct_total, peak_kb, runs = int(sys.argv[3]), float(sys.argv[4]), float(sys.argv[5]), int(sys.argv[6]), sys.argv[7]
mb = source_bytes / 1e6
print(f"seed-scale day: {mb:,.0f} MB of JSON, {summary['rejects']['lines']:,} non-blank lines, {summary['rejects']['rejects']:,} rejects; median of {runs} runs")
print(f"  runner (bin/etl load, launcher start to exit): {runner:6.2f} s  {mb / runner:5.0f} MB/s   (target >= 150, stretch 250)")
print(f"  same SQL directly through DuckDB JDBC:          {direct_total:6.2f} s  {mb / direct_total:5.0f} MB/s")
print(f"  runner / direct: {runner / direct_total:.2f}   (target <= 1.10)")
print(f"  peak memory (largest run): {peak_kb / 1024:,.0f} MB   (target <= 2048)")
print("  where the time goes (last run; runner's step time / direct):")
labels = {"V2__event_details": "parse JSON + write details", "V3__rejects": "locate rejects", "V4__events": "sort + write events", "V5__dau": "dau",
          "V6__hourly_activity": "report: hourly aggregate", "V7__location_grid": "report: location grid"}
for step in summary["steps"]:
    name = step["step"]
    seconds = "skipped" if step["skipped"] else f"{step['seconds']:6.2f} s"
    print(f"    {name:20s} {labels.get(name, ''):28s} {seconds:>9s} / {float(direct.get(name, 'nan')):6.2f} s   scanned {step['bytes_scanned'] / 1e6:9.1f} MB")
dau = next(step for step in summary["steps"] if step["step"].endswith("__dau"))
print(f"  DAU step scanned {dau['bytes_scanned'] / 1e6:.1f} MB = {100 * dau['bytes_scanned'] / source_bytes:.2f}% of the source   (target <= 1%)")
PY

# The report page of the day just loaded: it reads the aggregates and the history only.
report_times=(); report_kb=0
for run in $(seq "$RUNS"); do
    /usr/bin/time -f "%e %M" -o "$CACHE/time.txt" bin/etl report --partition "$PARTITION" --output "$OUTPUT" > /dev/null 2> "$CACHE/report.err"
    read -r seconds kb < "$CACHE/time.txt"
    report_times+=("$seconds"); (( kb > report_kb )) && report_kb=$kb
done
report=$(printf '%s\n' "${report_times[@]}" | median)
report_bytes=$(du -cb "$OUTPUT/_reports/$PARTITION"/* | tail -1 | cut -f1)
awk -v s="$report" -v kb="$report_kb" -v b="$report_bytes" 'BEGIN { printf "  report (bin/etl report, launcher start to exit): %.2f s   (target < 2 s); peak %.0f MB; page and images %.1f MB\n", s, kb / 1024, b / 1e6 }'

# A week's backfill (seven generated days), serial and with --parallel 2.
WEEK_EVENTS=${BENCH_WEEK_EVENTS:-1000000}
WEEK="$CACHE/week-$WEEK_EVENTS"
for day in 01 02 03 04 05 06 07; do
    if [[ ! -d "$WEEK/olx/hydra/android/2017/08/$day" ]]; then
        bin/etl sample --partition "brand=olx/tracker=hydra/channel=android/year=2017/month=08/day=$day" \
            --events "$WEEK_EVENTS" --output "$WEEK" --seed "$day" > /dev/null 2>&1
    fi
done
WEEK_MB=$(( $(du -sb "$WEEK" | cut -f1) / 1000000 ))
cat "$WEEK"/olx/hydra/android/2017/08/*/* > /dev/null
for parallel in 1 2; do
    rm -rf "$CACHE/week-output"
    /usr/bin/time -f "%e %M" -o "$CACHE/time.txt" bin/etl backfill --partition brand=olx/tracker=hydra/channel=android \
        --from 2017-08-01 --to 2017-08-07 --source "$WEEK" --output "$CACHE/week-output" --parallel "$parallel" > "$CACHE/backfill.txt" 2>/dev/null
    read -r seconds kb < "$CACHE/time.txt"
    awk -v mb="$WEEK_MB" -v s="$seconds" -v kb="$kb" -v p="$parallel" -v n="$WEEK_EVENTS" -v last="$(tail -1 "$CACHE/backfill.txt")" \
        'BEGIN { printf "  week backfill (7 days x %d events, %d MB), --parallel %d: %.1f s, %.0f MB/s, peak %.0f MB; %s\n", n, mb, p, s, mb / s, kb / 1024, last }'
done

# The same SQL on Trino (476, Hive connector, native S3 over S3Proxy), where a JDK 24+ exists: a
# smaller day (Trino extracts this JSON at a few MB/s on 2 cores), loaded through the local stack.
if bin/trino-stack java > /dev/null 2>&1; then
    TRINO_EVENTS=${BENCH_TRINO_EVENTS:-1000000}
    bin/trino-stack up > /dev/null
    trap 'bin/trino-stack down > /dev/null' EXIT
    rm -rf .stack/s3/etl/bench-raw .stack/s3/etl/bench-trino .stack/s3/etl/bench-duckdb
    bin/etl sample --partition "$PARTITION" --events "$TRINO_EVENTS" --output .stack/s3/etl/bench-raw --seed 7 > /dev/null 2>&1
    TRINO_MB=$(( $(du -sb .stack/s3/etl/bench-raw | cut -f1) / 1000000 ))
    export AWS_ACCESS_KEY_ID=local-identity AWS_SECRET_ACCESS_KEY=local-credential AWS_REGION=us-east-1
    # a schema of the bench's own: a schema's tables are tied to one output root
    sed 's/^trino.schema=.*/trino.schema=bench/' .stack/trino.conf > "$CACHE/trino-bench.conf"
    for engine in trino duckdb; do
        /usr/bin/time -f "%e" -o "$CACHE/time.txt" bin/etl load --config "$CACHE/trino-bench.conf" --engine "$engine" --partition "$PARTITION" \
            --source s3://etl/bench-raw --output "s3://etl/bench-$engine" > /dev/null 2>&1
        awk -v mb="$TRINO_MB" -v s="$(cat "$CACHE/time.txt")" -v e="$engine" -v n="$TRINO_EVENTS" \
            'BEGIN { printf "  %s over S3 (S3Proxy), %d events, %d MB: %.1f s, %.1f MB/s\n", e, n, mb, s, mb / s }'
    done
else
    echo "  trino: SKIPPED: no JDK 24+ for Trino 476"
fi
