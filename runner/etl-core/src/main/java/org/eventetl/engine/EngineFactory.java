package org.eventetl.engine;

import org.eventetl.model.EngineKind;

/** Opens an engine; the command line supplies one that knows every engine module, the core knows none. */
@FunctionalInterface
public interface EngineFactory
{
    /**
     * @param concurrentLoads how many loads share this machine (backfill --parallel), so that
     *         together they stay within its cores and memory
     */
    Engine open(EngineKind kind, int concurrentLoads);
}
