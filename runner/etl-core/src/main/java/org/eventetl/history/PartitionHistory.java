package org.eventetl.history;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import static java.util.Objects.requireNonNull;

/** Everything recorded of one partition, oldest first: the steps each run ran, and how each run ended. */
public record PartitionHistory(List<StepRecord> steps, List<RunRecord> runs)
{
    public PartitionHistory
    {
        steps = steps.stream().sorted(Comparator.comparing(StepRecord::startedAt).thenComparing(StepRecord::version)).toList();
        runs = runs.stream().sorted(Comparator.comparing(RunRecord::finishedAt)).toList();
        requireNonNull(steps, "steps is null");
    }

    public static PartitionHistory empty()
    {
        return new PartitionHistory(List.of(), List.of());
    }

    /** The run whose outputs readers see: the last one published. */
    public Optional<RunRecord> published()
    {
        return runs.stream().filter(run -> run.outcome() == RunRecord.Outcome.PUBLISHED).reduce((first, second) -> second);
    }

    public List<StepRecord> steps(String runId)
    {
        return steps.stream().filter(step -> step.runId().equals(runId)).toList();
    }

    /** How a run ended, resolved by repair included; empty for a run still going or killed. */
    public List<RunRecord> ends(String runId)
    {
        return runs.stream().filter(run -> run.runId().equals(runId)).toList();
    }

    /** Whether the run is recorded as published (its own publish, or one finished for it). */
    public boolean wasPublished(String runId)
    {
        return endedAs(runId, RunRecord.Outcome.PUBLISHED);
    }

    /** Whether repair marked the run resolved: a failure or a kill that needs nothing more. */
    public boolean wasResolved(String runId)
    {
        return endedAs(runId, RunRecord.Outcome.RESOLVED);
    }

    /** Whether the run recorded its own failure (not a kill, which records nothing, nor repair's resolution of it). */
    public boolean recordedFailure(String runId)
    {
        return endedAs(runId, RunRecord.Outcome.FAILED);
    }

    private boolean endedAs(String runId, RunRecord.Outcome outcome)
    {
        return ends(runId).stream().anyMatch(run -> run.outcome() == outcome);
    }

    /**
     * The latest run that started after the published one (after none, if none is published) and
     * neither published nor was marked resolved since: the attempt that status and the report name.
     * Whether it failed, was killed or is still running, its ends and the lease tell.
     */
    public Optional<String> openAttempt()
    {
        Optional<RunRecord> published = published();
        Instant after = published.map(RunRecord::startedAt).orElse(Instant.MIN);
        return runIds().stream()
                .filter(runId -> published.map(run -> !run.runId().equals(runId)).orElse(true))
                .filter(runId -> started(runId).isAfter(after))
                .max(Comparator.comparing(this::started))
                .filter(runId -> !wasPublished(runId) && !wasResolved(runId));
    }

    /** When a run started, by its step records or, for a run that failed before its first step, by its end's record. */
    public Instant started(String runId)
    {
        return Stream.concat(steps(runId).stream().map(StepRecord::startedAt), ends(runId).stream().map(RunRecord::startedAt))
                .min(Comparator.naturalOrder()).orElse(Instant.MIN);
    }

    /** The ids of every run that recorded a step or its end (one that failed before its first step has no step). */
    public List<String> runIds()
    {
        return Stream.concat(steps.stream().map(StepRecord::runId), runs.stream().map(RunRecord::runId)).distinct().toList();
    }
}
