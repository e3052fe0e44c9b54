package org.eventetl.report;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

import org.eventetl.history.PartitionHistory;
import org.eventetl.history.RunRecord;
import org.eventetl.history.StepRecord;

import static java.util.Objects.requireNonNull;

/**
 * The run whose outputs the page shows, the published one, step by step; and the latest attempt
 * after it that did not publish (failed, killed, or running still), which the page names at the
 * top, as status does: its outputs are not shown.
 */
public record RunSummary(Optional<RunRecord> published, List<StepRecord> steps, Optional<LaterAttempt> laterAttempt)
{
    /** Athena bills $5 per TB scanned, with a 10 MB minimum per query. */
    private static final double ATHENA_DOLLARS_PER_BYTE = 5 / 1e12;
    private static final long ATHENA_MINIMUM_BYTES = 10_000_000;
    private static final String REJECTS_DATASET = "rejects";

    public RunSummary
    {
        requireNonNull(published, "published is null");
        steps = List.copyOf(requireNonNull(steps, "steps is null"));
        requireNonNull(laterAttempt, "laterAttempt is null");
    }

    public static RunSummary of(PartitionHistory history)
    {
        Optional<RunRecord> published = history.published();
        List<StepRecord> steps = published.map(run -> history.steps(run.runId()).stream()
                .sorted(Comparator.comparingInt(StepRecord::version)).toList()).orElse(List.of());
        Optional<LaterAttempt> laterAttempt = history.openAttempt().map(runId -> new LaterAttempt(runId, history.started(runId),
                history.ends(runId).stream().filter(end -> end.outcome() == RunRecord.Outcome.FAILED).reduce((first, second) -> second)));
        return new RunSummary(published, steps, laterAttempt);
    }

    /**
     * A run after the published one that did not publish.
     *
     * @param failure how it failed; empty for a run that ended without a record (killed) or is running still
     */
    public record LaterAttempt(String runId, Instant startedAt, Optional<RunRecord> failure)
    {
        public LaterAttempt
        {
            requireNonNull(runId, "runId is null");
            requireNonNull(startedAt, "startedAt is null");
            requireNonNull(failure, "failure is null");
        }
    }

    public boolean isEmpty()
    {
        return steps.isEmpty();
    }

    public double seconds()
    {
        return steps.stream().mapToDouble(StepRecord::seconds).sum();
    }

    public long bytesScanned()
    {
        return steps.stream().mapToLong(StepRecord::bytesScanned).sum();
    }

    public boolean onAthena()
    {
        return steps.stream().anyMatch(step -> step.engine().equals("athena"));
    }

    /** What a step cost on Athena (counted as one query per step), or empty on another engine. */
    public static Optional<Double> dollars(StepRecord step)
    {
        if (!step.engine().equals("athena") || step.outcome() != StepRecord.Outcome.APPLIED) {
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
    public Optional<StepRecord> rejectsStep()
    {
        return steps.stream()
                .filter(step -> step.target() != null && step.target().endsWith("/" + REJECTS_DATASET + "/" + step.partition() + "/"))
                .findFirst();
    }

    public Optional<Long> rejects()
    {
        return rejectsStep().map(step -> step.outcome() == StepRecord.Outcome.SKIPPED ? 0 : step.rowsWritten());
    }
}
