package org.eventetl.load;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import org.eventetl.engine.Engine;
import org.eventetl.engine.EngineFactory;
import org.eventetl.history.PartitionState;
import org.eventetl.lease.LeaseRefusedException;
import org.eventetl.model.EtlException;
import org.eventetl.model.UserException;
import org.eventetl.partition.Partition;
import org.eventetl.storage.DamagedFileException;
import org.eventetl.storage.StorageOutage;

import static java.util.Objects.requireNonNull;

/**
 * Loads every day of a range, {@code parallel} at a time, each day under its own lease with its
 * own engine. Days without a source folder are skipped and reported; with {@code onlyStale}, days
 * whose steps are all applied and current are left alone (checked before a day's engine opens, and
 * again once its lease is held), unless a table of the engine's own catalog does not list the day
 * (Trino: see {@link CatalogCheck}), which is then loaded again. Without {@code continueOnError} no new
 * day starts after a failure (the running ones finish).
 */
public final class Backfill
{
    /** Days loaded at once, at most: each has its own engine and its share of the cores and memory. */
    public static final int MAX_PARALLEL = 16;

    public enum Outcome
    {
        LOADED,
        FAILED,
        NO_SOURCE,
        CURRENT,
        NOT_RUN,
        /** Another live run holds the day (a load started by hand or by another schedule): left to it, not a failure. */
        RUNNING,
    }

    public record DayResult(Partition partition, Outcome outcome, double seconds, long sourceBytes, int warnings, String message)
    {
        public DayResult
        {
            requireNonNull(partition, "partition is null");
            requireNonNull(outcome, "outcome is null");
            requireNonNull(message, "message is null");
        }
    }

    /** Told after each day, from the worker that ran it. */
    public interface Progress
    {
        void dayFinished(DayResult result, int daysDone, int days, long bytesDone, long bytesTotal);
    }

    private final Pipeline pipeline;
    private final EngineFactory engines;
    private final Set<RunStop> running = ConcurrentHashMap.newKeySet();
    /** What stopped the backfill (Ctrl-C, SIGTERM); null while it runs on. */
    private final AtomicReference<String> cancelledBy = new AtomicReference<>();
    /** What the engine's catalog listed of the days' channel, asked once, by the first day current by its files; null until then. */
    private CatalogCheck.Listing catalog;
    /** Why the catalog could not be asked, when it could not (Trino unreachable): the days keep their files' verdict, as in status. */
    private volatile Optional<String> catalogUnasked = Optional.empty();

    public Backfill(Pipeline pipeline, EngineFactory engines)
    {
        this.pipeline = requireNonNull(pipeline, "pipeline is null");
        this.engines = requireNonNull(engines, "engines is null");
    }

    public List<DayResult> run(List<LoadRequest> days, int parallel, boolean onlyStale, boolean continueOnError, Duration lease, Progress progress)
    {
        if (parallel < 1 || parallel > MAX_PARALLEL) {
            throw new IllegalArgumentException("parallel must be between 1 and " + MAX_PARALLEL + ", got " + parallel);
        }
        long bytesTotal = 0;
        for (LoadRequest day : days) {
            // a day whose source cannot be read counts nothing here, and fails with its reason when it runs
            bytesTotal += sourceBytes(day);
        }
        long total = bytesTotal;
        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger done = new AtomicInteger();
        AtomicLong bytesDone = new AtomicLong();
        ExecutorService workers = Executors.newFixedThreadPool(parallel);
        try {
            List<Future<DayResult>> futures = new ArrayList<>();
            for (LoadRequest day : days) {
                futures.add(workers.submit(() -> {
                    DayResult result = stop.get() || cancelled()
                            ? new DayResult(day.partition(), Outcome.NOT_RUN, 0, 0, 0, cancelled() ? "cancelled" : "not started after an earlier failure")
                            : loadDay(day, parallel, onlyStale, lease);
                    if (result.outcome() == Outcome.FAILED && !continueOnError) {
                        stop.set(true);
                    }
                    progress.dayFinished(result, done.incrementAndGet(), days.size(), bytesDone.addAndGet(result.sourceBytes()), total);
                    return result;
                }));
            }
            List<DayResult> results = new ArrayList<>();
            for (Future<DayResult> future : futures) {
                results.add(future.get());
            }
            return List.copyOf(results);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            cancel("interrupted");
            throw new UserException("backfill interrupted");
        }
        catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
        finally {
            workers.shutdownNow();
        }
    }

