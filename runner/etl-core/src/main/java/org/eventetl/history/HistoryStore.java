package org.eventetl.history;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.format.DateTimeFormatter;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

import org.eventetl.partition.Partition;
import org.eventetl.storage.Location;
import org.eventetl.storage.Storage;

import static java.util.Objects.requireNonNull;

/**
 * The history under {@code <output>/_etl/history/<partition path>/}: one small JSON file per step
 * run, never rewritten, so concurrent runs of different partitions never contend and a reader on
 * any storage sees whole entries only.
 */
public final class HistoryStore
{
    private static final ObjectMapper JSON = new ObjectMapper()
            .registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .enable(SerializationFeature.INDENT_OUTPUT);
    private static final DateTimeFormatter FILE_TIME = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss.SSS'Z'").withZone(ZoneOffset.UTC);

    private final Storage storage;
    private final Location output;

    public HistoryStore(Storage storage, Location output)
    {
        this.storage = requireNonNull(storage, "storage is null");
        this.output = requireNonNull(output, "output is null");
    }

    public Location folder(Partition partition)
    {
        return output.resolve("_etl/history").resolve(partition.hivePath());
    }

    public void record(Partition partition, HistoryEntry entry)
    {
        String name = FILE_TIME.format(entry.startedAt()) + "__" + entry.runId() + "__" + entry.step() + ".json";
        try {
            storage.write(folder(partition).resolve(name), JSON.writeValueAsBytes(entry));
        }
        catch (IOException e) {
            throw new UncheckedIOException("cannot record history under " + folder(partition) + ": " + e.getMessage(), e);
        }
    }

    /** Every recorded run of the partition's steps, oldest first. */
    public List<HistoryEntry> entries(Partition partition)
            throws IOException
    {
        List<HistoryEntry> entries = new ArrayList<>();
        for (Location file : storage.listRecursively(folder(partition))) {
            if (file.uri().endsWith(".json")) {
                byte[] content = storage.read(file).orElseThrow();
                entries.add(JSON.readValue(content, HistoryEntry.class));
            }
        }
        entries.sort(Comparator.comparing(HistoryEntry::startedAt).thenComparing(HistoryEntry::version));
        return List.copyOf(entries);
    }
}
