package org.eventetl.load;

import java.io.IOException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Consumer;

import org.eventetl.history.Publication;
import org.eventetl.history.PublicationStore;
import org.eventetl.history.RunRecord;
import org.eventetl.lease.LeaseLostException;
import org.eventetl.model.Json;
import org.eventetl.model.PausePoints;
import org.eventetl.model.RunId;
import org.eventetl.partition.Partition;
import org.eventetl.storage.DamagedFileException;
import org.eventetl.storage.RunStaging;
import org.eventetl.storage.StagedPrefix;
import org.eventetl.storage.Storage;

import static java.util.Objects.requireNonNull;

/**
 * Replaces a partition's published datasets with a run's staged ones, all of them back to back:
 * the manifest first, then per dataset its marker into the staged prefix and the storage's publish
 * (an atomic folder swap locally; delete then server-side copies on S3), each after the fence has
 * proved the run still holds the partition; then the publication pointer. Publishing a dataset whose
 * published marker already names the run does nothing, so finishing a publish cut short is the same
 * call again.
 */
final class Publisher
{
    private final Storage storage;
    private final PublicationStore publications;

    Publisher(Storage storage, PublicationStore publications)
    {
        this.storage = requireNonNull(storage, "storage is null");
        this.publications = requireNonNull(publications, "publications is null");
    }

    /**
     * @param manifest what the publish replaces, written first (the same manifest again when a publish
     *         cut short is finished)
     * @param fence proves the run still holds the partition; throws when it does not
     * @param progress told each dataset as its publish begins
     * @param replaced told each dataset once it is the run's whole (swapped in now, or before by the
     *         publish this call finishes), so that a publish that fails can say how far it got
     */
    void publish(RunStaging staging, PublishManifest manifest, Runnable fence, Consumer<String> progress, Consumer<String> replaced)
            throws IOException
    {
        Partition partition = Partition.parse(manifest.partition());
        List<String> datasets = manifest.datasets();
        // all checked before the first swap: a publish cut short whose staged files are gone is refused whole, not half finished
        Map<String, Map<String, Long>> toSwap = toSwap(staging, manifest);
        fence.run();
        storage.write(staging.publishManifest(), Json.MAPPER.writeValueAsBytes(manifest));
        for (String dataset : datasets) {
            progress.accept(dataset);
            if (toSwap.containsKey(dataset)) {
                publishDataset(new StagedPrefix(staging, dataset, partition), toSwap.get(dataset), fence);
            }
            replaced.accept(dataset);
            PausePoints.reach("published " + dataset);
        }
        PausePoints.reach("pointer");
        // the pointer names the run whose files are in place: a run that stalled past its lease since
        // its last swap must not name itself over the run that took the day over
        fence.run();
        publications.write(new Publication(staging.runId().value(), partition.hivePath(), datasets, manifest.rows(), Instant.now()));
    }

    /**
     * The manifest of a run's publish, before it starts: what it replaces, and the files it staged for
     * each dataset, listed now. A staging area whose run record is gone is refused rather than
     * published: a run that took the partition over removes a stalled run's staging, record and all,
     * and the listing of what is left would replace the day's data with none of it. (The lease is
     * meant to make that impossible; this is what a hole in it would cost, checked where it is cheap.
     * A dataset's staged files are not checked against its rows: the Athena stub's CTAS reports rows
     * and writes no Parquet.)
     */
    PublishManifest manifestOf(RunStaging staging, Partition partition, List<String> datasets, Map<String, Long> rows, Instant startedAt, RunRecord.Source source)
            throws IOException
    {
        if (storage.read(staging.runRecord()).isEmpty()) {
            throw new LeaseLostException("lease lost before publishing: the staging area of run " + staging.runId() + " (" + staging.location().asPrefix()
                    + ") was removed while it ran, as a run that takes the partition over removes a stalled run's; this run publishes nothing");
        }
        Map<String, Map<String, Long>> staged = new TreeMap<>();
        for (String dataset : datasets) {
            staged.put(dataset, RunMarker.filesOf(storage, new StagedPrefix(staging, dataset, partition).location()));
        }
        return new PublishManifest(staging.runId().value(), partition.hivePath(), datasets, rows, startedAt, source, staged);
    }

