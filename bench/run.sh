#!/usr/bin/env bash
# make bench: the runner against the "three straightforward DuckDB statements" (bench/straight/), on
# the same seed-scale day (6.6M events, ~2.3 GB of JSON; generated once and cached), in one run and
# interleaved (runner, statements, runner, …) so that both see the same machine. Each contender is
# timed from its JVM's start to its exit; CPU seconds (user + sys, DuckDB's threads included) are
# the steadier figure on a shared machine. Then the cost of many small files: the runner on days of
# 1,000, 10,000 and 100,000 files of ~3 KB (~300 MB at 100,000).
#
#   BENCH_RUNS=3            runs of each contender (min / median / max are printed)
#   BENCH_EVENTS=6600000    events of the big day
#   BENCH_SMALL="1000 10000 100000"   small-file days ("" to skip)
#   BENCH_EXTRAS=1          also the report page, a week's backfill and Trino (slow; off by default)
#   ETL_BENCH_DIR           the cache (default ~/.cache/etl-bench)
set -euo pipefail
cd "$(dirname "$0")/.."

EVENTS=${BENCH_EVENTS:-6600000}
RUNS=${BENCH_RUNS:-3}
SMALL=${BENCH_SMALL-1000 10000 100000}
CACHE=${ETL_BENCH_DIR:-$HOME/.cache/etl-bench}
PARTITION=brand=olx/tracker=hydra/channel=android/year=2017/month=08/day=09
DAY_PATH=olx/hydra/android/2017/08/09
SOURCE="$CACHE/source-$EVENTS"
OUTPUT="$CACHE/output"
THREADS=$(nproc)
MEMORY_MB=800   # the runner's default DuckDB memory limit (DuckDbSettings)
TIME_FORMAT="%e %U %S %M"   # wall s, user s, sys s, peak RSS KB

make -s build
# the first start after a build records bin/etl's class archive (a few seconds), which no run should time
bin/etl --version > /dev/null
mkdir -p "$CACHE/classes" "$CACHE/runs"
javac -d "$CACHE/classes" bench/DirectDuckDb.java
if [[ ! -d "$SOURCE/$DAY_PATH" ]]; then
    echo "generating $EVENTS events into $SOURCE (once)" >&2
    bin/etl sample --partition "$PARTITION" --events "$EVENTS" --files 16 --output "$SOURCE" --seed 7 --null-ratio 0.02 --malformed-ratio 0.001
