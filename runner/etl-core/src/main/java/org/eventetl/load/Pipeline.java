package org.eventetl.load;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;

import org.eventetl.config.Settings;
import org.eventetl.engine.Engine;
import org.eventetl.history.HistoryStore;
import org.eventetl.history.PartitionState;
import org.eventetl.history.PartitionStatus;
import org.eventetl.history.PublicationStore;
import org.eventetl.history.RunPhase;
import org.eventetl.history.RunRecord;
import org.eventetl.lease.Lease;
import org.eventetl.lease.LeaseLostException;
import org.eventetl.lease.LeaseStore;
import org.eventetl.model.Causes;
import org.eventetl.model.EngineKind;
import org.eventetl.model.EtlException;
import org.eventetl.model.Json;
import org.eventetl.model.LoadFailedException;
import org.eventetl.model.PausePoints;
import org.eventetl.model.RunId;
import org.eventetl.model.StepFailedException;
import org.eventetl.model.UserException;
import org.eventetl.partition.Partition;
import org.eventetl.plan.Callback;
import org.eventetl.plan.ScriptResolver;
import org.eventetl.plan.Scripts;
import org.eventetl.render.Plan;
import org.eventetl.render.PlanRenderer;
import org.eventetl.render.SqlRenderer;
import org.eventetl.storage.AccessDenial;
import org.eventetl.storage.DamagedFileException;
import org.eventetl.storage.FileReasons;
import org.eventetl.storage.Location;
import org.eventetl.storage.RoutingStorage;
import org.eventetl.storage.RunStaging;
import org.eventetl.storage.SourceFile;
import org.eventetl.storage.StagedPrefix;
import org.eventetl.storage.StorageOutage;

import static java.util.Objects.requireNonNull;

/**
 * The life of a run, and the project as the commands see it (the scripts of {@code sql/}, rendered
 * with {@code templates/}, over a storage): what a run renders is {@link LoadPlanner}'s, what status
 * says is {@link PartitionInspector}'s; the load and repair are here. A load: render everything, take the partition's lease,
 * tidy what dead runs left, run the steps into the run's staging area, run the audits against the
 * staged outputs, and only if all passed publish every dataset; the history records each step and
 * how the run ended. A failed or killed run leaves the published data exactly as it was.
 */
public final class Pipeline
{
    public static final Duration DEFAULT_LEASE = Duration.ofSeconds(120);
    /** The plan parameter that says, for a dry run, why what the output published could not be read. */
    public static final String PUBLISHED_UNREAD = LoadPlanner.PUBLISHED_UNREAD;

    private final Scripts scripts;
    private final PlanRenderer planRenderer;
    private final RoutingStorage storage;
    private final Settings settings;
    private final LoadPlanner planner;
    private final PartitionInspector inspector;

    public Pipeline(Path sqlFolder, Path templatesFolder, RoutingStorage storage, Settings settings)
    {
        this.settings = requireNonNull(settings, "settings is null");
        this.scripts = new ScriptResolver(requireNonNull(sqlFolder, "sqlFolder is null")).resolve();
        this.planRenderer = new PlanRenderer(scripts, new SqlRenderer(requireNonNull(templatesFolder, "templatesFolder is null")));
        planRenderer.compileAll();
        this.storage = requireNonNull(storage, "storage is null");
        this.planner = new LoadPlanner(scripts, planRenderer, storage, settings);
        this.inspector = new PartitionInspector(storage, scripts, planner);
    }

    public Scripts scripts()
    {
        return scripts;
    }

    public Settings settings()
    {
        return settings;
    }

    public RoutingStorage storage()
    {
        return storage;
    }

    /**
     * What a load of the request would run, rendered for a run that has not started (its id is {@link RunId#RENDERED},
     * which stands for any): a dry run (see {@link LoadPlanner#render(LoadRequest)}).
     */
    public Plan render(LoadRequest request)
    {
        return planner.render(request);
    }

    /** What a load of the request would run, with what the output has published read as the load reads it (see {@link LoadPlanner#renderBeforeLoad}). */
    public Plan renderBeforeLoad(LoadRequest request)
    {
        return planner.renderBeforeLoad(request);
    }

    /** Where the partition stands (see {@link PartitionInspector}). */
    public PartitionStatus status(LoadRequest request)
            throws IOException
    {
        return inspector.status(request);
    }

    /**
     * Whether the partition has source data: its folder exists and holds a data file (see
     * {@link SourcePartition#exists}).
     */
    public boolean sourceExists(LoadRequest request)
    {
        return SourcePartition.exists(storage, request);
    }

    /**
     * What {@code repair} does to a partition, after a person has looked (see {@link PartitionRepair}).
     *
     * @param engine runs the afterPublish callbacks of a publish it finishes
     */
    public RepairOutcome repair(LoadRequest request, Engine engine)
            throws IOException
    {
        return new PartitionRepair(storage, planner, inspector, new CallbackRunner(engine, planRenderer), catalogCheck(engine))
                .repair(request);
    }

