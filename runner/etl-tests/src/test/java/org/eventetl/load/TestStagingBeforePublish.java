package org.eventetl.load;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.eventetl.history.PublicationStore;
import org.eventetl.history.RunRecord;
import org.eventetl.lease.LeaseLostException;
import org.eventetl.model.RunId;
import org.eventetl.partition.Partition;
import org.eventetl.storage.LocalStorage;
import org.eventetl.storage.Location;
import org.eventetl.storage.RunStaging;
import org.eventetl.storage.StagedPrefix;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The publish's last check of a run's staging area, before its manifest is written: a staging area
 * whose run record is gone is refused, not swapped in. A probe found a hole in the local lease (since
 * closed, TestRunFailures.aRunStoppedWhileItChangesItsLeaseKeepsIt) through which a stalled run
 * published the staging area that a run which took the day over had removed: six empty datasets.
 */
final class TestStagingBeforePublish
{
    private static final Partition DAY = new Partition("olx", "hydra", "android", LocalDate.of(2017, 8, 9));
    private static final List<String> DATASETS = List.of("events", "rejects");

    @TempDir
    Path output;

    private final LocalStorage storage = new LocalStorage();

    @Test
    void aStagingAreaWhoseRunRecordIsGoneIsNotPublished()
            throws Exception
    {
        RunStaging staging = staging();
        stage(staging, "events");
        assertThatThrownBy(() -> manifestOf(staging, Map.of("events", 3L, "rejects", 0L)))
                .isInstanceOf(LeaseLostException.class)
                .hasMessageContaining("the staging area of run " + staging.runId() + " (")
                .hasMessageEndingWith("was removed while it ran, as a run that takes the partition over removes a stalled run's; this run publishes nothing");
    }

    @Test
    void aWholeStagingAreaIsListedForTheManifest()
            throws Exception
    {
        RunStaging staging = staging();
        storage.write(staging.runRecord(), "{}".getBytes(StandardCharsets.UTF_8));
        stage(staging, "rejects");
        // a step that wrote no rows stages no file: that dataset is published empty
        PublishManifest manifest = manifestOf(staging, Map.of("events", 0L, "rejects", 1L));
        assertThat(manifest.staged().get("events")).isEmpty();
        assertThat(manifest.staged().get("rejects")).containsOnlyKeys("part-0.parquet");
    }

    private RunStaging staging()
    {
        return new RunStaging(Location.local(output), RunId.startingAt(Instant.now()));
    }

    private void stage(RunStaging staging, String dataset)
            throws Exception
    {
        storage.write(new StagedPrefix(staging, dataset, DAY).location().resolve("part-0.parquet"), new byte[] {1, 2, 3});
    }

    private PublishManifest manifestOf(RunStaging staging, Map<String, Long> rows)
            throws Exception
    {
        Publisher publisher = new Publisher(storage, new PublicationStore(storage, Location.local(output)));
        return publisher.manifestOf(staging, DAY, DATASETS, rows, Instant.now(), null);
    }
}