    /**
     * Ctrl-C or SIGTERM ({@code stoppedBy} names it for the days' records): no new day starts and
     * every running step is cancelled; finished days stay finished, and a day that has begun to publish
     * finishes ({@link RunStop}). Returns whether such a day was publishing.
     */
    public boolean cancel(String stoppedBy)
    {
        cancelledBy.compareAndSet(null, requireNonNull(stoppedBy, "stoppedBy is null"));
        boolean publishing = false;
        for (RunStop day : running) {
            publishing |= !day.request(cancelledBy.get());
        }
        return publishing;
    }

    private boolean cancelled()
    {
        return cancelledBy.get() != null;
    }

    private DayResult loadDay(LoadRequest day, int parallel, boolean onlyStale, Duration lease)
    {
        long started = System.nanoTime();
        long bytes = 0;
        try {
            bytes = sourceBytes(day);
            // a day with bytes to read has source data; only one without is listed again to learn why
            if (bytes == 0 && !pipeline.sourceExists(day)) {
                // nothing to load, but a publish cut short (killed, or failed in it) is no day to pass over:
                // a load would finish it, and without a source only repair can, unless one of them cannot be
                // finished. (One publishing now, whose source was removed under it, is its run's to finish.)
                UnfinishedPublishes unfinished = pipeline.unfinishedPublishes(day);
                if (!unfinished.none() && pipeline.status(day).attempt().filter(attempt -> attempt.state() == PartitionState.RUNNING).isEmpty()) {
                    return new DayResult(day.partition(), Outcome.FAILED, seconds(started), 0, 0, "no source data in " + day.sourceFolder() + " any more, but "
                            + unfinished.withoutTheSource());
                }
                return new DayResult(day.partition(), Outcome.NO_SOURCE, 0, 0, 0, "no source data in " + day.sourceFolder());
            }
            boolean currentByItsFiles = onlyStale && pipeline.status(day).state() == PartitionState.CURRENT;
            if (currentByItsFiles && !day.engine().keepsPartitionCatalog()) {
                return new DayResult(day.partition(), Outcome.CURRENT, 0, 0, 0, "applied and current");
            }
            Engine opened;
            try {
                opened = engines.open(day.engine(), parallel);
            }
            catch (RuntimeException e) {
                if (!currentByItsFiles) {
                    throw e;
                }
                // (Trino unreachable): the day keeps its files' verdict, as in status
                return new DayResult(day.partition(), Outcome.CURRENT, seconds(started), 0, 0, "applied and current" + unasked(day, e.getMessage()));
            }
            try (Engine engine = opened) {
                String reloaded = "";
                if (currentByItsFiles) {
                    // status calls a day outdated that a table of the engine's catalog does not list (CatalogCheck);
                    // the load asks again under its lease, as it looks at the files again
                    CatalogCheck.Listing listing = catalogListing(engine, day);
                    List<String> unlisted = listing.unlisted(day.partition());
                    if (unlisted.isEmpty()) {
                        return new DayResult(day.partition(), Outcome.CURRENT, seconds(started), 0, 0, "applied and current" + catalogUnasked.map(why -> unasked(day, why)).orElse(""));
                    }
                    reloaded = "reloaded: " + CatalogCheck.tables(day.engine(), unlisted) + " did not list the day";
                }
                RunStop stop = new RunStop(engine);
                running.add(stop);
                try {
                    // a cancel that came while the engine opened did not see this day among the running
                    Optional.ofNullable(cancelledBy.get()).ifPresent(stop::request);
                    // a day's progress is the bar's, but what the load warns of (a failing afterRun callback) is the day's to say
                    WarningsOnly warnings = new WarningsOnly();
                    LoadResult result = pipeline.load(day, engine, warnings, lease, stop, onlyStale ? Pipeline.LoadWhen.STALE : Pipeline.LoadWhen.ALWAYS);
                    List<String> said = new ArrayList<>(result.warnings().stream().map(warning -> "audit " + warning.audit() + " warned").toList());
                    said.addAll(warnings.told);
                    // every warning counted is named (the detail named the first only, beside a count of two)
                    List<String> detail = new ArrayList<>(reloaded.isEmpty() ? List.of() : List.of(reloaded));
                    detail.addAll(said);
                    return new DayResult(day.partition(), Outcome.LOADED, seconds(started), bytes, said.size(), String.join("; ", detail));
                }
                finally {
                    running.remove(stop);
                }
            }
        }
        catch (CurrentMeanwhileException e) {
            // another backfill of the same range, say, published it while this one came to it
            return new DayResult(day.partition(), Outcome.CURRENT, seconds(started), 0, 0, "applied and current (published by another run meanwhile)");
        }
        catch (LeaseRefusedException e) {
            // refused before it read anything: its bytes are not counted as read. A holder stopped in the
            // middle of changing the lease may never finish the day: a failure, which a scheduler sees,
            // not a day left to a run that loads it
            return new DayResult(day.partition(), e.holderStalled() ? Outcome.FAILED : Outcome.RUNNING, seconds(started), 0, 0, e.getMessage());
        }
        catch (EtlException e) {
            // every failure the runner explains (a refusal, a step, an audit, the publish, a stop before the steps): the day's, not the backfill's
            return new DayResult(day.partition(), Outcome.FAILED, seconds(started), bytes, 0, e.getMessage());
        }
        catch (UncheckedIOException | IOException e) {
            // a damaged history record or pointer fails only its day, with the advice a load gives
            String advice = DamagedFileException.in(e).map(damaged -> "; " + DamagedFileException.ADVICE)
                    .orElse(StorageOutage.in(e) ? "; " + StorageOutage.ADVICE : "");
            return new DayResult(day.partition(), Outcome.FAILED, seconds(started), bytes, 0, e.getMessage() + advice);
        }
    }

