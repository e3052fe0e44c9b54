package org.eventetl.load;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

import org.eventetl.history.HistoryStore;
import org.eventetl.history.PartitionHistory;
import org.eventetl.history.PartitionState;
import org.eventetl.history.PartitionStatus;
import org.eventetl.history.Publication;
import org.eventetl.history.PublicationStore;
import org.eventetl.history.RunPhase;
import org.eventetl.history.RunRecord;
import org.eventetl.history.StatusCalculator;
import org.eventetl.history.UnfinishedPublish;
import org.eventetl.lease.Lease;
import org.eventetl.lease.LeaseStore;
import org.eventetl.model.RunId;
import org.eventetl.model.UserException;
import org.eventetl.plan.Scripts;
import org.eventetl.render.Plan;
import org.eventetl.render.RenderedStep;
import org.eventetl.storage.DamagedFileException;
import org.eventetl.storage.FileReasons;
import org.eventetl.storage.Location;
import org.eventetl.storage.PublishedPrefix;
import org.eventetl.storage.RoutingStorage;
import org.eventetl.storage.RunStaging;
import org.eventetl.storage.SourceFile;

import static java.util.Objects.requireNonNull;

/**
 * What {@code etl status} says of a partition: {@link StatusCalculator}'s state from the history,
 * the lease and the rendered SQL, and what it alone cannot see, from the output and the source: a
 * publish cut short, a source changed since its publish, the staging dead runs left, a pointer
 * missing, a dataset no step writes any more. It reads; it changes nothing.
 */
final class PartitionInspector
{
    private final RoutingStorage storage;
    private final Scripts scripts;
    private final LoadPlanner planner;

    PartitionInspector(RoutingStorage storage, Scripts scripts, LoadPlanner planner)
    {
        this.storage = requireNonNull(storage, "storage is null");
        this.scripts = requireNonNull(scripts, "scripts is null");
        this.planner = requireNonNull(planner, "planner is null");
    }

    /**
     * Where the partition stands (see {@link StatusCalculator}); a partition whose source is gone is
     * compared by template only.
     */
    PartitionStatus status(LoadRequest request)
            throws IOException
    {
        return status(request, Optional.empty());
    }

