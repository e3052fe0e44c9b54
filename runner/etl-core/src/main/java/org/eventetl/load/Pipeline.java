package org.eventetl.load;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.eventetl.config.Settings;
import org.eventetl.engine.Engine;
import org.eventetl.history.HistoryStore;
import org.eventetl.history.StatusCalculator;
import org.eventetl.history.StepStatus;
import org.eventetl.lease.Lease;
import org.eventetl.lease.LeaseStore;
import org.eventetl.model.EngineKind;
import org.eventetl.model.UserException;
import org.eventetl.plan.Step;
import org.eventetl.plan.StepResolver;
import org.eventetl.render.PlanRenderer;
import org.eventetl.render.RenderedStep;
import org.eventetl.render.SqlRenderer;
import org.eventetl.storage.RoutingStorage;
import org.eventetl.storage.SourceFile;

import static java.util.Objects.requireNonNull;

/**
 * The project as the commands see it: the steps of {@code sql/}, rendered with {@code templates/},
 * over a storage. Load, status and backfill go through here so that they agree on what "current" is.
 */
public final class Pipeline
{
    public static final Duration DEFAULT_LEASE = Duration.ofSeconds(120);

    private final List<Step> steps;
    private final PlanRenderer planRenderer;
    private final RoutingStorage storage;
    private final Settings settings;

    public Pipeline(Path sqlFolder, Path templatesFolder, RoutingStorage storage)
    {
        this(sqlFolder, templatesFolder, storage, Settings.defaultSettings());
    }

    public Pipeline(Path sqlFolder, Path templatesFolder, RoutingStorage storage, Settings settings)
    {
        this.settings = requireNonNull(settings, "settings is null");
        this.steps = new StepResolver(requireNonNull(sqlFolder, "sqlFolder is null")).resolve();
        this.planRenderer = new PlanRenderer(steps, new SqlRenderer(requireNonNull(templatesFolder, "templatesFolder is null")));
        this.storage = requireNonNull(storage, "storage is null");
    }

    public List<Step> steps()
    {
        return steps;
    }

    public Settings settings()
    {
        return settings;
    }

    public RoutingStorage storage()
    {
        return storage;
    }

    public List<RenderedStep> render(LoadRequest request)
    {
        if (Staging.needed(request)) {
            return new Staging(request).render(planRenderer, Loader.plannedSourceFiles(storage, request), settings);
        }
        return planRenderer.render(request.partition(), request.engine(), request.sourceFolder(), Loader.plannedSourceFiles(storage, request), request.output(), settings);
    }

    public boolean sourceExists(LoadRequest request)
    {
        try {
            return storage.folderExists(request.sourceFolder());
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public long sourceBytes(LoadRequest request)
    {
        return Loader.sourceFiles(storage, request).stream().mapToLong(SourceFile::bytes).sum();
    }

    /** Each step's state for the partition; a partition whose source is gone is compared by template only. */
    public List<StepStatus> status(LoadRequest request)
            throws IOException
    {
        Map<String, String> rendered = new HashMap<>();
        if (sourceExists(request)) {
            try {
                for (RenderedStep step : render(request)) {
                    rendered.put(step.step().id(), step.renderedChecksum());
                }
            }
            catch (UserException e) {
                // an empty source folder: templates can still be compared
            }
        }
        return StatusCalculator.status(request.partition().hivePath(), steps,
                rendered, new HistoryStore(storage, request.output()).entries(request.partition()));
    }

    /**
     * Loads one partition while holding its lease: a second run of the same partition is refused
     * while the lease is live; the lease is renewed at a third of its duration, and when another
     * run has taken it over (this one stalled past expiry) the running step is cancelled.
     */
    public LoadResult load(LoadRequest request, Engine engine, LoadListener listener, Duration leaseDuration)
    {
        if (engine.kind() != request.engine()) {
            throw new IllegalArgumentException("engine " + engine.kind() + " for a " + request.engine() + " request");
        }
        Loader.sourceFiles(storage, request);
        LeaseStore leases = LeaseStore.forOutput(request.output(), storage, Clock.systemUTC());
        String owner = UUID.randomUUID().toString().substring(0, 8);
        AtomicReference<Lease> lease = new AtomicReference<>(leases.acquire(request.partition(), owner, leaseDuration));
        ScheduledExecutorService renewer = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "lease-renewer");
            thread.setDaemon(true);
            return thread;
        });
        long period = Math.max(1, leaseDuration.toMillis() / 3);
        renewer.scheduleAtFixedRate(() -> {
            try {
                lease.set(leases.renew(lease.get(), leaseDuration));
            }
            catch (RuntimeException e) {
                engine.cancel();
            }
        }, period, period, TimeUnit.MILLISECONDS);
        try {
            if (Staging.needed(request)) {
                return new Staging(request).load(storage, planRenderer, settings, engine, listener);
            }
            return new Loader(storage, planRenderer, settings, engine, listener).load(request);
        }
        finally {
            renewer.shutdownNow();
            try {
                renewer.awaitTermination(5, TimeUnit.SECONDS);
            }
            catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            leases.release(lease.get());
        }
    }
}
