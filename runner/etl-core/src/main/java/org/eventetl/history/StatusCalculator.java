package org.eventetl.history;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

import org.eventetl.partition.Partition;
import org.eventetl.plan.Step;

/**
 * Compares what the history says is published with the steps sql/ holds today, and looks at the
 * runs after the published one. Published data decides: a step is applied only when the published
 * run ran it with today's template and rendered SQL; a later run that failed, was killed or is
 * running is shown apart, since the published data is intact either way.
 */
public final class StatusCalculator
{
    /**
     * Who finishes a publish cut short, as the line of a run killed while publishing ends: the status
     * of the output replaces it where no one can (see the load package's PartitionInspector).
     */
    public static final String UNTIL_FINISHED = ", until a rerun of the load or etl repair finishes its publish";
    /**
     * What the history alone can say of the datasets of a publish cut short; the load package's
     * PartitionInspector replaces it with what their markers say, where it can read them.
     */
    public static final String MAY_MIX = "the published datasets may mix two runs, and on S3 one may be empty or partly filled";

    private StatusCalculator() {}

    /** What a line says of the published data while a later run failed or ended without a record; a check of the published files may say otherwise. */
    public static String intact(String publishedRunId)
    {
        return "the published data (run " + publishedRunId + ") is intact";
    }

    /**
     * @param renderedChecksums each step's rendered SQL checksum today, by step id; empty when the
     *         partition cannot be rendered (its source is gone): then only templates are compared
     * @param leaseHolder the run that holds the partition's lease now, if a live one does
     * @param publishStarted whether a run's staging area holds a publish manifest (asked only of running and interrupted runs, and of runs that failed while publishing)
     * @param unrecordedDeadRuns runs that started (their staging areas say when) and died before they
     *         recorded anything: killed while they tidied, copied or checked the source
     */
    public static PartitionStatus status(Partition partition, List<Step> steps, Map<String, String> renderedChecksums, PartitionHistory history,
            Optional<String> leaseHolder, Predicate<String> publishStarted, boolean sourceExists, Map<String, Instant> unrecordedDeadRuns)
    {
        Optional<RunRecord> published = history.published();
        List<StepStatus> rows = new ArrayList<>();
        for (Step step : steps) {
            Optional<StepRecord> record = published.flatMap(run -> history.steps(run.runId()).stream()
                    .filter(candidate -> candidate.version() == step.version())
                    .reduce((first, second) -> second));
            rows.add(stepStatus(step, record, renderedChecksums));
        }
        Optional<PartitionStatus.Attempt> attempt = attempt(history, leaseHolder, publishStarted, unrecordedDeadRuns);

        if (attempt.isPresent()) {
            PartitionStatus.Attempt later = attempt.get();
            String intact = published.map(run -> intact(run.runId())).orElse("nothing was published before");
            String detail = switch (later.state()) {
                case RUNNING -> "run " + later.runId() + (later.publishStarted()
                        ? " is publishing now: the published datasets are being replaced by its own, one by one, and may mix two runs until it ends"
                        : " is loading it now; " + intact);
                case INTERRUPTED -> "run " + later.runId() + " ended without a record (killed, its machine lost, stalled past its lease, or unable to record its failure: a full disk, say)"
                        + (later.publishStarted() ?  " while publishing: " + MAY_MIX + UNTIL_FINISHED
                                : "; " + intact + "; rerun the load, or etl repair to mark it looked at");
                default -> "run " + later.runId() + " failed" + later.phase().map(phase -> " " + RunPhase.where(phase)).orElse("")
                        + later.message().map(message -> ": " + message).orElse("")
                        + "; " + intact
                        + "; rerun the load, or etl repair to mark it looked at";
            };
            return new PartitionStatus(partition, later.state(), published, rows, attempt, detail);
        }
        if (published.isEmpty()) {
            return sourceExists
                    ? new PartitionStatus(partition, PartitionState.PENDING, published, rows, attempt, "never published; load it")
                    : new PartitionStatus(partition, PartitionState.NO_SOURCE, published, rows, attempt, "no source data (no folder, or no data files in it): nothing to load");
        }
        if (rows.stream().allMatch(row -> row.state() == StepState.APPLIED)) {
            return new PartitionStatus(partition, PartitionState.CURRENT, published, rows, attempt,
                    "published by run " + published.get().runId() + " at " + published.get().finishedAt().truncatedTo(ChronoUnit.SECONDS));
        }
        List<String> added = rows.stream().filter(row -> row.state() == StepState.PENDING).map(StepStatus::step).toList();
        boolean changed = rows.stream().anyMatch(row -> row.state() == StepState.OUTDATED);
        // a step added since the publish is no changed SQL: the detail says which it is
        String since = changed || added.isEmpty() ? "with SQL that has changed since" + (added.isEmpty() ? "" : ", and before " + String.join(", ", added) + " existed")
                : "before " + String.join(", ", added) + " existed";
        return new PartitionStatus(partition, PartitionState.OUTDATED, published, rows, attempt,
                "published by run " + published.get().runId() + " " + since + "; reload it (backfill --only-stale does)");
    }

