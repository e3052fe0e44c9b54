package org.eventetl.load;

import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.eventetl.engine.Engine;
import org.eventetl.engine.StepStatistics;
import org.eventetl.history.HistoryStore;
import org.eventetl.history.SchemaMarkers;
import org.eventetl.history.StepRecord;
import org.eventetl.lease.DatabaseLease;
import org.eventetl.lease.Lease;
import org.eventetl.lease.LeaseRefusedException;
import org.eventetl.model.PausePoints;
import org.eventetl.model.RunId;
import org.eventetl.model.StepFailedException;
import org.eventetl.plan.Step;
import org.eventetl.render.RenderedStep;
import org.eventetl.storage.Location;
import org.eventetl.storage.StagedPrefix;
import org.eventetl.storage.Storage;

import static java.util.Objects.requireNonNull;

/**
 * Runs a plan's steps in order, each into the run's staging area, and records each in the history.
 * Nothing a reader sees changes here: that is the publish's job.
 */
final class StepRunner
{
    /** How long a schema step waits for another run that is applying one in the same database (V1 on Athena: a few DDL queries). */
    static final Duration SCHEMA_WAIT = Duration.ofMinutes(10);

    private final Storage storage;
    private final Location output;
    private final HistoryStore history;
    private final Engine engine;
    private final LoadListener listener;

    StepRunner(Storage storage, Location output, Engine engine, LoadListener listener)
    {
        this.storage = requireNonNull(storage, "storage is null");
        this.output = requireNonNull(output, "output is null");
        this.history = new HistoryStore(storage, output);
        this.engine = requireNonNull(engine, "engine is null");
        this.listener = requireNonNull(listener, "listener is null");
    }

    List<StepRun> run(List<RenderedStep> steps, LoadRequest request, RunId runId)
    {
        List<StepRun> runs = new ArrayList<>();
        Optional<StepRun> previous = Optional.empty();
        for (int index = 0; index < steps.size(); index++) {
            RenderedStep step = steps.get(index);
            boolean due = switch (step.step().condition()) {
                case ALWAYS -> true;
                case ROWS_DROPPED -> previous.map(StepRunner::droppedRows).orElse(false);
            };
            StepRun run = runStep(request, step, index + 1, steps.size(), due, runId);
            runs.add(run);
            previous = Optional.of(run);
        }
        return List.copyOf(runs);
    }

    /** Whether a step left rows of its scan unwritten; an engine that cannot count its scan cannot rule it out. */
    private static boolean droppedRows(StepRun run)
    {
        StepStatistics statistics = run.statistics();
        return !run.skipped() && (statistics.rowsScanned() < 0 || statistics.rowsScanned() > statistics.rowsWritten());
    }

    private StepRun runStep(LoadRequest request, RenderedStep step, int number, int total, boolean due, RunId runId)
    {
        Instant startedAt = Instant.now();
        listener.stepStarted(step.step().id(), step.target().map(StagedPrefix::prefix).orElse(""), number, total);
        try {
            // a schema step runs once per persistent database (and rendered SQL), not per partition
            Optional<String> database = step.step().scope() == Step.Scope.DATABASE ? engine.persistentDatabase() : Optional.empty();
            Optional<String> skippedBecause;
            StepStatistics statistics;
            if (!due) {
                skippedBecause = Optional.of("the step before it wrote every row it scanned: nothing to do");
                statistics = StepStatistics.skipped();
            }
            else if (database.isPresent()) {
                // one schema step at a time per database, its marker read under the lock: a run that
                // waited for another to apply the same SQL finds it applied and skips it
                SchemaMarkers markers = new SchemaMarkers(storage, output);
                try (DatabaseLease held = DatabaseLease.acquire(storage, markers.lock(engine.kind(), database.get()),
                        "schema of " + engine.kind().id() + " database " + database.get(), runId.value(), SCHEMA_WAIT, Clock.systemUTC())) {
                    if (markers.applied(engine.kind(), database.get(), step)) {
                        skippedBecause = Optional.of("already applied in " + engine.kind().id() + " database " + database.get() + " ("
                                + markers.marker(engine.kind(), database.get(), step) + "; delete it to apply the step again)");
                        statistics = StepStatistics.skipped();
                    }
                    else {
                        skippedBecause = Optional.empty();
                        statistics = engine.execute(step, listener);
                        markers.record(engine.kind(), database.get(), step, runId.value(), request.partition().hivePath());
                    }
                }
            }
            else {
                skippedBecause = Optional.empty();
                PausePoints.reach("step " + step.step().id());
                statistics = engine.execute(step, listener);
            }
            boolean run = skippedBecause.isEmpty();
            history.record(request.partition(), record(request, step, runId, startedAt, run ? StepRecord.Outcome.APPLIED : StepRecord.Outcome.SKIPPED,
                    statistics, skippedBecause.orElse(null)));
            listener.stepFinished(step.step().id(), statistics, !run);
            return new StepRun(step, !run, statistics);
        }
        catch (StepFailedException | LeaseRefusedException | UncheckedIOException e) {
            history.record(request.partition(), record(request, step, runId, startedAt, StepRecord.Outcome.FAILED, StepStatistics.skipped(), e.getMessage()));
            throw new StepRunFailedException(step.step().id(),
                    step.step().file() + " failed for " + request.partition() + " on " + request.engine().id() + ": " + e.getMessage(), e);
        }
    }

    private StepRecord record(LoadRequest request, RenderedStep step, RunId runId, Instant startedAt, StepRecord.Outcome outcome, StepStatistics statistics,
            String message)
    {
        return new StepRecord(runId.value(), request.partition().hivePath(), step.step().version(), step.step().id(), step.step().file(),
                step.step().checksum(), step.renderedChecksum(), request.engine().id(),
                step.target().map(StagedPrefix::prefix).orElse(null), outcome, startedAt,
                statistics.seconds(), statistics.rowsWritten(), statistics.rowsScanned(), statistics.bytesScanned(), message,
                System.getProperty("user.name"), Lease.thisHost());
    }
}
