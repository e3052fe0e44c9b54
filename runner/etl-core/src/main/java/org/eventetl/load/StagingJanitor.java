package org.eventetl.load;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.core.JsonProcessingException;

import org.eventetl.history.HistoryStore;
import org.eventetl.history.PartitionHistory;
import org.eventetl.history.RunPhase;
import org.eventetl.history.RunRecord;
import org.eventetl.lease.Lease;
import org.eventetl.model.EtlException;
import org.eventetl.model.Json;
import org.eventetl.model.LoadFailedException;
import org.eventetl.model.RunId;
import org.eventetl.partition.Partition;
import org.eventetl.storage.DamagedFileException;
import org.eventetl.storage.Location;
import org.eventetl.storage.RunStaging;
import org.eventetl.storage.Storage;

import static java.util.Objects.requireNonNull;

/**
 * Tidies what dead runs of a partition left under {@code <output>/_staging/}, for the next run or
 * {@code repair}, which hold the partition's lease (so those runs are not running any more): a
 * publish that was cut short is finished from its manifest, the dead run's afterRun callbacks run,
 * then its staging area is removed. Runs of other partitions are never touched.
 */
final class StagingJanitor
{
    /**
     * What the janitor did, for the user.
     *
     * @param left the dead runs whose publish, cut short, cannot be finished (their staged files are
     *         gone), each with why: their staging is kept, manifest and all, until the load that found
     *         them has published its own run (a folder such a publish left without its marker is that
     *         run's until then, not foreign files), and removed by that load
     * @param unreadable the run records of staging areas left as they are: damaged, of a run that
     *         began no publish of this partition
     * @param afterRunFailed the removed runs whose afterRun callbacks failed, each with why: their
     *         run record is kept, so that the next load or repair runs the callbacks again
     */
    record Tidied(List<String> rolledForward, List<String> removed, Map<String, String> left, List<Location> unreadable, Map<String, String> afterRunFailed)
    {
        Tidied
        {
            rolledForward = List.copyOf(rolledForward);
            removed = List.copyOf(removed);
            left = Map.copyOf(left);
            unreadable = List.copyOf(unreadable);
            afterRunFailed = Map.copyOf(afterRunFailed);
        }
    }

    /**
     * Runs a dead run's afterRun callbacks, rendered for it: a run killed with kill -9 never ran its
     * own, and on Trino and Athena its staged tables would stay in the catalog. Fails with an
     * {@link org.eventetl.model.EtlException}.
     */
    @FunctionalInterface
    interface AfterRun
    {
        /**
         * @param ranOn the engine the run ran on, as its run record says it (empty where the
         *         record is gone): its callbacks must run there to drop what it left there
         * @param ended whether the history records how the run ended (failed, or published): a run that ended left no statement running
         */
        void run(String runId, Optional<String> ranOn, boolean ended);
    }

    /** Publishes a dead run's staged datasets again, after its manifest; the same publish as a live run's. */
    @FunctionalInterface
    interface RollForward
    {
        void publish(RunStaging staging, PublishManifest manifest)
                throws IOException;
    }

    /** What to do with a publish cut short whose staged files are gone: it can never be finished. */
    enum Unfinishable
    {
        /** a load: leave it as it is, as the load's own publish replaces every dataset (then removes its staging) */
        LEAVE,
        /** repair: refuse before it changes any published dataset, and say that a load mends the day */
        REFUSE
    }

    private final Storage storage;
    private final Location output;
    private final Publisher publisher;

    StagingJanitor(Storage storage, Location output, Publisher publisher)
    {
        this.storage = requireNonNull(storage, "storage is null");
        this.output = requireNonNull(output, "output is null");
        this.publisher = requireNonNull(publisher, "publisher is null");
    }

    /**
     * A run's staging area, how the run began, and the manifest of its publish if one began (read
     * once here, for everything the janitor and status decide about the run).
     */
    record DeadRun(RunStaging staging, RunStart start, Optional<PublishManifest> manifest)
    {
        DeadRun
        {
            requireNonNull(staging, "staging is null");
            requireNonNull(start, "start is null");
            requireNonNull(manifest, "manifest is null");
        }

