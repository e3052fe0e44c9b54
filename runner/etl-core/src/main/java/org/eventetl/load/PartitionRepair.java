package org.eventetl.load;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.eventetl.history.HistoryStore;
import org.eventetl.history.PartitionHistory;
import org.eventetl.history.PartitionState;
import org.eventetl.history.PartitionStatus;
import org.eventetl.history.Publication;
import org.eventetl.history.PublicationStore;
import org.eventetl.history.RunRecord;
import org.eventetl.lease.Lease;
import org.eventetl.lease.LeaseRefusedException;
import org.eventetl.lease.LeaseStore;
import org.eventetl.model.EtlException;
import org.eventetl.model.LoadFailedException;
import org.eventetl.model.PausePoints;
import org.eventetl.model.RunId;
import org.eventetl.render.Plan;
import org.eventetl.storage.FileReasons;
import org.eventetl.storage.RoutingStorage;
import org.eventetl.storage.RunStaging;

import static java.util.Objects.requireNonNull;

/** {@code etl repair} of one partition: what a person asks for once they have looked at what status says. */
final class PartitionRepair
{
    private final RoutingStorage storage;
    private final LoadPlanner planner;
    private final PartitionInspector inspector;
    private final CallbackRunner callbacks;
    private final CatalogCheck catalog;

    PartitionRepair(RoutingStorage storage, LoadPlanner planner, PartitionInspector inspector, CallbackRunner callbacks, CatalogCheck catalog)
    {
        this.storage = requireNonNull(storage, "storage is null");
        this.planner = requireNonNull(planner, "planner is null");
        this.inspector = requireNonNull(inspector, "inspector is null");
        this.callbacks = requireNonNull(callbacks, "callbacks is null");
        this.catalog = requireNonNull(catalog, "catalog is null");
    }

