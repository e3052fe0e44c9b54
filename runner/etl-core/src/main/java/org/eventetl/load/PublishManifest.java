package org.eventetl.load;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.eventetl.history.RunRecord;

import static java.util.Objects.requireNonNull;

/**
 * Written under a run's staging area before its publish touches anything: which partition and
 * datasets it replaces. A publish cut short (a crash, a kill) is finished from it by the next run of
 * the partition or by {@code repair}, so readers never keep a mix of two runs; the run's source
 * (null in a manifest written before it was kept) goes into the record of the publish so finished,
 * so that status still sees the day's source change.
 *
 * @param staged per dataset, the names and sizes of the files the run staged for it: a publish is
 *         finished only from staged files that are still those (empty in a manifest written before
 *         they were kept)
 */
record PublishManifest(String runId, String partition, List<String> datasets, Map<String, Long> rows, Instant startedAt, RunRecord.Source source,
        Map<String, Map<String, Long>> staged)
{
    PublishManifest
    {
        requireNonNull(runId, "runId is null");
        requireNonNull(partition, "partition is null");
        datasets = List.copyOf(requireNonNull(datasets, "datasets is null"));
        rows = Map.copyOf(rows == null ? Map.of() : rows);
        requireNonNull(startedAt, "startedAt is null");
        staged = staged == null ? Map.of() : staged.entrySet().stream().collect(Collectors.toUnmodifiableMap(Map.Entry::getKey, files -> Map.copyOf(files.getValue())));
    }
}