    /** Where the partition stands, as if the lease of run {@code holding} (the caller's own) were not held. */
    PartitionStatus status(LoadRequest request, Optional<RunId> holding)
            throws IOException
    {
        Map<String, String> rendered = new HashMap<>();
        boolean sourceExists;
        Optional<String> refused = Optional.empty();
        // the source files, compared with what the published run read
        Optional<List<SourceFile>> listed = Optional.empty();
        try {
            // listed as the load lists them, whatever the engine: a day whose folder is missing or
            // holds no data file has no source (an engine that reads S3 itself renders without a
            // listing, so the rendering alone would take every day for one with data)
            List<SourceFile> files = SourcePartition.files(storage, request);
            listed = Optional.of(files);
            Plan plan = request.engine().readsLocalFilesOnly() ? planner.render(request, files) : planner.render(request);
            for (RenderedStep step : plan.steps()) {
                rendered.put(step.step().id(), step.renderedChecksum());
            }
            sourceExists = true;
        }
        catch (UserException e) {
            // no source data, or a file the load would refuse (templates can still be compared); a
            // folder that cannot be read is refused by sourceExists as by the load
            sourceExists = SourcePartition.exists(storage, request);
            refused = Optional.of(e.getMessage());
        }
        // a lease left by a run that died (expired, or its process gone from this host) holds nothing
        LeaseStore leases = LeaseStore.forOutput(request.output(), storage, Clock.systemUTC());
        Optional<Lease> holderLease = leases.holder(request.partition())
                .filter(lease -> !LeaseStore.gone(lease, Clock.systemUTC()))
                .filter(lease -> holding.map(run -> !run.value().equals(lease.owner())).orElse(true));
        Optional<String> holder = holderLease.map(Lease::owner);
        PartitionHistory history = new HistoryStore(storage, request.output()).read(request.partition());
        // status answers from the history, but a damaged publication pointer (which the load, show
        // and report refuse) must not be shown as all well: read here, it is refused as they refuse
        // it. Read after the history: a load that publishes meanwhile then shows as running (it holds
        // the lease until its record is written), never as a pointer ahead of its history
        PublicationStore pointers = new PublicationStore(storage, request.output());
        Optional<Publication> pointer = pointers.read(request.partition());
        Publisher publisher = new Publisher(storage, pointers);
        // the staging areas of runs not running now, listed once for what status says of them
        // (a run whose end is recorded is not running, whatever its lease says: one whose storage
        // failed could not give it back, and from another host it looks held until it expires)
        Optional<RunId> live = holder.filter(RunId::isRunId).filter(run -> history.ends(run).isEmpty()).map(RunId::new);
        StagingJanitor janitor = new StagingJanitor(storage, request.output(), publisher);
        List<StagingJanitor.DeadRun> deadRuns = janitor.deadRuns(request.partition(), live);
        // "a rerun or etl repair finishes it" is not so of these: repair refuses, and a load replaces every dataset
        Map<String, String> unfinishable = janitor.unfinishablePublishes(deadRuns, history);
        Map<String, Instant> deadRunStarts = new HashMap<>();
        deadRuns.forEach(dead -> deadRunStarts.put(dead.runId(), dead.start().startedAt()));
        // the manifests of runs that are not dead, as read to learn whether they began to publish
        Map<String, PublishManifest> liveManifests = new HashMap<>();
        PartitionStatus status = StatusCalculator.status(request.partition(), scripts.steps(), rendered, history,
                holder, runId -> {
                    Optional<StagingJanitor.DeadRun> dead = deadRuns.stream().filter(run -> run.runId().equals(runId)).findFirst();
                    if (dead.isPresent()) {
                        // its manifest is read already
                        return dead.get().manifest().isPresent();
                    }
                    try {
                        Optional<PublishManifest> manifest = RunId.isRunId(runId) ? publisher.manifest(new RunStaging(request.output(), new RunId(runId))) : Optional.empty();
                        manifest.ifPresent(read -> liveManifests.put(runId, read));
                        return manifest.isPresent();
                    }
                    catch (IOException e) {
                        throw new UncheckedIOException(e.getMessage(), e);
                    }
                }, sourceExists, deadRunStarts);
        boolean publishUnsettled = status.attempt().filter(PartitionStatus.Attempt::publishStarted).isPresent()
                || deadRuns.stream().anyMatch(dead -> dead.unfinishedPublish(history).isPresent());
        Set<String> explained = new HashSet<>();
        Map<String, PublishReach> cut = cutPublishes(request, deadRuns, history);
        Optional<PartitionStatus.Attempt> publishingNow = status.attempt().filter(attempt -> attempt.state() == PartitionState.RUNNING && attempt.publishStarted());
        if (publishingNow.isPresent() && liveManifests.containsKey(publishingNow.get().runId())) {
            // a publish under way is read as a cut one is: which datasets are its own already
            String runId = publishingNow.get().runId();
            cut.put(runId, cutPublish(request, runId, liveManifests.get(runId), history));
        }
        PartitionStatus shown = withSourceChanged(withPublishCutShort(status, history, pointer, deadRuns, unfinishable, cut, explained), request, listed);
        // the same in fields, for a scheduler: the attempt's publish, or the oldest cut short
        Optional<String> unfinished = status.attempt().filter(PartitionStatus.Attempt::publishStarted).map(PartitionStatus.Attempt::runId).filter(cut::containsKey)
                .or(() -> cut.keySet().stream().sorted().findFirst());
        if (unfinished.isPresent()) {
            String runId = unfinished.get();
            PublishReach publish = cut.get(runId);
            shown = shown.with(new UnfinishedPublish(runId, publish.datasets(), publish.replaced(), publishingNow.filter(attempt -> attempt.runId().equals(runId)).isPresent(),
                    publish.publishedBefore(), Optional.ofNullable(unfinishable.get(runId))));
        }
        for (Map.Entry<String, String> dead : unfinishable.entrySet()) {
            if (!explained.contains(dead.getKey())) {
                // not said by the line above: said as a note
                shown = shown.withNote("the publish of run " + dead.getKey() + " " + cannotBeFinished(dead.getValue()));
            }
        }
        Optional<String> runningNow = shown.attempt().filter(attempt -> attempt.state() == PartitionState.RUNNING).map(PartitionStatus.Attempt::runId);
        Optional<Lease> repairing = holderLease.filter(Lease::repairs).filter(lease -> runningNow.filter(lease.owner()::equals).isPresent());
        if (repairing.isPresent()) {
            // a repair records no run: the calculator took its lease for a load's ("is loading it now")
            shown = shown.withDetail(repairing.get().describe() + " holds it now: it finishes what earlier runs left (a publish cut short, their staging and"
                    + " callbacks) and records nothing of its own; ask again once it has ended (a repair takes seconds)");
        }
        Optional<String> unrecorded = unrecordedPointer(pointer, history, deadRuns, status, request);
        if (unrecorded.isPresent()) {
            // the history lacks the published run's record (moved away as its damage advised, say), and
            // no staging of that run is left, as a run killed between its pointer and its record leaves
            // one: what the pointer names is what readers see, whatever the line above says of it
            String note = "its publication pointer " + pointers.location(request.partition()) + " names run " + unrecorded.get()
                    + ", which the history does not record as published (a record moved away?): its datasets are what readers see; a reload records the day again";
            // (it is said alone: "nothing was published" or "never published", from the history, would contradict it)
            shown = shown.with(PartitionState.OUTDATED, note);
        }
        else if (!publishUnsettled) {
            shown = withPublishedDataChecked(shown, pointer, pointers, request);
        }
        if (pointer.isEmpty() && history.published().isPresent()) {
            // moved away as its damage advised, say: the next load writes it again
            shown = shown.withNote("its publication pointer " + pointers.location(request.partition()) + " is missing: etl repair writes it again where every"
                    + " dataset is the published run's, and the next load of the day does in any case (the audits take the published rows from the history meanwhile)");
        }
        List<String> leftStaging = new ArrayList<>();
        for (StagingJanitor.DeadRun dead : deadRuns) {
            if (holder.filter(dead.runId()::equals).isPresent()) {
                // it holds the lease still: a run that recorded its end runs its afterRun callbacks now
                continue;
            }
            boolean saidInterrupted = shown.attempt().filter(attempt -> attempt.runId().equals(dead.runId()) && attempt.state() == PartitionState.INTERRUPTED).isPresent();
            if (janitor.onlyRecordLeft(dead.staging()) && !saidInterrupted) {
                // its staged data is gone: only its afterRun callbacks are left to run. (A run killed
                // before its first step leaves its record alone too, and the line of status says
                // already that it ended without a record: a note on callbacks would contradict it.)
                shown = shown.withNote("the afterRun callbacks of run " + dead.runId() + " have not run to their end (they failed, or the run was killed"
                        + " before them), so its run record " + dead.staging().runRecord() + " is kept: the next load of the day or etl repair runs them");
            }
            else if (history.wasPublished(dead.runId())) {
                leftStaging.add(dead.runId());
            }
        }
        if (!leftStaging.isEmpty()) {
            // killed after its publish was recorded, or S3 refused the removal: nothing is wrong with
            // the data, but a day's copy stays on disk until someone learns of it
            // (locally the swap moves the replaced files into the staging; on S3 the publish copies,
            // and the staged files stay where they were)
            String copyOf = request.output().isS3() ? "a copy of the data it published" : "a copy of the data it replaced";
            shown = shown.withNote("the staging of published run " + String.join(", ", leftStaging) + " is left (" + copyOf + "):"
                    + " etl repair or the next load of the day removes it");
        }
        List<RunStaging> reportsLeft = new ReportStagings(storage, request.output(), Clock.systemUTC()).abandoned(request.partition());
        if (!reportsLeft.isEmpty()) {
            // the published page is whole (a report swaps its folder in), but its staging would stay
            shown = shown.withNote("etl report " + String.join(", ", reportsLeft.stream().map(report -> report.runId().value()).toList())
                    + " was killed while it wrote the page and left its staging area " + reportsLeft.get(0).location().asPrefix()
                    + (reportsLeft.size() == 1 ? "" : " and others") + ": etl repair or the next report of the day removes it");
        }
        Optional<String> stalled = leases.changeStalled(request.partition());
        if (stalled.isPresent()) {
            // every writer of the day is blocked by it, whatever the day's data says
            shown = shown.withNote(stalled.get());
        }
        List<String> retired = retiredDatasets(request);
        if (!retired.isEmpty()) {
            // a step removed from sql/ leaves its dataset as the last run that wrote it left it; no
            // reload replaces it, and nothing deletes published data but a person
            shown = shown.withNote(String.join(", ", retired) + " of this day " + (retired.size() == 1 ? "is" : "are")
                    + " still published, but no step writes " + (retired.size() == 1 ? "it" : "them") + " any more: delete "
                    + String.join(", ", retired.stream().map(dataset -> new PublishedPrefix(request.output(), dataset, request.partition()).location().asPrefix()).toList())
                    + " by hand once retired");
        }
        if (sourceExists && refused.isPresent()) {
            // a file the load refuses (a link, a pipe, one this user may not read): the detail says
            // that a load now would be refused, and why, rather than "load it". A published day is not
            // current then: its source cannot be listed to compare with what its run read (a file
            // added beside the link would go unseen), so status alerts and backfill --only-stale
            // tries the day and fails it with the refusal, rather than pass it over
            PartitionState state = shown.state() == PartitionState.CURRENT ? PartitionState.OUTDATED : shown.state();
            return shown.with(state, shown.detail()).withNote("a load now would be refused: " + refused.get());
        }
        if (sourceExists && shown.state() == PartitionState.PENDING) {
            // "never published; load it", where a dataset's folder holds files no run of etl
            // published (copied in by hand, another tool's), which the load refuses to replace
            try {
                new ForeignFiles(storage, request.output(), publisher).refuse(request.partition(), scripts.datasets());
            }
            catch (UserException e) {
                return shown.withNote("a load now would be refused: " + e.getMessage());
            }
        }
        return shown;
    }