fi
SOURCE_BYTES=$(du -sb "$SOURCE/$DAY_PATH" | cut -f1)
# warm the page cache so both contenders read the JSON from memory
cat "$SOURCE/$DAY_PATH"/* > /dev/null

# The statements, with the day's folder and a fresh output filled in.
straight() {
    local out=$1
    rm -rf "$out" "$CACHE/straight-sql"; mkdir -p "$out" "$CACHE/straight-sql"
    for file in bench/straight/*.sql; do
        sed -e "s|\${SOURCE}|$SOURCE/$DAY_PATH/[!_.]*|g" -e "s|\${OUT}|$out|g" "$file" > "$CACHE/straight-sql/$(basename "$file")"
    done
    /usr/bin/time -f "$TIME_FORMAT" -o "$2" java -cp "$CACHE/classes:runner/etl-cli/target/duckdb/classes:runner/etl-cli/target/lib/*" DirectDuckDb \
        "$CACHE/straight-sql" "$THREADS" "$MEMORY_MB" > "$3"
}

rm -f "$CACHE"/runs/*
for run in $(seq "$RUNS"); do
    echo "run $run of $RUNS: runner" >&2
    /usr/bin/time -f "$TIME_FORMAT" -o "$CACHE/runs/runner-$run.time" bin/etl load --partition "$PARTITION" --source "$SOURCE" \
        --output "$OUTPUT" --json > "$CACHE/runs/runner-$run.json" 2> "$CACHE/runs/runner-$run.err"
    echo "run $run of $RUNS: straightforward statements" >&2
    straight "$CACHE/straight-output" "$CACHE/runs/straight-$run.time" "$CACHE/runs/straight-$run.txt"
done

# Many small files: the runner only (the cost per file is the runner's question).
for files in $SMALL; do
    small="$CACHE/small-$files"
    if [[ ! -d "$small/$DAY_PATH" ]]; then
        echo "generating a day of $files small files into $small (once)" >&2
        # etl sample writes at most 10,000 files: bigger days are chunks of 10,000 with seeds of their own
        mkdir -p "$small/$DAY_PATH"
        for (( chunk = 0; chunk * 10000 < files; chunk++ )); do
            count=$(( files - chunk * 10000 < 10000 ? files - chunk * 10000 : 10000 ))
            rm -rf "$small.chunk"
            bin/etl sample --partition "$PARTITION" --events $(( count * 7 )) --files "$count" --output "$small.chunk" \
                --seed $(( 11 + chunk )) --null-ratio 0.02 --malformed-ratio 0.001 > /dev/null
            python3 -c 'import os, sys; [os.rename(os.path.join(sys.argv[1], name), os.path.join(sys.argv[2], sys.argv[3] + name)) for name in os.listdir(sys.argv[1]) if name.startswith("part-")]' \
                "$small.chunk/$DAY_PATH" "$small/$DAY_PATH" "c$chunk-"
        done
        rm -rf "$small.chunk"
    fi
    find "$small/$DAY_PATH" -type f -exec cat {} + > /dev/null
    echo "small files: $files" >&2
    rm -rf "$CACHE/small-output"
    /usr/bin/time -f "$TIME_FORMAT" -o "$CACHE/runs/small-$files.time" bin/etl load --partition "$PARTITION" --source "$small" \
        --output "$CACHE/small-output" --json > "$CACHE/runs/small-$files.json" 2> "$CACHE/runs/small-$files.err"
done

python3 bench/summary.py "$CACHE/runs" "$SOURCE_BYTES" "$RUNS" "$(nproc)" "$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"

if [[ "${BENCH_EXTRAS:-0}" != 1 ]]; then
    exit 0
fi

# The report page of the day just loaded: it reads the aggregates and the history only.
/usr/bin/time -f "%e %M" -o "$CACHE/time.txt" bin/etl report --partition "$PARTITION" --output "$OUTPUT" > /dev/null 2> "$CACHE/report.err"
read -r seconds kb < "$CACHE/time.txt"
awk -v s="$seconds" -v kb="$kb" 'BEGIN { printf "report (bin/etl report, launcher start to exit): %.2f s (target < 2 s); peak %.0f MB\n", s, kb / 1024 }'

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
    awk -v mb="$WEEK_MB" -v s="$seconds" -v kb="$kb" -v p="$parallel" -v n="$WEEK_EVENTS" \
        'BEGIN { printf "week backfill (7 days x %d events, %d MB), --parallel %d: %.1f s, %.0f MB/s, peak %.0f MB\n", n, mb, p, s, mb / s, kb / 1024 }'
done

# The same SQL on Trino (476, Hive connector, native S3 over S3Proxy), where a JDK 24+ exists.
if bin/trino-stack java > /dev/null 2>&1; then
    TRINO_EVENTS=${BENCH_TRINO_EVENTS:-1000000}
    bin/trino-stack up > /dev/null
    trap 'bin/trino-stack down > /dev/null' EXIT
    rm -rf .stack/s3/etl/bench-raw .stack/s3/etl/bench-trino .stack/s3/etl/bench-duckdb
    bin/etl sample --partition "$PARTITION" --events "$TRINO_EVENTS" --output .stack/s3/etl/bench-raw --seed 7 > /dev/null 2>&1
    TRINO_MB=$(( $(du -sb .stack/s3/etl/bench-raw | cut -f1) / 1000000 ))
    export AWS_ACCESS_KEY_ID=local-identity AWS_SECRET_ACCESS_KEY=local-credential AWS_REGION=us-east-1
    sed 's/^trino.schema=.*/trino.schema=bench/' .stack/trino.conf > "$CACHE/trino-bench.conf"
    for engine in trino duckdb; do
        /usr/bin/time -f "%e" -o "$CACHE/time.txt" bin/etl load --config "$CACHE/trino-bench.conf" --engine "$engine" --partition "$PARTITION" \
            --source s3://etl/bench-raw --output "s3://etl/bench-$engine" > /dev/null 2>&1
        awk -v mb="$TRINO_MB" -v s="$(cat "$CACHE/time.txt")" -v e="$engine" -v n="$TRINO_EVENTS" \
            'BEGIN { printf "%s over S3 (S3Proxy), %d events, %d MB: %.1f s, %.1f MB/s\n", e, n, mb, s, mb / s }'
    done
else
    echo "trino: SKIPPED: no JDK 24+ for Trino 476"
fi
