# The everyday commands. `make load` works on a fresh clone with only a JDK and Maven.
SHELL := /bin/bash

PARTITION ?= brand=olx/tracker=hydra/channel=android/year=2017/month=08/day=09
SOURCE    ?= data/sample
OUTPUT    ?= data/output
ENGINE    ?= duckdb
SAMPLE_EVENTS ?= 300000

MVN := mvn -q -B -Dstyle.color=never -f runner/pom.xml

.PHONY: help build load report sample test test-trino trino-up trino-down lint bench clean athena-check check-launcher

help:
	@echo "make load  [PARTITION=… SOURCE=… OUTPUT=… ENGINE=…]  load a partition (makes a sample first if needed), then its report"
	@echo "make report [PARTITION=… OUTPUT=…]                   (re)write a loaded partition's report page and print its path"
	@echo "make test                                            run the whole test suite"
	@echo "make test-trino                                      the Trino tests: a real Trino 476 over S3Proxy (downloads ~450 MB once)"
	@echo "make trino-up / make trino-down                      a local Trino + S3 stack to try the trino engine"
	@echo "make lint                                            render every step for every engine and check it"
	@echo "make athena-check                                    live probes of Athena and the whole pipeline on it (opt-in: AWS credentials, ETL_ATHENA_*; see docs/athena.md)"
	@echo "make bench                                           time a seed-scale day (~2.3 GB), runner vs direct SQL"
	@echo "make check-launcher                                  bin/etl loads the sample from its class archive, without copying DuckDB's native library to the temp folder"
	@echo "make sample                                          (re)generate the default sample partition"
	@echo "make clean                                           remove build outputs and generated data"

# the runner only, as bin/etl builds it: no test code, so none of the tests' libraries are fetched
build:
	bin/build-runner

# The default partition is generated when its folder is missing; any other partition must exist.
load:
	@if [[ "$(SOURCE)" == "data/sample" && "$(PARTITION)" == "brand=olx/tracker=hydra/channel=android/year=2017/month=08/day=09" \
	      && ! -d data/sample/olx/hydra/android/2017/08/09 ]]; then \
	    $(MAKE) --no-print-directory sample; \
	fi
	bin/etl load --partition "$(PARTITION)" --source "$(SOURCE)" --output "$(OUTPUT)" --engine "$(ENGINE)" --report

# the page of a loaded partition: <OUTPUT>/_reports/<partition path>/index.html, from its aggregates only
report:
	bin/etl report --partition "$(PARTITION)" --output "$(OUTPUT)"

sample:
	bin/etl sample --partition "brand=olx/tracker=hydra/channel=android/year=2017/month=08/day=09" \
	    --events $(SAMPLE_EVENTS) --output data/sample --seed 1

# not quiet: Surefire's closing "Tests run: …" lines are the suite's summary
test:
	mvn -B -Dstyle.color=never -f runner/pom.xml test

# Trino 476 server core and Hive plugin are fetched from Maven Central into ~/.cache/etl-trino once
test-trino:
	bin/trino-stack fetch > /dev/null
	mvn -B -Dstyle.color=never -f runner/pom.xml test -Dgroups=trino -Detl.excluded.groups=

trino-up:
	bin/trino-stack up

trino-down:
	bin/trino-stack down

lint:
	bin/etl lint

bench:
	bench/run.sh

