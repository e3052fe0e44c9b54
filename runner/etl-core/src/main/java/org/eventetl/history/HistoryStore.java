package org.eventetl.history;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

import org.eventetl.model.Json;
import org.eventetl.partition.Partition;
import org.eventetl.storage.DamagedFileException;
import org.eventetl.storage.Location;
import org.eventetl.storage.Storage;

import static java.util.Objects.requireNonNull;

/**
 * The history under {@code <output>/_etl/history/<partition path>/}: one small JSON file per step
 * run ({@code <time>__<run>__<step>.json}) and one per run's end ({@code <time>__<run>__run.json}),
 * never rewritten, so concurrent runs of different partitions never contend and a reader on any
 * storage sees whole entries only.
 */
public final class HistoryStore
{
    private static final DateTimeFormatter FILE_TIME = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss.SSS'Z'").withZone(ZoneOffset.UTC);
    private static final String RUN_SUFFIX = "__run.json";

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

    public void record(Partition partition, StepRecord step)
    {
        write(partition, name(step.startedAt(), step.runId(), step.step() + ".json"), step);
    }

    /** Records how a run ended; returns the record's file, which only the run that wrote it may withdraw. */
    public Location record(Partition partition, RunRecord run)
    {
        String name = name(run.finishedAt(), run.runId(), RUN_SUFFIX.substring(2));
        write(partition, name, run);
        return folder(partition).resolve(name);
    }

    /**
     * Removes a run's record that the run itself found untrue right after it wrote it: a run that
     * recorded its publish after it had lost its lease (stalled past it), once the run that took the
     * day over had recorded its own. Records are read in the order of their times, so the late one
     * would name the stalled run as published over the taker's datasets.
     */
    public void withdraw(Location record)
            throws IOException
    {
        storage.delete(record);
    }

    private static String name(Instant time, String runId, String suffix)
    {
        return FILE_TIME.format(time) + "__" + runId + "__" + suffix;
    }

    private void write(Partition partition, String name, Object record)
    {
        try {
            storage.write(folder(partition).resolve(name), Json.MAPPER.writeValueAsBytes(record));
        }
        catch (IOException e) {
            throw new UncheckedIOException("cannot record history under " + folder(partition) + ": " + e.getMessage(), e);
        }
    }

    /** Everything recorded of the partition, oldest first. */
    public PartitionHistory read(Partition partition)
            throws IOException
    {
        List<StepRecord> steps = new ArrayList<>();
        List<RunRecord> runs = new ArrayList<>();
        Location folder = folder(partition);
        if (!folder.isS3() && Files.isRegularFile(folder.toPath())) {
            // listed, it holds nothing: the day would look never recorded, and no run could record it
            throw new DamagedFileException(folder, "a file where the day's history folder should be");
        }
        for (Location file : storage.listRecursively(folder)) {
            if (!file.uri().endsWith(".json")) {
                continue;
            }
            byte[] content = storage.read(file).orElseThrow(() -> new IOException(file + " vanished while reading the history"));
            try {
                JsonNode record = Json.MAPPER.readTree(content);
                if (record == null || !record.isObject()) {
                    // empty, null, a list: a record is an object (treeToValue made null of a null)
                    throw new DamagedFileException(file, "it holds no JSON object");
                }
                if (record.has("runId")) {
                    // written before the stage → audit → publish history: it says what ran, not what
                    // is published, so the partition counts as never published and is reloaded
                    continue;
                }
                if (!partition.hivePath().equals(record.path("partition").asText(partition.hivePath()))) {
                    // another day's record in this day's folder (copied in, or written through a link from
                    // that day's folder): counted here, it would be taken for this day's run, as a pointer would
                    throw new DamagedFileException(file, "it names the partition " + record.path("partition").asText() + ", not its own");
                }
                if (file.fileName().endsWith(RUN_SUFFIX)) {
                    runs.add(Json.MAPPER.treeToValue(record, RunRecord.class));
                }
                else {
                    steps.add(Json.MAPPER.treeToValue(record, StepRecord.class));
                }
            }
            catch (DamagedFileException e) {
                throw e;
            }
            catch (IOException e) {
                throw new DamagedFileException(file, e);
            }
        }
        return new PartitionHistory(steps, runs);
    }
}