    /** The datasets of this partition under the output that no step of sql/ writes any more (the runner's own folders start with _, which no dataset does). */
    private List<String> retiredDatasets(LoadRequest request)
            throws IOException
    {
        List<String> retired = new ArrayList<>();
        for (String folder : storage.listFolders(request.output())) {
            if (folder.matches("[a-z][a-z0-9_]*") && !scripts.datasets().contains(folder)
                    && storage.folderExists(new PublishedPrefix(request.output(), folder, request.partition()).location())) {
                retired.add(folder);
            }
        }
        return retired;
    }

    /**
     * A publish that began (its manifest is written) and is not recorded as finished leaves the
     * published datasets a mix of two runs, and on S3 one of them empty or partly filled, whatever
     * the latest attempt says: a run that failed while publishing (S3 refused a copy, say), or whose
     * tidying failed to finish an earlier run's publish, must not be shown as leaving the published
     * data intact. A run killed while publishing is already shown so, and a live run finishes it.
     */
    private static PartitionStatus withPublishCutShort(PartitionStatus status, PartitionHistory history, Optional<Publication> pointer,
            List<StagingJanitor.DeadRun> deadRuns, Map<String, String> unfinishable, Map<String, PublishReach> cut, Set<String> explained)
    {
        boolean shown = status.attempt().filter(attempt -> attempt.state() == PartitionState.INTERRUPTED && attempt.publishStarted()).isPresent();
        Optional<PartitionStatus.Attempt> publishing = status.attempt().filter(attempt -> attempt.state() == PartitionState.RUNNING && attempt.publishStarted());
        if (publishing.isPresent() && names(pointer, publishing.get().runId())) {
            // its pointer is written: every dataset is its own, and its afterPublish callbacks run
            return status.withDetail("run " + publishing.get().runId() + " has replaced every dataset and is running its afterPublish callbacks");
        }
        if (publishing.isPresent() && cut.containsKey(publishing.get().runId())) {
            PublishReach live = cut.get(publishing.get().runId());
            return status.withNote("so far it has replaced " + live.replaced().size() + " of its " + live.datasets().size() + " datasets"
                    + (live.replaced().isEmpty() ? "" : " (" + String.join(", ", live.replaced()) + ")"));
        }
        if (shown && names(pointer, status.attempt().get().runId())) {
            // killed once its pointer was written: no dataset mixes two runs, only the callbacks are left
            return status.withDetail("run " + status.attempt().get().runId() + " ended without a record once it had replaced every dataset (killed, say): its afterPublish"
                            + " callbacks are left (etl repair or a rerun of the load runs them)");
        }
        if (shown) {
            // the calculator's line, but with what the published datasets hold, and for who can finish that publish
            String runId = status.attempt().get().runId();
            return status.withDetail(status.detail()
                    .replace(StatusCalculator.UNTIL_FINISHED, finishing(cut, runId, whoFinishes(runId, unfinishable, explained)))
                    .replace(StatusCalculator.MAY_MIX, account(cut, runId)));
        }
        Optional<PartitionStatus.Attempt> loading = status.attempt().filter(attempt -> attempt.state() == PartitionState.RUNNING && !attempt.publishStarted());
        if (loading.isPresent() && !unfinishable.isEmpty()) {
            // not "the published data is intact": the dead run swapped some datasets in, and only this run's publish replaces them
            Map.Entry<String, String> dead = unfinishable.entrySet().iterator().next();
            explained.add(dead.getKey());
            return status.withDetail("run " + loading.get().runId() + " is loading it now; the published datasets may mix two runs until its publish replaces every dataset:"
                    + " the publish of run " + dead.getKey() + " " + cannotBeFinished(dead.getValue()));
        }
        if (status.state() == PartitionState.RUNNING || shown) {
            return status;
        }
        for (StagingJanitor.DeadRun dead : deadRuns) {
            String runId = dead.runId();
            if (dead.unfinishedPublish(history).isPresent()) {
                String failed = status.attempt().filter(attempt -> attempt.state() == PartitionState.FAILED)
                        .map(attempt -> "; run " + attempt.runId() + " failed" + attempt.phase().map(phase -> " " + RunPhase.where(phase)).orElse("")
                                + attempt.message().map(message -> ": " + message).orElse(""))
                        .orElse("");
                // a run that failed in its own publish recorded why: failed, not interrupted (which
                // says a run ended without a record), though its datasets may mix two runs all the same
                boolean recordedItsFailure = history.recordedFailure(runId);
                PartitionState state = recordedItsFailure ? PartitionState.FAILED : PartitionState.INTERRUPTED;
                if (names(pointer, runId)) {
                    // the publication pointer is written once every dataset is swapped: only the
                    // afterPublish callbacks (the catalog's partitions, on Trino and Athena) are left
                    return status.with(state, "run " + runId + " replaced every dataset, but its publish did not finish: its afterPublish callbacks are left"
                                    + " (fix what failed, then etl repair or a rerun of the load runs them)" + failed);
                }
                return status.with(state, "the publish of run " + runId + (state == PartitionState.FAILED ? " failed midway: " : " was interrupted: ")
                                + account(cut, runId) + finishing(cut, runId, whoFinishes(runId, unfinishable, explained)) + failed);
            }
        }
        return status;
    }