    /**
     * What {@code repair} does to a partition, after a person has looked: finishes a publish that was
     * cut short (from its manifest), removes the staging areas of dead runs, marks a failed or
     * interrupted later run as resolved and removes a lease whose holder is gone. It never deletes
     * published data, and refuses while a live run holds the partition.
     */
    RepairOutcome repair(LoadRequest request)
            throws IOException
    {
        LeaseStore leases = LeaseStore.forOutput(request.output(), storage, Clock.systemUTC());
        Optional<Lease> removed = leases.removeIfGone(request.partition());
        Publisher publisher = new Publisher(storage, new PublicationStore(storage, request.output()));
        // repair runs no step, only callbacks, which read no source file: rendered without the day's
        // files, so that a day whose source is gone (or was not given) still gets its callbacks run
        boolean local = request.engine().readsLocalFilesOnly();
        Workspace workspace = Workspace.of(request, RunId.RENDERED, local);
        Plan plan = planner.render(request, workspace, List.of(), RunId.RENDERED, false);
        // repair holds the partition as a load does, so no load starts while it finishes a publish
        RunId repairRun = RunId.startingAt(Instant.now());
        PausePoints.reach("lease");
        Lease held;
        try {
            held = leases.acquire(request.partition(), repairRun.value(), Lease.Purpose.REPAIR, Pipeline.DEFAULT_LEASE);
        }
        catch (LeaseRefusedException e) {
            // a run took the day since its gone holder's lease was removed: the load's own refusal
            // would advise etl repair, which this is
            Optional<Lease> holder = leases.holder(request.partition());
            throw holder.isPresent() ? LeaseStore.held(request.partition(), holder.get()) : e;
        }
        StagingJanitor.Tidied tidied;
        List<String> resolved = new ArrayList<>();
        List<String> registered = List.of();
        List<Path> localCopies = List.of();
        List<String> removedReports = new ArrayList<>();
        Map<String, Boolean> removedStaging = new LinkedHashMap<>();
        Optional<String> pointerMended = Optional.empty();
        Exception failed = null;
        Optional<String> leaseNotGivenBack = Optional.empty();
        try {
            // read under the lease: read before it, a load or another repair could have finished
            // (and recorded) what this repair would then mark as looked at
            PartitionStatus before = inspector.status(request, Optional.of(repairRun));
            tidied = new StagingJanitor(storage, request.output(), publisher).tidy(request.partition(), Optional.empty(), (dead, manifest) -> {
                try {
                    callbacks.rollForward(publisher, plan, dead, request.partition(), manifest, () -> leases.verify(held));
                }
                catch (AfterPublishFailedException e) {
                    throw new LoadFailedException(e.getMessage() + "; fix that, then run etl repair again", e);
                }
            // (the dead runs' afterRun callbacks run under the lease: they drop the partition's raw
            // table too, which a load that started once the lease is given back would be reading)
            }, StagingJanitor.Unfinishable.REFUSE, (dead, ranOn, ended) -> callbacks.afterDeadRun(plan, dead, ranOn, ended));
            Optional<PartitionStatus.Attempt> attempt = before.attempt();
            if (attempt.isPresent() && attempt.get().state() != PartitionState.RUNNING && !tidied.rolledForward().contains(attempt.get().runId())) {
                leases.verify(held);
                new HistoryStore(storage, request.output()).record(request.partition(), new RunRecord(attempt.get().runId(), request.partition().hivePath(),
                        request.engine().id(), RunRecord.Outcome.RESOLVED, attempt.get().phase().orElse(null),
                        "marked resolved by repair: " + before.detail(), Instant.now(), Instant.now(), List.of(), List.of(),
                        System.getProperty("user.name"), Lease.thisHost(), null));
                resolved.add(attempt.get().runId());
            }
            // what it did is said too when a later part fails: the command prints its outcome only when it succeeds
            String done = tidied.rolledForward().isEmpty() ? "" : "finished the publish of run " + String.join(", ", tidied.rolledForward())
                    + ", which was cut short; ";
            done += resolved.isEmpty() ? "" : "marked run " + String.join(", ", resolved) + " resolved; ";
            if (!tidied.afterRunFailed().isEmpty()) {
                Map.Entry<String, String> callback = tidied.afterRunFailed().entrySet().iterator().next();
                throw new LoadFailedException(done + "afterRun callback of run " + callback.getKey() + " failed: " + callback.getValue()
                        + "; its staged data is removed and its run record kept: fix that, then run etl repair again, which runs the callback again", null);
            }
            PartitionHistory history = new HistoryStore(storage, request.output()).read(request.partition());
            // whether each run whose staging it removed had recorded its own failure, not a run killed
            // or stalled (which this repair may just have marked resolved)
            tidied.removed().forEach(run -> removedStaging.put(run, history.recordedFailure(run)));
            Optional<RunRecord> published = history.published();
            if (published.isPresent()) {
                pointerMended = mendPointer(request, published.get(), history, () -> leases.verify(held));
            }
            List<String> unlisted;
            try {
                unlisted = published.isPresent() ? catalog.unlisted(request.partition()) : List.of();
            }
            catch (EtlException e) {
                throw new LoadFailedException(done + "cannot ask " + request.engine().id() + "'s catalog whether its tables list " + request.partition() + ": "
                        + e.getMessage() + "; fix that, then run etl repair again", e);
            }
            if (!unlisted.isEmpty()) {
                // the published day that the engine's tables do not list: its afterPublish callbacks register it
                leases.verify(held);
                try {
                    callbacks.afterPublish(plan, published.get().runId(), request.partition());
                }
                catch (AfterPublishFailedException e) {
                    throw new LoadFailedException("cannot register " + request.partition() + " in the tables " + String.join(", ", unlisted) + ", which do not list it: "
                            + e.getCause().getMessage() + "; fix that, then run etl repair again", e);
                }
                registered = unlisted;
            }
            // the local copies that killed or failed runs left (DuckDB over S3), as large as the day each:
            // under the lease, none is a live run's
            try {
                List<Path> removedCopies = new ArrayList<>(workspace.removeEarlierRuns());
                // and those of runs that copied another source than this repair was given (none, say)
                removedCopies.addAll(Workspace.removeCopiesOf(request));
                localCopies = removedCopies;
            }
            catch (IOException | UncheckedIOException e) {
                throw new LoadFailedException(done + "cannot remove the local copies that earlier runs of " + request.partition() + " left: "
                        + FileReasons.describe(e) + "; remove them by hand, or fix that and run etl repair again", e);
            }
            // what reports of the day left when they were killed while they wrote: a report takes no
            // lease, and its claim on its staging area says whether its process is gone
            ReportStagings reports = new ReportStagings(storage, request.output(), Clock.systemUTC());
            for (RunStaging report : reports.abandoned(request.partition())) {
                reports.remove(report);
                removedReports.add(report.runId().value());
            }
            PausePoints.reach("repaired");
        }
        catch (IOException | RuntimeException e) {
            failed = e;
            throw e;
        }
        finally {
            try {
                leases.release(held);
            }
            catch (RuntimeException e) {
                // (an object store that went away): the repair's own failure is what the user must read,
                // and what a repair that succeeded did stands
                if (failed != null) {
                    failed.addSuppressed(e);
                }
                leaseNotGivenBack = Optional.of(FileReasons.message(e));
            }
        }
        return new RepairOutcome(removed, tidied.rolledForward(), removedStaging, resolved, pointerMended, registered, localCopies, removedReports, leaseNotGivenBack);
    }

    /**
     * Writes the publication pointer again where it names another run than the published one, or is
     * missing, while every dataset's marker names the published run: what a run stalled past its
     * lease leaves when it wakes between its last fence and its pointer, after the run that took the
     * day over wrote its own (design.md), or what moving a damaged pointer away leaves. The history and the datasets agree on the day's run, so the pointer is
     * theirs again, with the rows that run's steps wrote. A pointer edited by hand to name a run
     * whose datasets these are not is mended the same way; one whose datasets disagree is left to a
     * load. Returns what the pointer was.
     */
    private Optional<String> mendPointer(LoadRequest request, RunRecord published, PartitionHistory history, Runnable fence)
            throws IOException
    {
        PublicationStore pointers = new PublicationStore(storage, request.output());
        Optional<Publication> pointer = pointers.read(request.partition());
        String runId = published.runId();
        if (pointer.filter(publication -> publication.runId().equals(runId)).isPresent()) {
            return Optional.empty();
        }
        List<String> datasets = published.datasets();
        Map<String, String> whose = PublishedRuns.of(storage, request.output(), request.partition(), datasets);
        if (datasets.isEmpty() || !datasets.stream().allMatch(dataset -> runId.equals(whose.get(dataset)))) {
            return Optional.empty();
        }
        fence.run();
        pointers.write(new Publication(runId, request.partition().hivePath(), datasets, planner.rowsWritten(history, runId), published.finishedAt()));
        return Optional.of(pointer.map(publication -> "it named run " + publication.runId() + " (a run stalled past its lease writes it so when it wakes)")
                .orElse("it was missing (moved away, say)"));
    }
}
