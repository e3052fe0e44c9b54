package org.eventetl.cli;

import java.util.Optional;

import org.eventetl.config.Settings;
import org.eventetl.engine.Engine;
import org.eventetl.engine.athena.AthenaEngine;
import org.eventetl.engine.athena.AthenaSettings;
import org.eventetl.engine.duckdb.DuckDbEngine;
import org.eventetl.engine.duckdb.DuckDbOpening;
import org.eventetl.engine.duckdb.DuckDbSettings;
import org.eventetl.engine.trino.TrinoEngine;
import org.eventetl.engine.trino.TrinoSettings;
import org.eventetl.model.EngineKind;
import org.eventetl.storage.RoutingStorage;

/** Opens the engine a command asked for. */
public final class Engines
{
    private Engines() {}

    /**
     * @param concurrentLoads how many loads share this machine (backfill --parallel), so that
     *         together they stay within its cores and the memory target
     */
    public static Engine open(EngineKind kind, int concurrentLoads, Settings settings)
    {
        return open(kind, concurrentLoads, settings, Optional.empty());
    }

    /** @param duckDb a database opened ahead for the embedded engine; the other engines leave it to its owner to close */
    public static Engine open(EngineKind kind, int concurrentLoads, Settings settings, Optional<DuckDbOpening> duckDb)
    {
        return switch (kind) {
            case DUCKDB -> {
                DuckDbSettings defaults = DuckDbSettings.defaults();
                yield new DuckDbEngine(new DuckDbSettings(
                        Math.max(1, defaults.threads() / concurrentLoads),
                        Math.max(256, defaults.memoryLimitMegabytes() / concurrentLoads),
                        defaults.spillFolder()), duckDb);
            }
            case TRINO -> new TrinoEngine(TrinoSettings.from(settings));
            case ATHENA -> {
                // its own S3 client (made on first use), to clear a target again before a failed write is retried
                RoutingStorage storage = new RoutingStorage(settings.s3());
                yield new AthenaEngine(AthenaSettings.from(settings), storage, storage);
            }
        };
    }
}