    /** What the datasets of run {@code runId}'s cut publish hold, as its markers say; what the history alone says where they were not read. */
    private static String account(Map<String, PublishReach> cut, String runId)
    {
        PublishReach publish = cut.get(runId);
        return publish == null ? StatusCalculator.MAY_MIX : publish.account();
    }

    /** Who finishes run {@code runId}'s cut publish ({@code whoFinishes}), without "until …" where its markers show nothing mixed. */
    private static String finishing(Map<String, PublishReach> cut, String runId, String whoFinishes)
    {
        PublishReach publish = cut.get(runId);
        return publish == null ? whoFinishes : publish.finishing(whoFinishes);
    }

    /** Each dead run's cut publish, by run id: what its markers say it replaced. */
    private Map<String, PublishReach> cutPublishes(LoadRequest request, List<StagingJanitor.DeadRun> deadRuns, PartitionHistory history)
            throws IOException
    {
        Map<String, PublishReach> cut = new HashMap<>();
        for (StagingJanitor.DeadRun dead : deadRuns) {
            Optional<PublishManifest> manifest = dead.unfinishedPublish(history);
            if (manifest.isPresent()) {
                cut.put(dead.runId(), cutPublish(request, dead.runId(), manifest.get(), history));
            }
        }
        return cut;
    }