    /**
     * The statuses (of one channel's days) with the engine's own catalog asked, where it keeps one
     * (see {@link CatalogCheck}): a day current by its files that a table does not list is outdated.
     */
    public List<PartitionStatus> withCatalogChecked(List<PartitionStatus> statuses, Engine engine)
    {
        return catalogCheck(engine).check(statuses);
    }

    CatalogCheck catalogCheck(Engine engine)
    {
        return new CatalogCheck(engine, scripts.datasets());
    }

    /** The publishes of the partition that began and are not recorded as finished, and which of them cannot be. */
    public UnfinishedPublishes unfinishedPublishes(LoadRequest request)
            throws IOException
    {
        return UnfinishedPublishes.of(storage, request.output(), request.partition());
    }

    /**
     * Checks the gzip files where the engine does not ({@link GzipCheck}), and where its line reader
     * may drop a line over load.max-line-bytes, finds those lines ({@link LongLines}) for audit A10:
     * in gzip files as they are inflated, in the others by probing their bytes.
     */
    private List<LongLines> longLines(EngineKind engine, List<SourceFile> files, List<SourceFile> local)
    {
        long longerThan = LongLines.longerThan(settings.maxLineBytes());
        List<LongLines> found = new ArrayList<>();
        if (!engine.checksGzipTrailers() && files.stream().anyMatch(SourceFile::gzip)) {
            found.addAll(GzipCheck.verify(files, local, longerThan));
        }
        if (engine.mayDropLongLines()) {
            for (int i = 0; i < files.size(); i++) {
                if (!files.get(i).gzip() && files.get(i).bytes() > longerThan) {
                    LongLines.ofPlainFile(files.get(i), local.get(i).location().toPath(), longerThan).ifPresent(found::add);
                }
            }
        }
        return found;
    }

    /** The load's source files; a day without source is refused as {@link #sourceRefusal} says. */
    private List<SourceFile> sourceFiles(LoadRequest request)
    {
        try {
            return SourcePartition.files(storage, request);
        }
        catch (UserException refused) {
            throw sourceRefusal(request, refused);
        }
    }

    /**
     * A load's refusal of its source, {@code refused}, as the user is told it. A day whose source is
     * gone, but whose publish was cut short, is no plain "check --source": the published datasets
     * may mix two runs, and repair finishes that publish without the source (as a backfill that
     * finds the day so says).
     */
    public UserException sourceRefusal(LoadRequest request, UserException refused)
    {
        if (SourcePartition.exists(storage, request)) {
            return refused;
        }
        try {
            UnfinishedPublishes unfinished = unfinishedPublishes(request);
            // one publishing now, whose source was removed under it, is its run's to finish
            if (unfinished.none() || status(request).attempt().filter(attempt -> attempt.state() == PartitionState.RUNNING).isPresent()) {
                return refused;
            }
            return new UserException(refused.getMessage() + "; and " + unfinished.withoutTheSource(), refused);
        }
        catch (IOException e) {
            // the refusal stands; status says the rest once the output can be read
            refused.addSuppressed(e);
            return refused;
        }
    }

    public long sourceBytes(LoadRequest request)
    {
        return SourcePartition.files(storage, request).stream().mapToLong(SourceFile::bytes).sum();
    }

    /**
     * Loads one partition while holding its lease: a second run of the same partition is refused
     * while the lease is live; the lease is renewed at a third of its duration, and when another
     * run has taken it over (this one stalled past expiry) the running step is cancelled and the run
     * fails without publishing. A stop asked for ({@code stop}: Ctrl-C, SIGTERM) before the publish fails the
     * run there; once the publish has begun it finishes, its afterPublish callbacks included.
     */
    public LoadResult load(LoadRequest request, Engine engine, LoadListener listener, Duration leaseDuration, RunStop stop)
    {
        return load(request, engine, listener, leaseDuration, stop, LoadWhen.ALWAYS);
    }

    /** Which days a load runs on, decided once it holds the day's lease. */
    public enum LoadWhen
    {
        /** Whatever the day's state. */
        ALWAYS,
        /**
         * Only when the day is not current ({@code backfill --only-stale}). A check before the lease
         * could be outdated by the time the lease is taken (another backfill of the same range
         * published the day meanwhile); under the lease nobody else can publish it.
         */
        STALE,
    }

