package org.eventetl.load;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.eventetl.history.HistoryStore;
import org.eventetl.history.RunPhase;
import org.eventetl.history.RunRecord;
import org.eventetl.lease.Lease;
import org.eventetl.model.Json;
import org.eventetl.model.RunId;
import org.eventetl.partition.Partition;
import org.eventetl.storage.Location;
import org.eventetl.storage.RunStaging;
import org.eventetl.storage.Storage;

import static java.util.Objects.requireNonNull;

/**
 * Tidies what dead runs of a partition left under {@code <output>/_staging/}, for the next run or
 * {@code repair}, which hold the partition's lease (so those runs are not running any more): a
 * publish that was cut short is finished from its manifest, then the dead run's staging area is
 * removed. Runs of other partitions are never touched.
 */
final class StagingJanitor
{
    /** What the janitor did, for the user. */
    record Tidied(List<String> rolledForward, List<String> removed)
    {
        Tidied
        {
            rolledForward = List.copyOf(rolledForward);
            removed = List.copyOf(removed);
        }
    }

    /** Publishes a dead run's staged datasets again, after its manifest; the same publish as a live run's. */
    @FunctionalInterface
    interface RollForward
    {
        void publish(RunStaging staging, PublishManifest manifest)
                throws IOException;
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

    /** A run's staging area and how the run began. */
    record DeadRun(RunStaging staging, RunStart start) {}

    /** The staging areas of runs of {@code partition} other than {@code current}. */
    List<DeadRun> deadRuns(Partition partition, Optional<RunId> current)
            throws IOException
    {
        List<DeadRun> dead = new ArrayList<>();
        for (String name : storage.listFolders(output.resolve(RunStaging.FOLDER))) {
            if (!RunId.isRunId(name) || current.map(RunId::value).filter(name::equals).isPresent()) {
                continue;
            }
            RunStaging staging = new RunStaging(output, new RunId(name));
            Optional<byte[]> content = storage.read(staging.runRecord());
            if (content.isEmpty()) {
                continue;
            }
            RunStart start = Json.MAPPER.readValue(content.get(), RunStart.class);
            if (start.partition().equals(partition.hivePath())) {
                dead.add(new DeadRun(staging, start));
            }
        }
        return dead;
    }

    Tidied tidy(Partition partition, Optional<RunId> current, RollForward rollForward)
            throws IOException
    {
        HistoryStore history = new HistoryStore(storage, output);
        List<String> rolledForward = new ArrayList<>();
        List<String> removed = new ArrayList<>();
        for (DeadRun dead : deadRuns(partition, current)) {
            RunStaging staging = dead.staging();
            Optional<PublishManifest> manifest = publisher.manifest(staging);
            if (manifest.isPresent() && !history.read(partition).wasPublished(staging.runId().value())) {
                rollForward.publish(staging, manifest.get());
                history.record(partition, new RunRecord(staging.runId().value(), partition.hivePath(), dead.start().engine(), RunRecord.Outcome.PUBLISHED, RunPhase.PUBLISH.recorded(),
                        "its publish was cut short and finished " + current.map(run -> "by run " + run).orElse("by repair"),
                        manifest.get().startedAt(), Instant.now(), manifest.get().datasets(), List.of(), System.getProperty("user.name"), Lease.thisHost(), manifest.get().source()));
                rolledForward.add(staging.runId().value());
            }
            storage.clear(staging);
            removed.add(staging.runId().value());
        }
        return new Tidied(rolledForward, removed);
    }
}