    /** What the datasets of run {@code runId}'s publish hold now, as their markers say. */
    private PublishReach cutPublish(LoadRequest request, String runId, PublishManifest manifest, PartitionHistory history)
            throws IOException
    {
        List<String> datasets = manifest.datasets();
        Map<String, String> runs = PublishedRuns.of(storage, request.output(), request.partition(), datasets);
        List<String> replaced = datasets.stream().filter(dataset -> runId.equals(runs.get(dataset))).toList();
        return new PublishReach(datasets, replaced, request.output().isS3(), history.published().isPresent());
    }

    /**
     * Who finishes the cut publish of {@code runId}, as the end of the line that says it was cut:
     * repair refuses every dead run's publish while one of them cannot be finished, so then only a
     * load does. Adds the run it names as unfinishable to {@code explained}.
     */
    private static String whoFinishes(String runId, Map<String, String> unfinishable, Set<String> explained)
    {
        if (unfinishable.containsKey(runId)) {
            explained.add(runId);
            return "; its publish " + cannotBeFinished(unfinishable.get(runId));
        }
        if (unfinishable.isEmpty()) {
            return StatusCalculator.UNTIL_FINISHED;
        }
        Map.Entry<String, String> other = unfinishable.entrySet().iterator().next();
        explained.add(other.getKey());
        return ", until a rerun of the load finishes its publish (etl repair refuses: the publish of run " + other.getKey() + " " + cannotBeFinished(other.getValue()) + ")";
    }