    /**
     * {@link #load(LoadRequest, Engine, LoadListener, Duration, RunStop)}, and with {@link LoadWhen#STALE}
     * a day found current under the lease is left as it is: {@link CurrentMeanwhileException}.
     */
    public LoadResult load(LoadRequest request, Engine engine, LoadListener listener, Duration leaseDuration, RunStop stop, LoadWhen when)
    {
        if (engine.kind() != request.engine()) {
            throw new IllegalArgumentException("engine " + engine.kind() + " for a " + request.engine() + " request");
        }
        if (!stop.isFor(engine)) {
            throw new IllegalArgumentException("the stop of another engine's run");
        }
        long started = System.nanoTime();
        Instant startedAt = Instant.now();
        RunId runId = RunId.startingAt(startedAt);
        Workspace workspace = Workspace.of(request, runId, engine.kind().readsLocalFilesOnly());
        List<SourceFile> files = sourceFiles(request);
        long sourceBytes = files.stream().mapToLong(SourceFile::bytes).sum();
        // everything that can be refused is refused here, before the lease and before a file is written
        Plan plan = planner.render(request, workspace, files, runId, false);
        refuseDamagedHistory(request);
        Publisher publisher = new Publisher(storage, new PublicationStore(storage, request.output()));
        try {
            new ForeignFiles(storage, request.output(), publisher).refuse(request.partition(), scripts.datasets());
            SameFileSystem.require(request.output(), request.partition(), scripts.datasets());
            PublishFolders.requireWritable(request.output(), request.partition(), scripts.datasets(),
                    new PublicationStore(storage, request.output()).location(request.partition()), new HistoryStore(storage, request.output()).folder(request.partition()));
        }
        catch (IOException e) {
            throw new UncheckedIOException("cannot list " + request.output() + ": " + e.getMessage(), e);
        }

        CallbackRunner callbacks = new CallbackRunner(engine, planRenderer);
        LeaseStore leases = LeaseStore.forOutput(request.output(), storage, Clock.systemUTC());
        PausePoints.reach("lease");
        LeaseKeeper lease = LeaseKeeper.take(leases, request.partition(), runId, leaseDuration, stop);
        if (when == LoadWhen.STALE) {
            refuseIfCurrent(request, runId, engine, lease::close);
        }
        RunStaging staging = new RunStaging(request.output(), runId);
        HistoryStore history = new HistoryStore(storage, request.output());
        RunPhase phase = RunPhase.START;
        AtomicBoolean publishBegun = new AtomicBoolean();
        // how far a publish got, for the line that says it failed: the datasets that are this run's
        // whole, and whether they replace an earlier run's (empty where the history could not say)
        List<String> replaced = new ArrayList<>();
        Optional<Boolean> publishedBefore = Optional.empty();
        List<StepRun> steps = List.of();
        List<RunRecord.AuditResult> audits = List.of();
        StagingJanitor janitor = new StagingJanitor(storage, request.output(), publisher);
        // whether the run's record is left in its staging when its afterRun callbacks run (if they
        // fail, the next load or repair finds the run by it and runs them again), and whether it is
        // all that is left, the record of a published run that goes once they have run
        boolean recordLeft = false;
        boolean onlyRecordLeft = false;
        try {
            phase = RunPhase.TIDY;
            StagingJanitor.Tidied tidied = janitor.tidy(request.partition(), Optional.of(runId),
                    (dead, manifest) -> stop.finishing(() -> callbacks.rollForward(publisher, plan, dead, request.partition(), manifest, lease::verify)),
                    StagingJanitor.Unfinishable.LEAVE, (dead, ranOn, ended) -> callbacks.afterDeadRun(plan, dead, ranOn, ended));
            // changing published data is worth a line even when this run goes on to replace it
            tidied.rolledForward().forEach(dead -> listener.phase("finished the publish of run " + dead + ", which was cut short (killed, failed, or stalled past its lease while publishing)"));
            tidied.unreadable().forEach(record -> listener.warning(record + " is damaged, so whose run left that staging area cannot be told;"
                    + " it began no publish of this partition, so it is left as it is: remove it once no run needs it"));
            tidied.left().forEach((dead, reason) -> listener.warning("the publish of run " + dead + ", cut short, cannot be finished: " + reason
                    + "; this run's publish replaces every dataset, then removes its staging"));
            if (plan.context().parameters().get(LoadPlanner.RECENT_DAYS_LEFT_OUT) instanceof List<?> leftOut) {
                leftOut.forEach(line -> listener.warning(String.valueOf(line)));
            }
            tidied.afterRunFailed().forEach((dead, reason) -> listener.warning(afterDeadRunFailed(dead, reason)));
            phase = RunPhase.START;
            // asked to stop while it finished an earlier run's publish (which a stop waits for): no step starts
            stopBeforeTheSteps(stop, tidied);
            storage.write(staging.runRecord(), Json.MAPPER.writeValueAsBytes(
                    new RunStart(runId.value(), request.partition().hivePath(), request.engine().id(), startedAt, Lease.thisHost(), ProcessHandle.current().pid())));
            if (workspace.local()) {
                // a large day takes a while to copy: a line says what the run does meanwhile
                listener.phase(String.format("copy the day's %,d source file%s (%.1f MB) to the local copy under %s", files.size(), files.size() == 1 ? "" : "s",
                        sourceBytes / 1e6, workspace.root()));
            }
            workspace.prepare(storage, files, planner.referencedPublished(request, workspace, plan), () -> stop.requested().isPresent(), listener);
            // asked to stop while it copied the source (the copy then ends unfinished) or checked it,
            // when no statement ran to cancel: no step starts
            stopBeforeTheSteps(stop, tidied);
            List<LongLines> longLines = longLines(engine.kind(), files, workspace.sourceFiles(files));
            PausePoints.reach("source ready");
            stopBeforeTheSteps(stop, tidied);

            phase = RunPhase.STEPS;
            steps = new StepRunner(storage, request.output(), engine, listener).run(plan.steps(), request, runId);

            phase = RunPhase.AUDITS;
            long auditStart = System.nanoTime();
            Set<String> written = steps.stream().filter(step -> !step.skipped()).flatMap(step -> step.target().stream()).map(StagedPrefix::dataset)
                    .collect(Collectors.toSet());
            audits = new AuditRunner(engine, listener).run(planRenderer.audits(plan.context(), written, longLines.stream().map(LongLines::parameter).toList()), request.strictAudits());
            double auditSeconds = seconds(auditStart);
            PausePoints.reach("audited");
            Optional<String> stoppedBy = stop.beginPublish();
            if (stoppedBy.isPresent()) {
                // the last moment to stop with nothing half done: from here the publish runs to its end
                throw StoppedBeforePublishException.afterTheAudits(stoppedBy.get());
            }

            phase = RunPhase.PUBLISH;
            long publishStart = System.nanoTime();
            RunRecord.Source source = SourceFingerprint.of(files);
            refuseSourceChangedMeanwhile(request, source, workspace);
            workspace.upload(storage, runId);
            lease.renewBeforePublish();
            publishedBefore = publishedBefore(request);
            publisher.publish(staging, publisher.manifestOf(staging, request.partition(), scripts.datasets(), rows(steps), startedAt, source),
                    lease::verify, dataset -> {
                publishBegun.set(true);
                listener.phase("publish " + dataset);
            }, replaced::add);
            // every dataset is this run's now; the publish ends with its callbacks (on Trino and
            // Athena they register the partitions), and only then is the run recorded as published.
            // A run that stalled past its lease meanwhile finds out before each (the run that took
            // the day over has finished this publish, or replaced it): it records nothing as published
            phase = RunPhase.AFTER_PUBLISH;
            PausePoints.reach("afterPublish");
            lease.verify();
            callbacks.afterPublish(plan, runId.value(), request.partition());
            phase = RunPhase.PUBLISH;
            lease.verify();
            PausePoints.reach("record");
            Location record = history.record(request.partition(), end(request, runId, RunRecord.Outcome.PUBLISHED, RunPhase.PUBLISH.recorded(), null, startedAt,
                    scripts.datasets(), audits).withSource(source));
            // a run stalled between that check and its record (a SIGSTOP a few milliseconds after its
            // last swap) has recorded itself as published after the run that took the day over,
            // whose datasets these are: it withdraws that record (the history then names the taker,
            // as the datasets and the pointer do), says so and fails, where it printed "Published"
            // (exit 0). A lease that cannot be read now fails nothing: the publish and its record stand
            try {
                lease.verify();
            }
            catch (LeaseLostException lost) {
                withdraw(history, record, listener);
                throw lost;
            }
            catch (UncheckedIOException unreadable) {
                listener.warning("cannot read the lease on " + request.partition() + " to prove once more, after its record, that this run still held it: "
                        + FileReasons.message(unreadable) + "; its publish and record stand (etl status says whose datasets the day holds)");
            }
            PausePoints.reach("recorded");
            // the run record goes once the afterRun callbacks have run (below)
            removeStagedData(janitor, staging, listener);
            recordLeft = true;
            onlyRecordLeft = true;
            // the dead runs whose publish could not be finished: every dataset is this run's now
            for (String dead : tidied.left().keySet()) {
                removeDeadRun(janitor, new RunStaging(request.output(), new RunId(dead)),
                        (run, ranOn, ended) -> callbacks.afterDeadRun(plan, run, ranOn, ended), listener);
            }
            removeWorkspace(workspace, listener);
            double publishSeconds = seconds(publishStart);
            return new LoadResult(request.partition(), request.output(), request.engine(), runId.value(), files.size(), sourceBytes, steps, audits, scripts.datasets(),
                    seconds(started), auditSeconds, publishSeconds);
        }
        catch (EtlException | IOException | UncheckedIOException e) {
            if (phase == RunPhase.PUBLISH && !publishBegun.get()) {
                // failed before the publish wrote its manifest (renewing the lease, uploading): nothing was published
                phase = RunPhase.PUBLISH_PREPARATION;
            }
            // a step that failed before it wrote anything (the first, say) leaves nothing to inspect
            boolean stagedAnything = phase != RunPhase.STEPS || stagedAnything(staging);
            // where the run's own staging is read, a failure may come of another run's removing it
            // (in its publish too: a run stalled between its fence and a swap finds the staged
            // files gone, moved in by the run that took the day over and finished its publish)
            Optional<RuntimeException> lost = EnumSet.of(RunPhase.STEPS, RunPhase.AUDITS, RunPhase.PUBLISH_PREPARATION, RunPhase.PUBLISH, RunPhase.AFTER_PUBLISH)
                    .contains(phase) ? lease.lostNow() : lease.lost();
            Optional<PublishReach> reach = publishedBefore.map(before -> new PublishReach(scripts.datasets(), replaced, request.output().isS3(), before));
            EtlException failure = failure(e, lost.orElse(null), phase, request, runId, workspace, stagedAnything, reach);
            List<RunRecord.AuditResult> found = e instanceof AuditFailedException audit ? audit.results() : audits;
            String where = e instanceof AuditFailedException audit ? audit.audit() : e instanceof StepRunFailedException step ? step.step() : phase.recorded();
            // the history keeps what went wrong; the advice around it is the command's (status gives its own)
            RunPhase failedIn = phase;
            String recorded = failure instanceof LeaseLostException ? failure.getMessage()
                    : lost.filter(unrenewable -> leaseUnrenewable(unrenewable, failedIn))
                            .map(unrenewable -> "stopped: could not renew its lease (" + FileReasons.describe(unrenewable) + ")").orElse(reason(e));
            Optional<String> stoppedBy = stop.requested();
            if (stoppedBy.isPresent() && !(e instanceof StoppedBeforePublishException) && (phase == RunPhase.STEPS || phase == RunPhase.AUDITS)) {
                // the signal cancelled the running statement, whose engine then says only "interrupted":
                // whoever reads status later learns that a person or a scheduler stopped the run
                recorded = "stopped (" + stoppedBy.get() + ") while " + (phase == RunPhase.STEPS ? "the step ran" : "the audits ran");
            }
            // whether the history says how the run ended; where it cannot (a full disk, a history folder
            // that may not be written), the run record in its staging stays, by which status says that
            // the run ended without a record, and the next run tidies it as a dead run's
            boolean endRecorded = true;
            if (!(failure instanceof LeaseLostException && hasEnded(history, request.partition(), runId))) {
                // (the run that took the day over finished this run's publish and recorded it, or repair
                // marked the run as looked at: that is how it ended, and the history keeps one end per run)
                endRecorded = recordQuietly(history, request.partition(), end(request, runId, RunRecord.Outcome.FAILED, where, recorded, startedAt, List.of(), found), failure);
            }
            if (!endRecorded && !(failure instanceof LeaseLostException)) {
                recordLeft = true;
                onlyRecordLeft = false;
            }
            else if (phase == RunPhase.START || phase == RunPhase.TIDY) {
                // no step ran: its staging holds its run record at most (or a folder where a full disk
                // refused the record, which no later run would take for a dead run's and remove)
                removeStaging(staging, listener);
            }
            else if (failure instanceof LeaseLostException && (!publishBegun.get() || runRecordGone(staging))) {
                // the run that took the day over removes this run's staging as a dead run's, and a step
                // that was cut short may have written into it again since, leaving a folder without
                // the run record that would let anyone tidy it: removed here. Once its publish began,
                // the holder may be finishing it from that staging, so only once its run record is gone:
                // the holder removes a staging area when it is done with it, and a stall between the
                // fence and a dataset's marker wrote that marker into the removed area again
                removeStaging(staging, listener);
            }
            else {
                // kept for inspection, record and all: the next load or repair removes it as a dead
                // run's, and runs its afterRun callbacks for it again. A step that failed before it
                // wrote anything leaves its record alone, which goes once the callbacks have run
                recordLeft = true;
                onlyRecordLeft = !stagedAnything;
            }
            // its staged outputs stay where its message says to look at them
            removeWorkspaceAfterFailure(workspace, runId, stagedAnything && EnumSet.of(RunPhase.STEPS, RunPhase.AUDITS, RunPhase.PUBLISH_PREPARATION).contains(phase),
                    listener);
            throw failure;
        }
        finally {
            try {
                callbacks.run(plan.callbacks(Callback.Event.AFTER_RUN));
                if (onlyRecordLeft) {
                    removeStaging(staging, listener);
                }
            }
            catch (EtlException e) {
                // a callback that tidies the engine (staged tables) must not hide how the run went
                listener.warning("afterRun callback failed: " + e.getMessage() + "; the run's outcome stands, but what the callback tidies"
                        + " (on Trino and Athena, the run's staged tables) may be left: "
                        + (recordLeft ? "its run record is kept, so that the next load of the day or etl repair runs the callback again"
                                : "fix it, and drop those by hand"));
            }
            try {
                lease.close();
            }
            catch (RuntimeException e) {
                // (an object store that went away at the end): thrown from here it would replace how the
                // run ended, a publish cut short or a day published, with a lease that ends by itself
                listener.warning(FileReasons.message(e) + "; the run's outcome stands, and the lease ends by itself: for the next run on this host"
                        + " once this process has ended, in at most " + leaseDuration.toSeconds() + " s for a run elsewhere");
            }
        }
    }