# DuckDB's driver writes a 72 MB copy of its native library to the temp folder at every start when
# it finds the library among its resources (runner/pom.xml), and deletes it only at a normal
# exit; bin/etl must not let it. So the temp folder is looked at while the load runs.
check-launcher:
	@if [[ ! -d data/sample/olx/hydra/android/2017/08/09 ]]; then $(MAKE) --no-print-directory sample; fi
	@tmp="$$(mktemp -d)"; trap 'rm -rf "$$tmp"' EXIT; \
	ETL_JAVA_OPTS="-Djava.io.tmpdir=$$tmp -Xlog:class+load:file=$$tmp/classes.log" timeout 300 bin/etl load --partition "$(PARTITION)" --source data/sample --output "$$tmp/output" > /dev/null 2> "$$tmp/load.log" & \
	load=$$!; \
	until grep -q "V1__functions done" "$$tmp/load.log" 2> /dev/null || ! kill -0 $$load 2> /dev/null; do sleep 0.1; done; \
	if ! kill -0 $$load 2> /dev/null; then cat "$$tmp/load.log"; echo "check-launcher: the load ended before its first step was done; nothing was checked"; exit 1; fi; \
	copies="$$(cd "$$tmp" && ls -d libduckdb_java* 2> /dev/null || true)"; \
	wait $$load || { cat "$$tmp/load.log"; exit 1; }; \
	if [[ -n "$$copies" ]]; then echo "check-launcher: bin/etl copied DuckDB's native library to the temp folder: $$copies"; exit 1; fi; \
	archived="$$(grep -cE '^[^ ]+ (org\.eventetl|org\.duckdb)\.[^ ]+ source: shared objects file' "$$tmp/classes.log" || true)"; \
	read="$$(grep -cE '^[^ ]+ (org\.eventetl|org\.duckdb)\.[^ ]+ source: (jar|file):' "$$tmp/classes.log" || true)"; \
	if (( archived < 200 )); then echo "check-launcher: the load took $$archived of the runner's and DuckDB's classes from the class archive, $$read from their jars: is the archive used?"; exit 1; fi; \
	echo "check-launcher: bin/etl loaded the sample; DuckDB's library was loaded in place, no copy in the temp folder;" \
	     "$$archived of the runner's and DuckDB's classes came from the class archive, $$read from their jars"
	@# under LANG=C (cron, systemd) Java could not list a file named été.json: bin/etl runs under C.UTF-8
	@tmp="$$(mktemp -d)"; trap 'rm -rf "$$tmp"' EXIT; \
	day="$$tmp/source/olx/hydra/android/2017/08/09"; mkdir -p "$$day"; \
	cp data/sample/olx/hydra/android/2017/08/09/part-00000.json "$$day/été.json"; \
	lines="$$(wc -l < "$$day/été.json" | tr -d ' ')"; \
	if ! LC_ALL=C LANG=C bin/etl load --partition "$(PARTITION)" --source "$$tmp/source" --output "$$tmp/output" --json > "$$tmp/load.json" 2> "$$tmp/load.log"; then \
	    tail -3 "$$tmp/load.log"; echo "check-launcher: under LC_ALL=C the load of a day whose file is named été.json failed"; exit 1; fi; \
	if ! grep -q "\"rows_scanned\" *: *$$lines\b" "$$tmp/load.json"; then \
	    echo "check-launcher: under LC_ALL=C the load of été.json did not scan its $$lines lines"; exit 1; fi; \
	echo "check-launcher: under LC_ALL=C, bin/etl loaded a day whose file is named été.json ($$lines lines scanned)"
	@code=0; said="$$(ETL_JAVA_OPTS='-Xmx600m garbage' bin/etl --version 2>&1)" || code=$$?; \
	if [[ $$code != 2 || "$$said" != *"ETL_JAVA_OPTS holds 'garbage', which is no JVM flag"* ]]; then \
	    echo "check-launcher: ETL_JAVA_OPTS=garbage gave exit $$code: $$said"; exit 1; fi; \
	echo "check-launcher: ETL_JAVA_OPTS with a word that is no JVM flag is refused in one line, exit 2"
	@code=0; said="$$(ETL_JAVA_OPTS='-Xmx' bin/etl --version 2>&1)" || code=$$?; \
	if [[ $$code != 2 || "$$said" != "etl: ETL_JAVA_OPTS is refused by the JVM: Invalid maximum heap size: -Xmx (e.g. ETL_JAVA_OPTS=-Xmx2g)" ]]; then \
	    echo "check-launcher: ETL_JAVA_OPTS=-Xmx gave exit $$code: $$said"; exit 1; fi; \
	said="$$(ETL_JAVA_OPTS='-Xmx600m' bin/etl --version 2>&1)" || { echo "check-launcher: ETL_JAVA_OPTS=-Xmx600m refused: $$said"; exit 1; }; \
	echo "check-launcher: a flag the JVM refuses in ETL_JAVA_OPTS is one line, exit 2; a good one is taken"

# opt-in: needs AWS credentials and ETL_ATHENA_REGION, _DATABASE, _WORKGROUP, _SCRATCH; prints SKIPPED otherwise
athena-check:
	bin/athena-check

clean:
	rm -rf runner/*/target target data