    /** What is said of a publish cut short that cannot be finished, after "its publish" (status, backfill, show, report). */
    static String cannotBeFinished(String reason)
    {
        return "cannot be finished: " + reason + "; etl repair refuses it, and a load of the day replaces every dataset";
    }

    /**
     * A day shown current whose source files changed since its publish (a placeholder replaced by
     * the real data, a file cut short or grown, one added or removed, and on S3 one written again
     * with as many bytes, by its ETag) is outdated: what is published is not what a load now would
     * publish. Days published before runs kept their source are judged by their SQL alone, as
     * before, and those published before runs kept ETags by their files' sizes.
     */
    private PartitionStatus withSourceChanged(PartitionStatus status, LoadRequest request, Optional<List<SourceFile>> listed)
            throws IOException
    {
        Optional<RunRecord> published = status.published().filter(run -> run.source() != null);
        // (a file added, removed or renamed changes the rendered SQL too where it names the files:
        // the day is outdated already, and the source is the reason to name)
        if (status.state() != PartitionState.CURRENT && status.state() != PartitionState.OUTDATED || published.isEmpty()) {
            return status;
        }
        RunRecord.Source then = published.get().source();
        RunRecord.Source now;
        try {
            now = SourceFingerprint.of(listed.isPresent() ? listed.get() : SourcePartition.files(storage, request));
        }
        catch (UserException e) {
            if (!SourcePartition.exists(storage, request)) {
                if (!storage.folderExists(request.source())) {
                    // no source root at all (status run without --source, from another folder): templates only
                    return status;
                }
                // emptied or moved away upstream (a retention period, say): the published day is all
                // there is of it now, and no reload could replace it, so it stays current, with a note
                return status.withNote("its source (" + then.describe() + " when published) is gone now: a load would find none");
            }
            // a file that a load would refuse: the note that follows says so
            return status;
        }
        if (now.fingerprint().equals(then.fingerprint())) {
            if (then.contents() == null || now.contents() == null || then.contents().equals(now.contents())) {
                return status;
            }
            return status.with(PartitionState.OUTDATED, "published by run " + published.get().runId() + " from source files that were written again since, with as many bytes ("
                    + now.describe() + ", but their ETags differ); reload it (backfill --only-stale does)");
        }
        return status.with(PartitionState.OUTDATED, "published by run " + published.get().runId() + " from source files that have changed since (" + then.describe() + " then, "
                        + now.describe() + " now); reload it (backfill --only-stale does)");
    }