    /**
     * The steps read the source one after another (V2 its events, V3 its rejects, each a scan of the
     * files): a file appended to, replaced or removed between two of them would publish a day whose
     * datasets come from two versions of its files. So the source is listed again once the last
     * step and audit have read it, and must be as the run listed it (names and sizes, and versions
     * where the storage keeps them: the same fingerprint as the run records). A source the run copied
     * first (S3 for the embedded engine) is read from the copy, which nothing else writes.
     */
    private void refuseSourceChangedMeanwhile(LoadRequest request, RunRecord.Source then, Workspace workspace)
    {
        if (workspace.local()) {
            return;
        }
        String now;
        try {
            RunRecord.Source relisted = SourceFingerprint.of(SourcePartition.files(storage, request));
            if (relisted.equals(then)) {
                return;
            }
            now = relisted.describe() + " now";
        }
        catch (UserException e) {
            // emptied or removed meanwhile
            now = "now: " + e.getMessage();
        }
        throw new LoadFailedException("the source changed while the steps read it (" + then.describe() + " when the load began, " + now
                + "), so its datasets may come from different versions of its files (a day still landing, or a file rewritten)", null);
    }

    private static void stopBeforeTheSteps(RunStop stop, StagingJanitor.Tidied tidied)
    {
        Optional<String> stopped = stop.requested();
        if (stopped.isPresent()) {
            throw StoppedBeforePublishException.beforeTheSteps(stopped.get(), tidied.rolledForward());
        }
    }

