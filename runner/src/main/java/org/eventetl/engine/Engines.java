package org.eventetl.engine;

import org.eventetl.config.Settings;
import org.eventetl.engine.duckdb.DuckDbEngine;
import org.eventetl.engine.duckdb.DuckDbSettings;
import org.eventetl.engine.trino.TrinoEngine;
import org.eventetl.engine.trino.TrinoSettings;

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
        return switch (kind) {
            case DUCKDB -> {
                DuckDbSettings defaults = DuckDbSettings.defaults();
                yield new DuckDbEngine(new DuckDbSettings(
                        Math.max(1, defaults.threads() / concurrentLoads),
                        Math.max(256, defaults.memoryLimitMegabytes() / concurrentLoads),
                        defaults.spillFolder()));
            }
            case TRINO -> new TrinoEngine(TrinoSettings.from(settings));
        };
    }
}
