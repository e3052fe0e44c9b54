package org.eventetl.history;

import java.io.IOException;
import java.util.Optional;

import org.eventetl.model.Json;
import org.eventetl.partition.Partition;
import org.eventetl.storage.DamagedFileException;
import org.eventetl.storage.Location;
import org.eventetl.storage.Storage;

import static java.util.Objects.requireNonNull;

/** The {@link Publication} of each partition, at {@code <output>/_etl/published/<partition path>.json}. */
public final class PublicationStore
{
    private final Storage storage;
    private final Location output;

    public PublicationStore(Storage storage, Location output)
    {
        this.storage = requireNonNull(storage, "storage is null");
        this.output = requireNonNull(output, "output is null");
    }

    public Location location(Partition partition)
    {
        return output.resolve("_etl/published").resolve(partition.hivePath() + ".json");
    }

    public Optional<Publication> read(Partition partition)
            throws IOException
    {
        Optional<byte[]> content = storage.read(location(partition));
        if (content.isEmpty()) {
            return Optional.empty();
        }
        Publication publication;
        try {
            publication = Json.read(content.get(), Publication.class);
        }
        catch (IOException e) {
            throw new DamagedFileException(location(partition), e);
        }
        if (!publication.partition().equals(partition.hivePath())) {
            // copied from another day's, or edited: its run and rows are that day's, never this one's
            throw new DamagedFileException(location(partition), "it names the partition " + publication.partition() + ", not its own");
        }
        return Optional.of(publication);
    }

    public void write(Publication publication)
            throws IOException
    {
        storage.write(location(Partition.parse(publication.partition())), Json.MAPPER.writeValueAsBytes(publication));
    }
}