    /**
     * Why a publish cut short cannot be finished (a staged file of a dataset it had not swapped in is
     * gone or changed), or empty when it can: what {@link #publish} would refuse, without changing anything.
     */
    Optional<String> unfinishable(RunStaging staging, PublishManifest manifest)
            throws IOException
    {
        try {
            toSwap(staging, manifest);
            return Optional.empty();
        }
        catch (IncompleteStagingException e) {
            return Optional.of(e.getMessage());
        }
    }

    /** The datasets the run has still to swap in, each with its staged files, checked against the manifest. */
    private Map<String, Map<String, Long>> toSwap(RunStaging staging, PublishManifest manifest)
            throws IOException
    {
        Partition partition = Partition.parse(manifest.partition());
        Map<String, Map<String, Long>> toSwap = new LinkedHashMap<>();
        for (String dataset : manifest.datasets()) {
            StagedPrefix staged = new StagedPrefix(staging, dataset, partition);
            if (publishedBy(staged).filter(staging.runId()::equals).isEmpty()) {
                Map<String, Long> files = RunMarker.filesOf(storage, staged.location());
                requireAsStaged(manifest, dataset, staged, files);
                toSwap.put(dataset, files);
            }
        }
        return toSwap;
    }

    /** The manifest of a publish that started, if this run's staging area has one. */
    Optional<PublishManifest> manifest(RunStaging staging)
            throws IOException
    {
        Optional<byte[]> content = storage.read(staging.publishManifest());
        if (content.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(Json.read(content.get(), PublishManifest.class));
        }
        catch (IOException e) {
            // written whole (a temporary file renamed), so only a hand or a damaged disk cuts it
            throw new DamagedFileException(staging.publishManifest(), e);
        }
    }

    /** Swaps one dataset in, its marker (naming the run and the files it staged) written into it first. */
    private void publishDataset(StagedPrefix staged, Map<String, Long> files, Runnable fence)
            throws IOException
    {
        // a fence before anything is written: a run that stalled past its lease between two swaps
        // would otherwise write this marker into a staging area that the run which took the
        // partition over has removed, and so make it again, without the record by which it is removed
        fence.run();
        PausePoints.reach("marker " + staged.dataset());
        // a step that was skipped staged nothing: its dataset is published empty, so what an
        // earlier run published there (rejects it no longer has, say) does not outlive it
        storage.write(staged.location().resolve(RunMarker.FILE_NAME), Json.MAPPER.writeValueAsBytes(
                new RunMarker(staged.run().runId().value(), staged.partition().hivePath(), staged.dataset(), Instant.now(), files)));
        PausePoints.reach("publish " + staged.dataset());
        // the fence right before the swap: a run that stalled past its lease finds out here, and
        // replaces nothing that the run which took the partition over has published
        fence.run();
        PausePoints.reach("swap " + staged.dataset());
        storage.publish(staged);
    }

    /**
     * Refuses to publish a dataset whose staged files are no longer those the run staged (one deleted
     * by hand, or by a lifecycle rule on the staging prefix, before a publish cut short is finished):
     * swapped in, they would replace good published data with part of a dataset, or none. A manifest
     * written before it kept the staged files has the rows instead: staged rows and no file is the same loss.
     */
    private static void requireAsStaged(PublishManifest manifest, String dataset, StagedPrefix staged, Map<String, Long> files)
            throws IncompleteStagingException
    {
        Map<String, Long> expected = manifest.staged().get(dataset);
        boolean whole = expected != null ? expected.equals(files) : manifest.rows().getOrDefault(dataset, 0L) == 0 || !files.isEmpty();
        if (!whole) {
            throw new IncompleteStagingException("the staged files of " + dataset + " of run " + manifest.runId() + " are not those it staged ("
                    + (expected == null ? manifest.rows().get(dataset) + " rows then" : RunMarker.describe(expected) + " then") + ", " + RunMarker.describe(files)
                    + " now, in " + staged.location().asPrefix() + ")");
        }
    }

    /**
     * The run whose files the published prefix holds, by its marker; none for a damaged marker, which
     * the publish replaces with the folder it sits in.
     */
    Optional<RunId> publishedBy(StagedPrefix staged)
            throws IOException
    {
        try {
            return RunMarker.runOf(storage, staged.published()).map(RunId::new);
        }
        catch (DamagedFileException e) {
            return Optional.empty();
        }
    }
}