    /**
     * A day settled on its published run (no publish under way or cut short) whose published files
     * are not that run's is not current, whatever the history says: a dataset's folder deleted by
     * hand, or emptied of its data files (rows the run wrote, gone), its {@code _etl_run} marker
     * deleted (a load then refuses to replace its files) or damaged, another run's files copied in,
     * or a publication pointer edited to name another run (the audits would take that run's rows for
     * the published ones). A reload writes all of them again. Only the datasets sql/ still writes
     * are looked at: a retired one has its own note, and deleting it is what that note asks. Each
     * dataset costs a read of its marker and a listing.
     */
    private PartitionStatus withPublishedDataChecked(PartitionStatus status, Optional<Publication> pointer, PublicationStore pointers, LoadRequest request)
            throws IOException
    {
        Optional<RunRecord> published = status.published();
        // (a run loading the day now may begin its swaps while the markers are read: its state says enough)
        if (published.isEmpty() || EnumSet.of(PartitionState.PENDING, PartitionState.NO_SOURCE, PartitionState.RUNNING).contains(status.state())) {
            return status;
        }
        String runId = published.get().runId();
        List<String> findings = new ArrayList<>();
        pointer.filter(publication -> !publication.runId().equals(runId)).ifPresent(publication -> findings.add("its publication pointer "
                + pointers.location(request.partition()) + " names run " + publication.runId() + ", not the published run: etl repair writes it again where every dataset is the published run's"
                + " (a run stalled past its lease writes it so), and a load does in any case"));
        for (String dataset : published.get().datasets()) {
            if (!scripts.datasets().contains(dataset)) {
                continue;
            }
            PublishedPrefix prefix = new PublishedPrefix(request.output(), dataset, request.partition());
            Optional<Path> inTheWay = FileReasons.inTheWayOfFolder(prefix.location());
            if (inTheWay.isPresent()) {
                // its folder replaced by hand: a load refuses to delete what no run made
                findings.add("the folder of " + dataset + " is gone: " + FileReasons.notAFolder(inTheWay.get()) + ", where " + prefix.location().asPrefix()
                        + " must be (move it away before the reload)");
                continue;
            }
            Optional<RunMarker> read;
            try {
                read = RunMarker.read(storage, prefix);
            }
            catch (DamagedFileException e) {
                findings.add("the marker of " + dataset + ": " + e.getMessage());
                continue;
            }
            Optional<String> marker = read.map(RunMarker::runId);
            long rows = pointer.filter(publication -> publication.runId().equals(runId)).map(publication -> publication.rows().getOrDefault(dataset, 0L)).orElse(0L);
            Optional<Map<String, Long>> staged = read.map(RunMarker::files).filter(kept -> marker.get().equals(runId));
            // the folder's data files, where the marker kept what its run published; listed once
            Map<String, Long> now = staged.isPresent() ? RunMarker.filesOf(storage, prefix.location()) : Map.of();
            SortedSet<String> added = staged.isPresent() ? RunMarker.added(storage, read.get(), prefix.location()) : new TreeSet<>();
            if (marker.isPresent() && !marker.get().equals(runId)) {
                findings.add(dataset + " holds the files of run " + marker.get() + " (" + prefix.location().asPrefix() + RunMarker.FILE_NAME + ")");
            }
            else if (staged.isPresent() && (!staged.get().equals(now) || !added.isEmpty())) {
                // names and sizes, as for the source: a file rewritten with as many bytes goes unseen
                findings.add(dataset + " holds other files than its run published (" + RunMarker.describe(staged.get()) + " then, " + RunMarker.describe(now) + " now, in "
                        + prefix.location().asPrefix() + ")" + (added.isEmpty() ? "" : "; move the files added since (" + RunMarker.names(added)
                                + ") elsewhere first: a load deletes no file that no run published"));
            }
            else if (marker.isEmpty()) {
                findings.add(storage.listRecursively(prefix.location()).isEmpty()
                        ? dataset + " is gone from " + prefix.location().asPrefix()
                        : dataset + " has lost its " + RunMarker.FILE_NAME + " marker (" + prefix.location().asPrefix()
                                + "): a load refuses to replace files no run of etl published, so put it back or move the folder away first");
            }
            // a marker written before markers kept their files: the folder listed for its data files
            else if (staged.isEmpty() && rows > 0 && storage.listRecursively(prefix.location()).size() == 1) {
                findings.add(dataset + " holds none of the " + String.format("%,d", rows) + " rows its run wrote (" + prefix.location().asPrefix() + " holds only its marker)");
            }
        }
        if (findings.isEmpty()) {
            return status;
        }
        String finding = "published by run " + runId + ", but " + String.join("; ", findings);
        if (status.state() == PartitionState.CURRENT) {
            return status.with(PartitionState.OUTDATED, finding + "; reload it (backfill --only-stale does)");
        }
        if (status.detail().contains(StatusCalculator.intact(runId))) {
            // a failed or killed run's line says the published data is intact, which the finding
            // contradicts (a run killed in its publish whose manifest was moved away, say): the
            // finding is said in its place
            return status.withDetail(status.detail().replace(StatusCalculator.intact(runId), finding));
        }
        return status.withNote(finding);
    }

