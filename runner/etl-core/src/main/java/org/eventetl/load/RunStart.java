package org.eventetl.load;

import java.time.Instant;

import static java.util.Objects.requireNonNull;

/**
 * Written first into a run's staging area, so that later runs of the partition can find what a run
 * that died left there, whatever the staging area's layout.
 */
record RunStart(String runId, String partition, String engine, Instant startedAt, String host, long pid)
{
    RunStart
    {
        requireNonNull(runId, "runId is null");
        requireNonNull(partition, "partition is null");
        requireNonNull(engine, "engine is null");
        requireNonNull(startedAt, "startedAt is null");
        requireNonNull(host, "host is null");
    }
}