    private void refuseIfCurrent(LoadRequest request, RunId runId, Engine engine, Runnable releaseLease)
    {
        boolean current;
        try {
            current = inspector.status(request, Optional.of(runId)).state() == PartitionState.CURRENT && listedByTheCatalog(request, engine);
        }
        catch (IOException | RuntimeException e) {
            releaseLease.run();
            throw e instanceof IOException io ? new UncheckedIOException(io) : (RuntimeException) e;
        }
        if (current) {
            releaseLease.run();
            throw new CurrentMeanwhileException(request.partition() + " is applied and current: another run published it since it was found stale");
        }
    }

    /**
     * Whether every table of the engine's own catalog lists the day (see {@link CatalogCheck}); so it
     * does on an engine without one. Asked again under the lease, as the files are: the backfill that
     * found the day unlisted may meet another that registered it since. When the catalog cannot be
     * asked now, the day is taken as unlisted, as it was found moments before: a reload costs compute only.
     */
    private boolean listedByTheCatalog(LoadRequest request, Engine engine)
    {
        try {
            return catalogCheck(engine).unlisted(request.partition()).isEmpty();
        }
        catch (RuntimeException e) {
            return false;
        }
    }

    /**
     * The load does not use the partition's history, but it reads it: a damaged record (cut short by
     * a full disk, edited by hand) makes every later status refuse the partition, and a load that
     * published over it and said all was well would leave a day that no check could see.
     */
    private void refuseDamagedHistory(LoadRequest request)
    {
        try {
            new HistoryStore(storage, request.output()).read(request.partition());
        }
        catch (IOException e) {
            throw new UncheckedIOException("cannot read the history of " + request.partition() + ": " + e.getMessage(), e);
        }
    }