    /**
     * The run the pointer names when the history does not record it as published but the datasets'
     * markers name it too (so the pointer is right, and the history lacks a record; a pointer edited
     * to name another run is told by the markers that disagree), and neither a staging area of it is
     * left (a run killed between its pointer and its record leaves one, and is said as such) nor is
     * it the run that publishes now.
     */
    private Optional<String> unrecordedPointer(Optional<Publication> pointer, PartitionHistory history, List<StagingJanitor.DeadRun> deadRuns,
            PartitionStatus status, LoadRequest request)
            throws IOException
    {
        Optional<String> unrecorded = pointer.map(Publication::runId)
                .filter(runId -> !history.wasPublished(runId))
                .filter(runId -> deadRuns.stream().noneMatch(dead -> dead.runId().equals(runId)))
                .filter(runId -> status.attempt().filter(attempt -> attempt.runId().equals(runId) && attempt.state() == PartitionState.RUNNING).isEmpty());
        if (unrecorded.isEmpty()) {
            return unrecorded;
        }
        for (String dataset : pointer.get().datasets()) {
            try {
                if (RunMarker.runOf(storage, new PublishedPrefix(request.output(), dataset, request.partition())).filter(unrecorded.get()::equals).isPresent()) {
                    return unrecorded;
                }
            }
            catch (DamagedFileException e) {
                // this marker tells nothing; another may
            }
        }
        return Optional.empty();
    }

    /** Whether the partition's publication pointer names the run: written once every dataset of its publish is swapped in. */
    private static boolean names(Optional<Publication> pointer, String runId)
    {
        return pointer.filter(publication -> publication.runId().equals(runId)).isPresent();
    }
}
