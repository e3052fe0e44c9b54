package org.eventetl.load;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static java.util.Objects.requireNonNull;

/**
 * Written under a run's staging area before its publish touches anything: which partition and
 * datasets it replaces. A publish cut short (a crash, a kill) is finished from it by the next run of
 * the partition or by {@code repair}, so readers never keep a mix of two runs.
 */
record PublishManifest(String runId, String partition, List<String> datasets, Map<String, Long> rows, Instant startedAt)
{
    PublishManifest
    {
        requireNonNull(runId, "runId is null");
        requireNonNull(partition, "partition is null");
        datasets = List.copyOf(requireNonNull(datasets, "datasets is null"));
        rows = Map.copyOf(rows == null ? Map.of() : rows);
        requireNonNull(startedAt, "startedAt is null");
    }
}