    /** Whether the run's staging holds a file beside its run record: a step's output (its folder is made before the step runs). */
    private boolean stagedAnything(RunStaging staging)
    {
        try {
            return storage.listRecursively(staging.location()).stream().anyMatch(file -> !file.equals(staging.runRecord()));
        }
        catch (IOException | UncheckedIOException e) {
            // cannot tell: say where to look
            return true;
        }
    }

    /**
     * Removes a published run's staging area. The run is published and recorded by then, so a
     * failure here (S3 refusing a DeleteObjects, say) does not fail it: the next run of the
     * partition or repair removes what is left, as after a run killed at this point.
     */
    private void removeStaging(RunStaging staging, LoadListener listener)
    {
        removeQuietly(staging, listener, () -> storage.clear(staging));
    }

    /** Whether the run's record has gone from its staging area (a taker removed it); false when it cannot be read. */
    private boolean runRecordGone(RunStaging staging)
    {
        try {
            return storage.read(staging.runRecord()).isEmpty();
        }
        catch (IOException | UncheckedIOException e) {
            return false;
        }
    }

    /** Removes what a run left in its staging area; a failure does not fail the run that removes it, and is said with who removes it later. */
    private static void removeQuietly(RunStaging staging, LoadListener listener, StagingRemoval removal)
    {
        try {
            removal.run();
        }
        catch (IOException | UncheckedIOException e) {
            listener.phase("could not remove the staging area " + staging.prefix() + " (" + e.getMessage() + "); the next run of the partition or etl repair removes it");
        }
    }

    @FunctionalInterface
    private interface StagingRemoval
    {
        void run()
                throws IOException;
    }

    /**
     * Removes a published run's local copy of its source and outputs (DuckDB over S3). The run is
     * recorded as published by then: a failure (a full or read-only disk, say) only says where the
     * copy is left.
     */
    private static void removeWorkspace(Workspace workspace, LoadListener listener)
    {
        try {
            workspace.remove();
        }
        catch (IOException | UncheckedIOException e) {
            listener.warning("could not remove the run's local copy (" + e.getMessage() + "); the run is published all the same: remove the copy once no run of the day needs it");
        }
    }