        String runId()
        {
            return staging.runId().value();
        }

        /** The manifest of a publish this run began and that the history does not record as finished. */
        Optional<PublishManifest> unfinishedPublish(PartitionHistory history)
        {
            return manifest.filter(started -> !history.wasPublished(runId()));
        }
    }

    /** The staging areas of runs of {@code partition} other than {@code current}. */
    List<DeadRun> deadRuns(Partition partition, Optional<RunId> current)
            throws IOException
    {
        return deadRuns(partition, current, new ArrayList<>());
    }

    /**
     * @param unreadable gets the staging areas whose run record is damaged and that are no concern of
     *         this partition's (see below)
     */
    private List<DeadRun> deadRuns(Partition partition, Optional<RunId> current, List<RunStaging> unreadable)
            throws IOException
    {
        List<DeadRun> dead = new ArrayList<>();
        for (String name : storage.listFolders(output.resolve(RunStaging.FOLDER))) {
            if (!RunId.isRunId(name) || current.map(RunId::value).filter(name::equals).isPresent()) {
                continue;
            }
            RunStaging staging = new RunStaging(output, new RunId(name));
            RunStart start;
            try {
                Optional<byte[]> content = storage.read(staging.runRecord());
                if (content.isEmpty()) {
                    continue;
                }
                start = Json.read(content.get(), RunStart.class);
            }
            catch (IOException e) {
                if (!(e instanceof DamagedFileException) && !(e instanceof JsonProcessingException)) {
                    // cannot be read (this user may not, say): not a damaged file, so not passed over
                    throw e;
                }
                // written whole (a temporary file renamed, or one PUT), so edited by hand or left empty by a
                // lost machine. Whose run it was cannot be read, but only a run that began its publish
                // (its manifest names its partition) has anything to do with published data: the others are
                // any partition's leftovers, and refusing every load and status of the output over one of
                // them would stop them all. Left where it is: it may not be this run's to delete
                Optional<PublishManifest> manifest = publisher.manifest(staging);
                if (manifest.isPresent() && manifest.get().partition().equals(partition.hivePath())) {
                    throw e instanceof DamagedFileException damaged ? damaged : new DamagedFileException(staging.runRecord(), e);
                }
                unreadable.add(staging);
                continue;
            }
            if (start.partition().equals(partition.hivePath())) {
                dead.add(new DeadRun(staging, start, publisher.manifest(staging)));
            }
        }
        return dead;
    }

    /**
     * Of the dead runs whose publish began and is not recorded as finished, those whose publish cannot
     * be finished (a staged file of a dataset not swapped in yet is gone or changed), each with why.
     */
    Map<String, String> unfinishablePublishes(List<DeadRun> deadRuns, PartitionHistory history)
            throws IOException
    {
        Map<String, String> unfinishable = new LinkedHashMap<>();
        for (DeadRun dead : deadRuns) {
            Optional<PublishManifest> manifest = dead.unfinishedPublish(history);
            if (manifest.isPresent()) {
                publisher.unfinishable(dead.staging(), manifest.get()).ifPresent(reason -> unfinishable.put(dead.runId(), reason));
            }
        }
        return unfinishable;
    }

