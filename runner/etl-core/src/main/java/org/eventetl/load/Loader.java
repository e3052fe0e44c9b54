package org.eventetl.load;

import org.eventetl.model.LoadFailedException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.eventetl.config.Settings;
import org.eventetl.engine.Engine;
import org.eventetl.engine.StepStats;
import org.eventetl.history.HistoryEntry;
import org.eventetl.history.HistoryStore;
import org.eventetl.history.SchemaMarkers;
import org.eventetl.lease.Lease;
import org.eventetl.model.EngineKind;
import org.eventetl.model.StepFailedException;
import org.eventetl.model.UserException;
import org.eventetl.plan.Step;
import org.eventetl.render.PlanRenderer;
import org.eventetl.render.RenderedStep;
import org.eventetl.storage.ByteOrderMark;
import org.eventetl.storage.SourceFile;
import org.eventetl.storage.Storage;
import org.eventetl.storage.TargetPrefix;

import static java.util.Objects.requireNonNull;

/**
 * The pipeline for one partition: check the source, render every step, then for each step clear
 * its target prefix, execute it and record it. Everything that can be refused is refused before
 * the first delete.
 */
public final class Loader
{
    static final String DETAILS_DATASET = "event_details";
    static final String REJECTS_DATASET = "_rejects";

    private final Storage storage;
    private final PlanRenderer planRenderer;
    private final Settings settings;
    private final Engine engine;
    private final LoadListener listener;

    public Loader(Storage storage, PlanRenderer planRenderer, Engine engine, LoadListener listener)
    {
        this(storage, planRenderer, Settings.defaultSettings(), engine, listener);
    }

    public Loader(Storage storage, PlanRenderer planRenderer, Settings settings, Engine engine, LoadListener listener)
    {
        this.settings = requireNonNull(settings, "settings is null");
        this.storage = requireNonNull(storage, "storage is null");
        this.planRenderer = requireNonNull(planRenderer, "planRenderer is null");
        this.engine = requireNonNull(engine, "engine is null");
        this.listener = requireNonNull(listener, "listener is null");
    }

    /** Lists the source partition's files; a missing or empty partition is refused (exit 2). */
    public static List<SourceFile> sourceFiles(Storage storage, LoadRequest request)
    {
        try {
            if (!storage.folderExists(request.sourceFolder())) {
                throw new UserException("source partition " + request.sourceFolder() + " does not exist; check --source and --partition");
            }
            List<SourceFile> files = storage.listFiles(request.sourceFolder());
            if (files.isEmpty()) {
                throw new UserException("source partition " + request.sourceFolder() + " has no data files (names starting with _ or . are ignored)");
            }
            return files;
        }
        catch (IOException e) {
            throw new UserException("cannot list " + request.sourceFolder() + ": " + e.getMessage(), e);
        }
    }

    /**
     * The source partition's files as a plan names them. For the embedded engine each is also
     * checked for a byte-order mark, which its JSON reader cannot read past (the other engines'
     * readers drop it); only the plan needs that, so listings for other purposes skip the reads.
     */
    public static List<SourceFile> plannedSourceFiles(Storage storage, LoadRequest request)
    {
        List<SourceFile> files = sourceFiles(storage, request);
        if (request.engine() != EngineKind.DUCKDB) {
            return files;
        }
        List<SourceFile> marked = new ArrayList<>();
        for (SourceFile file : files) {
            try {
                marked.add(file.withByteOrderMark(ByteOrderMark.startsWith(storage, file)));
            }
            catch (IOException e) {
                throw new UserException("cannot read the start of " + file.location() + ": " + e.getMessage(), e);
            }
        }
        return List.copyOf(marked);
    }