    /**
     * Removes what a failed or stopped run copied locally (DuckDB over S3): a copy of the day's
     * source is as large as the day, and left until the next run of the day it filled /tmp with
     * the copies of days that fail. A failure to remove it only says where it is left.
     */
    private static void removeWorkspaceAfterFailure(Workspace workspace, RunId runId, boolean keepStaged, LoadListener listener)
    {
        try {
            workspace.removeAfterFailure(runId, keepStaged);
        }
        catch (IOException | UncheckedIOException e) {
            listener.warning("could not remove the run's local copy (" + e.getMessage() + "); the next run of the partition or etl repair removes it");
        }
    }

    /** {@link #removeStaging}, but for the run record: what a published run leaves until its afterRun callbacks have run. */
    private static void removeStagedData(StagingJanitor janitor, RunStaging staging, LoadListener listener)
    {
        removeQuietly(staging, listener, () -> janitor.removeAllButRecord(staging));
    }

    /**
     * Removes the staging of a dead run whose publish could not be finished, now that this run's
     * publish has replaced every dataset; as {@link #removeStaging}, a failure does not fail this run.
     */
    private static void removeDeadRun(StagingJanitor janitor, RunStaging dead, StagingJanitor.AfterRun afterRun, LoadListener listener)
    {
        // (a run whose publish could not be finished was cut short: nothing recorded its end)
        removeQuietly(dead, listener, () -> janitor.remove(dead, afterRun, false)
                .ifPresent(reason -> listener.warning(afterDeadRunFailed(dead.runId().value(), reason))));
    }

    /** The warning for a dead run's afterRun callbacks that failed (its run record is kept, so they run again). */
    private static String afterDeadRunFailed(String runId, String reason)
    {
        return "afterRun callback of run " + runId + " (a dead run's, run for it) failed: " + reason
                + "; its run record is kept, so that the next load of the day or etl repair runs the callback again (on Trino and Athena it drops that run's staged tables)";
    }

    /**
     * Whether the run stopped because the storage failed its lease's renewal, not because another run
     * took the day: nobody else is known to hold it. Only where it has changed no published data
     * (while it tidied or published, what it changed is said as for any other failure there).
     */
    private static boolean leaseUnrenewable(RuntimeException lost, RunPhase phase)
    {
        return lost instanceof UncheckedIOException && EnumSet.of(RunPhase.START, RunPhase.STEPS, RunPhase.AUDITS, RunPhase.PUBLISH_PREPARATION).contains(phase);
    }

    /**
     * The advice that ends a failure before the publish, after "; ": S3 that failed (5xx, no answer)
     * is nothing for the user to fix, as every command says it, and neither is Athena's own API
     * failing so (the same SDK's failures, under the engine's: they must not send the user to the
     * storage); none where the cause gives it already (V2's "the source folder changed while it
     * was read: …; rerun the load" said it twice).
     */
    private static String rerun(Exception e, String cause)
    {
        if (Causes.find(e, StepFailedException.class).map(StorageOutage::in).orElse(false)) {
            return "; the engine failed, not the command: rerun it";
        }
        if (StorageOutage.in(e)) {
            return "; " + StorageOutage.ADVICE;
        }
        return cause.endsWith("rerun the load") ? "" : "; fix the cause and rerun";
    }

    /** The rows each dataset's step wrote (0 for one whose step was skipped), for the publication. */
    private static Map<String, Long> rows(List<StepRun> steps)
    {
        Map<String, Long> rows = new LinkedHashMap<>();
        for (StepRun step : steps) {
            step.target().ifPresent(target -> rows.merge(target.dataset(), step.statistics().rowsWritten(), Long::sum));
        }
        return rows;
    }

