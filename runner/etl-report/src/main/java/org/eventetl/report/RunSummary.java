package org.eventetl.report;

import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.eventetl.history.HistoryEntry;

import static java.util.Objects.requireNonNull;

/**
 * The partition's steps as the history last saw them: for each step its latest run, which is what
 * the outputs on the page were made by. Runs of other steps may be older (a step added since) or
 * newer (a rerun of one step), so every row keeps its own run id and time.
 */
public record RunSummary(List<HistoryEntry> steps)
{
    /** Athena bills $5 per TB scanned, with a 10 MB minimum per query. */
    private static final double ATHENA_DOLLARS_PER_BYTE = 5 / 1e12;
    private static final long ATHENA_MINIMUM_BYTES = 10_000_000;
    private static final String REJECTS_DATASET = "_rejects";

    public RunSummary
    {
        steps = List.copyOf(requireNonNull(steps, "steps is null"));
    }

    public static RunSummary of(Collection<HistoryEntry> entries)
    {
        Map<String, HistoryEntry> latest = new LinkedHashMap<>();
        for (HistoryEntry entry : entries) {
            latest.merge(entry.step(), entry, (older, newer) -> newer.startedAt().isAfter(older.startedAt()) ? newer : older);
        }
        return new RunSummary(latest.values().stream().sorted(Comparator.comparingInt(HistoryEntry::version)).toList());
    }

    public boolean isEmpty()
    {
        return steps.isEmpty();
    }

    public double seconds()
    {
        return steps.stream().mapToDouble(HistoryEntry::seconds).sum();
    }

    public long bytesScanned()
    {
        return steps.stream().mapToLong(HistoryEntry::bytesScanned).sum();
    }

    public boolean onAthena()
    {
        return steps.stream().anyMatch(step -> step.engine().equals("athena"));
    }

    /** What a step cost on Athena (counted as one query per step), or empty on another engine. */
    public static Optional<Double> dollars(HistoryEntry step)
    {
        if (!step.engine().equals("athena") || !step.outcome().equals(HistoryEntry.APPLIED)) {
            return Optional.empty();
        }
        return Optional.of(Math.max(step.bytesScanned(), ATHENA_MINIMUM_BYTES) * ATHENA_DOLLARS_PER_BYTE);
    }

    public Optional<Double> dollars()
    {
        if (!onAthena()) {
            return Optional.empty();
        }
        return Optional.of(steps.stream().map(RunSummary::dollars).flatMap(Optional::stream).mapToDouble(Double::doubleValue).sum());
    }

    /** The step that keeps the rejects: its rows are the rejects, none when it was skipped. */
    public Optional<HistoryEntry> rejectsStep()
    {
        return steps.stream()
                .filter(step -> step.target() != null && step.target().endsWith("/" + REJECTS_DATASET + "/" + step.partition() + "/"))
                .findFirst();
    }

    public Optional<Long> rejects()
    {
        return rejectsStep().filter(HistoryEntry::success).map(step -> step.outcome().equals(HistoryEntry.SKIPPED) ? 0 : step.rowsWritten());
    }
}
