package org.eventetl.load;

import java.time.Instant;

import static java.util.Objects.requireNonNull;

/**
 * Which run's files a published prefix holds: {@code _etl_run}, staged with the data and
 * published with it (last, on object stores), so it can only name a run whose files are all there.
 * Readers skip it: Hive, Trino, Athena and Spark ignore names starting with {@code _}, and it has
 * no extension, so that a reader's glob of a dataset's files ({@code *.parquet}, {@code *.json})
 * does not take it for one. It makes a publish repeatable: a dataset whose marker
 * already names the run is not published twice.
 */
record RunMarker(String runId, String partition, String dataset, Instant stagedAt)
{
    static final String FILE_NAME = "_etl_run";

    RunMarker
    {
        requireNonNull(runId, "runId is null");
        requireNonNull(partition, "partition is null");
        requireNonNull(dataset, "dataset is null");
        requireNonNull(stagedAt, "stagedAt is null");
    }
}