    /**
     * One line that says where the run stopped, that published data is intact, and where its staged outputs are.
     *
     * @param lost why the lease's background renewal failed, or null
     * @param stagedAnything whether a step wrote into the run's staging, so that its message may say
     *         where the staged outputs are kept for inspection
     * @param reach how far its publish got, where the history said whether it replaces an earlier run
     */
    private static EtlException failure(Exception e, RuntimeException lost, RunPhase phase, LoadRequest request, RunId runId, Workspace workspace, boolean stagedAnything,
            Optional<PublishReach> reach)
    {
        if (leaseUnrenewable(lost, phase)) {
            return new LoadFailedException("run " + runId + " stopped: it could not renew its lease on " + request.partition() + " (" + FileReasons.describe(lost)
                    + "), and a run that cannot prove it holds the day publishes nothing; published data is unchanged; fix the cause and rerun", e);
        }
        boolean leaseLost = e instanceof LeaseLostException || lost != null && !(lost instanceof UncheckedIOException);
        if (leaseLost && (phase == RunPhase.PUBLISH || phase == RunPhase.AFTER_PUBLISH)) {
            // datasets of this run may be published by now: the run that took the day over finishes
            // or replaces the publish (whatever failed when it woke: a swap whose staged files that
            // run had moved in, say)
            return new LeaseLostException("run " + runId + " lost its lease on " + request.partition() + " while it published (it stalled past the lease,"
                    + " and another run took the day over): that run finishes this publish or replaces it, and etl status says which");
        }
        if (leaseLost) {
            return e instanceof LeaseLostException said ? said
                    : new LeaseLostException("lease lost while run " + runId + " ran (" + FileReasons.message(lost) + "); it publishes nothing and the holder's data is untouched");
        }
        if (e instanceof StoppedBeforePublishException stopped && phase == RunPhase.START) {
            // nothing of its own staged yet; what it finished of an earlier run the message says
            return stopped;
        }
        String staged = " staged outputs are kept under " + workspace.stagedOutputs(runId).asPrefix() + " for inspection";
        String cause = reason(e);
        Optional<DamagedFileException> damaged = DamagedFileException.in(e);
        if (damaged.isPresent()) {
            // a file the runner wrote for itself (a killed run's publish manifest, say) cut by hand or
            // a damaged disk: no rerun gets past it, moving it away does
            return new UserException(damaged.get().getMessage() + "; " + DamagedFileException.ADVICE, e);
        }
        if (phase == RunPhase.TIDY && e instanceof AfterPublishFailedException) {
            // an earlier run's callbacks failing again: a rerun would meet them again too
            return new LoadFailedException(cause + "; this run published nothing: fix that, then rerun the load (or run etl repair)", e);
        }
        return switch (phase) {
            case PUBLISH -> new LoadFailedException("publish of run " + runId + " for " + request.partition() + " failed: " + cause + "; "
                    + reach.map(PublishReach::account).orElse("the day's datasets may mix this run's and the earlier run's until it is finished")
                    + " (etl status says which are whose); rerun the load or run etl repair to finish it from its manifest", e);
            case AFTER_PUBLISH -> new LoadFailedException(cause + "; fix that, then run etl repair (or rerun the load), which runs the callbacks again", e);
            case AUDITS -> new LoadFailedException(cause + "; nothing was published;" + staged, e);
            // finishing a dead run's publish changes published data: "unchanged" would not be true
            case TIDY -> new LoadFailedException("tidying what earlier runs of " + request.partition() + " left (a publish cut short, staging areas) failed: "
                    + cause + "; this run published nothing; etl status says whether a publish is still unfinished; rerun the load or run etl repair", e);
            // before the first step nothing is staged to look at; a denied read or write (an S3 source
            // object its policy refuses, found only by the copy) is the user's to fix, as a local file
            // that may not be read is before the run: refused, not retried by a scheduler
            case START, STEPS, PUBLISH_PREPARATION -> {
                String said = cause + "; published data is unchanged" + (phase != RunPhase.START && stagedAnything ? ";" + staged : "") + rerun(e, cause);
                yield AccessDenial.in(e) ? new UserException(said, e) : new LoadFailedException(said, e);
            }
        };
    }

    /** Withdraws the run's own record of its publish; where the storage refuses, status says the day is not current and a load mends it. */
    private static void withdraw(HistoryStore history, Location record, LoadListener listener)
    {
        try {
            history.withdraw(record);
        }
        catch (IOException | UncheckedIOException e) {
            listener.warning("cannot remove " + record + ", this run's record of a publish it made after it lost its lease: " + FileReasons.message(e)
                    + "; etl status says the day is not current until a load publishes it again");
        }
    }

    /**
     * Whether an earlier run's publish of the day is in place, by its publication pointer (one small
     * read, where the history is a file per record), or empty where it cannot be read (the publish
     * then fails or not on its own).
     */
    private Optional<Boolean> publishedBefore(LoadRequest request)
    {
        try {
            return Optional.of(new PublicationStore(storage, request.output()).read(request.partition()).isPresent());
        }
        catch (IOException | UncheckedIOException e) {
            return Optional.empty();
        }
    }

    /** What went wrong: the runner's own failures say it; a file system's say only the path unless described. */
    private static String reason(Exception e)
    {
        return e instanceof EtlException ? e.getMessage() : FileReasons.describe(e);
    }

    /**
     * Whether the partition's history records an end of the run (its publish finished by the run that
     * took the day over, or the run marked as looked at by repair); a history that cannot be read answers no.
     */
    private static boolean hasEnded(HistoryStore history, Partition partition, RunId runId)
    {
        try {
            return !history.read(partition).ends(runId.value()).isEmpty();
        }
        catch (IOException | UncheckedIOException e) {
            return false;
        }
    }

    private static RunRecord end(LoadRequest request, RunId runId, RunRecord.Outcome outcome, String phase, String message, Instant startedAt,
            List<String> datasets, List<RunRecord.AuditResult> audits)
    {
        return new RunRecord(runId.value(), request.partition().hivePath(), request.engine().id(), outcome, phase, message, startedAt, Instant.now(),
                datasets, audits, System.getProperty("user.name"), Lease.thisHost(), null);
    }

    /** Records the run's end unless the history cannot be written; says whether it was. */
    private static boolean recordQuietly(HistoryStore history, Partition partition, RunRecord record, Exception failure)
    {
        try {
            history.record(partition, record);
            return true;
        }
        catch (UncheckedIOException e) {
            // a full disk fails the record too: the run's failure is what the user must read
            failure.addSuppressed(e);
            return false;
        }
    }

    private static double seconds(long started)
    {
        return (System.nanoTime() - started) / 1e9;
    }
}