    public LoadResult load(LoadRequest request)
    {
        long started = System.nanoTime();
        List<SourceFile> files = plannedSourceFiles(storage, request);
        List<RenderedStep> plan = planRenderer.render(request.partition(), request.engine(), request.sourceFolder(), files, request.output(), settings);
        HistoryStore history = new HistoryStore(storage, request.output());
        String runId = UUID.randomUUID().toString().substring(0, 8);

        List<StepOutcome> outcomes = new ArrayList<>();
        RejectCounter rejects = new RejectCounter(engine.scansCountNonBlankLines());
        for (int index = 0; index < plan.size(); index++) {
            RenderedStep step = plan.get(index);
            boolean run = step.step().condition() == Step.Condition.ALWAYS || rejects.suspected();
            StepOutcome outcome = runStep(request, step, index + 1, plan.size(), run, history, runId);
            outcomes.add(outcome);
            Optional<String> dataset = step.step().dataset();
            if (dataset.equals(Optional.of(DETAILS_DATASET))) {
                rejects.scanned(outcome.stats());
            }
            else if (dataset.equals(Optional.of(REJECTS_DATASET)) && run) {
                rejects.located(outcome.stats(), step.target().orElseThrow().location());
                checkRatio(request, rejects.result());
            }
        }
        long sourceBytes = files.stream().mapToLong(SourceFile::bytes).sum();
        return new LoadResult(request.partition(), request.engine(), runId, files.size(), sourceBytes,
                outcomes, rejects.result(), (System.nanoTime() - started) / 1e9);
    }

    private StepOutcome runStep(LoadRequest request, RenderedStep step, int number, int steps, boolean due, HistoryStore history, String runId)
    {
        Instant startedAt = Instant.now();
        listener.stepStarted(step.step().id(), step.target().map(TargetPrefix::prefix).orElse(""), number, steps);
        int cleared = 0;
        try {
            // a schema step runs once per persistent database (and rendered SQL), not per partition
            Optional<String> database = step.step().scope() == Step.Scope.DATABASE ? engine.persistentDatabase() : Optional.empty();
            SchemaMarkers markers = new SchemaMarkers(storage, request.output());
            boolean run = due;
            String skippedBecause = null;
            if (run && database.isPresent() && markers.applied(engine.kind(), database.get(), step)) {
                run = false;
                skippedBecause = "already applied in " + engine.kind().id() + " database " + database.get() + " ("
                        + markers.marker(engine.kind(), database.get(), step) + "; delete it to apply the step again)";
            }
            if (step.target().isPresent()) {
                // a skipped step's prefix is cleared too: rejects of an earlier run must not outlive it
                cleared = storage.clear(step.target().get());
            }
            StepStats stats = run ? engine.execute(step, listener) : StepStats.skipped();
            if (run && database.isPresent()) {
                markers.record(engine.kind(), database.get(), step, runId, request.partition().hivePath());
            }
            history.record(request.partition(), entry(request, step, runId, startedAt, run ? HistoryEntry.APPLIED : HistoryEntry.SKIPPED, stats, skippedBecause));
            listener.stepFinished(step.step().id(), stats, !run);
            return new StepOutcome(step, !run, cleared, stats);
        }
        catch (StepFailedException | IOException | UncheckedIOException e) {
            String reason = e.getMessage();
            history.record(request.partition(), entry(request, step, runId, startedAt, HistoryEntry.FAILED, StepStats.skipped(), reason));
            throw new LoadFailedException(step.step().file() + " failed for " + request.partition() + " on " + request.engine().id()
                    + " (target " + step.target().map(TargetPrefix::prefix).orElse("none") + "): " + reason
                    + "; fix the cause and rerun the same command (the step's prefix is cleared first)", e);
        }
    }

    private void checkRatio(LoadRequest request, Rejects rejects)
    {
        if (rejects.ratio() > request.maxRejectRatio()) {
            throw new LoadFailedException(String.format(
                    "%d of %d lines (%.2f%%) of %s are not JSON objects, above --max-reject-ratio %s; they are kept under %s",
                    rejects.rejects(), rejects.lines(), rejects.ratio() * 100, request.sourceFolder(), java.math.BigDecimal.valueOf(request.maxRejectRatio()).toPlainString(),
                    rejects.location().map(location -> location.asPrefix()).orElse("(nowhere)")), null);
        }
    }

    private HistoryEntry entry(LoadRequest request, RenderedStep step, String runId, Instant startedAt, String outcome, StepStats stats, String message)
    {
        return new HistoryEntry(runId, request.partition().hivePath(), step.step().version(), step.step().id(), step.step().file(),
                step.step().checksum(), step.renderedChecksum(), request.engine().id(),
                step.target().map(TargetPrefix::prefix).orElse(null), outcome, startedAt,
                stats.seconds(), stats.rowsWritten(), stats.rowsScanned(), stats.bytesScanned(), message,
                System.getProperty("user.name"), Lease.thisHost());
    }
}