    private static String unasked(LoadRequest day, String why)
    {
        return " (" + day.engine().id() + "'s catalog was not asked whether its tables list the day: " + why + ")";
    }

    /** One listing for the whole range (every day is of one channel), not one per day: a table's partitions are one query each. */
    private synchronized CatalogCheck.Listing catalogListing(Engine engine, LoadRequest day)
    {
        if (catalog == null) {
            try {
                catalog = pipeline.catalogCheck(engine).listing(day.partition());
            }
            catch (RuntimeException e) {
                catalog = new CatalogCheck.Listing(List.of(), Optional.empty());
                catalogUnasked = Optional.of(String.valueOf(e.getMessage()));
            }
        }
        return catalog;
    }

    private long sourceBytes(LoadRequest day)
    {
        try {
            return pipeline.sourceBytes(day);
        }
        catch (UserException | UncheckedIOException e) {
            // (S3 failing the listing of one day, say): the day fails with it when it runs, on its
            // own line, and the other days go on as --continue-on-error asks
            return 0;
        }
    }

    private static double seconds(long started)
    {
        return (System.nanoTime() - started) / 1e9;
    }

    /** A day's listener in a backfill: progress is the bar's, and only warnings are kept, for the day's row. */
    private static final class WarningsOnly
            implements LoadListener
    {
        private final List<String> told = new CopyOnWriteArrayList<>();

        @Override
        public void warning(String message)
        {
            told.add(message);
        }
    }
}
