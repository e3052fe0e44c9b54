package org.eventetl.load;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.SortedSet;

import org.eventetl.model.UserException;
import org.eventetl.partition.Partition;
import org.eventetl.storage.DamagedFileException;
import org.eventetl.storage.FileReasons;
import org.eventetl.storage.Location;
import org.eventetl.storage.PublishedPrefix;
import org.eventetl.storage.Storage;

import static java.util.Objects.requireNonNull;

/**
 * Refuses a load whose publish would replace files that no run of etl published. A publish
 * replaces a dataset's whole partition folder, which is right for what an earlier run published
 * there (its folder holds that run's {@code _etl_run} marker) and wrong for anything else: a user's
 * notes, another tool's output, files copied in by hand. A folder that holds files and no marker is
 * one of those, unless a dead run's publish was cut short there (on S3 the marker is copied last):
 * the next run finishes that publish, so those files are etl's. A file where a dataset's folder (or
 * one above it) must be is refused too: no run made it.
 */
final class ForeignFiles
{
    private final Storage storage;
    private final Location output;
    private final StagingJanitor janitor;

    ForeignFiles(Storage storage, Location output, Publisher publisher)
    {
        this.storage = requireNonNull(storage, "storage is null");
        this.output = requireNonNull(output, "output is null");
        this.janitor = new StagingJanitor(storage, output, requireNonNull(publisher, "publisher is null"));
    }

    /** Throws a {@link UserException} naming the first dataset folder that holds files no run published. */
    void refuse(Partition partition, List<String> datasets)
            throws IOException
    {
        for (String dataset : datasets) {
            PublishedPrefix published = new PublishedPrefix(output, dataset, partition);
            Optional<Path> inTheWay = FileReasons.inTheWayOfFolder(published.location());
            if (inTheWay.isPresent()) {
                // made by hand where a folder must be: the publish cannot make the folder, and it is no run's to delete
                throw new UserException(FileReasons.notAFolder(inTheWay.get()) + ", where the publish puts the folder of " + dataset + ", " + published.location().asPrefix()
                        + ": move it away and load again");
            }
            Location markerFile = published.location().resolve(RunMarker.FILE_NAME);
            Optional<byte[]> marker;
            try {
                marker = storage.read(markerFile);
            }
            catch (DamagedFileException e) {
                // an empty folder made in the marker's place: a run's all the same, as status says, and
                // the publish replaces it with the folder; one that holds files is a person's
                if (storage.listRecursively(markerFile).isEmpty()) {
                    continue;
                }
                marker = Optional.empty();
            }
            if (marker.isPresent()) {
                refuseAddedFiles(published, dataset, marker.get());
                continue;
            }
            List<Location> files = storage.listRecursively(published.location());
            if (files.isEmpty()) {
                continue;
            }
            if (publishCutShort(partition)) {
                // a dead run of the partition left its publish cut short: that accounts for every folder without a marker
                return;
            }
            throw new UserException(published.location() + " holds " + files.size() + (files.size() == 1 ? " file" : " files") + " that no run of etl published (e.g. "
                    + published.location().toRelative(files.get(0)) + "; a folder etl published has an " + RunMarker.FILE_NAME
                    + " marker): a publish replaces the whole folder, so move them elsewhere and load again");
        }
    }

    /**
     * A published folder holding data files that its run did not publish (a user's analysis saved
     * beside the data, another day's files copied in): the publish would replace the folder and
     * delete them, and they are no run's. Refused, naming them, as files in a folder without a marker are.
     */
    private void refuseAddedFiles(PublishedPrefix published, String dataset, byte[] markerBytes)
            throws IOException
    {
        RunMarker marker;
        try {
            marker = RunMarker.parse(markerBytes, published);
        }
        catch (DamagedFileException e) {
            // cut short: a run's all the same, whose files cannot be told from it; the publish replaces the folder, as status says
            return;
        }
        SortedSet<String> added = RunMarker.added(storage, marker, published.location());
        if (!added.isEmpty()) {
            throw new UserException(published.location().asPrefix() + " holds " + added.size() + (added.size() == 1 ? " file" : " files") + " that run "
                    + marker.runId() + " did not publish there (" + RunMarker.names(added) + "): a publish replaces the whole folder of " + dataset
                    + ", so move " + (added.size() == 1 ? "it" : "them") + " elsewhere and load again");
        }
    }

    private boolean publishCutShort(Partition partition)
            throws IOException
    {
        return janitor.deadRuns(partition, Optional.empty()).stream().anyMatch(dead -> dead.manifest().isPresent());
    }
}