    Tidied tidy(Partition partition, Optional<RunId> current, RollForward rollForward, Unfinishable whenUnfinishable, AfterRun afterRun)
            throws IOException
    {
        HistoryStore history = new HistoryStore(storage, output);
        // read once: finishing one run's publish records that run only, not another dead run
        PartitionHistory before = history.read(partition);
        List<RunStaging> unreadable = new ArrayList<>();
        List<DeadRun> deadRuns = deadRuns(partition, current, unreadable);
        // every publish to finish is checked before anything is changed: a refusal leaves all as it was
        Map<String, String> cannotFinish = unfinishablePublishes(deadRuns, before);
        if (whenUnfinishable == Unfinishable.REFUSE && !cannotFinish.isEmpty()) {
            Map.Entry<String, String> first = cannotFinish.entrySet().iterator().next();
            throw new LoadFailedException("cannot finish the publish of run " + first.getKey() + ", which was cut short: " + first.getValue()
                    + "; no published dataset was changed: load the day again, whose publish replaces every dataset", null);
        }
        List<String> rolledForward = new ArrayList<>();
        List<String> removed = new ArrayList<>();
        Map<String, String> afterRunFailed = new LinkedHashMap<>();
        for (DeadRun dead : deadRuns) {
            RunStaging staging = dead.staging();
            if (cannotFinish.containsKey(dead.runId())) {
                continue;
            }
            Optional<PublishManifest> unfinished = dead.unfinishedPublish(before);
            if (unfinished.isPresent()) {
                PublishManifest manifest = unfinished.get();
                rollForward.publish(staging, manifest);
                history.record(partition, new RunRecord(dead.runId(), partition.hivePath(), dead.start().engine(), RunRecord.Outcome.PUBLISHED, RunPhase.PUBLISH.recorded(),
                        "its publish was cut short and finished " + current.map(run -> "by run " + run).orElse("by repair"),
                        manifest.startedAt(), Instant.now(), manifest.datasets(), List.of(), System.getProperty("user.name"), Lease.thisHost(), manifest.source()));
                rolledForward.add(dead.runId());
            }
            remove(staging, Optional.of(dead.start().engine()), afterRun, !before.ends(dead.runId()).isEmpty())
                    .ifPresent(failure -> afterRunFailed.put(dead.runId(), failure));
            removed.add(dead.runId());
        }
        return new Tidied(rolledForward, removed, cannotFinish, unreadable.stream().map(RunStaging::runRecord).toList(), afterRunFailed);
    }

    /**
     * Removes a dead run's staging area once its afterRun callbacks have run. When they fail (the
     * engine unreachable, say), its staged data goes all the same, but its run record stays (it is
     * never deleted, so neither a kill nor a removal cut short can lose it): the next load or
     * repair then finds the run again and runs them again. Without the record no one would, and
     * its staged tables would stay in the users' schema for good.
     *
     * @param ended whether the history records how the run ended
     * @return why the callbacks failed, when they did
     */
    Optional<String> remove(RunStaging staging, AfterRun afterRun, boolean ended)
            throws IOException
    {
        return remove(staging, ranOn(staging), afterRun, ended);
    }

    /** {@link #remove(RunStaging, AfterRun, boolean)} of a run whose engine is known already (read with its start, as {@link #tidy} reads it). */
    private Optional<String> remove(RunStaging staging, Optional<String> ranOn, AfterRun afterRun, boolean ended)
            throws IOException
    {
        try {
            afterRun.run(staging.runId().value(), ranOn, ended);
        }
        catch (EtlException e) {
            removeAllButRecord(staging);
            return Optional.of(e.getMessage());
        }
        // the record last: S3's listing order puts _run.json before the datasets, and a removal cut
        // short (killed between two batches) must leave the record that names what is left
        removeAllButRecord(staging);
        storage.clear(staging);
        return Optional.empty();
    }

    /** The engine a run ran on, from its run record; empty where the record is gone or damaged (a damaged one is said where the run is found). */
    private Optional<String> ranOn(RunStaging staging)
            throws IOException
    {
        Optional<byte[]> content = storage.read(staging.runRecord());
        if (content.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(Json.read(content.get(), RunStart.class).engine());
        }
        catch (DamagedFileException | JsonProcessingException e) {
            return Optional.empty();
        }
    }

    /** Deletes a run's staged data but not its run record, which names the run to whoever tidies after it. */
    void removeAllButRecord(RunStaging staging)
            throws IOException
    {
        storage.delete(storage.listRecursively(staging.location()).stream().filter(file -> !file.equals(staging.runRecord())).toList());
    }

    /** Whether the run's staging holds its run record alone: what {@link #remove} keeps of a run whose afterRun callbacks failed. */
    boolean onlyRecordLeft(RunStaging staging)
            throws IOException
    {
        return storage.listRecursively(staging.location()).equals(List.of(staging.runRecord()));
    }
}
