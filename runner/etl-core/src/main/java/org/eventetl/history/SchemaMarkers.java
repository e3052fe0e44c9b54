package org.eventetl.history;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import org.eventetl.model.EngineKind;
import org.eventetl.model.Json;
import org.eventetl.render.RenderedStep;
import org.eventetl.storage.Location;
import org.eventetl.storage.Storage;

import static java.util.Objects.requireNonNull;

/**
 * Which schema steps ({@code -- scope: database}) an engine with a persistent catalog has applied
 * in which database: one small file per step and rendered SQL, under
 * {@code <output>/_etl/schema/<engine>/<database>/<step>__<rendered checksum>.json}. Keyed by the
 * rendered SQL, so an edited step, a changed partial or another output root applies again; written
 * only after every statement succeeded, so a failed or interrupted schema step runs again next time.
 */
public final class SchemaMarkers
{
    private final Storage storage;
    private final Location output;

    public SchemaMarkers(Storage storage, Location output)
    {
        this.storage = requireNonNull(storage, "storage is null");
        this.output = requireNonNull(output, "output is null");
    }

    public Location marker(EngineKind engine, String database, RenderedStep step)
    {
        return output.resolve("_etl/schema").resolve(engine.id()).resolve(database)
                .resolve(step.step().id() + "__" + step.renderedChecksum() + ".json");
    }

    /**
     * The lock that lets one schema step at a time change the database (see
     * {@code DatabaseLease}): beside the database's markers, so that it guards what they record.
     */
    public Location lock(EngineKind engine, String database)
    {
        return output.resolve("_etl/schema").resolve(engine.id()).resolve(database + ".lock");
    }

    public boolean applied(EngineKind engine, String database, RenderedStep step)
    {
        try {
            return storage.read(marker(engine, database, step)).isPresent();
        }
        catch (IOException e) {
            throw new UncheckedIOException("cannot read the schema marker " + marker(engine, database, step) + ": " + e.getMessage(), e);
        }
    }

    public void record(EngineKind engine, String database, RenderedStep step, String runId, String partition)
    {
        Map<String, Object> content = new LinkedHashMap<>();
        content.put("step", step.step().id());
        content.put("script", step.step().file());
        content.put("checksum", step.step().checksum());
        content.put("rendered_checksum", step.renderedChecksum());
        content.put("engine", engine.id());
        content.put("database", database);
        content.put("run_id", runId);
        content.put("partition", partition);
        content.put("applied_at", Instant.now().toString());
        Location marker = marker(engine, database, step);
        try {
            storage.write(marker, Json.MAPPER.writeValueAsBytes(content));
        }
        catch (IOException e) {
            throw new UncheckedIOException("cannot record the schema marker " + marker + ": " + e.getMessage(), e);
        }
    }
}