    /** The latest run that started after the published one, if it did not publish and was not marked resolved. */
    private static Optional<PartitionStatus.Attempt> attempt(PartitionHistory history, Optional<String> leaseHolder,
            Predicate<String> publishStarted, Map<String, Instant> unrecordedDeadRuns)
    {
        Optional<String> open = history.openAttempt();
        // a live run that has recorded nothing yet (it tidies, copies or checks the source) is the latest
        // attempt, where no earlier one is open: a failed or killed run (one cut short while publishing
        // too, which the live run may be finishing) is what a reader must still be told of
        Optional<String> preparing = leaseHolder.filter(holder -> !history.runIds().contains(holder));
        if (preparing.isPresent() && open.isEmpty()) {
            return Optional.of(new PartitionStatus.Attempt(preparing.get(), PartitionState.RUNNING, Optional.empty(), Optional.empty(), false));
        }
        // and one that died so, after the published run and after the open attempt, is the latest too
        Instant after = open.map(history::started).or(() -> history.published().map(RunRecord::startedAt)).orElse(Instant.MIN);
        Optional<String> diedUnrecorded = unrecordedDeadRuns.entrySet().stream()
                .filter(run -> !history.runIds().contains(run.getKey()) && run.getValue().isAfter(after))
                .max(Map.Entry.comparingByValue())
                .map(Map.Entry::getKey);
        if (diedUnrecorded.isPresent()) {
            // (no phase: it recorded nothing, and a step is recorded once it ends, so it may have died in its first)
            return Optional.of(new PartitionStatus.Attempt(diedUnrecorded.get(), PartitionState.INTERRUPTED, Optional.empty(), Optional.empty(), false));
        }
        if (open.isEmpty()) {
            return Optional.empty();
        }
        String runId = open.get();
        Optional<RunRecord> failed = history.ends(runId).stream().filter(end -> end.outcome() == RunRecord.Outcome.FAILED).reduce((first, second) -> second);
        if (failed.isPresent()) {
            // a run that failed in its publish (or in its callbacks, once every dataset was swapped in) had begun it
            String phase = failed.get().phase();
            boolean publishing = RunPhase.publishing(phase) && publishStarted.test(runId);
            return Optional.of(new PartitionStatus.Attempt(runId, PartitionState.FAILED, Optional.ofNullable(phase),
                    Optional.ofNullable(failed.get().message()), publishing));
        }
        if (leaseHolder.filter(runId::equals).isPresent()) {
            return Optional.of(new PartitionStatus.Attempt(runId, PartitionState.RUNNING, Optional.empty(), Optional.empty(), publishStarted.test(runId)));
        }
        return Optional.of(new PartitionStatus.Attempt(runId, PartitionState.INTERRUPTED, Optional.empty(), Optional.empty(), publishStarted.test(runId)));
    }

    private static StepStatus stepStatus(Step step, Optional<StepRecord> record, Map<String, String> renderedChecksums)
    {
        if (record.isEmpty()) {
            return new StepStatus(step.version(), step.id(), StepState.PENDING, record, "no published run ran it");
        }
        StepRecord run = record.get();
        if (!run.checksum().equals(step.checksum())) {
            return new StepStatus(step.version(), step.id(), StepState.OUTDATED, record,
                    "template changed: published with " + run.checksum() + ", sql/ has " + step.checksum());
        }
        String rendered = renderedChecksums.get(step.id());
        if (rendered != null && !rendered.equals(run.renderedChecksum())) {
            return new StepStatus(step.version(), step.id(), StepState.OUTDATED, record,
                    "rendered SQL changed (parameters, partials, source files, or the source or output named by another path, a link say): published with " + run.renderedChecksum() + ", now " + rendered);
        }
        String detail = run.outcome() == StepRecord.Outcome.SKIPPED ? (run.message() == null ? "nothing to do" : run.message()) : "";
        return new StepStatus(step.version(), step.id(), StepState.APPLIED, record, detail);
    }
}
