# The everyday commands. `make load` works on a fresh clone with only a JDK and Maven.
SHELL := /bin/bash

PARTITION ?= brand=olx/tracker=hydra/channel=android/year=2017/month=08/day=09
SOURCE    ?= data/sample
OUTPUT    ?= data/output
ENGINE    ?= duckdb
SAMPLE_EVENTS ?= 300000

MVN := mvn -q -B -Dstyle.color=never -f runner/pom.xml

.PHONY: help build load sample test lint bench clean

help:
	@echo "make load  [PARTITION=… SOURCE=… OUTPUT=… ENGINE=…]  load a partition (makes a sample first if needed)"
	@echo "make test                                            run the whole test suite"
	@echo "make lint                                            render every step for every engine and check it"
	@echo "make bench                                           time a seed-scale day (~2.3 GB), runner vs direct SQL"
	@echo "make sample                                          (re)generate the default sample partition"
	@echo "make clean                                           remove build outputs and generated data"

build:
	$(MVN) -DskipTests package

# The default partition is generated when its folder is missing; any other partition must exist.
load:
	@if [[ "$(SOURCE)" == "data/sample" && "$(PARTITION)" == "brand=olx/tracker=hydra/channel=android/year=2017/month=08/day=09" \
	      && ! -d data/sample/olx/hydra/android/2017/08/09 ]]; then \
	    $(MAKE) --no-print-directory sample; \
	fi
	bin/etl load --partition "$(PARTITION)" --source "$(SOURCE)" --output "$(OUTPUT)" --engine "$(ENGINE)"

sample:
	bin/etl sample --partition "brand=olx/tracker=hydra/channel=android/year=2017/month=08/day=09" \
	    --events $(SAMPLE_EVENTS) --output data/sample --seed 1

# not quiet: Surefire's closing "Tests run: …" lines are the suite's summary
test:
	mvn -B -Dstyle.color=never -f runner/pom.xml test

lint:
	bin/etl lint

bench:
	bench/run.sh

clean:
	rm -rf runner/target target data
